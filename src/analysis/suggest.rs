//! Suggest competencies for a need's free text: a BM25F ranker over every loaded competency.
//!
//! - **Text**: lower-cased, split on anything that is not a letter or digit, common English
//!   words dropped, Snowball (Porter 2) stemmed, so "analysing data" and "data analysis" meet.
//! - **Fields** (BM25F): name, keywords and description, each with its own weight and length
//!   normalisation; the weighted term frequency is saturated once per term (k1).
//! - **Rarity**: inverse document frequency; query terms repeated in a long text count more,
//!   with saturation. Terms of the query's *title* (a need statement, an occupation's label)
//!   weigh more than those of its body.
//! - **Phrases**: a bonus when two adjacent query words appear adjacent in a competency's name
//!   or keywords ("data analysis" beats a page that mentions data and analysis apart).
//! - **Label coverage**: how much of one of a competency's labels (its name or a keyword),
//!   weighted by IDF, the query contains; a competency whose whole label is in the text
//!   ("adapt to artistic plans") is lifted above one that shares a single common word.
//! - **Cosine**: TF-IDF cosine similarity over the whole text, blended with BM25F, which
//!   favours competencies whose wording matches the text's as a whole.
//! - **Typos**: a word of the title that no competency uses is replaced by the nearest word
//!   that one does (edit distance 1, or 2 for words of 8+ letters), at a discount. Words of a
//!   long body are not corrected (unknown words there are mostly real words, not typos).
//! - Optional, off by default because they did not help on ESCO (see docs/search.md):
//!   pseudo-relevance feedback and a prior by category (ESCO reuse level).
//!
//! - **Partners' words** (issue 29): words that say nothing about a competency (the shipped
//!   list `data/suggest/general.txt`) carry no weight, and every other query term is weighted
//!   by its *specificity*: the share of the competencies using it that use it in a name or
//!   keyword rather than only in a description, so "properly" or "homeowners" pull less than
//!   "weld". Trade words and abbreviations ("MIG", "PSW", "SPC") are read through the shipped
//!   alias table `data/suggest/aliases.tsv`.
//! - **The design as context** ([`Context`]): the credential's title and summary and the
//!   competencies already mapped lift competencies that share their words, frameworks in use
//!   lift theirs, and an agreed mapping teaches its need's wording (a later need worded alike
//!   is pulled to that competency). All are bounded factors on a competency the need itself
//!   matched, so a strong match elsewhere stays.
//! - **Why**: each suggestion carries the words that matched and the context that pulled it.
//!
//! Deterministic: equal scores are ordered by catalog position. Uses only the catalog and the
//! text it is given.

pub mod context;
pub mod phrases;

use std::collections::HashMap;
use std::sync::OnceLock;

use phrases::Token;

use rust_stemmers::{Algorithm, Stemmer};

use crate::model::Catalog;
use crate::text::distance::bounded_distance;

/// Tunable weights; [`Params::default`] are the shipped values (see docs/search.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Field weights: name, keywords, description.
    pub weights: [f32; 3],
    /// Length normalisation per field (BM25 `b`).
    pub b: [f32; 3],
    /// Term-frequency saturation (BM25 `k1`).
    pub k1: f32,
    /// Saturation of repeated query terms.
    pub k3: f32,
    /// Extra weight of a term that appears in the query's title.
    pub title_boost: f32,
    /// Bonus per matched adjacent word pair, times the pair's mean IDF.
    pub phrase_bonus: f32,
    /// Weight of a typo-corrected query term.
    pub typo_weight: f32,
    /// Pseudo-relevance feedback: how many top competencies, how many terms, at what weight.
    pub prf_docs: usize,
    pub prf_terms: usize,
    pub prf_weight: f32,
    /// Score factor by category (ESCO reuse level); others 1.
    pub category_prior: Vec<(String, f32)>,
    /// Label coverage: the score is multiplied by `1 + coverage_gain * c^coverage_power`, where
    /// `c` is the largest IDF-weighted share of one label (name or keyword) found in the query.
    pub coverage_gain: f32,
    pub coverage_power: f32,
    /// Weight of the TF-IDF cosine similarity (whole text) blended with BM25F, each scaled
    /// by its best value for the query.
    pub cosine_weight: f32,
    /// Labels whose terms' IDF sum is below this count as generic: their coverage is scaled
    /// down in proportion (0 turns this off).
    pub generic_idf: f32,
    /// Weight of the activity behind an agent noun: "seller" also asks for "sell",
    /// "supervisor" for "supervise", "plumber" for "plumbing" (0 turns this off).
    pub agent_weight: f32,
    /// Weight of the agent noun itself when an activity was found for it (1 keeps it whole).
    pub agent_own: f32,
    /// Specificity: a term's weight is `min(1, share / spec_ref)`, at least `spec_floor`,
    /// where `share` is the part of the competencies using it that use it in a label
    /// (0 turns this off). Words on the shipped general list weigh 0 when `general` is set.
    pub spec_ref: f32,
    pub spec_floor: f32,
    pub general: bool,
    /// Weight of each word an alias stands for (0 turns the alias table off).
    pub alias_weight: f32,
    /// Typos are corrected only in titles of at most this many content words (0: any).
    pub typo_max_words: usize,
    /// Context: the most a competency's score grows for sharing the credential's words.
    pub ctx_gain: f32,
    /// Weight of the terms of competencies already mapped, in the context.
    pub ctx_mapped: f32,
    /// Context: the factor `1 + fw_gain` for a competency of a framework the design uses.
    pub fw_gain: f32,
    /// Context: the most a competency's score grows for being in the framework whose
    /// competencies share the context's words most (on average).
    pub field_gain: f32,
    /// An agreed mapping whose need's wording covers at least `taught_min` (IDF-weighted) of
    /// its words in the query adds `taught_gain * cover * best score` to that competency.
    pub taught_gain: f32,
    pub taught_min: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            weights: [2.0, 1.5, 1.0],
            b: [0.75, 0.75, 0.75],
            k1: 1.2,
            k3: 1000.0,
            title_boost: 1.3,
            phrase_bonus: 0.3,
            typo_weight: 0.7,
            prf_docs: 0,
            prf_terms: 0,
            prf_weight: 0.0,
            category_prior: Vec::new(),
            coverage_gain: 1.5,
            coverage_power: 1.5,
            cosine_weight: 1.0,
            generic_idf: 0.0,
            agent_weight: 0.8,
            agent_own: 0.25,
            spec_ref: 0.3,
            spec_floor: 0.2,
            general: true,
            alias_weight: 1.0,
            typo_max_words: 3,
            ctx_gain: 0.5,
            ctx_mapped: 0.5,
            fw_gain: 0.2,
            field_gain: 1.5,
            taught_gain: 1.5,
            taught_min: 0.5,
        }
    }
}

