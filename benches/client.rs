//! Client throughput: 1,000 `getScheduleTask` calls against the emulator with 50 ms of added
//! latency, at concurrency 1, 16 and 64, each beside the round-trip limit
//! (1,000 × 50 ms / concurrency), and the official Python SDK doing the same calls in a loop
//! as the baseline. Prints a table; run with `cargo bench --bench client`.
//!
//! Then the two backends side by side, legacy and REST V2, in the same run: a refresh of
//! 10,000 scheduled tasks (one read each, concurrency 64) and an apply of 1,000 creates
//! (concurrency 16, the client default), each beside its round-trip limit (calls × round
//! trips × 50 ms / concurrency; a legacy create is two round trips, `getContentIdAction` then
//! `pushMessageToAppAction`, a V2 create one). Target: within 1.15× of the limit.
//!
//! Then a delivery report of those 10,000 tasks, once they have fired, on each backend, as
//! `gtcamp report` reads it: 200 ids a report call (50 calls, at concurrency 10 so that the
//! limit is five whole round trips: with more in flight than calls, or a last round half
//! full, the limit formula would ask for less than one round trip per round), and on REST V2
//! also with one detail report per task for the loss reasons (10,050 calls at 64). Each
//! beside its limit: calls × 50 ms / concurrency. Target: within 1.15× of the limit.
//!
//! A plain `harness = false` binary rather than criterion: one run of 1,000 calls already
//! takes seconds, and the figure that matters is the ratio to the physical limit.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use gtcamp::emulator::{self, EmulatorConfig, Latency, RunningEmulator, UserSeed};
use gtcamp::getui::api::{AppPush, Delivery, PushTime, TaskGroupName, TaskId};
use gtcamp::getui::template::{PushTemplate, TemplateKind};
use gtcamp::getui::{LegacyClient, LegacyConfig, PushApi, Secret, V2Client, V2Config};
use gtcamp::report::{self, Availability, ReadOptions, Sent};

const CALLS: usize = 1000;
const LATENCY: Duration = Duration::from_millis(50);
const REFRESH_TASKS: usize = 10_000;
const REFRESH_CONCURRENCY: usize = 64;
const CREATES: usize = 1_000;
const APPLY_CONCURRENCY: usize = 16;
/// 50 report calls in five full rounds: the limit is whole round trips.
const REPORT_CONCURRENCY: usize = 10;
const DETAIL_CONCURRENCY: usize = 64;

/// The SDK loop: argv = host, app key, master secret, app id, task id, calls.
const SDK_LOOP: &str = r#"
import os, sys, time
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "sdk"))
import sdk_shim
from gt_push_sdk.igt_push import IGeTui
host, key, secret, app_id, task_id, calls = sys.argv[1:7]
push = IGeTui(host, key, secret)
assert push.getScheduleTask(task_id, app_id).get("result") == "ok"
start = time.perf_counter()
for _ in range(int(calls)):
    if push.getScheduleTask(task_id, app_id).get("result") != "ok":
        sys.exit("a call failed")
print(time.perf_counter() - start)
"#;

fn client(emulator: &RunningEmulator, concurrency: usize) -> LegacyClient {
    let defaults = EmulatorConfig::default();
    let mut config = LegacyConfig::new(
        &emulator.base_url(),
        &defaults.app_id,
        &defaults.app_key,
        Secret::new(defaults.master_secret),
    );
    config.concurrency = concurrency;
    LegacyClient::new(config).expect("the client builds")
}

/// A scheduled push for a day after `now` (the emulator's clock), in `group` when given.
fn app_push(now: chrono::DateTime<chrono::Utc>, group: Option<String>) -> AppPush {
    let at = now + chrono::Duration::days(1);
    let at = at
        - chrono::Duration::seconds(i64::from(chrono::Timelike::second(&at)))
        - chrono::Duration::nanoseconds(i64::from(chrono::Timelike::nanosecond(&at)));
    AppPush {
        attempt: None,
        template: PushTemplate::new(TemplateKind::Transmission),
        conditions: Vec::new(),
        push_time: PushTime::at(&at).expect("a whole minute"),
        delivery: Delivery::default(),
        group: group.map(|name| TaskGroupName::new(name).expect("a short group name")),
    }
}

async fn scheduled_task(emulator: &RunningEmulator) -> TaskId {
    client(emulator, 1)
        .create_scheduled_push(&app_push(emulator.clock().now(), None))
        .await
        .expect("the task is created")
}

