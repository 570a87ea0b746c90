//! The competency pane shows what an imported CASE framework carries: the code, education
//! levels, notes and the typed links (associations other than `isChildOf`).

use std::path::PathBuf;
use std::sync::Arc;

use microcred::edit::Actor;
use microcred::model::Catalog;
use microcred::tui::app::App;
use microcred::tui::theme::{Theme, ThemeKind};

mod common;

#[test]
fn the_competency_pane_shows_notes_levels_and_typed_links() {
    let package = r#"{"CFDocument": {"identifier": "d", "title": "Counting"},
        "CFItems": [
          {"identifier": "a", "fullStatement": "Count to 100 by ones and by tens.", "humanCodingScheme": "K CC 1",
           "notes": "Start at any number.", "educationLevel": ["KG"]},
          {"identifier": "b", "fullStatement": "Count forward from a given number.", "humanCodingScheme": "K.CC.2"}],
        "CFAssociations": [
          {"associationType": "precedes", "originNodeURI": {"identifier": "a"}, "destinationNodeURI": {"identifier": "b"}},
          {"associationType": "exactMatchOf", "originNodeURI": {"identifier": "a"},
           "destinationNodeURI": {"identifier": "x", "uri": "https://example.org/x", "title": "CCSS K.CC.1"}}]}"#;
    let fw = microcred::import::case::read(package.as_bytes(), "p.json", Some("counting"))
        .expect("imports")
        .framework;
    let cat = Catalog::from_frameworks([fw]);
    let yaml = "schema: microcred/workspace@1\ncredential:\n  title: Counting\n\
                partners:\n  - id: p\n    name: P\n    kind: industry\n\
                needs:\n  - id: N1\n    partner: p\n    statement: Counting\n    priority: must\n\
                competencies:\n  - ref: counting:K-CC-1\n    target_level: 2\n\
                mappings:\n  - need: N1\n    competency: counting:K-CC-1\n";
    let ws = microcred::document::workspace_from_str(yaml, "w.yaml", &cat)
        .expect("loads")
        .workspace;
    let mut app = App::new(
        ws,
        Arc::new(cat),
        Some(PathBuf::from("w.yaml")),
        Actor::designer("dana"),
    );
    app.theme = Theme {
        kind: ThemeKind::Mono,
    };
    app.size = (160, 45);
    let screen = common::screen::screen(&app);
    for want in [
        "code K CC 1 · grades KG",
        "Notes: Start at any number.",
        "precedes → K.CC.2 (Count forward from a given number.)",
        "exactMatchOf → CCSS K.CC.1 <https://example.org/x>",
    ] {
        assert!(screen.contains(want), "{want:?} not in:\n{screen}");
    }
}
