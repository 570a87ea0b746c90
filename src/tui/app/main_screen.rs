//! The main screen: moving between panes and selections, going to what needs work, and the
//! changes made on the selected need or mapping.

use super::*;

impl App {
    /// Go to the next (or previous) need that still needs work (uncovered or partial),
    /// wrapping around, and say what it is.
    pub(super) fn goto_work(&mut self, toward: Toward) {
        match self.select_work(toward) {
            Some(text) => self.info(text),
            None => self.info("Every need is covered."),
        }
    }

    /// After a change, move on to the next need that still needs work, if any: the message
    /// says what was done, then what is next.
    pub(super) fn move_on_to_work(&mut self) {
        if let Some(text) = self.select_work(Toward::Next) {
            let last = self.status.text.clone();
            self.info(format!("{last} Next: {text}"));
        }
    }

    /// Select the next (or previous) need that still needs work, wrapping around: what it
    /// is, in words, or `None` when every need is covered.
    fn select_work(&mut self, toward: Toward) -> Option<String> {
        let derived = self.derived.clone();
        let order = &derived.need_order;
        let n = order.len();
        if n == 0 {
            return None;
        }
        let pos = (1..=n)
            .map(|k| match toward {
                Toward::Next => (self.need_sel + k) % n,
                Toward::Previous => (self.need_sel + n - k % n) % n,
            })
            .find(|&pos| {
                derived
                    .status
                    .get(order[pos])
                    .is_some_and(|s| *s != NeedStatus::Covered)
            })?;
        self.need_sel = pos;
        self.map_sel = 0;
        self.focus = Focus::Needs;
        let need = &self.ws.needs[order[pos]];
        let st = derived.status.get(order[pos]).map_or("", |s| s.as_str());
        Some(format!(
            "{} ({st}): {} — {} maps it.",
            need.id,
            crate::tui::wrap::fit(&need.statement, 60),
            self.key_for(Cmd::MapNeed)
        ))
    }

    /// What awaits this session's partner organisation (nothing for other roles).
    pub(super) fn awaiting(&self) -> crate::tui::awaiting::Awaiting {
        match &self.actor.role {
            Role::Partner(org) => {
                crate::tui::awaiting::awaiting(&self.ws, &self.report, &self.derived, org)
            }
            _ => Default::default(),
        }
    }

    /// A partner's first screen: select the first need with a mapping awaiting their review
    /// (that mapping selected for when they move to the mappings pane) and say how much
    /// awaits them.
    pub fn welcome_partner(&mut self) {
        let awaiting = self.awaiting();
        if let Some(first) = awaiting.reviews.first() {
            self.need_sel = first.need_pos;
            self.map_sel = first.map_pos;
        }
        if let Some(text) = awaiting.summary() {
            self.info(format!(
                "{text} — {} goes to the next",
                self.key_for(Cmd::NextToDo)
            ));
        }
    }

    /// Move a partner to the next (or previous) mapping awaiting their review, wrapping
    /// around; say what else awaits them.
    pub(super) fn goto_awaiting(&mut self, toward: Toward) {
        let awaiting = self.awaiting();
        let here = (self.focus == Focus::Mappings).then_some(self.map_sel);
        let item = match toward {
            Toward::Next => awaiting.after(self.need_sel, here),
            Toward::Previous => awaiting.before(self.need_sel, here),
        };
        match item.cloned() {
            Some(item) => {
                self.need_sel = item.need_pos;
                self.map_sel = item.map_pos;
                self.focus = Focus::Mappings;
                let total = awaiting.summary().unwrap_or_default();
                self.info(format!(
                    "{} awaits your review ({total}).",
                    self.mapping_name(&item.need, &item.competency)
                ));
            }
            None => match awaiting.sign_off {
                Some(_) => self.info(format!(
                    "No mapping awaits your review; {} — {} signs off.",
                    awaiting.summary().unwrap_or_default(),
                    self.key_for(Cmd::SignOff)
                )),
                None => self.info("Nothing awaits your review or sign-off."),
            },
        }
    }

