//! The plan: what an apply will do, and why, decided once and rendered many ways.
//!
//! Renderers (`render/`) read a [`Plan`] and never decide anything; `apply/` reads only each
//! change's [`Action`] and key and takes the request itself from a fresh compile whose
//! input fingerprint matches [`PlanMeta::input_fingerprint`]. Fields marked *display* are for
//! reviewers and must not steer apply.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::compile::{CampaignInfo, ContentSummary, Fingerprint, OccurrenceKey};
use crate::state::RemoteStatus;

/// The version of the saved-plan format.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: u32,
    pub meta: PlanMeta,
    /// *Display*: the campaigns the changes and notes belong to, by name order.
    pub campaigns: Vec<CampaignInfo>,
    /// Occurrence changes, in the order apply runs them (deletes of a replace before creates).
    pub changes: Vec<Change>,
    pub bindings: Vec<BindingChange>,
    /// Renames (`Moved`) state follows, applied before the changes: nothing is sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renames: Vec<RenameChange>,
    /// Campaigns whose protection state starts or stops recording: nothing is sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protection: Vec<ProtectionChange>,
    /// *Display*: what a reviewer should know that is not a change.
    pub notes: Vec<Note>,
    /// *Display*: warnings of the checks and campaign lints (fatigue, quiet hours, …), in
    /// file order. They never stop a plan; `--format github` turns them into annotations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// *Display*: how many people each campaign with a send in this plan reaches, by
    /// campaign name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: BTreeMap<String, Estimate>,
    /// *Display*: the pushes Getui's limits count, and how long pacing to them takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushes: Option<super::PushBudget>,
}

/// How many people a campaign reaches, for a reviewer deciding on a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    pub audience: AudienceSize,
    /// For a campaign with SMS fallback: phone numbers bound for its audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<SmsNumbers>,
}

/// Users an audience reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AudienceSize {
    /// Getui's count of users matching the audience's filters (`queryUserCount`).
    Counted { users: u64 },
    /// An alias or cid list: its length, no call needed.
    Listed { users: u64 },
    /// Not asked: the plan was made with `--refresh=false`.
    NotAsked,
    /// Getui could not count it; the plan goes on without it.
    Unknown { error: String },
}

impl AudienceSize {
    /// The number, when there is one.
    pub fn users(&self) -> Option<u64> {
        match self {
            AudienceSize::Counted { users } | AudienceSize::Listed { users } => Some(*users),
            AudienceSize::NotAsked | AudienceSize::Unknown { .. } => None,
        }
    }
}

/// Phone numbers an SMS fallback can reach, from the workspace's `PhoneBindings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SmsNumbers {
    /// A cid audience: how many of its cids have a bound number.
    OfAudience { numbers: u64 },
    /// Any other audience: which of its users have a number is Getui's to know, so this is
    /// every number the workspace binds (an upper bound).
    WorkspaceTotal { numbers: u64 },
}

/// A check or lint warning as a plan carries it: plain data, so saved plans and the JSON
/// format hold it without the loaded workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The stable code, such as `GC070`.
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    /// The campaign it is about, when it is about one.
    pub campaign: Option<String>,
    /// Where, as written in the workspace (a path relative to the workspace folder's parent
    /// as given on the command line), with 1-based line and column.
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Warning {
    /// A warning from a diagnostic; `campaign` is whom it concerns, when known.
    pub fn from_diagnostic(
        diagnostic: &crate::check::Diagnostic,
        campaign: Option<String>,
    ) -> Warning {
        let location = diagnostic.location.as_ref();
        Warning {
            code: diagnostic.code.to_owned(),
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            campaign,
            file: location.map(|l| l.file.clone()),
            line: location.map(|l| l.span.line),
            column: location.map(|l| l.span.column),
        }
    }
}

/// What a saved plan was made against; `apply PLANFILE` refuses it when any of it moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanMeta {
    /// The workspace folder, as given on the command line.
    pub workspace: PathBuf,
    pub target: String,
    /// State lineage and serial the plan was made from.
    pub lineage: String,
    pub serial: u64,
    pub input_fingerprint: Fingerprint,
    /// The earliest push time a change creates: if it is inside the lead time when apply
    /// runs, the plan is stale.
    pub earliest_push_time: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Whether the remote was asked (`--refresh=false` plans from state alone).
    pub refreshed: bool,
    /// The campaigns a partial plan was made for (`--campaign`, `--exclude`); `None` for a
    /// plan of the whole workspace. Applying the plan with another selection is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Selection>,
    /// The protected campaigns `--allow-cancel` named: their cancels are meant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_cancel: Vec<String>,
}

