//! Settles a create or a fire whose answer was lost, from answers Getui documents only.
//!
//! A push is prepared before it is sent, and what names it is journaled in between
//! ([`PreparedPush`]). A lost answer is then settled by what Getui documents about that
//! name (`getui-protocol.md` B.6, B.14, F.3, F.4, F.7):
//!
//! | prepared as | settled by | proves it made | proves it not made |
//! | --- | --- | --- | --- |
//! | a task id (legacy content id) | `getScheduleTask` | a task in any state | Getui's "no such task" code |
//! | a `request_id` (V2 app push) | the same request again | its answer's task id, read back | nothing |
//! | a list message (both) | the push report of its task | any counter above zero | nothing |
//!
//! A resend is made only where an answer proves the first request did not land (legacy:
//! "no such task" for the content id, and the resend pushes that same content id), or
//! where Getui itself drops a copy (V2: the same `request_id`). Absence of proof is not
//! proof of absence: reports lag and count zero until they catch up, so a list push whose
//! report shows nothing is held, never sent again by gtcamp, and settled by a later run or
//! by a person (`gtcamp apply --resend-unconfirmed KEY`).

use chrono::{DateTime, Utc};

use crate::compile::{Desired, RemoteRequest};
use crate::getui::PushApi;
use crate::getui::api::{AppPush, PreparedPush, TaskId, TaskStatus};
use crate::state::Operation;

/// How long after the first send a create prepared as a `request_id` may be sent again under
/// it. Getui documents that it drops a repeated `request_id`, not for how long it remembers
/// one; within the hour a retry meets a memory no sane server has already dropped.
pub const REQUEST_ID_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// How many times a lost create is sent again within one settling.
const RESENDS: u32 = 3;

/// What settling a create established.
#[derive(Debug)]
pub enum Settled {
    /// Getui holds the push as this task.
    Made(TaskId),
    /// A documented answer proves the push was not made: nothing reached anyone.
    NotMade,
    /// Getui refused the push, and a read proved that nothing was made.
    Refused(crate::getui::Error),
    /// Nothing documented shows whether it was made; `reason` says what is known. The push
    /// is not sent again by gtcamp.
    Held(String),
}

/// Settles a create whose answer was lost. With `push`, it may be sent again as the table
/// of the module doc allows; without it (a plan, or a workspace that has changed since), it
/// is only read about.
pub async fn create(api: &dyn PushApi, prepared: &PreparedPush, push: Option<&AppPush>) -> Settled {
    let mut lost = String::new();
    for _ in 0..RESENDS {
        if let PreparedPush::Task(id) = prepared {
            match scheduled(api, id).await {
                Scheduled::Yes => return Settled::Made(id.clone()),
                Scheduled::No if push.is_none() => return Settled::NotMade,
                // Proven not scheduled: pushing the same content id again cannot make two.
                Scheduled::No => {}
                Scheduled::Unknown(reason) => return Settled::Held(reason),
            }
        }
        let Some(push) = push else {
            return Settled::Held(format!(
                "its answer was lost, and only sending the same {prepared} again can tell; the workspace no longer asks for exactly that push"
            ));
        };
        match api.send_scheduled_push(push, prepared).await {
            Ok(task) => return confirmed(api, prepared, task).await,
            Err(error) if error.outcome_unknown() => lost = error.explained(),
            Err(error) => return refused(api, prepared, error).await,
        }
    }
    Settled::Held(format!(
        "its answer was lost, and so were the answers to sending the same {prepared} again ({lost})"
    ))
}

