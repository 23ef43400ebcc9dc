//! One REST V2 request, end to end: the token (`/auth`), the HTTP exchange (timeout,
//! concurrency limit) and the recovery rules of F.1, with the resend rules the legacy client
//! uses ([`crate::getui::retry`]).
//!
//! | answer or failure                        | proves                    | what happens            |
//! |------------------------------------------|---------------------------|-------------------------|
//! | code `10001` (token wrong or expired)    | refused, nothing applied  | re-auth once, resend    |
//! | `/auth` refused with 20001               | the credentials are wrong | [`Error::V2Auth`]       |
//! | code `301` + `host_list`                 | refused, nothing applied  | switch host, resend     |
//! | a per-minute limit ([`Code::is_flow_limit`]) | refused, nothing applied | back off, resend     |
//! | connect refused / DNS                    | never sent                | back off, resend        |
//! | timeout, reset, 5xx, unreadable answer   | may have been applied     | resend only if [`Retry::Safe`], else `OutcomeUnknown` |
//!
//! The token is fetched before the first call and again when less than an hour of it is
//! left (halfway through, for a token shorter than two hours), as the official Java SDK
//! does; a `10001` in between (a server restart, a revoked token) costs one re-auth.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use tokio::sync::{Mutex, Semaphore};

use crate::getui::error::Error;
use crate::getui::retry::{Failure, Retrier, Retry, classify, http_client};
use crate::getui::sign::Secret;
use crate::getui::v2::codes::Code;
use crate::getui::v2::wire::{
    AuthData, AuthRequest, Endpoint, Envelope, HostListData, Method, TOKEN_HEADER,
};
use crate::getui::v2::{V2Config, auth_sign};

/// How many `301` host switches one request may follow.
const MAX_HOST_SWITCHES: u32 = 3;

/// How long before `expire_time` the token is renewed (the Java SDK's margin).
const REFRESH_MARGIN_MS: i64 = 3600 * 1000;

/// The host and token in use; `generation` changes whenever either does, so that of many
/// requests failing at once only the first re-auths or switches.
#[derive(Clone)]
struct Session {
    /// The endpoint prefix before `/{app_id}`.
    host: String,
    token: Option<Secret>,
    /// When to renew, Unix milliseconds.
    refresh_at_ms: i64,
    generation: u64,
}

/// The shared transport of a [`super::V2Client`].
pub(super) struct Transport {
    http: reqwest::Client,
    config: V2Config,
    retrier: Retrier,
    session: Mutex<Session>,
    permits: Semaphore,
}

impl Transport {
    pub(super) fn new(config: V2Config) -> Result<Transport, Error> {
        let http = http_client(
            config.retry.timeout,
            config.concurrency,
            Endpoint::Auth.name(),
        )?;
        let retrier = Retrier::new(config.retry);
        Ok(Transport {
            http,
            retrier,
            session: Mutex::new(Session {
                host: config.endpoint.clone(),
                token: None,
                refresh_at_ms: 0,
                generation: 0,
            }),
            permits: Semaphore::new(config.concurrency.max(1)),
            config,
        })
    }

    pub(super) fn config(&self) -> &V2Config {
        &self.config
    }

    /// Calls `endpoint` with `body` and decodes the `data` of a success, recovering as the
    /// module doc says. Any other code is [`Error::V2`].
    pub(super) async fn call<B, R>(
        &self,
        endpoint: &Endpoint,
        body: Option<&B>,
        retry: Retry,
    ) -> Result<R, Error>
    where
        B: Serialize,
        R: DeserializeOwned,
    {
        let action = endpoint.name();
        let json =
            body.map(serde_json::to_vec)
                .transpose()
                .map_err(|error| Error::InvalidRequest {
                    reason: error.to_string(),
                })?;
        let mut reauthed = false;
        let mut host_switches = 0;
        let mut attempt = 0;
        loop {
            let session = self.session().await?;
            let exchange = self
                .exchange(
                    &session.host,
                    endpoint,
                    session.token.as_ref(),
                    json.as_deref(),
                )
                .await;
            let failure = match exchange {
                Ok(answer) => match answer.code {
                    Code::Success => match decode::<R>(answer.data) {
                        Ok(data) => return Ok(data),
                        Err(reason) => Failure::AfterSend {
                            timed_out: false,
                            reason,
                        },
                    },
                    Code::TokenInvalid if !reauthed => {
                        reauthed = true;
                        self.reauth(session.generation).await?;
                        continue;
                    }
                    Code::WrongHost if host_switches < MAX_HOST_SWITCHES => {
                        host_switches += 1;
                        self.switch_host(session.generation, answer.data, action)
                            .await?;
                        continue;
                    }
                    code if code.is_flow_limit() && self.retrier.may_retry(retry, attempt) => {
                        self.retrier.pause(&mut attempt).await;
                        continue;
                    }
                    code => return Err(refused(action, code, answer.msg)),
                },
                Err(failure) => failure,
            };
            self.retrier
                .resend_or(action, failure, retry, &mut attempt)
                .await?;
        }
    }

