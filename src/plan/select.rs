//! Partial plans and protected campaigns: what a plan may hold before apply runs it.
//!
//! [`select`] narrows a plan to the campaigns a person named (`--campaign`, `--exclude`),
//! so one urgent change can go out without the rest of a half-reviewed branch.
//! [`protected_cancels`] finds the cancels and replacements of protected campaigns that
//! `--allow-cancel` did not name: those stop the run.

use std::collections::BTreeMap;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::{Action, Plan, Selection, renames::is_protected};
use crate::compile::Desired;
use crate::state::State;

/// Why a selection cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    #[error("`{pattern}` is not a campaign name or glob: {reason}")]
    BadPattern { pattern: String, reason: String },
    #[error(
        "`--campaign {pattern}` matches no campaign of the workspace or its state{}",
        did_you_mean(near)
    )]
    MatchesNothing {
        pattern: String,
        near: Option<String>,
    },
}

fn did_you_mean(near: &Option<String>) -> String {
    match near {
        Some(near) => format!("; did you mean `{near}`?"),
        None => String::new(),
    }
}

/// Which campaigns a selection takes.
pub struct Selector {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Selector {
    pub fn new(selection: &Selection) -> Result<Selector, SelectionError> {
        let include = match selection.campaigns.is_empty() {
            true => None,
            false => Some(globs(&selection.campaigns)?),
        };
        Ok(Selector {
            include,
            exclude: globs(&selection.exclude)?,
        })
    }

    /// Whether the selection takes `campaign`.
    pub fn takes(&self, campaign: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|set| set.is_match(campaign))
            && !self.exclude.is_match(campaign)
    }
}

fn globs(patterns: &[String]) -> Result<GlobSet, SelectionError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|error| SelectionError::BadPattern {
            pattern: pattern.clone(),
            reason: error.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|error| SelectionError::BadPattern {
        pattern: patterns.join(" "),
        reason: error.to_string(),
    })
}

/// Narrows `plan` to `selection`, recording it and how much it left out. Every `--campaign`
/// pattern must match a campaign the workspace declares or state knows: a typo should not
/// give an empty plan that looks like success.
pub fn select(
    plan: &mut Plan,
    mut selection: Selection,
    desired: &Desired,
    state: &State,
) -> Result<(), SelectionError> {
    let known: Vec<&str> = (desired.campaigns.keys().map(String::as_str))
        .chain(state.tasks.values().map(|t| t.campaign.as_str()))
        .collect();
    for pattern in &selection.campaigns {
        let one = Selector::new(&Selection {
            campaigns: vec![pattern.clone()],
            ..Selection::default()
        })?;
        if !known.iter().any(|name| one.takes(name)) {
            return Err(SelectionError::MatchesNothing {
                pattern: pattern.clone(),
                near: crate::model::did_you_mean(pattern, known.iter().copied()).map(str::to_owned),
            });
        }
    }
    let selector = Selector::new(&selection)?;
    let before = counted(plan);
    plan.changes.retain(|c| selector.takes(&c.campaign));
    plan.notes
        .retain(|n| selector.takes(super::diff::note_campaign(n)));
    plan.renames
        .retain(|r| selector.takes(&r.rename.to) || selector.takes(&r.rename.from));
    plan.protection.retain(|p| selector.takes(&p.campaign));
    plan.campaigns.retain(|c| selector.takes(&c.name));
    if !selection.bindings {
        plan.bindings.clear();
    }
    selection.left_out = before - counted(plan);
    plan.meta.selection = Some(selection);
    Ok(())
}

/// What a reviewer counts as a change (bookkeeping left aside).
fn counted(plan: &Plan) -> usize {
    let changes = plan
        .changes
        .iter()
        .filter(|c| !matches!(c.action, Action::Forget | Action::RecordMissed))
        .count();
    changes + plan.bindings.len() + plan.renames.len() + plan.protection.len()
}

/// A protected campaign whose pushes the plan would cancel or replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedCancel {
    pub campaign: String,
    pub cancel: usize,
    pub replace: usize,
}

/// The protected campaigns whose pushes `plan` cancels or replaces and that its
/// `allow_cancel` does not name, by name.
pub fn protected_cancels(plan: &Plan, desired: &Desired, state: &State) -> Vec<ProtectedCancel> {
    let mut found: BTreeMap<&str, ProtectedCancel> = BTreeMap::new();
    for change in &plan.changes {
        let name = change.campaign.as_str();
        if !matches!(change.action, Action::Delete | Action::DeleteThenCreate)
            || plan.meta.allow_cancel.iter().any(|allowed| allowed == name)
            || !is_protected(desired, state, name)
        {
            continue;
        }
        let entry = found.entry(name).or_insert_with(|| ProtectedCancel {
            campaign: name.to_owned(),
            cancel: 0,
            replace: 0,
        });
        match change.action {
            Action::Delete => entry.cancel += 1,
            _ => entry.replace += 1,
        }
    }
    found.into_values().collect()
}
