use super::op::{Actor, Op, Role, StatusRecord};
use crate::model::Catalog;
use crate::model::validate::{self, Finding};
use crate::model::*;

/// Why an `Op` was not applied; the document is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

type Res<T> = Result<T, Refusal>;

fn refuse<T>(msg: impl Into<String>) -> Res<T> {
    Err(Refusal(msg.into()))
}

fn first(findings: Vec<Finding>) -> Res<()> {
    match findings.into_iter().find(|f| !f.warning) {
        None => Ok(()),
        Some(f) => {
            let mut msg = f.message;
            if let Some(h) = f.hint {
                msg.push_str(" — ");
                msg.push_str(&h);
            }
            Err(Refusal(msg))
        }
    }
}

/// Check `op` against the actor's role and the document, apply it, and return its inverse.
/// On refusal, `ws` is unchanged.
pub fn apply(ws: &mut Workspace, catalog: &Catalog, actor: &Actor, op: Op) -> Res<Op> {
    apply_inner(ws, catalog, actor, op, None)
}

/// [`apply()`], also returning the op as applied: stamped with who and when (see
/// [`Op::SetMappingStatus`]). Applying that op again, by the same actor, to the document as it
/// was before makes exactly the same document (the hub keeps an older copy of the document up
/// to date so).
pub fn apply_stamped(
    ws: &mut Workspace,
    catalog: &Catalog,
    actor: &Actor,
    op: Op,
) -> Res<(Op, Op)> {
    let mut applied = None;
    let inverse = apply_inner(ws, catalog, actor, op, Some(&mut applied))?;
    let applied = applied.unwrap_or(Op::Batch { ops: Vec::new() });
    Ok((inverse, applied))
}

fn apply_inner(
    ws: &mut Workspace,
    catalog: &Catalog,
    actor: &Actor,
    op: Op,
    applied: Option<&mut Option<Op>>,
) -> Res<Op> {
    permit(ws, actor, &op)?;
    // A status someone sets again to what it is, with no reason, is no change: the record of
    // who set it stays. (An undo carries the record to put back, and always applies.)
    let fresh = matches!(
        &op,
        Op::SetMappingStatus {
            record: None,
            reason: None,
            ..
        }
    );
    let op = stamp(actor, op);
    if let (
        true,
        Op::SetMappingStatus {
            need,
            competency,
            status,
            agreed_by,
            ..
        },
    ) = (fresh, &op)
    {
        if let Some(i) = ws.mapping_index(need, competency) {
            let m = &ws.mappings[i];
            if m.status == *status && m.agreed_by == *agreed_by {
                return Ok(Op::Batch { ops: Vec::new() });
            }
        }
    }
    if let Some(c) = hidden_in(&op) {
        return refuse(format!(
            "the change holds the invisible character U+{:04X}; {}",
            u32::from(c),
            validate::limits::HIDDEN_HINT
        ));
    }
    if let Some(applied) = applied {
        *applied = Some(op.clone());
    }
    apply_checked(ws, catalog, op)
}

/// The first control or invisible character in any text of `op` (see
/// [`validate::limits::hidden`]): refused for every change, as the loader refuses it in a file,
/// so that a document never holds one (nor an undo that would put one back).
fn hidden_in(op: &Op) -> Option<char> {
    fn walk(v: &serde_json::Value) -> Option<char> {
        match v {
            serde_json::Value::String(s) => validate::limits::hidden(s),
            serde_json::Value::Array(a) => a.iter().find_map(walk),
            serde_json::Value::Object(o) => o
                .iter()
                .find_map(|(k, v)| validate::limits::hidden(k).or_else(|| walk(v))),
            _ => None,
        }
    }
    walk(&serde_json::to_value(op).ok()?)
}

