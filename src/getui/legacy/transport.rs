//! One legacy request, end to end: session set-up (bootstrap, `connect`), the HTTP exchange
//! (gzip, size limit, timeout, concurrency limit) and the recovery rules of A.7/A.8.
//!
//! Recovery depends on what a failure proves:
//!
//! | failure                                   | proves                    | what happens            |
//! |-------------------------------------------|---------------------------|-------------------------|
//! | `sign_error`                              | refused, nothing applied  | reconnect once, resend  |
//! | `domain_error` + `osList`                 | refused, nothing applied  | switch host, resend     |
//! | `flow_exceeded` (`connect` included)      | refused, nothing applied  | back off, resend        |
//! | connect refused / DNS                     | never sent                | back off, resend        |
//! | timeout, reset, 5xx, unreadable answer    | may have been applied     | resend only if [`Retry::Safe`], else `OutcomeUnknown` |
//!
//! Resends are bounded by `max_retries` and spaced by exponential backoff with jitter.
//!
//! Unlike the official SDK, which sends its first business call with an empty token and
//! connects on the `sign_error` it gets back, the session connects right after bootstrap:
//! that saves a round trip and keeps a burst of first calls from each meeting `sign_error`.
//! An expired token still takes the SDK's path (reconnect once, resend the same body).

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use tokio::sync::{Mutex, Semaphore};

use crate::getui::codes::ResultCode;
use crate::getui::error::Error;
use crate::getui::legacy::LegacyConfig;
pub(crate) use crate::getui::retry::Retry;
use crate::getui::retry::{Failure, Retrier, classify, http_client};
use crate::getui::sign::{Secret, connect_sign};
use crate::getui::wire::{
    Action, Bootstrap, Connect, ConnectResponse, HostListResponse, Request, ResultOnly,
};

/// Sent as `version`: the official SDK's, since servers may gate features on it.
const SDK_VERSION: &str = "4.1.1.2";

/// How many `domain_error` host switches one request may follow.
const MAX_HOST_SWITCHES: u32 = 3;

/// The hosts and token in use; `generation` changes whenever either does, so that of many
/// requests failing at once only the first reconnects.
#[derive(Clone)]
struct Session {
    hosts: Vec<String>,
    token: Secret,
    generation: u64,
}

/// The shared transport of a [`super::LegacyClient`].
pub(crate) struct Transport {
    http: reqwest::Client,
    config: LegacyConfig,
    retrier: Retrier,
    session: Mutex<Option<Session>>,
    permits: Semaphore,
}

impl Transport {
    pub(crate) fn new(config: LegacyConfig) -> Result<Transport, Error> {
        let http = http_client(config.retry.timeout, config.concurrency, "connect")?;
        let permits = Semaphore::new(config.concurrency.max(1));
        Ok(Transport {
            http,
            retrier: Retrier::new(config.retry),
            config,
            session: Mutex::new(None),
            permits,
        })
    }

    pub(crate) fn config(&self) -> &LegacyConfig {
        &self.config
    }

