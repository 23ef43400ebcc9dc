//! Renames (`Moved`): what state knows under an old campaign name moves to the new one.
//!
//! Used live when apply records a rename, when a journal is replayed, and by the planner on
//! its own copy of state, so all three see the same result. Applying one twice changes
//! nothing the second time.

use super::State;
use crate::compile::{Move, OccurrenceKey};
use crate::model::Renamed;

/// What a rename moves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Followed {
    /// Scheduled tasks state tracks.
    pub tasks: usize,
    /// Sends in the history and list pushes fired.
    pub sends: usize,
}

/// Whether `rename` still has something to do in `state`, and what it would move.
pub fn follows(state: &State, rename: &Move) -> Option<Followed> {
    let from = rename.from.as_str();
    let mut followed = Followed::default();
    if rename.what == Renamed::Campaign {
        followed.tasks = state.tasks.values().filter(|t| t.campaign == from).count();
        followed.sends = state.fired.values().filter(|f| f.campaign == from).count()
            + state.history.iter().filter(|h| h.campaign == from).count();
    }
    let left = followed != Followed::default() || state.protected.contains(from);
    let pending = left && rename.what == Renamed::Campaign || !state.renamed.contains(rename);
    pending.then_some(followed)
}

/// Moves what `state` knows under `rename.from` to `rename.to`, and records the rename. A
/// send the new name already has under the same key stays, and the old one keeps its key:
/// the plan then cancels the old one rather than lose either.
pub fn rename(state: &mut State, rename: &Move) {
    if rename.what == Renamed::Campaign {
        let (from, to) = (rename.from.as_str(), rename.to.as_str());
        rekey(&mut state.tasks, from, to, |task| &mut task.campaign);
        rekey(&mut state.fired, from, to, |push| &mut push.campaign);
        for entry in state.history.iter_mut().filter(|h| h.campaign == from) {
            entry.key = entry.key.renamed(from, to);
            entry.campaign = to.to_owned();
        }
        if state.protected.remove(from) {
            state.protected.insert(to.to_owned());
        }
    }
    state.renamed.insert(rename.clone());
}

/// Moves the entries of campaign `from` in `map` to the keys of `to`. An entry `to` already
/// has under a key stays, and the old one keeps its own.
fn rekey<T>(
    map: &mut std::collections::BTreeMap<OccurrenceKey, T>,
    from: &str,
    to: &str,
    campaign: fn(&mut T) -> &mut String,
) {
    let keys: Vec<OccurrenceKey> = (map.iter_mut())
        .filter_map(|(key, entry)| (campaign(entry) == from).then(|| key.clone()))
        .collect();
    for old in keys {
        let new = old.renamed(from, to);
        if map.contains_key(&new) {
            continue;
        }
        if let Some(mut entry) = map.remove(&old) {
            *campaign(&mut entry) = to.to_owned();
            map.insert(new, entry);
        }
    }
}

/// The key and campaign a send journaled as `key` of `campaign` has in `state`, once the
/// renames state recorded are followed: an operation journaled before a rename and settled
/// after it lands under the new name.
pub(crate) fn known_now(
    state: &State,
    key: &OccurrenceKey,
    campaign: &str,
) -> (OccurrenceKey, String) {
    let mut now = (key.clone(), campaign.to_owned());
    // Each step follows one recorded rename; more steps than renames is a circle.
    for _ in 0..state.renamed.len() {
        let next = state
            .renamed
            .iter()
            .find(|m| m.what == Renamed::Campaign && m.from == now.1);
        match next {
            Some(rename) => now = (now.0.renamed(&rename.from, &rename.to), rename.to.clone()),
            None => break,
        }
    }
    now
}
