//! What the emulated server answers: one handler per legacy action.
//!
//! [`answer`] takes a decoded JSON body and returns the JSON reply, after the checks a real
//! Getui server makes (unknown action, body size, app key, auth token, app id). Requests are
//! decoded with the client's own wire types from `getui::wire`, so the emulator cannot accept
//! a shape the client would not send, and replies are built from the same types.
//!
//! The pieces of the protocol that the reference leaves open are decided here (and documented
//! in the README section on `gtcamp emulator`): deleting an already-deleted task answers `ok` again (so a retried
//! delete is harmless); deleting a task that was sent answers `Error`; a group lookup lists
//! the pushed tasks of the group as `{"result":"ok","groupName":…,"tasks":[{taskId,status,
//! pushTime,creatTime}]}`; a user count answers `{"result":"ok","count":N}`.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::directory;
use super::store::{Store, Task, TaskKind, TaskStatus};
use crate::getui::conditions::{self, Condition};
use crate::getui::wire::{
    self, ConnectResponse, ContentIdResponse, DescribedResponse, GenericResponse,
    GroupResultResponse, GroupTaskEntry, HostListResponse, PushToListResponse, Request, ResultOnly,
    ScheduleTaskResponse, UserCountResponse,
};
use crate::getui::{ResultCode, Secret, connect_sign};

/// The server-side settings handlers need.
pub(crate) struct Settings {
    pub app_id: String,
    pub app_key: String,
    pub master_secret: Secret,
    pub sign_window: chrono::Duration,
    pub token_ttl: chrono::Duration,
    pub max_push_ahead: chrono::Duration,
    pub max_body_bytes: usize,
}

/// Everything one request may look at or change.
pub(crate) struct Exchange<'a> {
    pub settings: &'a Settings,
    pub store: &'a mut Store,
    pub now: DateTime<Utc>,
    pub base_url: &'a str,
}

/// Actions that need no auth token.
const BOOTSTRAP: &str = "getOSPushDomailUrlListAction";
const CONNECT: &str = "connect";

const KNOWN_ACTIONS: [&str; 20] = [
    BOOTSTRAP,
    CONNECT,
    "close",
    "getContentIdAction",
    "pushMessageToAppAction",
    "pushMessageToListAction",
    "getScheduleTaskAction",
    "delScheduleTaskAction",
    "stopTaskAction",
    "cancleContentIdAction",
    "bind_cid_pn",
    "unbind_cid_pn",
    "query_cid_pn",
    "getPushResultByGroupName",
    "queryUserCount",
    "alias_bind",
    "alias_query",
    "alias_unbind",
    "setTagAction",
    "stop_sms",
];

/// The reply to a request body of `body_len` bytes whose `action` is `action`.
pub(crate) fn answer(ex: &mut Exchange<'_>, action: &str, body: &Value, body_len: usize) -> Value {
    if !KNOWN_ACTIONS.contains(&action) {
        return result_only(ResultCode::ActionError);
    }
    if body_len > ex.settings.max_body_bytes {
        return to_json(DescribedResponse {
            result: ResultCode::Error,
            desc: Some("request body is larger than 25 KB".to_owned()),
        });
    }
    if action == BOOTSTRAP {
        return to_json(HostListResponse {
            result: ResultCode::Ok,
            os_list: vec![ex.base_url.to_owned()],
        });
    }
    // Every request shares the envelope; `close` has nothing else, so its type reads it.
    let Ok(envelope) = decode::<wire::Close>(body) else {
        return result_only(ResultCode::Error);
    };
    if envelope.appkey != ex.settings.app_key {
        return result_only(ResultCode::AppkeyError);
    }
    if action == CONNECT {
        return connect(ex, body);
    }
    let token = envelope.auth_token.unwrap_or_default();
    if !ex.store.token_valid(token.expose(), ex.now) {
        return result_only(ResultCode::SignError);
    }
    business(ex, action, body, &token)
}

