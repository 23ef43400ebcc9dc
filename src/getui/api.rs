//! The [`PushApi`] trait: what gtcamp asks of Getui, in domain terms.
//!
//! The trait is object-safe (through `async-trait`) rather than generic: `apply` picks the
//! implementation at run time (the legacy protocol against Getui or the embedded emulator,
//! later REST V2), and one boxed call per remote operation costs nothing next to a network
//! round trip.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Asia::Shanghai;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::getui::codes::{CidPnCode, ResultCode};
use crate::getui::error::Error;
use crate::getui::template::PushTemplate;

// The audience types live with their wire translation; every `PushApi` call names them here.
pub use crate::getui::conditions::{Combine, Condition, Dimension};

/// The Getui operations gtcamp needs.
///
/// A push is made in two steps, so that what names it can be journaled between them: a lost
/// answer to the send is then settled by asking Getui about that name (`getScheduleTask`, a
/// push report), or by repeating the request under it, never by sending something new.
#[async_trait::async_trait]
pub trait PushApi: Send + Sync {
    /// Signs in and makes sure the app id belongs to the credentials, so that a run learns
    /// of refused credentials, an unknown app id or an endpoint that does not answer before
    /// it plans or writes anything. Reads nothing a plan uses; safe to repeat.
    async fn authenticate(&self) -> Result<(), Error>;
    /// Names a scheduled app push before anything is sent: legacy saves its content
    /// (`getContentIdAction`), whose id the task will have; REST V2 draws the `request_id`.
    /// Nothing reaches a device, so this is safe to repeat.
    async fn prepare_scheduled_push(&self, push: &AppPush) -> Result<PreparedPush, Error>;
    /// Sends a prepared app push; returns its task id. Never retried after sending.
    async fn send_scheduled_push(
        &self,
        push: &AppPush,
        prepared: &PreparedPush,
    ) -> Result<TaskId, Error>;
    /// Both steps at once, for callers that journal nothing in between.
    async fn create_scheduled_push(&self, push: &AppPush) -> Result<TaskId, Error> {
        let prepared = self.prepare_scheduled_push(push).await?;
        self.send_scheduled_push(push, &prepared).await
    }
    /// Reads a scheduled task.
    async fn scheduled_task(&self, id: &TaskId) -> Result<ScheduledTask, Error>;
    /// Deletes a scheduled task that has not fired.
    async fn delete_scheduled_task(&self, id: &TaskId) -> Result<(), Error>;
    /// Stops a running list or app push.
    async fn stop_task(&self, id: &TaskId) -> Result<(), Error>;
    /// Saves the message of a list push; returns the task id the push will have. Nothing
    /// reaches a device, so this is safe to repeat.
    async fn prepare_list_push(&self, push: &ListPush) -> Result<TaskId, Error>;
    /// Sends a saved list message to the push's targets now. Never retried after sending.
    async fn send_list_push(
        &self,
        push: &ListPush,
        message: &TaskId,
    ) -> Result<ListPushOutcome, Error>;
    /// Both steps at once, for callers that journal nothing in between.
    async fn push_to_list(&self, push: &ListPush) -> Result<ListPushOutcome, Error> {
        let message = self.prepare_list_push(push).await?;
        self.send_list_push(push, &message).await
    }
    /// Getui's push report of each task it has one for: counters, which lag behind a push.
    /// At most [`PushApi::report_batch`] ids make one call.
    async fn push_reports(&self, ids: &[TaskId]) -> Result<Vec<PushReport>, Error>;
    /// How many task ids one report call names (REST V2: 200, F.4; else [`REPORT_BATCH`]).
    fn report_batch(&self) -> usize;
    /// The detail report of one task: its figures with the reasons pushes were lost, per
    /// channel, where Getui gives them (REST V2 only; `None` where the protocol has none).
    async fn push_report_detail(&self, id: &TaskId) -> Result<Option<PushReport>, Error>;
    /// Binds cids to phone hashes (any number; sent 50 a call).
    async fn bind_phones(&self, pairs: &[PhoneBinding]) -> Result<Vec<CidResult>, Error>;
    /// Removes the phone bindings of cids (any number; sent 50 a call).
    async fn unbind_phones(&self, cids: &[String]) -> Result<Vec<CidResult>, Error>;
    /// Reads the phone bindings of cids (any number; sent 50 a call).
    async fn query_phones(&self, cids: &[String]) -> Result<Vec<CidResult>, Error>;
    /// How many users match the conditions.
    async fn count_users(&self, conditions: &[Condition]) -> Result<u64, Error>;
    /// Sends a message to one device (a cid, or the devices of an alias) at once: legacy
    /// `pushMessageToSingleAction`, REST V2 `/push/single/cid` or `/push/single/alias`. No
    /// task group and nothing saved first: `gtcamp send-test` uses it, and its pushes must
    /// never be counted in a campaign's reports. Never retried after sending.
    ///
    /// The default refuses without a request: only the protocol clients (and what routes to
    /// them) can send one, and a stand-in that forgets to must not pass for having sent.
    async fn push_to_device(&self, push: &DevicePush) -> Result<DevicePushOutcome, Error> {
        Err(Error::InvalidRequest {
            reason: format!(
                "this connection cannot push to a single device ({})",
                push.device
            ),
        })
    }
    /// Gives a cid an alias.
    async fn bind_alias(&self, alias: &str, cid: &str) -> Result<(), Error>;
    /// The cids bound to an alias.
    async fn cids_of_alias(&self, alias: &str) -> Result<Vec<String>, Error>;
}

