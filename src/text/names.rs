//! Things of a design as people read them in messages, the activity feed, notices, commit
//! messages and reports: a competency by its name and short reference
//! (`Install heat pumps (esco:6575ae00…)`), a partner by its organisation's name, a need by its
//! id and the start of its statement (`N13 "Wire the outdoor unit…"`). What is named comes
//! from a [`Names`] lookup; with none known, the id stands alone.

/// Most columns of a need's statement quoted after its id, `…` included.
pub const STATEMENT: usize = 28;

/// Longest competency id (after `framework:`) shown whole; longer ones (ESCO's UUIDs) are cut
/// to their first [`ID_KEPT`] characters and `…`.
pub const ID_WHOLE: usize = 12;
/// Characters of a long competency id kept.
pub const ID_KEPT: usize = 8;

/// Names by id, looked up (never scanned) by whoever knows the document and the frameworks.
pub trait Names {
    /// A need's statement.
    fn need(&self, id: &str) -> Option<&str>;
    /// A partner organisation's name.
    fn partner(&self, id: &str) -> Option<&str>;
    /// A competency's name, by its `framework:id` reference.
    fn competency(&self, reference: &str) -> Option<&str>;
}

/// A person's name as someone gave it (a setting, git, a local client), made safe to show
/// and store: control characters dropped, at most `max` characters (the callers' name limit),
/// trimmed; `None` when nothing is left.
pub fn person_name(given: &str, max: usize) -> Option<String> {
    let s: String = given
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// No names known: every id stands alone.
pub struct Unnamed;

impl Names for Unnamed {
    fn need(&self, _: &str) -> Option<&str> {
        None
    }
    fn partner(&self, _: &str) -> Option<&str> {
        None
    }
    fn competency(&self, _: &str) -> Option<&str> {
        None
    }
}

/// A competency reference as people read it: `Name (framework:id)`, a long id cut to its first
/// [`ID_KEPT`] characters and `…`; the reference alone when `name` is unknown or empty.
pub fn competency(reference: &str, name: Option<&str>) -> String {
    match name {
        Some(n) if !n.is_empty() => {
            let short = match reference.split_once(':') {
                Some((fw, id)) if id.chars().count() > ID_WHOLE => {
                    format!("{fw}:{}…", id.chars().take(ID_KEPT).collect::<String>())
                }
                _ => reference.to_string(),
            };
            format!("{n} ({short})")
        }
        _ => reference.to_string(),
    }
}

/// A partner as people read it: the organisation's name, else its id.
pub fn partner<'a>(id: &'a str, name: Option<&'a str>) -> &'a str {
    name.filter(|n| !n.trim().is_empty()).unwrap_or(id)
}

/// A need as people read it: its id and the start of its statement in quotes, on one line, cut
/// at a word's end with `…` to at most [`STATEMENT`] columns (`N13 "Wire the outdoor unit…"`);
/// the id alone when the statement is unknown or empty.
pub fn need(id: &str, statement: Option<&str>) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let flat = statement
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    if flat.is_empty() {
        return id.to_string();
    }
    if flat.width() <= STATEMENT {
        return format!("{id} \"{flat}\"");
    }
    // The characters that fit beside the `…` (a wide character takes two columns)…
    let mut cols = 0;
    let mut end = 0;
    for (i, c) in flat.char_indices() {
        cols += c.width().unwrap_or(0);
        if cols > STATEMENT - 1 {
            break;
        }
        end = i + c.len_utf8();
    }
    // …cut at a word's end where one is near (the next character is a space, or one is in the
    // second half), else inside the word.
    let fits = &flat[..end];
    let at = if flat[end..].starts_with(' ') {
        end
    } else {
        match fits.rfind(' ') {
            Some(i) if fits[..i].width() > STATEMENT / 2 => i,
            _ => end,
        }
    };
    format!("{id} \"{}…\"", flat[..at].trim_end())
}

/// [`competency`] with the name looked up in `names`.
pub fn competency_in(names: &dyn Names, reference: &str) -> String {
    competency(reference, names.competency(reference))
}

/// [`partner`] with the name looked up in `names`.
pub fn partner_in<'a>(names: &'a dyn Names, id: &'a str) -> &'a str {
    partner(id, names.partner(id))
}

/// [`need`] with the statement looked up in `names`.
pub fn need_in(names: &dyn Names, id: &str) -> String {
    need(id, names.need(id))
}

/// A mapping as people read it: `N13 "Wire the outdoor…" → Install heat pumps (esco:6575ae00…)`.
pub fn mapping_in(names: &dyn Names, need: &str, reference: &str) -> String {
    format!(
        "{} → {}",
        need_in(names, need),
        competency_in(names, reference)
    )
}

/// One need, one partner and one competency, each `(id, name)`: names for tests.
#[cfg(test)]
pub(crate) struct One<'a> {
    pub need: (&'a str, &'a str),
    pub partner: (&'a str, &'a str),
    pub competency: (&'a str, &'a str),
}

#[cfg(test)]
impl Names for One<'_> {
    fn need(&self, id: &str) -> Option<&str> {
        (id == self.need.0).then_some(self.need.1)
    }
    fn partner(&self, id: &str) -> Option<&str> {
        (id == self.partner.0).then_some(self.partner.1)
    }
    fn competency(&self, reference: &str) -> Option<&str> {
        (reference == self.competency.0).then_some(self.competency.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOME3: One = One {
        need: (
            "N13",
            "Wire the outdoor unit to its own\nbreaker, as the code asks",
        ),
        partner: ("nw", "Northwind Mechanical"),
        competency: (
            "esco:6575ae00-9a52-4fb4-8e6a-0123456789ab",
            "Install heat pumps",
        ),
    };

    #[test]
    fn names_come_with_their_short_ids() {
        let esco = "esco:6575ae00-9a52-4fb4-8e6a-0123456789ab";
        assert_eq!(
            mapping_in(&SOME3, "N13", esco),
            "N13 \"Wire the outdoor unit to…\" → Install heat pumps (esco:6575ae00…)"
        );
        assert_eq!(partner_in(&SOME3, "nw"), "Northwind Mechanical");
        // Unknown: the id stands alone, whole.
        assert_eq!(mapping_in(&Unnamed, "N1", esco), format!("N1 → {esco}"));
        assert_eq!(partner_in(&Unnamed, "nw"), "nw");
        assert_eq!(competency("dig:2", Some("Use data")), "Use data (dig:2)");
        assert_eq!(need("N2", Some("  Short  ")), "N2 \"Short\"");
        assert_eq!(need("N2", Some("")), "N2");
        // Wide characters take two columns: 13 of them and the `…`.
        assert_eq!(
            need("N4", Some("ダクトレス式ヒートポンプの据え付けと試運転")),
            "N4 \"ダクトレス式ヒートポンプの…\""
        );
    }
}