/// Stamp who and when: a status change without a record gets the actor and the time now; a
/// partner's agreements, status records and comments always carry the partner's own name.
fn stamp(actor: &Actor, op: Op) -> Op {
    let partner = matches!(actor.role, Role::Partner(_));
    match op {
        Op::SetMappingStatus {
            need,
            competency,
            status,
            agreed_by,
            reason,
            record,
        } => {
            let record = match record {
                Some(r) if !partner => r,
                r => StatusRecord {
                    by: Some(actor.name.clone()),
                    at: Some(
                        r.and_then(|r| r.at)
                            .unwrap_or_else(crate::clock::now_rfc3339),
                    ),
                },
            };
            let agreed_by = if partner {
                (status == MappingStatus::Agreed).then(|| actor.name.clone())
            } else {
                agreed_by
            };
            Op::SetMappingStatus {
                need,
                competency,
                status,
                agreed_by,
                reason,
                record: Some(record),
            }
        }
        Op::AddComment {
            need,
            competency,
            at,
            mut comment,
        } if partner => {
            comment.by = actor.name.clone();
            Op::AddComment {
                need,
                competency,
                at,
                comment,
            }
        }
        Op::SetSignOff {
            partner: org,
            sign_off,
            signing,
            at,
            ..
        } if partner => Op::SetSignOff {
            person: actor.name.clone(),
            sign_off: sign_off.map(|s| SignOff {
                person: actor.name.clone(),
                ..s
            }),
            partner: org,
            signing,
            at,
        },
        Op::PlaceDot { dot, at } if partner => Op::PlaceDot {
            dot: Dot {
                person: actor.name.clone(),
                ..dot
            },
            at,
        },
        Op::Batch { ops } => Op::Batch {
            ops: ops.into_iter().map(|o| stamp(actor, o)).collect(),
        },
        other => other,
    }
}

/// Whether `actor` may make `op` on `ws` (roles: see DESIGN.md), without applying it.
pub fn permit(ws: &Workspace, actor: &Actor, op: &Op) -> Res<()> {
    let org = match &actor.role {
        Role::Designer => return Ok(()),
        Role::Viewer
            if matches!(
                op,
                Op::PlaceDot { .. }
                    | Op::RemoveDot { .. }
                    | Op::OpenVote { .. }
                    | Op::RemoveVote {}
                    | Op::SetVoteClosed { .. }
            ) =>
        {
            return refuse("viewers follow the vote but cannot vote; partners place the dots");
        }
        Role::Viewer => return refuse("viewers can follow the design but not change it"),
        Role::Partner(org) => org,
    };
    let own_need = |id: &str| ws.need(id).is_some_and(|n| &n.partner == org);
    let own = |id: &str, what: &str| -> Res<()> {
        if own_need(id) {
            Ok(())
        } else {
            refuse(format!(
                "partners can {what} only for their own organisation's needs; `{id}` is not one of {org}'s"
            ))
        }
    };
    match op {
        Op::InsertNeed { need, .. } => {
            if &need.partner == org {
                Ok(())
            } else {
                refuse(format!(
                    "partners can add needs only for their own organisation ({org})"
                ))
            }
        }
        Op::UpdateNeed { id, need } => {
            own(id, "edit needs")?;
            if &need.partner != org {
                return refuse("a need cannot be moved to another organisation");
            }
            Ok(())
        }
        Op::RemoveNeed { id } => own(id, "remove needs"),
        Op::SetMappingStatus { need, status, .. } => {
            if *status == MappingStatus::Rejected {
                return refuse(
                    "only designers can reject a mapping; dispute it instead and say why",
                );
            }
            own(need, "review mappings")
        }
        Op::AddComment { need, .. } => own(need, "comment"),
        Op::SetSignOff { partner, .. } => {
            if partner == org {
                Ok(())
            } else {
                refuse(format!(
                    "partners sign off only for their own organisation ({org})"
                ))
            }
        }
        Op::RemoveComment {
            need,
            competency,
            index,
        } => {
            own(need, "remove comments")?;
            let by = ws
                .mapping_index(need, competency)
                .and_then(|i| ws.mappings[i].comments.get(*index))
                .map(|c| c.by.as_str());
            if by.is_some_and(|b| b != actor.name) {
                return refuse("you can remove only your own comments");
            }
            Ok(())
        }
        Op::PlaceDot { dot, .. } if &dot.partner != org => refuse(format!(
            "partners vote only with their own organisation's dots ({org})"
        )),
        Op::RemoveDot { partner, .. } if partner != org => refuse(format!(
            "partners take back only their own organisation's dots ({org})"
        )),
        Op::PlaceDot { .. } | Op::RemoveDot { .. } => Ok(()),
        Op::OpenVote { .. } | Op::RemoveVote {} | Op::SetVoteClosed { .. } => {
            refuse("only designers open and close votes")
        }
        Op::Batch { ops } => ops.iter().try_for_each(|o| permit(ws, actor, o)),
        _ => refuse(
            "partners can add and edit their own needs and review their mappings; this change is for designers",
        ),
    }
}

