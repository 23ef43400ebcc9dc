//! The emulator's REST V2 as a raw HTTP client sees it: each endpoint, the envelope and its
//! codes, tokens on the manual clock, request-id de-duplication across a restart, the same
//! store as the legacy protocol, the 7-day limit and the group report.

use chrono::Duration;
use gtcamp::emulator::{EmulatorConfig, RepeatedRequest, TaskStatus, v2_routes};
use gtcamp::getui::v2::auth_sign;
use gtcamp::getui::{Limits, Secret};
use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{APP_ID, APP_KEY, Harness, SECRET, config, gunzip_json, gzip, push_time};
use crate::reports::{VIP, v2_channels};

/// An emulator and a V2 view of it.
pub struct V2 {
    pub h: Harness,
}

impl V2 {
    pub async fn start() -> V2 {
        V2::with(config()).await
    }

    pub async fn with(config: EmulatorConfig) -> V2 {
        V2 {
            h: Harness::with(config).await,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{APP_ID}{path}", self.h.emulator.v2_endpoint())
    }

    pub fn now_ms(&self) -> i64 {
        self.h.emulator.clock().now().timestamp_millis()
    }

    /// Sends a request and returns the HTTP status and the JSON answer (`Null` if none).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.h.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header("token", token);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json;charset=utf-8")
                .body(body.to_string());
        }
        let response = request.send().await.expect("the emulator answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A business call: an envelope, with the HTTP status Getui documents for its code.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Value {
        let (status, answer) = self.send(method, path, Some(token), body).await;
        assert!(answer["code"].is_i64(), "an envelope: {answer}");
        assert_eq!(
            status,
            documented_status(&answer),
            "the HTTP status of its code: {answer}"
        );
        answer
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> Value {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn get(&self, token: &str, path: &str) -> Value {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Value {
        self.call(Method::DELETE, path, token, None).await
    }

    pub fn auth_body(&self, timestamp: i64) -> Value {
        let sign = auth_sign(APP_KEY, timestamp, &Secret::new(SECRET));
        json!({"sign": sign, "timestamp": timestamp, "appkey": APP_KEY})
    }

    /// Signs in and returns the token.
    pub async fn auth(&self) -> String {
        let (status, answer) = self
            .send(
                Method::POST,
                "/auth",
                None,
                Some(self.auth_body(self.now_ms())),
            )
            .await;
        assert_eq!((status, &answer["code"]), (200, &json!(0)), "{answer}");
        answer["data"]["token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    /// Creates a scheduled tag push to the vip users, `minutes` from now; returns its id.
    pub async fn schedule(
        &self,
        token: &str,
        request_id: &str,
        minutes: i64,
        group: &str,
    ) -> String {
        let at = self.now_ms() + minutes * 60_000;
        let answer = self
            .post(token, "/push/tag", tag_push(request_id, Some(at), group))
            .await;
        assert_eq!(answer["code"], 0, "{answer}");
        answer["data"]["taskid"]
            .as_str()
            .expect("a task id")
            .to_owned()
    }
}

/// The HTTP status Getui documents for an envelope's code: 1xxxx 401, 2xxxx 400, 3xxxx
/// 403, the rest 200 (`getui-protocol.md` F.7 [T]). Spelled out here rather than read from
/// `Code::http_status`, so that the test would catch a wrong rule there.
pub fn documented_status(answer: &Value) -> u16 {
    match answer["code"].as_i64().unwrap_or_default() {
        10_000..=19_999 => 401,
        20_000..=29_999 => 400,
        30_000..=39_999 => 403,
        _ => 200,
    }
}

/// Getui's answer to a read or delete of a task id that names no task (any more) [L].
pub const NO_SUCH_TASK: &str = "taskid is invalid or taskid is deleted";

#[track_caller]
pub fn assert_no_such_task(answer: &Value) {
    assert_eq!(
        (&answer["code"], &answer["msg"]),
        (&json!(20001), &json!(NO_SUCH_TASK)),
        "{answer}"
    );
}

/// A `/push/tag` body to the vip users (as the Java SDK writes it).
pub fn tag_push(request_id: &str, schedule_time: Option<i64>, group: &str) -> Value {
    let mut settings = json!({"ttl": 3_600_000, "speed": 0});
    if let Some(at) = schedule_time {
        settings["schedule_time"] = json!(at);
    }
    json!({
        "request_id": request_id,
        "group_name": group,
        "settings": settings,
        "audience": {"tag": [{"key": "custom_tag", "values": ["vip"], "opt_type": "or"}]},
        "push_message": {"transmission": "spring sale"},
    })
}

fn legacy_get(id: &str) -> Value {
    json!({"action": "getScheduleTaskAction", "appId": APP_ID, "taskId": id})
}

// -----------------------------------------------------------------------------------------
// Auth and the envelope

#[tokio::test]
async fn auth_trades_a_fresh_sha256_sign_for_a_token_valid_for_the_ttl() {
    let v2 = V2::start().await;
    let now = v2.now_ms();
    let (status, answer) = v2
        .send(Method::POST, "/auth", None, Some(v2.auth_body(now)))
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["code"], 0, "{answer}");
    assert_eq!(
        answer["data"]["expire_time"],
        json!((now + 24 * 3_600_000).to_string())
    );
    let refused = |body: Value| {
        let v2 = &v2;
        async move {
            let (status, answer) = v2.send(Method::POST, "/auth", None, Some(body)).await;
            assert_eq!(status, documented_status(&answer), "{answer}");
            (answer["code"].clone(), answer["msg"].clone())
        }
    };
    // Getui answered a wrong sign with 20001 "sign is invalid" (HTTP 400).
    let invalid_sign = (json!(20001), json!("sign is invalid"));
    let mut wrong_sign = v2.auth_body(now);
    wrong_sign["sign"] = json!(auth_sign(APP_KEY, now, &Secret::new("not-the-secret")));
    assert_eq!(refused(wrong_sign).await, invalid_sign);
    let stale = now - 11 * 60_000;
    assert_eq!(refused(v2.auth_body(stale)).await, invalid_sign);
    let mut other_key = v2.auth_body(now);
    other_key["appkey"] = json!("other-key");
    assert_eq!(refused(other_key).await, invalid_sign);
    // The docs write the timestamp as a string; it is accepted too.
    let mut as_text = v2.auth_body(now);
    as_text["timestamp"] = json!(now.to_string());
    assert_eq!(refused(as_text).await.0, 0);
}

#[tokio::test]
async fn a_token_expires_on_the_emulator_clock_and_can_be_given_up() {
    let v2 = V2::with(EmulatorConfig {
        token_ttl: Duration::hours(1),
        ..config()
    })
    .await;
    let token = v2.auth().await;
    let read = "/user/cid/alias/alice";
    assert_eq!(v2.get(&token, read).await["code"], 0);
    v2.h.emulator.clock().advance(Duration::minutes(59));
    assert_eq!(v2.get(&token, read).await["code"], 0);
    v2.h.emulator.clock().advance(Duration::minutes(1));
    assert_eq!(v2.get(&token, read).await["code"], 10001);
    assert_eq!(v2.get("made-up", read).await["code"], 10001);
    let (status, missing) = v2.send(Method::GET, read, None, None).await;
    assert_eq!((status, &missing["code"]), (401, &json!(10001)));

    let token = v2.auth().await;
    assert_eq!(
        v2.delete(&token, &format!("/auth/{token}")).await["code"],
        0
    );
    assert_eq!(v2.get(&token, read).await["code"], 10001);
    let recorded = v2.h.emulator.recorded_requests();
    let close = recorded
        .iter()
        .find(|r| r.action.as_deref() == Some(v2_routes::AUTH_DELETE))
        .expect("the close is recorded");
    assert_eq!(close.path, format!("/v2/{APP_ID}/auth/***"));
    let log = serde_json::to_string(&recorded).expect("the log serializes");
    assert!(!log.contains(&token), "a token was recorded in clear");
    assert!(
        recorded
            .iter()
            .filter(|r| r.action.as_deref() == Some(v2_routes::AUTH))
            .all(|r| r.body["sign"] == "***")
    );
}

#[tokio::test]
async fn errors_are_envelopes_and_unknown_paths_are_transport_errors() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let wrong_app: Value =
        v2.h.http
            .get(format!(
                "{}/other-app/user/cid/alias/alice",
                v2.h.emulator.v2_endpoint()
            ))
            .header("token", &token)
            .send()
            .await
            .expect("answered")
            .json()
            .await
            .expect("an envelope");
    assert_eq!(wrong_app["code"], 10001, "{wrong_app}");
    let (status, not_json) = v2.send(Method::POST, "/push/tag", Some(&token), None).await;
    assert_eq!(status, 400);
    assert_eq!(not_json["code"], 20001, "{not_json}");
    let garbled =
        v2.h.http
            .post(v2.url("/push/tag"))
            .header("token", &token)
            .body("{not json")
            .send()
            .await
            .expect("answered");
    assert_eq!(garbled.status(), 200);
    let garbled: Value = garbled.json().await.expect("an envelope");
    assert_eq!(garbled["code"], 1, "{garbled}");
    let (status, _) = v2
        .send(Method::GET, "/push/nowhere", Some(&token), None)
        .await;
    assert_eq!(status, 404);
    let (status, _) = v2.send(Method::GET, "/push/tag", Some(&token), None).await;
    assert_eq!(status, 405);
    let unknown = v2.h.emulator.recorded_requests().pop().expect("recorded");
    assert_eq!(
        (unknown.action.as_deref(), unknown.status),
        (Some(""), Some(405))
    );
}

// -----------------------------------------------------------------------------------------
// Pushes

#[tokio::test]
async fn a_scheduled_tag_push_waits_then_fires_to_the_conditions_users() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let id = v2.schedule(&token, "req-0000000001", 120, "spring-1").await;
    assert!(id.starts_with("RASA_0302_"), "{id}");
    assert_eq!(id.len(), "RASA_0302_".len() + 32);
    let path = format!("/task/schedule/{id}");
    let before = v2.get(&token, &path).await;
    assert_eq!(before["code"], 0, "{before}");
    let task = &before["data"][&id];
    assert_eq!(task["send_result"], "do_not_send");
    assert_eq!(task["transmission_content"], "spring sale");
    assert_eq!(
        task["push_time"],
        json!((v2.now_ms() + 120 * 60_000).to_string())
    );
    assert_eq!(task["create_time"], json!(v2.now_ms().to_string()));
    v2.h.emulator.clock().advance(Duration::minutes(120));
    let after = v2.get(&token, &path).await;
    assert_eq!(after["data"][&id]["send_result"], "send_success");
    let fired =
        v2.h.emulator
            .snapshot()
            .task(&id)
            .cloned()
            .expect("the task");
    // The fixture has five vip users of the app.
    assert_eq!(fired.recipients.len(), 5);
    assert_eq!(fired.group.as_deref(), Some("spring-1"));
}

#[tokio::test]
async fn push_all_reaches_every_user_at_once_and_wants_the_audience_all() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let body = |audience: Value| {
        json!({"request_id": "all-000000001", "audience": audience,
               "push_message": {"notification": {"title": "Hi", "body": "Sale",
                                                 "click_type": "startapp"}}})
    };
    let refused = v2
        .post(
            &token,
            "/push/all",
            body(json!({"cid": ["cid-zj-android-1"]})),
        )
        .await;
    assert_eq!(refused["code"], 20001, "{refused}");
    let answer = v2.post(&token, "/push/all", body(json!("all"))).await;
    assert_eq!(answer["code"], 0, "{answer}");
    let id = answer["data"]["taskid"].as_str().expect("a task id");
    let task =
        v2.h.emulator
            .snapshot()
            .task(id)
            .cloned()
            .expect("the task");
    assert_eq!(task.status, TaskStatus::SendSuccess);
    // Every user of the fixture but the one of another app.
    assert_eq!(task.recipients.len(), 12);
}

#[tokio::test]
async fn a_push_is_checked_before_anything_is_created() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let at = v2.now_ms() + 3_600_000;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = tag_push("checks-000001", Some(at), "g");
        change(&mut body);
        body
    };
    let cases: Vec<(&str, Value, i64)> = vec![
        (
            "request id too short",
            with(&|b| b["request_id"] = json!("123456789")),
            20001,
        ),
        (
            "request id too long",
            with(&|b| b["request_id"] = json!("x".repeat(33))),
            20001,
        ),
        (
            "no request id",
            with(&|b| b["request_id"] = Value::Null),
            20001,
        ),
        (
            "ttl over 3 days",
            with(&|b| b["settings"]["ttl"] = json!(259_200_001)),
            20001,
        ),
        (
            "ttl below -1",
            with(&|b| b["settings"]["ttl"] = json!(-2)),
            20001,
        ),
        (
            "negative speed",
            with(&|b| b["settings"]["speed"] = json!(-1)),
            20001,
        ),
        (
            "group charset",
            with(&|b| b["group_name"] = json!("spring sale!")),
            20001,
        ),
        (
            "group length",
            with(&|b| b["group_name"] = json!("g".repeat(101))),
            20001,
        ),
        (
            "unknown region",
            with(&|b| {
                b["audience"] = json!({"tag": [
            {"key": "region", "values": ["33990000"], "opt_type": "or"}]})
            }),
            20001,
        ),
        (
            "a municipality's district group, not a prefecture",
            with(&|b| {
                b["audience"] = json!({"tag": [
            {"key": "region", "values": ["11010000"], "opt_type": "or"}]})
            }),
            20001,
        ),
        (
            "unknown key",
            with(&|b| {
                b["audience"] = json!({"tag": [
            {"key": "portrait", "values": ["1"], "opt_type": "or"}]})
            }),
            20001,
        ),
        (
            "no conditions",
            with(&|b| b["audience"] = json!({"tag": []})),
            20001,
        ),
        (
            "two messages",
            with(&|b| {
                b["push_message"]["notification"] = json!(
            {"title": "t", "body": "b", "click_type": "startapp"})
            }),
            20001,
        ),
        (
            "url click without url",
            with(&|b| {
                b["push_message"] = json!({"notification":
            {"title": "t", "body": "b", "click_type": "url"}})
            }),
            20001,
        ),
        (
            "past",
            with(&|b| b["settings"]["schedule_time"] = json!(v2.now_ms() - 60_000)),
            22002,
        ),
        (
            "now",
            with(&|b| b["settings"]["schedule_time"] = json!(v2.now_ms())),
            22002,
        ),
        (
            "beyond 7 days",
            with(&|b| {
                b["settings"]["schedule_time"] = json!(v2.now_ms() + 7 * 86_400_000 + 60_000)
            }),
            22002,
        ),
    ];
    for (case, body, code) in cases {
        let answer = v2.post(&token, "/push/tag", body).await;
        assert_eq!(answer["code"], code, "{case}: {answer}");
        assert!(answer["data"].is_null(), "{case}: {answer}");
    }
    assert!(v2.h.emulator.snapshot().tasks.is_empty());
    let edge = with(&|b| b["settings"]["schedule_time"] = json!(v2.now_ms() + 7 * 86_400_000));
    assert_eq!(v2.post(&token, "/push/tag", edge).await["code"], 0);
}

