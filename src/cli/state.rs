//! `gtcamp state list | show KEY | rm KEY | migrate | assign | reset`: read, edit and move
//! the record of what gtcamp created.
//!
//! These commands touch only the state, never Getui: `rm` makes gtcamp forget a task,
//! which then stays on Getui and fires unless deleted there. Listings go to stdout; what
//! was done and errors go to stderr.

use super::ExitStatus;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use miette::{IntoDiagnostic, WrapErr, miette};
use serde_json::{Value, json};

use crate::compile::OccurrenceKey;
use crate::load::{Limits, load_workspace};
use crate::model::{Document, Workspace};
use crate::render::{count, instant};
use crate::state::{FireOutcome, LockedState, Reset, State, StateStore};

/// Beijing: the zone Getui's push times are in, used where state keeps no campaign zone.
const BEIJING: &str = "Asia/Shanghai";

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  gtcamp state list -C campaigns\n  gtcamp state list --format json\n  gtcamp state show 'spring-sale@2026-12-01T10:00+08:00'\n  gtcamp state rm 'spring-sale@2026-12-01T10:00+08:00'\n  gtcamp state reset --target production"
)]
pub struct Args {
    #[command(subcommand)]
    command: StateCommand,
    /// The workspace folder (the one holding `gtcamp.yaml`); left out, the current folder
    /// or the nearest parent holding one.
    #[arg(long, short = 'C', global = true, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// How long to wait for another gtcamp run holding the state, such as `30s` or `2m`.
    #[arg(long, default_value = "30s", global = true)]
    lock_timeout: crate::model::Duration,
    /// The target whose state to use (else the workspace's `default_target`, else
    /// `sandbox`): each target keeps its own.
    #[arg(long, global = true, add = super::completions::target_names())]
    target: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum StateCommand {
    /// List every task and list push in state: key, campaign, task id, push time, status.
    #[command(
        after_help = "Examples:\n  gtcamp state list\n  gtcamp state list -C campaigns --format json"
    )]
    List {
        /// `text` for people, `json` for scripts.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print one entry of state as JSON.
    #[command(after_help = "Examples:\n  gtcamp state show 'spring-sale@2026-12-01T10:00+08:00'")]
    Show {
        /// The occurrence key, as `gtcamp state list` shows it.
        key: String,
    },
    /// Forget one entry. Getui is not touched: a forgotten task still fires there.
    #[command(
        after_help = "Examples:\n  gtcamp state rm 'spring-sale@2026-12-01T10:00+08:00' -C campaigns"
    )]
    Rm {
        /// The occurrence key, as `gtcamp state list` shows it.
        key: String,
    },
    /// Move the local state file into PostgreSQL, keeping its lineage, serial and open intents.
    ///
    /// Set `state: { backend: postgres }` in gtcamp.yaml first (the URL comes from the
    /// variable `url_env` names, `GTCAMP_PG_URL` by default); `state.path` still names the
    /// local file to move. Afterwards the file is renamed `state.json.migrated`.
    #[command(
        after_help = "Examples:\n  export GTCAMP_PG_URL=postgres://gtcamp:PASSWORD@db.internal:5432/gtcamp\n  gtcamp state migrate --to postgres\n  gtcamp plan    # shows no changes"
    )]
    Migrate {
        /// The backend to move to; `postgres` is the only one.
        #[arg(long, value_enum)]
        to: MigrateTo,
    },
    /// Give the single state of an earlier gtcamp, which kept one for every target, to the
    /// target it was applied to (`--target`).
    ///
    /// Earlier versions kept `.gtcamp/state.json` (or one PostgreSQL row) for every target.
    /// Which target that state was made for, only you know: until you say it, every target
    /// refuses to run beside it, so nothing is created twice or lost.
    #[command(
        after_help = "Examples:\n  gtcamp state assign --target sandbox      # the state was applied to the sandbox\n  gtcamp state assign --target production -C campaigns"
    )]
    Assign,
    /// Remove the state of a target (`--target`) that holds nothing, so that the next run
    /// starts a new one, tied to the app id it reaches.
    ///
    /// A state that holds tasks, list pushes, phone bindings, history or open operations is
    /// kept, and what it holds is named: that record is what keeps gtcamp from sending twice.
    #[command(
        after_help = "Examples:\n  gtcamp state reset --target production\n  gtcamp state reset --target staging -C campaigns"
    )]
    Reset,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum MigrateTo {
    Postgres,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let dir = super::paths::workspace(args.dir.as_deref())?;
    let settings = settings(&dir)?;
    let env = |variable: &str| std::env::var(variable).ok();
    let target = settings.chosen_target(args.target.as_deref());
    let store =
        StateStore::open(&dir, &settings.state, &settings.name, &target, &env).into_diagnostic()?;
    let timeout = Duration::from_millis(args.lock_timeout.as_millis());
    match &args.command {
        StateCommand::Migrate {
            to: MigrateTo::Postgres,
        } => return migrate(&store, timeout),
        StateCommand::Assign => return assign(&store, &target, timeout),
        StateCommand::Reset => return reset(&store, &target, timeout),
        _ => {}
    }
    // Beside an earlier version's state, locking says what to do about it.
    let earlier = store.earlier_path().is_some_and(std::path::Path::exists);
    if store.postgres().is_none() && !store.path().exists() && !earlier {
        return match &args.command {
            StateCommand::List { .. } => {
                eprintln!(
                    "No state at `{}` yet: gtcamp has not applied anything here.",
                    store.path().display()
                );
                Ok(ExitStatus::Success)
            }
            StateCommand::Show { key } | StateCommand::Rm { key } => Err(not_in_state(key)),
            StateCommand::Migrate { .. } | StateCommand::Assign | StateCommand::Reset => {
                Ok(ExitStatus::Success)
            }
        };
    }
    let purpose = match &args.command {
        StateCommand::List { .. } => "gtcamp state list",
        StateCommand::Show { .. } => "gtcamp state show",
        StateCommand::Rm { .. } => "gtcamp state rm",
        StateCommand::Migrate { .. } => "gtcamp state migrate",
        StateCommand::Assign => "gtcamp state assign",
        StateCommand::Reset => "gtcamp state reset",
    };
    let locked = store.lock(timeout, purpose).into_diagnostic()?;
    for note in locked.notes() {
        eprintln!("note: {note}");
    }
    let mut stdout = std::io::stdout().lock();
    match args.command {
        StateCommand::List { format } => {
            let text = match format {
                Format::Text => list_text(&locked.state()),
                Format::Json => pretty(&Value::Array(entries(&locked.state()))),
            };
            let _ = stdout.write_all(text.as_bytes());
            Ok(ExitStatus::Success)
        }
        StateCommand::Show { key } => {
            let entry = entries(&locked.state())
                .into_iter()
                .find(|entry| entry["key"] == key.as_str())
                .ok_or_else(|| not_in_state(&key))?;
            let _ = stdout.write_all(pretty(&entry).as_bytes());
            Ok(ExitStatus::Success)
        }
        StateCommand::Rm { key } => remove(&locked, &key),
        StateCommand::Migrate { .. } | StateCommand::Assign | StateCommand::Reset => {
            Ok(ExitStatus::Success)
        }
    }
}

