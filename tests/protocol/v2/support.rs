//! What the V2 client tests add to [`crate::support`]: a tuned emulator and a V2 client of it.

use std::time::Duration;

use gtcamp::emulator::{Clock, EmulatorConfig, RunningEmulator};
use gtcamp::getui::{Secret, V2Client, V2Config};

use crate::support::emulator;
pub use crate::support::{
    actions_sent as sent, app_push, faults, now_minute, seeded, template, users,
};

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

/// Client settings for `emulator`'s default app, with short delays so tests run fast.
pub fn client_config(emulator: &RunningEmulator) -> V2Config {
    let defaults = EmulatorConfig::default();
    let mut config = V2Config::new(
        &format!("http://{}/v2", emulator.local_addr()),
        &defaults.app_id,
        &defaults.app_key,
        Secret::new(defaults.master_secret),
    );
    config.retry.timeout = Duration::from_millis(500);
    config.retry.backoff_base = Duration::from_millis(5);
    config.retry.backoff_max = Duration::from_millis(20);
    config
}

pub fn client(emulator: &RunningEmulator) -> V2Client {
    V2Client::new(client_config(emulator)).expect("the client builds")
}