    /// Gets a token now, unless one is held that is not about to expire: `/auth` names the
    /// app id in its path, so the token proves the credentials and the app id at once.
    pub(super) async fn sign_in(&self) -> Result<(), Error> {
        self.session().await.map(|_| ())
    }

    /// The session, with a token that is not about to expire.
    async fn session(&self) -> Result<Session, Error> {
        let mut guard = self.session.lock().await;
        if guard.token.is_none() || self.now_ms() >= guard.refresh_at_ms {
            self.auth(&mut guard).await?;
        }
        Ok(guard.clone())
    }

    async fn reauth(&self, seen_generation: u64) -> Result<(), Error> {
        let mut guard = self.session.lock().await;
        if guard.generation == seen_generation {
            self.auth(&mut guard).await?;
        }
        Ok(())
    }

    async fn switch_host(
        &self,
        seen_generation: u64,
        data: Option<Box<RawValue>>,
        action: &'static str,
    ) -> Result<(), Error> {
        let Some(host) = first_host(data) else {
            return Err(refused(
                action,
                Code::WrongHost,
                "no host_list to switch to".into(),
            ));
        };
        let mut guard = self.session.lock().await;
        if guard.generation == seen_generation {
            tracing::info!(host = %host, "Getui asked to switch host");
            guard.host = host;
            guard.generation += 1;
        }
        Ok(())
    }

    /// Gets a token from `/auth` on the session's host. Retried like a read (a flow limit
    /// and a host switch included); Getui's refusal of the credentials is reported as such.
    async fn auth(&self, session: &mut Session) -> Result<(), Error> {
        let endpoint = Endpoint::Auth;
        let action = endpoint.name();
        let mut attempt = 0;
        let mut host_switches = 0;
        loop {
            // Signed afresh each time: the sign covers the timestamp.
            let timestamp = self.now_ms();
            let body = AuthRequest {
                sign: Secret::new(auth_sign(
                    &self.config.app_key,
                    timestamp,
                    &self.config.master_secret,
                )),
                timestamp,
                appkey: self.config.app_key.clone(),
            };
            let json = serde_json::to_vec(&body).map_err(|error| Error::InvalidRequest {
                reason: error.to_string(),
            })?;
            let exchange = self
                .exchange(&session.host, &endpoint, None, Some(&json))
                .await;
            let failure = match exchange {
                Ok(answer) => match answer.code {
                    Code::Success => return self.start_session(session, timestamp, answer.data),
                    Code::WrongHost if host_switches < MAX_HOST_SWITCHES => {
                        host_switches += 1;
                        session.host = first_host(answer.data)
                            .ok_or_else(|| refused(action, answer.code, answer.msg))?;
                        continue;
                    }
                    code if code.is_flow_limit()
                        && self.retrier.may_retry(Retry::Safe, attempt) =>
                    {
                        self.retrier.pause(&mut attempt).await;
                        continue;
                    }
                    code => return Err(refused_auth(code, answer.msg)),
                },
                Err(failure) => failure,
            };
            self.retrier
                .resend_or(action, failure, Retry::Safe, &mut attempt)
                .await?;
        }
    }