/// What the design around a need says: its context for suggestions. Empty by default (a need
/// suggested on its own, as `microcred suggest TEXT` does).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// The credential's title and summary.
    pub credential: String,
    /// Framework ids the design already uses.
    pub frameworks: Vec<String>,
    /// `FRAMEWORK:ID` of competencies already in the design (mapped or included).
    pub mapped: Vec<String>,
    /// What agreed mappings taught: (a need's statement, the competency it was mapped to).
    pub taught: Vec<(String, String)>,
}

/// Why a competency was suggested.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Why {
    /// The need's words (or aliases, shown as `said (means)`) that the competency holds.
    pub words: Vec<String>,
    /// The context that pulled it: `credential: WORDS`, `design: WORDS`,
    /// `framework in use: ID`, `taught by need: "STATEMENT"`.
    pub context: Vec<String>,
}

/// One suggested competency.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Index of the competency in [`Suggester::items`].
    pub item: usize,
    pub score: f64,
    /// The words and context behind it.
    pub why: Why,
}

/// A suggestable competency.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    pub reference: String,
    pub name: String,
}

/// Lists of values in one allocation: list `i` is `values[start[i]..start[i + 1]]`. One
/// allocation instead of one per list, and written to or read from a snapshot in bulk.
#[derive(Debug, Clone, PartialEq)]
pub struct Lists<T> {
    /// `len() + 1` offsets into `values`, from 0, never decreasing, the last `values.len()`.
    pub start: Vec<u32>,
    pub values: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists {
            start: vec![0],
            values: Vec::new(),
        }
    }
}

impl<T: Copy> Lists<T> {
    /// The lists `v`, flattened.
    pub fn from_vecs(v: &[Vec<T>]) -> Self {
        let mut start = Vec::with_capacity(v.len() + 1);
        let mut values = Vec::with_capacity(v.iter().map(Vec::len).sum());
        start.push(0);
        for l in v {
            values.extend_from_slice(l);
            start.push(values.len() as u32);
        }
        Lists { start, values }
    }

    /// List `i` (empty past the end).
    pub fn get(&self, i: usize) -> &[T] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.values.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many lists.
    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// True with no list.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The offsets are well formed: from 0, never decreasing, ending at `values.len()`.
    pub fn is_well_formed(&self) -> bool {
        self.start.first() == Some(&0)
            && self.start.windows(2).all(|w| w[0] <= w[1])
            && self.start.last().map(|&l| l as usize) == Some(self.values.len())
    }
}

/// A posting: (doc, saturated weighted tf, log tf for the cosine).
pub type Posting = (u32, f32, f32);

/// The index without its parameters and vocabulary map: everything built from the catalog,
/// so that it can be kept in a snapshot (`catalog::suggest_cache`) and read back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    pub items: Vec<Item>,
    /// Stemmed terms; a term's id is its index.
    pub terms: Vec<String>,
    /// Per term: its postings, by doc.
    pub postings: Lists<Posting>,
    /// Per doc: TF-IDF vector length.
    pub norms: Vec<f32>,
    /// Per term: inverse document frequency.
    pub idf: Vec<f32>,
    /// Adjacent term pairs in names and keywords, sorted (see `pair_key`), and per pair the
    /// docs that hold it.
    pub pair_keys: Vec<u64>,
    pub pair_docs: Lists<u32>,
    /// Distinct terms of each doc's name and keywords, for feedback.
    pub label_terms: Lists<u32>,
    /// Per doc: the score factor of its category.
    pub prior: Vec<f32>,
    /// Per term: the labels (names and keywords) that hold it.
    pub label_postings: Lists<u32>,
    /// Per label: its competency, and the IDF sum of its distinct terms.
    pub label_doc: Vec<u32>,
    pub label_idf: Vec<f32>,
}

impl Tables {
    /// Every index within range and every list well formed, so that a suggester made from
    /// these tables cannot panic (a snapshot read back is checked with this).
    pub fn is_consistent(&self) -> bool {
        let (docs, terms, labels) = (self.items.len(), self.terms.len(), self.label_doc.len());
        let lists = [
            (&self.pair_docs, self.pair_keys.len(), docs),
            (&self.label_terms, docs, terms),
            (&self.label_postings, terms, labels),
        ];
        self.postings.is_well_formed()
            && self.postings.len() == terms
            && self.postings.values.iter().all(|p| (p.0 as usize) < docs)
            && self.norms.len() == docs
            && self.prior.len() == docs
            && self.idf.len() == terms
            && self.label_idf.len() == labels
            && self.label_doc.iter().all(|&d| (d as usize) < docs)
            && self.pair_keys.windows(2).all(|w| w[0] < w[1])
            && lists.iter().all(|(l, n, bound)| {
                l.is_well_formed()
                    && l.len() == *n
                    && l.values.iter().all(|&v| (v as usize) < *bound)
            })
    }

    /// The docs holding the adjacent pair `key`.
    fn pair(&self, key: u64) -> Option<&[u32]> {
        let i = self.pair_keys.binary_search(&key).ok()?;
        Some(self.pair_docs.get(i))
    }
}

