//! The one place gtcamp reads the time.
//!
//! End-to-end tests drive gtcamp and the emulator's manual clock together; they set the
//! hidden variable `GTCAMP_NOW` (RFC 3339) so that "now" means the same instant to both.

use chrono::{DateTime, Utc};

/// A clock other than gtcamp's that a run may have to keep time by: a sandbox's emulator's,
/// whose minutes its limits count, and which tests hold still.
pub trait OtherClock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Moves the clock by `by` when it only moves when told to, and says so; `false` for a
    /// clock that runs by itself, whose time must be waited out.
    fn skip(&self, by: chrono::Duration) -> bool;
}

/// The variable that overrides the clock, for tests.
pub const NOW_VAR: &str = "GTCAMP_NOW";

/// The current instant: `GTCAMP_NOW` when set, else the system clock. A value that is not
/// RFC 3339 is reported and ignored rather than guessed at.
pub fn now() -> DateTime<Utc> {
    let Ok(text) = std::env::var(NOW_VAR) else {
        return Utc::now();
    };
    match DateTime::parse_from_rfc3339(&text) {
        Ok(instant) => instant.with_timezone(&Utc),
        Err(_) => {
            eprintln!(
                "warning: {NOW_VAR}=`{text}` is not an RFC 3339 instant; using the system clock"
            );
            Utc::now()
        }
    }
}
