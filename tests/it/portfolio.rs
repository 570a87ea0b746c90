//! `microcred check PORTFOLIO`: the bundled example, and one fixture per check built to trip
//! it (from the example's three designs, changed in a temporary folder).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const DESIGNS: [&str; 3] = [
    "heat-pump-fundamentals.yaml",
    "heat-pump-installation.yaml",
    "heat-pump-service.yaml",
];

fn microcred() -> Command {
    let mut cmd = Command::cargo_bin("microcred").expect("the binary is built");
    cmd.env_remove("MICROCRED_FRAMEWORKS");
    cmd
}

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/portfolio")
}

fn example_portfolio() -> String {
    std::fs::read_to_string(example_dir().join("heat-pump-portfolio.yaml")).expect("example")
}

/// A folder with the example's designs, each changed by `edit(name, text)`, and the portfolio
/// `portfolio`; returns (folder, portfolio path).
fn fixture(portfolio: &str, edit: impl Fn(&str, String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    for d in DESIGNS {
        let text = std::fs::read_to_string(example_dir().join(d)).expect("design");
        std::fs::write(dir.path().join(d), edit(d, text)).expect("write");
    }
    let p = dir.path().join("p.yaml");
    std::fs::write(&p, portfolio).expect("write");
    (dir, p)
}

fn json(path: &Path) -> Value {
    let out = microcred()
        .arg("check")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The findings of one kind, as their messages.
fn found(report: &Value, kind: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn kinds(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_example_portfolio_is_clean_with_its_overlap_and_totals() {
    let path = example_dir().join("heat-pump-portfolio.yaml");
    let r = json(&path);
    assert!(kinds(&r).is_empty(), "{r:#}");
    // Two competencies are taught twice; hours beyond the larger share are counted twice.
    let overlap = r["overlap"].as_array().expect("overlap");
    assert_eq!(overlap.len(), 2, "{r:#}");
    assert_eq!(overlap[0]["competency"], "building-retrofit:BR-HVAC-01");
    assert_eq!(overlap[0]["hours_counted_twice"], 6.0);
    assert_eq!(overlap[0]["levels_differ"], true);
    assert_eq!(overlap[1]["hours_counted_twice"], 14.0);
    assert_eq!(overlap[1]["levels_differ"], false);
    // The certificate: its three parts, their hours and credits, every need covered.
    let stack = &r["stacks"][0];
    assert_eq!(
        stack["parts"],
        serde_json::json!(["fundamentals", "installation", "service"])
    );
    assert_eq!(stack["hours"], 100.0);
    assert_eq!(stack["ects"], 4.0);
    assert_eq!(stack["coverage_percent"], 100.0);
    // The pathway adds the outside course's 8 hours.
    assert_eq!(r["pathways"][0]["hours"], 108.0);
    assert_eq!(
        r["pathways"][0]["off_ramps"],
        serde_json::json!(["helper-job"])
    );
    // The text report names competencies and says the same.
    let out = microcred().arg("check").arg(&path).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Size heat pumps with load calculations (building-retrofit:BR-HVAC-01) in fundamentals (level 2, 14 h), installation (level 3, 6 h) — 6 h counted twice; target levels differ"),
        "{text}"
    );
    assert!(text.contains("100 h, 4 ECTS; covers 100.0%"), "{text}");
    assert!(text.contains("Findings (0)"), "{text}");
    // validate knows a portfolio by its content.
    let out = microcred()
        .arg("validate")
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("ok (portfolio, 3 credentials, 1 stacks, 1 pathways)")
    );
}

#[test]
fn a_stack_covers_the_union_of_its_parts_against_its_partners_needs() {
    // Fundamentals' N3 now needs level 3 of a competency it teaches to level 2; nothing else
    // in the stack teaches it higher.
    let (_d, p) = fixture(&example_portfolio(), |name, t| {
        if name == "heat-pump-fundamentals.yaml" {
            t.replace(
                "  - need: N3\n    competency: building-retrofit:BR-ELEC-01\n    required_level: 2",
                "  - need: N3\n    competency: building-retrofit:BR-ELEC-01\n    required_level: 3",
            )
        } else {
            t
        }
    });
    let r = json(&p);
    let stack = &r["stacks"][0];
    let pct = stack["coverage_percent"].as_f64().expect("percent");
    assert!(pct < 100.0 && pct > 90.0, "{pct}");
    let un = stack["uncovered"].as_array().expect("uncovered");
    assert_eq!(un.len(), 1, "{un:?}");
    assert_eq!(un[0]["need"], "N3");
    assert_eq!(un[0]["credential"], "fundamentals");
    // A stack that serves only one partner counts only that partner's needs.
    let only = example_portfolio().replace(
        "    kind: certificate\n",
        "    kind: certificate\n    serves: [brightwater-mechanical]\n",
    );
    let (_d, p) = fixture(&only, |_, t| t);
    let r = json(&p);
    assert_eq!(
        r["stacks"][0]["partners"],
        serde_json::json!(["brightwater-mechanical"])
    );
    // A need that the union covers although its own design does not: service's N3 maps to
    // BR-HVAC-02, which installation teaches; drop it from service.
    let (_d, p) = fixture(&example_portfolio(), |name, t| {
        if name == "heat-pump-service.yaml" {
            let cut = t
                .find("  - ref: building-retrofit:BR-HVAC-02")
                .expect("competency");
            let end = t.find("mappings:").expect("mappings");
            format!("{}{}", &t[..cut], &t[end..])
        } else {
            t
        }
    });
    let r = json(&p);
    assert_eq!(r["stacks"][0]["coverage_percent"], 100.0, "{r:#}");
}

#[test]
fn a_level_that_falls_along_the_pathway_is_reported() {
    let (_d, p) = fixture(&example_portfolio(), |name, t| {
        if name == "heat-pump-service.yaml" {
            t.replace(
                "  - ref: building-retrofit:BR-HVAC-02\n    target_level: 3",
                "  - ref: building-retrofit:BR-HVAC-02\n    target_level: 2",
            )
            .replace(
                "competency: building-retrofit:BR-HVAC-02\n    required_level: 3",
                "competency: building-retrofit:BR-HVAC-02\n    required_level: 2",
            )
        } else {
            t
        }
    });
    let r = json(&p);
    let falls = found(&r, "level_falls");
    assert_eq!(falls.len(), 1, "{r:#}");
    assert!(
        falls[0].contains("building-retrofit:BR-HVAC-02 is taught to level 3 in installation, then to level 2 in service"),
        "{falls:?}"
    );
}

#[test]
fn prerequisites_and_entry_requirements_must_agree_both_ways() {
    // Service no longer names installation in its entry requirements.
    let (_d, p) = fixture(&example_portfolio(), |name, t| {
        if name == "heat-pump-service.yaml" {
            t.replace("    - Heat Pump Installation\n", "    - None\n")
        } else {
            t
        }
    });
    let r = json(&p);
    let missing = found(&r, "prerequisite_not_named");
    assert_eq!(missing.len(), 1, "{r:#}");
    assert!(
        missing[0].contains("Heat Pump Installation is a prerequisite of service"),
        "{missing:?}"
    );
    // The reverse: fundamentals' entry requirements name service, which no pathway makes its
    // prerequisite.
    let (_d, p) = fixture(&example_portfolio(), |name, t| {
        if name == "heat-pump-fundamentals.yaml" {
            t.replace(
                "  participation: blended\n",
                "  participation: blended\n  prerequisites:\n    - Heat Pump Service and Handover\n",
            )
        } else {
            t
        }
    });
    let r = json(&p);
    let unlinked = found(&r, "entry_requirement_not_linked");
    assert_eq!(unlinked.len(), 1, "{r:#}");
    assert!(
        unlinked[0]
            .contains("fundamentals's entry requirements name Heat Pump Service and Handover"),
        "{unlinked:?}"
    );
}

#[test]
fn cycles_in_links_and_in_stacks_are_reported() {
    let looped = example_portfolio().replace(
        "      - {from: service, to: certificate, kind: precedes}\n",
        "      - {from: service, to: certificate, kind: precedes}\n      - {from: service, to: fundamentals, kind: precedes}\n",
    );
    let (_d, p) = fixture(&looped, |_, t| t);
    let r = json(&p);
    let c = found(&r, "cycle");
    assert_eq!(
        c,
        vec!["the links go round: fundamentals → installation → service → fundamentals"],
        "{r:#}"
    );
    // Two stacks that contain each other.
    let stacks = example_portfolio().replace(
        "pathways:\n",
        "  - id: a\n    title: A\n    requires: {of: [b, fundamentals]}\n  - id: b\n    title: B\n    requires: {of: [a]}\npathways:\n",
    );
    let (_d, p) = fixture(&stacks, |_, t| t);
    let r = json(&p);
    assert_eq!(
        found(&r, "cycle"),
        vec!["stacks contain each other: a → b → a"],
        "{r:#}"
    );
    // Failing on blockers makes it exit 1.
    microcred()
        .arg("check")
        .arg(&p)
        .args(["--fail-on", "blockers"])
        .assert()
        .code(1);
}

#[test]
fn conditions_that_cannot_be_met_are_reported() {
    for (condition, kind, says) in [
        (
            "need: 4\n      of: [fundamentals, installation, service]",
            "impossible_condition",
            "needs 4 of 3 targets",
        ),
        (
            "min_hours: 200\n      of: [fundamentals, installation, service]",
            "impossible_condition",
            "needs 200 h, but all its targets give 100 h",
        ),
        (
            "min_credits: 5\n      of: [fundamentals, installation, service]",
            "impossible_condition",
            "needs 5 credits, but all its targets give 4",
        ),
        ("of: []", "empty_condition", "has no targets"),
        (
            "of: [fundamentals, {need: 3, of: [installation, service]}]",
            "impossible_condition",
            "needs 3 of 2 targets",
        ),
    ] {
        let text = example_portfolio().replace(
            "need: all\n      of: [fundamentals, installation, service]",
            condition,
        );
        assert_ne!(text, example_portfolio());
        let (_d, p) = fixture(&text, |_, t| t);
        let r = json(&p);
        let f = found(&r, kind);
        assert_eq!(f.len(), 1, "{condition}: {r:#}");
        assert!(f[0].contains(says), "{condition}: {f:?}");
    }
}

#[test]
fn a_component_linked_to_nothing_is_reported() {
    let text = example_portfolio().replace(
        "    links:\n",
        "      - id: stray\n        outside:\n          name: First aid\n    links:\n",
    );
    let (_d, p) = fixture(&text, |_, t| t);
    let r = json(&p);
    assert_eq!(
        found(&r, "disconnected"),
        vec!["component `stray` is linked to nothing"]
    );
}

#[test]
fn a_missing_design_or_a_changed_stable_id_is_reported() {
    let text = example_portfolio().replace("path: heat-pump-service.yaml", "path: gone.yaml");
    let (_d, p) = fixture(&text, |_, t| t);
    let r = json(&p);
    let f = found(&r, "unavailable");
    assert_eq!(f.len(), 1, "{r:#}");
    assert!(f[0].starts_with("gone.yaml cannot be used"), "{f:?}");
    assert_eq!(r["credentials"][2]["state"], "unavailable");
    let (_d, p) = fixture(&example_portfolio(), |name, t| {
        if name == "heat-pump-installation.yaml" {
            t.replace("8c7d2e90", "99999999")
        } else {
            t
        }
    });
    let r = json(&p);
    assert_eq!(found(&r, "id_changed").len(), 1, "{r:#}");
    assert_eq!(r["credentials"][1]["state"], "id_changed");
}

#[test]
fn a_portfolio_that_names_what_it_does_not_have_is_refused_with_its_location() {
    let text = example_portfolio().replace(
        "of: [fundamentals, installation, service]",
        "of: [fundamentals, instalation, service]",
    );
    let (_d, p) = fixture(&text, |_, t| t);
    let out = microcred().arg("check").arg(&p).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("p.yaml:"), "{err}");
    assert!(
        err.contains(
            "stack `hp-certificate` names `instalation`, which is neither a credential nor a stack"
        ),
        "{err}"
    );
    let bad = example_portfolio().replace("kind: prerequisite}", "kind: before}");
    let (_d, p) = fixture(&bad, |_, t| t);
    let out = microcred().arg("check").arg(&p).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("p.yaml:") && err.contains("before"), "{err}");
}

#[test]
fn the_example_portfolio_conforms_to_its_json_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/portfolio.schema.json"),
        )
        .expect("schema"),
    )
    .expect("JSON");
    let v = jsonschema::validator_for(&schema).expect("compiles");
    let doc: Value = serde_yaml::from_str(&example_portfolio()).expect("YAML");
    let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // A count that is not `all`, `any` or a number is refused by the schema too.
    let mut bad = doc.clone();
    bad["stacks"][0]["requires"]["need"] = Value::from("most");
    assert!(!v.is_valid(&bad));
}
