//! The `microcred` command line: argument parsing with clap, one module per command.
//! Exit codes: 0 fine, 1 problems found or invalid input, 2 usage error.
//! Messages go to stderr, data to stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalog::{self, Catalog, Sources};
use crate::problem::Problems;

/// `eprintln!` with control and invisible characters shown as `\u{…}` escapes: a message may
/// quote a file name, a design's text or a commit's, which must not change the terminal. A
/// failed write (stderr a terminal that went away) is ignored, not a panic.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::tui::say_if_heard(&$crate::problem::visible(format!($($arg)*)))
    };
}

mod cache;
mod check;
mod diff;
mod evidence;
pub mod export;
mod fmt;
mod frameworks;
mod handoff;
mod import;
mod keys;
mod lint_outcomes;
mod log;
mod portfolio;
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
    /// Job postings as evidence of industry need.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
    /// Export a design: the YAML spec (default), Open Badges 3.0 JSON, Markdown, or for a
    /// registry ELM v3, CTDL or CASE. Refuses (exit 1) while required elements are missing, a
    /// critical need is uncovered, a mapping is disputed or the format's registry still needs
    /// an element, unless --force; the spec says `final` only when nothing is pending either.
    Export {
        workspace: PathBuf,
        #[arg(long, value_enum, default_value_t = crate::export::Format::Yaml)]
        format: crate::export::Format,
        /// Write to this file (atomically) instead of standard output (`-` is standard
        /// output). A symbolic link, a file with other hard links or a special file is refused.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Export anyway, as a draft listing the open problems.
        #[arg(long)]
        force: bool,
        /// Record the export time (the output then differs from run to run).
        #[arg(long)]
        timestamp: bool,
        /// The badge image's URL, for Open Badges (`image`).
        #[arg(long, value_name = "URL")]
        image: Option<String>,
    },
    /// Serve the editor over SSH to the people in PEOPLE.yaml (see docs/serve.md).
    Serve(crate::serve::ServeArgs),
    /// Print the JSON Schema of a file format (framework, workspace or spec).
    Schema {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::export::schema::FORMATS))]
        format: String,
    },
    /// Import a public framework (ESCO CSV, CASE JSON, CTDL-ASN JSON-LD) as a framework file.
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
    /// List every editor command with its keys in each context (with the overrides of your
    /// keymap file), for reference and for writing a keymap file.
    Keys {
        #[arg(long, value_enum, default_value_t = keys::KeysFormat::Text)]
        format: keys::KeysFormat,
        /// The built-in keys, ignoring any keymap file.
        #[arg(long)]
        default: bool,
    },
    /// What changed between two versions of a design: needs, partners, mappings (status and
    /// levels), competencies, credential elements, and the effect on coverage. OLD and NEW are
    /// files or FILE@REV (the file at a git revision). Exit 0 no differences, 1 differences,
    /// 2 trouble.
    Diff {
        /// The older version: a file, or FILE@REV.
        old: String,
        /// The newer version: a file, or FILE@REV.
        new: String,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// The history of a design: each commit that touched the file (author, date, message) with
    /// what it changed in the design, then the changes not saved yet (the journal). Outside a
    /// git repository, says so and lists the unsaved changes only.
    Log {
        workspace: PathBuf,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        /// How many commits to list, newest first.
        #[arg(short = 'n', long = "max-count", value_name = "N", default_value_t = crate::document::history::DEFAULT_MAX)]
        max: usize,
        /// Commits of every branch, not only those behind HEAD.
        #[arg(long)]
        all: bool,
    },
    /// Check learning outcomes against the outcome rules (vague verb, action verb first, one
    /// main verb, condition or standard, length). FILE is a TSV with a header naming at least
    /// an `id` and a `text` column, and optionally `lang` (en, fr).
    LintOutcomes {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = lint_outcomes::LintFormat::Text)]
        format: lint_outcomes::LintFormat,
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
    if let Err(why) = catalog::cache::bound_at_start() {
        say!("microcred: {why}");
        return ExitCode::from(2);
    }
    match cli.command {
        Some(Command::Frameworks { format }) => frameworks::run(&cli.frameworks, format),
        Some(Command::Validate { files }) => validate::run(&cli.frameworks, &files),
        Some(Command::Fmt { workspace, check }) => fmt::run(&cli.frameworks, &workspace, check),
        Some(Command::Check(args)) => check::run(&cli.frameworks, &args),
        Some(Command::Evidence(cmd)) => evidence::run(&cli.frameworks, &cmd),
        Some(Command::Export {
            workspace,
            format,
            output,
            force,
            timestamp,
            image,
        }) => export::run(
            &cli.frameworks,
            &workspace,
            format,
            output.as_deref(),
            force,
            timestamp,
            image,
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
        Some(Command::Keys { format, default }) => keys::run(format, default),
        Some(Command::Diff { old, new, format }) => diff::run(&cli.frameworks, &old, &new, format),
        Some(Command::Log {
            workspace,
            format,
            max,
            all,
        }) => log::run(&cli.frameworks, &workspace, max, all, format),
        Some(Command::Cache { clear }) => cache::run(clear),
        Some(Command::LintOutcomes { file, format }) => lint_outcomes::run(&file, format),
        None => open_editor(&cli.frameworks, cli.workspace.as_deref(), cli.no_color),
    }
}

