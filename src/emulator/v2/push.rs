//! The pushes (F.2, F.3): `/push/all` and `/push/tag` (immediate or scheduled app pushes),
//! `/push/list/message` (a saved list message) then `/push/list/cid` or `/push/list/alias`,
//! and `/push/single/cid` or `/push/single/alias` (one device, at once).
//!
//! Every push that creates a task names a `request_id` (10–32 characters). The store
//! remembers it with the task, durably, and a later push with the same one creates nothing.
//! Getui documents only that such a repeat is dropped ("the message gets lost"), not what it
//! answers, so how the emulator answers is [`RepeatedRequest`]'s to say:
//!
//! - [`RepeatedRequest::Original`] (the default): code 0 and the **original** task id, a
//!   guess that a client may find convenient;
//! - [`RepeatedRequest::UnknownId`]: code 0 and a fresh task id that names no task, so that a
//!   test can prove a client does not take the answer to a repeat for the task it created
//!   (`gtcamp emulator --repeated-request unknown-id`).
//!
//! A scheduled push becomes a task of the one store like a legacy one: it waits as
//! `do_not_send` and fires when the clock passes its `schedule_time`, which must lie in the
//! future and within `max_push_ahead` (7 days), else 22002.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::gate::decode;
use super::{Refusal, Request};
use crate::emulator::actions::exchange::{Exchange, RepeatedRequest, to_json};
use crate::emulator::delivery::Message;
use crate::emulator::quota::Spent;
use crate::emulator::records::VendorPush;
use crate::emulator::reply::Reply;
use crate::emulator::store::{ListPush, Store, Task, TaskKind, TaskStatus, V2Task};
use crate::getui::api::PushTime;
use crate::getui::conditions::Condition;
use crate::getui::v2::Code;
use crate::getui::v2::wire::{
    Audience, CLICK_INTENT, CLICK_NONE, CLICK_PAYLOAD, CLICK_PAYLOAD_CUSTOM, CLICK_STARTAPP,
    CLICK_URL, LIST_CHUNK, ListPushRequest, MAX_TTL_MS, Notification, PushMessage, PushRequest,
    REQUEST_ID_CHARS, TaskIdData,
};
use crate::getui::v2::wire_extra::conditions_from_wire;
use crate::getui::{PushKind, ResultCode};

/// What a create makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `/push/all`: every device of the app.
    All,
    /// `/push/tag`: the devices the conditions pick.
    Tag,
    /// `/push/list/message`: content saved for list pushes.
    ListMessage,
    /// `/push/single/cid`: one device, at once.
    Single,
    /// `/push/single/alias`: the devices of one alias, at once.
    SingleAlias,
}

impl Kind {
    /// The task id prefix (`RASA`, `RASL`: a guess from V1's `RASS` ids).
    fn prefix(self) -> &'static str {
        match self {
            Kind::All | Kind::Tag => "RASA",
            Kind::ListMessage => "RASL",
            Kind::Single | Kind::SingleAlias => "RASS",
        }
    }
}

pub(super) fn push_all(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    create(ex, request, Kind::All)
}

pub(super) fn push_tag(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    create(ex, request, Kind::Tag)
}

pub(super) fn list_message(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    create(ex, request, Kind::ListMessage)
}

pub(super) fn single_cid(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    create(ex, request, Kind::Single)
}

pub(super) fn single_alias(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    create(ex, request, Kind::SingleAlias)
}

/// A push as checked, before it becomes a task.
struct Checked {
    group: Option<String>,
    at: Option<DateTime<Utc>>,
    conditions: Vec<Condition>,
    vendor: VendorPush,
    /// The one cid or alias of a single push.
    device: Option<String>,
    content: String,
}

