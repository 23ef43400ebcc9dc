//! Campaign lints through `gtcamp validate`: codes, positions, levels and exit codes, and
//! the checks of their settings.

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::{CLEAN_CAMPAIGN, assert_clean, assert_only, settings_case, workspace};

/// Two campaigns to vip users, an hour apart, the second at 23:00 Beijing time.
const TIRED: &str = "kind: Campaign
name: evening
template:
  type: notification
  title: Hi
  text: Hello
audience:
  tags:
    any: [vip]
schedule:
  at: 2026-12-01T22:00:00+08:00
---
kind: Campaign
name: late
template:
  type: notification
  title: Hi
  text: Hello
audience:
  tags:
    all: [vip]
schedule:
  at: 2026-12-01T23:00:00+08:00
";

/// `gtcamp validate --format json` on the workspace `settings` + [`TIRED`], as of
/// 2026-11-20: its exit code and JSON document.
fn validate(settings: &str) -> (Option<i32>, serde_json::Value) {
    let gtcamp_yaml = format!("{}{settings}", crate::classified());
    let dir = workspace(&[("gtcamp.yaml", &gtcamp_yaml), ("c.yaml", TIRED)]);
    let output = Command::cargo_bin("gtcamp")
        .expect("gtcamp binary")
        .current_dir(dir.path())
        .env(gtcamp::clock::NOW_VAR, "2026-11-20T00:00:00Z")
        .args(["validate", "--format", "json"])
        .output()
        .expect("gtcamp runs");
    let json = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    (output.status.code(), json)
}

