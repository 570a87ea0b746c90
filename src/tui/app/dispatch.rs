//! Dispatch: every terminal event to the command it stands for, and each command to what
//! carries it out (the modal in front, the matrix, or the main screen).

use super::*;

/// A terminal event on its way to the layer in front: besides the command it stands for, what
/// that command needs from the event (the key, for text fields; where the pointer is; the
/// pasted text and how much of it was cut on the way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String, usize),
    Size(u16, u16),
}

impl Input {
    /// The key pressed, if the event is one.
    fn key(&self) -> Option<KeyEvent> {
        match self {
            Input::Key(k) => Some(*k),
            _ => None,
        }
    }
}

impl App {
    /// Handle one terminal event: it becomes a command (see [`App::command`]) routed to the
    /// layer in front, else to the main screen.
    pub fn handle(&mut self, ev: Event) -> Option<Effect> {
        let input = match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => Input::Key(k),
            Event::Paste(text) => Input::Paste(text, 0),
            Event::Mouse(m) => Input::Mouse(m),
            Event::Resize(w, h) => Input::Size(w, h),
            _ => return None,
        };
        self.route(input)
    }

    /// A paste of which `text` arrived and `left_out` more characters were cut on the way (by
    /// the server's input decoder): as [`Event::Paste`], the message counting those too.
    pub fn paste_cut(&mut self, text: &str, left_out: usize) {
        // A paste never leads to an effect: it only fills a field.
        let _ = self.route(Input::Paste(text.to_string(), left_out));
    }

    /// The command `input` stands for where `context` is in front: a key's from the keymap; a
    /// wheel turn moves ([`Cmd::Up`], [`Cmd::Down`]); a left click is [`Cmd::Click`]; a paste
    /// [`Cmd::Paste`]; a new size [`Cmd::Resize`]. Other mouse events stand for nothing.
    pub fn command(&self, context: Context, input: &Input) -> Option<Cmd> {
        match input {
            Input::Key(k) => self.keymap.lookup(context, k),
            Input::Mouse(m) => match m.kind {
                MouseEventKind::ScrollDown => Some(Cmd::Down),
                MouseEventKind::ScrollUp => Some(Cmd::Up),
                MouseEventKind::Down(MouseButton::Left) => Some(Cmd::Click),
                _ => None,
            },
            Input::Paste(..) => Some(Cmd::Paste),
            Input::Size(..) => Some(Cmd::Resize),
        }
    }

    /// An event to the front layer's handler, or (as a command) to the main screen.
    fn route(&mut self, input: Input) -> Option<Effect> {
        // The size is the whole screen's, whichever layer is in front.
        if let Input::Size(w, h) = input {
            self.size = (w, h);
        }
        if let Input::Key(k) = &input {
            if k.code == KeyCode::Char('c')
                && k.modifiers.contains(KeyModifiers::CONTROL)
                && self.layers.is_empty()
            {
                return self.run(Cmd::Quit);
            }
        }
        // The front layer's handler gets it by `&mut`, out of the stack meanwhile: what it
        // opens goes above it, and it stays under that unless it closed.
        let Some(mut layer) = self.layers.pop() else {
            let cmd = self.command(self.context(), &input)?;
            return match input {
                Input::Mouse(m) => {
                    self.main_pointer(cmd, m);
                    None
                }
                _ => self.run(cmd),
            };
        };
        let at = self.layers.len();
        let flow = self.layer_input(&mut layer, &input);
        self.settle(at, layer, flow)
    }

    /// After a layer's handler: the layer back at `at` (under any layer it opened), or
    /// closed, with what the host must do.
    pub(super) fn settle(&mut self, at: usize, layer: Modal, flow: Flow) -> Option<Effect> {
        match flow {
            Flow::Stay => {
                self.layers.insert(at.min(self.layers.len()), layer);
                None
            }
            Flow::Close(effect) => effect,
        }
    }

    /// Run a command (from a key or the palette). A command this person may not use is
    /// refused at once, saying why; nothing opens.
    pub fn run(&mut self, cmd: Cmd) -> Option<Effect> {
        if let Err(why) = self.permits(cmd) {
            self.error(why);
            return None;
        }
        if self.view == View::Matrix {
            if self.matrix_cmd(cmd) {
                return None;
            }
        }
        match cmd {
            Cmd::Up => self.move_sel(-1),
            Cmd::Down => self.move_sel(1),
            Cmd::PageUp => self.move_sel(-10),
            Cmd::PageDown => self.move_sel(10),
            Cmd::Top => self.move_sel(-1_000_000),
            Cmd::Bottom => self.move_sel(1_000_000),
            Cmd::Left | Cmd::Right => {
                let order = [Focus::Needs, Focus::Mappings, Focus::Gaps];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let i = if cmd == Cmd::Right {
                    (i + 1).min(2)
                } else {
                    i.saturating_sub(1)
                };
                self.focus = order[i];
            }
            Cmd::NextPane | Cmd::PrevPane => {
                let order = [Focus::Needs, Focus::Mappings, Focus::Gaps];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let step = if cmd == Cmd::NextPane { 1 } else { 2 };
                self.focus = order[(i + step) % 3];
            }
            Cmd::FocusNeeds => self.focus = Focus::Needs,
            Cmd::FocusMappings => self.focus = Focus::Mappings,
            Cmd::FocusGaps => self.focus = Focus::Gaps,
            Cmd::NextToDo | Cmd::PrevToDo if matches!(self.actor.role, Role::Partner(_)) => {
                self.goto_awaiting(Toward::of(cmd));
            }
            Cmd::NextToDo | Cmd::PrevToDo => self.goto_work(Toward::of(cmd)),
            Cmd::Open => self.open(),
            Cmd::AddNeed => {
                if self.ws.partners.is_empty() {
                    self.error(format!(
                        "Add a partner first: press {}.",
                        self.key_for(Cmd::AddPartner)
                    ));
                } else {
                    let mut partner = self.selected_need().map(|n| n.partner.clone());
                    if let Role::Partner(org) = &self.actor.role {
                        partner = Some(org.clone());
                    }
                    let mut form = Form::new_need(&self.ws, partner.as_deref());
                    if let Role::Partner(org) = &self.actor.role {
                        form.only_choice("partner", org);
                    }
                    self.push_layer(Modal::Form(Box::new(form)));
                }
            }
            Cmd::AddPartner => self.push_layer(Modal::Form(Box::new(Form::partner(None)))),
            Cmd::EditPartner => {
                let p = self
                    .selected_need()
                    .and_then(|n| self.ws.partner(&n.partner))
                    .cloned();
                match p {
                    Some(p) => self.push_layer(Modal::Form(Box::new(Form::partner(Some(&p))))),
                    // No need to tell which partner (none has needs yet): choose from the list.
                    None => self.open_partners(None),
                }
            }
            Cmd::Edit => self.edit(),
            Cmd::Delete => self.delete(),
            Cmd::MapNeed => match self.selected_need() {
                Some(n) => {
                    let (id, text) = (n.id.clone(), n.statement.clone());
                    let context = crate::analysis::suggest::context::for_need(&self.ws, &id);
                    self.push_layer(Modal::Finder(Box::new(Finder::in_context(
                        FinderPurpose::MapNeed(id),
                        &self.hub,
                        Some(&text),
                        context,
                    ))));
                }
                None => self.error(format!(
                    "Select a need to map (or add one with {}).",
                    self.key_for(Cmd::AddNeed)
                )),
            },
            Cmd::Agree => self.set_status(MappingStatus::Agreed),
            Cmd::Dispute => self.ask_reason(MappingStatus::Disputed),
            Cmd::Reject => self.ask_reason(MappingStatus::Rejected),
            Cmd::Propose => self.set_status(MappingStatus::Proposed),
            Cmd::Comment => match self.selected_mapping() {
                Some(m) => self.push_layer(Modal::Form(Box::new(Form::comment(
                    &self.ws,
                    &self.catalog,
                    m,
                )))),
                None => self.error("Select a mapping to comment on."),
            },
            Cmd::ToggleInclude => self.toggle_include(),
            Cmd::EditCredential => {
                self.push_layer(Modal::Form(Box::new(Form::credential(&self.ws.credential))))
            }
            Cmd::SignOff => {
                let partner = self.selected_need().map(|n| n.partner.clone());
                self.sign_off(partner);
            }
            Cmd::Browse => self.push_layer(Modal::Browser(Browser::default())),
            Cmd::Matrix => {
                self.view = if self.view == View::Matrix {
                    View::Main
                } else {
                    View::Matrix
                };
            }
            Cmd::Search => self.push_layer(Modal::Finder(Box::new(Finder::new(
                FinderPurpose::AddToCredential,
                &self.hub,
                None,
            )))),
            Cmd::Undo => self.undo(),
            Cmd::Redo => self.redo(),
            Cmd::Save => return self.save(),
            Cmd::SaveQuit => {
                if self.session.autosaved || !self.dirty {
                    return Some(Effect::Quit);
                }
                self.quit_after_save = true;
                return self.save();
            }
            Cmd::Quit => {
                if self.dirty && !self.session.autosaved {
                    self.push_layer(Modal::Confirm(Box::new(Confirm {
                        title: "Quit".into(),
                        text: "There are unsaved changes.".into(),
                        choices: vec![
                            (Answer::Yes, "save them and quit".into()),
                            (
                                Answer::No,
                                "quit without saving (they are discarded)".into(),
                            ),
                            (Answer::Cancel, "stay".into()),
                        ],
                        sel: 0,
                        pending: Pending::Quit,
                    })));
                } else {
                    return Some(Effect::Quit);
                }
            }
            Cmd::ForceQuit => {
                if !self.session.autosaved {
                    return Some(Effect::DiscardAndQuit);
                }
                return Some(Effect::Quit);
            }
            Cmd::Help => self.push_layer(Modal::Help(0)),
            Cmd::Messages => self.push_layer(Modal::Messages(0)),
            Cmd::Palette => self.push_layer(Modal::Palette(
                crate::tui::text::TextField::line("", crate::limits::QUERY).dropping_breaks(),
                0,
            )),
            Cmd::Export => {
                let blockers =
                    crate::export::verdict::problems(&self.ws, &self.catalog, &self.report);
                self.push_layer(Modal::Form(Box::new(Form::export(
                    &self.ws,
                    blockers.len(),
                ))));
            }
            Cmd::Theme => {
                self.theme = self.theme.next();
                let name = self.theme.name();
                self.info(format!("Theme: {name}."));
            }
            // Commands of modals; on the main screen they do nothing.
            Cmd::Submit
            | Cmd::Cancel
            | Cmd::NextField
            | Cmd::PrevField
            | Cmd::NextChoice
            | Cmd::PrevChoice
            | Cmd::Yes
            | Cmd::No => {}
            // Events: the main screen's pointer is handled in `main_pointer`, a paste with no
            // field in front is ignored, and the size was taken in `route`.
            Cmd::Click | Cmd::Paste | Cmd::Resize => {}
            Cmd::Activity => self.open_activity(),
            Cmd::History => return self.open_history(),
            Cmd::NextNotice => self.next_notice(),
            Cmd::Partners => self.open_partners(None),
            Cmd::DeletePartner => match self.selected_need().map(|n| n.partner.clone()) {
                Some(id) => self.confirm_delete_partner(&id),
                None => self.open_partners(None),
            },
            Cmd::Zoom => self.toggle_zoom(),
            Cmd::ScrollDown | Cmd::ScrollUp => self.scroll_text(Toward::of(cmd)),
            Cmd::Vote => self.push_layer(Modal::Vote(self.new_vote_view())),
            Cmd::Demand => self.push_layer(Modal::Demand(self.new_demand_view())),
            Cmd::NeedFromDemand | Cmd::OnlyUncovered | Cmd::AddPostings => {
                let (at, mut view) = (self.layers.len(), self.new_demand_view());
                let flow = self.demand_cmd(&mut view, cmd);
                return self.settle(at, Modal::Demand(view), flow);
            }
            Cmd::Weighting => {
                self.by_evidence = !self.by_evidence;
                self.info(if self.by_evidence {
                    "The coverage gauge now weights needs by evidence: priority × (endorsing partners + log2(1 + postings))."
                } else {
                    "The coverage gauge weights needs by priority again (must 3, should 2, could 1)."
                });
            }
            Cmd::PlaceDot
            | Cmd::RemoveDot
            | Cmd::VoteFor
            | Cmd::OpenVote
            | Cmd::CloseVote
            | Cmd::ApplyVote => {
                let (at, mut view) = (self.layers.len(), self.new_vote_view());
                let flow = self.vote_cmd(&mut view, cmd);
                return self.settle(at, Modal::Vote(view), flow);
            }
        }
        None
    }

    /// Work left over from the last keystroke (an unfinished search); true when the screen
    /// should be drawn again. The runner calls this while no input is waiting.
    pub fn idle(&mut self) -> bool {
        match self.layers.last_mut() {
            Some(Modal::Finder(f)) => f.refine(),
            _ => false,
        }
    }

    /// True while `idle` has work to do.
    pub fn busy(&self) -> bool {
        matches!(self.layers.last(), Some(Modal::Finder(f)) if f.searching())
    }

    /// The route of an event to the handler of the layer in front (`&mut`, see
    /// [`App::route`]). A command this person may not use is refused here, for every layer,
    /// saying why (as [`App::run`] does for the main screen); the layer stays. A paste goes
    /// into the layer's text field; no layer acts on a click or a new size yet.
    pub(super) fn layer_input(&mut self, layer: &mut Modal, input: &Input) -> Flow {
        let cmd = self.command(layer.context(), input);
        if let Some(Err(why)) = cmd.map(|c| self.permits(c)) {
            self.error(why);
            return Flow::Stay;
        }
        match (cmd, input) {
            (Some(Cmd::Paste), Input::Paste(text, left_out)) => {
                self.paste_into(layer, text, *left_out);
                return Flow::Stay;
            }
            (Some(Cmd::Click | Cmd::Resize) | None, Input::Mouse(_) | Input::Size(..)) => {
                return Flow::Stay;
            }
            _ => {}
        }
        let k = input.key();
        match layer {
            Modal::Help(scroll) | Modal::Messages(scroll) => match scroll_overlay(cmd, *scroll) {
                Some(s) => {
                    *scroll = s;
                    Flow::Stay
                }
                None => Flow::Close(None),
            },
            Modal::Confirm(c) => {
                let n = c.choices.len().max(1);
                let answer = match cmd {
                    Some(Cmd::Yes) => Some(Answer::Yes),
                    Some(Cmd::No) => Some(Answer::No),
                    Some(Cmd::Cancel) => Some(Answer::Cancel),
                    Some(Cmd::Submit) => c.choices.get(c.sel).map(|(a, _)| *a),
                    Some(Cmd::NextChoice) => {
                        c.sel = (c.sel + 1) % n;
                        None
                    }
                    Some(Cmd::PrevChoice) => {
                        c.sel = (c.sel + n - 1) % n;
                        None
                    }
                    _ => None,
                };
                match answer {
                    Some(a) => Flow::Close(self.answer(&c.pending, a)),
                    None => Flow::Stay,
                }
            }
            Modal::Palette(input, sel) => self.palette_key(input, sel, cmd, k),
            Modal::Form(form) => self.form_key(form, cmd, k),
            Modal::Finder(f) => self.finder_key(f, cmd, k),
            Modal::Activity(sel) => self.activity_key(sel, cmd),
            Modal::History(h) => self.history_key(h, cmd),
            Modal::Partners(sel) => self.partners_key(sel, cmd),
            Modal::Demand(view) => self.demand_key(view, cmd),
            Modal::Vote(view) => self.vote_key(view, cmd),
            Modal::Browser(b) => self.browser_key(b, cmd),
        }
    }

    /// A paste into the text field of `layer`, at once and cut to the field's limit (a search
    /// query to [`crate::limits::QUERY`]); a layer without one ignores it.
    fn paste_into(&mut self, layer: &mut Modal, text: &str, left_out: usize) {
        let max = crate::limits::QUERY;
        let cut = |mut p: crate::tui::text::Pasted| {
            p.dropped += left_out;
            p
        };
        let note = match layer {
            Modal::Form(f) => f.paste_cut(text, left_out),
            Modal::Finder(f) => cut(f.paste(text)).note("the search", max),
            Modal::Palette(input, _) => cut(input.paste(text)).note("the command search", max),
            _ => None,
        };
        if let Some(note) = note {
            self.error(note);
        }
    }

    /// A mouse command on the main screen: on the compact layout's tab row a click shows that
    /// pane (leaving the matrix); elsewhere the pane under the pointer takes the focus, and a click selects the row
    /// under it while the wheel moves the selection. Away from the main view (the matrix) the
    /// wheel moves as the arrow keys do.
    pub(super) fn main_pointer(&mut self, cmd: Cmd, m: MouseEvent) {
        let a = self.areas();
        if a.compact && cmd == Cmd::Click && m.row == a.tabs.y {
            // A tab shows its pane, from the matrix too.
            for (label, focus, at) in self.tabs() {
                let x = a.tabs.x + at;
                if m.column >= x && m.column < x + label.chars().count() as u16 {
                    self.view = View::Main;
                    self.focus = focus;
                }
            }
            return;
        }
        if self.view != View::Main {
            if matches!(cmd, Cmd::Up | Cmd::Down) {
                let _ = self.run(cmd);
            }
            return;
        }
        let at = match &self.hits {
            Some(hits) => hits.at(m.column, m.row),
            // Not drawn yet (a test, a script): what a frame would show now.
            None => self.hit_map().at(m.column, m.row),
        };
        let Some((pane, item)) = at else { return };
        self.focus = pane;
        match cmd {
            Cmd::Up => self.move_sel(-1),
            Cmd::Down => self.move_sel(1),
            Cmd::Click => match (pane, item) {
                (Focus::Needs, Some(i)) => {
                    self.need_sel = i;
                    self.map_sel = 0;
                }
                (Focus::Mappings, Some(i)) => self.map_sel = i,
                (Focus::Gaps, Some(i)) => self.gap_sel = i,
                _ => {}
            },
            _ => {}
        }
    }

    /// The compact layout's tab labels, each with the pane it shows and its first column.
    pub fn tabs(&self) -> Vec<(String, Focus, u16)> {
        let mut x = 0u16;
        [
            (Cmd::FocusNeeds, "Needs", Focus::Needs),
            (Cmd::FocusMappings, "Mappings", Focus::Mappings),
            (Cmd::FocusGaps, "Gaps", Focus::Gaps),
        ]
        .into_iter()
        .map(|(cmd, name, focus)| {
            let keys = self.keymap.keys_for(Context::Global, cmd);
            let label = match keys.first() {
                Some(k) => format!(" {k} {name} "),
                None => format!(" {name} "),
            };
            let at = x;
            x += label.chars().count() as u16 + 1;
            (label, focus, at)
        })
        .collect()
    }
}

/// A help or message overlay after `cmd`: its new scroll, or `None` when it closes.
pub(super) fn scroll_overlay(cmd: Option<Cmd>, scroll: usize) -> Option<usize> {
    Some(match cmd {
        Some(Cmd::Cancel) => return None,
        Some(Cmd::Down) => scroll + 1,
        Some(Cmd::Up) => scroll.saturating_sub(1),
        Some(Cmd::PageDown) => scroll + 10,
        Some(Cmd::PageUp) => scroll.saturating_sub(10),
        Some(Cmd::Top) => 0,
        _ => scroll,
    })
}
