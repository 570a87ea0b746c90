//! "Did you mean": the ids nearest to an unknown one, for a finding's hint, at a bounded
//! cost however many problems and ids there are.

use crate::text::distance::bounded_distance;

/// Most problems of one check that get ranked suggestions ("did you mean"); later ones list
/// the first ids in file order. 2,000 unknown parents used to take 110 s.
pub const MAX_RANKED: usize = 20;
/// Most candidate ids compared with one unknown id.
pub const MAX_CANDIDATES: usize = 2_000;
/// Characters of an id that take part in a comparison (ids are at most 100 long; a 200 KB
/// unknown reference used to be compared whole, 3.3 s).
pub const MAX_COMPARED_CHARS: usize = 64;

/// The suggestion work of one check: how many problems got ranked suggestions and how many
/// edit distances were computed. Bounded by [`MAX_RANKED`] × [`MAX_CANDIDATES`] distances of
/// at most [`MAX_COMPARED_CHARS`] characters each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Suggestions {
    /// Problems given ranked suggestions so far.
    pub ranked: usize,
    /// Edit distances computed so far.
    pub distances: usize,
    /// Candidate ids read so far (at most [`MAX_CANDIDATES`] per hint).
    pub collected: usize,
}

impl Suggestions {
    /// A short list of the ids that do exist, nearest to `wanted` first, for a hint. Only the
    /// first [`MAX_CANDIDATES`] ids are read, so that a hint costs the same however many ids
    /// there are (a hint per unknown parent used to collect all of them: quadratic).
    pub fn did_you_mean<'a, I>(&mut self, wanted: &str, ids: I) -> String
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: ExactSizeIterator,
    {
        let ids = ids.into_iter();
        let total = ids.len();
        let ids: Vec<&str> = ids.take(MAX_CANDIDATES).collect();
        self.collected += ids.len();
        if ids.is_empty() {
            return "there are none yet".into();
        }
        let mut order: Vec<usize> = Vec::with_capacity(5);
        if self.ranked < MAX_RANKED {
            self.ranked += 1;
            order = self.nearest(wanted, &ids);
        }
        // Fill up with the others in file order.
        for i in 0..ids.len() {
            if order.len() >= 5 {
                break;
            }
            if !order.contains(&i) {
                order.push(i);
            }
        }
        let shown: Vec<String> = order.iter().map(|&i| format!("`{}`", ids[i])).collect();
        let more = if total > 5 {
            format!(" (and {} more)", total - 5)
        } else {
            String::new()
        };
        format!("the ids that exist include {}{more}", shown.join(", "))
    }

    /// Indexes of the (at most five) ids within a small edit distance of `wanted`, nearest
    /// first. Each distance is computed once; an id whose length differs by more than the
    /// distance allowed is not compared at all.
    fn nearest(&mut self, wanted: &str, ids: &[&str]) -> Vec<usize> {
        let w = folded(wanted);
        let w_len = wanted.chars().take(4 * MAX_COMPARED_CHARS).count();
        let max = (w.len() / 3).max(2);
        let mut row = Vec::new();
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for (i, id) in ids.iter().enumerate().take(MAX_CANDIDATES) {
            let id_len = id.chars().take(4 * MAX_COMPARED_CHARS).count();
            if id_len.abs_diff(w_len) > max {
                continue;
            }
            self.distances += 1;
            if let Some(d) = bounded_distance(&w, &folded(id), max, &mut row) {
                scored.push((d, i));
            }
        }
        scored.sort_unstable();
        scored.into_iter().take(5).map(|(_, i)| i).collect()
    }
}

/// A short list of the ids that do exist, with the nearest first, for hints.
pub fn did_you_mean<'a, I>(wanted: &str, ids: I) -> String
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: ExactSizeIterator,
{
    Suggestions::default().did_you_mean(wanted, ids)
}

