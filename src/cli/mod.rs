//! The `microcred` command line: argument parsing with clap, one module per command.
//! Exit codes: 0 fine, 1 problems found or invalid input, 2 usage error.
//! Messages go to stderr, data to stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalog::{self, Catalog, Sources};
use crate::problem::Problems;

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
    /// Print the JSON Schema of a file format (framework or workspace).
    Schema {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::schema::FORMATS))]
        format: String,
    },
    /// Import a public framework (ESCO CSV, CASE JSON) as a framework file.
    Import(import::ImportArgs),
    /// Fuzzy-search competency names, keywords and ids in every loaded framework.
    /// TSV lines: score, framework:id, name.
    Search {
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
        Some(Command::Schema { format }) => match crate::schema::json_schema(&format) {
            Some(s) => {
                print!("{s}");
                ExitCode::SUCCESS
            }
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
        None => {
            eprintln!(
                "microcred: the interactive editor is not available in this build yet.\n\
                 Use `microcred validate FILE`, `microcred fmt WORKSPACE` or `microcred --help`."
            );
            ExitCode::from(1)
        }
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
