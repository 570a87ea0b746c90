//! Changes: applying `Op`s, undo and redo, sign-off, saving and exporting, the answers to
//! questions (quit, recovery of a journal) and submitting forms.

use super::*;

impl App {
    /// Apply an op through the history; the gap panes recompute at once. The message says
    /// `done`, or what the op changed when `done` is empty.
    pub fn apply(&mut self, op: Op, done: &str) -> bool {
        if let Err(e) = self.may_change() {
            self.error(format!("Not done: {e}"));
            return false;
        }
        let done = if done.is_empty() {
            crate::edit::sentence_in(&op, &self.names())
        } else {
            done.to_string()
        };
        match self.hub.apply(&self.actor, op) {
            Ok(Op::Batch { ops }) if ops.is_empty() => {
                self.info("Nothing changed: the design is already so.");
                true
            }
            Ok(inverse) => {
                self.history.record(inverse);
                self.sync();
                self.info(done);
                true
            }
            Err(e) => {
                self.error(format!("Not done: {e}"));
                false
            }
        }
    }

    /// Sign off the whole design as this session shows it: a partner signs for their own
    /// organisation after one question; a designer records who signs for which partner (in
    /// the room) in a short form. Either way the sign-off names the design's hash, and is
    /// refused if the design changed in between.
    pub(super) fn sign_off(&mut self, partner: Option<String>) {
        let design = crate::model::signoff::design_hash(&self.ws);
        let agreed = self
            .ws
            .mappings
            .iter()
            .filter(|m| m.status == MappingStatus::Agreed)
            .count();
        let what = format!(
            "the design as it is now: {} needs, {} mappings ({agreed} agreed), {} competencies, \
             coverage {:.1}% (design {}). Any later change makes the sign-off stale until it is \
             signed again.",
            self.ws.needs.len(),
            self.ws.mappings.len(),
            self.ws.competencies.len(),
            self.report.coverage_percent,
            design.get(..12).unwrap_or(&design),
        );
        let org = match &self.actor.role {
            Role::Partner(org) => org.clone(),
            _ => {
                let note = format!("Signs off {what}");
                self.push_layer(Modal::Form(Box::new(Form::sign_off(
                    &self.ws,
                    partner.as_deref(),
                    note,
                ))));
                return;
            }
        };
        let name = self
            .ws
            .partner(&org)
            .map_or(org.as_str(), |p| p.name.as_str())
            .to_string();
        let op = Op::SetSignOff {
            person: self.actor.name.clone(),
            partner: org.clone(),
            sign_off: Some(crate::model::SignOff {
                person: self.actor.name.clone(),
                partner: org,
                at: self.clock.clone().unwrap_or_else(crate::clock::now_rfc3339),
                design,
                key: self.session.key.clone(),
            }),
            signing: true,
            at: None,
        };
        self.push_layer(Modal::Confirm(Box::new(Confirm {
            title: "Sign off the whole design".into(),
            text: format!(
                "Sign off for {name} as {}? You agree to {what}",
                self.actor.name
            ),
            choices: vec![
                (Answer::Yes, "sign off".into()),
                (Answer::No, "not now".into()),
            ],
            sel: 1,
            pending: Pending::Apply(Box::new(op)),
        })));
    }

    /// Undo this session's last change (through the hub, as every change).
    pub(super) fn undo(&mut self) {
        if !self.may_step() {
            return;
        }
        let (hub, actor) = (self.hub.clone(), self.actor.clone());
        match self.history.undo_with(&mut |op| hub.apply(&actor, op)) {
            Ok(true) => {
                self.sync();
                // Named after the redo it leaves: the change the person made.
                let names = self.names();
                let what = self
                    .history
                    .next_redo()
                    .map(|op| crate::edit::describe_in(op, &names));
                self.info(format!("Undone: {}.", what.unwrap_or_default()));
            }
            Ok(false) => self.info("Nothing to undo."),
            Err(e) => self.error(format!("Cannot: {e}")),
        }
    }

    /// Redo the change this session undid last.
    pub(super) fn redo(&mut self) {
        if !self.may_step() {
            return;
        }
        let (hub, actor) = (self.hub.clone(), self.actor.clone());
        let names = self.names();
        let what = self
            .history
            .next_redo()
            .map(|op| crate::edit::describe_in(op, &names));
        match self.history.redo_with(&mut |op| hub.apply(&actor, op)) {
            Ok(true) => {
                self.sync();
                self.info(format!("Redone: {}.", what.unwrap_or_default()));
            }
            Ok(false) => self.info("Nothing to redo."),
            Err(e) => self.error(format!("Cannot: {e}")),
        }
    }

