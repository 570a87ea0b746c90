//! Fuzzy search over every competency's name, keywords and id, across all loaded frameworks.
//!
//! [`SearchIndex`] is built once per catalog. Matching is `fuzzy-matcher`'s `SkimMatcherV2` with
//! smart case (a query with an upper-case letter matches case-sensitively). A competency's score
//! is the best score of its labels; ties go to names, then shorter labels, then catalog order.
//!
//! [`Searcher`] serves a query as it is typed, with two ideas that keep each keystroke cheap at
//! ESCO scale (13,896 names, ~97,000 keywords and ids):
//! - **narrowing**: a query that extends the previous one can only match labels that the
//!   previous one matched, so only those are re-scored; a character-set bitmask skips labels
//!   that lack a character of the query;
//! - **names first, bounded work**: labels are ordered names first, then keywords and ids;
//!   [`Searcher::update`] scores at most [`UPDATE_BUDGET`] labels and returns, and
//!   [`Searcher::refine`] continues between keystrokes (off the input path). When
//!   [`Searcher::complete`] is true the hits equal a full scan.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::model::Catalog;

/// Which field of a competency a label comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Name,
    Keyword,
    Id,
}

/// One searchable competency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item<'a> {
    /// The framework's id.
    pub framework: &'a str,
    /// The competency's id in its framework.
    pub id: &'a str,
    pub name: &'a str,
}

impl Item<'_> {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.framework, self.id)
    }
}

/// A byte range of [`SearchIndex::text`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

/// An indexed competency: its framework (index in [`SearchIndex::frameworks`]), id and name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub(crate) framework: u32,
    pub(crate) id: Span,
    pub(crate) name: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub(crate) text: Span,
    pub(crate) item: u32,
    pub(crate) field: Field,
    pub(crate) mask: u64,
}

/// A ranked search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the competency: see [`SearchIndex::item`].
    pub item: usize,
    pub score: i64,
    /// The field of the best-matching label.
    pub field: Field,
    /// The best-matching label.
    pub label: String,
    /// Character (not byte) positions in `label` that the query matched, for highlighting.
    pub positions: Vec<usize>,
}

/// Every label of every competency of a catalog, ready for fuzzy search.
#[derive(Debug)]
pub struct SearchIndex {
    /// Framework ids, in catalog order.
    pub(crate) frameworks: Vec<String>,
    pub(crate) items: Vec<Entry>,
    /// Names first, then keywords and ids.
    pub(crate) labels: Vec<Label>,
    /// Every label's text, one after another (one allocation instead of one per label).
    pub(crate) text: String,
}

/// A query prepared for the cheap checks that run before the fuzzy matcher.
struct Pre {
    mask: u64,
    /// The query's bytes, ASCII-lower-cased, when the query is ASCII.
    lower: Option<Vec<u8>>,
}

impl Pre {
    fn new(q: &str) -> Self {
        Pre {
            mask: mask_of(q),
            lower: q.is_ascii().then(|| q.to_ascii_lowercase().into_bytes()),
        }
    }

    /// False only when `l` cannot match: a character is missing, or (for an ASCII query) the
    /// query is not a case-insensitive subsequence of the label.
    fn may_match(&self, l: &Label, text: &str) -> bool {
        if l.mask & self.mask != self.mask {
            return false;
        }
        let Some(q) = &self.lower else {
            return true;
        };
        let mut qi = q.iter().peekable();
        for b in text.bytes() {
            match qi.peek() {
                Some(&&c) if c == b.to_ascii_lowercase() => {
                    qi.next();
                }
                Some(_) => {}
                None => break,
            }
        }
        qi.peek().is_none()
    }
}

/// Bit per ASCII letter (case folded) and digit present in `s`.
fn mask_of(s: &str) -> u64 {
    s.bytes().fold(0, |m, b| m | MASK_BITS[usize::from(b)])
}

/// The [`mask_of`] bit of each byte.
const MASK_BITS: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            c @ b'a'..=b'z' => 1 << (c - b'a'),
            c @ b'A'..=b'Z' => 1 << (c - b'A'),
            c @ b'0'..=b'9' => 1 << (26 + c - b'0'),
            _ => 0,
        };
        b += 1;
    }
    t
};

