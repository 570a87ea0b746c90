//! The length limits of the CASE fields that become framework text, checked before import
//! with a problem located at the field.

use serde_json::Value;

use super::IMPORT_NOTE;
use super::json_path::{Seg, locate, path_name};
use crate::limits;
use crate::model::validate::limits::{message, over};
use crate::problem::{Problem, Problems};

/// Room left for the document's own description in the framework's (which adds a note).
pub(super) const DOC_DESCRIPTION: usize =
    limits::TEXT - IMPORT_NOTE.len() - 2 - crate::import::GENERIC_SCALE_NOTE.len();

/// The limits of the CFDocument fields that become text of the framework.
pub(super) const DOC_LIMITS: &[(&str, usize)] = &[
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
pub(super) const ITEM_LIMITS: &[(&str, usize)] = &[
    ("identifier", limits::ID),
    ("humanCodingScheme", limits::ID),
    ("fullStatement", limits::TEXT),
    ("abbreviatedStatement", limits::NAME),
    ("CFItemType", limits::NAME),
    ("conceptKeywords", limits::NAME),
    ("uri", limits::URI),
    ("notes", limits::TEXT),
    ("listEnumeration", limits::SHORT),
    ("educationLevel", limits::SHORT),
];

/// The first text of `obj` (at `path`) over its limit in `table`, as a located problem.
pub(super) fn lengths(
    bytes: &[u8],
    file: &str,
    obj: &Value,
    path: &[Seg],
    table: &[(&str, usize)],
) -> Result<(), Problems> {
    for &(key, max) in table {
        let texts: Vec<(Option<usize>, &str)> = match obj.get(key) {
            Some(Value::String(s)) if matches!(key, "conceptKeywords" | "educationLevel") => {
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
