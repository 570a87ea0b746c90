//! Review that people notice, through `App::handle` and ratatui's TestBackend: a reason asked
//! on dispute and reject and kept as a stamped comment, the status record, the activity feed,
//! designers' notices of partners' reviews, and the partner list (edit with no needs, delete
//! with what happens to the needs, undo). Overlays as insta snapshots at 80×24 and 120×40.

use std::sync::Arc;

use crossterm::event::KeyCode;
use microcred::catalog::Catalog;
use microcred::document::Hub;
use microcred::edit::{Actor, Role};
use microcred::model::{MappingStatus, Workspace};
use microcred::tui::app::{App, Modal};
use microcred::tui::layout::Focus;

use crate::common;

use common::screen::{CLOCK, hub, key, keys, sam, screen, session, to_n3_mapping};

const HVAC: &str = "building-retrofit:BR-HVAC-01";

#[test]
fn dispute_asks_why_keeps_it_as_a_stamped_comment_and_records_who_and_when() {
    for (w, h) in [(80, 24), (120, 40)] {
        let hub = hub("retrofit-gaps.yaml");
        let mut s = session(&hub, sam(), w, h);
        to_n3_mapping(&mut s);
        key(&mut s, KeyCode::Char('x'));
        assert!(matches!(s.front(), Some(Modal::Form(_))));
        // The reason is required: Enter on an empty one keeps the form open and says so.
        key(&mut s, KeyCode::Enter);
        let shown = screen(&s);
        assert!(shown.contains("say why it is disputed"), "{shown}");
        keys(&mut s, "Level 2 is not enough for cold-climate units");
        insta::assert_snapshot!(format!("reason_form_{w}x{h}"), screen(&s));
        key(&mut s, KeyCode::Enter);
        assert!(s.front().is_none(), "{:?}", s.status);
        let m = s.selected_mapping().unwrap().clone();
        assert_eq!(m.status, MappingStatus::Disputed);
        assert_eq!(m.status_by.as_deref(), Some("Sam at Brightwater"));
        assert_eq!(m.status_at.as_deref(), Some(CLOCK));
        let c = m.comments.last().unwrap();
        assert_eq!(
            (c.by.as_str(), c.at.as_str(), c.text.as_str()),
            (
                "Sam at Brightwater",
                CLOCK,
                "Disputed: Level 2 is not enough for cold-climate units"
            )
        );
        // Saved, the file carries the record.
        let text = microcred::document::workspace_to_string(&s.ws);
        assert!(text.contains("status_by: Sam at Brightwater"), "{text}");
    }
}

#[test]
fn viewers_and_partners_are_refused_before_the_form_opens() {
    let hub = hub("retrofit-gaps.yaml");
    let mut vic = session(
        &hub,
        Actor {
            name: "Vic".into(),
            role: Role::Viewer,
        },
        120,
        40,
    );
    to_n3_mapping(&mut vic);
    key(&mut vic, KeyCode::Char('x'));
    assert!(vic.front().is_none());
    assert!(
        vic.status.error && vic.status.text.contains("Viewers follow the design"),
        "{:?}",
        vic.status
    );
    // Only designers reject.
    let mut s = session(&hub, sam(), 120, 40);
    to_n3_mapping(&mut s);
    key(&mut s, KeyCode::Char('r'));
    assert!(s.front().is_none());
    assert!(
        s.status.text.contains("ask a designer to reject"),
        "{:?}",
        s.status
    );
    // Not their organisation's need (N1 is Coastline's).
    let mut s = session(&hub, sam(), 120, 40);
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Char('x'));
    assert!(s.front().is_none());
    assert!(
        s.status.text.contains("partners work only on"),
        "{:?}",
        s.status
    );
}

