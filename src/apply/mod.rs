//! Apply: carries out a [`Plan`] against Getui, journaling every remote operation.
//!
//! It decides nothing: each change's action says what to do, and the request comes from a
//! fresh compile whose inputs match the plan's.

use std::sync::Arc;

use crate::compile::Desired;
use crate::getui::PushApi;
use crate::plan::Plan;
use crate::state::LockedState;

/// How an apply runs.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Remote operations in flight at once.
    pub parallelism: usize,
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
}

/// Runs `plan`.
pub async fn apply(
    plan: &Plan,
    desired: &Desired,
    state: &LockedState,
    api: Arc<dyn PushApi>,
    options: &ApplyOptions,
) -> ApplyReport {
    let _ = (plan, desired, state, api, options);
    todo!("apply engineer")
}
