//! Search and suggest at ESCO scale (13,896 skills, ~113,000 labels).
//!
//! `cargo bench --bench search` — needs `../shared/data/esco-v1.1.1/skills_en.csv` beside the
//! repository; without it the benchmarks are skipped with a note.
//!
//! Besides criterion's figures, it prints the per-keystroke distribution (median, p95, max) of
//! typing each query one character at a time (1–12 characters), for the names-first response
//! (`Searcher::update` + the top 20 with highlights) and for the complete result; then the same
//! for queries using the extended syntax (several terms, `'`, `^`, `!`), typed in full.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use microcred::analysis::search::{SearchIndex, Searcher};
use microcred::analysis::suggest::Suggester;
use microcred::catalog::Catalog;

const SKILLS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/esco-v1.1.1/skills_en.csv"
);

const TYPED: &[&str] = &[
    "data analysis",
    "manage staff",
    "sql database",
    "weld pipes",
    "customer serv",
    "Python progr",
    "first aid",
    "cnstruction",
    "mntr patients",
    "xylophone",
];

/// Queries in fzf's extended syntax, typed in full (so every operator is typed too).
const TYPED_EXTENDED: &[&str] = &[
    "mini split",
    "pump commission",
    "forklift !drive",
    "'heat-pump ^inst",
    "^operate fork",
    "data !base anal",
    "patients monitor",
    "'weld' pipe$",
];

const NEEDS: &[&str] = &[
    "Analysts who can turn messy point-of-sale exports into clean tables",
    "Technicians who install and maintain heat pumps in older houses",
    "Care aides who support patients with daily living and keep accurate records",
    "Junior developers who write and test Python code and use version control",
    "Supervisors who schedule shifts, train new staff and handle customer complaints",
];

fn esco() -> Option<Catalog> {
    let bytes = match std::fs::read(SKILLS) {
        Ok(b) => b,
        Err(_) => {
            eprintln!("note: {SKILLS} is absent; skipping the ESCO benchmarks");
            return None;
        }
    };
    let fw = microcred::import::esco::import(
        &bytes,
        SKILLS,
        &microcred::import::esco::Options::default(),
        &mut |_| {},
    )
    .ok()?;
    Some(Catalog::from_frameworks([fw]))
}

fn prefixes(q: &str) -> Vec<String> {
    prefixes_up_to(q, 12)
}

fn prefixes_up_to(q: &str, most: usize) -> Vec<String> {
    let chars: Vec<char> = q.chars().collect();
    (1..=chars.len().min(most))
        .map(|n| chars[..n].iter().collect())
        .collect()
}

fn report(label: &str, mut t: Vec<Duration>) {
    t.sort();
    let pct = |q: f64| t[((t.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{label}: {} keystrokes, median {:.3} ms, p95 {:.3} ms, max {:.3} ms",
        t.len(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3
    );
}

fn distribution(idx: &SearchIndex, queries: &[&str], most: usize, what: &str) {
    let (mut first, mut full) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        for q in queries {
            let mut s = Searcher::new(idx);
            let mut c = Searcher::new(idx);
            for p in prefixes_up_to(q, most) {
                let t = Instant::now();
                s.update(&p);
                black_box(s.hits(20));
                first.push(t.elapsed());
                let t = Instant::now();
                c.update(&p);
                c.refine(usize::MAX);
                black_box(c.hits(20));
                full.push(t.elapsed());
            }
        }
    }
    report(
        &format!("{what}keystroke, names first (update + top 20)"),
        first,
    );
    report(
        &format!("{what}keystroke, complete (update + refine all + top 20)"),
        full,
    );
}

fn benches(c: &mut Criterion) {
    let Some(cat) = esco() else {
        return;
    };
    let t = Instant::now();
    let idx = SearchIndex::new(&cat);
    println!(
        "search index: {} labels in {:.1} ms",
        idx.label_count(),
        t.elapsed().as_secs_f64() * 1e3
    );
    distribution(&idx, TYPED, 12, "");
    distribution(&idx, TYPED_EXTENDED, usize::MAX, "extended syntax: ");
    let mut g = c.benchmark_group("search");
    g.bench_function(
        "type 10 queries, names first, per query of up to 12 keystrokes",
        |b| {
            b.iter(|| {
                for q in TYPED {
                    let mut s = Searcher::new(&idx);
                    for p in prefixes(q) {
                        s.update(&p);
                        black_box(s.hits(20));
                    }
                }
            })
        },
    );
    g.bench_function("full scan 'data analysis'", |b| {
        b.iter(|| black_box(idx.search("data analysis", 20)))
    });
    g.bench_function("full scan 'd'", |b| {
        b.iter(|| black_box(idx.search("d", 20)))
    });
    g.bench_function("full scan 'pump commission'", |b| {
        b.iter(|| black_box(idx.search("pump commission", 20)))
    });
    g.finish();

    let t = Instant::now();
    let sug = Suggester::new(&cat);
    println!("suggest index: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let mut g = c.benchmark_group("suggest");
    for (i, n) in NEEDS.iter().enumerate() {
        g.bench_function(format!("need {}", i + 1), |b| {
            b.iter(|| black_box(sug.suggest(n, "", 10)))
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = search;
    config = config();
    targets = benches
}
criterion_main!(search);