    /// Whether the change gate lets an undo or a redo through; else says why not.
    fn may_step(&mut self) -> bool {
        match self.may_change() {
            Ok(()) => true,
            Err(e) => {
                self.error(format!("Cannot: {e}"));
                false
            }
        }
    }

    /// Tell the session how the save went.
    pub fn saved(&mut self, result: Result<PathBuf, String>) -> Option<Effect> {
        match result {
            Ok(p) => {
                let had_id = self.ws.credential.id.is_some();
                self.sync();
                match (&self.ws.credential.id, had_id) {
                    (Some(id), false) => self.info(format!(
                        "Saved {}. The design now has its stable id {id}, kept for its life.",
                        p.display()
                    )),
                    _ => self.info(format!("Saved {}.", p.display())),
                }
                if self.quit_after_save {
                    return Some(Effect::Quit);
                }
            }
            Err(e) => {
                self.quit_after_save = false;
                self.error(format!("Not saved: {e}"));
            }
        }
        None
    }

    /// The files of `formats` to write beside the saved workspace, or why not.
    pub fn export_files(
        &self,
        formats: &[crate::export::Format],
    ) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        use crate::export::{Options, export_files, path_beside};
        let path = match &self.path {
            Some(p) if !self.dirty => p,
            _ => return Err("save the design first (s), then export".into()),
        };
        let opts = Options::default();
        let mut out = Vec::new();
        for &format in formats {
            let files = export_files(&self.ws, &self.catalog, &self.report, format, &opts, &path_beside(path, format)).map_err(|r| {
                let first = r.problems.first().map_or(String::new(), |p| format!(" — first: {} {}", p.at, p.message));
                format!(
                    "{} problem(s) must be fixed before the {} can be exported{first}. The gap panes list them; `microcred export --force` writes a draft.",
                    r.problems.len(),
                    format.label()
                )
            })?;
            out.extend(files); // a CTDL export brings its CTDL-ASN framework
        }
        Ok(out)
    }

    /// Tell the session how the export went.
    pub fn exported(&mut self, result: Result<Vec<PathBuf>, String>) {
        match result {
            Ok(paths) => {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.info(format!("Exported {}.", names.join(", ")));
            }
            Err(e) => self.error(format!("Not exported: {e}")),
        }
    }

    pub(super) fn save(&mut self) -> Option<Effect> {
        match &self.path {
            Some(p) => Some(Effect::Save(p.clone())),
            None => {
                self.push_layer(Modal::Form(Box::new(Form::save_as())));
                None
            }
        }
    }

    /// Carry out the answer to a question.
    pub(super) fn answer(&mut self, pending: &Pending, a: Answer) -> Option<Effect> {
        match (pending, a) {
            (Pending::Quit, Answer::Yes) => {
                self.quit_after_save = true;
                return self.save();
            }
            (Pending::Quit, Answer::No) => return Some(Effect::DiscardAndQuit),
            (Pending::Apply(op), Answer::Yes) => {
                self.apply(op.as_ref().clone(), "");
            }
            (Pending::Recover(found), a) => return self.recovery_answer(found, a),
            (_, _) => self.info("Cancelled; nothing changed."),
        }
        None
    }

    /// Submit the form in front: the change it stands for, or the effect (save as, export,
    /// add postings); on a problem the form stays, saying what is wrong.
    pub(super) fn submit(&mut self, form: &mut Form) -> Flow {
        if form.purpose == Purpose::Export {
            use crate::export::Format;
            let chosen = form.get("format");
            let formats = match Format::ALL.iter().find(|f| f.name() == chosen) {
                Some(&f) => vec![f],
                None => vec![Format::Yaml, Format::Ob3, Format::Markdown],
            };
            return Flow::Close(Some(Effect::Export(formats)));
        }
        if form.purpose == Purpose::AddPostings {
            return self.posting_request(form);
        }
        if form.purpose == Purpose::SaveAs {
            let path = form.get("path");
            if path.is_empty() {
                return Flow::Stay;
            }
            return Flow::Close(Some(Effect::Save(PathBuf::from(path))));
        }
        let op = form.to_op(&self.ws, &self.actor.name, &self.now());
        match op {
            Ok(op) => {
                if !self.apply(op, "") {
                    form.error = Some(self.status.text.clone());
                    return Flow::Stay;
                }
                match &form.purpose {
                    Purpose::NewNeed => {
                        let id = form.get("id");
                        self.select_need(&id);
                    }
                    Purpose::NewMapping { need, competency } => {
                        self.select_mapping(need, competency);
                        self.move_on_to_work();
                    }
                    // The vote view it was opened from is under it, and comes back.
                    _ => {}
                }
                Flow::Close(None)
            }
            Err(e) => {
                form.error = Some(e);
                Flow::Stay
            }
        }
    }
}
