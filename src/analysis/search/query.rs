//! The query language of the finder and `microcred search` (fzf's extended search), and the
//! matching of one label against a query.
//!
//! A query is split on whitespace into terms; a label matches when every term does, in any
//! order. Case and punctuation are ignored: text is *folded* (letters lower-cased, common Latin
//! accents removed, every run of other characters made one space), so "mini split",
//! "Mini-Split" and "mini–split" are the same words.
//!
//! | term | matches a label that |
//! |---|---|
//! | `abc` | holds a, b, c in this order (fuzzy, as fzf) |
//! | `'abc` | holds "abc" (exact; punctuation inside stands for a word break: `'heat-pump`) |
//! | `'abc'` | holds "abc" as whole words |
//! | `^abc` | starts with "abc" |
//! | `abc$` | ends with "abc" |
//! | `^abc$` | is "abc" |
//! | `!abc` (also `!^abc`, `!abc$`, `!'abc'`) | — a competency is left out when its name or a keyword holds "abc" |
//!
//! Scoring: each positive term finds its best occurrence in the label. A contiguous occurrence
//! beats a scattered one, and among contiguous ones a whole word beats a word prefix, which beats
//! the middle of a word (the term's *tier*). Within a tier, the score is fzf's: 16 per matched
//! character, a bonus for characters at the start of a word (doubled for the term's first) that
//! carries over the characters following it, a small bonus for consecutive characters and a
//! penalty for gaps.

/// What a term asks of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The term's letters in order, anywhere.
    Fuzzy,
    /// `'term`: the term's text, contiguous.
    Exact,
    /// `'term'`: the term's text as whole words.
    Word,
    /// `^term`: at the start.
    Prefix,
    /// `term$`: at the end.
    Suffix,
    /// `^term$`: all of it.
    Whole,
}

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    kind: Kind,
    /// Leaves out the competencies whose name or a keyword matches (fzf's `!`).
    inverse: bool,
    /// The folded text; words are separated by one space, except in a fuzzy term, which has
    /// no spaces.
    chars: Vec<char>,
    /// The same as bytes, when it is ASCII.
    bytes: Option<Vec<u8>>,
    /// Its letters and digits as bytes (no spaces), when it is ASCII: a label that lacks them
    /// in this order cannot match, which is checked on the label as it is, before folding.
    letters: Option<Vec<u8>>,
    /// Its character-set [`mask`].
    mask: u64,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Query {
    terms: Vec<Term>,
    /// The character-set mask ([`mask`]) of the positive terms together.
    mask: u64,
}

/// Scratch buffers for matching, reused from label to label.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    bytes: Vec<u8>,
    chars: Vec<char>,
    map: Vec<u32>,
}

const MATCH: i32 = 16;
const BOUNDARY: i32 = 8;
const CONSECUTIVE: i32 = 4;
const GAP_START: i32 = 3;
const GAP_EXTENSION: i32 = 1;

/// Score of one step of tier (see the module comment). A label's score is
/// `tiers × TIER + field bonus + fine score`, so tiers decide first, then the field (names
/// before keywords and ids, [`NAME_BONUS`]), then the fine score, capped below the bonus.
pub(crate) const TIER: i64 = 10_000;
/// What a match in a name adds.
pub(crate) const NAME_BONUS: i64 = 5_000;
const FINE_MAX: i64 = NAME_BONUS - 1;

impl Query {
    /// Parse `text` (terms separated by whitespace; terms that fold to nothing are dropped).
    pub(crate) fn parse(text: &str) -> Query {
        let terms: Vec<Term> = text.split_whitespace().filter_map(Term::parse).collect();
        let mask = terms
            .iter()
            .filter(|t| !t.inverse)
            .fold(0, |m, t| m | chars_mask(&t.chars));
        Query { terms, mask }
    }

