//! Ranking: BM25F, phrases, label coverage and cosine, then the context.

use std::collections::HashMap;

use super::tables::pair_key;
use super::{Context, Suggester, Suggestion, Why};

impl Suggester {
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

    pub(super) fn rank(
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
            let fb = self.label_feedback(&first, &query, p.prf_terms, |_| 1.0);
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

    /// The `n` terms of the labels of `docs` that weigh most (summed IDF times `weight`),
    /// leaving out those of `query` (sorted by term), heaviest first.
    pub(super) fn label_feedback(
        &self,
        docs: &[Suggestion],
        query: &[(u32, f32)],
        n: usize,
        weight: impl Fn(u32) -> f32,
    ) -> Vec<(u32, f32)> {
        let mut fb: HashMap<u32, f32> = HashMap::new();
        for s in docs {
            for &t in self.t.label_terms.get(s.item) {
                *fb.entry(t).or_default() += self.t.idf[t as usize] * weight(t);
            }
        }
        let mut fb: Vec<(u32, f32)> = fb
            .into_iter()
            .filter(|(t, _)| query.binary_search_by_key(t, |&(q, _)| q).is_err())
            .collect();
        fb.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        fb.truncate(n);
        fb
    }

    pub(super) fn accumulate(&self, query: &[(u32, f32)], scores: &mut [f32]) {
        for &(t, qw) in query {
            let w = qw * self.t.idf[t as usize];
            for &(d, s, _) in self.t.postings.get(t as usize) {
                scores[d as usize] += w * s;
            }
        }
    }
}

/// The best `k` positive scores (after the prior), ties by position.
pub(super) fn top_k(scores: &[f32], prior: &[f32], k: usize) -> Vec<Suggestion> {
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
