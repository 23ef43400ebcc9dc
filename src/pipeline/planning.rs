//! From an open [`Session`] to a plan: refresh, diff, hold back what recovery could not
//! settle, estimate, and carry the warnings; and the check a saved plan must pass.

use crate::apply::recover::Unsettled;
use crate::load::codes;
use crate::plan::{
    DiffContext, Note, Plan, PlanMeta, PushBudget, Selection, Warning, diff, estimate, refresh,
};

use super::{RunError, Session};

/// What a plan covers and which protected campaigns it may cancel, as the command line
/// says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// `None`: the whole workspace.
    pub selection: Option<Selection>,
    /// Protected campaigns whose pushes may be cancelled or replaced (`--allow-cancel`).
    pub allow_cancel: Vec<String>,
}

/// Refreshes (unless told not to) and diffs into a plan of what `scope` covers.
pub async fn make_plan(
    session: &Session,
    refresh_remote: bool,
    parallelism: usize,
    scope: &Scope,
) -> Result<Plan, RunError> {
    // Shared, not copied: a state of a million bindings takes a while to clone.
    let state = session.locked.snapshot();
    let remote = if refresh_remote {
        Some(refresh(session.connection.api.as_ref(), &state, parallelism.max(1)).await)
    } else {
        None
    };
    let meta = PlanMeta {
        workspace: session.dir.clone(),
        target: session.connection.name.clone(),
        lineage: state.lineage.clone(),
        serial: state.serial,
        input_fingerprint: session.desired.input_fingerprint.clone(),
        earliest_push_time: None,
        created_at: session.now,
        refreshed: refresh_remote,
        selection: None,
        allow_cancel: scope.allow_cancel.clone(),
    };
    let context = DiffContext {
        now: session.now,
        meta,
        max_push_ahead: session.connection.max_push_ahead,
    };
    let mut plan = diff(&session.desired, &state, remote.as_ref(), context);
    hold_back(&mut plan, &session.unsettled, &session.desired);
    if let Some(selection) = &scope.selection {
        crate::plan::select::select(&mut plan, selection.clone(), &session.desired, &state)?;
    }
    count_pushes(session, &mut plan);
    let api = session.connection.api.as_ref();
    estimate(
        api,
        &session.desired,
        &mut plan,
        refresh_remote,
        parallelism,
    )
    .await;
    plan.warnings = warnings(session);
    Ok(plan)
}

/// The checks' and the lints' warnings, in file order.
fn warnings(session: &Session) -> Vec<Warning> {
    let checks = session.warnings.iter().map(|d| (d, None));
    let lints = session
        .lints
        .iter()
        .map(|f| (&f.diagnostic, Some(f.campaign.clone())));
    let mut warnings: Vec<Warning> = checks
        .chain(lints)
        .map(|(warning, campaign)| Warning::from_diagnostic(warning, campaign))
        .collect();
    // Both lists are in file order; a stable sort by place interleaves them.
    crate::load::sort_by_place(&mut warnings, |w| match (&w.file, w.line, w.column) {
        (Some(file), Some(line), Some(column)) => Some((file.as_path(), line, column)),
        _ => None,
    });
    warnings
}

/// Takes out of `plan` every change to an occurrence whose open operation is unsettled,
/// noting why: creating, firing or replacing it could send it twice. The rest goes ahead.
/// An occurrence of a renamed campaign is held under its new name as well.
pub fn hold_back(plan: &mut Plan, unsettled: &[Unsettled], desired: &crate::compile::Desired) {
    if unsettled.is_empty() {
        return;
    }
    let renamed: Vec<crate::compile::OccurrenceKey> = unsettled
        .iter()
        .map(|u| desired.lifecycle.key_now(&u.key, &u.campaign))
        .collect();
    let held: std::collections::HashSet<&crate::compile::OccurrenceKey> =
        unsettled.iter().map(|u| &u.key).chain(&renamed).collect();
    plan.changes.retain(|change| !held.contains(&change.key));
    plan.notes
        .retain(|note| !matches!(note, Note::Unreachable { key, .. } if held.contains(key)));
    plan.notes
        .extend(unsettled.iter().map(|u| match u.unreachable {
            true => Note::Unreachable {
                key: u.key.clone(),
                campaign: u.campaign.clone(),
                error: u.reason.clone(),
            },
            false => Note::Held {
                key: u.key.clone(),
                campaign: u.campaign.clone(),
                reason: u.reason.clone(),
            },
        }));
}

