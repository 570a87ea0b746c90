use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The value of `schema:` in a workspace file.
pub const WORKSPACE_SCHEMA: &str = "microcred/workspace@1";
/// The version of a design that does not name one.
pub const FIRST_VERSION: &str = "1";
/// The ceiling for "micro" when `max_hours` is not set.
pub const DEFAULT_MAX_HOURS: f64 = 150.0;

/// One micro-credential design: the document that every view shows and every `Op` changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    /// Always `microcred/workspace@1`.
    #[schemars(length(max = crate::limits::SHORT))]
    pub schema: String,
    /// Framework versions pinned for provenance; a mismatch is a warning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<FrameworkPin>,
    #[serde(default)]
    pub credential: Credential,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<Need>,
    /// What the credential teaches and assesses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competencies: Vec<CredentialCompetency>,
    /// Why each competency is there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<Mapping>,
    /// Partners' sign-offs of the whole design, each naming the design it signed (see
    /// [`crate::model::signoff`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sign_offs: Vec<SignOff>,
    /// Job postings kept as evidence of industry need, each with what extraction found in it
    /// (`microcred evidence add`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postings: Vec<Posting>,
    /// Dot votes over needs in the workshop, oldest first; only the last can be open (see
    /// [`crate::model::vote`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub votes: Vec<Vote>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            schema: WORKSPACE_SCHEMA.to_string(),
            frameworks: Vec::new(),
            credential: Credential::default(),
            partners: Vec::new(),
            needs: Vec::new(),
            competencies: Vec::new(),
            mappings: Vec::new(),
            sign_offs: Vec::new(),
            postings: Vec::new(),
            votes: Vec::new(),
        }
    }
}

/// A framework version the workspace was designed against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkPin {
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    #[schemars(length(max = crate::limits::SHORT))]
    pub version: String,
}

/// The credential's own elements (EU micro-credential elements plus equity).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// The design's stable id, a URN (`urn:uuid:…`) given when the design is first saved and
    /// kept for its life; every export uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub id: Option<String>,
    /// This version of the design, as text (e.g. `2027.1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub version: Option<String>,
    /// The version this one revises, when known (set by the editor when the version changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub previous_version: Option<String>,
    /// Required to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub title: Option<String>,
    /// Required to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub summary: Option<String>,
    /// Required to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub awarding_body: Option<String>,
    /// Required to export: ISO 3166 code, region allowed (CA-BC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub country: Option<String>,
    /// Required to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<QualificationLevel>,
    /// Required to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Workload>,
    /// Ceiling for "micro" (default 150).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_hours: Option<f64>,
    /// Required to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation: Option<Participation>,
    /// Required to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub assessment_type: Option<String>,
    /// Required to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub quality_assurance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub supervision: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(max = crate::limits::TEXT)))]
    pub prerequisites: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stackability: Option<Stackability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub grading: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub validity: Option<String>,
    /// Languages of instruction, as ISO 639 codes (`en`, `fr`); registries ask for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(max = crate::limits::SHORT)))]
    pub languages: Vec<String>,
    /// The ISCED-F 2013 field of education and training: a 2-, 3- or 4-digit code (`0713`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub isced_f: Option<String>,
    /// The credential's web page (`https://…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::URI))]
    pub homepage: Option<String>,
    /// The awarding body as registries identify it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarding_body_details: Option<AwardingBodyDetails>,
    /// Formal or non-formal learning (ELM's learning setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learning_setting: Option<LearningSetting>,
    /// Each blank field is an equity question in the gap pane.
    #[serde(default, skip_serializing_if = "Equity::is_empty")]
    pub equity: Equity,
    /// Months after which a need's newest evidence (posting date) is stale (default 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_review_months: Option<u32>,
}

/// The awarding body's legal identity, for registries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardingBodyDetails {
    /// The registered legal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub legal_name: Option<String>,
    /// Where it is registered: ISO 3166 code (`CA`, `IE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub country: Option<String>,
    /// A registry identifier (a legal entity id, VAT number, or a URI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::URI))]
    pub identifier: Option<String>,
    /// Its own web page (CTDL `subjectWebpage`, Open Badges creator `url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::URI))]
    pub url: Option<String>,
    /// A contact address (Open Badges creator `email`, CTDL `email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub email: Option<String>,
    /// Public or private, for profit or not (CTDL `agentSectorType`, which Credential
    /// Engine's registry requires of an organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<AgentSector>,
}

/// The sector an organisation belongs to (CTDL's `agentSector` concepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AgentSector {
    Public,
    PrivateNonProfit,
    PrivateForProfit,
}

impl AgentSector {
    /// Every sector, in the order the credential form offers them.
    pub const ALL: [AgentSector; 3] = [
        AgentSector::Public,
        AgentSector::PrivateNonProfit,
        AgentSector::PrivateForProfit,
    ];

