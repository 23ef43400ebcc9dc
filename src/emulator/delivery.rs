//! How a push that fires reaches each device: through Getui's own connection, APNs or the
//! device's maker's channel, and what the makers do with a marketing push (`getui-protocol.md`
//! H; issue 24). [`deliver`] decides it device by device and counts the outcomes
//! ([`Deliveries`]), which the store keeps with the task.
//!
//! The routing table ([`route`]), per device, with the push's `settings.strategy` for the
//! device's maker (its own key, else `default`, else 1):
//!
//! | device | strategy | online | offline |
//! | --- | --- | --- | --- |
//! | iOS | any | Getui | APNs |
//! | Android, maker `other` | any | Getui | not delivered |
//! | Android, push gives the makers nothing (no `ups`) | any | Getui | not delivered |
//! | Android, maker M | 1 (and 6, smart quota, read as 1) | Getui | M |
//! | Android, maker M | 2, 4 | M | M |
//! | Android, maker M | 3 | Getui | not delivered |
//!
//! A maker's channel carries only what the push gives it (V2 `push_channel.android.ups`, or
//! a legacy transmission template's third-party notify info), so a push without one goes
//! by Getui's channel alone. The legacy protocol has no strategy: Getui's default, 1.
//!
//! On a maker's channel the push has the class the maker reads from its options
//! (`vendor::class_in_options`; Xiaomi's and OPPO's service channels are the app's, from
//! [`VendorPolicy::service_channels`]); saying nothing is marketing. A service push is
//! shown. A marketing push follows the maker's [`MarketingRules`]
//! ([`VendorPolicy::rules`]): outside its hours it is dropped (vivo) or held and shown when
//! they open (Huawei, Honor); then, if the device has been shown the day's cap of marketing
//! pushes from this app (the China day it is shown on), it is dropped as over quota, else
//! counted.
//!
//! The counts are [`MarketingCounts`]: one entry per device shown a marketing push on a
//! China day, keyed by a 64-bit hash of its cid rather than the cid, so that a million
//! devices cost about 20 MB in memory instead of 80, and days before the one a push fires
//! on are forgotten. A device has one maker, so its count is its maker's. The store writes
//! the entries that changed to its database with the change that made them, so a
//! restarted sandbox goes on counting.
//!
//! What a device does with a push it is delivered (shown, for a held one, when it is shown)
//! is fixed too, so that reports give the same figures every run (`reports`):
//!
//! - a push shows a notification on a maker's channel (which carries only what the push
//!   gives the makers to show) and, on Getui's channel and APNs, unless it is a payload only
//!   (a legacy transmission template, `pushType` `TransmissionMsg`, or a V2 `transmission`;
//!   `Task::shows_notification`). A V2 push's APNs part is not kept, so an iPhone reached
//!   through APNs shows a payload-only push no more than one reached through Getui;
//! - [`NOTIFICATIONS_OFF_BASIS_POINTS`] (8%) of devices have notifications off: they
//!   receive the push and show nothing. Which ones: a SplitMix64 mix of the cid's
//!   [`device_key`] with a salt ([`notifications_off`]);
//! - of the devices that show it, [`CLICKS_BASIS_POINTS`] (5%) click it, picked by a mix of
//!   the cid's key and the task id's ([`clicks`]), so each push is clicked by other devices.
//!
//! A held push counts what it will display and click apart (`held_displayed`,
//! `held_clicked`, `held_notifications_off`) until it is shown. None of it costs an
//! allocation per device: two hashes and a few counters.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};

use super::records::{Channel, Deliveries, User, VendorPush};
use super::seed::{Maker, is_ios};
use crate::getui::v2::wire::STRATEGY_DEFAULT;
use crate::getui::vendor::{MessageClass, Vendor, class_in_options};
use crate::getui::vendor_rules::{self, MAKERS_ZONE, MarketingRules, OutsideHours, PUBLISHED};

