//! The `gtcamp` binary: all the work is in the library; this only turns how it ended into
//! the process's exit code.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

fn main() -> std::process::ExitCode {
    gtcamp::cli::main().into()
}
