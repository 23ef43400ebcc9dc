//! State: the record of what gtcamp created on Getui, kept so that it never sends twice.
//!
//! [`StateStore`] is where state lives (a local JSON file; a shared backend comes later);
//! [`LockedState`] is the exclusive hold on it for a whole plan or apply. During an apply every
//! remote operation is journaled twice, its intent before the call and its outcome after, so
//! that a crash at any moment leaves enough to recover from on the next run.

mod model;

use std::path::PathBuf;
use std::time::Duration;

pub use model::*;

/// Errors callers act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the state is locked by {holder}")]
    Locked { holder: String },
    #[error("could not {action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not a gtcamp state file: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "`{path}` was written by a newer gtcamp (state format {found}; this gtcamp reads up to {supported})"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
}

/// Identifies one journaled operation within a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpId(pub u64);

/// Where state is kept.
#[derive(Debug, Clone)]
pub struct StateStore {
    path: PathBuf,
}

impl StateStore {
    /// A state file on this machine (`.gtcamp/state.json` by default); its lock and journal
    /// sit beside it.
    pub fn local(path: impl Into<PathBuf>) -> StateStore {
        StateStore { path: path.into() }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Takes the exclusive lock, waiting up to `timeout`, then reads the state (a new one
    /// when none exists) and replays a journal left by an interrupted run.
    pub fn lock(&self, timeout: Duration, purpose: &str) -> Result<LockedState, Error> {
        let _ = (timeout, purpose);
        todo!("state engineer")
    }
}

/// The state, held under the lock until dropped. Shared by the operations of an apply:
/// every method takes `&self`.
pub struct LockedState {
    _private: (),
}

impl LockedState {
    /// A copy of the state as it stands, journaled outcomes included.
    pub fn state(&self) -> State {
        todo!("state engineer")
    }

    /// Intents a previous run journaled without an outcome: their result is unknown.
    pub fn unresolved(&self) -> Vec<(OpId, Operation)> {
        todo!("state engineer")
    }

    /// Journals an intent; returns once it is durable.
    pub async fn begin(&self, operation: Operation) -> Result<OpId, Error> {
        let _ = operation;
        todo!("state engineer")
    }

    /// Journals an outcome and applies it to the state; returns once it is durable.
    pub async fn finish(&self, id: OpId, outcome: Outcome) -> Result<(), Error> {
        let _ = (id, outcome);
        todo!("state engineer")
    }

    /// Replaces the state wholesale (import, `state rm`); journaled like any change.
    pub async fn replace(&self, state: State) -> Result<(), Error> {
        let _ = state;
        todo!("state engineer")
    }

    /// Writes the state atomically with the next serial and empties the journal.
    pub async fn save(&self) -> Result<(), Error> {
        todo!("state engineer")
    }
}