fn create(ex: &mut Exchange<'_>, request: &Request, kind: Kind) -> Result<Reply, Refusal> {
    let push: PushRequest = decode(&request.body, "push request")?;
    if !REQUEST_ID_CHARS.contains(&push.request_id.chars().count()) {
        return Err(Refusal::invalid("a request id has 10 to 32 characters"));
    }
    if let Some(original) = ex.store.task_of_request(&push.request_id) {
        let id = match ex.settings.repeated_request {
            RepeatedRequest::Original => original.id.clone(),
            RepeatedRequest::UnknownId => ex.store.new_v2_task_id(kind.prefix(), ex.now),
        };
        return Ok(created(kind, id, Map::new()).into());
    }
    let checked = check(ex, &push, kind)?;
    if matches!(kind, Kind::All | Kind::Tag) {
        within_limits(ex, PushKind::App, kind)?;
        ex.count_push(PushKind::App);
    }
    let id = ex.store.new_v2_task_id(kind.prefix(), ex.now);
    let settings = push.settings.clone().unwrap_or_default();
    let mut task = Task {
        id: id.clone(),
        kind: if matches!(kind, Kind::All | Kind::Tag) {
            TaskKind::App
        } else {
            TaskKind::List
        },
        status: TaskStatus::Saved,
        push_time: checked.at,
        push_time_text: checked
            .at
            .and_then(|at| PushTime::at(&at).ok())
            .map(|time| time.wire()),
        created_at: ex.now,
        group: checked.group,
        conditions: checked.conditions,
        content: checked.content,
        push_type: None,
        sms: false,
        cancelled: false,
        recipients: Vec::new(),
        sent_at: None,
        deliveries: Default::default(),
        vendor: checked.vendor,
        v2: Some(V2Task {
            request_id: push.request_id.clone(),
            task_name: push.task_name.clone(),
            ttl_ms: settings.ttl,
            speed: settings.speed,
            silent: push
                .push_message
                .as_ref()
                .is_some_and(|message| message.notification.is_none()),
        }),
    };
    let mut statuses = Map::new();
    match kind {
        Kind::ListMessage => {}
        Kind::All | Kind::Tag if task.push_time.is_some() => task.status = TaskStatus::DoNotSend,
        Kind::All | Kind::Tag => {
            let devices = ex.store.audience_of(&task.conditions);
            let message = Message {
                task_id: &task.id,
                vendor: &task.vendor,
                shows_notification: task.shows_notification(),
            };
            let fired = ex.store.deliver(message, devices, ex.now);
            task.status = TaskStatus::SendSuccess;
            task.recipients = fired.reached;
            task.deliveries = fired.deliveries;
            task.sent_at = Some(ex.now);
        }
        Kind::Single => {
            let cids: Vec<String> = checked.device.into_iter().collect();
            statuses = deliver(ex, &mut task, &cids, &[]);
        }
        // The alias's cids, each with its status, as a list push to an alias answers them;
        // an alias bound to no cid reaches nobody, and its answer names none.
        Kind::SingleAlias => {
            let aliases: Vec<String> = checked.device.into_iter().collect();
            statuses = deliver(ex, &mut task, &[], &aliases);
        }
    }
    ex.store.insert_task(task);
    Ok(created(kind, id, statuses).into())
}

/// The `data` of a create: the task id, or for a single push the statuses under it.
fn created(kind: Kind, id: String, statuses: Map<String, Value>) -> Value {
    if matches!(kind, Kind::Single | Kind::SingleAlias) {
        return json!(BTreeMap::from([(id, statuses)]));
    }
    to_json(TaskIdData { taskid: id })
}

