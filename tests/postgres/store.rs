//! The store itself, in process: the serial check that makes a lost update impossible, and
//! workspaces sharing a database without touching each other.

use std::time::Duration;

use gtcamp::compile::PhoneHash;
use gtcamp::model::{StateBackend, StateConfig};
use gtcamp::state::{Error, LockedState, Operation, Outcome, StateStore};

use crate::cluster::{fresh_database, query};

const NO_WAIT: Duration = Duration::from_millis(0);

fn store(url: &str, workspace: &str) -> StateStore {
    let config = StateConfig {
        backend: StateBackend::Postgres,
        workspace: Some(workspace.to_owned()),
        ..StateConfig::default()
    };
    let url = url.to_owned();
    // Intents left open here are left on purpose, not by a run that may still be calling.
    let env = move |variable: &str| match variable {
        "GTCAMP_PG_URL" => Some(url.clone()),
        gtcamp::state::IN_FLIGHT_GRACE_VAR => Some("0".to_owned()),
        _ => None,
    };
    StateStore::open(
        std::path::Path::new("."),
        &config,
        "unused",
        "sandbox",
        &env,
    )
    .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Binds `cid` through the journal (intent, then outcome), without saving.
fn bind(runtime: &tokio::runtime::Runtime, locked: &LockedState, cid: &str) {
    runtime.block_on(async {
        let pairs = vec![(cid.to_owned(), PhoneHash("0".repeat(32)))];
        let id = locked.begin(Operation::Bind { pairs }).await.unwrap();
        let outcome = Outcome::Bindings {
            done: vec![cid.to_owned()],
            refused: Vec::new(),
        };
        locked.finish(id, outcome).await.unwrap();
    });
}

#[test]
fn a_save_after_someone_else_wrote_the_row_fails_typed_and_loses_nothing() {
    let url = fresh_database();
    let store = store(&url, "shop");
    let runtime = runtime();
    let locked = store.lock(NO_WAIT, "test").unwrap();
    bind(&runtime, &locked, "c-1");
    // Someone writes the row without taking the lock.
    query(
        &url,
        "UPDATE gtcamp_state SET serial = serial + 5 WHERE workspace = 'shop/sandbox'",
    );
    let error = runtime.block_on(locked.save()).unwrap_err();
    match &error {
        Error::SerialConflict {
            workspace,
            expected,
            found,
            ..
        } => {
            assert_eq!((workspace.as_str(), *expected), ("shop/sandbox", 0));
            assert_eq!(found, "serial 5");
        }
        other => panic!("not a serial conflict: {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("someone else wrote the state")
            && message.contains("run the command again"),
        "{message}"
    );
    drop(locked);
    // The binding is still journaled: the next run has it.
    let next = store.lock(NO_WAIT, "test").unwrap();
    assert!(next.state().bindings.contains_key("c-1"));
    assert_eq!(next.state().serial, 5);
    runtime.block_on(next.save()).unwrap();
    assert_eq!(next.state().serial, 6);
}

#[test]
fn a_save_folds_the_journal_into_the_row_leaving_only_open_intents() {
    let url = fresh_database();
    let store = store(&url, "shop");
    let runtime = runtime();
    let locked = store.lock(NO_WAIT, "test").unwrap();
    bind(&runtime, &locked, "c-1");
    let open = runtime.block_on(async {
        let operation = Operation::Unbind {
            cids: vec!["c-9".to_owned()],
        };
        locked.begin(operation).await.unwrap()
    });
    runtime.block_on(locked.save()).unwrap();
    let journal = query(
        &url,
        "SELECT entry FROM gtcamp_journal WHERE workspace = 'shop/sandbox'",
    );
    assert_eq!(journal.len(), 1, "only the open intent stays: {journal:?}");
    drop(locked);
    let next = store.lock(NO_WAIT, "test").unwrap();
    let unresolved = next.unresolved();
    assert_eq!(unresolved.len(), 1);
    assert_eq!(unresolved[0].0, open);
    assert_eq!(next.state().serial, 1);
    assert!(next.state().bindings.contains_key("c-1"));
}

#[test]
fn two_workspaces_in_one_database_lock_and_save_independently() {
    let url = fresh_database();
    let (shop, news) = (store(&url, "shop"), store(&url, "news"));
    let runtime = runtime();
    let shop_locked = shop.lock(NO_WAIT, "gtcamp apply").unwrap();
    let news_locked = news
        .lock(NO_WAIT, "gtcamp apply")
        .expect("another workspace's lock does not block this one");
    bind(&runtime, &shop_locked, "c-1");
    runtime.block_on(shop_locked.save()).unwrap();
    runtime.block_on(news_locked.save()).unwrap();
    assert_ne!(shop_locked.state().lineage, news_locked.state().lineage);
    match shop.lock(NO_WAIT, "gtcamp plan") {
        Err(Error::Locked { holder }) => {
            assert!(holder.contains("running `gtcamp apply`"), "{holder}")
        }
        other => panic!("the held workspace should be locked: {:?}", other.err()),
    }
    drop((shop_locked, news_locked));
    let news_again = news.lock(NO_WAIT, "test").unwrap();
    assert!(news_again.state().bindings.is_empty());
    let shop_again = shop.lock(NO_WAIT, "test").unwrap();
    assert!(shop_again.state().bindings.contains_key("c-1"));
    assert_eq!(shop_again.state().serial, 1);
}

#[test]
fn concurrent_operations_share_journal_inserts_and_all_are_recorded() {
    let url = fresh_database();
    let store = store(&url, "shop");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let locked = store.lock(NO_WAIT, "test").unwrap();
    runtime.block_on(async {
        let begins = (0..200).map(|n| {
            let cids = vec![format!("c-{n}")];
            locked.begin(Operation::Unbind { cids })
        });
        for begun in futures::future::join_all(begins).await {
            begun.unwrap();
        }
    });
    let rows = query(
        &url,
        "SELECT count(*) FROM gtcamp_journal WHERE workspace = 'shop/sandbox'",
    );
    assert_eq!(rows[0][0].as_deref(), Some("200"));
    let inserts = locked.journal_syncs();
    eprintln!("200 intents journaled in {inserts} inserts");
    assert!(inserts < 200, "no group commit: {inserts} inserts");
    drop(locked);
    assert_eq!(store.lock(NO_WAIT, "test").unwrap().unresolved().len(), 200);
}
