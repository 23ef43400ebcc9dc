//! Unit tests for compile: each rule through [`compile`] on a small workspace written to a
//! temporary folder, as a user would write it.

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};

use super::*;
use crate::getui::api::{Combine, Condition, Dimension, ListTargets, Network};
use crate::getui::template::{
    ApnsAlert, ApnsBadge, BigStyle, LaunchMode, NotifyStyle, TemplateKind as Kind,
};
use crate::load::{Limits, LoadedWorkspace, load_workspace};

const SETTINGS: &str = "kind: Workspace\nname: test\napp_id: app-1\n";

fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, LoadedWorkspace) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let workspace = load_workspace(dir.path(), &Limits::default());
    assert!(
        workspace.diagnostics.is_empty(),
        "{:?}",
        workspace.diagnostics
    );
    (dir, workspace)
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn context(now: &str) -> CompileContext {
    CompileContext {
        now: instant(now),
        max_push_ahead: crate::getui::MAX_PUSH_AHEAD,
        list_push_grace: super::LIST_PUSH_GRACE,
        protocol: crate::model::Protocol::V2,
    }
}

/// Compiles a workspace of the standard settings plus `yaml` as of `now`.
fn compile_at(yaml: &str, now: &str) -> Desired {
    let (_dir, workspace) = load(&[("gtcamp.yaml", SETTINGS), ("c.yaml", yaml)]);
    compile(&workspace, &context(now)).unwrap()
}

/// A campaign named `c` sending a plain notification to android users on `schedule`.
fn campaign(schedule: &str) -> String {
    format!(
        "kind: Campaign\nname: c\ntemplate:\n  type: notification\n  title: T\n  text: X\n\
         audience:\n  phone_types:\n    any: [android]\nschedule:\n{schedule}"
    )
}

fn fires(desired: &Desired) -> Vec<(String, Timing)> {
    desired
        .occurrences
        .values()
        .map(|o| (o.fire_at.to_rfc3339(), o.timing))
        .collect()
}

fn only(desired: &Desired) -> &Occurrence {
    assert_eq!(desired.occurrences.len(), 1, "{:?}", fires(desired));
    desired.occurrences.values().next().unwrap()
}

fn app_push(occurrence: &Occurrence) -> &AppPush {
    match &occurrence.request {
        RemoteRequest::Scheduled(push) => push,
        RemoteRequest::List(_) => panic!("expected a scheduled push"),
    }
}

// --- schedules -------------------------------------------------------------------------

#[test]
fn cron_skips_a_local_time_that_does_not_exist_in_berlin() {
    // Clocks in Berlin jump from 02:00 to 03:00 on 2026-03-29.
    let yaml = campaign(
        "  cron: \"30 2 * * *\"\n  timezone: Europe/Berlin\n  from: 2026-03-28\n  until: 2026-03-30\n",
    );
    let desired = compile_at(&yaml, "2026-03-27T00:00:00Z");
    let keys: Vec<_> = desired.occurrences.keys().map(|k| k.0.clone()).collect();
    assert_eq!(
        keys,
        ["c@2026-03-28T02:30+01:00", "c@2026-03-30T02:30+02:00"]
    );
    assert_eq!(
        desired.notes,
        [CompileNote::DstGapSkipped {
            campaign: "c".into(),
            local_time: "2026-03-29 02:30".into(),
            timezone: "Europe/Berlin".into(),
        }]
    );
}

#[test]
fn cron_fires_once_at_the_first_of_an_ambiguous_time_in_new_york() {
    // New York falls back from 02:00 EDT to 01:00 EST on 2026-11-01: 01:30 happens twice.
    let yaml = campaign(
        "  cron: \"30 1 * * *\"\n  timezone: America/New_York\n  from: 2026-11-01\n  until: 2026-11-01\n",
    );
    let desired = compile_at(&yaml, "2026-10-30T00:00:00Z");
    let occurrence = only(&desired);
    assert_eq!(occurrence.key.0, "c@2026-11-01T01:30-04:00");
    assert_eq!(
        occurrence.fire_at.with_timezone(&Utc),
        instant("2026-11-01T05:30:00Z")
    );
    assert_eq!(occurrence.push_time.wire(), "202611011330");
    assert_eq!(
        desired.notes,
        [CompileNote::DstAmbiguousOnce {
            campaign: "c".into(),
            local_time: "2026-11-01 01:30".into(),
            timezone: "America/New_York".into(),
        }]
    );
}

#[test]
fn hourly_cron_fires_the_repeated_hour_once_in_berlin() {
    // Berlin falls back from 03:00 CEST to 02:00 CET on 2026-10-25.
    let yaml = campaign(
        "  cron: \"0 * * * *\"\n  timezone: Europe/Berlin\n  from: 2026-10-25T01:00:00+02:00\n  until: 2026-10-25T04:00:00+01:00\n",
    );
    let desired = compile_at(&yaml, "2026-10-24T00:00:00Z");
    let keys: Vec<_> = desired.occurrences.keys().map(|k| k.0.clone()).collect();
    assert_eq!(
        keys,
        [
            "c@2026-10-25T01:00+02:00",
            "c@2026-10-25T02:00+02:00",
            "c@2026-10-25T03:00+01:00",
            "c@2026-10-25T04:00+01:00",
        ]
    );
    assert_eq!(desired.notes.len(), 1, "{:?}", desired.notes);
}

#[test]
fn cron_day_of_week_1_is_monday() {
    let yaml = campaign("  cron: \"0 10 * * 1\"\n  timezone: Asia/Shanghai\n");
    let desired = compile_at(&yaml, "2026-12-01T00:00:00Z");
    assert_eq!(desired.occurrences.len(), 2, "{:?}", fires(&desired));
    for occurrence in desired.occurrences.values() {
        assert_eq!(occurrence.fire_at.weekday(), Weekday::Mon);
        assert_eq!(occurrence.push_time.wire().get(8..), Some("1000"));
    }
}

#[test]
fn cron_window_runs_from_local_midnight_of_from_through_the_end_of_until() {
    let yaml = campaign(
        "  cron: \"0 0,23 * * *\"\n  timezone: Asia/Tokyo\n  from: 2026-12-03\n  until: 2026-12-04\n",
    );
    let desired = compile_at(&yaml, "2026-12-01T00:00:00Z");
    let keys: Vec<_> = desired.occurrences.keys().map(|k| k.0.clone()).collect();
    assert_eq!(
        keys,
        [
            "c@2026-12-03T00:00+09:00",
            "c@2026-12-03T23:00+09:00",
            "c@2026-12-04T00:00+09:00",
            "c@2026-12-04T23:00+09:00",
        ]
    );
}

