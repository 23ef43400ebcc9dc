//! [`V2Client`]: the [`PushApi`] over Getui's REST API V2 (`getui-protocol.md` F).
//!
//! [`wire`] holds every body and path, [`codes`] the result codes, [`regions`] the region
//! table V2 conditions need, [`body`] the translation of domain requests into bodies, and the
//! transport the token, retries and host switches.
//!
//! # A lost answer, and why a push is never sent twice
//!
//! Every push is sent once and never retried by the transport: if it may have reached
//! Getui and no answer came back (a timeout, a reset connection, a 5xx, an unreadable
//! answer), the client returns [`Error::OutcomeUnknown`]. What settles it rests only on
//! what V2 documents (`getui-protocol.md` F.7: no call lists tasks by group or maps a
//! `request_id` to a task):
//!
//! - An app push (`/push/all`, `/push/tag`) is prepared as its `request_id`
//!   ([`PreparedPush::Request`]): 32 hex characters of sha256 of the task group name
//!   (occurrence + fingerprint) and of the attempt `apply` journaled
//!   ([`crate::getui::api::Attempt`]). `apply` journals it before the push, and settles a
//!   lost answer by sending the **same** request again: Getui drops a repeated
//!   `request_id`, so at most one task exists. The task id in the answer is then read back
//!   with `GET /task/schedule/{id}` before it is recorded, since how Getui answers a
//!   dropped repeat is undocumented.
//! - A list push is prepared as its saved message (`/push/list/message`), whose task id the
//!   push keeps; a lost answer to `/push/list/cid` or `/push/list/alias` is settled by the
//!   task's report (`GET /report/push/task/{id}`), which proves a send only by counting one.
//!
//! Phone bindings (cid–pn) do not exist on V2: [`V2Client`] refuses them without a request;
//! the target layer sends them to a legacy endpoint when one is configured.

pub mod body;
pub mod regions;
mod transport;
pub mod wire;
pub mod wire_extra;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::getui::api::{
    AppPush, ChannelCounts, CidResult, Condition, Device, DevicePush, DevicePushOutcome, ListPush,
    ListPushOutcome, ListTargets, Loss, PhoneBinding, PreparedPush, PushApi, PushReport, PushTime,
    ScheduledTask, TaskId, TaskStatus,
};
use crate::getui::error::Error;
use crate::getui::retry::{Retry, RetryLimits};
use crate::getui::sign::Secret;

/// The V2 result codes. They live in a leaf beside `error` (which names them) so that
/// `error` need not import this module, which imports `error`.
pub use crate::getui::v2_codes as codes;
pub use codes::Code;
use transport::Transport;
use wire::{
    Audience, AudienceSelect, BindAliasRequest, CidAlias, CidsOfAliasData, Endpoint, ListPushData,
    ListPushRequest, ScheduleTaskData, TaskIdData, TaskReportData, UserCountData, UserCountRequest,
};

/// The V2 endpoint prefix before `/{app_id}` when a target names none.
pub const DEFAULT_ENDPOINT: &str = "https://restapi.getui.com/v2";

/// How a [`V2Client`] reaches Getui. `Debug` shows `***` for the master secret.
#[derive(Clone, Debug)]
pub struct V2Config {
    /// The prefix before `/{app_id}`, e.g. `https://restapi.getui.com/v2`.
    pub endpoint: String,
    pub app_id: String,
    pub app_key: String,
    pub master_secret: Secret,
    /// Timeouts and resends, as for the legacy client.
    pub retry: RetryLimits,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The clock that signs `/auth` and decides when the token is renewed; tests pin it.
    /// (The system clock, like the legacy `connect`: Getui checks the sign's timestamp
    /// against its own.)
    pub clock: fn() -> DateTime<Utc>,
}

