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
