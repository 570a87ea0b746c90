//! The gap panes' Outcomes section: its lines (snapshot), Enter opening the competency's form
//! on its outcome field, and a better outcome clearing its findings at once.

use std::path::PathBuf;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use microcred::edit::Actor;
use microcred::tui::app::{App, Modal};
use microcred::tui::layout::Focus;
use microcred::tui::theme::{Theme, ThemeKind};

use crate::common;

use common::screen::{example, screen};

fn app(w: u16, h: u16) -> App {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let mut app = App::new(
        ws,
        cat,
        Some(PathBuf::from("examples/retrofit-gaps.yaml")),
        Actor::designer("dana"),
    );
    app.theme = Theme {
        kind: ThemeKind::Mono,
    };
    app.clock = Some("2026-11-28T10:00:00Z".into());
    app.size = (w, h);
    app
}

fn key(app: &mut App, code: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Focus the gaps pane and select the first line of the Outcomes section.
fn to_outcomes(a: &mut App) {
    key(a, KeyCode::Tab);
    key(a, KeyCode::Tab);
    assert_eq!(a.focus, Focus::Gaps);
    while a.gap_lines[a.gap_sel].section != "Outcomes" {
        let before = a.gap_sel;
        key(a, KeyCode::Down);
        assert_ne!(before, a.gap_sel, "no Outcomes section");
    }
}

#[test]
fn the_outcomes_section_lists_each_finding() {
    let mut a = app(120, 40);
    to_outcomes(&mut a);
    let s = screen(&a);
    assert!(s.contains("Outcomes ("), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn enter_opens_the_outcome_field_and_a_better_outcome_clears_its_findings() {
    let mut a = app(120, 40);
    to_outcomes(&mut a);
    let line = a.gap_lines[a.gap_sel].clone();
    assert!(line.text.contains("multi_verb"), "{}", line.text);
    let before = a.report.outcomes.len();
    key(&mut a, KeyCode::Enter);
    let Some(Modal::Form(f)) = a.front() else {
        panic!("no form")
    };
    assert_eq!(f.fields[f.sel].key, "outcome");
    // Replace the outcome with one that passes every rule.
    key(&mut a, KeyCode::End);
    for _ in 0..200 {
        key(&mut a, KeyCode::Backspace);
    }
    for c in "Run a blower door test to the CGSB 149.10 standard.".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Enter);
    assert!(a.front().is_none(), "the form was saved");
    assert_eq!(
        a.report.outcomes.len(),
        before - 2,
        "{:?}",
        a.report.outcomes
    );
}
