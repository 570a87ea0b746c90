//! CTDL export: golden files for both examples, the required properties of CTDL and the
//! Credential Registry (tests/schemas/ctdl-minimum.schema.json, written from Credential
//! Engine's documentation) applied to every export, stable CTIDs, and the readiness list that
//! `export --format ctdl` refuses on, named at file:line:column.
//!
//! `UPDATE_GOLDEN=1 cargo test --test export_ctdl` rewrites the golden files (review the diff).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use microcred::analysis::gap::{self, GapReport};
use microcred::catalog::Catalog;
use microcred::document;
use microcred::export::readiness;
use microcred::export::spec::{self, SpecStatus};
use microcred::export::{self, Format, Options};
use microcred::model::*;
use serde_json::Value;

mod common;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded frameworks load")
}

fn example_paths() -> Vec<PathBuf> {
    ["retail-data-analyst.yaml", "retrofit-gaps.yaml"]
        .iter()
        .map(|f| Path::new(MANIFEST).join("examples").join(f))
        .collect()
}

fn golden(name: &str, actual: &[u8]) {
    common::golden(name, actual, "export_ctdl");
}

fn validator() -> jsonschema::Validator {
    let path = Path::new(MANIFEST).join("tests/schemas/ctdl-minimum.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).expect("our CTDL schema compiles")
}

/// The properties the schema says are missing, and every other error as text.
fn errors(v: &jsonschema::Validator, instance: &Value) -> (BTreeSet<String>, Vec<String>) {
    let mut missing = BTreeSet::new();
    let mut other = Vec::new();
    for e in v.iter_errors(instance) {
        match e.kind() {
            jsonschema::error::ValidationErrorKind::Required { property } => {
                missing.insert(property.as_str().unwrap_or_default().to_string());
            }
            _ => other.push(format!("{e} at {}", e.instance_path())),
        }
    }
    (missing, other)
}

fn assert_valid(v: &jsonschema::Validator, instance: &Value, what: &str) {
    let (missing, other) = errors(v, instance);
    assert!(
        missing.is_empty() && other.is_empty(),
        "{what} does not meet CTDL's required properties: missing {missing:?}; {other:#?}"
    );
}

struct Design {
    ws: Workspace,
    bytes: Vec<u8>,
    gap: GapReport,
}

fn load(path: &Path, cat: &Catalog) -> Design {
    let bytes = std::fs::read(path).unwrap();
    let ws = document::load_workspace(path, cat).unwrap().workspace;
    let gap = gap::analyse(&ws);
    Design { ws, bytes, gap }
}

fn opts(bytes: Option<&[u8]>, force: bool) -> Options {
    Options {
        force,
        workspace_sha256: bytes.map(spec::sha256_hex),
        ..Options::default()
    }
}

/// The CTDL document with the CTDL-ASN document's nodes added to its graph, so that the
/// checks below see the credential and the framework it requires together.
fn ctdl(d: &Design, cat: &Catalog, force: bool) -> Result<Vec<u8>, spec::Refused> {
    let s = built(d, cat, force)?;
    Ok(merged(&s))
}

fn built(d: &Design, cat: &Catalog, force: bool) -> Result<spec::Spec, spec::Refused> {
    let o = Options {
        format: Format::Ctdl,
        ..opts(Some(&d.bytes), force)
    };
    spec::build(&d.ws, cat, &d.gap, &o)
}

fn merged(s: &spec::Spec) -> Vec<u8> {
    let mut g = json(&export::render(s, Format::Ctdl));
    if let Some(asn) = export::ctdl::asn_graph(s) {
        assert_eq!(asn["@context"], export::ctdl::ASN_CONTEXT);
        let nodes = asn["@graph"].as_array().unwrap().clone();
        g["@graph"].as_array_mut().unwrap().extend(nodes);
    }
    serde_json::to_vec(&g).unwrap()
}

/// The complete example with every registry element filled in.
fn complete(cat: &Catalog) -> Design {
    let path = Path::new(MANIFEST).join("examples/retail-data-analyst.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.replacen(
        "  awarding_body: Riverbend College\n",
        "  awarding_body: Riverbend College\n  \
         awarding_body_details:\n    \
         legal_name: Riverbend College of Applied Arts and Technology\n    \
         country: CA\n    \
         identifier: https://registry.example.ca/org/riverbend\n    \
         sector: public\n  \
         languages: [en, fr]\n  \
         isced_f: \"0688\"\n  \
         homepage: https://riverbend.example.ca/retail-data-analyst\n  \
         learning_setting: non-formal\n",
        1,
    );
    let mut ws = document::workspace_from_str(&text, "complete", cat)
        .unwrap()
        .workspace;
    // The partners sign off the design as it now is (the new elements made their sign-offs
    // stale), so it can be final.
    let hash = microcred::model::signoff::design_hash(&ws);
    for s in &mut ws.sign_offs {
        s.design = hash.clone();
    }
    let text = document::workspace_to_string(&ws);
    let ws = document::workspace_from_str(&text, "complete", cat)
        .unwrap()
        .workspace;
    let gap = gap::analyse(&ws);
    Design {
        ws,
        bytes: text.into_bytes(),
        gap,
    }
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("the CTDL export is JSON")
}

fn node<'a>(g: &'a Value, ty: &str) -> Vec<&'a Value> {
    g["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["@type"] == ty)
        .collect()
}