    /// The word used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            AgentSector::Public => "public",
            AgentSector::PrivateNonProfit => "private-non-profit",
            AgentSector::PrivateForProfit => "private-for-profit",
        }
    }

    /// The sector a file's word names.
    pub fn from_word(word: &str) -> Option<AgentSector> {
        AgentSector::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// ELM's learning setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LearningSetting {
    Formal,
    NonFormal,
}

impl LearningSetting {
    /// The word used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            LearningSetting::Formal => "formal",
            LearningSetting::NonFormal => "non-formal",
        }
    }
}

/// A qualification level on a named scheme (EQF, NQF or other text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualificationLevel {
    #[schemars(length(max = crate::limits::NAME))]
    pub scheme: String,
    pub value: LevelValue,
}

/// A level value: a number (EQF 5) or text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum LevelValue {
    Number(u32),
    Text(#[schemars(length(max = crate::limits::NAME))] String),
}

impl std::fmt::Display for LevelValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LevelValue::Number(n) => write!(f, "{n}"),
            LevelValue::Text(t) => f.write_str(t),
        }
    }
}

/// Notional workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Greater than 0.
    pub hours: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ects: Option<f64>,
}

/// Form of participation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Participation {
    Online,
    Onsite,
    Blended,
    WorkBased,
}

/// How the credential stacks with others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stackability {
    pub standalone: bool,
    #[serde(default)]
    #[schemars(inner(length(max = crate::limits::NAME)))]
    pub stacks_into: Vec<String>,
}

/// Equity and access; each blank field is an open question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Equity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub cost: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub flexible_delivery: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub learner_supports: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub recognition_of_prior_learning: Option<String>,
    /// e.g. Indigenous or community organisations consulted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub community_partners: Option<String>,
}

impl Equity {
    /// The five equity questions, in schema order, with their values.
    pub fn fields(&self) -> [(&'static str, Option<&str>); 5] {
        [
            ("cost", self.cost.as_deref()),
            ("flexible_delivery", self.flexible_delivery.as_deref()),
            ("learner_supports", self.learner_supports.as_deref()),
            (
                "recognition_of_prior_learning",
                self.recognition_of_prior_learning.as_deref(),
            ),
            ("community_partners", self.community_partners.as_deref()),
        ]
    }

    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, v)| v.is_none())
    }
}

/// Kind of partner organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PartnerKind {
    Industry,
    Institution,
    Community,
}

/// A partner's sign-off of the whole design: who, for which partner, when, and the
/// [`crate::model::signoff::design_hash`] of the design they signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    /// The person who signed.
    #[schemars(length(max = crate::limits::NAME))]
    pub person: String,
    /// The partner id they signed for.
    #[schemars(length(max = crate::limits::ID))]
    pub partner: String,
    /// When (RFC 3339, UTC).
    #[schemars(length(max = crate::limits::SHORT))]
    pub at: String,
    /// SHA-256 (hex) of the design they signed.
    #[schemars(length(max = crate::limits::SHORT))]
    pub design: String,
    /// The SSH key fingerprint they connected with, when signed over SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub key: Option<String>,
}

// ----- dot voting (see `crate::model::vote`) ----------------------------------------------

/// A dot vote over needs (or candidate competencies): each partner organisation places up to
/// `dots` dots on the needs in scope (or the candidates); a designer opens and closes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    /// The designer who opened it.
    #[schemars(length(max = crate::limits::NAME))]
    pub opened_by: String,
    /// When (RFC 3339, UTC).
    #[schemars(length(max = crate::limits::SHORT))]
    pub opened_at: String,
    /// Dots each partner organisation may place (1 to 20).
    #[schemars(range(min = 1, max = 20))]
    pub dots: u32,
    /// What is voted on: the needs (absent) or the candidate competencies in `candidates`.
    #[serde(default, skip_serializing_if = "VoteOver::is_needs")]
    pub over: VoteOver,
    /// A vote over competencies: the competencies voted on (`FRAMEWORK_ID:COMPETENCY_ID`),
    /// fixed when it opens (at most 60).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = crate::model::vote::MAX_CANDIDATES), inner(length(max = crate::limits::REFERENCE)))]
    pub candidates: Vec<String>,
    /// Only this partner's needs are voted on; absent: all needs (a vote over needs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::ID))]
    pub partner: Option<String>,
    /// Until it closes, everyone sees only their own organisation's dots and how many were cast.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// The designer who closed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub closed_by: Option<String>,
    /// When it closed (RFC 3339, UTC); absent while open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub closed_at: Option<String>,
    /// Every dot placed, in the order placed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ballots: Vec<Dot>,
}

