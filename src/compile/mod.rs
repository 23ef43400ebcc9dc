//! Compile: from a checked workspace to the desired remote state.
//!
//! [`compile`] resolves references, expands every schedule into [`Occurrence`]s, builds the
//! exact Getui request of each (an [`AppPush`] to schedule, or a [`ListPush`] to fire when
//! due) and fingerprints it, and gathers the phone bindings. It runs only on a workspace
//! `check` found free of errors, and never prints: what it wants a reviewer to know goes into
//! [`Desired::notes`].
//!
//! # Rules (what `docs/concepts/plan.md` can quote)
//!
//! - **Keys**: `campaign@YYYY-MM-DDTHH:MM±HH:MM`, the local time in the campaign's zone to
//!   the minute. **Group**: `gc-` + the first 16 hex digits of sha256(key).
//! - **Window** of a cron rule: `[max(now, from), min(until, now + horizon)]`, read in the
//!   campaign's zone (`from` day = local midnight, `until` day = through its end); list
//!   pushes look back `grace` before now. At most [`MAX_OCCURRENCES`] per campaign.
//! - **DST**: a local time that does not exist is skipped ([`CompileNote::DstGapSkipped`]);
//!   one that happens twice fires once, at the first ([`CompileNote::DstAmbiguousOnce`]).
//! - **Timing**: scheduled pushes are `Past` (before now), `InsideLeadTime` (before now +
//!   lead time), `Deferred` (after now + `max_push_ahead`) or `Schedulable`; list pushes
//!   are `NotYetDue`, `Due` (up to `grace` after their time) or `Missed`.
//! - **Regions** are sent by their short name (`浙江省` → `浙江`); phone types upper case.
//! - **Fingerprint**: sha256 over the canonical request (clientData with an empty app key,
//!   transmission content, push type, conditions or targets, delivery, push time).
//! - **Bindings**: CSV numbers lose `+86`/`86`, then are md5-hashed here; a cid bound to two
//!   hashes is an error naming both files. The group name is the campaign's `task_group`
//!   (else `gc`) plus `-` and a hash of the occurrence key, which finds a lost create.

mod audience;
pub use audience::summary_without_targets;
mod bindings;
mod campaign;
mod devices;
mod fingerprint;
mod lifecycle;
mod resolve;
mod schedule;
mod summary;
mod template;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

pub use devices::WorkspaceDevices;
pub use fingerprint::{group_name, occurrence_key};
pub use schedule::MAX_OCCURRENCES;
pub use summary::transmission_of_summary;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::getui::api::{AppPush, ListPush, PushTime, TaskGroupName};
use crate::model::{Protocol, Workspace};

/// How late a due list push may still fire: Getui cannot schedule list pushes, so the
/// first apply after their time fires them, and one that comes later than this misses them
/// rather than sending them late.
pub const LIST_PUSH_GRACE: chrono::Duration = chrono::Duration::hours(1);

/// What compile needs from outside the workspace.
#[derive(Debug, Clone)]
pub struct CompileContext {
    /// The instant occurrences are measured against (past, lead time, horizon, window).
    pub now: DateTime<Utc>,
    /// How far ahead the target accepts a push time (the target's `max_push_ahead`).
    pub max_push_ahead: chrono::Duration,
    /// How late a due list push may still fire; after that it is missed, never sent late.
    pub list_push_grace: chrono::Duration,
    /// The target's protocol: on legacy, only a transmission template's vendor notification
    /// reaches the makers' channels, so other templates carry nothing of `vendors:`.
    pub protocol: Protocol,
}

impl CompileContext {
    /// What compiling for the target named `target` as of `now` takes: that target's
    /// `max_push_ahead` and gtcamp's [`LIST_PUSH_GRACE`]. Every command and the lints build
    /// their context here, so that `validate`, `calendar` and `plan` judge time alike.
    pub fn for_target(
        settings: &Workspace,
        target: &str,
        now: DateTime<Utc>,
    ) -> Result<CompileContext, ContextError> {
        Ok(CompileContext {
            now,
            max_push_ahead: settings.target(target)?.max_push_ahead.to_chrono()?,
            list_push_grace: LIST_PUSH_GRACE,
            protocol: settings.target(target)?.protocol(),
        })
    }
}

