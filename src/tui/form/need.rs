//! The need form: add a need (for a partner) or edit one.

use super::{Field, Form, Purpose, opt, words};
use crate::edit::Op;
use crate::model::*;

impl Form {
    /// A form to add a need, for a partner if one is given.
    pub fn new_need(ws: &Workspace, partner: Option<&str>) -> Self {
        let mut n = ws.needs.len() + 1;
        while ws.need(&format!("N{n}")).is_some() {
            n += 1;
        }
        let partners: Vec<String> = ws.partners.iter().map(|p| p.id.clone()).collect();
        let names: Vec<String> = ws.partners.iter().map(|p| p.name.clone()).collect();
        Form::new(
            "Add a need",
            Purpose::NewNeed,
            vec![
                Field::text("id", "Id", &format!("N{n}")),
                // Partners are chosen by id; the selected one's name is shown below it.
                Field::choice("partner", "Partner", partners, partner.unwrap_or(""))
                    .with_help(names),
                Field::text("statement", "What they need", ""),
                Field::choice(
                    "priority",
                    "Priority",
                    words(&["must", "should", "could"]),
                    "should",
                ),
                Field::text("evidence", "Evidence (optional)", ""),
            ],
        )
        .focus("statement")
    }

    /// A form to edit a need.
    pub fn edit_need(ws: &Workspace, need: &Need) -> Self {
        let mut f = Form::new_need(ws, Some(&need.partner));
        f.title = format!("Edit need {}", need.id);
        f.purpose = Purpose::EditNeed(need.id.clone());
        f.set("id", &need.id);
        f.set("statement", &need.statement);
        f.set("priority", need.priority.as_str());
        f.set("evidence", opt(&need.evidence));
        f
    }

    /// The need this form stands for, inserted at the end or replacing the one edited.
    pub(super) fn need_op(&self, ws: &Workspace) -> Result<Op, String> {
        let priority = match self.get("priority").as_str() {
            "must" => Priority::Must,
            "could" => Priority::Could,
            _ => Priority::Should,
        };
        let need = Need {
            id: self.get("id"),
            partner: self.get("partner"),
            statement: self.get("statement"),
            priority,
            evidence: self.get_opt("evidence"),
        };
        if need.partner.is_empty() {
            return Err("add a partner first (P)".into());
        }
        Ok(match &self.purpose {
            Purpose::EditNeed(id) => Op::UpdateNeed {
                id: id.clone(),
                need,
            },
            _ => Op::InsertNeed {
                at: ws.needs.len(),
                need,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::example;
    use super::*;

    #[test]
    fn a_new_need_takes_the_next_free_id_and_goes_at_the_end() {
        let (ws, _) = example();
        let mut f = Form::new_need(&ws, Some("brightwater-mechanical"));
        let id = format!("N{}", ws.needs.len() + 1);
        assert_eq!(f.get("id"), id);
        f.set("statement", " Read a duct plan. ");
        f.set("priority", "must");
        let Ok(Op::InsertNeed { at, need }) = f.to_op(&ws, "dana", "t") else {
            panic!("an insert");
        };
        assert_eq!(at, ws.needs.len());
        assert_eq!(
            need,
            Need {
                id,
                partner: "brightwater-mechanical".into(),
                statement: "Read a duct plan.".into(),
                priority: Priority::Must,
                evidence: None,
            }
        );
    }

    #[test]
    fn an_edited_need_replaces_the_one_it_was() {
        let (ws, _) = example();
        let n1 = &ws.needs[0];
        let mut f = Form::edit_need(&ws, n1);
        assert_eq!(f.purpose, Purpose::EditNeed(n1.id.clone()));
        assert_eq!(f.get("statement"), n1.statement);
        f.set("id", "N1b");
        f.set("evidence", "");
        let op = f.to_op(&ws, "dana", "t");
        let mut need = n1.clone();
        need.id = "N1b".into();
        need.evidence = None;
        assert_eq!(
            op,
            Ok(Op::UpdateNeed {
                id: n1.id.clone(),
                need
            })
        );
    }

    #[test]
    fn a_need_without_a_partner_is_refused() {
        let f = Form::new_need(&Workspace::default(), None);
        assert_eq!(f.get("id"), "N1");
        assert_eq!(
            f.to_op(&Workspace::default(), "dana", "t"),
            Err("add a partner first (P)".into())
        );
    }
}
