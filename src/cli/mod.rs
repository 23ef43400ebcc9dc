//! Command-line entry points: clap definitions and one file per command.
//!
//! Commands parse their arguments, call into the pipeline and say how they ended with an
//! [`ExitStatus`]. Business logic lives in the pipeline folders, never here.

use clap::{CommandFactory, Parser, Subcommand};

pub use exit::ExitStatus;
use terminal::Color;

mod apply;
mod calendar;
mod completions;
mod emulator;
mod exit;
mod explain;
mod import;
mod init;
mod paths;
mod plan;
mod report;
mod schema;
mod send_test;
mod state;
mod status;
mod terminal;
mod validate;

/// `0.1.0 (abc1234 2026-11-22)`: the commit the binary was built from (see `build.rs`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("GTCAMP_BUILD_COMMIT"),
    ")"
);

/// Push campaigns for Getui, declared in YAML and kept in sync like infrastructure.
#[derive(Debug, Parser)]
#[command(name = "gtcamp", version = VERSION, about, long_about = None)]
#[command(after_help = "Examples:
  gtcamp init my-campaigns                        # a new workspace
  gtcamp validate my-campaigns                    # check it
  gtcamp plan my-campaigns                        # what would change, on the sandbox
  gtcamp apply my-campaigns --auto-approve        # do it")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour output: `auto` on a terminal (`NO_COLOR` turns it off, `FORCE_COLOR`
    /// or `CLICOLOR_FORCE` on, for CI logs), `always` or `never`.
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a workspace's YAML files and report every problem found.
    Validate(validate::Args),
    /// Explain a diagnostic code (GC055): what triggers it, an example and the fix.
    Explain(explain::Args),
    /// Print the JSON Schema that editors use for completion and checks.
    Schema(schema::Args),
    /// Run a Getui-compatible server (the sandbox) on this machine.
    Emulator(emulator::Args),
    /// Show what an apply would create, replace, cancel, fire and bind.
    Plan(plan::Args),
    /// Make Getui match the workspace (a saved plan, or plan and ask).
    Apply(apply::Args),
    /// List upcoming sends in time order, and recent sends with their results.
    Status(status::Args),
    /// List, show or forget what state records (never touches Getui).
    State(state::Args),
    /// Adopt a scheduled task that already exists on Getui into state.
    Import(import::Args),
    /// Start a workspace: settings, an example campaign, .gitignore and a CI workflow.
    Init(init::Args),
    /// Print tab completions for bash, zsh or fish.
    Completions(completions::Args),
    /// Show when the workspace's pushes go out, per day and hour (text, Markdown or HTML).
    Calendar(calendar::Args),
    /// Show what each campaign's sends reached and how many were clicked, per channel.
    Report(report::Args),
    /// Send a campaign's exact message now to a few listed devices (never its audience).
    SendTest(send_test::Args),
}

/// Parses the command line, runs the command and says how it ended; an error is reported
/// here, once, and ends it with [`ExitStatus::Failure`].
pub fn main() -> ExitStatus {
    // `GTCAMP_COMPLETE=bash gtcamp …`: the shell asking for completions (see `completions`), which
    // this answers and exits; otherwise it returns at once.
    completions::answer_shell();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return misused(&error),
    };
    terminal::choose_color(cli.color);
    terminal::set_error_style();
    let outcome = match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Emulator(args) => emulator::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Status(args) => status::run(args),
        Command::State(args) => state::run(args),
        Command::Import(args) => import::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Calendar(args) => calendar::run(args),
        Command::Report(args) => report::run(args),
        Command::SendTest(args) => send_test::run(args),
    };
    match outcome {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            ExitStatus::Failure
        }
    }
}

/// Prints clap's message for a command line it refused (or the help and version it was
/// asked for) and says how that ends. clap itself exits 2 on a usage error, which is what
/// `plan --detailed-exitcode` means by "changes found": a CI script would read a mistyped
/// flag as a plan to apply (issue 29). So a usage error is an error like any other, 1;
/// `--help` and `--version` are 0.
fn misused(error: &clap::Error) -> ExitStatus {
    let _ = error.print();
    if error.use_stderr() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// The clap definition of the whole command line (completions are generated from it).
pub(crate) fn definition() -> clap::Command {
    Cli::command()
}
