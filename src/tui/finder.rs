//! The competency finder: fuzzy search over every loaded competency, and ranked suggestions
//! for a need's text when the query is empty.

use tui_input::Input;

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
    /// Char positions in `name` that matched, for highlighting.
    pub positions: Vec<usize>,
}

/// The finder's state.
#[derive(Debug, Clone)]
pub struct Finder {
    pub purpose: FinderPurpose,
    pub input: Input,
    pub hits: Vec<Hit>,
    pub sel: usize,
    /// True when the hits are suggestions for the need's text, not search results.
    pub suggesting: bool,
}

/// How many rows the finder keeps.
pub const LIMIT: usize = 200;

impl Finder {
    /// A finder for `purpose`; `need_text` seeds the suggestions.
    pub fn new(purpose: FinderPurpose, catalog: &Catalog, need_text: Option<&str>) -> Self {
        let mut f = Finder {
            purpose,
            input: Input::default(),
            hits: Vec::new(),
            sel: 0,
            suggesting: false,
        };
        f.refresh(catalog, need_text);
        f
    }

    /// Recompute the hits for the current query.
    pub fn refresh(&mut self, catalog: &Catalog, need_text: Option<&str>) {
        let q = self.input.value().trim().to_string();
        if q.is_empty() {
            self.suggesting = need_text.is_some();
            self.hits = match need_text {
                Some(t) => suggest_hits(catalog, t, LIMIT),
                None => Vec::new(),
            };
        } else {
            self.suggesting = false;
            self.hits = search_hits(catalog, &q, LIMIT);
        }
        self.sel = self.sel.min(self.hits.len().saturating_sub(1));
    }

    /// The selected hit.
    pub fn selected(&self) -> Option<&Hit> {
        self.hits.get(self.sel)
    }
}

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

    /// Indexes of the competencies of framework `fw` in category `cat`.
    pub fn competencies(catalog: &Catalog, fw: usize, cat: &str) -> Vec<usize> {
        catalog.entries().get(fw).map_or_else(Vec::new, |e| {
            e.framework
                .competencies
                .iter()
                .enumerate()
                .filter(|(_, c)| c.category.as_deref().unwrap_or("(none)") == cat)
                .map(|(i, _)| i)
                .collect()
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

/// Fuzzy search over names, keywords and ids.
fn search_hits(catalog: &Catalog, query: &str, limit: usize) -> Vec<Hit> {
    use fuzzy_matcher::FuzzyMatcher;
    let matcher = fuzzy_matcher::skim::SkimMatcherV2::default().smart_case();
    let mut hits = Vec::new();
    for e in catalog.entries() {
        for c in &e.framework.competencies {
            let by_name = matcher.fuzzy_indices(&c.name, query);
            let other = std::iter::once(&c.id)
                .chain(&c.keywords)
                .filter_map(|k| matcher.fuzzy_match(k, query))
                .max();
            let score = by_name
                .as_ref()
                .map(|(s, _)| *s)
                .into_iter()
                .chain(other)
                .max();
            if let Some(score) = score {
                hits.push(Hit {
                    reference: format!("{}:{}", e.framework.id, c.id),
                    name: c.name.clone(),
                    score: score as f64,
                    positions: by_name.map(|(_, p)| p).unwrap_or_default(),
                });
            }
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.reference.cmp(&b.reference))
    });
    hits.truncate(limit);
    hits
}

/// Competencies ranked for a need's text.
fn suggest_hits(catalog: &Catalog, text: &str, limit: usize) -> Vec<Hit> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(|w| w.to_lowercase())
            .collect()
    };
    let query = words(text);
    let mut hits = Vec::new();
    for e in catalog.entries() {
        for c in &e.framework.competencies {
            let name = words(&c.name);
            let rest = words(&format!("{} {}", c.keywords.join(" "), c.description));
            let score: f64 = query
                .iter()
                .map(|q| {
                    let stem = &q[..q.len().min(5)];
                    2.0 * name.iter().filter(|w| w.starts_with(stem)).count() as f64
                        + rest.iter().filter(|w| w.starts_with(stem)).count() as f64 * 0.5
                })
                .sum();
            if score > 0.0 {
                hits.push(Hit {
                    reference: format!("{}:{}", e.framework.id, c.id),
                    name: c.name.clone(),
                    score,
                    positions: Vec::new(),
                });
            }
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.reference.cmp(&b.reference))
    });
    hits.truncate(limit);
    hits
}
