//! CASE import: a 1EdTech CASE 1.x CFPackage (JSON) to a framework.
//!
//! `CFDocument` → the framework (id from `--id`, else its title); each `CFItem` → a competency
//! (id = `humanCodingScheme` made an identifier, else `identifier`; name = `abbreviatedStatement`,
//! else `fullStatement`; description = `fullStatement`; keywords = `conceptKeywords`;
//! type = `CFItemType` when it is `Skill`, `Knowledge` or `Attitude`; category = the first
//! `subject`, else `CFItemType` when it is not a type; uri = `uri`); each `isChildOf`
//! association between two items → `parent`. Other associations are not kept. `CFRubrics`
//! whose criteria name an item (`CFItemURI`) give its levels: each criterion level's `score`
//! (a whole number) is the level, `quality` its name on the framework's scale and `description`
//! the competency's descriptor; without them the framework gets a generic scale.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::limits;
use crate::model::validate::limits::{message, over};
use crate::model::{Competency, CompetencyType, Framework, Level};
use crate::problem::{Problem, Problems};

const SHAPE_HINT: &str = "give a CASE CFPackage: a JSON object with `CFDocument` (an object with \
a `title`), `CFItems` (a list of objects with `identifier` and `fullStatement`) and optionally \
`CFAssociations`";

