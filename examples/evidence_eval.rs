//! Extraction quality and speed on the hand-tagged job postings of `tests/evidence/`.
//!
//! ```text
//! cargo run --release --example evidence_eval
//! cargo run --release --example evidence_eval -- --bench /tmp/bench/esco.yaml
//! ```
//!
//! Quality: extracts competencies from the 30 postings with the built-in frameworks and scores
//! them against `tests/evidence/tags.yaml`, per posting (micro-averaged precision and recall).
//! The postings are split in two halves: odd-numbered ones (br01, br03, …, dd01, …) calibrate
//! the threshold, even-numbered ones test it. A sweep of thresholds is shown for the
//! calibration half; the chosen threshold is `analysis::evidence::THRESHOLD`.
//!
//! `--bench FRAMEWORK.yaml`: times the extraction of 1,000 postings made by recombining the
//! test set's sentences (deterministically) against that framework (ESCO), the index built
//! beforehand and not timed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use microcred::analysis::evidence::{self, THRESHOLD};
use microcred::analysis::suggest::Suggester;
use microcred::catalog::Catalog;

const DIR: &str = "tests/evidence";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let postings = read_postings();
    if let Some(i) = args.iter().position(|a| a == "--bench") {
        let Some(path) = args.get(i + 1) else {
            die(&"usage: evidence_eval --bench FRAMEWORK.yaml");
        };
        bench(Path::new(path), &postings);
        return;
    }
    let tags: BTreeMap<String, Vec<String>> = serde_yaml::from_str(
        &std::fs::read_to_string(format!("{DIR}/tags.yaml")).unwrap_or_else(|e| die(&e)),
    )
    .unwrap_or_else(|e| die(&e));
    let cat = Catalog::embedded().unwrap_or_else(|p| die(&p));
    let s = Suggester::new(&cat);
    let (calib, test): (Vec<_>, Vec<_>) = postings.iter().partition(|(name, _)| odd(name));
    println!(
        "calibration half ({} postings): threshold sweep",
        calib.len()
    );
    println!("threshold\tprecision\trecall\tf1");
    for t in [1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0] {
        let (p, r) = score(&s, &calib, &tags, t);
        println!("{t:.1}\t{p:.3}\t{r:.3}\t{:.3}", f1(p, r));
    }
    println!(
        "\nat THRESHOLD = {THRESHOLD} (per sentence: best {})",
        evidence::PER_SENTENCE
    );
    println!("half\tpostings\tprecision\trecall\tf1");
    for (label, half) in [("calibration", &calib), ("test", &test)] {
        let (p, r) = score(&s, half, &tags, THRESHOLD);
        println!("{label}\t{}\t{p:.3}\t{r:.3}\t{:.3}", half.len(), f1(p, r));
    }
    let all: Vec<_> = postings.iter().collect();
    let (p, r) = score(&s, &all, &tags, THRESHOLD);
    println!("all\t{}\t{p:.3}\t{r:.3}\t{:.3}", all.len(), f1(p, r));
}

/// br01 → odd, br02 → even.
fn odd(name: &str) -> bool {
    let n: u32 = name
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    n % 2 == 1
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Micro-averaged precision and recall over `half`.
fn score(
    s: &Suggester,
    half: &[&(String, String)],
    tags: &BTreeMap<String, Vec<String>>,
    threshold: f64,
) -> (f64, f64) {
    let (mut hit, mut got, mut want) = (0usize, 0usize, 0usize);
    for (name, text) in half {
        let expected: BTreeSet<&str> = tags
            .get(name)
            .unwrap_or_else(|| die(&format!("{name} has no tags")))
            .iter()
            .map(String::as_str)
            .collect();
        let found: BTreeSet<String> = evidence::extract(s, text, threshold)
            .into_iter()
            .map(|m| m.competency)
            .collect();
        if std::env::var_os("EVIDENCE_VERBOSE").is_some() {
            for f in &found {
                let mark = if expected.contains(f.as_str()) {
                    "ok"
                } else {
                    "FP"
                };
                println!("  {name}\t{mark}\t{f}");
            }
            for e in &expected {
                if !found.contains(*e) {
                    println!("  {name}\tFN\t{e}");
                }
            }
        }
        hit += found
            .iter()
            .filter(|f| expected.contains(f.as_str()))
            .count();
        got += found.len();
        want += expected.len();
    }
    let p = if got == 0 {
        0.0
    } else {
        hit as f64 / got as f64
    };
    (p, hit as f64 / want.max(1) as f64)
}

/// The postings of the test set, by file name, in order.
fn read_postings() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(format!("{DIR}/postings"))
        .unwrap_or_else(|e| die(&e))
        .filter_map(Result::ok)
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).unwrap_or_else(|e| die(&e));
            (name, text)
        })
        .collect();
    out.sort();
    out
}

/// 1,000 postings from the test set's sentences: posting `i` takes a title and eight body
/// sentences, chosen by a fixed linear congruential sequence.
fn generate(postings: &[(String, String)]) -> Vec<String> {
    let titles: Vec<String> = postings
        .iter()
        .filter_map(|(_, t)| evidence::title_of(t))
        .collect();
    let body: Vec<String> = postings
        .iter()
        .flat_map(|(_, t)| evidence::sentences(t))
        .collect();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((x >> 33) % n as u64) as usize
    };
    (0..1000)
        .map(|_| {
            let mut text = titles[next(titles.len())].clone();
            for _ in 0..8 {
                text.push_str("\n- ");
                text.push_str(&body[next(body.len())]);
            }
            text.push('\n');
            text
        })
        .collect()
}

fn bench(framework: &Path, postings: &[(String, String)]) {
    let t0 = Instant::now();
    let fw = microcred::catalog::read_framework_file(framework).unwrap_or_else(|p| die(&p));
    let cat = Catalog::from_frameworks([fw]);
    let s = Suggester::new(&cat);
    println!(
        "index over {} competencies built in {:.2} s (not timed below)",
        s.items().len(),
        t0.elapsed().as_secs_f64()
    );
    let generated = generate(postings);
    let sentences: usize = generated.iter().map(|t| evidence::sentences(t).len()).sum();
    let t = Instant::now();
    let mentions: usize = generated
        .iter()
        .map(|text| evidence::extract(&s, text, THRESHOLD).len())
        .sum();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "extracted {} postings ({sentences} sentences, {mentions} mentions) in {secs:.2} s ({:.2} ms per posting)",
        generated.len(),
        secs * 1000.0 / generated.len() as f64
    );
}

fn die(e: &dyn std::fmt::Display) -> ! {
    eprintln!("evidence_eval: {e}");
    std::process::exit(1);
}
