//! Schedules: from `at` or `cron` to the instants a campaign fires, and where each stands
//! in time.
//!
//! Cron rules are matched by croner (five standard fields, 1 = Monday) against *local wall
//! time* in the campaign's zone, never against UTC: croner is handed a clock whose reading
//! is the local time with no DST (a UTC `DateTime` that holds local digits), and every
//! candidate is turned into an instant with [`TimeZone::from_local_datetime`]. That keeps
//! the DST rules ours: a local time that does not exist that day is skipped (croner alone
//! would move it after the gap), and one that happens twice fires once, at the first.

use std::collections::HashMap;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use croner::Cron;

use super::{CompileNote, DeliveryKind, Timing};
use crate::model::{DateOrDateTime, Defaults, Schedule};

/// At most this many occurrences per campaign in one compile, so that `* * * * *` over a
/// two-week horizon cannot flood a plan (or Getui).
pub const MAX_OCCURRENCES: usize = 10_000;

/// The instants and durations occurrences are measured against.
#[derive(Debug, Clone, Copy)]
pub(super) struct Clock {
    pub now: DateTime<Utc>,
    pub lead_time: chrono::Duration,
    pub horizon: chrono::Duration,
    pub max_push_ahead: chrono::Duration,
    pub grace: chrono::Duration,
}

/// Every time a campaign fires inside its window, with its timing, and what a reviewer
/// should know about the expansion.
#[derive(Debug, Clone, Default)]
pub(super) struct Expansion {
    pub fires: Vec<(DateTime<Tz>, Timing)>,
    pub notes: Vec<CompileNote>,
}

/// The zone a campaign's times are read and shown in: its schedule's, else the workspace
/// default.
pub(super) fn zone_of(schedule: &Schedule, defaults: &Defaults) -> Result<Tz, String> {
    let name = schedule.timezone.as_deref().unwrap_or(&defaults.timezone);
    name.parse::<Tz>()
        .map_err(|_| format!("`{name}` is not an IANA time zone"))
}

/// Expands a schedule into its occurrences as of `clock.now`.
pub(super) fn expand(
    campaign: &str,
    schedule: &Schedule,
    zone: Tz,
    kind: DeliveryKind,
    clock: &Clock,
    rules: &Rules,
    memo: &mut Memo,
) -> Result<Expansion, String> {
    match (&schedule.at, &schedule.cron) {
        (Some(at), None) => {
            let fire_at = floor_to_minute(at.0.with_timezone(&zone));
            let timing = timing(kind, fire_at.with_timezone(&Utc), clock);
            Ok(Expansion {
                fires: vec![(fire_at, timing)],
                notes: Vec::new(),
            })
        }
        (None, Some(rule)) => {
            let memo_key = MemoKey {
                rule: rule.clone(),
                zone: zone.name(),
                from: schedule.from,
                until: schedule.until,
                list: kind == DeliveryKind::ListPush,
            };
            if let Some(known) = memo.0.get(&memo_key) {
                return Ok(known.for_campaign(campaign));
            }
            let cron = rules.get(rule)?;
            // Scheduled campaigns keep the occurrences inside the lead time (as
            // `InsideLeadTime`) so that a plan sees they are still wanted and leaves their
            // tasks alone; list pushes look back over the grace window so a due one is
            // not lost between two applies.
            let earliest = match kind {
                DeliveryKind::Scheduled => clock.now,
                DeliveryKind::ListPush => minus(clock.now, clock.grace),
            };
            let latest = plus(plus(clock.now, clock.horizon), chrono::Duration::seconds(1));
            let (start, end) = window(schedule, zone, earliest, latest);
            let mut expansion = cron_times(cron, zone, start, end, campaign);
            for (fire_at, timing_slot) in &mut expansion.fires {
                *timing_slot = timing(kind, fire_at.with_timezone(&Utc), clock);
            }
            memo.0.insert(memo_key, expansion.clone());
            Ok(expansion)
        }
        (None, None) => Err("its schedule has neither `at` nor `cron`".to_owned()),
        (Some(_), Some(_)) => Err("its schedule has both `at` and `cron`".to_owned()),
    }
}

/// Expansions already made in this compile: campaigns that share a rule, zone and bounds
/// fire at the same times, and expanding is the costly part of compiling one.
#[derive(Debug, Default)]
pub(super) struct Memo(HashMap<MemoKey, Expansion>);

