//! The schedule picture: *when* a workspace's pushes go out, per day and hour, per campaign.
//!
//! Reviewers and growth teams read it to spot a pile-up on Monday 09:00 or a send at 03:00.
//! [`Calendar`] is built from a compiled [`Desired`] (`pipeline::calendar` loads, checks
//! and compiles a workspace folder for it) and needs no state and no network; `render/`
//! draws it as a terminal agenda, a Mermaid gantt for pull requests (with the writer the
//! plan's Markdown uses, [`crate::render::mermaid`]) or a standalone HTML page.
//!
//! The window is `[now, now + days)`, and every send in it is shown whatever Getui's
//! push-ahead limit: compile already keeps occurrences beyond it (as
//! [`Timing::Deferred`]), so the calendar only widens the workspace's `horizon` to the
//! window and labels those sends "deferred". Disabled campaigns are listed, marked
//! disabled, with no sends.
//!
//! A calendar may also carry the phone makers' marketing cap ([`Quota`]): per day, how many
//! marketing pushes can reach one Android device against the strictest maker's cap. The
//! count is the vendor quota lint's (`lint::marketing_days`, handed in by
//! `pipeline::calendar`, since drawing decides nothing): pushes whose audiences can overlap,
//! counted on the day in China time, where the makers count. A day of the calendar shows the
//! count of the China day with the same date; with the calendar in China time (most
//! workspaces) the two are one day. See: issue 24.

pub mod render;

#[cfg(test)]
pub(crate) mod tests;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::compile::{CompileNote, DeliveryKind, Desired, Timing};

/// The longest window drawn: a year. Compile expands at most 10,000 occurrences per
/// campaign ([`crate::compile::MAX_OCCURRENCES`]; per campaign, not per day), so a rule such
/// as `*/5` hits that cap within days; the calendar then says after which send it stops.
pub const MAX_DAYS: u32 = 366;

/// The sends of a workspace in a window, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// The workspace's name, for titles.
    pub workspace: String,
    /// The zone days and hours are drawn in (the workspace's default zone).
    pub zone: Tz,
    /// The window, `[start, end)`.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Every campaign, enabled or not, in name order.
    pub campaigns: Vec<CampaignEntry>,
    /// Every send in the window, in time order (then campaign name).
    pub sends: Vec<Send>,
    /// What compile wants a reader to know (a DST gap skipped, a capped rule), in words.
    pub notes: Vec<String>,
    /// Marketing pushes per day against the makers' cap; `None` when not given, or when no
    /// maker whose channel is used caps marketing.
    pub quota: Option<Quota>,
}

/// The strictest daily marketing cap among the phone makers, and each day's marketing
/// pushes that can reach one device.
#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    pub cap: u32,
    /// The makers with that cap, as users know them (`Huawei`, `vivo`).
    pub makers: Vec<String>,
    /// Per day in China time that has marketing pushes: how many can reach one device.
    pub days: BTreeMap<NaiveDate, usize>,
}

/// One day's marketing pushes against the cap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayQuota<'a> {
    pub marketing: usize,
    pub cap: u32,
    pub makers: &'a [String],
}

impl DayQuota<'_> {
    /// Whether the makers drop some of the day's marketing pushes.
    pub fn over(&self) -> bool {
        usize::try_from(self.cap).is_ok_and(|cap| self.marketing > cap)
    }
}

/// A campaign as the legend shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignEntry {
    pub name: String,
    pub enabled: bool,
    /// The zone its times are written in.
    pub zone: Tz,
    pub delivery: DeliveryKind,
    /// The `Template` name, or `None` when written inline.
    pub template: Option<String>,
    /// Who, in words, led by the `Audience` name when it has one.
    pub audience: String,
    /// How many sends it has in the window.
    pub sends: usize,
}

/// One push going out.
#[derive(Debug, Clone, PartialEq)]
pub struct Send {
    pub campaign: String,
    pub at: DateTime<Utc>,
    /// The campaign's zone.
    pub zone: Tz,
    pub status: SendStatus,
}

/// How a send reaches Getui, as far as a reader of the calendar cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendStatus {
    /// A scheduled task the next apply creates (or has created).
    Scheduled,
    /// Beyond Getui's push-ahead window: a later apply creates it.
    Deferred,
    /// Due sooner than the lead time: sent only if its task already exists.
    InsideLeadTime,
    /// Aliases or cids: fired by the first apply after its time.
    ListPush,
}

impl Send {
    /// When it fires, in its campaign's zone.
    pub fn local(&self) -> DateTime<Tz> {
        self.at.with_timezone(&self.zone)
    }

    /// When it fires, as Beijing (and the Getui console) reads it.
    pub fn beijing(&self) -> chrono::NaiveDateTime {
        crate::render::beijing(self.at)
    }
}

impl SendStatus {
    /// A short tag for the reader; `None` for the ordinary case.
    pub fn tag(self) -> Option<&'static str> {
        match self {
            SendStatus::Scheduled => None,
            SendStatus::Deferred => Some("deferred"),
            SendStatus::InsideLeadTime => Some("inside lead time"),
            SendStatus::ListPush => Some("list push, fired by apply"),
        }
    }
}