/// What a partial plan covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Campaign names or globs (`spring-*`) to include; empty includes every campaign.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaigns: Vec<String>,
    /// Campaign names or globs to leave out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Whether phone bindings are in the plan.
    pub bindings: bool,
    /// *Display*: how many changes the selection left out, so a reviewer knows the rest of
    /// the workspace is not done.
    #[serde(default)]
    pub left_out: usize,
}

/// A rename state follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenameChange {
    #[serde(flatten)]
    pub rename: crate::compile::Move,
    /// *Display*: scheduled tasks that follow the new name.
    pub tasks: usize,
    /// *Display*: sends in the history (and fired list pushes) that follow it.
    pub sends: usize,
}

/// A campaign's protection, as state will record it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectionChange {
    pub campaign: String,
    pub protected: bool,
}

/// What happens to one occurrence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub key: OccurrenceKey,
    pub campaign: String,
    pub action: Action,
    /// *Display*: why.
    pub reason: Reason,
    /// The remote task as state records it, for deletes and replaces.
    pub before: Option<TaskSnapshot>,
    /// The occurrence as the workspace wants it, for creates, replaces and fires.
    pub after: Option<OccurrenceSnapshot>,
}

/// What apply does. A replace is a delete followed by a create, never the reverse: a push
/// must never be on Getui twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Delete,
    DeleteThenCreate,
    /// Send a due list push now.
    Fire,
    /// Record in state a list push whose grace window passed; nothing is sent.
    RecordMissed,
    /// Move a task Getui reports sent (or failed) from tracking into history; nothing is sent.
    Forget,
    /// Leave a scheduled task on Getui and stop tracking it (`Removed` with `cancel:
    /// false`); nothing is sent or cancelled.
    Release,
}

impl Action {
    pub fn is_replace(self) -> bool {
        self == Action::DeleteThenCreate
    }
}

/// Why a change is planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    CreateBecauseNew,
    CreateBecauseDeletedOutOfBand,
    /// A deferred occurrence came inside Getui's push-ahead window.
    CreateBecauseNowInWindow,
    ReplaceBecauseContentChanged,
    ReplaceBecauseTimeChanged,
    ReplaceBecauseChangedRemotely,
    DeleteBecauseRemovedFromConfig,
    DeleteBecauseCampaignDisabled,
    DeleteBecauseNoLongerScheduled,
    FireBecauseDue,
    MissedBecauseGraceWindowPassed,
    ForgetBecauseSent,
    ForgetBecauseFailed,
    /// Its push time passed while gtcamp was not looking (refresh off or unreachable).
    ForgetBecausePast,
    /// Deleted on Getui by someone else and no longer wanted (or no longer creatable).
    ForgetBecauseDeletedRemotely,
    /// Its content changed inside the lead time: too late to create the new version, and
    /// sending the old one would send stale content, so it is cancelled.
    DeleteBecauseChangedInsideLeadTime,
    /// Its content changed and the new version is beyond the push-ahead window: the old task
    /// is cancelled now and the new one created by the apply that finds it inside the window.
    DeleteBecauseChangedAndDeferred,
    /// Its campaign is `Removed` with `cancel: false`: left to fire on Getui, forgotten here.
    ReleaseBecauseRemoved,
}

/// The remote side of a change, from state (and refresh).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSnapshot {
    pub task_id: String,
    pub push_time: DateTime<Utc>,
    pub timezone: String,
    pub fingerprint: Fingerprint,
    pub status: RemoteStatus,
    pub content: ContentSummary,
}

/// The desired side of a change, from compile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccurrenceSnapshot {
    pub push_time: DateTime<Utc>,
    pub timezone: String,
    pub fingerprint: Fingerprint,
    pub content: ContentSummary,
    /// *Display*: users matching the audience, when known (the campaign's
    /// [`Plan::estimates`] says how it was found, or why it is not known).
    pub audience_size: Option<u64>,
}

/// What happens to one cid's phone binding. Hashes appear only as 8-character prefixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BindingChange {
    pub cid: String,
    pub action: BindingAction,
    pub before_prefix: Option<String>,
    pub after_prefix: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BindingAction {
    Bind,
    Unbind,
    Rebind,
}

