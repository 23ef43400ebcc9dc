//! What a request must pass before its handler runs, in the order a Getui server checks:
//! an action the protocol has, a body within the size limit, then, as the action's route asks
//! ([`Access`]), the app key and a live auth token.
//!
//! Kept apart from the handlers so that none of them repeats a check, and apart from the
//! HTTP side (`server`), whose fault injection happens before a request gets here.

use serde_json::Value;

use super::actions::exchange::{Exchange, decode, result_only, to_json};
use super::actions::{self, Access};
use super::reply::Reply;
use crate::getui::ResultCode;
use crate::getui::wire::{self, DescribedResponse};

/// The reply to a request body of `body_len` bytes whose `action` is `action`.
pub(crate) fn answer(ex: &mut Exchange<'_>, action: &str, body: &Value, body_len: usize) -> Reply {
    let Some((access, handle)) = actions::route(action) else {
        return result_only(ResultCode::ActionError).into();
    };
    if body_len > ex.settings.max_body_bytes {
        return to_json(DescribedResponse {
            result: ResultCode::Error,
            desc: Some("request body is larger than 25 KB".to_owned()),
        })
        .into();
    }
    if let Err(refusal) = admit(ex, access, body) {
        return result_only(refusal).into();
    }
    handle(ex, body).unwrap_or_else(|refusal| result_only(refusal).into())
}

/// Whether the request carries what `access` asks for.
fn admit(ex: &Exchange<'_>, access: Access, body: &Value) -> Result<(), ResultCode> {
    if access == Access::Open {
        return Ok(());
    }
    // Every request shares the envelope; `close` has nothing else, so its type reads it.
    let envelope = decode::<wire::Close>(body)?;
    if envelope.appkey != ex.settings.app_key {
        return Err(ResultCode::AppkeyError);
    }
    if access == Access::AppKey {
        return Ok(());
    }
    let token = envelope.auth_token.unwrap_or_default();
    if !ex.store.token_valid(token.expose(), ex.now) {
        return Err(ResultCode::SignError);
    }
    Ok(())
}
