//! The competency pane shows what an imported CASE framework carries: the code, education
//! levels, notes and the typed links (associations other than `isChildOf`).

use std::path::PathBuf;
use std::sync::Arc;

use microcred::edit::Actor;
use microcred::model::Catalog;
use microcred::tui::app::App;
use microcred::tui::theme::{Theme, ThemeKind};

use crate::common;

#[test]
fn the_competency_pane_shows_notes_levels_and_typed_links() {
    let package = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import/case-control-characters.json"),
    )
    .expect("fixture");
    let fw = microcred::import::case::read(&package, "p.json", Some("counting"))
        .expect("imports")
        .framework;
    let cat = Arc::new(Catalog::from_frameworks([fw]));
    let screen_of = |competency: &str| {
        let yaml = format!(
            "schema: microcred/workspace@1\ncredential:\n  title: Counting\n\
             partners:\n  - id: p\n    name: P\n    kind: industry\n\
             needs:\n  - id: N1\n    partner: p\n    statement: Counting\n    priority: must\n\
             competencies:\n  - ref: counting:{competency}\n    target_level: 2\n\
             mappings:\n  - need: N1\n    competency: counting:{competency}\n"
        );
        let ws = microcred::document::workspace_from_str(&yaml, "w.yaml", &cat)
            .expect("loads")
            .workspace;
        let mut app = App::new(
            ws,
            cat.clone(),
            Some(PathBuf::from("w.yaml")),
            Actor::designer("dana"),
        );
        app.theme = Theme {
            kind: ThemeKind::Mono,
        };
        app.size = (160, 45);
        common::screen::screen(&app)
    };
    let screen = screen_of("M.1-A");
    for want in [
        "code M.1 A · grades 03, 04, 05",
        "Notes: Targets grades three to five.",
        "precedes → M.1.B (Round whole numbers to any place.)",
    ] {
        assert!(screen.contains(want), "{want:?} not in:\n{screen}");
    }
    let screen = screen_of("M.1.B");
    let want = "exactMatchOf → Other framework 4.NBT.3"; // the URI follows, cut at the pane's edge
    assert!(screen.contains(want), "{want:?} not in:\n{screen}");
}
