//! The makers' channels over REST V2: the vendor fields a push may carry (and the ones
//! Getui refuses), and how a push that fires reaches each device: Getui's channel, APNs or
//! the maker's, within the maker's caps and hours.

use chrono::{DateTime, Utc};
use gtcamp::emulator::{Clock, EmulatorConfig, Maker, UserSeed};
use serde_json::{Value, json};

use crate::v2::V2;

/// 2026-12-08 10:00 in China.
fn morning() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-08T02:00:00Z")
        .expect("valid instant")
        .with_timezone(&Utc)
}

/// `count` devices of `maker`, online or not, cids `{prefix}-{n}`.
fn devices(prefix: &str, count: usize, maker: Option<Maker>, online: bool) -> Vec<UserSeed> {
    (0..count)
        .map(|n| {
            let mut seed = UserSeed::new(format!("{prefix}-{n}"));
            seed.maker = maker;
            seed.online = online;
            if maker.is_none() {
                seed.phone_type = "IOS".to_owned();
            }
            seed
        })
        .collect()
}

async fn emulator(users: Vec<UserSeed>, at: DateTime<Utc>) -> V2 {
    V2::with(EmulatorConfig {
        users,
        clock: Clock::manual(at),
        ..EmulatorConfig::default()
    })
    .await
}

/// A `/push/all` body with a makers' notification of `class` (`LOW` or `NORMAL` for
/// Huawei and Honor, 0 or 1 for vivo) and `strategy`.
fn push(request_id: &str, marketing: bool, strategy: Value) -> Value {
    let importance = if marketing { "LOW" } else { "NORMAL" };
    json!({
        "request_id": request_id,
        "audience": "all",
        "settings": {"strategy": strategy},
        "push_message": {"transmission": "sale"},
        "push_channel": {"android": {"ups": {
            "notification": {"title": "Sale", "body": "Today only", "click_type": "startapp"},
            "options": {
                "HW": {"/message/android/notification/importance": importance},
                "HO": {"/android/notification/importance": importance},
                "VV": {"/classification": if marketing { 0 } else { 1 }},
            },
        }}},
    })
}

/// The `ups` of a push body.
fn ups(body: &mut Value) -> &mut Value {
    &mut body["push_channel"]["android"]["ups"]
}

#[tokio::test]
async fn malformed_vendor_fields_are_refused_with_20001_naming_the_field() {
    let v2 = emulator(devices("vv", 1, Some(Maker::Vv), false), morning()).await;
    let token = v2.auth().await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = push("vendor-check-01", true, json!({"default": 1}));
        change(&mut body);
        body
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "unknown constraint",
            with(&|b| {
                ups(b)["options"]["NOKIA"] = json!({"/x": 1});
            }),
            "NOKIA",
        ),
        (
            "option not an object",
            with(&|b| {
                ups(b)["options"]["HW"] = json!("LOW");
            }),
            "push_channel.android",
        ),
        (
            "title too long",
            with(&|b| {
                ups(b)["notification"]["title"] = json!("x".repeat(51));
            }),
            "ups.notification.title",
        ),
        (
            "unknown click type",
            with(&|b| {
                ups(b)["notification"]["click_type"] = json!("open");
            }),
            "click_type",
        ),
        (
            "url click without url",
            with(&|b| {
                ups(b)["notification"]["click_type"] = json!("url");
            }),
            "ups.notification.url",
        ),
        (
            "notification and transmission",
            with(&|b| {
                ups(b)["transmission"] = json!("raw");
            }),
            "exactly one",
        ),
        (
            "unknown strategy key",
            with(&|b| b["settings"]["strategy"] = json!({"nokia": 1})),
            "nokia",
        ),
        (
            "strategy out of range",
            with(&|b| b["settings"]["strategy"] = json!({"hw": 5})),
            "settings.strategy.hw",
        ),
        (
            "smart quota for huawei",
            with(&|b| b["settings"]["strategy"] = json!({"hw": 6})),
            "settings.strategy.hw",
        ),
        (
            "strategy as text",
            with(&|b| b["settings"]["strategy"] = json!({"vv": "2"})),
            "settings.strategy.vv",
        ),
        (
            "harmony without click type",
            with(&|b| {
                b["push_channel"]["harmony"] =
                    json!({"notification": {"title": "t", "body": "b", "click_type": "url"}});
            }),
            "harmony.notification.click_type",
        ),
    ];
    for (case, body, named) in cases {
        let answer = v2.post(&token, "/push/all", body).await;
        assert_eq!(answer["code"], 20001, "{case}: {answer}");
        let msg = answer["msg"].as_str().unwrap_or_default();
        assert!(msg.contains(named), "{case}: `{msg}` names {named}");
    }
    assert!(v2.h.emulator.snapshot().tasks.is_empty());
    let smart = with(&|b| b["settings"]["strategy"] = json!({"vv": 6, "active_days": 7}));
    let answer = v2.post(&token, "/push/all", smart).await;
    assert_eq!(
        answer["code"], 0,
        "smart quota is documented for vivo: {answer}"
    );
}