impl V2Config {
    /// Settings for an app under `endpoint_prefix`, with the same defaults as the legacy
    /// client.
    pub fn new(
        endpoint_prefix: &str,
        app_id: &str,
        app_key: &str,
        master_secret: Secret,
    ) -> V2Config {
        V2Config {
            endpoint: endpoint_prefix.trim_end_matches('/').to_owned(),
            app_id: app_id.to_owned(),
            app_key: app_key.to_owned(),
            master_secret,
            retry: RetryLimits::default(),
            concurrency: 16,
            clock: Utc::now,
        }
    }
}

/// The `/auth` sign: lower-case hex sha256 of `app_key + timestamp_ms + master_secret` (F.1).
/// The client signs with it and the emulator checks with it.
pub fn auth_sign(app_key: &str, timestamp_ms: i64, master_secret: &Secret) -> String {
    let mut sha = Sha256::new();
    sha.update(app_key.as_bytes());
    sha.update(timestamp_ms.to_string().as_bytes());
    sha.update(master_secret.expose().as_bytes());
    hex::encode(sha.finalize())
}

/// The REST V2 client. Cheap to share: wrap it in an `Arc`.
pub struct V2Client {
    transport: Transport,
}

impl std::fmt::Debug for V2Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("V2Client")
            .field("config", self.transport.config())
            .finish_non_exhaustive()
    }
}

/// Why [`V2Client`] refuses phone bindings.
const NO_BINDINGS: &str = "REST V2 has no cid–pn (phone) binding; give the target a legacy `bindings_endpoint` to bind phones";

impl V2Client {
    pub fn new(config: V2Config) -> Result<V2Client, Error> {
        if config.app_id.trim().is_empty() {
            return Err(Error::InvalidRequest {
                reason: "a REST V2 target needs an app id".into(),
            });
        }
        Ok(V2Client {
            transport: Transport::new(config)?,
        })
    }

    pub fn config(&self) -> &V2Config {
        self.transport.config()
    }
}

/// The endpoint and body of a scheduled app push: `/push/all` without conditions,
/// `/push/tag` with them.
pub fn app_push_request(push: &AppPush) -> Result<(Endpoint, wire::PushRequest), Error> {
    let mut body = body::push_request(&push.template, &push.delivery, push.group.as_ref())?;
    let at = push
        .push_time
        .beijing()
        .ok_or_else(|| Error::InvalidRequest {
            reason: format!(
                "the push time {} does not exist in Beijing time",
                push.push_time.wire()
            ),
        })?;
    if let Some(settings) = body.settings.as_mut() {
        settings.schedule_time = Some(at.timestamp_millis());
    }
    let endpoint = if push.conditions.is_empty() {
        body.audience = Some(Audience::all());
        Endpoint::PushAll
    } else {
        body.audience = Some(Audience::Select(AudienceSelect {
            tag: Some(body::conditions(&push.conditions)?),
            ..AudienceSelect::default()
        }));
        Endpoint::PushTag
    };
    Ok((
        endpoint,
        body::with_request_id(body, push.group.as_ref(), push.attempt),
    ))
}

/// The bodies of a list push: the list message, then the push to its targets (whose
/// `taskid` is filled in once the message is saved).
pub fn list_push_requests(
    push: &ListPush,
) -> Result<(wire::PushRequest, Endpoint, ListPushRequest), Error> {
    let (endpoint, targets, audience) = match &push.targets {
        ListTargets::Cids(cids) => (
            Endpoint::ListCid,
            cids.len(),
            AudienceSelect {
                cid: Some(cids.clone()),
                ..AudienceSelect::default()
            },
        ),
        ListTargets::Aliases(aliases) => (
            Endpoint::ListAlias,
            aliases.len(),
            AudienceSelect {
                alias: Some(aliases.clone()),
                ..AudienceSelect::default()
            },
        ),
    };
    if targets == 0 || targets > wire::LIST_CHUNK {
        return Err(Error::InvalidRequest {
            reason: format!(
                "a list push needs 1 to {} targets, not {targets}",
                wire::LIST_CHUNK
            ),
        });
    }
    let message = body::push_request(&push.template, &push.delivery, push.group.as_ref())?;
    let message = body::with_request_id(message, push.group.as_ref(), push.attempt);
    let send = ListPushRequest {
        audience,
        taskid: String::new(),
        is_async: false,
        need_alias_detail: None,
    };
    Ok((message, endpoint, send))
}

