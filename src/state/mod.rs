//! State: the record of what gtcamp created on Getui, kept so that it never sends twice.
//!
//! [`StateStore`] is where state lives (a local JSON file, or a row in a PostgreSQL database
//! that a team's CI runners share);
//! [`LockedState`] is the exclusive hold on it for a whole plan or apply. During an apply every
//! remote operation is journaled twice, its intent before the call and its outcome after, so
//! that a crash at any moment leaves enough to recover from on the next run.

mod assign;
mod conninfo;
mod file;
mod import;
mod journal;
mod lock;
mod migrate;
mod model;
mod owner;
mod postgres;
mod record;
mod rename;
mod reset;
mod tls;

use std::collections::BTreeSet;
use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

pub use assign::Assigned;
pub use conninfo::{RootCert, SettingError, SslMode};
/// Replaces a file atomically (temp file, fsync, rename, fsync of the folder).
pub(crate) use file::replace as replace_file;
pub use import::{IMPORTED, ImportError, ImportRequest, campaign_of, import_task};
pub use migrate::{Migrated, migrate_to_postgres};
pub use model::*;
pub use owner::Owner;
pub use postgres::{IN_FLIGHT_GRACE_VAR, PostgresTarget, advisory_key, redact_url};
pub use record::{forget_history_before, push_history};
pub use rename::{Followed, follows, rename};
pub use reset::Reset;
pub use tls::TlsError;

use journal::{Book, Command, FilePersist, Persist, Writer, lock_book};

/// Errors callers act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the state is locked by {holder}; wait for that run to end, or wait longer with `--lock-timeout`"
    )]
    Locked { holder: String },
    #[error("could not {action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not a gtcamp state file: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "`{path}` was written by a newer gtcamp (state format {found}; this gtcamp reads up to {supported})"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// `finish` was given an id that `begin` did not return, or that is already finished.
    #[error("operation {0} has no open intent in the journal")]
    NoOpenIntent(u64),
    #[error("could not write the journal: {reason}")]
    JournalWrite { reason: String },
    /// The variable `url_env` names is not set (or empty).
    #[error(
        "the state is kept in PostgreSQL, but the environment variable `{variable}` that holds its URL is not set; set it to a URL such as `postgres://user:password@host:5432/db`"
    )]
    MissingUrl { variable: String },
    /// The database could not be reached or refused a statement. `url` has no password.
    #[error("PostgreSQL at `{url}`: could not {action}: {reason}")]
    Postgres {
        url: String,
        action: &'static str,
        reason: String,
    },
    /// TLS to the database failed, or a TLS setting is unusable: `problem` says which and
    /// names the setting to change. `url` has no password.
    #[error("PostgreSQL at `{url}`: {problem}")]
    PostgresTls { url: String, problem: TlsError },
    /// Someone wrote the state row while this run held the lock: saving would lose their write.
    #[error(
        "someone else wrote the state of workspace `{workspace}` while this run held it (expected serial {expected} of lineage {lineage}, found {found}); nothing was overwritten: run the command again to start from their state, and find what wrote it without taking the lock"
    )]
    SerialConflict {
        workspace: String,
        lineage: String,
        expected: u64,
        found: String,
    },
    /// `state migrate` found a state in the database it must not overwrite.
    #[error("{reason}")]
    MigrateRefused { reason: String },
    /// The state was made for another target (a `state.path` without `{target}`).
    #[error(
        "this state belongs to target `{recorded}`, not `{wanted}`; nothing was planned or changed. Each target keeps its own state: put `{{target}}` in `state.path` of gtcamp.yaml (the default is `.gtcamp/{{target}}/state.json`)"
    )]
    OtherTarget { recorded: String, wanted: String },
    /// The target now reaches another Getui app than the one its state was made for.
    #[error(
        "the state of target `{target}` was made for Getui app `{recorded}`, but this run reaches app `{wanted}` (from GETUI_APP_ID, else `app_id` in gtcamp.yaml), and it holds what was done on app `{recorded}`; nothing was planned or changed. If that is a mistake, set the app id back; if the app really changed, add a target for the new app in gtcamp.yaml: each target keeps its own state (`gtcamp state list --target {target}` shows what this one holds)"
    )]
    OtherApp {
        target: String,
        recorded: String,
        wanted: String,
    },
    /// A state of an earlier version, kept for every target, that holds something.
    #[error(
        "the state was written by an earlier gtcamp, which kept one state for every target, and it does not say which target it was made for; nothing was planned or changed. Say it once, with the target it was applied to: `gtcamp state assign --target NAME` (for example `--target sandbox`), then run this again with `--target {target}`"
    )]
    Unassigned { target: String },
    /// `state assign` found nothing to assign, or a state it must not overwrite.
    #[error("{reason}")]
    AssignRefused { reason: String },
    /// A local state file beside a PostgreSQL configuration: `command` migrates it.
    #[error(
        "gtcamp.yaml keeps the state of target `{target}` in PostgreSQL, but a local state is still at `{}`; nothing was planned or changed. Planning from the database would create again what that file records: move it into the database first, with\n  {command}",
        path.display()
    )]
    NotMigrated {
        target: String,
        path: PathBuf,
        command: String,
    },
    /// `state reset` found a state that holds something; `held` lists it, a line each.
    #[error(
        "`gtcamp state reset` removes only a state that holds nothing, and the state of target `{target}` holds:\n{held}\nNothing was changed. Cancel its tasks with an apply (remove their campaigns from the workspace), or forget one with `gtcamp state rm KEY` (it then stays on Getui and fires); for a fresh start beside it, add a target in gtcamp.yaml."
    )]
    ResetRefused { target: String, held: String },
}

