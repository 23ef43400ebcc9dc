//! Adopting a scheduled task gtcamp did not create, so that later plans manage it.
//!
//! Getui is asked about the task first: only a task that exists and has not fired can be
//! adopted. Its content is not known to match the campaign, so its fingerprint is
//! [`IMPORTED`]; the next plan sees a fingerprint no compile produces and replaces the task
//! with one built from the workspace.

use chrono::{DateTime, Utc};

use super::{LockedState, RemoteStatus, TrackedTask};
use crate::compile::{ContentSummary, Fingerprint, OccurrenceKey, SentContent};
use crate::getui::PushApi;
use crate::getui::api::{ScheduledTask, TaskId, TaskStatus};

/// The fingerprint of an imported task: its request is unknown, so it matches nothing.
pub const IMPORTED: &str = "imported";

/// What import needs to know besides the task.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub key: OccurrenceKey,
    pub task_id: String,
    /// The zone the campaign's times are shown in (IANA name).
    pub timezone: String,
    pub now: DateTime<Utc>,
}

/// Why a task could not be adopted.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "`{key}` is not an occurrence key; write it as `campaign@2026-12-01T10:00+08:00`, as `gtcamp plan` shows it"
    )]
    BadKey { key: String },
    #[error(
        "`{key}` is already in state, as task {task_id}; `gtcamp state rm {key}` first to import another"
    )]
    AlreadyTracked { key: String, task_id: String },
    #[error("Getui could not tell about task {task_id}")]
    Remote {
        task_id: String,
        #[source]
        source: crate::getui::Error,
    },
    #[error("task {task_id} {why}; only a task waiting for its push time can be imported")]
    NotWaiting { task_id: String, why: String },
    #[error(transparent)]
    State(#[from] super::Error),
}

/// Checks the task with Getui and records it in state under `request.key`.
pub async fn import_task(
    locked: &LockedState,
    api: &dyn PushApi,
    request: ImportRequest,
) -> Result<TrackedTask, ImportError> {
    let key = request.key.0.clone();
    let campaign = campaign_of(&key).ok_or_else(|| ImportError::BadKey { key: key.clone() })?;
    let mut state = locked.state();
    if let Some(tracked) = state.tasks.get(&request.key) {
        return Err(ImportError::AlreadyTracked {
            key,
            task_id: tracked.task_id.clone(),
        });
    }
    let id = TaskId(request.task_id.clone());
    let remote = api
        .scheduled_task(&id)
        .await
        .map_err(|source| ImportError::Remote {
            task_id: request.task_id.clone(),
            source,
        })?;
    let push_time = waiting_push_time(&remote)?;
    let task = TrackedTask {
        campaign: campaign.to_owned(),
        task_id: request.task_id,
        fingerprint: Fingerprint(IMPORTED.to_owned()),
        push_time,
        timezone: request.timezone,
        group: String::new(),
        created_at: request.now,
        last_status: RemoteStatus::Scheduled,
        content: ContentSummary::default(),
        // What it carries is unknown: nothing to compare; the next plan replaces it anyway.
        sent: Some(SentContent::default()),
        class: None,
    };
    state.tasks.insert(request.key, task.clone());
    locked.replace(state).await?;
    Ok(task)
}

/// The campaign named by a key: the part before `@`.
pub fn campaign_of(key: &str) -> Option<&str> {
    let (campaign, when) = key.split_once('@')?;
    (!campaign.is_empty() && !when.is_empty()).then_some(campaign)
}

/// The push time of a task still waiting to fire, or why it cannot be adopted.
fn waiting_push_time(remote: &ScheduledTask) -> Result<DateTime<Utc>, ImportError> {
    let refuse = |why: &str| ImportError::NotWaiting {
        task_id: remote.id.0.clone(),
        why: why.to_owned(),
    };
    match &remote.status {
        TaskStatus::DoNotSend => {}
        TaskStatus::SendSuccess => return Err(refuse("has already been sent")),
        TaskStatus::SendFailed => return Err(refuse("failed when it fired")),
        TaskStatus::HasDelete => return Err(refuse("was deleted")),
        TaskStatus::Other(status) => return Err(refuse(&format!("is `{status}` on Getui"))),
    }
    remote
        .push_time
        .and_then(|time| time.beijing())
        .map(|time| time.with_timezone(&Utc))
        .ok_or_else(|| refuse("has no push time on Getui (it is not a scheduled task)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_of_reads_the_name_before_the_at_sign() {
        assert_eq!(
            campaign_of("spring-sale@2026-12-01T10:00+08:00"),
            Some("spring-sale")
        );
        assert_eq!(campaign_of("spring-sale"), None);
        assert_eq!(campaign_of("@2026-12-01T10:00+08:00"), None);
    }
}