#[test]
fn a_designer_gets_a_notice_of_a_partners_dispute_and_jumps_to_it() {
    for (w, h) in [(80, 24), (120, 40)] {
        let hub = hub("retrofit-gaps.yaml");
        let mut dana = session(&hub, Actor::designer("Dana"), w, h);
        let mut lee = session(&hub, Actor::designer("Lee"), w, h);
        let mut sam_s = session(&hub, sam(), w, h);
        // A designer's own change is in the feed but is no notice.
        lee.focus = Focus::Mappings;
        key(&mut lee, KeyCode::Char('y'));
        to_n3_mapping(&mut sam_s);
        key(&mut sam_s, KeyCode::Char('x'));
        keys(&mut sam_s, "Level 2 is not enough");
        key(&mut sam_s, KeyCode::Enter);
        key(&mut sam_s, KeyCode::Char('c'));
        keys(&mut sam_s, "Happy to talk it through");
        key(&mut sam_s, KeyCode::Enter);
        assert!(sam_s.notices.is_empty(), "partners get no notices");

        assert!(dana.sync());
        assert_eq!(dana.notices.len(), 2);
        let main = screen(&dana);
        assert!(
            main.contains("● n jumps to: Sam at Brightwater disputed N3"),
            "the notice is on the main screen:\n{main}"
        );
        insta::assert_snapshot!(format!("notice_{w}x{h}"), main);

        // The feed: newest first, notices marked.
        key(&mut dana, KeyCode::Char('A'));
        assert!(matches!(dana.front(), Some(Modal::Activity(0))));
        let feed = screen(&dana);
        let comment = feed.find("commented on N3").expect("the comment");
        let dispute = feed.find("disputed N3").expect("the dispute");
        let agree = feed.find("Lee agreed N1").expect("Lee's agreement");
        assert!(comment < dispute && dispute < agree, "{feed}");
        insta::assert_snapshot!(format!("activity_{w}x{h}"), feed);
        // Enter on the second row (the dispute) jumps to the mapping.
        key(&mut dana, KeyCode::Down);
        key(&mut dana, KeyCode::Enter);
        assert!(dana.front().is_none());
        assert_eq!(dana.focus, Focus::Mappings);
        let m = dana.selected_mapping().unwrap();
        assert_eq!((m.need.as_str(), m.competency.as_str()), ("N3", HVAC));
        // That notice is seen; n goes to the one left, and then there are none.
        assert_eq!(dana.notices.len(), 1);
        dana.focus = Focus::Needs;
        dana.need_sel = 0;
        key(&mut dana, KeyCode::Char('n'));
        assert_eq!(dana.selected_mapping().unwrap().need, "N3");
        assert_eq!(dana.focus, Focus::Mappings);
        key(&mut dana, KeyCode::Char('n'));
        assert!(dana.status.text.contains("No new notices"));
        assert!(!screen(&dana).contains("● n jumps"));
    }
}

/// The retrofit example with one more partner that has no needs yet.
fn with_needless_partner(hub: &Arc<Hub>, dana: &mut App) {
    key(dana, KeyCode::Char('P'));
    keys(dana, "tidewater");
    key(dana, KeyCode::Down);
    keys(dana, "Tidewater Builders");
    key(dana, KeyCode::Enter);
    assert!(hub.snapshot().ws.partner("tidewater").is_some());
}

#[test]
fn a_partner_with_no_needs_can_be_edited_from_the_partner_list() {
    let hub = hub("retrofit-gaps.yaml");
    let mut dana = session(&hub, Actor::designer("Dana"), 120, 40);
    with_needless_partner(&hub, &mut dana);
    key(&mut dana, KeyCode::Char('O'));
    assert!(matches!(dana.front(), Some(Modal::Partners(_))));
    for (w, h) in [(80, 24), (120, 40)] {
        dana.size = (w, h);
        insta::assert_snapshot!(format!("partners_{w}x{h}"), screen(&dana));
    }
    dana.size = (120, 40);
    for _ in 0..5 {
        key(&mut dana, KeyCode::Down);
    }
    key(&mut dana, KeyCode::Enter);
    let form = screen(&dana);
    assert!(form.contains("Tidewater Builders"), "{form}");
    key(&mut dana, KeyCode::Down);
    for _ in 0.."Builders".len() {
        key(&mut dana, KeyCode::Backspace);
    }
    keys(&mut dana, "Homes");
    key(&mut dana, KeyCode::Enter);
    assert_eq!(
        dana.ws.partner("tidewater").unwrap().name,
        "Tidewater Homes"
    );

    // With no needs at all, E opens the list instead of asking for a need.
    let cat = Arc::new(Catalog::embedded().unwrap());
    let ws = Workspace {
        partners: dana.ws.partners.clone(),
        ..Workspace::default()
    };
    let mut fresh = App::new(ws, cat, None, Actor::designer("Dana"));
    key(&mut fresh, KeyCode::Char('E'));
    assert!(matches!(fresh.front(), Some(Modal::Partners(0))));
}

