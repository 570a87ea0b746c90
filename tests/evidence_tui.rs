//! Freshness of evidence in the editor (issue 19, item 6): a need whose newest supporting
//! posting is older than the review period is listed in the gap panes, and Enter on it selects
//! the need.

mod common;

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
