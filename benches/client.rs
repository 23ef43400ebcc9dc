//! Client throughput: 1,000 `getScheduleTask` calls against the emulator with 50 ms of added
//! latency, at concurrency 1, 16 and 64, each beside the round-trip limit
//! (1,000 × 50 ms / concurrency), and the official Python SDK doing the same calls in a loop
//! as the baseline. Prints a table; run with `cargo bench --bench client`.
//!
//! A plain `harness = false` binary rather than criterion: one run of 1,000 calls already
//! takes seconds, and the figure that matters is the ratio to the physical limit.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use futures::StreamExt;
use gtcamp::emulator::{self, EmulatorConfig, Latency, RunningEmulator, UserSeed};
use gtcamp::getui::api::{AppPush, Delivery, PushTime, TaskId};
use gtcamp::getui::template::{PushTemplate, TemplateKind};
use gtcamp::getui::{LegacyClient, LegacyConfig, PushApi, Secret};

const CALLS: usize = 1000;
const LATENCY: Duration = Duration::from_millis(50);

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

async fn scheduled_task(emulator: &RunningEmulator) -> TaskId {
    let at = chrono::Utc::now() + chrono::Duration::days(1);
    let at = at
        - chrono::Duration::seconds(i64::from(chrono::Timelike::second(&at)))
        - chrono::Duration::nanoseconds(i64::from(chrono::Timelike::nanosecond(&at)));
    let push = AppPush {
        template: PushTemplate::new(TemplateKind::Transmission),
        conditions: Vec::new(),
        push_time: PushTime::at(&at).expect("a whole minute"),
        delivery: Delivery::default(),
        group: None,
    };
    client(emulator, 1)
        .create_scheduled_push(&push)
        .await
        .expect("the task is created")
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
        emulator.shutdown().await;
    });
}
