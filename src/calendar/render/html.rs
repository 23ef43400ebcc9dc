//! `--format html`: a standalone page a growth team opens in a browser.
//!
//! One inline SVG grid of days × hours (in the calendar's zone) with a mark per send,
//! coloured per campaign, each campaign on its own lane of the day's row so that two sends
//! in the same hour stay apart. Everything is inline (CSS, SVG, no script, no font, no image
//! by URL): the page works offline, from a CI artifact, and leaks nothing when opened.
//! Marks carry `data-campaign` (stable, for tools and tests) and a `<title>` tooltip. All
//! text from the workspace is escaped.

use std::collections::HashMap;
use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Timelike, Utc};

use super::{
    OVER_WORDS, beijing_note, campaigns_text, days_are_china_days, quota_text, sends_text,
    window_text,
};
use crate::calendar::{Calendar, CampaignEntry, Send};
use crate::render::html::escape;

/// At most this many marks; the legend and counts still cover every send.
pub const MAX_MARKS: usize = 20_000;
/// At most this many rows in the list of sends under the grid.
const MAX_LISTED: usize = 2_000;

/// Distinct on white and for most colour-blind readers (Tableau 10).
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
    "#9c755f", "#bab0ac",
];

const LEFT: f64 = 132.0;
const TOP: f64 = 34.0;
const HOUR_W: f64 = 46.0;
const COUNT_W: f64 = 76.0;
const LANE_H: f64 = 17.0;
const MARK_W: f64 = 11.0;
const MAX_LANES: usize = 8;

