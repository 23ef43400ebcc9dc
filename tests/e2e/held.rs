//! Lost answers against a Getui that answers only as it documents: reports hold counters
//! and lag behind a send, and nothing lists the tasks of a group. A create or a list push
//! whose answer was lost is settled only by `getScheduleTask`, a report that counts the
//! send, or (REST V2) the same `request_id` sent again; what none of them proves is held,
//! shown, never sent again, and settled by a later run.

use std::collections::BTreeMap;

use gtcamp::emulator::{FaultKind, FaultRule, FaultSpec, RepeatedRequest, TaskStatus};

use crate::harness::{Backend, World, held_keys, held_lines, on_both_backends};

/// How far ahead of the first run the one-off campaigns are: a few hours.
const HOURS_AHEAD: i64 = 3;
const ONE_OFFS: usize = 60;
const LIST_PUSHES: usize = 20;

/// Devices `c-000`… tagged vip, the first [`LIST_PUSHES`] with the alias `fan_N`.
fn fans() -> Vec<gtcamp::emulator::UserSeed> {
    let mut users = crate::harness::devices(40);
    for (n, user) in users.iter_mut().enumerate().take(LIST_PUSHES) {
        user.alias = Some(format!("fan_{n}"));
    }
    users
}

/// 60 one-off campaigns a few hours ahead and 20 alias list pushes due now.
fn write_scenario(world: &World) {
    let start = world.now() + chrono::Duration::hours(HOURS_AHEAD);
    let mut docs = String::new();
    for n in 0..ONE_OFFS {
        let at = start + chrono::Duration::minutes(5 * n as i64);
        docs.push_str(&format!(
            "---\nkind: Campaign\nname: promo-{n:02}\ntemplate:\n  type: notification\n  title: Hello\n  text: Offer {n}\naudience:\n  tags:\n    any: [vip]\nschedule:\n  at: {}\n",
            at.to_rfc3339()
        ));
    }
    let due = world.now() - chrono::Duration::minutes(1);
    for n in 0..LIST_PUSHES {
        docs.push_str(&format!(
            "---\nkind: Campaign\nname: fan-{n:02}\ntemplate:\n  type: notification\n  title: Hi\n  text: For fan {n}\naudience:\n  aliases: [fan_{n}]\nschedule:\n  at: {}\n",
            due.to_rfc3339()
        ));
    }
    world.write("campaigns.yaml", &docs);
}

/// The calls whose answers are lost after the server committed them.
fn pushes(backend: Backend) -> [&'static str; 2] {
    use gtcamp::emulator::v2_routes::{PUSH_LIST_ALIAS, PUSH_TAG};
    match backend {
        Backend::Legacy => ["pushMessageToAppAction", "pushMessageToListAction"],
        Backend::V2 => [PUSH_TAG, PUSH_LIST_ALIAS],
    }
}

fn answers_lost(backend: Backend, rate: f64, seed: u64) -> FaultSpec {
    FaultSpec {
        rules: pushes(backend)
            .into_iter()
            .map(|call| FaultRule::new(FaultKind::CommitDrop, rate, Some(call)))
            .collect(),
        seed: Some(seed),
    }
}

/// Per task group, how many of its pushes are live or went out: more than one is a push
/// sent twice.
fn sends_per_group(world: &World) -> BTreeMap<String, usize> {
    let snapshot = world.snapshot();
    let mut sends: BTreeMap<String, usize> = BTreeMap::new();
    for task in &snapshot.tasks {
        let Some(group) = &task.group else { continue };
        let live = match task.kind {
            gtcamp::emulator::TaskKind::App => {
                matches!(task.status, TaskStatus::DoNotSend | TaskStatus::SendSuccess)
            }
            gtcamp::emulator::TaskKind::List => false,
        };
        let fired = snapshot
            .list_pushes
            .iter()
            .filter(|push| push.task_id == task.id)
            .count();
        *sends.entry(group.clone()).or_default() += usize::from(live) + fired;
    }
    sends.retain(|_, count| *count > 0);
    sends
}

#[track_caller]
fn assert_nothing_sent_twice(world: &World) {
    let twice: Vec<_> = sends_per_group(world)
        .into_iter()
        .filter(|(_, count)| *count > 1)
        .collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
}

