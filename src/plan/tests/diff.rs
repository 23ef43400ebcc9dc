//! The decision tables of `plan/mod.rs`, run row by row, and the rules that are not a row of
//! them (the order of changes, notes and bindings).
//!
//! Each [`Row`] is the row of the doc table with the same id. Where a doc cell covers several
//! cases ("any", "not asked, in sync"), the row lists them and every combination is run, each
//! on its own key `sale@1` of campaign `sale`. `the_rows_are_the_doc_tables_rows` fails when
//! the ids, actions or reasons here and in the doc part ways.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Asia::Shanghai;
use chrono_tz::Europe::Berlin;

use super::fixtures::*;
use crate::compile::{Desired, Occurrence, PhoneHash, Timing};
use crate::plan::Reason::*;
use crate::plan::{Action, BindingAction, Note, Plan, Reason, Refresh, RemoteView, diff};
use crate::state::{FireOutcome, FiredPush, HistoryEntry, RemoteStatus, State};

/// The desired side: what the workspace compiles for the key.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// There is no campaign `sale` any more.
    Removed,
    /// There is no campaign `sale` any more; a `Removed` with `cancel: false` says so.
    RemovedKeeping,
    /// `sale` is disabled; it still compiles the occurrence, schedulable, as recorded.
    Disabled,
    /// `sale` is enabled and compiles no occurrence with the key.
    Unscheduled,
    /// The occurrence, with this timing, as state recorded it.
    Same(Timing),
    /// The occurrence, with this timing, with new text at the recorded time.
    NewText(Timing),
    /// The occurrence moved a day earlier, to where it has this timing.
    Moved(Timing),
    /// Schedulable, half a day inside the push-ahead window's far edge.
    NearEdge,
}

/// The recorded side: what state holds for the key.
#[derive(Debug, Clone, Copy)]
enum Rec {
    Nothing,
    /// A task, pushed at the time the desired side was recorded with.
    Tracked,
    /// A task whose push time passed an hour ago.
    TrackedPassed,
    /// Sent before: in the history (and not tracked).
    History,
    /// Fired as a list push.
    Fired,
    /// Nothing for the key, but another push of its campaign sent a day ago: an apply ran
    /// then, and saw what lay beyond the window's far edge as deferred.
    Earlier,
}

/// The remote side: what refresh found for the key.
#[derive(Debug, Clone, Copy)]
enum Remote {
    NotAsked,
    InSync,
    Deleted,
    Sent,
    Failed,
    Changed,
    Unreachable,
}

/// One row of a doc table, and what the plan must hold for each case it covers.
struct Row {
    id: &'static str,
    desired: &'static [Want],
    recorded: &'static [Rec],
    remote: &'static [Remote],
    /// The one change planned for the key, if any.
    change: Option<(Action, Reason)>,
    /// The one note about the key besides `CampaignDisabled` (which a disabled campaign
    /// always gets), in [`note_words`]' words.
    note: Option<&'static str>,
}

use Action::{Create, Delete, DeleteThenCreate, Fire, Forget, RecordMissed, Release};
use Rec::{Earlier, Fired, History, Nothing, Tracked, TrackedPassed};
use Remote::{Changed, Deleted, Failed, InSync, NotAsked, Sent, Unreachable};
use Timing::{Deferred, Due, InsideLeadTime, Missed, NotYetDue, Past, Schedulable};
use Want::{Disabled, Moved, NearEdge, NewText, Removed, RemovedKeeping, Same, Unscheduled};

