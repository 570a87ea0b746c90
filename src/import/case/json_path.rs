//! Where a value sits in a CASE package's JSON text: paths into the document, their names
//! (`CFItems[3].fullStatement`) and their line and column, for located problems.

use crate::problem::Problem;

/// One step of a path into a JSON document.
#[derive(Debug, Clone, Copy)]
pub(super) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The 1-based line and column (in characters) of the value at `path` in `src`, a JSON text
/// that has already parsed. Keys are compared as written (the CASE keys have no escapes).
pub(super) fn locate(src: &[u8], path: &[Seg]) -> Option<(usize, usize)> {
    let mut i = ws(src, 0);
    for seg in path {
        match (src.get(i)?, seg) {
            (b'{', Seg::Key(k)) => {
                i = ws(src, i + 1);
                loop {
                    if src.get(i)? != &b'"' {
                        return None;
                    }
                    let end = skip_string(src, i)?;
                    let key = src.get(i + 1..end - 1)?;
                    i = ws(src, end);
                    if src.get(i)? != &b':' {
                        return None;
                    }
                    i = ws(src, i + 1);
                    if key == k.as_bytes() {
                        break;
                    }
                    i = ws(src, skip_value(src, i)?);
                    if src.get(i)? != &b',' {
                        return None;
                    }
                    i = ws(src, i + 1);
                }
            }
            (b'[', Seg::Index(n)) => {
                i = ws(src, i + 1);
                for _ in 0..*n {
                    i = ws(src, skip_value(src, i)?);
                    if src.get(i)? != &b',' {
                        return None;
                    }
                    i = ws(src, i + 1);
                }
                if src.get(i)? == &b']' {
                    return None;
                }
            }
            _ => return None,
        }
    }
    let before = src.get(..i)?;
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = 1 + String::from_utf8_lossy(&before[start..]).chars().count();
    Some((line, column))
}

pub(super) fn ws(src: &[u8], mut i: usize) -> usize {
    while src.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// `src[i]` opens a string: the index just past its closing quote.
pub(super) fn skip_string(src: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match src.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The index just past the value that starts at `src[i]`.
pub(super) fn skip_value(src: &[u8], mut i: usize) -> Option<usize> {
    match src.get(i)? {
        b'"' => skip_string(src, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match src.get(i)? {
                    b'"' => {
                        i = skip_string(src, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            while src
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b']' | b'}') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

/// `CFItems[3].fullStatement`.
pub(super) fn path_name(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// `p` at the position of `path` in `bytes`, when it can be found.
pub(super) fn located(bytes: &[u8], p: Problem, path: &[Seg]) -> Problem {
    match locate(bytes, path) {
        Some((line, column)) => p.at(line, column),
        None => p,
    }
}
