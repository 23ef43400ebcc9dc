//! A bad day at Getui: how many `gtcamp apply` runs a workspace needs to converge when 10%
//! of requests meet each kind of fault, and whether anything is sent twice or lost.
//!
//! Per seed: an in-process emulator at 20 ms latency with `http5xx`, `reset`, `timeout`,
//! `flow_exceeded` and `commit_drop` each at 10% (a timeout is held 5 s, then dropped, so
//! that a run takes seconds rather than the client's full timeout), and a workspace of 300
//! campaigns (one-offs, weekly crons, alias list pushes due now) and 2,000 phone bindings.
//! `gtcamp apply --auto-approve` runs until it exits 0 (at most 10 times), two minutes apart
//! on the emulator's clock. Then, faults off: every task Getui holds waiting is one state
//! tracks, once; no task group and no list push was sent twice; every binding is made.
//!
//! A list push whose answer was lost is held, never sent again by gtcamp, until its report
//! counts it. One that never reached Getui (a reset, a timeout, a 5xx: the emulator applies
//! none of them) is never counted, and a person decides: here, the person sends anew with
//! `--resend-unconfirmed` what the previous run still held although Getui's reports had
//! caught up by then. Two settings of the emulator's report lag:
//! - none: reports count a push at once, so a lost answer settles in its own run.
//! - 5 minutes, as Getui's reports lag: a push waits for a run after the lag.
//!
//! Figures: runs to converge, operations held, decisions a person made. Targets: zero
//! duplicates, zero lost bindings, every seed converged. Issue 16's targets (median ≤ 2
//! runs, worst ≤ 3) were set when a list push was sent again on the word of a group lookup
//! that Getui never documented; a held push now costs a run for the person's decision, so
//! they are shown for comparison, not required.
//!
//! Run with `cargo bench --bench faults` (`FAULT_SEEDS=N` for another number of seeds).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use gtcamp::emulator::{
    self, Clock, EmulatorConfig, FaultKind, FaultRule, FaultSpec, Latency, TaskKind, TaskStatus,
    UserSeed,
};

const CAMPAIGNS: usize = 300;
const BINDINGS: usize = 2_000;
const MAX_RUNS: usize = 10;
/// How far the clock moves between two runs.
const BETWEEN_RUNS: chrono::Duration = chrono::Duration::minutes(2);

/// A Monday, 08:00 in Beijing.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 7, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

fn cid(n: usize) -> String {
    format!("c-{n:04}")
}

fn users() -> Vec<UserSeed> {
    (0..BINDINGS)
        .map(|n| {
            let mut user = UserSeed::new(cid(n));
            user.tags = vec!["vip".to_owned()];
            user.alias = (n < 40).then(|| format!("vip_{n}"));
            user
        })
        .collect()
}