/// "any": one of each kind of desired side.
const ANY: &[Want] = &[
    Removed,
    RemovedKeeping,
    Disabled,
    Unscheduled,
    Same(Schedulable),
    NewText(Schedulable),
    Moved(Schedulable),
    Same(InsideLeadTime),
    Same(Deferred),
];
/// "anything else" than schedulable.
const NOT_LIVE: &[Want] = &[
    Removed,
    RemovedKeeping,
    Disabled,
    Unscheduled,
    Moved(Past),
    Same(InsideLeadTime),
    NewText(InsideLeadTime),
    Same(Deferred),
];
/// "schedulable", whatever its fingerprint.
const LIVE: &[Want] = &[Same(Schedulable), NewText(Schedulable), Moved(Schedulable)];
/// "no longer scheduled": not compiled, or compiled as past or as a list push.
const NO_LONGER: &[Want] = &[Unscheduled, Moved(Past), Moved(NotYetDue)];
/// "same fingerprint", for each timing a tracked task may keep.
const KEPT: &[Want] = &[Same(Schedulable), Same(InsideLeadTime), Same(Deferred)];
/// Tracked, whether or not its push time passed.
const TRACKED: &[Rec] = &[Tracked, TrackedPassed];
/// "not asked, in sync".
const QUIET: &[Remote] = &[NotAsked, InSync];
const NOT_ASKED: &[Remote] = &[NotAsked];

