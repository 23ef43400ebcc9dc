//! `gtcamp completions SHELL`: tab completion scripts, generated from the clap definitions
//! so they always know every command and flag of this build.

use super::ExitStatus;
use std::io::Write;

use clap::CommandFactory;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp completions bash > ~/.local/share/bash-completion/completions/gtcamp\n  gtcamp completions zsh > ~/.zfunc/_gtcamp\n  gtcamp completions fish > ~/.config/fish/completions/gtcamp.fish"
)]
pub struct Args {
    /// The shell to write completions for.
    shell: Shell,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut command = super::Cli::command();
    // Into memory first: clap_complete panics on a write error, and a closed pipe
    // (`gtcamp completions bash | head`) is the reader's choice, not a crash.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "gtcamp", &mut script);
    let _ = std::io::stdout().write_all(&script);
    Ok(ExitStatus::Success)
}
