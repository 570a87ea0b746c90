//! Search over every competency's name, keywords and id, across all loaded frameworks, with
//! fzf's extended query language ([`query`]: terms in any order, all required, fuzzy by
//! default, `'exact`, `^prefix`, `suffix$`, `!not`; case and punctuation ignored).
//!
//! [`SearchIndex`] is built once per catalog. Each label (a name, a keyword or an id) is one
//! "line" for the positive terms: all of them must match the same label. An inverse term
//! (`!word`) leaves out every competency whose name or a keyword holds the word. A competency's
//! score is its best label's: tiers of the terms' matches (whole word, word prefix, mid-word,
//! scattered) first, then names before keywords and ids, then fzf's fine score; ties go to
//! names, then shorter labels, then catalog order.
//!
//! [`Searcher`] serves a query as it is typed, with two ideas that keep each keystroke cheap at
//! ESCO scale (13,896 names, ~97,000 keywords and ids):
//! - **narrowing**: a query whose matches are a subset of an earlier one's (each earlier term
//!   follows from a new term: `dat` from `data`, `weld` from `weld pipe`) only re-scores the
//!   labels that the earlier one matched; a character-set bitmask skips labels that lack a
//!   character of the query;
//! - **names first, bounded work**: labels are ordered names first, then keywords and ids;
//!   [`Searcher::update`] scores at most [`UPDATE_BUDGET`] labels and returns, and
//!   [`Searcher::refine`] continues between keystrokes (off the input path). When
//!   [`Searcher::complete`] is true the hits equal a full scan.

pub(crate) mod query;

use std::collections::HashMap;

use self::query::{NAME_BONUS, Query, Scratch};
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

