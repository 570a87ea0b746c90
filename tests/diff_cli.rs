//! `microcred diff OLD NEW`: hand-made pairs for each kind of change (text and JSON
//! snapshots), exit codes as diff's, and FILE@REV against a git repository made here.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

fn microcred() -> Command {
    Command::cargo_bin("microcred").unwrap()
}

/// The gaps example and an edited copy: a need's priority and a statement changed, a need
/// added, a mapping disputed and its level raised, a competency's hours changed and one dropped
/// (with its mappings), a credential element and a partner's name changed.
fn pair(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml");
    let old = dir.join("old.yaml");
    std::fs::copy(&src, &old).unwrap();
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let mut ws = microcred::document::load_workspace(&old, &cat)
        .unwrap()
        .workspace;
    ws.needs[0].priority = microcred::model::Priority::Could;
    ws.needs[1].statement = "Run blower door tests and find every leak.".into();
    let mut added = ws.needs[2].clone();
    added.id = "N11".into();
    added.statement = "Read mechanical drawings on site.".into();
    ws.needs.push(added);
    ws.mappings[0].status = microcred::model::MappingStatus::Disputed;
    ws.mappings[0].required_level = Some(4);
    ws.competencies[0].hours = Some(40.0);
    let dropped = ws.competencies.pop().unwrap().reference;
    ws.mappings.retain(|m| m.competency != dropped);
    ws.credential.title = Some("Cold-climate retrofit technician".into());
    ws.partners[0].name = "Coastline Energy Services".into();
    let new = dir.join("new.yaml");
    std::fs::write(&new, microcred::document::workspace_to_string(&ws)).unwrap();
    (old, new)
}

#[test]
fn every_kind_of_change_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = pair(dir.path());
    let out = microcred()
        .current_dir(dir.path())
        .args(["diff", "old.yaml", "new.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "differences: exit 1");
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("diff_text", text);
    let out = microcred()
        .current_dir(dir.path())
        .args(["diff", "old.yaml", "new.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_json_snapshot!("diff_json", json);
    // The same file twice: no differences, exit 0.
    microcred()
        .args(["diff"])
        .arg(&old)
        .arg(&old)
        .assert()
        .code(0);
    // A file that is not a design: trouble, exit 2, the file named.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "needs: [").unwrap();
    let out = microcred()
        .arg("diff")
        .arg(&bad)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.yaml"));
}

fn git(dir: &Path, args: &[&str]) {
    let st = Process::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .status()
        .expect("git runs");
    assert!(st.success(), "git {args:?}");
}

#[test]
fn file_at_revision_reads_the_file_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = pair(dir.path());
    let w = dir.path().join("w.yaml");
    std::fs::copy(&old, &w).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "w.yaml"]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    std::fs::copy(&new, &w).unwrap();
    git(dir.path(), &["commit", "-q", "-am", "second"]);
    let at = |rev: &str| format!("{}@{rev}", w.display());
    let by_rev = microcred()
        .args(["diff", &at("HEAD~1"), &at("HEAD")])
        .output()
        .unwrap();
    let by_file = microcred()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(by_rev.status.code(), Some(1));
    assert_eq!(
        by_rev.stdout, by_file.stdout,
        "the revisions hold the two files"
    );
    // Against the working file, and a revision that does not exist.
    microcred()
        .arg("diff")
        .arg(at("HEAD"))
        .arg(&w)
        .assert()
        .code(0);
    let out = microcred()
        .args(["diff", &at("no-such-rev"), &at("HEAD")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rev"));
}
