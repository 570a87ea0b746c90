//! Whether an applied op changed the document, found by comparing only what it touched: the
//! one partner, need, competency, mapping, credential, sign-off or vote it names. An op that
//! inserts or removes something always changes the document; only a batch (whose ops may
//! cancel out) is compared whole.

use super::op::Op;
use crate::model::Workspace;

/// True when applying `op` to `before` (successfully) gave `after` different from `before`.
/// Costs what the op touched, except for a batch.
pub fn changed(before: &Workspace, after: &Workspace, op: &Op) -> bool {
    match op {
        Op::UpdatePartner { id, partner } => {
            *id != partner.id || before.partner(id) != after.partner(id)
        }
        Op::UpdateNeed { id, need } => *id != need.id || before.need(id) != after.need(id),
        Op::UpdateCompetency { reference, .. } => {
            before.competency(reference) != after.competency(reference)
        }
        Op::UpdateMapping {
            need, competency, ..
        }
        | Op::SetMappingStatus {
            need, competency, ..
        } => mapping(before, need, competency) != mapping(after, need, competency),
        Op::SetCredential { .. } | Op::SetCredentialId { .. } => {
            before.credential != after.credential
        }
        Op::SetSignOff {
            person, partner, ..
        } => {
            fn find<'a>(
                ws: &'a Workspace,
                person: &str,
                partner: &str,
            ) -> Option<(usize, &'a crate::model::SignOff)> {
                let i = ws
                    .sign_offs
                    .iter()
                    .position(|s| s.person == person && s.partner == partner)?;
                Some((i, &ws.sign_offs[i]))
            }
            find(before, person, partner) != find(after, person, partner)
        }
        Op::SetVoteClosed { .. } => {
            let closed = |ws: &Workspace| {
                ws.votes
                    .last()
                    .map(|v| (v.closed_by.clone(), v.closed_at.clone()))
            };
            closed(before) != closed(after)
        }
        Op::Batch { ops } if ops.is_empty() => false,
        // The ops of a batch may undo one another: compare the whole document.
        Op::Batch { .. } => before != after,
        // Every other op inserts or removes something (a partner, need, competency, mapping,
        // comment, posting, vote or dot), which it refuses to do when it cannot.
        _ => true,
    }
}

fn mapping<'a>(
    ws: &'a Workspace,
    need: &str,
    competency: &str,
) -> Option<&'a crate::model::Mapping> {
    ws.mapping_index(need, competency).map(|i| &ws.mappings[i])
}
