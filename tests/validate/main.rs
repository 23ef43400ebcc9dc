//! `gtcamp validate`: the loader, every check and the command's output formats.
//!
//! Rule tests call the library with a fixed clock (so "in the past" does not drift) and
//! assert the code and `line:col` a user would see; CLI tests run the binary and assert
//! its streams and exit codes.

mod catalogue; // every code: its example, `gtcamp explain`, the reference page
mod cli; // exit codes, the three formats, paths, colour, the example workspace
mod hostile; // oversized, non-UTF-8, deeply nested and alias-bomb files
mod lints; // campaign lints: codes, positions, levels, their settings
mod load; // syntax, unknown fields, kinds, multi-document files, discovery
mod rules_audience; // audiences and personal data
mod rules_lifecycle; // `Moved` and `Removed`: renames, chains, circles, claims
mod rules_names; // names, duplicates, references, the Workspace document
mod rules_ranges; // durations and instants gtcamp can compute with
mod rules_schedule; // schedules, offline keep, delivery, workspace settings
mod rules_template; // template lengths, URLs, types, APNs, display window, SMS
mod rules_v2; // what REST API V2 targets cannot do, per target scope
mod rules_vendors; // message class, vendor notifications, what legacy cannot carry

use std::path::Path;

use chrono::{TimeZone, Utc};
use gtcamp::check::{CheckContext, Diagnostic, check_workspace};
use gtcamp::load::{Limits, load_workspace};
use tempfile::TempDir;

/// The settings document most tests start from.
pub const WORKSPACE: &str = "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
sms_templates:
  \"100\": 您的订单${order}已发货
";

/// [`WORKSPACE`] saying its templates' message class, for tests of the command's output
/// that expect no GC090.
pub fn classified() -> String {
    format!("{WORKSPACE}defaults:\n  class: marketing\n")
}

/// A campaign that passes every rule, with its template and audience written inline.
pub const CLEAN_CAMPAIGN: &str = "kind: Campaign
name: c
template:
  type: notification
  title: Hi
  text: Hello
audience:
  all_users: true
schedule:
  at: 2026-12-01T10:00:00+08:00
";

/// A diagnostic reduced to what tests compare: code, file (relative), line, column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub code: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

/// A workspace in a temporary folder.
pub fn workspace(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        write(dir.path(), name, text.as_bytes());
    }
    dir
}

pub fn write(root: &Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, bytes).expect("write file");
}

/// The instant tests treat as now: 2026-06-01T00:00Z.
pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
        .single()
        .expect("valid instant")
}

/// Every diagnostic for `files`, checked at [`now`], but GC090: most fixtures predate
/// message classes, and that once-per-workspace nudge is `rules_vendors`' to test.
pub fn check(files: &[(&str, &str)]) -> Vec<Found> {
    let dir = workspace(files);
    check_dir(dir.path())
}

/// [`check`] of a workspace already on disk.
pub fn check_dir(root: &Path) -> Vec<Found> {
    check_all_dir(root)
        .into_iter()
        .filter(|f| f.code != "GC090")
        .collect()
}

/// Every diagnostic for `files`, GC090 included.
pub fn check_all(files: &[(&str, &str)]) -> Vec<Found> {
    let dir = workspace(files);
    check_all_dir(dir.path())
}

fn check_all_dir(root: &Path) -> Vec<Found> {
    let loaded = load_workspace(root, &Limits::default());
    let diagnostics = check_workspace(&loaded, &CheckContext { now: now() });
    diagnostics.iter().map(|d| found(root, d)).collect()
}

fn found(root: &Path, d: &Diagnostic) -> Found {
    let (file, line, column) = match &d.location {
        Some(l) => (
            l.file
                .strip_prefix(root)
                .unwrap_or(&l.file)
                .to_string_lossy()
                .into_owned(),
            l.span.line,
            l.span.column,
        ),
        None => (String::new(), 0, 0),
    };
    Found {
        code: d.code.to_owned(),
        file,
        line,
        column,
        message: d.message.clone(),
        help: d.help.clone().unwrap_or_default(),
    }
}

/// Asserts that `found` holds exactly one diagnostic, with this code and place; returns it.
#[track_caller]
pub fn assert_only(found: &[Found], code: &str, file: &str, line: usize, column: usize) -> Found {
    let places: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}:{} {}",
                f.code, f.file, f.line, f.column, f.message
            )
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected only {code} at {file}:{line}:{column}, got:\n{}",
        places.join("\n")
    );
    let only = found[0].clone();
    assert_eq!(
        (
            only.code.as_str(),
            only.file.as_str(),
            only.line,
            only.column
        ),
        (code, file, line, column),
        "got:\n{}",
        places.join("\n")
    );
    only
}

/// Asserts that `found` holds this code at this place (among others); returns it.
#[track_caller]
pub fn assert_has(found: &[Found], code: &str, file: &str, line: usize, column: usize) -> Found {
    let hit = found
        .iter()
        .find(|f| f.code == code && f.file == file && f.line == line && f.column == column);
    match hit {
        Some(hit) => hit.clone(),
        None => panic!(
            "expected {code} at {file}:{line}:{column}, got:\n{}",
            found
                .iter()
                .map(|f| format!(
                    "{} {}:{}:{} {}",
                    f.code, f.file, f.line, f.column, f.message
                ))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[track_caller]
pub fn assert_clean(found: &[Found]) {
    assert!(
        found.is_empty(),
        "expected no diagnostics, got:\n{}",
        found
            .iter()
            .map(|f| format!(
                "{} {}:{}:{} {}",
                f.code, f.file, f.line, f.column, f.message
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A workspace of the standard settings, a template file `t.yaml` (`kind` and `name: t`
/// on lines 1-2, `body` from line 3) and a campaign sending it to everyone.
pub fn template_case(body: &str) -> Vec<Found> {
    let template = format!("kind: Template\nname: t\n{body}");
    check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("t.yaml", &template),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace(
                "template:\n  type: notification\n  title: Hi\n  text: Hello\n",
                "template: t\n",
            ),
        ),
    ])
}

/// Like [`template_case`] for an audience file `a.yaml` (`name: a`, body from line 3).
pub fn audience_case(body: &str) -> Vec<Found> {
    let audience = format!("kind: Audience\nname: a\n{body}");
    check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("a.yaml", &audience),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("audience:\n  all_users: true\n", "audience: a\n"),
        ),
    ])
}

/// A campaign file `c.yaml`: `kind`, `name: c` and the inline notification template and
/// all-users audience on lines 1-8, then `body` from line 9 (give `schedule` there).
pub fn campaign_case(body: &str) -> Vec<Found> {
    let campaign = format!(
        "kind: Campaign\nname: c\ntemplate:\n  type: notification\n  title: Hi\n  text: Hello\naudience:\n  all_users: true\n{body}"
    );
    check(&[("gtcamp.yaml", WORKSPACE), ("c.yaml", &campaign)])
}

/// A workspace file `gtcamp.yaml` (`kind`, `name`, `app_id` on lines 1-3, `body` from
/// line 4) beside the clean campaign.
pub fn settings_case(body: &str) -> Vec<Found> {
    let settings = format!("kind: Workspace\nname: demo\napp_id: demo\n{body}");
    check(&[("gtcamp.yaml", &settings), ("c.yaml", CLEAN_CAMPAIGN)])
}
