//! `microcred import esco|case|ctdl-asn`: read a public standard, write a framework file;
//! warnings about what was changed on the way go to standard error.

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
    /// Import an ESCO skills CSV (skills_en.csv, another language's, a collection file or an
    /// ESCO API harvest).
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
        /// Language of the file (default: from its name, e.g. skills_fr.csv, else en).
        #[arg(long, value_name = "TAG")]
        language: Option<String>,
        /// A folder of ESCO's full CSV download: its occupation–skill, skill–skill and
        /// hierarchy relations (and occupations' labels) are kept as links on the skills.
        #[arg(long, value_name = "DIR")]
        relations: Option<PathBuf>,
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
    /// Import a Credential Engine CTDL-ASN competency framework (JSON-LD).
    CtdlAsn {
        /// The framework's JSON-LD file (as the Credential Registry serves it).
        #[arg(value_name = "FRAMEWORK_JSON")]
        input: PathBuf,
        /// Write the framework here (atomically) instead of to standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Id of the imported framework (default: from the framework's name).
        #[arg(long)]
        id: Option<String>,
    },
}

pub(super) fn run(args: ImportArgs) -> ExitCode {
    let result = match &args.source {
        Source::Esco {
            input,
            output,
            id,
            language,
            relations,
        } => read(input).and_then(|bytes| {
            let opts = import::esco::Options {
                id: id.clone(),
                language: language.clone(),
            };
            let name = input.display().to_string();
            let mut progress = Progress::new(&name);
            let fw = import::esco::read(&bytes, &name, &opts, &mut |n| progress.show(n));
            progress.done();
            let fw = match (fw, relations) {
                (Ok(imported), Some(dir)) => with_relations(imported, dir),
                (fw, _) => fw,
            };
            fw.map(|fw| (fw, output.as_deref()))
        }),
        Source::Case { input, output, id } => read(input).and_then(|bytes| {
            import::case::read(&bytes, &input.display().to_string(), id.as_deref())
                .map(|fw| (fw, output.as_deref()))
        }),
        Source::CtdlAsn { input, output, id } => read(input).and_then(|bytes| {
            import::ctdl_asn::read(&bytes, &input.display().to_string(), id.as_deref())
                .map(|fw| (fw, output.as_deref()))
        }),
    };
    let result = result.map(|(imported, out)| {
        if !imported.warnings.is_empty() {
            super::report(&Problems(imported.warnings));
        }
        (imported.framework, out)
    });
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

fn view(f: &Option<(String, Vec<u8>)>) -> Option<(String, &[u8])> {
    f.as_ref().map(|(n, b)| (n.clone(), b.as_slice()))
}

/// `imported` with the relations found in the folder `dir` (see
/// [`import::esco_relations`]); a folder holding none of the files is refused.
fn with_relations(
    mut imported: import::Imported,
    dir: &Path,
) -> Result<import::Imported, Problems> {
    use import::esco_relations as rel;
    let names = std::fs::read_dir(dir)
        .map_err(|e| {
            Problem::error(
                dir.display().to_string(),
                format!("cannot read the folder: {e}"),
            )
        })?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect::<Vec<_>>();
    let load = |want: &dyn Fn(&str) -> bool| -> Result<Option<(String, Vec<u8>)>, Problems> {
        let mut found: Vec<&String> = names.iter().filter(|n| want(n)).collect();
        found.sort();
        match found.first() {
            Some(n) => {
                let path = dir.join(n);
                read(&path).map(|b| Some((path.display().to_string(), b)))
            }
            None => Ok(None),
        }
    };
    let os = load(&|n| n == rel::OCCUPATION_SKILLS)?;
    let occ = load(&|n| n.starts_with(rel::OCCUPATIONS_PREFIX) && n.ends_with(".csv"))?;
    let ss = load(&|n| n == rel::SKILL_SKILLS)?;
    let br = load(&|n| n == rel::SKILL_BROADER)?;
    if os.is_none() && ss.is_none() && br.is_none() {
        return Err(Problem::error(
            dir.display().to_string(),
            format!(
                "no relations file here ({}, {}, {})",
                rel::OCCUPATION_SKILLS,
                rel::SKILL_SKILLS,
                rel::SKILL_BROADER
            ),
        )
        .hint("give the folder of ESCO's full CSV download")
        .into());
    }
    let files = rel::Files {
        occupation_skills: view(&os),
        occupations: view(&occ),
        skill_skills: view(&ss),
        broader: view(&br),
    };
    let (added, warnings) = rel::add(&mut imported.framework, &files)?;
    say!(
        "relations kept: {} occupation, {} skill–skill, {} hierarchy links",
        added.occupation,
        added.skill,
        added.broader
    );
    imported.warnings.extend(warnings);
    import::check(&imported.framework, &dir.display().to_string())?;
    Ok(imported)
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
