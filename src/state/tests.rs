//! Unit tests for the local store: format, lock, atomic write, journal and group commit.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::compile::{ContentSummary, Fingerprint, OccurrenceKey, PhoneHash};
use crate::getui::api::{PreparedPush, TaskId};
use crate::model::MessageClass;

const NO_WAIT: Duration = Duration::from_millis(0);

fn store_in(dir: &Path) -> StateStore {
    StateStore::local(dir.join(".gtcamp").join("state.json"))
}

fn key(text: &str) -> OccurrenceKey {
    OccurrenceKey(text.to_owned())
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap()
}

fn create(occurrence: &str) -> Operation {
    Operation::CreateTask {
        key: key(occurrence),
        campaign: "spring-sale".to_owned(),
        group: "gc-0123456789".to_owned(),
        fingerprint: Fingerprint("f1".to_owned()),
        push_time: at(2),
        timezone: "Asia/Shanghai".to_owned(),
        content: Box::new(ContentSummary {
            template_type: "notification".to_owned(),
            title: Some("Spring sale".to_owned()),
            ..ContentSummary::default()
        }),
        sent: None,
        prepared: Some(PreparedPush::Request("0123456789abcdef".to_owned())),
        class: Some(MessageClass::Service),
    }
}

fn created(task_id: &str) -> Outcome {
    Outcome::Created {
        task_id: task_id.to_owned(),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Creates one task through the journal and saves.
fn state_with_one_task(store: &StateStore) -> State {
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let id = locked.begin(create("s@1")).await.unwrap();
        locked.finish(id, created("OSA-1")).await.unwrap();
        locked.save().await.unwrap();
    });
    locked.state()
}

#[test]
fn a_new_state_gets_a_fresh_lineage_and_serial_zero_written_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let first = store.lock(NO_WAIT, "test").unwrap().state();
    assert_eq!(first.serial, 0);
    assert_eq!(first.format_version, FORMAT_VERSION);
    assert!(uuid::Uuid::parse_str(&first.lineage).is_ok());
    let again = store.lock(NO_WAIT, "test").unwrap().state();
    assert_eq!(
        again.lineage, first.lineage,
        "the lineage must survive a run"
    );
    let other = store_in(tempfile::tempdir().unwrap().path())
        .lock(NO_WAIT, "test")
        .unwrap()
        .state();
    assert_ne!(other.lineage, first.lineage);
}

#[test]
fn state_round_trips_through_save_and_a_new_lock() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let saved = state_with_one_task(&store);
    assert_eq!(saved.serial, 1);
    let read = store.lock(NO_WAIT, "test").unwrap().state();
    assert_eq!(read, saved);
    let task = &read.tasks[&key("s@1")];
    assert_eq!(task.task_id, "OSA-1");
    assert_eq!(task.last_status, RemoteStatus::Created);
    assert_eq!(task.content.title.as_deref(), Some("Spring sale"));
}

#[test]
fn each_save_that_changes_something_adds_one_to_the_serial() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        locked.save().await.unwrap();
        assert_eq!(locked.state().serial, 0, "nothing changed: no new serial");
        let id = locked.begin(create("s@1")).await.unwrap();
        locked.finish(id, created("OSA-1")).await.unwrap();
        locked.save().await.unwrap();
        assert_eq!(locked.state().serial, 1);
        let id = locked.begin(create("s@2")).await.unwrap();
        locked.finish(id, created("OSA-2")).await.unwrap();
        locked.save().await.unwrap();
    });
    drop(locked);
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.contains("\"serial\":2"), "{text}");
}

#[test]
fn state_written_by_a_newer_gtcamp_is_refused_naming_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    std::fs::create_dir_all(dir.path().join(".gtcamp")).unwrap();
    let newer = format!(
        r#"{{"format_version": {}, "lineage": "x", "serial": 3}}"#,
        FORMAT_VERSION + 1
    );
    std::fs::write(store.path(), newer).unwrap();
    let Err(error) = store.lock(NO_WAIT, "test") else {
        panic!("a newer state must be refused");
    };
    let message = error.to_string();
    assert!(message.contains("written by a newer gtcamp"), "{message}");
    assert!(message.contains(&format!("state format {}", FORMAT_VERSION + 1)));
}

