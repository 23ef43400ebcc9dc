//! Renderers: a [`Plan`] as text for a terminal, JSON for tools, Markdown for a PR comment,
//! and annotations plus a job summary for GitHub Actions (`github`).
//!
//! They read a plan and never decide anything, so the three can never disagree. What they
//! share lives here: the words for actions, reasons and notes. How an instant or a count
//! reads, and how user text is escaped, is shared with the other outputs in
//! [`crate::render`].

pub mod github;
pub mod json;
pub mod markdown;
pub mod text;

use std::collections::BTreeMap;

use super::{Action, Change, Note, Plan, Reason};
use crate::compile::{CampaignInfo, ContentSummary};
use crate::render::{count, instant, noun, thousands};

#[cfg(test)]
pub(crate) mod tests;

/// Whether text output carries ANSI colours. The caller decides from its stream (the CLI:
/// on a terminal, without `NO_COLOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

/// The verb a reviewer reads for an action.
pub fn action_word(action: Action) -> &'static str {
    match action {
        Action::Create => "create",
        Action::Delete => "cancel",
        Action::DeleteThenCreate => "replace",
        Action::Fire => "fire",
        Action::RecordMissed => "record missed",
        Action::Forget => "forget",
        Action::Release => "leave on Getui",
    }
}

/// Why, in words.
pub fn reason_text(reason: Reason) -> &'static str {
    match reason {
        Reason::CreateBecauseNew => "new occurrence",
        Reason::CreateBecauseDeletedOutOfBand => "deleted on Getui outside gtcamp",
        Reason::CreateBecauseNowInWindow => "now inside Getui's push-ahead window",
        Reason::ReplaceBecauseContentChanged => "content changed",
        Reason::ReplaceBecauseTimeChanged => "push time changed",
        Reason::ReplaceBecauseChangedRemotely => "changed on Getui outside gtcamp",
        Reason::DeleteBecauseRemovedFromConfig => "campaign removed from the workspace",
        Reason::DeleteBecauseCampaignDisabled => "campaign disabled",
        Reason::DeleteBecauseNoLongerScheduled => "no longer in the campaign's schedule",
        Reason::FireBecauseDue => "due now",
        Reason::MissedBecauseGraceWindowPassed => "grace window passed; never sent late",
        Reason::ForgetBecauseSent => "Getui sent it; moves to history",
        Reason::ForgetBecauseFailed => "Getui failed to send it; moves to history",
        Reason::ForgetBecausePast => "its push time passed; moves to history",
        Reason::ForgetBecauseDeletedRemotely => {
            "deleted on Getui and no longer wanted; dropped from state"
        }
        Reason::DeleteBecauseChangedInsideLeadTime => {
            "content changed inside the lead time: too late to create the new version, so the old one is cancelled rather than sent stale"
        }
        Reason::DeleteBecauseChangedAndDeferred => {
            "content changed; the new version is beyond the push-ahead window and is created by a later apply"
        }
        Reason::ReleaseBecauseRemoved => {
            "campaign `Removed` with `cancel: false`: it fires on Getui as created, and gtcamp forgets it"
        }
    }
}

/// A note in words, its instants in `zone`.
pub fn note_text(note: &Note, zone: &str) -> String {
    match note {
        Note::PastOccurrenceSkipped { key, .. } => format!("{key}: its time has passed; skipped"),
        Note::InsideLeadTime { key, push_time, .. } => format!(
            "{key} at {}: inside the lead time; not created",
            instant(*push_time, zone)
        ),
        Note::Deferred { key, push_time, .. } => format!(
            "{key} at {}: beyond Getui's push-ahead window; created by a later apply",
            instant(*push_time, zone)
        ),
        Note::Drift {
            key, found, action, ..
        } => format!(
            "drift: {key} found {} on Getui; {action}",
            status_word(*found)
        ),
        Note::CampaignDisabled { .. } => {
            "campaign disabled: its future occurrences are cancelled".to_owned()
        }
        Note::AlreadySent { key, .. } => format!("{key}: Getui already sent it"),
        Note::Unreachable { key, error, .. } => {
            format!("{key}: Getui could not be asked ({error}); left alone")
        }
        Note::Held { key, reason, .. } => format!("{key}: held: {reason}"),
        Note::Missed { key, due_at, .. } => format!(
            "{key}: due at {}, past its grace window; never sent late",
            instant(*due_at, zone)
        ),
        Note::LooksRenamed { campaign, to } => format!(
            "campaign `{campaign}` looks renamed to `{to}`: its pushes are cancelled and created again. To keep them, add a `Moved` document: `kind: Moved`, `campaign: {{from: {campaign}, to: {to}}}`"
        ),
        Note::Compile(note) => note.to_string(),
    }
}

