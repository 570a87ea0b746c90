//! Precision and recall of the learning-outcome rules on the hand-labelled sets
//! `tests/outcomes/dev.tsv`, `tests/outcomes/heldout.tsv` and `tests/outcomes/heldout2.tsv`
//! (see their README), per rule and per split, and the time per outcome.
//!
//! `cargo run --release --example outcomes_eval [-- --errors dev]` (with `--errors dev`, the
//! outcomes of the dev half where a rule disagrees with its label are listed; the other splits
//! are held out and never listed). `--split dev` measures one split only, so that developing
//! on the dev half does not show the held-out figures each time.

use std::collections::BTreeMap;
use std::time::Instant;

use microcred::analysis::outcomes::lint;

/// The rules with a label in the set (the level, assessment and duplicate rules need a design).
const RULES: [&str; 6] = [
    "vague_verb",
    "no_action_verb_start",
    "multi_verb",
    "no_condition_or_criterion",
    "too_long",
    "too_short",
];

struct Row {
    id: String,
    lang: String,
    split: String,
    text: String,
    labels: Vec<String>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let errors_of = args
        .iter()
        .position(|a| a == "--errors")
        .and_then(|i| args.get(i + 1).cloned());
    if let Some(split) = errors_of.as_deref().filter(|s| !s.starts_with("dev")) {
        eprintln!(
            "--errors {split}: only the dev halves (dev, dev-h2) are listed (the others are held out)"
        );
        std::process::exit(2);
    }
    // Listing a dev half's errors shows that half only: the held-out figures are not read
    // on the way.
    let only = args
        .iter()
        .position(|a| a == "--split")
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| errors_of.clone());
    let mut rows: Vec<Row> = Vec::new();
    for name in ["dev.tsv", "heldout.tsv", "heldout2.tsv"] {
        let path = format!("{}/tests/outcomes/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        rows.extend(
            text.lines()
                .skip(1)
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let c: Vec<&str> = l.split('\t').collect();
                    let get = |i: usize| c.get(i).copied().unwrap_or("").to_string();
                    Row {
                        id: get(0),
                        lang: get(1),
                        split: get(2),
                        text: get(3),
                        labels: get(4)
                            .split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(String::from)
                            .collect(),
                    }
                }),
        );
    }
    if let Some(split) = &only {
        rows.retain(|r| &r.split == split);
    }
    for r in &rows {
        for l in &r.labels {
            assert!(RULES.contains(&l.as_str()), "{}: unknown label {l}", r.id);
        }
    }

    // (split, rule) -> (tp, fp, fn)
    let mut counts: BTreeMap<(String, &str), (u32, u32, u32)> = BTreeMap::new();
    let mut per_split: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        *per_split.entry(r.split.clone()).or_default() += 1;
        let found: Vec<&str> = lint(&r.text, Some(&r.lang))
            .iter()
            .map(|f| f.rule.as_str())
            .collect();
        for rule in RULES {
            let said = found.contains(&rule);
            let truth = r.labels.iter().any(|l| l == rule);
            let e = counts.entry((r.split.clone(), rule)).or_default();
            match (said, truth) {
                (true, true) => e.0 += 1,
                (true, false) => e.1 += 1,
                (false, true) => e.2 += 1,
                (false, false) => {}
            }
            if said != truth && errors_of.as_deref() == Some(r.split.as_str()) {
                println!(
                    "{} {} {rule}: {}",
                    r.id,
                    if said { "false positive" } else { "missed" },
                    r.text
                );
            }
        }
    }
    for (split, n) in &per_split {
        println!("\n{split} ({n} outcomes)");
        println!(
            "  {:<27} {:>4} {:>4} {:>4} {:>9} {:>7}",
            "rule", "tp", "fp", "fn", "precision", "recall"
        );
        for rule in RULES {
            let (tp, fp, fnn) = counts
                .get(&(split.clone(), rule))
                .copied()
                .unwrap_or_default();
            let ratio = |a: u32, b: u32| {
                if b == 0 {
                    "-".to_string()
                } else {
                    format!("{:.2}", f64::from(a) / f64::from(b))
                }
            };
            println!(
                "  {rule:<27} {tp:>4} {fp:>4} {fnn:>4} {:>9} {:>7}",
                ratio(tp, tp + fp),
                ratio(tp, tp + fnn)
            );
        }
    }

    // Time: every outcome linted many times, after a first pass that loads the tables.
    for r in &rows {
        std::hint::black_box(lint(&r.text, Some(&r.lang)));
    }
    const ROUNDS: u32 = 200;
    let mut times = Vec::with_capacity(ROUNDS as usize * rows.len());
    let all = Instant::now();
    for _ in 0..ROUNDS {
        for r in &rows {
            let t = Instant::now();
            std::hint::black_box(lint(std::hint::black_box(&r.text), Some(&r.lang)));
            times.push(t.elapsed());
        }
    }
    let total = all.elapsed();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e6;
    let per = total / (ROUNDS * rows.len() as u32);
    println!(
        "\ntime per outcome ({} outcomes × {ROUNDS}): mean {:.1} µs, median {:.1} µs, p99 {:.1} µs, p99.9 {:.1} µs, max {:.1} µs",
        rows.len(),
        per.as_secs_f64() * 1e6,
        at(0.5),
        at(0.99),
        at(0.999),
        at(1.0)
    );
}
