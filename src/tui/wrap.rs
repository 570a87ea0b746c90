//! Text laid out for reading on a terminal: word wrapping to a width (with a hanging indent),
//! one-line fitting with an ellipsis, label columns that always keep a space before their value,
//! and short forms of long ids. Pure functions of text and widths, in terminal columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The ellipsis that marks text left out.
pub const MORE: char = '…';

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    s.width()
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Wrap `text` to lines of at most `width` columns: at spaces where it can, inside a word longer
/// than a line where it must. Line breaks in the text are kept; tabs are spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    hanging(text, width, width, usize::MAX)
}

/// Wrap `text` with a first line of `first` columns and later lines of `rest` columns, at most
/// `max_rows` lines: when text is left out, the last line ends with [`MORE`]. Always at least one
/// line (empty for empty text). Stops as soon as `max_rows` lines are full, so the cost follows
/// what is shown, not the length of the text. The same text at the same widths is wrapped once
/// for all sessions of a process (see [`shared`]): a full room shows the same lists.
pub fn hanging(text: &str, first: usize, rest: usize, max_rows: usize) -> Vec<String> {
    shared::wrapped(text, (first, rest, max_rows), || {
        hanging_afresh(text, first, rest, max_rows)
    })
}

/// [`hanging`] without the shared memo.
pub fn hanging_afresh(text: &str, first: usize, rest: usize, max_rows: usize) -> Vec<String> {
    let max_rows = max_rows.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0usize;
    let room = |rows: usize| if rows == 0 { first.max(1) } else { rest.max(1) };
    // Set when the row budget is spent before the text is.
    let mut cut = false;
    'paras: for (pi, para) in text.trim_end().split('\n').enumerate() {
        if pi > 0 {
            out.push(std::mem::take(&mut line));
            line_w = 0;
            if out.len() >= max_rows {
                cut = true;
                break;
            }
        }
        let para = para.strip_suffix('\r').unwrap_or(para);
        for word in para
            .split([' ', '\t'])
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        {
            let ww = width(&word);
            let w = room(out.len());
            if line_w > 0 && line_w + 1 + ww <= w {
                line.push(' ');
                line.push_str(&word);
                line_w += 1 + ww;
                continue;
            }
            if line_w > 0 {
                out.push(std::mem::take(&mut line));
                line_w = 0;
                if out.len() >= max_rows {
                    cut = true;
                    break 'paras;
                }
            }
            // The word starts a line; a word wider than the line is split where it must be.
            for c in word.chars() {
                let cw = char_width(c);
                if line_w > 0 && line_w + cw > room(out.len()) {
                    out.push(std::mem::take(&mut line));
                    line_w = 0;
                    if out.len() >= max_rows {
                        cut = true;
                        break 'paras;
                    }
                }
                line.push(c);
                line_w += cw;
            }
        }
    }
    if !cut {
        out.push(line);
    }
    if cut {
        let w = room(out.len() - 1);
        if let Some(last) = out.last_mut() {
            *last = ellipsis(last, w);
        }
    }
    out
}