/// A rename in words.
pub fn rename_text(change: &crate::plan::RenameChange) -> String {
    let crate::compile::Move { what, from, to } = &change.rename;
    let follow = |n: usize| if n == 1 { "follows" } else { "follow" };
    let follows = match (change.tasks, change.sends) {
        (0, 0) => String::new(),
        (tasks, 0) => format!(
            ": {} {} the new name",
            count(tasks, "scheduled push", "scheduled pushes"),
            follow(tasks)
        ),
        (0, sends) => format!(
            ": {} {} the new name",
            count(sends, "send", "sends"),
            follow(sends)
        ),
        (tasks, sends) => format!(
            ": {} and {} follow the new name",
            count(tasks, "scheduled push", "scheduled pushes"),
            count(sends, "send", "sends")
        ),
    };
    format!("{what} {from} → {to}{follows}; nothing is sent or cancelled")
}

/// A protection change in words.
pub fn protection_text(change: &crate::plan::ProtectionChange) -> String {
    match change.protected {
        true => format!(
            "campaign {} is protected from now on: cancelling its pushes needs --allow-cancel {}",
            change.campaign, change.campaign
        ),
        false => format!("campaign {} is no longer protected", change.campaign),
    }
}

/// For a partial plan: what it covers and how much it left out.
pub fn selection_text(plan: &Plan) -> Option<String> {
    let selection = plan.meta.selection.as_ref()?;
    let names = |globs: &[String]| globs.join(", ");
    let mut covers = match selection.campaigns.is_empty() {
        true => "every campaign".to_owned(),
        false => format!("campaigns {}", names(&selection.campaigns)),
    };
    if !selection.exclude.is_empty() {
        covers.push_str(&format!(" except {}", names(&selection.exclude)));
    }
    covers.push_str(match selection.bindings {
        true => ", and phone bindings",
        false => "; phone bindings left out",
    });
    let left_out = match selection.left_out {
        0 => "Nothing else in the workspace needs a change.".to_owned(),
        n => format!(
            "{} elsewhere in the workspace {} left for another plan.",
            count(n, "change", "changes"),
            if n == 1 { "is" } else { "are" }
        ),
    };
    Some(format!("Partial plan: {covers}. {left_out}"))
}

fn status_word(status: crate::state::RemoteStatus) -> &'static str {
    use crate::state::RemoteStatus;
    match status {
        RemoteStatus::Created => "created",
        RemoteStatus::Scheduled => "scheduled but different",
        RemoteStatus::Sent => "sent",
        RemoteStatus::Failed => "failed",
        RemoteStatus::DeletedRemotely => "deleted",
        RemoteStatus::Unknown => "unknown",
    }
}

/// One field of a content diff.
#[derive(Debug)]
pub enum FieldDiff {
    /// Short values: `old → new` on one line (either may be absent).
    Inline {
        field: &'static str,
        old: Option<String>,
        new: Option<String>,
    },
    /// Long or multi-line values: a line diff, each line tagged `-`, `+` or ` `.
    Lines {
        field: &'static str,
        lines: Vec<(char, String)>,
    },
}

fn fields(content: &ContentSummary) -> [(&'static str, Option<&str>); 10] {
    [
        ("template", Some(content.template_type.as_str())),
        ("title", content.title.as_deref()),
        ("text", content.text.as_deref()),
        ("url", content.url.as_deref()),
        ("transmission", content.transmission.as_deref()),
        ("ios", content.ios.as_deref()),
        ("sms", content.sms.as_deref()),
        ("channels", content.channels.as_deref()),
        ("audience", Some(content.audience.as_str())),
        ("delivery", Some(content.delivery.as_str())),
    ]
}

/// The fields that differ between two contents, in a fixed order.
pub fn content_diff(old: &ContentSummary, new: &ContentSummary) -> Vec<FieldDiff> {
    let mut diffs = Vec::new();
    for ((field, before), (_, after)) in fields(old).into_iter().zip(fields(new)) {
        if before == after {
            continue;
        }
        let long =
            |text: Option<&str>| text.is_some_and(|t| t.contains('\n') || t.chars().count() > 60);
        if long(before) || long(after) {
            let diff = similar::TextDiff::from_lines(before.unwrap_or(""), after.unwrap_or(""));
            let lines = diff
                .iter_all_changes()
                .map(|change| {
                    let tag = match change.tag() {
                        similar::ChangeTag::Delete => '-',
                        similar::ChangeTag::Insert => '+',
                        similar::ChangeTag::Equal => ' ',
                    };
                    (tag, change.value().trim_end_matches('\n').to_owned())
                })
                .collect();
            diffs.push(FieldDiff::Lines { field, lines });
        } else {
            diffs.push(FieldDiff::Inline {
                field,
                old: before.map(str::to_owned),
                new: after.map(str::to_owned),
            });
        }
    }
    diffs
}

/// The fields a new occurrence sets, for creates and fires.
pub fn content_fields(content: &ContentSummary) -> Vec<(&'static str, &str)> {
    fields(content)
        .into_iter()
        .filter_map(|(field, value)| value.map(|v| (field, v)))
        .collect()
}

/// What a change shows under its heading: the time, the old task, the field diff.
pub struct ChangeView<'a> {
    pub change: &'a Change,
    pub zone: String,
}

