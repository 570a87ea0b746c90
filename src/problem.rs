//! Located problems: `file:line:column: what is wrong`, plus what to do.

use std::fmt;

/// A step in a path into a document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path to a node of a YAML document, e.g. `competencies[3].id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocPath(pub Vec<Seg>);

impl DocPath {
    /// The root of the document.
    pub fn root() -> Self {
        DocPath(Vec::new())
    }
    /// This path extended by a key.
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
    /// This path extended by an index.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

/// Shorthand for a path of keys and indexes: `path!["needs", 2, "partner"]`.
#[macro_export]
macro_rules! path {
    ($($seg:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut p = $crate::problem::DocPath::root();
        $( p = $crate::problem::PathPush::push_onto($seg, p); )*
        p
    }};
}

/// Helper for [`path!`]: anything that can extend a path.
pub trait PathPush {
    /// Extend `p` by `self`.
    fn push_onto(self, p: DocPath) -> DocPath;
}
impl PathPush for &str {
    fn push_onto(self, p: DocPath) -> DocPath {
        p.key(self)
    }
}
impl PathPush for usize {
    fn push_onto(self, p: DocPath) -> DocPath {
        p.index(self)
    }
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    /// 1-based line, when the problem has a position.
    pub line: Option<usize>,
    /// 1-based column, when the problem has a position.
    pub column: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Problem {
    /// An error in `file` without a position yet.
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            file: visible(file.into()),
            line: None,
            column: None,
            message: clip(message.into()),
            hint: None,
        }
    }
    /// A warning in `file` without a position yet.
    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, message)
        }
    }
    /// The same problem at a position.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
    /// The same problem with advice.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Is this an error (not a warning)?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        if self.severity == Severity::Warning {
            write!(f, ": warning")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n    help: {h}")?;
        }
        Ok(())
    }
}

/// A list of problems, as returned by loaders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

impl From<Problem> for Problems {
    fn from(p: Problem) -> Self {
        Problems(vec![p])
    }
}

/// Longest message kept: a message quoting hostile input (a 1-million-character key) is cut.
pub const MAX_MESSAGE_CHARS: usize = 300;

/// Cut `message` to [`MAX_MESSAGE_CHARS`] characters, marking the cut, and make invisible
/// characters visible: a message that quotes hostile input must not carry an escape sequence
/// or a bidirectional override to the user's terminal.
pub fn clip(message: String) -> String {
    let mut message = visible(message);
    if let Some((i, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
        let total = message.chars().count();
        message.truncate(i);
        message.push_str(&format!(
            "… ({} more characters)",
            total - MAX_MESSAGE_CHARS
        ));
    }
    message
}

/// A character that changes what a terminal shows without being seen itself: a control
/// character (C0, DEL, C1), or a Unicode format character (general category Cf: bidirectional
/// marks, embeddings, overrides and isolates, the Arabic letter mark, zero-width space, word
/// joiner and invisible operators, a byte-order mark inside text, soft hyphen, tag
/// characters…), except those of [`allowed_format`]. Callers allow the whitespace controls
/// (tab, line breaks) they expect.
pub fn is_hidden(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || (unicode_general_category::get_general_category(c)
            == unicode_general_category::GeneralCategory::Format
            && !allowed_format(c))
}

/// The format characters text may hold: the zero-width non-joiner and joiner, which Persian,
/// Hindi and other scripts need to spell words and emoji need to build one picture from
/// several (they neither reorder text nor hide a terminal sequence), and the prepended
/// concatenation marks, which are visible signs (the Arabic number sign, U+0600…).
pub fn allowed_format(c: char) -> bool {
    matches!(
        c,
        '\u{200C}'
            | '\u{200D}'
            | '\u{0600}'..='\u{0605}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{110BD}'
            | '\u{110CD}'
    )
}

/// Invisible characters that carry no meaning in competency text or job postings (zero-width
/// space, word joiner, zero-width no-break space, soft hyphen): readers of text written
/// elsewhere (ESCO, CASE, postings) remove them before checking what is left; ESCO's own
/// skills file holds zero-width spaces.
pub fn is_removable(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// `s` without [`is_removable`] characters (borrowed when it has none).
pub fn without_removable(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_removable) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !is_removable(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// `s` with [`is_hidden`] characters (but tab and line feed) written as `\u{…}` escapes.
pub fn visible(s: String) -> String {
    let hidden = |c: char| is_hidden(c) && !matches!(c, '\t' | '\n');
    if !s.chars().any(hidden) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_characters_are_hidden_but_joiners() {
        for c in [
            '\u{061C}',
            '\u{200B}',
            '\u{200E}',
            '\u{200F}',
            '\u{2060}',
            '\u{2061}',
            '\u{2064}',
            '\u{FEFF}',
            '\u{202E}',
            '\u{2066}',
            '\u{00AD}',
            '\u{E0041}',
            '\u{1b}',
            '\u{9b}',
        ] {
            assert!(is_hidden(c), "U+{:04X}", u32::from(c));
        }
        for c in [
            'a', 'é', '中', '🙂', '\u{200C}', '\u{200D}', '\u{0600}', ' ',
        ] {
            assert!(!is_hidden(c), "U+{:04X}", u32::from(c));
        }
        assert_eq!(
            visible("a\u{200B}b\u{1b}]2;x\u{7}".into()),
            "a\\u{200B}b\\u{1B}]2;x\\u{7}"
        );
        assert_eq!(without_removable("\u{200B}Welsh"), "Welsh");
    }

    #[test]
    fn messages_show_invisible_characters_as_escapes() {
        let p = Problem::error("f\u{1b}.csv", "label `a\u{1b}[2Jb\u{202E}c` is bad");
        assert_eq!(p.message, "label `a\\u{1B}[2Jb\\u{202E}c` is bad");
        assert_eq!(p.file, "f\\u{1B}.csv");
        let long = Problem::error("f", "x".repeat(1000));
        assert!(long.message.ends_with("(700 more characters)"));
    }
}
