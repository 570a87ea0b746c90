//! Issue 25, point 8: the smaller things seen in the workshop.

use crate::common;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use microcred::document::Hub;
use microcred::edit::Actor;
use microcred::tui::app::Modal;

use common::screen::{example, keys, screen, session};

/// Undo names the change the person made, not the change that undoes it.
#[test]
fn undo_after_a_delete_names_the_delete() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let mut dee = session(&hub, Actor::designer("dee"), 120, 40);
    // N8 is the seventh need on screen (Coastline's four, then N3, N4, N8).
    keys(&mut dee, "jjjjjj");
    assert_eq!(dee.selected_need().map(|n| n.id.as_str()), Some("N8"));
    keys(&mut dee, "d");
    keys(&mut dee, "y");
    assert!(
        hub.snapshot().ws.need("N8").is_none(),
        "{}",
        dee.status.text
    );
    keys(&mut dee, "u");
    assert!(
        dee.status
            .text
            .starts_with("Undone: deleted need N8 \"Prepare the paperwork for…\""),
        "{}",
        dee.status.text
    );
    assert!(hub.snapshot().ws.need("N8").is_some());
    dee.handle(Event::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert!(
        dee.status.text.starts_with("Redone: deleted need N8"),
        "{}",
        dee.status.text
    );
}

/// A design without needs has nothing to cover: it says so instead of "100 %".
#[test]
fn an_empty_design_says_nothing_to_cover_yet() {
    let (mut ws, cat) = example("retrofit-gaps.yaml");
    ws.needs.clear();
    ws.mappings.clear();
    let hub = Hub::new(ws, cat, None);
    let dee = session(&hub, Actor::designer("dee"), 120, 40);
    let s = screen(&dee);
    assert!(s.contains("nothing to cover yet: a adds a need"), "{s}");
    assert!(!s.contains("coverage 100"), "{s}");
    assert!(!s.contains("Coverage 100%"), "{s}");
}

/// After a review the selection moves on to the next mapping awaiting review, in the next need
/// when this need has none left.
#[test]
fn after_a_review_the_next_need_with_a_mapping_awaiting_review_is_selected() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let mut dee = session(&hub, Actor::designer("dee"), 120, 40);
    // N4 is sixth on screen; its one mapping is proposed. N6 (Northshore's) is the next need
    // with one.
    keys(&mut dee, "jjjjj");
    assert_eq!(dee.selected_need().map(|n| n.id.as_str()), Some("N4"));
    dee.handle(Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    keys(&mut dee, "y");
    assert_eq!(
        dee.selected_need().map(|n| n.id.as_str()),
        Some("N6"),
        "{}",
        dee.status.text
    );
    assert_eq!(
        dee.selected_mapping().map(|m| m.competency.as_str()),
        Some("building-retrofit:BR-CLIENT-01")
    );
    assert!(
        dee.status
            .text
            .ends_with(
                "Next: N6 \"Explain retrofit options to…\" → Explain retrofit options to clients (building-retrofit:BR-CLIENT-01)."
            ),
        "{}",
        dee.status.text
    );
}

/// The map form shows the picked competency's name above the levels, whatever the length of
/// the need's statement.
#[test]
fn the_map_form_names_the_picked_competency_above_the_levels() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let mut dee = session(&hub, Actor::designer("dee"), 80, 24);
    // N1 (first on screen, a long statement): map it to the first suggestion.
    keys(&mut dee, "m");
    let Some(Modal::Finder(f)) = dee.front() else {
        panic!("the finder is open")
    };
    let name = f
        .selected()
        .expect("a suggestion for N1's wording")
        .name
        .clone();
    dee.handle(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    let s = screen(&dee);
    let at_name = s
        .find(&format!("Competency: {}", name))
        .unwrap_or_else(|| panic!("{name:?} is named:\n{s}"));
    let at_levels = s.find("Level the need requires").expect("the levels");
    assert!(at_name < at_levels, "{s}");
}
