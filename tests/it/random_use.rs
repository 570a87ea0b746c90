//! Random use: a proptest state machine drives `App::handle` with random keys, pastes, mouse
//! events and resizes (0×0 and 1×1 included) against both example workspaces. After every
//! event: no panic, the document validates, the selections are in range, and it draws. At the
//! end, undoing the session's whole history returns the original document.

use crate::common;

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use microcred::catalog::Catalog;
use microcred::edit::Actor;
use microcred::tui::app::App;
use microcred::tui::keys::Cmd;
use proptest::prelude::*;

fn key() -> impl Strategy<Value = Event> {
    let code = prop_oneof![
        6 => proptest::sample::select(
            "aedmPEACDXMGgbxiprsuyzjklhqn?:/ 1Y".chars().collect::<Vec<_>>()
        )
        .prop_map(KeyCode::Char),
        1 => any::<char>().prop_map(KeyCode::Char),
        4 => proptest::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::F(1),
        ]),
    ];
    let mods = proptest::sample::select(vec![
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
    ]);
    (code, mods).prop_map(|(c, m)| Event::Key(KeyEvent::new(c, m)))
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        20 => key(),
        2 => common::text().prop_map(Event::Paste),
        1 => prop_oneof![
            Just((0u16, 0u16)),
            Just((1, 1)),
            Just((80, 24)),
            Just((120, 40)),
            (0u16..300, 0u16..100),
        ]
        .prop_map(|(w, h)| Event::Resize(w, h)),
        1 => (0u16..130, 0u16..45, 0u8..3).prop_map(|(x, y, k)| Event::Mouse(MouseEvent {
            kind: match k {
                0 => MouseEventKind::Down(MouseButton::Left),
                1 => MouseEventKind::ScrollDown,
                _ => MouseEventKind::ScrollUp,
            },
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })),
    ]
}

fn session(example: &str, events: Vec<Event>) -> Result<(), TestCaseError> {
    let cat = Arc::new(Catalog::embedded().map_err(|p| TestCaseError::fail(p.to_string()))?);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(example);
    let original = microcred::document::load_workspace(&path, &cat)
        .map_err(|p| TestCaseError::fail(p.to_string()))?
        .workspace;
    // No file: a save (s, or a save-as form) is an effect the runner would perform; here it
    // is ignored, so nothing is written.
    let mut app = App::new(original.clone(), cat, None, Actor::designer("prop"))
        .with_clock("2026-11-28T10:00:00Z");
    app.size = (100, 30);
    for ev in events {
        let _ = app.handle(ev);
        microcred::fuzzing::check(&app);
        microcred::fuzzing::draw(&app);
    }
    app.close_layers();
    while app.history.undo_len() > 0 {
        let before = app.history.undo_len();
        let _ = app.run(Cmd::Undo);
        prop_assert!(
            app.history.undo_len() < before,
            "undo refused: {}",
            app.status.text
        );
        microcred::fuzzing::check(&app);
    }
    prop_assert_eq!(&*app.ws, &original);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn random_sessions_on_retrofit(events in proptest::collection::vec(event(), 0..80)) {
        session("retrofit-gaps.yaml", events)?;
    }

    #[test]
    fn random_sessions_on_retail(events in proptest::collection::vec(event(), 0..80)) {
        session("retail-data-analyst.yaml", events)?;
    }
}
