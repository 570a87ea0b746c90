//! All YAML reading and writing lives here, so the YAML crate can be swapped in one place.
//!
//! - [`parse`] reads typed values with serde_yaml and turns its errors into located,
//!   plain-language messages.
//! - [`to_string`] writes canonical YAML: block style, fields in declaration order, and every
//!   string that a YAML 1.1 or 1.2 reader could take for something else quoted.
//! - [`locate`] finds the line and column of a node by its path, for problems found after
//!   parsing (duplicate ids, dangling references).

use saphyr_parser::{Event, Parser};
use serde::{Serialize, de::DeserializeOwned};
use serde_yaml::Value;

use crate::model::validate::Finding;
use crate::problem::{DocPath, Problem, Problems, Seg};

/// A YAML syntax or type error, with its position when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl YamlError {
    /// This error as a problem of the file `name`, at its line and column when known.
    pub fn into_problem(self, name: &str) -> Problem {
        let mut p = Problem::error(name, self.message);
        if let (Some(l), Some(c)) = (self.line, self.column) {
            p = p.at(l, c);
        }
        p.hint = self.hint;
        p
    }
}

/// Parse one YAML document into `T`; an error becomes a problem of the file `name`.
pub fn parse_named<T: DeserializeOwned>(src: &str, name: &str) -> Result<T, Problems> {
    parse(src).map_err(|e| Problems::from(e.into_problem(name)))
}

/// Findings of the document `src` (file `name`) as problems, at the line and column of the node
/// each names.
pub fn located(src: &str, name: &str, findings: Vec<Finding>) -> Vec<Problem> {
    let at = locate_all(src, findings.iter().map(|f| &f.path));
    findings
        .into_iter()
        .zip(at)
        .map(|(f, at)| {
            let mut p = if f.warning {
                Problem::warning(name, f.message)
            } else {
                Problem::error(name, f.message)
            };
            if let Some((l, c)) = at {
                p = p.at(l, c);
            }
            p.hint = f.hint;
            p
        })
        .collect()
}

/// Parse one YAML document into `T`.
pub fn parse<T: DeserializeOwned>(src: &str) -> Result<T, YamlError> {
    if is_blank(src) {
        return Err(YamlError {
            line: Some(1),
            column: Some(1),
            message: "the file is empty".into(),
            hint: Some(format!("write a framework or workspace: {FORMAT_HELP}")),
        });
    }
    if let Some((line, column)) = too_deep_flow(src) {
        // Name the field where it happens when the line starts with a plain key.
        let key = src
            .split('\n')
            .nth(line - 1)
            .and_then(|l| l.split_once(':'))
            .map(|(k, _)| k.trim().trim_start_matches("- "))
            .filter(|k| !k.is_empty() && k.len() <= 64 && !k.contains(['[', '{', '"', '\'']));
        let at = key.map_or(String::new(), |k| format!("{k}: "));
        return Err(YamlError {
            line: Some(line),
            column: Some(column),
            message: format!("{at}the file nests more than {MAX_FLOW_DEPTH} levels deep"),
            hint: Some("frameworks and workspaces need only a few levels of nesting".into()),
        });
    }
    serde_yaml::from_str(src).map_err(|e| explain(src, &e))
}

/// Where users find the formats: the command that prints the schema, and the format guide.
const FORMAT_HELP: &str = "`microcred schema workspace` or `microcred schema framework` prints \
the JSON Schema, and docs/formats.md (in the source repository) describes each field";

/// Deepest `[`/`{` nesting let through to the YAML parser (serde_yaml stops at 128 anyway,
/// but its scanner first spends time quadratic in the depth of nested flow mappings).
pub const MAX_FLOW_DEPTH: usize = 128;

