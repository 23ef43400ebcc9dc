//! Scheduled tasks and what names them (B.5–B.9): reading and deleting a scheduled app push,
//! stopping a push, releasing saved content.

use serde_json::{Map, Value};

use super::exchange::{Exchange, check_app_id, decode, generic_ok, to_json};
use crate::emulator::reply::Reply;
use crate::emulator::store::{Store, Task, TaskStatus};
use crate::getui::ResultCode;
use crate::getui::wire::{self, ScheduleTaskResponse};

/// A scheduled app push by id; saved-but-unpushed content and list tasks are not scheduled tasks.
fn scheduled<'s>(store: &'s mut Store, id: &str) -> Result<&'s mut Task, ResultCode> {
    match store.task_mut(id) {
        Some(task) if task.push_time.is_some() && task.status != TaskStatus::Saved => Ok(task),
        _ => Err(ResultCode::NullMsgCommon),
    }
}

pub(super) fn get_schedule_task(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::GetScheduleTask>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    // Read-only, so the task is not marked as changed (which would write it back).
    let task = ex
        .store
        .task(&request.body.task_id)
        .filter(|task| task.push_time.is_some() && task.status != TaskStatus::Saved)
        .ok_or(ResultCode::NullMsgCommon)?;
    Ok(to_json(ScheduleTaskResponse {
        result: ResultCode::Ok,
        task_id: Some(task.id.clone()),
        push_content: Some(task.content.clone()),
        push_time: task.push_time_text.clone(),
        creat_time: Some(task.created_at.timestamp_millis().to_string()),
        send_result: Some(task.status.wire_name().to_owned()),
        extra: Map::new(),
    })
    .into())
}

pub(super) fn del_schedule_task(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::DelScheduleTask>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let task = scheduled(ex.store, &request.body.task_id)?;
    match task.status {
        TaskStatus::DoNotSend => task.status = TaskStatus::HasDelete,
        TaskStatus::HasDelete => {}
        _ => return Err(ResultCode::Error),
    }
    ex.store.dirty = true;
    Ok(generic_ok().into())
}

pub(super) fn stop_task(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::StopTask>(body)?;
    let task = ex
        .store
        .task_mut(&request.body.content_id)
        .ok_or(ResultCode::NullMsgCommon)?;
    match task.status {
        TaskStatus::DoNotSend => task.status = TaskStatus::HasDelete,
        TaskStatus::Saved => task.cancelled = true,
        _ => {}
    }
    ex.store.dirty = true;
    Ok(generic_ok().into())
}

/// Releases saved content: a later push of its id is refused.
pub(super) fn cancel_content_id(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::CancelContentId>(body)?;
    let task = ex
        .store
        .task_mut(&request.body.content_id)
        .ok_or(ResultCode::NullMsgCommon)?;
    task.cancelled = true;
    ex.store.dirty = true;
    Ok(generic_ok().into())
}
