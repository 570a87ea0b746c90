//! Suggestion quality on ESCO occupations.
//!
//! ```text
//! cargo run --release --example eval_suggest -- ../shared/data/esco-v1.1.1/skills_en.csv \
//!     ../shared/data/esco-v1.1.1/dev_occupations.tsv
//! ```
//!
//! Imports ESCO in-process, then for each occupation (label + description) suggests from all
//! skills and reports P@10 (essential), P@10 (essential or optional), R@50 (essential) and MRR
//! (rank of the first essential skill). `SUGGEST_PARAMS="k1=1.2,title=3,..."` overrides
//! parameters (names below) for experiments; `--plain` runs plain BM25 as a baseline.

use std::collections::HashSet;
use std::time::Instant;

use microcred::analysis::suggest::{Params, Suggester};
use microcred::catalog::Catalog;
use microcred::import::esco;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plain = args.iter().any(|a| a == "--plain");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (Some(csv), Some(tsv)) = (paths.first(), paths.get(1)) else {
        eprintln!("usage: eval_suggest SKILLS_CSV DEV_TSV [--plain]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(csv).unwrap_or_else(|e| die(&format!("{csv}: {e}")));
    let fw = esco::import(&bytes, csv, &esco::Options::default(), &mut |_| {})
        .unwrap_or_else(|p| die(&p.to_string()));
    let cat = Catalog::from_frameworks([fw]);
    let mut params = if plain {
        plain_bm25()
    } else {
        Params::default()
    };
    if let Ok(spec) = std::env::var("SUGGEST_PARAMS") {
        apply(&mut params, &spec);
    }
    let t = Instant::now();
    let s = Suggester::with_params(&cat, params.clone());
    let build = t.elapsed();
    let text = std::fs::read_to_string(tsv).unwrap_or_else(|e| die(&format!("{tsv}: {e}")));
    let uuid = |u: &str| u.rsplit('/').next().unwrap_or("").to_string();
    let (mut p10, mut p10any, mut r50, mut mrr, mut n) = (0f64, 0f64, 0f64, 0f64, 0usize);
    let mut times = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 {
            continue;
        }
        let ess: HashSet<String> = cols[3]
            .split('|')
            .filter(|x| !x.is_empty())
            .map(uuid)
            .collect();
        let opt: HashSet<String> = cols[4]
            .split('|')
            .filter(|x| !x.is_empty())
            .map(uuid)
            .collect();
        let t = Instant::now();
        let got = s.suggest(cols[1], cols[2], 1000);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let ids: Vec<String> = got
            .iter()
            .map(|g| uuid(&s.items()[g.item].reference.replace(':', "/")))
            .collect();
        p10 += ids.iter().take(10).filter(|i| ess.contains(*i)).count() as f64 / 10.0;
        p10any += ids
            .iter()
            .take(10)
            .filter(|i| ess.contains(*i) || opt.contains(*i))
            .count() as f64
            / 10.0;
        r50 += ids.iter().take(50).filter(|i| ess.contains(*i)).count() as f64
            / ess.len().max(1) as f64;
        mrr += ids
            .iter()
            .position(|i| ess.contains(i))
            .map_or(0.0, |r| 1.0 / (r + 1) as f64);
        n += 1;
    }
    let n = n.max(1) as f64;
    times.sort_by(f64::total_cmp);
    let pct = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "occupations {n}  P@10(ess) {:.3}  P@10(ess+opt) {:.3}  R@50(ess) {:.3}  MRR {:.3}",
        p10 / n,
        p10any / n,
        r50 / n,
        mrr / n
    );
    println!(
        "index build {:.0} ms; per query median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        build.as_secs_f64() * 1000.0,
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
}

/// Plain BM25 over label + alt labels + description as one field, no extras.
fn plain_bm25() -> Params {
    Params {
        weights: [1.0, 1.0, 1.0],
        b: [0.75, 0.75, 0.75],
        k1: 1.2,
        k3: 1000.0,
        title_boost: 1.0,
        phrase_bonus: 0.0,
        typo_weight: 0.0,
        prf_docs: 0,
        prf_terms: 0,
        prf_weight: 0.0,
        category_prior: Vec::new(),
        coverage_gain: 0.0,
        coverage_power: 1.0,
        cosine_weight: 0.0,
        generic_idf: 0.0,
    }
}

fn apply(p: &mut Params, spec: &str) {
    for kv in spec.split(',').filter(|s| !s.is_empty()) {
        let Some((k, v)) = kv.split_once('=') else {
            die(&format!("bad SUGGEST_PARAMS entry {kv}"));
        };
        let f: f32 = v
            .parse()
            .unwrap_or_else(|_| die(&format!("bad number {v}")));
        match k {
            "wn" => p.weights[0] = f,
            "wk" => p.weights[1] = f,
            "wd" => p.weights[2] = f,
            "bn" => p.b[0] = f,
            "bk" => p.b[1] = f,
            "bd" => p.b[2] = f,
            "k1" => p.k1 = f,
            "k3" => p.k3 = f,
            "title" => p.title_boost = f,
            "phrase" => p.phrase_bonus = f,
            "typo" => p.typo_weight = f,
            "prfd" => p.prf_docs = f as usize,
            "prft" => p.prf_terms = f as usize,
            "prfw" => p.prf_weight = f,
            "cov" => p.coverage_gain = f,
            "covp" => p.coverage_power = f,
            "cos" => p.cosine_weight = f,
            "gen" => p.generic_idf = f,
            "transversal" | "cross-sector" | "sector-specific" | "occupation-specific" => {
                p.category_prior.retain(|(c, _)| c != k);
                p.category_prior.push((k.to_string(), f));
            }
            _ => die(&format!("unknown parameter {k}")),
        }
    }
}

fn die(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(1)
}
