//! `microcred check PORTFOLIO` and `export PORTFOLIO`: the portfolio's analysis as text for a
//! committee or JSON for a script, and its exports (told apart from a design by its `schema:`
//! line).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::TextOrJson;
use super::check::{CheckArgs, FailOn};
use crate::analysis::portfolio::{PortfolioReport, analyse};
use crate::catalog::Catalog;

pub(super) fn run(path: &Path, src: &str, cat: &Catalog, args: &CheckArgs) -> ExitCode {
    let loaded = match crate::document::portfolio::load_portfolio(path, src, cat) {
        Ok(l) => l,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    let report = analyse(&loaded.portfolio, &loaded.members);
    let text = match args.format {
        TextOrJson::Text => {
            crate::problem::visible(render_text(loaded.portfolio.title.as_deref(), &report, cat))
        }
        TextOrJson::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => s + "\n",
            Err(e) => {
                say!("microcred: cannot write the report as JSON: {e}");
                return ExitCode::from(1);
            }
        },
    };
    if let Err(code) = super::search::try_write_stdout(text.as_bytes()) {
        return code;
    }
    let failing = report
        .findings
        .iter()
        .filter(|f| match args.fail_on {
            FailOn::Any => true,
            FailOn::Blockers | FailOn::Critical => {
                crate::export::portfolio::BLOCKING.contains(&f.kind)
            }
            FailOn::None | FailOn::Outcomes => false,
        })
        .count();
    let mut failures = Vec::new();
    if failing > 0 {
        failures.push(format!("{failing} finding(s) (--fail-on)"));
    }
    if let Some(min) = args.min_coverage {
        for s in report
            .stacks
            .iter()
            .filter(|s| s.coverage_percent + 1e-9 < min)
        {
            failures.push(format!(
                "stack {} covers {:.1}% of its partners' needs, below {min}%",
                s.id, s.coverage_percent
            ));
        }
    }
    super::check::finish(path, &failures)
}

fn hours(h: f64, ects: Option<f64>) -> String {
    match ects {
        Some(e) => format!("{h} h, {e} ECTS"),
        None => format!("{h} h"),
    }
}

/// The report as text: credentials, shared competencies, stacks, pathways, then findings
/// with what to do.
pub fn render_text(title: Option<&str>, r: &PortfolioReport, cat: &Catalog) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Portfolio: {} ({} credential(s), {} stack(s), {} pathway(s))",
        title.unwrap_or("untitled"),
        r.credentials.len(),
        r.stacks.len(),
        r.pathways.len()
    );
    s.push_str("\nCredentials\n");
    for c in &r.credentials {
        let _ = writeln!(
            s,
            "  {}  {}  {}  {} competencies  [{}]",
            c.id,
            c.title.as_deref().unwrap_or(&c.path),
            c.hours
                .map_or_else(|| "hours not declared".into(), |h| hours(h, c.ects)),
            c.competencies,
            c.state
        );
    }
    let _ = writeln!(s, "\nShared competencies ({})", r.overlap.len());
    for o in &r.overlap {
        let wher: Vec<String> = o
            .credentials
            .iter()
            .map(|i| {
                format!(
                    "{} (level {}, {} h)",
                    i.credential,
                    i.target_level,
                    i.hours.unwrap_or(0.0)
                )
            })
            .collect();
        let mut notes = Vec::new();
        if o.hours_counted_twice > 0.0 {
            notes.push(format!("{} h counted twice", o.hours_counted_twice));
        }
        if o.levels_differ {
            notes.push("target levels differ".to_string());
        }
        let name = cat.resolve(&o.competency).map_or_else(
            || o.competency.clone(),
            |(_, c)| format!("{} ({})", c.name, o.competency),
        );
        let _ = writeln!(
            s,
            "  {name} in {}{}",
            wher.join(", "),
            if notes.is_empty() {
                String::new()
            } else {
                format!(" — {}", notes.join("; "))
            }
        );
    }
    let _ = writeln!(s, "\nStacks ({})", r.stacks.len());
    for st in &r.stacks {
        let _ = writeln!(
            s,
            "  {} {}: {} part(s) ({}); {}; covers {:.1}% of the needs of {} partner(s)",
            st.id,
            st.title,
            st.parts.len(),
            st.parts.join(", "),
            hours(st.hours, st.ects),
            st.coverage_percent,
            st.partners.len()
        );
        for n in &st.uncovered {
            let _ = writeln!(
                s,
                "    {} {} {} ({}): {}",
                if n.credit > 0.0 {
                    "partial"
                } else {
                    "uncovered"
                },
                n.credential,
                n.need,
                n.partner,
                n.statement
            );
        }
    }
    let _ = writeln!(s, "\nPathways ({})", r.pathways.len());
    for w in &r.pathways {
        let _ = writeln!(
            s,
            "  {} {}: {}; leads to {}{}",
            w.id,
            w.title,
            hours(w.hours, w.ects),
            w.destinations.join(", "),
            if w.off_ramps.is_empty() {
                String::new()
            } else {
                format!("; off-ramps {}", w.off_ramps.join(", "))
            }
        );
    }
    let _ = writeln!(s, "\nFindings ({})", r.findings.len());
    for f in &r.findings {
        let _ = writeln!(s, "  {} · {}: {}", f.kind, f.at, f.message);
        let _ = writeln!(s, "    help: {}", f.hint);
    }
    s
}

