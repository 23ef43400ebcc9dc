//! Ranges: every duration and instant an author writes lies where gtcamp can compute with it
//! and Getui can take it. Durations the parser accepts reach `99999999999999999999d`, and
//! instants reach year 9999 in any offset; past these bounds `now + push-ahead` or a push
//! time in Beijing time would not exist (see issue 12, where a 100,000,000-day push-ahead
//! crashed `plan`).
//!
//! Rules with their own code keep it: offline keep (GC050), SMS delay (GC031), speed 0
//! (GC063), display window length (GC025), quiet hours (GC062). This file adds GC067 for the
//! workspace's window durations, GC059 for instants and days, and GC048 for the length of
//! an alias or cid list.

use crate::load::codes;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::site::Site;
use super::{Diagnostic, View};
use crate::getui::legacy::LIST_PUSH_LIMIT;
use crate::load::FieldPath;
use crate::model::{Audience, DateOrDateTime, Duration, Instant, Template};

/// One duration setting: where it is written, its bounds, and what the bounds are for.
struct Bounded {
    path: Vec<String>,
    value: Duration,
    min: Duration,
    max: Duration,
    why: &'static str,
}

/// The bounds of each workspace duration (GC067).
///
/// | setting | range | why |
/// |---|---|---|
/// | `targets.*.max_push_ahead` | 1m to 365d | Getui accepts 7 days; a year leaves room for a private deployment |
/// | `defaults.lead_time` | 0s to 30d | a lead time longer than a month would never create anything |
/// | `defaults.horizon` | 1m to 366d | the calendar draws at most 366 days; beyond, compile caps occurrences anyway |
/// | `lints.fatigue.window` | 0s to 30d | two sends a month apart are no longer fatigue |
const PUSH_AHEAD: (Duration, Duration) = (Duration::from_minutes(1), Duration::from_days(365));
const LEAD_TIME: (Duration, Duration) = (Duration::from_secs(0), Duration::from_days(30));
const HORIZON: (Duration, Duration) = (Duration::from_minutes(1), Duration::from_days(366));
const FATIGUE_WINDOW: (Duration, Duration) = (Duration::from_secs(0), Duration::from_days(30));

pub(super) fn check(view: &View, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    for (loaded, workspace) in &view.workspaces {
        let site = Site::of(loaded, &root);
        let mut bounded: Vec<Bounded> = workspace
            .targets
            .iter()
            .map(|(name, target)| Bounded {
                path: ["targets", name.as_str(), "max_push_ahead"]
                    .map(str::to_owned)
                    .to_vec(),
                value: target.max_push_ahead,
                min: PUSH_AHEAD.0,
                max: PUSH_AHEAD.1,
                why: "how far ahead the target accepts a push time, 7d on Getui",
            })
            .collect();
        let defaults = &workspace.defaults;
        bounded.extend([
            setting(
                &["defaults", "lead_time"],
                defaults.lead_time,
                LEAD_TIME,
                "how close to now a push is still created",
            ),
            setting(
                &["defaults", "horizon"],
                defaults.horizon,
                HORIZON,
                "how far ahead recurring campaigns are expanded",
            ),
            setting(
                &["lints", "fatigue", "window"],
                workspace.lints.fatigue.window,
                FATIGUE_WINDOW,
                "how close two sends to the same people count as fatigue",
            ),
        ]);
        for one in bounded {
            check_duration(&site, &one, out);
        }
    }
    for (document, campaign) in &view.campaigns {
        let site = Site::of(document, &root);
        let schedule = &campaign.schedule;
        if let Some(at) = &schedule.at {
            check_instant(&site, at, &["schedule", "at"], out);
        }
        for (field, bound) in [("from", &schedule.from), ("until", &schedule.until)] {
            match bound {
                Some(DateOrDateTime::Instant(at)) => {
                    check_instant(&site, at, &["schedule", field], out);
                }
                Some(DateOrDateTime::Date(day)) => check_day(&site, *day, field, out),
                None => {}
            }
        }
    }
    for (site, template) in view.all_templates() {
        check_display_window(&site, template, out);
    }
    for (site, audience) in view.all_audiences() {
        check_list_size(&site, audience, out);
    }
}

