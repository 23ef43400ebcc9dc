//! The sandbox at real scale (issue 13), each figure a ratio measured in this one run:
//! - `gtcamp apply` of 10,000 campaigns + 1,000,000 bindings on the `sandbox` target vs the
//!   same apply against an external in-memory `gtcamp emulator` at 0 latency: ≤ 1.5×;
//! - `gtcamp plan` on the sandbox of that workspace, fresh (the sandbox is created: a
//!   million workspace devices and the synthetic population) and in sync after the apply:
//!   ≤ 2 s and ≤ 1 GiB peak RSS (release subprocesses, measured by `wait4`);
//! - emulator `getScheduleTaskAction` throughput with the store on disk vs in memory.
//!
//! Prints a table; run with `cargo bench --bench sandbox` (`GTCAMP_BENCH_ONLY=apply|read`
//! runs one part). A plain `harness = false` binary, like `benches/engine.rs`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Timelike, Utc};
use futures::StreamExt;
use gtcamp::compile::WorkspaceDevices;
use gtcamp::emulator::{self, EmulatorConfig, RunningEmulator, UserSeed};
use gtcamp::getui::PushApi;
use gtcamp::getui::api::{AppPush, Delivery, PushTime, TaskId};
use gtcamp::getui::template::{PushTemplate, TemplateKind};
use gtcamp::model::Workspace;
use gtcamp::target::{self, Connection};

const CAMPAIGNS: usize = 10_000;
const BINDINGS: usize = 1_000_000;
const ROWS_PER_CSV: usize = 250_000;
const TEMPLATES: usize = 300;
const AUDIENCES: usize = 200;
const APP_KEY: &str = "bench-key";
const SECRET: &str = "bench-secret";
const READ_TASKS: usize = 2_000;
const READS: usize = 40_000;
const READ_PARALLELISM: usize = 64;

struct Row {
    figure: String,
    target: String,
    measured: String,
    ratio: Option<f64>,
    pass: Option<bool>,
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let only = std::env::var("GTCAMP_BENCH_ONLY").ok();
    let runs = |part: &str| only.as_deref().is_none_or(|only| only == part);
    let mut rows = Vec::new();
    if runs("read") {
        rows.extend(runtime.block_on(read_rows()));
    }
    if runs("apply") {
        rows.extend(apply_and_plan_rows());
    }
    print_table(&rows);
}

fn print_table(rows: &[Row]) {
    println!(
        "\n{:<60} {:<12} {:<34} {:>7}  result",
        "figure", "target", "measured", "ratio"
    );
    for row in rows {
        let ratio = row.ratio.map_or("-".to_owned(), |r| format!("{r:.2}×"));
        let result = match row.pass {
            Some(true) => "pass",
            Some(false) => "FAIL",
            None => "-",
        };
        println!(
            "{:<60} {:<12} {:<34} {:>7}  {result}",
            row.figure, row.target, row.measured, ratio
        );
    }
}

// ---------------------------------------------------------------------------------------
// The workspace: 10,000 campaigns (300 templates, 200 tag audiences), 1,000,000 bindings.

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).expect("the workspace file is written");
}

fn write_workspace(dir: &Path, settings: &str, now: DateTime<Utc>) {
    std::fs::create_dir_all(dir).expect("the workspace folder");
    write(dir, "gtcamp.yaml", settings);
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
    let numbers: Vec<usize> = (0..CAMPAIGNS).collect();
    for (file, chunk) in numbers.chunks(500).enumerate() {
        let docs: Vec<String> = chunk.iter().map(|n| campaign_yaml(*n, now)).collect();
        write(
            dir,
            &format!("campaigns-{file:02}.yaml"),
            &docs.join("---\n"),
        );
    }
    let mut documents = Vec::new();
    for (file, start) in (0..BINDINGS).step_by(ROWS_PER_CSV).enumerate() {
        let mut csv = String::from("cid,phone\n");
        for n in start..BINDINGS.min(start + ROWS_PER_CSV) {
            let _ = writeln!(csv, "{},13{:09}", cid(n), n);
        }
        write(dir, &format!("phones-{file}.csv"), &csv);
        documents.push(format!(
            "kind: PhoneBindings\nname: phones-{file}\nsource: phones-{file}.csv\n"
        ));
    }
    write(dir, "phones.yaml", &documents.join("---\n"));
}

/// One-off campaigns 1 to 6 days ahead, inside Getui's 7-day window: each is one create.
fn campaign_yaml(n: usize, now: DateTime<Utc>) -> String {
    let (minute, hour) = (n % 60, 9 + n % 12);
    let day =
        (now.with_timezone(&beijing()) + chrono::Duration::days(1 + (n % 6) as i64)).date_naive();
    format!(
        "kind: Campaign\nname: c-{n:05}\ntemplate: t-{:03}\naudience: a-{:03}\nschedule:\n  at: {day}T{hour:02}:{minute:02}:00+08:00\n",
        n % TEMPLATES,
        n % AUDIENCES
    )
}

fn cid(n: usize) -> String {
    format!("cid{n:08}")
}

