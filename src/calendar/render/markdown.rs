//! `--format markdown`: a Mermaid gantt of the sends (GitHub draws it in comments; the
//! writer is [`crate::render::mermaid`]) and a small table per campaign.

use std::collections::HashMap;
use std::fmt::Write;

use super::{OVER_WORDS, campaigns_text, days_are_china_days, quota_text, sends_text, window_text};
use crate::calendar::{Calendar, Send};
use crate::render::markdown::{code, table_code, text};
use crate::render::mermaid::{GanttTask, MAX_TASKS, mermaid_gantt};

/// At most this many campaigns in the table under the chart.
const MAX_TABLE_ROWS: usize = 100;

/// The calendar as Markdown: a heading, the gantt and a table per campaign.
pub fn render(calendar: &Calendar) -> String {
    let window = window_text(calendar.start, calendar.end, calendar.zone);
    let mut out = format!(
        "### Sends of {}, {window}\n\n**{}** from {}.\n\n",
        code(&calendar.workspace),
        sends_text(calendar.sends.len()),
        campaigns_text(calendar.sending_campaigns().count())
    );
    let tasks: Vec<GanttTask> = calendar
        .sends
        .iter()
        .map(|send| GanttTask {
            section: send.campaign.clone(),
            label: String::new(),
            at: send.at,
            critical: false,
        })
        .collect();
    let title = format!("Sends of {}", calendar.workspace);
    let chart = mermaid_gantt(&title, calendar.zone, &tasks, MAX_TASKS);
    if chart.is_empty() {
        out.push_str("No sends in this window.\n\n");
    } else {
        out.push_str(&chart);
        out.push('\n');
    }
    out.push_str(&table(calendar));
    out.push_str(&quota(calendar));
    if !calendar.notes.is_empty() {
        out.push('\n');
    }
    for note in &calendar.notes {
        let _ = writeln!(out, "- ℹ️ {}", text(note));
    }
    out
}

fn table(calendar: &Calendar) -> String {
    let mut out = String::from(
        "| campaign | zone | sends | first send | Beijing | audience |\n|---|---|--:|---|---|---|\n",
    );
    let mut firsts: HashMap<&str, &Send> = HashMap::new();
    for send in &calendar.sends {
        firsts.entry(send.campaign.as_str()).or_insert(send);
    }
    for campaign in calendar.campaigns.iter().take(MAX_TABLE_ROWS) {
        let first = firsts.get(campaign.name.as_str());
        let (local, there) = match first {
            Some(send) => (
                send.local().format("%a %Y-%m-%d %H:%M").to_string(),
                send.beijing().format("%m-%d %H:%M").to_string(),
            ),
            None if !campaign.enabled => ("disabled".to_owned(), String::new()),
            None => ("none in this window".to_owned(), String::new()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {local} | {there} | {} |",
            table_code(&campaign.name),
            campaign.zone.name(),
            campaign.sends,
            text(&campaign.audience)
        );
    }
    if calendar.campaigns.len() > MAX_TABLE_ROWS {
        let _ = writeln!(
            out,
            "\n_The table shows the first {MAX_TABLE_ROWS} campaigns by name; {}._",
            match calendar.campaigns.len() - MAX_TABLE_ROWS {
                1 => "1 more is left out".to_owned(),
                n => format!("{n} more are left out"),
            }
        );
    }
    out
}

/// Each day's marketing pushes against the makers' cap, days over it marked; nothing
/// without a quota.
fn quota(calendar: &Calendar) -> String {
    let days = calendar.quota_days();
    if days.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n**Marketing pushes that can reach one Android device, per day in China time**\n\n",
    );
    if !days_are_china_days(calendar.zone) {
        out.push_str("_Days are China's, where the makers count them._\n\n");
    }
    for (day, quota) in days {
        let over = if quota.over() {
            format!(" ⚠️ **{OVER_WORDS}**")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "- {}: {}{over}",
            day.format("%a %Y-%m-%d"),
            text(&quota_text(&quota))
        );
    }
    out
}