#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct MemoKey {
    rule: String,
    zone: &'static str,
    from: Option<DateOrDateTime>,
    until: Option<DateOrDateTime>,
    list: bool,
}

impl Expansion {
    /// The same fires, with notes naming `campaign`.
    fn for_campaign(&self, campaign: &str) -> Expansion {
        let mut notes = self.notes.clone();
        for note in &mut notes {
            match note {
                CompileNote::DstGapSkipped { campaign: c, .. }
                | CompileNote::DstAmbiguousOnce { campaign: c, .. }
                | CompileNote::OccurrencesCapped { campaign: c, .. } => campaign.clone_into(c),
            }
        }
        Expansion {
            fires: self.fires.clone(),
            notes,
        }
    }
}

/// Every distinct cron rule of a workspace, parsed once: campaigns share a handful of
/// rules, and parsing one costs more than expanding it.
#[derive(Debug, Default)]
pub(super) struct Rules(HashMap<String, Result<Cron, String>>);

impl Rules {
    pub fn of<'a>(rules: impl IntoIterator<Item = &'a str>) -> Rules {
        let mut parsed = HashMap::new();
        for rule in rules {
            if !parsed.contains_key(rule) {
                parsed.insert(rule.to_owned(), parse_cron(rule));
            }
        }
        Rules(parsed)
    }

    fn get(&self, rule: &str) -> Result<&Cron, String> {
        match self.0.get(rule) {
            Some(Ok(cron)) => Ok(cron),
            Some(Err(reason)) => Err(reason.clone()),
            None => Err(format!("the cron rule `{rule}` was not read")),
        }
    }
}

/// A five-field cron rule; croner would also take six or seven.
pub(super) fn parse_cron(rule: &str) -> Result<Cron, String> {
    let fields = rule.split_whitespace().count();
    if fields != 5 {
        return Err(format!(
            "the cron rule `{rule}` has {fields} fields instead of 5"
        ));
    }
    rule.parse::<Cron>()
        .map_err(|e| format!("`{rule}` is not a cron rule: {e}"))
}

/// `[start, end)`: `[max(earliest, from), min(until, latest))`, where a `from` day starts at
/// local midnight and an `until` day runs through its end.
pub(super) fn window(
    schedule: &Schedule,
    zone: Tz,
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = match schedule.from {
        Some(DateOrDateTime::Date(day)) => earliest.max(local_midnight(day, zone)),
        Some(DateOrDateTime::Instant(at)) => earliest.max(at.0.with_timezone(&Utc)),
        None => earliest,
    };
    let end = match schedule.until {
        Some(DateOrDateTime::Date(day)) => match day.succ_opt() {
            Some(next) => latest.min(local_midnight(next, zone)),
            None => latest,
        },
        Some(DateOrDateTime::Instant(at)) => {
            latest.min(plus(at.0.with_timezone(&Utc), chrono::Duration::seconds(1)))
        }
        None => latest,
    };
    (start, end)
}

/// The first instant of a local day (the first one after a gap, should midnight not exist).
fn local_midnight(day: chrono::NaiveDate, zone: Tz) -> DateTime<Utc> {
    let mut local = day.and_time(chrono::NaiveTime::MIN);
    for _ in 0..=24 * 4 {
        if let Some(instant) = zone.from_local_datetime(&local).earliest() {
            return instant.with_timezone(&Utc);
        }
        match local.checked_add_signed(chrono::Duration::minutes(15)) {
            Some(later) => local = later,
            None => break,
        }
    }
    Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN))
}

/// How far local wall time can run ahead of an instant's own reading across a DST change
/// (clocks fall back at most an hour almost everywhere; two is safe).
const DST_MARGIN: chrono::Duration = chrono::Duration::hours(2);

