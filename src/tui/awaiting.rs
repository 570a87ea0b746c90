//! What awaits a partner's own action: the mappings on their organisation's needs that await
//! their review (proposed), and their organisation's sign-off when it is missing or stale.
//! Pure: read from one version's gap report and lookups, in display order.

use crate::analysis::gap::GapReport;
use crate::document::activity::{About, Activity, Target};
use crate::document::derived::Derived;
use crate::edit::Role;
use crate::model::signoff::SignOffState;
use crate::model::{MappingStatus, Workspace};

/// One mapping awaiting a partner's review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The need's position in display order.
    pub need_pos: usize,
    /// The mapping's position among the need's mappings (as the mappings pane lists them).
    pub map_pos: usize,
    pub need: String,
    /// `fw:ID`.
    pub competency: String,
}

/// Everything awaiting one partner organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Awaiting {
    /// Mappings awaiting their review, in display order (need, then mapping).
    pub reviews: Vec<Item>,
    /// Their sign-off, when it is missing or stale.
    pub sign_off: Option<SignOffState>,
}

/// What awaits partner organisation `org` in this version.
pub fn awaiting(ws: &Workspace, report: &GapReport, derived: &Derived, org: &str) -> Awaiting {
    let mut reviews: Vec<Item> = report
        .awaiting_review
        .iter()
        .filter(|r| r.status == MappingStatus::Proposed)
        .filter_map(|r| {
            let need_pos = *derived.need_pos.get(&r.need)?;
            let need = ws.needs.get(*derived.need_order.get(need_pos)?)?;
            if need.partner != org {
                return None;
            }
            let map_pos = derived.mappings(&r.need).iter().position(|&i| {
                ws.mappings
                    .get(i)
                    .is_some_and(|m| m.competency == r.competency)
            })?;
            Some(Item {
                need_pos,
                map_pos,
                need: r.need.clone(),
                competency: r.competency.clone(),
            })
        })
        .collect();
    reviews.sort_by_key(|i| (i.need_pos, i.map_pos));
    let sign_off = report
        .sign_offs
        .iter()
        .find(|g| g.partner == org)
        .map(|g| g.state);
    Awaiting { reviews, sign_off }
}

impl Awaiting {
    /// True when nothing awaits them.
    pub fn is_empty(&self) -> bool {
        self.reviews.is_empty() && self.sign_off.is_none()
    }

