//! The credential form: every credential field of the workspace format.

use super::{Field, Form, NONE, Purpose, num, opt, words};
use crate::edit::Op;
use crate::model::*;

impl Form {
    /// The credential form: every credential field of the workspace format.
    pub fn credential(c: &Credential) -> Self {
        let details = c.awarding_body_details.as_ref();
        let level = c.level.as_ref();
        let w = c.workload.as_ref();
        let participation = match c.participation {
            None => NONE,
            Some(Participation::Online) => "online",
            Some(Participation::Onsite) => "onsite",
            Some(Participation::Blended) => "blended",
            Some(Participation::WorkBased) => "work-based",
        };
        let standalone = match &c.stackability {
            None => NONE,
            Some(s) if s.standalone => "yes",
            Some(_) => "no",
        };
        Form::new(
            "Credential",
            Purpose::Credential,
            vec![
                Field::text("title", "Title *", opt(&c.title)),
                Field::text("summary", "Summary *", opt(&c.summary)),
                Field::text("version", "Version (e.g. 2027.1)", opt(&c.version)),
                Field::text(
                    "previous_version",
                    "Previous version",
                    opt(&c.previous_version),
                ),
                Field::text("awarding_body", "Awarding body *", opt(&c.awarding_body)),
                Field::text(
                    "country",
                    "Country (ISO code, e.g. CA-BC) *",
                    opt(&c.country),
                ),
                Field::text(
                    "level.scheme",
                    "Level scheme (EQF, NQF, …) *",
                    level.map_or("", |l| &l.scheme),
                ),
                Field::text(
                    "level.value",
                    "Level value *",
                    &level.map(|l| l.value.to_string()).unwrap_or_default(),
                ),
                Field::text(
                    "workload.hours",
                    "Workload hours *",
                    &num(w.map(|w| w.hours)),
                ),
                Field::text(
                    "workload.ects",
                    "ECTS credits",
                    &num(w.and_then(|w| w.ects)),
                ),
                Field::text(
                    "max_hours",
                    "Ceiling for micro (hours, default 150)",
                    &num(c.max_hours),
                ),
                Field::choice(
                    "participation",
                    "Participation *",
                    words(&[NONE, "online", "onsite", "blended", "work-based"]),
                    participation,
                ),
                Field::text(
                    "assessment_type",
                    "Type of assessment *",
                    opt(&c.assessment_type),
                ),
                Field::text(
                    "quality_assurance",
                    "Quality assurance *",
                    opt(&c.quality_assurance),
                ),
                Field::text(
                    "supervision",
                    "Supervision and identity check",
                    opt(&c.supervision),
                ),
                Field::text(
                    "prerequisites",
                    "Prerequisites (separate with ;)",
                    &c.prerequisites.join("; "),
                ),
                Field::choice(
                    "stackability.standalone",
                    "Standalone",
                    words(&[NONE, "yes", "no"]),
                    standalone,
                ),
                Field::text(
                    "stackability.stacks_into",
                    "Stacks into (separate with ;)",
                    &c.stackability
                        .as_ref()
                        .map(|s| s.stacks_into.join("; "))
                        .unwrap_or_default(),
                ),
                Field::text("grading", "Grading", opt(&c.grading)),
                Field::text("validity", "Validity", opt(&c.validity)),
                Field::text(
                    "languages",
                    "Languages (ISO codes: en; fr)",
                    &c.languages.join("; "),
                ),
                Field::text("isced_f", "ISCED-F field code (e.g. 0713)", opt(&c.isced_f)),
                Field::text("homepage", "Web page (https://…)", opt(&c.homepage)),
                Field::text(
                    "awarding_body_details.legal_name",
                    "Awarding body: legal name",
                    details.and_then(|d| d.legal_name.as_deref()).unwrap_or(""),
                ),
                Field::text(
                    "awarding_body_details.country",
                    "Awarding body: country (ISO code)",
                    details.and_then(|d| d.country.as_deref()).unwrap_or(""),
                ),
                Field::text(
                    "awarding_body_details.identifier",
                    "Awarding body: registry identifier",
                    details.and_then(|d| d.identifier.as_deref()).unwrap_or(""),
                ),
                Field::text(
                    "awarding_body_details.url",
                    "Awarding body: web page",
                    details.and_then(|d| d.url.as_deref()).unwrap_or(""),
                ),
                Field::text(
                    "awarding_body_details.email",
                    "Awarding body: contact email",
                    details.and_then(|d| d.email.as_deref()).unwrap_or(""),
                ),
                Field::choice(
                    "awarding_body_details.sector",
                    "Awarding body: sector",
                    std::iter::once(NONE)
                        .chain(AgentSector::ALL.map(AgentSector::as_str))
                        .map(str::to_string)
                        .collect(),
                    details
                        .and_then(|d| d.sector)
                        .map_or(NONE, AgentSector::as_str),
                ),
                Field::choice(
                    "learning_setting",
                    "Learning setting",
                    words(&[NONE, "formal", "non-formal"]),
                    c.learning_setting.map_or(NONE, LearningSetting::as_str),
                ),
                Field::text(
                    "equity.cost",
                    "Equity: cost to learners",
                    opt(&c.equity.cost),
                ),
                Field::text(
                    "equity.flexible_delivery",
                    "Equity: flexible delivery",
                    opt(&c.equity.flexible_delivery),
                ),
                Field::text(
                    "equity.learner_supports",
                    "Equity: learner supports",
                    opt(&c.equity.learner_supports),
                ),
                Field::text(
                    "equity.recognition_of_prior_learning",
                    "Equity: recognition of prior learning",
                    opt(&c.equity.recognition_of_prior_learning),
                ),
                Field::text(
                    "equity.community_partners",
                    "Equity: community partners consulted",
                    opt(&c.equity.community_partners),
                ),
            ],
        )
    }

