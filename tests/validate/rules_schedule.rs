//! Schedules, offline keep times, delivery options and workspace settings.

use crate::{assert_clean, assert_only, campaign_case, settings_case};

#[test]
fn validate_accepts_a_cron_schedule_with_zone_and_bounds() {
    assert_clean(&campaign_case(
        "schedule:\n  cron: \"0 20 * * 5\"\n  timezone: Europe/Berlin\n  from: 2026-12-01\n  until: 2027-03-31\n",
    ));
}

#[test]
fn validate_reports_a_schedule_without_at_or_cron() {
    let found = campaign_case("schedule:\n  timezone: Asia/Tokyo\n");
    assert_only(&found, "GC051", "c.yaml", 9, 1);
}

#[test]
fn validate_reports_a_schedule_with_both_at_and_cron() {
    let found =
        campaign_case("schedule:\n  at: 2026-12-01T10:00:00+08:00\n  cron: \"0 10 * * 1\"\n");
    assert_only(&found, "GC051", "c.yaml", 11, 3);
}

#[test]
fn validate_reports_an_unknown_time_zone() {
    let found = campaign_case("schedule:\n  cron: \"0 10 * * 1\"\n  timezone: Asia/Beijing\n");
    let d = assert_only(&found, "GC052", "c.yaml", 11, 13);
    assert!(d.help.contains("Asia/Shanghai"), "{}", d.help);
}

#[test]
fn validate_reports_a_cron_rule_that_does_not_parse() {
    let found = campaign_case("schedule:\n  cron: \"0 25 * * 1\"\n");
    assert_only(&found, "GC053", "c.yaml", 10, 9);
}

#[test]
fn validate_reports_a_cron_rule_with_six_fields() {
    let found = campaign_case("schedule:\n  cron: \"0 0 10 * * 1\"\n");
    let d = assert_only(&found, "GC053", "c.yaml", 10, 9);
    assert!(d.message.contains("6 fields"), "{}", d.message);
}

#[test]
fn validate_reads_day_of_week_1_as_monday_and_until_as_inclusive() {
    // 2026-12-01 is a Tuesday; the first Monday after it is 2026-12-07.
    let rule = |until: &str| {
        format!("schedule:\n  cron: \"0 10 * * 1\"\n  from: 2026-12-01\n  until: {until}\n")
    };
    assert_only(
        &campaign_case(&rule("2026-12-06")),
        "GC054",
        "c.yaml",
        10,
        9,
    );
    assert_clean(&campaign_case(&rule("2026-12-07")));
}

#[test]
fn validate_reports_a_cron_rule_that_never_fires() {
    let found = campaign_case(
        "schedule:\n  cron: \"0 10 31 2 *\"\n  from: 2026-12-01\n  until: 2028-12-31\n",
    );
    assert_only(&found, "GC054", "c.yaml", 10, 9);
}

#[test]
fn validate_reads_from_and_until_days_in_the_campaigns_zone() {
    // 2026-12-07 00:30 in Tokyo is still 2026-12-06 in UTC: the Tokyo day bounds admit it.
    let rule = "schedule:\n  cron: \"30 0 * * 1\"\n  timezone: Asia/Tokyo\n  from: 2026-12-07\n  until: 2026-12-07\n";
    assert_clean(&campaign_case(rule));
}

#[test]
fn validate_reports_from_after_until() {
    let found = campaign_case(
        "schedule:\n  cron: \"0 10 * * *\"\n  from: 2026-12-10\n  until: 2026-12-01\n",
    );
    assert_only(&found, "GC056", "c.yaml", 12, 10);
}

#[test]
fn validate_warns_about_an_at_in_the_past_and_says_the_plan_will_refuse_it() {
    let found = campaign_case("schedule:\n  at: 2026-01-01T10:00:00+08:00\n");
    let d = assert_only(&found, "GC055", "c.yaml", 10, 7);
    assert!(
        d.help.starts_with(
            "`gtcamp plan` and `apply` refuse it unless the target's state records it"
        ),
        "{}",
        d.help
    );
}

#[test]
fn validate_names_the_minute_an_at_with_seconds_is_sent_at() {
    let found = campaign_case("schedule:\n  at: 2026-12-01T10:00:42+08:00\n");
    let d = assert_only(&found, "GC058", "c.yaml", 10, 7);
    assert!(
        d.message
            .contains("`schedule.at` has seconds, but Getui works in whole minutes: 2026-12-01T10:00+08:00 is used"),
        "{}",
        d.message
    );
    assert!(d.help.contains("`2026-12-01T10:00:00+08:00`"), "{}", d.help);
}

