//! `--format text`: a per-day agenda for a terminal or a CI log.
//!
//! Each day of the calendar's zone gets one line with an hour heat-line (how many sends
//! fall in each hour, so a pile-up or a 03:00 send shows at a glance), then its sends in
//! time order. Plain ASCII marks, no colour: it must read the same in a CI log.

use std::fmt::Write;

use chrono::{NaiveDate, Timelike};

use super::{
    OVER_WORDS, about_words, beijing_note, campaigns_text, days_are_china_days, local_time,
    quota_text, sends_text, window_text,
};
use crate::calendar::{Calendar, CampaignEntry, Send};

/// At most this many send lines per day; the heat-line still counts them all.
pub const MAX_LINES_PER_DAY: usize = 40;

/// The calendar as a terminal agenda.
pub fn render(calendar: &Calendar) -> String {
    let mut out = format!(
        "Sends of {}, {}: {} from {}\n\n",
        calendar.workspace,
        window_text(calendar.start, calendar.end, calendar.zone),
        sends_text(calendar.sends.len()),
        campaigns_text(calendar.sending_campaigns().count())
    );
    out.push_str(&campaigns(calendar));
    for note in &calendar.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out.push('\n');
    let day_width = "Mon 2026-01-01".len();
    let _ = writeln!(
        out,
        "{:day_width$}  {}  sends per hour in {} (. none, 1-9, + ten or more)",
        "",
        ruler(),
        calendar.zone.name()
    );
    for (day, sends) in calendar.by_day() {
        out.push_str(&day_block(calendar, day, &sends, day_width));
    }
    out
}

/// `0     6     12    18    `: hour marks above the heat-lines.
fn ruler() -> String {
    let mut line = String::new();
    for hour in (0..24).step_by(6) {
        let _ = write!(line, "{hour:<6}");
    }
    line
}

fn campaigns(calendar: &Calendar) -> String {
    let name_width = width(calendar.campaigns.iter().map(|c| c.name.as_str()));
    let zone_width = width(calendar.campaigns.iter().map(|c| c.zone.name()));
    let mut out = String::from("Campaigns:\n");
    if calendar.campaigns.is_empty() {
        out.push_str("  (none)\n");
    }
    for campaign in &calendar.campaigns {
        let _ = writeln!(
            out,
            "  {:name_width$}  {:zone_width$}  {:>9}  {}",
            campaign.name,
            campaign.zone.name(),
            sends_text(campaign.sends),
            about(campaign)
        );
    }
    out
}

/// What a campaign sends to whom, in a few words.
fn about(campaign: &CampaignEntry) -> String {
    let disabled = (!campaign.enabled).then(|| "DISABLED".to_owned());
    let words: Vec<String> = disabled.into_iter().chain(about_words(campaign)).collect();
    words.join("; ")
}

fn day_block(calendar: &Calendar, day: NaiveDate, sends: &[&Send], day_width: usize) -> String {
    let mut per_hour = [0usize; 24];
    for send in sends {
        let hour = send.at.with_timezone(&calendar.zone).hour() as usize;
        if let Some(slot) = per_hour.get_mut(hour) {
            *slot += 1;
        }
    }
    let heat: String = per_hour.iter().map(|&n| heat_mark(n)).collect();
    let label = format!("{:<day_width$}", day.format("%a %Y-%m-%d").to_string());
    let count = match sends.len() {
        0 => "no sends".to_owned(),
        n => sends_text(n),
    };
    let mut out = format!("{label}  {heat}  {count}{}\n", quota(calendar, day));
    // Every line starts with the calendar's clock, as the heat-line counts, so a day reads
    // in order whatever the campaigns' zones; their own clock follows when it is another.
    let zone = calendar.zone;
    let shown: Vec<_> = sends.iter().take(MAX_LINES_PER_DAY).collect();
    let locals: Vec<String> = shown
        .iter()
        .map(|send| match send.zone == zone {
            true => String::new(),
            false => local_time(send, day),
        })
        .collect();
    let local_width = width(locals.iter().map(String::as_str));
    let name_width = width(shown.iter().map(|s| s.campaign.as_str()));
    for (send, local) in shown.iter().zip(&locals) {
        let here = send.at.with_timezone(&zone);
        let mut line = format!("  {} {}", here.format("%H:%M"), zone.name());
        if local_width > 0 {
            let _ = write!(line, "  {local:local_width$}");
        }
        let _ = write!(line, "  {:name_width$}", send.campaign);
        // Beijing time only when neither clock on the line already reads as Beijing.
        let beijing_is_here = crate::render::beijing(send.at) == here.naive_local();
        if let Some(note) = beijing_note(send.at, send.zone).filter(|_| !beijing_is_here) {
            let _ = write!(line, "  {note}");
        }
        if let Some(tag) = send.status.tag() {
            let _ = write!(line, "  [{tag}]");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if sends.len() > MAX_LINES_PER_DAY {
        let _ = writeln!(
            out,
            "  … {} more this day (counted in the hour line)",
            sends.len() - MAX_LINES_PER_DAY
        );
    }
    out
}

/// `  marketing 3 / cap 2 (Huawei, vivo)  !! over the cap: …` after a day's count, or
/// nothing on a day without marketing pushes.
fn quota(calendar: &Calendar, day: NaiveDate) -> String {
    let Some(quota) = calendar.quota_on(day) else {
        return String::new();
    };
    let china = if days_are_china_days(calendar.zone) {
        ""
    } else {
        " on that day in China"
    };
    let over = if quota.over() {
        format!("  !! {OVER_WORDS}")
    } else {
        String::new()
    };
    format!("  {}{china}{over}", quota_text(&quota))
}

fn heat_mark(count: usize) -> char {
    match count {
        0 => '.',
        1..=9 => char::from_digit(count as u32, 10).unwrap_or('+'),
        _ => '+',
    }
}

fn width<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts.map(|t| t.chars().count()).max().unwrap_or(0)
}
