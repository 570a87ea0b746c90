//! Every change is an Op; applying returns its inverse. Random sequences of ops, then their
//! inverses in reverse, give back the original document; refused ops change nothing; roles are
//! enforced in `apply`.

use crate::common;

use microcred::catalog::Catalog;
use microcred::edit::{Actor, History, Op, Role, StatusRecord, apply};
use microcred::model::*;
use proptest::prelude::*;

const PARTNERS: &[&str] = &["acme", "beta", "gamma"];
const NEEDS: &[&str] = &["N1", "N2", "N3", "N4"];
const REFS: &[&str] = &[
    "digital-data:DD-DATA-03",
    "digital-data:DD-VIS-01",
    "essential-skills:ES-READ-01",
    "building-retrofit:BR-HVAC-02",
    "nosuch:X1",
];

fn catalog() -> Catalog {
    Catalog::embedded().expect("built-in frameworks load")
}

fn base() -> Workspace {
    let text = r#"
schema: microcred/workspace@1
credential:
  title: Base
partners:
  - { id: acme, name: Acme, kind: industry }
  - { id: beta, name: Beta, kind: community }
needs:
  - { id: N1, partner: acme, statement: Clean exports, priority: must }
  - { id: N2, partner: beta, statement: Read manuals, priority: should }
competencies:
  - { ref: "digital-data:DD-DATA-03", target_level: 3, hours: 10 }
mappings:
  - need: N1
    competency: digital-data:DD-DATA-03
    required_level: 3
    status: proposed
    comments:
      - { by: dana, at: "2026-11-28T10:00:00Z", text: Looks right }
  - { need: N2, competency: "essential-skills:ES-READ-01", status: agreed, agreed_by: lee }
"#;
    microcred::store::yaml::parse(text).expect("base parses")
}

fn pick(v: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(v).prop_map(str::to_string)
}

