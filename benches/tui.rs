//! Keypress to frame in the editor: `App::handle` for one key plus a full render to a
//! 120×40 TestBackend, with the ESCO framework loaded (when `../shared/data` is there) and the
//! gaps example open. Target: p95 ≤ 16 ms.
//!
//! `cargo bench --bench tui`. Prints the per-keypress distribution over a scripted session:
//! moving through needs and panes, typing a query into the finder one character at a time
//! (search narrows; each keystroke's first response), opening and closing forms, zooming a
//! pane and typing into a multi-line comment field.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[path = "../examples/gen_design/lib.rs"]
#[allow(dead_code)]
mod generator;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use microcred::catalog::Catalog;
use microcred::edit::Actor;
use microcred::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SKILLS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/esco-v1.1.1/skills_en.csv"
);

fn catalog() -> Catalog {
    let mut frameworks: Vec<_> = Catalog::embedded()
        .expect("built-in")
        .entries()
        .iter()
        .map(|e| e.framework.clone())
        .collect();
    match std::fs::read(SKILLS) {
        Ok(bytes) => {
            let esco =
                microcred::import::esco::import(&bytes, SKILLS, &Default::default(), &mut |_| {})
                    .expect("ESCO imports");
            frameworks.push(esco);
        }
        Err(_) => {
            eprintln!("note: {SKILLS} not found; measuring with the built-in frameworks only")
        }
    }
    Catalog::from_frameworks(frameworks)
}

fn app(cat: Arc<Catalog>) -> App {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml");
    let ws = microcred::document::load_workspace(&path, &cat)
        .expect("example loads")
        .workspace;
    // The editor builds the search index and the suggester in the background when it starts
    // (`Hub::prepare_in_background`); a user who opens the finder after that finds them ready.
    let hub = microcred::document::hub::Hub::new(ws, cat, None);
    let t = std::time::Instant::now();
    hub.search_index();
    hub.suggester();
    eprintln!(
        "indexes built (in the background in the editor) in {:?}",
        t.elapsed()
    );
    let mut a = App::with_hub(hub, Actor::designer("bench"));
    a.size = (120, 40);
    a
}

