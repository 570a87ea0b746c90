//! Issue 26: an edit costs what it changes. On a generated design (size 0.25: 500 needs, 1,250
//! mappings), random sequences of the edits people make while they work — statuses with and
//! without a reason, a mapping's required level, a need's priority, comments, sign-offs —
//! applied through the hub: after each, the hub's gap report and lookups (updated from what the
//! edit touched) equal those derived from scratch, the gap panes' lines made from the previous
//! version's equal those made from scratch, and an edit that changes nothing makes no version.

use std::sync::{Arc, OnceLock};

use crate::generator;

use microcred::analysis::gap::analyse;
use microcred::catalog::Catalog;
use microcred::document::Hub;
use microcred::document::derived::Derived;
use microcred::edit::{Actor, Op, StatusRecord};
use microcred::model::{Comment, MappingStatus, Priority, SignOff, Workspace};
use microcred::tui::app::{gap_lines, gap_lines_after};
use proptest::prelude::*;

fn design() -> &'static (Workspace, Arc<Catalog>) {
    static DESIGN: OnceLock<(Workspace, Arc<Catalog>)> = OnceLock::new();
    DESIGN.get_or_init(|| {
        let catalog = Catalog::embedded().expect("built-in frameworks load");
        let opts = generator::Options {
            size: 0.25,
            seed: 7,
            files_only: false,
        };
        let ws = generator::generate(&catalog, &opts).workspace;
        (ws, Arc::new(catalog))
    })
}

/// One edit, by the index of the mapping or need it picks (taken modulo their number).
#[derive(Debug, Clone)]
enum Edit {
    Status(usize, u8, bool),
    Again(usize),
    Level(usize, Option<u32>),
    Priority(usize, u8),
    Comment(usize),
    SignOff(usize),
    Pair(usize, usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), 0u8..4, any::<bool>()).prop_map(|(i, s, r)| Edit::Status(i, s, r)),
        1 => any::<usize>().prop_map(Edit::Again),
        2 => (any::<usize>(), proptest::option::of(1u32..5)).prop_map(|(i, l)| Edit::Level(i, l)),
        2 => (any::<usize>(), 0u8..3).prop_map(|(i, p)| Edit::Priority(i, p)),
        1 => any::<usize>().prop_map(Edit::Comment),
        1 => any::<usize>().prop_map(Edit::SignOff),
        1 => (any::<usize>(), any::<usize>(), 0u8..4).prop_map(|(i, j, s)| Edit::Pair(i, j, s)),
    ]
}

const STATUSES: [MappingStatus; 4] = [
    MappingStatus::Agreed,
    MappingStatus::Proposed,
    MappingStatus::Disputed,
    MappingStatus::Rejected,
];

fn status_op(ws: &Workspace, i: usize, s: u8, reason: bool) -> Op {
    let m = &ws.mappings[i % ws.mappings.len()];
    Op::SetMappingStatus {
        need: m.need.clone(),
        competency: m.competency.clone(),
        status: STATUSES[s as usize % 4],
        agreed_by: None,
        reason: reason.then(|| "a reason".to_string()),
        record: None,
    }
}

