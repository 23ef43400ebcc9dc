//! How instants, counts and paths read: every instant with its zone, and in Beijing time
//! (Getui's console's clock) when that reads differently; counts with thousands
//! separators; paths relative to where the reader stands.

use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// An instant as people read it: `2026-12-01 10:00 Europe/Berlin (17:00 Beijing)`.
pub fn instant(at: DateTime<Utc>, zone: &str) -> String {
    let Ok(tz) = zone.parse::<Tz>() else {
        return format!("{} UTC", at.format("%Y-%m-%d %H:%M"));
    };
    let local = at.with_timezone(&tz).naive_local();
    let shown = format!("{} {zone}", local.format("%Y-%m-%d %H:%M"));
    match beijing_note(at, local, "%Y-%m-%d %H:%M") {
        Some(note) => format!("{shown} {note}"),
        None => shown,
    }
}

/// `(03:00 Beijing)` for an instant shown as `local` elsewhere, with the Beijing date in
/// `other_day_format` when it falls on another day; `None` when `local` already reads as
/// Beijing time.
pub fn beijing_note(
    at: DateTime<Utc>,
    local: NaiveDateTime,
    other_day_format: &str,
) -> Option<String> {
    let beijing = beijing(at);
    if beijing == local {
        None
    } else if beijing.date() == local.date() {
        Some(format!("({} Beijing)", beijing.format("%H:%M")))
    } else {
        Some(format!("({} Beijing)", beijing.format(other_day_format)))
    }
}

/// An instant as Beijing reads it, for the Getui console's clock.
pub fn beijing(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&chrono_tz::Asia::Shanghai).naive_local()
}

/// `12,345`: counts read at a glance.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 change`, `2 changes`, `12,345 changes`: a count with its noun, singular for one.
/// Every count printed next to a noun goes through here, so that no output says
/// "1 changes applied" (issue 29).
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(u64::try_from(n).unwrap_or(u64::MAX)),
        noun(n, one, many)
    )
}

/// `one` for 1, else `many`: for a count whose words stand apart (`… and 3 more warnings`).
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `path` as the user should read it: relative to `cwd` when it is below it, with `/`. A
/// relative path that climbs out and back in, as the files of a workspace found above the
/// current folder do (`../../campaigns/a.yaml` from `campaigns/drafts`), takes the shortest
/// way (`../a.yaml`), as git shows it.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let relative: PathBuf = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let relative = shortest(&relative, cwd).unwrap_or(relative);
    let text = relative.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}

/// `relative` (from `cwd`, climbing with `..`) by its shortest way from `cwd`; `None` when
/// it does not climb or climbs above the root.
fn shortest(relative: &Path, cwd: &Path) -> Option<PathBuf> {
    if !relative.starts_with("..") || !cwd.is_absolute() {
        return None;
    }
    let mut target: Vec<Component> = cwd.components().collect();
    for component in relative.components() {
        match component {
            Component::ParentDir if target.len() > 1 => {
                target.pop();
            }
            Component::ParentDir => return None,
            Component::CurDir => {}
            other => target.push(other),
        }
    }
    let here: Vec<Component> = cwd.components().collect();
    let common = here.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let up = std::iter::repeat_n(Component::ParentDir, here.len() - common);
    Some(up.chain(target[common..].iter().copied()).collect())
}
