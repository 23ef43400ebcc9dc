//! Running a request against the store, and answering only once its change is durable.
//!
//! Every change is staged in the store under its lock and made durable by a group commit
//! ([`make_durable`]): one fsync for every change staged so far, so concurrent requests share
//! it instead of queueing one fsync each.

use std::sync::Arc;

use serde_json::Value;

use super::actions::exchange::{Exchange, result_only};
use super::gate;
use super::shared::{Shared, lock};
use super::store::{Store, StoreError, StoreSnapshot};
use crate::emulator::reply::Reply;
use crate::getui::ResultCode;

/// Runs the request against the store; with a data directory, on a blocking thread, since
/// the answer waits for an fsync and the sandbox shares its runtime with the client.
pub(crate) async fn apply_request(
    shared: &Arc<Shared>,
    action: Option<&str>,
    body: &Value,
    body_len: usize,
) -> Reply {
    let Some(action) = action else {
        // The probe clients use to rank hosts: any JSON with HTTP 200 will do.
        return result_only(ResultCode::Error).into();
    };
    if body.is_null() {
        return result_only(ResultCode::Error).into();
    }
    let (action, body) = (action.to_owned(), body.clone());
    run_durably(
        shared,
        move |exchange| gate::answer(exchange, &action, &body, body_len),
        || result_only(ResultCode::OtherError).into(),
    )
    .await
}

/// Runs `work` against the store and, if anything changed, answers only once the change is
/// durable; a store that failed gets `failed()` instead. With a data directory it runs on a
/// blocking thread, since the answer waits for an fsync and the sandbox shares its runtime
/// with the client. Both protocols' requests come through here.
pub(crate) async fn run_durably<T: Send + 'static>(
    shared: &Arc<Shared>,
    work: impl FnOnce(&mut Exchange<'_>) -> T + Send + 'static,
    failed: fn() -> T,
) -> T {
    if shared.data_dir.is_none() {
        return apply(shared, work, failed);
    }
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || apply(&shared, work, failed))
        .await
        .unwrap_or_else(|_| failed())
}

fn apply<T>(shared: &Shared, work: impl FnOnce(&mut Exchange<'_>) -> T, failed: fn() -> T) -> T {
    let arrival = shared
        .data_dir
        .is_some()
        .then(|| shared.committing.arrive());
    let now = shared.clock.now();
    let (reply, wait) = {
        let mut store = lock(&shared.store);
        store.settle(now);
        let mut exchange = Exchange {
            settings: &shared.settings,
            store: &mut store,
            now,
            base_url: &shared.base_url,
        };
        let reply = work(&mut exchange);
        let wait = store.stage();
        if let Some(e) = store.take_failure() {
            eprintln!("gtcamp emulator: {e}");
            return failed();
        }
        (reply, wait)
    };
    // Staged: the committer need no longer wait for this request.
    drop(arrival);
    if let Some(change) = wait
        && let Err(e) = make_durable(shared, change)
    {
        eprintln!("gtcamp emulator: {e}");
        return failed();
    }
    reply
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

/// A copy of the store after firing the tasks that are due (made durable first, like any
/// change).
pub(crate) fn snapshot(shared: &Shared) -> StoreSnapshot {
    read_store(shared, Store::snapshot)
}

/// What `read` reads of the store after firing the tasks that are due (made durable first,
/// like any change), for tests and the admin API.
pub(crate) fn read_store<T>(shared: &Shared, read: impl FnOnce(&mut Store) -> T) -> T {
    let now = shared.clock.now();
    let (read, wait) = {
        let mut store = lock(&shared.store);
        store.settle(now);
        let wait = store.stage();
        (read(&mut store), wait)
    };
    if let Some(change) = wait
        && let Err(e) = make_durable(shared, change)
    {
        eprintln!("gtcamp emulator: {e}");
    }
    read
}
