//! gtcamp: push campaigns for Getui, declared in YAML and kept in sync like infrastructure.
//!
//! Data flows one way, one folder per step:
//!
//! ```text
//! load (YAML + spans) -> check (rules -> diagnostics) -> compile -> plan -> render / apply
//! ```
//!
//! [`pipeline`] runs the steps for the commands; [`render`] holds the text every output
//! format shares. Beside them stand [`getui`], the protocol (the only place that knows wire
//! field names), and [`emulator`], a Getui-compatible server used by the `sandbox` target
//! and by every test. [`cli`] wires the steps into commands and holds no business logic.
//! The module table of `docs/contributing.md` says what each module may import; the
//! `architecture` test holds the code to it.

// No input may panic (issue 12): outside tests, a failure is a diagnostic or a typed error,
// never an `unwrap`, an `expect` or a `panic!`. A true invariant says why in an `allow`.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod apply;
pub mod calendar;
pub mod check;
pub mod cli;
pub mod clock;
pub mod compile;
pub mod emulator;
pub mod getui;
pub mod init;
pub mod lint;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod report;
pub mod state;
pub mod target;
