//! The plan for a terminal: grouped by campaign, coloured when the caller allows it.

use std::fmt::Write;

use super::{ChangeView, ColorChoice, FieldDiff, content_diff, content_fields, group};
use crate::plan::{Action, BindingAction, Change, Plan, PushBudget};

/// ANSI styles, or nothing when colour is off: the only place escape codes are written.
#[derive(Clone, Copy)]
struct Style(ColorChoice);

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        match self.0 {
            ColorChoice::Always => format!("\x1b[{code}m{text}\x1b[0m"),
            ColorChoice::Never => text.to_owned(),
        }
    }
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
    fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
    fn red(self, text: &str) -> String {
        self.paint("31", text)
    }
    fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
    fn cyan(self, text: &str) -> String {
        self.paint("36", text)
    }
    fn action(self, action: Action) -> String {
        let (symbol, word) = (symbol(action), super::action_word(action));
        let text = format!("{symbol} {word}");
        match action {
            Action::Create => self.green(&text),
            Action::Delete => self.red(&text),
            Action::DeleteThenCreate => self.yellow(&text),
            Action::Fire => self.cyan(&text),
            Action::Release => self.yellow(&text),
            Action::RecordMissed | Action::Forget => self.dim(&text),
        }
    }
}

fn symbol(action: Action) -> &'static str {
    match action {
        Action::Create => "+",
        Action::Delete => "-",
        Action::DeleteThenCreate => "-/+",
        Action::Fire => "!",
        Action::Release => "~",
        Action::RecordMissed | Action::Forget => "·",
    }
}

/// Renders `plan` for people.
pub fn render(plan: &Plan, color: ColorChoice) -> String {
    let style = Style(color);
    let mut out = String::new();
    if let Some(selection) = super::selection_text(plan) {
        let _ = writeln!(out, "{}\n", style.yellow(&selection));
    }
    write_lifecycle(&mut out, style, plan);
    for (name, campaign) in group(plan).campaigns {
        let zone = campaign.zone();
        let heading = match campaign.info {
            Some(info) => format!(
                "{} {}",
                style.bold(&format!("campaign {name}")),
                style.dim(&format!(
                    "({}, {})",
                    info.file.display(),
                    info.timezone.name()
                ))
            ),
            None => format!(
                "{} {}",
                style.bold(&format!("campaign {name}")),
                style.dim("(removed from the workspace)")
            ),
        };
        let _ = writeln!(out, "{heading}");
        if let Some(estimate) = plan.estimates.get(name) {
            for line in super::estimate_lines(estimate) {
                let _ = writeln!(out, "  {}", style.dim(&line));
            }
        }
        for change in campaign.changes {
            write_change(&mut out, style, change, &zone);
        }
        for note in campaign.notes {
            let _ = writeln!(
                out,
                "  {} {}",
                style.dim("note:"),
                super::note_text(note, &zone)
            );
        }
        out.push('\n');
    }
    write_bindings(&mut out, style, plan);
    write_warnings(&mut out, style, plan);
    if let Some(line) = plan.pushes.as_ref().and_then(PushBudget::line) {
        let _ = writeln!(out, "{line}");
    }
    match plan.has_changes() {
        true => out.push_str(&style.bold(&super::totals_line(plan))),
        false => out.push_str(&style.bold("No changes.")),
    }
    out.push('\n');
    out
}

fn write_change(out: &mut String, style: Style, change: &Change, zone: &str) {
    let view = ChangeView {
        change,
        zone: zone.to_owned(),
    };
    let _ = writeln!(out, "  {} {}", style.action(change.action), change.key);
    let _ = writeln!(out, "      at {}", view.when());
    let _ = writeln!(out, "      why: {}", super::reason_text(change.reason));
    match (&change.before, change.action) {
        (Some(before), Action::Delete) => {
            let _ = writeln!(out, "      cancels task {} on Getui", before.task_id);
        }
        (Some(before), Action::DeleteThenCreate) => {
            let _ = writeln!(
                out,
                "      cancels task {} on Getui, then creates the new one",
                before.task_id
            );
        }
        (Some(before), Action::Release) => {
            let _ = writeln!(
                out,
                "      task {} stays on Getui and fires as created",
                before.task_id
            );
        }
        _ => {}
    }
    if let Some((old, new)) = view.time_moved() {
        let _ = writeln!(
            out,
            "      push time: {} → {}",
            style.red(&old),
            style.green(&new)
        );
    }
    match (&change.before, &change.after, change.action) {
        (Some(before), Some(after), Action::DeleteThenCreate) => {
            write_field_diffs(out, style, &content_diff(&before.content, &after.content));
        }
        (_, Some(after), Action::Create | Action::Fire) => {
            for (field, value) in content_fields(&after.content) {
                let _ = writeln!(out, "      {field}: {}", quoted(value));
            }
        }
        _ => {}
    }
}