#[test]
fn cron_occurrences_are_whole_minutes_when_now_is_not() {
    // A real clock reads seconds and nanoseconds; occurrences must still be whole minutes,
    // or Getui's push time (yyyyMMddHHmm) cannot carry them.
    let yaml = campaign("  cron: \"0 20 * * 5\"\n  timezone: Asia/Shanghai\n");
    let desired = compile_at(&yaml, "2026-11-22T12:44:10.364812845Z");
    let keys: Vec<_> = desired.occurrences.keys().map(|k| k.0.clone()).collect();
    assert_eq!(keys.first().unwrap(), "c@2026-11-27T20:00+08:00");
    for occurrence in desired.occurrences.values() {
        assert_eq!(occurrence.fire_at.second(), 0);
        assert_eq!(occurrence.fire_at.nanosecond(), 0);
    }
}

#[test]
fn cron_does_not_fire_at_the_minute_now_falls_in_once_it_has_begun() {
    let yaml = campaign("  cron: \"* * * * *\"\n");
    let desired = compile_at(&yaml, "2026-12-01T02:00:30Z");
    let first = desired.occurrences.values().next().unwrap();
    assert_eq!(first.key.0, "c@2026-12-01T10:01+08:00");
}

#[test]
fn cron_window_ends_at_now_plus_horizon() {
    // Default horizon 14 days: daily at 10:00 Beijing from 12-01 00:00 → 12-01 … 12-14.
    let yaml = campaign("  cron: \"0 10 * * *\"\n");
    let desired = compile_at(&yaml, "2026-11-30T16:00:00Z");
    let keys: Vec<_> = desired.occurrences.keys().map(|k| k.0.clone()).collect();
    assert_eq!(keys.len(), 14);
    assert_eq!(keys.first().unwrap(), "c@2026-12-01T10:00+08:00");
    assert_eq!(keys.last().unwrap(), "c@2026-12-14T10:00+08:00");
}

#[test]
fn cron_marks_each_occurrence_with_its_timing() {
    // Lead time 10m, push ahead 7d, horizon 14d; now is 12-01 09:55 Beijing: 12-01 is
    // inside the lead time, 12-02 to 12-07 within 7 days, 12-08 (5 minutes past the 7
    // days) to 12-14 deferred.
    let yaml = campaign("  cron: \"0 10 * * *\"\n");
    let desired = compile_at(&yaml, "2026-12-01T01:55:00Z");
    let timings: Vec<Timing> = desired.occurrences.values().map(|o| o.timing).collect();
    let mut expected = vec![Timing::InsideLeadTime];
    expected.extend([Timing::Schedulable; 6]);
    expected.extend([Timing::Deferred; 7]);
    assert_eq!(timings, expected);
}

#[test]
fn every_minute_rule_is_capped_with_a_note() {
    let yaml = campaign("  cron: \"* * * * *\"\n");
    let desired = compile_at(&yaml, "2026-12-01T00:00:00Z");
    assert_eq!(desired.occurrences.len(), MAX_OCCURRENCES);
    assert!(
        matches!(
            desired.notes.as_slice(),
            [CompileNote::OccurrencesCapped { limit: 10_000, .. }]
        ),
        "{:?}",
        desired.notes
    );
}

#[test]
fn one_off_at_is_past_inside_lead_time_schedulable_or_deferred() {
    let yaml = campaign("  at: 2026-12-10T10:00:00+08:00\n");
    let cases = [
        ("2026-12-10T02:00:01Z", Timing::Past),
        ("2026-12-10T01:55:00Z", Timing::InsideLeadTime),
        ("2026-12-09T02:00:00Z", Timing::Schedulable),
        ("2026-12-03T02:00:00Z", Timing::Schedulable),
        ("2026-12-03T01:59:00Z", Timing::Deferred),
    ];
    for (now, expected) in cases {
        assert_eq!(only(&compile_at(&yaml, now)).timing, expected, "now {now}");
    }
}

#[test]
fn at_with_seconds_fires_on_its_minute() {
    let yaml = campaign("  at: 2026-12-10T10:00:42+08:00\n");
    let occurrence = only(&compile_at(&yaml, "2026-12-09T00:00:00Z")).clone();
    assert_eq!(occurrence.key.0, "c@2026-12-10T10:00+08:00");
    assert_eq!(occurrence.push_time.wire(), "202612101000");
}

fn list_campaign(schedule: &str) -> String {
    format!(
        "kind: Campaign\nname: l\ntemplate:\n  type: notification\n  title: T\n  text: X\n\
         audience:\n  aliases: [alice, bob]\nschedule:\n{schedule}"
    )
}

#[test]
fn list_push_is_not_yet_due_then_due_within_grace_then_missed() {
    let yaml = list_campaign("  at: 2026-12-10T10:00:00+08:00\n");
    let cases = [
        ("2026-12-10T01:59:59Z", Timing::NotYetDue),
        ("2026-12-10T02:00:00Z", Timing::Due),
        ("2026-12-10T03:00:00Z", Timing::Due),
        ("2026-12-10T03:00:01Z", Timing::Missed),
    ];
    for (now, expected) in cases {
        let desired = compile_at(&yaml, now);
        assert_eq!(only(&desired).timing, expected, "now {now}");
        assert_eq!(desired.campaigns["l"].delivery, DeliveryKind::ListPush);
    }
}

#[test]
fn cron_list_push_keeps_a_due_occurrence_from_within_the_grace_window() {
    let yaml = list_campaign("  cron: \"0 10 * * *\"\n  until: 2026-12-11\n");
    let desired = compile_at(&yaml, "2026-12-10T02:30:00Z");
    assert_eq!(
        fires(&desired),
        [
            ("2026-12-10T10:00:00+08:00".to_owned(), Timing::Due),
            ("2026-12-11T10:00:00+08:00".to_owned(), Timing::NotYetDue),
        ]
    );
    let occurrence = desired.occurrences.values().next().unwrap();
    match &occurrence.request {
        RemoteRequest::List(push) => assert_eq!(
            push.targets,
            ListTargets::Aliases(vec!["alice".into(), "bob".into()])
        ),
        RemoteRequest::Scheduled(_) => panic!("aliases must be a list push"),
    }
}

