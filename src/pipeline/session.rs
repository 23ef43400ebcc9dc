//! An open workspace: compiled and linted, connected to its target, its state locked and
//! an interrupted run's operations settled.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::apply::recover::{Unsettled, recover};
use crate::compile::{CompileContext, CompileError, Desired, WorkspaceDevices, compile};
use crate::model::{TargetKind, Workspace};
use crate::state::{LockedState, Owner, StateStore};
use crate::target::Connection;

use super::{Checked, RunError, check_for_target};

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
    /// Creates an apply sends again under their journaled `request_id` (REST V2).
    pub resumable: Vec<Unsettled>,
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

/// Loads, checks, compiles, lints, connects (signing in to a real target, before the state
/// is locked: a run that cannot sign in writes no state), locks and recovers. Writes to `err` what the
/// person watching should see (the target line, notes, recoveries); a workspace with errors
/// comes back as [`RunError::Invalid`], for the caller to draw.
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
    let Checked {
        workspace,
        settings,
        target: name,
        context,
        diagnostics,
    } = check_for_target(&request.dir, request.target.as_deref(), now, |_| {})?;
    let env = |variable: &str| std::env::var(variable).ok();
    let is_sandbox = settings
        .target(&name)
        .is_ok_and(|target| target.kind == TargetKind::Sandbox);
    // Connecting, then taking the lock and reading the state (a million bindings take a
    // few tenths of a second to parse) run while the workspace compiles.
    let connecting = async {
        // Only a sandbox is seeded with the workspace's devices: a million cids sorted for
        // a real target would be time spent for nothing.
        let devices = if is_sandbox {
            WorkspaceDevices::of(&workspace)
        } else {
            WorkspaceDevices::default()
        };
        let connection = crate::target::connect(
            &request.dir,
            &settings,
            &name,
            &env,
            devices,
            request.parallelism,
        )
        .await?;
        let store = StateStore::open(&request.dir, &settings.state, &settings.name, &name, &env)?;
        let locked = lock(store, request.lock_timeout, request.purpose).await?;
        Ok::<_, RunError>((connection, locked))
    };
    let (desired, lints, connected) = while_compiling(&workspace, &context, connecting).await?;
    if lints.iter().any(|finding| finding.diagnostic.is_error()) {
        let findings = lints.into_iter().map(|f| f.diagnostic).collect();
        return Err(RunError::invalid(findings, workspace));
    }
    drop(workspace);
    let (connection, locked) = connected?;
    let _ = writeln!(err, "{}", connection.banner());
    for note in &connection.notes {
        let _ = writeln!(err, "note: {note}");
    }
    let owner = Owner {
        target: &name,
        app_id: &connection.app_id,
    };
    if let Some(note) = locked.claim(owner).await? {
        let _ = writeln!(err, "note: {note}");
    }
    for note in locked.notes() {
        let _ = writeln!(err, "note: {note}");
    }
    let recovered = recover(&locked, connection.api.as_ref(), &desired, now).await?;
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
        resumable: recovered.resumable,
        warnings: diagnostics,
        lints,
    })
}

/// Compiles and lints the workspace while `connecting` runs. Each can take a second on a
/// big workspace: creating a new sandbox of a million devices, and compiling and linting
/// their bindings and ten thousand campaigns. A current-thread runtime (tests) does one
/// after the other, and connects only once the workspace compiled.
async fn while_compiling<T>(
    workspace: &crate::load::LoadedWorkspace,
    context: &CompileContext,
    connecting: impl std::future::Future<Output = T>,
) -> Result<(Desired, Vec<crate::lint::Finding>, T), CompileError> {
    let compile_and_lint = || {
        let desired = compile(workspace, context)?;
        let lints = crate::lint::lint_workspace(workspace, &desired);
        Ok::<_, CompileError>((desired, lints))
    };
    let flavor = tokio::runtime::Handle::current().runtime_flavor();
    if flavor != tokio::runtime::RuntimeFlavor::MultiThread {
        let (desired, lints) = compile_and_lint()?;
        return Ok((desired, lints, connecting.await));
    }
    tokio::task::block_in_place(|| {
        std::thread::scope(|scope| {
            let compiling = scope.spawn(compile_and_lint);
            let connected = tokio::runtime::Handle::current().block_on(connecting);
            let (desired, lints) = compiling
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            Ok((desired, lints, connected))
        })
    })
}

/// Taking the lock may wait for seconds: off the async threads.
async fn lock(
    store: StateStore,
    timeout: Duration,
    purpose: &'static str,
) -> Result<LockedState, crate::state::Error> {
    // On the CLI's multi-threaded runtime, block this thread (which `open` has already
    // taken off the async workers while the workspace compiles beside it). A
    // current-thread runtime (tests) cannot block in place.
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
