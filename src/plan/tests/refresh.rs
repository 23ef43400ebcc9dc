//! Refresh against a fake Getui that answers `getScheduleTask` from a map and counts how
//! many calls are in flight at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Duration;
use chrono_tz::Asia::Shanghai;

use super::fixtures::*;
use crate::compile::{Occurrence, SentContent, Timing};
use crate::getui::api::*;
use crate::getui::template::{PushTemplate, TemplateKind};
use crate::getui::{Error, PushApi, ResultCode};
use crate::plan::{RemoteView, refresh};
use crate::state::State;

/// Answers per task id; an id it does not know gets `NullMsgCommon`.
#[derive(Default)]
struct FakeGetui {
    answers: HashMap<String, Result<ScheduledTask, &'static str>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

fn refused() -> Error {
    Error::InvalidRequest {
        reason: "not used by refresh".into(),
    }
}

#[async_trait::async_trait]
impl PushApi for FakeGetui {
    async fn authenticate(&self) -> Result<(), Error> {
        Ok(())
    }
    async fn prepare_scheduled_push(&self, _: &AppPush) -> Result<PreparedPush, Error> {
        Err(refused())
    }
    async fn send_scheduled_push(&self, _: &AppPush, _: &PreparedPush) -> Result<TaskId, Error> {
        Err(refused())
    }
    async fn scheduled_task(&self, id: &TaskId) -> Result<ScheduledTask, Error> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::task::yield_now().await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        match self.answers.get(&id.0) {
            Some(Ok(task)) => Ok(task.clone()),
            Some(Err(action)) => Err(Error::Timeout {
                action,
                timeout: std::time::Duration::from_secs(5),
            }),
            None => Err(Error::Api {
                action: "getScheduleTaskAction",
                code: ResultCode::NullMsgCommon,
            }),
        }
    }
    async fn delete_scheduled_task(&self, _: &TaskId) -> Result<(), Error> {
        Err(refused())
    }
    async fn stop_task(&self, _: &TaskId) -> Result<(), Error> {
        Err(refused())
    }
    async fn prepare_list_push(&self, _: &ListPush) -> Result<TaskId, Error> {
        Err(refused())
    }
    async fn send_list_push(&self, _: &ListPush, _: &TaskId) -> Result<ListPushOutcome, Error> {
        Err(refused())
    }
    async fn push_reports(&self, _: &[TaskId]) -> Result<Vec<PushReport>, Error> {
        Err(refused())
    }
    fn report_batch(&self) -> usize {
        crate::getui::api::REPORT_BATCH
    }
    async fn push_report_detail(&self, _: &TaskId) -> Result<Option<PushReport>, Error> {
        Err(refused())
    }
    async fn bind_phones(&self, _: &[PhoneBinding]) -> Result<Vec<CidResult>, Error> {
        Err(refused())
    }
    async fn unbind_phones(&self, _: &[String]) -> Result<Vec<CidResult>, Error> {
        Err(refused())
    }
    async fn query_phones(&self, _: &[String]) -> Result<Vec<CidResult>, Error> {
        Err(refused())
    }
    async fn count_users(&self, _: &[Condition]) -> Result<u64, Error> {
        Err(refused())
    }
    async fn bind_alias(&self, _: &str, _: &str) -> Result<(), Error> {
        Err(refused())
    }
    async fn cids_of_alias(&self, _: &str) -> Result<Vec<String>, Error> {
        Err(refused())
    }
}

fn task(
    id: &str,
    status: TaskStatus,
    occurrence: &Occurrence,
    content: Option<&str>,
) -> ScheduledTask {
    ScheduledTask {
        id: TaskId(id.to_owned()),
        status,
        push_time: Some(occurrence.push_time),
        created_ms: None,
        content: content.map(str::to_owned),
    }
}

