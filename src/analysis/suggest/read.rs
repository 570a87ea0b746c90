//! Reading text into query terms: stop words, stems, aliases, agent nouns, typos.

use super::phrases::{self, Token, words};
use super::spelling;
use super::{Read, Suggester};
use crate::text::distance::bounded_distance;

pub(super) const STOP: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "do",
    "does",
    "doing",
    "during",
    "each",
    "either",
    "etc",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "may",
    "more",
    "most",
    "must",
    "no",
    "nor",
    "not",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "use",
    "used",
    "using",
    "very",
    "was",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "would",
    "you",
    "your",
];

impl Suggester {
    pub(super) fn stem(&self, w: &str) -> Option<String> {
        if STOP.contains(&w) {
            return None;
        }
        Some(self.stem_word(w))
    }

    /// The stem of `w` (lower case), read in its one spelling first when
    /// [`super::Params::spelling`] is set.
    pub(super) fn stem_word(&self, w: &str) -> String {
        if self.params.spelling {
            let c = spelling::shipped().canonical(w);
            self.stemmer.stem(&c).into_owned()
        } else {
            self.stemmer.stem(w).into_owned()
        }
    }

    pub(super) fn stems_interning(&mut self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for w in words(text) {
            let Some(st) = self.stem(&w) else { continue };
            let next = self.t.terms.len() as u32;
            let id = *self.vocab.entry(st.clone()).or_insert(next);
            if id == next {
                self.t.terms.push(st);
            }
            out.push(id);
        }
        out
    }

    /// Read query text: aliases (shipped, and `taught` by the design) replaced, general words
    /// and phrases dropped, each term weighted by its specificity; typos corrected when
    /// `correct` and the text is short.
    /// `literal` reads every word as it is (no list, no specificity), as before issue 29.
    pub(super) fn read(&self, text: &str, correct: bool, literal: bool) -> Read {
        let p = &self.params;
        let lists = phrases::shipped();
        let tokens = if literal {
            words(text).map(Token::Word).collect()
        } else {
            lists.tokens(text, &[])
        };
        let general = p.general && !literal;
        let skip = |w: &str| STOP.contains(&w) || (general && lists.is_general(w));
        let content = tokens
            .iter()
            .filter(|t| !matches!(t, Token::Word(w) if skip(w)))
            .count();
        let correct = correct && (literal || p.typo_max_words == 0 || content <= p.typo_max_words);
        let mut r = Read::default();
        for tok in tokens {
            match tok {
                Token::Word(w) => {
                    if skip(&w) {
                        continue;
                    }
                    let st = self.stem_word(&w);
                    let found = match self.vocab.get(&st) {
                        Some(&t) => Some((t, 1.0)),
                        None if !correct => None,
                        None => self
                            .nearest(&st)
                            .or_else(|| self.nearest(&w))
                            .map(|t| (t, p.typo_weight)),
                    };
                    match found {
                        Some((t, w0)) => {
                            let spec = if literal { 1.0 } else { self.spec[t as usize] };
                            r.run.push(Some((t, w0 * spec)));
                            r.shown.push((t, w));
                        }
                        None => r.run.push(None),
                    }
                }
                Token::Alias { said, means } => {
                    if p.alias_weight <= 0.0 {
                        continue;
                    }
                    let label = format!("{said} ({})", means.join(" "));
                    let before = r.run.len();
                    for m in &means {
                        let Some(st) = self.stem(m) else { continue };
                        if let Some(&t) = self.vocab.get(&st) {
                            r.run.push(Some((t, p.alias_weight)));
                            r.shown.push((t, label.clone()));
                        }
                    }
                    if r.run.len() == before {
                        r.run.push(None);
                    }
                }
            }
        }
        r
    }

    /// For each agent noun in `text` ("sellers", "supervisor", "plumber"), the vocabulary term
    /// of the activity behind it ("sell", "supervise", "plumbing"), at `agent_weight`.
    pub(super) fn agent_terms(&self, text: &str, literal: bool) -> Vec<(u32, f32)> {
        let w = self.params.agent_weight;
        if w <= 0.0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        let lists = phrases::shipped();
        for word in words(text) {
            if self.params.general && !literal && lists.is_general(&word) {
                continue;
            }
            let Some(st) = self.stem(&word) else { continue };
            let found = self.activity_of(&st);
            if !found.is_empty() {
                if let Some(&own) = self.vocab.get(&st) {
                    out.push((own, self.params.agent_own - 1.0));
                }
            }
            for t in found {
                out.push((t, w));
            }
        }
        out
    }

    /// The vocabulary terms for the activity behind the agent-noun stem `st`, if any.
    pub(super) fn activity_of(&self, st: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let Some(base) = ["er", "or", "ist", "ian", "ant"]
            .iter()
            .find_map(|suf| st.strip_suffix(suf))
            .filter(|b| b.chars().count() >= 3)
        else {
            return out;
        };
        let own = self.vocab.get(st).copied();
        for cand in [base.to_string(), format!("{base}e"), format!("{base}y")] {
            let stem = self.stem_word(&cand);
            if let Some(&t) = self.vocab.get(&stem) {
                if Some(t) != own && !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The vocabulary term nearest to `w` within the typo tolerance, if any.
    pub(super) fn nearest(&self, w: &str) -> Option<u32> {
        let len = w.chars().count();
        if len < 4 {
            return None;
        }
        let max = if len >= 8 { 2 } else { 1 };
        let wc: Vec<char> = w.chars().collect();
        let mut best: Option<(usize, std::cmp::Reverse<usize>, u32)> = None;
        let mut rows = Vec::new();
        let mut tc: Vec<char> = Vec::new();
        for (t, term) in self.t.terms.iter().enumerate() {
            // Byte length bounds char length from above; a cheap first cut.
            if term.len() + max < len {
                continue;
            }
            tc.clear();
            tc.extend(term.chars());
            if tc.len().abs_diff(len) > max {
                continue;
            }
            if let Some(d) = bounded_distance(&wc, &tc, max, &mut rows) {
                let key = (d, std::cmp::Reverse(self.t.postings.get(t).len()), t as u32);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        }
        best.map(|(_, _, t)| t)
    }
}
