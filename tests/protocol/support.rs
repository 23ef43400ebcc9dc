//! What the protocol tests share: the official SDK's Python, and an emulator with a client.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, DurationRound, Utc};

use gtcamp::emulator::{self, Clock, EmulatorConfig, FaultSpec, RunningEmulator, UserSeed};
use gtcamp::getui::api::{
    AppPush, Combine, Condition, Delivery, Dimension, PushTime, TaskGroupName,
};
use gtcamp::getui::template::{LaunchMode, Notice, PushTemplate, TemplateKind};
use gtcamp::getui::{LegacyClient, LegacyConfig, Secret};

/// The Python of `.venv/` with the official SDK installed. Fails (never skips) without it.
pub fn sdk_python() -> PathBuf {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `scripts/setup-test-tools` to install the official Getui SDK",
        python.display()
    );
    python
}

/// A path under `tests/sdk/`.
pub fn sdk_script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sdk")
        .join(name)
}

/// The current minute: a manual emulator clock starts there, close enough to a client's
/// clock for the sign window.
pub fn now_minute() -> DateTime<Utc> {
    Utc::now()
        .duration_trunc(chrono::Duration::minutes(1))
        .expect("a representable minute")
}

/// 60 users: even ones Android, the first 10 tagged `vip`, the first 3 aliased `alice`,
/// every third online.
pub fn users() -> Vec<UserSeed> {
    (0..60)
        .map(|i| UserSeed {
            phone_type: if i % 2 == 0 { "ANDROID" } else { "IOS" }.into(),
            tags: if i < 10 {
                vec!["vip".into()]
            } else {
                Vec::new()
            },
            alias: (i < 3).then(|| "alice".to_owned()),
            online: i % 3 == 0,
            ..UserSeed::new(format!("cid{i:02}"))
        })
        .collect()
}

/// An emulator on a free loopback port.
pub async fn emulator(config: EmulatorConfig) -> RunningEmulator {
    emulator::start(config, "127.0.0.1:0".parse().expect("loopback address"))
        .await
        .expect("the emulator starts")
}

/// An emulator with 60 users and a manual clock at the current minute.
pub async fn seeded() -> RunningEmulator {
    emulator(EmulatorConfig {
        users: users(),
        clock: Clock::manual(now_minute()),
        ..EmulatorConfig::default()
    })
    .await
}

pub fn template() -> PushTemplate {
    PushTemplate {
        transmission_content: "{\"sale\":\"spring\"}".into(),
        launch: LaunchMode::Immediately,
        ..PushTemplate::new(TemplateKind::Notification(Notice::new(
            "春季促销",
            "全场八折",
        )))
    }
}

pub fn app_push(emulator: &RunningEmulator, group: &str) -> AppPush {
    let at = emulator.clock().now() + chrono::Duration::days(1);
    AppPush {
        attempt: None,
        template: template(),
        conditions: vec![Condition {
            dimension: Dimension::PhoneType,
            values: vec!["ANDROID".into()],
            combine: Combine::Any,
        }],
        push_time: PushTime::at(&at).expect("a whole minute"),
        delivery: Delivery::default(),
        group: Some(TaskGroupName::new(group).expect("a short group name")),
    }
}

/// How many requests the emulator recorded for `action` (a legacy action or a V2 route
/// name such as `v2_push_tag`).
pub fn actions_sent(emulator: &RunningEmulator, action: &str) -> usize {
    emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some(action))
        .count()
}

pub fn faults(spec: &str) -> FaultSpec {
    spec.parse().expect("a valid fault spec")
}

/// Client settings for `emulator`'s default app, with short delays so tests run fast.
pub fn client_config(emulator: &RunningEmulator) -> LegacyConfig {
    let defaults = EmulatorConfig::default();
    let mut config = LegacyConfig::new(
        &emulator.base_url(),
        &defaults.app_id,
        &defaults.app_key,
        Secret::new(defaults.master_secret),
    );
    config.retry.timeout = Duration::from_secs(2);
    config.retry.backoff_base = Duration::from_millis(5);
    config.retry.backoff_max = Duration::from_millis(20);
    config
}

/// A client of `emulator`'s default app.
pub fn client(emulator: &RunningEmulator) -> LegacyClient {
    LegacyClient::new(client_config(emulator)).expect("the client builds")
}

/// A scripted Getui server for what the emulator does not do on purpose: issuing a token the
/// test knows, and answering aliases with the newer `true`/`false` convention. `answer` gets
/// the stub's own URL and each body.
pub struct Stub {
    pub url: String,
    /// The `action` of every request, in arrival order, recorded before answering.
    pub actions: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    serving: tokio::task::JoinHandle<()>,
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.serving.abort();
    }
}

pub async fn stub<F>(answer: F) -> Stub
where
    F: Fn(&str, &serde_json::Value) -> serde_json::Value + Send + Sync + 'static,
{
    use std::sync::Arc;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!(
        "http://{}/apiex.htm",
        listener.local_addr().expect("a bound address")
    );
    let answer = Arc::new(answer);
    let actions = Arc::new(std::sync::Mutex::new(Vec::new()));
    let own = url.clone();
    let seen = actions.clone();
    let router = axum::Router::new().fallback(move |body: axum::body::Bytes| {
        let answer = answer.clone();
        let own = own.clone();
        let seen = seen.clone();
        async move {
            let request: serde_json::Value =
                serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
            let action = request["action"].as_str().unwrap_or_default().to_owned();
            if let Ok(mut seen) = seen.lock() {
                seen.push(action);
            }
            axum::Json(answer(&own, &request))
        }
    });
    let serving = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Stub {
        url,
        actions,
        serving,
    }
}