#[tokio::test]
async fn the_vendor_fields_are_kept_with_the_task_as_sent() {
    let v2 = emulator(devices("vv", 1, Some(Maker::Vv), false), morning()).await;
    let token = v2.auth().await;
    let answer = v2
        .post(
            &token,
            "/push/all",
            push("vendor-kept-001", false, json!({"default": 1, "vv": 2})),
        )
        .await;
    assert_eq!(answer["code"], 0, "{answer}");
    let id = answer["data"]["taskid"].as_str().expect("a task id");
    let snapshot = v2.h.emulator.snapshot();
    let vendor = &snapshot.task(id).expect("the task").vendor;
    assert_eq!(vendor.strategy.get("vv"), Some(&2));
    let options = &vendor.ups.as_ref().expect("the ups").options;
    assert_eq!(options["VV"]["/classification"], json!(1));
    // Getui's schedule-task answer has no place for them: it shows what it always did.
    let read = v2.get(&token, &format!("/task/schedule/{id}")).await;
    assert!(!read.to_string().contains("classification"), "{read}");
}

/// Pushes `body` to all at once and returns the task's deliveries from the admin API.
async fn deliveries(v2: &V2, token: &str, body: Value) -> Value {
    let answer = v2.post(token, "/push/all", body).await;
    assert_eq!(answer["code"], 0, "{answer}");
    let id = answer["data"]["taskid"].as_str().expect("a task id");
    let url = v2.h.admin_url(&format!("deliveries/{id}"));
    let view: Value =
        v2.h.http
            .get(url)
            .send()
            .await
            .expect("the admin API answers")
            .json()
            .await
            .expect("JSON");
    view["deliveries"].clone()
}

async fn set_clock(v2: &V2, at: &str) {
    let url = v2.h.admin_url("clock");
    let answer =
        v2.h.http
            .post(url)
            .body(json!({"set": at}).to_string())
            .send()
            .await;
    assert!(answer.is_ok_and(|a| a.status().is_success()));
}

#[tokio::test]
async fn a_third_marketing_push_in_a_china_day_does_not_reach_vivo_devices_but_service_pushes_do() {
    let mut users = devices("vv", 3, Some(Maker::Vv), false);
    users.extend(devices("ios", 2, None, false));
    let v2 = emulator(users, morning()).await;
    let token = v2.auth().await;
    for n in 1..=2 {
        let d = deliveries(
            &v2,
            &token,
            push(&format!("marketing-00{n}"), true, json!({})),
        )
        .await;
        assert_eq!(d["delivered"]["vv"], 3, "push {n}: {d}");
        assert_eq!(d["delivered"]["apns"], 2, "push {n}: {d}");
    }
    let third = deliveries(&v2, &token, push("marketing-003", true, json!({}))).await;
    assert_eq!(third["over_quota"]["vv"], 3, "{third}");
    assert!(third["delivered"].get("vv").is_none(), "{third}");
    let service = deliveries(&v2, &token, push("service-00001", false, json!({}))).await;
    assert_eq!(service["delivered"]["vv"], 3, "{service}");
    // The reports count no device the makers did not show the push to.
    let snapshot = v2.h.emulator.snapshot();
    let over = snapshot.tasks.iter().find(|t| {
        t.v2.as_ref()
            .is_some_and(|v| v.request_id == "marketing-003")
    });
    assert_eq!(
        over.map(|t| t.recipients.len()),
        Some(2),
        "only the iOS devices"
    );
}

#[tokio::test]
async fn vivo_drops_marketing_at_half_past_eleven_china_time_and_huawei_holds_it_at_one_until_six()
{
    let mut users = devices("vv", 2, Some(Maker::Vv), false);
    users.extend(devices("hw", 2, Some(Maker::Hw), false));
    let v2 = emulator(users, morning()).await;
    let token = v2.auth().await;
    set_clock(&v2, "2026-12-08T23:30:00+08:00").await;
    let late = deliveries(&v2, &token, push("late-night-001", true, json!({}))).await;
    assert_eq!(late["outside_hours"]["vv"], 2, "{late}");
    assert_eq!(late["delivered"]["hw"], 2, "{late}");
    set_clock(&v2, "2026-12-09T01:00:00+08:00").await;
    let night = deliveries(&v2, &token, push("small-hours-01", true, json!({}))).await;
    assert_eq!(night["held"]["hw"], 2, "{night}");
    assert_eq!(
        night["held_until"]["hw"], "2026-12-08T22:00:00Z",
        "06:00 in China: {night}"
    );
    assert_eq!(night["outside_hours"]["vv"], 2, "{night}");
}

