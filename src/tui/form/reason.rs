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