#[tokio::test]
async fn a_seen_request_id_creates_nothing_and_answers_the_original_task() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let first = v2.schedule(&token, "dup-0000000001", 60, "g").await;
    // Even with another body, and on another endpoint.
    let again = v2.schedule(&token, "dup-0000000001", 90, "h").await;
    assert_eq!(again, first);
    let list = v2
        .post(
            &token,
            "/push/list/message",
            json!({"request_id": "dup-0000000001",
              "push_message": {"transmission": "x"}}),
        )
        .await;
    assert_eq!(list["data"]["taskid"], json!(first));
    assert_eq!(v2.h.emulator.snapshot().tasks.len(), 1);
}

#[tokio::test]
async fn a_seen_request_id_can_be_answered_an_id_that_names_no_task() {
    let v2 = V2::with(EmulatorConfig {
        repeated_request: RepeatedRequest::UnknownId,
        ..config()
    })
    .await;
    let token = v2.auth().await;
    let first = v2.schedule(&token, "dup-0000000002", 60, "g").await;
    let again = v2.schedule(&token, "dup-0000000002", 60, "g").await;
    assert_ne!(again, first, "a fresh id, not the original");
    assert!(
        again.starts_with("RASA_0302_"),
        "shaped like any task id: {again}"
    );
    assert_eq!(
        v2.h.emulator.snapshot().tasks.len(),
        1,
        "nothing was created"
    );
    let read = v2.get(&token, &format!("/task/schedule/{again}")).await;
    assert_no_such_task(&read);
    let report = v2.get(&token, &format!("/report/push/task/{again}")).await;
    assert_eq!(report["data"], json!({}), "{report}");
    let original = v2.get(&token, &format!("/task/schedule/{first}")).await;
    assert_eq!(original["data"][&first]["send_result"], "do_not_send");
}

