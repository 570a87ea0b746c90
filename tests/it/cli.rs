//! The command line: frameworks, validate, fmt, schema.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn microcred() -> Command {
    let mut c = Command::cargo_bin("microcred").unwrap();
    c.env_remove("MICROCRED_FRAMEWORKS");
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const FW: &str = "id: extra\nname: Extra\nversion: \"2\"\nlevels:\n  - level: 1\n    name: One\ncompetencies:\n  - id: X1\n    name: Thing\n    description: A thing.\n";

#[test]
fn frameworks_from_an_empty_folder_lists_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let json = stdout(
        microcred()
            .current_dir(dir.path())
            .args(["frameworks", "--format", "json"]),
    );
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 4);
    let total: u64 = list
        .iter()
        .map(|f| f["competencies"].as_u64().unwrap())
        .sum();
    assert!(total >= 120, "{total} competencies");
    for f in list {
        assert_eq!(f["origin"], "built-in");
        assert!(f["source"].is_string());
    }
    let text = stdout(microcred().current_dir(dir.path()).arg("frameworks"));
    assert!(
        text.contains("digital-data") && text.contains("frameworks,"),
        "{text}"
    );
}

#[test]
fn more_frameworks_come_from_flags_env_and_beside_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("more");
    std::fs::create_dir(&extra).unwrap();
    std::fs::write(extra.join("extra.yaml"), FW).unwrap();
    // The flag works before and after the subcommand.
    for args in [
        vec!["--frameworks", "more", "frameworks"],
        vec!["frameworks", "--frameworks", "more"],
    ] {
        let out = stdout(microcred().current_dir(dir.path()).args(&args));
        assert!(out.contains("extra"), "{out}");
    }
    let out = stdout(
        microcred()
            .current_dir(dir.path())
            .env("MICROCRED_FRAMEWORKS", &extra)
            .arg("frameworks"),
    );
    assert!(out.contains("extra"), "{out}");
    // A workspace's own frameworks/ folder.
    let ws_dir = dir.path().join("design");
    std::fs::create_dir_all(ws_dir.join("frameworks")).unwrap();
    std::fs::write(ws_dir.join("frameworks/extra.yaml"), FW).unwrap();
    std::fs::write(
        ws_dir.join("w.yaml"),
        "schema: microcred/workspace@1\ncompetencies:\n  - ref: extra:X1\n    target_level: 1\n",
    )
    .unwrap();
    microcred()
        .current_dir(dir.path())
        .args(["validate", "design/w.yaml"])
        .assert()
        .success();
}

#[test]
fn a_file_overrides_the_built_in_framework_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("frameworks/digital-data.yaml")).unwrap();
    std::fs::write(
        dir.path().join("dd.yaml"),
        text.replace("version: \"1.0\"", "version: \"1.1\""),
    )
    .unwrap();
    let out =
        stdout(
            microcred()
                .current_dir(dir.path())
                .args(["--frameworks", "dd.yaml", "frameworks"]),
        );
    let line = out.lines().find(|l| l.starts_with("digital-data")).unwrap();
    assert!(
        line.contains("1.1") && line.contains("overrides built-in"),
        "{line}"
    );
}

#[test]
fn the_same_id_in_two_files_is_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), FW).unwrap();
    std::fs::write(dir.path().join("b.yaml"), FW).unwrap();
    let out = microcred()
        .current_dir(dir.path())
        .args(["--frameworks", ".", "frameworks"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a.yaml") && err.contains("b.yaml") && err.contains("`extra`"),
        "{err}"
    );
}

#[test]
fn shipped_frameworks_and_examples_validate() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["frameworks", "examples"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    assert!(
        files
            .iter()
            .filter(|f| f.starts_with(root().join("frameworks")))
            .count()
            >= 4
    );
    microcred()
        .current_dir(root())
        .arg("validate")
        .args(&files)
        .assert()
        .success();
}

#[test]
fn every_shipped_framework_is_built_in() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("frameworks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = microcred::catalog::EMBEDDED
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
}

