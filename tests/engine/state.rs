//! State files, locks and journals end to end: the library's lock seen from another process,
//! and `gtcamp state list | show | rm` and `gtcamp import` through the CLI.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use gtcamp::compile::{ContentSummary, Fingerprint, OccurrenceKey};
use gtcamp::state::{Operation, Outcome, StateStore};
use predicates::prelude::*;
use predicates::str::contains;

const KEY: &str = "spring-sale@2026-12-01T10:00+08:00";
const BERLIN_KEY: &str = "berlin-sale@2026-12-01T10:00+01:00";

/// A workspace with only its settings, enough for the `state` commands.
fn bare_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gtcamp.yaml"),
        "kind: Workspace\nname: shop\napp_id: demo\n",
    )
    .unwrap();
    dir
}

fn store(dir: &Path) -> StateStore {
    StateStore::local(dir.join(".gtcamp/sandbox/state.json"))
}

fn create(key: &str, zone: &str, hour_utc: u32) -> Operation {
    Operation::CreateTask {
        key: OccurrenceKey(key.to_owned()),
        campaign: key.split('@').next().unwrap().to_owned(),
        group: "gc-0123456789abcdef".to_owned(),
        fingerprint: Fingerprint("ab".repeat(32)),
        push_time: Utc.with_ymd_and_hms(2026, 12, 1, hour_utc, 0, 0).unwrap(),
        timezone: zone.to_owned(),
        content: Box::new(ContentSummary {
            template_type: "notification".to_owned(),
            title: Some("Spring sale".to_owned()),
            ..ContentSummary::default()
        }),
        sent: Some(Default::default()),
        prepared: None,
        class: None,
    }
}

/// How long a test waits for a lock that nobody should hold: while another test of this
/// process forks a child, the child shares the open lock file for an instant (flock locks
/// belong to the open file, not the descriptor), so a lock just released can look held.
const FREE_LOCK_WAIT: Duration = Duration::from_secs(10);

/// Records two created tasks, as an apply would, and saves.
fn with_two_tasks(dir: &Path) {
    let locked = store(dir).lock(FREE_LOCK_WAIT, "test setup").unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        for (key, zone, hour, task) in [
            (KEY, "Asia/Shanghai", 2, "OSA-1201_spring"),
            (BERLIN_KEY, "Europe/Berlin", 9, "OSA-1201_berlin"),
        ] {
            let id = locked.begin(create(key, zone, hour)).await.unwrap();
            let created = Outcome::Created {
                task_id: task.to_owned(),
            };
            locked.finish(id, created).await.unwrap();
        }
        locked.save().await.unwrap();
    });
}

fn gtcamp(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("gtcamp").unwrap();
    command.current_dir(dir).env("NO_COLOR", "1");
    command
}

#[test]
fn a_second_process_waits_for_the_lock_then_names_the_holder() {
    let dir = bare_workspace();
    with_two_tasks(dir.path());
    let _held = store(dir.path())
        .lock(FREE_LOCK_WAIT, "gtcamp apply")
        .unwrap();
    gtcamp(dir.path())
        .args(["state", "list", "--lock-timeout", "1s"])
        .assert()
        .failure()
        .stderr(contains(format!("pid {}", std::process::id())))
        .stderr(contains("running `gtcamp apply`"))
        .stderr(contains(" UTC"))
        .stdout(contains(KEY).not());
}

#[test]
fn two_threads_take_the_lock_in_turn() {
    let dir = bare_workspace();
    let held = store(dir.path()).lock(FREE_LOCK_WAIT, "first").unwrap();
    let path = dir.path().to_path_buf();
    let (started, waiting) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let refused = matches!(
            store(&path).lock(Duration::ZERO, "second"),
            Err(gtcamp::state::Error::Locked { .. })
        );
        started.send(refused).unwrap();
        let locked = store(&path).lock(Duration::from_secs(30), "second")?;
        Ok::<_, gtcamp::state::Error>((locked.state().lineage, Instant::now()))
    });
    let lineage = held.state().lineage;
    let refused = waiting
        .recv_timeout(Duration::from_secs(30))
        .expect("the waiter thread runs within 30 s");
    assert!(refused, "the waiter got in while the lock was held");
    // Held a moment longer, so that the waiter is most likely polling when the lock is let
    // go; the checks hold however the threads are scheduled.
    std::thread::sleep(Duration::from_millis(200));
    let released = Instant::now();
    drop(held);
    let (seen, got_in) = waiter.join().unwrap().unwrap();
    assert_eq!(seen, lineage);
    assert!(
        got_in >= released,
        "the waiter got in before the holder let go"
    );
}

#[test]
fn state_list_shows_every_task_with_its_zone() {
    let dir = bare_workspace();
    with_two_tasks(dir.path());
    gtcamp(dir.path())
        .args(["state", "list"])
        .assert()
        .success()
        .stdout(contains(KEY))
        .stdout(contains("OSA-1201_spring"))
        .stdout(contains("2026-12-01 10:00 Asia/Shanghai"))
        .stdout(contains("2026-12-01 10:00 Europe/Berlin (17:00 Beijing)"))
        .stdout(contains("created"))
        .stdout(contains(
            "2 scheduled tasks, 0 list pushes, 0 phone bindings",
        ));
}

