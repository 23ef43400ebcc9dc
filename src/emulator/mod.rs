//! A Getui-compatible server speaking the legacy protocol and REST API V2 over one store,
//! for the sandbox and for tests.
//!
//! The emulator is a product feature: the `sandbox` target runs it embedded so that a fresh
//! clone can plan and apply without credentials, and every test talks to it. It is faithful
//! where it matters to a client: the same URL scheme (one URL, `action` in the JSON body),
//! bootstrap and md5 `connect`, auth tokens, the result codes of `getui::codes`, the limits
//! of the protocol reference, scheduled tasks that fire when a [`Clock`] passes their push time,
//! and fault injection ([`FaultSpec`]) for the failures a real network has.
//!
//! ```no_run
//! # async fn demo() -> Result<(), gtcamp::emulator::Error> {
//! use gtcamp::emulator::{EmulatorConfig, start};
//! let emulator = start(EmulatorConfig::default(), "127.0.0.1:0".parse().unwrap()).await?;
//! let host = emulator.base_url(); // give this to a client as its host
//! # let _ = host;
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Layout, by job:
//!
//! | file | its job |
//! | --- | --- |
//! | `server` | HTTP: connections, routing, the legacy protocol URL, faults applied |
//! | `http` | what both protocol endpoints share: gzip, latency, holds, the log entry |
//! | `v2` | REST V2 under `/v2/{app_id}/`: its endpoint, gate, handlers and route names |
//! | `gate` | what a request must pass before its handler: known action, size, app key, token |
//! | `actions/` | the dispatch table keyed by each action's `NAME`, and the handlers by area |
//! | `commit` | a request run against the store, answered once its change is durable |
//! | `record` | the request log |
//! | `admin` | the `/_emulator/` admin API |
//! | `shared` | what connections, the admin API and [`RunningEmulator`] share |
//! | `store`, `db` | the emulated app's state, and its SQLite file |
//! | `reports` | what push reports count, and from when (both protocols) |
//! | `delivery` | how a push that fires reaches each device: channels, makers' caps and hours |
//! | `audience` | which users conditions pick |
//! | `clock`, `faults`, `seed` | the clock, fault injection, the users file |

mod actions;
mod admin;
mod audience;
mod clock;
mod commit;
mod db;
mod delivery;
mod faults;
mod gate;
mod http;
mod quota;
mod record;
mod records;
mod reply;
mod reports;
mod seed;
mod server;
mod shared;
mod store;
mod v2;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use actions::exchange::RepeatedRequest;
pub use clock::{Clock, ClockOutOfRange};
pub use delivery::{
    CLICKS_BASIS_POINTS, NOTIFICATIONS_OFF_BASIS_POINTS, VendorPolicy, clicks, notifications_off,
};
pub use faults::{FaultKind, FaultRule, FaultSpec, FaultSpecError, Latency, LatencyError, PROBE};
pub use record::RecordedRequest;
pub use seed::{Maker, SeedError, UserSeed, load_users};
pub use store::{
    App, Channel, Deliveries, ListPush, StoreError, StoreSnapshot, Task, TaskKind, TaskStatus,
    User, V2Task, VendorPush,
};
/// The names of the REST V2 routes, for fault specs and the request log.
pub use v2::names as v2_routes;

use crate::getui::{MAX_PUSH_AHEAD, Secret};
use shared::{Shared, lock};

