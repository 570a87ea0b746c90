//! The length limits of text fields, in one place: every reader (framework and workspace
//! checks, the ESCO and CASE importers), every form of the editor and the JSON Schemas use
//! these. Lengths are counted in characters (Unicode scalar values). docs/formats.md has the
//! table. Only the numbers live here: measuring text against them and the checks of documents
//! are in `model::validate::limits`, the limits of the editor's form fields in `tui::form`.
//!
//! The limits are far above what real frameworks and designs hold (ESCO's longest label is 166
//! characters, its longest description 692) and far below what makes a screen slow to draw.
//!
//! The size limits of files are here too ([`FRAMEWORK_FILE_BYTES`], [`WORKSPACE_FILE_BYTES`],
//! [`POSTING_FILE_BYTES`]), held by `store` (bounded reads) and the readers of each kind of file.

/// Identifiers: framework, competency, need and partner ids (and references to them).
pub const ID: usize = 100;
/// A competency reference, `FRAMEWORK_ID:COMPETENCY_ID`.
pub const REFERENCE: usize = 2 * ID + 1;
/// Names and labels: names, titles, keywords, categories, publishers, people's names.
pub const NAME: usize = 200;
/// Short values: versions, times, codes, numbers written as text.
pub const SHORT: usize = 100;
/// URIs and citations: `uri`, `source`, `licence`.
pub const URI: usize = 2_000;
/// Prose: descriptions, statements, evidence, outcomes, rationales and the credential's
/// descriptive elements.
pub const TEXT: usize = 5_000;
/// A job posting's text (`postings[].text`).
pub const POSTING: usize = 50_000;
/// A comment on a mapping.
pub const COMMENT: usize = 2_000;
/// A search query typed or pasted into the finder or the command palette.
pub const QUERY: usize = 200;
/// A file path typed into the save-as form.
pub const PATH: usize = 4_096;

/// What to do about a value over its limit.
pub const HINT: &str = "shorten it; docs/formats.md lists the limit of every field";

/// Largest framework file read: 128 MiB, so that a framework eight times the size of ESCO
/// (about 70 MB of YAML) loads from one file.
pub const FRAMEWORK_FILE_BYTES: u64 = 128 * 1024 * 1024;
/// Largest job posting file (`.txt`, `.md`) read: 1 MiB. A CSV of postings may hold many, up to
/// [`WORKSPACE_FILE_BYTES`].
pub const POSTING_FILE_BYTES: u64 = 1024 * 1024;
/// Largest workspace file read, and largest a change may make a workspace: 16 MiB. Also the
/// bound of every other file read as text (people, keymaps).
pub const WORKSPACE_FILE_BYTES: u64 = 16 * 1024 * 1024;
