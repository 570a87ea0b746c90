//! The form that adds job postings as evidence (read in the background, not an `Op`).

use super::{Field, Form, Purpose};
use crate::model::*;

/// The partner choice of postings that came from no partner.
pub const NO_PARTNER: &str = "(none)";

impl Form {
    /// Add job postings as evidence: a posting file (`.txt`, `.md`), a folder of them or a CSV
    /// (with the column holding the text), the partner they came from, when and where.
    /// `today` is `YYYY-MM-DD…`.
    pub fn add_postings(ws: &Workspace, today: &str) -> Self {
        let mut partners = vec![NO_PARTNER.to_string()];
        partners.extend(ws.partners.iter().map(|p| p.id.clone()));
        let mut names = vec!["From no partner (a job board, a survey).".to_string()];
        names.extend(ws.partners.iter().map(|p| format!("From {}.", p.name)));
        let today: String = today.chars().take(10).collect();
        Form::new(
            "Add job postings as evidence",
            Purpose::AddPostings,
            vec![
                Field::text("path", "File, folder or CSV *", ""),
                Field::text("column", "CSV column with the text", ""),
                Field::choice("partner", "From partner", partners, NO_PARTNER).with_help(names),
                Field::text("date", "Posted on (YYYY-MM-DD)", &today),
                Field::text("source", "Source (else the file name)", ""),
            ],
        )
        .with_note(
            "A posting is a .txt or .md file (a folder is read for them), or a CSV row. Each is kept in the design with the competencies its sentences mention; the reading runs in the background.".to_string(),
        )
    }
}
