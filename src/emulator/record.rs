//! The request log: every request the emulator answered (or dropped), numbered in arrival
//! order, with its secrets blanked, for tests, `GET /_emulator/requests` and the one stderr
//! line per request of `gtcamp emulator`.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::clock::Clock;
use super::faults::FaultKind;
use crate::getui::v2::wire::SECRET_KEYS as V2_SECRET_KEYS;
use crate::getui::wire::SECRET_KEYS;

/// How many requests the recorder keeps (the oldest go first), so a benchmark cannot exhaust memory.
const RECORD_LIMIT: usize = 20_000;

/// One request as it reached the emulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Position in arrival order, from 1.
    pub seq: u64,
    pub at: DateTime<Utc>,
    /// The URL path it was posted to, e.g. `/apiex.htm` (a `domain_error` names another);
    /// for V2 `/v2/{app_id}/…`, a token in it replaced by `***`.
    #[serde(default)]
    pub path: String,
    /// `None` for an empty-body probe; for a REST V2 request its route's name
    /// ([`crate::emulator::v2_routes`]), empty for an unknown V2 path.
    pub action: Option<String>,
    /// The decoded JSON body, with `authToken`, `sign` and `token` replaced by `***`.
    pub body: Value,
    pub gzip: bool,
    pub fault: Option<FaultKind>,
    /// The `result` answered (for V2, the envelope's code as text); `None` when no answer was
    /// written (reset, timeout, commit-drop).
    /// A `timeout` is recorded when it arrives, so that a client that gave up is still counted.
    pub result: Option<String>,
    /// The HTTP status answered; `None` when no answer was written.
    pub status: Option<u16>,
}

/// A request as the endpoint saw and answered it, before it is numbered and timed.
pub(crate) struct Seen {
    pub path: String,
    pub action: Option<String>,
    /// As it arrived; secrets are blanked when it is recorded.
    pub body: Value,
    pub gzip: bool,
    pub fault: Option<FaultKind>,
    pub result: Option<String>,
    pub status: Option<u16>,
    /// When it arrived, for the log line's duration.
    pub started: Instant,
}

/// The last [`RECORD_LIMIT`] requests, and the number the next one gets.
pub(crate) struct Recorder {
    clock: Clock,
    /// Print one line per request to stderr.
    log: bool,
    kept: Mutex<Kept>,
}

struct Kept {
    requests: VecDeque<RecordedRequest>,
    next_seq: u64,
}

impl Recorder {
    pub(crate) fn new(clock: Clock, log: bool) -> Recorder {
        Recorder {
            clock,
            log,
            kept: Mutex::new(Kept {
                requests: VecDeque::new(),
                next_seq: 0,
            }),
        }
    }

    /// Numbers `seen`, blanks its secrets, logs it if asked and keeps it.
    pub(crate) fn record(&self, seen: Seen) {
        let Seen {
            path,
            action,
            mut body,
            gzip,
            fault,
            result,
            status,
            started,
        } = seen;
        redact(&mut body);
        let seq = {
            let mut kept = self.kept();
            kept.next_seq += 1;
            kept.next_seq
        };
        let entry = RecordedRequest {
            seq,
            at: self.clock.now(),
            path,
            action,
            body,
            gzip,
            fault,
            result,
            status,
        };
        if self.log {
            eprintln!("{}", log_line(&entry, started.elapsed()));
        }
        let mut kept = self.kept();
        if kept.requests.len() >= RECORD_LIMIT {
            kept.requests.pop_front();
        }
        kept.requests.push_back(entry);
    }

    /// Every request kept, oldest first.
    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.kept().requests.iter().cloned().collect()
    }

    /// The log even if a panicking thread poisoned it, as every lock of the emulator is
    /// taken (`shared::lock`): it is consistent between statements.
    fn kept(&self) -> MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One stderr line per request; the body is never logged (it may hold phone hashes).
fn log_line(entry: &RecordedRequest, took: Duration) -> String {
    let action = entry.action.as_deref().unwrap_or("(probe)");
    let action = if action.is_empty() {
        "(no action)"
    } else {
        action
    };
    let result = match (&entry.result, entry.status) {
        (Some(result), _) => result.clone(),
        (None, Some(status)) => format!("HTTP {status}"),
        (None, None) => "no reply".to_owned(),
    };
    let fault = entry
        .fault
        .map(|f| format!(" fault={f}"))
        .unwrap_or_default();
    format!(
        "{} #{} {action} -> {result}{fault} ({} ms)",
        entry.at.format("%Y-%m-%dT%H:%M:%S%.3fZ"),
        entry.seq,
        took.as_millis()
    )
}

fn redact(body: &mut Value) {
    if let Value::Object(map) = body {
        for key in SECRET_KEYS.into_iter().chain(V2_SECRET_KEYS) {
            if let Some(value) = map.get_mut(key) {
                *value = json!("***");
            }
        }
    }
}
