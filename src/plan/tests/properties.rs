//! Property tests of the diff: for random desired sets, states and remote views, applying the
//! plan to a model of Getui yields the desired schedulable set, never creates an occurrence
//! that is live, never touches what state does not record, and a second diff is empty.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Asia::Shanghai;
use proptest::prelude::*;

use super::fixtures::*;
use crate::compile::{Desired, OccurrenceKey, PhoneHash, Timing};
use crate::plan::{Action, BindingAction, Plan, Reason, Refresh, RemoteView, diff};
use crate::state::{HistoryEntry, RemoteStatus, State, TrackedTask};

/// What Getui holds for one task in the model.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Remote {
    Live,
    Deleted,
    Sent,
    Failed,
    Changed,
}

/// A task on the model Getui: whose key it serves (None: not gtcamp's) and its state.
#[derive(Debug, Clone)]
struct Task {
    key: Option<OccurrenceKey>,
    fingerprint: String,
    status: Remote,
}

#[derive(Debug, Clone)]
struct World {
    desired: Desired,
    state: State,
    getui: BTreeMap<String, Task>,
}

const CAMPAIGNS: [&str; 3] = ["a", "b", "c"];

fn instant(slot: usize) -> DateTime<Utc> {
    match slot {
        0 => now() - Duration::hours(1),
        n => now() + Duration::days(n as i64),
    }
}

fn timing_of(choice: u8, slot: usize) -> Option<Timing> {
    match (slot, choice % 5) {
        (0, 0) => None,
        (0, _) => Some(Timing::Past),
        (_, 0) => None,
        (_, 1) => Some(Timing::Deferred),
        (_, 2) => Some(Timing::InsideLeadTime),
        _ => Some(Timing::Schedulable),
    }
}

fn remote_of(choice: u8) -> Remote {
    [
        Remote::Live,
        Remote::Live,
        Remote::Deleted,
        Remote::Sent,
        Remote::Failed,
        Remote::Changed,
    ][choice as usize % 6]
}

/// Per (campaign, slot): desired timing and version, tracked version and remote status.
fn world() -> impl Strategy<Value = World> {
    let slot = (
        any::<u8>(),
        0..2u8,
        proptest::option::of((0..2u8, any::<u8>())),
    );
    (
        proptest::collection::vec(any::<bool>(), 4),
        proptest::collection::vec(slot, 4 * 4),
        proptest::collection::btree_map(0..6u8, 0..3u8, 0..5),
        proptest::collection::btree_map(0..6u8, 0..3u8, 0..5),
        0..4u8,
    )
        .prop_map(|(enabled, slots, wanted_bindings, bound, lifecycle)| {
            let mut world = build(&enabled, &slots, &wanted_bindings, &bound);
            follow_lifecycle(&mut world, lifecycle);
            world
        })
}

/// Campaign `b` was renamed from `old-b` (state and Getui know its tasks by the old name;
/// a `Moved` says where it went) when `choice` is odd, and the removed campaign `gone` is
/// `Removed` with `cancel: false` (its tasks stay on Getui) when `choice` is 2 or 3.
fn follow_lifecycle(world: &mut World, choice: u8) {
    if choice % 2 == 1 {
        let old = crate::compile::Move {
            what: crate::model::Renamed::Campaign,
            from: "b".into(),
            to: "old-b".into(),
        };
        crate::state::rename(&mut world.state, &old);
        world.state.renamed.clear();
        for task in world.getui.values_mut() {
            if let Some(key) = &task.key {
                task.key = Some(key.renamed("b", "old-b"));
            }
        }
        world.desired.lifecycle.moves.push(crate::compile::Move {
            what: crate::model::Renamed::Campaign,
            from: "old-b".into(),
            to: "b".into(),
        });
    }
    if choice >= 2 {
        world.desired.lifecycle.removed.insert("gone".into(), false);
    }
}

type Slot = (u8, u8, Option<(u8, u8)>);

