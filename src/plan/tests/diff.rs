//! The diff rules, one scenario each.

use chrono::Duration;
use chrono_tz::Asia::Shanghai;
use chrono_tz::Europe::Berlin;

use super::fixtures::*;
use crate::compile::{PhoneHash, Timing};
use crate::plan::{Action, BindingAction, Note, Reason, Refresh, RemoteView, diff};

fn only_change(plan: &crate::plan::Plan) -> (Action, Reason) {
    assert_eq!(plan.changes.len(), 1, "changes: {:#?}", plan.changes);
    (plan.changes[0].action, plan.changes[0].reason)
}

#[test]
fn diff_creates_a_new_schedulable_occurrence() {
    let at = now() + Duration::days(2);
    let o = occurrence(
        "sale",
        "sale@1",
        at,
        Shanghai,
        Timing::Schedulable,
        content("Sale", "50% off"),
    );
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![o]),
        &empty_state(),
        None,
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (Action::Create, Reason::CreateBecauseNew)
    );
    assert_eq!(plan.meta.earliest_push_time, Some(at));
    assert!(plan.has_changes());
}

#[test]
fn diff_says_a_create_near_the_window_edge_came_into_the_window() {
    let at = now() + Duration::days(6) + Duration::hours(12);
    let o = occurrence(
        "sale",
        "sale@1",
        at,
        Shanghai,
        Timing::Schedulable,
        content("Sale", "50% off"),
    );
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![o]),
        &empty_state(),
        None,
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (Action::Create, Reason::CreateBecauseNowInWindow)
    );
}

#[test]
fn diff_leaves_an_unchanged_tracked_task_alone() {
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(2),
        Shanghai,
        Timing::Schedulable,
        content("Sale", "50% off"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let refresh = Refresh {
        tasks: [(o.key.clone(), RemoteView::InSync)].into(),
    };
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![o]),
        &state,
        Some(&refresh),
        context(),
    );
    assert!(plan.changes.is_empty(), "{:#?}", plan.changes);
    assert!(!plan.has_changes());
}

#[test]
fn diff_replaces_a_task_whose_text_changed() {
    let at = now() + Duration::days(2);
    let old = occurrence(
        "sale",
        "sale@1",
        at,
        Shanghai,
        Timing::Schedulable,
        content("Sale", "50% off"),
    );
    let new = occurrence(
        "sale",
        "sale@1",
        at,
        Shanghai,
        Timing::Schedulable,
        content("Sale", "60% off"),
    );
    let mut state = empty_state();
    state.tasks.insert(old.key.clone(), tracked(&old, "t1"));
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![new]),
        &state,
        None,
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (
            Action::DeleteThenCreate,
            Reason::ReplaceBecauseContentChanged
        )
    );
    assert_eq!(
        plan.changes[0].before.as_ref().map(|b| b.task_id.as_str()),
        Some("t1")
    );
}

#[test]
fn diff_cancels_tasks_of_a_removed_campaign() {
    let o = occurrence(
        "gone",
        "gone@1",
        now() + Duration::days(2),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let plan = diff(&desired(vec![], vec![]), &state, None, context());
    assert_eq!(
        only_change(&plan),
        (Action::Delete, Reason::DeleteBecauseRemovedFromConfig)
    );
}

#[test]
fn diff_cancels_future_tasks_of_a_disabled_campaign_and_notes_it() {
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(2),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let plan = diff(
        &desired(vec![campaign("sale", false, Shanghai)], vec![o]),
        &state,
        None,
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (Action::Delete, Reason::DeleteBecauseCampaignDisabled)
    );
    assert!(plan.notes.contains(&Note::CampaignDisabled {
        campaign: "sale".into()
    }));
}

#[test]
fn diff_cancels_an_occurrence_no_longer_scheduled() {
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(2),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![]),
        &state,
        None,
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (Action::Delete, Reason::DeleteBecauseNoLongerScheduled)
    );
}

#[test]
fn diff_recreates_a_task_deleted_out_of_band_and_reports_drift() {
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(2),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let refresh = Refresh {
        tasks: [(o.key.clone(), RemoteView::DeletedRemotely)].into(),
    };
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![o]),
        &state,
        Some(&refresh),
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (Action::Create, Reason::CreateBecauseDeletedOutOfBand)
    );
    assert!(plan.notes.iter().any(|n| matches!(n, Note::Drift { .. })));
}