    /// Sends `body` as action `A` and decodes the answer, recovering as the module doc says.
    /// The answer's `result` is left for the caller to judge.
    pub(crate) async fn call<A: Action>(
        &self,
        body: &A,
        retry: Retry,
    ) -> Result<A::Response, Error> {
        let mut reconnected = false;
        let mut host_switches = 0;
        let mut attempt = 0;
        loop {
            let session = self.session().await?;
            let request = Request {
                action: A::NAME.to_owned(),
                appkey: self.config.app_key.clone(),
                body,
                version: Some(SDK_VERSION.to_owned()),
                auth_token: Some(session.token.clone()),
            };
            let host = session.hosts.first().cloned().unwrap_or_default();
            let failure = match self.post(&host, A::NAME, &request, gzip_for(A::NAME)).await {
                Ok(answer) => {
                    // Read from the bytes, twice, rather than through a `Value`: a report's
                    // answer is tens of kilobytes, and building its tree costs more than
                    // skipping over it.
                    let code = serde_json::from_slice::<ResultOnly>(&answer)
                        .map(|r| r.result)
                        .ok();
                    match code {
                        Some(ResultCode::SignError) if !reconnected => {
                            reconnected = true;
                            self.reconnect(session.generation).await?;
                            continue;
                        }
                        Some(ResultCode::DomainError) if host_switches < MAX_HOST_SWITCHES => {
                            host_switches += 1;
                            self.switch_hosts(session.generation, &answer, A::NAME)
                                .await?;
                            continue;
                        }
                        Some(ResultCode::FlowExceeded)
                            if self.retrier.may_retry(retry, attempt) =>
                        {
                            attempt += 1;
                            tokio::time::sleep(self.retrier.backoff(attempt)).await;
                            continue;
                        }
                        _ => {}
                    }
                    match serde_json::from_slice::<A::Response>(&answer) {
                        Ok(response) => return Ok(response),
                        Err(error) => Failure::AfterSend {
                            timed_out: false,
                            reason: format!("unreadable answer: {error}"),
                        },
                    }
                }
                Err(failure) => failure,
            };
            match self.retrier.judge(A::NAME, failure, retry, attempt) {
                Some(error) => return Err(error),
                None => {
                    attempt += 1;
                    tokio::time::sleep(self.retrier.backoff(attempt)).await;
                }
            }
        }
    }

    /// The current session, setting it up (bootstrap, then `connect`) on first use.
    async fn session(&self) -> Result<Session, Error> {
        let mut guard = self.session.lock().await;
        if let Some(session) = guard.as_ref() {
            return Ok(session.clone());
        }
        let hosts = self.bootstrap().await?;
        let token = self.connect(&hosts).await?;
        let session = Session {
            hosts,
            token,
            generation: 1,
        };
        *guard = Some(session.clone());
        Ok(session)
    }

    async fn reconnect(&self, seen_generation: u64) -> Result<(), Error> {
        let mut guard = self.session.lock().await;
        let Some(session) = guard.as_mut() else {
            return Ok(());
        };
        if session.generation != seen_generation {
            return Ok(());
        }
        session.token = self.connect(&session.hosts).await?;
        session.generation += 1;
        Ok(())
    }

    async fn switch_hosts(
        &self,
        seen_generation: u64,
        answer: &[u8],
        action: &'static str,
    ) -> Result<(), Error> {
        let hosts = serde_json::from_slice::<HostListResponse>(answer)
            .map(|r| r.os_list)
            .unwrap_or_default();
        if hosts.is_empty() {
            return Err(Error::Api {
                action,
                code: ResultCode::DomainError,
            });
        }
        let mut guard = self.session.lock().await;
        if let Some(session) = guard.as_mut().filter(|s| s.generation == seen_generation) {
            tracing::info!(hosts = ?hosts, "Getui asked to switch host");
            session.hosts = hosts;
            session.generation += 1;
        }
        Ok(())
    }

    async fn bootstrap(&self) -> Result<Vec<String>, Error> {
        let request = Request {
            action: Bootstrap::NAME.to_owned(),
            appkey: self.config.app_key.clone(),
            body: Bootstrap {},
            version: None,
            auth_token: None,
        };
        let answer: HostListResponse = self
            .post_read(&self.config.host, Bootstrap::NAME, &request)
            .await?;
        if answer.result != ResultCode::Ok || answer.os_list.is_empty() {
            return Err(Error::NoHosts {
                host: self.config.host.clone(),
                code: answer.result,
            });
        }
        Ok(answer.os_list)
    }