// ---------------------------------------------------------------------------------------
// Apply on the sandbox vs on an external emulator; plan on the sandbox.

/// One gtcamp run in `dir`: wall time, peak RSS in bytes, exit code.
#[expect(
    clippy::zombie_processes,
    reason = "reaped by wait4, which also gives its peak RSS"
)]
fn timed_gtcamp(dir: &Path, now: &str, args: &[&str]) -> (Duration, u64, i32) {
    let out = std::fs::File::create(dir.join("out.txt")).expect("the output file");
    let err = std::fs::File::create(dir.join("err.txt")).expect("the error file");
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_gtcamp"))
        .args(args)
        .current_dir(dir)
        .env("GTCAMP_NOW", now)
        .env("GETUI_APP_KEY", APP_KEY)
        .env("GETUI_MASTER_SECRET", SECRET)
        .env("NO_COLOR", "1")
        .stdout(out)
        .stderr(err)
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

fn last_lines(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("err.txt")).unwrap_or_default()
        + &std::fs::read_to_string(dir.join("out.txt")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(8)..].join("\n")
}

/// `gtcamp emulator` in memory at 0 latency, holding the workspace's million devices.
fn external_emulator(dir: &Path) -> (Child, String) {
    let users = dir.join("users.json");
    {
        let file = std::fs::File::create(&users).expect("the users file");
        let mut out = std::io::BufWriter::new(file);
        let _ = write!(out, "{{\"users\":[");
        for n in 0..BINDINGS {
            let comma = if n == 0 { "" } else { "," };
            let _ = write!(out, "{comma}{{\"cid\":\"{}\"}}", cid(n));
        }
        let _ = write!(out, "]}}");
        out.flush().expect("the users file is written");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_gtcamp"))
        .args(["emulator", "--listen", "127.0.0.1:0", "--app-id", "bench"])
        .args(["--app-key", APP_KEY, "--users"])
        .arg(&users)
        .env("GETUI_MASTER_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gtcamp emulator starts");
    let mut url = String::new();
    let stdout = child.stdout.take().expect("piped stdout");
    BufReader::new(stdout)
        .read_line(&mut url)
        .expect("the emulator prints its URL");
    (child, url.trim().to_owned())
}

fn apply_and_plan_rows() -> Vec<Row> {
    // The external emulator runs on the system clock: gtcamp's clock must agree with it.
    let now = Utc::now().with_second(0).and_then(|t| t.with_nanosecond(0));
    let now = now.expect("a whole minute");
    let now_text = now.to_rfc3339();
    let root = tempfile::tempdir().expect("a temp folder");
    let sandbox = root.path().join("sandbox");
    let external = root.path().join("external");
    let started = Instant::now();
    let (mut emulator, url) = external_emulator(root.path());
    write_workspace(
        &sandbox,
        "kind: Workspace\nname: bench\napp_id: bench\ndefault_target: sandbox\ntargets:\n  sandbox:\n    type: sandbox\ndefaults:\n  timezone: Asia/Shanghai\n",
        now,
    );
    write_workspace(
        &external,
        &format!(
            "kind: Workspace\nname: bench\napp_id: bench\ndefault_target: ext\ntargets:\n  ext:\n    type: getui\n    endpoint: {url}\n    limits:\n      app_pushes_per_day: 100000000\n      app_pushes_per_minute: 100000000\ndefaults:\n  timezone: Asia/Shanghai\n"
        ),
        now,
    );
    println!(
        "workspaces written and external emulator started in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let gib = 1024.0 * 1024.0 * 1024.0;
    let mut rows = Vec::new();

    // A fresh plan creates the sandbox. (`GTCAMP_BENCH_FRESH_RUNS` repeats it, deleting the
    // sandbox before each run.)
    let fresh_runs: usize = std::env::var("GTCAMP_BENCH_FRESH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let mut fresh = Vec::new();
    for _ in 0..fresh_runs {
        let _ = std::fs::remove_dir_all(sandbox.join(".gtcamp"));
        let (wall, peak, code) =
            timed_gtcamp(&sandbox, &now_text, &["plan", "--detailed-exitcode"]);
        assert_eq!(
            code,
            2,
            "a fresh plan has changes: {}",
            last_lines(&sandbox)
        );
        println!(
            "fresh sandbox plan: {:.2} s, peak RSS {} MiB",
            wall.as_secs_f64(),
            peak / (1024 * 1024)
        );
        fresh.push((wall, peak));
    }
    rows.extend(plan_figures("sandbox plan, fresh", &fresh, gib));
    let population = std::fs::read_to_string(sandbox.join("err.txt")).unwrap_or_default();
    if let Some(line) = population
        .lines()
        .find(|l| l.contains("sandbox population"))
    {
        println!("{line}");
    }

    let (external_wall, _, code) = timed_gtcamp(&external, &now_text, &["apply", "--auto-approve"]);
    assert_eq!(code, 0, "external apply: {}", last_lines(&external));
    println!("external apply: {:.1} s", external_wall.as_secs_f64());
    let (sandbox_wall, sandbox_peak, code) =
        timed_gtcamp(&sandbox, &now_text, &["apply", "--auto-approve"]);
    assert_eq!(code, 0, "sandbox apply: {}", last_lines(&sandbox));
    println!(
        "sandbox apply: {:.1} s, peak RSS {} MiB",
        sandbox_wall.as_secs_f64(),
        sandbox_peak / (1024 * 1024)
    );
    let ratio = sandbox_wall.as_secs_f64() / external_wall.as_secs_f64();
    rows.push(Row {
        figure: "apply 10k campaigns + 1M bindings: sandbox / external".into(),
        target: "≤ 1.5×".into(),
        measured: format!(
            "{:.1} s / {:.1} s",
            sandbox_wall.as_secs_f64(),
            external_wall.as_secs_f64()
        ),
        ratio: Some(ratio),
        pass: Some(ratio <= 1.5),
    });
    let _ = emulator.kill();
    let _ = emulator.wait();

    let mut in_sync = Vec::new();
    for _ in 0..3 {
        let (wall, peak, code) =
            timed_gtcamp(&sandbox, &now_text, &["plan", "--detailed-exitcode"]);
        assert_eq!(
            code,
            0,
            "the plan after apply is in sync: {}",
            last_lines(&sandbox)
        );
        println!(
            "in-sync sandbox plan: {:.2} s, peak RSS {} MiB",
            wall.as_secs_f64(),
            peak / (1024 * 1024)
        );
        in_sync.push((wall, peak));
    }
    rows.extend(plan_figures(
        "sandbox plan, in sync (median of 3)",
        &in_sync,
        gib,
    ));
    rows
}

fn plan_figures(name: &str, runs: &[(Duration, u64)], gib: f64) -> Vec<Row> {
    let mut walls: Vec<Duration> = runs.iter().map(|r| r.0).collect();
    walls.sort();
    let wall = if runs.len() >= 3 { walls[1] } else { walls[0] };
    let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
    vec![
        Row {
            figure: format!("{name}: wall"),
            target: "≤ 2 s".into(),
            measured: format!("{:.2} s", wall.as_secs_f64()),
            ratio: Some(wall.as_secs_f64() / 2.0),
            pass: Some(wall <= Duration::from_secs(2)),
        },
        Row {
            figure: format!("{name}: peak RSS (max)"),
            target: "≤ 1 GiB".into(),
            measured: format!("{} MiB", peak / (1024 * 1024)),
            ratio: Some(peak as f64 / gib),
            pass: Some(peak as f64 <= gib),
        },
    ]
}

// ---------------------------------------------------------------------------------------
// getScheduleTaskAction throughput, store on disk vs in memory.

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

/// Requests per second of `READS` task reads, `READ_PARALLELISM` in flight.
async fn read_throughput(data_dir: Option<&Path>) -> f64 {
    let config = EmulatorConfig {
        users: vec![UserSeed::new("cid-0")],
        data_dir: data_dir.map(Path::to_owned),
        limits: gtcamp::getui::Limits::NONE,
        ..EmulatorConfig::default()
    };
    let emulator = emulator::start(config, "127.0.0.1:0".parse().expect("loopback"))
        .await
        .expect("the emulator starts");
    let connection = connect(&emulator, READ_PARALLELISM).await;
    let api: &dyn PushApi = connection.api.as_ref();
    let tomorrow = (Utc::now() + chrono::Duration::days(1))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc();
    let ids: Vec<TaskId> = futures::stream::iter(0..READ_TASKS)
        .map(|n| async move {
            let push = AppPush {
                attempt: None,
                template: PushTemplate::new(TemplateKind::Transmission),
                conditions: Vec::new(),
                push_time: PushTime::at(&(tomorrow + chrono::Duration::minutes(n as i64 % 1440)))
                    .expect("a whole minute"),
                delivery: Delivery::default(),
                group: None,
            };
            api.create_scheduled_push(&push)
                .await
                .expect("the task is created")
        })
        .buffer_unordered(READ_PARALLELISM)
        .collect()
        .await;
    let start = Instant::now();
    let read = futures::stream::iter(0..READS)
        .map(|n| {
            let id = &ids[n % ids.len()];
            async move { api.scheduled_task(id).await.expect("the task reads") }
        })
        .buffer_unordered(READ_PARALLELISM)
        .count()
        .await;
    let rate = read as f64 / start.elapsed().as_secs_f64();
    connection.close().await;
    emulator.shutdown().await;
    rate
}

async fn read_rows() -> Vec<Row> {
    let dir = tempfile::tempdir().expect("a temp folder");
    let memory = read_throughput(None).await;
    let disk = read_throughput(Some(dir.path())).await;
    println!("getScheduleTaskAction: {disk:.0} req/s on disk, {memory:.0} req/s in memory");
    vec![Row {
        figure: "getScheduleTaskAction throughput: disk / memory".into(),
        target: "-".into(),
        measured: format!("{disk:.0} / {memory:.0} req/s"),
        ratio: Some(disk / memory),
        pass: None,
    }]
}
