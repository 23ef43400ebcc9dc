//! The engine's figures from issue 4, each beside its target:
//! - `gtcamp plan --refresh=false` of 10,000 campaigns and 1,000,000 phone bindings with
//!   state in sync: ≤ 2 s and ≤ 1 GiB peak RSS (a release subprocess, measured by `wait4`);
//! - refresh of 10,000 tasks at 50 ms latency, parallelism 32 and 128: within 1.3× of the
//!   round-trip limit (tasks × latency / parallelism);
//! - apply of 1,000 creates and 10,000 bindings at 50 ms latency, default parallelism, real
//!   state store: within 1.5× of the round-trip limit (calls × latency / parallelism).
//!
//! Prints a table; run with `cargo bench --bench engine`. A plain `harness = false` binary,
//! like `benches/client.rs`: each figure is one long run whose ratio to a limit matters.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use futures::StreamExt;
use gtcamp::apply::{ApplyOptions, apply};
use gtcamp::check::{CheckContext, Summary, check_workspace};
use gtcamp::compile::{CompileContext, Desired, Timing, WorkspaceDevices, compile};
use gtcamp::emulator::{self, EmulatorConfig, Latency, RunningEmulator, UserSeed};
use gtcamp::getui::PushApi;
use gtcamp::getui::api::{AppPush, Delivery, PushTime, TaskId};
use gtcamp::getui::template::{PushTemplate, TemplateKind};
use gtcamp::load::{Limits, load_workspace};
use gtcamp::model::Workspace;
use gtcamp::plan::{DiffContext, PlanMeta, RemoteView, diff, refresh};
use gtcamp::state::{RemoteStatus, State, StateStore, TrackedBinding, TrackedTask};
use gtcamp::target::{self, Connection};

const LATENCY: Duration = Duration::from_millis(50);
/// The instant the plan benchmark runs at (`GTCAMP_NOW`): Sat 28 Nov 2026, 08:00 Beijing.
const NOW: &str = "2026-11-28T00:00:00Z";
const CAMPAIGNS: usize = 10_000;
const BINDINGS: usize = 1_000_000;
/// Rows per phone CSV: a file must stay under the loader's 16 MiB limit.
const ROWS_PER_CSV: usize = 250_000;
const TEMPLATES: usize = 300;
const AUDIENCES: usize = 200;
const REFRESH_TASKS: usize = 10_000;
const APPLY_CREATES: usize = 1_000;
const APPLY_BINDINGS: usize = 10_000;
const LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// One line of the final table.
struct Row {
    figure: String,
    target: String,
    measured: String,
    ratio: Option<f64>,
    pass: bool,
}

fn main() {
    // `cargo test --benches` would run this binary too; only a real bench run measures.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    // `GTCAMP_BENCH_ONLY=plan|refresh|apply` runs one part (`GTCAMP_BENCH_KEEP=1` keeps the
    // plan's workspace, to profile `gtcamp plan` on it).
    let only = std::env::var("GTCAMP_BENCH_ONLY").ok();
    let runs = |part: &str| only.as_deref().is_none_or(|only| only == part);
    let mut rows = Vec::new();
    if runs("plan") {
        rows.extend(plan_rows(&runtime));
    }
    if runs("refresh") {
        rows.extend(runtime.block_on(refresh_rows()));
    }
    if runs("apply") {
        // `GTCAMP_BENCH_TMPFS=1` runs it on tmpfs, where fsync costs nothing: comparing the two
        // runs shows the journal's share.
        let disk = if std::env::var_os("GTCAMP_BENCH_TMPFS").is_some_and(|v| !v.is_empty()) {
            Disk::Memory
        } else {
            Disk::Real
        };
        rows.push(runtime.block_on(apply_row(disk)));
    }
    print_table(&rows);
}

fn print_table(rows: &[Row]) {
    println!(
        "\n{:<56} {:<18} {:<24} {:>7}  result",
        "figure", "target", "measured", "ratio"
    );
    for row in rows {
        let ratio = row.ratio.map_or("-".to_owned(), |r| format!("{r:.2}×"));
        let result = if row.pass { "pass" } else { "FAIL" };
        println!(
            "{:<56} {:<18} {:<24} {:>7}  {result}",
            row.figure, row.target, row.measured, ratio
        );
    }
}

