//! Freshness of evidence in the editor (issue 19, item 6): a need whose newest supporting
//! posting is older than the review period is listed in the gap panes, and Enter on it selects
//! the need.

use crate::common;

use crossterm::event::KeyCode;
use microcred::document::Hub;
use microcred::edit::Actor;
use microcred::model::{Mention, Posting};

use common::screen::{example, key, keys, screen, session};

fn posting(id: &str, date: &str, competency: &str) -> Posting {
    Posting {
        id: id.into(),
        title: format!("Posting {id}"),
        source: Some("a job board".into()),
        date: Some(date.into()),
        partner: None,
        sha256: "a".repeat(64),
        text: "Calculate heating loads room by room.".into(),
        mentions: vec![Mention {
            competency: competency.into(),
            score: 5.0,
            quotes: vec!["Calculate heating loads room by room.".into()],
        }],
    }
}

#[test]
fn needs_with_old_evidence_are_flagged_and_enter_selects_them() {
    let (mut ws, cat) = example("retrofit-gaps.yaml");
    // N3 maps to BR-HVAC-01: its only posting is from 2024, older than 12 months before the
    // screen tests' clock (2026-11-28). N1's competency has a recent posting.
    ws.postings
        .push(posting("P1", "2024-05-01", "building-retrofit:BR-HVAC-01"));
    ws.postings.push(posting(
        "P2",
        "2026-10-01",
        "building-retrofit:BR-ASSESS-01",
    ));
    let hub = Hub::new(ws, cat, None);
    let mut dee = session(&hub, Actor::designer("dee"), 120, 40);
    // The gap pane zoomed (3, then +): every line is visible.
    key(&mut dee, KeyCode::Char('3'));
    keys(&mut dee, "+");
    let s = screen(&dee);
    assert!(s.contains("Stale evidence (1)"), "{s}");
    assert!(
        s.contains("N3 newest posting 2024-05-01 (before 2025-11-28)"),
        "{s}"
    );
    assert!(!s.contains("N1 newest posting"), "{s}");
    // Enter on the line selects the need.
    let at = dee
        .gap_lines
        .iter()
        .position(|l| l.section == "Stale evidence")
        .expect("the line");
    dee.gap_sel = at;
    key(&mut dee, KeyCode::Enter);
    assert_eq!(dee.selected_need().map(|n| n.id.as_str()), Some("N3"));
    // A shorter review period in the credential flags nothing new; a longer one clears it.
    let mut c = hub.snapshot().ws.credential.clone();
    c.evidence_review_months = Some(36);
    hub.apply(
        &Actor::designer("dee"),
        microcred::edit::Op::SetCredential {
            credential: Box::new(c),
        },
    )
    .unwrap();
    dee.sync();
    assert!(!screen(&dee).contains("Stale evidence"), "{}", screen(&dee));
}

/// A designer's session on the example with postings and a closed vote.
fn evidence_session(w: u16, h: u16) -> (std::sync::Arc<Hub>, microcred::tui::app::App) {
    let hub = common::screen::hub("retrofit-evidence.yaml");
    let app = session(&hub, Actor::designer("dee"), w, h);
    (hub, app)
}

/// A session of Sam, a reviewer for Brightwater Mechanical, at 120×40.
fn sam_of_brightwater(hub: &std::sync::Arc<Hub>) -> microcred::tui::app::App {
    let sam = Actor {
        name: "sam".into(),
        role: microcred::edit::Role::Partner("brightwater-mechanical".into()),
    };
    session(hub, sam, 120, 40)
}

#[test]
fn needs_show_their_support_and_the_gauge_can_weight_by_it() {
    let (hub, mut dee) = evidence_session(120, 40);
    let s = screen(&dee);
    insta::assert_snapshot!("evidence_main_screen", s);
    assert!(s.contains("Needs (10) · 2·5: partners·postings"), "{s}");
    // N5 is backed by three partners and five postings.
    assert!(s.contains(" SHLD  3·5   N5 Air seal"), "{s}");
    // The mappings pane says what backs the selected need, and each competency's postings
    // (focused: the needs pane gives it back the columns it takes for its statements).
    keys(&mut dee, "2");
    let m = screen(&dee);
    assert!(m.contains("Mappings of N1 · 2 partners · 1 posting"), "{m}");
    assert!(m.contains("required 3 · target 3 · 1 posting"), "{m}");
    keys(&mut dee, "1");
    let snap = hub.snapshot();
    let support = microcred::analysis::support::support(&snap.ws, &snap.report);
    assert!(s.contains(&format!(
        "coverage {:.1}% (weighted)",
        snap.report.coverage_percent
    )));
    // W switches the gauge to evidence weighting, and back.
    keys(&mut dee, "W");
    let s = screen(&dee);
    assert!(
        s.contains(&format!(
            "coverage {:.1}% (by evidence)",
            support.evidence_coverage_percent
        )),
        "{s}"
    );
    assert_ne!(
        format!("{:.1}", support.evidence_coverage_percent),
        format!("{:.1}", snap.report.coverage_percent)
    );
    keys(&mut dee, "W");
    assert!(screen(&dee).contains("(weighted)"));
}

