//! Push reports as Getui documents them: counters that lag behind the sends, per task
//! (legacy `getPushMsgResultByTaskidList`, V2 GET `/report/push/task/{ids}`) and per group
//! (which never name a task), on the manual clock.

use chrono::Duration;
use gtcamp::emulator::{clicks, notifications_off};
use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{APP_ID, Harness, client_data};
use crate::v2::{V2, tag_push};

/// One channel's figures: target (= msg), receive, display, click.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fig(pub u64, pub u64, pub u64, pub u64);

impl Fig {
    fn plus(self, other: Fig) -> Fig {
        Fig(
            self.0 + other.0,
            self.1 + other.1,
            self.2 + other.2,
            self.3 + other.3,
        )
    }
}

/// What a push of `task` does on one channel: it is meant for `unreached` devices it did
/// not reach and reaches `reached`, which display it (if it `shows` a notification and they
/// have notifications on) and click it as the emulator's fixed hashes pick.
pub fn figures(task: &str, shows: bool, reached: &[impl AsRef<str>], unreached: u64) -> Fig {
    let displayed: Vec<&str> = reached
        .iter()
        .map(AsRef::as_ref)
        .filter(|cid| shows && !notifications_off(cid))
        .collect();
    let clicked = displayed.iter().filter(|cid| clicks(cid, task)).count();
    Fig(
        reached.len() as u64 + unreached,
        reached.len() as u64,
        displayed.len() as u64,
        clicked as u64,
    )
}

/// The fixture's five vip users, pushed a payload-only message (which displays nothing on
/// Getui's channel nor APNs): online `cid-zj-android-1`, `cid-sh-ios-1`, `cid-gd-android-1`
/// on Getui's channel and offline `cid-zj-android-2` (no maker channel) unreached there,
/// offline `cid-bj-ios-1` through APNs.
pub const VIP: (Fig, Fig) = (Fig(4, 3, 0, 0), Fig(1, 1, 0, 0));

/// Nothing counted.
const NONE: (Fig, Fig) = (Fig(0, 0, 0, 0), Fig(0, 0, 0, 0));

fn text(n: u64) -> String {
    n.to_string()
}

fn legacy_counters(Fig(sent, feedback, displayed, clicked): Fig) -> Value {
    json!({"sent": text(sent), "feedback": text(feedback), "displayed": text(displayed),
           "clicked": text(clicked)})
}

/// The legacy figures of a push: `GT` (every channel but APNs) and `APN`, counts as text.
fn legacy_entry(id: &str, (gt, apn): (Fig, Fig)) -> Value {
    json!({"taskId": id, "GT": legacy_counters(gt), "APN": legacy_counters(apn)})
}

pub fn v2_counters(Fig(target, receive, display, click): Fig) -> Value {
    json!({"msg_num": target, "target_num": target, "receive_num": receive,
           "display_num": display, "click_num": click})
}

/// The V2 figures of a push: `total`, and each of `channels` with a device targeted.
pub fn v2_report(channels: &[(&str, Fig)]) -> Value {
    let mut report = serde_json::Map::new();
    let mut total = Fig::default();
    for (key, fig) in channels {
        total = total.plus(*fig);
        if fig.0 > 0 {
            report.insert((*key).to_owned(), v2_counters(*fig));
        }
    }
    report.insert("total".to_owned(), v2_counters(total));
    Value::Object(report)
}

/// The V2 figures of a push on Getui's channel and APNs.
pub fn v2_channels((gt, ios): (Fig, Fig)) -> Value {
    v2_report(&[("gt", gt), ("ios", ios)])
}

