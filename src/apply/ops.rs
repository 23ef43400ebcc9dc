//! The remote operations of an apply, each journaled: intent, call, outcome.

use std::sync::Arc;

use chrono::Utc;

use super::journal::Journal;
use super::pace::{NotAdmitted, Pacer};
use super::progress::Progress;
use super::settle::{self, Settled};
use super::{ApplyFailure, Work};
use crate::compile::{Desired, OccurrenceKey, PhoneHash, RemoteRequest, summary_without_targets};
use crate::getui::api::{Attempt, PhoneBinding, PreparedPush, TaskId};
use crate::getui::limits::spent_daily;
use crate::getui::{Error as GetuiError, PushApi, PushKind, TaskRead};
use crate::plan::{Action, Change};
use crate::render::count;
use crate::state::{Operation, Outcome, RemoteStatus};

pub struct Executor<'a> {
    pub journal: Journal<'a>,
    pub api: Arc<dyn PushApi>,
    pub desired: &'a Desired,
    pub progress: &'a Progress,
    pub pacer: Pacer,
}

type Step = Result<usize, Vec<ApplyFailure>>;

impl Executor<'_> {
    pub async fn run(&self, unit: Work<'_>) -> Step {
        match unit {
            Work::Change(change) => self.change(change).await.map_err(|f| vec![f]),
            Work::Bind(pairs) => self.bind(pairs).await,
            Work::Unbind(cids) => self.unbind(cids).await,
            Work::Rename(rename) => self.rename(rename).await.map_err(|f| vec![f]),
            Work::Protect(change) => self.protect(change).await.map_err(|f| vec![f]),
        }
    }

    async fn change(&self, change: &Change) -> Result<usize, ApplyFailure> {
        match change.action {
            Action::Create => self.create(change).await,
            Action::Delete => self.delete(change).await.map(|_| 1),
            // The old task goes first: a push must never be on Getui twice.
            Action::DeleteThenCreate => match self.delete(change).await? {
                // Getui sent the old version meanwhile: sending the new one would send twice.
                Some(RemoteStatus::Sent | RemoteStatus::Failed) => {
                    self.progress.done(&format!(
                        "  {} was sent by Getui before it could be replaced; the new version is not sent",
                        change.key
                    ));
                    Ok(1)
                }
                _ => self.create(change).await,
            },
            Action::Fire => self.fire(change).await,
            Action::RecordMissed => self.record_missed(change).await,
            Action::Forget => self.forget(change).await,
            Action::Release => self.release(change).await,
        }
    }

    /// Prepares the push, journals what names it, sends it, and settles a lost answer from
    /// what Getui documents ([`settle`]). An interrupted create that may be sent again under
    /// its journaled `request_id` is resumed rather than made anew.
    async fn create(&self, change: &Change) -> Result<usize, ApplyFailure> {
        let occurrence = self.occurrence(change)?;
        let RemoteRequest::Scheduled(push) = &occurrence.request else {
            return Err(self.failure(change, None, "the plan schedules a list push"));
        };
        let mut push = push.clone();
        push.group.get_or_insert_with(|| occurrence.group.clone());
        let _admitted = match self.pacer.admit(PushKind::App, self.progress).await {
            Ok(admitted) => admitted,
            Err(NotAdmitted::Spent(spent)) => {
                return Err(self.failure(change, None, &spent.message()));
            }
            Err(NotAdmitted::Stopped) => return Ok(0),
        };
        if let Some((id, prepared)) = self.journal.resumable(&change.key, self.desired) {
            let settled = settle::create(&*self.api, &prepared, Some(&push)).await;
            return self.create_settled(change, id, &prepared, settled).await;
        }
        push.attempt = Some(Attempt::fresh());
        let prepared = match self.api.prepare_scheduled_push(&push).await {
            Ok(prepared) => prepared,
            // Nothing was journaled and nothing can reach a device: a plain failure.
            Err(error) => return Err(self.failure(change, error.code_words(), &error.explained())),
        };
        let operation = Operation::CreateTask {
            key: change.key.clone(),
            campaign: change.campaign.clone(),
            group: occurrence.group.as_str().to_owned(),
            fingerprint: occurrence.fingerprint.clone(),
            push_time: occurrence.fire_at.with_timezone(&Utc),
            timezone: occurrence.fire_at.timezone().name().to_owned(),
            content: Box::new(occurrence.content.clone()),
            sent: Some(occurrence.sent.clone()),
            prepared: Some(prepared.clone()),
            class: Some(occurrence.class()),
        };
        let id = self.begin(change, operation).await?;
        let settled = match self.api.send_scheduled_push(&push, &prepared).await {
            Ok(task) => Settled::Made(task),
            Err(error) if error.outcome_unknown() => {
                settle::create(&*self.api, &prepared, Some(&push)).await
            }
            Err(error) => Settled::Refused(error),
        };
        self.create_settled(change, id, &prepared, settled).await
    }

    async fn create_settled(
        &self,
        change: &Change,
        id: crate::state::OpId,
        prepared: &PreparedPush,
        settled: Settled,
    ) -> Result<usize, ApplyFailure> {
        match settled {
            Settled::Made(task) => self.created(change, id, task).await,
            Settled::NotMade => {
                let message = "Getui says it was not scheduled".to_owned();
                Err(self.refused_with(change, id, None, message).await)
            }
            Settled::Refused(error) => Err(self.refused(change, id, error).await),
            Settled::Held(reason) => Err(self.held(change, id, prepared, reason).await),
        }
    }

    async fn created(
        &self,
        change: &Change,
        id: crate::state::OpId,
        task: TaskId,
    ) -> Result<usize, ApplyFailure> {
        let outcome = Outcome::Created {
            task_id: task.0.clone(),
        };
        self.finish(change, id, outcome).await?;
        self.progress
            .done(&format!("  created {} (task {task})", change.key));
        Ok(1)
    }

    /// Cancels the change's task; `Some(status)` when it had already left Getui's queue.
    async fn delete(&self, change: &Change) -> Result<Option<RemoteStatus>, ApplyFailure> {
        let Some(before) = &change.before else {
            return Err(self.failure(change, None, "the plan names no task to cancel"));
        };
        let operation = Operation::DeleteTask {
            key: change.key.clone(),
            task_id: before.task_id.clone(),
        };
        let id = self.begin(change, operation).await?;
        let task = TaskId(before.task_id.clone());
        match self.api.delete_scheduled_task(&task).await {
            Ok(()) => {
                self.finish(change, id, Outcome::Deleted).await?;
                self.progress
                    .done(&format!("  cancelled {} (task {task})", change.key));
                Ok(None)
            }
            Err(error) => {
                // A task that already fired or was deleted out of band is not a failure.
                if let Some(status) = self.gone(&task).await {
                    self.finish(change, id, Outcome::AlreadyGone { status })
                        .await?;
                    self.progress
                        .done(&format!("  {} was already gone (task {task})", change.key));
                    return Ok(Some(status));
                }
                if error.too_late_to_cancel() {
                    return Err(self.too_late(change, id, &task, &error).await);
                }
                Err(self.refused(change, id, error).await)
            }
        }
    }

    /// Whether a task is no longer waiting on Getui, and why; `None` when it waits or when
    /// the answer proves nothing (see [`TaskRead`]): the cancellation then counts as failed.
    async fn gone(&self, task: &TaskId) -> Option<RemoteStatus> {
        match TaskRead::of(self.api.scheduled_task(task).await) {
            TaskRead::Sent => Some(RemoteStatus::Sent),
            TaskRead::Failed => Some(RemoteStatus::Failed),
            TaskRead::Gone => Some(RemoteStatus::DeletedRemotely),
            TaskRead::Waiting(_) | TaskRead::Unknown { .. } => None,
        }
    }

    /// Saves the message, journals its task id, sends it, and settles a lost answer by the
    /// task's report: a list push is never sent twice, so one the report does not show yet
    /// is held.
    async fn fire(&self, change: &Change) -> Result<usize, ApplyFailure> {
        let occurrence = self.occurrence(change)?;
        let RemoteRequest::List(push) = &occurrence.request else {
            return Err(self.failure(change, None, "the plan fires a scheduled push"));
        };
        let mut push = push.clone();
        push.group.get_or_insert_with(|| occurrence.group.clone());
        push.attempt = Some(Attempt::fresh());
        let _admitted = match self.pacer.admit(PushKind::List, self.progress).await {
            Ok(admitted) => admitted,
            Err(NotAdmitted::Spent(spent)) => {
                return Err(self.failure(change, None, &spent.message()));
            }
            Err(NotAdmitted::Stopped) => return Ok(0),
        };
        let message = match self.api.prepare_list_push(&push).await {
            Ok(message) => message,
            Err(error) => return Err(self.failure(change, error.code_words(), &error.explained())),
        };
        let prepared = PreparedPush::Task(message.clone());
        let operation = Operation::FireListPush {
            key: change.key.clone(),
            campaign: change.campaign.clone(),
            group: occurrence.group.as_str().to_owned(),
            due_at: occurrence.fire_at.with_timezone(&Utc),
            prepared: Some(prepared.clone()),
            class: Some(occurrence.class()),
            audience: Some(summary_without_targets(&occurrence.content.audience).to_owned()),
        };
        let id = self.begin(change, operation).await?;
        match self.api.send_list_push(&push, &message).await {
            Ok(sent) => self.fired(change, id, sent.task_id).await,
            Err(error) if error.outcome_unknown() => match settle::fire(&*self.api, &message).await
            {
                Ok(()) => self.fired(change, id, message).await,
                Err(reason) => Err(self.held(change, id, &prepared, reason).await),
            },
            Err(error) => Err(self.refused(change, id, error).await),
        }
    }

    async fn fired(
        &self,
        change: &Change,
        id: crate::state::OpId,
        task: TaskId,
    ) -> Result<usize, ApplyFailure> {
        let outcome = Outcome::Fired {
            task_id: Some(task.0.clone()),
        };
        self.finish(change, id, outcome).await?;
        self.progress
            .done(&format!("  fired {} (task {task})", change.key));
        Ok(1)
    }

    async fn record_missed(&self, change: &Change) -> Result<usize, ApplyFailure> {
        let due_at = self
            .desired
            .occurrences
            .get(&change.key)
            .map(|o| o.fire_at.with_timezone(&Utc))
            .or(change.after.as_ref().map(|a| a.push_time))
            .unwrap_or_else(crate::clock::now);
        let operation = Operation::RecordMissed {
            key: change.key.clone(),
            campaign: change.campaign.clone(),
            due_at,
        };
        let id = self.begin(change, operation).await?;
        self.finish(change, id, Outcome::Recorded).await?;
        self.progress.done(&format!(
            "  recorded {} as missed (not sent late)",
            change.key
        ));
        Ok(1)
    }

    /// A task Getui reports sent or failed leaves tracking for history; nothing is sent.
    async fn forget(&self, change: &Change) -> Result<usize, ApplyFailure> {
        let Some(before) = &change.before else {
            return Err(self.failure(change, None, "the plan names no task to forget"));
        };
        let status = match before.status {
            RemoteStatus::Failed => RemoteStatus::Failed,
            RemoteStatus::DeletedRemotely => RemoteStatus::DeletedRemotely,
            _ => RemoteStatus::Sent,
        };
        let operation = Operation::DeleteTask {
            key: change.key.clone(),
            task_id: before.task_id.clone(),
        };
        let id = self.begin(change, operation).await?;
        self.finish(change, id, Outcome::AlreadyGone { status })
            .await?;
        self.progress
            .done(&format!("  moved {} to history", change.key));
        Ok(1)
    }

    /// A task left on Getui (`Removed` with `cancel: false`) leaves tracking; nothing is sent.
    async fn release(&self, change: &Change) -> Result<usize, ApplyFailure> {
        let Some(before) = &change.before else {
            return Err(self.failure(change, None, "the plan names no task to leave"));
        };
        let operation = Operation::Release {
            key: change.key.clone(),
            task_id: before.task_id.clone(),
        };
        let id = self.begin(change, operation).await?;
        self.finish(change, id, Outcome::Recorded).await?;
        self.progress.done(&format!(
            "  left {} on Getui (task {}); gtcamp no longer tracks it",
            change.key, before.task_id
        ));
        Ok(1)
    }

    /// Records a rename in state: what the old name had follows the new one.
    async fn rename(&self, change: &crate::plan::RenameChange) -> Result<usize, ApplyFailure> {
        let rename = &change.rename;
        let operation = Operation::Rename {
            rename: rename.clone(),
        };
        let text = crate::plan::render::rename_text(change);
        self.state_only(operation, &rename.to, &text).await?;
        self.progress.done(&format!("  renamed {text}"));
        Ok(1)
    }

    /// Records a campaign's protection in state.
    async fn protect(&self, change: &crate::plan::ProtectionChange) -> Result<usize, ApplyFailure> {
        let operation = Operation::Protect {
            campaign: change.campaign.clone(),
            protected: change.protected,
        };
        let text = crate::plan::render::protection_text(change);
        self.state_only(operation, &change.campaign, &text).await?;
        self.progress.done(&format!("  {text}"));
        Ok(1)
    }

    /// Journals an operation that only changes state, and its outcome at once.
    async fn state_only(
        &self,
        operation: Operation,
        campaign: &str,
        what: &str,
    ) -> Result<(), ApplyFailure> {
        let failure = |error: crate::state::Error| ApplyFailure {
            campaign: campaign.to_owned(),
            occurrence: what.to_owned(),
            code: None,
            message: format!("not recorded: {error}"),
            held: false,
        };
        let id = self.journal.begin(operation).await.map_err(failure)?;
        self.journal
            .finish(id, Outcome::Recorded)
            .await
            .map_err(failure)
    }

    /// Binds `pairs`; a batch whose answer was lost is read back, and what did not land is
    /// bound again (binding a cid to the same phone twice changes nothing).
    async fn bind(&self, mut pairs: Vec<(String, PhoneHash)>) -> Step {
        let mut bound_before = 0;
        for attempt in 0..=RESENDS {
            let operation = Operation::Bind {
                pairs: pairs.clone(),
            };
            let id = self.begin_bindings(operation).await?;
            let request: Vec<PhoneBinding> = pairs
                .iter()
                .map(|(cid, hash)| PhoneBinding {
                    cid: cid.clone(),
                    phone_hash: hash.0.clone(),
                })
                .collect();
            let result = self.api.bind_phones(&request).await;
            let read_back = match &result {
                Err(error) if error.outcome_unknown() && attempt < RESENDS => {
                    super::recover::bound(&*self.api, &pairs).await.ok()
                }
                _ => None,
            };
            let Some(outcome) = read_back else {
                let cids: Vec<String> = pairs.into_iter().map(|(cid, _)| cid).collect();
                let step = self.bindings_outcome(id, "bound", cids, result).await;
                return step.map(|done| done + bound_before);
            };
            let landed: Vec<String> = match &outcome {
                Outcome::Bindings { done, .. } => done.clone(),
                _ => Vec::new(),
            };
            self.journal
                .finish(id, outcome)
                .await
                .map_err(|e| vec![binding_failure(&landed, None, &e.to_string())])?;
            bound_before += landed.len();
            pairs.retain(|(cid, _)| !landed.contains(cid));
            if pairs.is_empty() {
                return Ok(bound_before);
            }
        }
        Ok(bound_before)
    }

    async fn unbind(&self, cids: Vec<String>) -> Step {
        let operation = Operation::Unbind { cids: cids.clone() };
        let id = self.begin_bindings(operation).await?;
        let result = self.api.unbind_phones(&cids).await;
        self.bindings_outcome(id, "unbound", cids, result).await
    }

    async fn bindings_outcome(
        &self,
        id: crate::state::OpId,
        verb: &str,
        cids: Vec<String>,
        result: Result<Vec<crate::getui::api::CidResult>, GetuiError>,
    ) -> Step {
        let answers = match result {
            Ok(answers) => answers,
            Err(error) => {
                let (code, message) = code_and_message(&error);
                let outcome = if error.outcome_unknown() {
                    Outcome::Unknown {
                        message: message.clone(),
                    }
                } else {
                    Outcome::Failed {
                        code: code.clone(),
                        message: message.clone(),
                    }
                };
                self.journal
                    .finish(id, outcome)
                    .await
                    .map_err(|e| vec![binding_failure(&cids, None, &e.to_string())])?;
                return Err(vec![binding_failure(&cids, code, &message)]);
            }
        };
        let mut done = Vec::new();
        let mut refused = Vec::new();
        for cid in &cids {
            match answers.iter().find(|a| &a.cid == cid) {
                Some(answer) if answer.code.is_success() => done.push(cid.clone()),
                Some(answer) => refused.push((
                    cid.clone(),
                    format!("{} ({})", answer.code.as_str(), answer.code.meaning()),
                )),
                None => refused.push((cid.clone(), "no answer for this cid".to_owned())),
            }
        }
        let outcome = Outcome::Bindings {
            done: done.clone(),
            refused: refused.clone(),
        };
        self.journal
            .finish(id, outcome)
            .await
            .map_err(|e| vec![binding_failure(&cids, None, &e.to_string())])?;
        self.progress.done(&format!(
            "  {verb} {} of {}",
            done.len(),
            count(cids.len(), "cid", "cids")
        ));
        if refused.is_empty() {
            return Ok(done.len());
        }
        Err(refused
            .into_iter()
            .map(|(cid, code)| ApplyFailure {
                campaign: "phone bindings".to_owned(),
                occurrence: format!("cid `{cid}`"),
                code: Some(code),
                message: format!("the binding was not {verb}"),
                held: false,
            })
            .collect())
    }

    async fn begin_bindings(
        &self,
        operation: Operation,
    ) -> Result<crate::state::OpId, Vec<ApplyFailure>> {
        let cids: Vec<String> = match &operation {
            Operation::Bind { pairs } => pairs.iter().map(|(cid, _)| cid.clone()).collect(),
            Operation::Unbind { cids } => cids.clone(),
            _ => Vec::new(),
        };
        self.journal
            .begin(operation)
            .await
            .map_err(|e| vec![binding_failure(&cids, None, &format!("not started: {e}"))])
    }

    fn occurrence(&self, change: &Change) -> Result<&crate::compile::Occurrence, ApplyFailure> {
        let Some(occurrence) = self.desired.occurrences.get(&change.key) else {
            return Err(self.failure(change, None, "the workspace no longer has this occurrence"));
        };
        if let Some(after) = &change.after
            && after.fingerprint != occurrence.fingerprint
        {
            return Err(self.failure(
                change,
                None,
                "the workspace changed since the plan was made; plan again",
            ));
        }
        Ok(occurrence)
    }

    async fn begin(
        &self,
        change: &Change,
        operation: Operation,
    ) -> Result<crate::state::OpId, ApplyFailure> {
        self.journal
            .begin(operation)
            .await
            .map_err(|e| self.failure(change, None, &format!("not started: {e}")))
    }

    async fn finish(
        &self,
        change: &Change,
        id: crate::state::OpId,
        outcome: Outcome,
    ) -> Result<(), ApplyFailure> {
        self.journal.finish(id, outcome).await.map_err(|e| {
            self.failure(
                change,
                None,
                &format!("done on Getui but not recorded ({e}); the next run recovers it"),
            )
        })
    }

    /// Journals an operation that nothing documented could settle: it stays open, holds its
    /// occurrence, and is never sent again by gtcamp; a later run settles it.
    async fn held(
        &self,
        change: &Change,
        id: crate::state::OpId,
        prepared: &PreparedPush,
        reason: String,
    ) -> ApplyFailure {
        let message = format!("{reason} ({prepared})");
        let outcome = Outcome::Unknown {
            message: message.clone(),
        };
        let mut failure = match self.finish(change, id, outcome).await {
            Ok(()) => self.failure(change, None, &message),
            Err(failure) => failure,
        };
        failure.held = true;
        failure
    }

    /// Journals a refusal (nothing was applied) and describes it.
    async fn refused(
        &self,
        change: &Change,
        id: crate::state::OpId,
        error: GetuiError,
    ) -> ApplyFailure {
        if error.outcome_unknown() {
            let message = error.explained();
            let outcome = Outcome::Unknown {
                message: message.clone(),
            };
            return match self.finish(change, id, outcome).await {
                Ok(()) => self.failure(change, None, &message),
                Err(failure) => failure,
            };
        }
        let (code, mut message) = code_and_message(&error);
        // No more pushes of its kind are tried this apply; deletes and binds go on.
        if let Some(kind) = spent_daily(&error) {
            message = format!("{message}; {}", self.pacer.daily_spent(kind).message());
        }
        self.refused_with(change, id, code, message).await
    }

    /// Journals a delete Getui refused because the push is running or has run (V2 22001,
    /// answered from a minute before the push time). Nothing is retried in this run: the
    /// next plan reads the task, and once Getui reports it sent, moves it to history
    /// instead of cancelling it again.
    async fn too_late(
        &self,
        change: &Change,
        id: crate::state::OpId,
        task: &TaskId,
        error: &GetuiError,
    ) -> ApplyFailure {
        let message = format!(
            "too late to cancel: the push is running or has run (task {task}); the next plan shows what Getui did with it"
        );
        self.refused_with(change, id, error.code_words(), message)
            .await
    }

    /// Journals that nothing was applied, for `code` and `message`, and describes it.
    async fn refused_with(
        &self,
        change: &Change,
        id: crate::state::OpId,
        code: Option<String>,
        message: String,
    ) -> ApplyFailure {
        let outcome = Outcome::Failed {
            code: code.clone(),
            message: message.clone(),
        };
        if let Err(e) = self.journal.finish(id, outcome).await {
            return self.failure(change, None, &format!("{message}; not recorded: {e}"));
        }
        self.failure(change, code, &message)
    }

    fn failure(&self, change: &Change, code: Option<String>, message: &str) -> ApplyFailure {
        ApplyFailure {
            campaign: change.campaign.clone(),
            occurrence: self.describe(&change.key, change),
            code,
            message: message.to_owned(),
            held: false,
        }
    }

    /// The occurrence with its time in the campaign's zone, and in Beijing time when different.
    fn describe(&self, key: &OccurrenceKey, change: &Change) -> String {
        let instant = self
            .desired
            .occurrences
            .get(key)
            .map(|o| {
                (
                    o.fire_at.with_timezone(&Utc),
                    o.fire_at.timezone().name().to_owned(),
                )
            })
            .or_else(|| {
                let before = change.before.as_ref()?;
                Some((before.push_time, before.timezone.clone()))
            });
        match instant {
            Some((at, zone)) => format!("{key} ({})", crate::render::instant(at, &zone)),
            None => key.to_string(),
        }
    }
}

/// How many times a batch of bindings whose answer was lost is read back and what did not
/// land bound again (binding a cid to the same phone twice changes nothing).
const RESENDS: u32 = 3;

fn code_and_message(error: &GetuiError) -> (Option<String>, String) {
    (error.code_words(), error.explained())
}

fn binding_failure(cids: &[String], code: Option<String>, message: &str) -> ApplyFailure {
    let first = cids.first().map(String::as_str).unwrap_or("");
    ApplyFailure {
        campaign: "phone bindings".to_owned(),
        occurrence: format!("{} from `{first}`", count(cids.len(), "cid", "cids")),
        code,
        message: message.to_owned(),
        held: false,
    }
}
