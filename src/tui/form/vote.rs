//! The form that opens a dot vote.

use super::{Field, Form, Purpose};
use crate::edit::Op;
use crate::model::*;

/// The scope choice of a vote over every need.
const ALL_NEEDS: &str = "all needs";
/// What a vote is over.
const OVER_NEEDS: &str = "needs";
const OVER_COMPETENCIES: &str = "candidate competencies";
/// The tally choices of a vote.
const TALLY_SHOWN: &str = "shown live";
const TALLY_HIDDEN: &str = "hidden until closed";

impl Form {
    /// Open a dot vote: over the needs or candidate competencies (the credential's, then
    /// those job postings show in demand that no need covers), how many dots each partner
    /// gets (3 unless chosen), over all needs or one partner's (needs only), with the tally
    /// shown live or hidden until the vote closes.
    pub fn open_vote(ws: &Workspace) -> Self {
        use crate::model::vote::{DEFAULT_DOTS, MAX_DOTS};
        let dots: Vec<String> = (1..=MAX_DOTS).map(|n| n.to_string()).collect();
        let in_demand = crate::analysis::demand::demand(ws).uncovered;
        let candidates = crate::model::vote::candidates(ws, &in_demand).len();
        let over_help = vec![
            "Partners place dots on the needs (in the scope below).".to_string(),
            format!(
                "Partners place dots on {candidates} candidates: the credential's {} competencies, then those job postings show in demand that no need covers ({} of them); at most {}. The partner scope does not apply.",
                ws.competencies.len(),
                in_demand.len(),
                crate::model::vote::MAX_CANDIDATES
            ),
        ];
        let mut scope = vec![ALL_NEEDS.to_string()];
        scope.extend(ws.partners.iter().map(|p| p.id.clone()));
        let mut scope_help = vec![format!("All {} needs.", ws.needs.len())];
        scope_help.extend(
            ws.partners
                .iter()
                .map(|p| format!("Only {}'s needs.", p.name)),
        );
        Form::new(
            "Open a dot vote",
            Purpose::OpenVote,
            vec![
                Field::choice(
                    "over",
                    "Vote on",
                    vec![OVER_NEEDS.into(), OVER_COMPETENCIES.into()],
                    OVER_NEEDS,
                )
                .with_help(over_help),
                Field::choice("dots", "Dots per partner", dots, &DEFAULT_DOTS.to_string()),
                Field::choice("scope", "Needs voted on", scope, ALL_NEEDS).with_help(scope_help),
                Field::choice(
                    "tally",
                    "Tally",
                    vec![TALLY_SHOWN.into(), TALLY_HIDDEN.into()],
                    TALLY_SHOWN,
                )
                .with_help(vec![
                    "Everyone sees the dots as they are placed.".into(),
                    "Until the vote closes, everyone (designers too) sees only their own organisation's dots and how many were cast.".into(),
                ]),
            ],
        )
        .with_note(
            "Each partner organisation places its dots from its own screen (V); a designer can place them for a partner in the room.".to_string(),
        )
    }

    /// The vote opened, by whom and when; over competencies, with its candidates fixed now.
    pub(super) fn open_vote_op(
        &self,
        ws: &Workspace,
        actor_name: &str,
        now: &str,
    ) -> Result<Op, String> {
        let dots = self
            .get("dots")
            .parse::<u32>()
            .map_err(|_| "choose how many dots each partner gets")?;
        let scope = self.get("scope");
        let (over, candidates, scope) = if self.get("over") == OVER_COMPETENCIES {
            let in_demand = crate::analysis::demand::demand(ws).uncovered;
            let candidates = crate::model::vote::candidates(ws, &in_demand);
            if candidates.is_empty() {
                return Err("there are no candidate competencies: add competencies to the credential, or job postings as evidence".into());
            }
            (VoteOver::Competencies, candidates, None)
        } else {
            let scope = (scope != ALL_NEEDS && !scope.is_empty()).then_some(scope);
            (VoteOver::Needs, Vec::new(), scope)
        };
        Ok(Op::OpenVote {
            vote: Box::new(Vote {
                opened_by: actor_name.into(),
                opened_at: now.into(),
                dots,
                over,
                candidates,
                partner: scope,
                hidden: self.get("tally") == TALLY_HIDDEN,
                closed_by: None,
                closed_at: None,
                ballots: Vec::new(),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::example;
    use super::*;

    fn vote_of(op: Result<Op, String>) -> Vote {
        match op {
            Ok(Op::OpenVote { vote }) => *vote,
            other => panic!("not a vote: {other:?}"),
        }
    }

    #[test]
    fn a_vote_opens_over_the_needs_by_default() {
        let (ws, _) = example();
        let v = vote_of(Form::open_vote(&ws).to_op(&ws, "dana", "t"));
        assert_eq!(v.over, VoteOver::Needs);
        assert_eq!(v.dots, crate::model::vote::DEFAULT_DOTS);
        assert_eq!((v.partner, v.hidden), (None, false));
        assert_eq!((v.opened_by.as_str(), v.opened_at.as_str()), ("dana", "t"));
        assert!(v.candidates.is_empty() && v.ballots.is_empty());
    }

    #[test]
    fn a_vote_can_be_scoped_hidden_or_over_competencies() {
        let (ws, _) = example();
        let mut f = Form::open_vote(&ws);
        f.set("scope", "coastline-energy");
        f.set("tally", TALLY_HIDDEN);
        f.set("dots", "5");
        let v = vote_of(f.to_op(&ws, "d", "t"));
        assert_eq!(v.partner.as_deref(), Some("coastline-energy"));
        assert!(v.hidden);
        assert_eq!(v.dots, 5);
        f.set("over", OVER_COMPETENCIES);
        let v = vote_of(f.to_op(&ws, "d", "t"));
        assert_eq!(v.over, VoteOver::Competencies);
        assert_eq!(v.partner, None, "the partner scope is for needs only");
        assert!(!v.candidates.is_empty());
        let empty = Workspace::default();
        let mut f = Form::open_vote(&empty);
        f.set("over", OVER_COMPETENCIES);
        assert!(
            f.to_op(&empty, "d", "t")
                .is_err_and(|e| e.starts_with("there are no candidate"))
        );
    }
}