    /// Signs in. Retried like a read (a flow limit included); only Getui's own refusal of
    /// the credentials is reported as such, so an outage never sends a team to rotate
    /// secrets.
    async fn connect(&self, hosts: &[String]) -> Result<Secret, Error> {
        let host = hosts.first().cloned().unwrap_or_default();
        let mut attempt = 0;
        loop {
            // Signed afresh each time: the sign covers the timestamp.
            let time_stamp = chrono::Utc::now().timestamp_millis();
            let body = Connect {
                time_stamp,
                sign: connect_sign(&self.config.app_key, time_stamp, &self.config.master_secret),
            };
            let request = Request {
                action: Connect::NAME.to_owned(),
                appkey: self.config.app_key.clone(),
                body,
                version: Some(SDK_VERSION.to_owned()),
                auth_token: None,
            };
            let answer: ConnectResponse = self.post_read(&host, Connect::NAME, &request).await?;
            match (answer.result, answer.authtoken) {
                (ResultCode::Success, Some(token)) if !token.is_empty() => return Ok(token),
                (ResultCode::Success, _) => {
                    return Err(Error::BadResponse {
                        action: Connect::NAME,
                        reason: "connected, but no auth token came back".to_owned(),
                    });
                }
                (ResultCode::FlowExceeded, _) if attempt < self.config.retry.max_retries => {
                    attempt += 1;
                    tokio::time::sleep(self.retrier.backoff(attempt)).await;
                }
                (code, _) if code.refuses_credentials() => return Err(Error::Auth { code }),
                (code, _) => {
                    return Err(Error::Api {
                        action: Connect::NAME,
                        code,
                    });
                }
            }
        }
    }

    /// A session request (bootstrap, connect): safe to resend, no session recovery.
    async fn post_read<B, R>(&self, host: &str, action: &'static str, body: &B) -> Result<R, Error>
    where
        B: serde::Serialize,
        R: serde::de::DeserializeOwned,
    {
        let mut attempt = 0;
        loop {
            let failure = match self.post(host, action, body, false).await {
                Ok(answer) => match serde_json::from_slice::<R>(&answer) {
                    Ok(response) => return Ok(response),
                    Err(error) => Failure::AfterSend {
                        timed_out: false,
                        reason: format!("unreadable answer: {error}"),
                    },
                },
                Err(failure) => failure,
            };
            match self.retrier.judge(action, failure, Retry::Safe, attempt) {
                Some(error) => return Err(error),
                None => {
                    attempt += 1;
                    tokio::time::sleep(self.retrier.backoff(attempt)).await;
                }
            }
        }
    }

    /// One HTTP exchange: the answer's bytes (inflated), or how it failed. The callers read
    /// them as JSON; what is not JSON is an unreadable answer there.
    async fn post<B: serde::Serialize>(
        &self,
        host: &str,
        action: &'static str,
        body: &B,
        gzip: bool,
    ) -> Result<Vec<u8>, Failure> {
        let json = serde_json::to_vec(body).map_err(|error| {
            Failure::Fatal(Error::InvalidRequest {
                reason: error.to_string(),
            })
        })?;
        if json.len() > self.config.body_limit {
            return Err(Failure::Fatal(Error::BodyTooLarge {
                action,
                bytes: json.len(),
                limit: self.config.body_limit,
            }));
        }
        let mut request = self
            .http
            .post(host)
            .timeout(self.config.retry.timeout)
            .header("Gt-Action", action)
            .header("Content-Type", "application/json;charset=UTF-8");
        request = if gzip {
            request
                .header("Content-Encoding", "gzip")
                .header("Accept-Encoding", "gzip")
                .body(gzipped(&json))
        } else {
            request.body(json)
        };
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| Failure::BeforeSend("client closed".into()))?;
        let response = request.send().await.map_err(classify)?;
        let status = response.status();
        let inflate = response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
        let bytes = response.bytes().await.map_err(classify)?;
        if !status.is_success() {
            return Err(Failure::Status(status.as_u16()));
        }
        let text = if inflate {
            inflated(&bytes)
        } else {
            Ok(bytes.to_vec())
        };
        text.map_err(|reason| Failure::AfterSend {
            timed_out: false,
            reason: format!("unreadable answer: {reason}"),
        })
    }
}

/// Only list pushes are gzipped, as the official SDK does.
fn gzip_for(action: &str) -> bool {
    action == crate::getui::wire::PushToList::NAME
}

fn gzipped(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(9));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn inflated(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|error| format!("bad gzip: {error}"))?;
    Ok(out)
}
