//! Campaign lints: how the campaigns, taken together, treat the people they reach.
//!
//! Checks (`check/`) judge each document as written; lints need the expanded sends, so they
//! run after compile, on the [`Desired`] state: too many pushes to the same people
//! (`fatigue`), pushes at night (`quiet_hours`), SMS fallback that reaches nobody
//! (`sms_coverage`), more marketing pushes in a day than the phone makers show
//! (`vendor_quota`) and marketing pushes outside the makers' hours (`vendor_hours`). Each is
//! configured in `gtcamp.yaml` under `lints:` with a [`Level`]: `off` silences it, `warning`
//! (the default) reports it, `error` fails `validate` and stops `plan` and `apply`. Findings
//! point at the campaign's `schedule`.
//!
//! The unused-template and unused-audience warnings (GC018, GC019) are governed by
//! `lints.unused` too, but stay in `check/`: they need no compile.
//!
//! Sends considered: every occurrence compile keeps except those that will never be sent
//! (a one-off in the past, a list push whose grace window passed) — the window the plan
//! looks at.

mod fatigue;
mod quiet_hours;
mod sms_coverage;
#[cfg(test)]
mod tests;
mod vendor_hours;
mod vendor_quota;

pub use vendor_quota::{MarketingDay, StrictestCap, strictest_cap};

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::compile::{CompileContext, Desired, Timing, compile};
use crate::load::{Diagnostic, FieldPath, LoadedWorkspace, Location};
use crate::model::{Audience, Campaign, Document, Level, PhoneType, Ref, Template, Workspace};

/// One lint finding, with the campaign it is about (plans list warnings by campaign).
#[derive(Debug, Clone)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub campaign: String,
}

/// A campaign as the lints see it: its audience resolved and its sends expanded.
pub(crate) struct Subject<'a> {
    pub name: &'a str,
    /// `None` when it names an audience that is not defined (check reports that).
    pub audience: Option<&'a Audience>,
    /// The same number for campaigns that name the same audience document: what lints
    /// that compare audiences cache their judgement on.
    pub audience_id: usize,
    /// Whether its template falls back to SMS.
    pub has_sms: bool,
    /// Whether the phone makers count its pushes as marketing: a marketing class (the
    /// template's, else `defaults.class`, else marketing, what a maker told nothing
    /// assumes) on a push that shows a notification through their channels (compile knows:
    /// not a payload-only one, nor, on legacy, one that is not a transmission).
    pub marketing: bool,
    /// When it sends, in its zone, earliest first.
    pub sends: Vec<DateTime<Tz>>,
    /// Where its `schedule` is written: what findings point at.
    pub schedule: Location,
}

impl Subject<'_> {
    /// Whether the phone makers' marketing rules apply to its pushes: marketing, to an
    /// audience that may hold Android phones.
    fn judged_by_makers(&self) -> bool {
        self.marketing && self.audience.is_some_and(may_hold_android)
    }

    /// `diagnostic` pointed at this campaign's `schedule`, as a finding about it.
    fn finding(&self, mut diagnostic: Diagnostic) -> Finding {
        diagnostic.location = Some(self.schedule.clone());
        Finding {
            diagnostic,
            campaign: self.name.to_owned(),
        }
    }
}

/// Every lint finding for a workspace compiled into `desired`, in file order. A workspace
/// without exactly one `Workspace` document has no lint settings and gets none.
pub fn lint_workspace(workspace: &LoadedWorkspace, desired: &Desired) -> Vec<Finding> {
    let Some(settings) = only_settings(workspace) else {
        return Vec::new();
    };
    let subjects = subjects(workspace, desired);
    let mut out = Vec::new();
    let lints = &settings.lints;
    if lints.fatigue.level != Level::Off {
        fatigue::lint(&subjects, &lints.fatigue, &mut out);
    }
    if lints.quiet_hours.level != Level::Off {
        quiet_hours::lint(&subjects, settings, &mut out);
    }
    if lints.sms_coverage.level != Level::Off {
        sms_coverage::lint(&subjects, desired, lints.sms_coverage.level, &mut out);
    }
    if lints.vendor_quota.level != Level::Off {
        vendor_quota::lint(&subjects, settings, &mut out);
    }
    if lints.vendor_hours.level != Level::Off {
        vendor_hours::lint(&subjects, settings, &mut out);
    }
    crate::load::sort_by_place(&mut out, |f| {
        f.diagnostic
            .location
            .as_ref()
            .map(|l| (l.file.as_path(), l.span.line, l.span.column))
    });
    out
}

/// Each China day's marketing pushes that can reach one Android device, as the vendor
/// quota lint counts them (see `vendor_quota`'s bound): what the calendar draws against the
/// makers' caps. Empty for a workspace without exactly one `Workspace` document.
pub fn marketing_days(workspace: &LoadedWorkspace, desired: &Desired) -> Vec<MarketingDay> {
    if only_settings(workspace).is_none() {
        return Vec::new();
    }
    vendor_quota::days(&subjects(workspace, desired))
}

