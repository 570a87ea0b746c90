//! Dot voting in the workshop: the tally of a vote, the priorities a vote over needs proposes
//! and the candidates a vote over competencies lists.
//!
//! A vote (see [`super::Vote`]) gives each partner organisation a number of dots to place on
//! the needs in its scope (all needs, or one partner's), or on the candidate competencies fixed
//! when it opened. Only the last vote of a workspace can be open. The tally counts dots per
//! target (need id or competency reference); [`proposed_priorities`] turns a closed vote's
//! tally into priorities by a documented rule (docs/formats.md, "votes").

use std::collections::{HashMap, HashSet};

use super::{Dot, Priority, Vote, VoteOver, Workspace};

/// Most dots a vote may give each partner.
pub const MAX_DOTS: u32 = 20;
/// Dots per partner when the designer does not choose.
pub const DEFAULT_DOTS: u32 = 3;
/// Most candidates a vote over competencies lists.
pub const MAX_CANDIDATES: usize = 60;

impl Dot {
    /// What the dot is on: the need id, or the competency reference in a vote over
    /// competencies.
    pub fn target(&self) -> &str {
        self.competency.as_deref().unwrap_or(&self.need)
    }
}

impl Vote {
    /// True until a designer closes it.
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// How many dots partner `org` has placed.
    pub fn dots_of(&self, org: &str) -> usize {
        self.ballots.iter().filter(|d| d.partner == org).count()
    }

    /// Whether a need of partner `owner` is voted on (never in a vote over competencies).
    pub fn covers(&self, owner: &str) -> bool {
        self.over == VoteOver::Needs && self.partner.as_deref().is_none_or(|p| p == owner)
    }

    /// Whether competency `reference` is one of the candidates of a vote over competencies.
    pub fn has_candidate(&self, reference: &str) -> bool {
        self.over == VoteOver::Competencies && self.candidates.iter().any(|c| c == reference)
    }
}

/// The candidates of a new vote over competencies: the credential's competencies, then
/// `in_demand` (the competencies job postings show in demand that no need covers, most
/// requested first), without repeats, at most [`MAX_CANDIDATES`].
pub fn candidates(ws: &Workspace, in_demand: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    ws.competencies
        .iter()
        .map(|c| &c.reference)
        .chain(in_demand)
        .filter(|r| seen.insert(r.as_str()))
        .take(MAX_CANDIDATES)
        .cloned()
        .collect()
}

/// The tally of one vote, computed once per document version: dots per target (need id, or
/// competency reference in a vote over competencies), per target and partner, and per partner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Dots on each target.
    pub per_target: HashMap<String, usize>,
    /// Dots on each (target, partner id).
    pub per_target_partner: HashMap<(String, String), usize>,
    /// Dots each partner id has placed.
    pub per_partner: HashMap<String, usize>,
    /// All dots placed.
    pub total: usize,
    /// The most dots on one target.
    pub max: usize,
}

impl Tally {
    /// The tally of `vote`, in one pass over its dots.
    pub fn new(vote: &Vote) -> Tally {
        let mut t = Tally::default();
        for d in &vote.ballots {
            let n = t.per_target.entry(d.target().to_string()).or_default();
            *n += 1;
            t.max = t.max.max(*n);
            *t.per_target_partner
                .entry((d.target().to_string(), d.partner.clone()))
                .or_default() += 1;
            *t.per_partner.entry(d.partner.clone()).or_default() += 1;
            t.total += 1;
        }
        t
    }

    /// Dots on `target` (a need id or a competency reference).
    pub fn on(&self, target: &str) -> usize {
        self.per_target.get(target).copied().unwrap_or(0)
    }

