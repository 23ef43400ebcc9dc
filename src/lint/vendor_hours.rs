//! Vendor hours (GC074): a marketing push sent while a phone maker does not show marketing.
//!
//! Some makers show an app's marketing messages only in some hours of the day, in China
//! time: vivo drops one sent outside 07:00–23:00, Huawei and Honor hold one sent before
//! 06:00 until 06:00 (the published rows, [`crate::getui::vendor_rules::PUBLISHED`];
//! `vendors.<code>.marketing_hours` replaces them). The hours are read on China's clock
//! whatever zone the campaign is written in, because that is the clock the makers read.
//! Only makers whose channel the push may use are judged (not one whose strategy is
//! `getui_only`); service pushes, and audiences whose `phone_types` allow iOS only, are not.
//!
//! Reported once per campaign, at its first send outside some maker's hours, with how many
//! of its sends are, and what each maker does with it. See: issue 24.

use crate::load::codes;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::fatigue::local;
use super::vendor_quota::makers;
use super::{Finding, Subject};
use crate::getui::vendor_rules::{DayWindow, MAKERS_ZONE, OutsideHours};
use crate::load::Diagnostic;
use crate::model::{Vendor, VendorRules, Workspace};

pub(super) fn lint(subjects: &[Subject], settings: &Workspace, out: &mut Vec<Finding>) {
    let timed: Vec<VendorRules> = settings
        .vendors
        .all_marketing_rules()
        .into_iter()
        .filter(|rules| rules.uses_vendor_channel() && rules.rules.hours.is_some())
        .collect();
    if timed.is_empty() {
        return;
    }
    let outside = |at: &DateTime<Tz>| {
        let at = at.with_timezone(&Utc);
        timed.iter().any(|rules| rules.rules.outside_hours_at(at))
    };
    for subject in subjects.iter().filter(|s| s.judged_by_makers()) {
        let mut late = subject.sends.iter().filter(|at| outside(at));
        let Some(first) = late.next() else { continue };
        let count = match (1 + late.count(), subject.sends.len()) {
            (1, 1) => "its only send".to_owned(),
            (1, all) => format!("1 of its {all} sends"),
            (n, all) => format!("{n} of its {all} sends, the first"),
        };
        let china = local(&first.with_timezone(&MAKERS_ZONE));
        let also_china = if china == local(first) {
            String::new()
        } else {
            format!(" ({china} China time)")
        };
        let message = format!(
            "campaign `{}` sends marketing outside phone makers' marketing hours (China time): \
             {count} at {}{also_china}; {}",
            subject.name,
            local(first),
            fates(first.with_timezone(&Utc), &timed).join("; "),
        );
        let help = "move the schedule into the makers' hours, or mark the template \
                    `class: service` if it is about the user's own business with the app; \
                    `vendors.<code>.marketing_hours` in gtcamp.yaml sets a maker's hours if the \
                    app agreed others, `lints.vendor_hours.level: off` silences this";
        out.push(
            subject.finding(
                Diagnostic::of_level(settings.lints.vendor_hours.level, codes::GC074, message)
                    .help(help)
                    .label("outside the makers' marketing hours"),
            ),
        );
    }
}

/// What each maker whose hours `at` falls outside does with the push: `vivo drops it
/// (marketing only 07:00-23:00)`, `Huawei and Honor hold it until 06:00`. Makers with the
/// same fate and hours are named together, in [`Vendor`] order.
fn fates(at: DateTime<Utc>, timed: &[VendorRules]) -> Vec<String> {
    let mut groups: Vec<(OutsideHours, DayWindow, Vec<Vendor>)> = Vec::new();
    for rules in timed.iter().filter(|r| r.rules.outside_hours_at(at)) {
        let Some(hours) = rules.rules.hours else {
            continue;
        };
        let fate = rules.rules.outside_hours;
        match groups.iter_mut().find(|g| g.0 == fate && g.1 == hours) {
            Some(group) => group.2.push(rules.vendor),
            None => groups.push((fate, hours, vec![rules.vendor])),
        }
    }
    groups
        .iter()
        .map(|(fate, hours, vendors)| {
            let one = vendors.len() == 1;
            match fate {
                OutsideHours::Dropped => format!(
                    "{} {} it (marketing only {hours})",
                    makers(vendors),
                    if one { "drops" } else { "drop" }
                ),
                OutsideHours::HeldUntilOpen => format!(
                    "{} {} it until {:02}:{:02}",
                    makers(vendors),
                    if one { "holds" } else { "hold" },
                    hours.from / 60,
                    hours.from % 60
                ),
            }
        })
        .collect()
}
