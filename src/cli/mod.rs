//! Command-line entry points: clap definitions and one file per command.
//!
//! Commands parse their arguments, call into the pipeline and turn the result into an exit
//! code. Business logic lives in the pipeline folders, never here.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod apply;
mod calendar;
mod emulator;
mod import;
mod plan;
mod schema;
mod state;
mod status;
mod validate;

/// Push campaigns for Getui, declared in YAML and kept in sync like infrastructure.
#[derive(Debug, Parser)]
#[command(name = "gtcamp", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a workspace's YAML files and report every problem found.
    Validate(validate::Args),
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
    /// Show when the workspace's pushes go out, per day and hour (text, Markdown or HTML).
    Calendar(calendar::Args),
}

/// Parses the command line, runs the command and maps its outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Emulator(args) => emulator::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Status(args) => status::run(args),
        Command::State(args) => state::run(args),
        Command::Import(args) => import::run(args),
        Command::Calendar(args) => calendar::run(args),
    };
    match outcome {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::FAILURE
        }
    }
}
