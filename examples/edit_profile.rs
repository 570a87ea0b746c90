//! What one edit costs in CPU time, by stage, on a large design (issue 26): the hub's change
//! (`Hub::apply`: check, apply, derive the new version), the editor's catching up
//! (`App::sync`: gap lines and the other per-version views) and one frame at 200×60. CPU time
//! of this thread (`/proc/thread-self/schedstat`), which the machine's load distorts less than
//! wall time.
//!
//! `cargo run --release --example edit_profile -- WORKSPACE [FRAMEWORK...]` (EDITS=200)
//!
//! Each edit agrees the next mapping awaiting review, as `y` in the editor does; every fourth
//! edit puts one back to proposed, so that agreed and proposed both occur. Then the same
//! number of `y` presses go through the editor's own path (`App::handle` on the mappings pane,
//! then `view::render` with its hit map), as in a terminal but without the journal's disk
//! flush or the terminal's output.

use std::path::PathBuf;
use std::sync::Arc;

use microcred::edit::{Actor, Op};
use microcred::model::MappingStatus;
use microcred::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// CPU time this thread has run, in nanoseconds.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn spread(name: &str, v: &mut [f64]) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "{name:<28} mean {mean:7.2} ms  median {:7.2}  p95 {:7.2}  max {:7.2}",
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(ws_path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: edit_profile WORKSPACE [FRAMEWORK...]");
        std::process::exit(2);
    };
    let frameworks: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let edits: usize = std::env::var("EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let sources = microcred::catalog::Sources {
        paths: frameworks,
        ..Default::default()
    };
    let cat = Arc::new(microcred::catalog::load(&sources).expect("frameworks load"));
    let ws = microcred::document::load_workspace(&ws_path, &cat)
        .expect("design loads")
        .workspace;
    let targets: Vec<(String, String)> = ws
        .mappings
        .iter()
        .filter(|m| m.status == MappingStatus::Proposed)
        .map(|m| (m.need.clone(), m.competency.clone()))
        .take(edits)
        .collect();
    println!(
        "{}: {} needs, {} mappings; {} edits; load average {}",
        ws_path.display(),
        ws.needs.len(),
        ws.mappings.len(),
        targets.len(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    keys(
        &microcred::document::hub::Hub::new(ws.clone(), cat.clone(), None),
        edits,
    );
    let hub = microcred::document::hub::Hub::new(ws, cat, None);
    let mut app = App::with_hub(hub.clone(), Actor::designer("bench"));
    app.size = (200, 60);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    term.draw(|f| microcred::tui::view::draw(f, &app))
        .expect("draw");
    let actor = Actor::designer("bench");
    let (mut apply, mut sync, mut frame, mut total) = (vec![], vec![], vec![], vec![]);
    for (i, (need, competency)) in targets.iter().enumerate() {
        let status = if i % 4 == 3 {
            MappingStatus::Proposed
        } else {
            MappingStatus::Agreed
        };
        let op = Op::SetMappingStatus {
            need: need.clone(),
            competency: competency.clone(),
            status,
            agreed_by: None,
            reason: None,
            record: None,
        };
        let t0 = cpu_ns();
        hub.apply(&actor, op).expect("the change applies");
        let t1 = cpu_ns();
        app.sync();
        let t2 = cpu_ns();
        term.draw(|f| microcred::tui::view::draw(f, &app))
            .expect("draw");
        let t3 = cpu_ns();
        let ms = |a: u64, b: u64| (b - a) as f64 / 1e6;
        apply.push(ms(t0, t1));
        sync.push(ms(t1, t2));
        frame.push(ms(t2, t3));
        total.push(ms(t0, t3));
    }
    spread("Hub::apply (CPU)", &mut apply);
    spread("App::sync (CPU)", &mut sync);
    spread("frame 200x60 (CPU)", &mut frame);
    spread("edit to frame (CPU)", &mut total);
    stages(&hub);
}

/// `edits` presses of `y` on the mappings pane through `App::handle`, each followed by a
/// frame at 200x60 (`view::render`, as the editor's loop draws).
fn keys(hub: &std::sync::Arc<microcred::document::hub::Hub>, edits: usize) {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let press = |c: char| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let mut app = App::with_hub(hub.clone(), Actor::designer("keys"));
    app.size = (200, 60);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let mut hits = None;
    let mut draw = |app: &App, hits: &mut Option<_>| {
        term.draw(|f| *hits = Some(microcred::tui::view::render(f, app)))
            .expect("draw");
    };
    draw(&app, &mut hits);
    app.handle(press('2'));
    draw(&app, &mut hits);
    let (mut handle, mut frame) = (vec![], vec![]);
    for _ in 0..edits {
        let t0 = cpu_ns();
        app.handle(press('y'));
        let t1 = cpu_ns();
        draw(&app, &mut hits);
        let t2 = cpu_ns();
        handle.push((t1 - t0) as f64 / 1e6);
        frame.push((t2 - t1) as f64 / 1e6);
    }
    app.hits = hits;
    println!("`y` through the editor ({}):", app.status.text);
    spread("App::handle (CPU)", &mut handle);
    spread("view::render 200x60 (CPU)", &mut frame);
}

/// The mean CPU time of ten runs of `f`, in ms (the thread's CPU time is counted in ticks:
/// the mean of ten runs is finer than one run).
fn least<T>(mut f: impl FnMut() -> T) -> f64 {
    let t = cpu_ns();
    for _ in 0..10 {
        std::hint::black_box(f());
    }
    (cpu_ns() - t) as f64 / 1e7
}

/// What each whole-document step would cost once, on the last version.
fn stages(hub: &microcred::document::hub::Hub) {
    let snap = hub.snapshot();
    let ws = &*snap.ws;
    let copy = ws.clone();
    let report = microcred::analysis::gap::analyse(ws);
    let derived = microcred::document::derived::Derived::new(ws, &report);
    println!("whole-document steps, mean CPU time of ten runs:");
    let steps: [(&str, f64); 7] = [
        ("clone the workspace", least(|| ws.clone())),
        ("compare two workspaces", least(|| copy == *ws)),
        (
            "gap analysis",
            least(|| microcred::analysis::gap::analyse(ws)),
        ),
        (
            "Derived::new",
            least(|| microcred::document::derived::Derived::new(ws, &report)),
        ),
        (
            "gap lines",
            least(|| {
                microcred::tui::app::gap_lines(ws, &derived, hub.catalog(), &report, "2026-12-05")
            }),
        ),
        (
            "demand sheet",
            least(|| microcred::tui::demand::DemandSheet::new(ws, &report)),
        ),
        ("clone the report", least(|| report.clone())),
    ];
    for (name, ms) in steps {
        println!("  {name:<26} {ms:7.2} ms");
    }
}
