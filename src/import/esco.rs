//! ESCO import: the official `skills_en.csv` (RFC 4180, UTF-8; multi-valued fields hold one value
//! per line) to a framework.
//!
//! Mapping, per competency: `id` = the UUID that ends `conceptUri`; `name` = `preferredLabel`;
//! `description` = `description`, else `definition`, else `scopeNote`, else the name;
//! `keywords` = `altLabels` (one per line, trimmed, without repeats or the name itself);
//! `type` from `skillType` (`skill/competence` → skill, `knowledge` → knowledge, else none);
//! `category` = `reuseLevel`; `uri` = `conceptUri`. The framework's version is the date of the
//! most recent `modifiedDate`, so two imports of the same file are identical.

use std::collections::{HashMap, HashSet};

use crate::limits;
use crate::model::validate::limits::{message, over};
use crate::model::{Competency, CompetencyType, Framework};
use crate::problem::{Problem, Problems};

/// What to call the imported framework.
#[derive(Debug, Clone)]
pub struct Options {
    /// Framework id (default `esco`).
    pub id: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { id: "esco".into() }
    }
}

/// Columns the importer needs; the rest are optional.
const REQUIRED: &[&str] = &["conceptUri", "preferredLabel"];

const QUOTING_HINT: &str = "every field that holds a comma, a double quote or a line break must be \
in double quotes, with each quote inside it doubled (\"\"); check the quotes on this record and the \
one before it, or download skills_en.csv again";