#[tokio::test]
async fn request_ids_are_remembered_across_a_restart() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let stored = || EmulatorConfig {
        data_dir: Some(dir.path().to_owned()),
        ..config()
    };
    let v2 = V2::with(stored()).await;
    let token = v2.auth().await;
    let first = v2.schedule(&token, "durable-000001", 60, "g").await;
    v2.h.emulator.shutdown().await;

    let v2 = V2::with(stored()).await;
    let token = v2.auth().await;
    assert_eq!(v2.schedule(&token, "durable-000001", 60, "g").await, first);
    let snapshot = v2.h.emulator.snapshot();
    assert_eq!(snapshot.tasks.len(), 1);
    assert_eq!(
        snapshot
            .task(&first)
            .and_then(|t| t.v2.as_ref())
            .map(|v| v.request_id.as_str()),
        Some("durable-000001")
    );
}

#[tokio::test]
async fn list_messages_go_to_cids_and_aliases_with_their_statuses() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let saved = v2
        .post(
            &token,
            "/push/list/message",
            json!({"request_id": "list-00000001",
              "group_name": "news", "push_message": {"transmission": "hello"}}),
        )
        .await;
    let id = saved["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned();
    assert!(id.starts_with("RASL_"), "{id}");
    let by_cid = v2
        .post(
            &token,
            "/push/list/cid",
            json!({"taskid": id, "is_async": false,
              "audience": {"cid": ["cid-zj-android-1", "cid-zj-android-2", "nobody"]}}),
        )
        .await;
    assert_eq!(
        by_cid["data"][&id],
        json!({"cid-zj-android-1": "successed_online", "cid-zj-android-2": "successed_offline",
               "nobody": "successed_ignore"})
    );
    let by_alias = v2
        .post(
            &token,
            "/push/list/alias",
            json!({"taskid": id, "is_async": false,
              "need_alias_detail": true, "audience": {"alias": ["bob"]}}),
        )
        .await;
    assert_eq!(
        by_alias["data"][&id],
        json!({"bob": {"cid-zj-ios-1": "successed_online"}})
    );
    let unknown = v2
        .post(
            &token,
            "/push/list/cid",
            json!({"taskid": "RASL_0302_nope",
              "audience": {"cid": ["cid-zj-android-1"]}}),
        )
        .await;
    assert_eq!(unknown["code"], 22002);
    let pushes = v2.h.emulator.snapshot().list_pushes;
    let reached: Vec<Vec<String>> = pushes.iter().map(|p| p.delivered_to.clone()).collect();
    assert_eq!(
        reached,
        [
            vec!["cid-zj-android-1".to_owned(), "cid-zj-android-2".to_owned()],
            vec!["cid-zj-ios-1".to_owned()]
        ]
    );
}

