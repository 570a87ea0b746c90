//! The competency finder: search over every loaded competency as the query is typed (fzf's
//! extended syntax, the same matcher and ranking as `microcred search`: see
//! [`crate::analysis::search`]), and ranked suggestions for a need's text when the query is
//! empty.

use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::text::{Keyed, Pasted, TextField};

use crate::analysis::search::{Field, SearchIndex, Searcher};
use crate::analysis::suggest::{Context, Suggester, Why};
use crate::document::hub::Hub;

use crate::catalog::Catalog;

/// What picking a competency does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinderPurpose {
    /// Map this need to the competency picked.
    MapNeed(String),
    /// Add the competency picked to the credential.
    AddToCredential,
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub reference: String,
    pub name: String,
    pub score: f64,
    /// The keyword or id that matched, when it was not the name.
    pub via: Option<String>,
    /// Char positions that matched, in `via` when set, else in `name`, for highlighting.
    pub positions: Vec<usize>,
}

/// The finder's state: incremental search (narrowing as the query grows), or ranked
/// suggestions for the need's text while the query is empty.
pub struct Finder {
    pub purpose: FinderPurpose,
    /// The query, one line of at most [`crate::limits::QUERY`] characters.
    pub input: TextField,
    pub hits: Vec<Hit>,
    pub sel: usize,
    /// True when the hits are suggestions for the need's text, not search results.
    pub suggesting: bool,
    need_text: Option<String>,
    /// The design around the need, which pulls the suggestions.
    context: Context,
    searcher: Searcher<Arc<SearchIndex>>,
    suggester: Arc<Suggester>,
}

impl std::fmt::Debug for Finder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finder")
            .field("purpose", &self.purpose)
            .field("query", &self.input.value())
            .field("hits", &self.hits.len())
            .finish()
    }
}

/// How many rows the finder keeps.
pub const LIMIT: usize = 200;

impl Finder {
    /// A finder for `purpose`; `need_text` seeds the suggestions.
    pub fn new(purpose: FinderPurpose, hub: &Hub, need_text: Option<&str>) -> Self {
        Self::in_context(purpose, hub, need_text, Context::default())
    }

    /// [`Finder::new`] with the design's `context` for the suggestions.
    pub fn in_context(
        purpose: FinderPurpose,
        hub: &Hub,
        need_text: Option<&str>,
        mut context: Context,
    ) -> Self {
        // The occupation the credential names, found once when the finder opens.
        if context.occupation.is_none() {
            context.occupation = crate::analysis::suggest::context::occupation_for(
                hub.catalog(),
                context.credential.split(". ").next().unwrap_or(""),
            );
        }
        let mut f = Finder {
            purpose,
            input: TextField::line("", crate::limits::QUERY),
            hits: Vec::new(),
            sel: 0,
            suggesting: false,
            need_text: need_text.map(str::to_string),
            context,
            searcher: Searcher::new(hub.search_index()),
            suggester: hub.suggester(),
        };
        f.refresh();
        f
    }

    /// Edit the query with a key ([`TextField::key`]); when it was the query's, the hits are
    /// those of the new query, the first selected.
    pub fn key(&mut self, k: &KeyEvent) -> Keyed {
        let keyed = self.input.key(k);
        if keyed == Keyed::Taken {
            self.sel = 0;
            self.refresh();
        }
        keyed
    }

    /// Paste into the query (line breaks become spaces), cut to its limit; the hits are those
    /// of the new query, the first selected.
    pub fn paste(&mut self, text: &str) -> Pasted {
        let pasted = self.input.paste(text);
        self.sel = 0;
        self.refresh();
        pasted
    }

    /// Recompute the hits for the current query (the searcher narrows from the last query).
    pub fn refresh(&mut self) {
        let q = self.input.value().trim().to_string();
        if q.is_empty() {
            self.suggesting = self.need_text.is_some();
            self.hits = match &self.need_text {
                Some(t) => {
                    let items = self.suggester.items();
                    self.suggester
                        .suggest_in(t, "", &self.context, LIMIT)
                        .into_iter()
                        .filter_map(|s| {
                            let it = items.get(s.item)?;
                            Some(Hit {
                                reference: it.reference.clone(),
                                name: it.name.clone(),
                                score: s.score,
                                via: because(&s.why),
                                positions: Vec::new(),
                            })
                        })
                        .collect()
                }
                None => Vec::new(),
            };
        } else {
            self.suggesting = false;
            self.searcher.update(&q);
            self.collect();
        }
        self.sel = self.sel.min(self.hits.len().saturating_sub(1));
    }