#[test]
fn a_design_without_evidence_looks_as_before() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let dee = session(&hub, Actor::designer("dee"), 120, 40);
    let s = screen(&dee);
    assert!(s.contains("Needs (10) · ● covered ◐ partial"), "{s}");
    assert!(s.contains(" ● MUST  N1 Technicians"), "{s}");
    assert!(!s.contains("partners·postings"), "{s}");
    assert!(!s.contains("posting"), "{s}");
}

#[test]
fn the_demand_view_lists_what_postings_ask_for_and_makes_a_need_in_one_key() {
    let (hub, mut dee) = evidence_session(120, 40);
    keys(&mut dee, "D");
    let s = screen(&dee);
    insta::assert_snapshot!("demand_view", s);
    assert!(s.contains("15 job postings"), "{s}");
    // Only what is in demand and not in the design.
    keys(&mut dee, "u");
    let s = screen(&dee);
    insta::assert_snapshot!("demand_view_uncovered", s);
    let before = hub.snapshot();
    let sheet = microcred::tui::demand::DemandSheet::new(&before.ws, &before.report);
    let first = sheet.demand.uncovered[0].clone();
    // One key: a need, mapped to it (proposed), and the competency in the credential.
    keys(&mut dee, "n");
    let after = hub.snapshot();
    assert_eq!(after.ws.needs.len(), before.ws.needs.len() + 1);
    let need = after.ws.needs.last().unwrap();
    let i = after.ws.mapping_index(&need.id, &first).expect("mapped");
    assert_eq!(
        after.ws.mappings[i].status,
        microcred::model::MappingStatus::Proposed
    );
    assert!(after.ws.competency(&first).is_some());
    assert!(
        dee.status.text.contains(&format!("Added need {}", need.id)),
        "{}",
        dee.status.text
    );
    // The view is closed on the new need, selected in the needs pane.
    assert!(dee.front().is_none());
    assert_eq!(
        dee.selected_need().map(|n| n.id.clone()),
        Some(need.id.clone())
    );
    // It has left the "not in the design" list; one undo takes it all back.
    let sheet = microcred::tui::demand::DemandSheet::new(&after.ws, &after.report);
    assert!(!sheet.demand.uncovered.contains(&first));
    keys(&mut dee, "u");
    let undone = hub.snapshot();
    assert_eq!(undone.ws.needs.len(), before.ws.needs.len());
    assert!(undone.ws.competency(&first).is_none());
}

#[test]
fn enter_goes_to_the_covering_need_and_partners_cannot_add_needs_from_demand() {
    let (hub, mut dee) = evidence_session(120, 40);
    keys(&mut dee, "D");
    // The first row (most postings) is covered: Enter selects a need that covers it.
    let snap = hub.snapshot();
    let sheet = microcred::tui::demand::DemandSheet::new(&snap.ws, &snap.report);
    let first = &sheet.demand.competencies[0];
    assert!(first.covered);
    key(&mut dee, KeyCode::Enter);
    assert!(dee.front().is_none());
    assert_eq!(
        dee.selected_need().map(|n| n.id.clone()),
        Some(sheet.covering[0][0].clone())
    );
    // A partner reads the demand but cannot turn it into needs.
    let mut sam = sam_of_brightwater(&hub);
    keys(&mut sam, "Du");
    let s = screen(&sam);
    assert!(s.contains("No need covers it yet."), "{s}");
    assert!(!s.contains("makes it a need"), "{s}");
    let n = hub.snapshot().ws.needs.len();
    keys(&mut sam, "n");
    assert_eq!(hub.snapshot().ws.needs.len(), n);
    assert!(sam.status.error, "{}", sam.status.text);
}

#[test]
fn the_demand_view_fits_a_projector_at_80_by_24() {
    let (_hub, mut dee) = evidence_session(80, 24);
    keys(&mut dee, "D");
    insta::assert_snapshot!("demand_view_80x24", screen(&dee));
}

