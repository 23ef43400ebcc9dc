//! `gtcamp completions SHELL`: tab completion for bash, zsh and fish.
//!
//! The script it prints asks gtcamp itself for each completion (`GTCAMP_COMPLETE=bash gtcamp
//! -- …`, clap_complete's dynamic completion), so completions always know every command and
//! flag of the gtcamp on `PATH`, and values no static script can know: `--target` completes
//! the names of the workspace's targets, read from its `gtcamp.yaml`, rather than file names.

use super::ExitStatus;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap_complete::env::{Bash, EnvCompleter, Fish, Zsh};
use clap_complete::{ArgValueCandidates, CompletionCandidate};

use crate::load::{SETTINGS_FILE, find_workspace, is_workspace};
use crate::model::Workspace;

/// The variable the shell sets when it asks gtcamp for completions: gtcamp's own rather
/// than clap's generic `COMPLETE`, which an unrelated environment could set and so turn
/// every run into a completion answer.
const COMPLETE_VAR: &str = "GTCAMP_COMPLETE";

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
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
    };
    // Into memory first: a closed pipe (`gtcamp completions bash | head`) is the reader's
    // choice, not an error.
    let mut script = Vec::new();
    let _ = shell.write_registration(COMPLETE_VAR, "gtcamp", "gtcamp", "gtcamp", &mut script);
    let _ = std::io::stdout().write_all(&script);
    Ok(ExitStatus::Success)
}

/// Answers the shell when it asks for completions (the script [`run`] prints sets
/// [`COMPLETE_VAR`]) and exits; returns at once otherwise.
pub fn answer_shell() {
    clap_complete::CompleteEnv::with_factory(super::definition)
        .var(COMPLETE_VAR)
        .complete();
}

/// What completes `--target`: the targets of the workspace being completed for.
pub fn target_names() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let args: Vec<OsString> = std::env::args_os().collect();
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let Some(dir) = workspace_of(&args, &cwd) else {
            return Vec::new();
        };
        let Some(settings) = std::fs::read_to_string(dir.join(SETTINGS_FILE))
            .ok()
            .and_then(|text| serde_saphyr::from_str::<Workspace>(&text).ok())
        else {
            return Vec::new();
        };
        let mut names: Vec<String> = settings.targets.keys().cloned().collect();
        if !names
            .iter()
            .any(|name| name == crate::model::SANDBOX_TARGET)
        {
            names.push(crate::model::SANDBOX_TARGET.to_owned());
        }
        names.sort();
        names.into_iter().map(CompletionCandidate::new).collect()
    })
}

/// The workspace the command line being completed names: the first word that is a
/// workspace folder (`gtcamp plan campaigns --target <TAB>`, `-C campaigns`), else the one
/// the current folder is in.
fn workspace_of(args: &[OsString], cwd: &Path) -> Option<PathBuf> {
    let named = args
        .iter()
        .skip(1)
        .map(|arg| cwd.join(arg))
        .find(|dir| dir.is_dir() && is_workspace(dir));
    named.or_else(|| find_workspace(cwd).map(Path::to_path_buf))
}
