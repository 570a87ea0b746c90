//! `diff` and `log` on a portfolio, as on a design: two files and `FILE@REV` compared in the
//! portfolio's terms (credentials, stacks, pathways, components, links), a portfolio refused
//! against a design, and `log` over commits of a git repository made here.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

use common::history::{git_as, head, named};

fn microcred() -> Command {
    let mut cmd = Command::cargo_bin("microcred").unwrap();
    cmd.env_remove("MICROCRED_FRAMEWORKS");
    cmd
}

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/portfolio")
}

fn example() -> String {
    std::fs::read_to_string(example_dir().join("heat-pump-portfolio.yaml")).unwrap()
}

/// The example changed: the certificate takes any 2 of its parts, the route loses the link to
/// the helper job and gains a job component, and the title changes.
fn changed() -> String {
    example()
        .replace(
            "need: all\n      of: [fundamentals, installation, service]",
            "need: 2\n      of: [fundamentals, installation, service]",
        )
        .replace(
            "      - {from: fundamentals, to: helper-job, kind: precedes}\n",
            "",
        )
        .replace(
            "title: Heat pump technology at Harbourview Polytechnic",
            "title: Heat pumps at Harbourview",
        )
        .replace(
            "    links:\n",
            "      - id: energy-advisor\n        job:\n          name: Home energy advisor\n          occupation: \"3119\"\n    links:\n",
        )
}

#[test]
fn diff_compares_two_portfolios_in_their_own_terms() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
    std::fs::write(&a, example()).unwrap();
    std::fs::write(&b, changed()).unwrap();
    let out = microcred().arg("diff").arg(&a).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "~ title: Heat pump technology at Harbourview Polytechnic → Heat pumps at Harbourview"
        ),
        "{text}"
    );
    assert!(
        text.contains("Stacks\n  ~ hp-certificate requires:"),
        "{text}"
    );
    assert!(
        text.contains("+ hp-route/energy-advisor: job Home energy advisor"),
        "{text}"
    );
    assert!(
        text.contains("- hp-route: fundamentals → helper-job (precedes)"),
        "{text}"
    );
    // JSON for scripts.
    let out = microcred()
        .args(["diff", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["stacks"]["changed"][0]["id"], "hp-certificate");
    assert_eq!(
        json["components"]["added"][0]["id"],
        "hp-route/energy-advisor"
    );
    assert_eq!(json["links"]["removed"].as_array().unwrap().len(), 1);
    // The same portfolio: no difference, exit 0.
    let out = microcred().arg("diff").arg(&a).arg(&a).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "No differences.\n");
    // A portfolio and a design are not compared.
    let design = example_dir().join("heat-pump-service.yaml");
    let out = microcred()
        .arg("diff")
        .arg(&a)
        .arg(&design)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("compare like with like"),
        "{out:?}"
    );
}

#[test]
fn log_and_diff_at_a_revision_follow_a_portfolio_through_git() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.yaml");
    let ann = ("Ann Designer", "ann@college.example");
    git_as(dir.path(), ann, "2026-01-01T10:00:00Z", &["init", "-q"]);
    std::fs::write(&p, example()).unwrap();
    git_as(dir.path(), ann, "2026-01-01T10:00:00Z", &["add", "p.yaml"]);
    git_as(
        dir.path(),
        ann,
        "2026-01-01T10:00:00Z",
        &["commit", "-q", "-m", "The heat pump portfolio"],
    );
    std::fs::write(&p, changed()).unwrap();
    git_as(
        dir.path(),
        ann,
        "2026-01-02T10:00:00Z",
        &["commit", "-q", "-am", "Any two make the certificate"],
    );
    let hashes = vec![head(dir.path(), "HEAD~1"), head(dir.path(), "HEAD")];

    let out = microcred().arg("log").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = named(String::from_utf8(out.stdout).unwrap(), &hashes);
    let c2 = text.find("commit C2").expect("the second commit is listed");
    let c1 = text.find("commit C1").expect("the first commit is listed");
    assert!(c2 < c1, "{text}");
    assert!(
        text.contains("~1 portfolio field, ~1 stack, +1 component, −1 link"),
        "{text}"
    );
    // The first commit, against nothing: everything added.
    assert!(
        text.contains("+3 credentials, +1 stack, +1 pathway"),
        "{text}"
    );

    let out = microcred()
        .args(["log", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["commits"][0]["diff"]["stacks"]["changed"][0]["id"],
        "hp-certificate"
    );
    assert_eq!(
        json["commits"][1]["diff"]["credentials"]["added"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // diff FILE@REV against the file.
    let old = format!("{}@HEAD~1", p.display());
    let out = microcred().arg("diff").arg(&old).arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("hp-certificate requires"));
}
