//! Forms: a list of fields edited inline (one-line text with cursor, word motions and paste
//! via tui-input; prose in multi-line fields that wrap, via ratatui-textarea; choices cycled
//! with ←/→), submitted with Enter as one `Op`.
//!
//! This module is the engine every form shares (fields, selection, editing, paste, reading
//! values back); each purpose has its own file with the form's fields and the `Op` it builds
//! (`need.rs`, `mapping.rs`, …), and [`Form::to_op`] routes to them by [`Purpose`].

mod comment;
mod competency;
mod credential;
mod files;
mod mapping;
mod need;
mod partner;
mod postings;
mod reason;
mod sign_off;
mod vote;

pub use files::EXPORT_USUAL;
pub use postings::NO_PARTNER;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use tui_input::{Input, InputRequest};

use crate::edit::Op;
use crate::limits;
use crate::model::*;

/// The limit of a text field of the editor's forms, by the field's key.
pub fn form_field(key: &str) -> usize {
    match key {
        "id" => limits::ID,
        "path" => limits::PATH,
        "text" => limits::COMMENT,
        "name"
        | "title"
        | "awarding_body"
        | "level.scheme"
        | "level.value"
        | "awarding_body_details.legal_name"
        | "awarding_body_details.email" => limits::NAME,
        "homepage" | "awarding_body_details.identifier" | "awarding_body_details.url" => {
            limits::URI
        }
        "country"
        | "workload.hours"
        | "workload.ects"
        | "max_hours"
        | "hours"
        | "version"
        | "previous_version"
        | "isced_f"
        | "awarding_body_details.country" => limits::SHORT,
        _ => limits::TEXT,
    }
}

/// True for the fields that hold prose (statements, evidence, rationales, outcomes, comments,
/// the summary, assessment descriptions): they are multi-line, wrap, and keep line breaks.
pub fn is_prose(key: &str) -> bool {
    matches!(
        key,
        "statement"
            | "evidence"
            | "rationale"
            | "outcome"
            | "text"
            | "summary"
            | "assessment.description"
    )
}

/// The hint shown under a multi-line field.
pub const PROSE_HINT: &str = "Enter saves · Alt-Enter or C-j: new line · ↑↓ lines, then fields";

/// A multi-line editor holding `value`, wrapping at words, the cursor at the end.
fn text_area(value: &str) -> TextArea<'static> {
    let lines: Vec<String> = value
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect();
    let mut ta = TextArea::new(lines);
    ta.set_wrap_mode(WrapMode::WordOrGlyph);
    // The terminal's own cursor marks the place (as in one-line fields); no underline.
    ta.set_cursor_line_style(ratatui::style::Style::default());
    ta.set_cursor_style(ratatui::style::Style::default());
    ta.move_cursor(CursorMove::Bottom);
    ta.move_cursor(CursorMove::End);
    ta
}

/// Characters in a multi-line editor, line breaks included.
fn area_len(ta: &TextArea) -> usize {
    let lines = ta.lines();
    lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
}

/// What a form is for: decides its fields and the `Op` it builds.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    NewNeed,
    EditNeed(String),
    NewPartner,
    EditPartner(String),
    Credential,
    Mapping {
        need: String,
        competency: String,
    },
    /// A mapping not made yet: saving the form makes it (and includes the competency in the
    /// credential if it is not there yet); closing it changes nothing.
    NewMapping {
        need: String,
        competency: String,
    },
    CredentialCompetency(String),
    Comment {
        need: String,
        competency: String,
    },
    /// Why a mapping is disputed or rejected (required).
    Reason {
        need: String,
        competency: String,
        status: MappingStatus,
    },
    SaveAs,
    /// A designer records a sign-off given in the room: for which partner, by whom.
    SignOff,
    /// Which format to export beside the workspace.
    Export,
    /// A designer opens a dot vote: over needs or candidate competencies, dots per partner,
    /// over which needs, tally shown or hidden.
    OpenVote,
    /// A designer adds job postings as evidence: a file, a folder or a CSV, read and
    /// extracted in the background.
    AddPostings,
}

