//! The `microcred` command line: argument parsing with clap, one module per command.
//! Exit codes: 0 fine, 1 problems found or invalid input, 2 usage error.
//! Messages go to stderr, data to stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalog::{self, Catalog, Sources};
use crate::problem::Problems;

mod cache;
mod check;
mod export;
mod fmt;
mod frameworks;
mod import;
mod search;
mod suggest;
mod validate;

/// Co-design competency-based micro-credentials with industry partners.
#[derive(Debug, Parser)]
#[command(name = "microcred", version, about, long_about = None)]
pub struct Cli {
    /// Load frameworks from this folder or file too (repeatable). Also: MICROCRED_FRAMEWORKS
    /// (a path list) and a `frameworks/` folder beside the workspace.
    #[arg(long = "frameworks", global = true, value_name = "DIR")]
    pub frameworks: Vec<PathBuf>,

    /// Monochrome display (also when NO_COLOR is set).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Workspace to open in the editor (a missing file starts a new design there).
    pub workspace: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output format for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

/// Output format for ranked lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TsvOrJson {
    Tsv,
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the loaded frameworks: id, name, version, source, competency count.
    Frameworks {
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Check framework and workspace files (told apart by content); print every problem.
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Rewrite a workspace in canonical form, or with --check report whether it is.
    Fmt {
        workspace: PathBuf,
        /// Change nothing; exit 1 if the file is not in canonical form.
        #[arg(long)]
        check: bool,
    },
    /// Report what the design still fails to deliver: coverage and every gap kind.
    Check(check::CheckArgs),
    /// Export a finished design: the YAML spec (default), Open Badges 3.0 JSON or Markdown.
    /// Refuses (exit 1) while required elements are missing, a critical need is uncovered or
    /// a mapping is disputed, unless --force.
    Export {
        workspace: PathBuf,
        #[arg(long, value_enum, default_value_t = crate::export::Format::Yaml)]
        format: crate::export::Format,
        /// Write to this file (atomically) instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Export anyway, as a draft listing the open problems.
        #[arg(long)]
        force: bool,
        /// Record the export time (the output then differs from run to run).
        #[arg(long)]
        timestamp: bool,
    },
    /// Serve the editor over SSH to the people in PEOPLE.yaml (see docs/serve.md).
    Serve(crate::serve::ServeArgs),
    /// Print the JSON Schema of a file format (framework, workspace or spec).
    Schema {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::export::schema::FORMATS))]
        format: String,
    },
    /// Import a public framework (ESCO CSV, CASE JSON) as a framework file.
    Import(import::ImportArgs),
    /// Fuzzy-search competency names, keywords and ids in every loaded framework.
    /// TSV lines: score, framework:id, name.
    Search {
        /// Letters to find in order, not necessarily together (fuzzy); an upper-case letter
        /// makes the search case-sensitive.
        query: String,
        /// How many hits to print.
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long, value_enum, default_value_t = TsvOrJson::Tsv)]
        format: TsvOrJson,
    },
    /// Suggest competencies for a need's text, or with --need for a need of a workspace.
    /// TSV lines: rank, framework:id, score, name.
    Suggest {
        /// The need's text; with --need, the workspace file.
        #[arg(value_name = "TEXT|WORKSPACE")]
        input: String,
        /// Suggest for this need of the workspace.
        #[arg(long, value_name = "ID")]
        need: Option<String>,
        /// How many suggestions to print.
        #[arg(long, default_value_t = 10)]
        top: usize,
        #[arg(long, value_enum, default_value_t = TsvOrJson::Tsv)]
        format: TsvOrJson,
    },
    /// Show the cache folder: its files (least recently used first), their sizes, the total
    /// and the bound (MICROCRED_CACHE_MAX, default 512M). With --clear, remove them.
    Cache {
        /// Remove every cache file.
        #[arg(long)]
        clear: bool,
    },
}

/// Run the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Some(Command::Frameworks { format }) => frameworks::run(&cli.frameworks, format),
        Some(Command::Validate { files }) => validate::run(&cli.frameworks, &files),
        Some(Command::Fmt { workspace, check }) => fmt::run(&cli.frameworks, &workspace, check),
        Some(Command::Check(args)) => check::run(&cli.frameworks, &args),
        Some(Command::Export {
            workspace,
            format,
            output,
            force,
            timestamp,
        }) => export::run(
            &cli.frameworks,
            &workspace,
            format,
            output.as_deref(),
            force,
            timestamp,
        ),
        Some(Command::Serve(args)) => crate::serve::run(&cli.frameworks, &args),
        Some(Command::Schema { format }) => match crate::export::schema::json_schema(&format) {
            Some(s) => print_out(&s),
            None => ExitCode::from(2),
        },
        Some(Command::Import(args)) => import::run(args),
        Some(Command::Search { query, top, format }) => {
            search::run(&cli.frameworks, &query, top, format)
        }
        Some(Command::Suggest {
            input,
            need,
            top,
            format,
        }) => suggest::run(&cli.frameworks, &input, need.as_deref(), top, format),
        Some(Command::Cache { clear }) => cache::run(clear),
        None => open_editor(&cli.frameworks, cli.workspace.as_deref(), cli.no_color),
    }
}

