//! Refresh: asks Getui about every tracked task, concurrently and bounded.
//!
//! Getui has one call per task (`getScheduleTask`), so the time a refresh takes is set by
//! round trips over concurrency; nothing here may serialise the calls or allocate much per
//! task beyond the answer itself.

use futures::stream::{self, StreamExt};

use super::{Refresh, RemoteView};
use crate::compile::transmission_of_summary;
use crate::getui::PushApi;
use crate::getui::api::{PushTime, ScheduledTask, TaskId};
use crate::getui::{Error, TaskRead};
use crate::state::{State, TrackedTask};

/// Asks Getui about every task in `state`, at most `parallelism` at once (at least one).
pub async fn refresh(api: &dyn PushApi, state: &State, parallelism: usize) -> Refresh {
    let asks = state.tasks.iter().map(|(key, tracked)| async move {
        let id = TaskId(tracked.task_id.clone());
        let answer = api.scheduled_task(&id).await;
        (key.clone(), classify(tracked, answer))
    });
    let tasks = stream::iter(asks)
        .buffer_unordered(parallelism.max(1))
        .collect()
        .await;
    Refresh { tasks }
}

/// Compares Getui's answer with what state recorded.
pub(crate) fn classify(tracked: &TrackedTask, answer: Result<ScheduledTask, Error>) -> RemoteView {
    match TaskRead::of(answer) {
        TaskRead::Waiting(task) => compare_waiting(tracked, &task),
        TaskRead::Sent => RemoteView::AlreadySent,
        TaskRead::Failed => RemoteView::Failed,
        TaskRead::Gone => RemoteView::DeletedRemotely,
        TaskRead::Unknown { reason } => RemoteView::Unreachable { error: reason },
    }
}

/// A task still waiting to fire: in sync unless its push time or content moved.
fn compare_waiting(tracked: &TrackedTask, task: &ScheduledTask) -> RemoteView {
    let recorded_time = PushTime::at(&tracked.push_time).ok();
    if let (Some(remote), Some(recorded)) = (task.push_time, recorded_time)
        && remote != recorded
    {
        return RemoteView::ChangedRemotely {
            what: format!(
                "push time {} on Getui, {} in state (Beijing time)",
                remote.wire(),
                recorded.wire()
            ),
        };
    }
    // Only the transmission content is readable back.
    if let Some(remote) = &task.content
        && !transmission_matches(tracked, remote)
    {
        return RemoteView::ChangedRemotely {
            what: "transmission content differs from what gtcamp created".to_owned(),
        };
    }
    RemoteView::InSync
}

/// Whether Getui's transmission content is what gtcamp sent for `tracked`.
fn transmission_matches(tracked: &TrackedTask, remote: &str) -> bool {
    match &tracked.sent {
        Some(sent) => sent.transmission_matches(remote),
        // A state from before `sent` existed: the content is inside the summary's words.
        None => tracked
            .content
            .transmission
            .as_deref()
            .and_then(transmission_of_summary)
            .is_none_or(|sent| sent == remote),
    }
}
