//! Learning outcomes from the command line: `lint-outcomes` over a TSV file (text and JSON
//! lines, and located errors), and the `outcomes` of `check --format json` with a silenced rule.

use assert_cmd::Command;

fn microcred() -> Command {
    let mut cmd = Command::cargo_bin("microcred").expect("the binary is built");
    cmd.env_remove("MICROCRED_FRAMEWORKS");
    cmd
}

const OUTCOMES: &str = "id\ttext\tlang\n\
O1\tInstall a heat pump to the manufacturer's instructions.\ten\n\
O2\tUnderstand and apply the principles of building science.\ten\n\
O3\tWeld.\t\n\
O4\tConnaissance des normes de sécurité.\tfr\n";

/// `microcred lint-outcomes ARGS FILE` over `text` written to a file `outcomes.tsv`.
fn lint(args: &[&str], text: &str) -> std::process::Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("outcomes.tsv");
    std::fs::write(&file, text).expect("write");
    microcred()
        .arg("lint-outcomes")
        .args(args)
        .arg(&file)
        .output()
        .expect("runs")
}

#[test]
fn lint_outcomes_prints_one_json_line_per_outcome() {
    let out = lint(&["--format", "jsonl"], OUTCOMES);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    let rules = |i: usize| -> Vec<String> {
        lines[i]["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .map(|r| r.as_str().expect("id").to_string())
            .collect()
    };
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "O1");
    assert!(rules(0).is_empty(), "{:?}", rules(0));
    assert_eq!(
        rules(1),
        ["vague_verb", "multi_verb", "no_condition_or_criterion"]
    );
    assert_eq!(rules(2), ["no_condition_or_criterion", "too_short"]);
    assert_eq!(
        rules(3),
        [
            "vague_verb",
            "no_action_verb_start",
            "no_condition_or_criterion"
        ]
    );
}

#[test]
fn lint_outcomes_text_explains_each_finding() {
    let out = lint(&[], OUTCOMES);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("O2: Understand and apply"), "{text}");
    assert!(
        text.contains("  multi_verb: 2 main verbs: understand, apply"),
        "{text}"
    );
    assert!(text.contains("    fix: "), "{text}");
    assert!(text.contains("    source: "), "{text}");
    assert!(
        !text.contains("O1:"),
        "a clean outcome is not listed: {text}"
    );
    assert!(
        text.ends_with("3 of 4 outcome(s) have findings\n"),
        "{text}"
    );
}

#[test]
fn lint_outcomes_names_the_file_and_line_of_bad_input() {
    let out = lint(&[], "id\toutcome\nO1\tWeld a joint.\n");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("outcomes.tsv:1:1"), "{err}");
    assert!(err.contains("no `text` column"), "{err}");
}

/// A design of two competencies: one outcome with findings, one silencing `vague_verb`.
const DESIGN: &str = r#"schema: microcred/workspace@1
credential:
  title: Outcome check
  level:
    scheme: EQF
    value: 6
competencies:
  - ref: building-retrofit:BR-ASSESS-02
    target_level: 2
    outcome: List the parts of a blower door.
    assessment:
      method: exam
  - ref: building-retrofit:BR-ENV-01
    target_level: 2
    outcome: Understand air sealing on a live site.
    assessment:
      method: observation
    silence:
      - rule: vague_verb
        reason: The partner's licensing body words it so.
"#;

#[test]
fn check_json_lists_outcome_findings_and_silenced_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("w.yaml");
    std::fs::write(&file, DESIGN).expect("write");
    let out = microcred()
        .args(["check", "--format", "json"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let outcomes = json["outcomes"].as_array().expect("outcomes");
    let found: Vec<(&str, &str)> = outcomes
        .iter()
        .map(|f| {
            (
                f["competency"].as_str().expect("competency"),
                f["rule"].as_str().expect("rule"),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "building-retrofit:BR-ASSESS-02",
                "no_condition_or_criterion"
            ),
            ("building-retrofit:BR-ASSESS-02", "level_mismatch"),
        ]
    );
    for f in outcomes {
        for key in ["message", "hint", "source"] {
            assert!(!f[key].as_str().expect(key).is_empty(), "{key} in {f}");
        }
    }
    assert_eq!(json["outcomes_silenced"][0]["rule"], "vague_verb");
    assert_eq!(
        json["outcomes_silenced"][0]["reason"],
        "The partner's licensing body words it so."
    );

    // The text report shows the silenced rule with its reason; --fail-on outcomes fails.
    let out = microcred()
        .args(["check", "--fail-on", "outcomes"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("Silenced by the design (1):"), "{text}");
    assert!(
        text.contains("reason: The partner's licensing body words it so."),
        "{text}"
    );
    assert!(text.contains("level_mismatch (warning):"), "{text}");
}

#[test]
fn a_silence_without_reason_or_with_an_unknown_rule_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("w.yaml");
    let blank = DESIGN.replace("The partner's licensing body words it so.", "\"  \"");
    std::fs::write(&file, blank).expect("write");
    let out = microcred()
        .arg("validate")
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`vague_verb` is silenced without a reason"),
        "{err}"
    );

    let unknown = DESIGN.replace("rule: vague_verb", "rule: vague_verbs");
    std::fs::write(&file, unknown).expect("write");
    let out = microcred()
        .arg("validate")
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("w.yaml:19:"), "located: {err}");
    assert!(err.contains("vague_verb"), "names the rules: {err}");
}

#[test]
fn silence_round_trips_through_the_canonical_form_and_old_files_load() {
    use microcred::document::{workspace_from_str, workspace_to_string};
    let cat = microcred::catalog::Catalog::embedded().expect("built-in frameworks");
    let ws = workspace_from_str(DESIGN, "w.yaml", &cat)
        .expect("loads")
        .workspace;
    let s = &ws.competencies[1].silence;
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].rule, microcred::model::OutcomeRule::VagueVerb);
    let text = workspace_to_string(&ws);
    assert!(
        text.contains("    silence:\n      - rule: vague_verb\n        reason: The partner's licensing body words it so.\n"),
        "{text}"
    );
    let again = workspace_from_str(&text, "w.yaml", &cat)
        .expect("reloads")
        .workspace;
    assert_eq!(again, ws);
    // A competency without silenced rules writes no `silence:` at all, as before.
    assert_eq!(text.matches("silence:").count(), 1);
    let old = DESIGN.split("    silence:").next().expect("head");
    let old = workspace_from_str(old, "old.yaml", &cat).expect("an old file loads");
    assert!(
        old.workspace
            .competencies
            .iter()
            .all(|c| c.silence.is_empty())
    );
}
