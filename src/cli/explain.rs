//! `gtcamp explain CODE`: what a diagnostic code means, an example that triggers it, the
//! message that example gets, and how to fix it. The entries are `load::catalogue`'s; the
//! example is run by `pipeline::explain`.

use super::ExitStatus;
use std::io::Write;

use clap_complete::{ArgValueCandidates, CompletionCandidate};

use crate::load::catalogue;
use crate::pipeline::explain::{explain_text, reference_page};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp explain GC055      # the code `gtcamp validate` printed\n  gtcamp explain 55         # the same"
)]
pub struct Args {
    /// The code, as `GC055`, `gc055` or `55`.
    #[arg(value_name = "CODE", required_unless_present = "all", add = codes())]
    code: Option<String>,
    /// Every entry (writes docs/reference/diagnostics.md with `--format markdown`).
    #[arg(long, hide = true, conflicts_with = "code")]
    all: bool,
    #[arg(long, hide = true, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let shown = match (&args.code, args.all, args.format) {
        (_, true, Format::Markdown) => reference_page(),
        (_, true, Format::Text) => {
            return Err(miette::miette!("`--all` writes only `--format markdown`"));
        }
        (Some(code), false, _) => {
            let Some(entry) = catalogue::lookup(code) else {
                return Err(unknown(code));
            };
            explain_text(entry)
        }
        (None, false, _) => return Err(miette::miette!("name a code, such as GC055")),
    };
    let shown = shown.map_err(|e| miette::miette!("{e}"))?;
    // A closed pipe (`gtcamp explain GC055 | head`) is the reader's choice.
    let _ = std::io::stdout().write_all(shown.as_bytes());
    Ok(ExitStatus::Success)
}

fn unknown(code: &str) -> miette::Report {
    let near: Vec<String> = catalogue::nearest(code)
        .iter()
        .map(|c| format!("`{c}`"))
        .collect();
    let help = match near.as_slice() {
        [] => "codes are written `GC` and three digits, such as `GC055`".to_owned(),
        [one] => format!("the nearest code is {one}"),
        many => format!("the nearest codes are {}", many.join(", ")),
    };
    miette::miette!(help = help, "`{code}` is not a gtcamp diagnostic code")
}

/// What completes `CODE`: every code, with its title.
fn codes() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        catalogue::all()
            .iter()
            .map(|e| CompletionCandidate::new(e.code).help(Some(e.title.into())))
            .collect()
    })
}
