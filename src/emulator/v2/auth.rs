//! POST `/auth`, which trades the sha256 sign for a token, and DELETE `/auth/{token}`, which
//! gives one up (F.1).
//!
//! Tokens are the store's, shared with the legacy `connect`: one clock, one TTL
//! (`EmulatorConfig::token_ttl`), one sign window (`sign_window`). A wrong app key, a wrong
//! sign or a timestamp outside the window is answered 20001 "sign is invalid" (HTTP 400), as
//! Getui answered a wrong sign (`getui-protocol.md` F.7 [L]); that it answers a wrong app key
//! or a stale timestamp the same way is a guess (the sign covers both).

use serde_json::Value;

use super::gate::decode;
use super::{Call, Refusal, Request};
use crate::emulator::actions::exchange::{Exchange, to_json};
use crate::emulator::reply::Reply;
use crate::getui::Secret;
use crate::getui::v2::auth_sign;
use crate::getui::v2::codes::INVALID_SIGN_MSG;
use crate::getui::v2::wire::{AuthData, AuthRequest};
use crate::getui::v2::wire_extra::ExtraEndpoint;

pub(super) fn auth(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let auth: AuthRequest = decode(&request.body, "auth request")?;
    let expected = auth_sign(
        &ex.settings.app_key,
        auth.timestamp,
        &ex.settings.master_secret,
    );
    let fresh = ex.signed_in_window(auth.timestamp);
    let signed = auth.sign.expose().eq_ignore_ascii_case(&expected);
    if auth.appkey != ex.settings.app_key || !fresh || !signed {
        return Err(Refusal::invalid(INVALID_SIGN_MSG));
    }
    let (token, expires) = ex.issue_token();
    Ok(to_json(AuthData {
        expire_time: expires.timestamp_millis(),
        token: Secret::new(token),
    })
    .into())
}

/// Revokes the token the path names (the gate has checked the caller's own).
pub(super) fn close(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    if let Call::Extra(ExtraEndpoint::CloseAuth(token)) = &request.call {
        ex.store.revoke_token(token);
    }
    Ok(Value::Null.into())
}