fn op_of(ws: &Workspace, e: &Edit) -> Op {
    match *e {
        Edit::Status(i, s, r) => status_op(ws, i, s, r),
        Edit::Again(i) => {
            let m = &ws.mappings[i % ws.mappings.len()];
            Op::SetMappingStatus {
                need: m.need.clone(),
                competency: m.competency.clone(),
                status: m.status,
                agreed_by: m.agreed_by.clone(),
                reason: None,
                record: Some(StatusRecord {
                    by: m.status_by.clone(),
                    at: m.status_at.clone(),
                }),
            }
        }
        Edit::Level(i, level) => {
            let m = &ws.mappings[i % ws.mappings.len()];
            Op::UpdateMapping {
                need: m.need.clone(),
                competency: m.competency.clone(),
                mapping: microcred::model::Mapping {
                    required_level: level,
                    ..m.clone()
                },
            }
        }
        Edit::Priority(i, p) => {
            let n = &ws.needs[i % ws.needs.len()];
            Op::UpdateNeed {
                id: n.id.clone(),
                need: microcred::model::Need {
                    priority: [Priority::Must, Priority::Should, Priority::Could][p as usize % 3],
                    ..n.clone()
                },
            }
        }
        Edit::Comment(i) => {
            let m = &ws.mappings[i % ws.mappings.len()];
            Op::AddComment {
                need: m.need.clone(),
                competency: m.competency.clone(),
                at: 0,
                comment: Comment {
                    by: "dee".into(),
                    at: "2026-12-05T10:00:00Z".into(),
                    text: "Seen.".into(),
                },
            }
        }
        Edit::SignOff(i) => {
            let p = &ws.partners[i % ws.partners.len()];
            Op::SetSignOff {
                person: "sam".into(),
                partner: p.id.clone(),
                sign_off: Some(SignOff {
                    person: "sam".into(),
                    partner: p.id.clone(),
                    at: "2026-12-05T10:00:00Z".into(),
                    design: microcred::model::signoff::design_hash(ws),
                    key: None,
                }),
                signing: true,
                at: None,
            }
        }
        Edit::Pair(i, j, s) => Op::Batch {
            ops: vec![status_op(ws, i, s, false), status_op(ws, j, s + 1, true)],
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_hubs_updated_report_equals_the_one_from_scratch(
        edits in proptest::collection::vec(edit(), 1..30),
    ) {
        let (ws, cat) = design();
        let hub = Hub::new(ws.clone(), cat.clone(), None);
        let dee = Actor::designer("dee");
        let today = "2026-12-05";
        let first = hub.snapshot();
        let mut lines = gap_lines_after(None, &first.ws, &first.derived, cat, &first.report, today);
        // Every third edit, an old version is held (as a session behind would): the hub then
        // cannot use its spare copy.
        let mut held = None;
        for (k, e) in edits.iter().enumerate() {
            let before = hub.snapshot();
            if k % 3 == 0 {
                held = Some(before.clone());
            } else if k % 3 == 2 {
                held = None;
            }
            let op = op_of(&before.ws, e);
            // The op applied directly to the version before: the hub's document (made on its
            // spare copy caught up by replaying, or on a copy) must be this one, times of
            // stamps aside.
            let mut shadow = (*before.ws).clone();
            let direct = microcred::edit::apply(&mut shadow, cat, &dee, op.clone());
            if hub.apply(&dee, op.clone()).is_err() {
                // Refused (a level off the framework's scale): nothing changed.
                prop_assert!(direct.is_err());
                prop_assert_eq!(hub.version(), before.version);
                continue;
            }
            let now = hub.snapshot();
            prop_assert_eq!(unstamped(&now.ws), unstamped(&shadow), "the document after {:?}", op);
            let changed = *now.ws != *before.ws;
            prop_assert_eq!(now.version != before.version, changed, "a version iff a change: {:?}", op);
            let scratch = analyse(&now.ws);
            prop_assert_eq!(&*now.report, &scratch, "report after {:?}", op);
            prop_assert_eq!(&*now.derived, &Derived::new(&now.ws, &scratch), "lookups after {:?}", op);
            let next = gap_lines_after(Some(&lines), &now.ws, &now.derived, cat, &now.report, today);
            prop_assert_eq!(
                &*next.lines,
                &gap_lines(&now.ws, &now.derived, cat, &now.report, today),
                "gap lines after {:?}", op
            );
            lines = next;
        }
        drop(held);
    }
}

/// `ws` without the times that stamps give (status changes and their reasons' comments).
fn unstamped(ws: &Workspace) -> Workspace {
    let mut ws = ws.clone();
    for m in &mut ws.mappings {
        m.status_at = None;
        for c in &mut m.comments {
            c.at.clear();
        }
    }
    ws
}

/// What a frame of the main screen shows and where a click lands, on the generated design
/// (500 needs, hundreds of gap lines: lists far longer than the screen) at 200×60, for
/// selections at the ends and in the middle of both lists: the needs' and gap list's item at
/// each row of their panes, and a digest of the screen's text. The frame lays out only the rows
/// near the selection; this is what it showed and hit when it laid out every row.
#[test]
fn a_frame_of_long_lists_shows_and_hits_what_the_whole_lists_give() {
    use microcred::tui::layout::Focus;
    use ratatui::{Terminal, backend::TestBackend};
    let (ws, cat) = design();
    let hub = Hub::new(ws.clone(), cat.clone(), None);
    let mut app = microcred::tui::app::App::with_hub(hub, Actor::designer("dee"))
        .with_clock("2026-12-05T10:00:00Z");
    app.size = (200, 60);
    let needs = app.need_order().len();
    let gaps = app.gap_lines.len();
    assert!(needs > 300 && gaps > 300, "{needs} needs, {gaps} gap lines");
    let mut out = String::new();
    let cases = [0, 1, 29, 30, 31, 250, needs - 31, needs - 2, needs - 1];
    for (k, &sel) in cases.iter().enumerate() {
        app.need_sel = sel;
        app.gap_sel = sel.min(gaps - 1) + k % 3;
        app.focus = [Focus::Needs, Focus::Gaps][k % 2];
        let mut term = Terminal::new(TestBackend::new(200, 60)).expect("backend");
        let mut hits = None;
        term.draw(|f| hits = Some(microcred::tui::view::render(f, &app)))
            .expect("draw");
        let hits = hits.expect("a hit map");
        let a = app.areas();
        let items = |x: u16| {
            (0..60u16)
                .map(|y| match hits.at(x, y) {
                    Some((_, Some(i))) => i.to_string(),
                    Some((_, None)) => "-".into(),
                    None => ".".into(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        // FNV-1a over the screen's symbols: the same text, the same digest.
        let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
        for c in term.backend().buffer().content() {
            for b in c.symbol().bytes() {
                digest = (digest ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        out.push_str(&format!(
            "need {sel}, gap {}, {:?}: screen {digest:016x}\n  needs: {}\n  gaps: {}\n",
            app.gap_sel,
            app.focus,
            items(a.needs.x + 1),
            items(a.gaps.x + 1)
        ));
    }
    insta::assert_snapshot!(out);
}
