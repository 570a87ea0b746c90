//! What a change does, in words: for status messages, undo and the message log.

use super::op::Op;
use crate::model::MappingStatus;

/// One line saying what `op` changes, e.g. "added need N4" or "set N1 → dig:2 to agreed".
pub fn describe(op: &Op) -> String {
    match op {
        Op::InsertPartner { partner, .. } => format!("added partner {}", partner.id),
        Op::UpdatePartner { id, partner } if *id != partner.id => {
            format!("renamed partner {id} to {}", partner.id)
        }
        Op::UpdatePartner { id, .. } => format!("updated partner {id}"),
        Op::RemovePartner { id } => format!("removed partner {id}"),
        Op::InsertNeed { need, .. } => format!("added need {}", need.id),
        Op::UpdateNeed { id, need } if *id != need.id => {
            format!("renamed need {id} to {}", need.id)
        }
        Op::UpdateNeed { id, .. } => format!("updated need {id}"),
        Op::RemoveNeed { id } => format!("removed need {id}"),
        Op::SetCredential { .. } => "updated the credential".into(),
        Op::SetCredentialId { id: Some(id) } => format!("gave the design its stable id {id}"),
        Op::SetCredentialId { id: None } => "took the design's stable id away".into(),
        Op::SetSignOff {
            person,
            partner,
            sign_off: Some(_),
            ..
        } => format!("recorded {person}'s sign-off of the design for {partner}"),
        Op::SetSignOff {
            person,
            partner,
            sign_off: None,
            ..
        } => format!("withdrew {person}'s sign-off for {partner}"),
        Op::InsertCompetency { competency, .. } => {
            format!("included {} in the credential", competency.reference)
        }
        Op::UpdateCompetency { reference, .. } => format!("updated {reference} in the credential"),
        Op::RemoveCompetency { reference } => format!("dropped {reference} from the credential"),
        Op::InsertMapping { mapping, .. } => {
            format!("mapped {} → {}", mapping.need, mapping.competency)
        }
        Op::UpdateMapping {
            need, competency, ..
        } => format!("updated mapping {need} → {competency}"),
        Op::RemoveMapping { need, competency } => {
            format!("removed mapping {need} → {competency}")
        }
        Op::SetMappingStatus {
            need,
            competency,
            status,
            reason,
            ..
        } => match (status, reason) {
            (MappingStatus::Proposed, _) => {
                format!("set {need} → {competency} back to proposed")
            }
            (s, Some(_)) => format!(
                "marked {need} → {competency} {}; the reason is in its comments",
                s.as_str()
            ),
            (s, None) => format!("marked {need} → {competency} {}", s.as_str()),
        },
        Op::AddComment {
            need, competency, ..
        } => format!("commented on {need} → {competency}"),
        Op::RemoveComment {
            need, competency, ..
        } => format!("removed a comment on {need} → {competency}"),
        Op::InsertPosting { posting, .. } => format!("added posting {}", posting.id),
        Op::RemovePosting { id } => format!("removed posting {id}"),
        Op::OpenVote { vote } if vote.is_open() && !vote.over.is_needs() => format!(
            "opened a vote over {} candidate competencies, {} dots per partner",
            vote.candidates.len(),
            vote.dots
        ),
        Op::OpenVote { vote } if vote.is_open() => match &vote.partner {
            Some(p) => format!(
                "opened a vote over {p}'s needs, {} dots per partner",
                vote.dots
            ),
            None => format!(
                "opened a vote over the needs, {} dots per partner",
                vote.dots
            ),
        },
        Op::OpenVote { .. } => "put back a closed vote".into(),
        Op::RemoveVote {} => "removed the last vote".into(),
        Op::SetVoteClosed {
            closed_at: Some(_), ..
        } => "closed the vote".into(),
        Op::SetVoteClosed {
            closed_at: None, ..
        } => "opened the vote again".into(),
        Op::PlaceDot { dot, .. } => {
            format!("placed a dot of {} on {}", dot.partner, dot.target())
        }
        Op::RemoveDot {
            need,
            partner,
            competency,
        } => format!(
            "took back a dot of {partner} from {}",
            competency.as_deref().unwrap_or(need)
        ),
        Op::Batch { ops } => describe_batch(ops),
    }
}

/// A batch is told by its most telling change: a mapping or a need over the competency or
/// mappings that come with it.
fn describe_batch(ops: &[Op]) -> String {
    let rank = |op: &Op| match op {
        Op::RemovePartner { .. } | Op::InsertPartner { .. } => 0,
        Op::InsertMapping { .. } | Op::RemoveNeed { .. } | Op::InsertNeed { .. } => 1,
        Op::UpdateMapping { .. } => 2,
        Op::Batch { .. } => 3,
        _ => 4,
    };
    let Some(main) = ops.iter().min_by_key(|o| rank(o)) else {
        return "changed nothing".into();
    };
    let text = describe(main);
    let rest = ops.len() - 1;
    let with = match (main, rest) {
        (_, 0) => String::new(),
        (Op::RemoveNeed { .. }, n) => format!(" with its {n} mapping(s)"),
        (Op::RemovePartner { .. }, _) => {
            let needs = ops
                .iter()
                .filter(|o| matches!(o, Op::RemoveNeed { .. }))
                .count();
            format!(" with its {needs} need(s) and their mappings")
        }
        (Op::InsertMapping { .. }, 1) => match ops.iter().find(|o| !std::ptr::eq(*o, main)) {
            Some(Op::InsertCompetency { .. }) => " (and included it in the credential)".into(),
            Some(other) => format!(" (and {})", describe(other)),
            None => String::new(),
        },
        (_, n) => format!(" and {n} more change(s)"),
    };
    format!("{text}{with}")
}

/// `describe` with a capital first letter and a full stop, as a status message.
pub fn sentence(op: &Op) -> String {
    let d = describe(op);
    let mut c = d.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Need, Priority};

    #[test]
    fn a_need_removed_with_its_mappings_says_so() {
        let op = Op::Batch {
            ops: vec![
                Op::RemoveMapping {
                    need: "N1".into(),
                    competency: "a:b".into(),
                },
                Op::RemoveNeed { id: "N1".into() },
            ],
        };
        assert_eq!(sentence(&op), "Removed need N1 with its 1 mapping(s).");
        let add = Op::InsertNeed {
            at: 0,
            need: Need {
                id: "N9".into(),
                partner: "p".into(),
                statement: "x".into(),
                priority: Priority::Must,
                evidence: None,
            },
        };
        assert_eq!(describe(&add), "added need N9");
    }
}