fn assign(store: &StateStore, target: &str, timeout: Duration) -> miette::Result<ExitStatus> {
    let done = store.assign(timeout).into_diagnostic()?;
    eprintln!(
        "Assigned the earlier state {} to target `{target}`: it is now {}. Other targets start with states of their own.",
        done.from, done.to
    );
    Ok(ExitStatus::Success)
}

fn reset(store: &StateStore, target: &str, timeout: Duration) -> miette::Result<ExitStatus> {
    match store.reset(target, timeout).into_diagnostic()? {
        Reset::Nothing { place } => {
            eprintln!("Target `{target}` has no state at {place}: nothing to reset.");
        }
        Reset::Removed {
            place,
            lineage,
            app_id,
        } => {
            let made_for =
                app_id.map_or_else(String::new, |app| format!(", made for Getui app `{app}`"));
            eprintln!(
                "Removed the state of target `{target}` ({place}, lineage {lineage}{made_for}): it held nothing. The next plan or apply starts a new state, tied to the app id it reaches."
            );
        }
    }
    Ok(ExitStatus::Success)
}

fn migrate(store: &StateStore, timeout: Duration) -> miette::Result<ExitStatus> {
    let done = crate::state::migrate_to_postgres(store, timeout).into_diagnostic()?;
    if done.kept_database {
        eprintln!(
            "The local state held nothing, so the state of workspace `{}` in {} was kept as it is: lineage {}, serial {}, {} scheduled tasks, {} list pushes, {} phone bindings.",
            done.workspace,
            done.url,
            done.lineage,
            done.serial,
            done.tasks,
            done.list_pushes,
            done.bindings
        );
        eprintln!(
            "The local file is now `{}`, so that no run uses it by mistake.",
            done.moved_to.display()
        );
        return Ok(ExitStatus::Success);
    }
    eprintln!(
        "Migrated the state to workspace `{}` in {}: lineage {}, serial {}, {}, {}, {}, {}.",
        done.workspace,
        done.url,
        done.lineage,
        done.serial,
        count(done.tasks, "scheduled task", "scheduled tasks"),
        count(done.list_pushes, "list push", "list pushes"),
        count(done.bindings, "phone binding", "phone bindings"),
        count(done.open_intents, "open intent", "open intents"),
    );
    eprintln!(
        "The local file is now `{}`, so that no run uses it by mistake.",
        done.moved_to.display()
    );
    Ok(ExitStatus::Success)
}

