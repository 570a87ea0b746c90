//! CASE import: a 1EdTech CASE 1.x CFPackage (JSON) to a framework.
//!
//! `CFDocument` → the framework (id from `--id`, else its title); each `CFItem` → a competency
//! (id = `humanCodingScheme` made an identifier, else `identifier`; name = `abbreviatedStatement`,
//! else `fullStatement`; description = `fullStatement`; keywords = `conceptKeywords`;
//! type = `CFItemType` when it is `Skill`, `Knowledge` or `Attitude`; category = the first
//! `subject`, else `CFItemType` when it is not a type; uri = `uri`); each `isChildOf`
//! association between two items → `parent`; the other associations from an item → its typed
//! `links`; `notes`, `educationLevel` and the order (`listEnumeration`, else `sequenceNumber`)
//! are kept. `CFRubrics`
//! whose criteria name an item (`CFItemURI`) give its levels: each criterion level's `score`
//! (a whole number) is the level, `quality` its name on the framework's scale and `description`
//! the competency's descriptor; without them the framework gets a generic scale.

mod json_path;
mod lengths;
mod rubric;
mod scrub;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::limits;
use crate::model::validate::limits::over;
use crate::model::{Competency, CompetencyType, Framework, Link};
use crate::problem::{Problem, Problems};
use json_path::{Seg, locate, located};
use lengths::{DOC_LIMITS, ITEM_LIMITS, lengths};
use rubric::{RUBRIC_SCALE_NOTE, rubric_levels};
use scrub::scrub_package;

const SHAPE_HINT: &str = "give a CASE CFPackage: a JSON object with `CFDocument` (an object with \
a `title`), `CFItems` (a list of objects with `identifier` and `fullStatement`) and optionally \
`CFAssociations`";

/// Import a CASE package from its JSON text. `file` names the input in problems; `id` overrides
/// the framework id. Warnings are dropped: see [`read`].
pub fn import(bytes: &[u8], file: &str, id: Option<&str>) -> Result<Framework, Problems> {
    read(bytes, file, id).map(|i| i.framework)
}

