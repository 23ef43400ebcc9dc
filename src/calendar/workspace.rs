//! From a workspace folder to a [`Calendar`]: load → check → compile, with no state and no
//! network, so that anyone can draw the picture from a checkout.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Calendar;
use crate::check::{CheckContext, Summary, check_workspace};
use crate::compile::{CompileContext, CompileError, compile};
use crate::load::{Limits, LoadedWorkspace, load_workspace};
use crate::model::{Document, Workspace};

/// The longest window drawn: a year. Compile expands at most 10,000 occurrences per
/// campaign ([`crate::compile::MAX_OCCURRENCES`]; per campaign, not per day), so a rule such
/// as `*/5` hits that cap within days; the calendar then says after which send it stops.
pub const MAX_DAYS: u32 = 366;

/// Why no calendar could be drawn.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CalendarError {
    #[error("the workspace has errors (shown above); fix them and run again")]
    Invalid,
    #[error("`{dir}` has no gtcamp.yaml with workspace settings")]
    NoSettings { dir: PathBuf },
    #[error("the workspace's default zone `{zone}` is not an IANA time zone")]
    BadZone { zone: String },
    #[error(transparent)]
    Target(#[from] crate::target::TargetError),
    #[error(transparent)]
    Compile(#[from] CompileError),
}

/// Loads, checks and compiles the workspace in `dir`, and draws its sends from `now` for
/// `days` days. Diagnostics go to `err`, drawn as `gtcamp validate` draws them.
pub fn from_workspace(
    dir: &Path,
    now: DateTime<Utc>,
    days: u32,
    err: &mut dyn Write,
) -> Result<Calendar, CalendarError> {
    let mut workspace = load_workspace(dir, &Limits::default());
    let diagnostics = check_workspace(&workspace, &CheckContext { now });
    let summary = Summary::of(&diagnostics);
    if summary.errors > 0 {
        let cwd = std::env::current_dir().unwrap_or_default();
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let drawn = crate::check::render::human(&diagnostics, &workspace, &cwd, color);
        let _ = err.write_all(drawn.as_bytes());
        let _ = writeln!(err, "{summary}");
        return Err(CalendarError::Invalid);
    }
    let days = days.clamp(1, MAX_DAYS);
    let settings =
        widen_horizon(&mut workspace, days).ok_or_else(|| CalendarError::NoSettings {
            dir: dir.to_path_buf(),
        })?;
    let zone: Tz = settings
        .defaults
        .timezone
        .parse()
        .map_err(|_| CalendarError::BadZone {
            zone: settings.defaults.timezone.clone(),
        })?;
    // Push-ahead only labels sends (deferred or not); the default target's keeps those
    // labels the ones `gtcamp plan` would use.
    let name = crate::target::chosen_name(&settings, None);
    let target = crate::target::lookup(&settings, &name)?;
    let context = CompileContext {
        now,
        max_push_ahead: target.max_push_ahead.to_chrono(),
        list_push_grace: crate::apply::run::LIST_PUSH_GRACE,
    };
    let desired = compile(&workspace, &context)?;
    Ok(Calendar::build(&desired, &settings.name, zone, now, days))
}

/// Compile expands cron rules only up to the workspace's `horizon`; the calendar wants the
/// whole window, so the horizon becomes the window (it never feeds a plan from here).
fn widen_horizon(workspace: &mut LoadedWorkspace, days: u32) -> Option<Workspace> {
    workspace
        .documents
        .iter_mut()
        .find_map(|doc| match &mut doc.document {
            Some(Document::Workspace(settings)) => {
                settings.defaults.horizon = crate::model::Duration::from_days(u64::from(days));
                Some((**settings).clone())
            }
            _ => None,
        })
}
