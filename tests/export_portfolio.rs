//! Exports of a portfolio: CTDL pathways checked against Credential Engine's term lists
//! (tests/fixtures/ctdl-pathway/terms.json, see its README) and the Pathway Builder's conflict
//! rules; ELM part-of links checked with the LOQ SHACL shapes; an Open Badges 3.0 achievement
//! per stack checked with the OB 3.0 schema; the YAML portfolio spec against its JSON Schema;
//! the same bytes for the same input; and `export PORTFOLIO` on the command line.
//!
//! `UPDATE_GOLDEN=1 cargo test --test export_portfolio` rewrites the golden files (review the
//! diff).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use microcred::catalog::Catalog;
use microcred::document::portfolio::load_portfolio;
use microcred::export::portfolio::{self, Built};
use microcred::export::spec::sha256_hex;
use microcred::export::{Format, Options};
use serde_json::{Value, json};

mod common;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");
const DESIGNS: [&str; 3] = [
    "heat-pump-fundamentals.yaml",
    "heat-pump-installation.yaml",
    "heat-pump-service.yaml",
];

fn example_dir() -> PathBuf {
    Path::new(MANIFEST).join("examples/portfolio")
}

fn example() -> PathBuf {
    example_dir().join("heat-pump-portfolio.yaml")
}

fn build_at(path: &Path, format: Format, force: bool) -> Result<Built, portfolio::Refused> {
    let cat = Catalog::embedded().expect("embedded frameworks load");
    let bytes = std::fs::read(path).expect("portfolio");
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let loaded = load_portfolio(path, &text, &cat).expect("the portfolio loads");
    let opts = Options {
        force,
        format,
        ..Options::default()
    };
    portfolio::build(
        &loaded.portfolio,
        &loaded.members,
        &cat,
        &sha256_hex(&bytes),
        &opts,
    )
}

fn export(path: &Path, format: Format) -> Vec<u8> {
    let b = build_at(path, format, true).expect("forced exports are built");
    portfolio::render(&b, format).expect("a portfolio format")
}

/// A folder with the example's designs and the portfolio `text`.
fn fixture(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    for d in DESIGNS {
        std::fs::copy(example_dir().join(d), dir.path().join(d)).expect("copy");
    }
    let p = dir.path().join("p.yaml");
    std::fs::write(&p, text).expect("write");
    (dir, p)
}

/// The example with a second pathway that has two destinations, a nested "2 of (…)"
/// condition with a minimum of credits, and a stack whose parts are not all on it.
fn tangled() -> String {
    let mut s = std::fs::read_to_string(example()).unwrap();
    s.push_str(
        r#"  - id: fast-track
    title: Fast track for experienced trades
    components:
      - id: basics
        credential: fundamentals
      - id: install
        credential: installation
      - id: serve
        credential: service
      - id: gas-ticket
        outside:
          name: Gas fitter ticket
          url: https://example.org/gas-fitter
      - id: lead
        job:
          name: Lead installer
          occupation: "7127"
          scheme: ISCO-08
        requires:
          need: 2
          min_credits: 2
          of:
            - basics
            - need: any
              of: [install, gas-ticket]
            - serve
      - id: cert
        stack: hp-certificate
    links:
      - {from: basics, to: install, kind: prerequisite}
      - {from: serve, to: cert, kind: precedes}
    destinations: [lead, cert]
"#,
    );
    s
}

// ---------------------------------------------------------------------------------------
// The CTDL checker: terms and the Pathway Builder's conflict rules.

struct Terms {
    classes: HashMap<String, HashSet<String>>,
    components: HashSet<String>,
    only_on: HashMap<String, HashSet<String>>,
    required: HashMap<String, Vec<String>>,
    operators: HashSet<String>,
    credential_types: HashSet<String>,
}

