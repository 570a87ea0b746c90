//! `microcred check WORKSPACE`: the gap report for a curriculum committee (text) or a script
//! (JSON), with exit codes for CI thresholds.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::TextOrJson;
use crate::analysis::demand::{Demand, StaleNeed};
use crate::analysis::gap::{self, GapReport, NeedStatus};
use crate::analysis::support::Support;
use crate::catalog::Catalog;
use crate::export::verdict::{OpenProblem, Verdict};
use crate::model::{Need, Workspace};

/// Arguments of `microcred check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The workspace file to analyse, or a portfolio file (`schema: microcred/portfolio@1`).
    pub workspace: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Exit 1 when weighted coverage is below PCT percent (weighted as --weighting says).
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
    /// What weights coverage for --min-coverage and the headline: the needs' priorities
    /// (must 3, should 2, could 1), or their evidence (priority × (endorsing partners +
    /// log2(1 + postings))). The JSON report always holds both.
    #[arg(long, value_enum, default_value_t = Weighting::Priority)]
    pub weighting: Weighting,
    /// Exit 1 on any critical need, on anything that refuses an export (blockers), on any
    /// gap entry at all, on any learning-outcome finding that is not a warning, or never.
    #[arg(long, value_enum, default_value_t = FailOn::None)]
    pub fail_on: FailOn,
    /// Judge the freshness of evidence as of this date, YYYY-MM-DD (else today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<String>,
}

fn parse_date(s: &str) -> Result<String, String> {
    if crate::model::validate::valid_date(s) {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not a date; write it as YYYY-MM-DD"))
    }
}

/// What weights coverage (see [`crate::analysis::support`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Weighting {
    /// By priority: must 3, should 2, could 1 (the default, as before).
    Priority,
    /// By evidence: priority × (endorsing partners + log2(1 + postings)).
    Evidence,
}

/// Which gaps make `check` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any uncovered `must` need.
    Critical,
    /// Anything `export` would refuse on: the `blockers` of the report.
    Blockers,
    /// Any gap entry at all.
    Any,
    /// Any learning-outcome finding that is not a warning (silenced ones excepted).
    Outcomes,
    /// Never (the report is still printed).
    None,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "`{s}` is not a percentage; write a number such as 80"
        )),
    }
}

