//! The dot vote view's state: which row is selected, which partner a designer places dots
//! for, and the rows and tally of one document version (made once per version and shared by
//! every session, so drawing costs what is on screen). A vote over needs lists needs; a vote
//! over competencies lists its candidates, and its result can turn the most voted candidates
//! that no need covers into needs ([`needs_from_vote`]).

use std::collections::HashSet;

use crate::edit::compose::NewNeeds;
use crate::edit::{Op, Role};
use crate::model::vote::{Tally, proposed_priorities};
use crate::model::{Catalog, MappingStatus, Need, Priority, VoteOver, Workspace};

/// One candidate of a vote over competencies, as the view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    pub reference: String,
    /// Its name in the loaded frameworks (empty when they do not have it).
    pub name: String,
    /// A need covers it: it is the competency of a mapping not rejected.
    pub covered: bool,
    /// The credential lists it.
    pub in_credential: bool,
}

/// A candidate a closed vote over competencies proposes to turn into a need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    /// The competency reference.
    pub reference: String,
    /// Its name (the new need's statement); the reference when the frameworks lack it.
    pub name: String,
    /// Dots on it.
    pub dots: usize,
    /// The partner that put the most dots on it (ties: the first in the partners' order).
    pub partner: String,
}

/// The rows and tally of the vote view for one version of the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VoteSheet {
    /// What the last vote is over (needs while there is no vote).
    pub over: VoteOver,
    /// The needs voted on (indexes into `needs`), in the needs pane's order: all needs while
    /// there is no vote, else those in the last vote's scope (none in a vote over
    /// competencies).
    pub needs: Vec<usize>,
    /// The last vote's candidates, in its order, when it is over competencies.
    pub candidates: Vec<Candidate>,
    /// The last vote's tally (empty when there is no vote).
    pub tally: Tally,
    /// How many partners have placed at least one dot.
    pub voters: usize,
    /// The priority changes the last vote's tally proposes: (need id, from, to).
    pub proposed: Vec<(String, Priority, Priority)>,
    /// A closed vote over competencies: the candidates it proposes to turn into needs, in the
    /// candidates' order.
    pub promoted: Vec<Promotion>,
    /// A vote over competencies: how many candidates have no dot.
    pub unvoted: usize,
}

impl VoteSheet {
    /// The sheet of `ws`, with its needs in `order` (the needs pane's display order) and the
    /// candidates' names from `catalog`.
    pub fn new(ws: &Workspace, catalog: &Catalog, order: &[usize]) -> VoteSheet {
        let vote = ws.votes.last();
        let needs = order
            .iter()
            .copied()
            .filter(|&i| vote.is_none_or(|v| v.covers(&ws.needs[i].partner)))
            .collect();
        let tally = vote.map(Tally::new).unwrap_or_default();
        let voters = tally.per_partner.len();
        let proposed = proposed_priorities(ws, &tally);
        let mut sheet = VoteSheet {
            needs,
            tally,
            voters,
            proposed,
            ..VoteSheet::default()
        };
        let Some(v) = vote.filter(|v| v.over == VoteOver::Competencies) else {
            return sheet;
        };
        sheet.over = v.over;
        let covered: HashSet<&str> = ws
            .mappings
            .iter()
            .filter(|m| m.status != MappingStatus::Rejected)
            .map(|m| m.competency.as_str())
            .collect();
        let in_credential: HashSet<&str> = ws
            .competencies
            .iter()
            .map(|c| c.reference.as_str())
            .collect();
        sheet.candidates = v
            .candidates
            .iter()
            .map(|r| Candidate {
                reference: r.clone(),
                name: catalog
                    .resolve(r)
                    .map(|(_, c)| c.name.clone())
                    .unwrap_or_default(),
                covered: covered.contains(r.as_str()),
                in_credential: in_credential.contains(r.as_str()),
            })
            .collect();
        sheet.unvoted = sheet
            .candidates
            .iter()
            .filter(|c| sheet.tally.on(&c.reference) == 0)
            .count();
        if !v.is_open() {
            sheet.promoted = promotions(ws, &sheet.candidates, &sheet.tally);
        }
        sheet
    }

