//! The history view end to end: the real binary in tmux over a git repository of three
//! commits; `H` lists them newest first with a summary each, Enter shows one commit's whole
//! difference, Esc goes back and closes, and the editor keeps working meanwhile.

use std::path::Path;

use crate::common;

use common::history::three_commits;
use common::tmux::{Tmux, binary};

fn open(name: &'static str, dir: &Path) -> Tmux {
    let t = Tmux::start(
        name,
        110,
        32,
        &format!(
            "{} w.yaml; s=$?; stty sane; printf '\\r\\nEXIT=%s\\r\\n' $s; sleep 30",
            binary()
        ),
        dir,
    );
    t.wait_for("Gaps (");
    t
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn history_view_in_the_real_editor() {
    let dir = tempfile::tempdir().unwrap();
    let hashes = three_commits(dir.path());
    let t = open("history", dir.path());
    t.keys(&["H"]);
    let s = t.wait_for("1 mapping agreed");
    assert!(s.contains("History · w.yaml · newest first"), "{s}");
    let (c3, c1) = (&hashes[2][..8], &hashes[0][..8]);
    let (at3, at1) = (
        s.find(c3).expect("newest listed"),
        s.find(c1).expect("oldest listed"),
    );
    assert!(at3 < at1, "newest first:\n{s}");
    t.wait_for("+1 partner, +1 need, credential title changed");
    // The second commit's whole difference.
    t.keys(&["j", "Enter"]);
    let s = t.wait_for(&format!("commit {}", hashes[1]));
    assert!(
        s.contains("+ N2: Write SQL for their own questions."),
        "{s}"
    );
    assert!(s.contains("From the meeting."), "{s}");
    t.keys(&["Escape"]);
    t.wait_for("newest first");
    t.keys(&["Escape"]);
    // The status bar says "? help" under the history too: wait for the view to go.
    let begin = std::time::Instant::now();
    loop {
        let s = t.screen();
        if s.contains("? help") && !s.contains("newest first") {
            break;
        }
        assert!(
            begin.elapsed() < std::time::Duration::from_secs(15),
            "not closed:\n{s}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The editor goes on: quit cleanly.
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}
