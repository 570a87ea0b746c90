//! Load → save → load gives an equal value, and saving is canonical.

use crate::common;

use microcred::model::Workspace;
use microcred::store::yaml;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn save_then_load_gives_an_equal_workspace(ws in common::workspace()) {
        let text = microcred::document::workspace_to_string(&ws);
        let back: Workspace = yaml::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(&back, &ws, "text was:\n{}", text);
        // Canonical: the same document always gives the same bytes.
        prop_assert_eq!(microcred::document::workspace_to_string(&back), text);
    }

    #[test]
    fn strings_read_back_unchanged_by_yaml_1_1_readers(s in common::text()) {
        let text = yaml::to_string(&vec![s.clone()]).unwrap();
        let back: Vec<String> = serde_yaml::from_str(&text).unwrap();
        prop_assert_eq!(&back[0], &s);
        // What a YAML 1.1 reader would take for a boolean, null or number is never plain.
        let line = text.trim_start_matches("- ").trim_end();
        let lower = line.to_ascii_lowercase();
        let special = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""];
        prop_assert!(!special.contains(&lower.as_str()));
        let numeric = line.parse::<f64>().is_ok() && line.chars().any(|c| c.is_ascii_digit());
        prop_assert!(!numeric, "{} is written plain but reads as a number", line);
    }
}

#[test]
fn hostile_strings_are_quoted() {
    for s in [
        "no",
        "on",
        "Off",
        "007",
        "1e3",
        "0o17",
        "1_000",
        ".5",
        "+1",
        "2026-11-28",
        "12:30",
    ] {
        let text = yaml::to_string(&s.to_string()).unwrap();
        assert!(text.starts_with('"'), "{s} was written {text}");
    }
}