#[test]
fn validate_names_the_first_and_last_minutes_of_bounds_with_seconds() {
    let found = campaign_case(
        "schedule:\n  cron: \"* 10 * * *\"\n  from: 2026-12-01T10:00:30+08:00\n  until: 2026-12-05T10:59:59.5+08:00\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    let from = &found[0];
    assert_eq!(
        (from.code.as_str(), from.line, from.column),
        ("GC058", 11, 9)
    );
    assert!(
        from.message.contains("2026-12-01T10:01+08:00 is used"),
        "{}",
        from.message
    );
    let until = &found[1];
    assert_eq!(
        (until.code.as_str(), until.line, until.column),
        ("GC058", 12, 10)
    );
    assert!(
        until.message.contains("2026-12-05T10:59+08:00 is used"),
        "{}",
        until.message
    );
}

#[test]
fn validate_accepts_whole_minutes_and_days_as_bounds() {
    assert_clean(&campaign_case(
        "schedule:\n  cron: \"0 10 * * *\"\n  from: 2026-12-01T10:00:00+08:00\n  until: 2026-12-05\n",
    ));
}

#[test]
fn validate_reports_timezone_given_with_at() {
    let found =
        campaign_case("schedule:\n  at: 2026-12-01T10:00:00+08:00\n  timezone: Asia/Tokyo\n");
    assert_only(&found, "GC057", "c.yaml", 11, 3);
}

#[test]
fn validate_reports_a_campaign_offline_keep_outside_1h_to_72h() {
    let at = "schedule:\n  at: 2026-12-01T10:00:00+08:00\n";
    assert_only(
        &campaign_case(&format!("{at}delivery:\n  offline_keep: 30m\n")),
        "GC050",
        "c.yaml",
        12,
        17,
    );
    assert_only(
        &campaign_case(&format!("{at}delivery:\n  offline_keep: 73h\n")),
        "GC050",
        "c.yaml",
        12,
        17,
    );
    assert_clean(&campaign_case(&format!(
        "{at}delivery:\n  offline_keep: 72h\n"
    )));
}

#[test]
fn validate_reports_a_delivery_speed_of_zero() {
    let at = "schedule:\n  at: 2026-12-01T10:00:00+08:00\n";
    assert_only(
        &campaign_case(&format!("{at}delivery:\n  speed: 0\n")),
        "GC063",
        "c.yaml",
        12,
        10,
    );
    assert_clean(&campaign_case(&format!("{at}delivery:\n  speed: 100\n")));
}

#[test]
fn validate_reports_a_task_group_over_23_characters() {
    // Getui allows 40; gtcamp appends `-` and 16 hex digits to tell sends apart.
    let at = "schedule:\n  at: 2026-12-01T10:00:00+08:00\n";
    assert_clean(&campaign_case(&format!(
        "{at}delivery:\n  task_group: {}\n",
        "g".repeat(23)
    )));
    let long = format!("{at}delivery:\n  task_group: {}\n", "g".repeat(24));
    assert_only(&campaign_case(&long), "GC020", "c.yaml", 12, 15);
}

#[test]
fn validate_accepts_the_settings_of_a_real_workspace() {
    assert_clean(&settings_case(
        "default_target: prod\ntargets:\n  prod:\n    type: getui\n    endpoint: https://api.getui.com/apiex.htm\ndefaults:\n  timezone: Asia/Tokyo\n  offline_keep: 1h\n  quiet_hours:\n    start: \"21:30\"\n    end: \"07:00\"\n",
    ));
}

#[test]
fn validate_reports_a_getui_target_without_endpoint() {
    let found = settings_case("targets:\n  prod:\n    type: getui\n");
    assert_only(&found, "GC060", "gtcamp.yaml", 5, 3);
}

#[test]
fn validate_reports_a_getui_endpoint_that_is_not_http() {
    let found = settings_case("targets:\n  prod:\n    type: getui\n    endpoint: api.getui.com\n");
    assert_only(&found, "GC060", "gtcamp.yaml", 7, 15);
}

#[test]
fn validate_reports_a_default_target_that_names_no_target() {
    let found = settings_case("default_target: prod\ntargets:\n  sandbox:\n    type: sandbox\n");
    let d = assert_only(&found, "GC061", "gtcamp.yaml", 4, 17);
    assert!(d.help.contains("`sandbox`"), "{}", d.help);
}

#[test]
fn validate_reports_quiet_hours_not_written_hh_mm() {
    let found =
        settings_case("defaults:\n  quiet_hours:\n    start: \"9pm\"\n    end: \"07:00\"\n");
    assert_only(&found, "GC062", "gtcamp.yaml", 6, 12);
}

#[test]
fn validate_reports_an_unknown_default_time_zone() {
    let found = settings_case("defaults:\n  timezone: CST\n");
    assert_only(&found, "GC052", "gtcamp.yaml", 5, 13);
}

#[test]
fn validate_reports_a_default_offline_keep_over_72h() {
    let found = settings_case("defaults:\n  offline_keep: 4d\n");
    assert_only(&found, "GC050", "gtcamp.yaml", 5, 17);
}