/// What a vote is over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteOver {
    /// The needs (all, or one partner's).
    #[default]
    Needs,
    /// The candidate competencies listed in the vote.
    Competencies,
}

impl VoteOver {
    /// True for a vote over needs (the default, left out of files).
    pub fn is_needs(&self) -> bool {
        *self == VoteOver::Needs
    }
}

/// One dot: on which need (or candidate competency), for which partner, by whom, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dot {
    /// A need id (a vote over needs); empty in a vote over competencies.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(length(max = crate::limits::ID))]
    pub need: String,
    /// A candidate competency, `FRAMEWORK_ID:COMPETENCY_ID` (a vote over competencies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::REFERENCE))]
    pub competency: Option<String>,
    /// The partner id whose dot it is.
    #[schemars(length(max = crate::limits::ID))]
    pub partner: String,
    /// The person who placed it (a partner's reviewer, or a designer for a partner in the room).
    #[schemars(length(max = crate::limits::NAME))]
    pub person: String,
    /// When (RFC 3339, UTC).
    #[schemars(length(max = crate::limits::SHORT))]
    pub at: String,
}

// ----- end of dot voting ------------------------------------------------------------------

/// An organisation taking part in the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    #[schemars(length(max = crate::limits::NAME))]
    pub name: String,
    pub kind: PartnerKind,
}

/// How much a need matters: must, should or could (weights 3, 2, 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Must,
    Should,
    Could,
}

impl Priority {
    /// The weight of the priority in weighted coverage.
    pub fn weight(self) -> f64 {
        match self {
            Priority::Must => 3.0,
            Priority::Should => 2.0,
            Priority::Could => 1.0,
        }
    }

    /// The word used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Must => "must",
            Priority::Should => "should",
            Priority::Could => "could",
        }
    }
}

/// What a partner says they need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Need {
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    /// A partner id.
    #[schemars(length(max = crate::limits::ID))]
    pub partner: String,
    #[schemars(length(max = crate::limits::TEXT))]
    pub statement: String,
    pub priority: Priority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub evidence: Option<String>,
}

/// How a competency is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AssessmentMethod {
    Project,
    Exam,
    Portfolio,
    Observation,
    Presentation,
    Other,
}

impl AssessmentMethod {
    /// Every method, in schema order.
    pub const ALL: [AssessmentMethod; 6] = [
        AssessmentMethod::Project,
        AssessmentMethod::Exam,
        AssessmentMethod::Portfolio,
        AssessmentMethod::Observation,
        AssessmentMethod::Presentation,
        AssessmentMethod::Other,
    ];

    /// The word used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentMethod::Project => "project",
            AssessmentMethod::Exam => "exam",
            AssessmentMethod::Portfolio => "portfolio",
            AssessmentMethod::Observation => "observation",
            AssessmentMethod::Presentation => "presentation",
            AssessmentMethod::Other => "other",
        }
    }
}

/// An assessment of one competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub method: AssessmentMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub description: Option<String>,
}

/// A competency the credential teaches and assesses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialCompetency {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    #[serde(rename = "ref")]
    #[schemars(length(max = crate::limits::REFERENCE))]
    pub reference: String,
    /// On that framework's scale.
    pub target_level: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    /// The learning outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    /// Outcome rules this design keeps silent for this competency, each with its reason
    /// (see `analysis::outcomes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub silence: Vec<crate::model::Silence>,
}

/// A partner's review state of a mapping.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MappingStatus {
    #[default]
    Proposed,
    Agreed,
    Disputed,
    Rejected,
}

impl MappingStatus {
    /// The word used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            MappingStatus::Proposed => "proposed",
            MappingStatus::Agreed => "agreed",
            MappingStatus::Disputed => "disputed",
            MappingStatus::Rejected => "rejected",
        }
    }

    /// The word as a heading or the first word of a message ("Agreed").
    pub fn heading(self) -> &'static str {
        match self {
            MappingStatus::Proposed => "Proposed",
            MappingStatus::Agreed => "Agreed",
            MappingStatus::Disputed => "Disputed",
            MappingStatus::Rejected => "Rejected",
        }
    }
}

/// A comment on a mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    #[schemars(length(max = crate::limits::NAME))]
    pub by: String,
    /// RFC 3339 time.
    #[schemars(length(max = crate::limits::SHORT))]
    pub at: String,
    #[schemars(length(max = crate::limits::COMMENT))]
    pub text: String,
}

/// Ties a need to a competency that answers it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A need id.
    #[schemars(length(max = crate::limits::ID))]
    pub need: String,
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    #[schemars(length(max = crate::limits::REFERENCE))]
    pub competency: String,
    /// The level the need calls for, on the framework's scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_level: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub rationale: Option<String>,
    #[serde(default)]
    pub status: MappingStatus,
    /// Who agreed (a reviewer of the need's partner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub agreed_by: Option<String>,
    /// Who last changed `status` (absent in files written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub status_by: Option<String>,
    /// When `status` last changed (RFC 3339 time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub status_at: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
}