fn workspace(dir: &Path, endpoint: &str) {
    let settings = format!(
        "kind: Workspace\nname: faults\napp_id: demo\ndefault_target: emu\ntargets:\n  emu:\n    type: getui\n    endpoint: {endpoint}\n    limits:\n      app_pushes_per_day: 100000000\n      app_pushes_per_minute: 100000000\ndefaults:\n  timezone: Asia/Shanghai\n  lead_time: 10m\n  horizon: 14d\n"
    );
    write(dir, "gtcamp.yaml", &settings);
    let mut docs = String::new();
    for n in 0..CAMPAIGNS {
        let schedule = match n % 15 {
            0 => format!(
                "  at: {}",
                (t0() - chrono::Duration::minutes(5)).to_rfc3339()
            ),
            1..=4 => format!("  cron: \"{} 20 * * {}\"", n % 60, n % 7),
            _ => format!(
                "  at: {}",
                (t0() + chrono::Duration::minutes(30 + 25 * n as i64)).to_rfc3339()
            ),
        };
        let audience = if n % 15 == 0 {
            format!("  aliases: [vip_{}, vip_{}]", n % 40, (n + 1) % 40)
        } else {
            "  tags:\n    any: [vip]".to_owned()
        };
        docs.push_str(&format!(
            "---\nkind: Campaign\nname: c{n:03}\ntemplate:\n  type: notification\n  title: Hello\n  text: Offer {n}\naudience:\n{audience}\nschedule:\n{schedule}\n"
        ));
    }
    write(dir, "campaigns.yaml", &docs);
    let pairs: String = (0..BINDINGS)
        .map(|n| {
            let hash = gtcamp::getui::phone_hash(&format!("1380000{n:04}"));
            format!("  - cid: {}\n    pn_md5: {hash}\n", cid(n))
        })
        .collect();
    write(
        dir,
        "phones.yaml",
        &format!("kind: PhoneBindings\nname: phones\npairs:\n{pairs}"),
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    if let Err(error) = std::fs::write(dir.join(name), text) {
        panic!("cannot write {name}: {error}");
    }
}

fn faults(seed: u64) -> FaultSpec {
    let kinds = [
        FaultKind::Http5xx,
        FaultKind::Reset,
        FaultKind::Timeout,
        FaultKind::FlowExceeded,
        FaultKind::CommitDrop,
    ];
    FaultSpec {
        rules: kinds
            .into_iter()
            .map(|kind| FaultRule::new(kind, 0.1, None))
            .collect(),
        seed: Some(seed),
    }
}

/// What one seed's loop found.
struct Outcome {
    runs: Option<usize>,
    duplicates: usize,
    lost_bindings: usize,
    /// Operations each run reported held, summed over the runs.
    held: usize,
    /// Held occurrences a person sent anew.
    decisions: usize,
    wall: Duration,
}

/// What one run did: its exit code and the occurrences it reported held.
struct Run {
    code: Option<i32>,
    held: Vec<String>,
}

/// The occurrence key of a `Held: KEY: why` or `Held: KEY (its time): why` line.
fn held_key(line: &str) -> Option<String> {
    let rest = line.strip_prefix("Held: ")?;
    let end = [": ", " ("].iter().filter_map(|sep| rest.find(sep)).min()?;
    rest.get(..end).map(str::to_owned)
}

fn apply(dir: &Path, now: DateTime<Utc>, resend: &[String]) -> Run {
    let mut args = vec!["apply", "--auto-approve"];
    for key in resend {
        args.extend(["--resend-unconfirmed", key.as_str()]);
    }
    let output = Command::new(env!("CARGO_BIN_EXE_gtcamp"))
        .args(&args)
        .current_dir(dir)
        .env("GETUI_APP_KEY", "demo-key")
        .env("GETUI_MASTER_SECRET", "demo-secret")
        .env("NO_COLOR", "1")
        .env("GTCAMP_NOW", now.to_rfc3339())
        .output();
    let Ok(output) = output else {
        return Run {
            code: None,
            held: Vec::new(),
        };
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let held = stderr.lines().filter_map(held_key).collect();
    if std::env::var_os("FAULT_VERBOSE").is_some() {
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                l.starts_with("Error") || l.starts_with("Held") || l.starts_with("unsettled")
            })
            .collect();
        eprintln!(
            "    run: exit {:?}, {} error line(s)",
            output.status.code(),
            errors.len()
        );
        for line in errors.iter().take(6) {
            eprintln!("      {}", line.chars().take(300).collect::<String>());
        }
    }
    Run {
        code: output.status.code(),
        held,
    }
}

fn one_seed(runtime: &tokio::runtime::Runtime, seed: u64, report_lag: chrono::Duration) -> Outcome {
    let config = EmulatorConfig {
        users: users(),
        clock: Clock::manual(t0()),
        sign_window: chrono::Duration::days(36_500),
        timeout_hold: Duration::from_secs(5),
        latency: Latency {
            fixed: Duration::from_millis(20),
            jitter: Duration::ZERO,
        },
        faults: faults(seed),
        report_lag,
        limits: gtcamp::getui::Limits::NONE,
        ..EmulatorConfig::default()
    };
    let address = "127.0.0.1:0".parse().unwrap_or_else(|_| unreachable!());
    let running = match runtime.block_on(emulator::start(config, address)) {
        Ok(running) => running,
        Err(error) => panic!("the emulator does not start: {error}"),
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temp folder: {error}"),
    };
    workspace(dir.path(), &running.base_url());
    let started = Instant::now();
    let (mut held, mut decisions) = (0, 0);
    let mut first_held: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
    let mut previous: Vec<String> = Vec::new();
    let mut now = t0();
    let runs = (1..=MAX_RUNS).find(|_| {
        running.clock().set(now);
        // Held by the last run although the reports had caught up by then: it never left.
        let resend: Vec<String> = previous
            .iter()
            .filter(|key| {
                first_held
                    .get(*key)
                    .is_some_and(|at| *at + report_lag <= now - BETWEEN_RUNS)
            })
            .cloned()
            .collect();
        decisions += resend.len();
        for key in &resend {
            // Sent anew: a hold of the new push waits for its own report.
            first_held.remove(key);
        }
        let run = apply(dir.path(), now, &resend);
        for key in &run.held {
            first_held.entry(key.clone()).or_insert(now);
        }
        held += run.held.len();
        previous = run.held;
        now += BETWEEN_RUNS;
        run.code == Some(0)
    });
    let wall = started.elapsed();
    running.set_faults(FaultSpec::default());
    let snapshot = running.snapshot();
    let duplicates = duplicates(&snapshot, dir.path());
    let lost_bindings = BINDINGS - snapshot.bindings.len().min(BINDINGS);
    runtime.block_on(running.shutdown());
    Outcome {
        runs,
        duplicates,
        lost_bindings,
        held,
        decisions,
        wall,
    }
}

