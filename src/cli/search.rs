//! `microcred search QUERY`: fuzzy search over every loaded competency.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::TsvOrJson;

pub(super) fn run(paths: &[PathBuf], query: &str, top: usize, format: TsvOrJson) -> ExitCode {
    let sources = crate::catalog::Sources::new(paths.to_vec(), None);
    let index = match crate::catalog::search_cache::load_index(&sources) {
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
    let code = super::print_as(&out, format == TsvOrJson::Json);
    // The process ends here: freeing a large index one piece at a time would only delay the
    // exit, so leave that to the operating system.
    std::mem::forget(index);
    code
}

/// Tabs and line breaks would break a TSV line: make them spaces.
pub(super) fn one_line(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Write data to stdout, as [`try_write_stdout`]: exit 0, or 1 after a reported error.
pub(super) fn write_stdout(text: &str) -> ExitCode {
    match try_write_stdout(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Write data to stdout, the one way every command prints (`print!` panics when stdout is
/// closed: exit 101). A reader that went away (`microcred check | head`) is not an error:
/// nothing more is written and the command ends as it would have. Any other error (a full
/// disk, `> /dev/full`) is reported once and gives `Err(exit code 1)`.
pub(super) fn try_write_stdout(bytes: &[u8]) -> Result<(), ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            say!("microcred: cannot write the output: {e}");
            Err(ExitCode::from(1))
        }
    }
}
