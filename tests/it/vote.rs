//! Dot voting in the workshop (issue 19, item 5): a designer opens a vote over the needs,
//! partners place their organisation's dots from their own screens, everyone sees the tally
//! (or only their own dots while it is hidden), the designer closes it and sets priorities
//! from the result in one step; viewers cannot vote.

use crate::common;

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
        cam.front(),
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

// ----- votes over candidate competencies ---------------------------------------------------

/// The retrofit design with 15 job postings (copied from `examples/retrofit-evidence.yaml`):
/// its 10 credential competencies and the 10 in demand that no need covers are the candidates.
fn evidence() -> (Workspace, Arc<microcred::catalog::Catalog>) {
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-evidence.yaml");
    let ws = microcred::document::load_workspace(&path, &cat)
        .unwrap()
        .workspace;
    (ws, Arc::new(cat))
}

/// Open a vote over candidate competencies with the form (Vote on: the second choice).
fn open_competency_vote(hub: &Arc<Hub>) -> microcred::tui::app::App {
    let mut dee = session(hub, Actor::designer("dee"), 120, 40);
    keys(&mut dee, "Vo");
    key(&mut dee, KeyCode::Right);
    key(&mut dee, KeyCode::Enter);
    assert!(!dee.status.error, "{}", dee.status.text);
    dee
}

const ASSESS_04: &str = "building-retrofit:BR-ASSESS-04";
const ELEC_01: &str = "building-retrofit:BR-ELEC-01";
const SCI_03: &str = "building-retrofit:BR-SCI-03";

