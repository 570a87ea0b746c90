//! A deterministic generator of large, realistic designs for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_design -- --size 1 -o big.yaml
//! cargo run --release --example gen_design -- --size 1 --frameworks esco.yaml -o big-esco.yaml
//! ```
//!
//! Size 1 is 2,000 needs from 30 partners, 1,000 credential competencies and 5,000 mappings;
//! `--size S` (0.25 to 8) scales every count. Against the built-in frameworks by default, or
//! only against the framework files given with `--frameworks FILE` (repeatable). `--seed N`
//! (default 1) picks the stream: equal arguments give byte-identical output. Counts that the
//! loaded frameworks cannot hold are capped, with a note on stderr. Without `-o` the design goes
//! to stdout. See `benches/README.md`.

#[path = "gen_design/lib.rs"]
mod generator;

use std::path::PathBuf;

use microcred::catalog::{self, Sources};
use microcred::document::workspace_to_string;

const USAGE: &str =
    "usage: gen_design [--size S (0.25-8, default 1)] [--seed N] [--frameworks FILE]... [-o FILE]";

fn usage_error(message: &str) -> ! {
    eprintln!("gen_design: {message}\n{USAGE}");
    std::process::exit(2);
}

fn main() {
    let mut size = 1.0;
    let mut seed = 1;
    let mut frameworks: Vec<PathBuf> = Vec::new();
    let mut output: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| usage_error(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--size" => {
                let v = value("--size");
                size = match v.parse::<f64>() {
                    Ok(s) if (0.25..=8.0).contains(&s) => s,
                    _ => usage_error(&format!("--size {v}: give a number from 0.25 to 8")),
                };
            }
            "--seed" => {
                let v = value("--seed");
                seed = v
                    .parse::<u64>()
                    .unwrap_or_else(|_| usage_error(&format!("--seed {v}: give a whole number")));
            }
            "--frameworks" => frameworks.push(PathBuf::from(value("--frameworks"))),
            "-o" | "--output" => output = Some(PathBuf::from(value("-o"))),
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => usage_error(&format!("unknown argument `{other}`")),
        }
    }
    let files_only = !frameworks.is_empty();
    // No MICROCRED_FRAMEWORKS: the output depends on the arguments alone.
    let sources = Sources {
        paths: frameworks,
        env: None,
        workspace: None,
    };
    let catalog = catalog::load(&sources).unwrap_or_else(|p| {
        eprintln!("{p}");
        std::process::exit(1);
    });
    let generated = generator::generate(
        &catalog,
        &generator::Options {
            size,
            seed,
            files_only,
        },
    );
    for note in &generated.notes {
        eprintln!("gen_design: {note}");
    }
    let ws = &generated.workspace;
    let text = workspace_to_string(ws);
    match &output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("gen_design: {}: {e}", path.display());
                std::process::exit(1);
            }
            eprintln!(
                "gen_design: {}: {} partners, {} needs, {} competencies, {} mappings, {} bytes",
                path.display(),
                ws.partners.len(),
                ws.needs.len(),
                ws.competencies.len(),
                ws.mappings.len(),
                text.len()
            );
        }
        None => print!("{text}"),
    }
}