/// Identifies one journaled operation within a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpId(pub u64);

/// Where state is kept.
#[derive(Debug, Clone)]
pub struct StateStore {
    /// The local state file; with PostgreSQL, the file `state migrate` moves in.
    path: PathBuf,
    /// Where an earlier version kept its one state for every target, when `path` is per
    /// target: found there, it is never read as this target's (see [`Owner`]).
    earlier: Option<PathBuf>,
    postgres: Option<PostgresTarget>,
    /// The workspace folder, when not the current one: what a command printed for the
    /// person to run names with `-C`.
    dir: Option<PathBuf>,
}

impl StateStore {
    /// A state file on this machine (`.gtcamp/state.json` by default); its lock
    /// (`state.json.lock`) and journal (`state.journal`) sit beside it.
    pub fn local(path: impl Into<PathBuf>) -> StateStore {
        StateStore {
            path: path.into(),
            earlier: None,
            postgres: None,
            dir: None,
        }
    }

    /// The store `gtcamp.yaml` configures for `target` of the workspace in `dir` named
    /// `workspace_name`; `env` reads environment variables (the PostgreSQL URL is only ever
    /// read from there).
    pub fn open(
        dir: &std::path::Path,
        config: &crate::model::StateConfig,
        workspace_name: &str,
        target: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<StateStore, Error> {
        // `.gtcamp/state.json` reads better in messages than `./.gtcamp/state.json`.
        let in_dir = |relative: &str| {
            if dir == std::path::Path::new(".") {
                PathBuf::from(relative)
            } else {
                dir.join(relative)
            }
        };
        let per_target = config.path.contains(TARGET_PLACEHOLDER);
        let path = in_dir(&config.path.replace(TARGET_PLACEHOLDER, target));
        let earlier = per_target.then(|| in_dir(EARLIER_PATH));
        let postgres = match config.backend {
            crate::model::StateBackend::Local => None,
            crate::model::StateBackend::Postgres => Some(PostgresTarget::from_config(
                config,
                workspace_name,
                target,
                env,
            )?),
        };
        Ok(StateStore {
            path,
            earlier,
            postgres,
            dir: (dir != std::path::Path::new(".")).then(|| dir.to_path_buf()),
        })
    }

    /// Where an earlier version kept the one state of every target, if this store is per
    /// target.
    pub fn earlier_path(&self) -> Option<&std::path::Path> {
        self.earlier.as_deref()
    }

    /// The local state file (with PostgreSQL, the one `state migrate` reads).
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The PostgreSQL database and workspace, when state is kept there.
    pub fn postgres(&self) -> Option<&PostgresTarget> {
        self.postgres.as_ref()
    }

    pub fn lock_path(&self) -> PathBuf {
        file::sibling(&self.path, |name| format!("{name}.lock"))
    }

    pub fn journal_path(&self) -> PathBuf {
        self.path.with_extension("journal")
    }

    /// Takes the exclusive lock, waiting up to `timeout`, then reads the state (a new one
    /// when none exists, written at once so that its lineage holds from the first plan)
    /// and replays a journal left by an interrupted run. `purpose` (`gtcamp apply`) is
    /// what a run waiting for the lock is told.
    pub fn lock(&self, timeout: Duration, purpose: &str) -> Result<LockedState, Error> {
        if let Some(target) = &self.postgres {
            self.refuse_a_local_state_beside(target)?;
            let (session, loaded) = postgres::Session::lock(target, timeout, purpose)?;
            return Ok(LockedState::start(Box::new(session), None, loaded));
        }
        let folder = file::folder_of(&self.path);
        std::fs::create_dir_all(&folder)
            .map_err(|source| file::io_error("create", &folder, source))?;
        let lock_file = lock::acquire(&self.lock_path(), timeout, purpose)?;
        let found = file::read(&self.path)?;
        if found.is_none() {
            self.refuse_an_earlier_state()?;
        }
        let mut state = match found {
            Some(state) => state,
            None => {
                let fresh = file::fresh();
                file::write(&self.path, &fresh)?;
                fresh
            }
        };
        let replayed = journal::replay(&self.journal_path(), &mut state)?;
        let persist = FilePersist {
            state_path: self.path.clone(),
            journal_path: self.journal_path(),
            journal: None,
        };
        let loaded = Loaded {
            state,
            // A journal left behind holds outcomes the file lacks: the next save folds them in.
            journal_compact: journal_is_empty(&self.journal_path()),
            replayed,
        };
        Ok(LockedState::start(
            Box::new(persist),
            Some(lock_file),
            loaded,
        ))
    }
}

/// `{target}` in `state.path`: the target's name.
pub const TARGET_PLACEHOLDER: &str = "{target}";

/// Where versions before per-target state kept the one state of every target.
const EARLIER_PATH: &str = ".gtcamp/state.json";

impl StateStore {
    /// A local state file left beside a PostgreSQL configuration was never migrated: a run
    /// on the database's state would create again what it records. Checked before the
    /// database is touched, so that no empty row is made either.
    fn refuse_a_local_state_beside(&self, target: &PostgresTarget) -> Result<(), Error> {
        if !self.path.exists() {
            return Ok(());
        }
        let mut command = format!(
            "gtcamp state migrate --to postgres --target {}",
            target.target_name()
        );
        if let Some(dir) = &self.dir {
            command.push_str(&format!(" -C {}", dir.display()));
        }
        Err(Error::NotMigrated {
            target: target.target_name().to_owned(),
            path: self.path.clone(),
            command,
        })
    }

