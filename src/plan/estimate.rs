//! Estimates: how many people each campaign that sends in a plan reaches.
//!
//! Only campaigns with a change that sends (create, replace, fire) are estimated: those are
//! the pushes a reviewer decides on, and each costs a call. Filter audiences are counted by
//! Getui (`queryUserCount`), once per distinct set of conditions however many campaigns
//! share it, at most `parallelism` calls at once; list audiences are their list's length.
//! A failed count never fails the plan: it is shown as unknown, with the error. Without
//! refresh nothing is asked, and the plan says so.

use std::collections::BTreeMap;

use futures::stream::{self, StreamExt};

use super::{Action, AudienceSize, Estimate, Plan, SmsNumbers};
use crate::compile::{Desired, Occurrence, RemoteRequest};
use crate::getui::PushApi;
use crate::getui::api::{Condition, ListTargets};

/// Who one campaign's sends reach, as compile addressed them.
enum Reach<'a> {
    Conditions(&'a [Condition]),
    List(&'a ListTargets),
}

/// Fills `plan.estimates` and each sending change's `audience_size`; asks Getui only when
/// `ask` (the plan refreshes).
pub async fn estimate(
    api: &dyn PushApi,
    desired: &Desired,
    plan: &mut Plan,
    ask: bool,
    parallelism: usize,
) {
    let sending: BTreeMap<&str, &Occurrence> = plan
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.action,
                Action::Create | Action::DeleteThenCreate | Action::Fire
            )
        })
        .filter_map(|c| desired.occurrences.get(&c.key))
        .map(|o| (o.campaign.as_str(), o))
        .collect();
    // Distinct condition sets, in first-seen order; `Condition` is neither Hash nor Ord.
    let mut distinct: Vec<&[Condition]> = Vec::new();
    for occurrence in sending.values() {
        if let Reach::Conditions(conditions) = reach(occurrence)
            && !distinct.contains(&conditions)
        {
            distinct.push(conditions);
        }
    }
    let counts: Vec<AudienceSize> = if ask {
        let asks = distinct.iter().map(|conditions| async move {
            match api.count_users(conditions).await {
                Ok(users) => AudienceSize::Counted { users },
                Err(error) => AudienceSize::Unknown {
                    error: error.to_string(),
                },
            }
        });
        stream::iter(asks)
            .buffered(parallelism.max(1))
            .collect()
            .await
    } else {
        vec![AudienceSize::NotAsked; distinct.len()]
    };
    let mut estimates = BTreeMap::new();
    for (campaign, occurrence) in &sending {
        let audience = match reach(occurrence) {
            Reach::Conditions(conditions) => distinct
                .iter()
                .position(|c| *c == conditions)
                .and_then(|i| counts.get(i).cloned())
                .unwrap_or(AudienceSize::NotAsked),
            Reach::List(targets) => AudienceSize::Listed {
                users: list_len(targets),
            },
        };
        let sms = occurrence
            .content
            .sms
            .is_some()
            .then(|| sms_numbers(&reach(occurrence), desired));
        estimates.insert((*campaign).to_owned(), Estimate { audience, sms });
    }
    for change in &mut plan.changes {
        if let (Some(after), Some(estimate)) =
            (change.after.as_mut(), estimates.get(&change.campaign))
        {
            after.audience_size = estimate.audience.users();
        }
    }
    plan.estimates = estimates;
}

fn reach(occurrence: &Occurrence) -> Reach<'_> {
    match &occurrence.request {
        RemoteRequest::Scheduled(push) => Reach::Conditions(&push.conditions),
        RemoteRequest::List(push) => Reach::List(&push.targets),
    }
}

fn list_len(targets: &ListTargets) -> u64 {
    let len = match targets {
        ListTargets::Cids(list) | ListTargets::Aliases(list) => list.len(),
    };
    u64::try_from(len).unwrap_or(u64::MAX)
}

fn sms_numbers(reach: &Reach, desired: &Desired) -> SmsNumbers {
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    match reach {
        Reach::List(ListTargets::Cids(cids)) => SmsNumbers::OfAudience {
            numbers: count(
                cids.iter()
                    .filter(|cid| desired.bindings.contains_key(*cid))
                    .count(),
            ),
        },
        Reach::List(ListTargets::Aliases(_)) | Reach::Conditions(_) => SmsNumbers::WorkspaceTotal {
            numbers: count(desired.bindings.len()),
        },
    }
}