#[test]
fn disabled_campaign_is_listed_without_occurrences() {
    let yaml = campaign("  at: 2026-12-10T10:00:00+08:00\n").replace(
        "kind: Campaign\nname: c\n",
        "kind: Campaign\nname: c\nenabled: false\n",
    );
    let desired = compile_at(&yaml, "2026-12-09T00:00:00Z");
    assert!(desired.occurrences.is_empty());
    assert!(!desired.campaigns["c"].enabled);
}

// --- keys, groups, fingerprints --------------------------------------------------------

#[test]
fn key_is_campaign_at_local_minute_with_offset_and_group_is_gc_and_16_hex_of_key_and_fingerprint() {
    let yaml = campaign("  at: 2026-12-01T02:00:00Z\n");
    let occurrence = only(&compile_at(&yaml, "2026-11-30T00:00:00Z")).clone();
    assert_eq!(occurrence.key.0, "c@2026-12-01T10:00+08:00");
    let group = occurrence.group.as_str().to_owned();
    assert_eq!(group.len(), 19);
    assert!(group.starts_with("gc-"), "{group}");
    let named = format!(
        "c@2026-12-01T10:00+08:00\nfingerprint={}",
        occurrence.fingerprint.0
    );
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(named.as_bytes()));
    assert_eq!(group.get(3..), digest.get(..16));
    assert_eq!(
        app_push(&occurrence).group.as_ref(),
        Some(&occurrence.group)
    );
}

#[test]
fn task_group_prefixes_the_group_name_and_changes_the_fingerprint() {
    let plain = campaign("  at: 2026-12-01T02:00:00Z\n");
    let grouped = format!("{plain}delivery:\n  task_group: spring-sale\n");
    let before = only(&compile_at(&plain, "2026-11-30T00:00:00Z")).clone();
    let after = only(&compile_at(&grouped, "2026-11-30T00:00:00Z")).clone();
    assert!(before.group.as_str().starts_with("gc-"));
    assert!(after.group.as_str().starts_with("spring-sale-"));
    assert_eq!(app_push(&after).group.as_ref(), Some(&after.group));
    assert_ne!(before.fingerprint, after.fingerprint);
}

#[test]
fn each_version_of_an_occurrence_has_its_own_group() {
    // A create whose answer was lost is found by its group: an older version of the same
    // occurrence, still on Getui, must never be found in its place.
    let v1 = campaign("  at: 2026-12-01T02:00:00Z\n");
    let v2 = v1.replace("text: X", "text: Y");
    assert_ne!(v1, v2);
    let old = only(&compile_at(&v1, "2026-11-30T00:00:00Z")).clone();
    let new = only(&compile_at(&v2, "2026-11-30T00:00:00Z")).clone();
    assert_eq!(old.key, new.key);
    assert_ne!(old.group, new.group);
    let again = only(&compile_at(&v1, "2026-11-20T00:00:00Z")).clone();
    assert_eq!(old.group, again.group, "the same version, the same group");
}

#[test]
fn fingerprint_is_the_same_across_runs_and_machines() {
    let yaml = campaign("  at: 2026-12-10T10:00:00+08:00\n");
    let first = only(&compile_at(&yaml, "2026-12-09T00:00:00Z"))
        .fingerprint
        .clone();
    let second = only(&compile_at(&yaml, "2026-12-05T00:00:00Z"))
        .fingerprint
        .clone();
    assert_eq!(first, second);
    // A fixed value: a change here changes every fingerprint in every state file.
    assert_eq!(
        first.0,
        "f096ad21db9bf745f2ffa7ed28b395b73d363db293a4fbaeef10fa5ecb2edb69"
    );
}

/// The fingerprint of campaign `c` at 2026-12-10 10:00 Beijing with `template` and
/// `audience` (YAML mappings indented by two spaces) and `delivery`.
fn fingerprint_of(template: &str, audience: &str, extra: &str) -> Fingerprint {
    let yaml = format!(
        "kind: Campaign\nname: c\ntemplate:\n{template}audience:\n{audience}\
         schedule:\n  at: 2026-12-10T10:00:00+08:00\n{extra}"
    );
    only(&compile_at(&yaml, "2026-12-09T00:00:00Z"))
        .fingerprint
        .clone()
}

#[test]
fn fingerprint_changes_with_anything_sent() {
    let template = "  type: notification\n  title: T\n  text: X\n";
    let audience = "  phone_types:\n    any: [android]\n";
    let base = fingerprint_of(template, audience, "");
    let variants = [
        fingerprint_of(&template.replace("T\n", "T2\n"), audience, ""),
        fingerprint_of(&format!("{template}  ring: false\n"), audience, ""),
        fingerprint_of(
            &format!("{template}  transmission:\n    content: x\n"),
            audience,
            "",
        ),
        fingerprint_of(template, "  phone_types:\n    any: [ios]\n", ""),
        fingerprint_of(template, "  phone_types:\n    none: [android]\n", ""),
        fingerprint_of(template, audience, "delivery:\n  offline_keep: 24h\n"),
        fingerprint_of(template, audience, "delivery:\n  network: wifi\n"),
        fingerprint_of(template, audience, "delivery:\n  speed: 100\n"),
    ];
    for (index, variant) in variants.iter().enumerate() {
        assert_ne!(&base, variant, "variant {index} kept the fingerprint");
    }
    let later = fingerprint_of(template, audience, "").0;
    assert_eq!(base.0, later);
}

/// The one occurrence of a campaign of `template` (YAML lines under `template:`) to Android
/// phones, compiled for `protocol` with `settings` appended to the standard gtcamp.yaml.
fn occurrence_with_settings(
    settings: &str,
    template: &str,
    protocol: crate::model::Protocol,
) -> Occurrence {
    let yaml = format!(
        "kind: Campaign\nname: c\ntemplate:\n{template}audience:\n  phone_types:\n    any: [android]\n\
         schedule:\n  at: 2026-12-10T10:00:00+08:00\n"
    );
    let (_dir, workspace) = load(&[
        ("gtcamp.yaml", &format!("{SETTINGS}{settings}")),
        ("c.yaml", &yaml),
    ]);
    let context = CompileContext {
        protocol,
        ..context("2026-12-09T00:00:00Z")
    };
    only(&compile(&workspace, &context).unwrap()).clone()
}

