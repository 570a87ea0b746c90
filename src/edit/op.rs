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
    /// Several changes as one step (e.g. a need with its mappings).
    Batch {
        ops: Vec<Op>,
    },
}
