//! What both protocol endpoints (the legacy one in `server`, REST V2 in `v2`) do to a request
//! and its answer at the HTTP level: gzip both ways, added latency, the hold of a `timeout`
//! fault, the mark of a response that must not be written, and the request log entry.
//!
//! A leaf beside `server` and `v2`, so that the server can route to V2 without the two
//! importing each other.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::faults::FaultKind;
use super::record::Seen;
use super::shared::{Shared, lock, stop_requested};
use crate::emulator::reply::Reply;

/// Inflated bodies larger than this are refused before parsing (gzip bombs).
const INFLATE_LIMIT: u64 = 4 * 1024 * 1024;

/// Marks a response that must not be written: the connection is closed instead.
#[derive(Clone, Copy)]
pub(crate) struct DropConnection;

/// A response that `server::serve_request` turns into a closed connection.
pub(crate) fn dropped() -> Response {
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(DropConnection);
    response
}

/// What a request's log entry says beside its route: the answer, if one was written.
pub(crate) struct Answered {
    pub fault: Option<FaultKind>,
    /// The business code answered (`result` or V2 `code`), as text.
    pub result: Option<String>,
    pub status: Option<u16>,
}

/// Logs a request that arrived at `started` (its secrets are blanked by the recorder).
pub(crate) fn record(
    shared: &Shared,
    path: String,
    action: Option<String>,
    body: Value,
    gzip: bool,
    started: Instant,
    answered: Answered,
) {
    shared.recorder.record(Seen {
        path,
        action,
        body,
        gzip,
        fault: answered.fault,
        result: answered.result,
        status: answered.status,
        started,
    });
}

/// Of a protocol's two URLs, the one a request that came to `second` (or not) did not come
/// to: where a host switch (`domain_error`, V2's `301`) sends the client.
pub(crate) fn the_other<'a>(came_to_second: bool, first: &'a str, second: &'a str) -> &'a str {
    if came_to_second { first } else { second }
}

pub(crate) fn inflate(body: &[u8]) -> Result<Vec<u8>, ()> {
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

pub(crate) fn header_has(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .any(|part| part.trim().eq_ignore_ascii_case(token))
        })
}

pub(crate) fn json_response(status: StatusCode, reply: &Reply, gzip: bool) -> Response {
    let text = reply.to_bytes();
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

/// Sleeps the way in of a round trip, half the latency drawn for the request, and returns the
/// way back, which the caller sleeps before it answers ([`sleep_back`]). A network delays
/// both ways: requests that arrive together are then not all served at the same instant
/// after one shared wait, which would pile up the store's work at every round trip.
pub(crate) async fn sleep_latency(shared: &Shared) -> Duration {
    let delay = {
        let mut faults = lock(&shared.faults);
        let latency = faults.latency;
        latency.sample(&mut faults.latency_rng)
    };
    let way_in = delay / 2;
    if !way_in.is_zero() {
        tokio::time::sleep(way_in).await;
    }
    delay.saturating_sub(way_in)
}

/// Sleeps the way back of a round trip (see [`sleep_latency`]).
pub(crate) async fn sleep_back(way_back: Duration) {
    if !way_back.is_zero() {
        tokio::time::sleep(way_back).await;
    }
}

/// Holds a timed-out request until long after any client gave up, or until shutdown.
pub(crate) async fn hold(shared: &Shared) {
    let mut shutdown = shared.shutdown.clone();
    tokio::select! {
        _ = tokio::time::sleep(shared.timeout_hold) => {}
        _ = stop_requested(&mut shutdown) => {}
    }
}