fn terms() -> Terms {
    let path = Path::new(MANIFEST).join("tests/fixtures/ctdl-pathway/terms.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let set = |v: &Value| -> HashSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let map = |v: &Value| -> HashMap<String, HashSet<String>> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), set(v)))
            .collect()
    };
    Terms {
        classes: map(&v["classes"]),
        components: set(&v["component_classes"]),
        only_on: map(&v["only_on"]),
        required: v["required"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), set(v).into_iter().collect()))
            .collect(),
        operators: set(&v["logical_operators"]),
        credential_types: set(&v["credential_types"]),
    }
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Everything wrong with a CTDL pathway graph, in words: terms not in the lists, required
/// properties missing, and breaks of the Pathway Builder's conflict rules.
fn ctdl_problems(graph: &Value, t: &Terms) -> Vec<String> {
    let mut out = Vec::new();
    let nodes = graph["@graph"].as_array().expect("a @graph");
    let by_id: HashMap<&str, &Value> = nodes
        .iter()
        .filter_map(|n| n["@id"].as_str().map(|id| (id, n)))
        .collect();
    let mut pathways = Vec::new();
    for n in nodes {
        let ty = n["@type"].as_str().unwrap_or("(none)");
        let class = if t.components.contains(ty) {
            "PathwayComponent"
        } else {
            ty
        };
        if ty == "ceterms:CredentialOrganization" {
            continue; // checked by tests/export_ctdl.rs's schema
        }
        let Some(allowed) = t.classes.get(class) else {
            out.push(format!("unknown class {ty}"));
            continue;
        };
        for k in n.as_object().unwrap().keys() {
            if !allowed.contains(k) {
                out.push(format!("{ty} has {k}, not a term of {class}"));
            }
            if let Some(on) = t.only_on.get(k)
                && !on.contains(ty)
            {
                out.push(format!("{k} is only for {on:?}, not {ty}"));
            }
        }
        for class in [class, ty] {
            for r in t.required.get(class).into_iter().flatten() {
                if n.get(r).is_none() {
                    out.push(format!("{ty} {} misses {r}", n["@id"]));
                }
            }
        }
        if let Some(ct) = n["ceterms:credentialType"].as_str()
            && !t.credential_types.contains(ct)
        {
            out.push(format!("credential type {ct} is not in the list"));
        }
        if ty == "ceterms:Pathway" {
            pathways.push(n);
        }
        if ty == "ceterms:PathwaySet" {
            for p in strs(&n["ceasn:hasPathway"]) {
                if by_id.get(p.as_str()).map(|p| &p["@type"]) != Some(&json!("ceterms:Pathway")) {
                    out.push(format!(
                        "the set names {p}, which is not a pathway of the graph"
                    ));
                }
            }
        }
    }
    for p in pathways {
        let pid = p["@id"].as_str().unwrap();
        let parts: HashSet<String> = strs(&p["ceterms:hasPart"]).into_iter().collect();
        let dest = strs(&p["ceterms:hasDestinationComponent"]);
        // Rule: one destination per pathway.
        if dest.len() != 1 {
            out.push(format!("pathway {pid} has {} destinations", dest.len()));
        }
        for d in &dest {
            if !parts.contains(d) {
                out.push(format!("the destination {d} is not a part of {pid}"));
            }
        }
        // Rule: no disconnected component — each part is reached from the destination.
        let mut reached: HashSet<String> = dest.iter().cloned().collect();
        let mut todo = dest.clone();
        while let Some(id) = todo.pop() {
            let Some(n) = by_id.get(id.as_str()) else {
                out.push(format!("{id} is named but not in the graph"));
                continue;
            };
            for k in strs(&n["ceasn:hasChild"]) {
                if reached.insert(k.clone()) {
                    todo.push(k);
                }
            }
        }
        for part in &parts {
            if !reached.contains(part) {
                out.push(format!("component {part} of {pid} is disconnected"));
            }
            let Some(n) = by_id.get(part.as_str()) else {
                out.push(format!("{part} is named but not in the graph"));
                continue;
            };
            if strs(&n["ceasn:isPartOf"]) != [pid.to_string()] {
                out.push(format!("{part} does not say it is part of {pid}"));
            }
            if !dest.contains(part) && strs(&n["ceasn:isChildOf"]).is_empty() {
                out.push(format!("{part} is the child of nothing"));
            }
            let kids: HashSet<String> = strs(&n["ceasn:hasChild"]).into_iter().collect();
            for key in [
                "ceterms:precedes",
                "ceterms:precededBy",
                "ceterms:prerequisite",
            ] {
                for x in strs(&n[key]) {
                    if !parts.contains(&x) {
                        out.push(format!("{part} {key} {x}, outside {pid}"));
                    }
                }
            }
            for c in n["ceterms:hasCondition"].as_array().into_iter().flatten() {
                condition_problems(c, &parts, &kids, t, &mut out);
            }
        }
    }
    out
}

