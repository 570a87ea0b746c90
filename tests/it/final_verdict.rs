//! Issue 25, point 5: a verdict that means final. A competency without an assessment and
//! competency hours that do not fit the declared workload keep a design a draft (in `check`,
//! the spec's `open_problems`), with what to do; a competency kept after its only mapping was
//! rejected is named so in the gap panes.

use crate::common;

use microcred::analysis::gap::analyse;
use microcred::document::Hub;
use microcred::edit::Actor;
use microcred::export::verdict::{ProblemKind, verdict};

use common::screen::{example, session};

fn kinds(ws: &microcred::model::Workspace, cat: &microcred::catalog::Catalog) -> Vec<ProblemKind> {
    verdict(ws, cat, &analyse(ws))
        .pending
        .iter()
        .map(|p| p.kind)
        .collect()
}

#[test]
fn hours_that_do_not_fit_the_workload_and_unassessed_competencies_are_pending() {
    let (mut ws, cat) = example("retrofit-gaps.yaml");
    // BR-SAFE-01 has no assessment in the example: pending, with where to set it.
    let v = verdict(&ws, &cat, &analyse(&ws));
    let p = v
        .pending
        .iter()
        .find(|p| p.kind == ProblemKind::AssessmentMissing)
        .expect("the unassessed competency is pending");
    assert_eq!(p.at, "competencies.building-retrofit:BR-SAFE-01.assessment");
    assert!(p.fix.contains("assessment:"), "{}", p.fix);

    // 0 h of competencies against 120 h declared is no final design.
    for c in &mut ws.competencies {
        c.hours = None;
    }
    ws.credential.workload.as_mut().expect("a workload").hours = 120.0;
    let v = verdict(&ws, &cat, &analyse(&ws));
    let w = v
        .pending
        .iter()
        .find(|p| p.kind == ProblemKind::WorkloadMismatch)
        .expect("the workload is pending");
    assert_eq!(
        w.message,
        "the competencies account for 0 h of the declared workload of 120 h"
    );
    // Hours between half and all of the workload fit.
    let n = ws.competencies.len() as f64;
    for c in &mut ws.competencies {
        c.hours = Some(100.0 / n);
    }
    assert!(!kinds(&ws, &cat).contains(&ProblemKind::WorkloadMismatch));
    for c in &mut ws.competencies {
        c.hours = Some(130.0 / n);
    }
    assert!(kinds(&ws, &cat).contains(&ProblemKind::WorkloadMismatch));
}

#[test]
fn a_competency_kept_after_its_mapping_was_rejected_says_so_in_the_gap_panes() {
    // N9's only mapping (to BR-SCI-03) is rejected in the example; BR-SCI-03 stays in the
    // credential.
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = Hub::new(ws, cat, None);
    let dee = session(&hub, Actor::designer("dee"), 120, 40);
    let line = dee
        .gap_lines
        .iter()
        .find(|l| l.text.contains("BR-SCI-03"))
        .expect("BR-SCI-03 in the gap panes");
    assert_eq!(line.section, "Orphans");
    assert!(
        line.text.ends_with("kept after a rejection"),
        "{}",
        line.text
    );
    // An orphan never mapped is not said to be rejected.
    let other = dee
        .gap_lines
        .iter()
        .find(|l| l.text.contains("DD-AI-02"))
        .expect("DD-AI-02 in the gap panes");
    assert!(!other.text.contains("rejection"), "{}", other.text);
}
