//! Dot voting in the workshop (issue 19, item 5): a designer opens a vote over the needs,
//! partners place their organisation's dots from their own screens, everyone sees the tally
//! (or only their own dots while it is hidden), the designer closes it and sets priorities
//! from the result in one step; viewers cannot vote.

mod common;

use std::sync::Arc;

use crossterm::event::KeyCode;
use microcred::document::Hub;
use microcred::edit::{Actor, Op, Role};
use microcred::model::*;

use common::screen::{example, key, keys, screen, session};

fn partner(name: &str, org: &str) -> Actor {
    Actor {
        name: name.into(),
        role: Role::Partner(org.into()),
    }
}

fn viewer() -> Actor {
    Actor {
        name: "val".into(),
        role: Role::Viewer,
    }
}

fn last_vote(hub: &Arc<Hub>) -> Vote {
    hub.snapshot().ws.votes.last().cloned().expect("a vote")
}

/// Open a vote with the form's defaults (3 dots, all needs, tally shown), or hidden.
fn open_vote(hub: &Arc<Hub>, hidden: bool) -> microcred::tui::app::App {
    let mut dee = session(hub, Actor::designer("dee"), 120, 40);
    keys(&mut dee, "V");
    keys(&mut dee, "o");
    if hidden {
        // Vote on, dots, scope, then the tally.
        key(&mut dee, KeyCode::Tab);
        key(&mut dee, KeyCode::Tab);
        key(&mut dee, KeyCode::Tab);
        key(&mut dee, KeyCode::Right);
    }
    key(&mut dee, KeyCode::Enter);
    assert!(!dee.status.error, "{}", dee.status.text);
    dee
}

#[test]
fn two_partners_vote_everyone_sees_the_tally_and_the_designer_sets_priorities() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let mut dee = open_vote(&hub, false);
    let v = last_vote(&hub);
    assert_eq!((v.dots, v.hidden, v.partner.as_deref()), (3, false, None));
    assert!(v.is_open());
    assert_eq!(v.opened_by, "dee");

    // Coastline places all three dots on its first need (N1, the first row) and is refused
    // a fourth, with the reason.
    let mut cam = session(&hub, partner("cam@coastline", "coastline-energy"), 120, 40);
    keys(&mut cam, "V+++");
    keys(&mut cam, "+");
    assert!(cam.status.error, "{}", cam.status.text);
    assert!(
        cam.status.text.contains("placed all 3 of its dots"),
        "{}",
        cam.status.text
    );
    // Brightwater spreads its dots: two on N1, one on the next need.
    let mut bo = session(
        &hub,
        partner("bo@brightwater", "brightwater-mechanical"),
        120,
        40,
    );
    keys(&mut bo, "V++j+");
    let v = last_vote(&hub);
    assert_eq!(v.ballots.len(), 6);
    assert_eq!(v.dots_of("coastline-energy"), 3);
    assert!(
        v.ballots
            .iter()
            .filter(|d| d.partner == "brightwater-mechanical")
            .all(|d| d.person == "bo@brightwater")
    );
    // Taking a dot back and placing it again.
    keys(&mut bo, "-");
    assert_eq!(last_vote(&hub).ballots.len(), 5);
    keys(&mut bo, "+");

    for app in [&mut dee, &mut cam, &mut bo] {
        app.sync();
    }
    let mut val = session(&hub, viewer(), 120, 40);
    keys(&mut val, "V");
    insta::assert_snapshot!("vote_designer_open", screen(&dee));
    insta::assert_snapshot!("vote_partner_open", screen(&bo));
    insta::assert_snapshot!("vote_viewer_open", screen(&val));
    assert!(screen(&val).contains("N1"));
    assert!(screen(&cam).contains("You vote for coastline-energy: 0 of 3 dots left."));

    // A partner cannot close the vote; the designer can.
    keys(&mut cam, "c");
    assert!(cam.status.error);
    assert!(last_vote(&hub).is_open());
    keys(&mut dee, "c");
    let v = last_vote(&hub);
    assert_eq!(v.closed_by.as_deref(), Some("dee"));
    assert!(!v.is_open());
    // Dots no longer change.
    cam.sync();
    keys(&mut cam, "-");
    assert!(cam.status.text.contains("closed"), "{}", cam.status.text);
    assert_eq!(last_vote(&hub).ballots.len(), 6);

    let s = screen(&dee);
    insta::assert_snapshot!("vote_designer_closed", s);
    assert!(s.contains("CLOSED by dee"), "{s}");
    assert!(
        s.contains("priority change(s) proposed from the result"),
        "{s}"
    );
    // The result proposes priorities; yes applies them as one step.
    let before: Vec<Priority> = hub.snapshot().ws.needs.iter().map(|n| n.priority).collect();
    keys(&mut dee, "p");
    insta::assert_snapshot!("vote_priorities_question", screen(&dee));
    keys(&mut dee, "y");
    let ws = hub.snapshot().ws.clone();
    let tally = microcred::model::vote::Tally::new(ws.votes.last().unwrap());
    assert_eq!(tally.on("N1"), 5);
    assert_eq!(ws.need("N1").unwrap().priority, Priority::Must);
    for n in &ws.needs {
        let want = microcred::model::vote::priority_for(tally.on(&n.id), tally.max).unwrap();
        assert_eq!(n.priority, want, "{}", n.id);
    }
    assert!(microcred::model::vote::proposed_priorities(&ws, &tally).is_empty());
    // One undo takes every priority back.
    keys(&mut dee, "u");
    let after: Vec<Priority> = hub.snapshot().ws.needs.iter().map(|n| n.priority).collect();
    assert_eq!(after, before);
}

