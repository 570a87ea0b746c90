//! `export --format case`: a 1EdTech CASE 1.1 package of the credential's competencies.
//! Golden files for both examples, the CASE 1.1 shape (required fields, UUID identifiers,
//! association types) checked by a JSON Schema of ours, a round trip through our own
//! `import case`, stable identifiers, and the readiness refusal.
//!
//! Golden files: `UPDATE_GOLDEN=1 cargo test --test it export_case::` rewrites them (review the diff).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use microcred::export::ob3::target_url;
use microcred::export::spec::{Spec, SpecStatus};
use microcred::export::{Format, case, readiness};
use microcred::model::{CompetencyType, Framework, Workspace};
use serde_json::{Value, json};

use crate::common;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn microcred() -> Command {
    let mut cmd = Command::cargo_bin("microcred").expect("the binary is built");
    cmd.env_remove("MICROCRED_FRAMEWORKS")
        .env("MICROCRED_NO_CACHE", "1");
    cmd
}

fn example(name: &str) -> PathBuf {
    Path::new(MANIFEST).join("examples").join(name)
}

/// `export --format F` of `ws` (with `extra` arguments): exit success, stdout and stderr.
fn export(ws: &Path, format: &str, extra: &[&str]) -> (bool, Vec<u8>, String) {
    let out = microcred()
        .arg("export")
        .arg(ws)
        .args(["--format", format])
        .args(extra)
        .output()
        .expect("runs");
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The export in `format`, forced when the design has blockers.
fn export_forced_if_needed(ws: &Path, format: &str) -> Vec<u8> {
    let (ok, out, _) = export(ws, format, &[]);
    if ok {
        return out;
    }
    let (ok, out, err) = export(ws, format, &["--force"]);
    assert!(ok, "{}: forced export fails: {err}", ws.display());
    out
}

fn spec_of(ws: &Path) -> Spec {
    let yaml = export_forced_if_needed(ws, "yaml");
    microcred::export::spec_from_str(&String::from_utf8(yaml).expect("UTF-8"), "spec")
        .expect("the spec reads back")
}

fn golden(name: &str, actual: &[u8]) {
    common::golden(name, actual, "export_case");
}

/// A framework of our own whose competency carries an ESCO concept URI, on the same scale
/// names as `digital-data`.
const ESCO_SAMPLE: &str = r#"id: esco-sample
name: ESCO-aligned sample
version: "1.2"
publisher: microcred tests
levels:
  - { level: 1, name: Foundational }
  - { level: 2, name: Intermediate }
  - { level: 3, name: Advanced }
  - { level: 4, name: Expert }
competencies:
  - id: ESCO-DATA-ANALYTICS
    name: Data analytics
    description: Examine data to find patterns and support decisions with evidence.
    category: Analysis
    type: knowledge
    uri: http://data.europa.eu/esco/skill/97bd1c21-66b2-4b7e-ad0f-e3cda590e378
    levels:
      2: Explains common analytic methods and when each applies.
      3: Chooses and justifies methods for a new analytic question.
"#;

/// A design that fills every element, with `{ID}`, `{VERSION}`, `{SUMMARY}` and
/// `{COMPETENCIES}` to replace.
const FULL: &str = r#"schema: microcred/workspace@1
frameworks:
  - { id: digital-data, version: "1.0" }
  - { id: esco-sample, version: "1.2" }
credential:
{ID}  version: "{VERSION}"
  previous_version: "0"
  title: Store Data Essentials
  summary: {SUMMARY}
  awarding_body: Lakeside Polytechnic
  country: IE
  level: { scheme: EQF, value: 4 }
  workload: { hours: 40, ects: 2 }
  max_hours: 120
  participation: online
  assessment_type: Two projects on shop data, supervised online
  quality_assurance: Reviewed by the Lakeside Academic Council
  supervision: supervised-online-with-id
  prerequisites: [Everyday spreadsheet use]
  stackability: { standalone: true, stacks_into: [Lakeside Certificate in Analytics] }
  grading: pass/fail
  validity: 5 years
  languages: [en, ga]
  isced_f: "0613"
  homepage: https://lakeside.example/store-data
  awarding_body_details:
    legal_name: Lakeside Polytechnic Ltd
    country: IE
    identifier: IE1234567X
  learning_setting: non-formal
  equity:
    cost: Free for partner staff
    flexible_delivery: Evening and recorded sessions
    learner_supports: Peer tutors
    recognition_of_prior_learning: Portfolio challenge
    community_partners: Lakeside Library
partners:
  - { id: shopco, name: ShopCo, kind: industry }
needs:
  - { id: N1, partner: shopco, statement: Clean messy till exports, priority: should }
{COMPETENCIES}"#;

const FULL_COMPETENCIES: &str = r#"competencies:
  - ref: digital-data:DD-DATA-03
    target_level: 2
    hours: 20
    outcome: Clean a till export into a tidy table with a change log.
    assessment: { method: project, description: Clean three weeks of exports }
  - ref: esco-sample:ESCO-DATA-ANALYTICS
    target_level: 3
    hours: 20
    outcome: Choose an analytic method for a shop question and defend the choice.
    assessment: { method: presentation }
mappings:
  - need: N1
    competency: digital-data:DD-DATA-03
    required_level: 2
    status: agreed
    agreed_by: ann@shopco
"#;

const STABLE_ID: &str = "  id: urn:uuid:0b8c3e8e-2f4d-4c1a-9d1e-5a7b3c2d1e0f\n";

fn full_text(id: bool, version: &str, summary: &str, competencies: &str) -> String {
    FULL.replace("{ID}", if id { STABLE_ID } else { "" })
        .replace("{VERSION}", version)
        .replace("{SUMMARY}", summary)
        .replace("{COMPETENCIES}", competencies)
}

/// A folder with the ESCO-aligned framework beside the workspace, and the workspace's path.
fn design(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("frameworks")).expect("mkdir");
    std::fs::write(dir.path().join("frameworks/esco-sample.yaml"), ESCO_SAMPLE).expect("write");
    let ws = dir.path().join("full.yaml");
    std::fs::write(&ws, text).expect("write");
    (dir, ws)
}

