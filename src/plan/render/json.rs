//! `--format json`: the plan for tools. Stable and documented in
//! `docs/reference/plan-json.md`; the field names are defined here and nowhere else. Bump [`JSON_FORMAT_VERSION`] on any change
//! a consumer would notice (the golden test beside it fails first).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::compile::ContentSummary;
use crate::plan::{
    Action, BindingAction, Estimate, Note, Plan, ProtectionChange, PushBudget, Reason,
    RenameChange, Selection, Totals, Warning,
};
use crate::state::RemoteStatus;

/// The version of the JSON document.
pub const JSON_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    target: &'a str,
    lineage: &'a str,
    serial: u64,
    refreshed: bool,
    /// For a partial plan, what it covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    selection: Option<&'a Selection>,
    changes: Vec<ChangeJson<'a>>,
    bindings: Vec<BindingJson<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    renames: &'a [RenameChange],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    protection: &'a [ProtectionChange],
    notes: &'a [Note],
    /// Check and lint warnings, in file order.
    warnings: &'a [Warning],
    /// By campaign name, for campaigns with a send in this plan.
    estimates: &'a BTreeMap<String, Estimate>,
    /// The pushes Getui's limits count, when the plan makes any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pushes: Option<&'a PushBudget>,
    totals: Totals,
    has_changes: bool,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    key: &'a str,
    campaign: &'a str,
    action: &'static [&'static str],
    reason: Reason,
    before: Option<BeforeJson<'a>>,
    after: Option<AfterJson<'a>>,
}

#[derive(Serialize)]
struct BeforeJson<'a> {
    task_id: &'a str,
    push_time: String,
    timezone: &'a str,
    fingerprint: &'a str,
    status: RemoteStatus,
    content: &'a ContentSummary,
}

#[derive(Serialize)]
struct AfterJson<'a> {
    push_time: String,
    timezone: &'a str,
    fingerprint: &'a str,
    content: &'a ContentSummary,
    audience_size: Option<u64>,
}

#[derive(Serialize)]
struct BindingJson<'a> {
    cid: &'a str,
    action: BindingAction,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

/// Terraform's convention: a list, so a consumer scans it for `delete`.
fn action_list(action: Action) -> &'static [&'static str] {
    match action {
        Action::Create => &["create"],
        Action::Delete => &["delete"],
        Action::DeleteThenCreate => &["delete", "create"],
        Action::Fire => &["fire"],
        Action::RecordMissed => &["record_missed"],
        Action::Forget => &["forget"],
        Action::Release => &["release"],
    }
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Renders `plan` as pretty JSON, ending with a newline.
pub fn render(plan: &Plan) -> String {
    let changes = plan
        .changes
        .iter()
        .map(|change| ChangeJson {
            key: &change.key.0,
            campaign: &change.campaign,
            action: action_list(change.action),
            reason: change.reason,
            before: change.before.as_ref().map(|b| BeforeJson {
                task_id: &b.task_id,
                push_time: rfc3339(b.push_time),
                timezone: &b.timezone,
                fingerprint: &b.fingerprint.0,
                status: b.status,
                content: &b.content,
            }),
            after: change.after.as_ref().map(|a| AfterJson {
                push_time: rfc3339(a.push_time),
                timezone: &a.timezone,
                fingerprint: &a.fingerprint.0,
                content: &a.content,
                audience_size: a.audience_size,
            }),
        })
        .collect();
    let bindings = plan
        .bindings
        .iter()
        .map(|b| BindingJson {
            cid: &b.cid,
            action: b.action,
            before: b.before_prefix.as_deref(),
            after: b.after_prefix.as_deref(),
        })
        .collect();
    let document = Document {
        format_version: JSON_FORMAT_VERSION,
        target: &plan.meta.target,
        lineage: &plan.meta.lineage,
        serial: plan.meta.serial,
        refreshed: plan.meta.refreshed,
        selection: plan.meta.selection.as_ref(),
        changes,
        bindings,
        renames: &plan.renames,
        protection: &plan.protection,
        notes: &plan.notes,
        warnings: &plan.warnings,
        estimates: &plan.estimates,
        pushes: plan.pushes.as_ref(),
        totals: plan.totals(),
        has_changes: plan.has_changes(),
    };
    // Every field is a string, number, bool or list of them: serialising cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
