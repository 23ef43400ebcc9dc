//! Diff: desired × state × refresh → [`Plan`]. Pure and deterministic, so that the same
//! inputs always give the same plan and property tests can drive it.
//!
//! Decisions worth knowing:
//! - Only tasks and cids recorded in state are ever deleted or unbound (ownership).
//! - A tracked task whose push time has passed leaves state for history; no remote call.
//! - A tracked task whose content changed inside the lead time is *cancelled*, not left to
//!   fire: the new version can no longer be created, and sending the old one would send stale
//!   content (DESIGN §4.1 "never send stale"). Unchanged, it is left alone.
//! - A create is shown as "now inside the window" (rather than "new") only when an earlier
//!   run deferred it: its push time is within [`APPLY_PERIOD`] of the push-ahead window's far
//!   edge (with applies at least that often, it crossed the edge since the last one), and
//!   state records an apply of its campaign at an instant when it lay beyond the window.
//!   Without that record, a first plan would give the reason for an occurrence nothing had
//!   ever deferred (issue 29). This is display only.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::{
    Action, BindingAction, BindingChange, Change, DiffContext, FORMAT_VERSION, Note,
    OccurrenceSnapshot, Plan, Reason, Refresh, RemoteView, TaskSnapshot,
};
use crate::compile::{Desired, Occurrence, OccurrenceKey, PhoneHash, Timing};
use crate::state::{RemoteStatus, State, TrackedTask};

/// How often applies are assumed to run (display only; see the module docs).
pub const APPLY_PERIOD: Duration = Duration::days(1);

/// Decides the changes: pure, deterministic, no I/O. `refresh` is `None` with `--refresh=false`.
pub fn diff(desired: &Desired, state: &State, refresh: Option<&Refresh>, ctx: DiffContext) -> Plan {
    let followed = super::renames::follow(desired, state);
    let refreshed_by_task = followed
        .renamed()
        .then(|| refresh.map(|refresh| by_task_id(state, refresh)))
        .flatten();
    let state = followed.state.as_ref();
    let mut differ = Differ {
        desired,
        state,
        refresh,
        refreshed_by_task,
        ctx: &ctx,
        recorded: state
            .history
            .iter()
            .map(|entry| &entry.key)
            .chain(state.fired.keys())
            .collect(),
        first_applied: first_applied(state),
        changes: Vec::new(),
        notes: Vec::new(),
    };
    for (key, tracked) in &state.tasks {
        differ.tracked(key, tracked);
    }
    for occurrence in desired.occurrences.values() {
        differ.untracked(occurrence);
    }
    let Differ {
        mut changes,
        mut notes,
        ..
    } = differ;
    changes.sort_by(|a, b| {
        (&a.campaign, change_time(a), &a.key).cmp(&(&b.campaign, change_time(b), &b.key))
    });
    notes.extend(campaign_notes(desired));
    notes.extend(super::renames::looks_renamed(desired, state, &changes));
    notes.sort_by(|a, b| note_campaign(a).cmp(note_campaign(b)));
    let protection = super::renames::protection(desired, state, &changes);
    let mut meta = ctx.meta;
    meta.earliest_push_time = changes
        .iter()
        .filter(|change| matches!(change.action, Action::Create | Action::DeleteThenCreate))
        .filter_map(|change| change.after.as_ref().map(|after| after.push_time))
        .min();
    let campaigns = involved_campaigns(desired, &changes, &notes);
    Plan {
        format_version: FORMAT_VERSION,
        meta,
        campaigns,
        changes,
        bindings: binding_changes(desired, state),
        renames: followed.changes,
        protection,
        notes,
        warnings: Vec::new(),
        estimates: Default::default(),
        pushes: None,
    }
}

