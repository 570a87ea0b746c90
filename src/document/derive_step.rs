//! The next version's gap report and [`Derived`] state from the previous version's and the op
//! that made it, costing what the op touched: the changes people make most while they work —
//! a mapping's status, a mapping's fields, a need's text or priority, comments, sign-offs,
//! votes, postings — update the entries of what they touched, each found by id or by binary
//! search in its list's order. Any other op (one that adds, removes or renames something, or
//! changes the credential or its competencies) is derived again from scratch, as is a document
//! with repeated ids. `tests/it/ops.rs` checks, over random sequences of ops, that the result
//! always equals the one derived from scratch.

use std::collections::BTreeSet;
use std::sync::{Arc, Weak};

use crate::analysis::gap::{self, GapReport, NeedCompetency, NeedStatus};
use crate::edit::Op;
use crate::model::{MappingStatus, Priority, Workspace};

use super::derived::Derived;

/// What an op touched that the report and the lookups read.
#[derive(Debug, Default)]
struct Reach {
    /// Needs (by id) whose priority or mappings changed.
    needs: BTreeSet<String>,
    /// Mappings (need, competency) that changed in place.
    mappings: BTreeSet<(String, String)>,
    /// Something the sign-off states read may have changed.
    sign_offs: bool,
    /// Nothing can be updated in place: derive again.
    whole: bool,
}

impl Reach {
    fn of(&mut self, before: &Workspace, d: &Derived, op: &Op) {
        match op {
            // Neither the report nor the lookups read postings, votes, comments or the
            // design's id (the sign-off hash leaves comments and the id out).
            Op::InsertPosting { .. }
            | Op::RemovePosting { .. }
            | Op::OpenVote { .. }
            | Op::RemoveVote {}
            | Op::SetVoteClosed { .. }
            | Op::PlaceDot { .. }
            | Op::RemoveDot { .. }
            | Op::AddComment { .. }
            | Op::RemoveComment { .. }
            | Op::SetCredentialId { .. } => {}
            Op::SetSignOff { .. } => self.sign_offs = true,
            Op::SetMappingStatus {
                need, competency, ..
            }
            | Op::UpdateMapping {
                need, competency, ..
            } => {
                self.mappings.insert((need.clone(), competency.clone()));
                self.needs.insert(need.clone());
                self.sign_offs = true;
            }
            // A need keeping its id and its partner keeps its place in every order.
            Op::UpdateNeed { id, need }
                if *id == need.id
                    && d.need(before, id)
                        .is_some_and(|n| n.partner == need.partner) =>
            {
                self.needs.insert(id.clone());
                self.sign_offs = true;
            }
            Op::Batch { ops } => ops.iter().for_each(|o| self.of(before, d, o)),
            _ => self.whole = true,
        }
    }
}

/// The report and lookups of `ws`, which `op` made from `before` (whose report and lookups
/// are `report` and `derived`), updated where `op` touched them; `None` when they must be
/// derived again from scratch.
pub fn next(
    before: &Workspace,
    ws: &Workspace,
    op: &Op,
    report: &Arc<GapReport>,
    derived: &Arc<Derived>,
) -> Option<(Arc<GapReport>, Arc<Derived>)> {
    step(before, ws, op, report, derived, &mut None)
}

/// The report a step replaced, kept so that a later step changes it in place (brought up to
/// date first) instead of copying the current report and freeing the one it replaces: the
/// report's lists are as long as the document, a change touches a few entries.
#[derive(Debug)]
pub struct SpareReport {
    report: Arc<GapReport>,
    /// What the step that replaced it touched.
    reach: Reach,
    /// The report that step made: the spare is brought up to that one only (a weak pointer,
    /// so that its address is not reused while the spare waits).
    made: Weak<GapReport>,
    /// How many steps in a row made their report in a spare (0: that step copied one).
    in_place: u64,
}

