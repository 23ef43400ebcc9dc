//! Push tasks: the scheduled-task state machine on the manual clock, list pushes, the group
//! report, cancelling, and persistence across a restart.

use chrono::Duration;
use gtcamp::emulator::{EmulatorConfig, TaskStatus};
use serde_json::json;

use crate::harness::{APP_ID, Harness, config, push_time};

#[tokio::test]
async fn scheduled_task_fires_when_the_clock_passes_its_push_time() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let at = h.emulator.clock().now() + Duration::hours(2);
    let id = h.schedule(&token, at, "spring-1").await;
    assert!(id.starts_with("OSA-0302_"), "{id}");
    let get = json!({"action": "getScheduleTaskAction", "appId": APP_ID, "taskId": id});
    let before = h.call(&token, get.clone()).await;
    assert_eq!(before["result"], "ok");
    assert_eq!(before["sendResult"], "do_not_send");
    assert_eq!(before["pushTime"], push_time(at));
    assert_eq!(before["pushContent"], "spring sale");
    assert_eq!(
        before["creatTime"],
        h.emulator.clock().now().timestamp_millis().to_string()
    );
    h.emulator.clock().advance(Duration::minutes(119));
    assert_eq!(
        h.call(&token, get.clone()).await["sendResult"],
        "do_not_send"
    );
    h.emulator.clock().advance(Duration::minutes(1));
    assert_eq!(h.call(&token, get).await["sendResult"], "send_success");
    let task = h.emulator.snapshot().task(&id).cloned().expect("task");
    // The fixture has five vip users.
    assert_eq!(task.recipients.len(), 5);
}

#[tokio::test]
async fn deleted_task_reports_has_delete_and_a_sent_task_cannot_be_deleted() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let now = h.emulator.clock().now();
    let doomed = h.schedule(&token, now + Duration::hours(1), "g").await;
    let sent = h.schedule(&token, now + Duration::minutes(10), "g").await;
    let del = |id: &str| json!({"action": "delScheduleTaskAction", "appId": APP_ID, "taskId": id});
    assert_eq!(h.call(&token, del(&doomed)).await["result"], "ok");
    assert_eq!(h.call(&token, del(&doomed)).await["result"], "ok");
    let get = json!({"action": "getScheduleTaskAction", "appId": APP_ID, "taskId": doomed});
    assert_eq!(h.call(&token, get).await["sendResult"], "has_delete");
    h.emulator.clock().advance(Duration::hours(2));
    assert_eq!(h.call(&token, del(&sent)).await["result"], "Error");
    let snapshot = h.emulator.snapshot();
    assert_eq!(
        snapshot.task(&doomed).map(|t| t.status),
        Some(TaskStatus::HasDelete)
    );
    assert_eq!(
        snapshot.task(&sent).map(|t| t.status),
        Some(TaskStatus::SendSuccess)
    );
}

#[tokio::test]
async fn unknown_task_id_gets_null_msg_common() {
    let h = Harness::start().await;
    let token = h.connect().await;
    for action in ["getScheduleTaskAction", "delScheduleTaskAction"] {
        let answer = h
            .call(
                &token,
                json!({"action": action, "appId": APP_ID, "taskId": "OSA-0302_nope"}),
            )
            .await;
        assert_eq!(answer["result"], "NullMsgCommon", "{action}");
    }
    let answer = h
        .call(
            &token,
            json!({"action": "stopTaskAction", "contentId": "OSA-0302_nope"}),
        )
        .await;
    assert_eq!(answer["result"], "NullMsgCommon");
}

#[tokio::test]
async fn group_lookup_holds_counters_and_never_a_task_id() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let at = h.emulator.clock().now() + Duration::hours(3);
    let mine = h.schedule(&token, at, "occ-7f3a").await;
    let other = h.schedule(&token, at, "someone-else").await;
    let lookup =
        json!({"action": "getPushResultByGroupName", "appId": APP_ID, "groupName": "occ-7f3a"});
    let answer = h.call(&token, lookup.clone()).await;
    assert_eq!(
        answer,
        json!({"result": "ok", "groupName": "occ-7f3a", "msg_total": "0", "msg_process": "0",
               "online_num": "0", "show_num": "0", "click_num": "0"}),
        "a task that has not fired counts nothing"
    );
    // Fired at `at`, counted once the report lag (5 minutes by default) has passed.
    h.emulator
        .clock()
        .advance(Duration::hours(3) + Duration::minutes(5));
    let answer = h.call(&token, lookup).await;
    // The fixture has five vip users: three online, one iPhone reached through APNs.
    assert_eq!(answer["msg_total"], "5", "{answer}");
    assert_eq!(answer["msg_process"], "4", "{answer}");
    assert_eq!(answer["online_num"], "3", "{answer}");
    let text = answer.to_string();
    assert!(
        !text.contains(&mine) && !text.contains(&other),
        "a group report names no task: {text}"
    );
}

