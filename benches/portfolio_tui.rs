//! Keypress to frame in the portfolio view (issue 31; target p95 ≤ 16 ms): `PortfolioApp::handle`
//! for one key plus a full render of the matrix, the tree and the findings to a 200×60
//! TestBackend, on a large portfolio held in memory: 200 credentials of 40 competencies
//! each, 10 of them from a pool of 50 shared ones (8,050 columns), ten stacks of five.
//!
//! `cargo bench --bench portfolio_tui`. Prints the time to derive the view once (per
//! portfolio version) and the keypress-to-frame distribution over a scripted session: moving
//! through the matrix cell by cell, by pages, to its ends, and through the other panes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use microcred::analysis::portfolio::analyse;
use microcred::catalog::Catalog;
use microcred::edit::Role;
use microcred::tui::app::portfolio::PortfolioApp;
use microcred::tui::portfolio::PortfolioSheet;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../tests/it/common/portfolio.rs"]
mod large;

const CREDENTIALS: usize = 200;
const OWN: usize = 40;
const SHARED: usize = 10;
const POOL: usize = 50;

fn spread(times: &mut [Duration]) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    format!(
        "p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3
    )
}

fn main() {
    let cat = Catalog::embedded().expect("built-in frameworks");
    let loaded = large::large(&cat, CREDENTIALS, OWN, SHARED, POOL);
    let t = Instant::now();
    let report = analyse(&loaded.portfolio, &loaded.members);
    let analysed = t.elapsed();
    let t = Instant::now();
    let sheet = PortfolioSheet::new(PathBuf::from("large.yaml"), &loaded, report, &cat);
    let derived = t.elapsed();
    let columns = sheet.columns.len();
    let mut app = PortfolioApp::new(Arc::new(sheet), Role::Designer);
    app.size = (200, 60);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let mut keys = Vec::new();
    for round in 0..5 {
        keys.extend(std::iter::repeat_n(KeyCode::Right, 60));
        keys.extend(std::iter::repeat_n(KeyCode::Down, 60));
        keys.extend([KeyCode::PageDown; 4]);
        keys.extend([KeyCode::End, KeyCode::Home, KeyCode::Char('G')]);
        keys.extend(std::iter::repeat_n(KeyCode::Left, 20));
        keys.extend(std::iter::repeat_n(KeyCode::Up, 20));
        keys.extend([KeyCode::Tab, KeyCode::PageDown, KeyCode::Down, KeyCode::Tab]);
        keys.extend([KeyCode::Down, KeyCode::Down, KeyCode::Tab]);
        if round % 2 == 1 {
            keys.push(KeyCode::Char('g'));
        }
    }
    let mut times = Vec::with_capacity(keys.len());
    for k in keys {
        let t = Instant::now();
        let _ = app.handle(Event::Key(KeyEvent::new(k, KeyModifiers::NONE)));
        term.draw(|f| microcred::tui::view::render_portfolio(f, &app))
            .expect("draw");
        times.push(t.elapsed());
    }
    println!(
        "portfolio of {CREDENTIALS} credentials, {columns} competencies: analysed in {:.0} ms, \
         view derived in {:.0} ms (once per version)",
        analysed.as_secs_f64() * 1e3,
        derived.as_secs_f64() * 1e3
    );
    println!(
        "keypress to frame in the portfolio view at 200×60 over {} keys: {}",
        times.len(),
        spread(&mut times)
    );
}
