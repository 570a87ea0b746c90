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

/// The JSON-LD contexts of an Open Badges 3.0 achievement.
pub const CONTEXT: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

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
    a.insert("@context".into(), json!(CONTEXT));
    a.insert("id".into(), json!(id));
    a.insert("type".into(), json!(["Achievement"]));
    a.insert("achievementType".into(), json!("MicroCredential"));
    a.insert("name".into(), json!(name));
    a.insert("description".into(), json!(description));
    let mut criteria = Map::new();
    if let Some(home) = cr.homepage.as_deref().filter(|h| !h.trim().is_empty()) {
        criteria.insert("id".into(), json!(home));
    }
    criteria.insert("narrative".into(), json!(narrative(spec)));
    a.insert("criteria".into(), Value::Object(criteria));
    if let Some(image) = cr.image.as_deref().filter(|i| !i.trim().is_empty()) {
        a.insert("image".into(), json!({ "id": image, "type": "Image" }));
    }
    if let Some(code) = cr.isced_f.as_deref().filter(|c| !c.trim().is_empty()) {
        a.insert("fieldOfStudy".into(), json!(code));
    }
    // A code people can read and cite: the title as an identifier, with the version.
    if let Some(code) = cr
        .title
        .as_deref()
        .and_then(|t| crate::import::to_identifier(&t.to_lowercase()))
    {
        let code = match &cr.version {
            Some(v) => format!("{code}@{v}"),
            None => code,
        };
        a.insert("humanCode".into(), json!(code));
    }
    eu_elements(spec, &mut a);
    let mut alignment = alignment;
    if let Some(qa) = cr
        .quality_assurance
        .as_deref()
        .filter(|q| !q.trim().is_empty())
    {
        alignment.push(json!({
            "type": ["Alignment"],
            "targetType": "ext:QualityAssurance",
            "targetName": qa.replace('\n', " "),
            "targetUrl": cr.homepage.clone().unwrap_or_else(|| id.clone()),
        }));
    }
    a.insert("alignment".into(), json!(alignment));
    a.insert("resultDescription".into(), json!(results));
    a.insert("tag".into(), json!(tags));
    // Every language of instruction; `@language` is the one the text is written in.
    let languages: Vec<&str> = cr
        .languages
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    match languages.as_slice() {
        [] => {
            a.insert("inLanguage".into(), json!("en"));
        }
        [one] => {
            a.insert("inLanguage".into(), json!(one));
        }
        many => {
            a.insert("inLanguage".into(), json!(many));
        }
    }
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
        let details = cr.awarding_body_details.as_ref();
        let mut p = Map::new();
        p.insert(
            "id".into(),
            json!(urn_uuid(&format!("microcred:profile:{body}"))),
        );
        p.insert("type".into(), json!(["Profile"]));
        // The legal name where given (issuers put their registered name on the badge).
        let legal = details.and_then(|d| nonblank(&d.legal_name));
        p.insert("name".into(), json!(legal.unwrap_or(body)));
        if legal.is_some_and(|l| l != body) {
            p.insert("description".into(), json!(body));
        }
        if let Some(url) = details.and_then(|d| nonblank(&d.url)) {
            p.insert("url".into(), json!(url));
        }
        if let Some(mail) = details.and_then(|d| nonblank(&d.email)) {
            p.insert("email".into(), json!(mail));
        }
        if let Some(country) = details.and_then(|d| nonblank(&d.country)) {
            p.insert(
                "address".into(),
                json!({ "type": ["Address"], "addressCountryCode": country }),
            );
        }
        if let Some(ident) = details.and_then(|d| nonblank(&d.identifier)) {
            p.insert(
                "otherIdentifier".into(),
                json!([{ "type": "IdentifierEntry", "identifier": ident, "identifierType": "identifier" }]),
            );
        }
        a.insert("creator".into(), Value::Object(p));
    }
    Value::Object(a)
}

/// The trimmed text, unless it is absent or blank.
fn nonblank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The EU micro-credential elements as the published Open Badges micro-credential examples
/// carry them on the achievement: `participationType`, `assessmentType`, `supervisionType`
/// and `identityChecked` with their vocabularies' values (free text that matches no value is
/// left to the criteria narrative), and quality assurance as an `ext:QualityAssurance`
/// alignment (added with the others).
fn eu_elements(spec: &Spec, a: &mut Map<String, Value>) {
    let cr = &spec.credential;
    if let Some(p) = cr.participation {
        let v = match p {
            Participation::Online => "online",
            Participation::Onsite | Participation::Blended => "onsite or blended",
            Participation::WorkBased => "work experience",
        };
        a.insert("participationType".into(), json!(v));
    }
    if let Some(t) = cr.assessment_type.as_deref().and_then(assessment_value) {
        a.insert("assessmentType".into(), json!(t));
    }
    if let Some((kind, checked)) = cr.supervision.as_deref().and_then(supervision_value) {
        a.insert("supervisionType".into(), json!(kind));
        a.insert("identityChecked".into(), json!(checked));
    }
}

/// The `assessmentType` value a free-text assessment description names, if one.
pub fn assessment_value(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase();
    if t.contains("prior learning") {
        Some("recognition of prior learning")
    } else if t.contains("portfolio") {
        Some("portfolio")
    } else if [
        "practical",
        "demonstrat",
        "project",
        "on the job",
        "on-the-job",
        "observ",
    ]
    .iter()
    .any(|w| t.contains(w))
    {
        Some("application of a skill")
    } else if ["test", "exam", "quiz"].iter().any(|w| t.contains(w)) {
        Some("testing")
    } else {
        None
    }
}

/// The `supervisionType` value and whether identity was checked, from a free-text
/// description of supervision and identity verification, if it names one.
pub fn supervision_value(text: &str) -> Option<(&'static str, bool)> {
    let t = text.to_lowercase();
    let no_identity = [
        "no identity",
        "without identity",
        "not verified",
        "no id check",
    ]
    .iter()
    .any(|w| t.contains(w));
    let identity = !no_identity && (t.contains("identity") || t.contains("id check"));
    let unsupervised = t.contains("unsupervised") || t.contains("not supervised");
    let online = t.contains("online") || t.contains("remote") || t.contains("proctor");
    if unsupervised {
        Some(("unsupervised with no identity verification", false))
    } else if identity && !online {
        Some(("onsite with identity verification", true))
    } else if online && (t.contains("supervis") || identity) {
        Some(("supervised online", identity))
    } else if t.contains("supervis") || t.contains("assessor") || t.contains("invigilat") {
        Some(("supervised with no identity verification", false))
    } else {
        None
    }
}

/// The achievement as pretty JSON with a final newline.
pub fn render(spec: &Spec) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&achievement(spec)).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}
