//! [`LegacyClient`]: the [`PushApi`] over the legacy "OpenService" JSON protocol that the
//! official server SDKs (≤ 4.x) speak (`getui-protocol.md` A–E).
//!
//! This file turns domain calls into action bodies and answers into domain values; the
//! transport (`transport`) owns sessions, retries and the wire exchange.

mod transport;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::getui::api::{
    AppPush, ChannelCounts, CidResult, Condition, Delivery, Device, DevicePush, DevicePushOutcome,
    ListPush, ListPushOutcome, ListTargets, Network, PhoneBinding, PreparedPush, PushApi,
    PushReport, PushTime, ScheduledTask, TaskGroupName, TaskId, TaskStatus,
};
use crate::getui::client_data::{DurationForm, EncodedTemplate, encode};
use crate::getui::codes::{CidPnCode, ResultCode};
use crate::getui::conditions::to_wire;
use crate::getui::error::Error;
use crate::getui::retry::RetryLimits;
use crate::getui::sign::Secret;
use crate::getui::template::PushTemplate;
use crate::getui::wire::{self, Action, CidPnResponse};

use transport::{Retry, Transport};

/// How a [`LegacyClient`] reaches Getui. `Debug` shows `***` for the master secret.
#[derive(Clone, Debug)]
pub struct LegacyConfig {
    /// The bootstrap URL, e.g. `https://api.getui.com/apiex.htm`.
    pub host: String,
    pub app_id: String,
    pub app_key: String,
    pub master_secret: Secret,
    /// Timeouts and resends.
    pub retry: RetryLimits,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Getui's limit on a JSON body, in bytes.
    pub body_limit: usize,
}

impl LegacyConfig {
    /// Settings for an app at `host`, with the defaults below.
    pub fn new(host: &str, app_id: &str, app_key: &str, master_secret: Secret) -> LegacyConfig {
        LegacyConfig {
            host: host.to_owned(),
            app_id: app_id.to_owned(),
            app_key: app_key.to_owned(),
            master_secret,
            retry: RetryLimits::default(),
            concurrency: 16,
            body_limit: 25 * 1024,
        }
    }
}

/// The most targets a synchronous list push with details may name (SDK limit).
pub const LIST_PUSH_LIMIT: usize = 1000;

/// The most cids one cid–pn call may carry.
pub const CID_PN_CHUNK: usize = 50;

/// The task group signing in reads the report of: no push of gtcamp's is ever made in it
/// (theirs are named after their occurrence), so its report is zeros or a refusal.
const SIGN_IN_GROUP: &str = "gtcamp-sign-in-check";

/// The legacy protocol client. Cheap to share: wrap it in an `Arc`.
pub struct LegacyClient {
    transport: Transport,
}

impl std::fmt::Debug for LegacyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyClient")
            .field("config", self.transport.config())
            .finish_non_exhaustive()
    }
}

impl LegacyClient {
    pub fn new(config: LegacyConfig) -> Result<LegacyClient, Error> {
        Ok(LegacyClient {
            transport: Transport::new(config)?,
        })
    }

    fn config(&self) -> &LegacyConfig {
        self.transport.config()
    }

    fn encode(&self, template: &PushTemplate) -> Result<EncodedTemplate, Error> {
        let config = self.config();
        encode(
            template,
            &config.app_key,
            &config.app_id,
            DurationForm::Milliseconds,
        )
    }

