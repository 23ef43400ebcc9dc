//! The executor's hold on the state journal, with the crash switch tests use.
//!
//! Crash tests prove that a run killed at any journal step converges on the next run. The
//! hidden variable `GTCAMP_CRASH_AFTER_JOURNAL_STEPS=N` makes the process abort right after
//! the N-th journal write (intent or outcome), exactly where a real crash would hurt most.

use std::sync::atomic::{AtomicU64, Ordering};

use super::settle;
use crate::compile::{Desired, OccurrenceKey};
use crate::getui::api::PreparedPush;
use crate::state::{LockedState, OpId, Operation, Outcome};

/// The hidden crash switch.
pub const CRASH_VAR: &str = "GTCAMP_CRASH_AFTER_JOURNAL_STEPS";

/// Journal writes through the locked state, counted for the crash switch.
pub struct Journal<'a> {
    state: &'a LockedState,
    steps: AtomicU64,
    crash_after: Option<u64>,
}

impl<'a> Journal<'a> {
    pub fn new(state: &'a LockedState) -> Journal<'a> {
        let crash_after = std::env::var(CRASH_VAR)
            .ok()
            .and_then(|text| text.trim().parse().ok());
        Journal {
            state,
            steps: AtomicU64::new(0),
            crash_after,
        }
    }

    pub async fn begin(&self, operation: Operation) -> Result<OpId, crate::state::Error> {
        let id = self.state.begin(operation).await?;
        self.step();
        Ok(id)
    }

    pub async fn finish(&self, id: OpId, outcome: Outcome) -> Result<(), crate::state::Error> {
        self.state.finish(id, outcome).await?;
        self.step();
        Ok(())
    }

    /// The open create of `key` that an interrupted run sent under a `request_id`, when this
    /// apply may send it again under the same one (see [`settle::resumable`]).
    pub fn resumable(
        &self,
        key: &OccurrenceKey,
        desired: &Desired,
    ) -> Option<(OpId, PreparedPush)> {
        let now = crate::clock::now();
        self.state
            .unresolved()
            .into_iter()
            .find_map(|(id, operation)| {
                let same_key = matches!(
                    &operation,
                    Operation::CreateTask { key: open, campaign, .. }
                        if desired.lifecycle.key_now(open, campaign) == *key
                );
                let at = self.state.opened_at(id)?;
                let prepared = settle::resumable(&operation, at, desired, now).ok()??;
                same_key.then(|| (id, prepared.clone()))
            })
    }

    fn step(&self) {
        let done = self.steps.fetch_add(1, Ordering::SeqCst) + 1;
        if self.crash_after == Some(done) {
            std::process::abort();
        }
    }
}