/// What the workspace wants done with a tracked occurrence.
enum Wanted<'a> {
    /// Schedulable: it should be on Getui as compiled.
    Live(&'a Occurrence),
    /// Inside the lead time: it may stay as it is, but nothing can be created.
    Frozen(&'a Occurrence),
    /// Beyond the push-ahead window: may stay as it is; a new version waits.
    Later(&'a Occurrence),
    /// Not wanted on Getui any more, for this reason.
    Gone(Reason),
    /// Its campaign is `Removed` with `cancel: false`: left on Getui, no longer tracked.
    Released,
}

struct Differ<'a> {
    desired: &'a Desired,
    state: &'a State,
    refresh: Option<&'a Refresh>,
    /// When a rename gave tracked tasks new keys: refresh's answers by task id, since
    /// refresh asked under the old keys.
    refreshed_by_task: Option<HashMap<&'a str, &'a RemoteView>>,
    ctx: &'a DiffContext,
    /// Keys already sent, fired or missed: never noted as skipped again.
    recorded: HashSet<&'a OccurrenceKey>,
    /// By campaign, the earliest instant state records an apply acting on it.
    first_applied: HashMap<&'a str, DateTime<Utc>>,
    changes: Vec<Change>,
    notes: Vec<Note>,
}

impl<'a> Differ<'a> {
    /// What refresh found for a tracked task.
    fn remote(&self, key: &OccurrenceKey, tracked: &TrackedTask) -> Option<&'a RemoteView> {
        match &self.refreshed_by_task {
            Some(by_task) => by_task.get(tracked.task_id.as_str()).copied(),
            None => self.refresh.and_then(|refresh| refresh.tasks.get(key)),
        }
    }

    /// A task state records: keep, replace, cancel, forget or leave it.
    fn tracked(&mut self, key: &OccurrenceKey, tracked: &TrackedTask) {
        let view = self.remote(key, tracked);
        match view {
            Some(RemoteView::Unreachable { error }) => {
                return self.notes.push(Note::Unreachable {
                    key: key.clone(),
                    campaign: tracked.campaign.clone(),
                    error: error.clone(),
                });
            }
            Some(RemoteView::AlreadySent) => {
                self.notes.push(Note::AlreadySent {
                    key: key.clone(),
                    campaign: tracked.campaign.clone(),
                });
                return self.forget(key, tracked, view, Reason::ForgetBecauseSent);
            }
            Some(RemoteView::Failed) => {
                self.drift(
                    key,
                    tracked,
                    RemoteStatus::Failed,
                    "moved to history, not sent again",
                );
                return self.forget(key, tracked, view, Reason::ForgetBecauseFailed);
            }
            _ => {}
        }
        let deleted = view == Some(&RemoteView::DeletedRemotely);
        if tracked.push_time <= self.ctx.now {
            let reason = match deleted {
                true => Reason::ForgetBecauseDeletedRemotely,
                false => Reason::ForgetBecausePast,
            };
            return self.forget(key, tracked, view, reason);
        }
        let wanted = self.wanted(key, tracked);
        if matches!(wanted, Wanted::Released) && !deleted {
            let reason = Reason::ReleaseBecauseRemoved;
            return self.push(key, tracked, view, Action::Release, reason, None);
        }
        if deleted {
            return self.deleted_remotely(key, tracked, wanted);
        }
        if let Some(RemoteView::ChangedRemotely { what }) = view {
            return self.changed_remotely(key, tracked, wanted, what);
        }
        self.compare(key, tracked, view, wanted);
    }

    fn wanted(&self, key: &OccurrenceKey, tracked: &TrackedTask) -> Wanted<'a> {
        let Some(campaign) = self.desired.campaigns.get(&tracked.campaign) else {
            return match self.desired.lifecycle.removed.get(&tracked.campaign) {
                Some(false) => Wanted::Released,
                _ => Wanted::Gone(Reason::DeleteBecauseRemovedFromConfig),
            };
        };
        if !campaign.enabled {
            return Wanted::Gone(Reason::DeleteBecauseCampaignDisabled);
        }
        let Some(occurrence) = self.desired.occurrences.get(key) else {
            return Wanted::Gone(Reason::DeleteBecauseNoLongerScheduled);
        };
        match occurrence.timing {
            Timing::Schedulable => Wanted::Live(occurrence),
            Timing::InsideLeadTime => Wanted::Frozen(occurrence),
            Timing::Deferred => Wanted::Later(occurrence),
            Timing::Past | Timing::NotYetDue | Timing::Due | Timing::Missed => {
                Wanted::Gone(Reason::DeleteBecauseNoLongerScheduled)
            }
        }
    }

    fn deleted_remotely(&mut self, key: &OccurrenceKey, tracked: &TrackedTask, wanted: Wanted) {
        let view = Some(&RemoteView::DeletedRemotely);
        match wanted {
            Wanted::Live(occurrence) => {
                self.drift(key, tracked, RemoteStatus::DeletedRemotely, "created again");
                self.push(
                    key,
                    tracked,
                    view,
                    Action::Create,
                    Reason::CreateBecauseDeletedOutOfBand,
                    Some(occurrence),
                );
            }
            _ => {
                self.drift(
                    key,
                    tracked,
                    RemoteStatus::DeletedRemotely,
                    "forgotten, not created again",
                );
                self.forget(key, tracked, view, Reason::ForgetBecauseDeletedRemotely);
            }
        }
    }

    fn changed_remotely(
        &mut self,
        key: &OccurrenceKey,
        tracked: &TrackedTask,
        wanted: Wanted,
        what: &str,
    ) {
        let view = self.remote(key, tracked);
        let (action, reason, occurrence, verb) = match wanted {
            Wanted::Live(o) => (
                Action::DeleteThenCreate,
                Reason::ReplaceBecauseChangedRemotely,
                Some(o),
                "replaced",
            ),
            Wanted::Frozen(o) => (
                Action::Delete,
                Reason::DeleteBecauseChangedInsideLeadTime,
                Some(o),
                "cancelled",
            ),
            Wanted::Later(o) => (
                Action::Delete,
                Reason::DeleteBecauseChangedAndDeferred,
                Some(o),
                "cancelled",
            ),
            Wanted::Gone(reason) => (Action::Delete, reason, None, "cancelled"),
            Wanted::Released => (Action::Release, Reason::ReleaseBecauseRemoved, None, "left"),
        };
        self.drift(
            key,
            tracked,
            RemoteStatus::Scheduled,
            &format!("{what}; {verb}"),
        );
        self.push(key, tracked, view, action, reason, occurrence);
    }

    /// A task Getui holds as state recorded it (or was not asked about).
    fn compare(
        &mut self,
        key: &OccurrenceKey,
        tracked: &TrackedTask,
        view: Option<&RemoteView>,
        wanted: Wanted,
    ) {
        match wanted {
            Wanted::Gone(reason) => self.push(key, tracked, view, Action::Delete, reason, None),
            Wanted::Released => {
                let reason = Reason::ReleaseBecauseRemoved;
                self.push(key, tracked, view, Action::Release, reason, None)
            }
            Wanted::Live(o) | Wanted::Frozen(o) | Wanted::Later(o)
                if o.fingerprint == tracked.fingerprint => {}
            Wanted::Live(o) => {
                let reason = match o.fire_at.with_timezone(&Utc) == tracked.push_time {
                    true => Reason::ReplaceBecauseContentChanged,
                    false => Reason::ReplaceBecauseTimeChanged,
                };
                self.push(
                    key,
                    tracked,
                    view,
                    Action::DeleteThenCreate,
                    reason,
                    Some(o),
                );
            }
            Wanted::Frozen(o) => {
                self.notes.push(Note::InsideLeadTime {
                    key: key.clone(),
                    campaign: o.campaign.clone(),
                    push_time: utc(o),
                });
                self.push(
                    key,
                    tracked,
                    view,
                    Action::Delete,
                    Reason::DeleteBecauseChangedInsideLeadTime,
                    Some(o),
                );
            }
            Wanted::Later(o) => {
                self.notes.push(Note::Deferred {
                    key: key.clone(),
                    campaign: o.campaign.clone(),
                    push_time: utc(o),
                });
                self.push(
                    key,
                    tracked,
                    view,
                    Action::Delete,
                    Reason::DeleteBecauseChangedAndDeferred,
                    Some(o),
                );
            }
        }
    }

    /// A desired occurrence: scheduled ones state does not track, and every list push.
    fn untracked(&mut self, occurrence: &Occurrence) {
        let key = &occurrence.key;
        let enabled = self
            .desired
            .campaigns
            .get(&occurrence.campaign)
            .is_some_and(|c| c.enabled);
        let list_push = matches!(
            occurrence.timing,
            Timing::NotYetDue | Timing::Due | Timing::Missed
        );
        if !enabled || (!list_push && self.state.tasks.contains_key(key)) {
            return;
        }
        let campaign = occurrence.campaign.clone();
        match occurrence.timing {
            // Sent already (Getui reported it sent early, or it fired as a list push): a
            // second create would send it twice.
            Timing::Schedulable if self.recorded.contains(key) => {
                self.notes.push(Note::AlreadySent {
                    key: key.clone(),
                    campaign,
                })
            }
            Timing::Schedulable => {
                let reason = self.create_reason(occurrence);
                self.changes
                    .push(change(key, Action::Create, reason, None, Some(occurrence)));
            }
            Timing::Deferred => self.notes.push(Note::Deferred {
                key: key.clone(),
                campaign,
                push_time: utc(occurrence),
            }),
            Timing::InsideLeadTime => self.notes.push(Note::InsideLeadTime {
                key: key.clone(),
                campaign,
                push_time: utc(occurrence),
            }),
            Timing::Past if !self.recorded.contains(key) => {
                self.notes.push(Note::PastOccurrenceSkipped {
                    key: key.clone(),
                    campaign,
                })
            }
            Timing::Due if !self.state.fired.contains_key(key) => {
                self.changes.push(change(
                    key,
                    Action::Fire,
                    Reason::FireBecauseDue,
                    None,
                    Some(occurrence),
                ));
            }
            Timing::Missed if !self.state.fired.contains_key(key) => {
                self.notes.push(Note::Missed {
                    key: key.clone(),
                    campaign,
                    due_at: utc(occurrence),
                });
                let reason = Reason::MissedBecauseGraceWindowPassed;
                self.changes.push(change(
                    key,
                    Action::RecordMissed,
                    reason,
                    None,
                    Some(occurrence),
                ));
            }
            Timing::Past | Timing::Due | Timing::Missed | Timing::NotYetDue => {}
        }
    }

    fn create_reason(&self, occurrence: &Occurrence) -> Reason {
        // Checked: a window's edge past the end of time has nothing beyond it (issue 12).
        let edge = self
            .ctx
            .now
            .checked_add_signed(self.ctx.max_push_ahead)
            .and_then(|far| far.checked_sub_signed(APPLY_PERIOD));
        let push_time = utc(occurrence);
        let near_edge = edge.is_some_and(|edge| push_time > edge);
        // An apply that ran when this push lay beyond the window deferred it.
        let deferred_then = |applied: &DateTime<Utc>| {
            applied
                .checked_add_signed(self.ctx.max_push_ahead)
                .is_some_and(|far| push_time > far)
        };
        let deferred_earlier = self
            .first_applied
            .get(occurrence.campaign.as_str())
            .is_some_and(deferred_then);
        match near_edge && deferred_earlier {
            true => Reason::CreateBecauseNowInWindow,
            false => Reason::CreateBecauseNew,
        }
    }

    fn forget(
        &mut self,
        key: &OccurrenceKey,
        tracked: &TrackedTask,
        view: Option<&RemoteView>,
        reason: Reason,
    ) {
        self.push(key, tracked, view, Action::Forget, reason, None);
    }

    fn push(
        &mut self,
        key: &OccurrenceKey,
        tracked: &TrackedTask,
        view: Option<&RemoteView>,
        action: Action,
        reason: Reason,
        occurrence: Option<&Occurrence>,
    ) {
        let mut change = change(
            key,
            action,
            reason,
            Some(task_snapshot(tracked, view)),
            occurrence,
        );
        change.campaign = tracked.campaign.clone();
        self.changes.push(change);
    }

    fn drift(
        &mut self,
        key: &OccurrenceKey,
        tracked: &TrackedTask,
        found: RemoteStatus,
        action: &str,
    ) {
        self.notes.push(Note::Drift {
            key: key.clone(),
            campaign: tracked.campaign.clone(),
            found,
            action: action.to_owned(),
        });
    }
}

