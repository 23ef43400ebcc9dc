//! The HTTP side: accepting connections, the one protocol URL, gzip, latency and faults.
//!
//! axum's router cannot leave a request unanswered, yet a connection reset and a
//! commit-then-drop are exactly that. So the emulator accepts connections itself and serves
//! each with hyper; a handler that wants the connection dropped marks its response with
//! [`DropConnection`], and the service around the router turns that mark into an error, on
//! which hyper closes the connection without writing a byte.
//!
//! A request that no fault stops goes to `commit` (the store, through `gate` and the action
//! handlers); what was asked and answered goes to `record`; the `/_emulator/` routes are
//! `admin`'s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::any;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::actions::exchange::{result_only, to_json};
use super::admin;
use super::commit::apply_request;
use super::faults::FaultKind;
use super::http::{
    Answered, DropConnection, dropped, header_has, hold, inflate, json_response, sleep_back,
    sleep_latency, the_other,
};
use super::shared::{Shared, lock, stop_requested};
use super::v2;
use crate::emulator::reply::Reply;
use crate::getui::ResultCode;
use crate::getui::wire::{ActionOnly, HostListResponse, ResultOnly};

/// The path the emulator gives out as its URL, and the other path it serves the protocol on.
pub(crate) const MAIN_PATH: &str = "/apiex.htm";
pub(crate) const ALTERNATE_PATH: &str = "/serviceex";

/// The admin API, REST V2 under its two paths, and the legacy protocol on every other path.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let mut routes = admin::routes();
    for prefix in [v2::PATH, v2::ALTERNATE_PATH] {
        routes = routes.route(&format!("{prefix}/{{app_id}}/{{*rest}}"), any(v2::serve));
    }
    routes.fallback(protocol).with_state(shared)
}

/// Accepts connections until shutdown is asked for, then gives open ones a few seconds.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    router: Router,
    mut stopped: watch::Receiver<bool>,
) {
    let builder = auto::Builder::new(TokioExecutor::new());
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors or similar: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let service = hyper::service::service_fn(move |request| {
                    serve_request(router.clone(), request)
                });
                let connection = builder.serve_connection(TokioIo::new(stream), service).into_owned();
                let watched = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = watched.await;
                });
            }
            _ = stop_requested(&mut stopped) => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(5)) => {}
    }
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
    let way_back = sleep_latency(&shared).await;
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
        Some(FaultKind::FlowExceeded) => {
            Outcome::Reply(result_only(ResultCode::FlowExceeded).into())
        }
        Some(FaultKind::DomainError) => Outcome::Reply(domain_error(&shared, &arrival.path).into()),
        Some(FaultKind::Answer) => {
            let code = rule.and_then(|rule| rule.code);
            Outcome::Reply(result_only(code.unwrap_or(ResultCode::OtherError)).into())
        }
        Some(FaultKind::CommitDrop) => {
            apply_request(&shared, action, &arrival.body, text_len).await;
            Outcome::Dropped
        }
        None => Outcome::Reply(apply_request(&shared, action, &arrival.body, text_len).await),
    };
    record(&shared, arrival, fault, &outcome);
    sleep_back(way_back).await;
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

fn record(shared: &Shared, arrival: Arrival, fault: Option<FaultKind>, outcome: &Outcome) {
    let answered = Answered {
        fault,
        result: outcome.result(),
        status: outcome.status(),
    };
    let Arrival {
        path,
        action,
        body,
        gzip,
        started,
    } = arrival;
    super::http::record(shared, path, action, body, gzip, started, answered);
}

/// `domain_error` with the URL of this emulator that the request did not come to, so a
/// client that follows it lands on a host that knows its session.
fn domain_error(shared: &Shared, path: &str) -> Value {
    let elsewhere = the_other(
        path == ALTERNATE_PATH,
        &shared.base_url,
        &shared.alternate_url,
    );
    to_json(HostListResponse {
        result: ResultCode::DomainError,
        os_list: vec![elsewhere.to_owned()],
    })
}

enum Outcome {
    Reply(Reply),
    Status(StatusCode),
    Dropped,
}

impl Outcome {
    fn result(&self) -> Option<String> {
        match self {
            Outcome::Reply(reply) => reply
                .read::<ResultOnly>()
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
            Outcome::Reply(reply) => json_response(StatusCode::OK, &reply, gzip),
            Outcome::Status(status) => {
                json_response(status, &result_only(ResultCode::Error).into(), false)
            }
            Outcome::Dropped => dropped(),
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
