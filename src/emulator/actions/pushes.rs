//! Saving content and pushing it (B.2–B.5): `getContentIdAction` stores a message and its
//! audience or schedule, `pushMessageToAppAction` starts or schedules it,
//! `pushMessageToListAction` sends it to cids or aliases at once, and
//! `pushMessageToSingleAction` sends a message it carries whole to one cid or alias.
//!
//! A scheduled app push is only checked and stored here; `Store::settle` sends it when the
//! clock passes its push time.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::{Map, Value, json};

use super::exchange::{Exchange, check_app_id, decode, to_json};
use crate::emulator::delivery::{Fired, Message};
use crate::emulator::reply::Reply;
use crate::emulator::store::{ListPush, Store, Task, TaskKind, TaskStatus, VendorPush};
use crate::getui::api::TaskGroupName;
use crate::getui::conditions::{self, Condition};
use crate::getui::proto::{SmsInfo, Transparent, notify_info};
use crate::getui::v2::wire::{
    CLICK_INTENT, CLICK_PAYLOAD, CLICK_STARTAPP, CLICK_URL, ThirdNotification, Ups,
};
use crate::getui::vendor::ALL_VENDORS;
use crate::getui::wire::{self, ContentIdResponse, PushToListResponse, PushToSingleResponse};
use crate::getui::{PushKind, ResultCode};

/// Whether the SMS part of a template was accepted, and if not, why.
struct SmsVerdict {
    accepted: bool,
    message: Option<String>,
}

pub(super) fn get_content_id(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::GetContentId>(body)?;
    let content = request.body;
    let group = content
        .task_group_name
        .clone()
        .filter(|g| !g.trim().is_empty());
    if group
        .as_ref()
        .is_some_and(|g| g.chars().count() > TaskGroupName::MAX_CHARS)
    {
        return Err(ResultCode::Error);
    }
    let transparent = decode_client_data(&content.client_data)?;
    check_duration(&transparent.condition)?;
    check_notify_intent(&transparent)?;
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
        sent_at: None,
        deliveries: Default::default(),
        vendor: legacy_vendor(&transparent),
        v2: None,
    });
    Ok(to_json(ContentIdResponse {
        result: ResultCode::Ok,
        content_id: Some(id),
        sms_result: sms
            .as_ref()
            .map(|s| if s.accepted { "accept" } else { "error" }.to_owned()),
        sms_result_msg: sms.and_then(|s| s.message),
    })
    .into())
}

type AppTarget = (TaskKind, Vec<Condition>, Option<(DateTime<Utc>, String)>);

