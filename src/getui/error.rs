//! The errors of the protocol client, typed so callers can branch on them.
//!
//! The distinction that matters most is between an error that proves nothing was applied
//! (`Api`, `Transport` before sending, `BodyTooLarge`, `InvalidRequest`) and
//! [`Error::OutcomeUnknown`], where the request may have been applied and must be resolved by
//! a lookup, never by sending it again. No variant ever holds the master secret or a token.

use std::time::Duration;

use crate::getui::codes::ResultCode;
use crate::getui::v2_codes::{self, Code};

/// An error from a Getui call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Getui answered with a result code that is not success.
    #[error("Getui answered `{action}` with result `{code}`: {}", code.meaning())]
    Api {
        action: &'static str,
        code: ResultCode,
    },
    /// Getui's REST V2 answered with a code that is not success; `msg` is Getui's sentence.
    #[error("Getui answered `{action}` with code {code} ({}): {msg}", code.meaning())]
    V2 {
        action: &'static str,
        code: Code,
        msg: String,
    },
    /// REST V2's `/auth` refused the app key and master secret. Its only parameters are the
    /// app key, the timestamp and the sign, so a refusal of them (20001, "sign is invalid"
    /// when Getui was seen answering it) is a credentials problem; `msg` is Getui's sentence.
    #[error(
        "Getui refused the app key and master secret: `POST /auth` answered code {code}: {msg}"
    )]
    V2Auth { code: Code, msg: String },
    /// The app key and master secret were refused by `connect`.
    #[error(
        "Getui refused the app key and master secret: `connect` answered `{code}` ({})",
        code.meaning()
    )]
    Auth { code: ResultCode },
    /// The request never reached Getui (connection refused, DNS, TLS): nothing was applied.
    #[error("could not reach Getui for `{action}`: {reason}")]
    Transport {
        action: &'static str,
        reason: String,
    },
    /// No answer in time to a request that is safe to repeat; nothing is known to be applied.
    #[error("Getui did not answer `{action}` within {timeout:?}")]
    Timeout {
        action: &'static str,
        timeout: Duration,
    },
    /// The request was sent and the answer was lost: Getui may have applied it. Not retried.
    #[error(
        "Getui may or may not have applied `{action}`: the request was sent but no answer came back ({reason}); it was not sent again"
    )]
    OutcomeUnknown {
        action: &'static str,
        reason: String,
    },
    /// The body is over Getui's limit; checked before sending.
    #[error("the `{action}` request is {bytes} bytes, over Getui's limit of {limit} bytes")]
    BodyTooLarge {
        action: &'static str,
        bytes: usize,
        limit: usize,
    },
    /// The server answered with an HTTP error status.
    #[error("Getui answered `{action}` with HTTP status {status}")]
    HttpStatus { action: &'static str, status: u16 },
    /// The answer was not the JSON the protocol describes.
    #[error("Getui's answer to `{action}` could not be read: {reason}")]
    BadResponse {
        action: &'static str,
        reason: String,
    },
    /// A read kept failing until the run's budget of read resends was spent.
    #[error("Getui kept failing `{action}` ({last}); this run's {budget} read retries are spent")]
    RetriesSpent {
        action: &'static str,
        budget: u32,
        last: String,
    },
    /// Getui gave no host to send business requests to.
    #[error("Getui's bootstrap host `{host}` gave no push host (result `{code}`)")]
    NoHosts { host: String, code: ResultCode },
    /// The input breaks a protocol rule; caught before anything was sent.
    #[error("invalid request: {reason}")]
    InvalidRequest { reason: String },
}

