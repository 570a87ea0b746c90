//! Cleaning a CASE package's text: control characters and bidirectional marks removed, with
//! a warning naming each item and the characters.

use serde_json::Value;

use super::item_label;
use super::json_path::{Seg, located};
use crate::problem::Problem;

/// Remove the control characters and bidirectional marks from every text of the package,
/// with one warning per item (or per document, association or rubric list) naming it and the
/// characters.
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
                    let what = found
                        .iter()
                        .map(|(k, c)| {
                            format!("`{k}` held {}", crate::import::clean::code_points(c))
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    let p = Problem::warning(
                        file,
                        format!(
                            "`CFItems[{i}]` ({}, identifier `{}`): {what}; removed (a page break became a space)",
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
                for (k, c) in found.iter().take(crate::import::clean::SHOWN) {
                    let p = Problem::warning(
                        file,
                        format!(
                            "`{k}` held {}; removed",
                            crate::import::clean::code_points(c)
                        ),
                    );
                    out.push(p);
                }
            }
        }
    }
}

/// Clean every string inside `v` (whose path is `key`), recording where characters went.
pub(super) fn scrub(v: &mut Value, key: &str, found: &mut Vec<(String, Vec<char>)>) {
    match v {
        Value::String(s) => {
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
