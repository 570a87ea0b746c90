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
//!   is pulled to that competency). The credential's field reaches past its own words: the
//!   labels of the competencies its words match best add theirs at a lower weight
//!   ("residential electrician" also pulls "wiring"). All are bounded factors on a competency
//!   the need itself matched, so a strong match elsewhere stays.
//! - **Spelling**: "tires", "organize" and "labeled" are read as "tyres", "organise" and
//!   "labelled" (the shipped table `data/suggest/spelling.tsv` and rules for -ize and -yze),
//!   in the competencies' text and the need's alike.
//! - **Why**: each suggestion carries the words that matched and the context that pulled it.
//!
//! Deterministic: equal scores are ordered by catalog position. Uses only the catalog and the
//! text it is given.

pub mod context;
pub mod phrases;
pub mod spelling;

mod build;
mod pull;
mod rank;
mod read;
mod tables;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::Stemmer;

pub use tables::{Item, Lists, Posting, Tables};

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
    /// Context: the factor `1 + lean_gain` for an essential competency of the occupation the
    /// credential's title names (`1 + lean_gain / 2` for an optional one), on competencies the
    /// need matched.
    pub lean_gain: f32,
    /// Context: the weight of the field's words, read from the labels of the competencies the
    /// context itself matches best ("residential electrician" also pulls "wiring", "circuit"),
    /// relative to the context's own words (0 turns this off).
    pub ctx_expand: f32,
    /// Read North American and British spellings as one ([`spelling`]), in the index and the
    /// query alike.
    pub spelling: bool,
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
            lean_gain: 0.5,
            ctx_expand: 0.3,
            spelling: true,
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
    /// The occupation the credential's title names, when a framework carries occupation
    /// relations (ESCO imported with `--relations`): see [`context::occupation_for`].
    pub occupation: Option<Occupation>,
}

/// An occupation and its competencies, from a framework's occupation links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Occupation {
    /// Its label, as the links give it.
    pub name: String,
    /// `FRAMEWORK:ID` of its competencies, each with whether it is essential (else optional).
    pub competencies: Vec<(String, bool)>,
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
    /// (hash of the reference, doc), sorted: see [`Suggester::doc_of`].
    by_ref: OnceLock<Vec<(u64, u32)>>,
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
