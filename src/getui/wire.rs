//! The JSON bodies of the legacy protocol: one struct per action request and response.
//!
//! This is the only file that spells Getui's JSON field names. Every type is both `Serialize`
//! and `Deserialize`: the client encodes requests and decodes responses, the emulator decodes
//! requests and encodes responses, with the same types, so the two cannot drift apart.
//!
//! Decoding is lenient where real clients differ (`getui-protocol.md` A.8, D.11): booleans may
//! come as `"true"`, numbers as strings (the deserializers of [`super::lenient`]), optional
//! keys may be missing and unknown keys are ignored. `pushTime` is kept as raw JSON because a
//! faithful server must reject the integer the official SDK's `setSpeed` bug produces, and it
//! can only do so if the bad form survives decoding. Responses whose keys the reference leaves
//! open (G.1, G.5) keep every key they carry in an `extra` map or are plain maps.
//!
//! A request is a [`Request`] envelope (`action`, `appkey`, `version`, `authToken`) around an
//! action body; each body names its action and response type through [`Action`].

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::getui::codes::{CidPnCode, ResultCode};
use crate::getui::lenient;
use crate::getui::sign::Secret;

/// An action body: its wire name and the response it gets.
pub trait Action: Serialize + DeserializeOwned {
    /// The `action` string (also sent as the `Gt-Action` header).
    const NAME: &'static str;
    /// The decoded response body.
    type Response: Serialize + DeserializeOwned;
}

/// The envelope every request shares. Business requests carry `version` and `authToken`
/// (empty before the first `connect`); the bootstrap request carries neither.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Request<T> {
    pub action: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub appkey: String,
    #[serde(flatten)]
    pub body: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(rename = "authToken", default, skip_serializing_if = "Option::is_none")]
    pub auth_token: Option<Secret>,
}

impl<T: Action> Request<T> {
    /// A business request for `body` with the given token (empty before `connect`).
    pub fn new(appkey: &str, body: T, version: &str, auth_token: Secret) -> Request<T> {
        Request {
            action: T::NAME.to_owned(),
            appkey: appkey.to_owned(),
            body,
            version: Some(version.to_owned()),
            auth_token: Some(auth_token),
        }
    }
}

/// The `result` field alone, for peeking at any response before decoding it fully.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResultOnly {
    pub result: ResultCode,
}

/// A refusal with a sentence saying why, e.g. a body over the size limit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DescribedResponse {
    pub result: ResultCode,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub desc: Option<String>,
}

/// The request keys that carry secrets (the auth token, in both spellings, and the `connect`
/// sign), so a recorder or logger can blank them without spelling wire names itself.
pub const SECRET_KEYS: [&str; 3] = ["authToken", "authtoken", "sign"];

/// The envelope's `action` alone, for routing a request before decoding its body.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ActionOnly {
    #[serde(default)]
    pub action: String,
}

// ---------------------------------------------------------------------------------------
// Bootstrap, connect, close (A.5, A.6)

/// `getOSPushDomailUrlListAction` (sic): asks a bootstrap host for the business hosts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Bootstrap {}

impl Action for Bootstrap {
    const NAME: &'static str = "getOSPushDomailUrlListAction";
    type Response = HostListResponse;
}

/// A host list: the bootstrap answer, and the `domain_error` answer to any request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HostListResponse {
    pub result: ResultCode,
    #[serde(rename = "osList", default, skip_serializing_if = "Vec::is_empty")]
    pub os_list: Vec<String>,
}

/// `connect`: trades the md5 sign for an auth token.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Connect {
    /// Unix time in milliseconds, a JSON number.
    #[serde(rename = "timeStamp", deserialize_with = "lenient::i64", default)]
    pub time_stamp: i64,
    #[serde(default)]
    pub sign: String,
}

impl Action for Connect {
    const NAME: &'static str = "connect";
    type Response = ConnectResponse;
}

/// The `connect` answer: `success` and the token under lower-case `authtoken`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConnectResponse {
    pub result: ResultCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authtoken: Option<Secret>,
}

/// `close`: ends the session (the answer is ignored).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Close {}

