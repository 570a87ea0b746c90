//! Pure analyses of a workspace.
//!
//! PLACEHOLDER on branch `export`: only the `GapReport` types agreed with branch `gap`, so the
//! exporters compile before the gap engine is merged. Replaced wholesale by the merge of `gap`.

pub mod gap;
