//! A portfolio file: read it, check it alone, and load every design it names (relative to
//! its folder) for the analysis.

use std::path::Path;

use crate::analysis::portfolio::MemberState;
use crate::catalog::Catalog;
use crate::model::portfolio::{self, Portfolio};
use crate::problem::{Problem, Problems};
use crate::store;

/// A portfolio with its member designs as found.
#[derive(Debug, Clone)]
pub struct LoadedPortfolio {
    pub portfolio: Portfolio,
    /// One per `portfolio.credentials`, in order.
    pub members: Vec<MemberState>,
}

/// Parse and check a portfolio from text (file `name`).
pub fn portfolio_from_str(src: &str, name: &str) -> Result<Portfolio, Problems> {
    let p: Portfolio = store::yaml::parse_named(src, name)?;
    let problems = store::yaml::located(src, name, portfolio::validate(&p));
    if problems.iter().any(Problem::is_error) {
        return Err(Problems(problems));
    }
    Ok(p)
}

/// Check a portfolio file's text (read from `path`) and load the designs it names. A design
/// that cannot be loaded is reported in the analysis (`unavailable`), not as an error of the
/// portfolio.
pub fn load_portfolio(
    path: &Path,
    src: &str,
    catalog: &Catalog,
) -> Result<LoadedPortfolio, Problems> {
    let name = path.display().to_string();
    let p = portfolio_from_str(src, &name)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    // Through the design cache: a design not changed since it was last read is not parsed
    // again.
    let load = |m: &portfolio::Member| match super::design_cache::load_design_cached(
        &dir.join(&m.path),
        catalog,
    ) {
        Ok(ws) => MemberState::Loaded(Box::new(ws)),
        Err(e) => MemberState::Unavailable(
            e.0.first()
                .map_or_else(|| "it cannot be read".to_string(), |p| p.message.clone()),
        ),
    };
    // The designs are independent: read and checked on as many threads as there are cores,
    // each thread a run of them, kept in the portfolio's order.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, p.credentials.len().max(1));
    let chunk = p.credentials.len().div_ceil(threads).max(1);
    let members: Vec<MemberState> = std::thread::scope(|s| {
        let handles: Vec<_> = p
            .credentials
            .chunks(chunk)
            .map(|run| s.spawn(move || run.iter().map(load).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .zip(p.credentials.chunks(chunk))
            .flat_map(|(h, run)| {
                h.join().unwrap_or_else(|_| {
                    run.iter()
                        .map(|_| MemberState::Unavailable("it could not be read".into()))
                        .collect()
                })
            })
            .collect()
    });
    Ok(LoadedPortfolio {
        portfolio: p,
        members,
    })
}

/// The portfolio as it was at `commit`, parsed only (as a design's versions are: no check, so
/// an old version still compares), or the located reason it cannot be read.
pub fn version_at(path: &Path, commit: &crate::store::git::Commit) -> Result<Portfolio, String> {
    let text = commit.text(path)?;
    let name = format!("{}@{}", commit.path, crate::store::git::short(&commit.hash));
    store::yaml::parse_named(&text, &name).map_err(|p| p.to_string())
}

/// For each of the first `shown` commits, newest first, what it changed in the portfolio (as
/// [`super::history::changes`] does for a design): each version read once; `each` returns
/// false to stop.
pub fn changes(
    path: &Path,
    commits: &[crate::store::git::Commit],
    shown: usize,
    each: impl FnMut(usize, Result<crate::analysis::portfolio_diff::PortfolioDiff, String>) -> bool,
) {
    let compare = crate::analysis::portfolio_diff::diff;
    super::history::changes_with(path, commits, shown, version_at, compare, each);
}