/// Import a CASE package, with warnings about what was changed on the way: control
/// characters removed from an item's text, an item that repeats another's identifier skipped.
pub fn read(bytes: &[u8], file: &str, id: Option<&str>) -> Result<super::Imported, Problems> {
    let bytes = &*super::without_removable(bytes);
    let mut root = super::parse_json(
        bytes,
        file,
        "give a CASE package exported as JSON (CFPackage)",
    )?;
    let shape_at = |what: String, path: &[Seg]| -> Problems {
        let p = Problem::error(file, what).hint(SHAPE_HINT);
        match locate(bytes, path) {
            Some((line, column)) => p.at(line, column).into(),
            None => p.into(),
        }
    };
    let shape = |what: String| shape_at(what, &[]);
    // The shape first (cheap), then the text is cleaned.
    if !root.get("CFDocument").is_some_and(Value::is_object) {
        return Err(shape(
            "there is no `CFDocument` object at the top level".into(),
        ));
    }
    if !root.get("CFItems").is_some_and(Value::is_array) {
        return Err(shape("there is no `CFItems` list at the top level".into()));
    }
    let mut warnings = Vec::new();
    let mut cleaned = super::clean::Capped::default();
    scrub_package(bytes, file, &mut root, &mut cleaned);
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
        Some(_) => {
            return Err(shape_at(
                "`CFAssociations` is not a list".into(),
                &[Seg::Key("CFAssociations")],
            ));
        }
    };
    lengths(
        bytes,
        file,
        &root["CFDocument"],
        &[Seg::Key("CFDocument")],
        DOC_LIMITS,
    )?;
    let text = |v: Option<&Value>| -> Option<String> {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let title = text(doc.get("title"))
        .ok_or_else(|| shape("`CFDocument.title` is missing or empty".into()))?;
    let fw_id = super::framework_id(id, &title, "case", file)?;

    // First pass: identifiers and competency ids.
    let mut comps: Vec<Competency> = Vec::with_capacity(items.len());
    let mut by_identifier: HashMap<String, usize> = HashMap::new();
    let mut first_at: HashMap<String, usize> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut repeats = super::clean::Capped::default();
    for (i, item) in items.iter().enumerate() {
        let at = |what: &str| {
            shape_at(
                format!("`CFItems[{i}]` {what}"),
                &[Seg::Key("CFItems"), Seg::Index(i)],
            )
        };
        if !item.is_object() {
            return Err(at("is not an object"));
        }
        lengths(
            bytes,
            file,
            item,
            &[Seg::Key("CFItems"), Seg::Index(i)],
            ITEM_LIMITS,
        )?;
        let identifier = text(item.get("identifier")).ok_or_else(|| at("has no `identifier`"))?;
        let statement =
            text(item.get("fullStatement")).ok_or_else(|| at("has no `fullStatement`"))?;
        if let Some(&first) = first_at.get(&identifier) {
            let p = Problem::warning(
                file,
                format!(
                    "`CFItems[{i}]` ({}) repeats the identifier `{identifier}` of `CFItems[{first}]` ({}); the first is imported, this one is skipped",
                    item_label(item),
                    item_label(&items[first]),
                ),
            );
            repeats.push(located(bytes, p, &[Seg::Key("CFItems"), Seg::Index(i)]));
            continue;
        }
        first_at.insert(identifier.clone(), i);
        by_identifier.insert(identifier.clone(), comps.len());
        let code = text(item.get("humanCodingScheme"));
        let cid = [
            code.as_deref().and_then(super::to_identifier),
            super::to_identifier(&identifier),
        ]
        .into_iter()
        .flatten()
        .find(|c| !used.contains(c))
        .unwrap_or_else(|| unique(&format!("item-{}", i + 1), &used));
        used.insert(cid.clone());
        let keywords = match item.get("conceptKeywords") {
            Some(Value::Array(a)) => a.iter().filter_map(|v| text(Some(v))).collect(),
            Some(Value::String(s)) => split_list(s),
            _ => Vec::new(),
        };
        let education_level = match item.get("educationLevel") {
            Some(Value::Array(a)) => a.iter().filter_map(|v| text(Some(v))).collect(),
            Some(Value::String(s)) => split_list(s),
            _ => Vec::new(),
        };
        let item_type = text(item.get("CFItemType"));
        let kind = item_type.as_deref().and_then(kind_of);
        let subject = match item.get("subject") {
            Some(Value::Array(a)) => a.iter().find_map(|v| text(Some(v))),
            _ => None,
        };
        let order =
            text(item.get("listEnumeration")).or_else(|| number(item.get("sequenceNumber")));
        comps.push(Competency {
            name: text(item.get("abbreviatedStatement"))
                .unwrap_or_else(|| shorten(&one_line(&statement), limits::NAME)),
            description: statement,
            category: subject.or(if kind.is_some() { None } else { item_type }),
            kind,
            keywords,
            parent: None,
            uri: text(item.get("uri")),
            levels: Default::default(),
            code: code.filter(|c| *c != cid),
            order,
            notes: text(item.get("notes")),
            education_level,
            links: Vec::new(),
            id: cid,
        });
    }
    // Second pass: isChildOf between two items gives the parent (and, when the item has no
    // `listEnumeration`, the association's `sequenceNumber` its order); the other
    // associations from an item become its typed links.
    let node = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::Object(o) => text(o.get("identifier")).or_else(|| {
                text(o.get("uri")).and_then(|u| u.rsplit('/').next().map(str::to_string))
            }),
            Value::String(s) => s.rsplit('/').next().map(str::to_string),
            _ => None,
        }
    };
    let doc_identifier = text(doc.get("identifier"));
    for (k, a) in assocs.iter().enumerate() {
        if !a.is_object() {
            return Err(shape_at(
                format!("`CFAssociations[{k}]` is not an object"),
                &[Seg::Key("CFAssociations"), Seg::Index(k)],
            ));
        }
        let Some(kind) = text(a.get("associationType")) else {
            continue;
        };
        let Some(child) = node(a.get("originNodeURI")).and_then(|o| by_identifier.get(&o).copied())
        else {
            continue; // from the document itself, or from something outside the package
        };
        let dest = a.get("destinationNodeURI");
        let parent = node(dest).and_then(|d| by_identifier.get(&d).copied());
        if kind == "isChildOf" {
            let Some(parent) = parent else {
                // A child of the document itself: its `sequenceNumber` is its place among the
                // top items (OpenSALT orders them so); a child of something outside is left.
                let of_document = doc_identifier.is_some() && node(dest) == doc_identifier;
                if of_document && comps[child].order.is_none() {
                    comps[child].order = number(a.get("sequenceNumber"));
                }
                continue;
            };
            if child != parent && comps[child].parent.is_none() {
                comps[child].parent = Some(comps[parent].id.clone());
                if comps[child].order.is_none() {
                    comps[child].order = number(a.get("sequenceNumber"));
                }
            }
            continue;
        }
        if over(&kind, limits::SHORT).is_some() {
            continue;
        }
        let link = match parent {
            Some(p) if p == child => continue,
            Some(p) => Link {
                kind,
                target: comps[p].id.clone(),
                title: None,
            },
            None => {
                let Some(target) = dest
                    .and_then(|d| text(d.get("uri")).or_else(|| text(d.get("identifier"))))
                    .or_else(|| text(dest))
                    .filter(|t| over(t, limits::URI).is_none())
                else {
                    continue;
                };
                let title = dest
                    .and_then(|d| text(d.get("title")))
                    .map(|t| shorten(&t, limits::NAME));
                Link {
                    kind,
                    target,
                    title,
                }
            }
        };
        if !comps[child].links.contains(&link) {
            comps[child].links.push(link);
        }
    }
    break_cycles(&mut comps);
    if comps.is_empty() {
        return Err(shape("`CFItems` is empty".into()));
    }
    let scale = rubric_levels(bytes, file, &root, &by_identifier, &mut comps)?;
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
        language: text(doc.get("language")).filter(|l| over(l, limits::SHORT).is_none()),
        description: Some(format!(
            "{description}{IMPORT_NOTE} {}",
            if scale.is_empty() {
                super::GENERIC_SCALE_NOTE
            } else {
                RUBRIC_SCALE_NOTE
            }
        )),
        levels: if scale.is_empty() {
            crate::model::generic_levels()
        } else {
            scale
        },
        competencies: comps,
    };
    super::check(&fw, file)?;
    cleaned.finish(
        file,
        "parts of the package with control characters",
        &mut warnings,
    );
    repeats.finish(file, "items that repeat an identifier", &mut warnings);
    Ok(super::Imported {
        framework: fw,
        warnings,
    })
}