fn change(
    key: &OccurrenceKey,
    action: Action,
    reason: Reason,
    before: Option<TaskSnapshot>,
    occurrence: Option<&Occurrence>,
) -> Change {
    Change {
        key: key.clone(),
        campaign: occurrence.map(|o| o.campaign.clone()).unwrap_or_default(),
        action,
        reason,
        before,
        after: occurrence.map(occurrence_snapshot),
    }
}

fn utc(occurrence: &Occurrence) -> DateTime<Utc> {
    occurrence.fire_at.with_timezone(&Utc)
}

fn occurrence_snapshot(occurrence: &Occurrence) -> OccurrenceSnapshot {
    OccurrenceSnapshot {
        push_time: utc(occurrence),
        timezone: occurrence.fire_at.timezone().name().to_owned(),
        fingerprint: occurrence.fingerprint.clone(),
        content: occurrence.content.clone(),
        audience_size: None,
    }
}

fn task_snapshot(tracked: &TrackedTask, view: Option<&RemoteView>) -> TaskSnapshot {
    let status = match view {
        Some(RemoteView::InSync) | Some(RemoteView::ChangedRemotely { .. }) => {
            RemoteStatus::Scheduled
        }
        Some(RemoteView::DeletedRemotely) => RemoteStatus::DeletedRemotely,
        Some(RemoteView::AlreadySent) => RemoteStatus::Sent,
        Some(RemoteView::Failed) => RemoteStatus::Failed,
        Some(RemoteView::Unreachable { .. }) => RemoteStatus::Unknown,
        None => tracked.last_status,
    };
    TaskSnapshot {
        task_id: tracked.task_id.clone(),
        push_time: tracked.push_time,
        timezone: tracked.timezone.clone(),
        fingerprint: tracked.fingerprint.clone(),
        status,
        content: tracked.content.clone(),
    }
}