fn op() -> impl Strategy<Value = Op> {
    let partner = (pick(PARTNERS), common::text())
        .prop_map(|(id, name)| Partner {
            id,
            name,
            kind: PartnerKind::Industry,
        })
        .boxed();
    let need = (
        pick(NEEDS),
        pick(PARTNERS),
        common::text(),
        common::priority(),
    )
        .prop_map(|(id, partner, statement, priority)| Need {
            id,
            partner,
            statement,
            priority,
            evidence: None,
        })
        .boxed();
    let comp = (pick(REFS), 0u32..6, proptest::option::of(0u32..40))
        .prop_map(|(reference, target_level, hours)| CredentialCompetency {
            reference,
            target_level,
            hours: hours.map(f64::from),
            outcome: None,
            assessment: None,
            silence: Vec::new(),
        })
        .boxed();
    let mapping = (
        pick(NEEDS),
        pick(REFS),
        proptest::option::of(0u32..6),
        common::status(),
    )
        .prop_map(|(need, competency, required_level, status)| Mapping {
            need,
            competency,
            required_level,
            rationale: None,
            status,
            agreed_by: None,
            status_by: None,
            status_at: None,
            comments: vec![],
        })
        .boxed();
    let leaf = prop_oneof![
        (0usize..4, partner.clone()).prop_map(|(at, partner)| Op::InsertPartner { at, partner }),
        (pick(PARTNERS), partner).prop_map(|(id, partner)| Op::UpdatePartner { id, partner }),
        pick(PARTNERS).prop_map(|id| Op::RemovePartner { id }),
        (0usize..5, need.clone()).prop_map(|(at, need)| Op::InsertNeed { at, need }),
        (pick(NEEDS), need).prop_map(|(id, need)| Op::UpdateNeed { id, need }),
        pick(NEEDS).prop_map(|id| Op::RemoveNeed { id }),
        common::credential().prop_map(|c| Op::SetCredential {
            credential: Box::new(c)
        }),
        (0usize..4, comp.clone())
            .prop_map(|(at, competency)| Op::InsertCompetency { at, competency }),
        comp.prop_map(|c| Op::UpdateCompetency {
            reference: c.reference.clone(),
            competency: c
        }),
        pick(REFS).prop_map(|reference| Op::RemoveCompetency { reference }),
        (0usize..4, mapping.clone()).prop_map(|(at, mapping)| Op::InsertMapping { at, mapping }),
        mapping.prop_map(|m| Op::UpdateMapping {
            need: m.need.clone(),
            competency: m.competency.clone(),
            mapping: m
        }),
        (pick(NEEDS), pick(REFS))
            .prop_map(|(need, competency)| Op::RemoveMapping { need, competency }),
        (
            pick(NEEDS),
            pick(REFS),
            common::status(),
            proptest::option::of(common::text()),
            proptest::option::of(common::text()),
            proptest::option::of((
                proptest::option::of(common::text()),
                proptest::option::of(common::text())
            )),
        )
            .prop_map(|(need, competency, status, agreed_by, reason, record)| {
                Op::SetMappingStatus {
                    need,
                    competency,
                    status,
                    agreed_by,
                    reason,
                    record: record.map(|(by, at)| StatusRecord { by, at }),
                }
            }),
        (pick(NEEDS), pick(REFS), 0usize..3, common::comment()).prop_map(
            |(need, competency, at, comment)| Op::AddComment {
                need,
                competency,
                at,
                comment
            }
        ),
        (pick(NEEDS), pick(REFS), 0usize..3).prop_map(|(need, competency, index)| {
            Op::RemoveComment {
                need,
                competency,
                index,
            }
        }),
        (
            pick(&["ann", "bob"]),
            pick(PARTNERS),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(0usize..3),
        )
            .prop_map(|(person, partner, set, signing, at)| Op::SetSignOff {
                sign_off: set.then(|| SignOff {
                    person: person.clone(),
                    partner: partner.clone(),
                    at: "2026-11-30T10:00:00Z".into(),
                    design: "a".repeat(64),
                    key: None,
                }),
                person,
                partner,
                signing,
                at,
            }),
        proptest::option::of(prop_oneof![Just("urn:uuid:1".to_string()), common::text()])
            .prop_map(|id| Op::SetCredentialId { id }),
        // Dot voting: votes of 0 to 4 dots (0 is refused), over all needs or one partner's,
        // open or closed, with or without dots; dots for any partner on any need.
        (
            0u32..5,
            proptest::option::of(pick(PARTNERS)),
            any::<bool>(),
            any::<bool>(),
            proptest::collection::vec(dot(), 0..3),
        )
            .prop_map(|(dots, partner, hidden, closed, ballots)| Op::OpenVote {
                vote: Box::new(Vote {
                    opened_by: "dee".into(),
                    opened_at: "2026-11-30T10:00:00Z".into(),
                    dots,
                    over: VoteOver::Needs,
                    candidates: Vec::new(),
                    partner,
                    hidden,
                    closed_by: closed.then(|| "dee".into()),
                    closed_at: closed.then(|| "2026-11-30T11:00:00Z".into()),
                    ballots,
                })
            }),
        Just(Op::RemoveVote {}),
        any::<bool>().prop_map(|close| Op::SetVoteClosed {
            closed_by: close.then(|| "dee".into()),
            closed_at: close.then(|| "2026-11-30T11:00:00Z".into()),
        }),
        (dot(), proptest::option::of(0usize..4)).prop_map(|(dot, at)| Op::PlaceDot { dot, at }),
        (pick(NEEDS), pick(PARTNERS)).prop_map(|(need, partner)| Op::RemoveDot {
            need,
            partner,
            competency: None
        }),
    ];
    leaf.prop_recursive(1, 8, 4, |inner| {
        proptest::collection::vec(inner, 1..4).prop_map(|ops| Op::Batch { ops })
    })
}

fn dot() -> impl Strategy<Value = Dot> {
    (pick(NEEDS), pick(PARTNERS), pick(&["ann", "bob"])).prop_map(|(need, partner, person)| Dot {
        need,
        competency: None,
        partner,
        person,
        at: "2026-11-30T10:30:00Z".into(),
    })
}

fn actors() -> Vec<Actor> {
    vec![
        Actor::designer("dee"),
        Actor {
            name: "ann".into(),
            role: Role::Partner("acme".into()),
        },
        Actor {
            name: "vic".into(),
            role: Role::Viewer,
        },
    ]
}