/// [`fingerprint_of`] with `settings` appended to the standard gtcamp.yaml.
fn fingerprint_with_settings(settings: &str, template: &str) -> Fingerprint {
    occurrence_with_settings(settings, template, crate::model::Protocol::V2).fingerprint
}

#[test]
fn fingerprint_changes_with_class_vendor_keys_strategy_and_vendor_notifications() {
    let template = "  type: notification\n  title: T\n  text: X\n";
    let base = fingerprint_with_settings("", template);
    let variants = [
        fingerprint_with_settings("", &format!("{template}  class: service\n")),
        fingerprint_with_settings("defaults:\n  class: service\n", template),
        fingerprint_with_settings(
            "vendors:\n  xm:\n    marketing: {channel_id: \"1\"}\n",
            template,
        ),
        fingerprint_with_settings("vendors:\n  hw: {strategy: vendor_first}\n", template),
        fingerprint_with_settings("vendors:\n  default_strategy: getui_only\n", template),
        fingerprint_with_settings("", &format!("{template}  android:\n    title: Other\n")),
        fingerprint_with_settings("", &format!("{template}  harmony:\n    title: T\n")),
    ];
    for (index, variant) in variants.iter().enumerate() {
        assert_ne!(&base, variant, "variant {index} kept the fingerprint");
    }
}

#[test]
fn fingerprint_stays_when_the_class_written_is_the_one_assumed() {
    // A workspace written before classes existed must not replace its pushes when it
    // says `marketing`, which is what was assumed; nor when `vendors:` sets only what
    // another class reads.
    let template = "  type: notification\n  title: T\n  text: X\n";
    let base = fingerprint_with_settings("", template);
    assert_eq!(
        base,
        fingerprint_with_settings("", &format!("{template}  class: marketing\n"))
    );
    assert_eq!(
        base,
        fingerprint_with_settings("defaults:\n  class: marketing\n", template)
    );
    assert_eq!(
        base,
        fingerprint_with_settings(
            "vendors:\n  xm:\n    service: {channel_id: \"1\"}\n",
            template
        )
    );
}

#[test]
fn the_template_tap_and_class_reach_the_vendor_channels() {
    let (_dir, workspace) = load(&[
        (
            "gtcamp.yaml",
            &format!("{SETTINGS}vendors:\n  vv:\n    service: {{category: ORDER}}\n"),
        ),
        (
            "c.yaml",
            "kind: Campaign\nname: c\ntemplate:\n  type: link\n  class: service\n  title: T\n  text: X\n  url: https://e.com/o\n\
             audience:\n  phone_types:\n    any: [android]\nschedule:\n  at: 2026-12-10T10:00:00+08:00\n",
        ),
    ]);
    let desired = compile(&workspace, &context("2026-12-09T00:00:00Z")).unwrap();
    let vendor = app_push(only(&desired)).template.vendor.clone().unwrap();
    assert_eq!(vendor.class, crate::getui::vendor::MessageClass::Service);
    assert_eq!(vendor.vv_category.as_deref(), Some("ORDER"));
    let notice = vendor.notice.unwrap();
    assert_eq!(
        (notice.title.as_str(), notice.text.as_str(), notice.click),
        (
            "T",
            "X",
            crate::getui::vendor::VendorClick::Url("https://e.com/o".into())
        )
    );
}

#[test]
fn the_plan_summary_names_every_push_class_and_its_channels() {
    let compile_with = |settings: &str, template: &str| {
        occurrence_with_settings(settings, template, crate::model::Protocol::V2)
            .content
            .channels
    };
    let template = "  type: notification\n  title: T\n  text: X\n";
    assert_eq!(compile_with("", template).as_deref(), Some("marketing"));
    let android = "  android: {title: Sale, click: {url: \"https://a.example/s\"}}\n";
    assert_eq!(
        compile_with("", &format!("{template}{android}")).as_deref(),
        Some("marketing · makers show \"Sale\" / \"X\", opens https://a.example/s")
    );
    assert_eq!(
        compile_with(
            "vendors:\n  hw:\n    strategy: vendor_first\n    service: {category: EXPRESS}\n",
            &format!("{template}  class: service\n"),
        )
        .as_deref(),
        Some("service · Huawei category EXPRESS · strategy hw vendor first")
    );
}

#[test]
fn on_legacy_only_a_transmission_carries_the_makers_notification_and_vendor_keys() {
    let compile_legacy = |template: &str| {
        let settings = "vendors:\n  xm:\n    marketing: {channel_id: \"105501\"}\n";
        let occurrence =
            occurrence_with_settings(settings, template, crate::model::Protocol::Legacy);
        let crate::compile::RemoteRequest::Scheduled(push) = occurrence.request else {
            panic!("an app push is scheduled");
        };
        (occurrence.content.channels, push.template.vendor)
    };
    let (words, vendor) = compile_legacy("  type: notification\n  title: T\n  text: X\n");
    assert_eq!(
        words.as_deref(),
        Some(
            "marketing · Getui's channel only: the legacy protocol gives the makers no notification"
        )
    );
    let vendor = vendor.unwrap();
    assert_eq!((vendor.notice, vendor.xm_channel_id), (None, None));
    let (words, vendor) = compile_legacy(
        "  type: transmission\n  transmission: {content: x}\n  android: {title: T, text: X}\n",
    );
    assert_eq!(
        words.as_deref(),
        Some("marketing · Xiaomi channel 105501 · makers show \"T\" / \"X\", hands the app x")
    );
    assert_eq!(vendor.unwrap().xm_channel_id.as_deref(), Some("105501"));
}

#[test]
fn fingerprint_changes_with_the_push_time() {
    let a = only(&compile_at(
        &campaign("  at: 2026-12-10T10:00:00+08:00\n"),
        "2026-12-09T00:00:00Z",
    ))
    .fingerprint
    .clone();
    let b = only(&compile_at(
        &campaign("  at: 2026-12-10T10:01:00+08:00\n"),
        "2026-12-09T00:00:00Z",
    ))
    .fingerprint
    .clone();
    assert_ne!(a, b);
}

