//! `microcred log WORKSPACE`: the history of a design over three commits of a git repository
//! made here (text and JSON snapshots, with fixed dates and the hashes replaced by names), a
//! version that does not parse listed with its located error, and a file outside any
//! repository whose journal holds unsaved changes.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

fn microcred() -> Command {
    Command::cargo_bin("microcred").unwrap()
}

const V1: &str = "schema: microcred/workspace@1
frameworks:
  - id: digital-data
    version: \"1.0\"
credential:
  title: Small data skills
partners:
  - id: acme
    name: Acme Grocers
    kind: industry
needs:
  - id: N1
    partner: acme
    statement: Clean a till export without hand-editing.
    priority: must
";

fn v2() -> String {
    format!(
        "{V1}  - id: N2
    partner: acme
    statement: Write SQL for their own questions.
    priority: should
competencies:
  - ref: digital-data:DD-AI-02
    target_level: 2
    hours: 6
mappings:
  - need: N1
    competency: digital-data:DD-AI-02
    status: proposed
"
    )
}

fn v3() -> String {
    v2().replace(
        "status: proposed",
        "status: agreed\n    agreed_by: ann@acme",
    )
}

/// Run git in `dir` as the given author at the given time (both dates fixed).
fn git_as(dir: &Path, who: (&str, &str), date: &str, args: &[&str]) {
    let st = Process::new("git")
        .current_dir(dir)
        .args(["-c", &format!("user.name={}", who.0)])
        .args(["-c", &format!("user.email={}", who.1)])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .args(args)
        .status()
        .expect("git runs");
    assert!(st.success(), "git {args:?}");
}

fn head(dir: &Path, rev: &str) -> String {
    let out = Process::new("git")
        .current_dir(dir)
        .args(["rev-parse", rev])
        .output()
        .expect("git runs");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A repository with three commits of `w.yaml` by two people; returns the hashes, oldest first.
fn three_commits(dir: &Path) -> Vec<String> {
    let w = dir.join("w.yaml");
    let ann = ("Ann Designer", "ann@college.example");
    let bo = ("Bo Partner", "bo@acme.example");
    git_as(dir, ann, "2026-01-01T10:00:00Z", &["init", "-q"]);
    std::fs::write(&w, V1).unwrap();
    git_as(dir, ann, "2026-01-01T10:00:00Z", &["add", "w.yaml"]);
    git_as(
        dir,
        ann,
        "2026-01-01T10:00:00Z",
        &["commit", "-q", "-m", "First draft"],
    );
    std::fs::write(&w, v2()).unwrap();
    git_as(
        dir,
        ann,
        "2026-01-02T10:00:00Z",
        &[
            "commit",
            "-q",
            "-am",
            "Add a need and a mapping\n\nFrom the meeting.",
        ],
    );
    std::fs::write(&w, v3()).unwrap();
    git_as(
        dir,
        bo,
        "2026-01-03T10:00:00Z",
        &["commit", "-q", "-am", "Agree the mapping"],
    );
    vec![head(dir, "HEAD~2"), head(dir, "HEAD~1"), head(dir, "HEAD")]
}

/// `text` with each hash (full and short) replaced by `C1`, `C2`, … (oldest first).
fn named(mut text: String, hashes: &[String]) -> String {
    for (i, h) in hashes.iter().enumerate() {
        text = text.replace(h.as_str(), &format!("C{}", i + 1));
        text = text.replace(&h[..8], &format!("C{}", i + 1));
    }
    text
}

#[test]
fn log_over_three_commits_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let hashes = three_commits(dir.path());
    let w = dir.path().join("w.yaml");
    let out = microcred().arg("log").arg(&w).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = named(String::from_utf8(out.stdout).unwrap(), &hashes);
    // Newest first, each with its one-line summary.
    let c3 = text.find("commit C3").expect("C3 listed");
    let c1 = text.find("commit C1").expect("C1 listed");
    assert!(c3 < c1, "{text}");
    assert!(text.contains("1 mapping agreed"), "{text}");
    assert!(text.contains("Bo Partner <bo@acme.example>"), "{text}");
    insta::assert_snapshot!("log_text", text);

    let out = microcred()
        .args(["log", "--format", "json"])
        .arg(&w)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_str(&named(String::from_utf8(out.stdout).unwrap(), &hashes)).unwrap();
    assert_eq!(json["repository"], true);
    assert_eq!(json["commits"].as_array().unwrap().len(), 3);
    assert_eq!(
        json["commits"][1]["summary"],
        "+1 need, +1 mapping, +1 competency, coverage 0% → 60%, −1 critical need"
    );
    let mut json = json;
    json["file"] = "w.yaml".into();
    insta::assert_json_snapshot!("log_json", json);

    // -n caps the list; the oldest listed is still compared with the version before it.
    let out = microcred()
        .args(["log", "-n", "1"])
        .arg(&w)
        .output()
        .unwrap();
    let text = named(String::from_utf8(out.stdout).unwrap(), &hashes);
    assert!(
        text.contains("commit C3") && !text.contains("commit C2"),
        "{text}"
    );
    assert!(text.contains("1 mapping agreed"), "{text}");
}

#[test]
fn a_version_that_does_not_parse_is_listed_with_its_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut hashes = three_commits(dir.path());
    let w = dir.path().join("w.yaml");
    std::fs::write(&w, v3() + "needs: [\n").unwrap();
    git_as(
        dir.path(),
        ("Ann Designer", "ann@college.example"),
        "2026-01-04T10:00:00Z",
        &["commit", "-q", "-am", "Broken by hand"],
    );
    hashes.push(head(dir.path(), "HEAD"));
    let out = microcred().arg("log").arg(&w).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = named(String::from_utf8(out.stdout).unwrap(), &hashes);
    // The broken version names its file, commit, line and column; the others still diff.
    assert!(
        text.contains("cannot read this version: w.yaml@C4:"),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.contains("w.yaml@C4:"))
        .unwrap()
        .to_string();
    let located = line.split("w.yaml@C4:").nth(1).unwrap();
    let mut parts = located.split(':');
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
    assert!(text.contains("1 mapping agreed"), "{text}");
}

#[test]
fn outside_a_repository_it_says_so_and_lists_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.yaml");
    std::fs::write(&w, V1).unwrap();
    // A journal as an editor leaves it: a base line, then one change.
    let journal = dir.path().join(".w.yaml.journal");
    let entry = serde_json::json!({
        "time": "2026-01-05T09:00:00Z",
        "actor": {"name": "Ann Designer", "role": "designer"},
        "op": {"op": "remove_need", "id": "N1"}
    });
    std::fs::write(&journal, format!("{entry}\n")).unwrap();
    let out = microcred().arg("log").arg(&w).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("is not in a git repository"), "{text}");
    assert!(
        text.contains("Unsaved changes (1, in the journal)"),
        "{text}"
    );
    assert!(
        text.contains("2026-01-05T09:00:00Z  Ann Designer  Removed need N1."),
        "{text}"
    );
    let out = microcred()
        .args(["log", "--format", "json"])
        .arg(&w)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["repository"], false);
    assert_eq!(json["unsaved"][0]["what"], "Removed need N1.");
    // Without a journal: no unsaved changes, said so.
    std::fs::remove_file(&journal).unwrap();
    let out = microcred().arg("log").arg(&w).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("No unsaved changes."), "{text}");
}