/// Refresh's answers by the task id state recorded them under.
fn by_task_id<'a>(state: &'a State, refresh: &'a Refresh) -> HashMap<&'a str, &'a RemoteView> {
    (state.tasks.iter())
        .filter_map(|(key, task)| Some((task.task_id.as_str(), refresh.tasks.get(key)?)))
        .collect()
}

fn change_time(change: &Change) -> Option<DateTime<Utc>> {
    change
        .after
        .as_ref()
        .map(|after| after.push_time)
        .or_else(|| change.before.as_ref().map(|before| before.push_time))
}

/// By campaign, the earliest instant state records an apply acting on it: a task created,
/// a send moved to history, a list push fired.
fn first_applied(state: &State) -> HashMap<&str, DateTime<Utc>> {
    let tasks = state
        .tasks
        .values()
        .map(|task| (task.campaign.as_str(), task.created_at));
    let history = state
        .history
        .iter()
        .map(|entry| (entry.campaign.as_str(), entry.recorded_at));
    let fired = state
        .fired
        .values()
        .filter_map(|push| Some((push.campaign.as_str(), push.fired_at?)));
    let mut first: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for (campaign, at) in tasks.chain(history).chain(fired) {
        first
            .entry(campaign)
            .and_modify(|earliest| *earliest = (*earliest).min(at))
            .or_insert(at);
    }
    first
}

