//! The dot vote view's state: which need is selected, which partner a designer places dots
//! for, and the rows and tally of one document version (made once per version and shared by
//! every session, so drawing costs what is on screen).

use crate::edit::Role;
use crate::model::vote::{Tally, proposed_priorities};
use crate::model::{Priority, Workspace};

/// The rows and tally of the vote view for one version of the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VoteSheet {
    /// The needs voted on (indexes into `needs`), in the needs pane's order: all needs while
    /// there is no vote, else those in the last vote's scope.
    pub needs: Vec<usize>,
    /// The last vote's tally (empty when there is no vote).
    pub tally: Tally,
    /// How many partners have placed at least one dot.
    pub voters: usize,
    /// The priority changes the last vote's tally proposes: (need id, from, to).
    pub proposed: Vec<(String, Priority, Priority)>,
}

impl VoteSheet {
    /// The sheet of `ws`, with its needs in `order` (the needs pane's display order).
    pub fn new(ws: &Workspace, order: &[usize]) -> VoteSheet {
        let vote = ws.votes.last();
        let needs = order
            .iter()
            .copied()
            .filter(|&i| vote.is_none_or(|v| v.covers(&ws.needs[i].partner)))
            .collect();
        let tally = vote.map(Tally::new).unwrap_or_default();
        let voters = tally.per_partner.len();
        let proposed = proposed_priorities(ws, &tally);
        VoteSheet {
            needs,
            tally,
            voters,
            proposed,
        }
    }
}

/// One session's vote view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoteView {
    /// Index into [`VoteSheet::needs`].
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
