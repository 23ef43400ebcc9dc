//! What every handler works with: the [`Exchange`] of one request (settings, store, clock
//! reading) and the few ways to read a body and write an answer.
//!
//! A leaf, so that the handlers of each area and the gate before them share these without
//! reaching into one another.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::emulator::store::Store;
use crate::getui::wire::{GenericResponse, Request, ResultOnly};
use crate::getui::{ResultCode, Secret};

/// The server-side settings handlers need.
pub(crate) struct Settings {
    pub app_id: String,
    pub app_key: String,
    pub master_secret: Secret,
    pub sign_window: chrono::Duration,
    pub token_ttl: chrono::Duration,
    pub max_push_ahead: chrono::Duration,
    pub max_body_bytes: usize,
    /// How long a push stays out of the reports after it left.
    pub report_lag: chrono::Duration,
    /// How a REST V2 push with a `request_id` already seen is answered.
    pub repeated_request: RepeatedRequest,
    /// Getui's limits on app and list pushes.
    pub limits: crate::getui::Limits,
    /// Whether the app has Getui's scheduled-push feature (REST V2 `schedule_time`).
    pub schedule_feature: bool,
}

/// How a REST V2 push whose `request_id` the store has seen is answered. Either way it
/// creates nothing; why there is a choice is the module doc of `emulator::v2::push`'s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RepeatedRequest {
    /// Code 0 and the id of the task the first push created: a guess, the default.
    #[default]
    Original,
    /// Code 0 and a fresh task id that names no task.
    UnknownId,
}

/// Everything one request may look at or change.
pub(crate) struct Exchange<'a> {
    pub settings: &'a Settings,
    pub store: &'a mut Store,
    pub now: DateTime<Utc>,
    pub base_url: &'a str,
}

impl Exchange<'_> {
    /// Whether a sign made at `timestamp_ms` lies within the sign window around the clock
    /// (the legacy `connect` and V2 `/auth` alike).
    pub(crate) fn signed_in_window(&self, timestamp_ms: i64) -> bool {
        DateTime::<Utc>::from_timestamp_millis(timestamp_ms)
            .is_some_and(|at| (self.now - at).abs() <= self.settings.sign_window)
    }

    /// A new token, valid for the configured time to live, and when it expires.
    pub(crate) fn issue_token(&mut self) -> (String, DateTime<Utc>) {
        let expires = self
            .now
            .checked_add_signed(self.settings.token_ttl)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        (self.store.issue_token(expires), expires)
    }

    /// Whether one more push of `kind` now stays within the app's limits.
    pub(crate) fn within_limits(
        &mut self,
        kind: crate::getui::PushKind,
    ) -> Result<(), crate::emulator::quota::Spent> {
        let (limits, now) = (self.settings.limits, self.now);
        self.store.ledger().check(kind, &limits, now)
    }

    /// Counts a push of `kind` made now.
    pub(crate) fn count_push(&mut self, kind: crate::getui::PushKind) {
        let now = self.now;
        self.store.ledger().record(kind, now);
    }

    /// The last instant a push may have left to show in a report read now.
    pub(crate) fn reports_count_until(&self) -> DateTime<Utc> {
        crate::emulator::reports::counted_until(self.now, self.settings.report_lag)
    }
}

/// An answer holding only the result code: the whole answer to most refusals.
pub(crate) fn result_only(result: ResultCode) -> Value {
    // Serializing a string enum cannot fail; `Null` only keeps this free of panics.
    serde_json::to_value(ResultOnly { result }).unwrap_or(Value::Null)
}

pub(crate) fn to_json(reply: impl Serialize) -> Value {
    serde_json::to_value(reply).unwrap_or_else(|_| result_only(ResultCode::OtherError))
}

/// `{"result":"ok"}` as the generic answer type writes it.
pub(crate) fn generic_ok() -> Value {
    to_json(GenericResponse {
        result: ResultCode::Ok,
        extra: Map::new(),
    })
}

/// Decodes `body` as the request of one action; a malformed body is the `Error` result.
pub(crate) fn decode<T: DeserializeOwned>(body: &Value) -> Result<Request<T>, ResultCode> {
    serde_json::from_value(body.clone()).map_err(|_| ResultCode::Error)
}

/// Refuses an app id that is not the app of the authenticated app key.
pub(crate) fn check_app_id(ex: &Exchange<'_>, app_id: &str) -> Result<(), ResultCode> {
    if app_id == ex.settings.app_id {
        Ok(())
    } else {
        Err(ResultCode::AppidNoMatchAppKey)
    }
}
