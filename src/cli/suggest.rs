//! `microcred suggest TEXT` and `microcred suggest --need ID WORKSPACE`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::TsvOrJson;
use super::search::one_line;
use crate::catalog::outline_cache::Outline;
use crate::problem::Problem;

pub(super) fn run(
    paths: &[PathBuf],
    input: &str,
    need: Option<&str>,
    top: usize,
    format: TsvOrJson,
) -> ExitCode {
    let workspace = need.map(|_| Path::new(input));
    let sources = crate::catalog::Sources::new(paths.to_vec(), workspace);
    let files = match sources.files() {
        Ok(f) => f,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    let cache_dir = crate::catalog::cache::dir();
    // The catalog the design is checked against: outlined (ids, scales, levels, occupation
    // links) when its outline is current, whole on the first run; kept to the end.
    let mut catalog = None;
    let (text, ctx) = match (need, workspace) {
        (Some(id), Some(ws)) => {
            let (cat, loaded) = match need_catalog(&files, cache_dir.as_deref(), ws) {
                Ok(got) => got,
                Err(p) => {
                    super::report(&p);
                    return ExitCode::from(1);
                }
            };
            let needs = &loaded.workspace.needs;
            let got = match needs.iter().find(|n| n.id == id) {
                // The design around the need is its context (title, frameworks, mappings).
                Some(n) => (
                    n.statement.clone(),
                    crate::analysis::suggest::context::for_need_in(
                        &loaded.workspace,
                        id,
                        cat.catalog(),
                    ),
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
            };
            catalog = Some(cat);
            got
        }
        _ => (input.to_string(), Default::default()),
    };
    // The index from its snapshot when current (built and written on the first run; from the
    // catalog just loaded when that is whole).
    let s = match &catalog {
        Some(Outline::Whole(cat)) => {
            crate::catalog::suggest_cache::suggester_for(&files, cat, cache_dir.as_deref())
        }
        _ => {
            match crate::catalog::suggest_cache::load_suggester_with(files, cache_dir.as_deref()) {
                Ok(s) => s,
                Err(p) => {
                    super::report(&p);
                    return ExitCode::from(1);
                }
            }
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
    std::mem::forget(catalog);
    code
}

/// The catalog for the design `ws` and the design checked against it. An outlined catalog
/// answers every check a sound design needs; a design it finds fault with is checked again
/// against the whole catalog, so that what is reported (with its hints) is what the whole
/// catalog says.
fn need_catalog(
    files: &[PathBuf],
    cache_dir: Option<&Path>,
    ws: &Path,
) -> Result<(Outline, crate::document::Loaded), crate::problem::Problems> {
    let outline = crate::catalog::outline_cache::load_outline(files, cache_dir)?;
    match crate::document::load_workspace(ws, outline.catalog()) {
        Ok(loaded) => Ok((outline, loaded)),
        Err(p) if matches!(outline, Outline::Whole(_)) => Err(p),
        Err(_) => {
            let whole = outline.whole(files)?;
            let loaded = crate::document::load_workspace(ws, &whole)?;
            Ok((Outline::Whole(whole), loaded))
        }
    }
}
