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