#[test]
fn fingerprint_ignores_what_is_not_sent() {
    let template = "  type: notification\n  title: T\n  text: X\n";
    let base = fingerprint_of(template, "  regions:\n    any: [浙江]\n", "");
    let same = [
        fingerprint_of(template, "  regions:\n    any: [浙江省]\n", ""),
        fingerprint_of(
            &format!("{template}  description: for reviewers\n"),
            "  regions:\n    any: [浙江]\n",
            "owner: someone\ndescription: why\n",
        ),
    ];
    for (index, other) in same.iter().enumerate() {
        assert_eq!(&base, other, "variant {index} changed the fingerprint");
    }
}

#[test]
fn input_fingerprint_follows_the_files_and_push_ahead_but_not_now() {
    let yaml = campaign("  at: 2026-12-10T10:00:00+08:00\n");
    let (_dir, workspace) = load(&[("gtcamp.yaml", SETTINGS), ("c.yaml", &yaml)]);
    let at = |now: &str, days: i64| {
        let mut ctx = context(now);
        ctx.max_push_ahead = chrono::Duration::days(days);
        compile(&workspace, &ctx).unwrap().input_fingerprint
    };
    let base = at("2026-12-09T00:00:00Z", 7);
    assert_eq!(base, at("2026-12-01T00:00:00Z", 7));
    assert_ne!(base, at("2026-12-09T00:00:00Z", 6));
    let edited = compile_at(
        &yaml.replace("title: T", "title: U"),
        "2026-12-09T00:00:00Z",
    );
    assert_ne!(base, edited.input_fingerprint);
}

// --- mapping: templates ----------------------------------------------------------------

fn template_of(template: &str) -> crate::getui::template::PushTemplate {
    let yaml = format!(
        "kind: Template\nname: t\n{template}---\nkind: Campaign\nname: c\ntemplate: t\n\
         audience:\n  all_users: true\nschedule:\n  at: 2026-12-10T10:00:00+08:00\n"
    );
    app_push(only(&compile_at(&yaml, "2026-12-09T00:00:00Z")))
        .template
        .clone()
}

#[test]
fn notification_maps_title_text_logo_and_switches() {
    let push = template_of(
        "type: notification\ntitle: T\ntext: X\nlogo: push.png\nlogo_url: https://x/i.png\nring: false\nvibrate: false\nclearable: false\n",
    );
    let Kind::Notification(notice) = push.kind else {
        panic!("{:?}", push.kind)
    };
    assert_eq!((notice.title.as_str(), notice.text.as_str()), ("T", "X"));
    assert_eq!(
        (notice.logo.as_str(), notice.logo_url.as_str()),
        ("push.png", "https://x/i.png")
    );
    assert!(!notice.ring && !notice.vibrate && !notice.clearable);
    assert_eq!(notice.style, NotifyStyle::Basic);
    assert!(push.apns.is_none() && push.sms.is_none() && push.display_window.is_none());
}

#[test]
fn link_maps_its_url() {
    let push = template_of("type: link\ntitle: T\ntext: X\nurl: https://shop.example.com/sale\n");
    assert!(
        matches!(&push.kind, Kind::Link { url, notice } if url == "https://shop.example.com/sale" && notice.title == "T"),
        "{:?}",
        push.kind
    );
}

#[test]
fn popload_maps_every_pop_up_and_download_field() {
    let push = template_of(
        "type: popload\ntitle: T\ntext: X\npopload:\n  popup_title: PT\n  popup_text: PX\n  popup_image: https://x/p.png\n  download_button: 下载\n  cancel_button: 取消\n  download_title: DT\n  download_url: https://x/app.apk\n  download_icon: d.png\n  auto_install: true\n  start_after_install: true\n  startup:\n    android: com.x\n    ios: x.ios\n",
    );
    let Kind::Popload(pop) = push.kind else {
        panic!("{:?}", push.kind)
    };
    assert_eq!(pop.notice.title, "T");
    assert_eq!(
        (
            pop.pop_title.as_str(),
            pop.pop_content.as_str(),
            pop.pop_image.as_str()
        ),
        ("PT", "PX", "https://x/p.png")
    );
    assert_eq!(
        (
            pop.pop_button_download.as_str(),
            pop.pop_button_cancel.as_str()
        ),
        ("下载", "取消")
    );
    assert_eq!(
        (
            pop.load_title.as_str(),
            pop.load_url.as_str(),
            pop.load_icon.as_str()
        ),
        ("DT", "https://x/app.apk", "d.png")
    );
    assert!(pop.auto_install && pop.activate_after_install);
    assert_eq!(
        (
            pop.android_mark.as_str(),
            pop.ios_mark.as_str(),
            pop.symbian_mark.as_str()
        ),
        ("com.x", "x.ios", "")
    );
}

#[test]
fn transmission_maps_content_and_launch_mode() {
    let immediate = template_of(
        "type: transmission\ntransmission:\n  content: '{\"a\":1}'\n  launch: immediate\n",
    );
    assert_eq!(immediate.kind, Kind::Transmission);
    assert_eq!(immediate.transmission_content, "{\"a\":1}");
    assert_eq!(immediate.launch, LaunchMode::Immediately);
    let broadcast = template_of("type: transmission\ntransmission:\n  content: x\n");
    assert_eq!(broadcast.launch, LaunchMode::AppDecides);
}

#[test]
fn ios_alert_defaults_to_the_template_title_and_text() {
    let push = template_of(
        "type: notification\ntitle: T\ntext: X\nios:\n  subtitle: S\n  badge: \"+1\"\n  sound: default\n  category: promo\n  content_available: true\n  custom:\n    deeplink: app://x\n",
    );
    let apns = push.apns.unwrap();
    assert_eq!(
        apns.alert,
        Some(ApnsAlert::Dictionary {
            title: Some("T".into()),
            body: Some("X".into()),
            subtitle: Some("S".into()),
        })
    );
    assert_eq!(apns.badge, Some(ApnsBadge::Auto("+1".into())));
    assert_eq!(apns.sound.as_deref(), Some("default"));
    assert_eq!(apns.category.as_deref(), Some("promo"));
    assert!(apns.content_available);
    assert_eq!(
        apns.custom,
        [("deeplink".to_owned(), serde_json::json!("app://x"))]
    );
    let set = template_of("type: notification\ntitle: T\ntext: X\nios:\n  title: iT\n  badge: 3\n");
    let apns = set.apns.unwrap();
    assert_eq!(apns.badge, Some(ApnsBadge::Set(3)));
    assert!(matches!(apns.alert, Some(ApnsAlert::Dictionary { title: Some(t), .. }) if t == "iT"));
}

