//! A competency's place in the credential (target level, hours, outcome, assessment): its
//! own form, and the fields the mapping forms share.

use super::{Field, Form, NONE, Purpose, num, opt};
use crate::catalog::Catalog;
use crate::edit::Op;
use crate::model::*;
use crate::tui::wrap::named;

/// A framework's levels as choices (with `(none)` first when asked), each with its help: the
/// competency's own descriptor for the level, else the framework's.
pub(super) fn level_choices(
    fw: &Framework,
    comp: Option<&Competency>,
    with_none: bool,
    only_allowed: bool,
) -> (Vec<String>, Vec<String>) {
    let mut values = Vec::new();
    let mut help = Vec::new();
    if with_none {
        values.push(NONE.to_string());
        help.push("not stated".to_string());
    }
    for l in &fw.levels {
        if only_allowed && comp.is_some_and(|c| !c.allows_level(fw, l.level)) {
            continue;
        }
        values.push(l.level.to_string());
        let own = comp.and_then(|c| c.levels.get(&l.level)).cloned();
        help.push(format!(
            "{} — {}",
            l.name,
            own.or_else(|| l.description.clone()).unwrap_or_default()
        ));
    }
    (values, help)
}

/// The fields of a competency's place in the credential.
pub(super) fn competency_fields(
    cc: &CredentialCompetency,
    fw: &Framework,
    comp: &Competency,
) -> Vec<Field> {
    let (v, h) = level_choices(fw, Some(comp), false, true);
    let method = cc.assessment.as_ref().map_or(NONE, |a| a.method.as_str());
    vec![
        Field::choice(
            "target_level",
            "Target level (taught and assessed)",
            v,
            &cc.target_level.to_string(),
        )
        .with_help(h),
        Field::text("hours", "Hours", &num(cc.hours)),
        Field::text("outcome", "Learning outcome", opt(&cc.outcome)),
        Field::choice(
            "assessment.method",
            "Assessment method",
            std::iter::once(NONE)
                .chain(AssessmentMethod::ALL.map(AssessmentMethod::as_str))
                .map(String::from)
                .collect(),
            method,
        ),
        Field::text(
            "assessment.description",
            "Assessment description",
            cc.assessment.as_ref().map_or("", |a| opt(&a.description)),
        ),
    ]
}

impl Form {
    /// A credential competency's form.
    pub fn credential_competency(catalog: &Catalog, cc: &CredentialCompetency) -> Option<Self> {
        let (fw, comp) = catalog.resolve(&cc.reference)?;
        Some(Form::new(
            named(&comp.name, &cc.reference),
            Purpose::CredentialCompetency(cc.reference.clone()),
            competency_fields(cc, fw, comp),
        ))
    }

    /// The competency's new place in the credential.
    pub(super) fn credential_competency_op(
        &self,
        ws: &Workspace,
        reference: &str,
    ) -> Result<Op, String> {
        let cc = ws
            .competency(reference)
            .ok_or("the competency was removed from the credential")?;
        Ok(Op::UpdateCompetency {
            reference: reference.to_string(),
            competency: self.competency_value(cc)?,
        })
    }

    /// The competency's place in the credential as the form sets it, from `cc` as it is.
    pub(super) fn competency_value(
        &self,
        cc: &CredentialCompetency,
    ) -> Result<CredentialCompetency, String> {
        let chosen = self.get("assessment.method");
        let method = AssessmentMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == chosen);
        Ok(CredentialCompetency {
            reference: cc.reference.clone(),
            target_level: self.get_level("target_level").unwrap_or(cc.target_level),
            hours: self.get_num("hours", "Hours")?,
            outcome: self.get_opt("outcome"),
            assessment: method.map(|method| Assessment {
                method,
                description: self.get_opt("assessment.description"),
            }),
            silence: cc.silence.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::example;
    use super::*;

    #[test]
    fn a_competencys_place_in_the_credential_is_read_back() {
        let (ws, catalog) = example();
        let cc = &ws.competencies[0];
        let mut f = Form::credential_competency(&catalog, cc).expect("it resolves");
        assert_eq!(f.get("target_level"), cc.target_level.to_string());
        f.set("hours", "12.5");
        f.set("assessment.method", NONE);
        let Ok(Op::UpdateCompetency {
            reference,
            competency,
        }) = f.to_op(&ws, "d", "t")
        else {
            panic!("an update");
        };
        assert_eq!(reference, cc.reference);
        assert_eq!(competency.hours, Some(12.5));
        assert_eq!(competency.assessment, None, "no method: no assessment");
        assert_eq!(competency.outcome, cc.outcome);
    }

    #[test]
    fn a_removed_competency_or_bad_hours_are_refused() {
        let (mut ws, catalog) = example();
        let cc = ws.competencies[0].clone();
        let mut f = Form::credential_competency(&catalog, &cc).expect("it resolves");
        f.set("hours", "lots");
        assert_eq!(
            f.to_op(&ws, "d", "t"),
            Err("Hours must be a number, not `lots`".into())
        );
        ws.competencies.clear();
        assert_eq!(
            f.to_op(&ws, "d", "t"),
            Err("the competency was removed from the credential".into())
        );
    }
}