/// The page's look. Text from the workspace is often Chinese (regions, aliases, titles), so
/// the font stack names a CJK font of each system after the Latin ones: PingFang SC (macOS),
/// Microsoft YaHei (Windows), and Noto Sans CJK SC, Source Han Sans SC (the same design) or
/// WenQuanYi Micro Hei (Linux), which would otherwise draw every Chinese character as a box
/// wherever its fallback finds none (issue 29). SVG text is only names and days, in ASCII.
const STYLE: &str = r#"
:root { color-scheme: light; }
body { margin: 0; padding: 24px 32px; background: #f6f7f9; color: #1d2330;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
.sub { color: #5b6475; margin: 0 0 16px; }
.card { background: #fff; border: 1px solid #dfe3ea; border-radius: 10px; padding: 14px 16px; margin-bottom: 16px; }
.legend { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 22px; }
.legend li { display: flex; align-items: baseline; gap: 6px; }
.legend li.disabled { color: #8a93a3; text-decoration: line-through; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; align-self: center; }
.zone, .count { color: #5b6475; font-size: 12px; }
.about { color: #8a93a3; font-size: 12px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; fill: #5b6475; }
svg text.day { fill: #1d2330; font-weight: 600; }
svg text.weekend { fill: #b0413e; }
.row { fill: #ffffff; } .row.alt { fill: #fafbfc; } .row.weekend { fill: #fdf3f2; }
.outside { fill: url(#hatch); }
.grid { stroke: #eceff4; stroke-width: 1; } .grid.major { stroke: #cfd5df; }
.now { stroke: #e15759; stroke-width: 2; stroke-dasharray: 4 3; }
.send { stroke: #ffffff; stroke-width: 1; } .send:hover { stroke: #1d2330; }
.notes { color: #5b6475; margin: 8px 0 0; padding-left: 18px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #eceff4; }
th { color: #5b6475; font-weight: 600; }
summary { cursor: pointer; font-weight: 600; }
"#;

/// The calendar as a standalone HTML page.
pub fn render(calendar: &Calendar) -> String {
    let title = format!("Sends of {}", calendar.workspace);
    let window = window_text(calendar.start, calendar.end, calendar.zone);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — gtcamp calendar</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        out,
        "<p class=\"sub\">{} · {} from {} · days and hours in {}; hover a mark for details</p>",
        escape(&window),
        sends_text(calendar.sends.len()),
        campaigns_text(calendar.sending_campaigns().count()),
        escape(calendar.zone.name())
    );
    out.push_str(&legend(calendar));
    out.push_str("<div class=\"card\">\n");
    out.push_str(&grid(calendar));
    out.push_str("</div>\n");
    out.push_str(&quota(calendar));
    out.push_str(&send_list(calendar));
    out.push_str("</body>\n</html>\n");
    out
}

fn colour_of(calendar: &Calendar) -> HashMap<&str, &'static str> {
    calendar
        .campaigns
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let colour = PALETTE
                .get(index % PALETTE.len())
                .copied()
                .unwrap_or("#777");
            (c.name.as_str(), colour)
        })
        .collect()
}

fn legend(calendar: &Calendar) -> String {
    let colours = colour_of(calendar);
    let mut out = String::from("<div class=\"card\">\n<ul class=\"legend\">\n");
    for campaign in &calendar.campaigns {
        let colour = colours
            .get(campaign.name.as_str())
            .copied()
            .unwrap_or("#777");
        let (class, count) = match campaign.enabled {
            true => ("", sends_text(campaign.sends)),
            false => (" class=\"disabled\"", "disabled".to_owned()),
        };
        let _ = writeln!(
            out,
            "<li{class} data-campaign=\"{name}\"><span class=\"swatch\" style=\"background:{colour}\"></span>\
             <b>{name}</b> <span class=\"zone\">{zone}</span> <span class=\"count\">{count}</span> \
             <span class=\"about\">{about}</span></li>",
            name = escape(&campaign.name),
            zone = escape(campaign.zone.name()),
            about = escape(&about(campaign)),
        );
    }
    if calendar.campaigns.is_empty() {
        out.push_str("<li>No campaigns in this workspace.</li>\n");
    }
    out.push_str("</ul>\n");
    if !calendar.notes.is_empty() {
        out.push_str("<ul class=\"notes\">\n");
        for note in &calendar.notes {
            let _ = writeln!(out, "<li>{}</li>", escape(note));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n");
    out
}

fn about(campaign: &CampaignEntry) -> String {
    super::about_words(campaign).join(" · ")
}

/// Where things sit on the grid.
struct Layout {
    days: Vec<NaiveDate>,
    /// How many sends each day has (all of them, drawn or not).
    counts: Vec<usize>,
    /// The lane of each drawn send (same order as the calendar's sends): sends that would
    /// overlap on their day's row stack downwards instead.
    lanes: Vec<usize>,
    /// How many lanes each row uses, by row.
    used: HashMap<usize, usize>,
    row_h: f64,
}

impl Layout {
    fn of(calendar: &Calendar) -> Layout {
        let mut layout = Layout {
            days: calendar.days(),
            counts: calendar
                .by_day()
                .iter()
                .map(|(_, sends)| sends.len())
                .collect(),
            lanes: Vec::new(),
            used: HashMap::new(),
            row_h: 0.0,
        };
        // Per row, where each lane is free again (x): the first free lane takes a send.
        let mut lane_ends: HashMap<usize, Vec<f64>> = HashMap::new();
        for send in calendar.sends.iter().take(MAX_MARKS) {
            let lane = match layout.place(send.at, calendar) {
                Some((x, row)) => {
                    let ends = lane_ends.entry(row).or_default();
                    let free = ends.iter().position(|end| *end <= x - MARK_W / 2.0);
                    let lane = free.unwrap_or(ends.len()).min(MAX_LANES - 1);
                    match ends.get_mut(lane) {
                        Some(end) => *end = x + MARK_W / 2.0 + 1.0,
                        None => ends.push(x + MARK_W / 2.0 + 1.0),
                    }
                    lane
                }
                None => 0,
            };
            layout.lanes.push(lane);
        }
        layout.used = lane_ends
            .iter()
            .map(|(row, ends)| (*row, ends.len().min(MAX_LANES)))
            .collect();
        let busiest = layout.used.values().copied().max().unwrap_or(1);
        layout.row_h = (busiest as f64 * LANE_H + 12.0).max(34.0);
        layout
    }

    fn width(&self) -> f64 {
        LEFT + 24.0 * HOUR_W + COUNT_W
    }

    fn height(&self) -> f64 {
        TOP + self.days.len() as f64 * self.row_h + 8.0
    }

    fn row_top(&self, index: usize) -> f64 {
        TOP + index as f64 * self.row_h
    }

    /// The x of an instant on its day's row, and the row.
    fn place(&self, at: DateTime<Utc>, calendar: &Calendar) -> Option<(f64, usize)> {
        let local = at.with_timezone(&calendar.zone);
        let first = self.days.first()?;
        let row = usize::try_from((local.date_naive() - *first).num_days()).ok()?;
        if row >= self.days.len() {
            return None;
        }
        let hours = f64::from(local.hour()) + f64::from(local.minute()) / 60.0;
        Some((LEFT + hours * HOUR_W, row))
    }
}

fn grid(calendar: &Calendar) -> String {
    let layout = Layout::of(calendar);
    let (width, height) = (layout.width(), layout.height());
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"sends per day and hour\">\n\
         <defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#f1f3f6\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#dde1e8\" stroke-width=\"2\"/></pattern></defs>\n"
    );
    rows(&mut out, &layout);
    hour_lines(&mut out, &layout);
    window_edges(&mut out, calendar, &layout);
    marks(&mut out, calendar, &layout);
    out.push_str("</svg>\n");
    if calendar.sends.is_empty() {
        out.push_str("<p class=\"sub\">No sends in this window.</p>\n");
    } else if calendar.sends.len() > MAX_MARKS {
        let _ = writeln!(
            out,
            "<p class=\"sub\">The grid draws the first {MAX_MARKS} sends; {} later ones are left out.</p>",
            calendar.sends.len() - MAX_MARKS
        );
    }
    out
}

fn rows(out: &mut String, layout: &Layout) {
    use chrono::Datelike;
    for (index, day) in layout.days.iter().enumerate() {
        let y = layout.row_top(index);
        let weekend = matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        let class = match (weekend, index % 2 == 1) {
            (true, _) => "row weekend",
            (false, true) => "row alt",
            (false, false) => "row",
        };
        let _ = writeln!(
            out,
            "<rect class=\"{class}\" x=\"0\" y=\"{y}\" width=\"{}\" height=\"{}\"/>",
            layout.width(),
            layout.row_h
        );
        let text_class = if weekend { "day weekend" } else { "day" };
        let mid = y + layout.row_h / 2.0 + 4.0;
        let _ = writeln!(
            out,
            "<text class=\"{text_class}\" x=\"10\" y=\"{mid}\">{}</text>",
            day.format("%a %Y-%m-%d")
        );
        let count = layout.counts.get(index).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{mid}\">{}</text>",
            LEFT + 24.0 * HOUR_W + 10.0,
            if count == 0 {
                "—".to_owned()
            } else {
                sends_text(count)
            }
        );
    }
}

/// A card with each day's marketing pushes against the makers' cap, days over it in red;
/// nothing without a quota. Inline style, so pages without a quota stay as they were.
fn quota(calendar: &Calendar) -> String {
    let days = calendar.quota_days();
    if days.is_empty() {
        return String::new();
    }
    let whose = if days_are_china_days(calendar.zone) {
        "per day"
    } else {
        "per day in China, where the makers count"
    };
    let mut out = format!(
        "<div class=\"card\">\n<p><b>Marketing pushes that can reach one Android device</b>, {whose}</p>\n<table>\n"
    );
    for (day, quota) in days {
        let (style, over) = if quota.over() {
            (" style=\"color:#b0413e;font-weight:600\"", OVER_WORDS)
        } else {
            ("", "")
        };
        let _ = writeln!(
            out,
            "<tr class=\"quota\" data-day=\"{day}\"{style}><td>{}</td><td>{}</td><td>{over}</td></tr>",
            day.format("%a %Y-%m-%d"),
            escape(&quota_text(&quota))
        );
    }
    out.push_str("</table>\n</div>\n");
    out
}

fn hour_lines(out: &mut String, layout: &Layout) {
    let bottom = layout.height() - 8.0;
    for hour in 0..=24u32 {
        let x = LEFT + f64::from(hour) * HOUR_W;
        let class = if hour % 6 == 0 { "grid major" } else { "grid" };
        let _ = writeln!(
            out,
            "<line class=\"{class}\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{bottom}\"/>",
            TOP - 4.0
        );
        if hour < 24 {
            let _ = writeln!(
                out,
                "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{hour:02}:00</text>",
                TOP - 10.0
            );
        }
    }
}

/// Hatches the hours of the first and last day outside the window, and marks "now".
fn window_edges(out: &mut String, calendar: &Calendar, layout: &Layout) {
    if let Some((x, row)) = layout.place(calendar.start, calendar) {
        let y = layout.row_top(row);
        let _ = writeln!(
            out,
            "<rect class=\"outside\" x=\"{LEFT}\" y=\"{y}\" width=\"{}\" height=\"{}\"><title>before the window</title></rect>",
            x - LEFT,
            layout.row_h
        );
        let _ = writeln!(
            out,
            "<line class=\"now\" x1=\"{x}\" y1=\"{y}\" x2=\"{x}\" y2=\"{}\"><title>now: {}</title></line>",
            y + layout.row_h,
            calendar
                .start
                .with_timezone(&calendar.zone)
                .format("%Y-%m-%d %H:%M")
        );
    }
    let last = calendar
        .end
        .checked_sub_signed(chrono::Duration::seconds(1))
        .unwrap_or(calendar.end);
    if let Some((_, row)) = layout.place(last, calendar) {
        let end_x = layout
            .place(calendar.end, calendar)
            .filter(|(_, end_row)| *end_row == row)
            .map_or(LEFT + 24.0 * HOUR_W, |(x, _)| x);
        let _ = writeln!(
            out,
            "<rect class=\"outside\" x=\"{end_x}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>after the window</title></rect>",
            layout.row_top(row),
            LEFT + 24.0 * HOUR_W - end_x,
            layout.row_h
        );
    }
}

fn marks(out: &mut String, calendar: &Calendar, layout: &Layout) {
    let colours = colour_of(calendar);
    for (send, lane) in calendar.sends.iter().zip(&layout.lanes) {
        let Some((x, row)) = layout.place(send.at, calendar) else {
            continue;
        };
        // The row's lanes, as a block, sit in the middle of the row.
        let used = layout.used.get(&row).copied().unwrap_or(1);
        let top = layout.row_top(row) + (layout.row_h - (used as f64 * LANE_H - 3.0)) / 2.0;
        let y = top + *lane as f64 * LANE_H;
        let colour = colours
            .get(send.campaign.as_str())
            .copied()
            .unwrap_or("#777");
        let _ = writeln!(
            out,
            "<rect class=\"send\" data-campaign=\"{}\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{MARK_W}\" height=\"{}\" rx=\"3\" fill=\"{colour}\"><title>{}</title></rect>",
            escape(&send.campaign),
            x - MARK_W / 2.0,
            LANE_H - 3.0,
            escape(&tooltip(send))
        );
    }
}

/// `weekly-digest: Fri 2026-12-04 20:00 Asia/Shanghai [deferred]`.
fn tooltip(send: &Send) -> String {
    let local = send.local();
    let mut text = format!(
        "{}: {} {}",
        send.campaign,
        local.format("%a %Y-%m-%d %H:%M"),
        send.zone.name()
    );
    if let Some(note) = beijing_note(send.at, send.zone) {
        let _ = write!(text, " {note}");
    }
    if let Some(tag) = send.status.tag() {
        let _ = write!(text, " [{tag}]");
    }
    text
}

fn send_list(calendar: &Calendar) -> String {
    if calendar.sends.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<div class=\"card\">\n<details>\n<summary>All {}</summary>\n<table>\n\
         <tr><th>when</th><th>campaign</th><th>Beijing</th><th></th></tr>\n",
        sends_text(calendar.sends.len())
    );
    for send in calendar.sends.iter().take(MAX_LISTED) {
        let local = send.local();
        let _ = writeln!(
            out,
            "<tr data-campaign=\"{name}\"><td>{} {}</td><td>{name}</td><td>{}</td><td>{}</td></tr>",
            local.format("%a %Y-%m-%d %H:%M"),
            escape(send.zone.name()),
            send.beijing().format("%m-%d %H:%M"),
            send.status.tag().unwrap_or(""),
            name = escape(&send.campaign),
        );
    }
    if calendar.sends.len() > MAX_LISTED {
        let _ = writeln!(
            out,
            "<tr><td colspan=\"4\">… and {} more</td></tr>",
            calendar.sends.len() - MAX_LISTED
        );
    }
    out.push_str("</table>\n</details>\n</div>\n");
    out
}
