//! The whole pipeline under hostile input (issue 12): generated workspaces go through load,
//! check, lint, compile, plan (without and with a refresh against the embedded emulator),
//! apply, every plan renderer and the calendar, and nothing may panic. The same generator
//! and driver back the `cargo fuzz` target in `fuzz/`, which runs far longer, outside CI.

mod drive;
mod generate;

use proptest::prelude::*;

use drive::Reached;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    // A fixed budget: about a minute in a debug build on two cores. `cargo fuzz run
    // pipeline` (see docs/contributing.md) runs the same generator for as long as one likes.
    #![proptest_config(ProptestConfig {
        cases: 1024,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_workspace_makes_the_pipeline_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        drive::watch_panics();
        let _ = drive::panicked();
        let runtime = runtime();
        drive::case(&bytes, &runtime);
        prop_assert!(!drive::panicked(), "a thread panicked (see its message above)");
    }
}

/// The generator must reach every stage, or the property above proves little: over a
/// fixed set of seeds, some workspaces are refused by check and some are planned.
#[test]
fn generated_workspaces_reach_every_stage() {
    let runtime = runtime();
    let mut reached = std::collections::BTreeMap::new();
    for seed in 0..48u32 {
        // xorshift64: fixed, varied bytes without a random number generator.
        let mut x = u64::from(seed).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let bytes: Vec<u8> = (0..1024)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x.to_le_bytes()[0]
            })
            .collect();
        *reached.entry(drive::case(&bytes, &runtime)).or_insert(0) += 1;
    }
    // Each stage by a fair share: 48 seeds, at least 8 of each.
    assert!(reached.get(&Reached::Invalid) >= Some(&8), "{reached:?}");
    assert!(reached.get(&Reached::Planned) >= Some(&8), "{reached:?}");
    eprintln!("stages reached: {reached:?}");
}

/// Issue 12's example: a push-ahead window of 100,000,000 days used to panic in diff.
#[test]
fn an_absurd_push_ahead_is_a_diagnostic_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let files = vec![(
        "gtcamp.yaml".to_owned(),
        "kind: Workspace\nname: w\napp_id: demo\ntargets:\n  sandbox:\n    type: sandbox\n    max_push_ahead: 100000000d\n".to_owned(),
    )];
    drive::write(dir.path(), &files).unwrap();
    let reached = drive::run(dir.path(), drive::nows()[0], 7, &runtime());
    assert_eq!(reached, Reached::Invalid);
}
