//! Shared generators for property tests.
#![allow(dead_code)]

pub mod client;
pub mod history;
pub mod openssh;
pub mod portfolio;
pub mod screen;
pub mod server;
pub mod tmux;

use microcred::model::*;
use proptest::prelude::*;

/// A fresh temporary folder holding a copy of `examples/NAME` as `w.yaml`: (folder, file).
pub fn example_copy(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("w.yaml");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
        &file,
    )
    .expect("copy the example");
    (dir, file)
}

/// Text that stresses YAML: words YAML 1.1 reads as booleans or numbers, indicators, quotes,
/// line breaks, control and bidi characters, and arbitrary Unicode.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z ,.'()-]{0,30}",
        Just("no".to_string()),
        Just("on".to_string()),
        Just("007".to_string()),
        Just("1e3".to_string()),
        Just("2026-11-28".to_string()),
        Just("- item".to_string()),
        Just("*star & ampersand".to_string()),
        Just("key: value # not a comment".to_string()),
        Just("line one\nline two\n".to_string()),
        Just("  padded  ".to_string()),
        Just("quote \" and \\ backslash".to_string()),
        Just("bidi \u{202E}override\u{202C} and \u{1b}[31m escape".to_string()),
        Just("Café – naïve 中文 🙂".to_string()),
        any::<String>(),
    ]
}

pub fn ident() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9._-]{0,8}"
}

pub fn hours() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..2000).prop_map(|h| f64::from(h) / 4.0),
        any::<f64>().prop_filter("finite", |f| f.is_finite())
    ]
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}

pub fn priority() -> impl Strategy<Value = Priority> {
    prop_oneof![
        Just(Priority::Must),
        Just(Priority::Should),
        Just(Priority::Could)
    ]
}

pub fn status() -> impl Strategy<Value = MappingStatus> {
    prop_oneof![
        Just(MappingStatus::Proposed),
        Just(MappingStatus::Agreed),
        Just(MappingStatus::Disputed),
        Just(MappingStatus::Rejected)
    ]
}

pub fn credential() -> impl Strategy<Value = Credential> {
    (
        (
            opt(text()),
            opt(text()),
            opt(text()),
            opt("[A-Z]{2}(-[A-Z]{2})?"),
        ),
        (
            opt((
                text(),
                prop_oneof![
                    any::<u32>().prop_map(LevelValue::Number),
                    text().prop_map(LevelValue::Text)
                ],
            )),
            opt((hours(), opt(hours()))),
            opt(hours()),
        ),
        (
            opt(prop_oneof![
                Just(Participation::Online),
                Just(Participation::Onsite),
                Just(Participation::Blended),
                Just(Participation::WorkBased)
            ]),
            opt(text()),
            opt(text()),
            opt(text()),
            proptest::collection::vec(text(), 0..3),
        ),
        (
            opt((any::<bool>(), proptest::collection::vec(text(), 0..3))),
            opt(text()),
            opt(text()),
        ),
        (
            opt(text()),
            opt(text()),
            opt(text()),
            opt(text()),
            opt(text()),
        ),
        (opt(text()), opt(text()), opt(text())),
        (
            proptest::collection::vec(text(), 0..3),
            opt(text()),
            opt(text()),
            opt((opt(text()), opt(text()), opt(text()))),
            opt(prop_oneof![
                Just(LearningSetting::Formal),
                Just(LearningSetting::NonFormal)
            ]),
        ),
    )
        .prop_map(
            |(
                (title, summary, awarding_body, country),
                (level, workload, max_hours),
                (participation, assessment_type, quality_assurance, supervision, prerequisites),
                (stack, grading, validity),
                (
                    cost,
                    flexible_delivery,
                    learner_supports,
                    recognition_of_prior_learning,
                    community_partners,
                ),
                (id, version, previous_version),
                (languages, isced_f, homepage, details, learning_setting),
            )| Credential {
                languages,
                isced_f,
                homepage,
                awarding_body_details: details.map(|(legal_name, country, identifier)| {
                    AwardingBodyDetails {
                        legal_name,
                        country,
                        identifier,
                        ..Default::default()
                    }
                }),
                learning_setting,
                evidence_review_months: None,
                id,
                version,
                previous_version,
                title,
                summary,
                awarding_body,
                country,
                level: level.map(|(scheme, value)| QualificationLevel { scheme, value }),
                workload: workload.map(|(hours, ects)| Workload { hours, ects }),
                max_hours,
                participation,
                assessment_type,
                quality_assurance,
                supervision,
                prerequisites,
                stackability: stack.map(|(standalone, stacks_into)| Stackability {
                    standalone,
                    stacks_into,
                }),
                grading,
                validity,
                equity: Equity {
                    cost,
                    flexible_delivery,
                    learner_supports,
                    recognition_of_prior_learning,
                    community_partners,
                },
            },
        )
}