/// Settles a list push whose answer was lost, by the report of its message's task: `Ok`
/// when the report counts a send, else why it is held.
pub async fn fire(api: &dyn PushApi, message: &TaskId) -> Result<(), String> {
    match api.push_reports(std::slice::from_ref(message)).await {
        Ok(reports)
            if reports
                .iter()
                .any(|r| &r.task == message && r.shows_a_send()) =>
        {
            Ok(())
        }
        Ok(_) => Err(format!(
            "its answer was lost and Getui's report of task {message} counts no send yet; reports lag behind a push, so that proves nothing"
        )),
        Err(error) => Err(format!(
            "its answer was lost and Getui's report of task {message} could not be read ({})",
            error.explained()
        )),
    }
}

/// The `request_id` under which an open create, journaled at `journaled_at`, may be sent
/// again by this apply: only a V2 app push, for the same occurrence with the same content,
/// within [`REQUEST_ID_WINDOW`] of the first send. `Err` says why not, for the person
/// reading; `Ok(None)` is an operation of another kind.
pub fn resumable<'o>(
    operation: &'o Operation,
    journaled_at: DateTime<Utc>,
    desired: &Desired,
    now: DateTime<Utc>,
) -> Result<Option<&'o PreparedPush>, String> {
    let Operation::CreateTask {
        key,
        campaign,
        fingerprint,
        prepared: Some(prepared @ PreparedPush::Request(_)),
        ..
    } = operation
    else {
        return Ok(None);
    };
    // A campaign renamed since (`Moved`) still wants the same push, under its new name.
    let key_now = desired.lifecycle.key_now(key, campaign);
    let same = desired.occurrences.get(&key_now).is_some_and(|o| {
        &o.fingerprint == fingerprint && matches!(o.request, RemoteRequest::Scheduled(_))
    });
    if !same {
        return Err(
            "the workspace has changed since, so the same request cannot be sent again".to_owned(),
        );
    }
    if now - journaled_at > REQUEST_ID_WINDOW {
        return Err(format!(
            "it was sent at {journaled_at}, longer ago than Getui can be relied on to remember its request_id ({} minutes)",
            REQUEST_ID_WINDOW.num_minutes()
        ));
    }
    Ok(Some(prepared))
}

/// What `getScheduleTask` says of a task id the push was prepared as.
enum Scheduled {
    Yes,
    No,
    Unknown(String),
}

/// Any state of the task proves the push was made, even `has_delete` (made, then deleted
/// by someone); only Getui's "no such task" proves it was not.
async fn scheduled(api: &dyn PushApi, id: &TaskId) -> Scheduled {
    match api.scheduled_task(id).await {
        Ok(task) => match task.status {
            TaskStatus::Other(status) => Scheduled::Unknown(format!(
                "Getui reported task {id} as `{status}`, which gtcamp does not know"
            )),
            _ => Scheduled::Yes,
        },
        Err(error) if error.means_no_such_task() => Scheduled::No,
        Err(error) => Scheduled::Unknown(format!(
            "its answer was lost and task {id} could not be read ({})",
            error.explained()
        )),
    }
}

/// The answer to a resend. A task id that answers a repeated `request_id` is read back
/// before it is believed: how Getui answers a copy it drops is undocumented.
async fn confirmed(api: &dyn PushApi, prepared: &PreparedPush, task: TaskId) -> Settled {
    if let PreparedPush::Task(_) = prepared {
        return Settled::Made(task);
    }
    match scheduled(api, &task).await {
        Scheduled::Yes => Settled::Made(task),
        Scheduled::No => Settled::Held(format!(
            "its answer was lost; sent again under the same {prepared}, it was answered task {task}, which Getui then said it does not hold"
        )),
        Scheduled::Unknown(reason) => Settled::Held(reason),
    }
}