/// `microcred export PORTFOLIO`: the portfolio spec (`yaml`), CTDL pathways (`ctdl`), ELM
/// part-of links (`elm`) or an Open Badges achievement per stack (`ob3`); refused while a
/// credential cannot be exported or the analysis finds something blocking, unless `--force`.
pub(super) struct ExportArgs<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub bytes: &'a [u8],
    pub format: crate::export::Format,
    pub output: Option<&'a Path>,
    pub opts: crate::export::Options,
}

pub(super) fn export(cat: &Catalog, a: ExportArgs) -> ExitCode {
    use crate::export::portfolio;
    if !portfolio::supports(a.format) {
        say!(
            "{}: a portfolio exports as yaml, ctdl, elm or ob3, not {}",
            a.path.display(),
            a.format.name()
        );
        return ExitCode::from(2);
    }
    let loaded = match crate::document::portfolio::load_portfolio(a.path, a.text, cat) {
        Ok(l) => l,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    let sha = crate::export::spec::sha256_hex(a.bytes);
    let built = match portfolio::build(&loaded.portfolio, &loaded.members, cat, &sha, &a.opts) {
        Ok(b) => b,
        Err(r) => {
            for (at, message, fix) in &r.reasons {
                say!("{}: {at}: {message}\n  help: {fix}", a.path.display());
            }
            say!(
                "cannot export: {} problem(s) above must be fixed first \
                 (or give --force to export a draft)",
                r.reasons.len()
            );
            return ExitCode::from(1);
        }
    };
    let Some(out) = portfolio::render(&built, a.format) else {
        return ExitCode::from(2);
    };
    match a.output {
        None => {
            if let Err(code) = super::search::try_write_stdout(&out) {
                return code;
            }
        }
        Some(o) => {
            if let Err(e) = crate::store::write_output(o, &out) {
                say!("{}: cannot write the file: {e}", o.display());
                return ExitCode::from(1);
            }
            say!("wrote {} (portfolio, {})", o.display(), a.format.label());
        }
    }
    if built.spec.status == crate::export::spec::SpecStatus::Draft {
        say!(
            "exported as a draft: {} credential(s) not final, {} finding(s) blocking",
            built
                .members
                .iter()
                .filter(|s| s.status == crate::export::spec::SpecStatus::Draft)
                .count(),
            built
                .report
                .findings
                .iter()
                .filter(|f| portfolio::BLOCKING.contains(&f.kind))
                .count()
        );
    }
    ExitCode::SUCCESS
}

/// `microcred PORTFOLIO.yaml`: the portfolio view; Enter opens a design in the editor as
/// `microcred DESIGN.yaml` would (read-only when someone else edits it, its journal offered).
pub(super) fn open_view(paths: &[std::path::PathBuf], path: &Path, no_color: bool) -> ExitCode {
    let cat = match super::load_catalog(paths, Some(path)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let sheet = match crate::tui::portfolio_run::load_sheet(path, &cat) {
        Ok(s) => s,
        Err(why) => {
            say!("{why}");
            return ExitCode::from(1);
        }
    };
    let keymap = match crate::tui::keys::Keymap::load_user() {
        Ok(k) => k,
        Err(problems) => {
            super::report(&problems);
            return ExitCode::from(1);
        }
    };
    let options = crate::tui::Options { no_color, keymap };
    let open = |design: &Path| {
        use crate::document::{Busy, OpenError};
        let opened = crate::document::open(paths, Some(design), "microcred", Busy::ReadOnly)
            .map_err(|e| match e {
                OpenError::Catalog(p) | OpenError::Workspace(p) => p.to_string(),
                OpenError::Lock(why) | OpenError::Busy(why) => why,
            })?;
        let (message, recovery) = match &opened.busy {
            Some(_) => (opened.hub.snapshot().read_only.clone(), None),
            None => super::leftover_changes(design, opened.leftover),
        };
        Ok((opened.hub, message, recovery))
    };
    let reload = || crate::tui::portfolio_run::load_sheet(path, &cat);
    match crate::tui::portfolio_run::run_portfolio(sheet, options, open, reload) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("microcred: {e}");
            ExitCode::from(1)
        }
    }
}
