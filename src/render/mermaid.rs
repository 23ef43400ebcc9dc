//! Mermaid gantt charts, which GitHub draws in pull-request comments: the calendar's
//! Markdown draws its sends with [`mermaid_gantt`], and the plan's Markdown the push times
//! of its changes.
//!
//! Mermaid has no time zones (it reads dates in the viewer's), so every date is written as
//! local digits of one named zone, and the title names it. Its gantt grammar ends a title
//! at `#` or `;`, a section at `:` as well, and a task name at `:`; [`mermaid_text`] swaps
//! those for look-alikes. GitHub comments stop at 65,536 characters and Mermaid slows down
//! with thousands of tasks, so a chart holds at most a given number of tasks and says how
//! many it left out.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// At most this many tasks in a chart, the calendar's or the plan's.
pub const MAX_TASKS: usize = 150;

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
            "\n_The chart shows the first {max_tasks} sends; {}._",
            match left_out {
                1 => "1 later one is left out".to_owned(),
                n => format!("{n} later ones are left out"),
            }
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
