//! The reason form: why a mapping is disputed or rejected (required, kept as a comment).

use super::{Field, Form, Purpose};
use crate::edit::Op;
use crate::model::*;

impl Form {
    /// Ask why a mapping is disputed or rejected; the answer is kept as a stamped comment.
    pub fn reason(need: &str, competency: &str, status: MappingStatus) -> Self {
        let verb = match status {
            MappingStatus::Rejected => "Reject",
            _ => "Dispute",
        };
        Form::new(
            format!("{verb} {need} → {competency}: why?"),
            Purpose::Reason {
                need: need.into(),
                competency: competency.into(),
                status,
            },
            vec![Field::text("text", "Reason (kept as a comment)", "")],
        )
    }

    /// The status change with its reason, stamped with who gave it and when.
    pub(super) fn reason_op(
        &self,
        (need, competency): (&str, &str),
        status: &MappingStatus,
        actor_name: &str,
        now: &str,
    ) -> Result<Op, String> {
        let text = self.get("text");
        if text.is_empty() {
            return Err(format!(
                "say why it is {}: the reason is kept as a comment for everyone",
                status.as_str()
            ));
        }
        Ok(Op::SetMappingStatus {
            need: need.to_string(),
            competency: competency.to_string(),
            status: *status,
            agreed_by: None,
            reason: Some(text),
            record: Some(crate::edit::StatusRecord::new(actor_name, now)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dispute_needs_a_reason_and_records_who_gave_it() {
        let ws = Workspace::default();
        let mut f = Form::reason("N1", "fw:C1", MappingStatus::Rejected);
        assert_eq!(f.title, "Reject N1 → fw:C1: why?");
        assert_eq!(
            f.to_op(&ws, "lee", "t"),
            Err("say why it is rejected: the reason is kept as a comment for everyone".into())
        );
        f.set("text", "Out of scope.");
        assert_eq!(
            f.to_op(&ws, "lee", "t"),
            Ok(Op::SetMappingStatus {
                need: "N1".into(),
                competency: "fw:C1".into(),
                status: MappingStatus::Rejected,
                agreed_by: None,
                reason: Some("Out of scope.".into()),
                record: Some(crate::edit::StatusRecord::new("lee", "t")),
            })
        );
    }
}
