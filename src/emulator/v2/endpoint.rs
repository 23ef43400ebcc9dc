//! The HTTP side of V2: `{PATH}/{app_id}/…` (and the alternate path a `301` names) to a
//! [`Call`], then latency, faults, the durable run and the request log, as the legacy
//! endpoint does them.
//!
//! An unknown path is HTTP 404 and a known path with another method 405 (transport errors, as
//! Getui's clients read them), recorded with an empty action and never faulted. Every fault
//! kind applies to V2 routes, addressed by the route's name (`names`): `flow_exceeded`
//! answers V2's flow limit (10005; 10003 on `/auth`), `domain_error` a `301` whose
//! `host_list` names this emulator's other V2 path, `answer:CODE` the envelope code CODE (a
//! number; any other text answers code 1, "failed").

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::de::IgnoredAny;
use serde_json::Value;

use super::gate::{Answer, answer, refusal};
use super::{ALTERNATE_PATH, Call, PATH, Request, names, route};
use crate::emulator::actions::exchange::to_json;
use crate::emulator::commit::run_durably;
use crate::emulator::faults::{FaultKind, FaultRule};
use crate::emulator::http::{
    Answered, dropped, header_has, hold, inflate, json_response, record, sleep_back, sleep_latency,
    the_other,
};
use crate::emulator::reply::Reply;
use crate::emulator::shared::{Shared, lock};
use crate::getui::v2::Code;
use crate::getui::v2::wire::{Envelope, HostListData, Method, TOKEN_HEADER};

