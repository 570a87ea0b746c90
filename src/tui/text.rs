//! The one text widget of the editor: every text field (a form's fields, the finder's query,
//! the palette's command) is a ratatui-textarea editor, one line or several, and this module
//! holds the one map of the keys that edit text (listed in help as [`super::keys::TEXT_KEYS`]).
//!
//! A one-line field never takes Enter, ↑ or ↓ (they submit and move between fields), and a
//! paste's line breaks become spaces. A multi-line field wraps at words, breaks lines with
//! Alt-Enter or C-j, and takes ↑↓ while they move inside it. Typing or pasting past the
//! field's limit is refused or cut.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// What a key did to a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    /// Not a text-editing key here: the caller's keymap decides.
    NotMine,
    /// Taken: the text or the cursor changed (or would have, at an end).
    Taken,
    /// Refused: the field is full.
    Full,
}

/// What a paste did: characters put in, and characters left out for lack of room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pasted {
    pub inserted: usize,
    pub dropped: usize,
}

impl Pasted {
    /// The status message for a paste that did not fit, naming what holds how much.
    pub fn note(self, what: &str, max: usize) -> Option<String> {
        (self.dropped > 0).then(|| {
            format!(
                "Pasted {} characters and left out {}: {what} holds at most {max} characters.",
                self.inserted, self.dropped
            )
        })
    }
}

/// A text field: its text and cursor, one line or several, holding at most `max` characters
/// (line breaks counted).
#[derive(Debug, Clone)]
pub struct TextField {
    /// Boxed: the editor is large, and a field sits in enums beside small variants.
    area: Box<TextArea<'static>>,
    multiline: bool,
    /// In a one-line field, a paste's line breaks and tabs become spaces (else they go).
    breaks_to_spaces: bool,
    max: usize,
}

impl TextField {
    /// A one-line field holding `value`, the cursor at the end.
    pub fn line(value: &str, max: usize) -> Self {
        Self::new(value, false, max)
    }

    /// A multi-line field holding `value` (its line breaks kept), wrapping at words, the
    /// cursor at the end.
    pub fn lines(value: &str, max: usize) -> Self {
        Self::new(value, true, max)
    }

    fn new(value: &str, multiline: bool, max: usize) -> Self {
        let mut f = TextField {
            area: Box::default(),
            multiline,
            breaks_to_spaces: true,
            max,
        };
        f.set(value);
        f
    }

    /// A one-line field whose pastes drop line breaks and tabs instead of turning them into
    /// spaces (a command typed in the palette).
    pub fn dropping_breaks(mut self) -> Self {
        self.breaks_to_spaces = false;
        self
    }

    /// Replace the text, the cursor at the end. A one-line field holds `value` as it is, as
    /// its one line (a line break read from a file is not lost; reading the value cleans it).
    pub fn set(&mut self, value: &str) {
        let lines: Vec<String> = if self.multiline {
            value
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
                .collect()
        } else {
            vec![value.to_string()]
        };
        let mut ta = TextArea::new(lines);
        // No undo key is bound: keep no history.
        ta.set_max_histories(0);
        if self.multiline {
            ta.set_wrap_mode(WrapMode::WordOrGlyph);
        }
        // The terminal's own cursor marks the place; no underline, no block.
        ta.set_cursor_line_style(ratatui::style::Style::default());
        ta.set_cursor_style(ratatui::style::Style::default());
        ta.move_cursor(CursorMove::Bottom);
        ta.move_cursor(CursorMove::End);
        *self.area = ta;
    }

    /// True for a multi-line field.
    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    /// Most characters the field holds.
    pub fn max(&self) -> usize {
        self.max
    }

    /// The first line: the whole text of a one-line field.
    pub fn value(&self) -> &str {
        self.area.lines().first().map_or("", String::as_str)
    }