fn apply_checked(ws: &mut Workspace, catalog: &Catalog, op: Op) -> Res<Op> {
    match op {
        Op::InsertPartner { at, partner } => {
            first(validate::partner(&partner))?;
            if ws.partner(&partner.id).is_some() {
                return refuse(format!("there is already a partner `{}`", partner.id));
            }
            let at = at.min(ws.partners.len());
            let id = partner.id.clone();
            ws.partners.insert(at, partner);
            Ok(Op::RemovePartner { id })
        }
        Op::UpdatePartner { id, partner } => {
            let i = find(ws.partners.iter().position(|p| p.id == id), "partner", &id)?;
            first(validate::partner(&partner))?;
            if partner.id != id {
                if ws.partner(&partner.id).is_some() {
                    return refuse(format!("there is already a partner `{}`", partner.id));
                }
                if ws.needs.iter().any(|n| n.partner == id) {
                    return refuse(format!(
                        "needs refer to `{id}`; move or remove them before renaming it"
                    ));
                }
                if ws.sign_offs.iter().any(|s| s.partner == id) {
                    return refuse(format!(
                        "`{id}` has signed off; withdraw the sign-off before renaming it"
                    ));
                }
            }
            let new_id = partner.id.clone();
            let old = std::mem::replace(&mut ws.partners[i], partner);
            Ok(Op::UpdatePartner {
                id: new_id,
                partner: old,
            })
        }
        Op::RemovePartner { id } => {
            let i = find(ws.partners.iter().position(|p| p.id == id), "partner", &id)?;
            let count = ws.needs.iter().filter(|n| n.partner == id).count();
            if count > 0 {
                return refuse(format!(
                    "`{id}` still has {count} need(s); remove them first"
                ));
            }
            if let Some(p) = ws
                .postings
                .iter()
                .find(|p| p.partner.as_deref() == Some(&id))
            {
                return refuse(format!(
                    "posting `{}` came from `{id}`; remove it first",
                    p.id
                ));
            }
            let signed = ws.sign_offs.iter().filter(|s| s.partner == id).count();
            if signed > 0 {
                return refuse(format!(
                    "`{id}` has {signed} sign-off(s); withdraw them first"
                ));
            }
            let partner = ws.partners.remove(i);
            Ok(Op::InsertPartner { at: i, partner })
        }
        Op::InsertNeed { at, need } => {
            first(validate::need(ws, &need))?;
            if ws.need(&need.id).is_some() {
                return refuse(format!("there is already a need `{}`", need.id));
            }
            let at = at.min(ws.needs.len());
            let id = need.id.clone();
            ws.needs.insert(at, need);
            Ok(Op::RemoveNeed { id })
        }
        Op::UpdateNeed { id, need } => {
            let i = find(ws.needs.iter().position(|n| n.id == id), "need", &id)?;
            first(validate::need(ws, &need))?;
            if need.id != id {
                if ws.need(&need.id).is_some() {
                    return refuse(format!("there is already a need `{}`", need.id));
                }
                if ws.mappings.iter().any(|m| m.need == id) {
                    return refuse(format!("mappings refer to `{id}`; its id cannot change"));
                }
            }
            let new_id = need.id.clone();
            let old = std::mem::replace(&mut ws.needs[i], need);
            Ok(Op::UpdateNeed {
                id: new_id,
                need: old,
            })
        }
        Op::RemoveNeed { id } => {
            let i = find(ws.needs.iter().position(|n| n.id == id), "need", &id)?;
            let count = ws.mappings.iter().filter(|m| m.need == id).count();
            if count > 0 {
                return refuse(format!(
                    "`{id}` still has {count} mapping(s); remove them first"
                ));
            }
            let need = ws.needs.remove(i);
            Ok(Op::InsertNeed { at: i, need })
        }
        Op::SetCredential { credential } => {
            let mut probe = Workspace {
                credential: (*credential).clone(),
                ..Workspace::default()
            };
            probe.schema = ws.schema.clone();
            first(validate::workspace(&probe, catalog))?;
            // The id is the design's for life: only `SetCredentialId` changes it.
            let mut credential = *credential;
            credential.id.clone_from(&ws.credential.id);
            let old = std::mem::replace(&mut ws.credential, credential);
            Ok(Op::SetCredential {
                credential: Box::new(old),
            })
        }
        Op::SetCredentialId { id } => {
            if let Some(id) = &id {
                if ws.credential.id.is_some() {
                    return refuse("the design has its stable id already; it is kept for life");
                }
                if !crate::model::identity::is_valid_id(id) {
                    return refuse(format!("`{id}` is not a URN or an https URI"));
                }
            }
            let old = std::mem::replace(&mut ws.credential.id, id);
            Ok(Op::SetCredentialId { id: old })
        }
        Op::SetSignOff {
            person,
            partner,
            sign_off,
            signing,
            at: hint,
        } => {
            if let Some(s) = &sign_off {
                if s.person != person || s.partner != partner {
                    return refuse("a sign-off must name the person and partner it is for");
                }
                if ws.partner(&partner).is_none() {
                    return refuse(format!("there is no partner `{partner}` to sign off for"));
                }
                let probe = Workspace {
                    partners: ws.partners.clone(),
                    sign_offs: vec![s.clone()],
                    ..Workspace::default()
                };
                first(validate::workspace(&probe, catalog))?;
                if signing && s.design != crate::model::signoff::design_hash(ws) {
                    return refuse(
                        "the design changed while you were signing it off; look at it again and sign off again",
                    );
                }
            }
            let at = ws
                .sign_offs
                .iter()
                .position(|s| s.person == person && s.partner == partner);
            let (old, was) = match (at, sign_off) {
                (Some(i), Some(new)) => (Some(std::mem::replace(&mut ws.sign_offs[i], new)), None),
                (Some(i), None) => (Some(ws.sign_offs.remove(i)), Some(i)),
                (None, Some(new)) => {
                    let i = hint.map_or_else(
                        || {
                            ws.sign_offs
                                .iter()
                                .position(|s| {
                                    (s.partner.as_str(), s.person.as_str())
                                        > (new.partner.as_str(), new.person.as_str())
                                })
                                .unwrap_or(ws.sign_offs.len())
                        },
                        |h| h.min(ws.sign_offs.len()),
                    );
                    ws.sign_offs.insert(i, new);
                    (None, None)
                }
                (None, None) => (None, None),
            };
            Ok(Op::SetSignOff {
                person,
                partner,
                sign_off: old,
                signing: false,
                at: was,
            })
        }
        Op::InsertCompetency { at, competency } => {
            first(validate::credential_competency(&competency, catalog))?;
            if ws.competency(&competency.reference).is_some() {
                return refuse(format!(
                    "`{}` is already in the credential",
                    competency.reference
                ));
            }
            let at = at.min(ws.competencies.len());
            let reference = competency.reference.clone();
            ws.competencies.insert(at, competency);
            Ok(Op::RemoveCompetency { reference })
        }
        Op::UpdateCompetency {
            reference,
            competency,
        } => {
            let i = find(
                ws.competencies
                    .iter()
                    .position(|c| c.reference == reference),
                "credential competency",
                &reference,
            )?;
            if competency.reference != reference {
                return refuse(
                    "a credential competency keeps its reference; remove it and add the other one",
                );
            }
            first(validate::credential_competency(&competency, catalog))?;
            let old = std::mem::replace(&mut ws.competencies[i], competency);
            Ok(Op::UpdateCompetency {
                reference,
                competency: old,
            })
        }
        Op::RemoveCompetency { reference } => {
            let i = find(
                ws.competencies
                    .iter()
                    .position(|c| c.reference == reference),
                "credential competency",
                &reference,
            )?;
            let competency = ws.competencies.remove(i);
            Ok(Op::InsertCompetency { at: i, competency })
        }
        Op::InsertMapping { at, mapping } => {
            first(validate::mapping(ws, &mapping, catalog))?;
            if ws
                .mapping_index(&mapping.need, &mapping.competency)
                .is_some()
            {
                return refuse(format!(
                    "`{}` is already mapped to `{}`",
                    mapping.need, mapping.competency
                ));
            }
            let at = at.min(ws.mappings.len());
            let (need, competency) = (mapping.need.clone(), mapping.competency.clone());
            ws.mappings.insert(at, mapping);
            Ok(Op::RemoveMapping { need, competency })
        }
        Op::UpdateMapping {
            need,
            competency,
            mapping,
        } => {
            let i = find_mapping(ws, &need, &competency)?;
            if mapping.need != need || mapping.competency != competency {
                return refuse(
                    "a mapping keeps its need and competency; remove it and add another",
                );
            }
            first(validate::mapping(ws, &mapping, catalog))?;
            let old = std::mem::replace(&mut ws.mappings[i], mapping);
            Ok(Op::UpdateMapping {
                need,
                competency,
                mapping: old,
            })
        }
        Op::RemoveMapping { need, competency } => {
            let i = find_mapping(ws, &need, &competency)?;
            let mapping = ws.mappings.remove(i);
            Ok(Op::InsertMapping { at: i, mapping })
        }
        Op::SetMappingStatus {
            need,
            competency,
            status,
            agreed_by,
            reason,
            record,
        } => {
            let i = find_mapping(ws, &need, &competency)?;
            let record = record.unwrap_or_default();
            let comment = match reason {
                None => None,
                Some(r) => Some(reason_comment(status, &r, &record)?),
            };
            let m = &mut ws.mappings[i];
            let old_status = std::mem::replace(&mut m.status, status);
            let old_by = std::mem::replace(&mut m.agreed_by, agreed_by);
            let old_record = StatusRecord {
                by: std::mem::replace(&mut m.status_by, record.by),
                at: std::mem::replace(&mut m.status_at, record.at),
            };
            let restore = Op::SetMappingStatus {
                need: need.clone(),
                competency: competency.clone(),
                status: old_status,
                agreed_by: old_by,
                reason: None,
                record: Some(old_record),
            };
            match comment {
                None => Ok(restore),
                Some(c) => {
                    let index = m.comments.len();
                    m.comments.push(c);
                    Ok(Op::Batch {
                        ops: vec![
                            Op::RemoveComment {
                                need,
                                competency,
                                index,
                            },
                            restore,
                        ],
                    })
                }
            }
        }
        Op::AddComment {
            need,
            competency,
            at,
            comment,
        } => {
            let i = find_mapping(ws, &need, &competency)?;
            if comment.text.trim().is_empty() {
                return refuse("the comment is empty");
            }
            let comments = &mut ws.mappings[i].comments;
            let at = at.min(comments.len());
            comments.insert(at, comment);
            Ok(Op::RemoveComment {
                need,
                competency,
                index: at,
            })
        }
        Op::RemoveComment {
            need,
            competency,
            index,
        } => {
            let i = find_mapping(ws, &need, &competency)?;
            let comments = &mut ws.mappings[i].comments;
            if index >= comments.len() {
                return refuse(format!("that mapping has no comment {}", index + 1));
            }
            let comment = comments.remove(index);
            Ok(Op::AddComment {
                need,
                competency,
                at: index,
                comment,
            })
        }
        Op::InsertPosting { at, posting } => insert_posting(ws, catalog, at, *posting, &mut None),
        Op::RemovePosting { id } => {
            // From the end: an undo removes the postings just added, which are last.
            let i = find(ws.postings.iter().rposition(|p| p.id == id), "posting", &id)?;
            let posting = ws.postings.remove(i);
            Ok(Op::InsertPosting {
                at: i,
                posting: Box::new(posting),
            })
        }
        Op::OpenVote { vote } => {
            if ws.votes.last().is_some_and(Vote::is_open) {
                return refuse("a vote is open already; close it before opening another");
            }
            let mut probe = Workspace {
                partners: ws.partners.clone(),
                votes: vec![(*vote).clone()],
                ..Workspace::default()
            };
            probe.schema = ws.schema.clone();
            first(validate::workspace(&probe, catalog))?;
            ws.votes.push(*vote);
            Ok(Op::RemoveVote {})
        }
        Op::RemoveVote {} => match ws.votes.pop() {
            Some(vote) => Ok(Op::OpenVote {
                vote: Box::new(vote),
            }),
            None => refuse("there is no vote to remove"),
        },
        Op::SetVoteClosed {
            closed_by,
            closed_at,
        } => {
            let Some(vote) = ws.votes.last_mut() else {
                return refuse("there is no vote; open one first");
            };
            match (&closed_at, vote.is_open()) {
                (Some(_), false) => return refuse("the vote is closed already"),
                (None, true) => return refuse("the vote is open already"),
                _ => {}
            }
            if closed_at.as_ref().is_some_and(|t| t.trim().is_empty()) {
                return refuse("a closed vote says when it closed");
            }
            let old_by = std::mem::replace(&mut vote.closed_by, closed_by);
            let old_at = std::mem::replace(&mut vote.closed_at, closed_at);
            Ok(Op::SetVoteClosed {
                closed_by: old_by,
                closed_at: old_at,
            })
        }
        Op::PlaceDot { dot, at } => {
            // A dot put back where it was (`at`, an undo) was checked when first placed: the
            // need or partner may have gone since, and the vote keeps its record.
            let restore = at.is_some();
            let owner = ws.need(&dot.need).map(|n| n.partner.clone());
            if !restore && ws.partner(&dot.partner).is_none() {
                return refuse(format!("there is no partner `{}` to vote for", dot.partner));
            }
            let vote = open_vote(ws)?;
            if !restore {
                dot_fits(vote, &dot, owner.as_deref())?;
            }
            let used = vote.dots_of(&dot.partner);
            if used >= vote.dots as usize {
                return refuse(format!(
                    "{} has placed all {} of its dots; take one back (from another {}) to move it",
                    dot.partner,
                    vote.dots,
                    if vote.over.is_needs() {
                        "need"
                    } else {
                        "candidate"
                    }
                ));
            }
            if dot.person.trim().is_empty() || dot.at.trim().is_empty() {
                return refuse("a dot says who placed it and when");
            }
            let mut probe = Workspace::default();
            probe.votes.push(Vote {
                opened_by: String::new(),
                opened_at: String::new(),
                dots: 1,
                over: VoteOver::Needs,
                candidates: Vec::new(),
                partner: None,
                hidden: false,
                closed_by: None,
                closed_at: None,
                ballots: vec![dot.clone()],
            });
            let mut findings = Vec::new();
            validate::limits::workspace_head(&probe, &mut findings);
            first(findings)?;
            // After every dot with the same target and partner: the undo (RemoveDot) takes the
            // last of those, which must be this one.
            let after_same = vote
                .ballots
                .iter()
                .rposition(|d| {
                    d.need == dot.need && d.partner == dot.partner && d.competency == dot.competency
                })
                .map_or(0, |i| i + 1);
            let at = at
                .map_or(vote.ballots.len(), |i| i.min(vote.ballots.len()))
                .max(after_same);
            let undo = Op::RemoveDot {
                need: dot.need.clone(),
                partner: dot.partner.clone(),
                competency: dot.competency.clone(),
            };
            vote.ballots.insert(at, dot);
            Ok(undo)
        }
        Op::RemoveDot {
            need,
            partner,
            competency,
        } => {
            let vote = open_vote(ws)?;
            let Some(i) = vote.ballots.iter().rposition(|d| {
                d.need == need && d.partner == partner && d.competency == competency
            }) else {
                return refuse(format!(
                    "{partner} has no dot on {} to take back",
                    competency.as_deref().unwrap_or(&need)
                ));
            };
            let dot = vote.ballots.remove(i);
            Ok(Op::PlaceDot { dot, at: Some(i) })
        }
        Op::Batch { ops } => {
            let mut inverses = Vec::with_capacity(ops.len());
            // The posting ids, made at the first insertion of a posting and kept by those that
            // follow it: a batch of n postings costs O(n), not O(n²) (`evidence add` of a CSV).
            let mut posting_ids = None;
            for op in ops {
                let applied = match op {
                    Op::InsertPosting { at, posting } => {
                        insert_posting(ws, catalog, at, *posting, &mut posting_ids)
                    }
                    op => {
                        posting_ids = None;
                        apply_checked(ws, catalog, op)
                    }
                };
                match applied {
                    Ok(inv) => inverses.push(inv),
                    Err(e) => {
                        for inv in inverses.into_iter().rev() {
                            // Inverses of ops that just applied always apply.
                            let _ = apply_checked(ws, catalog, inv);
                        }
                        return Err(e);
                    }
                }
            }
            inverses.reverse();
            Ok(Op::Batch { ops: inverses })
        }
    }
}