    /// A target with no state of its own yet, beside an earlier version's state that holds
    /// something: that state may be this target's, or another's; never guessed.
    fn refuse_an_earlier_state(&self) -> Result<(), Error> {
        let Some(earlier) = &self.earlier else {
            return Ok(());
        };
        match file::read(earlier)? {
            Some(state) if state.target.is_none() && !owner::is_empty(&state) => {
                Err(Error::Unassigned {
                    target: target_of(&self.path),
                })
            }
            _ => Ok(()),
        }
    }
}

/// The target of a per-target state path: the name of its folder.
pub(crate) fn target_of(path: &std::path::Path) -> String {
    path.parent()
        .and_then(std::path::Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What a backend read when the lock was taken: the state with its journal replayed.
pub(crate) struct Loaded {
    pub state: State,
    pub replayed: journal::Replayed,
    /// The stored journal holds exactly the open intents.
    pub journal_compact: bool,
}

fn journal_is_empty(path: &std::path::Path) -> bool {
    std::fs::metadata(path).map_or(true, |meta| meta.len() == 0)
}

/// The state, held under the lock until dropped. Shared by the operations of an apply:
/// every method takes `&self`.
pub struct LockedState {
    book: Arc<Mutex<Book>>,
    /// Intents the previous run left open, as found when the lock was taken.
    inherited: BTreeSet<u64>,
    next_id: AtomicU64,
    syncs: Arc<AtomicU64>,
    notes: Vec<String>,
    commands: Mutex<Option<mpsc::Sender<Command>>>,
    writer: Option<JoinHandle<()>>,
    // Dropped last: the OS lock is released when this closes. (PostgreSQL's lock is held
    // by the database connection, which the writer thread owns until it ends.)
    _lock_file: Option<File>,
}

impl LockedState {
    fn start(persist: Box<dyn Persist>, lock_file: Option<File>, loaded: Loaded) -> LockedState {
        let Loaded {
            state,
            replayed,
            journal_compact,
        } = loaded;
        let book = Book {
            state: Arc::new(state),
            journal_compact,
            dirty: false,
            open: replayed.open,
        };
        let inherited = book.open.keys().copied().collect();
        let book = Arc::new(Mutex::new(book));
        let syncs = Arc::new(AtomicU64::new(0));
        let (sender, receiver) = mpsc::channel();
        let writer = Writer {
            book: Arc::clone(&book),
            syncs: Arc::clone(&syncs),
            persist,
        };
        let writer = std::thread::Builder::new()
            .name("gtcamp-journal".to_owned())
            .spawn(move || writer.run(receiver))
            .ok();
        LockedState {
            book,
            inherited,
            next_id: AtomicU64::new(replayed.next_id),
            syncs,
            notes: replayed.notes,
            commands: Mutex::new(Some(sender)),
            writer,
            _lock_file: lock_file,
        }
    }

    /// The intents still open (journaled without a settled outcome), by id.
    pub(crate) fn open_intents(&self) -> journal::OpenOperations {
        lock_book(&self.book).open.clone()
    }

    /// A copy of the state as it stands, journaled outcomes included.
    pub fn state(&self) -> State {
        State::clone(&lock_book(&self.book).state)
    }

    /// The state as it stands, shared rather than copied: cheap however large the state.
    /// Later changes do not show in it.
    pub fn snapshot(&self) -> Arc<State> {
        Arc::clone(&lock_book(&self.book).state)
    }

    /// Intents a previous run journaled without an outcome (or with an unknown one): their
    /// result is unknown until looked up; record it with [`LockedState::finish`].
    pub fn unresolved(&self) -> Vec<(OpId, Operation)> {
        lock_book(&self.book)
            .open
            .iter()
            .filter(|(id, _)| self.inherited.contains(id))
            .map(|(id, (_, operation))| (OpId(*id), operation.clone()))
            .collect()
    }

    /// When the intent of an open operation was journaled.
    pub fn opened_at(&self, id: OpId) -> Option<DateTime<Utc>> {
        lock_book(&self.book).open.get(&id.0).map(|(at, _)| *at)
    }

    /// What reading the state found worth telling (a torn journal line ignored, …).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// How many times the journal was flushed to disk since the lock was taken: group
    /// commit keeps this far below the number of operations.
    pub fn journal_syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }

    /// Journals an intent; returns once it is durable.
    pub async fn begin(&self, operation: Operation) -> Result<OpId, Error> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let at = crate::clock::now();
        lock_book(&self.book)
            .open
            .insert(id, (at, operation.clone()));
        let entry = Box::new(JournalEntry::Intent { id, at, operation });
        let written = self.send(|done| Command::Append { entry, done }).await;
        if written.is_err() {
            lock_book(&self.book).open.remove(&id);
        }
        written.map(|()| OpId(id))
    }

    /// Journals an outcome and applies it to the state; returns once it is durable. An
    /// [`Outcome::Unknown`] leaves the operation open, for the next run to look up.
    pub async fn finish(&self, id: OpId, outcome: Outcome) -> Result<(), Error> {
        if !lock_book(&self.book).open.contains_key(&id.0) {
            return Err(Error::NoOpenIntent(id.0));
        }
        let entry = Box::new(JournalEntry::Outcome {
            id: id.0,
            at: crate::clock::now(),
            outcome,
        });
        self.send(|done| Command::Append { entry, done }).await
    }

    /// Replaces the state wholesale (import, `state rm`) and saves it; lineage and serial
    /// stay the store's own, whatever `state` says.
    pub async fn replace(&self, state: State) -> Result<(), Error> {
        let replacement = Some(Box::new(state));
        self.send(|done| Command::Save {
            replacement,
            forget_before: None,
            done,
        })
        .await
    }

    /// Writes the state atomically with the next serial and empties the journal of all but
    /// the intents still open. Does nothing when nothing changed since the last save.
    pub async fn save(&self) -> Result<(), Error> {
        self.send(|done| Command::Save {
            replacement: None,
            forget_before: None,
            done,
        })
        .await
    }

    /// [`LockedState::save`], forgetting the sends made before `since` (the retention
    /// window of `state.history_days`).
    pub async fn save_forgetting_sends_before(&self, since: DateTime<Utc>) -> Result<(), Error> {
        self.send(|done| Command::Save {
            replacement: None,
            forget_before: Some(since),
            done,
        })
        .await
    }

    async fn send(
        &self,
        command: impl FnOnce(oneshot::Sender<Result<(), Error>>) -> Command,
    ) -> Result<(), Error> {
        let (done, answer) = oneshot::channel();
        let sent = match &*self.commands.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(sender) => sender.send(command(done)).is_ok(),
            None => false,
        };
        let stopped = || file::io_error("write", &PathBuf::from("the journal"), writer_stopped());
        if !sent {
            return Err(stopped());
        }
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }
}

fn writer_stopped() -> std::io::Error {
    std::io::Error::other("the journal writer stopped")
}

impl Drop for LockedState {
    fn drop(&mut self) {
        // Closing the channel ends the writer once it has written what it was given; the
        // lock file closes (and unlocks) only after that.
        self.commands
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

#[cfg(test)]
mod tests;
