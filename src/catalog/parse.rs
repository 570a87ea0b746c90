//! Parsing framework files: YAML text to a checked [`Framework`], with located problems.

use std::path::Path;

use crate::model::Framework;
use crate::model::validate;
use crate::problem::Problems;
use crate::store;

/// Parse and check a framework from text; `name` labels its problems.
pub fn framework_from_str(src: &str, name: &str) -> Result<Framework, Problems> {
    let fw: Framework = store::yaml::parse_named(src, name)?;
    let findings = validate::framework(&fw);
    if findings.is_empty() {
        Ok(fw)
    } else {
        Err(Problems(store::yaml::located(src, name, findings)))
    }
}

/// Read and check a framework file, without the cache (see
/// [`super::cache::load_framework_cached`] for the cached loader the catalog uses).
pub fn read_framework_file(path: &Path) -> Result<Framework, Problems> {
    let src = read_framework_text(path)?;
    framework_from_str(&src, &path.display().to_string())
}

/// The text of a framework file: a regular file of at most
/// [`crate::limits::FRAMEWORK_FILE_BYTES`] (128 MiB; workspaces keep 16 MiB), UTF-8.
pub fn read_framework_text(path: &Path) -> Result<String, crate::problem::Problem> {
    store::read_text_within(path, crate::limits::FRAMEWORK_FILE_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A framework file may be up to 128 MiB; any other file read as text keeps 16 MiB.
    #[test]
    fn framework_files_may_be_bigger_than_workspaces() {
        let d = tempfile::tempdir().expect("tempdir");
        let f = d.path().join("big.yaml");
        let mut text = String::from("# padding\n");
        while (text.len() as u64) <= crate::limits::WORKSPACE_FILE_BYTES {
            text.push_str(&"#".repeat(1023));
            text.push('\n');
        }
        std::fs::write(&f, &text).expect("write");
        let e = store::read_text(&f).expect_err("over 16 MiB as a workspace");
        assert!(e.to_string().contains("the limit is 16 MiB"), "{e}");
        assert_eq!(
            read_framework_text(&f).expect("a framework may").len(),
            text.len()
        );
        // Past 128 MiB without writing it: the limit is checked against the size first.
        let h = std::fs::File::options().write(true).open(&f).expect("open");
        h.set_len(crate::limits::FRAMEWORK_FILE_BYTES + 1)
            .expect("grow");
        let e = read_framework_text(&f).expect_err("over 128 MiB");
        assert!(e.to_string().contains("the limit is 128 MiB"), "{e}");
    }
}
