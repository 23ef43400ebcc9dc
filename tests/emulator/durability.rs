//! What `gtcamp emulator --data DIR` acknowledged is still there after the process is killed
//! with SIGKILL (no chance to flush anything) and started again on the same folder.
//!
//! The binary runs on the system clock, so push times are taken from it too; both move
//! together when the suite runs with the clock years ahead.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use chrono::{Duration, Utc};
use futures::stream::{self, StreamExt};
use gtcamp::getui::{Secret, connect_sign};
use serde_json::{Value, json};

use crate::harness::{APP_ID, APP_KEY, SECRET, client_data, fixture_path, push_time};

/// A running `gtcamp emulator` child and the URL it printed.
struct Running {
    child: Child,
    url: String,
}

fn start(data: &Path) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gtcamp"))
        .args(["emulator", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .arg("--users")
        .arg(fixture_path())
        // Hundreds of pushes a second: Getui's limits are not what this measures.
        .arg("--no-limits")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gtcamp emulator starts");
    let stdout = child.stdout.take().expect("piped stdout");
    // The first line is the URL; `read_line` returns at the latest when the child exits.
    let mut url = String::new();
    BufReader::new(stdout)
        .read_line(&mut url)
        .expect("the emulator prints its URL");
    assert!(url.starts_with("http://"), "no URL printed: {url:?}");
    Running {
        child,
        url: url.trim().to_owned(),
    }
}

async fn post(http: &reqwest::Client, url: &str, body: Value) -> Value {
    http.post(url)
        .body(body.to_string())
        .send()
        .await
        .expect("the emulator answers")
        .json()
        .await
        .expect("the answer is JSON")
}

async fn connect(http: &reqwest::Client, url: &str) -> String {
    let now = Utc::now().timestamp_millis();
    let sign = connect_sign(APP_KEY, now, &Secret::new(SECRET));
    let answer = post(
        http,
        url,
        json!({"action": "connect", "appkey": APP_KEY, "timeStamp": now, "sign": sign}),
    )
    .await;
    answer["authtoken"].as_str().expect("a token").to_owned()
}

async fn call(http: &reqwest::Client, url: &str, token: &str, mut body: Value) -> Value {
    body["appkey"] = json!(APP_KEY);
    body["authToken"] = json!(token);
    body["version"] = json!("4.1.1.2");
    post(http, url, body).await
}

/// Saves and schedules one app push; returns its task id once both calls were answered `ok`.
async fn schedule(http: &reqwest::Client, url: &str, token: &str, n: usize) -> String {
    let at = Utc::now() + Duration::hours(5) + Duration::minutes(n as i64);
    let saved = call(
        http,
        url,
        token,
        json!({
            "action": "getContentIdAction",
            "clientData": client_data("", None),
            "transmissionContent": format!("push {n}"),
            "isOffline": true,
            "offlineExpireTime": 43_200_000,
            "pushNetWorkType": 0,
            "pushType": "TransmissionMsg",
            "type": 2,
            "contentType": 2,
            "appIdList": [APP_ID],
            "speed": 0,
            "pushTime": push_time(at),
            "taskGroupName": format!("group-{n}"),
        }),
    )
    .await;
    assert_eq!(saved["result"], "ok", "{saved}");
    let id = saved["contentId"]
        .as_str()
        .expect("a content id")
        .to_owned();
    let pushed = call(
        http,
        url,
        token,
        json!({"action": "pushMessageToAppAction", "contentId": id, "type": 2}),
    )
    .await;
    assert_eq!(pushed["result"], "ok", "{pushed}");
    id
}

#[tokio::test]
async fn every_task_acknowledged_before_a_kill_9_is_there_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let http = reqwest::Client::new();
    let mut first = start(dir.path());
    let token = connect(&http, &first.url).await;
    // Eight at a time, so that commits are shared between requests.
    let ids: Vec<String> = stream::iter(0..64)
        .map(|n| schedule(&http, &first.url, &token, n))
        .buffer_unordered(8)
        .collect()
        .await;
    let bound = call(
        &http,
        &first.url,
        &token,
        json!({"action": "bind_cid_pn", "appId": APP_ID,
               "cidpnlist": {"cid-gx-android-1": "5fb327649a645b685351456c4b962115"}}),
    )
    .await;
    assert_eq!(bound["result"], "0", "{bound}");
    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("the emulator is gone");

    let mut second = start(dir.path());
    let token = connect(&http, &second.url).await;
    for id in &ids {
        let answer = call(
            &http,
            &second.url,
            &token,
            json!({"action": "getScheduleTaskAction", "appId": APP_ID, "taskId": id}),
        )
        .await;
        assert_eq!(answer["result"], "ok", "task {id} was lost: {answer}");
        assert_eq!(answer["sendResult"], "do_not_send", "{answer}");
    }
    let phone = call(
        &http,
        &second.url,
        &token,
        json!({"action": "query_cid_pn", "appId": APP_ID, "cids": ["cid-gx-android-1"]}),
    )
    .await;
    assert_eq!(
        phone["batchRet"][0]["pn"], "5fb327649a645b685351456c4b962115",
        "{phone}"
    );
    second.child.kill().expect("SIGKILL");
    second.child.wait().expect("the emulator is gone");
}