/// A refused resend. Legacy: a read tells whether the first push had landed after all. V2:
/// a refused repeat proves nothing about the first request.
async fn refused(
    api: &dyn PushApi,
    prepared: &PreparedPush,
    error: crate::getui::Error,
) -> Settled {
    match prepared {
        PreparedPush::Task(id) => match scheduled(api, id).await {
            Scheduled::Yes => Settled::Made(id.clone()),
            Scheduled::No => Settled::Refused(error),
            Scheduled::Unknown(reason) => Settled::Held(reason),
        },
        PreparedPush::Request(_) => Settled::Held(format!(
            "its answer was lost, and Getui refused the same {prepared} sent again ({})",
            error.explained()
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::Mutex;

    use super::*;
    use crate::getui::api::{
        ChannelCounts, CidResult, Condition, ListPush, ListPushOutcome, PhoneBinding, PushReport,
        PushTime, ScheduledTask,
    };
    use crate::getui::{Error, ResultCode};

    /// A Getui whose answers are scripted, call by call; an unscripted call fails the test.
    #[derive(Default)]
    struct Scripted {
        reads: Mutex<VecDeque<Result<ScheduledTask, Error>>>,
        sends: Mutex<VecDeque<Result<TaskId, Error>>>,
        reports: Mutex<VecDeque<Result<Vec<PushReport>, Error>>>,
        sent: Mutex<Vec<PreparedPush>>,
    }

    impl Scripted {
        fn reads(self, answers: Vec<Result<ScheduledTask, Error>>) -> Self {
            *self.reads.lock().unwrap() = answers.into();
            self
        }
        fn sends(self, answers: Vec<Result<TaskId, Error>>) -> Self {
            *self.sends.lock().unwrap() = answers.into();
            self
        }
        fn reports(self, answers: Vec<Result<Vec<PushReport>, Error>>) -> Self {
            *self.reports.lock().unwrap() = answers.into();
            self
        }
        fn sent(&self) -> Vec<PreparedPush> {
            self.sent.lock().unwrap().clone()
        }
    }

    fn next<T>(queue: &Mutex<VecDeque<T>>, what: &str) -> T {
        queue
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| panic!("an unscripted {what}"))
    }

    fn unexpected<T>() -> Result<T, Error> {
        panic!("settling must not make this call")
    }

    #[async_trait::async_trait]
    impl PushApi for Scripted {
        async fn authenticate(&self) -> Result<(), Error> {
            unexpected()
        }
        async fn prepare_scheduled_push(&self, _: &AppPush) -> Result<PreparedPush, Error> {
            unexpected()
        }
        async fn send_scheduled_push(
            &self,
            _: &AppPush,
            prepared: &PreparedPush,
        ) -> Result<TaskId, Error> {
            self.sent.lock().unwrap().push(prepared.clone());
            next(&self.sends, "send")
        }
        async fn scheduled_task(&self, _: &TaskId) -> Result<ScheduledTask, Error> {
            next(&self.reads, "read")
        }
        async fn delete_scheduled_task(&self, _: &TaskId) -> Result<(), Error> {
            unexpected()
        }
        async fn stop_task(&self, _: &TaskId) -> Result<(), Error> {
            unexpected()
        }
        async fn prepare_list_push(&self, _: &ListPush) -> Result<TaskId, Error> {
            unexpected()
        }
        async fn send_list_push(&self, _: &ListPush, _: &TaskId) -> Result<ListPushOutcome, Error> {
            unexpected()
        }
        async fn push_reports(&self, _: &[TaskId]) -> Result<Vec<PushReport>, Error> {
            next(&self.reports, "report")
        }
        fn report_batch(&self) -> usize {
            crate::getui::api::REPORT_BATCH
        }
        async fn push_report_detail(&self, _: &TaskId) -> Result<Option<PushReport>, Error> {
            Ok(None)
        }
        async fn bind_phones(&self, _: &[PhoneBinding]) -> Result<Vec<CidResult>, Error> {
            unexpected()
        }
        async fn unbind_phones(&self, _: &[String]) -> Result<Vec<CidResult>, Error> {
            unexpected()
        }
        async fn query_phones(&self, _: &[String]) -> Result<Vec<CidResult>, Error> {
            unexpected()
        }
        async fn count_users(&self, _: &[Condition]) -> Result<u64, Error> {
            unexpected()
        }
        async fn bind_alias(&self, _: &str, _: &str) -> Result<(), Error> {
            unexpected()
        }
        async fn cids_of_alias(&self, _: &str) -> Result<Vec<String>, Error> {
            unexpected()
        }
    }

    fn id(text: &str) -> TaskId {
        TaskId(text.to_owned())
    }

    fn task(text: &str, status: &str) -> Result<ScheduledTask, Error> {
        Ok(ScheduledTask {
            id: id(text),
            status: TaskStatus::from_wire(status),
            push_time: PushTime::parse("203001091200"),
            created_ms: None,
            content: None,
        })
    }

    fn no_such_task() -> Result<ScheduledTask, Error> {
        Err(Error::Api {
            action: "getScheduleTaskAction",
            code: ResultCode::NullMsgCommon,
        })
    }

    fn lost<T>() -> Result<T, Error> {
        Err(Error::OutcomeUnknown {
            action: "pushMessageToAppAction",
            reason: "connection closed".into(),
        })
    }

    fn refused<T>(code: &str) -> Result<T, Error> {
        Err(Error::Api {
            action: "pushMessageToAppAction",
            code: ResultCode::from_wire(code),
        })
    }

    fn push() -> AppPush {
        AppPush {
            template: crate::getui::template::PushTemplate::new(
                crate::getui::template::TemplateKind::Transmission,
            ),
            conditions: Vec::new(),
            push_time: PushTime::parse("203001091200").unwrap(),
            delivery: Default::default(),
            group: None,
            attempt: None,
        }
    }

    fn report(task: &str, sent: u64) -> PushReport {
        PushReport {
            task: id(task),
            channels: vec![ChannelCounts {
                channel: "GT".into(),
                sent: Some(sent),
                ..ChannelCounts::default()
            }],
        }
    }

    fn settle_create(api: &Scripted, prepared: &PreparedPush, push: Option<&AppPush>) -> Settled {
        futures::executor::block_on(create(api, prepared, push))
    }

    #[test]
    fn a_content_id_getui_holds_in_any_state_was_made_and_is_not_pushed_again() {
        for status in ["do_not_send", "send_success", "send_failed", "has_delete"] {
            let api = Scripted::default().reads(vec![task("OSA-1", status)]);
            let prepared = PreparedPush::Task(id("OSA-1"));
            let settled = settle_create(&api, &prepared, Some(&push()));
            assert!(
                matches!(settled, Settled::Made(ref t) if t == &id("OSA-1")),
                "{status}: {settled:?}"
            );
            assert!(api.sent().is_empty(), "{status}");
        }
    }

    #[test]
    fn a_content_id_getui_does_not_hold_is_pushed_again_under_the_same_id() {
        let prepared = PreparedPush::Task(id("OSA-1"));
        let api = Scripted::default()
            .reads(vec![no_such_task()])
            .sends(vec![Ok(id("OSA-1"))]);
        let settled = settle_create(&api, &prepared, Some(&push()));
        assert!(matches!(settled, Settled::Made(_)), "{settled:?}");
        assert_eq!(api.sent(), vec![prepared.clone()]);
        // Without the push to repeat (a plan), the same answer only settles it as not made.
        let api = Scripted::default().reads(vec![no_such_task()]);
        assert!(matches!(
            settle_create(&api, &prepared, None),
            Settled::NotMade
        ));
        assert!(api.sent().is_empty());
    }

    #[test]
    fn a_refused_repush_is_a_refusal_only_when_a_read_still_finds_no_task() {
        let prepared = PreparedPush::Task(id("OSA-1"));
        let api = Scripted::default()
            .reads(vec![no_such_task(), no_such_task()])
            .sends(vec![refused("AppIdNoUsers")]);
        let settled = settle_create(&api, &prepared, Some(&push()));
        assert!(matches!(settled, Settled::Refused(_)), "{settled:?}");
        // The first push landed meanwhile (Getui refuses the repeat): made, not refused.
        let api = Scripted::default()
            .reads(vec![no_such_task(), task("OSA-1", "do_not_send")])
            .sends(vec![refused("RepeatedContent")]);
        let settled = settle_create(&api, &prepared, Some(&push()));
        assert!(matches!(settled, Settled::Made(_)), "{settled:?}");
    }

    #[test]
    fn a_read_that_proves_nothing_holds_the_create_and_sends_nothing() {
        let prepared = PreparedPush::Task(id("OSA-1"));
        for answer in [refused("flow_exceeded"), task("OSA-1", "paused"), lost()] {
            let api = Scripted::default().reads(vec![answer]);
            let settled = settle_create(&api, &prepared, Some(&push()));
            assert!(matches!(settled, Settled::Held(_)), "{settled:?}");
            assert!(api.sent().is_empty());
        }
    }

    #[test]
    fn a_request_id_is_sent_again_unchanged_and_its_answer_read_back() {
        let prepared = PreparedPush::Request("r".repeat(32));
        let api = Scripted::default()
            .sends(vec![lost(), Ok(id("RASA-1"))])
            .reads(vec![task("RASA-1", "do_not_send")]);
        let settled = settle_create(&api, &prepared, Some(&push()));
        assert!(
            matches!(settled, Settled::Made(ref t) if t == &id("RASA-1")),
            "{settled:?}"
        );
        assert_eq!(api.sent(), vec![prepared.clone(), prepared.clone()]);
    }

    #[test]
    fn a_request_id_whose_answer_names_no_task_is_held_not_recreated() {
        let prepared = PreparedPush::Request("r".repeat(32));
        let api = Scripted::default()
            .sends(vec![Ok(id("RASA-ghost"))])
            .reads(vec![Err(Error::V2 {
                action: "GET /task/schedule/{taskid}",
                code: crate::getui::v2::Code::from_i64(20001),
                msg: "taskid is invalid or taskid is deleted".into(),
            })]);
        let settled = settle_create(&api, &prepared, Some(&push()));
        assert!(
            matches!(settled, Settled::Held(ref why) if why.contains("RASA-ghost")),
            "{settled:?}"
        );
        assert_eq!(api.sent().len(), 1);
    }

    #[test]
    fn a_request_id_refused_or_lost_every_time_is_held_after_three_sends() {
        let prepared = PreparedPush::Request("r".repeat(32));
        let api = Scripted::default().sends(vec![lost(), lost(), lost()]);
        assert!(matches!(
            settle_create(&api, &prepared, Some(&push())),
            Settled::Held(_)
        ));
        assert_eq!(api.sent().len(), 3);
        let api = Scripted::default().sends(vec![refused("flow_exceeded")]);
        assert!(matches!(
            settle_create(&api, &prepared, Some(&push())),
            Settled::Held(_)
        ));
        // Nothing can be read about a request id, so without the push it is held.
        let api = Scripted::default();
        assert!(matches!(
            settle_create(&api, &prepared, None),
            Settled::Held(_)
        ));
        assert!(api.sent().is_empty());
    }

    #[test]
    fn a_list_push_is_fired_only_when_its_report_counts_a_send() {
        let message = id("OSL-1");
        let fire = |api: &Scripted| futures::executor::block_on(fire(api, &message));
        let api = Scripted::default().reports(vec![Ok(vec![report("OSL-1", 3)])]);
        assert_eq!(fire(&api), Ok(()));
        let nothing_yet = [
            Ok(vec![report("OSL-1", 0)]),
            Ok(Vec::new()),
            Ok(vec![report("OSL-other", 5)]),
            lost(),
        ];
        for answer in nothing_yet {
            let api = Scripted::default().reports(vec![answer]);
            assert!(fire(&api).is_err());
        }
    }
}
