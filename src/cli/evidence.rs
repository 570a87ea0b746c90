//! `microcred evidence add|list|remove WORKSPACE …`: job postings (text or Markdown files,
//! folders of them, or a CSV with a text column) stored in the workspace with what extraction
//! finds in them, listed, and removed. Reading is `store::postings`, preparing the postings
//! `analysis::evidence::prepare`. The workspace changes only through `Op`s applied by its `Hub`
//! (with the edit lock, the journal and an atomic save), like the editor's changes; a design
//! open in an editor or a server gets them through that process (`cli::handoff`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::TextOrJson;
use super::handoff::{self, Target, Unreached};
use crate::analysis::evidence::{self, PostingMeta};
use crate::document::{self, Busy, Leftover, OpenError};
use crate::edit::{Actor, Op};
use crate::model::{Posting, validate};
use crate::problem::Problem;
use crate::store::postings::{ReadOptions, read_inputs};

/// `microcred evidence …`.
#[derive(Debug, Clone, Subcommand)]
pub enum EvidenceCommand {
    /// Add job postings as evidence of industry need: text or Markdown files (`.txt`, `.md`),
    /// folders of them, or CSV files with a text column (--column). Each is stored in the
    /// workspace with its title (first line or heading), source, date and partner, and the
    /// competencies the suggester finds in its sentences.
    Add(AddArgs),
    /// List the postings of a workspace: id, date, partner, title, how many competencies
    /// extraction found, source.
    List {
        /// The workspace file.
        workspace: PathBuf,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Remove postings from a workspace by id (`microcred evidence list` shows the ids).
    Remove {
        /// The workspace file.
        workspace: PathBuf,
        /// Posting ids (`P1`, `P2`, …).
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
}

/// Arguments of `microcred evidence add`.
#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// The workspace file (it must exist).
    pub workspace: PathBuf,
    /// Posting files, folders of them, or CSV files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The CSV column holding a posting's text (required for CSV files).
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// The CSV column holding a posting's title (else its first line).
    #[arg(long, value_name = "NAME")]
    pub title_column: Option<String>,
    /// The partner the postings came from (a partner id of the workspace).
    #[arg(long, value_name = "ID")]
    pub partner: Option<String>,
    /// Where they came from (else the file name, with the CSV row).
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// When they were posted, YYYY-MM-DD (else today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

pub(super) fn run(paths: &[PathBuf], cmd: &EvidenceCommand) -> ExitCode {
    match cmd {
        EvidenceCommand::Add(args) => add(paths, args),
        EvidenceCommand::List { workspace, format } => list(paths, workspace, *format),
        EvidenceCommand::Remove { workspace, ids } => remove(paths, workspace, ids),
    }
}

fn fail(p: Problem) -> ExitCode {
    super::report(&p.into());
    ExitCode::from(1)
}

/// Refuse a workspace path where there is no file (`document::open` would start a new design).
fn require_file(ws_path: &Path, hint: &str) -> Result<(), ExitCode> {
    if ws_path.is_file() {
        return Ok(());
    }
    Err(fail(
        Problem::error(
            ws_path.display().to_string(),
            "there is no workspace file here",
        )
        .hint(hint),
    ))
}

/// Open the existing workspace at `ws_path` to change it as `program`, or reach the editor or
/// server that has it open (which then makes the change); it must not have unsaved changes of
/// an editor left behind. `doing` names the change in the messages ("add the postings").
fn open_to_change(
    paths: &[PathBuf],
    ws_path: &Path,
    program: &str,
    doing: &str,
) -> Result<Target, ExitCode> {
    // A design open elsewhere answers on its socket at once (the lock would be waited for).
    match handoff::holder(ws_path) {
        Ok(target) => return Ok(target),
        Err(Unreached::NotListening) => {}
        Err(Unreached::Failed(why)) => {
            say!(
                "error: {}: the editor that has it open did not answer as it should ({why})\nhelp: {doing} when the editor is closed, or from the editor",
                ws_path.display()
            );
            return Err(ExitCode::from(1));
        }
    }
    let opened = match document::open(paths, Some(ws_path), program, Busy::Refuse) {
        Ok(o) => o,
        Err(OpenError::Catalog(p) | OpenError::Workspace(p)) => {
            super::report(&p);
            return Err(ExitCode::from(1));
        }
        Err(OpenError::Busy(who)) => {
            // Open in a process that takes no changes from here (an older microcred).
            say!("error: {who}\nhelp: {doing} when the editor is closed, or from the editor");
            return Err(ExitCode::from(1));
        }
        Err(OpenError::Lock(why)) => {
            say!("error: {why}");
            return Err(ExitCode::from(1));
        }
    };
    if let Leftover::Unreadable { path, error, .. } = &opened.leftover {
        say!(
            "error: {}: cannot read the journal of unsaved changes ({error})\nhelp: open {} in the editor, which moves it aside, then {doing}",
            path.display(),
            ws_path.display()
        );
        return Err(ExitCode::from(1));
    }
    if let Leftover::Found(found) = &opened.leftover {
        say!(
            "error: {} holds unsaved changes of an editor that did not close\nhelp: open {} in the editor to recover or discard them, then {doing}",
            found.path.display(),
            ws_path.display()
        );
        return Err(ExitCode::from(1));
    }
    Ok(Target::Here(opened.hub))
}

/// Apply `ops` as one change and save, or hand them to the process that has the design open;
/// the error message says what was not done. The words for a change that went to that process
/// (to add to what was done), else nothing.
fn apply_and_save(
    target: &Target,
    ws_path: &Path,
    ops: Vec<Op>,
    what: &str,
) -> Result<&'static str, ExitCode> {
    let hub = match target {
        Target::Here(hub) => hub,
        Target::Holder(_) => {
            return match handoff::apply(ws_path, Op::Batch { ops }) {
                Ok(_) => Ok(
                    ", through the editor that has it open (it is in that editor's journal, on its screens, and `u` there undoes it)",
                ),
                Err(r) => {
                    say!("error: {}: {what}: {r}", ws_path.display());
                    Err(ExitCode::from(1))
                }
            };
        }
    };
    if let Err(r) = hub.apply(&Actor::designer("microcred evidence"), Op::Batch { ops }) {
        say!("error: {}: {what}: {r}", ws_path.display());
        return Err(ExitCode::from(1));
    }
    if let Err(e) = hub.save(None) {
        say!("error: {}: cannot save: {e}", ws_path.display());
        return Err(ExitCode::from(1));
    }
    Ok("")
}

fn add(paths: &[PathBuf], args: &AddArgs) -> ExitCode {
    if let Some(d) = &args.date
        && !validate::valid_date(d)
    {
        say!("error: --date `{d}` is not a date\nhelp: write it as YYYY-MM-DD, e.g. 2026-03-31");
        return ExitCode::from(2);
    }
    let ws_path = args.workspace.as_path();
    if let Err(code) = require_file(
        ws_path,
        "create the design first (open it in the editor and save), then add evidence",
    ) {
        return code;
    }
    let opts = ReadOptions {
        column: args.column.clone(),
        title_column: args.title_column.clone(),
    };
    let raws = match read_inputs(&args.files, &opts) {
        Ok(r) => r,
        Err(p) => return fail(p),
    };
    if raws.is_empty() {
        return fail(Problem::error(
            args.files[0].display().to_string(),
            "no posting found (folders are read for .txt, .md and .markdown files)",
        ));
    }
    let target = match open_to_change(paths, ws_path, "microcred evidence add", "add the postings")
    {
        Ok(t) => t,
        Err(code) => return code,
    };
    let sources = crate::catalog::Sources::new(paths.to_vec(), Some(ws_path));
    let suggester = match crate::catalog::suggest_cache::load_suggester(&sources) {
        Ok(s) => s,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    let today: String = crate::clock::now_rfc3339().chars().take(10).collect();
    let meta = PostingMeta {
        partner: args.partner.clone(),
        source: args.source.clone(),
        date: args.date.clone(),
    };
    let prepared = evidence::prepare(
        &target.workspace(),
        raws,
        &suggester,
        &meta,
        &today,
        &mut |_, _| {},
    );
    // Dropping a large index costs time and the process ends soon anyway.
    std::mem::forget(suggester);
    for source in &prepared.skipped {
        say!("warning: {source}: the same posting is already in the workspace; skipped");
    }
    if prepared.postings.is_empty() {
        say!(
            "nothing to add: every posting is already in {}",
            ws_path.display()
        );
        return ExitCode::SUCCESS;
    }
    let mut lines = String::new();
    for (p, from) in prepared.postings.iter().zip(&prepared.read_from) {
        lines.push_str(&format!(
            "{}\t{}\t{} competencies\t{from}\n",
            p.id,
            p.title,
            p.mentions.len()
        ));
    }
    let count = prepared.postings.len();
    let ops = prepared
        .postings
        .into_iter()
        .map(|posting| Op::InsertPosting {
            at: usize::MAX,
            posting: Box::new(posting),
        })
        .collect();
    let how = match apply_and_save(&target, ws_path, ops, "the postings were not added") {
        Ok(how) => how,
        Err(code) => return code,
    };
    say!("added {count} posting(s) to {}{how}", ws_path.display());
    super::print_out(&lines)
}

/// One posting as `evidence list --format json` shows it.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    date: Option<&'a str>,
    partner: Option<&'a str>,
    /// The references of the competencies extraction found, in order of reference.
    competencies: Vec<&'a str>,
}

impl<'a> Listed<'a> {
    fn of(p: &'a Posting) -> Self {
        Listed {
            id: &p.id,
            title: &p.title,
            source: p.source.as_deref(),
            date: p.date.as_deref(),
            partner: p.partner.as_deref(),
            competencies: p.mentions.iter().map(|m| m.competency.as_str()).collect(),
        }
    }
}

/// The text line of one posting: id, date, partner, title, competencies, source, tab-separated
/// (`-` for what is not known).
fn list_line(p: &Posting) -> String {
    let or_dash = |v: &Option<String>| v.as_deref().unwrap_or("-").replace('\t', " ");
    let n = p.mentions.len();
    let noun = if n == 1 { "competency" } else { "competencies" };
    format!(
        "{}\t{}\t{}\t{}\t{n} {noun}\t{}\n",
        p.id,
        or_dash(&p.date),
        or_dash(&p.partner),
        p.title.replace('\t', " "),
        or_dash(&p.source)
    )
}

fn list(paths: &[PathBuf], ws_path: &Path, format: TextOrJson) -> ExitCode {
    // A design open elsewhere is listed as it is there, with changes not saved yet (those
    // `evidence add` just handed over, say).
    let ws = match handoff::holder(ws_path) {
        Ok(target) => target.workspace(),
        Err(_) => {
            let cat = match super::load_catalog(paths, Some(ws_path)) {
                Ok(c) => c,
                Err(code) => return code,
            };
            match document::load_workspace(ws_path, &cat) {
                Ok(l) => std::sync::Arc::new(l.workspace),
                Err(p) => {
                    super::report(&p);
                    return ExitCode::from(1);
                }
            }
        }
    };
    let text = match format {
        TextOrJson::Text => {
            if ws.postings.is_empty() {
                say!(
                    "{} holds no postings; add some with `microcred evidence add`",
                    ws_path.display()
                );
            }
            ws.postings.iter().map(list_line).collect::<String>()
        }
        TextOrJson::Json => {
            let items: Vec<Listed> = ws.postings.iter().map(Listed::of).collect();
            match serde_json::to_string_pretty(&items) {
                Ok(j) => j + "\n",
                Err(e) => {
                    say!("error: {e}");
                    return ExitCode::from(1);
                }
            }
        }
    };
    super::print_as(&text, format == TextOrJson::Json)
}

fn remove(paths: &[PathBuf], ws_path: &Path, ids: &[String]) -> ExitCode {
    if let Err(code) = require_file(ws_path, "give the path of an existing workspace file") {
        return code;
    }
    let target = match open_to_change(
        paths,
        ws_path,
        "microcred evidence remove",
        "remove the postings",
    ) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let ws = target.workspace();
    let known: HashSet<&str> = ws.postings.iter().map(|p| p.id.as_str()).collect();
    let unknown: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| !known.contains(id))
        .collect();
    if !unknown.is_empty() {
        let names = unknown
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let what = if unknown.len() == 1 {
            "is no posting"
        } else {
            "are no postings"
        };
        say!(
            "error: {}: there {what} {names}; nothing was removed\nhelp: `microcred evidence list {}` shows the postings' ids",
            ws_path.display(),
            ws_path.display()
        );
        return ExitCode::from(1);
    }
    // Each id once, in the order given.
    let mut seen = HashSet::new();
    let wanted: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| seen.insert(*id))
        .collect();
    let by_id: std::collections::HashMap<&str, &Posting> =
        ws.postings.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut lines = String::new();
    for id in &wanted {
        if let Some(p) = by_id.get(id) {
            lines.push_str(&format!("{id}\t{}\n", p.title));
        }
    }
    let ops = wanted
        .iter()
        .map(|id| Op::RemovePosting { id: id.to_string() })
        .collect();
    let how = match apply_and_save(&target, ws_path, ops, "the postings were not removed") {
        Ok(how) => how,
        Err(code) => return code,
    };
    say!(
        "removed {} posting(s) from {}{how}",
        wanted.len(),
        ws_path.display()
    );
    super::print_out(&lines)
}
