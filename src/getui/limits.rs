//! Getui's own limits on pushes: how many app pushes (to every device, or to a filter) and
//! list pushes an app may make a day and a minute, and which answers say one was reached.
//!
//! The numbers are Getui's error-code table for REST V2 (as mirrored in DCloud's uni-push 2
//! docs, `dcloudio/unidocs-zh`, before Dec 2023; `getui-protocol.md` F.7):
//!
//! | limit | number | code when reached |
//! |---|---|---|
//! | `/push/all` and `/push/tag` together, a day | 100 | 30007 (all), 30010 (tag) |
//! | the same, a minute | 5 | 30014 |
//! | list pushes, a day | 2,000,000 | 30008 |
//! | list pushes, a minute | not published | 30015 |
//!
//! VIP accounts get more, so a target can raise each one (`limits:` in `gtcamp.yaml`). The
//! legacy API refuses with one code for both, `PushMsgToListOrAppTimesOverLimit`, and
//! publishes no numbers of its own; gtcamp holds it to the V2 numbers, the only published
//! ones. A list push counts once per call, whatever its number of devices: how Getui counts
//! its 2,000,000 is not said, and gtcamp's list pushes are few calls a day either way.
//!
//! Getui's day is read as Beijing's calendar day, a daily limit resetting at 00:00 in
//! Asia/Shanghai: the table says 每天 ("a day") without a zone, and Getui's console and
//! reports count days on Beijing time. The minute is not said to be a calendar minute or any
//! 60 seconds; gtcamp paces as if it were any 60 seconds, which keeps under either.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use super::codes::ResultCode;
use super::error::Error;
use super::v2_codes::Code;

/// How many pushes of each kind an app may make; `None` is no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    pub app_pushes_per_day: Option<u32>,
    pub app_pushes_per_minute: Option<u32>,
    pub list_pushes_per_day: Option<u32>,
    pub list_pushes_per_minute: Option<u32>,
}

impl Limits {
    /// Getui's published limits for an account without VIP features.
    pub const DOCUMENTED: Limits = Limits {
        app_pushes_per_day: Some(100),
        app_pushes_per_minute: Some(5),
        list_pushes_per_day: Some(2_000_000),
        list_pushes_per_minute: None,
    };

    /// No limit at all (a sandbox whose target sets none).
    pub const NONE: Limits = Limits {
        app_pushes_per_day: None,
        app_pushes_per_minute: None,
        list_pushes_per_day: None,
        list_pushes_per_minute: None,
    };

    /// The per-day and per-minute limits of one kind of push.
    pub fn of(&self, kind: PushKind) -> (Option<u32>, Option<u32>) {
        match kind {
            PushKind::App => (self.app_pushes_per_day, self.app_pushes_per_minute),
            PushKind::List => (self.list_pushes_per_day, self.list_pushes_per_minute),
        }
    }
}

/// The two kinds of push Getui counts apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushKind {
    /// A push to every device or to a filter (`/push/all`, `/push/tag`, `pushMessageToApp`):
    /// every scheduled push gtcamp creates.
    App,
    /// A push to listed cids or aliases (`/push/list/*`, `pushMessageToList`).
    List,
}

impl PushKind {
    /// Its name, singular and plural.
    pub fn nouns(self) -> (&'static str, &'static str) {
        match self {
            PushKind::App => ("app push", "app pushes"),
            PushKind::List => ("list push", "list pushes"),
        }
    }
}

