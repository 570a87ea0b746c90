//! `microcred search` and `microcred suggest` on the built-in frameworks.

use assert_cmd::Command;

fn microcred() -> Command {
    let mut c = Command::cargo_bin("microcred").expect("binary");
    c.env_remove("MICROCRED_FRAMEWORKS");
    c
}

#[test]
fn search_prints_tsv_lines() {
    let a = microcred()
        .args(["search", "clean dat", "--top", "3"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let first = out.lines().next().expect("a hit");
    let cols: Vec<&str> = first.split('\t').collect();
    assert_eq!(cols.len(), 3, "{first}");
    assert!(cols[0].parse::<i64>().is_ok(), "{first}");
    assert_eq!(cols[1], "digital-data:DD-DATA-03");
    assert_eq!(cols[2], "Clean and prepare data");
    assert!(out.lines().count() <= 3);
}

#[test]
fn search_json_has_positions() {
    let a = microcred()
        .args(["search", "clean", "--top", "2", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).expect("json");
    let first = &v[0];
    assert_eq!(first["positions"], serde_json::json!([0, 1, 2, 3, 4]));
    assert_eq!(v.as_array().map(Vec::len), Some(2));
}

#[test]
fn search_without_hits_is_empty_and_fine() {
    microcred()
        .args(["search", "qqqqqqqxz"])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn suggest_prints_ranked_tsv() {
    let a = microcred()
        .args(["suggest", "clean messy data exports", "--top", "3"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3, "{out}");
    for (i, cols) in lines.iter().enumerate() {
        assert_eq!(cols.len(), 4, "{out}");
        assert_eq!(cols[0], (i + 1).to_string());
        assert!(cols[2].parse::<f64>().is_ok(), "{out}");
    }
    assert!(
        lines.iter().any(|c| c[1] == "digital-data:DD-DATA-03"),
        "{out}"
    );
}

#[test]
fn suggest_for_a_need_of_a_workspace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("ws.yaml");
    std::fs::write(
        &ws,
        "schema: microcred/workspace@1\ncredential:\n  title: T\npartners:\n  - { id: p, name: P, kind: industry }\nneeds:\n  - id: N1\n    partner: p\n    statement: Clean and prepare messy data\n    priority: must\n",
    )
    .expect("write");
    let a = microcred()
        .args(["suggest", "--need", "N1", "--format", "json"])
        .arg(&ws)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).expect("json");
    assert_eq!(v[0]["ref"], "digital-data:DD-DATA-03");
    assert_eq!(v[0]["rank"], 1);
    let e = microcred()
        .args(["suggest", "--need", "N9"])
        .arg(&ws)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&e.get_output().stderr).to_string();
    assert!(
        err.contains("no need `N9`") && err.contains("`N1`"),
        "{err}"
    );
}