    /// `getContentIdAction` for a template; `content_type` 1 = list, 2 = app.
    fn content_body(
        &self,
        template: &PushTemplate,
        delivery: &Delivery,
        group: Option<&TaskGroupName>,
        content_type: i64,
    ) -> Result<wire::GetContentId, Error> {
        let encoded = self.encode(template)?;
        Ok(wire::GetContentId {
            task_group_name: group.map(|g| g.as_str().to_owned()),
            client_data: encoded.client_data,
            transmission_content: encoded.transmission_content,
            is_offline: delivery.offline_keep.is_some(),
            offline_expire_time: delivery.offline_keep.map_or(0, |keep| {
                i64::try_from(keep.as_millis()).unwrap_or(i64::MAX)
            }),
            push_network_type: match delivery.network {
                Network::Any => 0,
                Network::WifiOnly => 1,
                Network::MobileOnly => 2,
            },
            push_type: Some(encoded.push_type.to_owned()),
            kind: 2,
            content_type,
            ..wire::GetContentId::default()
        })
    }

    /// `pushMessageToSingleAction` for a push to one device: the template and delivery
    /// encoded as a saved message would be (`getContentIdAction`), the device, and the
    /// attempt as a UUID `requestId` (the SDK sends `uuid1`, 36 characters with dashes).
    pub fn single_body(&self, push: &DevicePush) -> Result<wire::PushToSingle, Error> {
        let content = self.content_body(&push.template, &push.delivery, None, 1)?;
        let (client_id, alias) = match &push.device {
            Device::Cid(cid) => (cid.clone(), String::new()),
            Device::Alias(alias) => (String::new(), alias.clone()),
        };
        Ok(wire::PushToSingle {
            request_id: uuid::Uuid::from_bytes(push.attempt.0)
                .hyphenated()
                .to_string(),
            client_data: content.client_data,
            transmission_content: content.transmission_content,
            is_offline: content.is_offline,
            offline_expire_time: content.offline_expire_time,
            push_network_type: content.push_network_type,
            push_type: content.push_type,
            kind: 2,
            app_id: self.config().app_id.clone(),
            client_id,
            alias,
        })
    }

    /// Saves content and returns its id. Safe to send again: saved content is never sent to
    /// anyone until a push names its id, so a second copy only leaves an unused id.
    async fn content_id(&self, body: &wire::GetContentId) -> Result<String, Error> {
        let answer = self.transport.call(body, Retry::Safe).await?;
        content_id_of(wire::GetContentId::NAME, answer.result, answer.content_id)
    }

    async fn cid_pn<A>(&self, bodies: Vec<A>) -> Result<Vec<CidResult>, Error>
    where
        A: Action<Response = CidPnResponse>,
    {
        let retry = if A::NAME == wire::QueryCidPn::NAME {
            Retry::Safe
        } else {
            Retry::Never
        };
        let mut results = Vec::new();
        for body in bodies {
            let answer = self.transport.call(&body, retry).await?;
            results.extend(cid_results(A::NAME, answer)?);
        }
        Ok(results)
    }
}

fn content_id_of(
    action: &'static str,
    code: ResultCode,
    id: Option<String>,
) -> Result<String, Error> {
    match (code, id) {
        (ResultCode::Ok, Some(id)) if !id.is_empty() => Ok(id),
        (ResultCode::Ok, _) => Err(Error::BadResponse {
            action,
            reason: "`ok` without a task id".into(),
        }),
        (code, _) => Err(Error::Api { action, code }),
    }
}

/// The answer to `pushMessageToSingleAction`: `ok` with a task id, and the status under
/// the device as asked (the legacy answer names no cid).
fn single_outcome(
    device: &Device,
    answer: wire::PushToSingleResponse,
) -> Result<DevicePushOutcome, Error> {
    let task = content_id_of(wire::PushToSingle::NAME, answer.result, answer.task_id)?;
    let target = match device {
        Device::Cid(cid) => cid.clone(),
        Device::Alias(alias) => alias.clone(),
    };
    Ok(DevicePushOutcome {
        task_id: TaskId(task),
        statuses: answer
            .status
            .filter(|status| !status.is_empty())
            .map(|status| BTreeMap::from([(target, status)]))
            .unwrap_or_default(),
    })
}

fn expect_ok(action: &'static str, code: ResultCode) -> Result<(), Error> {
    if code.is_success() {
        Ok(())
    } else {
        Err(Error::Api { action, code })
    }
}