impl ChangeView<'_> {
    /// The instant the change is about, in the campaign's zone.
    pub fn when(&self) -> String {
        let at = self
            .change
            .after
            .as_ref()
            .map(|a| a.push_time)
            .or_else(|| self.change.before.as_ref().map(|b| b.push_time));
        match at {
            Some(at) => instant(at, &self.zone),
            None => String::new(),
        }
    }

    /// `push time: old → new`, when a replace moves it.
    pub fn time_moved(&self) -> Option<(String, String)> {
        let (before, after) = (self.change.before.as_ref()?, self.change.after.as_ref()?);
        (before.push_time != after.push_time).then(|| {
            (
                instant(before.push_time, &before.timezone),
                instant(after.push_time, &after.timezone),
            )
        })
    }
}

/// Changes and notes by campaign name, in name order.
pub struct Grouped<'a> {
    pub campaigns: BTreeMap<&'a str, CampaignGroup<'a>>,
}

#[derive(Default)]
pub struct CampaignGroup<'a> {
    pub info: Option<&'a CampaignInfo>,
    pub changes: Vec<&'a Change>,
    pub notes: Vec<&'a Note>,
}

impl CampaignGroup<'_> {
    /// The zone the campaign's instants are shown in.
    pub fn zone(&self) -> String {
        match self.info {
            Some(info) => info.timezone.name().to_owned(),
            None => self
                .changes
                .iter()
                .find_map(|c| c.before.as_ref().map(|b| b.timezone.clone()))
                .unwrap_or_else(|| "UTC".to_owned()),
        }
    }
}

pub fn group(plan: &Plan) -> Grouped<'_> {
    let mut campaigns: BTreeMap<&str, CampaignGroup> = BTreeMap::new();
    for change in &plan.changes {
        campaigns
            .entry(&change.campaign)
            .or_default()
            .changes
            .push(change);
    }
    for note in &plan.notes {
        let name = super::diff::note_campaign(note);
        campaigns.entry(name).or_default().notes.push(note);
    }
    for info in &plan.campaigns {
        if let Some(group) = campaigns.get_mut(info.name.as_str()) {
            group.info = Some(info);
        }
    }
    Grouped { campaigns }
}

/// The totals line, exactly as scripts may grep it.
pub fn totals_line(plan: &Plan) -> String {
    let t = plan.totals();
    let mut line = format!(
        "Plan: {} to create, {} to replace, {} to cancel, {} to fire, {} to add, {} to remove",
        t.create,
        t.replace,
        t.cancel,
        t.fire,
        count(t.bind, "binding", "bindings"),
        t.unbind
    );
    // State-only changes, named only when there are any, so the usual line stays as it was.
    for (n, what) in [(t.rename, "to rename"), (t.release, "to leave on Getui")] {
        if n > 0 {
            line.push_str(&format!(", {n} {what}"));
        }
    }
    if t.protect > 0 {
        let changes = count(t.protect, "protection change", "protection changes");
        line.push_str(&format!(", {changes}"));
    }
    line.push('.');
    line
}

/// `1 user`, `23,727 users`.
fn users_count(users: u64) -> String {
    format!(
        "{} {}",
        thousands(users),
        if users == 1 { "user" } else { "users" }
    )
}

/// `1 bound number`, `4 bound numbers`.
fn bound_numbers(numbers: u64) -> String {
    let noun = if numbers == 1 {
        "bound number"
    } else {
        "bound numbers"
    };
    format!("{} {noun}", thousands(numbers))
}