/// Import ESCO skills from the bytes of `skills_en.csv`. `file` names the input in problems;
/// `progress` is called now and then with the number of records read so far.
pub fn import(
    bytes: &[u8],
    file: &str,
    opts: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<Framework, Problems> {
    let bytes = &*super::without_removable(bytes);
    if !super::valid_id(&opts.id) {
        return Err(
            Problem::error(file, format!("`{}` is not a valid framework id", opts.id))
                .hint(super::ID_HINT)
                .into(),
        );
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let headers = rdr.headers().map_err(|e| csv_problem(file, &e))?.clone();
    let col: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !col.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(Problem::error(
            file,
            format!(
                "this is not ESCO's skills CSV: the first line lacks the column(s) {}",
                missing
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .at(1, 1)
        .hint("give the skills_en.csv file from the ESCO download (CSV, English); its first line names the columns, e.g. conceptType,conceptUri,skillType,reuseLevel,preferredLabel,...")
        .into());
    }
    let get = |rec: &csv::StringRecord, name: &str| -> String {
        col.get(name)
            .and_then(|&i| rec.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };

    let mut comps: Vec<Competency> = Vec::with_capacity(16_384);
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut newest = String::new();
    let mut rec = csv::StringRecord::new();
    let mut n: u64 = 0;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_problem(file, &e).into()),
        }
        n += 1;
        if n.is_multiple_of(512) {
            progress(n);
        }
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let at = |msg: String, hint: &str| -> Problems {
            Problem::error(file, format!("record {n}: {msg}"))
                .at(line, 1)
                .hint(hint)
                .into()
        };
        let uri = get(&rec, "conceptUri");
        let id = uri.rsplit('/').next().unwrap_or_default().to_string();
        if uri.is_empty() {
            return Err(at(
                "the conceptUri is empty".into(),
                "each skill needs its concept URI, e.g. http://data.europa.eu/esco/skill/<uuid>",
            ));
        }
        if !crate::model::is_identifier(&id) {
            return Err(at(
                format!("the conceptUri `{uri}` does not end in an id"),
                "ESCO concept URIs end in a UUID, e.g. http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab",
            ));
        }
        if let Some(first) = seen.insert(id.clone(), n) {
            return Err(at(
                format!("the concept `{uri}` also appears in record {first}"),
                "each skill must appear once; remove the repeated record",
            ));
        }
        let name = get(&rec, "preferredLabel");
        if name.is_empty() {
            return Err(at(
                format!("the skill `{uri}` has no preferredLabel"),
                "each skill needs a preferred label",
            ));
        }
        let (description_column, description) = ["description", "definition", "scopeNote"]
            .iter()
            .map(|c| (*c, get(&rec, c)))
            .find(|(_, s)| !s.is_empty())
            .unwrap_or_else(|| ("preferredLabel", name.clone()));
        let keywords = split_labels(&get(&rec, "altLabels"), &name);
        let kind = match get(&rec, "skillType").as_str() {
            "skill/competence" | "skill" | "competence" => Some(CompetencyType::Skill),
            "knowledge" => Some(CompetencyType::Knowledge),
            _ => None,
        };
        let reuse = get(&rec, "reuseLevel");
        let fields = [
            ("conceptUri", "the concept URI", &uri, limits::URI),
            ("preferredLabel", "the label", &name, limits::NAME),
            (
                description_column,
                "the description",
                &description,
                limits::TEXT,
            ),
            ("reuseLevel", "the reuse level", &reuse, limits::NAME),
        ];
        let labels = keywords
            .iter()
            .map(|k| ("altLabels", "a label", k, limits::NAME));
        for (column, what, value, max) in fields.into_iter().chain(labels) {
            if let Some(len) = over(value, max) {
                return Err(at(
                    format!("column `{column}`: {}", message(what, len, max)),
                    "ESCO's own labels and descriptions are well within the limits; check that \
                     this is skills_en.csv and that its quotes are balanced",
                ));
            }
            if let Some(c) = super::hostile_char(value) {
                return Err(at(
                    format!("{} of `{uri}`", super::hostile_message(column, c)),
                    super::HOSTILE_HINT,
                ));
            }
        }
        if let Some(len) = over(&id, limits::ID) {
            return Err(at(
                format!(
                    "column `conceptUri`: {}",
                    message("the id at the end of the concept URI", len, limits::ID)
                ),
                "ESCO concept URIs end in a UUID, e.g. http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab",
            ));
        }
        let modified = get(&rec, "modifiedDate");
        let date = modified.get(..10).unwrap_or_default();
        if date > newest.as_str() {
            newest = date.to_string();
        }
        comps.push(Competency {
            id,
            name,
            description,
            category: (!reuse.is_empty()).then_some(reuse),
            kind,
            keywords,
            parent: None,
            uri: Some(uri),
            levels: Default::default(),
        });
    }
    progress(n);
    if comps.is_empty() {
        return Err(
            Problem::error(file, "the file has a header line but no skills")
                .hint("give the complete skills_en.csv file")
                .into(),
        );
    }
    let fw = Framework {
        id: opts.id.clone(),
        name: "ESCO skills and knowledge".into(),
        version: if newest.is_empty() {
            "imported".into()
        } else {
            newest
        },
        publisher: Some("European Commission".into()),
        source: Some("https://esco.ec.europa.eu (skills_en.csv)".into()),
        licence: Some("ESCO reuse policy, Commission Decision 2011/833/EU".into()),
        description: Some(format!(
            "This service uses the ESCO classification of the European Commission. Imported by \
             microcred from skills_en.csv: {} skills and knowledge concepts; category is ESCO's \
             reuse level, keywords are its alternative labels, uri its concept URI. {}",
            comps.len(),
            super::GENERIC_SCALE_NOTE
        )),
        levels: crate::model::generic_levels(),
        competencies: comps,
    };
    super::check(&fw, file)?;
    Ok(fw)
}

/// Split a multi-valued field (one value per line): trimmed, empty lines and repeats
/// (ignoring case) dropped, and the name itself left out.
fn split_labels(field: &str, name: &str) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(name.to_lowercase());
    field
        .lines()
        .map(str::trim)
        .filter(|s| !s.is_empty() && seen.insert(s.to_lowercase()))
        .map(str::to_string)
        .collect()
}

