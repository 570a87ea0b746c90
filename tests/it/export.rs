//! Export: golden files for every example workspace in every format, determinism, OB 3.0 and
//! spec JSON Schema validation, strictness, and hostile text surviving a YAML round trip.
//!
//! Golden files live in `tests/golden/`; `UPDATE_GOLDEN=1 cargo test --test it export::` rewrites
//! them (review the diff before committing).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use microcred::analysis::gap::{self, GapReport, NeedGap, NeedStatus, Review, WorkloadGap};
use microcred::catalog::Catalog;
use microcred::document;
use microcred::export::spec::{self, SpecStatus};
use microcred::export::verdict::ProblemKind;
use microcred::export::{self, Format, Options};
use microcred::model::*;
use proptest::prelude::*;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded frameworks load")
}

/// Every example workspace, sorted.
fn examples() -> Vec<PathBuf> {
    let dir = Path::new(MANIFEST).join("examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn golden(name: &str, actual: &[u8]) {
    let path = Path::new(MANIFEST).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run UPDATE_GOLDEN=1 cargo test --test it export::",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs from the export:\n{}\n(run UPDATE_GOLDEN=1 cargo test --test it export:: and \
             review the diff)",
            path.display(),
            String::from_utf8_lossy(actual)
        );
    }
}

struct Example {
    stem: String,
    ws: Workspace,
    bytes: Vec<u8>,
    gap: GapReport,
}

fn load(path: &Path, cat: &Catalog) -> Example {
    let bytes = std::fs::read(path).unwrap();
    let loaded = document::load_workspace(path, cat).unwrap();
    let gap = gap::analyse(&loaded.workspace);
    Example {
        stem: path.file_stem().unwrap().to_string_lossy().into_owned(),
        ws: loaded.workspace,
        bytes,
        gap,
    }
}

fn opts(bytes: &[u8], force: bool) -> Options {
    Options {
        force,
        timestamp: None,
        workspace_sha256: Some(spec::sha256_hex(bytes)),
        ..Options::default()
    }
}

/// Export in a format; a refused workspace is exported with --force and its refusal recorded.
fn export_example(ex: &Example, cat: &Catalog, format: Format) -> Vec<u8> {
    match export::export(&ex.ws, cat, &ex.gap, format, &opts(&ex.bytes, false)) {
        Ok(b) => b,
        Err(_) => export::export(&ex.ws, cat, &ex.gap, format, &opts(&ex.bytes, true)).unwrap(),
    }
}

#[test]
fn golden_files_for_every_example_and_format() {
    let cat = catalog();
    for path in examples() {
        let ex = load(&path, &cat);
        for (format, ext) in [
            (Format::Yaml, "spec.yaml"),
            (Format::Ob3, "ob3.json"),
            (Format::Markdown, "md"),
        ] {
            let a = export_example(&ex, &cat, format);
            let b = export_example(&ex, &cat, format);
            assert_eq!(a, b, "{} {ext}: two exports differ", ex.stem);
            golden(&format!("{}.{ext}", ex.stem), &a);
        }
        if let Err(refused) =
            export::export(&ex.ws, &cat, &ex.gap, Format::Yaml, &opts(&ex.bytes, false))
        {
            golden(
                &format!("{}.refused.txt", ex.stem),
                refused.to_string().as_bytes(),
            );
        }
    }
}

fn ob3_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/ob3/achievementcredential.schema.json"
    );
    let text = std::fs::read_to_string(path).expect("../shared/data/ob3 beside the clone");
    let full: serde_json::Value = serde_json::from_str(&text).unwrap();
    let root = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$ref": "#/$defs/Achievement",
        "$defs": full["$defs"],
    });
    jsonschema::draft201909::new(&root).expect("the OB 3.0 schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, instance: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is invalid:\n{}",
        errors.join("\n")
    );
}

