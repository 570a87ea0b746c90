//! Review that people notice, end to end: the real binary in tmux, driven with send-keys and
//! read with capture-pane. A dispute asks why and the saved file keeps the reason and who
//! changed the status when; the activity feed lists it and jumps to it; a partner is deleted
//! with its needs (after saying so) and comes back with one undo; a partner with no needs is
//! edited from the partner list.

use std::time::{Duration, Instant};

use crate::common;

use common::tmux::{Tmux, binary};

fn editor(name: &'static str) -> (tempfile::TempDir, Tmux) {
    let (dir, _) = common::example_copy("retrofit-gaps.yaml");
    let t = Tmux::start(
        name,
        120,
        40,
        &format!(
            "env USER=dana MICROCRED_NAME=dana {} w.yaml; sleep 30",
            binary()
        ),
        dir.path(),
    );
    t.wait_for("Gaps (18)");
    (dir, t)
}

fn saved(dir: &tempfile::TempDir) -> microcred::model::Workspace {
    let text = std::fs::read_to_string(dir.path().join("w.yaml")).expect("saved file");
    let cat = microcred::catalog::Catalog::embedded().expect("catalog");
    microcred::document::workspace_from_str(&text, "w.yaml", &cat)
        .expect("the saved file is valid")
        .workspace
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn a_dispute_asks_why_and_the_file_keeps_the_reason_and_who_changed_it_when() {
    let (dir, t) = editor("dispute");
    // N3 is the fifth need in display order; its mapping is in the mappings pane.
    t.keys(&["j", "j", "j", "j", "Tab"]);
    t.wait_for("Mappings of N3");
    t.keys(&["x"]);
    t.wait_for("Dispute N3 → building-retrofit:BR-HVAC-01: why?");
    // No reason, no change.
    t.keys(&["Enter"]);
    t.wait_for("say why it is disputed");
    t.type_text("Level 2 does not cover cold-climate units");
    t.keys(&["Enter"]);
    // The message names the need and the competency, and goes on to a second line.
    t.wait_for("Marked N3 \"Size a cold-climate heat…\" → Size heat pumps with load calculations");
    t.wait_for("the reason is in its comments");
    let s = t.wait_for("dana: Disputed: Level 2 does not");
    assert!(s.contains("disputed by dana · "), "{s}");

    // The feed lists it, newest first, and Enter jumps to it from elsewhere.
    t.keys(&["Tab", "g"]);
    t.keys(&["A"]);
    let s = t.wait_for("Activity · newest first");
    assert!(
        s.contains(
            "dana disputed N3 \"Size a cold-climate heat…\" → Size heat pumps with load calculations"
        ),
        "{s}"
    );
    t.keys(&["Enter"]);
    t.wait_for("y agree · x dispute · r reject · c comment");

    t.keys(&["s"]);
    t.wait_for("Saved w.yaml");
    let ws = saved(&dir);
    let m = ws
        .mappings
        .iter()
        .find(|m| m.need == "N3")
        .expect("N3's mapping");
    assert_eq!(m.status, microcred::model::MappingStatus::Disputed);
    assert_eq!(m.status_by.as_deref(), Some("dana"));
    let at = m.status_at.as_deref().expect("status_at");
    assert!(at.ends_with('Z') && at.len() == 20, "{at}");
    let c = m.comments.last().expect("the reason");
    assert_eq!(
        (c.by.as_str(), c.at.as_str(), c.text.as_str()),
        (
            "dana",
            at,
            "Disputed: Level 2 does not cover cold-climate units"
        )
    );
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn a_partner_is_deleted_with_its_needs_after_saying_so_and_undo_brings_them_back() {
    let (dir, t) = editor("partners");
    let before = saved(&dir);
    t.keys(&["O"]);
    t.wait_for("Partners · Enter edit · d delete");
    t.keys(&["Down", "d"]);
    let s = t.wait_for("Delete partner brightwater-mechanical");
    assert!(s.contains("Its 3 ") && s.contains("deleted with it"), "{s}");
    t.keys(&["y"]);
    t.wait_for("Deleted partner Brightwater Mechanical with its 3 need(s)");
    let s = t.wait_for("Needs (7)");
    // Its heading is gone from the needs pane (the message names it).
    assert!(!s.contains("│Brightwater Mechanical"), "{s}");
    t.keys(&["u"]);
    t.wait_for("Undone: ");
    t.wait_for("Needs (10)");

    // A partner with no needs, edited from the list.
    t.keys(&["P"]);
    t.wait_for("Add a partner");
    t.type_text("tidewater");
    t.keys(&["Down"]);
    t.type_text("Tidewater Builders");
    t.keys(&["Enter"]);
    t.wait_for("Tidewater Builders");
    t.keys(&["O"]);
    t.wait_for("Partners · Enter edit");
    t.keys(&["Down", "Down", "Down", "Down", "Enter"]);
    t.wait_for("Edit partner");
    t.keys(&["Down", "C-u"]);
    t.type_text("Tidewater Homes");
    t.keys(&["Enter"]);
    t.wait_for("Tidewater Homes");
    t.keys(&["s"]);
    t.wait_for("Saved w.yaml");
    let after = saved(&dir);
    assert_eq!(after.needs, before.needs, "undo gave every need back");
    assert_eq!(after.mappings, before.mappings);
    assert_eq!(
        after.partner("tidewater").map(|p| p.name.as_str()),
        Some("Tidewater Homes")
    );
    t.keys(&["q"]);
    let start = Instant::now();
    while !t.screen().trim().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
}