/// What `gtcamp status` lists as held.
fn held_in_status(world: &World) -> usize {
    let status = world.run(&["status"]).expect(0);
    status
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("Held ("))
        .and_then(|rest| rest.split(')').next())
        .map_or(0, |count| count.parse().expect("a count"))
}

on_both_backends! {
    /// The scenario: answers lost after commit for 30% of the pushes, reports that
    /// lag, four applies. Nothing is live twice, no list push goes out twice, every held
    /// operation is reported and counted in `status`, and once the reports catch up a run
    /// settles everything and the plan is empty.
    fn lost_answers_and_lagging_reports_never_send_twice(backend) {
        let world = World::on(backend, fans());
        write_scenario(&world);
        world.set_faults(answers_lost(backend, 0.3, 11));
        let mut held_seen = 0;
        for run in 1..=4 {
            let apply = world.apply();
            let held = held_lines(&apply.stderr);
            held_seen += held.len();
            if held.is_empty() {
                assert!(apply.code == Some(0) || apply.stderr.contains("Error:"), "{apply:?}");
            } else {
                assert_eq!(apply.code, Some(1), "run {run}: {apply:?}");
                assert!(apply.stdout.contains("Apply incomplete"), "run {run}: {}", apply.stdout);
                assert!(!apply.stdout.contains("Apply complete!"), "run {run}");
                assert_eq!(held_in_status(&world), held.len(), "run {run}: {}", apply.stderr);
            }
            assert_nothing_sent_twice(&world);
            world.advance(chrono::Duration::minutes(2));
        }
        assert!(held_seen > 0, "30% lost answers held nothing: the scenario tests nothing");

        world.set_faults(FaultSpec::default());
        world.advance(chrono::Duration::minutes(10));
        let settled = world.apply();
        assert_eq!(settled.code, Some(0), "{settled:?}");
        assert!(held_lines(&settled.stderr).is_empty(), "{}", settled.stderr);
        world.plan().expect(0);
        assert_nothing_sent_twice(&world);
        let sends = sends_per_group(&world);
        assert_eq!(sends.len(), ONE_OFFS + LIST_PUSHES, "every push went out once: {sends:?}");
        world.assert_every_waiting_task_is_tracked();
        assert_eq!(held_in_status(&world), 0);
    }
}

on_both_backends! {
    /// A list push whose answer is lost is held while its report lags, even across runs, and
    /// settles as fired once the report counts it: it is never sent a second time.
    fn a_lost_list_push_is_held_until_its_report_counts_it(backend) {
        let world = World::on(backend, fans());
        world.write(
            "fan.yaml",
            &format!(
                "kind: Campaign\nname: fan\ntemplate:\n  type: notification\n  title: Hi\n  text: For you\naudience:\n  aliases: [fan_0]\nschedule:\n  at: {}\n",
                (world.now() - chrono::Duration::minutes(1)).to_rfc3339()
            ),
        );
        world.set_faults(FaultSpec {
            rules: vec![FaultRule::new(FaultKind::CommitDrop, 1.0, Some(pushes(backend)[1]))],
            seed: Some(1),
        });
        let first = world.apply().expect(1);
        assert_eq!(held_lines(&first.stderr).len(), 1, "{}", first.stderr);
        assert!(held_keys(&first.stderr)[0].starts_with("fan@"), "{}", first.stderr);
        assert!(first.stderr.contains("reports lag"), "{}", first.stderr);
        world.set_faults(FaultSpec::default());
        let still = world.apply().expect(1);
        assert_eq!(held_lines(&still.stderr).len(), 1, "{}", still.stderr);
        assert_eq!(world.snapshot().list_pushes.len(), 1, "never pushed again");
        assert!(world.plan().stdout.contains("held"));

        world.advance(chrono::Duration::minutes(10));
        let settled = world.apply().expect(0);
        assert!(settled.stderr.contains("recovered: fan@"), "{}", settled.stderr);
        assert_eq!(world.snapshot().list_pushes.len(), 1);
        world.plan().expect(0);
    }
}

