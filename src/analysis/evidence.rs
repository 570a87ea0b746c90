//! Extraction of competencies from job postings: a posting is split into sentences and
//! bullets, each is ranked with the [`Suggester`], and the competencies scoring at least the
//! threshold are kept with the sentences that mention them (the quotes a partner reads).
//! Pure and deterministic: the same text and index give the same mentions, in order of
//! reference. [`prepare`] turns postings read from files ([`RawPosting`], read by
//! `store::postings`) into [`Posting`]s to store: ids, hashes, titles and what extraction finds.

use std::collections::{BTreeMap, HashSet};

use super::suggest::Suggester;
pub use crate::model::RawPosting;
use crate::model::{Mention, Posting, Workspace};

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
    for (line, heading) in joined_lines(text).into_iter().skip(1) {
        if heading {
            continue;
        }
        let line = line.as_str();
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

/// The posting's lines that hold text, cleaned by [`clean_line`] (with whether each is a
/// heading), a hard line break inside a sentence undone: a line that starts with a lowercase
/// letter, is no list item or heading and follows a line of the same paragraph (not the title)
/// that does not end a sentence continues it, joined with a space.
fn joined_lines(text: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    // Whether the last raw line was blank (a paragraph ends there), and whether its end was
    // kept whole by the cleaning (a line cut at its end is not continued).
    let mut after_blank = true;
    let mut end_kept = false;
    for raw in text.lines() {
        let (line, heading) = clean_line(raw);
        if line.is_empty() {
            after_blank = true;
            continue;
        }
        let item = line.len() != raw.trim().len() && !heading;
        let continues = !after_blank
            && end_kept
            && !heading
            && !item
            && out.len() > 1
            && line.starts_with(|c: char| c.is_lowercase())
            && out
                .last()
                .is_some_and(|(prev, h)| !h && !prev.ends_with(['.', '!', '?', ';', ':']));
        match out.last_mut() {
            Some((prev, _)) if continues => {
                prev.push(' ');
                prev.push_str(line);
            }
            _ => out.push((line.to_string(), heading)),
        }
        after_blank = false;
        end_kept = raw.trim().ends_with(line);
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
        for s in suggester.suggest_literal(&sentence, "", PER_SENTENCE) {
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

/// What the user said about a set of postings; each given value is used for every posting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingMeta {
    /// The partner they came from (a partner id of the workspace).
    pub partner: Option<String>,
    /// Where they came from (else each posting's file name, with the CSV row).
    pub source: Option<String>,
    /// When they were posted, `YYYY-MM-DD` (else today).
    pub date: Option<String>,
}

/// Postings ready to store, and those left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prepared {
    /// New postings, in the order read, with ids not used in the workspace.
    pub postings: Vec<Posting>,
    /// Where each of `postings` was read from (its file, with the CSV row), even when
    /// [`PostingMeta::source`] gave the stored `source`; one per posting, in the same order.
    pub read_from: Vec<String>,
    /// Where each posting left out was read from: its text is in the workspace already, or
    /// came earlier in the same input.
    pub skipped: Vec<String>,
}

/// Turn postings read from files into [`Posting`]s for `ws`: a posting whose text (by SHA-256)
/// is in the workspace already, or came earlier in `raws`, is skipped; the others get the next
/// free ids (`P1`, `P2`, … after the number of postings, skipping ids in use), their title (the
/// file's, else the text's first line, else the source; at most [`crate::limits::NAME`]
/// characters), source, date (`meta`'s, else `today`) and partner, and what
/// [`extract`] finds. `progress(done, total)` is called after each posting of `raws`, skipped
/// ones included. Pure and deterministic; prints nothing.
pub fn prepare(
    ws: &Workspace,
    raws: Vec<RawPosting>,
    suggester: &Suggester,
    meta: &PostingMeta,
    today: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Prepared {
    let mut seen: HashSet<String> = ws.postings.iter().map(|p| p.sha256.clone()).collect();
    let mut used: HashSet<String> = ws.postings.iter().map(|p| p.id.clone()).collect();
    let mut next = ws.postings.len() + 1;
    let total = raws.len();
    let mut out = Prepared::default();
    for (done, raw) in raws.into_iter().enumerate() {
        let sha256 = crate::store::hex::sha256_hex(raw.text.as_bytes());
        if !seen.insert(sha256.clone()) {
            out.skipped.push(raw.source);
            progress(done + 1, total);
            continue;
        }
        while used.contains(&format!("P{next}")) {
            next += 1;
        }
        let id = format!("P{next}");
        used.insert(id.clone());
        let mentions = extract(suggester, &raw.text, THRESHOLD);
        let title = raw
            .title
            .or_else(|| title_of(&raw.text))
            .unwrap_or_else(|| raw.source.clone());
        let title: String = title.chars().take(crate::limits::NAME).collect();
        out.postings.push(Posting {
            id,
            title,
            source: Some(meta.source.clone().unwrap_or_else(|| raw.source.clone())),
            date: Some(meta.date.clone().unwrap_or_else(|| today.to_string())),
            partner: meta.partner.clone(),
            sha256,
            text: raw.text,
            mentions,
        });
        out.read_from.push(raw.source);
        progress(done + 1, total);
    }
    out
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

    #[test]
    fn a_hard_line_break_inside_a_sentence_does_not_split_it() {
        let s = sentences(
            "Heat Pump Installer\nYou will install and commission heat pumps in\ncold-climate homes. Safety first.\n- Work at heights\nsafely and calmly\n\nlower case after a blank line starts anew\n",
        );
        assert_eq!(
            s,
            vec![
                "You will install and commission heat pumps in cold-climate homes.",
                "Work at heights safely and calmly",
                "lower case after a blank line starts anew",
            ]
        );
    }

    mod prepare {
        use super::super::*;
        use crate::model::{Competency, Posting, Workspace};

        fn suggester() -> Suggester {
            let comp = |id: &str, name: &str, description: &str| Competency {
                id: id.into(),
                name: name.into(),
                description: description.into(),
                category: None,
                kind: None,
                keywords: vec![],
                parent: None,
                uri: None,
                levels: Default::default(),
                ..Default::default()
            };
            Suggester::new(&crate::analysis::search::tests::catalog(vec![
                comp(
                    "PUMP",
                    "Install heat pumps",
                    "Install and commission heat pumps.",
                ),
                comp("SEAL", "Seal air leaks", "Air sealing of attics and walls."),
            ]))
        }

        fn raw(source: &str, text: &str) -> RawPosting {
            RawPosting {
                source: source.into(),
                title: None,
                text: text.into(),
            }
        }

        fn stored(id: &str, text: &str) -> Posting {
            Posting {
                id: id.into(),
                title: "T".into(),
                source: None,
                date: None,
                partner: None,
                sha256: crate::store::hex::sha256_hex(text.as_bytes()),
                text: text.into(),
                mentions: vec![],
            }
        }

        fn run(
            ws: &Workspace,
            raws: Vec<RawPosting>,
            meta: &PostingMeta,
        ) -> (Prepared, Vec<(usize, usize)>) {
            let mut calls = Vec::new();
            let p = prepare(ws, raws, &suggester(), meta, "2026-11-30", &mut |d, t| {
                calls.push((d, t))
            });
            (p, calls)
        }

        const A: &str = "Installer\nInstall and commission heat pumps in homes.";
        const B: &str = "Sealer\nSeal the attic and the walls against air leaks.";
        const C: &str = "Helper\nCarry tools to the van every morning.";

        #[test]
        fn known_and_repeated_texts_are_skipped_and_progress_counts_every_posting() {
            let ws = Workspace {
                postings: vec![stored("P1", A)],
                ..Workspace::default()
            };
            let raws = vec![
                raw("a.txt", A),
                raw("b.txt", B),
                raw("b2.txt", B),
                raw("c.txt", C),
            ];
            let (p, calls) = run(&ws, raws, &PostingMeta::default());
            let ids: Vec<&str> = p.postings.iter().map(|p| p.id.as_str()).collect();
            assert_eq!(ids, ["P2", "P3"]);
            assert_eq!(p.read_from, ["b.txt", "c.txt"]);
            assert_eq!(p.skipped, ["a.txt", "b2.txt"]);
            assert_eq!(calls, [(1, 4), (2, 4), (3, 4), (4, 4)]);
            let b = &p.postings[0];
            assert_eq!(b.title, "Sealer");
            assert_eq!(b.source.as_deref(), Some("b.txt"));
            assert_eq!(b.date.as_deref(), Some("2026-11-30"));
            assert_eq!(b.partner, None);
            assert_eq!(b.sha256, crate::store::hex::sha256_hex(B.as_bytes()));
            assert_eq!(b.mentions, extract(&suggester(), B, THRESHOLD));
        }

        #[test]
        fn ids_in_use_are_skipped() {
            let ws = Workspace {
                postings: vec![stored("P3", "x"), stored("P7", "y")],
                ..Workspace::default()
            };
            let (p, _) = run(
                &ws,
                vec![raw("a", A), raw("b", B), raw("c", C)],
                &PostingMeta::default(),
            );
            let ids: Vec<&str> = p.postings.iter().map(|p| p.id.as_str()).collect();
            // Counting on from the number of postings (2), past P3 which is taken.
            assert_eq!(ids, ["P4", "P5", "P6"]);
            let (p, _) = run(
                &Workspace::default(),
                vec![raw("a", A)],
                &PostingMeta::default(),
            );
            assert_eq!(p.postings[0].id, "P1");
        }

        #[test]
        fn meta_titles_and_limits() {
            let meta = PostingMeta {
                partner: Some("coastline-energy".into()),
                source: Some("Job board".into()),
                date: Some("2026-01-02".into()),
            };
            let long = "W".repeat(crate::limits::NAME + 50);
            let raws = vec![
                RawPosting {
                    title: Some("From the CSV".into()),
                    ..raw("jobs.csv line 2", A)
                },
                raw("stars.md", "***\n\nInstall heat pumps in homes."),
                raw("long.txt", &format!("{long}\nbody")),
            ];
            let (p, _) = run(&Workspace::default(), raws, &meta);
            let titles: Vec<&str> = p.postings.iter().map(|p| p.title.as_str()).collect();
            assert_eq!(
                titles[..2],
                ["From the CSV", "Install heat pumps in homes."]
            );
            assert_eq!(titles[2].chars().count(), crate::limits::NAME);
            for x in &p.postings {
                assert_eq!(x.source.as_deref(), Some("Job board"));
                assert_eq!(x.date.as_deref(), Some("2026-01-02"));
                assert_eq!(x.partner.as_deref(), Some("coastline-energy"));
            }
            assert_eq!(p.read_from, ["jobs.csv line 2", "stars.md", "long.txt"]);
            // A text with no words for a title is named by its source.
            let (p, _) = run(&Workspace::default(), vec![raw("x.txt", "***")], &meta);
            assert_eq!(p.postings[0].title, "x.txt");
        }

        #[test]
        fn the_same_input_prepares_the_same_postings() {
            let ws = Workspace {
                postings: vec![stored("P1", C)],
                ..Workspace::default()
            };
            let raws = || vec![raw("a", A), raw("b", B), raw("c", C)];
            let (first, _) = run(&ws, raws(), &PostingMeta::default());
            let (second, _) = run(&ws, raws(), &PostingMeta::default());
            assert_eq!(first, second);
            assert_eq!(first.postings.len(), 2);
        }
    }
}
