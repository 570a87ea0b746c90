//! ESCO import: the official `skills_en.csv` (RFC 4180, UTF-8; multi-valued fields hold one value
//! per line), any other language's skills file, ESCO's collection files (green, digital,
//! transversal, DigComp: alternative labels separated by ` | ` on one line) and CSV files
//! harvested from the ESCO API (`concept_uri, preferred_label, ...`) to a framework.
//!
//! Column names are compared without case, spaces, `_` or `-` ([`column_key`]), and these
//! other names are accepted: `uri` for `conceptUri`; `title` or `label` for `preferredLabel`;
//! `alternativeLabel(s)` or `altLabel` for `altLabels`. A row without a preferred label is
//! skipped with a warning. Control characters and bidirectional marks are removed from the
//! text (a page break becomes a space), with one warning per row naming its columns and the
//! characters, as the CASE importer does.
//!
//! Mapping, per competency: `id` = the UUID that ends `conceptUri`; `name` = `preferredLabel`;
//! `description` = `description`, else `definition`, else `scopeNote`, else empty;
//! `keywords` = `altLabels` (one per line or separated by ` | `, trimmed, without repeats or
//! the name itself);
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
    /// The language of the file (default: from a name such as `skills_fr.csv`, else `en`).
    pub language: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            id: "esco".into(),
            language: None,
        }
    }
}

/// Columns the importer needs; the rest are optional.
const REQUIRED: &[&str] = &["conceptUri", "preferredLabel"];

/// The columns read, each with the other names it goes by (compared by [`column_key`]).
const COLUMNS: &[(&str, &[&str])] = &[
    ("conceptUri", &["uri"]),
    ("preferredLabel", &["title", "label"]),
    (
        "altLabels",
        &["alternativeLabel", "alternativeLabels", "altLabel"],
    ),
    ("description", &[]),
    ("definition", &[]),
    ("scopeNote", &[]),
    ("skillType", &[]),
    ("reuseLevel", &[]),
    ("modifiedDate", &[]),
];