#[test]
fn display_window_becomes_milliseconds_and_sms_delay_send_after() {
    let push = template_of(
        "type: notification\ntitle: T\ntext: X\ndisplay_window:\n  start: 2026-12-10T10:00:00+08:00\n  end: 2026-12-10T12:00:00+08:00\nsms:\n  template_id: \"100001\"\n  params:\n    order: A1\n  delay: 2h\n  applink:\n    url: https://x/app\n",
    );
    let window = push.display_window.unwrap();
    assert_eq!(window.begin_ms, 1_796_868_000_000);
    assert_eq!(window.end_ms - window.begin_ms, 7_200_000);
    let sms = push.sms.unwrap();
    assert_eq!(sms.template_id, "100001");
    assert_eq!(sms.send_after_ms, 7_200_000);
    assert_eq!(sms.params, [("order".to_owned(), "A1".to_owned())]);
    assert_eq!(sms.applink.unwrap().url, "https://x/app");
}

#[test]
fn display_window_with_seconds_is_sent_on_its_minutes() {
    let push = template_of(
        "type: notification\ntitle: T\ntext: X\ndisplay_window:\n  start: 2026-12-10T10:00:59+08:00\n  end: 2026-12-10T12:00:01.5+08:00\n",
    );
    let window = push.display_window.unwrap();
    assert_eq!(window.begin_ms, 1_796_868_000_000);
    assert_eq!(window.end_ms, 1_796_868_000_000 + 7_200_000);
}

#[test]
fn styles_map_to_getui_styles() {
    let style = |yaml: &str| match template_of(&format!(
        "type: notification\ntitle: T\ntext: X\nstyle:\n{yaml}"
    ))
    .kind
    {
        Kind::Notification(notice) => notice.style,
        other => panic!("{other:?}"),
    };
    assert_eq!(style("  type: system\n"), NotifyStyle::Style0);
    assert_eq!(style("  type: getui\n"), NotifyStyle::Style1);
    assert_eq!(
        style("  type: banner\n  banner_url: https://x/b.png\n"),
        NotifyStyle::Style4 {
            banner_url: "https://x/b.png".into()
        }
    );
    assert_eq!(
        style("  type: big_text\n  big_text: long\n"),
        NotifyStyle::Style6(BigStyle::Text {
            text: "long".into()
        })
    );
    assert_eq!(
        style("  type: big_image\n  big_image_url: https://x/i.png\n"),
        NotifyStyle::Style6(BigStyle::Image {
            image_url: "https://x/i.png".into()
        })
    );
}

// --- mapping: audiences and delivery ---------------------------------------------------

fn compiled_audience(audience: &str) -> (Vec<Condition>, String) {
    let yaml = format!(
        "kind: Campaign\nname: c\ntemplate:\n  type: notification\n  title: T\n  text: X\n\
         audience:\n{audience}schedule:\n  at: 2026-12-10T10:00:00+08:00\n"
    );
    let desired = compile_at(&yaml, "2026-12-09T00:00:00Z");
    let push = app_push(only(&desired));
    (
        push.conditions.clone(),
        desired.campaigns["c"].audience_summary.clone(),
    )
}

fn condition(dimension: Dimension, values: &[&str], combine: Combine) -> Condition {
    Condition {
        dimension,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        combine,
    }
}

#[test]
fn filters_become_one_condition_per_combinator_in_getui_spelling() {
    let (conditions, summary) = compiled_audience(
        "  phone_types:\n    any: [android, ios]\n  regions:\n    any: [浙江省, 上海市, 浙江]\n    none: [广西壮族自治区]\n  tags:\n    all: [vip, new]\n    none: [churned]\n",
    );
    assert_eq!(
        conditions,
        [
            condition(Dimension::PhoneType, &["ANDROID", "IOS"], Combine::Any),
            condition(Dimension::Region, &["浙江", "上海"], Combine::Any),
            condition(Dimension::Region, &["广西"], Combine::None),
            condition(Dimension::Tag, &["vip", "new"], Combine::All),
            condition(Dimension::Tag, &["churned"], Combine::None),
        ]
    );
    assert_eq!(
        summary,
        "android or ios, in 浙江 or 上海, not in 广西, tagged vip and new, not tagged churned"
    );
}

#[test]
fn all_users_sends_no_conditions() {
    let (conditions, summary) = compiled_audience("  all_users: true\n");
    assert!(conditions.is_empty());
    assert_eq!(summary, "all users");
}

#[test]
fn cids_become_a_list_push_named_in_the_summary() {
    let yaml = list_campaign("  at: 2026-12-10T10:00:00+08:00\n")
        .replace("aliases: [alice, bob]", "cids: [c1, c2, c3, c4, c5]");
    let desired = compile_at(&yaml, "2026-12-09T00:00:00Z");
    let RemoteRequest::List(push) = &only(&desired).request else {
        panic!("cids must be a list push")
    };
    assert_eq!(
        push.targets,
        ListTargets::Cids(vec![
            "c1".into(),
            "c2".into(),
            "c3".into(),
            "c4".into(),
            "c5".into()
        ])
    );
    assert_eq!(
        desired.campaigns["l"].audience_summary,
        "5 cids: c1, c2, c3 and 2 more"
    );
}

#[test]
fn delivery_takes_the_campaign_values_else_the_workspace_defaults() {
    let yaml = campaign("  at: 2026-12-10T10:00:00+08:00\n");
    let default = app_push(only(&compile_at(&yaml, "2026-12-09T00:00:00Z")))
        .delivery
        .clone();
    assert_eq!(
        default.offline_keep,
        Some(std::time::Duration::from_secs(12 * 3600))
    );
    assert_eq!(default.network, Network::Any);
    let set = compile_at(
        &format!("{yaml}delivery:\n  offline_keep: 24h\n  network: cellular\n  speed: 500\n"),
        "2026-12-09T00:00:00Z",
    );
    let occurrence = only(&set);
    let delivery = &app_push(occurrence).delivery;
    assert_eq!(
        delivery.offline_keep,
        Some(std::time::Duration::from_secs(24 * 3600))
    );
    assert_eq!(delivery.network, Network::MobileOnly);
    assert_eq!(delivery.speed, Some(500));
    assert_eq!(
        occurrence.content.delivery,
        "kept 24h for offline phones, mobile data only, at most 500 a second"
    );
}