    /// The credential as the form sets it; its id and review period stay as they are.
    pub(super) fn credential_op(&self, ws: &Workspace) -> Result<Op, String> {
        let mut c = self.credential_value()?;
        let now = &ws.credential;
        // The id is the design's for life: the form does not touch it.
        c.id.clone_from(&now.id);
        // Nor the evidence review period (set in the file).
        c.evidence_review_months = now.evidence_review_months;
        // A new version revises the one before, unless the user named another.
        if c.version != now.version
            && now.version.is_some()
            && c.previous_version == now.previous_version
        {
            c.previous_version.clone_from(&now.version);
        }
        Ok(Op::SetCredential {
            credential: Box::new(c),
        })
    }

    fn credential_value(&self) -> Result<Credential, String> {
        let list = |key: &str| -> Vec<String> {
            self.get(key)
                .split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let level = match (self.get_opt("level.scheme"), self.get_opt("level.value")) {
            (None, None) => None,
            (scheme, value) => {
                let value = value.unwrap_or_default();
                Some(QualificationLevel {
                    scheme: scheme.unwrap_or_default(),
                    value: value
                        .parse::<u32>()
                        .map_or(LevelValue::Text(value), LevelValue::Number),
                })
            }
        };
        let workload = match (
            self.get_num("workload.hours", "Workload hours")?,
            self.get_num("workload.ects", "ECTS")?,
        ) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err("give the workload hours as well as the ECTS credits".into());
            }
            (Some(hours), ects) => Some(Workload { hours, ects }),
        };
        let participation = match self.get("participation").as_str() {
            "online" => Some(Participation::Online),
            "onsite" => Some(Participation::Onsite),
            "blended" => Some(Participation::Blended),
            "work-based" => Some(Participation::WorkBased),
            _ => None,
        };
        let stackability = match self.get("stackability.standalone").as_str() {
            "yes" | "no" => Some(Stackability {
                standalone: self.get("stackability.standalone") == "yes",
                stacks_into: list("stackability.stacks_into"),
            }),
            _ if !list("stackability.stacks_into").is_empty() => Some(Stackability {
                standalone: true,
                stacks_into: list("stackability.stacks_into"),
            }),
            _ => None,
        };
        Ok(Credential {
            evidence_review_months: None,
            id: None,
            version: self.get_opt("version"),
            previous_version: self.get_opt("previous_version"),
            title: self.get_opt("title"),
            summary: self.get_opt("summary"),
            awarding_body: self.get_opt("awarding_body"),
            country: self.get_opt("country"),
            level,
            workload,
            max_hours: self.get_num("max_hours", "The ceiling")?,
            participation,
            assessment_type: self.get_opt("assessment_type"),
            quality_assurance: self.get_opt("quality_assurance"),
            supervision: self.get_opt("supervision"),
            prerequisites: list("prerequisites"),
            stackability,
            grading: self.get_opt("grading"),
            validity: self.get_opt("validity"),
            languages: list("languages"),
            isced_f: self.get_opt("isced_f"),
            homepage: self.get_opt("homepage"),
            awarding_body_details: {
                let d = AwardingBodyDetails {
                    legal_name: self.get_opt("awarding_body_details.legal_name"),
                    country: self.get_opt("awarding_body_details.country"),
                    identifier: self.get_opt("awarding_body_details.identifier"),
                    url: self.get_opt("awarding_body_details.url"),
                    email: self.get_opt("awarding_body_details.email"),
                    sector: AgentSector::from_word(&self.get("awarding_body_details.sector")),
                };
                (d != AwardingBodyDetails::default()).then_some(d)
            },
            learning_setting: match self.get("learning_setting").as_str() {
                "formal" => Some(LearningSetting::Formal),
                "non-formal" => Some(LearningSetting::NonFormal),
                _ => None,
            },
            equity: Equity {
                cost: self.get_opt("equity.cost"),
                flexible_delivery: self.get_opt("equity.flexible_delivery"),
                learner_supports: self.get_opt("equity.learner_supports"),
                recognition_of_prior_learning: self.get_opt("equity.recognition_of_prior_learning"),
                community_partners: self.get_opt("equity.community_partners"),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::example;
    use super::*;

    fn credential_of(op: Result<Op, String>) -> Credential {
        match op {
            Ok(Op::SetCredential { credential }) => *credential,
            other => panic!("not a credential: {other:?}"),
        }
    }

    #[test]
    fn the_form_gives_back_the_credential_it_shows() {
        let (ws, _) = example();
        let f = Form::credential(&ws.credential);
        assert_eq!(credential_of(f.to_op(&ws, "d", "t")), ws.credential);
    }

    #[test]
    fn a_new_version_revises_the_one_before_and_the_id_stays() {
        let (mut ws, _) = example();
        ws.credential.id = Some("urn:x".into());
        ws.credential.version = Some("1".into());
        let mut f = Form::credential(&ws.credential);
        f.set("version", "2");
        f.set("languages", "en; ; fr");
        let c = credential_of(f.to_op(&ws, "d", "t"));
        assert_eq!(c.id.as_deref(), Some("urn:x"));
        assert_eq!(c.version.as_deref(), Some("2"));
        assert_eq!(c.previous_version.as_deref(), Some("1"));
        assert_eq!(c.languages, ["en", "fr"]);
    }

    #[test]
    fn numbers_and_credits_are_checked() {
        let (ws, _) = example();
        let mut f = Form::credential(&ws.credential);
        f.set("workload.hours", "sixty");
        assert_eq!(
            f.to_op(&ws, "d", "t"),
            Err("Workload hours must be a number, not `sixty`".into())
        );
        f.set("workload.hours", "");
        f.set("workload.ects", "2");
        assert_eq!(
            f.to_op(&ws, "d", "t"),
            Err("give the workload hours as well as the ECTS credits".into())
        );
    }
}
