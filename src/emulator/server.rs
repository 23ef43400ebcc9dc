//! The HTTP side: one protocol URL, the `/_emulator/` admin API, gzip, faults and recording.
//!
//! axum's router cannot leave a request unanswered, yet a connection reset and a
//! commit-then-drop are exactly that. So the emulator accepts connections itself and serves
//! each with hyper; a handler that wants the connection dropped marks its response with
//! [`DropConnection`], and the service around the router turns that mark into an error, on
//! which hyper closes the connection without writing a byte.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::watch;

use super::actions::exchange::{Exchange, Settings, result_only, to_json};
use super::clock::Clock;
use super::faults::{FaultDice, FaultKind, FaultSpec, Latency};
use super::gate;
use super::store::Store;
use crate::getui::ResultCode;
use crate::getui::wire::{ActionOnly, HostListResponse, ResultOnly, SECRET_KEYS};

/// How many requests the recorder keeps (the oldest go first), so a benchmark cannot exhaust memory.
const RECORD_LIMIT: usize = 20_000;
/// Inflated bodies larger than this are refused before parsing (gzip bombs).
const INFLATE_LIMIT: u64 = 4 * 1024 * 1024;
/// The path the emulator gives out as its URL, and the other path it serves the protocol on.
pub(crate) const MAIN_PATH: &str = "/apiex.htm";
pub(crate) const ALTERNATE_PATH: &str = "/serviceex";

/// One request as it reached the emulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Position in arrival order, from 1.
    pub seq: u64,
    pub at: DateTime<Utc>,
    /// The URL path it was posted to, e.g. `/apiex.htm` (a `domain_error` names another).
    #[serde(default)]
    pub path: String,
    /// `None` for an empty-body probe.
    pub action: Option<String>,
    /// The decoded JSON body, with `authToken` and `sign` replaced by `***`.
    pub body: Value,
    pub gzip: bool,
    pub fault: Option<FaultKind>,
    /// The `result` answered; `None` when no answer was written (reset, timeout, commit-drop).
    /// A `timeout` is recorded when it arrives, so that a client that gave up is still counted.
    pub result: Option<String>,
    /// The HTTP status answered; `None` when no answer was written.
    pub status: Option<u16>,
}

pub(crate) struct FaultState {
    pub dice: FaultDice,
    pub latency: Latency,
    pub latency_rng: StdRng,
}

/// Everything the connections share.
pub(crate) struct Shared {
    pub settings: Settings,
    pub base_url: String,
    /// Another URL of this emulator, which a `domain_error` fault sends clients to.
    pub alternate_url: String,
    pub clock: Clock,
    pub data_dir: Option<PathBuf>,
    pub timeout_hold: Duration,
    pub log_requests: bool,
    pub store: Mutex<Store>,
    /// Taken by the request that commits for everyone (see [`make_durable`]).
    pub committing: Mutex<()>,
    pub faults: Mutex<FaultState>,
    pub requests: Mutex<VecDeque<RecordedRequest>>,
    pub next_seq: Mutex<u64>,
    pub shutdown: watch::Receiver<bool>,
}

/// Locks a mutex even if a panicking thread poisoned it: every guarded value here stays
/// consistent between statements, and an emulator that stops answering helps nobody.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Marks a response that must not be written: the connection is closed instead.
#[derive(Clone, Copy)]
pub(crate) struct DropConnection;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/_emulator/requests", get(admin_requests))
        .route("/_emulator/state", get(admin_state))
        .route("/_emulator/clock", get(admin_clock).post(admin_set_clock))
        .route(
            "/_emulator/faults",
            get(admin_faults).post(admin_set_faults),
        )
        .fallback(protocol)
        .with_state(shared)
}

// -----------------------------------------------------------------------------------------
// The protocol endpoint