impl SpareReport {
    /// The spare made equal to `report` (the report of `ws`, with lookups `d`) by updating
    /// what the step after it touched, if `report` is the one that step made and no one else
    /// holds the spare.
    fn catch_up(self, ws: &Workspace, d: &Derived, report: &Arc<GapReport>) -> Option<GapReport> {
        if !std::ptr::eq(self.made.as_ptr(), Arc::as_ptr(report)) {
            return None;
        }
        let mut r = Arc::try_unwrap(self.report).ok()?;
        update(ws, d, &mut r, &self.reach, |_, _| {})?;
        // What is summed or made again whole is taken from the report it must equal.
        r.coverage_percent = report.coverage_percent;
        if self.reach.sign_offs {
            r.sign_offs.clone_from(&report.sign_offs);
        }
        debug_assert!(r == **report, "the spare report caught up differs");
        Some(r)
    }
}

/// Like [`next`], but the new report is made by changing `spare` (the report an earlier step
/// replaced, when no one holds it any more) instead of a copy of `report`; `spare` then holds
/// `report`, for the next step.
pub fn step(
    before: &Workspace,
    ws: &Workspace,
    op: &Op,
    report: &Arc<GapReport>,
    derived: &Arc<Derived>,
    spare: &mut Option<SpareReport>,
) -> Option<(Arc<GapReport>, Arc<Derived>)> {
    let taken = spare.take();
    let mut reach = Reach::default();
    reach.of(before, derived, op);
    if reach.whole
        || derived.need_index.len() != ws.needs.len()
        || derived.competency_index.len() != ws.competencies.len()
        || report.needs.len() != ws.needs.len()
    {
        return None;
    }
    if reach.needs.is_empty() && reach.mappings.is_empty() && !reach.sign_offs {
        // The same report: the spare still leads to it.
        *spare = taken;
        return Some((Arc::clone(report), Arc::clone(derived)));
    }
    let in_place = taken.as_ref().map_or(0, |s| s.in_place + 1);
    let (mut r, in_place) = match taken.and_then(|s| s.catch_up(before, derived, report)) {
        Some(r) => (r, in_place),
        None => ((**report).clone(), 0),
    };
    let mut d = (**derived).clone();
    let (mut status, mut critical) = (Arc::clone(&d.status), Arc::clone(&d.critical));
    update(ws, &d, &mut r, &reach, |i, r| {
        let id = &ws.needs[i].id;
        Arc::make_mut(&mut status)[i] = r.needs[i].status;
        if is_critical(r, i) {
            if !critical.contains(id) {
                Arc::make_mut(&mut critical).insert(id.clone());
            }
        } else if critical.contains(id) {
            Arc::make_mut(&mut critical).remove(id);
        }
    })?;
    (d.status, d.critical) = (status, critical);
    d.serial = super::derived::next_serial();
    d.step = Some(Arc::new(super::derived::Step {
        from: derived.serial,
        needs: reach.needs.iter().cloned().collect(),
        mappings: reach.mappings.iter().cloned().collect(),
    }));
    if !reach.needs.is_empty() {
        coverage(&mut r);
    }
    if reach.sign_offs && (!ws.sign_offs.is_empty() || !before.sign_offs.is_empty()) {
        r.sign_offs = gap::sign_off_gaps(ws);
    }
    let r = Arc::new(r);
    *spare = Some(SpareReport {
        report: Arc::clone(report),
        reach,
        made: Arc::downgrade(&r),
        in_place,
    });
    Some((r, Arc::new(d)))
}

/// The entries of `r` for what `reach` touched, made again from `ws` (with lookups `d`);
/// `each_need` is told of every need updated (its index).
fn update(
    ws: &Workspace,
    d: &Derived,
    r: &mut GapReport,
    reach: &Reach,
    mut each_need: impl FnMut(usize, &GapReport),
) -> Option<()> {
    for (need, competency) in &reach.mappings {
        update_mapping(ws, d, r, need, competency)?;
    }
    for id in &reach.needs {
        let Some(&i) = d.need_index.get(id) else {
            continue;
        };
        update_need(ws, d, r, i)?;
        each_need(i, r);
    }
    Some(())
}