/// Which daily limit `error` says is spent, if it says one is. Waiting seconds does not
/// help these (unlike the per-minute ones, which the transports wait out): the quota comes
/// back at [`next_reset`].
pub fn spent_daily(error: &Error) -> Option<PushKind> {
    match error {
        // The legacy API's one code for both limits: read as the daily one, since the
        // per-minute one is paced for and this answer gives no time to wait for. The call
        // says which kind.
        Error::Api { action, code } => (*code == ResultCode::PushMsgToListOrAppTimesOverLimit)
            .then(
                || match *action == <super::wire::PushToList as super::wire::Action>::NAME {
                    true => PushKind::List,
                    false => PushKind::App,
                },
            ),
        Error::V2 { code, .. } => match code {
            Code::AllDailyLimit
            | Code::TagPushDailyLimit
            | Code::TagDailyLimit
            | Code::PushDailyLimit => Some(PushKind::App),
            Code::ListDailyLimit => Some(PushKind::List),
            _ => None,
        },
        _ => None,
    }
}

/// Getui's calendar day of `at` (Beijing).
pub fn getui_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Shanghai).date_naive()
}

/// When the daily limits next reset after `at`: the coming 00:00 in Beijing.
pub fn next_reset(at: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = getui_day(at).succ_opt().unwrap_or(NaiveDate::MAX);
    Shanghai
        .from_local_datetime(&tomorrow.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or(DateTime::<Utc>::MAX_UTC, |reset| reset.with_timezone(&Utc))
}

/// How long `count` pushes take at `per_minute` a minute, the first going at once: each
/// minute's worth waits a minute after the one before.
pub fn pacing_time(count: usize, per_minute: Option<u32>) -> Duration {
    match per_minute {
        Some(per_minute) if per_minute > 0 && count > 0 => {
            let waits = (count - 1) / per_minute as usize;
            Duration::minutes(i64::try_from(waits).unwrap_or(i64::MAX / 60))
        }
        _ => Duration::zero(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn the_day_is_beijings_and_resets_at_its_midnight() {
        // 23:30 UTC is 07:30 the next day in Beijing.
        let late = at("2030-01-07T23:30:00Z");
        assert_eq!(
            getui_day(late),
            NaiveDate::from_ymd_opt(2030, 1, 8).unwrap()
        );
        assert_eq!(next_reset(late), at("2030-01-08T16:00:00Z"));
        assert_eq!(
            next_reset(at("2030-01-07T15:59:59Z")),
            at("2030-01-07T16:00:00Z")
        );
    }

    #[test]
    fn pacing_waits_a_minute_per_full_minute_of_pushes() {
        let five = Some(5);
        assert_eq!(pacing_time(0, five), Duration::zero());
        assert_eq!(pacing_time(5, five), Duration::zero());
        assert_eq!(pacing_time(6, five), Duration::minutes(1));
        assert_eq!(pacing_time(20, five), Duration::minutes(3));
        assert_eq!(pacing_time(100, five), Duration::minutes(19));
        assert_eq!(pacing_time(100, None), Duration::zero());
    }

    #[test]
    fn daily_refusals_are_told_apart_from_the_rest() {
        let v2 = |code| Error::V2 {
            action: "push/all",
            code,
            msg: String::new(),
        };
        assert_eq!(spent_daily(&v2(Code::AllDailyLimit)), Some(PushKind::App));
        assert_eq!(
            spent_daily(&v2(Code::TagPushDailyLimit)),
            Some(PushKind::App)
        );
        assert_eq!(spent_daily(&v2(Code::ListDailyLimit)), Some(PushKind::List));
        assert_eq!(spent_daily(&v2(Code::AppPushFlowLimit)), None);
        assert_eq!(spent_daily(&v2(Code::InvalidParameter)), None);
        let legacy = Error::Api {
            action: "pushMessageToAppAction",
            code: ResultCode::PushMsgToListOrAppTimesOverLimit,
        };
        assert_eq!(spent_daily(&legacy), Some(PushKind::App));
        let list = Error::Api {
            action: "pushMessageToListAction",
            code: ResultCode::PushMsgToListOrAppTimesOverLimit,
        };
        assert_eq!(spent_daily(&list), Some(PushKind::List));
        let other = Error::Api {
            action: "pushMessageToAppAction",
            code: ResultCode::SendError,
        };
        assert_eq!(spent_daily(&other), None);
    }
}
