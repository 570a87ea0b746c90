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