    /// No terms: matches nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// At least one term that a label must match (not only exclusions).
    pub(crate) fn has_positive(&self) -> bool {
        self.terms.iter().any(|t| !t.inverse)
    }

    /// At least one `!` term.
    pub(crate) fn has_inverse(&self) -> bool {
        self.terms.iter().any(|t| t.inverse)
    }

    /// True when every label this query matches (and does not leave out) is one `prev`
    /// matches too: each term of `prev` follows from a term of this query. Used to narrow a
    /// search to the matches of an earlier query.
    pub(crate) fn narrows(&self, prev: &Query) -> bool {
        prev.terms
            .iter()
            .all(|p| self.terms.iter().any(|n| implies(n, p)))
    }

    /// The score of a label (`field_bonus` added) when every positive term matches it, given
    /// its character-set `mask`; `None` when one does not. Inverse terms are not looked at here
    /// ([`Query::excludes`]).
    pub(crate) fn score(
        &self,
        label: &str,
        label_mask: u64,
        field_bonus: i64,
        scratch: &mut Scratch,
    ) -> Option<i32> {
        if label_mask & self.mask != self.mask {
            return None;
        }
        let (mut tiers, mut fine) = (0i64, 0i64);
        if label.is_ascii() {
            let raw = label.as_bytes();
            for t in self.terms.iter().filter(|t| !t.inverse) {
                if !subsequence(raw, t.letters.as_deref()?) {
                    return None;
                }
            }
            fold_ascii(raw, &mut scratch.bytes);
            for t in self.terms.iter().filter(|t| !t.inverse) {
                let p = t.bytes.as_deref()?;
                let (tier, f) = match_term(t.kind, &scratch.bytes, p, None)?;
                tiers += tier;
                fine += i64::from(f);
            }
        } else {
            fold_chars(label, &mut scratch.chars, None);
            for t in self.terms.iter().filter(|t| !t.inverse) {
                let (tier, f) = match_term(t.kind, &scratch.chars, &t.chars, None)?;
                tiers += tier;
                fine += i64::from(f);
            }
        }
        let s = tiers
            .saturating_mul(TIER)
            .saturating_add(field_bonus)
            .saturating_add(fine.clamp(0, FINE_MAX));
        Some(s.min(i64::from(i32::MAX)) as i32)
    }

    /// True when an inverse term matches `label` (whose character-set mask is `label_mask`),
    /// so that its competency is left out.
    pub(crate) fn excludes(&self, label: &str, label_mask: u64, scratch: &mut Scratch) -> bool {
        let ascii = label.is_ascii();
        let mut folded = false;
        for t in self.terms.iter().filter(|t| t.inverse) {
            if label_mask & t.mask != t.mask {
                continue;
            }
            if ascii {
                let Some(p) = t.bytes.as_deref() else {
                    continue;
                };
                if !subsequence(label.as_bytes(), t.letters.as_deref().unwrap_or(p)) {
                    continue;
                }
                if !folded {
                    fold_ascii(label.as_bytes(), &mut scratch.bytes);
                    folded = true;
                }
                if match_term(t.kind, &scratch.bytes, p, None).is_some() {
                    return true;
                }
            } else {
                if !folded {
                    fold_chars(label, &mut scratch.chars, None);
                    folded = true;
                }
                if match_term(t.kind, &scratch.chars, &t.chars, None).is_some() {
                    return true;
                }
            }
        }
        false
    }