impl Action for Close {
    const NAME: &'static str = "close";
    type Response = GenericResponse;
}

/// A response whose only known key is `result`; every other key is kept.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GenericResponse {
    pub result: ResultCode,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------
// Pushes (B.2–B.4, B.6–B.8)

/// One condition of an app push or a user count (section C).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// `phoneType`, `region` or `tag`.
    pub key: String,
    #[serde(default)]
    pub values: Vec<String>,
    /// 0 = or, 1 = and, 2 = not.
    #[serde(rename = "optType", default, deserialize_with = "lenient::i64")]
    pub opt_type: i64,
}

/// `getContentIdAction`: stores a message body; returns the id a later push uses.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GetContentId {
    #[serde(
        rename = "taskGroupName",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub task_group_name: Option<String>,
    #[serde(rename = "clientData", default)]
    pub client_data: String,
    #[serde(
        rename = "transmissionContent",
        default,
        deserialize_with = "lenient::string"
    )]
    pub transmission_content: String,
    #[serde(rename = "isOffline", default, deserialize_with = "lenient::bool")]
    pub is_offline: bool,
    #[serde(
        rename = "offlineExpireTime",
        default,
        deserialize_with = "lenient::i64"
    )]
    pub offline_expire_time: i64,
    #[serde(rename = "pushNetWorkType", default, deserialize_with = "lenient::i64")]
    pub push_network_type: i64,
    #[serde(
        rename = "pushType",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub push_type: Option<String>,
    #[serde(
        rename = "type",
        default = "push_type_two",
        deserialize_with = "lenient::i64"
    )]
    pub kind: i64,
    /// 1 = list message, 2 = app message.
    #[serde(rename = "contentType", default, deserialize_with = "lenient::i64")]
    pub content_type: i64,
    #[serde(rename = "appIdList", default, skip_serializing_if = "Option::is_none")]
    pub app_id_list: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<Condition>>,
    #[serde(
        rename = "phoneTypeList",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub phone_type_list: Option<Vec<String>>,
    #[serde(
        rename = "provinceList",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub province_list: Option<Vec<String>>,
    #[serde(rename = "tagList", default, skip_serializing_if = "Option::is_none")]
    pub tag_list: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub speed: Option<i64>,
    /// `yyyyMMddHHmm` as a JSON string when well-formed; kept raw so a bad form survives.
    #[serde(rename = "pushTime", default, skip_serializing_if = "Option::is_none")]
    pub push_time: Option<Value>,
}

fn push_type_two() -> i64 {
    2
}

impl GetContentId {
    /// `pushTime` when it is a string of exactly 12 digits, as the protocol requires.
    pub fn push_time_text(&self) -> Option<&str> {
        match &self.push_time {
            Some(Value::String(text))
                if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(text)
            }
            _ => None,
        }
    }
}

impl Action for GetContentId {
    const NAME: &'static str = "getContentIdAction";
    type Response = ContentIdResponse;
}

/// An answer carrying a task id (`contentId`), with the SMS submit result when SMS was asked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContentIdResponse {
    pub result: ResultCode,
    #[serde(
        rename = "contentId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub content_id: Option<String>,
    #[serde(
        rename = "smsResult",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub sms_result: Option<String>,
    #[serde(
        rename = "smsResultMsg",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub sms_result_msg: Option<String>,
}

/// `pushMessageToAppAction`: starts (or schedules) the app push stored under `contentId`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PushToApp {
    #[serde(rename = "contentId", default, deserialize_with = "lenient::string")]
    pub content_id: String,
    #[serde(
        rename = "type",
        default = "push_type_two",
        deserialize_with = "lenient::i64"
    )]
    pub kind: i64,
}

impl Action for PushToApp {
    const NAME: &'static str = "pushMessageToAppAction";
    type Response = ContentIdResponse;
}