#[test]
fn content_summary_says_what_the_user_sees() {
    let yaml = "kind: Campaign\nname: c\ntemplate:\n  type: link\n  title: T\n  text: X\n  url: https://x/sale\n  ios:\n    badge: 1\n  sms:\n    template_id: \"9\"\n    delay: 1h\n\
                audience:\n  tags:\n    any: [vip]\nschedule:\n  at: 2026-12-10T10:00:00+08:00\n";
    let content = only(&compile_at(yaml, "2026-12-09T00:00:00Z"))
        .content
        .clone();
    assert_eq!(content.template_type, "link");
    assert_eq!(content.title.as_deref(), Some("T"));
    assert_eq!(content.url.as_deref(), Some("https://x/sale"));
    assert_eq!(
        content.ios.as_deref(),
        Some("title \"T\", body \"X\", badge set to 1")
    );
    assert_eq!(content.sms.as_deref(), Some("template 9 after 1h"));
    assert_eq!(content.audience, "tagged vip");
}

// --- bindings ---------------------------------------------------------------------------

const BINDINGS: &str = "kind: PhoneBindings\nname: b\nsource: phones.csv\npairs:\n  - cid: inline\n    pn_md5: ffd07e1a0527aaeadd164d4a149a6506\n";

#[test]
fn csv_numbers_are_hashed_after_dropping_the_country_code() {
    let csv = "cid,phone\nc1,13800138000\nc2,+8613800138000\nc3,8613800138001\n";
    let (_dir, workspace) = load(&[
        ("gtcamp.yaml", SETTINGS),
        ("b.yaml", BINDINGS),
        ("phones.csv", csv),
    ]);
    let desired = compile(&workspace, &context("2026-12-09T00:00:00Z")).unwrap();
    let hash = |cid: &str| desired.bindings[cid].0.clone();
    assert_eq!(hash("c1"), crate::getui::phone_hash("13800138000"));
    assert_eq!(hash("c2"), hash("c1"));
    assert_eq!(hash("c3"), crate::getui::phone_hash("13800138001"));
    assert_eq!(hash("inline"), "ffd07e1a0527aaeadd164d4a149a6506");
    let shown = format!("{desired:?}");
    assert!(!shown.contains("13800138000"), "a clear number leaked");
}

#[test]
fn a_cid_bound_to_two_numbers_is_an_error_naming_both_files() {
    let csv = "inline,13800138000\n";
    let (_dir, workspace) = load(&[
        ("gtcamp.yaml", SETTINGS),
        ("b.yaml", BINDINGS),
        ("phones.csv", csv),
    ]);
    let error = compile(&workspace, &context("2026-12-09T00:00:00Z")).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("`inline`")
            && message.contains("b.yaml")
            && message.contains("phones.csv"),
        "{message}"
    );
    assert!(!message.contains("13800138000"), "{message}");
}

#[test]
fn the_same_pair_twice_is_not_a_conflict() {
    let csv = "inline,13900139000\n";
    let (_dir, workspace) = load(&[
        ("gtcamp.yaml", SETTINGS),
        ("b.yaml", BINDINGS),
        ("phones.csv", csv),
    ]);
    let desired = compile(&workspace, &context("2026-12-09T00:00:00Z")).unwrap();
    assert_eq!(desired.bindings.len(), 1);
}

// --- refusals ---------------------------------------------------------------------------

#[test]
fn a_workspace_with_load_errors_is_refused_as_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gtcamp.yaml"), SETTINGS).unwrap();
    std::fs::write(dir.path().join("c.yaml"), "kind: Campaign\nname: [\n").unwrap();
    let workspace = load_workspace(dir.path(), &Limits::default());
    let error = compile(&workspace, &context("2026-12-09T00:00:00Z")).unwrap_err();
    assert!(matches!(error, CompileError::NotChecked), "{error}");
}

#[test]
fn an_undefined_template_names_the_campaign() {
    let yaml = "kind: Campaign\nname: c\ntemplate: nope\naudience:\n  all_users: true\nschedule:\n  at: 2026-12-10T10:00:00+08:00\n";
    let (_dir, workspace) = load(&[("gtcamp.yaml", SETTINGS), ("c.yaml", yaml)]);
    let error = compile(&workspace, &context("2026-12-09T00:00:00Z")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "campaign `c`: it uses the template `nope`, which is not defined"
    );
}

#[test]
fn an_audience_that_selects_nobody_is_refused_not_sent_to_everyone() {
    let yaml = campaign("  at: 2026-12-10T10:00:00+08:00\n").replace(
        "  phone_types:\n    any: [android]\n",
        "  description: nobody\n",
    );
    let (_dir, workspace) = load(&[("gtcamp.yaml", SETTINGS), ("c.yaml", &yaml)]);
    let error = compile(&workspace, &context("2026-12-09T00:00:00Z")).unwrap_err();
    assert!(error.to_string().contains("selects nobody"), "{error}");
}

#[test]
fn key_keeps_an_offset_of_quarter_hours() {
    let yaml = campaign("  cron: \"0 9 * * *\"\n  timezone: Asia/Kathmandu\n  until: 2026-12-01\n");
    let desired = compile_at(&yaml, "2026-12-01T00:00:00Z");
    assert_eq!(only(&desired).key.0, "c@2026-12-01T09:00+05:45");
    assert_eq!(only(&desired).push_time.wire(), "202612011115");
}

#[test]
fn input_fingerprint_changes_when_a_csv_number_changes() {
    let of = |csv: &str| {
        let (_dir, workspace) = load(&[
            ("gtcamp.yaml", SETTINGS),
            ("b.yaml", BINDINGS),
            ("phones.csv", csv),
        ]);
        compile(&workspace, &context("2026-12-09T00:00:00Z"))
            .unwrap()
            .input_fingerprint
    };
    let base = of("c1,13800138000\n");
    assert_eq!(base, of("c1,+8613800138000\n"));
    assert_ne!(base, of("c1,13800138001\n"));
}