/// What names a push between the step that prepares it and the one that sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreparedPush {
    /// The push becomes the task of this id (legacy: the saved content's id), so reading the
    /// task tells whether it was made.
    Task(TaskId),
    /// The push is known by the `request_id` it is sent with (REST V2). Getui drops a
    /// repeat of it, and no read maps it to a task: its task id is learnt only from an
    /// answer to the request.
    Request(String),
}

impl fmt::Display for PreparedPush {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PreparedPush::Task(id) => write!(f, "task {id}"),
            PreparedPush::Request(id) => write!(f, "request_id {id}"),
        }
    }
}

/// How many task ids a report call names when the protocol sets no bound of its own. The
/// legacy `getPushMsgResultByTaskidList` documents none; 200 is V2's.
pub const REPORT_BATCH: usize = 200;

/// Getui's push report of one task: per channel, what it counted so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushReport {
    pub task: TaskId,
    pub channels: Vec<ChannelCounts>,
}

impl PushReport {
    /// Whether the report counts anything at all: only then does it prove the push went out.
    /// All zeros proves nothing, since reports lag behind a push.
    pub fn shows_a_send(&self) -> bool {
        self.channels.iter().any(ChannelCounts::any)
    }
}

/// The counters of one channel of a report (Getui's own, APNs, a phone maker's, or the
/// total), each as Getui gave it; `None` where it gave none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelCounts {
    /// The channel as Getui names it (`GT`, `APN`, `total`, `gt`, `hw`, …).
    pub channel: String,
    /// Devices the push was meant for.
    pub targeted: Option<u64>,
    /// Messages sent to devices.
    pub sent: Option<u64>,
    /// Messages that arrived.
    pub arrived: Option<u64>,
    pub displayed: Option<u64>,
    pub clicked: Option<u64>,
    /// Pushes lost, by Getui's reason code (`d6`, `d10`…), from a detail report.
    pub losses: Vec<Loss>,
}

/// A loss reason of a REST V2 detail report, as a key beside the figures of a channel: `d`
/// and a number. Only two are documented (protocol notes H); the rest are shown by their key.
pub const LOSS_OVER_QUOTA: &str = "d6";
pub const LOSS_NOTIFICATIONS_OFF: &str = "d10";

/// Pushes a detail report counts as lost for one reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    /// Getui's key for the reason: `d` and a number.
    pub code: String,
    pub count: u64,
}

impl Loss {
    /// The reason in words, for the codes Getui documents (protocol notes H).
    pub fn meaning(&self) -> Option<&'static str> {
        match self.code.as_str() {
            LOSS_OVER_QUOTA => Some("over the maker's daily quota"),
            LOSS_NOTIFICATIONS_OFF => Some("notifications turned off"),
            _ => None,
        }
    }

    /// Whether a key beside a report's figures names a loss reason.
    pub fn is_code(key: &str) -> bool {
        key.strip_prefix('d')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// A channel of a report, by what it is rather than by Getui's key for it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportChannel {
    /// The figures over every channel (V2 `total`).
    Total,
    /// Getui's own connection (V2 `gt`, legacy `GT`).
    Getui,
    /// Apple's (V2 `ios`, legacy `APN`).
    Apns,
    /// A phone maker's.
    Maker(crate::getui::vendor::Vendor),
    /// A channel this build has no name for (`st`, `hx`…), by Getui's key.
    Other(String),
}

impl ReportChannel {
    /// The channel a report key names.
    pub fn of_key(key: &str) -> ReportChannel {
        match key {
            "total" => ReportChannel::Total,
            "gt" | "GT" => ReportChannel::Getui,
            "ios" | "APN" => ReportChannel::Apns,
            other => crate::getui::vendor::Vendor::ALL
                .into_iter()
                .find(|vendor| vendor.strategy_key() == other)
                .map_or_else(
                    || ReportChannel::Other(other.to_owned()),
                    ReportChannel::Maker,
                ),
        }
    }