impl SearchIndex {
    /// Index every competency of `catalog`.
    pub fn new(catalog: &Catalog) -> Self {
        let (mut count, mut bytes) = (0usize, 0usize);
        for e in catalog.entries() {
            for c in &e.framework.competencies {
                count += 2 + c.keywords.len();
                bytes += c.name.len() + c.id.len();
                bytes += c.keywords.iter().map(String::len).sum::<usize>();
            }
        }
        let mut items = Vec::with_capacity(catalog.competency_count());
        let mut labels = Vec::with_capacity(count);
        let mut text = String::with_capacity(bytes);
        let mut label = |t: &str, item: usize, field| {
            // Labels past 4 GiB of text in all cannot be addressed; no real catalog gets near.
            let (Ok(start), Ok(len)) = (u32::try_from(text.len()), u32::try_from(t.len())) else {
                return Span::default();
            };
            text.push_str(t);
            labels.push(Label {
                text: Span { start, len },
                item: item as u32,
                field,
                mask: mask_of(t),
            });
            Span { start, len }
        };
        // Names first, then keywords and ids.
        for (f, e) in catalog.entries().iter().enumerate() {
            for c in &e.framework.competencies {
                let name = label(&c.name, items.len(), Field::Name);
                items.push(Entry {
                    framework: f as u32,
                    id: Span::default(),
                    name,
                });
            }
        }
        let mut i = 0;
        for e in catalog.entries() {
            for c in &e.framework.competencies {
                for k in &c.keywords {
                    label(k, i, Field::Keyword);
                }
                items[i].id = label(&c.id, i, Field::Id);
                i += 1;
            }
        }
        SearchIndex {
            frameworks: catalog
                .entries()
                .iter()
                .map(|e| e.framework.id.clone())
                .collect(),
            items,
            labels,
            text,
        }
    }

    fn span(&self, s: Span) -> &str {
        let start = s.start as usize;
        self.text.get(start..start + s.len as usize).unwrap_or("")
    }

    fn text_of(&self, l: &Label) -> &str {
        self.span(l.text)
    }

    /// Score every label for `query` (a non-empty query), spread over the machine's cores
    /// when there are many labels; matches in label order.
    fn scan_all(&self, query: &str) -> Vec<(u32, i32)> {
        let n = self.labels.len();
        let threads = std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .min(4);
        let scan = |range: std::ops::Range<usize>| {
            let matcher = matcher();
            let pre = Pre::new(query);
            let mut out = Vec::new();
            for i in range {
                let l = &self.labels[i];
                let t = self.text_of(l);
                if pre.may_match(l, t) {
                    if let Some(s) = score_of(&matcher, t, query) {
                        out.push((i as u32, s));
                    }
                }
            }
            out
        };
        if threads < 2 || n < 20_000 {
            return scan(0..n);
        }
        let chunk = n.div_ceil(threads);
        std::thread::scope(|sc| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let range = (k * chunk).min(n)..((k + 1) * chunk).min(n);
                    sc.spawn(move || scan(range))
                })
                .collect();
            let mut all = Vec::new();
            for h in handles {
                match h.join() {
                    Ok(part) => all.extend(part),
                    Err(e) => std::panic::resume_unwind(e),
                }
            }
            all
        })
    }

    /// The indexed competency `i` (as in [`Hit::item`]), in catalog order.
    pub fn item(&self, i: usize) -> Option<Item<'_>> {
        let e = self.items.get(i)?;
        Some(Item {
            framework: self
                .frameworks
                .get(e.framework as usize)
                .map_or("", String::as_str),
            id: self.span(e.id),
            name: self.span(e.name),
        })
    }

    /// How many competencies are indexed.
    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// How many labels (names, keywords and ids) are indexed.
    pub fn label_count(&self) -> usize {
        self.labels.len()
    }

    /// The best `top` competencies for `query` (a full scan; empty query: no hits).
    pub fn search(&self, query: &str, top: usize) -> Vec<Hit> {
        let mut s = Searcher::new(self);
        if !query.is_empty() {
            let matches = self.scan_all(query);
            s.stack.push(Step {
                query: query.to_string(),
                matches,
                source: Source::All,
                cursor: self.labels.len(),
                total: self.labels.len(),
            });
        }
        s.hits(top)
    }
}

