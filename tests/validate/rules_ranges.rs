//! Ranges (issue 12): every duration and instant an author writes lies where gtcamp can
//! compute with it, reported with its place rather than crashing a later step.

use crate::{
    CLEAN_CAMPAIGN, WORKSPACE, assert_clean, assert_only, campaign_case, check, settings_case,
    template_case,
};

#[test]
fn validate_reports_the_push_ahead_of_issue_12_that_crashed_plan() {
    let found =
        settings_case("targets:\n  sandbox:\n    type: sandbox\n    max_push_ahead: 100000000d\n");
    let d = assert_only(&found, "GC067", "gtcamp.yaml", 7, 21);
    assert!(
        d.message.contains("100000000d") && d.help.contains("`365d`"),
        "{d:?}"
    );
}

#[test]
fn validate_reports_a_push_ahead_of_zero_and_accepts_the_bounds() {
    let target = |ahead: &str| {
        settings_case(&format!(
            "targets:\n  sandbox:\n    type: sandbox\n    max_push_ahead: {ahead}\n"
        ))
    };
    assert_only(&target("0s"), "GC067", "gtcamp.yaml", 7, 21);
    assert_only(&target("366d"), "GC067", "gtcamp.yaml", 7, 21);
    assert_clean(&target("1m"));
    assert_clean(&target("365d"));
}

#[test]
fn validate_reports_a_lead_time_and_a_horizon_out_of_range() {
    let found = settings_case("defaults:\n  lead_time: 31d\n  horizon: 100000000d\n");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .any(|d| (d.code.as_str(), d.line, d.column) == ("GC067", 5, 14)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|d| (d.code.as_str(), d.line, d.column) == ("GC067", 6, 12)),
        "{found:?}"
    );
    assert_only(
        &settings_case("defaults:\n  horizon: 0s\n"),
        "GC067",
        "gtcamp.yaml",
        5,
        12,
    );
    assert_clean(&settings_case(
        "defaults:\n  lead_time: 0s\n  horizon: 366d\n",
    ));
}

#[test]
fn validate_reports_a_fatigue_window_longer_than_a_month() {
    let found = settings_case("lints:\n  fatigue:\n    window: 18446744073709551615s\n");
    assert_only(&found, "GC067", "gtcamp.yaml", 6, 13);
    assert_clean(&settings_case("lints:\n  fatigue:\n    window: 30d\n"));
}

#[test]
fn validate_reports_an_at_past_year_9999_in_beijing_time() {
    // 23:59 at UTC-23:59 is 10000-01-01 in Beijing: no `yyyyMMddHHmm` push time exists.
    let found = campaign_case("schedule:\n  at: 9999-12-31T23:59:00-23:59\n");
    let d = assert_only(&found, "GC059", "c.yaml", 10, 7);
    assert!(d.message.contains("9999"), "{d:?}");
    let far = campaign_case("schedule:\n  at: 9999-12-31T23:59:00+14:00\n");
    assert_clean(&far);
}

#[test]
fn validate_reports_days_and_bounds_outside_the_years_1970_to_9999() {
    let found = campaign_case(
        "schedule:\n  cron: \"0 10 * * 1\"\n  from: 1969-12-31\n  until: +10000-01-01\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|d| d.code == "GC059"), "{found:?}");
    assert!(
        found.iter().any(|d| (d.line, d.column) == (11, 9)),
        "{found:?}"
    );
    assert!(
        found.iter().any(|d| (d.line, d.column) == (12, 10)),
        "{found:?}"
    );
    assert_clean(&campaign_case(
        "schedule:\n  cron: \"0 10 * * 1\"\n  from: 2026-12-01\n  until: 9999-12-31\n",
    ));
}

#[test]
fn validate_reports_a_display_window_before_1970() {
    let found = template_case(
        "type: notification\ntitle: Hi\ntext: Hello\ndisplay_window:\n  start: 1969-01-01T00:00:00Z\n  end: 2026-12-01T12:00:00+08:00\n",
    );
    assert_only(&found, "GC059", "t.yaml", 7, 10);
}

#[test]
fn validate_reports_an_audience_of_more_cids_than_one_list_push_takes() {
    let cids = |n: usize| {
        let list: Vec<String> = (0..n).map(|i| format!("\"cid{i:04}\"")).collect();
        format!(
            "kind: Audience\nname: testers\ncids: [{}]\n",
            list.join(", ")
        )
    };
    let campaign = CLEAN_CAMPAIGN.replace("audience:\n  all_users: true\n", "audience: testers\n");
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("a.yaml", &cids(1001)),
        ("c.yaml", &campaign),
    ]);
    let d = assert_only(&found, "GC048", "a.yaml", 3, 1);
    assert!(d.message.contains("1001"), "{d:?}");
    assert_clean(&check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("a.yaml", &cids(1000)),
        ("c.yaml", &campaign),
    ]));
}
