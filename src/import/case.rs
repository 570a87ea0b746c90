//! CASE import: a 1EdTech CASE 1.x CFPackage (JSON) to a framework.
//!
//! `CFDocument` → the framework (id from `--id`, else its title); each `CFItem` → a competency
//! (id = `humanCodingScheme` made an identifier, else `identifier`; name = `abbreviatedStatement`,
//! else `fullStatement`; description = `fullStatement`; keywords = `conceptKeywords`;
//! category = `CFItemType`; uri = `uri`); each `isChildOf` association between two items →
//! `parent`. Other associations are not kept.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::model::{Competency, Framework};
use crate::problem::{Problem, Problems};

const SHAPE_HINT: &str = "give a CASE CFPackage: a JSON object with `CFDocument` (an object with \
a `title`), `CFItems` (a list of objects with `identifier` and `fullStatement`) and optionally \
`CFAssociations`";

/// Import a CASE package from its JSON text. `file` names the input in problems; `id` overrides
/// the framework id.
pub fn import(bytes: &[u8], file: &str, id: Option<&str>) -> Result<Framework, Problems> {
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        let p = Problem::error(file, format!("this is not valid JSON: {e}"))
            .hint("give a CASE package exported as JSON (CFPackage)");
        if e.line() > 0 {
            p.at(e.line(), e.column().max(1))
        } else {
            p
        }
    })?;
    let shape = |what: String| -> Problems { Problem::error(file, what).hint(SHAPE_HINT).into() };
    let doc = root
        .get("CFDocument")
        .and_then(Value::as_object)
        .ok_or_else(|| shape("there is no `CFDocument` object at the top level".into()))?;
    let items = root
        .get("CFItems")
        .and_then(Value::as_array)
        .ok_or_else(|| shape("there is no `CFItems` list at the top level".into()))?;
    let assocs: &[Value] = match root.get("CFAssociations") {
        None | Some(Value::Null) => &[],
        Some(Value::Array(a)) => a,
        Some(_) => return Err(shape("`CFAssociations` is not a list".into())),
    };
    let text = |v: Option<&Value>| -> Option<String> {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let title = text(doc.get("title"))
        .ok_or_else(|| shape("`CFDocument.title` is missing or empty".into()))?;
    let fw_id = match id {
        Some(i) if crate::model::is_identifier(i) => i.to_string(),
        Some(i) => {
            return Err(Problem::error(file, format!("`{i}` is not a valid framework id"))
                .hint("ids start with a letter or digit and use only letters, digits, `.`, `_` and `-`")
                .into());
        }
        None => super::to_identifier(&title.to_lowercase()).unwrap_or_else(|| "case".into()),
    };

    // First pass: identifiers and competency ids.
    let mut comps: Vec<Competency> = Vec::with_capacity(items.len());
    let mut by_identifier: HashMap<String, usize> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let at = |what: &str| shape(format!("`CFItems[{i}]` {what}"));
        if !item.is_object() {
            return Err(at("is not an object"));
        }
        let identifier = text(item.get("identifier")).ok_or_else(|| at("has no `identifier`"))?;
        let statement =
            text(item.get("fullStatement")).ok_or_else(|| at("has no `fullStatement`"))?;
        if by_identifier.insert(identifier.clone(), i).is_some() {
            return Err(at(&format!("repeats the identifier `{identifier}`")));
        }
        let code = text(item.get("humanCodingScheme")).and_then(|c| super::to_identifier(&c));
        let cid = match code {
            Some(c) if !used.contains(&c) => c,
            _ => super::to_identifier(&identifier).unwrap_or_else(|| format!("item-{}", i + 1)),
        };
        if !used.insert(cid.clone()) {
            return Err(at(&format!(
                "has the id `{cid}` that another item already has"
            )));
        }
        let keywords = match item.get("conceptKeywords") {
            Some(Value::Array(a)) => a.iter().filter_map(|v| text(Some(v))).collect(),
            Some(Value::String(s)) => s
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        comps.push(Competency {
            id: cid,
            name: text(item.get("abbreviatedStatement")).unwrap_or_else(|| statement.clone()),
            description: statement,
            category: text(item.get("CFItemType")),
            kind: None,
            keywords,
            parent: None,
            uri: text(item.get("uri")),
            levels: Default::default(),
        });
    }
    // Second pass: isChildOf between two items gives the parent.
    let node = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::Object(o) => text(o.get("identifier")),
            Value::String(s) => s.rsplit('/').next().map(str::to_string),
            _ => None,
        }
    };
    for (k, a) in assocs.iter().enumerate() {
        if !a.is_object() {
            return Err(shape(format!("`CFAssociations[{k}]` is not an object")));
        }
        if a.get("associationType").and_then(Value::as_str) != Some("isChildOf") {
            continue;
        }
        let (Some(child), Some(parent)) = (
            node(a.get("originNodeURI")).and_then(|o| by_identifier.get(&o).copied()),
            node(a.get("destinationNodeURI")).and_then(|d| by_identifier.get(&d).copied()),
        ) else {
            continue; // a child of the document itself, or of something outside the package
        };
        if child != parent && comps[child].parent.is_none() {
            comps[child].parent = Some(comps[parent].id.clone());
        }
    }
    break_cycles(&mut comps);
    if comps.is_empty() {
        return Err(shape("`CFItems` is empty".into()));
    }
    let version = text(doc.get("version"))
        .or_else(|| text(doc.get("lastChangeDateTime")).map(|d| d.chars().take(10).collect()))
        .unwrap_or_else(|| "1".into());
    let description = text(doc.get("description"))
        .map(|d| format!("{d} "))
        .unwrap_or_default();
    let fw = Framework {
        id: fw_id,
        name: title,
        version,
        publisher: text(doc.get("publisher")).or_else(|| text(doc.get("creator"))),
        source: text(doc.get("officialSourceURL")).or_else(|| text(doc.get("uri"))),
        licence: None,
        description: Some(format!(
            "{description}Imported by microcred from a CASE package. {}",
            super::GENERIC_SCALE_NOTE
        )),
        levels: super::generic_levels(),
        competencies: comps,
    };
    super::check(&fw, file)?;
    Ok(fw)
}

