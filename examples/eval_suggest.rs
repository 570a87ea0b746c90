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
//!
//! `--needs FILE` (`examples/data/partner-needs.tsv`) also ranks needs written in partners'
//! words over ESCO and the built-in frameworks, each with its credential's title as the
//! design's context (`--no-context` leaves it out), and reports hit@1, hit@3, hit@10 and MRR
//! for the tuning half (odd rows), the held-out half (even rows) and all; `--only-needs` skips
//! the ESCO split; `--errors` (or `NEEDS_SHOW=1`) prints the needs not in the top 3 with what
//! came first, and refuses a held-out file (a name with `heldout` in it): its rows are read in
//! aggregate only. `--relations DIR` (a folder of ESCO's full
//! CSV download) keeps ESCO's relations on the skills for the needs only, so that a credential
//! titled like an occupation leans toward its skills; the ESCO split is built from those
//! relations and never sees them. `EVAL_DUMP=FILE` writes, for each need, its row, field,
//! title, text, acceptable references and the top 200 with their scores, for measurements
//! outside the program (`benches/suggest_meaning_probe.py`, which prints aggregates only).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use microcred::analysis::suggest::context::occupation_for;
use microcred::analysis::suggest::{Context, Params, Suggester};
use microcred::catalog::Catalog;
use microcred::import::esco;
use microcred::model::Framework;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plain = args.iter().any(|a| a == "--plain");
    let no_context = args.iter().any(|a| a == "--no-context");
    let only_needs = args.iter().any(|a| a == "--only-needs");
    let errors = args.iter().any(|a| a == "--errors") || std::env::var("NEEDS_SHOW").is_ok();
    let needs = args
        .iter()
        .position(|a| a == "--needs")
        .and_then(|i| args.get(i + 1));
    let relations = args
        .iter()
        .position(|a| a == "--relations")
        .and_then(|i| args.get(i + 1));
    let paths: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            !a.starts_with("--")
                && (*i == 0 || (args[i - 1] != "--needs" && args[i - 1] != "--relations"))
        })
        .map(|(_, a)| a)
        .collect();
    let (Some(csv), Some(tsv)) = (paths.first(), paths.get(1)) else {
        eprintln!("usage: eval_suggest SKILLS_CSV DEV_TSV [--plain]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(csv).unwrap_or_else(|e| die(&format!("{csv}: {e}")));
    let fw = esco::import(&bytes, csv, &esco::Options::default(), &mut |_| {})
        .unwrap_or_else(|p| die(&p.to_string()));
    let needs_cat = needs.map(|_| {
        let mut all: Vec<Framework> = Catalog::embedded()
            .unwrap_or_else(|p| die(&p.to_string()))
            .entries()
            .iter()
            .map(|e| e.framework.clone())
            .collect();
        let mut fw = fw.clone();
        if let Some(dir) = relations {
            add_relations(&mut fw, dir);
        }
        all.push(fw);
        Catalog::from_frameworks(all)
    });
    if let Some(f) = needs.filter(|f| errors && is_held_out(f)) {
        die(&format!(
            "{f} is a held-out set: its misses are not listed (drop --errors / NEEDS_SHOW)"
        ));
    }
    let needs_text =
        needs.map(|f| std::fs::read_to_string(f).unwrap_or_else(|e| die(&format!("{f}: {e}"))));
    let cat = Catalog::from_frameworks([fw]);
    let base = if plain {
        plain_bm25()
    } else {
        Params::default()
    };
    let text = std::fs::read_to_string(tsv).unwrap_or_else(|e| die(&format!("{tsv}: {e}")));
    // `SUGGEST_PARAMS` may hold several variants separated by `;`, each evaluated in turn.
    let specs = std::env::var("SUGGEST_PARAMS").unwrap_or_default();
    for spec in specs.split(';') {
        let mut params = base.clone();
        apply(&mut params, spec);
        if !spec.is_empty() {
            println!("-- {spec}");
        }
        if let (Some(nc), Some(nt)) = (&needs_cat, &needs_text) {
            evaluate_needs(nc, params.clone(), nt, !no_context, errors);
        }
        if !only_needs {
            evaluate(&cat, params, &text);
        }
    }
}

/// A held-out needs file, whose misses must not be studied: its name says `heldout`.
fn is_held_out(path: &str) -> bool {
    let name = std::path::Path::new(path)
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().to_lowercase());
    name.contains("heldout") || name.contains("held-out") || name.contains("held_out")
}

