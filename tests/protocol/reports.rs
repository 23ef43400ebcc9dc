//! The official Python SDK (gt-push-sdk 4.1.1.2) decodes the emulator's legacy reports
//! with their per-channel figures: `GT` and `APN` of each task, and a group's counters.

use std::process::Command;

use serde_json::{Value, json};

use gtcamp::emulator::{EmulatorConfig, clicks, notifications_off};
use gtcamp::getui::PushApi;
use gtcamp::getui::api::{Delivery, ListPush, ListTargets, TaskGroupName};

use crate::support::{client, sdk_python, sdk_script, seeded, template};

/// What the SDK answers, read from the emulator at `url`: the per-task report of `task`
/// and the group report of `group`, as JSON on one line each.
fn sdk_reports(url: &str, task: &str, group: &str) -> (Value, Value) {
    let defaults = EmulatorConfig::default();
    let script = format!(
        r#"
import json, sys
sys.path.insert(0, {dir:?})
import sdk_shim  # noqa: F401
from gt_push_sdk.igt_push import IGeTui
push = IGeTui({url:?}, {key:?}, {secret:?})
print(json.dumps(push.getPushResultByTaskidList([{task:?}])))
print(json.dumps(push.getPushResultByGroupName({app:?}, {group:?})))
"#,
        dir = sdk_script("").display().to_string(),
        key = defaults.app_key,
        secret = defaults.master_secret,
        app = defaults.app_id,
    );
    let output = Command::new(sdk_python())
        .arg("-c")
        .arg(script)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the SDK failed\n--- stdout\n{stdout}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut lines = stdout.lines().filter(|l| l.starts_with('{'));
    let mut next =
        || -> Value { serde_json::from_str(lines.next().expect("an answer")).expect("JSON") };
    (next(), next())
}

/// Display and click counts of a notification of `task` reaching `cids`.
fn shown(task: &str, cids: &[&str]) -> (usize, usize) {
    let on: Vec<&&str> = cids.iter().filter(|c| !notifications_off(c)).collect();
    let clicked = on.iter().filter(|c| clicks(c, task)).count();
    (on.len(), clicked)
}

// The SDK blocks this thread while the emulator answers it on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_sdk_decodes_the_per_channel_legacy_reports() {
    let emulator = seeded().await;
    let client = client(&emulator);
    // Even cids are Android with no maker channel, odd ones iPhones; every third online.
    let cids = ["cid00", "cid01", "cid02", "cid03"];
    let outcome = client
        .push_to_list(&ListPush {
            attempt: None,
            template: template(),
            targets: ListTargets::Cids(cids.iter().map(|c| c.to_string()).collect()),
            delivery: Delivery::default(),
            group: Some(TaskGroupName::new("sdk-reports").expect("a group name")),
        })
        .await
        .expect("list push");
    let task = outcome.task_id.as_str().to_owned();
    emulator.clock().advance(chrono::Duration::minutes(5));
    let (tasks, group) = sdk_reports(&emulator.base_url(), &task, "sdk-reports");

    // Getui's channel: cid00 and cid03 online, cid02 offline and unreached. APNs: cid01.
    let (gt_shown, gt_clicked) = shown(&task, &["cid00", "cid03"]);
    let (apn_shown, apn_clicked) = shown(&task, &["cid01"]);
    let counters = |sent: usize, feedback: usize, displayed: usize, clicked: usize| {
        json!({"sent": sent.to_string(), "feedback": feedback.to_string(),
               "displayed": displayed.to_string(), "clicked": clicked.to_string()})
    };
    assert_eq!(tasks["result"], "ok", "{tasks}");
    assert_eq!(
        tasks["resultList"],
        json!([{"taskId": task, "GT": counters(3, 2, gt_shown, gt_clicked),
                "APN": counters(1, 1, apn_shown, apn_clicked)}]),
        "{tasks}"
    );
    assert_eq!(
        group,
        json!({"result": "ok", "groupName": "sdk-reports", "msg_total": "4",
               "msg_process": "3", "online_num": "2",
               "show_num": (gt_shown + apn_shown).to_string(),
               "click_num": (gt_clicked + apn_clicked).to_string()}),
        "{group}"
    );
}