fn press(a: &mut App, code: KeyCode) {
    let _ = a.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// A scripted session: one key at a time.
fn script() -> Vec<KeyCode> {
    let mut keys = vec![KeyCode::Char('j'); 6];
    keys.extend([
        KeyCode::Tab,
        KeyCode::Char('j'),
        KeyCode::Tab,
        KeyCode::Char('j'),
        KeyCode::Char('j'),
        KeyCode::BackTab,
        KeyCode::BackTab,
    ]);
    keys.push(KeyCode::Char('m'));
    keys.extend("data analysis".chars().map(KeyCode::Char));
    keys.extend([
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Esc,
        KeyCode::Char('C'),
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Esc,
        KeyCode::Char('M'),
        KeyCode::Right,
        KeyCode::Char('M'),
    ]);
    // Long text: zoom the mappings pane and back, and write a comment in its multi-line field.
    keys.extend([
        KeyCode::Tab,
        KeyCode::Char('+'),
        KeyCode::Char('+'),
        KeyCode::Char('c'),
    ]);
    keys.extend("attic".chars().map(KeyCode::Char));
    keys.extend([KeyCode::Esc, KeyCode::BackTab]);
    keys
}

fn keypress_to_frame(c: &mut Criterion) {
    let cat = Arc::new(catalog());
    let mut a = app(cat.clone());
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("backend");
    // Build the shared search index before timing (the server and the editor build it once).
    let _ = a.hub.search_index();
    let _ = a.hub.suggester();
    let mut times = Vec::new();
    for _round in 0..5 {
        a = app(cat.clone());
        times.extend(timed_keys(&mut a, &mut term, script()));
    }
    println!(
        "keypress to frame over {} keys ({} competencies loaded): {}",
        times.len(),
        cat.competency_count(),
        spread(&mut times)
    );
    for size in [1.0, 4.0] {
        large_design(&cat, size);
    }
    c.bench_function("move down and render", |b| {
        let mut a = app(cat.clone());
        b.iter(|| {
            press(&mut a, KeyCode::Char('j'));
            press(&mut a, KeyCode::Char('k'));
            term.draw(|f| microcred::tui::view::draw(f, &a))
                .expect("draw");
        })
    });
}

/// Keypress to frame at 200×60 on a generated design of `size` (size 1: 2,000 needs, 30
/// partners, 5,000 mappings): 100 j/k keys through the needs, then moves between panes and
/// through mappings, gaps and the matrix.
fn large_design(cat: &Arc<Catalog>, size: f64) {
    let t = Instant::now();
    let generated = generator::generate(
        cat,
        &generator::Options {
            size,
            seed: 1,
            files_only: false,
        },
    );
    let ws = generated.workspace;
    let (needs, mappings) = (ws.needs.len(), ws.mappings.len());
    let made = t.elapsed();
    let hub = microcred::document::hub::Hub::new(ws, cat.clone(), None);
    let mut a = App::with_hub(hub, Actor::designer("bench"));
    a.size = (200, 60);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    term.draw(|f| microcred::tui::view::draw(f, &a))
        .expect("draw");
    let mut keys = Vec::new();
    for i in 0..100 {
        keys.push(KeyCode::Char(if i % 10 < 7 { 'j' } else { 'k' }));
    }
    keys.extend([KeyCode::PageDown, KeyCode::PageDown, KeyCode::Char('G')]);
    keys.extend([KeyCode::Tab, KeyCode::Char('j'), KeyCode::Char('j')]);
    keys.extend([
        KeyCode::Tab,
        KeyCode::Char('j'),
        KeyCode::Char('j'),
        KeyCode::PageDown,
    ]);
    keys.extend([
        KeyCode::Tab,
        KeyCode::Char('g'),
        KeyCode::Char(']'),
        KeyCode::Char(']'),
    ]);
    keys.extend([
        KeyCode::Char('M'),
        KeyCode::Right,
        KeyCode::Down,
        KeyCode::Char('M'),
    ]);
    let mut times = timed_keys(&mut a, &mut term, keys);
    println!(
        "size {size} ({needs} needs, {mappings} mappings; generated in {:.2} s): keypress to frame at 200×60 over {} keys: {}",
        made.as_secs_f64(),
        times.len(),
        spread(&mut times)
    );
    vote_view(&mut a, &mut term, size);
    demand_view(&mut a, &mut term, size);
}

/// The demand view on the same design with 1,000 job postings, each mentioning six
/// competencies (the design's own and others of its frameworks) with a quote: the gauge
/// weighted by evidence, the view opened, 60 rows moved through, only the uncovered shown, one
/// turned into a need (a change: the demand and support made again), then the needs pane with
/// its support column.
fn demand_view(a: &mut App, term: &mut Terminal<TestBackend>, size: f64) {
    use microcred::edit::Op;
    use microcred::model::{Mention, Posting};
    let mut refs: Vec<String> =
        a.ws.competencies
            .iter()
            .map(|c| c.reference.clone())
            .collect();
    for (fw, c) in a
        .catalog
        .entries()
        .iter()
        .flat_map(|e| {
            e.framework
                .competencies
                .iter()
                .map(move |c| (&e.framework.id, c))
        })
        .take(400)
    {
        refs.push(format!("{fw}:{}", c.id));
    }
    refs.sort();
    refs.dedup();
    let partners: Vec<String> = a.ws.partners.iter().map(|p| p.id.clone()).collect();
    let ops = (0..1000)
        .map(|i| {
            let mut mentions: Vec<Mention> = (0..6)
                .map(|k| Mention {
                    competency: refs[(i * 37 + k * 101 + k * k * 7) % refs.len()].clone(),
                    score: 4.0,
                    quotes: vec![format!("Posting {i} asks for this, in sentence {k}.")],
                })
                .collect();
            mentions.sort_by(|x, y| x.competency.cmp(&y.competency));
            mentions.dedup_by(|x, y| x.competency == y.competency);
            Op::InsertPosting {
                at: usize::MAX,
                posting: Box::new(Posting {
                    id: format!("P{}", i + 1),
                    title: format!("Posting {i}"),
                    source: Some("bench".into()),
                    date: Some("2026-10-01".into()),
                    partner: (i % 3 == 0).then(|| partners[i % partners.len()].clone()),
                    sha256: format!("{i:064}"),
                    text: format!("Posting {i}"),
                    mentions,
                }),
            }
        })
        .collect();
    a.hub
        .apply(&Actor::designer("bench"), Op::Batch { ops })
        .expect("postings");
    a.sync();
    let mut keys = vec![KeyCode::Char('W'), KeyCode::Char('D')];
    keys.extend((0..60).map(|i| KeyCode::Char(if i % 10 < 7 { 'j' } else { 'k' })));
    keys.push(KeyCode::Char('u'));
    keys.extend((0..20).map(|_| KeyCode::Char('j')));
    keys.push(KeyCode::Char('n'));
    keys.extend([KeyCode::Char('1'), KeyCode::Char('g')]);
    keys.extend((0..30).map(|_| KeyCode::Char('j')));
    let mut times = timed_keys(a, term, keys);
    println!(
        "size {size} (1000 postings, {} competencies mentioned): demand view and support column, keypress to frame at 200×60 over {} keys (one makes a need): {}",
        refs.len(),
        times.len(),
        spread(&mut times)
    );
}

/// The dot vote view on the same design: a vote with every partner's three dots placed, then
/// opening the view, moving through 60 needs, placing a dot and choosing another partner.
fn vote_view(a: &mut App, term: &mut Terminal<TestBackend>, size: f64) {
    use microcred::edit::Op;
    use microcred::model::{Dot, Vote, VoteOver};
    let (partners, needs): (Vec<String>, Vec<String>) = (
        a.ws.partners.iter().map(|p| p.id.clone()).collect(),
        a.ws.needs.iter().map(|n| n.id.clone()).collect(),
    );
    let dee = Actor::designer("bench");
    let at = "2026-11-30T10:00:00Z".to_string();
    let open = Op::OpenVote {
        vote: Box::new(Vote {
            opened_by: "bench".into(),
            opened_at: at.clone(),
            dots: 3,
            over: VoteOver::Needs,
            candidates: Vec::new(),
            partner: None,
            hidden: false,
            closed_by: None,
            closed_at: None,
            ballots: Vec::new(),
        }),
    };
    a.hub.apply(&dee, open).expect("open a vote");
    for (i, p) in partners.iter().enumerate() {
        for k in 0..3 {
            let dot = Dot {
                need: needs[(i * 7 + k * 13) % needs.len()].clone(),
                competency: None,
                partner: p.clone(),
                person: "bench".into(),
                at: at.clone(),
            };
            a.hub
                .apply(&dee, Op::PlaceDot { dot, at: None })
                .expect("a dot");
        }
    }
    // The first partner's dots are all placed: take one back, so that `+` places one.
    a.hub
        .apply(
            &dee,
            Op::RemoveDot {
                need: needs[0].clone(),
                partner: partners[0].clone(),
                competency: None,
            },
        )
        .expect("take a dot back");
    a.sync();
    let mut keys = vec![KeyCode::Char('V')];
    keys.extend((0..60).map(|i| KeyCode::Char(if i % 10 < 7 { 'j' } else { 'k' })));
    keys.extend([KeyCode::Char('+'), KeyCode::Char('f'), KeyCode::Char('j')]);
    let mut times = timed_keys(a, term, keys);
    println!(
        "size {size} ({} partners, {} dots): vote view keypress to frame at 200×60 over {} keys (one places a dot): {}",
        partners.len(),
        3 * partners.len(),
        times.len(),
        spread(&mut times)
    );
}

/// Press each key and draw a frame; the time of each, in ms.
fn timed_keys(a: &mut App, term: &mut Terminal<TestBackend>, keys: Vec<KeyCode>) -> Vec<f64> {
    keys.into_iter()
        .map(|k| {
            let t = Instant::now();
            press(a, k);
            term.draw(|f| microcred::tui::view::draw(f, a))
                .expect("draw");
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

/// "median …, p95 …, max …" of times in ms.
fn spread(times: &mut [f64]) -> String {
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    format!(
        "median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        pct(0.5),
        pct(0.95),
        pct(1.0)
    )
}

criterion_group!(benches, keypress_to_frame);
criterion_main!(benches);
