//! The pipeline behind `gtcamp plan`, `apply` and `status`, so the commands stay thin:
//! load → check → compile → lint → connect → lock → recover → refresh → diff.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::check::{CheckContext, Diagnostic, Summary, check_workspace};
use crate::compile::{CompileContext, CompileError, ContextError, Desired, compile};
use crate::load::{Limits, LoadedWorkspace, load_workspace};
use crate::model::{Document, Workspace};
use crate::plan::{DiffContext, Note, Plan, PlanMeta, Stale, Warning, diff, estimate, refresh};
use crate::state::{LockedState, Owner, StateStore};
use crate::target::{Connection, TargetError};

use super::recover::{RecoverError, Unsettled, recover};

/// What opening a workspace for a plan or an apply needs.
#[derive(Debug, Clone)]
pub struct Request {
    pub dir: PathBuf,
    pub target: Option<String>,
    pub lock_timeout: Duration,
    /// Remote calls in flight at once.
    pub parallelism: usize,
    /// Names the run in the lock, for whoever waits on it (`gtcamp apply`).
    pub purpose: &'static str,
}

/// Why a plan or an apply stopped before changing anything.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("the workspace has errors (shown above); fix them and run again")]
    Invalid,
    #[error("`{dir}` has no gtcamp.yaml with workspace settings")]
    NoSettings { dir: PathBuf },
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    Context(#[from] ContextError),
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// A duration too long to compute with (check reports it first, GC067).
    #[error(transparent)]
    TooLong(#[from] crate::model::DurationTooLong),
    #[error(transparent)]
    State(#[from] crate::state::Error),
    #[error(transparent)]
    Recover(#[from] RecoverError),
    #[error("the saved plan is stale: {0}")]
    Stale(#[from] Stale),
    #[error(transparent)]
    PlanFile(#[from] crate::plan::saved::PlanFileError),
}

/// An open workspace: connected to its target, its state locked and recovered.
pub struct Session {
    pub dir: PathBuf,
    pub settings: Workspace,
    pub connection: Connection,
    pub locked: LockedState,
    pub desired: Desired,
    pub now: chrono::DateTime<chrono::Utc>,
    /// How many operations of an interrupted run recovery settled.
    pub recovered: usize,
    /// The occurrences whose open operations recovery could not settle: held back.
    pub unsettled: Vec<Unsettled>,
    /// Warnings of the checks, for the plan to carry.
    pub warnings: Vec<crate::check::Diagnostic>,
    /// Warnings of the campaign lints, each about a campaign, for the plan to carry.
    pub lints: Vec<crate::lint::Finding>,
}

impl Session {
    pub fn lead_time(&self) -> Result<chrono::Duration, crate::model::DurationTooLong> {
        self.settings.defaults.lead_time.to_chrono()
    }
}

/// Loads, checks, connects, compiles, locks and recovers. Writes to `err` what the person
/// watching should see (diagnostics, the target line, recoveries).
pub async fn open(request: &Request, err: &mut dyn Write) -> Result<Session, RunError> {
    open_at(request, crate::clock::now(), err).await
}

/// [`open`] as of `now`: what tests and the pipeline fuzzer call, since setting `GTCAMP_NOW`
/// in-process would race other threads reading the environment.
pub async fn open_at(
    request: &Request,
    now: chrono::DateTime<chrono::Utc>,
    err: &mut dyn Write,
) -> Result<Session, RunError> {
    let Compiled {
        workspace,
        settings,
        target: name,
        desired,
        diagnostics,
    } = compile_checked(&request.dir, request.target.as_deref(), now, err, |_| {})?;
    let lints = crate::lint::lint_workspace(&workspace, &desired);
    if lints.iter().any(|finding| finding.diagnostic.is_error()) {
        let findings: Vec<_> = lints.into_iter().map(|f| f.diagnostic).collect();
        return Err(report_invalid(&findings, &workspace, err));
    }
    // Past compile the documents and the clear phone numbers are no longer needed: freed
    // now, their memory is reused for the state instead of the process growing further.
    drop(workspace);
    let env = |variable: &str| std::env::var(variable).ok();
    let connection = crate::target::connect(
        &request.dir,
        &settings,
        &name,
        &env,
        &desired,
        request.parallelism,
    )
    .await?;
    let _ = writeln!(err, "{}", connection.banner());
    for note in &connection.notes {
        let _ = writeln!(err, "note: {note}");
    }
    let store = StateStore::open(&request.dir, &settings.state, &settings.name, &name, &env)?;
    let locked = lock(store, request.lock_timeout, request.purpose).await?;
    let owner = Owner {
        target: &name,
        app_id: &connection.app_id,
    };
    locked.claim(owner).await?;
    for note in locked.notes() {
        let _ = writeln!(err, "note: {note}");
    }
    let recovered = recover(&locked, connection.api.as_ref()).await?;
    for line in &recovered.lines {
        let _ = writeln!(err, "{line}");
    }
    Ok(Session {
        dir: request.dir.clone(),
        settings,
        connection,
        locked,
        desired,
        now,
        recovered: recovered.settled,
        unsettled: recovered.unsettled,
        warnings: diagnostics,
        lints,
    })
}

/// A workspace loaded, checked and compiled for one target.
pub struct Compiled {
    pub workspace: LoadedWorkspace,
    /// The workspace settings, as compiled (after `adjust`).
    pub settings: Workspace,
    /// The target's name: the one asked for, else the default.
    pub target: String,
    pub desired: Desired,
    /// The checks' findings: warnings only, errors having stopped the run.
    pub diagnostics: Vec<Diagnostic>,
}

/// Load → check → settings → target → compile: the start of [`open`], and all that
/// `gtcamp calendar` needs. Check errors are drawn to `err` as `gtcamp validate` draws them,
/// and stop it with [`RunError::Invalid`]. `adjust` may change the checked workspace before
/// it compiles (the calendar widens the horizon to its window).
pub fn compile_checked(
    dir: &Path,
    target: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
    err: &mut dyn Write,
    adjust: impl FnOnce(&mut LoadedWorkspace),
) -> Result<Compiled, RunError> {
    let mut workspace = load_workspace(dir, &Limits::default());
    let diagnostics = check_workspace(&workspace, &CheckContext { now });
    if Summary::of(&diagnostics).errors > 0 {
        return Err(report_invalid(&diagnostics, &workspace, err));
    }
    adjust(&mut workspace);
    let settings = settings_of(&workspace).ok_or_else(|| RunError::NoSettings {
        dir: dir.to_path_buf(),
    })?;
    let name = settings.chosen_target(target);
    let context = CompileContext::for_target(&settings, &name, now)?;
    let desired = compile(&workspace, &context)?;
    Ok(Compiled {
        workspace,
        settings,
        target: name,
        desired,
        diagnostics,
    })
}

/// Draws the diagnostics that stop a run, as `gtcamp validate` does, and says the run is over.
fn report_invalid(
    diagnostics: &[Diagnostic],
    workspace: &LoadedWorkspace,
    err: &mut dyn Write,
) -> RunError {
    let cwd = std::env::current_dir().unwrap_or_default();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let drawn = crate::check::render::human(diagnostics, workspace, &cwd, color);
    let _ = err.write_all(drawn.as_bytes());
    let _ = writeln!(err, "{}", Summary::of(diagnostics));
    RunError::Invalid
}

/// Taking the lock may wait for seconds: off the async threads.
async fn lock(
    store: StateStore,
    timeout: Duration,
    purpose: &'static str,
) -> Result<LockedState, crate::state::Error> {
    // On the CLI's multi-threaded runtime, block this thread: the state is then parsed
    // into the memory the workspace just freed, rather than into a fresh allocator arena
    // of a blocking thread. A current-thread runtime (tests) cannot block in place.
    let flavor = tokio::runtime::Handle::current().runtime_flavor();
    if flavor == tokio::runtime::RuntimeFlavor::MultiThread {
        return tokio::task::block_in_place(|| store.lock(timeout, purpose));
    }
    let path = store.path().to_path_buf();
    tokio::task::spawn_blocking(move || store.lock(timeout, purpose))
        .await
        .unwrap_or_else(|_| {
            Err(crate::state::Error::Io {
                action: "lock",
                path,
                source: std::io::Error::other("the locking thread stopped"),
            })
        })
}

/// Takes out of `plan` every change to an occurrence whose open operation is unsettled,
/// noting why: creating, firing or replacing it could send it twice. The rest goes ahead.
pub fn hold_back(plan: &mut Plan, unsettled: &[Unsettled]) {
    if unsettled.is_empty() {
        return;
    }
    let held: std::collections::HashSet<&crate::compile::OccurrenceKey> =
        unsettled.iter().map(|u| &u.key).collect();
    plan.changes.retain(|change| !held.contains(&change.key));
    plan.notes
        .retain(|note| !matches!(note, Note::Unreachable { key, .. } if held.contains(key)));
    plan.notes
        .extend(unsettled.iter().map(|u| Note::Unreachable {
            key: u.key.clone(),
            campaign: u.campaign.clone(),
            error: u.reason.clone(),
        }));
}

/// Refreshes (unless told not to) and diffs into a plan.
pub async fn make_plan(session: &Session, refresh_remote: bool, parallelism: usize) -> Plan {
    // Shared, not copied: a state of a million bindings takes a while to clone.
    let state = session.locked.snapshot();
    let remote = if refresh_remote {
        Some(refresh(session.connection.api.as_ref(), &state, parallelism.max(1)).await)
    } else {
        None
    };
    let meta = PlanMeta {
        workspace: session.dir.clone(),
        target: session.connection.name.clone(),
        lineage: state.lineage.clone(),
        serial: state.serial,
        input_fingerprint: session.desired.input_fingerprint.clone(),
        earliest_push_time: None,
        created_at: session.now,
        refreshed: refresh_remote,
    };
    let context = DiffContext {
        now: session.now,
        meta,
        max_push_ahead: session.connection.max_push_ahead,
    };
    let mut plan = diff(&session.desired, &state, remote.as_ref(), context);
    hold_back(&mut plan, &session.unsettled);
    let api = session.connection.api.as_ref();
    estimate(
        api,
        &session.desired,
        &mut plan,
        refresh_remote,
        parallelism,
    )
    .await;
    let checks = session.warnings.iter().map(|d| (d, None));
    let lints = session
        .lints
        .iter()
        .map(|f| (&f.diagnostic, Some(f.campaign.clone())));
    plan.warnings = checks
        .chain(lints)
        .map(|(warning, campaign)| Warning::from_diagnostic(warning, campaign))
        .collect();
    // Both lists are in file order; a stable sort by place interleaves them.
    crate::load::sort_by_place(&mut plan.warnings, |w| match (&w.file, w.line, w.column) {
        (Some(file), Some(line), Some(column)) => Some((file.as_path(), line, column)),
        _ => None,
    });
    plan
}

/// Refuses a saved plan that no longer matches the state, the inputs or the clock.
pub fn check_saved(session: &Session, plan: &Plan) -> Result<(), RunError> {
    crate::plan::check_fresh(
        plan,
        &session.locked.snapshot(),
        &session.desired,
        session.now,
        session.lead_time()?,
    )?;
    Ok(())
}

fn settings_of(workspace: &LoadedWorkspace) -> Option<Workspace> {
    workspace
        .documents
        .iter()
        .find_map(|doc| match &doc.document {
            Some(Document::Workspace(settings)) => Some((**settings).clone()),
            _ => None,
        })
}

/// The workspace a path names: relative paths read best in messages.
pub fn workspace_dir(dir: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return dir.to_path_buf();
    };
    match dir.strip_prefix(&cwd) {
        Ok(inside) if dir.is_absolute() && !inside.as_os_str().is_empty() => inside.to_path_buf(),
        Ok(_) if dir.is_absolute() => PathBuf::from("."),
        _ => dir.to_path_buf(),
    }
}
