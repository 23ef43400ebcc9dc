//! The pipeline behind `gtcamp plan`, `apply`, `status`, `import` and `calendar`, so that the
//! commands stay thin and run the stages the same way:
//!
//! ```text
//! load → check → compile → lint → connect → lock → recover → refresh → diff
//! ```
//!
//! [`compile_checked`] runs the stages that need no network (all that `calendar` needs, in
//! [`calendar`]); [`open`] connects to the target and locks its state while the workspace
//! compiles and lints (a new sandbox takes as long to create as its devices to compile),
//! then settles an interrupted run, into a [`Session`]; [`make_plan`] refreshes and diffs a
//! session into a plan, and [`check_saved`] refuses a saved one that no longer fits.
//! Executing a plan is `apply`'s job, and drawing anything for a terminal the CLI's: a
//! workspace with errors comes back as [`RunError::Invalid`], holding what to draw. Lines
//! for the person watching (the target, recoveries) are written to the `err` stream the
//! caller passes.
//!
//! [`send_test`] compiles a workspace for `gtcamp send-test` and sends one campaign's
//! message to a few listed devices; it never opens state.
//!
//! [`diagnose`] is what `validate` reports of a loaded workspace (checks, then lints when
//! there is no error); [`explain`] runs the catalogue's examples through it for
//! `gtcamp explain` and the diagnostics reference page.

mod calendar;
mod compiled;
mod diagnose;
mod error;
pub mod explain;
mod planning;
pub mod report;
pub mod send_test;
mod session;

pub use calendar::{CalendarError, calendar};
pub use compiled::{Checked, Compiled, check_for_target, compile_checked};
pub use diagnose::diagnose;
pub use error::{Invalid, RunError};
pub use planning::{
    Scope, check_saved, count_pushes, hold_back, make_plan, refuse_over_limits, refuse_past,
    refuse_protected,
};
pub use session::{Request, Session, open, open_at};
