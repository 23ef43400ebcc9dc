//! `--format markdown`: the plan as a pull-request comment.
//!
//! What a reviewer must not miss (cancellations, replacements, the totals) sits above the
//! fold; each campaign's detail folds into a `<details>`. GitHub refuses comments over 65,536
//! characters, so the output is built from whole blocks and stops, cleanly, before
//! [`LIMIT`], saying how much was left out.
//!
//! Names, messages and Getui's errors are the user's text: they go through
//! [`crate::render::markdown`]'s `code` or `text`, so a backtick or `<!--` in a tag cannot
//! close a code span or open HTML in the comment.

use std::fmt::Write;

use super::{ChangeView, FieldDiff, content_diff, content_fields, group};
use crate::plan::{Action, BindingAction, Change, Plan, PushBudget};
use crate::render::count;
use crate::render::markdown::{code, longest_backtick_run, table_code, text};
use crate::render::mermaid::{GanttTask, MAX_TASKS, mermaid_gantt};

/// At most this many characters.
pub const LIMIT: usize = 60_000;

/// A schedule chart with at most this many sends sits under the summary table; a longer
/// one folds into a `<details>` at the end.
const CHART_INLINE_TASKS: usize = 20;

/// Renders `plan` as Markdown of at most [`LIMIT`] characters.
pub fn render(plan: &Plan) -> String {
    render_within(plan, LIMIT)
}

/// Renders `plan` as Markdown of at most `limit` characters.
pub fn render_within(plan: &Plan, limit: usize) -> String {
    let blocks = blocks(plan);
    let total = blocks.len();
    let mut out = String::new();
    let mut used = 0;
    for (index, block) in blocks.iter().enumerate() {
        let size = block.chars().count();
        let note = truncation_note(total - index);
        if used + size + note.chars().count() > limit && index + 1 < total || used + size > limit {
            if used + note.chars().count() <= limit {
                out.push_str(&note);
            }
            return out;
        }
        out.push_str(block);
        used += size;
    }
    out
}

fn truncation_note(left_out: usize) -> String {
    let sections = match left_out {
        1 => "1 more section did not".to_owned(),
        n => format!(
            "{} more sections did not",
            crate::render::thousands(n as u64)
        ),
    };
    format!(
        "\n> ✂️ **Truncated:** {sections} fit in a comment. \
         Run `gtcamp plan` (or `gtcamp plan --format json`) to see the whole plan.\n"
    )
}

/// The document as whole blocks, each safe to stop after.
fn blocks(plan: &Plan) -> Vec<String> {
    let mut blocks = vec![format!(
        "### gtcamp plan for {}\n\n",
        code(&plan.meta.target)
    )];
    let totals = match plan.has_changes() {
        true => super::totals_line(plan),
        false => "No changes.".to_owned(),
    };
    blocks.push(format!("**{totals}**\n\n"));
    if let Some(selection) = super::selection_text(plan) {
        blocks.push(format!("> ✂️ {}\n\n", text(&selection)));
    }
    blocks.extend(lifecycle_blocks(plan));
    if let Some(line) = plan.pushes.as_ref().and_then(PushBudget::line) {
        blocks.push(format!("{line}\n\n"));
    }
    let grouped = group(plan);
    blocks.push("| | campaign | create | replace | cancel | fire | notes |\n|---|---|--:|--:|--:|--:|--:|\n".to_owned());
    for (name, campaign) in &grouped.campaigns {
        let count = |action: Action| {
            campaign
                .changes
                .iter()
                .filter(|c| c.action == action)
                .count()
        };
        let (replace, cancel) = (count(Action::DeleteThenCreate), count(Action::Delete));
        let mark = if replace + cancel > 0 { "⚠️" } else { "" };
        blocks.push(format!(
            "| {mark} | {} | {} | {replace} | {cancel} | {} | {} |\n",
            table_code(name),
            count(Action::Create),
            count(Action::Fire),
            campaign.notes.len()
        ));
    }
    blocks.push("\n".to_owned());
    let chart = schedule_chart(plan);
    if !chart.block.is_empty() && chart.tasks <= CHART_INLINE_TASKS {
        blocks.push(chart.block.clone());
    }
    let risky: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| matches!(c.action, Action::Delete | Action::DeleteThenCreate))
        .collect();
    if !risky.is_empty() {
        blocks.push("#### ⚠️ Cancellations and replacements\n\n".to_owned());
        for change in risky {
            blocks.push(format!(
                "- ⚠️ **{}** {}: {}\n",
                super::action_word(change.action),
                code(&change.key.to_string()),
                super::reason_text(change.reason)
            ));
        }
        blocks.push("\n".to_owned());
    }
    blocks.extend(warning_blocks(plan));
    for (name, campaign) in &grouped.campaigns {
        let zone = campaign.zone();
        let mut block = format!(
            "<details><summary><code>{}</code>: {}, {}</summary>\n\n",
            crate::render::html::escape(name),
            count(campaign.changes.len(), "change", "changes"),
            count(campaign.notes.len(), "note", "notes")
        );
        if let Some(estimate) = plan.estimates.get(*name) {
            let _ = writeln!(
                block,
                "- 👥 {}",
                text(&super::estimate_lines(estimate).join(" · "))
            );
        }
        for change in &campaign.changes {
            write_change(&mut block, change, &zone);
        }
        for note in &campaign.notes {
            let _ = writeln!(block, "- ℹ️ {}", text(&super::note_text(note, &zone)));
        }
        block.push_str("\n</details>\n\n");
        blocks.push(block);
    }
    if !plan.bindings.is_empty() {
        blocks.push(bindings_block(plan));
    }
    if chart.tasks > CHART_INLINE_TASKS {
        blocks.push(chart.block);
    }
    blocks
}

