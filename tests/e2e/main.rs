//! End-to-end: `gtcamp plan` and `gtcamp apply` as a user runs them, against an emulator
//! whose store the scenarios inspect.

mod answers;
mod change_safely;
mod converge;
mod first_hour;
mod github;
mod harness;
mod held;
mod lifecycle;
mod limits;
mod lints;
mod lists;
mod output;
mod reports;
mod safety;
mod sandbox;
mod scaffold;
mod send_test;
mod sign_in;
mod targets;
mod v2;