/// One field of a form.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: &'static str,
    pub label: String,
    pub input: Input,
    /// For a choice field: the values, and the index chosen.
    pub choices: Vec<String>,
    /// Help shown for each choice (e.g. a level's descriptor), same length as `choices` or empty.
    pub choice_help: Vec<String>,
    pub choice: usize,
    /// Most characters a text field holds ([`form_field`]).
    pub max: usize,
    /// The text of a multi-line field ([`is_prose`]); `None` for the others, which use `input`.
    pub area: Option<Box<TextArea<'static>>>,
}

impl Field {
    fn text(key: &'static str, label: &str, value: &str) -> Self {
        Field {
            key,
            label: label.into(),
            input: Input::new(value.into()),
            choices: Vec::new(),
            choice_help: Vec::new(),
            choice: 0,
            max: form_field(key),
            area: is_prose(key).then(|| Box::new(text_area(value))),
        }
    }

    fn choice(key: &'static str, label: &str, choices: Vec<String>, current: &str) -> Self {
        let choice = choices.iter().position(|c| c == current).unwrap_or(0);
        Field {
            choices,
            choice,
            area: None,
            ..Field::text(key, label, "")
        }
    }

    fn with_help(mut self, help: Vec<String>) -> Self {
        self.choice_help = help;
        self
    }

    /// True for a choice field.
    pub fn is_choice(&self) -> bool {
        !self.choices.is_empty()
    }

    /// True for a multi-line field.
    pub fn is_multiline(&self) -> bool {
        self.area.is_some()
    }

    /// The field's current value as text (a multi-line field's lines joined by line breaks).
    pub fn value(&self) -> String {
        if self.is_choice() {
            self.choices.get(self.choice).cloned().unwrap_or_default()
        } else if let Some(ta) = &self.area {
            ta.lines().join("\n")
        } else {
            self.input.value().to_string()
        }
    }

    /// The help for the current choice, if any.
    pub fn help(&self) -> Option<&str> {
        self.choice_help
            .get(self.choice)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
}

/// A form being filled in.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub sel: usize,
    /// Why the last submit was refused.
    pub error: Option<String>,
    /// First row shown (forms taller than the screen scroll).
    pub scroll: usize,
    /// For a new mapping: the competency to include in the credential when it is saved.
    pub include: Option<CredentialCompetency>,
    /// Text shown above the fields: the need a mapping or comment is about.
    note: Option<String>,
}

const NONE: &str = "(none)";

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

fn num(n: Option<f64>) -> String {
    n.map(|h| {
        if h.fract() == 0.0 {
            format!("{h:.0}")
        } else {
            h.to_string()
        }
    })
    .unwrap_or_default()
}

fn words(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Remove control characters (escape sequences and the like) from text a user typed or pasted.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// [`clean`] for multi-line text: line breaks stay, spaces at the ends of lines and of the
/// whole text go.
pub fn clean_lines(s: &str) -> String {
    let lines: Vec<String> = s.lines().map(|l| clean(l).trim_end().to_string()).collect();
    lines.join("\n").trim().to_string()
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

/// Insert pasted `text` at the cursor of `input` in one edit, keeping the value within `max`
/// characters. Control characters go; with `flatten`, line breaks and tabs become spaces.
/// Linear in the size of the paste (inserting a character at a time was quadratic: a 1 MB
/// paste hung the editor).
pub fn insert_capped(input: &mut Input, text: &str, max: usize, flatten: bool) -> Pasted {
    let value = input.value();
    let room = max.saturating_sub(value.chars().count());
    let mut chars = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' | '\t' if flatten => ' ',
            c => c,
        })
        .filter(|c| !c.is_control());
    let add: String = chars.by_ref().take(room).collect();
    let dropped = chars.count();
    let inserted = add.chars().count();
    if inserted > 0 {
        let cursor = input.cursor();
        let at = value
            .char_indices()
            .nth(cursor)
            .map_or(value.len(), |(i, _)| i);
        let mut joined = String::with_capacity(value.len() + add.len());
        joined.push_str(&value[..at]);
        joined.push_str(&add);
        joined.push_str(&value[at..]);
        *input = Input::new(joined).with_cursor(cursor + inserted);
    }
    Pasted { inserted, dropped }
}

