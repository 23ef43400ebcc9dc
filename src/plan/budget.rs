//! What a plan asks of Getui's limits on pushes ([`Limits`]): how many app and list pushes
//! its apply makes, on which of Getui's days, and how long pacing to the per-minute limit
//! takes. A plan whose apply would go over a daily limit is refused before anything is
//! sent ([`PushBudget::over_daily`]): Getui would refuse the rest of the day's creates
//! halfway through, and the same plan would fail the same way every day.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::getui::limits::{getui_day, pacing_time};
use crate::getui::{Limits, PushKind};
use crate::render::{count, thousands};
use crate::state::PushesMade;

/// The pushes of a plan that Getui's limits count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushBudget {
    /// Scheduled pushes the apply creates (replacements included).
    pub app_pushes: usize,
    /// List pushes the apply fires.
    pub list_pushes: usize,
    /// The target's limits; `None` for a sandbox that sets none, which is measured against
    /// Getui's published ones instead, to say what production would need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
    /// App pushes state records gtcamp made on the target earlier the same Beijing day.
    pub app_pushes_made_today: u32,
    /// The same for list pushes.
    pub list_pushes_made_today: u32,
    /// Whole minutes the apply waits for the per-minute limit of app pushes.
    pub pacing_minutes: i64,
}

/// A plan whose apply goes over a daily limit on one day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "this plan needs {needed} on {day} (Beijing), but the target allows {limit} a day{made}: Getui would refuse the rest with its daily-limit code, and the same plan would fail every day; shorten the target's `max_push_ahead` so that an apply creates fewer days of pushes at once, spread campaigns over more days, or, if Getui gave this app more (VIP), raise `limits.{field}` in gtcamp.yaml; nothing was changed"
)]
pub struct OverLimit {
    /// `120 app pushes`.
    pub needed: String,
    pub day: NaiveDate,
    pub limit: String,
    /// `, and gtcamp made 30 earlier that day`, or nothing.
    pub made: String,
    pub field: &'static str,
}

impl PushBudget {
    /// What an apply of `app_pushes` and `list_pushes` asks of `limits` (`None`: the
    /// target sets none), given the pushes state records as made on the target's day and
    /// the time the apply starts.
    pub fn of(
        (app_pushes, list_pushes): (usize, usize),
        limits: Option<Limits>,
        made: Option<&PushesMade>,
        now: DateTime<Utc>,
    ) -> Option<PushBudget> {
        if app_pushes == 0 && list_pushes == 0 {
            return None;
        }
        let paced_to = limits.unwrap_or(Limits::DOCUMENTED).app_pushes_per_minute;
        Some(PushBudget {
            app_pushes,
            list_pushes,
            limits,
            app_pushes_made_today: PushesMade::on(made, PushKind::App, now),
            list_pushes_made_today: PushesMade::on(made, PushKind::List, now),
            pacing_minutes: pacing_time(app_pushes, paced_to).num_minutes(),
        })
    }

    /// The first day on which the apply, starting at `now` and paced, goes over a daily
    /// limit of the target's. A sandbox without limits is never over.
    pub fn over_daily(&self, now: DateTime<Utc>) -> Option<OverLimit> {
        let limits = self.limits?;
        let app = self.over(PushKind::App, &limits, now);
        app.or_else(|| self.over(PushKind::List, &limits, now))
    }

    fn over(&self, kind: PushKind, limits: &Limits, now: DateTime<Utc>) -> Option<OverLimit> {
        let (Some(per_day), per_minute) = limits.of(kind) else {
            return None;
        };
        let (pushes, made_today) = match kind {
            PushKind::App => (self.app_pushes, self.app_pushes_made_today),
            PushKind::List => (self.list_pushes, self.list_pushes_made_today),
        };
        let today = getui_day(now);
        let mut days: Vec<(NaiveDate, usize)> = Vec::new();
        for index in 0..pushes {
            let at = now.checked_add_signed(pacing_time(index + 1, per_minute));
            let day = getui_day(at.unwrap_or(DateTime::<Utc>::MAX_UTC));
            match days.last_mut() {
                Some((last, count)) if *last == day => *count += 1,
                _ => days.push((day, 1)),
            }
        }
        days.into_iter().find_map(|(day, needed)| {
            let earlier = if day == today { made_today as usize } else { 0 };
            (needed + earlier > per_day as usize).then(|| OverLimit {
                needed: {
                    let (one, many) = kind.nouns();
                    count(needed, one, many)
                },
                day,
                limit: thousands(u64::from(per_day)),
                made: match earlier {
                    0 => String::new(),
                    n => format!(", and gtcamp made {} earlier that day", thousands(n as u64)),
                },
                field: match kind {
                    PushKind::App => "app_pushes_per_day",
                    PushKind::List => "list_pushes_per_day",
                },
            })
        })
    }

