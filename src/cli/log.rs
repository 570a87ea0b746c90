//! `microcred log WORKSPACE`: the commits that touched a design's file (author, date, message),
//! each with what it changed in the design, then the changes not saved yet (the journal).
//! Outside a git repository (or without git) it says so and lists the unsaved changes only.
//! Exit 0, or 2 when git fails or the output cannot be written.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use super::TextOrJson;
use crate::analysis::diff::{DesignDiff, summary, to_text_named};
use crate::analysis::portfolio_diff::{self, PortfolioDiff};
use crate::catalog::Catalog;
use crate::document::history::{self, Commits, Unsaved};
use crate::store::git::{Commit, short};

/// One listed commit, as printed.
#[derive(Debug, Serialize)]
struct Entry {
    commit: String,
    author: String,
    email: String,
    date: String,
    message: String,
    /// The file's path at the commit, from the repository's root.
    path: String,
    /// What changed, in one line (empty when the version cannot be read).
    summary: String,
    diff: Option<AnyDiff>,
    /// Why this version cannot be compared (it does not parse), if so.
    error: Option<String>,
}

/// What a commit changed: in a design, or in a portfolio.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum AnyDiff {
    Design(Box<DesignDiff>),
    Portfolio(Box<PortfolioDiff>),
}

/// The whole output.
#[derive(Debug, Serialize)]
struct Log {
    file: String,
    /// False outside a git repository, or without git.
    repository: bool,
    /// Why there is no history, if there is none.
    note: Option<String>,
    commits: Vec<Entry>,
    unsaved: Vec<Unsaved>,
}

/// The entries of the first `shown` commits.
fn entries(path: &Path, commits: &[Commit], shown: usize) -> Vec<Entry> {
    let mut out: Vec<Entry> = commits[..shown.min(commits.len())]
        .iter()
        .map(|c| Entry {
            commit: c.hash.clone(),
            author: c.author.clone(),
            email: c.email.clone(),
            date: c.date.clone(),
            message: c.message.clone(),
            path: c.path.clone(),
            summary: String::new(),
            diff: None,
            error: None,
        })
        .collect();
    let mut put = |i: usize, change: Result<(String, AnyDiff), String>| {
        if let Some(e) = out.get_mut(i) {
            match change {
                Ok((s, d)) => {
                    e.summary = s;
                    e.diff = Some(d);
                }
                Err(why) => e.error = Some(why),
            }
        }
        true
    };
    if crate::export::is_portfolio_file(path) {
        crate::document::portfolio::changes(path, commits, shown, |i, change| {
            put(
                i,
                change.map(|d| (portfolio_diff::summary(&d), AnyDiff::Portfolio(Box::new(d)))),
            )
        });
    } else {
        history::changes(path, commits, shown, |i, change| {
            put(
                i,
                change.map(|d| (summary(&d), AnyDiff::Design(Box::new(d)))),
            )
        });
    }
    out
}

/// List the history of `workspace`: at most `max` commits, from every branch with `all`.
/// Competencies are named from the frameworks in `paths` and beside the workspace; when those
/// cannot be loaded, the history is still listed, with references.
pub fn run(
    paths: &[std::path::PathBuf],
    workspace: &Path,
    max: usize,
    all: bool,
    format: TextOrJson,
) -> ExitCode {
    if max == 0 {
        say!("microcred log: -n must be at least 1");
        return ExitCode::from(2);
    }
    let name = workspace.display().to_string();
    let (repository, note, commits) = match history::commits(workspace, max, all) {
        Ok(Commits::Found { commits, shown }) => (true, None, entries(workspace, &commits, shown)),
        Ok(Commits::NoRepository) => (
            false,
            Some(format!(
                "{name} is not in a git repository, so it has no history; only the changes not saved yet are listed"
            )),
            Vec::new(),
        ),
        Ok(Commits::NoGit(why)) => (
            false,
            Some(format!(
                "{why}; without git there is no history of {name}; only the changes not saved yet are listed"
            )),
            Vec::new(),
        ),
        Err(e) => {
            say!("microcred log: {e}");
            return ExitCode::from(2);
        }
    };
    let sources = crate::catalog::Sources::new(paths.to_vec(), Some(workspace));
    let catalog = crate::catalog::load(&sources).ok();
    let unsaved = match history::unsaved(workspace, catalog.as_ref()) {
        Ok(u) => u,
        Err(e) => {
            say!("microcred log: {name}: cannot read the journal of unsaved changes: {e}");
            Vec::new()
        }
    };
    let log = Log {
        file: name,
        repository,
        note,
        commits,
        unsaved,
    };
    let text = match format {
        TextOrJson::Text => to_text_log(&log, catalog.as_ref()),
        TextOrJson::Json => match serde_json::to_string_pretty(&log) {
            Ok(j) => j + "\n",
            Err(e) => {
                say!("microcred log: {e}");
                return ExitCode::from(2);
            }
        },
    };
    match super::print_as(&text, format == TextOrJson::Json) {
        c if c == ExitCode::SUCCESS => c,
        _ => ExitCode::from(2),
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{by}{l}\n")
            }
        })
        .collect()
}

fn to_text_log(log: &Log, cat: Option<&Catalog>) -> String {
    let name = |r: &str| {
        cat.and_then(|c| c.resolve(r))
            .map(|(_, comp)| comp.name.clone())
    };
    let mut out = String::new();
    if let Some(note) = &log.note {
        out.push_str(&format!("{note}.\n"));
    } else if log.commits.is_empty() {
        out.push_str(&format!(
            "{}: no commit has touched this file yet.\n",
            log.file
        ));
    }
    for e in &log.commits {
        let who = if e.email.is_empty() {
            e.author.clone()
        } else {
            format!("{} <{}>", e.author, e.email)
        };
        out.push_str(&format!(
            "\ncommit {}  {}  {who}\n",
            short(&e.commit),
            e.date
        ));
        out.push_str(&indent(&e.message, "    "));
        out.push('\n');
        match (&e.diff, &e.error) {
            (Some(d), _) => {
                out.push_str(&format!("    {}\n", e.summary));
                let text = match d {
                    AnyDiff::Design(d) => to_text_named(d, &name),
                    AnyDiff::Portfolio(d) => portfolio_diff::to_text(d),
                };
                out.push_str(&indent(&text, "    "));
            }
            (None, Some(why)) => {
                out.push_str(&indent(&format!("cannot read this version: {why}"), "    "));
            }
            (None, None) => {}
        }
    }
    if log.unsaved.is_empty() {
        if !log.repository {
            out.push_str("No unsaved changes.\n");
        }
    } else {
        out.push_str(&format!(
            "\nUnsaved changes ({}, in the journal):\n",
            log.unsaved.len()
        ));
        for u in &log.unsaved {
            out.push_str(&format!("  {}  {}  {}\n", u.time, u.who, u.what));
        }
    }
    out
}