/// `s` cut to end in [`MORE`] within `width` columns (it is known to continue): after its last
/// whole word that leaves room, or inside a word when it is the only one.
fn ellipsis(s: &str, width: usize) -> String {
    if self::width(s) < width {
        return format!("{}{MORE}", s.trim_end());
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if let Some(space) = out.trim_end().rfind(' ') {
        out.truncate(space);
    }
    format!("{}{MORE}", out.trim_end())
}

/// `text` on one line of at most `width` columns: line breaks become spaces, and what does not
/// fit is cut with [`MORE`] after the last whole word (inside a word only when it is the first).
pub fn fit(text: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if self::width(&flat) <= width {
        return flat;
    }
    let mut out = String::new();
    let mut w = 0;
    let mut rest = flat.chars();
    for c in rest.by_ref() {
        let cw = char_width(c);
        if w + cw + 1 > width {
            // Cut inside a word: go back to the end of the word before, if any.
            if c != ' ' {
                let lead = out.len() - out.trim_start().len();
                if let Some(space) = out[lead..].rfind(' ') {
                    out.truncate(lead + space);
                }
            }
            break;
        }
        out.push(c);
        w += cw;
    }
    format!("{}{MORE}", out.trim_end())
}

/// A label in a column of `width` columns, padded, and always followed by at least one space:
/// a label too long for the column is cut with [`MORE`] rather than run into its value.
pub fn column(label: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let shown = fit(label, width - 1);
    let pad = width - self::width(&shown);
    format!("{shown}{}", " ".repeat(pad))
}

/// Longest id shown in full in a list; longer ones (ESCO's UUIDs) are shortened.
pub const ID_COLS: usize = 12;

/// An id as lists show it: whole when short, else its first characters and [`MORE`].
pub fn short_id(id: &str) -> String {
    if width(id) <= ID_COLS {
        id.to_string()
    } else {
        fit(id, 9)
    }
}

/// A competency reference (`framework:id`) as lists show it: the id without its framework,
/// shortened by [`short_id`].
pub fn short_ref(reference: &str) -> String {
    short_id(reference.split_once(':').map_or(reference, |(_, id)| id))
}

/// A name followed by its shortened id in parentheses: how a competency is named in lists
/// and titles (a name is never shown without it, nor an id without its name).
pub fn named(name: &str, reference: &str) -> String {
    if name.is_empty() {
        short_ref(reference)
    } else {
        format!("{name} ({})", short_ref(reference))
    }
}

/// Wrapped text kept for every session of the process: a served room's sessions show the same
/// needs and gap lines at the same widths, frame after frame. Short texts only; the memo is
/// emptied when it holds [`shared::MAX_ENTRIES`] texts, so it stays within a few megabytes.
mod shared {
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// Texts longer than this are wrapped each time (comments, pasted prose).
    const MAX_TEXT: usize = 512;
    /// Texts kept at most.
    pub const MAX_ENTRIES: usize = 16_384;

    type Widths = (usize, usize, usize);
    /// Each text's lines at the widths it was wrapped at.
    type Memo = HashMap<String, Vec<(Widths, Vec<String>)>>;
    static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

    /// `text` wrapped at `widths` by `wrap`, from the memo when it was wrapped so before.
    pub fn wrapped(text: &str, widths: Widths, wrap: impl FnOnce() -> Vec<String>) -> Vec<String> {
        if text.len() > MAX_TEXT {
            return wrap();
        }
        if let Ok(memo) = MEMO.lock()
            && let Some(lines) = memo
                .as_ref()
                .and_then(|m| m.get(text))
                .and_then(|v| v.iter().find(|(w, _)| *w == widths))
        {
            return lines.1.clone();
        }
        let lines = wrap();
        if let Ok(mut memo) = MEMO.lock() {
            let m = memo.get_or_insert_with(HashMap::new);
            if m.len() >= MAX_ENTRIES {
                m.clear();
            }
            let v = m.entry(text.to_string()).or_default();
            if v.len() >= 8 {
                v.clear();
            }
            v.push((widths, lines.clone()));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_keeps_line_breaks() {
        assert_eq!(
            wrap("Our installers only see the attic", 12),
            ["Our", "installers", "only see the", "attic"]
        );
        assert_eq!(wrap("one\n\ntwo", 10), ["one", "", "two"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn the_shared_memo_gives_what_wrapping_afresh_gives() {
        let texts = [
            "Site crews who read drawings and plans",
            "配線は屋外機の専用ブレーカーへ and a disconnect within sight",
            "a\nb c\n\nd",
            "",
        ];
        // Twice over, so the second pass reads the memo, at widths the first did not use too.
        for pass in 0..2 {
            for t in texts {
                for w in [1, 3, 8, 20, 200] {
                    for rows in [1, 2, usize::MAX] {
                        let want = hanging_afresh(t, w, w + pass, rows);
                        assert_eq!(hanging(t, w, w + pass, rows), want, "{t:?} {w} {rows}");
                        assert_eq!(hanging(t, w, w + pass, rows), want, "{t:?} {w} {rows}");
                    }
                }
            }
        }
    }

    #[test]
    fn hanging_lines_have_their_own_width_and_a_row_budget() {
        let rows = hanging("aaa bbb ccc ddd eee", 3, 7, 2);
        assert_eq!(rows, ["aaa", "bbb…"], "cut after a whole word");
        assert_eq!(hanging("aaa bbbbbbbbbb", 3, 7, 2), ["aaa", "bbbbbb…"]);
        assert_eq!(hanging("aaa bbb", 3, 7, 5), ["aaa", "bbb"]);
        // Wide characters count two columns.
        assert_eq!(wrap("日本語 日本", 6), ["日本語", "日本"]);
    }

    #[test]
    fn fit_cuts_with_an_ellipsis_and_flattens_lines() {
        assert_eq!(fit("Clean Energy", 20), "Clean Energy");
        assert_eq!(fit("Clean Energy", 12), "Clean Energy");
        assert_eq!(fit("Clean Energy", 8), "Clean…");
        assert_eq!(fit("CleanEnergy", 8), "CleanEn…");
        assert_eq!(fit("a\nb", 5), "a b");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn a_column_always_leaves_a_space_before_the_value() {
        let label = "Equity: recognition of prior learning";
        let c = column(label, 20);
        assert_eq!(width(&c), 20);
        assert!(c.ends_with(' ') && c.contains(MORE), "{c:?}");
        assert_eq!(column("Title", 8), "Title   ");
        assert_eq!(column("Exactly8", 8), "Exactl… ");
        assert_eq!(column("Two words", 8), "Two…    ");
    }

    #[test]
    fn long_ids_are_shortened_and_named() {
        assert_eq!(short_ref("building-retrofit:BR-ASSESS-01"), "BR-ASSESS-01");
        assert_eq!(
            short_ref("esco:0005c151-5b5a-4a66-8aac-60e734beb1ab"),
            "0005c151…"
        );
        assert_eq!(
            named("Conduct energy audits", "building-retrofit:BR-ASSESS-01"),
            "Conduct energy audits (BR-ASSESS-01)"
        );
    }
}