    /// True when the last vote is over competencies (its rows are candidates).
    pub fn over_competencies(&self) -> bool {
        self.over == VoteOver::Competencies
    }

    /// How many rows the view lists.
    pub fn len(&self) -> usize {
        if self.over_competencies() {
            self.candidates.len()
        } else {
            self.needs.len()
        }
    }

    /// True when the view lists no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What a dot on row `row` is on: (need id, competency reference), exactly one set.
    pub fn target(&self, ws: &Workspace, row: usize) -> Option<(String, Option<String>)> {
        if self.over_competencies() {
            let c = self.candidates.get(row)?;
            Some((String::new(), Some(c.reference.clone())))
        } else {
            let &i = self.needs.get(row)?;
            Some((ws.needs.get(i)?.id.clone(), None))
        }
    }
}

/// The candidates a closed vote proposes to turn into needs: those no need covers with at
/// least half the top candidate's dots (rounded up; at least one), each for the listed
/// partner that put the most dots on it (ties: the first in the partners' order).
pub fn promotions(ws: &Workspace, candidates: &[Candidate], tally: &Tally) -> Vec<Promotion> {
    candidates
        .iter()
        .filter(|c| !c.covered)
        .filter_map(|c| {
            let dots = tally.on(&c.reference);
            if dots == 0 || dots * 2 < tally.max {
                return None;
            }
            let mut best: Option<(&str, usize)> = None;
            for p in &ws.partners {
                let n = tally.on_by(&c.reference, &p.id);
                if n > best.map_or(0, |b| b.1) {
                    best = Some((&p.id, n));
                }
            }
            let (partner, _) = best?;
            Some(Promotion {
                reference: c.reference.clone(),
                name: if c.name.is_empty() {
                    c.reference.clone()
                } else {
                    c.name.clone()
                },
                dots,
                partner: partner.to_string(),
            })
        })
        .collect()
}

/// The change that carries out `promoted` as one step (one undo), with a line per new need:
/// for each, a `should` need of its partner whose statement is the competency's name and
/// whose evidence is "N dots in the vote of `date`", a proposed mapping to the competency,
/// and the competency in the credential when it is not there yet.
pub fn needs_from_vote(
    ws: &Workspace,
    catalog: &Catalog,
    promoted: &[Promotion],
    date: &str,
) -> (Op, Vec<String>) {
    let mut b = NewNeeds::new(ws, catalog);
    let mut lines = Vec::with_capacity(promoted.len());
    for p in promoted {
        let dots = if p.dots == 1 { "" } else { "s" };
        let (id, level) = b.add(
            Need {
                id: String::new(),
                partner: p.partner.clone(),
                statement: p.name.clone(),
                priority: Priority::Should,
                evidence: Some(format!("{} dot{dots} in the vote of {date}", p.dots)),
            },
            &p.reference,
        );
        let mut line = format!("{id} of {} ({} dot{dots}): {}", p.partner, p.dots, p.name);
        if let Some(level) = level {
            line.push_str(&format!(", added to the credential at level {level}"));
        }
        lines.push(line);
    }
    (b.into_op(), lines)
}

/// One session's vote view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoteView {
    /// Index into the sheet's rows ([`VoteSheet::needs`] or [`VoteSheet::candidates`]).
    pub sel: usize,
    /// The partner a designer places dots for (a partner in the room); partners always place
    /// their own organisation's.
    pub for_partner: Option<String>,
}

/// Whether the whole tally of `ws`'s last vote is shown: unless it is hidden and still open.
/// A hidden tally is hidden from everyone, designers too (their screen is often the one on
/// the projector): each sees the dots of the partner they vote for, and how many were cast.
pub fn sees_tally(ws: &Workspace) -> bool {
    ws.votes.last().is_none_or(|v| !v.hidden || !v.is_open())
}