/// Saves a list message and pushes it to `cids`; returns its task id.
async fn legacy_list_push(h: &Harness, token: &str, cids: &[&str], group: &str) -> String {
    let saved = h
        .call(
            token,
            json!({"action": "getContentIdAction", "clientData": client_data("", None),
                   "transmissionContent": "welcome", "isOffline": true,
                   "offlineExpireTime": 3_600_000, "pushNetWorkType": 0, "type": 2,
                   "contentType": 1, "taskGroupName": group}),
        )
        .await;
    let id = saved["contentId"]
        .as_str()
        .expect("a content id")
        .to_owned();
    let pushed = h
        .call(
            token,
            json!({"action": "pushMessageToListAction", "contentId": id, "needDetails": false,
                   "async": false, "clientIdList": cids, "aliasList": [], "type": 2}),
        )
        .await;
    assert_eq!(pushed["result"], "ok", "{pushed}");
    id
}

/// Pushes an app message to the vip users at once; returns its task id.
async fn legacy_app_push_now(h: &Harness, token: &str, group: &str) -> String {
    let saved = h
        .save_app_content(
            token,
            json!({"taskGroupName": group,
                   "conditions": [{"key": "tag", "values": ["vip"], "optType": 0}]}),
        )
        .await;
    let id = saved["contentId"]
        .as_str()
        .expect("a content id")
        .to_owned();
    let pushed = h
        .call(
            token,
            json!({"action": "pushMessageToAppAction", "contentId": id, "type": 2}),
        )
        .await;
    assert_eq!(pushed["result"], "ok", "{pushed}");
    id
}

async fn legacy_task_results(h: &Harness, token: &str, ids: &[&str]) -> Value {
    let answer = h
        .call(
            token,
            json!({"action": "getPushMsgResultByTaskidList", "taskIdList": ids,
                   "actionIdList": null}),
        )
        .await;
    assert_eq!(answer["result"], "ok", "{answer}");
    answer
}

#[tokio::test]
async fn legacy_task_results_count_a_push_only_once_the_lag_has_passed() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let list = legacy_list_push(
        &h,
        &token,
        &["cid-zj-android-1", "cid-zj-android-2", "nobody"],
        "g",
    )
    .await;
    let app = legacy_app_push_now(&h, &token, "g").await;
    let at = h.emulator.clock().now() + Duration::hours(2);
    let scheduled = h.schedule(&token, at, "g").await;
    let ids = [
        list.as_str(),
        app.as_str(),
        scheduled.as_str(),
        "OSA-0302_unknown",
    ];

    let answer = legacy_task_results(&h, &token, &ids).await;
    let zeros = |id: &str| legacy_entry(id, NONE);
    assert_eq!(
        answer["resultList"],
        json!([zeros(&list), zeros(&app), zeros(&scheduled)]),
        "nothing counted yet, and an unknown id is left out"
    );
    h.emulator.clock().advance(Duration::seconds(4 * 60 + 59));
    let answer = legacy_task_results(&h, &token, &ids).await;
    assert_eq!(answer["resultList"][0], zeros(&list), "{answer}");

    h.emulator.clock().advance(Duration::seconds(1));
    let answer = legacy_task_results(&h, &token, &ids).await;
    assert_eq!(
        answer["resultList"],
        json!([
            // Two known cids, one of them online (the other has no maker channel);
            // `nobody` was never sent anything. The template shows a notification.
            legacy_entry(
                &list,
                (
                    figures(&list, true, &["cid-zj-android-1"], 1),
                    Fig::default()
                )
            ),
            legacy_entry(&app, VIP),
            zeros(&scheduled)
        ])
    );

    // The scheduled push fires at its time and counts five minutes later.
    h.emulator.clock().advance(Duration::minutes(115));
    let answer = legacy_task_results(&h, &token, &[&scheduled]).await;
    assert_eq!(answer["resultList"], json!([zeros(&scheduled)]));
    h.emulator.clock().advance(Duration::minutes(5));
    let answer = legacy_task_results(&h, &token, &[&scheduled]).await;
    assert_eq!(answer["resultList"], json!([legacy_entry(&scheduled, VIP)]));
}

