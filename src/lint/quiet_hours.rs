//! Quiet hours (GC071): a campaign sends while its people sleep.
//!
//! Two clocks. `defaults.quiet_hours` are read on the local clock of each send, in the
//! campaign's zone (so a DST change moves nothing: 23:00 stays 23:00). The hours of
//! `lints.quiet_hours.regions` are read on Beijing time (Asia/Shanghai): the regions are
//! provinces of China, whose people live on Beijing time whatever zone the campaign is
//! written in, so a send at 10:00 in New York reaches 浙江 at 23:00.
//!
//! Which hours apply follows who the audience can reach, and an audience is quiet whenever
//! any region it reaches is, since someone there would be woken:
//!
//! - an audience that requires regions (`any`/`all`) is judged by each such region's own
//!   hours, and by the defaults for those without; a prefecture-level city is judged by its
//!   province's entry (entries are per province: all of China keeps Beijing time, and
//!   check refuses a city there);
//! - any other audience (nationwide filters, only `none` regions, `all_users`, an alias or
//!   cid list) reaches every province: it is judged by the defaults and by every regional
//!   entry its `none` regions do not exclude. Excluding a city leaves the rest of its
//!   province reached, so only a province in `none` excludes that province's entry.
//!
//! Reported once per campaign, at its first quiet send, with how many of its sends are
//! quiet.

use crate::load::codes;
use chrono::{DateTime, Timelike};
use chrono_tz::Asia::Shanghai;
use chrono_tz::Tz;

use super::{Finding, Subject};
use crate::getui::{region_name, regions};
use crate::load::Diagnostic;
use crate::model::{QuietHours, Workspace, minute_of_day};

/// The clock a span of quiet hours is read on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Clock {
    /// The send's own zone: `defaults.quiet_hours`.
    Campaign,
    /// Beijing time: a region's hours.
    Beijing,
}

/// Quiet hours as minutes of the day, the clock they are read on, and whose they are.
#[derive(Debug, Clone, PartialEq)]
struct Hours {
    start: u32,
    end: u32,
    clock: Clock,
    /// `22:00–08:00`, with `浙江: ` before when they are a region's.
    words: String,
}

impl Hours {
    /// The defaults, read on the campaign's clock; `None` when a time is not `HH:MM`
    /// (check reports it).
    fn defaults(hours: &QuietHours) -> Option<Hours> {
        Hours::on(hours, Clock::Campaign, String::new())
    }

    /// A region's hours, read on Beijing time.
    fn of_region(hours: &QuietHours, region: &str) -> Option<Hours> {
        Hours::on(hours, Clock::Beijing, format!("{region}: "))
    }

    fn on(hours: &QuietHours, clock: Clock, owner: String) -> Option<Hours> {
        Some(Hours {
            start: minute_of_day(&hours.start)?.into(),
            end: minute_of_day(&hours.end)?.into(),
            clock,
            words: format!("{owner}{}–{}", hours.start, hours.end),
        })
    }

    /// Whether a send falls inside, read on this span's clock; the span may wrap past
    /// midnight, and a span that starts where it ends is empty.
    fn contains(&self, at: &DateTime<Tz>) -> bool {
        let minute = match self.clock {
            Clock::Campaign => at.hour() * 60 + at.minute(),
            Clock::Beijing => {
                let beijing = at.with_timezone(&Shanghai);
                beijing.hour() * 60 + beijing.minute()
            }
        };
        if self.start <= self.end {
            (self.start..self.end).contains(&minute)
        } else {
            minute >= self.start || minute < self.end
        }
    }

    /// `22:00–08:00 in America/New_York`, `浙江: 21:00–09:00 Beijing time`: the span and
    /// the clock it is read on.
    fn describe(&self, zone: &str) -> String {
        match self.clock {
            Clock::Campaign => format!("{} in {zone}", self.words),
            Clock::Beijing => format!("{} Beijing time", self.words),
        }
    }
}

