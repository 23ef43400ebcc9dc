//! What the emulator keeps, as plain data: devices, tasks, list pushes, apps, and the error
//! of keeping them. A leaf: the store, its database and audience matching all read these
//! types, and none of them needs the others to do so.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::seed::{Maker, UserSeed};
use crate::getui::client_data::push_type;
use crate::getui::conditions::Condition;
use crate::getui::template::TemplateKind;
use crate::getui::v2::wire::{HarmonyChannel, Ups};
use crate::getui::vendor::Vendor;

/// A device (cid) of an app, with what conditions, aliases and SMS bindings look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub cid: String,
    pub app_id: String,
    /// `ANDROID` or `IOS`.
    pub phone_type: String,
    pub region: Option<String>,
    pub tags: Vec<String>,
    pub alias: Option<String>,
    /// md5 of the bound phone number (32 lower-case hex), never a clear number.
    pub pn: Option<String>,
    /// Level of the pn binding; an API bind (level 1) cannot overwrite a higher one (code 3).
    pub pn_level: u8,
    /// How active the device is; a pn stays with its most active cid (code 4).
    pub activity: u32,
    /// Whether a push reaches the device online (`successed_online`) or is kept offline.
    pub online: bool,
    /// The maker of an Android device (`other` when none was given); `None` on iOS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker: Option<Maker>,
}

impl User {
    pub(crate) fn from_seed(seed: UserSeed, default_app: &str) -> User {
        User {
            cid: seed.cid,
            app_id: seed.app_id.unwrap_or_else(|| default_app.to_owned()),
            region: seed.region,
            tags: seed.tags,
            alias: seed.alias,
            pn: seed.pn,
            pn_level: seed.pn_level,
            activity: seed.activity,
            online: seed.online,
            maker: Maker::of_device(&seed.phone_type, seed.maker),
            phone_type: seed.phone_type,
        }
    }
}

/// What a cid–pn bind reads and changes of a device.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PnRecord {
    pub cid: String,
    pub app_id: String,
    pub pn: Option<String>,
    pub pn_level: u8,
    pub activity: u32,
}

impl PnRecord {
    pub(crate) fn of(user: &User) -> PnRecord {
        PnRecord {
            cid: user.cid.clone(),
            app_id: user.app_id.clone(),
            pn: user.pn.clone(),
            pn_level: user.pn_level,
            activity: user.activity,
        }
    }
}

/// Whether a task was saved for a list push or an app push (the `contentType` of getContentId).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    List,
    App,
}

/// Where a task is in its life; the names after `Saved` are the `sendResult` wire values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Content saved by getContentId, not pushed yet.
    Saved,
    /// A scheduled app push waiting for its push time.
    DoNotSend,
    /// Pushed (immediately, or because its push time passed).
    SendSuccess,
    /// Stopped before it finished.
    SendFailed,
    /// Deleted before its push time.
    HasDelete,
}

impl TaskStatus {
    pub fn wire_name(self) -> &'static str {
        match self {
            TaskStatus::Saved => "saved",
            TaskStatus::DoNotSend => "do_not_send",
            TaskStatus::SendSuccess => "send_success",
            TaskStatus::SendFailed => "send_failed",
            TaskStatus::HasDelete => "has_delete",
        }
    }
}

/// A saved content id and, once pushed, the push it became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub kind: TaskKind,
    pub status: TaskStatus,
    /// When a scheduled app push fires.
    pub push_time: Option<DateTime<Utc>>,
    /// The `pushTime` exactly as submitted (`yyyyMMddHHmm`, Beijing time), echoed by getScheduleTask.
    pub push_time_text: Option<String>,
    pub created_at: DateTime<Utc>,
    pub group: Option<String>,
    pub conditions: Vec<Condition>,
    /// The template's `transmissionContent`.
    pub content: String,
    pub push_type: Option<String>,
    /// Whether the SMS info of the template was accepted.
    pub sms: bool,
    /// Set by cancleContentIdAction; the id can no longer be pushed.
    pub cancelled: bool,
    /// Cids an app push reached when it fired.
    pub recipients: Vec<String>,
    /// When an app push left: at once, or at its push time. The reports count it from then
    /// on (after their lag). `None` for one not sent, and for one stored before this was kept
    /// (then its push time, else its creation, stands in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// How its deliveries went, device by device, summed: by channel and reason (see
    /// `delivery`). Empty for a task that never fired, and for one fired before this was kept.
    #[serde(default, skip_serializing_if = "Deliveries::is_empty")]
    pub deliveries: Deliveries,
    /// What it gave the makers' channels (V2 `push_channel` and `settings.strategy`, or a
    /// legacy template's third-party notify info). Neither protocol's schedule-task answer
    /// has a place for it, so only the store snapshot and the admin API show it.
    #[serde(default, skip_serializing_if = "VendorPush::is_empty")]
    pub vendor: VendorPush,
    /// What a task created through REST V2 keeps beyond the rest (`None` for legacy ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v2: Option<V2Task>,
}

