//! Saved plans: `plan -o FILE` writes one, `apply FILE` reads it and refuses it when stale.
//!
//! A saved plan is only a promise about the inputs and the state it was made from; apply
//! takes each request from a fresh compile, so the plan must be refused the moment either
//! moved, or when time made one of its creates impossible (inside the lead time) or one of its
//! fires late.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};

use super::{Action, FORMAT_VERSION, Plan};
use crate::compile::{Desired, OccurrenceKey, Timing};
use crate::state::State;

/// Why a saved plan can no longer be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Stale {
    #[error(
        "the state changed since the plan was made (planned against {planned_lineage} serial {planned_serial}, now {lineage} serial {serial}); run `gtcamp plan` again"
    )]
    StateChanged {
        planned_lineage: String,
        planned_serial: u64,
        lineage: String,
        serial: u64,
    },
    #[error(
        "the workspace changed since the plan was made (campaigns, templates, audiences or CSV files); run `gtcamp plan` again"
    )]
    InputsChanged,
    #[error(
        "`{key}` is due at {push_time} (UTC), now inside the lead time: it can no longer be created; run `gtcamp plan` again"
    )]
    InsideLeadTime {
        key: OccurrenceKey,
        push_time: DateTime<Utc>,
    },
    #[error(
        "the list push `{key}` is no longer due to fire (its grace window passed or its time moved); run `gtcamp plan` again"
    )]
    NoLongerDue { key: OccurrenceKey },
}

/// Whether `plan` may still be applied to `state` with `desired` (a fresh compile) at `now`.
pub fn check_fresh(
    plan: &Plan,
    state: &State,
    desired: &Desired,
    now: DateTime<Utc>,
    lead_time: Duration,
) -> Result<(), Stale> {
    let meta = &plan.meta;
    if meta.lineage != state.lineage || meta.serial != state.serial {
        return Err(Stale::StateChanged {
            planned_lineage: meta.lineage.clone(),
            planned_serial: meta.serial,
            lineage: state.lineage.clone(),
            serial: state.serial,
        });
    }
    if meta.input_fingerprint != desired.input_fingerprint {
        return Err(Stale::InputsChanged);
    }
    // Past the end of time, every push is inside the lead time: refused, never sent late.
    let too_close = now
        .checked_add_signed(lead_time)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    for change in &plan.changes {
        let Some(after) = &change.after else { continue };
        match change.action {
            Action::Create | Action::DeleteThenCreate if after.push_time < too_close => {
                return Err(Stale::InsideLeadTime {
                    key: change.key.clone(),
                    push_time: after.push_time,
                });
            }
            Action::Fire
                if desired.occurrences.get(&change.key).map(|o| o.timing) != Some(Timing::Due) =>
            {
                return Err(Stale::NoLongerDue {
                    key: change.key.clone(),
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Why a plan file could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    #[error("could not {action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not a gtcamp plan file: {reason}")]
    NotAPlan { path: PathBuf, reason: String },
    #[error(
        "`{path}` was written by a newer gtcamp (plan format {found}; this gtcamp reads {supported}); apply it with that version or run `gtcamp plan` again"
    )]
    TooNew {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
}

/// Writes `plan` to `path` atomically: a reader sees the old file or the whole new one.
pub fn write(plan: &Plan, path: &Path) -> Result<(), PlanFileError> {
    let io = |action: &'static str, at: &Path| {
        let at = at.to_path_buf();
        move |source| PlanFileError::Io {
            action,
            path: at,
            source,
        }
    };
    let mut text = serde_json::to_string_pretty(plan).map_err(|error| PlanFileError::NotAPlan {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })?;
    text.push('\n');
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = File::create(&temp).map_err(io("create", &temp))?;
    file.write_all(text.as_bytes())
        .map_err(io("write", &temp))?;
    file.sync_all().map_err(io("flush", &temp))?;
    drop(file);
    std::fs::rename(&temp, path).map_err(io("replace", path))?;
    // The rename is durable only once the folder is flushed; not every platform allows it.
    if let Ok(folder) = File::open(&dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Reads a plan file, refusing one from a newer format before reading the rest of it.
pub fn read(path: &Path) -> Result<Plan, PlanFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| PlanFileError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let not_a_plan = |reason: String| PlanFileError::NotAPlan {
        path: path.to_path_buf(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| not_a_plan(error.to_string()))?;
    let found = value
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| not_a_plan("it has no `format_version`".to_owned()))?;
    if found > u64::from(FORMAT_VERSION) {
        return Err(PlanFileError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: FORMAT_VERSION,
        });
    }
    serde_json::from_value(value).map_err(|error| not_a_plan(error.to_string()))
}
