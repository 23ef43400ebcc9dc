//! The JSON bodies and paths of REST API V2 (`getui-protocol.md` F): one type per request
//! and answer, and one [`Endpoint`] table for every path gtcamp uses.
//!
//! Like the legacy [`crate::getui::wire`], this is the only file that spells V2's field names
//! and paths, and every type is `Serialize` and `Deserialize`: the client encodes requests and
//! decodes answers, the emulator decodes requests and encodes answers, with the same types.
//! V2 names are snake_case (the official Java SDK serializes with Gson's
//! `LOWER_CASE_WITH_UNDERSCORES`); the APNs part keeps Apple's kebab-case keys.
//!
//! Decoding is lenient where Getui is loose: numbers may come as strings (`expire_time` is a
//! string in the docs, `timestamp` a number in the Java SDK and a string in the docs), missing
//! keys default, unknown keys are ignored, answers whose shape the sources leave open (list
//! push details) are kept as JSON maps, and a report's figures decode whatever comes
//! ([`ReportCounters`]).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::getui::lenient;
use crate::getui::sign::Secret;
use crate::getui::v2::codes::Code;

/// The header that carries the auth token on every call but `/auth`.
pub const TOKEN_HEADER: &str = "token";

/// The request keys and headers that carry secrets (the `/auth` sign, the token), so a
/// recorder or logger can blank them without spelling wire names itself.
pub const SECRET_KEYS: [&str; 2] = ["sign", "token"];

/// The most cids or aliases one `/push/list/cid` or `/push/list/alias` call may carry.
pub const LIST_CHUNK: usize = 1000;

/// The longest `settings.ttl` V2 accepts: three days, in milliseconds.
pub const MAX_TTL_MS: i64 = 3 * 24 * 3600 * 1000;

/// `request_id` length bounds (F.2).
pub const REQUEST_ID_CHARS: std::ops::RangeInclusive<usize> = 10..=32;

/// The most task ids one GET `/report/push/task/{ids}` may name (F.4).
pub const MAX_REPORT_TASKS: usize = 200;

// ---------------------------------------------------------------------------------------
// Paths

/// An HTTP method V2 uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// Every V2 call gtcamp makes, with the path parameters it carries. Paths are relative to
/// `{prefix}/{app_id}`; [`Endpoint::segments`] writes them and [`Endpoint::parse`] reads them
/// back, from one table, so the client and the emulator cannot disagree on a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// POST `/auth` ([`AuthRequest`] → [`AuthData`]).
    Auth,
    /// POST `/push/all` ([`PushRequest`] → [`TaskIdData`]).
    PushAll,
    /// POST `/push/tag` ([`PushRequest`] → [`TaskIdData`]).
    PushTag,
    /// POST `/push/list/message` ([`PushRequest`] without audience → [`TaskIdData`]).
    ListMessage,
    /// POST `/push/single/cid` ([`PushRequest`] with one cid → [`ListPushData`]).
    SingleCid,
    /// POST `/push/single/alias` ([`PushRequest`] with one alias → [`ListPushData`]).
    SingleAlias,
    /// POST `/push/list/cid` ([`ListPushRequest`] → [`ListPushData`]).
    ListCid,
    /// POST `/push/list/alias` ([`ListPushRequest`] → [`ListPushData`]).
    ListAlias,
    /// GET `/task/schedule/{taskid}` (→ [`ScheduleTaskData`]).
    ScheduleTask(String),
    /// DELETE `/task/schedule/{taskid}`.
    DeleteScheduleTask(String),
    /// DELETE `/task/{taskid}`: stops a running task.
    StopTask(String),
    /// POST `/user/count` ([`UserCountRequest`] → [`UserCountData`]).
    UserCount,
    /// POST `/user/alias` ([`BindAliasRequest`]).
    BindAlias,
    /// GET `/user/cid/alias/{alias}` (→ [`CidsOfAliasData`]).
    CidsOfAlias(String),
    /// GET `/report/push/task_group/{group_name}` (→ [`GroupReportData`]).
    GroupReport(String),
    /// GET `/report/push/task/{taskid,…}`: at most [`MAX_REPORT_TASKS`] ids, comma-joined in
    /// one segment (→ [`TaskReportData`]).
    TaskReport(Vec<String>),
    /// GET `/report/push/task/{taskid}/detail`: one task's figures by channel, with the loss
    /// reasons (`d6`, `d10`, …) where the app has them enabled (→ [`TaskReportData`]).
    TaskReportDetail(String),
    /// GET `/report/push/date/{yyyy-MM-dd}`: the app's pushes of one day, by channel, under
    /// the date (→ [`DateReportData`]).
    DateReport(String),
}

