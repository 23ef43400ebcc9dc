//! `gtcamp init [DIR]`: scaffold a workspace (the work is in `crate::init`).

use super::ExitStatus;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp init                                # in the current folder\n  gtcamp init my-campaigns                   # in a new folder\n  gtcamp init --force                        # overwrite the files it would write"
)]
pub struct Args {
    /// The folder for the new workspace; created if missing.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Overwrite files that already exist.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let written = crate::init::scaffold(&args.dir, args.force)?;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "Created a gtcamp workspace in {}:",
        args.dir.display()
    );
    for file in &written {
        let _ = writeln!(stdout, "  {}", file.display());
    }
    let dir = shell_word(&args.dir);
    let _ = write!(
        stdout,
        "\nNext steps:\n  \
         gtcamp validate {dir}                   # check the YAML\n  \
         gtcamp plan {dir}                       # what would be created, on the built-in sandbox\n  \
         gtcamp apply {dir} --auto-approve       # create it on the sandbox: no credentials needed\n\n\
         Then edit gtcamp.yaml (app_id, the production target, the state backend) and welcome.yaml.\n\
         For CI, .github/workflows/gtcamp.yml validates and plans pull requests and applies main:\n  \
         - replace `uses: gtcamp/gtcamp@main` with the repository holding gtcamp's action.yml;\n  \
         - add the secrets GETUI_APP_KEY, GETUI_MASTER_SECRET and GTCAMP_PG_URL;\n  \
         - keep the state in PostgreSQL (state: {{ backend: postgres, url_env: GTCAMP_PG_URL, workspace: NAME }}),\n    \
         then set the repository variable GTCAMP_APPLY=true: until then the apply job is skipped;\n  \
         - it expects the workspace at the repository root (else move .github/ there and set\n    \
         GTCAMP_WORKSPACE).\n"
    );
    Ok(ExitStatus::Success)
}

/// The folder as the user can paste it back into a shell.
fn shell_word(dir: &std::path::Path) -> String {
    let text = dir.display().to_string();
    if text
        .chars()
        .all(|c| c.is_alphanumeric() || "/._-".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