/// `pushMessageToListAction`: sends the list message `contentId` to cids or aliases (gzipped).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PushToList {
    #[serde(rename = "contentId", default, deserialize_with = "lenient::string")]
    pub content_id: String,
    #[serde(rename = "needDetails", default, deserialize_with = "lenient::bool")]
    pub need_details: bool,
    #[serde(rename = "async", default, deserialize_with = "lenient::bool")]
    pub is_async: bool,
    #[serde(
        rename = "needAliasDetails",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub need_alias_details: Option<bool>,
    #[serde(
        rename = "appId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub app_id: Option<String>,
    /// Always sent, empty or not, as the SDK sends it (issue 12's body audit).
    #[serde(rename = "clientIdList", default)]
    pub client_id_list: Vec<String>,
    /// Always sent, empty or not, as the SDK sends it.
    #[serde(rename = "aliasList", default)]
    pub alias_list: Vec<String>,
    #[serde(
        rename = "type",
        default = "push_type_two",
        deserialize_with = "lenient::i64"
    )]
    pub kind: i64,
}

impl Action for PushToList {
    const NAME: &'static str = "pushMessageToListAction";
    type Response = PushToListResponse;
}

/// The list push answer; `details` (per-target status) has no documented shape, so it is raw.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushToListResponse {
    pub result: ResultCode,
    #[serde(
        rename = "contentId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub content_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
}

/// `pushMessageToSingleAction` (B.5): sends a message to one device, a cid or an alias, at
/// once. The message travels whole in the request, as `getContentIdAction` saves it; there
/// is no saved content and no task group. `requestId` names the request, so that a resend
/// after a lost answer is Getui's to drop (A.8).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PushToSingle {
    #[serde(rename = "requestId", default, deserialize_with = "lenient::string")]
    pub request_id: String,
    #[serde(rename = "clientData", default, deserialize_with = "lenient::string")]
    pub client_data: String,
    #[serde(
        rename = "transmissionContent",
        default,
        deserialize_with = "lenient::string"
    )]
    pub transmission_content: String,
    #[serde(rename = "isOffline", default, deserialize_with = "lenient::bool")]
    pub is_offline: bool,
    #[serde(
        rename = "offlineExpireTime",
        default,
        deserialize_with = "lenient::i64"
    )]
    pub offline_expire_time: i64,
    #[serde(rename = "pushNetWorkType", default, deserialize_with = "lenient::i64")]
    pub push_network_type: i64,
    #[serde(
        rename = "pushType",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub push_type: Option<String>,
    #[serde(
        rename = "type",
        default = "push_type_two",
        deserialize_with = "lenient::i64"
    )]
    pub kind: i64,
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    /// The cid, or `""` when the push names an alias.
    #[serde(rename = "clientId", default, deserialize_with = "lenient::string")]
    pub client_id: String,
    /// The alias, or `""` when the push names a cid: always sent, as the SDK sends it.
    #[serde(default, deserialize_with = "lenient::string")]
    pub alias: String,
}

impl Action for PushToSingle {
    const NAME: &'static str = "pushMessageToSingleAction";
    type Response = PushToSingleResponse;
}

/// The answer to a single push: `ok`, the task id (`OSS-…`) and the device's delivery
/// status (`successed_online`, `successed_offline`, `successed_ignore`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushToSingleResponse {
    pub result: ResultCode,
    #[serde(
        rename = "taskId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub task_id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub status: Option<String>,
}

/// `getScheduleTaskAction`: reads a scheduled app push.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GetScheduleTask {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    #[serde(rename = "taskId", default, deserialize_with = "lenient::string")]
    pub task_id: String,
}

impl Action for GetScheduleTask {
    const NAME: &'static str = "getScheduleTaskAction";
    type Response = ScheduleTaskResponse;
}

/// A scheduled task as the server reports it. The legacy shape is undocumented (G.1), so
/// every key is optional, numbers and strings are both accepted, and other keys are kept.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScheduleTaskResponse {
    pub result: ResultCode,
    #[serde(
        rename = "taskId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub task_id: Option<String>,
    #[serde(
        rename = "pushContent",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub push_content: Option<String>,
    /// `yyyyMMddHHmm` (Asia/Shanghai).
    #[serde(
        rename = "pushTime",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub push_time: Option<String>,
    /// Creation time, Unix milliseconds (spelled `creat` on the wire).
    #[serde(
        rename = "creatTime",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub creat_time: Option<String>,
    /// `do_not_send`, `send_success`, `send_failed`, `has_delete`, or another string.
    #[serde(
        rename = "sendResult",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub send_result: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `delScheduleTaskAction`: deletes a scheduled task that has not fired.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DelScheduleTask {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    #[serde(rename = "taskId", default, deserialize_with = "lenient::string")]
    pub task_id: String,
}