/// Keep the relations in the folder `dir` on `fw` (see `import::esco_relations`).
fn add_relations(fw: &mut Framework, dir: &str) {
    use microcred::import::esco_relations as rel;
    let read = |name: &str| {
        let path = format!("{dir}/{name}");
        std::fs::read(&path).ok().map(|b| (path, b))
    };
    let os = read(rel::OCCUPATION_SKILLS);
    let occ = read("occupations_en.csv");
    let ss = read(rel::SKILL_SKILLS);
    let br = read(rel::SKILL_BROADER);
    fn view(f: &Option<(String, Vec<u8>)>) -> Option<(String, &[u8])> {
        f.as_ref().map(|(n, b)| (n.clone(), &b[..]))
    }
    let files = rel::Files {
        occupation_skills: view(&os),
        occupations: view(&occ),
        skill_skills: view(&ss),
        broader: view(&br),
    };
    let (added, _) = rel::add(fw, &files).unwrap_or_else(|p| die(&p.to_string()));
    eprintln!(
        "relations: {} occupation, {} skill-skill, {} hierarchy links",
        added.occupation, added.skill, added.broader
    );
}

/// hit@1, hit@3, hit@10 and MRR over needs in partners' words (see the file's header).
fn evaluate_needs(cat: &Catalog, params: Params, text: &str, context: bool, show: bool) {
    let s = Suggester::with_params(cat, params);
    let mut by_label: HashMap<&str, Vec<&str>> = HashMap::new();
    for it in s.items() {
        if it.reference.starts_with("esco:") {
            by_label
                .entry(it.name.trim())
                .or_default()
                .push(&it.reference);
        }
    }
    let mut occupations = HashMap::new();
    let dump_path = std::env::var("EVAL_DUMP").ok();
    let mut dump = dump_path.as_ref().map(|_| String::new());
    // [hit@1, hit@3, hit@10, reciprocal rank, count] for tuning, held-out, all.
    let mut sums = [[0f64; 5]; 3];
    let rows = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    for (row, line) in rows.enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        let [field, title, need, ok] = cols[..] else {
            die(&format!("needs row {}: expected 4 columns", row + 1))
        };
        let mut good: HashSet<&str> = HashSet::new();
        for a in ok.split(';').filter(|a| !a.is_empty()) {
            match a.strip_prefix("esco=").map(str::trim) {
                Some(label) => match by_label.get(label) {
                    Some(refs) => good.extend(refs.iter().copied()),
                    None => die(&format!("needs row {}: no ESCO skill `{label}`", row + 1)),
                },
                None if s.items().iter().any(|it| it.reference == a) => {
                    good.insert(a);
                }
                None => die(&format!("needs row {}: no competency `{a}`", row + 1)),
            }
        }
        let ctx = Context {
            credential: if context {
                title.to_string()
            } else {
                String::new()
            },
            occupation: if context {
                occupations
                    .entry(title)
                    .or_insert_with(|| occupation_for(cat, title))
                    .clone()
            } else {
                None
            },
            ..Context::default()
        };
        let got = s.suggest_in(need, "", &ctx, if dump.is_some() { 200 } else { 10 });
        if let Some(out) = dump.as_mut() {
            use std::fmt::Write as _;
            let mut good: Vec<&str> = good.iter().copied().collect();
            good.sort_unstable();
            let _ = write!(
                out,
                "{}\t{field}\t{title}\t{need}\t{}\t",
                row + 1,
                good.join(";")
            );
            for g in &got {
                let _ = write!(out, "{}={:.4};", s.items()[g.item].reference, g.score);
            }
            out.push('\n');
        }
        let got: Vec<_> = got.into_iter().take(10).collect();
        let rank = got
            .iter()
            .position(|g| good.contains(s.items()[g.item].reference.as_str()));
        let half = 1 + row % 2;
        for k in [0, half] {
            let m = &mut sums[k];
            m[0] += f64::from(u8::from(rank == Some(0)));
            m[1] += f64::from(u8::from(rank.is_some_and(|r| r < 3)));
            m[2] += f64::from(u8::from(rank.is_some()));
            m[3] += rank.map_or(0.0, |r| 1.0 / (r + 1) as f64);
            m[4] += 1.0;
        }
        if show && rank.is_none_or(|r| r >= 3) {
            println!("{} [{field}] {need}  (rank {rank:?})", row + 1);
            for g in got.iter().take(5) {
                let it = &s.items()[g.item];
                println!(
                    "    {} {}  [{}] [{}]",
                    it.reference.get(..20).unwrap_or(&it.reference),
                    it.name,
                    g.why.words.join(", "),
                    g.why.context.join(", ")
                );
            }
        }
    }
    if let (Some(p), Some(d)) = (&dump_path, &dump) {
        std::fs::write(p, d).unwrap_or_else(|e| die(&format!("{p}: {e}")));
    }
    for (k, label) in [
        (1, "tuning half (odd rows)"),
        (2, "held-out half (even rows)"),
        (0, "all"),
    ] {
        let m = sums[k];
        let n = m[4].max(1.0);
        println!(
            "needs {label}: {}  hit@1 {:.3}  hit@3 {:.3}  hit@10 {:.3}  MRR {:.3}",
            m[4],
            m[0] / n,
            m[1] / n,
            m[2] / n,
            m[3] / n
        );
    }
}