/// A fact for the reviewer that is not a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    PastOccurrenceSkipped {
        key: OccurrenceKey,
        campaign: String,
    },
    InsideLeadTime {
        key: OccurrenceKey,
        campaign: String,
        push_time: DateTime<Utc>,
    },
    Deferred {
        key: OccurrenceKey,
        campaign: String,
        push_time: DateTime<Utc>,
    },
    Drift {
        key: OccurrenceKey,
        campaign: String,
        found: RemoteStatus,
        action: String,
    },
    CampaignDisabled {
        campaign: String,
    },
    AlreadySent {
        key: OccurrenceKey,
        campaign: String,
    },
    /// Getui could not be asked about this task; the plan leaves it alone.
    Unreachable {
        key: OccurrenceKey,
        campaign: String,
        error: String,
    },
    /// A create or a fire whose answer was lost and that nothing Getui documents has settled
    /// yet: the plan leaves the occurrence alone, gtcamp never sends it again by itself,
    /// and a later run checks again.
    Held {
        key: OccurrenceKey,
        campaign: String,
        reason: String,
    },
    /// A list push whose grace window passed before any apply saw it: never sent late.
    Missed {
        key: OccurrenceKey,
        campaign: String,
        due_at: DateTime<Utc>,
    },
    /// A campaign state knows and the workspace dropped looks renamed to a new one: the same
    /// pushes are cancelled and created again, which a `Moved` would avoid.
    LooksRenamed {
        campaign: String,
        to: String,
    },
    /// Written as the compile note itself (its own `kind`s do not clash with the ones above).
    #[serde(untagged)]
    Compile(crate::compile::CompileNote),
}

/// How many changes of each kind a plan holds: the totals line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub create: usize,
    pub replace: usize,
    pub cancel: usize,
    pub fire: usize,
    pub bind: usize,
    pub unbind: usize,
    /// State-only changes a reviewer must see: renames, tasks left on Getui and forgotten,
    /// protection recorded or dropped.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rename: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub release: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub protect: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Totals {
    /// Whether applying changes anything a reviewer decides on: what reaches Getui, and the
    /// renames, releases and protection state records. Forgetting a sent task or recording
    /// a missed list push is bookkeeping, so a plan of those alone reports no changes.
    pub fn any(&self) -> bool {
        self.create
            + self.replace
            + self.cancel
            + self.fire
            + self.bind
            + self.unbind
            + self.rename
            + self.release
            + self.protect
            > 0
    }
}

impl Plan {
    /// How many app pushes (creates and replacements) and list pushes (fires) its apply
    /// makes: what Getui's limits count.
    pub fn pushes_made(&self) -> (usize, usize) {
        let count =
            |wanted: fn(Action) -> bool| self.changes.iter().filter(|c| wanted(c.action)).count();
        (
            count(|action| matches!(action, Action::Create | Action::DeleteThenCreate)),
            count(|action| action == Action::Fire),
        )
    }

    /// Counts the changes by kind (a rebind counts as one to add and one to remove).
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for change in &self.changes {
            match change.action {
                Action::Create => totals.create += 1,
                Action::Delete => totals.cancel += 1,
                Action::DeleteThenCreate => totals.replace += 1,
                Action::Fire => totals.fire += 1,
                Action::Release => totals.release += 1,
                Action::RecordMissed | Action::Forget => {}
            }
        }
        totals.rename = self.renames.len();
        totals.protect = self.protection.len();
        for binding in &self.bindings {
            match binding.action {
                BindingAction::Bind => totals.bind += 1,
                BindingAction::Unbind => totals.unbind += 1,
                BindingAction::Rebind => {
                    totals.bind += 1;
                    totals.unbind += 1;
                }
            }
        }
        totals
    }

    /// Whether applying would change anything a reviewer approves: call Getui, or record a
    /// rename, a push left on Getui or a protection (`--detailed-exitcode` exits 2 then).
    pub fn has_changes(&self) -> bool {
        self.totals().any()
    }

    /// Whether applying would change anything at all, state-only bookkeeping included.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.bindings.is_empty()
            && self.renames.is_empty()
            && self.protection.is_empty()
    }

    /// How many occurrences are held (see [`Note::Held`]): an apply that leaves any is not
    /// complete.
    pub fn held(&self) -> usize {
        self.notes
            .iter()
            .filter(|note| matches!(note, Note::Held { .. }))
            .count()
    }

    /// The tracked tasks refresh could not read, which the plan left alone: a plan with any
    /// is incomplete, and neither `plan` nor `apply` may report success.
    pub fn unchecked(&self) -> Unchecked<'_> {
        let mut unchecked = Unchecked::default();
        for note in &self.notes {
            if let Note::Unreachable { error, .. } = note {
                unchecked.count += 1;
                unchecked.first_reason.get_or_insert(error.as_str());
            }
        }
        unchecked
    }
}

/// How many tracked tasks could not be read, and the first reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unchecked<'a> {
    pub count: usize,
    pub first_reason: Option<&'a str>,
}

impl std::fmt::Display for Unchecked<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (tasks, them) = match self.count {
            1 => ("task", "it"),
            _ => ("tasks", "them"),
        };
        write!(
            f,
            "{} tracked {tasks} could not be checked on Getui ({}); the plan left {them} alone, so it may be incomplete. Run again when Getui answers",
            self.count,
            self.first_reason.unwrap_or("no reason given"),
        )
    }
}