#[tokio::test]
async fn a_single_push_reaches_its_one_cid() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let answer = v2
        .post(
            &token,
            "/push/single/cid",
            json!({"request_id": "single-000001",
              "audience": {"cid": ["cid-sh-ios-1"]}, "push_message": {"transmission": "hi"}}),
        )
        .await;
    assert_eq!(answer["code"], 0, "{answer}");
    let data = answer["data"].as_object().expect("task id → statuses");
    let (id, statuses) = data.iter().next().expect("one task");
    assert!(id.starts_with("RASS_"), "{id}");
    assert_eq!(statuses, &json!({"cid-sh-ios-1": "successed_online"}));
}

#[tokio::test]
async fn a_single_push_to_an_alias_reaches_its_cids() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let push = |request_id: &str, alias: &str| {
        json!({"request_id": request_id, "audience": {"alias": [alias]},
               "push_message": {"transmission": "hi"}})
    };
    let answer = v2
        .post(
            &token,
            "/push/single/alias",
            push("single-alias-01", "alice"),
        )
        .await;
    assert_eq!(answer["code"], 0, "{answer}");
    let data = answer["data"].as_object().expect("task id → statuses");
    let (id, statuses) = data.iter().next().expect("one task");
    assert!(id.starts_with("RASS_"), "{id}");
    assert_eq!(
        statuses,
        &json!({"cid-zj-android-1": "successed_online", "cid-zj-android-2": "successed_offline"})
    );
    // An alias bound to no device: nobody is reached and no status is named.
    let nobody = v2
        .post(
            &token,
            "/push/single/alias",
            push("single-alias-02", "nobody"),
        )
        .await;
    assert_eq!(nobody["code"], 0, "{nobody}");
    assert_eq!(
        nobody["data"].as_object().and_then(|d| d.values().next()),
        Some(&json!({}))
    );
    // Two aliases, or a cid, are not one alias.
    let two = json!({"request_id": "single-alias-03", "audience": {"alias": ["alice", "bob"]},
                     "push_message": {"transmission": "hi"}});
    assert_eq!(
        v2.post(&token, "/push/single/alias", two).await["code"],
        20001
    );
    let cid = json!({"request_id": "single-alias-04", "audience": {"cid": ["cid-sh-ios-1"]},
                     "push_message": {"transmission": "hi"}});
    assert_eq!(
        v2.post(&token, "/push/single/alias", cid).await["code"],
        20001
    );
    let log: Vec<String> =
        v2.h.emulator
            .recorded_requests()
            .into_iter()
            .filter_map(|r| r.action)
            .filter(|a| a == v2_routes::PUSH_SINGLE_ALIAS)
            .collect();
    assert_eq!(log.len(), 4);
}

