//! The command line: formats, `--out`, `--help`, and an invalid workspace.

use crate::{calendar, example_workspace, shown, write_page};

#[test]
fn calendar_text_lists_the_example_sends_per_day_with_times_and_zones() {
    let workspace = example_workspace();
    let output = calendar(&[workspace.to_str().unwrap_or("campaigns"), "--days", "14"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.starts_with(
            "Sends of demo-shop, 2040-11-28 08:00 to 2040-12-12 08:00 Asia/Shanghai: 22 sends"
        ),
        "{text}"
    );
    for expected in [
        "Sat 2040-12-01  ..........1....1....1...  3 sends\n  10:00 Asia/Shanghai  welcome-back-dec\n",
        "  15:00 Asia/Shanghai  order-shipped-notice  [list push, fired by apply]\n",
        "Fri 2040-11-30  ....................2...  2 sends\n  20:00 Asia/Shanghai  checkin-reminder\n  20:00 Asia/Shanghai  weekly-digest\n",
        "Mon 2040-12-03  .........1..........1...  2 sends\n  09:00 Asia/Shanghai  coupon-sync\n  20:00 Asia/Shanghai  checkin-reminder\n",
        "Sun 2040-12-09  ............1.......1...  2 sends\n  12:00 Asia/Shanghai  vip-early-access  [list push, fired by apply]\n",
        "Tue 2040-12-11  ....................2...  2 sends\n  20:00 Asia/Shanghai  checkin-reminder    [deferred]\n  20:00 Asia/Shanghai  double-twelve-sale  [deferred]\n",
        "Wed 2040-12-12  ........................  no sends\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // Its one send is on 2040-01-05, outside the window: listed, with none.
    assert!(
        text.contains("new-version-launch    Asia/Shanghai    0 sends"),
        "{text}"
    );
    assert!(!text.contains("2040-01-05"), "{text}");
}

#[test]
fn calendar_markdown_draws_the_example_sends_as_a_mermaid_gantt() {
    let workspace = example_workspace();
    let output = calendar(&[
        workspace.to_str().unwrap_or("campaigns"),
        "--days",
        "14",
        "--format",
        "markdown",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let markdown = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "```mermaid\ngantt\n    title Sends of demo-shop (Asia/Shanghai)\n",
        "    section weekly-digest\n    Fri 20∶00 : milestone, 2040-11-30 20:00, 0m\n    Fri 20∶00 : milestone, 2040-12-07 20:00, 0m\n",
        "    section welcome-back-dec\n    Sat 10∶00 : milestone, 2040-12-01 10:00, 0m\n",
        "| `vip-early-access` | Asia/Shanghai | 1 | Sun 2040-12-09 12:00 |",
    ] {
        assert!(
            markdown.contains(expected),
            "missing {expected:?} in:\n{markdown}"
        );
    }
    assert_eq!(markdown.matches("```").count(), 2, "{markdown}");
}

#[test]
fn calendar_days_bounds_the_window() {
    let workspace = example_workspace();
    let output = calendar(&[workspace.to_str().unwrap_or("campaigns"), "--days", "4"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("to 2040-12-02 08:00 Asia/Shanghai: 7 sends"),
        "{text}"
    );
    assert!(!text.contains("coupon-sync\n"), "{text}");
}

#[test]
fn calendar_out_writes_the_page_to_a_file_and_nothing_to_stdout() {
    let folder = tempfile::tempdir().expect("a temp folder");
    let (page, output) = write_page(folder.path());
    assert!(output.stdout.is_empty(), "{}", shown(&output));
    let html = std::fs::read_to_string(&page).expect("the page is written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h1>Sends of demo-shop</h1>"));
    let leftovers: Vec<_> = std::fs::read_dir(folder.path())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn calendar_of_an_invalid_workspace_shows_its_errors_and_exits_1() {
    let folder = tempfile::tempdir().expect("a temp folder");
    let settings = std::fs::read_to_string(example_workspace().join("gtcamp.yaml"))
        .expect("the example settings");
    std::fs::write(folder.path().join("gtcamp.yaml"), settings).expect("written");
    std::fs::write(
        folder.path().join("broken.yaml"),
        "kind: Campaign\nname: broken\ntemplate: nope\naudience:\n  tags:\n    any: [x]\nschedule:\n  at: 2026-12-01T10:00:00+08:00\n",
    )
    .expect("written");
    let output = calendar(&[folder.path().to_str().unwrap_or(".")]);
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    assert!(output.stdout.is_empty(), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("campaign `broken` uses template `nope`, which is not defined"),
        "{stderr}"
    );
    assert!(stderr.contains("1 error"), "{stderr}");
}

#[test]
fn calendar_help_gives_examples() {
    let output = calendar(&["--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(
        help.contains("gtcamp calendar --format html --out calendar.html"),
        "{help}"
    );
    assert!(
        help.contains("[possible values: text, markdown, html]"),
        "{help}"
    );
}

#[test]
fn calendar_shows_the_whole_window_beyond_the_horizon_and_push_ahead() {
    // The example's horizon is 14 days and the sandbox accepts 7 days ahead; a 30-day
    // calendar still shows every Friday digest, the later ones as deferred.
    let workspace = example_workspace();
    let output = calendar(&[workspace.to_str().unwrap_or("campaigns"), "--days", "30"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    for friday in ["2040-12-14", "2040-12-21"] {
        assert!(
            text.contains(&format!(
                "Fri {friday}  ....................2...  2 sends\n  20:00 Asia/Shanghai  checkin-reminder  [deferred]\n  20:00 Asia/Shanghai  weekly-digest     [deferred]\n"
            )),
            "no digest on {friday}:\n{text}"
        );
    }
    assert!(
        text.contains("weekly-digest         Asia/Shanghai    4 sends"),
        "{text}"
    );
}

#[test]
fn calendar_marks_disabled_campaigns_and_lists_other_zones_by_the_calendars_clock() {
    let folder = tempfile::tempdir().expect("a temp folder");
    let settings = std::fs::read_to_string(example_workspace().join("gtcamp.yaml"))
        .expect("the example settings");
    std::fs::write(folder.path().join("gtcamp.yaml"), settings).expect("written");
    let campaign = |name: &str, enabled: bool, zone: &str| {
        format!(
            "kind: Campaign\nname: {name}\nenabled: {enabled}\ntemplate:\n  type: notification\n  title: Hi\n  text: There\naudience:\n  tags:\n    any: [x]\nschedule:\n  cron: \"0 20 * * *\"\n  timezone: {zone}\n"
        )
    };
    std::fs::write(
        folder.path().join("c.yaml"),
        format!(
            "{}---\n{}",
            campaign("berlin-evening", true, "Europe/Berlin"),
            campaign("paused-promo", false, "Asia/Shanghai")
        ),
    )
    .expect("written");
    let output = calendar(&[folder.path().to_str().unwrap_or("."), "--days", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("  paused-promo    Asia/Shanghai    0 sends  DISABLED;"),
        "{text}"
    );
    assert!(
        !text.contains("  20:00 Asia/Shanghai  paused-promo"),
        "{text}"
    );
    // Berlin 20:00 on Wednesday is 03:00 on Thursday in Beijing, the workspace's zone:
    // listed under Thursday at 03:00, as the heat-line counts it, then at its own clock.
    assert!(
        text.contains("Thu 2040-11-29  ...1....................  1 send\n  03:00 Asia/Shanghai  11-28 20:00 Europe/Berlin  berlin-evening\n"),
        "{text}"
    );
}

#[test]
fn calendar_says_after_which_send_a_capped_campaign_is_not_shown() {
    let folder = tempfile::tempdir().expect("a temp folder");
    let settings = std::fs::read_to_string(example_workspace().join("gtcamp.yaml"))
        .expect("the example settings");
    std::fs::write(folder.path().join("gtcamp.yaml"), settings).expect("written");
    // Every minute for 14 days is 20,160 sends, past compile's 10,000 per campaign.
    std::fs::write(
        folder.path().join("c.yaml"),
        "kind: Campaign\nname: every-minute\ntemplate:\n  type: notification\n  title: Hi\n  text: There\naudience:\n  tags:\n    any: [x]\nschedule:\n  cron: \"* * * * *\"\n  timezone: Asia/Shanghai\n",
    )
    .expect("written");
    let output = calendar(&[folder.path().to_str().unwrap_or("."), "--days", "14"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("every-minute: fires more than 10,000 times in this window; its sends after 2040-12-05 06:39 Asia/Shanghai are not shown"),
        "{text}"
    );
    assert!(!text.contains("wait for a later plan"), "{text}");
}

#[test]
fn calendar_counts_marketing_pushes_against_the_makers_cap() {
    let folder = tempfile::tempdir().expect("a temp folder");
    let legacy = std::fs::read_to_string(example_workspace().join("gtcamp.yaml"))
        .expect("the example settings");
    // On REST V2 every notification goes through the makers' channels.
    let v2 = legacy.replacen(
        "    type: sandbox\n",
        "    type: sandbox\n    protocol: v2\n",
        1,
    );
    assert_ne!(v2, legacy, "the example's sandbox changed shape");
    std::fs::write(folder.path().join("gtcamp.yaml"), &v2).expect("written");
    let campaign = |name: &str, class: &str, hour: &str| {
        format!(
            "kind: Campaign\nname: {name}\ntemplate:\n  type: notification\n  class: {class}\n  title: Hi\n  text: There\naudience:\n  all_users: true\nschedule:\n  at: 2040-11-29T{hour}:00:00+08:00\n"
        )
    };
    // Three marketing pushes and an order update, all to everyone, on Thursday.
    let campaigns = [
        campaign("morning", "marketing", "09"),
        campaign("noon", "marketing", "12"),
        campaign("order", "service", "15"),
        campaign("evening", "marketing", "19"),
    ];
    std::fs::write(folder.path().join("c.yaml"), campaigns.join("---\n")).expect("written");
    let output = calendar(&[folder.path().to_str().unwrap_or("."), "--days", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "Thu 2040-11-29  .........1..1..1...1....  4 sends  marketing 3 / cap 2 (Huawei, Honor, OPPO, vivo)  !! over the cap: the makers drop the pushes past it\n"
        ),
        "{text}"
    );
    let output = calendar(&[
        folder.path().to_str().unwrap_or("."),
        "--days",
        "2",
        "--format",
        "markdown",
    ]);
    let markdown = String::from_utf8_lossy(&output.stdout);
    assert!(
        markdown.contains("- Thu 2040-11-29: marketing 3 / cap 2 (Huawei, Honor, OPPO, vivo) ⚠️"),
        "{markdown}"
    ); // The legacy protocol sends a notification through Getui's own channel alone: the makers
    // never see these pushes, and the calendar counts none against their caps.
    std::fs::write(folder.path().join("gtcamp.yaml"), &legacy).expect("written");
    let output = calendar(&[folder.path().to_str().unwrap_or("."), "--days", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Thu 2040-11-29  .........1..1..1...1....  4 sends\n"),
        "{text}"
    );
    assert!(!text.contains("marketing"), "{text}");
}