/// The audience and schedule of an app message (contentType 2).
fn app_target(ex: &Exchange<'_>, content: &wire::GetContentId) -> Result<AppTarget, ResultCode> {
    let app_ids = content.app_id_list.clone().unwrap_or_default();
    if app_ids.is_empty() || app_ids.iter().any(|id| id != &ex.settings.app_id) {
        return Err(ResultCode::AppidNoMatchAppKey);
    }
    let conditions = match &content.conditions {
        Some(wire_conditions) => {
            conditions::from_wire(wire_conditions).map_err(|_| ResultCode::Error)?
        }
        None => conditions::from_flat_lists(content).map_err(|_| ResultCode::Error)?,
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

fn decode_client_data(text: &str) -> Result<Transparent, ResultCode> {
    use base64::Engine;
    use prost::Message;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| ResultCode::Error)?;
    Transparent::decode(bytes.as_slice()).map_err(|_| ResultCode::Error)
}

/// The makers' notification of a transmission template (`set3rdNotifyInfo`, D.7): its
/// intent, when it has one, is at most 1000 characters of `intent:#Intent;…;end`, the one
/// rule the legacy protocol documents for it. Its other fields, and its `extKV` keys and
/// constraints, have none documented, so they are accepted as sent.
fn check_notify_intent(transparent: &Transparent) -> Result<(), ResultCode> {
    const MAX_INTENT_CHARS: usize = 1000;
    let intent = transparent
        .push_info
        .as_ref()
        .and_then(|info| info.notify_info.as_ref())
        .and_then(|notify| notify.intent.as_deref());
    let Some(intent) = intent else {
        return Ok(());
    };
    let shaped = intent.starts_with("intent:#Intent;") && intent.ends_with(";end");
    if !shaped || intent.chars().count() > MAX_INTENT_CHARS {
        return Err(ResultCode::Error);
    }
    Ok(())
}

/// What a transmission template gives the makers' channels (`set3rdNotifyInfo`, D.7): its
/// notify info as the makers' notification, and its `extKV` as options under their
/// constraints (`ALL` when none), with the text values the legacy protocol carries. The
/// legacy protocol has no channel strategy, so Getui's default (1) applies.
fn legacy_vendor(transparent: &Transparent) -> VendorPush {
    let info = transparent.push_info.as_ref();
    let Some(notify) = info.and_then(|info| info.notify_info.as_ref()) else {
        return VendorPush::default();
    };
    let click_type = match notify.r#type() {
        notify_info::Type::Payload => CLICK_PAYLOAD,
        notify_info::Type::Intent => CLICK_INTENT,
        notify_info::Type::Url => CLICK_URL,
        notify_info::Type::StartApp => CLICK_STARTAPP,
    };
    let mut ups = Ups {
        notification: Some(ThirdNotification {
            title: notify.title.clone(),
            body: notify.content.clone(),
            click_type: click_type.to_owned(),
            intent: notify.intent.clone(),
            url: notify.url.clone(),
            payload: notify.payload.clone(),
        }),
        ..Ups::default()
    };
    for ext in &notify.ext_kv {
        let constraint = ext.constains.as_deref().unwrap_or(ALL_VENDORS);
        ups.options
            .entry(constraint.to_owned())
            .or_default()
            .insert(ext.key.clone(), Value::String(ext.value.clone()));
    }
    VendorPush {
        ups: Some(ups),
        ..VendorPush::default()
    }
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
fn judge_sms(info: &SmsInfo, offline_expire_ms: i64) -> SmsVerdict {
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
/// The legacy API's one refusal for both limits of both kinds.
fn within_limits(ex: &mut Exchange<'_>, kind: PushKind) -> Result<(), ResultCode> {
    ex.within_limits(kind)
        .map_err(|_| ResultCode::PushMsgToListOrAppTimesOverLimit)
}

fn pushable<'s>(store: &'s mut Store, id: &str) -> Result<&'s mut Task, ResultCode> {
    let task = store.task_mut(id).ok_or(ResultCode::NullMsgCommon)?;
    if task.cancelled {
        return Err(ResultCode::TaskIdHasBeanCanceled);
    }
    Ok(task)
}

pub(super) fn push_to_app(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
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
        let immediate = task.push_time.is_none();
        immediate.then(|| {
            let shows = task.shows_notification();
            (task.conditions.clone(), task.vendor.clone(), shows)
        })
    };
    if !app_has_users {
        return Err(ResultCode::AppIdNoUsers);
    }
    within_limits(ex, PushKind::App)?;
    // Getui evaluates a scheduled task's conditions when it fires (`Store::settle`), not now:
    // doing it here would scan every user under the store lock for each create.
    let fired = match conditions {
        Some((conditions, vendor, shows_notification)) => {
            let devices = ex.store.audience_of(&conditions);
            let message = Message {
                task_id: &id,
                vendor: &vendor,
                shows_notification,
            };
            ex.store.deliver(message, devices, ex.now)
        }
        None => Fired::default(),
    };
    let task = pushable(ex.store, &id)?;
    if task.push_time.is_some() {
        task.status = TaskStatus::DoNotSend;
    } else {
        task.status = TaskStatus::SendSuccess;
        task.recipients = fired.reached;
        task.deliveries = fired.deliveries;
        task.sent_at = Some(ex.now);
    }
    ex.count_push(PushKind::App);
    ex.store.dirty = true;
    Ok(to_json(ContentIdResponse {
        result: ResultCode::Ok,
        content_id: Some(id),
        sms_result: None,
        sms_result_msg: None,
    })
    .into())
}

pub(super) fn push_to_list(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
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
    let (content, vendor) = (task.content.clone(), task.vendor.clone());
    let shows_notification = task.shows_notification();
    within_limits(ex, PushKind::List)?;
    let delivered = list_recipients(ex.store, &push.client_id_list, &push.alias_list);
    if delivered.is_empty() {
        return Err(ResultCode::TokenMD5NoUsers);
    }
    let details = push
        .need_details
        .then(|| delivery_details(ex.store, &delivered));
    let devices = ex.store.devices_of_cids(&delivered);
    let message = Message {
        task_id: &push.content_id,
        vendor: &vendor,
        shows_notification,
    };
    let fired = ex.store.deliver(message, devices, ex.now);
    if let Some(task) = ex.store.task_mut(&push.content_id) {
        task.status = TaskStatus::SendSuccess;
        task.deliveries.add(&fired.deliveries);
    }
    ex.count_push(PushKind::List);
    ex.store.list_pushes.push(ListPush {
        task_id: push.content_id.clone(),
        at: ex.now,
        cids: push.client_id_list,
        aliases: push.alias_list,
        delivered_to: fired.reached,
        content,
        deliveries: fired.deliveries,
    });
    ex.store.dirty = true;
    Ok(to_json(PushToListResponse {
        result: ResultCode::Ok,
        content_id: Some(push.content_id),
        details,
    })
    .into())
}

