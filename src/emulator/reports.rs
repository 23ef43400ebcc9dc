//! What Getui's push reports count (B.14, F.4), for both protocols' report handlers.
//!
//! Getui documents its reports as statistics that lag behind the sends (about 30 minutes):
//! counters, never a list of the tasks of a group. The emulator answers the same way, so that
//! no client can come to rest on a report being complete or immediate:
//!
//! - a delivery counts once `report_lag` has passed since it left: a list push from when it
//!   was pushed, an app push from when it was sent (at once, or at its push time);
//! - a scheduled push that has not fired, content only saved, and a deleted task count
//!   nothing: their reports are zeros;
//! - the figures are deterministic and the same in both protocols: every recipient was sent
//!   the message, the online ones received it and displayed it, nobody clicked. All of it is
//!   Getui's own channel's: a device's phone type does not say which channel carried a push
//!   (an online iOS device is reached over Getui's connection, an offline one through APNs),
//!   so the APNs figures stay zero until the reports split what `delivery` records by
//!   channel. A device a maker dropped (over quota, outside hours) or holds is not among the
//!   recipients, so no report counts it as sent or received.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::Map;

use super::store::{Reached, Store, Task};
use crate::getui::v2::wire::{ChannelReports, REPORT_GETUI, REPORT_TOTAL, ReportCounters};
use crate::getui::wire::ChannelCounters;

/// What a report counts of some deliveries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Reach {
    /// Messages sent: each delivery's recipients.
    pub recipients: u64,
    /// Of them, to devices online: received and displayed.
    pub online: u64,
}

impl Reach {
    fn plus(self, other: Reach) -> Reach {
        Reach {
            recipients: self.recipients.saturating_add(other.recipients),
            online: self.online.saturating_add(other.online),
        }
    }

    /// The legacy figures of Getui's own channel (`GT`).
    pub(crate) fn getui_channel(self) -> ChannelCounters {
        ChannelCounters {
            sent: Some(self.recipients),
            feedback: Some(self.online),
            displayed: Some(self.online),
            clicked: Some(0),
            extra: Map::new(),
        }
    }

    /// The legacy figures of APNs (`APN`): none, see the module doc.
    pub(crate) fn apns_channel(self) -> ChannelCounters {
        ChannelCounters {
            sent: Some(0),
            feedback: Some(0),
            displayed: Some(0),
            clicked: Some(0),
            extra: Map::new(),
        }
    }

    /// The REST V2 figures: the total, all of it Getui's own channel's.
    pub(crate) fn channel_reports(self) -> ChannelReports {
        let counters = ReportCounters {
            msg_num: Some(self.recipients),
            target_num: Some(self.recipients),
            receive_num: Some(self.online),
            display_num: Some(self.online),
            click_num: Some(0),
            extra: Map::new(),
        };
        BTreeMap::from([
            (REPORT_TOTAL.to_owned(), counters.clone()),
            (REPORT_GETUI.to_owned(), counters),
        ])
    }
}

