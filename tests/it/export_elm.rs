//! ELM v3 export: the design as a `LearningAchievementSpecification` and a `LearningOpportunity`
//! (JSON-LD), validated offline against the Commission's LOQ SHACL shapes with pyshacl
//! (`tests/elm_shacl.py`; the shapes, ontology and JSON-LD context are read from
//! `../shared/data/elm-v3/`, never the network). Golden files (`tests/golden/NAME.elm.jsonld`,
//! rewritten by `UPDATE_GOLDEN=1 cargo test --test it export_elm::`), determinism, and readiness:
//! what `export --format elm` refuses without is exactly what the shapes report missing.
//!
//! pyshacl is installed by `.ci/run`; without it these tests fail and say so.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use microcred::analysis::gap::{self, GapReport};
use microcred::catalog::Catalog;
use microcred::document;
use microcred::export::spec;
use microcred::export::verdict::ProblemKind;
use microcred::export::{self, Format, Options, elm, ob3, readiness};
use microcred::model::*;
use proptest::prelude::*;
use serde_json::Value;

use crate::common;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded frameworks load")
}

fn elm_dir() -> PathBuf {
    let d = Path::new(MANIFEST).join("../shared/data/elm-v3");
    assert!(
        d.join("LOQ-constraints.ttl").is_file() && d.join("edc-ap-context.jsonld").is_file(),
        "the ELM v3 shapes and context are missing from {}",
        d.display()
    );
    d
}

/// What pyshacl said about one document.
struct Report {
    conforms: bool,
    node_shapes: u64,
    property_shapes: u64,
    focus_nodes: u64,
    unknown_terms: Vec<String>,
    /// (result path, constraint component), both shortened to their last segment.
    violations: Vec<(String, String)>,
    raw: Value,
}

fn short(iri: &Value) -> String {
    let s = iri.as_str().unwrap_or("");
    s.rsplit(['/', '#']).next().unwrap_or(s).to_string()
}

/// Validate ELM JSON-LD against the LOQ shapes. Fails (never skips) when pyshacl is missing.
fn shacl(doc: &[u8]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("export.elm.jsonld");
    std::fs::write(&data, doc).unwrap();
    let script = Path::new(MANIFEST).join("tests/elm_shacl.py");
    let out = Process::new("python3")
        .arg(&script)
        .arg(elm_dir())
        .arg(&data)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}): install Python 3 and `pip install pyshacl`")
        });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(2),
        "pyshacl is missing: `pip install pyshacl` (CI installs it in .ci/run)\n{stderr}"
    );
    assert!(out.status.success(), "elm_shacl.py failed:\n{stderr}");
    let raw: Value = serde_json::from_slice(&out.stdout).expect("elm_shacl.py prints JSON");
    let violations = raw["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (short(&v["path"]), short(&v["constraint"])))
        .collect();
    Report {
        conforms: raw["conforms"].as_bool().unwrap(),
        node_shapes: raw["node_shapes"].as_u64().unwrap(),
        property_shapes: raw["property_shapes"].as_u64().unwrap(),
        focus_nodes: raw["focus_nodes"].as_u64().unwrap(),
        unknown_terms: raw["unknown_terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect(),
        violations,
        raw,
    }
}

/// The SHACL result paths a missing readiness element leaves empty in the export.
fn shacl_paths(at: &str) -> &'static [&'static str] {
    match at {
        // The specification's dc:language, the opportunity's elm:defaultLanguage.
        "credential.languages" => &["language", "defaultLanguage"],
        "credential.isced_f" => &["ISCEDFCode"],
        "credential.homepage" => &["homepage"],
        "credential.awarding_body_details.legal_name" => &["legalName"],
        // No country, no address: the organisation has no location.
        "credential.awarding_body_details.country" => &["location"],
        "competencies" => &["learningOutcome"],
        other => panic!("no SHACL path known for ELM requirement {other}"),
    }
}

/// Every missing element shows up as a minCount violation on its paths, and nothing else does.
fn assert_violations_are_the_readiness_list(ws: &Workspace, report: &Report, what: &str) {
    let expected: BTreeSet<String> = readiness::missing(ws, Format::Elm)
        .iter()
        .flat_map(|m| shacl_paths(m.at).iter().map(|p| p.to_string()))
        .collect();
    let got: BTreeSet<String> = report.violations.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(
        got, expected,
        "{what}: SHACL violations and the readiness list disagree:\n{:#}",
        report.raw
    );
    for (p, c) in &report.violations {
        assert_eq!(c, "MinCountConstraintComponent", "{what}: {p} {c}");
    }
    assert_eq!(report.conforms, expected.is_empty(), "{what}");
    assert!(
        report.unknown_terms.is_empty(),
        "{what}: terms neither ELM.ttl nor the shapes define: {:?}",
        report.unknown_terms
    );
}