impl Endpoint {
    pub fn method(&self) -> Method {
        match self {
            Endpoint::ScheduleTask(_)
            | Endpoint::CidsOfAlias(_)
            | Endpoint::GroupReport(_)
            | Endpoint::TaskReport(_)
            | Endpoint::TaskReportDetail(_)
            | Endpoint::DateReport(_) => Method::Get,
            Endpoint::DeleteScheduleTask(_) | Endpoint::StopTask(_) => Method::Delete,
            _ => Method::Post,
        }
    }

    /// The path segments after `{app_id}`, unencoded (the URL builder escapes them). Owned
    /// only where the path joins several values into one segment.
    pub fn segments(&self) -> Vec<Cow<'_, str>> {
        let fixed: Vec<&str> = match self {
            Endpoint::Auth => vec!["auth"],
            Endpoint::PushAll => vec!["push", "all"],
            Endpoint::PushTag => vec!["push", "tag"],
            Endpoint::ListMessage => vec!["push", "list", "message"],
            Endpoint::SingleCid => vec!["push", "single", "cid"],
            Endpoint::SingleAlias => vec!["push", "single", "alias"],
            Endpoint::ListCid => vec!["push", "list", "cid"],
            Endpoint::ListAlias => vec!["push", "list", "alias"],
            Endpoint::ScheduleTask(id) | Endpoint::DeleteScheduleTask(id) => {
                vec!["task", "schedule", id]
            }
            Endpoint::StopTask(id) => vec!["task", id],
            Endpoint::UserCount => vec!["user", "count"],
            Endpoint::BindAlias => vec!["user", "alias"],
            Endpoint::CidsOfAlias(alias) => vec!["user", "cid", "alias", alias],
            Endpoint::GroupReport(group) => vec!["report", "push", "task_group", group],
            Endpoint::TaskReportDetail(id) => vec!["report", "push", "task", id, "detail"],
            Endpoint::DateReport(date) => vec!["report", "push", "date", date],
            Endpoint::TaskReport(ids) => {
                let mut segments: Vec<Cow<'_, str>> = vec!["report", "push", "task"]
                    .into_iter()
                    .map(Cow::Borrowed)
                    .collect();
                segments.push(Cow::Owned(ids.join(",")));
                return segments;
            }
        };
        fixed.into_iter().map(Cow::Borrowed).collect()
    }

    /// The endpoint a request names: its method and decoded path segments after `{app_id}`.
    pub fn parse(method: Method, segments: &[&str]) -> Option<Endpoint> {
        let owned = |text: &str| text.to_owned();
        let endpoint = match (method, segments) {
            (Method::Post, ["auth"]) => Endpoint::Auth,
            (Method::Post, ["push", "all"]) => Endpoint::PushAll,
            (Method::Post, ["push", "tag"]) => Endpoint::PushTag,
            (Method::Post, ["push", "list", "message"]) => Endpoint::ListMessage,
            (Method::Post, ["push", "single", "cid"]) => Endpoint::SingleCid,
            (Method::Post, ["push", "single", "alias"]) => Endpoint::SingleAlias,
            (Method::Post, ["push", "list", "cid"]) => Endpoint::ListCid,
            (Method::Post, ["push", "list", "alias"]) => Endpoint::ListAlias,
            (Method::Get, ["task", "schedule", id]) => Endpoint::ScheduleTask(owned(id)),
            (Method::Delete, ["task", "schedule", id]) => Endpoint::DeleteScheduleTask(owned(id)),
            (Method::Delete, ["task", id]) => Endpoint::StopTask(owned(id)),
            (Method::Post, ["user", "count"]) => Endpoint::UserCount,
            (Method::Post, ["user", "alias"]) => Endpoint::BindAlias,
            (Method::Get, ["user", "cid", "alias", alias]) => Endpoint::CidsOfAlias(owned(alias)),
            (Method::Get, ["report", "push", "task_group", group]) => {
                Endpoint::GroupReport(owned(group))
            }
            (Method::Get, ["report", "push", "task", id, "detail"]) => {
                Endpoint::TaskReportDetail(owned(id))
            }
            (Method::Get, ["report", "push", "date", date]) => Endpoint::DateReport(owned(date)),
            (Method::Get, ["report", "push", "task", ids]) => Endpoint::TaskReport(
                ids.split(',')
                    .filter(|id| !id.is_empty())
                    .map(owned)
                    .collect(),
            ),
            _ => return None,
        };
        Some(endpoint)
    }

    /// A short name for messages: method and path pattern, no parameter values.
    pub fn name(&self) -> &'static str {
        match self {
            Endpoint::Auth => "POST /auth",
            Endpoint::PushAll => "POST /push/all",
            Endpoint::PushTag => "POST /push/tag",
            Endpoint::ListMessage => "POST /push/list/message",
            Endpoint::SingleCid => "POST /push/single/cid",
            Endpoint::SingleAlias => "POST /push/single/alias",
            Endpoint::ListCid => "POST /push/list/cid",
            Endpoint::ListAlias => "POST /push/list/alias",
            Endpoint::ScheduleTask(_) => "GET /task/schedule/{taskid}",
            Endpoint::DeleteScheduleTask(_) => "DELETE /task/schedule/{taskid}",
            Endpoint::StopTask(_) => "DELETE /task/{taskid}",
            Endpoint::UserCount => "POST /user/count",
            Endpoint::BindAlias => "POST /user/alias",
            Endpoint::CidsOfAlias(_) => "GET /user/cid/alias/{alias}",
            Endpoint::GroupReport(_) => "GET /report/push/task_group/{group_name}",
            Endpoint::TaskReport(_) => "GET /report/push/task/{taskid}",
            Endpoint::TaskReportDetail(_) => "GET /report/push/task/{taskid}/detail",
            Endpoint::DateReport(_) => "GET /report/push/date/{date}",
        }
    }
}