/// Rule: a condition targets something, components of its pathway that hang below its
/// component (connected), and requires no more than it targets.
fn condition_problems(
    c: &Value,
    parts: &HashSet<String>,
    kids: &HashSet<String>,
    t: &Terms,
    out: &mut Vec<String>,
) {
    let allowed = &t.classes["ceterms:ComponentCondition"];
    for k in c.as_object().unwrap().keys() {
        if !allowed.contains(k) {
            out.push(format!("ComponentCondition has {k}, not one of its terms"));
        }
    }
    for r in &t.required["ceterms:ComponentCondition"] {
        if c.get(r).is_none() {
            out.push(format!("a condition misses {r}"));
        }
    }
    let targets = strs(&c["ceterms:targetComponent"]);
    let subs = c["ceterms:hasCondition"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let count = targets.len() + subs.len();
    if count == 0 {
        out.push(format!("condition {} targets nothing", c["ceterms:name"]));
    }
    let required = c["ceterms:requiredNumber"].as_u64().unwrap_or(0) as usize;
    if required > count {
        out.push(format!(
            "condition {} requires {required} of {count}",
            c["ceterms:name"]
        ));
    }
    for x in &targets {
        if !parts.contains(x) {
            out.push(format!(
                "condition targets {x}, not a component of its pathway"
            ));
        } else if !kids.contains(x) {
            out.push(format!(
                "condition targets {x}, not a child of its component"
            ));
        }
    }
    if let Some(op) = c["ceterms:logicalOperator"].as_str()
        && !t.operators.contains(op)
    {
        out.push(format!("logical operator {op} is not in the list"));
    }
    for k in c["ceterms:hasConstraint"].as_array().into_iter().flatten() {
        for key in k.as_object().unwrap().keys() {
            if !t.classes["ceterms:Constraint"].contains(key) {
                out.push(format!("Constraint has {key}, not one of its terms"));
            }
        }
        if !k["ceterms:comparator"]
            .as_str()
            .is_some_and(|s| s.starts_with("comparator:"))
        {
            out.push("a constraint's comparator is not a comparator: concept".into());
        }
    }
    for s in &subs {
        condition_problems(s, parts, kids, t, out);
    }
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("JSON")
}

fn of_type<'a>(g: &'a Value, ty: &str) -> Vec<&'a Value> {
    g["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["@type"] == ty)
        .collect()
}

