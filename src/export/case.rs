//! 1EdTech CASE 1.1: the credential's competency set as a `CFPackage` (JSON) that competency
//! framework systems (OpenSALT, the CASE Network) import.
//!
//! One `CFDocument` for the credential, one `CFItem` per included competency, and for each item
//! an `isChildOf` association to the document and an `exactMatchOf` association to the
//! competency in its source framework (its URI where known, such as ESCO's; else the web
//! address its framework's `source` gives; else `urn:microcred:FRAMEWORK:VERSION:ID`). Each competency's proficiency scale is a criterion
//! of one `CFRubric`, so the levels travel too. Rendered from a [`Spec`], so it says the same
//! as the YAML spec.
//!
//! Every `identifier` is a UUID (RFC 9562 version 8, from SHA-256) derived from the id of this
//! version of the design (see [`super::ob3::achievement_id`]) and what the object is, so two
//! edits of one version keep the same identifiers and another version gets new ones. Every
//! `uri` is `urn:uuid:` and the identifier. No clock is read: `lastChangeDateTime` is the
//! export's `--timestamp` when given, else the design's last recorded change
//! ([`super::spec::last_change`]: its latest comment, sign-off or vote), else [`UNDATED`].
//!
//! What an imported CASE framework carries comes back: a competency's notes and code are added
//! to the item's notes, its education levels are the item's, and its typed links (`precedes`,
//! `isRelatedTo`, …) become associations (to the item itself when the target is in the set).

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::ob3::{achievement_id, target_url};
use super::spec::{Spec, SpecCompetency, SpecLevel, SpecStatus};
use crate::model::{CompetencyType, LevelValue};

/// `lastChangeDateTime` of an export without `--timestamp` (CASE requires the field; a fixed
/// value keeps the bytes reproducible). Give `--timestamp` when publishing to a registry.
pub const UNDATED: &str = "1970-01-01T00:00:00+00:00";

/// The `CFItemType` of a competency with no type (skill, knowledge, attitude).
const ITEM_TYPE: &str = "Competency";

/// A bare UUID (version 8, name-based on SHA-256) for the object `what` of the package of
/// this version of the design.
pub fn identifier(spec: &Spec, what: &str) -> String {
    let name = format!("microcred:case:{}:{what}", achievement_id(spec));
    let d = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    let urn = crate::model::identity::urn_uuid(b, 8);
    urn.trim_start_matches("urn:uuid:").to_string()
}

fn uri(identifier: &str) -> String {
    format!("urn:uuid:{identifier}")
}

/// A link to a node (`LinkGenURI`/`LinkURI`): title, identifier and uri.
fn link(title: &str, identifier: &str, uri: &str) -> Value {
    json!({ "title": title, "identifier": identifier, "uri": uri })
}

/// The `CFItemType` of a competency: its type as a capitalised word, else "Competency".
pub fn item_type(kind: Option<CompetencyType>) -> &'static str {
    match kind {
        Some(CompetencyType::Skill) => "Skill",
        Some(CompetencyType::Knowledge) => "Knowledge",
        Some(CompetencyType::Attitude) => "Attitude",
        None => ITEM_TYPE,
    }
}

fn item_type_description(t: &str) -> &'static str {
    match t {
        "Skill" => "The ability to apply knowledge and use know-how to complete tasks.",
        "Knowledge" => "A body of facts, principles and theories in a field of work or study.",
        "Attitude" => "A disposition to act or react to ideas, people or situations.",
        _ => "A competency a learner shows to earn the micro-credential.",
    }
}

/// The `humanCodingScheme` of each competency: its id, or its `FRAMEWORK:ID` reference when
/// another competency of the set (from another framework) already has that id.
fn codes(spec: &Spec) -> Vec<String> {
    let mut used: HashSet<&str> = HashSet::new();
    spec.competencies
        .iter()
        .map(|c| {
            if used.insert(c.id.as_str()) {
                c.id.clone()
            } else {
                c.reference.clone()
            }
        })
        .collect()
}

fn level_label(l: &SpecLevel) -> String {
    match &l.name {
        Some(n) => format!("{} {n}", l.level),
        None => l.level.to_string(),
    }
}

/// The item's notes: the learning outcome, the level the credential requires and how it is
/// assessed.
fn item_notes(c: &SpecCompetency) -> String {
    let sentence = |s: String| {
        if s.ends_with(['.', '!', '?']) {
            s
        } else {
            format!("{s}.")
        }
    };
    let mut parts = Vec::new();
    if let Some(o) = &c.outcome {
        parts.push(sentence(format!("Learning outcome: {}", o.trim())));
    }
    parts.push(format!(
        "Level required by the micro-credential: {}.",
        level_label(&c.target_level)
    ));
    if let Some(a) = &c.assessment {
        let mut s = format!("Assessed by {}", a.method.as_str());
        if let Some(d) = &a.description {
            s.push_str(&format!(": {}", d.trim()));
        }
        parts.push(sentence(s));
    }
    parts.join("\n")
}

