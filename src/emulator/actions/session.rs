//! The session: the bootstrap host list (A.5), `connect`, which trades the md5 sign for an
//! auth token, and `close`, which gives the token up (A.6).

use serde_json::Value;

use super::exchange::{Exchange, decode, result_only, to_json};
use crate::emulator::reply::Reply;
use crate::getui::wire::{self, ConnectResponse, HostListResponse};
use crate::getui::{ResultCode, Secret, connect_sign};

/// The business hosts: this emulator's one URL.
pub(super) fn bootstrap(ex: &mut Exchange<'_>, _body: &Value) -> Result<Reply, ResultCode> {
    Ok(to_json(HostListResponse {
        result: ResultCode::Ok,
        os_list: vec![ex.base_url.to_owned()],
    })
    .into())
}

/// A token for a fresh sign of the app key, the timestamp and the master secret. A body that
/// does not decode is a bad sign, as Getui answers it.
pub(super) fn connect(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::Connect>(body).map_err(|_| ResultCode::SignError)?;
    let expected = connect_sign(
        &ex.settings.app_key,
        request.body.time_stamp,
        &ex.settings.master_secret,
    );
    let fresh = ex.signed_in_window(request.body.time_stamp);
    if !fresh || !request.body.sign.eq_ignore_ascii_case(&expected) {
        return Err(ResultCode::SignError);
    }
    let (token, _) = ex.issue_token();
    Ok(to_json(ConnectResponse {
        result: ResultCode::Success,
        authtoken: Some(Secret::new(token)),
    })
    .into())
}

/// Revokes the token the request carries (the gate has already found it valid).
pub(super) fn close(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::Close>(body)?;
    let token = request.auth_token.unwrap_or_default();
    ex.store.revoke_token(token.expose());
    Ok(result_only(ResultCode::Ok).into())
}
