//! Gap analysis on small hand-built workspaces; every expected figure is worked out by hand here.

use microcred::analysis::gap::{
    GapReport, LevelGap, NeedCompetency, NeedStatus, Review, WorkloadGap, analyse,
};
use microcred::model::signoff::SignOffState;
use microcred::model::*;

fn need(id: &str, priority: Priority) -> Need {
    Need {
        id: id.into(),
        partner: "acme".into(),
        statement: format!("statement of {id}"),
        priority,
        evidence: None,
    }
}

fn comp(reference: &str, target: u32) -> CredentialCompetency {
    CredentialCompetency {
        reference: reference.into(),
        target_level: target,
        hours: None,
        outcome: Some("an outcome".into()),
        assessment: Some(Assessment {
            method: AssessmentMethod::Project,
            description: None,
        }),
        silence: Vec::new(),
    }
}

fn map(need: &str, competency: &str, required: Option<u32>, status: MappingStatus) -> Mapping {
    Mapping {
        need: need.into(),
        competency: competency.into(),
        required_level: required,
        rationale: None,
        status,
        agreed_by: None,
        status_by: None,
        status_at: None,
        comments: Vec::new(),
    }
}

fn filled(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// A credential with every element and every equity field filled.
fn complete_credential() -> Credential {
    Credential {
        title: filled("T"),
        summary: filled("S"),
        awarding_body: filled("College"),
        country: filled("CA"),
        level: Some(QualificationLevel {
            scheme: "EQF".into(),
            value: LevelValue::Number(5),
        }),
        workload: Some(Workload {
            hours: 100.0,
            ects: None,
        }),
        participation: Some(Participation::Online),
        assessment_type: filled("Project"),
        quality_assurance: filled("Review"),
        equity: Equity {
            cost: filled("free"),
            flexible_delivery: filled("evenings"),
            learner_supports: filled("tutors"),
            recognition_of_prior_learning: filled("challenge exams"),
            community_partners: filled("a friendship centre"),
        },
        ..Credential::default()
    }
}

fn workspace(needs: Vec<Need>, comps: Vec<CredentialCompetency>, maps: Vec<Mapping>) -> Workspace {
    Workspace {
        credential: complete_credential(),
        partners: vec![Partner {
            id: "acme".into(),
            name: "Acme".into(),
            kind: PartnerKind::Industry,
        }],
        needs,
        competencies: comps,
        mappings: maps,
        ..Workspace::default()
    }
}

/// `ws` with a current sign-off from its one partner.
fn signed(mut ws: Workspace) -> Workspace {
    let design = microcred::model::signoff::design_hash(&ws);
    ws.sign_offs.push(SignOff {
        person: "pat".into(),
        partner: "acme".into(),
        at: "2026-11-30T10:00:00Z".into(),
        design,
        key: None,
    });
    ws
}

fn run(ws: &Workspace) -> GapReport {
    analyse(ws)
}

fn count(r: &GapReport, kind: &str) -> usize {
    r.counts()
        .into_iter()
        .find(|&(k, _)| k == kind)
        .map(|(_, n)| n)
        .unwrap_or_else(|| panic!("no count for {kind}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

use MappingStatus::{Agreed, Disputed, Proposed, Rejected};

#[test]
fn coverage_uses_partial_credit_and_all_three_priority_weights() {
    let ws = workspace(
        vec![
            need("N1", Priority::Must),   // best credit 2/4 = 0.5
            need("N2", Priority::Should), // 3/3 = 1
            need("N3", Priority::Could),  // no mapping: 0
            need("N4", Priority::Must),   // best of 1/4 and 3/4 = 0.75
        ],
        vec![comp("f:A", 2), comp("f:B", 3), comp("f:C", 1)],
        vec![
            map("N1", "f:A", Some(4), Agreed),
            map("N2", "f:B", Some(3), Agreed),
            map("N4", "f:C", Some(4), Agreed),
            map("N4", "f:B", Some(4), Agreed),
        ],
    );
    let r = run(&ws);
    // (3·0.5 + 2·1 + 1·0 + 3·0.75) / (3 + 2 + 1 + 3) = 5.75 / 9
    assert!(
        close(r.coverage_percent, 100.0 * 5.75 / 9.0),
        "{}",
        r.coverage_percent
    );
    let credits: Vec<f64> = r.needs.iter().map(|n| n.credit).collect();
    assert_eq!(credits, vec![0.5, 1.0, 0.0, 0.75]);
    let statuses: Vec<NeedStatus> = r.needs.iter().map(|n| n.status).collect();
    assert_eq!(
        statuses,
        vec![
            NeedStatus::Partial,
            NeedStatus::Covered,
            NeedStatus::Uncovered,
            NeedStatus::Partial
        ]
    );
    assert_eq!(r.needs[0].partner, "acme");
    assert_eq!(r.needs[2].priority, Priority::Could);
    // N3 is uncovered but only `could`: not critical.
    assert!(r.critical.is_empty());
    assert_eq!(count(&r, "uncovered"), 1);
    assert_eq!(count(&r, "partial"), 2);
}

#[test]
fn no_needs_means_full_coverage() {
    let r = run(&workspace(vec![], vec![], vec![]));
    assert_eq!(r.coverage_percent, 100.0);
    assert!(r.needs.is_empty());
}

#[test]
fn uncovered_must_need_is_critical_and_others_are_not() {
    let ws = workspace(
        vec![
            need("N1", Priority::Must),
            need("N2", Priority::Should),
            need("N3", Priority::Must),
        ],
        vec![comp("f:A", 2)],
        vec![map("N3", "f:A", None, Agreed)],
    );
    let r = run(&ws);
    assert_eq!(r.critical, vec!["N1".to_string()]);
    assert_eq!(r.needs[1].status, NeedStatus::Uncovered);
    // (0 + 0 + 3·1) / (3 + 2 + 3)
    assert!(close(r.coverage_percent, 37.5));
    assert_eq!(count(&r, "critical"), 1);
    assert!(!r.is_clean());
}

#[test]
fn rejected_mappings_are_ignored_everywhere() {
    let ws = workspace(
        vec![need("N1", Priority::Must)],
        vec![comp("f:A", 1)],
        vec![
            // Would be a level gap, a tie for f:A and awaiting review were it not rejected.
            map("N1", "f:A", Some(3), Rejected),
            // Would be mapped but not included.
            map("N1", "f:OUT", Some(1), Rejected),
        ],
    );
    let r = run(&ws);
    assert_eq!(r.needs[0].credit, 0.0);
    assert_eq!(r.needs[0].status, NeedStatus::Uncovered);
    assert_eq!(r.critical, vec!["N1".to_string()]);
    assert_eq!(r.coverage_percent, 0.0);
    assert!(r.level_gaps.is_empty());
    assert!(r.mapped_not_included.is_empty());
    assert!(r.awaiting_review.is_empty());
    assert_eq!(r.orphans, vec!["f:A".to_string()]);
}

#[test]
fn mapped_competency_missing_from_the_credential_earns_no_credit() {
    let ws = workspace(
        vec![need("N1", Priority::Should), need("N2", Priority::Could)],
        vec![comp("f:A", 2)],
        vec![
            map("N1", "f:MISSING", Some(4), Agreed),
            map("N2", "f:A", None, Agreed),
            map("N2", "f:ALSO-MISSING", None, Proposed),
        ],
    );
    let r = run(&ws);
    assert_eq!(
        r.mapped_not_included,
        vec![
            NeedCompetency {
                need: "N1".into(),
                competency: "f:MISSING".into()
            },
            NeedCompetency {
                need: "N2".into(),
                competency: "f:ALSO-MISSING".into()
            },
        ]
    );
    assert_eq!(r.needs[0].status, NeedStatus::Uncovered);
    assert_eq!(r.needs[0].credit, 0.0);
    // Not counting, so no level gap even though 4 is above anything.
    assert!(r.level_gaps.is_empty());
    // 1·1 / (2 + 1)
    assert!(close(r.coverage_percent, 100.0 / 3.0));
    // A non-rejected mapping that is not agreed awaits review, included or not.
    assert_eq!(r.awaiting_review.len(), 1);
    assert_eq!(r.awaiting_review[0].competency, "f:ALSO-MISSING");
}

#[test]
fn unset_required_level_gives_full_credit_and_no_level_gap() {
    let ws = workspace(
        vec![need("N1", Priority::Must)],
        vec![comp("f:A", 1)],
        vec![map("N1", "f:A", None, Agreed)],
    );
    let r = run(&signed(ws));
    assert_eq!(r.needs[0].credit, 1.0);
    assert_eq!(r.needs[0].status, NeedStatus::Covered);
    assert!(r.level_gaps.is_empty());
    assert_eq!(r.coverage_percent, 100.0);
    assert!(r.is_clean(), "{:?}", r.counts());
}

#[test]
fn level_gap_reports_the_shortfall() {
    let ws = workspace(
        vec![need("N1", Priority::Should)],
        vec![comp("f:A", 1), comp("f:B", 4)],
        vec![
            map("N1", "f:A", Some(4), Disputed),
            // Target above required: no gap.
            map("N1", "f:B", Some(2), Agreed),
        ],
    );
    let r = run(&ws);
    assert_eq!(
        r.level_gaps,
        vec![LevelGap {
            need: "N1".into(),
            competency: "f:A".into(),
            required: 4,
            target: 1,
            shortfall: 3,
        }]
    );
    // The better mapping wins: credit 1.
    assert_eq!(r.needs[0].status, NeedStatus::Covered);

    // Alone, the short mapping earns 1/4.
    let ws = workspace(
        vec![need("N1", Priority::Should)],
        vec![comp("f:A", 1)],
        vec![map("N1", "f:A", Some(4), Agreed)],
    );
    let r = run(&ws);
    assert_eq!(r.needs[0].credit, 0.25);
    assert_eq!(r.needs[0].status, NeedStatus::Partial);
    assert!(close(r.coverage_percent, 25.0));
    assert_eq!(count(&r, "level_gaps"), 1);
}

#[test]
fn orphans_are_competencies_no_live_mapping_ties_to_a_need() {
    let ws = workspace(
        vec![need("N1", Priority::Must)],
        vec![
            comp("f:TIED", 2),
            comp("f:NOBODY", 2),
            comp("f:DISPUTED", 2),
            comp("f:REJECTED", 2),
        ],
        vec![
            map("N1", "f:TIED", None, Agreed),
            map("N1", "f:DISPUTED", None, Disputed),
            map("N1", "f:REJECTED", None, Rejected),
        ],
    );
    let r = run(&ws);
    assert_eq!(r.orphans, vec!["f:NOBODY".to_string(), "f:REJECTED".into()]);
}

#[test]
fn assessment_gaps_list_unassessed_competencies_in_document_order() {
    let mut b = comp("f:B", 2);
    b.assessment = None;
    let mut d = comp("f:D", 2);
    d.assessment = None;
    let ws = workspace(vec![], vec![comp("f:A", 2), b, comp("f:C", 2), d], vec![]);
    let r = run(&ws);
    assert_eq!(r.assessment_gaps, vec!["f:B".to_string(), "f:D".into()]);
    assert_eq!(count(&r, "assessment_gaps"), 2);
}

fn with_hours(hours: &[f64]) -> Vec<CredentialCompetency> {
    hours
        .iter()
        .enumerate()
        .map(|(i, &h)| {
            let mut c = comp(&format!("f:C{i}"), 1);
            c.hours = Some(h);
            c
        })
        .collect()
}

#[test]
fn workload_over_declared_hours() {
    let mut comps = with_hours(&[50.0, 30.5]);
    comps.push(comp("f:NOHOURS", 1)); // unset hours count as 0
    let ws = workspace(vec![], comps, vec![]); // declared 100, default ceiling 150
    let mut ws2 = ws.clone();
    ws2.credential.workload = Some(Workload {
        hours: 80.0,
        ects: None,
    });
    let r = run(&ws);
    assert_eq!(
        r.workload,
        WorkloadGap {
            competency_hours: 80.5,
            declared_hours: Some(100.0),
            max_hours: 150.0,
            over_declared: false,
            over_max: false,
        }
    );
    let r = run(&ws2);
    assert!(r.workload.over_declared);
    assert!(!r.workload.over_max);
    assert_eq!(count(&r, "workload"), 1);
    assert!(!r.is_clean());
}

#[test]
fn workload_over_the_ceiling() {
    // Competency hours over an explicit max_hours (and over the declared 100).
    let mut ws = workspace(vec![], with_hours(&[60.0, 60.0]), vec![]);
    ws.credential.max_hours = Some(110.0);
    let r = run(&ws);
    assert_eq!(r.workload.max_hours, 110.0);
    assert!(r.workload.over_max);
    assert!(r.workload.over_declared);
    assert_eq!(count(&r, "workload"), 2);

    // Declared hours alone over the default ceiling of 150.
    let mut ws = workspace(vec![], with_hours(&[10.0]), vec![]);
    ws.credential.workload = Some(Workload {
        hours: 160.0,
        ects: None,
    });
    let r = run(&ws);
    assert!(r.workload.over_max);
    assert!(!r.workload.over_declared);

    // Nothing declared: only the ceiling applies; floating sums are not "over".
    let mut ws = workspace(vec![], with_hours(&[0.1, 0.2]), vec![]);
    ws.credential.workload = Some(Workload {
        hours: 0.3,
        ects: None,
    });
    assert!(!run(&ws).workload.over_declared);
    ws.credential.workload = None;
    let r = run(&ws);
    assert_eq!(r.workload.declared_hours, None);
    assert!(!r.workload.over_declared && !r.workload.over_max);
    assert!(
        r.missing_elements
            .contains(&"credential.workload".to_string())
    );
}

#[test]
fn awaiting_review_lists_disputed_first_then_document_order() {
    let needs = ["N1", "N2", "N3", "N4", "N5", "N6"]
        .iter()
        .map(|id| need(id, Priority::Could))
        .collect();
    let ws = workspace(
        needs,
        vec![comp("f:A", 1)],
        vec![
            map("N1", "f:A", None, Proposed),
            map("N2", "f:A", None, Disputed),
            map("N3", "f:A", None, Agreed),
            map("N4", "f:A", None, Rejected),
            map("N5", "f:A", None, Disputed),
            map("N6", "f:A", None, Proposed),
        ],
    );
    let r = run(&ws);
    let review = |n: &str, status| Review {
        need: n.into(),
        competency: "f:A".into(),
        status,
    };
    assert_eq!(
        r.awaiting_review,
        vec![
            review("N2", Disputed),
            review("N5", Disputed),
            review("N1", Proposed),
            review("N6", Proposed),
        ]
    );
    assert_eq!(r.disputed_count(), 2);
    // Disputed and proposed mappings still count toward coverage.
    assert_eq!(r.coverage_percent, 100.0 * 5.0 / 6.0);
}

#[test]
fn missing_export_elements_include_blank_strings() {
    let mut ws = workspace(vec![], vec![], vec![]);
    assert!(run(&ws).missing_elements.is_empty());
    let c = &mut ws.credential;
    c.title = Some("   ".into());
    c.summary = None;
    c.level = Some(QualificationLevel {
        scheme: " ".into(),
        value: LevelValue::Number(4),
    });
    c.participation = None;
    c.quality_assurance = Some(String::new());
    // Optional elements are never missing.
    c.grading = None;
    c.max_hours = None;
    let r = run(&ws);
    assert_eq!(
        r.missing_elements,
        vec![
            "credential.title",
            "credential.summary",
            "credential.level",
            "credential.participation",
            "credential.quality_assurance",
        ]
    );

    ws.credential = Credential::default();
    assert_eq!(
        run(&ws).missing_elements,
        vec![
            "credential.title",
            "credential.summary",
            "credential.awarding_body",
            "credential.country",
            "credential.level",
            "credential.workload",
            "credential.participation",
            "credential.assessment_type",
            "credential.quality_assurance",
        ]
    );
}

#[test]
fn equity_questions_are_blank_equity_fields() {
    let mut ws = workspace(vec![], vec![], vec![]);
    assert!(run(&ws).equity_questions.is_empty());
    ws.credential.equity.cost = None;
    ws.credential.equity.recognition_of_prior_learning = Some(" \n ".into());
    let r = run(&ws);
    assert_eq!(
        r.equity_questions,
        vec![
            "credential.equity.cost",
            "credential.equity.recognition_of_prior_learning",
        ]
    );
    assert_eq!(count(&r, "equity_questions"), 2);
}

#[test]
fn clean_report_and_counts() {
    let ws = workspace(
        vec![need("N1", Priority::Must)],
        vec![comp("f:A", 3)],
        vec![map("N1", "f:A", Some(3), Agreed)],
    );
    let ws = signed(ws);
    let r = run(&ws);
    assert!(r.is_clean());
    let kinds: Vec<&str> = r.counts().iter().map(|&(k, _)| k).collect();
    assert_eq!(
        kinds,
        vec![
            "critical",
            "uncovered",
            "partial",
            "level_gaps",
            "mapped_not_included",
            "orphans",
            "assessment_gaps",
            "workload",
            "awaiting_review",
            "sign_offs",
            "missing_elements",
            "equity_questions",
        ]
    );
    assert!(r.counts().iter().all(|&(_, n)| n == 0));
    // Deterministic: the same document gives an equal report.
    assert_eq!(run(&ws), r);
}

#[test]
fn json_has_the_keys_of_the_issue() {
    let ws = workspace(
        vec![need("N1", Priority::Must)],
        vec![comp("f:A", 1)],
        vec![map("N1", "f:A", Some(2), Disputed)],
    );
    let v = serde_json::to_value(run(&ws)).expect("serialises");
    let keys: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "coverage_percent",
        "needs",
        "critical",
        "mapped_not_included",
        "orphans",
        "level_gaps",
        "assessment_gaps",
        "workload",
        "awaiting_review",
        "sign_offs",
        "missing_elements",
        "equity_questions",
        "outcomes",
        "outcomes_silenced",
    ];
    let mut keys = keys;
    keys.sort();
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(v["coverage_percent"], 50.0);
    assert_eq!(
        v["needs"][0],
        serde_json::json!({"id": "N1", "partner": "acme", "priority": "must", "status": "partial", "credit": 0.5})
    );
    assert_eq!(
        v["level_gaps"][0],
        serde_json::json!({"need": "N1", "competency": "f:A", "required": 2, "target": 1, "shortfall": 1})
    );
    assert_eq!(
        v["awaiting_review"][0],
        serde_json::json!({"need": "N1", "competency": "f:A", "status": "disputed"})
    );
    assert_eq!(
        v["workload"],
        serde_json::json!({"competency_hours": 0.0, "declared_hours": 100.0, "max_hours": 150.0, "over_declared": false, "over_max": false})
    );
}

/// A partner with needs and no sign-off is missing; a change makes a sign-off stale; undoing
/// the change makes it current again; comments change nothing.
#[test]
fn sign_offs_go_stale_on_a_change_and_current_again_when_it_is_undone() {
    let ws = workspace(
        vec![need("N1", Priority::Must)],
        vec![comp("f:A", 3)],
        vec![map("N1", "f:A", Some(3), Agreed)],
    );
    let r = run(&ws);
    assert_eq!(r.sign_offs.len(), 1);
    assert_eq!(r.sign_offs[0].partner, "acme");
    assert_eq!(r.sign_offs[0].state, SignOffState::Missing);
    assert_eq!(count(&r, "sign_offs"), 1);
    let mut ws = signed(ws);
    assert!(run(&ws).sign_offs.is_empty());
    ws.mappings[0].comments.push(Comment {
        by: "pat".into(),
        at: "2026-11-30T11:00:00Z".into(),
        text: "Looks right".into(),
    });
    assert!(
        run(&ws).sign_offs.is_empty(),
        "a comment is not a change of design"
    );
    ws.competencies[0].hours = Some(12.0);
    let r = run(&ws);
    assert_eq!(r.sign_offs[0].state, SignOffState::Stale);
    ws.competencies[0].hours = None;
    assert!(run(&ws).sign_offs.is_empty(), "back to the signed design");
}
