//! `gtcamp send-test`: a campaign's exact message reaches the listed devices through the
//! single-push calls, on both backends; state is untouched and the audience gets nothing.

use serde_json::Value;

use crate::harness::{Backend, World, cid, devices, on_both_backends, words};

/// A service transmission with a makers' notification, so that the message carries a
/// template, vendor channels and a class, sent every evening to the `vip` devices.
const REMINDER: &str = r#"kind: Template
name: reminder
type: transmission
class: service
transmission:
  content: '{"action":"checkin-reminder"}'
android:
  title: 签到提醒
  text: You have not checked in today
  click:
    payload: '{"action":"checkin"}'
---
kind: Campaign
name: reminder
template: reminder
audience:
  tags:
    any: [vip]
schedule:
  cron: "0 20 * * *"
"#;

/// The world's devices, the third bound to alias `qa_team`.
fn world(backend: Backend) -> World {
    let mut users = devices(5);
    users[2].alias = Some("qa_team".to_owned());
    let world = World::on(backend, users);
    world.write("reminder.yaml", REMINDER);
    let settings = std::fs::read_to_string(world.dir().join("gtcamp.yaml")).unwrap();
    world.write(
        "gtcamp.yaml",
        &format!(
            "{settings}test_devices:\n  ana: cid:{}\n  qa: alias:qa_team\n",
            cid(1)
        ),
    );
    world
}

/// The request bodies the emulator recorded under `actions`, from request `since`.
fn bodies(world: &World, actions: &[&str], since: usize) -> Vec<Value> {
    world
        .emulator()
        .recorded_requests()
        .into_iter()
        .skip(since)
        .filter(|r| r.action.as_deref().is_some_and(|a| actions.contains(&a)))
        .map(|r| r.body)
        .collect()
}

/// What a body says of the message itself, without audience, schedule, group or request id.
fn message_of(backend: Backend, body: &Value) -> Value {
    match backend {
        Backend::Legacy => {
            let keys = [
                "clientData",
                "transmissionContent",
                "isOffline",
                "offlineExpireTime",
                "pushNetWorkType",
                "pushType",
                "type",
            ];
            keys.iter()
                .map(|key| ((*key).to_owned(), body[*key].clone()))
                .collect::<serde_json::Map<_, _>>()
                .into()
        }
        Backend::V2 => serde_json::json!({
            "push_message": body["push_message"],
            "push_channel": body["push_channel"],
            "ttl": body["settings"]["ttl"],
            "strategy": body["settings"]["strategy"],
        }),
    }
}

const SINGLE: [&str; 3] = [
    "pushMessageToSingleAction",
    "v2_push_single_cid",
    "v2_push_single_alias",
];

