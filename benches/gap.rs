//! Gap analysis of a generated workspace: 200 needs, 300 credential competencies and 1,000
//! mappings over three in-memory frameworks. Target: median ≤ 1 ms.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use microcred::analysis::gap::analyse;
use microcred::catalog::Catalog;
use microcred::model::*;

const FRAMEWORKS: usize = 3;
const PER_FRAMEWORK: usize = 150;
const NEEDS: usize = 200;
const CREDENTIAL: usize = 300;
const MAPPINGS: usize = 1000;

fn frameworks() -> Vec<Framework> {
    (0..FRAMEWORKS)
        .map(|f| Framework {
            id: format!("fw{f}"),
            name: format!("Framework {f}"),
            version: "1.0".into(),
            publisher: None,
            source: None,
            licence: None,
            language: None,
            description: None,
            levels: (1..=4)
                .map(|l| Level {
                    level: l,
                    name: format!("Level {l}"),
                    description: None,
                })
                .collect(),
            competencies: (0..PER_FRAMEWORK)
                .map(|c| Competency {
                    id: format!("C-{c:03}"),
                    name: format!("Competency {c} of framework {f}"),
                    description: "A generated competency.".into(),
                    category: None,
                    kind: None,
                    keywords: Vec::new(),
                    parent: None,
                    uri: None,
                    levels: BTreeMap::new(),
                    ..Default::default()
                })
                .collect(),
        })
        .collect()
}

/// The reference of the `i`-th competency across all frameworks.
fn reference(i: usize) -> String {
    format!("fw{}:C-{:03}", i / PER_FRAMEWORK, i % PER_FRAMEWORK)
}

fn workspace() -> Workspace {
    let partners: Vec<Partner> = (0..5)
        .map(|p| Partner {
            id: format!("p{p}"),
            name: format!("Partner {p}"),
            kind: PartnerKind::Industry,
        })
        .collect();
    let needs = (0..NEEDS)
        .map(|n| Need {
            id: format!("N{n}"),
            partner: format!("p{}", n % 5),
            statement: format!("Generated need number {n}"),
            priority: [Priority::Must, Priority::Should, Priority::Could][n % 3],
            evidence: None,
        })
        .collect();
    let competencies = (0..CREDENTIAL)
        .map(|c| CredentialCompetency {
            reference: reference(c),
            target_level: 1 + (c % 4) as u32,
            hours: Some(0.5),
            outcome: Some("An outcome.".into()),
            assessment: (c % 7 != 0).then_some(Assessment {
                method: AssessmentMethod::Project,
                description: None,
            }),
            silence: Vec::new(),
        })
        .collect();
    // Each need gets five mappings to distinct competencies; a quarter of all competencies
    // (indexes 300..400) are not in the credential.
    let mappings = (0..MAPPINGS)
        .map(|k| {
            let need = k % NEEDS;
            let comp = (need + 83 * (k / NEEDS)) % (FRAMEWORKS * PER_FRAMEWORK - 50);
            Mapping {
                need: format!("N{need}"),
                competency: reference(comp),
                required_level: (k % 5 != 0).then_some(1 + (k % 4) as u32),
                rationale: None,
                status: [
                    MappingStatus::Agreed,
                    MappingStatus::Proposed,
                    MappingStatus::Agreed,
                    MappingStatus::Disputed,
                    MappingStatus::Rejected,
                ][k % 5],
                agreed_by: None,
                status_by: None,
                status_at: None,
                comments: Vec::new(),
            }
        })
        .collect();
    Workspace {
        partners,
        needs,
        competencies,
        mappings,
        ..Workspace::default()
    }
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::from_frameworks(frameworks());
    let ws = workspace();
    let findings = microcred::model::validate::workspace(&ws, &catalog);
    assert!(
        findings.is_empty(),
        "generated workspace is invalid: {findings:?}"
    );
    let report = analyse(&ws);
    assert_eq!(report.needs.len(), NEEDS);
    assert!(!report.mapped_not_included.is_empty() && !report.level_gaps.is_empty());
    c.bench_function(
        "gap_analyse_200_needs_300_competencies_1000_mappings",
        |b| b.iter(|| analyse(black_box(&ws))),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
