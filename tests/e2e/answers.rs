//! What Getui's answers prove: only "no such task" means gone; every answer that proves
//! nothing leaves the occurrence waiting and makes the run fail, never a second send.

use gtcamp::emulator::{FaultKind, FaultRule, FaultSpec, TaskStatus};
use gtcamp::getui::ResultCode;

use crate::harness::{Backend, Run, World, devices, one_off, words};

const PROMO_AT: &str = "2030-01-09T12:00:00+08:00";
const READ: &str = "getScheduleTaskAction";

fn faults(rules: Vec<FaultRule>) -> FaultSpec {
    FaultSpec {
        rules,
        seed: Some(1),
    }
}

fn fault(kind: FaultKind, action: &str) -> FaultRule {
    FaultRule::new(kind, 1.0, Some(action))
}

/// A world whose one campaign was applied as `v1`, then edited to `v2`: its next plan
/// replaces the task, when Getui can be asked.
fn edited_after_apply() -> (World, String) {
    let world = World::new(devices(3));
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
    world.apply().expect(0);
    let v1 = world.waiting().remove(0).id;
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v2"));
    (world, v1)
}

/// Changing actions a run sent since request number `since`.
fn writes_since(world: &World, since: usize) -> Vec<String> {
    let writes = [
        "pushMessageToAppAction",
        "getContentIdAction",
        "delScheduleTaskAction",
        "pushMessageToListAction",
    ];
    world.emulator().recorded_requests()[since..]
        .iter()
        .filter_map(|r| r.action.clone())
        .filter(|action| writes.contains(&action.as_str()))
        .collect()
}