/// The first [`MAX_COMPARED_CHARS`] characters of `s`, lower-cased.
fn folded(s: &str) -> Vec<char> {
    s.chars()
        .flat_map(char::to_lowercase)
        .take(MAX_COMPARED_CHARS)
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Checker;
    use super::*;
    use crate::model::{Competency, Framework};

    /// A framework of `n` competencies `C0000`…, each with the parent `parent(i)`.
    pub(in crate::model::validate) fn orphans(
        n: usize,
        parent: impl Fn(usize) -> String,
    ) -> Framework {
        let src = r#"{"id": "o", "name": "O", "version": "1", "levels": [{"level": 1, "name": "One"}],
            "competencies": [{"id": "C0", "name": "n", "description": "d"}]}"#;
        let mut fw: Framework = serde_json::from_str(src).expect("parses");
        let c = fw.competencies[0].clone();
        fw.competencies = (0..n)
            .map(|i| Competency {
                id: format!("C{i:04}"),
                parent: Some(parent(i)),
                ..c.clone()
            })
            .collect();
        fw
    }

    /// 2,000 unknown parents among 2,000 competencies: every one is reported, but only the
    /// first [`MAX_RANKED`] get ranked suggestions, each comparing at most [`MAX_CANDIDATES`].
    /// (Before: about 2,000 × 2 × 2,000 × log 2,000 distances, inside a sort comparator.)
    #[test]
    fn suggestion_work_is_bounded_whatever_the_number_of_problems() {
        let fw = orphans(2000, |i| format!("Q{i:04}"));
        let mut check = Checker::default();
        check.framework(&fw);
        let (found, sug) = (check.findings, check.suggestions);
        assert_eq!(found.len(), 2000);
        assert_eq!(sug.ranked, MAX_RANKED);
        assert!(sug.distances <= MAX_RANKED * MAX_CANDIDATES, "{sug:?}");
        let hint = |i: usize| found[i].hint.clone().unwrap_or_default();
        assert!(
            hint(7).starts_with("the ids that exist include `C0007`"),
            "{}",
            hint(7)
        );
        assert!(hint(1999).starts_with("the ids that exist include `C0000`, `C0001`"));
    }

    /// Each hint reads at most [`MAX_CANDIDATES`] ids, however many competencies there are
    /// (each hint used to collect all of them: 160,000 unknown parents took 220 s).
    #[test]
    fn each_unknown_parent_reads_a_bounded_number_of_ids() {
        let n = 10_000;
        let fw = orphans(n, |i| format!("Q{i:05}"));
        let mut check = Checker::default();
        check.framework(&fw);
        let (found, sug) = (check.findings, check.suggestions);
        assert_eq!(found.len(), n);
        assert_eq!(sug.collected, n * MAX_CANDIDATES, "{sug:?}");
        let last = found[n - 1].hint.clone().unwrap_or_default();
        assert!(last.ends_with(&format!("(and {} more)", n - 5)), "{last}");
    }

    /// A 200,000-character unknown id is compared with nothing: no id is that long.
    #[test]
    fn a_huge_unknown_id_costs_no_distance_at_all() {
        let fw = orphans(3, |i| {
            if i == 1 {
                "x".repeat(200_000)
            } else {
                "C0000".into()
            }
        });
        let mut check = Checker::default();
        check.framework(&fw);
        let found = &check.findings;
        assert!(found.iter().any(|f| f.message.starts_with("parent `xxx")));
        assert!(
            found
                .iter()
                .any(|f| f.message.contains("is 200000 characters long"))
        );
        assert_eq!(check.suggestions.distances, 0);
    }

    #[test]
    fn nearest_ids_come_first() {
        let ids = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"];
        let h = did_you_mean("Delta", ids);
        assert!(
            h.starts_with("the ids that exist include `delta`, `beta`, `zeta`"),
            "{h}"
        );
        assert!(h.ends_with("(and 2 more)"), "{h}");
        assert_eq!(did_you_mean("x", []), "there are none yet");
    }
}