#[test]
fn the_example_exports_pathways_with_published_terms_only_and_no_builder_conflict() {
    let t = terms();
    let g = json_of(&export(&example(), Format::Ctdl));
    let problems = ctdl_problems(&g, &t);
    assert!(problems.is_empty(), "{problems:#?}");
    // One destination and one off-ramp: two pathways in a set, each with one destination.
    let set = of_type(&g, "ceterms:PathwaySet");
    assert_eq!(set.len(), 1);
    let pathways = of_type(&g, "ceterms:Pathway");
    assert_eq!(pathways.len(), 2);
    assert_eq!(strs(&set[0]["ceasn:hasPathway"]).len(), 2);
    let names: Vec<&str> = pathways
        .iter()
        .map(|p| p["ceterms:name"]["en"].as_str().unwrap())
        .collect();
    assert!(names[0].ends_with("to Heat pump technician"), "{names:?}");
    assert!(
        names[1].ends_with("off-ramp to Heating and ventilation helper"),
        "{names:?}"
    );
    // The off-ramp's pathway holds only what leads to it.
    assert_eq!(strs(&pathways[1]["ceterms:hasPart"]).len(), 2);
    // Every subclass the example needs, the installation's two prerequisites as one
    // condition, and the certificate's parts as the stack's condition.
    let types: BTreeSet<&str> = g["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["@type"].as_str())
        .collect();
    for ty in [
        "ceterms:CredentialComponent",
        "ceterms:CourseComponent",
        "ceterms:JobComponent",
    ] {
        assert!(types.contains(ty), "{types:?}");
    }
    let comps = of_type(&g, "ceterms:CredentialComponent");
    let install = comps
        .iter()
        .find(|c| c["ceterms:name"]["en"] == "Heat Pump Installation")
        .expect("the installation credential");
    let cond = &install["ceterms:hasCondition"][0];
    assert_eq!(cond["ceterms:requiredNumber"], 2);
    assert_eq!(strs(&cond["ceterms:targetComponent"]).len(), 2);
    assert!(
        install["ceterms:proxyFor"]
            .as_str()
            .unwrap()
            .starts_with("https://credentialengineregistry.org/resources/ce-")
    );
    let cert = comps
        .iter()
        .find(|c| c["ceterms:credentialType"] == "ceterms:Certificate")
        .expect("the certificate");
    assert_eq!(cert["ceterms:hasCondition"][0]["ceterms:requiredNumber"], 3);
    let job = of_type(&g, "ceterms:JobComponent")[0];
    assert_eq!(
        job["ceterms:occupationType"][0]["ceterms:codedNotation"],
        "7127"
    );
}

#[test]
fn several_destinations_nested_conditions_and_credits_keep_the_builder_rules() {
    let t = terms();
    let (_dir, p) = fixture(&tangled());
    let g = json_of(&export(&p, Format::Ctdl));
    let problems = ctdl_problems(&g, &t);
    assert!(problems.is_empty(), "{problems:#?}");
    // Two routes of the example, two destinations of the fast track.
    assert_eq!(of_type(&g, "ceterms:Pathway").len(), 4);
    let lead = of_type(&g, "ceterms:JobComponent")
        .into_iter()
        .find(|j| j["ceterms:name"]["en"] == "Lead installer")
        .expect("the lead installer job");
    let c = &lead["ceterms:hasCondition"][0];
    assert_eq!(c["ceterms:requiredNumber"], 2);
    // "2 of (basics, any of (install, gas ticket), serve)": three sub-conditions, the nested
    // one an Or of two.
    let subs = c["ceterms:hasCondition"].as_array().unwrap();
    assert_eq!(subs.len(), 3);
    let or = subs
        .iter()
        .find(|s| {
            s["ceterms:targetComponent"]
                .as_array()
                .is_some_and(|t| t.len() == 2)
        })
        .expect("the nested any-of");
    assert_eq!(strs(&or["ceterms:targetComponent"]).len(), 2);
    assert_eq!(or["ceterms:requiredNumber"], 1);
    let k = &c["ceterms:hasConstraint"][0];
    assert_eq!(k["ceterms:rightSource"], json!(["2"]));
    assert_eq!(k["ceterms:leftSource"], json!(["ceterms:creditValue"]));
}

#[test]
fn the_checker_finds_each_conflict_it_is_given() {
    let t = terms();
    let good = json_of(&export(&example(), Format::Ctdl));
    assert!(ctdl_problems(&good, &t).is_empty());
    let nodes = good["@graph"].as_array().unwrap();
    let pathway_at = nodes
        .iter()
        .position(|n| n["@type"] == "ceterms:Pathway")
        .unwrap();
    let with = |f: &dyn Fn(&mut Vec<Value>)| {
        let mut g = good.clone();
        f(g["@graph"].as_array_mut().unwrap());
        ctdl_problems(&g, &t)
    };
    // Two destinations.
    let two = with(&|n| {
        let parts = strs(&n[pathway_at]["ceterms:hasPart"]);
        n[pathway_at]["ceterms:hasDestinationComponent"] = json!([parts[0], parts[1]]);
    });
    assert!(two.iter().any(|p| p.contains("2 destinations")), "{two:?}");
    // A condition asking for more than it targets.
    let cond_at = nodes
        .iter()
        .position(|n| n.get("ceterms:hasCondition").is_some())
        .unwrap();
    let more =
        with(&|n| n[cond_at]["ceterms:hasCondition"][0]["ceterms:requiredNumber"] = json!(9));
    assert!(more.iter().any(|p| p.contains("requires 9 of")), "{more:?}");
    // A condition with no target.
    let none = with(&|n| {
        n[cond_at]["ceterms:hasCondition"][0]["ceterms:targetComponent"] = json!([]);
        n[cond_at]["ceterms:hasCondition"][0]["ceterms:requiredNumber"] = json!(0);
    });
    assert!(
        none.iter().any(|p| p.contains("targets nothing")),
        "{none:?}"
    );
    // A component nothing leads to.
    let loose = with(&|n| {
        let mut extra = n[pathway_at + 1].clone();
        extra["@id"] = json!("https://credentialengineregistry.org/resources/ce-loose");
        extra
            .as_object_mut()
            .unwrap()
            .remove("ceterms:isDestinationComponentOf");
        let mut parts = strs(&n[pathway_at]["ceterms:hasPart"]);
        parts.push("https://credentialengineregistry.org/resources/ce-loose".into());
        n[pathway_at]["ceterms:hasPart"] = json!(parts);
        n.push(extra);
    });
    assert!(
        loose.iter().any(|p| p.contains("disconnected")),
        "{loose:?}"
    );
    // A term that is not in the lists.
    let term = with(&|n| n[pathway_at]["ceterms:madeUp"] = json!("x"));
    assert!(
        term.iter().any(|p| p.contains("ceterms:madeUp")),
        "{term:?}"
    );
    let class = with(&|n| n[pathway_at + 1]["@type"] = json!("ceterms:MadeUpComponent"));
    assert!(
        class.iter().any(|p| p.contains("unknown class")),
        "{class:?}"
    );
}

// ---------------------------------------------------------------------------------------
// ELM, Open Badges, YAML.

/// ELM: the stacks' specifications and opportunities name their parts with `hasPart` and
/// each part names its stack with `isPartOf`; every term is one the ELM ontology or the LOQ
/// shapes know, and the stack nodes break no shape.
#[test]
fn elm_links_specifications_and_opportunities_both_ways_with_known_terms() {
    let doc = export(&example(), Format::Elm);
    let g = json_of(&doc);
    let nodes = g["@graph"].as_array().unwrap();
    let las: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["type"] == "LearningAchievementSpecification")
        .collect();
    let lo: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["type"] == "LearningOpportunity")
        .collect();
    assert_eq!((las.len(), lo.len()), (4, 4));
    for list in [&las, &lo] {
        let stack = list.last().unwrap();
        let parts = strs(&stack["hasPart"]);
        assert_eq!(parts.len(), 3);
        let stack_id = stack["id"].as_str().unwrap().to_string();
        for (n, part) in list[..3].iter().zip(&parts) {
            assert_eq!(n["id"].as_str().unwrap(), part);
            assert_eq!(strs(&n["isPartOf"]), vec![stack_id.clone()]);
        }
    }
    // The stack's opportunity offers the stack's specification.
    assert_eq!(lo[3]["learningAchievementSpecification"], las[3]["id"],);
    let report = shacl(&doc);
    assert!(
        report["unknown_terms"].as_array().unwrap().is_empty(),
        "{:#?}",
        report["unknown_terms"]
    );
    let stack_ids = [las[3]["id"].clone(), lo[3]["id"].clone()];
    let on_stacks: Vec<&Value> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| stack_ids.contains(&v["focus"]))
        .collect();
    assert!(on_stacks.is_empty(), "{on_stacks:#?}");
}

