//! The formats of single values: dates, language, country and ISCED-F codes, web addresses.
//! Pure predicates, used by the checks and by the editor's and the CLI's own input checks.

/// A calendar date written `YYYY-MM-DD` (month 1–12, day 1–31).
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// An ISO 639-1 or 639-2/3 code: two or three lower-case ASCII letters.
pub fn valid_language(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// An ISCED-F 2013 code: a broad (2 digits), narrow (3) or detailed (4) field.
pub fn valid_isced_f(s: &str) -> bool {
    (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// An absolute `https://` or `http://` address with a host and no spaces.
pub fn valid_web_address(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision: `CA`, `CA-BC`.
pub fn valid_country(s: &str) -> bool {
    let (cc, region) = match s.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    cc.len() == 2
        && cc.chars().all(|c| c.is_ascii_uppercase())
        && region.is_none_or(|r| {
            (1..=3).contains(&r.len())
                && r.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}