/// The labels one query matched so far, with their scores.
#[derive(Debug, Clone)]
struct Step {
    query: String,
    /// Matched labels (index, score), in label order: names before keywords and ids.
    matches: Vec<(u32, i32)>,
    /// Where the labels to score come from, and how far scoring has got.
    source: Source,
    cursor: usize,
    /// How many labels the source holds; the step is complete when the cursor gets there.
    total: usize,
}

#[derive(Debug, Clone, Copy)]
enum Source {
    /// Every label, names first.
    All,
    /// The matches of an earlier, complete step (index in the stack).
    Step(usize),
}

/// Incremental search for a query typed one character at a time.
pub struct Searcher<I: std::ops::Deref<Target = SearchIndex>> {
    index: I,
    matcher: SkimMatcherV2,
    /// One step per query prefix typed, each extending the one before.
    stack: Vec<Step>,
    best: Vec<(i32, u32)>,
    stamp: Vec<u32>,
    epoch: u32,
}

/// How many labels [`Searcher::update`] scores before returning; names come first, so the
/// first response ranks names, and [`Searcher::refine`] adds keywords and ids.
pub const UPDATE_BUDGET: usize = 3_000;

impl<I: std::ops::Deref<Target = SearchIndex>> Searcher<I> {
    /// A searcher over `index`, with an empty query.
    pub fn new(index: I) -> Self {
        let n = index.items.len();
        Searcher {
            index,
            matcher: matcher(),
            stack: Vec::new(),
            best: vec![(0, 0); n],
            stamp: vec![0; n],
            epoch: 0,
        }
    }

    /// The index searched.
    pub fn index(&self) -> I
    where
        I: Clone,
    {
        self.index.clone()
    }

    /// The current query.
    pub fn query(&self) -> &str {
        self.stack.last().map_or("", |s| s.query.as_str())
    }

    /// Set the query and score up to [`UPDATE_BUDGET`] labels. Only the labels that the
    /// longest complete earlier prefix matched are looked at (narrowing).
    pub fn update(&mut self, query: &str) {
        while self
            .stack
            .last()
            .is_some_and(|s| !query.starts_with(s.query.as_str()))
        {
            self.stack.pop();
        }
        if !query.is_empty() && self.stack.last().is_none_or(|s| s.query != query) {
            let (source, total) = match self.stack.iter().rposition(Step::complete) {
                Some(k) => (Source::Step(k), self.stack[k].matches.len()),
                None => (Source::All, self.index.labels.len()),
            };
            self.stack.push(Step {
                query: query.to_string(),
                matches: Vec::new(),
                source,
                cursor: 0,
                total,
            });
        }
        self.refine(UPDATE_BUDGET);
    }

    /// Score up to `budget` more labels for the current query. Returns true when the results
    /// are complete.
    pub fn refine(&mut self, budget: usize) -> bool {
        let Some(top) = self.stack.len().checked_sub(1) else {
            return true;
        };
        let (done, rest) = self.stack.split_at_mut(top);
        let step = &mut rest[0];
        let query = step.query.as_str();
        let pre = Pre::new(query);
        let index = &*self.index;
        let labels = &index.labels;
        let matcher = &self.matcher;
        let end = step.cursor.saturating_add(budget).min(step.total);
        let mut scan = |i: u32| {
            let l = &labels[i as usize];
            let t = index.text_of(l);
            if pre.may_match(l, t) {
                if let Some(s) = score_of(matcher, t, query) {
                    step.matches.push((i, s));
                }
            }
        };
        match step.source {
            Source::All => (step.cursor..end).for_each(|i| scan(i as u32)),
            Source::Step(j) => done[j].matches[step.cursor..end]
                .iter()
                .for_each(|&(i, _)| scan(i)),
        }
        step.cursor = end;
        end == step.total
    }

    /// True when the hits equal a full scan for the current query.
    pub fn complete(&self) -> bool {
        self.stack.last().is_none_or(Step::complete)
    }