/// A disabled campaign is noted once, whatever it had scheduled; compile's notes follow.
fn campaign_notes(desired: &Desired) -> impl Iterator<Item = Note> + '_ {
    let disabled = desired
        .campaigns
        .values()
        .filter(|campaign| !campaign.enabled)
        .map(|campaign| Note::CampaignDisabled {
            campaign: campaign.name.clone(),
        });
    disabled.chain(desired.notes.iter().cloned().map(Note::Compile))
}

/// The campaign a note belongs to, for grouping.
pub(crate) fn note_campaign(note: &Note) -> &str {
    use crate::compile::CompileNote;
    match note {
        Note::PastOccurrenceSkipped { campaign, .. }
        | Note::InsideLeadTime { campaign, .. }
        | Note::Deferred { campaign, .. }
        | Note::Drift { campaign, .. }
        | Note::CampaignDisabled { campaign }
        | Note::AlreadySent { campaign, .. }
        | Note::Unreachable { campaign, .. }
        | Note::Held { campaign, .. }
        | Note::Missed { campaign, .. }
        | Note::LooksRenamed { campaign, .. }
        | Note::Compile(CompileNote::DstGapSkipped { campaign, .. })
        | Note::Compile(CompileNote::DstAmbiguousOnce { campaign, .. })
        | Note::Compile(CompileNote::OccurrencesCapped { campaign, .. }) => campaign,
    }
}

