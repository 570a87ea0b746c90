//! The workshop of issue 25 over the real OpenSSH client (each client in its own tmux): ESCO
//! imported into the design's `frameworks/` folder. Skipped, with a note, when `ssh`,
//! `ssh-keygen` or `tmux` is not installed, or when `../shared/data` is absent.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

use common::server::{Server, have_tools};
use common::tmux::{Tmux, binary};

const TOOLS: &[&str] = &["ssh", "ssh-keygen", "tmux"];

/// ESCO's skills, where the shared data is (beside the clone).
fn esco_csv() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/esco-v1.1.1/skills_en.csv"
    ));
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} is absent; skipping this test", p.display());
        None
    }
}

fn keygen(path: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f"])
        .arg(path)
        .output()
        .expect("ssh-keygen");
    assert!(out.status.success(), "{out:?}");
    let publine = std::fs::read_to_string(path.with_extension("pub")).expect("public key");
    publine.trim().to_string()
}

/// The retrofit example with ESCO in `frameworks/` beside it, a cache folder of its own, a
/// designer (`dee`) and a Brightwater partner (`sam`) with OpenSSH keys.
struct Workshop {
    dir: tempfile::TempDir,
    ws: PathBuf,
    people: PathBuf,
    host_key: PathBuf,
}

impl Workshop {
    fn new(esco: &Path) -> Workshop {
        let (dir, ws) = common::example_copy("retrofit-gaps.yaml");
        let fw = dir.path().join("frameworks");
        std::fs::create_dir(&fw).expect("frameworks folder");
        let out = Command::new(binary())
            .args(["import", "esco"])
            .arg(esco)
            .arg("-o")
            .arg(fw.join("esco.yaml"))
            .output()
            .expect("microcred import esco");
        assert!(out.status.success(), "{out:?}");
        let mut lines = Vec::new();
        for (name, who) in [
            ("dee", "- name: Dee Designer\n  role: designer\n"),
            (
                "sam",
                "- name: Sam at Brightwater\n  role: partner\n  partner: brightwater-mechanical\n",
            ),
        ] {
            let publine = keygen(&dir.path().join(name));
            lines.push(format!("{who}  keys: [\"{publine}\"]\n"));
        }
        let people = dir.path().join("people.yaml");
        std::fs::write(&people, format!("people:\n{}", lines.concat())).expect("people");
        let host_key = dir.path().join("host_key");
        Workshop {
            dir,
            ws,
            people,
            host_key,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `microcred` run in the workshop's folder with its cache, to completion.
    fn microcred(&self, args: &[&str]) -> String {
        let out = Command::new(binary())
            .env("MICROCRED_CACHE_DIR", self.path("cache"))
            .env_remove("MICROCRED_FRAMEWORKS")
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .expect("microcred");
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Start the server (with the workshop's cache folder) and pin its host key.
    fn serve(&self) -> Server {
        let cache = self.path("cache");
        let server = Server::start_env(
            &self.ws,
            &self.people,
            &self.host_key,
            &[],
            &[("MICROCRED_CACHE_DIR", &cache)],
        );
        let out = Command::new("ssh-keygen")
            .arg("-y")
            .arg("-f")
            .arg(&self.host_key)
            .output()
            .expect("ssh-keygen -y");
        assert!(out.status.success(), "{out:?}");
        let public = String::from_utf8_lossy(&out.stdout).trim().to_string();
        std::fs::write(
            self.path("known_hosts"),
            format!("[127.0.0.1]:{} {public}\n", server.port()),
        )
        .expect("known_hosts");
        server
    }

    /// An interactive ssh session for `key` in a tmux of its own, `w`×`h`.
    fn client(&self, name: &'static str, server: &Server, key: &str, w: u16, h: u16) -> Tmux {
        let cmd = format!(
            "exec ssh -F /dev/null -i {} -o IdentitiesOnly=yes -o BatchMode=yes \
             -o UserKnownHostsFile={} -o GlobalKnownHostsFile=/dev/null \
             -o StrictHostKeyChecking=yes -p {} -tt 127.0.0.1",
            self.path(key).display(),
            self.path("known_hosts").display(),
            server.port()
        );
        Tmux::start(name, w, h, &cmd, self.dir.path())
    }
}

/// Wait (at most `limit`) until `ok` holds for the screen; returns it.
fn wait_screen(t: &Tmux, limit: Duration, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let s = t.screen();
        if ok(&s) {
            return s;
        }
        assert!(
            start.elapsed() < limit,
            "timed out waiting for {what}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Issue 25, point 1: with ESCO loaded, a search typed over ssh runs to its end with no more
/// keys pressed (it used to advance only on input: "0 match(es) so far, still searching…"
/// for ever), and finds what `microcred search` finds.
#[test]
fn a_search_over_ssh_with_esco_loaded_finishes_without_more_keys() {
    if !have_tools(
        "a_search_over_ssh_with_esco_loaded_finishes_without_more_keys",
        TOOLS,
    ) {
        return;
    }
    let Some(csv) = esco_csv() else { return };
    let w = Workshop::new(&csv);
    let query = "heights safety";
    let expected = w.microcred(&[
        "--frameworks",
        "frameworks/esco.yaml",
        "search",
        query,
        "--top",
        "1",
    ]);
    let first = expected
        .lines()
        .next()
        .and_then(|l| l.split('\t').nth(2))
        .expect("the search finds something")
        .to_string();

    let server = w.serve();
    let dee = w.client("s-dee", &server, "dee", 120, 40);
    dee.wait_for("online: Dee Designer");
    dee.keys(&["m"]);
    dee.wait_for("Suggested for the need's text");
    dee.type_text(query);
    // No key after the last letter: the server finishes the search by itself.
    let s = wait_screen(&dee, Duration::from_secs(60), "the search to finish", |s| {
        s.contains("match(es)") && !s.contains("still searching")
    });
    assert!(s.contains(&format!("search> {query}")), "{s}");
    assert!(!s.contains(" 0 match(es)"), "{s}");
    assert!(s.contains(&first), "{first:?} is found:\n{s}");
    drop(dee);
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
}
