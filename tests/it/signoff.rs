//! Identity and sign-off (issue 17, items 1 and 5): a design gets its stable id on its first
//! save and keeps it; partners sign off the whole design in the editor; a change makes a
//! sign-off stale and undoing it makes the sign-off current again.

use crate::common;

use std::sync::Arc;

use crossterm::event::KeyCode;
use microcred::document::Hub;
use microcred::edit::{Actor, Op, Role};
use microcred::model::signoff::SignOffState;
use microcred::model::*;

use common::screen::{example, key, keys, screen, session};

fn partner(name: &str, org: &str) -> Actor {
    Actor {
        name: name.into(),
        role: Role::Partner(org.into()),
    }
}

fn state(hub: &Arc<Hub>, org: &str) -> SignOffState {
    hub.snapshot()
        .report
        .sign_offs
        .iter()
        .find(|g| g.partner == org)
        .map_or(SignOffState::Current, |g| g.state)
}

#[test]
fn the_first_save_gives_a_stable_id_that_every_later_save_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.yaml");
    let (ws, cat) = example("retrofit-gaps.yaml");
    assert!(ws.credential.id.is_none());
    let hub = Hub::new(ws, cat.clone(), Some(path.clone()));
    let mut app = session(&hub, Actor::designer("dee"), 120, 40);
    app.saved(hub.save(None).map_err(|e| e.to_string()));
    assert!(
        app.status.text.contains("stable id urn:uuid:"),
        "{}",
        app.status.text
    );
    let load = || {
        microcred::document::load_workspace(&path, &cat)
            .unwrap()
            .workspace
    };
    let first = load();
    let id = first.credential.id.clone().unwrap();
    assert!(id.starts_with("urn:uuid:") && id.len() == 45, "{id}");
    assert_eq!(first.credential.version.as_deref(), Some("1"));
    // The credential form cannot touch it, and a second id is refused.
    let mut c = first.credential.clone();
    c.id = None;
    c.title = Some("Renamed".into());
    hub.apply(
        &Actor::designer("dee"),
        Op::SetCredential {
            credential: Box::new(c),
        },
    )
    .unwrap();
    assert!(
        hub.apply(
            &Actor::designer("dee"),
            Op::SetCredentialId {
                id: Some("urn:uuid:other".into())
            }
        )
        .is_err()
    );
    hub.save(None).unwrap();
    let second = load();
    assert_eq!(second.credential.title.as_deref(), Some("Renamed"));
    assert_eq!(second.credential.id.as_deref(), Some(id.as_str()));
}

#[test]
fn a_partner_signs_off_in_one_question_and_a_change_makes_it_stale_until_undone() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let org = "brightwater-mechanical";
    assert_eq!(state(&hub, org), SignOffState::Missing);
    let mut sam = session(&hub, partner("sam@brightwater", org), 120, 40);
    sam = sam.with_session(microcred::tui::app::SessionOptions {
        key: Some("SHA256:testkey".into()),
        ..Default::default()
    });
    keys(&mut sam, "S");
    let s = screen(&sam);
    insta::assert_snapshot!("partner_sign_off_question", s);
    assert!(s.contains("Sign off for Brightwater Mechanical as sam@brightwater?"));
    keys(&mut sam, "y");
    let snap = hub.snapshot();
    let so = snap.ws.sign_offs.first().expect("recorded");
    assert_eq!(
        (so.person.as_str(), so.partner.as_str(), so.key.as_deref()),
        ("sam@brightwater", org, Some("SHA256:testkey"))
    );
    assert_eq!(so.design, signoff::design_hash(&snap.ws));
    assert_eq!(state(&hub, org), SignOffState::Current);

    // A designer changes a need: the sign-off goes stale, for everyone to see.
    let mut dee = session(&hub, Actor::designer("dee"), 120, 40);
    let mut need = dee.ws.needs[0].clone();
    need.statement.push_str(" Also in winter.");
    assert!(dee.apply(
        Op::UpdateNeed {
            id: need.id.clone(),
            need
        },
        ""
    ));
    assert_eq!(state(&hub, org), SignOffState::Stale);
    sam.sync();
    assert!(screen(&sam).contains("stale Brightwater Mechanical"));
    // Undoing the change brings back the signed design: current again.
    keys(&mut dee, "u");
    assert_eq!(state(&hub, org), SignOffState::Current);
    sam.sync();
    assert!(!screen(&sam).contains("stale Brightwater"));
    // Undoing the sign-off withdraws it.
    keys(&mut sam, "u");
    assert_eq!(state(&hub, org), SignOffState::Missing);
    assert!(hub.snapshot().ws.sign_offs.is_empty());
}

#[test]
fn signing_a_design_that_changed_meanwhile_is_refused() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let org = "coastline-energy";
    let mut pat = session(&hub, partner("pat@coastline", org), 120, 40);
    keys(&mut pat, "S");
    // While the question is open, a designer changes the design.
    let dee = Actor::designer("dee");
    let mut c = hub.snapshot().ws.credential.clone();
    c.validity = Some("Five years.".into());
    hub.apply(
        &dee,
        Op::SetCredential {
            credential: Box::new(c),
        },
    )
    .unwrap();
    keys(&mut pat, "y");
    assert!(pat.status.error, "{}", pat.status.text);
    assert!(
        pat.status
            .text
            .contains("the design changed while you were signing"),
        "{}",
        pat.status.text
    );
    assert!(hub.snapshot().ws.sign_offs.is_empty());
}

#[test]
fn a_designer_records_a_sign_off_given_in_the_room() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let mut dee = session(&hub, Actor::designer("dee"), 120, 40);
    // The selected need (N1) is Coastline's: the form offers that partner first.
    keys(&mut dee, "S");
    let s = screen(&dee);
    insta::assert_snapshot!("designer_sign_off_form", s);
    key(&mut dee, KeyCode::Tab);
    keys(&mut dee, "Rosa Diaz");
    key(&mut dee, KeyCode::Enter);
    let snap = hub.snapshot();
    let so = snap.ws.sign_offs.first().expect("recorded");
    assert_eq!(
        (so.person.as_str(), so.partner.as_str()),
        ("Rosa Diaz", "coastline-energy")
    );
    assert_eq!(so.key, None);
    assert_eq!(state(&hub, "coastline-energy"), SignOffState::Current);
}

#[test]
fn viewers_cannot_sign_off() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let viewer = Actor {
        name: "val".into(),
        role: Role::Viewer,
    };
    let mut val = session(&hub, viewer, 120, 40);
    keys(&mut val, "S");
    assert!(val.front().is_none());
    assert!(val.status.text.contains("Viewers follow the design"));
    assert!(hub.snapshot().ws.sign_offs.is_empty());
}