#[test]
fn unknown_fields_in_state_are_tolerated() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    std::fs::create_dir_all(dir.path().join(".gtcamp")).unwrap();
    let text = r#"{"format_version": 1, "lineage": "abc", "serial": 7, "added_later": [1, 2]}"#;
    std::fs::write(store.path(), text).unwrap();
    let state = store.lock(NO_WAIT, "test").unwrap().state();
    assert_eq!((state.lineage.as_str(), state.serial), ("abc", 7));
}

#[test]
fn a_state_file_that_is_not_json_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    std::fs::create_dir_all(dir.path().join(".gtcamp")).unwrap();
    std::fs::write(store.path(), "{ not json").unwrap();
    let Err(error) = store.lock(NO_WAIT, "test") else {
        panic!("garbage must be refused");
    };
    assert!(error.to_string().contains("is not a gtcamp state file"));
}

#[test]
fn a_failed_write_leaves_the_old_state_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    state_with_one_task(&store);
    let before = std::fs::read_to_string(store.path()).unwrap();
    // A folder where the temporary file must go makes the write fail before the rename.
    std::fs::create_dir(file::temp_path(store.path())).unwrap();
    let locked = store.lock(NO_WAIT, "test").unwrap();
    let result = runtime().block_on(async {
        let id = locked.begin(create("s@2")).await.unwrap();
        locked.finish(id, created("OSA-2")).await.unwrap();
        locked.save().await
    });
    assert!(matches!(result, Err(Error::Io { .. })), "{result:?}");
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), before);
    drop(locked);
    // The journal still holds the outcome: nothing is lost.
    std::fs::remove_dir(file::temp_path(store.path())).unwrap();
    let state = store.lock(NO_WAIT, "test").unwrap().state();
    assert!(state.tasks.contains_key(&key("s@2")));
}

#[test]
fn a_second_lock_waits_then_fails_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let _held = store.lock(NO_WAIT, "gtcamp apply").unwrap();
    let Err(error) = store.lock(Duration::from_millis(200), "gtcamp plan") else {
        panic!("the state is locked");
    };
    assert!(matches!(error, Error::Locked { .. }));
    let message = error.to_string();
    assert!(
        message.contains(&format!("pid {}", std::process::id())),
        "{message}"
    );
    assert!(message.contains("on host `"), "{message}");
    assert!(message.contains(" UTC"), "{message}");
    assert!(message.contains("running `gtcamp apply`"), "{message}");
}

#[test]
fn a_waiting_lock_gets_in_once_the_holder_lets_go() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let held = store.lock(NO_WAIT, "first").unwrap();
    let (started, waiting) = std::sync::mpsc::channel();
    let waiter = {
        let store = store.clone();
        std::thread::spawn(move || {
            let refused = matches!(store.lock(NO_WAIT, "second"), Err(Error::Locked { .. }));
            started.send(refused).unwrap();
            store
                .lock(Duration::from_secs(30), "second")
                .map(|_| Instant::now())
        })
    };
    let refused = waiting
        .recv_timeout(Duration::from_secs(30))
        .expect("the waiter thread runs within 30 s");
    assert!(refused, "a second lock got in while the first was held");
    // Held a moment longer, so that the waiter is most likely polling when the lock is let
    // go; the checks hold however the threads are scheduled.
    std::thread::sleep(Duration::from_millis(100));
    let released = Instant::now();
    drop(held);
    let got_in = waiter.join().unwrap().expect("the waiter gets the lock");
    assert!(
        got_in >= released,
        "the waiter got in before the holder let go"
    );
}

#[test]
fn a_crash_after_journaling_is_recovered_by_replay() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let id = locked.begin(create("s@1")).await.unwrap();
        locked.finish(id, created("OSA-1")).await.unwrap();
        locked.begin(create("s@2")).await.unwrap();
    });
    // Dropped without save: as if the process died here.
    drop(locked);
    let recovered = store.lock(NO_WAIT, "test").unwrap();
    let state = recovered.state();
    assert_eq!(state.tasks[&key("s@1")].task_id, "OSA-1");
    assert!(!state.tasks.contains_key(&key("s@2")));
    let unresolved = recovered.unresolved();
    assert_eq!(unresolved.len(), 1);
    assert_eq!(unresolved[0].1, create("s@2"));
    // Resolving it (as apply does after a group-name lookup) records the task.
    runtime().block_on(async {
        recovered
            .finish(unresolved[0].0, created("OSA-2"))
            .await
            .unwrap();
        recovered.save().await.unwrap();
    });
    drop(recovered);
    let again = store.lock(NO_WAIT, "test").unwrap();
    assert!(again.unresolved().is_empty());
    assert_eq!(again.state().tasks[&key("s@2")].task_id, "OSA-2");
}

