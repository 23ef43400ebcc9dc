//! Renames, removals that leave pushes on Getui, protection and partial plans: the rules
//! of `plan/renames.rs` and `plan/select.rs`, one case each.

use chrono::{Duration, Utc};
use chrono_tz::Asia::Shanghai;

use super::fixtures::*;
use crate::compile::{Desired, Move, Occurrence, Timing};
use crate::model::Renamed;
use crate::plan::select::{ProtectedCancel, SelectionError, protected_cancels, select};
use crate::plan::{Action, Note, ProtectionChange, Reason, Refresh, RemoteView, Selection, diff};
use crate::state::State;

/// `name@1`, schedulable in two days, with text `text`.
fn push(name: &str, text: &str) -> Occurrence {
    let at = now() + Duration::days(2);
    occurrence(
        name,
        &format!("{name}@1"),
        at,
        Shanghai,
        Timing::Schedulable,
        content("t", text),
    )
}

/// A state tracking `pushes`, each as task `task-<key>`.
fn tracking(pushes: &[&Occurrence]) -> State {
    let mut state = empty_state();
    for push in pushes {
        let id = format!("task-{}", push.key);
        state.tasks.insert(push.key.clone(), tracked(push, &id));
    }
    state
}

fn rename(from: &str, to: &str) -> Move {
    Move {
        what: Renamed::Campaign,
        from: from.into(),
        to: to.into(),
    }
}

fn wanting(pushes: Vec<Occurrence>) -> Desired {
    let campaigns = pushes
        .iter()
        .map(|p| campaign(&p.campaign, true, Shanghai))
        .collect();
    desired(campaigns, pushes)
}

#[test]
fn a_rename_with_nothing_else_changed_plans_only_the_rename() {
    let state = tracking(&[&push("spring", "hi")]);
    let mut desired = wanting(vec![push("summer", "hi")]);
    desired.lifecycle.moves.push(rename("spring", "summer"));
    let plan = diff(&desired, &state, None, context());
    assert!(plan.changes.is_empty(), "{:#?}", plan.changes);
    assert_eq!(plan.renames.len(), 1);
    assert_eq!((plan.renames[0].tasks, plan.renames[0].sends), (1, 0));
    assert!(plan.has_changes(), "a rename is a change to approve");
    let mut applied = state.clone();
    crate::state::rename(&mut applied, &plan.renames[0].rename);
    let again = diff(&desired, &applied, None, context());
    assert!(again.is_empty(), "{again:#?}");
    assert_eq!(
        applied.tasks[&key("summer@1")].task_id,
        "task-spring@1",
        "the task follows the new name"
    );
}

#[test]
fn a_rename_with_new_text_replaces_under_the_new_name() {
    let state = tracking(&[&push("spring", "hi")]);
    let mut desired = wanting(vec![push("summer", "hello")]);
    desired.lifecycle.moves.push(rename("spring", "summer"));
    let plan = diff(&desired, &state, None, context());
    assert_eq!(plan.renames.len(), 1);
    let [change] = plan.changes.as_slice() else {
        panic!("{:#?}", plan.changes)
    };
    assert_eq!(change.key, key("summer@1"));
    assert_eq!(change.action, Action::DeleteThenCreate);
    assert_eq!(
        change.before.as_ref().map(|b| b.task_id.as_str()),
        Some("task-spring@1")
    );
}

#[test]
fn refresh_asked_under_the_old_name_still_counts_after_a_rename() {
    let state = tracking(&[&push("spring", "hi")]);
    let mut desired = wanting(vec![push("summer", "hi")]);
    desired.lifecycle.moves.push(rename("spring", "summer"));
    let refresh = Refresh {
        tasks: [(key("spring@1"), RemoteView::DeletedRemotely)].into(),
    };
    let plan = diff(&desired, &state, Some(&refresh), context());
    let [change] = plan.changes.as_slice() else {
        panic!("{:#?}", plan.changes)
    };
    assert_eq!(
        (change.key.clone(), change.action, change.reason),
        (
            key("summer@1"),
            Action::Create,
            Reason::CreateBecauseDeletedOutOfBand
        )
    );
}

#[test]
fn a_rename_onto_a_tracked_key_keeps_both_and_cancels_the_old_one() {
    let state = tracking(&[&push("spring", "hi"), &push("summer", "hi")]);
    let mut desired = wanting(vec![push("summer", "hi")]);
    desired.lifecycle.moves.push(rename("spring", "summer"));
    let plan = diff(&desired, &state, None, context());
    let [change] = plan.changes.as_slice() else {
        panic!("{:#?}", plan.changes)
    };
    assert_eq!(change.action, Action::Delete);
    assert_eq!(
        change.before.as_ref().map(|b| b.task_id.as_str()),
        Some("task-spring@1"),
        "the new name's own task stays; the other is cancelled rather than sent twice"
    );
}

#[test]
fn a_rename_without_moved_cancels_creates_and_hints_at_moved() {
    let state = tracking(&[&push("spring", "hi")]);
    let desired = wanting(vec![push("summer", "hi")]);
    let plan = diff(&desired, &state, None, context());
    let actions: Vec<Action> = plan.changes.iter().map(|c| c.action).collect();
    assert_eq!(actions, [Action::Delete, Action::Create]);
    assert!(
        plan.notes.contains(&Note::LooksRenamed {
            campaign: "spring".into(),
            to: "summer".into()
        }),
        "{:#?}",
        plan.notes
    );
}