/// A campaign's estimate in words: its audience, then its SMS reach when it has one.
pub fn estimate_lines(estimate: &super::Estimate) -> Vec<String> {
    use super::{AudienceSize, SmsNumbers};
    let audience = match &estimate.audience {
        AudienceSize::Counted { users } => format!("≈ {} (Getui's count)", users_count(*users)),
        AudienceSize::Listed { users } => format!("{} listed in the audience", thousands(*users)),
        AudienceSize::NotAsked => {
            "audience size not counted (with --refresh=false only the sign-in reaches Getui)"
                .to_owned()
        }
        AudienceSize::Unknown { error } => {
            format!("audience size unknown: Getui could not count it ({error})")
        }
    };
    let sms = estimate.sms.map(|sms| match sms {
        SmsNumbers::OfAudience { numbers } => {
            format!("SMS: {}", bound_numbers(numbers))
        }
        SmsNumbers::WorkspaceTotal { numbers } => format!(
            "SMS: at most {} (all the workspace binds)",
            bound_numbers(numbers)
        ),
    });
    std::iter::once(audience).chain(sms).collect()
}

/// How many warnings the text and Markdown views list; a busy workspace can have tens of
/// thousands of fatigue findings, which no reviewer reads in a terminal. JSON has them all.
pub const SHOWN_WARNINGS: usize = 50;

/// What the text and Markdown views say in place of the warnings they leave out.
pub fn more_warnings(plan: &super::Plan) -> Option<String> {
    let left_out = plan.warnings.len().checked_sub(SHOWN_WARNINGS)?;
    (left_out > 0).then(|| {
        format!(
            "… and {} more {}: `gtcamp validate --format json` or `gtcamp plan --format json` lists them all",
            thousands(u64::try_from(left_out).unwrap_or(u64::MAX)),
            noun(left_out, "warning", "warnings")
        )
    })
}

/// How many binding changes the text and Markdown views list. A workspace binds an app's
/// whole user base: a million lines nobody reviews, which took longer to print than the
/// plan took to make. JSON lists them all.
pub const SHOWN_BINDINGS: usize = 100;

/// The binding changes the text and Markdown views list: all of them up to
/// [`SHOWN_BINDINGS`], in plan order; past it, rebinds and unbinds first (they change which
/// phone an SMS goes to), then binds.
pub fn shown_bindings(plan: &super::Plan) -> Vec<&super::BindingChange> {
    if plan.bindings.len() <= SHOWN_BINDINGS {
        return plan.bindings.iter().collect();
    }
    let is_bind = |b: &&super::BindingChange| b.action == super::BindingAction::Bind;
    let changes = plan.bindings.iter().filter(|b| !is_bind(b));
    let binds = plan.bindings.iter().filter(is_bind);
    changes.chain(binds).take(SHOWN_BINDINGS).collect()
}

/// What the text and Markdown views say in place of the binding changes they leave out.
pub fn more_bindings(plan: &super::Plan) -> Option<String> {
    let left_out = plan.bindings.len().checked_sub(SHOWN_BINDINGS)?;
    if left_out == 0 {
        return None;
    }
    let shown = shown_bindings(plan);
    let left = |action: super::BindingAction| {
        let all = plan.bindings.iter().filter(|b| b.action == action).count();
        let listed = shown.iter().filter(|b| b.action == action).count();
        (all - listed, action)
    };
    let kinds: Vec<String> = [
        left(super::BindingAction::Bind),
        left(super::BindingAction::Rebind),
        left(super::BindingAction::Unbind),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, action)| {
        let (one, many) = match action {
            super::BindingAction::Bind => ("bind", "binds"),
            super::BindingAction::Rebind => ("rebind", "rebinds"),
            super::BindingAction::Unbind => ("unbind", "unbinds"),
        };
        count(n, one, many)
    })
    .collect();
    Some(format!(
        "… and {} more {} ({}): `gtcamp plan --format json` lists them all",
        thousands(left_out as u64),
        noun(left_out, "binding change", "binding changes"),
        kinds.join(", ")
    ))
}

/// Where a warning points, `file:line:col`, or `workspace` when nowhere in particular.
pub fn warning_location(warning: &super::Warning) -> String {
    match (&warning.file, warning.line, warning.column) {
        (Some(file), Some(line), Some(column)) => format!("{}:{line}:{column}", file.display()),
        (Some(file), _, _) => file.display().to_string(),
        _ => "workspace".to_owned(),
    }
}
