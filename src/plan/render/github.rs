//! `--format github`: a plan for a GitHub Actions run.
//!
//! A run has three places to show things, each with its own limit, so this renderer makes
//! two outputs from one [`Plan`]:
//!
//! - [`annotations`]: workflow commands for the plan's warnings (checks and lints) and for
//!   the notes a reviewer must act on. A workflow that ran `validate --format github` just
//!   before has annotated the warnings already, and asks for the notes alone
//!   (`--annotate notes`): twice is noise. GitHub keeps only [`ANNOTATIONS_PER_LEVEL`] of
//!   each level per step, so the rest are counted in one line pointing at the job summary.
//! - [`step_summary`]: the Markdown plan (whose Warnings block lists the first
//!   [`SHOWN_WARNINGS`]) plus the warnings beyond those, for the file named by
//!   `GITHUB_STEP_SUMMARY`. GitHub refuses a step summary over 1 MiB, and the caller appends
//!   to whatever the step wrote before, so it is built to fit in what is left.
//!
//! Which notes become annotations: drift, a task Getui could not be asked about, and a
//! missed list push are `warning`s (something happened that the workspace did not say); an
//! occurrence inside the lead time is a `notice` (it will not be created, by design).
//! Deferred, past and disabled notes stay in the summary only: they are routine.

use std::fmt::Write as _;
use std::path::Path;

use super::SHOWN_WARNINGS;
use crate::plan::{Note, Plan, Warning};
pub use crate::render::github::ANNOTATIONS_PER_LEVEL;
use crate::render::github::{Annotation, AnnotationLevel, annotation_path, github_commands};
use crate::render::markdown::{code, text};

/// GitHub refuses a step summary larger than this (1 MiB).
pub const GITHUB_STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

/// What gtcamp fills a step summary up to: GitHub's limit minus a margin for whatever the
/// runner or a later command of the same step adds.
pub const STEP_SUMMARY_LIMIT: usize = GITHUB_STEP_SUMMARY_LIMIT - 16 * 1024;

/// Below this many bytes left, the summary holds only a line saying the plan did not fit.
const SMALLEST_USEFUL_SUMMARY: usize = 2048;

/// What `plan --format github` annotates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Annotate {
    /// The warnings and the notes that need attention.
    All,
    /// The notes alone, when `validate --format github` annotated the warnings already.
    Notes,
}

/// Workflow commands for the plan's warnings (unless `annotate` says notes only) and its
/// attention notes, at most [`ANNOTATIONS_PER_LEVEL`] per level. Paths are relative to
/// `root` (the repository), the plan's own paths to `cwd`.
pub fn annotations(plan: &Plan, cwd: &Path, root: &Path, annotate: Annotate) -> String {
    let warnings = plan
        .warnings
        .iter()
        .filter(|_| annotate == Annotate::All)
        .map(|warning| warning_annotation(warning, cwd, root));
    let notes = plan
        .notes
        .iter()
        .filter_map(|note| note_annotation(plan, note, cwd, root));
    let list: Vec<Annotation> = warnings.chain(notes).collect();
    github_commands(&list, "see the job summary")
}

fn warning_annotation(warning: &Warning, cwd: &Path, root: &Path) -> Annotation {
    Annotation {
        level: AnnotationLevel::Warning,
        file: warning
            .file
            .as_deref()
            .map(|file| annotation_path(file, cwd, root)),
        line: warning.line,
        column: warning.column,
        title: warning.code.clone(),
        message: format!(
            "{}\n{}",
            warning.message,
            crate::check::render::explain_hint(&warning.code)
        ),
    }
}

fn note_annotation(plan: &Plan, note: &Note, cwd: &Path, root: &Path) -> Option<Annotation> {
    let (level, title) = match note {
        Note::Drift { .. } => (AnnotationLevel::Warning, "gtcamp: drift"),
        Note::Unreachable { .. } => (AnnotationLevel::Warning, "gtcamp: Getui unreachable"),
        Note::Held { .. } => (AnnotationLevel::Warning, "gtcamp: held"),
        Note::Missed { .. } => (AnnotationLevel::Warning, "gtcamp: missed list push"),
        Note::InsideLeadTime { .. } => (AnnotationLevel::Notice, "gtcamp: inside lead time"),
        _ => return None,
    };
    let campaign = crate::plan::diff::note_campaign(note);
    let info = plan.campaigns.iter().find(|info| info.name == campaign);
    let zone = info.map_or("UTC", |info| info.timezone.name());
    let file = info.map(|info| annotation_path(&plan.meta.workspace.join(&info.file), cwd, root));
    Some(Annotation {
        level,
        line: file.as_ref().map(|_| 1),
        file,
        column: None,
        title: title.to_owned(),
        message: format!("campaign `{campaign}`: {}", super::note_text(note, zone)),
    })
}

/// What to append to the step summary that already holds `already_written` bytes: the
/// Markdown plan and the warnings it leaves out, within [`STEP_SUMMARY_LIMIT`] in all.
pub fn step_summary(plan: &Plan, already_written: usize) -> String {
    let available = STEP_SUMMARY_LIMIT.saturating_sub(already_written);
    if available < SMALLEST_USEFUL_SUMMARY {
        let note = "\n> ✂️ **gtcamp:** the plan did not fit in this step's summary (GitHub allows 1 MiB). Run `gtcamp plan` to see it.\n";
        // The one-line note may use the margin: it is all the reader gets.
        let room = GITHUB_STEP_SUMMARY_LIMIT.saturating_sub(already_written);
        return if note.len() <= room {
            note.to_owned()
        } else {
            String::new()
        };
    }
    // A character takes at most 4 bytes: a budget in characters that always fits.
    let plan_budget = super::markdown::LIMIT.min((available - SMALLEST_USEFUL_SUMMARY) / 4);
    let mut out = super::markdown::render_within(plan, plan_budget);
    let room = available.saturating_sub(out.len());
    let rest = plan.warnings.get(SHOWN_WARNINGS..).unwrap_or_default();
    out.push_str(&warnings_block(rest, room));
    out
}

/// The warnings the Markdown plan left out, as a list of at most `room` bytes, the ones
/// that do not fit counted.
fn warnings_block(warnings: &[Warning], room: usize) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let mut block = format!(
        "\n#### ⚠️ The other {} (after the first {SHOWN_WARNINGS})\n\n",
        crate::render::count(warnings.len(), "warning", "warnings")
    );
    // Enough for the heading and the closing count, whatever the numbers.
    let reserve = 200;
    for (index, warning) in warnings.iter().enumerate() {
        let line = warning_line(warning);
        if block.len() + line.len() + reserve > room {
            let _ = writeln!(
                block,
                "\n… and {} more: run `gtcamp validate` to see them all.",
                warnings.len() - index
            );
            return block;
        }
        block.push_str(&line);
    }
    block
}

fn warning_line(warning: &Warning) -> String {
    format!(
        "- ⚠️ {} {}: {}\n",
        code(&warning.code),
        code(&super::warning_location(warning)),
        text(&warning.message)
    )
}