#[test]
fn achievements_validate_against_open_badges_3() {
    let cat = catalog();
    let v = ob3_validator();
    let mut workspaces: Vec<(String, Workspace, GapReport)> = examples()
        .iter()
        .map(|p| {
            let ex = load(p, &cat);
            (ex.stem, ex.ws, ex.gap)
        })
        .collect();
    workspaces.push(("built".into(), sample(), clean_gap(&sample())));
    workspaces.push(("hostile".into(), hostile(), clean_gap(&hostile())));
    workspaces.push((
        "empty".into(),
        Workspace::default(),
        clean_gap(&Workspace::default()),
    ));
    for (name, ws, gap) in workspaces {
        let bytes = export::export(
            &ws,
            &cat,
            &gap,
            Format::Ob3,
            &Options {
                force: true,
                ..Options::default()
            },
        )
        .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_valid(&v, &json, &name);
        assert_eq!(json["type"], serde_json::json!(["Achievement"]));
        assert_eq!(json["achievementType"], "MicroCredential");
        let languages: Vec<&str> = ws.credential.languages.iter().map(String::as_str).collect();
        match languages.as_slice() {
            [] => assert_eq!(json["inLanguage"], "en", "{name}"),
            [one] => assert_eq!(json["inLanguage"], *one, "{name}"),
            many => assert_eq!(json["inLanguage"], serde_json::json!(many), "{name}"),
        }
        let n = ws.competencies.len();
        let competencies = json["alignment"].as_array().map(|a| {
            a.iter()
                .filter(|x| x["targetType"] == "ceasn:Competency")
                .count()
        });
        assert_eq!(competencies, Some(n), "{name}");
    }
}

fn spec_schema() -> jsonschema::Validator {
    let path = Path::new(MANIFEST).join("schemas/spec.schema.json");
    let text = std::fs::read_to_string(path).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn spec_schema_file_is_up_to_date() {
    let generated = microcred::export::schema::json_schema("spec").unwrap();
    golden_file("schemas/spec.schema.json", generated.as_bytes());
}

fn golden_file(rel: &str, actual: &[u8]) {
    let path = Path::new(MANIFEST).join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{rel} is out of date; run UPDATE_GOLDEN=1 cargo test --test it export::"
    );
}

#[test]
fn exported_specs_validate_against_their_schema_and_reload() {
    let cat = catalog();
    let v = spec_schema();
    let mut cases: Vec<(String, Workspace, GapReport)> = examples()
        .iter()
        .map(|p| {
            let ex = load(p, &cat);
            (ex.stem, ex.ws, ex.gap)
        })
        .collect();
    cases.push(("built".into(), sample(), clean_gap(&sample())));
    cases.push(("hostile".into(), hostile(), clean_gap(&hostile())));
    for (name, ws, gap) in cases {
        let o = Options {
            force: true,
            ..Options::default()
        };
        let built = spec::build(&ws, &cat, &gap, &o).unwrap();
        let text = String::from_utf8(export::render(&built, Format::Yaml)).unwrap();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let json = serde_json::to_value(&yaml).unwrap();
        assert_valid(&v, &json, &name);
        let back = export::spec_from_str(&text, &name).unwrap();
        assert_eq!(
            back, built,
            "{name}: the spec does not reload to the same value"
        );
        assert_eq!(export::detect_kind(&text), export::Kind::Spec);
    }
}

// ---------------------------------------------------------------- built workspaces

