//! The Levenshtein edit distance, bounded: computing it stops as soon as every way through
//! is over the bound, so comparing a word with a long list costs little for the far ones.
//! Used by the checks' "did you mean" hints (`model::validate`) and by the suggester's typo
//! tolerance (`analysis::suggest`).

/// The edit distance between `a` and `b` (insertions, deletions and substitutions of one
/// character each) if it is at most `max`, else `None`. `row` is scratch space, reused
/// between calls so that a loop over many words allocates once.
pub fn bounded_distance(a: &[char], b: &[char], max: usize, row: &mut Vec<usize>) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    row.clear();
    row.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        // `diag` is the previous row's value left of `row[j + 1]`, before it is overwritten.
        let mut diag = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j + 1] + 1)
                .min(row[j] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
            best = best.min(next);
        }
        if best > max {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str, max: usize) -> Option<usize> {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        bounded_distance(&c(a), &c(b), max, &mut Vec::new())
    }

    #[test]
    fn the_distance_within_the_bound_and_none_beyond_it() {
        assert_eq!(d("kitten", "sitten", 1), Some(1));
        assert_eq!(d("kitten", "sitting", 2), None);
        assert_eq!(d("kitten", "sitting", 3), Some(3));
        assert_eq!(d("kitten", "kitten", 0), Some(0));
        assert_eq!(d("", "ab", 2), Some(2));
        assert_eq!(d("ab", "", 1), None);
        assert_eq!(d("flaw", "lawn", 2), Some(2));
        // Characters, not bytes: one accented letter is one edit.
        assert_eq!(d("café", "cafe", 1), Some(1));
    }

    #[test]
    fn the_scratch_row_is_reused_between_calls() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        let mut row = Vec::new();
        assert_eq!(
            bounded_distance(
                &c("a much longer word"),
                &c("a much longer ward"),
                2,
                &mut row
            ),
            Some(1)
        );
        assert_eq!(bounded_distance(&c("ab"), &c("ba"), 2, &mut row), Some(2));
    }

    /// The bound cuts the work short but never changes a distance within it: the same as the
    /// full two-row computation for every pair of short words over a small alphabet.
    #[test]
    fn bounded_agrees_with_the_full_distance() {
        fn full(a: &[char], b: &[char]) -> usize {
            let mut prev: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.iter().enumerate() {
                let mut cur = vec![i + 1; b.len() + 1];
                for (j, cb) in b.iter().enumerate() {
                    cur[j + 1] = (prev[j] + usize::from(ca != cb))
                        .min(prev[j + 1] + 1)
                        .min(cur[j] + 1);
                }
                prev = cur;
            }
            prev[b.len()]
        }
        let words: Vec<Vec<char>> = ["", "a", "ab", "ba", "abc", "cab", "bca", "aabb", "abab"]
            .iter()
            .map(|w| w.chars().collect())
            .collect();
        let mut row = Vec::new();
        for a in &words {
            for b in &words {
                let want = full(a, b);
                for max in 0..5 {
                    let got = bounded_distance(a, b, max, &mut row);
                    assert_eq!(got, (want <= max).then_some(want), "{a:?} {b:?} {max}");
                }
            }
        }
    }
}
