//! From a workspace folder to a [`Calendar`]: load → check → compile, with no state and no
//! network, so that anyone can draw the picture from a checkout.

use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::calendar::{Calendar, MAX_DAYS, Quota};
use crate::compile::Desired;
use crate::lint;
use crate::load::LoadedWorkspace;
use crate::model::{Document, Workspace};

use super::{RunError, compile_checked};

/// Why no calendar could be drawn.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CalendarError {
    /// Invalid (for the caller to draw), no settings, an unknown target, or compile failed.
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("the workspace's default zone `{zone}` is not an IANA time zone")]
    BadZone { zone: String },
}

/// Loads, checks and compiles the workspace in `dir`, and draws its sends from `now` for
/// `days` days (at most [`MAX_DAYS`]).
pub fn calendar(dir: &Path, now: DateTime<Utc>, days: u32) -> Result<Calendar, CalendarError> {
    let days = days.clamp(1, MAX_DAYS);
    // The default target's push-ahead only labels sends (deferred or not): the labels are
    // the ones `gtcamp plan` would use.
    let compiled = compile_checked(dir, None, now, |workspace| {
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
    let calendar = Calendar::build(&compiled.desired, &settings.name, zone, now, days);
    Ok(
        match quota(&compiled.workspace, &compiled.desired, settings) {
            Some(quota) => calendar.with_quota(quota),
            None => calendar,
        },
    )
}

/// The makers' strictest marketing cap and each China day's marketing pushes, as the vendor
/// quota lint counts them; `None` when no maker whose channel is used caps marketing.
fn quota(workspace: &LoadedWorkspace, desired: &Desired, settings: &Workspace) -> Option<Quota> {
    let cap = lint::strictest_cap(&settings.vendors)?;
    let days = lint::marketing_days(workspace, desired)
        .into_iter()
        .map(|day| (day.day, day.pushes))
        .collect();
    Some(Quota {
        cap: cap.per_day,
        makers: cap.vendors.iter().map(|v| v.maker().to_owned()).collect(),
        days,
    })
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