fn credential(g: &Value) -> &Value {
    &g["@graph"][0]
}

/// Every node a reference names is in the graph, and the framework lists each competency.
fn assert_references_resolve(g: &Value, what: &str) {
    let ids: BTreeSet<&str> = g["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["@id"].as_str())
        .collect();
    let c = credential(g);
    for key in ["ceterms:ownedBy", "ceterms:offeredBy"] {
        for r in c[key].as_array().into_iter().flatten() {
            assert!(ids.contains(r.as_str().unwrap()), "{what}: {key} {r}");
        }
    }
    for t in c["ceterms:requires"][0]["ceterms:targetCompetency"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert!(
            ids.contains(t["ceterms:targetNode"].as_str().unwrap()),
            "{what}: {t}"
        );
        assert!(
            ids.contains(t["ceterms:framework"].as_str().unwrap()),
            "{what}: {t}"
        );
    }
    let fw = node(g, "ceasn:CompetencyFramework");
    let comps = node(g, "ceasn:Competency");
    if comps.is_empty() {
        assert!(fw.is_empty(), "{what}: a framework without competencies");
        return;
    }
    assert_eq!(fw.len(), 1, "{what}: one framework");
    let children: Vec<&Value> = fw[0]["ceasn:hasTopChild"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(children.len(), comps.len(), "{what}");
    for (child, comp) in children.iter().zip(&comps) {
        assert_eq!(**child, comp["@id"], "{what}");
        assert_eq!(comp["ceasn:isPartOf"], fw[0]["@id"], "{what}");
    }
}

/// The schema properties each readiness gap leaves out of a forced draft.
fn properties_for(missing: &[readiness::Missing]) -> BTreeSet<String> {
    missing
        .iter()
        .flat_map(|m| match m.at {
            "credential.homepage" => vec!["ceterms:subjectWebpage"],
            "credential.languages" => vec!["ceterms:inLanguage", "ceasn:inLanguage"],
            // The owner node falls back on the awarding body's name; the Registry needs these
            // to identify it, but they are not properties of the graph's minimum.
            _ => vec![],
        })
        .map(String::from)
        .collect()
}

#[test]
fn golden_files_for_both_examples() {
    let cat = catalog();
    for path in example_paths() {
        let d = load(&path, &cat);
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            ctdl(&d, &cat, false).is_err(),
            "{stem} lacks CTDL's elements, so a plain export is refused"
        );
        let a = ctdl(&d, &cat, true).unwrap();
        let b = ctdl(&d, &cat, true).unwrap();
        assert_eq!(a, b, "{stem}: two exports differ");
        let s = built(&d, &cat, true).unwrap();
        golden(
            &format!("{stem}.ctdl.jsonld"),
            &export::render(&s, Format::Ctdl),
        );
        golden(
            &format!("{stem}.ctdl-asn.jsonld"),
            &export::ctdl::render_asn(&s),
        );
    }
}

#[test]
fn the_complete_design_exports_final_and_meets_every_required_property() {
    let cat = catalog();
    let d = complete(&cat);
    assert_eq!(readiness::missing(&d.ws, Format::Ctdl), vec![]);
    let bytes = ctdl(&d, &cat, false).expect("nothing is missing, so no --force is needed");
    let g = json(&bytes);
    assert_valid(&validator(), &g, "the complete design");
    assert_references_resolve(&g, "complete");
    let c = credential(&g);
    assert_eq!(c["@type"], "ceterms:MicroCredential");
    assert_eq!(
        c["ceterms:credentialStatusType"]["ceterms:targetNode"], "credentialStat:Active",
        "a final spec is an active credential"
    );
    assert_eq!(
        c["ceterms:subjectWebpage"],
        "https://riverbend.example.ca/retail-data-analyst"
    );
    assert_eq!(c["ceterms:inLanguage"], serde_json::json!(["en", "fr"]));
    assert_eq!(c["ceterms:name"]["en"], "Retail Data Analyst");
    assert_eq!(
        c["ceterms:estimatedDuration"][0]["ceterms:exactDuration"],
        "PT90H"
    );
    // Credit value and delivery belong to the condition profile, not to the credential
    // (outside the domain of `ceterms:creditValue` and `ceterms:deliveryType`).
    assert!(c.get("ceterms:creditValue").is_none() && c.get("ceterms:deliveryType").is_none());
    let earn = &c["ceterms:requires"][0];
    assert_eq!(earn["ceterms:creditValue"][0]["schema:value"], 3);
    assert!(
        earn["ceterms:creditValue"][0]
            .get("ceterms:description")
            .is_none()
    );
    assert!(earn["ceterms:creditValue"][0]["schema:description"]["en"].is_string());
    assert!(
        earn["ceterms:description"]["en"]
            .as_str()
            .unwrap()
            .contains("Delivery: Blended Delivery.")
    );
    assert_eq!(
        c["ceterms:instructionalProgramType"][0]["ceterms:codedNotation"],
        "0688"
    );
    let prereqs = &c["ceterms:requires"][1];
    assert_eq!(prereqs["ceterms:name"]["en"], "Prerequisites");
    assert_eq!(
        prereqs["ceterms:condition"]["en"].as_array().map(Vec::len),
        Some(d.ws.credential.prerequisites.len())
    );
    let org = node(&g, "ceterms:CredentialOrganization");
    assert_eq!(org.len(), 1);
    assert_eq!(
        org[0]["ceterms:name"]["en"],
        "Riverbend College of Applied Arts and Technology"
    );
    assert_eq!(
        org[0]["ceterms:alternateName"]["en"][0],
        "Riverbend College"
    );
    assert_eq!(
        org[0]["ceterms:identifier"][0]["ceterms:identifierValueCode"],
        "https://registry.example.ca/org/riverbend"
    );
    // The owner is a resource with a CTID, a subject web page and an agent type.
    assert!(is_ctid(org[0]["ceterms:ctid"].as_str().unwrap()));
    assert_eq!(
        org[0]["@id"].as_str().unwrap(),
        format!(
            "https://credentialengineregistry.org/resources/{}",
            org[0]["ceterms:ctid"].as_str().unwrap()
        )
    );
    assert_eq!(
        org[0]["ceterms:subjectWebpage"],
        "https://riverbend.example.ca/retail-data-analyst"
    );
    assert_eq!(
        org[0]["ceterms:agentType"][0]["ceterms:targetNode"],
        "orgType:Postsecondary"
    );
    let fw = node(&g, "ceasn:CompetencyFramework");
    assert_eq!(fw[0]["ceasn:publisher"], serde_json::json!([org[0]["@id"]]));
    for comp in node(&g, "ceasn:Competency") {
        assert_eq!(comp["ceasn:isTopChildOf"], fw[0]["@id"]);
        assert!(
            comp.get("ceasn:isChildOf").is_none(),
            "isChildOf's range is competencies"
        );
    }
    let targets = c["ceterms:requires"][0]["ceterms:targetCompetency"]
        .as_array()
        .unwrap();
    assert_eq!(targets.len(), d.ws.competencies.len());
    assert_eq!(node(&g, "ceasn:Competency").len(), d.ws.competencies.len());
    for (t, c) in targets.iter().zip(&d.ws.competencies) {
        assert_eq!(t["ceterms:codedNotation"], c.reference.as_str());
    }
}

#[test]
fn forced_drafts_lack_exactly_what_readiness_names_and_say_draft() {
    let cat = catalog();
    let v = validator();
    let mut designs: Vec<(String, Design)> = example_paths()
        .iter()
        .map(|p| (p.display().to_string(), load(p, &cat)))
        .collect();
    designs.push((
        "blank".into(),
        Design {
            ws: Workspace::default(),
            bytes: b"blank".to_vec(),
            gap: gap::analyse(&Workspace::default()),
        },
    ));
    for (name, d) in &designs {
        let missing = readiness::missing(&d.ws, Format::Ctdl);
        assert!(!missing.is_empty(), "{name} lacks CTDL's elements");
        let g = json(&ctdl(d, &cat, true).unwrap());
        let c = credential(&g);
        assert_eq!(
            c["ceterms:credentialStatusType"]["ceterms:targetNode"], "credentialStat:Active",
            "{name}: the status is required; Active by default"
        );
        assert!(
            c["ceterms:description"]
                .as_object()
                .unwrap()
                .values()
                .all(|t| t.as_str().unwrap().starts_with("DRAFT")),
            "{name}"
        );
        let (schema_missing, other) = errors(&v, &g);
        let mut expected = properties_for(&missing);
        if d.ws.competencies.is_empty() {
            // No competencies, no framework, so no framework language to miss.
            expected.remove("ceasn:inLanguage");
        }
        assert_eq!(schema_missing, expected, "{name}: {other:#?}");
        if d.ws.credential.awarding_body.is_none() {
            // No owner at all (the blank design, whose awarding body is a blocker of every
            // export): neither ownedBy nor offeredBy.
            assert_eq!(other.len(), 1, "{name}: {other:#?}");
            assert!(
                other[0].contains("anyOf") && other[0].ends_with("at /@graph/0"),
                "{name}: {other:#?}"
            );
        } else {
            assert!(other.is_empty(), "{name}: {other:#?}");
        }
        assert_references_resolve(&g, name);
    }
}

#[test]
fn readiness_for_ctdl_lists_each_element_for_a_blank_design() {
    let m = readiness::missing(&Workspace::default(), Format::Ctdl);
    let at: Vec<&str> = m.iter().map(|m| m.at).collect();
    assert_eq!(
        at,
        [
            "credential.homepage",
            "credential.languages",
            "credential.awarding_body_details.legal_name",
            "credential.awarding_body_details.identifier",
            "credential.awarding_body_details.sector",
        ]
    );
    assert_eq!(
        readiness::sentence(Format::Ctdl, &m),
        "CTDL: a web page, a language of instruction, the awarding body's legal name, the \
         awarding body's registry identifier and the awarding body's sector (public or private)"
    );
}

#[test]
fn ctids_are_stable_across_edits_and_new_for_a_new_version() {
    let cat = catalog();
    let mut d = complete(&cat);
    let re = is_ctid;
    let ctids = |g: &Value| -> Vec<String> {
        g["@graph"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n["ceterms:ctid"].as_str().map(String::from))
            .collect()
    };
    let export = |d: &Design| json(&ctdl(d, &cat, true).unwrap());
    let first = export(&d);
    let ids = ctids(&first);
    assert_eq!(
        ids.len(),
        3 + d.ws.competencies.len(),
        "credential, organisation, framework, competencies"
    );
    assert!(ids.iter().all(|c| re(c)), "{ids:?}");
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "CTIDs are distinct"
    );
    // Two edits of the same version keep every CTID.
    d.ws.credential.summary = Some("Changed summary.".into());
    d.ws.needs[0].statement.push_str(" Weekly.");
    d.bytes.extend_from_slice(b"# edited\n");
    let edited = export(&d);
    assert_ne!(edited, first);
    assert_eq!(ctids(&edited), ids, "an edit keeps the CTIDs");
    d.ws.credential.title = Some("Retail Data Analyst (evenings)".into());
    assert_eq!(ctids(&export(&d)), ids, "a second edit keeps them too");
    // A new version is a new resource that names the one before.
    d.ws.credential.previous_version = d.ws.credential.version.clone();
    d.ws.credential.version = Some("2027.1".into());
    let next = export(&d);
    let next_ids = ctids(&next);
    assert!(next_ids.iter().all(|c| !ids.contains(c)), "new CTIDs");
    assert_eq!(
        credential(&next)["ceterms:previousVersion"],
        credential(&first)["@id"]
    );
    assert_valid(&validator(), &next, "next version");
    // Without a stable id the CTIDs come from the workspace's hash.
    d.ws.credential.id = None;
    let anonymous = ctids(&export(&d));
    assert!(anonymous.iter().all(|c| !next_ids.contains(c) && re(c)));
}