/// The identifier of the source competency in an `exactMatchOf` link: the UUID at the end of
/// its URI (ESCO URIs end in one), else the whole URI.
fn source_identifier(url: &str) -> String {
    let last = url.rsplit(['/', ':']).next().unwrap_or(url);
    let is_uuid = last.len() == 36
        && last.chars().enumerate().all(|(i, ch)| {
            matches!(i, 8 | 13 | 18 | 23) == (ch == '-') && (ch == '-' || ch.is_ascii_hexdigit())
        });
    if is_uuid {
        last.to_ascii_lowercase()
    } else {
        url.to_string()
    }
}

/// Where an `exactMatchOf` points: the competency's URI, else the web address its framework's
/// `source` gives (the whole `source`, or the first `https://…` word of a citation, such as the
/// Government of Canada page of the Skills for Success model that the built-in Essential Skills
/// framework cites), else a `urn:microcred:` name (a stable name that no host resolves; the
/// project publishes its own frameworks at no address of its own).
fn match_target(c: &SpecCompetency) -> String {
    published_address(c).unwrap_or_else(|| target_url(c))
}

/// A web address for the competency: its URI, else the one its framework's `source` gives
/// (see [`match_target`]); the CTDL export's `ceasn:exactAlignment` too.
pub(crate) fn published_address(c: &SpecCompetency) -> Option<String> {
    c.uri.clone().or_else(|| {
        c.framework
            .source
            .as_deref()
            .and_then(web_address)
            .map(str::to_string)
    })
}

/// The first web address (`https://…` or `http://…`) among the words of `source`, without the
/// punctuation that ends a citation's clause.
fn web_address(source: &str) -> Option<&str> {
    source
        .split_whitespace()
        .map(|w| {
            w.trim_start_matches('(')
                .trim_end_matches([',', ';', ')', '.'])
        })
        .find(|w| {
            ["https://", "http://"]
                .iter()
                .any(|p| w.len() > p.len() && w.starts_with(p))
        })
}