fn write_field_diffs(out: &mut String, style: Style, diffs: &[FieldDiff]) {
    for diff in diffs {
        match diff {
            FieldDiff::Inline { field, old, new } => {
                let old = old.as_deref().map_or("(none)".to_owned(), quoted);
                let new = new.as_deref().map_or("(none)".to_owned(), quoted);
                let _ = writeln!(
                    out,
                    "      {field}: {} → {}",
                    style.red(&old),
                    style.green(&new)
                );
            }
            FieldDiff::Lines { field, lines } => {
                let _ = writeln!(out, "      {field}:");
                for (tag, line) in lines {
                    let text = format!("{tag} {line}");
                    let text = match tag {
                        '-' => style.red(&text),
                        '+' => style.green(&text),
                        _ => text,
                    };
                    let _ = writeln!(out, "        {text}");
                }
            }
        }
    }
}

/// Renames and protection: state-only changes, above the campaigns they concern.
fn write_lifecycle(out: &mut String, style: Style, plan: &Plan) {
    if !plan.renames.is_empty() {
        let _ = writeln!(out, "{}", style.bold("renamed"));
        for rename in &plan.renames {
            let line = format!("~ {}", super::rename_text(rename));
            let _ = writeln!(out, "  {}", style.yellow(&line));
        }
        out.push('\n');
    }
    if !plan.protection.is_empty() {
        let _ = writeln!(out, "{}", style.bold("protection"));
        for change in &plan.protection {
            let line = super::protection_text(change);
            let _ = writeln!(out, "  {}", style.dim(&line));
        }
        out.push('\n');
    }
}

fn write_bindings(out: &mut String, style: Style, plan: &Plan) {
    if plan.bindings.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", style.bold("phone bindings"));
    for binding in super::shown_bindings(plan) {
        let before = binding.before_prefix.as_deref().unwrap_or("");
        let after = binding.after_prefix.as_deref().unwrap_or("");
        let line = match binding.action {
            BindingAction::Bind => style.green(&format!("+ bind   {} → pn {after}…", binding.cid)),
            BindingAction::Rebind => style.yellow(&format!(
                "~ rebind {} pn {before}… → pn {after}…",
                binding.cid
            )),
            BindingAction::Unbind => {
                style.red(&format!("- unbind {} (was pn {before}…)", binding.cid))
            }
        };
        let _ = writeln!(out, "  {line}");
    }
    if let Some(more) = super::more_bindings(plan) {
        let _ = writeln!(out, "  {more}");
    }
    out.push('\n');
}

fn write_warnings(out: &mut String, style: Style, plan: &Plan) {
    if plan.warnings.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", style.bold("Warnings"));
    for warning in plan.warnings.iter().take(super::SHOWN_WARNINGS) {
        let code = style.yellow(&warning.code);
        let at = super::warning_location(warning);
        let _ = writeln!(out, "  {code} {at}: {}", warning.message);
        if let Some(help) = &warning.help {
            let _ = writeln!(out, "        {}", style.dim(&format!("help: {help}")));
        }
        let hint = crate::check::render::explain_hint(&warning.code);
        let _ = writeln!(out, "        {}", style.dim(&hint));
    }
    if let Some(more) = super::more_warnings(plan) {
        let _ = writeln!(out, "  {more}");
    }
    out.push('\n');
}

fn quoted(value: &str) -> String {
    format!("{value:?}")
}
