//! Readiness per format: the workspace elements each export format needs beyond what every
//! export needs (the blockers of [`super::spec::verdict`]). `check` lists them per format, the
//! gap panes show them, and `export --format F` refuses on exactly F's list.

use super::Format;
use crate::model::Workspace;

/// One element a format needs that the design does not give yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Missing {
    /// Where it goes in the workspace, e.g. `credential.isced_f`.
    pub at: &'static str,
    /// What it is, as a phrase after "needs": "an ISCED-F field code".
    pub what: &'static str,
}

/// One element a format requires: where, in words, and a test of the workspace.
#[derive(Debug, Clone, Copy)]
pub struct Requirement {
    pub at: &'static str,
    pub what: &'static str,
    /// True when the workspace lacks it.
    pub lacks: fn(&Workspace) -> bool,
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// The requirements a format's registry adds (those every export has are blockers already).
pub fn requirements(format: Format) -> &'static [Requirement] {
    match format {
        Format::Yaml | Format::Ob3 | Format::Markdown => &[],
        // What the LOQ SHACL shapes require that a design may lack (tests/export_elm.rs
        // validates the export against them): a language (the specification's `language`,
        // the opportunity's `defaultLanguage`), an ISCED-F field (`ISCEDFCode`), a web page
        // (the opportunity's `homepage`), a learning outcome, and the providing organisation's
        // legal name and the country of its address.
        Format::Elm => &[
            common::LANGUAGE,
            common::ISCED_F,
            common::HOMEPAGE,
            common::LEGAL_NAME,
            common::AWARDER_COUNTRY,
            common::COMPETENCY,
        ],
        // The Credential Registry's minimum data for a credential (see docs/spec-format.md):
        // a subject webpage, a language, and an owner it can identify.
        Format::Ctdl => &[
            common::HOMEPAGE,
            common::LANGUAGE,
            common::LEGAL_NAME,
            common::AWARDER_ID,
            common::SECTOR,
        ],
        // CASE requires a CFDocument's creator and title (blockers of every export already)
        // and says nothing without items; its `language` is optional.
        Format::Case => &[common::COMPETENCY],
    }
}

/// Requirements that several registries share, for [`requirements`].
pub mod common {
    use super::{Requirement, blank};
    use crate::model::LevelValue;

    /// At least one language of instruction.
    pub const LANGUAGE: Requirement = Requirement {
        at: "credential.languages",
        what: "a language of instruction",
        lacks: |ws| ws.credential.languages.is_empty(),
    };
    /// An ISCED-F field code.
    pub const ISCED_F: Requirement = Requirement {
        at: "credential.isced_f",
        what: "an ISCED-F field code",
        lacks: |ws| blank(&ws.credential.isced_f),
    };
    /// The awarding body's sector (Credential Engine's registry requires it of an
    /// organisation).
    pub const SECTOR: Requirement = Requirement {
        at: "credential.awarding_body_details.sector",
        what: "the awarding body's sector (public or private)",
        lacks: |ws| {
            ws.credential
                .awarding_body_details
                .as_ref()
                .is_none_or(|d| d.sector.is_none())
        },
    };
    /// A web page.
    pub const HOMEPAGE: Requirement = Requirement {
        at: "credential.homepage",
        what: "a web page",
        lacks: |ws| blank(&ws.credential.homepage),
    };
    /// The awarding body's legal name.
    pub const LEGAL_NAME: Requirement = Requirement {
        at: "credential.awarding_body_details.legal_name",
        what: "the awarding body's legal name",
        lacks: |ws| {
            ws.credential
                .awarding_body_details
                .as_ref()
                .is_none_or(|d| blank(&d.legal_name))
        },
    };
    /// The awarding body's country.
    pub const AWARDER_COUNTRY: Requirement = Requirement {
        at: "credential.awarding_body_details.country",
        what: "the awarding body's country",
        lacks: |ws| {
            ws.credential
                .awarding_body_details
                .as_ref()
                .is_none_or(|d| blank(&d.country))
        },
    };
    /// The awarding body's registry identifier.
    pub const AWARDER_ID: Requirement = Requirement {
        at: "credential.awarding_body_details.identifier",
        what: "the awarding body's registry identifier",
        lacks: |ws| {
            ws.credential
                .awarding_body_details
                .as_ref()
                .is_none_or(|d| blank(&d.identifier))
        },
    };
    /// A level on the EQF (1–8).
    pub const EQF_LEVEL: Requirement = Requirement {
        at: "credential.level",
        what: "an EQF level",
        lacks: |ws| {
            !ws.credential.level.as_ref().is_some_and(|l| {
                l.scheme.trim().eq_ignore_ascii_case("EQF")
                    && matches!(l.value, LevelValue::Number(1..=8))
            })
        },
    };
    /// Formal or non-formal.
    pub const LEARNING_SETTING: Requirement = Requirement {
        at: "credential.learning_setting",
        what: "a learning setting (formal or non-formal)",
        lacks: |ws| ws.credential.learning_setting.is_none(),
    };
    /// At least one competency in the credential.
    pub const COMPETENCY: Requirement = Requirement {
        at: "competencies",
        what: "a competency in the credential",
        lacks: |ws| ws.competencies.is_empty(),
    };
}

/// What `format` still needs from `ws`, in the order of its requirements.
pub fn missing(ws: &Workspace, format: Format) -> Vec<Missing> {
    requirements(format)
        .iter()
        .filter(|r| (r.lacks)(ws))
        .map(|r| Missing {
            at: r.at,
            what: r.what,
        })
        .collect()
}

/// One line for a format's missing elements: "ELM: an ISCED-F field code and a language".
pub fn sentence(format: Format, missing: &[Missing]) -> String {
    let whats: Vec<&str> = missing.iter().map(|m| m.what).collect();
    let list = match whats.as_slice() {
        [] => "ready".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    format!("{}: {list}", format.short())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_join_with_and() {
        let m = [
            Missing {
                at: "credential.isced_f",
                what: "an ISCED-F field code",
            },
            Missing {
                at: "credential.languages",
                what: "a language",
            },
        ];
        assert_eq!(
            sentence(Format::Yaml, &m),
            "Spec: an ISCED-F field code and a language"
        );
        assert_eq!(sentence(Format::Yaml, &[]), "Spec: ready");
    }
}
