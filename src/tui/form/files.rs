//! The forms about files beside the workspace: save as, and export.

use super::{Field, Form, Purpose};
use crate::model::*;

/// The export form's first choice: the spec, the badge and the summary together.
pub const EXPORT_USUAL: &str = "spec + badge + summary";

impl Form {
    /// Choose what to export beside the workspace: the spec, badge and summary together (the
    /// default) or any one format; each choice says what its registry still needs.
    pub fn export(ws: &Workspace, blockers: usize) -> Self {
        use crate::export::{Format, readiness};
        let mut choices = vec![EXPORT_USUAL.to_string()];
        let common = if blockers == 0 {
            String::new()
        } else {
            format!("{blockers} blocker(s) first (the gap panes list them). ")
        };
        let mut help = vec![format!(
            "{common}The YAML spec, the Open Badges achievement and the Markdown summary."
        )];
        for &f in Format::ALL {
            choices.push(f.name().to_string());
            let missing = readiness::missing(ws, f);
            help.push(format!("{common}{}", readiness::sentence(f, &missing)));
        }
        Form::new(
            "Export beside the workspace",
            Purpose::Export,
            vec![Field::choice("format", "Format", choices, EXPORT_USUAL).with_help(help)],
        )
    }

    /// Ask where to save an untitled workspace.
    pub fn save_as() -> Self {
        Form::new(
            "Save as",
            Purpose::SaveAs,
            vec![Field::text("path", "File", "microcred.yaml")],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::{NO_PARTNER, example};
    use super::*;

    #[test]
    fn files_and_postings_forms_change_no_document() {
        let (ws, _) = example();
        for f in [
            Form::save_as(),
            Form::export(&ws, 2),
            Form::add_postings(&ws, "2026-01-02T10:00"),
        ] {
            assert_eq!(f.to_op(&ws, "d", "t"), Err("not a document change".into()));
        }
        assert_eq!(Form::save_as().get("path"), "microcred.yaml");
        let export = Form::export(&ws, 2);
        assert!(
            export.fields[0]
                .help()
                .is_some_and(|h| h.starts_with("2 blocker(s) first"))
        );
        let postings = Form::add_postings(&ws, "2026-01-02T10:00");
        assert_eq!(postings.get("date"), "2026-01-02");
        assert_eq!(postings.get("partner"), NO_PARTNER);
    }
}
