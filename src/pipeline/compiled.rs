//! The stages that need no network: load → check → settings → target → compile.

use std::path::Path;

use crate::check::{CheckContext, Diagnostic, Summary, TargetScope, check_workspace_for};
use crate::compile::{CompileContext, Desired, compile};
use crate::load::{Limits, LoadedWorkspace, load_workspace};
use crate::model::{Document, Workspace};

use super::RunError;

/// A workspace loaded, checked and compiled for one target.
pub struct Compiled {
    pub workspace: LoadedWorkspace,
    /// The workspace settings, as compiled (after `adjust`).
    pub settings: Workspace,
    /// The target's name: the one asked for, else the default.
    pub target: String,
    pub desired: Desired,
    /// The checks' findings: warnings only, errors having stopped the run.
    pub diagnostics: Vec<Diagnostic>,
}

/// A workspace loaded and checked for one target, ready to compile.
pub struct Checked {
    pub workspace: LoadedWorkspace,
    /// The workspace settings (after `adjust`).
    pub settings: Workspace,
    /// The target's name: the one asked for, else the default.
    pub target: String,
    /// What compiling for that target needs.
    pub context: CompileContext,
    /// The checks' findings: warnings only, errors having stopped the run.
    pub diagnostics: Vec<Diagnostic>,
}

/// Load → check → settings → target → compile: the start of [`super::open`], and all that
/// `gtcamp calendar` needs. Check errors stop it with [`RunError::Invalid`], which holds
/// them for the caller to draw. `adjust` may change the checked workspace before it
/// compiles (the calendar widens the horizon to its window).
pub fn compile_checked(
    dir: &Path,
    target: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
    adjust: impl FnOnce(&mut LoadedWorkspace),
) -> Result<Compiled, RunError> {
    let checked = check_for_target(dir, target, now, adjust)?;
    let desired = compile(&checked.workspace, &checked.context)?;
    Ok(Compiled {
        workspace: checked.workspace,
        settings: checked.settings,
        target: checked.target,
        desired,
        diagnostics: checked.diagnostics,
    })
}

/// Load → check → settings → target: [`compile_checked`] without the compile, for a caller
/// that compiles while it does something else ([`super::open`] connects).
pub fn check_for_target(
    dir: &Path,
    target: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
    adjust: impl FnOnce(&mut LoadedWorkspace),
) -> Result<Checked, RunError> {
    let mut workspace = load_workspace(dir, &Limits::default());
    // What the target cannot do (REST API V2's refusals) is judged for this run's target
    // only: a workspace with SMS fallback still plans on its legacy target.
    let chosen = settings_of(&workspace).map(|settings| settings.chosen_target(target));
    let scope = chosen
        .as_deref()
        .map_or(TargetScope::Every, TargetScope::Named);
    let diagnostics = check_workspace_for(&workspace, &CheckContext { now }, scope);
    if Summary::of(&diagnostics).errors > 0 {
        return Err(RunError::invalid(diagnostics, workspace));
    }
    adjust(&mut workspace);
    let settings = settings_of(&workspace).ok_or_else(|| RunError::NoSettings {
        dir: dir.to_path_buf(),
    })?;
    let name = settings.chosen_target(target);
    let context = CompileContext::for_target(&settings, &name, now)?;
    Ok(Checked {
        workspace,
        settings,
        target: name,
        context,
        diagnostics,
    })
}

fn settings_of(workspace: &LoadedWorkspace) -> Option<Workspace> {
    workspace
        .documents
        .iter()
        .find_map(|doc| match &doc.document {
            Some(Document::Workspace(settings)) => Some((**settings).clone()),
            _ => None,
        })
}
