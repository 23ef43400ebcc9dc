//! `--format html`: a standalone page with charts, for a growth team's browser or a CI
//! artifact.
//!
//! Per campaign: a chart of its sends over time (targeted, arrived and clicked as bars side
//! by side, one group per send, in time order), a chart of its channels (arrived of
//! targeted, per channel), and a table of the sends. Inline CSS and SVG, no script, no font
//! and no image by URL: the page works offline and leaks nothing when opened. Bars carry
//! `data-campaign`, `data-send` or `data-channel` (stable, for tools and tests) and a
//! `<title>` tooltip; all text from the workspace is escaped.

use std::fmt::Write;

use super::super::model::{Availability, CampaignReport, Report};
use super::{figures_line, losses_words, percent, send_words, unavailable};
use crate::render::html::escape;
use crate::render::{count, instant, thousands};

/// Targeted, arrived, clicked: distinct on white and for most colour-blind readers.
pub const SERIES: [(&str, &str); 3] = [
    ("targeted", "#bab0ac"),
    ("arrived", "#4e79a7"),
    ("clicked", "#f28e2b"),
];
/// At most this many sends in a campaign's chart: the latest; the table lists them all.
const MAX_CHARTED: usize = 60;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { margin: 0; padding: 24px 32px; background: #f6f7f9; color: #1d2330;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 6px; }
.sub { color: #5b6475; margin: 0 0 16px; }
.card { background: #fff; border: 1px solid #dfe3ea; border-radius: 10px; padding: 14px 16px; margin-bottom: 16px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.legend { list-style: none; margin: 0 0 8px; padding: 0; display: flex; gap: 18px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 5px; vertical-align: -1px; }
table { border-collapse: collapse; margin-top: 10px; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #eef0f4; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #8a93a3; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; fill: #5b6475; }
"#;

pub fn render(report: &Report) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Delivery report · {}</title><style>{STYLE}</style></head><body>\n\
         <h1>Delivery report</h1><p class=\"sub\">Target <code>{}</code>; sends from {} to {}. \
         Clicked is counted of displayed.</p>\n",
        escape(&report.target),
        escape(&report.target),
        escape(&instant(report.since, "UTC")),
        escape(&instant(report.read_at, "UTC")),
    );
    if report.campaigns.is_empty() {
        page.push_str("<div class=\"card\">No sends in this window.</div>\n");
    }
    for campaign in &report.campaigns {
        page.push_str(&campaign_card(campaign));
    }
    page.push_str("</body></html>\n");
    page
}

fn campaign_card(campaign: &CampaignReport) -> String {
    let mut card = format!(
        "<section class=\"card\" data-campaign=\"{name}\"><h2>{name}</h2>\
         <p class=\"sub\">{} · {}</p>\n",
        escape(&count(campaign.sends.len(), "send", "sends")),
        escape(&figures_line(&campaign.total)),
        name = escape(&campaign.campaign),
    );
    card.push_str("<ul class=\"legend\">");
    for (series, colour) in SERIES {
        let _ = write!(
            card,
            "<li><span class=\"swatch\" style=\"background:{colour}\"></span>{series}</li>"
        );
    }
    card.push_str("</ul>\n<div class=\"charts\">");
    card.push_str(&over_time(campaign));
    card.push_str(&by_channel(campaign));
    card.push_str("</div>\n");
    card.push_str(&send_table(campaign));
    card.push_str("</section>\n");
    card
}

/// One group of three bars per send with figures, scaled to the campaign's largest.
fn over_time(campaign: &CampaignReport) -> String {
    let charted: Vec<_> = campaign
        .sends
        .iter()
        .filter(|s| s.availability == Availability::Available)
        .collect();
    let charted = &charted[charted.len().saturating_sub(MAX_CHARTED)..];
    let (left, top, height, group_w, bar_w) = (44.0, 10.0, 160.0, 36.0, 10.0);
    let width = left + group_w * charted.len().max(1) as f64 + 10.0;
    let most = charted
        .iter()
        .filter_map(|s| s.total.map(|t| t.targeted))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = format!(
        "<svg class=\"over-time\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\" role=\"img\" aria-label=\"sends over time\">",
        top + height + 22.0,
        top + height + 22.0
    );
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#dfe3ea\"/><text x=\"2\" y=\"{}\">{}</text>",
        top + 10.0,
        thousands(most),
        y = top + height
    );
    for (i, send) in charted.iter().enumerate() {
        let total = send.total.unwrap_or_default();
        let x0 = left + group_w * i as f64 + 3.0;
        let values = [total.targeted, total.arrived, total.clicked];
        for (j, ((series, colour), value)) in SERIES.iter().zip(values).enumerate() {
            let h = (value as f64 / most as f64 * height).max(if value > 0 { 1.0 } else { 0.0 });
            let _ = write!(
                svg,
                "<rect data-send=\"{key}\" data-series=\"{series}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar_w}\" height=\"{h:.1}\" fill=\"{colour}\"><title>{when}: {series} {}</title></rect>",
                x0 + bar_w * j as f64,
                top + height - h,
                thousands(value),
                key = escape(&send.key),
                when = escape(&instant(send.sent_at, &campaign.zone)),
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x0,
            top + height + 14.0,
            escape(&short_day(send.sent_at, &campaign.zone))
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Per channel, a bar of targeted with the arrived part drawn over it.
fn by_channel(campaign: &CampaignReport) -> String {
    let (left, row_h, bar_h, width) = (90.0, 24.0, 14.0, 320.0);
    let most = campaign
        .channels
        .iter()
        .map(|c| c.figures.targeted)
        .max()
        .unwrap_or(0)
        .max(1);
    let height = row_h * campaign.channels.len().max(1) as f64 + 6.0;
    let mut svg = format!(
        "<svg class=\"by-channel\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" role=\"img\" aria-label=\"by channel\">",
        left + width + 70.0,
        left + width + 70.0
    );
    for (i, channel) in campaign.channels.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let f = channel.figures;
        let scale = |n: u64| n as f64 / most as f64 * width;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\">{name}</text>\
             <rect data-channel=\"{name}\" data-series=\"targeted\" x=\"{left}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar_h}\" fill=\"{}\"><title>{name}: targeted {}</title></rect>\
             <rect data-channel=\"{name}\" data-series=\"arrived\" x=\"{left}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar_h}\" fill=\"{}\"><title>{name}: arrived {} ({})</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            y + 11.0,
            scale(f.targeted),
            SERIES[0].1,
            thousands(f.targeted),
            scale(f.arrived),
            SERIES[1].1,
            thousands(f.arrived),
            percent(f.arrival_rate()),
            left + width + 6.0,
            y + 11.0,
            percent(f.arrival_rate()),
            name = escape(&channel.channel),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn send_table(campaign: &CampaignReport) -> String {
    let mut table = "<table><thead><tr><th>sent</th><th>what</th><th>targeted</th><th>arrived</th>\
                     <th>displayed</th><th>clicked</th><th>lost</th></tr></thead><tbody>\n"
        .to_owned();
    for send in &campaign.sends {
        let when = escape(&instant(send.sent_at, &campaign.zone));
        let what = escape(&send_words(send));
        match (unavailable(send), &send.total) {
            (None, Some(t)) => {
                let lost: Vec<String> = send
                    .channels
                    .iter()
                    .filter(|c| !c.losses.is_empty())
                    .map(|c| format!("{}: {}", c.channel, losses_words(&c.losses)))
                    .collect();
                let _ = writeln!(
                    table,
                    "<tr><td>{when}</td><td>{what}</td><td class=\"n\">{}</td><td class=\"n\">{} ({})</td>\
                     <td class=\"n\">{}</td><td class=\"n\">{} ({})</td><td>{}</td></tr>",
                    thousands(t.targeted),
                    thousands(t.arrived),
                    percent(t.arrival_rate()),
                    thousands(t.displayed),
                    thousands(t.clicked),
                    percent(t.click_rate()),
                    escape(&lost.join("; ")),
                );
            }
            (why, _) => {
                let _ = writeln!(
                    table,
                    "<tr><td>{when}</td><td>{what}</td><td colspan=\"5\" class=\"muted\">{}</td></tr>",
                    escape(&why.unwrap_or_default())
                );
            }
        }
    }
    table.push_str("</tbody></table>\n");
    table
}

/// `12-07`: a send's day under its bars.
fn short_day(at: chrono::DateTime<chrono::Utc>, zone: &str) -> String {
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => at.with_timezone(&tz).format("%m-%d").to_string(),
        Err(_) => at.format("%m-%d").to_string(),
    }
}
