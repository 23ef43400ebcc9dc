//! Renames, protection and the hint at `Moved`: what a plan adds to the changes for the
//! workspace's lifecycle documents (`Moved`, `Removed`) and `protect`.
//!
//! The planner follows renames on its own copy of state, with the same function apply
//! records them with ([`crate::state::rename`]), so that the rest of the diff sees the tasks
//! under their new names: a rename with nothing else changed then plans nothing but itself.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{Action, Change, Note, ProtectionChange, RenameChange};
use crate::compile::{Desired, Fingerprint};
use crate::state::State;

/// State as the planner sees it once the pending renames are followed.
pub struct Followed<'a> {
    pub state: Cow<'a, State>,
    pub changes: Vec<RenameChange>,
}

impl Followed<'_> {
    /// Whether any rename moved something, so tasks may have new keys.
    pub fn renamed(&self) -> bool {
        matches!(self.state, Cow::Owned(_))
    }
}

/// Follows the workspace's pending renames in a copy of `state` (borrowed as it is when
/// none is pending: a state of a million bindings takes a while to copy).
pub fn follow<'a>(desired: &Desired, state: &'a State) -> Followed<'a> {
    let pending: Vec<RenameChange> = (desired.lifecycle.moves.iter())
        .filter_map(|rename| {
            let followed = crate::state::follows(state, rename)?;
            Some(RenameChange {
                rename: rename.clone(),
                tasks: followed.tasks,
                sends: followed.sends,
            })
        })
        .collect();
    if pending.is_empty() {
        return Followed {
            state: Cow::Borrowed(state),
            changes: pending,
        };
    }
    let mut followed = state.clone();
    for change in &pending {
        crate::state::rename(&mut followed, &change.rename);
    }
    Followed {
        state: Cow::Owned(followed),
        changes: pending,
    }
}

/// Hints at `Moved` where a campaign the workspace dropped has its pushes cancelled while a
/// new campaign creates the very same pushes (same fingerprint: same request, same time).
pub fn looks_renamed(desired: &Desired, state: &State, changes: &[Change]) -> Vec<Note> {
    let dropped: BTreeMap<&Fingerprint, &str> = changes
        .iter()
        .filter(|c| c.action == Action::Delete && !desired.campaigns.contains_key(&c.campaign))
        .filter_map(|c| Some((&c.before.as_ref()?.fingerprint, c.campaign.as_str())))
        .collect();
    if dropped.is_empty() {
        return Vec::new();
    }
    let known: HashSet<&str> = state.tasks.values().map(|t| t.campaign.as_str()).collect();
    let pairs: BTreeSet<(&str, &str)> = changes
        .iter()
        .filter(|c| c.action == Action::Create && !known.contains(c.campaign.as_str()))
        .filter_map(|c| {
            let from = dropped.get(&c.after.as_ref()?.fingerprint)?;
            Some((*from, c.campaign.as_str()))
        })
        .collect();
    pairs
        .into_iter()
        .map(|(from, to)| Note::LooksRenamed {
            campaign: from.to_owned(),
            to: to.to_owned(),
        })
        .collect()
}

/// The protection state should record after this plan: every declared campaign that is
/// protected, and every protected campaign no longer declared that state will still track
/// pushes of. A record that is no longer wanted is dropped, so that a plan after the apply
/// is empty.
pub fn protection(desired: &Desired, state: &State, changes: &[Change]) -> Vec<ProtectionChange> {
    let untracked: HashSet<&crate::compile::OccurrenceKey> = changes
        .iter()
        .filter(|c| matches!(c.action, Action::Delete | Action::Release | Action::Forget))
        .map(|c| &c.key)
        .collect();
    let still_tracked: HashSet<&str> = (state.tasks.iter())
        .filter(|(key, _)| !untracked.contains(key))
        .map(|(_, task)| task.campaign.as_str())
        .collect();
    let declared = desired.campaigns.values().filter(|c| c.protected);
    let kept = (state.protected.iter())
        .filter(|c| !desired.campaigns.contains_key(*c) && still_tracked.contains(c.as_str()));
    let wanted: BTreeSet<&str> = declared
        .map(|c| c.name.as_str())
        .chain(kept.map(String::as_str))
        .collect();
    let recorded: BTreeSet<&str> = state.protected.iter().map(String::as_str).collect();
    let start = wanted.difference(&recorded).map(|c| (c, true));
    let stop = recorded.difference(&wanted).map(|c| (c, false));
    let mut out: Vec<ProtectionChange> = start
        .chain(stop)
        .map(|(campaign, protected)| ProtectionChange {
            campaign: (*campaign).to_owned(),
            protected,
        })
        .collect();
    out.sort_by(|a, b| a.campaign.cmp(&b.campaign));
    out
}

/// Whether `campaign` is protected: as declared, else as state records it (a protected
/// campaign whose document was deleted).
pub fn is_protected(desired: &Desired, state: &State, campaign: &str) -> bool {
    match desired.campaigns.get(campaign) {
        Some(info) => info.protected,
        None => state.protected.contains(campaign),
    }
}