    /// How much awaits them, in words ("3 mappings await your review · sign-off missing");
    /// `None` when nothing does.
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        match self.reviews.len() {
            0 => {}
            1 => parts.push("1 mapping awaits your review".to_string()),
            n => parts.push(format!("{n} mappings await your review")),
        }
        match self.sign_off {
            Some(SignOffState::Missing) => parts.push("sign-off missing".into()),
            Some(SignOffState::Stale) => {
                parts.push("sign-off stale (the design changed since)".into())
            }
            _ => {}
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// The review after the place `(need_pos, map_pos)`, wrapping around; `map_pos` is `None`
    /// when no mapping is selected (the needs pane), which counts as just before the need's
    /// first mapping.
    pub fn after(&self, need_pos: usize, map_pos: Option<usize>) -> Option<&Item> {
        let at = (need_pos, map_pos);
        self.reviews
            .iter()
            .find(|i| (i.need_pos, Some(i.map_pos)) > at)
            .or_else(|| self.reviews.first())
    }

    /// The review before the place `(need_pos, map_pos)`, wrapping around (as [`Self::after`]).
    pub fn before(&self, need_pos: usize, map_pos: Option<usize>) -> Option<&Item> {
        let at = (need_pos, map_pos);
        self.reviews
            .iter()
            .rev()
            .find(|i| (i.need_pos, Some(i.map_pos)) < at)
            .or_else(|| self.reviews.last())
    }
}

/// Whether partner organisation `org` (as `me`) gets a notice of `a`, someone else's change:
/// a vote opened or closed, a new mapping on one of their needs, a designer's review or
/// comment on one (their dispute answered or resolved). `partner_of` gives a need's partner.
pub fn notifies_partner<'a>(
    a: &Activity,
    org: &str,
    me: &str,
    partner_of: impl Fn(&str) -> Option<&'a str>,
) -> bool {
    if a.who == me {
        return false;
    }
    let own = || match &a.target {
        Target::Mapping(need, _) | Target::Need(need) => partner_of(need) == Some(org),
        _ => false,
    };
    match a.about {
        About::Vote => true,
        About::NewMapping => own(),
        About::Review => a.role == Role::Designer && own(),
        About::Other => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::gap::analyse;
    use crate::catalog::Catalog;

    fn example() -> Workspace {
        let cat = Catalog::embedded().expect("catalog");
        let text = include_str!("../../examples/retrofit-gaps.yaml");
        crate::document::workspace_from_str(text, "retrofit-gaps.yaml", &cat)
            .expect("the example loads")
            .workspace
    }

    fn of(ws: &Workspace, org: &str) -> Awaiting {
        let report = analyse(ws);
        let derived = Derived::new(ws, &report);
        awaiting(ws, &report, &derived, org)
    }

    #[test]
    fn only_proposed_mappings_of_the_partners_own_needs_await_them() {
        let mut ws = example();
        let org = "brightwater-mechanical";
        let before = of(&ws, org);
        // Every proposed mapping of Brightwater's needs is listed, and nothing else.
        let own: Vec<(String, String)> = ws
            .mappings
            .iter()
            .filter(|m| m.status == MappingStatus::Proposed)
            .filter(|m| ws.need(&m.need).is_some_and(|n| n.partner == org))
            .map(|m| (m.need.clone(), m.competency.clone()))
            .collect();
        let listed: Vec<(String, String)> = before
            .reviews
            .iter()
            .map(|i| (i.need.clone(), i.competency.clone()))
            .collect();
        let mut sorted_own = own.clone();
        sorted_own.sort();
        let mut sorted_listed = listed.clone();
        sorted_listed.sort();
        assert_eq!(sorted_listed, sorted_own);
        // A mapping of another partner's need made proposed does not await Brightwater.
        let other = ws
            .mappings
            .iter_mut()
            .find(|m| m.need == "N1")
            .expect("a mapping of N1 (Coastline)");
        other.status = MappingStatus::Proposed;
        assert_eq!(of(&ws, org).reviews, before.reviews);
    }

    #[test]
    fn the_summary_counts_reviews_and_names_the_sign_off() {
        let a = Awaiting {
            reviews: (0..3)
                .map(|k| Item {
                    need_pos: k,
                    map_pos: 0,
                    need: format!("N{k}"),
                    competency: "fw:X".into(),
                })
                .collect(),
            sign_off: Some(SignOffState::Missing),
        };
        assert_eq!(
            a.summary().as_deref(),
            Some("3 mappings await your review · sign-off missing")
        );
        let one = Awaiting {
            reviews: a.reviews[..1].to_vec(),
            sign_off: None,
        };
        assert_eq!(
            one.summary().as_deref(),
            Some("1 mapping awaits your review")
        );
        assert_eq!(Awaiting::default().summary(), None);
    }

    #[test]
    fn next_and_previous_wrap_around_in_display_order() {
        let item = |n: usize, m: usize| Item {
            need_pos: n,
            map_pos: m,
            need: format!("N{n}"),
            competency: format!("fw:{m}"),
        };
        let a = Awaiting {
            reviews: vec![item(1, 0), item(1, 2), item(4, 1)],
            sign_off: None,
        };
        assert_eq!(a.after(0, None), Some(&item(1, 0)));
        assert_eq!(a.after(1, None), Some(&item(1, 0)));
        assert_eq!(a.after(1, Some(0)), Some(&item(1, 2)));
        assert_eq!(a.after(1, Some(2)), Some(&item(4, 1)));
        assert_eq!(a.after(4, Some(1)), Some(&item(1, 0)));
        assert_eq!(a.before(4, Some(1)), Some(&item(1, 2)));
        assert_eq!(a.before(1, Some(0)), Some(&item(4, 1)));
        assert_eq!(Awaiting::default().after(0, None), None);
    }

    #[test]
    fn partners_hear_of_votes_and_of_changes_to_their_own_needs_by_others() {
        let item = |who: &str, role: Role, about: About, need: &str| Activity {
            seq: 1,
            at: "2026-01-01T00:00:00Z".into(),
            who: who.into(),
            role,
            what: "x".into(),
            target: Target::Mapping(need.into(), "fw:X".into()),
            notice: false,
            about,
        };
        let partner_of = |n: &str| match n {
            "N3" => Some("brightwater"),
            "N1" => Some("coastline"),
            _ => None,
        };
        let hears = |a: &Activity| notifies_partner(a, "brightwater", "Sam", partner_of);
        let dee = |about, need| item("Dee", Role::Designer, about, need);
        assert!(hears(&dee(About::Vote, "N1")));
        assert!(hears(&dee(About::NewMapping, "N3")));
        assert!(!hears(&dee(About::NewMapping, "N1")));
        assert!(hears(&dee(About::Review, "N3")));
        assert!(!hears(&dee(About::Review, "N1")));
        assert!(!hears(&dee(About::Other, "N3")));
        // Not of their own changes, nor of another partner's review.
        assert!(!hears(&item(
            "Sam",
            Role::Partner("brightwater".into()),
            About::Vote,
            "N3"
        )));
        assert!(!hears(&item(
            "Ann",
            Role::Partner("brightwater".into()),
            About::Review,
            "N3"
        )));
    }
}