// ---------------------------------------------------------------------------------------
// Envelope and auth

/// The envelope of every answer: `code` 0 is success; `data` depends on the call.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Envelope<T = Value> {
    pub code: Code,
    #[serde(default, deserialize_with = "lenient::string")]
    pub msg: String,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> Envelope<T> {
    /// A success carrying `data`.
    pub fn ok(data: T) -> Envelope<T> {
        Envelope {
            code: Code::Success,
            msg: "success".to_owned(),
            data: Some(data),
        }
    }

    /// A refusal with `code` and a message.
    pub fn refused(code: Code, msg: impl Into<String>) -> Envelope<T> {
        Envelope {
            code,
            msg: msg.into(),
            data: None,
        }
    }
}

impl Envelope<Value> {
    /// The envelope as JSON, with `data` moved in: serializing it would copy the whole tree,
    /// and a report of 200 tasks is thousands of fields.
    pub fn into_value(self) -> Value {
        let mut map = Map::new();
        map.insert("code".to_owned(), Value::from(self.code.as_i64()));
        map.insert("msg".to_owned(), Value::String(self.msg));
        if let Some(data) = self.data {
            map.insert("data".to_owned(), data);
        }
        Value::Object(map)
    }
}

/// POST `/auth`: sign = lower-hex sha256(appkey + timestamp + master secret).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuthRequest {
    #[serde(default)]
    pub sign: Secret,
    /// Unix milliseconds; a number (Java SDK) or a string (docs).
    #[serde(default, deserialize_with = "lenient::i64")]
    pub timestamp: i64,
    #[serde(default, deserialize_with = "lenient::string")]
    pub appkey: String,
}

/// The `/auth` answer: the token and when it expires.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuthData {
    /// Unix milliseconds, written as a string (docs).
    #[serde(serialize_with = "as_text", deserialize_with = "lenient::i64", default)]
    pub expire_time: i64,
    #[serde(default)]
    pub token: Secret,
}

fn as_text<S: serde::Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string())
}

/// The `301` answer's `data`: the hosts to use instead.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HostListData {
    #[serde(default, deserialize_with = "lenient::entries")]
    pub host_list: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub domain_hash: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Pushes

/// The `PushDTO` of `/push/all`, `/push/tag` and `/push/list/message`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    #[serde(default, deserialize_with = "lenient::string")]
    pub request_id: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub task_name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_message: Option<PushMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_channel: Option<PushChannel>,
}

/// `settings`: delivery options.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Milliseconds kept for offline users; −1 = none; at most [`MAX_TTL_MS`].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub ttl: Option<i64>,
    /// Vendor channel strategy; kept as JSON, gtcamp does not set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Value>,
    /// Messages per second; 0 = unlimited.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub speed: Option<i64>,
    /// Unix milliseconds; within 7 days.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub schedule_time: Option<i64>,
}

