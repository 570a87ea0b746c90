//! ESCO's relations, kept on an imported ESCO framework (`import esco SKILLS.csv --relations
//! DIR`): the files of ESCO's full CSV download, read from the folder `DIR`.
//!
//! - `occupationSkillRelations.csv` (`occupationUri, relationType, skillType, skillUri`), with
//!   the occupations' labels from `occupations_*.csv` (`conceptUri, preferredLabel`): each skill
//!   gets a link `isEssentialForOccupation` or `isOptionalForOccupation` whose target is the
//!   occupation's URI and whose title is its preferred label.
//! - `skillSkillRelations.csv` (`originalSkillUri, relationType, relatedSkillUri`): a link
//!   `hasEssentialSkill` or `hasOptionalSkill` to the related skill's id.
//! - `broaderRelationsSkillPillar.csv` (`conceptUri, broaderUri`): a link `broader` to the
//!   broader concept (a skill's id, else the skill group's URI).
//!
//! The links use the framework format as it is (a competency's `links`), so a framework with
//! relations loads wherever one without does. Pure: the caller reads the files.

use std::collections::HashMap;

use crate::model::{Framework, Link};
use crate::problem::{Problem, Problems};

/// The file names looked for in the relations folder.
pub const OCCUPATION_SKILLS: &str = "occupationSkillRelations.csv";
/// Skill–skill relations.
pub const SKILL_SKILLS: &str = "skillSkillRelations.csv";
/// The skill hierarchy.
pub const SKILL_BROADER: &str = "broaderRelationsSkillPillar.csv";
/// Occupations' labels: `occupations_en.csv` or another language's.
pub const OCCUPATIONS_PREFIX: &str = "occupations_";

/// Link kinds written, as ESCO names the relations.
pub use crate::model::{
    ESSENTIAL_FOR_OCCUPATION as ESSENTIAL_FOR, OPTIONAL_FOR_OCCUPATION as OPTIONAL_FOR,
};