/// Open Badges 3.0 as real issuers fill it in: image, criteria page, the creator's web page,
/// legal name and email, ISCED-F, a human code, every language, and the EU elements the way
/// the published micro-credential examples carry them.
#[test]
fn ob3_carries_what_real_issuers_fill_in() {
    let cat = catalog();
    let mut ws = sample();
    let cr = &mut ws.credential;
    cr.id = Some("data-ready-retail".into());
    cr.homepage = Some("https://college.example/data-ready".into());
    cr.isced_f = Some("0613".into());
    cr.languages = vec!["en".into(), "fr".into()];
    cr.supervision = Some("Onsite, with identity verification by photo ID".into());
    cr.awarding_body_details = Some(AwardingBodyDetails {
        legal_name: Some("Example College of Applied Arts".into()),
        country: Some("CA".into()),
        identifier: Some("ON-123".into()),
        url: Some("https://college.example".into()),
        email: Some("credentials@college.example".into()),
        sector: None,
    });
    let gap = clean_gap(&ws);
    let o = Options {
        image: Some("https://college.example/badge.png".into()),
        force: true,
        ..Options::default()
    };
    let s = spec::build(&ws, &cat, &gap, &o).unwrap();
    let a: serde_json::Value = serde_json::from_slice(&export::render(&s, Format::Ob3)).unwrap();
    assert_valid(&ob3_validator(), &a, "filled in");
    assert_eq!(
        a["image"],
        serde_json::json!({"id": "https://college.example/badge.png", "type": "Image"})
    );
    assert_eq!(a["criteria"]["id"], "https://college.example/data-ready");
    assert_eq!(a["fieldOfStudy"], "0613");
    assert_eq!(
        a["humanCode"],
        format!(
            "data-ready-retail-analyst@{}",
            s.credential.version.as_deref().unwrap_or("")
        )
    );
    assert_eq!(a["inLanguage"], serde_json::json!(["en", "fr"]));
    let creator = &a["creator"];
    assert_eq!(creator["name"], "Example College of Applied Arts");
    assert_eq!(creator["url"], "https://college.example");
    assert_eq!(creator["email"], "credentials@college.example");
    assert_eq!(a["participationType"], "onsite or blended");
    assert_eq!(
        a["assessmentType"], "application of a skill",
        "project-based"
    );
    assert_eq!(a["supervisionType"], "onsite with identity verification");
    assert_eq!(a["identityChecked"], true);
    let qa: Vec<&serde_json::Value> = a["alignment"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["targetType"] == "ext:QualityAssurance")
        .collect();
    assert_eq!(qa.len(), 1);
    assert_eq!(qa[0]["targetName"], "Institutional program review");
}

fn sample() -> Workspace {
    let text = r#"
schema: microcred/workspace@1
frameworks:
  - { id: digital-data, version: "1.0" }
credential:
  title: Data-Ready Retail Analyst
  summary: Clean and analyse point-of-sale data.
  awarding_body: Example College
  country: CA
  level: { scheme: EQF, value: 5 }
  workload: { hours: 60, ects: 2 }
  participation: blended
  assessment_type: Project-based, supervised online
  quality_assurance: Institutional program review
  grading: pass/fail
  equity:
    cost: Free for employees of partners
partners:
  - { id: northmart, name: NorthMart Retail, kind: industry }
needs:
  - { id: N1, partner: northmart, statement: Clean messy exports, priority: must }
competencies:
  - ref: digital-data:DD-DATA-03
    target_level: 3
    hours: 40
    outcome: Clean and reshape a point-of-sale export into a tidy table.
    assessment: { method: project, description: Clean a real export }
mappings:
  - need: N1
    competency: digital-data:DD-DATA-03
    required_level: 3
    status: agreed
    agreed_by: dana@northmart
"#;
    document::workspace_from_str(text, "sample", &catalog())
        .unwrap()
        .workspace
}

/// A report with nothing in it (the exporter only reads it).
fn clean_gap(ws: &Workspace) -> GapReport {
    GapReport {
        coverage_percent: 100.0,
        needs: ws
            .needs
            .iter()
            .map(|n| NeedGap {
                id: n.id.clone(),
                partner: n.partner.clone(),
                priority: n.priority,
                status: NeedStatus::Covered,
                credit: 1.0,
            })
            .collect(),
        critical: vec![],
        mapped_not_included: vec![],
        orphans: vec![],
        level_gaps: vec![],
        assessment_gaps: vec![],
        workload: WorkloadGap {
            competency_hours: 0.0,
            declared_hours: None,
            max_hours: 150.0,
            over_declared: false,
            over_max: false,
        },
        awaiting_review: vec![],
        sign_offs: vec![],
        missing_elements: vec![],
        equity_questions: vec![],
        outcomes: vec![],
        outcomes_silenced: vec![],
    }
}

const HOSTILE: &[&str] = &[
    "He said \"hi\": yes",
    "no",
    "*star",
    "&anchor",
    "- dash",
    "# hash",
    "key: value",
    "'single'",
    "  leading and trailing  ",
    "null",
    "~",
    "1.0",
    "0x1F",
    "2026-11-28",
    "|",
    ">",
    "%percent",
    "@at `tick`",
    "multi\nline\n  indented\n\ttabbed",
    "Unicode: café — 日本語 🚀 \u{202E}rtl\u{2028}sep",
    "ctrl\u{0007}bell\u{001b}[31mred\r\nwindows\u{0085}nel\u{0000}nul",
    "a | b | c <script>alert(1)</script> [link](x) **bold**",
];

