//! The state document: what gtcamp created on Getui, and what it learnt since.
//!
//! Getui has no "list my tasks" call, so this record is the only way to know which remote
//! tasks are gtcamp's. It never holds a secret or a clear phone number.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::compile::{ContentSummary, Fingerprint, Move, OccurrenceKey, PhoneHash, SentContent};
use crate::getui::api::PreparedPush;
use crate::model::MessageClass;

/// The version of the state format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// How long the history keeps a send when the workspace does not say (`state.history_days`):
/// Getui keeps its push reports for 90 days, so an older send has nothing left to report.
pub const DEFAULT_HISTORY_DAYS: u32 = 90;

/// The whole state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub format_version: u32,
    /// Identifies this state's line of history; compared byte for byte. A saved plan made
    /// against another lineage is refused. Set once, when the state is first created.
    pub lineage: String,
    /// Goes up by one on every write, so a saved plan knows whether state moved since.
    pub serial: u64,
    /// The target this state records, and the Getui app id it was made for: what was done
    /// on one target says nothing about another. `None` in states of earlier versions,
    /// which kept one state for every target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Scheduled tasks gtcamp created and that have not left the horizon, by occurrence.
    #[serde(default)]
    pub tasks: BTreeMap<OccurrenceKey, TrackedTask>,
    /// cids whose phone binding gtcamp manages.
    #[serde(default)]
    pub bindings: BTreeMap<String, TrackedBinding>,
    /// List pushes gtcamp fired (or found missed), so each is fired at most once.
    #[serde(default)]
    pub fired: BTreeMap<OccurrenceKey, FiredPush>,
    /// Sent occurrences of the retention window (`state.history_days`), newest last.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// The pushes gtcamp made on the target's last Beijing day with any, which Getui's daily
    /// limits count: a plan adds what it needs to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushes_made: Option<PushesMade>,
    /// The renames (`Moved`) applied, so a plan shows each once.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub renamed: BTreeSet<Move>,
    /// Campaigns whose pushes only `--allow-cancel` may cancel: recorded here so that a
    /// protected campaign stays protected after its document is deleted, while state still
    /// tracks its pushes.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub protected: BTreeSet<String>,
}

/// How many pushes of each kind gtcamp made on one of Getui's (Beijing) days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushesMade {
    pub day: chrono::NaiveDate,
    pub app: u32,
    pub list: u32,
}

impl PushesMade {
    /// How many of `kind` were made on Getui's day of `at` (none when another day is kept).
    pub fn on(made: Option<&PushesMade>, kind: crate::getui::PushKind, at: DateTime<Utc>) -> u32 {
        let day = crate::getui::limits::getui_day(at);
        match made {
            Some(made) if made.day == day => match kind {
                crate::getui::PushKind::App => made.app,
                crate::getui::PushKind::List => made.list,
            },
            _ => 0,
        }
    }

    /// `made` with one more push of `kind` at `at`; a later day starts afresh, an earlier
    /// one (a clock set back) is not counted.
    pub fn count(
        made: Option<PushesMade>,
        kind: crate::getui::PushKind,
        at: DateTime<Utc>,
    ) -> Option<PushesMade> {
        let day = crate::getui::limits::getui_day(at);
        let mut today = match made {
            Some(made) if made.day > day => return Some(made),
            Some(made) if made.day == day => made,
            _ => PushesMade {
                day,
                app: 0,
                list: 0,
            },
        };
        match kind {
            crate::getui::PushKind::App => today.app = today.app.saturating_add(1),
            crate::getui::PushKind::List => today.list = today.list.saturating_add(1),
        }
        Some(today)
    }
}

/// A scheduled task gtcamp created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackedTask {
    pub campaign: String,
    pub task_id: String,
    pub fingerprint: Fingerprint,
    /// When it fires.
    pub push_time: DateTime<Utc>,
    /// The zone the campaign's times are shown in (IANA name).
    pub timezone: String,
    pub group: String,
    pub created_at: DateTime<Utc>,
    pub last_status: RemoteStatus,
    /// What was sent, in words, for the next plan's field-level diff.
    pub content: ContentSummary,
    /// What Getui can report back, exactly as sent: what refresh compares. `None` in states
    /// written before it existed, which refresh reads through `content` instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<SentContent>,
    /// The message class the makers were told. `None` in states written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<MessageClass>,
}

/// What Getui last said about a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteStatus {
    /// Created; not looked at since.
    Created,
    Scheduled,
    Sent,
    Failed,
    DeletedRemotely,
    Unknown,
}

/// A cid–pn binding gtcamp made. Stored as just its phone hash (`"cid": "md5"`): with a
/// million bindings, every byte per entry shows in how long a plan takes to read state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedBinding {
    /// The md5 of the phone number: also the binding's fingerprint, since a binding is
    /// fully said by its cid and this hash.
    pub pn_md5: PhoneHash,
}

impl TrackedBinding {
    pub fn new(pn_md5: PhoneHash) -> TrackedBinding {
        TrackedBinding { pn_md5 }
    }
}

impl Serialize for TrackedBinding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.pn_md5.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TrackedBinding {
    /// Reads the stored phone hash, or the `{"pn_md5", "fingerprint"}` object earlier
    /// builds wrote.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BindingVisitor)
    }
}

