//! The lists: the activity feed, notices and the partner list.

use super::*;

impl App {
    /// Take the hub's changes made since the last look: the feed grows, and a designer gets a
    /// notice for each partner's dispute, rejection or comment.
    pub(super) fn take_activity(&mut self) {
        let seen = self.activity.last().map_or(0, |a| a.seq);
        let new = self.hub.activity_since(seen);
        if new.is_empty() {
            return;
        }
        if self.actor.role == Role::Designer {
            for a in new.iter().filter(|a| a.notice) {
                self.notices.push_back(a.clone());
            }
        }
        if let Role::Partner(org) = &self.actor.role {
            let (ws, derived) = (&self.ws, &self.derived);
            let partner_of = |id: &str| {
                let i = *derived.need_order.get(*derived.need_pos.get(id)?)?;
                ws.needs.get(i).map(|n| n.partner.as_str())
            };
            for a in &new {
                if crate::tui::awaiting::notifies_partner(a, org, &self.actor.name, partner_of) {
                    self.notices.push_back(a.clone());
                }
            }
        }
        {
            while self.notices.len() > crate::document::activity::MAX_ACTIVITY {
                self.notices.pop_front();
            }
        }
        self.activity.extend(new);
        let extra = self
            .activity
            .len()
            .saturating_sub(crate::document::activity::MAX_ACTIVITY);
        self.activity.drain(..extra);
    }

    /// The notice line of the status area: the oldest notice not yet jumped to, if any.
    pub fn notice_text(&self) -> Option<String> {
        self.notice_parts()
            .map(|(what, rest)| format!("{what}{rest}"))
    }

    /// The notice line in two parts: what happened, which a narrow screen cuts, and how many
    /// more there are and the key for the feed, which it keeps.
    pub fn notice_parts(&self) -> Option<(String, String)> {
        let n = self.notices.front()?;
        let more = match self.notices.len() {
            1 => String::new(),
            k => format!(" (+{} more)", k - 1),
        };
        Some((
            format!(
                "● {} jumps to: {} {}",
                self.key_for(Cmd::NextNotice),
                n.who,
                n.what
            ),
            format!("{more} · {} activity", self.key_for(Cmd::Activity)),
        ))
    }

    pub(super) fn open_activity(&mut self) {
        if self.activity.is_empty() {
            self.info("No changes yet in this session of the design.");
        } else {
            self.push_layer(Modal::Activity(0));
        }
    }

    /// Jump to the oldest notice not yet seen.
    pub(super) fn next_notice(&mut self) {
        match self.notices.pop_front() {
            Some(n) => {
                let target = n.target.clone();
                // A vote's notice leads nowhere in particular: it is only told.
                if target != Target::Nothing {
                    self.jump_to(&target);
                }
                if self.layers.is_empty() && !self.status.error {
                    self.info(format!("{} {} — {}", n.who, n.what, short_time(&n.at)));
                }
            }
            None => self.info(format!(
                "No new notices; {} shows recent activity.",
                self.key_for(Cmd::Activity)
            )),
        }
    }

    /// Go to what an activity item names.
    pub fn jump_to(&mut self, target: &Target) {
        self.view = View::Main;
        match target {
            Target::Need(id) if self.ws.need(id).is_some() => {
                self.select_need(id);
                self.focus = Focus::Needs;
            }
            Target::Mapping(n, c) if self.ws.mapping_index(n, c).is_some() => {
                self.select_mapping(n, c);
                self.focus = Focus::Mappings;
                self.review_hint();
            }
            Target::Partner(id) if self.ws.partner(id).is_some() => {
                match self.ws.needs.iter().find(|n| &n.partner == id) {
                    Some(n) => {
                        let n = n.id.clone();
                        self.select_need(&n);
                        self.focus = Focus::Needs;
                    }
                    None => self.open_partners(Some(id)),
                }
            }
            Target::Competency(r) if self.ws.competency(r).is_some() => {
                self.jump(&GapLine {
                    section: "Activity",
                    text: String::new(),
                    jump: Jump::Competency(r.clone()),
                    critical: false,
                });
            }
            Target::Credential => {
                self.push_layer(Modal::Form(Box::new(Form::credential(&self.ws.credential))))
            }
            _ => self.error("That is no longer in the design."),
        }
    }