    /// The whole text, lines joined by line breaks.
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// The editor, for drawing a multi-line field (it wraps and scrolls itself).
    pub fn area(&self) -> &TextArea<'static> {
        &self.area
    }

    /// Characters held, line breaks included.
    pub fn len(&self) -> usize {
        let lines = self.area.lines();
        lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
    }

    /// True when the field holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cursor's column on its line, in characters.
    pub fn cursor(&self) -> usize {
        self.area.cursor().1
    }

    /// The display width of the first line before the cursor (wide characters count two).
    pub fn visual_cursor(&self) -> usize {
        let line = self.value();
        let at = line
            .char_indices()
            .nth(self.cursor())
            .map_or(line.len(), |(i, _)| i);
        widths(&line[..at]).sum()
    }

    /// How far a one-line field `width` columns wide is scrolled so that the cursor shows.
    pub fn visual_scroll(&self, width: usize) -> usize {
        let scroll = self.visual_cursor().max(width) - width;
        let mut shown = 0;
        let mut widths = widths(self.value());
        while shown < scroll {
            match widths.next() {
                Some(w) => shown += w,
                None => break,
            }
        }
        shown
    }

    /// Edit with a key: typing, deletions, cursor and word motions, and in a multi-line field
    /// line breaks and ↑↓ between its lines (at the first or last line ↑↓ are left to the
    /// caller, to move between fields). The one map of text-editing keys.
    pub fn key(&mut self, k: &KeyEvent) -> Keyed {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let full = self.len() >= self.max;
        let ta = &mut self.area;
        match k.code {
            KeyCode::Enter if alt && self.multiline => {
                if full {
                    return Keyed::Full;
                }
                ta.insert_newline();
            }
            KeyCode::Char('j') if ctrl && self.multiline => {
                if full {
                    return Keyed::Full;
                }
                ta.insert_newline();
            }
            KeyCode::Up | KeyCode::Down if !ctrl && !alt && self.multiline => {
                let before = ta.cursor();
                ta.move_cursor(if k.code == KeyCode::Up {
                    CursorMove::Up
                } else {
                    CursorMove::Down
                });
                if (ta.cursor().0, ta.cursor().1) == (before.0, before.1) {
                    return Keyed::NotMine;
                }
            }
            KeyCode::Char('a') if ctrl => ta.move_cursor(CursorMove::Head),
            KeyCode::Char('e') if ctrl => ta.move_cursor(CursorMove::End),
            KeyCode::Char('w') if ctrl => {
                ta.delete_word();
            }
            KeyCode::Char('u') if ctrl => {
                ta.delete_line_by_head();
            }
            KeyCode::Char('k') if ctrl => {
                ta.delete_line_by_end();
            }
            KeyCode::Char('b') if alt => ta.move_cursor(CursorMove::WordBack),
            KeyCode::Char('f') if alt => ta.move_cursor(CursorMove::WordForward),
            KeyCode::Char('d') if alt => {
                ta.delete_next_word();
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                if full {
                    return Keyed::Full;
                }
                ta.insert_char(c);
            }
            KeyCode::Backspace if ctrl || alt => {
                ta.delete_word();
            }
            KeyCode::Backspace => {
                ta.delete_char();
            }
            KeyCode::Delete => {
                ta.delete_next_char();
            }
            KeyCode::Left if ctrl || alt => ta.move_cursor(CursorMove::WordBack),
            KeyCode::Right if ctrl || alt => ta.move_cursor(CursorMove::WordForward),
            KeyCode::Left => ta.move_cursor(CursorMove::Back),
            KeyCode::Right => ta.move_cursor(CursorMove::Forward),
            KeyCode::Home => ta.move_cursor(CursorMove::Head),
            KeyCode::End => ta.move_cursor(CursorMove::End),
            _ => return Keyed::NotMine,
        }
        Keyed::Taken
    }

    /// Paste `text` at the cursor in one edit, cut to the field's limit. Control characters
    /// go; a multi-line field keeps line breaks (`\r\n` and `\r` become `\n`) and turns tabs
    /// into spaces; a one-line field turns line breaks and tabs into spaces (or drops them,
    /// [`TextField::dropping_breaks`]). Linear in the size of the paste.
    pub fn paste(&mut self, text: &str) -> Pasted {
        let room = self.max.saturating_sub(self.len());
        let multiline = self.multiline;
        let spaces = self.breaks_to_spaces;
        let text = if multiline {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text.to_string()
        };
        let mut chars = text
            .chars()
            .map(|c| match c {
                '\t' if multiline || spaces => ' ',
                '\r' | '\n' if !multiline && spaces => ' ',
                c => c,
            })
            .filter(|&c| (multiline && c == '\n') || !c.is_control());
        let add: String = chars.by_ref().take(room).collect();
        let dropped = chars.count();
        let inserted = add.chars().count();
        if inserted > 0 {
            self.area.insert_str(&add);
        }
        Pasted { inserted, dropped }
    }
}

