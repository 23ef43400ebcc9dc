//! `gtcamp plan [DIR]`: show what an apply would change, and optionally save it.
//!
//! The plan goes to stdout in the chosen format; the target line, recoveries and errors go
//! to stderr. `--detailed-exitcode`: 0 no changes, 2 changes, 1 error, which includes a
//! tracked task that could not be read on Getui (the plan is then incomplete).
//! `--format github` writes the text plan and annotations to stdout and appends the Markdown
//! plan to `$GITHUB_STEP_SUMMARY` (`render::github` decides what fits).

use super::ExitStatus;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use miette::{IntoDiagnostic, WrapErr};

use super::terminal::{reported, stopped};
use crate::compile::Desired;
use crate::pipeline::{self, Request, Session};
use crate::plan::Plan;
use crate::plan::render::{self, ColorChoice};
use crate::state::LockedState;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp plan campaigns                                  # on the workspace's default target\n  gtcamp plan --target production -o plan.json           # save it for `gtcamp apply plan.json`\n  gtcamp plan --detailed-exitcode                        # exit 2 when there are changes\n  gtcamp plan --format markdown > plan.md                # a pull-request comment\n  gtcamp plan --format github                            # in GitHub Actions\n  gtcamp plan --format github --annotate notes           # after `gtcamp validate --format github`"
)]
pub struct Args {
    /// The workspace folder (the one holding `gtcamp.yaml`); left out, the current folder
    /// or the nearest parent holding one.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    scope: ScopeArgs,
    /// Save the plan to this file, for `gtcamp apply FILE`.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    out: Option<PathBuf>,
    /// Exit 0 when there is nothing to change, 2 when there is, 1 on error.
    #[arg(long)]
    detailed_exitcode: bool,
    /// How to write the plan; `github` also writes the job summary and annotations.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// With `--format github`: what becomes an annotation. `notes` when the same step ran
    /// `validate --format github` first, which annotated the warnings already.
    #[arg(long, value_enum, default_value_t = Annotate::All)]
    annotate: Annotate,
}

/// What `--format github` annotates.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Annotate {
    /// Check and lint warnings, and the notes that need attention.
    All,
    /// The notes that need attention (drift, unreachable, missed, inside the lead time).
    Notes,
}

/// Flags `plan` and `apply` share.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// The target to plan against (else the workspace's `default_target`, else `sandbox`).
    #[arg(long, add = super::completions::target_names())]
    pub target: Option<String>,
    /// Ask Getui about every tracked task first; `--refresh=false` plans from state alone.
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub refresh: bool,
    /// Remote calls in flight at once.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..))]
    pub parallelism: u16,
    /// How long to wait for another gtcamp run holding the state, such as `30s` or `2m`.
    #[arg(long, default_value = "30s")]
    pub lock_timeout: crate::model::Duration,
}

/// What `plan` and `apply` cover, and which protected campaigns they may cancel.
#[derive(Debug, Clone, clap::Args)]
pub struct ScopeArgs {
    /// Plan only this campaign: a name, or a glob such as `spring-*`; repeatable. The plan
    /// says that it is partial; the rest of the workspace waits for another plan.
    #[arg(long = "campaign", value_name = "NAME")]
    pub campaigns: Vec<String>,
    /// Leave this campaign out (a name or a glob); repeatable.
    #[arg(long = "exclude", value_name = "NAME")]
    pub exclude: Vec<String>,
    /// Plan phone bindings too. By default they are planned with the whole workspace and
    /// left out when `--campaign` or `--exclude` narrows the plan.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL", action = clap::ArgAction::Set)]
    pub bindings: Option<bool>,
    /// Let the plan cancel or replace pushes of this protected campaign (`protect: true`);
    /// repeatable.
    #[arg(long = "allow-cancel", value_name = "CAMPAIGN")]
    pub allow_cancel: Vec<String>,
}

impl ScopeArgs {
    /// What the plan covers and may cancel.
    pub fn to_scope(&self) -> pipeline::Scope {
        let narrowed = !self.campaigns.is_empty() || !self.exclude.is_empty();
        let bindings = self.bindings.unwrap_or(!narrowed);
        let selection = (narrowed || !bindings).then(|| crate::plan::Selection {
            campaigns: self.campaigns.clone(),
            exclude: self.exclude.clone(),
            bindings,
            left_out: 0,
        });
        pipeline::Scope {
            selection,
            allow_cancel: self.allow_cancel.clone(),
        }
    }

    /// Whether the command line says anything about what the plan covers.
    pub fn selects(&self) -> bool {
        !self.campaigns.is_empty() || !self.exclude.is_empty() || self.bindings.is_some()
    }
}