/// Tasks that were sent with the transmission content `payload`, recorded as apply does:
/// the summary in words for people, the digest of what was sent for refresh.
fn tracked_state(occurrences: &[(&str, &Occurrence)]) -> State {
    let mut state = empty_state();
    for (id, occurrence) in occurrences {
        let mut task = tracked(occurrence, id);
        task.content.transmission = Some("payload (the app decides whether to start)".into());
        task.sent = Some(sent_with_transmission("payload"));
        state.tasks.insert(occurrence.key.clone(), task);
    }
    state
}

fn sent_with_transmission(content: &str) -> SentContent {
    let mut template = PushTemplate::new(TemplateKind::Transmission);
    template.transmission_content = content.to_owned();
    SentContent::of(&template)
}

/// One send of campaign `sale`, a day from now.
fn tomorrows_sale() -> Occurrence {
    occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(1),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    )
}

/// Refresh's view of one waiting task, tracked as `tracked`, that Getui reports with the
/// transmission content `remote`.
async fn view_of_waiting(tracked: crate::state::TrackedTask, remote: &str) -> RemoteView {
    let occurrence = tomorrows_sale();
    let mut getui = FakeGetui::default();
    let answer = task(
        &tracked.task_id,
        TaskStatus::DoNotSend,
        &occurrence,
        Some(remote),
    );
    getui.answers.insert(tracked.task_id.clone(), Ok(answer));
    let mut state = empty_state();
    state.tasks.insert(occurrence.key.clone(), tracked);
    let result = refresh(&getui, &state, 1).await;
    result.tasks.into_values().next().expect("one view")
}

#[tokio::test]
async fn refresh_compares_the_transmission_content_sent_not_the_words_shown() {
    let base = tomorrows_sale();
    let json = "{\"a\":1}";
    let mut sent = tracked(&base, "t1");
    sent.content.transmission = Some(format!("{json} (starts the app at once)"));
    sent.sent = Some(sent_with_transmission(json));
    assert_eq!(
        view_of_waiting(sent.clone(), json).await,
        RemoteView::InSync
    );
    assert!(matches!(
        view_of_waiting(sent, "{\"a\":2}").await,
        RemoteView::ChangedRemotely { .. }
    ));
}

#[tokio::test]
async fn a_state_from_before_the_sent_digest_is_compared_through_its_summary() {
    let base = tomorrows_sale();
    for launch in ["starts the app at once", "the app decides whether to start"] {
        let mut old = tracked(&base, "t1");
        old.sent = None;
        old.content.transmission = Some(format!("同步 (x) ({launch})"));
        assert_eq!(
            view_of_waiting(old.clone(), "同步 (x)").await,
            RemoteView::InSync
        );
        assert!(matches!(
            view_of_waiting(old, "同步").await,
            RemoteView::ChangedRemotely { .. }
        ));
    }
    // A push sent without transmission content is never compared.
    let mut plain = tracked(&base, "t1");
    plain.sent = None;
    plain.content.transmission = None;
    assert_eq!(view_of_waiting(plain, "").await, RemoteView::InSync);
}

