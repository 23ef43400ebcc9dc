//! Getui's `pushTime` is `yyyyMMddHHmm`: a send happens on a whole minute. An instant
//! written with seconds cannot be honoured as written, so the rule says which minute is used
//! instead of rounding in silence.

use crate::load::codes;
use chrono::{DateTime, Duration, DurationRound, FixedOffset, Timelike};

use super::Diagnostic;
use super::site::Site;
use crate::model::{DateOrDateTime, Instant};

/// Which way an instant with seconds moves to a whole minute.
#[derive(Clone, Copy)]
pub(super) enum Rounding {
    /// To the minute it falls in: `at` and `until` (the last minute allowed).
    Down,
    /// To the next minute: `from` (the first whole minute allowed).
    Up,
}

/// GC058 when `instant`, at `keys` below `site`, is not a whole minute.
pub(super) fn check(
    site: &Site,
    instant: &Instant,
    rounding: Rounding,
    keys: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let at = instant.0;
    if at.second() == 0 && at.nanosecond() == 0 {
        return;
    }
    let used = whole_minute(at, rounding);
    let field = keys.join(".");
    out.push(
        site.at_value(
            Diagnostic::warning(
                codes::GC058,
                format!(
                    "`{field}` has seconds, but Getui works in whole minutes: {} is used",
                    used.format("%Y-%m-%dT%H:%M%:z")
                ),
            )
            .help(format!(
                "write the minute itself, such as `{}`",
                used.format("%Y-%m-%dT%H:%M:00%:z")
            ))
            .label("seconds are not used"),
            keys,
        ),
    );
}

/// The same rule for a `from`/`until` that may be a day (always a whole minute).
pub(super) fn check_bound(
    site: &Site,
    bound: Option<&DateOrDateTime>,
    rounding: Rounding,
    keys: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    if let Some(DateOrDateTime::Instant(instant)) = bound {
        check(site, instant, rounding, keys, out);
    }
}

fn whole_minute(at: DateTime<FixedOffset>, rounding: Rounding) -> DateTime<FixedOffset> {
    let down = at.duration_trunc(Duration::minutes(1)).unwrap_or(at);
    match rounding {
        Rounding::Down => down,
        Rounding::Up => down
            .checked_add_signed(Duration::minutes(1))
            .unwrap_or(down),
    }
}
