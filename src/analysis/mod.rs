//! Pure analyses of a workspace: no I/O, no UI, deterministic, cheap enough to run after every
//! edit in every session.

pub mod demand;
pub mod diff;
pub mod evidence;
pub mod gap;
pub mod outcomes;
pub mod portfolio;
pub mod portfolio_diff;
pub mod search;
pub mod suggest;
pub mod support;

pub use gap::analyse;
