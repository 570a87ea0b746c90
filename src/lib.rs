//! microcred: co-design competency-based micro-credentials with industry partners.
//!
//! The crate is organised as in `docs/architecture.md`: plain data in [`model`], YAML and files
//! in [`yaml`] and [`store`], the competency [`catalog`], document checks in [`validate`], every
//! change as an [`edit::Op`], gap analysis in [`analysis`], and the command line in [`cli`].
#![forbid(unsafe_code)]

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod document;
pub mod edit;
pub mod export;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod limits;
pub mod model;
pub mod problem;
pub mod serve;
pub mod store;
pub mod tui;
