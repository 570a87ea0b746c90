//! git runs none of a repository's own commands (issue 24, point 3). A repository whose
//! configuration names a marker command in every setting that can run one (fsmonitor, hooks
//! and core.hooksPath, log.showSignature with gpg.program and a commit carrying a `gpgsig`
//! header, commit.gpgSign, core.pager, diff.external, textconv and diff commands, clean/smudge/
//! process filters, core.sshCommand, core.editor): plain git runs them (checked first, so the
//! test could fail), then `microcred log`, `microcred diff FILE@REV`, the history (the view `H`
//! reads it through the same calls) and `serve --commit`'s status, add and commit run none.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

use crate::common;

use common::history::{git_as, three_commits, v3};

const MARKED: &[&str] = &[
    "fsmonitor",
    "hook",
    "gpg",
    "pager",
    "external",
    "textconv",
    "command",
    "clean",
    "smudge",
    "process",
    "ssh",
    "editor",
];

/// A script that notes its name in `marks` and passes its input through (the fsmonitor hook
/// fails instead, so that git still looks at the files).
fn marker(bin: &Path, marks: &Path, name: &str) -> PathBuf {
    let p = bin.join(name);
    let rest = if name == "fsmonitor" {
        "exit 1"
    } else {
        "cat\nexit 0"
    };
    std::fs::write(
        &p,
        format!("#!/bin/sh\necho {name} >> '{}'\n{rest}\n", marks.display()),
    )
    .unwrap();
    let mut perm = std::fs::metadata(&p).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    std::fs::set_permissions(&p, perm).unwrap();
    p
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Process::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git runs")
}

/// Rewrite HEAD as a commit carrying a `gpgsig` header (a signature git would check).
fn sign_head(dir: &Path) {
    let raw = String::from_utf8(git(dir, &["cat-file", "commit", "HEAD"]).stdout).unwrap();
    let (head, rest) = raw.split_once("\n\n").unwrap();
    let signed = format!(
        "{head}\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\n{rest}"
    );
    let mut child = Process::new("git")
        .current_dir(dir)
        .args(["hash-object", "-t", "commit", "-w", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(signed.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let hash = String::from_utf8(out.stdout).unwrap();
    assert!(
        git(dir, &["update-ref", "HEAD", hash.trim()])
            .status
            .success()
    );
}

/// The repository: three commits of `w.yaml`, the last one signed, every setting a marker.
fn hostile_repository() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("repo");
    let bin = root.path().join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    let marks = root.path().join("marks");
    three_commits(&dir);
    std::fs::write(dir.join(".gitattributes"), "w.yaml filter=evil diff=evil\n").unwrap();
    git_as(
        &dir,
        ("Ann Designer", "ann@college.example"),
        "2026-01-04T10:00:00Z",
        &["add", ".gitattributes"],
    );
    git_as(
        &dir,
        ("Ann Designer", "ann@college.example"),
        "2026-01-04T10:00:00Z",
        &["commit", "-q", "-m", "Attributes"],
    );
    sign_head(&dir);
    let m = |name: &str| marker(&bin, &marks, name).display().to_string();
    let hooks = dir.join(".git").join("evil-hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    for h in [
        "post-index-change",
        "pre-commit",
        "prepare-commit-msg",
        "commit-msg",
        "post-commit",
        "reference-transaction",
        "pre-auto-gc",
    ] {
        let p = marker(&bin, &marks, "hook");
        std::fs::copy(&p, hooks.join(h)).unwrap();
        std::fs::copy(&p, dir.join(".git").join("hooks").join(h)).unwrap();
    }
    let settings = [
        ("core.fsmonitor", m("fsmonitor")),
        ("core.hooksPath", hooks.display().to_string()),
        ("log.showSignature", "true".into()),
        ("gpg.program", m("gpg")),
        ("commit.gpgSign", "true".into()),
        ("core.pager", m("pager")),
        ("diff.external", m("external")),
        ("diff.evil.textconv", m("textconv")),
        ("diff.evil.command", m("command")),
        ("filter.evil.clean", m("clean")),
        ("filter.evil.smudge", m("smudge")),
        ("filter.evil.process", m("process")),
        ("core.sshCommand", m("ssh")),
        ("core.editor", m("editor")),
    ];
    for (k, v) in &settings {
        assert!(git(&dir, &["config", k, v]).status.success(), "{k}");
    }
    (root, dir, marks)
}

fn marks_of(marks: &Path) -> String {
    std::fs::read_to_string(marks).unwrap_or_default()
}

#[test]
fn git_runs_none_of_the_repositorys_own_commands() {
    let (_root, dir, marks) = hostile_repository();
    let w = dir.join("w.yaml");
    // Plain git runs them: the repository is as hostile as it looks.
    std::fs::write(&w, v3() + "# changed\n").unwrap();
    let _ = git(&dir, &["status", "--porcelain"]);
    let _ = git(&dir, &["log", "-n1"]);
    let _ = git(&dir, &["diff"]);
    let seen = marks_of(&marks);
    // (A `process` filter is run in place of `clean`, a diff driver's `command` in place of
    // diff.external.)
    for expected in ["fsmonitor", "hook", "gpg", "process", "command"] {
        assert!(seen.contains(expected), "plain git ran {expected}: {seen}");
    }
    std::fs::remove_file(&marks).unwrap();

    // microcred log and diff FILE@REV.
    let out = Command::cargo_bin("microcred")
        .unwrap()
        .arg("log")
        .arg(&w)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Agree the mapping"));
    let old = format!("{}@HEAD~2", w.display());
    let new = format!("{}@HEAD", w.display());
    let out = Command::cargo_bin("microcred")
        .unwrap()
        .args(["diff", &old, &new])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "differences: {out:?}");

    // The history the view `H` shows, and what `serve --commit` runs.
    use microcred::store::git;
    let commits = git::log(&w, 10, false).unwrap();
    assert!(commits.len() >= 3, "{commits:?}");
    for c in &commits {
        c.text(&w).unwrap();
    }
    assert!(git::uncommitted(&w).unwrap().is_some());
    let hash = git::commit_file(&w, "Saved in microcred serve", "Ann <ann@college.example>")
        .unwrap()
        .expect("a commit");
    assert_eq!(hash.len(), 40);
    assert!(git::uncommitted(&w).unwrap().is_none());
    let seen = marks_of(&marks);
    assert!(seen.is_empty(), "microcred's git ran: {seen}");
    for name in MARKED {
        assert!(!seen.contains(name), "{name}");
    }
}