/// The times `cron` fires in `[start, end)`, read in `zone`.
fn cron_times(
    cron: &Cron,
    zone: Tz,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    campaign: &str,
) -> Expansion {
    let mut out = Expansion::default();
    if start >= end {
        return out;
    }
    let first_local = start.with_timezone(&zone).naive_local();
    let last_local = end.with_timezone(&zone).naive_local();
    let stop_local = last_local
        .checked_add_signed(DST_MARGIN)
        .unwrap_or(last_local);
    // Local digits on a clock with no DST: what croner matches the rule against. Croner
    // keeps the cursor's seconds and nanoseconds in what it returns, and a real clock has
    // them, so search from the whole minute; `in_window` drops a match before `start`.
    let first_minute = first_local
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(first_local);
    let mut cursor = Utc.from_utc_datetime(&first_minute);
    let mut inclusive = true;
    // Every pass moves the cursor forward; the bound only guards against a croner surprise.
    for _ in 0..MAX_OCCURRENCES * 4 {
        let Ok(next) = cron.find_next_occurrence(&cursor, inclusive) else {
            break;
        };
        inclusive = false;
        cursor = next;
        let local = next.naive_utc();
        if local > stop_local {
            break;
        }
        let fire_at = match zone.from_local_datetime(&local) {
            LocalResult::Single(instant) => instant,
            LocalResult::Ambiguous(a, b) => {
                let first = a.min(b);
                if in_window(&first, start, end) {
                    out.notes.push(CompileNote::DstAmbiguousOnce {
                        campaign: campaign.to_owned(),
                        local_time: local_text(local),
                        timezone: zone.name().to_owned(),
                    });
                }
                first
            }
            LocalResult::None => {
                if local >= first_local && local <= last_local {
                    out.notes.push(CompileNote::DstGapSkipped {
                        campaign: campaign.to_owned(),
                        local_time: local_text(local),
                        timezone: zone.name().to_owned(),
                    });
                }
                continue;
            }
        };
        if !in_window(&fire_at, start, end) {
            continue;
        }
        if out.fires.len() == MAX_OCCURRENCES {
            out.notes.push(capped(campaign, zone, &out));
            break;
        }
        out.fires.push((fire_at, Timing::Schedulable));
    }
    out
}

fn in_window(instant: &DateTime<Tz>, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let instant = instant.with_timezone(&Utc);
    instant >= start && instant < end
}

fn capped(campaign: &str, zone: Tz, expansion: &Expansion) -> CompileNote {
    let last = expansion
        .fires
        .last()
        .map(|(at, _)| local_text(at.naive_local()))
        .unwrap_or_default();
    CompileNote::OccurrencesCapped {
        campaign: campaign.to_owned(),
        limit: MAX_OCCURRENCES,
        last_local_time: last,
        timezone: zone.name().to_owned(),
    }
}

fn local_text(local: NaiveDateTime) -> String {
    local.format("%Y-%m-%d %H:%M").to_string()
}

/// Where an occurrence at `at` stands as of `clock.now`.
pub(super) fn timing(kind: DeliveryKind, at: DateTime<Utc>, clock: &Clock) -> Timing {
    let now = clock.now;
    match kind {
        DeliveryKind::Scheduled if at < now => Timing::Past,
        DeliveryKind::Scheduled if at < plus(now, clock.lead_time) => Timing::InsideLeadTime,
        DeliveryKind::Scheduled if at > plus(now, clock.max_push_ahead) => Timing::Deferred,
        DeliveryKind::Scheduled => Timing::Schedulable,
        DeliveryKind::ListPush if now < at => Timing::NotYetDue,
        DeliveryKind::ListPush if now <= plus(at, clock.grace) => Timing::Due,
        DeliveryKind::ListPush => Timing::Missed,
    }
}

/// Occurrences are whole minutes: Getui's push time has no seconds.
fn floor_to_minute(at: DateTime<Tz>) -> DateTime<Tz> {
    let nanos = chrono::Duration::nanoseconds(i64::from(at.nanosecond()));
    let past_the_minute = chrono::Duration::seconds(i64::from(at.second()))
        .checked_add(&nanos)
        .unwrap_or(nanos);
    at.checked_sub_signed(past_the_minute).unwrap_or(at)
}

/// `at + d`, saturating instead of overflowing on absurd horizons. The bound stays a day
/// inside chrono's range so that reading it in any zone is still representable.
pub(super) fn plus(at: DateTime<Utc>, d: chrono::Duration) -> DateTime<Utc> {
    let last = minus_raw(DateTime::<Utc>::MAX_UTC, chrono::Duration::days(1));
    at.checked_add_signed(d).map_or(last, |t| t.min(last))
}

/// `at - d`, saturating, a day inside chrono's range.
pub(super) fn minus(at: DateTime<Utc>, d: chrono::Duration) -> DateTime<Utc> {
    let first = DateTime::<Utc>::MIN_UTC
        .checked_add_signed(chrono::Duration::days(1))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    at.checked_sub_signed(d).map_or(first, |t| t.max(first))
}

fn minus_raw(at: DateTime<Utc>, d: chrono::Duration) -> DateTime<Utc> {
    at.checked_sub_signed(d).unwrap_or(at)
}
