//! Driving the real binary in tmux: send-keys to type, capture-pane to read the screen.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of its own (its own socket) running one session.
pub struct Tmux {
    pub socket: String,
    pub session: &'static str,
}

impl Tmux {
    pub fn start(name: &'static str, w: u16, h: u16, cmd: &str, dir: &Path) -> Tmux {
        let t = Tmux {
            socket: format!(
                "microcred-{}-{}-{name}",
                env!("CARGO_CRATE_NAME"),
                std::process::id()
            ),
            session: name,
        };
        // A tmux server of the same name that is still shutting down (the previous test's)
        // refuses the new session for a moment: try again, for at most 5 s.
        let start = Instant::now();
        loop {
            let out = Command::new("tmux")
                .args([
                    "-L",
                    &t.socket,
                    "new-session",
                    "-d",
                    "-s",
                    name,
                    "-x",
                    &w.to_string(),
                    "-y",
                    &h.to_string(),
                    "-c",
                ])
                .arg(dir)
                .arg(cmd)
                .env_remove("NO_COLOR")
                .output()
                .expect("tmux is installed (.ci/run installs it)");
            if out.status.success() {
                return t;
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "tmux new-session failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", self.session, k]);
        }
    }

    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", self.session, "-l", text]);
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", self.session])
    }

    /// Wait until the screen shows `text`.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn alive(&self) -> bool {
        Command::new("tmux")
            .args(["-L", &self.socket, "has-session", "-t", self.session])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// The binary under test: `MICROCRED_BIN` (CI sets it to the release build), else the one
/// cargo built for the tests.
pub fn binary() -> String {
    std::env::var("MICROCRED_BIN")
        .ok()
        .filter(|b| !b.is_empty())
        .map(|b| std::fs::canonicalize(&b).map_or(b, |p| p.display().to_string()))
        .unwrap_or_else(|| {
            assert_cmd::cargo::cargo_bin("microcred")
                .display()
                .to_string()
        })
}
