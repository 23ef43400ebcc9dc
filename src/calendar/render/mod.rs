//! Renderers: a [`Calendar`](super::Calendar) as a terminal agenda, as Markdown with a
//! Mermaid gantt (for pull requests) and as a standalone HTML page.
//!
//! They read the model and decide nothing. What they share lives here: how a send's time
//! is written, with its zone and, when it reads differently, Beijing time.

pub mod html;
pub mod markdown;
pub mod text;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{CampaignEntry, DayQuota, DeliveryKind, Send};

/// `20:00 Europe/Berlin`, with the local date when it is not `day` (a send listed under
/// another day of the calendar's zone).
pub fn local_time(send: &Send, day: chrono::NaiveDate) -> String {
    let local = send.local().naive_local();
    if local.date() == day {
        format!("{} {}", local.format("%H:%M"), send.zone.name())
    } else {
        format!("{} {}", local.format("%m-%d %H:%M"), send.zone.name())
    }
}

/// `(03:00 Beijing)`, worded as the plan words it ([`crate::render::instant`]), or `None`
/// when the send's own zone already reads as Beijing.
pub fn beijing_note(at: DateTime<Utc>, zone: Tz) -> Option<String> {
    let local = at.with_timezone(&zone).naive_local();
    crate::render::beijing_note(at, local, "%m-%d %H:%M")
}

/// What a campaign sends to whom, in a few words: `list push` (when it is one), its
/// template, its audience. Each format joins them its own way.
pub fn about_words(campaign: &CampaignEntry) -> Vec<String> {
    let mut words = Vec::new();
    if campaign.delivery == DeliveryKind::ListPush {
        words.push("list push".to_owned());
    }
    words.push(match &campaign.template {
        Some(name) => format!("template {name}"),
        None => "inline template".to_owned(),
    });
    words.push(campaign.audience.clone());
    words
}

/// The window as a title reads it: `2026-11-28 08:00 to 2026-12-12 08:00 Asia/Shanghai`.
pub fn window_text(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    format!(
        "{} to {} {}",
        start.with_timezone(&zone).format("%Y-%m-%d %H:%M"),
        end.with_timezone(&zone).format("%Y-%m-%d %H:%M"),
        zone.name()
    )
}

/// `1 send`, `2 sends`.
pub fn sends_text(count: usize) -> String {
    crate::render::count(count, "send", "sends")
}

/// `1 campaign`, `2 campaigns`.
pub fn campaigns_text(count: usize) -> String {
    crate::render::count(count, "campaign", "campaigns")
}

/// `marketing 3 / cap 2 (Huawei, Honor, OPPO, vivo)`: a day's marketing pushes that can
/// reach one device against the strictest maker's cap. Each format marks a day over it.
pub fn quota_text(quota: &DayQuota) -> String {
    format!(
        "marketing {} / cap {} ({})",
        quota.marketing,
        quota.cap,
        quota.makers.join(", ")
    )
}

/// What a day over the cap means, for a reader who does not know the makers' rules.
pub const OVER_WORDS: &str = "over the cap: the makers drop the pushes past it";

/// Whether the calendar's days are China's, where the makers count: when not, a day's
/// quota is said to be the China day's.
pub fn days_are_china_days(zone: Tz) -> bool {
    zone == chrono_tz::Asia::Shanghai
}
