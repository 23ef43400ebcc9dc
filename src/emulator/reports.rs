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
//! - the figures are what `delivery` recorded of each delivery ([`Deliveries`]), by channel
//!   (Getui's own, APNs, each maker's), the same in both protocols. Per channel:
//!   - `target_num` = `msg_num`: the devices the push was routed to on that channel,
//!     delivered or not (a maker's over quota, outside hours, held); the offline devices no
//!     channel could reach count under Getui's own, which keeps the message for them;
//!   - `receive_num`: the devices it reached; a push a maker holds (Huawei, Honor at night)
//!     counts once it is shown, and once the lag has passed since;
//!   - `display_num`: of those, the ones that showed a notification. A payload-only push
//!     (a legacy transmission template, a V2 `transmission`) shows none on Getui's channel
//!     and APNs; on a maker's channel it shows what it gave the makers. A fixed 8% of
//!     devices have notifications off (`delivery::notifications_off`) and show nothing;
//!   - `click_num`: of the displayed, a fixed 5% (`delivery::clicks`, by device and task).
//!
//!   The gap between target and receive is the devices lost; the detail report names the
//!   documented reasons (`d6` over the maker's quota, `d10` notifications off) and invents
//!   none for the others (outside a maker's hours, offline and unreached).
//! - V2 reports give `total` and each channel with a device targeted: `gt`, `ios`, `hw`,
//!   `ho`, `xm`, `op`, `vv`, `mz`. The legacy per-task report has only `GT` and `APN`: `APN`
//!   is APNs, `GT` everything else (the legacy reports have no per-maker split). The legacy
//!   group report gives `msg_total` (target), `msg_process` (received), `online_num`
//!   (received over Getui's own connection, which reaches online devices only), `show_num`
//!   and `click_num`.
//! - a delivery stored before the outcomes were kept is counted as it was then: its
//!   recipients sent on Getui's channel, the online ones received and displayed.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::store::{Channel, Deliveries, Reached, Store, Task};
use crate::getui::v2::wire::{
    ChannelReports, LOSS_NOTIFICATIONS_OFF, LOSS_OVER_QUOTA, REPORT_APNS, REPORT_GETUI,
    REPORT_TOTAL, ReportCounters, report_key,
};
use crate::getui::vendor_rules::MAKERS_ZONE;
use crate::getui::wire::ChannelCounters;

/// What a report counts of some deliveries on one channel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Figures {
    /// Devices the push was routed to on the channel (`target_num`, `msg_num`, `sent`).
    pub target: u64,
    /// Of them, the ones it reached.
    pub receive: u64,
    /// Of those, the ones that showed it.
    pub display: u64,
    /// Of those, the ones clicked.
    pub click: u64,
    /// Devices a maker did not show it to: over its quota (`d6`).
    pub over_quota: u64,
    /// Devices it reached that have notifications off (`d10`).
    pub notifications_off: u64,
}

impl Figures {
    fn plus(self, other: Figures) -> Figures {
        Figures {
            target: self.target.saturating_add(other.target),
            receive: self.receive.saturating_add(other.receive),
            display: self.display.saturating_add(other.display),
            click: self.click.saturating_add(other.click),
            over_quota: self.over_quota.saturating_add(other.over_quota),
            notifications_off: self
                .notifications_off
                .saturating_add(other.notifications_off),
        }
    }

    /// The legacy shape of the figures (`GT`, `APN`).
    fn legacy(self) -> ChannelCounters {
        ChannelCounters {
            sent: Some(self.target),
            feedback: Some(self.receive),
            displayed: Some(self.display),
            clicked: Some(self.click),
            extra: Map::new(),
        }
    }

    /// The V2 shape of the figures; with the loss reasons for a detail report.
    fn v2(self, detail: bool) -> ReportCounters {
        let mut extra = Map::new();
        if detail {
            extra.insert(LOSS_OVER_QUOTA.to_owned(), Value::from(self.over_quota));
            extra.insert(
                LOSS_NOTIFICATIONS_OFF.to_owned(),
                Value::from(self.notifications_off),
            );
        }
        ReportCounters {
            msg_num: Some(self.target),
            target_num: Some(self.target),
            receive_num: Some(self.receive),
            display_num: Some(self.display),
            click_num: Some(self.click),
            extra,
        }
    }
}

/// What a report counts of some deliveries, by channel: one slot per channel, so that summing
/// the 200 tasks of a report call allocates nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Reach {
    channels: [Figures; Channel::ALL.len()],
}