/// A visitor rather than an untagged enum: untagged would buffer each of a million entries.
struct BindingVisitor;

impl<'de> serde::de::Visitor<'de> for BindingVisitor {
    type Value = TrackedBinding;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a phone hash, or an object with `pn_md5`")
    }

    fn visit_str<E: serde::de::Error>(self, hash: &str) -> Result<TrackedBinding, E> {
        Ok(TrackedBinding::new(PhoneHash(hash.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, hash: String) -> Result<TrackedBinding, E> {
        Ok(TrackedBinding::new(PhoneHash(hash)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<TrackedBinding, A::Error> {
        let mut pn_md5 = None;
        while let Some(field) = map.next_key::<String>()? {
            if field == "pn_md5" {
                pn_md5 = Some(map.next_value::<PhoneHash>()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        pn_md5
            .map(TrackedBinding::new)
            .ok_or_else(|| serde::de::Error::missing_field("pn_md5"))
    }
}

/// A list push that fired, or that was found missed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiredPush {
    pub campaign: String,
    pub task_id: Option<String>,
    pub due_at: DateTime<Utc>,
    pub fired_at: Option<DateTime<Utc>>,
    pub outcome: FireOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FireOutcome {
    Fired,
    /// Past its grace window when an apply first saw it; never sent.
    Missed,
}

/// A sent (or failed) occurrence, kept for `gtcamp status` and `gtcamp report`: what it
/// was, so a report can be read about it once the workspace has moved on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub key: OccurrenceKey,
    pub campaign: String,
    pub task_id: Option<String>,
    /// When it was sent: a scheduled push's push time, a list push's firing.
    pub push_time: DateTime<Utc>,
    pub status: RemoteStatus,
    pub recorded_at: DateTime<Utc>,
    /// The rest is `None` in states written before reports existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<MessageClass>,
    /// The audience in words, as the plan showed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// What was sent: a scheduled app push or a list push.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SendKind>,
}

/// How an occurrence went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendKind {
    /// A scheduled app push (`pushMessageToApp`, `/push/all`, `/push/tag`).
    App,
    /// A list push to cids or aliases.
    List,
}

/// One remote operation of an apply, as the journal records it: the intent is written
/// before the call starts, the outcome after it ends. A crash between the two leaves an
/// intent without outcome, which the next run resolves by lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    CreateTask {
        key: OccurrenceKey,
        campaign: String,
        group: String,
        fingerprint: Fingerprint,
        push_time: DateTime<Utc>,
        timezone: String,
        content: Box<ContentSummary>,
        /// `None` in journals written before it existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sent: Option<SentContent>,
        /// What names the push while its answer is outstanding: the task id it will have, or
        /// the request id it is sent under. `None` in journals written before it existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prepared: Option<PreparedPush>,
        /// `None` in journals written before it existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        class: Option<MessageClass>,
    },
    DeleteTask {
        key: OccurrenceKey,
        task_id: String,
    },
    FireListPush {
        key: OccurrenceKey,
        campaign: String,
        group: String,
        due_at: DateTime<Utc>,
        /// The saved message the push sends, whose task id it keeps. `None` in journals
        /// written before it existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prepared: Option<PreparedPush>,
        /// What the history keeps of it. `None` in journals written before they existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        class: Option<MessageClass>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        audience: Option<String>,
    },
    RecordMissed {
        key: OccurrenceKey,
        campaign: String,
        due_at: DateTime<Utc>,
    },
    Bind {
        pairs: Vec<(String, PhoneHash)>,
    },
    Unbind {
        cids: Vec<String>,
    },
    /// A `Moved` applied: state's record of the old name follows the new one. Nothing is
    /// sent.
    Rename {
        rename: Move,
    },
    /// A campaign's protection recorded (or dropped). Nothing is sent.
    Protect {
        campaign: String,
        protected: bool,
    },
    /// A tracked task left on Getui and no longer tracked (`Removed` with `cancel: false`).
    /// Nothing is sent.
    Release {
        key: OccurrenceKey,
        task_id: String,
    },
}

/// How an operation ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    Created {
        task_id: String,
    },
    Deleted,
    /// The task had already gone (deleted out of band or sent): nothing to delete.
    AlreadyGone {
        status: RemoteStatus,
    },
    Fired {
        task_id: Option<String>,
    },
    Recorded,
    /// Per cid: bound / unbound, or the Getui code that refused it.
    Bindings {
        done: Vec<String>,
        refused: Vec<(String, String)>,
    },
    /// Getui refused it: nothing was applied.
    Failed {
        code: Option<String>,
        message: String,
    },
    /// Sent, answer lost, and nothing Getui documents has shown yet whether it landed: the
    /// operation stays open and holds its occurrence until a later run settles it.
    Unknown {
        message: String,
    },
}

/// One journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entry", rename_all = "snake_case")]
pub enum JournalEntry {
    Intent {
        id: u64,
        at: DateTime<Utc>,
        operation: Operation,
    },
    Outcome {
        id: u64,
        at: DateTime<Utc>,
        outcome: Outcome,
    },
}