#[track_caller]
fn assert_says_unchecked(run: &Run) {
    assert!(
        run.stderr
            .contains("1 tracked task could not be checked on Getui"),
        "stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
}

/// Ends the scenario: with Getui answering again, the run converges on exactly one live
/// task, the new version.
#[track_caller]
fn assert_ends_with_only_the_new_version(world: &World, v1: &str) {
    world.set_faults(FaultSpec::default());
    world.apply().expect(0);
    world.plan().expect(0);
    let waiting = world.waiting();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_ne!(waiting[0].id, v1);
    let old = world.snapshot().task(v1).map(|t| t.status);
    assert_eq!(old, Some(TaskStatus::HasDelete));
    world.assert_no_duplicates();
    world.assert_every_waiting_task_is_tracked();
}

#[test]
fn a_rate_limited_read_after_a_failed_cancel_never_leaves_two_live_tasks() {
    let (world, v1) = edited_after_apply();
    world.set_faults(faults(vec![fault(
        FaultKind::Http5xx,
        "delScheduleTaskAction",
    )]));
    world.apply().expect(1);

    world.set_faults(faults(vec![fault(FaultKind::FlowExceeded, READ)]));
    let since = world.emulator().recorded_requests().len();
    let run = world.apply().expect(1);
    assert!(!run.stdout.contains("recovered"), "{}", run.stdout);
    assert!(run.stderr.contains("could not be asked"), "{}", run.stderr);
    assert_eq!(writes_since(&world, since), Vec::<String>::new());
    assert_eq!(world.waiting().len(), 1);
    let plan = world.plan().expect(1);
    assert!(plan.stderr.contains("flow_exceeded"), "{}", plan.stderr);

    assert_ends_with_only_the_new_version(&world, &v1);
}

#[test]
fn without_refresh_a_cancel_that_fails_and_a_read_that_proves_nothing_create_nothing() {
    let (world, v1) = edited_after_apply();
    world.set_faults(faults(vec![
        fault(FaultKind::Http5xx, "delScheduleTaskAction"),
        fault(FaultKind::FlowExceeded, READ),
    ]));
    let run = world.run(&["apply", "--auto-approve", "--refresh=false"]);
    let run = run.expect(1);
    assert!(!run.stdout.contains("already gone"), "{}", run.stdout);
    assert!(!run.stdout.contains("created"), "{}", run.stdout);
    assert_eq!(world.waiting().len(), 1);

    assert_ends_with_only_the_new_version(&world, &v1);
}

/// Every answer to a read that does not say "no such task": the plan and the apply fail,
/// and nothing is cancelled or created.
#[test]
fn every_read_answer_that_proves_nothing_leaves_the_occurrence_waiting() {
    let unknown = [
        fault(FaultKind::Http5xx, READ),
        fault(FaultKind::Reset, READ),
        fault(FaultKind::Timeout, READ),
        fault(FaultKind::FlowExceeded, READ),
        fault(FaultKind::DomainError, READ),
        FaultRule::answer(ResultCode::SignError, 1.0, Some(READ)),
        FaultRule::answer(ResultCode::Error, 1.0, Some(READ)),
        FaultRule::answer(ResultCode::OtherError, 1.0, Some(READ)),
        FaultRule::answer(ResultCode::AppidNoMatchAppKey, 1.0, Some(READ)),
        FaultRule::answer(
            ResultCode::from_wire("a_code_from_the_future"),
            1.0,
            Some(READ),
        ),
    ];
    for rule in unknown {
        let case = FaultSpec {
            rules: vec![rule],
            seed: Some(1),
        }
        .to_string();
        let (world, v1) = edited_after_apply();
        world.set_faults(case.parse().expect("a fault spec"));
        let plan = world.plan().expect(1);
        assert_says_unchecked(&plan);
        assert!(!plan.stdout.contains("replace"), "{case}:\n{}", plan.stdout);
        let since = world.emulator().recorded_requests().len();
        let apply = world.apply().expect(1);
        assert_says_unchecked(&apply);
        assert_eq!(writes_since(&world, since), Vec::<String>::new(), "{case}");
        let waiting: Vec<String> = world.waiting().into_iter().map(|t| t.id).collect();
        assert_eq!(waiting, std::slice::from_ref(&v1), "{case}");
        world.set_faults(FaultSpec::default());
        world.plan().expect(2);
    }
}

#[test]
fn only_getuis_no_such_task_answers_read_as_deleted() {
    for code in [ResultCode::NullMsgCommon, ResultCode::TaskIdHasBeanCanceled] {
        let world = World::new(devices(3));
        world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
        world.apply().expect(0);
        world.set_faults(faults(vec![FaultRule::answer(
            code.clone(),
            1.0,
            Some(READ),
        )]));
        let plan = world.plan().expect(2);
        assert!(
            plan.stdout.contains("found deleted on Getui"),
            "{code}:\n{}",
            plan.stdout
        );
    }
}

#[test]
fn a_run_that_cannot_reach_getui_fails_and_names_the_real_cause() {
    let world = World::new(devices(3));
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
    world.apply().expect(0);

    world.set_faults(faults(vec![fault(FaultKind::FlowExceeded, "connect")]));
    for run in [world.plan(), world.apply()] {
        let run = run.expect(1);
        // Signing in says it, in a message miette wraps.
        assert!(
            words(&run.stderr).contains("`connect` with result `flow_exceeded`"),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("refused the app key"),
            "{}",
            run.stderr
        );
        assert!(!run.stdout.contains("Apply complete"), "{}", run.stdout);
    }
    world.set_faults(faults(vec![fault(FaultKind::Http5xx, "connect")]));
    let run = world.plan().expect(1);
    assert!(
        words(&run.stderr).contains("HTTP status 503"),
        "{}",
        run.stderr
    );
    assert!(
        !words(&run.stderr).contains("refused the app key"),
        "{}",
        run.stderr
    );

    world.set_faults(FaultSpec::default());
    let wrong = world
        .command(&["plan", "--detailed-exitcode"])
        .env("GETUI_MASTER_SECRET", "not-the-secret")
        .output()
        .expect("gtcamp runs");
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert_eq!(wrong.status.code(), Some(1), "{stderr}");
    assert!(
        words(&stderr).contains("refused the app key and master secret"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-the-secret"), "{stderr}");
}

#[test]
fn a_stopped_getui_is_a_failed_plan_not_an_empty_one() {
    let world = World::new(devices(3));
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
    world.apply().expect(0);
    // Nothing listens on the discard port of the loopback address.
    let settings = std::fs::read_to_string(world.dir().join("gtcamp.yaml")).unwrap();
    let endpoint = world.emulator().base_url();
    assert!(settings.contains(&endpoint), "{settings}");
    world.write(
        "gtcamp.yaml",
        &settings.replace(&endpoint, "http://127.0.0.1:9/apiex.htm"),
    );
    let plan = world.plan().expect(1);
    assert!(
        plan.stderr.contains("could not reach Getui"),
        "{}",
        plan.stderr
    );
    let apply = world.apply().expect(1);
    assert!(!apply.stdout.contains("Apply complete"), "{}", apply.stdout);
}

#[test]
fn a_lost_create_is_matched_to_its_own_version_never_to_an_older_one() {
    let world = World::new(devices(3));
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
    world.apply().expect(0);
    let v1 = world.waiting().remove(0).id;
    // v1 stays on Getui untracked, as a run that wrongly took it for gone once left it.
    world
        .run(&["state", "rm", "promo@2030-01-09T12:00+08:00"])
        .expect(0);
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v2"));
    world.set_faults(faults(vec![fault(
        FaultKind::CommitDrop,
        "pushMessageToAppAction",
    )]));
    world.apply().expect(0);
    world.set_faults(FaultSpec::default());

    let tracked = world.state()["tasks"]["promo@2030-01-09T12:00+08:00"]["task_id"]
        .as_str()
        .map(str::to_owned);
    let waiting: Vec<String> = world.waiting().into_iter().map(|t| t.id).collect();
    let v2 = waiting.iter().find(|id| **id != v1).cloned();
    assert_eq!(waiting.len(), 2, "{waiting:?}");
    assert_eq!(
        tracked, v2,
        "state must record the task the lost create became"
    );
}

/// A create whose answer was lost is settled only by a read of its content id that Getui
/// answered: while that read proves nothing, the occurrence is held and nothing is created
/// again.
#[test]
fn a_lost_create_is_held_while_the_read_of_its_content_id_proves_nothing() {
    const LOOKUP: &str = READ;
    let unknown = [
        fault(FaultKind::Http5xx, LOOKUP),
        fault(FaultKind::Reset, LOOKUP),
        fault(FaultKind::FlowExceeded, LOOKUP),
        FaultRule::answer(ResultCode::OtherError, 1.0, Some(LOOKUP)),
    ];
    for rule in unknown {
        let world = World::new(devices(3));
        world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
        let dropped = fault(FaultKind::CommitDrop, "pushMessageToAppAction");
        world.set_faults(faults(vec![dropped, rule.clone()]));
        world.apply().expect(1);
        world.set_faults(faults(vec![rule.clone()]));
        let since = world.emulator().recorded_requests().len();
        let again = world.apply().expect(1);
        assert!(
            again.stderr.contains("Held: promo@"),
            "{:?}: {}",
            rule,
            again.stderr
        );
        assert!(
            again.stdout.contains("Apply incomplete"),
            "{}",
            again.stdout
        );
        assert_eq!(
            writes_since(&world, since),
            Vec::<String>::new(),
            "{rule:?}"
        );
        assert_eq!(world.waiting().len(), 1, "{rule:?}");

        world.set_faults(FaultSpec::default());
        let recovered = world.apply().expect(0);
        assert!(
            recovered.stderr.contains("recovered"),
            "{}",
            recovered.stderr
        );
        world.plan().expect(0);
        world.assert_no_duplicates();
        world.assert_every_waiting_task_is_tracked();
    }
}

/// An operation that cannot be settled holds back its own occurrence only: the rest of the
/// plan goes ahead in the same run.
#[test]
fn an_unsettled_create_holds_back_only_its_own_occurrence() {
    const LOOKUP: &str = READ;
    let world = World::new(devices(3));
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
    let dropped = fault(FaultKind::CommitDrop, "pushMessageToAppAction");
    let lookup_fails = fault(FaultKind::Http5xx, LOOKUP);
    world.set_faults(faults(vec![dropped, lookup_fails.clone()]));
    world.apply().expect(1);

    world.write(
        "other.yaml",
        &one_off("other", "2030-01-10T12:00:00+08:00", "B"),
    );
    world.set_faults(faults(vec![lookup_fails]));
    let run = world.apply().expect(1);
    assert!(run.stderr.contains("created other@"), "{}", run.stderr);
    assert!(!run.stderr.contains("created promo@"), "{}", run.stderr);
    assert!(run.stderr.contains("Held: promo@"), "{}", run.stderr);
    assert_eq!(
        world.waiting().len(),
        2,
        "the held-back create and the new one"
    );

    world.set_faults(FaultSpec::default());
    world.apply().expect(0);
    world.plan().expect(0);
    assert_eq!(world.waiting().len(), 2);
    world.assert_no_duplicates();
    world.assert_every_waiting_task_is_tracked();
}

/// A create whose answer was lost and whose content id Getui says is no task did not land:
/// the same content id is pushed again in the same run, and lands exactly once.
#[test]
fn a_create_proven_not_to_have_landed_is_sent_again_in_the_same_run() {
    let mut resent_and_done = 0;
    for seed in 1..=8 {
        let world = World::new(devices(3));
        world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
        world.set_faults(FaultSpec {
            rules: vec![FaultRule::new(
                FaultKind::Http5xx,
                0.5,
                Some("pushMessageToAppAction"),
            )],
            seed: Some(seed),
        });
        let run = world.apply();
        let attempts = world
            .emulator()
            .recorded_requests()
            .iter()
            .filter(|r| r.action.as_deref() == Some("pushMessageToAppAction"))
            .count();
        if run.code == Some(0) && attempts >= 2 {
            resent_and_done += 1;
        }
        world.set_faults(FaultSpec::default());
        world.apply().expect(0);
        world.plan().expect(0);
        assert_eq!(world.waiting().len(), 1, "seed {seed}");
        world.assert_no_duplicates();
        world.assert_every_waiting_task_is_tracked();
    }
    assert!(
        resent_and_done > 0,
        "no seed made a first attempt fail and a later one land"
    );
}

/// Getui will not delete a task that fires within a minute or has fired (V2 22001). The
/// apply says so, naming the campaign, and creates nothing; once the push has gone out, the
/// next plan moves it to history instead of trying to cancel it again.
#[test]
fn a_cancel_too_close_to_the_push_is_reported_too_late_and_not_retried_after_it_ran() {
    let world = World::on(Backend::V2, devices(3));
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v1"));
    world.apply().expect(0);
    let v1 = world.waiting().remove(0).id;
    let at = chrono::DateTime::parse_from_rfc3339(PROMO_AT).expect("a time");
    world.advance(at.with_timezone(&chrono::Utc) - world.now() - chrono::Duration::seconds(30));
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "v2"));

    let run = world.apply().expect(1);
    let said = words(&format!("{}\n{}", run.stdout, run.stderr));
    for expected in [
        "campaign `promo`",
        "22001",
        "too late to cancel: the push is running or has run",
    ] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    assert!(!said.contains("created promo"), "{said}");
    let waiting: Vec<String> = world.waiting().into_iter().map(|t| t.id).collect();
    assert_eq!(waiting, std::slice::from_ref(&v1));

    world.advance(chrono::Duration::minutes(1));
    let plan = world.plan().expect(0);
    assert!(plan.stdout.contains("Getui sent it"), "{}", plan.stdout);
    assert!(!plan.stdout.contains("cancel"), "{}", plan.stdout);
    world.apply().expect(0);
    world.plan().expect(0);
    let sent = world.snapshot().task(&v1).map(|t| t.status);
    assert_eq!(sent, Some(TaskStatus::SendSuccess));
    world.assert_no_duplicates();
}