/// Drop the parent link that closes a cycle, so the hierarchy is a forest.
fn break_cycles(comps: &mut [Competency]) {
    let index: HashMap<String, usize> = comps
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    for start in 0..comps.len() {
        let mut seen = HashSet::new();
        let mut cur = start;
        seen.insert(cur);
        while let Some(p) = comps[cur]
            .parent
            .as_ref()
            .and_then(|p| index.get(p))
            .copied()
        {
            if !seen.insert(p) {
                comps[cur].parent = None;
                break;
            }
            cur = p;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Result<Framework, Problems> {
        import(s.as_bytes(), "p.json", None)
    }

    #[test]
    fn maps_items_and_parents() {
        let fw = run(r#"{"CFDocument": {"identifier": "d", "title": "Data Skills", "creator": "X"},
            "CFItems": [
              {"identifier": "u1", "fullStatement": "Handle data", "humanCodingScheme": "D.1"},
              {"identifier": "u2", "fullStatement": "Clean data sets", "abbreviatedStatement": "Clean",
               "humanCodingScheme": "D.1", "conceptKeywords": ["tidy"], "CFItemType": "Standard"}],
            "CFAssociations": [
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "u2"}, "destinationNodeURI": {"identifier": "u1"}},
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "u1"}, "destinationNodeURI": {"identifier": "d"}}]}"#)
        .expect("imports");
        assert_eq!(fw.id, "data-skills");
        assert_eq!(fw.competencies[0].id, "D.1");
        assert_eq!(
            fw.competencies[1].id, "u2",
            "a repeated code falls back to the identifier"
        );
        assert_eq!(fw.competencies[1].parent.as_deref(), Some("D.1"));
        assert_eq!(fw.competencies[1].name, "Clean");
        assert_eq!(fw.competencies[1].keywords, vec!["tidy"]);
        assert_eq!(fw.competencies[0].parent, None);
    }

    #[test]
    fn cycles_are_broken() {
        let fw = run(r#"{"CFDocument": {"title": "T"}, "CFItems": [
              {"identifier": "a", "fullStatement": "A"}, {"identifier": "b", "fullStatement": "B"}],
            "CFAssociations": [
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "a"}, "destinationNodeURI": {"identifier": "b"}},
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "b"}, "destinationNodeURI": {"identifier": "a"}}]}"#)
        .expect("imports");
        assert!(fw.competencies.iter().any(|c| c.parent.is_none()));
    }

    #[test]
    fn malformed_json_is_located() {
        let s = run("{\"CFDocument\": {\n  \"title\": \"x\",\n}")
            .unwrap_err()
            .to_string();
        assert!(s.starts_with("p.json:3:1:"), "{s}");
        let s = run("[1, 2]").unwrap_err().to_string();
        assert!(s.contains("`CFDocument`"), "{s}");
        let s = run(r#"{"CFDocument": {"title": "x"}, "CFItems": [{"identifier": "a"}]}"#)
            .unwrap_err()
            .to_string();
        assert!(s.contains("`CFItems[0]` has no `fullStatement`"), "{s}");
        assert!(run(r#"{"CFDocument": {"title": "x"}, "CFItems": {}}"#).is_err());
        assert!(run("").is_err());
    }
}
