//! microcred: co-design competency-based micro-credentials with industry partners.
//!
//! The crate is organised in layers, as `docs/architecture.md` describes (and
//! `tests/it/layers.rs` checks): [`problem`], [`clock`], [`limits`] and [`text`] at the bottom; plain data
//! and its pure checks in [`model`]; bytes, files and YAML in [`store`]; importers in
//! [`import`], every change as an [`edit::Op`] in [`edit`], gap analysis and search in
//! [`analysis`]; loading frameworks in [`catalog`]; one open file (workspace, journal, `Hub`)
//! in [`document`]; exports in [`export`]; the editor in [`tui`], the SSH server in [`serve`],
//! and the command line in [`cli`].
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
pub mod text;
pub mod tui;