/// Insert `posting` at `at` (at most the end) after checking it on its own; `ids` holds the
/// ids of `ws.postings` (made here when `None`) and gains the new one.
fn insert_posting(
    ws: &mut Workspace,
    catalog: &Catalog,
    at: usize,
    posting: Posting,
    ids: &mut Option<std::collections::HashSet<String>>,
) -> Res<Op> {
    let ids = ids.get_or_insert_with(|| ws.postings.iter().map(|p| p.id.clone()).collect());
    if ids.contains(&posting.id) {
        return refuse(format!("there is already a posting `{}`", posting.id));
    }
    let mut probe = Workspace {
        partners: ws.partners.clone(),
        postings: vec![posting],
        ..Workspace::default()
    };
    first(validate::workspace(&probe, catalog))?;
    let Some(posting) = probe.postings.pop() else {
        return refuse("the posting was lost while checking it");
    };
    let at = at.min(ws.postings.len());
    let id = posting.id.clone();
    ids.insert(id.clone());
    ws.postings.insert(at, posting);
    Ok(Op::RemovePosting { id })
}

/// The comment that keeps the reason for a status change: `Disputed: …`, stamped like the
/// change.
fn reason_comment(status: MappingStatus, reason: &str, record: &StatusRecord) -> Res<Comment> {
    let reason = reason.trim();
    if reason.is_empty() {
        return refuse(format!(
            "say why the mapping is {}: the reason is kept as a comment",
            status.as_str()
        ));
    }
    let text = format!("{}: {reason}", status.heading());
    let len = text.chars().count();
    if len > crate::limits::COMMENT {
        return refuse(format!(
            "the reason is {len} characters long with its heading; a comment holds at most {}",
            crate::limits::COMMENT
        ));
    }
    Ok(Comment {
        by: record.by.clone().unwrap_or_default(),
        at: record.at.clone().unwrap_or_default(),
        text,
    })
}

