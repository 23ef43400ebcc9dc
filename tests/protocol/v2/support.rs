//! What the V2 client tests share: a seeded emulator on a manual clock, a client of it, and
//! pushes to make.

use std::time::Duration;

use gtcamp::emulator::{Clock, EmulatorConfig, FaultSpec, RunningEmulator};
use gtcamp::getui::api::{
    AppPush, Combine, Condition, Delivery, Dimension, PushTime, TaskGroupName,
};
use gtcamp::getui::template::{Notice, PushTemplate, TemplateKind};
use gtcamp::getui::{Secret, V2Client, V2Config};

use crate::support::emulator;
pub use crate::support::{now_minute, users};

/// An emulator with 60 users and a manual clock at the current minute, shaped by `tune`.
pub async fn emulator_with(tune: impl FnOnce(&mut EmulatorConfig)) -> RunningEmulator {
    let mut config = EmulatorConfig {
        users: users(),
        clock: Clock::manual(now_minute()),
        timeout_hold: Duration::from_secs(5),
        ..EmulatorConfig::default()
    };
    tune(&mut config);
    emulator(config).await
}

pub async fn seeded() -> RunningEmulator {
    emulator_with(|_| {}).await
}

/// Client settings for `emulator`'s default app, with short delays so tests run fast.
pub fn client_config(emulator: &RunningEmulator) -> V2Config {
    let defaults = EmulatorConfig::default();
    let mut config = V2Config::new(
        &format!("http://{}/v2", emulator.local_addr()),
        &defaults.app_id,
        &defaults.app_key,
        Secret::new(defaults.master_secret),
    );
    config.timeout = Duration::from_millis(500);
    config.backoff_base = Duration::from_millis(5);
    config.backoff_max = Duration::from_millis(20);
    config
}

pub fn client(emulator: &RunningEmulator) -> V2Client {
    V2Client::new(client_config(emulator)).expect("the client builds")
}

pub fn template() -> PushTemplate {
    PushTemplate {
        transmission_content: "{\"sale\":\"spring\"}".into(),
        ..PushTemplate::new(TemplateKind::Notification(Notice::new(
            "春季促销",
            "全场八折",
        )))
    }
}

/// A push to Android users a day after the emulator's now, in `group`.
pub fn app_push(emulator: &RunningEmulator, group: &str) -> AppPush {
    let at = emulator.clock().now() + chrono::Duration::days(1);
    AppPush {
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

/// How many requests the emulator recorded for V2 route `name` (`v2_push_tag`, …).
pub fn sent(emulator: &RunningEmulator, name: &str) -> usize {
    emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some(name))
        .count()
}

pub fn faults(spec: &str) -> FaultSpec {
    spec.parse().expect("a valid fault spec")
}