/// GC048: one list push reaches at most [`LIST_PUSH_LIMIT`] aliases or cids; gtcamp sends
/// an occurrence as one push, so a longer list would fail at apply.
fn check_list_size(site: &Site, audience: &Audience, out: &mut Vec<Diagnostic>) {
    let lists = [("aliases", &audience.aliases), ("cids", &audience.cids)];
    for (field, list) in lists {
        let count = list.as_ref().map_or(0, Vec::len);
        if count > LIST_PUSH_LIMIT {
            out.push(site.at_key(
                Diagnostic::error(
                    codes::GC048,
                    format!("`{field}` lists {count} targets; one Getui list push takes at most {LIST_PUSH_LIMIT}"),
                )
                .help(format!("split the audience into campaigns of at most {LIST_PUSH_LIMIT}, or target them with tags"))
                .label("too many"),
                &[field],
            ));
        }
    }
}

fn setting(
    path: &[&str],
    value: Duration,
    (min, max): (Duration, Duration),
    why: &'static str,
) -> Bounded {
    Bounded {
        path: path.iter().map(|p| (*p).to_owned()).collect(),
        value,
        min,
        max,
        why,
    }
}

fn check_duration(site: &Site, one: &Bounded, out: &mut Vec<Diagnostic>) {
    let secs = one.value.as_secs();
    if (one.min.as_secs()..=one.max.as_secs()).contains(&secs) {
        return;
    }
    let field = one.path.join(".");
    let path: Vec<&str> = one.path.iter().map(String::as_str).collect();
    out.push(
        site.at_value(
            Diagnostic::error(
                codes::GC067,
                format!(
                    "`{field}` is `{}`, outside {} to {} ({})",
                    one.value, one.min, one.max, one.why
                ),
            )
            .help(format!(
                "write a duration from `{}` to `{}`, or remove it to use the default",
                one.min, one.max
            ))
            .label("out of range"),
            &path,
        ),
    );
}

fn check_display_window(site: &Site, template: &Template, out: &mut Vec<Diagnostic>) {
    if let Some(window) = &template.display_window {
        check_instant(site, &window.start, &["display_window", "start"], out);
        check_instant(site, &window.end, &["display_window", "end"], out);
    }
}

/// The first and last instants gtcamp sends: Getui reads push times as `yyyyMMddHHmm` in
/// Beijing time, so the last is the end of year 9999 there; before 1970 is no time to send.
fn instant_bounds() -> (DateTime<Utc>, DateTime<Utc>) {
    let first = DateTime::<Utc>::UNIX_EPOCH;
    let last = NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|day| day.and_hms_opt(15, 59, 59))
        .map_or(DateTime::<Utc>::MAX_UTC, |utc| Utc.from_utc_datetime(&utc));
    (first, last)
}

fn check_instant(site: &Site, at: &Instant, keys: &[&str], out: &mut Vec<Diagnostic>) {
    let (first, last) = instant_bounds();
    let utc = at.0.with_timezone(&Utc);
    if utc >= first && utc <= last {
        return;
    }
    out.push(out_of_years(site, &at.0.to_rfc3339(), keys));
}

fn check_day(site: &Site, day: NaiveDate, field: &str, out: &mut Vec<Diagnostic>) {
    let first = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    if day >= first && day <= last {
        return;
    }
    out.push(out_of_years(
        site,
        &day.format("%Y-%m-%d").to_string(),
        &["schedule", field],
    ));
}

fn out_of_years(site: &Site, written: &str, keys: &[&str]) -> Diagnostic {
    let field = keys.join(".");
    site.at_value(
        Diagnostic::error(
            codes::GC059,
            format!("`{field}` is {written}, outside the years 1970 to 9999 (Beijing time) Getui can take"),
        )
        .help("write a time from 1970 to the end of 9999, such as `2026-12-01T10:00:00+08:00`")
        .label("out of range"),
        keys,
    )
}