/// Whether a new dot's target fits the open vote: exactly one of need and competency, a need
/// in scope in a vote over needs (`owner`: the need's partner, `None` when there is no such
/// need), a candidate in one over competencies.
fn dot_fits(vote: &Vote, dot: &Dot, owner: Option<&str>) -> Res<()> {
    match (&dot.competency, vote.over) {
        (Some(_), _) if !dot.need.is_empty() => {
            refuse("a dot goes on a need or on a competency, not both")
        }
        (Some(c), VoteOver::Needs) => refuse(format!(
            "this vote is over the needs, not competencies; `{c}` cannot get a dot"
        )),
        (Some(c), VoteOver::Competencies) if !vote.has_candidate(c) => refuse(format!(
            "`{c}` is not one of this vote's candidate competencies"
        )),
        (Some(_), VoteOver::Competencies) => Ok(()),
        (None, VoteOver::Competencies) => refuse(format!(
            "this vote is over candidate competencies; name one of them, not a need (`{}`)",
            dot.need
        )),
        (None, VoteOver::Needs) => match owner {
            None => refuse(format!("there is no need `{}` to vote on", dot.need)),
            Some(o) if !vote.covers(o) => refuse(format!(
                "this vote is over {}'s needs only; `{}` is not one of them",
                vote.partner.as_deref().unwrap_or_default(),
                dot.need
            )),
            Some(_) => Ok(()),
        },
    }
}

/// The open vote (the last one), or why dots cannot change.
fn open_vote(ws: &mut Workspace) -> Res<&mut Vote> {
    match ws.votes.last_mut() {
        Some(v) if v.is_open() => Ok(v),
        Some(_) => refuse("the vote is closed; dots can no longer change"),
        None => refuse("there is no vote open; a designer opens one"),
    }
}

fn find(i: Option<usize>, what: &str, id: &str) -> Res<usize> {
    i.ok_or_else(|| Refusal(format!("there is no {what} `{id}`")))
}

fn find_mapping(ws: &Workspace, need: &str, competency: &str) -> Res<usize> {
    ws.mapping_index(need, competency)
        .ok_or_else(|| Refusal(format!("`{need}` is not mapped to `{competency}`")))
}
