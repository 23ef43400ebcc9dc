//! What the commands share about the terminal they write to: whether to colour, and how a
//! workspace that stops a run is drawn there.
//!
//! Renderers take colour as a parameter and never look at the environment; deciding it
//! from the stream and the environment is the CLI's job, done once here for every command.

use super::ExitStatus;
use std::io::{IsTerminal, Write};

use crate::check::Summary;
use crate::pipeline::{Invalid, RunError};

/// Colour only on a terminal, and never when `NO_COLOR` is set (whatever its value) or
/// `TERM=dumb`, as ripgrep does.
pub fn wants_color(is_terminal: bool) -> bool {
    is_terminal
        && std::env::var_os("NO_COLOR").is_none()
        && std::env::var("TERM").map_or(true, |term| term != "dumb")
}

/// Draws the diagnostics that stopped a run on `err` (stderr), as `gtcamp validate` does,
/// with the count of errors and warnings after them.
pub fn report_invalid(invalid: &Invalid, err: &mut dyn Write) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let color = wants_color(std::io::stderr().is_terminal());
    let drawn = crate::check::render::human(&invalid.diagnostics, &invalid.workspace, &cwd, color);
    let _ = err.write_all(drawn.as_bytes());
    let _ = writeln!(err, "{}", Summary::of(&invalid.diagnostics));
}

/// What a command returns when the pipeline stopped it: a refused workspace is drawn on
/// `err` and exits 1; any other error goes to `main`, which reports it.
pub fn stopped(error: RunError, err: &mut dyn Write) -> miette::Result<ExitStatus> {
    match error {
        RunError::Invalid(invalid) => {
            report_invalid(&invalid, err);
            Ok(ExitStatus::Failure)
        }
        error => Err(reported(error)),
    }
}

/// A pipeline error as `main` reports it.
pub fn reported(error: RunError) -> miette::Report {
    miette::Report::new_boxed(Box::new(Reported(error)))
}

/// A pipeline error as miette shows it.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(transparent)]
struct Reported(RunError);

#[cfg(test)]
mod tests {
    use super::wants_color;

    #[test]
    fn colour_is_off_when_the_stream_is_not_a_terminal() {
        assert!(!wants_color(false));
    }
}
