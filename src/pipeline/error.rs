//! Why a plan, an apply or a calendar stopped before changing anything.

use std::path::PathBuf;

use crate::check::Diagnostic;
use crate::load::LoadedWorkspace;

/// Why a run stopped before changing anything.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Check, or a lint set to `error`, refused the workspace: the caller draws it.
    #[error("the workspace has errors (shown above); fix them and run again")]
    Invalid(Box<Invalid>),
    #[error("`{dir}` has no gtcamp.yaml with workspace settings")]
    NoSettings { dir: PathBuf },
    #[error(transparent)]
    Target(#[from] crate::target::TargetError),
    #[error(transparent)]
    Context(#[from] crate::compile::ContextError),
    #[error(transparent)]
    Compile(#[from] crate::compile::CompileError),
    /// A duration too long to compute with (check reports it first, GC067).
    #[error(transparent)]
    TooLong(#[from] crate::model::DurationTooLong),
    #[error(transparent)]
    State(#[from] crate::state::Error),
    #[error(transparent)]
    Recover(#[from] crate::apply::recover::RecoverError),
    #[error("the saved plan is stale: {0}")]
    Stale(#[from] crate::plan::Stale),
    #[error(transparent)]
    PlanFile(#[from] crate::plan::saved::PlanFileError),
}

/// A workspace refused by check or by an `error`-level lint: the diagnostics that stop the
/// run (warnings among them), with the workspace their snippets come from.
#[derive(Debug)]
pub struct Invalid {
    pub diagnostics: Vec<Diagnostic>,
    pub workspace: LoadedWorkspace,
}

impl RunError {
    /// The run stops on `diagnostics` of `workspace`.
    pub(super) fn invalid(diagnostics: Vec<Diagnostic>, workspace: LoadedWorkspace) -> RunError {
        RunError::Invalid(Box::new(Invalid {
            diagnostics,
            workspace,
        }))
    }
}
