//! What keeps a push from being sent twice or stale: saved plans refused when stale, the
//! state lock, crash recovery through the journal, and faults on every kind of call (the
//! last two on both backends).

use chrono::Duration;
use gtcamp::emulator::{FaultKind, FaultRule, FaultSpec};

use crate::harness::{
    Backend, World, bindings, cid, devices, held_keys, held_lines, on_both_backends, one_off,
    write_busy_workspace,
};

#[test]
fn saved_plan_is_applied_when_nothing_moved() {
    let world = World::new(devices(3));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    world.run(&["plan", "-o", "plan.json"]).expect(0);
    let run = world.run(&["apply", "plan.json"]).expect(0);
    assert!(run.stdout.contains("Apply complete!"), "{}", run.stdout);
    assert_eq!(world.waiting().len(), 1);
}

#[test]
fn saved_plan_is_refused_when_the_inputs_changed() {
    let world = World::new(devices(3));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    world.run(&["plan", "-o", "plan.json"]).expect(0);
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Other"),
    );
    let run = world.run(&["apply", "plan.json"]).expect(1);
    assert!(
        run.stderr
            .contains("the workspace changed since the plan was made"),
        "{}",
        run.stderr
    );
    assert!(world.waiting().is_empty());
}

#[test]
fn saved_plan_is_refused_when_the_state_changed() {
    let world = World::new(devices(3));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    world.run(&["plan", "-o", "plan.json"]).expect(0);
    world.apply().expect(0);
    let run = world.run(&["apply", "plan.json"]).expect(1);
    assert!(
        run.stderr
            .contains("the state changed since the plan was made"),
        "{}",
        run.stderr
    );
    assert_eq!(world.waiting().len(), 1);
}

#[test]
fn saved_plan_is_refused_once_an_occurrence_is_inside_the_lead_time() {
    let world = World::new(devices(3));
    world.write(
        "soon.yaml",
        &one_off("soon", "2030-01-07T08:30:00+08:00", "Soon"),
    );
    world.run(&["plan", "-o", "plan.json"]).expect(0);
    world.advance(Duration::minutes(25));
    let run = world.run(&["apply", "plan.json"]).expect(1);
    assert!(
        run.stderr.contains("inside the lead time"),
        "{}",
        run.stderr
    );
    assert!(world.waiting().is_empty());
}

#[test]
fn apply_off_a_terminal_refuses_without_auto_approve() {
    let world = World::new(devices(3));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    let run = world.run(&["apply"]).expect(1);
    assert!(run.stderr.contains("--auto-approve"), "{}", run.stderr);
    assert!(world.waiting().is_empty());
}

#[test]
fn real_target_names_the_missing_credential() {
    let world = World::new(devices(3));
    let output = world
        .command(&["plan"])
        .env_remove("GETUI_MASTER_SECRET")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("GETUI_MASTER_SECRET"), "{stderr}");
    assert!(!stderr.contains("demo-key"), "{stderr}");
}

#[test]
fn two_concurrent_applies_create_each_task_once() {
    let world = World::new(devices(3));
    for n in 0..5 {
        let at = format!("2030-01-{:02}T12:00:00+08:00", n + 8);
        world.write(&format!("c{n}.yaml"), &one_off(&format!("c{n}"), &at, "Hi"));
    }
    let spawn = || {
        let mut command = std::process::Command::new(assert_cmd::cargo_bin!("gtcamp"));
        command
            .args(["apply", "--auto-approve"])
            .current_dir(world.dir())
            .env("GETUI_APP_KEY", "demo-key")
            .env("GETUI_MASTER_SECRET", "demo-secret")
            .env("NO_COLOR", "1")
            .env(gtcamp::clock::NOW_VAR, world.now().to_rfc3339())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command.spawn().expect("gtcamp starts")
    };
    let first = spawn();
    let second = spawn();
    let first = first.wait_with_output().unwrap();
    let second = second.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    assert_eq!(second.status.code(), Some(0), "{second:?}");
    assert_eq!(world.waiting().len(), 5);
    world.assert_no_duplicates();
    world.plan().expect(0);
}

/// Two scheduled pushes, one due list push and 60 bindings: every kind of journaled call.
fn busy_world(backend: Backend) -> World {
    let world = World::on(backend, devices(60));
    write_busy_workspace(&world);
    world
}

#[track_caller]
fn assert_converged(world: &World) {
    world.assert_no_duplicates();
    assert_eq!(world.waiting().len(), 2);
    assert_eq!(
        world.snapshot().list_pushes.len(),
        1,
        "the list push fired once"
    );
    assert_eq!(world.snapshot().bindings.len(), 60, "no binding lost");
    world.plan().expect(0);
}

