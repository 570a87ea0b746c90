//! The checks of the credential's own fields (paths from the root, under `credential`).

use super::formats::{valid_country, valid_isced_f, valid_language, valid_web_address};
use super::{Checker, Finding};
use crate::model::{Credential, LevelValue};
use crate::problem::DocPath;

impl Checker {
    /// The credential's own fields: id, version, country, workload, languages, field of
    /// education, home page, level.
    pub(super) fn credential(&mut self, c: &Credential) {
        let out = &mut self.findings;
        let p = DocPath::root().key("credential");
        if let Some(id) = &c.id {
            if !crate::model::identity::is_valid_id(id) {
                out.push(
                Finding::error(
                    p.key("id"),
                    format!("`{id}` is not a URN or an https URI"),
                )
                .hint("the id is given once and kept (urn:uuid:…); remove the line and microcred gives a new one on save"),
            );
            }
        }
        if let Some(v) = &c.version {
            if v.trim().is_empty() {
                out.push(
                    Finding::error(p.key("version"), "the version is empty")
                        .hint("write a version such as 2027.1, or remove the line"),
                );
            }
        }
        if let Some(country) = &c.country {
            if !valid_country(country) {
                out.push(
                    Finding::error(
                        p.key("country"),
                        format!("`{country}` is not an ISO 3166 country code"),
                    )
                    .hint("use two capital letters, optionally with a region: CA, CA-BC, IE"),
                );
            }
        }
        if let Some(w) = &c.workload {
            if !(w.hours.is_finite() && w.hours > 0.0) {
                out.push(Finding::error(
                    p.key("workload").key("hours"),
                    "workload hours must be more than 0",
                ));
            }
            if let Some(e) = w.ects {
                if !(e.is_finite() && e >= 0.0) {
                    out.push(Finding::error(
                        p.key("workload").key("ects"),
                        "ECTS credits must be 0 or more",
                    ));
                }
            }
        }
        if let Some(m) = c.max_hours {
            if !(m.is_finite() && m > 0.0) {
                out.push(Finding::error(
                    p.key("max_hours"),
                    "max_hours must be more than 0",
                ));
            }
        }
        for (i, lang) in c.languages.iter().enumerate() {
            if !valid_language(lang) {
                out.push(
                    Finding::error(
                        p.key("languages").index(i),
                        format!("`{lang}` is not an ISO 639 language code"),
                    )
                    .hint("write two or three lower-case letters: en, fr, ga"),
                );
            }
        }
        if let Some(code) = &c.isced_f {
            if !valid_isced_f(code) {
                out.push(
                Finding::error(
                    p.key("isced_f"),
                    format!("`{code}` is not an ISCED-F 2013 field code"),
                )
                .hint("write the 2-, 3- or 4-digit code of the field, e.g. 0713 (electricity and energy)"),
            );
            }
        }
        if let Some(url) = &c.homepage {
            if !valid_web_address(url) {
                out.push(
                    Finding::error(p.key("homepage"), format!("`{url}` is not a web address"))
                        .hint("write the page's full address, starting https://"),
                );
            }
        }
        if let Some(country) = c
            .awarding_body_details
            .as_ref()
            .and_then(|d| d.country.as_ref())
        {
            if !valid_country(country) {
                out.push(
                    Finding::error(
                        p.key("awarding_body_details").key("country"),
                        format!("`{country}` is not an ISO 3166 country code"),
                    )
                    .hint("use two capital letters, optionally with a region: CA, CA-BC, IE"),
                );
            }
        }
        if let Some(l) = &c.level {
            if l.scheme.trim().eq_ignore_ascii_case("EQF")
                && !matches!(l.value, LevelValue::Number(1..=8))
            {
                out.push(
                    Finding::error(
                        p.key("level").key("value"),
                        format!("EQF levels are 1 to 8, not `{}`", l.value),
                    )
                    .hint("write a number from 1 to 8, or name another scheme (NQF, …)"),
                );
            }
            if l.scheme.trim().is_empty() {
                out.push(
                    Finding::error(p.key("level").key("scheme"), "the level scheme is empty")
                        .hint("e.g. EQF or NQF"),
                );
            }
        }
    }
}