async fn protocol(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let gzip = header_has(&headers, header::CONTENT_ENCODING, "gzip");
    let (action, value, text_len) = match read_body(&body, gzip) {
        Ok(parsed) => parsed,
        Err(()) => (Some(String::new()), Value::Null, body.len()),
    };
    let arrival = Arrival {
        path: uri.path().to_owned(),
        action,
        body: value,
        gzip,
        started,
    };
    sleep_latency(&shared).await;
    let rule = lock(&shared.faults)
        .dice
        .roll_rule(arrival.action.as_deref())
        .cloned();
    let fault = rule.as_ref().map(|rule| rule.kind);
    let action = arrival.action.as_deref();
    let outcome = match fault {
        Some(FaultKind::Reset) => Outcome::Dropped,
        Some(FaultKind::Timeout) => {
            // Recorded now: by the time the hold ends the client has long given up.
            record(&shared, arrival, fault, &Outcome::Dropped);
            hold(&shared).await;
            return Outcome::Dropped.into_response(gzip);
        }
        Some(FaultKind::Http5xx) => Outcome::Status(StatusCode::SERVICE_UNAVAILABLE),
        Some(FaultKind::FlowExceeded) => Outcome::Reply(result_only(ResultCode::FlowExceeded)),
        Some(FaultKind::DomainError) => Outcome::Reply(domain_error(&shared, &arrival.path)),
        Some(FaultKind::Answer) => {
            let code = rule.and_then(|rule| rule.code);
            Outcome::Reply(result_only(code.unwrap_or(ResultCode::OtherError)))
        }
        Some(FaultKind::CommitDrop) => {
            apply_request(&shared, action, &arrival.body, text_len).await;
            Outcome::Dropped
        }
        None => Outcome::Reply(apply_request(&shared, action, &arrival.body, text_len).await),
    };
    record(&shared, arrival, fault, &outcome);
    outcome.into_response(gzip)
}

/// A request as it arrived, before anything was answered.
struct Arrival {
    path: String,
    action: Option<String>,
    body: Value,
    gzip: bool,
    started: Instant,
}

/// `domain_error` with the URL of this emulator that the request did not come to, so a
/// client that follows it lands on a host that knows its session.
fn domain_error(shared: &Shared, path: &str) -> Value {
    let elsewhere = if path == ALTERNATE_PATH {
        &shared.base_url
    } else {
        &shared.alternate_url
    };
    to_json(HostListResponse {
        result: ResultCode::DomainError,
        os_list: vec![elsewhere.clone()],
    })
}

enum Outcome {
    Reply(Value),
    Status(StatusCode),
    Dropped,
}

impl Outcome {
    fn result(&self) -> Option<String> {
        match self {
            Outcome::Reply(value) => ResultOnly::deserialize(value)
                .ok()
                .map(|reply| reply.result.as_str().to_owned()),
            Outcome::Status(_) | Outcome::Dropped => None,
        }
    }

    fn status(&self) -> Option<u16> {
        match self {
            Outcome::Reply(_) => Some(200),
            Outcome::Status(status) => Some(status.as_u16()),
            Outcome::Dropped => None,
        }
    }

    fn into_response(self, gzip: bool) -> Response {
        match self {
            Outcome::Reply(value) => json_response(StatusCode::OK, &value, gzip),
            Outcome::Status(status) => {
                json_response(status, &result_only(ResultCode::Error), false)
            }
            Outcome::Dropped => {
                let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                response.extensions_mut().insert(DropConnection);
                response
            }
        }
    }
}

/// The action, the JSON body and its length. An empty body is the probe (`None`); a body that
/// is not a JSON object gets `Error`, which `Err` stands for.
fn read_body(body: &[u8], gzip: bool) -> Result<(Option<String>, Value, usize), ()> {
    let text = if gzip { inflate(body)? } else { body.to_vec() };
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok((None, Value::Null, 0));
    }
    let value: Value = serde_json::from_slice(&text).map_err(|_| ())?;
    if !value.is_object() {
        return Err(());
    }
    let action = serde_json::from_value::<ActionOnly>(value.clone())
        .map(|a| a.action)
        .unwrap_or_default();
    Ok((Some(action), value, text.len()))
}

fn inflate(body: &[u8]) -> Result<Vec<u8>, ()> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .take(INFLATE_LIMIT)
        .read_to_end(&mut out)
        .map_err(|_| ())?;
    Ok(out)
}

fn deflate(body: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

fn header_has(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .any(|part| part.trim().eq_ignore_ascii_case(token))
        })
}