    /// The best `top` hits found so far, with matched positions.
    pub fn hits(&mut self, top: usize) -> Vec<Hit> {
        let Some(step) = self.stack.last() else {
            return Vec::new();
        };
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.epoch = 1;
        }
        let index: &SearchIndex = &self.index;
        let labels = &index.labels;
        let mut touched: Vec<u32> = Vec::new();
        for &(l, s) in &step.matches {
            let it = labels[l as usize].item as usize;
            if self.stamp[it] != self.epoch {
                self.stamp[it] = self.epoch;
                self.best[it] = (s, l);
                touched.push(it as u32);
            } else if better(&self.index, (s, l), self.best[it]) {
                self.best[it] = (s, l);
            }
        }
        let best = &self.best;
        let cmp = |a: &u32, b: &u32| {
            let (sa, la) = best[*a as usize];
            let (sb, lb) = best[*b as usize];
            sb.cmp(&sa)
                .then_with(|| rank(index, la).cmp(&rank(index, lb)))
                .then(a.cmp(b))
        };
        if touched.len() > top && top > 0 {
            touched.select_nth_unstable_by(top - 1, cmp);
            touched.truncate(top);
        }
        touched.sort_unstable_by(cmp);
        touched.truncate(top);
        touched
            .into_iter()
            .map(|it| {
                let (s, l) = best[it as usize];
                let lab = &labels[l as usize];
                let text = self.index.text_of(lab);
                let positions = self
                    .matcher
                    .fuzzy_indices(text, &step.query)
                    .map(|(_, p)| p)
                    .unwrap_or_default();
                Hit {
                    item: it as usize,
                    score: i64::from(s),
                    field: lab.field,
                    label: text.to_string(),
                    positions,
                }
            })
            .collect()
    }
}

impl Step {
    fn complete(&self) -> bool {
        self.cursor == self.total
    }
}

/// The matcher: skim's V2 scoring with smart case, always on its linear path.
///
/// fuzzy-matcher 0.3.7's dynamic-programming path reads matrix cells left over from earlier
/// calls (the first cell of each row after the first match is never reset), so a score could
/// depend on which labels were scored before — the narrowing proptest below found it (57 after
/// some calls, 54 fresh), and spreading a scan over threads made it visible. With an element
/// limit of 1 every call takes the linear path instead: the first occurrence of each query
/// character going forward, then the tightest alignment ending there going backward (as fzf's
/// v1 algorithm), scored with the same bonuses. It reads no state, so a score depends only on
/// the label and the query, and it is faster.
pub fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default().smart_case().element_limit(1)
}

/// The fuzzy score of `label` for `query`.
fn score_of(m: &SkimMatcherV2, label: &str, query: &str) -> Option<i32> {
    m.fuzzy_match(label, query).map(|s| s as i32)
}

/// Tie-break key of a label: field, then length, then position.
fn rank(index: &SearchIndex, l: u32) -> (Field, usize, u32) {
    let lab = &index.labels[l as usize];
    (lab.field, index.text_of(lab).chars().count(), l)
}

