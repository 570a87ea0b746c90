//! The `microcred` command line: argument parsing with clap, one module per command.
//! Exit codes: 0 fine, 1 problems found or invalid input, 2 usage error.
//! Messages go to stderr, data to stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalog::{self, Catalog, Sources};
use crate::problem::Problems;

mod check;
mod export;
mod fmt;
mod frameworks;
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
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::schema::FORMATS))]
        format: String,
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
        Some(Command::Schema { format }) => match crate::schema::json_schema(&format) {
            Some(s) => {
                print!("{s}");
                ExitCode::SUCCESS
            }
            None => ExitCode::from(2),
        },
        None => open_editor(&cli.frameworks, cli.workspace.as_deref()),
    }
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
fn open_editor(paths: &[PathBuf], workspace: Option<&std::path::Path>) -> ExitCode {
    let catalog = match load_catalog(paths, workspace) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let ws = match workspace {
        Some(p) if p.exists() => match crate::store::load_workspace(p, &catalog) {
            Ok(l) => l.workspace,
            Err(problems) => {
                report(&problems);
                return ExitCode::from(1);
            }
        },
        _ => crate::model::Workspace::default(),
    };
    match crate::tui::run(ws, catalog, workspace.map(std::path::Path::to_path_buf)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("microcred: {e}");
            ExitCode::from(1)
        }
    }
}
