//! `microcred evidence add WORKSPACE FILE...`: job postings (text or Markdown files, folders of
//! them, or a CSV with a text column) stored in the workspace with what extraction finds in
//! them. The workspace changes only through `Op`s applied by its `Hub` (with the edit lock,
//! the journal and an atomic save), like the editor's changes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::analysis::evidence;
use crate::document::{self, Busy, Leftover, OpenError};
use crate::edit::{Actor, Op};
use crate::limits;
use crate::model::{Posting, validate};
use crate::problem::Problem;
use crate::store;

/// Largest posting file read (a CSV may hold many postings: up to the workspace limit).
const POSTING_FILE_BYTES: u64 = 1024 * 1024;

/// `microcred evidence …`.
#[derive(Debug, Clone, Subcommand)]
pub enum EvidenceCommand {
    /// Add job postings as evidence of industry need: text or Markdown files (`.txt`, `.md`),
    /// folders of them, or CSV files with a text column (--column). Each is stored in the
    /// workspace with its title (first line or heading), source, date and partner, and the
    /// competencies the suggester finds in its sentences.
    Add(AddArgs),
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

/// One posting read from a file, before extraction.
#[derive(Debug)]
struct Raw {
    source: String,
    title: Option<String>,
    text: String,
}

pub(super) fn run(paths: &[PathBuf], cmd: &EvidenceCommand) -> ExitCode {
    match cmd {
        EvidenceCommand::Add(args) => add(paths, args),
    }
}

fn fail(p: Problem) -> ExitCode {
    super::report(&p.into());
    ExitCode::from(1)
}

fn add(paths: &[PathBuf], args: &AddArgs) -> ExitCode {
    if let Some(d) = &args.date
        && !validate::valid_date(d)
    {
        eprintln!(
            "error: --date `{d}` is not a date\nhelp: write it as YYYY-MM-DD, e.g. 2026-03-31"
        );
        return ExitCode::from(2);
    }
    let ws_path = args.workspace.as_path();
    if !ws_path.is_file() {
        return fail(
            Problem::error(
                ws_path.display().to_string(),
                "there is no workspace file here",
            )
            .hint("create the design first (open it in the editor and save), then add evidence"),
        );
    }
    let mut raws = Vec::new();
    for f in &args.files {
        if let Err(p) = read_input(f, args, &mut raws) {
            return fail(p);
        }
    }
    if raws.is_empty() {
        return fail(Problem::error(
            args.files[0].display().to_string(),
            "no posting found (folders are read for .txt, .md and .markdown files)",
        ));
    }
    let opened = match document::open(paths, Some(ws_path), "microcred evidence add", Busy::Refuse)
    {
        Ok(o) => o,
        Err(OpenError::Catalog(p) | OpenError::Workspace(p)) => {
            super::report(&p);
            return ExitCode::from(1);
        }
        Err(OpenError::Busy(who)) => {
            eprintln!(
                "error: {who}\nhelp: add the postings when the editor is closed, or from the editor"
            );
            return ExitCode::from(1);
        }
        Err(OpenError::Lock(why)) => {
            eprintln!("error: {why}");
            return ExitCode::from(1);
        }
    };
    if let Leftover::Found(found) = &opened.leftover {
        eprintln!(
            "error: {} holds unsaved changes of an editor that did not close\nhelp: open {} in the editor to recover or discard them, then add the postings",
            found.path.display(),
            ws_path.display()
        );
        return ExitCode::from(1);
    }
    let hub = opened.hub;
    let sources = crate::catalog::Sources::new(paths.to_vec(), Some(ws_path));
    let suggester = match crate::catalog::suggest_cache::load_suggester(&sources) {
        Ok(s) => s,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    let ws = hub.snapshot().ws;
    let mut seen: HashSet<String> = ws.postings.iter().map(|p| p.sha256.clone()).collect();
    let mut used: HashSet<String> = ws.postings.iter().map(|p| p.id.clone()).collect();
    let mut next = ws.postings.len() + 1;
    let today = crate::clock::now_rfc3339()
        .chars()
        .take(10)
        .collect::<String>();
    let mut ops = Vec::new();
    let mut lines = String::new();
    for raw in raws {
        let sha256 = store::hex::sha256_hex(raw.text.as_bytes());
        if !seen.insert(sha256.clone()) {
            eprintln!(
                "warning: {}: the same posting is already in the workspace; skipped",
                raw.source
            );
            continue;
        }
        while used.contains(&format!("P{next}")) {
            next += 1;
        }
        let id = format!("P{next}");
        used.insert(id.clone());
        let mentions = evidence::extract(&suggester, &raw.text, evidence::THRESHOLD);
        let title = raw
            .title
            .or_else(|| evidence::title_of(&raw.text))
            .unwrap_or_else(|| raw.source.clone());
        let title: String = title.chars().take(limits::NAME).collect();
        lines.push_str(&format!(
            "{id}\t{}\t{} competencies\t{}\n",
            title,
            mentions.len(),
            raw.source
        ));
        ops.push(Op::InsertPosting {
            at: usize::MAX,
            posting: Box::new(Posting {
                id,
                title,
                source: Some(args.source.clone().unwrap_or(raw.source)),
                date: Some(args.date.clone().unwrap_or_else(|| today.clone())),
                partner: args.partner.clone(),
                sha256,
                text: raw.text,
                mentions,
            }),
        });
    }
    std::mem::forget(suggester);
    if ops.is_empty() {
        eprintln!(
            "nothing to add: every posting is already in {}",
            ws_path.display()
        );
        return ExitCode::SUCCESS;
    }
    let count = ops.len();
    if let Err(r) = hub.apply(&Actor::designer("microcred evidence"), Op::Batch { ops }) {
        eprintln!(
            "error: {}: the postings were not added: {r}",
            ws_path.display()
        );
        return ExitCode::from(1);
    }
    if let Err(e) = hub.save(None) {
        eprintln!("error: {}: cannot save: {e}", ws_path.display());
        return ExitCode::from(1);
    }
    eprintln!("added {count} posting(s) to {}", ws_path.display());
    super::print_out(&lines)
}

/// Read the postings of one argument: a folder, a CSV file or a text file.
fn read_input(path: &Path, args: &AddArgs, out: &mut Vec<Raw>) -> Result<(), Problem> {
    let name = path.display().to_string();
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Problem::error(&name, format!("cannot read the folder: {e}")))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "txt" | "md" | "markdown"))
            })
            .collect();
        files.sort();
        for f in files {
            out.push(read_posting_file(&f)?);
        }
        return Ok(());
    }
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        return read_csv(path, args, out);
    }
    out.push(read_posting_file(path)?);
    Ok(())
}

