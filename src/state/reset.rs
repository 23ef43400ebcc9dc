//! `gtcamp state reset --target NAME`: drops a target's state that holds nothing, so that the
//! next run starts a new one (a new lineage, tied to the app id that run reaches).
//!
//! A state that records anything done on Getui is what keeps gtcamp from sending twice or
//! leaving a task behind, so it is refused, naming what it holds: scheduled tasks and list
//! pushes by key, phone bindings and history by count, and operations an interrupted run
//! left open. Only the person who knows the state is of no use can remove those, one way or
//! another; gtcamp does not guess.

use std::fmt::Write as _;
use std::time::Duration;

use super::journal::OpenOperations;
use super::{Error, State, StateStore, file, journal, lock};

/// How many tasks and list pushes a refusal names before it counts the rest.
const NAMED: usize = 10;

/// What `reset` removed, for the person who ran it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reset {
    /// There was no state to remove.
    Nothing { place: String },
    /// A state that held nothing was removed.
    Removed {
        place: String,
        lineage: String,
        app_id: Option<String>,
    },
}

impl StateStore {
    /// Removes the state of this store's target when it holds nothing (see the module doc);
    /// `target` names it in messages.
    pub fn reset(&self, target: &str, timeout: Duration) -> Result<Reset, Error> {
        if let Some(postgres) = self.postgres() {
            let place = format!(
                "the row of workspace `{}` in {}",
                postgres.workspace(),
                postgres.redacted_url()
            );
            let removed = super::postgres::reset(postgres, timeout, |state, open| {
                refusal(target, state, open)
            })?;
            return Ok(match removed {
                None => Reset::Nothing { place },
                Some(state) => Reset::Removed {
                    place,
                    lineage: state.lineage,
                    app_id: state.app_id,
                },
            });
        }
        let place = format!("`{}`", self.path().display());
        let journal_path = self.journal_path();
        if !self.path().exists() && !journal_path.exists() {
            return Ok(Reset::Nothing { place });
        }
        let _lock = lock::acquire(&self.lock_path(), timeout, "gtcamp state reset")?;
        let mut state = file::read(self.path())?.unwrap_or_else(file::fresh);
        let replayed = journal::replay(&journal_path, &mut state)?;
        refusal(target, &state, &replayed.open)?;
        // The journal first: a state file left alone without it still holds nothing.
        for path in [journal_path, self.path().to_path_buf()] {
            remove(&path)?;
        }
        file::sync_folder(self.path())?;
        Ok(Reset::Removed {
            place,
            lineage: state.lineage,
            app_id: state.app_id,
        })
    }
}

fn remove(path: &std::path::Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(file::io_error("remove", path, error))
        }
        _ => Ok(()),
    }
}

/// Why the state of `target` must be kept, if it must: what it holds, each key and id on a
/// line of its own so that no message wraps inside one.
pub(crate) fn refusal(target: &str, state: &State, open: &OpenOperations) -> Result<(), Error> {
    let mut held = String::new();
    let tasks = state.tasks.len();
    if tasks > 0 {
        let _ = writeln!(
            held,
            "  {}:",
            counted(tasks, "scheduled task", "scheduled tasks")
        );
        for (key, task) in state.tasks.iter().take(NAMED) {
            let _ = writeln!(held, "    {} (task {})", key.0, task.task_id);
        }
        more(&mut held, tasks);
    }
    let fired = state.fired.len();
    if fired > 0 {
        let _ = writeln!(held, "  {}:", counted(fired, "list push", "list pushes"));
        for key in state.fired.keys().take(NAMED) {
            let _ = writeln!(held, "    {}", key.0);
        }
        more(&mut held, fired);
    }
    let bindings = state.bindings.len();
    if bindings > 0 {
        let _ = writeln!(
            held,
            "  {} gtcamp made",
            counted(bindings, "phone binding", "phone bindings")
        );
    }
    let history = state.history.len();
    if history > 0 {
        let _ = writeln!(
            held,
            "  {} in its history, which keep them from being sent again",
            counted(history, "sent occurrence", "sent occurrences")
        );
    }
    if !open.is_empty() {
        let _ = writeln!(
            held,
            "  {} an interrupted run left open (the next plan or apply settles them)",
            counted(open.len(), "operation", "operations")
        );
    }
    if held.is_empty() {
        return Ok(());
    }
    Err(Error::ResetRefused {
        target: target.to_owned(),
        held: held.trim_end().to_owned(),
    })
}

fn more(held: &mut String, count: usize) {
    if count > NAMED {
        let _ = writeln!(held, "    … and {} more", count - NAMED);
    }
}

fn counted(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::PhoneHash;
    use crate::state::TrackedBinding;

    #[test]
    fn a_state_that_holds_nothing_may_go_and_one_that_holds_a_binding_says_so() {
        let mut state = file::fresh();
        assert!(refusal("emu", &state, &OpenOperations::new()).is_ok());
        state.bindings.insert(
            "c-1".to_owned(),
            TrackedBinding::new(PhoneHash("0".repeat(32))),
        );
        let refused = refusal("emu", &state, &OpenOperations::new()).unwrap_err();
        let said = refused.to_string();
        assert!(said.contains("target `emu`"), "{said}");
        assert!(said.contains("\n  1 phone binding gtcamp made\n"), "{said}");
    }
}