fn business(ex: &mut Exchange<'_>, action: &str, body: &Value, token: &Secret) -> Value {
    let reply = match action {
        "close" => {
            ex.store.revoke_token(token.expose());
            Ok(result_only(ResultCode::Ok))
        }
        "getContentIdAction" => get_content_id(ex, body),
        "pushMessageToAppAction" => push_to_app(ex, body),
        "pushMessageToListAction" => push_to_list(ex, body),
        "getScheduleTaskAction" => get_schedule_task(ex, body),
        "delScheduleTaskAction" => del_schedule_task(ex, body),
        "stopTaskAction" => stop_task(ex, body),
        "cancleContentIdAction" => cancel_content_id(ex, body),
        "getPushResultByGroupName" => group_tasks(ex, body),
        "queryUserCount" => query_user_count(ex, body),
        "stop_sms" => Ok(result_only(ResultCode::Ok)),
        other => directory::answer(ex, other, body),
    };
    reply.unwrap_or_else(result_only)
}

/// An answer holding only the result code: the whole answer to most refusals.
pub(crate) fn result_only(result: ResultCode) -> Value {
    // Serializing a string enum cannot fail; `Null` only keeps this free of panics.
    serde_json::to_value(ResultOnly { result }).unwrap_or(Value::Null)
}

pub(crate) fn to_json(reply: impl Serialize) -> Value {
    serde_json::to_value(reply).unwrap_or_else(|_| result_only(ResultCode::OtherError))
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

fn connect(ex: &mut Exchange<'_>, body: &Value) -> Value {
    let Ok(request) = decode::<wire::Connect>(body) else {
        return result_only(ResultCode::SignError);
    };
    let expected = connect_sign(
        &ex.settings.app_key,
        request.body.time_stamp,
        &ex.settings.master_secret,
    );
    let signed_at = DateTime::<Utc>::from_timestamp_millis(request.body.time_stamp);
    let fresh = signed_at.is_some_and(|at| (ex.now - at).abs() <= ex.settings.sign_window);
    if !fresh || !request.body.sign.eq_ignore_ascii_case(&expected) {
        return result_only(ResultCode::SignError);
    }
    let expires = ex
        .now
        .checked_add_signed(ex.settings.token_ttl)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let token = ex.store.issue_token(expires);
    to_json(ConnectResponse {
        result: ResultCode::Success,
        authtoken: Some(Secret::new(token)),
    })
}

// -----------------------------------------------------------------------------------------
// Saving content and pushing it

/// Whether the SMS part of a template was accepted, and if not, why.
struct SmsVerdict {
    accepted: bool,
    message: Option<String>,
}

fn get_content_id(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::GetContentId>(body)?;
    let content = request.body;
    let group = content
        .task_group_name
        .clone()
        .filter(|g| !g.trim().is_empty());
    if group.as_ref().is_some_and(|g| g.chars().count() > 40) {
        return Err(ResultCode::Error);
    }
    let transparent = decode_client_data(&content.client_data)?;
    check_duration(&transparent.condition)?;
    let sms = transparent
        .sms_info
        .as_ref()
        .map(|info| judge_sms(info, content.offline_expire_time));
    let (kind, conditions, push_time) = match content.content_type {
        1 => (TaskKind::List, Vec::new(), None),
        2 => app_target(ex, &content)?,
        _ => return Err(ResultCode::Error),
    };
    let prefix = if kind == TaskKind::List { 'L' } else { 'A' };
    let id = ex.store.new_task_id(prefix, ex.now);
    ex.store.insert_task(Task {
        id: id.clone(),
        kind,
        status: TaskStatus::Saved,
        push_time: push_time.as_ref().map(|(at, _)| *at),
        push_time_text: push_time.map(|(_, text)| text),
        created_at: ex.now,
        group,
        conditions,
        content: content.transmission_content,
        push_type: content.push_type,
        sms: sms.as_ref().is_some_and(|s| s.accepted),
        cancelled: false,
        recipients: Vec::new(),
    });
    Ok(to_json(ContentIdResponse {
        result: ResultCode::Ok,
        content_id: Some(id),
        sms_result: sms
            .as_ref()
            .map(|s| if s.accepted { "accept" } else { "error" }.to_owned()),
        sms_result_msg: sms.and_then(|s| s.message),
    }))
}

type AppTarget = (TaskKind, Vec<Condition>, Option<(DateTime<Utc>, String)>);

/// The audience and schedule of an app message (contentType 2).
fn app_target(ex: &Exchange<'_>, content: &wire::GetContentId) -> Result<AppTarget, ResultCode> {
    let app_ids = content.app_id_list.clone().unwrap_or_default();
    if app_ids.is_empty() || app_ids.iter().any(|id| id != &ex.settings.app_id) {
        return Err(ResultCode::AppidNoMatchAppKey);
    }
    let conditions = match &content.conditions {
        Some(wire_conditions) => conditions_of(wire_conditions)?,
        None => conditions::from_flat_lists(content),
    };
    let push_time = match &content.push_time {
        None => None,
        Some(_) => Some(scheduled_time(ex, content)?),
    };
    Ok((TaskKind::App, conditions, push_time))
}

/// Checks `pushTime`: 12 digits as a string (the SDK's integer is refused), Beijing time, in
/// the future and no further ahead than the configured horizon.
fn scheduled_time(
    ex: &Exchange<'_>,
    content: &wire::GetContentId,
) -> Result<(DateTime<Utc>, String), ResultCode> {
    let text = content.push_time_text().ok_or(ResultCode::Error)?;
    let local = NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M").map_err(|_| ResultCode::Error)?;
    let at = chrono_tz::Asia::Shanghai
        .from_local_datetime(&local)
        .single()
        .ok_or(ResultCode::Error)?
        .with_timezone(&Utc);
    let beyond_horizon = ex
        .now
        .checked_add_signed(ex.settings.max_push_ahead)
        .is_some_and(|horizon| at > horizon);
    if at <= ex.now || beyond_horizon {
        return Err(ResultCode::Error);
    }
    Ok((at, text.to_owned()))
}

/// The conditions of a request; a key or `optType` the protocol does not have is `Error`.
pub(crate) fn conditions_of(wire: &[wire::Condition]) -> Result<Vec<Condition>, ResultCode> {
    conditions::from_wire(wire).map_err(|_| ResultCode::Error)
}

fn decode_client_data(text: &str) -> Result<crate::getui::proto::Transparent, ResultCode> {
    use base64::Engine;
    use prost::Message;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| ResultCode::Error)?;
    crate::getui::proto::Transparent::decode(bytes.as_slice()).map_err(|_| ResultCode::Error)
}