/// The relations files read: (file name as shown in problems, its bytes).
#[derive(Default)]
pub struct Files<'a> {
    pub occupation_skills: Option<(String, &'a [u8])>,
    pub occupations: Option<(String, &'a [u8])>,
    pub skill_skills: Option<(String, &'a [u8])>,
    pub broader: Option<(String, &'a [u8])>,
}

/// What was added: links per kind.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Added {
    pub occupation: usize,
    pub skill: usize,
    pub broader: usize,
}

/// Add the relations in `files` to `fw` (an ESCO import: competency ids are the UUIDs that end
/// the concept URIs). Rows naming a skill the framework lacks are skipped and counted in a
/// warning; a file without the columns it needs is refused with its name.
pub fn add(fw: &mut Framework, files: &Files) -> Result<(Added, Vec<Problem>), Problems> {
    let index: HashMap<String, usize> = fw
        .competencies
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    let mut added = Added::default();
    let mut warnings = Vec::new();
    let mut labels: HashMap<String, String> = HashMap::new();
    if let Some((name, bytes)) = &files.occupations {
        for row in rows(name, bytes, &["conceptUri", "preferredLabel"])? {
            labels.insert(row[0].clone(), row[1].clone());
        }
    }
    let mut links: Vec<Vec<Link>> = vec![Vec::new(); fw.competencies.len()];
    let mut missing = 0usize;
    if let Some((name, bytes)) = &files.occupation_skills {
        for row in rows(name, bytes, &["occupationUri", "relationType", "skillUri"])? {
            let Some(&i) = index.get(uuid(&row[2])) else {
                missing += 1;
                continue;
            };
            let kind = if row[1].eq_ignore_ascii_case("essential") {
                ESSENTIAL_FOR
            } else {
                OPTIONAL_FOR
            };
            links[i].push(Link {
                kind: kind.into(),
                title: labels.get(&row[0]).cloned(),
                target: row[0].clone(),
            });
            added.occupation += 1;
        }
    }
    if let Some((name, bytes)) = &files.skill_skills {
        for row in rows(
            name,
            bytes,
            &["originalSkillUri", "relationType", "relatedSkillUri"],
        )? {
            let (Some(&i), Some(&j)) = (index.get(uuid(&row[0])), index.get(uuid(&row[2]))) else {
                missing += 1;
                continue;
            };
            let kind = if row[1].eq_ignore_ascii_case("essential") {
                "hasEssentialSkill"
            } else {
                "hasOptionalSkill"
            };
            links[i].push(Link {
                kind: kind.into(),
                target: fw.competencies[j].id.clone(),
                title: None,
            });
            added.skill += 1;
        }
    }
    if let Some((name, bytes)) = &files.broader {
        for row in rows(name, bytes, &["conceptUri", "broaderUri"])? {
            let Some(&i) = index.get(uuid(&row[0])) else {
                continue; // groups under groups: not competencies
            };
            let target = match index.get(uuid(&row[1])) {
                Some(&j) => fw.competencies[j].id.clone(),
                None => row[1].clone(),
            };
            links[i].push(Link {
                kind: "broader".into(),
                target,
                title: None,
            });
            added.broader += 1;
        }
    }
    for (c, l) in fw.competencies.iter_mut().zip(links) {
        for link in l {
            if !c.links.contains(&link) {
                c.links.push(link);
            }
        }
    }
    if missing > 0 {
        warnings.push(Problem::warning(
            "--relations",
            format!("{missing} relation(s) name a skill that is not in the skills file: skipped"),
        ));
    }
    if files.occupation_skills.is_some() && files.occupations.is_none() {
        warnings.push(
            Problem::warning(
                "--relations",
                "no occupations_*.csv in the folder: occupation links carry no label",
            )
            .hint("put occupations_en.csv from the ESCO download beside the relations files"),
        );
    }
    Ok((added, warnings))
}

/// The concept id at the end of an ESCO URI.
fn uuid(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap_or(uri)
}

/// The records of a relations file, each cut to the columns `want` (in that order).
fn rows(file: &str, bytes: &[u8], want: &[&str]) -> Result<Vec<Vec<String>>, Problems> {
    let bytes = &*super::without_removable(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| Problem::error(file, format!("cannot read the header: {e}")))?
        .clone();
    let mut at = Vec::with_capacity(want.len());
    for w in want {
        let key = super::esco::column_key(w);
        match headers
            .iter()
            .position(|h| super::esco::column_key(h) == key)
        {
            Some(i) => at.push(i),
            None => {
                return Err(Problem::error(file, format!("no column `{w}`"))
                    .at(1, 1)
                    .hint(format!(
                        "give the file from ESCO's CSV download; its header names {}",
                        want.join(", ")
                    ))
                    .into());
            }
        }
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Problem::error(file, format!("{e}")).at(line, 1)
        })?;
        out.push(
            at.iter()
                .map(|&i| rec.get(i).unwrap_or("").trim().to_string())
                .collect(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fw() -> Framework {
        let csv = "conceptUri,preferredLabel,description\n\
            http://data.europa.eu/esco/skill/s1,install heat pumps,Install them.\n\
            http://data.europa.eu/esco/skill/s2,braze pipes,Braze them.\n\
            http://data.europa.eu/esco/skill/s3,refrigerants,Know them.\n";
        crate::import::esco::import(
            csv.as_bytes(),
            "skills_en.csv",
            &Default::default(),
            &mut |_| {},
        )
        .expect("imports")
    }

    #[test]
    fn relations_become_links() {
        let mut f = fw();
        let occ = "conceptUri,preferredLabel\nhttp://data.europa.eu/esco/occupation/o1,heat pump installer\n";
        let os = "occupationUri,relationType,skillType,skillUri\n\
            http://data.europa.eu/esco/occupation/o1,essential,skill/competence,http://data.europa.eu/esco/skill/s1\n\
            http://data.europa.eu/esco/occupation/o1,optional,knowledge,http://data.europa.eu/esco/skill/s3\n\
            http://data.europa.eu/esco/occupation/o1,essential,skill/competence,http://data.europa.eu/esco/skill/gone\n";
        let ss = "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri\n\
            http://data.europa.eu/esco/skill/s1,skill,essential,skill,http://data.europa.eu/esco/skill/s2\n";
        let br = "conceptType,conceptUri,broaderType,broaderUri\n\
            KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s2,SkillGroup,http://data.europa.eu/esco/isced-f/0713\n";
        let files = Files {
            occupation_skills: Some(("os.csv".into(), os.as_bytes())),
            occupations: Some(("occupations_en.csv".into(), occ.as_bytes())),
            skill_skills: Some(("ss.csv".into(), ss.as_bytes())),
            broader: Some(("br.csv".into(), br.as_bytes())),
        };
        let (added, warnings) = add(&mut f, &files).expect("adds");
        assert_eq!(
            added,
            Added {
                occupation: 2,
                skill: 1,
                broader: 1
            }
        );
        assert_eq!(
            warnings.len(),
            1,
            "the unknown skill is counted: {warnings:?}"
        );
        let s1 = f.competencies[0].links.clone();
        assert!(s1.iter().any(|l| l.kind == ESSENTIAL_FOR
            && l.title.as_deref() == Some("heat pump installer")
            && l.target.ends_with("/o1")));
        assert!(
            s1.iter()
                .any(|l| l.kind == "hasEssentialSkill" && l.target == "s2")
        );
        assert!(
            f.competencies[2]
                .links
                .iter()
                .any(|l| l.kind == OPTIONAL_FOR)
        );
        assert!(
            f.competencies[1]
                .links
                .iter()
                .any(|l| l.kind == "broader" && l.target.ends_with("/0713"))
        );
        // Adding the same relations again adds no repeats.
        add(&mut f, &files).expect("adds");
        assert_eq!(f.competencies[0].links.len(), s1.len());
    }

    #[test]
    fn a_file_without_its_columns_is_refused_by_name() {
        let mut f = fw();
        let files = Files {
            occupation_skills: Some(("os.csv".into(), b"a,b\n1,2\n".as_slice())),
            ..Files::default()
        };
        let e = add(&mut f, &files).expect_err("refused");
        let text = format!("{e:?}");
        assert!(
            text.contains("os.csv") && text.contains("occupationUri"),
            "{text}"
        );
    }
}
