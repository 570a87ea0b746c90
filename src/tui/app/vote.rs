//! The dot vote view's keys (its state is in [`crate::tui::vote`]).

use super::*;

impl App {
    /// The vote view's rows and tally of the version shown (made once per version, shared).
    pub fn vote_sheet(&self) -> Arc<VoteSheet> {
        self.hub.per_version(self.version, || {
            VoteSheet::new(&self.ws, &self.catalog, &self.derived.need_order)
        })
    }

    /// A vote view on the selected need, if it is voted on.
    pub(super) fn new_vote_view(&self) -> VoteView {
        let sheet = self.vote_sheet();
        let sel = self
            .selected_need()
            .and_then(|n| {
                sheet
                    .needs
                    .iter()
                    .position(|&i| self.ws.needs[i].id == n.id)
            })
            .unwrap_or(0);
        VoteView {
            sel,
            for_partner: None,
        }
    }

    /// Carry out a command of the vote view; the view stays open, under the form it opens
    /// (back to it when the form closes); a question about its result closes it.
    pub(super) fn vote_cmd(&mut self, view: &mut VoteView, cmd: Cmd) -> Flow {
        let opened = self.layers.len();
        let sheet = self.vote_sheet();
        let len = sheet.len();
        view.sel = view.sel.min(len.saturating_sub(1));
        let target = sheet.target(&self.ws, view.sel);
        let vote = self.ws.votes.last().cloned();
        let open = vote.as_ref().is_some_and(|v| v.is_open());
        match cmd {
            Cmd::Down => view.sel = (view.sel + 1).min(len.saturating_sub(1)),
            Cmd::Up => view.sel = view.sel.saturating_sub(1),
            Cmd::VoteFor => {
                let ps = &self.ws.partners;
                let cur = crate::tui::vote::voting_for(&self.ws, &self.actor.role, view)
                    .and_then(|c| ps.iter().position(|p| p.id == c));
                let next = cur.map_or(0, |i| (i + 1) % ps.len().max(1));
                view.for_partner = ps.get(next).map(|p| p.id.clone());
                match &view.for_partner {
                    Some(p) => self.info(format!("Placing dots for {p}.")),
                    None => self.error(format!(
                        "Add a partner first ({}): dots are a partner's.",
                        self.keymap.key_for(Context::Needs, Cmd::AddPartner)
                    )),
                }
            }
            Cmd::PlaceDot | Cmd::RemoveDot => {
                let partner = crate::tui::vote::voting_for(&self.ws, &self.actor.role, view)
                    .map(str::to_string);
                match (partner, target, open) {
                    (_, _, false) => self.error(match vote {
                        Some(_) => "The vote is closed; dots can no longer change.".to_string(),
                        None => format!(
                            "No vote is open; a designer opens one ({}).",
                            self.keymap.key_for(Context::Vote, Cmd::OpenVote)
                        ),
                    }),
                    (None, _, _) => self.error(format!(
                        "Add a partner first ({}): dots are a partner's.",
                        self.keymap.key_for(Context::Needs, Cmd::AddPartner)
                    )),
                    (_, None, _) => self.error(if sheet.over_competencies() {
                        "There are no candidates to vote on."
                    } else {
                        "There are no needs to vote on."
                    }),
                    (Some(partner), Some((need, competency)), true) => {
                        let op = if cmd == Cmd::PlaceDot {
                            Op::PlaceDot {
                                dot: Dot {
                                    need,
                                    competency,
                                    partner,
                                    person: self.actor.name.clone(),
                                    at: self.now(),
                                },
                                at: None,
                            }
                        } else {
                            Op::RemoveDot {
                                need,
                                partner,
                                competency,
                            }
                        };
                        self.apply(op, "");
                    }
                }
            }
            Cmd::OpenVote => {
                if open {
                    self.error(format!(
                        "A vote is open already; close it first ({}).",
                        self.keymap.key_for(Context::Vote, Cmd::CloseVote)
                    ));
                } else {
                    // The vote view stays under the form: back to it when the form closes.
                    self.push_layer(Modal::Form(Box::new(Form::open_vote(&self.ws))));
                }
            }
            Cmd::CloseVote => match &vote {
                None => self.error("There is no vote yet; o opens one."),
                Some(v) if v.is_open() => {
                    let op = Op::SetVoteClosed {
                        closed_by: Some(self.actor.name.clone()),
                        closed_at: Some(self.now()),
                    };
                    if self.apply(op, "") {
                        let after = self.vote_sheet();
                        let proposed = if after.over_competencies() {
                            format!("{} candidate(s) proposed as needs", after.promoted.len())
                        } else {
                            format!("{} priority change(s) proposed", after.proposed.len())
                        };
                        self.info(format!(
                            "Closed the vote: {} dots from {} partner(s); {proposed} — {} shows them.",
                            sheet.tally.total,
                            sheet.voters,
                            self.keymap.key_for(Context::Vote, Cmd::ApplyVote)
                        ));
                    }
                }
                Some(_) => {
                    self.apply(
                        Op::SetVoteClosed {
                            closed_by: None,
                            closed_at: None,
                        },
                        "",
                    );
                }
            },
            Cmd::ApplyVote => {
                if vote.is_none() || open {
                    self.error(format!(
                        "Close the vote first ({}); its result then {}.",
                        self.keymap.key_for(Context::Vote, Cmd::CloseVote),
                        if sheet.over_competencies() {
                            "turns the most voted candidates into needs"
                        } else {
                            "sets priorities"
                        }
                    ));
                } else {
                    if sheet.over_competencies() {
                        self.confirm_vote_needs();
                    } else {
                        self.confirm_vote_priorities();
                    }
                    if self.layers.len() > opened {
                        // The question closes the view: after it, the main screen.
                        return Flow::Close(None);
                    }
                }
            }
            _ => {}
        }
        Flow::Stay
    }

