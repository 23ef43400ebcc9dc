//! Every server-side check answers with the result code of the protocol tables.

use chrono::Duration;
use gtcamp::getui::proto::{SmsContentEntry, SmsInfo};
use gtcamp::getui::{Secret, connect_sign};
use serde_json::{Value, json};

use crate::harness::{APP_ID, APP_KEY, Harness, client_data, config, gunzip_json, gzip, push_time};

#[tokio::test]
async fn bootstrap_answers_the_emulators_own_url() {
    let h = Harness::start().await;
    let answer = h
        .post(json!({"action": "getOSPushDomailUrlListAction", "appkey": APP_KEY}))
        .await;
    assert_eq!(answer, json!({"result": "ok", "osList": [h.url.clone()]}));
}

#[tokio::test]
async fn empty_body_probe_is_answered_with_http_200() {
    let h = Harness::start().await;
    let response = h.http.post(&h.url).send().await.expect("answer");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn first_call_without_token_gets_sign_error_then_connect_unlocks_it() {
    let h = Harness::start().await;
    let count = json!({"action": "queryUserCount", "appId": APP_ID, "conditions": []});
    assert_eq!(h.call("", count.clone()).await["result"], "sign_error");
    let token = h.connect().await;
    assert_eq!(
        h.call(&token, count).await,
        json!({"result": "ok", "count": 12})
    );
}

#[tokio::test]
async fn connect_with_a_wrong_sign_gets_sign_error() {
    let h = Harness::start().await;
    let now = h.emulator.clock().now().timestamp_millis();
    let sign = connect_sign(APP_KEY, now, &Secret::new("not-the-secret"));
    let answer = h
        .post(json!({"action": "connect", "appkey": APP_KEY, "timeStamp": now, "sign": sign}))
        .await;
    assert_eq!(answer, json!({"result": "sign_error"}));
}

#[tokio::test]
async fn connect_signed_outside_the_clock_window_gets_sign_error() {
    let h = Harness::start().await;
    let stale = (h.emulator.clock().now() - Duration::minutes(11)).timestamp_millis();
    let sign = connect_sign(APP_KEY, stale, &Secret::new("demo-secret"));
    let answer = h
        .post(json!({"action": "connect", "appkey": APP_KEY, "timeStamp": stale, "sign": sign}))
        .await;
    assert_eq!(answer["result"], "sign_error");
}

#[tokio::test]
async fn expired_token_gets_sign_error() {
    let h = Harness::with(gtcamp::emulator::EmulatorConfig {
        token_ttl: Duration::hours(1),
        ..config()
    })
    .await;
    let token = h.connect().await;
    let count = json!({"action": "queryUserCount", "appId": APP_ID, "conditions": []});
    assert_eq!(h.call(&token, count.clone()).await["result"], "ok");
    h.emulator.clock().advance(Duration::minutes(61));
    assert_eq!(h.call(&token, count).await["result"], "sign_error");
}

#[tokio::test]
async fn closed_token_no_longer_works() {
    let h = Harness::start().await;
    let token = h.connect().await;
    assert_eq!(
        h.call(&token, json!({"action": "close"})).await["result"],
        "ok"
    );
    let count = json!({"action": "queryUserCount", "appId": APP_ID, "conditions": []});
    assert_eq!(h.call(&token, count).await["result"], "sign_error");
}

#[tokio::test]
async fn wrong_app_key_gets_appkey_error() {
    let h = Harness::start().await;
    let answer = h
        .post(json!({"action": "queryUserCount", "appkey": "someone-else", "authToken": ""}))
        .await;
    assert_eq!(answer, json!({"result": "appkey_error"}));
}

#[tokio::test]
async fn foreign_app_id_gets_appid_no_match_app_key() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let answer = h
        .call(&token, json!({"action": "getScheduleTaskAction", "appId": "other-app", "taskId": "OSA-0302_x"}))
        .await;
    assert_eq!(answer["result"], "AppidNoMatchAppKey");
    let saved = h
        .save_app_content(&token, json!({"appIdList": ["other-app"]}))
        .await;
    assert_eq!(saved["result"], "AppidNoMatchAppKey");
}

#[tokio::test]
async fn unknown_action_gets_action_error() {
    let h = Harness::start().await;
    let answer = h
        .post(json!({"action": "pushMessageToMarsAction", "appkey": APP_KEY}))
        .await;
    assert_eq!(answer, json!({"result": "action_error"}));
}

#[tokio::test]
async fn body_over_25_kb_is_refused_with_error() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let big = "x".repeat(26 * 1024);
    let answer = h
        .save_app_content(&token, json!({"transmissionContent": big}))
        .await;
    assert_eq!(answer["result"], "Error");
    assert!(h.emulator.snapshot().tasks.is_empty());
}