/// `duration=<beginMs>-<endMs>` (integers, or the SDK's `NNN.0` floats): begin must not be after end.
fn check_duration(conditions: &[String]) -> Result<(), ResultCode> {
    for condition in conditions.iter().filter(|c| !c.trim().is_empty()) {
        let Some(span) = condition.trim().strip_prefix("duration=") else {
            continue;
        };
        let (begin, end) = span.split_once('-').ok_or(ResultCode::Error)?;
        let begin: f64 = begin.trim().parse().map_err(|_| ResultCode::Error)?;
        let end: f64 = end.trim().parse().map_err(|_| ResultCode::Error)?;
        if !(begin.is_finite() && end.is_finite()) || begin > end {
            return Err(ResultCode::Error);
        }
    }
    Ok(())
}

/// SMS fallback never blocks the push; a bad SMS part only turns `smsResult` to `error` (D.8).
fn judge_sms(info: &crate::getui::proto::SmsInfo, offline_expire_ms: i64) -> SmsVerdict {
    const THREE_DAYS_MS: i64 = 259_200_000;
    let refuse = |message: &str| SmsVerdict {
        accepted: false,
        message: Some(message.to_owned()),
    };
    if info.sms_template_id.trim().is_empty() {
        return refuse("SMS template id is empty");
    }
    if info.offline_sendtime < 0 || info.offline_sendtime > offline_expire_ms.min(THREE_DAYS_MS) {
        return refuse("offlineSendtime must lie within the offline expiry and 3 days");
    }
    if info
        .sms_content
        .iter()
        .any(|entry| entry.key.trim().is_empty())
    {
        return refuse("SMS content has an empty placeholder name");
    }
    SmsVerdict {
        accepted: true,
        message: None,
    }
}

/// The task a pushing action names, refusing unknown and cancelled ids.
fn pushable<'s>(store: &'s mut Store, id: &str) -> Result<&'s mut Task, ResultCode> {
    let task = store.task_mut(id).ok_or(ResultCode::NullMsgCommon)?;
    if task.cancelled {
        return Err(ResultCode::TaskIdHasBeanCanceled);
    }
    Ok(task)
}