/// `audience`: the string `"all"` (`/push/all`) or an object naming who gets the push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    /// `"all"`.
    All(String),
    Select(AudienceSelect),
}

impl Audience {
    /// The `"all"` audience of `/push/all`.
    pub fn all() -> Audience {
        Audience::All("all".to_owned())
    }

    /// Whether this is the `"all"` audience.
    pub fn is_all(&self) -> bool {
        matches!(self, Audience::All(text) if text == "all")
    }
}

/// The object form of `audience`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudienceSelect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cid: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<Vec<String>>,
    /// Conditions, ANDed across entries (F.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Vec<Condition>>,
}

/// One V2 condition (F.5): a key, values, and how the values combine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// `phone_type`, `region`, `custom_tag` (or `portrait`, unused by gtcamp).
    #[serde(default, deserialize_with = "lenient::string")]
    pub key: String,
    #[serde(default)]
    pub values: Vec<String>,
    /// `or`, `and` or `not`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub opt_type: String,
}

/// `push_message`: exactly one of `notification` and `transmission` (gtcamp sends no
/// `revoke`), plus network and display window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PushMessage {
    /// 0 = any network, 1 = Wi-Fi only.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub network_type: Option<i64>,
    /// `"<startMs>-<endMs>"`: when the notification may be shown.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<Notification>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub transmission: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke: Option<Value>,
}

impl PushMessage {
    /// The payload handed to the app: `transmission`, or a notification's `payload` when its
    /// click hands one over. This is what `/task/schedule/{id}` reports as
    /// `transmission_content`, and what gtcamp's drift check compares.
    pub fn transmission_content(&self) -> Option<&str> {
        if let Some(text) = &self.transmission {
            return Some(text);
        }
        self.notification
            .as_ref()
            .filter(|n| n.click_type == CLICK_PAYLOAD || n.click_type == CLICK_PAYLOAD_CUSTOM)
            .and_then(|n| n.payload.as_deref())
    }
}

/// `click_type` values (F.2).
pub const CLICK_STARTAPP: &str = "startapp";
pub const CLICK_URL: &str = "url";
pub const CLICK_PAYLOAD: &str = "payload";
pub const CLICK_PAYLOAD_CUSTOM: &str = "payload_custom";
pub const CLICK_INTENT: &str = "intent";
pub const CLICK_NONE: &str = "none";

/// `push_message.notification`: the notification the push channel shows on Android.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    #[serde(default, deserialize_with = "lenient::string")]
    pub title: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub body: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub big_text: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub big_image: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub logo: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub logo_url: Option<String>,
    /// 0–4; 3 (sound and vibration) is Getui's default.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub channel_level: Option<i64>,
    /// `startapp`, `url`, `payload`, `payload_custom`, `intent` or `none`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub click_type: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub intent: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub url: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub payload: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub notify_id: Option<i64>,
}

/// `push_channel`: vendor-specific parts. `android` ([`AndroidChannel`]) and `harmony`
/// ([`HarmonyChannel`]) are kept as JSON here, so that a body of any shape still reads
/// (the emulator reads what other clients send); gtcamp writes them from the typed forms.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PushChannel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ios: Option<Ios>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub android: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harmony: Option<Value>,
}

/// `push_channel.android`: the makers' channels (\[J\] `AndroidDTO`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AndroidChannel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ups: Option<Ups>,
}

/// `push_channel.android.ups` (\[J\] `Ups`): the notification the makers show, and per
/// vendor constraint (`HW`, `XM`…, `ALL`) a map of vendor key path to value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ups {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<ThirdNotification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transmission: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, BTreeMap<String, Value>>,
    /// A revoke of an earlier vendor notification; read, never written by gtcamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke: Option<Value>,
}

/// The constraints of `ups.options` (`getui-protocol.md` H; `ALL` when none is given).
pub const UPS_CONSTRAINTS: [&str; 10] = [
    "ALL", "HW", "HO", "XM", "XMG", "VV", "OP", "OPG", "MZ", "UPS",
];

/// The keys of `settings.strategy` (\[J\] `Strategy`, with `xmg` and `opg` of a .NET SDK).
pub const STRATEGY_KEYS: [&str; 14] = [
    "default", "ios", "hw", "xm", "mz", "op", "vv", "st", "hx", "hwq", "ho", "hoshw", "xmg", "opg",
];

