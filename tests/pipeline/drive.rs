//! Runs a generated workspace through the whole pipeline, in-process, the way the commands
//! do: load → check → (validate's renderers) → lint → compile → plan without and with a
//! refresh against the embedded sandbox emulator → apply → plan again → every plan
//! renderer → saved plan round trip → calendar and its three renderers.
//!
//! Shared by the pipeline proptest and the `cargo fuzz` target (included by path). The
//! property is that nothing panics: every failure on the way must come back as diagnostics
//! or as a typed error, which is what [`Reached`] records.

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};

use gtcamp::apply::{ApplyOptions, apply};
use gtcamp::check::{CheckContext, Summary, check_workspace, render as check_render};
use gtcamp::load::{Limits, load_workspace};
use gtcamp::pipeline::{Request, RunError, Scope, make_plan, open_at};
use gtcamp::plan::Plan;
use gtcamp::plan::render::{self, ColorChoice};

/// Plans with more changes than this are not applied: `* * * * *` makes 10,000 tasks, each
/// a request and a state write, which costs minutes and finds nothing a smaller plan does not.
const MAX_APPLIED_CHANGES: usize = 200;

/// How far a workspace went: the last stage it reached, for the test's statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reached {
    /// `check` found errors (each a diagnostic).
    Invalid,
    /// Valid, but opening it for a plan failed with a typed error (compile, target, state).
    Refused,
    /// Planned, applied (unless too large) and planned again.
    Planned,
}

/// The instants the pipeline runs at: an ordinary day, a DST change in Europe, the clock
/// three years ahead (as `scripts/test-years-ahead` runs the suite) and the last minute of
/// year 9999, where any unchecked `now + duration` overflows.
pub fn nows() -> [DateTime<Utc>; 4] {
    let at = |y, mo, d, h, mi| Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single();
    [
        at(2026, 12, 6, 2, 0),
        at(2027, 3, 28, 0, 59),
        at(2029, 12, 6, 2, 0),
        at(9999, 12, 31, 23, 59),
    ]
    .map(|at| at.unwrap_or_default())
}

/// One case from raw bytes: the instant, the calendar's length and the workspace all come
/// from them; the workspace is written to a fresh temporary folder.
pub fn case(bytes: &[u8], runtime: &tokio::runtime::Runtime) -> Reached {
    let mut source = crate::generate::Bytes::new(bytes);
    let now = source.pick(&nows());
    let days = source.pick(&[0, 1, 7, 366, u32::MAX]);
    let files = crate::generate::workspace(&mut source);
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), &files).expect("the workspace is written");
    run(dir.path(), now, days, runtime)
}

/// Set by the hook [`watch_panics`] installs, whatever thread panicked.
static PANICKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records every panic, on any thread: tokio turns a panic in a spawned task (the sandbox
/// emulator's handlers, apply's operations) into an error the pipeline may well survive,
/// and the property is that nothing panics at all. (libFuzzer's own hook aborts on any.)
#[allow(dead_code)]
pub fn watch_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.store(true, std::sync::atomic::Ordering::SeqCst);
            previous(info);
        }));
    });
}

/// Whether anything panicked since the last call (or since [`watch_panics`]), clearing it.
#[allow(dead_code)]
pub fn panicked() -> bool {
    PANICKED.swap(false, std::sync::atomic::Ordering::SeqCst)
}

/// Writes `files` under `dir`, creating folders.
pub fn write(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

/// The whole pipeline over the workspace in `dir`, as of `now`. Panics only if gtcamp does.
pub fn run(
    dir: &Path,
    now: DateTime<Utc>,
    calendar_days: u32,
    runtime: &tokio::runtime::Runtime,
) -> Reached {
    let workspace = load_workspace(dir, &Limits::default());
    let diagnostics = check_workspace(&workspace, &CheckContext { now });
    let root = gtcamp::render::github::annotation_root(dir);
    std::hint::black_box((
        check_render::human(&diagnostics, &workspace, dir, false),
        check_render::human(&diagnostics, &workspace, dir, true),
        check_render::json(&diagnostics, dir),
        check_render::github(&diagnostics, dir, &root),
    ));
    if Summary::of(&diagnostics).errors > 0 {
        // Set to see why generated workspaces stop at check (tuning the generator).
        if std::env::var_os("PIPELINE_DEBUG").is_some() {
            let codes: Vec<_> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| (d.code, d.message.chars().take(120).collect::<String>()))
                .collect();
            eprintln!("invalid: {codes:?}");
        }
        return Reached::Invalid;
    }
    let findings: Vec<_> = gtcamp::lint::lint_checked(&workspace, now)
        .into_iter()
        .map(|finding| finding.diagnostic)
        .collect();
    std::hint::black_box(check_render::human(&findings, &workspace, dir, false));
    drop(workspace);
    calendar(dir, now, calendar_days);
    runtime.block_on(plan_and_apply(dir, now))
}

