//! Keypress to frame in the portfolio view (issue 31; target p95 ≤ 16 ms): `PortfolioApp::handle`
//! for one key plus a full render of the matrix, the tree and the findings to a 200×60
//! TestBackend, on a large portfolio held in memory: 200 credentials of 40 competencies
//! each, 10 of them from a pool of 50 shared ones (8,050 columns), ten stacks of five.
//!
//! `cargo bench --bench portfolio_tui`. Prints the time to derive the view once (per
//! portfolio version) and the keypress-to-frame distribution over a scripted session: moving
//! through the matrix cell by cell, by pages, to its ends, and through the other panes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use microcred::analysis::portfolio::{MemberState, analyse};
use microcred::catalog::Catalog;
use microcred::document::portfolio::LoadedPortfolio;
use microcred::edit::Role;
use microcred::model::portfolio::{Condition, Member, Portfolio, Required, Stack, Target};
use microcred::tui::app::portfolio::PortfolioApp;
use microcred::tui::portfolio::PortfolioSheet;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const CREDENTIALS: usize = 200;
const OWN: usize = 40;
const SHARED: usize = 10;
const POOL: usize = 50;

fn portfolio(cat: &Catalog) -> LoadedPortfolio {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/portfolio");
    let base = microcred::document::load_workspace(&dir.join("heat-pump-fundamentals.yaml"), cat)
        .expect("example")
        .workspace;
    let template = base.competencies[0].clone();
    let mut members = Vec::new();
    let mut credentials = Vec::new();
    for i in 0..CREDENTIALS {
        let mut ws = base.clone();
        ws.mappings.clear();
        let own = (0..OWN).map(|j| format!("x:C{i}-{j}"));
        let shared = (0..SHARED).map(|j| format!("x:S{}", (i * 7 + j) % POOL));
        ws.competencies = own
            .chain(shared)
            .enumerate()
            .map(|(j, r)| {
                let mut c = template.clone();
                c.reference = r;
                c.target_level = (j % 4) as u32 + 1;
                c
            })
            .collect();
        ws.credential.title = Some(format!("Credential {i}"));
        members.push(MemberState::Loaded(Box::new(ws)));
        credentials.push(Member {
            id: format!("c{i}"),
            path: format!("c{i}.yaml"),
            stable_id: None,
        });
    }
    let stacks = (0..10)
        .map(|s| Stack {
            id: format!("s{s}"),
            title: format!("Stack {s}"),
            kind: None,
            serves: Vec::new(),
            requires: Condition {
                need: Required::Count(4),
                min_hours: None,
                min_credits: None,
                of: (0..5)
                    .map(|k| Target::Id(format!("c{}", s * 5 + k)))
                    .collect(),
            },
        })
        .collect();
    let portfolio = Portfolio {
        schema: "microcred/portfolio@1".into(),
        id: None,
        title: Some("Large".into()),
        homepage: None,
        credentials,
        stacks,
        pathways: Vec::new(),
    };
    LoadedPortfolio { portfolio, members }
}

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
    let loaded = portfolio(&cat);
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