impl Common {
    pub fn request(&self, dir: PathBuf, purpose: &'static str) -> Request {
        Request {
            dir: super::paths::workspace_dir(&dir),
            target: self.target.clone(),
            lock_timeout: std::time::Duration::from_millis(self.lock_timeout.as_millis()),
            parallelism: usize::from(self.parallelism),
            purpose,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
    /// Text on stdout, warnings as annotations, Markdown into `$GITHUB_STEP_SUMMARY`.
    Github,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let runtime = tokio::runtime::Runtime::new()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(plan(args))
}

async fn plan(args: Args) -> miette::Result<ExitStatus> {
    let dir = super::paths::workspace(args.dir.as_deref())?;
    let request = args.common.request(dir, "gtcamp plan");
    let mut stderr = std::io::stderr();
    let session = match pipeline::open(&request, &mut stderr).await {
        Ok(session) => session,
        Err(error) => return stopped(error, &mut stderr),
    };
    let plan = pipeline::make_plan(
        &session,
        args.common.refresh,
        usize::from(args.common.parallelism),
        &args.scope.to_scope(),
    )
    .await;
    let refused = plan.and_then(|plan| {
        pipeline::refuse_past(&session, &plan)?;
        pipeline::refuse_protected(&session, &plan)?;
        pipeline::refuse_over_limits(&session, &plan)?;
        Ok(plan)
    });
    let plan = match refused {
        Ok(plan) => plan,
        Err(error) => {
            session.connection.close().await;
            return stopped(error, &mut stderr);
        }
    };
    let for_review = matches!(args.format, Format::Markdown | Format::Github);
    let last_sends = match for_review {
        true => {
            let parallelism = usize::from(args.common.parallelism);
            pipeline::report::last_sends(&session, &plan, parallelism).await
        }
        false => String::new(),
    };
    let mut shown = show(&plan, args.format);
    if let Format::Markdown = args.format {
        shown.push_str(&last_sends);
    }
    let _ = std::io::stdout().write_all(shown.as_bytes());
    if let Format::Github = args.format {
        let annotate = match args.annotate {
            Annotate::All => render::github::Annotate::All,
            Annotate::Notes => render::github::Annotate::Notes,
        };
        report_to_github(&plan, annotate, &last_sends, &mut stderr);
    }
    let unchecked = plan.unchecked();
    if unchecked.count > 0 {
        // Never success, whatever `--detailed-exitcode`: a green CI job must mean that Getui
        // was seen. An incomplete plan is not saved for a later apply either.
        let _ = writeln!(stderr, "Error: {unchecked}.");
    } else if let Some(out) = &args.out {
        crate::plan::saved::write(&plan, out).map_err(|e| reported(e.into()))?;
        let _ = writeln!(
            stderr,
            "Saved the plan to {}; apply it with `gtcamp apply {}`.",
            out.display(),
            out.display()
        );
    }
    let code = if unchecked.count > 0 {
        ExitStatus::Failure
    } else if args.detailed_exitcode && plan.has_changes() {
        ExitStatus::Changes
    } else {
        ExitStatus::Success
    };
    let Session {
        connection,
        locked,
        desired,
        ..
    } = session;
    connection.close().await;
    skip_teardown(locked, desired, plan);
    Ok(code)
}

/// The process is about to exit, and the OS takes its memory back at once; freeing a
/// million bindings and occurrences one by one first would take a tenth of a large plan's
/// time. The lock and the journal writer still close properly: only plain data is leaked.
fn skip_teardown(locked: LockedState, desired: Desired, plan: Plan) {
    // Keeps the state alive past the lock's drop, so its last reference is never released.
    std::mem::forget(locked.snapshot());
    std::mem::forget(desired);
    std::mem::forget(plan);
    drop(locked);
}

/// The plan in `format`; text is coloured only on a terminal.
pub fn show(plan: &Plan, format: Format) -> String {
    match format {
        Format::Text => {
            let color = match super::terminal::wants_color(std::io::stdout().is_terminal()) {
                true => ColorChoice::Always,
                false => ColorChoice::Never,
            };
            render::text::render(plan, color)
        }
        Format::Json => render::json::render(plan),
        Format::Markdown => render::markdown::render(plan),
        Format::Github => render::text::render(plan, ColorChoice::Never),
    }
}

/// Annotations on stdout (the runner reads them there), the Markdown plan appended to the
/// step summary file, or a note on stderr when there is none.
fn report_to_github(
    plan: &Plan,
    annotate: render::github::Annotate,
    last_sends: &str,
    stderr: &mut dyn Write,
) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = crate::render::github::annotation_root(&cwd);
    let annotations = render::github::annotations(plan, &cwd, &root, annotate);
    let _ = std::io::stdout().write_all(annotations.as_bytes());
    let already =
        step_summary_path().map_or(0, |path| std::fs::metadata(path).map_or(0, |m| m.len()));
    let mut summary =
        render::github::step_summary(plan, usize::try_from(already).unwrap_or(usize::MAX));
    summary.push_str(last_sends);
    append_step_summary(&summary, stderr);
}

fn step_summary_path() -> Option<PathBuf> {
    std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// Appends `text` to `$GITHUB_STEP_SUMMARY`, or says on stderr why it could not.
pub fn append_step_summary(text: &str, stderr: &mut dyn Write) {
    let Some(path) = step_summary_path() else {
        let _ = writeln!(
            stderr,
            "note: GITHUB_STEP_SUMMARY is not set (not in GitHub Actions?), so the job summary was not written."
        );
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    if let Err(error) = written {
        let _ = writeln!(
            stderr,
            "warning: could not write the job summary to {}: {error}",
            path.display()
        );
    }
}
