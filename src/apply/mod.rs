//! Apply: carries out a [`Plan`] against Getui, journaling every remote operation.
//!
//! It decides nothing: each change's action says what to do, and the request comes from a
//! fresh compile whose inputs match the plan's. Every remote call is journaled before it
//! starts and after it ends, so a crash at any moment is recovered by [`recover`] on the next
//! run instead of being guessed at. Independent work goes on after a failure; the failures
//! are collected with what a person needs to act on them.

mod journal;
mod ops;
mod pace;
mod progress;
pub mod recover;
pub mod settle;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;

use crate::compile::{Desired, PhoneHash};
use crate::getui::PushApi;
use crate::plan::{BindingAction, Change, Plan};
use crate::state::LockedState;

pub use journal::CRASH_VAR;

/// Pairs per journaled binding operation: one Getui cid–pn call each.
pub const BINDING_BATCH: usize = crate::getui::legacy::CID_PN_CHUNK;

/// How an apply runs.
#[derive(Clone)]
pub struct ApplyOptions {
    /// Remote operations in flight at once.
    pub parallelism: usize,
    /// Set (by Ctrl-C) to stop starting new operations; in-flight ones finish.
    pub stop: Arc<AtomicBool>,
    /// Getui's limits on the target's pushes, which creates and fires are paced to
    /// (`None`: a sandbox without limits).
    pub limits: Option<crate::getui::Limits>,
    /// The clock pacing waits on: a sandbox's emulator's, else the system's (`None`).
    pub pace_clock: Option<Arc<dyn crate::clock::OtherClock>>,
}

impl Default for ApplyOptions {
    fn default() -> ApplyOptions {
        ApplyOptions {
            parallelism: 32,
            stop: Arc::new(AtomicBool::new(false)),
            limits: None,
            pace_clock: None,
        }
    }
}

/// What an apply did.
#[derive(Debug, Clone, Default)]
pub struct ApplyReport {
    pub succeeded: usize,
    pub failures: Vec<ApplyFailure>,
    /// Ctrl-C stopped it before every change ran.
    pub interrupted: bool,
}

/// One change that did not happen, with what a person needs to act on it.
#[derive(Debug, Clone)]
pub struct ApplyFailure {
    pub campaign: String,
    /// The occurrence, its time shown with its zone.
    pub occurrence: String,
    /// Getui's result code and its meaning, when Getui answered.
    pub code: Option<String>,
    pub message: String,
    /// Whether the change is held rather than failed: its answer was lost and nothing Getui
    /// documents has shown yet whether it landed, so it is not sent again.
    pub held: bool,
}