impl Action for DelScheduleTask {
    const NAME: &'static str = "delScheduleTaskAction";
    type Response = GenericResponse;
}

/// `stopTaskAction`: stops a running list or app push; the id goes in `contentId`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StopTask {
    #[serde(rename = "contentId", default, deserialize_with = "lenient::string")]
    pub content_id: String,
}

impl Action for StopTask {
    const NAME: &'static str = "stopTaskAction";
    type Response = GenericResponse;
}

/// `cancleContentIdAction` (sic): releases saved content that was never pushed (B.9).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CancelContentId {
    #[serde(rename = "contentId", default, deserialize_with = "lenient::string")]
    pub content_id: String,
}

impl Action for CancelContentId {
    const NAME: &'static str = "cancleContentIdAction";
    type Response = GenericResponse;
}

// ---------------------------------------------------------------------------------------
// SMS fallback bindings (B.10)

/// `bind_cid_pn`: binds cids to md5-hashed phone numbers, at most 50 pairs a call.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BindCidPn {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    /// cid → md5(phone number).
    #[serde(default)]
    pub cidpnlist: BTreeMap<String, String>,
}

impl Action for BindCidPn {
    const NAME: &'static str = "bind_cid_pn";
    type Response = CidPnResponse;
}

/// `unbind_cid_pn`: removes the phone bindings of cids, at most 50 a call.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UnbindCidPn {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    #[serde(default)]
    pub cids: Vec<String>,
}

impl Action for UnbindCidPn {
    const NAME: &'static str = "unbind_cid_pn";
    type Response = CidPnResponse;
}

/// `query_cid_pn`: reads the phone bindings of cids, at most 50 a call.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct QueryCidPn {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    #[serde(default)]
    pub cids: Vec<String>,
}

impl Action for QueryCidPn {
    const NAME: &'static str = "query_cid_pn";
    type Response = CidPnResponse;
}

/// `stop_sms`: stops the SMS fallback of a task. Its answer is undocumented (B.10); gtcamp
/// never sends it, and its emulator answers `ok` to an SDK that does.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StopSms {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    #[serde(rename = "taskId", default, deserialize_with = "lenient::string")]
    pub task_id: String,
}

impl Action for StopSms {
    const NAME: &'static str = "stop_sms";
    type Response = GenericResponse;
}

/// The answer of the cid–pn actions: an overall code and one entry per cid.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CidPnResponse {
    /// An E.2 code as a numeric string, or an E.1 code such as `sign_error`.
    pub result: ResultCode,
    #[serde(rename = "batchRet", default)]
    pub batch_ret: Vec<CidPnEntry>,
}

/// One cid's outcome. The key of the pn in a query answer is undocumented (B.10): gtcamp
/// reads and writes `pn`, and keeps every other key in `extra` in case a server differs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CidPnEntry {
    pub code: CidPnCode,
    #[serde(default, deserialize_with = "lenient::string")]
    pub cid: String,
    /// md5 of the bound phone number (query answers only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub pn: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------
// Reports and counts (B.13, B.14)

/// `getPushResultByGroupName`: the statistics of the pushes created with a task group name.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GetPushResultByGroupName {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    #[serde(rename = "groupName", default, deserialize_with = "lenient::string")]
    pub group_name: String,
}

impl Action for GetPushResultByGroupName {
    const NAME: &'static str = "getPushResultByGroupName";
    type Response = GroupResultResponse;
}

/// The group report asked for its `result` alone, whatever else the answer holds: signing in
/// asks it about a group no push is made in, only to learn whether Getui takes the app id
/// (`AppidNoMatchAppKey` when the app id is not the app key's). `connect` names no app id.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AppIdCheck(pub GetPushResultByGroupName);

