//! `gtcamp import KEY TASK_ID [DIR]`: adopt a scheduled task that exists on Getui.
//!
//! The task is checked with Getui first (it must exist and wait for its push time) and the
//! key must be an occurrence of the workspace. Its content is unknown, so the next plan
//! replaces it with the campaign's own request.

use super::ExitStatus;
use std::path::PathBuf;
use std::time::Duration;

use miette::{IntoDiagnostic, WrapErr, miette};

use super::terminal::stopped;
use crate::apply::recover::release;
use crate::compile::OccurrenceKey;
use crate::pipeline::{self, Request};
use crate::render::instant;
use crate::state::{ImportRequest, campaign_of, import_task};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp import 'spring-sale@2026-12-01T10:00+08:00' OSA-1201_abc campaigns --target production"
)]
pub struct Args {
    /// The occurrence to adopt the task as, such as `spring-sale@2026-12-01T10:00+08:00`.
    key: String,
    /// The Getui task id (`OSA-…`).
    task_id: String,
    /// The workspace folder (the one holding `gtcamp.yaml`); left out, the current folder
    /// or the nearest parent holding one.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// The target the task is on (else the workspace's `default_target`, else `sandbox`).
    #[arg(long, add = super::completions::target_names())]
    target: Option<String>,
    /// How long to wait for another gtcamp run holding the state, such as `30s` or `2m`.
    #[arg(long, default_value = "30s")]
    lock_timeout: crate::model::Duration,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let runtime = tokio::runtime::Runtime::new()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(import(args))
}

async fn import(args: Args) -> miette::Result<ExitStatus> {
    let request = Request {
        dir: super::paths::workspace(args.dir.as_deref())?,
        target: args.target,
        lock_timeout: Duration::from_millis(args.lock_timeout.as_millis()),
        // Only recovery of an interrupted run calls Getui more than once here.
        parallelism: 32,
        purpose: "gtcamp import",
    };
    let mut stderr = std::io::stderr();
    let session = match pipeline::open(&request, &mut stderr).await {
        Ok(session) => session,
        Err(error) => return stopped(error, &mut stderr),
    };
    let key = OccurrenceKey(args.key.clone());
    let campaign = campaign_of(&args.key).and_then(|name| session.desired.campaigns.get(name));
    let (Some(campaign), true) = (campaign, session.desired.occurrences.contains_key(&key)) else {
        session.connection.close().await;
        return Err(miette!(
            help = "`gtcamp plan` shows the keys of the occurrences it would create",
            "`{}` is not an occurrence of this workspace; gtcamp would cancel the task on the next apply",
            args.key
        ));
    };
    let import = ImportRequest {
        key: key.clone(),
        task_id: args.task_id,
        timezone: campaign.timezone.name().to_owned(),
        now: session.now,
    };
    let imported = import_task(&session.locked, session.connection.api.as_ref(), import).await;
    // A push held because its answer was lost is settled by the task a person found.
    let released = match &imported {
        Ok(_) => release(&session.locked, &key, "settled by `gtcamp import`").await,
        Err(_) => Ok(0),
    };
    session.connection.close().await;
    let task = imported.into_diagnostic()?;
    released.into_diagnostic()?;
    eprintln!(
        "Imported `{}` as task {} (push time {}). Its content is not known to match the \
         campaign, so the next plan replaces it.",
        args.key,
        task.task_id,
        instant(task.push_time, &task.timezone)
    );
    Ok(ExitStatus::Success)
}
