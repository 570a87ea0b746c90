//! Forms: a list of fields edited inline (one-line text with cursor, word motions and paste
//! via tui-input; prose in multi-line fields that wrap, via ratatui-textarea; choices cycled
//! with ←/→), submitted with Enter as one `Op`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use tui_input::{Input, InputRequest};

use super::wrap::named;
use crate::catalog::Catalog;
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

/// The partner choice of postings that came from no partner.
pub const NO_PARTNER: &str = "(none)";

/// The scope choice of a vote over every need.
const ALL_NEEDS: &str = "all needs";
/// What a vote is over.
const OVER_NEEDS: &str = "needs";
const OVER_COMPETENCIES: &str = "candidate competencies";
/// The tally choices of a vote.
const TALLY_SHOWN: &str = "shown live";
const TALLY_HIDDEN: &str = "hidden until closed";

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
/// The export form's first choice: the spec, the badge and the summary together.
pub const EXPORT_USUAL: &str = "spec + badge + summary";

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

/// What a mapping is about, for the top of its forms: the need's statement in full and the
/// competency's name.
fn about(ws: &Workspace, need: &str, name: &str, reference: &str) -> String {
    let statement = ws.need(need).map_or("", |n| n.statement.as_str());
    format!(
        "Need {need}: {statement}\nCompetency: {}",
        named(name, reference)
    )
}