#[tokio::test]
async fn strategy_3_leaves_offline_android_devices_undelivered() {
    let mut users = devices("off", 2, Some(Maker::Op), false);
    users.extend(devices("on", 1, Some(Maker::Op), true));
    let v2 = emulator(users, morning()).await;
    let token = v2.auth().await;
    let d = deliveries(
        &v2,
        &token,
        push("getui-only-001", false, json!({"default": 3})),
    )
    .await;
    assert_eq!(d["not_delivered_offline"], 2, "{d}");
    assert_eq!(d["delivered"]["getui"], 1, "{d}");
    assert!(d["delivered"].get("op").is_none(), "{d}");
    let vendor = deliveries(
        &v2,
        &token,
        push("vendor-only-01", false, json!({"default": 3, "op": 2})),
    )
    .await;
    assert_eq!(vendor["delivered"]["op"], 3, "{vendor}");
}

#[tokio::test]
async fn a_restarted_store_goes_on_counting_marketing_pushes() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let config = || EmulatorConfig {
        users: devices("vv", 1, Some(Maker::Vv), false),
        clock: Clock::manual(morning()),
        data_dir: Some(dir.path().to_owned()),
        ..EmulatorConfig::default()
    };
    let v2 = V2::with(config()).await;
    let token = v2.auth().await;
    for n in 1..=2 {
        let d = deliveries(
            &v2,
            &token,
            push(&format!("restart-mkt-{n}"), true, json!({})),
        )
        .await;
        assert_eq!(d["delivered"]["vv"], 1, "{d}");
    }
    v2.h.emulator.shutdown().await;
    let again = V2::with(config()).await;
    let token = again.auth().await;
    let third = deliveries(&again, &token, push("restart-mkt-3", true, json!({}))).await;
    assert_eq!(third["over_quota"]["vv"], 1, "{third}");
}

/// A legacy transmission template whose makers' notification opens `intent`, with vivo's
/// classification `classification` as an `extKV`.
fn legacy_client_data(intent: &str, classification: &str) -> String {
    use base64::Engine;
    use gtcamp::getui::proto::{ExtKv, NotifyInfo, PushInfo, Transparent};
    use prost::Message;
    let transparent = Transparent {
        action: "pushmessage".into(),
        app_key: crate::harness::APP_KEY.into(),
        app_id: crate::harness::APP_ID.into(),
        condition: vec![String::new()],
        template_id: Some(4),
        push_info: Some(PushInfo {
            valid_notify: Some(true),
            notify_info: Some(NotifyInfo {
                title: "Sale".into(),
                content: "Today only".into(),
                intent: Some(intent.to_owned()),
                r#type: Some(1),
                ext_kv: vec![ExtKv {
                    key: "/classification".into(),
                    value: classification.into(),
                    constains: Some("VV".into()),
                }],
                ..NotifyInfo::default()
            }),
            ..PushInfo::default()
        }),
        ..Transparent::default()
    };
    base64::engine::general_purpose::STANDARD.encode(transparent.encode_to_vec())
}

#[tokio::test]
async fn a_legacy_makers_notification_with_a_malformed_intent_is_refused() {
    let h = crate::harness::Harness::start().await;
    let token = h.connect().await;
    let good = "intent:#Intent;component=com.demo/.Main;end";
    for (intent, result) in [
        (good.to_owned(), "ok"),
        ("https://example.com".to_owned(), "Error"),
        (
            format!("intent:#Intent;S.x={};end", "x".repeat(1000)),
            "Error",
        ),
    ] {
        let answer = h
            .save_app_content(
                &token,
                json!({"clientData": legacy_client_data(&intent, "0")}),
            )
            .await;
        assert_eq!(answer["result"], result, "{intent}: {answer}");
    }
}

#[tokio::test]
async fn a_legacy_push_reaches_vivo_devices_through_vivos_channel_within_its_cap() {
    let h = crate::harness::Harness::with(EmulatorConfig {
        users: devices("vv", 2, Some(Maker::Vv), false),
        clock: Clock::manual(morning()),
        ..EmulatorConfig::default()
    })
    .await;
    let token = h.connect().await;
    let intent = "intent:#Intent;component=com.demo/.Main;end";
    let mut outcomes = Vec::new();
    for classification in ["0", "0", "0", "1"] {
        let client_data = legacy_client_data(intent, classification);
        let saved = h
            .save_app_content(&token, json!({"clientData": client_data}))
            .await;
        let id = saved["contentId"]
            .as_str()
            .expect("a content id")
            .to_owned();
        let push = json!({"action": "pushMessageToAppAction", "contentId": id, "type": 2});
        let pushed = h.call(&token, push).await;
        assert_eq!(pushed["result"], "ok", "{pushed}");
        let url = h.admin_url(&format!("deliveries/{id}"));
        let view: Value = h
            .http
            .get(url)
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        outcomes.push(view["deliveries"].clone());
    }
    assert_eq!(outcomes[0]["delivered"]["vv"], 2, "{outcomes:?}");
    assert_eq!(outcomes[1]["delivered"]["vv"], 2, "{outcomes:?}");
    assert_eq!(outcomes[2]["over_quota"]["vv"], 2, "{outcomes:?}");
    assert_eq!(
        outcomes[3]["delivered"]["vv"], 2,
        "a service push: {outcomes:?}"
    );
}