/// The audience of an app push, shaped as gt-push-sdk shapes it: the SDK never sends an
/// empty `conditions`; an app message without conditions (every user) carries the three
/// flat lists instead, empty (`IGeTui.getContentId`). Whether Getui reads an empty
/// `conditions` as everyone is unknown; the SDK's shape is the one known to work (issue 12).
fn set_audience(body: &mut wire::GetContentId, conditions: &[Condition]) {
    if conditions.is_empty() {
        body.conditions = None;
        body.phone_type_list = Some(Vec::new());
        body.province_list = Some(Vec::new());
        body.tag_list = Some(Vec::new());
    } else {
        body.conditions = Some(to_wire(conditions));
    }
}

/// Per-cid results of one cid–pn answer. The overall `result` is an E.2 number; anything
/// else (an E.1 code) with no per-cid entries is an error of the whole call.
fn cid_results(action: &'static str, answer: CidPnResponse) -> Result<Vec<CidResult>, Error> {
    let numeric = answer.result.as_str().bytes().all(|b| b.is_ascii_digit());
    if answer.batch_ret.is_empty() && !numeric {
        return Err(Error::Api {
            action,
            code: answer.result,
        });
    }
    if answer.batch_ret.is_empty() {
        let code = CidPnCode::from_wire(answer.result.as_str());
        if !code.is_success() {
            return Err(Error::Api {
                action,
                code: answer.result,
            });
        }
    }
    Ok(answer
        .batch_ret
        .into_iter()
        .map(|entry| CidResult {
            cid: entry.cid,
            code: entry.code,
            phone_hash: entry.pn,
            extra: entry.extra,
        })
        .collect())
}