#[tokio::test]
async fn immediate_app_push_is_sent_and_a_second_push_of_the_same_content_is_refused() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let saved = h
        .save_app_content(
            &token,
            json!({"conditions": [{"key": "phoneType", "values": ["IOS"], "optType": 0}]}),
        )
        .await;
    let id = saved["contentId"].as_str().unwrap_or("").to_owned();
    let push = json!({"action": "pushMessageToAppAction", "contentId": id, "type": 2});
    assert_eq!(h.call(&token, push.clone()).await["result"], "ok");
    assert_eq!(h.call(&token, push).await["result"], "RepeatedContent");
    let task = h.emulator.snapshot().task(&id).cloned().expect("task");
    assert_eq!(task.status, TaskStatus::SendSuccess);
    assert_eq!(task.recipients.len(), 4);
}

#[tokio::test]
async fn list_push_reaches_cids_and_the_cids_of_aliases() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let saved = h
        .save_app_content(
            &token,
            json!({"contentType": 1, "taskGroupName": "welcome"}),
        )
        .await;
    let id = saved["contentId"].as_str().unwrap_or("").to_owned();
    assert!(id.starts_with("OSL-"), "{id}");
    let answer = h
        .call(
            &token,
            json!({"action": "pushMessageToListAction", "contentId": id, "appId": APP_ID,
                             "needDetails": "true", "async": false,
                             "clientIdList": ["cid-gd-android-1", "cid-unknown"],
                             "aliasList": ["alice"]}),
        )
        .await;
    assert_eq!(answer["result"], "ok", "{answer}");
    assert_eq!(answer["details"]["cid-gd-android-1"], "successed_online");
    assert_eq!(answer["details"]["cid-zj-android-2"], "successed_offline");
    let pushes = h.emulator.snapshot().list_pushes;
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].aliases, vec!["alice"]);
    assert_eq!(
        pushes[0].delivered_to,
        vec!["cid-gd-android-1", "cid-zj-android-1", "cid-zj-android-2"]
    );
}

#[tokio::test]
async fn list_push_without_targets_or_known_users_is_refused() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let saved = h.save_app_content(&token, json!({"contentType": 1})).await;
    let id = saved["contentId"].as_str().unwrap_or("").to_owned();
    let push = |targets: serde_json::Value| {
        let mut body =
            json!({"action": "pushMessageToListAction", "contentId": id, "appId": APP_ID});
        crate::harness::merge(&mut body, targets);
        body
    };
    let empty = h.call(&token, push(json!({"clientIdList": []}))).await;
    assert_eq!(empty["result"], "TargetListIsNullOrSizeIs0");
    let strangers = h
        .call(
            &token,
            push(json!({"clientIdList": ["cid-unknown"], "aliasList": ["nobody"]})),
        )
        .await;
    assert_eq!(strangers["result"], "TokenMD5NoUsers");
    assert!(h.emulator.snapshot().list_pushes.is_empty());
}

#[tokio::test]
async fn cancelled_content_cannot_be_pushed() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let saved = h.save_app_content(&token, json!({"contentType": 1})).await;
    let id = saved["contentId"].as_str().unwrap_or("").to_owned();
    let cancel = h
        .call(
            &token,
            json!({"action": "cancleContentIdAction", "contentId": id}),
        )
        .await;
    assert_eq!(cancel["result"], "ok");
    let push = h
        .call(
            &token,
            json!({"action": "pushMessageToListAction", "contentId": id, "appId": APP_ID,
                             "clientIdList": ["cid-gd-android-1"]}),
        )
        .await;
    assert_eq!(push["result"], "TaskIdHasBeanCanceled");
}

#[tokio::test]
async fn restart_with_a_data_dir_keeps_tasks_bindings_and_aliases() {
    let dir = tempfile::tempdir().expect("temp dir");
    let with_data = || EmulatorConfig {
        data_dir: Some(dir.path().to_owned()),
        ..config()
    };
    let h = Harness::with(with_data()).await;
    let token = h.connect().await;
    let at = h.emulator.clock().now() + Duration::hours(5);
    let id = h.schedule(&token, at, "kept").await;
    h.call(
        &token,
        json!({"action": "alias_bind", "appid": APP_ID, "alias": "zed", "cid": "cid-gx-android-1"}),
    )
    .await;
    h.call(
        &token,
        json!({"action": "bind_cid_pn", "appId": APP_ID,
                          "cidpnlist": {"cid-gx-android-1": "5fb327649a645b685351456c4b962115"}}),
    )
    .await;
    h.emulator.shutdown().await;
    assert!(
        !dir.path().join("emulator-state.json.tmp").exists(),
        "no temp file is left behind"
    );

    let restarted = Harness::with(with_data()).await;
    let token = restarted.connect().await;
    let get = json!({"action": "getScheduleTaskAction", "appId": APP_ID, "taskId": id});
    let answer = restarted.call(&token, get).await;
    assert_eq!(answer["sendResult"], "do_not_send");
    assert_eq!(answer["pushTime"], push_time(at));
    let snapshot = restarted.emulator.snapshot();
    assert_eq!(
        snapshot.aliases.get("zed"),
        Some(&vec!["cid-gx-android-1".to_owned()])
    );
    assert_eq!(
        snapshot
            .bindings
            .get("cid-gx-android-1")
            .map(String::as_str),
        Some("5fb327649a645b685351456c4b962115")
    );
}

