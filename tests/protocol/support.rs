//! What the protocol tests share: the official SDK's Python, and an emulator with a client.

use std::path::PathBuf;
use std::time::Duration;

use gtcamp::emulator::{self, EmulatorConfig, RunningEmulator};
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

/// An emulator on a free loopback port.
pub async fn emulator(config: EmulatorConfig) -> RunningEmulator {
    emulator::start(config, "127.0.0.1:0".parse().expect("loopback address"))
        .await
        .expect("the emulator starts")
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
    config.timeout = Duration::from_secs(2);
    config.backoff_base = Duration::from_millis(5);
    config.backoff_max = Duration::from_millis(20);
    config
}

/// A client of `emulator`'s default app.
pub fn client(emulator: &RunningEmulator) -> LegacyClient {
    LegacyClient::new(client_config(emulator)).expect("the client builds")
}
