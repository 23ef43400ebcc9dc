//! `gtcamp state migrate --to postgres`: move a local state into the shared database.
//!
//! A team moving to shared state must not lose what its local state knows (which tasks are
//! gtcamp's, which intents are still open) nor start a second line of history: the row gets
//! the file's lineage, serial and open intents, and the file is renamed so that no run can
//! use it by mistake afterwards.

use std::path::PathBuf;
use std::time::Duration;

use super::journal::Persist;
use super::postgres::PostgresTarget;
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
    /// The local state held nothing and the database's did: the row was kept as it was, and
    /// the figures above are the row's.
    pub kept_database: bool,
    /// Where the local state file went.
    pub moved_to: PathBuf,
}

/// Copies the local state of `store` (read under its lock, journal replayed) into its
/// PostgreSQL row, then renames the local file to `state.json.migrated`.
///
/// | local state      | row                                   | what happens                  |
/// |------------------|---------------------------------------|-------------------------------|
/// | anything         | none, or one that holds nothing       | the row becomes the local one |
/// | anything         | this very state (an earlier migrate)  | only the renames are left     |
/// | holds nothing    | holds something                       | the row is kept               |
/// | holds something  | holds something, or has journal rows  | refused: the exact SQL to drop the row is shown |
///
/// "Holds nothing" is no task, list push, binding, history or open intent: a row a plan
/// created (and tied to its app id) before the migration is such a row, whatever its serial.
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
    // Replayed: the journal's outcomes are in the state, and its open intents counted.
    let row_holds_nothing = is_empty(&remote.state) && remote.replayed.open.is_empty();
    let local_holds_nothing = is_empty(&state) && open.is_empty();
    let kept_database = !copied_before && !row_holds_nothing && local_holds_nothing;
    if copied_before || kept_database {
        // A migration that stopped between the database's commit and the renames: the row
        // already is this state (same lineage, same serial), so only the renames are left.
        // Or the local state has nothing to bring: the row stays as it is.
    } else if !row_holds_nothing {
        return Err(Error::MigrateRefused {
            reason: refusal(target, &remote.state, remote.replayed.open.len()),
        });
    } else {
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
    let (kept, open_intents) = if kept_database {
        (&remote.state, remote.replayed.open.len())
    } else {
        (&state, open.len())
    };
    Ok(Migrated {
        workspace: target.workspace().to_owned(),
        url: target.redacted_url(),
        lineage: kept.lineage.clone(),
        serial: kept.serial,
        tasks: kept.tasks.len(),
        list_pushes: kept.fired.len(),
        bindings: kept.bindings.len(),
        open_intents,
        kept_database,
        moved_to,
    })
}

/// Why the row must not be overwritten, and the statements that would drop it: each id, the
/// URL and each statement on a line of its own, so that no message wraps inside one.
fn refusal(target: &PostgresTarget, remote: &State, open: usize) -> String {
    let workspace = target.workspace();
    let quoted = workspace.replace('\'', "''");
    let mut holds = format!(
        "{} scheduled tasks, {} list pushes, {} phone bindings",
        remote.tasks.len(),
        remote.fired.len(),
        remote.bindings.len()
    );
    if !remote.history.is_empty() {
        holds.push_str(&format!(", {} sent occurrences", remote.history.len()));
    }
    if open > 0 {
        holds.push_str(&format!(", {open} operations an unfinished run left open"));
    }
    format!(
        "the database already holds a state of workspace `{workspace}`, and migrating the local state over it would lose it; nothing was changed\n  \
         database: {url}\n  \
         it holds: {holds} (serial {serial})\n  \
         lineage:  {lineage}\n\
         To keep both, set another `state.workspace` in gtcamp.yaml. If the database's state is not needed (gtcamp then forgets its tasks, which stay on Getui and fire), delete it and run `gtcamp state migrate --to postgres` again:\n  \
         DELETE FROM gtcamp_journal WHERE workspace = '{quoted}';\n  \
         DELETE FROM gtcamp_state WHERE workspace = '{quoted}';",
        url = target.redacted_url(),
        serial = remote.serial,
        lineage = remote.lineage,
    )
}

fn is_empty(state: &State) -> bool {
    super::owner::is_empty(state)
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

    #[test]
    fn a_refusal_puts_each_id_and_statement_on_a_line_of_its_own() {
        let config = crate::model::StateConfig {
            backend: crate::model::StateBackend::Postgres,
            ..Default::default()
        };
        let env = |variable: &str| {
            (variable == "GTCAMP_PG_URL")
                .then(|| "postgres://gtcamp:secret@db.internal:5432/gtcamp".to_owned())
        };
        let target = PostgresTarget::from_config(&config, "o'shop", "production", &env)
            .unwrap_or_else(|error| panic!("{error}"));
        let remote = State {
            lineage: "5f0c6a52-8d4e-4f7e-9a51-3c2b1d0e9f88".to_owned(),
            serial: 3,
            ..crate::state::file::fresh()
        };
        let said = refusal(&target, &remote, 1);
        let lines: Vec<&str> = said.lines().map(str::trim).collect();
        assert!(
            lines.contains(&"lineage:  5f0c6a52-8d4e-4f7e-9a51-3c2b1d0e9f88"),
            "{said}"
        );
        assert!(
            lines.contains(&"database: postgres://gtcamp:***@db.internal:5432/gtcamp"),
            "{said}"
        );
        assert!(
            lines.contains(&"DELETE FROM gtcamp_state WHERE workspace = 'o''shop/production';"),
            "{said}"
        );
        assert!(
            said.contains("1 operations an unfinished run left open"),
            "{said}"
        );
        assert!(!said.contains("secret"), "{said}");
    }
}
