//! `microcred search QUERY`: fuzzy search over every loaded competency.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::TsvOrJson;

pub(super) fn run(paths: &[PathBuf], query: &str, top: usize, format: TsvOrJson) -> ExitCode {
    let sources = crate::catalog::Sources::new(paths.to_vec(), None);
    let index = match crate::search_cache::load_index(&sources) {
        Ok(i) => i,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    let hits = index.search(query, top);
    let mut out = String::new();
    match format {
        TsvOrJson::Tsv => {
            for h in &hits {
                let Some(it) = index.item(h.item) else {
                    continue;
                };
                out.push_str(&format!(
                    "{}\t{}:{}\t{}\n",
                    h.score,
                    it.framework,
                    it.id,
                    one_line(it.name)
                ));
            }
        }
        TsvOrJson::Json => {
            let items: Vec<serde_json::Value> = hits
                .iter()
                .filter_map(|h| {
                    let it = index.item(h.item)?;
                    Some(serde_json::json!({
                        "score": h.score,
                        "ref": it.reference(),
                        "name": it.name,
                        "field": h.field,
                        "label": h.label,
                        "positions": h.positions,
                    }))
                })
                .collect();
            out = serde_json::to_string_pretty(&items).unwrap_or_default();
            out.push('\n');
        }
    }
    let code = super::print_out(&out);
    // The process ends here: freeing a large index one piece at a time would only delay the
    // exit, so leave that to the operating system.
    std::mem::forget(index);
    code
}

/// Tabs and line breaks would break a TSV line: make them spaces.
pub(super) fn one_line(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Write to stdout; a closed pipe (e.g. `| head`) is not an error.
pub(super) fn write_stdout(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("microcred: cannot write to standard output: {e}");
            ExitCode::from(1)
        }
    }
}