/// A column name as compared: lower case, without spaces, `_` and `-` (`concept_uri` and
/// `conceptUri` are the same column).
pub fn column_key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{feff}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The language a file name gives (`skills_fr.csv`, `greenSkillsCollection_en.csv`).
fn language_of(file: &str) -> Option<String> {
    let stem = std::path::Path::new(file).file_stem()?.to_str()?;
    let (_, tag) = stem.rsplit_once('_')?;
    (2..=5)
        .contains(&tag.len())
        .then(|| tag.to_ascii_lowercase())
        .filter(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
}

/// Import ESCO skills, warnings dropped: see [`read`].
pub fn import(
    bytes: &[u8],
    file: &str,
    opts: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<Framework, Problems> {
    read(bytes, file, opts, progress).map(|i| i.framework)
}

const QUOTING_HINT: &str = "every field that holds a comma, a double quote or a line break must be \
in double quotes, with each quote inside it doubled (\"\"); check the quotes on this record and the \
one before it, or download skills_en.csv again";

/// Import ESCO skills from the bytes of `skills_en.csv` (or another shape, see the module),
/// with warnings about the rows skipped. `file` names the input in problems; `progress` is
/// called now and then with the number of records read so far.
pub fn read(
    bytes: &[u8],
    file: &str,
    opts: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<super::Imported, Problems> {
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
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if h.len() > 64 {
            continue; // no column name is this long
        }
        by_key.entry(column_key(h)).or_insert(i);
    }
    let col: HashMap<&str, usize> = COLUMNS
        .iter()
        .filter_map(|(name, other)| {
            std::iter::once(*name)
                .chain(other.iter().copied())
                .find_map(|n| by_key.get(&column_key(n)).copied())
                .map(|i| (*name, i))
        })
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
        .hint("give an ESCO skills or collection CSV (e.g. skills_en.csv from the ESCO download); its first line names the columns, e.g. conceptType,conceptUri,skillType,reuseLevel,preferredLabel,... (`concept_uri, preferred_label` as the ESCO API names them also work)")
        .into());
    }
    // A column's text, trimmed, with the control characters and bidirectional marks
    // removed (`found` records which column, by position and our name for it, held which).
    let get = |rec: &csv::StringRecord, name: &str, found: &mut Vec<(usize, String, Vec<char>)>| {
        let Some((i, raw)) = col.get(name).and_then(|&i| Some((i, rec.get(i)?))) else {
            return String::new();
        };
        let (text, chars) = super::clean::clean(raw);
        if !chars.is_empty() {
            found.push((i, name.to_string(), chars));
        }
        text.trim().to_string()
    };

    let mut comps: Vec<Competency> = Vec::with_capacity(16_384);
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut newest = String::new();
    let mut rec = csv::StringRecord::new();
    let mut n: u64 = 0;
    let mut unlabelled = super::clean::Capped::default();
    let mut cleaned = super::clean::Capped::default();
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
        let mut found = Vec::new();
        let uri = get(&rec, "conceptUri", &mut found);
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
        let name = get(&rec, "preferredLabel", &mut found);
        if name.is_empty() {
            unlabelled.push(
                Problem::warning(
                    file,
                    format!("record {n}: the skill `{uri}` has no preferredLabel; it is skipped"),
                )
                .at(line, 1),
            );
            continue;
        }
        let (description_column, description) = ["description", "definition", "scopeNote"]
            .iter()
            .map(|c| (*c, get(&rec, c, &mut found)))
            .find(|(_, s)| !s.is_empty())
            .unwrap_or(("description", String::new()));
        let keywords = split_labels(&get(&rec, "altLabels", &mut found), &name);
        let kind = match get(&rec, "skillType", &mut found).as_str() {
            "skill/competence" | "skill" | "competence" => Some(CompetencyType::Skill),
            "knowledge" => Some(CompetencyType::Knowledge),
            _ => None,
        };
        let reuse = get(&rec, "reuseLevel", &mut found);
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
        let modified = get(&rec, "modifiedDate", &mut found);
        if !found.is_empty() {
            found.sort_by_key(|(i, _, _)| *i);
            let what = found
                .iter()
                .map(|(_, c, chars)| {
                    format!("column `{c}` held {}", super::clean::code_points(chars))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let spaced = found
                .iter()
                .flat_map(|(_, _, chars)| chars)
                .any(|c| super::clean::BECOMES_SPACE.contains(c));
            cleaned.push(
                Problem::warning(
                    file,
                    format!(
                        "record {n} (`{uri}`, \"{}\"): {what}; removed{}",
                        super::case::shorten(&name, 60),
                        if spaced {
                            " (a page break became a space)"
                        } else {
                            ""
                        }
                    ),
                )
                .at(line, 1),
            );
        }
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
            ..Default::default()
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
    let base = std::path::Path::new(file)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or("skills_en.csv")
        .to_string();
    let language = opts
        .language
        .clone()
        .or_else(|| language_of(&base))
        .unwrap_or_else(|| "en".into());
    let fw = Framework {
        id: opts.id.clone(),
        name: "ESCO skills and knowledge".into(),
        version: if newest.is_empty() {
            "imported".into()
        } else {
            newest
        },
        publisher: Some("European Commission".into()),
        source: Some(super::case::shorten(
            &format!("https://esco.ec.europa.eu ({base})"),
            limits::URI,
        )),
        licence: Some("ESCO reuse policy, Commission Decision 2011/833/EU".into()),
        language: Some(language).filter(|l| over(l, limits::SHORT).is_none()),
        description: Some(format!(
            "This service uses the ESCO classification of the European Commission. Imported by \
             microcred from {}: {} skills and knowledge concepts; category is ESCO's \
             reuse level, keywords are its alternative labels, uri its concept URI. {}",
            super::case::shorten(&base, limits::NAME),
            comps.len(),
            super::GENERIC_SCALE_NOTE
        )),
        levels: crate::model::generic_levels(),
        competencies: comps,
    };
    super::check(&fw, file)?;
    let mut warnings = Vec::new();
    cleaned.finish(file, "records with control characters", &mut warnings);
    unlabelled.finish(
        file,
        "records without a preferredLabel skipped",
        &mut warnings,
    );
    Ok(super::Imported {
        framework: fw,
        warnings,
    })
}

/// Split a multi-valued field (one value per line, or separated by ` | ` as in ESCO's
/// collection files): trimmed, empty values and repeats (ignoring case) dropped, and the name
/// itself left out.
fn split_labels(field: &str, name: &str) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(name.to_lowercase());
    field
        .lines()
        .flat_map(|l| l.split(" | "))
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
        assert!(run(&empty).unwrap_err().to_string().contains("no skills"));
    }

    /// The en-us file has 13 rows without a preferred label: they are skipped with a warning.
    #[test]
    fn rows_without_a_label_are_skipped_with_a_warning() {
        let src = format!(
            "{HEAD}K,http://e/skill/a,knowledge,,,,,,,,,,d\nK,http://e/skill/b,knowledge,,weld,,,,,,,,\n"
        );
        let got = read(
            src.as_bytes(),
            "skills_en-us.csv",
            &Options::default(),
            &mut |_| {},
        )
        .expect("imports");
        assert_eq!(got.framework.competencies.len(), 1);
        assert_eq!(
            got.framework.competencies[0].description, "",
            "no description: empty"
        );
        assert_eq!(got.framework.language.as_deref(), Some("en-us"));
        assert_eq!(
            got.warnings[0].to_string(),
            "skills_en-us.csv:2:1: warning: record 1: the skill `http://e/skill/a` has no preferredLabel; it is skipped"
        );
    }

    /// ESCO's collection files separate alternative labels with ` | `; an API harvest names
    /// its columns `concept_uri, preferred_label`.
    #[test]
    fn collection_files_and_api_harvests_import() {
        let src = "conceptType,conceptUri,preferredLabel,status,skillType,reuseLevel,altLabels,description,broaderConceptUri,broaderConceptPT\n\
                   KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/g-1,manage waste,released,skill/competence,cross-sector,handle waste | Manage waste | dispose of waste,Deal with waste.,http://x,y\n";
        let got = read(
            src.as_bytes(),
            "data/greenSkillsCollection_fr.csv",
            &Options::default(),
            &mut |_| {},
        )
        .expect("imports");
        let fw = got.framework;
        assert_eq!(
            fw.competencies[0].keywords,
            ["handle waste", "dispose of waste"]
        );
        assert_eq!(fw.language.as_deref(), Some("fr"));
        assert!(
            fw.source
                .as_deref()
                .is_some_and(|s| s.contains("greenSkillsCollection_fr.csv")),
            "{:?}",
            fw.source
        );
        let api = "concept_uri, preferred_label, alternative_label, description\nhttp://data.europa.eu/esco/skill/k-9, weld metal, join metal, Join metal parts.\n";
        let fw = run(api).expect("imports").competencies;
        assert_eq!(
            (
                fw[0].id.as_str(),
                fw[0].name.as_str(),
                fw[0].description.as_str()
            ),
            ("k-9", "weld metal", "Join metal parts.")
        );
        assert_eq!(fw[0].keywords, ["join metal"]);
    }
}