impl Calendar {
    /// The sends of `desired` in `[start, start + days)`, days and hours drawn in `zone`.
    pub fn build(
        desired: &Desired,
        workspace: &str,
        zone: Tz,
        start: DateTime<Utc>,
        days: u32,
    ) -> Calendar {
        let end = start
            .checked_add_signed(chrono::Duration::days(i64::from(days)))
            .unwrap_or(start);
        let mut sends: Vec<Send> = desired
            .occurrences
            .values()
            .filter_map(|occurrence| {
                let at = occurrence.fire_at.with_timezone(&Utc);
                let status = status_of(occurrence.timing)?;
                (at >= start && at < end).then(|| Send {
                    campaign: occurrence.campaign.clone(),
                    at,
                    zone: occurrence.fire_at.timezone(),
                    status,
                })
            })
            .collect();
        sends.sort_by(|a, b| (a.at, &a.campaign).cmp(&(b.at, &b.campaign)));
        let campaigns = entries(desired, &sends);
        let notes = desired.notes.iter().map(note_text).collect();
        Calendar {
            workspace: workspace.to_owned(),
            zone,
            start,
            end,
            campaigns,
            sends,
            notes,
            quota: None,
        }
    }

    /// The calendar with the makers' cap against each day's marketing pushes.
    pub fn with_quota(mut self, quota: Quota) -> Calendar {
        self.quota = Some(quota);
        self
    }

    /// The marketing pushes of `day` (the China day of that date) against the cap; `None`
    /// without a quota or when the day has no marketing push.
    pub fn quota_on(&self, day: NaiveDate) -> Option<DayQuota<'_>> {
        let quota = self.quota.as_ref()?;
        let marketing = *quota.days.get(&day)?;
        Some(DayQuota {
            marketing,
            cap: quota.cap,
            makers: &quota.makers,
        })
    }

    /// The days of [`Calendar::days`] that have a marketing count, with it: what the
    /// renderers list against the makers' cap.
    pub fn quota_days(&self) -> Vec<(NaiveDate, DayQuota<'_>)> {
        self.days()
            .into_iter()
            .filter_map(|day| Some((day, self.quota_on(day)?)))
            .collect()
    }

    /// Every local day (in [`Calendar::zone`]) the window touches, first to last.
    pub fn days(&self) -> Vec<NaiveDate> {
        let first = self.start.with_timezone(&self.zone).date_naive();
        let last = self
            .end
            .checked_sub_signed(chrono::Duration::seconds(1))
            .unwrap_or(self.end)
            .with_timezone(&self.zone)
            .date_naive();
        first.iter_days().take_while(|day| *day <= last).collect()
    }

    /// Every day of [`Calendar::days`] with its sends, in time order: one pass over the
    /// sends, however many days.
    pub fn by_day(&self) -> Vec<(NaiveDate, Vec<&Send>)> {
        let mut days: Vec<(NaiveDate, Vec<&Send>)> = self
            .days()
            .into_iter()
            .map(|day| (day, Vec::new()))
            .collect();
        let first = days.first().map(|(day, _)| *day);
        for send in &self.sends {
            let day = send.at.with_timezone(&self.zone).date_naive();
            let index = first.and_then(|first| usize::try_from((day - first).num_days()).ok());
            if let Some((_, sends)) = index.and_then(|i| days.get_mut(i)) {
                sends.push(send);
            }
        }
        days
    }

    /// The campaigns that send at least once in the window.
    pub fn sending_campaigns(&self) -> impl Iterator<Item = &CampaignEntry> {
        self.campaigns.iter().filter(|c| c.sends > 0)
    }
}

/// Sends in the past (a passed `at`, a missed list push) are not upcoming.
fn status_of(timing: Timing) -> Option<SendStatus> {
    match timing {
        Timing::Schedulable => Some(SendStatus::Scheduled),
        Timing::Deferred => Some(SendStatus::Deferred),
        Timing::InsideLeadTime => Some(SendStatus::InsideLeadTime),
        Timing::NotYetDue | Timing::Due => Some(SendStatus::ListPush),
        Timing::Past | Timing::Missed => None,
    }
}

/// Every campaign of `desired` for the legend, with its count of `sends`.
fn entries(desired: &Desired, sends: &[Send]) -> Vec<CampaignEntry> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for send in sends {
        *counts.entry(send.campaign.as_str()).or_default() += 1;
    }
    desired
        .campaigns
        .values()
        .map(|info| CampaignEntry {
            name: info.name.clone(),
            enabled: info.enabled,
            zone: info.timezone,
            delivery: info.delivery,
            template: info.template.clone(),
            audience: match &info.audience {
                Some(name) => format!("{name}: {}", info.audience_summary),
                None => info.audience_summary.clone(),
            },
            sends: counts.get(info.name.as_str()).copied().unwrap_or(0),
        })
        .collect()
}

/// A compile note in words, led by its campaign: plans group notes under their campaign,
/// the calendar lists them together. A capped rule is said in the calendar's words: its
/// later sends are not drawn (the plan's "wait for a later plan" means nothing here).
fn note_text(note: &CompileNote) -> String {
    match note {
        CompileNote::OccurrencesCapped {
            campaign,
            limit,
            last_local_time,
            timezone,
        } => format!(
            "{campaign}: fires more than {} times in this window; its sends after {last_local_time} {timezone} are not shown",
            crate::render::thousands(u64::try_from(*limit).unwrap_or(u64::MAX))
        ),
        CompileNote::DstGapSkipped { campaign, .. }
        | CompileNote::DstAmbiguousOnce { campaign, .. } => format!("{campaign}: {note}"),
    }
}
