//! `Moved` and `Removed` documents → [`Lifecycle`]: renames with their chains followed.

use std::collections::HashMap;

use super::{Lifecycle, Move};
use crate::load::LoadedWorkspace;
use crate::model::{Document, Renamed, follow};

/// The workspace's renames and removals. `check` has refused circles and renames to
/// undeclared names; a circle met here anyway is left out rather than followed.
pub(super) fn of(workspace: &LoadedWorkspace) -> Lifecycle {
    let mut renames: HashMap<(Renamed, &str), &str> = HashMap::new();
    let mut lifecycle = Lifecycle::default();
    for loaded in &workspace.documents {
        match &loaded.document {
            Some(Document::Moved(moved)) => {
                for (what, rename) in moved.renames() {
                    renames.insert((what, &rename.from), &rename.to);
                }
            }
            Some(Document::Removed(removed)) => {
                lifecycle
                    .removed
                    .insert(removed.campaign.clone(), removed.cancel);
            }
            _ => {}
        }
    }
    lifecycle.moves = renames
        .keys()
        .filter_map(|&(what, from)| {
            let to = follow(&renames, what, from)?;
            Some(Move {
                what,
                from: from.to_owned(),
                to: to.to_owned(),
            })
        })
        .collect();
    lifecycle.moves.sort();
    lifecycle
}
