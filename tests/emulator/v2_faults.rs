//! Each fault kind on a REST V2 route, addressed by the route's name, as a raw client sees
//! it, and whether the request was applied.

use std::time::Duration;

use gtcamp::emulator::{EmulatorConfig, FaultKind, FaultSpec, v2_routes};
use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{APP_ID, config};
use crate::v2::{V2, tag_push};

fn spec(text: &str) -> FaultSpec {
    text.parse().expect("valid fault spec")
}

/// Posts a scheduled tag push on a fresh client that gives up after 800 ms.
async fn push(v2: &V2, url: &str, token: &str) -> Result<reqwest::Response, reqwest::Error> {
    let body = tag_push("fault-0000001", Some(v2.now_ms() + 3_600_000), "g");
    reqwest::Client::builder()
        .timeout(Duration::from_millis(800))
        .build()
        .expect("client")
        .post(url)
        .header("token", token)
        .body(body.to_string())
        .send()
        .await
}

/// [`push`]'s envelope, which must come.
async fn answered(v2: &V2, url: &str, token: &str) -> Value {
    push(v2, url, token)
        .await
        .expect("answered")
        .json()
        .await
        .expect("an envelope")
}

fn created(v2: &V2) -> usize {
    v2.h.emulator.snapshot().tasks.len()
}

fn last(
    v2: &V2,
) -> (
    Option<String>,
    Option<FaultKind>,
    Option<String>,
    Option<u16>,
) {
    let request = v2.h.emulator.recorded_requests().pop().expect("recorded");
    (
        request.action,
        request.fault,
        request.result,
        request.status,
    )
}

#[tokio::test]
async fn faults_that_stop_a_push_before_the_store_apply_nothing() {
    let v2 = V2::with(EmulatorConfig {
        timeout_hold: Duration::from_secs(30),
        ..config()
    })
    .await;
    let token = v2.auth().await;
    let url = v2.url("/push/tag");
    let name = v2_routes::PUSH_TAG;
    for kind in ["reset", "timeout", "http5xx"] {
        v2.h.emulator.set_faults(spec(&format!("{kind}@{name}=1")));
        let outcome = push(&v2, &url, &token).await;
        match kind {
            "http5xx" => assert_eq!(outcome.map(|r| r.status().as_u16()).ok(), Some(503)),
            "timeout" => assert!(outcome.is_err_and(|e| e.is_timeout()), "{kind}"),
            _ => assert!(outcome.is_err_and(|e| !e.is_timeout()), "{kind}"),
        }
        let (action, fault, result, _) = last(&v2);
        assert_eq!(action.as_deref(), Some(name), "{kind}");
        assert_eq!(fault.map(|f| f.to_string()).as_deref(), Some(kind));
        assert_eq!(result, None, "{kind}: no envelope was answered");
    }
    v2.h.emulator
        .set_faults(spec(&format!("flow_exceeded@{name}=1")));
    let limited: Value = answered(&v2, &url, &token).await;
    assert_eq!(limited["code"], 10005, "{limited}");
    assert_eq!(last(&v2).2.as_deref(), Some("10005"));
    for answer in ["30019", "OtherError"] {
        v2.h.emulator
            .set_faults(spec(&format!("answer:{answer}@{name}=1")));
        let reply = answered(&v2, &url, &token).await;
        let expected = if answer == "30019" { 30019 } else { 1 };
        assert_eq!(reply["code"], expected, "{answer}: {reply}");
    }
    assert_eq!(created(&v2), 0);
}