#[derive(Default, Clone, Copy)]
struct Sums {
    p10: f64,
    p10any: f64,
    r50: f64,
    mrr: f64,
    n: usize,
}

impl Sums {
    fn line(&self, label: &str) -> String {
        let n = self.n.max(1) as f64;
        format!(
            "{label} {}  P@10(ess) {:.3}  P@10(ess+opt) {:.3}  R@50(ess) {:.3}  MRR {:.3}",
            self.n,
            self.p10 / n,
            self.p10any / n,
            self.r50 / n,
            self.mrr / n
        )
    }
}

fn evaluate(cat: &Catalog, params: Params, text: &str) {
    let t = Instant::now();
    let s = Suggester::with_params(cat, params);
    let build = t.elapsed();
    let uuid = |u: &str| u.rsplit('/').next().unwrap_or("").to_string();
    // All rows, and the even and odd rows apart: a change that helps only one half is a fit
    // to those rows, not a better method.
    let mut sums = [Sums::default(); 3];
    let mut times = Vec::new();
    for (row, line) in text.lines().skip(1).enumerate() {
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
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if std::env::var("EVAL_SLOW").is_ok() && ms > 5.0 {
            println!("slow {ms:.1} ms: {}", cols[1]);
        }
        times.push(ms);
        let ids: Vec<String> = got
            .iter()
            .map(|g| uuid(&s.items()[g.item].reference.replace(':', "/")))
            .collect();
        if std::env::var("EVAL_SHOW").is_ok_and(|v| v.split(',').any(|r| r == row.to_string())) {
            println!("## {} — {:.200}", cols[1], cols[2]);
            for (i, g) in got.iter().take(10).enumerate() {
                let mark = if ess.contains(&ids[i]) {
                    "E"
                } else if opt.contains(&ids[i]) {
                    "o"
                } else {
                    " "
                };
                println!(
                    "  {mark} {:2} {:.3} {}",
                    i + 1,
                    g.score,
                    s.items()[g.item].name
                );
            }
            let names: HashMap<String, &str> = s
                .items()
                .iter()
                .map(|it| (uuid(&it.reference.replace(':', "/")), it.name.as_str()))
                .collect();
            for e in &ess {
                let r = ids
                    .iter()
                    .position(|i| i == e)
                    .map_or("-".to_string(), |r| (r + 1).to_string());
                println!("    essential @{r}: {}", names.get(e).unwrap_or(&"?"));
            }
        }
        for sum in [0, 1 + row % 2] {
            let m = &mut sums[sum];
            m.p10 += ids.iter().take(10).filter(|i| ess.contains(*i)).count() as f64 / 10.0;
            m.p10any += ids
                .iter()
                .take(10)
                .filter(|i| ess.contains(*i) || opt.contains(*i))
                .count() as f64
                / 10.0;
            m.r50 += ids.iter().take(50).filter(|i| ess.contains(*i)).count() as f64
                / ess.len().max(1) as f64;
            m.mrr += ids
                .iter()
                .position(|i| ess.contains(i))
                .map_or(0.0, |r| 1.0 / (r + 1) as f64);
            m.n += 1;
        }
    }
    println!("{}", sums[0].line("occupations"));
    println!("  {}", sums[1].line("even rows"));
    println!("  {}", sums[2].line("odd rows "));
    times.sort_by(f64::total_cmp);
    let pct = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
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
        agent_weight: 0.0,
        agent_own: 1.0,
        spec_ref: 0.0,
        spec_floor: 0.0,
        general: false,
        alias_weight: 0.0,
        typo_max_words: 0,
        ctx_gain: 0.0,
        ctx_mapped: 0.0,
        fw_gain: 0.0,
        field_gain: 0.0,
        taught_gain: 0.0,
        taught_min: 1.0,
        lean_gain: 0.0,
        ctx_expand: 0.0,
        spelling: false,
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
            "agent" => p.agent_weight = f,
            "own" => p.agent_own = f,
            "spec" => p.spec_ref = f,
            "floor" => p.spec_floor = f,
            "general" => p.general = f > 0.0,
            "alias" => p.alias_weight = f,
            "typowords" => p.typo_max_words = f as usize,
            "ctx" => p.ctx_gain = f,
            "ctxmapped" => p.ctx_mapped = f,
            "fw" => p.fw_gain = f,
            "field" => p.field_gain = f,
            "taught" => p.taught_gain = f,
            "taughtmin" => p.taught_min = f,
            "lean" => p.lean_gain = f,
            "expand" => p.ctx_expand = f,
            "spelling" => p.spelling = f > 0.0,
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
