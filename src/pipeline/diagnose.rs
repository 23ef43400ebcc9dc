//! [`diagnose`]: every diagnostic `gtcamp validate` reports for a loaded workspace.

use chrono::{DateTime, Utc};

use crate::check::{CheckContext, Diagnostic, Summary, check_workspace};
use crate::load::LoadedWorkspace;

/// Every check's diagnostics and, when none is an error, the campaign lints' (on the sends
/// compiled as of `now`), sorted by place. Lints need the expanded sends, so only a
/// workspace free of errors gets them.
pub fn diagnose(workspace: &LoadedWorkspace, now: DateTime<Utc>) -> Vec<Diagnostic> {
    let mut diagnostics = check_workspace(workspace, &CheckContext { now });
    if Summary::of(&diagnostics).errors == 0 {
        let lints = crate::lint::lint_checked(workspace, now);
        diagnostics.extend(lints.into_iter().map(|finding| finding.diagnostic));
        crate::check::sort(&mut diagnostics);
    }
    diagnostics
}