const fn row(
    id: &'static str,
    (desired, recorded, remote): (&'static [Want], &'static [Rec], &'static [Remote]),
    change: Option<(Action, Reason)>,
    note: Option<&'static str>,
) -> Row {
    Row {
        id,
        desired,
        recorded,
        remote,
        change,
        note,
    }
}

const CANCELLED: Option<&str> = Some("drift: push time moved; cancelled");

#[rustfmt::skip]
const TRACKED_ROWS: &[Row] = &[
    row("T1", (ANY, TRACKED, &[Unreachable]), None, Some("unreachable: timeout")),
    row("T2", (ANY, TRACKED, &[Sent]), Some((Forget, ForgetBecauseSent)), Some("already sent")),
    row("T3", (ANY, TRACKED, &[Failed]), Some((Forget, ForgetBecauseFailed)), Some("drift: moved to history, not sent again")),
    row("T4", (ANY, &[TrackedPassed], &[Deleted]), Some((Forget, ForgetBecauseDeletedRemotely)), None),
    row("T5", (ANY, &[TrackedPassed], &[NotAsked, InSync, Changed]), Some((Forget, ForgetBecausePast)), None),
    row("T6", (LIVE, &[Tracked], &[Deleted]), Some((Create, CreateBecauseDeletedOutOfBand)), Some("drift: created again")),
    row("T7", (NOT_LIVE, &[Tracked], &[Deleted]), Some((Forget, ForgetBecauseDeletedRemotely)), Some("drift: forgotten, not created again")),
    row("T8", (LIVE, &[Tracked], &[Changed]), Some((DeleteThenCreate, ReplaceBecauseChangedRemotely)), Some("drift: push time moved; replaced")),
    row("T9", (&[Same(InsideLeadTime), NewText(InsideLeadTime)], &[Tracked], &[Changed]), Some((Delete, DeleteBecauseChangedInsideLeadTime)), CANCELLED),
    row("T10", (&[Same(Deferred), NewText(Deferred)], &[Tracked], &[Changed]), Some((Delete, DeleteBecauseChangedAndDeferred)), CANCELLED),
    row("T11", (&[Removed], &[Tracked], &[Changed]), Some((Delete, DeleteBecauseRemovedFromConfig)), CANCELLED),
    row("T12", (&[Disabled], &[Tracked], &[Changed]), Some((Delete, DeleteBecauseCampaignDisabled)), CANCELLED),
    row("T13", (NO_LONGER, &[Tracked], &[Changed]), Some((Delete, DeleteBecauseNoLongerScheduled)), CANCELLED),
    row("T14", (&[Removed], &[Tracked], QUIET), Some((Delete, DeleteBecauseRemovedFromConfig)), None),
    row("T15", (&[Disabled], &[Tracked], QUIET), Some((Delete, DeleteBecauseCampaignDisabled)), None),
    row("T16", (NO_LONGER, &[Tracked], QUIET), Some((Delete, DeleteBecauseNoLongerScheduled)), None),
    row("T17", (KEPT, &[Tracked], QUIET), None, None),
    row("T18", (&[NewText(Schedulable)], &[Tracked], QUIET), Some((DeleteThenCreate, ReplaceBecauseContentChanged)), None),
    row("T19", (&[Moved(Schedulable)], &[Tracked], QUIET), Some((DeleteThenCreate, ReplaceBecauseTimeChanged)), None),
    row("T20", (&[NewText(InsideLeadTime), Moved(InsideLeadTime)], &[Tracked], QUIET), Some((Delete, DeleteBecauseChangedInsideLeadTime)), Some("inside lead time")),
    row("T21", (&[NewText(Deferred), Moved(Deferred)], &[Tracked], QUIET), Some((Delete, DeleteBecauseChangedAndDeferred)), Some("deferred")),
    row("T22", (&[RemovedKeeping], &[Tracked], &[NotAsked, InSync, Changed]), Some((Release, ReleaseBecauseRemoved)), None),
];

#[rustfmt::skip]
const UNTRACKED_ROWS: &[Row] = &[
    row("U1", (&[Disabled], &[Nothing, History, Fired], NOT_ASKED), None, None),
    row("U2", (&[NearEdge], &[Earlier], NOT_ASKED), Some((Create, CreateBecauseNowInWindow)), None),
    row("U3", (&[Same(Schedulable), NearEdge], &[Nothing], NOT_ASKED), Some((Create, CreateBecauseNew)), None),
    row("U4", (&[Same(Schedulable)], &[History, Fired], NOT_ASKED), None, Some("already sent")),
    row("U5", (&[Same(Deferred)], &[Nothing, History, Fired], NOT_ASKED), None, Some("deferred")),
    row("U6", (&[Same(InsideLeadTime)], &[Nothing, History, Fired], NOT_ASKED), None, Some("inside lead time")),
    row("U7", (&[Same(Past)], &[Nothing], NOT_ASKED), None, Some("past skipped")),
    row("U8", (&[Same(Past)], &[History, Fired], NOT_ASKED), None, None),
    row("U9", (&[Same(Due)], &[Nothing, History], NOT_ASKED), Some((Fire, FireBecauseDue)), None),
    row("U10", (&[Same(Due)], &[Fired], NOT_ASKED), None, None),
    row("U11", (&[Same(Missed)], &[Nothing, History], NOT_ASKED), Some((RecordMissed, MissedBecauseGraceWindowPassed)), Some("missed")),
    row("U12", (&[Same(Missed)], &[Fired], NOT_ASKED), None, None),
    row("U13", (&[Same(NotYetDue)], &[Nothing, History, Fired], NOT_ASKED), None, None),
];

/// A row of the bindings table: the hashes (a letter repeated) desired and recorded for one
/// cid, and the change with its before and after prefixes.
struct BindingRow {
    id: &'static str,
    desired: Option<char>,
    recorded: Option<char>,
    change: Option<(BindingAction, Option<&'static str>, Option<&'static str>)>,
}

#[rustfmt::skip]
const BINDING_ROWS: &[BindingRow] = &[
    BindingRow { id: "B1", desired: Some('a'), recorded: None, change: Some((BindingAction::Bind, None, Some("aaaaaaaa"))) },
    BindingRow { id: "B2", desired: Some('b'), recorded: Some('d'), change: Some((BindingAction::Rebind, Some("dddddddd"), Some("bbbbbbbb"))) },
    BindingRow { id: "B3", desired: Some('c'), recorded: Some('c'), change: None },
    BindingRow { id: "B4", desired: None, recorded: Some('e'), change: Some((BindingAction::Unbind, Some("eeeeeeee"), None)) },
];

#[test]
fn diff_plans_what_the_decision_table_says() {
    for row in TRACKED_ROWS.iter().chain(UNTRACKED_ROWS) {
        for &want in row.desired {
            for &rec in row.recorded {
                for &remote in row.remote {
                    check(row, want, rec, remote);
                }
            }
        }
    }
}

#[test]
fn diff_plans_bindings_as_the_decision_table_says() {
    for row in BINDING_ROWS {
        let mut desired = desired(vec![], vec![]);
        let mut state = empty_state();
        if let Some(letter) = row.desired {
            desired
                .bindings
                .insert("cid".into(), PhoneHash(hash(letter)));
        }
        if let Some(letter) = row.recorded {
            state.bindings.insert("cid".into(), binding(&hash(letter)));
        }
        let plan = diff(&desired, &state, None, context());
        let seen: Vec<_> = plan
            .bindings
            .iter()
            .map(|b| {
                (
                    b.action,
                    b.before_prefix.as_deref(),
                    b.after_prefix.as_deref(),
                )
            })
            .collect();
        assert_eq!(seen, Vec::from_iter(row.change), "row {}", row.id);
        assert_eq!(plan.has_changes(), row.change.is_some(), "row {}", row.id);
    }
}

#[test]
fn the_rows_are_the_doc_tables_rows() {
    let doc = include_str!("../mod.rs");
    let doc_rows: Vec<Vec<&str>> = doc
        .lines()
        .filter_map(|line| line.strip_prefix("//! |"))
        .map(|line| line.split('|').map(str::trim).collect::<Vec<_>>())
        .filter(|cells| {
            let id = cells[0];
            id.len() > 1 && id[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    let ids: Vec<&str> = doc_rows.iter().map(|cells| cells[0]).collect();
    let row_ids: Vec<&str> = TRACKED_ROWS
        .iter()
        .chain(UNTRACKED_ROWS)
        .map(|row| row.id)
        .chain(BINDING_ROWS.iter().map(|row| row.id))
        .collect();
    assert_eq!(ids, row_ids);
    for (row, cells) in TRACKED_ROWS.iter().chain(UNTRACKED_ROWS).zip(&doc_rows) {
        let said = match row.change {
            Some((action, reason)) => format!("`{action:?}` (`{reason:?}`)"),
            None => "none".to_owned(),
        };
        assert!(cells[4].starts_with(&said), "row {}: {}", row.id, cells[4]);
    }
    for (row, cells) in BINDING_ROWS.iter().zip(
        doc_rows
            .iter()
            .skip(TRACKED_ROWS.len() + UNTRACKED_ROWS.len()),
    ) {
        let said = match row.change {
            Some((action, _, _)) => format!("`{action:?}`"),
            None => "none".to_owned(),
        };
        assert_eq!(cells[3], said, "row {}", row.id);
    }
}

/// Runs one case of `row` and checks the plan for the key.
fn check(row: &Row, want: Want, rec: Rec, remote: Remote) {
    let case = format!("row {} with {want:?}, {rec:?}, {remote:?}", row.id);
    let desired = desired_of(want);
    let state = state_of(want, rec);
    let refresh = refresh_of(remote);
    let plan = diff(&desired, &state, refresh.as_ref(), context());
    let changes: Vec<(Action, Reason)> =
        plan.changes.iter().map(|c| (c.action, c.reason)).collect();
    assert_eq!(changes, Vec::from_iter(row.change), "{case}");
    let notes: Vec<String> = plan.notes.iter().filter_map(note_words).collect();
    assert_eq!(notes, Vec::from_iter(row.note), "{case}");
    let disabled = Note::CampaignDisabled {
        campaign: "sale".into(),
    };
    assert_eq!(
        plan.notes.contains(&disabled),
        matches!(want, Disabled),
        "{case}"
    );
    let tracked = matches!(rec, Tracked | TrackedPassed);
    for change in &plan.changes {
        let before = change.before.as_ref().map(|b| b.task_id.as_str());
        assert_eq!(before, tracked.then_some("t1"), "{case}");
    }
    expect_calls(&plan, row, want, &case);
}

/// Whether the plan has changes to approve (it calls Getui, or leaves a push on Getui on
/// purpose), and when its earliest create fires.
fn expect_calls(plan: &Plan, row: &Row, want: Want, case: &str) {
    let action = row.change.map(|(action, _)| action);
    let creates = matches!(action, Some(Action::Create | Action::DeleteThenCreate));
    let calls = creates
        || matches!(
            action,
            Some(Action::Delete | Action::Fire | Action::Release)
        );
    assert_eq!(plan.has_changes(), calls, "{case}");
    let earliest = creates.then(|| desired_at(want));
    assert_eq!(plan.meta.earliest_push_time, earliest, "{case}");
}

/// A note about the key in the words of the rows, `None` for `CampaignDisabled`.
fn note_words(note: &Note) -> Option<String> {
    let words = match note {
        Note::Unreachable { error, .. } => format!("unreachable: {error}"),
        Note::AlreadySent { .. } => "already sent".to_owned(),
        Note::Drift { action, .. } => format!("drift: {action}"),
        Note::InsideLeadTime { .. } => "inside lead time".to_owned(),
        Note::Deferred { .. } => "deferred".to_owned(),
        Note::PastOccurrenceSkipped { .. } => "past skipped".to_owned(),
        Note::Missed { .. } => "missed".to_owned(),
        Note::Held { reason, .. } => format!("held: {reason}"),
        Note::CampaignDisabled { .. } | Note::LooksRenamed { .. } => return None,
        Note::Compile(note) => format!("compile: {note:?}"),
    };
    Some(words)
}

/// When an occurrence with `timing` fires, as the fixtures' compile would have it.
fn at(timing: Timing) -> DateTime<Utc> {
    now()
        + match timing {
            Schedulable => Duration::days(2),
            InsideLeadTime => Duration::minutes(5),
            Deferred => Duration::days(9),
            Past => -Duration::hours(1),
            Due => -Duration::minutes(10),
            Missed => -Duration::hours(3),
            NotYetDue => Duration::hours(1),
        }
}

fn desired_at(want: Want) -> DateTime<Utc> {
    match want {
        Removed | RemovedKeeping | Disabled | Unscheduled => at(Schedulable),
        Same(timing) | NewText(timing) | Moved(timing) => at(timing),
        NearEdge => now() + Duration::days(6) + Duration::hours(12),
    }
}

fn recorded_at(want: Want) -> DateTime<Utc> {
    match want {
        Moved(timing) => at(timing) + Duration::days(1),
        other => desired_at(other),
    }
}

fn sale(at: DateTime<Utc>, timing: Timing, text: &str) -> Occurrence {
    occurrence(
        "sale",
        "sale@1",
        at,
        Shanghai,
        timing,
        content("Sale", text),
    )
}

fn desired_of(want: Want) -> Desired {
    let enabled = !matches!(want, Disabled);
    let campaigns = match want {
        Removed | RemovedKeeping => vec![],
        _ => vec![campaign("sale", enabled, Shanghai)],
    };
    let at = desired_at(want);
    let occurrences = match want {
        Removed | RemovedKeeping | Unscheduled => vec![],
        Disabled | NearEdge => vec![sale(at, Schedulable, "50% off")],
        Same(timing) | Moved(timing) => vec![sale(at, timing, "50% off")],
        NewText(timing) => vec![sale(at, timing, "60% off")],
    };
    let mut desired = desired(campaigns, occurrences);
    if let RemovedKeeping = want {
        desired.lifecycle.removed.insert("sale".into(), false);
    }
    desired
}

fn state_of(want: Want, rec: Rec) -> State {
    let mut state = empty_state();
    let at = match rec {
        TrackedPassed => now() - Duration::hours(1),
        _ => recorded_at(want),
    };
    let recorded = sale(at, Schedulable, "50% off");
    let key = recorded.key.clone();
    match rec {
        Nothing => {}
        Tracked | TrackedPassed => {
            state.tasks.insert(key, tracked(&recorded, "t1"));
        }
        History => state.history.push(HistoryEntry {
            key,
            campaign: "sale".into(),
            task_id: Some("t0".into()),
            push_time: at,
            status: RemoteStatus::Sent,
            recorded_at: now(),
            group: None,
            class: None,
            audience: None,
            kind: None,
        }),
        Earlier => state.history.push(HistoryEntry {
            key: super::fixtures::key("sale@0"),
            campaign: "sale".into(),
            task_id: Some("t0".into()),
            push_time: now() - Duration::days(1),
            status: RemoteStatus::Sent,
            recorded_at: now() - Duration::days(1),
            group: None,
            class: None,
            audience: None,
            kind: None,
        }),
        Fired => {
            let fired = FiredPush {
                campaign: "sale".into(),
                task_id: None,
                due_at: at,
                fired_at: None,
                outcome: FireOutcome::Fired,
            };
            state.fired.insert(key, fired);
        }
    }
    state
}

fn refresh_of(remote: Remote) -> Option<Refresh> {
    let view = match remote {
        NotAsked => return None,
        InSync => RemoteView::InSync,
        Deleted => RemoteView::DeletedRemotely,
        Sent => RemoteView::AlreadySent,
        Failed => RemoteView::Failed,
        Changed => RemoteView::ChangedRemotely {
            what: "push time moved".into(),
        },
        Unreachable => RemoteView::Unreachable {
            error: "timeout".into(),
        },
    };
    Some(Refresh {
        tasks: [(key("sale@1"), view)].into(),
    })
}

fn hash(letter: char) -> String {
    letter.to_string().repeat(32)
}

// -----------------------------------------------------------------------------------------
// What is not a row: order

#[test]
fn diff_orders_changes_by_campaign_then_time() {
    let c = || content("a", "b");
    let occurrences = vec![
        occurrence(
            "b",
            "b@2",
            now() + Duration::days(2),
            Shanghai,
            Schedulable,
            c(),
        ),
        occurrence(
            "a",
            "a@3",
            now() + Duration::days(3),
            Shanghai,
            Schedulable,
            c(),
        ),
        occurrence(
            "b",
            "b@1",
            now() + Duration::days(1),
            Shanghai,
            Schedulable,
            c(),
        ),
        occurrence(
            "a",
            "a@1",
            now() + Duration::days(1),
            Shanghai,
            Schedulable,
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

#[test]
fn diff_orders_list_pushes_by_when_they_were_due() {
    let c = || content("a", "b");
    let due = occurrence("vip", "vip@due", at(Due), Shanghai, Due, c());
    let missed = occurrence("vip", "vip@missed", at(Missed), Shanghai, Missed, c());
    let desired = desired(vec![campaign("vip", true, Shanghai)], vec![due, missed]);
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
}

#[test]
fn diff_keeps_the_notes_of_a_campaign_in_key_order() {
    let c = || content("a", "b");
    let occurrences = vec![
        occurrence("sale", "sale@deferred", at(Deferred), Berlin, Deferred, c()),
        occurrence(
            "sale",
            "sale@soon",
            at(InsideLeadTime),
            Berlin,
            InsideLeadTime,
            c(),
        ),
        occurrence(
            "sale",
            "sale@past",
            now() - Duration::days(1),
            Berlin,
            Past,
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
    let kinds: Vec<String> = plan.notes.iter().filter_map(note_words).collect();
    assert_eq!(kinds, ["deferred", "past skipped", "inside lead time"]);
}

#[test]
fn diff_lists_binding_changes_in_cid_order() {
    let mut desired = desired(vec![], vec![]);
    for (cid, letter) in [("cid-new", 'a'), ("cid-moved", 'b'), ("cid-same", 'c')] {
        desired.bindings.insert(cid.into(), PhoneHash(hash(letter)));
    }
    let mut state = empty_state();
    for (cid, letter) in [("cid-moved", 'd'), ("cid-same", 'c'), ("cid-old", 'e')] {
        state.bindings.insert(cid.into(), binding(&hash(letter)));
    }
    let plan = diff(&desired, &state, None, context());
    let seen: Vec<(&str, BindingAction)> = plan
        .bindings
        .iter()
        .map(|b| (b.cid.as_str(), b.action))
        .collect();
    assert_eq!(
        seen,
        [
            ("cid-moved", BindingAction::Rebind),
            ("cid-new", BindingAction::Bind),
            ("cid-old", BindingAction::Unbind),
        ]
    );
}