/// Import a CASE package from its JSON text. `file` names the input in problems; `id` overrides
/// the framework id.
pub fn import(bytes: &[u8], file: &str, id: Option<&str>) -> Result<Framework, Problems> {
    let bytes = &*super::without_removable(bytes);
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        let p = Problem::error(file, format!("this is not valid JSON: {e}"))
            .hint("give a CASE package exported as JSON (CFPackage)");
        if e.line() > 0 {
            p.at(e.line(), e.column().max(1))
        } else {
            p
        }
    })?;
    let shape_at = |what: String, path: &[Seg]| -> Problems {
        let p = Problem::error(file, what).hint(SHAPE_HINT);
        match locate(bytes, path) {
            Some((line, column)) => p.at(line, column).into(),
            None => p.into(),
        }
    };
    let shape = |what: String| shape_at(what, &[]);
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
    // No control characters or bidirectional overrides in any text of the document or items.
    let hostile = |obj: &Value, path: &[Seg]| -> Result<(), Problems> {
        let Some(o) = obj.as_object() else {
            return Ok(());
        };
        for (k, v) in o {
            let texts: Vec<&str> = match v {
                Value::String(s) => vec![s],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if let Some(c) = texts.iter().find_map(|t| super::hostile_char(t)) {
                let mut at: Vec<Seg> = path.to_vec();
                at.push(Seg::Key(k));
                let p = Problem::error(file, super::hostile_message(&format!("`{k}`"), c))
                    .hint(super::HOSTILE_HINT);
                return Err(match locate(bytes, &at) {
                    Some((line, column)) => p.at(line, column).into(),
                    None => p.into(),
                });
            }
        }
        Ok(())
    };
    hostile(&root["CFDocument"], &[Seg::Key("CFDocument")])?;
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
    let fw_id = match id {
        Some(i) if super::valid_id(i) => i.to_string(),
        Some(i) => {
            return Err(
                Problem::error(file, format!("`{i}` is not a valid framework id"))
                    .hint(super::ID_HINT)
                    .into(),
            );
        }
        None => super::to_identifier(&title.to_lowercase()).unwrap_or_else(|| "case".into()),
    };

    // First pass: identifiers and competency ids.
    let mut comps: Vec<Competency> = Vec::with_capacity(items.len());
    let mut by_identifier: HashMap<String, usize> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
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
        hostile(item, &[Seg::Key("CFItems"), Seg::Index(i)])?;
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
        let item_type = text(item.get("CFItemType"));
        let kind = item_type.as_deref().and_then(kind_of);
        let subject = match item.get("subject") {
            Some(Value::Array(a)) => a.iter().find_map(|v| text(Some(v))),
            _ => None,
        };
        comps.push(Competency {
            id: cid,
            name: text(item.get("abbreviatedStatement"))
                .unwrap_or_else(|| shorten(&statement, limits::NAME)),
            description: statement,
            category: subject.or(if kind.is_some() { None } else { item_type }),
            kind,
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
            return Err(shape_at(
                format!("`CFAssociations[{k}]` is not an object"),
                &[Seg::Key("CFAssociations"), Seg::Index(k)],
            ));
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
    Ok(fw)
}

const IMPORT_NOTE: &str = "Imported by microcred from a CASE package.";

/// The sentence appended to the description when the scale comes from the package's rubrics
/// (no longer than [`super::GENERIC_SCALE_NOTE`], so the room left for the description holds).
const RUBRIC_SCALE_NOTE: &str = "Its proficiency scale comes from the package's rubrics.";

/// Highest rubric score read as a level.
const MAX_LEVEL: u64 = 1000;

/// The competency type a `CFItemType` names, if it names one.
fn kind_of(item_type: &str) -> Option<CompetencyType> {
    match item_type.trim().to_ascii_lowercase().as_str() {
        "skill" => Some(CompetencyType::Skill),
        "knowledge" => Some(CompetencyType::Knowledge),
        "attitude" => Some(CompetencyType::Attitude),
        _ => None,
    }
}

/// The limits of a rubric criterion level's texts.
const LEVEL_LIMITS: &[(&str, usize)] = &[("quality", limits::NAME), ("description", limits::TEXT)];

/// Read the levels of `CFRubrics`: each criterion that names an item of the package gives that
/// competency its level descriptors, and the framework's scale is every level used, named by
/// the `quality` given for it (the distinct names joined with " / " when criteria from
/// different scales disagree); empty when the package has no usable rubric.
fn rubric_levels(
    bytes: &[u8],
    file: &str,
    root: &Value,
    by_identifier: &HashMap<String, usize>,
    comps: &mut [Competency],
) -> Result<Vec<Level>, Problems> {
    let Some(rubrics) = root.get("CFRubrics").and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let mut scale: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (r, rubric) in rubrics.iter().enumerate() {
        let Some(criteria) = rubric.get("CFRubricCriteria").and_then(Value::as_array) else {
            continue;
        };
        for (c, criterion) in criteria.iter().enumerate() {
            let Some(item) = criterion
                .get("CFItemURI")
                .and_then(|l| l.get("identifier"))
                .and_then(Value::as_str)
                .and_then(|id| by_identifier.get(id.trim()).copied())
            else {
                continue;
            };
            let Some(levels) = criterion
                .get("CFRubricCriterionLevels")
                .and_then(Value::as_array)
            else {
                continue;
            };
            for (k, level) in levels.iter().enumerate() {
                let path = [
                    Seg::Key("CFRubrics"),
                    Seg::Index(r),
                    Seg::Key("CFRubricCriteria"),
                    Seg::Index(c),
                    Seg::Key("CFRubricCriterionLevels"),
                    Seg::Index(k),
                ];
                let Some(n) = level
                    .get("score")
                    .and_then(Value::as_f64)
                    .filter(|s| s.fract() == 0.0 && (0.0..=MAX_LEVEL as f64).contains(s))
                    .map(|s| s as u32)
                else {
                    continue;
                };
                let texts = [
                    (level.get("quality"), "quality"),
                    (level.get("description"), "description"),
                ];
                for (v, key) in texts {
                    if let Some(ch) = v.and_then(Value::as_str).and_then(super::hostile_char) {
                        let mut at = path.to_vec();
                        at.push(Seg::Key(key));
                        let p =
                            Problem::error(file, super::hostile_message(&format!("`{key}`"), ch))
                                .hint(super::HOSTILE_HINT);
                        return Err(match locate(bytes, &at) {
                            Some((line, column)) => p.at(line, column).into(),
                            None => p.into(),
                        });
                    }
                }
                lengths(bytes, file, level, &path, LEVEL_LIMITS)?;
                let text = |v: Option<&Value>| {
                    v.and_then(Value::as_str)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                };
                let name = text(level.get("quality")).unwrap_or_else(|| format!("Level {n}"));
                let names = scale.entry(n).or_default();
                if !names.contains(&name) {
                    names.push(name);
                }
                if let Some(d) = text(level.get("description")) {
                    comps[item].levels.entry(n).or_insert(d);
                }
            }
        }
    }
    Ok(scale
        .into_iter()
        .map(|(level, names)| Level {
            level,
            name: shorten(&names.join(" / "), limits::NAME),
            description: None,
        })
        .collect())
}

/// Room left for the document's own description in the framework's (which adds a note).
const DOC_DESCRIPTION: usize =
    limits::TEXT - IMPORT_NOTE.len() - 2 - super::GENERIC_SCALE_NOTE.len();

/// The limits of the CFDocument fields that become text of the framework.
const DOC_LIMITS: &[(&str, usize)] = &[
    ("title", limits::NAME),
    ("version", limits::SHORT),
    ("publisher", limits::NAME),
    ("creator", limits::NAME),
    ("officialSourceURL", limits::URI),
    ("uri", limits::URI),
    ("description", DOC_DESCRIPTION),
];

/// The limits of the CFItem fields that become text of a competency (each keyword for
/// `conceptKeywords`; the name when it is taken from `fullStatement` is shortened instead).
const ITEM_LIMITS: &[(&str, usize)] = &[
    ("identifier", limits::ID),
    ("humanCodingScheme", limits::ID),
    ("fullStatement", limits::TEXT),
    ("abbreviatedStatement", limits::NAME),
    ("CFItemType", limits::NAME),
    ("conceptKeywords", limits::NAME),
    ("uri", limits::URI),
];

/// The first text of `obj` (at `path`) over its limit in `table`, as a located problem.
fn lengths(
    bytes: &[u8],
    file: &str,
    obj: &Value,
    path: &[Seg],
    table: &[(&str, usize)],
) -> Result<(), Problems> {
    for &(key, max) in table {
        let texts: Vec<(Option<usize>, &str)> = match obj.get(key) {
            Some(Value::String(s)) if key == "conceptKeywords" => {
                s.split([',', ';']).map(|k| (None, k.trim())).collect()
            }
            Some(Value::String(s)) => vec![(None, s.trim())],
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((Some(i), v.as_str()?.trim())))
                .collect(),
            _ => continue,
        };
        for (index, t) in texts {
            let Some(len) = over(t, max) else {
                continue;
            };
            let mut at: Vec<Seg> = path.to_vec();
            at.push(Seg::Key(key));
            at.extend(index.map(Seg::Index));
            let what = format!("`{}`", path_name(&at));
            let p = Problem::error(file, message(&what, len, max)).hint(format!(
                "{}; shorten it in the package and import again",
                limits::HINT
            ));
            return Err(match locate(bytes, &at) {
                Some((line, column)) => p.at(line, column).into(),
                None => p.into(),
            });
        }
    }
    Ok(())
}

/// `CFItems[3].fullStatement`.
fn path_name(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// `s` cut to at most `max` characters, at a space when there is one, marked with "…".
fn shorten(s: &str, max: usize) -> String {
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

/// One step of a path into a JSON document.
#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The 1-based line and column (in characters) of the value at `path` in `src`, a JSON text
/// that has already parsed. Keys are compared as written (the CASE keys have no escapes).
fn locate(src: &[u8], path: &[Seg]) -> Option<(usize, usize)> {
    let mut i = ws(src, 0);
    for seg in path {
        match (src.get(i)?, seg) {
            (b'{', Seg::Key(k)) => {
                i = ws(src, i + 1);
                loop {
                    if src.get(i)? != &b'"' {
                        return None;
                    }
                    let end = skip_string(src, i)?;
                    let key = src.get(i + 1..end - 1)?;
                    i = ws(src, end);
                    if src.get(i)? != &b':' {
                        return None;
                    }
                    i = ws(src, i + 1);
                    if key == k.as_bytes() {
                        break;
                    }
                    i = ws(src, skip_value(src, i)?);
                    if src.get(i)? != &b',' {
                        return None;
                    }
                    i = ws(src, i + 1);
                }
            }
            (b'[', Seg::Index(n)) => {
                i = ws(src, i + 1);
                for _ in 0..*n {
                    i = ws(src, skip_value(src, i)?);
                    if src.get(i)? != &b',' {
                        return None;
                    }
                    i = ws(src, i + 1);
                }
                if src.get(i)? == &b']' {
                    return None;
                }
            }
            _ => return None,
        }
    }
    let before = src.get(..i)?;
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = 1 + String::from_utf8_lossy(&before[start..]).chars().count();
    Some((line, column))
}

fn ws(src: &[u8], mut i: usize) -> usize {
    while src.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// `src[i]` opens a string: the index just past its closing quote.
fn skip_string(src: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match src.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The index just past the value that starts at `src[i]`.
fn skip_value(src: &[u8], mut i: usize) -> Option<usize> {
    match src.get(i)? {
        b'"' => skip_string(src, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match src.get(i)? {
                    b'"' => {
                        i = skip_string(src, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            while src
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b']' | b'}') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
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
    fn shape_errors_and_hostile_text_are_located() {
        let src = "{\"CFDocument\": {\"title\": \"T\"},\n \"CFItems\": [\n  {\"identifier\": \"a\", \"fullStatement\": \"x\"},\n  {\"identifier\": \"b\"}]}";
        let p = run(src).expect_err("item without statement");
        assert_eq!((p.0[0].line, p.0[0].column), (Some(4), Some(3)), "{p}");
        let src = "{\"CFDocument\": {\"title\": \"T\"},\n \"CFItems\": [{\"identifier\": \"a\",\n \"fullStatement\": \"x\\u001b[2J\"}]}";
        let p = run(src).expect_err("ESC in a statement");
        assert_eq!((p.0[0].line, p.0[0].column), (Some(3), Some(19)), "{p}");
        assert!(p.to_string().contains("U+001B"), "{p}");
        let src = "{\"CFDocument\": {\"title\": \"T\\u202e\"}, \"CFItems\": []}";
        assert!(run(src).expect_err("bidi").to_string().contains("U+202E"));
        let src = "{\"CFDocument\": {\"title\": \"T\"}, \"CFItems\": [], \"CFAssociations\": 3}";
        let p = run(src).expect_err("associations");
        assert_eq!((p.0[0].line, p.0[0].column), (Some(1), Some(65)), "{p}");
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
    fn types_subjects_and_rubric_levels() {
        let fw = run(r#"{"CFDocument": {"title": "T"}, "CFItems": [
              {"identifier": "a", "fullStatement": "A", "CFItemType": "skill", "subject": ["Data"]},
              {"identifier": "b", "fullStatement": "B", "CFItemType": "Knowledge"},
              {"identifier": "c", "fullStatement": "C", "CFItemType": "Standard"}],
            "CFRubrics": [{"identifier": "r", "CFRubricCriteria": [
              {"CFItemURI": {"identifier": "a"}, "CFRubricCriterionLevels": [
                {"score": 1, "quality": "Entry", "description": "Does A with help"},
                {"score": 2, "quality": "Solid"},
                {"score": 2.5, "quality": "Not a level"}]},
              {"CFItemURI": {"identifier": "b"}, "CFRubricCriterionLevels": [
                {"score": 1, "quality": "Novice", "description": "Knows B"}]},
              {"CFItemURI": {"identifier": "elsewhere"}, "CFRubricCriterionLevels": [
                {"score": 9, "quality": "Ignored"}]}]}]}"#)
        .expect("imports");
        let [a, b, c] = &fw.competencies[..] else {
            panic!("three items")
        };
        assert_eq!(
            (a.kind, a.category.as_deref()),
            (Some(CompetencyType::Skill), Some("Data"))
        );
        assert_eq!(
            (b.kind, b.category.as_deref()),
            (Some(CompetencyType::Knowledge), None)
        );
        assert_eq!((c.kind, c.category.as_deref()), (None, Some("Standard")));
        assert_eq!(
            a.levels.get(&1).map(String::as_str),
            Some("Does A with help")
        );
        assert_eq!(
            a.levels.len(),
            1,
            "a level without a description adds no descriptor"
        );
        assert_eq!(b.levels.get(&1).map(String::as_str), Some("Knows B"));
        let names: Vec<(u32, &str)> = fw
            .levels
            .iter()
            .map(|l| (l.level, l.name.as_str()))
            .collect();
        assert_eq!(names, [(1, "Entry / Novice"), (2, "Solid")]);
        assert!(
            fw.description
                .as_deref()
                .is_some_and(|d| d.contains("rubrics"))
        );
        // Hostile text in a rubric level is refused where it is.
        let src = "{\"CFDocument\": {\"title\": \"T\"}, \"CFItems\": [{\"identifier\": \"a\", \"fullStatement\": \"A\"}],\n\"CFRubrics\": [{\"CFRubricCriteria\": [{\"CFItemURI\": {\"identifier\": \"a\"},\n \"CFRubricCriterionLevels\": [{\"score\": 1, \"quality\": \"x\\u202ey\"}]}]}]}";
        let p = run(src).expect_err("bidi in a level");
        assert_eq!((p.0[0].line, p.0[0].column), (Some(3), Some(54)), "{p}");
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
