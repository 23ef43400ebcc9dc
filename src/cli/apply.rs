//! `gtcamp apply [PLANFILE | DIR]`: make Getui match the workspace.
//!
//! With a saved plan, it applies exactly that plan, refusing it when stale. Without one, it
//! plans, shows the plan and asks on a terminal; off a terminal it needs `--auto-approve`.
//! Exit 0 when everything was applied, 1 when anything failed, 130 when Ctrl-C stopped it
//! and 143 when SIGTERM did ([`ExitStatus`]).

use super::ExitStatus;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use miette::{IntoDiagnostic, WrapErr};

use super::plan::{Common, Format, ScopeArgs, show};
use super::terminal::{reported, stopped};
use crate::apply::recover::Unsettled;
use crate::apply::{ApplyOptions, ApplyReport, apply};
use crate::pipeline::{self, Session};
use crate::plan::{Note, Plan};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp apply campaigns                                 # plan, show, ask, apply\n  gtcamp apply plan.json                                 # exactly a saved plan\n  gtcamp apply --target production --auto-approve        # in CI"
)]
pub struct Args {
    /// A plan saved by `gtcamp plan -o FILE`, or the workspace folder to plan and apply;
    /// left out, the current folder or the nearest parent holding `gtcamp.yaml`.
    #[arg(value_name = "PLANFILE | DIR")]
    input: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    scope: ScopeArgs,
    /// Apply without asking (what CI does).
    #[arg(long)]
    auto_approve: bool,
    /// Send a held occurrence anew: one whose answer was lost and that Getui has not shown
    /// as landed. It may then reach phones twice; gtcamp prints what it knows first.
    #[arg(long, value_name = "KEY")]
    resend_unconfirmed: Vec<String>,
}

const QUESTION: &str = "Do you want to apply these changes? Only 'yes' will be accepted: ";

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let runtime = tokio::runtime::Runtime::new()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(apply_command(args))
}