/// The two backends the second table compares.
#[derive(Clone, Copy)]
enum Backend {
    Legacy,
    V2,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Legacy => "legacy",
            Backend::V2 => "REST V2",
        }
    }

    /// Round trips of one create.
    fn create_trips(self) -> usize {
        match self {
            Backend::Legacy => 2,
            Backend::V2 => 1,
        }
    }

    fn client(self, emulator: &RunningEmulator, concurrency: usize) -> Arc<dyn PushApi> {
        match self {
            Backend::Legacy => Arc::new(client(emulator, concurrency)),
            Backend::V2 => {
                let defaults = EmulatorConfig::default();
                let mut config = V2Config::new(
                    &format!("http://{}/v2", emulator.local_addr()),
                    &defaults.app_id,
                    &defaults.app_key,
                    Secret::new(defaults.master_secret),
                );
                config.concurrency = concurrency;
                Arc::new(V2Client::new(config).expect("the client builds"))
            }
        }
    }
}

/// Creates `count` scheduled pushes, each in its own group, `concurrency` at a time; returns
/// their ids and the wall time.
async fn create_all(
    emulator: &RunningEmulator,
    api: &Arc<dyn PushApi>,
    prefix: &str,
    count: usize,
    concurrency: usize,
) -> (Vec<TaskId>, Duration) {
    let now = emulator.clock().now();
    let start = Instant::now();
    let ids: Vec<TaskId> = futures::stream::iter(0..count)
        .map(|i| {
            let push = app_push(now, Some(format!("{prefix}-{i:05}")));
            let api = api.clone();
            async move { api.create_scheduled_push(&push).await.expect("created") }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    (ids, start.elapsed())
}

/// Refresh of `REFRESH_TASKS` and apply of `CREATES` on one backend, at `LATENCY`.
async fn backend_rows(emulator: &RunningEmulator, backend: Backend) {
    let api = backend.client(emulator, REFRESH_CONCURRENCY);
    emulator.set_latency(Latency::default());
    let tag = match backend {
        Backend::Legacy => "l",
        Backend::V2 => "v",
    };
    let (ids, _) = create_all(
        emulator,
        &api,
        &format!("r{tag}"),
        REFRESH_TASKS,
        REFRESH_CONCURRENCY,
    )
    .await;
    emulator.set_latency(Latency {
        fixed: LATENCY,
        jitter: Duration::ZERO,
    });
    let start = Instant::now();
    let failures = futures::stream::iter(&ids)
        .map(|id| api.scheduled_task(id))
        .buffer_unordered(REFRESH_CONCURRENCY)
        .filter(|result| std::future::ready(result.is_err()))
        .count()
        .await;
    assert_eq!(failures, 0, "some reads failed");
    let wall = start.elapsed();
    table_row(
        &format!("refresh {REFRESH_TASKS} tasks"),
        backend,
        REFRESH_CONCURRENCY,
        wall,
        REFRESH_TASKS,
    );
    let api = backend.client(emulator, APPLY_CONCURRENCY);
    api.scheduled_task(&ids[0]).await.expect("warm-up read");
    let (_, wall) = create_all(
        emulator,
        &api,
        &format!("a{tag}"),
        CREATES,
        APPLY_CONCURRENCY,
    )
    .await;
    table_row(
        &format!("apply {CREATES} creates"),
        backend,
        APPLY_CONCURRENCY,
        wall,
        CREATES * backend.create_trips(),
    );
    report_rows(emulator, &ids, backend).await;
}

/// The report of `ids` once they fired: the clock moves past their push time and the
/// reports' lag, as a day passes between an apply and a report. Two rows per backend: the
/// reports alone (200 ids a call: 50 calls at [`REPORT_CONCURRENCY`], five full rounds), and
/// on REST V2 with a detail report per task as `gtcamp report` reads them by default
/// (10,050 calls at [`DETAIL_CONCURRENCY`]).
async fn report_rows(emulator: &RunningEmulator, ids: &[TaskId], backend: Backend) {
    emulator.set_latency(Latency::default());
    emulator.clock().advance(chrono::Duration::days(2));
    let warm = backend.client(emulator, 1);
    warm.scheduled_task(&ids[0])
        .await
        .expect("a read that fires the due tasks");
    emulator.set_latency(Latency {
        fixed: LATENCY,
        jitter: Duration::ZERO,
    });
    report_row(emulator, ids, backend, REPORT_CONCURRENCY, false).await;
    if let Backend::V2 = backend {
        report_row(emulator, ids, backend, DETAIL_CONCURRENCY, true).await;
    }
}

async fn report_row(
    emulator: &RunningEmulator,
    ids: &[TaskId],
    backend: Backend,
    concurrency: usize,
    details: bool,
) {
    let api = backend.client(emulator, concurrency);
    api.scheduled_task(&ids[0]).await.expect("warm-up read");
    let now = emulator.clock().now();
    let sends: Vec<Sent> = ids
        .iter()
        .map(|id| Sent {
            campaign: "bench".to_owned(),
            key: format!("bench@{id}"),
            task_id: Some(id.0.clone()),
            sent_at: now - chrono::Duration::days(1),
            kind: None,
            class: None,
            audience: None,
            group: None,
        })
        .collect();
    let options = ReadOptions {
        parallelism: concurrency,
        details,
        now,
    };
    let since = now - chrono::Duration::days(7);
    let start = Instant::now();
    let zone = |_: &str| "UTC".to_owned();
    let read = report::read(api.as_ref(), "bench", sends, since, zone, options).await;
    let wall = start.elapsed();
    let available = read.campaigns[0]
        .sends
        .iter()
        .filter(|s| s.availability == Availability::Available)
        .count();
    assert_eq!(available, ids.len(), "every fired task has a report");
    let calls = ids.len().div_ceil(api.report_batch()) + if details { ids.len() } else { 0 };
    let what = match details {
        true => format!("report {} + details", ids.len()),
        false => format!("report {} sends", ids.len()),
    };
    table_row(&what, backend, concurrency, wall, calls);
}

fn table_row(what: &str, backend: Backend, concurrency: usize, wall: Duration, trips: usize) {
    let limit = LATENCY.as_secs_f64() * trips as f64 / concurrency as f64;
    println!(
        "{what:<22} {:<8} {concurrency:>11} {:>10.2} s {limit:>10.2} s {:>9.2}×",
        backend.name(),
        wall.as_secs_f64(),
        wall.as_secs_f64() / limit
    );
}

/// Wall time of `CALLS` reads at `concurrency`, after one warm-up call that sets up the session.
async fn rust_run(emulator: &RunningEmulator, id: &TaskId, concurrency: usize) -> Duration {
    let client = client(emulator, concurrency);
    client.scheduled_task(id).await.expect("warm-up read");
    let start = Instant::now();
    let failures = futures::stream::iter(0..CALLS)
        .map(|_| client.scheduled_task(id))
        .buffer_unordered(concurrency)
        .filter(|result| std::future::ready(result.is_err()))
        .count()
        .await;
    let elapsed = start.elapsed();
    assert_eq!(failures, 0, "some reads failed");
    elapsed
}

fn sdk_run(emulator: &RunningEmulator, id: &TaskId) -> Result<Duration, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    if !python.exists() {
        return Err("no .venv/bin/python: run `scripts/setup-test-tools`".into());
    }
    let defaults = EmulatorConfig::default();
    let output = Command::new(python)
        .current_dir(&root)
        .args(["-c", SDK_LOOP, &emulator.base_url(), &defaults.app_key])
        .args([&defaults.master_secret, &defaults.app_id, id.as_str()])
        .arg(CALLS.to_string())
        .output()
        .map_err(|error| error.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse::<f64>()
        .map(Duration::from_secs_f64)
        .map_err(|error| error.to_string())
}

fn row(name: &str, concurrency: usize, wall: Duration) {
    let limit = LATENCY.as_secs_f64() * CALLS as f64 / concurrency as f64;
    println!(
        "{name:<22} {concurrency:>11} {:>10.2} s {limit:>10.2} s {:>9.2}×",
        wall.as_secs_f64(),
        wall.as_secs_f64() / limit
    );
}

fn main() {
    // `cargo test --benches` would run this binary too; only a real bench run measures.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let config = EmulatorConfig {
            latency: Latency {
                fixed: LATENCY,
                jitter: Duration::ZERO,
            },
            users: vec![UserSeed::new("cid-0")],
            limits: gtcamp::getui::Limits::NONE,
            // The report rows move the clock two days on, past tokens and the sign window
            // as a real clock would see them: the clients sign with the machine's.
            clock: emulator::Clock::manual(chrono::Utc::now()),
            sign_window: chrono::Duration::days(30),
            token_ttl: chrono::Duration::days(30),
            ..EmulatorConfig::default()
        };
        let emulator = emulator::start(config, "127.0.0.1:0".parse().expect("loopback"))
            .await
            .expect("the emulator starts");
        let id = scheduled_task(&emulator).await;
        println!(
            "{CALLS} getScheduleTask calls, {} ms added latency per request\n",
            LATENCY.as_millis()
        );
        println!(
            "{:<22} {:>11} {:>12} {:>12} {:>10}",
            "client", "concurrency", "wall", "limit", "ratio"
        );
        for concurrency in [1, 16, 64] {
            row(
                "gtcamp (Rust)",
                concurrency,
                rust_run(&emulator, &id, concurrency).await,
            );
        }
        let sdk = tokio::task::block_in_place(|| sdk_run(&emulator, &id));
        match sdk {
            Ok(wall) => row("official Python SDK", 1, wall),
            Err(error) => println!("official Python SDK: not measured: {error}"),
        }
        println!(
            "\nlegacy and REST V2, {} ms added latency per request (target: within 1.15× of the limit)\n",
            LATENCY.as_millis()
        );
        println!(
            "{:<22} {:<8} {:>11} {:>12} {:>12} {:>10}",
            "run", "backend", "concurrency", "wall", "limit", "ratio"
        );
        for backend in [Backend::Legacy, Backend::V2] {
            backend_rows(&emulator, backend).await;
        }
        emulator.shutdown().await;
    });
}
