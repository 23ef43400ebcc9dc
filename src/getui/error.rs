//! The errors of the protocol client, typed so callers can branch on them.
//!
//! The distinction that matters most is between an error that proves nothing was applied
//! (`Api`, `Transport` before sending, `BodyTooLarge`, `InvalidRequest`) and
//! [`Error::OutcomeUnknown`], where the request may have been applied and must be resolved by
//! a lookup, never by sending it again. No variant ever holds the master secret or a token.

use std::time::Duration;

use crate::getui::codes::ResultCode;

/// An error from a Getui call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Getui answered with a result code that is not success.
    #[error("Getui answered `{action}` with result `{code}`: {}", code.meaning())]
    Api {
        action: &'static str,
        code: ResultCode,
    },
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

    /// The Getui result code, when Getui answered with one.
    pub fn result_code(&self) -> Option<&ResultCode> {
        match self {
            Error::Api { code, .. } | Error::Auth { code } | Error::NoHosts { code, .. } => {
                Some(code)
            }
            _ => None,
        }
    }
}
