//! A paste in a terminal that does not bracket pastes reaches the editor as one key per
//! character. End to end in tmux against the real binary (issue 24, point 7): every key of
//! a large paste is read and handled without waiting for another key, so a key typed after
//! it acts at once. (crossterm's default, edge-triggered reader left the rest of a large
//! read in the kernel until the next key arrived: the paste stalled and Esc was never seen.)

use std::time::{Duration, Instant};

use crate::common;

use common::tmux::{Tmux, binary};

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn a_large_raw_paste_is_read_to_its_end_and_esc_then_closes_the_form() {
    let (dir, _file) = common::example_copy("retrofit-gaps.yaml");
    let t = Tmux::start(
        "paste-raw",
        120,
        40,
        &format!("{} w.yaml", binary()),
        dir.path(),
    );
    t.wait_for("Mappings of N1");
    t.keys(&["Tab"]);
    t.keys(&["c"]);
    t.wait_for("Comment on N1");
    // 20,000 characters, ten times the comment's bound: sent as typed keys.
    for _ in 0..10 {
        t.type_text(&"a".repeat(2_000));
    }
    t.wait_for("holds at most 2000 characters");
    t.keys(&["Escape"]);
    let start = Instant::now();
    while t.screen().contains("Comment on N1") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the form is still open 20 s after Esc: the paste was not read to its end\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        t.screen().contains("Closed without changes."),
        "{}",
        t.screen()
    );
}