#[tokio::test]
async fn legacy_reports_count_nothing_of_saved_or_deleted_tasks_and_need_a_token() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let saved = h.save_app_content(&token, json!({})).await;
    let saved = saved["contentId"]
        .as_str()
        .expect("a content id")
        .to_owned();
    let doomed = h
        .schedule(
            &token,
            h.emulator.clock().now() + Duration::minutes(30),
            "g",
        )
        .await;
    let del = json!({"action": "delScheduleTaskAction", "appId": APP_ID, "taskId": doomed});
    assert_eq!(h.call(&token, del).await["result"], "ok");
    h.emulator.clock().advance(Duration::hours(1));
    let answer = legacy_task_results(&h, &token, &[&saved, &doomed, &saved]).await;
    assert_eq!(
        answer["resultList"],
        json!([legacy_entry(&saved, NONE), legacy_entry(&doomed, NONE)]),
        "each known id once"
    );
    let refused = h
        .call(
            "not-a-token",
            json!({"action": "getPushMsgResultByTaskidList", "taskIdList": [saved]}),
        )
        .await;
    assert_eq!(refused["result"], "sign_error");
}

#[tokio::test]
async fn legacy_group_report_sums_the_groups_pushes_and_names_none() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let list = legacy_list_push(&h, &token, &["cid-zj-android-1"], "occ-1").await;
    let app = legacy_app_push_now(&h, &token, "occ-1").await;
    let at = h.emulator.clock().now() + Duration::hours(1);
    let scheduled = h.schedule(&token, at, "occ-1").await;
    let elsewhere = legacy_app_push_now(&h, &token, "occ-2").await;
    let lookup =
        json!({"action": "getPushResultByGroupName", "appId": APP_ID, "groupName": "occ-1"});
    // Summed over every channel; `online_num` is what Getui's own connection reached.
    let counters = |pushes: &[(Fig, Fig)]| {
        let (gt, apn) = pushes
            .iter()
            .fold(NONE, |(gt, apn), (g, a)| (gt.plus(*g), apn.plus(*a)));
        let total = gt.plus(apn);
        json!({"result": "ok", "groupName": "occ-1", "msg_total": text(total.0),
               "msg_process": text(total.1), "online_num": text(gt.1),
               "show_num": text(total.2), "click_num": text(total.3)})
    };
    let listed = (
        figures(&list, true, &["cid-zj-android-1"], 0),
        Fig::default(),
    );
    assert_eq!(h.call(&token, lookup.clone()).await, counters(&[]));
    h.emulator.clock().advance(Duration::minutes(5));
    assert_eq!(
        h.call(&token, lookup.clone()).await,
        counters(&[listed, VIP])
    );
    h.emulator.clock().advance(Duration::hours(1));
    let answer = h.call(&token, lookup).await;
    assert_eq!(answer, counters(&[listed, VIP, VIP]));
    let text = answer.to_string();
    for id in [&list, &app, &scheduled, &elsewhere] {
        assert!(!text.contains(id.as_str()), "{id} in {text}");
    }
}

