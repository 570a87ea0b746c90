//! Dot voting over needs in the workshop: the tally of a vote and the priorities it proposes.
//!
//! A vote (see [`super::Vote`]) gives each partner organisation a number of dots to place on
//! the needs in its scope (all needs, or one partner's). Only the last vote of a workspace can
//! be open. The tally counts dots per need; [`proposed_priorities`] turns a closed vote's tally
//! into priorities by a documented rule (docs/formats.md, "votes").

use std::collections::HashMap;

use super::{Priority, Vote, Workspace};

/// Most dots a vote may give each partner.
pub const MAX_DOTS: u32 = 20;
/// Dots per partner when the designer does not choose.
pub const DEFAULT_DOTS: u32 = 3;

impl Vote {
    /// True until a designer closes it.
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// How many dots partner `org` has placed.
    pub fn dots_of(&self, org: &str) -> usize {
        self.ballots.iter().filter(|d| d.partner == org).count()
    }

    /// Whether need `need` of partner `owner` is voted on.
    pub fn covers(&self, owner: &str) -> bool {
        self.partner.as_deref().is_none_or(|p| p == owner)
    }
}

/// The tally of one vote, computed once per document version: dots per need, per need and
/// partner, and per partner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Dots on each need id.
    pub per_need: HashMap<String, usize>,
    /// Dots on each (need id, partner id).
    pub per_need_partner: HashMap<(String, String), usize>,
    /// Dots each partner id has placed.
    pub per_partner: HashMap<String, usize>,
    /// All dots placed.
    pub total: usize,
    /// The most dots on one need.
    pub max: usize,
}

impl Tally {
    /// The tally of `vote`, in one pass over its dots.
    pub fn new(vote: &Vote) -> Tally {
        let mut t = Tally::default();
        for d in &vote.ballots {
            let n = t.per_need.entry(d.need.clone()).or_default();
            *n += 1;
            t.max = t.max.max(*n);
            *t.per_need_partner
                .entry((d.need.clone(), d.partner.clone()))
                .or_default() += 1;
            *t.per_partner.entry(d.partner.clone()).or_default() += 1;
            t.total += 1;
        }
        t
    }

    /// Dots on need `id`.
    pub fn need(&self, id: &str) -> usize {
        self.per_need.get(id).copied().unwrap_or(0)
    }

    /// Dots partner `org` placed on need `id`.
    pub fn need_partner(&self, id: &str, org: &str) -> usize {
        self.per_need_partner
            .get(&(id.to_string(), org.to_string()))
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
/// needs in its scope whose priority would change.
pub fn proposed_priorities(ws: &Workspace, tally: &Tally) -> Vec<(String, Priority, Priority)> {
    let Some(vote) = ws.votes.last() else {
        return Vec::new();
    };
    ws.needs
        .iter()
        .filter(|n| vote.covers(&n.partner))
        .filter_map(|n| {
            let to = priority_for(tally.need(&n.id), tally.max)?;
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
            partner: partner.into(),
            person: "p".into(),
            at: "2026-11-30T00:00:00Z".into(),
        }
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
        assert_eq!((t.need("N1"), t.need("N2"), t.need("N3")), (3, 1, 0));
        assert_eq!(t.need_partner("N1", "a"), 2);
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