/// Print data to stdout.
pub(crate) fn print_out(text: &str) -> ExitCode {
    search::write_stdout(text)
}

/// Print problems to stderr.
pub(crate) fn report(p: &Problems) {
    eprintln!("{p}");
}

/// Load the catalog for a command, printing problems.
pub(crate) fn load_catalog(
    paths: &[PathBuf],
    workspace: Option<&std::path::Path>,
) -> Result<Catalog, ExitCode> {
    catalog::load(&Sources::new(paths.to_vec(), workspace)).map_err(|p| {
        report(&p);
        ExitCode::from(1)
    })
}

/// `microcred [WORKSPACE]`: open the editor on a workspace (a missing file starts a new one).
fn open_editor(paths: &[PathBuf], workspace: Option<&std::path::Path>, no_color: bool) -> ExitCode {
    use crate::document::{Busy, OpenError};
    let opened = match crate::document::open(paths, workspace, "microcred", Busy::ReadOnly) {
        Ok(o) => o,
        Err(OpenError::Catalog(p) | OpenError::Workspace(p)) => {
            report(&p);
            return ExitCode::from(1);
        }
        Err(OpenError::Lock(why) | OpenError::Busy(why)) => {
            eprintln!("microcred: {why}");
            return ExitCode::from(1);
        }
    };
    let keymap = match crate::tui::keys::Keymap::load_user() {
        Ok(k) => k,
        Err(problems) => {
            report(&problems);
            return ExitCode::from(1);
        }
    };
    let options = crate::tui::Options { no_color, keymap };
    let message = match &opened.busy {
        Some(_) => opened.hub.snapshot().read_only.clone(),
        None => workspace.and_then(|p| offer_recovery(&opened.hub, p, opened.leftover)),
    };
    match crate::tui::run_with(opened.hub, message, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("microcred: {e}");
            ExitCode::from(1)
        }
    }
}

/// Ask a yes/no question on the terminal; false when there is no terminal to ask on.
fn ask(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Read, Write};
    if !std::io::stdin().is_terminal() {
        return false;
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{question} [y/n] ");
    let _ = err.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().take(64).read_line(&mut answer);
    let a = answer.trim();
    a.eq_ignore_ascii_case("y") || a.eq_ignore_ascii_case("yes")
}

/// If `workspace` had a journal left behind, show what it holds and ask whether to recover it
/// (y) or set it aside (n). Changes made to a file that was changed on disk since are
/// recovered into a conflict copy, never over that file. Returns what to tell the user.
fn offer_recovery(
    hub: &crate::document::Hub,
    workspace: &std::path::Path,
    leftover: crate::document::Leftover,
) -> Option<String> {
    use crate::document::Leftover;
    use std::io::IsTerminal;
    let found = match leftover {
        Leftover::Nothing => return None,
        Leftover::Unreadable { error: e, .. } => {
            return Some(format!(
                "The journal of {} could not be read ({e}); it was left as it is.",
                workspace.display()
            ));
        }
        Leftover::Empty { skipped } => {
            for w in &skipped {
                eprintln!("microcred: warning: {w}");
            }
            return None;
        }
        Leftover::Found(f) => f,
    };
    for w in &found.skipped {
        eprintln!("microcred: warning: {w}");
    }
    if !std::io::stdin().is_terminal() {
        return None; // the editor refuses to start without a terminal anyway
    }
    let name = workspace.display();
    if found.file_changed {
        let question = format!(
            "{name} was changed on disk (by another program or a checkout) after its last unsaved changes were made here: the journal holds {}.\nRecover them into a conflict copy beside it, leaving {name} as it is?",
            found.summary()
        );
        if ask(&question) {
            return Some(match hub.recover_into_copy(&found) {
                Ok((n, problems, copy)) => format!(
                    "Recovered {n} change(s) into {}{}; {name} is as it was on disk. Compare and merge.",
                    copy.display(),
                    not_restored(&problems)
                ),
                Err(e) => format!(
                    "The changes could not be recovered ({e}); the journal was left as it is."
                ),
            });
        }
    } else {
        let question = format!(
            "{name} was not saved after its last changes: the journal holds {}.\nRecover them?",
            found.summary()
        );
        if ask(&question) {
            let (n, problems) = hub.recover(&found);
            return Some(format!(
                "Recovered {n} unsaved change(s) from the journal{}. s saves them.",
                not_restored(&problems)
            ));
        }
    }
    Some(match crate::document::journal::set_aside(&found.path) {
        Ok(aside) => format!(
            "The unsaved changes were not recovered; the journal was kept as {}.",
            aside.display()
        ),
        Err(e) => format!("The unsaved changes were not recovered; the journal stays ({e})."),
    })
}

/// " (K not: first reason)" for changes a recovery could not apply, or nothing.
fn not_restored(problems: &[String]) -> String {
    problems
        .first()
        .map_or(String::new(), |p| format!(" ({} not: {p})", problems.len()))
}