/// The keys of `settings.strategy` that may take 6, smart quota (H).
pub const STRATEGY_SMART_QUOTA_KEYS: [&str; 3] = ["xm", "vv", "op"];

/// The settings of smart quota that sit among the strategy's keys (H): whole numbers.
pub const STRATEGY_SMART_QUOTA_SETTINGS: [&str; 2] = ["active_days", "need_backup"];

/// The key of `settings.strategy` every vendor without its own key follows.
pub const STRATEGY_DEFAULT: &str = "default";

/// `ups.notification` (\[J\] `ThirdNotification`; `notify_id` is text there).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThirdNotification {
    pub title: String,
    pub body: String,
    /// `startapp`, `url`, `intent`, `payload`, `payload_custom` or `none`.
    pub click_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// `push_channel.harmony` (\[J\] `HarmonyDTO`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HarmonyChannel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<HarmonyNotification>,
    /// The other three of \[J\]'s "one of four"; read, never written by gtcamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transmission: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke: Option<Value>,
}

/// `push_channel.harmony.notification` (\[J\] `HarmonyNotification`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HarmonyNotification {
    pub title: String,
    pub body: String,
    /// The HarmonyOS category: `MARKETING`, or a service category such as `EXPRESS`
    /// (gtcamp always writes one; \[J\] does not require it).
    #[serde(default)]
    pub category: String,
    pub click_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// `push_channel.ios`: what APNs delivers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ios {
    /// `notify` or `voip`.
    #[serde(
        rename = "type",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aps: Option<Aps>,
    /// `+1`, `-1` or a number: the badge, changed or set.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub auto_badge: Option<String>,
    /// Custom data for the app.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub payload: Option<String>,
}

/// `push_channel.ios.aps`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Aps {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<Alert>,
    /// 1 wakes the app in the background.
    #[serde(
        rename = "content-available",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub content_available: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub sound: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub category: Option<String>,
}

/// `aps.alert` (always the dictionary form in V2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub title: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub body: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub subtitle: Option<String>,
}

/// The `data` of a push that creates a task: `{"taskid": "…"}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TaskIdData {
    #[serde(default, deserialize_with = "lenient::string")]
    pub taskid: String,
}

/// POST `/push/list/cid` and `/push/list/alias`: send the saved list message `taskid`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListPushRequest {
    #[serde(default)]
    pub audience: AudienceSelect,
    #[serde(default, deserialize_with = "lenient::string")]
    pub taskid: String,
    #[serde(default, deserialize_with = "lenient::bool")]
    pub is_async: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub need_alias_detail: Option<bool>,
}

/// The `data` of a list push: `{ "<taskid>": { "<cid or alias>": "<status>" } }` (with
/// alias detail one more level, hence JSON values).
pub type ListPushData = BTreeMap<String, Map<String, Value>>;

/// The `data` of GET `/task/schedule/{taskid}`: the task under its id.
pub type ScheduleTaskData = BTreeMap<String, ScheduleTask>;

/// One scheduled task as V2 reports it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScheduleTask {
    /// Unix milliseconds, as a string.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub create_time: Option<String>,
    /// `do_not_send`, `send_success`, `send_failed`, `has_delete` (Java SDK vocabulary).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub send_result: Option<String>,
    /// The .NET SDK's name for the state; read when `send_result` is missing.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub status: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub transmission_content: Option<String>,
    /// When it fires: Unix milliseconds as a string (gtcamp's reading; the sources show no
    /// example). The client also reads `yyyyMMddHHmm` and `yyyy-MM-dd HH:mm:ss`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub push_time: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Reports

/// The key of a report's figures over every channel.
pub const REPORT_TOTAL: &str = "total";
/// The key of a report's figures for Getui's own connection.
pub const REPORT_GETUI: &str = "gt";
/// The key of a report's figures for APNs.
pub const REPORT_APNS: &str = "ios";

/// The key of a report's figures for a maker's channel: the maker's strategy key (`hw`,
/// `xm`, `op`, `vv`, `mz`; protocol notes H. `ho` is Honor's strategy key, its report key is
/// unconfirmed).
pub fn report_key(vendor: crate::getui::vendor::Vendor) -> &'static str {
    vendor.strategy_key()
}