/// `pushMessageToSingleAction` (B.5): the message, checked as `getContentIdAction` checks
/// it, goes at once to one cid or to the cids of one alias, and becomes a task (`OSS-…`,
/// kind list) with a list push record, so that the request log and the store show what
/// reached whom. The answer is `ok`, the task id and the device's status:
///
/// | request | answer |
/// | --- | --- |
/// | a cid of the app | `successed_online` or `successed_offline` |
/// | a cid the emulator does not know | `successed_ignore` (B.5's status for an invalid user; nothing is delivered) |
/// | a cid of another app | `AppidError` |
/// | an alias | its cids; `successed_online` when one of them is online, else `successed_offline` |
/// | an alias bound to no cid | `TokenMD5NoUsers` (as a list push naming nobody) |
/// | no `requestId`, no or both of `clientId` and `alias`, a bad `clientData` | `Error` |
/// | another app id | `AppidNoMatchAppKey` |
///
/// A repeated `requestId` is pushed again: the emulator keeps no memory of legacy request
/// ids, and what Getui answers a repeat is undocumented (A.8). gtcamp never repeats one.
pub(super) fn push_to_single(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::PushToSingle>(body)?;
    let push = request.body;
    check_app_id(ex, &push.app_id)?;
    if push.request_id.trim().is_empty() {
        return Err(ResultCode::Error);
    }
    let transparent = decode_client_data(&push.client_data)?;
    check_duration(&transparent.condition)?;
    check_notify_intent(&transparent)?;
    let app_id = ex.store.app_id().to_owned();
    let (cids, aliases, reached, status) = match (push.client_id.trim(), push.alias.trim()) {
        (cid, "") if !cid.is_empty() => match ex.store.user(cid) {
            Some(user) if user.app_id != app_id => return Err(ResultCode::AppidError),
            Some(user) => {
                let status = if user.online {
                    ResultCode::SuccessedOnline
                } else {
                    ResultCode::SuccessedOffline
                };
                (
                    vec![cid.to_owned()],
                    Vec::new(),
                    vec![cid.to_owned()],
                    status,
                )
            }
            None => (
                vec![cid.to_owned()],
                Vec::new(),
                Vec::new(),
                ResultCode::SuccessedIgnore,
            ),
        },
        ("", alias) if !alias.is_empty() => {
            let reached = list_recipients(ex.store, &[], &[alias.to_owned()]);
            if reached.is_empty() {
                return Err(ResultCode::TokenMD5NoUsers);
            }
            let online = reached
                .iter()
                .any(|cid| ex.store.user(cid).is_some_and(|u| u.online));
            let status = if online {
                ResultCode::SuccessedOnline
            } else {
                ResultCode::SuccessedOffline
            };
            (Vec::new(), vec![alias.to_owned()], reached, status)
        }
        _ => return Err(ResultCode::Error),
    };
    let id = ex.store.new_task_id('S', ex.now);
    let mut task = Task {
        id: id.clone(),
        kind: TaskKind::List,
        status: TaskStatus::SendSuccess,
        push_time: None,
        push_time_text: None,
        created_at: ex.now,
        group: None,
        conditions: Vec::new(),
        content: push.transmission_content,
        push_type: push.push_type,
        sms: false,
        cancelled: false,
        recipients: Vec::new(),
        sent_at: Some(ex.now),
        deliveries: Default::default(),
        vendor: legacy_vendor(&transparent),
        v2: None,
    };
    let devices = ex.store.devices_of_cids(&reached);
    let message = Message {
        task_id: &id,
        vendor: &task.vendor,
        shows_notification: task.shows_notification(),
    };
    let fired = ex.store.deliver(message, devices, ex.now);
    task.recipients.clone_from(&fired.reached);
    task.deliveries.add(&fired.deliveries);
    ex.store.list_pushes.push(ListPush {
        task_id: id.clone(),
        at: ex.now,
        cids,
        aliases,
        delivered_to: fired.reached,
        content: task.content.clone(),
        deliveries: fired.deliveries,
    });
    ex.store.insert_task(task);
    ex.store.dirty = true;
    Ok(to_json(PushToSingleResponse {
        result: ResultCode::Ok,
        task_id: Some(id),
        status: Some(status.as_str().to_owned()),
    })
    .into())
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
