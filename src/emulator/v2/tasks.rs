//! Tasks by id (F.3): GET and DELETE `/task/schedule/{id}`, DELETE `/task/{id}`.
//!
//! They read and change the one store, so a task created through either protocol answers
//! here. An id that names no scheduled task is 22002 ("task invalid"); deleting a task that
//! already fired is 22001; deleting a deleted one answers 0 again, so a retried delete is
//! harmless (as on the legacy side).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Call, Refusal, Request};
use crate::emulator::actions::exchange::{Exchange, to_json};
use crate::emulator::store::{Task, TaskStatus};
use crate::getui::v2::Code;
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

fn no_such_task() -> Refusal {
    Refusal::new(Code::InvalidTaskOrTime, "no scheduled task has this id")
}

/// A scheduled app push (not content saved for later, nor an immediate push).
fn is_scheduled(task: &Task) -> bool {
    task.push_time.is_some() && task.status != TaskStatus::Saved
}

pub(super) fn get_schedule(ex: &mut Exchange<'_>, request: &Request) -> Result<Value, Refusal> {
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
    Ok(to_json(BTreeMap::from([(task.id.clone(), report)])))
}

pub(super) fn delete_schedule(ex: &mut Exchange<'_>, request: &Request) -> Result<Value, Refusal> {
    let task = ex
        .store
        .task_mut(parameter(request))
        .filter(|task| is_scheduled(task))
        .ok_or_else(no_such_task)?;
    match task.status {
        TaskStatus::DoNotSend => task.status = TaskStatus::HasDelete,
        TaskStatus::HasDelete => {}
        _ => {
            return Err(Refusal::new(
                Code::ScheduleAlreadyRun,
                "the scheduled task has already run",
            ));
        }
    }
    ex.store.dirty = true;
    Ok(Value::Null)
}

/// Stops a task: a waiting scheduled one is deleted, saved content can no longer be pushed,
/// a sent one is left as it is.
pub(super) fn stop(ex: &mut Exchange<'_>, request: &Request) -> Result<Value, Refusal> {
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
    Ok(Value::Null)
}
