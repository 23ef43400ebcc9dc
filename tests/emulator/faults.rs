//! Each fault kind as a raw HTTP client sees it, and whether the request was applied.

use std::time::Duration;

use gtcamp::emulator::{EmulatorConfig, FaultKind, FaultSpec};
use serde_json::{Value, json};

use crate::harness::{APP_ID, APP_KEY, Harness, config};

fn spec(text: &str) -> FaultSpec {
    text.parse().expect("valid fault spec")
}

fn bind_alias(token: &str) -> Value {
    json!({"action": "alias_bind", "appkey": APP_KEY, "authToken": token, "appid": APP_ID,
           "alias": "faulty", "cid": "cid-gx-android-1"})
}

/// Sends `body` on a fresh connection and returns the transport outcome.
async fn send(h: &Harness, body: &Value) -> Result<reqwest::Response, reqwest::Error> {
    send_text(h, body.to_string()).await
}

async fn send_text(h: &Harness, body: String) -> Result<reqwest::Response, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(Duration::from_millis(800))
        .build()
        .expect("client")
        .post(&h.url)
        .body(body)
        .send()
        .await
}

fn alias_applied(h: &Harness) -> bool {
    h.emulator.snapshot().aliases.contains_key("faulty")
}

fn last_fault(h: &Harness) -> Option<FaultKind> {
    h.emulator.recorded_requests().last().and_then(|r| r.fault)
}

#[tokio::test]
async fn reset_closes_the_connection_without_applying() {
    let h = Harness::start().await;
    let token = h.connect().await;
    h.emulator.set_faults(spec("reset@alias_bind=1"));
    let outcome = send(&h, &bind_alias(&token)).await;
    let error = outcome.expect_err("no response after a reset");
    assert!(!error.is_timeout(), "{error}");
    assert!(!alias_applied(&h));
    assert_eq!(last_fault(&h), Some(FaultKind::Reset));
}

#[tokio::test]
async fn timeout_holds_the_request_past_the_client_deadline_without_applying() {
    let h = Harness::with(EmulatorConfig {
        timeout_hold: Duration::from_secs(30),
        ..config()
    })
    .await;
    let token = h.connect().await;
    h.emulator.set_faults(spec("timeout=1"));
    let error = send(&h, &bind_alias(&token))
        .await
        .expect_err("the client gives up");
    assert!(error.is_timeout(), "{error}");
    assert!(!alias_applied(&h));
    let held = h
        .emulator
        .recorded_requests()
        .pop()
        .expect("recorded on arrival");
    assert_eq!(held.action.as_deref(), Some("alias_bind"));
    assert_eq!(held.fault, Some(FaultKind::Timeout));
    assert_eq!(
        (held.result, held.status),
        (None, None),
        "nothing was answered"
    );
}

#[tokio::test]
async fn domain_error_names_the_other_url_of_the_emulator_without_applying() {
    let h = Harness::start().await;
    let token = h.connect().await;
    h.emulator.set_faults(spec("domain_error@alias_bind=1"));
    let answer: Value = send(&h, &bind_alias(&token))
        .await
        .expect("a response")
        .json()
        .await
        .expect("JSON");
    let elsewhere = h.url.replace("/apiex.htm", "/serviceex");
    assert_eq!(
        answer,
        json!({"result": "domain_error", "osList": [elsewhere.clone()]})
    );
    assert!(!alias_applied(&h));

    let back: Value = reqwest::Client::new()
        .post(&elsewhere)
        .body(bind_alias(&token).to_string())
        .send()
        .await
        .expect("a response")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        back,
        json!({"result": "domain_error", "osList": [h.url.clone()]}),
        "a request on the other URL is sent back to the first"
    );
    h.emulator.set_faults(FaultSpec::default());
    let applied: Value = reqwest::Client::new()
        .post(&elsewhere)
        .body(bind_alias(&token).to_string())
        .send()
        .await
        .expect("a response")
        .json()
        .await
        .expect("JSON");
    assert_eq!(applied["result"], "ok", "the other URL serves the protocol");
    assert!(alias_applied(&h));
    let paths: Vec<String> = h
        .emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some("alias_bind"))
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(paths, ["/apiex.htm", "/serviceex", "/serviceex"]);
}

#[tokio::test]
async fn http5xx_answers_503_without_applying() {
    let h = Harness::start().await;
    let token = h.connect().await;
    h.emulator.set_faults(spec("http5xx=1"));
    let response = send(&h, &bind_alias(&token)).await.expect("a response");
    assert_eq!(response.status(), 503);
    assert!(!alias_applied(&h));
}

#[tokio::test]
async fn flow_exceeded_is_a_business_answer_without_applying() {
    let h = Harness::start().await;
    let token = h.connect().await;
    h.emulator.set_faults(spec("flow_exceeded=1"));
    let response = send(&h, &bind_alias(&token)).await.expect("a response");
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.expect("JSON");
    assert_eq!(answer, json!({"result": "flow_exceeded"}));
    assert!(!alias_applied(&h));
}

#[tokio::test]
async fn commit_drop_applies_then_drops_the_connection() {
    let h = Harness::start().await;
    let token = h.connect().await;
    h.emulator.set_faults(spec("commit_drop@alias_bind=1"));
    let outcome = send(&h, &bind_alias(&token)).await;
    assert!(outcome.is_err(), "no response after commit-drop");
    assert!(alias_applied(&h), "the change was committed");
    assert_eq!(last_fault(&h), Some(FaultKind::CommitDrop));
}

