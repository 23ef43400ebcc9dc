//! The one place gtcamp reads the time.
//!
//! End-to-end tests drive gtcamp and the emulator's manual clock together; they set the
//! hidden variable `GTCAMP_NOW` (RFC 3339) so that "now" means the same instant to both.

use chrono::{DateTime, Utc};

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
