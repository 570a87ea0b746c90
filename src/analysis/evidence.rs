//! Extraction of competencies from job postings: a posting is split into sentences and
//! bullets, each is ranked with the [`Suggester`], and the competencies scoring at least the
//! threshold are kept with the sentences that mention them (the quotes a partner reads).
//! Pure and deterministic: the same text and index give the same mentions, in order of
//! reference.

use std::collections::BTreeMap;

use super::suggest::Suggester;
use crate::model::Mention;

/// The score a sentence's suggestion needs to count as a mention, calibrated on the odd-numbered
/// half of the hand-tagged postings in `tests/evidence/` (`cargo run --release --example
/// evidence_eval`; README, Performance).
pub const THRESHOLD: f64 = 3.5;
/// How many competencies one sentence may mention at most (the best ones).
pub const PER_SENTENCE: usize = 2;
/// Sentences with fewer words are not ranked (headings such as "Responsibilities:").
const MIN_WORDS: usize = 3;

/// The title of a posting: its first line that holds text, without Markdown heading marks or
/// emphasis, on one line.
pub fn title_of(text: &str) -> Option<String> {
    text.lines()
        .map(|l| clean_line(l).0)
        .find(|l| !l.is_empty())
        .map(|s| s.to_string())
}

/// A line without its Markdown or list marks (`#`, `-`, `*`, `•`, `1.`), trimmed, and whether
/// it was a heading.
fn clean_line(line: &str) -> (&str, bool) {
    let t = line.trim();
    let heading = t.starts_with('#');
    let t = t.trim_start_matches('#').trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("• "))
        .or_else(|| t.strip_prefix("+ "))
        .unwrap_or(t);
    // A numbered item: digits then `.` or `)` then a space.
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let t = if digits > 0 && digits < 4 {
        let rest = &t[digits..];
        rest.strip_prefix(". ")
            .or_else(|| rest.strip_prefix(") "))
            .unwrap_or(t)
    } else {
        t
    };
    (
        t.trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_'),
        heading,
    )
}

/// The sentences and bullets of a posting's body (its first line, the title, left out), in
/// order. A line is split after `.`, `!`, `?` or `;` followed by a space.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines().map(clean_line).filter(|(l, _)| !l.is_empty());
    let _title = lines.next();
    for (line, heading) in lines {
        if heading {
            continue;
        }
        let mut start = 0;
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let end = matches!(b, b'.' | b'!' | b'?' | b';')
                && bytes.get(i + 1).is_some_and(|n| *n == b' ');
            if end {
                push_sentence(&mut out, &line[start..=i]);
                start = i + 1;
            }
        }
        push_sentence(&mut out, &line[start..]);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if s.split_whitespace().count() < MIN_WORDS {
        return;
    }
    // A quote must fit a text field: a "sentence" without full stops is cut.
    match s.char_indices().nth(crate::limits::TEXT) {
        Some((end, _)) => out.push(s[..end].to_string()),
        None => out.push(s.to_string()),
    }
}

/// The competencies `text` mentions: each sentence's best [`PER_SENTENCE`] suggestions scoring
/// at least `threshold`, with the sentences (quotes) and the best score, in order of reference.
pub fn extract(suggester: &Suggester, text: &str, threshold: f64) -> Vec<Mention> {
    let mut found: BTreeMap<&str, (f64, Vec<String>)> = BTreeMap::new();
    for sentence in sentences(text) {
        for s in suggester.suggest(&sentence, "", PER_SENTENCE) {
            if s.score < threshold {
                continue;
            }
            let reference = suggester.items()[s.item].reference.as_str();
            let e = found.entry(reference).or_insert((0.0, Vec::new()));
            e.0 = e.0.max(s.score);
            if e.1.last() != Some(&sentence) {
                e.1.push(sentence.clone());
            }
        }
    }
    found
        .into_iter()
        .map(|(r, (score, quotes))| Mention {
            competency: r.to_string(),
            score: (score * 10_000.0).round() / 10_000.0,
            quotes,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_the_first_line_without_marks() {
        assert_eq!(
            title_of("\n\n# **Heat Pump Installer**\nbody").as_deref(),
            Some("Heat Pump Installer")
        );
        assert_eq!(title_of("  \n \n"), None);
    }

    #[test]
    fn sentences_split_bullets_and_full_stops() {
        let s = sentences(
            "Title\n## Duties\n- Install heat pumps. Then test them!\n2. Seal the attic and walls\nOk\n",
        );
        assert_eq!(
            s,
            vec![
                "Install heat pumps.",
                "Then test them!",
                "Seal the attic and walls"
            ]
        );
    }
}
