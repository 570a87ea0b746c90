//! Forms: a list of fields edited inline (text in the one text widget, [`super::text`]: one
//! line, or several that wrap for prose; choices cycled with ←/→), submitted with Enter as one
//! `Op`.
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

use crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use super::text::{Keyed, TextField};

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
    /// The text of a text field: one line, or several for prose ([`is_prose`]), holding at
    /// most [`form_field`] characters. Empty in a choice field.
    pub input: TextField,
    /// For a choice field: the values, and the index chosen.
    pub choices: Vec<String>,
    /// Help shown for each choice (e.g. a level's descriptor), same length as `choices` or empty.
    pub choice_help: Vec<String>,
    pub choice: usize,
}

impl Field {
    fn text(key: &'static str, label: &str, value: &str) -> Self {
        Field {
            key,
            label: label.into(),
            input: if is_prose(key) {
                TextField::lines(value, form_field(key))
            } else {
                TextField::line(value, form_field(key))
            },
            choices: Vec::new(),
            choice_help: Vec::new(),
            choice: 0,
        }
    }

    fn choice(key: &'static str, label: &str, choices: Vec<String>, current: &str) -> Self {
        let choice = choices.iter().position(|c| c == current).unwrap_or(0);
        Field {
            choices,
            choice,
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
        !self.is_choice() && self.input.is_multiline()
    }

    /// The editor of a multi-line field, for drawing it.
    pub fn area(&self) -> Option<&TextArea<'static>> {
        self.is_multiline().then(|| self.input.area())
    }

    /// Most characters a text field holds ([`form_field`]).
    pub fn max(&self) -> usize {
        self.input.max()
    }

    /// The field's current value as text (a multi-line field's lines joined by line breaks).
    pub fn value(&self) -> String {
        if self.is_choice() {
            self.choices.get(self.choice).cloned().unwrap_or_default()
        } else {
            self.input.text()
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
            } else {
                f.input.set(value);
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
        let mut pasted = f.input.paste(text);
        pasted.dropped += left_out;
        pasted.note(f.label.trim_end_matches(" *"), f.max())
    }

    /// A key for the selected text field ([`TextField::key`]): typing, deletions, motions, and
    /// in a multi-line field line breaks (Alt-Enter, C-j) and ↑↓ between its lines. `None`
    /// when the key is not the field's (Enter, Esc, Tab, ↑↓ out of the field, …, or any key on
    /// a choice field): the form's keymap decides; `Some(message)` when it was taken, with a
    /// message when it was refused.
    pub fn text_key(&mut self, k: &KeyEvent) -> Option<Option<String>> {
        let f = self.fields.get_mut(self.sel).filter(|f| !f.is_choice())?;
        match f.input.key(k) {
            Keyed::NotMine => None,
            Keyed::Taken => Some(None),
            Keyed::Full => Some(Some(format!(
                "{} holds at most {} characters.",
                f.label.trim_end_matches(" *"),
                f.max()
            ))),
        }
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

/// A workspace and catalog for the forms' unit tests: the retrofit example.
#[cfg(test)]
fn example() -> (Workspace, crate::catalog::Catalog) {
    let catalog = crate::catalog::Catalog::embedded().unwrap_or_default();
    let text = include_str!("../../../examples/retrofit-gaps.yaml");
    let ws = crate::document::workspace_from_str(text, "example.yaml", &catalog)
        .map(|l| l.workspace)
        .unwrap_or_default();
    assert!(!ws.mappings.is_empty(), "the example loads");
    (ws, catalog)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{COMMENT, ID, NAME, TEXT};
    use crossterm::event::{KeyCode, KeyModifiers};

    fn press(form: &mut Form, code: KeyCode, mods: KeyModifiers) -> Option<Option<String>> {
        form.text_key(&KeyEvent::new(code, mods))
    }

    #[test]
    fn fields_are_selected_round_and_choices_cycle_round() {
        let (ws, _) = example();
        let mut f = Form::new_need(&ws, Some("coastline-energy"));
        assert_eq!(
            f.fields[f.sel].key, "statement",
            "a new need starts at its statement"
        );
        f.move_sel(true);
        assert_eq!(f.fields[f.sel].key, "priority");
        assert_eq!(f.get("priority"), "should");
        f.cycle(true);
        assert_eq!(f.get("priority"), "could");
        f.cycle(true);
        assert_eq!(
            f.get("priority"),
            "must",
            "the last choice wraps to the first"
        );
        f.cycle(false);
        assert_eq!(f.get("priority"), "could");
        f.move_sel(true);
        f.move_sel(true);
        assert_eq!(
            f.fields[f.sel].key, "id",
            "the last field wraps to the first"
        );
        f.move_sel(false);
        assert_eq!(f.fields[f.sel].key, "evidence");
    }

    #[test]
    fn typing_edits_the_selected_field_and_stops_at_its_limit() {
        let mut f = Form::save_as();
        assert_eq!(
            press(&mut f, KeyCode::Char('u'), KeyModifiers::CONTROL),
            Some(None)
        );
        assert_eq!(f.get("path"), "");
        for c in "a.yaml".chars() {
            assert_eq!(
                press(&mut f, KeyCode::Char(c), KeyModifiers::NONE),
                Some(None)
            );
        }
        assert_eq!(f.get("path"), "a.yaml");
        // Enter, Esc, Tab and ↑↓ are the form's, not the field's.
        for code in [
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::Up,
            KeyCode::Down,
        ] {
            assert_eq!(press(&mut f, code, KeyModifiers::NONE), None, "{code:?}");
        }
        let long = "x".repeat(limits::PATH);
        let note = f.paste(&long);
        assert_eq!(f.get("path").chars().count(), limits::PATH);
        assert!(note.is_some_and(|n| n.contains("File holds at most")));
        assert_eq!(
            press(&mut f, KeyCode::Char('y'), KeyModifiers::NONE),
            Some(Some(format!(
                "File holds at most {} characters.",
                limits::PATH
            )))
        );
    }

    #[test]
    fn a_choice_field_takes_no_text() {
        let (ws, _) = example();
        let mut f = Form::export(&ws, 0);
        assert_eq!(press(&mut f, KeyCode::Char('x'), KeyModifiers::NONE), None);
        assert_eq!(f.paste("pasted"), None);
        assert_eq!(f.get("format"), EXPORT_USUAL);
    }

    #[test]
    fn values_are_read_back_cleaned() {
        let (ws, catalog) = example();
        let mut f = Form::comment(&ws, &catalog, &ws.mappings[0]);
        assert!(f.fields[0].is_multiline());
        f.paste("  first\x1b[31m line  \r\n\r\nsecond\t \n ");
        assert_eq!(f.get("text"), "first[31m line\n\nsecond");
        let mut f = Form::partner(None);
        f.set("name", "  Acme\u{7} Ltd ");
        assert_eq!(f.get("name"), "Acme Ltd");
        assert_eq!(f.get_opt("id"), None);
        assert_eq!(f.get("no such field"), "");
    }

    #[test]
    fn form_fields_are_no_longer_than_the_document_fields() {
        assert_eq!(form_field("id"), ID);
        assert_eq!(form_field("statement"), TEXT);
        assert_eq!(form_field("text"), COMMENT);
        assert_eq!(form_field("title"), NAME);
    }
}