#[test]
fn a_hidden_tally_shows_partners_only_their_own_dots_until_closed() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let mut dee = open_vote(&hub, true);
    assert!(last_vote(&hub).hidden);
    let mut cam = session(&hub, partner("cam@coastline", "coastline-energy"), 120, 40);
    keys(&mut cam, "V+");
    let mut bo = session(
        &hub,
        partner("bo@brightwater", "brightwater-mechanical"),
        120,
        40,
    );
    keys(&mut bo, "V++");
    cam.sync();
    let s = screen(&cam);
    insta::assert_snapshot!("vote_partner_hidden", s);
    assert!(s.contains("The tally is hidden until the vote closes: 3 dots cast so far"));
    // Cam sees one dot on N1 (its own), not Brightwater's two.
    let n1 = s.lines().find(|l| l.contains("│N1        ")).unwrap();
    assert!(n1.contains("●··") && n1.contains("1 yours"), "{n1}");
    // Hidden from the designer too (their screen may be on the projector): they see the
    // dots of the partner they place dots for (Coastline, the first), and the count.
    dee.sync();
    let s = screen(&dee);
    assert!(s.contains("3 dots cast so far"), "{s}");
    let n1 = s.lines().find(|l| l.contains("│N1        ")).unwrap();
    assert!(n1.contains("●··") && n1.contains("1 yours"), "{n1}");
    // After closing, everyone sees the tally.
    keys(&mut dee, "c");
    cam.sync();
    let s = screen(&cam);
    assert!(!s.contains("hidden until the vote closes:"));
    let n1 = s.lines().find(|l| l.contains("│N1        ")).unwrap();
    assert!(n1.contains("●●●") && n1.contains("3 (yours 1)"), "{n1}");
}