#[test]
fn an_unknown_outcome_stays_unresolved_for_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let id = locked.begin(create("s@1")).await.unwrap();
        let lost = Outcome::Unknown {
            message: "timed out".to_owned(),
        };
        locked.finish(id, lost).await.unwrap();
        locked.save().await.unwrap();
    });
    drop(locked);
    let next = store.lock(NO_WAIT, "test").unwrap();
    assert_eq!(next.unresolved().len(), 1, "save must keep open intents");
    assert!(next.state().tasks.is_empty());
}

#[test]
fn replaying_a_journal_the_state_already_holds_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let id = locked.begin(create("s@1")).await.unwrap();
        locked.finish(id, created("OSA-1")).await.unwrap();
    });
    let journal = std::fs::read(store.journal_path()).unwrap();
    runtime().block_on(locked.save()).unwrap();
    let saved = locked.state();
    drop(locked);
    // A crash between writing the state and emptying the journal leaves both.
    std::fs::write(store.journal_path(), journal).unwrap();
    let replayed = store.lock(NO_WAIT, "test").unwrap();
    assert_eq!(replayed.state(), saved);
    assert!(replayed.unresolved().is_empty());
}

#[test]
fn a_torn_last_journal_line_is_ignored_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let id = locked.begin(create("s@1")).await.unwrap();
        locked.finish(id, created("OSA-1")).await.unwrap();
    });
    drop(locked);
    let mut journal = std::fs::read(store.journal_path()).unwrap();
    journal.extend_from_slice(br#"{"entry":"intent","id":3,"at":"2026-12-"#);
    std::fs::write(store.journal_path(), &journal).unwrap();

    let recovered = store.lock(NO_WAIT, "test").unwrap();
    assert_eq!(recovered.notes().len(), 1);
    assert!(recovered.notes()[0].contains("cut off by a crash"));
    assert!(recovered.state().tasks.contains_key(&key("s@1")));
    // The journal goes on working after the cut.
    runtime().block_on(async {
        let id = recovered.begin(create("s@2")).await.unwrap();
        recovered.finish(id, created("OSA-2")).await.unwrap();
    });
    drop(recovered);
    let state = store.lock(NO_WAIT, "test").unwrap().state();
    assert_eq!(state.tasks.len(), 2);
}

#[test]
fn a_broken_line_before_the_last_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    drop(store.lock(NO_WAIT, "test").unwrap());
    std::fs::write(store.journal_path(), "garbage\n{\"also\": 1}\n").unwrap();
    let Err(error) = store.lock(NO_WAIT, "test") else {
        panic!("a broken journal must not be half read");
    };
    let message = error.to_string();
    assert!(message.contains("state.journal"), "{message}");
    assert!(message.contains("line 1"), "{message}");
}

#[test]
fn finishing_an_operation_that_never_began_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let locked = store_in(dir.path()).lock(NO_WAIT, "test").unwrap();
    let result = runtime().block_on(locked.finish(OpId(99), Outcome::Deleted));
    assert!(matches!(result, Err(Error::NoOpenIntent(99))), "{result:?}");
}

#[test]
fn concurrent_operations_share_fsyncs() {
    const OPERATIONS: usize = 1_000;
    let dir = tempfile::tempdir().unwrap();
    let locked = store_in(dir.path()).lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let operations = (0..OPERATIONS).map(|n| {
            let locked = &locked;
            async move {
                let id = locked.begin(create(&format!("s@{n}"))).await.unwrap();
                locked
                    .finish(id, created(&format!("OSA-{n}")))
                    .await
                    .unwrap();
            }
        });
        futures::future::join_all(operations).await;
    });
    assert_eq!(locked.state().tasks.len(), OPERATIONS);
    let syncs = locked.journal_syncs();
    // One fsync per line would be 2,000; batching makes it a handful.
    assert!(
        syncs < (OPERATIONS / 10) as u64,
        "{syncs} fsyncs for {OPERATIONS} operations"
    );
}

