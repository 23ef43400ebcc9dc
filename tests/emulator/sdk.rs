//! The official Getui Python SDK against the real `gtcamp emulator` binary: the SDK script
//! asserts every answer, this test asserts what reached the server through the admin API.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::harness::{EmulatorProcess, manifest_dir};

fn venv_python() -> PathBuf {
    let python = manifest_dir().join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `scripts/setup-test-tools` to install the official Getui SDK",
        python.display()
    );
    python
}

async fn get_json(url: &str) -> Value {
    reqwest::get(url)
        .await
        .expect("admin API answers")
        .json()
        .await
        .expect("admin API answers JSON")
}

#[tokio::test]
async fn official_sdk_conforms_to_the_emulator() {
    let python = venv_python();
    let emulator = EmulatorProcess::start(&[]);
    let output = Command::new(python)
        .arg(manifest_dir().join("tests/sdk/conformance.py"))
        .arg(&emulator.url)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "conformance.py failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    let ids: Value = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok())
        .expect("conformance.py prints the ids it created");

    let state = get_json(&emulator.admin("state")).await;
    let task = state["tasks"]
        .as_array()
        .and_then(|tasks| tasks.iter().find(|t| t["id"] == ids["scheduled_task"]))
        .cloned()
        .expect("the scheduled task is in the store");
    assert_eq!(task["status"], "has_delete");
    assert_eq!(task["push_time_text"], ids["push_time"]);
    assert_eq!(task["group"], "spring-2026");
    assert_eq!(task["conditions"].as_array().map(Vec::len), Some(4));

    let pushes = state["list_pushes"].as_array().cloned().unwrap_or_default();
    assert_eq!(pushes.len(), 3, "the list push, then the two single pushes");
    assert_eq!(pushes[0]["task_id"], ids["list_task"]);
    assert_eq!(pushes[0]["aliases"], serde_json::json!(["frank", "alice"]));
    assert_eq!(
        pushes[0]["delivered_to"],
        serde_json::json!(["cid-gx-android-1", "cid-zj-android-1", "cid-zj-android-2"])
    );

    assert_eq!(pushes[1]["task_id"], ids["single_task"]);
    assert_eq!(pushes[1]["cids"], serde_json::json!(["cid-sh-ios-1"]));
    assert_eq!(pushes[1]["content"], "just for you");
    assert_eq!(pushes[2]["aliases"], serde_json::json!(["erin"]));
    assert_eq!(
        pushes[2]["delivered_to"],
        serde_json::json!(["cid-bj-ios-1"])
    );

    let requests = get_json(&emulator.admin("requests")).await;
    let requests = requests.as_array().cloned().unwrap_or_default();
    let flow: Vec<(String, String)> = requests
        .iter()
        .take(5)
        .map(|r| {
            (
                r["action"].as_str().unwrap_or("").to_owned(),
                r["result"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("getOSPushDomailUrlListAction", "ok"),
        ("queryUserCount", "sign_error"),
        ("connect", "success"),
        ("queryUserCount", "ok"),
        ("connect", "success"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, r)| (a.to_string(), r.to_string()))
        .collect();
    assert_eq!(flow, expected, "bootstrap, then login through sign_error");
    let speed_bug = requests
        .iter()
        .find(|r| r["body"]["pushTime"] == 100)
        .expect("the SDK's integer pushTime reached the server");
    assert_eq!(speed_bug["result"], "Error");
    let list = requests
        .iter()
        .find(|r| r["action"] == "pushMessageToListAction")
        .expect("the list push was recorded");
    assert_eq!(list["gzip"], true, "the SDK gzips list pushes");
    let single = requests
        .iter()
        .find(|r| r["action"] == "pushMessageToSingleAction")
        .expect("the single push was recorded");
    assert_eq!(single["gzip"], false, "the SDK does not gzip single pushes");
    assert_eq!(single["result"], "ok");
    let secrets = serde_json::to_string(&requests).unwrap_or_default();
    assert!(!secrets.contains("demo-secret"));

    let (status, stderr) = emulator.terminate();
    assert!(
        status.success(),
        "SIGTERM stops the emulator cleanly: {status}\n{stderr}"
    );
    assert!(stderr.contains("pushMessageToListAction -> ok"), "{stderr}");
    assert!(!stderr.contains("demo-secret"));
}
