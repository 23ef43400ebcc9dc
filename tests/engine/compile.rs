//! Compiling workspaces end to end: the example workspace `campaigns/`, loaded, checked and
//! compiled as `gtcamp plan` does, at a fixed instant.

use std::path::Path;

use chrono::{DateTime, Utc};
use gtcamp::check::{CheckContext, check_workspace};
use gtcamp::compile::{CompileContext, DeliveryKind, Desired, RemoteRequest, Timing, compile};
use gtcamp::load::{Limits, load_workspace};

fn now() -> DateTime<Utc> {
    // A Saturday, 08:00 Beijing: the recurring campaigns' next sends are inside Getui's
    // window, the one-offs (dated 2040 so that the example never rots) far beyond it.
    DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn compile_examples() -> Desired {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns");
    let workspace = load_workspace(&root, &Limits::default());
    let errors: Vec<_> = check_workspace(&workspace, &CheckContext { now: now() })
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "the example workspace has errors: {errors:?}"
    );
    let context = CompileContext {
        now: now(),
        max_push_ahead: chrono::Duration::days(7),
        list_push_grace: chrono::Duration::hours(1),
        protocol: gtcamp::model::Protocol::Legacy,
    };
    compile(&workspace, &context).unwrap()
}

fn timings(desired: &Desired) -> Vec<(&str, Timing)> {
    desired
        .occurrences
        .iter()
        .map(|(key, o)| (key.0.as_str(), o.timing))
        .collect()
}

#[test]
fn example_workspace_compiles_into_the_occurrences_its_comments_promise() {
    let desired = compile_examples();
    // The daily reminder: seven days within Getui's push-ahead window (the first, 28 Nov
    // 20:00, is today), seven more up to the 14-day horizon.
    let reminders = (28..=41).map(|n| {
        let (month, day) = if n <= 30 { (11, n) } else { (12, n - 30) };
        let timing = if n <= 34 {
            Timing::Schedulable
        } else {
            Timing::Deferred
        };
        (
            format!("checkin-reminder@2026-{month:02}-{day:02}T20:00+08:00"),
            timing,
        )
    });
    let expected: Vec<(String, Timing)> = reminders
        .chain(
            [
                ("coupon-sync@2026-11-30T09:00+08:00", Timing::Schedulable),
                ("coupon-sync@2026-12-07T09:00+08:00", Timing::Deferred),
                (
                    "double-twelve-sale@2040-12-11T20:00+08:00",
                    Timing::Deferred,
                ),
                (
                    "new-version-launch@2040-01-05T09:30+08:00",
                    Timing::Deferred,
                ),
                (
                    "order-shipped-notice@2040-12-01T15:00+08:00",
                    Timing::NotYetDue,
                ),
                ("vip-early-access@2040-12-09T12:00+08:00", Timing::NotYetDue),
                ("weekly-digest@2026-12-04T20:00+08:00", Timing::Schedulable),
                ("weekly-digest@2026-12-11T20:00+08:00", Timing::Deferred),
                ("welcome-back-dec@2040-12-01T10:00+08:00", Timing::Deferred),
            ]
            .map(|(key, timing)| (key.to_owned(), timing)),
        )
        .collect();
    let timings: Vec<(String, Timing)> = timings(&desired)
        .into_iter()
        .map(|(key, timing)| (key.to_owned(), timing))
        .collect();
    assert_eq!(timings, expected);
    let names: Vec<&str> = desired.campaigns.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "checkin-reminder",
            "coupon-sync",
            "double-twelve-sale",
            "new-version-launch",
            "order-shipped-notice",
            "vip-early-access",
            "weekly-digest",
            "welcome-back-dec",
        ]
    );
    assert!(desired.notes.is_empty(), "{:?}", desired.notes);
}

#[test]
fn example_campaigns_say_who_they_reach_in_plain_words() {
    let desired = compile_examples();
    let info = |name: &str| desired.campaigns.get(name).unwrap();
    assert_eq!(
        info("double-twelve-sale").audience_summary,
        "in 浙江 or 上海, tagged shopper, not tagged promo-opt-out"
    );
    assert_eq!(
        info("weekly-digest").audience_summary,
        "tagged digest-subscriber"
    );
    assert_eq!(info("weekly-digest").audience, None);
    assert_eq!(
        info("welcome-back-dec").audience.as_deref(),
        Some("dormant-android")
    );
    assert_eq!(
        info("vip-early-access").audience_summary,
        "3 aliases: vip_10001, vip_10002, 会员_10003"
    );
    assert_eq!(info("vip-early-access").delivery, DeliveryKind::ListPush);
    assert_eq!(info("new-version-launch").delivery, DeliveryKind::Scheduled);
    assert_eq!(
        info("order-shipped-notice").file,
        Path::new("sms-fallback/order-shipped.yaml")
    );
}

#[test]
fn example_occurrences_carry_beijing_push_times_and_their_groups() {
    let desired = compile_examples();
    let digest = desired
        .occurrences
        .values()
        .find(|o| o.key.0 == "weekly-digest@2026-12-04T20:00+08:00")
        .unwrap();
    assert_eq!(digest.push_time.wire(), "202612042000");
    // The example sets `task_group: weekly-digest`; gtcamp appends 16 hex of the key.
    let group = digest.group.as_str();
    assert!(group.starts_with("weekly-digest-"), "{group}");
    assert_eq!(group.len(), "weekly-digest-".len() + 16);
    let RemoteRequest::Scheduled(push) = &digest.request else {
        panic!("a tag audience is a scheduled push")
    };
    assert_eq!(push.push_time, digest.push_time);
    assert_eq!(push.group.as_ref(), Some(&digest.group));
    assert_eq!(
        digest.content.title.as_deref(),
        Some("本周精选 Weekly picks")
    );
    assert_eq!(
        digest.content.delivery,
        "kept 12h for offline phones, any network"
    );
}

#[test]
fn example_bindings_hold_hashes_never_numbers() {
    let desired = compile_examples();
    let cids: Vec<&str> = desired.bindings.keys().map(String::as_str).collect();
    assert_eq!(
        cids,
        [
            "de30c1d0000000000000000000000001",
            "de30c1d0000000000000000000000002",
            "de30c1d0000000000000000000000003",
            "de30c1d0000000000000000000000004",
        ]
    );
    let first = &desired.bindings["de30c1d0000000000000000000000001"];
    assert_eq!(first.0, gtcamp::getui::phone_hash("13800138000"));
    let shown = format!("{desired:?}");
    assert!(!shown.contains("13800138000") && !shown.contains("13800138001"));
}

#[test]
fn compiling_twice_gives_the_same_fingerprints() {
    let first = compile_examples();
    let second = compile_examples();
    assert_eq!(first.input_fingerprint, second.input_fingerprint);
    let prints = |d: &Desired| {
        d.occurrences
            .values()
            .map(|o| o.fingerprint.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(prints(&first), prints(&second));
    let distinct: std::collections::BTreeSet<_> = prints(&first).into_iter().collect();
    assert_eq!(distinct.len(), first.occurrences.len());
}