#[tokio::test]
async fn v2_task_report_counts_each_known_task_once_the_lag_has_passed() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let now = v2
        .post(&token, "/push/tag", tag_push("now-000000001", None, "g"))
        .await;
    let now = now["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned();
    let scheduled = v2.schedule(&token, "later-0000001", 60, "g").await;
    let saved = v2
        .post(
            &token,
            "/push/list/message",
            json!({"request_id": "list-00000001", "push_message": {"transmission": "hi"}}),
        )
        .await;
    let list = saved["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned();
    for cids in [
        json!(["cid-zj-android-1", "cid-zj-android-2"]),
        json!(["cid-sh-ios-1"]),
    ] {
        let pushed = v2
            .post(
                &token,
                "/push/list/cid",
                json!({"taskid": list, "is_async": false, "audience": {"cid": cids}}),
            )
            .await;
        assert_eq!(pushed["code"], 0, "{pushed}");
    }
    let path = format!("/report/push/task/{now},{scheduled},{list},RASA_0302_unknown");

    let report = v2.get(&token, &path).await;
    assert_eq!(report["code"], 0, "{report}");
    assert_eq!(
        report["data"],
        json!({&now: v2_channels(NONE), &scheduled: v2_channels(NONE),
               &list: v2_channels(NONE)}),
        "nothing counted yet, and an unknown id is left out"
    );
    v2.h.emulator.clock().advance(Duration::minutes(5));
    let report = v2.get(&token, &path).await;
    assert_eq!(
        report["data"],
        // The list message went out twice: three cids, two of them online.
        json!({&now: v2_channels(VIP), &scheduled: v2_channels(NONE),
               &list: v2_channels((Fig(3, 2, 0, 0), Fig::default()))})
    );
    // It fires at 60 minutes and counts from 65.
    v2.h.emulator.clock().advance(Duration::minutes(59));
    let report = v2
        .get(&token, &format!("/report/push/task/{scheduled}"))
        .await;
    assert_eq!(report["data"], json!({&scheduled: v2_channels(NONE)}));
    v2.h.emulator.clock().advance(Duration::minutes(1));
    let report = v2
        .get(&token, &format!("/report/push/task/{scheduled}"))
        .await;
    assert_eq!(report["data"], json!({&scheduled: v2_channels(VIP)}));
}

#[tokio::test]
async fn v2_task_report_takes_at_most_200_ids_and_a_token() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let ids = |n: usize| {
        (0..n)
            .map(|i| format!("RASA_0302_{i:032x}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let most = v2
        .get(&token, &format!("/report/push/task/{}", ids(200)))
        .await;
    assert_eq!(most["code"], 0, "{most}");
    assert_eq!(most["data"], json!({}), "none of them is known");
    let (status, refused) = v2
        .send(
            Method::GET,
            &format!("/report/push/task/{}", ids(201)),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, &refused["code"]),
        (400, &json!(20001)),
        "{refused}"
    );
    assert!(refused["data"].is_null(), "{refused}");
    let (status, unsigned) = v2
        .send(Method::GET, "/report/push/task/RASA_1", None, None)
        .await;
    assert_eq!((status, &unsigned["code"]), (401, &json!(10001)));
}

#[tokio::test]
async fn reports_of_both_protocols_read_tasks_of_either() {
    let v2 = V2::start().await;
    let token = v2.auth().await;
    let legacy = v2.h.connect().await;
    let v2_task = v2
        .post(&token, "/push/tag", tag_push("cross-0000001", None, "g"))
        .await;
    let v2_task = v2_task["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned();
    let legacy_task = legacy_list_push(&v2.h, &legacy, &["cid-zj-ios-1"], "g").await;
    v2.h.emulator.clock().advance(Duration::minutes(5));
    let answer = legacy_task_results(&v2.h, &legacy, &[&v2_task]).await;
    assert_eq!(answer["resultList"], json!([legacy_entry(&v2_task, VIP)]));
    let report = v2
        .get(&token, &format!("/report/push/task/{legacy_task}"))
        .await;
    let shown = figures(&legacy_task, true, &["cid-zj-ios-1"], 0);
    assert_eq!(
        report["data"],
        json!({&legacy_task: v2_channels((shown, Fig::default()))})
    );
}

#[tokio::test]
async fn a_shorter_report_lag_counts_sooner() {
    let v2 = V2::with(gtcamp::emulator::EmulatorConfig {
        report_lag: Duration::zero(),
        ..crate::harness::config()
    })
    .await;
    let token = v2.auth().await;
    let id = v2
        .post(&token, "/push/tag", tag_push("lagless-00001", None, "g"))
        .await;
    let id = id["data"]["taskid"].as_str().expect("a task id").to_owned();
    let report = v2.get(&token, &format!("/report/push/task/{id}")).await;
    assert_eq!(report["data"], json!({&id: v2_channels(VIP)}));
}