fn involved_campaigns(
    desired: &Desired,
    changes: &[Change],
    notes: &[Note],
) -> Vec<crate::compile::CampaignInfo> {
    let names: BTreeSet<&str> = changes
        .iter()
        .map(|change| change.campaign.as_str())
        .chain(notes.iter().map(note_campaign))
        .collect();
    names
        .into_iter()
        .filter_map(|name| desired.campaigns.get(name).cloned())
        .collect()
}

/// Bind what state lacks, rebind what changed, unbind only what state recorded.
///
/// Both maps are sorted by cid, so one walk through the two side by side finds every
/// change, in cid order, without looking a million cids up one by one.
fn binding_changes(desired: &Desired, state: &State) -> Vec<BindingChange> {
    // At least this many: a first plan of a million bindings otherwise spent a third of its
    // diff growing the vector.
    let mut changes = Vec::with_capacity(desired.bindings.len().abs_diff(state.bindings.len()));
    let mut wanted = desired.bindings.iter().peekable();
    let mut bound = state.bindings.iter().peekable();
    loop {
        let order = match (wanted.peek(), bound.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((want, _)), Some((have, _))) => want.cmp(have),
        };
        let change = match order {
            Ordering::Less => wanted.next().map(|(cid, hash)| bind(cid, None, hash)),
            Ordering::Greater => bound.next().map(|(cid, was)| unbind(cid, &was.pn_md5)),
            Ordering::Equal => match (wanted.next(), bound.next()) {
                (Some((cid, hash)), Some((_, was))) if was.pn_md5 != *hash => {
                    Some(bind(cid, Some(&was.pn_md5), hash))
                }
                _ => None,
            },
        };
        changes.extend(change);
    }
    changes
}

/// Binds `cid` to `hash`, or rebinds it when it was bound to another.
fn bind(cid: &str, was: Option<&PhoneHash>, hash: &PhoneHash) -> BindingChange {
    BindingChange {
        cid: cid.to_owned(),
        action: match was {
            None => BindingAction::Bind,
            Some(_) => BindingAction::Rebind,
        },
        before_prefix: was.map(|was| was.prefix().to_owned()),
        after_prefix: Some(hash.prefix().to_owned()),
    }
}

fn unbind(cid: &str, was: &PhoneHash) -> BindingChange {
    BindingChange {
        cid: cid.to_owned(),
        action: BindingAction::Unbind,
        before_prefix: Some(was.prefix().to_owned()),
        after_prefix: None,
    }
}
