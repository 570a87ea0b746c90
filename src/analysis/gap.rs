//! PLACEHOLDER: the `GapReport` API agreed with branch `gap`, without the engine.
//! The merge of branch `gap` replaces this file.

use crate::catalog::Catalog;
use crate::model::{MappingStatus, Priority, Workspace};

/// Everything still wrong with a design.
#[derive(Debug, Clone, PartialEq)]
pub struct GapReport {
    pub coverage_percent: f64,
    pub needs: Vec<NeedGap>,
    pub critical: Vec<String>,
    pub mapped_not_included: Vec<NeedCompetency>,
    pub orphans: Vec<String>,
    pub level_gaps: Vec<LevelGap>,
    pub assessment_gaps: Vec<String>,
    pub workload: WorkloadGap,
    pub awaiting_review: Vec<Review>,
    pub missing_elements: Vec<String>,
    pub equity_questions: Vec<String>,
}

/// How well one need is covered.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedGap {
    pub id: String,
    pub partner: String,
    pub priority: Priority,
    pub status: NeedStatus,
    pub credit: f64,
}

/// Coverage of a need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedStatus {
    Covered,
    Partial,
    Uncovered,
}

/// A need and a competency.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedCompetency {
    pub need: String,
    pub competency: String,
}

/// A level shortfall.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelGap {
    pub need: String,
    pub competency: String,
    pub required: u32,
    pub target: u32,
    pub shortfall: u32,
}

/// Workload against the declared hours and the ceiling.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadGap {
    pub competency_hours: f64,
    pub declared_hours: Option<f64>,
    pub max_hours: f64,
    pub over_declared: bool,
    pub over_max: bool,
}

/// A mapping awaiting a partner's agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub need: String,
    pub competency: String,
    pub status: MappingStatus,
}

impl GapReport {
    /// True when nothing is reported.
    pub fn is_clean(&self) -> bool {
        self.counts().iter().all(|(_, n)| *n == 0)
    }

    /// Counts by kind.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("critical", self.critical.len()),
            ("mapped_not_included", self.mapped_not_included.len()),
            ("orphans", self.orphans.len()),
            ("level_gaps", self.level_gaps.len()),
            ("assessment_gaps", self.assessment_gaps.len()),
            (
                "workload",
                usize::from(self.workload.over_declared || self.workload.over_max),
            ),
            ("awaiting_review", self.awaiting_review.len()),
            ("missing_elements", self.missing_elements.len()),
            ("equity_questions", self.equity_questions.len()),
        ]
    }
}

/// PLACEHOLDER: reports nothing until branch `gap` is merged.
pub fn analyse(ws: &Workspace, _catalog: &Catalog) -> GapReport {
    GapReport {
        coverage_percent: 0.0,
        needs: Vec::new(),
        critical: Vec::new(),
        mapped_not_included: Vec::new(),
        orphans: Vec::new(),
        level_gaps: Vec::new(),
        assessment_gaps: Vec::new(),
        workload: WorkloadGap {
            competency_hours: 0.0,
            declared_hours: ws.credential.workload.as_ref().map(|w| w.hours),
            max_hours: crate::model::DEFAULT_MAX_HOURS,
            over_declared: false,
            over_max: false,
        },
        awaiting_review: Vec::new(),
        missing_elements: Vec::new(),
        equity_questions: Vec::new(),
    }
}