#[test]
fn diff_replaces_a_task_changed_remotely() {
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(2),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let view = RemoteView::ChangedRemotely {
        what: "push time moved".into(),
    };
    let refresh = Refresh {
        tasks: [(o.key.clone(), view)].into(),
    };
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![o]),
        &state,
        Some(&refresh),
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (
            Action::DeleteThenCreate,
            Reason::ReplaceBecauseChangedRemotely
        )
    );
    assert!(
        plan.notes
            .iter()
            .any(|n| matches!(n, Note::Drift { action, .. } if action.contains("push time moved")))
    );
}

#[test]
fn diff_moves_a_sent_task_to_history_without_calling_getui() {
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(2),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let refresh = Refresh {
        tasks: [(o.key.clone(), RemoteView::AlreadySent)].into(),
    };
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![o]),
        &state,
        Some(&refresh),
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (Action::Forget, Reason::ForgetBecauseSent)
    );
    assert!(!plan.has_changes(), "forgetting only touches state");
}

#[test]
fn diff_forgets_a_tracked_task_whose_time_passed_when_not_refreshed() {
    let o = occurrence(
        "sale",
        "sale@1",
        now() - Duration::hours(1),
        Shanghai,
        Timing::Past,
        content("a", "b"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![o]),
        &state,
        None,
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (Action::Forget, Reason::ForgetBecausePast)
    );
}

#[test]
fn diff_leaves_an_unreachable_task_alone_and_says_so() {
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(2),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    let mut state = empty_state();
    state.tasks.insert(o.key.clone(), tracked(&o, "t1"));
    let view = RemoteView::Unreachable {
        error: "timeout".into(),
    };
    let refresh = Refresh {
        tasks: [(o.key.clone(), view)].into(),
    };
    let plan = diff(
        &desired(vec![campaign("sale", false, Shanghai)], vec![o]),
        &state,
        Some(&refresh),
        context(),
    );
    assert!(plan.changes.is_empty(), "{:#?}", plan.changes);
    assert!(
        plan.notes
            .iter()
            .any(|n| matches!(n, Note::Unreachable { error, .. } if error == "timeout"))
    );
}

#[test]
fn diff_never_creates_deferred_inside_lead_time_or_past_occurrences() {
    let c = || content("a", "b");
    let occurrences = vec![
        occurrence(
            "sale",
            "sale@deferred",
            now() + Duration::days(9),
            Berlin,
            Timing::Deferred,
            c(),
        ),
        occurrence(
            "sale",
            "sale@soon",
            now() + Duration::minutes(5),
            Berlin,
            Timing::InsideLeadTime,
            c(),
        ),
        occurrence(
            "sale",
            "sale@past",
            now() - Duration::days(1),
            Berlin,
            Timing::Past,
            c(),
        ),
    ];
    let plan = diff(
        &desired(vec![campaign("sale", true, Berlin)], occurrences),
        &empty_state(),
        None,
        context(),
    );
    assert!(plan.changes.is_empty(), "{:#?}", plan.changes);
    let kinds: Vec<&str> = plan
        .notes
        .iter()
        .map(|n| match n {
            Note::Deferred { .. } => "deferred",
            Note::InsideLeadTime { .. } => "lead",
            Note::PastOccurrenceSkipped { .. } => "past",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["deferred", "past", "lead"]);
}

#[test]
fn diff_cancels_rather_than_sends_stale_content_inside_the_lead_time() {
    let at = now() + Duration::minutes(5);
    let old = occurrence(
        "sale",
        "sale@1",
        at,
        Shanghai,
        Timing::InsideLeadTime,
        content("Sale", "50% off"),
    );
    let new = occurrence(
        "sale",
        "sale@1",
        at,
        Shanghai,
        Timing::InsideLeadTime,
        content("Sale", "60% off"),
    );
    let mut state = empty_state();
    state.tasks.insert(old.key.clone(), tracked(&old, "t1"));
    let plan = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![new.clone()]),
        &state,
        None,
        context(),
    );
    assert_eq!(
        only_change(&plan),
        (Action::Delete, Reason::DeleteBecauseChangedInsideLeadTime)
    );

    state.tasks.insert(new.key.clone(), tracked(&new, "t1"));
    let unchanged = diff(
        &desired(vec![campaign("sale", true, Shanghai)], vec![new]),
        &state,
        None,
        context(),
    );
    assert!(
        unchanged.changes.is_empty(),
        "an unchanged task inside the lead time is left to fire"
    );
}

