//! Open Badges 3.0: the credential as an `Achievement` that badge platforms can import.
//!
//! Rendered from a [`Spec`], so it says the same as the YAML spec. Keys come out sorted and the
//! ids are derived from the design's stable id and version (see [`achievement_id`]), so two
//! edits of one version keep the same ids, and the same workspace gives the same bytes.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::spec::{Spec, SpecCompetency, SpecStatus};
use crate::model::Participation;
use crate::model::identity::version_id;

/// A deterministic `urn:uuid:` (RFC 9562 version 8, name-based on SHA-256) for `name`.
pub fn urn_uuid(name: &str) -> String {
    let d = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    crate::model::identity::urn_uuid(b, 8)
}

/// The achievement's id: the id of this version of the design when it has a stable id (the
/// same across edits; another version gets another id), else one derived from the
/// workspace's hash.
pub fn achievement_id(spec: &Spec) -> String {
    let cr = &spec.credential;
    match (&cr.id, &cr.version) {
        (Some(id), Some(v)) => version_id(id, v),
        (Some(id), None) => id.clone(),
        (None, _) => urn_uuid(&format!(
            "microcred:achievement:{}",
            spec.provenance.workspace_sha256
        )),
    }
}

/// The URL of a competency: its `uri` when known, else a `urn:microcred:` name built from the
/// framework id and version and the competency id (OB 3.0 requires `targetUrl`).
pub fn target_url(c: &SpecCompetency) -> String {
    c.uri.clone().unwrap_or_else(|| {
        format!(
            "urn:microcred:{}:{}:{}",
            c.framework.id, c.framework.version, c.id
        )
    })
}

fn participation_word(p: Participation) -> &'static str {
    match p {
        Participation::Online => "online",
        Participation::Onsite => "onsite",
        Participation::Blended => "blended",
        Participation::WorkBased => "work-based",
    }
}

/// The criteria narrative (Markdown): the learning outcomes and how each is assessed.
fn narrative(spec: &Spec) -> String {
    let mut s = String::from("Learners who earn this micro-credential can:\n");
    for c in &spec.competencies {
        let outcome = c.outcome.as_deref().unwrap_or(&c.name);
        s.push_str(&format!("\n- {}", outcome.replace('\n', " ")));
        if let Some(a) = &c.assessment {
            s.push_str(&format!(" (assessed by {}", a.method.as_str()));
            if let Some(d) = &a.description {
                s.push_str(&format!(": {}", d.replace('\n', " ")));
            }
            s.push(')');
        }
    }
    if let Some(t) = &spec.credential.assessment_type {
        s.push_str(&format!("\n\nAssessment: {}", t.replace('\n', " ")));
    }
    s
}

/// The achievement as a JSON value.
pub fn achievement(spec: &Spec) -> Value {
    let cr = &spec.credential;
    let id = achievement_id(spec);
    let name = cr.title.clone().unwrap_or_else(|| "(untitled)".into());
    let mut description = cr.summary.clone().unwrap_or_default();
    if spec.status == SpecStatus::Draft {
        description = format!("DRAFT — not final. {description}");
    }
    let alignment: Vec<Value> = spec
        .competencies
        .iter()
        .map(|c| {
            json!({
                "type": ["Alignment"],
                "targetName": c.name,
                "targetDescription": c.description,
                "targetCode": c.reference,
                "targetFramework": format!("{} {}", c.framework.name, c.framework.version),
                "targetUrl": target_url(c),
                "targetType": "ceasn:Competency",
            })
        })
        .collect();
    let results: Vec<Value> = spec
        .competencies
        .iter()
        .map(|c| {
            let label = |l: &super::spec::SpecLevel| match &l.name {
                Some(n) => format!("{} {}", l.level, n),
                None => l.level.to_string(),
            };
            json!({
                "id": urn_uuid(&format!("microcred:result:{id}:{}", c.reference)),
                "type": ["ResultDescription"],
                "name": format!("{} — level", c.name),
                "resultType": "PerformanceLevel",
                "allowedValue": c.scale.iter().map(label).collect::<Vec<_>>(),
                "requiredValue": label(&c.target_level),
                "alignment": [{
                    "type": ["Alignment"],
                    "targetName": c.name,
                    "targetCode": c.reference,
                    "targetUrl": target_url(c),
                }],
            })
        })
        .collect();
    let mut tags: Vec<String> = vec!["micro-credential".into()];
    if let Some(p) = cr.participation {
        tags.push(participation_word(p).into());
    }
    // Each category once, in order of first use (looked up in a set, not the list).
    let mut seen: std::collections::HashSet<&str> = tags.iter().map(String::as_str).collect();
    let mut categories: Vec<String> = Vec::new();
    for c in &spec.competencies {
        if let Some(cat) = &c.category
            && seen.insert(cat.as_str())
        {
            categories.push(cat.clone());
        }
    }
    tags.extend(categories);
    if spec.status == SpecStatus::Draft {
        tags.push("draft".into());
    }
    let mut a = Map::new();
    a.insert(
        "@context".into(),
        json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ]),
    );
    a.insert("id".into(), json!(id));
    a.insert("type".into(), json!(["Achievement"]));
    a.insert("achievementType".into(), json!("MicroCredential"));
    a.insert("name".into(), json!(name));
    a.insert("description".into(), json!(description));
    a.insert("criteria".into(), json!({ "narrative": narrative(spec) }));
    a.insert("alignment".into(), json!(alignment));
    a.insert("resultDescription".into(), json!(results));
    a.insert("tag".into(), json!(tags));
    a.insert("inLanguage".into(), json!("en"));
    if let Some(v) = &cr.version {
        a.insert("version".into(), json!(v));
    }
    if let (Some(stable), Some(prev)) = (&cr.id, &cr.previous_version) {
        a.insert(
            "related".into(),
            json!([{
                "id": version_id(stable, prev),
                "type": ["Related"],
                "version": prev,
            }]),
        );
    }
    if let Some(ects) = cr.workload.as_ref().and_then(|w| w.ects) {
        a.insert("creditsAvailable".into(), json!(ects));
    }
    if let Some(body) = &cr.awarding_body {
        a.insert(
            "creator".into(),
            json!({
                "id": urn_uuid(&format!("microcred:profile:{body}")),
                "type": ["Profile"],
                "name": body,
            }),
        );
    }
    Value::Object(a)
}

/// The achievement as pretty JSON with a final newline.
pub fn render(spec: &Spec) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&achievement(spec)).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}
