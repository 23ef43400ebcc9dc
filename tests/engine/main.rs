//! Engine tests: compile and state, end to end through the library and the CLI.

mod compile;
mod state;