fn shacl(doc: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("p.elm.jsonld");
    std::fs::write(&data, doc).unwrap();
    let out = Process::new("python3")
        .arg(Path::new(MANIFEST).join("tests/elm_shacl.py"))
        .arg(Path::new(MANIFEST).join("../shared/data/elm-v3"))
        .arg(&data)
        .output()
        .expect("python3 runs (pip install pyshacl)");
    assert!(
        out.status.success(),
        "elm_shacl.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn ob3_validator() -> jsonschema::Validator {
    let path = Path::new(MANIFEST).join("../shared/data/ob3/achievementcredential.schema.json");
    let full: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let root = json!({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$ref": "#/$defs/Achievement",
        "$defs": full["$defs"],
    });
    jsonschema::draft201909::new(&root).expect("the OB 3.0 schema compiles")
}

#[test]
fn each_stack_is_an_open_badges_achievement_aligned_to_its_parts() {
    let b = build_at(&example(), Format::Ob3, true).unwrap();
    let out = json_of(&portfolio::render(&b, Format::Ob3).unwrap());
    let list = out.as_array().expect("an array, one achievement per stack");
    assert_eq!(list.len(), 1);
    let a = &list[0];
    let v = ob3_validator();
    let errors: Vec<String> = v.iter_errors(a).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(a["achievementType"], "Certificate");
    // Aligned to each part by the id the part's own Open Badges export carries.
    let targets: Vec<String> = a["alignment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["targetUrl"].as_str().unwrap().to_string())
        .collect();
    let own: Vec<String> = b
        .members
        .iter()
        .map(|s| {
            json_of(&microcred::export::render(s, Format::Ob3))["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(targets, own);
    assert_eq!(a["id"], b.spec.stacks[0].achievement_id);
    // Its credits: the parts' ECTS (1 + 2 + 1).
    assert_eq!(a["creditsAvailable"], 4.0);
}

#[test]
fn the_portfolio_spec_meets_its_schema_and_validate_reads_it() {
    let bytes = export(&example(), Format::Yaml);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.starts_with("schema: microcred/portfolio-spec@1\n"),
        "{text}"
    );
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(MANIFEST).join("schemas/portfolio-spec.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).expect("compiles");
    let value: Value = serde_yaml_ng_or_json(&text);
    let errors: Vec<String> = v.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(value["credentials"].as_array().unwrap().len(), 3);
    assert_eq!(
        value["stacks"][0]["parts"],
        json!(["fundamentals", "installation", "service"])
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.portfolio-spec.yaml");
    std::fs::write(&f, &bytes).unwrap();
    let out = microcred().arg("validate").arg(&f).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("ok (portfolio spec, 3 credentials, 1 stacks, 1 pathways)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The spec's YAML as JSON, through the binary's own reader (the `schemas` command is not
/// needed: `serde_json` reads the value the YAML parser gives).
fn serde_yaml_ng_or_json(text: &str) -> Value {
    microcred::store::yaml::parse_named::<Value>(text, "spec").expect("YAML")
}

#[test]
fn every_format_gives_the_same_bytes_for_the_same_input_and_matches_its_golden_file() {
    for (format, name) in [
        (Format::Yaml, "heat-pump-portfolio.spec.yaml"),
        (Format::Ctdl, "heat-pump-portfolio.ctdl.jsonld"),
        (Format::Elm, "heat-pump-portfolio.elm.jsonld"),
        (Format::Ob3, "heat-pump-portfolio.ob3.json"),
    ] {
        let a = export(&example(), format);
        let b = export(&example(), format);
        assert_eq!(a, b, "{name} differs between two runs");
        // The same portfolio in another folder: the same bytes.
        let (_dir, p) = fixture(&std::fs::read_to_string(example()).unwrap());
        assert_eq!(
            export(&p, format),
            a,
            "{name} depends on where the files are"
        );
        common::golden(name, &a, "export_portfolio");
    }
    // Another portfolio id: other CTIDs.
    let (_dir, p) = fixture(
        &std::fs::read_to_string(example())
            .unwrap()
            .replace("0d6c1f3e-2b47", "0d6c1f3e-2b48"),
    );
    let other = json_of(&export(&p, Format::Ctdl));
    let mine = json_of(&export(&example(), Format::Ctdl));
    assert_ne!(other["@id"], mine["@id"]);
}

// ---------------------------------------------------------------------------------------
// The command line.

fn microcred() -> Command {
    let mut cmd = Command::cargo_bin("microcred").expect("the binary is built");
    cmd.env_remove("MICROCRED_FRAMEWORKS");
    cmd
}

#[test]
fn cli_exports_a_portfolio_and_refuses_what_it_cannot_export() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.ctdl.jsonld");
    let run = microcred()
        .arg("export")
        .arg(example())
        .args(["--format", "ctdl", "--force", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        export(&example(), Format::Ctdl)
    );
    // No Markdown or CASE for a portfolio.
    let md = microcred()
        .arg("export")
        .arg(example())
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(md.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&md.stderr)
            .contains("a portfolio exports as yaml, ctdl, elm or ob3")
    );
    // A condition that cannot be met refuses the export, naming it, until forced.
    let broken = std::fs::read_to_string(example()).unwrap().replace(
        "need: all\n      of: [fundamentals, installation, service]",
        "need: 4\n      of: [fundamentals, installation, service]",
    );
    let (_d, p) = fixture(&broken);
    let refused = microcred()
        .arg("export")
        .arg(&p)
        .args(["--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("stack hp-certificate"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert!(refused.stdout.is_empty());
    let forced = microcred()
        .arg("export")
        .arg(&p)
        .args(["--format", "yaml", "--force"])
        .output()
        .unwrap();
    assert!(forced.status.success());
    // CTDL publishes pathways: a portfolio without one is refused, even forced.
    let start = std::fs::read_to_string(example()).unwrap();
    let no_pathway = &start[..start.find("pathways:").unwrap()];
    let (_d2, p2) = fixture(no_pathway);
    let ctdl = microcred()
        .arg("export")
        .arg(&p2)
        .args(["--format", "ctdl", "--force"])
        .output()
        .unwrap();
    assert_eq!(ctdl.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&ctdl.stderr).contains("has no pathway"));
    assert!(String::from_utf8_lossy(&forced.stdout).contains("status: draft"));
}