fn check(ex: &Exchange<'_>, push: &PushRequest, kind: Kind) -> Result<Checked, Refusal> {
    let group = check_group(push.group_name.as_deref())?;
    let settings = push.settings.clone().unwrap_or_default();
    if settings
        .ttl
        .is_some_and(|ttl| ttl != -1 && !(0..=MAX_TTL_MS).contains(&ttl))
    {
        return Err(Refusal::invalid(
            "the offline time to live is -1 or 0 to 3 days in milliseconds",
        ));
    }
    if settings.speed.is_some_and(|speed| speed < 0) {
        return Err(Refusal::invalid(
            "the speed is a number of messages a second, 0 or more",
        ));
    }
    let at = match settings.schedule_time {
        None => None,
        Some(_) if matches!(kind, Kind::ListMessage | Kind::Single | Kind::SingleAlias) => {
            return Err(Refusal::invalid("only app pushes can be scheduled"));
        }
        Some(_) if !ex.settings.schedule_feature => {
            return Err(Refusal::new(
                Code::FeatureNotEnabled,
                "no permission: scheduled pushes are a VIP feature not enabled for this app",
            ));
        }
        Some(ms) => Some(schedule_time(ex, ms)?),
    };
    let content = check_message(push.push_message.as_ref())?;
    let (conditions, device) = check_audience(push.audience.as_ref(), kind)?;
    let vendor = super::vendor::check(push)?;
    Ok(Checked {
        group,
        at,
        conditions,
        vendor,
        device,
        content,
    })
}

/// A group name is at most 100 characters of `[0-9A-Za-z_-]`; an empty one is none.
fn check_group(group: Option<&str>) -> Result<Option<String>, Refusal> {
    const MAX_CHARS: usize = 100;
    let Some(group) = group.filter(|g| !g.is_empty()) else {
        return Ok(None);
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if group.chars().count() > MAX_CHARS || !group.chars().all(allowed) {
        return Err(Refusal::invalid(
            "a task group name is at most 100 letters, digits, `_` or `-`",
        ));
    }
    Ok(Some(group.to_owned()))
}

/// The instant of a `schedule_time`: in the future and within the horizon, else 22002.
fn schedule_time(ex: &Exchange<'_>, ms: i64) -> Result<DateTime<Utc>, Refusal> {
    let refuse = |why: &str| Refusal::new(Code::InvalidTaskOrTime, why);
    let at = DateTime::<Utc>::from_timestamp_millis(ms)
        .ok_or_else(|| refuse("the schedule time is not an instant"))?;
    if at <= ex.now {
        return Err(refuse("the schedule time has passed"));
    }
    let horizon = ex.now.checked_add_signed(ex.settings.max_push_ahead);
    if horizon.is_some_and(|horizon| at > horizon) {
        return Err(refuse("the schedule time is more than 7 days ahead"));
    }
    Ok(at)
}

/// Checks the message and returns what GET `/task/schedule/{id}` reports as its content.
fn check_message(message: Option<&PushMessage>) -> Result<String, Refusal> {
    const MAX_TRANSMISSION_CHARS: usize = 3072;
    let message = message.ok_or_else(|| Refusal::invalid("a push needs a message"))?;
    let parts = [
        message.notification.is_some(),
        message.transmission.is_some(),
        message.revoke.is_some(),
    ];
    if parts.iter().filter(|&&part| part).count() != 1 {
        return Err(Refusal::invalid(
            "a message is exactly one of a notification, a transmission or a revoke",
        ));
    }
    if let Some(notification) = &message.notification {
        check_notification(notification)?;
    }
    if message
        .transmission
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TRANSMISSION_CHARS)
    {
        return Err(Refusal::invalid(
            "a transmission is at most 3072 characters",
        ));
    }
    if message.network_type.is_some_and(|n| n != 0 && n != 1) {
        return Err(Refusal::invalid("the network type is 0 (any) or 1 (Wi-Fi)"));
    }
    if let Some(duration) = &message.duration {
        check_duration(duration)?;
    }
    Ok(message
        .transmission_content()
        .unwrap_or_default()
        .to_owned())
}

fn check_notification(notification: &Notification) -> Result<(), Refusal> {
    let chars = |text: &str| text.chars().count();
    if !(1..=50).contains(&chars(&notification.title))
        || !(1..=256).contains(&chars(&notification.body))
    {
        return Err(Refusal::invalid(
            "a notification has a title of 1 to 50 characters and a body of 1 to 256",
        ));
    }
    let needed = match notification.click_type.as_str() {
        CLICK_URL => Some(&notification.url),
        CLICK_INTENT => Some(&notification.intent),
        CLICK_PAYLOAD | CLICK_PAYLOAD_CUSTOM => Some(&notification.payload),
        CLICK_STARTAPP | CLICK_NONE => None,
        _ => return Err(Refusal::invalid("unknown click type")),
    };
    if needed.is_some_and(|value| value.as_deref().is_none_or(str::is_empty)) {
        return Err(Refusal::invalid(
            "a notification's click type needs its url, intent or payload",
        ));
    }
    Ok(())
}