/// Display widths of `s`'s graphemes.
fn widths(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.graphemes(true).map(UnicodeWidthStr::width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(f: &mut TextField, code: KeyCode, mods: KeyModifiers) -> Keyed {
        f.key(&KeyEvent::new(code, mods))
    }

    fn typed(f: &mut TextField, s: &str) {
        for c in s.chars() {
            press(f, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    const N: KeyModifiers = KeyModifiers::NONE;
    const C: KeyModifiers = KeyModifiers::CONTROL;
    const A: KeyModifiers = KeyModifiers::ALT;

    #[test]
    fn a_one_line_field_leaves_enter_and_up_down_to_the_form() {
        let mut f = TextField::line("abc", 10);
        for (code, mods) in [
            (KeyCode::Enter, N),
            (KeyCode::Enter, A),
            (KeyCode::Char('j'), C),
            (KeyCode::Up, N),
            (KeyCode::Down, N),
            (KeyCode::Tab, N),
            (KeyCode::Esc, N),
            (KeyCode::Char('s'), C),
            (KeyCode::PageDown, N),
        ] {
            assert_eq!(
                press(&mut f, code, mods),
                Keyed::NotMine,
                "{code:?} {mods:?}"
            );
        }
        assert_eq!(f.text(), "abc");
    }

    #[test]
    fn the_documented_keys_edit_a_line() {
        let mut f = TextField::line("", 100);
        typed(&mut f, "one two three");
        assert_eq!(press(&mut f, KeyCode::Char('w'), C), Keyed::Taken);
        assert_eq!(f.value(), "one two ");
        press(&mut f, KeyCode::Backspace, A);
        assert_eq!(f.value(), "one ");
        press(&mut f, KeyCode::Char('a'), C);
        assert_eq!(f.cursor(), 0);
        press(&mut f, KeyCode::Char('k'), C);
        assert_eq!(f.value(), "");
        typed(&mut f, "alpha beta");
        press(&mut f, KeyCode::Left, C);
        assert_eq!(f.cursor(), 6);
        press(&mut f, KeyCode::Char('b'), A);
        assert_eq!(f.cursor(), 0);
        press(&mut f, KeyCode::Right, A);
        assert_eq!(f.cursor(), 6);
        press(&mut f, KeyCode::Char('u'), C);
        assert_eq!(f.value(), "beta");
        press(&mut f, KeyCode::End, N);
        assert_eq!(f.cursor(), 4);
        press(&mut f, KeyCode::Home, N);
        press(&mut f, KeyCode::Delete, N);
        assert_eq!(f.value(), "eta");
        press(&mut f, KeyCode::Char('d'), A);
        assert_eq!(f.value(), "");
        // Space is typed, not taken by the form's "next choice".
        typed(&mut f, "a b");
        assert_eq!(f.value(), "a b");
        press(&mut f, KeyCode::Backspace, N);
        assert_eq!(f.value(), "a ");
    }

    #[test]
    fn typing_past_the_limit_is_refused() {
        let mut f = TextField::line("abc", 3);
        assert_eq!(press(&mut f, KeyCode::Char('d'), N), Keyed::Full);
        assert_eq!(f.value(), "abc");
        let mut m = TextField::lines("ab", 3);
        assert_eq!(press(&mut m, KeyCode::Enter, A), Keyed::Taken);
        assert_eq!(press(&mut m, KeyCode::Char('j'), C), Keyed::Full);
        assert_eq!(m.text(), "ab\n");
    }

    #[test]
    fn a_multi_line_field_breaks_lines_and_moves_between_them() {
        let mut f = TextField::lines("first", 100);
        assert!(f.is_multiline());
        press(&mut f, KeyCode::Enter, A);
        typed(&mut f, "second");
        press(&mut f, KeyCode::Char('j'), C);
        typed(&mut f, "third");
        assert_eq!(f.text(), "first\nsecond\nthird");
        assert_eq!(f.len(), 18);
        // ↓ on the last line is the form's; ↑ moves up until the first line.
        assert_eq!(press(&mut f, KeyCode::Down, N), Keyed::NotMine);
        assert_eq!(press(&mut f, KeyCode::Up, N), Keyed::Taken);
        assert_eq!(press(&mut f, KeyCode::Up, N), Keyed::Taken);
        assert_eq!(press(&mut f, KeyCode::Up, N), Keyed::NotMine);
        // Enter alone is the form's (save).
        assert_eq!(press(&mut f, KeyCode::Enter, N), Keyed::NotMine);
    }

    #[test]
    fn a_paste_is_cut_to_the_limit_and_cleaned() {
        let mut f = TextField::line("ab", 8);
        let p = f.paste("c\nd\te\x1bfghij");
        assert_eq!(f.value(), "abc d ef");
        assert_eq!(
            p,
            Pasted {
                inserted: 6,
                dropped: 4
            }
        );
        assert_eq!(
            p.note("The field", 8).as_deref(),
            Some("Pasted 6 characters and left out 4: The field holds at most 8 characters.")
        );
        let mut palette = TextField::line("", 10).dropping_breaks();
        palette.paste("w\r\nq\t");
        assert_eq!(palette.value(), "wq");
        let mut m = TextField::lines("", 100);
        m.paste("one\r\ntwo\rthree\tfour");
        assert_eq!(m.text(), "one\ntwo\nthree four");
        assert_eq!(m.paste("").note("x", 1), None);
    }

    #[test]
    fn a_wide_line_scrolls_by_display_columns() {
        let mut f = TextField::line("日本語abc", 100);
        assert_eq!(f.visual_cursor(), 9);
        assert_eq!(f.visual_scroll(4), 6);
        press(&mut f, KeyCode::Home, N);
        press(&mut f, KeyCode::Right, N);
        assert_eq!(f.visual_cursor(), 2);
        assert_eq!(f.visual_scroll(4), 0);
    }

    #[test]
    fn a_one_line_field_keeps_one_line() {
        let f = TextField::line("a\nb", 10);
        assert_eq!(f.area().lines(), ["a\nb"]);
        let m = TextField::lines("a\r\nb", 10);
        assert_eq!(m.text(), "a\nb");
    }
}
