//! From a workspace folder to a [`Calendar`]: load → check → compile, with no state and no
//! network, so that anyone can draw the picture from a checkout.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Calendar;
use crate::apply::run::{RunError, compile_checked};
use crate::load::LoadedWorkspace;
use crate::model::Document;

/// The longest window drawn: a year. Compile expands at most 10,000 occurrences per
/// campaign ([`crate::compile::MAX_OCCURRENCES`]; per campaign, not per day), so a rule such
/// as `*/5` hits that cap within days; the calendar then says after which send it stops.
pub const MAX_DAYS: u32 = 366;

/// Why no calendar could be drawn.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CalendarError {
    /// Invalid (its errors already drawn), no settings, an unknown target, or compile failed.
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("the workspace's default zone `{zone}` is not an IANA time zone")]
    BadZone { zone: String },
}

/// Loads, checks and compiles the workspace in `dir`, and draws its sends from `now` for
/// `days` days. Diagnostics go to `err`, drawn as `gtcamp validate` draws them.
pub fn from_workspace(
    dir: &Path,
    now: DateTime<Utc>,
    days: u32,
    err: &mut dyn Write,
) -> Result<Calendar, CalendarError> {
    let days = days.clamp(1, MAX_DAYS);
    // The default target's push-ahead only labels sends (deferred or not): the labels are
    // the ones `gtcamp plan` would use.
    let compiled = compile_checked(dir, None, now, err, |workspace| {
        widen_horizon(workspace, days);
    })?;
    let settings = &compiled.settings;
    let zone: Tz = settings
        .defaults
        .timezone
        .parse()
        .map_err(|_| CalendarError::BadZone {
            zone: settings.defaults.timezone.clone(),
        })?;
    Ok(Calendar::build(
        &compiled.desired,
        &settings.name,
        zone,
        now,
        days,
    ))
}

/// Compile expands cron rules only up to the workspace's `horizon`; the calendar wants the
/// whole window, so the horizon becomes the window (it never feeds a plan from here).
fn widen_horizon(workspace: &mut LoadedWorkspace, days: u32) {
    for doc in &mut workspace.documents {
        if let Some(Document::Workspace(settings)) = &mut doc.document {
            settings.defaults.horizon = crate::model::Duration::from_days(u64::from(days));
        }
    }
}