#[tokio::test]
async fn push_time_must_be_a_future_12_digit_string_within_the_horizon() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let now = h.emulator.clock().now();
    let refused = [
        json!(100), // the SDK's setSpeed bug sends the speed as an integer pushTime
        json!(
            push_time(now + Duration::hours(1))
                .parse::<i64>()
                .unwrap_or(0)
        ),
        json!("2026030212"),
        json!(push_time(now - Duration::hours(1))),
        json!(push_time(now + Duration::days(8))),
    ];
    for bad in refused {
        let answer = h.save_app_content(&token, json!({"pushTime": bad})).await;
        assert_eq!(answer["result"], "Error", "pushTime {bad} was accepted");
    }
    let ok = h
        .save_app_content(
            &token,
            json!({"pushTime": push_time(now + Duration::days(6))}),
        )
        .await;
    assert_eq!(ok["result"], "ok");
    assert_eq!(h.emulator.snapshot().tasks.len(), 1);
}

#[tokio::test]
async fn task_group_name_over_40_characters_is_refused() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let answer = h
        .save_app_content(&token, json!({"taskGroupName": "活".repeat(41)}))
        .await;
    assert_eq!(answer["result"], "Error");
    let answer = h
        .save_app_content(&token, json!({"taskGroupName": "活".repeat(40)}))
        .await;
    assert_eq!(answer["result"], "ok");
}

#[tokio::test]
async fn client_data_must_decode_and_its_duration_must_not_run_backwards() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let garbage = h
        .save_app_content(&token, json!({"clientData": "not base64!"}))
        .await;
    assert_eq!(garbage["result"], "Error");
    let backwards = client_data("duration=1425462444000.0-1425462022000.0", None);
    let answer = h
        .save_app_content(&token, json!({"clientData": backwards}))
        .await;
    assert_eq!(answer["result"], "Error");
    let forwards = client_data("duration=1425462022000.0-1425462444000.0", None);
    let answer = h
        .save_app_content(&token, json!({"clientData": forwards}))
        .await;
    assert_eq!(answer["result"], "ok");
}

#[tokio::test]
async fn sms_info_outside_the_offline_window_is_an_sms_error_not_a_push_error() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let sms = |offline_sendtime| SmsInfo {
        sms_template_id: "10000".into(),
        sms_content: vec![SmsContentEntry {
            key: "name".into(),
            value: "zs".into(),
        }],
        offline_sendtime,
        ..SmsInfo::default()
    };
    let late = client_data("", Some(sms(50_000_000)));
    let answer = h
        .save_app_content(&token, json!({"clientData": late}))
        .await;
    assert_eq!(answer["result"], "ok");
    assert_eq!(answer["smsResult"], "error");
    let timely = client_data("", Some(sms(1_000)));
    let answer = h
        .save_app_content(&token, json!({"clientData": timely}))
        .await;
    assert_eq!(answer["smsResult"], "accept");
}

#[tokio::test]
async fn user_count_applies_conditions_across_and_within_keys() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let count = |conditions: Value| {
        let h = &h;
        let token = token.clone();
        async move {
            let body =
                json!({"action": "queryUserCount", "appId": APP_ID, "conditions": conditions});
            h.call(&token, body).await["count"].clone()
        }
    };
    let c = |key: &str, values: &[&str], opt: i64| json!({"key": key, "values": values, "optType": opt});
    assert_eq!(count(json!([c("phoneType", &["IOS"], 0)])).await, 4);
    assert_eq!(count(json!([c("region", &["浙江", "上海市"], 0)])).await, 7);
    assert_eq!(count(json!([c("tag", &["vip", "new"], 1)])).await, 2);
    assert_eq!(count(json!([c("tag", &["churned", ""], 2)])).await, 10);
    assert_eq!(
        count(json!([
            c("phoneType", &["ANDROID"], 0),
            c("region", &["浙江省"], 0),
            c("tag", &["vip"], 0)
        ]))
        .await,
        2
    );
    assert_eq!(count(json!([c("region", &["广西"], 0)])).await, 1);
    let bad = h
        .call(
            &token,
            json!({"action": "queryUserCount", "appId": APP_ID,
                             "conditions": [c("favourite_colour", &["red"], 0)]}),
        )
        .await;
    assert_eq!(bad["result"], "Error");
}

#[tokio::test]
async fn gzip_request_gets_a_gzip_answer() {
    let h = Harness::start().await;
    let body = json!({"action": "getOSPushDomailUrlListAction", "appkey": APP_KEY}).to_string();
    let response = h
        .http
        .post(&h.url)
        .header("Content-Encoding", "gzip")
        .header("Content-Type", "text/html;charset=UTF-8")
        .body(gzip(&body))
        .send()
        .await
        .expect("answer");
    let answer = gunzip_json(response).await;
    assert_eq!(answer["osList"][0], h.url.as_str());
    let plain = h.http.post(&h.url).body(body).send().await.expect("answer");
    assert!(plain.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn recorded_requests_hide_the_token_and_sign() {
    let h = Harness::start().await;
    let token = h.connect().await;
    h.call(
        &token,
        json!({"action": "queryUserCount", "appId": APP_ID, "conditions": []}),
    )
    .await;
    let recorded = h.emulator.recorded_requests();
    let text = serde_json::to_string(&recorded).expect("serializable");
    assert!(!text.contains(&token), "the token leaked into the record");
    assert_eq!(recorded[0].body["sign"], "***");
    assert_eq!(recorded[1].body["authToken"], "***");
    assert_eq!(recorded[1].action.as_deref(), Some("queryUserCount"));
    assert_eq!(recorded[1].result.as_deref(), Some("ok"));
}
