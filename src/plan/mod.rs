//! Plan: desired × recorded × remote → the changes an apply will make.
//!
//! [`refresh`] asks Getui about every task state tracks; [`diff`] is a pure function from
//! the desired state, the recorded state and that refresh to a [`Plan`]. Rendering lives in
//! `render/` and never decides anything.

mod model;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

pub use model::*;

use crate::compile::{Desired, OccurrenceKey};
use crate::getui::PushApi;
use crate::state::State;

/// What Getui said about each tracked task.
#[derive(Debug, Clone, Default)]
pub struct Refresh {
    pub tasks: BTreeMap<OccurrenceKey, RemoteView>,
}

/// One tracked task as Getui sees it, compared with state.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoteView {
    InSync,
    DeletedRemotely,
    AlreadySent,
    Failed,
    /// Getui holds it with another push time or content; `what` says which, for the reviewer.
    ChangedRemotely {
        what: String,
    },
    /// Getui could not be asked; the plan leaves the task alone and says so.
    Unreachable {
        error: String,
    },
}

/// Asks Getui about every task in `state`, at most `parallelism` at once.
pub async fn refresh(api: &dyn PushApi, state: &State, parallelism: usize) -> Refresh {
    let _ = (api, state, parallelism);
    todo!("plan engineer")
}

/// What diff needs besides the three states.
#[derive(Debug, Clone)]
pub struct DiffContext {
    pub now: DateTime<Utc>,
    pub meta: PlanMeta,
}

/// Decides the changes: pure, deterministic, no I/O. `refresh` is `None` with `--refresh=false`.
pub fn diff(desired: &Desired, state: &State, refresh: Option<&Refresh>, ctx: DiffContext) -> Plan {
    let _ = (desired, state, refresh, ctx);
    todo!("plan engineer")
}