    /// The line a reviewer reads about the limits, when there is something to say: the
    /// apply waits for the per-minute limit, or uses at least half a day's app pushes. For
    /// a sandbox without limits, what Getui's published limits would ask of production.
    pub fn line(&self) -> Option<String> {
        let limits = self.limits.unwrap_or(Limits::DOCUMENTED);
        let per_day = limits.app_pushes_per_day?;
        let per_minute = limits.app_pushes_per_minute;
        let used = self.app_pushes + self.app_pushes_made_today as usize;
        let busy = used * 2 >= per_day as usize;
        if self.pacing_minutes == 0 && !busy {
            return None;
        }
        let mut line = format!(
            "{}, {} of {} a day",
            count(self.app_pushes, "app push", "app pushes"),
            thousands(used as u64),
            thousands(u64::from(per_day))
        );
        if self.app_pushes_made_today > 0 {
            line.push_str(&format!(
                " with {} made earlier today",
                thousands(u64::from(self.app_pushes_made_today))
            ));
        }
        if let (Some(per_minute), true) = (per_minute, self.pacing_minutes > 0) {
            line.push_str(&format!(
                "; paced at {per_minute} a minute, about {}",
                count(self.pacing_minutes as usize, "minute", "minutes")
            ));
        }
        Some(match self.limits {
            Some(_) => format!("Getui's limits: {line}."),
            None => format!(
                "Getui's limits: none on this sandbox; on Getui's published limits, production would need {line}."
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn budget(app_pushes: usize, limits: Option<Limits>, made_today: u32) -> PushBudget {
        let paced_to = limits.unwrap_or(Limits::DOCUMENTED).app_pushes_per_minute;
        PushBudget {
            app_pushes,
            list_pushes: 0,
            limits,
            app_pushes_made_today: made_today,
            list_pushes_made_today: 0,
            pacing_minutes: pacing_time(app_pushes, paced_to).num_minutes(),
        }
    }

    // 10:00 in Beijing.
    const MORNING: &str = "2030-01-07T02:00:00Z";

    #[test]
    fn a_day_over_the_limit_is_refused_with_the_way_out() {
        let over = budget(101, Some(Limits::DOCUMENTED), 0)
            .over_daily(at(MORNING))
            .expect("over");
        assert_eq!(over.needed, "101 app pushes");
        assert_eq!(over.day, NaiveDate::from_ymd_opt(2030, 1, 7).unwrap());
        assert!(over.to_string().contains("max_push_ahead"), "{over}");
        assert!(
            over.to_string().contains("limits.app_pushes_per_day"),
            "{over}"
        );
        assert_eq!(
            budget(100, Some(Limits::DOCUMENTED), 0).over_daily(at(MORNING)),
            None
        );
    }

    #[test]
    fn pushes_made_earlier_that_day_count() {
        let over = budget(60, Some(Limits::DOCUMENTED), 41).over_daily(at(MORNING));
        let over = over.expect("over");
        assert_eq!(over.made, ", and gtcamp made 41 earlier that day");
        assert_eq!(
            budget(59, Some(Limits::DOCUMENTED), 41).over_daily(at(MORNING)),
            None
        );
    }

    #[test]
    fn pacing_past_midnight_spreads_the_pushes_over_two_days() {
        // 23:50 in Beijing: ten minutes at 5 a minute reach 50 pushes before midnight.
        let late = at("2030-01-07T15:50:00Z");
        assert_eq!(
            budget(150, Some(Limits::DOCUMENTED), 0).over_daily(late),
            None
        );
        let over = budget(150, Some(Limits::DOCUMENTED), 0).over_daily(at(MORNING));
        assert_eq!(over.map(|o| o.needed), Some("150 app pushes".to_owned()));
    }

    #[test]
    fn a_sandbox_without_limits_is_never_over_but_says_what_production_needs() {
        let sandbox = budget(300, None, 0);
        assert_eq!(sandbox.over_daily(at(MORNING)), None);
        assert_eq!(
            sandbox.line().as_deref(),
            Some(
                "Getui's limits: none on this sandbox; on Getui's published limits, production would need 300 app pushes, 300 of 100 a day; paced at 5 a minute, about 59 minutes."
            )
        );
    }

    #[test]
    fn the_line_speaks_only_when_pacing_waits_or_the_day_fills() {
        assert_eq!(budget(5, Some(Limits::DOCUMENTED), 0).line(), None);
        assert_eq!(
            budget(20, Some(Limits::DOCUMENTED), 0).line().as_deref(),
            Some(
                "Getui's limits: 20 app pushes, 20 of 100 a day; paced at 5 a minute, about 3 minutes."
            )
        );
        assert_eq!(
            budget(3, Some(Limits::DOCUMENTED), 60).line().as_deref(),
            Some("Getui's limits: 3 app pushes, 63 of 100 a day with 60 made earlier today.")
        );
    }
}