#[test]
fn an_absurd_horizon_is_a_typed_error_not_a_crash() {
    // Check reports it first (GC067); compile, reached without check, refuses it rather
    // than saturating into an overflow further on (issue 12).
    let settings =
        format!("{SETTINGS}defaults:\n  horizon: 99999999999999d\n  lead_time: 99999999999999d\n");
    let yaml = campaign("  cron: \"0 10 * * *\"\n");
    let (_dir, workspace) = load(&[("gtcamp.yaml", settings.as_str()), ("c.yaml", &yaml)]);
    let error = compile(&workspace, &context("2026-12-01T00:00:00Z")).unwrap_err();
    assert!(matches!(error, CompileError::TooLong(_)), "{error}");
    assert!(error.to_string().contains("99999999999999d"), "{error}");
}

#[test]
fn the_longest_horizon_check_allows_is_capped_at_max_occurrences() {
    let settings = format!("{SETTINGS}defaults:\n  horizon: 366d\n");
    let yaml = campaign("  cron: \"* * * * *\"\n");
    let (_dir, workspace) = load(&[("gtcamp.yaml", settings.as_str()), ("c.yaml", &yaml)]);
    let desired = compile(&workspace, &context("2026-12-01T00:00:00Z")).unwrap();
    assert_eq!(desired.occurrences.len(), MAX_OCCURRENCES);
}

#[test]
fn campaigns_sharing_a_rule_each_get_their_occurrences_and_notes() {
    let one = campaign(
        "  cron: \"30 2 * * *\"\n  timezone: Europe/Berlin\n  from: 2026-03-29\n  until: 2026-03-30\n",
    );
    let two = one.replace("name: c\n", "name: d\n");
    let desired = compile_at(&format!("{one}---\n{two}"), "2026-03-27T00:00:00Z");
    let keys: Vec<_> = desired.occurrences.keys().map(|k| k.0.clone()).collect();
    assert_eq!(
        keys,
        ["c@2026-03-30T02:30+02:00", "d@2026-03-30T02:30+02:00"]
    );
    let named: Vec<_> = desired
        .notes
        .iter()
        .map(|note| match note {
            CompileNote::DstGapSkipped { campaign, .. } => campaign.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(named, ["c", "d"]);
}

#[test]
fn workspace_devices_are_every_bound_and_listed_cid_alias_and_tag_once_in_order() {
    let yaml = "kind: PhoneBindings\nname: p\nsource: p.csv\npairs:\n  - cid: cid-b\n    pn_md5: 0123456789abcdef0123456789abcdef\n\
---\nkind: Audience\nname: listed\ncids: [cid-z, cid-a]\n\
---\nkind: Audience\nname: both\naliases: [bob, amy]\ncids: [cid-never]\n\
---\nkind: Audience\nname: tagged\ntags:\n  any: [' vip ', new]\n  none: [churned]\n\
---\nkind: Audience\nname: unused\ntags:\n  all: [vip]\n\
---\nkind: Template\nname: t\ntype: notification\ntitle: T\ntext: X\n\
---\nkind: Campaign\nname: inline\ntemplate: t\naudience:\n  cids: [cid-inline]\nschedule:\n  at: 2026-12-10T09:00:00+08:00\n";
    let (_dir, workspace) = load(&[
        ("gtcamp.yaml", SETTINGS),
        ("c.yaml", yaml),
        (
            "p.csv",
            "cid,phone\ncid-c,13800000001\ncid-b,13800000002\ncid-a,13800000003\n",
        ),
    ]);
    let devices = WorkspaceDevices::of(&workspace);
    assert_eq!(
        devices.cids,
        ["cid-a", "cid-b", "cid-c", "cid-inline", "cid-z"],
        "aliases win over cids, as in a push: `cid-never` is not reached"
    );
    assert_eq!(devices.aliases, ["amy", "bob"]);
    assert_eq!(devices.tags, ["churned", "new", "vip"]);
}

#[test]
fn a_campaign_is_protected_as_it_says_else_as_the_workspace_default() {
    let at = "  at: 2030-03-01T10:00:00+08:00\n";
    let plain = campaign(at);
    let desired = compile_at(&plain, "2030-01-01T00:00:00Z");
    assert!(!desired.campaigns["c"].protected, "unprotected by default");
    let protected = plain.replace("name: c\n", "name: c\nprotect: true\n");
    assert!(compile_at(&protected, "2030-01-01T00:00:00Z").campaigns["c"].protected);
    let settings = format!("{SETTINGS}defaults:\n  protect: true\n");
    let (_dir, workspace) = load(&[("gtcamp.yaml", &settings), ("c.yaml", &plain)]);
    let by_default = compile(&workspace, &context("2030-01-01T00:00:00Z")).unwrap();
    assert!(by_default.campaigns["c"].protected, "the workspace default");
    let opted_out = plain.replace("name: c\n", "name: c\nprotect: false\n");
    let (_dir, workspace) = load(&[("gtcamp.yaml", &settings), ("c.yaml", &opted_out)]);
    let own = compile(&workspace, &context("2030-01-01T00:00:00Z")).unwrap();
    assert!(
        !own.campaigns["c"].protected,
        "the campaign's own word wins"
    );
}

#[test]
fn moves_are_followed_to_the_name_declared_now_and_removals_kept() {
    let docs = format!(
        "{}---\nkind: Moved\ncampaign: {{from: a, to: b}}\n---\nkind: Moved\ncampaign: {{from: b, to: c}}\n---\nkind: Removed\ncampaign: old\ncancel: false\n",
        campaign("  at: 2030-03-01T10:00:00+08:00\n")
    );
    let desired = compile_at(&docs, "2030-01-01T00:00:00Z");
    let moves: Vec<(&str, &str)> = (desired.lifecycle.moves.iter())
        .map(|m| (m.from.as_str(), m.to.as_str()))
        .collect();
    assert_eq!(moves, [("a", "c"), ("b", "c")]);
    assert_eq!(desired.lifecycle.removed.get("old"), Some(&false));
    assert_eq!(desired.lifecycle.campaign_now("a"), "c");
    let key = crate::compile::OccurrenceKey("a@2030-03-01T10:00+08:00".into());
    assert_eq!(
        desired.lifecycle.key_now(&key, "a").0,
        "c@2030-03-01T10:00+08:00"
    );
}
