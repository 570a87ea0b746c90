//! A portfolio in Open Badges 3.0: one `Achievement` per stack, aligned to each of its parts
//! (the parts' own achievements, by the ids their exports carry) and with criteria that say
//! the stack's condition in words. The output is a JSON array, one achievement per stack in
//! the portfolio's order.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::Built;
use crate::export::ob3 as o;
use crate::model::portfolio::{Condition, Required, Target};

/// The Open Badges achievement type of a stack's `kind`.
fn achievement_type(kind: Option<&str>) -> &'static str {
    match kind.map(str::to_ascii_lowercase).as_deref() {
        Some("diploma") => "Diploma",
        Some("degree") => "Degree",
        Some("program") | Some("programme") => "LearningProgram",
        Some("badge") => "Badge",
        _ => "Certificate",
    }
}

/// A condition in words, each target named by `name`.
fn words(c: &Condition, name: &dyn Fn(&str) -> String) -> String {
    let parts: Vec<String> =
        c.of.iter()
            .map(|t| match t {
                Target::Id(id) => name(id),
                Target::Nested(n) => format!("({})", words(n, name)),
            })
            .collect();
    let how = match c.need {
        Required::All => "all of".to_string(),
        Required::Any => "any one of".to_string(),
        Required::Count(k) => format!("{k} of"),
    };
    let mut s = format!("{how}: {}", parts.join("; "));
    if let Some(h) = c.min_hours {
        s.push_str(&format!(", with at least {h} hours"));
    }
    if let Some(cr) = c.min_credits {
        s.push_str(&format!(", with at least {cr} credits"));
    }
    s
}

/// The achievements of a portfolio's stacks.
pub fn achievements(b: &Built) -> Vec<Value> {
    let p = &b.portfolio;
    // Each part, credential or stack: (name, achievement id).
    let mut parts: HashMap<&str, (String, String)> = HashMap::new();
    for (m, s) in p.credentials.iter().zip(&b.members) {
        let title = s.credential.title.clone().unwrap_or_else(|| m.id.clone());
        parts.insert(m.id.as_str(), (title, o::achievement_id(s)));
    }
    for s in &b.spec.stacks {
        parts.insert(s.id.as_str(), (s.title.clone(), s.achievement_id.clone()));
    }
    let creator = b
        .members
        .first()
        .map(o::achievement)
        .and_then(|a| a.get("creator").cloned());
    let language = b
        .members
        .first()
        .and_then(|s| s.credential.languages.first().cloned())
        .unwrap_or_else(|| "en".into());
    let draft = b.spec.status == super::SpecStatus::Draft;
    let name = |id: &str| {
        parts
            .get(id)
            .map_or_else(|| id.to_string(), |p| p.0.clone())
    };
    p.stacks
        .iter()
        .zip(&b.spec.stacks)
        .map(|(s, r)| {
            let mut direct = s.requires.ids();
            let mut seen = std::collections::HashSet::new();
            direct.retain(|d| seen.insert(*d));
            let alignment: Vec<Value> = direct
                .iter()
                .filter_map(|d| parts.get(d).map(|p| (d, p)))
                .map(|(d, (title, id))| {
                    json!({
                        "type": ["Alignment"],
                        "targetName": title,
                        "targetCode": d,
                        "targetUrl": id,
                        "targetType": "ceterms:Credential",
                    })
                })
                .collect();
            let mut a = Map::new();
            a.insert("@context".into(), json!(o::CONTEXT));
            a.insert("id".into(), json!(r.achievement_id));
            a.insert("type".into(), json!(["Achievement"]));
            a.insert(
                "achievementType".into(),
                json!(achievement_type(s.kind.as_deref())),
            );
            a.insert("name".into(), json!(s.title));
            let mut description = format!(
                "Made of {} credential(s): {}.",
                r.parts.len(),
                r.parts
                    .iter()
                    .map(|m| name(m))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if draft {
                description = format!("DRAFT — not final. {description}");
            }
            a.insert("description".into(), json!(description));
            let mut criteria = Map::new();
            if let Some(h) = p
                .homepage
                .as_deref()
                .map(str::trim)
                .filter(|h| !h.is_empty())
            {
                criteria.insert("id".into(), json!(h));
            }
            criteria.insert(
                "narrative".into(),
                json!(format!("Earn {}.", words(&s.requires, &name))),
            );
            a.insert("criteria".into(), Value::Object(criteria));
            a.insert("alignment".into(), json!(alignment));
            if let Some(ects) = r.ects {
                a.insert("creditsAvailable".into(), json!(ects));
            }
            if let Some(c) = &creator {
                a.insert("creator".into(), c.clone());
            }
            a.insert("inLanguage".into(), json!(language));
            let mut tags = vec!["stack".to_string()];
            if draft {
                tags.push("draft".into());
            }
            a.insert("tag".into(), json!(tags));
            Value::Object(a)
        })
        .collect()
}

/// The achievements as a pretty JSON array with a final newline.
pub fn render(b: &Built) -> Vec<u8> {
    super::pretty(&json!(achievements(b)))
}