on_both_backends! {
    fn a_crash_at_any_journal_step_converges_on_the_next_run(backend) {
        // 5 operations (2 creates, 1 fire, 2 binding batches), each journaled twice.
        for step in 1..=10 {
            let world = busy_world(backend);
            let crashed = world
                .command(&["apply", "--auto-approve"])
                .env(gtcamp::apply::CRASH_VAR, step.to_string())
                .output()
                .unwrap();
            assert_ne!(
                crashed.status.code(),
                Some(0),
                "step {step}: the applier should have crashed"
            );
            let rerun = world.apply();
            // Only the fire can be held: its push may have left before the crash, and only
            // its report, or a person, can tell.
            for key in held_keys(&rerun.stderr) {
                assert!(key.starts_with("vip@"), "step {step}: {rerun:?}");
            }
            let rerun = world.settle_held(rerun);
            assert_eq!(rerun.code, Some(0), "step {step}: {rerun:?}");
            assert_converged(&world);
        }
        // Ten steps are all there are: a switch set past them never fires.
        let world = busy_world(backend);
        world
            .command(&["apply", "--auto-approve"])
            .env(gtcamp::apply::CRASH_VAR, "11")
            .assert()
            .code(0);
        assert_converged(&world);
    }
}

on_both_backends! {
    fn faults_on_every_kind_of_call_are_reported_and_a_rerun_converges(backend) {
        let world = busy_world(backend);
        let rules = [
            FaultKind::Http5xx,
            FaultKind::Reset,
            FaultKind::Timeout,
            FaultKind::FlowExceeded,
            FaultKind::CommitDrop,
        ]
        .into_iter()
        .map(|kind| FaultRule::new(kind, 0.1, None))
        .collect();
        world.set_faults(FaultSpec {
            rules,
            seed: Some(7),
        });
        // Lost answers are settled from what Getui documents and what did not land is sent
        // again within the run, so a bad day costs a run or two, not twenty; a run that fails
        // says why. Runs are ten minutes apart, so Getui's reports catch up in between.
        let mut runs = 0;
        let mut last = None;
        let converged = (1..=3).any(|_| {
            runs += 1;
            let run = world.apply();
            if run.code != Some(0) {
                let said = run.stderr.contains("Error:") || !held_lines(&run.stderr).is_empty();
                assert!(said, "{}", run.stderr);
            }
            world.advance(chrono::Duration::minutes(10));
            let done = run.code == Some(0);
            last = Some(run);
            done
        });
        world.set_faults(FaultSpec::default());
        if !converged {
            let run = last.expect("a run");
            assert!(
                !held_lines(&run.stderr).is_empty() && !run.stderr.contains("Error:"),
                "apply did not converge in {runs} runs under 10% faults: {run:?}"
            );
            world.settle_held(run).expect(0);
        }
        assert_converged(&world);
    }
}

#[test]
fn ctrl_c_and_sigterm_finish_the_call_in_flight_save_and_exit_130_or_143() {
    // SIGTERM is what CI systems send on cancel: handled as Ctrl-C is, with its own code.
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        stop_finishes_the_call_in_flight(signal, code);
    }
}

fn stop_finishes_the_call_in_flight(signal: &str, code: i32) {
    let world = World::new(devices(3));
    for n in 0..3 {
        let at = format!("2030-01-{:02}T12:00:00+08:00", n + 8);
        world.write(&format!("c{n}.yaml"), &one_off(&format!("c{n}"), &at, "Hi"));
    }
    world.emulator().set_latency(gtcamp::emulator::Latency {
        fixed: std::time::Duration::from_millis(700),
        jitter: std::time::Duration::ZERO,
    });
    let child = apply_until_journaled(&world, &["--parallelism", "1"], &[]);
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(code), "{signal}: {stdout}");
    assert!(stdout.contains("Apply interrupted"), "{stdout}");
    let created = world.waiting().len();
    assert!(created < 3, "Ctrl-C should stop new operations");
    let tracked = world.state()["tasks"].as_object().map_or(0, |t| t.len());
    assert_eq!(tracked, created, "what was created is saved in state");
    world
        .emulator()
        .set_latency(gtcamp::emulator::Latency::default());
    world.apply().expect(0);
    assert_eq!(world.waiting().len(), 3);
    world.assert_no_duplicates();
}

#[test]
fn a_refused_create_names_campaign_occurrence_and_getui_code_and_other_work_goes_on() {
    let world = World::new(devices(3));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    world.write("phones.yaml", &bindings(&[cid(0)], "p"));
    world.set_faults(FaultSpec {
        rules: vec![FaultRule::new(
            FaultKind::FlowExceeded,
            1.0,
            Some("pushMessageToAppAction"),
        )],
        seed: Some(1),
    });
    let run = world.apply().expect(1);
    assert!(
        run.stderr.contains(
            "Error: campaign `promo`, promo@2030-01-09T12:00+08:00 (2030-01-09 12:00 Asia/Shanghai): Getui code flow_exceeded"
        ),
        "{}",
        run.stderr
    );
    assert!(world.waiting().is_empty());
    assert_eq!(
        world.snapshot().bindings.len(),
        1,
        "the binding still went through"
    );
    world.set_faults(FaultSpec::default());
    world.apply().expect(0);
    assert_eq!(world.waiting().len(), 1);
}