#[test]
fn validate_reports_every_problem_not_just_the_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "id: x\n").unwrap();
    std::fs::write(
        dir.path().join("w.yaml"),
        "schema: microcred/workspace@1\nneeds:\n  - { id: N1, partner: p1, statement: s, priority: must }\n  - { id: N2, partner: p2, statement: s, priority: must }\n",
    )
    .unwrap();
    let out = microcred()
        .current_dir(dir.path())
        .args(["validate", "a.yaml", "w.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a.yaml:1:1: missing field"), "{err}");
    assert!(
        err.contains("w.yaml:3:24: partner `p1`") && err.contains("w.yaml:4:24: partner `p2`"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    microcred().args(["validate"]).assert().code(2);
    microcred()
        .args(["frameworks", "--format", "xml"])
        .assert()
        .code(2);
    microcred()
        .args(["no-such-command", "x", "y"])
        .assert()
        .code(2);
    microcred().args(["--help"]).assert().success();
}

#[test]
fn fmt_rewrites_in_canonical_form_and_check_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.yaml");
    let messy = "schema: microcred/workspace@1\npartners: [ {kind: industry, name: 'Acme', id: acme} ]\ncredential: {title: 'no', grading: \"007\"}\n";
    std::fs::write(&p, messy).unwrap();
    microcred()
        .arg("fmt")
        .arg(&p)
        .arg("--check")
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        messy,
        "--check changed the file"
    );
    microcred().arg("fmt").arg(&p).assert().success();
    let canonical = std::fs::read_to_string(&p).unwrap();
    assert_eq!(
        canonical,
        "schema: microcred/workspace@1\ncredential:\n  title: \"no\"\n  grading: \"007\"\npartners:\n  - id: acme\n    name: Acme\n    kind: industry\n"
    );
    microcred()
        .arg("fmt")
        .arg(&p)
        .arg("--check")
        .assert()
        .success();
    // No temporary files left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn examples_are_canonical() {
    for e in std::fs::read_dir(root().join("examples")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            microcred()
                .current_dir(root())
                .arg("fmt")
                .arg(&p)
                .arg("--check")
                .assert()
                .success();
        }
    }
}

#[test]
fn json_schemas_are_up_to_date() {
    for format in microcred::export::schema::FORMATS {
        let path = root().join(format!("schemas/{format}.schema.json"));
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        let generated = microcred::export::schema::json_schema(format).unwrap();
        assert!(
            on_disk == generated,
            "{} is out of date: run `cargo run -- schema {format} > {}`",
            path.display(),
            Path::new("schemas")
                .join(format!("{format}.schema.json"))
                .display()
        );
    }
}

/// Every command that prints data, with arguments that make it print.
fn printing_commands() -> Vec<Vec<String>> {
    let ex = root()
        .join("examples/retrofit-gaps.yaml")
        .display()
        .to_string();
    let fw = root()
        .join("frameworks/digital-data.yaml")
        .display()
        .to_string();
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        s(&["check", &ex]),
        s(&["check", &ex, "--format", "json"]),
        s(&["search", "a", "--top", "100000"]),
        s(&[
            "suggest",
            "read drawings and plan a retrofit",
            "--top",
            "1000",
        ]),
        s(&["frameworks"]),
        s(&["schema", "workspace"]),
        s(&["frameworks", "--format", "json"]),
        s(&["validate", &fw, &ex]),
        s(&["export", &ex, "--force"]),
        s(&["export", &ex, "--force", "--format", "markdown"]),
    ]
}

fn run_with_stdout(args: &[String], stdout: std::process::Stdio) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("microcred"))
        .args(args)
        .env_remove("MICROCRED_FRAMEWORKS")
        .env("MICROCRED_NO_CACHE", "1")
        .current_dir(root())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// `microcred check | head`: a reader that goes away is not an error. The command ends
/// quietly (it used to panic with exit 101).
#[test]
fn a_closed_stdout_ends_quietly() {
    for args in printing_commands() {
        let mut child = run_with_stdout(&args, std::process::Stdio::piped());
        drop(child.stdout.take()); // the reader is gone before anything is written
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("cannot write"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}

/// `microcred check > /dev/full`: any other write error is said once and exits 1.
#[test]
fn a_failed_write_to_stdout_is_reported_and_exits_1() {
    for args in printing_commands() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = run_with_stdout(&args, full.into())
            .wait_with_output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            err.contains("microcred: cannot write the output: "),
            "{args:?}: {err}"
        );
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    }
}