/// Serves one request under [`PATH`] or [`ALTERNATE_PATH`]: the router hands over the app id
/// and the rest of the path, both decoded.
pub(crate) async fn serve(
    State(shared): State<Arc<Shared>>,
    Path((app_id, rest)): Path<(String, String)>,
    method: axum::http::Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let gzip = header_has(&headers, header::CONTENT_ENCODING, "gzip");
    let prefix = if uri.path().starts_with(&format!("{ALTERNATE_PATH}/")) {
        ALTERNATE_PATH
    } else {
        PATH
    };
    // Empty segments dropped, so a trailing `/`, as the Java SDK writes some paths, is
    // harmless.
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let Some(call) = method_of(&method).and_then(|m| Call::parse(m, &segments)) else {
        let status = if [Method::Get, Method::Post, Method::Delete]
            .into_iter()
            .any(|m| Call::parse(m, &segments).is_some())
        {
            StatusCode::METHOD_NOT_ALLOWED
        } else {
            StatusCode::NOT_FOUND
        };
        let answered = Answered {
            fault: None,
            result: None,
            status: Some(status.as_u16()),
        };
        let path = uri.path().to_owned();
        record(
            &shared,
            path,
            Some(String::new()),
            Value::Null,
            gzip,
            started,
            answered,
        );
        return status.into_response();
    };
    let (value, malformed, body_len) = read_body(&body, gzip);
    let request = Request {
        path: recorded_path(uri.path(), &call),
        call,
        app_id,
        body: value,
        malformed,
        body_len,
        token: headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let way_back = sleep_latency(&shared).await;
    let name = route(&request.call).name;
    let rule = lock(&shared.faults).dice.roll_rule(Some(name)).cloned();
    let fault = rule.as_ref().map(|rule| rule.kind);
    let outcome = match fault {
        Some(FaultKind::Timeout) => {
            // Recorded now: by the time the hold ends the client has long given up.
            log(&shared, request, fault, &Outcome::Dropped, gzip, started);
            hold(&shared).await;
            return dropped();
        }
        Some(FaultKind::CommitDrop) => {
            apply(&shared, &request).await;
            Outcome::Dropped
        }
        Some(_) => faulted(&shared, rule.as_ref(), name, prefix),
        None => apply(&shared, &request).await,
    };
    let response = outcome.response(gzip);
    log(&shared, request, fault, &outcome, gzip, started);
    sleep_back(way_back).await;
    response
}

/// The answer of a fault that stops a request before the store.
fn faulted(shared: &Shared, rule: Option<&FaultRule>, name: &str, prefix: &str) -> Outcome {
    let Some(rule) = rule else {
        return Outcome::Status(StatusCode::INTERNAL_SERVER_ERROR);
    };
    match rule.kind {
        FaultKind::Reset => Outcome::Dropped,
        FaultKind::Http5xx => Outcome::Status(StatusCode::SERVICE_UNAVAILABLE),
        FaultKind::FlowExceeded if name == names::AUTH => {
            Outcome::refused(Code::AuthFlowLimit, "too many auth calls this minute")
        }
        FaultKind::FlowExceeded => Outcome::refused(Code::FlowLimit, "too many calls this minute"),
        FaultKind::DomainError => Outcome::ok(switch_host(shared, prefix)),
        FaultKind::Answer => {
            let code = rule
                .code
                .as_ref()
                .and_then(|code| code.as_str().trim().parse().ok())
                .map_or(Code::Failed, Code::from_i64);
            Outcome::refused(code, "answered by fault injection")
        }
        FaultKind::Timeout | FaultKind::CommitDrop => Outcome::Dropped,
    }
}

/// `301` naming this emulator's V2 path that the request did not come to, so a client that
/// follows it lands on a host that knows its token.
fn switch_host(shared: &Shared, prefix: &str) -> Value {
    let elsewhere = the_other(
        prefix == ALTERNATE_PATH,
        &shared.v2_url,
        &shared.v2_alternate_url,
    );
    to_json(Envelope {
        code: Code::WrongHost,
        msg: "switch host".to_owned(),
        data: Some(HostListData {
            host_list: vec![elsewhere.to_owned()],
            domain_hash: None,
        }),
    })
}

async fn apply(shared: &Arc<Shared>, request: &Request) -> Outcome {
    let request = request.clone();
    let answer = run_durably(shared, move |ex| answer(ex, &request), Answer::store_failed).await;
    if answer.envelope.is_null() {
        Outcome::Status(answer.status)
    } else {
        Outcome::Reply(answer.status, answer.envelope)
    }
}

enum Outcome {
    /// An envelope, with its HTTP status (Getui's for its code).
    Reply(StatusCode, Reply),
    Status(StatusCode),
    Dropped,
}

impl Outcome {
    /// An envelope sent with HTTP 200 (a `301`).
    fn ok(envelope: Value) -> Outcome {
        Outcome::Reply(StatusCode::OK, envelope.into())
    }

    /// A refusal, with the HTTP status of its code.
    fn refused(code: Code, msg: &str) -> Outcome {
        let (status, envelope) = refusal(code, msg);
        Outcome::Reply(status, envelope.into())
    }

    fn response(&self, gzip: bool) -> Response {
        match self {
            Outcome::Reply(status, value) => json_response(*status, value, gzip),
            Outcome::Status(status) => status.into_response(),
            Outcome::Dropped => dropped(),
        }
    }
}

fn log(
    shared: &Shared,
    request: Request,
    fault: Option<FaultKind>,
    outcome: &Outcome,
    gzip: bool,
    started: Instant,
) {
    let (result, status) = match outcome {
        Outcome::Reply(status, value) => (
            value
                .read::<Envelope<IgnoredAny>>()
                .map(|envelope| envelope.code.to_string()),
            Some(status.as_u16()),
        ),
        Outcome::Status(status) => (None, Some(status.as_u16())),
        Outcome::Dropped => (None, None),
    };
    let name = route(&request.call).name.to_owned();
    let answered = Answered {
        fault,
        result,
        status,
    };
    record(
        shared,
        request.path,
        Some(name),
        request.body,
        gzip,
        started,
        answered,
    );
}

/// The path as logged: a token in it is blanked.
fn recorded_path(path: &str, call: &Call) -> String {
    let Call::Extra(extra) = call else {
        return path.to_owned();
    };
    let Some(secret) = extra.secret_segment() else {
        return path.to_owned();
    };
    // `["", prefix, app_id, segments…]`
    let mut parts: Vec<&str> = path.split('/').collect();
    if let Some(part) = parts.get_mut(secret + 3) {
        *part = "***";
    }
    parts.join("/")
}

fn method_of(method: &axum::http::Method) -> Option<Method> {
    [Method::Get, Method::Post, Method::Delete]
        .into_iter()
        .find(|m| m.as_str() == method.as_str())
}

/// The JSON body (`Null` when empty), whether it failed to parse, and its length.
fn read_body(body: &[u8], gzip: bool) -> (Value, bool, usize) {
    let Ok(text) = (if gzip {
        inflate(body)
    } else {
        Ok(body.to_vec())
    }) else {
        return (Value::Null, true, body.len());
    };
    if text.iter().all(u8::is_ascii_whitespace) {
        return (Value::Null, false, 0);
    }
    match serde_json::from_slice::<Value>(&text) {
        Ok(value) if value.is_object() => (value, false, text.len()),
        _ => (Value::Null, true, text.len()),
    }
}