pub(super) fn run(paths: &[PathBuf], args: &CheckArgs) -> ExitCode {
    let path = args.workspace.as_path();
    let cat = match super::load_catalog(paths, Some(path)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let src = match crate::store::read_text(path) {
        Ok(s) => s,
        Err(p) => {
            super::report(&crate::problem::Problems::from(p));
            return ExitCode::from(1);
        }
    };
    // A portfolio is told apart by its `schema:` line.
    if crate::export::detect_kind(&src) == crate::export::Kind::Portfolio {
        return super::portfolio::run(path, &src, &cat, args);
    }
    let loaded = match crate::document::workspace_from_str(&src, &path.display().to_string(), &cat)
    {
        Ok(l) => l,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    if !loaded.warnings.is_empty() {
        super::report(&crate::problem::Problems(loaded.warnings.clone()));
    }
    let ws = &loaded.workspace;
    let report = gap::analyse(ws);
    let verdict = crate::export::verdict::verdict(ws, &cat, &report);
    let today = args
        .as_of
        .clone()
        .unwrap_or_else(|| crate::clock::now_rfc3339().chars().take(10).collect());
    let demand = crate::analysis::demand::demand(ws);
    let stale = crate::analysis::demand::stale_evidence(ws, &demand, &today);
    let support = crate::analysis::support::support(ws, &report);
    let text = match args.format {
        TextOrJson::Text => {
            with_support_line(
                render_text(&report, ws, &cat),
                &render_support(&support, args.weighting),
            ) + &render_demand(&demand, &stale, &cat)
                + &render_verdict(&verdict)
                + &render_formats(ws)
        }
        TextOrJson::Json => match serde_json::to_string_pretty(&CheckJson {
            report: &report,
            export_ready: verdict.export_ready(),
            is_final: verdict.is_final(),
            blockers: &verdict.blockers,
            pending: &verdict.pending,
            formats: formats(ws),
            demand: &demand,
            stale_evidence: &stale,
            support: &support,
        }) {
            Ok(s) => s + "\n",
            Err(e) => {
                say!("microcred: cannot write the report as JSON: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let text = match args.format {
        TextOrJson::Text => crate::problem::visible(text),
        TextOrJson::Json => super::json_escaped(&text),
    };
    if let Err(code) = super::search::try_write_stdout(text.as_bytes()) {
        return code;
    }
    let coverage = match args.weighting {
        Weighting::Priority => report.coverage_percent,
        Weighting::Evidence => support.evidence_coverage_percent,
    };
    let mut failures = failures(&report, coverage, args.min_coverage, args.fail_on);
    if args.fail_on == FailOn::Blockers && !verdict.export_ready() {
        failures.push(format!(
            "{} blocker(s): export would refuse (--fail-on blockers)",
            verdict.blockers.len()
        ));
    }
    finish(path, &failures)
}

/// Say why the check failed, once per failure, and exit 1; exit 0 with none.
pub(super) fn finish(path: &std::path::Path, failures: &[String]) -> ExitCode {
    for f in failures {
        say!("{}: check failed: {f}", path.display());
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The JSON report: the gap report, and the verdict that `export` acts on.
#[derive(serde::Serialize)]
struct CheckJson<'a> {
    #[serde(flatten)]
    report: &'a GapReport,
    /// `export` writes without `--force`.
    export_ready: bool,
    /// The export would be `final`: no blockers and nothing pending.
    #[serde(rename = "final")]
    is_final: bool,
    /// Exactly what `export` refuses on.
    blockers: &'a [OpenProblem],
    /// What keeps the export a draft: mappings only proposed, sign-offs missing or stale.
    pending: &'a [OpenProblem],
    /// Per export format: ready, or what its registry still needs (beyond the blockers).
    formats: Vec<FormatReadiness>,
    /// What the job postings support: counts per competency, and the in-demand competencies
    /// no need covers.
    demand: &'a Demand,
    /// Needs whose newest evidence is older than the review period.
    stale_evidence: &'a [StaleNeed],
    /// Each need's endorsing partners and postings, and coverage weighted by them.
    support: &'a Support,
}

/// `report` with `line` after its coverage headline (its second line).
fn with_support_line(mut report: String, line: &str) -> String {
    let at = report
        .match_indices('\n')
        .nth(1)
        .map_or(report.len(), |(i, _)| i + 1);
    report.insert_str(at, line);
    report
}

/// The evidence-weighted coverage line, when asked for or when there is evidence to weigh
/// (nothing otherwise, so reports of designs without evidence read as before).
fn render_support(s: &Support, weighting: Weighting) -> String {
    let evidence = s
        .needs
        .iter()
        .any(|n| n.partners.len() > 1 || n.postings > 0);
    if weighting == Weighting::Priority && !evidence {
        return String::new();
    }
    format!(
        "Coverage weighted by evidence: {:.1}% (priority × (endorsing partners + log2(1 + postings))){}\n",
        s.evidence_coverage_percent,
        if weighting == Weighting::Evidence {
            "; --min-coverage uses it"
        } else {
            ""
        }
    )
}

/// Demand from the postings, and stale evidence, as text (nothing without postings).
fn render_demand(d: &Demand, stale: &[StaleNeed], cat: &Catalog) -> String {
    let mut out = String::new();
    if d.postings == 0 {
        return out;
    }
    let name = |r: &str| {
        cat.resolve(r)
            .map_or(String::new(), |(_, c)| format!(" {}", c.name))
    };
    let _ = writeln!(
        out,
        "\nDemand ({} posting(s); most mentioned first):",
        d.postings
    );
    const SHOWN: usize = 15;
    for s in d.competencies.iter().take(SHOWN) {
        let partners = if s.partners.is_empty() {
            String::new()
        } else {
            format!(" from {}", s.partners.join(", "))
        };
        let covered = if s.covered {
            ""
        } else {
            "  (no need covers it)"
        };
        let _ = writeln!(
            out,
            "  {:>3}  {}{}{partners}{covered}",
            s.postings,
            s.competency,
            name(&s.competency)
        );
    }
    if d.competencies.len() > SHOWN {
        let _ = writeln!(out, "  … and {} more", d.competencies.len() - SHOWN);
    }
    if !d.uncovered.is_empty() {
        let _ = writeln!(
            out,
            "In demand, not in the design ({}): {}",
            d.uncovered.len(),
            d.uncovered.join(", ")
        );
    }
    for s in stale {
        let _ = writeln!(
            out,
            "Stale evidence: {}: newest posting {}, older than {}",
            s.need, s.newest, s.before
        );
    }
    out
}

/// One format's readiness in the JSON report.
#[derive(serde::Serialize)]
struct FormatReadiness {
    format: &'static str,
    /// No blocker of its own (the common blockers apply as well).
    ready: bool,
    missing: Vec<crate::export::readiness::Missing>,
}

fn formats(ws: &Workspace) -> Vec<FormatReadiness> {
    crate::export::Format::ALL
        .iter()
        .map(|&f| {
            let missing = crate::export::readiness::missing(ws, f);
            FormatReadiness {
                format: f.name(),
                ready: missing.is_empty(),
                missing,
            }
        })
        .collect()
}

/// Per format, what its registry still needs, in one line each.
fn render_formats(ws: &Workspace) -> String {
    let mut out = String::from("\nFormats (what each still needs beyond the above):\n");
    for &f in crate::export::Format::ALL {
        let missing = crate::export::readiness::missing(ws, f);
        let _ = writeln!(
            out,
            "  {:<9} {}",
            f.name(),
            crate::export::readiness::sentence(f, &missing)
        );
    }
    out
}

/// The verdict as text: whether `export` would write, and as final or draft, and why.
fn render_verdict(v: &Verdict) -> String {
    let mut out = String::new();
    let list = |out: &mut String, items: &[OpenProblem]| {
        for p in items {
            let _ = writeln!(out, "  {} — {}", p.message, p.fix);
        }
    };
    if !v.export_ready() {
        let _ = writeln!(
            out,
            "\nExport: refused until {} blocker(s) are fixed (or a draft with --force)",
            v.blockers.len()
        );
        list(&mut out, &v.blockers);
    } else if v.is_final() {
        out.push_str("\nExport: ready, as final\n");
    } else {
        let _ = writeln!(
            out,
            "\nExport: ready, as a draft until {} more thing(s) are done",
            v.pending.len()
        );
    }
    if !v.pending.is_empty() {
        let _ = writeln!(out, "Before it can be final ({}):", v.pending.len());
        const SHOWN: usize = 30;
        list(&mut out, &v.pending[..v.pending.len().min(SHOWN)]);
        if v.pending.len() > SHOWN {
            let _ = writeln!(
                out,
                "  … and {} more (--format json lists every one)",
                v.pending.len() - SHOWN
            );
        }
    }
    out
}

/// The thresholds that the report fails, in words.
fn failures(
    report: &GapReport,
    coverage: f64,
    min_coverage: Option<f64>,
    fail_on: FailOn,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(min) = min_coverage {
        if coverage + 1e-9 < min {
            out.push(format!(
                "coverage {coverage:.1}% is below --min-coverage {min}"
            ));
        }
    }
    match fail_on {
        FailOn::Critical if !report.critical.is_empty() => out.push(format!(
            "{} critical need(s): {} (--fail-on critical)",
            report.critical.len(),
            report.critical.join(", ")
        )),
        FailOn::Outcomes if report.outcomes.iter().any(|f| !f.rule.is_warning()) => {
            let n = report
                .outcomes
                .iter()
                .filter(|f| !f.rule.is_warning())
                .count();
            out.push(format!(
                "{n} learning-outcome finding(s) (--fail-on outcomes)"
            ));
        }
        FailOn::Any if !report.is_clean() => {
            let total: usize = report.counts().iter().map(|&(_, n)| n).sum();
            out.push(format!("{total} gap entries (--fail-on any)"));
        }
        _ => {}
    }
    out
}

/// Headline label of each gap kind of [`GapReport::counts`].
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "critical" => "critical needs (uncovered must)",
        "uncovered" => "other uncovered needs",
        "partial" => "partially covered needs",
        "level_gaps" => "level gaps",
        "mapped_not_included" => "mapped but not included",
        "orphans" => "orphan competencies",
        "assessment_gaps" => "assessment gaps",
        "workload" => "workload limits exceeded",
        "awaiting_review" => "mappings awaiting review",
        "sign_offs" => "sign-offs missing or stale",
        "missing_elements" => "missing export elements",
        "equity_questions" => "equity questions",
        _ => "other",
    }
}

/// The question behind each equity field.
fn equity_question(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "cost" => "What will it cost learners, and who can have it waived?",
        "flexible_delivery" => "How can people with jobs or care duties take part?",
        "learner_supports" => "What support will learners get to finish?",
        "recognition_of_prior_learning" => "How is what learners already know recognised?",
        "community_partners" => "Which community organisations were consulted?",
        _ => "Not answered yet.",
    }
}

fn percent(credit: f64) -> String {
    format!("{:.0}%", credit * 100.0)
}

/// Names for the ids in a report, looked up once.
struct Names<'a> {
    needs: HashMap<&'a str, &'a Need>,
    partners: HashMap<&'a str, &'a str>,
    catalog: &'a Catalog,
}

impl<'a> Names<'a> {
    fn new(ws: &'a Workspace, catalog: &'a Catalog) -> Self {
        Names {
            needs: ws.needs.iter().map(|n| (n.id.as_str(), n)).collect(),
            partners: ws
                .partners
                .iter()
                .map(|p| (p.id.as_str(), p.name.as_str()))
                .collect(),
            catalog,
        }
    }

    /// `N4 [must, Partner name] statement`.
    fn need(&self, id: &str) -> String {
        match self.needs.get(id) {
            Some(n) => {
                let partner = self.partners.get(n.partner.as_str()).unwrap_or(&"?");
                format!(
                    "{id} [{}, {partner}] {}",
                    n.priority.as_str(),
                    n.statement.trim()
                )
            }
            None => format!("{id} (not in the needs)"),
        }
    }

    /// `fw:ID Competency name`.
    fn competency(&self, reference: &str) -> String {
        match self.catalog.resolve(reference) {
            Some((_, c)) => format!("{reference} {}", c.name),
            None => format!("{reference} (not in the loaded frameworks)"),
        }
    }
}

fn section(out: &mut String, title: &str, count: usize) {
    let _ = writeln!(out, "\n{title} ({count})");
    if count == 0 {
        out.push_str("  none\n");
    }
}

/// The text report: a headline, then one section per gap kind, each line naming its need or
/// competency by id and by name. Pure: the same inputs give the same text.
pub fn render_text(report: &GapReport, ws: &Workspace, catalog: &Catalog) -> String {
    let names = Names::new(ws, catalog);
    let mut out = String::new();
    let title = ws
        .credential
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("(untitled credential)");
    let _ = writeln!(out, "Gap report: {title}");
    let by_status = |s: NeedStatus| report.needs.iter().filter(|n| n.status == s).count();
    let _ = writeln!(
        out,
        "Coverage: {:.1}% weighted by priority (must 3, should 2, could 1); \
         {} needs: {} covered, {} partial, {} uncovered",
        report.coverage_percent,
        report.needs.len(),
        by_status(NeedStatus::Covered),
        by_status(NeedStatus::Partial),
        by_status(NeedStatus::Uncovered),
    );
    let counts = report.counts();
    let total: usize = counts.iter().map(|&(_, n)| n).sum();
    if total == 0 {
        out.push_str("No gaps: every need is covered and the credential is ready to export.\n");
    } else {
        let _ = writeln!(out, "Gaps: {total}");
        for (kind, n) in &counts {
            let _ = writeln!(out, "  {:<34} {n:>3}", kind_label(kind));
        }
    }

    let critical = report.critical.len();
    section(&mut out, "Critical needs: uncovered must needs", critical);
    for id in &report.critical {
        let _ = writeln!(out, "  {}", names.need(id));
    }

    let critical_ids: std::collections::HashSet<&str> =
        report.critical.iter().map(String::as_str).collect();
    let uncovered: Vec<_> = report
        .needs
        .iter()
        .filter(|n| n.status == NeedStatus::Uncovered && !critical_ids.contains(n.id.as_str()))
        .collect();
    section(
        &mut out,
        "Other uncovered needs: should and could",
        uncovered.len(),
    );
    for n in uncovered {
        let _ = writeln!(out, "  {}", names.need(&n.id));
    }

    let partial: Vec<_> = report
        .needs
        .iter()
        .filter(|n| n.status == NeedStatus::Partial)
        .collect();
    section(&mut out, "Partially covered needs", partial.len());
    for n in partial {
        let _ = writeln!(
            out,
            "  {}\n      credit {}",
            names.need(&n.id),
            percent(n.credit)
        );
    }

    section(&mut out, "Level gaps", report.level_gaps.len());
    for g in &report.level_gaps {
        let _ = writeln!(
            out,
            "  {}\n      {}: required level {}, target {}, short by {}",
            names.need(&g.need),
            names.competency(&g.competency),
            g.required,
            g.target,
            g.shortfall
        );
    }

    section(
        &mut out,
        "Mapped but not included in the credential",
        report.mapped_not_included.len(),
    );
    for m in &report.mapped_not_included {
        let _ = writeln!(
            out,
            "  {}\n      {}",
            names.need(&m.need),
            names.competency(&m.competency)
        );
    }

    section(
        &mut out,
        "Orphans: credential competencies no need asks for",
        report.orphans.len(),
    );
    for r in &report.orphans {
        let _ = writeln!(out, "  {}", names.competency(r));
    }

    section(
        &mut out,
        "Assessment gaps: competencies with no assessment",
        report.assessment_gaps.len(),
    );
    for r in &report.assessment_gaps {
        let _ = writeln!(out, "  {}", names.competency(r));
    }

    let w = &report.workload;
    let exceeded = usize::from(w.over_declared) + usize::from(w.over_max);
    let _ = writeln!(out, "\nWorkload ({exceeded})");
    let declared = w
        .declared_hours
        .map_or_else(|| "not declared".to_string(), |h| format!("{h} h"));
    let _ = writeln!(
        out,
        "  competency hours {} h; declared {declared}; ceiling for micro {} h",
        w.competency_hours, w.max_hours
    );
    if w.over_declared {
        if let Some(d) = w.declared_hours {
            let _ = writeln!(
                out,
                "  over the declared hours by {} h",
                w.competency_hours - d
            );
        }
    }
    if w.over_max {
        let _ = writeln!(out, "  over the ceiling of {} h", w.max_hours);
    }
    if exceeded == 0 {
        out.push_str("  within the declared hours and the ceiling\n");
    }

    let disputed = report.disputed_count();
    let _ = writeln!(
        out,
        "\nAwaiting review: disputed first ({}, {disputed} disputed)",
        report.awaiting_review.len()
    );
    if report.awaiting_review.is_empty() {
        out.push_str("  none\n");
    }
    for r in &report.awaiting_review {
        let _ = writeln!(
            out,
            "  {:<9} {}\n            {}",
            r.status.as_str(),
            names.need(&r.need),
            names.competency(&r.competency)
        );
    }

    section(
        &mut out,
        "Sign-offs missing or stale",
        report.sign_offs.len(),
    );
    for g in &report.sign_offs {
        let name = names
            .partners
            .get(g.partner.as_str())
            .copied()
            .unwrap_or("");
        let _ = writeln!(
            out,
            "  {:<7} {} {name}",
            match g.state {
                crate::model::signoff::SignOffState::Stale => "stale",
                _ => "missing",
            },
            g.partner
        );
    }

    section(
        &mut out,
        "Missing export elements",
        report.missing_elements.len(),
    );
    for m in &report.missing_elements {
        let _ = writeln!(out, "  {m}");
    }

    section(&mut out, "Equity questions", report.equity_questions.len());
    for q in &report.equity_questions {
        let _ = writeln!(out, "  {q}: {}", equity_question(q));
    }
    if ws.competencies.iter().any(|c| c.outcome.is_some()) {
        render_outcomes(&mut out, report, &names);
    }
    out
}

/// The outcome findings, each competency named once, then what the design silenced and why.
fn render_outcomes(out: &mut String, report: &GapReport, names: &Names) {
    let warnings = report
        .outcomes
        .iter()
        .filter(|f| f.rule.is_warning())
        .count();
    let _ = writeln!(
        out,
        "\nOutcomes: learning outcomes that cannot be assessed as written ({}, {warnings} warning(s))",
        report.outcomes.len() - warnings
    );
    if report.outcomes.is_empty() {
        out.push_str("  none\n");
    }
    let mut last = "";
    for f in &report.outcomes {
        if f.competency != last {
            let _ = writeln!(out, "  {}", names.competency(&f.competency));
            last = &f.competency;
        }
        let kind = if f.rule.is_warning() {
            " (warning)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "      {}{kind}: {}\n        fix: {}\n        source: {}",
            f.rule.as_str(),
            f.message,
            f.hint,
            f.source
        );
    }
    if !report.outcomes_silenced.is_empty() {
        let _ = writeln!(
            out,
            "  Silenced by the design ({}):",
            report.outcomes_silenced.len()
        );
        for s in &report.outcomes_silenced {
            let _ = writeln!(
                out,
                "    {} {}: {}\n        reason: {}",
                s.competency,
                s.rule.as_str(),
                s.message,
                s.reason
            );
        }
    }
}