/// The partner whose dots `role` places: a partner's own organisation, or the one a designer
/// chose (else the first listed partner).
pub fn voting_for<'a>(ws: &'a Workspace, role: &'a Role, view: &'a VoteView) -> Option<&'a str> {
    match role {
        Role::Partner(org) => Some(org.as_str()),
        Role::Viewer => None,
        Role::Designer => view
            .for_partner
            .as_deref()
            .filter(|p| ws.partner(p).is_some())
            .or_else(|| ws.partners.first().map(|p| p.id.as_str())),
    }
}

/// Who was in the room for the last vote: the partners with needs in its scope, how many of
/// them placed a dot, and the names of those that did not (in partner order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Room {
    pub partners: usize,
    pub voted: usize,
    pub not_voted: Vec<String>,
}

impl Room {
    /// "Did not vote: A, B" or "Every partner voted".
    pub fn not_voted_text(&self) -> String {
        if self.not_voted.is_empty() {
            "Every partner voted".to_string()
        } else {
            format!("Did not vote: {}", self.not_voted.join(", "))
        }
    }
}

/// The [`Room`] of the last vote of `ws` with `tally`: one pass over the needs and partners.
pub fn room(ws: &Workspace, tally: &Tally) -> Room {
    let Some(vote) = ws.votes.last() else {
        return Room::default();
    };
    let in_scope: HashSet<&str> = ws
        .needs
        .iter()
        .filter(|n| vote.covers(&n.partner))
        .map(|n| n.partner.as_str())
        .collect();
    let mut r = Room::default();
    for p in ws
        .partners
        .iter()
        .filter(|p| in_scope.contains(p.id.as_str()))
    {
        r.partners += 1;
        if tally.partner(&p.id) > 0 {
            r.voted += 1;
        } else if p.name.is_empty() {
            r.not_voted.push(p.id.clone());
        } else {
            r.not_voted.push(p.name.clone());
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CredentialCompetency, Dot, Partner, PartnerKind, Vote};

    fn ws_with(partners: &[&str]) -> Workspace {
        let mut ws = Workspace::default();
        for p in partners {
            ws.partners.push(Partner {
                id: p.to_string(),
                name: p.to_uppercase(),
                kind: PartnerKind::Industry,
            });
        }
        ws
    }

    fn cand(reference: &str, covered: bool) -> Candidate {
        Candidate {
            reference: reference.into(),
            name: format!("Name of {reference}"),
            covered,
            in_credential: false,
        }
    }

    fn tally(dots: &[(&str, &str)]) -> Tally {
        Tally::new(&Vote {
            opened_by: "d".into(),
            opened_at: "t".into(),
            dots: 20,
            over: VoteOver::Competencies,
            candidates: Vec::new(),
            partner: None,
            hidden: false,
            closed_by: None,
            closed_at: Some("t".into()),
            ballots: dots
                .iter()
                .map(|(c, p)| Dot {
                    need: String::new(),
                    competency: Some(c.to_string()),
                    partner: p.to_string(),
                    person: "x".into(),
                    at: "t".into(),
                })
                .collect(),
        })
    }

    #[test]
    fn promotions_take_uncovered_candidates_with_half_the_top_for_their_keenest_partner() {
        let ws = ws_with(&["a", "b", "c"]);
        let cands = [
            cand("f:TOP", true),
            cand("f:HALF", false),
            cand("f:LOW", false),
            cand("f:TIE", false),
            cand("f:GONE", false),
            cand("f:NONE", false),
        ];
        let t = tally(&[
            // Five on a covered candidate: the top, but a need covers it already.
            ("f:TOP", "a"),
            ("f:TOP", "a"),
            ("f:TOP", "b"),
            ("f:TOP", "b"),
            ("f:TOP", "c"),
            // Three (5 / 2 rounded up): in, for c (two of them).
            ("f:HALF", "a"),
            ("f:HALF", "c"),
            ("f:HALF", "c"),
            // Two: under half the top.
            ("f:LOW", "a"),
            ("f:LOW", "a"),
            // A tie between c and b: b comes first among the partners.
            ("f:TIE", "c"),
            ("f:TIE", "c"),
            ("f:TIE", "b"),
            ("f:TIE", "b"),
            // Only a partner no longer listed voted for it: nobody to give it to.
            ("f:GONE", "z"),
            ("f:GONE", "z"),
            ("f:GONE", "z"),
        ]);
        let p = promotions(&ws, &cands, &t);
        let got: Vec<(&str, usize, &str)> = p
            .iter()
            .map(|p| (p.reference.as_str(), p.dots, p.partner.as_str()))
            .collect();
        assert_eq!(got, [("f:HALF", 3, "c"), ("f:TIE", 4, "b")]);
        assert_eq!(p[0].name, "Name of f:HALF");
        assert!(promotions(&ws, &cands, &Tally::default()).is_empty());
    }

    #[test]
    fn needs_from_a_vote_take_free_ids_and_add_only_missing_competencies() {
        let cat = Catalog::embedded().expect("built-in frameworks");
        let mut ws = ws_with(&["a", "b"]);
        for id in ["N1", "N3"] {
            ws.needs.push(Need {
                id: id.into(),
                partner: "a".into(),
                statement: "x".into(),
                priority: Priority::Must,
                evidence: None,
            });
        }
        ws.competencies.push(CredentialCompetency {
            reference: "building-retrofit:BR-ENV-02".into(),
            target_level: 3,
            hours: None,
            outcome: None,
            assessment: None,
            silence: Vec::new(),
        });
        let promoted = [
            Promotion {
                reference: "building-retrofit:BR-ENV-02".into(),
                name: "Install insulation".into(),
                dots: 1,
                partner: "b".into(),
            },
            Promotion {
                reference: "building-retrofit:BR-ELEC-01".into(),
                name: "Work safely".into(),
                dots: 2,
                partner: "a".into(),
            },
        ];
        let (op, lines) = needs_from_vote(&ws, &cat, &promoted, "2026-11-30");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "N4 of b (1 dot): Install insulation");
        assert!(lines[1].starts_with("N5 of a (2 dots): Work safely, added to the credential"));
        let Op::Batch { ops } = &op else {
            panic!("one batch")
        };
        // need, mapping; need, competency, mapping.
        assert_eq!(ops.len(), 5);
        let Op::InsertNeed { need, at } = &ops[0] else {
            panic!("{:?}", ops[0])
        };
        assert_eq!(
            (need.id.as_str(), *at, need.priority),
            ("N4", 2, Priority::Should)
        );
        assert_eq!(
            need.evidence.as_deref(),
            Some("1 dot in the vote of 2026-11-30")
        );
        let Op::InsertCompetency { competency, .. } = &ops[3] else {
            panic!("{:?}", ops[3])
        };
        assert_eq!(competency.reference, "building-retrofit:BR-ELEC-01");
        assert_eq!(
            competency.target_level,
            cat.default_level(&competency.reference).unwrap()
        );
        let Op::InsertMapping { mapping, at } = &ops[4] else {
            panic!("{:?}", ops[4])
        };
        assert_eq!((mapping.need.as_str(), *at), ("N5", 1));
        assert_eq!(mapping.status, MappingStatus::Proposed);
        // It applies as one change.
        let mut after = ws.clone();
        crate::edit::apply(&mut after, &cat, &crate::edit::Actor::designer("d"), op)
            .expect("applies");
        assert_eq!(
            (
                after.needs.len(),
                after.mappings.len(),
                after.competencies.len()
            ),
            (4, 2, 2)
        );
    }
}
