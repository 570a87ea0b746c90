//! A git repository made in a test: a small design (`w.yaml`) committed three times by two
//! people at fixed dates, for `microcred log` and the editor's history view.

use std::path::Path;
use std::process::Command as Process;

pub const V1: &str = "schema: microcred/workspace@1
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

pub fn v2() -> String {
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

pub fn v3() -> String {
    v2().replace(
        "status: proposed",
        "status: agreed\n    agreed_by: ann@acme",
    )
}

/// Run git in `dir` as the given author at the given time (both dates fixed).
pub fn git_as(dir: &Path, who: (&str, &str), date: &str, args: &[&str]) {
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

pub fn head(dir: &Path, rev: &str) -> String {
    let out = Process::new("git")
        .current_dir(dir)
        .args(["rev-parse", rev])
        .output()
        .expect("git runs");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A repository with three commits of `w.yaml` by two people; returns the hashes, oldest first.
pub fn three_commits(dir: &Path) -> Vec<String> {
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
pub fn named(mut text: String, hashes: &[String]) -> String {
    for (i, h) in hashes.iter().enumerate() {
        text = text.replace(h.as_str(), &format!("C{}", i + 1));
        text = text.replace(&h[..8], &format!("C{}", i + 1));
    }
    text
}

/// [`named`] for screens: each name padded to its hash's width, so that frames stay aligned.
pub fn named_padded(mut text: String, hashes: &[String]) -> String {
    for (i, h) in hashes.iter().enumerate() {
        let name = format!("C{}", i + 1);
        text = text.replace(h.as_str(), &format!("{name:<40}"));
        text = text.replace(&h[..8], &format!("{name:<8}"));
    }
    text
}
