//! The report for a terminal: per campaign its sum and channels, then each send.

use super::super::model::{ChannelFigures, Report};
use super::{figures_line, losses_words, percent, send_words, unavailable};
use crate::render::{count, instant, thousands};

pub fn render(report: &Report) -> String {
    let mut out = header(report);
    if report.campaigns.is_empty() {
        out.push_str("\nNo sends in this window. Sends appear once an apply has made them.\n");
        return out;
    }
    for campaign in &report.campaigns {
        out.push_str(&format!(
            "\n{}  {}\n  {}\n",
            campaign.campaign,
            count(campaign.sends.len(), "send", "sends"),
            figures_line(&campaign.total)
        ));
        out.push_str(&channel_table(&campaign.channels, "  "));
        for send in &campaign.sends {
            let task = send
                .task_id
                .as_deref()
                .map_or_else(String::new, |id| format!("  task {id}"));
            out.push_str(&format!(
                "  {}{task}\n",
                instant(send.sent_at, &campaign.zone)
            ));
            let words = send_words(send);
            if !words.is_empty() {
                out.push_str(&format!("    {words}\n"));
            }
            match (unavailable(send), &send.total) {
                (Some(why), _) => out.push_str(&format!("    {why}\n")),
                (None, Some(total)) => {
                    out.push_str(&format!("    {}\n", figures_line(total)));
                    out.push_str(&channel_table(&send.channels, "    "));
                }
                (None, None) => {}
            }
        }
    }
    out
}

fn header(report: &Report) -> String {
    format!(
        "Delivery report of target `{}`: sends from {} to {}\n",
        report.target,
        instant(report.since, "UTC"),
        instant(report.read_at, "UTC"),
    )
}

/// One line per channel, aligned, with the reasons pushes were lost.
fn channel_table(channels: &[ChannelFigures], indent: &str) -> String {
    let width = channels.iter().map(|c| c.channel.len()).max().unwrap_or(0);
    let mut out = String::new();
    for channel in channels {
        let figures = &channel.figures;
        out.push_str(&format!(
            "{indent}  {:width$}  targeted {:>9}  arrived {:>9} {:>6}  displayed {:>9}  clicked {:>8} {:>6}",
            channel.channel,
            thousands(figures.targeted),
            thousands(figures.arrived),
            percent(figures.arrival_rate()),
            thousands(figures.displayed),
            thousands(figures.clicked),
            percent(figures.click_rate()),
        ));
        if !channel.losses.is_empty() {
            out.push_str(&format!("  lost: {}", losses_words(&channel.losses)));
        }
        out.push('\n');
    }
    out
}

/// Each campaign's last send and its reach, one line each: for `gtcamp status`.
pub fn last_sends(report: &Report) -> String {
    let mut out = String::from("Last send per campaign:\n");
    let lines: Vec<String> = report
        .last_sends()
        .map(|(campaign, send)| {
            let figures = match (unavailable(send), &send.total) {
                (None, Some(total)) => format!(
                    "reached {} of {} ({}), clicked {} ({} of displayed)",
                    thousands(total.arrived),
                    thousands(total.targeted),
                    percent(total.arrival_rate()),
                    thousands(total.clicked),
                    percent(total.click_rate()),
                ),
                (why, _) => why.unwrap_or_default(),
            };
            format!(
                "  {}  {}  {figures}\n",
                instant(send.sent_at, &campaign.zone),
                campaign.campaign
            )
        })
        .collect();
    if lines.is_empty() {
        out.push_str("  none\n");
    }
    out.extend(lines);
    out
}