fn full() -> (tempfile::TempDir, PathBuf) {
    design(&full_text(
        true,
        "2",
        "Shop data from till to table.",
        FULL_COMPETENCIES,
    ))
}

/// `import case` of `package` with our own importer, through the command line, then
/// `validate` of what it wrote; the framework read back.
fn import(package: &[u8]) -> Framework {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("p.case.json");
    std::fs::write(&json, package).expect("write");
    let out = dir.path().join("imported.yaml");
    microcred()
        .args(["import", "case"])
        .arg(&json)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    microcred().arg("validate").arg(&out).assert().success();
    let text = std::fs::read_to_string(&out).expect("written");
    microcred::catalog::framework_from_str(&text, "imported").expect("reads back")
}

#[test]
fn golden_files_of_both_examples() {
    for stem in ["retail-data-analyst", "retrofit-gaps"] {
        let ws = example(&format!("{stem}.yaml"));
        let a = export_forced_if_needed(&ws, "case");
        let b = export_forced_if_needed(&ws, "case");
        assert_eq!(a, b, "{stem}: two exports differ");
        golden(&format!("{stem}.case.json"), &a);
    }
}

/// CASE 1.1's required fields and value shapes for what we write (from the 1EdTech CASE 1.1
/// `getCFPackage` JSON binding), as a JSON Schema of ours; `additionalProperties: false` keeps
/// to the spec's field names.
fn case_schema() -> jsonschema::Validator {
    let uuid = json!({
        "type": "string",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    });
    let uri = json!({ "type": "string", "pattern": "^[a-zA-Z][a-zA-Z0-9+.-]*:\\S+$" });
    let when = json!({ "type": "string", "format": "date-time" });
    let link = json!({
        "type": "object",
        "required": ["title", "identifier", "uri"],
        "properties": { "title": { "type": "string" }, "identifier": uuid, "uri": uri },
        "additionalProperties": false
    });
    let gen_link = json!({
        "type": "object",
        "required": ["title", "identifier", "uri"],
        "properties": {
            "title": { "type": "string" }, "identifier": { "type": "string", "minLength": 1 },
            "uri": uri, "targetType": { "type": "string" }
        },
        "additionalProperties": false
    });
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let schema = json!({
        "type": "object",
        "required": ["CFDocument", "CFItems", "CFAssociations"],
        "properties": {
            "CFDocument": {
                "type": "object",
                "required": ["identifier", "uri", "creator", "title", "lastChangeDateTime"],
                "properties": {
                    "identifier": uuid, "uri": uri, "caseVersion": { "enum": ["1.1"] },
                    "creator": { "type": "string", "minLength": 1 },
                    "title": { "type": "string", "minLength": 1 },
                    "lastChangeDateTime": when, "officialSourceURL": uri,
                    "publisher": { "type": "string" }, "description": { "type": "string" },
                    "language": { "type": "string" }, "version": { "type": "string" },
                    "adoptionStatus": { "enum": ["Adopted", "Draft"] },
                    "notes": { "type": "string" }
                },
                "additionalProperties": false
            },
            "CFItems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["identifier", "fullStatement", "uri", "lastChangeDateTime"],
                    "properties": {
                        "identifier": uuid, "uri": uri,
                        "fullStatement": { "type": "string", "minLength": 1 },
                        "abbreviatedStatement": { "type": "string" },
                        "humanCodingScheme": { "type": "string" },
                        "listEnumeration": { "type": "string" },
                        "CFItemType": { "type": "string" }, "CFItemTypeURI": link,
                        "subject": strings, "language": { "type": "string" },
                        "educationLevel": strings, "notes": { "type": "string" },
                        "lastChangeDateTime": when
                    },
                    "additionalProperties": false
                }
            },
            "CFAssociations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["identifier", "associationType", "uri", "originNodeURI",
                                 "destinationNodeURI", "lastChangeDateTime"],
                    "properties": {
                        "identifier": uuid, "uri": uri,
                        "associationType": { "enum": ["isChildOf", "isPeerOf", "isPartOf",
                            "exactMatchOf", "precedes", "isRelatedTo", "replacedBy", "exemplar",
                            "hasSkillLevel", "isTranslationOf"] },
                        "sequenceNumber": { "type": "integer" },
                        "originNodeURI": gen_link, "destinationNodeURI": gen_link,
                        "lastChangeDateTime": when
                    },
                    "additionalProperties": false
                }
            },
            "CFDefinitions": {
                "type": "object",
                "properties": {
                    "CFConcepts": { "type": "array" }, "CFSubjects": { "type": "array" },
                    "CFLicenses": { "type": "array" }, "CFAssociationGroupings": { "type": "array" },
                    "CFItemTypes": { "type": "array", "items": {
                        "type": "object",
                        "required": ["identifier", "uri", "title", "description", "hierarchyCode",
                                     "lastChangeDateTime"],
                        "properties": {
                            "identifier": uuid, "uri": uri, "title": { "type": "string" },
                            "description": { "type": "string" },
                            "hierarchyCode": { "type": "string" },
                            "typeCode": { "type": "string" }, "lastChangeDateTime": when
                        },
                        "additionalProperties": false
                    } }
                },
                "additionalProperties": false
            },
            "CFRubrics": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["identifier", "uri", "lastChangeDateTime"],
                    "properties": {
                        "identifier": uuid, "uri": uri, "title": { "type": "string" },
                        "description": { "type": "string" }, "lastChangeDateTime": when,
                        "CFRubricCriteria": { "type": "array", "items": {
                            "type": "object",
                            "required": ["identifier", "uri", "lastChangeDateTime"],
                            "properties": {
                                "identifier": uuid, "uri": uri,
                                "category": { "type": "string" },
                                "description": { "type": "string" }, "CFItemURI": link,
                                "position": { "type": "integer" }, "rubricId": uuid,
                                "lastChangeDateTime": when,
                                "CFRubricCriterionLevels": { "type": "array", "items": {
                                    "type": "object",
                                    "required": ["identifier", "uri", "lastChangeDateTime"],
                                    "properties": {
                                        "identifier": uuid, "uri": uri,
                                        "description": { "type": "string" },
                                        "quality": { "type": "string" },
                                        "score": { "type": "number" },
                                        "position": { "type": "integer" },
                                        "rubricCriterionId": uuid,
                                        "lastChangeDateTime": when
                                    },
                                    "additionalProperties": false
                                } }
                            },
                            "additionalProperties": false
                        } }
                    },
                    "additionalProperties": false
                }
            }
        },
        "additionalProperties": false
    });
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

