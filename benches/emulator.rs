//! Emulator throughput: `getScheduleTaskAction` requests per second, answered by an in-process
//! emulator, from 64 concurrent keep-alive clients and, for reference, from one.
//!
//! Each client is its own reqwest `Client` (one keep-alive connection each). The clients and
//! the emulator share the machine's cores, so the figure is a lower bound of what the emulator
//! alone could serve. Criterion reports the throughput as `elem/s` = requests/s.

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gtcamp::emulator::{self, EmulatorConfig, RunningEmulator};
use gtcamp::getui::{Secret, connect_sign};
use serde_json::{Value, json};

struct Target {
    _emulator: RunningEmulator,
    url: String,
    body: String,
}

async fn post(client: &reqwest::Client, url: &str, body: String) -> Value {
    let response = client.post(url).body(body).send().await;
    match response {
        Ok(response) => response.json().await.unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

/// An emulator with one scheduled task and a token, and the body that reads the task.
async fn target() -> Target {
    let config = EmulatorConfig {
        users: vec![emulator::UserSeed::new("cid-1")],
        limits: gtcamp::getui::Limits::NONE,
        ..EmulatorConfig::default()
    };
    let running = emulator::start(config, "127.0.0.1:0".parse().expect("address"))
        .await
        .expect("emulator starts");
    let url = running.base_url();
    let client = reqwest::Client::new();
    let now = running.clock().now();
    let sign = connect_sign(
        "demo-key",
        now.timestamp_millis(),
        &Secret::new("demo-secret"),
    );
    let connect = json!({"action": "connect", "appkey": "demo-key",
                         "timeStamp": now.timestamp_millis(), "sign": sign});
    let token = post(&client, &url, connect.to_string()).await["authtoken"].clone();
    let push_time = (now + chrono::Duration::hours(2))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y%m%d%H%M")
        .to_string();
    let transparent = {
        use base64::Engine;
        use prost::Message;
        let t = gtcamp::getui::proto::Transparent {
            action: "pushmessage".into(),
            condition: vec![String::new()],
            ..Default::default()
        };
        base64::engine::general_purpose::STANDARD.encode(t.encode_to_vec())
    };
    let save = json!({"action": "getContentIdAction", "appkey": "demo-key", "authToken": token,
                      "clientData": transparent, "transmissionContent": "bench", "contentType": 2,
                      "appIdList": ["demo"], "pushTime": push_time});
    let id = post(&client, &url, save.to_string()).await["contentId"].clone();
    let push = json!({"action": "pushMessageToAppAction", "appkey": "demo-key",
                      "authToken": token, "contentId": id, "type": 2});
    post(&client, &url, push.to_string()).await;
    let body = json!({"action": "getScheduleTaskAction", "appkey": "demo-key", "authToken": token,
                      "appId": "demo", "taskId": id, "version": "4.1.1.2"});
    let check = post(&client, &url, body.to_string()).await;
    assert_eq!(
        check["sendResult"], "do_not_send",
        "bench setup failed: {check}"
    );
    Target {
        _emulator: running,
        url,
        body: body.to_string(),
    }
}

/// Sends `total` requests split across `clients`, each client one after another.
async fn run(clients: &[reqwest::Client], url: &str, body: &str, total: u64) -> Duration {
    let count = clients.len() as u64;
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(i, client)| {
            let share = total / count + u64::from((i as u64) < total % count);
            let (client, url, body) = (client.clone(), url.to_owned(), body.to_owned());
            tokio::spawn(async move {
                for _ in 0..share {
                    let answer = post(&client, &url, body.clone()).await;
                    assert_eq!(answer["result"], "ok");
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    started.elapsed()
}

fn schedule_task_throughput(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let target = runtime.block_on(target());
    let mut group = c.benchmark_group("emulator/getScheduleTaskAction");
    group.throughput(Throughput::Elements(1));
    group.measurement_time(Duration::from_secs(8));
    for clients in [1usize, 64] {
        let pool: Vec<reqwest::Client> = (0..clients)
            .map(|_| {
                reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .expect("client")
            })
            .collect();
        group.bench_function(BenchmarkId::new("clients", clients), |b| {
            b.to_async(&runtime)
                .iter_custom(|iters| run(&pool, &target.url, &target.body, iters));
        });
    }
    group.finish();
}

criterion_group!(benches, schedule_task_throughput);
criterion_main!(benches);