fn build(
    enabled: &[bool],
    slots: &[Slot],
    wanted: &BTreeMap<u8, u8>,
    bound: &BTreeMap<u8, u8>,
) -> World {
    let campaigns = CAMPAIGNS
        .iter()
        .zip(enabled)
        .map(|(name, on)| campaign(name, *on, Shanghai))
        .collect();
    let mut occurrences = Vec::new();
    let mut state = empty_state();
    let mut getui = BTreeMap::new();
    getui.insert(
        "foreign".to_owned(),
        Task {
            key: None,
            fingerprint: "theirs".into(),
            status: Remote::Live,
        },
    );
    for (index, (timing, version, tracked_as)) in slots.iter().enumerate() {
        // Campaign index 3 is only ever in state: it was removed from the workspace.
        let (name, slot) = (["a", "b", "c", "gone"][index / 4], index % 4);
        let key_text = format!("{name}@{slot}");
        let body = |v: u8| content("t", &format!("v{v}"));
        let desired_timing = if name == "gone" {
            None
        } else {
            timing_of(*timing, slot)
        };
        if let Some(timing) = desired_timing {
            occurrences.push(occurrence(
                name,
                &key_text,
                instant(slot),
                Shanghai,
                timing,
                body(*version),
            ));
        }
        if let Some((tracked_version, remote)) = tracked_as {
            let old = occurrence(
                name,
                &key_text,
                instant(slot),
                Shanghai,
                Timing::Schedulable,
                body(*tracked_version),
            );
            let id = format!("task-{key_text}");
            state.tasks.insert(old.key.clone(), tracked(&old, &id));
            getui.insert(
                id,
                Task {
                    key: Some(old.key.clone()),
                    fingerprint: old.fingerprint.0.clone(),
                    status: remote_of(*remote),
                },
            );
        }
    }
    let mut desired = desired(campaigns, occurrences);
    let hash = |h: u8| PhoneHash(format!("{h}").repeat(32));
    desired.bindings = wanted
        .iter()
        .map(|(cid, h)| (format!("cid{cid}"), hash(*h)))
        .collect();
    state.bindings = bound
        .iter()
        .map(|(cid, h)| (format!("cid{cid}"), binding(&hash(*h).0)))
        .collect();
    World {
        desired,
        state,
        getui,
    }
}

fn refresh_of(world: &World) -> Refresh {
    let tasks = world
        .state
        .tasks
        .iter()
        .map(|(key, tracked)| {
            let view = match world.getui.get(&tracked.task_id).map(|t| t.status) {
                Some(Remote::Live) => RemoteView::InSync,
                Some(Remote::Sent) => RemoteView::AlreadySent,
                Some(Remote::Failed) => RemoteView::Failed,
                Some(Remote::Changed) => RemoteView::ChangedRemotely {
                    what: "edited".into(),
                },
                Some(Remote::Deleted) | None => RemoteView::DeletedRemotely,
            };
            (key.clone(), view)
        })
        .collect();
    Refresh { tasks }
}

/// Carries out `plan` on the model, checking every step against the rules.
fn apply(world: &mut World, plan: &Plan) -> Result<(), TestCaseError> {
    for change in &plan.renames {
        let rename = &change.rename;
        crate::state::rename(&mut world.state, rename);
        for task in world.getui.values_mut() {
            if let Some(key) = &task.key {
                task.key = Some(key.renamed(&rename.from, &rename.to));
            }
        }
    }
    for change in &plan.changes {
        if change.action == Action::Release {
            let tracked = world.state.tasks.remove(&change.key);
            prop_assert!(tracked.is_some(), "released {} is not in state", change.key);
            // Left on Getui, and no longer gtcamp's.
            if let Some(task) = tracked.and_then(|t| world.getui.get_mut(&t.task_id)) {
                task.key = None;
            }
            continue;
        }
        let deletes = matches!(change.action, Action::Delete | Action::DeleteThenCreate);
        if deletes || change.action == Action::Forget {
            let tracked = world.state.tasks.remove(&change.key);
            prop_assert!(
                tracked.is_some(),
                "{:?} {} is not in state",
                change.action,
                change.key
            );
            // As apply does: a task that left Getui by sending (or failing) goes to history.
            if let (Action::Forget, Some(tracked)) = (change.action, &tracked)
                && change.reason != Reason::ForgetBecauseDeletedRemotely
            {
                world.state.history.push(HistoryEntry {
                    key: change.key.clone(),
                    campaign: tracked.campaign.clone(),
                    task_id: Some(tracked.task_id.clone()),
                    push_time: tracked.push_time,
                    status: RemoteStatus::Sent,
                    recorded_at: now(),
                    group: None,
                    class: None,
                    audience: None,
                    kind: None,
                });
            }
            if let (true, Some(tracked)) = (deletes, tracked)
                && let Some(task) = world.getui.get_mut(&tracked.task_id)
                && matches!(task.status, Remote::Live | Remote::Changed)
            {
                task.status = Remote::Deleted;
            }
        }
        if matches!(change.action, Action::Create | Action::DeleteThenCreate) {
            let live = world.getui.values().any(|t| {
                t.key.as_ref() == Some(&change.key)
                    && matches!(t.status, Remote::Live | Remote::Changed)
            });
            prop_assert!(!live, "{} created while a live task serves it", change.key);
            let after = change
                .after
                .as_ref()
                .ok_or_else(|| TestCaseError::fail("a create without after"))?;
            let id = format!("new-{}-{}", change.key, world.getui.len());
            world.getui.insert(
                id.clone(),
                Task {
                    key: Some(change.key.clone()),
                    fingerprint: after.fingerprint.0.clone(),
                    status: Remote::Live,
                },
            );
            world.state.tasks.insert(
                change.key.clone(),
                TrackedTask {
                    task_id: id,
                    fingerprint: after.fingerprint.clone(),
                    push_time: after.push_time,
                    ..tracked(&world.desired.occurrences[&change.key], "")
                },
            );
        }
    }
    for binding in &plan.bindings {
        match binding.action {
            BindingAction::Bind | BindingAction::Rebind => {
                let hash = &world.desired.bindings[&binding.cid];
                world.state.bindings.insert(
                    binding.cid.clone(),
                    crate::plan::tests::fixtures::binding(&hash.0),
                );
            }
            BindingAction::Unbind => {
                prop_assert!(
                    world.state.bindings.remove(&binding.cid).is_some(),
                    "unbound {} not in state",
                    binding.cid
                );
            }
        }
    }
    Ok(())
}