#[tokio::test]
async fn faults_spare_the_bootstrap_and_probe_unless_named() {
    let h = Harness::with(EmulatorConfig {
        faults: spec("reset=1"),
        ..config()
    })
    .await;
    let bootstrap = json!({"action": "getOSPushDomailUrlListAction", "appkey": APP_KEY});
    assert_eq!(h.post(bootstrap.clone()).await["result"], "ok");
    assert_eq!(
        send_text(&h, String::new())
            .await
            .map(|r| r.status().as_u16())
            .ok(),
        Some(200)
    );
    assert!(
        send(&h, &json!({"action": "connect", "appkey": APP_KEY}))
            .await
            .is_err()
    );
    h.emulator
        .set_faults(spec("http5xx@getOSPushDomailUrlListAction=1"));
    let response = send(&h, &bootstrap).await.expect("a response");
    assert_eq!(response.status(), 503);
}

#[tokio::test]
async fn seeded_faults_replay_the_same_sequence() {
    let run = || async {
        let h = Harness::with(EmulatorConfig {
            faults: spec("flow_exceeded=0.5,seed=11"),
            ..config()
        })
        .await;
        let mut results = Vec::new();
        for _ in 0..16 {
            let answer = h
                .post(json!({"action": "queryUserCount", "appkey": APP_KEY}))
                .await;
            results.push(answer["result"].as_str().unwrap_or("").to_owned());
        }
        results
    };
    let first = run().await;
    assert_eq!(first, run().await);
    assert!(first.iter().any(|r| r == "flow_exceeded") && first.iter().any(|r| r == "sign_error"));
}

#[tokio::test]
async fn admin_api_sets_faults_and_clock_and_shows_state() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let admin = reqwest::Client::new();
    let set = admin
        .post(h.admin_url("faults"))
        .body(r#"{"faults": "flow_exceeded@queryUserCount=1", "latency": "1ms"}"#)
        .send()
        .await
        .expect("admin answers");
    assert_eq!(set.status(), 200);
    let count = json!({"action": "queryUserCount", "appId": APP_ID, "conditions": []});
    assert_eq!(h.call(&token, count).await["result"], "flow_exceeded");
    let bad = admin
        .post(h.admin_url("faults"))
        .body(r#"{"faults": "meteor=1"}"#)
        .send()
        .await
        .expect("admin answers");
    assert_eq!(bad.status(), 400);
    let error: Value = bad.json().await.expect("JSON");
    assert!(
        error["error"].as_str().unwrap_or("").contains("meteor"),
        "{error}"
    );

    let at = h.emulator.clock().now() + chrono::Duration::hours(1);
    let id = h.schedule(&token, at, "admin").await;
    let clock: Value = admin
        .post(h.admin_url("clock"))
        .body(r#"{"advance_secs": 7200}"#)
        .send()
        .await
        .expect("admin answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(clock["manual"], true);
    let absurd = admin
        .post(h.admin_url("clock"))
        .body(r#"{"advance_secs": 9223372036854775807}"#)
        .send()
        .await
        .expect("admin answers");
    assert_eq!(
        absurd.status(),
        400,
        "an absurd clock move is refused, not a crash"
    );
    let state: Value = admin
        .get(h.admin_url("state"))
        .send()
        .await
        .expect("admin answers")
        .json()
        .await
        .expect("JSON");
    let task = state["tasks"]
        .as_array()
        .and_then(|tasks| tasks.iter().find(|t| t["id"] == id.as_str()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(task["status"], "send_success");
    let requests: Value = admin
        .get(h.admin_url("requests"))
        .send()
        .await
        .expect("admin answers")
        .json()
        .await
        .expect("JSON");
    assert!(requests.as_array().is_some_and(|r| r.len() >= 4));
}

#[tokio::test]
async fn admin_api_lists_the_tasks_of_a_group_which_getui_cannot() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let now = h.emulator.clock().now();
    let saved = h
        .save_app_content(&token, json!({"taskGroupName": "occ-9"}))
        .await;
    let saved = saved["contentId"].as_str().expect("a content id");
    let at = now + chrono::Duration::hours(1);
    let scheduled = h.schedule(&token, at, "occ-9").await;
    h.schedule(&token, at, "occ-10").await;
    h.emulator.clock().advance(chrono::Duration::minutes(1));
    let view = |group: &str| {
        let url = h.admin_url(&format!("groups/{group}"));
        async move {
            reqwest::get(url)
                .await
                .expect("the admin API answers")
                .json::<Value>()
                .await
                .expect("JSON")
        }
    };
    assert_eq!(
        view("occ-9").await,
        json!({"group": "occ-9", "tasks": [
            {"task_id": saved, "kind": "app", "status": "saved", "push_time": null,
             "created_at": now},
            {"task_id": scheduled, "kind": "app", "status": "do_not_send", "push_time": at,
             "created_at": now},
        ]})
    );
    assert_eq!(
        view("nobody").await,
        json!({"group": "nobody", "tasks": []})
    );
    assert!(
        h.emulator
            .recorded_requests()
            .iter()
            .all(|r| !r.path.contains("_emulator")),
        "the admin API is not recorded"
    );
}
