//! `gtcamp state migrate --to postgres`: move a local state into the shared database.
//!
//! A team moving to shared state must not lose what its local state knows (which tasks are
//! gtcamp's, which intents are still open) nor start a second line of history: the row gets
//! the file's lineage, serial and open intents, and the file is renamed so that no run can
//! use it by mistake afterwards.

use std::path::PathBuf;
use std::time::Duration;

use super::journal::Persist;
use super::postgres::Session;
use super::{Error, State, StateStore};

/// What a migration did, for the person who ran it.
#[derive(Debug, Clone)]
pub struct Migrated {
    pub workspace: String,
    /// The database URL, password hidden.
    pub url: String,
    pub lineage: String,
    pub serial: u64,
    pub tasks: usize,
    pub list_pushes: usize,
    pub bindings: usize,
    pub open_intents: usize,
    /// Where the local state file went.
    pub moved_to: PathBuf,
}

/// Copies the local state of `store` (read under its lock, journal replayed) into its
/// PostgreSQL row, then renames the local file to `state.json.migrated`.
///
/// Refuses when the row holds anything to lose: a non-empty state, journal rows, or a
/// state of another lineage that was ever saved (a fresh row that only a plan created, at
/// serial 0 and empty, is replaced).
pub fn migrate_to_postgres(store: &StateStore, timeout: Duration) -> Result<Migrated, Error> {
    let purpose = "gtcamp state migrate";
    let target = store.postgres().ok_or_else(|| Error::MigrateRefused {
        reason: "the workspace keeps its state locally: set `state: { backend: postgres }` in gtcamp.yaml first".to_owned(),
    })?;
    if !store.path().exists() {
        return Err(Error::MigrateRefused {
            reason: format!(
                "there is no local state at `{}` to migrate (`state.path` names it)",
                store.path().display()
            ),
        });
    }
    let local = StateStore::local(store.path()).lock(timeout, purpose)?;
    let state = local.state();
    let open = local.open_intents();
    let (mut session, remote) = Session::lock(target, timeout, purpose)?;
    let copied_before = remote.journal_compact
        && remote.state.lineage == state.lineage
        && remote.state.serial == state.serial
        && remote.state.serial > 0;
    if copied_before {
        // A migration that stopped between the database's commit and the renames: the row
        // already is this state (same lineage, same serial), so only the renames are left.
    } else if let Some(reason) = refusal(&state, &remote.state, !remote.journal_compact) {
        return Err(Error::MigrateRefused {
            reason: format!(
                "workspace `{}` in {} already has {reason}; migrating would lose it. Use another `state.workspace`, or delete that row if it is not needed",
                target.workspace(),
                target.redacted_url()
            ),
        });
    }
    if !copied_before {
        // The serial is kept, not bumped: a plan saved against the local state still
        // matches the row it now lives in.
        session.save(&state, &open)?;
    }
    drop(session);
    // Renamed while the local lock is still held, so no run on the old settings can take
    // the lock in between and write a state that would then be moved away.
    let moved_to = rename_aside(store.path())?;
    let journal = store.journal_path();
    if journal.exists() {
        rename_aside(&journal)?;
    }
    drop(local);
    Ok(Migrated {
        workspace: target.workspace().to_owned(),
        url: target.redacted_url(),
        lineage: state.lineage,
        serial: state.serial,
        tasks: state.tasks.len(),
        list_pushes: state.fired.len(),
        bindings: state.bindings.len(),
        open_intents: open.len(),
        moved_to,
    })
}

/// Why the row must not be overwritten by `local`, if it must not.
fn refusal(local: &State, remote: &State, remote_journal: bool) -> Option<String> {
    if remote_journal {
        return Some("journal rows of an unfinished run".to_owned());
    }
    if !is_empty(remote) {
        return Some(format!(
            "a state with {} tasks, {} list pushes and {} bindings (serial {})",
            remote.tasks.len(),
            remote.fired.len(),
            remote.bindings.len(),
            remote.serial
        ));
    }
    if remote.lineage != local.lineage && remote.serial > 0 {
        return Some(format!(
            "a state of another lineage ({}, serial {})",
            remote.lineage, remote.serial
        ));
    }
    None
}

fn is_empty(state: &State) -> bool {
    state.tasks.is_empty()
        && state.bindings.is_empty()
        && state.fired.is_empty()
        && state.history.is_empty()
}

/// Renames `path` to `path.migrated`.
fn rename_aside(path: &std::path::Path) -> Result<PathBuf, Error> {
    let aside = super::file::sibling(path, |name| format!("{name}.migrated"));
    std::fs::rename(path, &aside)
        .map_err(|source| super::file::io_error("rename", path, source))?;
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::TrackedBinding;

    fn state(lineage: &str, serial: u64) -> State {
        State {
            lineage: lineage.to_owned(),
            serial,
            ..crate::state::file::fresh()
        }
    }

    #[test]
    fn migrate_replaces_only_a_row_with_nothing_to_lose() {
        let local = state("a", 7);
        assert_eq!(refusal(&local, &state("a", 0), false), None);
        assert_eq!(refusal(&local, &state("b", 0), false), None, "a fresh row");
        let saved_elsewhere = refusal(&local, &state("b", 3), false).unwrap_or_default();
        assert!(
            saved_elsewhere.contains("another lineage (b, serial 3)"),
            "{saved_elsewhere}"
        );
        let journal = refusal(&local, &state("a", 0), true).unwrap_or_default();
        assert!(journal.contains("journal rows"), "{journal}");
        let mut full = state("a", 2);
        let hash = crate::compile::PhoneHash("0".repeat(32));
        full.bindings
            .insert("c-1".to_owned(), TrackedBinding::new(hash));
        let kept = refusal(&local, &full, false).unwrap_or_default();
        assert!(kept.contains("1 bindings (serial 2)"), "{kept}");
    }
}