/// `"<startMs>-<endMs>"` with the start before the end.
fn check_duration(duration: &str) -> Result<(), Refusal> {
    let span = duration.split_once('-').and_then(|(start, end)| {
        Some((
            start.trim().parse::<i64>().ok()?,
            end.trim().parse::<i64>().ok()?,
        ))
    });
    match span {
        Some((start, end)) if start < end => Ok(()),
        _ => Err(Refusal::invalid(
            "a display window is `<start ms>-<end ms>`, start first",
        )),
    }
}

/// The conditions of a tag push, or the cid or alias of a single push.
fn check_audience(
    audience: Option<&Audience>,
    kind: Kind,
) -> Result<(Vec<Condition>, Option<String>), Refusal> {
    let select = match audience {
        Some(Audience::Select(select)) => Some(select),
        _ => None,
    };
    match kind {
        Kind::All if audience.is_some_and(Audience::is_all) => Ok((Vec::new(), None)),
        Kind::All => Err(Refusal::invalid("a push to all names the audience `all`")),
        Kind::ListMessage if audience.is_none() => Ok((Vec::new(), None)),
        Kind::ListMessage => Err(Refusal::invalid("a list message names no audience")),
        Kind::Tag => {
            let tags = select
                .and_then(|s| s.tag.as_ref())
                .filter(|tags| !tags.is_empty())
                .ok_or_else(|| Refusal::invalid("a tag push names its conditions"))?;
            let conditions =
                conditions_from_wire(tags).map_err(|e| Refusal::invalid(e.to_string()))?;
            Ok((conditions, None))
        }
        Kind::Single => match select.and_then(|s| s.cid.as_deref()) {
            Some([cid]) if !cid.is_empty() => Ok((Vec::new(), Some(cid.clone()))),
            _ => Err(Refusal::invalid("a single push names exactly one cid")),
        },
        Kind::SingleAlias => match select.and_then(|s| s.alias.as_deref()) {
            Some([alias]) if !alias.is_empty() => Ok((Vec::new(), Some(alias.clone()))),
            _ => Err(Refusal::invalid("a single push names exactly one alias")),
        },
    }
}

// -----------------------------------------------------------------------------------------
// List pushes

pub(super) fn list_cid(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    list_push(ex, request, false)
}

pub(super) fn list_alias(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    list_push(ex, request, true)
}

/// Sends a saved list message (of either protocol) to cids or aliases. The `data` is
/// cid → status under the task id; with `need_alias_detail`, alias → cid → status; none when
/// asynchronous.
fn list_push(ex: &mut Exchange<'_>, request: &Request, by_alias: bool) -> Result<Reply, Refusal> {
    let push: ListPushRequest = decode(&request.body, "list push")?;
    let targets = if by_alias {
        push.audience.alias.clone()
    } else {
        push.audience.cid.clone()
    }
    .unwrap_or_default();
    if targets.is_empty() || targets.len() > LIST_CHUNK {
        return Err(Refusal::invalid(
            "a list push names 1 to 1000 cids or aliases",
        ));
    }
    let mut task = match ex.store.task(&push.taskid) {
        Some(task) if task.kind == TaskKind::List && !task.cancelled => task.clone(),
        _ => {
            return Err(Refusal::new(
                Code::InvalidTaskOrTime,
                "no list message has this task id",
            ));
        }
    };
    within_limits(ex, PushKind::List, Kind::ListMessage)?;
    ex.count_push(PushKind::List);
    let (cids, aliases) = if by_alias {
        (Vec::new(), targets)
    } else {
        (targets, Vec::new())
    };
    let statuses = deliver(ex, &mut task, &cids, &aliases);
    if let Some(stored) = ex.store.task_mut(&push.taskid) {
        stored.status = TaskStatus::SendSuccess;
        stored.deliveries = task.deliveries;
    }
    if push.is_async {
        return Ok(Value::Null.into());
    }
    let detail = if by_alias && push.need_alias_detail == Some(true) {
        alias_detail(ex.store, &aliases, &statuses)
    } else {
        statuses
    };
    Ok(json!(BTreeMap::from([(push.taskid, detail)])).into())
}

