//! CTDL-ASN import: a Credential Engine competency framework in JSON-LD (as the Credential
//! Registry serves it: an object whose `@graph` holds one `ceasn:CompetencyFramework` and its
//! `ceasn:Competency` nodes; a plain list of nodes, or the Registry Assistant's publishing
//! request with the graph in `CompetencyFrameworkGraph`, is read the same way).
//!
//! Framework: name = `ceasn:name`; version = the date of `ceasn:dateModified`, else
//! `ceasn:dateCreated`, else `1`; publisher = `ceasn:publisherName`; source = its `@id`;
//! licence = `ceasn:license`; description = `ceasn:description`. Each competency: id =
//! `ceasn:codedNotation` made an identifier, else its CTID; name = `ceasn:competencyLabel`,
//! else `ceasn:competencyText` cut at a word; description = `ceasn:competencyText`; code =
//! `ceasn:codedNotation`; keywords = `ceasn:conceptKeyword`; category =
//! `ceasn:competencyCategory`; notes = `ceasn:comment`; order = `ceasn:listID`; uri = `@id`.
//! The hierarchy comes from `ceasn:isChildOf` (a competency of the graph; one under the
//! framework itself, `ceasn:isTopChildOf`, has no parent) and from `ceasn:hasChild`; the
//! competencies are listed in the framework's order (`ceasn:hasTopChild`, then each
//! `ceasn:hasChild`), the rest after them as the file lists them. A language map gives the text
//! in the framework's first `ceasn:inLanguage`, else English, else its first language.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::clean::Capped;
use crate::limits;
use crate::model::validate::limits::over;
use crate::model::{Competency, Framework};
use crate::problem::{Problem, Problems};

const SHAPE_HINT: &str = "give a CTDL-ASN competency framework in JSON-LD, as the Credential \
Registry serves it: an object with `@graph`, a list holding one `ceasn:CompetencyFramework` and \
its `ceasn:Competency` nodes";

const IMPORT_NOTE: &str = "Imported by microcred from a CTDL-ASN framework.";

