//! What an operation's outcome changes in the state.
//!
//! Used both live (when `finish` is durable) and when replaying a journal after a crash, so
//! it must give the same state when applied twice: a crash between writing the state and
//! emptying the journal replays outcomes the state already holds.

use chrono::{DateTime, Utc};

use super::{
    FireOutcome, FiredPush, HistoryEntry, Operation, Outcome, PushesMade, RemoteStatus, SendKind,
    State, TrackedBinding, TrackedTask,
};
use crate::compile::{OccurrenceKey, summary_without_targets};
use crate::getui::PushKind;

/// Whether an outcome settles its operation; an unknown one stays open for lookup.
pub(crate) fn settles(outcome: &Outcome) -> bool {
    !matches!(outcome, Outcome::Unknown { .. })
}

/// Applies `outcome` of `operation`, journaled at `at`, to `state`. A failed or unknown
/// outcome, or one that does not belong to the operation, changes nothing.
pub(crate) fn record(
    state: &mut State,
    operation: &Operation,
    outcome: &Outcome,
    at: DateTime<Utc>,
) {
    match (operation, outcome) {
        (create @ Operation::CreateTask { .. }, Outcome::Created { task_id }) => {
            record_created(state, create, task_id, at);
        }
        (Operation::DeleteTask { key, task_id }, Outcome::Deleted) => {
            take_task(state, key, task_id);
        }
        (Operation::DeleteTask { key, task_id }, Outcome::AlreadyGone { status }) => {
            record_gone(state, key, task_id, *status, at);
        }
        (
            Operation::FireListPush {
                key,
                campaign,
                group,
                due_at,
                class,
                audience,
                ..
            },
            Outcome::Fired { task_id },
        ) => {
            let (key, campaign) = &super::rename::known_now(state, key, campaign);
            let fired = FiredPush {
                campaign: campaign.clone(),
                task_id: task_id.clone(),
                due_at: *due_at,
                fired_at: Some(at),
                outcome: FireOutcome::Fired,
            };
            if state.fired.insert(key.clone(), fired).is_none() {
                state.pushes_made = PushesMade::count(state.pushes_made, PushKind::List, at);
                let entry = HistoryEntry {
                    key: key.clone(),
                    campaign: campaign.clone(),
                    task_id: task_id.clone(),
                    push_time: at,
                    status: RemoteStatus::Sent,
                    recorded_at: at,
                    group: Some(group.clone()),
                    class: *class,
                    audience: audience.clone(),
                    kind: Some(SendKind::List),
                };
                push_history(state, entry);
            }
        }
        (
            Operation::RecordMissed {
                key,
                campaign,
                due_at,
            },
            Outcome::Recorded,
        ) => {
            let (key, campaign) = &super::rename::known_now(state, key, campaign);
            let missed = FiredPush {
                campaign: campaign.clone(),
                task_id: None,
                due_at: *due_at,
                fired_at: None,
                outcome: FireOutcome::Missed,
            };
            state.fired.entry(key.clone()).or_insert(missed);
        }
        (Operation::Bind { pairs }, Outcome::Bindings { done, .. }) => {
            for (cid, pn_md5) in pairs.iter().filter(|(cid, _)| done.contains(cid)) {
                let binding = TrackedBinding::new(pn_md5.clone());
                state.bindings.insert(cid.clone(), binding);
            }
        }
        (Operation::Unbind { cids }, Outcome::Bindings { done, .. }) => {
            for cid in cids.iter().filter(|cid| done.contains(cid)) {
                state.bindings.remove(cid);
            }
        }
        (Operation::Rename { rename }, Outcome::Recorded) => {
            super::rename::rename(state, rename);
        }
        (
            Operation::Protect {
                campaign,
                protected,
            },
            Outcome::Recorded,
        ) => {
            match protected {
                true => state.protected.insert(campaign.clone()),
                false => state.protected.remove(campaign),
            };
        }
        (Operation::Release { key, task_id }, Outcome::Recorded) => {
            take_task(state, key, task_id);
        }
        _ => {}
    }
}

fn record_created(state: &mut State, create: &Operation, task_id: &str, at: DateTime<Utc>) {
    let Operation::CreateTask {
        key,
        campaign,
        group,
        fingerprint,
        push_time,
        timezone,
        content,
        sent,
        class,
        ..
    } = create
    else {
        return;
    };
    // Created under the name it was journaled with; kept under the name it has now.
    let (key, campaign) = &super::rename::known_now(state, key, campaign);
    let task = TrackedTask {
        campaign: campaign.clone(),
        task_id: task_id.to_owned(),
        fingerprint: fingerprint.clone(),
        push_time: *push_time,
        timezone: timezone.clone(),
        group: group.clone(),
        created_at: at,
        last_status: RemoteStatus::Created,
        content: (**content).clone(),
        sent: sent.clone(),
        class: *class,
    };
    // A journal replayed after a crash records the same task again: counted once.
    let replayed = state
        .tasks
        .get(key)
        .is_some_and(|known| known.task_id == task_id);
    if !replayed {
        state.pushes_made = PushesMade::count(state.pushes_made, PushKind::App, at);
    }
    state.tasks.insert(key.clone(), task);
}

/// Removes the task `task_id` tracked under `key`; another task under that key (the new one
/// of a replacement, seen again when a journal is replayed) stays.
fn take_task(state: &mut State, key: &OccurrenceKey, task_id: &str) -> Option<TrackedTask> {
    if state.tasks.get(key)?.task_id != task_id {
        return None;
    }
    state.tasks.remove(key)
}

/// A task that left Getui without gtcamp deleting it: a sent or failed one goes to history.
fn record_gone(
    state: &mut State,
    key: &OccurrenceKey,
    task_id: &str,
    status: RemoteStatus,
    at: DateTime<Utc>,
) {
    let Some(task) = take_task(state, key, task_id) else {
        return;
    };
    if matches!(status, RemoteStatus::Sent | RemoteStatus::Failed) {
        let entry = HistoryEntry {
            key: key.clone(),
            campaign: task.campaign,
            task_id: Some(task.task_id),
            push_time: task.push_time,
            status,
            recorded_at: at,
            group: Some(task.group),
            class: task.class,
            audience: Some(summary_without_targets(&task.content.audience).to_owned()),
            kind: Some(SendKind::App),
        };
        push_history(state, entry);
    }
}

/// Appends to the history. An entry for a send already there (same key and task) is not
/// added twice. Old entries go when a run saves the state ([`forget_history_before`]).
pub fn push_history(state: &mut State, entry: HistoryEntry) {
    let known = |old: &HistoryEntry| old.key == entry.key && old.task_id == entry.task_id;
    // Newest last, and a replayed journal repeats recent sends: look from the end.
    if state.history.iter().rev().any(known) {
        return;
    }
    state.history.push(entry);
}

/// Drops the sends made before `since`; returns whether any went. Getui reports a push for
/// a limited time, so a send older than the retention window has nothing left to tell, and
/// its occurrence is far in the past, where no plan would send it again.
pub fn forget_history_before(state: &mut State, since: DateTime<Utc>) -> bool {
    let before = state.history.len();
    state.history.retain(|entry| entry.push_time >= since);
    state.history.len() != before
}