impl Reach {
    fn add(&mut self, other: &Reach) {
        for (sum, figures) in self.channels.iter_mut().zip(&other.channels) {
            *sum = sum.plus(*figures);
        }
    }

    /// Each channel with its figures, in [`Channel::ALL`]'s order.
    fn by_channel(&self) -> impl Iterator<Item = (Channel, Figures)> + '_ {
        Channel::ALL.into_iter().zip(self.channels.iter().copied())
    }

    /// `recipients` sent on Getui's channel, the `online` ones received and displayed: how a
    /// delivery stored before the outcomes were kept is counted.
    pub(crate) fn getui_only(recipients: u64, online: u64) -> Reach {
        let mut reach = Reach::default();
        reach.channels[Channel::Getui.index()] = Figures {
            target: recipients,
            receive: online,
            display: online,
            ..Figures::default()
        };
        reach
    }

    /// The figures of one channel (zeros for one with none).
    pub(crate) fn channel(&self, channel: Channel) -> Figures {
        self.channels[channel.index()]
    }

    /// The figures of every channel summed.
    pub(crate) fn total(&self) -> Figures {
        self.channels
            .iter()
            .fold(Figures::default(), |sum, figures| sum.plus(*figures))
    }

    /// What the outcomes of one delivery count by `until`: a held push once it is shown.
    fn of_deliveries(deliveries: &Deliveries, until: DateTime<Utc>) -> Reach {
        let mut reach = Reach::default();
        let mut add = |map: &BTreeMap<Channel, u64>, field: fn(&mut Figures) -> &mut u64| {
            for (channel, count) in map {
                let slot = field(&mut reach.channels[channel.index()]);
                *slot = slot.saturating_add(*count);
            }
        };
        for targeted in [
            &deliveries.delivered,
            &deliveries.over_quota,
            &deliveries.outside_hours,
            &deliveries.held,
        ] {
            add(targeted, |f| &mut f.target);
        }
        add(&deliveries.delivered, |f| &mut f.receive);
        add(&deliveries.displayed, |f| &mut f.display);
        add(&deliveries.clicked, |f| &mut f.click);
        add(&deliveries.over_quota, |f| &mut f.over_quota);
        add(&deliveries.notifications_off, |f| &mut f.notifications_off);
        // The offline devices no channel could reach count under Getui's own, which keeps
        // the message for them.
        let getui = &mut reach.channels[Channel::Getui.index()];
        getui.target = getui
            .target
            .saturating_add(deliveries.not_delivered_offline);
        for (channel, at) in &deliveries.held_until {
            if *at > until {
                continue;
            }
            let get = |map: &BTreeMap<Channel, u64>| map.get(channel).copied().unwrap_or(0);
            let figures = &mut reach.channels[channel.index()];
            figures.receive = figures.receive.saturating_add(get(&deliveries.held));
            figures.display = figures
                .display
                .saturating_add(get(&deliveries.held_displayed));
            figures.click = figures.click.saturating_add(get(&deliveries.held_clicked));
            figures.notifications_off = figures
                .notifications_off
                .saturating_add(get(&deliveries.held_notifications_off));
        }
        reach
    }

    /// The legacy figures of `GT`: every channel but APNs (no per-maker split).
    pub(crate) fn getui_channel(&self) -> ChannelCounters {
        self.by_channel()
            .filter(|(channel, _)| *channel != Channel::Apns)
            .fold(Figures::default(), |sum, (_, figures)| sum.plus(figures))
            .legacy()
    }

    /// The legacy figures of `APN`.
    pub(crate) fn apns_channel(&self) -> ChannelCounters {
        self.channel(Channel::Apns).legacy()
    }

    /// The REST V2 figures: `total`, and each channel a device was targeted on. A detail
    /// report adds the documented loss reasons to each.
    pub(crate) fn channel_reports(&self, detail: bool) -> ChannelReports {
        let mut reports = ChannelReports::new();
        reports.insert(REPORT_TOTAL.to_owned(), self.total().v2(detail));
        for (channel, figures) in self.by_channel().filter(|(_, f)| f.target > 0) {
            let key = match channel.vendor() {
                Some(vendor) => report_key(vendor),
                None if channel == Channel::Apns => REPORT_APNS,
                None => REPORT_GETUI,
            };
            reports.insert(key.to_owned(), figures.v2(detail));
        }
        reports
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
    for delivery in deliveries_of_tasks(store, &wanted, until) {
        let reach = reach_of(store, delivery.reached, until);
        reaches.entry(delivery.task).or_default().add(&reach);
    }
    known
        .into_iter()
        .map(|(id, task)| {
            let reach = reaches.get(&task).cloned().unwrap_or_default();
            (id, reach)
        })
        .collect()
}