    /// Ask before setting the priorities the closed vote proposes, listing each change; yes
    /// applies them as one step (one undo).
    pub(super) fn confirm_vote_priorities(&mut self) {
        let sheet = self.vote_sheet();
        let changes = &sheet.proposed;
        if changes.is_empty() {
            self.info(if sheet.tally.total == 0 {
                "No dots were placed; priorities stay as they are."
            } else {
                "The priorities already follow the vote; nothing to change."
            });
            return;
        }
        let mut ops = Vec::with_capacity(changes.len());
        let mut lines = Vec::with_capacity(changes.len());
        for (id, from, to) in changes {
            let Some(n) = self.ws.need(id) else { continue };
            let dots = sheet.tally.on(id);
            lines.push(format!(
                "{id} ({dots} dot{}): {} → {}",
                if dots == 1 { "" } else { "s" },
                from.as_str(),
                to.as_str()
            ));
            ops.push(Op::UpdateNeed {
                id: id.clone(),
                need: Need {
                    priority: *to,
                    ..n.clone()
                },
            });
        }
        let room = crate::tui::vote::room(&self.ws, &sheet.tally);
        let lowered: Vec<&str> = changes
            .iter()
            .filter(|(_, from, to)| *from == Priority::Must && *to != Priority::Must)
            .map(|(id, _, _)| id.as_str())
            .collect();
        // Fewer than half of the partners voted and a must need would be lowered: ask with
        // "leave them" chosen.
        let few = !lowered.is_empty() && room.voted * 2 < room.partners;
        let warning = if few {
            format!(
                " Only {} of {} partners voted: lowering must need(s) {} rests on their dots alone.",
                room.voted,
                room.partners,
                lowered.join(", ")
            )
        } else {
            String::new()
        };
        self.push_layer(Modal::Confirm(Box::new(Confirm {
            title: "Set priorities from the vote".into(),
            text: format!(
                "Rule: must with at least half the top need's {} dots, should with one or more, could with none. {}. {}{warning}",
                sheet.tally.max,
                lines.join("; "),
                room.not_voted_text()
            ),
            choices: vec![
                (
                    Answer::Yes,
                    if few {
                        format!("set {} priorities anyway (one undo)", ops.len())
                    } else {
                        format!("set {} priorities (one undo)", ops.len())
                    },
                ),
                (Answer::No, "leave them".into()),
            ],
            sel: usize::from(few),
            pending: Pending::Apply(Box::new(Op::Batch { ops })),
        })));
    }

    /// Ask before turning the candidates a closed vote over competencies proposes into needs
    /// (each with a proposed mapping, and in the credential), listing each; yes adds them all
    /// as one step (one undo).
    pub(super) fn confirm_vote_needs(&mut self) {
        let sheet = self.vote_sheet();
        if sheet.promoted.is_empty() {
            self.info(if sheet.tally.total == 0 {
                "No dots were placed; no candidate becomes a need."
            } else {
                "Needs already cover the most voted candidates; nothing to add."
            });
            return;
        }
        let date = self
            .ws
            .votes
            .last()
            .and_then(|v| v.closed_at.as_deref())
            .map_or_else(|| self.now(), str::to_string);
        let date = date.get(..10).unwrap_or(&date).to_string();
        let (op, lines) =
            crate::tui::vote::needs_from_vote(&self.ws, &self.catalog, &sheet.promoted, &date);
        self.push_layer(Modal::Confirm(Box::new(Confirm {
            title: "Turn voted competencies into needs".into(),
            text: format!(
                "Rule: a candidate no need covers, with at least half the top candidate's {} dots, becomes a should need of the partner that put the most dots on it, with a proposed mapping to it. {}",
                sheet.tally.max,
                lines.join("; ")
            ),
            choices: vec![
                (
                    Answer::Yes,
                    if lines.len() == 1 {
                        "add the need (one undo)".to_string()
                    } else {
                        format!("add the {} needs (one undo)", lines.len())
                    },
                ),
                (Answer::No, "leave them".into()),
            ],
            sel: 0,
            pending: Pending::Apply(Box::new(op)),
        })));
    }

    /// A key in the vote view (allowed to this person, see [`App::layer_input`]): Esc closes it.
    pub(super) fn vote_key(&mut self, view: &mut VoteView, cmd: Option<Cmd>) -> Flow {
        match cmd {
            Some(Cmd::Cancel) => Flow::Close(None),
            Some(cmd) => self.vote_cmd(view, cmd),
            None => Flow::Stay,
        }
    }
}