    /// The character positions in `label` that the positive terms matched, ascending, for
    /// highlighting (empty when a term does not match).
    pub(crate) fn positions(&self, label: &str) -> Vec<usize> {
        let mut scratch = Scratch::default();
        fold_chars(label, &mut scratch.chars, Some(&mut scratch.map));
        let mut at = Vec::new();
        for t in self.terms.iter().filter(|t| !t.inverse) {
            if match_term(t.kind, &scratch.chars, &t.chars, Some(&mut at)).is_none() {
                return Vec::new();
            }
        }
        let mut out: Vec<usize> = at
            .into_iter()
            .filter_map(|i| scratch.map.get(i).map(|&c| c as usize))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Term {
    fn parse(raw: &str) -> Option<Term> {
        let (inverse, rest) = match raw.strip_prefix('!') {
            Some(r) => (true, r),
            None => (false, raw),
        };
        let (prefix, rest) = match rest.strip_prefix('^') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (quoted, rest) = match rest.strip_prefix('\'') {
            Some(r) if !prefix => (true, r),
            _ => (false, rest),
        };
        let (suffix, rest) = match rest.strip_suffix('$') {
            Some(r) if !quoted => (true, r),
            _ => (false, rest),
        };
        let (closed, rest) = match rest.strip_suffix('\'') {
            Some(r) if quoted && !r.is_empty() => (true, r),
            _ => (false, rest),
        };
        let kind = match (prefix, suffix, quoted, closed) {
            (true, true, ..) => Kind::Whole,
            (true, false, ..) => Kind::Prefix,
            (false, true, ..) => Kind::Suffix,
            (_, _, true, true) => Kind::Word,
            // fzf: an inverse term is an exact one.
            (_, _, true, false) => Kind::Exact,
            _ if inverse => Kind::Exact,
            _ => Kind::Fuzzy,
        };
        let mut chars = Vec::new();
        fold_chars(rest, &mut chars, None);
        if kind == Kind::Fuzzy {
            chars.retain(|&c| c != ' ');
        }
        if chars.is_empty() {
            return None;
        }
        let bytes: Option<Vec<u8>> = chars
            .iter()
            .all(char::is_ascii)
            .then(|| chars.iter().map(|&c| c as u8).collect());
        let letters = bytes
            .as_ref()
            .map(|b| b.iter().copied().filter(|&c| c != b' ').collect());
        Some(Term {
            kind,
            inverse,
            mask: chars_mask(&chars),
            chars,
            bytes,
            letters,
        })
    }
}

/// True when every label that `n` matches is one that `p` matches (for positive terms), or
/// every label `p` matches is one that `n` matches (for inverse ones: `n` leaves out at least
/// what `p` leaves out).
fn implies(n: &Term, p: &Term) -> bool {
    use Kind::*;
    if n.inverse != p.inverse {
        return false;
    }
    let (n, p) = if n.inverse { (p, n) } else { (n, p) };
    // From here: does matching `n` imply matching `p`?
    let (nt, pt) = (&n.chars, &p.chars);
    match p.kind {
        Fuzzy => {
            let mut it = nt.iter().filter(|&&c| c != ' ');
            pt.iter().all(|c| it.any(|x| x == c))
        }
        Exact => n.kind != Fuzzy && contains(nt, pt),
        Word => matches!(n.kind, Word | Whole) && nt == pt,
        Prefix => matches!(n.kind, Prefix | Whole) && nt.starts_with(pt),
        Suffix => matches!(n.kind, Suffix | Whole) && nt.ends_with(pt),
        Whole => n.kind == Whole && nt == pt,
    }
}

/// True when the lower-case ASCII `letters` occur in this order in `raw`, ignoring case. (A
/// pre-check: `b | 0x20` lower-cases letters, and can only let more bytes through.)
fn subsequence(raw: &[u8], letters: &[u8]) -> bool {
    let Some(&first) = letters.first() else {
        return true;
    };
    let (mut k, mut want) = (0, first);
    for &b in raw {
        if b | 0x20 == want {
            k += 1;
            match letters.get(k) {
                Some(&c) => want = c,
                None => return true,
            }
        }
    }
    false
}

fn contains<U: PartialEq>(hay: &[U], needle: &[U]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// A unit of folded text: a byte (ASCII labels) or a char.
trait Unit: Copy + Eq {
    const SEP: Self;
}

impl Unit for u8 {
    const SEP: u8 = b' ';
}

impl Unit for char {
    const SEP: char = ' ';
}

/// Fold ASCII `label` into `out` (see the module comment).
fn fold_ascii(label: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut gap = false;
    for &b in label {
        if b.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(b' ');
            }
            gap = false;
            out.push(b.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
}

/// Fold `label` into `out`; `map`, when given, gets the char index in `label` of each unit.
fn fold_chars(label: &str, out: &mut Vec<char>, mut map: Option<&mut Vec<u32>>) {
    out.clear();
    if let Some(m) = map.as_deref_mut() {
        m.clear();
    }
    let mut gap = None;
    for (i, c) in label.chars().enumerate() {
        match fold_char(c) {
            Some(f) => {
                if let Some(g) = gap.take() {
                    if !out.is_empty() {
                        out.push(' ');
                        if let Some(m) = map.as_deref_mut() {
                            m.push(g);
                        }
                    }
                }
                out.push(f);
                if let Some(m) = map.as_deref_mut() {
                    m.push(i as u32);
                }
            }
            None => {
                gap.get_or_insert(i as u32);
            }
        }
    }
}

/// A letter or digit lower-cased and without its accent (common Latin letters); `None` for
/// anything else (a word break).
fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase());
    }
    if !c.is_alphanumeric() {
        return None;
    }
    let l = c.to_lowercase().next().unwrap_or(c);
    Some(match l {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    })
}

/// Bit per ASCII letter (case folded) and digit of `label` once folded.
pub(crate) fn mask(label: &str) -> u64 {
    if label.is_ascii() {
        label.bytes().fold(0, |m, b| m | MASK_BITS[usize::from(b)])
    } else {
        label
            .chars()
            .filter_map(fold_char)
            .filter(char::is_ascii)
            .fold(0, |m, c| m | MASK_BITS[c as usize])
    }
}

fn chars_mask(chars: &[char]) -> u64 {
    chars
        .iter()
        .filter(|c| c.is_ascii())
        .fold(0, |m, &c| m | MASK_BITS[c as usize])
}

/// The [`mask`] bit of each byte.
const MASK_BITS: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            c @ b'a'..=b'z' => 1 << (c - b'a'),
            c @ b'A'..=b'Z' => 1 << (c - b'A'),
            c @ b'0'..=b'9' => 1 << (26 + c - b'0'),
            _ => 0,
        };
        b += 1;
    }
    t
};

