//! The report in Markdown: a pull-request comment or a GitHub job summary. Campaign names
//! and audiences are the workspace's own text, so they are escaped.

use super::super::model::{CampaignReport, ChannelFigures, Figures, Report, SendReport};
use super::{losses_words, percent, send_words, unavailable};
use crate::render::markdown::{table_code, text};
use crate::render::{count, instant, thousands};

pub fn render(report: &Report) -> String {
    let mut out = format!(
        "## Delivery report\n\nTarget {}; sends from {} to {}. Arrived is counted of targeted, clicked of displayed.\n",
        table_code(&report.target),
        instant(report.since, "UTC"),
        instant(report.read_at, "UTC"),
    );
    if report.campaigns.is_empty() {
        out.push_str("\nNo sends in this window.\n");
        return out;
    }
    out.push_str("\n| campaign | sends | targeted | arrived | displayed | clicked |\n");
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for campaign in &report.campaigns {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            table_code(&campaign.campaign),
            campaign.sends.len(),
            cells(&campaign.total),
        ));
    }
    for campaign in &report.campaigns {
        out.push_str(&campaign_section(campaign));
    }
    out
}

fn campaign_section(campaign: &CampaignReport) -> String {
    let mut out = format!(
        "\n### {} ({})\n\n",
        text(&campaign.campaign),
        count(campaign.sends.len(), "send", "sends")
    );
    out.push_str("| sent | what | targeted | arrived | displayed | clicked |\n");
    out.push_str("| --- | --- | ---: | ---: | ---: | ---: |\n");
    for send in &campaign.sends {
        out.push_str(&send_row(send, &campaign.zone));
    }
    if !campaign.channels.is_empty() {
        out.push_str("\nBy channel:\n\n");
        out.push_str(&channel_table(&campaign.channels));
    }
    out
}

/// One send's row; the figures are read across the channels the campaign's table shows.
pub fn send_row(send: &SendReport, zone: &str) -> String {
    let when = text(&instant(send.sent_at, zone));
    let what = text(&send_words(send));
    match (unavailable(send), &send.total) {
        (None, Some(total)) => format!("| {when} | {what} | {} |\n", cells(total)),
        (why, _) => format!(
            "| {when} | {what} | {} | | | |\n",
            text(&why.unwrap_or_default())
        ),
    }
}

fn channel_table(channels: &[ChannelFigures]) -> String {
    let mut out = "| channel | targeted | arrived | displayed | clicked | lost |\n".to_owned();
    out.push_str("| --- | ---: | ---: | ---: | ---: | --- |\n");
    for channel in channels {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            channel.channel,
            cells(&channel.figures),
            text(&losses_words(&channel.losses)),
        ));
    }
    out
}

/// `1,000 | 820 (82.0%) | 760 | 41 (5.4%)`: targeted, arrived, displayed and clicked cells.
fn cells(figures: &Figures) -> String {
    format!(
        "{} | {} ({}) | {} | {} ({})",
        thousands(figures.targeted),
        thousands(figures.arrived),
        percent(figures.arrival_rate()),
        thousands(figures.displayed),
        thousands(figures.clicked),
        percent(figures.click_rate()),
    )
}

/// For a pull request: how the last sends of the campaigns it changes did, so a reviewer
/// sees the numbers before approving. Empty when none of them has sent.
pub fn last_sends(report: &Report) -> String {
    let rows: Vec<String> = report
        .last_sends()
        .map(|(campaign, send)| {
            let row = send_row(send, &campaign.zone);
            format!("| {} |{}", table_code(&campaign.campaign), &row[1..])
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut out = "\n### How the changed campaigns' last sends did\n\n".to_owned();
    out.push_str("| campaign | sent | what | targeted | arrived | displayed | clicked |\n");
    out.push_str("| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    for row in rows {
        out.push_str(&row);
    }
    out
}
