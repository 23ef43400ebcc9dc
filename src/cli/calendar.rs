//! `gtcamp calendar [DIR]`: when the workspace's pushes go out, per day and hour.
//!
//! Needs no state and no network. The picture goes to stdout (or `--out`); diagnostics of
//! an invalid workspace go to stderr, drawn as `gtcamp validate` draws them, and exit 1.

use super::ExitStatus;
use std::io::Write;
use std::path::PathBuf;

use miette::{IntoDiagnostic, WrapErr};

use crate::calendar::{MAX_DAYS, render};
use crate::pipeline::{CalendarError, RunError};

const EXAMPLES: &str = "\
Examples:
  gtcamp calendar                                    # the next 14 days of the workspace here, as an agenda
  gtcamp calendar campaigns --days 30                # a month of the workspace in ./campaigns
  gtcamp calendar --format markdown                  # a Mermaid gantt and a table, for a pull request
  gtcamp calendar --format html --out calendar.html  # a standalone page (open it in a browser)";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The workspace folder (the one holding `gtcamp.yaml`); left out, the current folder
    /// or the nearest parent holding one.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// How many days to show, from now.
    #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_DAYS)))]
    days: u32,
    /// How to draw it: an agenda for a terminal, Markdown with a Mermaid chart, or a web page.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
    Html,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let dir = super::paths::workspace(args.dir.as_deref())?;
    let calendar = match crate::pipeline::calendar(&dir, crate::clock::now(), args.days) {
        Ok(calendar) => calendar,
        Err(CalendarError::Run(RunError::Invalid(invalid))) => {
            super::terminal::report_invalid(&invalid, &mut std::io::stderr());
            return Ok(ExitStatus::Failure);
        }
        Err(error) => return Err(error.into()),
    };
    let shown = match args.format {
        Format::Text => render::text::render(&calendar),
        Format::Markdown => render::markdown::render(&calendar),
        Format::Html => render::html::render(&calendar),
    };
    match &args.out {
        Some(path) => crate::state::replace_file(path, shown.as_bytes())
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write the calendar to {}", path.display()))?,
        // A closed pipe (`gtcamp calendar | head`) is not worth an error.
        None => drop(std::io::stdout().write_all(shown.as_bytes())),
    }
    Ok(ExitStatus::Success)
}