/// What the makers do with an app's marketing pushes, and which of its Xiaomi and OPPO
/// channels are service channels. `Default` is [`PUBLISHED`] for an ordinary app (not a
/// news app) with no service channels.
#[derive(Clone, Debug, PartialEq)]
pub struct VendorPolicy {
    /// Each maker's rules; a maker not listed has none (no cap, all day).
    pub rules: Vec<(Vendor, MarketingRules)>,
    /// Per maker, the channel ids (`/extra.channel_id`, `/channel_id`) the app registered
    /// for service messages.
    pub service_channels: Vec<(Vendor, Vec<String>)>,
}

impl Default for VendorPolicy {
    fn default() -> Self {
        VendorPolicy {
            rules: PUBLISHED
                .iter()
                .map(|row| (row.vendor, row.for_app(false, true)))
                .collect(),
            service_channels: Vec::new(),
        }
    }
}

impl VendorPolicy {
    fn rules_of(&self, vendor: Vendor) -> Option<MarketingRules> {
        self.rules
            .iter()
            .find(|(v, _)| *v == vendor)
            .map(|(_, rules)| *rules)
    }

    fn service_channels_of(&self, vendor: Vendor) -> &[String] {
        self.service_channels
            .iter()
            .find(|(v, _)| *v == vendor)
            .map_or(&[], |(_, ids)| ids.as_slice())
    }
}

/// A device as delivery sees it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Device {
    pub cid: String,
    pub ios: bool,
    pub online: bool,
    /// `None` on iOS; `other` for an Android device without one.
    pub maker: Option<Maker>,
}

impl Device {
    pub(crate) fn of(user: &User) -> Device {
        Device {
            cid: user.cid.clone(),
            ios: is_ios(&user.phone_type),
            online: user.online,
            maker: Maker::of_device(&user.phone_type, user.maker),
        }
    }
}

/// Where the routing table sends a push for one device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    Getui,
    Apns,
    Vendor(Vendor),
    /// Offline, and no channel may reach it now.
    Nowhere,
}

/// The routing table of the module doc.
pub(crate) fn route(device: &Device, push: &VendorPush) -> Route {
    let online_or = |otherwise: Route| {
        if device.online {
            Route::Getui
        } else {
            otherwise
        }
    };
    if device.ios {
        return online_or(Route::Apns);
    }
    let maker = device.maker.and_then(Maker::vendor);
    let Some(vendor) = maker.filter(|_| push.ups.is_some()) else {
        return online_or(Route::Nowhere);
    };
    let strategy = push
        .strategy
        .get(vendor.strategy_key())
        .or_else(|| push.strategy.get(STRATEGY_DEFAULT))
        .copied()
        .unwrap_or(1);
    match strategy {
        2 | 4 => Route::Vendor(vendor),
        3 => online_or(Route::Nowhere),
        _ => online_or(Route::Vendor(vendor)),
    }
}

/// What a maker does with one push to one device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shown {
    Now,
    HeldUntil(DateTime<Utc>),
    OverQuota,
    OutsideHours,
}

/// Marketing pushes shown per device per China day (see the module doc).
#[derive(Debug, Default)]
pub(crate) struct MarketingCounts {
    /// China day (days from the Common Era, [`china_day`]) → device key → count.
    days: BTreeMap<i32, HashMap<u64, u8>>,
    /// Entries changed since [`MarketingCounts::take_changes`].
    changed: Vec<(i32, u64)>,
    /// Days before this one were forgotten since the last take.
    forgot_before: Option<i32>,
}

impl MarketingCounts {
    /// Counts read back from the database.
    pub(crate) fn of_rows(rows: impl IntoIterator<Item = (i32, u64, u8)>) -> MarketingCounts {
        let mut counts = MarketingCounts::default();
        for (day, device, count) in rows {
            counts.days.entry(day).or_default().insert(device, count);
        }
        counts
    }

    pub(crate) fn count(&self, day: i32, device: u64) -> u8 {
        self.days
            .get(&day)
            .and_then(|devices| devices.get(&device))
            .copied()
            .unwrap_or(0)
    }

