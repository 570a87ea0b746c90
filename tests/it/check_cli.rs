//! `microcred check` end to end: snapshots of the reports of every example workspace, exit codes
//! and the located message of an invalid workspace.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn microcred() -> Command {
    let mut cmd = Command::cargo_bin("microcred").expect("the binary is built");
    cmd.env_remove("MICROCRED_FRAMEWORKS");
    cmd
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    assert!(out.len() >= 2, "expected at least two examples");
    out
}

fn stdout_of(args: &[&str], path: &Path) -> String {
    let out = microcred()
        .arg("check")
        .arg(path)
        // A fixed date, so that what is stale evidence does not move with the calendar.
        .args(["--as-of", "2026-11-30"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn text_reports_of_every_example() {
    for path in examples() {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("x");
        let text = stdout_of(&[], &path);
        insta::assert_snapshot!(format!("{stem}.text"), text);
    }
}

#[test]
fn json_reports_of_every_example() {
    for path in examples() {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("x");
        let json = stdout_of(&["--format", "json"], &path);
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert!(value["coverage_percent"].is_number());
        insta::assert_snapshot!(format!("{stem}.json"), json);
    }
}

#[test]
fn complete_example_passes_fail_on_any() {
    microcred()
        .args(["check", "--fail-on", "any", "--min-coverage", "100"])
        .arg(example("retail-data-analyst.yaml"))
        .assert()
        .code(0);
}

#[test]
fn gaps_example_fails_on_critical_but_not_by_default() {
    let out = microcred()
        .args(["check", "--fail-on", "critical"])
        .arg(example("retrofit-gaps.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("N4, N9"), "{stderr}");
    // The report is still printed.
    assert!(String::from_utf8_lossy(&out.stdout).contains("Critical needs"));

    microcred()
        .arg("check")
        .arg(example("retrofit-gaps.yaml"))
        .assert()
        .code(0);
    microcred()
        .args(["check", "--fail-on", "any"])
        .arg(example("retrofit-gaps.yaml"))
        .assert()
        .code(1);
    // 16 / 23 = 69.6 %: passes 69, fails 70.
    microcred()
        .args(["check", "--min-coverage", "69"])
        .arg(example("retrofit-gaps.yaml"))
        .assert()
        .code(0);
    microcred()
        .args(["check", "--min-coverage", "70"])
        .arg(example("retrofit-gaps.yaml"))
        .assert()
        .code(1);
}

#[test]
fn min_coverage_above_100_fails() {
    let out = microcred()
        .args(["check", "--min-coverage", "101"])
        .arg(example("retail-data-analyst.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--min-coverage 101"));
}

#[test]
fn usage_errors_exit_2() {
    microcred()
        .args(["check", "--min-coverage", "lots"])
        .arg(example("retail-data-analyst.yaml"))
        .assert()
        .code(2);
    microcred()
        .args(["check", "--fail-on", "sometimes"])
        .arg(example("retail-data-analyst.yaml"))
        .assert()
        .code(2);
    microcred().arg("check").assert().code(2);
}

#[test]
fn invalid_workspace_exits_1_with_file_line_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.yaml");
    let text = std::fs::read_to_string(example("retail-data-analyst.yaml"))
        .expect("example")
        .replacen("partner: prairie-grocers", "partner: prairie-grocer", 1);
    std::fs::write(&path, &text).expect("write");
    let line = text
        .lines()
        .position(|l| l.contains("partner: prairie-grocer"))
        .expect("edited line")
        + 1;
    let out = microcred().arg("check").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no report for an invalid workspace");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let located = format!("{}:{line}:14:", path.display());
    assert!(stderr.contains(&located), "{located} not in {stderr}");
    assert!(stderr.contains("prairie-grocer"), "{stderr}");
}

#[test]
fn min_coverage_uses_the_weighting_asked_for() {
    // The evidence example: 69.6 % weighted by priority, 71.6 % weighted by evidence.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-evidence.yaml");
    let run = |extra: &[&str]| {
        microcred()
            .arg("check")
            .arg(&path)
            .args(["--min-coverage", "70"])
            .args(extra)
            .output()
            .expect("runs")
    };
    let by_priority = run(&[]);
    assert_eq!(by_priority.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&by_priority.stderr)
            .contains("coverage 69.6% is below --min-coverage 70"),
        "{}",
        String::from_utf8_lossy(&by_priority.stderr)
    );
    let by_evidence = run(&["--weighting", "evidence"]);
    assert_eq!(
        by_evidence.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&by_evidence.stderr)
    );
    let text = String::from_utf8_lossy(&by_evidence.stdout);
    assert!(
        text.contains("Coverage weighted by evidence: 71.6% (priority × (endorsing partners + log2(1 + postings))); --min-coverage uses it"),
        "{text}"
    );
    // The JSON report holds both figures whatever the weighting.
    let json = microcred()
        .arg("check")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!((v["coverage_percent"].as_f64().unwrap() - 69.565).abs() < 0.01);
    let e = v["support"]["evidence_coverage_percent"].as_f64().unwrap();
    assert!((e - 71.6).abs() < 0.05, "{e}");
    assert_eq!(v["support"]["needs"].as_array().unwrap().len(), 10);
}