fn json_response(status: StatusCode, value: &Value, gzip: bool) -> Response {
    // A `Value` always serializes; the empty body only keeps this free of panics.
    let text = serde_json::to_vec(value).unwrap_or_default();
    let (body, encoded) = match gzip.then(|| deflate(&text)).flatten() {
        Some(compressed) => (compressed, true),
        None => (text, false),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    if encoded {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}

async fn sleep_latency(shared: &Shared) {
    let delay = {
        let mut faults = lock(&shared.faults);
        let latency = faults.latency;
        latency.sample(&mut faults.latency_rng)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}

/// Holds a timed-out request until long after any client gave up, or until shutdown.
async fn hold(shared: &Shared) {
    let mut shutdown = shared.shutdown.clone();
    tokio::select! {
        _ = tokio::time::sleep(shared.timeout_hold) => {}
        _ = stop_requested(&mut shutdown) => {}
    }
}

/// Resolves once shutdown was asked for (the borrow of the flag ends here, before any await).
pub(crate) async fn stop_requested(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// Runs the request against the store; with a data directory, on a blocking thread, since
/// the answer waits for an fsync and the sandbox shares its runtime with the client.
async fn apply_request(
    shared: &Arc<Shared>,
    action: Option<&str>,
    body: &Value,
    body_len: usize,
) -> Value {
    if shared.data_dir.is_none() {
        return apply(shared, action, body, body_len);
    }
    let (shared, action, body) = (shared.clone(), action.map(str::to_owned), body.clone());
    tokio::task::spawn_blocking(move || apply(&shared, action.as_deref(), &body, body_len))
        .await
        .unwrap_or_else(|_| result_only(ResultCode::OtherError))
}

/// Runs the request against the store and, if it changed anything, answers only once the
/// change is durable.
fn apply(shared: &Shared, action: Option<&str>, body: &Value, body_len: usize) -> Value {
    let Some(action) = action else {
        // The probe clients use to rank hosts: any JSON with HTTP 200 will do.
        return result_only(ResultCode::Error);
    };
    if body.is_null() {
        return result_only(ResultCode::Error);
    }
    let now = shared.clock.now();
    let (reply, wait) = {
        let mut store = lock(&shared.store);
        store.settle(now);
        let mut exchange = Exchange {
            settings: &shared.settings,
            store: &mut store,
            now,
            base_url: &shared.base_url,
        };
        let reply = gate::answer(&mut exchange, action, body, body_len);
        let wait = store.stage();
        if let Some(e) = store.take_failure() {
            eprintln!("gtcamp emulator: {e}");
            return result_only(ResultCode::OtherError);
        }
        (reply, wait)
    };
    if let Some(change) = wait
        && let Err(e) = make_durable(shared, change)
    {
        eprintln!("gtcamp emulator: {e}");
        return result_only(ResultCode::OtherError);
    }
    reply
}

/// Group commit: whoever gets the turn commits every change staged so far with one fsync,
/// so the requests that staged while it waited find theirs durable and return at once. The
/// store lock is held during the commit (the database has one connection); requests queue on
/// it and stage together into the next commit.
pub(crate) fn make_durable(shared: &Shared, change: u64) -> Result<(), super::store::StoreError> {
    let _turn = lock(&shared.committing);
    let mut store = lock(&shared.store);
    if store.is_durable(change) {
        return Ok(());
    }
    store.commit()
}

fn record(shared: &Shared, arrival: Arrival, fault: Option<FaultKind>, outcome: &Outcome) {
    let Arrival {
        path,
        action,
        mut body,
        gzip,
        started,
    } = arrival;
    redact(&mut body);
    let seq = {
        let mut next = lock(&shared.next_seq);
        *next += 1;
        *next
    };
    let entry = RecordedRequest {
        seq,
        at: shared.clock.now(),
        path,
        action,
        body,
        gzip,
        fault,
        result: outcome.result(),
        status: outcome.status(),
    };
    if shared.log_requests {
        eprintln!("{}", log_line(&entry, started.elapsed()));
    }
    let mut requests = lock(&shared.requests);
    if requests.len() >= RECORD_LIMIT {
        requests.pop_front();
    }
    requests.push_back(entry);
}

/// One stderr line per request; the body is never logged (it may hold phone hashes).
fn log_line(entry: &RecordedRequest, took: Duration) -> String {
    let action = entry.action.as_deref().unwrap_or("(probe)");
    let action = if action.is_empty() {
        "(no action)"
    } else {
        action
    };
    let result = match (&entry.result, entry.status) {
        (Some(result), _) => result.clone(),
        (None, Some(status)) => format!("HTTP {status}"),
        (None, None) => "no reply".to_owned(),
    };
    let fault = entry
        .fault
        .map(|f| format!(" fault={f}"))
        .unwrap_or_default();
    format!(
        "{} #{} {action} -> {result}{fault} ({} ms)",
        entry.at.format("%Y-%m-%dT%H:%M:%S%.3fZ"),
        entry.seq,
        took.as_millis()
    )
}

fn redact(body: &mut Value) {
    if let Value::Object(map) = body {
        for key in SECRET_KEYS {
            if let Some(value) = map.get_mut(key) {
                *value = json!("***");
            }
        }
    }
}

// -----------------------------------------------------------------------------------------
// The admin API

async fn admin_requests(State(shared): State<Arc<Shared>>) -> Response {
    let requests: Vec<RecordedRequest> = lock(&shared.requests).iter().cloned().collect();
    axum::Json(requests).into_response()
}

async fn admin_state(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(snapshot(&shared)).into_response()
}

pub(crate) fn snapshot(shared: &Shared) -> super::store::StoreSnapshot {
    let now = shared.clock.now();
    let (snapshot, wait) = {
        let mut store = lock(&shared.store);
        store.settle(now);
        let wait = store.stage();
        (store.snapshot(), wait)
    };
    if let Some(change) = wait
        && let Err(e) = make_durable(shared, change)
    {
        eprintln!("gtcamp emulator: {e}");
    }
    snapshot
}

async fn admin_clock(State(shared): State<Arc<Shared>>) -> Response {
    clock_view(&shared.clock)
}

fn clock_view(clock: &Clock) -> Response {
    axum::Json(json!({"now": clock.now().to_rfc3339(), "manual": clock.is_manual()}))
        .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    set: Option<DateTime<Utc>>,
    advance_secs: Option<i64>,
}

async fn admin_set_clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let change: ClockChange = match serde_json::from_slice(&body) {
        Ok(change) => change,
        Err(e) => {
            return admin_error(format!(
                "expected {{\"set\": \"<rfc3339>\"}} or {{\"advance_secs\": N}}: {e}"
            ));
        }
    };
    if let Some(at) = change.set {
        shared.clock.set(at);
    }
    if let Some(secs) = change.advance_secs {
        let moved = chrono::Duration::try_seconds(secs).ok_or(super::clock::ClockOutOfRange);
        if let Err(e) = moved.and_then(|by| shared.clock.try_advance(by)) {
            return admin_error(e.to_string());
        }
    }
    clock_view(&shared.clock)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultChange {
    faults: Option<String>,
    latency: Option<String>,
}

async fn admin_faults(State(shared): State<Arc<Shared>>) -> Response {
    faults_view(&shared)
}

fn faults_view(shared: &Shared) -> Response {
    let faults = lock(&shared.faults);
    axum::Json(json!({
        "faults": faults.dice.spec().to_string(),
        "latency": faults.latency.to_string(),
    }))
    .into_response()
}

async fn admin_set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let change: FaultChange = match serde_json::from_slice(&body) {
        Ok(change) => change,
        Err(e) => {
            return admin_error(format!(
                "expected {{\"faults\": \"SPEC\", \"latency\": \"50ms\"}}: {e}"
            ));
        }
    };
    let spec = match change
        .faults
        .as_deref()
        .map(str::parse::<FaultSpec>)
        .transpose()
    {
        Ok(spec) => spec,
        Err(e) => return admin_error(e.to_string()),
    };
    let latency = match change
        .latency
        .as_deref()
        .map(str::parse::<Latency>)
        .transpose()
    {
        Ok(latency) => latency,
        Err(e) => return admin_error(e.to_string()),
    };
    {
        let mut faults = lock(&shared.faults);
        if let Some(spec) = spec {
            faults.dice = FaultDice::new(spec);
        }
        if let Some(latency) = latency {
            faults.latency = latency;
        }
    }
    faults_view(&shared)
}

fn admin_error(message: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": message})),
    )
        .into_response()
}

pub(crate) fn fault_state(spec: FaultSpec, latency: Latency) -> FaultState {
    let latency_rng = match spec.seed {
        Some(seed) => StdRng::seed_from_u64(seed.wrapping_add(1)),
        None => StdRng::from_os_rng(),
    };
    FaultState {
        dice: FaultDice::new(spec),
        latency,
        latency_rng,
    }
}

/// An error the service returns so hyper drops the connection without a response.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
pub(crate) struct ConnectionDropped;

/// Serves one request through the router, turning a [`DropConnection`] mark into an error.
pub(crate) async fn serve_request(
    router: Router,
    request: axum::http::Request<hyper::body::Incoming>,
) -> Result<Response, ConnectionDropped> {
    use tower::ServiceExt;
    let request = request.map(Body::new);
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if response.extensions().get::<DropConnection>().is_some() {
        return Err(ConnectionDropped);
    }
    Ok(response)
}
