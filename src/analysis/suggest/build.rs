//! Building the index from a catalog, or from tables read back from a snapshot.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::tables::pair_key;
use super::{Item, Lists, Params, Posting, Suggester, Tables};
use crate::model::Catalog;

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
    pub(super) fn derive(&mut self) {
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

    /// The doc of a `FRAMEWORK:ID` reference. The lookup (each doc by a hash of its
    /// reference, sorted) is built when a context first names one, without copying the
    /// references.
    pub(super) fn doc_of(&self, reference: &str) -> Option<u32> {
        let items = &self.t.items;
        let sorted = self.by_ref.get_or_init(|| {
            let mut v: Vec<(u64, u32)> = items
                .iter()
                .enumerate()
                .map(|(i, it)| (ref_hash(&it.reference), i as u32))
                .collect();
            v.sort_unstable();
            v
        });
        let h = ref_hash(reference);
        let from = sorted.partition_point(|&(k, _)| k < h);
        // The last doc of that reference, should two have it.
        sorted[from..]
            .iter()
            .take_while(|&&(k, _)| k == h)
            .filter(|&&(_, d)| items[d as usize].reference == reference)
            .map(|&(_, d)| d)
            .max()
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
}

/// A hash of a reference, for [`Suggester::doc_of`].
fn ref_hash(reference: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    reference.hash(&mut h);
    h.finish()
}
