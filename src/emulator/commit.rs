//! Running a request against the store, and answering only once its change is durable.
//!
//! Every change is staged in the store under its lock and made durable by a group commit
//! ([`make_durable`]): one fsync for every change staged so far, so concurrent requests share
//! it instead of queueing one fsync each.

use std::sync::{Arc, Condvar, Mutex};

use serde_json::Value;

use super::actions::exchange::{Exchange, result_only};
use super::gate;
use super::shared::{Shared, lock};
use super::store::{StoreError, StoreSnapshot};
use crate::getui::ResultCode;

/// Runs the request against the store; with a data directory, on a blocking thread, since
/// the answer waits for an fsync and the sandbox shares its runtime with the client.
pub(crate) async fn apply_request(
    shared: &Arc<Shared>,
    action: Option<&str>,
    body: &Value,
    body_len: usize,
) -> Value {
    if shared.data_dir.is_none() {
        return apply(shared, action, body, body_len);
    }
    let (shared, action, body) = (shared.clone(), action.map(str::to_owned), body.clone());
    tokio::task::spawn_blocking(move || apply(&shared, action.as_deref(), &body, body_len))
        .await
        .unwrap_or_else(|_| result_only(ResultCode::OtherError))
}

/// Runs the request against the store and, if it changed anything, answers only once the
/// change is durable.
fn apply(shared: &Shared, action: Option<&str>, body: &Value, body_len: usize) -> Value {
    let arrival = shared
        .data_dir
        .is_some()
        .then(|| shared.committing.arrive());
    let (reply, wait) = run(shared, action, body, body_len);
    drop(arrival);
    if let Some(change) = wait
        && let Err(e) = make_durable(shared, change)
    {
        eprintln!("gtcamp emulator: {e}");
        return result_only(ResultCode::OtherError);
    }
    reply
}

/// The answer to the request, and the change it must wait for (see [`Store::stage`]).
///
/// [`Store::stage`]: super::store::Store::stage
fn run(
    shared: &Shared,
    action: Option<&str>,
    body: &Value,
    body_len: usize,
) -> (Value, Option<u64>) {
    let Some(action) = action else {
        // The probe clients use to rank hosts: any JSON with HTTP 200 will do.
        return (result_only(ResultCode::Error), None);
    };
    if body.is_null() {
        return (result_only(ResultCode::Error), None);
    }
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    store.settle(now);
    let mut exchange = Exchange {
        settings: &shared.settings,
        store: &mut store,
        now,
        base_url: &shared.base_url,
    };
    let reply = gate::answer(&mut exchange, action, body, body_len);
    let wait = store.stage();
    if let Some(e) = store.take_failure() {
        eprintln!("gtcamp emulator: {e}");
        return (result_only(ResultCode::OtherError), None);
    }
    (reply, wait)
}

/// Group commit: whoever gets the turn commits every change staged so far with one fsync,
/// so the requests that staged while it waited find theirs durable and return at once. The
/// store lock is held during the commit (the database has one connection); requests queue on
/// it and stage together into the next commit.
fn make_durable(shared: &Shared, change: u64) -> Result<(), StoreError> {
    let _turn = lock(&shared.committing.turn);
    shared.committing.wait_for_arrived();
    let mut store = lock(&shared.store);
    if store.is_durable(change) {
        return Ok(());
    }
    store.commit()
}

/// Who commits for everyone, and the requests on their way to being staged.
///
/// Before it commits, the committer waits for the requests that had arrived to stage their
/// changes, so that one fsync covers them all. Without the wait, a store that answers a
/// request quickly (a batch of binds takes a fraction of a millisecond) committed nearly
/// every request alone: one fsync, and one copy of each page it changed in the WAL, per
/// request. It waits only for those that arrived before it, never for later ones, so a
/// steady stream of requests cannot hold a commit back; and they need only the store lock,
/// which the committer does not hold while it waits.
#[derive(Default)]
pub(crate) struct Committer {
    /// Taken by the request that commits for everyone.
    turn: Mutex<()>,
    /// Requests arrived, and requests that have staged (or found nothing to stage).
    counts: Mutex<(u64, u64)>,
    staged: Condvar,
}

/// A request on its way to being staged; dropping it (after staging, or on any way out)
/// counts it as staged.
pub(crate) struct Arrival<'a>(&'a Committer);

impl Committer {
    pub(crate) fn arrive(&self) -> Arrival<'_> {
        lock(&self.counts).0 += 1;
        Arrival(self)
    }

    /// Blocks until as many requests have staged as had arrived when it was called.
    fn wait_for_arrived(&self) {
        let mut counts = lock(&self.counts);
        let arrived = counts.0;
        while counts.1 < arrived {
            counts = self
                .staged
                .wait(counts)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
}

impl Drop for Arrival<'_> {
    fn drop(&mut self) {
        lock(&self.0.counts).1 += 1;
        self.0.staged.notify_all();
    }
}

/// A copy of the store after firing the tasks that are due (made durable first, like any
/// change).
pub(crate) fn snapshot(shared: &Shared) -> StoreSnapshot {
    let now = shared.clock.now();
    let (snapshot, wait) = {
        let mut store = lock(&shared.store);
        store.settle(now);
        let wait = store.stage();
        (store.snapshot(), wait)
    };
    if let Some(change) = wait
        && let Err(e) = make_durable(shared, change)
    {
        eprintln!("gtcamp emulator: {e}");
    }
    snapshot
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request that arrived before the commit is staged (here: has said so and counted
    /// itself out) by the time the committer goes ahead.
    #[test]
    fn a_commit_waits_for_the_requests_that_had_arrived() {
        let committer = Committer::default();
        let (staged_tx, staged_rx) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            let early = committer.arrive();
            scope.spawn(move || {
                let _ = staged_tx.send(());
                drop(early);
            });
            committer.wait_for_arrived();
            assert!(staged_rx.try_recv().is_ok(), "went ahead before it staged");
        });
        // Nothing arrived since: no wait at all.
        committer.wait_for_arrived();
        assert_eq!(*lock(&committer.counts), (1, 1));
    }
}