async fn apply_command(args: Args) -> miette::Result<ExitStatus> {
    let mut stderr = std::io::stderr();
    let saved = match &args.input {
        Some(file) if file.is_file() => {
            Some(crate::plan::saved::read(file).map_err(|e| reported(e.into()))?)
        }
        _ => None,
    };
    let (dir, mut common) = match &saved {
        Some(plan) => (plan.meta.workspace.clone(), args.common.clone()),
        None => (
            super::paths::workspace(args.input.as_deref())?,
            args.common.clone(),
        ),
    };
    if let Some(plan) = &saved {
        if let Some(asked) = &args.common.target
            && *asked != plan.meta.target
        {
            return Err(miette::miette!(
                help = format!(
                    "apply it without `--target`, or make a plan for `{asked}` with `gtcamp plan --target {asked} -o FILE`"
                ),
                "the saved plan was made for target `{}`, not `{asked}`; nothing was changed",
                plan.meta.target
            ));
        }
        common.target = Some(plan.meta.target.clone());
    }
    if let Some(plan) = &saved
        && args.scope.selects()
    {
        let asked = args.scope.to_scope().selection;
        let without_count = |s: Option<&crate::plan::Selection>| {
            s.cloned()
                .map(|s| crate::plan::Selection { left_out: 0, ..s })
        };
        if without_count(asked.as_ref()) != without_count(plan.meta.selection.as_ref()) {
            return Err(miette::miette!(
                help = "apply it without `--campaign`, `--exclude` or `--bindings`, or make a plan of that selection with `gtcamp plan … -o FILE`",
                "the saved plan was made for another selection of campaigns; nothing was changed"
            ));
        }
    }
    if saved.is_some() && !args.resend_unconfirmed.is_empty() {
        return Err(miette::miette!(
            help = "run `gtcamp apply --resend-unconfirmed KEY DIR`, which plans anew",
            "`--resend-unconfirmed` cannot change a saved plan; nothing was changed"
        ));
    }
    let request = common.request(dir, "gtcamp apply");
    let mut session = match pipeline::open(&request, &mut stderr).await {
        Ok(session) => session,
        Err(error) => return stopped(error, &mut stderr),
    };
    let resend = match unhold(&mut session, &args.resend_unconfirmed) {
        Ok(resend) => resend,
        Err(error) => {
            session.connection.close().await;
            return Err(error);
        }
    };
    let plan = match saved {
        Some(mut plan) => {
            pipeline::check_saved(&session, &plan).map_err(reported)?;
            pipeline::refuse_protected(&session, &plan).map_err(reported)?;
            pipeline::hold_back(&mut plan, &session.unsettled, &session.desired);
            // Counted afresh: the day, and what earlier applies made on it, may have moved.
            pipeline::count_pushes(&session, &mut plan);
            pipeline::refuse_over_limits(&session, &plan).map_err(reported)?;
            plan
        }
        None => {
            let parallelism = usize::from(common.parallelism);
            let plan = pipeline::make_plan(
                &session,
                common.refresh,
                parallelism,
                &args.scope.to_scope(),
            )
            .await
            .and_then(|plan| {
                pipeline::refuse_past(&session, &plan)?;
                pipeline::refuse_protected(&session, &plan)?;
                pipeline::refuse_over_limits(&session, &plan)?;
                Ok(plan)
            });
            let plan = match plan {
                Ok(plan) => plan,
                Err(error) => {
                    session.connection.close().await;
                    return stopped(error, &mut stderr);
                }
            };
            let _ = std::io::stdout().write_all(show(&plan, Format::Text).as_bytes());
            if plan.has_changes() && !approved(args.auto_approve)? {
                session.connection.close().await;
                return Ok(ExitStatus::Failure);
            }
            plan
        }
    };
    for held in &resend {
        let why = "given up with `--resend-unconfirmed`: sent anew on a person's word";
        if let Err(error) = crate::apply::recover::release(&session.locked, &held.key, why).await {
            session.connection.close().await;
            return Err(reported(error.into()));
        }
    }
    let unchecked = plan.unchecked();
    let report = if plan.is_empty() {
        if unchecked.count == 0 && plan.held() == 0 {
            let _ = writeln!(std::io::stdout(), "Apply complete! Nothing to change.");
        }
        None
    } else {
        Some(execute(&session, &plan, usize::from(common.parallelism)).await)
    };
    // Nothing done and nothing recovered: the state stays as it is, serial included.
    let saved = match (&report, session.recovered) {
        (None, 0) => Ok(()),
        _ => {
            let days = chrono::Duration::days(i64::from(session.settings.state.history_days));
            let since = session.now.checked_sub_signed(days).unwrap_or(session.now);
            session.locked.save_forgetting_sends_before(since).await
        }
    };
    session.connection.close().await;
    if let Err(error) = saved {
        eprintln!(
            "Error: the state could not be saved ({error}); the journal keeps every operation, and the next run recovers it."
        );
        return Ok(ExitStatus::Failure);
    }
    let held: Vec<String> = plan
        .notes
        .iter()
        .filter_map(|note| match note {
            Note::Held { key, reason, .. } => Some(format!("{key}: {reason}")),
            _ => None,
        })
        .collect();
    for line in &held {
        eprintln!("Held: {line}");
    }
    let code = match report {
        Some((report, signal)) => summarize(&report, signal, unchecked.count > 0, held.len()),
        None if !held.is_empty() => {
            println!("{}", incomplete(0, held.len()));
            ExitStatus::Failure
        }
        None => ExitStatus::Success,
    };
    if unchecked.count > 0 {
        // What could not be checked was left alone: the apply did not do all it should.
        eprintln!("Error: {unchecked}.");
        if code == ExitStatus::Success {
            return Ok(ExitStatus::Failure);
        }
    }
    Ok(code)
}

