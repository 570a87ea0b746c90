//! The mapping forms: edit a mapping (the level the need requires, the rationale, and the
//! competency's place in the credential), or make a new one.

use super::competency::{competency_fields, level_choices};
use super::{Field, Form, NONE, Purpose, opt};
use crate::catalog::Catalog;
use crate::edit::Op;
use crate::model::*;
use crate::tui::wrap::named;

/// What a mapping is about, for the top of its forms: the need's statement in full and the
/// competency's name.
pub(super) fn about(ws: &Workspace, need: &str, name: &str, reference: &str) -> String {
    let statement = ws.need(need).map_or("", |n| n.statement.as_str());
    format!(
        "Need {need}: {statement}\nCompetency: {}",
        named(name, reference)
    )
}

impl Form {
    /// A mapping's form: levels with descriptors, and the competency's place in the credential.
    pub fn mapping(ws: &Workspace, catalog: &Catalog, m: &Mapping) -> Self {
        let resolved = catalog.resolve(&m.competency);
        let mut fields = Vec::new();
        if let Some((fw, comp)) = resolved {
            let (v, h) = level_choices(fw, Some(comp), true, false);
            let req = m.required_level.map_or(NONE.to_string(), |l| l.to_string());
            fields.push(
                Field::choice("required_level", "Level the need requires", v, &req).with_help(h),
            );
        }
        fields.push(Field::text("rationale", "Rationale", opt(&m.rationale)));
        let name = resolved.map_or("", |(_, c)| c.name.as_str());
        let mut f = Form::new(
            format!("Mapping {} → {}", m.need, named(name, &m.competency)),
            Purpose::Mapping {
                need: m.need.clone(),
                competency: m.competency.clone(),
            },
            fields,
        )
        .with_note(about(ws, &m.need, name, &m.competency));
        if let (Some(cc), Some((fw, comp))) = (ws.competency(&m.competency), resolved) {
            f.fields.extend(competency_fields(cc, fw, comp));
        }
        f
    }

    /// The form that makes a new mapping of `need` to `cc`'s competency, with the required
    /// level preset to the target level; `include` when the competency is not in the
    /// credential yet (saving includes it with these values).
    pub fn new_mapping(
        ws: &Workspace,
        catalog: &Catalog,
        need: &str,
        cc: &CredentialCompetency,
        include: bool,
    ) -> Self {
        let resolved = catalog.resolve(&cc.reference);
        let name = resolved.map_or(cc.reference.as_str(), |(_, c)| c.name.as_str());
        let mut fields = Vec::new();
        if let Some((fw, comp)) = resolved {
            let (v, h) = level_choices(fw, Some(comp), true, false);
            fields.push(
                Field::choice(
                    "required_level",
                    "Level the need requires",
                    v,
                    &cc.target_level.to_string(),
                )
                .with_help(h),
            );
            let mut own = competency_fields(cc, fw, comp);
            // The target level next to the required one: both are set in a few keys.
            fields.push(own.remove(0));
            fields.push(Field::text("rationale", "Rationale", ""));
            fields.extend(own);
        } else {
            fields.push(Field::text("rationale", "Rationale", ""));
        }
        // The competency picked, by name, above the levels (a long statement in the title
        // would cut it off).
        let mut f = Form::new(
            format!("Map {need} → {name}"),
            Purpose::NewMapping {
                need: need.into(),
                competency: cc.reference.clone(),
            },
            fields,
        )
        .with_note(about(ws, need, name, &cc.reference));
        f.include = include.then(|| cc.clone());
        f
    }

    /// The mapping edited, and the competency's place in the credential.
    pub(super) fn mapping_op(
        &self,
        ws: &Workspace,
        need: &str,
        competency: &str,
    ) -> Result<Op, String> {
        let i = ws
            .mapping_index(need, competency)
            .ok_or("the mapping was removed")?;
        let mut m = ws.mappings[i].clone();
        m.required_level = self.get_level("required_level");
        m.rationale = self.get_opt("rationale");
        let mut ops = vec![Op::UpdateMapping {
            need: need.to_string(),
            competency: competency.to_string(),
            mapping: m,
        }];
        if let Some(cc) = ws.competency(competency) {
            ops.push(Op::UpdateCompetency {
                reference: competency.to_string(),
                competency: self.competency_value(cc)?,
            });
        }
        Ok(Op::Batch { ops })
    }