/// `ce-` and a lowercase UUID of version 8 with the RFC variant: groups of 8-4-4-4-12.
fn is_ctid(s: &str) -> bool {
    let Some(u) = s.strip_prefix("ce-") else {
        return false;
    };
    let parts: Vec<&str> = u.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && u.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        && parts[2].starts_with('8')
        && parts[3].starts_with(['8', '9', 'a', 'b'])
}

#[test]
fn a_known_uri_becomes_an_exact_alignment() {
    let fw: Framework = serde_yaml::from_str(
        r#"
id: esco
name: ESCO
version: "1.1.1"
levels: [{ level: 1, name: Basic }, { level: 2, name: Independent }]
competencies:
  - id: abc
    name: clean data
    description: Detect and correct corrupt records.
    uri: http://data.europa.eu/esco/skill/abc
  - id: def
    name: report findings
    description: Write up results.
"#,
    )
    .unwrap();
    let cat = Catalog::from_frameworks(vec![fw]);
    let mut ws = Workspace::default();
    for r in ["esco:abc", "esco:def"] {
        ws.competencies.push(CredentialCompetency {
            reference: r.into(),
            target_level: 2,
            hours: Some(7.5),
            outcome: None,
            assessment: None,
            silence: Vec::new(),
        });
    }
    ws.credential.awarding_body = Some("Example College".into());
    ws.credential.homepage = Some("https://example.org/c".into());
    ws.credential.languages = vec!["de".into()];
    let s = spec::build(&ws, &cat, &gap::analyse(&ws), &opts(None, true)).unwrap();
    assert_eq!(s.status, SpecStatus::Draft);
    let g = json(&merged(&s));
    assert_valid(&validator(), &g, "esco");
    let comps = node(&g, "ceasn:Competency");
    assert_eq!(
        comps[0]["ceasn:exactAlignment"],
        serde_json::json!(["http://data.europa.eu/esco/skill/abc"])
    );
    assert!(comps[1].get("ceasn:exactAlignment").is_none());
    assert_eq!(comps[0]["ceasn:competencyText"]["de"], "clean data");
    assert_eq!(comps[0]["ceasn:inLanguage"], serde_json::json!(["de"]));
    // No workload: no duration; competency hours only decide the credential type.
    assert!(credential(&g).get("ceterms:estimatedDuration").is_none());
    assert_eq!(credential(&g)["@type"], "ceterms:MicroCredential");
}