/// Why no [`CompileContext`] could be made for a target (check reports both first: GC061,
/// GC067).
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error(transparent)]
    UnknownTarget(#[from] crate::model::UnknownTarget),
    /// A `max_push_ahead` too long to compute with.
    #[error(transparent)]
    TooLong(#[from] crate::model::DurationTooLong),
}

/// The desired remote state: every occurrence gtcamp should have on Getui, and every binding.
#[derive(Debug, Clone)]
pub struct Desired {
    /// Every campaign, enabled or not, by name: what renderers group changes under.
    pub campaigns: BTreeMap<String, CampaignInfo>,
    /// Every occurrence compile considered, whatever its [`Timing`]: a one-off `at`
    /// always (even past), a cron rule's from now (so those inside the lead time are here,
    /// as [`Timing::InsideLeadTime`], and their tasks are seen as still wanted) to now +
    /// horizon, list pushes from now − grace. A disabled campaign has none.
    pub occurrences: BTreeMap<OccurrenceKey, Occurrence>,
    /// cid → md5 of the phone number (32 lowercase hex), from every `PhoneBindings`.
    pub bindings: BTreeMap<String, PhoneHash>,
    /// Facts a reviewer should see (a DST gap skipped, …).
    pub notes: Vec<CompileNote>,
    /// A hash of every input that shaped this result (YAML documents, CSV contents): a saved
    /// plan made from other inputs is stale.
    pub input_fingerprint: Fingerprint,
    /// What the workspace says became of names it no longer declares.
    pub lifecycle: Lifecycle,
}

/// The `Moved` and `Removed` documents, ready for the plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lifecycle {
    /// Each rename, from an old name to the name declared now (chains of renames followed),
    /// by kind and old name.
    pub moves: Vec<Move>,
    /// Campaigns taken out with `Removed`, by name: `true` when their pushes are cancelled,
    /// `false` when they are left on Getui and forgotten.
    pub removed: BTreeMap<String, bool>,
}

/// A rename, as the plan and state know it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Move {
    pub what: crate::model::Renamed,
    pub from: String,
    pub to: String,
}

impl Lifecycle {
    /// The name a campaign known to state as `name` has now.
    pub fn campaign_now<'a>(&'a self, name: &'a str) -> &'a str {
        self.moves
            .iter()
            .find(|m| m.what == crate::model::Renamed::Campaign && m.from == name)
            .map_or(name, |m| m.to.as_str())
    }

    /// The key a send of `campaign` journaled as `key` has now.
    pub fn key_now(&self, key: &OccurrenceKey, campaign: &str) -> OccurrenceKey {
        key.renamed(campaign, self.campaign_now(campaign))
    }
}

/// A campaign as plans show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignInfo {
    pub name: String,
    pub enabled: bool,
    /// The zone its times are shown in (the schedule's, else the workspace default).
    pub timezone: Tz,
    /// `Template` name, or `None` when written inline.
    pub template: Option<String>,
    /// `Audience` name, or `None` when written inline.
    pub audience: Option<String>,
    /// Who, in words: `android, tags any of vip in 浙江, 上海, not churned`.
    pub audience_summary: String,
    pub delivery: DeliveryKind,
    pub owner: Option<String>,
    /// The YAML file that declares it, relative to the workspace.
    pub file: PathBuf,
    /// `protect` (else `defaults.protect`): cancelling or replacing its pushes needs
    /// `--allow-cancel` naming it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub protected: bool,
}

/// How a campaign's occurrences reach Getui.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    /// Conditions or all users: a scheduled task per occurrence, created ahead of time.
    Scheduled,
    /// Aliases or cids: Getui cannot schedule these; fired by the first apply when due.
    ListPush,
}

/// The stable identity of one send: `spring-sale@2026-12-01T10:00+08:00` (campaign name and
/// local time with offset, to the minute). State, plans and journals key on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OccurrenceKey(pub String);

impl OccurrenceKey {
    /// The key of the same send once campaign `from` is renamed to `to`:
    /// `from@2026-12-01T10:00+08:00` → `to@2026-12-01T10:00+08:00`. A key of another
    /// campaign stays as it is.
    pub fn renamed(&self, from: &str, to: &str) -> OccurrenceKey {
        match self.0.strip_prefix(from) {
            Some(rest) if rest.starts_with('@') => OccurrenceKey(format!("{to}{rest}")),
            _ => self.clone(),
        }
    }
}

impl fmt::Display for OccurrenceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A sha256, lowercase hex. Equal fingerprints mean equal requests.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(pub String);

/// md5 of a phone number, 32 lowercase hex. Shown only as its first 8 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneHash(pub String);

impl PhoneHash {
    /// The 8-character prefix every output shows.
    pub fn prefix(&self) -> &str {
        self.0.get(..8).unwrap_or(&self.0)
    }
}