/// What the report of the task group `group` counts of its deliveries up to `until`.
pub(crate) fn group_reach(store: &mut Store, group: &str, until: DateTime<Utc>) -> Reach {
    let in_group = |_, task: &Task| task.group.as_deref() == Some(group);
    sum_of(store, deliveries(store, in_group, until), until)
}

/// What the report of the Beijing day `date` counts: the deliveries of every task that left
/// on that day, by `until`.
pub(crate) fn date_reach(store: &mut Store, date: NaiveDate, until: DateTime<Utc>) -> Reach {
    let on_the_day = deliveries(store, |_, _| true, until)
        .into_iter()
        .filter(|delivery| delivery.at.with_timezone(&MAKERS_ZONE).date_naive() == date)
        .collect();
    sum_of(store, on_the_day, until)
}

fn sum_of(store: &mut Store, deliveries: Vec<Delivery>, until: DateTime<Utc>) -> Reach {
    let mut total = Reach::default();
    for delivery in deliveries {
        total.add(&reach_of(store, delivery.reached, until));
    }
    total
}

/// One time a push left: its task (an index of `Store::tasks`), whom it reached, and when.
struct Delivery {
    task: usize,
    reached: Reached,
    at: DateTime<Utc>,
}

/// The deliveries of the tasks `wanted` picks (by index and task) that left by `until`: an
/// app push once, when it was sent; a list message each time it was pushed to a list.
fn deliveries(
    store: &Store,
    wanted: impl Fn(usize, &Task) -> bool,
    until: DateTime<Utc>,
) -> Vec<Delivery> {
    let app_pushes = (0..store.tasks.len())
        .filter(|&index| store.tasks.get(index).is_some_and(|t| wanted(index, t)))
        .filter_map(|index| app_push(store, index, until));
    let in_list = |task: usize| store.tasks.get(task).is_some_and(|t| wanted(task, t));
    app_pushes
        .chain(list_pushes(store, in_list, until))
        .collect()
}

/// [`deliveries`] of the tasks at the indices `wanted`, without a pass over every task: a
/// report names at most 200 of them, and a store may hold many thousands.
fn deliveries_of_tasks(
    store: &Store,
    wanted: &HashSet<usize>,
    until: DateTime<Utc>,
) -> Vec<Delivery> {
    let mut indices: Vec<usize> = wanted.iter().copied().collect();
    indices.sort_unstable();
    let app_pushes = indices
        .into_iter()
        .filter_map(|index| app_push(store, index, until));
    app_pushes
        .chain(list_pushes(store, |task| wanted.contains(&task), until))
        .collect()
}

/// The delivery of the app push at `index`, if it left by `until`.
fn app_push(store: &Store, index: usize, until: DateTime<Utc>) -> Option<Delivery> {
    let at = store
        .tasks
        .get(index)?
        .app_push_sent_at()
        .filter(|at| *at <= until)?;
    Some(Delivery {
        task: index,
        reached: Reached::AppPush(index),
        at,
    })
}

/// Each list push that left by `until` of a task `wanted` picks (by index).
fn list_pushes<'a>(
    store: &'a Store,
    wanted: impl Fn(usize) -> bool + 'a,
    until: DateTime<Utc>,
) -> impl Iterator<Item = Delivery> + 'a {
    store
        .list_pushes
        .iter()
        .enumerate()
        .filter(move |(_, push)| push.at <= until)
        .filter_map(move |(index, push)| {
            let task = store.task_position(&push.task_id)?;
            wanted(task).then_some(Delivery {
                task,
                reached: Reached::ListPush(index),
                at: push.at,
            })
        })
}

