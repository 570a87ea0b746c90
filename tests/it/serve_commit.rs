//! `microcred serve --commit`: two partners change the design over SSH; the server commits the
//! design file (and nothing else: a file staged beforehand stays staged) with a message naming
//! the changes, its author and `Co-authored-by:` lines matching the journal's actors, and
//! commits once more when it stops. It refuses to start when the file has changes git has not
//! committed, or is not in a repository. The server runs as a child process.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common;

use common::client::{Screen, key, publine};
use common::server::Server;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Server Admin",
            "-c",
            "user.email=admin@college.example",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A repository holding the example as `w.yaml` (committed), with the server's identity set in
/// its config; returns the dir and the file.
fn repository() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, ws) = common::example_copy("retail-data-analyst.yaml");
    let d = dir.path();
    git(d, &["init", "-q"]);
    git(d, &["config", "user.name", "Server Admin"]);
    git(d, &["config", "user.email", "admin@college.example"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    let name = ws.file_name().unwrap().to_str().unwrap().to_string();
    git(d, &["add", &name]);
    git(d, &["commit", "-q", "-m", "The design as it was"]);
    (dir, ws)
}

/// Author and co-authors of a commit, as `Name <email>`.
fn people_of(dir: &Path, hash: &str) -> (String, Vec<String>) {
    let author = git(dir, &["show", "-s", "--format=%an <%ae>", hash])
        .trim()
        .to_string();
    let body = git(dir, &["show", "-s", "--format=%B", hash]);
    let co = body
        .lines()
        .filter_map(|l| l.strip_prefix("Co-authored-by: "))
        .map(str::to_string)
        .collect();
    (author, co)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_partners_changes_are_committed_with_them_as_author_and_co_author() {
    let (dir, ws) = repository();
    let d = dir.path();
    let file = ws.file_name().unwrap().to_str().unwrap().to_string();
    // Something else staged: the server must leave it staged and out of its commits.
    std::fs::write(d.join("notes.txt"), "staged, not the server's\n").unwrap();
    git(d, &["add", "notes.txt"]);
    let (prairie, lakeshore) = (key(), key());
    let people = d.join("people.yaml");
    std::fs::write(
        &people,
        format!(
            "people:\n- name: Pia Prairie\n  role: partner\n  partner: prairie-grocers\n  email: pia@prairie.example\n  keys: [\"{}\"]\n- name: Lou Lakeshore\n  role: partner\n  partner: lakeshore-outfitters\n  keys: [\"{}\"]\n",
            publine(&prairie),
            publine(&lakeshore)
        ),
    )
    .unwrap();
    // A remote it could push to, if it ever pushed.
    let remote = d.join("remote.git");
    git(d, &["init", "-q", "--bare", "remote.git"]);
    git(d, &["remote", "add", "origin", remote.to_str().unwrap()]);
    let host_key = d.join("host_key");
    let head0 = git(d, &["rev-parse", "HEAD"]).trim().to_string();

    // Saves wait long, commits come 6 s after a change: both changes join one window, and
    // the journal holds them until the commit saves.
    let server = Server::start(
        &ws,
        &people,
        &host_key,
        &["--save-delay", "600", "--commit", "--commit-every", "6"],
    );
    assert!(
        server
            .stderr()
            .contains("--commit: committing as Server Admin")
    );
    let pia = Screen::open(server.addr, None, &prairie, 160, 45, None).await;
    let lou = Screen::open(server.addr, None, &lakeshore, 160, 45, None).await;
    pia.wait_for(
        "online: Lou Lakeshore, Pia Prairie",
        Duration::from_secs(10),
    )
    .await;
    // Pia disputes her need N1's mapping; Lou adds a need of his organisation.
    pia.send(b"\t").await;
    pia.wait_for("Mappings of N1", Duration::from_secs(5)).await;
    pia.send(b"x").await;
    pia.wait_for("why?", Duration::from_secs(5)).await;
    pia.send(b"Level too low\r").await;
    pia.wait_for("disputed", Duration::from_secs(5)).await;
    lou.send(b"a").await;
    lou.wait_for("Add a need", Duration::from_secs(5)).await;
    lou.send(b"Fold returns into the stock counts").await;
    lou.send(b"\r").await;
    lou.wait_for("Added need", Duration::from_secs(5)).await;
    let journal = microcred::document::journal::find(&ws)
        .expect("readable")
        .expect("the journal holds both changes until the commit saves them");
    let actors: BTreeSet<String> = journal
        .entries
        .iter()
        .map(|e| e.actor.name.clone())
        .collect();
    assert_eq!(
        actors,
        BTreeSet::from(["Lou Lakeshore".to_string(), "Pia Prairie".to_string()])
    );

    // The commit comes within the window (and a little time for git).
    let t = Instant::now();
    let hashes = loop {
        let log = git(d, &["log", "--format=%H", &format!("{head0}..HEAD")]);
        let hashes: Vec<String> = log.lines().map(str::to_string).collect();
        let named: BTreeSet<String> = hashes
            .iter()
            .flat_map(|h| {
                let (a, co) = people_of(d, h);
                std::iter::once(a).chain(co)
            })
            .collect();
        if named.len() >= 2 {
            break hashes;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "no commit naming both within 20 s:\n{}",
            server.stderr()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Who made the changes: the journal's actors, with the email PEOPLE.yaml gives (or none).
    let mut named = BTreeSet::new();
    for h in &hashes {
        let (a, co) = people_of(d, h);
        named.insert(a);
        named.extend(co);
        // Only the design file is in the server's commits.
        let files = git(d, &["show", "--format=", "--name-only", h]);
        assert_eq!(files.trim(), file, "commit {h} holds only the design");
        let committer = git(d, &["show", "-s", "--format=%cn <%ce>", h]);
        assert_eq!(committer.trim(), "Server Admin <admin@college.example>");
    }
    assert_eq!(
        named,
        BTreeSet::from([
            "Lou Lakeshore <>".to_string(),
            "Pia Prairie <pia@prairie.example>".to_string()
        ])
    );
    let all = git(d, &["log", "--format=%B", &format!("{head0}..HEAD")]);
    // Needs, competencies and partners by name (issue 25, point 6).
    assert!(
        all.contains(
            "- Pia Prairie: disputed N1 \"New analysts can take a raw…\" → Clean and prepare data (digital-data:DD-DATA-03): Level too low"
        ),
        "{all}"
    );
    assert!(all.contains("- Lou Lakeshore: added need"), "{all}");
    // Over SSH a partner sees the history too: the server's commit, newest first.
    pia.send(b"H").await;
    pia.wait_for("History · w.yaml · newest first", Duration::from_secs(5))
        .await;
    pia.wait_for("1 mapping disputed", Duration::from_secs(10))
        .await;
    pia.send(b"\x1b").await;
    assert!(
        pia.wait_gone("newest first", Duration::from_secs(5)).await,
        "{}",
        pia.text()
    );
    // The staged file is still staged, and was never committed.
    let staged = git(d, &["diff", "--cached", "--name-only"]);
    assert_eq!(staged.trim(), "notes.txt");

    // One more change, then stop: the stop commits it without waiting for the window.
    let before = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    pia.send(b"c").await;
    pia.wait_for("Comment on N1", Duration::from_secs(5)).await;
    pia.send(b"Committed at stop\r").await;
    pia.wait_for("Commented on N1", Duration::from_secs(5))
        .await;
    let (st, log) = server.terminate_with_log();
    assert!(st.success(), "clean stop: {st}\n{log}");
    let head = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    assert_ne!(head, before, "committed at stop:\n{log}");
    let (author, co) = people_of(d, &head);
    assert_eq!(author, "Pia Prairie <pia@prairie.example>");
    assert!(co.is_empty(), "{co:?}");
    assert!(git(d, &["status", "--porcelain", "--", &file]).is_empty());
    assert_eq!(
        git(d, &["diff", "--cached", "--name-only"]).trim(),
        "notes.txt"
    );
    // Nothing was pushed: the remote has no commit at all.
    let pushed = git(&remote, &["for-each-ref"]);
    assert!(pushed.trim().is_empty(), "{pushed}");
}

#[test]
fn a_dirty_file_or_no_repository_stops_the_start() {
    let (dir, ws) = repository();
    let people = dir.path().join("people.yaml");
    let k = key();
    std::fs::write(
        &people,
        format!(
            "people:\n- name: Dee\n  role: designer\n  keys: [\"{}\"]\n",
            publine(&k)
        ),
    )
    .unwrap();
    let mut text = std::fs::read_to_string(&ws).unwrap();
    text = text.replace("Retail Data Analyst", "Retail Data Analyst II");
    std::fs::write(&ws, text).unwrap();
    let run_with_path = |ws: &Path, path: Option<&str>| {
        let mut cmd = Command::new(common::tmux::binary());
        if let Some(p) = path {
            cmd.env("PATH", p);
        }
        cmd.arg("serve")
            .arg(ws)
            .arg("--people")
            .arg(&people)
            .args(["--listen", "127.0.0.1:0", "--commit"])
            .arg("--host-key")
            .arg(dir.path().join("host_key"))
            .output()
            .expect("runs")
    };
    let run = |ws: &Path| run_with_path(ws, None);
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has changes git has not committed") && err.contains("commit or stash"),
        "{err}"
    );

    let elsewhere = tempfile::tempdir().unwrap();
    let lone = elsewhere.path().join("w.yaml");
    std::fs::copy(&ws, &lone).unwrap();
    let out = run(&lone);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not in a git repository"), "{err}");

    // No git on PATH.
    let out = run_with_path(&ws, Some(""));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--commit needs git: git could not be run"),
        "{err}"
    );
}