/// Every design under test: both examples and the design that fills every element.
fn designs() -> Vec<(String, PathBuf, Option<tempfile::TempDir>)> {
    let (dir, ws) = full();
    vec![
        ("retail".into(), example("retail-data-analyst.yaml"), None),
        ("retrofit".into(), example("retrofit-gaps.yaml"), None),
        ("full".into(), ws, Some(dir)),
    ]
}

/// The public page of the model the built-in Essential Skills framework cites in its `source`.
const SKILLS_FOR_SUCCESS: &str = "https://www.canada.ca/en/services/jobs/training/initiatives/skills-success/understanding-individuals.html";

/// A competency of a built-in framework matches a web address its framework gives (the
/// Essential Skills framework cites the Government of Canada's page of its model) instead of a
/// name nothing resolves; the frameworks the project wrote itself keep their stable URN.
#[test]
fn built_in_competencies_match_the_web_address_their_framework_cites() {
    let ws = example("retrofit-gaps.yaml");
    let spec = spec_of(&ws);
    let p: Value = serde_json::from_slice(&export_forced_if_needed(&ws, "case")).expect("JSON");
    let targets: Vec<String> = p["CFAssociations"]
        .as_array()
        .expect("associations")
        .iter()
        .filter(|a| a["associationType"] == "exactMatchOf")
        .map(|a| {
            a["destinationNodeURI"]["uri"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let mut essential = 0;
    for (c, target) in spec.competencies.iter().zip(&targets) {
        if c.framework.id == "essential-skills" {
            essential += 1;
            assert_eq!(target, SKILLS_FOR_SUCCESS, "{}", c.reference);
        } else {
            assert!(
                target.starts_with("urn:microcred:"),
                "{}: {target}",
                c.reference
            );
        }
    }
    assert!(
        essential > 0,
        "the example uses the Essential Skills framework"
    );
}

#[test]
fn packages_have_the_case_1_1_shape_and_link_each_item_twice() {
    let schema = case_schema();
    for (name, ws, _dir) in designs() {
        let spec = spec_of(&ws);
        let bytes = export_forced_if_needed(&ws, "case");
        let p: Value = serde_json::from_slice(&bytes).expect("JSON");
        let errors: Vec<String> = schema
            .iter_errors(&p)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));

        let doc = &p["CFDocument"];
        assert_eq!(doc["title"], json!(spec.credential.title), "{name}");
        assert_eq!(
            doc["creator"],
            json!(spec.credential.awarding_body),
            "{name}"
        );
        assert_eq!(doc["version"], json!(spec.credential.version), "{name}");
        assert_eq!(
            doc["lastChangeDateTime"],
            json!(
                spec.provenance
                    .design_changed_at
                    .as_deref()
                    .unwrap_or(case::UNDATED)
            ),
            "{name}: the design's last recorded change, no clock"
        );
        let status = match spec.status {
            SpecStatus::Final => "Adopted",
            SpecStatus::Draft => "Draft",
        };
        assert_eq!(doc["adoptionStatus"], status, "{name}");

        let items = p["CFItems"].as_array().expect("items");
        assert_eq!(items.len(), spec.competencies.len(), "{name}");
        let assocs = p["CFAssociations"].as_array().expect("associations");
        for (item, c) in items.iter().zip(&spec.competencies) {
            assert_eq!(item["humanCodingScheme"], json!(c.id), "{name}");
            assert_eq!(item["fullStatement"], json!(c.description), "{name}");
            let from_item = |t: &str| -> Vec<&Value> {
                assocs
                    .iter()
                    .filter(|a| {
                        a["associationType"] == t
                            && a["originNodeURI"]["identifier"] == item["identifier"]
                    })
                    .collect()
            };
            let child = from_item("isChildOf");
            assert_eq!(child.len(), 1, "{name} {}", c.reference);
            assert_eq!(
                child[0]["destinationNodeURI"]["identifier"],
                doc["identifier"]
            );
            let exact = from_item("exactMatchOf");
            assert_eq!(exact.len(), 1, "{name} {}", c.reference);
            let expected = match c.framework.id.as_str() {
                "essential-skills" if c.uri.is_none() => SKILLS_FOR_SUCCESS.to_string(),
                _ => target_url(c),
            };
            assert_eq!(
                exact[0]["destinationNodeURI"]["uri"],
                json!(expected),
                "{name} {}",
                c.reference
            );
        }
        assert_eq!(assocs.len(), 2 * items.len(), "{name}: nothing else");
    }
    // The ESCO URI is the match where the competency has one; our URN otherwise.
    let (_dir, ws) = full();
    let p: Value = serde_json::from_slice(&export_forced_if_needed(&ws, "case")).expect("JSON");
    let targets: Vec<&Value> = p["CFAssociations"]
        .as_array()
        .expect("associations")
        .iter()
        .filter(|a| a["associationType"] == "exactMatchOf")
        .map(|a| &a["destinationNodeURI"])
        .collect();
    assert_eq!(
        targets[0]["uri"],
        "urn:microcred:digital-data:1.0:DD-DATA-03"
    );
    assert_eq!(
        targets[1]["uri"],
        "http://data.europa.eu/esco/skill/97bd1c21-66b2-4b7e-ad0f-e3cda590e378"
    );
    assert_eq!(
        targets[1]["identifier"],
        "97bd1c21-66b2-4b7e-ad0f-e3cda590e378"
    );
    let doc = &p["CFDocument"];
    assert_eq!(doc["language"], "en");
    assert_eq!(doc["publisher"], "Lakeside Polytechnic Ltd");
    assert_eq!(
        doc["officialSourceURL"],
        "https://lakeside.example/store-data"
    );
    assert_eq!(p["CFItems"][0]["educationLevel"], json!(["EQF 4"]));
    // With --timestamp, the export's time is the change time.
    let (ok, out, err) = export(&ws, "case", &["--timestamp"]);
    assert!(ok, "{err}");
    let p: Value = serde_json::from_slice(&out).expect("JSON");
    let when = p["CFDocument"]["lastChangeDateTime"]
        .as_str()
        .expect("a time");
    assert!(when.starts_with("20") && when.ends_with('Z'), "{when}");
    assert_eq!(p["CFItems"][1]["lastChangeDateTime"], when);
}

#[test]
fn our_importer_reads_each_package_back_to_the_same_competencies() {
    for (name, ws, _dir) in designs() {
        let spec = spec_of(&ws);
        let fw = import(&export_forced_if_needed(&ws, "case"));
        assert_eq!(Some(&fw.name), spec.credential.title.as_ref(), "{name}");
        assert_eq!(
            Some(&fw.version),
            spec.credential.version.as_ref(),
            "{name}"
        );
        assert_eq!(fw.competencies.len(), spec.competencies.len(), "{name}");
        for (got, c) in fw.competencies.iter().zip(&spec.competencies) {
            let at = format!("{name} {}", c.reference);
            assert_eq!(got.id, c.id, "{at}");
            assert_eq!(got.name, c.name, "{at}");
            assert_eq!(got.description, c.description, "{at}");
            assert_eq!(got.kind, c.kind, "{at}");
            assert_eq!(got.category, c.category, "{at}");
            assert_eq!(got.parent, None, "{at}: items are children of the document");
            // Each level of the competency's scale, with its descriptor.
            let want: BTreeMap<u32, String> = c
                .scale
                .iter()
                .filter_map(|l| Some((l.level, l.descriptor.clone()?)))
                .collect();
            assert_eq!(got.levels, want, "{at}");
            for l in &c.scale {
                let on_scale = fw.level(l.level).expect("the level is on the scale");
                let want = l.name.clone().unwrap_or_default();
                assert!(
                    on_scale.name.split(" / ").any(|n| n == want),
                    "{at}: level {} is `{}`, not `{want}`",
                    l.level,
                    on_scale.name
                );
            }
        }
    }
    // One scale in the design: the imported scale is that very scale.
    let (_dir, ws) = full();
    let fw = import(&export_forced_if_needed(&ws, "case"));
    let names: Vec<&str> = fw.levels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        ["Foundational", "Intermediate", "Advanced", "Expert"]
    );
    let esco = &fw.competencies[1];
    assert_eq!(esco.kind, Some(CompetencyType::Knowledge));
    assert_eq!(esco.levels.keys().copied().collect::<Vec<_>>(), [2, 3]);
}