fn hostile() -> Workspace {
    let mut ws = sample();
    let h = |i: usize| HOSTILE[i % HOSTILE.len()].to_string();
    let c = &mut ws.credential;
    c.title = Some(h(0));
    c.summary = Some(HOSTILE.join("\n"));
    c.awarding_body = Some(h(3));
    c.assessment_type = Some(h(18));
    c.quality_assurance = Some(h(20));
    c.supervision = Some(h(6));
    c.grading = Some(h(1));
    c.validity = Some(h(13));
    c.prerequisites = HOSTILE.iter().map(|s| s.to_string()).collect();
    c.equity.cost = Some(h(19));
    c.equity.learner_supports = Some(h(21));
    c.equity.community_partners = Some(h(2));
    ws.partners[0].name = h(4);
    ws.needs[0].statement = HOSTILE.join(" ");
    ws.needs[0].evidence = Some(h(20));
    ws.competencies[0].outcome = Some(h(18));
    if let Some(a) = ws.competencies[0].assessment.as_mut() {
        a.description = Some(h(9));
    }
    ws.mappings[0].rationale = Some(h(20));
    ws.mappings[0].agreed_by = Some(h(7));
    ws
}

#[test]
fn hostile_text_survives_a_yaml_round_trip() {
    let cat = catalog();
    let ws = hostile();
    let gap = clean_gap(&ws);
    let built = spec::build(&ws, &cat, &gap, &Options::default()).unwrap();
    let text = String::from_utf8(export::render(&built, Format::Yaml)).unwrap();
    let back = export::spec_from_str(&text, "hostile").unwrap();
    assert_eq!(back, built);
    let c = &back.credential;
    assert_eq!(c.title.as_deref(), Some(HOSTILE[0]));
    assert_eq!(c.grading.as_deref(), Some("no"));
    assert_eq!(c.awarding_body.as_deref(), Some("&anchor"));
    assert_eq!(c.equity.community_partners.as_deref(), Some("*star"));
    assert_eq!(c.assessment_type.as_deref(), Some(HOSTILE[18]));
    assert_eq!(c.equity.cost.as_deref(), Some(HOSTILE[19]));
    // Control characters are removed; line feeds and tabs stay in multi-line fields.
    assert_eq!(
        c.quality_assurance.as_deref(),
        Some("ctrlbell[31mred\nwindowsnelnul")
    );
    assert_eq!(
        back.needs[0].mappings[0].agreed_by.as_deref(),
        Some("'single'")
    );
    assert!(!text.chars().any(|ch| ch.is_control() && ch != '\n'));
    // Single-line fields lose line breaks too.
    let mut ws2 = ws.clone();
    ws2.credential.title = Some("two\nlines\tand\u{7}bell".into());
    let s2 = spec::build(&ws2, &cat, &gap, &Options::default()).unwrap();
    assert_eq!(s2.credential.title.as_deref(), Some("two lines andbell"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_text_round_trips(title in any::<String>(), summary in any::<String>()) {
        let cat = catalog();
        let mut ws = sample();
        let title = format!("T{title}");
        let summary = format!("S{summary}");
        ws.credential.title = Some(title.clone());
        ws.credential.summary = Some(summary.clone());
        let gap = clean_gap(&ws);
        let built = spec::build(&ws, &cat, &gap, &Options::default()).unwrap();
        let text = String::from_utf8(export::render(&built, Format::Yaml)).unwrap();
        let back = export::spec_from_str(&text, "prop").unwrap();
        prop_assert_eq!(back.credential.title, Some(spec::line(&title)));
        prop_assert_eq!(back.credential.summary, Some(spec::text(&summary)));
    }
}

#[test]
fn refused_with_each_problem_then_draft_with_force() {
    let cat = catalog();
    let mut ws = sample();
    ws.credential.quality_assurance = None;
    ws.mappings[0].status = MappingStatus::Disputed;
    let mut gap = clean_gap(&ws);
    gap.missing_elements = vec!["credential.quality_assurance".into()];
    gap.critical = vec!["N1".into()];
    gap.awaiting_review = vec![Review {
        need: "N1".into(),
        competency: "digital-data:DD-DATA-03".into(),
        status: MappingStatus::Disputed,
    }];
    let refused = spec::build(&ws, &cat, &gap, &Options::default()).unwrap_err();
    let kinds: Vec<ProblemKind> = refused.problems.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            ProblemKind::MissingElement,
            ProblemKind::CriticalNeed,
            ProblemKind::DisputedMapping
        ]
    );
    let msg = refused.to_string();
    assert!(msg.contains(
        "credential.quality_assurance is empty — set it in the credential form or the \
         workspace file"
    ));
    assert!(msg.contains("need N1 from NorthMart Retail is a must"));
    assert!(msg.contains("N1 to digital-data:DD-DATA-03 is disputed"));

    let forced = spec::build(
        &ws,
        &cat,
        &gap,
        &Options {
            force: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(forced.status, SpecStatus::Draft);
    assert_eq!(forced.open_problems, refused.problems);
    let text = String::from_utf8(export::render(&forced, Format::Yaml)).unwrap();
    assert!(text.contains("status: draft\nopen_problems:\n"));
    // A draft reloads; a final spec with open problems does not.
    assert!(export::spec_from_str(&text, "draft").is_ok());
    let tampered = text.replace("status: draft", "status: final");
    assert!(export::spec_from_str(&tampered, "tampered").is_err());
    let md = String::from_utf8(export::render(&forced, Format::Markdown)).unwrap();
    assert!(md.contains("**Draft — not final.** 3 problem(s)"));
}

#[test]
fn clean_workspace_exports_final_with_provenance() {
    let cat = catalog();
    let ws = sample();
    let gap = clean_gap(&ws);
    let s = spec::build(&ws, &cat, &gap, &Options::default()).unwrap();
    assert_eq!(s.status, SpecStatus::Final);
    assert!(s.open_problems.is_empty());
    let c = &s.competencies[0];
    assert_eq!(c.framework.id, "digital-data");
    assert_eq!(c.framework.version, "1.0");
    assert_eq!(c.name, "Clean and prepare data");
    assert_eq!(c.target_level.name.as_deref(), Some("Advanced"));
    assert!(
        c.target_level
            .descriptor
            .as_deref()
            .unwrap()
            .starts_with("Designs repeatable")
    );
    assert_eq!(s.provenance.microcred_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(s.provenance.frameworks.len(), 1);
    assert_eq!(
        s.provenance.frameworks[0].pinned_version.as_deref(),
        Some("1.0")
    );
    assert_eq!(s.provenance.workspace_sha256.len(), 64);
    assert!(s.provenance.exported_at.is_none());
    assert_eq!(
        s.needs[0].mappings[0].agreed_by.as_deref(),
        Some("dana@northmart")
    );
    let with_time = spec::build(
        &ws,
        &cat,
        &gap,
        &Options {
            timestamp: Some("2026-11-28T17:00:00Z".into()),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        with_time.provenance.exported_at.as_deref(),
        Some("2026-11-28T17:00:00Z")
    );
    let md = String::from_utf8(export::render(&s, Format::Markdown)).unwrap();
    assert!(md.contains("| **N1** Clean messy exports | must | covered | agreed |"));
    let ob3: serde_json::Value = serde_json::from_slice(&export::render(&s, Format::Ob3)).unwrap();
    assert_eq!(ob3["creditsAvailable"], 2.0);
    assert_eq!(ob3["creator"]["name"], "Example College");
    assert_eq!(
        ob3["alignment"][0]["targetUrl"],
        "urn:microcred:digital-data:1.0:DD-DATA-03"
    );
}

// ---------------------------------------------------------------- command line

fn bin() -> Command {
    let mut c = Command::cargo_bin("microcred").unwrap();
    c.env_remove("MICROCRED_FRAMEWORKS");
    c
}

/// The sample, signed off by every partner with needs: an export of it is final.
fn write_sample(dir: &Path) -> PathBuf {
    let p = dir.join("ws.yaml");
    let mut ws = sample();
    let design = microcred::model::signoff::design_hash(&ws);
    let partners: std::collections::BTreeSet<String> =
        ws.needs.iter().map(|n| n.partner.clone()).collect();
    for partner in partners {
        ws.sign_offs.push(microcred::model::SignOff {
            person: format!("someone@{partner}"),
            partner,
            at: "2026-11-30T09:00:00Z".into(),
            design: design.clone(),
            key: None,
        });
    }
    document::save_workspace(&p, &ws).unwrap();
    p
}

#[test]
fn cli_exports_to_stdout_and_file_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let ws = write_sample(dir.path());
    let stdout = bin()
        .arg("export")
        .arg(&ws)
        .assert()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(stdout).unwrap();
    assert!(text.starts_with("schema: microcred/spec@1\n"), "{text}");
    let out = dir.path().join("out.spec.yaml");
    bin()
        .arg("export")
        .arg(&ws)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    let bytes = std::fs::read(&ws).unwrap();
    assert!(text.contains(&spec::sha256_hex(&bytes)));
    let v = bin().arg("validate").arg(&out).assert().success();
    let said = String::from_utf8_lossy(&v.get_output().stdout).into_owned();
    assert!(said.contains("ok (spec, final, "), "{said}");
    for (fmt, start) in [("ob3", "{"), ("markdown", "# ")] {
        let o = bin()
            .args(["export", "--format", fmt])
            .arg(&ws)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert!(String::from_utf8(o).unwrap().starts_with(start));
    }
    let t = bin()
        .args(["export", "--timestamp"])
        .arg(&ws)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(t).unwrap().contains("exported_at: "));
}

#[test]
fn cli_validate_rejects_a_broken_spec() {
    let dir = tempfile::tempdir().unwrap();
    let ws = write_sample(dir.path());
    let text = String::from_utf8(
        bin()
            .arg("export")
            .arg(&ws)
            .assert()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    let bad = dir.path().join("bad.spec.yaml");
    std::fs::write(&bad, text.replace("  title:", "  titel:")).unwrap();
    let a = bin().arg("validate").arg(&bad).assert().code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("unknown field `titel`"), "{err}");
}

#[test]
fn cli_refuses_the_gaps_example_naming_each_problem_then_forces_a_draft() {
    let cat = catalog();
    let path = Path::new(MANIFEST).join("examples/retrofit-gaps.yaml");
    let ex = load(&path, &cat);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gaps.spec.yaml");
    let a = bin()
        .arg("export")
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    assert!(!out.exists(), "a refused export must write nothing");
    assert!(a.get_output().stdout.is_empty());
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(!ex.gap.missing_elements.is_empty());
    assert!(!ex.gap.critical.is_empty());
    assert!(ex.gap.disputed_count() > 0);
    for e in &ex.gap.missing_elements {
        assert!(
            err.contains(&format!("{e} is empty")),
            "{e} not named:\n{err}"
        );
    }
    for n in &ex.gap.critical {
        assert!(err.contains(&format!("need {n} ")), "{n} not named:\n{err}");
    }
    for r in ex
        .gap
        .awaiting_review
        .iter()
        .filter(|r| r.status == MappingStatus::Disputed)
    {
        let said = format!("need {} to {} is disputed", r.need, r.competency);
        assert!(err.contains(&said), "{said} not named:\n{err}");
    }
    let expected = ex.gap.missing_elements.len() + ex.gap.critical.len() + ex.gap.disputed_count();
    assert!(
        err.contains(&format!("cannot export: {expected} problem(s)")),
        "{err}"
    );
    assert_eq!(err.matches("help: ").count(), expected);

    bin()
        .args(["export", "--force", "-o"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    let s = export::spec_from_str(&text, "gaps").unwrap();
    assert_eq!(s.status, SpecStatus::Draft);
    // The blockers first, then what else keeps it from final (proposed mappings, sign-offs).
    let blockers = s
        .open_problems
        .iter()
        .take_while(|p| p.kind.blocks_export())
        .count();
    assert_eq!(blockers, expected);
    assert!(
        s.open_problems[expected..]
            .iter()
            .any(|p| p.kind == ProblemKind::SignOffMissing),
        "{:?}",
        s.open_problems
    );
    let v = bin().arg("validate").arg(&out).assert().success();
    assert!(String::from_utf8_lossy(&v.get_output().stdout).contains("ok (spec, draft, "));
}

#[test]
fn examples_are_present() {
    let names: Vec<String> = examples()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains(&"retail-data-analyst.yaml".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"retrofit-gaps.yaml".to_string()),
        "{names:?}"
    );
}

#[test]
fn hostile_text_cannot_break_the_markdown_page() {
    let cat = catalog();
    let ws = hostile();
    let s = spec::build(&ws, &cat, &clean_gap(&ws), &Options::default()).unwrap();
    let md = String::from_utf8(export::render(&s, Format::Markdown)).unwrap();
    assert!(!md.contains("<script>"));
    assert!(!md.chars().any(|c| c.is_control() && c != '\n'));
    // Every row of the matrix has as many unescaped cell separators as its header.
    let table: Vec<&str> = md
        .split("## Needs × competencies\n\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with('|'))
        .collect();
    let seps = |l: &str| l.len() - l.replace('|', "").len() - l.matches("\\|").count();
    assert!(table.len() >= 3);
    for row in &table {
        assert_eq!(seps(row), seps(table[0]), "{row}");
    }
    // Headings stay single lines.
    assert!(md.starts_with("# He said \"hi\": yes\n"));
}

#[test]
fn spec_files_are_told_apart_from_workspaces() {
    use export::Kind;
    assert_eq!(
        export::detect_kind("schema: microcred/spec@1\n"),
        Kind::Spec
    );
    assert_eq!(
        export::detect_kind("schema: \"microcred/spec@1\"  # x\n"),
        Kind::Spec
    );
    assert_eq!(
        export::detect_kind("{\n\"schema\": \"microcred/spec@1\",\n}"),
        Kind::Spec
    );
    assert_eq!(
        export::detect_kind("schema: microcred/workspace@1\n"),
        Kind::Workspace
    );
    assert_eq!(export::detect_kind("id: fw\n"), Kind::Framework);
}

#[test]
fn cli_will_not_overwrite_the_workspace_and_writes_beside() {
    let dir = tempfile::tempdir().unwrap();
    let ws = write_sample(dir.path());
    let before = std::fs::read(&ws).unwrap();
    bin()
        .arg("export")
        .arg(&ws)
        .arg("-o")
        .arg(&ws)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(&ws).unwrap(), before);

    assert_eq!(
        export::path_beside(&ws, Format::Markdown),
        dir.path().join("ws.md")
    );
    assert_eq!(
        export::path_beside(&ws, Format::Ob3),
        dir.path().join("ws.ob3.json")
    );
}

#[test]
fn a_known_uri_becomes_the_alignment_target_url() {
    let fw: Framework = serde_yaml::from_str(
        r#"
id: esco
name: ESCO
version: "1.1.1"
source: https://esco.ec.europa.eu
levels: [{ level: 1, name: Basic }, { level: 2, name: Independent }]
competencies:
  - id: abc
    name: clean data
    description: Detect and correct corrupt records.
    uri: http://data.europa.eu/esco/skill/abc
"#,
    )
    .unwrap();
    let cat = Catalog::from_frameworks(vec![fw]);
    let mut ws = Workspace::default();
    ws.competencies.push(CredentialCompetency {
        reference: "esco:abc".into(),
        target_level: 2,
        hours: None,
        outcome: None,
        assessment: None,
        silence: Vec::new(),
    });
    let s = spec::build(
        &ws,
        &cat,
        &clean_gap(&ws),
        &Options {
            force: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        s.competencies[0].uri.as_deref(),
        Some("http://data.europa.eu/esco/skill/abc")
    );
    assert_eq!(
        s.competencies[0].target_level.name.as_deref(),
        Some("Independent")
    );
    let ob3: serde_json::Value = serde_json::from_slice(&export::render(&s, Format::Ob3)).unwrap();
    assert_eq!(
        ob3["alignment"][0]["targetUrl"],
        "http://data.europa.eu/esco/skill/abc"
    );
    assert_eq!(ob3["alignment"][0]["targetFramework"], "ESCO 1.1.1");
    assert_valid(&ob3_validator(), &ob3, "esco");
}

/// A design too big for a readable grid (more than 200 needs) gets one table per partner,
/// each need with its mappings, and a note saying why; the page grows with the needs and
/// mappings, not needs × competencies. A small design keeps the grid.
#[test]
fn a_big_design_lists_needs_per_partner_instead_of_a_grid() {
    let cat = catalog();
    let mut ws = sample();
    ws.partners.push(Partner {
        id: "coop".into(),
        name: "Harbour Co-op".into(),
        ..ws.partners[0].clone()
    });
    let need = ws.needs[0].clone();
    let mapping = ws.mappings[0].clone();
    for i in 2..=250 {
        let partner = if i % 2 == 0 { "coop" } else { "northmart" };
        ws.needs.push(Need {
            id: format!("N{i}"),
            partner: partner.into(),
            ..need.clone()
        });
        if i % 5 == 0 {
            ws.mappings.push(Mapping {
                need: format!("N{i}"),
                status: MappingStatus::Proposed,
                ..mapping.clone()
            });
        }
    }
    let s = spec::build(&ws, &cat, &gap::analyse(&ws), &opts(b"x", true)).unwrap();
    let md = String::from_utf8(export::render(&s, Format::Markdown)).unwrap();
    let section = md
        .split("## Needs × competencies\n\n")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    assert!(
        section.starts_with("*250 needs and 1 competencies are too many for a grid"),
        "{section}"
    );
    assert!(section.contains("### NorthMart Retail\n\n| Need | Priority | Coverage | Mapped to |"));
    assert!(section.contains("### Harbour Co-op\n"));
    assert_eq!(section.matches("| **N").count(), 250);
    assert!(section.contains(
        "| **N1** Clean messy exports | must | covered | Clean and prepare data (digital-data:DD-DATA-03) agreed |"
    ));
    assert!(section.contains(
        "| **N10** Clean messy exports | must | covered | Clean and prepare data (digital-data:DD-DATA-03) proposed |"
    ));
    assert!(section.contains("| **N11** Clean messy exports | must | uncovered |  |"));
    // The small sample keeps its grid.
    let small = sample();
    let s = spec::build(&small, &cat, &clean_gap(&small), &Options::default()).unwrap();
    let md = String::from_utf8(export::render(&s, Format::Markdown)).unwrap();
    assert!(md.contains(
        "| Need | Priority | Coverage | Clean and prepare data (digital-data:DD-DATA-03) |"
    ));
}

/// The badge's id is the design's for a version: two edits keep it, a new version gets
/// another one and names the one before as `related`; `version` is always there, and the
/// badge still validates against the Open Badges 3.0 schema.
#[test]
fn the_badge_id_is_stable_across_edits_and_versions_are_related() {
    let cat = catalog();
    let path = Path::new(MANIFEST).join("examples/retail-data-analyst.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let mut ws = document::workspace_from_str(&text, "retail", &cat)
        .unwrap()
        .workspace;
    let badge = |ws: &Workspace| -> serde_json::Value {
        let gap = gap::analyse(ws);
        let opts = Options {
            force: true,
            ..Options::default()
        };
        let bytes = export::export(ws, &cat, &gap, Format::Ob3, &opts).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    };
    let v = ob3_validator();
    let first = badge(&ws);
    assert_valid(&v, &first, "first");
    assert_eq!(first["version"], "1");
    assert!(first.get("related").is_none());
    ws.needs[0].statement.push_str(" Weekly.");
    ws.credential.summary = Some("Changed summary.".into());
    let edited = badge(&ws);
    assert_eq!(edited["id"], first["id"], "an edit keeps the id");
    assert_ne!(edited["description"], first["description"]);
    assert_eq!(
        edited["resultDescription"][0]["id"],
        first["resultDescription"][0]["id"]
    );
    ws.credential.previous_version = ws.credential.version.clone();
    ws.credential.version = Some("2027.1".into());
    let next = badge(&ws);
    assert_valid(&v, &next, "next version");
    assert_ne!(
        next["id"], first["id"],
        "a new version is another achievement"
    );
    assert_eq!(next["version"], "2027.1");
    assert_eq!(next["related"][0]["id"], first["id"]);
    assert_eq!(next["related"][0]["version"], "1");
    // A design without a stable id falls back to an id from its content.
    ws.credential.id = None;
    let anonymous = badge(&ws);
    assert_ne!(anonymous["id"], next["id"]);
    assert!(anonymous.get("related").is_none());
}