fn push_to_app(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::PushToApp>(body)?;
    let id = request.body.content_id;
    let app_has_users = ex.store.app_has_users();
    let conditions = {
        let task = pushable(ex.store, &id)?;
        if task.kind != TaskKind::App {
            return Err(ResultCode::Error);
        }
        if task.status != TaskStatus::Saved {
            return Err(ResultCode::RepeatedContent);
        }
        task.push_time.is_none().then(|| task.conditions.clone())
    };
    if !app_has_users {
        return Err(ResultCode::AppIdNoUsers);
    }
    // Getui evaluates a scheduled task's conditions when it fires (`Store::settle`), not now:
    // doing it here would scan every user under the store lock for each create.
    let recipients = match conditions {
        Some(conditions) => ex.store.audience_of(&conditions),
        None => Vec::new(),
    };
    let task = pushable(ex.store, &id)?;
    if task.push_time.is_some() {
        task.status = TaskStatus::DoNotSend;
    } else {
        task.status = TaskStatus::SendSuccess;
        task.recipients = recipients;
    }
    ex.store.dirty = true;
    Ok(to_json(ContentIdResponse {
        result: ResultCode::Ok,
        content_id: Some(id),
        sms_result: None,
        sms_result_msg: None,
    }))
}

fn push_to_list(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    const SYNC_LIMIT: usize = 1_000;
    const ASYNC_LIMIT: usize = 10_000;
    let request = decode::<wire::PushToList>(body)?;
    let push = request.body;
    if let Some(app_id) = &push.app_id {
        check_app_id(ex, app_id)?;
    }
    let targets = push.client_id_list.len() + push.alias_list.len();
    if targets == 0 {
        return Err(ResultCode::TargetListIsNullOrSizeIs0);
    }
    let limit = if push.is_async && !push.need_details {
        ASYNC_LIMIT
    } else {
        SYNC_LIMIT
    };
    if targets > limit {
        return Err(ResultCode::PushTotalNumOverLimit);
    }
    let task = pushable(ex.store, &push.content_id)?;
    if task.kind != TaskKind::List {
        return Err(ResultCode::Error);
    }
    let content = task.content.clone();
    let delivered = list_recipients(ex.store, &push.client_id_list, &push.alias_list);
    if delivered.is_empty() {
        return Err(ResultCode::TokenMD5NoUsers);
    }
    let details = push
        .need_details
        .then(|| delivery_details(ex.store, &delivered));
    if let Some(task) = ex.store.task_mut(&push.content_id) {
        task.status = TaskStatus::SendSuccess;
    }
    ex.store.list_pushes.push(super::store::ListPush {
        task_id: push.content_id.clone(),
        at: ex.now,
        cids: push.client_id_list,
        aliases: push.alias_list,
        delivered_to: delivered,
        content,
    });
    ex.store.dirty = true;
    Ok(to_json(PushToListResponse {
        result: ResultCode::Ok,
        content_id: Some(push.content_id),
        details,
    }))
}

/// Known cids of the app among `cids`, then the cids of `aliases`, without repeats.
fn list_recipients(store: &mut Store, cids: &[String], aliases: &[String]) -> Vec<String> {
    let app_id = store.app_id().to_owned();
    let mut out: Vec<String> = Vec::new();
    let known: Vec<String> = cids
        .iter()
        .filter(|cid| store.user(cid).is_some_and(|u| u.app_id == app_id))
        .cloned()
        .collect();
    let aliased: Vec<String> = aliases
        .iter()
        .flat_map(|alias| store.cids_of_alias(alias))
        .collect();
    for cid in known.into_iter().chain(aliased) {
        if !out.contains(&cid) {
            out.push(cid);
        }
    }
    out
}

fn delivery_details(store: &mut Store, cids: &[String]) -> Value {
    let map: Map<String, Value> = cids
        .iter()
        .map(|cid| {
            let online = store.user(cid).is_some_and(|u| u.online);
            let status = if online {
                ResultCode::SuccessedOnline
            } else {
                ResultCode::SuccessedOffline
            };
            (cid.clone(), json!(status))
        })
        .collect();
    Value::Object(map)
}

// -----------------------------------------------------------------------------------------
// Scheduled tasks

/// A scheduled app push by id; saved-but-unpushed content and list tasks are not scheduled tasks.
fn scheduled<'s>(store: &'s mut Store, id: &str) -> Result<&'s mut Task, ResultCode> {
    match store.task_mut(id) {
        Some(task) if task.push_time.is_some() && task.status != TaskStatus::Saved => Ok(task),
        _ => Err(ResultCode::NullMsgCommon),
    }
}