/// Refuses a push of `kind` (made through `call`) over Getui's limits, with the code Getui
/// gives each: the daily one of `/push/all` and of `/push/tag` are told apart, though they
/// count together.
fn within_limits(ex: &mut Exchange<'_>, kind: PushKind, call: Kind) -> Result<(), Refusal> {
    let Err(spent) = ex.within_limits(kind) else {
        return Ok(());
    };
    let (code, msg) = match (kind, spent) {
        (PushKind::App, Spent::Day) if call == Kind::Tag => {
            (Code::TagPushDailyLimit, "push/tag daily limit reached")
        }
        (PushKind::App, Spent::Day) => (Code::AllDailyLimit, "push/all daily limit reached"),
        (PushKind::App, Spent::Minute) => {
            (Code::AppPushFlowLimit, "app push limit per minute reached")
        }
        (PushKind::List, Spent::Day) => (Code::ListDailyLimit, "list push daily limit reached"),
        (PushKind::List, Spent::Minute) => (
            Code::ListPushFlowLimit,
            "list push limit per minute reached",
        ),
    };
    Err(Refusal::new(code, msg))
}

/// Delivers `task` to `cids` and the cids of `aliases`, records the push, and returns each
/// cid's status: online, offline, or ignored for a cid the app does not have.
fn deliver(
    ex: &mut Exchange<'_>,
    task: &mut Task,
    cids: &[String],
    aliases: &[String],
) -> Map<String, Value> {
    let app_id = ex.store.app_id().to_owned();
    let aliased: Vec<String> = aliases
        .iter()
        .flat_map(|alias| ex.store.cids_of_alias(alias))
        .collect();
    let mut statuses = Map::new();
    let mut delivered = Vec::new();
    for cid in cids.iter().chain(&aliased) {
        let status = match ex.store.user(cid).filter(|u| u.app_id == app_id) {
            Some(user) if user.online => ResultCode::SuccessedOnline,
            Some(_) => ResultCode::SuccessedOffline,
            None => ResultCode::SuccessedIgnore,
        };
        if status != ResultCode::SuccessedIgnore && !delivered.contains(cid) {
            delivered.push(cid.clone());
        }
        statuses.insert(cid.clone(), json!(status));
    }
    let devices = ex.store.devices_of_cids(&delivered);
    let message = Message {
        task_id: &task.id,
        vendor: &task.vendor,
        shows_notification: task.shows_notification(),
    };
    let fired = ex.store.deliver(message, devices, ex.now);
    task.status = TaskStatus::SendSuccess;
    task.recipients.clone_from(&fired.reached);
    task.deliveries.add(&fired.deliveries);
    ex.store.list_pushes.push(ListPush {
        task_id: task.id.clone(),
        at: ex.now,
        cids: cids.to_vec(),
        aliases: aliases.to_vec(),
        delivered_to: fired.reached,
        content: task.content.clone(),
        deliveries: fired.deliveries,
    });
    ex.store.dirty = true;
    statuses
}

/// alias → its cids' statuses.
fn alias_detail(
    store: &mut Store,
    aliases: &[String],
    statuses: &Map<String, Value>,
) -> Map<String, Value> {
    aliases
        .iter()
        .map(|alias| {
            let cids: Map<String, Value> = store
                .cids_of_alias(alias)
                .into_iter()
                .filter_map(|cid| statuses.get(&cid).map(|s| (cid.clone(), s.clone())))
                .collect();
            (alias.clone(), Value::Object(cids))
        })
        .collect()
}