#[test]
fn postings_are_added_from_the_editor_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.yaml");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/retrofit-gaps.yaml"),
        &path,
    )
    .unwrap();
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, Some(path.clone()));
    let mut dee = session(&hub, Actor::designer("dee"), 120, 40);
    let postings = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/evidence/postings");
    keys(&mut dee, "D");
    assert!(screen(&dee).contains("No job postings yet."));
    keys(&mut dee, "a");
    let s = screen(&dee);
    assert!(s.contains("Add job postings as evidence"), "{s}");
    // The path, then the partner (a choice: → picks the first partner), then the date.
    keys(&mut dee, postings);
    key(&mut dee, KeyCode::Tab);
    key(&mut dee, KeyCode::Tab);
    key(&mut dee, KeyCode::Right);
    key(&mut dee, KeyCode::Tab);
    for _ in 0..10 {
        key(&mut dee, KeyCode::Backspace);
    }
    keys(&mut dee, "2026-10-01");
    let effect = dee.handle(crossterm::event::Event::Key(
        crossterm::event::KeyEvent::new(KeyCode::Enter, crossterm::event::KeyModifiers::NONE),
    ));
    struct Local;
    impl microcred::tui::Host for Local {
        fn save(
            &mut self,
            app: &microcred::tui::app::App,
            p: &std::path::Path,
        ) -> Result<std::path::PathBuf, String> {
            app.hub.save(Some(p)).map_err(|e| e.to_string())
        }
        fn may_export(&self, _: &microcred::tui::app::App) -> Result<(), String> {
            Ok(())
        }
        fn may_read_files(&self, _: &microcred::tui::app::App) -> Result<(), String> {
            Ok(())
        }
    }
    microcred::tui::carry_out(&mut dee, effect, &mut Local);
    assert!(dee.postings_job.is_some(), "{}", dee.status.text);
    // The session keeps working while the postings are read.
    key(&mut dee, KeyCode::Esc);
    keys(&mut dee, "j");
    assert_eq!(dee.need_sel, 1);
    let start = std::time::Instant::now();
    while dee.postings_job.is_some() && start.elapsed() < std::time::Duration::from_secs(120) {
        dee.sync();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let ws = hub.snapshot().ws;
    assert_eq!(ws.postings.len(), 30, "{}", dee.status.text);
    assert!(
        dee.status.text.starts_with("Added 30 posting(s)"),
        "{}",
        dee.status.text
    );
    let partner = ws.partners[0].id.clone();
    assert!(
        ws.postings
            .iter()
            .all(|p| p.partner.as_deref() == Some(partner.as_str())
                && p.date.as_deref() == Some("2026-10-01"))
    );
    assert!(ws.postings.iter().any(|p| !p.mentions.is_empty()));
    // Adding the same folder again adds nothing.
    dee.start_postings(microcred::tui::app::PostingRequest {
        path: postings.into(),
        column: None,
        partner: None,
        date: None,
        source: None,
    });
    while dee.postings_job.is_some() {
        dee.sync();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        dee.status.text.contains("already in the design"),
        "{}",
        dee.status.text
    );
    assert_eq!(hub.snapshot().ws.postings.len(), 30);
}

#[test]
fn a_hostile_posting_file_is_refused_with_its_location_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(
        &bad,
        "Heat pump installer\nSize heat \u{7}pumps room by room.\n",
    )
    .unwrap();
    let (hub, mut dee) = evidence_session(120, 40);
    let before = hub.snapshot().version;
    for path in [bad.clone(), dir.path().join("missing.txt")] {
        dee.start_postings(microcred::tui::app::PostingRequest {
            path,
            column: None,
            partner: None,
            date: None,
            source: None,
        });
        while dee.postings_job.is_some() {
            dee.sync();
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(dee.status.error, "{}", dee.status.text);
        assert!(
            dee.status.text.starts_with("Postings not added: "),
            "{}",
            dee.status.text
        );
    }
    assert_eq!(hub.snapshot().version, before);
    // The first was located: file, line and column of the control character.
    dee.start_postings(microcred::tui::app::PostingRequest {
        path: bad.clone(),
        column: None,
        partner: None,
        date: None,
        source: None,
    });
    while dee.postings_job.is_some() {
        dee.sync();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        dee.status.text.contains(&format!(
            "{}:2:11: the posting holds the control character U+0007",
            bad.display()
        )),
        "{}",
        dee.status.text
    );
    // Partners and viewers read the demand but do not add postings.
    let mut sam = sam_of_brightwater(&hub);
    keys(&mut sam, "Da");
    assert!(sam.status.error, "{}", sam.status.text);
    assert!(!screen(&sam).contains("Add job postings as evidence"));
}

#[test]
fn a_designer_over_ssh_is_told_to_add_postings_on_the_server() {
    let (_hub, mut dee) = evidence_session(120, 40);
    dee = dee.with_session(microcred::tui::app::SessionOptions {
        key: Some("SHA256:abc".into()),
        ..Default::default()
    });
    keys(&mut dee, "Da");
    assert!(dee.status.error, "{}", dee.status.text);
    assert!(
        dee.status
            .text
            .contains("add postings there with `microcred evidence add"),
        "{}",
        dee.status.text
    );
    assert!(!screen(&dee).contains("Add job postings as evidence"));
}