/// What a partner of `org` may touch: ops on its own needs and reviews of their mappings.
fn partner_may(ws: &Workspace, org: &str, op: &Op) -> bool {
    let own = |id: &str| ws.need(id).is_some_and(|n| n.partner == org);
    match op {
        Op::InsertNeed { need, .. } => need.partner == org,
        Op::UpdateNeed { id, need } => own(id) && need.partner == org,
        Op::RemoveNeed { id } => own(id),
        Op::SetMappingStatus { need, status, .. } => {
            own(need) && *status != MappingStatus::Rejected
        }
        Op::AddComment { need, .. } | Op::RemoveComment { need, .. } => own(need),
        // Their own organisation's sign-off, always as themselves (apply stamps the name).
        Op::SetSignOff { partner, .. } => partner == org,
        // Their own organisation's dots only; opening and closing votes is for designers.
        Op::PlaceDot { dot, .. } => dot.partner == org,
        Op::RemoveDot { partner, .. } => partner == org,
        Op::Batch { ops } => ops.iter().all(|o| partner_may(ws, org, o)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn ops_then_inverses_in_reverse_give_back_the_original(ops in proptest::collection::vec(op(), 1..25)) {
        let cat = catalog();
        let original = base();
        let mut ws = original.clone();
        let mut inverses = Vec::new();
        for op in ops {
            // Every op can be journaled: it survives a JSON round trip.
            let json = serde_json::to_string(&op).map_err(|e| TestCaseError::fail(format!("{e}: {op:?}")))?;
            let back: Op = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
            prop_assert_eq!(&back, &op);
            let before = ws.clone();
            match apply(&mut ws, &cat, &Actor::designer("dee"), op) {
                Ok(inv) => {
                    // Every state reached is a valid document.
                    let findings = microcred::model::validate::workspace(&ws, &cat);
                    prop_assert!(findings.iter().all(|f| f.warning), "{findings:?}");
                    inverses.push(inv);
                }
                Err(_) => prop_assert_eq!(&ws, &before, "a refused op changed the document"),
            }
        }
        for inv in inverses.into_iter().rev() {
            prop_assert!(apply(&mut ws, &cat, &Actor::designer("dee"), inv).is_ok());
        }
        prop_assert_eq!(ws, original);
    }

    #[test]
    fn roles_are_enforced_in_apply(ops in proptest::collection::vec(op(), 1..15)) {
        let cat = catalog();
        for actor in actors() {
            let mut ws = base();
            for op in ops.clone() {
                let before = ws.clone();
                let allowed = match &actor.role {
                    Role::Designer => true,
                    Role::Viewer => false,
                    Role::Partner(org) => partner_may(&before, org, &op),
                };
                match apply(&mut ws, &cat, &actor, op.clone()) {
                    Ok(_) => prop_assert!(allowed, "{:?} was allowed {:?}", actor.role, op),
                    Err(_) => prop_assert_eq!(&ws, &before, "a refused op changed the document"),
                }
            }
        }
    }
}

#[test]
fn history_undoes_and_redoes() {
    let cat = catalog();
    let mut ws = base();
    let original = ws.clone();
    let mut h = History::default();
    let me = Actor::designer("dee");
    h.apply(
        &mut ws,
        &cat,
        &me,
        Op::RemoveMapping {
            need: "N1".into(),
            competency: "digital-data:DD-DATA-03".into(),
        },
    )
    .unwrap();
    h.apply(&mut ws, &cat, &me, Op::RemoveNeed { id: "N1".into() })
        .unwrap();
    let changed = ws.clone();
    assert_eq!(ws.needs.len(), 1);
    assert!(h.undo(&mut ws, &cat, &me).unwrap());
    assert!(h.undo(&mut ws, &cat, &me).unwrap());
    assert!(!h.undo(&mut ws, &cat, &me).unwrap());
    assert_eq!(ws, original);
    assert!(h.redo(&mut ws, &cat, &me).unwrap());
    assert!(h.redo(&mut ws, &cat, &me).unwrap());
    assert_eq!(ws, changed);
}

#[test]
fn partner_agreement_and_comments_carry_their_own_name() {
    let cat = catalog();
    let mut ws = base();
    let ann = Actor {
        name: "ann@acme".into(),
        role: Role::Partner("acme".into()),
    };
    apply(
        &mut ws,
        &cat,
        &ann,
        Op::SetMappingStatus {
            need: "N1".into(),
            competency: "digital-data:DD-DATA-03".into(),
            status: MappingStatus::Agreed,
            agreed_by: Some("someone else".into()),
            reason: None,
            record: None,
        },
    )
    .unwrap();
    assert_eq!(ws.mappings[0].agreed_by.as_deref(), Some("ann@acme"));
    apply(
        &mut ws,
        &cat,
        &ann,
        Op::AddComment {
            need: "N1".into(),
            competency: "digital-data:DD-DATA-03".into(),
            at: 9,
            comment: Comment {
                by: "forged".into(),
                at: "2026-11-28T11:00:00Z".into(),
                text: "Agreed.".into(),
            },
        },
    )
    .unwrap();
    assert_eq!(ws.mappings[0].comments[1].by, "ann@acme");
    // Not their organisation's need: refused, with a reason.
    let err = apply(
        &mut ws,
        &cat,
        &ann,
        Op::SetMappingStatus {
            need: "N2".into(),
            competency: "essential-skills:ES-READ-01".into(),
            status: MappingStatus::Disputed,
            agreed_by: None,
            reason: None,
            record: None,
        },
    )
    .unwrap_err();
    assert!(err.0.contains("own organisation"), "{err}");
    let err = apply(
        &mut ws,
        &cat,
        &Actor {
            name: "v".into(),
            role: Role::Viewer,
        },
        Op::RemoveNeed { id: "N2".into() },
    )
    .unwrap_err();
    assert!(err.0.contains("viewers"), "{err}");
}

#[test]
fn a_reason_becomes_a_stamped_comment_and_undo_takes_back_status_record_and_comment() {
    let cat = catalog();
    let mut ws = base();
    let original = ws.clone();
    let dee = Actor::designer("dee");
    let inverse = apply(
        &mut ws,
        &cat,
        &dee,
        Op::SetMappingStatus {
            need: "N1".into(),
            competency: "digital-data:DD-DATA-03".into(),
            status: MappingStatus::Rejected,
            agreed_by: None,
            reason: Some("  Not at this level  ".into()),
            record: Some(StatusRecord::new("dee", "2026-11-28T11:00:00Z")),
        },
    )
    .unwrap();
    let m = &ws.mappings[0];
    assert_eq!(m.status, MappingStatus::Rejected);
    assert_eq!(m.status_by.as_deref(), Some("dee"));
    assert_eq!(m.status_at.as_deref(), Some("2026-11-28T11:00:00Z"));
    let c = m.comments.last().unwrap();
    assert_eq!(
        (c.by.as_str(), c.at.as_str(), c.text.as_str()),
        ("dee", "2026-11-28T11:00:00Z", "Rejected: Not at this level")
    );
    apply(&mut ws, &cat, &dee, inverse).unwrap();
    assert_eq!(ws, original);
    // A blank reason is refused, and changes nothing.
    let err = apply(
        &mut ws,
        &cat,
        &dee,
        Op::SetMappingStatus {
            need: "N1".into(),
            competency: "digital-data:DD-DATA-03".into(),
            status: MappingStatus::Disputed,
            agreed_by: None,
            reason: Some(" ".into()),
            record: None,
        },
    )
    .unwrap_err();
    assert!(err.0.contains("say why"), "{err}");
    assert_eq!(ws, original);
}

#[test]
fn a_status_change_journaled_before_reasons_existed_still_replays_and_is_stamped() {
    let cat = catalog();
    let mut ws = base();
    // A journal line's op as written before `reason` and `record` existed.
    let old = r#"{"op":"set_mapping_status","need":"N1","competency":"digital-data:DD-DATA-03","status":"disputed","agreed_by":null}"#;
    let op: Op = serde_json::from_str(old).unwrap();
    let ann = Actor {
        name: "ann@acme".into(),
        role: Role::Partner("acme".into()),
    };
    apply(&mut ws, &cat, &ann, op).unwrap();
    let m = &ws.mappings[0];
    assert_eq!(m.status, MappingStatus::Disputed);
    assert_eq!(m.status_by.as_deref(), Some("ann@acme"));
    let at = m.status_at.as_deref().unwrap();
    assert!(at.ends_with('Z') && at.len() == 20, "{at}");
    // A partner's record always carries their own name, whatever the op says.
    apply(
        &mut ws,
        &cat,
        &ann,
        Op::SetMappingStatus {
            need: "N1".into(),
            competency: "digital-data:DD-DATA-03".into(),
            status: MappingStatus::Agreed,
            agreed_by: None,
            reason: None,
            record: Some(StatusRecord::new("forged", "2026-11-28T12:00:00Z")),
        },
    )
    .unwrap();
    assert_eq!(ws.mappings[0].status_by.as_deref(), Some("ann@acme"));
    assert_eq!(
        ws.mappings[0].status_at.as_deref(),
        Some("2026-11-28T12:00:00Z")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Issue 26: after every op of a random sequence (with sign-offs, votes and batches among
    /// them), comparing only what the op touched says whether it changed the document, and the
    /// gap report and lookups updated from what it touched equal those derived from scratch.
    #[test]
    fn a_change_costs_what_it_touched_and_derives_what_scratch_derives(
        ops in proptest::collection::vec(op(), 1..25),
    ) {
        use microcred::analysis::gap::analyse;
        use microcred::document::derived::Derived;
        use std::sync::Arc;
        let cat = catalog();
        let mut ws = base();
        let mut report = Arc::new(analyse(&ws));
        let mut derived = Arc::new(Derived::new(&ws, &report));
        for op in ops {
            let before = ws.clone();
            if apply(&mut ws, &cat, &Actor::designer("dee"), op.clone()).is_err() {
                continue;
            }
            prop_assert_eq!(microcred::edit::changed(&before, &ws, &op), before != ws, "{:?}", op);
            let scratch = analyse(&ws);
            if let Some((r, d)) =
                microcred::document::derive_step::next(&before, &ws, &op, &report, &derived)
            {
                prop_assert_eq!(&*r, &scratch, "report after {:?}", op);
                prop_assert_eq!(&*d, &Derived::new(&ws, &scratch), "lookups after {:?}", op);
            }
            derived = Arc::new(Derived::new(&ws, &scratch));
            report = Arc::new(scratch);
        }
    }
}
