//! `microcred export`: write the YAML spec, an Open Badges 3.0 achievement, a Markdown summary,
//! or a registry format (ELM v3, CTDL, CASE).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::analysis;
use crate::export::spec::{OpenProblem, ProblemKind};
use crate::export::{self, Format, Options};
use crate::model::Lookup;
use crate::problem::{DocPath, Problem, Problems};
use crate::store::{self, yaml};

/// Where in the workspace file an open problem can be fixed.
fn doc_path(ids: &Lookup, p: &OpenProblem) -> DocPath {
    match p.kind {
        ProblemKind::MissingElement | ProblemKind::MissingForFormat => {
            let mut d = DocPath::root();
            for k in p.at.split('.') {
                d = d.key(k);
            }
            d
        }
        ProblemKind::CriticalNeed => {
            let id = p.at.trim_start_matches("needs.");
            match ids.needs.get(id) {
                Some(&i) => crate::path!["needs", i],
                None => crate::path!["needs"],
            }
        }
        ProblemKind::DisputedMapping | ProblemKind::UnagreedMapping => {
            let rest = p.at.trim_start_matches("mappings.");
            let found = rest
                .split_once('.')
                .and_then(|(need, comp)| ids.mapping.get(&(need, comp)));
            match found {
                Some(&i) => crate::path!["mappings", i, "status"],
                None => crate::path!["mappings"],
            }
        }
        ProblemKind::UnresolvedCompetency => {
            let r = p.at.trim_start_matches("competencies.");
            match ids.competencies.get(r) {
                Some(&i) => crate::path!["competencies", i, "ref"],
                None => crate::path!["competencies"],
            }
        }
        ProblemKind::AssessmentMissing => {
            let r =
                p.at.trim_start_matches("competencies.")
                    .trim_end_matches(".assessment");
            match ids.competencies.get(r) {
                Some(&i) => crate::path!["competencies", i],
                None => crate::path!["competencies"],
            }
        }
        ProblemKind::WorkloadMismatch => crate::path!["credential", "workload"],
        ProblemKind::SignOffMissing | ProblemKind::SignOffStale => {
            let id = p.at.trim_start_matches("sign_offs.");
            match ids.partners.get(id) {
                Some(&i) => crate::path!["partners", i],
                None => crate::path!["partners"],
            }
        }
    }
}

/// Why an export is a draft, counted by kind: "exported as a draft: 2 blocker(s) (forced), 3
/// mapping(s) only proposed, 1 sign-off(s) missing or stale; `open_problems` lists them".
fn draft_note(open: &[OpenProblem]) -> String {
    let count = |f: fn(ProblemKind) -> bool| open.iter().filter(|p| f(p.kind)).count();
    let mut parts = Vec::new();
    let blockers = count(ProblemKind::blocks_export);
    if blockers > 0 {
        parts.push(format!("{blockers} blocker(s) (forced)"));
    }
    let proposed = count(|k| k == ProblemKind::UnagreedMapping);
    if proposed > 0 {
        parts.push(format!("{proposed} mapping(s) only proposed"));
    }
    let signed = count(|k| matches!(k, ProblemKind::SignOffMissing | ProblemKind::SignOffStale));
    if signed > 0 {
        parts.push(format!("{signed} sign-off(s) missing or stale"));
    }
    let unassessed = count(|k| k == ProblemKind::AssessmentMissing);
    if unassessed > 0 {
        parts.push(format!(
            "{unassessed} competency(ies) without an assessment"
        ));
    }
    if count(|k| k == ProblemKind::WorkloadMismatch) > 0 {
        parts.push("hours not matching the workload".into());
    }
    format!(
        "exported as a draft: {}; `open_problems` lists them",
        parts.join(", ")
    )
}

pub use crate::export::ctdl_asn_path;

