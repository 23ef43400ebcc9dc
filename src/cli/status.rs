//! `gtcamp status [DIR]`: what will be sent next and what was sent lately.
//!
//! Upcoming sends come from state (created on Getui) and from the workspace (deferred or
//! not yet due), in time order, each with its zone; recent sends come from the history.

use super::ExitStatus;
use std::io::Write;
use std::path::PathBuf;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use miette::{IntoDiagnostic, WrapErr};

use super::plan::Common;
use super::terminal::stopped;
use crate::compile::Timing;
use crate::getui::api::{TaskId, TaskStatus};
use crate::pipeline::{self, Session};
use crate::render::instant;
use crate::state::RemoteStatus;

/// How many recent sends are listed.
const RECENT: usize = 20;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  gtcamp status campaigns\n  gtcamp status --target production")]
pub struct Args {
    /// The workspace folder (the one holding `gtcamp.yaml`); left out, the current folder
    /// or the nearest parent holding one.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let runtime = tokio::runtime::Runtime::new()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(status(args))
}

async fn status(args: Args) -> miette::Result<ExitStatus> {
    let dir = super::paths::workspace(args.dir.as_deref())?;
    let request = args.common.request(dir, "gtcamp status");
    let mut stderr = std::io::stderr();
    let session = match pipeline::open(&request, &mut stderr).await {
        Ok(session) => session,
        Err(error) => return stopped(error, &mut stderr),
    };
    let results = getui_results(&session).await;
    let options = crate::report::ReadOptions {
        parallelism: request.parallelism,
        details: false,
        now: session.now,
    };
    let last = pipeline::report::read_last(&session, options).await;
    let mut text = render(&session, &results);
    text.push('\n');
    text.push_str(&crate::report::render::text::last_sends(&last));
    let _ = std::io::stdout().write_all(text.as_bytes());
    session.connection.close().await;
    Ok(ExitStatus::Success)
}

struct Line {
    at: DateTime<Utc>,
    zone: String,
    key: String,
    what: String,
}

/// What Getui says now about the recent sends it can be asked about, by task id.
async fn getui_results(session: &Session) -> BTreeMap<String, &'static str> {
    let state = session.locked.state();
    let ids: Vec<String> = state
        .history
        .iter()
        .rev()
        .take(RECENT)
        .filter_map(|entry| entry.task_id.clone())
        .collect();
    let api = session.connection.api.as_ref();
    futures::stream::iter(ids)
        .map(|id| async move {
            let task = api.scheduled_task(&TaskId(id.clone())).await.ok()?;
            let word = match task.status {
                TaskStatus::SendSuccess => "sent",
                TaskStatus::SendFailed => "failed",
                TaskStatus::HasDelete => "deleted",
                TaskStatus::DoNotSend => "waiting",
                TaskStatus::Other(_) => return None,
            };
            Some((id, word))
        })
        .buffer_unordered(8)
        .filter_map(|found| async move { found })
        .collect()
        .await
}

fn render(session: &Session, results: &BTreeMap<String, &'static str>) -> String {
    let state = session.locked.state();
    let mut upcoming: Vec<Line> = state
        .tasks
        .iter()
        .filter(|(_, task)| task.push_time >= session.now)
        .map(|(key, task)| Line {
            at: task.push_time,
            zone: task.timezone.clone(),
            key: key.0.clone(),
            what: format!("scheduled on Getui (task {})", task.task_id),
        })
        .collect();
    for (key, occurrence) in &session.desired.occurrences {
        let what = match occurrence.timing {
            Timing::Deferred => "deferred: created by an apply once inside the push-ahead window",
            Timing::NotYetDue => "list push: fired by the first apply when due",
            Timing::Schedulable if !state.tasks.contains_key(key) => "not created yet: run apply",
            _ => continue,
        };
        upcoming.push(Line {
            at: occurrence.fire_at.with_timezone(&Utc),
            zone: occurrence.fire_at.timezone().name().to_owned(),
            key: key.0.clone(),
            what: what.to_owned(),
        });
    }
    upcoming.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.key.cmp(&b.key)));
    let mut out = held(session);
    out.push_str("Upcoming sends:\n");
    if upcoming.is_empty() {
        out.push_str("  none\n");
    }
    for line in &upcoming {
        out.push_str(&format!(
            "  {}  {}  {}\n",
            instant(line.at, &line.zone),
            line.key,
            line.what
        ));
    }
    out.push_str("\nRecent sends:\n");
    let zone_of = |campaign: &str| {
        session
            .desired
            .campaigns
            .get(campaign)
            .map_or("Asia/Shanghai".to_owned(), |c| c.timezone.name().to_owned())
    };
    let recent: Vec<_> = state.history.iter().rev().take(RECENT).collect();
    if recent.is_empty() {
        out.push_str("  none\n");
    }
    for entry in recent {
        let task = match &entry.task_id {
            Some(id) => match results.get(id) {
                Some(word) => format!(" (task {id}; Getui says {word})"),
                None => format!(" (task {id})"),
            },
            None => String::new(),
        };
        out.push_str(&format!(
            "  {}  {}  {}{task}\n",
            instant(entry.push_time, &zone_of(&entry.campaign)),
            entry.key,
            status_word(entry.status),
        ));
    }
    out
}

/// The held operations, first: each may or may not have reached phones, and gtcamp will
/// not send it again until a later run settles it or a person decides.
fn held(session: &Session) -> String {
    let held: Vec<_> = session
        .unsettled
        .iter()
        .filter(|u| !u.unreachable)
        .chain(&session.resumable)
        .collect();
    if held.is_empty() {
        return String::new();
    }
    let mut out = match held.len() {
        1 => "Held (1): its answer was lost, and Getui has not shown yet whether it landed; not sent again:\n".to_owned(),
        n => format!("Held ({n}): answers lost, and Getui has not shown yet whether they landed; not sent again:\n"),
    };
    for held in held {
        out.push_str(&format!("  {}  {}\n", held.key, held.reason));
    }
    out.push('\n');
    out
}

fn status_word(status: RemoteStatus) -> &'static str {
    match status {
        RemoteStatus::Sent => "sent",
        RemoteStatus::Failed => "failed on Getui",
        RemoteStatus::DeletedRemotely => "deleted on Getui by someone else",
        RemoteStatus::Created | RemoteStatus::Scheduled => "scheduled",
        RemoteStatus::Unknown => "result unknown",
    }
}
