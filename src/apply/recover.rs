//! Recovery: settles the operations an interrupted run journaled without an outcome.
//!
//! Each one is resolved by asking Getui what happened, never by doing it again: a create or
//! a fire is looked up by its deterministic task group name, a delete by reading the task,
//! a binding by querying the cids. Runs on every plan and apply, right after the lock.

use super::lookup::{self, Found};
use crate::getui::api::{PushTime, TaskGroupName, TaskId};
use crate::getui::{PushApi, TaskRead};
use crate::state::{LockedState, Operation, Outcome, RemoteStatus};

/// Why recovery could not finish; plan and apply stop rather than risk a second send.
#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    #[error(
        "an interrupted run left `{what}` unsettled and Getui could not be asked about it ({reason}); nothing was changed, run again"
    )]
    Unreachable { what: String, reason: String },
    #[error("an interrupted run left `{what}` unsettled: {reason}; nothing was changed")]
    Ambiguous { what: String, reason: String },
    #[error(transparent)]
    State(#[from] crate::state::Error),
}

/// Resolves every unsettled intent; returns one line per resolution for the person watching.
pub async fn recover(state: &LockedState, api: &dyn PushApi) -> Result<Vec<String>, RecoverError> {
    let mut lines = Vec::new();
    for (id, operation) in state.unresolved() {
        let (outcome, line) = resolve(api, &operation).await?;
        state.finish(id, outcome).await?;
        lines.push(line);
    }
    Ok(lines)
}

async fn resolve(
    api: &dyn PushApi,
    operation: &Operation,
) -> Result<(Outcome, String), RecoverError> {
    match operation {
        Operation::CreateTask {
            key,
            group,
            push_time,
            ..
        } => {
            let found = first_in_group(api, group, PushTime::at(push_time).ok(), &key.0).await?;
            Ok(match found {
                Some(task_id) => (
                    Outcome::Created {
                        task_id: task_id.clone(),
                    },
                    format!("recovered: {key} was created (task {task_id})"),
                ),
                None => (
                    not_applied(),
                    format!("recovered: {key} was not created; it will be planned again"),
                ),
            })
        }
        Operation::FireListPush { key, group, .. } => {
            let found = first_in_group(api, group, None, &key.0).await?;
            Ok(match found {
                Some(task_id) => (
                    Outcome::Fired {
                        task_id: Some(task_id.clone()),
                    },
                    format!("recovered: {key} was fired (task {task_id}); it is not fired again"),
                ),
                None => (not_applied(), format!("recovered: {key} was not fired")),
            })
        }
        Operation::DeleteTask { key, task_id } => {
            let outcome = deleted(api, task_id, &key.0).await?;
            Ok((outcome, format!("recovered: the cancellation of {key}")))
        }
        Operation::RecordMissed { key, .. } => Ok((
            Outcome::Recorded,
            format!("recovered: {key} recorded as missed"),
        )),
        Operation::Bind { pairs } => {
            let cids: Vec<String> = pairs.iter().map(|(cid, _)| cid.clone()).collect();
            let answers = query(api, &cids).await?;
            let (done, refused): (Vec<_>, Vec<_>) = pairs.iter().partition(|(cid, hash)| {
                answers.iter().any(|a| {
                    &a.cid == cid
                        && a.code.is_success()
                        && a.extra
                            .values()
                            .any(|v| v.as_str() == Some(hash.0.as_str()))
                })
            });
            Ok((
                Outcome::Bindings {
                    done: done.iter().map(|(cid, _)| cid.clone()).collect(),
                    refused: refused
                        .iter()
                        .map(|(cid, _)| (cid.clone(), "not bound".to_owned()))
                        .collect(),
                },
                format!("recovered: a batch of {} bindings", pairs.len()),
            ))
        }
        Operation::Unbind { cids } => {
            let answers = query(api, cids).await?;
            let (done, refused): (Vec<_>, Vec<_>) = cids.iter().partition(|cid| {
                answers
                    .iter()
                    .any(|a| &a.cid == *cid && !a.code.is_success())
            });
            Ok((
                Outcome::Bindings {
                    done: done.into_iter().cloned().collect(),
                    refused: refused
                        .into_iter()
                        .map(|cid| (cid.clone(), "still bound".to_owned()))
                        .collect(),
                },
                format!("recovered: a batch of {} unbindings", cids.len()),
            ))
        }
    }
}

fn not_applied() -> Outcome {
    Outcome::Failed {
        code: None,
        message: "interrupted before Getui applied it".to_owned(),
    }
}

/// The task the journaled request became, if Getui holds it (see [`lookup`]).
async fn first_in_group(
    api: &dyn PushApi,
    group: &str,
    push_time: Option<PushTime>,
    what: &str,
) -> Result<Option<String>, RecoverError> {
    let name = TaskGroupName::new(group).map_err(|e| unreachable(what, &e))?;
    let found = lookup::in_group(api, &name, push_time)
        .await
        .map_err(|e| unreachable(what, &e))?;
    match found {
        Found::Task(id) => Ok(Some(id.0)),
        Found::Nothing => Ok(None),
        Found::Ambiguous(ids) => Err(RecoverError::Ambiguous {
            what: what.to_owned(),
            reason: Found::ambiguity(&ids),
        }),
    }
}

/// Whether an interrupted cancellation happened: only Getui's word that the task is gone
/// settles it; an answer that proves nothing leaves it open (see [`TaskRead`]).
async fn deleted(api: &dyn PushApi, task_id: &str, what: &str) -> Result<Outcome, RecoverError> {
    let answer = api.scheduled_task(&TaskId(task_id.to_owned())).await;
    match TaskRead::of(answer) {
        TaskRead::Gone => Ok(Outcome::Deleted),
        TaskRead::Sent => Ok(Outcome::AlreadyGone {
            status: RemoteStatus::Sent,
        }),
        TaskRead::Failed => Ok(Outcome::AlreadyGone {
            status: RemoteStatus::Failed,
        }),
        TaskRead::Waiting(_) => Ok(not_applied()),
        TaskRead::Unknown { reason } => Err(RecoverError::Unreachable {
            what: what.to_owned(),
            reason,
        }),
    }
}

async fn query(
    api: &dyn PushApi,
    cids: &[String],
) -> Result<Vec<crate::getui::api::CidResult>, RecoverError> {
    api.query_phones(cids)
        .await
        .map_err(|e| unreachable("a batch of phone bindings", &e))
}

fn unreachable(what: &str, error: &crate::getui::Error) -> RecoverError {
    RecoverError::Unreachable {
        what: what.to_owned(),
        reason: error.to_string(),
    }
}
