//! `microcred suggest TEXT` and `microcred suggest --need ID WORKSPACE`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::TsvOrJson;
use super::search::one_line;
use crate::problem::Problem;

pub(super) fn run(
    paths: &[PathBuf],
    input: &str,
    need: Option<&str>,
    top: usize,
    format: TsvOrJson,
) -> ExitCode {
    let workspace = need.map(|_| Path::new(input));
    let (text, ctx) = match (need, workspace) {
        (Some(id), Some(ws)) => {
            let cat = match super::load_catalog(paths, workspace) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let loaded = match crate::document::load_workspace(ws, &cat) {
                Ok(l) => l,
                Err(p) => {
                    super::report(&p);
                    return ExitCode::from(1);
                }
            };
            let needs = &loaded.workspace.needs;
            match needs.iter().find(|n| n.id == id) {
                // The design around the need is its context (title, frameworks, mappings).
                Some(n) => (
                    n.statement.clone(),
                    crate::analysis::suggest::context::for_need_in(&loaded.workspace, id, &cat),
                ),
                None => {
                    super::report(
                        &Problem::error(ws.display().to_string(), format!("no need `{id}`"))
                            .hint(crate::model::validate::did_you_mean(
                                id,
                                needs.iter().map(|n| n.id.as_str()),
                            ))
                            .into(),
                    );
                    return ExitCode::from(1);
                }
            }
        }
        _ => (input.to_string(), Default::default()),
    };
    // The index from its snapshot when current (built and written on the first run).
    let sources = crate::catalog::Sources::new(paths.to_vec(), workspace);
    let s = match crate::catalog::suggest_cache::load_suggester(&sources) {
        Ok(s) => s,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    let got = s.suggest_in(&text, "", &ctx, top);
    let mut out = String::new();
    match format {
        TsvOrJson::Tsv => {
            for (rank, g) in got.iter().enumerate() {
                let it = &s.items()[g.item];
                out.push_str(&format!(
                    "{}\t{}\t{:.4}\t{}\n",
                    rank + 1,
                    it.reference,
                    g.score,
                    one_line(&it.name)
                ));
            }
        }
        TsvOrJson::Json => {
            let items: Vec<serde_json::Value> = got
                .iter()
                .enumerate()
                .map(|(rank, g)| {
                    let it = &s.items()[g.item];
                    serde_json::json!({
                        "rank": rank + 1,
                        "ref": it.reference,
                        "score": (g.score * 10000.0).round() / 10000.0,
                        "name": it.name,
                        "why": {
                            "words": g.why.words,
                            "context": g.why.context,
                        },
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&items).unwrap_or_default();
            out.push('\n');
        }
    }
    let code = super::print_as(&out, format == TsvOrJson::Json);
    // The process ends here: freeing a large index one piece at a time would only delay the
    // exit, so leave that to the operating system.
    std::mem::forget(s);
    code
}
