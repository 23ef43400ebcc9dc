//! Recovery: settles the operations an interrupted run journaled without an outcome.
//!
//! Each one is resolved by asking Getui what happened, never by doing it again: a create or
//! a fire is looked up by its deterministic task group name, a delete by reading the task,
//! a binding by querying the cids. Runs on every plan and apply, right after the lock.
//!
//! One that cannot be settled (Getui could not be asked, or its answer proves nothing)
//! stays open and holds back only its own occurrence: the plan leaves that occurrence alone
//! (a create, a fire or a replace of it could send twice) and goes on with the rest. A
//! binding batch holds nothing back: binding a cid to the same phone again changes nothing.

use super::lookup::{self, Found};
use crate::compile::OccurrenceKey;
use crate::getui::api::{PushTime, TaskGroupName, TaskId};
use crate::getui::{PushApi, TaskRead};
use crate::state::{LockedState, Operation, Outcome, RemoteStatus};

/// Why recovery could not finish; plan and apply stop rather than risk a second send.
#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    #[error(
        "an interrupted run left `{what}` unsettled and Getui could not be asked about it ({reason}); it is left alone until a later run can"
    )]
    Unreachable { what: String, reason: String },
    #[error("an interrupted run left `{what}` unsettled: {reason}; it is left alone")]
    Ambiguous { what: String, reason: String },
    #[error(transparent)]
    State(#[from] crate::state::Error),
}

/// What recovery did: one line per operation for the person watching, and the occurrences
/// it could not settle.
#[derive(Debug, Default)]
pub struct Recovery {
    pub lines: Vec<String>,
    /// How many operations it settled.
    pub settled: usize,
    pub unsettled: Vec<Unsettled>,
}

/// An occurrence an open operation holds back until a later run settles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsettled {
    pub key: OccurrenceKey,
    pub campaign: String,
    pub reason: String,
}

/// Resolves every unsettled intent it can; the others stay open (see the module doc).
pub async fn recover(state: &LockedState, api: &dyn PushApi) -> Result<Recovery, RecoverError> {
    let mut recovery = Recovery::default();
    for (id, operation) in state.unresolved() {
        match resolve(api, &operation).await {
            Ok((outcome, line)) => {
                state.finish(id, outcome).await?;
                recovery.settled += 1;
                recovery.lines.push(line);
            }
            Err(RecoverError::State(error)) => return Err(error.into()),
            Err(open) => {
                recovery.lines.push(format!("unsettled: {open}"));
                if let Some((key, campaign)) = occurrence_of(&operation) {
                    let reason = match &open {
                        RecoverError::Unreachable { reason, .. } => format!(
                            "an interrupted run left it unsettled and Getui could not be asked about it: {reason}"
                        ),
                        other => other.to_string(),
                    };
                    let campaign = campaign.to_owned();
                    recovery.unsettled.push(Unsettled {
                        key,
                        campaign,
                        reason,
                    });
                }
            }
        }
    }
    Ok(recovery)
}

/// The occurrence an operation acts on, and its campaign; `None` for bindings.
fn occurrence_of(operation: &Operation) -> Option<(OccurrenceKey, &str)> {
    match operation {
        Operation::CreateTask { key, campaign, .. }
        | Operation::FireListPush { key, campaign, .. }
        | Operation::RecordMissed { key, campaign, .. } => Some((key.clone(), campaign)),
        Operation::DeleteTask { key, .. } => {
            let campaign = crate::state::campaign_of(&key.0).unwrap_or(&key.0);
            Some((key.clone(), campaign))
        }
        Operation::Bind { .. } | Operation::Unbind { .. } => None,
    }
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
            let outcome = bound(api, pairs)
                .await
                .map_err(|e| unreachable("a batch of phone bindings", &e))?;
            Ok((
                outcome,
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

/// Which of `pairs` Getui holds bound (done) and which not (refused, for now): the outcome
/// of a bind whose answer was lost, read back with `query_cid_pn`.
pub(super) async fn bound(
    api: &dyn PushApi,
    pairs: &[(String, crate::compile::PhoneHash)],
) -> Result<Outcome, crate::getui::Error> {
    let cids: Vec<String> = pairs.iter().map(|(cid, _)| cid.clone()).collect();
    let answers = api.query_phones(&cids).await?;
    let (done, refused): (Vec<_>, Vec<_>) = pairs.iter().partition(|(cid, hash)| {
        answers.iter().any(|a| {
            &a.cid == cid
                && a.code.is_success()
                && a.extra
                    .values()
                    .any(|v| v.as_str() == Some(hash.0.as_str()))
        })
    });
    Ok(Outcome::Bindings {
        done: done.iter().map(|(cid, _)| cid.clone()).collect(),
        refused: refused
            .iter()
            .map(|(cid, _)| (cid.clone(), "not bound".to_owned()))
            .collect(),
    })
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
        reason: error.explained(),
    }
}