fn level_choices(
    fw: &Framework,
    comp: Option<&Competency>,
    with_none: bool,
    only_allowed: bool,
) -> (Vec<String>, Vec<String>) {
    let mut values = Vec::new();
    let mut help = Vec::new();
    if with_none {
        values.push(NONE.to_string());
        help.push("not stated".to_string());
    }
    for l in &fw.levels {
        if only_allowed && comp.is_some_and(|c| !c.allows_level(fw, l.level)) {
            continue;
        }
        values.push(l.level.to_string());
        let own = comp.and_then(|c| c.levels.get(&l.level)).cloned();
        help.push(format!(
            "{} — {}",
            l.name,
            own.or_else(|| l.description.clone()).unwrap_or_default()
        ));
    }
    (values, help)
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

    /// A form to add a need, for a partner if one is given.
    pub fn new_need(ws: &Workspace, partner: Option<&str>) -> Self {
        let mut n = ws.needs.len() + 1;
        while ws.need(&format!("N{n}")).is_some() {
            n += 1;
        }
        let partners: Vec<String> = ws.partners.iter().map(|p| p.id.clone()).collect();
        let names: Vec<String> = ws.partners.iter().map(|p| p.name.clone()).collect();
        Form::new(
            "Add a need",
            Purpose::NewNeed,
            vec![
                Field::text("id", "Id", &format!("N{n}")),
                // Partners are chosen by id; the selected one's name is shown below it.
                Field::choice("partner", "Partner", partners, partner.unwrap_or(""))
                    .with_help(names),
                Field::text("statement", "What they need", ""),
                Field::choice(
                    "priority",
                    "Priority",
                    words(&["must", "should", "could"]),
                    "should",
                ),
                Field::text("evidence", "Evidence (optional)", ""),
            ],
        )
        .focus("statement")
    }

    /// A form to edit a need.
    pub fn edit_need(ws: &Workspace, need: &Need) -> Self {
        let mut f = Form::new_need(ws, Some(&need.partner));
        f.title = format!("Edit need {}", need.id);
        f.purpose = Purpose::EditNeed(need.id.clone());
        f.set("id", &need.id);
        f.set("statement", &need.statement);
        f.set("priority", need.priority.as_str());
        f.set("evidence", opt(&need.evidence));
        f
    }

    /// A form to add or edit a partner.
    pub fn partner(p: Option<&Partner>) -> Self {
        let kind = p.map_or("industry", |p| match p.kind {
            PartnerKind::Industry => "industry",
            PartnerKind::Institution => "institution",
            PartnerKind::Community => "community",
        });
        Form::new(
            if p.is_some() {
                "Edit partner"
            } else {
                "Add a partner"
            },
            p.map_or(Purpose::NewPartner, |p| Purpose::EditPartner(p.id.clone())),
            vec![
                Field::text("id", "Id (short, no spaces)", p.map_or("", |p| &p.id)),
                Field::text("name", "Name", p.map_or("", |p| &p.name)),
                Field::choice(
                    "kind",
                    "Kind",
                    words(&["industry", "institution", "community"]),
                    kind,
                ),
            ],
        )
    }

    /// The credential form: every credential field of the workspace format.
    pub fn credential(c: &Credential) -> Self {
        let details = c.awarding_body_details.as_ref();
        let level = c.level.as_ref();
        let w = c.workload.as_ref();
        let participation = match c.participation {
            None => NONE,
            Some(Participation::Online) => "online",
            Some(Participation::Onsite) => "onsite",
            Some(Participation::Blended) => "blended",
            Some(Participation::WorkBased) => "work-based",
        };
        let standalone = match &c.stackability {
            None => NONE,
            Some(s) if s.standalone => "yes",
            Some(_) => "no",
        };
        Form::new(
            "Credential",
            Purpose::Credential,
            vec![
                Field::text("title", "Title *", opt(&c.title)),
                Field::text("summary", "Summary *", opt(&c.summary)),
                Field::text("version", "Version (e.g. 2027.1)", opt(&c.version)),
                Field::text(
                    "previous_version",
                    "Previous version",
                    opt(&c.previous_version),
                ),
                Field::text("awarding_body", "Awarding body *", opt(&c.awarding_body)),
                Field::text(
                    "country",
                    "Country (ISO code, e.g. CA-BC) *",
                    opt(&c.country),
                ),
                Field::text(
                    "level.scheme",
                    "Level scheme (EQF, NQF, …) *",
                    level.map_or("", |l| &l.scheme),
                ),
                Field::text(
                    "level.value",
                    "Level value *",
                    &level.map(|l| l.value.to_string()).unwrap_or_default(),
                ),
                Field::text(
                    "workload.hours",
                    "Workload hours *",
                    &num(w.map(|w| w.hours)),
                ),
                Field::text(
                    "workload.ects",
                    "ECTS credits",
                    &num(w.and_then(|w| w.ects)),
                ),
                Field::text(
                    "max_hours",
                    "Ceiling for micro (hours, default 150)",
                    &num(c.max_hours),
                ),
                Field::choice(
                    "participation",
                    "Participation *",
                    words(&[NONE, "online", "onsite", "blended", "work-based"]),
                    participation,
                ),
                Field::text(
                    "assessment_type",
                    "Type of assessment *",
                    opt(&c.assessment_type),
                ),
                Field::text(
                    "quality_assurance",
                    "Quality assurance *",
                    opt(&c.quality_assurance),
                ),
                Field::text(
                    "supervision",
                    "Supervision and identity check",
                    opt(&c.supervision),
                ),
                Field::text(
                    "prerequisites",
                    "Prerequisites (separate with ;)",
                    &c.prerequisites.join("; "),
                ),
                Field::choice(
                    "stackability.standalone",
                    "Standalone",
                    words(&[NONE, "yes", "no"]),
                    standalone,
                ),
                Field::text(
                    "stackability.stacks_into",
                    "Stacks into (separate with ;)",
                    &c.stackability
                        .as_ref()
                        .map(|s| s.stacks_into.join("; "))
                        .unwrap_or_default(),
                ),
                Field::text("grading", "Grading", opt(&c.grading)),
                Field::text("validity", "Validity", opt(&c.validity)),
                Field::text(
                    "languages",
                    "Languages (ISO codes: en; fr)",
                    &c.languages.join("; "),
                ),
                Field::text("isced_f", "ISCED-F field code (e.g. 0713)", opt(&c.isced_f)),
                Field::text("homepage", "Web page (https://…)", opt(&c.homepage)),
                Field::text(
                    "awarding_body_details.legal_name",
                    "Awarding body: legal name",
                    details.and_then(|d| d.legal_name.as_deref()).unwrap_or(""),
                ),
                Field::text(
                    "awarding_body_details.country",
                    "Awarding body: country (ISO code)",
                    details.and_then(|d| d.country.as_deref()).unwrap_or(""),
                ),
                Field::text(
                    "awarding_body_details.identifier",
                    "Awarding body: registry identifier",
                    details.and_then(|d| d.identifier.as_deref()).unwrap_or(""),
                ),
                Field::text(
                    "awarding_body_details.url",
                    "Awarding body: web page",
                    details.and_then(|d| d.url.as_deref()).unwrap_or(""),
                ),
                Field::text(
                    "awarding_body_details.email",
                    "Awarding body: contact email",
                    details.and_then(|d| d.email.as_deref()).unwrap_or(""),
                ),
                Field::choice(
                    "learning_setting",
                    "Learning setting",
                    words(&[NONE, "formal", "non-formal"]),
                    c.learning_setting.map_or(NONE, LearningSetting::as_str),
                ),
                Field::text(
                    "equity.cost",
                    "Equity: cost to learners",
                    opt(&c.equity.cost),
                ),
                Field::text(
                    "equity.flexible_delivery",
                    "Equity: flexible delivery",
                    opt(&c.equity.flexible_delivery),
                ),
                Field::text(
                    "equity.learner_supports",
                    "Equity: learner supports",
                    opt(&c.equity.learner_supports),
                ),
                Field::text(
                    "equity.recognition_of_prior_learning",
                    "Equity: recognition of prior learning",
                    opt(&c.equity.recognition_of_prior_learning),
                ),
                Field::text(
                    "equity.community_partners",
                    "Equity: community partners consulted",
                    opt(&c.equity.community_partners),
                ),
            ],
        )
    }

    /// A mapping's form: levels with descriptors, and the competency's place in the credential.
    pub fn mapping(ws: &Workspace, catalog: &Catalog, m: &Mapping) -> Self {
        let resolved = catalog.resolve(&m.competency);
        let mut fields = Vec::new();
        if let Some((fw, comp)) = resolved {
            let (v, h) = level_choices(fw, Some(comp), true, false);
            let req = m.required_level.map_or(NONE.to_string(), |l| l.to_string());
            fields.push(
                Field::choice("required_level", "Level the need requires", v, &req).with_help(h),
            );
        }
        fields.push(Field::text("rationale", "Rationale", opt(&m.rationale)));
        let name = resolved.map_or("", |(_, c)| c.name.as_str());
        let mut f = Form::new(
            format!("Mapping {} → {}", m.need, named(name, &m.competency)),
            Purpose::Mapping {
                need: m.need.clone(),
                competency: m.competency.clone(),
            },
            fields,
        )
        .with_note(about(ws, &m.need, name, &m.competency));
        if let (Some(cc), Some((fw, comp))) = (ws.competency(&m.competency), resolved) {
            f.fields.extend(competency_fields(cc, fw, comp));
        }
        f
    }

    /// The form that makes a new mapping of `need` to `cc`'s competency, with the required
    /// level preset to the target level; `include` when the competency is not in the
    /// credential yet (saving includes it with these values).
    pub fn new_mapping(
        ws: &Workspace,
        catalog: &Catalog,
        need: &str,
        cc: &CredentialCompetency,
        include: bool,
    ) -> Self {
        let resolved = catalog.resolve(&cc.reference);
        let name = resolved.map_or(cc.reference.as_str(), |(_, c)| c.name.as_str());
        let mut fields = Vec::new();
        if let Some((fw, comp)) = resolved {
            let (v, h) = level_choices(fw, Some(comp), true, false);
            fields.push(
                Field::choice(
                    "required_level",
                    "Level the need requires",
                    v,
                    &cc.target_level.to_string(),
                )
                .with_help(h),
            );
            let mut own = competency_fields(cc, fw, comp);
            // The target level next to the required one: both are set in a few keys.
            fields.push(own.remove(0));
            fields.push(Field::text("rationale", "Rationale", ""));
            fields.extend(own);
        } else {
            fields.push(Field::text("rationale", "Rationale", ""));
        }
        // The competency picked, by name, above the levels (a long statement in the title
        // would cut it off).
        let mut f = Form::new(
            format!("Map {need} → {name}"),
            Purpose::NewMapping {
                need: need.into(),
                competency: cc.reference.clone(),
            },
            fields,
        )
        .with_note(about(ws, need, name, &cc.reference));
        f.include = include.then(|| cc.clone());
        f
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

    /// A credential competency's form.
    pub fn credential_competency(catalog: &Catalog, cc: &CredentialCompetency) -> Option<Self> {
        let (fw, comp) = catalog.resolve(&cc.reference)?;
        Some(Form::new(
            named(&comp.name, &cc.reference),
            Purpose::CredentialCompetency(cc.reference.clone()),
            competency_fields(cc, fw, comp),
        ))
    }

    /// A comment form (the comment may take several lines), showing the need and the
    /// competency it is about.
    /// A designer records a partner's sign-off of the whole design as it is now (the partner
    /// signs in person, at the workshop's screen): which partner and who signs.
    pub fn sign_off(ws: &Workspace, partner: Option<&str>, note: String) -> Self {
        let ids: Vec<String> = ws.partners.iter().map(|p| p.id.clone()).collect();
        let names: Vec<String> = ws.partners.iter().map(|p| p.name.clone()).collect();
        Form::new(
            "Sign off the whole design",
            Purpose::SignOff,
            vec![
                Field::choice("partner", "For partner", ids, partner.unwrap_or(""))
                    .with_help(names),
                Field::text("name", "Name of the person signing *", ""),
            ],
        )
        .with_note(note)
    }

    /// Open a dot vote: over the needs or candidate competencies (the credential's, then
    /// those job postings show in demand that no need covers), how many dots each partner
    /// gets (3 unless chosen), over all needs or one partner's (needs only), with the tally
    /// shown live or hidden until the vote closes.
    pub fn open_vote(ws: &Workspace) -> Self {
        use crate::model::vote::{DEFAULT_DOTS, MAX_DOTS};
        let dots: Vec<String> = (1..=MAX_DOTS).map(|n| n.to_string()).collect();
        let in_demand = crate::analysis::demand::demand(ws).uncovered;
        let candidates = crate::model::vote::candidates(ws, &in_demand).len();
        let over_help = vec![
            "Partners place dots on the needs (in the scope below).".to_string(),
            format!(
                "Partners place dots on {candidates} candidates: the credential's {} competencies, then those job postings show in demand that no need covers ({} of them); at most {}. The partner scope does not apply.",
                ws.competencies.len(),
                in_demand.len(),
                crate::model::vote::MAX_CANDIDATES
            ),
        ];
        let mut scope = vec![ALL_NEEDS.to_string()];
        scope.extend(ws.partners.iter().map(|p| p.id.clone()));
        let mut scope_help = vec![format!("All {} needs.", ws.needs.len())];
        scope_help.extend(
            ws.partners
                .iter()
                .map(|p| format!("Only {}'s needs.", p.name)),
        );
        Form::new(
            "Open a dot vote",
            Purpose::OpenVote,
            vec![
                Field::choice(
                    "over",
                    "Vote on",
                    vec![OVER_NEEDS.into(), OVER_COMPETENCIES.into()],
                    OVER_NEEDS,
                )
                .with_help(over_help),
                Field::choice("dots", "Dots per partner", dots, &DEFAULT_DOTS.to_string()),
                Field::choice("scope", "Needs voted on", scope, ALL_NEEDS).with_help(scope_help),
                Field::choice(
                    "tally",
                    "Tally",
                    vec![TALLY_SHOWN.into(), TALLY_HIDDEN.into()],
                    TALLY_SHOWN,
                )
                .with_help(vec![
                    "Everyone sees the dots as they are placed.".into(),
                    "Until the vote closes, everyone (designers too) sees only their own organisation's dots and how many were cast.".into(),
                ]),
            ],
        )
        .with_note(
            "Each partner organisation places its dots from its own screen (V); a designer can place them for a partner in the room.".to_string(),
        )
    }

    /// Add job postings as evidence: a posting file (`.txt`, `.md`), a folder of them or a CSV
    /// (with the column holding the text), the partner they came from, when and where.
    /// `today` is `YYYY-MM-DD…`.
    pub fn add_postings(ws: &Workspace, today: &str) -> Self {
        let mut partners = vec![NO_PARTNER.to_string()];
        partners.extend(ws.partners.iter().map(|p| p.id.clone()));
        let mut names = vec!["From no partner (a job board, a survey).".to_string()];
        names.extend(ws.partners.iter().map(|p| format!("From {}.", p.name)));
        let today: String = today.chars().take(10).collect();
        Form::new(
            "Add job postings as evidence",
            Purpose::AddPostings,
            vec![
                Field::text("path", "File, folder or CSV *", ""),
                Field::text("column", "CSV column with the text", ""),
                Field::choice("partner", "From partner", partners, NO_PARTNER).with_help(names),
                Field::text("date", "Posted on (YYYY-MM-DD)", &today),
                Field::text("source", "Source (else the file name)", ""),
            ],
        )
        .with_note(
            "A posting is a .txt or .md file (a folder is read for them), or a CSV row. Each is kept in the design with the competencies its sentences mention; the reading runs in the background.".to_string(),
        )
    }

    pub fn comment(ws: &Workspace, catalog: &Catalog, m: &Mapping) -> Self {
        let name = catalog
            .resolve(&m.competency)
            .map_or("", |(_, c)| c.name.as_str());
        Form::new(
            format!("Comment on {} → {}", m.need, named(name, &m.competency)),
            Purpose::Comment {
                need: m.need.clone(),
                competency: m.competency.clone(),
            },
            vec![Field::text("text", "Comment", "")],
        )
        .with_note(about(ws, &m.need, name, &m.competency))
    }

    /// Ask why a mapping is disputed or rejected; the answer is kept as a stamped comment.
    pub fn reason(need: &str, competency: &str, status: MappingStatus) -> Self {
        let verb = match status {
            MappingStatus::Rejected => "Reject",
            _ => "Dispute",
        };
        Form::new(
            format!("{verb} {need} → {competency}: why?"),
            Purpose::Reason {
                need: need.into(),
                competency: competency.into(),
                status,
            },
            vec![Field::text("text", "Reason (kept as a comment)", "")],
        )
    }

    /// Ask where to save an untitled workspace.
    /// Choose what to export beside the workspace: the spec, badge and summary together (the
    /// default) or any one format; each choice says what its registry still needs.
    pub fn export(ws: &Workspace, blockers: usize) -> Self {
        use crate::export::{Format, readiness};
        let mut choices = vec![EXPORT_USUAL.to_string()];
        let common = if blockers == 0 {
            String::new()
        } else {
            format!("{blockers} blocker(s) first (the gap panes list them). ")
        };
        let mut help = vec![format!(
            "{common}The YAML spec, the Open Badges achievement and the Markdown summary."
        )];
        for &f in Format::ALL {
            choices.push(f.name().to_string());
            let missing = readiness::missing(ws, f);
            help.push(format!("{common}{}", readiness::sentence(f, &missing)));
        }
        Form::new(
            "Export beside the workspace",
            Purpose::Export,
            vec![Field::choice("format", "Format", choices, EXPORT_USUAL).with_help(help)],
        )
    }

    pub fn save_as() -> Self {
        Form::new(
            "Save as",
            Purpose::SaveAs,
            vec![Field::text("path", "File", "microcred.yaml")],
        )
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
            Purpose::NewNeed | Purpose::EditNeed(_) => {
                let priority = match self.get("priority").as_str() {
                    "must" => Priority::Must,
                    "could" => Priority::Could,
                    _ => Priority::Should,
                };
                let need = Need {
                    id: self.get("id"),
                    partner: self.get("partner"),
                    statement: self.get("statement"),
                    priority,
                    evidence: self.get_opt("evidence"),
                };
                if need.partner.is_empty() {
                    return Err("add a partner first (P)".into());
                }
                Ok(match &self.purpose {
                    Purpose::EditNeed(id) => Op::UpdateNeed {
                        id: id.clone(),
                        need,
                    },
                    _ => Op::InsertNeed {
                        at: ws.needs.len(),
                        need,
                    },
                })
            }
            Purpose::NewPartner | Purpose::EditPartner(_) => {
                let kind = match self.get("kind").as_str() {
                    "institution" => PartnerKind::Institution,
                    "community" => PartnerKind::Community,
                    _ => PartnerKind::Industry,
                };
                let partner = Partner {
                    id: self.get("id"),
                    name: self.get("name"),
                    kind,
                };
                Ok(match &self.purpose {
                    Purpose::EditPartner(id) => Op::UpdatePartner {
                        id: id.clone(),
                        partner,
                    },
                    _ => Op::InsertPartner {
                        at: ws.partners.len(),
                        partner,
                    },
                })
            }
            Purpose::Credential => {
                let mut c = self.credential_value()?;
                let now = &ws.credential;
                // The id is the design's for life: the form does not touch it.
                c.id.clone_from(&now.id);
                // Nor the evidence review period (set in the file).
                c.evidence_review_months = now.evidence_review_months;
                // A new version revises the one before, unless the user named another.
                if c.version != now.version
                    && now.version.is_some()
                    && c.previous_version == now.previous_version
                {
                    c.previous_version.clone_from(&now.version);
                }
                Ok(Op::SetCredential {
                    credential: Box::new(c),
                })
            }
            Purpose::Mapping { need, competency } => {
                let i = ws
                    .mapping_index(need, competency)
                    .ok_or("the mapping was removed")?;
                let mut m = ws.mappings[i].clone();
                m.required_level = self.get_level("required_level");
                m.rationale = self.get_opt("rationale");
                let mut ops = vec![Op::UpdateMapping {
                    need: need.clone(),
                    competency: competency.clone(),
                    mapping: m,
                }];
                if let Some(cc) = ws.competency(competency) {
                    ops.push(Op::UpdateCompetency {
                        reference: competency.clone(),
                        competency: self.competency_value(cc)?,
                    });
                }
                Ok(Op::Batch { ops })
            }
            Purpose::NewMapping { need, competency } => {
                let mut ops = Vec::new();
                match (&self.include, ws.competency(competency)) {
                    (_, Some(cc)) => ops.push(Op::UpdateCompetency {
                        reference: competency.clone(),
                        competency: self.competency_value(cc)?,
                    }),
                    (Some(cc), None) => ops.push(Op::InsertCompetency {
                        at: ws.competencies.len(),
                        competency: self.competency_value(cc)?,
                    }),
                    (None, None) => {}
                }
                ops.push(Op::InsertMapping {
                    at: ws.mappings.len(),
                    mapping: Mapping {
                        need: need.clone(),
                        competency: competency.clone(),
                        required_level: self.get_level("required_level"),
                        rationale: self.get_opt("rationale"),
                        status: MappingStatus::Proposed,
                        ..Mapping::default()
                    },
                });
                Ok(Op::Batch { ops })
            }
            Purpose::CredentialCompetency(reference) => {
                let cc = ws
                    .competency(reference)
                    .ok_or("the competency was removed from the credential")?;
                Ok(Op::UpdateCompetency {
                    reference: reference.clone(),
                    competency: self.competency_value(cc)?,
                })
            }
            Purpose::Comment { need, competency } => {
                let text = self.get("text");
                if text.is_empty() {
                    return Err("write a comment first".into());
                }
                let at = ws
                    .mapping_index(need, competency)
                    .map_or(0, |i| ws.mappings[i].comments.len());
                Ok(Op::AddComment {
                    need: need.clone(),
                    competency: competency.clone(),
                    at,
                    comment: Comment {
                        by: actor_name.into(),
                        at: now.into(),
                        text,
                    },
                })
            }
            Purpose::Reason {
                need,
                competency,
                status,
            } => {
                let text = self.get("text");
                if text.is_empty() {
                    return Err(format!(
                        "say why it is {}: the reason is kept as a comment for everyone",
                        status.as_str()
                    ));
                }
                Ok(Op::SetMappingStatus {
                    need: need.clone(),
                    competency: competency.clone(),
                    status: *status,
                    agreed_by: None,
                    reason: Some(text),
                    record: Some(crate::edit::StatusRecord::new(actor_name, now)),
                })
            }
            Purpose::SaveAs | Purpose::Export | Purpose::AddPostings => {
                Err("not a document change".into())
            }
            Purpose::OpenVote => {
                let dots = self
                    .get("dots")
                    .parse::<u32>()
                    .map_err(|_| "choose how many dots each partner gets")?;
                let scope = self.get("scope");
                let (over, candidates, scope) = if self.get("over") == OVER_COMPETENCIES {
                    let in_demand = crate::analysis::demand::demand(ws).uncovered;
                    let candidates = crate::model::vote::candidates(ws, &in_demand);
                    if candidates.is_empty() {
                        return Err("there are no candidate competencies: add competencies to the credential, or job postings as evidence".into());
                    }
                    (VoteOver::Competencies, candidates, None)
                } else {
                    let scope = (scope != ALL_NEEDS && !scope.is_empty()).then_some(scope);
                    (VoteOver::Needs, Vec::new(), scope)
                };
                Ok(Op::OpenVote {
                    vote: Box::new(Vote {
                        opened_by: actor_name.into(),
                        opened_at: now.into(),
                        dots,
                        over,
                        candidates,
                        partner: scope,
                        hidden: self.get("tally") == TALLY_HIDDEN,
                        closed_by: None,
                        closed_at: None,
                        ballots: Vec::new(),
                    }),
                })
            }
            Purpose::SignOff => {
                let partner = self.get("partner");
                let person = self.get("name");
                if partner.is_empty() {
                    return Err("add the partner first (P), then sign off for it".into());
                }
                if person.is_empty() {
                    return Err("give the name of the person who signs off".into());
                }
                Ok(Op::SetSignOff {
                    person: person.clone(),
                    partner: partner.clone(),
                    sign_off: Some(SignOff {
                        person,
                        partner,
                        at: now.into(),
                        design: crate::model::signoff::design_hash(ws),
                        key: None,
                    }),
                    signing: true,
                    at: None,
                })
            }
        }
    }

    fn competency_value(&self, cc: &CredentialCompetency) -> Result<CredentialCompetency, String> {
        let chosen = self.get("assessment.method");
        let method = AssessmentMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == chosen);
        Ok(CredentialCompetency {
            reference: cc.reference.clone(),
            target_level: self.get_level("target_level").unwrap_or(cc.target_level),
            hours: self.get_num("hours", "Hours")?,
            outcome: self.get_opt("outcome"),
            assessment: method.map(|method| Assessment {
                method,
                description: self.get_opt("assessment.description"),
            }),
            silence: cc.silence.clone(),
        })
    }

    fn credential_value(&self) -> Result<Credential, String> {
        let list = |key: &str| -> Vec<String> {
            self.get(key)
                .split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let level = match (self.get_opt("level.scheme"), self.get_opt("level.value")) {
            (None, None) => None,
            (scheme, value) => {
                let value = value.unwrap_or_default();
                Some(QualificationLevel {
                    scheme: scheme.unwrap_or_default(),
                    value: value
                        .parse::<u32>()
                        .map_or(LevelValue::Text(value), LevelValue::Number),
                })
            }
        };
        let workload = match (
            self.get_num("workload.hours", "Workload hours")?,
            self.get_num("workload.ects", "ECTS")?,
        ) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err("give the workload hours as well as the ECTS credits".into());
            }
            (Some(hours), ects) => Some(Workload { hours, ects }),
        };
        let participation = match self.get("participation").as_str() {
            "online" => Some(Participation::Online),
            "onsite" => Some(Participation::Onsite),
            "blended" => Some(Participation::Blended),
            "work-based" => Some(Participation::WorkBased),
            _ => None,
        };
        let stackability = match self.get("stackability.standalone").as_str() {
            "yes" | "no" => Some(Stackability {
                standalone: self.get("stackability.standalone") == "yes",
                stacks_into: list("stackability.stacks_into"),
            }),
            _ if !list("stackability.stacks_into").is_empty() => Some(Stackability {
                standalone: true,
                stacks_into: list("stackability.stacks_into"),
            }),
            _ => None,
        };
        Ok(Credential {
            evidence_review_months: None,
            id: None,
            version: self.get_opt("version"),
            previous_version: self.get_opt("previous_version"),
            title: self.get_opt("title"),
            summary: self.get_opt("summary"),
            awarding_body: self.get_opt("awarding_body"),
            country: self.get_opt("country"),
            level,
            workload,
            max_hours: self.get_num("max_hours", "The ceiling")?,
            participation,
            assessment_type: self.get_opt("assessment_type"),
            quality_assurance: self.get_opt("quality_assurance"),
            supervision: self.get_opt("supervision"),
            prerequisites: list("prerequisites"),
            stackability,
            grading: self.get_opt("grading"),
            validity: self.get_opt("validity"),
            languages: list("languages"),
            isced_f: self.get_opt("isced_f"),
            homepage: self.get_opt("homepage"),
            awarding_body_details: {
                let d = AwardingBodyDetails {
                    legal_name: self.get_opt("awarding_body_details.legal_name"),
                    country: self.get_opt("awarding_body_details.country"),
                    identifier: self.get_opt("awarding_body_details.identifier"),
                    url: self.get_opt("awarding_body_details.url"),
                    email: self.get_opt("awarding_body_details.email"),
                };
                (d != AwardingBodyDetails::default()).then_some(d)
            },
            learning_setting: match self.get("learning_setting").as_str() {
                "formal" => Some(LearningSetting::Formal),
                "non-formal" => Some(LearningSetting::NonFormal),
                _ => None,
            },
            equity: Equity {
                cost: self.get_opt("equity.cost"),
                flexible_delivery: self.get_opt("equity.flexible_delivery"),
                learner_supports: self.get_opt("equity.learner_supports"),
                recognition_of_prior_learning: self.get_opt("equity.recognition_of_prior_learning"),
                community_partners: self.get_opt("equity.community_partners"),
            },
        })
    }
}

fn competency_fields(cc: &CredentialCompetency, fw: &Framework, comp: &Competency) -> Vec<Field> {
    let (v, h) = level_choices(fw, Some(comp), false, true);
    let method = cc.assessment.as_ref().map_or(NONE, |a| a.method.as_str());
    vec![
        Field::choice(
            "target_level",
            "Target level (taught and assessed)",
            v,
            &cc.target_level.to_string(),
        )
        .with_help(h),
        Field::text("hours", "Hours", &num(cc.hours)),
        Field::text("outcome", "Learning outcome", opt(&cc.outcome)),
        Field::choice(
            "assessment.method",
            "Assessment method",
            std::iter::once(NONE)
                .chain(AssessmentMethod::ALL.map(AssessmentMethod::as_str))
                .map(String::from)
                .collect(),
            method,
        ),
        Field::text(
            "assessment.description",
            "Assessment description",
            cc.assessment.as_ref().map_or("", |a| opt(&a.description)),
        ),
    ]
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
