//! Cleaning a CASE package's text: control characters and bidirectional marks removed, with
//! a warning naming each item and the characters.

use serde_json::Value;

use super::item_label;
use super::json_path::{Seg, located};
use crate::problem::Problem;

/// Remove the control characters and bidirectional marks from every text of the package,
/// with one warning per item (or per document, association or rubric list) naming it and the
/// characters; restore a LaTeX `\frac` whose `\f` became a form feed.
pub(super) fn scrub_package(
    bytes: &[u8],
    file: &str,
    root: &mut Value,
    out: &mut crate::import::clean::Capped,
) {
    let Some(o) = root.as_object_mut() else {
        return;
    };
    for (key, v) in o.iter_mut() {
        match (key.as_str(), v) {
            ("CFItems", Value::Array(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let mut found = Vec::new();
                    scrub(item, "", &mut found);
                    if found.is_empty() {
                        continue;
                    }
                    let what = describe(&found);
                    let p = Problem::warning(
                        file,
                        format!(
                            "`CFItems[{i}]` ({}, identifier `{}`): {what}",
                            item_label(item),
                            item.get("identifier")
                                .and_then(Value::as_str)
                                .unwrap_or("?"),
                        ),
                    );
                    out.push(located(bytes, p, &[Seg::Key("CFItems"), Seg::Index(i)]));
                }
            }
            (key, v) => {
                let mut found = Vec::new();
                scrub(v, key, &mut found);
                for entry in found.iter().take(crate::import::clean::SHOWN) {
                    out.push(Problem::warning(
                        file,
                        describe(std::slice::from_ref(entry)),
                    ));
                }
            }
        }
    }
}

/// LaTeX's `\frac{` once its `\f` was read as an escape: a form feed, then `rac{`. Smarter
/// Balanced's packages hold it in fractions (`$\u{0C}rac{1}{2}$`); it is restored, not removed.
const FRAC_READ_AS_FORM_FEED: &str = "\u{0C}rac{";

/// What the cleaning changed, for a warning: the characters removed per field, then the fields
/// whose `\frac` was restored (`found` holds those with no characters).
fn describe(found: &[(String, Vec<char>)]) -> String {
    let removed: Vec<String> = found
        .iter()
        .filter(|(_, c)| !c.is_empty())
        .map(|(k, c)| format!("`{k}` held {}", crate::import::clean::code_points(c)))
        .collect();
    let restored: Vec<String> = found
        .iter()
        .filter(|(_, c)| c.is_empty())
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    let mut parts = Vec::new();
    if !removed.is_empty() {
        parts.push(format!(
            "{}; removed (a page break became a space)",
            removed.join(", ")
        ));
    }
    if !restored.is_empty() {
        parts.push(format!(
            "`\\frac` restored in {} (its backslash and `f` had been read as a form feed)",
            restored.join(", ")
        ));
    }
    parts.join("; ")
}

/// Clean every string inside `v` (whose path is `key`), recording where characters went.
pub(super) fn scrub(v: &mut Value, key: &str, found: &mut Vec<(String, Vec<char>)>) {
    match v {
        Value::String(s) => {
            if s.contains(FRAC_READ_AS_FORM_FEED) {
                *s = s.replace(FRAC_READ_AS_FORM_FEED, "\\frac{");
                found.push((key.to_string(), Vec::new()));
            }
            let (c, chars) = crate::import::clean::clean(s);
            *s = c; // line ends made `\n` even when nothing is reported
            if !chars.is_empty() {
                found.push((key.to_string(), chars));
            }
        }
        Value::Array(a) => {
            for x in a {
                scrub(x, key, found);
            }
        }
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                let path = if key.is_empty() {
                    k.clone()
                } else {
                    format!("{key}.{k}")
                };
                scrub(x, &path, found);
            }
        }
        _ => {}
    }
}