/// Compiles a workspace `check` found free of errors, as of `now`, and lints it: what
/// `validate` runs. Push-ahead limits are the default target's (they change no lint). A
/// workspace that does not compile (no settings, an unknown default target: check says
/// why) gets no lint findings.
pub fn lint_checked(workspace: &LoadedWorkspace, now: DateTime<Utc>) -> Vec<Finding> {
    let Some(settings) = workspace.documents.iter().find_map(|d| match &d.document {
        Some(Document::Workspace(settings)) => Some(settings),
        _ => None,
    }) else {
        return Vec::new();
    };
    let target = settings.chosen_target(None);
    let Ok(context) = CompileContext::for_target(settings, &target, now) else {
        return Vec::new();
    };
    match compile(workspace, &context) {
        Ok(desired) => lint_workspace(workspace, &desired),
        Err(_) => Vec::new(),
    }
}

/// The one `Workspace` document: lints need its settings, and with none or two there are
/// none to trust (check reports that).
fn only_settings(workspace: &LoadedWorkspace) -> Option<&Workspace> {
    let mut documents = workspace
        .documents
        .iter()
        .filter_map(|d| match &d.document {
            Some(Document::Workspace(w)) => Some(&**w),
            _ => None,
        });
    match (documents.next(), documents.next()) {
        (Some(settings), None) => Some(settings),
        _ => None,
    }
}

/// Every campaign compile expanded, with what the lints need of it.
fn subjects<'a>(workspace: &'a LoadedWorkspace, desired: &Desired) -> Vec<Subject<'a>> {
    let mut sends: HashMap<&str, Vec<DateTime<Tz>>> = HashMap::new();
    let mut makers_marketing: HashMap<&str, bool> = HashMap::new();
    for occurrence in desired.occurrences.values() {
        if matches!(occurrence.timing, Timing::Past | Timing::Missed) {
            continue;
        }
        let campaign = occurrence.campaign.as_str();
        sends.entry(campaign).or_default().push(occurrence.fire_at);
        makers_marketing
            .entry(campaign)
            .or_insert_with(|| occurrence.request.is_makers_marketing());
    }
    let audiences: HashMap<&str, &Audience> = workspace
        .documents
        .iter()
        .filter_map(|d| match &d.document {
            Some(Document::Audience(a)) => Some((a.name.as_str(), &**a)),
            _ => None,
        })
        .collect();
    let templates: HashMap<&str, &Template> = workspace
        .documents
        .iter()
        .filter_map(|d| match &d.document {
            Some(Document::Template(t)) => Some((t.name.as_str(), &**t)),
            _ => None,
        })
        .collect();
    let mut ids: HashMap<*const Audience, usize> = HashMap::new();
    let mut out = Vec::new();
    for document in &workspace.documents {
        let Some(Document::Campaign(campaign)) = &document.document else {
            continue;
        };
        let mut times = sends.remove(campaign.name.as_str()).unwrap_or_default();
        times.sort();
        let audience = audience_of(campaign, &audiences);
        let template = template_of(campaign, &templates);
        let next = ids.len();
        let audience_id = match audience {
            Some(a) => *ids.entry(std::ptr::from_ref(a)).or_insert(next),
            None => usize::MAX,
        };
        let schedule = FieldPath::root().key("schedule");
        let span = document.spans.nearest(&schedule).unwrap_or(document.start);
        out.push(Subject {
            name: &campaign.name,
            schedule: Location {
                file: document.file.clone(),
                span,
            },
            audience,
            audience_id,
            has_sms: template.is_some_and(|t| t.sms.is_some()),
            marketing: makers_marketing
                .get(campaign.name.as_str())
                .copied()
                .unwrap_or(false),
            sends: times,
        });
    }
    out
}

fn audience_of<'a>(
    campaign: &'a Campaign,
    audiences: &HashMap<&str, &'a Audience>,
) -> Option<&'a Audience> {
    match &campaign.audience {
        Ref::Inline(a) => Some(a),
        Ref::Name(name) => audiences.get(name.as_str()).copied(),
    }
}

/// `None` when it names a template that is not defined (check reports that).
fn template_of<'a>(
    campaign: &'a Campaign,
    templates: &HashMap<&str, &'a Template>,
) -> Option<&'a Template> {
    match &campaign.template {
        Ref::Inline(t) => Some(t),
        Ref::Name(name) => templates.get(name.as_str()).copied(),
    }
}

/// Whether an audience may reach an Android phone: not when its `phone_types` allow iOS only
/// (a list of aliases or cids may hold any phone).
fn may_hold_android(audience: &Audience) -> bool {
    let Some(types) = &audience.phone_types else {
        return true;
    };
    let android = |t: &PhoneType| t.0.eq_ignore_ascii_case("android");
    !types.none.iter().any(android)
        && types.all.iter().all(android)
        && (types.any.is_empty() || types.any.iter().any(android))
}