/// A channel a push reaches a device through: Getui's own, APNs, or a maker's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Getui's own connection, to an online device.
    Getui,
    /// Apple's, to an offline iOS device.
    Apns,
    Hw,
    Ho,
    Xm,
    Op,
    Vv,
    Mz,
}

impl Channel {
    /// Every channel, in their order.
    pub const ALL: [Channel; 8] = [
        Channel::Getui,
        Channel::Apns,
        Channel::Hw,
        Channel::Ho,
        Channel::Xm,
        Channel::Op,
        Channel::Vv,
        Channel::Mz,
    ];

    /// Its place in [`Channel::ALL`] (the declaration order, which `ALL` follows: a test
    /// holds them together).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether it is a maker's channel (not Getui's own nor APNs).
    pub fn is_vendor(self) -> bool {
        self.vendor().is_some()
    }

    /// The maker of a maker's channel.
    pub fn vendor(self) -> Option<Vendor> {
        match self {
            Channel::Getui | Channel::Apns => None,
            Channel::Hw => Some(Vendor::Hw),
            Channel::Ho => Some(Vendor::Ho),
            Channel::Xm => Some(Vendor::Xm),
            Channel::Op => Some(Vendor::Op),
            Channel::Vv => Some(Vendor::Vv),
            Channel::Mz => Some(Vendor::Mz),
        }
    }

    /// The channel of a maker.
    pub fn of(vendor: Vendor) -> Channel {
        match vendor {
            Vendor::Hw => Channel::Hw,
            Vendor::Ho => Channel::Ho,
            Vendor::Xm => Channel::Xm,
            Vendor::Op => Channel::Op,
            Vendor::Vv => Channel::Vv,
            Vendor::Mz => Channel::Mz,
        }
    }
}

/// What became of a push on each device it was meant for, counted by channel and reason.
/// Every device counts once per delivery, under exactly one of `delivered`, `over_quota`,
/// `outside_hours`, `held` and `not_delivered_offline`; what the delivered (and held) ones
/// then did with it is counted apart, within those (`displayed`, `clicked`…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliveries {
    /// Reached when the push fired.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub delivered: BTreeMap<Channel, u64>,
    /// Marketing pushes a maker did not show: the device had had its day's cap (China day).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub over_quota: BTreeMap<Channel, u64>,
    /// Marketing pushes a maker dropped outside its hours (vivo).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outside_hours: BTreeMap<Channel, u64>,
    /// Marketing pushes a maker holds and shows when its hours open (Huawei, Honor),
    /// counted against the cap of the day they are shown.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub held: BTreeMap<Channel, u64>,
    /// When the held ones are shown (the latest, for a list message pushed more than once).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub held_until: BTreeMap<Channel, DateTime<Utc>>,
    /// Of the delivered ones, those that displayed the push as a notification: the push shows
    /// one on that channel and the device has notifications on (see `delivery`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub displayed: BTreeMap<Channel, u64>,
    /// Of the displayed ones, those whose user clicked it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub clicked: BTreeMap<Channel, u64>,
    /// Of the delivered ones, those that would have displayed it but have notifications off.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notifications_off: BTreeMap<Channel, u64>,
    /// `displayed` for the held ones: they count once shown (`held_until`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub held_displayed: BTreeMap<Channel, u64>,
    /// `clicked` for the held ones.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub held_clicked: BTreeMap<Channel, u64>,
    /// `notifications_off` for the held ones.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub held_notifications_off: BTreeMap<Channel, u64>,
    /// Devices no channel reached when the push fired: offline with Getui's channel as the
    /// only route (strategy 3, a maker without a channel, nothing given for the maker to
    /// show). Getui keeps the message for them for its time to live.
    #[serde(default)]
    pub not_delivered_offline: u64,
}

impl Deliveries {
    pub fn is_empty(&self) -> bool {
        *self == Deliveries::default()
    }

