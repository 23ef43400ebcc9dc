//! Estimates: how many people each campaign that sends in a plan reaches.
//!
//! Only campaigns with a change that sends (create, replace, fire) are estimated: those are
//! the pushes a reviewer decides on, and each costs a call. Filter audiences are counted by
//! Getui (`queryUserCount`), once per distinct set of conditions however many campaigns
//! share it, at most `parallelism` calls at once; list audiences are their list's length.
//! A failed count never fails the plan: it is shown as unknown, with the error. Without
//! refresh nothing is asked, and the plan says so.

use std::collections::{BTreeMap, HashMap};

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
        .filter(|c| sends(c.action))
        .filter_map(|c| desired.occurrences.get(&c.key))
        .map(|o| (o.campaign.as_str(), o))
        .collect();
    // Distinct condition sets, in first-seen order, each with its index.
    let mut distinct: Vec<&[Condition]> = Vec::new();
    let mut index: HashMap<&[Condition], usize> = HashMap::new();
    let mut audience_of: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    for (campaign, occurrence) in &sending {
        let at = match reach(occurrence) {
            Reach::Conditions(conditions) => {
                let next = distinct.len();
                let at = *index.entry(conditions).or_insert(next);
                if at == next {
                    distinct.push(conditions);
                }
                Some(at)
            }
            Reach::List(_) => None,
        };
        audience_of.insert(campaign, at);
    }
    let counts = count(api, &distinct, ask, parallelism).await;
    let mut estimates = BTreeMap::new();
    for (campaign, occurrence) in &sending {
        let audience = match (reach(occurrence), audience_of.get(campaign)) {
            (Reach::List(targets), _) => AudienceSize::Listed {
                users: list_len(targets),
            },
            (Reach::Conditions(_), Some(Some(at))) => {
                counts.get(*at).cloned().unwrap_or(AudienceSize::NotAsked)
            }
            (Reach::Conditions(_), _) => AudienceSize::NotAsked,
        };
        let sms = occurrence
            .content
            .sms
            .is_some()
            .then(|| sms_numbers(&reach(occurrence), desired));
        estimates.insert((*campaign).to_owned(), Estimate { audience, sms });
    }
    // A delete or a missed list push of a sending campaign carries `after` too, but sends
    // nothing: a size there would read as people reached.
    for change in plan.changes.iter_mut().filter(|c| sends(c.action)) {
        if let (Some(after), Some(estimate)) =
            (change.after.as_mut(), estimates.get(&change.campaign))
        {
            after.audience_size = estimate.audience.users();
        }
    }
    plan.estimates = estimates;
}

/// Whether a change sends a push: create, replace, fire.
fn sends(action: Action) -> bool {
    matches!(
        action,
        Action::Create | Action::DeleteThenCreate | Action::Fire
    )
}

/// One `queryUserCount` per condition set, at most `parallelism` at once, in order.
async fn count(
    api: &dyn PushApi,
    distinct: &[&[Condition]],
    ask: bool,
    parallelism: usize,
) -> Vec<AudienceSize> {
    if !ask {
        return vec![AudienceSize::NotAsked; distinct.len()];
    }
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

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use chrono_tz::Asia::Shanghai;

    use super::*;
    use crate::compile::Timing;
    use crate::getui::Error;
    use crate::getui::api::*;
    use crate::plan::tests::fixtures::*;

    /// A Getui that must not be asked: these estimates are made without refresh.
    struct Unasked;

    fn unasked() -> Error {
        Error::InvalidRequest {
            reason: "estimates without refresh ask nothing".into(),
        }
    }

    #[async_trait::async_trait]
    impl PushApi for Unasked {
        async fn authenticate(&self) -> Result<(), Error> {
            Err(unasked())
        }
        async fn prepare_scheduled_push(&self, _: &AppPush) -> Result<PreparedPush, Error> {
            Err(unasked())
        }
        async fn send_scheduled_push(
            &self,
            _: &AppPush,
            _: &PreparedPush,
        ) -> Result<TaskId, Error> {
            Err(unasked())
        }
        async fn scheduled_task(&self, _: &TaskId) -> Result<ScheduledTask, Error> {
            Err(unasked())
        }
        async fn delete_scheduled_task(&self, _: &TaskId) -> Result<(), Error> {
            Err(unasked())
        }
        async fn stop_task(&self, _: &TaskId) -> Result<(), Error> {
            Err(unasked())
        }
        async fn prepare_list_push(&self, _: &ListPush) -> Result<TaskId, Error> {
            Err(unasked())
        }
        async fn send_list_push(&self, _: &ListPush, _: &TaskId) -> Result<ListPushOutcome, Error> {
            Err(unasked())
        }
        async fn push_reports(&self, _: &[TaskId]) -> Result<Vec<PushReport>, Error> {
            Err(unasked())
        }
        fn report_batch(&self) -> usize {
            crate::getui::api::REPORT_BATCH
        }
        async fn push_report_detail(&self, _: &TaskId) -> Result<Option<PushReport>, Error> {
            Err(unasked())
        }
        async fn bind_phones(&self, _: &[PhoneBinding]) -> Result<Vec<CidResult>, Error> {
            Err(unasked())
        }
        async fn unbind_phones(&self, _: &[String]) -> Result<Vec<CidResult>, Error> {
            Err(unasked())
        }
        async fn query_phones(&self, _: &[String]) -> Result<Vec<CidResult>, Error> {
            Err(unasked())
        }
        async fn count_users(&self, _: &[Condition]) -> Result<u64, Error> {
            Err(unasked())
        }
        async fn bind_alias(&self, _: &str, _: &str) -> Result<(), Error> {
            Err(unasked())
        }
        async fn cids_of_alias(&self, _: &str) -> Result<Vec<String>, Error> {
            Err(unasked())
        }
    }

    #[tokio::test]
    async fn audience_size_is_shown_on_sending_changes_only() {
        let mut o = occurrence(
            "testers",
            "testers@1",
            now() - Duration::minutes(5),
            Shanghai,
            Timing::Due,
            content("a", "b"),
        );
        let cids = ["c-1", "c-2", "c-3"].map(str::to_owned).to_vec();
        o.request = RemoteRequest::List(ListPush {
            attempt: None,
            template: crate::getui::template::PushTemplate::new(
                crate::getui::template::TemplateKind::Transmission,
            ),
            targets: ListTargets::Cids(cids),
            delivery: Delivery::default(),
            group: None,
        });
        let wanted = desired(vec![campaign("testers", true, Shanghai)], vec![o]);
        let mut plan = crate::plan::diff(&wanted, &empty_state(), None, context());
        let fire = plan.changes[0].clone();
        assert_eq!(fire.action, Action::Fire);
        // The same campaign's other changes that carry `after` but send nothing.
        for action in [Action::Delete, Action::RecordMissed] {
            let mut other = fire.clone();
            other.action = action;
            plan.changes.push(other);
        }
        estimate(&Unasked, &wanted, &mut plan, false, 4).await;
        let sizes: Vec<(Action, Option<u64>)> = plan
            .changes
            .iter()
            .map(|c| (c.action, c.after.as_ref().and_then(|a| a.audience_size)))
            .collect();
        assert_eq!(
            sizes,
            [
                (Action::Fire, Some(3)),
                (Action::Delete, None),
                (Action::RecordMissed, None)
            ]
        );
    }
}