#[test]
fn deleting_a_task_removes_it_and_a_sent_one_moves_to_history() {
    let dir = tempfile::tempdir().unwrap();
    let locked = store_in(dir.path()).lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        for (n, outcome) in [
            Outcome::Deleted,
            Outcome::AlreadyGone {
                status: RemoteStatus::Sent,
            },
        ]
        .into_iter()
        .enumerate()
        {
            let occurrence = format!("s@{n}");
            let id = locked.begin(create(&occurrence)).await.unwrap();
            locked
                .finish(id, created(&format!("OSA-{n}")))
                .await
                .unwrap();
            let delete = Operation::DeleteTask {
                key: key(&occurrence),
                task_id: format!("OSA-{n}"),
            };
            let id = locked.begin(delete).await.unwrap();
            locked.finish(id, outcome).await.unwrap();
        }
    });
    let state = locked.state();
    assert!(state.tasks.is_empty());
    assert_eq!(state.history.len(), 1);
    assert_eq!(state.history[0].key, key("s@1"));
    assert_eq!(state.history[0].status, RemoteStatus::Sent);
}

#[test]
fn fired_and_missed_list_pushes_are_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let locked = store_in(dir.path()).lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let fire = Operation::FireListPush {
            key: key("vip@1"),
            campaign: "vip".to_owned(),
            group: "gc-1".to_owned(),
            due_at: at(1),
            prepared: Some(PreparedPush::Task(TaskId("OSL-1".to_owned()))),
            class: Some(MessageClass::Marketing),
            audience: Some("2 cids".to_owned()),
        };
        let id = locked.begin(fire).await.unwrap();
        let fired = Outcome::Fired {
            task_id: Some("OSL-1".to_owned()),
        };
        locked.finish(id, fired).await.unwrap();
        let missed = Operation::RecordMissed {
            key: key("vip@2"),
            campaign: "vip".to_owned(),
            due_at: at(2),
        };
        let id = locked.begin(missed).await.unwrap();
        locked.finish(id, Outcome::Recorded).await.unwrap();
    });
    let state = locked.state();
    assert_eq!(state.fired[&key("vip@1")].outcome, FireOutcome::Fired);
    assert_eq!(state.fired[&key("vip@1")].task_id.as_deref(), Some("OSL-1"));
    assert_eq!(state.fired[&key("vip@2")].outcome, FireOutcome::Missed);
    assert_eq!(state.history.len(), 1, "only the fired one was sent");
    let sent = &state.history[0];
    assert_eq!(sent.group.as_deref(), Some("gc-1"));
    assert_eq!(sent.class, Some(MessageClass::Marketing));
    assert_eq!(sent.audience.as_deref(), Some("2 cids"));
    assert_eq!(sent.kind, Some(SendKind::List));
}

fn pn(n: u8) -> PhoneHash {
    PhoneHash(format!("{n:032x}"))
}

#[test]
fn bindings_record_only_the_cids_getui_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let locked = store_in(dir.path()).lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let bind = Operation::Bind {
            pairs: vec![
                ("c1".into(), pn(1)),
                ("c2".into(), pn(2)),
                ("c3".into(), pn(3)),
            ],
        };
        let id = locked.begin(bind).await.unwrap();
        let outcome = Outcome::Bindings {
            done: vec!["c1".into(), "c3".into()],
            refused: vec![("c2".into(), "1".into())],
        };
        locked.finish(id, outcome).await.unwrap();
        let unbind = Operation::Unbind {
            cids: vec!["c1".into()],
        };
        let id = locked.begin(unbind).await.unwrap();
        let outcome = Outcome::Bindings {
            done: vec!["c1".into()],
            refused: vec![],
        };
        locked.finish(id, outcome).await.unwrap();
    });
    let bindings = locked.state().bindings;
    assert_eq!(bindings.keys().collect::<Vec<_>>(), ["c3"]);
    assert_eq!(bindings["c3"].pn_md5, pn(3));
}

