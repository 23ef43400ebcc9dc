//! The emulator's sense of "now", which tests can stop and move.
//!
//! Scheduled tasks fire when their push time passes. Waiting for real minutes in a test is not
//! an option, so every time the emulator reads comes from a [`Clock`]: either the system clock
//! (shifted by whatever was added with [`Clock::advance`]) or a manual clock that only moves
//! when told to.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

/// Why the clock refused to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the clock cannot move that far")]
pub struct ClockOutOfRange;

/// A shared, cloneable clock; all clones see the same time.
#[derive(Clone)]
pub struct Clock {
    mode: Arc<Mutex<Mode>>,
}

#[derive(Clone, Copy)]
enum Mode {
    /// The system time plus an offset that `advance` grows.
    System { offset: chrono::Duration },
    /// A frozen instant that moves only through `set` and `advance`.
    Manual { now: DateTime<Utc> },
}

impl Clock {
    /// The real time of this machine.
    pub fn system() -> Self {
        Clock::with_mode(Mode::System {
            offset: chrono::Duration::zero(),
        })
    }

    /// A clock stopped at `now`.
    pub fn manual(now: DateTime<Utc>) -> Self {
        Clock::with_mode(Mode::Manual { now })
    }

    fn with_mode(mode: Mode) -> Self {
        Clock {
            mode: Arc::new(Mutex::new(mode)),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match *self.lock() {
            Mode::System { offset } => {
                let now = Utc::now();
                now.checked_add_signed(offset).unwrap_or(now)
            }
            Mode::Manual { now } => now,
        }
    }

    /// Stops the clock at `now` (a system clock becomes manual from here on).
    pub fn set(&self, now: DateTime<Utc>) {
        *self.lock() = Mode::Manual { now };
    }

    /// Moves the clock forward (or back, with a negative duration). A move past the range of
    /// dates the clock can show is ignored; [`Clock::try_advance`] reports it instead.
    pub fn advance(&self, by: chrono::Duration) {
        let _ = self.try_advance(by);
    }

    /// Like [`Clock::advance`], but says when the move was refused.
    pub fn try_advance(&self, by: chrono::Duration) -> Result<(), ClockOutOfRange> {
        let mut mode = self.lock();
        let moved = match *mode {
            Mode::System { offset } => offset
                .checked_add(&by)
                .filter(|offset| Utc::now().checked_add_signed(*offset).is_some())
                .map(|offset| Mode::System { offset }),
            Mode::Manual { now } => now.checked_add_signed(by).map(|now| Mode::Manual { now }),
        };
        *mode = moved.ok_or(ClockOutOfRange)?;
        Ok(())
    }

    /// Whether the clock only moves when told to.
    pub fn is_manual(&self) -> bool {
        matches!(*self.lock(), Mode::Manual { .. })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Mode> {
        // The guarded value is a plain Copy enum: a panic elsewhere cannot leave it half-written.
        self.mode.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.is_manual() { "manual" } else { "system" };
        write!(f, "Clock({kind}, {})", self.now().to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(chrono::Duration::minutes(5));
        assert_eq!(clock.now(), start + chrono::Duration::minutes(5));
        let shared = clock.clone();
        shared.set(start);
        assert_eq!(clock.now(), start);
    }

    #[test]
    fn system_clock_advances_by_an_offset() {
        let clock = Clock::system();
        assert_eq!(clock.try_advance(chrono::Duration::days(1)), Ok(()));
        assert_eq!(
            clock.try_advance(chrono::Duration::MAX),
            Err(ClockOutOfRange)
        );
        assert!(clock.now() > Utc::now() + chrono::Duration::hours(23));
        assert!(!clock.is_manual());
    }
}