fn opts(force: bool, sha: Option<String>) -> Options {
    Options {
        force,
        timestamp: None,
        workspace_sha256: sha,
        ..Options::default()
    }
}

struct Example {
    stem: String,
    ws: Workspace,
    bytes: Vec<u8>,
    gap: GapReport,
}

fn load(name: &str, cat: &Catalog) -> Example {
    let path = Path::new(MANIFEST).join("examples").join(name);
    let bytes = std::fs::read(&path).unwrap();
    let ws = document::load_workspace(&path, cat).unwrap().workspace;
    let gap = gap::analyse(&ws);
    Example {
        stem: path.file_stem().unwrap().to_string_lossy().into_owned(),
        ws,
        bytes,
        gap,
    }
}

/// The ELM export, forced when refused (the refusal must then name ELM's missing elements).
fn export_elm(ws: &Workspace, cat: &Catalog, gap: &GapReport, sha: Option<String>) -> Vec<u8> {
    match export::export(ws, cat, gap, Format::Elm, &opts(false, sha.clone())) {
        Ok(b) => b,
        Err(refused) => {
            for m in readiness::missing(ws, Format::Elm) {
                assert!(
                    refused
                        .problems
                        .iter()
                        .any(|p| p.kind == ProblemKind::MissingForFormat && p.at == m.at),
                    "refusal does not name {}",
                    m.at
                );
            }
            export::export(ws, cat, gap, Format::Elm, &opts(true, sha)).unwrap()
        }
    }
}

fn golden(name: &str, actual: &[u8]) {
    common::golden(name, actual, "export_elm");
}

/// The complete example plus every registry element: ELM needs nothing more.
fn complete(cat: &Catalog) -> Workspace {
    let mut ws = load("retail-data-analyst.yaml", cat).ws;
    let c = &mut ws.credential;
    c.languages = vec!["en".into(), "fr".into()];
    c.isced_f = Some("0413".into());
    c.homepage = Some("https://riverbend.example.ca/credentials/retail-data-analyst".into());
    c.learning_setting = Some(LearningSetting::NonFormal);
    c.awarding_body_details = Some(AwardingBodyDetails {
        legal_name: Some("Riverbend College of Applied Arts and Technology".into()),
        country: Some("CA-MB".into()),
        identifier: Some("MB-0042-RC".into()),
        ..Default::default()
    });
    ws
}

fn graph(doc: &[u8]) -> (Value, Value) {
    let v: Value = serde_json::from_slice(doc).unwrap();
    let g = v["@graph"].as_array().unwrap();
    assert_eq!(g.len(), 2);
    (g[0].clone(), g[1].clone())
}

#[test]
fn both_examples_match_their_golden_files_and_the_shapes_find_exactly_the_readiness_gaps() {
    let cat = catalog();
    for name in ["retail-data-analyst.yaml", "retrofit-gaps.yaml"] {
        let ex = load(name, &cat);
        let sha = Some(spec::sha256_hex(&ex.bytes));
        let a = export_elm(&ex.ws, &cat, &ex.gap, sha.clone());
        let b = export_elm(&ex.ws, &cat, &ex.gap, sha);
        assert_eq!(a, b, "{}: two exports differ", ex.stem);
        golden(&format!("{}.elm.jsonld", ex.stem), &a);
        assert!(
            !readiness::missing(&ex.ws, Format::Elm).is_empty(),
            "{}: the examples predate the registry elements",
            ex.stem
        );
        let report = shacl(&a);
        assert!(report.node_shapes > 30 && report.property_shapes > 300);
        assert!(report.focus_nodes > 10, "{:#}", report.raw);
        assert_violations_are_the_readiness_list(&ex.ws, &report, &ex.stem);
    }
}

#[test]
fn a_blank_design_forced_misses_exactly_what_readiness_lists() {
    let cat = catalog();
    let ws = document::workspace_from_str("schema: microcred/workspace@1\n", "blank", &cat)
        .unwrap()
        .workspace;
    let missing = readiness::missing(&ws, Format::Elm);
    assert_eq!(missing.len(), readiness::requirements(Format::Elm).len());
    let gap = gap::analyse(&ws);
    let doc = export_elm(&ws, &cat, &gap, None);
    assert_violations_are_the_readiness_list(&ws, &shacl(&doc), "blank design");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever subset of ELM's elements a design lacks, the refusal names exactly those.
    #[test]
    fn the_refusal_names_exactly_the_missing_elements(mask in 0u8..64) {
        let cat = catalog();
        let mut ws = complete(&cat);
        for (i, (_, remove)) in REMOVALS.iter().enumerate() {
            if mask & (1 << i) != 0 {
                remove(&mut ws);
            }
        }
        let expected: Vec<&str> = REMOVALS
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, (at, _))| *at)
            .collect();
        let missing: Vec<&str> = readiness::missing(&ws, Format::Elm).iter().map(|m| m.at).collect();
        prop_assert_eq!(&missing, &expected);
        let gap = gap::analyse(&ws);
        let named: Vec<String> = match export::export(&ws, &cat, &gap, Format::Elm, &opts(false, None)) {
            Ok(_) => Vec::new(),
            Err(r) => r
                .problems
                .iter()
                .filter(|p| p.kind == ProblemKind::MissingForFormat)
                .map(|p| p.at.clone())
                .collect(),
        };
        prop_assert_eq!(named, expected);
    }
}

