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
    /// A real target's credentials are not in the environment: every one that is missing,
    /// so that one run says all that is needed.
    #[error("target `{target}` needs the environment {}", needed(missing))]
    MissingCredentials {
        target: String,
        /// The variables, each with what it holds (`GETUI_APP_KEY`, `app key`).
        missing: Vec<(&'static str, &'static str)>,
    },
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
    /// The plan names campaigns that match nothing, or a bad glob.
    #[error(transparent)]
    Selection(#[from] crate::plan::select::SelectionError),
    /// The plan would cancel or replace pushes of protected campaigns.
    #[error("{}", protected(.0))]
    Protected(Vec<crate::plan::select::ProtectedCancel>),
    /// The apply would go over a daily limit of Getui's on pushes.
    #[error("target `{target}`: {over}")]
    OverLimit {
        target: String,
        over: crate::plan::OverLimit,
    },
}

/// A workspace refused by check or by an `error`-level lint: the diagnostics that stop the
/// run (warnings among them), with the workspace their snippets come from.
#[derive(Debug)]
pub struct Invalid {
    pub diagnostics: Vec<Diagnostic>,
    pub workspace: LoadedWorkspace,
}

/// The protected campaigns a plan would cancel, and the way to go ahead on purpose.
fn protected(found: &[crate::plan::select::ProtectedCancel]) -> String {
    let mut text = String::from("the plan would cancel or replace pushes of protected campaigns:");
    for one in found {
        let mut what = Vec::new();
        if one.cancel > 0 {
            what.push(format!("{} to cancel", one.cancel));
        }
        if one.replace > 0 {
            what.push(format!("{} to replace", one.replace));
        }
        text.push_str(&format!("\n  - {}: {}", one.campaign, what.join(", ")));
    }
    let flags: Vec<String> = found
        .iter()
        .map(|one| format!("--allow-cancel {}", one.campaign))
        .collect();
    text.push_str(&format!(
        "\nNothing was changed. If this is meant, run again with `{}`; or set `protect: false` on the campaign and apply that first",
        flags.join(" ")
    ));
    text
}

/// `variable GETUI_APP_KEY; set it to the app's app key`, or both variables and both things.
fn needed(missing: &[(&str, &str)]) -> String {
    let names: Vec<&str> = missing.iter().map(|(name, _)| *name).collect();
    let things: Vec<&str> = missing.iter().map(|(_, what)| *what).collect();
    match names.as_slice() {
        [one] => format!("variable {one}; set it to the app's {}", things.join("")),
        _ => format!(
            "variables {}; set them to the app's {}",
            names.join(" and "),
            things.join(" and ")
        ),
    }
}

/// Every credential a real target reads from the environment, with what it holds.
const CREDENTIALS: [(&str, &str); 2] = [
    (crate::target::APP_KEY_VAR, "app key"),
    (crate::target::MASTER_SECRET_VAR, "master secret"),
];

impl RunError {
    /// The error with all that its stage did not stop to say. Connecting stops at the first
    /// credential missing from the environment, so a newcomer learned of `GETUI_APP_KEY`,
    /// set it, and only then of `GETUI_MASTER_SECRET` (issue 29); this names every one
    /// that `env` lacks.
    pub fn told_in_full(self, env: &dyn Fn(&str) -> Option<String>) -> RunError {
        let RunError::Target(crate::target::TargetError::MissingVariable {
            target,
            variable,
            what,
        }) = self
        else {
            return self;
        };
        let missing: Vec<(&'static str, &'static str)> = CREDENTIALS
            .into_iter()
            .filter(|(name, _)| *name == variable || env(name).is_none_or(|v| v.is_empty()))
            .collect();
        RunError::MissingCredentials {
            target,
            missing: if missing.is_empty() {
                vec![(variable, what)]
            } else {
                missing
            },
        }
    }

    /// The run stops on `diagnostics` of `workspace`.
    pub(super) fn invalid(diagnostics: Vec<Diagnostic>, workspace: LoadedWorkspace) -> RunError {
        RunError::Invalid(Box::new(Invalid {
            diagnostics,
            workspace,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::RunError;
    use crate::target::{APP_KEY_VAR, MASTER_SECRET_VAR, TargetError};

    fn missing(variable: &'static str, what: &'static str) -> RunError {
        RunError::Target(TargetError::MissingVariable {
            target: "production".to_owned(),
            variable,
            what,
        })
    }

    #[test]
    fn every_missing_credential_is_named_at_once() {
        let error = missing(APP_KEY_VAR, "app key").told_in_full(&|_| None);
        assert_eq!(
            error.to_string(),
            "target `production` needs the environment variables GETUI_APP_KEY and GETUI_MASTER_SECRET; set them to the app's app key and master secret"
        );
    }

    #[test]
    fn a_credential_that_is_set_is_not_named() {
        let env = |name: &str| (name == APP_KEY_VAR).then(|| "key".to_owned());
        let error = missing(MASTER_SECRET_VAR, "master secret").told_in_full(&env);
        assert_eq!(
            error.to_string(),
            "target `production` needs the environment variable GETUI_MASTER_SECRET; set it to the app's master secret"
        );
    }
}