    fn collect(&mut self) {
        let hits = self.searcher.hits(LIMIT);
        let index = self.searcher_index();
        self.hits = hits
            .into_iter()
            .filter_map(|h| {
                let it = index.item(h.item)?;
                let via = (h.field != Field::Name).then(|| h.label.clone());
                Some(Hit {
                    reference: it.reference(),
                    name: it.name.to_string(),
                    score: h.score as f64,
                    via,
                    positions: h.positions,
                })
            })
            .collect();
    }

    fn searcher_index(&self) -> Arc<SearchIndex> {
        self.searcher.index()
    }

    /// Carry on an unfinished search between keystrokes; true when the hits changed.
    pub fn refine(&mut self) -> bool {
        if self.suggesting || self.input.value().trim().is_empty() || self.searcher.complete() {
            return false;
        }
        self.searcher.refine(REFINE_BUDGET);
        self.collect();
        true
    }

    /// True while the shown hits may still change (the search has labels left to score).
    pub fn searching(&self) -> bool {
        !self.suggesting && !self.input.value().trim().is_empty() && !self.searcher.complete()
    }

    /// The selected hit.
    pub fn selected(&self) -> Option<&Hit> {
        self.hits.get(self.sel)
    }
}

/// Labels scored per idle step after a keystroke.
const REFINE_BUDGET: usize = 20_000;

/// The framework browser: frameworks, their categories, and the competencies in a category.
#[derive(Debug, Clone, Default)]
pub struct Browser {
    pub column: usize,
    pub fw: usize,
    pub cat: usize,
    pub comp: usize,
}

impl Browser {
    /// Categories of framework `fw`, in first-seen order ("(none)" for uncategorised).
    pub fn categories(catalog: &Catalog, fw: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if let Some(e) = catalog.entries().get(fw) {
            for c in &e.framework.competencies {
                let cat = c.category.clone().unwrap_or_else(|| "(none)".into());
                if !out.contains(&cat) {
                    out.push(cat);
                }
            }
        }
        out
    }

    /// Indexes of the competencies of framework `fw` in category `cat`, sorted by name
    /// (ignoring case).
    pub fn competencies(catalog: &Catalog, fw: usize, cat: &str) -> Vec<usize> {
        catalog.entries().get(fw).map_or_else(Vec::new, |e| {
            let all = &e.framework.competencies;
            let mut out: Vec<usize> = all
                .iter()
                .enumerate()
                .filter(|(_, c)| c.category.as_deref().unwrap_or("(none)") == cat)
                .map(|(i, _)| i)
                .collect();
            let folded = |i: usize| all[i].name.chars().flat_map(char::to_lowercase);
            out.sort_by(|&a, &b| folded(a).cmp(folded(b)));
            out
        })
    }

    /// The reference of the selected competency.
    pub fn selected(&self, catalog: &Catalog) -> Option<String> {
        let e = catalog.entries().get(self.fw)?;
        let cats = Browser::categories(catalog, self.fw);
        let comps = Browser::competencies(catalog, self.fw, cats.get(self.cat)?);
        let c = &e.framework.competencies[*comps.get(self.comp)?];
        Some(format!("{}:{}", e.framework.id, c.id))
    }
}

/// A suggestion's reason, shown beside it (kept short: the row also shows its id): up to
/// three matched words, then the first thing in the design that pulled it.
fn because(why: &Why) -> Option<String> {
    let mut parts = Vec::new();
    if !why.words.is_empty() {
        let words: Vec<&str> = why.words.iter().take(3).map(String::as_str).collect();
        parts.push(format!("matched {}", words.join(", ")));
    }
    parts.extend(why.context.first().cloned());
    (!parts.is_empty()).then(|| parts.join("; "))
}
