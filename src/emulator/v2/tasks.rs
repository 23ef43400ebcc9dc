//! Tasks by id (F.3): GET and DELETE `/task/schedule/{id}`, DELETE `/task/{id}`.
//!
//! They read and change the one store, so a task created through either protocol answers
//! here. As Getui answered them (`getui-protocol.md` F.7 [L]), GET and DELETE
//! `/task/schedule/{id}` of an id that names no scheduled task, or of a deleted one, are
//! 20001 "taskid is invalid or taskid is deleted" (HTTP 400), so a retried delete reads as
//! "gone" to a client that knows the sentence. Deleting a task that has fired, or fires
//! within a minute, is 22001 [T]. DELETE `/task/{id}` of an unknown id stays 22002 ("task
//! invalid", a guess: nothing shows its answer).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Call, Refusal, Request};
use crate::emulator::actions::exchange::{Exchange, to_json};
use crate::emulator::reply::Reply;
use crate::emulator::store::{Task, TaskStatus};
use crate::getui::v2::Code;
use crate::getui::v2::codes::NO_SUCH_TASK_MSG;
use crate::getui::v2::wire::{Endpoint, ScheduleTask};

/// The id the path names.
fn parameter(request: &Request) -> &str {
    match &request.call {
        Call::Known(
            Endpoint::ScheduleTask(id) | Endpoint::DeleteScheduleTask(id) | Endpoint::StopTask(id),
        ) => id,
        _ => "",
    }
}

/// How close to its push time a task can no longer be deleted [T].
const DELETE_CUTOFF: chrono::Duration = chrono::Duration::minutes(1);

fn no_such_task() -> Refusal {
    Refusal::invalid(NO_SUCH_TASK_MSG)
}

/// A scheduled app push (not content saved for later, nor an immediate push) that has not
/// been deleted.
fn is_scheduled(task: &Task) -> bool {
    task.push_time.is_some() && !matches!(task.status, TaskStatus::Saved | TaskStatus::HasDelete)
}

pub(super) fn get_schedule(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let task = ex
        .store
        .task(parameter(request))
        .filter(|task| is_scheduled(task))
        .ok_or_else(no_such_task)?;
    let report = ScheduleTask {
        create_time: Some(task.created_at.timestamp_millis().to_string()),
        send_result: Some(task.status.wire_name().to_owned()),
        status: None,
        transmission_content: Some(task.content.clone()),
        push_time: task.push_time.map(|at| at.timestamp_millis().to_string()),
    };
    Ok(to_json(BTreeMap::from([(task.id.clone(), report)])).into())
}

pub(super) fn delete_schedule(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let task = ex
        .store
        .task_mut(parameter(request))
        .filter(|task| is_scheduled(task))
        .ok_or_else(no_such_task)?;
    let imminent = task
        .push_time
        .is_some_and(|at| at - ex.now <= DELETE_CUTOFF);
    if task.status != TaskStatus::DoNotSend || imminent {
        return Err(Refusal::new(
            Code::ScheduleAlreadyRun,
            "the scheduled task has already run or runs within a minute and cannot be deleted",
        ));
    }
    task.status = TaskStatus::HasDelete;
    ex.store.dirty = true;
    Ok(Value::Null.into())
}

/// Stops a task: a waiting scheduled one is deleted, saved content can no longer be pushed,
/// a sent one is left as it is.
pub(super) fn stop(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let task = ex
        .store
        .task_mut(parameter(request))
        .ok_or_else(|| Refusal::new(Code::InvalidTaskOrTime, "no task has this id"))?;
    match task.status {
        TaskStatus::DoNotSend => task.status = TaskStatus::HasDelete,
        TaskStatus::Saved => task.cancelled = true,
        _ => {}
    }
    ex.store.dirty = true;
    Ok(Value::Null.into())
}