/// Pushes sent or waiting twice: a group with two live tasks, a list push fired twice, or a
/// waiting task that state does not track (an older copy left beside its replacement).
fn duplicates(snapshot: &emulator::StoreSnapshot, dir: &Path) -> usize {
    let mut per_group: BTreeMap<&str, usize> = BTreeMap::new();
    for task in &snapshot.tasks {
        let live = matches!(task.status, TaskStatus::DoNotSend | TaskStatus::SendSuccess);
        if let (true, Some(group)) = (live, task.group.as_deref()) {
            *per_group.entry(group).or_default() += 1;
        }
    }
    let twice: usize = per_group.values().map(|n| n.saturating_sub(1)).sum();
    let tracked: BTreeSet<String> = std::fs::read_to_string(dir.join(".gtcamp/emu/state.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|state| {
            let tasks = state["tasks"].as_object()?.clone();
            Some(
                tasks
                    .values()
                    .filter_map(|t| t["task_id"].as_str().map(str::to_owned))
                    .collect(),
            )
        })
        .unwrap_or_default();
    let untracked = snapshot
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::App && t.status == TaskStatus::DoNotSend)
        .filter(|t| !tracked.contains(&t.id))
        .count();
    twice + untracked
}

fn main() {
    if std::env::args().any(|arg| arg == "--list") {
        return;
    }
    let seeds: u64 = std::env::var("FAULT_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => panic!("no runtime: {error}"),
    };
    println!(
        "faults: {CAMPAIGNS} campaigns, {BINDINGS} bindings, 10% of each fault kind, 20 ms latency, runs {} min apart",
        BETWEEN_RUNS.num_minutes()
    );
    let no_lag = report(&runtime, seeds, chrono::Duration::zero());
    let lag = report(&runtime, seeds, chrono::Duration::minutes(5));
    let pass = no_lag.safe() && lag.safe();
    println!(
        "no report lag: median {} runs (issue 16: 2), worst {} (issue 16: 3), {} held, {} sent anew by a person; with a 5-minute lag: median {}, worst {}, {} held, {} sent anew by a person; duplicates {}, lost bindings {}: {}",
        no_lag.median,
        no_lag.worst,
        no_lag.held,
        no_lag.decisions,
        lag.median,
        lag.worst,
        lag.held,
        lag.decisions,
        no_lag.duplicates + lag.duplicates,
        no_lag.lost + lag.lost,
        if pass { "PASS" } else { "FAIL" }
    );
}

/// The figures of every seed at one report lag.
struct Figures {
    median: usize,
    worst: usize,
    held: usize,
    decisions: usize,
    duplicates: usize,
    lost: usize,
    unconverged: usize,
}

impl Figures {
    /// Nothing sent twice, nothing lost, every seed converged.
    fn safe(&self) -> bool {
        self.duplicates == 0 && self.lost == 0 && self.unconverged == 0
    }
}

fn report(runtime: &tokio::runtime::Runtime, seeds: u64, lag: chrono::Duration) -> Figures {
    println!("report lag {} min:", lag.num_minutes());
    let mut runs = Vec::new();
    let mut figures = Figures {
        median: 0,
        worst: 0,
        held: 0,
        decisions: 0,
        duplicates: 0,
        lost: 0,
        unconverged: 0,
    };
    for seed in 1..=seeds {
        let outcome = one_seed(runtime, seed, lag);
        let shown = outcome
            .runs
            .map_or(format!("not in {MAX_RUNS}"), |n| n.to_string());
        println!(
            "  seed {seed}: converged after {shown} run(s) in {:.1} s, {} held, {} sent anew by a person, {} duplicate(s), {} lost binding(s)",
            outcome.wall.as_secs_f64(),
            outcome.held,
            outcome.decisions,
            outcome.duplicates,
            outcome.lost_bindings
        );
        runs.push(outcome.runs.unwrap_or(MAX_RUNS + 1));
        figures.unconverged += usize::from(outcome.runs.is_none());
        figures.held += outcome.held;
        figures.decisions += outcome.decisions;
        figures.duplicates += outcome.duplicates;
        figures.lost += outcome.lost_bindings;
    }
    runs.sort_unstable();
    figures.median = runs.get(runs.len() / 2).copied().unwrap_or(0);
    figures.worst = runs.last().copied().unwrap_or(0);
    figures
}