    /// Dots partner `org` placed on `target`.
    pub fn on_by(&self, target: &str, org: &str) -> usize {
        self.per_target_partner
            .get(&(target.to_string(), org.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// Dots partner `org` has placed.
    pub fn partner(&self, org: &str) -> usize {
        self.per_partner.get(org).copied().unwrap_or(0)
    }
}

/// The priority a need with `dots` dots gets when the most-voted need has `max`: `must` with
/// at least half the top need's dots (rounded up), `should` with at least one, `could` with
/// none. With no dots at all, nothing is proposed.
pub fn priority_for(dots: usize, max: usize) -> Option<Priority> {
    if max == 0 {
        return None;
    }
    Some(if dots == 0 {
        Priority::Could
    } else if dots * 2 >= max {
        Priority::Must
    } else {
        Priority::Should
    })
}

/// The priority changes the last vote proposes, in need order: (need id, from, to), only for
/// needs in its scope whose priority would change; none for a vote over competencies.
pub fn proposed_priorities(ws: &Workspace, tally: &Tally) -> Vec<(String, Priority, Priority)> {
    let Some(vote) = ws.votes.last() else {
        return Vec::new();
    };
    ws.needs
        .iter()
        .filter(|n| vote.covers(&n.partner))
        .filter_map(|n| {
            let to = priority_for(tally.on(&n.id), tally.max)?;
            (to != n.priority).then(|| (n.id.clone(), n.priority, to))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dot, Need};

    fn dot(need: &str, partner: &str) -> Dot {
        Dot {
            need: need.into(),
            competency: None,
            partner: partner.into(),
            person: "p".into(),
            at: "2026-11-30T00:00:00Z".into(),
        }
    }

    #[test]
    fn candidates_are_the_credential_then_demand_once_each_at_most_60() {
        let mut ws = Workspace::default();
        for r in ["f:A", "f:B"] {
            ws.competencies.push(crate::model::CredentialCompetency {
                reference: r.into(),
                target_level: 1,
                hours: None,
                outcome: None,
                assessment: None,
                silence: Vec::new(),
            });
        }
        let demand: Vec<String> = ["f:C", "f:A", "f:D", "f:C"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(candidates(&ws, &demand), ["f:A", "f:B", "f:C", "f:D"]);
        let many: Vec<String> = (0..100).map(|i| format!("f:X{i}")).collect();
        let c = candidates(&ws, &many);
        assert_eq!(c.len(), MAX_CANDIDATES);
        assert_eq!((c[0].as_str(), c[2].as_str()), ("f:A", "f:X0"));
    }

    #[test]
    fn a_competency_vote_is_tallied_by_reference_and_proposes_no_priorities() {
        let mut ws = Workspace::default();
        ws.needs.push(Need {
            id: "N1".into(),
            partner: "a".into(),
            statement: "x".into(),
            priority: Priority::Could,
            evidence: None,
        });
        let on = |c: &str, partner: &str| Dot {
            need: String::new(),
            competency: Some(c.into()),
            ..dot("", partner)
        };
        let vote = Vote {
            opened_by: "d".into(),
            opened_at: "t".into(),
            dots: 3,
            over: VoteOver::Competencies,
            candidates: vec!["f:A".into(), "f:B".into()],
            partner: None,
            hidden: false,
            closed_by: None,
            closed_at: Some("t2".into()),
            ballots: vec![on("f:A", "a"), on("f:A", "b"), on("f:B", "a")],
        };
        assert_eq!(vote.ballots[0].target(), "f:A");
        assert!(vote.has_candidate("f:B") && !vote.has_candidate("f:C"));
        assert!(!vote.covers("a"), "no need is voted on");
        let t = Tally::new(&vote);
        assert_eq!((t.on("f:A"), t.on("f:B"), t.on("N1")), (2, 1, 0));
        assert_eq!((t.on_by("f:A", "b"), t.max, t.total), (1, 2, 3));
        ws.votes.push(vote);
        assert!(proposed_priorities(&ws, &t).is_empty());
    }

    #[test]
    fn the_rule_is_half_the_top_for_must_one_for_should() {
        assert_eq!(priority_for(0, 0), None);
        assert_eq!(priority_for(3, 6), Some(Priority::Must));
        assert_eq!(priority_for(2, 5), Some(Priority::Should));
        assert_eq!(priority_for(3, 5), Some(Priority::Must));
        assert_eq!(priority_for(1, 1), Some(Priority::Must));
        assert_eq!(priority_for(0, 4), Some(Priority::Could));
    }

    #[test]
    fn tally_counts_and_proposes_only_changes_in_scope() {
        let mut ws = Workspace::default();
        for (id, p, pr) in [
            ("N1", "a", Priority::Could),
            ("N2", "a", Priority::Should),
            ("N3", "b", Priority::Must),
            ("N4", "a", Priority::Must),
        ] {
            ws.needs.push(Need {
                id: id.into(),
                partner: p.into(),
                statement: "x".into(),
                priority: pr,
                evidence: None,
            });
        }
        let mut vote = Vote {
            opened_by: "d".into(),
            opened_at: "t".into(),
            dots: 3,
            over: VoteOver::Needs,
            candidates: Vec::new(),
            partner: Some("a".into()),
            hidden: false,
            closed_by: None,
            closed_at: None,
            ballots: vec![
                dot("N1", "a"),
                dot("N1", "b"),
                dot("N1", "a"),
                dot("N2", "b"),
            ],
        };
        assert!(vote.is_open());
        assert_eq!(vote.dots_of("a"), 2);
        assert!(vote.covers("a") && !vote.covers("b"));
        let t = Tally::new(&vote);
        assert_eq!((t.on("N1"), t.on("N2"), t.on("N3")), (3, 1, 0));
        assert_eq!(t.on_by("N1", "a"), 2);
        assert_eq!((t.partner("b"), t.total, t.max), (2, 4, 3));
        vote.closed_at = Some("t2".into());
        ws.votes.push(vote);
        assert_eq!(
            proposed_priorities(&ws, &t),
            vec![
                ("N1".to_string(), Priority::Could, Priority::Must),
                ("N4".to_string(), Priority::Must, Priority::Could),
            ],
            "N2 stays should; N3 is another partner's"
        );
    }
}
