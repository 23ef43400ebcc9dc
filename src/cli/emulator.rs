//! `gtcamp emulator`: runs the Getui-compatible server of [`crate::emulator`] in the foreground.
//!
//! The base URL goes to the first line of stdout (so scripts and tests can read it even with
//! `--listen 127.0.0.1:0`), one line per request goes to stderr, and Ctrl-C or SIGTERM stop it.

use super::ExitStatus;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use miette::{IntoDiagnostic, WrapErr};

use crate::emulator::{self, EmulatorConfig, FaultSpec, Latency, RepeatedRequest};
use crate::getui::{Limits, Secret};
use crate::model::Duration;

/// Boxed so that this, the command with the most flags, does not bloat the `Command` enum.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp emulator                                        # on 127.0.0.1:8787, app demo\n  gtcamp emulator --listen 127.0.0.1:0 --data .emulator  # a free port, data kept\n  gtcamp emulator --latency 50ms --faults http5xx=0.1,seed=7\n  gtcamp emulator --report-lag 30m --repeated-request unknown-id   # Getui's report lag; no convenient answer to a repeat"
)]
pub struct Args {
    #[command(flatten)]
    options: Box<Options>,
}

#[derive(Debug, clap::Args)]
struct Options {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// The app id the emulator serves.
    #[arg(long, default_value = "demo")]
    app_id: String,
    /// The app key clients must send.
    #[arg(long, default_value = "demo-key")]
    app_key: String,
    /// The master secret clients sign `connect` with.
    #[arg(
        long,
        env = "GETUI_MASTER_SECRET",
        default_value = "demo-secret",
        hide_default_value = true,
        hide_env_values = true
    )]
    master_secret: Secret,
    /// Keep apps, tasks, bindings and aliases in this folder across restarts.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Users of the app, from a JSON or YAML file (format in `docs/emulator.md`, "Users file").
    #[arg(long, value_name = "FILE")]
    users: Option<PathBuf>,
    /// Delay added to every answer: `50ms`, or `50ms±20ms` for jitter.
    #[arg(long, value_name = "LATENCY")]
    latency: Option<Latency>,
    /// Faults to inject, e.g. `http5xx=0.1,reset=0.05,commit_drop@pushMessageToAppAction=1,seed=7`.
    #[arg(long, value_name = "SPEC")]
    faults: Option<FaultSpec>,
    /// How far ahead a scheduled push may be.
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    max_push_ahead: Duration,
    /// How long after a push left the push reports begin to count it (Getui: about 30m).
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    report_lag: Duration,
    /// How a REST V2 push with a `request_id` already seen is answered: the original task
    /// id, or a fresh id that names no task. Either way nothing is created.
    #[arg(long, value_enum, value_name = "ANSWER", default_value = "original")]
    repeated_request: RepeatedRequestFlag,
    /// Answer a REST V2 push with a `schedule_time` with 30002, as Getui does for an app
    /// without its VIP scheduled-push feature.
    #[arg(long)]
    no_schedule_feature: bool,
    /// App pushes (`/push/all`, `/push/tag`, `pushMessageToApp`) allowed a Beijing day.
    #[arg(long, value_name = "N", default_value_t = 100)]
    app_pushes_per_day: u32,
    /// App pushes allowed in any minute.
    #[arg(long, value_name = "N", default_value_t = 5)]
    app_pushes_per_minute: u32,
    /// List pushes (calls) allowed a Beijing day.
    #[arg(long, value_name = "N", default_value_t = 2_000_000)]
    list_pushes_per_day: u32,
    /// List pushes allowed in any minute (Getui publishes no number: none unless given).
    #[arg(long, value_name = "N")]
    list_pushes_per_minute: Option<u32>,
    /// Enforce none of Getui's push limits (the four options above).
    #[arg(long)]
    no_limits: bool,
}

impl Options {
    fn limits(&self) -> Limits {
        if self.no_limits {
            return Limits::NONE;
        }
        Limits {
            app_pushes_per_day: Some(self.app_pushes_per_day),
            app_pushes_per_minute: Some(self.app_pushes_per_minute),
            list_pushes_per_day: Some(self.list_pushes_per_day),
            list_pushes_per_minute: self.list_pushes_per_minute,
        }
    }
}

/// The values of `--repeated-request`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum RepeatedRequestFlag {
    Original,
    UnknownId,
}

impl From<RepeatedRequestFlag> for RepeatedRequest {
    fn from(flag: RepeatedRequestFlag) -> RepeatedRequest {
        match flag {
            RepeatedRequestFlag::Original => RepeatedRequest::Original,
            RepeatedRequestFlag::UnknownId => RepeatedRequest::UnknownId,
        }
    }
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let args = *args.options;
    let users = match &args.users {
        Some(path) => emulator::load_users(path).into_diagnostic()?,
        None => Vec::new(),
    };
    let limits = args.limits();
    let config = EmulatorConfig {
        limits,
        app_id: args.app_id,
        app_key: args.app_key,
        master_secret: args.master_secret.expose().to_owned(),
        data_dir: args.data,
        users,
        latency: args.latency.unwrap_or_default(),
        faults: args.faults.unwrap_or_default(),
        max_push_ahead: args
            .max_push_ahead
            .to_chrono()
            .into_diagnostic()
            .wrap_err("--max-push-ahead")?,
        report_lag: args
            .report_lag
            .to_chrono()
            .into_diagnostic()
            .wrap_err("--report-lag")?,
        repeated_request: args.repeated_request.into(),
        schedule_feature: !args.no_schedule_feature,
        log_requests: true,
        ..EmulatorConfig::default()
    };
    let runtime = tokio::runtime::Runtime::new()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(serve(config, args.listen))
}

async fn serve(config: EmulatorConfig, listen: SocketAddr) -> miette::Result<ExitStatus> {
    let running = emulator::start(config, listen).await.into_diagnostic()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", running.base_url()).into_diagnostic()?;
    stdout.flush().into_diagnostic()?;
    drop(stdout);
    eprintln!(
        "gtcamp emulator: serving the Getui legacy protocol at {} and REST V2 under {} (admin API under http://{}/_emulator/); Ctrl-C stops",
        running.base_url(),
        running.v2_endpoint(),
        running.local_addr()
    );
    stop_signal().await;
    eprintln!("gtcamp emulator: stopping");
    running.shutdown().await;
    Ok(ExitStatus::Success)
}

/// Ctrl-C, or SIGTERM on Unix (what `kill` and service managers send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