#[test]
fn state_list_as_json_has_one_entry_per_task() {
    let dir = bare_workspace();
    with_two_tasks(dir.path());
    let output = gtcamp(dir.path())
        .args(["state", "list", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let entries: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [BERLIN_KEY, KEY]);
    assert_eq!(entries[1]["task_id"], "OSA-1201_spring");
    assert_eq!(entries[1]["timezone"], "Asia/Shanghai");
    assert_eq!(entries[1]["status"], "created");
}

#[test]
fn state_list_without_state_says_nothing_was_applied() {
    let dir = bare_workspace();
    gtcamp(dir.path())
        .args(["state", "list"])
        .assert()
        .success()
        .stderr(contains("gtcamp has not applied anything here"));
    assert!(!dir.path().join(".gtcamp/sandbox/state.json").exists());
}

#[test]
fn state_show_prints_one_entry_as_json() {
    let dir = bare_workspace();
    with_two_tasks(dir.path());
    let output = gtcamp(dir.path())
        .args(["state", "show", KEY])
        .output()
        .unwrap();
    assert!(output.status.success());
    let entry: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(entry["key"], KEY);
    assert_eq!(entry["task_id"], "OSA-1201_spring");
    assert_eq!(entry["push_time"], "2026-12-01T02:00:00+00:00");
    assert_eq!(entry["content"]["title"], "Spring sale");
}

#[test]
fn state_show_of_an_unknown_key_fails_and_points_to_list() {
    let dir = bare_workspace();
    with_two_tasks(dir.path());
    gtcamp(dir.path())
        .args(["state", "show", "nope@2026-12-01T10:00+08:00"])
        .assert()
        .failure()
        .stderr(contains("is not in state"))
        .stderr(contains("gtcamp state list"));
}

#[test]
fn state_rm_forgets_an_entry_and_says_getui_was_not_touched() {
    let dir = bare_workspace();
    with_two_tasks(dir.path());
    let serial_before = store_serial(dir.path());
    gtcamp(dir.path())
        .args(["state", "rm", KEY])
        .assert()
        .success()
        .stderr(contains("Getui was not touched"))
        .stderr(contains("OSA-1201_spring"));
    gtcamp(dir.path())
        .args(["state", "list"])
        .assert()
        .success()
        .stdout(contains(KEY).not())
        .stdout(contains(BERLIN_KEY));
    assert_eq!(store_serial(dir.path()), serial_before + 1);
}

#[test]
fn state_commands_find_the_state_where_gtcamp_yaml_puts_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gtcamp.yaml"),
        "kind: Workspace\nname: shop\napp_id: demo\nstate:\n  path: records/state.json\n",
    )
    .unwrap();
    let locked = StateStore::local(dir.path().join("records/state.json"))
        .lock(FREE_LOCK_WAIT, "test setup")
        .unwrap();
    drop(locked);
    gtcamp(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["state", "list", "--dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(contains("0 scheduled tasks"));
}

fn store_serial(dir: &Path) -> u64 {
    let text = std::fs::read_to_string(dir.join(".gtcamp/sandbox/state.json")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&text).unwrap();
    state["serial"].as_u64().unwrap()
}

/// The example workspace, copied so that its `.gtcamp/` stays out of the repository.
fn example_workspace() -> tempfile::TempDir {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns");
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&source).unwrap();
        let target: PathBuf = dir.path().join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if !relative.starts_with(".gtcamp") {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

#[test]
fn import_adopts_a_task_that_waits_on_getui_and_refuses_one_that_does_not_exist() {
    // A week before the weekly digest's send of 4 December: it is inside the window.
    const NOW: &str = "2026-11-28T00:00:00Z";
    const EXAMPLE_KEY: &str = "weekly-digest@2026-12-04T20:00+08:00";
    let dir = example_workspace();
    let run = |args: &[&str]| {
        let mut command = gtcamp(dir.path());
        command.env("GTCAMP_NOW", NOW).args(args);
        command.assert()
    };
    run(&["apply", "--auto-approve"]).success();
    let shown = run(&["state", "show", EXAMPLE_KEY]).success();
    let entry: serde_json::Value = serde_json::from_slice(&shown.get_output().stdout).unwrap();
    let task_id = entry["task_id"].as_str().unwrap().to_owned();
    run(&["state", "rm", EXAMPLE_KEY]).success();

    run(&["import", EXAMPLE_KEY, "OSA-does-not-exist"])
        .failure()
        .stderr(contains("Target: sandbox"))
        .stderr(contains("OSA-does-not-exist"))
        .stderr(contains("no task with this id"));
    run(&["import", EXAMPLE_KEY, &task_id])
        .success()
        .stderr(contains("Imported"))
        .stderr(contains("2026-12-04 20:00 Asia/Shanghai"))
        .stderr(contains("the next plan replaces it"));
    let shown = run(&["state", "show", EXAMPLE_KEY]).success();
    let entry: serde_json::Value = serde_json::from_slice(&shown.get_output().stdout).unwrap();
    assert_eq!(entry["task_id"], task_id.as_str());
    assert_eq!(entry["fingerprint"], "imported");
    assert_eq!(entry["status"], "scheduled");
    run(&["import", EXAMPLE_KEY, &task_id])
        .failure()
        .stderr(contains("is already in state"));
    run(&["import", "not-a-campaign@2026-12-01T10:00+08:00", &task_id])
        .failure()
        .stderr(contains("is not an occurrence of this"));
}