/// Renames, tasks left on Getui and protection: state-only changes a reviewer approves too.
fn lifecycle_blocks(plan: &Plan) -> Vec<String> {
    let mut blocks = Vec::new();
    if !plan.renames.is_empty() {
        blocks.push("#### 🏷️ Renamed\n\n".to_owned());
        for rename in &plan.renames {
            blocks.push(format!("- {}\n", text(&super::rename_text(rename))));
        }
        blocks.push("\n".to_owned());
    }
    let released: Vec<&Change> = (plan.changes.iter())
        .filter(|c| c.action == Action::Release)
        .collect();
    if !released.is_empty() {
        blocks.push("#### 🪁 Left on Getui, forgotten by gtcamp\n\n".to_owned());
        for change in released {
            blocks.push(format!(
                "- {}: {}\n",
                code(&change.key.to_string()),
                super::reason_text(change.reason)
            ));
        }
        blocks.push("\n".to_owned());
    }
    if !plan.protection.is_empty() {
        blocks.push("#### 🛡️ Protection\n\n".to_owned());
        for change in &plan.protection {
            blocks.push(format!("- {}\n", text(&super::protection_text(change))));
        }
        blocks.push("\n".to_owned());
    }
    blocks
}

/// The schedule picture of the changes, and how many sends it draws.
struct Chart {
    block: String,
    tasks: usize,
}

/// When the changed campaigns send: creates, replaces and fires at their new time, cancels
/// (and the old time of a moved replace) in red. Read from the changes alone, with the
/// shared Mermaid writer; dates in the campaigns' zone when they share one, else in
/// Beijing time (Getui's).
fn schedule_chart(plan: &Plan) -> Chart {
    let mut tasks = Vec::new();
    let mut zones = std::collections::BTreeSet::new();
    for change in &plan.changes {
        let mut mark = |label: &str, at, zone: &str, critical| {
            zones.insert(zone.to_owned());
            tasks.push(GanttTask {
                section: change.campaign.clone(),
                label: label.to_owned(),
                at,
                critical,
            });
        };
        match (change.action, &change.before, &change.after) {
            (Action::Create | Action::Fire, _, Some(after)) => mark(
                super::action_word(change.action),
                after.push_time,
                &after.timezone,
                false,
            ),
            (Action::DeleteThenCreate, before, Some(after)) => {
                mark("replace", after.push_time, &after.timezone, false);
                if let Some(before) = before.as_ref().filter(|b| b.push_time != after.push_time) {
                    mark("moved from", before.push_time, &before.timezone, true);
                }
            }
            (Action::Delete, Some(before), _) => {
                mark("cancel", before.push_time, &before.timezone, true);
            }
            _ => {}
        }
    }
    let zone = match (zones.len(), zones.first()) {
        (1, Some(only)) => only.parse().unwrap_or(chrono_tz::Asia::Shanghai),
        _ => chrono_tz::Asia::Shanghai,
    };
    let title = format!("Changes for {}", plan.meta.target);
    let chart = mermaid_gantt(&title, zone, &tasks, MAX_TASKS);
    let block = match (chart.is_empty(), tasks.len() <= CHART_INLINE_TASKS) {
        (true, _) => String::new(),
        (false, true) => format!("#### 📅 When the changed campaigns send\n\n{chart}\n"),
        (false, false) => format!(
            "<details><summary>📅 When the changed campaigns send: {}</summary>\n\n{chart}\n</details>\n\n",
            count(tasks.len(), "push time", "push times")
        ),
    };
    Chart {
        block,
        tasks: tasks.len(),
    }
}