/// Id-keyed lookups into one workspace, built once (one pass over each list) so that a loop
/// over the document looks things up by id instead of scanning a list. The first of
/// duplicated ids wins, as with [`Workspace::need`] and the others.
#[derive(Debug, Clone, Default)]
pub struct Lookup<'a> {
    /// Partner index by id.
    pub partners: HashMap<&'a str, usize>,
    /// Need index by id.
    pub needs: HashMap<&'a str, usize>,
    /// Credential competency index by reference.
    pub competencies: HashMap<&'a str, usize>,
    /// Mapping indexes by need id, in document order.
    pub mappings_of: HashMap<&'a str, Vec<usize>>,
    /// Mapping index by (need id, competency reference).
    pub mapping: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> Lookup<'a> {
    /// The lookups of `ws`.
    pub fn new(ws: &'a Workspace) -> Self {
        fn first<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
            let mut m = HashMap::new();
            for (i, id) in ids.enumerate() {
                m.entry(id).or_insert(i);
            }
            m
        }
        let mut mappings_of: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut mapping = HashMap::with_capacity(ws.mappings.len());
        for (i, m) in ws.mappings.iter().enumerate() {
            mappings_of.entry(m.need.as_str()).or_default().push(i);
            mapping
                .entry((m.need.as_str(), m.competency.as_str()))
                .or_insert(i);
        }
        Lookup {
            partners: first(ws.partners.iter().map(|p| p.id.as_str())),
            needs: first(ws.needs.iter().map(|n| n.id.as_str())),
            competencies: first(ws.competencies.iter().map(|c| c.reference.as_str())),
            mappings_of,
            mapping,
        }
    }

    /// The mapping indexes of need `id`, in document order.
    pub fn mappings_of(&self, id: &str) -> &[usize] {
        self.mappings_of.get(id).map_or(&[], Vec::as_slice)
    }
}

impl Workspace {
    /// The partner with this id.
    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.iter().find(|p| p.id == id)
    }
    /// The need with this id.
    pub fn need(&self, id: &str) -> Option<&Need> {
        self.needs.iter().find(|n| n.id == id)
    }
    /// The credential competency with this reference.
    pub fn competency(&self, reference: &str) -> Option<&CredentialCompetency> {
        self.competencies.iter().find(|c| c.reference == reference)
    }
    /// Index of the mapping of `need` to `competency`.
    pub fn mapping_index(&self, need: &str, competency: &str) -> Option<usize> {
        self.mappings
            .iter()
            .position(|m| m.need == need && m.competency == competency)
    }
}

/// A job posting kept as evidence of industry need: its text, where and when it came from, and
/// the competencies extraction found in it (with the sentences that mention each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Posting {
    /// Unique among the postings (`P1`, `P2`, …).
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    /// The first line or heading, or the CSV's title column.
    #[schemars(length(max = crate::limits::NAME))]
    pub title: String,
    /// Where it came from: the file name, or what `--source` said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::URI))]
    pub source: Option<String>,
    /// When it was posted or collected, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub date: Option<String>,
    /// The partner it came from, when one gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::ID))]
    pub partner: Option<String>,
    /// SHA-256 (hex) of the text, to spot the same posting added twice.
    #[schemars(length(max = crate::limits::SHORT))]
    pub sha256: String,
    /// The posting's text.
    #[schemars(length(max = crate::limits::POSTING))]
    pub text: String,
    /// What extraction found, one entry per competency reference, in order of reference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
}

/// A competency a posting mentions, with the sentences that mention it (the quotes a partner
/// can read) and the best score the suggester gave one of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    #[serde(rename = "ref")]
    #[schemars(length(max = crate::limits::REFERENCE))]
    pub competency: String,
    /// The best score of a sentence for it (rounded to 4 decimals).
    pub score: f64,
    /// The sentences (or bullets) that mention it, in the posting's order.
    #[schemars(inner(length(max = crate::limits::TEXT)))]
    pub quotes: Vec<String>,
}

/// A job posting as read from a file, before it is stored: where it came from (the file name,
/// or `FILE.csv line N`), its title when the file gave one (a CSV title column) and its text
/// (checked and tidied by the reader). `analysis::evidence::prepare` turns these into
/// [`Posting`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPosting {
    pub source: String,
    pub title: Option<String>,
    pub text: String,
}

impl Workspace {
    /// The posting with this id.
    pub fn posting(&self, id: &str) -> Option<&Posting> {
        self.postings.iter().find(|p| p.id == id)
    }
}
