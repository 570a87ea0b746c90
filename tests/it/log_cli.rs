//! `microcred log WORKSPACE`: the history of a design over three commits of a git repository
//! made here (text and JSON snapshots, with fixed dates and the hashes replaced by names), a
//! version that does not parse listed with its located error, and a file outside any
//! repository whose journal holds unsaved changes.

use assert_cmd::Command;

use crate::common;

use common::history::{V1, git_as, head, named, three_commits, v3};

fn microcred() -> Command {
    Command::cargo_bin("microcred").unwrap()
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
    // Named as the saved file names it (issue 25, point 6), not by its bare id.
    assert!(
        text.contains(
            "2026-01-05T09:00:00Z  Ann Designer  Deleted need N1 \"Clean a till export without…\"."
        ),
        "{text}"
    );
    let out = microcred()
        .args(["log", "--format", "json"])
        .arg(&w)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["repository"], false);
    assert_eq!(
        json["unsaved"][0]["what"],
        "Deleted need N1 \"Clean a till export without…\"."
    );
    // Without git: said so, the journal still listed.
    let out = microcred()
        .arg("log")
        .arg(&w)
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("git could not be run"), "{text}");
    assert!(text.contains("Deleted need N1 \""), "{text}");
    // Without a journal: no unsaved changes, said so.
    std::fs::remove_file(&journal).unwrap();
    let out = microcred().arg("log").arg(&w).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("No unsaved changes."), "{text}");
}

#[test]
fn a_renamed_file_in_a_subfolder_is_followed_and_each_version_read_by_its_old_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sub = d.join("designs");
    std::fs::create_dir(&sub).unwrap();
    let who = ("Ann Designer", "ann@college.example");
    git_as(d, who, "2026-01-01T10:00:00Z", &["init", "-q"]);
    std::fs::write(sub.join("old.yaml"), V1).unwrap();
    git_as(d, who, "2026-01-01T10:00:00Z", &["add", "."]);
    git_as(
        d,
        who,
        "2026-01-01T10:00:00Z",
        &["commit", "-q", "-m", "First"],
    );
    git_as(
        d,
        who,
        "2026-01-02T10:00:00Z",
        &["mv", "designs/old.yaml", "designs/données.yaml"],
    );
    git_as(
        d,
        who,
        "2026-01-02T10:00:00Z",
        &["commit", "-q", "-m", "Renamed"],
    );
    std::fs::write(sub.join("données.yaml"), v3()).unwrap();
    git_as(
        d,
        who,
        "2026-01-03T10:00:00Z",
        &["commit", "-q", "-am", "Changed"],
    );
    let out = microcred()
        .args(["log", "--format", "json"])
        .arg(sub.join("données.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let commits = json["commits"].as_array().unwrap();
    let paths: Vec<&str> = commits
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "designs/données.yaml",
            "designs/données.yaml",
            "designs/old.yaml"
        ]
    );
    for c in commits {
        assert!(c["error"].is_null(), "{c}");
    }
    assert_eq!(commits[1]["summary"], "no change to the design");
    assert!(
        commits[0]["summary"].as_str().unwrap().contains("+1 need"),
        "{}",
        commits[0]
    );
}
