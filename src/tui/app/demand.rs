//! The demand view's keys (its state is in [`crate::tui::demand`]).

use super::*;

impl App {
    /// Columns of the needs pane's support column: [`SUPPORT_COLS`] when any need has support
    /// beyond its own partner (postings, or another partner's dots), else none.
    pub fn support_cols(&self) -> usize {
        if self.ws.postings.is_empty() && self.ws.votes.is_empty() {
            return 0;
        }
        if self.demand_sheet().any {
            SUPPORT_COLS
        } else {
            0
        }
    }

    /// The demand and support of the version shown (made once per version, shared).
    pub fn demand_sheet(&self) -> Arc<DemandSheet> {
        self.hub
            .per_version(self.version, || DemandSheet::new(&self.ws, &self.report))
    }

    /// A demand view on the first row.
    pub(super) fn new_demand_view(&self) -> DemandView {
        DemandView::default()
    }

    /// Carry out a command of the demand view; the view stays open unless the command
    /// leads elsewhere.
    pub(super) fn demand_cmd(&mut self, view: &mut DemandView, cmd: Cmd) -> Flow {
        let sheet = self.demand_sheet();
        let rows = sheet.rows(view.only_uncovered);
        let len = rows.len();
        let page = (self.size.1 as usize).saturating_sub(12).max(1);
        view.sel = view.sel.min(len.saturating_sub(1));
        let row = rows.get(view.sel).copied();
        match cmd {
            Cmd::Up => view.sel = view.sel.saturating_sub(1),
            Cmd::Down => view.sel = (view.sel + 1).min(len.saturating_sub(1)),
            Cmd::PageUp => view.sel = view.sel.saturating_sub(page),
            Cmd::PageDown => view.sel = (view.sel + page).min(len.saturating_sub(1)),
            Cmd::Top => view.sel = 0,
            Cmd::Bottom => view.sel = len.saturating_sub(1),
            Cmd::OnlyUncovered => {
                // Keep the selected competency selected when it is still shown.
                view.only_uncovered = !view.only_uncovered;
                let rows = sheet.rows(view.only_uncovered);
                view.sel = row
                    .and_then(|r| rows.iter().position(|&x| x == r))
                    .unwrap_or(0);
            }
            Cmd::Open => {
                let need = row.and_then(|r| sheet.covering[r].first().cloned());
                match need {
                    Some(id) => {
                        self.select_need(&id);
                        self.focus = Focus::Needs;
                        self.info(format!(
                            "{id} covers it. {} shows the demand again.",
                            self.key_for(Cmd::Demand)
                        ));
                        return Flow::Close(None);
                    }
                    None => self.error(format!(
                        "No need covers it yet; {} makes it one.",
                        self.keymap.key_for(Context::Demand, Cmd::NeedFromDemand)
                    )),
                }
            }
            Cmd::NeedFromDemand => match row {
                None => self.error("Nothing is selected: no posting mentions a competency yet."),
                Some(r) if sheet.demand.competencies[r].covered => self.error(format!(
                    "{} covers it already; Enter goes to it.",
                    sheet.covering[r].join(", ")
                )),
                Some(r) => {
                    let reference = sheet.demand.competencies[r].competency.clone();
                    match crate::tui::demand::need_from_demand(&self.ws, &self.catalog, &sheet, r) {
                        Err(why) => self.error(format!("Not added: {why}.")),
                        Ok((op, id)) => {
                            let label = self.competency_label(&reference);
                            if self.apply(
                                op,
                                &format!(
                                    "Added need {id} for {label}, mapped to it (proposed); {} edits it.", self.key_for(Cmd::Edit)
                                ),
                            ) {
                                self.select_need(&id);
                                self.focus = Focus::Needs;
                                return Flow::Close(None);
                            }
                        }
                    }
                }
            },
            // A session over SSH (it has a key) never reads the server's files: say so before
            // the form is filled in (the server's host refuses it as well).
            Cmd::AddPostings if self.session.key.is_some() => self.error(
                "Over SSH the editor does not read files on the server; add postings there with `microcred evidence add WORKSPACE FILE...`: the server takes them into this design at once.",
            ),
            Cmd::AddPostings => {
                self.push_layer(Modal::Form(Box::new(Form::add_postings(
                    &self.ws,
                    &self.now(),
                ))));
                return Flow::Close(None);
            }
            _ => {}
        }
        Flow::Stay
    }

    /// A key in the demand view (allowed to this person, see [`App::layer_input`]): Esc
    /// closes it.
    pub(super) fn demand_key(&mut self, view: &mut DemandView, cmd: Option<Cmd>) -> Flow {
        match cmd {
            Some(Cmd::Cancel) => Flow::Close(None),
            Some(cmd) => self.demand_cmd(view, cmd),
            None => Flow::Stay,
        }
    }
}