impl Action for AppIdCheck {
    const NAME: &'static str = GetPushResultByGroupName::NAME;
    type Response = ResultOnly;
}

/// The group report: counters summed over the group's pushes, never a task id (B.14). Its
/// keys are undocumented; these are the ones third-party clients read. Like every report it
/// lags behind the sends, so a zero proves nothing. Counts are written as text, as Getui's
/// report examples write them, and read either way; other keys are kept.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupResultResponse {
    pub result: ResultCode,
    #[serde(
        rename = "groupName",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub group_name: Option<String>,
    /// Messages that could be delivered.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub msg_total: Option<u64>,
    /// Receipts: messages that reached a device.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub msg_process: Option<u64>,
    /// Targeted devices that were online.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub online_num: Option<u64>,
    /// Notifications shown.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub show_num: Option<u64>,
    /// Notifications clicked.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub click_num: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A count written as text (`"12"`), as Getui's legacy report examples write them.
fn opt_count_as_text<S: serde::Serializer>(
    count: &Option<u64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match count {
        Some(count) => serializer.serialize_str(&count.to_string()),
        None => serializer.serialize_none(),
    }
}

/// `getPushMsgResultByTaskidList`: the statistics of each of some list and app pushes (B.14).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GetPushMsgResultByTaskidList {
    #[serde(rename = "taskIdList", default)]
    pub task_id_list: Vec<String>,
    /// Custom event ids to count as well; the official SDK sends `null` when none.
    #[serde(rename = "actionIdList", default)]
    pub action_id_list: Option<Vec<String>>,
}

impl Action for GetPushMsgResultByTaskidList {
    const NAME: &'static str = "getPushMsgResultByTaskidList";
    type Response = TaskResultsResponse;
}

/// The per-task report: one entry per task the server has statistics for. It lags behind
/// the sends (about 30 minutes, per Getui), so counters of zero, or a task missing from the
/// list, prove nothing about whether a push left.
///
/// Other keys of the answer are not kept: a `flatten`ed map would make serde buffer the
/// whole answer, thousands of counters, before reading it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskResultsResponse {
    pub result: ResultCode,
    /// Entries that are not objects, or whose keys have the wrong types, are skipped.
    #[serde(
        rename = "resultList",
        default,
        deserialize_with = "lenient::entries_from_text"
    )]
    pub result_list: Vec<TaskResultEntry>,
}

/// One task's statistics, by delivery channel: Getui's own connection (`GT`) and APNs
/// (`APN`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TaskResultEntry {
    #[serde(rename = "taskId")]
    pub task_id: String,
    #[serde(rename = "GT")]
    pub gt: ChannelCounters,
    #[serde(rename = "APN")]
    pub apn: ChannelCounters,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Read key by key, as `ChannelCounters` are (see there): a missing `GT` or `APN` is zeros
/// unknown, a `taskId` may be a number.
impl<'de> Deserialize<'de> for TaskResultEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TaskResultEntryVisitor)
    }
}

struct TaskResultEntryVisitor;

impl<'de> serde::de::Visitor<'de> for TaskResultEntryVisitor {
    type Value = TaskResultEntry;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a task's statistics")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<TaskResultEntry, A::Error> {
        let mut entry = TaskResultEntry::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "taskId" => {
                    let id: lenient::Text = map.next_value()?;
                    entry.task_id = id.0;
                }
                "GT" => entry.gt = map.next_value()?,
                "APN" => entry.apn = map.next_value()?,
                _ => {
                    entry.extra.insert(key, map.next_value()?);
                }
            }
        }
        Ok(entry)
    }
}

/// What one channel did with a task's messages. Counts are written as text, as in Getui's
/// examples, and read either way; other keys (`result`, vendor figures) are kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChannelCounters {
    /// Messages sent.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text"
    )]
    pub sent: Option<u64>,
    /// Receipts: messages that reached a device.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text"
    )]
    pub feedback: Option<u64>,
    /// Notifications shown.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text"
    )]
    pub displayed: Option<u64>,
    /// Notifications clicked.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text"
    )]
    pub clicked: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Read from the answer's text key by key (see [`lenient::counts_object`]); a value that is