/// The V2 endpoint prefix of an emulator whose legacy URL is `url`.
fn v2_prefix(url: &str) -> String {
    let address = url.trim_end_matches("/apiex.htm");
    format!("{address}/v2")
}

async fn v2_auth(http: &reqwest::Client, prefix: &str) -> String {
    let now = Utc::now().timestamp_millis();
    let sign = gtcamp::getui::v2::auth_sign(APP_KEY, now, &Secret::new(SECRET));
    let answer = post(
        http,
        &format!("{prefix}/{APP_ID}/auth"),
        json!({"sign": sign, "timestamp": now, "appkey": APP_KEY}),
    )
    .await;
    answer["data"]["token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// A scheduled V2 tag push with request id `req-{n}`; its task id once answered.
async fn v2_schedule(http: &reqwest::Client, prefix: &str, token: &str, n: usize) -> String {
    let at = Utc::now() + Duration::hours(5) + Duration::minutes(n as i64);
    let answer: Value = http
        .post(format!("{prefix}/{APP_ID}/push/tag"))
        .header("token", token)
        .body(
            json!({
                "request_id": format!("req-{n:010}"),
                "group_name": format!("group-{n}"),
                "settings": {"schedule_time": at.timestamp_millis()},
                "audience": {"tag": [{"key": "custom_tag", "values": ["vip"], "opt_type": "or"}]},
                "push_message": {"transmission": format!("push {n}")},
            })
            .to_string(),
        )
        .send()
        .await
        .expect("the emulator answers")
        .json()
        .await
        .expect("an envelope");
    assert_eq!(answer["code"], 0, "{answer}");
    answer["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned()
}

#[tokio::test]
async fn v2_request_ids_acknowledged_before_a_kill_9_still_create_nothing_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let http = reqwest::Client::new();
    let mut first = start(dir.path());
    let prefix = v2_prefix(&first.url);
    let token = v2_auth(&http, &prefix).await;
    let ids: Vec<String> = stream::iter(0..32)
        .map(|n| v2_schedule(&http, &prefix, &token, n))
        .buffered(8)
        .collect()
        .await;
    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("the emulator is gone");

    let mut second = start(dir.path());
    let prefix = v2_prefix(&second.url);
    let token = v2_auth(&http, &prefix).await;
    let again: Vec<String> = stream::iter(0..32)
        .map(|n| v2_schedule(&http, &prefix, &token, n))
        .buffered(8)
        .collect()
        .await;
    assert_eq!(
        again, ids,
        "a remembered request id answers its original task"
    );
    // Getui has no call that lists a group's tasks; the admin API does, for this check.
    let origin = second.url.trim_end_matches("/apiex.htm");
    let group: Value = http
        .get(format!("{origin}/_emulator/groups/group-3"))
        .send()
        .await
        .expect("the admin API answers")
        .json()
        .await
        .expect("JSON");
    let listed: Vec<&Value> = group["tasks"].as_array().into_iter().flatten().collect();
    assert_eq!(listed.len(), 1, "{group}");
    assert_eq!(listed[0]["task_id"], ids[3].as_str(), "{group}");
    second.child.kill().expect("SIGKILL");
    second.child.wait().expect("the emulator is gone");
}