    pub(super) fn move_sel(&mut self, delta: i64) {
        let step = |cur: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (cur as i64 + delta).clamp(0, len as i64 - 1) as usize
        };
        match self.focus {
            Focus::Needs => {
                self.need_sel = step(self.need_sel, self.need_order().len());
                self.map_sel = 0;
            }
            Focus::Mappings => self.map_sel = step(self.map_sel, self.selected_mappings().len()),
            Focus::Gaps => self.gap_sel = step(self.gap_sel, self.gap_lines.len()),
        }
    }

    pub(super) fn select_need(&mut self, id: &str) {
        if let Some(&pos) = self.derived.need_pos.get(id) {
            self.need_sel = pos;
            self.map_sel = 0;
        }
    }

    pub(super) fn select_mapping(&mut self, need: &str, comp: &str) {
        self.select_need(need);
        if let Some(pos) = self
            .selected_mappings()
            .iter()
            .position(|&i| self.ws.mappings[i].competency == comp)
        {
            self.map_sel = pos;
        }
    }

    pub(super) fn open(&mut self) {
        match self.focus {
            Focus::Needs => self.focus = Focus::Mappings,
            Focus::Mappings => self.edit(),
            Focus::Gaps => {
                let Some(line) = self.gap_lines.get(self.gap_sel).cloned() else {
                    return;
                };
                self.jump(&line);
            }
        }
    }

    /// Go to the thing a gap line names, and open what fixes it.
    pub fn jump(&mut self, line: &GapLine) {
        match &line.jump {
            Jump::Need(id) => {
                self.select_need(id);
                self.focus = Focus::Needs;
                self.info(format!(
                    "{id}: press {} to map it to a competency.",
                    self.key_for(Cmd::MapNeed)
                ));
            }
            Jump::Mapping(n, c) => {
                self.select_mapping(n, c);
                self.focus = Focus::Mappings;
                match line.section {
                    "Level gaps" if self.permits(Cmd::Edit).is_ok() => self.edit(),
                    "Mapped but not included" => self.info(format!(
                        "Press {} to include the competency in the credential.",
                        self.key_for(Cmd::ToggleInclude)
                    )),
                    _ => self.review_hint(),
                }
            }
            Jump::Competency(_) | Jump::Credential(_)
                if self.permits(Cmd::EditCredential).is_err() =>
            {
                self.focus = Focus::Gaps;
            }
            Jump::Competency(r) => {
                if let Some(cc) = self.ws.competency(r).cloned() {
                    if let Some(f) = Form::credential_competency(&self.catalog, &cc) {
                        let f = match line.section {
                            "Assessment gaps" => f.focus("assessment.method"),
                            "Outcomes" => f.focus("outcome"),
                            _ => f,
                        };
                        self.push_layer(Modal::Form(Box::new(f)));
                    }
                }
            }
            Jump::Credential(field) => {
                let key = field.trim_start_matches("credential.");
                let key = match key {
                    "level" => "level.scheme",
                    "workload" => "workload.hours",
                    k => k,
                };
                self.push_layer(Modal::Form(Box::new(
                    Form::credential(&self.ws.credential).focus(key),
                )));
            }
            Jump::SignOff(p) => match (&self.actor.role, self.permits(Cmd::SignOff)) {
                (_, Err(why)) => self.error(why),
                (Role::Partner(org), Ok(())) if org != p => {
                    let name = self.partner_name(p);
                    self.info(format!("Waiting for {name} to sign off the design."));
                }
                (_, Ok(())) => self.sign_off(Some(p.clone())),
            },
            Jump::Nothing => {}
        }
    }

    pub(super) fn edit(&mut self) {
        match self.focus {
            Focus::Needs | Focus::Gaps => {
                if let Some(n) = self.selected_need().cloned() {
                    self.push_layer(Modal::Form(Box::new(Form::edit_need(&self.ws, &n))));
                }
            }
            Focus::Mappings => match self.selected_mapping().cloned() {
                Some(m) => self.push_layer(Modal::Form(Box::new(Form::mapping(
                    &self.ws,
                    &self.catalog,
                    &m,
                )))),
                None => self.error(format!(
                    "This need has no mappings yet: press {} to map it.",
                    self.key_for(Cmd::MapNeed)
                )),
            },
        }
    }

    pub(super) fn delete(&mut self) {
        match self.focus {
            Focus::Needs => {
                let Some(n) = self.selected_need().cloned() else {
                    return;
                };
                let mut ops: Vec<Op> = self
                    .ws
                    .mappings
                    .iter()
                    .filter(|m| m.need == n.id)
                    .map(|m| Op::RemoveMapping {
                        need: m.need.clone(),
                        competency: m.competency.clone(),
                    })
                    .collect();
                let count = ops.len();
                ops.push(Op::RemoveNeed { id: n.id.clone() });
                self.push_layer(Modal::Confirm(Box::new(Confirm {
                    title: format!("Delete need {}", n.id),
                    text: format!(
                        "Delete need {} “{}” and its {count} mapping(s)? {} undoes it.",
                        n.id,
                        crate::tui::wrap::fit(&n.statement, 80),
                        self.key_for(Cmd::Undo)
                    ),
                    choices: vec![
                        (Answer::Yes, "delete".into()),
                        (Answer::No, "keep it".into()),
                    ],
                    sel: 1,
                    pending: Pending::Apply(Box::new(Op::Batch { ops })),
                })));
            }
            Focus::Mappings => {
                if let Some(m) = self.selected_mapping().cloned() {
                    self.apply(
                        Op::RemoveMapping {
                            need: m.need.clone(),
                            competency: m.competency.clone(),
                        },
                        &format!(
                            "Deleted mapping {} ({} undoes).",
                            self.mapping_name(&m.need, &m.competency),
                            self.key_for(Cmd::Undo)
                        ),
                    );
                }
            }
            Focus::Gaps => {}
        }
    }

    pub(super) fn set_status(&mut self, status: MappingStatus) {
        let Some(m) = self.selected_mapping().cloned() else {
            self.error(format!(
                "Select a mapping first ({} to the mappings pane).",
                self.key_for(Cmd::FocusMappings)
            ));
            return;
        };
        let agreed_by = (status == MappingStatus::Agreed).then(|| self.actor.name.clone());
        let record = Some(StatusRecord::new(&self.actor.name, &self.now()));
        if self.apply(
            Op::SetMappingStatus {
                need: m.need.clone(),
                competency: m.competency.clone(),
                status,
                agreed_by,
                reason: None,
                record,
            },
            // What happened first: over SSH at 80 columns a long name is cut at its end.
            &format!(
                "{}: {}.",
                status.heading(),
                self.mapping_name(&m.need, &m.competency)
            ),
        ) && status != MappingStatus::Proposed
        {
            self.next_to_review();
        }
    }

    /// Dispute or reject the selected mapping: ask why first (the reason becomes a comment).
    /// Refused at once, without the form, when this session may not make that change.
    pub(super) fn ask_reason(&mut self, status: MappingStatus) {
        let Some(m) = self.selected_mapping().cloned() else {
            self.error("Select a mapping first (Tab to the mappings pane).");
            return;
        };
        if let Some(why) = &self.read_only {
            self.error(format!("Not done: {why}"));
            return;
        }
        let probe = Op::SetMappingStatus {
            need: m.need.clone(),
            competency: m.competency.clone(),
            status,
            agreed_by: None,
            reason: None,
            record: None,
        };
        // The role check of `edit::apply`, without applying (or copying the document).
        if let Err(e) = crate::edit::permit(&self.ws, &self.actor, &probe) {
            self.error(format!("Not done: {e}"));
            return;
        }
        self.push_layer(Modal::Form(Box::new(Form::reason(
            &m.need,
            &m.competency,
            status,
        ))));
    }

    /// Say which review keys work on the selected mapping (for this person).
    pub(super) fn review_hint(&mut self) {
        let hints: Vec<String> = [Cmd::Agree, Cmd::Dispute, Cmd::Reject, Cmd::Comment]
            .into_iter()
            .filter(|c| self.permits(*c).is_ok())
            .map(|c| format!("{} {}", self.key_for(c), c.name()))
            .collect();
        if !hints.is_empty() {
            self.info(hints.join(" · "));
        }
    }

    /// After a review, select the next of this need's mappings still awaiting one (proposed
    /// or disputed), so that agreeing to several in a row is one key each.
    pub(super) fn next_to_review(&mut self) {
        let maps = self.selected_mappings();
        let n = maps.len();
        let waiting = |i: usize| {
            matches!(
                self.ws.mappings[maps[i]].status,
                MappingStatus::Proposed | MappingStatus::Disputed
            )
        };
        if let Some(pos) = (1..n).map(|k| (self.map_sel + k) % n).find(|&i| waiting(i)) {
            self.map_sel = pos;
        } else {
            self.next_need_to_review();
        }
    }

    /// The first need after position `from` (in display order) with a mapping awaiting review
    /// (proposed or disputed), with that mapping: its first disputed one, else its first
    /// proposed one, as the gap report's list (disputed first, then document order) has them.
    /// Found by walking the needs from `from`, so the cost is the distance to that need, not
    /// the length of the list of mappings awaiting review.
    pub(super) fn next_awaiting_after(&self, from: usize) -> Option<(usize, String, String)> {
        let first = |need: &Need, status: MappingStatus| {
            self.derived
                .mappings(&need.id)
                .iter()
                .map(|&k| &self.ws.mappings[k])
                .find(|m| m.status == status)
        };
        self.need_order()
            .iter()
            .enumerate()
            .skip(from.saturating_add(1))
            .find_map(|(pos, &i)| {
                let need = &self.ws.needs[i];
                first(need, MappingStatus::Disputed)
                    .or_else(|| first(need, MappingStatus::Proposed))
                    .map(|m| (pos, need.id.clone(), m.competency.clone()))
            })
    }

    /// Select the first mapping awaiting review in the next need (in display order) that has
    /// one: for a partner, awaiting their review; otherwise proposed or disputed. From the gap
    /// report's list, so the cost is that list's length.
    pub(super) fn next_need_to_review(&mut self) {
        let next = if let Role::Partner(_) = self.actor.role {
            let awaiting = self.awaiting();
            awaiting
                .reviews
                .iter()
                .find(|i| i.need_pos > self.need_sel)
                .map(|i| (i.need_pos, i.need.clone(), i.competency.clone()))
        } else {
            self.next_awaiting_after(self.need_sel)
        };
        if let Some((_, need, comp)) = next {
            self.select_mapping(&need, &comp);
            let last = self.status.text.clone();
            self.info(format!("{last} Next: {}.", self.mapping_name(&need, &comp)));
        }
    }

    pub(super) fn toggle_include(&mut self) {
        let Some(m) = self.selected_mapping().cloned() else {
            return;
        };
        if self.ws.competency(&m.competency).is_some() {
            self.apply(
                Op::RemoveCompetency {
                    reference: m.competency.clone(),
                },
                // Said by the change itself, with the competency's name.
                "",
            );
        } else {
            let target = m
                .required_level
                .or_else(|| self.default_level(&m.competency))
                .unwrap_or(1);
            let cc = CredentialCompetency {
                reference: m.competency.clone(),
                target_level: target,
                hours: None,
                outcome: None,
                assessment: None,
                silence: Vec::new(),
            };
            self.apply(
                Op::InsertCompetency {
                    at: self.ws.competencies.len(),
                    competency: cc,
                },
                // Said by the change itself, with the competency's name.
                "",
            );
        }
    }

    /// A sensible first target level: the second allowed level, or the first.
    pub(super) fn default_level(&self, reference: &str) -> Option<u32> {
        self.catalog.default_level(reference)
    }

    /// Matrix navigation; false when `cmd` is not a matrix command (the main screen's
    /// handling applies).
    pub(super) fn matrix_cmd(&mut self, cmd: Cmd) -> bool {
        let rows = self.ws.needs.len();
        let cols = self.ws.competencies.len();
        let (r, c) = &mut self.matrix_sel;
        match cmd {
            Cmd::Up => *r = r.saturating_sub(1),
            Cmd::Down => *r = (*r + 1).min(rows.saturating_sub(1)),
            Cmd::Left => *c = c.saturating_sub(1),
            Cmd::Right => *c = (*c + 1).min(cols.saturating_sub(1)),
            Cmd::PageUp => *r = r.saturating_sub(10),
            Cmd::PageDown => *r = (*r + 10).min(rows.saturating_sub(1)),
            Cmd::Top => *r = 0,
            Cmd::Bottom => *r = rows.saturating_sub(1),
            Cmd::Open => {
                let need = self.ws.needs.get(*r).map(|n| n.id.clone());
                let comp = self.ws.competencies.get(*c).map(|x| x.reference.clone());
                self.view = View::Main;
                if let (Some(n), Some(cp)) = (need, comp) {
                    if self.ws.mapping_index(&n, &cp).is_some() {
                        self.select_mapping(&n, &cp);
                        self.focus = Focus::Mappings;
                    } else {
                        self.select_need(&n);
                        self.focus = Focus::Needs;
                    }
                }
            }
            Cmd::NextPane | Cmd::PrevPane => self.view = View::Main,
            _ => return false,
        }
        true
    }

    /// Make the focused pane fill the screen, or restore the panes.
    pub(super) fn toggle_zoom(&mut self) {
        self.zoom = !self.zoom;
        if self.zoom {
            self.info(format!(
                "Zoomed: {} restores, {} zooms the next pane.",
                self.key_for(Cmd::Zoom),
                self.key_for(Cmd::NextPane)
            ));
        } else {
            self.info("All panes shown.");
        }
    }

    /// Scroll the mappings pane's text half a pane down or up (for a comment longer than
    /// the pane).
    pub(super) fn scroll_text(&mut self, toward: Toward) {
        let a = self.areas();
        let height = a.mappings.height.saturating_sub(2) as usize;
        let now = self.text_scroll();
        let half = (height / 2).max(1);
        let p = self.mapping_hits(&a, now + half + 1);
        let most = p.items.len().saturating_sub(height).saturating_sub(p.first);
        let rows = match toward {
            Toward::Next => (now + half).min(most),
            Toward::Previous => now.saturating_sub(half),
        };
        self.read_scroll = (self.need_sel, self.map_sel, rows);
    }
}
