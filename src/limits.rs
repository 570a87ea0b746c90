//! The length limits of text fields, in one place: every reader (framework and workspace
//! checks, the ESCO and CASE importers), every form of the editor and the JSON Schemas use
//! these. Lengths are counted in characters (Unicode scalar values). docs/formats.md has the
//! table. The checks of documents against these limits are in `model::validate::limits`.
//!
//! The limits are far above what real frameworks and designs hold (ESCO's longest label is 166
//! characters, its longest description 692) and far below what makes a screen slow to draw.

/// Identifiers: framework, competency, need and partner ids (and references to them).
pub const ID: usize = 100;
/// A competency reference, `FRAMEWORK_ID:COMPETENCY_ID`.
pub const REFERENCE: usize = 2 * ID + 1;
/// Names and labels: names, titles, keywords, categories, publishers, people's names.
pub const NAME: usize = 200;
/// Short values: versions, times, codes, numbers written as text.
pub const SHORT: usize = 100;
/// URIs and citations: `uri`, `source`, `licence`.
pub const URI: usize = 2_000;
/// Prose: descriptions, statements, evidence, outcomes, rationales and the credential's
/// descriptive elements.
pub const TEXT: usize = 5_000;
/// A comment on a mapping.
pub const COMMENT: usize = 2_000;
/// A search query typed or pasted into the finder or the command palette.
pub const QUERY: usize = 200;
/// A file path typed into the save-as form.
pub const PATH: usize = 4_096;

/// The number of characters of `text` when it is over `max`, else `None`. Cheap for text
/// within the limit: bytes are counted first.
pub fn over(text: &str, max: usize) -> Option<usize> {
    if text.len() <= max {
        return None;
    }
    let n = text.chars().count();
    (n > max).then_some(n)
}

/// "the competency name is 2000001 characters long; the limit is 200".
pub fn message(what: &str, len: usize, max: usize) -> String {
    format!("{what} is {len} characters long; the limit is {max}")
}

/// What to do about a value over its limit.
pub const HINT: &str = "shorten it; docs/formats.md lists the limit of every field";

/// The limit of a text field of the editor's forms, by the field's key.
pub fn form_field(key: &str) -> usize {
    match key {
        "id" => ID,
        "path" => PATH,
        "text" => COMMENT,
        "name" | "title" | "awarding_body" | "level.scheme" | "level.value" => NAME,
        "country" | "workload.hours" | "workload.ects" | "max_hours" | "hours" => SHORT,
        _ => TEXT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_counts_characters_not_bytes() {
        assert_eq!(over("abc", 3), None);
        assert_eq!(over("abcd", 3), Some(4));
        assert_eq!(over("ééé", 3), None, "6 bytes, 3 characters");
        assert_eq!(over(&"é".repeat(4), 3), Some(4));
    }

    #[test]
    fn form_fields_are_no_longer_than_the_document_fields() {
        assert_eq!(form_field("id"), ID);
        assert_eq!(form_field("statement"), TEXT);
        assert_eq!(form_field("text"), COMMENT);
        assert_eq!(form_field("title"), NAME);
    }
}