// ---------------------------------------------------------------------------------------
// Plan with state in sync, --refresh=false.

fn fixed_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .expect("NOW is RFC 3339")
        .with_timezone(&Utc)
}

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

/// `gtcamp.yaml` with a real-Getui target: with `--refresh=false` nothing is sent to it,
/// and a plan pays for no in-process emulator holding a million devices.
fn settings_yaml() -> String {
    "kind: Workspace\nname: bench\napp_id: bench\ndefault_target: production\ntargets:\n  production:\n    type: getui\n    endpoint: http://127.0.0.1:9/apiex.htm\n    limits:\n      app_pushes_per_day: 100000000\n      app_pushes_per_minute: 100000000\ndefaults:\n  timezone: Asia/Shanghai\n  lead_time: 10m\n  horizon: 14d\n".to_owned()
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).expect("the workspace file is written");
}

/// Templates and audiences, each in one file of `---`-separated documents.
fn write_shared(dir: &Path) {
    let mut templates = String::new();
    for n in 0..TEMPLATES {
        let _ = write!(
            templates,
            "kind: Template\nname: t-{n:03}\ntype: notification\ntitle: Offer {n}\ntext: Offer number {n}, today only.\n---\n"
        );
    }
    write(dir, "templates.yaml", &templates);
    let mut audiences = String::new();
    for n in 0..AUDIENCES {
        let _ = write!(
            audiences,
            "kind: Audience\nname: a-{n:03}\ntags:\n  any: [segment-{n}]\n---\n"
        );
    }
    write(dir, "audiences.yaml", &audiences);
}

/// Campaign `n`: three in five are one-off `at`s inside the push-ahead window, the others
/// weekly crons (two occurrences in the 14-day horizon, one inside the 7-day window).
fn campaign_yaml(n: usize, now: DateTime<Utc>) -> String {
    let head = format!(
        "kind: Campaign\nname: c-{n:05}\ntemplate: t-{:03}\naudience: a-{:03}\nschedule:\n",
        n % TEMPLATES,
        n % AUDIENCES
    );
    let (minute, hour) = (n % 60, 9 + n % 12);
    let schedule = if n % 5 < 3 {
        let day = (now.with_timezone(&beijing()) + chrono::Duration::days(1 + (n % 6) as i64))
            .date_naive();
        format!("  at: {day}T{hour:02}:{minute:02}:00+08:00\n")
    } else {
        format!(
            "  cron: \"{minute} {hour} * * {}\"\n  timezone: Asia/Shanghai\n",
            n % 7
        )
    };
    head + &schedule
}

fn write_campaigns(dir: &Path, count: usize, now: DateTime<Utc>) {
    for (file, chunk) in (0..count).collect::<Vec<_>>().chunks(500).enumerate() {
        let docs: Vec<String> = chunk.iter().map(|n| campaign_yaml(*n, now)).collect();
        write(
            dir,
            &format!("campaigns-{file:02}.yaml"),
            &docs.join("---\n"),
        );
    }
}

fn cid(n: usize) -> String {
    format!("cid{n:08}")
}

/// `count` fake `cid,phone` rows in CSVs of at most [`ROWS_PER_CSV`], one `PhoneBindings` each.
fn write_bindings(dir: &Path, count: usize) {
    let mut documents = Vec::new();
    for (file, start) in (0..count).step_by(ROWS_PER_CSV).enumerate() {
        let mut csv = String::from("cid,phone\n");
        for n in start..count.min(start + ROWS_PER_CSV) {
            let _ = writeln!(csv, "{},13{:09}", cid(n), n);
        }
        write(dir, &format!("phones-{file}.csv"), &csv);
        documents.push(format!(
            "kind: PhoneBindings\nname: phones-{file}\nsource: phones-{file}.csv\n"
        ));
    }
    write(dir, "phones.yaml", &documents.join("---\n"));
}

