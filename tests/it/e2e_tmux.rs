//! End to end: the real binary in tmux, driven with send-keys and read with capture-pane.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common;

use common::tmux::{Tmux, binary};
#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn edit_save_and_quit_in_the_real_terminal() {
    let (dir, _) = common::example_copy("retrofit-gaps.yaml");
    let t = Tmux::start(
        "edit",
        120,
        40,
        &format!("{} w.yaml; sleep 30", binary()),
        dir.path(),
    );
    let s = t.wait_for("Gaps (18)");
    assert!(s.contains("coverage 69.6%"), "{s}");
    // Add a partner, then a need for it.
    t.keys(&["P"]);
    t.wait_for("Add a partner");
    t.type_text("acme");
    t.keys(&["Down"]);
    t.type_text("Acme Retrofit Ltd");
    t.keys(&["Enter"]);
    t.wait_for("Acme Retrofit Ltd");
    t.keys(&["a"]);
    t.wait_for("Add a need");
    t.type_text("Crews who read mechanical drawings");
    t.keys(&["Enter"]);
    // The new need is uncovered: the gap panes count it at once.
    let s = t.wait_for("Gaps (19)");
    assert!(
        s.contains("[modified]") && s.contains("N11 Crews who"),
        "{s}"
    );
    t.keys(&["s"]);
    t.wait_for("Saved w.yaml");
    t.keys(&["q"]);
    let start = Instant::now();
    while !t.screen().trim().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(dir.path().join("w.yaml")).unwrap();
    assert!(
        text.contains("statement: Crews who read mechanical drawings"),
        "{text}"
    );
    assert!(text.contains("id: acme"), "{text}");
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    microcred::document::workspace_from_str(&text, "w.yaml", &cat)
        .expect("the saved file is valid");
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn resize_below_the_minimum_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retail-data-analyst.yaml");
    let t = Tmux::start(
        "resize",
        120,
        40,
        &format!("{} {}", binary(), ws.display()),
        dir.path(),
    );
    t.wait_for("coverage 100.0%");
    t.tmux(&["resize-window", "-t", t.session, "-x", "50", "-y", "12"]);
    t.wait_for("Terminal too small");
    t.tmux(&["resize-window", "-t", t.session, "-x", "80", "-y", "24"]);
    t.wait_for("1 Needs");
    t.keys(&["q"]);
    let start = Instant::now();
    while t.alive() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!t.alive(), "q did not quit an unchanged design");
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn a_missing_file_starts_a_new_design_saved_on_first_save() {
    let dir = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "new",
        100,
        30,
        &format!("{} fresh.yaml; sleep 30", binary()),
        dir.path(),
    );
    t.wait_for("New design");
    assert!(!dir.path().join("fresh.yaml").exists());
    t.keys(&["P"]);
    t.wait_for("Add a partner");
    t.type_text("college");
    t.keys(&["Down"]);
    t.type_text("Example College");
    t.keys(&["Enter"]);
    t.wait_for("Example College");
    t.keys(&["C-s"]);
    t.wait_for("Saved fresh.yaml");
    let text = std::fs::read_to_string(dir.path().join("fresh.yaml")).unwrap();
    assert!(
        text.starts_with("schema: microcred/workspace@1\n"),
        "{text}"
    );
    assert!(text.contains("name: Example College"));
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn map_a_need_through_the_finder_set_levels_undo_redo_save() {
    let (dir, _) = common::example_copy("retrofit-gaps.yaml");
    let t = Tmux::start(
        "map",
        120,
        40,
        &format!("{} w.yaml; sleep 30", binary()),
        dir.path(),
    );
    t.wait_for("coverage 69.6%");
    // N9 is the ninth need on screen (grouped by partner).
    for _ in 0..8 {
        t.keys(&["j"]);
    }
    t.wait_for("Mappings of N9");
    t.keys(&["m"]);
    t.wait_for("Map need N9 to a competency");
    t.type_text("combustion");
    t.wait_for("search> combustion");
    t.keys(&["Enter"]);
    // The mapping form: required level (preset to the target level), with each level's
    // descriptor shown; nothing is in the design until it is saved.
    t.wait_for("Level the need requires");
    let s = wait_until(&t, "level 2 preset", |s| {
        s.lines()
            .any(|l| l.contains("Level the need requires") && l.contains("‹ 2 ›"))
    });
    assert!(s.contains("Intermediate"), "{s}");
    assert!(s.contains("coverage 69.6%"), "{s}");
    t.keys(&["Enter"]);
    let s = t.wait_for("Mapped N9");
    assert!(
        !s.contains("coverage 69.6%"),
        "coverage did not change:\n{s}"
    );
    assert!(s.contains("coverage 82.6%"), "{s}");
    // The mapping and its competency were one change: one undo, one redo.
    t.keys(&["u"]);
    t.wait_for("coverage 69.6%");
    t.keys(&["C-r"]);
    t.wait_for("coverage 82.6%");
    t.keys(&["s"]);
    t.wait_for("Saved w.yaml");
    t.keys(&["q"]);
    let start = Instant::now();
    while !t.screen().trim().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(dir.path().join("w.yaml")).unwrap();
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let ws = microcred::document::workspace_from_str(&text, "w.yaml", &cat)
        .expect("valid")
        .workspace;
    let m = ws
        .mappings
        .iter()
        .find(|m| m.need == "N9" && m.status == microcred::model::MappingStatus::Proposed)
        .expect("N9 mapped");
    assert_eq!(m.required_level, Some(2));
    assert!(ws.competency(&m.competency).is_some());
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn resizing_while_typing_and_no_color() {
    let (dir, _) = common::example_copy("retrofit-gaps.yaml");
    let t = Tmux::start(
        "resize-typing",
        120,
        40,
        &format!("NO_COLOR=1 {} w.yaml; sleep 30", binary()),
        dir.path(),
    );
    t.wait_for("monochrome");
    t.keys(&["a"]);
    t.wait_for("Add a need");
    let sizes = [(80, 24), (60, 16), (30, 8), (200, 60), (100, 30), (120, 40)];
    for (i, word) in "Crews who can read drawings".split(' ').enumerate() {
        let (w, h) = sizes[i % sizes.len()];
        t.tmux(&[
            "resize-window",
            "-t",
            t.session,
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        t.type_text(word);
        t.type_text(" ");
    }
    t.tmux(&["resize-window", "-t", t.session, "-x", "120", "-y", "40"]);
    t.keys(&["Enter"]);
    let s = t.wait_for("Gaps (19)");
    assert!(s.contains("N11 Crews who"), "{s}");
    // Colour: NO_COLOR leaves no colour escape in the pane.
    let styled = t.tmux(&["capture-pane", "-p", "-e", "-t", t.session]);
    for code in [
        "\x1b[31m",
        "\x1b[32m",
        "\x1b[33m",
        "\x1b[36m",
        "\x1b[44m",
        "\x1b[38;5",
    ] {
        assert!(
            !styled.contains(code),
            "colour {code:?} in a NO_COLOR screen"
        );
    }
    assert!(t.alive());
}

/// Wait until `cond` holds for the screen.
fn wait_until(t: &Tmux, what: &str, cond: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let s = t.screen();
        if cond(&s) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A long comment typed in the real terminal, with line breaks (C-j and Alt-Enter), is saved
/// whole and read whole in the mappings pane; zoom (+) gives the pane the screen and restores.
#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn write_and_read_a_long_comment_and_zoom_in_the_real_terminal() {
    let (dir, _) = common::example_copy("retrofit-gaps.yaml");
    let t = Tmux::start(
        "long-comment",
        100,
        30,
        // A short name of our own: the comment wraps the same on every machine.
        &format!("env MICROCRED_NAME=Pat {} w.yaml; sleep 30", binary()),
        dir.path(),
    );
    t.wait_for("Gaps (18)");
    t.keys(&["Tab"]);
    t.wait_for("y agree");
    t.keys(&["c"]);
    t.wait_for("Comment on N1");
    let s = t.wait_for("Alt-Enter or C-j");
    assert!(s.contains("Need N1: Technicians complete"), "{s}");
    t.type_text("Our installers only see the attic hatch and the basement on a standard audit,");
    t.type_text(" so the level 3 descriptor is further than our crews go in their first year.");
    t.keys(&["C-j"]);
    t.type_text("We would rather see level 2 with a supervised multi-unit audit.");
    t.keys(&["M-Enter"]);
    t.type_text("Signed: the crew leads LAST-WORD");
    t.keys(&["Enter"]);
    t.wait_for("Commented on N1");
    // The comment is wrapped, every line kept; at 100×30 the pane is too short for its end,
    // and says so.
    let s = t.wait_for("Signed: the crew");
    for word in ["installers", "descriptor", "first", "supervised"] {
        assert!(s.contains(word), "{word} missing:\n{s}");
    }
    assert!(s.contains("more below · + zooms"), "{s}");
    // Zoom: the mappings pane alone, as wide as the window.
    t.keys(&["+"]);
    let z = wait_until(&t, "the zoomed pane", |s| {
        s.contains("[zoomed: + restores]") && !s.contains("Gaps (18)")
    });
    let top = z.lines().next().unwrap_or_default();
    assert!(
        top.starts_with("┌Mappings of N1") && top.trim_end().ends_with('┐'),
        "{z}"
    );
    assert_eq!(top.trim_end().chars().count(), 100, "{z}");
    assert!(z.contains("LAST-WORD") && !z.contains("Needs (10)"), "{z}");
    t.keys(&["+"]);
    wait_until(&t, "all panes again", |s| {
        s.contains("Needs (10)") && s.contains("Gaps (18)") && !s.contains("[zoomed")
    });
    t.keys(&["s"]);
    t.wait_for("Saved w.yaml");
    let text = std::fs::read_to_string(dir.path().join("w.yaml")).unwrap();
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let ws = microcred::document::workspace_from_str(&text, "w.yaml", &cat)
        .expect("valid")
        .workspace;
    let m = ws.mappings.iter().find(|m| m.need == "N1").unwrap();
    let c = &m.comments.last().expect("the comment").text;
    assert_eq!(c.lines().count(), 3, "{c:?}");
    assert!(
        c.starts_with("Our installers") && c.ends_with("LAST-WORD"),
        "{c:?}"
    );
    assert!(t.alive());
}
