//! The command itself: exit codes, the three formats, where output goes, paths, colour,
//! and the repository's example workspace.

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::{CLEAN_CAMPAIGN, classified, now, workspace};

/// The binary, at the rule tests' fixed instant: the fixtures' dates must not drift into
/// the past (GC055) as the calendar moves on.
fn gtcamp() -> Command {
    let mut cmd = Command::cargo_bin("gtcamp").expect("gtcamp binary");
    cmd.env_remove("NO_COLOR")
        .env("GTCAMP_NOW", now().to_rfc3339());
    cmd
}

/// A workspace with one error (bad name) and one warning (unused audience).
fn flawed() -> tempfile::TempDir {
    workspace(&[
        ("gtcamp.yaml", &classified()),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("name: c", "name: Spring_Sale"),
        ),
        (
            "a.yaml",
            "kind: Audience\nname: vips\ntags:\n  any: [vip]\n",
        ),
    ])
}

#[test]
fn validate_exits_0_and_prints_the_summary_on_a_clean_workspace() {
    let dir = workspace(&[("gtcamp.yaml", &classified()), ("c.yaml", CLEAN_CAMPAIGN)]);
    gtcamp()
        .arg("validate")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout("0 errors, 0 warnings\n")
        .stderr("");
}

#[test]
fn validate_defaults_to_the_current_folder() {
    let dir = workspace(&[("gtcamp.yaml", &classified()), ("c.yaml", CLEAN_CAMPAIGN)]);
    gtcamp()
        .current_dir(dir.path())
        .arg("validate")
        .assert()
        .code(0)
        .stdout("0 errors, 0 warnings\n");
}

#[test]
fn validate_exits_1_and_draws_each_diagnostic_on_stderr() {
    let dir = flawed();
    gtcamp()
        .current_dir(dir.path())
        .arg("validate")
        .assert()
        .code(1)
        .stdout("1 error, 1 warning\n")
        .stderr(contains("GC012"))
        .stderr(contains(
            "Campaign name `Spring_Sale` has a character other than",
        ))
        .stderr(contains("[c.yaml:2:7]"))
        .stderr(contains("2 │ name: Spring_Sale"))
        .stderr(contains("help: names use lowercase letters"))
        .stderr(contains("GC019"))
        .stderr(contains("[a.yaml:2:7]"))
        .stderr(contains("\u{1b}[").not());
}

#[test]
fn validate_exits_0_when_there_are_only_warnings() {
    let dir = workspace(&[
        ("gtcamp.yaml", &classified()),
        ("c.yaml", CLEAN_CAMPAIGN),
        (
            "a.yaml",
            "kind: Audience\nname: vips\ntags:\n  any: [vip]\n",
        ),
    ]);
    gtcamp()
        .current_dir(dir.path())
        .arg("validate")
        .assert()
        .code(0)
        .stdout("0 errors, 1 warning\n");
}

#[test]
fn validate_masks_phone_numbers_in_drawn_snippets() {
    let campaign = CLEAN_CAMPAIGN.replace("name: c\n", "name: c\ndescription: ask 13812345678\n");
    let dir = workspace(&[("gtcamp.yaml", &classified()), ("c.yaml", &campaign)]);
    let assert = gtcamp()
        .current_dir(dir.path())
        .arg("validate")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("ask 138****5678"), "{stderr}");
    assert!(!stderr.contains("13812345678"), "{stderr}");
}

#[test]
fn validate_writes_a_versioned_json_document() {
    let dir = flawed();
    let assert = gtcamp()
        .current_dir(dir.path())
        .args(["validate", "--format", "json"])
        .assert()
        .code(1)
        .stderr("");
    let json: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON on stdout");
    assert_eq!(json["format_version"], 1);
    assert_eq!(
        json["summary"],
        serde_json::json!({"errors": 1, "warnings": 1})
    );
    let diagnostics = json["diagnostics"].as_array().expect("a list");
    let codes: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["GC019", "GC012"]);
    let error = &diagnostics[1];
    assert_eq!(error["severity"], "error");
    assert_eq!(error["file"], "c.yaml");
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(2), Some(7))
    );
    assert_eq!(error["length"], 11);
    assert!(
        error["help"]
            .as_str()
            .is_some_and(|h| h.contains("lowercase"))
    );
    assert_eq!(diagnostics[0]["severity"], "warning");
}

#[test]
fn validate_writes_github_workflow_commands_with_escaping() {
    // `%` in the message, `,` and `:` in the path: each escaped as GitHub requires.
    let dir = workspace(&[
        ("gtcamp.yaml", &classified()),
        (
            "q1,2026:spring/c.yaml",
            &CLEAN_CAMPAIGN.replace("name: c", "name: \"50%off\""),
        ),
        (
            "a.yaml",
            "kind: Audience\nname: vips\ntags:\n  any: [vip]\n",
        ),
    ]);
    gtcamp()
        .current_dir(dir.path())
        .args(["validate", "--format", "github"])
        .assert()
        .code(1)
        .stdout(concat!(
            "::warning file=a.yaml,line=2,col=7,title=GC019::Audience `vips` is not used by any campaign%0AFor more about GC019, run `gtcamp explain GC019`.\n",
            "::error file=q1%2C2026%3Aspring/c.yaml,line=2,col=7,title=GC012::Campaign name `50%25off` has a character other than `a-z`, `0-9` or `-`: `%25`%0AFor more about GC012, run `gtcamp explain GC012`.\n",
        ))
        .stderr("1 error, 1 warning\n");
}

#[test]
fn validate_prints_paths_relative_to_the_current_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("ws");
    crate::write(&ws, "gtcamp.yaml", classified().as_bytes());
    crate::write(
        &ws,
        "c.yaml",
        CLEAN_CAMPAIGN.replace("name: c", "name: C").as_bytes(),
    );
    gtcamp()
        .current_dir(dir.path())
        .args(["validate", "--format", "github"])
        .arg(&ws)
        .assert()
        .code(1)
        .stdout(contains("file=ws/c.yaml,"));
}

#[test]
fn validate_reports_a_folder_that_does_not_exist() {
    let dir = tempfile::tempdir().expect("temp dir");
    gtcamp()
        .current_dir(dir.path())
        .args(["validate", "nowhere"])
        .assert()
        .code(1)
        .stdout("1 error, 0 warnings\n")
        .stderr(contains("GC001").and(contains("`nowhere` is not a folder")));
}

#[test]
fn validate_accepts_the_example_workspace() {
    gtcamp()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "campaigns"])
        .assert()
        .code(0)
        .stdout(contains("0 errors"));
}