fn is_phone_hash(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn scheduled_task(id: &TaskId, answer: wire::ScheduleTaskResponse) -> ScheduledTask {
    ScheduledTask {
        id: answer.task_id.map(TaskId).unwrap_or_else(|| id.clone()),
        status: TaskStatus::from_wire(answer.send_result.as_deref().unwrap_or("")),
        push_time: answer.push_time.as_deref().and_then(PushTime::parse),
        created_ms: answer.creat_time.and_then(|t| t.parse().ok()),
        content: answer.push_content,
    }
}

/// The targets of a list push, cids or aliases.
fn list_targets(push: &ListPush) -> impl Iterator<Item = &String> {
    match &push.targets {
        ListTargets::Cids(targets) | ListTargets::Aliases(targets) => targets.iter(),
    }
}

/// One task of a `getPushMsgResultByTaskidList` answer, its Getui (`GT`) and APNs counters.
fn push_report(entry: wire::TaskResultEntry) -> Option<PushReport> {
    if entry.task_id.is_empty() {
        return None;
    }
    let channels = [("GT", entry.gt), ("APN", entry.apn)]
        .into_iter()
        .map(|(channel, counters)| ChannelCounts {
            channel: channel.to_owned(),
            targeted: None,
            sent: counters.sent,
            arrived: counters.feedback,
            displayed: counters.displayed,
            clicked: counters.clicked,
            losses: Vec::new(),
        })
        .collect();
    Some(PushReport {
        task: TaskId(entry.task_id),
        channels,
    })
}

#[async_trait::async_trait]
impl PushApi for LegacyClient {
    /// `connect` proves the app key and master secret but names no app id, which Getui checks
    /// only on business calls; a read of the report of a group gtcamp never pushes in proves
    /// it. Only a refusal of the credentials fails: any other answer (a report of zeros, a
    /// refusal of the group) means Getui took the app id.
    async fn authenticate(&self) -> Result<(), Error> {
        let body = wire::AppIdCheck(wire::GetPushResultByGroupName {
            app_id: self.config().app_id.clone(),
            group_name: SIGN_IN_GROUP.to_owned(),
        });
        let answer = self.transport.call(&body, Retry::Safe).await?;
        if answer.result.refuses_credentials() {
            return Err(Error::Api {
                action: wire::AppIdCheck::NAME,
                code: answer.result,
            });
        }
        Ok(())
    }

    async fn prepare_scheduled_push(&self, push: &AppPush) -> Result<PreparedPush, Error> {
        let mut body = self.content_body(&push.template, &push.delivery, push.group.as_ref(), 2)?;
        body.app_id_list = Some(vec![self.config().app_id.clone()]);
        set_audience(&mut body, &push.conditions);
        body.speed = Some(i64::from(push.delivery.speed.unwrap_or(0)));
        body.push_time = Some(Value::String(push.push_time.wire()));
        Ok(PreparedPush::Task(TaskId(self.content_id(&body).await?)))
    }

    /// Pushes the saved content; the scheduled task's id is the content id (B.3, B.6).
    async fn send_scheduled_push(
        &self,
        _push: &AppPush,
        prepared: &PreparedPush,
    ) -> Result<TaskId, Error> {
        let PreparedPush::Task(content_id) = prepared else {
            return Err(Error::InvalidRequest {
                reason: format!("the legacy protocol pushes saved content, not a {prepared}"),
            });
        };
        let push_body = wire::PushToApp {
            content_id: content_id.0.clone(),
            kind: 2,
        };
        let answer = self.transport.call(&push_body, Retry::Never).await?;
        expect_ok(wire::PushToApp::NAME, answer.result)?;
        Ok(answer.content_id.map_or_else(|| content_id.clone(), TaskId))
    }

    async fn scheduled_task(&self, id: &TaskId) -> Result<ScheduledTask, Error> {
        let body = wire::GetScheduleTask {
            app_id: self.config().app_id.clone(),
            task_id: id.0.clone(),
        };
        let answer = self.transport.call(&body, Retry::Safe).await?;
        expect_ok(wire::GetScheduleTask::NAME, answer.result.clone())?;
        Ok(scheduled_task(id, answer))
    }

    async fn delete_scheduled_task(&self, id: &TaskId) -> Result<(), Error> {
        let body = wire::DelScheduleTask {
            app_id: self.config().app_id.clone(),
            task_id: id.0.clone(),
        };
        let answer = self.transport.call(&body, Retry::Never).await?;
        expect_ok(wire::DelScheduleTask::NAME, answer.result)
    }

    async fn stop_task(&self, id: &TaskId) -> Result<(), Error> {
        let body = wire::StopTask {
            content_id: id.0.clone(),
        };
        let answer = self.transport.call(&body, Retry::Never).await?;
        expect_ok(wire::StopTask::NAME, answer.result)
    }

    async fn prepare_list_push(&self, push: &ListPush) -> Result<TaskId, Error> {
        let count = list_targets(push).count();
        if count == 0 || count > LIST_PUSH_LIMIT {
            return Err(Error::InvalidRequest {
                reason: format!("a list push needs 1 to {LIST_PUSH_LIMIT} targets, not {count}"),
            });
        }
        let body = self.content_body(&push.template, &push.delivery, push.group.as_ref(), 1)?;
        Ok(TaskId(self.content_id(&body).await?))
    }

    async fn send_list_push(
        &self,
        push: &ListPush,
        message: &TaskId,
    ) -> Result<ListPushOutcome, Error> {
        let (cids, aliases) = match &push.targets {
            ListTargets::Cids(cids) => (cids.clone(), Vec::new()),
            ListTargets::Aliases(aliases) => (Vec::new(), aliases.clone()),
        };
        let list_body = wire::PushToList {
            content_id: message.0.clone(),
            need_details: true,
            is_async: false,
            need_alias_details: None,
            app_id: Some(self.config().app_id.clone()),
            client_id_list: cids,
            alias_list: aliases,
            kind: 2,
        };
        let answer = self.transport.call(&list_body, Retry::Never).await?;
        expect_ok(wire::PushToList::NAME, answer.result)?;
        let details = match answer.details {
            Some(Value::Object(map)) => map
                .into_iter()
                .map(|(target, status)| {
                    let status = status
                        .as_str()
                        .map_or_else(|| status.to_string(), str::to_owned);
                    (target, status)
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        Ok(ListPushOutcome {
            task_id: answer.content_id.map_or_else(|| message.clone(), TaskId),
            details,
        })
    }

    fn report_batch(&self) -> usize {
        crate::getui::api::REPORT_BATCH
    }

    /// The legacy protocol has no detail report.
    async fn push_report_detail(&self, _id: &TaskId) -> Result<Option<PushReport>, Error> {
        Ok(None)
    }

    async fn push_reports(&self, ids: &[TaskId]) -> Result<Vec<PushReport>, Error> {
        let body = wire::GetPushMsgResultByTaskidList {
            task_id_list: ids.iter().map(|id| id.0.clone()).collect(),
            action_id_list: None,
        };
        let answer = self.transport.call(&body, Retry::Safe).await?;
        expect_ok(
            wire::GetPushMsgResultByTaskidList::NAME,
            answer.result.clone(),
        )?;
        Ok(answer
            .result_list
            .into_iter()
            .filter_map(push_report)
            .collect())
    }

    async fn bind_phones(&self, pairs: &[PhoneBinding]) -> Result<Vec<CidResult>, Error> {
        if let Some(bad) = pairs.iter().find(|p| !is_phone_hash(&p.phone_hash)) {
            return Err(Error::InvalidRequest {
                reason: format!(
                    "the phone of cid `{}` is not an md5 hash (32 lower-case hex); clear numbers are never sent",
                    bad.cid
                ),
            });
        }
        let bodies = pairs
            .chunks(CID_PN_CHUNK)
            .map(|chunk| wire::BindCidPn {
                app_id: self.config().app_id.clone(),
                cidpnlist: chunk
                    .iter()
                    .map(|p| (p.cid.clone(), p.phone_hash.clone()))
                    .collect(),
            })
            .collect();
        self.cid_pn(bodies).await
    }

    async fn unbind_phones(&self, cids: &[String]) -> Result<Vec<CidResult>, Error> {
        let bodies = cids
            .chunks(CID_PN_CHUNK)
            .map(|chunk| wire::UnbindCidPn {
                app_id: self.config().app_id.clone(),
                cids: chunk.to_vec(),
            })
            .collect();
        self.cid_pn(bodies).await
    }

    async fn query_phones(&self, cids: &[String]) -> Result<Vec<CidResult>, Error> {
        let bodies = cids
            .chunks(CID_PN_CHUNK)
            .map(|chunk| wire::QueryCidPn {
                app_id: self.config().app_id.clone(),
                cids: chunk.to_vec(),
            })
            .collect();
        self.cid_pn(bodies).await
    }

    async fn count_users(&self, conditions: &[Condition]) -> Result<u64, Error> {
        let body = wire::QueryUserCount {
            app_id: self.config().app_id.clone(),
            conditions: to_wire(conditions),
        };
        let answer = self.transport.call(&body, Retry::Safe).await?;
        expect_ok(wire::QueryUserCount::NAME, answer.result)?;
        let count = answer.count.ok_or_else(|| Error::BadResponse {
            action: wire::QueryUserCount::NAME,
            reason: "no count in the answer".into(),
        })?;
        u64::try_from(count).map_err(|_| Error::BadResponse {
            action: wire::QueryUserCount::NAME,
            reason: format!("negative count {count}"),
        })
    }

    async fn push_to_device(&self, push: &DevicePush) -> Result<DevicePushOutcome, Error> {
        let body = self.single_body(push)?;
        let answer = self.transport.call(&body, Retry::Never).await?;
        single_outcome(&push.device, answer)
    }

    async fn bind_alias(&self, alias: &str, cid: &str) -> Result<(), Error> {
        let body = wire::AliasBind {
            appid: self.config().app_id.clone(),
            alias: alias.to_owned(),
            cid: cid.to_owned(),
        };
        let answer = self.transport.call(&body, Retry::Never).await?;
        expect_ok(wire::AliasBind::NAME, answer.result)
    }

    async fn cids_of_alias(&self, alias: &str) -> Result<Vec<String>, Error> {
        let body = wire::AliasQuery {
            appid: self.config().app_id.clone(),
            alias: Some(alias.to_owned()),
            cid: None,
        };
        let answer = self.transport.call(&body, Retry::Safe).await?;
        expect_ok(wire::AliasQuery::NAME, answer.result)?;
        Ok(answer.cidlist.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::getui::api::{Attempt, Device, DevicePush};
    use crate::getui::template::TemplateKind;

    fn client() -> LegacyClient {
        let config = LegacyConfig::new(
            "http://127.0.0.1:9/apiex.htm",
            "app",
            "key",
            Secret::new("secret"),
        );
        LegacyClient::new(config).expect("a client")
    }

    fn push(device: Device) -> DevicePush {
        DevicePush {
            template: PushTemplate {
                transmission_content: "{\"sale\":\"spring\"}".into(),
                ..PushTemplate::new(TemplateKind::Transmission)
            },
            delivery: Delivery {
                offline_keep: Some(std::time::Duration::from_secs(3600)),
                network: Network::WifiOnly,
                speed: None,
            },
            device,
            attempt: Attempt([0xab; 16]),
        }
    }

    #[test]
    fn a_single_push_carries_what_the_saved_message_of_the_same_push_does() {
        let client = client();
        let single = push(Device::Cid("cid1".into()));
        let body = client.single_body(&single).expect("a body");
        let saved = client
            .content_body(&single.template, &single.delivery, None, 1)
            .expect("a saved message");
        assert_eq!(
            (
                &body.client_data,
                &body.transmission_content,
                body.is_offline,
                body.offline_expire_time,
                body.push_network_type,
                &body.push_type,
            ),
            (
                &saved.client_data,
                &saved.transmission_content,
                saved.is_offline,
                saved.offline_expire_time,
                saved.push_network_type,
                &saved.push_type,
            )
        );
        let json = serde_json::to_value(&body).expect("JSON");
        assert_eq!(json["requestId"], "abababab-abab-abab-abab-abababababab");
        assert_eq!(json["clientId"], "cid1");
        assert_eq!(json["alias"], "");
        assert_eq!(json["appId"], "app");
        assert_eq!(json["type"], 2);
        assert!(json.get("taskGroupName").is_none(), "{json}");
    }

    #[test]
    fn a_single_push_to_an_alias_sends_an_empty_client_id() {
        let body = client()
            .single_body(&push(Device::Alias("qa_team".into())))
            .expect("a body");
        assert_eq!(
            (body.client_id.as_str(), body.alias.as_str()),
            ("", "qa_team")
        );
    }

    #[test]
    fn the_single_answer_reads_its_task_and_status_or_its_refusal() {
        let device = Device::Alias("qa_team".into());
        let answer = |json: serde_json::Value| {
            single_outcome(&device, serde_json::from_value(json).expect("an answer"))
        };
        let sent = answer(serde_json::json!({
            "result": "ok", "taskId": "OSS-0302_abc", "status": "successed_offline"
        }))
        .expect("sent");
        assert_eq!(sent.task_id, TaskId("OSS-0302_abc".into()));
        assert_eq!(
            sent.statuses,
            BTreeMap::from([("qa_team".to_owned(), "successed_offline".to_owned())])
        );
        assert!(sent.delivered());
        let refused = answer(serde_json::json!({"result": "AppidError"})).unwrap_err();
        assert_eq!(
            refused.code_words().as_deref(),
            Some("AppidError (the client id is bound to another app id)")
        );
    }
}