#[test]
fn history_forgets_sends_older_than_the_retention_window() {
    let mut state = file::fresh();
    for minutes in [0, 10, 20] {
        let entry = HistoryEntry {
            key: key(&format!("s@{minutes}")),
            campaign: "s".to_owned(),
            task_id: None,
            push_time: at(minutes),
            status: RemoteStatus::Sent,
            recorded_at: at(minutes),
            group: None,
            class: None,
            audience: None,
            kind: None,
        };
        push_history(&mut state, entry);
    }
    assert!(forget_history_before(&mut state, at(10)));
    let kept: Vec<_> = state.history.iter().map(|e| e.key.0.as_str()).collect();
    assert_eq!(kept, ["s@10", "s@20"]);
    assert!(
        !forget_history_before(&mut state, at(10)),
        "nothing more to forget"
    );
}

#[test]
fn saving_forgets_the_sends_before_the_retention_window_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let locked = store.lock(NO_WAIT, "test").unwrap();
    let mut state = locked.state();
    for hour in [1, 2] {
        state.history.push(HistoryEntry {
            key: key(&format!("sale@{hour}")),
            campaign: "sale".to_owned(),
            task_id: Some(format!("OSA-{hour}")),
            push_time: at(hour),
            status: RemoteStatus::Sent,
            recorded_at: at(hour),
            group: None,
            class: None,
            audience: None,
            kind: None,
        });
    }
    runtime().block_on(async {
        locked.replace(state).await.unwrap();
        locked.save_forgetting_sends_before(at(2)).await.unwrap();
    });
    drop(locked);
    let state = store.lock(NO_WAIT, "test").unwrap().state();
    let kept: Vec<_> = state.history.iter().map(|e| e.key.0.as_str()).collect();
    assert_eq!(kept, ["sale@2"]);
}

#[test]
fn a_state_written_before_reports_reads_with_its_sends_unlabelled() {
    let text = r#"{"format_version":1,"lineage":"l","serial":3,
        "tasks":{"sale@1":{"campaign":"sale","task_id":"OSA-1","fingerprint":"f","push_time":"2026-12-01T01:00:00Z",
          "timezone":"Asia/Shanghai","group":"gc-1","created_at":"2026-11-30T01:00:00Z","last_status":"created",
          "content":{"template_type":"notification","audience":"all users","delivery":"offline 2 h"}}},
        "history":[{"key":"sale@0","campaign":"sale","task_id":"OSA-0","push_time":"2026-11-30T01:00:00Z",
          "status":"sent","recorded_at":"2026-11-30T02:00:00Z"}]}"#;
    let state: State = serde_json::from_str(text).expect("an earlier state reads");
    let sent = &state.history[0];
    assert_eq!(
        (sent.group.as_ref(), sent.class, sent.kind),
        (None, None, None)
    );
    assert_eq!(state.tasks[&key("sale@1")].class, None);
}

#[test]
fn replace_keeps_the_lineage_and_saves_with_the_next_serial() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let saved = state_with_one_task(&store);
    let locked = store.lock(NO_WAIT, "test").unwrap();
    let mut edited = locked.state();
    edited.tasks.clear();
    edited.lineage = "someone else's".to_owned();
    runtime().block_on(locked.replace(edited)).unwrap();
    drop(locked);
    let state = store.lock(NO_WAIT, "test").unwrap().state();
    assert!(state.tasks.is_empty());
    assert_eq!(state.lineage, saved.lineage);
    assert_eq!(state.serial, saved.serial + 1);
}

#[test]
fn the_lock_journal_and_temp_file_sit_beside_the_state() {
    let store = StateStore::local(PathBuf::from("ws/.gtcamp/state.json"));
    assert_eq!(store.lock_path(), Path::new("ws/.gtcamp/state.json.lock"));
    assert_eq!(store.journal_path(), Path::new("ws/.gtcamp/state.journal"));
    assert_eq!(
        file::temp_path(store.path()),
        Path::new("ws/.gtcamp/.state.json.tmp")
    );
}

#[test]
fn a_replacement_replayed_over_a_saved_state_keeps_the_new_task() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    state_with_one_task(&store);
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let delete = Operation::DeleteTask {
            key: key("s@1"),
            task_id: "OSA-1".to_owned(),
        };
        let id = locked.begin(delete).await.unwrap();
        locked.finish(id, Outcome::Deleted).await.unwrap();
        let id = locked.begin(create("s@1")).await.unwrap();
        locked.finish(id, created("OSA-new")).await.unwrap();
    });
    let journal = std::fs::read(store.journal_path()).unwrap();
    runtime().block_on(locked.save()).unwrap();
    drop(locked);
    // A crash before the journal was emptied: the whole replacement replays over its result.
    std::fs::write(store.journal_path(), journal).unwrap();
    let state = store.lock(NO_WAIT, "test").unwrap().state();
    assert_eq!(state.tasks[&key("s@1")].task_id, "OSA-new");
}