/// What may be live on Getui after an apply: every schedulable occurrence of an enabled
/// campaign, plus unchanged tasks inside the lead time or beyond the window.
fn check_converged(before: &World, after: &World) -> Result<(), TestCaseError> {
    // What state knew before, under the names the renames gave it.
    let mut before_state = before.state.clone();
    for rename in &after.desired.lifecycle.moves {
        crate::state::rename(&mut before_state, rename);
    }
    let live: BTreeMap<&OccurrenceKey, &str> = after
        .getui
        .values()
        .filter(|t| t.status == Remote::Live)
        .filter_map(|t| t.key.as_ref().map(|k| (k, t.fingerprint.as_str())))
        .collect();
    for (key, occurrence) in &after.desired.occurrences {
        let enabled = after.desired.campaigns[&occurrence.campaign].enabled;
        let live_now = live.get(key).copied();
        // Getui already sent (or failed) it: it must never be created again.
        let finished = before_state.tasks.get(key).is_some_and(|t| {
            matches!(
                before.getui[&t.task_id].status,
                Remote::Sent | Remote::Failed
            )
        });
        match occurrence.timing {
            _ if finished => prop_assert!(live_now.is_none(), "{} sent, then created again", key),
            Timing::Schedulable if enabled => prop_assert_eq!(
                live_now,
                Some(occurrence.fingerprint.0.as_str()),
                "{} not live as desired",
                key
            ),
            Timing::InsideLeadTime | Timing::Deferred if enabled => {
                if let Some(fingerprint) = live_now {
                    prop_assert_eq!(
                        fingerprint,
                        occurrence.fingerprint.0.as_str(),
                        "{} left stale",
                        key
                    );
                }
            }
            _ => prop_assert!(
                live_now.is_none()
                    || before_state
                        .tasks
                        .get(key)
                        .is_some_and(|t| t.push_time <= now()),
                "{} live but not wanted",
                key
            ),
        }
    }
    for key in live.keys() {
        prop_assert!(
            after.desired.occurrences.contains_key(*key)
                || before_state.tasks[*key].push_time <= now(),
            "{} live but removed",
            key
        );
    }
    prop_assert_eq!(
        after.getui["foreign"].status,
        Remote::Live,
        "a task gtcamp does not own was touched"
    );
    // A task left on Getui on purpose is never cancelled.
    for (id, task) in &before.getui {
        let released = after.getui[id].key.is_none() && task.key.is_some();
        prop_assert!(
            !released || after.getui[id].status == task.status,
            "{id} was left on Getui, then touched"
        );
    }
    prop_assert_eq!(
        &after
            .state
            .bindings
            .iter()
            .map(|(c, b)| (c.clone(), b.pn_md5.clone()))
            .collect::<BTreeMap<_, _>>(),
        &after.desired.bindings
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn applying_the_plan_converges_and_a_second_plan_is_empty(world in world()) {
        let plan = diff(&world.desired, &world.state, Some(&refresh_of(&world)), context());
        let mut after = world.clone();
        apply(&mut after, &plan)?;
        check_converged(&world, &after)?;
        let again = diff(&after.desired, &after.state, Some(&refresh_of(&after)), context());
        prop_assert!(again.is_empty(), "second plan: {:#?} {:#?}", again.changes, again.renames);
    }

    #[test]
    fn every_replace_deletes_a_recorded_task_before_it_creates(world in world()) {
        let plan = diff(&world.desired, &world.state, Some(&refresh_of(&world)), context());
        let mut state = world.state.clone();
        for rename in &plan.renames {
            crate::state::rename(&mut state, &rename.rename);
        }
        for change in plan.changes.iter().filter(|c| c.action.is_replace()) {
            let before = change.before.as_ref().map(|b| b.task_id.as_str());
            prop_assert_eq!(before, state.tasks.get(&change.key).map(|t| t.task_id.as_str()));
            prop_assert!(change.after.is_some());
        }
    }
}
