//! Quiet hours (GC071): a campaign sends while its people sleep.
//!
//! Hours are read on the local clock of each send, in the campaign's zone (so a DST change
//! moves nothing: 23:00 stays 23:00). They are `defaults.quiet_hours`, unless the audience
//! requires regions (`any`/`all`) with their own hours in `lints.quiet_hours.regions`: then
//! each such region's hours apply, and the defaults for its other regions. An audience
//! targeting several regions is judged by all of theirs: a send is quiet when it is quiet
//! in any of them, since someone there would be woken. Reported once per campaign, at its
//! first quiet send, with how many of its sends are quiet.

use chrono::{DateTime, Timelike};
use chrono_tz::Tz;

use super::{Finding, Subject};
use crate::compile::region_name;
use crate::model::{QuietHours, Workspace};

/// Quiet hours as minutes of the day, and whose they are.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Hours {
    start: u32,
    end: u32,
    /// `22:00–08:00`, with `浙江: ` before when they are a region's.
    words: String,
}

impl Hours {
    /// `None` when a time is not `HH:MM` (check reports it).
    pub(super) fn of(hours: &QuietHours, region: Option<&str>) -> Option<Hours> {
        let owner = region.map(|r| format!("{r}: ")).unwrap_or_default();
        Some(Hours {
            start: minute_of_day(&hours.start)?,
            end: minute_of_day(&hours.end)?,
            words: format!("{owner}{}–{}", hours.start, hours.end),
        })
    }

    /// Whether a local time falls inside; the span may wrap past midnight, and a span that
    /// starts where it ends is empty.
    pub(super) fn contains(&self, at: &DateTime<Tz>) -> bool {
        let minute = at.hour() * 60 + at.minute();
        if self.start <= self.end {
            (self.start..self.end).contains(&minute)
        } else {
            minute >= self.start || minute < self.end
        }
    }
}

fn minute_of_day(text: &str) -> Option<u32> {
    let (hours, minutes) = text.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60).then_some(hours * 60 + minutes)
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
        let words: Vec<&str> = hours
            .iter()
            .filter(|h| h.contains(first))
            .map(|h| h.words.as_str())
            .collect();
        let count = match (quiet.len(), subject.sends.len()) {
            (1, 1) => "its only send".to_owned(),
            (1, all) => format!("1 of its {all} sends"),
            (n, all) => format!("{n} of its {all} sends, the first"),
        };
        let message = format!(
            "campaign `{}` sends inside quiet hours ({} in {}): {count} at {}",
            subject.name,
            words.join(", "),
            first.timezone().name(),
            super::fatigue::local(first),
        );
        let help = "move the schedule out of the quiet hours; `defaults.quiet_hours` and \
                    `lints.quiet_hours.regions` in gtcamp.yaml set them, \
                    `lints.quiet_hours.level: off` silences this";
        out.push(
            subject.finding(
                super::diagnostic(settings.lints.quiet_hours.level, "GC071", message)
                    .help(help)
                    .label("sends at night"),
            ),
        );
    }
}

/// The quiet hours that apply to a campaign's audience.
pub(super) fn hours_of(subject: &Subject, settings: &Workspace) -> Vec<Hours> {
    let defaults = &settings.defaults.quiet_hours;
    let regional: Vec<(String, &QuietHours)> = settings
        .lints
        .quiet_hours
        .regions
        .iter()
        .map(|(region, hours)| (region_name(region), hours))
        .collect();
    let required: Vec<String> = subject
        .audience
        .and_then(|a| a.regions.as_ref())
        .map(|r| r.any.iter().chain(&r.all).map(|v| region_name(v)).collect())
        .unwrap_or_default();
    let mut out: Vec<Hours> = Vec::new();
    for region in &required {
        let own = regional.iter().find(|(name, _)| name == region);
        let hours = match own {
            Some((name, hours)) => Hours::of(hours, Some(name)),
            None => Hours::of(defaults, None),
        };
        if let Some(hours) = hours
            && !out.contains(&hours)
        {
            out.push(hours);
        }
    }
    if required.is_empty() {
        out.extend(Hours::of(defaults, None));
    }
    out
}