/// Loads, checks and compiles `dir` as `gtcamp plan` would at `now`.
fn compile_at(dir: &Path, now: DateTime<Utc>) -> Desired {
    let workspace = load_workspace(dir, &Limits::default());
    let diagnostics = check_workspace(&workspace, &CheckContext { now });
    let summary = Summary::of(&diagnostics);
    if summary.errors > 0 {
        let first: Vec<&str> = diagnostics
            .iter()
            .take(5)
            .map(|d| d.message.as_str())
            .collect();
        panic!("the generated workspace has errors: {first:?}");
    }
    let context = CompileContext {
        now,
        max_push_ahead: chrono::Duration::days(7),
        list_push_grace: chrono::Duration::hours(1),
        protocol: gtcamp::model::Protocol::Legacy,
    };
    compile(&workspace, &context).expect("the generated workspace compiles")
}

/// The state an apply of `desired` would leave: one task per schedulable occurrence, every
/// binding. Written through the state store, as gtcamp writes it.
async fn write_state_in_sync(dir: &Path, desired: &Desired, now: DateTime<Utc>) {
    let store = StateStore::local(dir.join(".gtcamp/production/state.json"));
    let locked = store.lock(LOCK_TIMEOUT, "bench").expect("the state locks");
    let mut state: State = locked.state();
    for (n, occurrence) in desired.occurrences.values().enumerate() {
        if occurrence.timing != Timing::Schedulable {
            continue;
        }
        let task = TrackedTask {
            campaign: occurrence.campaign.clone(),
            task_id: format!("bench-task-{n}"),
            fingerprint: occurrence.fingerprint.clone(),
            push_time: occurrence.fire_at.with_timezone(&Utc),
            timezone: occurrence.fire_at.timezone().name().to_owned(),
            group: occurrence.group.as_str().to_owned(),
            created_at: now,
            last_status: RemoteStatus::Created,
            content: occurrence.content.clone(),
            sent: Some(occurrence.sent.clone()),
            class: Some(occurrence.class()),
        };
        state.tasks.insert(occurrence.key.clone(), task);
    }
    for (cid, hash) in &desired.bindings {
        state
            .bindings
            .insert(cid.clone(), TrackedBinding::new(hash.clone()));
    }
    locked.replace(state).await.expect("the state is saved");
}