#[test]
fn a_design_with_every_element_conforms_to_the_loq_shapes() {
    let cat = catalog();
    let ws = complete(&cat);
    assert!(readiness::missing(&ws, Format::Elm).is_empty());
    let gap = gap::analyse(&ws);
    // Nothing blocks it (the sign-offs of the edited design are missing: a draft, not refused).
    let elm_opts = Options {
        format: Format::Elm,
        ..opts(false, None)
    };
    let mut s = spec::build(&ws, &cat, &gap, &elm_opts).unwrap();
    // One competency known by its ESCO URI.
    let esco = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d";
    s.competencies[0].uri = Some(esco.into());
    let doc = export::render(&s, Format::Elm);
    assert_eq!(doc, export::render(&s, Format::Elm), "deterministic");
    let report = shacl(&doc);
    assert!(report.conforms, "{:#}", report.raw);
    assert!(report.violations.is_empty());
    assert!(
        report.unknown_terms.is_empty(),
        "{:?}",
        report.unknown_terms
    );
    assert!(report.focus_nodes > 40, "{:#}", report.raw);

    let v: Value = serde_json::from_slice(&doc).unwrap();
    assert_eq!(v["@context"], serde_json::json!(elm::CONTEXT));
    let (las, lo) = graph(&doc);
    assert_eq!(las["type"], "LearningAchievementSpecification");
    assert_eq!(las["id"], ob3::achievement_id(&s));
    assert_eq!(lo["type"], "LearningOpportunity");
    assert_eq!(lo["learningAchievementSpecification"], las["id"]);
    assert_eq!(las["title"]["en"], "Retail Data Analyst");
    assert_eq!(
        las["thematicArea"][0]["id"],
        "http://data.europa.eu/snb/isced-f/0413"
    );
    assert_eq!(
        las["educationLevel"][0]["id"],
        "http://data.europa.eu/snb/eqf/5"
    );
    assert_eq!(
        las["language"][1]["id"],
        "http://publications.europa.eu/resource/authority/language/FRA"
    );
    assert_eq!(
        lo["elm:defaultLanguage"]["id"],
        "http://publications.europa.eu/resource/authority/language/ENG"
    );
    // participation: blended
    assert_eq!(
        las["mode"][0]["id"],
        "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
    );
    assert_eq!(
        las["learningSetting"]["id"],
        "http://data.europa.eu/snb/learning-setting/e207a81fc7"
    );
    assert_eq!(las["volumeOfLearning"], "PT90H");
    assert_eq!(las["creditPoint"][0]["point"], "3");
    assert_eq!(
        las["creditPoint"][0]["framework"]["id"],
        "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    );
    let entry = las["entryRequirement"]["noteLiteral"]["en"]
        .as_str()
        .unwrap();
    for p in &ws.credential.prerequisites {
        assert!(entry.contains(p.as_str()), "{entry}");
    }
    assert_eq!(
        las["provenBy"][0]["title"]["en"].as_str(),
        ws.credential.assessment_type.as_deref()
    );
    let outcomes = las["learningOutcome"].as_array().unwrap();
    assert_eq!(outcomes.len(), s.competencies.len());
    assert_eq!(outcomes[0]["relatedESCOSkill"][0]["id"], esco);
    assert!(outcomes[0].get("relatedSkill").is_none());
    assert!(outcomes[1]["relatedSkill"][0]["id"].is_string());
    let org = &lo["providedBy"][0];
    assert_eq!(las["publisher"], org["id"]);
    assert_eq!(
        org["legalName"]["en"],
        "Riverbend College of Applied Arts and Technology"
    );
    assert_eq!(org["altLabel"]["en"], "Riverbend College");
    assert_eq!(
        org["location"][0]["address"][0]["countryCode"]["id"],
        "http://publications.europa.eu/resource/authority/country/CAN"
    );
    assert_eq!(org["registration"]["notation"], "MB-0042-RC");
    assert_eq!(
        lo["homepage"][0]["contentURL"],
        "https://riverbend.example.ca/credentials/retail-data-analyst"
    );
}

/// Takes one element out of a workspace.
type Removal = fn(&mut Workspace);

/// Each ELM requirement and how to take it out of the complete design.
const REMOVALS: [(&str, Removal); 6] = [
    ("credential.languages", |ws| ws.credential.languages.clear()),
    ("credential.isced_f", |ws| ws.credential.isced_f = None),
    ("credential.homepage", |ws| ws.credential.homepage = None),
    ("credential.awarding_body_details.legal_name", |ws| {
        if let Some(d) = ws.credential.awarding_body_details.as_mut() {
            d.legal_name = None;
        }
    }),
    ("credential.awarding_body_details.country", |ws| {
        if let Some(d) = ws.credential.awarding_body_details.as_mut() {
            d.country = None;
        }
    }),
    ("competencies", |ws| ws.competencies.clear()),
];

#[test]
fn each_readiness_element_removed_is_refused_and_is_exactly_what_the_shapes_miss() {
    let cat = catalog();
    let removals = REMOVALS;
    let listed: Vec<&str> = readiness::requirements(Format::Elm)
        .iter()
        .map(|r| r.at)
        .collect();
    assert_eq!(
        listed,
        removals.iter().map(|(at, _)| *at).collect::<Vec<_>>(),
        "every ELM requirement is tried here"
    );
    for (at, remove) in removals {
        let mut ws = complete(&cat);
        remove(&mut ws);
        let missing = readiness::missing(&ws, Format::Elm);
        assert_eq!(missing.iter().map(|m| m.at).collect::<Vec<_>>(), [at]);
        let gap = gap::analyse(&ws);
        let refused = export::export(&ws, &cat, &gap, Format::Elm, &opts(false, None))
            .expect_err("refused without --force");
        assert!(
            refused
                .problems
                .iter()
                .any(|p| p.kind == ProblemKind::MissingForFormat && p.at == at),
            "{at}: {refused}"
        );
        let doc = export::export(&ws, &cat, &gap, Format::Elm, &opts(true, None)).unwrap();
        assert_violations_are_the_readiness_list(&ws, &shacl(&doc), at);
    }
}

#[test]
fn the_opportunity_and_specification_ids_are_stable_across_edits_and_change_with_the_version() {
    let cat = catalog();
    let ws = complete(&cat);
    let ids = |ws: &Workspace| {
        let gap = gap::analyse(ws);
        let doc = export::export(ws, &cat, &gap, Format::Elm, &opts(true, None)).unwrap();
        let (las, lo) = graph(&doc);
        (las["id"].clone(), lo["id"].clone())
    };
    let before = ids(&ws);
    let mut edited = ws.clone();
    edited.credential.summary = Some("Another summary.".into());
    assert_eq!(ids(&edited), before);
    let mut next = ws.clone();
    next.credential.version = Some("2".into());
    let after = ids(&next);
    assert_ne!(after.0, before.0);
    assert_ne!(after.1, before.1);
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("microcred").unwrap();
    c.env_remove("MICROCRED_FRAMEWORKS");
    c
}

#[test]
fn cli_refuses_naming_each_missing_element_at_its_place_then_forces_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("retail.yaml");
    std::fs::copy(
        Path::new(MANIFEST).join("examples/retail-data-analyst.yaml"),
        &ws_path,
    )
    .unwrap();
    let out = dir.path().join("retail.elm.jsonld");
    let a = bin()
        .args(["export", "--format", "elm", "-o"])
        .arg(&out)
        .arg(&ws_path)
        .assert()
        .code(1);
    assert!(!out.exists(), "a refused export writes nothing");
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    let cat = catalog();
    let ws = document::load_workspace(&ws_path, &cat).unwrap().workspace;
    let missing = readiness::missing(&ws, Format::Elm);
    assert_eq!(missing.len(), 5, "{err}");
    // The elements are absent, so each is placed where the `credential` mapping that would
    // hold it begins (its first key, on the line after `credential:`).
    let text = std::fs::read_to_string(&ws_path).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("credential:"))
        .unwrap()
        + 2;
    for m in &missing {
        let said = format!(
            "{}:{line}:3: the European Learning Model (ELM v3) JSON-LD needs {} ({})",
            ws_path.display(),
            m.what,
            m.at
        );
        assert!(err.contains(&said), "{said} not in:\n{err}");
    }
    assert!(
        err.contains("cannot export: 5 problem(s)"),
        "exactly ELM's list: {err}"
    );

    bin()
        .args(["export", "--format", "elm", "--force", "-o"])
        .arg(&out)
        .arg(&ws_path)
        .assert()
        .success();
    let doc = std::fs::read(&out).unwrap();
    let (las, _) = graph(&doc);
    assert!(
        las["description"]["en"]
            .as_str()
            .unwrap()
            .starts_with("DRAFT — not final."),
        "{las:#}"
    );
    // Written beside the workspace by default, with the format's extension.
    assert_eq!(
        export::path_beside(&ws_path, Format::Elm),
        dir.path().join("retail.elm.jsonld")
    );
}