    /// Its name for people.
    pub fn name(&self) -> String {
        match self {
            ReportChannel::Total => "total".to_owned(),
            ReportChannel::Getui => "Getui".to_owned(),
            ReportChannel::Apns => "APNs".to_owned(),
            ReportChannel::Maker(vendor) => vendor.maker().to_owned(),
            ReportChannel::Other(key) => format!("channel `{key}`"),
        }
    }
}

impl ChannelCounts {
    /// Which channel these are the counts of.
    pub fn kind(&self) -> ReportChannel {
        ReportChannel::of_key(&self.channel)
    }

    fn any(&self) -> bool {
        [
            self.targeted,
            self.sent,
            self.arrived,
            self.displayed,
            self.clicked,
        ]
        .into_iter()
        .flatten()
        .any(|count| count > 0)
    }
}

/// A Getui task id (`OSA-…`, `OSL-…`); opaque.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(pub String);

impl TaskId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A scheduled app push: template, audience conditions, time and delivery options.
#[derive(Clone, Debug, PartialEq)]
pub struct AppPush {
    pub template: PushTemplate,
    /// Empty means every user of the app.
    pub conditions: Vec<Condition>,
    pub push_time: PushTime,
    pub delivery: Delivery,
    pub group: Option<TaskGroupName>,
    /// The attempt this request is, when the sender keeps count of them.
    pub attempt: Option<Attempt>,
}

/// A push to explicit targets, sent at once.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPush {
    pub template: PushTemplate,
    pub targets: ListTargets,
    pub delivery: Delivery,
    pub group: Option<TaskGroupName>,
    /// The attempt this request is, when the sender keeps count of them.
    pub attempt: Option<Attempt>,
}

/// One device, as a single push names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Device {
    /// A client id.
    Cid(String),
    /// An alias, which Getui resolves to the cids bound to it.
    Alias(String),
}

impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Device::Cid(cid) => write!(f, "cid:{cid}"),
            Device::Alias(alias) => write!(f, "alias:{alias}"),
        }
    }
}

/// A push to one device, sent at once: what a campaign carries (template, vendor channels
/// and class, delivery), without its audience, schedule or task group.
#[derive(Clone, Debug, PartialEq)]
pub struct DevicePush {
    pub template: PushTemplate,
    pub delivery: Delivery,
    pub device: Device,
    /// Names the request (legacy `requestId` as a UUID, V2 `request_id` as 32 hex digits).
    pub attempt: Attempt,
}

/// What a single push reports: its task id and, per cid Getui named, the delivery status
/// (`successed_online`, `successed_offline`, `successed_ignore`). An alias may have
/// several cids; the legacy answer names none, so its one status is under the device as
/// asked (the cid, or the alias).
#[derive(Clone, Debug, PartialEq)]
pub struct DevicePushOutcome {
    pub task_id: TaskId,
    pub statuses: BTreeMap<String, String>,
}

impl DevicePushOutcome {
    /// Whether every status says the message reached the device or waits for it there
    /// (online or offline), and there is at least one.
    pub fn delivered(&self) -> bool {
        !self.statuses.is_empty()
            && self.statuses.values().all(|status| {
                matches!(
                    ResultCode::from_wire(status),
                    ResultCode::SuccessedOnline | ResultCode::SuccessedOffline
                )
            })
    }
}

/// Names one attempt to create a push: `apply` draws a new one for every journaled create.
///
/// A server that drops repeated requests (REST V2's `request_id`) must drop a second copy of
/// the same attempt, but never a deliberate new one. A task re-created after it was deleted
/// out of band, or an occurrence cancelled and then added back, keeps its task group, since
/// the group names the occurrence and its content; only the attempt tells the new request
/// from a copy of the old.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt(pub [u8; 16]);

impl Attempt {
    /// A new attempt, unlike any other (a random v4 UUID).
    pub fn fresh() -> Attempt {
        Attempt(*uuid::Uuid::new_v4().as_bytes())
    }
}

/// The targets of a list push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListTargets {
    Cids(Vec<String>),
    Aliases(Vec<String>),
}

/// What a list push reports: its task id and, per target, the delivery status string.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPushOutcome {
    pub task_id: TaskId,
    /// target → `successed_online` / `successed_offline` / …, when Getui reports them.
    pub details: BTreeMap<String, String>,
}

/// How a message is delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// How long Getui keeps the message for offline users; `None` drops it for them.
    pub offline_keep: Option<Duration>,
    pub network: Network,
    /// Messages per second for an app push; `None` is unthrottled.
    pub speed: Option<u32>,
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery {
            offline_keep: Some(Duration::from_secs(12 * 3600)),
            network: Network::Any,
            speed: None,
        }
    }
}

/// Which network a device must be on to get the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    Any,
    WifiOnly,
    MobileOnly,
}

/// A push time: a whole minute in Beijing time, sent as `yyyyMMddHHmm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PushTime(NaiveDateTime);