    /// The new mapping, with the competency put in (or updated in) the credential.
    pub(super) fn new_mapping_op(
        &self,
        ws: &Workspace,
        need: &str,
        competency: &str,
    ) -> Result<Op, String> {
        let mut ops = Vec::new();
        match (&self.include, ws.competency(competency)) {
            (_, Some(cc)) => ops.push(Op::UpdateCompetency {
                reference: competency.to_string(),
                competency: self.competency_value(cc)?,
            }),
            (Some(cc), None) => ops.push(Op::InsertCompetency {
                at: ws.competencies.len(),
                competency: self.competency_value(cc)?,
            }),
            (None, None) => {}
        }
        ops.push(Op::InsertMapping {
            at: ws.mappings.len(),
            mapping: Mapping {
                need: need.to_string(),
                competency: competency.to_string(),
                required_level: self.get_level("required_level"),
                rationale: self.get_opt("rationale"),
                status: MappingStatus::Proposed,
                ..Mapping::default()
            },
        });
        Ok(Op::Batch { ops })
    }
}

#[cfg(test)]
mod tests {
    use super::super::example;
    use super::*;

    #[test]
    fn a_mapping_form_updates_the_mapping_and_the_competency() {
        let (ws, catalog) = example();
        let m = &ws.mappings[0];
        let mut f = Form::mapping(&ws, &catalog, m);
        assert!(
            f.note()
                .is_some_and(|n| n.starts_with(&format!("Need {}:", m.need)))
        );
        f.set("required_level", NONE);
        f.set("rationale", "Because.");
        let Ok(Op::Batch { ops }) = f.to_op(&ws, "d", "t") else {
            panic!("a batch");
        };
        let mut want = m.clone();
        want.required_level = None;
        want.rationale = Some("Because.".into());
        assert_eq!(
            ops[0],
            Op::UpdateMapping {
                need: m.need.clone(),
                competency: m.competency.clone(),
                mapping: want,
            }
        );
        assert!(
            matches!(&ops[1], Op::UpdateCompetency { reference, .. } if *reference == m.competency)
        );
        assert_eq!(ops.len(), 2);
    }

    #[test]
    fn a_new_mapping_includes_its_competency_first() {
        let (ws, catalog) = example();
        let mut cc = ws.competencies[0].clone();
        cc.reference = "building-retrofit:BR-ASSESS-03".into();
        let f = Form::new_mapping(&ws, &catalog, "N3", &cc, true);
        assert_eq!(f.get("required_level"), cc.target_level.to_string());
        let Ok(Op::Batch { ops }) = f.to_op(&ws, "d", "t") else {
            panic!("a batch");
        };
        assert!(
            matches!(&ops[0], Op::InsertCompetency { at, competency } if *at == ws.competencies.len() && competency.reference == cc.reference)
        );
        let Op::InsertMapping { at, mapping } = &ops[1] else {
            panic!("then the mapping");
        };
        assert_eq!(*at, ws.mappings.len());
        assert_eq!(
            (mapping.need.as_str(), mapping.competency.as_str()),
            ("N3", cc.reference.as_str())
        );
        assert_eq!(mapping.status, MappingStatus::Proposed);
        assert_eq!(mapping.required_level, Some(cc.target_level));
    }

    #[test]
    fn a_removed_mapping_is_refused() {
        let (mut ws, catalog) = example();
        let m = ws.mappings[0].clone();
        let f = Form::mapping(&ws, &catalog, &m);
        ws.mappings.remove(0);
        assert_eq!(
            f.to_op(&ws, "d", "t"),
            Err("the mapping was removed".into())
        );
    }
}
