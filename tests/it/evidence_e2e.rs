//! Evidence in the real editor, end to end in tmux: the demand view lists what the example's
//! postings ask for, one key turns an in-demand competency into a need, and postings added
//! from a CSV of 400 are read in the background with their progress on the status line while
//! the editor keeps answering keys; then the design is saved and holds them.

use crate::common;

use common::tmux::{Tmux, binary};

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn demand_and_postings_in_the_real_editor() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.yaml");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/retrofit-evidence.yaml"
        ),
        &ws,
    )
    .unwrap();
    // 400 postings recombined from the hand-written test set (8 sentences each).
    let mut sentences = Vec::new();
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/evidence/postings");
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        sentences.extend(
            text.lines()
                .skip(1)
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    let mut csv = String::from("title,text\n");
    for i in 0..400 {
        let body: Vec<&str> = (0..8)
            .map(|k| sentences[(i * 7 + k * 31) % sentences.len()].as_str())
            .collect();
        csv.push_str(&format!(
            "Posting {i},\"Job {i}\n{}\"\n",
            body.join("\n").replace('"', "\"\"")
        ));
    }
    std::fs::write(dir.path().join("big.csv"), csv).unwrap();

    let t = Tmux::start(
        "evidence",
        110,
        32,
        &format!(
            "{} w.yaml; s=$?; stty sane; printf '\\r\\nEXIT=%s\\r\\n' $s; sleep 30",
            binary()
        ),
        dir.path(),
    );
    t.wait_for("Gaps (");
    let s = t.screen();
    assert!(s.contains("3·5   N5 Air seal"), "{s}");
    // The demand view, only what no need covers, and one key to make the first a need.
    t.keys(&["D"]);
    t.wait_for("15 job postings mention 30 competencies");
    t.keys(&["u"]);
    t.wait_for("Showing only what is in demand");
    t.keys(&["n"]);
    let s = t.wait_for("Added need N11 for");
    assert!(s.contains("Needs (11)"), "{s}");
    // Add 400 postings from the CSV: the path, the column, Enter.
    t.keys(&["D"]);
    t.wait_for("15 job postings");
    t.keys(&["a"]);
    t.wait_for("Add job postings as evidence");
    t.type_text("big.csv");
    t.keys(&["Tab"]);
    t.type_text("text");
    t.keys(&["Enter"]);
    // The progress line (a release build may be done before the screen is read: then the
    // result is there instead).
    let start = std::time::Instant::now();
    loop {
        let s = t.screen();
        if s.contains("Reading postings from big.csv") || s.contains("Added 400 posting(s)") {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "no progress: {s}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The form went back to the main screen, not to the demand view (adding postings closes
    // it). The editor answers keys meanwhile: help opens and closes. (No Escape before `?`:
    // an Escape read together with the next key, while the editor is busy, is Alt+key; each
    // Escape is waited out.)
    assert!(!t.screen().contains("Demand ·"));
    t.keys(&["?"]);
    t.wait_for("Everywhere on the main screen");
    t.keys(&["Escape"]);
    wait_until_gone(&t, "Everywhere on the main screen");
    let s = t.wait_for("Added 400 posting(s) from big.csv");
    assert!(!s.contains("Everywhere on the main screen"), "{s}");
    t.keys(&["s"]);
    t.wait_for("Saved w.yaml");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    let text = std::fs::read_to_string(&ws).unwrap();
    assert_eq!(text.matches("\n  - id: P").count(), 415);
    assert!(text.contains("- id: N11"));
}

/// Wait until `text` is no longer on the screen (at most 15 s).
fn wait_until_gone(t: &Tmux, text: &str) {
    let start = std::time::Instant::now();
    while t.screen().contains(text) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "still there: {text}\n{}",
            t.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
