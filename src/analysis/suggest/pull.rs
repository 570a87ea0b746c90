//! The design as context: what the credential, the design and agreed mappings pull, and why.

use std::collections::HashMap;

use super::phrases::{self, Token};
use super::rank::top_k;
use super::{Context, Suggester, Why};

impl Suggester {
    /// What the design taught: per agreed mapping found in the index, (doc, its need's
    /// content stems with their weights, the need's statement).
    pub(super) fn taught<'c>(&self, ctx: &'c Context) -> Vec<Taught<'c>> {
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
    pub(super) fn content_stems(&self, text: &str) -> Vec<(String, f32)> {
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
    pub(super) fn apply_context(
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
            if p.ctx_expand > 0.0 {
                for (t, word) in self.expand_context(&mut cq, &mut c) {
                    pulled.terms.push((t, false, format!("{word} (field)")));
                }
            }
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
        // The occupation the credential's title names: its skills lean up.
        if let Some(occ) = ctx.occupation.as_ref().filter(|_| p.lean_gain > 0.0) {
            for (reference, essential) in &occ.competencies {
                let Some(d) = self.doc_of(reference) else {
                    continue;
                };
                if let Some(s) = scores.get_mut(d as usize).filter(|s| **s > 0.0) {
                    let gain = if *essential {
                        p.lean_gain
                    } else {
                        p.lean_gain / 2.0
                    };
                    *s *= 1.0 + gain;
                    pulled.lean.push((d, *essential));
                }
            }
            pulled.occupation.clone_from(&occ.name);
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

    /// The field's words: the label terms of the competencies the context matches best,
    /// weighted by rarity and specificity, added to the context at `ctx_expand` of its own
    /// words' weight (so "residential electrician" also pulls "wiring" and "circuit"), and the
    /// context scores `c` recomputed with them. One pass over a few terms' postings. Returns
    /// the terms added, each with a word of those competencies' names that it stems from.
    fn expand_context(&self, cq: &mut Vec<(u32, f32)>, c: &mut [f32]) -> Vec<(u32, String)> {
        const DOCS: usize = 30;
        const TERMS: usize = 20;
        let best = top_k(c, &self.t.prior, DOCS);
        let fb = self.label_feedback(&best, cq, TERMS, |t| self.spec[t as usize]);
        let Some(&(_, top)) = fb.first() else {
            return Vec::new();
        };
        let own = cq.iter().map(|&(_, w)| w).fold(0f32, f32::max);
        let extra: Vec<(u32, f32)> = fb
            .into_iter()
            .map(|(t, w)| (t, self.params.ctx_expand * own * w / top))
            .collect();
        self.accumulate(&extra, c);
        // How to show each term: a word of the best competencies' names that stems to it.
        let mut added: Vec<(u32, String)> = Vec::with_capacity(extra.len());
        for s in &best {
            for w in phrases::words(&self.t.items[s.item].name) {
                let Some(&t) = self.stem(&w).and_then(|st| self.vocab.get(&st)) else {
                    continue;
                };
                if extra.iter().any(|&(e, _)| e == t) && !added.iter().any(|(a, _)| *a == t) {
                    added.push((t, w));
                }
            }
        }
        for &(t, _) in &extra {
            if !added.iter().any(|(a, _)| *a == t) {
                added.push((t, self.t.terms[t as usize].clone()));
            }
        }
        cq.extend(extra);
        cq.sort_unstable_by_key(|&(t, _)| t);
        added
    }

    /// Why `doc` was suggested: the query's words it holds and the context that pulled it.
    pub(super) fn explain(&self, doc: u32, shown: &[&(u32, String)], pulled: &Pulled) -> Why {
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
        if let Some((_, essential)) = pulled.lean.iter().find(|(d, _)| *d == doc) {
            let kind = if *essential { "essential" } else { "optional" };
            why.context
                .push(format!("occupation: {} ({kind})", pulled.occupation));
        }
        for (d, text) in &pulled.taught {
            if *d == doc {
                why.context.push(format!("taught by need: \"{text}\""));
            }
        }
        why
    }
}

/// An agreed mapping's lesson: (its competency's doc, its need's content stems with their
/// weights, the need's statement).
pub(super) type Taught<'c> = (u32, Vec<(String, f32)>, &'c str);

/// What the context pulled, for [`Why`].
#[derive(Default)]
pub(super) struct Pulled {
    /// Context terms, whether they came from the design's competencies (else from the
    /// credential's text), and how to show them.
    terms: Vec<(u32, bool, String)>,
    /// Per framework (as `Suggester::fw_ids`): used by the design.
    frameworks: Vec<bool>,
    /// Per framework: the field the credential's words point at.
    field: Vec<bool>,
    /// Docs lifted by an agreed mapping, with its need's statement.
    taught: Vec<(u32, String)>,
    /// Docs lifted by the occupation the credential names (essential or optional), and its
    /// name.
    lean: Vec<(u32, bool)>,
    occupation: String,
}