fn word_start<U: Unit>(t: &[U], i: usize) -> bool {
    i == 0 || t[i - 1] == U::SEP
}

fn word_end<U: Unit>(t: &[U], j: usize) -> bool {
    j == t.len() || t[j] == U::SEP
}

/// Match one term of `kind` and folded text `p` against folded text `t`: its tier and fine
/// score, and (when `at` is given) the unit positions matched appended to `at`.
fn match_term<U: Unit>(
    kind: Kind,
    t: &[U],
    p: &[U],
    at: Option<&mut Vec<usize>>,
) -> Option<(i64, i32)> {
    let (n, m) = (t.len(), p.len());
    if m == 0 || m > n {
        return None;
    }
    let starts: std::ops::Range<usize> = match kind {
        Kind::Prefix | Kind::Whole => 0..1,
        Kind::Suffix => n - m..n - m + 1,
        _ => 0..n - m + 1,
    };
    if kind == Kind::Whole && n != m {
        return None;
    }
    // The best contiguous occurrence: highest tier, then fine score, then the first.
    let mut best: Option<(i64, i32, usize)> = None;
    for i in starts {
        if t[i] != p[0] || t[i..i + m] != *p {
            continue;
        }
        let ws = word_start(t, i);
        let we = word_end(t, i + m);
        if kind == Kind::Word && !(ws && we) {
            continue;
        }
        let tier = match (ws, we) {
            (true, true) => 3,
            (true, false) => 2,
            _ => 1,
        };
        let b = if ws { BOUNDARY } else { 0 };
        let fine = MATCH * m as i32 + 2 * b + (m as i32 - 1) * b.max(CONSECUTIVE);
        if best.is_none_or(|(bt, bf, _)| (tier, fine) > (bt, bf)) {
            best = Some((tier, fine, i));
        }
    }
    if let Some((tier, fine, i)) = best {
        if let Some(at) = at {
            at.extend((i..i + m).filter(|&k| t[k] != U::SEP));
        }
        return Some((tier, fine));
    }
    if kind != Kind::Fuzzy {
        return None;
    }
    scattered(t, p, at).map(|f| (0, f))
}

