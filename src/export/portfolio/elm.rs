//! A portfolio in ELM v3 JSON-LD: each credential's `LearningAchievementSpecification` and
//! `LearningOpportunity` (as its own ELM export has them), and for each stack a specification
//! and an opportunity of its own, linked both ways: the stack's `hasPart` names its parts
//! (credentials or other stacks), each part's `isPartOf` the stacks it is in — between the
//! specifications and between the opportunities.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::Built;
use crate::export::elm as e;
use crate::export::ob3::urn_uuid;

/// The ELM document of a portfolio.
pub fn document(b: &Built) -> Value {
    let p = &b.portfolio;
    // Each credential's two nodes, by portfolio id.
    let mut las: Vec<Map<String, Value>> = Vec::new();
    let mut lo: Vec<Map<String, Value>> = Vec::new();
    for s in &b.members {
        let doc = e::document(s);
        let mut nodes = doc["@graph"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter();
        las.push(nodes.next().and_then(into_map).unwrap_or_default());
        lo.push(nodes.next().and_then(into_map).unwrap_or_default());
    }
    let lang = las
        .first()
        .and_then(|n| n.get("title"))
        .and_then(Value::as_object)
        .and_then(|t| t.keys().next().cloned())
        .unwrap_or_else(|| "en".into());
    let publisher = las.first().and_then(|n| n.get("publisher")).cloned();
    let provider = lo.first().and_then(|n| n.get("providedBy")).cloned();
    let seed = super::seed(p, &b.spec.provenance.portfolio_sha256);
    // Ids of each part, credential or stack: (specification, opportunity).
    let mut ids: HashMap<&str, (String, String)> = HashMap::new();
    for (i, m) in p.credentials.iter().enumerate() {
        let id = |n: &[Map<String, Value>]| {
            n.get(i)
                .and_then(|x| x.get("id"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        ids.insert(m.id.as_str(), (id(&las), id(&lo)));
    }
    for s in &p.stacks {
        let spec_id = super::stack_id(&seed, &s.id);
        let opp = urn_uuid(&format!("microcred:elm:learning-opportunity:{spec_id}"));
        ids.insert(s.id.as_str(), (spec_id, opp));
    }
    // Who is part of what: part id → the stacks (in file order) naming it directly.
    let mut part_of: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut stack_nodes = Vec::new();
    for (s, r) in p.stacks.iter().zip(&b.spec.stacks) {
        let direct: Vec<&str> = s.requires.ids();
        let mut seen = std::collections::HashSet::new();
        let direct: Vec<&str> = direct.into_iter().filter(|d| seen.insert(*d)).collect();
        for d in &direct {
            part_of.entry(d).or_default().push(s.id.as_str());
        }
        let (spec_id, opp_id) = ids[s.id.as_str()].clone();
        let mut a = Map::new();
        a.insert("id".into(), json!(spec_id));
        a.insert("type".into(), json!("LearningAchievementSpecification"));
        a.insert("title".into(), json!({ &lang: s.title }));
        a.insert(
            "description".into(),
            json!({ &lang: format!(
                "{} made of {} credential(s): {}.",
                s.kind.as_deref().map_or("A credential".to_string(), |k| format!("A {k}")),
                r.parts.len(),
                r.parts.join(", ")
            ) }),
        );
        if r.hours > 0.0 {
            a.insert("volumeOfLearning".into(), json!(e::duration(r.hours)));
        }
        // What the parts say, once each: fields, languages, and their learning outcomes (by
        // id: the outcome nodes are in the parts' specifications).
        let member_parts: Vec<&Map<String, Value>> = r
            .parts
            .iter()
            .filter_map(|m| p.credentials.iter().position(|c| &c.id == m))
            .filter_map(|i| las.get(i))
            .collect();
        for key in ["thematicArea", "language"] {
            let mut seen = std::collections::HashSet::new();
            let all: Vec<Value> = member_parts
                .iter()
                .filter_map(|n| n.get(key).and_then(Value::as_array))
                .flatten()
                .filter(|v| {
                    seen.insert(v.get("id").map_or_else(|| v.to_string(), Value::to_string))
                })
                .cloned()
                .collect();
            if !all.is_empty() {
                a.insert(key.into(), json!(all));
            }
        }
        let outcomes: Vec<&Value> = member_parts
            .iter()
            .filter_map(|n| n.get("learningOutcome").and_then(Value::as_array))
            .flatten()
            .filter_map(|o| o.get("id"))
            .collect();
        if !outcomes.is_empty() {
            a.insert("learningOutcome".into(), json!(outcomes));
        }
        let parts: Vec<&String> = direct
            .iter()
            .filter_map(|d| ids.get(d))
            .map(|x| &x.0)
            .collect();
        a.insert("hasPart".into(), json!(parts));
        if let Some(pb) = &publisher {
            a.insert("publisher".into(), pb.clone());
        }
        let mut o = Map::new();
        o.insert("id".into(), json!(opp_id));
        o.insert("type".into(), json!("LearningOpportunity"));
        o.insert("title".into(), a["title"].clone());
        o.insert("description".into(), a["description"].clone());
        o.insert("learningAchievementSpecification".into(), json!(spec_id));
        if let Some(l) = lo.first().and_then(|n| n.get("elm:defaultLanguage")) {
            o.insert("elm:defaultLanguage".into(), l.clone());
        }
        let parts: Vec<&String> = direct
            .iter()
            .filter_map(|d| ids.get(d))
            .map(|x| &x.1)
            .collect();
        o.insert("hasPart".into(), json!(parts));
        if let Some(h) = p
            .homepage
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
        {
            o.insert(
                "homepage".into(),
                json!([{
                    "id": urn_uuid(&format!("microcred:elm:homepage:{spec_id}")),
                    "type": "WebResource",
                    "contentURL": h,
                }]),
            );
        }
        if let Some(pr) = &provider {
            // The organisation node is given once, in the first credential's opportunity.
            let refs: Vec<Value> = pr
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|o| o.get("id").cloned())
                .collect();
            o.insert("providedBy".into(), json!(refs));
        }
        stack_nodes.push((a, o));
    }
    let is_part_of = |id: &str, which: fn(&(String, String)) -> &String| -> Option<Value> {
        let of: Vec<&String> = part_of
            .get(id)?
            .iter()
            .filter_map(|s| ids.get(s))
            .map(which)
            .collect();
        Some(json!(of))
    };
    let mut graph = Vec::new();
    for (i, m) in p.credentials.iter().enumerate() {
        if let Some(v) = is_part_of(&m.id, |x| &x.0) {
            las[i].insert("isPartOf".into(), v);
        }
        if let Some(v) = is_part_of(&m.id, |x| &x.1) {
            lo[i].insert("isPartOf".into(), v);
        }
    }
    for (s, (a, o)) in p.stacks.iter().zip(stack_nodes.iter_mut()) {
        if let Some(v) = is_part_of(&s.id, |x| &x.0) {
            a.insert("isPartOf".into(), v);
        }
        if let Some(v) = is_part_of(&s.id, |x| &x.1) {
            o.insert("isPartOf".into(), v);
        }
    }
    for (a, o) in las.into_iter().zip(lo) {
        graph.push(Value::Object(a));
        graph.push(Value::Object(o));
    }
    for (a, o) in stack_nodes {
        graph.push(Value::Object(a));
        graph.push(Value::Object(o));
    }
    json!({
        "@context": e::CONTEXT,
        "@graph": graph,
    })
}

fn into_map(v: Value) -> Option<Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// The document as pretty JSON with a final newline.
pub fn render(b: &Built) -> Vec<u8> {
    super::pretty(&document(b))
}
