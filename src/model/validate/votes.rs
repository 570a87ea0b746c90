//! The checks of the dot votes: dots in range, one open vote, what a vote is over and what
//! each dot is on, no partner over its dots.

use std::collections::{HashMap, HashSet};

use super::Finding;
use crate::model::{Dot, Vote, VoteOver, Workspace};
use crate::problem::DocPath;

/// Findings for the dot votes: a dot count in range, only the last vote open, no partner over
/// its dots; partners not listed are warnings. Dots on needs or of partners removed since are
/// kept (the vote's record). A vote over competencies lists its candidates (well-formed
/// references, each once, at most 60; no partner scope), and each dot names exactly one
/// target that fits the vote: a need in a vote over needs, a candidate in one over
/// competencies.
pub(super) fn votes(
    ws: &Workspace,
    partner_ids: &HashSet<&str>,
    root: &DocPath,
    out: &mut Vec<Finding>,
) {
    let last = ws.votes.len().saturating_sub(1);
    for (i, v) in ws.votes.iter().enumerate() {
        let p = root.key("votes").index(i);
        if v.dots == 0 || v.dots > crate::model::vote::MAX_DOTS {
            out.push(
                Finding::error(
                    p.key("dots"),
                    format!(
                        "a vote gives each partner 1 to {} dots, not {}",
                        crate::model::vote::MAX_DOTS,
                        v.dots
                    ),
                )
                .hint("the default is 3"),
            );
        }
        if let Some(scope) = &v.partner {
            if !partner_ids.contains(scope.as_str()) {
                out.push(Finding {
                    warning: true,
                    ..Finding::error(
                        p.key("partner"),
                        format!("a vote over the needs of partner `{scope}`, which is not listed"),
                    )
                    .hint("name a partner of `partners:`, or leave `partner` out to vote over all needs")
                });
            }
        }
        if v.is_open() && i != last {
            out.push(
                Finding::error(p.key("closed_at"), "only the last vote can be open")
                    .hint("give the earlier vote a `closed_at` time"),
            );
        }
        vote_candidates(v, &p, out);
        let mut count: HashMap<&str, u32> = HashMap::new();
        for (j, d) in v.ballots.iter().enumerate() {
            let dp = p.key("ballots").index(j);
            if let Some(f) = dot_target(v, d, &dp) {
                out.push(f);
            }
            if !partner_ids.contains(d.partner.as_str()) {
                // A warning: a closed vote keeps the dots of a partner removed since.
                out.push(Finding {
                    warning: true,
                    ..Finding::error(
                        dp.key("partner"),
                        format!("a dot of partner `{}`, which is not listed", d.partner),
                    )
                    .hint("name a partner of `partners:`, or remove the dot")
                });
            }
            let c = count.entry(d.partner.as_str()).or_default();
            *c += 1;
            if *c == v.dots + 1 {
                out.push(
                    Finding::error(
                        dp,
                        format!(
                            "partner `{}` has more than the vote's {} dots",
                            d.partner, v.dots
                        ),
                    )
                    .hint("remove the extra dots"),
                );
            }
        }
    }
}

/// Findings for what a vote is over: candidates only in a vote over competencies, at least
/// one, each a well-formed reference listed once, at most [`crate::model::vote::MAX_CANDIDATES`];
/// a partner scope only in a vote over needs.
fn vote_candidates(v: &Vote, p: &DocPath, out: &mut Vec<Finding>) {
    use crate::model::vote::MAX_CANDIDATES;
    match v.over {
        VoteOver::Needs => {
            if !v.candidates.is_empty() {
                out.push(
                    Finding::error(
                        p.key("candidates"),
                        "a vote over the needs lists no candidate competencies",
                    )
                    .hint("write `over: competencies` to vote over them, or remove `candidates`"),
                );
            }
        }
        VoteOver::Competencies => {
            if v.partner.is_some() {
                out.push(
                    Finding::error(
                        p.key("partner"),
                        "a vote over competencies is not limited to one partner's needs",
                    )
                    .hint("remove `partner`: every partner votes on the same candidates"),
                );
            }
            if v.candidates.is_empty() {
                out.push(
                    Finding::error(
                        p.key("over"),
                        "a vote over competencies lists no candidates",
                    )
                    .hint("list the competencies voted on under `candidates:`"),
                );
            }
            if v.candidates.len() > MAX_CANDIDATES {
                out.push(
                    Finding::error(
                        p.key("candidates"),
                        format!(
                            "a vote lists at most {MAX_CANDIDATES} candidates, not {}",
                            v.candidates.len()
                        ),
                    )
                    .hint("keep the ones that matter most"),
                );
            }
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (k, c) in v.candidates.iter().enumerate() {
                let cp = p.key("candidates").index(k);
                if crate::model::split_ref(c).is_none() {
                    out.push(
                        Finding::error(cp, format!("`{c}` is not a competency reference"))
                            .hint("write it as FRAMEWORK_ID:COMPETENCY_ID"),
                    );
                } else if let Some(first) = seen.insert(c.as_str(), k) {
                    out.push(
                        Finding::error(cp, format!("candidate `{c}` is listed twice"))
                            .hint(format!("item {} already lists it; keep one", first + 1)),
                    );
                }
            }
        }
    }
}

/// The finding for a dot whose target does not fit its vote, if any.
fn dot_target(v: &Vote, d: &Dot, dp: &DocPath) -> Option<Finding> {
    match (v.over, d.need.is_empty(), &d.competency) {
        (_, false, Some(_)) => Some(
            Finding::error(
                dp.clone(),
                "a dot is on a need or on a competency, not both",
            )
            .hint("keep `need` in a vote over needs, `competency` in one over competencies"),
        ),
        (VoteOver::Needs, true, None) => Some(
            Finding::error(dp.key("need"), "a dot says which need it is on").hint("name a need id"),
        ),
        (VoteOver::Needs, _, Some(_)) => Some(
            Finding::error(
                dp.key("competency"),
                "a dot on a competency in a vote over the needs",
            )
            .hint("name a need with `need:`, or make the vote `over: competencies`"),
        ),
        (VoteOver::Competencies, _, None) => Some(
            Finding::error(
                dp.clone(),
                "a dot in a vote over competencies names no competency",
            )
            .hint("name one of the vote's candidates with `competency:`"),
        ),
        (VoteOver::Competencies, _, Some(c)) if !v.has_candidate(c) => Some(
            Finding::error(
                dp.key("competency"),
                format!("`{c}` is not one of the vote's candidates"),
            )
            .hint("name a competency listed under the vote's `candidates:`"),
        ),
        _ => None,
    }
}