    /// Adds `other`'s counts (a list message's deliveries add up over its list pushes).
    pub(crate) fn add(&mut self, other: &Deliveries) {
        let sum = |into: &mut BTreeMap<Channel, u64>, from: &BTreeMap<Channel, u64>| {
            for (channel, n) in from {
                let count = into.entry(*channel).or_default();
                *count = count.saturating_add(*n);
            }
        };
        sum(&mut self.delivered, &other.delivered);
        sum(&mut self.over_quota, &other.over_quota);
        sum(&mut self.outside_hours, &other.outside_hours);
        sum(&mut self.held, &other.held);
        sum(&mut self.displayed, &other.displayed);
        sum(&mut self.clicked, &other.clicked);
        sum(&mut self.notifications_off, &other.notifications_off);
        sum(&mut self.held_displayed, &other.held_displayed);
        sum(&mut self.held_clicked, &other.held_clicked);
        sum(
            &mut self.held_notifications_off,
            &other.held_notifications_off,
        );
        for (channel, until) in &other.held_until {
            let latest = self.held_until.entry(*channel).or_insert(*until);
            *latest = (*latest).max(*until);
        }
        self.not_delivered_offline = self
            .not_delivered_offline
            .saturating_add(other.not_delivered_offline);
    }
}

/// What REST V2 says about a push that the legacy fields of [`Task`] do not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct V2Task {
    /// The request id it was created with: a later push with the same one creates nothing
    /// and is answered this task's id. Kept in the task's own row, so that the task and the
    /// memory of its request id are made durable together.
    pub request_id: String,
    pub task_name: Option<String>,
    /// How long the message is kept for an offline device, ms (−1: not kept).
    pub ttl_ms: Option<i64>,
    /// Messages per second (0: unlimited).
    pub speed: Option<i64>,
    /// The message shows no notification of its own: a `transmission` (or a `revoke`), a
    /// payload for the app. False for one stored before this was kept.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub silent: bool,
}

/// The vendor parts of a V2 push, as sent (`v2::vendor` checked them): what delivery reads
/// the class of the push and its channel strategy from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VendorPush {
    /// The makers' notification and their options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ups: Option<Ups>,
    /// HarmonyOS NEXT's notification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harmony: Option<HarmonyChannel>,
    /// `settings.strategy`: key (`default`, `hw`…) → 1–4 (6: smart quota).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub strategy: BTreeMap<String, i64>,
}

impl VendorPush {
    pub fn is_empty(&self) -> bool {
        self.ups.is_none() && self.harmony.is_none() && self.strategy.is_empty()
    }
}

impl Task {
    /// Whether the push shows a notification of its own on Getui's channel and APNs: not a
    /// legacy transmission template (`pushType` `TransmissionMsg`) nor a V2 `transmission`.
    /// A maker's channel carries only what the push gives the makers to show, so there it is
    /// always shown (see `delivery`).
    pub(crate) fn shows_notification(&self) -> bool {
        let transmission = push_type(&TemplateKind::Transmission);
        let legacy_transmission = self.push_type.as_deref() == Some(transmission);
        let v2_silent = self.v2.as_ref().is_some_and(|v2| v2.silent);
        !legacy_transmission && !v2_silent
    }

    /// When the task fires, if it is a scheduled push still waiting to.
    pub(crate) fn waits_until(&self) -> Option<DateTime<Utc>> {
        self.push_time
            .filter(|_| self.status == TaskStatus::DoNotSend)
    }

    /// When an app push left, if it did (a list message leaves with each list push instead).
    pub(crate) fn app_push_sent_at(&self) -> Option<DateTime<Utc>> {
        let sent = self.kind == TaskKind::App && self.status == TaskStatus::SendSuccess;
        sent.then(|| self.sent_at.or(self.push_time).unwrap_or(self.created_at))
    }
}

/// One pushMessageToListAction that reached the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPush {
    pub task_id: String,
    pub at: DateTime<Utc>,
    /// The `clientIdList` as sent.
    pub cids: Vec<String>,
    /// The `aliasList` as sent.
    pub aliases: Vec<String>,
    /// Known cids of this app the push was delivered to (cids plus the aliases' cids).
    pub delivered_to: Vec<String>,
    pub content: String,
    /// How this push went, device by device (the task's `deliveries` sum them), so that its
    /// report counts it from its own `at`. Empty for one stored before this was kept.
    #[serde(default, skip_serializing_if = "Deliveries::is_empty")]
    pub deliveries: Deliveries,
}

/// An app the emulator serves (the secret stays in the config, never in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct App {
    pub app_id: String,
    pub app_key: String,
}

/// Why the store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read emulator data {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("emulator data {path} is not valid (delete it to start afresh): {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot write emulator data {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("emulator database {path} failed: {source}")]
    Database {
        path: PathBuf,
        source: rusqlite::Error,
    },
}