// -----------------------------------------------------------------------------------------
// One store for both protocols

#[tokio::test]
async fn a_v2_task_is_read_and_deleted_through_the_legacy_protocol() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let legacy = v2.h.connect().await;
    let id = v2.schedule(&token, "cross-0000001", 90, "g").await;
    let read = v2.h.call(&legacy, legacy_get(&id)).await;
    assert_eq!(read["result"], "ok", "{read}");
    assert_eq!(read["sendResult"], "do_not_send");
    assert_eq!(read["pushContent"], "spring sale");
    assert_eq!(
        read["pushTime"],
        push_time(v2.h.emulator.clock().now() + Duration::minutes(90))
    );
    let deleted =
        v2.h.call(
            &legacy,
            json!({"action": "delScheduleTaskAction", "appId": APP_ID, "taskId": id}),
        )
        .await;
    assert_eq!(deleted["result"], "ok");
    let after = v2.get(&token, &format!("/task/schedule/{id}")).await;
    assert_no_such_task(&after);
}

#[tokio::test]
async fn a_legacy_task_is_read_and_deleted_through_v2() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let legacy = v2.h.connect().await;
    let at = v2.h.emulator.clock().now() + Duration::hours(3);
    let id = v2.h.schedule(&legacy, at, "old-school").await;
    let path = format!("/task/schedule/{id}");
    let read = v2.get(&token, &path).await;
    assert_eq!(read["code"], 0, "{read}");
    assert_eq!(read["data"][&id]["send_result"], "do_not_send");
    assert_eq!(
        read["data"][&id]["push_time"],
        json!(at.timestamp_millis().to_string())
    );
    assert_eq!(v2.delete(&token, &path).await["code"], 0);
    // A retried delete changes nothing, and says the task is gone.
    assert_no_such_task(&v2.delete(&token, &path).await);
    assert_no_such_task(&v2.get(&token, &path).await);
    assert_eq!(
        v2.h.call(&legacy, legacy_get(&id)).await["sendResult"],
        "has_delete"
    );
    // The per-task report knows the legacy task too (deleted: zeros).
    let report = v2.get(&token, &format!("/report/push/task/{id}")).await;
    assert_eq!(report["data"][&id]["total"]["target_num"], 0, "{report}");
}