fn csv_problem(file: &str, e: &csv::Error) -> Problem {
    let pos = e.position();
    let (line, record) = pos.map_or((None, None), |p| {
        (Some(p.line() as usize), Some(p.record()))
    });
    let rec = record.map_or(String::new(), |r| format!("record {r}: "));
    let p = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Problem::error(
            file,
            format!("{rec}this record has {len} field(s) where the header has {expected_len}"),
        )
        .hint(QUOTING_HINT),
        csv::ErrorKind::Utf8 { err, .. } => Problem::error(
            file,
            format!("{rec}field {} is not valid UTF-8 text", err.field() + 1),
        )
        .hint("this is not a text CSV file; give skills_en.csv from the ESCO download, saved as UTF-8"),
        csv::ErrorKind::Io(err) => Problem::error(file, format!("cannot read the file: {err}")),
        _ => Problem::error(file, format!("{rec}{e}")).hint(QUOTING_HINT),
    };
    match line {
        Some(l) => p.at(l, 1),
        None => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,definition,inScheme,description\n";

    fn run(csv: &str) -> Result<Framework, Problems> {
        import(csv.as_bytes(), "t.csv", &Options::default(), &mut |_| {})
    }

    #[test]
    fn maps_one_skill() {
        let src = format!(
            "{HEAD}KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/abc-1,skill/competence,sector-specific,manage musical staff,\"manage staff of music\ndirect musical staff\nManage musical staff\n\ndirect musical staff\",,released,2016-12-20T17:43:43Z,,,x,\"Assign and manage staff.\"\n\
             KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/k-2,knowledge,,music theory,,,released,2019-01-02T00:00:00Z,a note,a definition,x,\n"
        );
        let fw = run(&src).expect("imports");
        assert_eq!(fw.version, "2019-01-02");
        let c = &fw.competencies[0];
        assert_eq!(c.id, "abc-1");
        assert_eq!(c.name, "manage musical staff");
        assert_eq!(c.description, "Assign and manage staff.");
        assert_eq!(
            c.keywords,
            vec!["manage staff of music", "direct musical staff"]
        );
        assert_eq!(c.kind, Some(CompetencyType::Skill));
        assert_eq!(c.category.as_deref(), Some("sector-specific"));
        assert_eq!(
            c.uri.as_deref(),
            Some("http://data.europa.eu/esco/skill/abc-1")
        );
        let k = &fw.competencies[1];
        assert_eq!(k.kind, Some(CompetencyType::Knowledge));
        assert_eq!(k.description, "a definition");
        assert_eq!(k.category, None);
    }

    #[test]
    fn missing_column_is_located() {
        let e = run("conceptUri,altLabels\nhttp://x/y,z\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("t.csv:1:1:"), "{s}");
        assert!(s.contains("`preferredLabel`"), "{s}");
    }

    #[test]
    fn bad_quoting_is_located() {
        let src = format!(
            "{HEAD}K,http://e/skill/a,knowledge,,ok,,,released,,,,,d\nK,http://e/skill/b,knowledge,,\"broken,,,released,,,,,d\nK,http://e/skill/c,knowledge,,fine,,,released,,,,,d\n"
        );
        let s = run(&src).unwrap_err().to_string();
        assert!(s.starts_with("t.csv:3:1: record 2"), "{s}");
        assert!(s.contains("field(s)"), "{s}");
    }

    #[test]
    fn not_csv_is_refused() {
        assert!(run("{\"CFDocument\": {}}\n").is_err());
        assert!(
            import(
                &[0xff, 0xfe, 0, 1, b'\n', 0xc3],
                "b",
                &Options::default(),
                &mut |_| {}
            )
            .is_err()
        );
        assert!(run("").is_err());
        assert!(run(HEAD).is_err());
    }

    #[test]
    fn empty_label_and_duplicates_are_refused() {
        let dup = format!(
            "{HEAD}K,http://e/skill/a,knowledge,,x,,,,,,,,d\nK,http://e/skill/a,knowledge,,y,,,,,,,,d\n"
        );
        let s = run(&dup).unwrap_err().to_string();
        assert!(
            s.contains("t.csv:3:1: record 2") && s.contains("record 1"),
            "{s}"
        );
        let empty = format!("{HEAD}K,http://e/skill/a,knowledge,,,,,,,,,,d\n");
        assert!(
            run(&empty)
                .unwrap_err()
                .to_string()
                .contains("preferredLabel")
        );
    }
}