    /// A key in the activity feed: moving, Enter goes to what the selected item names.
    pub(super) fn activity_key(&mut self, at: &mut usize, cmd: Option<Cmd>) -> Flow {
        let sel = *at;
        let len = self.activity.len();
        let last = len.saturating_sub(1);
        *at = match cmd {
            Some(Cmd::Down) => (sel + 1).min(last),
            Some(Cmd::Up) => sel.saturating_sub(1),
            Some(Cmd::PageDown) => (sel + 10).min(last),
            Some(Cmd::PageUp) => sel.saturating_sub(10),
            Some(Cmd::Top) => 0,
            Some(Cmd::Bottom) => last,
            Some(Cmd::Submit) => {
                // Newest first on screen.
                if let Some(a) = self.activity.iter().rev().nth(sel).cloned() {
                    self.notices.retain(|n| n.seq != a.seq);
                    self.jump_to(&a.target);
                }
                return Flow::Close(None);
            }
            Some(Cmd::Cancel) => return Flow::Close(None),
            _ => sel,
        };
        Flow::Stay
    }

    /// Open the partner list, on `id` if given, else on the selected need's partner.
    pub(super) fn open_partners(&mut self, id: Option<&str>) {
        let id = id
            .map(str::to_string)
            .or_else(|| self.selected_need().map(|n| n.partner.clone()));
        let sel = id
            .and_then(|id| self.ws.partners.iter().position(|p| p.id == id))
            .unwrap_or(0);
        self.push_layer(Modal::Partners(sel));
    }

    /// A key in the partner list (allowed to this person, see [`App::layer_input`]): moving,
    /// then editing, adding or deleting partners (the
    /// list closes for the form or the question).
    pub(super) fn partners_key(&mut self, at: &mut usize, cmd: Option<Cmd>) -> Flow {
        let sel = *at;
        let len = self.ws.partners.len();
        let partner = self.ws.partners.get(sel).cloned();
        *at = match cmd {
            Some(Cmd::Down) => (sel + 1).min(len.saturating_sub(1)),
            Some(Cmd::Up) => sel.saturating_sub(1),
            Some(Cmd::EditPartner) => {
                if let Some(p) = partner {
                    self.push_layer(Modal::Form(Box::new(Form::partner(Some(&p)))));
                }
                return Flow::Close(None);
            }
            Some(Cmd::AddPartner) => {
                self.push_layer(Modal::Form(Box::new(Form::partner(None))));
                return Flow::Close(None);
            }
            Some(Cmd::DeletePartner) => {
                if let Some(p) = partner {
                    self.confirm_delete_partner(&p.id);
                }
                return Flow::Close(None);
            }
            Some(Cmd::Cancel) => return Flow::Close(None),
            _ => sel,
        };
        Flow::Stay
    }

    /// Ask before deleting partner `id` with its needs and their mappings (one step: u
    /// brings all of it back), saying how much goes.
    pub(super) fn confirm_delete_partner(&mut self, id: &str) {
        let Some(p) = self.ws.partner(id).cloned() else {
            return;
        };
        let needs: Vec<&Need> = self.ws.needs.iter().filter(|n| n.partner == p.id).collect();
        let ids: std::collections::HashSet<&str> = needs.iter().map(|n| n.id.as_str()).collect();
        let mappings: Vec<&Mapping> = self
            .ws
            .mappings
            .iter()
            .filter(|m| ids.contains(m.need.as_str()))
            .collect();
        let comments: usize = mappings.iter().map(|m| m.comments.len()).sum();
        let mut ops: Vec<Op> = mappings
            .iter()
            .map(|m| Op::RemoveMapping {
                need: m.need.clone(),
                competency: m.competency.clone(),
            })
            .collect();
        ops.extend(needs.iter().map(|n| Op::RemoveNeed { id: n.id.clone() }));
        // Its sign-offs go with it (the file cannot keep a sign-off of a partner not listed).
        ops.extend(
            self.ws
                .sign_offs
                .iter()
                .filter(|s| s.partner == p.id)
                .map(|s| Op::SetSignOff {
                    person: s.person.clone(),
                    partner: s.partner.clone(),
                    sign_off: None,
                    signing: false,
                    at: None,
                }),
        );
        ops.push(Op::RemovePartner { id: p.id.clone() });
        let what = if needs.is_empty() {
            "It has no needs.".to_string()
        } else {
            format!(
                "Its {} need(s) are deleted with it, with their {} mapping(s) and {comments} comment(s); the competencies stay in the credential.",
                needs.len(),
                mappings.len()
            )
        };
        self.push_layer(Modal::Confirm(Box::new(Confirm {
            title: format!("Delete partner {}", p.id),
            text: format!(
                "Delete partner {} ({})? {what} {} undoes all of it.",
                p.id,
                p.name,
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
}