/// Asks on a terminal; refuses off one unless `--auto-approve`.
fn approved(auto_approve: bool) -> miette::Result<bool> {
    if auto_approve {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(miette::miette!(
            help = "run `gtcamp apply --auto-approve`, or save a plan with `gtcamp plan -o FILE` and run `gtcamp apply FILE`",
            "not on a terminal, so no one can answer whether to apply these changes; nothing was changed"
        ));
    }
    let mut stdout = std::io::stdout();
    let _ = write!(stdout, "\n{QUESTION}");
    let _ = stdout.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if answer.trim() == "yes" {
        return Ok(true);
    }
    let _ = writeln!(stdout, "Apply cancelled; nothing was changed.");
    Ok(false)
}

/// Runs the plan; Ctrl-C or SIGTERM stops new operations and lets in-flight ones finish.
async fn execute(
    session: &Session,
    plan: &Plan,
    parallelism: usize,
) -> (ApplyReport, Option<Stop>) {
    let stop = Arc::new(AtomicBool::new(false));
    let received = Arc::new(std::sync::Mutex::new(None));
    let interrupt = stop_signal();
    let watcher = {
        let (stop, received) = (stop.clone(), received.clone());
        tokio::spawn(async move {
            let Some(signal) = interrupt.await else {
                return;
            };
            eprintln!("Stopping: no new operations; finishing those in flight and saving.");
            if let Ok(mut slot) = received.lock() {
                *slot = Some(signal);
            }
            stop.store(true, Ordering::SeqCst);
            exit_after_deadline(signal);
        })
    };
    let options = ApplyOptions {
        parallelism,
        stop,
        limits: session.connection.limits,
        pace_clock: session.connection.pace_clock(),
    };
    let api = session.connection.api.clone();
    let report = apply(plan, &session.desired, &session.locked, api, &options).await;
    watcher.abort();
    let signal = received.lock().ok().and_then(|slot| *slot);
    (report, signal)
}

/// What stopped an apply, and the exit status that says so (128 + the signal's number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Interrupt,
    Terminate,
}

impl Stop {
    fn status(self) -> ExitStatus {
        match self {
            Stop::Interrupt => ExitStatus::Interrupted,
            Stop::Terminate => ExitStatus::Terminated,
        }
    }
}

/// How long calls in flight may take to finish after a stop: CI systems kill a job some
/// seconds after SIGTERM, and state is crash-safe anyway (the journal settles the rest).
const STOP_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

/// Overrides [`STOP_DEADLINE`], in seconds (for tests).
pub const STOP_DEADLINE_VAR: &str = "GTCAMP_STOP_DEADLINE_SECS";

/// Ends the process if the calls in flight have not finished by the stop deadline: every
/// operation is journaled before it starts, so the next run settles what was cut short.
fn exit_after_deadline(signal: Stop) {
    let deadline = std::env::var(STOP_DEADLINE_VAR)
        .ok()
        .and_then(|secs| secs.trim().parse().ok())
        .map_or(STOP_DEADLINE, std::time::Duration::from_secs);
    std::thread::spawn(move || {
        std::thread::sleep(deadline);
        eprintln!(
            "Stopped: calls were still in flight after {} s; the next run settles them from the journal.",
            deadline.as_secs()
        );
        std::process::exit(i32::from(signal.status().code()));
    });
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, which CI systems send on cancel. On Unix the
/// handlers are installed before this returns, so a signal the moment the first operation
/// starts is caught rather than killing the process.
fn stop_signal() -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<Stop>> + Send>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut interrupt), Ok(mut terminate)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            return Box::pin(async move {
                tokio::select! {
                    received = interrupt.recv() => received.map(|()| Stop::Interrupt),
                    received = terminate.recv() => received.map(|()| Stop::Terminate),
                }
            });
        }
    }
    Box::pin(async { tokio::signal::ctrl_c().await.ok().map(|()| Stop::Interrupt) })
}