/// Import a CTDL-ASN framework. `file` names the input in problems; `id` overrides the
/// framework id (default: from its name).
pub fn read(bytes: &[u8], file: &str, id: Option<&str>) -> Result<super::Imported, Problems> {
    let mut root = super::parse_json(
        bytes,
        file,
        "give the framework's JSON-LD as the Credential Registry serves it",
    )?;
    let shape = |what: &str| -> Problems { Problem::error(file, what).hint(SHAPE_HINT).into() };
    // The Registry Assistant's publishing request carries the graph in
    // `CompetencyFrameworkGraph`: read it from there.
    if let Some(graph) = root
        .as_object_mut()
        .filter(|o| !o.contains_key("@graph"))
        .and_then(|o| o.remove("CompetencyFrameworkGraph"))
        .filter(Value::is_object)
    {
        root = graph;
    }
    let nodes: &mut Vec<Value> = match &mut root {
        Value::Array(a) => a,
        Value::Object(o) => match o.get_mut("@graph") {
            Some(Value::Array(a)) => a,
            _ => return Err(shape("there is no `@graph` list at the top level")),
        },
        _ => {
            return Err(shape(
                "the file is neither a JSON-LD object nor a list of nodes",
            ));
        }
    };
    let mut warnings = Vec::new();
    let mut cleaned = Capped::default();
    for (i, n) in nodes.iter_mut().enumerate() {
        let mut found = Vec::new();
        scrub(n, &mut found);
        if !found.is_empty() {
            let label = n.get("@id").and_then(Value::as_str).unwrap_or("?");
            cleaned.push(Problem::warning(
                file,
                format!(
                    "node {} (`{label}`) held {}; removed (a page break became a space)",
                    i + 1,
                    super::clean::code_points(&found)
                ),
            ));
        }
    }
    let nodes: &[Value] = nodes;
    let is = |n: &Value, t: &str| match n.get("@type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(t)),
        _ => false,
    };
    let fw_node = nodes
        .iter()
        .find(|n| is(n, "ceasn:CompetencyFramework"))
        .ok_or_else(|| shape("the graph holds no `ceasn:CompetencyFramework`"))?;
    let lang = uris(fw_node.get("ceasn:inLanguage"))
        .into_iter()
        .next()
        .unwrap_or_else(|| "en".into());
    let text = |v: Option<&Value>| local(v, &lang);
    let name = text(fw_node.get("ceasn:name"))
        .ok_or_else(|| shape("the `ceasn:CompetencyFramework` has no `ceasn:name`"))?;
    let fw_id = super::framework_id(id, &name, "ctdl-asn", file)?;

    // The competencies, each once (the first node of a repeated `@id` wins).
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut comp_nodes: Vec<&Value> = Vec::new();
    let mut repeats = Capped::default();
    for n in nodes.iter().filter(|n| is(n, "ceasn:Competency")) {
        let Some(at) = n.get("@id").and_then(Value::as_str) else {
            repeats.push(Problem::warning(
                file,
                format!(
                    "a competency without `@id` (\"{}\") is skipped",
                    short(&text(n.get("ceasn:competencyText")).unwrap_or_default(), 60)
                ),
            ));
            continue;
        };
        if index.contains_key(at) {
            repeats.push(Problem::warning(
                file,
                format!("the competency `{at}` appears twice; the first is imported"),
            ));
            continue;
        }
        index.insert(at, comp_nodes.len());
        comp_nodes.push(n);
    }
    if comp_nodes.is_empty() {
        return Err(shape("the graph holds no `ceasn:Competency`"));
    }
    // Parents: isChildOf, then hasChild.
    let mut parent: Vec<Option<usize>> = vec![None; comp_nodes.len()];
    for (i, n) in comp_nodes.iter().enumerate() {
        if let Some(p) = uris(n.get("ceasn:isChildOf"))
            .iter()
            .find_map(|u| index.get(u.as_str()).copied())
            .filter(|&p| p != i)
        {
            parent[i] = Some(p);
        }
    }
    for (i, n) in comp_nodes.iter().enumerate() {
        for c in uris(n.get("ceasn:hasChild")) {
            if let Some(&c) = index.get(c.as_str())
                && c != i
                && parent[c].is_none()
            {
                parent[c] = Some(i);
            }
        }
    }
    break_cycles(&mut parent);
    // Order: the framework's tree first, then the rest as listed.
    let mut order: Vec<usize> = Vec::with_capacity(comp_nodes.len());
    let mut placed = vec![false; comp_nodes.len()];
    let top = uris(fw_node.get("ceasn:hasTopChild"));
    let absent: Vec<&String> = top
        .iter()
        .filter(|u| !index.contains_key(u.as_str()))
        .collect();
    if let Some(first) = absent.first() {
        // A publishing request or a trimmed copy may name top competencies it does not carry
        // (the nodes were cleaned above).
        warnings.push(Problem::warning(
            file,
            format!(
                "the framework's `ceasn:hasTopChild` names {} competenc{} the file does not hold \
                 (the first: `{}`); {} left out — the Registry's `/graph/CTID` of the framework \
                 holds them all",
                absent.len(),
                if absent.len() == 1 { "y" } else { "ies" },
                short(first, 200),
                if absent.len() == 1 {
                    "it is"
                } else {
                    "they are"
                },
            ),
        ));
    }
    let mut stack: Vec<usize> = top
        .iter()
        .rev()
        .filter_map(|u| index.get(u.as_str()).copied())
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut placed[i], true) {
            continue;
        }
        order.push(i);
        let kids: Vec<usize> = uris(comp_nodes[i].get("ceasn:hasChild"))
            .iter()
            .filter_map(|u| index.get(u.as_str()).copied())
            .filter(|&c| parent[c] == Some(i))
            .collect();
        stack.extend(kids.into_iter().rev());
    }
    order.extend((0..comp_nodes.len()).filter(|&i| !placed[i]));

    // Ids: the code, else the CTID, else the end of the @id.
    let mut ids: Vec<String> = vec![String::new(); comp_nodes.len()];
    let mut used: HashSet<String> = HashSet::new();
    for (i, n) in comp_nodes.iter().enumerate() {
        let code = n
            .get("ceasn:codedNotation")
            .and_then(Value::as_str)
            .and_then(super::to_identifier);
        let ctid = n
            .get("ceterms:ctid")
            .and_then(Value::as_str)
            .and_then(super::to_identifier);
        let tail = n
            .get("@id")
            .and_then(Value::as_str)
            .and_then(|u| u.rsplit('/').next())
            .and_then(super::to_identifier);
        let id = [code, ctid, tail]
            .into_iter()
            .flatten()
            .find(|c| !used.contains(c))
            .unwrap_or_else(|| format!("competency-{}", i + 1));
        used.insert(id.clone());
        ids[i] = id;
    }
    let mut cut = Capped::default();
    let mut comps = Vec::with_capacity(comp_nodes.len());
    for &i in &order {
        let n = comp_nodes[i];
        let at = n.get("@id").and_then(Value::as_str).unwrap_or("?");
        let statement = text(n.get("ceasn:competencyText"))
            .or_else(|| text(n.get("ceasn:competencyLabel")))
            .unwrap_or_default();
        if statement.is_empty() {
            repeats.push(Problem::warning(
                file,
                format!("the competency `{at}` has no `ceasn:competencyText`; it is skipped"),
            ));
            continue;
        }
        let mut fit = |what: &str, s: String, max: usize| -> String {
            if over(&s, max).is_some() {
                cut.push(Problem::warning(
                    file,
                    format!("the {what} of `{at}` is over {max} characters; it was cut"),
                ));
                short(&s, max)
            } else {
                s
            }
        };
        let label = text(n.get("ceasn:competencyLabel"));
        let name = match label {
            Some(l) => fit("label", l, limits::NAME),
            None => short(&statement, limits::NAME),
        };
        let description = fit("text", statement, limits::TEXT);
        let code = n
            .get("ceasn:codedNotation")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|c| !c.is_empty() && *c != ids[i] && over(c, limits::NAME).is_none())
            .map(str::to_string);
        let notes = all(n.get("ceasn:comment"), &lang).join("\n");
        comps.push(Competency {
            id: ids[i].clone(),
            name,
            description,
            category: text(n.get("ceasn:competencyCategory"))
                .filter(|c| over(c, limits::NAME).is_none()),
            keywords: all(n.get("ceasn:conceptKeyword"), &lang)
                .into_iter()
                .filter(|k| over(k, limits::NAME).is_none())
                .collect(),
            parent: parent[i].map(|p| ids[p].clone()),
            uri: Some(at.to_string()).filter(|u| u != "?" && over(u, limits::URI).is_none()),
            code,
            order: n
                .get("ceasn:listID")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty() && over(s, limits::SHORT).is_none())
                .map(str::to_string),
            notes: Some(notes)
                .filter(|s| !s.is_empty())
                .map(|s| fit("comment", s, limits::TEXT)),
            ..Default::default()
        });
    }
    // A skipped competency leaves its children without a parent.
    let kept: HashSet<String> = comps.iter().map(|c| c.id.clone()).collect();
    for c in &mut comps {
        if c.parent.as_ref().is_some_and(|p| !kept.contains(p)) {
            c.parent = None;
        }
    }
    let date = |k: &str| {
        fw_node
            .get(k)
            .and_then(Value::as_str)
            .map(|d| d.trim().chars().take(10).collect::<String>())
            .filter(|d| !d.is_empty())
    };
    let source = fw_node
        .get("@id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|s| over(s, limits::URI).is_none());
    let own = text(fw_node.get("ceasn:description"))
        .map(|d| {
            let room = limits::TEXT - IMPORT_NOTE.len() - super::GENERIC_SCALE_NOTE.len() - 3;
            format!("{} ", short(&d, room))
        })
        .unwrap_or_default();
    let fw = Framework {
        id: fw_id,
        name: short(&name, limits::NAME),
        version: date("ceasn:dateModified")
            .or_else(|| date("ceasn:dateCreated"))
            .unwrap_or_else(|| "1".into()),
        publisher: all(fw_node.get("ceasn:publisherName"), &lang)
            .into_iter()
            .next()
            .map(|p| short(&p, limits::NAME)),
        source,
        language: uris(fw_node.get("ceasn:inLanguage"))
            .into_iter()
            .next()
            .filter(|l| over(l, limits::SHORT).is_none()),
        licence: fw_node
            .get("ceasn:license")
            .and_then(Value::as_str)
            .map(str::to_string)
            .filter(|s| over(s, limits::URI).is_none()),
        description: Some(format!("{own}{IMPORT_NOTE} {}", super::GENERIC_SCALE_NOTE)),
        levels: crate::model::generic_levels(),
        competencies: comps,
    };
    super::check(&fw, file)?;
    cleaned.finish(file, "nodes with control characters", &mut warnings);
    repeats.finish(file, "competencies skipped", &mut warnings);
    cut.finish(file, "texts cut", &mut warnings);
    Ok(super::Imported {
        framework: fw,
        warnings,
    })
}

