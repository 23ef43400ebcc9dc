//! Recovery: settles the operations an interrupted run journaled without an outcome.
//!
//! Each one is resolved by asking Getui what happened, never by doing it again, and only
//! through answers Getui documents ([`settle`]): a create prepared as a task id by reading
//! that task, a fire by its task's push report, a delete by reading the task, a binding by
//! querying the cids. Runs on every plan and apply, right after the lock, and sends nothing:
//! a plan stays read-only. A create prepared as a V2 `request_id` can only be settled by
//! sending it again, so it is left open for the apply to resume (see
//! [`settle::resumable`]) when that is safe, and held when not.
//!
//! One that cannot be settled (Getui could not be asked, or its answer proves nothing)
//! stays open and is held: it holds back only its own occurrence, which the plan leaves
//! alone (a create, a fire or a replace of it could send twice) and shows, and goes on with
//! the rest. A binding batch holds nothing back: binding a cid to the same phone again
//! changes nothing.

use chrono::{DateTime, Utc};

use super::settle::{self, Settled};
use crate::compile::{Desired, OccurrenceKey};
use crate::getui::api::{PreparedPush, TaskId};
use crate::getui::{PushApi, TaskRead};
use crate::render::count;
use crate::state::{LockedState, Operation, Outcome, RemoteStatus};

/// Why recovery could not finish; plan and apply stop rather than risk a second send.
#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    #[error(
        "an interrupted run left `{what}` unsettled and Getui could not be asked about it ({reason}); it is left alone until a later run can"
    )]
    Unreachable { what: String, reason: String },
    #[error("`{what}` is held: {reason}")]
    Held { what: String, reason: String },
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
    /// Creates the next apply sends again under their journaled `request_id`: not held back,
    /// but not settled either.
    pub resumable: Vec<Unsettled>,
}

/// An occurrence an open operation holds back until a later run settles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsettled {
    pub key: OccurrenceKey,
    pub campaign: String,
    pub reason: String,
    /// Getui could not be asked (a cancel whose read failed), rather than a push held
    /// because nothing Getui answered proves whether it landed.
    pub unreachable: bool,
}

/// Resolves every unsettled intent it can; the others stay open (see the module doc).
pub async fn recover(
    state: &LockedState,
    api: &dyn PushApi,
    desired: &Desired,
    now: DateTime<Utc>,
) -> Result<Recovery, RecoverError> {
    let mut recovery = Recovery::default();
    for (id, operation) in state.unresolved() {
        let at = state.opened_at(id).unwrap_or(now);
        let resolved = match settle::resumable(&operation, at, desired, now) {
            Ok(Some(prepared)) => {
                if let Some((key, campaign)) = occurrence_of(&operation) {
                    let reason = format!(
                        "sent without an answer; the next apply sends it again under the same {prepared}, which Getui drops if the first landed"
                    );
                    recovery
                        .lines
                        .push(format!("unsettled: {key} was {reason}"));
                    recovery.resumable.push(Unsettled {
                        campaign: campaign.to_owned(),
                        key,
                        reason,
                        unreachable: false,
                    });
                }
                continue;
            }
            Err(why) => match &operation {
                Operation::CreateTask {
                    key,
                    prepared: Some(prepared),
                    ..
                } => Err(held(
                    key,
                    prepared,
                    format!("its answer was lost, and {why}"),
                )),
                _ => resolve(api, &operation).await,
            },
            Ok(None) => resolve(api, &operation).await,
        };
        match resolved {
            Ok((outcome, line)) => {
                state.finish(id, outcome).await?;
                recovery.settled += 1;
                recovery.lines.push(line);
            }
            Err(RecoverError::State(error)) => return Err(error.into()),
            Err(open) => {
                let line = match &open {
                    // The plan and the apply show why, with what to do about it.
                    RecoverError::Held { what, .. } => format!("unsettled: {what} is held"),
                    other => format!("unsettled: {other}"),
                };
                recovery.lines.push(line);
                if let Some((key, campaign)) = occurrence_of(&operation) {
                    let reason = match &open {
                        RecoverError::Unreachable { reason, .. } => format!(
                            "an interrupted run left it unsettled and Getui could not be asked about it: {reason}"
                        ),
                        // When the push left tells a person how long its report has had.
                        RecoverError::Held { reason, .. } => format!(
                            "sent {}; {reason}",
                            crate::render::instant(at, "Asia/Shanghai")
                        ),
                        other => other.to_string(),
                    };
                    recovery.unsettled.push(Unsettled {
                        key,
                        campaign: campaign.to_owned(),
                        reason,
                        unreachable: matches!(open, RecoverError::Unreachable { .. }),
                    });
                }
            }
        }
    }
    Ok(recovery)
}