/// Every `identifier` in a package, in order.
fn identifiers(bytes: &[u8]) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "identifier"
                        && let Some(s) = x.as_str()
                    {
                        out.push(s.to_string());
                    }
                    walk(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let v: Value = serde_json::from_slice(bytes).expect("JSON");
    let mut out = Vec::new();
    walk(&v, &mut out);
    out
}

#[test]
fn identifiers_hold_across_edits_of_one_version_and_change_with_the_version() {
    let export_of = |id: bool, version: &str, summary: &str| {
        let (_dir, ws) = design(&full_text(id, version, summary, FULL_COMPETENCIES));
        export_forced_if_needed(&ws, "case")
    };
    let a = export_of(true, "2", "Shop data from till to table.");
    assert_eq!(a, export_of(true, "2", "Shop data from till to table."));
    let edited = export_of(true, "2", "Shop data, from the till to a tidy table.");
    assert_ne!(a, edited, "the edit shows");
    let ids = identifiers(&a);
    assert!(ids.len() > 10, "{ids:?}");
    assert_eq!(ids, identifiers(&edited), "an edit keeps every identifier");
    let next = identifiers(&export_of(true, "3", "Shop data from till to table."));
    let doc = |p: &[u8]| -> Value {
        serde_json::from_slice::<Value>(p).expect("JSON")["CFDocument"]["identifier"].clone()
    };
    assert_ne!(ids[..], next[..], "another version, other identifiers");
    let shared = ids.iter().filter(|i| next.contains(i)).count();
    assert_eq!(shared, 2, "only the two source competencies are the same");
    // No stable id: identifiers come from the workspace's bytes, so an edit changes them.
    let bare = export_of(false, "2", "Shop data from till to table.");
    assert_eq!(bare, export_of(false, "2", "Shop data from till to table."));
    assert_ne!(
        doc(&bare),
        doc(&export_of(
            false,
            "2",
            "Shop data, from the till to a tidy table."
        ))
    );
    assert_ne!(doc(&bare), doc(&a));
}