fn bin() -> Command {
    Command::cargo_bin("microcred").unwrap()
}

#[test]
fn cli_refuses_naming_each_missing_element_at_its_place_then_forces_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let src =
        std::fs::read_to_string(Path::new(MANIFEST).join("examples/retail-data-analyst.yaml"))
            .unwrap();
    // Half of CTDL's elements given: a web page and the body's country, not its legal name or
    // identifier, and no language.
    let text = src.replacen(
        "  awarding_body: Riverbend College\n",
        "  awarding_body: Riverbend College\n  \
         homepage: https://riverbend.example.ca/rda\n  \
         awarding_body_details:\n    \
         country: CA\n",
        1,
    );
    let ws = dir.path().join("retail.yaml");
    std::fs::write(&ws, &text).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let out = bin()
        .args(["export", ws.to_str().unwrap(), "--format", "ctdl"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let name = ws.display().to_string();
    let credential_at = format!("{name}:{}:3:", line_of("  id: urn:uuid:"));
    let details_at = format!("{name}:{}:5:", line_of("    country: CA"));
    for (at, what) in [
        (
            &credential_at,
            "a language of instruction (credential.languages)",
        ),
        (
            &details_at,
            "the awarding body's legal name (credential.awarding_body_details.legal_name)",
        ),
        (
            &details_at,
            "the awarding body's registry identifier (credential.awarding_body_details.identifier)",
        ),
        (
            &details_at,
            "the awarding body's sector (public or private) (credential.awarding_body_details.sector)",
        ),
    ] {
        let line = format!("{at} the CTDL JSON-LD (Credential Registry) needs {what}");
        assert!(err.contains(&line), "expected `{line}` in:\n{err}");
    }
    assert!(!err.contains("needs a web page"), "{err}");
    assert!(err.contains("cannot export: 4 problem(s)"), "{err}");
    assert!(out.stdout.is_empty(), "nothing is written when refused");

    let file = dir.path().join("retail.ctdl.jsonld");
    let out = bin()
        .args([
            "export",
            ws.to_str().unwrap(),
            "--format",
            "ctdl",
            "--force",
            "-o",
            file.to_str().unwrap(),
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("CTDL JSON-LD (Credential Registry), draft"),
        "{err}"
    );
    let mut g = json(&std::fs::read(&file).unwrap());
    assert_eq!(
        credential(&g)["ceterms:credentialStatusType"]["ceterms:targetNode"],
        "credentialStat:Active"
    );
    assert_eq!(
        credential(&g)["ceterms:subjectWebpage"],
        "https://riverbend.example.ca/rda"
    );
    // The CTDL-ASN framework is its own document, written beside.
    let beside = microcred::cli::export::ctdl_asn_path(&file);
    assert!(
        err.contains(&format!("wrote {}", beside.display())),
        "{err}"
    );
    let asn = json(&std::fs::read(&beside).unwrap());
    assert_eq!(asn["@context"], export::ctdl::ASN_CONTEXT);
    assert!(node(&g, "ceasn:CompetencyFramework").is_empty());
    let nodes = asn["@graph"].as_array().unwrap().clone();
    g["@graph"].as_array_mut().unwrap().extend(nodes);
    let (missing, _) = errors(&validator(), &g);
    assert_eq!(
        missing,
        BTreeSet::from([
            "ceterms:inLanguage".to_string(),
            "ceasn:inLanguage".to_string()
        ])
    );
}

#[test]
fn cli_exports_the_complete_design_as_final_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = complete(&catalog());
    let ws = dir.path().join("complete.yaml");
    std::fs::write(&ws, &d.bytes).unwrap();
    let out = bin()
        .args(["export", ws.to_str().unwrap(), "--format", "ctdl"])
        .assert()
        .success()
        .get_output()
        .clone();
    let g = json(&out.stdout);
    assert_valid(&validator(), &g, "complete via the CLI");
    assert_eq!(
        credential(&g)["ceterms:credentialStatusType"]["ceterms:targetNode"],
        "credentialStat:Active"
    );
    // Beside the workspace, with the format's extension.
    assert_eq!(
        export::path_beside(&ws, Format::Ctdl),
        dir.path().join("complete.ctdl.jsonld")
    );
}

/// The editor's `X` writes what `export -o` writes: a CTDL export brings its CTDL-ASN
/// competency framework beside it, and it is the same document.
#[test]
fn the_editor_writes_the_ctdl_asn_framework_beside_the_ctdl_export() {
    use microcred::edit::Actor;
    use microcred::tui::app::App;
    let cat = catalog();
    let d = complete(&cat);
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("complete.yaml");
    std::fs::write(&ws_path, &d.bytes).unwrap();
    let app = App::new(
        d.ws.clone(),
        std::sync::Arc::new(cat),
        Some(ws_path.clone()),
        Actor::designer("dana"),
    );
    let files = app
        .export_files(&[Format::Ctdl])
        .expect("the complete design exports");
    let names: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(
        names,
        [
            dir.path().join("complete.ctdl.jsonld"),
            dir.path().join("complete.ctdl-asn.jsonld")
        ]
    );
    let asn = json(&files[1].1);
    assert_eq!(asn["@context"], export::ctdl::ASN_CONTEXT);
    assert!(!node(&asn, "ceasn:CompetencyFramework").is_empty());
    // The same bytes as `export --format ctdl -o` writes beside its output.
    let out = dir.path().join("cli.ctdl.jsonld");
    bin()
        .args([
            "export",
            ws_path.to_str().unwrap(),
            "--format",
            "ctdl",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(export::ctdl_asn_path(&out)).unwrap(),
        files[1].1
    );
}

/// The properties Credential Engine's published JSON validation schemas
/// (CredentialEngine/CTDL_Json_Validation_Schema, `Production_Schema/`: credentialSchema.json,
/// agentSchema.json, competency_framework.json, competency.json) list as `required`, per type.
/// Those schemas predate the Registry's language maps (they want plain strings), so only
/// their required lists are checked here; see tests/fixtures/import/README.md.
const CE_REQUIRED: &[(&str, &[&str])] = &[
    (
        "ceterms:MicroCredential",
        &[
            "@type",
            "@id",
            "ceterms:credentialStatusType",
            "ceterms:ctid",
            "ceterms:description",
            "ceterms:name",
            "ceterms:subjectWebpage",
        ],
    ),
    (
        "ceterms:CredentialOrganization",
        &[
            "@type",
            "@id",
            "ceterms:address",
            "ceterms:agentSectorType",
            "ceterms:agentType",
            "ceterms:ctid",
            "ceterms:description",
            "ceterms:email",
            "ceterms:name",
            "ceterms:subjectWebpage",
        ],
    ),
    (
        "ceasn:CompetencyFramework",
        &[
            "@type",
            "@id",
            "ceasn:description",
            "ceasn:inLanguage",
            "ceasn:name",
            "ceterms:ctid",
        ],
    ),
    (
        "ceasn:Competency",
        &[
            "@type",
            "@id",
            "ceasn:competencyText",
            "ceasn:isPartOf",
            "ceterms:ctid",
        ],
    ),
];

/// What microcred cannot know and so leaves out: the owner's sector (public, private
/// non-profit, for-profit) has no field in a design. The owner's email is written when the
/// design gives one (`awarding_body_details.email`).
const CE_NOT_KNOWN: &[(&str, &str)] = &[("ceterms:CredentialOrganization", "ceterms:email")];

#[test]
fn the_complete_design_carries_what_credential_engines_validation_schemas_require() {
    let cat = catalog();
    let d = complete(&cat);
    let s = spec::build(&d.ws, &cat, &d.gap, &opts(None, false)).expect("exports");
    let g = json(&merged(&s));
    let mut seen = BTreeSet::new();
    for n in g["@graph"].as_array().unwrap() {
        let ty = n["@type"].as_str().unwrap_or_default();
        let Some((_, required)) = CE_REQUIRED.iter().find(|(t, _)| *t == ty) else {
            continue;
        };
        seen.insert(ty.to_string());
        for p in *required {
            if CE_NOT_KNOWN.contains(&(ty, *p)) {
                continue;
            }
            assert!(n.get(*p).is_some(), "{ty} lacks {p}: {n:#}");
        }
    }
    assert_eq!(
        seen.len(),
        CE_REQUIRED.len(),
        "every type is checked: {seen:?}"
    );
    // The sector is CTDL's concept.
    let org = node(&g, "ceterms:CredentialOrganization");
    assert_eq!(
        org[0]["ceterms:agentSectorType"][0]["ceterms:targetNode"],
        "agentSector:Public"
    );
    // Each sector a file can name is the matching CTDL concept.
    for (word, concept) in [
        ("private-non-profit", "agentSector:PrivateNonProfit"),
        ("private-for-profit", "agentSector:PrivateForProfit"),
    ] {
        let text = std::fs::read_to_string(
            Path::new(MANIFEST).join("examples/retail-data-analyst.yaml"),
        )
        .unwrap()
        .replacen(
            "  awarding_body: Riverbend College\n",
            &format!(
                "  awarding_body: Riverbend College\n  awarding_body_details:\n    sector: {word}\n"
            ),
            1,
        );
        let ws = document::workspace_from_str(&text, "sector", &cat)
            .unwrap()
            .workspace;
        let s = spec::build(&ws, &cat, &gap::analyse(&ws), &opts(None, true)).expect("exports");
        let g = json(&merged(&s));
        let org = node(&g, "ceterms:CredentialOrganization");
        assert_eq!(
            org[0]["ceterms:agentSectorType"][0]["ceterms:targetNode"], concept,
            "{word}"
        );
    }
    // With an email, the owner has one.
    let mut ws = d.ws.clone();
    ws.credential
        .awarding_body_details
        .get_or_insert_with(Default::default)
        .email = Some("registry@riverbend.example.ca".into());
    let s = spec::build(&ws, &cat, &gap::analyse(&ws), &opts(None, true)).expect("exports");
    let g = json(&merged(&s));
    let org = node(&g, "ceterms:CredentialOrganization");
    assert_eq!(
        org[0]["ceterms:email"],
        serde_json::json!(["registry@riverbend.example.ca"])
    );
}
