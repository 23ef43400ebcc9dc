//! [`V2Client`]: the [`PushApi`](crate::getui::PushApi) over Getui's REST API V2
//! (`getui-protocol.md` F).
//!
//! [`wire`] holds every body and path, [`codes`] the result codes, [`regions`] the province
//! table V2 conditions need.

pub mod codes;
pub mod regions;
pub mod wire;
pub mod wire_extra;

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::getui::error::Error;
use crate::getui::sign::Secret;

pub use codes::Code;

/// The V2 endpoint prefix before `/{app_id}` when a target names none.
pub const DEFAULT_ENDPOINT: &str = "https://restapi.getui.com/v2";

/// How a [`V2Client`] reaches Getui. `Debug` shows `***` for the master secret.
#[derive(Clone, Debug)]
pub struct V2Config {
    /// The prefix before `/{app_id}`, e.g. `https://restapi.getui.com/v2`.
    pub endpoint: String,
    pub app_id: String,
    pub app_key: String,
    pub master_secret: Secret,
    /// Limit for one HTTP exchange.
    pub timeout: Duration,
    /// Resends allowed for one call that did not leave, or that was refused (a write).
    pub max_retries: u32,
    /// Resends allowed for one read (safe to repeat), within [`V2Config::read_budget`].
    pub read_retries: u32,
    /// Read resends allowed to the whole client, that is to one run.
    pub read_budget: u32,
    /// First backoff delay; doubles each time, with jitter.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl V2Config {
    /// Settings for an app under `endpoint_prefix`, with the same defaults as the legacy
    /// client.
    pub fn new(
        endpoint_prefix: &str,
        app_id: &str,
        app_key: &str,
        master_secret: Secret,
    ) -> V2Config {
        V2Config {
            endpoint: endpoint_prefix.trim_end_matches('/').to_owned(),
            app_id: app_id.to_owned(),
            app_key: app_key.to_owned(),
            master_secret,
            timeout: Duration::from_secs(30),
            max_retries: 3,
            read_retries: 8,
            read_budget: 5_000,
            backoff_base: Duration::from_millis(200),
            backoff_max: Duration::from_secs(10),
            concurrency: 16,
        }
    }
}

/// The `/auth` sign: lower-case hex sha256 of `app_key + timestamp_ms + master_secret` (F.1).
/// The client signs with it and the emulator checks with it.
pub fn auth_sign(app_key: &str, timestamp_ms: i64, master_secret: &Secret) -> String {
    let mut sha = Sha256::new();
    sha.update(app_key.as_bytes());
    sha.update(timestamp_ms.to_string().as_bytes());
    sha.update(master_secret.expose().as_bytes());
    hex::encode(sha.finalize())
}

/// The REST V2 client. Cheap to share: wrap it in an `Arc`.
#[derive(Debug)]
pub struct V2Client {
    config: V2Config,
}

impl V2Client {
    pub fn new(config: V2Config) -> Result<V2Client, Error> {
        if config.app_id.trim().is_empty() {
            return Err(Error::InvalidRequest {
                reason: "a REST V2 target needs an app id".into(),
            });
        }
        Ok(V2Client { config })
    }

    pub fn config(&self) -> &V2Config {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_sign_is_sha256_of_key_time_and_secret() {
        assert_eq!(
            auth_sign("k", 1, &Secret::new("s")),
            hex::encode(Sha256::digest(b"k1s"))
        );
    }
}
