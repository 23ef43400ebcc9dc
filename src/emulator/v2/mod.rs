//! The emulator's REST API V2 (`getui-protocol.md` F): the same emulated app, store and clock
//! as the legacy protocol, under `/v2/{app_id}/…` on the same listener. A task created here is
//! a task of the one store, read and deleted through legacy `getScheduleTaskAction` as well,
//! and the other way round.
//!
//! | file | its job |
//! | --- | --- |
//! | `endpoint` | HTTP: the path, latency, faults, recording, the answer |
//! | `gate` | what a call must pass before its handler: app id, size, JSON, token; the envelope |
//! | `auth`, `push`, `tasks`, `reports`, `users` | the handlers, by area |
//! | `names` | each route's stable name, for fault specs and the request log |
//!
//! Requests are decoded and answers encoded with the client's own types
//! (`getui::v2::wire`, `wire_extra`), so no V2 name is spelled here. The choices Getui's
//! documents leave open are the handlers' (and `docs/emulator.md`'s); each
//! is marked "a guess" where it is made.

mod auth;
mod endpoint;
mod gate;
pub mod names;
mod push;
mod reports;
mod tasks;
mod users;
mod vendor;

use axum::http::StatusCode;
use serde_json::Value;

use super::actions::Access;
use super::actions::exchange::Exchange;
use crate::emulator::reply::Reply;
use crate::getui::v2::Code;
use crate::getui::v2::wire::{Endpoint, Method};
use crate::getui::v2::wire_extra::ExtraEndpoint;

pub(crate) use endpoint::serve;

/// The path the emulator serves V2 under (the prefix before `/{app_id}`), and another one,
/// which a `domain_error` fault (V2's `301`) sends clients to.
pub(crate) const PATH: &str = "/v2";
pub(crate) const ALTERNATE_PATH: &str = "/v2-alt";

/// A V2 call the emulator knows, with its path parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Call {
    Known(Endpoint),
    Extra(ExtraEndpoint),
}

impl Call {
    /// The call `method` and the decoded path segments after `{app_id}` name.
    fn parse(method: Method, segments: &[&str]) -> Option<Call> {
        Endpoint::parse(method, segments)
            .map(Call::Known)
            .or_else(|| ExtraEndpoint::parse(method, segments).map(Call::Extra))
    }
}

/// One V2 request, as a handler sees it.
#[derive(Clone)]
pub(crate) struct Request {
    pub call: Call,
    /// The URL path as the request log keeps it (a token in it blanked).
    pub path: String,
    pub app_id: String,
    /// `Null` for an empty body.
    pub body: Value,
    /// The body was not JSON.
    pub malformed: bool,
    pub body_len: usize,
    pub token: Option<String>,
}

/// Why a call was refused: the envelope's code and message. It goes out with the HTTP
/// status Getui documents for the code ([`Refusal::status`]), whatever route refuses.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub code: Code,
    pub msg: String,
}

impl Refusal {
    pub fn new(code: Code, msg: impl Into<String>) -> Refusal {
        Refusal {
            code,
            msg: msg.into(),
        }
    }

    /// V2's "a parameter is invalid, missing, of the wrong type or too long".
    pub fn invalid(msg: impl Into<String>) -> Refusal {
        Refusal::new(Code::InvalidParameter, msg)
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        status_of(self.code)
    }
}

/// The one rule for the HTTP status of an envelope: Getui's, from its code
/// ([`Code::http_status`]: 1xxxx 401, 2xxxx 400, 3xxxx 403, the rest 200). Faults follow it
/// too, so an injected refusal looks like a real one.
pub(crate) fn status_of(code: Code) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::OK)
}

/// A handler: the answer's `data` (`Null` for none), or a refusal.
pub(crate) type Handler = fn(&mut Exchange<'_>, &Request) -> Result<Reply, Refusal>;

/// A route: its stable name, what it needs before its handler runs, and the handler.
#[derive(Clone, Copy)]
pub(crate) struct Route {
    pub name: &'static str,
    pub access: Access,
    pub handle: Handler,
}

/// The route of a call: the one dispatch table of V2.
pub(crate) fn route(call: &Call) -> Route {
    use Access::{Open, Token};
    let (name, access, handle): (&'static str, Access, Handler) = match call {
        Call::Known(endpoint) => match endpoint {
            Endpoint::Auth => (names::AUTH, Open, auth::auth),
            Endpoint::PushAll => (names::PUSH_ALL, Token, push::push_all),
            Endpoint::PushTag => (names::PUSH_TAG, Token, push::push_tag),
            Endpoint::ListMessage => (names::PUSH_LIST_MESSAGE, Token, push::list_message),
            Endpoint::SingleCid => (names::PUSH_SINGLE_CID, Token, push::single_cid),
            Endpoint::SingleAlias => (names::PUSH_SINGLE_ALIAS, Token, push::single_alias),
            Endpoint::ListCid => (names::PUSH_LIST_CID, Token, push::list_cid),
            Endpoint::ListAlias => (names::PUSH_LIST_ALIAS, Token, push::list_alias),
            Endpoint::ScheduleTask(_) => (names::TASK_SCHEDULE_GET, Token, tasks::get_schedule),
            Endpoint::DeleteScheduleTask(_) => {
                (names::TASK_SCHEDULE_DELETE, Token, tasks::delete_schedule)
            }
            Endpoint::StopTask(_) => (names::TASK_DELETE, Token, tasks::stop),
            Endpoint::UserCount => (names::USER_COUNT, Token, users::count),
            Endpoint::BindAlias => (names::USER_ALIAS, Token, users::bind_alias),
            Endpoint::CidsOfAlias(_) => (names::USER_CID_ALIAS, Token, users::cids_of_alias),
            Endpoint::GroupReport(_) => (names::REPORT_TASK_GROUP, Token, reports::group),
            Endpoint::TaskReport(_) => (names::REPORT_TASK, Token, reports::tasks),
            Endpoint::TaskReportDetail(_) => (names::REPORT_TASK_DETAIL, Token, reports::detail),
            Endpoint::DateReport(_) => (names::REPORT_DATE, Token, reports::date),
        },
        Call::Extra(ExtraEndpoint::CloseAuth(_)) => (names::AUTH_DELETE, Token, auth::close),
    };
    Route {
        name,
        access,
        handle,
    }
}