#[test]
fn diff_fires_a_due_list_push_once_and_records_a_missed_one() {
    let due = occurrence(
        "vip",
        "vip@due",
        now() - Duration::minutes(10),
        Shanghai,
        Timing::Due,
        content("a", "b"),
    );
    let missed = occurrence(
        "vip",
        "vip@missed",
        now() - Duration::hours(3),
        Shanghai,
        Timing::Missed,
        content("a", "b"),
    );
    let desired = desired(
        vec![campaign("vip", true, Shanghai)],
        vec![due.clone(), missed],
    );
    let plan = diff(&desired, &empty_state(), None, context());
    let actions: Vec<(Action, &str)> = plan
        .changes
        .iter()
        .map(|c| (c.action, c.key.0.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            (Action::RecordMissed, "vip@missed"),
            (Action::Fire, "vip@due")
        ]
    );

    let mut state = empty_state();
    for change in &plan.changes {
        state.fired.insert(
            change.key.clone(),
            crate::state::FiredPush {
                campaign: "vip".into(),
                task_id: None,
                due_at: due.fire_at.with_timezone(&chrono::Utc),
                fired_at: None,
                outcome: crate::state::FireOutcome::Fired,
            },
        );
    }
    assert!(
        diff(&desired, &state, None, context()).changes.is_empty(),
        "fired twice"
    );
}

#[test]
fn diff_binds_rebinds_and_unbinds_only_what_state_records() {
    let mut desired = desired(vec![], vec![]);
    desired
        .bindings
        .insert("cid-new".into(), PhoneHash("a".repeat(32)));
    desired
        .bindings
        .insert("cid-moved".into(), PhoneHash("b".repeat(32)));
    desired
        .bindings
        .insert("cid-same".into(), PhoneHash("c".repeat(32)));
    let mut state = empty_state();
    state
        .bindings
        .insert("cid-moved".into(), binding(&"d".repeat(32)));
    state
        .bindings
        .insert("cid-same".into(), binding(&"c".repeat(32)));
    state
        .bindings
        .insert("cid-old".into(), binding(&"e".repeat(32)));
    let plan = diff(&desired, &state, None, context());
    let seen: Vec<(&str, BindingAction, Option<&str>, Option<&str>)> = plan
        .bindings
        .iter()
        .map(|b| {
            (
                b.cid.as_str(),
                b.action,
                b.before_prefix.as_deref(),
                b.after_prefix.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "cid-moved",
                BindingAction::Rebind,
                Some("dddddddd"),
                Some("bbbbbbbb")
            ),
            ("cid-new", BindingAction::Bind, None, Some("aaaaaaaa")),
            ("cid-old", BindingAction::Unbind, Some("eeeeeeee"), None),
        ]
    );
}

#[test]
fn diff_orders_changes_by_campaign_then_time() {
    let c = || content("a", "b");
    let occurrences = vec![
        occurrence(
            "b",
            "b@2",
            now() + Duration::days(2),
            Shanghai,
            Timing::Schedulable,
            c(),
        ),
        occurrence(
            "a",
            "a@3",
            now() + Duration::days(3),
            Shanghai,
            Timing::Schedulable,
            c(),
        ),
        occurrence(
            "b",
            "b@1",
            now() + Duration::days(1),
            Shanghai,
            Timing::Schedulable,
            c(),
        ),
        occurrence(
            "a",
            "a@1",
            now() + Duration::days(1),
            Shanghai,
            Timing::Schedulable,
            c(),
        ),
    ];
    let campaigns = vec![campaign("a", true, Shanghai), campaign("b", true, Shanghai)];
    let plan = diff(
        &desired(campaigns, occurrences),
        &empty_state(),
        None,
        context(),
    );
    let keys: Vec<&str> = plan.changes.iter().map(|c| c.key.0.as_str()).collect();
    assert_eq!(keys, ["a@1", "a@3", "b@1", "b@2"]);
}
