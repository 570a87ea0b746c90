use serde::{Deserialize, Serialize};

use crate::model::*;

/// Who is making a change, and in what role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Shown on comments and agreements.
    pub name: String,
    pub role: Role,
}

/// What an actor may do (see DESIGN.md, "Roles").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything in the workspace.
    Designer,
    /// A reviewer for this partner id: their own organisation's needs, and review of the
    /// mappings of those needs.
    Partner(String),
    /// Reads only.
    Viewer,
}

impl Actor {
    /// A designer with this name.
    pub fn designer(name: &str) -> Self {
        Actor {
            name: name.into(),
            role: Role::Designer,
        }
    }
}

/// Who changed a mapping's status and when (see [`Op::SetMappingStatus`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// RFC 3339 time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

impl StatusRecord {
    /// `by` at `at`.
    pub fn new(by: &str, at: &str) -> Self {
        StatusRecord {
            by: Some(by.into()),
            at: Some(at.into()),
        }
    }
}

/// One change to a workspace. Applying it returns another `Op` that undoes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    InsertPartner {
        at: usize,
        partner: Partner,
    },
    /// Replace the partner `id`; its id may change only while no need refers to it.
    UpdatePartner {
        id: String,
        partner: Partner,
    },
    /// Remove a partner that no need refers to.
    RemovePartner {
        id: String,
    },
    InsertNeed {
        at: usize,
        need: Need,
    },
    /// Replace the need `id`; its id may change only while no mapping refers to it.
    UpdateNeed {
        id: String,
        need: Need,
    },
    /// Remove a need that no mapping refers to.
    RemoveNeed {
        id: String,
    },
    /// Replace the credential's own fields.
    SetCredential {
        credential: Box<Credential>,
    },
    InsertCompetency {
        at: usize,
        competency: CredentialCompetency,
    },
    /// Replace the credential competency with this reference (the reference stays).
    UpdateCompetency {
        reference: String,
        competency: CredentialCompetency,
    },
    RemoveCompetency {
        reference: String,
    },
    InsertMapping {
        at: usize,
        mapping: Mapping,
    },
    /// Replace a mapping (its need and competency stay).
    UpdateMapping {
        need: String,
        competency: String,
        mapping: Mapping,
    },
    RemoveMapping {
        need: String,
        competency: String,
    },
    /// Agree, dispute, reject or re-propose a mapping.
    SetMappingStatus {
        need: String,
        competency: String,
        status: MappingStatus,
        agreed_by: Option<String>,
        /// Why (the editor asks for it on dispute and reject): added to the mapping's
        /// comments as `Disputed: …` or `Rejected: …`, stamped with who and when.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Who changes the status and when, kept as the mapping's `status_by` and `status_at`.
        /// Left out (older journals), it is the actor and the time of applying; a partner's is
        /// always their own name. An undo carries back what was there before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<StatusRecord>,
    },
    AddComment {
        need: String,
        competency: String,
        at: usize,
        comment: Comment,
    },
    RemoveComment {
        need: String,
        competency: String,
        index: usize,
    },
    /// Give the design its stable id (the Hub does it on the first save of a design without
    /// one), or take it away again (only ever as the inverse, when recovering).
    SetCredentialId {
        id: Option<String>,
    },
    /// Record, replace or withdraw `person`'s sign-off for `partner`. With `signing`, the
    /// sign-off must name the design as it is when applied (else it is refused: the design
    /// changed while they were signing); undo and redo restore records as they were.
    SetSignOff {
        person: String,
        partner: String,
        sign_off: Option<SignOff>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        signing: bool,
        /// Where a new record goes (an undo puts a withdrawn one back where it was); else in
        /// order of partner and person.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    /// Add a job posting (with what extraction found in it) as evidence; designers only.
    InsertPosting {
        at: usize,
        posting: Box<Posting>,
    },
    /// Remove the posting `id`; designers only.
    RemovePosting {
        id: String,
    },
    // ----- dot voting (see `crate::model::vote`) -----
    /// Open a dot vote (designers): appended as the last vote; refused while another is open.
    /// Also puts a removed vote back, dots and all (the inverse of [`Op::RemoveVote`]).
    OpenVote {
        vote: Box<Vote>,
    },
    /// Remove the last vote with its dots (designers; the inverse of [`Op::OpenVote`]).
    RemoveVote {},
    /// Close the last vote (`closed_at` set, with who), or open it again (`None`): designers.
    SetVoteClosed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        closed_by: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        closed_at: Option<String>,
    },
    /// Place a dot on a need (or, in a vote over competencies, a candidate) in the open vote:
    /// partners for their own organisation (as themselves), designers for any partner (a
    /// partner in the room). Refused when the partner has used all its dots, or the dot's
    /// target does not fit the vote. `at`: where it goes among the dots (an undo puts a
    /// removed dot back where it was, even if its need or partner has gone since); else last.
    PlaceDot {
        dot: Dot,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    /// Take back partner `partner`'s last dot on need `need` (or, with `competency`, on that
    /// candidate competency) in the open vote.
    RemoveDot {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        need: String,
        partner: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        competency: Option<String>,
    },
    /// Several changes as one step (e.g. a need with its mappings).
    Batch {
        ops: Vec<Op>,
    },
}
