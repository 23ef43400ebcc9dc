//! `--format markdown`: a Mermaid gantt of the sends (GitHub draws it in comments) and a
//! small table per campaign.
//!
//! [`mermaid_gantt`] is the one Mermaid writer: the plan's Markdown calls it too. Mermaid
//! has no time zones (it reads dates in the viewer's), so every date is written as local
//! digits of one named zone, and the title names it. Its gantt grammar ends a title at `#`
//! or `;`, a section at `:` as well, and a task name at `:`; [`mermaid_text`] swaps those
//! for look-alikes. GitHub comments stop at 65,536 characters and Mermaid slows down with
//! thousands of tasks, so a chart holds at most a given number of tasks and says how many
//! it left out.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{sends_text, window_text};
use crate::calendar::{Calendar, Send};
use crate::plan::render::markdown::code;

/// At most this many tasks in the calendar's chart.
pub const MAX_TASKS: usize = 150;
/// At most this many campaigns in the table under the chart.
const MAX_TABLE_ROWS: usize = 100;

/// One mark on a gantt chart.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttTask {
    /// The section (a campaign).
    pub section: String,
    /// Words before the time in the task's name (`cancel`), or empty.
    pub label: String,
    pub at: DateTime<Utc>,
    /// Drawn in red: a cancellation.
    pub critical: bool,
}

/// A fenced Mermaid gantt of `tasks` (at most `max_tasks`, the earliest), one section per
/// distinct `section` in name order, dates in `zone`; and a line saying how many tasks
/// were left out, if any. Empty when there are no tasks: Mermaid rejects an empty gantt.
pub fn mermaid_gantt(title: &str, zone: Tz, tasks: &[GanttTask], max_tasks: usize) -> String {
    if tasks.is_empty() {
        return String::new();
    }
    let mut ordered: Vec<&GanttTask> = tasks.iter().collect();
    ordered.sort_by(|a, b| (a.at, &a.section).cmp(&(b.at, &b.section)));
    let left_out = ordered.len().saturating_sub(max_tasks);
    ordered.truncate(max_tasks);
    let span = match (ordered.first(), ordered.last()) {
        (Some(first), Some(last)) => last.at.signed_duration_since(first.at),
        _ => chrono::Duration::zero(),
    };
    let mut sections: BTreeMap<&str, Vec<&GanttTask>> = BTreeMap::new();
    for task in ordered {
        sections.entry(&task.section).or_default().push(task);
    }
    let mut out = String::from("```mermaid\ngantt\n");
    let _ = writeln!(
        out,
        "    title {} ({})",
        mermaid_text(title, false),
        zone.name()
    );
    // Over a day or two the axis ticks are hours, and a date alone would repeat.
    let axis = if span <= chrono::Duration::days(2) {
        "%a %H:%M"
    } else {
        "%a %m-%d"
    };
    let _ = writeln!(
        out,
        "    dateFormat YYYY-MM-DD HH:mm\n    axisFormat {axis}\n    todayMarker off"
    );
    for (section, tasks) in sections {
        let _ = writeln!(out, "    section {}", mermaid_text(section, true));
        for task in tasks {
            let local = task.at.with_timezone(&zone);
            let name = format!("{} {}", task.label, local.format("%a %H:%M"));
            let tags = if task.critical {
                "crit, milestone"
            } else {
                "milestone"
            };
            let _ = writeln!(
                out,
                "    {} : {tags}, {}, 0m",
                mermaid_text(name.trim(), true),
                local.format("%Y-%m-%d %H:%M")
            );
        }
    }
    out.push_str("```\n");
    if left_out > 0 {
        let _ = writeln!(
            out,
            "\n_The chart shows the first {max_tasks} sends; {left_out} later ones are left out._"
        );
    }
    out
}

/// `text` made safe for one Mermaid gantt line: no line breaks, and no `#`, `;` or `%`
/// (nor `:` when `in_task` — section and task names end there), each replaced by a
/// look-alike so that the reader still sees what was meant.
pub fn mermaid_text(text: &str, in_task: bool) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            ':' if in_task => '∶',
            '#' => '＃',
            ';' => '；',
            '%' => '％',
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "-".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The calendar as Markdown: a heading, the gantt and a table per campaign.
pub fn render(calendar: &Calendar) -> String {
    let window = window_text(calendar.start, calendar.end, calendar.zone);
    let mut out = format!(
        "### Sends of {}, {window}\n\n**{}** from {} campaign(s).\n\n",
        code(&calendar.workspace),
        sends_text(calendar.sends.len()),
        calendar.sending_campaigns().count()
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
    if !calendar.notes.is_empty() {
        out.push('\n');
    }
    for note in &calendar.notes {
        let _ = writeln!(out, "- ℹ️ {}", table_cell(note));
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
            table_cell_code(&campaign.name),
            campaign.zone.name(),
            campaign.sends,
            table_cell(&campaign.audience)
        );
    }
    if calendar.campaigns.len() > MAX_TABLE_ROWS {
        let _ = writeln!(
            out,
            "\n_The table shows the first {MAX_TABLE_ROWS} campaigns by name; {} more are left out._",
            calendar.campaigns.len() - MAX_TABLE_ROWS
        );
    }
    out
}

/// Text safe inside a Markdown table cell (or a list item): the plan's escaping.
fn table_cell(text: &str) -> String {
    crate::plan::render::markdown::text(text)
}

/// A name as a code span in a table cell, where `|` splits cells even inside code.
fn table_cell_code(name: &str) -> String {
    code(name).replace('|', "\\|")
}