#[test]
fn deleting_another_task_id_leaves_the_tracked_task_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    state_with_one_task(&store);
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let delete = Operation::DeleteTask {
            key: key("s@1"),
            task_id: "OSA-stranger".to_owned(),
        };
        let id = locked.begin(delete).await.unwrap();
        let gone = Outcome::AlreadyGone {
            status: RemoteStatus::Sent,
        };
        locked.finish(id, gone).await.unwrap();
    });
    let state = locked.state();
    assert_eq!(state.tasks[&key("s@1")].task_id, "OSA-1");
    assert!(state.history.is_empty());
}

#[test]
fn the_same_send_enters_history_once() {
    let mut state = file::fresh();
    let entry = HistoryEntry {
        key: key("s@1"),
        campaign: "s".to_owned(),
        task_id: Some("OSA-1".to_owned()),
        push_time: at(0),
        status: RemoteStatus::Sent,
        recorded_at: at(0),
        group: None,
        class: None,
        audience: None,
        kind: None,
    };
    push_history(&mut state, entry.clone());
    push_history(&mut state, entry);
    assert_eq!(state.history.len(), 1);
}

#[test]
fn a_journal_cut_at_any_byte_of_its_last_line_replays_without_loss_or_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime().block_on(async {
        let id = locked.begin(create("s@1")).await.unwrap();
        locked.finish(id, created("OSA-1")).await.unwrap();
        let id = locked.begin(create("s@2")).await.unwrap();
        locked.finish(id, created("OSA-2")).await.unwrap();
    });
    drop(locked);
    let journal = std::fs::read(store.journal_path()).unwrap();
    let last_line_start = journal[..journal.len() - 1]
        .iter()
        .rposition(|byte| *byte == b'\n')
        .unwrap()
        + 1;
    for cut in last_line_start..journal.len() {
        std::fs::write(store.journal_path(), &journal[..cut]).unwrap();
        let recovered = store.lock(NO_WAIT, "test").unwrap();
        let state = recovered.state();
        assert_eq!(state.tasks[&key("s@1")].task_id, "OSA-1", "cut at {cut}");
        // Without its outcome line, the second create is open: looked up, never redone.
        let open: Vec<_> = recovered
            .unresolved()
            .into_iter()
            .map(|(_, op)| op)
            .collect();
        match state.tasks.get(&key("s@2")) {
            Some(task) => assert_eq!(task.task_id, "OSA-2", "cut at {cut}"),
            None => assert_eq!(open, [create("s@2")], "cut at {cut}"),
        }
    }
}

#[test]
fn a_snapshot_keeps_what_it_saw_while_the_state_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let locked = store_in(dir.path()).lock(NO_WAIT, "test").unwrap();
    let before = locked.snapshot();
    runtime().block_on(async {
        let id = locked.begin(create("s@1")).await.unwrap();
        locked.finish(id, created("OSA-1")).await.unwrap();
    });
    assert!(before.tasks.is_empty());
    assert_eq!(locked.snapshot().tasks.len(), 1);
    assert_eq!(*locked.snapshot(), locked.state());
}

#[test]
fn state_file_stores_each_binding_as_its_phone_hash_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut state = file::fresh();
    state
        .bindings
        .insert("c1".to_owned(), TrackedBinding::new(pn(1)));
    file::write(&path, &state).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(&format!(r#""bindings":{{"c1":"{}"}}"#, pn(1).0)),
        "{text}"
    );
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
    assert_eq!(file::read(&path).unwrap(), Some(state));
}

#[test]
fn state_file_with_bindings_written_as_objects_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let old = format!(
        r#"{{"format_version": 1, "lineage": "l", "serial": 3,
            "bindings": {{"c1": {{"pn_md5": "{}", "fingerprint": "ff"}}}}}}"#,
        pn(1).0
    );
    std::fs::write(&path, old).unwrap();
    let state = file::read(&path).unwrap().unwrap();
    assert_eq!(state.bindings["c1"].pn_md5, pn(1));
    assert_eq!(state.serial, 3);
}