fn get_schedule_task(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::GetScheduleTask>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    // Read-only, so the task is not marked as changed (which would write it back).
    let task = ex
        .store
        .task(&request.body.task_id)
        .filter(|task| task.push_time.is_some() && task.status != TaskStatus::Saved)
        .ok_or(ResultCode::NullMsgCommon)?;
    Ok(to_json(ScheduleTaskResponse {
        result: ResultCode::Ok,
        task_id: Some(task.id.clone()),
        push_content: Some(task.content.clone()),
        push_time: task.push_time_text.clone(),
        creat_time: Some(task.created_at.timestamp_millis().to_string()),
        send_result: Some(task.status.wire_name().to_owned()),
        extra: Map::new(),
    }))
}

fn del_schedule_task(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::DelScheduleTask>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let task = scheduled(ex.store, &request.body.task_id)?;
    match task.status {
        TaskStatus::DoNotSend => task.status = TaskStatus::HasDelete,
        TaskStatus::HasDelete => {}
        _ => return Err(ResultCode::Error),
    }
    ex.store.dirty = true;
    Ok(generic_ok())
}

fn generic_ok() -> Value {
    to_json(GenericResponse {
        result: ResultCode::Ok,
        extra: Map::new(),
    })
}

fn stop_task(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::StopTask>(body)?;
    let task = ex
        .store
        .task_mut(&request.body.content_id)
        .ok_or(ResultCode::NullMsgCommon)?;
    match task.status {
        TaskStatus::DoNotSend => task.status = TaskStatus::HasDelete,
        TaskStatus::Saved => task.cancelled = true,
        _ => {}
    }
    ex.store.dirty = true;
    Ok(generic_ok())
}

/// `cancleContentIdAction` carries the same body as `stopTaskAction` (`contentId` alone).
fn cancel_content_id(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::StopTask>(body)?;
    let task = ex
        .store
        .task_mut(&request.body.content_id)
        .ok_or(ResultCode::NullMsgCommon)?;
    task.cancelled = true;
    ex.store.dirty = true;
    Ok(generic_ok())
}

fn group_tasks(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::GetPushResultByGroupName>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let group = request.body.group_name;
    let tasks = ex
        .store
        .tasks
        .iter()
        .filter(|t| t.group.as_deref() == Some(group.as_str()) && t.status != TaskStatus::Saved)
        .map(|t| GroupTaskEntry {
            task_id: Some(t.id.clone()),
            status: Some(t.status.wire_name().to_owned()),
            push_time: t.push_time_text.clone(),
            creat_time: Some(t.created_at.timestamp_millis().to_string()),
            ..GroupTaskEntry::default()
        })
        .collect();
    Ok(to_json(GroupResultResponse {
        result: ResultCode::Ok,
        group_name: Some(group),
        tasks,
        extra: Map::new(),
    }))
}

fn query_user_count(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::QueryUserCount>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let conditions = conditions_of(&request.body.conditions)?;
    let count = ex.store.count_audience(&conditions);
    Ok(to_json(UserCountResponse {
        result: ResultCode::Ok,
        count: Some(i64::try_from(count).unwrap_or(i64::MAX)),
        extra: Map::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_condition_accepts_the_sdk_floats_and_refuses_a_backwards_span() {
        let ok = |c: &str| check_duration(&[c.to_owned()]).is_ok();
        assert!(ok(""));
        assert!(ok("duration=1425462022000.0-1425462444000.0"));
        assert!(ok("duration=1425462022000-1425462444000"));
        assert!(!ok("duration=1425462444000-1425462022000"));
        assert!(!ok("duration=soon-later"));
        assert!(!ok("duration=1425462022000"));
    }

    #[test]
    fn sms_must_start_within_the_offline_expiry_and_three_days() {
        let info = |offline_sendtime| crate::getui::proto::SmsInfo {
            sms_template_id: "10000".into(),
            offline_sendtime,
            ..Default::default()
        };
        assert!(judge_sms(&info(1_000), 3_600_000).accepted);
        assert!(!judge_sms(&info(3_600_001), 3_600_000).accepted);
        assert!(!judge_sms(&info(259_200_001), 400_000_000).accepted);
        let mut blank = info(1_000);
        blank.sms_template_id = " ".into();
        assert!(!judge_sms(&blank, 3_600_000).accepted);
    }
}