pub(super) fn lint(subjects: &[Subject], settings: &Workspace, out: &mut Vec<Finding>) {
    for subject in subjects {
        let hours = hours_of(subject, settings);
        let quiet: Vec<&DateTime<Tz>> = subject
            .sends
            .iter()
            .filter(|at| hours.iter().any(|h| h.contains(at)))
            .collect();
        let Some(first) = quiet.first() else { continue };
        let zone = first.timezone().name();
        let inside: Vec<&Hours> = hours.iter().filter(|h| h.contains(first)).collect();
        let words: Vec<String> = inside.iter().map(|h| h.describe(zone)).collect();
        let count = match (quiet.len(), subject.sends.len()) {
            (1, 1) => "its only send".to_owned(),
            (1, all) => format!("1 of its {all} sends"),
            (n, all) => format!("{n} of its {all} sends, the first"),
        };
        let local = super::fatigue::local(first);
        let beijing = super::fatigue::local(&first.with_timezone(&Shanghai));
        let also_beijing = if inside.iter().any(|h| h.clock == Clock::Beijing) && beijing != local {
            format!(" ({beijing} Beijing time)")
        } else {
            String::new()
        };
        let message = format!(
            "campaign `{}` sends inside quiet hours ({}): {count} at {local}{also_beijing}",
            subject.name,
            words.join(", "),
        );
        let help = "move the schedule out of the quiet hours; `defaults.quiet_hours` and \
                    `lints.quiet_hours.regions` in gtcamp.yaml set them, \
                    `lints.quiet_hours.level: off` silences this";
        out.push(
            subject.finding(
                Diagnostic::of_level(settings.lints.quiet_hours.level, codes::GC071, message)
                    .help(help)
                    .label("sends at night"),
            ),
        );
    }
}

/// The provinces of written regions, as [`regions::canonical`] spells them: a city by its
/// province, a name the table does not hold by itself without its suffix.
fn provinces(values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|value| match regions::lookup(value) {
            Some(region) => region.province().canonical().to_owned(),
            None => region_name(value).to_owned(),
        })
        .collect()
}

/// The written regions that are whole provinces (or unknown names), cities left out.
fn whole_provinces(values: &[String]) -> Vec<String> {
    values
        .iter()
        .filter(|value| !regions::lookup(value).is_some_and(|region| region.is_city()))
        .map(|value| regions::canonical(value))
        .collect()
}

/// The quiet hours that apply to a campaign's audience (see the module's rules).
fn hours_of(subject: &Subject, settings: &Workspace) -> Vec<Hours> {
    let defaults = &settings.defaults.quiet_hours;
    let regional: Vec<(String, &QuietHours)> = settings
        .lints
        .quiet_hours
        .regions
        .iter()
        .map(|(region, hours)| (regions::canonical(region), hours))
        .collect();
    let selector = subject.audience.and_then(|a| a.regions.as_ref());
    let required: Vec<String> = selector
        .map(|r| {
            provinces(&r.any)
                .into_iter()
                .chain(provinces(&r.all))
                .collect()
        })
        .unwrap_or_default();
    let mut out: Vec<Hours> = Vec::new();
    let mut add = |hours: Option<Hours>| {
        if let Some(hours) = hours
            && !out.contains(&hours)
        {
            out.push(hours);
        }
    };
    if required.is_empty() {
        // Reaches every province but those its `none` regions exclude.
        let excluded = selector
            .map(|r| whole_provinces(&r.none))
            .unwrap_or_default();
        add(Hours::defaults(defaults));
        for (name, hours) in regional.iter().filter(|(name, _)| !excluded.contains(name)) {
            add(Hours::of_region(hours, name));
        }
        return out;
    }
    for region in &required {
        match regional.iter().find(|(name, _)| name == region) {
            Some((name, hours)) => add(Hours::of_region(hours, name)),
            None => add(Hours::defaults(defaults)),
        }
    }
    out
}