/// The endpoint and body of a push to one device: `/push/single/cid` or
/// `/push/single/alias`, the message as a list or app push carries it
/// ([`body::push_request`]) without a task group, and the attempt as the `request_id` (32
/// lower-case hex digits).
pub fn device_push_request(push: &DevicePush) -> Result<(Endpoint, wire::PushRequest), Error> {
    let mut body = body::push_request(&push.template, &push.delivery, None)?;
    let (endpoint, audience) = match &push.device {
        Device::Cid(cid) => (
            Endpoint::SingleCid,
            AudienceSelect {
                cid: Some(vec![cid.clone()]),
                ..AudienceSelect::default()
            },
        ),
        Device::Alias(alias) => (
            Endpoint::SingleAlias,
            AudienceSelect {
                alias: Some(vec![alias.clone()]),
                ..AudienceSelect::default()
            },
        ),
    };
    body.audience = Some(Audience::Select(audience));
    body.request_id = hex::encode(push.attempt.0);
    Ok((endpoint, body))
}

fn task_id_of(action: &'static str, data: TaskIdData) -> Result<TaskId, Error> {
    if data.taskid.is_empty() {
        return Err(Error::BadResponse {
            action,
            reason: "success without a task id".into(),
        });
    }
    Ok(TaskId(data.taskid))
}

