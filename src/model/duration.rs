//! Durations as authors write them: `90s`, `30m`, `12h`, `3d`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A whole number of seconds, minutes, hours or days.
///
/// Kept as written (value and unit) so that messages and plans can echo the author's own
/// spelling back; [`Duration::as_secs`] gives the length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    value: u64,
    unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl Unit {
    fn secs(self) -> u64 {
        match self {
            Unit::Seconds => 1,
            Unit::Minutes => 60,
            Unit::Hours => 3_600,
            Unit::Days => 86_400,
        }
    }

    fn suffix(self) -> char {
        match self {
            Unit::Seconds => 's',
            Unit::Minutes => 'm',
            Unit::Hours => 'h',
            Unit::Days => 'd',
        }
    }
}

/// Why a duration string was refused; the message doubles as the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{input}` is not a duration: write a whole number followed by s, m, h or d, such as `90s`, `30m`, `12h` or `3d`"
)]
pub struct ParseDurationError {
    input: String,
}

impl Duration {
    pub const fn from_secs(secs: u64) -> Self {
        Duration {
            value: secs,
            unit: Unit::Seconds,
        }
    }

    pub const fn from_minutes(minutes: u64) -> Self {
        Duration {
            value: minutes,
            unit: Unit::Minutes,
        }
    }

    pub const fn from_hours(hours: u64) -> Self {
        Duration {
            value: hours,
            unit: Unit::Hours,
        }
    }

    pub const fn from_days(days: u64) -> Self {
        Duration {
            value: days,
            unit: Unit::Days,
        }
    }

    /// The length in seconds, saturating rather than overflowing on absurd inputs such as
    /// `99999999999999999d`, which checks then reject as out of range.
    pub fn as_secs(self) -> u64 {
        self.value.saturating_mul(self.unit.secs())
    }

    pub fn as_millis(self) -> u64 {
        self.as_secs().saturating_mul(1_000)
    }

    /// The length as a chrono duration, or an error past [`Duration::MAX_COMPUTABLE_DAYS`].
    ///
    /// It fails rather than saturating: a saturated length only moves the overflow to the
    /// next `now + length`, which panics in chrono (issue 12). Checks reject such lengths
    /// with a diagnostic first; this is the typed error for anything that skipped them.
    pub fn to_chrono(self) -> Result<chrono::Duration, DurationTooLong> {
        let secs = self.as_secs();
        let too_long = DurationTooLong { duration: self };
        if secs > Self::MAX_COMPUTABLE_DAYS * Unit::Days.secs() {
            return Err(too_long);
        }
        i64::try_from(secs)
            .ok()
            .and_then(chrono::Duration::try_seconds)
            .ok_or(too_long)
    }

    /// The longest duration gtcamp computes with: about a thousand years, far past every
    /// range check and far inside chrono's.
    pub const MAX_COMPUTABLE_DAYS: u64 = 366_000;
}

/// A duration too long to add to an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{duration}` is too long to compute with (at most {} days)",
    Duration::MAX_COMPUTABLE_DAYS
)]
pub struct DurationTooLong {
    pub duration: Duration,
}

impl FromStr for Duration {
    type Err = ParseDurationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDurationError {
            input: s.to_owned(),
        };
        let unit = match s.chars().last().ok_or_else(err)? {
            's' => Unit::Seconds,
            'm' => Unit::Minutes,
            'h' => Unit::Hours,
            'd' => Unit::Days,
            _ => return Err(err()),
        };
        let digits = &s[..s.len() - 1];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let value = digits.parse().map_err(|_| err())?;
        Ok(Duration { value, unit })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.unit.suffix())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]+[smhd]$",
            "description": "A whole number followed by a unit: s (seconds), m (minutes), h (hours) or d (days).",
            "examples": ["90s", "30m", "12h", "3d"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!("90s".parse::<Duration>().unwrap().as_secs(), 90);
        assert_eq!("30m".parse::<Duration>().unwrap().as_secs(), 1_800);
        assert_eq!("12h".parse::<Duration>().unwrap().as_secs(), 43_200);
        assert_eq!("3d".parse::<Duration>().unwrap().as_secs(), 259_200);
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for bad in ["", "h", "12", "1.5h", "-3d", "12 h", "3w", "١٢h"] {
            assert!(bad.parse::<Duration>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn keeps_the_authors_spelling() {
        assert_eq!("120m".parse::<Duration>().unwrap().to_string(), "120m");
    }

    #[test]
    fn refuses_to_convert_absurd_lengths_to_chrono() {
        for absurd in ["99999999999999999d", "100000000d", "18446744073709551615s"] {
            let absurd: Duration = absurd.parse().unwrap();
            assert_eq!(
                absurd.to_chrono(),
                Err(DurationTooLong { duration: absurd })
            );
        }
        assert_eq!(
            Duration::from_hours(2).to_chrono(),
            Ok(chrono::Duration::hours(2))
        );
    }

    #[test]
    fn saturates_instead_of_overflowing() {
        let huge: Duration = "99999999999999999999d"
            .parse()
            .unwrap_or(Duration::from_days(u64::MAX));
        assert_eq!(huge.as_secs(), u64::MAX);
    }
}
