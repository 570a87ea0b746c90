//! Liberal reading of other people's files: the control characters and bidirectional marks a
//! real package carries (a U+0098 in a note, form feeds in a statement) are removed or replaced
//! instead of refusing the file, and every change is reported as a warning.

use crate::problem::Problem;

/// How many warnings of one kind are shown one by one; the rest are counted.
pub const SHOWN: usize = 10;

/// The characters [`clean`] turns into a space: page break, vertical tab, next line.
pub const BECOMES_SPACE: [char; 3] = ['\u{0B}', '\u{0C}', '\u{85}'];

/// `s` without the characters [`super::hostile_char`] finds: a page break, vertical tab or
/// next-line character becomes a space (it separated words; never two spaces in a row), any
/// other is removed. Returns the
/// cleaned text and the distinct characters that were changed, in order of appearance.
///
/// Windows and old Mac line ends (`\r\n`, `\r`) become `\n` first, without being reported:
/// they end lines, as in the statements of Smarter Balanced's CASE packages, and a framework's
/// text holds `\n` only.
pub fn clean(s: &str) -> (String, Vec<char>) {
    let lines;
    let s = if s.contains('\r') {
        lines = s.replace("\r\n", "\n").replace('\r', "\n");
        lines.as_str()
    } else {
        s
    };
    if super::hostile_char(s).is_none() {
        return (s.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(s.len());
    let mut found = Vec::new();
    for c in s.chars() {
        if crate::problem::is_hidden(c) && !matches!(c, '\t' | '\n' | '\r') {
            if !found.contains(&c) {
                found.push(c);
            }
            if BECOMES_SPACE.contains(&c) && !out.ends_with(char::is_whitespace) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    (out, found)
}

/// `U+0098, U+000C`.
pub fn code_points(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("U+{:04X}", u32::from(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Warnings of one kind, the first [`SHOWN`] kept and the rest counted.
#[derive(Debug, Default)]
pub struct Capped {
    shown: Vec<Problem>,
    more: usize,
}

impl Capped {
    /// Record one warning.
    pub fn push(&mut self, p: Problem) {
        if self.shown.len() < SHOWN {
            self.shown.push(p);
        } else {
            self.more += 1;
        }
    }
    /// The kept warnings, then one that counts the others (`what` names them, e.g. "items
    /// with control characters").
    pub fn finish(self, file: &str, what: &str, out: &mut Vec<Problem>) {
        out.extend(self.shown);
        if self.more > 0 {
            out.push(Problem::warning(
                file,
                format!("and {} more {what}", self.more),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_breaks_become_spaces_and_other_controls_go() {
        let (s, found) = clean("one\u{0C}two\u{98} three\u{202E}\tfour\n");
        assert_eq!(s, "one two three\tfour\n");
        assert_eq!(clean("a\u{0C}\u{0C}b \u{0C}c").0, "a b c");
        assert_eq!(found, vec!['\u{0C}', '\u{98}', '\u{202E}']);
        assert_eq!(code_points(&found), "U+000C, U+0098, U+202E");
        assert_eq!(clean("plain").1, Vec::<char>::new());
        assert_eq!(
            clean("one\r\ntwo\rthree\u{0C}"),
            ("one\ntwo\nthree ".to_string(), vec!['\u{0C}'])
        );
        assert_eq!(clean("a\r\nb"), ("a\nb".to_string(), Vec::new()));
    }

    #[test]
    fn warnings_after_the_tenth_are_counted() {
        let mut c = Capped::default();
        for i in 0..13 {
            c.push(Problem::warning("f", format!("w{i}")));
        }
        let mut out = Vec::new();
        c.finish("f", "items", &mut out);
        assert_eq!(out.len(), 11);
        assert_eq!(out[10].message, "and 3 more items");
    }
}
