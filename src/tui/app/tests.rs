//! Each feature's update tested directly: a command (or key) given to the feature's handler,
//! the state it leaves, without key sequences through the whole app.

use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::tui::demand::DemandView;
use crate::tui::history::HistoryView;
use crate::tui::vote::VoteView;
use crossterm::event::KeyEvent;

const CLOCK: &str = "2026-11-28T10:00:00Z";

/// A session of `actor` over `examples/NAME` with the built-in frameworks and a fixed clock.
fn session(name: &str, actor: Actor) -> App {
    let cat = Catalog::embedded().expect("the built-in frameworks");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let ws = crate::document::load_workspace(&path, &cat)
        .expect("the example loads")
        .workspace;
    App::new(ws, Arc::new(cat), None, actor).with_clock(CLOCK)
}

fn designer() -> App {
    session("retrofit-gaps.yaml", Actor::designer("dee"))
}

fn partner_of(app: &App) -> Actor {
    Actor {
        name: "pat".into(),
        role: Role::Partner(app.ws.partners[0].id.clone()),
    }
}

fn press(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// Open a vote over every need, 3 dots each, the tally shown.
fn open_vote(app: &mut App) {
    let vote = Vote {
        opened_by: "dee".into(),
        opened_at: CLOCK.into(),
        dots: 3,
        over: VoteOver::Needs,
        candidates: Vec::new(),
        partner: None,
        hidden: false,
        closed_by: None,
        closed_at: None,
        ballots: Vec::new(),
    };
    assert!(app.apply(
        Op::OpenVote {
            vote: Box::new(vote)
        },
        ""
    ));
}

fn stays(flow: Flow) -> bool {
    matches!(flow, Flow::Stay)
}

// ----- vote ---------------------------------------------------------------------------------

#[test]
fn the_vote_view_moves_within_its_rows_and_stays_open() {
    let mut app = designer();
    let rows = app.vote_sheet().len();
    assert!(rows > 1, "the example has needs to vote on");
    let mut view = VoteView::default();
    assert!(stays(app.vote_cmd(&mut view, Cmd::Down)));
    assert_eq!(view.sel, 1);
    view.sel = rows - 1;
    assert!(stays(app.vote_cmd(&mut view, Cmd::Down)));
    assert_eq!(view.sel, rows - 1, "never past the last row");
}

#[test]
fn a_dot_without_an_open_vote_is_refused_and_nothing_changes() {
    let mut app = designer();
    let version = app.version;
    assert!(stays(app.vote_cmd(&mut VoteView::default(), Cmd::PlaceDot)));
    assert!(app.status.error);
    assert!(
        app.status.text.contains("No vote is open"),
        "{}",
        app.status.text
    );
    assert_eq!(app.hub.version(), version);
}

#[test]
fn a_partner_places_and_removes_a_dot_on_the_selected_row() {
    let mut dee = designer();
    open_vote(&mut dee);
    let actor = partner_of(&dee);
    let org = match &actor.role {
        Role::Partner(o) => o.clone(),
        _ => unreachable!(),
    };
    let mut pat = App::with_hub(dee.hub.clone(), actor).with_clock(CLOCK);
    let (need, _) = pat.vote_sheet().target(&pat.ws, 0).expect("a first row");
    let mut view = VoteView::default();
    assert!(stays(pat.vote_cmd(&mut view, Cmd::PlaceDot)));
    assert!(!pat.status.error, "{}", pat.status.text);
    let dots = &pat.ws.votes.last().expect("the vote").ballots;
    assert!(
        dots.iter()
            .any(|d| d.need == need && d.partner == org && d.person == "pat"),
        "{dots:?}"
    );
    assert!(stays(pat.vote_cmd(&mut view, Cmd::RemoveDot)));
    assert!(pat.ws.votes.last().expect("the vote").ballots.is_empty());
}

#[test]
fn closing_the_vote_then_applying_it_without_dots_changes_nothing() {
    let mut app = designer();
    open_vote(&mut app);
    let mut view = VoteView::default();
    assert!(stays(app.vote_cmd(&mut view, Cmd::CloseVote)));
    assert!(!app.ws.votes.last().expect("the vote").is_open());
    let version = app.hub.version();
    // No dots were placed: nothing to set, said so, no question, and the view stays.
    assert!(stays(app.vote_cmd(&mut view, Cmd::ApplyVote)));
    assert!(
        app.status.text.contains("No dots were placed"),
        "{}",
        app.status.text
    );
    assert!(app.front().is_none());
    assert_eq!(app.hub.version(), version);
}

#[test]
fn the_vote_form_opens_over_the_vote_view_which_comes_back_after_it() {
    let mut app = designer();
    app.push_layer(Modal::Vote(VoteView::default()));
    app.handle(Event::Key(press('o')));
    assert!(matches!(app.layers(), [Modal::Vote(_), Modal::Form(_)]));
    app.handle(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(
        matches!(app.layers(), [Modal::Vote(_)]),
        "back to the vote view"
    );
    app.handle(Event::Key(press('o')));
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    assert!(app.ws.votes.last().is_some_and(|v| v.is_open()));
    assert!(
        matches!(app.layers(), [Modal::Vote(_)]),
        "one vote view, not two"
    );
}

// ----- demand -------------------------------------------------------------------------------

#[test]
fn the_demand_view_without_postings_has_nothing_to_turn_into_a_need() {
    let mut app = designer();
    let mut view = DemandView::default();
    assert!(stays(app.demand_cmd(&mut view, Cmd::NeedFromDemand)));
    assert!(app.status.error);
    assert!(
        app.status.text.contains("Nothing is selected"),
        "{}",
        app.status.text
    );
    assert!(stays(app.demand_cmd(&mut view, Cmd::OnlyUncovered)));
    assert!(view.only_uncovered && view.sel == 0);
}

#[test]
fn adding_postings_over_ssh_is_refused_before_the_form() {
    let mut app = designer();
    app.session.key = Some("SHA256:test".into());
    assert!(stays(
        app.demand_cmd(&mut DemandView::default(), Cmd::AddPostings)
    ));
    assert!(app.status.error);
    assert!(app.status.text.contains("Over SSH"), "{}", app.status.text);
    assert!(app.front().is_none());
    app.session.key = None;
    let flow = app.demand_cmd(&mut DemandView::default(), Cmd::AddPostings);
    assert!(matches!(flow, Flow::Close(None)));
    assert!(matches!(app.front(), Some(Modal::Form(_))));
}

// ----- history ------------------------------------------------------------------------------

#[test]
fn the_history_of_a_file_outside_git_has_no_commit_to_open_and_closes_on_esc() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("design.yaml");
    std::fs::write(&path, "x").expect("writes");
    let mut app = designer();
    let mut h = HistoryView::read_now(&path);
    assert!(h.rows.is_empty());
    assert!(stays(app.history_key(&mut h, Some(Cmd::Submit))));
    assert_eq!(h.detail, None, "no commit to show");
    assert!(stays(app.history_key(&mut h, Some(Cmd::Down))));
    assert_eq!(h.sel, 0);
    assert!(matches!(
        app.history_key(&mut h, Some(Cmd::Cancel)),
        Flow::Close(None)
    ));
}

#[test]
fn opening_the_history_leaves_reading_git_to_the_host() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("design.yaml");
    std::fs::write(&path, "x").expect("writes");
    let mut app = designer();
    app.path = Some(path.clone());
    let effect = app.run(Cmd::History);
    assert!(matches!(&effect, Some(Effect::ReadHistory(p)) if *p == path));
    match app.front() {
        Some(Modal::History(h)) => assert!(h.loading && h.rows.is_empty() && h.note.is_none()),
        _ => panic!("the history view is in front, waiting"),
    }
    // The host starts the reading; the view then learns the file is not in a repository.
    app.start_history(&path);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let Some(Modal::History(h)) = app.layers.last_mut() else {
            panic!("the view stays in front")
        };
        h.poll();
        if !h.loading {
            assert!(h.rows.is_empty());
            assert!(h.note.is_some() || h.error.is_some());
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the reading ends");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn a_design_without_a_file_has_no_history() {
    let mut app = designer();
    app.open_history();
    assert!(app.front().is_none());
    assert!(
        app.status.text.contains("no file yet"),
        "{}",
        app.status.text
    );
}

// ----- lists --------------------------------------------------------------------------------

#[test]
fn the_partner_list_moves_and_edits_the_selected_partner() {
    let mut app = designer();
    assert!(app.ws.partners.len() > 1);
    let mut sel = 0;
    assert!(stays(app.partners_key(&mut sel, Some(Cmd::Down))));
    assert_eq!(sel, 1);
    assert!(matches!(
        app.partners_key(&mut sel, Some(Cmd::EditPartner)),
        Flow::Close(None)
    ));
    assert!(
        matches!(app.front(), Some(Modal::Form(_))),
        "{:?}",
        app.status
    );
}

#[test]
fn a_partner_may_not_delete_partners_from_the_list() {
    let dee = designer();
    let mut pat = App::with_hub(dee.hub.clone(), partner_of(&dee)).with_clock(CLOCK);
    // The role check of every layer, before the list's own handler.
    pat.push_layer(Modal::Partners(0));
    pat.handle(Event::Key(press('d')));
    assert!(pat.status.error, "{}", pat.status.text);
    assert!(matches!(pat.layers(), [Modal::Partners(0)]), "no question");
    assert_eq!(pat.ws.partners.len(), dee.ws.partners.len());
}

#[test]
fn a_change_is_in_the_activity_feed_and_enter_goes_to_it() {
    let mut app = designer();
    app.open_activity();
    assert!(app.front().is_none(), "nothing happened yet");
    let need = app.ws.needs[app.need_order()[1]].clone();
    let op = Op::UpdateNeed {
        id: need.id.clone(),
        need: Need {
            statement: format!("{} (revised)", need.statement),
            ..need.clone()
        },
    };
    assert!(app.apply(op, ""));
    app.open_activity();
    assert!(matches!(app.front(), Some(Modal::Activity(0))));
    app.close_layers();
    app.need_sel = 0;
    let flow = app.activity_key(&mut 0, Some(Cmd::Submit));
    assert!(matches!(flow, Flow::Close(None)));
    assert_eq!(
        app.selected_need().map(|n| n.id.as_str()),
        Some(need.id.as_str())
    );
}

// ----- dispatch: every event a command to the front layer -----------------------------------

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn mouse_paste_and_size_stand_for_commands() {
    let app = designer();
    let at = |kind| match mouse(kind, 3, 4) {
        Event::Mouse(m) => dispatch::Input::Mouse(m),
        _ => unreachable!("a mouse event"),
    };
    let cmd = |i: &dispatch::Input| app.command(Context::Needs, i);
    assert_eq!(cmd(&at(MouseEventKind::ScrollDown)), Some(Cmd::Down));
    assert_eq!(cmd(&at(MouseEventKind::ScrollUp)), Some(Cmd::Up));
    assert_eq!(
        cmd(&at(MouseEventKind::Down(MouseButton::Left))),
        Some(Cmd::Click)
    );
    assert_eq!(cmd(&at(MouseEventKind::Moved)), None);
    assert_eq!(
        cmd(&dispatch::Input::Paste("x".into(), 0)),
        Some(Cmd::Paste)
    );
    assert_eq!(cmd(&dispatch::Input::Size(80, 24)), Some(Cmd::Resize));
    // No key binds an event's command, and a keymap file cannot.
    for c in Cmd::EVENTS {
        assert!(c.is_event() && !Cmd::ALL.contains(c), "{c:?}");
        assert_eq!(Cmd::from_name(c.name()), None, "{c:?}");
    }
    let bad = "bindings:\n  - key: f5\n    command: paste\n";
    assert!(crate::tui::keys::Keymap::parse(bad, "keys.yaml").is_err());
}

#[test]
fn the_wheel_moves_the_list_in_front_as_the_arrow_keys_do() {
    let mut app = designer();
    assert!(app.ws.partners.len() > 1);
    app.push_layer(Modal::Partners(0));
    app.handle(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert!(
        matches!(app.layers(), [Modal::Partners(1)]),
        "{:?}",
        app.layers().len()
    );
    app.handle(mouse(MouseEventKind::ScrollUp, 10, 10));
    assert!(matches!(app.layers(), [Modal::Partners(0)]));
    // A click or a new size leaves the list as it was, and the size is the screen's.
    app.handle(mouse(MouseEventKind::Down(MouseButton::Left), 10, 10));
    app.handle(Event::Resize(100, 30));
    assert!(matches!(app.layers(), [Modal::Partners(0)]));
    assert_eq!(app.size, (100, 30));
}

#[test]
fn a_paste_goes_to_the_field_in_front_and_nowhere_else() {
    let mut app = designer();
    let before = app.ws.clone();
    app.handle(Event::Paste("ignored".into()));
    assert!(
        app.front().is_none() && app.ws == before,
        "no field, no change"
    );
    app.run(Cmd::Search);
    app.handle(Event::Paste("heat pump".into()));
    match app.front() {
        Some(Modal::Finder(f)) => assert_eq!(f.input.value(), "heat pump"),
        _ => panic!("the finder stays in front"),
    }
    // A paste cut on the way (by the server) says how much was left out.
    app.paste_cut(" more", 10);
    assert!(app.status.error, "{}", app.status.text);
}

#[test]
fn a_click_on_a_need_selects_it_and_the_wheel_over_a_pane_focuses_it() {
    let mut app = designer();
    app.size = (120, 40);
    let map = app.hit_map();
    let (col, row) = (0..40u16)
        .flat_map(|r| (0..120u16).map(move |c| (c, r)))
        .find(|&(c, r)| map.at(c, r) == Some((Focus::Needs, Some(2))))
        .expect("the third need is on screen");
    app.handle(mouse(MouseEventKind::Down(MouseButton::Left), col, row));
    assert_eq!((app.focus, app.need_sel), (Focus::Needs, 2));
    app.focus = Focus::Gaps;
    app.handle(mouse(MouseEventKind::ScrollDown, col, row));
    assert_eq!((app.focus, app.need_sel), (Focus::Needs, 3));
}

#[test]
fn a_click_on_a_compact_tab_shows_its_pane_from_the_matrix_too() {
    let mut app = designer();
    app.size = (80, 24);
    let a = app.areas();
    assert!(a.compact, "80x24 is the compact layout");
    let (label, focus, at) = app
        .tabs()
        .into_iter()
        .find(|(_, f, _)| *f == Focus::Gaps)
        .expect("a gaps tab");
    app.run(Cmd::Matrix);
    assert_eq!(app.view, View::Matrix);
    let column = a.tabs.x + at + label.chars().count() as u16 / 2;
    app.handle(mouse(
        MouseEventKind::Down(MouseButton::Left),
        column,
        a.tabs.y,
    ));
    assert_eq!((app.view, app.focus), (View::Main, focus));
}

// ----- effects: what touches files is left to the host -------------------------------------

#[test]
fn quitting_without_saving_leaves_discarding_the_journal_to_the_host() {
    let mut app = designer();
    assert_eq!(app.run(Cmd::ForceQuit), Some(Effect::DiscardAndQuit));
    app.session.autosaved = true;
    assert_eq!(app.run(Cmd::ForceQuit), Some(Effect::Quit));
}

#[test]
fn a_journal_is_recovered_or_discarded_by_the_host() {
    let mut app = designer();
    // No changes: nothing to ask, the host discards it.
    let found = journal::Found::default();
    let effect = app.offer_recovery(found.clone());
    assert_eq!(
        effect,
        Some(Effect::Recover(
            Box::new(found.clone()),
            Recovery::DiscardNoOp
        ))
    );
    assert!(app.front().is_none());
    let mut changed = found.clone();
    changed.file_changed = true;
    let answer = |app: &mut App, f: &journal::Found, a| match app.recovery_answer(f, a) {
        Some(Effect::Recover(_, how)) => Some(how),
        Some(other) => panic!("{other:?}"),
        None => None,
    };
    assert_eq!(
        answer(&mut app, &changed, Answer::Yes),
        Some(Recovery::IntoCopy)
    );
    assert_eq!(
        answer(&mut app, &found, Answer::Yes),
        Some(Recovery::IntoDocument)
    );
    assert_eq!(
        answer(&mut app, &found, Answer::No),
        Some(Recovery::Discard)
    );
    assert_eq!(
        app.recovery_answer(&found, Answer::Cancel),
        Some(Effect::Quit)
    );
    // What the host did, in words.
    app.recovered(&found, Recovery::Discard, Ok(Recovered::Discarded));
    assert_eq!(app.status.text, "Discarded 0 unsaved change(s).");
    app.recovered(&changed, Recovery::IntoCopy, Err("disk full".into()));
    assert!(app.status.error && app.status.text.contains("disk full"));
}

/// The needs pane's rows are shared with the version before when a change keeps the order of
/// needs (a need's text, a mapping's status) and made again when it does not (a need moved to
/// another partner, a new partner): either way equal to rows made from scratch.
#[test]
fn need_rows_are_shared_only_while_the_order_holds() {
    let mut app = designer();
    let dee = Actor::designer("dee");
    let first = app.need_rows();
    assert_eq!(*first, app.make_need_rows());
    let mut need = app.ws.needs[0].clone();
    need.statement.push_str(" Also on site.");
    let id = need.id.clone();
    app.hub
        .apply(
            &dee,
            Op::UpdateNeed {
                id: id.clone(),
                need: need.clone(),
            },
        )
        .expect("the need's text changes");
    app.sync();
    let text = app.need_rows();
    assert!(Arc::ptr_eq(&first, &text), "a need's text keeps the rows");
    assert_eq!(*text, app.make_need_rows());
    let other = app
        .ws
        .partners
        .iter()
        .find(|p| p.id != need.partner)
        .expect("a second partner")
        .id
        .clone();
    need.partner = other;
    app.hub
        .apply(&dee, Op::UpdateNeed { id, need })
        .expect("the need moves to another partner");
    app.sync();
    let moved = app.need_rows();
    assert!(!Arc::ptr_eq(&text, &moved));
    assert_eq!(*moved, app.make_need_rows());
    assert_ne!(*moved, *text, "the need is under its new partner");
    let mut partner = app.ws.partners[0].clone();
    partner.id = "new-partner".into();
    partner.name = "New Partner".into();
    app.hub
        .apply(&dee, Op::InsertPartner { at: 0, partner })
        .expect("a partner without needs is added");
    app.sync();
    let added = app.need_rows();
    assert_eq!(*added, app.make_need_rows());
    assert!(added.contains(&NeedRow::Partner("new-partner".into())));
}

/// The credential's competency looked up in the version's index is the one the scan finds,
/// for every reference the mappings and the credential use and one it does not, also after the
/// credential's list changes.
#[test]
fn a_credential_competency_by_index_is_the_one_the_scan_finds() {
    let mut app = designer();
    let check = |app: &App| {
        let refs = app
            .ws
            .mappings
            .iter()
            .map(|m| m.competency.clone())
            .chain(app.ws.competencies.iter().map(|c| c.reference.clone()))
            .chain(["nowhere:none".to_string()]);
        for r in refs {
            assert_eq!(
                app.credential_competency(&r).map(|c| &c.reference),
                app.ws.competency(&r).map(|c| &c.reference),
                "{r}"
            );
        }
    };
    check(&app);
    assert!(!app.ws.competencies.is_empty());
    let mut ws = (*app.ws).clone();
    ws.competencies.reverse();
    let gone = ws.competencies.remove(0);
    app = App::new(ws, Arc::clone(&app.catalog), None, Actor::designer("dee"));
    check(&app);
    assert!(app.credential_competency(&gone.reference).is_none());
}

proptest::proptest! {
    /// The next mapping to review, found by walking the needs from the selection, is the one
    /// the scan of the gap report's whole list of mappings awaiting review finds (the nearest
    /// need after the selection; its first disputed mapping, else its first proposed one), for
    /// every selection and any mix of statuses.
    #[test]
    fn the_next_mapping_to_review_is_the_one_the_whole_list_gives(
        statuses in proptest::collection::vec(0u8..4, 1..200)
    ) {
        let mut app = designer();
        let mut ws = (*app.ws).clone();
        // Several mappings per need, so that which of a need's mappings comes first matters.
        let comps: Vec<String> = ws.mappings.iter().map(|m| m.competency.clone()).collect();
        let extra: Vec<_> = ws
            .mappings
            .iter()
            .flat_map(|m| {
                comps.iter().take(3).map(move |c| {
                    let mut x = m.clone();
                    x.competency = c.clone();
                    x
                })
            })
            .collect();
        ws.mappings.extend(extra);
        for (m, s) in ws.mappings.iter_mut().zip(statuses.iter().cycle()) {
            m.status = match s {
                0 => MappingStatus::Proposed,
                1 => MappingStatus::Disputed,
                2 => MappingStatus::Agreed,
                _ => MappingStatus::Rejected,
            };
        }
        app = App::new(ws, Arc::clone(&app.catalog), None, Actor::designer("dee"));
        for from in 0..=app.need_order().len() {
            let scan = app
                .report
                .awaiting_review
                .iter()
                .filter_map(|r| {
                    let pos = *app.derived.need_pos.get(&r.need)?;
                    (pos > from).then(|| (pos, r.need.clone(), r.competency.clone()))
                })
                .min_by_key(|(pos, _, _)| *pos);
            proptest::prop_assert_eq!(app.next_awaiting_after(from), scan, "from {}", from);
        }
    }
}