/// One report's figures, by channel: [`REPORT_TOTAL`], [`REPORT_GETUI`], and the vendor
/// channels (`ios`, `hw`, `xm`, …) when Getui reports them.
pub type ChannelReports = BTreeMap<String, ReportCounters>;

/// The `data` of GET `/report/push/task/{ids}`: each task's [`ChannelReports`] under its id
/// (the official Java SDK's `Map<String, Map<String, StatisticDTO>>`). Only list and app
/// pushes have one. Reports lag behind the sends (about 30 minutes, per Getui), so zeros, or
/// a task left out, prove nothing about whether a push left.
pub type TaskReportData = BTreeMap<String, ChannelReports>;

/// The `data` of GET `/report/push/task_group/{group}`: the group's [`ChannelReports`],
/// summed over its pushes, under the group's name. Never a task id; it lags like any report.
pub type GroupReportData = BTreeMap<String, ChannelReports>;

/// The `data` of GET `/report/push/date/{date}`: the app's [`ChannelReports`] of that day
/// under the date (the Java SDK's `Map<String, Map<String, StatisticDTO>>`).
pub type DateReportData = BTreeMap<String, ChannelReports>;

// The loss reasons of a detail report, keys beside a channel's figures; `api` names them.
pub use crate::getui::api::{LOSS_NOTIFICATIONS_OFF, LOSS_OVER_QUOTA};

/// One channel's figures (the Java SDK's `StatisticDTO`): JSON numbers on the wire.
///
/// Decoding never fails: a count written as text is read, a count that is no count is
/// `None` (unknown, not zero), other keys are kept in `extra`, and a value that is not an
/// object at all (`actionCntMap` may sit beside the channels) decodes as no figures, so one
/// odd entry cannot cost a client the whole answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReportCounters {
    /// Messages that could be delivered (可下发数).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg_num: Option<u64>,
    /// Messages sent (下发数).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_num: Option<u64>,
    /// Messages that reached a device (到达数).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receive_num: Option<u64>,
    /// Notifications shown (展示数).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_num: Option<u64>,
    /// Notifications clicked (点击数).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub click_num: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for ReportCounters {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = lenient::counts_object(
            deserializer,
            [
                "msg_num",
                "target_num",
                "receive_num",
                "display_num",
                "click_num",
            ],
        )?;
        let [msg_num, target_num, receive_num, display_num, click_num] = read.named.map(|value| {
            value
                .as_ref()
                .and_then(|v| lenient::count_of(v).ok().flatten())
        });
        Ok(ReportCounters {
            msg_num,
            target_num,
            receive_num,
            display_num,
            click_num,
            extra: read.others,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Users

/// POST `/user/count`: how many users match the conditions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserCountRequest {
    #[serde(default)]
    pub tag: Vec<Condition>,
}

/// The `data` of `/user/count`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UserCountData {
    #[serde(default, deserialize_with = "lenient::i64")]
    pub user_count: i64,
}

/// POST `/user/alias`: bind cids to aliases (≤ 1000 pairs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BindAliasRequest {
    #[serde(default)]
    pub data_list: Vec<CidAlias>,
}

/// One cid–alias pair.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CidAlias {
    #[serde(default, deserialize_with = "lenient::string")]
    pub cid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub alias: String,
}