/// Every text of a value: a string, a list of strings, or a language map (the entry for
/// `lang`, else English, else the first) whose value is a string or a list.
fn all(v: Option<&Value>, lang: &str) -> Vec<String> {
    let pick = |m: &serde_json::Map<String, Value>| -> Option<Value> {
        let base = lang.split('-').next().unwrap_or(lang);
        m.get(lang)
            .or_else(|| {
                m.iter()
                    .find(|(k, _)| k.split('-').next() == Some(base))
                    .map(|(_, v)| v)
            })
            .or_else(|| m.get("en-US"))
            .or_else(|| m.get("en"))
            .or_else(|| m.values().next())
            .cloned()
    };
    let v = match v {
        Some(Value::Object(m)) => pick(m),
        Some(v) => Some(v.clone()),
        None => None,
    };
    let list = match v {
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(a)) => a
            .into_iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The first text of a value (see [`all`]).
fn local(v: Option<&Value>, lang: &str) -> Option<String> {
    all(v, lang).into_iter().next()
}

/// The strings a property holds (URIs, language tags): a string or a list of strings.
fn uris(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// `s` cut to at most `max` characters at a word, marked with "…".
fn short(s: &str, max: usize) -> String {
    super::case::shorten(s, max)
}

/// Drop the parent link that closes a cycle.
fn break_cycles(parent: &mut [Option<usize>]) {
    for start in 0..parent.len() {
        let mut seen = HashSet::from([start]);
        let mut cur = start;
        while let Some(p) = parent[cur] {
            if !seen.insert(p) {
                parent[cur] = None;
                break;
            }
            cur = p;
        }
    }
}

/// Clean every string inside `v`, collecting the characters removed.
fn scrub(v: &mut Value, found: &mut Vec<char>) {
    match v {
        Value::String(s) => {
            let (c, chars) = super::clean::clean(s);
            *s = c; // line ends made `\n` even when nothing is reported
            if !chars.is_empty() {
                for ch in chars {
                    if !found.contains(&ch) {
                        found.push(ch);
                    }
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| scrub(x, found)),
        Value::Object(o) => o.values_mut().for_each(|x| scrub(x, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FW: &str = r#"{"@context": "https://credreg.net/ctdlasn/schema/context/json",
      "@graph": [
        {"@id": "https://credentialengineregistry.org/resources/ce-f", "@type": "ceasn:CompetencyFramework",
         "ceasn:name": {"en-US": "Basic Skills"}, "ceasn:inLanguage": ["en-US"],
         "ceasn:description": {"en-US": "Developed capacities."},
         "ceasn:publisherName": {"en-US": ["Example Publisher"]},
         "ceasn:dateModified": "2021-03-04T10:00:00",
         "ceasn:hasTopChild": ["https://credentialengineregistry.org/resources/ce-b", "https://credentialengineregistry.org/resources/ce-a"]},
        {"@id": "https://credentialengineregistry.org/resources/ce-a1", "@type": "ceasn:Competency",
         "ceterms:ctid": "ce-a1", "ceasn:competencyText": {"en-US": "Understanding written sentences\u000c in documents."},
         "ceasn:codedNotation": "2.A.1.a", "ceasn:isChildOf": ["https://credentialengineregistry.org/resources/ce-a"]},
        {"@id": "https://credentialengineregistry.org/resources/ce-a", "@type": "ceasn:Competency",
         "ceterms:ctid": "ce-a", "ceasn:competencyLabel": {"en-US": "Content"},
         "ceasn:competencyText": {"en-US": "Background structures needed to work with and acquire more specific skills."},
         "ceasn:codedNotation": "2.A.1", "ceasn:isTopChildOf": "https://credentialengineregistry.org/resources/ce-f",
         "ceasn:hasChild": ["https://credentialengineregistry.org/resources/ce-a1", "https://credentialengineregistry.org/resources/ce-a2"]},
        {"@id": "https://credentialengineregistry.org/resources/ce-a2", "@type": "ceasn:Competency",
         "ceterms:ctid": "ce-a2", "ceasn:competencyText": {"en-US": "Active listening"}},
        {"@id": "https://credentialengineregistry.org/resources/ce-b", "@type": "ceasn:Competency",
         "ceterms:ctid": "ce-b", "ceasn:competencyText": {"en-US": "Process"}, "ceasn:codedNotation": "2.A.2"}
      ]}"#;

    #[test]
    fn hierarchy_codes_and_text_in_the_framework_order() {
        let got = read(FW.as_bytes(), "f.json", None).expect("imports");
        let fw = got.framework;
        assert_eq!(fw.id, "basic-skills");
        assert_eq!(fw.version, "2021-03-04");
        assert_eq!(fw.publisher.as_deref(), Some("Example Publisher"));
        let ids: Vec<&str> = fw.competencies.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["2.A.2", "2.A.1", "2.A.1.a", "ce-a2"]);
        let by = |id: &str| fw.competencies.iter().find(|c| c.id == id).unwrap();
        assert_eq!(by("2.A.1.a").parent.as_deref(), Some("2.A.1"), "isChildOf");
        assert_eq!(by("ce-a2").parent.as_deref(), Some("2.A.1"), "hasChild");
        assert_eq!(by("2.A.1").parent, None, "isTopChildOf");
        assert_eq!(by("2.A.1").name, "Content");
        assert_eq!(
            by("2.A.1.a").description,
            "Understanding written sentences  in documents."
        );
        assert_eq!(
            by("2.A.1").uri.as_deref(),
            Some("https://credentialengineregistry.org/resources/ce-a")
        );
        assert_eq!(got.warnings.len(), 1, "{:?}", got.warnings);
        assert!(got.warnings[0].message.contains("U+000C"));
    }

    #[test]
    fn not_a_framework_is_refused() {
        assert!(read(b"{\"@graph\": []}", "f.json", None).is_err());
        assert!(read(b"[1, 2]", "f.json", None).is_err());
        let s = read(b"{\"a\": ", "f.json", None).unwrap_err().to_string();
        assert!(s.starts_with("f.json:1:"), "{s}");
    }
}
