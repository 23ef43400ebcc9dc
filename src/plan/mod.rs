//! Plan: desired × recorded × remote → the changes an apply will make.
//!
//! [`refresh`] asks Getui about every task state tracks; [`diff`] is a pure function from
//! the desired state, the recorded state and that refresh to a [`Plan`]. [`saved`] writes a
//! plan to a file and tells whether it is still fresh. Rendering lives in `render/` and never
//! decides anything.

mod diff;
mod estimate;
mod model;
mod refresh;
pub mod render;
pub mod saved;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

pub use diff::diff;
pub use estimate::estimate;
pub use model::*;
pub use refresh::refresh;
pub use saved::{Stale, check_fresh};

use crate::compile::OccurrenceKey;

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

/// What diff needs besides the three states.
#[derive(Debug, Clone)]
pub struct DiffContext {
    pub now: DateTime<Utc>,
    pub meta: PlanMeta,
    /// The target's `max_push_ahead` (the same value compile used). Display only: a create
    /// whose push time is within [`diff::APPLY_PERIOD`] of the window's far edge is shown as
    /// "now inside the window" rather than "new".
    pub max_push_ahead: chrono::Duration,
}