fn write_change(out: &mut String, change: &Change, zone: &str) {
    let view = ChangeView {
        change,
        zone: zone.to_owned(),
    };
    let mark = if matches!(change.action, Action::Delete | Action::DeleteThenCreate) {
        "⚠️ "
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "- {mark}**{}** {} at {}: {}",
        super::action_word(change.action),
        code(&change.key.to_string()),
        text(&view.when()),
        super::reason_text(change.reason)
    );
    let mut diff = String::new();
    if let Some((old, new)) = view.time_moved() {
        let _ = writeln!(diff, "- push time: {old}\n+ push time: {new}");
    }
    match (&change.before, &change.after, change.action) {
        (Some(before), Some(after), Action::DeleteThenCreate) => {
            for field in content_diff(&before.content, &after.content) {
                write_field(&mut diff, &field);
            }
        }
        (_, Some(after), Action::Create | Action::Fire) => {
            for (field, value) in content_fields(&after.content) {
                let mut lines = value.lines();
                let _ = writeln!(diff, "+ {field}: {}", lines.next().unwrap_or(""));
                for line in lines {
                    let _ = writeln!(diff, "+   {line}");
                }
            }
        }
        _ => {}
    }
    if !diff.is_empty() {
        // A fence longer than any run of backticks in the content cannot be closed early.
        let fence = "`".repeat(longest_backtick_run(&diff).max(2) + 1);
        let _ = writeln!(out, "\n  {fence}diff");
        for line in diff.lines() {
            let _ = writeln!(out, "  {line}");
        }
        let _ = writeln!(out, "  {fence}\n");
    }
}

fn write_field(diff: &mut String, field: &FieldDiff) {
    match field {
        FieldDiff::Inline { field, old, new } => {
            if let Some(old) = old {
                let _ = writeln!(diff, "- {field}: {old}");
            }
            if let Some(new) = new {
                let _ = writeln!(diff, "+ {field}: {new}");
            }
        }
        FieldDiff::Lines { field, lines } => {
            let _ = writeln!(diff, "  {field}:");
            for (tag, line) in lines {
                let _ = writeln!(diff, "{tag}   {line}");
            }
        }
    }
}

/// The plan's warnings: a heading, then one block per warning, so the budget cuts between
/// them.
fn warning_blocks(plan: &Plan) -> Vec<String> {
    if plan.warnings.is_empty() {
        return Vec::new();
    }
    let mut blocks = vec![format!("#### ⚠️ Warnings ({})\n\n", plan.warnings.len())];
    for warning in plan.warnings.iter().take(super::SHOWN_WARNINGS) {
        blocks.push(format!(
            "- ⚠️ {} {}: {}\n",
            code(&warning.code),
            code(&super::warning_location(warning)),
            text(&warning.message)
        ));
    }
    if let Some(more) = super::more_warnings(plan) {
        blocks.push(format!("- {more}\n"));
    }
    // One hint for the list, not one per line: a reviewer reads the comment, not a terminal.
    if let Some(first) = plan.warnings.first() {
        blocks.push(format!(
            "\nFor more about a code, run {}.\n",
            code(&format!("gtcamp explain {}", first.code))
        ));
    }
    blocks.push("\n".to_owned());
    blocks
}

fn bindings_block(plan: &Plan) -> String {
    let mut block = format!(
        "<details><summary>phone bindings: {}</summary>\n\n",
        count(plan.bindings.len(), "change", "changes")
    );
    for binding in super::shown_bindings(plan) {
        let before = binding.before_prefix.as_deref().unwrap_or("");
        let after = binding.after_prefix.as_deref().unwrap_or("");
        let line = match binding.action {
            BindingAction::Bind => format!("- **bind** {} → pn `{after}…`", code(&binding.cid)),
            BindingAction::Rebind => format!(
                "- ⚠️ **rebind** {} pn `{before}…` → `{after}…`",
                code(&binding.cid)
            ),
            BindingAction::Unbind => {
                format!(
                    "- ⚠️ **unbind** {} (was pn `{before}…`)",
                    code(&binding.cid)
                )
            }
        };
        let _ = writeln!(block, "{line}");
    }
    if let Some(more) = super::more_bindings(plan) {
        let _ = writeln!(block, "- {more}");
    }
    block.push_str("\n</details>\n");
    block
}
