//! Schedules: `at` one instant or a `cron` rule with its zone and bounds, never both;
//! the rule parses and fires at least once between `from` and `until`.
//!
//! Cron rules are read by croner: five standard fields, where day-of-week 1 is Monday
//! (the `cron` crate's Quartz numbering would make it Sunday and shift every campaign by
//! a day). `from` and `until` days are read in the campaign's zone, `until` inclusive.

use crate::load::codes;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;

use super::minutes::{self, Rounding};
use super::site::Site;
use super::{CheckContext, Diagnostic, View};
use crate::model::{Campaign, DateOrDateTime, Defaults, Schedule};

pub(super) fn check(
    view: &View,
    site: &Site,
    campaign: &Campaign,
    context: &CheckContext,
    out: &mut Vec<Diagnostic>,
) {
    let schedule = &campaign.schedule;
    match (&schedule.at, &schedule.cron) {
        (Some(at), None) => {
            check_at_only(site, schedule, out);
            minutes::check(site, at, Rounding::Down, &["schedule", "at"], out);
            if at.0 < context.now {
                out.push(site.at_value(
                    Diagnostic::warning(
                        codes::GC055,
                        format!("campaign `{}` is scheduled at {}, which is in the past", campaign.name, at.0.to_rfc3339()),
                    )
                    .help("`gtcamp plan` and `apply` refuse it unless the target's state records it as created or sent: set a future `at` (a mistyped year?), or `enabled: false` if it was sent without gtcamp")
                    .label("in the past"),
                    &["schedule", "at"],
                ));
            }
        }
        (None, Some(cron)) => check_cron(view, site, schedule, cron, out),
        (None, None) => out.push(site.at_key(
            Diagnostic::error(codes::GC051, "the schedule has neither `at` nor `cron`")
                .help("write `at: 2026-12-01T10:00:00+08:00` for one send, or `cron: \"0 10 * * 1\"` to repeat")
                .label("no send time"),
            &["schedule"],
        )),
        (Some(_), Some(_)) => out.push(site.at_key(
            Diagnostic::error(codes::GC051, "the schedule has both `at` and `cron`")
                .help("keep `at` for one send or `cron` to repeat, not both")
                .label("both given"),
            &["schedule", "cron"],
        )),
    }
}

fn check_at_only(site: &Site, schedule: &Schedule, out: &mut Vec<Diagnostic>) {
    let given = [
        ("timezone", schedule.timezone.is_some()),
        ("from", schedule.from.is_some()),
        ("until", schedule.until.is_some()),
    ];
    for (field, present) in given {
        if present {
            out.push(site.at_key(
                Diagnostic::error(codes::GC057, format!("`{field}` has no effect with `at`"))
                    .help(format!("`at` is one instant with its own offset; remove `{field}`, or use `cron` to repeat"))
                    .label("only for `cron`"),
                &["schedule", field],
            ));
        }
    }
}

/// A valid IANA zone name, else `None`.
pub(super) fn parse_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

pub(super) fn bad_zone(site: &Site, name: &str, path: &[&str]) -> Diagnostic {
    site.at_value(
        Diagnostic::error(codes::GC052, format!("`{name}` is not an IANA time zone"))
            .help("write a zone such as `Asia/Shanghai`, `Asia/Tokyo` or `Europe/Berlin` (abbreviations like `CST` are ambiguous)")
            .label("unknown time zone"),
        path,
    )
}

fn check_cron(
    view: &View,
    site: &Site,
    schedule: &Schedule,
    cron_text: &str,
    out: &mut Vec<Diagnostic>,
) {
    let zone_name = match &schedule.timezone {
        Some(zone) => zone.clone(),
        None => view.settings().map_or_else(
            || Defaults::default().timezone,
            |s| s.defaults.timezone.clone(),
        ),
    };
    let bounds = [
        (schedule.from.as_ref(), Rounding::Up, "from"),
        (schedule.until.as_ref(), Rounding::Down, "until"),
    ];
    for (bound, rounding, field) in bounds {
        minutes::check_bound(site, bound, rounding, &["schedule", field], out);
    }
    let zone = parse_zone(&zone_name);
    if zone.is_none() && schedule.timezone.is_some() {
        out.push(bad_zone(site, &zone_name, &["schedule", "timezone"]));
    }
    let fields = cron_text.split_whitespace().count();
    let cron = if fields == 5 {
        cron_text.parse::<Cron>().map_err(|e| e.to_string())
    } else {
        Err(format!("it has {fields} fields instead of 5"))
    };
    let cron = match cron {
        Ok(cron) => Some(cron),
        Err(reason) => {
            out.push(site.at_value(
                Diagnostic::error(codes::GC053, format!("`{cron_text}` is not a cron rule: {reason}"))
                    .help("write five fields: minute hour day-of-month month day-of-week (1 is Monday), such as `0 10 * * 1` for Mondays at 10:00")
                    .label("invalid cron rule"),
                &["schedule", "cron"],
            ));
            None
        }
    };
    let Some(zone) = zone else { return };
    let from = schedule.from.map(|f| start_of(f, zone));
    let until = schedule.until.map(|u| end_of(u, zone));
    if let (Some(from), Some(until)) = (from, until)
        && from >= until
    {
        out.push(
            site.at_value(
                Diagnostic::error(codes::GC056, "`from` is after `until`")
                    .help("swap them, or move `until` later")
                    .label("ends before it starts"),
                &["schedule", "until"],
            ),
        );
        return;
    }
    let Some(cron) = cron else { return };
    if first_occurrence(&cron, zone, from, until).is_none() {
        out.push(site.at_value(
            Diagnostic::error(codes::GC054, format!("`{cron_text}` never fires between `from` and `until`"))
                .help("widen `from`/`until`, or fix the rule (check day-of-month against the months, such as 31 in a 30-day month)")
                .label("no occurrence"),
            &["schedule", "cron"],
        ));
    }
}

fn midnight(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let resolved = zone.from_local_datetime(&local);
    resolved
        .earliest()
        .or_else(|| resolved.latest())
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// The first instant `from` allows.
fn start_of(from: DateOrDateTime, zone: Tz) -> DateTime<Utc> {
    match from {
        DateOrDateTime::Date(day) => midnight(day, zone),
        DateOrDateTime::Instant(at) => at.0.with_timezone(&Utc),
    }
}

/// The first instant past what `until` allows: a day runs through its end.
fn end_of(until: DateOrDateTime, zone: Tz) -> DateTime<Utc> {
    match until {
        DateOrDateTime::Date(day) => midnight(day.succ_opt().unwrap_or(day), zone),
        DateOrDateTime::Instant(at) => {
            let at = at.0.with_timezone(&Utc);
            at.checked_add_signed(chrono::Duration::seconds(1))
                .unwrap_or(at)
        }
    }
}

/// The first time `cron` fires at or after `from` and before `until`, read in `zone`.
fn first_occurrence(
    cron: &Cron,
    zone: Tz,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Option<DateTime<Tz>> {
    let start = from.unwrap_or_default();
    let next = cron
        .find_next_occurrence(&start.with_timezone(&zone), true)
        .ok()?;
    match until {
        Some(until) if next.with_timezone(&Utc) >= until => None,
        _ => Some(next),
    }
}