/// Print text to stdout, with control and invisible characters shown as `\u{…}` escapes
/// (names, statements, postings and commit messages come from others and must not change the
/// terminal); tabs and line feeds stay.
pub(crate) fn print_out(text: &str) -> ExitCode {
    search::write_stdout(&crate::problem::visible(text.to_string()))
}

/// Print `text` to stdout as [`print_out`] does, or, when it is JSON, with those characters
/// written as JSON escapes (`\u001b`), so that it still parses to the same strings.
pub(crate) fn print_as(text: &str, json: bool) -> ExitCode {
    if json {
        search::write_stdout(&json_escaped(text))
    } else {
        print_out(text)
    }
}

/// JSON text with every control and invisible character (only possible inside its strings:
/// serde_json leaves DEL, C1 controls and format characters as they are) written as `\uXXXX`.
pub(crate) fn json_escaped(text: &str) -> String {
    let hidden = |c: char| crate::problem::is_hidden(c) && !matches!(c, '\n' | '\t' | '\r');
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Print problems to stderr (every part escaped, hints too).
pub(crate) fn report(p: &Problems) {
    say!("{p}");
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
    if let Some(p) = workspace.filter(|p| crate::export::is_portfolio_file(p)) {
        return portfolio::open_view(paths, p, no_color);
    }
    let opened = match crate::document::open(paths, workspace, "microcred", Busy::ReadOnly) {
        Ok(o) => o,
        Err(OpenError::Catalog(p) | OpenError::Workspace(p)) => {
            report(&p);
            return ExitCode::from(1);
        }
        Err(OpenError::Lock(why) | OpenError::Busy(why)) => {
            say!("microcred: {why}");
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
    let (message, recovery) = match (&opened.busy, workspace) {
        (Some(_), _) => (opened.hub.snapshot().read_only.clone(), None),
        (None, Some(p)) => leftover_changes(p, opened.leftover),
        (None, None) => (None, None),
    };
    match crate::tui::run_with(opened.hub, message, recovery, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("microcred: {e}");
            ExitCode::from(1)
        }
    }
}

/// What to do with a journal left behind by an earlier session of `workspace`: a message for
/// the status bar (it could not be read, or held nothing), or the changes for the editor to
/// offer in its recovery dialog.
fn leftover_changes(
    workspace: &std::path::Path,
    leftover: crate::document::Leftover,
) -> (Option<String>, Option<crate::document::journal::Found>) {
    use crate::document::Leftover;
    match leftover {
        Leftover::Nothing => (None, None),
        Leftover::Unreadable {
            error: e, moved, ..
        } => (
            Some(match moved {
                Some(to) => format!(
                    "The journal of {} could not be read ({e}); nothing in it was recovered. It was moved aside, untouched, to {}: keep it or remove it when you have decided.",
                    workspace.display(),
                    to.display()
                ),
                None => format!(
                    "The journal of {} could not be read ({e}); it was left as it is.",
                    workspace.display()
                ),
            }),
            None,
        ),
        Leftover::Empty { skipped } => {
            for w in &skipped {
                say!("microcred: warning: {w}");
            }
            (None, None)
        }
        Leftover::Found(found) => {
            for w in &found.skipped {
                say!("microcred: warning: {w}");
            }
            (None, Some(found))
        }
    }
}