    fn bump(&mut self, day: i32, device: u64) {
        let count = self.days.entry(day).or_default().entry(device).or_insert(0);
        *count = count.saturating_add(1);
        self.changed.push((day, device));
    }

    /// Forgets the days before `day`: pushes fire in time order, so none counts there again.
    fn forget_before(&mut self, day: i32) {
        if self.days.keys().next().is_some_and(|first| *first < day) {
            self.days = self.days.split_off(&day);
            self.forgot_before = Some(day);
        }
    }

    /// What changed since the last take: the day before which rows are gone, and each
    /// changed entry with its count now.
    pub(crate) fn take_changes(&mut self) -> (Option<i32>, Vec<(i32, u64, u8)>) {
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        let rows = changed
            .into_iter()
            .map(|(day, device)| (day, device, self.count(day, device)))
            .collect();
        (self.forgot_before.take(), rows)
    }
}

/// The China day of `at`, as a number of days.
pub(crate) fn china_day(at: DateTime<Utc>) -> i32 {
    at.with_timezone(&MAKERS_ZONE)
        .date_naive()
        .num_days_from_ce()
}

/// The key of a device in [`MarketingCounts`]: FNV-1a of its cid, fixed here (not the
/// standard library's hasher, which may change between versions) because it is stored.
pub(crate) fn device_key(cid: &str) -> u64 {
    cid.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a push did when it fired.
#[derive(Debug, Default)]
pub(crate) struct Fired {
    /// The devices it went to, for the reports: all but the ones a maker dropped or holds.
    pub reached: Vec<String>,
    pub deliveries: Deliveries,
}

/// The share of devices that have notifications turned off, in basis points: 8%.
pub const NOTIFICATIONS_OFF_BASIS_POINTS: u64 = 800;
/// The share of displayed notifications that are clicked, in basis points: 5%.
pub const CLICKS_BASIS_POINTS: u64 = 500;

/// What [`notifications_off`] mixes into a device's key, so that its bit is independent of
/// the click bit and of the marketing counts' key.
const NOTIFICATIONS_OFF_SALT: u64 = 0x6e6f_7469_6669_6573;

/// The SplitMix64 finalizer: spreads every bit of `z` over the result.
fn mix(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Whether `mixed` falls in the first `basis_points` of 10 000.
fn within(mixed: u64, basis_points: u64) -> bool {
    mixed % 10_000 < basis_points
}

/// Whether the device `cid` has notifications turned off: a fixed share of devices
/// ([`NOTIFICATIONS_OFF_BASIS_POINTS`]), always the same ones, decided by a fixed hash of
/// the cid. Such a device receives a push but displays nothing.
pub fn notifications_off(cid: &str) -> bool {
    off_by_key(device_key(cid))
}

fn off_by_key(device: u64) -> bool {
    within(
        mix(device ^ NOTIFICATIONS_OFF_SALT),
        NOTIFICATIONS_OFF_BASIS_POINTS,
    )
}

/// Whether the user of the device `cid` clicks the notification of the task `task_id` once
/// it is displayed: a fixed share ([`CLICKS_BASIS_POINTS`]), decided by a fixed hash of
/// both, so that each push is clicked by other devices.
pub fn clicks(cid: &str, task_id: &str) -> bool {
    clicks_by_key(device_key(cid), task_key(task_id))
}

fn task_key(task_id: &str) -> u64 {
    mix(device_key(task_id))
}

fn clicks_by_key(device: u64, task: u64) -> bool {
    within(mix(device ^ task), CLICKS_BASIS_POINTS)
}

/// The push being delivered, as the outcomes need it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Message<'a> {
    /// Its task id, which picks the devices that click it.
    pub task_id: &'a str,
    /// What it gives the makers' channels.
    pub vendor: &'a VendorPush,
    /// Whether it shows a notification on Getui's channel and APNs (`Task::shows_notification`).
    pub shows_notification: bool,
}

/// Delivers `message` to `devices` at `at` (see the module doc).
pub(crate) fn deliver(
    policy: &VendorPolicy,
    counts: &mut MarketingCounts,
    message: Message<'_>,
    devices: Vec<Device>,
    at: DateTime<Utc>,
) -> Fired {
    counts.forget_before(china_day(at));
    let push = message.vendor;
    let task = task_key(message.task_id);
    let mut fired = Fired::default();
    let add = |counts: &mut BTreeMap<Channel, u64>, channel: Channel| {
        let count = counts.entry(channel).or_default();
        *count = count.saturating_add(1);
    };
    for device in devices {
        let d = &mut fired.deliveries;
        let key = device_key(&device.cid);
        let (channel, held) = match route(&device, push) {
            Route::Getui => (Channel::Getui, false),
            Route::Apns => (Channel::Apns, false),
            Route::Nowhere => {
                d.not_delivered_offline = d.not_delivered_offline.saturating_add(1);
                fired.reached.push(device.cid);
                continue;
            }
            Route::Vendor(vendor) => {
                let channel = Channel::of(vendor);
                match on_vendor(policy, counts, push, vendor, key, at) {
                    Shown::Now => (channel, false),
                    Shown::HeldUntil(until) => {
                        add(&mut d.held, channel);
                        d.held_until.insert(channel, until);
                        (channel, true)
                    }
                    Shown::OverQuota => {
                        add(&mut d.over_quota, channel);
                        continue;
                    }
                    Shown::OutsideHours => {
                        add(&mut d.outside_hours, channel);
                        continue;
                    }
                }
            }
        };
        // A maker's channel carries only what the push gives the makers to show.
        let displays = message.shows_notification || channel.is_vendor();
        let (off, displayed, clicked) = if held {
            (
                &mut d.held_notifications_off,
                &mut d.held_displayed,
                &mut d.held_clicked,
            )
        } else {
            (&mut d.notifications_off, &mut d.displayed, &mut d.clicked)
        };
        if displays && off_by_key(key) {
            add(off, channel);
        } else if displays {
            add(displayed, channel);
            if clicks_by_key(key, task) {
                add(clicked, channel);
            }
        }
        if !held {
            add(&mut d.delivered, channel);
            fired.reached.push(device.cid);
        }
    }
    fired
}

/// What `vendor` does with `push` to the device of key `device` ([`device_key`]) at `at`.
fn on_vendor(
    policy: &VendorPolicy,
    counts: &mut MarketingCounts,
    push: &VendorPush,
    vendor: Vendor,
    device: u64,
    at: DateTime<Utc>,
) -> Shown {
    let options = push.ups.as_ref().map(|ups| &ups.options);
    let said = options
        .and_then(|options| class_in_options(vendor, options, policy.service_channels_of(vendor)));
    let class = said.unwrap_or(MessageClass::Marketing);
    let Some(mut rules) = policy
        .rules_of(vendor)
        .filter(|_| class == MessageClass::Marketing)
    else {
        return Shown::Now;
    };
    // A Xiaomi push that names no channel goes to its default channel, capped lower.
    if said.is_none()
        && let Some(cap) = vendor_rules::published(vendor).unregistered_channel_per_day
    {
        rules.per_day = Some(rules.per_day.map_or(cap, |own| own.min(cap)));
    }
    let shown_at = if rules.outside_hours_at(at) {
        match rules.outside_hours {
            OutsideHours::Dropped => return Shown::OutsideHours,
            OutsideHours::HeldUntilOpen => opening(&rules, at),
        }
    } else {
        at
    };
    let day = china_day(shown_at);
    if rules
        .per_day
        .is_some_and(|cap| u32::from(counts.count(day, device)) >= cap)
    {
        return Shown::OverQuota;
    }
    counts.bump(day, device);
    if shown_at == at {
        Shown::Now
    } else {
        Shown::HeldUntil(shown_at)
    }
}

/// When `rules`' hours next open after `at` (which lies outside them): today's opening if
/// it is still to come, else tomorrow's, in China time.
fn opening(rules: &MarketingRules, at: DateTime<Utc>) -> DateTime<Utc> {
    let Some(hours) = rules.hours else {
        return at;
    };
    let local = at.with_timezone(&MAKERS_ZONE);
    let minute = local.hour() * 60 + local.minute();
    let from = u32::from(hours.from % 1440);
    let date = if minute < from {
        Some(local.date_naive())
    } else {
        local.date_naive().succ_opt()
    };
    date.and_then(|date| date.and_hms_opt(from / 60, from % 60, 0))
        .and_then(|naive| MAKERS_ZONE.from_local_datetime(&naive).single())
        .map_or(at, |opens| opens.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::getui::v2::wire::Ups;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn device(cid: &str, maker: Option<Maker>, online: bool) -> Device {
        Device {
            cid: cid.to_owned(),
            ios: maker.is_none(),
            online,
            maker,
        }
    }

    /// A push with a makers' notification, its options as `(constraint, key, value)`, and
    /// its strategy.
    fn push(options: &[(&str, &str, serde_json::Value)], strategy: &[(&str, i64)]) -> VendorPush {
        let mut ups = Ups::default();
        for (constraint, key, value) in options {
            ups.options
                .entry((*constraint).to_owned())
                .or_default()
                .insert((*key).to_owned(), value.clone());
        }
        VendorPush {
            ups: Some(ups),
            harmony: None,
            strategy: strategy
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect(),
        }
    }

    /// A push of the task `task` showing a notification.
    fn msg(vendor: &VendorPush) -> Message<'_> {
        Message {
            task_id: "task-1",
            vendor,
            shows_notification: true,
        }
    }

    /// A `settings.strategy`, as key and value pairs.
    type Strategy = &'static [(&'static str, i64)];

    #[test]
    fn the_routing_table_sends_each_device_by_its_maker_strategy_and_connection() {
        let vivo = Some(Maker::Vv);
        let cases: Vec<(Device, Strategy, Route)> = vec![
            (device("ios", None, true), &[], Route::Getui),
            (
                device("ios", None, false),
                &[(STRATEGY_DEFAULT, 2)],
                Route::Apns,
            ),
            (
                device("o", Some(Maker::Other), true),
                &[(STRATEGY_DEFAULT, 2)],
                Route::Getui,
            ),
            (
                device("o", Some(Maker::Other), false),
                &[(STRATEGY_DEFAULT, 2)],
                Route::Nowhere,
            ),
            (device("v", vivo, true), &[], Route::Getui),
            (device("v", vivo, false), &[], Route::Vendor(Vendor::Vv)),
            (
                device("v", vivo, true),
                &[(STRATEGY_DEFAULT, 2)],
                Route::Vendor(Vendor::Vv),
            ),
            (
                device("v", vivo, true),
                &[(STRATEGY_DEFAULT, 4)],
                Route::Vendor(Vendor::Vv),
            ),
            (
                device("v", vivo, false),
                &[(STRATEGY_DEFAULT, 3)],
                Route::Nowhere,
            ),
            (
                device("v", vivo, true),
                &[(STRATEGY_DEFAULT, 3)],
                Route::Getui,
            ),
            // The maker's own key wins over `default`.
            (
                device("v", vivo, true),
                &[(STRATEGY_DEFAULT, 3), ("vv", 2)],
                Route::Vendor(Vendor::Vv),
            ),
            (
                device("h", Some(Maker::Hw), true),
                &[(STRATEGY_DEFAULT, 3), ("vv", 2)],
                Route::Getui,
            ),
            (device("v", vivo, true), &[("vv", 6)], Route::Getui),
        ];
        for (device, strategy, expected) in cases {
            let push = push(&[], strategy);
            assert_eq!(route(&device, &push), expected, "{device:?} {strategy:?}");
        }
        let nothing_for_the_maker = VendorPush::default();
        assert_eq!(
            route(&device("v", vivo, false), &nothing_for_the_maker),
            Route::Nowhere
        );
    }

    fn fire(
        counts: &mut MarketingCounts,
        push: &VendorPush,
        devices: &[Device],
        when: &str,
    ) -> Deliveries {
        deliver(
            &VendorPolicy::default(),
            counts,
            msg(push),
            devices.to_vec(),
            at(when),
        )
        .deliveries
    }

    #[test]
    fn vivo_shows_two_marketing_pushes_a_china_day_and_any_number_of_service_ones() {
        let devices = [device("v1", Some(Maker::Vv), false)];
        let marketing = push(&[("VV", "/classification", serde_json::json!(0))], &[]);
        let service = push(&[("VV", "/classification", serde_json::json!(1))], &[]);
        let mut counts = MarketingCounts::default();
        for hour in ["02", "03"] {
            let d = fire(
                &mut counts,
                &marketing,
                &devices,
                &format!("2026-12-08T{hour}:00:00Z"),
            );
            assert_eq!(d.delivered.get(&Channel::Vv), Some(&1));
        }
        let third = fire(&mut counts, &marketing, &devices, "2026-12-08T04:00:00Z");
        assert_eq!(third.over_quota.get(&Channel::Vv), Some(&1));
        assert!(third.delivered.is_empty());
        let shown = fire(&mut counts, &service, &devices, "2026-12-08T05:00:00Z");
        assert_eq!(shown.delivered.get(&Channel::Vv), Some(&1));
        // 07:30 on 9 December in China is a new day.
        let next_day = fire(&mut counts, &marketing, &devices, "2026-12-08T23:30:00Z");
        assert_eq!(next_day.delivered.get(&Channel::Vv), Some(&1));
    }

    #[test]
    fn vivo_drops_marketing_outside_its_hours_and_huawei_holds_it_until_six() {
        let devices = [
            device("v1", Some(Maker::Vv), false),
            device("h1", Some(Maker::Hw), false),
        ];
        let nothing_said = push(&[], &[]);
        let mut counts = MarketingCounts::default();
        // 23:30 in China.
        let late = fire(&mut counts, &nothing_said, &devices, "2026-12-08T15:30:00Z");
        assert_eq!(late.outside_hours.get(&Channel::Vv), Some(&1));
        assert_eq!(late.delivered.get(&Channel::Hw), Some(&1));
        // 01:00 in China: Huawei holds it until 06:00, and counts it on that day.
        let night = fire(&mut counts, &nothing_said, &devices, "2026-12-08T17:00:00Z");
        assert_eq!(night.held.get(&Channel::Hw), Some(&1));
        assert_eq!(
            night.held_until.get(&Channel::Hw),
            Some(&at("2026-12-08T22:00:00Z"))
        );
        assert_eq!(night.outside_hours.get(&Channel::Vv), Some(&1));
        let day = china_day(at("2026-12-08T22:00:00Z"));
        assert_eq!(counts.count(day, device_key("h1")), 1);
    }

    #[test]
    fn xiaomi_and_oppo_pushes_are_service_only_on_the_apps_service_channels() {
        let policy = VendorPolicy {
            service_channels: vec![(Vendor::Xm, vec!["orders".to_owned()])],
            ..VendorPolicy::default()
        };
        let mut counts = MarketingCounts::default();
        let devices = vec![device("x1", Some(Maker::Xm), false)];
        let on = |channel: &str| {
            push(
                &[("XM", "/extra.channel_id", serde_json::json!(channel))],
                &[],
            )
        };
        let now = at("2026-12-08T02:00:00Z");
        for _ in 0..5 {
            deliver(
                &policy,
                &mut counts,
                msg(&on("promo")),
                devices.clone(),
                now,
            );
        }
        let sixth = deliver(
            &policy,
            &mut counts,
            msg(&on("promo")),
            devices.clone(),
            now,
        );
        assert_eq!(sixth.deliveries.over_quota.get(&Channel::Xm), Some(&1));
        let service = deliver(&policy, &mut counts, msg(&on("orders")), devices, now);
        assert_eq!(service.deliveries.delivered.get(&Channel::Xm), Some(&1));
    }

    #[test]
    fn xiaomi_shows_one_marketing_push_a_day_on_its_default_channel() {
        let mut counts = MarketingCounts::default();
        let devices = vec![device("x1", Some(Maker::Xm), false)];
        let no_channel = push(&[], &[]);
        let now = at("2026-12-08T02:00:00Z");
        let policy = VendorPolicy::default();
        let first = deliver(&policy, &mut counts, msg(&no_channel), devices.clone(), now);
        assert_eq!(first.deliveries.delivered.get(&Channel::Xm), Some(&1));
        let second = deliver(&policy, &mut counts, msg(&no_channel), devices.clone(), now);
        assert_eq!(second.deliveries.over_quota.get(&Channel::Xm), Some(&1));
        // A registered channel is the public one: five a day, this one the second.
        let registered = push(
            &[("XM", "/extra.channel_id", serde_json::json!("promo"))],
            &[],
        );
        let third = deliver(&policy, &mut counts, msg(&registered), devices, now);
        assert_eq!(third.deliveries.delivered.get(&Channel::Xm), Some(&1));
    }

    #[test]
    fn dropped_and_held_devices_are_not_reached_but_offline_ones_are_kept_for_later() {
        let devices = vec![
            device("v1", Some(Maker::Vv), false),
            device("o1", Some(Maker::Other), false),
            device("i1", None, false),
        ];
        let mut counts = MarketingCounts::default();
        let fired = deliver(
            &VendorPolicy::default(),
            &mut counts,
            msg(&push(&[], &[])),
            devices,
            at("2026-12-08T15:30:00Z"),
        );
        assert_eq!(fired.reached, vec!["o1".to_owned(), "i1".to_owned()]);
        assert_eq!(fired.deliveries.not_delivered_offline, 1);
        assert_eq!(fired.deliveries.delivered.get(&Channel::Apns), Some(&1));
    }

    #[test]
    fn held_pushes_open_today_when_the_hours_are_still_to_come_else_tomorrow() {
        use crate::getui::vendor_rules::DayWindow;
        let rules = MarketingRules {
            per_day: None,
            hours: Some(DayWindow {
                from: 8 * 60,
                to: 22 * 60,
            }),
            outside_hours: OutsideHours::HeldUntilOpen,
        };
        // 05:00 and 23:00 in China.
        let early = opening(&rules, at("2026-12-07T21:00:00Z"));
        assert_eq!(early, at("2026-12-08T00:00:00Z"));
        let late = opening(&rules, at("2026-12-08T15:00:00Z"));
        assert_eq!(late, at("2026-12-09T00:00:00Z"));
    }

    #[test]
    fn counts_forget_past_days_and_report_what_changed() {
        let mut counts = MarketingCounts::of_rows([(10, 1, 2), (11, 1, 1)]);
        counts.forget_before(11);
        counts.bump(11, 2);
        let (forgot, rows) = counts.take_changes();
        assert_eq!(forgot, Some(11));
        assert_eq!(rows, vec![(11, 2, 1)]);
        assert_eq!(counts.count(10, 1), 0);
        assert_eq!(counts.count(11, 1), 1);
    }

    /// The first cid `cid-{n}` for which `pick` holds.
    fn first_cid(pick: impl Fn(&str) -> bool) -> String {
        (0..10_000)
            .map(|n| format!("cid-{n}"))
            .find(|cid| pick(cid))
            .unwrap_or_default()
    }

    #[test]
    fn notifications_off_and_clicks_are_fixed_shares_picked_by_fixed_hashes() {
        let cids: Vec<String> = (0..100_000).map(|n| format!("cid-{n}")).collect();
        let share = |pick: &dyn Fn(&str) -> bool| cids.iter().filter(|c| pick(c)).count();
        let off = share(&|cid| notifications_off(cid));
        let clicked_a = share(&|cid| clicks(cid, "task-a"));
        let clicked_b = share(&|cid| clicks(cid, "task-b"));
        let both = share(&|cid| clicks(cid, "task-a") && clicks(cid, "task-b"));
        let off_and_clicked = share(&|cid| notifications_off(cid) && clicks(cid, "task-a"));
        assert!((7_700..=8_300).contains(&off), "{off}");
        assert!((4_700..=5_300).contains(&clicked_a), "{clicked_a}");
        assert!((4_700..=5_300).contains(&clicked_b), "{clicked_b}");
        // Each push is clicked by other devices, and the bits are independent.
        assert!(both < 400, "{both}");
        assert!((250..=550).contains(&off_and_clicked), "{off_and_clicked}");
        // Fixed: the same cids today as when the emulator's tests were written.
        assert_eq!((off, clicked_a), (8_014, 4_959));
        assert_eq!(first_cid(notifications_off), "cid-13");
        assert_eq!(first_cid(|cid| clicks(cid, "task-a")), "cid-18");
    }

    #[test]
    fn a_device_displays_and_clicks_unless_notifications_are_off_or_the_push_is_a_payload() {
        let off = first_cid(notifications_off);
        let clicker = first_cid(|cid| !notifications_off(cid) && clicks(cid, "task-1"));
        let plain = first_cid(|cid| !notifications_off(cid) && !clicks(cid, "task-1"));
        // Each of them online (Getui), an offline iPhone (APNs), an offline vivo (vivo).
        let mut devices = Vec::new();
        for cid in [&off, &clicker, &plain] {
            devices.push(device(cid, Some(Maker::Other), true));
            devices.push(device(cid, None, false));
            devices.push(device(cid, Some(Maker::Vv), false));
        }
        let service = push(&[("VV", "/classification", serde_json::json!(1))], &[]);
        let noon = at("2026-12-08T04:00:00Z");
        let per_channel =
            |n: u64| counts_of(&[(Channel::Getui, n), (Channel::Apns, n), (Channel::Vv, n)]);
        let mut counts = MarketingCounts::default();
        let shown = fire(&mut counts, &service, &devices, "2026-12-08T04:00:00Z");
        assert_eq!(shown.delivered, per_channel(3));
        assert_eq!(shown.displayed, per_channel(2));
        assert_eq!(shown.clicked, per_channel(1));
        assert_eq!(shown.notifications_off, per_channel(1));
        // A payload shows nothing on Getui's channel nor APNs; the maker shows its part.
        let payload = Message {
            task_id: "task-1",
            vendor: &service,
            shows_notification: false,
        };
        let policy = VendorPolicy::default();
        let silent = deliver(&policy, &mut counts, payload, devices, noon).deliveries;
        assert_eq!(silent.delivered, per_channel(3));
        assert_eq!(silent.displayed, counts_of(&[(Channel::Vv, 2)]));
        assert_eq!(silent.clicked, counts_of(&[(Channel::Vv, 1)]));
        assert_eq!(silent.notifications_off, counts_of(&[(Channel::Vv, 1)]));
    }

    #[test]
    fn a_held_push_keeps_what_it_will_display_and_click_apart() {
        let clicker = first_cid(|cid| !notifications_off(cid) && clicks(cid, "task-1"));
        let devices = [device(&clicker, Some(Maker::Hw), false)];
        let mut counts = MarketingCounts::default();
        // 01:00 in China: Huawei holds it until 06:00.
        let night = fire(
            &mut counts,
            &push(&[], &[]),
            &devices,
            "2026-12-08T17:00:00Z",
        );
        assert!(night.delivered.is_empty() && night.displayed.is_empty());
        assert!(night.clicked.is_empty());
        assert_eq!(night.held, counts_of(&[(Channel::Hw, 1)]));
        assert_eq!(night.held_displayed, counts_of(&[(Channel::Hw, 1)]));
        assert_eq!(night.held_clicked, counts_of(&[(Channel::Hw, 1)]));
    }

    fn counts_of(pairs: &[(Channel, u64)]) -> BTreeMap<Channel, u64> {
        pairs.iter().copied().collect()
    }
}
