//! Never lose work: the real binary in tmux, killed with SIGKILL at random moments, then
//! reopened and recovered from its journal; stop signals; and a file changed behind the app's
//! back. (Tmux helpers as in tests/it/e2e_tmux.rs.)

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common;

use common::tmux::{Tmux, binary};

impl Tmux {
    /// The process id of the program in the pane (started with `exec`).
    fn pid(&self) -> String {
        self.tmux(&["display", "-p", "-t", self.session, "#{pane_pid}"])
            .trim()
            .to_string()
    }

    /// Wait until the screen shows one of `texts`; returns which and the screen.
    fn wait_any(&self, texts: &[&str]) -> (usize, String) {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if let Some(i) = texts.iter().position(|t| s.contains(t)) {
                return (i, s);
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {texts:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A small deterministic random source (xorshift), seeded per run and printed on failure.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn example(dir: &Path) {
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml"),
        dir.join("w.yaml"),
    )
    .unwrap();
}

/// The needs statements of the workspace file; it must parse and validate.
fn statements(file: &Path) -> Vec<String> {
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    match microcred::document::load_workspace(file, &cat) {
        Ok(l) => l.workspace.needs.into_iter().map(|n| n.statement).collect(),
        Err(p) => panic!("{} does not load: {p}", file.display()),
    }
}

/// Markers `KTk` shown on screen as a need (after its id `N<digits>`), i.e. changes done.
fn shown_done(screen: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in screen.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for w in words.windows(2) {
            let id = w[0].trim_start_matches(['│', '·']);
            if id.len() > 1
                && id.starts_with('N')
                && id[1..].chars().all(|c| c.is_ascii_digit())
                && w[1].starts_with("KT")
                && w[1].ends_with('x')
            {
                out.insert(w[1].to_string());
            }
        }
    }
    out
}

/// One run: a scripted session killed with SIGKILL after `delay_ms`; reopen, recover, save,
/// quit; every change shown as done must be in the saved file. Returns (shown, recovered).
fn crash_run(run: u64, rng: &mut Rng) -> (usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    example(dir.path());
    let file = dir.path().join("w.yaml");
    let t = Tmux::start(
        "crash",
        120,
        40,
        &format!("exec {} w.yaml", binary()),
        dir.path(),
    );
    t.wait_for("Gaps (18)");
    let delay = rng.below(350);
    let save_after = rng.below(10);
    let start = Instant::now();
    for k in 1..=10 {
        t.keys(&["a"]);
        t.type_text(&format!("KT{k}x"));
        t.keys(&["Enter"]);
        if k == save_after {
            t.keys(&["s"]);
        }
        if start.elapsed() >= Duration::from_millis(delay) {
            break;
        }
    }
    while start.elapsed() < Duration::from_millis(delay) {
        std::thread::sleep(Duration::from_millis(5));
    }
    // What the screen shows as done, then the kill: all of it must survive.
    let screen = t.screen();
    let pid = t.pid();
    let killed = Command::new("kill").args(["-KILL", &pid]).status().unwrap();
    assert!(killed.success(), "run {run}: kill {pid}");
    drop(t);
    let shown = shown_done(&screen);
    // The file itself always parses (saves are atomic).
    let _ = statements(&file);

    let t = Tmux::start(
        "reopen",
        120,
        40,
        &format!("exec {} w.yaml", binary()),
        dir.path(),
    );
    let (mut which, mut s) = t.wait_any(&["Unsaved changes found", "Gaps ("]);
    if which == 1 {
        // The first frame may be caught half drawn: the dialog comes in the same frame as
        // the panes. Rows are written top to bottom and the status line, which names the
        // file, is the last: once it is there, so is a dialog in that frame.
        t.wait_for("w.yaml");
        (which, s) = t.wait_any(&["Unsaved changes found", "Gaps ("]);
    }
    if which == 0 {
        // One key answers the recovery dialog.
        t.keys(&["y"]);
        t.wait_for("Recovered");
        t.keys(&["s"]);
        t.wait_for("Saved w.yaml");
    } else {
        assert!(
            !s.contains("[modified]"),
            "run {run}: no journal, yet modified:\n{s}"
        );
    }
    t.keys(&["q"]);
    let begin = Instant::now();
    while t.alive() && begin.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let recovered: Vec<String> = statements(&file);
    for m in &shown {
        assert!(
            recovered.contains(m),
            "run {run} (delay {delay} ms): {m} was shown as done but is not in the recovered file\nscreen:\n{screen}\nfile needs: {recovered:?}"
        );
    }
    assert!(
        !microcred::document::journal::path_for(&file).exists(),
        "run {run}: the journal remains after a clean save"
    );
    let n = recovered.iter().filter(|s| s.starts_with("KT")).count();
    (shown.len(), n)
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn sigkill_at_random_moments_loses_nothing_shown_as_done() {
    let runs: u64 = std::env::var("MICROCRED_CRASH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let (mut shown, mut kept) = (0, 0);
    for run in 0..runs {
        let (s, k) = crash_run(run, &mut rng);
        shown += s;
        kept += k;
    }
    eprintln!(
        "{runs} SIGKILL runs in {:.1} s: {shown} changes shown as done, {kept} in the recovered files",
        started.elapsed().as_secs_f64()
    );
    assert!(shown > 0, "no run got far enough to show a change");
}

/// The editor on a copy of the example in a new folder (started there by `cmd` in tmux at
/// 120×40), once it shows a need it was given with the statement `need`.
fn with_a_new_need(name: &'static str, cmd: &str, need: &str) -> (tempfile::TempDir, Tmux) {
    let dir = tempfile::tempdir().unwrap();
    example(dir.path());
    let t = Tmux::start(name, 120, 40, cmd, dir.path());
    t.wait_for("Gaps (18)");
    t.keys(&["a"]);
    t.type_text(need);
    t.keys(&["Enter"]);
    t.wait_for(need);
    (dir, t)
}

/// The terminal goes away under the editor (tmux's server killed: the pane's terminal closes)
/// while its stderr is that terminal: the editor ends with status 1 and its journal, not with a
/// panic about writing its farewell (before: SIGABRT, status 134). The shell in the pane
/// ignores the hang-up so that it lives on to write the editor's status.
#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn a_terminal_that_goes_away_ends_the_editor_without_a_panic() {
    let (dir, t) = with_a_new_need(
        "gone",
        &format!("trap '' HUP; {} w.yaml; echo $? > status.txt", binary()),
        "Need before the hang-up",
    );
    t.tmux(&["kill-server"]);
    let status = dir.path().join("status.txt");
    let begin = Instant::now();
    let code = loop {
        match std::fs::read_to_string(&status) {
            Ok(s) if s.ends_with('\n') => break s.trim().to_string(),
            _ => {}
        }
        assert!(
            begin.elapsed() < Duration::from_secs(15),
            "the editor did not end after its terminal went away"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, "1", "exit status (134: aborted by a panic)");
    let found = microcred::document::journal::find(&dir.path().join("w.yaml"))
        .unwrap()
        .unwrap();
    assert_eq!(found.entries.len(), 1);
}

#[test]
#[ignore = "end-to-end: needs tmux; run with `cargo test -- --ignored`"]
fn sigterm_and_sighup_keep_the_journal_and_restore_the_terminal() {
    for sig in ["TERM", "HUP", "INT"] {
        let (dir, t) = with_a_new_need(
            "sig",
            &format!("{} w.yaml 2>err.txt; echo EXIT=$?; sleep 30", binary()),
            "Signalled need",
        );
        let shell = t.pid();
        let out = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(!pid.is_empty(), "no child of {shell}");
        Command::new("kill")
            .args([&format!("-{sig}"), &pid])
            .status()
            .unwrap();
        let s = t.wait_for("EXIT=");
        // The alternate screen is gone: the shell's own output is visible.
        assert!(
            !s.contains("Gaps ("),
            "SIG{sig}: terminal not restored:\n{s}"
        );
        let err = std::fs::read_to_string(dir.path().join("err.txt")).unwrap();
        assert!(
            err.contains(&format!("stopped by SIG{sig}")) && err.contains(".w.yaml.journal"),
            "{err}"
        );
        let found = microcred::document::journal::find(&dir.path().join("w.yaml"))
            .unwrap()
            .unwrap();
        assert_eq!(found.entries.len(), 1, "SIG{sig}");
    }
}