fn is_critical(r: &GapReport, i: usize) -> bool {
    let n = &r.needs[i];
    n.status == NeedStatus::Uncovered && n.priority == Priority::Must
}

/// Need `i`'s credit, status and priority again, from its own mappings, and its place in the
/// critical list.
fn update_need(ws: &Workspace, d: &Derived, r: &mut GapReport, i: usize) -> Option<()> {
    let need = &ws.needs[i];
    let mut credit = 0.0_f64;
    for &mi in d.mappings(&need.id) {
        let m = ws.mappings.get(mi)?;
        if m.status == MappingStatus::Rejected {
            continue;
        }
        if let Some(&ci) = d.competency_index.get(&m.competency) {
            let target = ws.competencies.get(ci)?.target_level;
            credit = credit.max(gap::mapping_credit(target, m.required_level));
        }
    }
    let was = is_critical(r, i);
    let gap = &mut r.needs[i];
    gap.credit = credit;
    gap.priority = need.priority;
    gap.status = gap::status_of(credit);
    let now = is_critical(r, i);
    if was != now {
        let key = |id: &String| d.need_index.get(id).copied();
        let at = r.critical.binary_search_by_key(&Some(i), key);
        match (at, now) {
            (Err(at), true) => r.critical.insert(at, need.id.clone()),
            (Ok(at), false) => {
                r.critical.remove(at);
            }
            _ => return None,
        }
    }
    Some(())
}

/// The weighted coverage again: one pass over the needs' credits (numbers only), in the order
/// [`gap::analyse`] sums them, so that the result is the same to the last bit.
fn coverage(r: &mut GapReport) {
    let (mut weighted, mut total) = (0.0, 0.0);
    for n in &r.needs {
        let w = n.priority.weight();
        weighted += w * n.credit;
        total += w;
    }
    r.coverage_percent = if total > 0.0 {
        100.0 * weighted / total
    } else {
        100.0
    };
}

/// The entries of the mapping of `need` to `competency` (changed in place) in the lists kept in
/// mapping order, and whether its competency is an orphan now.
fn update_mapping(
    ws: &Workspace,
    d: &Derived,
    r: &mut GapReport,
    need: &str,
    competency: &str,
) -> Option<()> {
    let mi = d.mapping_index(ws, need, competency)?;
    if d.mappings(need)
        .iter()
        .filter(|&&i| ws.mappings[i].competency == competency)
        .count()
        != 1
    {
        return None;
    }
    let m = &ws.mappings[mi];
    let pos = |need: &str, competency: &str| d.mapping_index(ws, need, competency);
    let counts = m.status != MappingStatus::Rejected;
    let target = d
        .competency_index
        .get(competency)
        .and_then(|&ci| ws.competencies.get(ci))
        .map(|c| c.target_level);

    // Mapped but not included.
    let at = r
        .mapped_not_included
        .binary_search_by_key(&Some(mi), |e| pos(&e.need, &e.competency));
    let want = counts && target.is_none();
    place(
        &mut r.mapped_not_included,
        at,
        want.then(|| NeedCompetency {
            need: need.to_string(),
            competency: competency.to_string(),
        }),
    )?;

    // Level gaps.
    let at = r
        .level_gaps
        .binary_search_by_key(&Some(mi), |e| pos(&e.need, &e.competency));
    let gap = match (counts, target, m.required_level) {
        (true, Some(target), Some(required)) if required > target => Some(gap::LevelGap {
            need: need.to_string(),
            competency: competency.to_string(),
            required,
            target,
            shortfall: required - target,
        }),
        _ => None,
    };
    place(&mut r.level_gaps, at, gap)?;

    // Awaiting review: disputed first, then proposed, each in mapping order. The old entry
    // (under any status) goes, the new one goes where its status puts it.
    let key = |status: MappingStatus, at: Option<usize>| (status != MappingStatus::Disputed, at);
    for status in [MappingStatus::Disputed, MappingStatus::Proposed] {
        if let Ok(at) = r
            .awaiting_review
            .binary_search_by_key(&key(status, Some(mi)), |e| {
                key(e.status, pos(&e.need, &e.competency))
            })
        {
            r.awaiting_review.remove(at);
        }
    }
    if matches!(m.status, MappingStatus::Disputed | MappingStatus::Proposed) {
        let at = r
            .awaiting_review
            .binary_search_by_key(&key(m.status, Some(mi)), |e| {
                key(e.status, pos(&e.need, &e.competency))
            });
        let Err(at) = at else { return None };
        r.awaiting_review.insert(at, gap::review(need, m));
    }

    // Orphans: a credential competency no counting mapping of an existing need ties.
    if let Some(&ci) = d.competency_index.get(competency) {
        let tied = d.mappings_to(competency).iter().any(|&i| {
            ws.mappings.get(i).is_some_and(|m| {
                m.status != MappingStatus::Rejected && d.need_index.contains_key(&m.need)
            })
        });
        let key = |c: &String| d.competency_index.get(c).copied();
        let at = r.orphans.binary_search_by_key(&Some(ci), key);
        place(&mut r.orphans, at, (!tied).then(|| competency.to_string()))?;
    }
    Some(())
}

