//! Finds what a create or a fire whose answer was lost became, by its task group name.
//!
//! A group name carries a hash of the occurrence *and* of its fingerprint (see
//! [`crate::compile::group_name`]), so the tasks in a group were all made from the very
//! request that was sent: an older version of the same occurrence lives in another group and
//! is never taken for the new one. Groups named before the fingerprint was part of the name
//! can still hold an older version; there the push time must match too, and when more than
//! one live task remains nothing is chosen: the operation stays open, and the person is shown
//! the candidates rather than a guess that could record a stale push as current.

use crate::getui::api::{GroupTasks, PushTime, TaskGroupName, TaskId, TaskStatus};
use crate::getui::{Error, PushApi};

/// What a group lookup established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Found {
    /// The one live task the request became.
    Task(TaskId),
    /// No live task in the group: the request was not applied.
    Nothing,
    /// Several live tasks could be it; none is chosen.
    Ambiguous(Vec<TaskId>),
}

impl Found {
    /// Why an ambiguous lookup settles nothing, for the person reading.
    pub(super) fn ambiguity(tasks: &[TaskId]) -> String {
        let ids: Vec<&str> = tasks.iter().map(TaskId::as_str).collect();
        format!(
            "Getui holds {} live tasks in its group ({}); gtcamp will not guess which one it created: cancel the extra ones on Getui, or `gtcamp import` the right one",
            ids.len(),
            ids.join(", ")
        )
    }
}

/// Looks `group` up; `push_time`, when the request had one, must match a candidate's.
pub(super) async fn in_group(
    api: &dyn PushApi,
    group: &TaskGroupName,
    push_time: Option<PushTime>,
) -> Result<Found, Error> {
    Ok(choose(api.tasks_in_group(group).await?, push_time))
}

/// Whether a task of the group is a push that landed: not one cancelled since (a re-created
/// occurrence keeps its group), nor content that was only saved (`getContentId` without the
/// push), which never fires.
fn landed(status: Option<&TaskStatus>) -> bool {
    match status {
        Some(TaskStatus::HasDelete) => false,
        Some(TaskStatus::Other(status)) => status != "saved",
        _ => true,
    }
}

fn choose(group: GroupTasks, push_time: Option<PushTime>) -> Found {
    let live: Vec<_> = group
        .tasks
        .into_iter()
        .filter(|task| landed(task.status.as_ref()))
        .filter(|task| match (push_time, task.push_time) {
            (Some(sent), Some(found)) => sent == found,
            _ => true,
        })
        .collect();
    match live.as_slice() {
        [] => Found::Nothing,
        [only] => Found::Task(only.id.clone()),
        several => Found::Ambiguous(several.iter().map(|task| task.id.clone()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::getui::api::GroupTask;

    fn task(id: &str, status: &str, at: &str) -> GroupTask {
        GroupTask {
            id: TaskId(id.into()),
            status: Some(TaskStatus::from_wire(status)),
            push_time: PushTime::parse(at),
        }
    }

    fn group(tasks: Vec<GroupTask>) -> GroupTasks {
        GroupTasks {
            tasks,
            raw: Default::default(),
        }
    }

    #[test]
    fn the_one_live_task_is_found_and_cancelled_ones_are_skipped() {
        let tasks = vec![
            task("old", "has_delete", "203001071000"),
            task("new", "do_not_send", "203001071000"),
        ];
        let at = PushTime::parse("203001071000");
        assert_eq!(choose(group(tasks), at), Found::Task(TaskId("new".into())));
        assert_eq!(choose(group(Vec::new()), at), Found::Nothing);
    }

    #[test]
    fn content_only_saved_is_not_a_push_that_landed() {
        let tasks = vec![task("saved", "saved", "203001071000")];
        assert_eq!(
            choose(group(tasks), PushTime::parse("203001071000")),
            Found::Nothing
        );
    }

    #[test]
    fn a_live_task_at_another_push_time_is_not_the_one_sent() {
        let tasks = vec![task("other", "do_not_send", "203001081000")];
        let at = PushTime::parse("203001071000");
        assert_eq!(choose(group(tasks), at), Found::Nothing);
    }

    #[test]
    fn two_live_candidates_are_never_guessed_between() {
        let tasks = vec![
            task("v1", "do_not_send", "203001071000"),
            task("v2", "do_not_send", "203001071000"),
        ];
        let found = choose(group(tasks), PushTime::parse("203001071000"));
        let Found::Ambiguous(ids) = found else {
            panic!("{found:?}")
        };
        assert!(Found::ambiguity(&ids).contains("v1, v2"));
    }
}
