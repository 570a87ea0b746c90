use std::path::PathBuf;
use std::process::ExitCode;

use crate::catalog::{self, Catalog, Sources};
use crate::export::Kind;
use crate::model::Framework;
use crate::problem::{Problem, Problems};
use crate::store;

pub(super) fn run(paths: &[PathBuf], files: &[PathBuf]) -> ExitCode {
    let mut problems: Vec<Problem> = Vec::new();
    // What is fine goes to stdout, written at the end (see `search::try_write_stdout`).
    let mut out = String::new();
    let mut texts = Vec::new();
    for f in files {
        // Framework files may be up to 128 MiB, anything else up to 16 MiB; which one a file
        // is shows only in its content.
        match store::read_text_within(f, crate::limits::FRAMEWORK_FILE_BYTES) {
            Ok(t)
                if t.len() as u64 > crate::limits::WORKSPACE_FILE_BYTES
                    && crate::export::detect_kind(&t) != Kind::Framework =>
            {
                problems.push(
                    Problem::error(
                        f.display().to_string(),
                        format!(
                            "the file is {}; a workspace or spec may be at most {} MiB (a \
                             framework file {} MiB)",
                            store::describe_size(t.len() as u64),
                            crate::limits::WORKSPACE_FILE_BYTES >> 20,
                            crate::limits::FRAMEWORK_FILE_BYTES >> 20
                        ),
                    )
                    .hint("split it into smaller files"),
                );
            }
            Ok(t) => texts.push((f, t)),
            Err(p) => problems.push(p),
        }
    }
    // Frameworks first: a workspace given in the same run is checked against them too.
    let mut checked: Vec<Framework> = Vec::new();
    for (f, text) in &texts {
        if crate::export::detect_kind(text) == Kind::Framework {
            let parsed = match catalog::embedded_parse_of(text) {
                Some(fw) => Ok(fw.clone()),
                None => crate::catalog::framework_from_str(text, &f.display().to_string()),
            };
            match parsed {
                Ok(fw) => {
                    out += &format!(
                        "{}: ok (framework `{}`, {} competencies)\n",
                        f.display(),
                        fw.id,
                        fw.competencies.len()
                    );
                    checked.push(fw);
                }
                Err(p) => problems.extend(p.0),
            }
        }
    }
    let mut base: Option<Catalog> = None;
    for (f, text) in &texts {
        if crate::export::detect_kind(text) != Kind::Workspace {
            continue;
        }
        let cat = match catalog::load(&Sources::new(paths.to_vec(), Some(f))) {
            Ok(c) => c,
            Err(p) => {
                problems.extend(p.0);
                continue;
            }
        };
        let cat = if checked.is_empty() {
            cat
        } else {
            let mut all: Vec<Framework> =
                cat.entries().iter().map(|e| e.framework.clone()).collect();
            all.extend(checked.iter().cloned());
            base.get_or_insert_with(|| Catalog::from_frameworks(all))
                .clone()
        };
        match crate::document::workspace_from_str(text, &f.display().to_string(), &cat) {
            Ok(l) => {
                problems.extend(l.warnings);
                let ws = &l.workspace;
                out += &format!(
                    "{}: ok (workspace, {} needs, {} competencies, {} mappings)\n",
                    f.display(),
                    ws.needs.len(),
                    ws.competencies.len(),
                    ws.mappings.len()
                );
            }
            Err(p) => problems.extend(p.0),
        }
    }
    for (f, text) in &texts {
        if crate::export::detect_kind(text) != Kind::Spec {
            continue;
        }
        match crate::export::spec_from_str(text, &f.display().to_string()) {
            Ok(spec) => {
                out += &format!(
                    "{}: ok (spec, {}, {} competencies, {} needs)\n",
                    f.display(),
                    match spec.status {
                        crate::export::spec::SpecStatus::Final => "final",
                        crate::export::spec::SpecStatus::Draft => "draft",
                    },
                    spec.competencies.len(),
                    spec.needs.len()
                )
            }
            Err(p) => problems.extend(p.0),
        }
    }
    for (f, text) in &texts {
        if crate::export::detect_kind(text) != Kind::Portfolio {
            continue;
        }
        match crate::document::portfolio::portfolio_from_str(text, &f.display().to_string()) {
            Ok(p) => {
                out += &format!(
                    "{}: ok (portfolio, {} credentials, {} stacks, {} pathways)\n",
                    f.display(),
                    p.credentials.len(),
                    p.stacks.len(),
                    p.pathways.len()
                )
            }
            Err(p) => problems.extend(p.0),
        }
    }
    for (f, text) in &texts {
        if crate::export::detect_kind(text) != Kind::PortfolioSpec {
            continue;
        }
        let name = f.display().to_string();
        match crate::store::yaml::parse_named::<crate::export::portfolio::PortfolioSpec>(
            text, &name,
        ) {
            Ok(s) => {
                out += &format!(
                    "{name}: ok (portfolio spec, {} credentials, {} stacks, {} pathways)\n",
                    s.credentials.len(),
                    s.stacks.len(),
                    s.pathways.len()
                )
            }
            Err(p) => problems.extend(p.0),
        }
    }
    let out = crate::problem::visible(out);
    if let Err(code) = super::search::try_write_stdout(out.as_bytes()) {
        return code;
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    if !problems.is_empty() {
        super::report(&Problems(problems));
    }
    if errors > 0 {
        say!("{errors} problem(s) found");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
