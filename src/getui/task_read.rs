//! What an answer to `getScheduleTask` proves about a task: one reading for refresh,
//! recovery and apply alike.
//!
//! Only Getui's own word that a task does not exist (a code of
//! [`ResultCode::means_no_such_task`], or on REST V2 code 20001 with Getui's sentence
//! "taskid is invalid or taskid is deleted", [`means_no_such_task`]) or its `has_delete`
//! status means the task is gone. V2's 22002 ("task invalid or schedule time invalid") is
//! not such a word: nothing shows Getui answering it to a read, and a live task read as gone
//! would be created again. A
//! transport error, a timeout, a server error, a flow limit, any other code or a status
//! gtcamp does not know proves nothing: the task may still be waiting to fire, so whoever
//! reads it must leave the occurrence alone and create nothing in its place. Reading "any
//! error" as "gone" is how a rate limit once made gtcamp send a push twice.
//!
//! [`ResultCode::means_no_such_task`]: crate::getui::ResultCode::means_no_such_task
//! [`means_no_such_task`]: crate::getui::v2::codes::means_no_such_task

use crate::getui::Error;
use crate::getui::api::{ScheduledTask, TaskStatus};

/// What a read of a scheduled task established.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskRead {
    /// Still waiting for its push time, as Getui reports it.
    Waiting(ScheduledTask),
    /// Getui sent it.
    Sent,
    /// Getui tried to send it and failed.
    Failed,
    /// Getui says it does not exist or was deleted.
    Gone,
    /// Nothing can be concluded; `reason` says why, for the person reading.
    Unknown { reason: String },
}

impl TaskRead {
    /// Reads Getui's answer (or the failure to get one).
    pub fn of(answer: Result<ScheduledTask, Error>) -> TaskRead {
        let task = match answer {
            Ok(task) => task,
            Err(error) if error.means_no_such_task() => {
                return TaskRead::Gone;
            }
            Err(error) => {
                return TaskRead::Unknown {
                    reason: error.explained(),
                };
            }
        };
        match &task.status {
            TaskStatus::DoNotSend => TaskRead::Waiting(task),
            TaskStatus::SendSuccess => TaskRead::Sent,
            TaskStatus::SendFailed => TaskRead::Failed,
            TaskStatus::HasDelete => TaskRead::Gone,
            TaskStatus::Other(status) => TaskRead::Unknown {
                reason: format!(
                    "Getui reported the task as `{status}`, which gtcamp does not know"
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::getui::ResultCode;
    use crate::getui::api::TaskId;

    fn task(status: &str) -> ScheduledTask {
        ScheduledTask {
            id: TaskId("OSA-1".into()),
            status: TaskStatus::from_wire(status),
            push_time: None,
            created_ms: None,
            content: None,
        }
    }

    fn refused_v2(code: i64, msg: &str) -> Error {
        Error::V2 {
            action: "GET /task/schedule/{taskid}",
            code: crate::getui::v2::Code::from_i64(code),
            msg: msg.into(),
        }
    }

    #[test]
    fn on_v2_only_getuis_sentence_for_a_deleted_task_means_gone_and_22002_proves_nothing() {
        let gone = refused_v2(20001, "taskid is invalid or taskid is deleted");
        assert_eq!(TaskRead::of(Err(gone)), TaskRead::Gone);
        for (code, msg) in [
            (22002, "task invalid or schedule time invalid"),
            (22002, "taskid is invalid or taskid is deleted"),
            (20001, "token is invalid"),
            (20001, ""),
            (10001, "taskid is invalid or taskid is deleted"),
        ] {
            let read = TaskRead::of(Err(refused_v2(code, msg)));
            assert!(
                matches!(read, TaskRead::Unknown { .. }),
                "{code} {msg}: {read:?}"
            );
        }
    }

    fn refused(code: &str) -> Error {
        Error::Api {
            action: "getScheduleTaskAction",
            code: ResultCode::from_wire(code),
        }
    }

    #[test]
    fn only_no_such_task_codes_and_has_delete_mean_gone() {
        for code in ["NullMsgCommon", "TaskIdHasBeanCanceled"] {
            assert_eq!(TaskRead::of(Err(refused(code))), TaskRead::Gone, "{code}");
        }
        assert_eq!(TaskRead::of(Ok(task("has_delete"))), TaskRead::Gone);
    }

    #[test]
    fn every_other_code_is_unknown_never_gone() {
        let codes = [
            "flow_exceeded",
            "sign_error",
            "Error",
            "action_error",
            "appkey_error",
            "domain_error",
            "AppidNoMatchAppKey",
            "OtherError",
            "SendError",
            "AppIdNoUsers",
            "PushTotalNumOverLimit",
            "a-code-from-the-future",
        ];
        for code in codes {
            let read = TaskRead::of(Err(refused(code)));
            assert!(matches!(read, TaskRead::Unknown { .. }), "{code}: {read:?}");
        }
    }

    #[test]
    fn failures_without_an_answer_are_unknown() {
        let failures = [
            Error::Timeout {
                action: "getScheduleTaskAction",
                timeout: std::time::Duration::from_secs(5),
            },
            Error::Transport {
                action: "getScheduleTaskAction",
                reason: "connection refused".into(),
            },
            Error::HttpStatus {
                action: "getScheduleTaskAction",
                status: 503,
            },
            Error::BadResponse {
                action: "getScheduleTaskAction",
                reason: "not JSON".into(),
            },
            Error::Auth {
                code: ResultCode::SignError,
            },
        ];
        for failure in failures {
            let read = TaskRead::of(Err(failure));
            assert!(matches!(read, TaskRead::Unknown { .. }), "{read:?}");
        }
    }

    #[test]
    fn statuses_read_as_their_meaning() {
        assert!(matches!(
            TaskRead::of(Ok(task("do_not_send"))),
            TaskRead::Waiting(_)
        ));
        assert_eq!(TaskRead::of(Ok(task("send_success"))), TaskRead::Sent);
        assert_eq!(TaskRead::of(Ok(task("send_failed"))), TaskRead::Failed);
        assert!(matches!(
            TaskRead::of(Ok(task("paused"))),
            TaskRead::Unknown { .. }
        ));
    }
}