/// One `gtcamp plan --refresh=false` run: wall time, peak RSS in bytes, exit code.
#[expect(
    clippy::zombie_processes,
    reason = "reaped by wait4, which also gives its peak RSS"
)]
fn timed_plan(dir: &Path) -> (Duration, u64, i32) {
    let out = std::fs::File::create(dir.join("plan.txt")).expect("the plan output file");
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_gtcamp"))
        .args(["plan", "--refresh=false", "--detailed-exitcode"])
        .arg(dir)
        .env("GTCAMP_NOW", NOW)
        .env("GETUI_APP_KEY", "bench-key")
        .env("GETUI_MASTER_SECRET", "bench-secret")
        .env("NO_COLOR", "1")
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("gtcamp starts");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for the child we spawned and reap here.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(reaped, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
    (wall, peak, code)
}

fn plan_rows(runtime: &tokio::runtime::Runtime) -> Vec<Row> {
    let now = fixed_now();
    let mut dir = tempfile::tempdir().expect("a temp folder");
    if std::env::var_os("GTCAMP_BENCH_KEEP").is_some() {
        dir.disable_cleanup(true);
        println!("workspace kept in {}", dir.path().display());
    }
    let started = Instant::now();
    write(dir.path(), "gtcamp.yaml", &settings_yaml());
    write_shared(dir.path());
    write_campaigns(dir.path(), CAMPAIGNS, now);
    write_bindings(dir.path(), BINDINGS);
    let desired = compile_at(dir.path(), now);
    runtime.block_on(write_state_in_sync(dir.path(), &desired, now));
    describe_workspace(&desired, started.elapsed());
    let mut runs: Vec<(Duration, u64)> = (0..3)
        .map(|_| {
            let (wall, peak, code) = timed_plan(dir.path());
            let tail = std::fs::read_to_string(dir.path().join("plan.txt")).unwrap_or_default();
            let last = tail
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            assert_eq!(
                code, 0,
                "the plan should report no changes; it ended: {last}"
            );
            println!(
                "plan run: {:.2} s, peak RSS {} MiB; last line: {last}",
                wall.as_secs_f64(),
                peak / (1024 * 1024)
            );
            (wall, peak)
        })
        .collect();
    runs.sort();
    let (min, median) = (runs[0].0, runs[1].0);
    let peak = runs.iter().map(|run| run.1).max().unwrap_or(0);
    let gib = 1024.0 * 1024.0 * 1024.0;
    vec![
        Row {
            figure: "plan --refresh=false, in sync (min/median)".into(),
            target: "≤ 2 s".into(),
            measured: format!("{:.2} s / {:.2} s", min.as_secs_f64(), median.as_secs_f64()),
            ratio: Some(median.as_secs_f64() / 2.0),
            pass: median <= Duration::from_secs(2),
        },
        Row {
            figure: "plan --refresh=false, peak RSS (max of 3)".into(),
            target: "≤ 1 GiB".into(),
            measured: format!("{} MiB", peak / (1024 * 1024)),
            ratio: Some(peak as f64 / gib),
            pass: peak as f64 <= gib,
        },
    ]
}

fn describe_workspace(desired: &Desired, took: Duration) {
    let schedulable = desired
        .occurrences
        .values()
        .filter(|o| o.timing == Timing::Schedulable)
        .count();
    let deferred = desired
        .occurrences
        .values()
        .filter(|o| o.timing == Timing::Deferred)
        .count();
    println!(
        "workspace: {} campaigns ({TEMPLATES} templates, {AUDIENCES} audiences), {} occurrences \
         ({schedulable} schedulable = tracked tasks, {deferred} deferred, {} other), {} bindings; \
         generated, compiled and state written in {:.1} s",
        desired.campaigns.len(),
        desired.occurrences.len(),
        desired.occurrences.len() - schedulable - deferred,
        desired.bindings.len(),
        took.as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------
// Refresh of 10,000 tasks.

async fn start_emulator(users: Vec<UserSeed>, latency: Duration) -> RunningEmulator {
    let config = EmulatorConfig {
        latency: Latency {
            fixed: latency,
            jitter: Duration::ZERO,
        },
        users,
        limits: gtcamp::getui::Limits::NONE,
        ..EmulatorConfig::default()
    };
    emulator::start(config, "127.0.0.1:0".parse().expect("loopback"))
        .await
        .expect("the emulator starts")
}

/// `emulator` as a real-Getui target, reached exactly as `gtcamp plan|apply --parallelism N`
/// reaches one: through `target::connect`, credentials from the (here simulated) environment.
async fn connect(emulator: &RunningEmulator, parallelism: usize) -> Connection {
    let defaults = EmulatorConfig::default();
    let yaml = format!(
        "kind: Workspace\nname: bench\napp_id: {}\ntargets:\n  bench:\n    type: getui\n    endpoint: {}\n    limits:\n      app_pushes_per_day: 100000000\n      app_pushes_per_minute: 100000000\n",
        defaults.app_id,
        emulator.base_url()
    );
    let settings: Workspace = serde_saphyr::from_str(&yaml).expect("the bench settings parse");
    let env = move |variable: &str| match variable {
        target::APP_KEY_VAR => Some(defaults.app_key.clone()),
        target::MASTER_SECRET_VAR => Some(defaults.master_secret.clone()),
        _ => None,
    };
    target::connect(
        Path::new("."),
        &settings,
        "bench",
        &env,
        WorkspaceDevices::default(),
        parallelism,
    )
    .await
    .expect("the bench target connects")
}

/// Tomorrow at `minute` past some hour, to the whole minute.
fn tomorrow_at(minute: usize) -> DateTime<Utc> {
    let base = Utc::now() + chrono::Duration::days(1);
    let base = base.date_naive().and_hms_opt(0, 0, 0).expect("midnight");
    base.and_utc() + chrono::Duration::minutes(minute as i64)
}

/// Creates `count` scheduled tasks (no latency yet) and the state tracking them.
async fn seed_tasks(emulator: &RunningEmulator, count: usize) -> State {
    let creator = connect(emulator, 64).await;
    let creator = creator.api.as_ref();
    let created: Vec<(usize, TaskId, DateTime<Utc>)> = futures::stream::iter(0..count)
        .map(|n| async move {
            let at = tomorrow_at(n % 1440);
            let push = AppPush {
                attempt: None,
                template: PushTemplate::new(TemplateKind::Transmission),
                conditions: Vec::new(),
                push_time: PushTime::at(&at).expect("a whole minute"),
                delivery: Delivery::default(),
                group: None,
            };
            let id = creator.create_scheduled_push(&push).await;
            (n, id.expect("the task is created"), at)
        })
        .buffer_unordered(64)
        .collect()
        .await;
    let mut state = State {
        format_version: gtcamp::state::FORMAT_VERSION,
        lineage: "bench".into(),
        serial: 1,
        target: None,
        app_id: None,
        tasks: Default::default(),
        bindings: Default::default(),
        fired: Default::default(),
        history: Vec::new(),
        pushes_made: None,
        renamed: Default::default(),
        protected: Default::default(),
    };
    for (n, id, at) in created {
        let key = gtcamp::compile::OccurrenceKey(format!("r-{n:05}@{}", at.to_rfc3339()));
        state.tasks.insert(key, tracked(id, at));
    }
    state
}

fn tracked(id: TaskId, at: DateTime<Utc>) -> TrackedTask {
    TrackedTask {
        campaign: "r".into(),
        task_id: id.as_str().to_owned(),
        fingerprint: gtcamp::compile::Fingerprint("bench".into()),
        push_time: at,
        timezone: "Asia/Shanghai".into(),
        group: "gc-bench".into(),
        created_at: Utc::now(),
        last_status: RemoteStatus::Created,
        content: Default::default(),
        sent: Some(Default::default()),
        class: None,
    }
}

/// Wall time of one refresh at `parallelism`; every task must come back in sync.
async fn timed_refresh(client: &dyn PushApi, state: &State, parallelism: usize) -> Duration {
    let warm_up = state
        .tasks
        .values()
        .next()
        .map(|t| TaskId(t.task_id.clone()));
    if let Some(id) = warm_up {
        client.scheduled_task(&id).await.expect("warm-up read");
    }
    let start = Instant::now();
    let answer = refresh(client, state, parallelism).await;
    let wall = start.elapsed();
    let in_sync = answer
        .tasks
        .values()
        .filter(|view| **view == RemoteView::InSync)
        .count();
    assert_eq!(in_sync, state.tasks.len(), "every task should be in sync");
    wall
}

async fn refresh_rows() -> Vec<Row> {
    let emulator = start_emulator(vec![UserSeed::new("cid-0")], Duration::ZERO).await;
    let state = seed_tasks(&emulator, REFRESH_TASKS).await;
    emulator.set_latency(Latency {
        fixed: LATENCY,
        jitter: Duration::ZERO,
    });
    let mut rows = Vec::new();
    for parallelism in [32, 128] {
        let connection = connect(&emulator, parallelism).await;
        let wall = timed_refresh(connection.api.as_ref(), &state, parallelism).await;
        rows.push(refresh_row(parallelism, wall));
    }
    emulator.shutdown().await;
    rows
}

fn refresh_row(parallelism: usize, wall: Duration) -> Row {
    let limit = LATENCY.as_secs_f64() * REFRESH_TASKS as f64 / parallelism as f64;
    let ratio = wall.as_secs_f64() / limit;
    Row {
        figure: format!("refresh 10k tasks at 50 ms, --parallelism {parallelism}"),
        target: format!("≤ 1.3 × {limit:.2} s"),
        measured: format!("{:.2} s", wall.as_secs_f64()),
        ratio: Some(ratio),
        pass: ratio <= 1.3,
    }
}

// ---------------------------------------------------------------------------------------
// Apply of 1,000 creates and 10,000 bindings.

/// A workspace of `APPLY_CREATES` one-offs tomorrow (real time) and `APPLY_BINDINGS` cids.
fn apply_workspace(dir: &Path) -> PathBuf {
    write(dir, "gtcamp.yaml", &settings_yaml());
    let mut docs = String::from(
        "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\n---\nkind: Audience\nname: a\ntags:\n  any: [vip]\n",
    );
    for n in 0..APPLY_CREATES {
        let at = tomorrow_at(n).with_timezone(&beijing());
        let _ = write!(
            docs,
            "---\nkind: Campaign\nname: c-{n:05}\ntemplate: t\naudience: a\nschedule:\n  at: {}\n",
            at.format("%Y-%m-%dT%H:%M:%S%:z")
        );
    }
    write(dir, "campaigns.yaml", &docs);
    write_bindings(dir, APPLY_BINDINGS);
    dir.join(".gtcamp/production/state.json")
}

/// Where the apply's workspace, state and journal live.
#[derive(Clone, Copy, PartialEq)]
enum Disk {
    /// The temp folder on this machine's disk.
    Real,
    /// `/dev/shm`, where fsync returns at once.
    Memory,
}

/// What the emulator received, by action, and over how long: the calls the limit counts.
fn describe_requests(emulator: &RunningEmulator) {
    let requests = emulator.recorded_requests();
    let mut by_action = std::collections::BTreeMap::<String, usize>::new();
    for request in &requests {
        let action = request.action.clone().unwrap_or_else(|| "(probe)".into());
        *by_action.entry(action).or_default() += 1;
    }
    let span = match (requests.first(), requests.last()) {
        (Some(first), Some(last)) => (last.at - first.at).num_milliseconds(),
        _ => 0,
    };
    println!(
        "  emulator received {} requests over {span} ms: {by_action:?}",
        requests.len()
    );
}

async fn apply_row(disk: Disk) -> Row {
    let dir = match disk {
        Disk::Real => tempfile::tempdir(),
        Disk::Memory => tempfile::tempdir_in("/dev/shm"),
    }
    .expect("a temp folder");
    let state_path = apply_workspace(dir.path());
    let now = Utc::now();
    let desired = compile_at(dir.path(), now);
    let users = (0..APPLY_BINDINGS).map(|n| UserSeed::new(cid(n))).collect();
    let emulator = start_emulator(users, LATENCY).await;
    let options = ApplyOptions::default();
    let connection = connect(&emulator, options.parallelism).await;
    let api: Arc<dyn PushApi> = Arc::clone(&connection.api);
    let locked = StateStore::local(state_path)
        .lock(LOCK_TIMEOUT, "bench")
        .expect("the state locks");
    let state = locked.state();
    let meta = PlanMeta {
        workspace: dir.path().to_path_buf(),
        target: "bench".into(),
        lineage: state.lineage.clone(),
        serial: state.serial,
        input_fingerprint: desired.input_fingerprint.clone(),
        earliest_push_time: None,
        created_at: now,
        refreshed: false,
        selection: None,
        allow_cancel: Vec::new(),
    };
    let context = DiffContext {
        now,
        meta,
        max_push_ahead: chrono::Duration::days(7),
    };
    let plan = diff(&desired, &state, None, context);
    let totals = plan.totals();
    let start = Instant::now();
    let report = apply(&plan, &desired, &locked, api, &options).await;
    locked.save().await.expect("the state is saved");
    let wall = start.elapsed();
    let after = locked.state();
    println!(
        "apply: plan {totals:?}; {} operations succeeded, {} failed, {} journal syncs; \
         state now tracks {} tasks and {} bindings",
        report.succeeded,
        report.failures.len(),
        locked.journal_syncs(),
        after.tasks.len(),
        after.bindings.len()
    );
    assert!(report.failures.is_empty(), "{:?}", report.failures.first());
    assert_eq!(after.tasks.len(), APPLY_CREATES, "every create is recorded");
    assert_eq!(
        after.bindings.len(),
        APPLY_BINDINGS,
        "every binding is recorded"
    );
    drop(locked);
    describe_requests(&emulator);
    emulator.shutdown().await;
    // Each create is two calls (getContentIdAction, pushMessageToAppAction); bindings 50 a call.
    let calls = APPLY_CREATES * 2 + APPLY_BINDINGS.div_ceil(50);
    let limit = calls as f64 * LATENCY.as_secs_f64() / options.parallelism as f64;
    let ratio = wall.as_secs_f64() / limit;
    Row {
        figure: format!(
            "apply 1k creates + 10k binds at 50 ms, --parallelism {}{}",
            options.parallelism,
            if disk == Disk::Memory { " (tmpfs)" } else { "" }
        ),
        target: format!("≤ 1.5 × {limit:.2} s"),
        measured: format!("{:.2} s ({calls} calls)", wall.as_secs_f64()),
        ratio: Some(ratio),
        pass: ratio <= 1.5,
    }
}