on_both_backends! {
    fn send_test_sends_the_campaigns_exact_message_to_the_devices_and_nothing_else(backend) {
        let world = world(backend);
        world.apply().expect(0);
        let created = bodies(&world, &["getContentIdAction", "v2_push_tag"], 0);
        let campaign_message = message_of(backend, created.last().expect("the campaign's create"));
        let carried = ["clientData", "push_message", "push_channel"];
        assert!(
            carried.iter().any(|key| campaign_message[*key].is_string() || campaign_message[*key].is_object()),
            "{campaign_message}"
        );
        if backend == Backend::V2 {
            assert!(campaign_message["push_channel"]["android"]["ups"].is_object(), "{campaign_message}");
        }
        let state_before = std::fs::read(world.dir().join(crate::harness::STATE_FILE)).unwrap();
        let since = world.emulator().recorded_requests().len();
        let tasks_before = world.snapshot().tasks.len();

        let run = world
            .run(&["send-test", "reminder", "--to", &format!("cid:{}", cid(0)), "--to", "ana", "--to", "qa", "--auto-approve"])
            .expect(0);
        assert!(run.stdout.contains("Test send of campaign `reminder`: the message of its next send"), "{}", run.stdout);
        assert!(run.stdout.contains("3 devices reached"), "{}", run.stdout);
        assert!(run.stdout.contains(&format!("ana (cid:{})", cid(1))), "{}", run.stdout);
        assert!(run.stdout.contains("qa (alias:qa_team)"), "{}", run.stdout);

        // The devices got exactly the campaign's message, one single push each.
        let sent = bodies(&world, &SINGLE, since);
        assert_eq!(sent.len(), 3, "{sent:?}");
        for body in &sent {
            assert_eq!(message_of(backend, body), campaign_message, "{body}");
            assert!(body.get("taskGroupName").is_none() && body.get("group_name").is_none(), "{body}");
        }
        let pushes = world.snapshot().list_pushes;
        let reached: Vec<Vec<String>> = pushes.iter().map(|p| p.delivered_to.clone()).collect();
        assert_eq!(reached, vec![vec![cid(0)], vec![cid(1)], vec![cid(2)]]);
        for push in &pushes {
            assert!(run.stdout.contains(&push.task_id), "{}", run.stdout);
        }

        // Nothing else: no push to the audience, no task but the three, no state written.
        let others: Vec<String> = world
            .emulator()
            .recorded_requests()
            .into_iter()
            .skip(since)
            .filter_map(|r| r.action)
            .filter(|a| !SINGLE.contains(&a.as_str()) && !backend.is_read(a))
            .collect();
        assert!(others.is_empty(), "{others:?}");
        assert_eq!(world.snapshot().tasks.len(), tasks_before + 3);
        let state_after = std::fs::read(world.dir().join(crate::harness::STATE_FILE)).unwrap();
        assert_eq!(state_before, state_after, "send-test wrote state");
        assert!(!world.dir().join(".gtcamp/emu/journal.json").exists());
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn send_test_fails_naming_the_device_that_did_not_get_it(backend) {
        let world = world(backend);
        let run = world
            .run(&["send-test", "reminder", "--to", "cid:nobody", "--auto-approve"])
            .expect(1);
        assert!(run.stdout.contains("successed_ignore"), "{}", run.stdout);
        assert!(
            words(&run.stderr).contains("the test send of campaign `reminder` did not reach cid:nobody"),
            "{}",
            run.stderr
        );
        assert!(!world.dir().join(crate::harness::STATE_FILE).exists());
    }
}

#[test]
fn send_test_reports_getuis_refusal_with_its_code_and_meaning() {
    let mut users = devices(2);
    users[1].app_id = Some("other-app".to_owned());
    let world = World::on(Backend::Legacy, users);
    world.write("reminder.yaml", REMINDER);
    let run = world
        .run(&[
            "send-test",
            "reminder",
            "--to",
            &format!("cid:{}", cid(1)),
            "--auto-approve",
        ])
        .expect(1);
    let said = words(&run.stderr);
    assert!(
        said.contains(&format!(
            "Getui refused the test send of campaign `reminder` to cid:{}",
            cid(1)
        )),
        "{said}"
    );
    assert!(said.contains("`AppidError`"), "{said}");
    assert!(
        said.contains("the client id is bound to another app id"),
        "{said}"
    );
}

#[test]
fn send_test_refuses_more_than_five_devices() {
    let world = world(Backend::Legacy);
    let mut args = vec![
        "send-test".to_owned(),
        "reminder".to_owned(),
        "--auto-approve".to_owned(),
    ];
    for n in 0..6 {
        args.extend(["--to".to_owned(), format!("cid:{}", cid(n))]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = world.run(&args).expect(1);
    let said = words(&run.stderr);
    assert!(
        said.contains("6 devices is more than a test send goes to: at most 5"),
        "{said}"
    );
    assert!(said.contains("Nothing was sent."), "{said}");
    assert!(bodies(&world, &SINGLE, 0).is_empty());
}

#[test]
fn send_test_refuses_a_device_it_cannot_read() {
    let world = world(Backend::Legacy);
    for (device, says) in [
        ("alias:", "`alias:` names no alias after the colon"),
        (
            "anna",
            "`anna` is not one of the workspace's `test_devices`; did you mean `ana`?",
        ),
        (
            "c-001",
            "`c-001` is not one of the workspace's `test_devices`",
        ),
    ] {
        let run = world
            .run(&["send-test", "reminder", "--to", device, "--auto-approve"])
            .expect(1);
        assert!(
            words(&run.stderr).contains(says),
            "{device}: {}",
            run.stderr
        );
    }
    assert!(bodies(&world, &SINGLE, 0).is_empty());
}

#[test]
fn send_test_of_an_unknown_campaign_suggests_the_closest() {
    let world = world(Backend::Legacy);
    let run = world
        .run(&["send-test", "remider", "--to", "ana", "--auto-approve"])
        .expect(1);
    assert!(
        words(&run.stderr)
            .contains("no campaign `remider` in the workspace; did you mean `reminder`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn send_test_to_a_real_target_off_a_terminal_needs_auto_approve() {
    let world = world(Backend::Legacy);
    let run = world
        .run(&["send-test", "reminder", "--to", "ana"])
        .expect(1);
    let said = words(&run.stderr);
    assert!(
        said.contains("no one is at a terminal to confirm the test send; nothing was sent"),
        "{said}"
    );
    assert!(said.contains("--auto-approve"), "{said}");
    assert!(bodies(&world, &SINGLE, 0).is_empty());
}

#[test]
fn send_test_of_a_disabled_campaign_sends_its_message() {
    let world = world(Backend::Legacy);
    world.write(
        "reminder.yaml",
        &REMINDER.replace(
            "name: reminder\ntemplate: reminder",
            "name: reminder\nenabled: false\ntemplate: reminder",
        ),
    );
    world
        .run(&["send-test", "reminder", "--to", "ana", "--auto-approve"])
        .expect(0);
    assert_eq!(bodies(&world, &SINGLE, 0).len(), 1);
}

/// A fresh workspace on the built-in sandbox (legacy, or REST V2 with `protocol: v2`),
/// whose campaign lists the alias `qa_team`: the sandbox gives it a device.
fn sandbox_workspace(protocol: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |file: &str, text: &str| std::fs::write(dir.path().join(file), text).unwrap();
    write(
        "gtcamp.yaml",
        &format!(
            "kind: Workspace\nname: demo\napp_id: demo\ndefault_target: sandbox\ntargets:\n  sandbox:\n    type: sandbox\n    population: 10\n    protocol: {protocol}\ndefaults:\n  class: marketing\ntest_devices:\n  qa: alias:qa_team\n"
        ),
    );
    write(
        "sale.yaml",
        "kind: Campaign\nname: sale\ntemplate:\n  type: notification\n  title: Spring sale\n  text: Up to 50% off\naudience:\n  aliases: [qa_team, vip_1]\nschedule:\n  at: 2040-03-01T10:00:00+08:00\n",
    );
    dir
}

#[test]
fn send_test_on_the_sandbox_needs_no_confirmation_and_writes_no_state() {
    for protocol in ["legacy", "v2"] {
        let dir = sandbox_workspace(protocol);
        let run = crate::harness::gtcamp_in(dir.path(), &["send-test", "sale", "--to", "qa"]);
        let stdout = String::from_utf8_lossy(&run.stdout);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "{protocol}: {stdout}\n{stderr}");
        assert!(stdout.contains("1 device reached"), "{protocol}: {stdout}");
        assert!(stderr.contains("Target: sandbox"), "{protocol}: {stderr}");
        assert!(
            !dir.path().join(".gtcamp/sandbox/state.json").exists(),
            "{protocol}: send-test wrote state"
        );
    }
}

#[test]
fn send_test_sends_once_to_a_device_named_twice() {
    let world = world(Backend::Legacy);
    let run = world
        .run(&[
            "send-test",
            "reminder",
            "--to",
            "ana",
            "--to",
            &format!("cid:{}", cid(1)),
            "--auto-approve",
        ])
        .expect(0);
    assert!(run.stdout.contains("1 device reached"), "{}", run.stdout);
    assert_eq!(bodies(&world, &SINGLE, 0).len(), 1);
}

#[test]
fn send_test_of_a_one_off_that_has_passed_sends_its_last_message() {
    let world = World::on(Backend::Legacy, devices(2));
    world.write(
        "gone.yaml",
        &crate::harness::one_off("gone", "2030-01-06T10:00:00+08:00", "Gone"),
    );
    let run = world
        .run(&[
            "send-test",
            "gone",
            "--to",
            &format!("cid:{}", cid(0)),
            "--auto-approve",
        ])
        .expect(0);
    assert!(
        run.stdout
            .contains("the message of its last send (2030-01-06 10:00"),
        "{}",
        run.stdout
    );
}

#[test]
fn send_test_of_a_campaign_whose_schedule_ended_is_refused() {
    let world = World::on(Backend::Legacy, devices(2));
    world.write(
        "ended.yaml",
        &crate::harness::daily("ended", "Over", true).replace(
            "  timezone: Asia/Shanghai\n",
            "  timezone: Asia/Shanghai\n  from: 2029-11-01\n  until: 2029-12-01\n",
        ),
    );
    let run = world
        .run(&[
            "send-test",
            "ended",
            "--to",
            &format!("cid:{}", cid(0)),
            "--auto-approve",
        ])
        .expect(1);
    assert!(
        words(&run.stderr).contains("campaign `ended` has no send left in its schedule"),
        "{}",
        run.stderr
    );
    assert!(bodies(&world, &SINGLE, 0).is_empty());
}
