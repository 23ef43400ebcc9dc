//! `gtcamp report [DIR]`: what each campaign's sends reached, from Getui's push reports.
//!
//! Reads state for the sends of the window and Getui (or the sandbox) for their figures;
//! writes nothing. `--format github` prints the text report and appends the Markdown one to
//! `$GITHUB_STEP_SUMMARY`, for a scheduled workflow.

use super::ExitStatus;
use std::io::Write;
use std::path::PathBuf;

use miette::{IntoDiagnostic, WrapErr};

use super::plan::Common;
use super::terminal::stopped;
use crate::pipeline::{self, Session};
use crate::report::{ReadOptions, Selection, render};

const EXAMPLES: &str = "\
Examples:
  gtcamp report                                   # the last 7 days' sends of the workspace here
  gtcamp report --since 30d --campaign spring-sale
  gtcamp report --target production --format markdown > report.md
  gtcamp report --format html -o report.html     # a page with charts
  gtcamp report --format github                  # in a scheduled GitHub Actions job";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The workspace folder (the one holding `gtcamp.yaml`); left out, the current folder
    /// or the nearest parent holding one.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// How far back to look, such as `7d`, `36h` or `90d` (state keeps sends for
    /// `state.history_days`).
    #[arg(long, default_value = "7d")]
    since: crate::model::Duration,
    /// Only this campaign (repeatable).
    #[arg(long = "campaign", value_name = "NAME")]
    campaigns: Vec<String>,
    /// Skip the detail reports (one call per send on REST V2) that say why pushes were lost.
    #[arg(long)]
    no_reasons: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
    /// Text on stdout, Markdown into `$GITHUB_STEP_SUMMARY`.
    Github,
    /// A standalone page with charts.
    Html,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let runtime = tokio::runtime::Runtime::new()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(report(args))
}

async fn report(args: Args) -> miette::Result<ExitStatus> {
    let dir = super::paths::workspace(args.dir.as_deref())?;
    let request = args.common.request(dir, "gtcamp report");
    let mut stderr = std::io::stderr();
    let session = match pipeline::open(&request, &mut stderr).await {
        Ok(session) => session,
        Err(error) => return stopped(error, &mut stderr),
    };
    let unknown: Vec<&String> = args
        .campaigns
        .iter()
        .filter(|name| !session.desired.campaigns.contains_key(*name) && !in_state(&session, name))
        .collect();
    if let Some(name) = unknown.first() {
        session.connection.close().await;
        return Err(miette::miette!(
            help = "name a campaign of the workspace, or one state remembers sends of",
            "no campaign `{name}` in the workspace or its state"
        ));
    }
    let window =
        chrono::Duration::milliseconds(i64::try_from(args.since.as_millis()).unwrap_or(i64::MAX));
    let selection = Selection {
        since: session
            .now
            .checked_sub_signed(window)
            .unwrap_or(session.now),
        campaigns: args.campaigns.clone(),
    };
    let options = ReadOptions {
        parallelism: request.parallelism,
        details: !args.no_reasons,
        now: session.now,
    };
    let report = pipeline::report::read(&session, &selection, options).await;
    session.connection.close().await;
    let shown = match args.format {
        Format::Text | Format::Github => render::text::render(&report),
        Format::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        Format::Markdown => render::markdown::render(&report),
        Format::Html => render::html::render(&report),
    };
    match &args.out {
        Some(path) => crate::state::replace_file(path, shown.as_bytes())
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write the report to {}", path.display()))?,
        None => drop(std::io::stdout().write_all(shown.as_bytes())),
    }
    if let Format::Github = args.format {
        super::plan::append_step_summary(&render::markdown::render(&report), &mut stderr);
    }
    Ok(ExitStatus::Success)
}

fn in_state(session: &Session, name: &str) -> bool {
    let state = session.locked.state();
    state.history.iter().any(|e| e.campaign == name)
        || state.tasks.values().any(|t| t.campaign == name)
}