/// Put `entry` (or nothing) where a binary search found the old entry (`Ok`) or the place
/// for one (`Err`).
fn place<T>(list: &mut Vec<T>, at: Result<usize, usize>, entry: Option<T>) -> Option<()> {
    match (at, entry) {
        (Ok(i), Some(e)) => list[i] = e,
        (Ok(i), None) => {
            list.remove(i);
        }
        (Err(i), Some(e)) => list.insert(i, e),
        (Err(_), None) => {}
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::edit::Actor;

    /// Statuses changed one after another with a spare: every report equals the one derived
    /// from scratch, and from the second step on each is made in the lists of the report two
    /// versions before (changed in place, not copied: the spare counts the steps that were).
    #[test]
    fn the_spare_report_is_changed_in_place_and_equals_scratch() {
        let cat = Catalog::embedded().unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/retrofit-gaps.yaml");
        let mut ws = crate::document::load_workspace(std::path::Path::new(path), &cat)
            .unwrap()
            .workspace;
        let mut report = Arc::new(gap::analyse(&ws));
        let mut derived = Arc::new(Derived::new(&ws, &report));
        let mut spare = None;
        let mut lists = vec![report.needs.as_ptr()];
        let statuses = [
            MappingStatus::Agreed,
            MappingStatus::Disputed,
            MappingStatus::Rejected,
            MappingStatus::Proposed,
        ];
        for k in 0..12 {
            let m = &ws.mappings[k % ws.mappings.len()];
            let op = Op::SetMappingStatus {
                need: m.need.clone(),
                competency: m.competency.clone(),
                status: statuses[k % statuses.len()],
                agreed_by: None,
                reason: None,
                record: None,
            };
            let before = ws.clone();
            crate::edit::apply(&mut ws, &cat, &Actor::designer("dee"), op.clone()).unwrap();
            let (r, d) = step(&before, &ws, &op, &report, &derived, &mut spare)
                .expect("a status is changed in place");
            let scratch = gap::analyse(&ws);
            assert_eq!(*r, scratch, "step {k}");
            assert_eq!(*d, Derived::new(&ws, &scratch), "step {k}");
            lists.push(r.needs.as_ptr());
            if k >= 1 {
                assert_eq!(lists[k + 1], lists[k - 1], "step {k} copied the report");
            }
            assert_eq!(
                spare.as_ref().map(|s| s.in_place),
                Some(k as u64),
                "step {k}"
            );
            (report, derived) = (r, d);
        }
    }
}
