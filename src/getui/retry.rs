//! The resend rules both protocol clients share: what a failed exchange proves, whether the
//! request may be sent again, and how long to wait first.
//!
//! A read ([`Retry::Safe`]) is resent after any failure, within its own limit and the run's
//! budget. A create or change ([`Retry::Never`]) is resent only when it provably did not
//! leave (connection refused, DNS) or was refused; once it may have reached the server, its
//! failure is [`Error::OutcomeUnknown`] and it is never sent again.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use rand::Rng;

use crate::getui::error::Error;

/// Whether a request may be sent again after it may have reached the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Reads: sending twice changes nothing.
    Safe,
    /// Creates and changes: a second send could apply twice.
    Never,
}

/// How one HTTP exchange failed.
pub(crate) enum Failure {
    /// The request never left (connection refused, DNS).
    BeforeSend(String),
    /// The request left and no usable answer came back.
    AfterSend { timed_out: bool, reason: String },
    /// The server answered with an HTTP error status.
    Status(u16),
    /// A final error (body too large, bad input).
    Fatal(Error),
}

/// Sorts a reqwest error by whether the request may have left.
pub(crate) fn classify(error: reqwest::Error) -> Failure {
    let before_send = error.is_connect() || error.is_builder();
    let timed_out = error.is_timeout();
    let reason = error.to_string();
    if before_send {
        Failure::BeforeSend(reason)
    } else {
        Failure::AfterSend { timed_out, reason }
    }
}

/// The HTTP client of a protocol client: connect timeout, one idle connection per permit.
pub(crate) fn http_client(
    timeout: Duration,
    concurrency: usize,
    action: &'static str,
) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(timeout)
        .pool_max_idle_per_host(concurrency.max(1))
        .build()
        .map_err(|error| Error::Transport {
            action,
            reason: error.to_string(),
        })
}

/// How long a client waits and how often it sends again, the same for both protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryLimits {
    /// Limit for one HTTP exchange.
    pub timeout: Duration,
    /// Resends allowed for one call that may not have left, or that was refused (a write).
    pub max_retries: u32,
    /// Resends allowed for one read (safe to repeat), within [`RetryLimits::read_budget`].
    pub read_retries: u32,
    /// Read resends allowed to the whole client, that is to one run: a long outage ends the
    /// run with a clear message instead of backing off for ever.
    pub read_budget: u32,
    /// First backoff delay; doubles each time, with jitter.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
}

impl Default for RetryLimits {
    fn default() -> RetryLimits {
        RetryLimits {
            timeout: Duration::from_secs(30),
            max_retries: 3,
            read_retries: 8,
            read_budget: 5_000,
            backoff_base: Duration::from_millis(200),
            backoff_max: Duration::from_secs(10),
        }
    }
}

/// The limits and the run's remaining read budget.
pub(crate) struct Retrier {
    limits: RetryLimits,
    /// Read resends left to this client (one run).
    budget: AtomicU32,
}

impl Retrier {
    pub(crate) fn new(limits: RetryLimits) -> Retrier {
        Retrier {
            budget: AtomicU32::new(limits.read_budget),
            limits,
        }
    }

    /// Whether a call may be sent again after `attempt` resends: a read within its own limit
    /// and the run's budget (which it then draws on), anything else within `max_retries`.
    pub(crate) fn may_retry(&self, retry: Retry, attempt: u32) -> bool {
        if retry == Retry::Never {
            return attempt < self.limits.max_retries;
        }
        attempt < self.limits.read_retries.max(self.limits.max_retries)
            && self
                .budget
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                    left.checked_sub(1)
                })
                .is_ok()
    }

    /// Whether the run's read resends are all spent.
    fn budget_spent(&self) -> bool {
        self.budget.load(Ordering::SeqCst) == 0
    }

    /// `None` to try again, or the error to return.
    pub(crate) fn judge(
        &self,
        action: &'static str,
        failure: Failure,
        retry: Retry,
        attempt: u32,
    ) -> Option<Error> {
        let error = self.judge_attempt(action, failure, retry, attempt)?;
        let answered = matches!(error, Error::Api { .. } | Error::V2 { .. });
        if retry == Retry::Safe && self.budget_spent() && !answered {
            return Some(Error::RetriesSpent {
                action,
                budget: self.limits.read_budget,
                last: error.to_string(),
            });
        }
        Some(error)
    }

    fn judge_attempt(
        &self,
        action: &'static str,
        failure: Failure,
        retry: Retry,
        attempt: u32,
    ) -> Option<Error> {
        let more = match (&failure, retry) {
            (Failure::Fatal(_), _) => false,
            _ => self.may_retry(retry, attempt),
        };
        match failure {
            Failure::Fatal(error) => Some(error),
            Failure::BeforeSend(_) if more => None,
            Failure::BeforeSend(reason) => Some(Error::Transport { action, reason }),
            Failure::AfterSend { .. } if retry == Retry::Safe && more => None,
            Failure::AfterSend {
                timed_out: true, ..
            } if retry == Retry::Safe => Some(Error::Timeout {
                action,
                timeout: self.limits.timeout,
            }),
            Failure::AfterSend { reason, .. } if retry == Retry::Safe => {
                Some(Error::Transport { action, reason })
            }
            Failure::AfterSend { reason, .. } => Some(Error::OutcomeUnknown { action, reason }),
            Failure::Status(_) if retry == Retry::Safe && more => None,
            // A 5xx may come from a proxy after the server applied the request.
            Failure::Status(status) if retry == Retry::Never && status >= 500 => {
                Some(Error::OutcomeUnknown {
                    action,
                    reason: format!("HTTP status {status}"),
                })
            }
            Failure::Status(status) => Some(Error::HttpStatus { action, status }),
        }
    }

    /// Counts one more resend and waits before it.
    pub(crate) async fn pause(&self, attempt: &mut u32) {
        *attempt += 1;
        tokio::time::sleep(self.backoff(*attempt)).await;
    }

    /// After `failure`: waits and returns `Ok` when the request may be sent again, else the
    /// error to report.
    pub(crate) async fn resend_or(
        &self,
        action: &'static str,
        failure: Failure,
        retry: Retry,
        attempt: &mut u32,
    ) -> Result<(), Error> {
        match self.judge(action, failure, retry, *attempt) {
            Some(error) => Err(error),
            None => {
                self.pause(attempt).await;
                Ok(())
            }
        }
    }

    /// The wait before resend number `attempt`.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let base = self.limits.backoff_base.as_secs_f64();
        let ceiling = self.limits.backoff_max.as_secs_f64();
        let exponential = (base * 2f64.powi(attempt.saturating_sub(1).min(30) as i32)).min(ceiling);
        // Half fixed, half random: spreads clients that failed together.
        let jitter: f64 = rand::rng().random_range(0.5..=1.0);
        Duration::from_secs_f64(exponential * jitter)
    }
}
