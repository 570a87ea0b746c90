//! The comment form: a comment on a mapping, which may take several lines.

use super::mapping::about;
use super::{Field, Form, Purpose};
use crate::catalog::Catalog;
use crate::edit::Op;
use crate::model::*;
use crate::tui::wrap::named;

impl Form {
    /// A comment form (the comment may take several lines), showing the need and the
    /// competency it is about.
    pub fn comment(ws: &Workspace, catalog: &Catalog, m: &Mapping) -> Self {
        let name = catalog
            .resolve(&m.competency)
            .map_or("", |(_, c)| c.name.as_str());
        Form::new(
            format!("Comment on {} → {}", m.need, named(name, &m.competency)),
            Purpose::Comment {
                need: m.need.clone(),
                competency: m.competency.clone(),
            },
            vec![Field::text("text", "Comment", "")],
        )
        .with_note(about(ws, &m.need, name, &m.competency))
    }

    /// The comment, stamped with who wrote it and when, after the mapping's others.
    pub(super) fn comment_op(
        &self,
        ws: &Workspace,
        (need, competency): (&str, &str),
        actor_name: &str,
        now: &str,
    ) -> Result<Op, String> {
        let text = self.get("text");
        if text.is_empty() {
            return Err("write a comment first".into());
        }
        let at = ws
            .mapping_index(need, competency)
            .map_or(0, |i| ws.mappings[i].comments.len());
        Ok(Op::AddComment {
            need: need.to_string(),
            competency: competency.to_string(),
            at,
            comment: Comment {
                by: actor_name.into(),
                at: now.into(),
                text,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::example;
    use super::*;

    #[test]
    fn a_comment_is_stamped_and_goes_after_the_others() {
        let (ws, catalog) = example();
        let m = ws
            .mappings
            .iter()
            .find(|m| !m.comments.is_empty())
            .expect("a comment");
        let mut f = Form::comment(&ws, &catalog, m);
        assert_eq!(
            f.to_op(&ws, "dana", "t"),
            Err("write a comment first".into())
        );
        f.set("text", "Line one\nline two ");
        assert_eq!(
            f.to_op(&ws, "dana", "2026-01-02"),
            Ok(Op::AddComment {
                need: m.need.clone(),
                competency: m.competency.clone(),
                at: m.comments.len(),
                comment: Comment {
                    by: "dana".into(),
                    at: "2026-01-02".into(),
                    text: "Line one\nline two".into(),
                },
            })
        );
    }
}
