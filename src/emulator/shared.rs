//! [`Shared`]: what every connection, the admin API and the [`RunningEmulator`] handle reach.
//!
//! [`RunningEmulator`]: super::RunningEmulator

use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::watch;

use super::actions::exchange::Settings;
use super::clock::Clock;
use super::faults::FaultState;
use super::record::Recorder;
use super::store::Store;

/// Everything the connections share.
pub(crate) struct Shared {
    pub settings: Settings,
    pub base_url: String,
    /// Another URL of this emulator, which a `domain_error` fault sends clients to.
    pub alternate_url: String,
    /// The REST V2 prefix (before `/{app_id}`), and the other one a V2 `301` names.
    pub v2_url: String,
    pub v2_alternate_url: String,
    pub clock: Clock,
    pub data_dir: Option<PathBuf>,
    pub timeout_hold: Duration,
    pub store: Mutex<Store>,
    /// Who commits for everyone (see `commit::make_durable`).
    pub committing: Committer,
    pub faults: Mutex<FaultState>,
    pub recorder: Recorder,
    pub shutdown: watch::Receiver<bool>,
}

/// Locks a mutex even if a panicking thread poisoned it: every guarded value here stays
/// consistent between statements, and an emulator that stops answering helps nobody.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Resolves once shutdown was asked for (the borrow of the flag ends here, before any await).
pub(crate) async fn stop_requested(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
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
    pub(super) turn: Mutex<()>,
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
    pub(super) fn wait_for_arrived(&self) {
        let mut counts = lock(&self.counts);
        let arrived = counts.0;
        while counts.1 < arrived {
            counts = self
                .staged
                .wait(counts)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Arrival<'_> {
    fn drop(&mut self) {
        lock(&self.0.counts).1 += 1;
        self.0.staged.notify_all();
    }
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
