//! One spelling for words spelt two ways: North American and British forms ("tires" and
//! "tyres", "organize" and "organise", "labeled" and "labelled") are read as one before stemming,
//! in the competencies' text and in a need's alike, so that a partner's spelling meets ESCO's
//! and the built-in frameworks'. The table is shipped data (`data/suggest/spelling.tsv`, written
//! by us); verbs in -ize and -yze are read by rule.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

const SPELLING: &str = include_str!("../../../data/suggest/spelling.tsv");

/// A spelling table: whole words, and prefixes (entries ending in `*`).
#[derive(Debug, Default)]
pub struct Spelling {
    words: HashMap<String, String>,
    prefixes: Vec<(String, String)>,
}

/// The shipped table, parsed once per process.
pub fn shipped() -> &'static Spelling {
    static TABLE: OnceLock<Spelling> = OnceLock::new();
    TABLE.get_or_init(|| Spelling::parse(SPELLING))
}

/// Suffixes of -ize verbs and their derivatives, read as -ise.
const IZE: &[&str] = &[
    "ize", "izes", "ized", "izing", "izer", "izers", "ization", "izations", "izable",
];
/// Suffixes of -yze verbs, read as -yse.
const YZE: &[&str] = &["yze", "yzes", "yzed", "yzing", "yzer", "yzers"];

impl Spelling {
    /// Parse `one<TAB>other` lines (lower case; `#` comments and blank lines skipped). Both
    /// columns ending in `*` make a prefix entry; a malformed line is skipped.
    pub fn parse(text: &str) -> Self {
        let mut s = Spelling::default();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((a, b)) = line.split_once('\t') else {
                continue;
            };
            let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
            match (a.strip_suffix('*'), b.strip_suffix('*')) {
                (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
                    s.prefixes.push((a.to_string(), b.to_string()));
                }
                (None, None) if !a.is_empty() && !b.is_empty() => {
                    s.words.insert(a, b);
                }
                _ => {}
            }
        }
        // Longest prefix first ("discolor" before "color").
        s.prefixes.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
        s
    }

    /// The form `word` (lower case) is read as: itself when it has no other spelling.
    pub fn canonical<'w>(&self, word: &'w str) -> Cow<'w, str> {
        if let Some(c) = self.words.get(word) {
            return Cow::Owned(c.clone());
        }
        let mut out = Cow::Borrowed(word);
        if let Some((a, b)) = self
            .prefixes
            .iter()
            .find(|(a, _)| word.starts_with(a.as_str()))
        {
            out = Cow::Owned(format!("{b}{}", &word[a.len()..]));
        }
        if let Some(c) = by_rule(&out, IZE, "is", |root| !root.ends_with('s'))
            .or_else(|| by_rule(&out, YZE, "ys", |_| true))
        {
            out = Cow::Owned(c);
        }
        out
    }
}

/// `word` with the two letters before one of `suffixes` replaced by `with` (`organizing` →
/// `organising`), when what comes before is a root of three letters or more that `ok` accepts
/// ("size", "prize", "seize" and "resize" keep their z).
fn by_rule(word: &str, suffixes: &[&str], with: &str, ok: impl Fn(&str) -> bool) -> Option<String> {
    suffixes.iter().find_map(|suf| {
        let root = word.strip_suffix(suf)?;
        if root.chars().count() < 3 || !ok(root) {
            return None;
        }
        Some(format!("{root}{with}{}", &suf[2..]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn north_american_spellings_read_as_one_form() {
        let s = shipped();
        let c = |w: &str| s.canonical(w).into_owned();
        assert_eq!(c("tires"), "tyres");
        assert_eq!(c("colored"), "coloured");
        assert_eq!(c("discoloration"), "discolouration");
        assert_eq!(c("labeling"), "labelling");
        assert_eq!(c("organize"), "organise");
        assert_eq!(c("organizations"), "organisations");
        assert_eq!(c("prioritizing"), "prioritising");
        assert_eq!(c("analyzed"), "analysed");
        assert_eq!(c("colorizing"), "colourising");
        assert_eq!(c("practise"), "practice");
        // Words whose z is their own, and words without another spelling, stay.
        for w in [
            "size", "resized", "prize", "seize", "maize", "tyres", "weld", "zone",
        ] {
            assert_eq!(c(w), w);
        }
    }

    #[test]
    fn the_table_parses_words_and_prefixes_and_skips_bad_lines() {
        let s = Spelling::parse("# c\ncolor*\tcolour*\ntire\ttyre\nbad line\nhalf*\tstar\n\n");
        assert_eq!(s.canonical("colorful"), "colourful");
        assert_eq!(s.canonical("tire"), "tyre");
        assert_eq!(s.canonical("tired"), "tired");
        assert_eq!(s.canonical("halfway"), "halfway");
    }
}
