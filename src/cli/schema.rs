//! `gtcamp schema`: prints the JSON Schema editors use, or the YAML reference built from it.

use super::ExitStatus;
use std::io::Write;

use miette::IntoDiagnostic;

use crate::model::schema;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp schema > gtcamp.schema.json         # for the editor modeline\n  gtcamp schema --format markdown            # the YAML reference"
)]
pub struct Args {
    /// `json`: the draft-07 JSON Schema (what `schemas/gtcamp.schema.json` holds);
    /// `markdown`: the YAML reference for people (what `docs/reference/yaml.md` holds).
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Json,
    Markdown,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let document_schema = schema::document_schema();
    let text = match args.format {
        Format::Json => schema::to_pretty_json(&document_schema),
        Format::Markdown => schema::reference_markdown(&document_schema),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()) {
        // A closed pipe (`gtcamp schema | head`) is the reader's choice, not an error.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitStatus::Success),
        other => other.into_diagnostic().map(|()| ExitStatus::Success),
    }
}
