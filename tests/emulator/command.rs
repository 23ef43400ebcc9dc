//! `gtcamp emulator` refuses bad flags with a message that says how to fix them, and heeds
//! the ones that change what it answers.

use assert_cmd::Command;
use gtcamp::getui::Secret;
use gtcamp::getui::v2::auth_sign;
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{Value, json};

use crate::harness::{APP_KEY, EmulatorProcess, SECRET};
use crate::reports::{VIP, v2_channels};

fn gtcamp() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gtcamp"))
}

#[test]
fn emulator_command_rejects_a_bad_fault_spec_with_the_fix() {
    gtcamp()
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--faults",
            "meteor=0.5",
        ])
        .assert()
        .failure()
        .stderr(contains("unknown fault kind `meteor`"))
        .stderr(contains(
            "http5xx, reset, timeout, flow_exceeded, commit_drop, domain_error",
        ));
}

#[test]
fn emulator_command_rejects_a_bad_latency() {
    gtcamp()
        .args(["emulator", "--listen", "127.0.0.1:0", "--latency", "soon"])
        .assert()
        .failure()
        .stderr(contains("`soon` is not a latency"));
}

#[test]
fn emulator_command_reports_a_users_file_with_an_unknown_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let users = dir.path().join("users.yaml");
    std::fs::write(&users, "users:\n  - cid: a\n    colour: red\n").expect("write");
    gtcamp()
        .args(["emulator", "--listen", "127.0.0.1:0", "--users"])
        .arg(&users)
        .assert()
        .failure()
        .stderr(contains("users file"))
        .stderr(contains("colour"));
}

#[test]
fn emulator_command_help_never_shows_the_secret() {
    gtcamp()
        .args(["emulator", "--help"])
        .env("GETUI_MASTER_SECRET", "s3cr3t-value")
        .assert()
        .success()
        .stdout(contains("--master-secret"))
        .stdout(contains("s3cr3t-value").not())
        .stdout(contains("demo-secret").not());
}

#[test]
fn emulator_command_names_the_answers_to_a_repeated_request() {
    gtcamp()
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--repeated-request",
            "maybe",
        ])
        .assert()
        .failure()
        .stderr(contains("maybe"))
        .stderr(contains("original"))
        .stderr(contains("unknown-id"));
}

#[test]
fn emulator_command_rejects_a_report_lag_that_is_no_duration() {
    gtcamp()
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--report-lag",
            "soon",
        ])
        .assert()
        .failure()
        .stderr(contains("soon"));
}

/// A V2 token from the emulator process, signed with the system clock it runs on.
async fn v2_token(http: &reqwest::Client, emulator: &EmulatorProcess) -> String {
    let now = chrono::Utc::now().timestamp_millis();
    let sign = auth_sign(APP_KEY, now, &Secret::new(SECRET));
    let answer: Value = http
        .post(emulator.v2("/auth"))
        .body(json!({"sign": sign, "timestamp": now, "appkey": APP_KEY}).to_string())
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("an envelope");
    answer["data"]["token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

async fn v2_post(http: &reqwest::Client, url: String, token: &str, body: Value) -> Value {
    http.post(url)
        .header("token", token)
        .body(body.to_string())
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("an envelope")
}

#[tokio::test]
async fn emulator_command_takes_the_report_lag_and_the_answer_to_a_repeated_request() {
    let emulator =
        EmulatorProcess::start(&["--report-lag", "0s", "--repeated-request", "unknown-id"]);
    let http = reqwest::Client::new();
    let token = v2_token(&http, &emulator).await;
    let push = json!({"request_id": "flags-0000001",
        "audience": {"tag": [{"key": "custom_tag", "values": ["vip"], "opt_type": "or"}]},
        "push_message": {"transmission": "hi"}});
    let first = v2_post(&http, emulator.v2("/push/tag"), &token, push.clone()).await;
    let first = first["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned();
    let again = v2_post(&http, emulator.v2("/push/tag"), &token, push).await;
    let again = again["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned();
    assert_ne!(first, again, "--repeated-request unknown-id");
    let report: Value = http
        .get(emulator.v2(&format!("/report/push/task/{first},{again}")))
        .header("token", &token)
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("an envelope");
    // With no lag the push counts at once: five vip users, three online on Getui's channel
    // and one offline with no maker channel, one iPhone through APNs. A payload displays
    // nothing there.
    assert_eq!(
        report["data"],
        json!({&first: v2_channels(VIP)}),
        "{report}"
    );
}

/// `--no-schedule-feature`: the app id has no VIP scheduled pushes, so a `schedule_time` is
/// refused with 30002 (HTTP 403), and a push sent at once still goes out.
#[tokio::test]
async fn emulator_command_without_the_schedule_feature_refuses_a_schedule_time() {
    let emulator = EmulatorProcess::start(&["--no-schedule-feature"]);
    let http = reqwest::Client::new();
    let token = v2_token(&http, &emulator).await;
    let push = |request_id: &str, schedule: Option<i64>| {
        let mut push = json!({"request_id": request_id,
            "audience": {"tag": [{"key": "custom_tag", "values": ["vip"], "opt_type": "or"}]},
            "push_message": {"transmission": "hi"}});
        if let Some(at) = schedule {
            push["settings"] = json!({"schedule_time": at});
        }
        push
    };
    let later = chrono::Utc::now().timestamp_millis() + 3_600_000;
    let response = http
        .post(emulator.v2("/push/tag"))
        .header("token", &token)
        .body(push("vip-flag-00001", Some(later)).to_string())
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 403);
    let refused: Value = response.json().await.expect("an envelope");
    assert_eq!(refused["code"], 30002, "{refused}");
    let now = v2_post(
        &http,
        emulator.v2("/push/tag"),
        &token,
        push("vip-flag-00002", None),
    )
    .await;
    assert_eq!(now["code"], 0, "{now}");
}
