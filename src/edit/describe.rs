//! What a change does, in words: for status messages, undo and the message log.

use super::op::Op;
use crate::model::MappingStatus;
use crate::text::names::{self, Names, Unnamed};

/// One line saying what `op` changes, by ids, e.g. "added need N4" or "marked N1 → dig:2
/// agreed" (see [`describe_in`] for the names people read).
pub fn describe(op: &Op) -> String {
    describe_in(op, &Unnamed)
}

/// One line saying what `op` changes, naming needs, partners and competencies from `names`
/// (`commented on N13 "Wire the outdoor…" → Install heat pumps (esco:6575ae00…)`). Escaped for
/// a terminal: names come from others.
pub fn describe_in(op: &Op, names: &dyn Names) -> String {
    crate::problem::visible(words(op, names))
}

fn words(op: &Op, names: &dyn Names) -> String {
    let partner = |id: &str| names::partner_in(names, id).to_string();
    let need = |id: &str| names::need_in(names, id);
    let mapping = |n: &str, c: &str| names::mapping_in(names, n, c);
    let competency = |r: &str| names::competency_in(names, r);
    match op {
        Op::InsertPartner { partner: p, .. } => {
            format!("added partner {}", names::partner(&p.id, Some(&p.name)))
        }
        Op::UpdatePartner { id, partner: p } if *id != p.id => {
            format!("renamed partner {} to {}", partner(id), p.id)
        }
        Op::UpdatePartner { id, .. } => format!("updated partner {}", partner(id)),
        Op::RemovePartner { id } => format!("deleted partner {}", partner(id)),
        Op::InsertNeed { need: n, .. } => {
            format!("added need {}", names::need(&n.id, Some(&n.statement)))
        }
        Op::UpdateNeed { id, need: n } if *id != n.id => {
            format!("renamed need {} to {}", need(id), n.id)
        }
        Op::UpdateNeed { id, .. } => format!("updated need {}", need(id)),
        Op::RemoveNeed { id } => format!("deleted need {}", need(id)),
        Op::SetCredential { .. } => "updated the credential".into(),
        Op::SetCredentialId { id: Some(id) } => format!("gave the design its stable id {id}"),
        Op::SetCredentialId { id: None } => "took the design's stable id away".into(),
        Op::SetSignOff {
            person,
            partner: partner_id,
            sign_off: Some(_),
            ..
        } => format!(
            "recorded {person}'s sign-off of the design for {}",
            partner(partner_id)
        ),
        Op::SetSignOff {
            person,
            partner: partner_id,
            sign_off: None,
            ..
        } => format!("withdrew {person}'s sign-off for {}", partner(partner_id)),
        Op::InsertCompetency { competency: c, .. } => {
            format!("included {} in the credential", competency(&c.reference))
        }
        Op::UpdateCompetency { reference, .. } => {
            format!("updated {} in the credential", competency(reference))
        }
        Op::RemoveCompetency { reference } => {
            format!("dropped {} from the credential", competency(reference))
        }
        Op::InsertMapping { mapping: m, .. } => {
            format!("mapped {}", mapping(&m.need, &m.competency))
        }
        Op::UpdateMapping {
            need: n,
            competency: c,
            ..
        } => format!("updated mapping {}", mapping(n, c)),
        Op::RemoveMapping {
            need: n,
            competency: c,
        } => format!("deleted mapping {}", mapping(n, c)),
        Op::SetMappingStatus {
            need: n,
            competency: c,
            status,
            reason,
            ..
        } => match (status, reason) {
            (MappingStatus::Proposed, _) => {
                format!("set {} back to proposed", mapping(n, c))
            }
            (s, Some(_)) => format!(
                "marked {} {}; the reason is in its comments",
                mapping(n, c),
                s.as_str()
            ),
            (s, None) => format!("marked {} {}", mapping(n, c), s.as_str()),
        },
        Op::AddComment {
            need: n,
            competency: c,
            ..
        } => format!("commented on {}", mapping(n, c)),
        Op::RemoveComment {
            need: n,
            competency: c,
            ..
        } => format!("removed a comment on {}", mapping(n, c)),
        Op::InsertPosting { posting, .. } => format!("added posting {}", posting.id),
        Op::RemovePosting { id } => format!("removed posting {id}"),
        Op::OpenVote { vote } if vote.is_open() && !vote.over.is_needs() => format!(
            "opened a vote over {} candidate competencies, {} dots per partner",
            vote.candidates.len(),
            vote.dots
        ),
        Op::OpenVote { vote } if vote.is_open() => match &vote.partner {
            Some(p) => format!(
                "opened a vote over {}'s needs, {} dots per partner",
                partner(p),
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
        Op::PlaceDot { dot, .. } => format!(
            "placed a dot of {} on {}",
            partner(&dot.partner),
            match &dot.competency {
                Some(c) => competency(c),
                None => need(&dot.need),
            }
        ),
        Op::RemoveDot {
            need: n,
            partner: p,
            competency: c,
        } => format!(
            "took back a dot of {} from {}",
            partner(p),
            c.as_deref().map_or_else(|| need(n), competency)
        ),
        Op::Batch { ops } => describe_batch(ops, names),
    }
}

/// A batch is told by its most telling change: a mapping or a need over the competency or
/// mappings that come with it.
fn describe_batch(ops: &[Op], names: &dyn Names) -> String {
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
    let text = words(main, names);
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
            Some(other) => format!(" (and {})", words(other, names)),
            None => String::new(),
        },
        (_, n) => format!(" and {n} more change(s)"),
    };
    format!("{text}{with}")
}

/// `describe` with a capital first letter and a full stop, as a status message.
pub fn sentence(op: &Op) -> String {
    sentence_in(op, &Unnamed)
}

/// [`describe_in`] with a capital first letter and a full stop, as a status message.
pub fn sentence_in(op: &Op, names: &dyn Names) -> String {
    let d = describe_in(op, names);
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
        assert_eq!(sentence(&op), "Deleted need N1 with its 1 mapping(s).");
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
        assert_eq!(describe(&add), "added need N9 \"x\"");
    }
}