fn read_posting_file(path: &Path) -> Result<Raw, Problem> {
    let name = path.display().to_string();
    let text = store::read_text_within(path, POSTING_FILE_BYTES)?;
    let text = posting_text(&name, &text, 1)?;
    Ok(Raw {
        source: path
            .file_name()
            .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned()),
        title: None,
        text,
    })
}

/// A posting's text checked and tidied: line ends made `\n`, no control or bidirectional
/// characters (located: `first_line` is the line the text starts on in its file), not empty,
/// not over [`limits::POSTING`] characters.
fn posting_text(name: &str, text: &str, first_line: usize) -> Result<String, Problem> {
    let text = text.replace("\r\n", "\n");
    for (i, line) in text.split('\n').enumerate() {
        if let Some((col, c)) = line
            .chars()
            .enumerate()
            .find(|&(_, c)| c != '\t' && crate::problem::is_hidden(c))
        {
            return Err(Problem::error(
                name,
                format!(
                    "the posting holds the control character U+{:04X}",
                    u32::from(c)
                ),
            )
            .at(first_line + i, col + 1)
            .hint("save the posting as plain text (UTF-8) without control characters"));
        }
    }
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(Problem::error(name, "the posting is empty")
            .at(first_line, 1)
            .hint("give a file that holds a job posting's text"));
    }
    let len = text.chars().count();
    if len > limits::POSTING {
        return Err(Problem::error(
            name,
            format!(
                "the posting has {len} characters; the limit is {}",
                limits::POSTING
            ),
        )
        .at(first_line, 1)
        .hint("a posting this long is probably not one posting; split it"));
    }
    Ok(text)
}

fn read_csv(path: &Path, args: &AddArgs, out: &mut Vec<Raw>) -> Result<(), Problem> {
    let name = path.display().to_string();
    let Some(column) = &args.column else {
        return Err(Problem::error(&name, "a CSV file needs --column")
            .hint("name the column that holds the postings' text, e.g. --column description"));
    };
    let text = store::read_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let located = |e: csv::Error| {
        let mut p = Problem::error(&name, format!("not valid CSV: {e}"));
        if let Some(pos) = e.position() {
            p = p.at(pos.line() as usize, 1);
        }
        p.hint("check the quotes and the number of fields on that line")
    };
    let headers = reader.headers().map_err(located)?.clone();
    let find = |col: &str| {
        headers.iter().position(|h| h == col).ok_or_else(|| {
            Problem::error(&name, format!("there is no column `{col}`"))
                .at(1, 1)
                .hint(format!(
                    "the columns are: {}",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ))
        })
    };
    let text_col = find(column)?;
    let title_col = args.title_column.as_deref().map(find).transpose()?;
    let file = path
        .file_name()
        .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    for record in reader.records() {
        let record = record.map_err(located)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = record.get(text_col).unwrap_or_default();
        let col_name = |p: Problem| Problem {
            message: format!("{} (column `{column}`)", p.message),
            ..p
        };
        let text = posting_text(&name, cell, line).map_err(col_name)?;
        let title = match title_col {
            Some(i) => {
                let t = record.get(i).unwrap_or_default().trim();
                if t.chars().any(crate::problem::is_hidden) {
                    return Err(Problem::error(&name, "the title holds a control character")
                        .at(line, i + 1)
                        .hint("remove it from the title column"));
                }
                (!t.is_empty()).then(|| t.to_string())
            }
            None => None,
        };
        out.push(Raw {
            source: format!("{file} line {line}"),
            title,
            text,
        });
    }
    Ok(())
}