on_both_backends! {
    /// A person can send a held list push anew: what is known is printed first, and the
    /// push then goes out (its phones may get it twice: their call, on their word).
    fn a_held_list_push_is_sent_anew_only_on_a_persons_word(backend) {
        let world = World::on(backend, fans());
        let due = (world.now() - chrono::Duration::minutes(1)).to_rfc3339();
        world.write(
            "fan.yaml",
            &format!(
                "kind: Campaign\nname: fan\ntemplate:\n  type: notification\n  title: Hi\n  text: For you\naudience:\n  aliases: [fan_0]\nschedule:\n  at: {due}\n"
            ),
        );
        // Crash right after the fire's intent is journaled, before the push is sent: no
        // report can ever show it, so only a person can decide.
        let crashed = world
            .command(&["apply", "--auto-approve"])
            .env(gtcamp::apply::CRASH_VAR, "1")
            .output()
            .unwrap();
        assert_ne!(crashed.status.code(), Some(0));
        world.advance(chrono::Duration::minutes(10));
        let held = world.apply().expect(1);
        assert_eq!(held_lines(&held.stderr).len(), 1, "{}", held.stderr);
        let key = held_keys(&held.stderr)[0].to_owned();
        assert_eq!(world.snapshot().list_pushes.len(), 0);

        world.run(&["plan", "-o", "plan.json"]).expect(0);
        let saved = world.run(&["apply", "plan.json", "--resend-unconfirmed", &key]);
        assert_eq!(saved.code, Some(1), "{saved:?}");
        assert!(saved.stderr.contains("cannot change a saved plan"), "{}", saved.stderr);
        assert_eq!(world.snapshot().list_pushes.len(), 0);

        let wrong = world.run(&["apply", "--auto-approve", "--resend-unconfirmed", "nope@1"]);
        assert_eq!(wrong.code, Some(1), "{wrong:?}");
        assert!(wrong.stderr.contains("is no occurrence"), "{}", wrong.stderr);
        assert!(wrong.stderr.contains(&key), "names what is held: {}", wrong.stderr);

        let resent = world
            .run(&["apply", "--auto-approve", "--resend-unconfirmed", &key])
            .expect(0);
        assert!(resent.stderr.contains("is sent anew on your word"), "{}", resent.stderr);
        assert!(resent.stderr.contains("What is known"), "{}", resent.stderr);
        assert_eq!(world.snapshot().list_pushes.len(), 1);
        world.plan().expect(0);

        // Asked again once settled, it sends nothing.
        let again = world
            .run(&["apply", "--auto-approve", "--resend-unconfirmed", &key])
            .expect(0);
        assert!(again.stderr.contains("is not held (any more)"), "{}", again.stderr);
        assert_eq!(world.snapshot().list_pushes.len(), 1);
    }
}

/// How Getui answers a repeated `request_id` is undocumented. Where it answers a task id
/// that names nothing, the client finds out by reading it back and holds the create: the
/// task the first request made stays the only one.
#[test]
fn a_repeat_answered_with_a_task_id_that_names_nothing_is_held_not_recreated() {
    let world = World::configured(Backend::V2, fans(), |config| {
        config.repeated_request = RepeatedRequest::UnknownId;
    });
    world.write(
        "promo.yaml",
        &crate::harness::one_off("promo", "2030-01-09T12:00:00+08:00", "v1"),
    );
    world.set_faults(FaultSpec {
        rules: vec![FaultRule::new(
            FaultKind::CommitDrop,
            1.0,
            Some(pushes(Backend::V2)[0]),
        )],
        seed: Some(1),
    });
    let first = world.apply().expect(1);
    assert_eq!(held_lines(&first.stderr).len(), 1, "{}", first.stderr);
    world.set_faults(FaultSpec::default());
    for _ in 0..2 {
        let again = world.apply().expect(1);
        assert_eq!(held_lines(&again.stderr).len(), 1, "{}", again.stderr);
    }
    assert_eq!(world.waiting().len(), 1, "the first request's task, alone");
    assert_nothing_sent_twice(&world);

    // The person finds the task in Getui's console and imports it: nothing is held any more.
    let task = world.waiting().remove(0).id;
    world
        .run(&["import", "promo@2030-01-09T12:00+08:00", &task])
        .expect(0);
    world.apply().expect(0);
    world.plan().expect(0);
    assert_eq!(world.waiting().len(), 1);
    assert_nothing_sent_twice(&world);
}