    fn start_session(
        &self,
        session: &mut Session,
        issued_ms: i64,
        data: Option<Box<RawValue>>,
    ) -> Result<(), Error> {
        let data: AuthData = decode(data).map_err(|reason| Error::BadResponse {
            action: Endpoint::Auth.name(),
            reason,
        })?;
        if data.token.is_empty() {
            return Err(Error::BadResponse {
                action: Endpoint::Auth.name(),
                reason: "authenticated, but no token came back".to_owned(),
            });
        }
        let lifetime = data.expire_time.saturating_sub(issued_ms).max(0);
        session.refresh_at_ms = data.expire_time - REFRESH_MARGIN_MS.min(lifetime / 2);
        session.token = Some(data.token);
        session.generation += 1;
        Ok(())
    }

    fn now_ms(&self) -> i64 {
        (self.config.clock)().timestamp_millis()
    }

    /// One HTTP exchange: the envelope, or how it failed. 400, 401 and 403 carry envelopes
    /// like 200 does; any other status is a transport failure (F.1).
    async fn exchange(
        &self,
        host: &str,
        endpoint: &Endpoint,
        token: Option<&Secret>,
        body: Option<&[u8]>,
    ) -> Result<Envelope<Box<RawValue>>, Failure> {
        let url = self.url(host, endpoint).map_err(Failure::Fatal)?;
        let method = match endpoint.method() {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut request = self
            .http
            .request(method, url)
            .timeout(self.config.retry.timeout)
            .header("Content-Type", "application/json;charset=utf-8");
        if let Some(token) = token {
            request = request.header(TOKEN_HEADER, token.expose());
        }
        if let Some(body) = body {
            request = request.body(body.to_vec());
        }
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| Failure::BeforeSend("client closed".into()))?;
        let response = request.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(classify)?;
        if !matches!(status, 200 | 400 | 401 | 403) {
            return Err(Failure::Status(status));
        }
        serde_json::from_slice::<Envelope<Box<RawValue>>>(&bytes).map_err(|error| {
            if status == 200 {
                Failure::AfterSend {
                    timed_out: false,
                    reason: format!("unreadable answer: {error}"),
                }
            } else {
                Failure::Status(status)
            }
        })
    }

    /// `{host}/{app_id}/{segments…}`, each segment escaped.
    fn url(&self, host: &str, endpoint: &Endpoint) -> Result<reqwest::Url, Error> {
        let bad = |reason: String| Error::InvalidRequest {
            reason: format!("the REST V2 endpoint `{host}` is not a usable URL: {reason}"),
        };
        let mut url = reqwest::Url::parse(host).map_err(|error| bad(error.to_string()))?;
        url.path_segments_mut()
            .map_err(|()| bad("it cannot have a path".to_owned()))?
            .pop_if_empty()
            .push(&self.config.app_id)
            .extend(endpoint.segments());
        Ok(url)
    }
}

fn refused(action: &'static str, code: Code, msg: String) -> Error {
    Error::V2 { action, code, msg }
}

/// A refusal of `/auth`. Its only parameters are the app key, the timestamp and the sign, so
/// a parameter refused (20001: "sign is invalid" [L]) is the credentials' fault. Anything
/// else keeps its own code: a 10001 (which the emulator answers an unknown app id) blames
/// the credentials and the app id alike, a blacklist (10002) or a limit neither.
fn refused_auth(code: Code, msg: String) -> Error {
    match code {
        Code::InvalidParameter => Error::V2Auth { code, msg },
        code => refused(Endpoint::Auth.name(), code, msg),
    }
}

/// The first host of a `301` answer's `host_list`, as an endpoint prefix.
fn first_host(data: Option<Box<RawValue>>) -> Option<String> {
    let hosts = serde_json::from_str::<HostListData>(data?.get())
        .ok()?
        .host_list;
    hosts
        .iter()
        .map(|host| host.trim().trim_end_matches('/'))
        .find(|host| !host.is_empty())
        .map(str::to_owned)
}

/// The `data` of a success as `R`; a missing `data` reads as `null`. Read from the answer's
/// own text, with no `Value` tree in between: a report of 200 tasks is thousands of fields.
fn decode<R: DeserializeOwned>(data: Option<Box<RawValue>>) -> Result<R, String> {
    serde_json::from_str(data.as_ref().map_or("null", |raw| raw.get()))
        .map_err(|error| format!("unreadable answer: {error}"))
}