impl std::fmt::Display for ApplyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "campaign `{}`, {}: ", self.campaign, self.occurrence)?;
        if let Some(code) = &self.code {
            write!(f, "Getui code {code}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// One unit the executor runs; units never depend on one another.
enum Work<'p> {
    Change(&'p Change),
    Bind(Vec<(String, PhoneHash)>),
    Unbind(Vec<String>),
    Rename(&'p crate::plan::RenameChange),
    Protect(&'p crate::plan::ProtectionChange),
}

/// Runs `plan`.
pub async fn apply(
    plan: &Plan,
    desired: &Desired,
    state: &LockedState,
    api: Arc<dyn PushApi>,
    options: &ApplyOptions,
) -> ApplyReport {
    let work = work_of(plan, desired);
    let progress = progress::Progress::new(work.len() + plan.renames.len());
    let executor = ops::Executor {
        journal: journal::Journal::new(state),
        api,
        desired,
        progress: &progress,
        pacer: pace::Pacer::new(
            options.limits,
            options.pace_clock.clone(),
            options.stop.clone(),
        ),
    };
    let interrupted = AtomicBool::new(false);
    // Renames go first, one by one: the changes after them name tasks by their new keys.
    let mut renamed = Vec::new();
    for rename in &plan.renames {
        renamed.push(executor.run(Work::Rename(rename)).await);
    }
    // A rename state did not record leaves the changes after it naming keys state lacks.
    let work = match renamed.iter().all(Result::is_ok) {
        true => work,
        false => Vec::new(),
    };
    let results: Vec<Result<usize, Vec<ApplyFailure>>> = futures::stream::iter(work)
        .map(|unit| {
            let executor = &executor;
            let interrupted = &interrupted;
            async move {
                if options.stop.load(Ordering::SeqCst) {
                    interrupted.store(true, Ordering::SeqCst);
                    return Ok(0);
                }
                executor.run(unit).await
            }
        })
        .buffer_unordered(options.parallelism.max(1))
        .collect()
        .await;
    progress.finish();
    let mut report = ApplyReport {
        // A unit stopped while it waited for Getui's limits did nothing either.
        interrupted: interrupted.load(Ordering::SeqCst) || options.stop.load(Ordering::SeqCst),
        ..ApplyReport::default()
    };
    for result in renamed.into_iter().chain(results) {
        match result {
            Ok(done) => report.succeeded += done,
            Err(failures) => report.failures.extend(failures),
        }
    }
    report
}

/// Splits a plan into independent units: one per occurrence change, binding changes in
/// batches of [`BINDING_BATCH`] cids.
fn work_of<'p>(plan: &'p Plan, desired: &Desired) -> Vec<Work<'p>> {
    let mut work: Vec<Work<'p>> = plan.changes.iter().map(Work::Change).collect();
    work.extend(plan.protection.iter().map(Work::Protect));
    let mut binds = Vec::new();
    let mut unbinds = Vec::new();
    for change in &plan.bindings {
        match change.action {
            BindingAction::Bind | BindingAction::Rebind => {
                if let Some(hash) = desired.bindings.get(&change.cid) {
                    binds.push((change.cid.clone(), hash.clone()));
                }
            }
            BindingAction::Unbind => unbinds.push(change.cid.clone()),
        }
    }
    work.extend(binds.chunks(BINDING_BATCH).map(|c| Work::Bind(c.to_vec())));
    work.extend(
        unbinds
            .chunks(BINDING_BATCH)
            .map(|c| Work::Unbind(c.to_vec())),
    );
    work
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::Fingerprint;
    use crate::plan::{BindingChange, PlanMeta};

    fn plan_binding(count: usize, action: BindingAction) -> (Plan, Desired) {
        let cids: Vec<String> = (0..count).map(|n| format!("cid-{n:03}")).collect();
        let plan = Plan {
            format_version: crate::plan::FORMAT_VERSION,
            meta: PlanMeta {
                workspace: ".".into(),
                target: "sandbox".into(),
                lineage: "l".into(),
                serial: 0,
                input_fingerprint: Fingerprint("f".into()),
                earliest_push_time: None,
                created_at: chrono::Utc::now(),
                refreshed: true,
                selection: None,
                allow_cancel: Vec::new(),
            },
            campaigns: Vec::new(),
            changes: Vec::new(),
            bindings: cids
                .iter()
                .map(|cid| BindingChange {
                    cid: cid.clone(),
                    action,
                    before_prefix: None,
                    after_prefix: None,
                })
                .collect(),
            renames: Vec::new(),
            protection: Vec::new(),
            notes: Vec::new(),
            warnings: Vec::new(),
            estimates: Default::default(),
            pushes: None,
        };
        let desired = Desired {
            campaigns: Default::default(),
            occurrences: Default::default(),
            bindings: cids
                .iter()
                .map(|cid| (cid.clone(), PhoneHash("0".repeat(32))))
                .collect(),
            notes: Vec::new(),
            input_fingerprint: Fingerprint("f".into()),
            lifecycle: Default::default(),
        };
        (plan, desired)
    }

    fn sizes(work: &[Work<'_>]) -> Vec<usize> {
        work.iter()
            .map(|unit| match unit {
                Work::Change(_) => 0,
                Work::Bind(pairs) => pairs.len(),
                Work::Unbind(cids) => cids.len(),
                Work::Rename(_) | Work::Protect(_) => 0,
            })
            .collect()
    }

    #[test]
    fn bindings_are_split_into_batches_of_fifty() {
        let (plan, desired) = plan_binding(120, BindingAction::Rebind);
        assert_eq!(sizes(&work_of(&plan, &desired)), vec![50, 50, 20]);
        let (plan, desired) = plan_binding(51, BindingAction::Unbind);
        assert_eq!(sizes(&work_of(&plan, &desired)), vec![50, 1]);
    }

    #[test]
    fn failure_reads_campaign_occurrence_then_getui_code() {
        let failure = ApplyFailure {
            campaign: "promo".into(),
            occurrence: "promo@2030-01-09T12:00+08:00 (2030-01-09 12:00 Asia/Shanghai)".into(),
            code: Some("flow_exceeded (the API traffic quota is exceeded)".into()),
            message: "refused".into(),
            held: false,
        };
        assert_eq!(
            failure.to_string(),
            "campaign `promo`, promo@2030-01-09T12:00+08:00 (2030-01-09 12:00 Asia/Shanghai): Getui code flow_exceeded (the API traffic quota is exceeded): refused"
        );
    }
}