#[tokio::test]
async fn tasks_are_deleted_stopped_or_unknown() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let fires = v2.schedule(&token, "stop-00000001", 10, "g").await;
    let waits = v2.schedule(&token, "stop-00000002", 60, "g").await;
    v2.h.emulator.clock().advance(Duration::minutes(10));
    let sent = v2.delete(&token, &format!("/task/schedule/{fires}")).await;
    assert_eq!(sent["code"], 22001, "{sent}");
    assert_eq!(
        v2.delete(&token, &format!("/task/{waits}")).await["code"],
        0
    );
    let snapshot = v2.h.emulator.snapshot();
    assert_eq!(
        snapshot.task(&waits).map(|t| t.status),
        Some(TaskStatus::HasDelete)
    );
    assert_eq!(
        snapshot.task(&fires).map(|t| t.status),
        Some(TaskStatus::SendSuccess)
    );
    let (status, unknown) = v2
        .send(
            Method::DELETE,
            "/task/schedule/RASA_0302_nope",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 400, "{unknown}");
    assert_no_such_task(&unknown);
    assert_no_such_task(&v2.get(&token, "/task/schedule/RASA_0302_nope").await);
    assert_eq!(
        v2.delete(&token, "/task/RASA_0302_nope").await["code"],
        22002
    );
}

#[tokio::test]
async fn a_task_that_fires_within_a_minute_can_no_longer_be_deleted() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let id = v2.schedule(&token, "soon-00000001", 10, "g").await;
    let path = format!("/task/schedule/{id}");
    v2.h.emulator.clock().advance(Duration::minutes(9));
    let (status, late) = v2.send(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!((status, &late["code"]), (400, &json!(22001)), "{late}");
    assert_eq!(
        v2.get(&token, &path).await["data"][&id]["send_result"],
        "do_not_send",
        "still waiting, not deleted"
    );
}

