//! Plain data with serde: frameworks, competencies and the workspace document, the loaded
//! [`Catalog`] as data, and the pure checks of [`validate`]. No I/O, no UI.

pub mod catalog;
mod framework;
pub mod identity;
pub mod portfolio;
pub mod signoff;
pub mod validate;
pub mod vote;
mod workspace;

pub use catalog::Catalog;
pub use framework::*;
pub use workspace::*;

/// Is `s` a valid identifier: `[A-Za-z0-9][A-Za-z0-9._-]*`?
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Split a `FRAMEWORK_ID:COMPETENCY_ID` reference into its two parts.
pub fn split_ref(r: &str) -> Option<(&str, &str)> {
    let (fw, id) = r.split_once(':')?;
    (is_identifier(fw) && is_identifier(id)).then_some((fw, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_identifier("DD-DATA-03"));
        assert!(is_identifier("a.b_c"));
        assert!(!is_identifier("-x"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("a b"));
        assert_eq!(split_ref("fw:ID"), Some(("fw", "ID")));
        assert_eq!(split_ref("fw"), None);
        assert_eq!(split_ref("fw:"), None);
    }
}
