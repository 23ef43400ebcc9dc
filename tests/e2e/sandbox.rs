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

/// Kill -9 of a sandbox apply, at seeded points of its progress, then a rerun: the sandbox
/// ends with every campaign's task exactly once and every binding, and a plan has nothing
/// to do. The sandbox is embedded, so the kill takes the emulator down mid-request too;
/// only what it had made durable before answering may be relied on, by gtcamp's journal as
/// by a user.
#[test]
fn kill_9_of_a_sandbox_apply_at_any_moment_then_a_rerun_loses_and_repeats_nothing() {
    use rand::{Rng, SeedableRng};

    const CAMPAIGNS: usize = 24;
    const CIDS: usize = 300;
    let now = "2030-01-06T00:00:00+00:00";
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "gtcamp.yaml",
        "kind: Workspace\nname: crash\napp_id: crashapp\ntargets:\n  sandbox:\n    type: sandbox\n    population: 1000\n",
    );
    for n in 0..CAMPAIGNS {
        let at = format!("2030-01-{:02}T{:02}:00:00+08:00", 8 + n % 3, 8 + n % 12);
        write(
            &format!("c{n}.yaml"),
            &crate::harness::one_off(&format!("c{n}"), &at, &format!("Hello {n}")),
        );
    }
    let cids: Vec<String> = (0..CIDS).map(|n| format!("crash-cid-{n:04}")).collect();
    write("phones.yaml", &crate::harness::bindings(&cids, "k"));
    let journal = dir.path().join(".gtcamp/state.journal");

    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    for round in 0..4 {
        // Kill once the journal holds a seeded number of bytes (some progress, never none)
        // or, in the first round, while the sandbox is still being created.
        let journal_len = || std::fs::metadata(&journal).map_or(0, |m| m.len());
        let threshold = journal_len()
            + if round == 0 {
                0
            } else {
                rng.random_range(1..4_000)
            };
        let mut child = std::process::Command::new(assert_cmd::cargo_bin!("gtcamp"))
            .args(["apply", "--auto-approve", "--parallelism", "4"])
            .current_dir(dir.path())
            .env(gtcamp::clock::NOW_VAR, now)
            .env("NO_COLOR", "1")
            .env_remove("GETUI_APP_KEY")
            .env_remove("GETUI_MASTER_SECRET")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("gtcamp starts");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let progressed = journal_len();
            let exited = child.try_wait().expect("gtcamp can be waited on").is_some();
            if exited
                || progressed > threshold
                || (round == 0 && dir.path().join(".gtcamp/sandbox").exists())
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "apply made no progress"
            );
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let _ = child.kill();
        child.wait().expect("gtcamp is gone");
    }

    let rerun = gtcamp_at(dir.path(), now, &["apply", "--auto-approve"]);
    assert_eq!(
        rerun.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    let plan = gtcamp_at(dir.path(), now, &["plan", "--detailed-exitcode"]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plan.stdout)
    );

    // What the sandbox holds, as its admin view shows it.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let snapshot = runtime.block_on(async {
        let config = gtcamp::emulator::EmulatorConfig {
            app_id: "crashapp".into(),
            data_dir: Some(dir.path().join(".gtcamp/sandbox")),
            ..Default::default()
        };
        let emulator = gtcamp::emulator::start(config, "127.0.0.1:0".parse().unwrap())
            .await
            .expect("the sandbox opens");
        let snapshot = emulator.snapshot();
        emulator.shutdown().await;
        snapshot
    });
    let mut waiting: std::collections::BTreeMap<String, usize> = Default::default();
    for task in &snapshot.tasks {
        if task.status == gtcamp::emulator::TaskStatus::DoNotSend {
            *waiting
                .entry(task.group.clone().unwrap_or_default())
                .or_default() += 1;
        }
    }
    assert_eq!(waiting.len(), CAMPAIGNS, "{waiting:?}");
    assert!(waiting.values().all(|&n| n == 1), "duplicates: {waiting:?}");
    for cid in &cids {
        assert_eq!(
            snapshot.bindings.get(cid),
            Some(&gtcamp::getui::phone_hash(&format!("k{cid}"))),
            "binding of {cid}"
        );
    }
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