/// An item as a warning names it: its code and identifier.
pub(super) fn item_label(item: &Value) -> String {
    let get = |k: &str| item.get(k).and_then(Value::as_str).map(str::trim);
    let statement: String = get("fullStatement")
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    match get("humanCodingScheme").filter(|c| !c.is_empty()) {
        Some(code) => format!("{code}: \"{statement}\""),
        None => format!("\"{statement}\""),
    }
}

/// `base`, or `base-2`, `base-3`, … whichever is not in `used`.
fn unique(base: &str, used: &HashSet<String>) -> String {
    let mut n = 1;
    let mut id = base.to_string();
    while used.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// A list written as one string: `"a, b; c"`.
fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A whole number or a short text, as text (`sequenceNumber` is a number in CASE 1.0 and
/// sometimes a string in packages).
fn number(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) => n.as_u64().map(|n| n.to_string()),
        Value::String(s) => {
            Some(s.trim().to_string()).filter(|s| !s.is_empty() && over(s, limits::SHORT).is_none())
        }
        _ => None,
    }
}

pub(super) const IMPORT_NOTE: &str = "Imported by microcred from a CASE package.";
/// The competency type a `CFItemType` names, if it names one.
fn kind_of(item_type: &str) -> Option<CompetencyType> {
    match item_type.trim().to_ascii_lowercase().as_str() {
        "skill" => Some(CompetencyType::Skill),
        "knowledge" => Some(CompetencyType::Knowledge),
        "attitude" => Some(CompetencyType::Attitude),
        _ => None,
    }
}

/// `s` on one line: every run of white space (line breaks too) one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` cut to at most `max` characters, at a space when there is one, marked with "…".
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if over(s, max).is_none() {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
    if let Some(i) = cut.rfind(char::is_whitespace).filter(|&i| i > 0) {
        cut.truncate(i);
    }
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
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
