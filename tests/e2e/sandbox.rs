//! The example workspace on the built-in sandbox: what a fresh clone does first.

use std::path::Path;

fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("a readable example");
        let relative = entry.path().strip_prefix(from).expect("inside the folder");
        if relative.starts_with(".gtcamp") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

use crate::harness::{gtcamp_at, gtcamp_in as gtcamp};

/// The example workspace must not rot: a fresh copy planned today, in a year and in three
/// years still has something to create and nothing "in the past". This test means the real
/// clock (what a reader who clones the repository that day sees) and computes its instants
/// from it; `scripts/test-years-ahead` runs it three years later still.
#[test]
fn the_example_workspace_plans_creates_today_and_for_three_years() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns");
    let today = chrono::Utc::now();
    for years in [0, 1, 3] {
        let now = today + chrono::Duration::days(365 * years + years / 4);
        let clone = tempfile::tempdir().unwrap();
        copy_folder(&examples, clone.path());
        let at = now.to_rfc3339();

        let validate = gtcamp_at(clone.path(), &at, &["validate"]);
        let stdout = String::from_utf8_lossy(&validate.stdout);
        assert_eq!(stdout, "0 errors, 0 warnings\n", "at {at}: {stdout}");

        let plan = gtcamp_at(clone.path(), &at, &["plan", "--format", "json"]);
        assert_eq!(plan.status.code(), Some(0), "at {at}: {plan:?}");
        let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).expect("a JSON plan");
        let creates = plan["totals"]["create"].as_u64().unwrap_or(0);
        assert!(creates >= 1, "at {at} the example plans no create: {plan}");
        assert!(
            !plan["warnings"].to_string().contains("GC055"),
            "at {at}: {}",
            plan["warnings"]
        );
    }
}

#[test]
fn a_fresh_clone_plans_and_applies_on_the_sandbox_without_credentials() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns");
    let clone = tempfile::tempdir().unwrap();
    copy_folder(&examples, clone.path());

    let plan = gtcamp(clone.path(), &["plan"]);
    let stderr = String::from_utf8_lossy(&plan.stderr);
    assert_eq!(plan.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Target: sandbox (emulator at http://127.0.0.1:"),
        "{stderr}"
    );

    let apply = gtcamp(clone.path(), &["apply", "--auto-approve"]);
    let stdout = String::from_utf8_lossy(&apply.stdout);
    assert_eq!(apply.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Apply complete!"), "{stdout}");
    assert!(clone.path().join(".gtcamp/sandbox").is_dir());

    let again = gtcamp(clone.path(), &["plan", "--detailed-exitcode"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );

    // A sandbox keeps the devices it was created with, and says so.
    std::fs::write(
        clone.path().join("extra.yaml"),
        "kind: PhoneBindings\nname: extra-phones\npairs:\n  - cid: new-device-1\n    pn_md5: 0123456789abcdef0123456789abcdef\n",
    )
    .unwrap();
    let later = gtcamp(clone.path(), &["plan"]);
    let stderr = String::from_utf8_lossy(&later.stderr);
    assert!(
        stderr.contains(
            "note: the sandbox has no device for 1 cid(s) of the workspace (such as `new-device-1`)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_push_ahead_of_a_hundred_million_days_is_a_diagnostic_not_a_panic() {
    // Issue 12: `plan` used to panic (exit 101) in chrono's `+` on `now + max_push_ahead`.
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("gtcamp.yaml"),
        "kind: Workspace\nname: w\napp_id: demo\ntargets:\n  sandbox:\n    type: sandbox\n    max_push_ahead: 100000000d\n",
    )
    .expect("gtcamp.yaml is written");
    for command in ["validate", "plan", "calendar"] {
        let output = gtcamp_at(dir.path(), "2026-12-06T02:00:00Z", &[command]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains("GC067") && stderr.contains("gtcamp.yaml:7:21"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
    }
}
