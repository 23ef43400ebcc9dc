//! `gtcamp state assign --target NAME`: gives the one state an earlier version kept for
//! every target to the target it was made for, which only the person running it knows.
//!
//! Locally the earlier `.gtcamp/state.json` (and its journal, with any operation an
//! interrupted run left open) moves to `.gtcamp/NAME/`, with the target recorded in it; the
//! old file is kept as `state.json.assigned`. The steps are ordered so that a crash between
//! any two leaves either the earlier state or the target's, and running it again finishes.
//! In PostgreSQL the row and its journal rows move to the target's key in one transaction.

use std::time::Duration;

use super::{Error, StateStore, file, lock, owner};

/// Where an assigned state came from and went to, for the person running it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub from: String,
    pub to: String,
}

impl StateStore {
    /// Assigns the earlier version's state to this store's target (see the module doc).
    pub fn assign(&self, timeout: Duration) -> Result<Assigned, Error> {
        if let Some(target) = self.postgres() {
            super::postgres::assign(target, timeout)?;
            return Ok(Assigned {
                from: format!("workspace `{}`", target.earlier_key()),
                to: format!("workspace `{}`", target.workspace()),
            });
        }
        let Some(earlier) = self.earlier_path() else {
            return Err(Error::AssignRefused {
                reason: "`state.path` in gtcamp.yaml has no `{target}`, so there is no earlier state to tell apart: every target already uses that one file".to_owned(),
            });
        };
        let earlier_store = StateStore::local(earlier);
        let _earlier_lock =
            lock::acquire(&earlier_store.lock_path(), timeout, "gtcamp state assign")?;
        std::fs::create_dir_all(file::folder_of(self.path()))
            .map_err(|source| file::io_error("create", self.path(), source))?;
        let _own_lock = lock::acquire(&self.lock_path(), timeout, "gtcamp state assign")?;
        let target = super::target_of(self.path());
        let Some(mut state) = file::read(earlier)? else {
            return Err(Error::AssignRefused {
                reason: format!(
                    "there is no `{}` to assign; nothing was changed",
                    earlier.display()
                ),
            });
        };
        if let Some(own) = file::read(self.path())?
            && !owner::is_empty(&own)
            && own.lineage != state.lineage
        {
            return Err(Error::AssignRefused {
                reason: format!(
                    "target `{target}` already has a state that holds tasks or bindings (`{}`); nothing was changed",
                    self.path().display()
                ),
            });
        }
        // The journal first: its open operations must never be left behind the state.
        move_if_present(&earlier_store.journal_path(), &self.journal_path())?;
        state.target = Some(target.clone());
        file::write(self.path(), &state)?;
        let aside = file::sibling(earlier, |name| format!("{name}.assigned"));
        std::fs::rename(earlier, &aside)
            .map_err(|source| file::io_error("rename", earlier, source))?;
        Ok(Assigned {
            from: earlier.display().to_string(),
            to: self.path().display().to_string(),
        })
    }
}

fn move_if_present(from: &std::path::Path, to: &std::path::Path) -> Result<(), Error> {
    match std::fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(file::io_error("move", from, source)),
    }
}