/// Gives up the held creates and fires of `key` on a person's word (`apply
/// --resend-unconfirmed`, `import`), `why` saying which: each is recorded as not applied, so
/// it holds the occurrence no longer. Returns how many there were.
pub async fn release(
    state: &LockedState,
    key: &OccurrenceKey,
    why: &str,
) -> Result<usize, crate::state::Error> {
    let mut released = 0;
    for (id, operation) in state.unresolved() {
        let open_key = match &operation {
            Operation::CreateTask { key, .. } | Operation::FireListPush { key, .. } => key,
            _ => continue,
        };
        if open_key != key {
            continue;
        }
        let outcome = Outcome::Failed {
            code: None,
            message: why.to_owned(),
        };
        state.finish(id, outcome).await?;
        released += 1;
    }
    Ok(released)
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
        Operation::Release { key, .. } => {
            let campaign = crate::state::campaign_of(&key.0).unwrap_or(&key.0);
            Some((key.clone(), campaign))
        }
        Operation::Bind { .. }
        | Operation::Unbind { .. }
        | Operation::Rename { .. }
        | Operation::Protect { .. } => None,
    }
}

async fn resolve(
    api: &dyn PushApi,
    operation: &Operation,
) -> Result<(Outcome, String), RecoverError> {
    match operation {
        Operation::CreateTask { key, prepared, .. } => {
            let Some(prepared) = prepared else {
                return Err(from_an_older_version(key));
            };
            match settle::create(api, prepared, None).await {
                Settled::Made(task_id) => Ok((
                    Outcome::Created {
                        task_id: task_id.0.clone(),
                    },
                    format!("recovered: {key} was created (task {task_id})"),
                )),
                Settled::NotMade | Settled::Refused(_) => Ok((
                    not_applied(),
                    format!("recovered: {key} was not created; it will be planned again"),
                )),
                Settled::Held(reason) => Err(held(key, prepared, reason)),
            }
        }
        Operation::FireListPush { key, prepared, .. } => {
            let Some(prepared @ PreparedPush::Task(message)) = prepared else {
                return Err(from_an_older_version(key));
            };
            match settle::fire(api, message).await {
                Ok(()) => Ok((
                    Outcome::Fired {
                        task_id: Some(message.0.clone()),
                    },
                    format!("recovered: {key} was fired (task {message}); it is not fired again"),
                )),
                Err(reason) => Err(held(key, prepared, reason)),
            }
        }
        Operation::DeleteTask { key, task_id } => {
            let outcome = deleted(api, task_id, &key.0).await?;
            Ok((outcome, format!("recovered: the cancellation of {key}")))
        }
        Operation::RecordMissed { key, .. } => Ok((
            Outcome::Recorded,
            format!("recovered: {key} recorded as missed"),
        )),
        // State-only: nothing was sent, so the intent is simply recorded.
        Operation::Rename { rename } => Ok((
            Outcome::Recorded,
            format!(
                "recovered: the rename of {} `{}` to `{}`",
                rename.what, rename.from, rename.to
            ),
        )),
        Operation::Protect { campaign, .. } => Ok((
            Outcome::Recorded,
            format!("recovered: the protection of campaign `{campaign}`"),
        )),
        Operation::Release { key, .. } => Ok((
            Outcome::Recorded,
            format!("recovered: {key} left on Getui and forgotten"),
        )),
        Operation::Bind { pairs } => {
            let outcome = bound(api, pairs)
                .await
                .map_err(|e| unreachable("a batch of phone bindings", &e))?;
            Ok((
                outcome,
                format!(
                    "recovered: a batch of {}",
                    count(pairs.len(), "binding", "bindings")
                ),
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
                format!(
                    "recovered: a batch of {}",
                    count(cids.len(), "unbinding", "unbindings")
                ),
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

/// A create or a fire that nothing documented settles: held, with what to do about it.
fn held(key: &OccurrenceKey, prepared: &PreparedPush, reason: String) -> RecoverError {
    RecoverError::Held {
        what: key.to_string(),
        reason: format!(
            "{reason}; it is not sent again: a later run checks again, or `gtcamp apply --resend-unconfirmed '{key}'` sends it anew ({prepared})"
        ),
    }
}

/// An open create or fire journaled by a gtcamp that did not record what names the push:
/// nothing documented can settle it.
fn from_an_older_version(key: &OccurrenceKey) -> RecoverError {
    RecoverError::Held {
        what: key.to_string(),
        reason: format!(
            "an older gtcamp sent it without an answer and without recording its task id; check Getui's console, then `gtcamp import '{key}' TASK_ID` or `gtcamp apply --resend-unconfirmed '{key}'`"
        ),
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
