//! Engine tests: compile and state, end to end through the library and the CLI.

mod compile;
mod state;
mod time_arithmetic; // no unchecked `+`/`-` on instants (issue 12)