/// The package as a JSON value.
pub fn package(spec: &Spec) -> Value {
    let cr = &spec.credential;
    let when = spec
        .provenance
        .exported_at
        .clone()
        .or_else(|| spec.provenance.design_changed_at.clone())
        .unwrap_or_else(|| UNDATED.to_string());
    let title = cr.title.clone().unwrap_or_else(|| "(untitled)".into());
    let doc_id = identifier(spec, "document");
    let doc_uri = uri(&doc_id);
    let language = cr.languages.first().cloned();
    let education_level = cr.level.as_ref().map(|l| match &l.value {
        LevelValue::Number(n) => format!("{} {n}", l.scheme),
        LevelValue::Text(t) => format!("{} {t}", l.scheme),
    });

    let mut doc = Map::new();
    doc.insert("identifier".into(), json!(doc_id));
    doc.insert("uri".into(), json!(doc_uri));
    doc.insert("caseVersion".into(), json!("1.1"));
    doc.insert(
        "creator".into(),
        json!(
            cr.awarding_body
                .clone()
                .unwrap_or_else(|| "(awarding body not named)".into())
        ),
    );
    doc.insert("title".into(), json!(title));
    doc.insert("lastChangeDateTime".into(), json!(when));
    if let Some(home) = &cr.homepage {
        doc.insert("officialSourceURL".into(), json!(home));
    }
    if let Some(p) = cr
        .awarding_body_details
        .as_ref()
        .and_then(|d| d.legal_name.clone())
        .or_else(|| cr.awarding_body.clone())
    {
        doc.insert("publisher".into(), json!(p));
    }
    if let Some(s) = &cr.summary {
        doc.insert("description".into(), json!(s));
    }
    if let Some(l) = &language {
        doc.insert("language".into(), json!(l));
    }
    if let Some(v) = &cr.version {
        doc.insert("version".into(), json!(v));
    }
    doc.insert(
        "adoptionStatus".into(),
        json!(match spec.status {
            SpecStatus::Final => "Adopted",
            SpecStatus::Draft => "Draft",
        }),
    );
    let used: HashSet<&str> = spec
        .competencies
        .iter()
        .map(|c| c.framework.id.as_str())
        .collect();
    let frameworks: Vec<String> = spec
        .provenance
        .frameworks
        .iter()
        .filter(|f| used.contains(f.id.as_str()))
        .map(|f| format!("{} {}", f.name, f.version))
        .collect();
    let mut notes = String::from(
        "The competencies of a micro-credential, exported by microcred. Each item is an exact \
         match of a competency in its source framework",
    );
    if !frameworks.is_empty() {
        notes.push_str(&format!(" ({})", frameworks.join("; ")));
    }
    notes.push('.');
    if spec.status == SpecStatus::Draft {
        notes.push_str(&format!(
            " DRAFT: {} open problem(s) in the design.",
            spec.open_problems.len()
        ));
    }
    doc.insert("notes".into(), json!(notes));

    let codes = codes(spec);
    let mut types: BTreeMap<&'static str, String> = BTreeMap::new();
    for c in &spec.competencies {
        let t = item_type(c.kind);
        types
            .entry(t)
            .or_insert_with(|| identifier(spec, &format!("item-type:{t}")));
    }

    let by_reference: std::collections::HashMap<&str, (&str, String)> = spec
        .competencies
        .iter()
        .zip(&codes)
        .map(|(c, code)| {
            (
                c.reference.as_str(),
                (
                    code.as_str(),
                    identifier(spec, &format!("item:{}", c.reference)),
                ),
            )
        })
        .collect();
    let mut items = Vec::with_capacity(spec.competencies.len());
    let mut assocs = Vec::with_capacity(2 * spec.competencies.len());
    let mut criteria = Vec::with_capacity(spec.competencies.len());
    let rubric_id = identifier(spec, "rubric");
    for (i, (c, code)) in spec.competencies.iter().zip(&codes).enumerate() {
        let item_id = identifier(spec, &format!("item:{}", c.reference));
        let item_uri = uri(&item_id);
        let statement = if c.description.trim().is_empty() {
            c.name.clone()
        } else {
            c.description.clone()
        };
        let t = item_type(c.kind);
        let mut item = Map::new();
        item.insert("identifier".into(), json!(item_id));
        item.insert("uri".into(), json!(item_uri));
        item.insert("fullStatement".into(), json!(statement));
        item.insert("abbreviatedStatement".into(), json!(c.name));
        item.insert("humanCodingScheme".into(), json!(code));
        item.insert("listEnumeration".into(), json!((i + 1).to_string()));
        item.insert("CFItemType".into(), json!(t));
        if let Some(tid) = types.get(t) {
            item.insert("CFItemTypeURI".into(), link(t, tid, &uri(tid)));
        }
        if let Some(cat) = &c.category {
            item.insert("subject".into(), json!([cat]));
        }
        if let Some(l) = &language {
            item.insert("language".into(), json!(l));
        }
        if !c.education_level.is_empty() {
            item.insert("educationLevel".into(), json!(c.education_level));
        } else if let Some(e) = &education_level {
            item.insert("educationLevel".into(), json!([e]));
        }
        let mut notes = item_notes(c);
        if let Some(n) = &c.notes {
            notes.push_str(&format!("\nSource notes: {}", n.trim()));
        }
        if let Some(code) = &c.code {
            notes.push_str(&format!("\nSource code: {}", code.trim()));
        }
        item.insert("notes".into(), json!(notes));
        item.insert("lastChangeDateTime".into(), json!(when));
        items.push(Value::Object(item));

        let origin = link(code, &item_id, &item_uri);
        let child_id = identifier(spec, &format!("is-child-of:{}", c.reference));
        assocs.push(json!({
            "identifier": child_id,
            "uri": uri(&child_id),
            "associationType": "isChildOf",
            "sequenceNumber": i + 1,
            "originNodeURI": origin,
            "destinationNodeURI": link(&title, &doc_id, &doc_uri),
            "lastChangeDateTime": when,
        }));
        let source = match_target(c);
        let match_id = identifier(spec, &format!("exact-match-of:{}", c.reference));
        assocs.push(json!({
            "identifier": match_id,
            "uri": uri(&match_id),
            "associationType": "exactMatchOf",
            "originNodeURI": origin,
            "destinationNodeURI": link(
                &format!("{} ({} {})", c.name, c.framework.name, c.framework.version),
                &source_identifier(&source),
                &source,
            ),
            "lastChangeDateTime": when,
        }));

        // The source framework's own links, written back as associations.
        for l in &c.links {
            let link_id = identifier(
                spec,
                &format!("link:{}:{}:{}", c.reference, l.kind, l.target),
            );
            let dest = match by_reference.get(l.target.as_str()) {
                Some(&(code, ref id)) => link(code, id, &uri(id)),
                None => link(
                    l.title.as_deref().unwrap_or(&l.target),
                    &source_identifier(&l.target),
                    &l.target,
                ),
            };
            assocs.push(json!({
                "identifier": link_id,
                "uri": uri(&link_id),
                "associationType": l.kind,
                "originNodeURI": origin,
                "destinationNodeURI": dest,
                "lastChangeDateTime": when,
            }));
        }

        let criterion_id = identifier(spec, &format!("criterion:{}", c.reference));
        let levels: Vec<Value> = c
            .scale
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let id = identifier(spec, &format!("level:{}:{}", c.reference, l.level));
                let mut m = Map::new();
                m.insert("identifier".into(), json!(id));
                m.insert("uri".into(), json!(uri(&id)));
                m.insert(
                    "quality".into(),
                    json!(
                        l.name
                            .clone()
                            .unwrap_or_else(|| format!("Level {}", l.level))
                    ),
                );
                if let Some(d) = &l.descriptor {
                    m.insert("description".into(), json!(d));
                }
                m.insert("score".into(), json!(l.level));
                m.insert("position".into(), json!(k + 1));
                m.insert("rubricCriterionId".into(), json!(criterion_id));
                m.insert("lastChangeDateTime".into(), json!(when));
                Value::Object(m)
            })
            .collect();
        let mut criterion = Map::new();
        criterion.insert("identifier".into(), json!(criterion_id));
        criterion.insert("uri".into(), json!(uri(&criterion_id)));
        criterion.insert("category".into(), json!(code));
        criterion.insert(
            "description".into(),
            json!(format!(
                "{}: level {} required",
                c.name,
                level_label(&c.target_level)
            )),
        );
        criterion.insert("CFItemURI".into(), link(code, &item_id, &item_uri));
        criterion.insert("position".into(), json!(i + 1));
        criterion.insert("rubricId".into(), json!(rubric_id));
        criterion.insert("lastChangeDateTime".into(), json!(when));
        criterion.insert("CFRubricCriterionLevels".into(), json!(levels));
        criteria.push(Value::Object(criterion));
    }

    let item_types: Vec<Value> = types
        .iter()
        .map(|(t, id)| {
            json!({
                "identifier": id,
                "uri": uri(id),
                "title": t,
                "description": item_type_description(t),
                "hierarchyCode": t,
                "typeCode": t,
                "lastChangeDateTime": when,
            })
        })
        .collect();

    let mut p = Map::new();
    p.insert("CFDocument".into(), Value::Object(doc));
    p.insert("CFItems".into(), json!(items));
    p.insert("CFAssociations".into(), json!(assocs));
    p.insert(
        "CFDefinitions".into(),
        json!({
            "CFConcepts": [],
            "CFSubjects": [],
            "CFLicenses": [],
            "CFItemTypes": item_types,
            "CFAssociationGroupings": [],
        }),
    );
    p.insert(
        "CFRubrics".into(),
        json!([{
            "identifier": rubric_id,
            "uri": uri(&rubric_id),
            "title": format!("Proficiency levels: {title}"),
            "description": "Each criterion is one competency of the micro-credential; its levels \
                            are the competency's proficiency scale, lowest first (score = level).",
            "lastChangeDateTime": when,
            "CFRubricCriteria": criteria,
        }]),
    );
    Value::Object(p)
}

/// The package as pretty JSON with a final newline.
pub fn render(spec: &Spec) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&package(spec)).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_identifiers() {
        assert_eq!(
            source_identifier(
                "http://data.europa.eu/esco/skill/6B3D8B3C-e4a1-4b39-a6b3-2bd8b9e1b3f0"
            ),
            "6b3d8b3c-e4a1-4b39-a6b3-2bd8b9e1b3f0"
        );
        assert_eq!(
            source_identifier("urn:microcred:dd:1.0:DD-1"),
            "urn:microcred:dd:1.0:DD-1"
        );
    }

    #[test]
    fn the_web_address_of_a_citation() {
        assert_eq!(
            web_address("Government of Canada, https://www.canada.ca/en/x.html (facts only)"),
            Some("https://www.canada.ca/en/x.html")
        );
        assert_eq!(
            web_address("https://e.example/a,"),
            Some("https://e.example/a")
        );
        assert_eq!(web_address("Written by us (facts only)"), None);
        assert_eq!(web_address("see https:// later"), None);
    }

    #[test]
    fn item_types_name_the_kind() {
        assert_eq!(item_type(Some(CompetencyType::Skill)), "Skill");
        assert_eq!(item_type(None), "Competency");
    }
}