/// fzf's first algorithm: the first place where `p` is a subsequence of `t`, tightened from
/// its end backwards, then scored going forward.
fn scattered<U: Unit>(t: &[U], p: &[U], mut at: Option<&mut Vec<usize>>) -> Option<i32> {
    let m = p.len();
    let mut k = 0;
    let mut end = None;
    for (i, &c) in t.iter().enumerate() {
        if c == p[k] {
            k += 1;
            if k == m {
                end = Some(i);
                break;
            }
        }
    }
    let end = end?;
    let mut start = end;
    let mut k = m;
    for i in (0..=end).rev() {
        if t[i] == p[k - 1] {
            k -= 1;
            if k == 0 {
                start = i;
                break;
            }
        }
    }
    let mut score = 0;
    let (mut k, mut run, mut first_bonus, mut in_gap) = (0usize, 0usize, 0, false);
    for i in start..=end {
        if k < m && t[i] == p[k] {
            let mut bonus = if word_start(t, i) { BOUNDARY } else { 0 };
            if run == 0 {
                first_bonus = bonus;
            } else {
                if bonus >= BOUNDARY && bonus > first_bonus {
                    first_bonus = bonus;
                }
                bonus = bonus.max(first_bonus).max(CONSECUTIVE);
            }
            score += MATCH + if k == 0 { 2 * bonus } else { bonus };
            if let Some(at) = at.as_deref_mut() {
                at.push(i);
            }
            run += 1;
            k += 1;
            in_gap = false;
        } else {
            score -= if in_gap { GAP_EXTENSION } else { GAP_START };
            in_gap = true;
            run = 0;
        }
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(q: &str, label: &str) -> Option<i32> {
        Query::parse(q).score(label, mask(label), 0, &mut Scratch::default())
    }

    #[test]
    fn terms_match_in_any_order_ignoring_case_and_punctuation() {
        assert!(score("mini split", "ductless mini-split").is_some());
        assert!(score("split MINI", "Ductless Mini-Split").is_some());
        assert!(score("pump commission", "Install and commission heat pumps").is_some());
        assert!(score("mini-split", "mini split").is_some());
        assert!(score("mini split", "ductless heat pump").is_none());
        assert!(score("donnees", "données nettoyées").is_some());
        assert_eq!(
            Query::parse("mini split").positions("ductless Mini-Split"),
            [9, 10, 11, 12, 14, 15, 16, 17, 18]
        );
    }

    #[test]
    fn term_kinds() {
        let q = |q: &str, l: &str| score(q, l).is_some();
        // Fuzzy: letters in order.
        assert!(q("dtanl", "data analysis"));
        // Exact: contiguous; punctuation in the term is a word break.
        assert!(!q("'dtanl", "data analysis"));
        assert!(q("'ta an", "data analysis"));
        assert!(q("'a-ana", "data analysis"));
        assert!(!q("'aana", "data analysis"));
        // Whole words.
        assert!(q("'data'", "clean data"));
        assert!(!q("'data'", "database"));
        // Prefix and suffix of the label.
        assert!(q("^clean", "Clean data"));
        assert!(!q("^data", "Clean data"));
        assert!(q("data$", "Clean data."));
        assert!(!q("clean$", "Clean data"));
        assert!(q("^clean-data$", "clean data"));
        assert!(!q("^clean$", "clean data"));
        // Operators alone, and punctuation alone, are no terms.
        assert!(Query::parse("! ^ ' $ -- |").is_empty());
        // Inverse terms do not take part in scoring; they exclude.
        let not = Query::parse("data !base");
        assert!(not.has_inverse() && not.has_positive());
        let mut s = Scratch::default();
        assert!(not.excludes("a DataBase", mask("a DataBase"), &mut s));
        assert!(!not.excludes("data basics", mask("data basics"), &mut s));
        assert!(Query::parse("!^data").excludes("data base", mask("data base"), &mut s));
        assert!(!Query::parse("!^base").excludes("data base", mask("data base"), &mut s));
    }

    #[test]
    fn tiers_rank_whole_words_then_prefixes_then_mid_word_then_scattered() {
        let whole = score("data", "clean data").expect("matches");
        let prefix = score("data", "a database").expect("matches");
        let mid = score("data", "metadata").expect("matches");
        let scattered = score("data", "draw diagrams at scale").expect("matches");
        assert!(whole > prefix && prefix > mid && mid > scattered);
        // The bonus of a name sits between tiers.
        let q = Query::parse("forklift");
        let mut s = Scratch::default();
        let name = q.score(
            "operate forklift",
            mask("operate forklift"),
            NAME_BONUS,
            &mut s,
        );
        let kw = q.score("forklift driving", mask("forklift driving"), 0, &mut s);
        assert!(name > kw, "{name:?} {kw:?}");
        let kw_word = q.score("a forklift", mask("a forklift"), 0, &mut s);
        let name_prefix = q.score("forklifts", mask("forklifts"), NAME_BONUS, &mut s);
        assert!(kw_word > name_prefix);
    }

    #[test]
    fn narrowing_follows_the_terms() {
        let n = |a: &str, b: &str| Query::parse(a).narrows(&Query::parse(b));
        assert!(n("dat", "da"));
        assert!(n("da x", "da"));
        assert!(n("x da", "da"));
        assert!(n("'data", "dt"));
        assert!(n("^data", "'at"));
        assert!(!n("da", "dat"));
        assert!(!n("'da", "^da"));
        // A longer inverse term leaves out less.
        assert!(!n("a !xy", "a !x"));
        assert!(n("a !x", "a !xy"));
        assert!(n("a !x", "a"));
        assert!(!n("a", "a !x"));
        assert!(n("a !x", "!^xy"));
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Any text and any query: no panic; a label that matches has highlight positions
        /// inside it, one per matched letter or digit, and matches with its case changed.
        #[test]
        fn any_text_any_query(
            label in "[a-eA-Eé É!^$' .,-]{0,24}|\\PC{0,16}",
            query in "[a-eé!^$' -]{0,10}|\\PC{0,8}",
        ) {
            let q = Query::parse(&query);
            let mut scratch = Scratch::default();
            let s = q.score(&label, mask(&label), 0, &mut scratch);
            let _ = q.excludes(&label, mask(&label), &mut scratch);
            let n = label.chars().count();
            if s.is_some() {
                let at = q.positions(&label);
                prop_assert!(at.iter().all(|&i| i < n), "{:?} in {:?}", at, label);
                prop_assert_eq!(at.is_empty(), !q.has_positive());
                let chars: Vec<char> = label.chars().collect();
                prop_assert!(at.iter().all(|&i| fold_char(chars[i]).is_some()));
                let upper = label.to_uppercase();
                // (Outside ASCII and é, upper case may fold apart: "ſ" is "S" in capitals.)
                if label.chars().all(|c| c.is_ascii() || c == 'é' || c == 'É') {
                    prop_assert!(q.score(&upper, mask(&upper), 0, &mut scratch).is_some());
                }
            } else if q.has_positive() {
                prop_assert!(q.positions(&label).is_empty());
            }
        }
    }
}