/// Every label of every competency of a catalog, ready for search.
#[derive(Debug)]
pub struct SearchIndex {
    /// Framework ids, in catalog order.
    pub(crate) frameworks: Vec<String>,
    pub(crate) items: Vec<Entry>,
    /// Names first (label `i` is item `i`'s name), then keywords and ids.
    pub(crate) labels: Vec<Label>,
    /// Every label's text, one after another (one allocation instead of one per label).
    pub(crate) text: String,
    /// Each item's keyword and id labels: a range of `labels` (derived, not stored).
    pub(crate) others: Vec<(u32, u32)>,
}

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
                mask: query::mask(t),
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
        SearchIndex::from_parts(
            catalog
                .entries()
                .iter()
                .map(|e| e.framework.id.clone())
                .collect(),
            items,
            labels,
            text,
        )
    }

    /// An index of these parts (as built, or as read back from a snapshot).
    pub(crate) fn from_parts(
        frameworks: Vec<String>,
        items: Vec<Entry>,
        labels: Vec<Label>,
        text: String,
    ) -> Self {
        let mut others = vec![(0u32, 0u32); items.len()];
        for (j, l) in labels.iter().enumerate().skip(items.len()) {
            if let Some(r) = others.get_mut(l.item as usize) {
                if r.1 == 0 {
                    r.0 = j as u32;
                }
                r.1 = j as u32 + 1;
            }
        }
        SearchIndex {
            frameworks,
            items,
            labels,
            text,
            others,
        }
    }

    fn span(&self, s: Span) -> &str {
        let start = s.start as usize;
        self.text.get(start..start + s.len as usize).unwrap_or("")
    }

    fn text_of(&self, l: &Label) -> &str {
        self.span(l.text)
    }

    /// How many labels a query looks at from the start: all of them, or only the names when
    /// it has no positive term (every label then scores alike, and names rank first).
    fn source_len(&self, query: &Query) -> usize {
        if query.has_positive() {
            self.labels.len()
        } else {
            self.items.len().min(self.labels.len())
        }
    }

    /// The score of label `i` for `query`, or `None` when it does not match or its competency
    /// is left out by an inverse term (`verdicts` remembers that per competency).
    fn judge(
        &self,
        query: &Query,
        i: u32,
        scratch: &mut Scratch,
        verdicts: &mut HashMap<u32, bool>,
    ) -> Option<i32> {
        let l = &self.labels[i as usize];
        let bonus = if l.field == Field::Name {
            NAME_BONUS
        } else {
            0
        };
        let s = query.score(self.text_of(l), l.mask, bonus, scratch)?;
        if query.has_inverse() {
            let left_out = match verdicts.get(&l.item) {
                Some(&v) => v,
                None => {
                    let v = self.left_out(query, l.item, scratch);
                    verdicts.insert(l.item, v);
                    v
                }
            };
            if left_out {
                return None;
            }
        }
        Some(s)
    }

    /// True when an inverse term of `query` matches item `it`'s name or one of its keywords.
    fn left_out(&self, query: &Query, it: u32, scratch: &mut Scratch) -> bool {
        let Some(&(a, b)) = self.others.get(it as usize) else {
            return false;
        };
        let name = self.labels.get(it as usize);
        let rest = self.labels.get(a as usize..b as usize).unwrap_or(&[]);
        name.into_iter()
            .chain(rest)
            .filter(|l| l.item == it && l.field != Field::Id)
            .any(|l| query.excludes(self.text_of(l), l.mask, scratch))
    }

    /// Score every label for `query` (a non-empty query), spread over the machine's cores
    /// when there are many labels; matches in label order.
    fn scan_all(&self, query: &Query) -> Vec<(u32, i32)> {
        let n = self.source_len(query);
        let threads = std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .min(4);
        let scan = |range: std::ops::Range<usize>| {
            let mut scratch = Scratch::default();
            let mut verdicts = HashMap::new();
            let mut out = Vec::new();
            for i in range {
                if let Some(s) = self.judge(query, i as u32, &mut scratch, &mut verdicts) {
                    out.push((i as u32, s));
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

    /// The best `top` competencies for `query` (a full scan; a query without terms: no hits).
    pub fn search(&self, query: &str, top: usize) -> Vec<Hit> {
        let mut s = Searcher::new(self);
        let q = Query::parse(query);
        if !q.is_empty() {
            let matches = self.scan_all(&q);
            let total = self.source_len(&q);
            s.stack.push(Step {
                raw: query.to_string(),
                query: q,
                matches,
                source: Source::All,
                cursor: total,
                total,
                verdicts: HashMap::new(),
            });
        }
        s.hits(top)
    }
}

/// The labels one query matched so far, with their scores.
#[derive(Debug, Clone)]
struct Step {
    /// The query as typed.
    raw: String,
    query: Query,
    /// Matched labels (index, score), in label order: names before keywords and ids.
    matches: Vec<(u32, i32)>,
    /// Where the labels to score come from, and how far scoring has got.
    source: Source,
    cursor: usize,
    /// How many labels the source holds; the step is complete when the cursor gets there.
    total: usize,
    /// Competencies already checked against the inverse terms: true when left out.
    verdicts: HashMap<u32, bool>,
}

#[derive(Debug, Clone, Copy)]
enum Source {
    /// Every label, names first (only the names for a query without a positive term).
    All,
    /// The matches of an earlier, complete step (index in the stack).
    Step(usize),
}

/// Incremental search for a query typed one character at a time.
pub struct Searcher<I: std::ops::Deref<Target = SearchIndex>> {
    index: I,
    scratch: Scratch,
    /// One step per query typed, each matching a subset of the one before.
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
            scratch: Scratch::default(),
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

    /// The current query, as typed.
    pub fn query(&self) -> &str {
        self.stack.last().map_or("", |s| s.raw.as_str())
    }

    /// Set the query and score up to [`UPDATE_BUDGET`] labels. Only the labels that the
    /// latest complete earlier query whose matches include this one's matched are looked at
    /// (narrowing).
    pub fn update(&mut self, text: &str) {
        let query = Query::parse(text);
        while self.stack.last().is_some_and(|s| !query.narrows(&s.query)) {
            self.stack.pop();
        }
        if let Some(top) = self.stack.last_mut() {
            if top.query == query {
                top.raw = text.to_string();
            }
        }
        if !query.is_empty() && self.stack.last().is_none_or(|s| s.query != query) {
            // A step of a query without positive terms holds names only: no source for one
            // with them.
            let source = if query.has_positive() {
                self.stack
                    .iter()
                    .rposition(|s| s.complete() && s.query.has_positive())
            } else {
                None
            };
            let (source, total) = match source {
                Some(k) => (Source::Step(k), self.stack[k].matches.len()),
                None => (Source::All, self.index.source_len(&query)),
            };
            self.stack.push(Step {
                raw: text.to_string(),
                query,
                matches: Vec::new(),
                source,
                cursor: 0,
                total,
                verdicts: HashMap::new(),
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
        let index = &*self.index;
        let scratch = &mut self.scratch;
        let end = step.cursor.saturating_add(budget).min(step.total);
        let mut scan = |i: u32| {
            if let Some(s) = index.judge(&step.query, i, scratch, &mut step.verdicts) {
                step.matches.push((i, s));
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
                Hit {
                    item: it as usize,
                    score: i64::from(s),
                    field: lab.field,
                    label: text.to_string(),
                    positions: step.query.positions(text),
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
        Catalog::from_frameworks([framework("fw", comps)])
    }

    /// A framework `id` of these competencies, with the generic scale.
    pub(crate) fn framework(id: &str, comps: Vec<Competency>) -> Framework {
        Framework {
            id: id.into(),
            name: "F".into(),
            version: "1".into(),
            publisher: None,
            source: None,
            licence: None,
            description: None,
            levels: crate::model::generic_levels(),
            competencies: comps,
        }
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
    fn case_is_ignored() {
        let cat = catalog(vec![
            comp("A", "SQL queries", &[]),
            comp("B", "squeeze lemons", &[]),
        ]);
        let idx = SearchIndex::new(&cat);
        for q in ["sq", "SQ", "sQ"] {
            assert_eq!(refs(&idx, &idx.search(q, 5)), ["fw:A", "fw:B"], "{q}");
        }
    }

    fn retrofit() -> SearchIndex {
        SearchIndex::new(&catalog(vec![
            comp(
                "HP",
                "Install and commission heat pumps",
                &["heat pump installation", "ductless mini-split"],
            ),
            comp("WP", "Set up water pump", &["commission water pump"]),
            comp("MS", "Minimise split ends", &[]),
            comp("SP", "Split-level house survey", &["mini survey"]),
        ]))
    }

    #[test]
    fn terms_match_one_label_in_any_order() {
        let idx = retrofit();
        // "mini split": both terms in the keyword "ductless mini-split"; "Minimise split ends"
        // matches too (fuzzy "mini" in "Minimise"), below it.
        let h = idx.search("mini split", 10);
        assert_eq!(refs(&idx, &h), ["fw:HP", "fw:MS"]);
        assert_eq!(h[0].field, Field::Keyword);
        assert_eq!(h[0].label, "ductless mini-split");
        assert_eq!(h[0].positions, [9, 10, 11, 12, 14, 15, 16, 17, 18]);
        // Any order; one label must hold every term: "SP" has "split" in its name and "mini"
        // in a keyword, so it is no match.
        assert_eq!(
            refs(&idx, &idx.search("split mini", 10)),
            ["fw:HP", "fw:MS"]
        );
        // Whole words first: both are whole in "commission water pump", "pump" only begins
        // "pumps" in HP's name (which is shown, being a name).
        let h = idx.search("pump commission", 10);
        assert_eq!(refs(&idx, &h), ["fw:WP", "fw:HP"]);
        assert_eq!(h[0].label, "commission water pump");
        assert_eq!(h[1].field, Field::Name);
    }

    #[test]
    fn exact_prefix_suffix_and_inverse_terms() {
        let idx = retrofit();
        let r = |q: &str| refs(&idx, &idx.search(q, 10));
        assert_eq!(r("'mini-split"), ["fw:HP"]);
        assert_eq!(r("'minisplit"), Vec::<String>::new());
        // Whole words in names (the shorter first), then in a keyword.
        assert_eq!(r("'split"), ["fw:MS", "fw:SP", "fw:HP"]);
        assert_eq!(r("^split"), ["fw:SP"]);
        assert_eq!(r("^ductless"), ["fw:HP"]);
        assert_eq!(r("pump$"), ["fw:WP"]);
        assert_eq!(r("'pump'"), ["fw:WP", "fw:HP"]);
        // "!mini" leaves out HP (a keyword) and SP (a keyword), MS (its name has "mini").
        assert_eq!(r("split !mini"), Vec::<String>::new());
        assert_eq!(r("s !mini"), ["fw:WP"]);
        assert_eq!(r("pump !water"), ["fw:HP"]);
        assert_eq!(r("pump !^set"), ["fw:HP"]);
        // Only inverse terms: every competency but those, names shown.
        let h = idx.search("!pump", 10);
        assert_eq!(refs(&idx, &h), ["fw:MS", "fw:SP"]);
        assert!(
            h.iter()
                .all(|h| h.field == Field::Name && h.positions.is_empty())
        );
        // Operators or punctuation alone: no terms, no hits.
        assert!(idx.search("! ' ^ - $", 10).is_empty());
    }

    #[test]
    fn names_rank_over_keywords_and_whole_words_over_parts() {
        let cat = catalog(vec![
            comp(
                "DRIVE",
                "drive agricultural machines",
                &["forklift driving"],
            ),
            comp("OP", "operate forklift", &["use a forklift"]),
            comp("LIFT", "lift loads with forklifts", &[]),
            comp("LIFTS", "liftforklift", &[]),
        ]);
        let idx = SearchIndex::new(&cat);
        let h = idx.search("forklift", 10);
        assert_eq!(refs(&idx, &h), ["fw:OP", "fw:DRIVE", "fw:LIFT", "fw:LIFTS"]);
        assert_eq!(h[1].field, Field::Keyword);
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
            typed in "[a-dA-D '!^$-]{1,7}",
            back in 0usize..4,
            jump in "[a-d '!^$]{0,5}",
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
            queries.push(jump);
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

        /// The terms of a query may come in any order.
        #[test]
        fn term_order_does_not_matter(
            names in prop::collection::vec("[a-e -]{1,14}", 1..30),
            terms in prop::collection::vec("[!^']?[a-e]{1,3}[$]?", 1..4),
        ) {
            let idx = SearchIndex::new(&small_catalog(&names));
            let forward = terms.join(" ");
            let mut rev = terms.clone();
            rev.reverse();
            let backward = rev.join(" ");
            prop_assert_eq!(
                hit_set(&idx.search(&forward, 1000)),
                hit_set(&idx.search(&backward, 1000))
            );
        }

        /// A term more never adds a result.
        #[test]
        fn a_term_more_never_adds_results(
            names in prop::collection::vec("[a-e -]{1,14}", 1..30),
            terms in prop::collection::vec("[!^']?[a-e]{1,3}[$]?", 1..3),
            more in "[!^']?[a-e]{1,3}[$]?",
        ) {
            let idx = SearchIndex::new(&small_catalog(&names));
            let q = terms.join(" ");
            let before = hit_set(&idx.search(&q, 1000));
            let after = hit_set(&idx.search(&format!("{q} {more}"), 1000));
            prop_assert!(after.is_subset(&before), "{:?} + {:?}", q, more);
        }

        /// `!x` leaves out every competency whose name or a keyword holds x, so its results
        /// meet those of `'x` only where `'x` matched an id.
        #[test]
        fn inverse_and_exact_are_disjoint_on_names_and_keywords(
            names in prop::collection::vec("[a-e -]{1,14}", 1..30),
            x in "[a-e]{1,2}",
        ) {
            let idx = SearchIndex::new(&small_catalog(&names));
            let not = hit_set(&idx.search(&format!("!{x}"), 1000));
            let exact = idx.search(&format!("'{x}"), 1000);
            for h in &exact {
                prop_assert!(h.field == Field::Id || !not.contains(&h.item), "{:?}", h);
            }
            let all: std::collections::BTreeSet<usize> = (0..idx.item_count()).collect();
            let named: std::collections::BTreeSet<usize> = exact
                .iter()
                .filter(|h| h.field != Field::Id)
                .map(|h| h.item)
                .collect();
            // Together they cover everything.
            let both: std::collections::BTreeSet<usize> = not.union(&named).copied().collect();
            prop_assert_eq!(both, all);
        }
    }

    /// Competencies named `names`, each with the next name as a keyword, ids `id0`, `id1`, ….
    fn small_catalog(names: &[String]) -> Catalog {
        let comps: Vec<Competency> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let next = &names[(i + 1) % names.len()];
                comp(&format!("id{i}"), n, &[next.as_str()])
            })
            .collect();
        catalog(comps)
    }

    fn hit_set(hits: &[Hit]) -> std::collections::BTreeSet<usize> {
        hits.iter().map(|h| h.item).collect()
    }
}