fn calendar(dir: &Path, now: DateTime<Utc>, days: u32) {
    if let Ok(calendar) = gtcamp::pipeline::calendar(dir, now, days) {
        std::hint::black_box((
            gtcamp::calendar::render::text::render(&calendar),
            gtcamp::calendar::render::markdown::render(&calendar),
            gtcamp::calendar::render::html::render(&calendar),
        ));
    }
}

async fn plan_and_apply(dir: &Path, now: DateTime<Utc>) -> Reached {
    let request = Request {
        dir: dir.to_path_buf(),
        // Never the workspace's default: a `getui` target would reach for the network.
        target: Some("sandbox".to_owned()),
        lock_timeout: std::time::Duration::from_secs(5),
        parallelism: 4,
        purpose: "pipeline fuzz",
    };
    let mut err = Vec::new();
    let session = match open_at(&request, now, &mut err).await {
        Ok(session) => session,
        Err(error) => {
            refused(&error, dir);
            return Reached::Refused;
        }
    };
    let whole = Scope::default();
    let planned = match make_plan(&session, false, 4, &whole).await {
        Ok(offline) => {
            render_all(&offline, dir);
            make_plan(&session, true, 4, &whole).await
        }
        Err(error) => Err(error),
    };
    let plan = match planned {
        Ok(plan) => plan,
        Err(error) => {
            refused(&error, dir);
            session.connection.close().await;
            return Reached::Refused;
        }
    };
    render_all(&plan, dir);
    saved_round_trip(&plan, dir);
    let _ = gtcamp::pipeline::check_saved(&session, &plan);
    if plan.changes.len() > MAX_APPLIED_CHANGES {
        session.connection.close().await;
        return Reached::Planned;
    }
    let options = ApplyOptions {
        parallelism: 4,
        ..ApplyOptions::default()
    };
    let api = session.connection.api.clone();
    let report = apply(&plan, &session.desired, &session.locked, api, &options).await;
    std::hint::black_box(report.failures.iter().map(ToString::to_string).count());
    if let Ok(again) = make_plan(&session, true, 4, &whole).await {
        render_all(&again, dir);
    }
    session.connection.close().await;
    Reached::Planned
}

/// A typed error is a fine outcome; showing it must not panic either, nor drawing the
/// diagnostics of a workspace a lint refused.
fn refused(error: &RunError, dir: &Path) {
    if let RunError::Invalid(invalid) = error {
        let (diagnostics, workspace) = (&invalid.diagnostics, &invalid.workspace);
        std::hint::black_box(check_render::human(diagnostics, workspace, dir, false));
    }
    std::hint::black_box(error.to_string());
}

fn render_all(plan: &Plan, dir: &Path) {
    let root = gtcamp::render::github::annotation_root(dir);
    std::hint::black_box((
        render::text::render(plan, ColorChoice::Never),
        render::text::render(plan, ColorChoice::Always),
        render::json::render(plan),
        render::markdown::render(plan),
        render::markdown::render_within(plan, 2_000),
        render::github::annotations(plan, dir, &root, render::github::Annotate::All),
        render::github::step_summary(plan, 0),
        render::github::step_summary(plan, usize::MAX),
    ));
}

fn saved_round_trip(plan: &Plan, dir: &Path) {
    let path = dir.join(".gtcamp").join("fuzz-plan.json");
    if gtcamp::plan::saved::write(plan, &path).is_ok() {
        let _ = gtcamp::plan::saved::read(&path);
    }
}
