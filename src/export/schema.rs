//! JSON Schemas of the file formats, generated from the Rust types so they cannot drift.
//! `schemas/*.json` hold the generated text; a test fails when they are out of date.

use crate::model::{Framework, Workspace};

/// The formats that have a JSON Schema.
pub const FORMATS: &[&str] = &[
    "framework",
    "workspace",
    "spec",
    "portfolio",
    "portfolio-spec",
];

/// The JSON Schema of `format` as pretty JSON, or `None` for an unknown format.
pub fn json_schema(format: &str) -> Option<String> {
    let mut schema = match format {
        "framework" => schemars::schema_for!(Framework),
        "workspace" => schemars::schema_for!(Workspace),
        "spec" => schemars::schema_for!(crate::export::Spec),
        "portfolio" => schemars::schema_for!(crate::model::portfolio::Portfolio),
        "portfolio-spec" => schemars::schema_for!(crate::export::portfolio::PortfolioSpec),
        _ => return None,
    };
    schema.insert(
        "$id".into(),
        format!("https://microcred.example/schemas/{format}.schema.json").into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).ok()?;
    text.push('\n');
    Some(text)
}