/// One send of one campaign.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub key: OccurrenceKey,
    pub campaign: String,
    /// When it fires, in the campaign's zone.
    pub fire_at: DateTime<Tz>,
    pub push_time: PushTime,
    pub timing: Timing,
    pub request: RemoteRequest,
    /// sha256 of the canonical request: clientData (encoded with a fixed app key, so that
    /// credentials do not change it), transmission content, push type, conditions, delivery
    /// options and push time.
    pub fingerprint: Fingerprint,
    /// `gc-` + a short hash of the key: finds the task when a create's answer was lost.
    pub group: TaskGroupName,
    /// What a reviewer reads about it; kept in state so the next plan can diff against it.
    pub content: ContentSummary,
    /// What Getui can report back about it, as sent; kept in state for refresh.
    pub sent: SentContent,
}

/// Where an occurrence stands in time, as of [`CompileContext::now`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// A scheduled push that can be created now.
    Schedulable,
    /// Further ahead than Getui accepts: created by a later apply.
    Deferred,
    /// Due sooner than the lead time: not created.
    InsideLeadTime,
    /// A one-off `at` that has passed: skipped.
    Past,
    /// A list push not due yet.
    NotYetDue,
    /// A list push at or past its time and within the grace window: fire it.
    Due,
    /// A list push past its grace window: never sent late.
    Missed,
}

/// The request an occurrence needs.
#[derive(Debug, Clone)]
pub enum RemoteRequest {
    Scheduled(AppPush),
    List(ListPush),
}

impl Occurrence {
    /// The message class its template tells the makers (marketing when it tells them nothing).
    pub fn class(&self) -> crate::model::MessageClass {
        let class = self.request.template().vendor.as_ref().map(|v| v.class);
        match class.unwrap_or_default() {
            crate::getui::vendor::MessageClass::Marketing => crate::model::MessageClass::Marketing,
            crate::getui::vendor::MessageClass::Service => crate::model::MessageClass::Service,
        }
    }
}

impl RemoteRequest {
    /// What the push carries.
    pub fn template(&self) -> &crate::getui::template::PushTemplate {
        match self {
            RemoteRequest::Scheduled(push) => &push.template,
            RemoteRequest::List(push) => &push.template,
        }
    }

    /// Whether the phone makers count it as marketing: a marketing push that shows a
    /// notification through their channels. A payload-only push, or one the legacy protocol
    /// sends through Getui's own channel alone, never meets their caps or hours.
    pub fn is_makers_marketing(&self) -> bool {
        self.template().vendor.as_ref().is_some_and(|vendor| {
            vendor.class == crate::getui::vendor::MessageClass::Marketing
                && (vendor.notice.is_some() || vendor.harmony.is_some())
        })
    }
}

/// The parts of a push a reviewer reads; diffed field by field in plans.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentSummary {
    pub template_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transmission: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ios: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<String>,
    /// The message class and the makers' channels, when the workspace or template says
    /// anything about them (else marketing with Getui's defaults, and nothing shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<String>,
    pub audience: String,
    pub delivery: String,
}

/// What Getui can report back about a scheduled push (`getScheduleTask` returns its
/// transmission content), exactly as it was sent. Refresh compares this, never the
/// [`ContentSummary`]: that one is worded for people and would never match the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentContent {
    /// sha256 (lowercase hex) of the transmission content as sent; `None` when the push
    /// carries none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transmission_sha256: Option<String>,
}

impl SentContent {
    /// Whether the transmission content Getui reports is the one sent. A push sent without
    /// one is not compared: what Getui answers for it is undocumented.
    pub fn transmission_matches(&self, remote: &str) -> bool {
        self.transmission_sha256
            .as_deref()
            .is_none_or(|sent| sent == fingerprint::sha256_hex(remote.as_bytes()))
    }
}

/// Something compile wants a reviewer to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CompileNote {
    /// A cron time that does not exist on that day (clocks jump forward): skipped.
    DstGapSkipped {
        campaign: String,
        local_time: String,
        timezone: String,
    },
    /// A cron time that happens twice (clocks fall back): fired once, at the first.
    DstAmbiguousOnce {
        campaign: String,
        local_time: String,
        timezone: String,
    },
    /// A cron rule fires more often than gtcamp expands in one plan: occurrences after
    /// `last_local_time` wait for a later plan.
    OccurrencesCapped {
        campaign: String,
        limit: usize,
        last_local_time: String,
        timezone: String,
    },
}