/// (code, severity, line, column) of every diagnostic.
fn seen(json: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    json["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_owned(),
                d["severity"].as_str().unwrap_or("").to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn row(code: &str, severity: &str, line: u64) -> (String, String, u64, u64) {
    (code.to_owned(), severity.to_owned(), line, 1)
}

#[test]
fn validate_warns_about_fatigue_and_quiet_hours_at_the_schedule() {
    let (code, json) = validate("");
    assert_eq!(code, Some(0));
    assert_eq!(
        seen(&json),
        [
            row("GC071", "warning", 10),
            row("GC070", "warning", 22),
            row("GC071", "warning", 22),
        ]
    );
    let fatigue = &json["diagnostics"][1];
    assert_eq!(fatigue["file"], "c.yaml");
    assert!(
        fatigue["message"].as_str().is_some_and(|m| m
            .contains("`evening` at 2026-12-01 22:00 +08:00, `late` at 2026-12-01 23:00 +08:00")),
        "{fatigue}"
    );
}

#[test]
fn validate_fails_on_a_lint_at_level_error() {
    let (code, json) =
        validate("lints:\n  fatigue:\n    level: error\n  quiet_hours:\n    level: off\n");
    assert_eq!(code, Some(1));
    assert_eq!(seen(&json), [row("GC070", "error", 22)]);
    assert_eq!(
        json["summary"],
        serde_json::json!({"errors": 1, "warnings": 0})
    );
}

#[test]
fn validate_human_output_names_the_lint_and_its_position() {
    let dir = workspace(&[
        (
            "gtcamp.yaml",
            &format!(
                "{}lints:\n  quiet_hours:\n    level: error\n",
                crate::classified()
            ),
        ),
        ("c.yaml", TIRED),
    ]);
    Command::cargo_bin("gtcamp")
        .expect("gtcamp binary")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env(gtcamp::clock::NOW_VAR, "2026-11-20T00:00:00Z")
        .arg("validate")
        .assert()
        .code(1)
        .stdout("2 errors, 1 warning\n")
        .stderr(contains("GC071").and(contains("c.yaml:10:1")));
}

#[test]
fn validate_runs_no_lint_on_a_clean_campaign() {
    let dir = workspace(&[
        ("gtcamp.yaml", &crate::classified()),
        ("c.yaml", CLEAN_CAMPAIGN),
    ]);
    Command::cargo_bin("gtcamp")
        .expect("gtcamp binary")
        .current_dir(dir.path())
        .env(gtcamp::clock::NOW_VAR, "2026-11-20T00:00:00Z")
        .arg("validate")
        .assert()
        .code(0)
        .stdout("0 errors, 0 warnings\n");
}

#[test]
fn validate_accepts_lint_settings() {
    assert_clean(&settings_case(
        "lints:\n  fatigue:\n    level: error\n    window: 2h\n  quiet_hours:\n    regions:\n      浙江省:\n        start: \"21:00\"\n        end: \"09:00\"\n  unused:\n    level: off\n  sms_coverage:\n    level: warning\n",
    ));
}

#[test]
fn validate_reports_quiet_hours_of_a_region_that_does_not_exist() {
    let found = settings_case(
        "lints:\n  quiet_hours:\n    regions:\n      Zhejiang:\n        start: \"21:00\"\n        end: \"09:00\"\n",
    );
    assert_only(&found, "GC044", "gtcamp.yaml", 7, 7);
}

#[test]
fn validate_reports_quiet_hours_of_a_city_and_names_its_province() {
    let found = settings_case(
        "lints:\n  quiet_hours:\n    regions:\n      深圳:\n        start: \"21:00\"\n        end: \"09:00\"\n",
    );
    let d = assert_only(&found, "GC044", "gtcamp.yaml", 7, 7);
    assert!(d.message.contains("prefecture-level city"), "{}", d.message);
    assert!(d.help.contains("`广东`"), "{}", d.help);
}

#[test]
fn validate_reports_a_region_given_quiet_hours_twice_under_two_names() {
    let found = settings_case(
        "lints:\n  quiet_hours:\n    regions:\n      浙江:\n        start: \"21:00\"\n        end: \"09:00\"\n      浙江省:\n        start: \"22:00\"\n        end: \"08:00\"\n",
    );
    let twice = assert_only(&found, "GC009", "gtcamp.yaml", 10, 7);
    assert_eq!(
        twice.message,
        "`浙江省` and `浙江` are the same region: its quiet hours are written twice"
    );
}

#[test]
fn validate_reports_regional_quiet_hours_not_written_hh_mm() {
    let found = settings_case(
        "lints:\n  quiet_hours:\n    regions:\n      浙江:\n        start: \"21:00\"\n        end: \"9am\"\n",
    );
    assert_only(&found, "GC062", "gtcamp.yaml", 9, 14);
}

#[test]
fn validate_reports_a_lint_level_it_does_not_know() {
    let found = settings_case("lints:\n  fatigue:\n    level: loud\n");
    assert_only(&found, "GC008", "gtcamp.yaml", 6, 12);
}

/// Two marketing campaigns to vip users and one to everyone, all on 2027-03-02 in China,
/// the last at 23:30: three marketing pushes can reach one device, and vivo shows none after
/// 23:00.
const CAPPED: &str = "kind: Campaign
name: morning
template:
  type: notification
  title: Hi
  text: Hello
audience:
  tags:
    any: [vip]
schedule:
  at: 2027-03-02T09:00:00+08:00
---
kind: Campaign
name: noon
template:
  type: notification
  title: Hi
  text: Hello
audience:
  tags:
    any: [vip]
schedule:
  at: 2027-03-02T12:00:00+08:00
---
kind: Campaign
name: night
template:
  type: notification
  title: Hi
  text: Hello
audience:
  all_users: true
schedule:
  at: 2027-03-02T23:30:00+08:00
";

/// `gtcamp validate` (human output) on `campaigns` with `settings`, as of 2027-03-01, on a
/// REST V2 sandbox (where every notification goes through the makers' channels) with a
/// Xiaomi marketing channel registered (else Xiaomi's default channel, 1 a day, would be the
/// strictest cap).
fn validate_capped(settings: &str, campaigns: &str) -> assert_cmd::assert::Assert {
    let v2 = crate::classified().replacen(
        "    type: sandbox\n",
        "    type: sandbox\n    protocol: v2\n",
        1,
    );
    let xiaomi = "vendors:\n  xm:\n    marketing: {channel_id: \"105501\"}\n";
    let gtcamp_yaml = format!("{v2}{xiaomi}{settings}");
    let dir = workspace(&[("gtcamp.yaml", &gtcamp_yaml), ("c.yaml", campaigns)]);
    Command::cargo_bin("gtcamp")
        .expect("gtcamp binary")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env(gtcamp::clock::NOW_VAR, "2027-03-01T00:00:00Z")
        .arg("validate")
        .assert()
}

#[test]
fn validate_points_the_vendor_lints_at_the_push_the_makers_drop() {
    validate_capped(
        "lints:\n  fatigue:\n    level: off\n  quiet_hours:\n    level: off\n",
        CAPPED,
    )
    .code(0)
    .stdout("0 errors, 2 warnings\n")
    .stderr(
        contains("GC073")
            .and(contains(
                "on 2027-03-02 (China time) 3 marketing pushes can reach one Android device",
            ))
            .and(contains(
                "(2 a day) drop `night` at 2027-03-02 23:30 +08:00",
            ))
            .and(contains("c.yaml:33:1"))
            .and(contains(
                "marketing push 3 of 3 on 2027-03-02, over the cap of 2",
            ))
            .and(contains("c.yaml:10:1"))
            .and(contains("`morning` also sends marketing on 2027-03-02"))
            .and(contains("GC074"))
            .and(contains("vivo drops it (marketing only 07:00-23:00)")),
    );
}

#[test]
fn validate_sets_the_vendor_lints_off_or_to_error() {
    validate_capped("lints:\n  fatigue:\n    level: off\n  quiet_hours:\n    level: off\n  vendor_quota:\n    level: off\n  vendor_hours:\n    level: off\n", CAPPED)
        .code(0)
        .stdout("0 errors, 0 warnings\n");
    validate_capped("lints:\n  fatigue:\n    level: off\n  quiet_hours:\n    level: off\n  vendor_quota:\n    level: error\n  vendor_hours:\n    level: error\n", CAPPED)
        .code(1)
        .stdout("2 errors, 0 warnings\n");
    let service = CAPPED.replace("  text: Hello\n", "  text: Hello\n  class: service\n");
    validate_capped("", &service)
        .code(0)
        .stderr(contains("GC073").not().and(contains("GC074").not()));
}
