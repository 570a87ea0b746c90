//! Importers: turn public competency standards into microcred framework files.
//!
//! - [`esco`]: the official ESCO `skills_en.csv`.
//! - [`case`]: a 1EdTech CASE 1.x CFPackage (JSON).
//! - [`ctdl_asn`]: a Credential Engine CTDL-ASN competency framework (JSON-LD).
//!
//! Importers are pure: they take the file's bytes and return a [`Framework`] or a located
//! [`Problem`]; the command line does the reading and (atomic) writing.

pub mod case;
pub mod clean;
pub mod ctdl_asn;
pub mod esco;
pub mod esco_relations;

use crate::model::Framework;
use crate::problem::{Problem, Problems};

/// An imported framework and the warnings about what the importer changed or left out.
#[derive(Debug)]
pub struct Imported {
    pub framework: Framework,
    /// What was changed or skipped on the way (control characters removed, repeated
    /// identifiers, rows without a label), at most [`clean::SHOWN`] of each kind.
    pub warnings: Vec<Problem>,
}

/// Parse JSON input, or a problem located where it stops being JSON (`hint` says what to give).
fn parse_json(bytes: &[u8], file: &str, hint: &str) -> Result<serde_json::Value, Problems> {
    serde_json::from_slice(bytes).map_err(|e| {
        let p = Problem::error(file, format!("this is not valid JSON: {e}")).hint(hint);
        if e.line() > 0 {
            p.at(e.line(), e.column().max(1)).into()
        } else {
            p.into()
        }
    })
}

/// The first character of `s` that imported text may not hold: a control character other than
/// tab and line breaks (ESC would reach a designer's terminal), or a bidirectional mark,
/// embedding, override or isolate (it can make text read differently from what it is).
pub fn hostile_char(s: &str) -> Option<char> {
    s.chars()
        .find(|&c| crate::problem::is_hidden(c) && !matches!(c, '\t' | '\n' | '\r'))
}

/// `bytes` without the UTF-8 of the [`crate::problem::is_removable`] characters (zero-width
/// space, word joiner, zero-width no-break space, soft hyphen): invisible, meaningless in
/// competency text, and found in real files (ESCO's skills file holds zero-width spaces). What
/// is left is then checked with [`hostile_char`].
pub fn without_removable(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    const SEQS: [&[u8]; 4] = [
        b"\xE2\x80\x8B",
        b"\xE2\x81\xA0",
        b"\xEF\xBB\xBF",
        b"\xC2\xAD",
    ];
    // Where each one starts (they never overlap: each is a whole UTF-8 sequence).
    let mut cuts: Vec<(usize, usize)> = SEQS
        .iter()
        .flat_map(|s| memchr::memmem::find_iter(bytes, s).map(|i| (i, s.len())))
        .collect();
    if cuts.is_empty() {
        return std::borrow::Cow::Borrowed(bytes);
    }
    cuts.sort_unstable();
    let mut out = Vec::with_capacity(bytes.len());
    let mut from = 0;
    for (at, len) in cuts {
        out.extend_from_slice(&bytes[from..at]);
        from = at + len;
    }
    out.extend_from_slice(&bytes[from..]);
    std::borrow::Cow::Owned(out)
}

/// Is `id` usable as a framework id: an identifier within [`crate::limits::ID`] characters?
fn valid_id(id: &str) -> bool {
    crate::model::is_identifier(id)
        && crate::model::validate::limits::over(id, crate::limits::ID).is_none()
}

/// The framework id: `given` when it is valid (else a problem), else `title` made an
/// identifier, else `fallback`.
fn framework_id(
    given: Option<&str>,
    title: &str,
    fallback: &str,
    file: &str,
) -> Result<String, Problems> {
    match given {
        Some(i) if valid_id(i) => Ok(i.to_string()),
        Some(i) => Err(
            Problem::error(file, format!("`{i}` is not a valid framework id"))
                .hint(ID_HINT)
                .into(),
        ),
        None => Ok(to_identifier(&title.to_lowercase()).unwrap_or_else(|| fallback.into())),
    }
}

const ID_HINT: &str = "ids start with a letter or digit, use only letters, digits, `.`, `_` and \
`-`, and are at most 100 characters long";

/// Largest file an importer reads (ESCO's skills file is about 9 MB).
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

/// The sentence appended to an imported framework's description about the scale.
pub const GENERIC_SCALE_NOTE: &str = "The source has no proficiency scale: microcred gives it a \
generic four-level scale (1 Foundational, 2 Intermediate, 3 Advanced, 4 Expert).";

/// Turn free text into an identifier: runs of characters outside `[A-Za-z0-9._-]` become `-`,
/// and it is cut to [`crate::limits::ID`] characters; `None` if nothing usable is left.
pub fn to_identifier(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in s.trim().chars() {
        if out.len() >= crate::limits::ID {
            break;
        }
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .trim_end_matches('-')
        .to_string();
    crate::model::is_identifier(&out).then_some(out)
}

/// Check an imported framework with the same rules as `microcred validate`.
pub fn check(fw: &Framework, file: &str) -> Result<(), Problems> {
    let findings = crate::model::validate::framework(fw);
    let errors: Vec<Problem> = findings
        .into_iter()
        .filter(|f| !f.warning)
        .map(|f| {
            let mut p = Problem::error(
                file,
                format!(
                    "the imported framework would be invalid at {}: {}",
                    f.path, f.message
                ),
            );
            p.hint = Some("please report this input file; the importer should handle it".into());
            p
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Problems(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_from_text() {
        assert_eq!(
            to_identifier("ACT Math 1.2").as_deref(),
            Some("ACT-Math-1.2")
        );
        assert_eq!(to_identifier("  --x y--").as_deref(), Some("x-y"));
        assert_eq!(to_identifier("***"), None);
        assert_eq!(to_identifier("élan vital").as_deref(), Some("lan-vital"));
        let long = to_identifier(&"a b ".repeat(100)).unwrap_or_default();
        assert!(
            long.len() <= crate::limits::ID && !long.ends_with('-'),
            "{long}"
        );
    }
}
