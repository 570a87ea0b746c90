//! The integration tests, in one binary: one module per area of the product (each was a test
//! binary of its own, `tests/NAME.rs`, and linking 56 binaries took most of a test build).
//! Run one area with `cargo test --test it NAME::`, one test by its name; the end-to-end tests
//! (tmux, OpenSSH) are `#[ignore]`d: `cargo test -- --ignored`. Helpers shared by the areas are
//! in [`common`]; the design generator of `examples/gen_design` is [`generator`]. Snapshots are
//! in `snapshots/`, named `it__AREA__NAME.snap`.

// The CASE tests' `json!` schemas nest deeper than the default limit.
#![recursion_limit = "256"]

mod common;
#[path = "../../examples/gen_design/lib.rs"]
#[allow(dead_code)]
mod generator;

mod atomic_save;
mod cache_cli;
mod check_cli;
mod cli;
mod conflict;
mod crash_recovery;
mod diff_cli;
mod e2e_review;
mod e2e_tmux;
mod edit_cost;
mod editor_e2e;
mod evidence_cli;
mod evidence_e2e;
mod evidence_tui;
mod export;
mod export_case;
mod export_ctdl;
mod export_elm;
mod export_portfolio;
mod final_verdict;
mod frame_cache;
mod fuzz_regressions;
mod gap;
mod gen_design;
mod git_safety;
mod handoff;
mod hardening;
mod hardening_cli;
mod history_e2e;
mod hostile;
mod import_cli;
mod keys_cli;
mod layers;
mod log_cli;
mod malformed;
mod names;
mod no_op;
mod ops;
mod outcomes_cli;
mod outcomes_tui;
mod paste_raw_e2e;
mod portfolio;
mod portfolio_history;
mod random_use;
mod roundtrip;
mod search_cli;
mod serve;
mod serve_admission;
mod serve_commit;
mod serve_hardening;
mod serve_journal;
mod serve_load;
mod serve_memory;
mod serve_openssh;
mod serve_portfolio;
mod signoff;
mod tui;
mod tui_history;
mod tui_imported;
mod tui_modes;
mod tui_portfolio;
mod tui_review;
mod verdict;
mod vote;
mod workshop_small;
mod workshop_ssh;