#[test]
fn viewers_cannot_vote_and_partners_cannot_open_a_vote() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let _dee = open_vote(&hub, false);
    let mut val = session(&hub, viewer(), 120, 40);
    keys(&mut val, "V+");
    assert!(val.status.error);
    assert!(
        val.status
            .text
            .contains("Viewers follow the design and the vote but cannot vote"),
        "{}",
        val.status.text
    );
    assert!(last_vote(&hub).ballots.is_empty());
    // Nor through apply, whatever the screen does.
    let err = hub
        .apply(
            &viewer(),
            Op::PlaceDot {
                dot: Dot {
                    need: "N1".into(),
                    competency: None,
                    partner: "coastline-energy".into(),
                    person: "val".into(),
                    at: "2026-11-30T10:00:00Z".into(),
                },
                at: None,
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("cannot vote"), "{err}");
    // A partner's o opens nothing; their dots are their own organisation's only.
    let mut cam = session(&hub, partner("cam@coastline", "coastline-energy"), 120, 40);
    keys(&mut cam, "Vo");
    assert!(cam.status.error);
    assert!(matches!(
        cam.modal,
        Some(microcred::tui::app::Modal::Vote(_))
    ));
    let err = hub
        .apply(
            &partner("cam@coastline", "coastline-energy"),
            Op::PlaceDot {
                dot: Dot {
                    need: "N1".into(),
                    competency: None,
                    partner: "brightwater-mechanical".into(),
                    person: "cam".into(),
                    at: "2026-11-30T10:00:00Z".into(),
                },
                at: None,
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("own organisation's dots"), "{err}");
    let err = hub
        .apply(
            &partner("cam@coastline", "coastline-energy"),
            Op::SetVoteClosed {
                closed_by: Some("cam".into()),
                closed_at: Some("2026-11-30T10:00:00Z".into()),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("only designers"), "{err}");
}

#[test]
fn a_designer_places_dots_for_a_partner_in_the_room() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let mut dee = open_vote(&hub, false);
    // The first partner by default; f moves to the next.
    keys(&mut dee, "+f+");
    let v = last_vote(&hub);
    let who: Vec<(&str, &str)> = v
        .ballots
        .iter()
        .map(|d| (d.partner.as_str(), d.person.as_str()))
        .collect();
    assert_eq!(
        who,
        [
            ("coastline-energy", "dee"),
            ("brightwater-mechanical", "dee")
        ]
    );
    // A second vote cannot open while this one is.
    keys(&mut dee, "o");
    assert!(dee.status.error, "{}", dee.status.text);
    assert_eq!(hub.snapshot().ws.votes.len(), 1);
}

#[test]
fn votes_are_kept_in_the_file_and_its_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.yaml");
    let (ws, cat) = example("retrofit-gaps.yaml");
    std::fs::write(&path, microcred::document::workspace_to_string(&ws)).unwrap();
    let hub = Hub::new(ws, cat.clone(), Some(path.clone()));
    let _dee = open_vote(&hub, true);
    let mut cam = session(&hub, partner("cam@coastline", "coastline-energy"), 120, 40);
    keys(&mut cam, "V+j+");
    hub.save(None).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("votes:"), "{text}");
    assert!(text.contains("hidden: true"));
    assert!(text.contains("person: cam@coastline"));
    let back = microcred::document::load_workspace(&path, &cat)
        .unwrap()
        .workspace;
    assert_eq!(back.votes, hub.snapshot().ws.votes);
}

#[test]
fn a_file_with_a_bad_vote_is_refused_with_its_place() {
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let head = "schema: microcred/workspace@1\npartners:\n  - { id: acme, name: Acme, kind: industry }\nneeds:\n  - { id: N1, partner: acme, statement: Do it, priority: must }\n";
    let vote = |dots: u32, closed: &str, ballots: usize| {
        let mut v = format!(
            "  - opened_by: dee\n    opened_at: \"2026-11-30T10:00:00Z\"\n    dots: {dots}\n{closed}"
        );
        if ballots > 0 {
            v.push_str("    ballots:\n");
            for _ in 0..ballots {
                v.push_str(
                    "      - { need: N1, partner: acme, person: ann, at: \"2026-11-30T10:01:00Z\" }\n",
                );
            }
        }
        v
    };
    let closed = "    closed_at: \"2026-11-30T11:00:00Z\"\n";
    for (text, want) in [
        (
            format!("{head}votes:\n{}", vote(0, "", 0)),
            ("w.yaml:9:", "1 to 20 dots, not 0"),
        ),
        (
            format!("{head}votes:\n{}{}", vote(3, "", 0), vote(3, "", 0)),
            ("w.yaml:7:", "only the last vote can be open"),
        ),
        (
            format!("{head}votes:\n{}", vote(1, closed, 2)),
            ("w.yaml:13:", "more than the vote's 1 dots"),
        ),
    ] {
        let err = microcred::document::workspace_from_str(&text, "w.yaml", &cat)
            .err()
            .unwrap_or_else(|| panic!("accepted:\n{text}"))
            .to_string();
        assert!(
            err.contains(want.0) && err.contains(want.1),
            "{err}\n{text}"
        );
    }
    // A valid closed vote loads.
    let ok = format!("{head}votes:\n{}", vote(3, closed, 2));
    let ws = microcred::document::workspace_from_str(&ok, "w.yaml", &cat)
        .unwrap()
        .workspace;
    assert_eq!(ws.votes[0].ballots.len(), 2);
}
