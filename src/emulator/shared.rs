//! [`Shared`]: what every connection, the admin API and the [`RunningEmulator`] handle reach.
//!
//! [`RunningEmulator`]: super::RunningEmulator

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::watch;

use super::actions::exchange::Settings;
use super::clock::Clock;
use super::commit::Committer;
use super::faults::FaultState;
use super::record::Recorder;
use super::store::Store;

/// Everything the connections share.
pub(crate) struct Shared {
    pub settings: Settings,
    pub base_url: String,
    /// Another URL of this emulator, which a `domain_error` fault sends clients to.
    pub alternate_url: String,
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
