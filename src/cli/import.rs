//! `microcred import esco|case`: read a public standard, write a framework file.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::import;
use crate::model::Framework;
use crate::problem::{Problem, Problems};

/// Arguments of `microcred import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: Source,
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum Source {
    /// Import ESCO's skills_en.csv (the official CSV download, English).
    Esco {
        /// The skills CSV file.
        #[arg(value_name = "SKILLS_CSV")]
        input: PathBuf,
        /// Write the framework here (atomically) instead of to standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Id of the imported framework.
        #[arg(long, default_value = "esco")]
        id: String,
    },
    /// Import a 1EdTech CASE 1.x package (CFPackage JSON).
    Case {
        /// The package JSON file.
        #[arg(value_name = "PACKAGE_JSON")]
        input: PathBuf,
        /// Write the framework here (atomically) instead of to standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Id of the imported framework (default: from the document's title).
        #[arg(long)]
        id: Option<String>,
    },
}

pub(super) fn run(args: ImportArgs) -> ExitCode {
    let result = match &args.source {
        Source::Esco { input, output, id } => read(input).and_then(|bytes| {
            let opts = import::esco::Options { id: id.clone() };
            let name = input.display().to_string();
            let mut progress = Progress::new(&name);
            let fw = import::esco::import(&bytes, &name, &opts, &mut |n| progress.show(n));
            progress.done();
            fw.map(|fw| (fw, output.as_deref()))
        }),
        Source::Case { input, output, id } => read(input).and_then(|bytes| {
            import::case::import(&bytes, &input.display().to_string(), id.as_deref())
                .map(|fw| (fw, output.as_deref()))
        }),
    };
    match result.and_then(|(fw, out)| write(&fw, out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(p) => {
            if !p.0.is_empty() {
                super::report(&p);
                say!("nothing was written");
            }
            ExitCode::from(1)
        }
    }
}

/// The input file's bytes: a regular file of at most [`import::MAX_IMPORT_BYTES`], never
/// more (a device, FIFO or socket is refused by name without being read).
fn read(path: &Path) -> Result<Vec<u8>, Problems> {
    crate::store::read_bytes(path, import::MAX_IMPORT_BYTES).map_err(Problems::from)
}

fn write(fw: &Framework, out: Option<&Path>) -> Result<(), Problems> {
    let text = crate::store::yaml::to_string(fw)
        .map_err(|e| Problem::error("(output)", format!("cannot write the framework: {e}")))?;
    // `-o -` is standard output.
    match out.filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            crate::store::write_output(path, text.as_bytes()).map_err(|e| {
                Problem::error(path.display().to_string(), format!("cannot write: {e}"))
            })?;
            say!(
                "wrote {}: framework `{}`, {} competencies",
                path.display(),
                fw.id,
                fw.competencies.len()
            );
            Ok(())
        }
        // An error is reported by the writer itself: no problem left to print.
        None => super::search::try_write_stdout(text.as_bytes()).map_err(|_| Problems::default()),
    }
}

/// A record counter on stderr, shown only when stderr is a terminal.
struct Progress<'a> {
    name: &'a str,
    on: bool,
    shown: bool,
}

impl<'a> Progress<'a> {
    fn new(name: &'a str) -> Self {
        Progress {
            name,
            on: std::io::stderr().is_terminal(),
            shown: false,
        }
    }
    fn show(&mut self, n: u64) {
        if self.on {
            eprint!(
                "\rimporting {}: {n} records",
                crate::problem::visible(self.name.to_string())
            );
            self.shown = true;
        }
    }
    fn done(&mut self) {
        if self.shown {
            eprintln!();
        }
    }
}