fn better(index: &SearchIndex, a: (i32, u32), b: (i32, u32)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && rank(index, a.1) < rank(index, b.1))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Competency, Framework};

    pub(crate) fn comp(id: &str, name: &str, keywords: &[&str]) -> Competency {
        Competency {
            id: id.into(),
            name: name.into(),
            description: "d".into(),
            category: None,
            kind: None,
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            parent: None,
            uri: None,
            levels: Default::default(),
        }
    }

    pub(crate) fn catalog(comps: Vec<Competency>) -> Catalog {
        Catalog::from_frameworks([Framework {
            id: "fw".into(),
            name: "F".into(),
            version: "1".into(),
            publisher: None,
            source: None,
            licence: None,
            description: None,
            levels: crate::model::generic_levels(),
            competencies: comps,
        }])
    }

    fn refs(idx: &SearchIndex, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| idx.item(h.item).map(|i| i.reference()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn ranks_word_starts_and_contiguous_matches_first() {
        let cat = catalog(vec![
            comp("A", "manage a database", &[]),
            comp("B", "data analysis", &[]),
            comp("C", "draw diagrams at scale", &[]),
        ]);
        let idx = SearchIndex::new(&cat);
        let hits = idx.search("data", 10);
        assert_eq!(refs(&idx, &hits), ["fw:B", "fw:A", "fw:C"]);
        assert_eq!(hits[0].positions, vec![0, 1, 2, 3]);
        assert_eq!(hits[0].field, Field::Name);
    }

    #[test]
    fn keywords_and_ids_match_and_positions_are_chars() {
        let cat = catalog(vec![
            comp("DD-01", "tidy tables", &["données nettoyées", "wrangling"]),
            comp("X", "other", &[]),
        ]);
        let idx = SearchIndex::new(&cat);
        let h = idx.search("wrang", 5);
        assert_eq!(refs(&idx, &h), ["fw:DD-01"]);
        assert_eq!(h[0].field, Field::Keyword);
        assert_eq!(h[0].label, "wrangling");
        let h = idx.search("nett", 5);
        // "données nettoyées": é is one char, so "nett" starts at char 8.
        assert_eq!(h[0].positions, vec![8, 9, 10, 11]);
        let h = idx.search("dd01", 5);
        assert_eq!(h[0].field, Field::Id);
        assert!(idx.search("zzz", 5).is_empty());
        assert!(idx.search("", 5).is_empty());
    }

    #[test]
    fn smart_case() {
        let cat = catalog(vec![
            comp("A", "SQL queries", &[]),
            comp("B", "squeeze lemons", &[]),
        ]);
        let idx = SearchIndex::new(&cat);
        assert_eq!(refs(&idx, &idx.search("sq", 5)).len(), 2);
        assert_eq!(refs(&idx, &idx.search("SQ", 5)), ["fw:A"]);
        assert_eq!(refs(&idx, &idx.search("sQ", 5)), Vec::<String>::new());
    }

    #[test]
    fn names_first_then_refine_to_the_full_scan() {
        let kws: Vec<String> = (0..50).map(|i| format!("alias {i}")).collect();
        let comps: Vec<Competency> = (0..2000)
            .map(|i| {
                let k: Vec<&str> = kws.iter().take(10).map(String::as_str).collect();
                comp(&format!("C{i}"), &format!("skill number {i}"), &k)
            })
            .collect();
        let cat = catalog(comps);
        let idx = SearchIndex::new(&cat);
        let mut s = Searcher::new(&idx);
        s.update("al");
        assert!(
            !s.complete(),
            "22,000 keyword labels exceed one update's budget"
        );
        while !s.refine(1000) {}
        assert!(s.complete());
        assert_eq!(s.hits(20), idx.search("al", 20));
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Typing (and backspacing) a query gives the same hits as a full scan at every step.
        #[test]
        fn narrowing_equals_full_scan(
            names in prop::collection::vec("[a-dA-D ]{1,12}", 1..30),
            keys in prop::collection::vec("[a-dA-D]{1,8}", 0..30),
            typed in "[a-dA-D ]{1,6}",
            back in 0usize..4,
        ) {
            let comps: Vec<Competency> = names.iter().enumerate().map(|(i, n)| {
                let k: Vec<&str> = keys.iter().skip(i % 3).step_by(3).map(String::as_str).collect();
                comp(&format!("c{i}"), n, &k)
            }).collect();
            let cat = catalog(comps);
            let idx = SearchIndex::new(&cat);
            let mut s = Searcher::new(&idx);
            let chars: Vec<char> = typed.chars().collect();
            let mut queries: Vec<String> = (1..=chars.len()).map(|n| chars[..n].iter().collect()).collect();
            let keep = chars.len().saturating_sub(back).max(1);
            queries.push(chars[..keep].iter().collect());
            queries.push(format!("{}b", queries[queries.len() - 1]));
            for q in &queries {
                s.update(q);
                s.refine(usize::MAX);
                prop_assert_eq!(s.hits(100), idx.search(q, 100), "query {:?}", q);
                let mut fresh = Searcher::new(&idx);
                fresh.update(q);
                fresh.refine(usize::MAX);
                prop_assert_eq!(fresh.hits(100), s.hits(100));
            }
        }
    }
}
