//! Getui's limits on pushes, as the emulator enforces them: so many app pushes and list
//! pushes a Beijing day and a minute ([`Limits`], `getui::limits` has the numbers and their
//! source). A refused push is not counted; a repeat that Getui drops is not either.
//!
//! The minute is a sliding one (any 60 seconds of the clock), the strictest reading: a
//! client that stays under it stays under a per-calendar-minute count too. The ledger is
//! rebuilt from the store's tasks and list pushes when it is first needed, so a sandbox
//! keeps its day's count across runs; a legacy app push counts from when its content was
//! saved (the store keeps no other time for it, and the two calls come seconds apart).

use chrono::{DateTime, Duration, Utc};

use super::records::{ListPush, Task, TaskKind, TaskStatus};
use crate::getui::limits::next_reset;
use crate::getui::{Limits, PushKind};

/// Which limit a push would go over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spent {
    Day,
    Minute,
}

/// When the app's pushes were made, by kind, each list in time order.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    app: Vec<DateTime<Utc>>,
    list: Vec<DateTime<Utc>>,
}

impl Ledger {
    /// The pushes `tasks` and `list_pushes` record.
    pub(crate) fn of(tasks: &[Task], list_pushes: &[ListPush]) -> Ledger {
        let mut ledger = Ledger::default();
        let pushed_apps = tasks
            .iter()
            .filter(|task| task.kind == TaskKind::App && task.status != TaskStatus::Saved);
        for task in pushed_apps {
            ledger.record(PushKind::App, task.created_at);
        }
        for push in list_pushes {
            ledger.record(PushKind::List, push.at);
        }
        ledger
    }

    /// Whether one more push of `kind` at `now` stays within `limits`; the daily limit is
    /// judged first, since it is the one that waiting a minute does not cure.
    pub(crate) fn check(
        &self,
        kind: PushKind,
        limits: &Limits,
        now: DateTime<Utc>,
    ) -> Result<(), Spent> {
        let (per_day, per_minute) = limits.of(kind);
        let times = self.times(kind);
        if let Some(per_day) = per_day {
            let midnight = next_reset(now)
                .checked_sub_signed(Duration::days(1))
                .unwrap_or(DateTime::<Utc>::MIN_UTC);
            let start = times.partition_point(|at| *at < midnight);
            let end = times.partition_point(|at| *at <= now);
            if end.saturating_sub(start) >= per_day as usize {
                return Err(Spent::Day);
            }
        }
        if let Some(per_minute) = per_minute {
            let since = now
                .checked_sub_signed(Duration::minutes(1))
                .unwrap_or(DateTime::<Utc>::MIN_UTC);
            let start = times.partition_point(|at| *at <= since);
            let end = times.partition_point(|at| *at <= now);
            if end.saturating_sub(start) >= per_minute as usize {
                return Err(Spent::Minute);
            }
        }
        Ok(())
    }

    /// Counts a push of `kind` made at `at`.
    pub(crate) fn record(&mut self, kind: PushKind, at: DateTime<Utc>) {
        let times = match kind {
            PushKind::App => &mut self.app,
            PushKind::List => &mut self.list,
        };
        let position = times.partition_point(|made| *made <= at);
        times.insert(position, at);
    }

    fn times(&self, kind: PushKind) -> &[DateTime<Utc>] {
        match kind {
            PushKind::App => &self.app,
            PushKind::List => &self.list,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    const FIVE_A_MINUTE: Limits = Limits {
        app_pushes_per_day: Some(7),
        app_pushes_per_minute: Some(5),
        list_pushes_per_day: None,
        list_pushes_per_minute: None,
    };

    #[test]
    fn the_minute_slides_and_the_day_is_beijings() {
        let mut ledger = Ledger::default();
        let start = at("2030-01-07T01:00:00Z");
        for second in 0..5 {
            let now = start + Duration::seconds(second);
            assert_eq!(ledger.check(PushKind::App, &FIVE_A_MINUTE, now), Ok(()));
            ledger.record(PushKind::App, now);
        }
        let sixth = start + Duration::seconds(30);
        assert_eq!(
            ledger.check(PushKind::App, &FIVE_A_MINUTE, sixth),
            Err(Spent::Minute)
        );
        // Sixty seconds after the first, it has left the window.
        let later = start + Duration::seconds(60);
        assert_eq!(ledger.check(PushKind::App, &FIVE_A_MINUTE, later), Ok(()));
        ledger.record(PushKind::App, later);
        ledger.record(PushKind::App, later + Duration::minutes(5));
        let eighth = later + Duration::minutes(10);
        assert_eq!(
            ledger.check(PushKind::App, &FIVE_A_MINUTE, eighth),
            Err(Spent::Day)
        );
        // 16:00 UTC is midnight in Beijing: a new day.
        let tomorrow = at("2030-01-07T16:00:00Z");
        assert_eq!(
            ledger.check(PushKind::App, &FIVE_A_MINUTE, tomorrow),
            Ok(())
        );
        // List pushes are counted apart, and have no limit here.
        assert_eq!(ledger.check(PushKind::List, &FIVE_A_MINUTE, sixth), Ok(()));
    }

    #[test]
    fn pushes_after_now_do_not_fill_the_window() {
        // A sandbox whose clock a later run set back sees its earlier run's pushes ahead.
        let mut ledger = Ledger::default();
        let now = at("2030-01-07T01:00:00Z");
        for minute in 1..=10 {
            ledger.record(PushKind::App, now + Duration::minutes(minute));
        }
        assert_eq!(ledger.check(PushKind::App, &FIVE_A_MINUTE, now), Ok(()));
    }
}