impl Error {
    /// Whether Getui may have applied the request (only [`Error::OutcomeUnknown`]).
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// What to do about it, in words: each cause has its own, so that an outage never
    /// sends a team to rotate secrets, nor a refused secret to wait for Getui.
    pub fn advice(&self) -> &'static str {
        match self {
            Error::Api {
                code: ResultCode::AppidNoMatchAppKey,
                ..
            } => {
                "the app id is not this app key's: check `app_id` in gtcamp.yaml (or GETUI_APP_ID) and GETUI_APP_KEY for this target"
            }
            Error::Auth { code } | Error::Api { code, .. } if code.refuses_credentials() => {
                "check GETUI_APP_KEY and GETUI_MASTER_SECRET (and GETUI_APP_ID) for this target"
            }
            Error::Api {
                code: ResultCode::FlowExceeded,
                ..
            } => {
                "the app's API traffic quota is spent: wait for it to refill, or lower --parallelism"
            }
            Error::Api {
                code: ResultCode::Other(_),
                ..
            } => {
                "Getui answered a code gtcamp does not know: try again, and look the code up in Getui's documentation"
            }
            Error::V2Auth { .. } => {
                "the master secret or app key is wrong: check GETUI_APP_KEY and GETUI_MASTER_SECRET (and GETUI_APP_ID) for this target"
            }
            Error::V2 { code, .. } if code.refuses_credentials() => {
                "check GETUI_APP_KEY and GETUI_MASTER_SECRET (and GETUI_APP_ID) for this target"
            }
            Error::V2 {
                code: Code::Blacklisted,
                ..
            } => {
                "Getui has blacklisted the app id or this machine's IP address: contact Getui; other credentials will not help"
            }
            Error::V2 {
                code: Code::FeatureNotEnabled,
                ..
            } => {
                "scheduled pushes (`schedule_time`) need Getui's VIP feature, not enabled for this app id: ask Getui to enable it"
            }
            Error::V2 {
                code: Code::ScheduleAlreadyRun,
                ..
            } => "too late to cancel: the push is running or has run",
            Error::V2 { code, .. } if code.is_flow_limit() => {
                "Getui's per-minute limit was hit (gtcamp waited and retried): try again in a minute, or lower --parallelism"
            }
            Error::V2 {
                code: Code::Other(_),
                ..
            } => {
                "Getui answered a code gtcamp does not know: try again, and look the code up in Getui's REST V2 documentation"
            }
            Error::Api { .. } | Error::Auth { .. } | Error::V2 { .. } => {
                "Getui refused the request; its code says why"
            }
            Error::Transport { .. } => {
                "Getui could not be reached (gtcamp retried): check the network and the target's endpoint"
            }
            Error::Timeout { .. } => {
                "Getui did not answer in time (gtcamp retried): try again later"
            }
            Error::HttpStatus { status, .. } if *status >= 500 => {
                "Getui, or a proxy before it, is failing (gtcamp retried): try again later"
            }
            Error::HttpStatus { .. } => {
                "check the target's endpoint: it answered with an HTTP error"
            }
            Error::BadResponse { .. } => {
                "Getui's answer could not be read: try again later; if it persists, check the endpoint"
            }
            Error::OutcomeUnknown { .. } => {
                "the next run looks it up on Getui; it is never sent a second time"
            }
            Error::NoHosts { .. } => "check the target's endpoint: it gave no push host",
            Error::RetriesSpent { .. } => "Getui is failing too often right now: try again later",
            Error::BodyTooLarge { .. } | Error::InvalidRequest { .. } => {
                "nothing was sent; change the campaign so that it fits Getui's limits"
            }
        }
    }

    /// The error and what to do about it, as people are shown it.
    pub fn explained(&self) -> String {
        format!("{self}; {}", self.advice())
    }

    /// Whether Getui refused the app's credentials (legacy `connect`, V2 `/auth`, or a
    /// token refused again right after it was renewed).
    pub fn refuses_credentials(&self) -> bool {
        match self {
            Error::V2Auth { .. } => true,
            Error::V2 { code, .. } => code.refuses_credentials(),
            _ => self
                .result_code()
                .is_some_and(ResultCode::refuses_credentials),
        }
    }

    /// Whether Getui refused to delete a scheduled task because it is running or has run
    /// (V2 22001, also answered within a minute of the push time).
    pub fn too_late_to_cancel(&self) -> bool {
        matches!(
            self,
            Error::V2 {
                code: Code::ScheduleAlreadyRun,
                ..
            }
        )
    }

    /// Whether Getui said, in its own words, that the task asked about does not exist (any
    /// more). A refusal for any other reason proves nothing about the task.
    pub fn means_no_such_task(&self) -> bool {
        match self {
            Error::V2 { code, msg, .. } => v2_codes::means_no_such_task(*code, msg),
            _ => self
                .result_code()
                .is_some_and(ResultCode::means_no_such_task),
        }
    }

    /// Getui's code and its meaning, in words, when Getui answered with one.
    pub fn code_words(&self) -> Option<String> {
        match self {
            Error::V2 { code, .. } | Error::V2Auth { code, .. } => {
                Some(format!("{code} ({})", code.meaning()))
            }
            _ => self
                .result_code()
                .map(|code| format!("{} ({})", code.as_str(), code.meaning())),
        }
    }

    /// The legacy result code, when Getui answered with one.
    pub fn result_code(&self) -> Option<&ResultCode> {
        match self {
            Error::Api { code, .. } | Error::Auth { code } | Error::NoHosts { code, .. } => {
                Some(code)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_has_its_own_advice_and_only_refused_credentials_blame_them() {
        let action = "getScheduleTaskAction";
        let api = |code: &str| Error::Api {
            action,
            code: ResultCode::from_wire(code),
        };
        let v2 = |code: Code| Error::V2 {
            action: "POST /push/tag",
            code,
            msg: String::new(),
        };
        let causes = [
            Error::Transport {
                action,
                reason: "refused".into(),
            },
            Error::Timeout {
                action,
                timeout: Duration::from_secs(30),
            },
            Error::HttpStatus {
                action,
                status: 503,
            },
            api("flow_exceeded"),
            Error::Auth {
                code: ResultCode::SignError,
            },
            api("a_code_from_the_future"),
            Error::V2Auth {
                code: Code::InvalidParameter,
                msg: "sign is invalid".into(),
            },
            v2(Code::Blacklisted),
            v2(Code::FeatureNotEnabled),
            v2(Code::ScheduleAlreadyRun),
        ];
        let advice: Vec<&str> = causes.iter().map(Error::advice).collect();
        let mut distinct = advice.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), causes.len(), "{advice:#?}");
        for (cause, advice) in causes.iter().zip(&advice) {
            let blames = advice.contains("GETUI_MASTER_SECRET");
            assert_eq!(
                blames,
                matches!(cause, Error::Auth { .. } | Error::V2Auth { .. }),
                "{cause}: {advice}"
            );
            assert_eq!(blames, cause.refuses_credentials(), "{cause}");
        }
        assert!(v2(Code::Blacklisted).advice().contains("contact Getui"));
        assert!(
            v2(Code::FeatureNotEnabled)
                .advice()
                .contains("scheduled pushes (`schedule_time`) need Getui's VIP feature, not enabled for this app id")
        );
        assert!(v2(Code::ScheduleAlreadyRun).too_late_to_cancel());
        assert!(api("appkey_error").advice().contains("GETUI_APP_KEY"));
        assert!(
            api("flow_exceeded")
                .explained()
                .contains("lower --parallelism")
        );
    }
}