/// How an emulator behaves. `Default` gives app `demo`, key `demo-key`, secret `demo-secret`,
/// no users, no faults, the system clock and Getui's documented limits.
#[derive(Clone)]
pub struct EmulatorConfig {
    pub app_id: String,
    pub app_key: String,
    pub master_secret: String,
    /// Where the store is kept across restarts; `None` keeps it in memory only.
    pub data_dir: Option<PathBuf>,
    /// The users of the app (ignored when `data_dir` already holds a store).
    pub users: Vec<UserSeed>,
    /// Cids of more devices of the app with nothing else set (as [`UserSeed::new`] makes
    /// them), also ignored when `data_dir` holds a store. A sandbox has one for each cid of its
    /// workspace: a million of them go into a new store in one statement instead
    /// of a million seeds and rows.
    pub bare_devices: Vec<String>,
    pub latency: Latency,
    pub faults: FaultSpec,
    pub clock: Clock,
    /// How far ahead a `pushTime` may lie (default [`MAX_PUSH_AHEAD`], 7 days).
    pub max_push_ahead: chrono::Duration,
    /// How far a `connect` timestamp may be from the clock (default ±10 minutes).
    pub sign_window: chrono::Duration,
    /// How long an auth token stays valid (default 24 hours).
    pub token_ttl: chrono::Duration,
    /// The largest accepted JSON body (default 25 KB).
    pub max_body_bytes: usize,
    /// How long a `timeout` fault holds a request before dropping it (default 10 minutes).
    pub timeout_hold: Duration,
    /// Print one line per request to stderr (what `gtcamp emulator` does).
    pub log_requests: bool,
    /// How long after a push left the reports begin to count it (default 5 minutes). Getui
    /// says its reports lag about 30 minutes; the emulator lags too, so that no client can
    /// rest on a report being immediate, but by less, so that a sandbox user sees figures
    /// after a short wait. Tests move the [`Clock`] past it.
    pub report_lag: chrono::Duration,
    /// How a REST V2 push with a `request_id` already seen is answered (default
    /// [`RepeatedRequest::Original`]).
    pub repeated_request: RepeatedRequest,
    /// Getui's limits on app and list pushes, counted on [`Clock`]'s minutes and Beijing
    /// days (default [`Limits::DOCUMENTED`](crate::getui::limits::Limits::DOCUMENTED)).
    pub limits: crate::getui::Limits,
    /// Whether the app has Getui's VIP feature of scheduled pushes (default yes, so that a
    /// sandbox can schedule). Without it, a REST V2 push with a `schedule_time` is refused
    /// with 30002, as Getui refuses an app that has not bought it.
    pub schedule_feature: bool,
    /// What the makers do with the app's marketing pushes when a push fires, and its
    /// service channels (default: the published rules for an ordinary app; see
    /// `delivery`). The sandbox passes the workspace's `vendors:`.
    pub vendor_policy: VendorPolicy,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            app_id: "demo".to_owned(),
            app_key: "demo-key".to_owned(),
            master_secret: "demo-secret".to_owned(),
            data_dir: None,
            users: Vec::new(),
            bare_devices: Vec::new(),
            latency: Latency::default(),
            faults: FaultSpec::default(),
            clock: Clock::system(),
            max_push_ahead: MAX_PUSH_AHEAD,
            sign_window: chrono::Duration::minutes(10),
            token_ttl: chrono::Duration::hours(24),
            max_body_bytes: 25 * 1024,
            timeout_hold: Duration::from_secs(600),
            log_requests: false,
            report_lag: chrono::Duration::minutes(5),
            repeated_request: RepeatedRequest::Original,
            limits: crate::getui::Limits::DOCUMENTED,
            schedule_feature: true,
            vendor_policy: VendorPolicy::default(),
        }
    }
}

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("app_id", &self.app_id)
            .field("app_key", &self.app_key)
            .field("master_secret", &"***")
            .field("data_dir", &self.data_dir)
            .field("users", &self.users.len())
            .field("latency", &self.latency)
            .field("faults", &self.faults)
            .field("clock", &self.clock)
            .field("max_push_ahead", &self.max_push_ahead)
            .field("report_lag", &self.report_lag)
            .field("repeated_request", &self.repeated_request)
            .field("schedule_feature", &self.schedule_feature)
            .field("vendor_policy", &self.vendor_policy)
            .finish_non_exhaustive()
    }
}

/// Why an emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A started emulator; drop it or call [`RunningEmulator::shutdown`] to stop it.
pub struct RunningEmulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    serving: Option<JoinHandle<()>>,
}