pub fn sign_off() -> impl Strategy<Value = SignOff> {
    (text(), text(), text(), text(), opt(text())).prop_map(|(person, partner, at, design, key)| {
        SignOff {
            person,
            partner,
            at,
            design,
            key,
        }
    })
}

pub fn dot() -> impl Strategy<Value = Dot> {
    (text(), opt(text()), text(), text(), text()).prop_map(
        |(need, competency, partner, person, at)| Dot {
            need,
            competency,
            partner,
            person,
            at,
        },
    )
}

pub fn vote() -> impl Strategy<Value = Vote> {
    (
        text(),
        text(),
        1u32..=20,
        opt(text()),
        any::<bool>(),
        opt((text(), text())),
        proptest::collection::vec(dot(), 0..3),
        proptest::collection::vec(text(), 0..3),
    )
        .prop_map(
            |(opened_by, opened_at, dots, partner, hidden, closed, ballots, candidates)| {
                let (closed_by, closed_at) =
                    closed.map_or((None, None), |(b, a)| (Some(b), Some(a)));
                Vote {
                    opened_by,
                    opened_at,
                    dots,
                    over: if candidates.is_empty() {
                        VoteOver::Needs
                    } else {
                        VoteOver::Competencies
                    },
                    candidates,
                    partner,
                    hidden,
                    closed_by,
                    closed_at,
                    ballots,
                }
            },
        )
}

pub fn comment() -> impl Strategy<Value = Comment> {
    (text(), text(), text()).prop_map(|(by, at, text)| Comment { by, at, text })
}

/// Any workspace, valid or not against a catalog: for the file format round trip.
pub fn workspace() -> impl Strategy<Value = Workspace> {
    let partner = (
        ident(),
        text(),
        prop_oneof![
            Just(PartnerKind::Industry),
            Just(PartnerKind::Institution),
            Just(PartnerKind::Community)
        ],
    )
        .prop_map(|(id, name, kind)| Partner { id, name, kind });
    let need = (ident(), ident(), text(), priority(), opt(text())).prop_map(
        |(id, partner, statement, priority, evidence)| Need {
            id,
            partner,
            statement,
            priority,
            evidence,
        },
    );
    let method = prop_oneof![
        Just(AssessmentMethod::Project),
        Just(AssessmentMethod::Exam),
        Just(AssessmentMethod::Portfolio),
        Just(AssessmentMethod::Observation),
        Just(AssessmentMethod::Presentation),
        Just(AssessmentMethod::Other)
    ];
    let comp = (
        text(),
        any::<u32>(),
        opt(hours()),
        opt(text()),
        opt((method, opt(text()))),
    )
        .prop_map(
            |(reference, target_level, hours, outcome, a)| CredentialCompetency {
                reference,
                target_level,
                hours,
                outcome,
                assessment: a.map(|(method, description)| Assessment {
                    method,
                    description,
                }),
                silence: Vec::new(),
            },
        );
    let mapping = (
        ident(),
        text(),
        opt(any::<u32>()),
        opt(text()),
        status(),
        opt(text()),
        opt((text(), text())),
        proptest::collection::vec(comment(), 0..3),
    )
        .prop_map(
            |(need, competency, required_level, rationale, status, agreed_by, record, comments)| {
                let (status_by, status_at) =
                    record.map_or((None, None), |(b, a)| (Some(b), Some(a)));
                Mapping {
                    need,
                    competency,
                    required_level,
                    rationale,
                    status,
                    agreed_by,
                    status_by,
                    status_at,
                    comments,
                }
            },
        );
    (
        proptest::collection::vec(
            (ident(), "[0-9]\\.[0-9]").prop_map(|(id, version)| FrameworkPin { id, version }),
            0..2,
        ),
        credential(),
        proptest::collection::vec(partner, 0..3),
        proptest::collection::vec(need, 0..4),
        proptest::collection::vec(comp, 0..4),
        proptest::collection::vec(mapping, 0..4),
        proptest::collection::vec(sign_off(), 0..3),
        proptest::collection::vec(vote(), 0..2),
    )
        .prop_map(
            |(
                frameworks,
                credential,
                partners,
                needs,
                competencies,
                mappings,
                sign_offs,
                votes,
            )| {
                Workspace {
                    schema: WORKSPACE_SCHEMA.to_string(),
                    frameworks,
                    credential,
                    partners,
                    needs,
                    competencies,
                    mappings,
                    sign_offs,
                    postings: Vec::new(),
                    votes,
                }
            },
        )
}

/// Compare `actual` with the golden file `tests/golden/NAME`; with `UPDATE_GOLDEN` set, write
/// it instead. `test` names the test binary in the message that says how to update.
pub fn golden(name: &str, actual: &[u8], test: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("writes the golden file");
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run UPDATE_GOLDEN=1 cargo test --test {test}",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from the export:\n{}\n(run UPDATE_GOLDEN=1 cargo test --test {test} and \
         review the diff)",
        path.display(),
        String::from_utf8_lossy(actual)
    );
}