/// What one delivery counts by `until`: its outcomes, or for one stored before they were
/// kept, its recipients as they were counted then (see the module doc).
fn reach_of(store: &mut Store, reached: Reached, until: DateTime<Utc>) -> Reach {
    let outcomes = match reached {
        Reached::AppPush(task) => store.tasks.get(task).map(|t| &t.deliveries),
        Reached::ListPush(push) => store.list_pushes.get(push).map(|p| &p.deliveries),
    };
    if let Some(outcomes) = outcomes.filter(|d| !d.is_empty()) {
        return Reach::of_deliveries(outcomes, until);
    }
    let recipients = u64::try_from(store.reached(reached).len()).unwrap_or(u64::MAX);
    if recipients == 0 {
        return Reach::default();
    }
    Reach::getui_only(recipients, store.online_reached(reached))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::records::{App, ListPush, TaskKind, TaskStatus, User};
    use crate::emulator::seed::UserSeed;
    use crate::emulator::store::Population;
    use crate::getui::v2::wire::{
        LOSS_NOTIFICATIONS_OFF, LOSS_OVER_QUOTA, REPORT_APNS, REPORT_GETUI, REPORT_TOTAL,
    };

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
                deliveries: Deliveries::default(),
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

    /// How a delivery stored before its outcomes were kept counts: `recipients` sent on
    /// Getui's channel, the `online` ones received and displayed.
    fn reach(recipients: u64, online: u64) -> Reach {
        Reach::getui_only(recipients, online)
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
    fn each_channel_has_its_own_slot_of_a_reach() {
        for (slot, channel) in Channel::ALL.into_iter().enumerate() {
            assert_eq!(channel.index(), slot, "{channel:?}");
        }
        let mut reach = Reach::default();
        reach.channels[Channel::Xm.index()].target = 3;
        assert_eq!(reach.channel(Channel::Xm).target, 3);
        assert_eq!(reach.total().target, 3);
        assert_eq!(reach.channel(Channel::Getui), Figures::default());
    }

    #[test]
    fn deliveries_stored_before_their_outcomes_count_as_they_did_in_memory() {
        let mut store = Store::new(app(), users());
        fill(&mut store);
        check_reports(&mut store);
    }

    #[test]
    fn deliveries_stored_before_their_outcomes_count_as_they_did_on_disk() {
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

    fn counts(pairs: &[(Channel, u64)]) -> BTreeMap<Channel, u64> {
        pairs.iter().copied().collect()
    }

    /// Getui's channel reached 3 (2 displayed, 1 with notifications off) and left 2 offline
    /// unreached; APNs reached 1, displayed; Huawei reached 2, one displayed and clicked,
    /// one off; Xiaomi dropped 1 over quota; vivo 2 outside its hours; Honor holds 1 (shown
    /// and clicked once shown) until minute 30.
    fn outcomes() -> Deliveries {
        Deliveries {
            delivered: counts(&[(Channel::Getui, 3), (Channel::Apns, 1), (Channel::Hw, 2)]),
            over_quota: counts(&[(Channel::Xm, 1)]),
            outside_hours: counts(&[(Channel::Vv, 2)]),
            held: counts(&[(Channel::Ho, 1)]),
            held_until: BTreeMap::from([(Channel::Ho, at(30))]),
            displayed: counts(&[(Channel::Getui, 2), (Channel::Apns, 1), (Channel::Hw, 1)]),
            clicked: counts(&[(Channel::Hw, 1)]),
            notifications_off: counts(&[(Channel::Getui, 1), (Channel::Hw, 1)]),
            held_displayed: counts(&[(Channel::Ho, 1)]),
            held_clicked: counts(&[(Channel::Ho, 1)]),
            held_notifications_off: BTreeMap::new(),
            not_delivered_offline: 2,
        }
    }

    fn v2(target: u64, receive: u64, display: u64, click: u64) -> ReportCounters {
        ReportCounters {
            msg_num: Some(target),
            target_num: Some(target),
            receive_num: Some(receive),
            display_num: Some(display),
            click_num: Some(click),
            extra: Map::new(),
        }
    }

    fn legacy(sent: u64, feedback: u64, displayed: u64, clicked: u64) -> ChannelCounters {
        ChannelCounters {
            sent: Some(sent),
            feedback: Some(feedback),
            displayed: Some(displayed),
            clicked: Some(clicked),
            extra: Map::new(),
        }
    }

    #[test]
    fn the_figures_are_the_outcomes_by_channel_and_a_held_push_counts_once_shown() {
        let before = Reach::of_deliveries(&outcomes(), at(29));
        let expected = |honor: ReportCounters, total: ReportCounters| {
            ChannelReports::from([
                (REPORT_TOTAL.to_owned(), total),
                (REPORT_GETUI.to_owned(), v2(5, 3, 2, 0)),
                (REPORT_APNS.to_owned(), v2(1, 1, 1, 0)),
                ("hw".to_owned(), v2(2, 2, 1, 1)),
                ("ho".to_owned(), honor),
                ("xm".to_owned(), v2(1, 0, 0, 0)),
                ("vv".to_owned(), v2(2, 0, 0, 0)),
            ])
        };
        assert_eq!(
            before.channel_reports(false),
            expected(v2(1, 0, 0, 0), v2(12, 6, 4, 1))
        );
        let after = Reach::of_deliveries(&outcomes(), at(30));
        assert_eq!(
            after.channel_reports(false),
            expected(v2(1, 1, 1, 1), v2(12, 7, 5, 2))
        );
        // The legacy report: APNs, and everything else under GT.
        assert_eq!(after.apns_channel(), legacy(1, 1, 1, 0));
        assert_eq!(after.getui_channel(), legacy(11, 6, 4, 2));
        assert_eq!(before.getui_channel(), legacy(11, 5, 3, 1));
    }

    #[test]
    fn the_detail_report_adds_the_documented_loss_reasons_to_each_channel() {
        let detail = Reach::of_deliveries(&outcomes(), at(30)).channel_reports(true);
        let losses = |channel: &str| detail[channel].extra.clone();
        let expect = |over_quota: u64, off: u64| {
            let mut keys = Map::new();
            keys.insert(LOSS_OVER_QUOTA.to_owned(), Value::from(over_quota));
            keys.insert(LOSS_NOTIFICATIONS_OFF.to_owned(), Value::from(off));
            keys
        };
        assert_eq!(losses(REPORT_TOTAL), expect(1, 2));
        assert_eq!(losses("xm"), expect(1, 0));
        assert_eq!(losses("hw"), expect(0, 1));
        // Outside hours has no documented code: only the gap between target and receive.
        assert_eq!(losses("vv"), expect(0, 0));
        assert_eq!(detail["vv"].target_num, Some(2));
        assert_eq!(detail["vv"].receive_num, Some(0));
    }

    #[test]
    fn no_delivery_reports_the_total_alone() {
        let none = Reach::default().channel_reports(false);
        assert_eq!(
            none,
            ChannelReports::from([(REPORT_TOTAL.to_owned(), v2(0, 0, 0, 0))])
        );
        assert_eq!(Reach::default().getui_channel(), legacy(0, 0, 0, 0));
        assert_eq!(Reach::default().apns_channel(), legacy(0, 0, 0, 0));
    }

    /// An app push sent at minute 10 with [`outcomes`], and a list message pushed at
    /// minute 0 (one device on Getui's channel) and at 16:30 UTC, the next Beijing day
    /// (one on APNs).
    fn fill_outcomes(store: &mut Store) {
        let mut sent = task("task-app", TaskKind::App, TaskStatus::SendSuccess, "g");
        sent.recipients = ids(&["a"]);
        sent.sent_at = Some(at(10));
        sent.deliveries = outcomes();
        store.insert_task(sent);
        store.insert_task(task(
            "task-list",
            TaskKind::List,
            TaskStatus::SendSuccess,
            "g",
        ));
        for (minute, channel) in [(0, Channel::Getui), (16 * 60 + 30, Channel::Apns)] {
            store.list_pushes.push(ListPush {
                task_id: "task-list".into(),
                at: at(minute),
                cids: ids(&["a"]),
                aliases: Vec::new(),
                delivered_to: ids(&["a"]),
                content: String::new(),
                deliveries: Deliveries {
                    delivered: counts(&[(channel, 1)]),
                    displayed: counts(&[(channel, 1)]),
                    clicked: counts(&[(channel, 1)]),
                    ..Deliveries::default()
                },
            });
        }
    }

    #[test]
    fn each_list_push_counts_from_its_own_time_and_the_date_report_by_beijing_day() {
        let mut store = Store::new(app(), users());
        fill_outcomes(&mut store);
        let asked = ids(&["task-app", "task-list"]);
        let totals = |store: &mut Store, until| {
            task_reaches(store, &asked, until)
                .into_iter()
                .map(|(id, reach)| (id, reach.total().target, reach.total().click))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            totals(&mut store, at(9)),
            [("task-app".into(), 0, 0), ("task-list".into(), 1, 1)]
        );
        assert_eq!(
            totals(&mut store, at(16 * 60 + 30)),
            [("task-app".into(), 12, 2), ("task-list".into(), 2, 2)]
        );
        assert_eq!(group_reach(&mut store, "g", at(10)).total().target, 12 + 1);
        // 1970-01-01 in Beijing runs until 16:00 UTC.
        let first = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let second = NaiveDate::from_ymd_opt(1970, 1, 2).unwrap();
        let late = at(24 * 60);
        assert_eq!(date_reach(&mut store, first, late).total().target, 13);
        let next = date_reach(&mut store, second, late);
        assert_eq!(next.channel(Channel::Apns).receive, 1);
        assert_eq!(next.total().target, 1);
        assert_eq!(
            date_reach(&mut store, second, at(16 * 60 + 29)),
            Reach::default(),
            "not counted before it left"
        );
    }
}