/// The `data` of GET `/user/cid/alias/{alias}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CidsOfAliasData {
    #[serde(default, deserialize_with = "lenient::entries")]
    pub cid: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_endpoint_parses_back_from_its_own_path() {
        let all = [
            Endpoint::Auth,
            Endpoint::PushAll,
            Endpoint::PushTag,
            Endpoint::ListMessage,
            Endpoint::SingleCid,
            Endpoint::SingleAlias,
            Endpoint::ListCid,
            Endpoint::ListAlias,
            Endpoint::ScheduleTask("RASA_1".into()),
            Endpoint::DeleteScheduleTask("RASA_1".into()),
            Endpoint::StopTask("RASA_1".into()),
            Endpoint::UserCount,
            Endpoint::BindAlias,
            Endpoint::CidsOfAlias("王 五".into()),
            Endpoint::GroupReport("g-1".into()),
            Endpoint::TaskReport(vec!["RASA_1".into(), "RASL_2".into()]),
        ];
        for endpoint in all {
            let owned = endpoint.segments();
            let segments: Vec<&str> = owned.iter().map(AsRef::as_ref).collect();
            assert_eq!(
                Endpoint::parse(endpoint.method(), &segments),
                Some(endpoint.clone()),
                "{}",
                endpoint.name()
            );
        }
        assert_eq!(Endpoint::parse(Method::Get, &["push", "all"]), None);
    }

    #[test]
    fn a_task_report_names_its_ids_comma_joined_in_one_segment() {
        let endpoint = Endpoint::TaskReport(vec!["RASA_1".into(), "RASL_2".into()]);
        assert_eq!(
            endpoint.segments(),
            ["report", "push", "task", "RASA_1,RASL_2"]
        );
        assert_eq!(
            Endpoint::parse(Method::Get, &["report", "push", "task", "a,,b,"]),
            Some(Endpoint::TaskReport(vec!["a".into(), "b".into()]))
        );
        assert_eq!(endpoint.name(), "GET /report/push/task/{taskid}");
    }

    #[test]
    fn a_report_keeps_its_channels_and_survives_odd_values() {
        let data: TaskReportData = serde_json::from_value(json!({
            "RASA_1": {
                "total": {"msg_num": 5, "target_num": "5", "receive_num": 2, "display_num": 2,
                          "click_num": 0, "ring_num": 1},
                "gt": {"msg_num": "many", "target_num": 5},
                "actionCntMap": null,
                "hw": [1, 2]
            }
        }))
        .unwrap();
        let task = &data["RASA_1"];
        let total = &task[REPORT_TOTAL];
        assert_eq!(
            (total.msg_num, total.target_num, total.receive_num),
            (Some(5), Some(5), Some(2))
        );
        assert_eq!(total.extra.get("ring_num"), Some(&json!(1)));
        assert_eq!(task[REPORT_GETUI].msg_num, None, "a count that is no count");
        assert_eq!(task[REPORT_GETUI].target_num, Some(5));
        assert_eq!(task["actionCntMap"], ReportCounters::default());
        let written = serde_json::to_value(ReportCounters {
            msg_num: Some(3),
            target_num: Some(3),
            receive_num: Some(1),
            display_num: Some(1),
            click_num: Some(0),
            extra: Map::new(),
        })
        .unwrap();
        assert_eq!(
            written,
            json!({"msg_num": 3, "target_num": 3, "receive_num": 1, "display_num": 1,
                   "click_num": 0})
        );
        let back: ReportCounters = serde_json::from_value(written).unwrap();
        assert_eq!(back.click_num, Some(0), "what is written reads back");
    }

    #[test]
    fn loose_answers_decode() {
        let auth: Envelope<AuthData> = serde_json::from_value(json!({
            "code": 0, "msg": "success",
            "data": {"expire_time": "1700000000000", "token": "t"}
        }))
        .unwrap();
        assert_eq!(auth.data.unwrap().expire_time, 1_700_000_000_000);
        let request: AuthRequest =
            serde_json::from_value(json!({"sign": "s", "timestamp": "17", "appkey": "k"})).unwrap();
        assert_eq!(request.timestamp, 17);
        let refused: Envelope<TaskIdData> =
            serde_json::from_value(json!({"code": 10001, "msg": "token expired"})).unwrap();
        assert_eq!(refused.code, Code::TokenInvalid);
        assert!(refused.data.is_none());
    }

    #[test]
    fn audience_is_a_string_or_an_object() {
        let all: Audience = serde_json::from_value(json!("all")).unwrap();
        assert!(all.is_all());
        let select: Audience = serde_json::from_value(json!({"cid": ["a"]})).unwrap();
        assert_eq!(
            select,
            Audience::Select(AudienceSelect {
                cid: Some(vec!["a".into()]),
                ..AudienceSelect::default()
            })
        );
        assert_eq!(serde_json::to_value(Audience::all()).unwrap(), json!("all"));
    }

    #[test]
    fn a_notification_payload_is_the_transmission_content_only_when_clicked_through() {
        let mut message = PushMessage {
            notification: Some(Notification {
                click_type: CLICK_PAYLOAD.into(),
                payload: Some("p".into()),
                ..Notification::default()
            }),
            ..PushMessage::default()
        };
        assert_eq!(message.transmission_content(), Some("p"));
        if let Some(n) = message.notification.as_mut() {
            n.click_type = CLICK_STARTAPP.into();
        }
        assert_eq!(message.transmission_content(), None);
        message.transmission = Some("t".into());
        assert_eq!(message.transmission_content(), Some("t"));
    }
}