/// Takes the occurrences a person asked to send anew out of the held ones (and the V2
/// creates an apply would resume, which `status` lists with them), after printing what is
/// known of each; an asked key that is neither is an error.
fn unhold(session: &mut Session, keys: &[String]) -> miette::Result<Vec<Unsettled>> {
    let mut resend = Vec::new();
    for key in keys {
        let held = take(&mut session.unsettled, key, |held| !held.unreachable)
            .or_else(|| take(&mut session.resumable, key, |_| true));
        let occurrence = crate::compile::OccurrenceKey(key.clone());
        if held.is_none() && session.desired.occurrences.contains_key(&occurrence) {
            // Settled since the person looked (its report caught up): nothing to send anew.
            eprintln!("`{key}` is not held (any more): nothing is sent anew for it.");
            continue;
        }
        let Some(held) = held else {
            let held: Vec<&str> = session
                .unsettled
                .iter()
                .filter(|held| !held.unreachable)
                .chain(&session.resumable)
                .map(|held| held.key.0.as_str())
                .collect();
            return Err(miette::miette!(
                help = if held.is_empty() {
                    "nothing is held on this target: `gtcamp status` lists held occurrences"
                        .to_owned()
                } else {
                    format!("held now: {}", held.join(", "))
                },
                "`{key}` is no occurrence of this workspace, so there is nothing to send anew; nothing was changed"
            ));
        };
        eprintln!(
            "`{}` is held, and is sent anew on your word once the plan is applied. What is known: {}\nIf it did land, its phones get it twice.",
            held.key, held.reason
        );
        resend.push(held);
    }
    Ok(resend)
}

/// Removes and returns the entry of `key` from `list`, if one that `eligible` takes is there.
fn take(
    list: &mut Vec<Unsettled>,
    key: &str,
    eligible: impl Fn(&Unsettled) -> bool,
) -> Option<Unsettled> {
    let at = list
        .iter()
        .position(|held| eligible(held) && held.key.0 == key)?;
    Some(list.remove(at))
}

/// The closing line of an apply that left occurrences held.
fn incomplete(applied: usize, held: usize) -> String {
    let (each, it) = match held {
        1 => ("shown above: its answer was lost", "it"),
        _ => ("each shown above: its answer was lost", "each"),
    };
    format!(
        "Apply incomplete: {} applied; {} held, {each} and Getui has not shown whether it landed, so it is not sent again. A later run settles {it}; `gtcamp status` lists {}.",
        changes(applied),
        changes(held),
        if held == 1 { "it" } else { "them" }
    )
}

/// "1 change", "2 changes".
fn changes(count: usize) -> String {
    crate::render::count(count, "change", "changes")
}

/// Says how the apply went; `incomplete` when tasks it should have checked were not, and
/// `held_before` the occurrences that were held before it started.
fn summarize(
    report: &ApplyReport,
    signal: Option<Stop>,
    incomplete_checks: bool,
    held_before: usize,
) -> ExitStatus {
    let mut stdout = std::io::stdout();
    let (held, failures): (Vec<_>, Vec<_>) = report.failures.iter().partition(|f| f.held);
    for failure in &failures {
        eprintln!("Error: {failure}");
    }
    for held in &held {
        eprintln!("Held: {}: {}", held.occurrence, held.message);
    }
    let held = held.len() + held_before;
    if report.interrupted || signal.is_some() {
        let _ = writeln!(
            stdout,
            "Apply interrupted: {} applied; the rest were not started. Run apply again to finish.",
            changes(report.succeeded)
        );
        return signal.unwrap_or(Stop::Interrupt).status();
    }
    if failures.is_empty() && held > 0 {
        let _ = writeln!(stdout, "{}", incomplete(report.succeeded, held));
        return ExitStatus::Failure;
    }
    if failures.is_empty() && incomplete_checks {
        let _ = writeln!(
            stdout,
            "Apply finished: {} applied; the tasks Getui could not be asked about were left alone.",
            changes(report.succeeded)
        );
        return ExitStatus::Failure;
    }
    if failures.is_empty() {
        let _ = writeln!(
            stdout,
            "Apply complete! {} applied.",
            changes(report.succeeded)
        );
        return ExitStatus::Success;
    }
    let held = if held > 0 {
        format!(", {held} held")
    } else {
        String::new()
    };
    let _ = writeln!(
        stdout,
        "Apply finished with errors: {} applied, {} failed{held}. Run apply again to retry.",
        changes(report.succeeded),
        failures.len()
    );
    ExitStatus::Failure
}
