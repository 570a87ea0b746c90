//! The rules of learning-outcome quality, by id, and a design's choice to silence one for a
//! competency (the checks themselves are in `analysis::outcomes`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One rule of outcome quality, by the id used in files and reports.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeRule {
    /// An unobservable verb (know, understand) or its noun after a light verb.
    VagueVerb,
    /// The outcome does not open with an action verb (after any framing).
    NoActionVerbStart,
    /// More than one main action verb.
    MultiVerb,
    /// Neither a condition nor a standard.
    NoConditionOrCriterion,
    /// More than 40 words, framing included.
    TooLong,
    /// Fewer than 4 words after the framing.
    TooShort,
    /// The verb's Bloom band does not suit the credential's EQF level (a warning).
    LevelMismatch,
    /// The assessment method cannot observe the verb (a warning).
    AssessmentFit,
    /// The same outcome on two competencies.
    Duplicate,
}

impl OutcomeRule {
    /// Every rule, in report order.
    pub const ALL: [OutcomeRule; 9] = [
        OutcomeRule::VagueVerb,
        OutcomeRule::NoActionVerbStart,
        OutcomeRule::MultiVerb,
        OutcomeRule::NoConditionOrCriterion,
        OutcomeRule::TooLong,
        OutcomeRule::TooShort,
        OutcomeRule::LevelMismatch,
        OutcomeRule::AssessmentFit,
        OutcomeRule::Duplicate,
    ];

    /// The id used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeRule::VagueVerb => "vague_verb",
            OutcomeRule::NoActionVerbStart => "no_action_verb_start",
            OutcomeRule::MultiVerb => "multi_verb",
            OutcomeRule::NoConditionOrCriterion => "no_condition_or_criterion",
            OutcomeRule::TooLong => "too_long",
            OutcomeRule::TooShort => "too_short",
            OutcomeRule::LevelMismatch => "level_mismatch",
            OutcomeRule::AssessmentFit => "assessment_fit",
            OutcomeRule::Duplicate => "duplicate",
        }
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == id)
    }

    /// A warning only: the design may keep it on purpose.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            OutcomeRule::LevelMismatch | OutcomeRule::AssessmentFit
        )
    }
}

/// A rule silenced for one competency's outcome, with the reason reviewers read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Silence {
    pub rule: OutcomeRule,
    /// Why the outcome is kept as it is; shown wherever the rule would have been.
    #[schemars(length(max = crate::limits::TEXT))]
    pub reason: String,
}