pub(super) fn run(
    paths: &[PathBuf],
    workspace: &Path,
    format: Format,
    output: Option<&Path>,
    force: bool,
    timestamp: bool,
    image: Option<String>,
) -> ExitCode {
    // `-o -` is standard output, as for most tools.
    let output = output.filter(|o| o.as_os_str() != "-");
    if let Some(out) = output
        && let Err(e) = store::check_output(out)
    {
        say!("cannot export: {e}; nothing was written");
        return ExitCode::from(1);
    }
    if let Some(out) = output
        && let (Ok(a), Ok(b)) = (std::fs::canonicalize(out), std::fs::canonicalize(workspace))
        && a == b
    {
        say!(
            "{}: refusing to overwrite the workspace with its export; choose another -o FILE",
            out.display()
        );
        return ExitCode::from(1);
    }
    let catalog = match super::load_catalog(paths, Some(workspace)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let name = workspace.display().to_string();
    let bytes = match store::read_text(workspace).and_then(|_| {
        std::fs::read(workspace)
            .map_err(|e| Problem::error(&name, format!("cannot read the file: {e}")))
    }) {
        Ok(b) => b,
        Err(p) => {
            super::report(&p.into());
            return ExitCode::from(1);
        }
    };
    let text = match store::text_from_bytes(bytes.clone(), &name) {
        Ok(t) => t,
        Err(p) => {
            super::report(&p.into());
            return ExitCode::from(1);
        }
    };
    // A portfolio is told apart by its `schema:` line.
    if export::detect_kind(&text) == export::Kind::Portfolio {
        let opts = Options {
            force,
            timestamp: timestamp.then(crate::clock::now_rfc3339),
            workspace_sha256: None,
            format,
            image,
        };
        let args = super::portfolio::ExportArgs {
            path: workspace,
            text: &text,
            bytes: &bytes,
            format,
            output,
            opts,
        };
        return super::portfolio::export(&catalog, args);
    }
    let loaded = match crate::document::workspace_from_str(&text, &name, &catalog) {
        Ok(l) => l,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    if !loaded.warnings.is_empty() {
        super::report(&Problems(loaded.warnings.clone()));
    }
    let ws = &loaded.workspace;
    let gap = analysis::gap::analyse(ws);
    let opts = Options {
        force,
        timestamp: timestamp.then(crate::clock::now_rfc3339),
        workspace_sha256: Some(export::spec::sha256_hex(&bytes)),
        format,
        image,
    };
    let spec = match export::spec::build(ws, &catalog, &gap, &opts) {
        Ok(s) => s,
        Err(refused) => {
            let ids = Lookup::new(ws);
            let paths: Vec<DocPath> = refused.problems.iter().map(|p| doc_path(&ids, p)).collect();
            let at = yaml::locate_all(&text, paths.iter());
            let problems: Vec<Problem> = refused
                .problems
                .iter()
                .zip(at)
                .map(|(p, at)| {
                    let mut pr = Problem::error(&name, &p.message).hint(&p.fix);
                    if let Some((l, c)) = at {
                        pr = pr.at(l, c);
                    }
                    pr
                })
                .collect();
            super::report(&Problems(problems));
            say!(
                "cannot export: {} problem(s) above must be fixed first \
                 (or give --force to export a draft)",
                refused.problems.len()
            );
            return ExitCode::from(1);
        }
    };
    match output {
        None => {
            if let Err(code) = super::search::try_write_stdout(&export::render(&spec, format)) {
                return code;
            }
        }
        Some(path) => {
            // CTDL-ASN frameworks are published apart from the credential: beside it.
            for (i, (file, bytes)) in export::files(&spec, format, path).iter().enumerate() {
                if let Err(e) = store::write_output(file, bytes) {
                    say!("{}: cannot write the file: {e}", file.display());
                    return ExitCode::from(1);
                }
                if i > 0 {
                    say!("wrote {} (CTDL-ASN competency framework)", file.display());
                }
            }
            say!(
                "wrote {} ({}{})",
                path.display(),
                format.label(),
                if spec.status == export::spec::SpecStatus::Draft {
                    ", draft"
                } else {
                    ""
                }
            );
        }
    }
    if spec.status == export::spec::SpecStatus::Draft {
        say!("{}", draft_note(&spec.open_problems));
    }
    if ws.credential.id.is_none() {
        say!(
            "{name}: the design has no stable id yet, so this export's ids come from its \
             content; save it once in the editor and it keeps one id for life"
        );
    }
    ExitCode::SUCCESS
}