#[tokio::test]
async fn without_the_vip_feature_a_schedule_time_is_refused_with_30002() {
    let v2 = V2::with(EmulatorConfig {
        schedule_feature: false,
        ..config()
    })
    .await;
    let token = v2.auth().await;
    let at = v2.now_ms() + 3_600_000;
    let (status, refused) = v2
        .send(
            Method::POST,
            "/push/tag",
            Some(&token),
            Some(tag_push("vip-000000001", Some(at), "g")),
        )
        .await;
    assert_eq!(
        (status, &refused["code"]),
        (403, &json!(30002)),
        "{refused}"
    );
    assert!(v2.h.emulator.snapshot().tasks.is_empty());
    // A push now needs no feature.
    let now = v2
        .post(&token, "/push/tag", tag_push("vip-000000002", None, "g"))
        .await;
    assert_eq!(now["code"], 0, "{now}");
}

#[tokio::test]
async fn the_group_report_sums_the_groups_pushes_under_its_name_without_task_ids() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let fired = v2.schedule(&token, "group-0000001", 5, "spring-7").await;
    let waiting = v2.schedule(&token, "group-0000002", 600, "spring-7").await;
    let other = v2.schedule(&token, "group-0000003", 5, "summer-1").await;
    // Fired at 5 minutes, counted once the report lag (5 minutes) has passed too.
    v2.h.emulator.clock().advance(Duration::minutes(10));
    let report = v2.get(&token, "/report/push/task_group/spring-7").await;
    assert_eq!(report["code"], 0, "{report}");
    // The fixture's five vip users; the waiting push counts nothing.
    assert_eq!(report["data"], json!({"spring-7": v2_channels(VIP)}));
    let text = report.to_string();
    for id in [&fired, &waiting, &other] {
        assert!(
            !text.contains(id.as_str()),
            "a group report names no task: {text}"
        );
    }

    // A list message saved in the group counts only once pushed to a list, and lagged.
    let saved = v2
        .post(
            &token,
            "/push/list/message",
            json!({"request_id": "list-00000009",
              "group_name": "spring-7", "push_message": {"transmission": "hello"}}),
        )
        .await;
    let saved = saved["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned();
    v2.post(
        &token,
        "/push/list/cid",
        json!({"taskid": saved, "is_async": false, "audience": {"cid": ["cid-zj-android-1"]}}),
    )
    .await;
    let report = v2.get(&token, "/report/push/task_group/spring-7").await;
    assert_eq!(
        report["data"]["spring-7"]["total"]["target_num"], 5,
        "{report}"
    );
    v2.h.emulator.clock().advance(Duration::minutes(5));
    let report = v2.get(&token, "/report/push/task_group/spring-7").await;
    assert_eq!(
        report["data"]["spring-7"]["total"]["target_num"], 6,
        "{report}"
    );
    assert_eq!(
        report["data"]["spring-7"]["total"]["receive_num"], 5,
        "{report}"
    );

    let none = v2.get(&token, "/report/push/task_group/nobody").await;
    let zeros = json!({"msg_num": 0, "target_num": 0, "receive_num": 0, "display_num": 0,
                       "click_num": 0});
    assert_eq!(
        none["data"],
        json!({"nobody": {"total": zeros}}),
        "no channel had a device targeted"
    );
}

// -----------------------------------------------------------------------------------------
// Users

#[tokio::test]
async fn user_counts_read_region_codes_and_agree_with_the_legacy_count() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let legacy = v2.h.connect().await;
    let v2_count = v2
        .post(
            &token,
            "/user/count",
            json!({"tag": [
            {"key": "region", "values": ["33000000", "44000000"], "opt_type": "or"},
            {"key": "phone_type", "values": ["android"], "opt_type": "or"},
            {"key": "custom_tag", "values": ["churned"], "opt_type": "not"}]}),
        )
        .await;
    let legacy_count =
        v2.h.call(
            &legacy,
            json!({"action": "queryUserCount", "appId": APP_ID, "conditions": [
            {"key": "region", "values": ["浙江", "广东"], "optType": 0},
            {"key": "phoneType", "values": ["ANDROID"], "optType": 0},
            {"key": "tag", "values": ["churned"], "optType": 2}]}),
        )
        .await;
    // cid-zj-android-1, -2 and cid-gd-android-1, -3.
    assert_eq!(v2_count["data"]["user_count"], 4, "{v2_count}");
    assert_eq!(legacy_count["count"], 4, "{legacy_count}");
    let unknown = v2
        .post(
            &token,
            "/user/count",
            json!({"tag": [
            {"key": "region", "values": ["浙江"], "opt_type": "or"}]}),
        )
        .await;
    assert_eq!(unknown["code"], 20001);
    // A city is a V2 region; the legacy protocol documents province names only.
    let city = v2
        .post(
            &token,
            "/user/count",
            json!({"tag": [{"key": "region", "values": ["44030000"], "opt_type": "or"}]}),
        )
        .await;
    assert_eq!(city["code"], 0, "{city}");
    let legacy_city =
        v2.h.call(
            &legacy,
            json!({"action": "queryUserCount", "appId": APP_ID, "conditions": [
            {"key": "region", "values": ["深圳"], "optType": 0}]}),
        )
        .await;
    assert_eq!(legacy_city["result"], "Error", "{legacy_city}");
}