#[test]
fn readiness_for_case_asks_for_a_competency() {
    let blank = Workspace::default();
    let missing = readiness::missing(&blank, Format::Case);
    assert_eq!(
        missing.iter().map(|m| m.at).collect::<Vec<_>>(),
        ["competencies"]
    );
    assert_eq!(
        readiness::sentence(Format::Case, &missing),
        "CASE: a competency in the credential"
    );
    assert!(Format::ALL.contains(&Format::Case));
    assert_eq!(Format::Case.name(), "case");
    assert_eq!(Format::Case.extension(), "case.json");
}

#[test]
fn export_refuses_a_design_without_competencies_and_force_writes_a_draft() {
    let text = full_text(
        true,
        "2",
        "Shop data from till to table.",
        "competencies: []\nmappings: []\n",
    );
    let (_dir, ws) = design(&text);
    // Every export's blockers are met: the YAML spec exports; CASE refuses on its own list.
    let (ok, _, err) = export(&ws, "yaml", &[]);
    assert!(ok, "{err}");
    let (ok, out, err) = export(&ws, "case", &[]);
    assert!(!ok && out.is_empty(), "{err}");
    // The problem points at the value of `competencies:` (the empty list).
    let line = 1 + text
        .lines()
        .position(|l| l.starts_with("competencies: []"))
        .expect("the key is there");
    let column = "competencies: ".len() + 1;
    let at = format!("{}:{line}:{column}:", ws.display());
    assert!(
        err.contains(&format!(
            "{at} the CASE 1.1 package (competency frameworks) needs a competency in the \
             credential (competencies)"
        )),
        "{err}"
    );
    assert!(err.contains("cannot export: 1 problem(s)"), "{err}");
    let (ok, out, err) = export(&ws, "case", &["--force"]);
    assert!(ok, "{err}");
    assert!(err.contains("exported as a draft"), "{err}");
    let p: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(p["CFDocument"]["adoptionStatus"], "Draft");
    assert_eq!(p["CFItems"], json!([]));
}

