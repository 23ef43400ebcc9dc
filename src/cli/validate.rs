//! `gtcamp validate [DIR]`: load a workspace, run every check and, when no check found an
//! error, the campaign lints (on the sends compiled as of now), report.
//!
//! Output streams: with the default human format, diagnostics go to stderr and the
//! `N errors, M warnings` summary to stdout (the summary is the command's result; the
//! drawings are for the person watching). `--format json` and `--format github` write only
//! to stdout (github adds the summary on stderr, where the Actions log shows it without
//! turning it into an annotation). Exit code 1 when there is any error, else 0.

use super::ExitStatus;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::check::{Diagnostic, Summary, render};
use crate::load::{Limits, LoadedWorkspace, load_workspace};
use crate::render::github::annotation_root;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp validate campaigns                  # every problem, with file, line and fix\n  gtcamp validate --format github            # annotations in a GitHub Actions run\n  gtcamp validate campaigns --format json    # for scripts"
)]
pub struct Args {
    /// The workspace folder (the one holding `gtcamp.yaml`); left out, the current folder
    /// or the nearest parent holding one.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// How to write diagnostics: for people, as JSON, or as GitHub Actions annotations.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let dir = super::paths::workspace(args.dir.as_deref())?;
    let workspace = load_workspace(&dir, &Limits::default());
    let now = crate::clock::now();
    let diagnostics = crate::pipeline::diagnose(&workspace, now);
    let summary = Summary::of(&diagnostics);
    // A closed pipe (`gtcamp validate | head`) is not worth an error; the exit code is.
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    match args.format {
        Format::Human => {
            let color = super::terminal::wants_color(std::io::stderr().is_terminal());
            let drawn = draw_human(&diagnostics, &workspace, &cwd, color);
            let _ = stderr.write_all(drawn.as_bytes());
            let _ = writeln!(stdout, "{summary}");
        }
        Format::Json => {
            let _ = stdout.write_all(render::json(&diagnostics, &cwd).as_bytes());
        }
        Format::Github => {
            let _ = stdout
                .write_all(render::github(&diagnostics, &cwd, &annotation_root(&cwd)).as_bytes());
            let _ = writeln!(stderr, "{summary}");
        }
    }
    Ok(if summary.errors > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// How many diagnostics of one code the human view draws. A busy workspace can have tens of
/// thousands of fatigue warnings (GC070): drawing them all took most of a minute and said
/// nothing the first fifty do not. The summary counts them all; `--format json` lists them.
const SHOWN_PER_CODE: usize = 50;

/// The first [`SHOWN_PER_CODE`] diagnostics of each code drawn, then one line per code
/// saying how many of it were left out.
fn draw_human(
    diagnostics: &[Diagnostic],
    workspace: &LoadedWorkspace,
    cwd: &std::path::Path,
    color: bool,
) -> String {
    let mut seen: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    let shown: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            let count = seen.entry((d.code, d.severity.as_str())).or_default();
            *count += 1;
            *count <= SHOWN_PER_CODE
        })
        .cloned()
        .collect();
    let mut out = render::human(&shown, workspace, cwd, color);
    for ((code, severity), count) in seen {
        if let Some(left_out) = count.checked_sub(SHOWN_PER_CODE).filter(|n| *n > 0) {
            out.push_str(&format!(
                "… and {} more {code} {}: `gtcamp validate --format json` lists them all\n\n",
                crate::render::thousands(u64::try_from(left_out).unwrap_or(u64::MAX)),
                crate::render::noun(left_out, severity, &format!("{severity}s"))
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::codes;

    #[test]
    fn past_fifty_of_a_code_the_human_view_counts_instead_of_drawing() {
        let mut diagnostics: Vec<Diagnostic> = (0..1_234)
            .map(|n| Diagnostic::warning(codes::GC070, format!("fatigue {n}")))
            .collect();
        diagnostics.extend((0..3).map(|n| Diagnostic::error(codes::GC010, format!("bad row {n}"))));
        let drawn = draw_human(
            &diagnostics,
            &LoadedWorkspace::default(),
            std::path::Path::new("."),
            false,
        );
        assert!(drawn.contains("fatigue 49"), "{drawn}");
        assert!(!drawn.contains("fatigue 50"), "{drawn}");
        assert_eq!(drawn.matches("bad row").count(), 3, "{drawn}");
        assert!(
            drawn.ends_with(
                "… and 1,184 more GC070 warnings: `gtcamp validate --format json` lists them all\n\n"
            ),
            "{drawn}"
        );
        assert!(!drawn.contains("more GC010"), "{drawn}");
    }
}