/// A V2 `push_time`: Unix milliseconds (what gtcamp reads V2 to send), or `yyyyMMddHHmm`,
/// or `yyyy-MM-dd HH:mm:ss` in Beijing time.
fn push_time_of(text: &str) -> Option<PushTime> {
    let text = text.trim();
    if text.len() == 12 {
        return PushTime::parse(text);
    }
    if let Ok(ms) = text.parse::<i64>() {
        return PushTime::at(&Utc.timestamp_millis_opt(ms).single()?).ok();
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").ok()?;
    PushTime::at(&Shanghai.from_local_datetime(&local).single()?).ok()
}

/// The task of a `/task/schedule/{id}` answer: the entry under `id`, or the only one.
fn scheduled_task(id: &TaskId, mut data: ScheduleTaskData) -> Result<ScheduledTask, Error> {
    let entry = match data.remove(id.as_str()) {
        Some(entry) => entry,
        None if data.len() == 1 => data.into_values().next().unwrap_or_default(),
        None => {
            return Err(Error::BadResponse {
                action: Endpoint::ScheduleTask(String::new()).name(),
                reason: format!("no entry for task `{id}`"),
            });
        }
    };
    let status = entry.send_result.or(entry.status).unwrap_or_default();
    Ok(ScheduledTask {
        id: id.clone(),
        status: TaskStatus::from_wire(&status),
        push_time: entry.push_time.as_deref().and_then(push_time_of),
        created_ms: entry.create_time.and_then(|t| t.trim().parse().ok()),
        content: entry.transmission_content,
    })
}

/// One task of a `/report/push/task` answer: its channels (`total`, `gt`, a vendor's).
fn push_report((task, channels): (String, wire::ChannelReports)) -> PushReport {
    let channels = channels
        .into_iter()
        .map(|(channel, counts)| ChannelCounts {
            losses: losses(&counts.extra),
            channel,
            targeted: counts.target_num,
            sent: counts.msg_num,
            arrived: counts.receive_num,
            displayed: counts.display_num,
            clicked: counts.click_num,
        })
        .collect();
    PushReport {
        task: TaskId(task),
        channels,
    }
}

/// The loss reasons beside a channel's figures (a detail report's `d6`, `d10`…): a key that
/// names one and holds a count, whether written as a number or as text.
fn losses(extra: &Map<String, Value>) -> Vec<Loss> {
    extra
        .iter()
        .filter(|(key, _)| Loss::is_code(key))
        .filter_map(|(key, value)| {
            let count = match value {
                Value::Number(n) => n.as_u64()?,
                Value::String(text) => text.trim().parse().ok()?,
                _ => return None,
            };
            Some(Loss {
                code: key.clone(),
                count,
            })
        })
        .collect()
}

/// Per target, its delivery status from a list push's `data`.
fn list_details(data: ListPushData) -> BTreeMap<String, String> {
    data.into_values()
        .flat_map(Map::into_iter)
        .map(|(target, status)| {
            let status = match status {
                Value::String(text) => text,
                other => other.to_string(),
            };
            (target, status)
        })
        .collect()
}

#[async_trait::async_trait]
impl PushApi for V2Client {
    async fn authenticate(&self) -> Result<(), Error> {
        self.transport.sign_in().await
    }

    async fn prepare_scheduled_push(&self, push: &AppPush) -> Result<PreparedPush, Error> {
        let (_, body) = app_push_request(push)?;
        Ok(PreparedPush::Request(body.request_id))
    }

    /// Sends the push under its prepared `request_id`, so that a repeat is Getui's to drop.
    async fn send_scheduled_push(
        &self,
        push: &AppPush,
        prepared: &PreparedPush,
    ) -> Result<TaskId, Error> {
        let PreparedPush::Request(request_id) = prepared else {
            return Err(Error::InvalidRequest {
                reason: format!("a REST V2 app push is sent under a request_id, not a {prepared}"),
            });
        };
        let (endpoint, mut body) = app_push_request(push)?;
        body.request_id.clone_from(request_id);
        let data: TaskIdData = self
            .transport
            .call(&endpoint, Some(&body), Retry::Never)
            .await?;
        task_id_of(endpoint.name(), data)
    }

    async fn scheduled_task(&self, id: &TaskId) -> Result<ScheduledTask, Error> {
        let data: ScheduleTaskData = self
            .transport
            .call(
                &Endpoint::ScheduleTask(id.0.clone()),
                None::<&()>,
                Retry::Safe,
            )
            .await?;
        scheduled_task(id, data)
    }

    async fn delete_scheduled_task(&self, id: &TaskId) -> Result<(), Error> {
        let endpoint = Endpoint::DeleteScheduleTask(id.0.clone());
        let _: IgnoredAny = self
            .transport
            .call(&endpoint, None::<&()>, Retry::Never)
            .await?;
        Ok(())
    }

    async fn stop_task(&self, id: &TaskId) -> Result<(), Error> {
        let endpoint = Endpoint::StopTask(id.0.clone());
        let _: IgnoredAny = self
            .transport
            .call(&endpoint, None::<&()>, Retry::Never)
            .await?;
        Ok(())
    }

    async fn prepare_list_push(&self, push: &ListPush) -> Result<TaskId, Error> {
        let (message, _, _) = list_push_requests(push)?;
        // Saving the message is safe to resend: it goes to nobody until a list push names it,
        // and its `request_id` makes a second copy the first.
        let saved: TaskIdData = self
            .transport
            .call(&Endpoint::ListMessage, Some(&message), Retry::Safe)
            .await?;
        task_id_of(Endpoint::ListMessage.name(), saved)
    }

    async fn send_list_push(
        &self,
        push: &ListPush,
        message: &TaskId,
    ) -> Result<ListPushOutcome, Error> {
        let (_, endpoint, mut send) = list_push_requests(push)?;
        send.taskid.clone_from(&message.0);
        let data: Option<ListPushData> = self
            .transport
            .call(&endpoint, Some(&send), Retry::Never)
            .await?;
        Ok(ListPushOutcome {
            task_id: message.clone(),
            details: list_details(data.unwrap_or_default()),
        })
    }

    /// `GET /report/push/task/{ids}`, [`wire::MAX_REPORT_TASKS`] ids a call.
    async fn push_reports(&self, ids: &[TaskId]) -> Result<Vec<PushReport>, Error> {
        let mut reports = Vec::new();
        for chunk in ids.chunks(wire::MAX_REPORT_TASKS) {
            let endpoint = Endpoint::TaskReport(chunk.iter().map(|id| id.0.clone()).collect());
            let data: Option<TaskReportData> = self
                .transport
                .call(&endpoint, None::<&()>, Retry::Safe)
                .await?;
            reports.extend(data.unwrap_or_default().into_iter().map(push_report));
        }
        Ok(reports)
    }

    fn report_batch(&self) -> usize {
        wire::MAX_REPORT_TASKS
    }

    /// `GET /report/push/task/{id}/detail`: the task's figures with the loss reasons.
    async fn push_report_detail(&self, id: &TaskId) -> Result<Option<PushReport>, Error> {
        let endpoint = Endpoint::TaskReportDetail(id.0.clone());
        let data: Option<TaskReportData> = self
            .transport
            .call(&endpoint, None::<&()>, Retry::Safe)
            .await?;
        let mut reports = data.unwrap_or_default().into_iter().map(push_report);
        Ok(reports.find(|report| report.task == *id))
    }

    async fn bind_phones(&self, _pairs: &[PhoneBinding]) -> Result<Vec<CidResult>, Error> {
        Err(Error::InvalidRequest {
            reason: NO_BINDINGS.to_owned(),
        })
    }

    async fn unbind_phones(&self, _cids: &[String]) -> Result<Vec<CidResult>, Error> {
        Err(Error::InvalidRequest {
            reason: NO_BINDINGS.to_owned(),
        })
    }

    async fn query_phones(&self, _cids: &[String]) -> Result<Vec<CidResult>, Error> {
        Err(Error::InvalidRequest {
            reason: NO_BINDINGS.to_owned(),
        })
    }

    async fn count_users(&self, conditions: &[Condition]) -> Result<u64, Error> {
        let body = UserCountRequest {
            tag: body::conditions(conditions)?,
        };
        let data: UserCountData = self
            .transport
            .call(&Endpoint::UserCount, Some(&body), Retry::Safe)
            .await?;
        u64::try_from(data.user_count).map_err(|_| Error::BadResponse {
            action: Endpoint::UserCount.name(),
            reason: format!("negative count {}", data.user_count),
        })
    }

    /// `data` is `{taskid: {cid: status}}`, for an alias its cids (F.3).
    async fn push_to_device(&self, push: &DevicePush) -> Result<DevicePushOutcome, Error> {
        let (endpoint, body) = device_push_request(push)?;
        let data: Option<ListPushData> = self
            .transport
            .call(&endpoint, Some(&body), Retry::Never)
            .await?;
        let data = data.unwrap_or_default();
        let task_id = data
            .keys()
            .next()
            .cloned()
            .ok_or_else(|| Error::BadResponse {
                action: endpoint.name(),
                reason: "success without a task id".into(),
            })?;
        Ok(DevicePushOutcome {
            task_id: TaskId(task_id),
            statuses: list_details(data),
        })
    }

    async fn bind_alias(&self, alias: &str, cid: &str) -> Result<(), Error> {
        let body = BindAliasRequest {
            data_list: vec![CidAlias {
                cid: cid.to_owned(),
                alias: alias.to_owned(),
            }],
        };
        let _: IgnoredAny = self
            .transport
            .call(&Endpoint::BindAlias, Some(&body), Retry::Never)
            .await?;
        Ok(())
    }

    async fn cids_of_alias(&self, alias: &str) -> Result<Vec<String>, Error> {
        let data: Option<CidsOfAliasData> = self
            .transport
            .call(
                &Endpoint::CidsOfAlias(alias.to_owned()),
                None::<&()>,
                Retry::Safe,
            )
            .await?;
        Ok(data.map(|d| d.cid).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests;