#[test]
fn partners_vote_on_candidates_and_the_result_adds_needs_in_one_step() {
    let (ws, cat) = evidence();
    let needs_before = ws.needs.len();
    let hub = Hub::new(ws, cat, None);
    let mut dee = open_competency_vote(&hub);
    let v = last_vote(&hub);
    assert_eq!(v.over, VoteOver::Competencies);
    assert_eq!(v.partner, None);
    // The credential's ten, then the ten in demand no need covers, fixed as the vote opens.
    assert_eq!(v.candidates.len(), 20);
    assert_eq!(v.candidates[0], "building-retrofit:BR-ASSESS-01");
    assert_eq!(
        (v.candidates[8].as_str(), v.candidates[10].as_str()),
        (SCI_03, ASSESS_04)
    );
    assert_eq!(v.candidates[11], ELEC_01);
    assert!(
        dee.status
            .text
            .contains("Opened a vote over 20 candidate competencies, 3 dots per partner"),
        "{}",
        dee.status.text
    );

    // Coastline: all three dots on BR-ASSESS-04 (row 11).
    let mut cam = session(&hub, partner("cam@coastline", "coastline-energy"), 120, 40);
    keys(&mut cam, "Vjjjjjjjjjj+++");
    // Brightwater: two on BR-ELEC-01, one on BR-SCI-03.
    let mut bo = session(
        &hub,
        partner("bo@brightwater", "brightwater-mechanical"),
        120,
        40,
    );
    keys(&mut bo, "Vjjjjjjjjjjj++kkk+");
    // The designer places two for Harbourview (in the room) on BR-ELEC-01: a tie with
    // Brightwater, which comes first among the partners.
    keys(&mut dee, "ffjjjjjjjjjjj++");
    assert!(!dee.status.error, "{}", dee.status.text);
    let v = last_vote(&hub);
    let on: Vec<(&str, &str)> = v
        .ballots
        .iter()
        .map(|d| (d.partner.as_str(), d.target()))
        .collect();
    assert_eq!(
        on,
        [
            ("coastline-energy", ASSESS_04),
            ("coastline-energy", ASSESS_04),
            ("coastline-energy", ASSESS_04),
            ("brightwater-mechanical", ELEC_01),
            ("brightwater-mechanical", ELEC_01),
            ("brightwater-mechanical", SCI_03),
            ("harbourview-poly", ELEC_01),
            ("harbourview-poly", ELEC_01),
        ]
    );
    assert!(v.ballots.iter().all(|d| d.need.is_empty()));
    // Taking one back and placing it again.
    keys(&mut bo, "-");
    assert_eq!(last_vote(&hub).ballots.len(), 7);
    keys(&mut bo, "+");
    let tally = microcred::model::vote::Tally::new(&last_vote(&hub));
    assert_eq!(
        (tally.on(ASSESS_04), tally.on(ELEC_01), tally.on(SCI_03)),
        (3, 4, 1)
    );
    assert_eq!(tally.on_by(ELEC_01, "harbourview-poly"), 2);

    for app in [&mut dee, &mut cam, &mut bo] {
        app.sync();
    }
    let s = screen(&dee);
    insta::assert_snapshot!("vote_competencies_designer_open", s);
    assert!(
        s.contains(
            "3 dots per partner · 20 candidates · tally shown live · 8 dots from 3 partner(s)"
        ),
        "{s}"
    );
    assert!(s.contains("Model building energy use"), "{s}");
    assert!(screen(&cam).contains("You vote for coastline-energy: 0 of 3 dots left."));

    // Close; the closed view lists candidates no partner voted for as such.
    keys(&mut dee, "c");
    assert!(
        dee.status.text.contains("2 candidate(s) proposed as needs"),
        "{}",
        dee.status.text
    );
    let s = screen(&dee);
    insta::assert_snapshot!("vote_competencies_designer_closed", s);
    assert!(s.contains("17 candidate(s) got no dots"), "{s}");
    assert!(s.contains("no dots"), "{s}");

    // p asks, listing each new need; yes adds them all as one step.
    keys(&mut dee, "p");
    let s = screen(&dee);
    insta::assert_snapshot!("vote_competencies_needs_question", s);
    assert!(s.contains("Turn voted competencies into needs"), "{s}");
    keys(&mut dee, "y");
    assert!(!dee.status.error, "{}", dee.status.text);
    let ws = hub.snapshot().ws.clone();
    assert_eq!(ws.needs.len(), needs_before + 2);
    let added: Vec<&Need> = ws.needs[needs_before..].iter().collect();
    // In the candidates' order: BR-ASSESS-04 (3 dots, all Coastline's), BR-ELEC-01 (4 dots,
    // a tie between Brightwater and Harbourview: Brightwater comes first). BR-SCI-03 has 1
    // dot, under half the top candidate's 4.
    let want = [
        (
            "coastline-energy",
            "Model building energy use",
            3,
            ASSESS_04,
        ),
        (
            "brightwater-mechanical",
            "Work safely around electrical systems",
            4,
            ELEC_01,
        ),
    ];
    for (n, (p, statement, dots, reference)) in added.iter().zip(want) {
        assert_eq!(n.partner, p);
        assert_eq!(n.statement, statement);
        assert_eq!(n.priority, Priority::Should);
        assert_eq!(
            n.evidence.as_deref(),
            Some(format!("{dots} dots in the vote of 2026-11-28").as_str())
        );
        let m = &ws.mappings[ws.mapping_index(&n.id, reference).expect("mapped")];
        assert_eq!(m.status, MappingStatus::Proposed);
        let c = ws.competency(reference).expect("in the credential");
        assert_eq!(c.target_level, 2, "the second level the framework allows");
    }
    assert!(ws.competency(SCI_03).is_some(), "already in the credential");
    assert_eq!(ws.competencies.len(), 12);
    // Now covered: nothing more to add.
    keys(&mut dee, "Vp");
    assert!(
        dee.status.text.contains("nothing to add"),
        "{}",
        dee.status.text
    );
    // One undo takes all of it back.
    key(&mut dee, KeyCode::Esc);
    keys(&mut dee, "u");
    let ws = hub.snapshot().ws.clone();
    assert_eq!(ws.needs.len(), needs_before);
    assert_eq!(ws.competencies.len(), 10);
    assert!(ws.competency(ASSESS_04).is_none());
    assert!(ws.mappings.iter().all(|m| m.competency != ASSESS_04));
}