/// Paste `text` into a multi-line editor in one edit, keeping the value within `max`
/// characters: line breaks stay (`\r\n` and `\r` become `\n`), tabs become spaces, other
/// control characters go.
pub fn paste_lines(ta: &mut TextArea, text: &str, max: usize) -> Pasted {
    let room = max.saturating_sub(area_len(ta));
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut chars = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|&c| c == '\n' || !c.is_control());
    let add: String = chars.by_ref().take(room).collect();
    let dropped = chars.count();
    let inserted = add.chars().count();
    if inserted > 0 {
        ta.insert_str(&add);
    }
    Pasted { inserted, dropped }
}

impl Form {
    fn new(title: impl Into<String>, purpose: Purpose, fields: Vec<Field>) -> Self {
        Form {
            title: title.into(),
            purpose,
            fields,
            sel: 0,
            error: None,
            scroll: 0,
            include: None,
            note: None,
        }
    }

    /// Offer only `value` in the choice field `key` (e.g. a partner adds needs only for
    /// their own organisation).
    pub fn only_choice(&mut self, key: &str, value: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.choices = vec![value.to_string()];
            f.choice_help.clear();
            f.choice = 0;
        }
    }

    /// Text shown above the fields, if any (what a mapping or comment is about).
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    fn with_note(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }

    /// Select the field with this key.
    pub fn focus(mut self, key: &str) -> Self {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.sel = i;
        }
        self
    }

    fn set(&mut self, key: &str, value: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            if f.is_choice() {
                if let Some(i) = f.choices.iter().position(|c| c == value) {
                    f.choice = i;
                }
            } else if f.area.is_some() {
                f.area = Some(Box::new(text_area(value)));
            } else {
                f.input = Input::new(value.into());
            }
        }
    }

    /// The current value of a field, cleaned and trimmed (a multi-line field keeps its line
    /// breaks).
    pub fn get(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| {
                if f.is_multiline() {
                    clean_lines(&f.value())
                } else {
                    clean(f.value().trim())
                }
            })
            .unwrap_or_default()
    }

    /// The value of field `key`, or None when it is empty.
    pub fn get_opt(&self, key: &str) -> Option<String> {
        Some(self.get(key)).filter(|s| !s.is_empty() && s != NONE)
    }

    fn get_num(&self, key: &str, what: &str) -> Result<Option<f64>, String> {
        match self.get_opt(key) {
            None => Ok(None),
            Some(s) => s
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or_else(|| format!("{what} must be a number, not `{s}`")),
        }
    }

    fn get_level(&self, key: &str) -> Option<u32> {
        self.get_opt(key).and_then(|s| s.parse().ok())
    }

    /// Move to the next (or previous) field.
    pub fn move_sel(&mut self, down: bool) {
        let n = self.fields.len();
        if n > 0 {
            self.sel = if down {
                (self.sel + 1) % n
            } else {
                (self.sel + n - 1) % n
            };
        }
    }

    /// Cycle a choice field.
    pub fn cycle(&mut self, forward: bool) {
        if let Some(f) = self.fields.get_mut(self.sel) {
            let n = f.choices.len();
            if n > 0 {
                f.choice = if forward {
                    (f.choice + 1) % n
                } else {
                    (f.choice + n - 1) % n
                };
            }
        }
    }

    /// Edit the selected text field. A character that would take the field over its limit
    /// is refused: the message says so.
    pub fn edit(&mut self, req: InputRequest) -> Option<String> {
        let f = self.fields.get_mut(self.sel).filter(|f| !f.is_choice())?;
        if let InputRequest::InsertChar(_) = req {
            if f.input.value().chars().count() >= f.max {
                return Some(format!(
                    "{} holds at most {} characters.",
                    f.label.trim_end_matches(" *"),
                    f.max
                ));
            }
        }
        f.input.handle(req);
        None
    }

    /// Paste text into the selected field in one edit, cut to the field's limit: the message
    /// says how much was left out. A multi-line field keeps the line breaks; in a one-line
    /// field they become spaces. Control characters go.
    pub fn paste(&mut self, text: &str) -> Option<String> {
        self.paste_cut(text, 0)
    }

    /// [`Form::paste`] of a paste of which `left_out` more characters were cut on the way:
    /// the message counts them too.
    pub fn paste_cut(&mut self, text: &str, left_out: usize) -> Option<String> {
        let f = self.fields.get_mut(self.sel).filter(|f| !f.is_choice())?;
        let mut pasted = match f.area.as_deref_mut() {
            Some(ta) => paste_lines(ta, text, f.max),
            None => insert_capped(&mut f.input, text, f.max, true),
        };
        pasted.dropped += left_out;
        pasted.note(f.label.trim_end_matches(" *"), f.max)
    }

    /// A key for the selected multi-line field: typing, line breaks (Alt-Enter, C-j), motions
    /// (↑↓ move between lines; at the first or last line they are left to move between
    /// fields), deletions. `None` when the key is not the field's (Enter, Esc, Tab, …);
    /// `Some(message)` when it was taken, with a message when it was refused.
    pub fn text_key(&mut self, k: &KeyEvent) -> Option<Option<String>> {
        let f = self.fields.get_mut(self.sel)?;
        let max = f.max;
        let label = f.label.trim_end_matches(" *").to_string();
        let ta = f.area.as_deref_mut()?;
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let full = || Some(Some(format!("{label} holds at most {max} characters.")));
        match k.code {
            KeyCode::Enter if alt => {
                if area_len(ta) >= max {
                    return full();
                }
                ta.insert_newline();
            }
            KeyCode::Char('j') if ctrl => {
                if area_len(ta) >= max {
                    return full();
                }
                ta.insert_newline();
            }
            KeyCode::Up | KeyCode::Down if !ctrl && !alt => {
                let before = ta.cursor();
                ta.move_cursor(if k.code == KeyCode::Up {
                    CursorMove::Up
                } else {
                    CursorMove::Down
                });
                if (ta.cursor().0, ta.cursor().1) == (before.0, before.1) {
                    return None;
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
                if area_len(ta) >= max {
                    return full();
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
            _ => return None,
        }
        Some(None)
    }

    /// The op this form stands for, or why it cannot be built.
    pub fn to_op(&self, ws: &Workspace, actor_name: &str, now: &str) -> Result<Op, String> {
        match &self.purpose {
            Purpose::NewNeed | Purpose::EditNeed(_) => self.need_op(ws),
            Purpose::NewPartner | Purpose::EditPartner(_) => self.partner_op(ws),
            Purpose::Credential => self.credential_op(ws),
            Purpose::Mapping { need, competency } => self.mapping_op(ws, need, competency),
            Purpose::NewMapping { need, competency } => self.new_mapping_op(ws, need, competency),
            Purpose::CredentialCompetency(reference) => {
                self.credential_competency_op(ws, reference)
            }
            Purpose::Comment { need, competency } => {
                self.comment_op(ws, (need, competency), actor_name, now)
            }
            Purpose::Reason {
                need,
                competency,
                status,
            } => self.reason_op((need, competency), status, actor_name, now),
            Purpose::SaveAs | Purpose::Export | Purpose::AddPostings => {
                Err("not a document change".into())
            }
            Purpose::OpenVote => self.open_vote_op(ws, actor_name, now),
            Purpose::SignOff => self.sign_off_op(ws, now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{COMMENT, ID, NAME, TEXT};

    #[test]
    fn form_fields_are_no_longer_than_the_document_fields() {
        assert_eq!(form_field("id"), ID);
        assert_eq!(form_field("statement"), TEXT);
        assert_eq!(form_field("text"), COMMENT);
        assert_eq!(form_field("title"), NAME);
    }
}
