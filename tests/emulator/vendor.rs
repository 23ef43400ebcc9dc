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
    let vendor = &snapshot
        .task(id)
        .and_then(|t| t.v2.clone())
        .expect("a V2 task")
        .vendor;
    assert_eq!(vendor.strategy.get("vv"), Some(&2));
    let options = &vendor.ups.as_ref().expect("the ups").options;
    assert_eq!(options["VV"]["/classification"], json!(1));
    // Getui's schedule-task answer has no place for them: it shows what it always did.
    let read = v2.get(&token, &format!("/task/schedule/{id}")).await;
    assert!(!read.to_string().contains("classification"), "{read}");
}