#[tokio::test]
async fn aliases_are_bound_in_batches_and_looked_up_by_name() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let bind = |pairs: Value| json!({"data_list": pairs});
    let bound = v2
        .post(
            &token,
            "/user/alias",
            bind(json!([
            {"cid": "cid-gx-android-1", "alias": "会员_张三"},
            {"cid": "cid-gd-android-3", "alias": "会员_张三"}])),
        )
        .await;
    assert_eq!(bound["code"], 0, "{bound}");
    let found = v2.get(&token, "/user/cid/alias/会员_张三").await;
    assert_eq!(
        found["data"]["cid"],
        json!(["cid-gd-android-3", "cid-gx-android-1"])
    );
    let refused = v2
        .post(
            &token,
            "/user/alias",
            bind(json!([
            {"cid": "cid-sh-ios-2", "alias": "ok_alias"},
            {"cid": "nobody", "alias": "ok_alias"}])),
        )
        .await;
    assert_eq!(refused["code"], 20001);
    assert_eq!(
        v2.get(&token, "/user/cid/alias/ok_alias").await["data"]["cid"],
        json!([]),
        "a refused batch binds nothing"
    );
}

#[tokio::test]
async fn a_gzip_body_is_inflated_and_answered_in_kind() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let body = json!({"tag": [{"key": "custom_tag", "values": ["vip"], "opt_type": "or"}]});
    let response =
        v2.h.http
            .post(v2.url("/user/count"))
            .header("token", &token)
            .header("Content-Encoding", "gzip")
            .body(gzip(&body.to_string()))
            .send()
            .await
            .expect("answered");
    let answer = gunzip_json(response).await;
    assert_eq!(answer["data"]["user_count"], 5, "{answer}");
}

// -----------------------------------------------------------------------------------------
// Getui's limits on pushes

#[tokio::test]
async fn app_pushes_over_getuis_limits_are_refused_with_their_codes_and_status() {
    let mut config = config();
    config.limits = Limits {
        app_pushes_per_day: Some(4),
        app_pushes_per_minute: Some(2),
        ..Limits::NONE
    };
    let v2 = V2::with(config).await;
    let token = v2.auth().await;
    let at = v2.now_ms() + 3_600_000;
    let push = |n: usize| tag_push(&format!("limited-{n:06}"), Some(at), "limits");
    for n in 0..2 {
        let answer = v2.post(&token, "/push/tag", push(n)).await;
        assert_eq!(answer["code"], 0, "{answer}");
    }
    // `post` checks the HTTP status too: 403 for a 3xxxx code.
    let third = v2.post(&token, "/push/tag", push(2)).await;
    assert_eq!(third["code"], 30014, "{third}");
    // A repeat of an accepted request is dropped, neither counted nor refused.
    let repeat = v2.post(&token, "/push/tag", push(0)).await;
    assert_eq!(repeat["code"], 0, "{repeat}");
    // Any 60 seconds count: a minute after the first two, two more go.
    v2.h.emulator.clock().advance(Duration::seconds(60));
    for n in 2..4 {
        let answer = v2.post(&token, "/push/tag", push(n)).await;
        assert_eq!(answer["code"], 0, "{answer}");
    }
    v2.h.emulator.clock().advance(Duration::seconds(60));
    let tag = v2.post(&token, "/push/tag", push(4)).await;
    assert_eq!(tag["code"], 30010, "the day's tag pushes: {tag}");
    let mut all = push(5);
    all["audience"] = json!("all");
    let answer = v2.post(&token, "/push/all", all.clone()).await;
    assert_eq!(answer["code"], 30007, "push/all shares the count: {answer}");
    let made = v2.h.emulator.snapshot().tasks.len();
    assert_eq!(made, 4, "refused pushes make no task");
    // The next Beijing day the quota is back.
    v2.h.emulator.clock().advance(Duration::days(1));
    let token = v2.auth().await;
    all["settings"] = json!({"ttl": 3_600_000});
    let answer = v2.post(&token, "/push/all", all).await;
    assert_eq!(answer["code"], 0, "{answer}");
}