/// not an object, or a count that is no count, fails the entry, which the list then drops.
impl<'de> Deserialize<'de> for ChannelCounters {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let read =
            lenient::counts_object(deserializer, ["sent", "feedback", "displayed", "clicked"])?;
        if !read.was_object {
            return Err(D::Error::custom("expected an object of counts"));
        }
        let [sent, feedback, displayed, clicked] = read.named.map(|value| {
            value
                .as_ref()
                .map_or(Ok(None), lenient::count_of)
                .map_err(|lenient::NotACount| D::Error::custom("expected a count"))
        });
        Ok(ChannelCounters {
            sent: sent?,
            feedback: feedback?,
            displayed: displayed?,
            clicked: clicked?,
            extra: read.others,
        })
    }
}

/// `queryAppPushData`: the app's push figures of one day (B.15).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct QueryAppPushData {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    /// The day, `yyyyMMdd` in Beijing time; it must be in the past.
    #[serde(default, deserialize_with = "lenient::string")]
    pub date: String,
}

impl Action for QueryAppPushData {
    const NAME: &'static str = "queryAppPushData";
    type Response = AppPushDataResponse;
}

/// The day's figures under `data` (B.15). Like every report they lag behind the sends.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AppPushDataResponse {
    pub result: ResultCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<AppPushData>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One day's push figures of an app. The sources name the keys but show no example: counts
/// are written as text, as Getui's other legacy report examples write them, and read
/// either way; other keys are kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppPushData {
    #[serde(
        rename = "appId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub app_id: Option<String>,
    /// `yyyyMMdd`, as asked.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub date: Option<String>,
    /// Messages sent.
    #[serde(
        rename = "sendCount",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub send_count: Option<u64>,
    /// Messages sent to devices online.
    #[serde(
        rename = "sendOnlineCount",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub send_online_count: Option<u64>,
    /// Messages that reached a device.
    #[serde(
        rename = "receiveCount",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub receive_count: Option<u64>,
    /// Notifications shown.
    #[serde(
        rename = "showCount",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub show_count: Option<u64>,
    /// Notifications clicked.
    #[serde(
        rename = "clickCount",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_count_as_text",
        deserialize_with = "lenient::opt_count"
    )]
    pub click_count: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `queryUserCount`: how many users match the conditions.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct QueryUserCount {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

impl Action for QueryUserCount {
    const NAME: &'static str = "queryUserCount";
    type Response = UserCountResponse;
}

/// The user count answer. The key of the count is undocumented (B.13): gtcamp writes `count`
/// and reads the spellings seen in the wild as well.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UserCountResponse {
    pub result: ResultCode,
    #[serde(
        alias = "userCount",
        alias = "user_count",
        alias = "cnt",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub count: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------
// Tags (B.12)

/// `setTagAction`: replaces the tags of one cid.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SetTag {
    #[serde(rename = "appId", default, deserialize_with = "lenient::string")]
    pub app_id: String,
    #[serde(rename = "clientId", default, deserialize_with = "lenient::string")]
    pub client_id: String,
    #[serde(rename = "tagList", default)]
    pub tag_list: Vec<String>,
}

impl Action for SetTag {
    const NAME: &'static str = "setTagAction";
    type Response = GenericResponse;
}

// ---------------------------------------------------------------------------------------
// Aliases (B.11): lower-case `appid`

/// `alias_bind`: gives a cid an alias.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AliasBind {
    #[serde(default, deserialize_with = "lenient::string")]
    pub appid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub alias: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub cid: String,
}

impl Action for AliasBind {
    const NAME: &'static str = "alias_bind";
    type Response = AliasResponse;
}

/// `alias_query`: the cids of an alias (with `alias`) or the alias of a cid (with `cid`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AliasQuery {
    #[serde(default, deserialize_with = "lenient::string")]
    pub appid: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub alias: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub cid: Option<String>,
}

impl Action for AliasQuery {
    const NAME: &'static str = "alias_query";
    type Response = AliasResponse;
}

