//! The levels of a CASE package's `CFRubrics`: each criterion naming an item gives that
//! competency its level descriptors, and the levels used make the framework's scale.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::json_path::Seg;
use super::lengths::lengths;
use super::shorten;
use crate::limits;
use crate::model::{Competency, Level};
use crate::problem::Problems;

/// The sentence appended to the description when the scale comes from the package's rubrics
/// (no longer than [`crate::import::GENERIC_SCALE_NOTE`], so the room left for the description holds).
pub(super) const RUBRIC_SCALE_NOTE: &str =
    "Its proficiency scale comes from the package's rubrics.";

/// Highest rubric score read as a level.
const MAX_LEVEL: u64 = 1000;

/// The limits of a rubric criterion level's texts.
const LEVEL_LIMITS: &[(&str, usize)] = &[("quality", limits::NAME), ("description", limits::TEXT)];

/// Read the levels of `CFRubrics`: each criterion that names an item of the package gives that
/// competency its level descriptors, and the framework's scale is every level used, named by
/// the `quality` given for it (the distinct names joined with " / " when criteria from
/// different scales disagree); empty when the package has no usable rubric.
pub(super) fn rubric_levels(
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