#[test]
fn removed_without_cancel_leaves_the_push_and_with_cancel_cancels_it() {
    let state = tracking(&[&push("winter", "hi")]);
    let mut desired = wanting(Vec::new());
    desired.lifecycle.removed.insert("winter".into(), false);
    let plan = diff(&desired, &state, None, context());
    let [change] = plan.changes.as_slice() else {
        panic!("{:#?}", plan.changes)
    };
    assert_eq!(
        (change.action, change.reason),
        (Action::Release, Reason::ReleaseBecauseRemoved)
    );
    assert_eq!(plan.totals().release, 1);
    desired.lifecycle.removed.insert("winter".into(), true);
    let plan = diff(&desired, &state, None, context());
    assert_eq!(plan.changes[0].action, Action::Delete);
}

fn protect(desired: &mut Desired, name: &str) {
    if let Some(info) = desired.campaigns.get_mut(name) {
        info.protected = true;
    }
}

#[test]
fn protection_is_recorded_and_kept_while_a_deleted_campaign_has_pushes() {
    let state = tracking(&[&push("holiday", "hi")]);
    let mut desired = wanting(vec![push("holiday", "hi")]);
    protect(&mut desired, "holiday");
    let plan = diff(&desired, &state, None, context());
    assert_eq!(
        plan.protection,
        [ProtectionChange {
            campaign: "holiday".into(),
            protected: true
        }]
    );
    let mut recorded = state.clone();
    recorded.protected.insert("holiday".into());
    // The document deleted: its push is to be cancelled, and it is still protected.
    let gone = wanting(Vec::new());
    let plan = diff(&gone, &recorded, None, context());
    assert_eq!(plan.changes[0].action, Action::Delete);
    assert_eq!(
        protected_cancels(&plan, &gone, &recorded),
        [ProtectedCancel {
            campaign: "holiday".into(),
            cancel: 1,
            replace: 0
        }]
    );
    // With the cancel allowed, the record goes with the push, so the next plan is empty.
    assert_eq!(
        plan.protection,
        [ProtectionChange {
            campaign: "holiday".into(),
            protected: false
        }]
    );
    let mut allowed = plan.clone();
    allowed.meta.allow_cancel = vec!["holiday".into()];
    assert!(protected_cancels(&allowed, &gone, &recorded).is_empty());
}

#[test]
fn a_replace_of_a_protected_campaign_needs_allow_cancel_but_a_create_does_not() {
    let state = tracking(&[&push("holiday", "hi")]);
    let mut desired = wanting(vec![push("holiday", "new text"), push("other", "x")]);
    protect(&mut desired, "holiday");
    protect(&mut desired, "other");
    let plan = diff(&desired, &state, None, context());
    assert_eq!(
        protected_cancels(&plan, &desired, &state),
        [ProtectedCancel {
            campaign: "holiday".into(),
            cancel: 0,
            replace: 1
        }]
    );
}

#[test]
fn a_selection_keeps_its_campaigns_and_counts_what_it_left_out() {
    let state = tracking(&[&push("spring-a", "hi")]);
    let desired = wanting(vec![
        push("spring-a", "new"),
        push("spring-b", "x"),
        push("summer", "y"),
    ]);
    let mut plan = diff(&desired, &state, None, context());
    let selection = Selection {
        campaigns: vec!["spring-*".into()],
        exclude: vec!["spring-b".into()],
        bindings: false,
        left_out: 0,
    };
    select(&mut plan, selection, &desired, &state).expect("a valid selection");
    let kept: Vec<&str> = plan.changes.iter().map(|c| c.campaign.as_str()).collect();
    assert_eq!(kept, ["spring-a"]);
    assert_eq!(plan.meta.selection.as_ref().map(|s| s.left_out), Some(2));
}

#[test]
fn a_selection_that_matches_nothing_is_refused_with_the_nearest_name() {
    let desired = wanting(vec![push("spring", "x")]);
    let state = empty_state();
    let mut plan = diff(&desired, &state, None, context());
    let selection = Selection {
        campaigns: vec!["sprign".into()],
        ..Selection::default()
    };
    assert_eq!(
        select(&mut plan, selection, &desired, &state),
        Err(SelectionError::MatchesNothing {
            pattern: "sprign".into(),
            near: Some("spring".into())
        })
    );
}

#[test]
fn renaming_state_twice_changes_nothing_the_second_time() {
    let mut state = tracking(&[&push("spring", "hi")]);
    state.protected.insert("spring".into());
    state.history.push(crate::state::HistoryEntry {
        key: key("spring@0"),
        campaign: "spring".into(),
        task_id: Some("t0".into()),
        push_time: Utc::now(),
        status: crate::state::RemoteStatus::Sent,
        recorded_at: Utc::now(),
        group: None,
        class: None,
        audience: None,
        kind: None,
    });
    let move_ = rename("spring", "summer");
    crate::state::rename(&mut state, &move_);
    let once = state.clone();
    crate::state::rename(&mut state, &move_);
    assert_eq!(state, once);
    assert!(once.tasks.contains_key(&key("summer@1")));
    assert_eq!(once.history[0].key, key("summer@0"));
    assert!(once.protected.contains("summer") && !once.protected.contains("spring"));
    assert_eq!(
        crate::state::follows(&once, &move_),
        None,
        "nothing left to do"
    );
}