#[tokio::test]
async fn commit_drop_applies_the_push_and_its_request_id_recovers_the_task() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let url = v2.url("/push/tag");
    v2.h.emulator
        .set_faults(spec(&format!("commit_drop@{}=1", v2_routes::PUSH_TAG)));
    assert!(push(&v2, &url, &token).await.is_err(), "no answer");
    assert_eq!(created(&v2), 1, "applied all the same");
    assert_eq!(last(&v2).1, Some(FaultKind::CommitDrop));
    let id = v2.h.emulator.snapshot().tasks[0].id.clone();
    v2.h.emulator.set_faults(FaultSpec::default());
    let resent: Value = answered(&v2, &url, &token).await;
    assert_eq!(resent["data"]["taskid"], json!(id));
    assert_eq!(created(&v2), 1);
}

#[tokio::test]
async fn domain_error_is_a_301_to_this_emulators_other_v2_path() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    v2.h.emulator
        .set_faults(spec(&format!("domain_error@{}=1", v2_routes::PUSH_TAG)));
    let switched: Value = answered(&v2, &v2.url("/push/tag"), &token).await;
    assert_eq!(switched["code"], 301, "{switched}");
    assert_eq!(created(&v2), 0);
    let host = switched["data"]["host_list"][0]
        .as_str()
        .expect("a host")
        .to_owned();
    assert_eq!(
        host,
        format!("http://{}/v2-alt", v2.h.emulator.local_addr())
    );
    v2.h.emulator.set_faults(FaultSpec::default());
    let followed: Value = answered(&v2, &format!("{host}/{APP_ID}/push/tag"), &token).await;
    assert_eq!(
        followed["code"], 0,
        "the same token works there: {followed}"
    );
    let recorded = v2.h.emulator.recorded_requests().pop().expect("recorded");
    assert!(recorded.path.starts_with("/v2-alt/"), "{}", recorded.path);
    // And back: a 301 on the other path names the first one.
    v2.h.emulator.set_faults(spec(&format!(
        "domain_error@{}=1",
        v2_routes::TASK_SCHEDULE_GET
    )));
    let back =
        v2.h.http
            .get(format!("{host}/{APP_ID}/task/schedule/RASA_0302_x"))
            .header("token", &token)
            .send()
            .await
            .expect("answered")
            .json::<Value>()
            .await
            .expect("an envelope");
    assert_eq!(
        back["data"]["host_list"],
        json!([v2.h.emulator.v2_endpoint()])
    );
}

#[tokio::test]
async fn a_named_rule_hits_only_its_route_and_an_unnamed_one_every_v2_route() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    v2.h.emulator
        .set_faults(spec(&format!("flow_exceeded@{}=1", v2_routes::PUSH_TAG)));
    let read = v2.get(&token, "/task/schedule/RASA_0302_x").await;
    crate::v2::assert_no_such_task(&read);
    v2.h.emulator.set_faults(spec("flow_exceeded=1"));
    let (status, auth) = v2
        .send(Method::POST, "/auth", None, Some(v2.auth_body(v2.now_ms())))
        .await;
    assert_eq!(
        (status, &auth["code"]),
        (401, &json!(10003)),
        "auth's own flow limit, with its documented status"
    );
    assert_eq!(v2.get(&token, "/user/cid/alias/alice").await["code"], 10005);
}

#[test]
fn every_route_name_is_a_valid_fault_target_and_unique() {
    let mut names = v2_routes::ALL.to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), v2_routes::ALL.len());
    for name in v2_routes::ALL {
        assert!(name.starts_with("v2_"), "{name}");
        let parsed = spec(&format!("reset@{name}=1"));
        assert_eq!(parsed.rules[0].action.as_deref(), Some(name));
        assert!(v2_routes::is_v2(name));
    }
    assert!(!v2_routes::is_v2("pushMessageToAppAction"));
}

#[test]
fn the_emulator_page_documents_every_route_name() {
    let page = std::fs::read_to_string(crate::harness::manifest_dir().join("docs/emulator.md"))
        .expect("docs/emulator.md reads");
    for name in v2_routes::ALL {
        assert!(
            page.contains(&format!("`{name}`")),
            "the REST V2 table of docs/emulator.md lacks `{name}`"
        );
    }
}