/// The last instant a delivery may have left to be counted by a report read at `now`.
pub(crate) fn counted_until(now: DateTime<Utc>, lag: chrono::Duration) -> DateTime<Utc> {
    now.checked_sub_signed(lag)
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Each of `ids` that names a task of the store (in the order asked, once each), with what
/// its report counts of the deliveries up to `until`. An id the store does not know is left
/// out.
pub(crate) fn task_reaches(
    store: &mut Store,
    ids: &[String],
    until: DateTime<Utc>,
) -> Vec<(String, Reach)> {
    let mut seen = HashSet::new();
    let known: Vec<(String, usize)> = ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .filter_map(|id| Some((id.clone(), store.task_position(id)?)))
        .collect();
    let wanted: HashSet<usize> = known.iter().map(|&(_, task)| task).collect();
    let mut reaches: BTreeMap<usize, Reach> = BTreeMap::new();
    for delivery in deliveries(store, |task, _| wanted.contains(&task), until) {
        let reach = reach_of(store, delivery.reached);
        let total = reaches.entry(delivery.task).or_default();
        *total = total.plus(reach);
    }
    known
        .into_iter()
        .map(|(id, task)| {
            let reach = reaches.get(&task).copied().unwrap_or_default();
            (id, reach)
        })
        .collect()
}

/// What the report of the task group `group` counts of its deliveries up to `until`.
pub(crate) fn group_reach(store: &mut Store, group: &str, until: DateTime<Utc>) -> Reach {
    let in_group = |_, task: &Task| task.group.as_deref() == Some(group);
    deliveries(store, in_group, until)
        .into_iter()
        .fold(Reach::default(), |total, delivery| {
            total.plus(reach_of(store, delivery.reached))
        })
}

/// One time a push left: its task (an index of `Store::tasks`) and whom it reached.
struct Delivery {
    task: usize,
    reached: Reached,
}

/// The deliveries of the tasks `wanted` picks (by index and task) that left by `until`: an
/// app push once, when it was sent; a list message each time it was pushed to a list.
fn deliveries(
    store: &Store,
    wanted: impl Fn(usize, &Task) -> bool,
    until: DateTime<Utc>,
) -> Vec<Delivery> {
    let app_pushes = store
        .tasks
        .iter()
        .enumerate()
        .filter(|&(index, task)| wanted(index, task))
        .filter(|(_, task)| task.app_push_sent_at().is_some_and(|at| at <= until))
        .map(|(index, _)| Delivery {
            task: index,
            reached: Reached::AppPush(index),
        });
    let list_pushes = store
        .list_pushes
        .iter()
        .enumerate()
        .filter(|(_, push)| push.at <= until)
        .filter_map(|(index, push)| {
            let task = store.task_position(&push.task_id)?;
            let wanted = store.tasks.get(task).is_some_and(|t| wanted(task, t));
            wanted.then_some(Delivery {
                task,
                reached: Reached::ListPush(index),
            })
        });
    app_pushes.chain(list_pushes).collect()
}

fn reach_of(store: &mut Store, reached: Reached) -> Reach {
    let recipients = u64::try_from(store.reached(reached).len()).unwrap_or(u64::MAX);
    Reach {
        recipients,
        online: store.online_reached(reached),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::records::{App, ListPush, TaskKind, TaskStatus, User};
    use crate::emulator::seed::UserSeed;
    use crate::emulator::store::Population;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::minutes(minutes)
    }

    fn app() -> App {
        App {
            app_id: "demo".into(),
            app_key: "demo-key".into(),
        }
    }

    /// Devices `a` (online), `b` and `c` (offline).
    fn users() -> Vec<User> {
        ["a", "b", "c"]
            .into_iter()
            .map(|cid| {
                let mut seed = UserSeed::new(cid);
                seed.online = cid == "a";
                User::from_seed(seed, "demo")
            })
            .collect()
    }

    fn task(id: &str, kind: TaskKind, status: TaskStatus, group: &str) -> Task {
        Task {
            id: id.into(),
            kind,
            status,
            push_time: None,
            push_time_text: None,
            created_at: at(0),
            group: Some(group.into()),
            conditions: Vec::new(),
            content: String::new(),
            push_type: None,
            sms: false,
            cancelled: false,
            recipients: Vec::new(),
            sent_at: None,
            deliveries: Default::default(),
            vendor: Default::default(),
            v2: None,
        }
    }

    /// An app push sent at minute 10 to every device, a list message pushed at minutes 0
    /// and 20, a deleted scheduled push, saved content, and an app push of another group.
    fn fill(store: &mut Store) {
        let everyone: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let mut sent = task("task-app", TaskKind::App, TaskStatus::SendSuccess, "g");
        sent.recipients.clone_from(&everyone);
        sent.sent_at = Some(at(10));
        store.insert_task(sent);
        store.insert_task(task(
            "task-list",
            TaskKind::List,
            TaskStatus::SendSuccess,
            "g",
        ));
        for (minute, cids) in [(0, vec!["a", "b"]), (20, vec!["a"])] {
            store.list_pushes.push(ListPush {
                task_id: "task-list".into(),
                at: at(minute),
                cids: cids.iter().map(|c| c.to_string()).collect(),
                aliases: Vec::new(),
                delivered_to: cids.iter().map(|c| c.to_string()).collect(),
                content: String::new(),
            });
        }
        let mut deleted = task("task-deleted", TaskKind::App, TaskStatus::HasDelete, "g");
        deleted.push_time = Some(at(5));
        store.insert_task(deleted);
        store.insert_task(task("task-saved", TaskKind::App, TaskStatus::Saved, "g"));
        let mut elsewhere = task(
            "task-elsewhere",
            TaskKind::App,
            TaskStatus::SendSuccess,
            "h",
        );
        elsewhere.recipients.clone_from(&everyone);
        store.insert_task(elsewhere);
    }

    fn reach(recipients: u64, online: u64) -> Reach {
        Reach { recipients, online }
    }

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn check_reports(store: &mut Store) {
        let asked = ids(&[
            "task-list",
            "task-nope",
            "task-app",
            "task-deleted",
            "task-saved",
            "task-list",
        ]);
        assert_eq!(
            task_reaches(store, &asked, at(9)),
            [
                ("task-list".into(), reach(2, 1)),
                ("task-app".into(), Reach::default()),
                ("task-deleted".into(), Reach::default()),
                ("task-saved".into(), Reach::default()),
            ],
            "known ids once, in the order asked; only what left by minute 9"
        );
        assert_eq!(
            task_reaches(store, &ids(&["task-app", "task-list"]), at(20)),
            [
                ("task-app".into(), reach(3, 1)),
                ("task-list".into(), reach(3, 2))
            ],
            "a delivery counts from the very instant it is due"
        );
        assert_eq!(group_reach(store, "g", at(19)), reach(5, 2));
        assert_eq!(group_reach(store, "g", at(20)), reach(6, 3));
        assert_eq!(group_reach(store, "nobody", at(20)), Reach::default());
    }

    #[test]
    fn reports_count_what_left_by_the_cutoff_in_memory() {
        let mut store = Store::new(app(), users());
        fill(&mut store);
        check_reports(&mut store);
    }

    #[test]
    fn reports_count_what_left_by_the_cutoff_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let population = || Population {
            users: users(),
            bare_cids: Vec::new(),
        };
        let mut store = Store::open(dir.path(), app(), population).unwrap();
        fill(&mut store);
        check_reports(&mut store);
        assert!(store.take_failure().is_none());
    }

    #[test]
    fn the_cutoff_is_the_lag_before_now_and_never_overflows() {
        assert_eq!(counted_until(at(30), chrono::Duration::minutes(5)), at(25));
        assert_eq!(
            counted_until(DateTime::<Utc>::MIN_UTC, chrono::Duration::minutes(5)),
            DateTime::<Utc>::MIN_UTC
        );
    }

    #[test]
    fn the_figures_go_to_getuis_own_channel() {
        let figures = reach(5, 3);
        let gt = figures.getui_channel();
        assert_eq!(
            (gt.sent, gt.feedback, gt.displayed, gt.clicked),
            (Some(5), Some(3), Some(3), Some(0))
        );
        assert_eq!(figures.apns_channel().sent, Some(0));
        let v2 = figures.channel_reports();
        assert_eq!(v2.keys().collect::<Vec<_>>(), [REPORT_GETUI, REPORT_TOTAL]);
        assert_eq!(v2[REPORT_TOTAL], v2[REPORT_GETUI]);
        assert_eq!(v2[REPORT_TOTAL].receive_num, Some(3));
    }
}