#[test]
fn deleting_a_partner_says_what_happens_to_its_needs_and_undo_brings_all_back() {
    let hub = hub("retrofit-gaps.yaml");
    let mut dana = session(&hub, Actor::designer("Dana"), 120, 40);
    let original = dana.ws.clone();
    // Brightwater (second) has N3 and N4 and their mappings.
    key(&mut dana, KeyCode::Char('O'));
    key(&mut dana, KeyCode::Down);
    key(&mut dana, KeyCode::Char('d'));
    let Some(Modal::Confirm(c)) = dana.front() else {
        panic!("no confirmation: {:?}", dana.status);
    };
    let msg = &c.text;
    let needs = original
        .needs
        .iter()
        .filter(|n| n.partner == "brightwater-mechanical")
        .count();
    assert!(
        msg.contains(&format!("Its {needs} need(s) are deleted with it")),
        "{msg}"
    );
    for (w, h) in [(80, 24), (120, 40)] {
        dana.size = (w, h);
        insta::assert_snapshot!(format!("delete_partner_{w}x{h}"), screen(&dana));
    }
    // Esc keeps it.
    key(&mut dana, KeyCode::Esc);
    assert_eq!(dana.ws, original);
    key(&mut dana, KeyCode::Char('O'));
    key(&mut dana, KeyCode::Down);
    key(&mut dana, KeyCode::Char('d'));
    key(&mut dana, KeyCode::Char('y'));
    assert!(dana.ws.partner("brightwater-mechanical").is_none());
    assert!(
        dana.ws
            .needs
            .iter()
            .all(|n| n.partner != "brightwater-mechanical")
    );
    assert!(dana.ws.mappings.iter().all(|m| m.need != "N3"));
    // The competencies stay; one u brings back the partner, its needs and mappings.
    assert_eq!(dana.ws.competencies, original.competencies);
    key(&mut dana, KeyCode::Char('u'));
    assert_eq!(dana.ws, original);
    // A partner cannot delete partners.
    let mut s = session(&hub, sam(), 120, 40);
    key(&mut s, KeyCode::Char('O'));
    key(&mut s, KeyCode::Char('d'));
    key(&mut s, KeyCode::Char('y'));
    assert!(s.status.error, "{:?}", s.status);
    assert_eq!(s.ws, original);
}

/// A partner that has signed off is deleted with its sign-offs in the same one step (a file
/// cannot keep a sign-off of a partner it no longer lists), and one u brings them back.
#[test]
fn deleting_a_partner_that_signed_off_takes_its_sign_off_and_undo_brings_it_back() {
    let hub = hub("retrofit-gaps.yaml");
    let mut dana = session(&hub, Actor::designer("Dana"), 120, 40);
    // The selected need (N1) is Coastline's: record a sign-off given in the room.
    keys(&mut dana, "S");
    key(&mut dana, KeyCode::Tab);
    keys(&mut dana, "Rosa Diaz");
    key(&mut dana, KeyCode::Enter);
    assert_eq!(dana.ws.sign_offs.len(), 1, "{:?}", dana.status);
    let original = dana.ws.clone();
    key(&mut dana, KeyCode::Char('O'));
    key(&mut dana, KeyCode::Char('d'));
    key(&mut dana, KeyCode::Char('y'));
    assert!(!dana.status.error, "{:?}", dana.status);
    assert!(dana.ws.partner("coastline-energy").is_none());
    assert!(dana.ws.sign_offs.is_empty());
    let findings = microcred::model::validate::workspace(&dana.ws, &dana.catalog);
    assert!(findings.iter().all(|f| f.warning), "{findings:?}");
    key(&mut dana, KeyCode::Char('u'));
    assert_eq!(dana.ws, original);
}
