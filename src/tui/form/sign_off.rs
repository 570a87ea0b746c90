//! The sign-off form: a designer records a partner's sign-off given in the room.

use super::{Field, Form, Purpose};
use crate::edit::Op;
use crate::model::*;

impl Form {
    /// A designer records a partner's sign-off of the whole design as it is now (the partner
    /// signs in person, at the workshop's screen): which partner and who signs.
    pub fn sign_off(ws: &Workspace, partner: Option<&str>, note: String) -> Self {
        let ids: Vec<String> = ws.partners.iter().map(|p| p.id.clone()).collect();
        let names: Vec<String> = ws.partners.iter().map(|p| p.name.clone()).collect();
        Form::new(
            "Sign off the whole design",
            Purpose::SignOff,
            vec![
                Field::choice("partner", "For partner", ids, partner.unwrap_or(""))
                    .with_help(names),
                Field::text("name", "Name of the person signing *", ""),
            ],
        )
        .with_note(note)
    }

    /// The sign-off of the design as it is now, for the partner chosen, by the person named.
    pub(super) fn sign_off_op(&self, ws: &Workspace, now: &str) -> Result<Op, String> {
        let partner = self.get("partner");
        let person = self.get("name");
        if partner.is_empty() {
            return Err("add the partner first (P), then sign off for it".into());
        }
        if person.is_empty() {
            return Err("give the name of the person who signs off".into());
        }
        Ok(Op::SetSignOff {
            person: person.clone(),
            partner: partner.clone(),
            sign_off: Some(SignOff {
                person,
                partner,
                at: now.into(),
                design: crate::model::signoff::design_hash(ws),
                key: None,
            }),
            signing: true,
            at: None,
        })
    }
}