#[test]
fn a_dot_must_fit_the_vote_it_is_placed_in() {
    let (ws, cat) = evidence();
    let hub = Hub::new(ws, cat, None);
    let _dee = open_competency_vote(&hub);
    let cam = partner("cam@coastline", "coastline-energy");
    let place = |need: &str, competency: Option<&str>| {
        hub.apply(
            &cam,
            Op::PlaceDot {
                dot: Dot {
                    need: need.into(),
                    competency: competency.map(str::to_string),
                    partner: "coastline-energy".into(),
                    person: "cam".into(),
                    at: "2026-11-30T10:00:00Z".into(),
                },
                at: None,
            },
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    };
    for (need, competency, why) in [
        ("N1", None, "over candidate competencies; name one of them"),
        (
            "",
            Some("building-retrofit:BR-HVAC-02"),
            "not one of this vote's candidate competencies",
        ),
        (
            "N1",
            Some(ASSESS_04),
            "on a need or on a competency, not both",
        ),
    ] {
        let err = place(need, competency).unwrap_err();
        assert!(err.contains(why), "{err}");
    }
    assert!(last_vote(&hub).ballots.is_empty());
    place("", Some(ASSESS_04)).unwrap();
    // Taking back a dot names the competency; one on another target is refused.
    let take = |competency: &str| {
        hub.apply(
            &cam,
            Op::RemoveDot {
                need: String::new(),
                partner: "coastline-energy".into(),
                competency: Some(competency.into()),
            },
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    };
    let err = take(ELEC_01).unwrap_err();
    assert!(err.contains(&format!("has no dot on {ELEC_01}")), "{err}");
    take(ASSESS_04).unwrap();
    assert!(last_vote(&hub).ballots.is_empty());

    // In a vote over needs, a competency cannot get a dot.
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let _dee = open_vote(&hub, false);
    let err = hub
        .apply(
            &cam,
            Op::PlaceDot {
                dot: Dot {
                    need: String::new(),
                    competency: Some(ASSESS_04.into()),
                    partner: "coastline-energy".into(),
                    person: "cam".into(),
                    at: "2026-11-30T10:00:00Z".into(),
                },
                at: None,
            },
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("over the needs, not competencies"),
        "{err}"
    );
    // A viewer cannot vote on candidates either.
    let (ws, cat) = evidence();
    let hub = Hub::new(ws, cat, None);
    let _dee = open_competency_vote(&hub);
    let mut val = session(&hub, viewer(), 120, 40);
    keys(&mut val, "V+");
    assert!(val.status.error);
    assert!(
        val.status.text.contains("cannot vote"),
        "{}",
        val.status.text
    );
    assert!(last_vote(&hub).ballots.is_empty());
}

#[test]
fn a_hidden_competency_tally_shows_partners_only_their_own_dots() {
    let (ws, cat) = evidence();
    let hub = Hub::new(ws, cat, None);
    let mut dee = session(&hub, Actor::designer("dee"), 120, 40);
    keys(&mut dee, "Vo");
    key(&mut dee, KeyCode::Right);
    for _ in 0..3 {
        key(&mut dee, KeyCode::Tab);
    }
    key(&mut dee, KeyCode::Right);
    key(&mut dee, KeyCode::Enter);
    let v = last_vote(&hub);
    assert!(v.hidden && v.over == VoteOver::Competencies);
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
    assert!(
        s.contains("3 dots cast so far; you see only your own"),
        "{s}"
    );
    let row = s
        .lines()
        .find(|l| l.contains("building-retrofit:BR-ASSESS-01"))
        .expect("the first candidate");
    assert!(row.contains("●··  1 yours"), "{row}");
    // Closed, everyone sees all three.
    keys(&mut dee, "c");
    cam.sync();
    let s = screen(&cam);
    let row = s
        .lines()
        .find(|l| l.contains("building-retrofit:BR-ASSESS-01"))
        .expect("the first candidate");
    assert!(row.contains("●●●  3"), "{row}");
}

#[test]
fn competency_votes_are_kept_in_the_file_and_old_votes_load_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.yaml");
    let (ws, cat) = evidence();
    // The fixture's closed vote over needs is in the old format: no `over`, dots with `need`.
    let old = microcred::document::workspace_to_string(&ws);
    let votes = old.split("\nvotes:\n").nth(1).expect("a votes section");
    assert!(
        !votes.contains("over:") && !votes.contains("competency:"),
        "{votes}"
    );
    assert_eq!(ws.votes[0].over, VoteOver::Needs);
    assert!(ws.votes[0].ballots.iter().all(|d| d.competency.is_none()));
    std::fs::write(&path, &old).unwrap();
    let hub = Hub::new(ws, cat.clone(), Some(path.clone()));
    let _dee = open_competency_vote(&hub);
    let mut cam = session(&hub, partner("cam@coastline", "coastline-energy"), 120, 40);
    keys(&mut cam, "V+j+");
    hub.save(None).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("over: competencies"), "{text}");
    assert!(text.contains("candidates:"), "{text}");
    assert!(
        text.contains("competency: building-retrofit:BR-ASSESS-02"),
        "{text}"
    );
    let back = microcred::document::load_workspace(&path, &cat)
        .unwrap()
        .workspace;
    assert_eq!(back.votes, hub.snapshot().ws.votes);
    // The old vote is written as it was.
    assert!(text.starts_with(old.split("  - opened_by: dee").next().unwrap()));

    // Journal entries written before competency votes still read.
    let old_ops = [
        r#"{"op":"place_dot","dot":{"need":"N1","partner":"acme","person":"ann","at":"t"}}"#,
        r#"{"op":"remove_dot","need":"N1","partner":"acme"}"#,
    ];
    for j in old_ops {
        let op: Op = serde_json::from_str(j).unwrap_or_else(|e| panic!("{j}: {e}"));
        match op {
            Op::PlaceDot { dot, .. } => {
                assert_eq!((dot.target(), dot.competency.as_deref()), ("N1", None))
            }
            Op::RemoveDot {
                need, competency, ..
            } => assert_eq!((need.as_str(), competency), ("N1", None)),
            other => panic!("{other:?}"),
        }
        // And they are written the same way again.
        let again: Op = serde_json::from_str(j).unwrap();
        assert_eq!(serde_json::to_string(&again).unwrap(), j);
    }
}