#[test]
fn a_run_waiting_for_the_lock_gives_up_naming_the_holder() {
    let world = World::new(devices(3));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    let store = gtcamp::state::StateStore::local(world.dir().join(crate::harness::STATE_FILE));
    let held = store
        .lock(std::time::Duration::from_secs(5), "the test")
        .expect("the test takes the lock");
    let run = world.run(&["plan", "--lock-timeout", "1s"]).expect(1);
    assert!(run.stderr.contains("locked by"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&std::process::id().to_string()),
        "{}",
        run.stderr
    );
    drop(held);
    world.plan().expect(2);
}

on_both_backends! {
    fn a_crash_at_any_step_of_a_replace_cancel_and_rebind_converges_on_the_next_run(backend) {
        let all: Vec<String> = (0..60).map(cid).collect();
        // 5 operations (the replace's cancel and create, a cancel, a bind and an unbind batch),
        // each journaled twice.
        for step in 1..=10 {
            let world = World::on(backend, devices(60));
            world.write("a.yaml", &one_off("a", "2030-01-09T12:00:00+08:00", "A"));
            world.write("b.yaml", &one_off("b", "2030-01-10T12:00:00+08:00", "B"));
            world.write("phones.yaml", &bindings(&all, "p"));
            world.apply().expect(0);
            world.write(
                "a.yaml",
                &one_off("a", "2030-01-09T12:00:00+08:00", "A, edited"),
            );
            world.remove("b.yaml");
            let mut edited = bindings(&all[..5], "q");
            edited.push_str(
                &bindings(&all[5..50], "p").replace("kind: PhoneBindings\nname: phones\npairs:\n", ""),
            );
            world.write("phones.yaml", &edited);
            let crashed = world
                .command(&["apply", "--auto-approve"])
                .env(gtcamp::apply::CRASH_VAR, step.to_string())
                .output()
                .unwrap();
            assert_ne!(crashed.status.code(), Some(0), "step {step}: no crash");
            let rerun = world.apply();
            assert_eq!(rerun.code, Some(0), "step {step}: {rerun:?}");
            world.assert_no_duplicates();
            assert_eq!(world.waiting().len(), 1, "step {step}");
            let bound = world.snapshot().bindings;
            assert_eq!(bound.len(), 50, "step {step}");
            assert_eq!(
                bound.get(&cid(2)),
                Some(&gtcamp::getui::phone_hash(&format!("q{}", cid(2))))
            );
            world.plan().expect(0);
        }
    }
}

#[test]
fn a_stop_with_calls_still_in_flight_exits_by_its_deadline_and_the_next_run_settles_them() {
    let world = World::holding_timeouts_for(
        Backend::Legacy,
        devices(3),
        std::time::Duration::from_secs(20),
    );
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    // The create is held far longer than the deadline: still in flight when it passes.
    world.set_faults(FaultSpec {
        rules: vec![FaultRule::new(
            FaultKind::Timeout,
            1.0,
            Some("pushMessageToAppAction"),
        )],
        seed: Some(1),
    });
    let child = apply_until_journaled(&world, &[], &[("GTCAMP_STOP_DEADLINE_SECS", "1")]);
    let stopped_at = std::time::Instant::now();
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("still in flight after 1 s"), "{stderr}");
    assert!(
        stopped_at.elapsed() < std::time::Duration::from_secs(15),
        "the deadline was not kept"
    );
    world.set_faults(FaultSpec::default());
    world.apply().expect(0);
    world.plan().expect(0);
    assert_eq!(world.waiting().len(), 1);
    world.assert_no_duplicates();
}

/// A background `gtcamp apply --auto-approve ARGS` in `world`, returned once its first
/// intent is journaled: from then on its executor, and its signal watcher, run.
fn apply_until_journaled(
    world: &World,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Child {
    let mut child = std::process::Command::new(assert_cmd::cargo_bin!("gtcamp"))
        .args(["apply", "--auto-approve"])
        .args(args)
        .current_dir(world.dir())
        .env("GETUI_APP_KEY", "demo-key")
        .env("GETUI_MASTER_SECRET", "demo-secret")
        .env("NO_COLOR", "1")
        .env(gtcamp::clock::NOW_VAR, world.now().to_rfc3339())
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gtcamp starts");
    let journal = world.dir().join(".gtcamp/emu/state.journal");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::metadata(&journal).map_or(true, |m| m.len() == 0) {
        assert!(
            std::time::Instant::now() < deadline,
            "no intent journaled in 60 s"
        );
        let exited = child.try_wait().expect("gtcamp can be waited on");
        assert!(exited.is_none(), "gtcamp ended before applying anything");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child
}
