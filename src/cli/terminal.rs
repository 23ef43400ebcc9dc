//! What the commands share about the terminal they write to: whether to colour, how wide
//! to wrap, how an error is drawn there, and how a workspace that stops a run is drawn.
//!
//! Renderers take colour as a parameter and never look at the environment; deciding it
//! from `--color`, the stream and the environment is the CLI's job, done once here for
//! every command.

use super::ExitStatus;
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

use crate::check::Summary;
use crate::pipeline::{Invalid, RunError};

/// `--color`: when output carries ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set or `TERM=dumb`; forced on by `FORCE_COLOR`
    /// or `CLICOLOR_FORCE` (what CI logs that show colours set).
    #[default]
    Auto,
    /// Always, whatever the stream and the environment.
    Always,
    /// Never.
    Never,
}

/// The `--color` of this run, set once by `main` before any command writes.
static CHOSEN: OnceLock<Color> = OnceLock::new();

/// Records `--color` for every later [`wants_color`].
pub fn choose_color(color: Color) {
    let _ = CHOSEN.set(color);
}

/// Whether a stream gets colours. The precedence, from first to last:
///
/// | what | colour |
/// | --- | --- |
/// | `--color always` / `--color never` | on / off |
/// | `NO_COLOR` set, whatever its value (no-color.org) | off |
/// | `FORCE_COLOR` set and not empty, or `CLICOLOR_FORCE` set and not `0` | on |
/// | the stream is not a terminal, or `TERM=dumb` | off |
/// | otherwise | on |
///
/// `NO_COLOR` beats the forcing variables: it is a person's own setting, while a CI runner
/// or a wrapper script sets the forcing ones for everyone; the flag beats both, being
/// what was asked for this very run. JSON output never carries colours, whatever this says.
pub fn wants_color(is_terminal: bool) -> bool {
    let env = |name: &str| std::env::var_os(name);
    color_for(
        CHOSEN.get().copied().unwrap_or_default(),
        is_terminal,
        &|name| env(name).map(|value| value.to_string_lossy().into_owned()),
    )
}

/// [`wants_color`] with the environment as a parameter, for tests.
fn color_for(color: Color, is_terminal: bool, env: &dyn Fn(&str) -> Option<String>) -> bool {
    match color {
        Color::Always => return true,
        Color::Never => return false,
        Color::Auto => {}
    }
    if env("NO_COLOR").is_some() {
        return false;
    }
    let forced = env("FORCE_COLOR").is_some_and(|value| !value.is_empty())
        || env("CLICOLOR_FORCE").is_some_and(|value| !value.is_empty() && value != "0");
    forced || (is_terminal && env("TERM").is_none_or(|term| term != "dumb"))
}

/// How wide an error is wrapped: `COLUMNS` when set (what a shell exports, and what a test
/// or a CI job can set), else the terminal's width, else 80.
fn error_width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse::<usize>().ok())
        .filter(|columns| *columns > 0)
}

/// Sets how `main` draws an error: coloured as [`wants_color`] says for stderr, and
/// wrapped only at spaces. miette's default breaks a line inside a word and at hyphens,
/// which cut `your-getui-app-id`, lineage ids and variable names in two, so that a reader
/// could neither read nor copy them (issue 29); a word longer than the line now overflows.
pub fn set_error_style() {
    let color = wants_color(std::io::stderr().is_terminal());
    let width = error_width();
    let _ = miette::set_hook(Box::new(move |_| {
        let mut options = miette::MietteHandlerOpts::new()
            .color(color)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        if let Some(width) = width {
            options = options.width(width);
        }
        Box::new(options.build())
    }));
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
        error => {
            let env = |name: &str| std::env::var(name).ok();
            Err(reported(error.told_in_full(&env)))
        }
    }
}

/// A pipeline error as `main` reports it.
pub fn reported(error: RunError) -> miette::Report {
    let causes = Cause::chain(&error);
    miette::Report::new_boxed(Box::new(Reported { error, causes }))
}

/// A pipeline error as miette shows it: its message, then each cause that says something
/// the lines above it did not. Many errors put their cause's text in their own message
/// (`the saved plan is stale: the state changed …`); miette would print that cause again
/// under it, the same sentence twice (issue 29).
#[derive(Debug)]
struct Reported {
    error: RunError,
    causes: Option<Cause>,
}

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Reported {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.causes.as_ref().map(|cause| cause as _)
    }
}

impl miette::Diagnostic for Reported {}

/// One cause of a [`Reported`] error, as text, and the causes after it.
#[derive(Debug)]
struct Cause {
    text: String,
    next: Option<Box<Cause>>,
}

impl Cause {
    /// The causes of `error` whose text is not already in the lines shown above them.
    fn chain(error: &dyn std::error::Error) -> Option<Cause> {
        let mut shown = error.to_string();
        let mut texts = Vec::new();
        let mut next = error.source();
        while let Some(cause) = next {
            let text = cause.to_string();
            if !shown.contains(&text) {
                shown.push('\n');
                shown.push_str(&text);
                texts.push(text);
            }
            next = cause.source();
        }
        texts.into_iter().rev().fold(None, |next, text| {
            Some(Cause {
                text,
                next: next.map(Box::new),
            })
        })
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.next.as_deref().map(|cause| cause as _)
    }
}

#[cfg(test)]
mod tests {
    use super::{Cause, Color, color_for};

    fn env<'a>(set: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            set.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn colour_is_off_when_the_stream_is_not_a_terminal() {
        assert!(!color_for(Color::Auto, false, &env(&[])));
        assert!(color_for(Color::Auto, true, &env(&[])));
        assert!(!color_for(Color::Auto, true, &env(&[("TERM", "dumb")])));
    }

    #[test]
    fn force_color_and_clicolor_force_turn_colour_on_off_a_terminal() {
        assert!(color_for(Color::Auto, false, &env(&[("FORCE_COLOR", "1")])));
        assert!(color_for(
            Color::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!color_for(
            Color::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "0")])
        ));
        assert!(!color_for(Color::Auto, false, &env(&[("FORCE_COLOR", "")])));
    }

    #[test]
    fn no_color_beats_the_forcing_variables_and_the_flag_beats_everything() {
        let both = [
            ("NO_COLOR", "1"),
            ("FORCE_COLOR", "1"),
            ("CLICOLOR_FORCE", "1"),
        ];
        assert!(!color_for(Color::Auto, true, &env(&both)));
        assert!(!color_for(Color::Auto, false, &env(&[("NO_COLOR", "")])));
        assert!(color_for(Color::Always, false, &env(&both)));
        assert!(!color_for(
            Color::Never,
            true,
            &env(&[("FORCE_COLOR", "1")])
        ));
    }

    #[derive(Debug, thiserror::Error)]
    #[error("the saved plan is stale: {0}")]
    struct Stale(#[from] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("the state changed; run `gtcamp plan` again")]
    struct Inner(#[source] std::io::Error);

    #[test]
    fn a_cause_already_in_the_message_is_not_shown_again() {
        let error = Stale(Inner(std::io::Error::other("disk full")));
        let causes = Cause::chain(&error).expect("the io error is news");
        assert_eq!(causes.text, "disk full");
        assert!(causes.next.is_none());
    }
}