/// Where flow collections (`[`, `{`) first nest deeper than [`MAX_FLOW_DEPTH`], 1-based. A
/// quick conservative scan: quoted text and comments are skipped; an opening bracket counts
/// only where a flow collection can start (after space, `:`, `,`, `-`, `[` or `{`).
fn too_deep_flow(src: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (i, line) in src.split('\n').enumerate() {
        let mut prev = ' ';
        let mut quote: Option<char> = None;
        for (j, ch) in line.chars().enumerate() {
            match quote {
                Some(q) => {
                    if ch == q {
                        quote = None;
                    }
                }
                None => match ch {
                    '"' | '\'' if matches!(prev, ' ' | ':' | ',' | '[' | '{' | '-') => {
                        quote = Some(ch)
                    }
                    '#' if prev == ' ' => break,
                    '[' | '{' if matches!(prev, ' ' | ':' | ',' | '[' | '{' | '-') => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some((i + 1, j + 1));
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            prev = ch;
        }
    }
    None
}

fn is_blank(src: &str) -> bool {
    src.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

fn explain(src: &str, e: &serde_yaml::Error) -> YamlError {
    let loc = e.location();
    let (line, column) = match &loc {
        Some(l) => (Some(l.line()), Some(l.column())),
        None => (None, None),
    };
    let mut message = e.to_string();
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    let mut hint = None;
    let (mut line, mut column) = (line, column);
    if message.contains("more than one document") {
        message = "the file holds more than one YAML document (`---` starts a new one)".into();
        hint = Some("keep one document per file".into());
        if let Some((l, c)) = second_document(src) {
            (line, column) = (Some(l), Some(c));
        }
    } else if message.contains("control characters are not allowed") {
        if let Some((l, c, ch)) = first_control_char(src) {
            (line, column) = (Some(l), Some(c));
            message = format!(
                "the file contains the control character U+{:04X}",
                ch as u32
            );
            hint = Some("remove it; only tabs and line breaks are allowed".into());
        }
    } else if message.contains("recursion limit exceeded") {
        message = "the file nests more than 128 levels deep".into();
        hint = Some("frameworks and workspaces need only a few levels of nesting".into());
    } else if message.contains("repetition limit exceeded") {
        message = "the file repeats aliases (`*name`) too often to expand safely".into();
        hint = Some("write the values out instead of using anchors and aliases".into());
    } else if message.contains("unknown field") {
        hint = Some("check the spelling; only the fields listed are allowed here".into());
    } else if message.contains("missing field") {
        hint = Some(format!("add the field; the required ones: {FORMAT_HELP}"));
    } else if message.contains("expected u32") {
        hint = Some("use a whole number from 0 to 4294967295".into());
    } else if message.contains("expected a string") {
        hint = Some("put the value in double quotes, e.g. \"1.0\"".into());
    } else if message.contains("duplicate") {
        hint = Some("keep only one of them".into());
    } else if message.contains("cannot start any token") || message.contains("found a tab") {
        let tab_here = line
            .and_then(|l| src.lines().nth(l.saturating_sub(1)))
            .is_some_and(|l| l.contains('\t'));
        if tab_here {
            hint = Some("indent with spaces; YAML does not allow tabs for indentation".into());
        }
    } else if message.contains("unknown variant") {
        hint = Some("use one of the values listed".into());
    }
    YamlError {
        line,
        column,
        message,
        hint,
    }
}

/// The 1-based position of the first control character other than tab and line breaks.
fn first_control_char(src: &str) -> Option<(usize, usize, char)> {
    for (i, line) in src.split('\n').enumerate() {
        for (j, ch) in line.chars().enumerate() {
            if ch.is_control() && !matches!(ch, '\t' | '\r') {
                return Some((i + 1, j + 1, ch));
            }
        }
    }
    None
}

/// Where the second document of a stream starts, 1-based.
fn second_document(src: &str) -> Option<(usize, usize)> {
    let mut seen = 0;
    for ev in Parser::new_from_str(src) {
        match ev {
            Ok((Event::DocumentStart(_), span)) => {
                seen += 1;
                if seen == 2 {
                    return Some((span.start.line(), span.start.col() + 1));
                }
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Find the 1-based (line, column) of the node at `path`; when the path does not exist in full,
/// the position of the deepest part that does.
///
/// The first call on a text walks its events up to the node. A second call on the same text
/// (a check that found many problems in it) indexes every node once and later calls look up
/// the index: walking from the start for each of 2,000 problems was quadratic (37 s in a
/// debug build). The last text and its index are kept per thread.
pub fn locate(src: &str, path: &DocPath) -> Option<(usize, usize)> {
    thread_local! {
        static LAST: std::cell::RefCell<Located> = std::cell::RefCell::default();
    }
    LAST.with(|cell| {
        let mut last = cell.borrow_mut();
        if last.text != src {
            *last = Located {
                text: src.to_string(),
                tree: None,
            };
            return locate_once(src, path);
        }
        if last.tree.is_none() {
            last.tree = Some(index(src));
        }
        last.tree
            .as_ref()
            .and_then(|t| t.as_ref())
            .map(|t| t.lookup(&path.0))
    })
}

/// [`locate`] for each of `paths` in the same text: one walk for a single path, else the text's
/// nodes indexed once (comparing the text with the last one for each path would cost the
/// length of the text per problem).
pub fn locate_all<'p>(
    src: &str,
    paths: impl ExactSizeIterator<Item = &'p DocPath>,
) -> Vec<Option<(usize, usize)>> {
    match paths.len() {
        0 => Vec::new(),
        1 => paths.map(|p| locate(src, p)).collect(),
        _ => {
            let tree = index(src);
            paths
                .map(|p| tree.as_ref().map(|t| t.lookup(&p.0)))
                .collect()
        }
    }
}

/// The text last located into, and the index of its nodes once built.
#[derive(Default)]
struct Located {
    text: String,
    tree: Option<Option<Node>>,
}

/// A node of a document with its 0-based (line, column) and its children by key or index.
struct Node {
    pos: (usize, usize),
    kids: Kids,
}

enum Kids {
    Leaf,
    /// The first of repeated keys wins, as in [`locate_once`].
    Map(std::collections::HashMap<String, Node>),
    Seq(Vec<Node>),
}

/// Deepest nesting indexed; deeper nodes are located at their deepest indexed ancestor.
const MAX_INDEX_DEPTH: usize = 256;

impl Node {
    /// The 1-based position of the deepest node on `path`.
    fn lookup(&self, path: &[Seg]) -> (usize, usize) {
        let mut node = self;
        for seg in path {
            let next = match (seg, &node.kids) {
                (Seg::Key(k), Kids::Map(m)) => m.get(k),
                (Seg::Index(i), Kids::Seq(v)) => v.get(*i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        (node.pos.0, node.pos.1 + 1)
    }
}

/// Every node of the first document of `src`.
fn index(src: &str) -> Option<Node> {
    let mut parser = Parser::new_from_str(src);
    loop {
        match parser.next_event()? {
            Ok((Event::DocumentStart(_), _)) => break,
            Ok((Event::StreamEnd, _)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
    let (ev, span) = parser.next_event()?.ok()?;
    Some(index_node(
        &mut parser,
        ev,
        (span.start.line(), span.start.col()),
        0,
    ))
}

/// The node that starts with `first` at `pos`, read to its end.
fn index_node<'a>(
    p: &mut Parser<'a, saphyr_parser::StrInput<'a>>,
    first: Event<'a>,
    pos: (usize, usize),
    depth: usize,
) -> Node {
    if depth > MAX_INDEX_DEPTH {
        skip_rest(p, &first);
        return Node {
            pos,
            kids: Kids::Leaf,
        };
    }
    let kids = match first {
        Event::MappingStart(..) => {
            let mut m = std::collections::HashMap::new();
            while let Some(Ok((key, _))) = p.next_event() {
                let Event::Scalar(k, ..) = key else {
                    if matches!(key, Event::MappingEnd) {
                        break;
                    }
                    skip_rest(p, &key);
                    skip_node(p);
                    continue;
                };
                let Some(Ok((ev, span))) = p.next_event() else {
                    break;
                };
                let node = index_node(p, ev, (span.start.line(), span.start.col()), depth + 1);
                m.entry(k.into_owned()).or_insert(node);
            }
            Kids::Map(m)
        }
        Event::SequenceStart(..) => {
            let mut v = Vec::new();
            while let Some(Ok((ev, span))) = p.next_event() {
                if matches!(ev, Event::SequenceEnd) {
                    break;
                }
                v.push(index_node(
                    p,
                    ev,
                    (span.start.line(), span.start.col()),
                    depth + 1,
                ));
            }
            Kids::Seq(v)
        }
        _ => Kids::Leaf,
    };
    Node { pos, kids }
}

/// [`locate`] by walking the events of `src` up to the node.
fn locate_once(src: &str, path: &DocPath) -> Option<(usize, usize)> {
    let mut parser = Parser::new_from_str(src);
    loop {
        match parser.next_event()? {
            Ok((Event::DocumentStart(_), _)) => break,
            Ok((Event::StreamEnd, _)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
    let mut best = None;
    find(&mut parser, &path.0, &mut best);
    best.map(|(l, c): (usize, usize)| (l, c + 1))
}

fn find<'a>(
    p: &mut Parser<'a, saphyr_parser::StrInput<'a>>,
    path: &[Seg],
    best: &mut Option<(usize, usize)>,
) {
    let Some(Ok((ev, span))) = p.next_event() else {
        return;
    };
    *best = Some((span.start.line(), span.start.col()));
    let Some((seg, rest)) = path.split_first() else {
        skip_rest(p, &ev);
        return;
    };
    match (ev, seg) {
        (Event::MappingStart(..), Seg::Key(want)) => loop {
            let Some(Ok((key, _))) = p.next_event() else {
                return;
            };
            match key {
                Event::MappingEnd => return,
                Event::Scalar(k, ..) if k.as_ref() == want => {
                    find(p, rest, best);
                    return;
                }
                other => {
                    skip_rest(p, &other);
                    skip_node(p);
                }
            }
        },
        (Event::SequenceStart(..), Seg::Index(want)) => {
            let mut i = 0;
            loop {
                if i == *want {
                    find(p, rest, best);
                    return;
                }
                match p.next_event() {
                    Some(Ok((Event::SequenceEnd, _))) | None | Some(Err(_)) => return,
                    Some(Ok((other, _))) => skip_rest(p, &other),
                }
                i += 1;
            }
        }
        _ => {}
    }
}

/// Skip one whole node, starting with its first event.
fn skip_node<'a>(p: &mut Parser<'a, saphyr_parser::StrInput<'a>>) {
    if let Some(Ok((ev, _))) = p.next_event() {
        skip_rest(p, &ev);
    }
}

/// Having read `first`, skip to the end of its node.
fn skip_rest<'a>(p: &mut Parser<'a, saphyr_parser::StrInput<'a>>, first: &Event) {
    let mut depth: usize = match first {
        Event::MappingStart(..) | Event::SequenceStart(..) => 1,
        _ => 0,
    };
    while depth > 0 {
        match p.next_event() {
            Some(Ok((Event::MappingStart(..) | Event::SequenceStart(..), _))) => depth += 1,
            Some(Ok((Event::MappingEnd | Event::SequenceEnd, _))) => depth -= 1,
            Some(Ok(_)) => {}
            _ => return,
        }
    }
}

/// Write `v` as canonical YAML.
pub fn to_string<T: Serialize>(v: &T) -> Result<String, String> {
    let value = serde_yaml::to_value(v).map_err(|e| e.to_string())?;
    let mut out = String::new();
    match &value {
        Value::Mapping(m) if !m.is_empty() => emit_mapping(m, 0, false, &mut out),
        Value::Sequence(s) if !s.is_empty() => emit_sequence(s, 0, &mut out),
        other => {
            emit_scalar(other, &mut out);
            out.push('\n');
        }
    }
    Ok(out)
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Mapping(m) => !m.is_empty(),
        Value::Sequence(s) => !s.is_empty(),
        Value::Tagged(t) => is_block(&t.value),
        _ => false,
    }
}

/// Write a mapping at `indent`; with `inline_first`, the first key follows a `- ` already written.
fn emit_mapping(m: &serde_yaml::Mapping, indent: usize, inline_first: bool, out: &mut String) {
    for (i, (k, v)) in m.iter().enumerate() {
        if !(inline_first && i == 0) {
            pad(out, indent);
        }
        emit_scalar(k, out);
        out.push(':');
        emit_after_key(v, indent, out);
    }
}

fn emit_after_key(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            out.push('\n');
            emit_mapping(m, indent + 2, false, out);
        }
        Value::Sequence(s) if !s.is_empty() => {
            out.push('\n');
            emit_sequence(s, indent + 2, out);
        }
        Value::Tagged(t) => emit_after_key(&t.value, indent, out),
        other => {
            out.push(' ');
            emit_scalar(other, out);
            out.push('\n');
        }
    }
}

fn emit_sequence(s: &[Value], indent: usize, out: &mut String) {
    for item in s {
        pad(out, indent);
        out.push('-');
        emit_item(item, indent, out);
    }
}

fn emit_item(item: &Value, indent: usize, out: &mut String) {
    match item {
        Value::Mapping(m) if !m.is_empty() => {
            out.push(' ');
            emit_mapping(m, indent + 2, true, out);
        }
        Value::Sequence(s) if is_block(item) => {
            out.push('\n');
            emit_sequence(s, indent + 2, out);
        }
        Value::Tagged(t) => emit_item(&t.value, indent, out),
        other => {
            out.push(' ');
            emit_scalar(other, out);
            out.push('\n');
        }
    }
}

fn emit_scalar(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => emit_number(n, out),
        Value::String(s) => emit_string(s, out),
        Value::Sequence(_) => out.push_str("[]"),
        Value::Mapping(_) => out.push_str("{}"),
        Value::Tagged(t) => emit_scalar(&t.value, out),
    }
}

fn emit_number(n: &serde_yaml::Number, out: &mut String) {
    use std::fmt::Write;
    if let Some(u) = n.as_u64() {
        let _ = write!(out, "{u}");
    } else if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else if let Some(f) = n.as_f64() {
        if f.is_nan() {
            out.push_str(".nan");
        } else if f.is_infinite() {
            out.push_str(if f > 0.0 { ".inf" } else { "-.inf" });
        } else if f.fract() == 0.0 && f.abs() < 1e15 {
            let _ = write!(out, "{}", f as i64);
        } else {
            let _ = write!(out, "{f}");
        }
    }
}

/// Write a string plain when every YAML reader would read it back as the same string,
/// double-quoted otherwise.
pub fn emit_string(s: &str, out: &mut String) {
    if plain_ok(s) {
        out.push_str(s);
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Control, bidi-override and byte-order characters, which are written escaped.
fn needs_escape(c: char) -> bool {
    !printable(c) || crate::problem::is_hidden(c) || c == '\u{FEFF}'
}

/// The characters YAML allows unescaped in a stream.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || "-?:,[]{}#&*!|>'\"%@`=<".contains(first) {
        return false;
    }
    if s.chars()
        .any(|c| needs_escape(c) || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))
    {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    !(is_special_word(s) || looks_numeric(s))
}

/// Words that YAML 1.1 or 1.2 read as booleans or null.
fn is_special_word(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null" | "~"
    ) || matches!(s, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN")
}

/// Anything a YAML 1.1 or 1.2 reader might take for a number, date or time: digits with
/// number punctuation, starting with a digit, sign or dot.
fn looks_numeric(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    (first.is_ascii_digit() || matches!(first, '+' | '-' | '.'))
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(
                    c,
                    '_' | '.'
                        | ':'
                        | '+'
                        | '-'
                        | 'x'
                        | 'X'
                        | 'o'
                        | 'O'
                        | 'T'
                        | 't'
                        | 'Z'
                        | 'z'
                        | ' '
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> String {
        let mut o = String::new();
        emit_string(s, &mut o);
        o
    }

    #[test]
    fn quotes_ambiguous_strings() {
        for s in [
            "no",
            "on",
            "Yes",
            "007",
            "1e3",
            "1.0",
            "0x1F",
            "1:20",
            "2026-11-28",
            "",
            " x",
            "a: b",
            "#x",
            "*x",
            "&x",
            "null",
            "~",
        ] {
            assert!(
                q(s).starts_with('"'),
                "{s:?} should be quoted, got {}",
                q(s)
            );
            let back: String = serde_yaml::from_str(&q(s)).unwrap();
            assert_eq!(back, s);
        }
        for s in [
            "EQF",
            "Data-Ready Retail Analyst",
            "CA-BC",
            "digital-data:DD-DATA-03",
            "3 years",
        ] {
            assert_eq!(q(s), s);
        }
    }

    #[test]
    fn escapes_control_and_bidi() {
        let s = "a\u{202E}b\u{1b}[31m\nc\"d\\";
        let o = q(s);
        assert!(!o.contains('\u{202E}') && !o.contains('\u{1b}'));
        let back: String = serde_yaml::from_str(&o).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn locates_paths() {
        let src = "a: 1\nlist:\n  - id: x\n  - id: y\n    name: z\n";
        assert_eq!(locate(src, &crate::path!["list", 1, "name"]), Some((5, 11)));
        assert_eq!(locate(src, &crate::path!["list", 0, "id"]), Some((3, 9)));
        assert_eq!(locate(src, &crate::path!["list", 1, "nope"]), Some((4, 5)));
    }

    /// From the second call on a text, positions come from its index: they must be the same
    /// as from walking the events, for paths that exist and paths that do not.
    #[test]
    fn the_index_locates_as_the_walk_does() {
        let src = "a: 1\nlist:\n  - id: x\n    [k]: 1\n  - {id: y, id: z, tags: [p, q]}\n  - &r v\n  - *r\nb:\n  c: {d: [1, [2, 3]]}\n";
        let paths = [
            crate::path![],
            crate::path!["a"],
            crate::path!["list"],
            crate::path!["list", 0, "id"],
            crate::path!["list", 1, "id"],
            crate::path!["list", 1, "tags", 1],
            crate::path!["list", 1, "tags", 7],
            crate::path!["list", 2],
            crate::path!["list", 3, "x"],
            crate::path!["list", 9],
            crate::path!["b", "c", "d", 1, 0],
            crate::path!["b", "c", "d", 1, 0, "deeper"],
            crate::path!["a", 0],
            crate::path!["nope", "x"],
        ];
        for _ in 0..2 {
            for p in &paths {
                assert_eq!(locate(src, p), locate_once(src, p), "{p}");
            }
        }
        assert_eq!(
            locate("", &crate::path!["a"]),
            locate_once("", &crate::path!["a"])
        );
        assert_eq!(
            locate("", &crate::path!["a"]),
            locate_once("", &crate::path!["a"])
        );
    }

    /// The hints point to what users have: the `schema` command and docs/formats.md, not
    /// a SCHEMA.md file that is not installed with the program.
    #[test]
    fn hints_name_the_schema_command_and_the_format_guide() {
        for src in [
            "",
            "# only a comment\n",
            "schema: microcred/workspace@1\nneeds:\n  - id: N1\n",
        ] {
            let e = match src {
                "" | "# only a comment\n" => parse::<serde_yaml::Value>(src).unwrap_err(),
                _ => parse::<crate::model::Workspace>(src).unwrap_err(),
            };
            let hint = e.hint.unwrap_or_default();
            assert!(!hint.contains("SCHEMA.md"), "{hint}");
            assert!(
                hint.contains("`microcred schema ") && hint.contains("docs/formats.md"),
                "{hint}"
            );
        }
    }
}
