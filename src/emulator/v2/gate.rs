//! What a V2 call must pass before its handler, and the envelope around every answer.
//!
//! In order: the app id of the path, the body's size, a body that is JSON, then, for every
//! route but `/auth`, a live token in the header. A wrong app id is answered like a bad token
//! (10001, a guess: the token belongs to the app it was issued for), so a client sent to the
//! wrong app re-authenticates once and then reports its credentials refused.

use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Refusal, Request, route};
use crate::emulator::actions::Access;
use crate::emulator::actions::exchange::Exchange;
use crate::emulator::reply::Reply;
use crate::getui::v2::Code;
use crate::getui::v2::wire::Envelope;

/// An envelope as JSON, and the HTTP status it goes out with.
pub(super) struct Answer {
    pub status: StatusCode,
    /// `Null` when the store failed (see [`Answer::store_failed`]).
    pub envelope: Reply,
}

impl Answer {
    /// No envelope: whether the change was kept is unknown, as after a lost answer.
    pub(super) fn store_failed() -> Answer {
        Answer {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            envelope: Reply::Tree(Value::Null),
        }
    }
}

/// The answer to `request`.
pub(super) fn answer(ex: &mut Exchange<'_>, request: &Request) -> Answer {
    let handle = route(&request.call).handle;
    match admit(ex, request).and_then(|()| handle(ex, request)) {
        Ok(data) => Answer {
            status: StatusCode::OK,
            envelope: success(data),
        },
        Err(refusal) => Answer {
            status: refusal.status(),
            envelope: Envelope::refused(refusal.code, refusal.msg)
                .into_value()
                .into(),
        },
    }
}

/// A success's envelope around `data`: a tree moved in, or text written with it. A `null`
/// `data` is left out.
fn success(data: Reply) -> Reply {
    match data {
        Reply::Tree(data) => {
            let mut envelope = Envelope::ok(data);
            envelope.data = envelope.data.filter(|data| !data.is_null());
            envelope.into_value().into()
        }
        text => Reply::text(&Envelope::ok(text)),
    }
}

/// A refusal answered on its own, for faults: its HTTP status and envelope.
pub(super) fn refusal(code: Code, msg: &str) -> (StatusCode, Value) {
    (
        super::status_of(code),
        Envelope::refused(code, msg).into_value(),
    )
}

fn admit(ex: &Exchange<'_>, request: &Request) -> Result<(), Refusal> {
    if request.app_id != ex.settings.app_id {
        return Err(Refusal::new(
            Code::TokenInvalid,
            "no app with this id for these credentials",
        ));
    }
    if request.body_len > ex.settings.max_body_bytes {
        return Err(Refusal::invalid("the request body is larger than 25 KB"));
    }
    if request.malformed {
        return Err(Refusal::new(Code::Failed, "the request body is not JSON"));
    }
    if route(&request.call).access == Access::Open {
        return Ok(());
    }
    let token = request.token.as_deref().unwrap_or_default();
    if !ex.store.token_valid(token, ex.now) {
        return Err(Refusal::new(
            Code::TokenInvalid,
            "the token is missing, unknown or expired",
        ));
    }
    Ok(())
}

/// The body as `T`; a body that does not decode is an invalid parameter.
pub(super) fn decode<T: DeserializeOwned>(body: &Value, what: &str) -> Result<T, Refusal> {
    let body = if body.is_null() {
        &Value::Object(serde_json::Map::new())
    } else {
        body
    };
    serde_json::from_value(body.clone())
        .map_err(|e| Refusal::invalid(format!("the body is not a valid {what}: {e}")))
}