#[test]
fn a_hand_edited_competency_vote_that_does_not_fit_is_refused_with_its_place() {
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let head = "schema: microcred/workspace@1\npartners:\n  - { id: acme, name: Acme, kind: industry }\nneeds:\n  - { id: N1, partner: acme, statement: Do it, priority: must }\nvotes:\n  - opened_by: dee\n    opened_at: \"2026-11-30T10:00:00Z\"\n    dots: 3\n";
    let cands = "    over: competencies\n    candidates: [\"building-retrofit:BR-ENV-01\", \"building-retrofit:BR-ENV-02\"]\n";
    let dot = |target: &str| {
        format!(
            "    ballots:\n      - {{ {target}, partner: acme, person: ann, at: \"2026-11-30T10:01:00Z\" }}\n"
        )
    };
    for (text, want) in [
        (
            format!("{head}{cands}{}", dot("need: N1")),
            ("w.yaml:13:", "names no competency"),
        ),
        (
            format!(
                "{head}{cands}{}",
                dot("competency: \"building-retrofit:BR-HVAC-01\"")
            ),
            ("w.yaml:13:", "not one of the vote's candidates"),
        ),
        (
            format!(
                "{head}{}",
                dot("competency: \"building-retrofit:BR-ENV-01\"")
            ),
            (
                "w.yaml:11:",
                "a dot on a competency in a vote over the needs",
            ),
        ),
        (
            format!(
                "{head}{cands}{}",
                dot("need: N1, competency: \"building-retrofit:BR-ENV-01\"")
            ),
            ("w.yaml:13:", "not both"),
        ),
        (
            format!(
                "{head}    over: competencies\n    candidates: [\"building-retrofit:BR-ENV-01\", \"building-retrofit:BR-ENV-01\"]\n"
            ),
            ("w.yaml:11:", "listed twice"),
        ),
        (
            format!("{head}    over: competencies\n"),
            ("w.yaml:10:", "lists no candidates"),
        ),
        (
            format!("{head}    partner: acme\n{cands}"),
            ("w.yaml:10:", "not limited to one partner's needs"),
        ),
        (
            format!("{head}    candidates: [\"building-retrofit:BR-ENV-01\"]\n"),
            ("w.yaml:10:", "lists no candidate competencies"),
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
    let ok = format!(
        "{head}{cands}{}",
        dot("competency: \"building-retrofit:BR-ENV-02\"")
    );
    let ws = microcred::document::workspace_from_str(&ok, "w.yaml", &cat)
        .unwrap()
        .workspace;
    let v = &ws.votes[0];
    assert_eq!(v.ballots[0].target(), "building-retrofit:BR-ENV-02");
    let t = microcred::model::vote::Tally::new(v);
    assert_eq!((t.on("building-retrofit:BR-ENV-02"), t.on("N1")), (1, 0));
}

/// Issue 25, point 7: applying the result names the partners that did not vote, and when
/// fewer than half of them voted and a must need would be lowered, it asks with "leave them"
/// chosen (Enter keeps the priorities; y still sets them).
#[test]
fn applying_a_vote_few_partners_placed_names_who_did_not_vote_and_asks_before_lowering_musts() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let mut dee = open_vote(&hub, false);
    // Only Coastline votes: three dots on its first need.
    let mut cam = session(&hub, partner("cam@coastline", "coastline-energy"), 120, 40);
    keys(&mut cam, "V+++");
    dee.sync();
    keys(&mut dee, "c");
    let before: Vec<Priority> = hub.snapshot().ws.needs.iter().map(|n| n.priority).collect();
    keys(&mut dee, "p");
    let s = screen(&dee);
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Did not vote: Brightwater Mechanical,"),
        "{s}"
    );
    assert!(flat.contains("Only 1 of 3 partners voted"), "{s}");
    assert!(flat.contains("anyway"), "{s}");
    // Enter answers the chosen "leave them": nothing changes.
    key(&mut dee, KeyCode::Enter);
    let after: Vec<Priority> = hub.snapshot().ws.needs.iter().map(|n| n.priority).collect();
    assert_eq!(after, before);
    // Asked again, y sets them.
    keys(&mut dee, "Vp");
    keys(&mut dee, "y");
    let after: Vec<Priority> = hub.snapshot().ws.needs.iter().map(|n| n.priority).collect();
    assert_ne!(after, before);
}