/// The index: postings per stemmed term with precomputed BM25F saturation.
pub struct Suggester {
    params: Params,
    stemmer: Stemmer,
    /// Term id by stemmed term (the inverse of `t.terms`).
    vocab: HashMap<String, u32>,
    t: Tables,
    /// Per term: its specificity weight (see [`Params::spec_ref`]).
    spec: Vec<f32>,
    /// Per doc: the index of its framework id in `fw_ids`.
    fw_of: Vec<u16>,
    fw_ids: Vec<String>,
    /// Doc by reference, built when a context first names one.
    by_ref: OnceLock<HashMap<String, u32>>,
}

/// A query read from text: its terms in order (a stop or general word skipped; `None` breaks
/// a phrase), and how to show each term that came from it.
#[derive(Default)]
struct Read {
    run: Vec<Option<(u32, f32)>>,
    shown: Vec<(u32, String)>,
}

impl std::fmt::Debug for Suggester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Suggester")
            .field("items", &self.t.items.len())
            .field("terms", &self.t.terms.len())
            .finish()
    }
}

const STOP: &[&str] = &[
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

use phrases::words;

impl Suggester {
    /// Build the index over every competency of `catalog` with the default parameters.
    pub fn new(catalog: &Catalog) -> Self {
        Self::with_params(catalog, Params::default())
    }

    /// Build the index with `params`.
    pub fn with_params(catalog: &Catalog, params: Params) -> Self {
        let mut s = Suggester {
            params,
            stemmer: Stemmer::create(Algorithm::English),
            vocab: HashMap::new(),
            t: Tables::default(),
            spec: Vec::new(),
            fw_of: Vec::new(),
            fw_ids: Vec::new(),
            by_ref: OnceLock::new(),
        };
        let mut items = Vec::new();
        let mut prior_of = Vec::new();
        let mut label_doc = Vec::new();
        let mut pairs: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut label_terms: Vec<Vec<u32>> = Vec::new();
        let mut label_sets: Vec<Vec<u32>> = Vec::new();
        // Per doc, per field: term counts and length.
        let mut fields: Vec<[Vec<(u32, u16)>; 3]> = Vec::new();
        let mut lens: Vec<[u32; 3]> = Vec::new();
        for e in catalog.entries() {
            let fw = &e.framework;
            for c in &fw.competencies {
                let doc = items.len() as u32;
                items.push(Item {
                    reference: format!("{}:{}", fw.id, c.id),
                    name: c.name.clone(),
                });
                let prior = c
                    .category
                    .as_deref()
                    .and_then(|cat| {
                        s.params
                            .category_prior
                            .iter()
                            .find(|(k, _)| k == cat)
                            .map(|(_, v)| *v)
                    })
                    .unwrap_or(1.0);
                prior_of.push(prior);
                let mut f: [HashMap<u32, u16>; 3] = Default::default();
                let mut l = [0u32; 3];
                let mut labels = Vec::new();
                let mut texts: Vec<(usize, &str)> = vec![(0, c.name.as_str())];
                texts.extend(c.keywords.iter().map(|k| (1, k.as_str())));
                texts.push((2, c.description.as_str()));
                for (field, text) in texts {
                    let stems = s.stems_interning(text);
                    if field < 2 && !stems.is_empty() {
                        let mut set = stems.clone();
                        set.sort_unstable();
                        set.dedup();
                        label_sets.push(set);
                        label_doc.push(doc);
                    }
                    for w in stems.windows(2) {
                        if field < 2 {
                            let key = pair_key(w[0], w[1]);
                            let docs = pairs.entry(key).or_default();
                            if docs.last() != Some(&doc) {
                                docs.push(doc);
                            }
                        }
                    }
                    for &t in &stems {
                        *f[field].entry(t).or_default() += 1;
                        if field < 2 {
                            labels.push(t);
                        }
                    }
                    l[field] += stems.len() as u32;
                }
                labels.sort_unstable();
                labels.dedup();
                label_terms.push(labels);
                fields.push(f.map(|m| {
                    let mut v: Vec<(u32, u16)> = m.into_iter().collect();
                    v.sort_unstable();
                    v
                }));
                lens.push(l);
            }
        }
        let n = items.len().max(1) as f32;
        let mut avg = [0f32; 3];
        for l in &lens {
            for k in 0..3 {
                avg[k] += l[k] as f32;
            }
        }
        for a in &mut avg {
            *a = (*a / n).max(1.0);
        }
        let n_terms = s.t.terms.len();
        let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); n_terms];
        let p = &s.params;
        for (doc, f) in fields.iter().enumerate() {
            let mut acc: HashMap<u32, (f32, f32)> = HashMap::new();
            for k in 0..3 {
                let norm = 1.0 - p.b[k] + p.b[k] * lens[doc][k] as f32 / avg[k];
                for &(t, tf) in &f[k] {
                    let e = acc.entry(t).or_default();
                    e.0 += p.weights[k] * f32::from(tf) / norm;
                    e.1 += f32::from(tf);
                }
            }
            let mut acc: Vec<(u32, (f32, f32))> = acc.into_iter().collect();
            acc.sort_unstable_by_key(|&(t, _)| t);
            for (t, (tf, raw)) in acc {
                postings[t as usize].push((doc as u32, tf / (p.k1 + tf), 1.0 + raw.ln()));
            }
        }
        let idf: Vec<f32> = postings
            .iter()
            .map(|p| {
                let df = p.len() as f32;
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
        let mut norms = vec![0f32; items.len()];
        for (t, post) in postings.iter().enumerate() {
            for &(d, _, l) in post {
                norms[d as usize] += (l * idf[t]).powi(2);
            }
        }
        let mut label_postings: Vec<Vec<u32>> = vec![Vec::new(); n_terms];
        let mut label_idf = Vec::with_capacity(label_sets.len());
        for (l, set) in label_sets.iter().enumerate() {
            label_idf.push(set.iter().map(|&t| idf[t as usize]).sum::<f32>().max(1e-6));
            for &t in set {
                label_postings[t as usize].push(l as u32);
            }
        }
        let mut pairs: Vec<(u64, Vec<u32>)> = pairs.into_iter().collect();
        pairs.sort_unstable_by_key(|&(k, _)| k);
        let (pair_keys, pair_docs): (Vec<u64>, Vec<Vec<u32>>) = pairs.into_iter().unzip();
        let terms = std::mem::take(&mut s.t.terms);
        s.t = Tables {
            items,
            terms,
            postings: Lists::from_vecs(&postings),
            norms: norms.into_iter().map(|x| x.sqrt().max(1e-6)).collect(),
            idf,
            pair_keys,
            pair_docs: Lists::from_vecs(&pair_docs),
            label_terms: Lists::from_vecs(&label_terms),
            prior: prior_of,
            label_postings: Lists::from_vecs(&label_postings),
            label_doc,
            label_idf,
        };
        s.derive();
        s
    }

    /// What is derived from the tables on every load (cheap, so not kept in a snapshot): term
    /// specificity and each doc's framework.
    fn derive(&mut self) {
        let t = &self.t;
        let (r, floor) = (self.params.spec_ref, self.params.spec_floor);
        self.spec = (0..t.terms.len())
            .map(|i| {
                if r <= 0.0 {
                    return 1.0;
                }
                let df = t.postings.get(i).len() as f32;
                let lf = t.label_postings.get(i).len() as f32;
                // Labels per competency using it, against competencies using it at all: a
                // term in labels only gives > 1 (some competencies have several labels with it).
                let share = (lf + 0.5) / (df + 1.0);
                (share / r).clamp(floor, 1.0)
            })
            .collect();
        let mut fw_of = Vec::with_capacity(t.items.len());
        for it in &t.items {
            let fw = it.reference.split(':').next().unwrap_or("");
            let i = match self.fw_ids.iter().position(|f| f == fw) {
                Some(i) => i,
                None => {
                    self.fw_ids.push(fw.to_string());
                    self.fw_ids.len() - 1
                }
            };
            fw_of.push(i.min(usize::from(u16::MAX)) as u16);
        }
        self.fw_of = fw_of;
    }

    /// The doc of a `FRAMEWORK:ID` reference.
    fn doc_of(&self, reference: &str) -> Option<u32> {
        self.by_ref
            .get_or_init(|| {
                self.t
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, it)| (it.reference.clone(), i as u32))
                    .collect()
            })
            .get(reference)
            .copied()
    }

    /// A suggester over tables built earlier (with the same `params`, which the caller
    /// vouches for: a snapshot records them). The tables must be [`Tables::is_consistent`].
    pub fn from_tables(t: Tables, params: Params) -> Self {
        let vocab = t
            .terms
            .iter()
            .enumerate()
            .map(|(i, term)| (term.clone(), i as u32))
            .collect();
        let mut s = Suggester {
            params,
            stemmer: Stemmer::create(Algorithm::English),
            vocab,
            t,
            spec: Vec::new(),
            fw_of: Vec::new(),
            fw_ids: Vec::new(),
            by_ref: OnceLock::new(),
        };
        s.derive();
        s
    }

    /// The tables built from the catalog (what a snapshot keeps).
    pub fn tables(&self) -> &Tables {
        &self.t
    }

    /// The parameters it was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The suggestable competencies, in catalog order.
    pub fn items(&self) -> &[Item] {
        &self.t.items
    }

    fn stem(&self, w: &str) -> Option<String> {
        if STOP.contains(&w) {
            return None;
        }
        Some(self.stemmer.stem(w).into_owned())
    }

    fn stems_interning(&mut self, text: &str) -> Vec<u32> {
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
    fn read(&self, text: &str, correct: bool, literal: bool) -> Read {
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
                    let st = self.stemmer.stem(&w).into_owned();
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
    fn agent_terms(&self, text: &str, literal: bool) -> Vec<(u32, f32)> {
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
    fn activity_of(&self, st: &str) -> Vec<u32> {
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
            let stem = self.stemmer.stem(&cand).into_owned();
            if let Some(&t) = self.vocab.get(&stem) {
                if Some(t) != own && !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The vocabulary term nearest to `w` within the typo tolerance, if any.
    fn nearest(&self, w: &str) -> Option<u32> {
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

    /// Rank competencies for a need: `title` is its short statement (weighted up), `body` any
    /// longer description. Returns the best `top`.
    pub fn suggest(&self, title: &str, body: &str, top: usize) -> Vec<Suggestion> {
        self.rank(title, body, &Context::default(), top, false)
    }

    /// [`Suggester::suggest`] for a need in a design: `ctx` pulls toward the design's field.
    pub fn suggest_in(
        &self,
        title: &str,
        body: &str,
        ctx: &Context,
        top: usize,
    ) -> Vec<Suggestion> {
        self.rank(title, body, ctx, top, false)
    }

    /// [`Suggester::suggest`] reading every word as it is: no general-word list, specificity or
    /// alias (the evidence extractor's threshold was calibrated on this reading).
    pub fn suggest_literal(&self, title: &str, body: &str, top: usize) -> Vec<Suggestion> {
        self.rank(title, body, &Context::default(), top, true)
    }

    fn rank(
        &self,
        title: &str,
        body: &str,
        ctx: &Context,
        top: usize,
        literal: bool,
    ) -> Vec<Suggestion> {
        let p = &self.params;
        // What agreed mappings taught: their needs' wording, pointing at their competency.
        let taught = self.taught(ctx);
        let title_read = self.read(title, true, literal);
        let body_read = self.read(body, false, literal);
        let (title_terms, body_terms) = (&title_read.run, &body_read.run);
        let title_agents = self.agent_terms(title, literal);
        let body_agents = self.agent_terms(body, literal);
        // Query term weights: saturated counts, title terms boosted.
        let mut qtf: HashMap<u32, (f32, bool)> = HashMap::new();
        for (t, w) in title_terms.iter().flatten() {
            let e = qtf.entry(*t).or_default();
            e.0 += w;
            e.1 = true;
        }
        for (t, w) in body_terms.iter().flatten() {
            qtf.entry(*t).or_default().0 += w;
        }
        for &(t, w) in &title_agents {
            let e = qtf.entry(t).or_default();
            e.0 += w;
            e.1 = true;
        }
        for &(t, w) in &body_agents {
            qtf.entry(t).or_default().0 += w;
        }
        let mut query: Vec<(u32, f32)> = qtf
            .into_iter()
            .map(|(t, (c, in_title))| {
                let sat = (p.k3 + 1.0) * c / (p.k3 + c);
                (t, sat * if in_title { p.title_boost } else { 1.0 })
            })
            .collect();
        query.retain(|&(_, w)| w > 1e-6);
        query.sort_unstable_by_key(|&(t, _)| t);
        let mut scores = vec![0f32; self.t.items.len()];
        self.accumulate(&query, &mut scores);
        // Phrase bonus: adjacent query words adjacent in a name or keyword.
        let mut seen_pairs: Vec<u64> = Vec::new();
        for (run, boost) in [(title_terms, p.title_boost), (body_terms, 1.0)] {
            for w in run.windows(2) {
                let (Some((a, _)), Some((b, _))) = (w[0], w[1]) else {
                    continue;
                };
                let key = pair_key(a, b);
                if seen_pairs.contains(&key) {
                    continue;
                }
                seen_pairs.push(key);
                if let Some(docs) = self.t.pair(key) {
                    let bonus = p.phrase_bonus
                        * boost
                        * 0.5
                        * (self.t.idf[a as usize] + self.t.idf[b as usize]);
                    for &d in docs {
                        scores[d as usize] += bonus;
                    }
                }
            }
        }
        if p.cosine_weight > 0.0 {
            let mut cos = vec![0f32; self.t.items.len()];
            let mut qn = 0f32;
            for &(t, w) in &query {
                let idf = self.t.idf[t as usize];
                let qv = (1.0 + w.max(1e-6).ln().max(0.0)) * idf;
                qn += qv * qv;
                for &(d, _, l) in self.t.postings.get(t as usize) {
                    cos[d as usize] += qv * l * idf;
                }
            }
            let _ = qn;
            for (c, n) in cos.iter_mut().zip(&self.t.norms) {
                *c /= n;
            }
            let mb = scores.iter().copied().fold(0f32, f32::max).max(1e-6);
            let mc = cos.iter().copied().fold(0f32, f32::max).max(1e-6);
            for (s, c) in scores.iter_mut().zip(cos) {
                *s = *s / mb + p.cosine_weight * c / mc;
            }
        }
        // Pseudo-relevance feedback from the labels of the best first-pass competencies.
        if p.prf_docs > 0 && p.prf_terms > 0 && p.prf_weight > 0.0 {
            let first = top_k(&scores, &self.t.prior, p.prf_docs);
            let mut fb: HashMap<u32, f32> = HashMap::new();
            for s in &first {
                for &t in self.t.label_terms.get(s.item) {
                    *fb.entry(t).or_default() += self.t.idf[t as usize];
                }
            }
            let mut fb: Vec<(u32, f32)> = fb
                .into_iter()
                .filter(|(t, _)| query.binary_search_by_key(t, |&(q, _)| q).is_err())
                .collect();
            fb.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            fb.truncate(p.prf_terms);
            let max = fb.first().map_or(1.0, |f| f.1);
            let extra: Vec<(u32, f32)> = fb
                .into_iter()
                .map(|(t, w)| (t, p.prf_weight * w / max))
                .collect();
            self.accumulate(&extra, &mut scores);
        }
        if p.coverage_gain > 0.0 {
            let mut acc = vec![0f32; self.t.label_doc.len()];
            for &(t, _) in &query {
                let idf = self.t.idf[t as usize];
                for &l in self.t.label_postings.get(t as usize) {
                    acc[l as usize] += idf;
                }
            }
            let mut cov = vec![0f32; self.t.items.len()];
            for (l, &a) in acc.iter().enumerate() {
                if a > 0.0 {
                    let d = self.t.label_doc[l] as usize;
                    let li = self.t.label_idf[l];
                    let damp = if p.generic_idf > 0.0 {
                        (li / p.generic_idf).min(1.0)
                    } else {
                        1.0
                    };
                    cov[d] = cov[d].max(damp * a / li);
                }
            }
            for (s, c) in scores.iter_mut().zip(cov) {
                *s *= 1.0 + p.coverage_gain * c.powf(p.coverage_power);
            }
        }
        let need = if taught.is_empty() {
            Vec::new()
        } else {
            self.content_stems(&format!("{title}\n{body}"))
        };
        let pulled = self.apply_context(ctx, &need, &taught, &mut scores);
        let mut out = top_k(&scores, &self.t.prior, top);
        let shown: Vec<&(u32, String)> = title_read.shown.iter().chain(&body_read.shown).collect();
        for s in &mut out {
            s.why = self.explain(s.item as u32, &shown, &pulled);
        }
        out
    }

    /// What the design taught: per agreed mapping found in the index, (doc, its need's
    /// content stems with their weights, the need's statement).
    fn taught<'c>(&self, ctx: &'c Context) -> Vec<Taught<'c>> {
        if self.params.taught_gain <= 0.0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (text, reference) in &ctx.taught {
            let Some(doc) = self.doc_of(reference) else {
                continue;
            };
            let stems = self.content_stems(text);
            if !stems.is_empty() {
                out.push((doc, stems, text.as_str()));
            }
        }
        out
    }

    /// The distinct stems of `text`'s content words (no stop or general word), each weighted
    /// by its IDF, or the largest IDF for a word no competency uses (the rarest of all).
    fn content_stems(&self, text: &str) -> Vec<(String, f32)> {
        let lists = phrases::shipped();
        let top_idf = self.t.idf.iter().copied().fold(1.0f32, f32::max);
        let mut out: Vec<(String, f32)> = Vec::new();
        for tok in lists.tokens(text, &[]) {
            let st = match tok {
                Token::Word(w) if lists.is_general(&w) => continue,
                Token::Word(w) => match self.stem(&w) {
                    Some(st) => st,
                    None => continue,
                },
                Token::Alias { said, .. } => said,
            };
            if out.iter().any(|(s, _)| *s == st) {
                continue;
            }
            let w = self
                .vocab
                .get(&st)
                .map_or(top_idf, |&t| self.t.idf[t as usize]);
            out.push((st, w));
        }
        out
    }

    /// Lift what the design's context points at (see [`Context`]); returns what pulled, for
    /// [`Why`]: the context terms with how to show them, and the taught docs.
    fn apply_context(
        &self,
        ctx: &Context,
        need: &[(String, f32)],
        taught: &[Taught<'_>],
        scores: &mut [f32],
    ) -> Pulled {
        let p = &self.params;
        let mut pulled = Pulled::default();
        let best = scores.iter().copied().fold(0f32, f32::max);
        if best <= 0.0 {
            return pulled;
        }
        // The credential's words and the labels of what is already mapped.
        let mut cq: HashMap<u32, f32> = HashMap::new();
        if p.ctx_gain > 0.0 {
            let r = self.read(&ctx.credential, false, false);
            for (t, w) in r.run.iter().flatten() {
                *cq.entry(*t).or_default() += w;
            }
            for (t, w) in r.shown {
                pulled.terms.push((t, false, w));
            }
            if p.ctx_mapped > 0.0 {
                for reference in &ctx.mapped {
                    let Some(d) = self.doc_of(reference) else {
                        continue;
                    };
                    for &t in self.t.label_terms.get(d as usize) {
                        *cq.entry(t).or_default() += p.ctx_mapped * self.spec[t as usize];
                        pulled
                            .terms
                            .push((t, true, self.t.terms[t as usize].clone()));
                    }
                }
            }
        }
        if !cq.is_empty() {
            let mut cq: Vec<(u32, f32)> = cq.into_iter().filter(|&(_, w)| w > 1e-6).collect();
            cq.sort_unstable_by_key(|&(t, _)| t);
            let mut c = vec![0f32; scores.len()];
            self.accumulate(&cq, &mut c);
            let mc = c.iter().copied().fold(0f32, f32::max);
            if mc > 0.0 {
                // The field the context points at: per framework, the mean context score of
                // its competencies (a small framework about the credential's field beats a
                // large one that mentions its words here and there).
                let mut fw_sum = vec![(0f32, 0u32); self.fw_ids.len()];
                for (&f, &c) in self.fw_of.iter().zip(&c) {
                    let e = &mut fw_sum[usize::from(f)];
                    e.0 += c / mc;
                    e.1 += 1;
                }
                let mean: Vec<f32> = fw_sum.iter().map(|&(s, n)| s / n.max(1) as f32).collect();
                let top = mean.iter().copied().fold(0f32, f32::max);
                if p.field_gain > 0.0 && top > 0.0 && self.fw_ids.len() > 1 {
                    let aff: Vec<f32> = mean.iter().map(|m| m / top).collect();
                    pulled.field = aff.iter().map(|&a| a >= 0.5).collect();
                    for (s, &f) in scores.iter_mut().zip(&self.fw_of) {
                        *s *= 1.0 + p.field_gain * aff[usize::from(f)];
                    }
                }
                for (s, c) in scores.iter_mut().zip(c) {
                    if *s > 0.0 {
                        *s *= 1.0 + p.ctx_gain * c / mc;
                    }
                }
            }
        }
        if p.fw_gain > 0.0 && !ctx.frameworks.is_empty() {
            let used: Vec<bool> = self
                .fw_ids
                .iter()
                .map(|f| ctx.frameworks.contains(f))
                .collect();
            for (s, &f) in scores.iter_mut().zip(&self.fw_of) {
                if *s > 0.0 && used.get(usize::from(f)) == Some(&true) {
                    *s *= 1.0 + p.fw_gain;
                }
            }
            pulled.frameworks = used;
        }
        // Agreed mappings whose need was worded like this one.
        let best = scores.iter().copied().fold(0f32, f32::max);
        for (doc, terms, text) in taught {
            let total: f32 = terms.iter().map(|&(_, w)| w).sum();
            let hit: f32 = terms
                .iter()
                .filter(|(t, _)| need.iter().any(|(q, _)| q == t))
                .map(|&(_, w)| w)
                .sum();
            let cover = hit / total.max(1e-6);
            if cover >= p.taught_min {
                if let Some(s) = scores.get_mut(*doc as usize) {
                    *s = s.max(0.0) + p.taught_gain * cover * best;
                    pulled.taught.push((*doc, (*text).to_string()));
                }
            }
        }
        pulled
    }

    /// Why `doc` was suggested: the query's words it holds and the context that pulled it.
    fn explain(&self, doc: u32, shown: &[&(u32, String)], pulled: &Pulled) -> Why {
        let has = |t: u32| {
            self.t
                .postings
                .get(t as usize)
                .binary_search_by_key(&doc, |p| p.0)
                .is_ok()
        };
        let mut why = Why::default();
        for (t, w) in shown {
            if !why.words.contains(w) && has(*t) {
                why.words.push(w.clone());
            }
        }
        // The credential's words, then the design's, each as one reason.
        for (kind, design) in [("credential", false), ("design", true)] {
            let mut words: Vec<&str> = Vec::new();
            for (t, d, w) in &pulled.terms {
                if *d == design && !words.contains(&w.as_str()) && has(*t) {
                    words.push(w);
                }
            }
            if !words.is_empty() {
                why.context.push(format!("{kind}: {}", words.join(", ")));
            }
        }
        let fw = usize::from(self.fw_of.get(doc as usize).copied().unwrap_or(0));
        if pulled.field.get(fw) == Some(&true) && pulled.frameworks.get(fw) != Some(&true) {
            why.context
                .push(format!("field of the credential: {}", self.fw_ids[fw]));
        }
        if pulled.frameworks.get(fw) == Some(&true) {
            why.context
                .push(format!("framework in use: {}", self.fw_ids[fw]));
        }
        for (d, text) in &pulled.taught {
            if *d == doc {
                why.context.push(format!("taught by need: \"{text}\""));
            }
        }
        why
    }

    fn accumulate(&self, query: &[(u32, f32)], scores: &mut [f32]) {
        for &(t, qw) in query {
            let w = qw * self.t.idf[t as usize];
            for &(d, s, _) in self.t.postings.get(t as usize) {
                scores[d as usize] += w * s;
            }
        }
    }
}

/// An agreed mapping's lesson: (its competency's doc, its need's content stems with their
/// weights, the need's statement).
type Taught<'c> = (u32, Vec<(String, f32)>, &'c str);

/// What the context pulled, for [`Why`].
#[derive(Default)]
struct Pulled {
    /// Context terms, whether they came from the design's competencies (else from the
    /// credential's text), and how to show them.
    terms: Vec<(u32, bool, String)>,
    /// Per framework (as `Suggester::fw_ids`): used by the design.
    frameworks: Vec<bool>,
    /// Per framework: the field the credential's words point at.
    field: Vec<bool>,
    /// Docs lifted by an agreed mapping, with its need's statement.
    taught: Vec<(u32, String)>,
}

fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// The best `k` positive scores (after the prior), ties by position.
fn top_k(scores: &[f32], prior: &[f32], k: usize) -> Vec<Suggestion> {
    let mut v: Vec<(u32, f32)> = scores
        .iter()
        .zip(prior)
        .enumerate()
        .filter(|(_, (s, _))| **s > 0.0)
        .map(|(i, (s, p))| (i as u32, s * p))
        .collect();
    let cmp = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if v.len() > k && k > 0 {
        v.select_nth_unstable_by(k - 1, cmp);
    }
    v.truncate(k);
    v.sort_unstable_by(cmp);
    v.into_iter()
        .map(|(i, s)| Suggestion {
            item: i as usize,
            score: f64::from(s),
            why: Why::default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::search::tests::framework;
    use crate::model::Competency;

    fn comp(id: &str, name: &str, keywords: &[&str], description: &str) -> Competency {
        Competency {
            id: id.into(),
            name: name.into(),
            description: description.into(),
            category: None,
            kind: None,
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            parent: None,
            uri: None,
            levels: Default::default(),
            ..Default::default()
        }
    }

    fn catalog_of(competencies: Vec<Competency>) -> Catalog {
        crate::analysis::search::tests::catalog(competencies)
    }

    fn suggester() -> Suggester {
        Suggester::new(&catalog_of(vec![
            comp(
                "CLEAN",
                "Clean and prepare data",
                &["data cleaning", "wrangling"],
                "Detect and correct errors in a data set.",
            ),
            comp(
                "VIS",
                "Visualise data",
                &["charts", "dashboards"],
                "Present data in charts so others understand it.",
            ),
            comp(
                "PLUMB",
                "Install pipes",
                &["plumbing"],
                "Fit water pipes in buildings; clean joints before soldering.",
            ),
            comp(
                "TEAM",
                "Work in a team",
                &["teamwork"],
                "Cooperate with colleagues.",
            ),
            comp(
                "SQL",
                "Query databases with SQL",
                &["database queries"],
                "Write SQL to extract data.",
            ),
        ]))
    }

    fn refs(s: &Suggester, title: &str, body: &str) -> Vec<String> {
        s.suggest(title, body, 10)
            .iter()
            .map(|g| s.items()[g.item].reference.clone())
            .collect()
    }

    #[test]
    fn ranks_by_field_and_stem() {
        let s = suggester();
        // "cleaning" and "clean" share a stem; the name/keyword match beats a description one.
        let r = refs(&s, "cleaning messy data", "");
        assert_eq!(r[0], "fw:CLEAN", "{r:?}");
        assert!(r.iter().position(|x| x == "fw:PLUMB") > Some(0));
        assert_eq!(refs(&s, "dashboards for managers", "")[0], "fw:VIS");
        assert_eq!(refs(&s, "querying a database", "")[0], "fw:SQL");
    }

    #[test]
    fn tolerates_typos_in_the_title() {
        let s = suggester();
        assert_eq!(refs(&s, "teamwrok", "")[0], "fw:TEAM");
        assert_eq!(
            refs(&s, "visualse", "").first().map(String::as_str),
            Some("fw:VIS")
        );
    }

    #[test]
    fn stop_words_and_unknown_words_give_nothing() {
        let s = suggester();
        assert!(s.suggest("the and of", "", 10).is_empty());
        assert!(s.suggest("qqq zzz", "", 10).is_empty());
        assert!(s.suggest("", "", 10).is_empty());
    }

    #[test]
    fn deterministic_and_sorted() {
        let s = suggester();
        let a = s.suggest("clean data and charts for a team", "pipes", 10);
        let b = s.suggest("clean data and charts for a team", "pipes", 10);
        assert_eq!(a, b);
        assert!(a.windows(2).all(|w| w[0].score >= w[1].score));
        assert_eq!(s.suggest("data", "", 2).len(), 2);
    }

    #[test]
    fn phrase_match_beats_scattered_words() {
        let s = Suggester::new(&catalog_of(vec![
            comp("A", "Report on the data of a sales analysis", &[], "x"),
            comp("B", "Sales data analysis", &[], "x"),
        ]));
        assert_eq!(refs(&s, "data analysis", "")[0], "fw:B");
    }

    #[test]
    fn an_agent_noun_asks_for_its_activity() {
        let s = Suggester::new(&catalog_of(vec![
            comp("ADV", "Advise supervisors", &[], "x"),
            comp("SUP", "Supervise staff", &[], "x"),
            comp("SELL", "Sell books", &[], "x"),
            comp("SELLERS", "Initiate contact with sellers", &[], "x"),
        ]));
        // "supervisor" and "sellers" are people; what the need asks for is what they do.
        assert_eq!(refs(&s, "site supervisor", "")[0], "fw:SUP");
        assert_eq!(refs(&s, "book sellers", "")[0], "fw:SELL");
        // With the expansion off, the person's name wins.
        let off = Params {
            agent_weight: 0.0,
            agent_own: 1.0,
            ..Params::default()
        };
        let s = Suggester::with_params(
            &catalog_of(vec![
                comp("ADV", "Advise supervisors", &[], "x"),
                comp("SUP", "Supervise staff", &[], "x"),
            ]),
            off,
        );
        assert_eq!(refs(&s, "site supervisor", "")[0], "fw:ADV");
    }

    #[test]
    fn filler_and_hiring_talk_do_not_pull() {
        let s = Suggester::new(&catalog_of(vec![
            comp("HIRE", "Hire new personnel", &[], "Recruit staff."),
            comp(
                "PUMP",
                "Install heat pumps",
                &[],
                "Fit heat pumps in homes.",
            ),
            comp("PROPS", "Identify props", &[], "Find stage props."),
        ]));
        let r = refs(
            &s,
            "Honestly the new hires can't install heat pumps properly",
            "",
        );
        assert_eq!(r, vec!["fw:PUMP"], "only the heat pump need pulls");
        // Off (single general words weigh as any other), hiring talk reaches the personnel skill.
        let off = Params {
            general: false,
            ..Params::default()
        };
        let s = Suggester::with_params(
            &catalog_of(vec![comp("HIRE", "Hire new personnel", &[], "x")]),
            off,
        );
        assert_eq!(refs(&s, "hires", ""), vec!["fw:HIRE"]);
    }

    #[test]
    fn trade_abbreviations_reach_competencies_and_say_so() {
        let s = Suggester::new(&catalog_of(vec![
            comp("MIG", "Perform metal inert gas welding", &[], "x"),
            comp("STOCK", "Manage stock", &[], "x"),
        ]));
        let got = s.suggest("MIG on thin stock", "", 5);
        assert_eq!(s.items()[got[0].item].reference, "fw:MIG");
        assert!(
            got[0]
                .why
                .words
                .contains(&"mig (metal inert gas welding)".to_string()),
            "{:?}",
            got[0].why
        );
    }

    #[test]
    fn the_design_pulls_without_hiding_a_strong_match() {
        let cat = catalog_of(vec![
            comp(
                "TANK",
                "Clean confined spaces",
                &[],
                "Clean the inside of tanks and ship holds.",
            ),
            comp(
                "ATTIC",
                "Work safely in confined spaces and at heights",
                &[],
                "Enter attics and crawlspaces safely to install heat pumps.",
            ),
        ]);
        let s = Suggester::new(&cat);
        let ctx = Context {
            credential: "Heat pump installer".into(),
            ..Context::default()
        };
        let first = |title: &str, ctx: &Context| {
            let g = s.suggest_in(title, "", ctx, 5);
            (s.items()[g[0].item].reference.clone(), g[0].why.clone())
        };
        assert_eq!(first("confined spaces", &Context::default()).0, "fw:TANK");
        let (r, why) = first("confined spaces", &ctx);
        assert_eq!(r, "fw:ATTIC");
        assert!(
            why.context
                .iter()
                .any(|c| c.starts_with("credential: ") && c.contains("pump")),
            "{why:?}"
        );
        // A need that says what it wants elsewhere keeps it.
        assert_eq!(
            first("clean ship tanks, confined spaces", &ctx).0,
            "fw:TANK"
        );
    }

    #[test]
    fn frameworks_in_use_and_agreed_mappings_pull() {
        let cat = Catalog::from_frameworks([
            framework("a", vec![comp("SQL", "Query databases", &[], "x")]),
            framework(
                "b",
                vec![
                    comp("SQL", "Query databases", &[], "x"),
                    comp(
                        "HAND",
                        "Hand over finished work",
                        &[],
                        "Explain to clients.",
                    ),
                    comp("RUN", "Run a meeting", &[], "x"),
                ],
            ),
        ]);
        let s = Suggester::new(&cat);
        let top = |title: &str, ctx: &Context| {
            let g = s.suggest_in(title, "", ctx, 5);
            (s.items()[g[0].item].reference.clone(), g[0].why.clone())
        };
        assert_eq!(top("query databases", &Context::default()).0, "a:SQL");
        let ctx = Context {
            frameworks: vec!["b".into()],
            ..Context::default()
        };
        let (r, why) = top("query databases", &ctx);
        assert_eq!(r, "b:SQL");
        assert!(why.context.contains(&"framework in use: b".to_string()));
        // "run the system" reads as a meeting until an agreed mapping teaches otherwise.
        let need = "homeowners should know how to run the system";
        assert_eq!(top(need, &Context::default()).0, "b:RUN");
        let ctx = Context {
            taught: vec![(
                "leave homeowners knowing how to run the system".into(),
                "b:HAND".into(),
            )],
            ..Context::default()
        };
        let (r, why) = top(need, &ctx);
        assert_eq!(r, "b:HAND");
        assert!(why.context.iter().any(|c| c.starts_with("taught by need")));
    }

    #[test]
    fn lists_flatten_and_check_their_offsets() {
        let l = Lists::from_vecs(&[vec![1u32, 2], vec![], vec![3]]);
        assert_eq!(
            (l.len(), l.get(0), l.get(1), l.get(2)),
            (3, &[1, 2][..], &[][..], &[3][..])
        );
        assert!(l.get(3).is_empty() && l.is_well_formed());
        let bad = Lists {
            start: vec![0, 3, 2],
            values: vec![1u32, 2],
        };
        assert!(!bad.is_well_formed());
        assert!(
            bad.get(1).is_empty(),
            "a bad range gives nothing, not a panic"
        );
        assert!(Lists::<u32>::default().is_empty());
    }

    #[test]
    fn a_suggester_from_its_tables_answers_alike() {
        let s = suggester();
        let again = Suggester::from_tables(s.tables().clone(), s.params().clone());
        assert!(again.tables().is_consistent());
        for q in [
            "cleaning messy data",
            "teamwrok",
            "dashboards",
            "book sellers",
        ] {
            assert_eq!(
                s.suggest(q, "pipes", 5),
                again.suggest(q, "pipes", 5),
                "{q}"
            );
        }
    }
}