impl PushTime {
    /// The push time of an instant; it must fall on a whole minute.
    pub fn at<Tz: TimeZone>(instant: &DateTime<Tz>) -> Result<PushTime, Error> {
        let local = instant.with_timezone(&Shanghai).naive_local();
        if local.second() != 0 || local.nanosecond() != 0 {
            return Err(Error::InvalidRequest {
                reason: format!("a push time must be a whole minute, not {local}"),
            });
        }
        Ok(PushTime(local))
    }

    /// Reads the wire form `yyyyMMddHHmm` (Beijing time).
    pub fn parse(text: &str) -> Option<PushTime> {
        if text.len() != 12 {
            return None;
        }
        NaiveDateTime::parse_from_str(&format!("{text}00"), "%Y%m%d%H%M%S")
            .ok()
            .map(PushTime)
    }

    /// The wire form `yyyyMMddHHmm`.
    pub fn wire(&self) -> String {
        self.0.format("%Y%m%d%H%M").to_string()
    }

    /// The instant, in Beijing time.
    pub fn beijing(&self) -> Option<DateTime<chrono_tz::Tz>> {
        Shanghai.from_local_datetime(&self.0).single()
    }
}

/// A task group name: at most 40 characters, names the tasks of one campaign occurrence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskGroupName(String);

impl TaskGroupName {
    /// The Getui limit, in characters.
    pub const MAX_CHARS: usize = 40;
    /// What gtcamp appends to an author's prefix: `-` and 16 hex digits naming the send.
    pub const SUFFIX_CHARS: usize = 17;
    /// The longest prefix an author may give: Getui's limit less the suffix.
    pub const MAX_PREFIX_CHARS: usize = Self::MAX_CHARS - Self::SUFFIX_CHARS;

    pub fn new(name: impl Into<String>) -> Result<TaskGroupName, Error> {
        let name = name.into();
        let length = name.chars().count();
        if name.trim().is_empty() || length > Self::MAX_CHARS {
            return Err(Error::InvalidRequest {
                reason: format!(
                    "a task group name must have 1 to {} characters; `{name}` has {length}",
                    Self::MAX_CHARS
                ),
            });
        }
        Ok(TaskGroupName(name))
    }

    /// `prefix`, `-` and `id` in lower-case hex: the [`Self::SUFFIX_CHARS`] that end every
    /// name gtcamp gives.
    pub fn suffixed(prefix: &str, id: [u8; 8]) -> Result<TaskGroupName, Error> {
        TaskGroupName::new(format!("{prefix}-{}", hex::encode(id)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The state of a scheduled task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskStatus {
    /// Waiting for its push time.
    DoNotSend,
    SendSuccess,
    SendFailed,
    /// Deleted before it fired.
    HasDelete,
    /// A state gtcamp does not know, as Getui wrote it.
    Other(String),
}

impl TaskStatus {
    pub fn from_wire(text: &str) -> TaskStatus {
        match text {
            "do_not_send" => TaskStatus::DoNotSend,
            "send_success" => TaskStatus::SendSuccess,
            "send_failed" => TaskStatus::SendFailed,
            "has_delete" => TaskStatus::HasDelete,
            other => TaskStatus::Other(other.to_owned()),
        }
    }
}

/// A scheduled task as Getui reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduledTask {
    pub id: TaskId,
    pub status: TaskStatus,
    pub push_time: Option<PushTime>,
    /// Creation time, Unix milliseconds.
    pub created_ms: Option<i64>,
    /// The transmission content.
    pub content: Option<String>,
}

/// A cid and a phone hash (md5 of the number, 32 lower-case hex) to bind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneBinding {
    pub cid: String,
    pub phone_hash: String,
}

/// One cid's outcome in a cid–pn call.
#[derive(Clone, Debug, PartialEq)]
pub struct CidResult {
    pub cid: String,
    pub code: CidPnCode,
    /// The bound phone hash, in the answer to a query.
    pub phone_hash: Option<String>,
    /// The other keys of the entry, should a server send more than gtcamp knows.
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn push_time_is_written_in_beijing_time() {
        let instant = Utc.with_ymd_and_hms(2018, 9, 5, 11, 50, 0).unwrap();
        assert_eq!(PushTime::at(&instant).unwrap().wire(), "201809051950");
    }

    #[test]
    fn push_time_refuses_seconds() {
        let instant = Utc.with_ymd_and_hms(2018, 9, 5, 11, 50, 30).unwrap();
        assert!(PushTime::at(&instant).is_err());
    }

    #[test]
    fn task_group_name_refuses_41_characters() {
        let error = TaskGroupName::new("g".repeat(41)).unwrap_err();
        assert!(error.to_string().contains("has 41"), "{error}");
        assert!(TaskGroupName::new("组".repeat(40)).is_ok());
    }
}