/// Starts an emulator listening on `listen` (port 0 picks a free port).
pub async fn start(
    mut config: EmulatorConfig,
    listen: SocketAddr,
) -> Result<RunningEmulator, Error> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| Error::Bind {
            addr: listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| Error::Bind {
        addr: listen,
        source,
    })?;
    // Taken, not cloned: a sandbox seeds a million devices, and two copies of them were
    // most of a fresh plan's memory.
    let seeds = std::mem::take(&mut config.users);
    let bare = std::mem::take(&mut config.bare_devices);
    let mut store = open_store(&config, seeds, bare)?;
    store.set_vendor_policy(config.vendor_policy.clone());
    let (stop, stopped) = watch::channel(false);
    let shared = Arc::new(Shared {
        settings: actions::exchange::Settings {
            app_id: config.app_id.clone(),
            app_key: config.app_key.clone(),
            master_secret: Secret::new(config.master_secret.clone()),
            sign_window: config.sign_window,
            token_ttl: config.token_ttl,
            max_push_ahead: config.max_push_ahead,
            max_body_bytes: config.max_body_bytes,
            report_lag: config.report_lag,
            repeated_request: config.repeated_request,
            limits: config.limits,
            schedule_feature: config.schedule_feature,
        },
        base_url: format!("http://{addr}{}", server::MAIN_PATH),
        alternate_url: format!("http://{addr}{}", server::ALTERNATE_PATH),
        v2_url: format!("http://{addr}{}", v2::PATH),
        v2_alternate_url: format!("http://{addr}{}", v2::ALTERNATE_PATH),
        clock: config.clock.clone(),
        data_dir: config.data_dir.clone(),
        timeout_hold: config.timeout_hold,
        store: Mutex::new(store),
        committing: shared::Committer::default(),
        faults: Mutex::new(faults::FaultState::new(
            config.faults.clone(),
            config.latency,
        )),
        recorder: record::Recorder::new(config.clock.clone(), config.log_requests),
        shutdown: stopped.clone(),
    });
    let serving = tokio::spawn(server::accept_loop(
        listener,
        server::router(shared.clone()),
        stopped,
    ));
    Ok(RunningEmulator {
        shared,
        addr,
        stop,
        serving: Some(serving),
    })
}

/// The saved store when `data_dir` holds one, else a fresh store seeded with the users.
fn open_store(
    config: &EmulatorConfig,
    seeds: Vec<UserSeed>,
    bare: Vec<String>,
) -> Result<store::Store, Error> {
    let app = App {
        app_id: config.app_id.clone(),
        app_key: config.app_key.clone(),
    };
    let users = |seeds: Vec<UserSeed>| -> Vec<User> {
        seeds
            .into_iter()
            .map(|seed| User::from_seed(seed, &config.app_id))
            .collect()
    };
    match &config.data_dir {
        Some(dir) => Ok(store::Store::open(dir, app, || store::Population {
            users: users(seeds),
            bare_cids: bare,
        })?),
        None => {
            let mut all = users(bare.into_iter().map(UserSeed::new).collect());
            all.extend(users(seeds));
            Ok(store::Store::new(app, all))
        }
    }
}

/// Whether `dir` already holds an emulator store (so `EmulatorConfig::users` would be
/// ignored). A store is created whole or not at all, so one that exists is complete.
pub fn has_store(dir: &std::path::Path) -> bool {
    dir.join(db::DB_FILE_NAME).exists() || dir.join(db::LEGACY_FILE_NAME).exists()
}

impl RunningEmulator {
    /// The URL to give a client as its host, e.g. `http://127.0.0.1:PORT/apiex.htm`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The REST V2 endpoint prefix to give a V2 client (the part before `/{app_id}`), e.g.
    /// `http://127.0.0.1:PORT/v2`.
    pub fn v2_endpoint(&self) -> String {
        self.shared.v2_url.clone()
    }

    /// The address the emulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The clock tests set or advance to make scheduled tasks fire.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Replaces the fault rules (and reseeds the dice) from the next request on.
    pub fn set_faults(&self, faults: FaultSpec) {
        lock(&self.shared.faults).dice = faults::FaultDice::new(faults);
    }

    /// Replaces the added latency from the next request on.
    pub fn set_latency(&self, latency: Latency) {
        lock(&self.shared.faults).latency = latency;
    }

    /// Every request so far, oldest first (secrets redacted).
    pub fn recorded_requests(&self) -> Vec<RecordedRequest> {
        self.shared.recorder.requests()
    }

    /// A copy of the store, after firing the tasks that are due.
    pub fn snapshot(&self) -> StoreSnapshot {
        commit::snapshot(&self.shared)
    }

    /// Which of `cids` are not devices of the emulator, looked up one by one (unlike
    /// [`RunningEmulator::snapshot`], this does not read every device).
    pub fn unknown_cids(&self, cids: &[&str]) -> Vec<String> {
        lock(&self.shared.store).unknown_cids(cids)
    }

    /// Stops accepting, ends held requests and waits (at most a few seconds) for connections.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(serving) = self.serving.take() {
            let _ = serving.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