/// `alias_unbind`: unbinds one cid from an alias, or every cid when `cid` is absent.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AliasUnbind {
    #[serde(default, deserialize_with = "lenient::string")]
    pub appid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub alias: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub cid: Option<String>,
}

impl Action for AliasUnbind {
    const NAME: &'static str = "alias_unbind";
    type Response = AliasResponse;
}

/// The alias answer: success is `ok` (older) or `true` (newer), errors in `error_code`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AliasResponse {
    pub result: ResultCode,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub error_code: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub error_msg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidlist: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub alias: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_content_id_decodes_the_sdk_body_with_string_flags() {
        let body = json!({
            "taskGroupName": "campaign-1", "action": "getContentIdAction", "appkey": "APPKEY",
            "clientData": "CgAS", "transmissionContent": "hi", "isOffline": "true",
            "offlineExpireTime": "43200000", "pushNetWorkType": 0, "pushType": "TransmissionMsg",
            "type": 2, "conditions": [{"key": "phoneType", "values": ["ANDROID"]}],
            "speed": 0, "contentType": 2, "appIdList": ["APPID"], "pushTime": "201809051950",
            "version": "4.1.1.2", "authToken": "", "somethingNew": 1
        });
        let request: Request<GetContentId> = serde_json::from_value(body).unwrap();
        assert_eq!(request.action, "getContentIdAction");
        assert!(request.body.is_offline);
        assert_eq!(request.body.offline_expire_time, 43_200_000);
        assert_eq!(request.body.push_time_text(), Some("201809051950"));
        assert_eq!(request.body.conditions.unwrap()[0].opt_type, 0);
        assert_eq!(request.auth_token, Some(Secret::new("")));
    }

    #[test]
    fn integer_push_time_survives_decoding_but_is_not_valid_text() {
        let body = json!({"action": "getContentIdAction", "appkey": "k", "pushTime": 100});
        let request: Request<GetContentId> = serde_json::from_value(body).unwrap();
        assert_eq!(request.body.push_time, Some(json!(100)));
        assert_eq!(request.body.push_time_text(), None);
    }

    #[test]
    fn bootstrap_request_has_no_version_or_token() {
        let request = Request {
            action: Bootstrap::NAME.to_owned(),
            appkey: "APPKEY".to_owned(),
            body: Bootstrap {},
            version: None,
            auth_token: None,
        };
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"action": "getOSPushDomailUrlListAction", "appkey": "APPKEY"})
        );
    }

    #[test]
    fn cid_pn_response_reads_the_pn_and_keeps_unknown_keys_of_each_entry() {
        let body = json!({"result": "0", "batchRet": [{"code": 0, "cid": "c1", "pn": "abc",
                                                        "level": 2}]});
        let response: CidPnResponse = serde_json::from_value(body).unwrap();
        assert_eq!(response.batch_ret[0].code, CidPnCode::Success);
        assert_eq!(response.batch_ret[0].pn.as_deref(), Some("abc"));
        assert_eq!(response.batch_ret[0].extra.get("level"), Some(&json!(2)));
    }

    #[test]
    fn group_answer_holds_counters_read_as_text_or_numbers() {
        let body = json!({"result": "ok", "groupName": "g", "msg_total": "12",
                          "msg_process": 9, "online_num": "9", "show_num": "", "click_num": null,
                          "tasks": ["kept as an unknown key"]});
        let response: GroupResultResponse = serde_json::from_value(body).unwrap();
        assert_eq!(response.msg_total, Some(12));
        assert_eq!(response.msg_process, Some(9));
        assert_eq!(response.online_num, Some(9));
        assert_eq!(response.show_num, None);
        assert_eq!(response.click_num, None);
        assert!(response.extra.contains_key("tasks"));
        let written = serde_json::to_value(GroupResultResponse {
            result: ResultCode::Ok,
            group_name: Some("g".into()),
            msg_total: Some(3),
            msg_process: Some(1),
            online_num: Some(1),
            show_num: Some(1),
            click_num: Some(0),
            extra: Map::new(),
        })
        .unwrap();
        assert_eq!(
            written,
            json!({"result": "ok", "groupName": "g", "msg_total": "3", "msg_process": "1",
                   "online_num": "1", "show_num": "1", "click_num": "0"})
        );
    }

    #[test]
    fn task_results_read_counts_as_text_and_skip_unreadable_entries() {
        let body = json!({"result": "ok", "resultList": [
            {"taskId": "OSL-1", "GT": {"sent": "3", "feedback": "2", "displayed": 2,
                                       "clicked": "0", "result": "ok"},
             "APN": {"sent": "0", "displayed": "0", "clicked": "0"}},
            {"taskId": "OSA-2"},
            {"taskId": "OSA-3", "GT": {"sent": "-1"}},
            {"taskId": "OSA-5", "APN": "no counts"},
            "not an entry",
            {"taskId": 4}
        ]});
        // The client reads the answer's bytes; tests and the emulator hold `Value`s.
        let from_text: TaskResultsResponse = serde_json::from_str(&body.to_string()).unwrap();
        let from_value: TaskResultsResponse = serde_json::from_value(body).unwrap();
        for response in [from_text, from_value] {
            let ids: Vec<&str> = response
                .result_list
                .iter()
                .map(|e| e.task_id.as_str())
                .collect();
            assert_eq!(ids, ["OSL-1", "OSA-2", "4"]);
            let gt = &response.result_list[0].gt;
            assert_eq!(
                (gt.sent, gt.feedback, gt.displayed, gt.clicked),
                (Some(3), Some(2), Some(2), Some(0))
            );
            assert_eq!(gt.extra.get("result"), Some(&json!("ok")));
            assert_eq!(response.result_list[1].gt, ChannelCounters::default());
        }
    }

    #[test]
    fn task_results_request_takes_the_sdks_null_action_ids() {
        let body = json!({"action": "getPushMsgResultByTaskidList", "appkey": "k",
                          "taskIdList": ["OSL-1"], "actionIdList": null});
        let request: Request<GetPushMsgResultByTaskidList> = serde_json::from_value(body).unwrap();
        assert_eq!(request.body.task_id_list, ["OSL-1"]);
        assert_eq!(request.body.action_id_list, None);
    }

    #[test]
    fn user_count_is_read_under_any_known_key_and_written_as_count() {
        for key in ["count", "userCount", "user_count", "cnt"] {
            let body = json!({"result": "ok", key: "42"});
            let response: UserCountResponse = serde_json::from_value(body).unwrap();
            assert_eq!(response.count, Some(42), "{key}");
        }
        let written = serde_json::to_value(UserCountResponse {
            result: ResultCode::Ok,
            count: Some(3),
            extra: Map::new(),
        })
        .unwrap();
        assert_eq!(written, json!({"result": "ok", "count": 3}));
    }

    #[test]
    fn schedule_task_response_accepts_numbers_for_times() {
        let body = json!({"result": "ok", "pushTime": 201809051950_i64, "creatTime": 1536148200000_i64,
                          "sendResult": "do_not_send"});
        let response: ScheduleTaskResponse = serde_json::from_value(body).unwrap();
        assert_eq!(response.push_time.as_deref(), Some("201809051950"));
        assert_eq!(response.creat_time.as_deref(), Some("1536148200000"));
    }

    #[test]
    fn the_day_report_reads_counts_as_text_or_numbers_and_writes_text() {
        let body = json!({"result": "ok", "data": {"appId": "demo", "date": "20261208",
                          "sendCount": 12, "sendOnlineCount": "9", "receiveCount": 10,
                          "showCount": "8", "clickCount": 1, "other": true}});
        let response: AppPushDataResponse = serde_json::from_value(body).unwrap();
        let data = response.data.unwrap();
        assert_eq!(
            (data.send_count, data.send_online_count, data.receive_count),
            (Some(12), Some(9), Some(10))
        );
        assert_eq!((data.show_count, data.click_count), (Some(8), Some(1)));
        assert_eq!(data.extra["other"], json!(true));
        let written = serde_json::to_value(AppPushData {
            send_count: Some(3),
            ..AppPushData::default()
        })
        .unwrap();
        assert_eq!(written, json!({"sendCount": "3"}));
    }
}