/// Refuses to go on with a plan that skips a one-off campaign dated in the past that state
/// does not record as created or sent (the plan notes it `PastOccurrenceSkipped`): most
/// likely a mistyped year, which a note in a green CI job would let through (issue 29). A
/// campaign state records stays a note, so that old campaigns can stay in git. The error
/// is drawn like check's: file, line and column of its `at`, and how to fix it.
pub fn refuse_past(session: &Session, plan: &Plan) -> Result<(), RunError> {
    let past: Vec<&crate::compile::Occurrence> = plan
        .notes
        .iter()
        .filter_map(|note| match note {
            Note::PastOccurrenceSkipped { key, .. } => session.desired.occurrences.get(key),
            _ => None,
        })
        .collect();
    if past.is_empty() {
        return Ok(());
    }
    // Only on the way out: the session no longer holds the workspace, and the snippets
    // need its text.
    let workspace = crate::load::load_workspace(&session.dir, &crate::load::Limits::default());
    let target = &session.connection.name;
    let diagnostics = past
        .iter()
        .map(|occurrence| past_error(&workspace, occurrence, target))
        .collect();
    Err(RunError::invalid(diagnostics, workspace))
}

/// The error for a one-off campaign dated in the past, at its `schedule.at`.
fn past_error(
    workspace: &crate::load::LoadedWorkspace,
    occurrence: &crate::compile::Occurrence,
    target: &str,
) -> crate::load::Diagnostic {
    let campaign = &occurrence.campaign;
    let diagnostic = crate::load::Diagnostic::error(
        codes::GC055,
        format!(
            "campaign `{campaign}` is scheduled at {}, which is in the past, and the state of target `{target}` does not record it as created or sent",
            occurrence.fire_at.to_rfc3339()
        ),
    )
    .help("set a future `at` (a mistyped year?), or `enabled: false` if it was sent without gtcamp; nothing was changed")
    .label("in the past");
    let at = crate::load::FieldPath::root().key("schedule").key("at");
    let written = workspace.documents.iter().find(|document| {
        matches!(&document.document, Some(crate::model::Document::Campaign(c)) if c.name == *campaign)
    });
    match written {
        Some(document) => {
            let span = document
                .spans
                .value_or_nearest(&at)
                .unwrap_or(document.start);
            diagnostic.at(&document.file, span)
        }
        None => diagnostic,
    }
}

/// Counts what `plan`'s apply asks of the target's limits on pushes.
pub fn count_pushes(session: &Session, plan: &mut Plan) {
    let state = session.locked.snapshot();
    plan.pushes = PushBudget::of(
        plan.pushes_made(),
        session.connection.limits,
        state.pushes_made.as_ref(),
        session.now,
    );
}

/// Refuses a plan whose apply would go over one of the target's daily limits on pushes
/// (see [`PushBudget::over_daily`]).
pub fn refuse_over_limits(session: &Session, plan: &Plan) -> Result<(), RunError> {
    let over = plan
        .pushes
        .as_ref()
        .and_then(|budget| budget.over_daily(session.now));
    match over {
        Some(over) => Err(RunError::OverLimit {
            target: session.connection.name.clone(),
            over,
        }),
        None => Ok(()),
    }
}

/// Refuses a plan that would cancel or replace pushes of a protected campaign that
/// `--allow-cancel` did not name.
pub fn refuse_protected(session: &Session, plan: &Plan) -> Result<(), RunError> {
    let state = session.locked.snapshot();
    let found = crate::plan::select::protected_cancels(plan, &session.desired, &state);
    match found.is_empty() {
        true => Ok(()),
        false => Err(RunError::Protected(found)),
    }
}

/// Refuses a saved plan that no longer matches the state, the inputs or the clock.
pub fn check_saved(session: &Session, plan: &Plan) -> Result<(), RunError> {
    crate::plan::check_fresh(
        plan,
        &session.locked.snapshot(),
        &session.desired,
        session.now,
        session.lead_time()?,
    )?;
    Ok(())
}