/// A note in words, as plans show it (the calendar leads it with its campaign).
impl fmt::Display for CompileNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileNote::DstGapSkipped {
                local_time,
                timezone,
                ..
            } => write!(
                f,
                "{local_time} {timezone} does not exist (clocks jump forward); skipped"
            ),
            CompileNote::DstAmbiguousOnce {
                local_time,
                timezone,
                ..
            } => write!(
                f,
                "{local_time} {timezone} happens twice (clocks fall back); fires once, at the first"
            ),
            CompileNote::OccurrencesCapped {
                limit,
                last_local_time,
                timezone,
                ..
            } => write!(
                f,
                "more than {limit} occurrences; those after {last_local_time} {timezone} wait for a later plan"
            ),
        }
    }
}

/// Why a checked workspace could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error("the workspace has errors; run `gtcamp validate` to see them")]
    NotChecked,
    #[error("campaign `{campaign}`: {reason}")]
    Campaign { campaign: String, reason: String },
    /// A lead time or horizon too long to compute with (check reports it first, GC067).
    #[error("defaults: {0}")]
    TooLong(#[from] crate::model::DurationTooLong),
    #[error("cid `{cid}` is bound to two different phone numbers ({first} and {second})")]
    ConflictingBinding {
        cid: String,
        first: String,
        second: String,
    },
}

/// Compiles a workspace that `check` found free of errors into the desired remote state.
///
/// Lead time and horizon come from the workspace's `defaults`; `ctx` brings the instant
/// and the target's limits. Campaigns are compiled on every core: the plan of a large
/// workspace should not wait on one.
pub fn compile(
    workspace: &crate::load::LoadedWorkspace,
    ctx: &CompileContext,
) -> Result<Desired, CompileError> {
    let inputs = resolve::Inputs::of(workspace)?;
    let defaults = &inputs.settings.defaults;
    let clock = schedule::Clock {
        now: ctx.now,
        lead_time: defaults.lead_time.to_chrono()?,
        horizon: defaults.horizon.to_chrono()?,
        max_push_ahead: ctx.max_push_ahead,
        grace: ctx.list_push_grace,
    };
    let root = workspace.root.as_path();
    let rules = schedule::Rules::of(
        inputs
            .campaigns
            .iter()
            .filter_map(|(_, c)| c.schedule.cron.as_deref()),
    );
    let compiled = compile_campaigns(&inputs, root, &clock, &rules, ctx.protocol)?;
    let mut campaigns = BTreeMap::new();
    let mut occurrences = BTreeMap::new();
    let mut notes = Vec::new();
    for one in compiled {
        campaign::merge(one, &mut campaigns, &mut occurrences, &mut notes);
    }
    let bindings = bindings::collect(&inputs, root)?;
    let input_fingerprint =
        fingerprint::input_fingerprint(workspace, &bindings, ctx.max_push_ahead);
    Ok(Desired {
        campaigns,
        occurrences,
        bindings,
        notes,
        input_fingerprint,
        lifecycle: lifecycle::of(workspace),
    })
}

/// Below this many campaigns, one thread does it faster than several.
const CAMPAIGNS_PER_THREAD_MIN: usize = 500;

fn compile_campaigns(
    inputs: &resolve::Inputs,
    root: &std::path::Path,
    clock: &schedule::Clock,
    rules: &schedule::Rules,
    protocol: Protocol,
) -> Result<Vec<campaign::Compiled>, CompileError> {
    let one =
        |memo: &mut campaign::Memo,
         (loaded, c): &(&crate::load::LoadedDocument, &crate::model::Campaign)| {
            campaign::compile_campaign(inputs, loaded, c, root, clock, rules, memo)
        };
    let part = |campaigns: &[(&crate::load::LoadedDocument, &crate::model::Campaign)]| {
        let mut memo = campaign::Memo::for_protocol(protocol);
        campaigns
            .iter()
            .map(|c| one(&mut memo, c))
            .collect::<Result<Vec<_>, _>>()
    };
    let all = &inputs.campaigns;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || all.len() < CAMPAIGNS_PER_THREAD_MIN * 2 {
        return part(all);
    }
    let chunk = all.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = all
            .chunks(chunk)
            .map(|chunk| scope.spawn(move || part(chunk)))
            .collect();
        let mut out = Vec::with_capacity(all.len());
        for (handle, campaigns) in handles.into_iter().zip(all.chunks(chunk)) {
            // Compiling cannot panic on any input; should a thread ever, redo its part here.
            let compiled = handle.join().unwrap_or_else(|_| part(campaigns));
            out.extend(compiled?);
        }
        Ok(out)
    })
}
