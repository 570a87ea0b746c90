//! Sessions over an example design drawn on ratatui's TestBackend, for screen tests.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use microcred::catalog::Catalog;
use microcred::document::Hub;
use microcred::edit::{Actor, Role};
use microcred::model::Workspace;
use microcred::tui::app::App;
use microcred::tui::theme::{Theme, ThemeKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The fixed clock of screen tests.
pub const CLOCK: &str = "2026-11-28T10:00:00Z";

/// `examples/NAME` loaded against the built-in frameworks.
pub fn example(name: &str) -> (Workspace, Arc<Catalog>) {
    let cat = Catalog::embedded().unwrap();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let ws = microcred::document::load_workspace(&path, &cat)
        .unwrap()
        .workspace;
    (ws, Arc::new(cat))
}

/// A hub over `examples/NAME` with the built-in frameworks.
pub fn hub(name: &str) -> Arc<Hub> {
    let (ws, cat) = example(name);
    Hub::new(ws, cat, Some(PathBuf::from(format!("examples/{name}"))))
}

/// A monochrome session of `actor` on `hub` at `w`×`h`, with the fixed clock.
pub fn session(hub: &Arc<Hub>, actor: Actor, w: u16, h: u16) -> App {
    let mut app = App::with_hub(hub.clone(), actor).with_clock(CLOCK);
    app.theme = Theme {
        kind: ThemeKind::Mono,
    };
    app.size = (w, h);
    app
}

/// The screen as text, one line per row, trailing spaces cut.
pub fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| microcred::tui::view::draw(f, app)).unwrap();
    text_of(&t)
}

/// What `t` shows, one line per row, trailing spaces cut.
pub fn text_of(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Press `code`. Of the effects a key leads to, the test host carries out only reading the
/// history (as the editor's host does); saving, exporting and quitting are left undone.
pub fn key(app: &mut App, code: KeyCode) {
    let effect = app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    if let Some(microcred::tui::app::Effect::ReadHistory(path)) = effect {
        app.start_history(&path);
    }
}

/// Type each character of `s`.
pub fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Sam, who reviews for Brightwater Mechanical in the retrofit example.
pub fn sam() -> Actor {
    Actor {
        name: "Sam at Brightwater".into(),
        role: Role::Partner("brightwater-mechanical".into()),
    }
}

/// In the retrofit example, select N3 (fifth in display order) and its mapping.
pub fn to_n3_mapping(app: &mut App) {
    keys(app, "jjjj");
    key(app, KeyCode::Tab);
    assert_eq!(app.selected_mapping().unwrap().need, "N3");
}