#[tokio::test]
async fn refresh_classifies_every_status_getui_reports() {
    let at = |days| now() + Duration::days(days);
    let o: Vec<Occurrence> = (1..=7)
        .map(|i| {
            occurrence(
                "sale",
                &format!("sale@{i}"),
                at(i),
                Shanghai,
                Timing::Schedulable,
                content("a", "b"),
            )
        })
        .collect();
    let mut moved = task("t7", TaskStatus::DoNotSend, &o[6], Some("payload"));
    moved.push_time = PushTime::parse("203001010000");
    let mut getui = FakeGetui::default();
    getui.answers.insert(
        "t1".into(),
        Ok(task("t1", TaskStatus::DoNotSend, &o[0], Some("payload"))),
    );
    getui.answers.insert(
        "t2".into(),
        Ok(task("t2", TaskStatus::HasDelete, &o[1], None)),
    );
    getui.answers.insert(
        "t3".into(),
        Ok(task("t3", TaskStatus::SendSuccess, &o[2], None)),
    );
    getui.answers.insert(
        "t4".into(),
        Ok(task("t4", TaskStatus::SendFailed, &o[3], None)),
    );
    getui.answers.insert(
        "t5".into(),
        Ok(task("t5", TaskStatus::DoNotSend, &o[4], Some("edited"))),
    );
    getui
        .answers
        .insert("t6".into(), Err("getScheduleTaskAction"));
    getui.answers.insert("t7".into(), Ok(moved));
    let ids = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"];
    let mut pairs: Vec<(&str, &Occurrence)> = ids.iter().copied().zip(o.iter()).collect();
    let extra = occurrence(
        "sale",
        "sale@8",
        at(8),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    pairs.push(("t8", &extra));
    let result = refresh(&getui, &tracked_state(&pairs), 32).await;
    let views: Vec<String> = result
        .tasks
        .values()
        .map(|view| match view {
            RemoteView::ChangedRemotely { what } => format!("changed: {what}"),
            RemoteView::Unreachable { error } => format!("unreachable: {error}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        views,
        [
            "InSync",
            "DeletedRemotely",
            "AlreadySent",
            "Failed",
            "changed: transmission content differs from what gtcamp created",
            "unreachable: Getui did not answer `getScheduleTaskAction` within 5s; Getui did not answer in time (gtcamp retried): try again later",
            "changed: push time 203001010000 on Getui, 202612050800 in state (Beijing time)",
            "DeletedRemotely",
        ]
    );
}

#[tokio::test]
async fn refresh_keeps_at_most_parallelism_calls_in_flight() {
    let o: Vec<Occurrence> = (0..100)
        .map(|i| {
            occurrence(
                "sale",
                &format!("sale@{i:03}"),
                now() + Duration::hours(i + 1),
                Shanghai,
                Timing::Schedulable,
                content("a", "b"),
            )
        })
        .collect();
    let ids: Vec<String> = (0..100).map(|i| format!("t{i}")).collect();
    let mut getui = FakeGetui::default();
    for (id, occurrence) in ids.iter().zip(&o) {
        getui.answers.insert(
            id.clone(),
            Ok(task(id, TaskStatus::DoNotSend, occurrence, Some("payload"))),
        );
    }
    let pairs: Vec<(&str, &Occurrence)> = ids.iter().map(String::as_str).zip(o.iter()).collect();
    let result = refresh(&getui, &tracked_state(&pairs), 8).await;
    assert_eq!(result.tasks.len(), 100);
    assert!(
        result
            .tasks
            .values()
            .all(|view| *view == RemoteView::InSync)
    );
    assert_eq!(getui.most_in_flight.load(Ordering::SeqCst), 8);
}

#[tokio::test]
async fn a_failed_audience_count_shows_as_unknown_and_the_plan_goes_on() {
    let mut sms = content("a", "b");
    sms.sms = Some("SMS 100001 after 2h".into());
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::days(1),
        Shanghai,
        Timing::Schedulable,
        sms,
    );
    let mut wanted = desired(vec![campaign("sale", true, Shanghai)], vec![o]);
    wanted
        .bindings
        .insert("c-1".into(), crate::compile::PhoneHash("0".repeat(32)));
    let mut plan = crate::plan::diff(&wanted, &empty_state(), None, context());
    let getui = FakeGetui::default();
    crate::plan::estimate(&getui, &wanted, &mut plan, true, 4).await;
    let estimate = &plan.estimates["sale"];
    assert!(
        matches!(&estimate.audience, crate::plan::AudienceSize::Unknown { error } if error.contains("not used by refresh")),
        "{estimate:?}"
    );
    assert_eq!(
        estimate.sms,
        Some(crate::plan::SmsNumbers::WorkspaceTotal { numbers: 1 })
    );
    assert_eq!(plan.changes[0].after.as_ref().unwrap().audience_size, None);
    crate::plan::estimate(&getui, &wanted, &mut plan, false, 4).await;
    assert_eq!(
        plan.estimates["sale"].audience,
        crate::plan::AudienceSize::NotAsked
    );
}