/// A framework imported from a CASE package, a design that uses two of its items and
/// records one comment: the export's `lastChangeDateTime` is the comment's time (the same for
/// every export of the design), and the items' notes, code, education levels and typed links
/// come back.
#[test]
fn lastchange_is_the_designs_and_imported_case_details_come_back() {
    let package = std::fs::read(
        Path::new(MANIFEST).join("tests/fixtures/import/case-control-characters.json"),
    )
    .expect("fixture");
    let fw = microcred::import::case::read(&package, "p.json", Some("counting"))
        .expect("imports")
        .framework;
    let cat = microcred::model::Catalog::from_frameworks([fw]);
    let yaml = "schema: microcred/workspace@1\ncredential:\n  title: Counting\n  awarding_body: Example College\n\
                partners:\n  - id: p\n    name: P\n    kind: industry\n\
                needs:\n  - id: N1\n    partner: p\n    statement: Counting\n    priority: must\n\
                competencies:\n  - ref: counting:M.1-A\n    target_level: 2\n  - ref: counting:M.1.B\n    target_level: 2\n\
                mappings:\n  - need: N1\n    competency: counting:M.1-A\n    comments:\n      - by: sam\n        at: \"2026-11-02T15:10:00Z\"\n        text: fine\n";
    let ws = microcred::document::workspace_from_str(yaml, "w.yaml", &cat)
        .expect("loads")
        .workspace;
    let opts = microcred::export::Options {
        force: true,
        format: Format::Case,
        ..Default::default()
    };
    let gap = microcred::analysis::gap::analyse(&ws);
    let render = || {
        let spec = microcred::export::spec::build(&ws, &cat, &gap, &opts).expect("builds");
        microcred::export::render(&spec, Format::Case)
    };
    let bytes = render();
    assert_eq!(bytes, render(), "deterministic");
    let p: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(
        p["CFDocument"]["lastChangeDateTime"],
        "2026-11-02T15:10:00Z"
    );
    let items = p["CFItems"].as_array().expect("items");
    assert!(
        items
            .iter()
            .all(|i| i["lastChangeDateTime"] == "2026-11-02T15:10:00Z")
    );
    assert_eq!(items[0]["educationLevel"], json!(["03", "04", "05"]));
    let notes = items[0]["notes"].as_str().unwrap_or_default();
    assert!(
        notes.contains("Source notes: Targets grades three to five.")
            && notes.contains("Source code: M.1 A"),
        "{notes}"
    );
    let assocs = p["CFAssociations"].as_array().expect("associations");
    let precedes: Vec<&Value> = assocs
        .iter()
        .filter(|a| a["associationType"] == "precedes")
        .collect();
    assert_eq!(precedes.len(), 1);
    assert_eq!(
        precedes[0]["originNodeURI"]["identifier"],
        items[0]["identifier"]
    );
    assert_eq!(
        precedes[0]["destinationNodeURI"]["identifier"], items[1]["identifier"],
        "a link inside the set points at the item"
    );
    let matches: Vec<&Value> = assocs
        .iter()
        .filter(|a| {
            a["associationType"] == "exactMatchOf"
                && a["destinationNodeURI"]["uri"] == "https://example.org/standards/ext-9"
        })
        .collect();
    assert_eq!(
        matches.len(),
        1,
        "the package's own exactMatchOf comes back"
    );
    assert_eq!(
        matches[0]["destinationNodeURI"]["title"],
        "Other framework 4.NBT.3"
    );
}