/// A `pushMessageToSingleAction` body as gt-push-sdk builds it, to `client_id` or `alias`.
fn single(client_id: &str, alias: &str) -> serde_json::Value {
    json!({
        "action": "pushMessageToSingleAction",
        "requestId": "2f1c0b7e-4e2a-11f0-9c1b-0242ac120002",
        "clientData": crate::harness::client_data("", None),
        "transmissionContent": "just for you",
        "isOffline": true,
        "offlineExpireTime": 43_200_000,
        "pushNetWorkType": 0,
        "appId": APP_ID,
        "clientId": client_id,
        "alias": alias,
        "type": 2,
        "pushType": "TransmissionMsg",
    })
}

#[tokio::test]
async fn a_single_push_reaches_its_one_cid_and_answers_its_status() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let online = h.call(&token, single("cid-sh-ios-1", "")).await;
    assert_eq!(online["result"], "ok", "{online}");
    assert_eq!(online["status"], "successed_online");
    let id = online["taskId"].as_str().expect("a task id");
    assert!(id.starts_with("OSS-0302_"), "{id}");
    let offline = h.call(&token, single("cid-sh-android-1", "")).await;
    assert_eq!(offline["status"], "successed_offline", "{offline}");
    let snapshot = h.emulator.snapshot();
    let pushes: Vec<(Vec<String>, Vec<String>, &str)> = snapshot
        .list_pushes
        .iter()
        .map(|p| (p.cids.clone(), p.delivered_to.clone(), p.content.as_str()))
        .collect();
    assert_eq!(
        pushes,
        [
            (
                vec!["cid-sh-ios-1".to_owned()],
                vec!["cid-sh-ios-1".to_owned()],
                "just for you"
            ),
            (
                vec!["cid-sh-android-1".to_owned()],
                vec!["cid-sh-android-1".to_owned()],
                "just for you"
            ),
        ]
    );
    let task = snapshot.task(id).expect("the push is a task");
    assert_eq!(task.status, TaskStatus::SendSuccess);
    assert_eq!(task.group, None);
}

#[tokio::test]
async fn a_single_push_to_an_alias_reaches_its_cids() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let answer = h.call(&token, single("", "alice")).await;
    assert_eq!(answer["result"], "ok", "{answer}");
    assert_eq!(answer["status"], "successed_online");
    let pushes = h.emulator.snapshot().list_pushes;
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].aliases, ["alice"]);
    assert_eq!(
        pushes[0].delivered_to,
        ["cid-zj-android-1", "cid-zj-android-2"]
    );
}

#[tokio::test]
async fn a_single_push_is_refused_as_getui_documents() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let cases = [
        (single("cid-nobody", ""), "ok", Some("successed_ignore")),
        (single("cid-other-app", ""), "AppidError", None),
        (single("", "nobody"), "TokenMD5NoUsers", None),
        (single("", ""), "Error", None),
        (single("cid-sh-ios-1", "carol"), "Error", None),
    ];
    for (body, result, status) in cases {
        let answer = h.call(&token, body.clone()).await;
        assert_eq!(answer["result"], result, "{body} → {answer}");
        assert_eq!(answer["status"].as_str(), status, "{body} → {answer}");
    }
    let mut other_app = single("cid-sh-ios-1", "");
    other_app["appId"] = json!("other-app");
    assert_eq!(
        h.call(&token, other_app).await["result"],
        "AppidNoMatchAppKey"
    );
    let mut no_request_id = single("cid-sh-ios-1", "");
    no_request_id["requestId"] = json!("");
    assert_eq!(h.call(&token, no_request_id).await["result"], "Error");
    let mut bad_client_data = single("cid-sh-ios-1", "");
    bad_client_data["clientData"] = json!("not base64!");
    assert_eq!(h.call(&token, bad_client_data).await["result"], "Error");
    // Without a token it is refused as every business action is.
    let mut unsigned = single("cid-sh-ios-1", "");
    unsigned["appkey"] = json!(crate::harness::APP_KEY);
    unsigned["authToken"] = json!("");
    assert_eq!(h.post(unsigned).await["result"], "sign_error");
    // Only the unknown cid's push was taken, and it reached nobody.
    let pushes = h.emulator.snapshot().list_pushes;
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    assert!(pushes[0].delivered_to.is_empty());
}