/// The settings of the workspace in `dir`, as its `gtcamp.yaml` says.
fn settings(dir: &std::path::Path) -> miette::Result<Workspace> {
    // Reading gtcamp.yaml alone spares loading every campaign and phone CSV; the whole
    // workspace is loaded only when that file does not read on its own.
    let alone = std::fs::read_to_string(dir.join("gtcamp.yaml"))
        .ok()
        .and_then(|text| serde_saphyr::from_str::<Workspace>(&text).ok());
    let settings = alone.or_else(|| {
        load_workspace(dir, &Limits::default())
            .documents
            .iter()
            .find_map(|doc| match &doc.document {
                Some(Document::Workspace(settings)) => Some((**settings).clone()),
                _ => None,
            })
    });
    settings.ok_or_else(|| {
        miette!(
            help = "run the command from the workspace folder, or name it with `--dir`",
            "`{}` has no gtcamp.yaml with workspace settings",
            dir.display()
        )
    })
}

fn remove(locked: &LockedState, key: &str) -> miette::Result<ExitStatus> {
    let mut state = locked.state();
    let occurrence = OccurrenceKey(key.to_owned());
    let what = if let Some(task) = state.tasks.remove(&occurrence) {
        format!(
            "task {}; it is still scheduled on Getui and fires unless you delete it there",
            task.task_id
        )
    } else if state.fired.remove(&occurrence).is_some() {
        "list push record; the next apply may fire it again if it is still due".to_owned()
    } else {
        return Err(not_in_state(key));
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(locked.replace(state)).into_diagnostic()?;
    eprintln!("Removed `{key}` from state ({what}). Getui was not touched.");
    Ok(ExitStatus::Success)
}

fn not_in_state(key: &str) -> miette::Report {
    miette!(
        help = "`gtcamp state list` shows the keys in state",
        "`{key}` is not in state"
    )
}

/// One JSON object per task and list push, in key order.
fn entries(state: &State) -> Vec<Value> {
    let tasks = state.tasks.iter().map(|(key, task)| {
        json!({
            "key": key.0,
            "kind": "scheduled_task",
            "campaign": task.campaign,
            "task_id": task.task_id,
            "push_time": task.push_time.to_rfc3339(),
            "timezone": task.timezone,
            "status": task.last_status,
            "fingerprint": task.fingerprint.0,
            "group": task.group,
            "created_at": task.created_at.to_rfc3339(),
            "content": task.content,
        })
    });
    let fired = state.fired.iter().map(|(key, push)| {
        json!({
            "key": key.0,
            "kind": "list_push",
            "campaign": push.campaign,
            "task_id": push.task_id,
            "push_time": push.due_at.to_rfc3339(),
            "timezone": BEIJING,
            "status": push.outcome,
            "fired_at": push.fired_at.map(|at| at.to_rfc3339()),
        })
    });
    let mut all: Vec<Value> = tasks.chain(fired).collect();
    all.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
    all
}

fn list_text(state: &State) -> String {
    let mut rows = vec![[
        "KEY".to_owned(),
        "CAMPAIGN".to_owned(),
        "TASK".to_owned(),
        "PUSH TIME".to_owned(),
        "STATUS".to_owned(),
    ]];
    for (key, task) in &state.tasks {
        let status = serde_json::to_value(task.last_status).unwrap_or_default();
        rows.push([
            key.0.clone(),
            task.campaign.clone(),
            task.task_id.clone(),
            instant(task.push_time, &task.timezone),
            status.as_str().unwrap_or_default().to_owned(),
        ]);
    }
    for (key, push) in &state.fired {
        let status = match push.outcome {
            FireOutcome::Fired => "fired",
            FireOutcome::Missed => "missed",
        };
        rows.push([
            key.0.clone(),
            push.campaign.clone(),
            push.task_id.clone().unwrap_or_else(|| "-".to_owned()),
            instant(push.due_at, BEIJING),
            status.to_owned(),
        ]);
    }
    let mut text = table(&rows);
    text.push_str(&format!(
        "{}, {}, {} (state serial {}).\n",
        count(state.tasks.len(), "scheduled task", "scheduled tasks"),
        count(state.fired.len(), "list push", "list pushes"),
        count(state.bindings.len(), "phone binding", "phone bindings"),
        state.serial
    ));
    text
}

/// Rows as aligned columns.
fn table(rows: &[[String; 5]]) -> String {
    let mut widths = [0; 5];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_settings_read_on_their_own_without_loading_the_workspace() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns/gtcamp.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let settings = serde_saphyr::from_str::<Workspace>(&text).unwrap();
        assert_eq!(settings.state.path, ".gtcamp/{target}/state.json");
    }
}
