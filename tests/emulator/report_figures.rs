//! The exact figures of the reports, per channel, on a fixed population and a pinned clock:
//! an app push and a list push on both protocols, before and after the lag, a push Huawei
//! holds until its hours open, the loss reasons of the detail report, and the date report.
//!
//! Which devices have notifications off is fixed by their cids (pinned below); which click
//! depends on the task id too, and task ids are random, so the clicks are computed with the
//! emulator's own [`gtcamp::emulator::clicks`].

use chrono::{DateTime, Duration, Utc};
use gtcamp::emulator::{Clock, EmulatorConfig, Maker, UserSeed, notifications_off};
use serde_json::{Value, json};

use crate::reports::{Fig, figures, v2_counters, v2_report};
use crate::v2::V2;

/// 2026-12-08 10:00 in Beijing.
fn morning() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-08T02:00:00Z")
        .expect("valid instant")
        .with_timezone(&Utc)
}

/// The cids `{prefix}-{n}` for `n` below `count`.
fn cids(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|n| format!("{prefix}-{n}")).collect()
}

/// The population, by group: prefix, how many, maker (`None`: iPhone), online.
const GROUPS: [(&str, usize, Option<Maker>, bool); 10] = [
    ("on", 20, Some(Maker::Other), true),
    ("ios-on", 6, None, true),
    ("ios-off", 10, None, false),
    ("gone", 4, Some(Maker::Other), false),
    ("hw", 20, Some(Maker::Hw), false),
    ("ho", 6, Some(Maker::Ho), false),
    ("xm", 8, Some(Maker::Xm), false),
    ("op", 6, Some(Maker::Op), false),
    ("vv", 12, Some(Maker::Vv), false),
    ("mz", 4, Some(Maker::Mz), false),
];

fn population() -> Vec<UserSeed> {
    GROUPS
        .iter()
        .flat_map(|&(prefix, count, maker, online)| {
            cids(prefix, count).into_iter().map(move |cid| {
                let mut seed = UserSeed::new(cid);
                seed.maker = maker;
                seed.online = online;
                if maker.is_none() {
                    seed.phone_type = "IOS".to_owned();
                }
                seed
            })
        })
        .collect()
}

fn group(prefix: &str) -> Vec<String> {
    let count = GROUPS
        .iter()
        .find(|(p, ..)| *p == prefix)
        .map_or(0, |(_, count, ..)| *count);
    cids(prefix, count)
}

async fn emulator(at: DateTime<Utc>) -> (V2, String) {
    let v2 = V2::with(EmulatorConfig {
        users: population(),
        clock: Clock::manual(at),
        ..EmulatorConfig::default()
    })
    .await;
    let token = v2.auth().await;
    (v2, token)
}

/// A notification with a makers' part, marketing or service for every maker that tells.
fn message(marketing: bool) -> Value {
    let importance = if marketing { "LOW" } else { "NORMAL" };
    json!({
        "push_message": {"notification": {"title": "Sale", "body": "Today only",
                                          "click_type": "startapp"}},
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

/// `/push/all` of `message`; returns its task id.
async fn push_all(v2: &V2, token: &str, request_id: &str, message: Value) -> String {
    let mut body = message;
    body["request_id"] = json!(request_id);
    body["audience"] = json!("all");
    body["group_name"] = json!("figures");
    let answer = v2.post(token, "/push/all", body).await;
    assert_eq!(answer["code"], 0, "{answer}");
    answer["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned()
}

/// Saves `message` as a list message and pushes it to `targets`; returns its task id.
async fn push_list(
    v2: &V2,
    token: &str,
    request_id: &str,
    message: Value,
    targets: &[&str],
) -> String {
    let mut body = message;
    body["request_id"] = json!(request_id);
    body["group_name"] = json!("figures");
    let saved = v2.post(token, "/push/list/message", body).await;
    let id = saved["data"]["taskid"]
        .as_str()
        .expect("a task id")
        .to_owned();
    let pushed = v2
        .post(
            token,
            "/push/list/cid",
            json!({"taskid": id, "is_async": false, "audience": {"cid": targets}}),
        )
        .await;
    assert_eq!(pushed["code"], 0, "{pushed}");
    id
}

/// Every device of `prefix` reached by a push of `task` showing a notification.
fn reached(task: &str, prefix: &str) -> Fig {
    figures(task, true, &group(prefix), 0)
}

fn sum(figs: &[Fig]) -> Fig {
    figs.iter().fold(Fig::default(), |t, f| {
        Fig(t.0 + f.0, t.1 + f.1, t.2 + f.2, t.3 + f.3)
    })
}

/// The legacy figures of a push, `GT` and `APN`, counts as text.
fn legacy(id: &str, gt: Fig, apn: Fig) -> Value {
    let counters = |Fig(sent, feedback, displayed, clicked): Fig| {
        json!({"sent": sent.to_string(), "feedback": feedback.to_string(),
               "displayed": displayed.to_string(), "clicked": clicked.to_string()})
    };
    json!({"taskId": id, "GT": counters(gt), "APN": counters(apn)})
}

async fn legacy_results(v2: &V2, ids: &[&str]) -> Value {
    let token = v2.h.connect().await;
    let answer =
        v2.h.call(
            &token,
            json!({"action": "getPushMsgResultByTaskidList", "taskIdList": ids,
                   "actionIdList": null}),
        )
        .await;
    assert_eq!(answer["result"], "ok", "{answer}");
    answer["resultList"].clone()
}

#[test]
fn the_population_has_a_fixed_share_of_devices_with_notifications_off() {
    let off: Vec<String> = population()
        .into_iter()
        .map(|seed| seed.cid)
        .filter(|cid| notifications_off(cid))
        .collect();
    // Nine of 96 (8% would be 7.7): the same nine every run, whatever the push.
    assert_eq!(
        off,
        [
            "on-3", "on-4", "hw-19", "xm-5", "op-4", "vv-8", "vv-9", "mz-0", "mz-1"
        ],
        "pinned: which devices have notifications off is fixed by their cids"
    );
}

#[tokio::test]
async fn an_app_push_and_a_list_push_count_exactly_per_channel_on_both_protocols() {
    let (v2, token) = emulator(morning()).await;
    let app = push_all(&v2, &token, "figures-app-01", message(false)).await;
    let targets = [
        "on-0",
        "on-1",
        "ios-off-0",
        "hw-0",
        "vv-0",
        "gone-0",
        "nobody",
    ];
    let list = push_list(&v2, &token, "figures-list-01", message(false), &targets).await;
    let report_path = format!("/report/push/task/{app},{list}");

    let zeros = json!({"total": v2_counters(Fig::default())});
    let report = v2.get(&token, &report_path).await;
    assert_eq!(
        report["data"],
        json!({&app: zeros, &list: zeros}),
        "{report}"
    );
    let zero = Fig::default();
    assert_eq!(
        legacy_results(&v2, &[&app, &list]).await,
        json!([legacy(&app, zero, zero), legacy(&list, zero, zero)])
    );

    v2.h.emulator.clock().advance(Duration::minutes(5));
    // The app push: every online device over Getui's connection (the four offline ones with
    // no maker channel unreached), offline iPhones through APNs, each maker's own.
    let gone = Fig(4, 0, 0, 0);
    let gt = sum(&[reached(&app, "on"), reached(&app, "ios-on"), gone]);
    let makers = ["hw", "ho", "xm", "op", "vv", "mz"].map(|m| (m, reached(&app, m)));
    let ios = reached(&app, "ios-off");
    let mut channels = vec![("gt", gt), ("ios", ios)];
    channels.extend(makers);
    let app_report = v2_report(&channels);
    // The list push: two online, an iPhone, a Huawei, a vivo, one unreached; `nobody` is
    // no device of the app.
    let shown = |cids: &[&str]| figures(&list, true, cids, 0);
    let list_gt = sum(&[shown(&["on-0", "on-1"]), Fig(1, 0, 0, 0)]);
    let list_ios = shown(&["ios-off-0"]);
    let list_report = v2_report(&[
        ("gt", list_gt),
        ("ios", list_ios),
        ("hw", shown(&["hw-0"])),
        ("vv", shown(&["vv-0"])),
    ]);
    let report = v2.get(&token, &report_path).await;
    assert_eq!(
        report["data"],
        json!({&app: app_report, &list: list_report}),
        "{report}"
    );
    // Pinned: 96 targeted, 92 received (not the four unreached), 83 displayed (not the
    // nine with notifications off).
    assert_eq!(report["data"][&app]["total"]["target_num"], 96, "{report}");
    assert_eq!(report["data"][&app]["total"]["receive_num"], 92);
    assert_eq!(report["data"][&app]["total"]["display_num"], 83);

    // The legacy report: APNs apart, every other channel under GT.
    let all_but_apns = sum(&[gt, sum(&makers.map(|(_, f)| f))]);
    let list_all_but_apns = sum(&[list_gt, shown(&["hw-0"]), shown(&["vv-0"])]);
    assert_eq!(
        legacy_results(&v2, &[&app, &list]).await,
        json!([
            legacy(&app, all_but_apns, ios),
            legacy(&list, list_all_but_apns, list_ios)
        ])
    );

    // The group reports sum both pushes.
    let group = v2.get(&token, "/report/push/task_group/figures").await;
    let total = sum(&[all_but_apns, ios, list_all_but_apns, list_ios]);
    assert_eq!(
        group["data"]["figures"]["total"],
        v2_counters(total),
        "{group}"
    );
    let legacy_token = v2.h.connect().await;
    let legacy_group =
        v2.h.call(
            &legacy_token,
            json!({"action": "getPushResultByGroupName", "appId": "demo",
                   "groupName": "figures"}),
        )
        .await;
    let online = gt.1 + list_gt.1;
    assert_eq!(
        legacy_group,
        json!({"result": "ok", "groupName": "figures", "msg_total": total.0.to_string(),
               "msg_process": total.1.to_string(), "online_num": online.to_string(),
               "show_num": total.2.to_string(), "click_num": total.3.to_string()})
    );
}

/// 2026-12-09 01:00 in Beijing, when Huawei and Honor hold marketing pushes until 06:00
/// and vivo drops them.
fn night() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-08T17:00:00Z")
        .expect("valid instant")
        .with_timezone(&Utc)
}

/// The figures of a push nobody received on a channel of `count` devices.
fn lost(count: u64) -> Fig {
    Fig(count, 0, 0, 0)
}

#[tokio::test]
async fn a_held_huawei_push_counts_only_once_shown_and_the_lag_has_passed() {
    let (v2, token) = emulator(night()).await;
    let id = push_all(&v2, &token, "figures-night-1", message(true)).await;
    let path = format!("/report/push/task/{id}");
    let gt = sum(&[reached(&id, "on"), reached(&id, "ios-on"), lost(4)]);
    let report = |hw: Fig, ho: Fig| {
        json!({&id: v2_report(&[
            ("gt", gt),
            ("ios", reached(&id, "ios-off")),
            ("hw", hw),
            ("ho", ho),
            ("xm", reached(&id, "xm")),
            ("op", reached(&id, "op")),
            // vivo drops marketing pushes outside its hours.
            ("vv", lost(12)),
            ("mz", reached(&id, "mz")),
        ])})
    };
    let held = report(lost(20), lost(6));
    let clock = v2.h.emulator.clock();
    clock.advance(Duration::minutes(5));
    assert_eq!(v2.get(&token, &path).await["data"], held);
    // Shown at 06:00 (22:00 UTC), counted five minutes later.
    clock.advance(Duration::hours(5) - Duration::seconds(1));
    assert_eq!(v2.get(&token, &path).await["data"], held);
    let detail = v2.get(&token, &format!("{path}/detail")).await;
    assert_eq!(detail["data"][&id]["hw"]["d10"], 0, "{detail}");
    clock.advance(Duration::seconds(1));
    let shown = report(reached(&id, "hw"), reached(&id, "ho"));
    assert_eq!(v2.get(&token, &path).await["data"], shown);
    // hw-19 has notifications off: it received the push, and displayed nothing.
    let detail = v2.get(&token, &format!("{path}/detail")).await;
    assert_eq!(detail["data"][&id]["hw"]["d10"], 1, "{detail}");
    assert_eq!(detail["data"][&id]["hw"]["receive_num"], 20, "{detail}");
    assert_eq!(detail["data"][&id]["hw"]["display_num"], 19, "{detail}");
}

#[tokio::test]
async fn the_detail_report_names_pushes_over_a_makers_quota_and_notifications_off() {
    let (v2, token) = emulator(morning()).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        let request_id = format!("figures-cap-0{n}");
        ids.push(push_all(&v2, &token, &request_id, message(true)).await);
        v2.h.emulator.clock().advance(Duration::minutes(1));
    }
    v2.h.emulator.clock().advance(Duration::minutes(5));
    let third = &ids[2];
    let detail = v2
        .get(&token, &format!("/report/push/task/{third}/detail"))
        .await;
    assert_eq!(detail["code"], 0, "{detail}");
    let losses = |channel: &str| {
        let figures = &detail["data"][third][channel];
        (figures["d6"].clone(), figures["d10"].clone())
    };
    // The third marketing push of the day: over Huawei's, Honor's, OPPO's and vivo's cap of
    // two, and Xiaomi's one on its default channel; Meizu publishes none.
    assert_eq!(losses("hw"), (json!(20), json!(0)));
    assert_eq!(losses("ho"), (json!(6), json!(0)));
    assert_eq!(losses("xm"), (json!(8), json!(0)));
    assert_eq!(losses("op"), (json!(6), json!(0)));
    assert_eq!(losses("vv"), (json!(12), json!(0)));
    // Notifications off: on-3 and on-4 on Getui's channel, mz-0 and mz-1 on Meizu's.
    assert_eq!(losses("mz"), (json!(0), json!(2)));
    assert_eq!(losses("gt"), (json!(0), json!(2)));
    assert_eq!(losses("ios"), (json!(0), json!(0)));
    assert_eq!(losses("total"), (json!(52), json!(4)));
    assert_eq!(detail["data"][third]["vv"]["target_num"], 12);
    assert_eq!(detail["data"][third]["vv"]["receive_num"], 0);
    // The same figures as the task report, which names no loss reason.
    let report = v2.get(&token, &format!("/report/push/task/{third}")).await;
    let mut without_losses = detail["data"].clone();
    for figures in without_losses[third.as_str()]
        .as_object_mut()
        .expect("channels")
        .values_mut()
    {
        let figures = figures.as_object_mut().expect("figures");
        figures.remove("d6");
        figures.remove("d10");
    }
    assert_eq!(report["data"], without_losses);
    // The second push had Xiaomi's default channel over its cap already.
    let second = &ids[1];
    let detail = v2
        .get(&token, &format!("/report/push/task/{second}/detail"))
        .await;
    assert_eq!(detail["data"][second]["xm"]["d6"], 8, "{detail}");
    assert_eq!(detail["data"][second]["hw"]["d6"], 0, "{detail}");
    // An unknown task is left out.
    let unknown = v2
        .get(&token, "/report/push/task/RASA_1208_unknown/detail")
        .await;
    assert_eq!(unknown["data"], json!({}), "{unknown}");
}

#[tokio::test]
async fn the_date_report_sums_the_pushes_that_left_on_a_beijing_day_lagged() {
    let (v2, token) = emulator(morning()).await;
    let app = push_all(&v2, &token, "figures-day-001", message(false)).await;
    let date = |day: &str| format!("/report/push/date/{day}");
    let zeros = json!({"total": v2_counters(Fig::default())});
    let report = v2.get(&token, &date("2026-12-08")).await;
    assert_eq!(
        report["data"],
        json!({"2026-12-08": zeros}),
        "not counted yet"
    );

    // 01:00 on the 9th in Beijing: a list push to two online devices.
    v2.h.emulator.clock().advance(Duration::hours(15));
    let list = push_list(
        &v2,
        &token,
        "figures-day-002",
        message(false),
        &["on-0", "on-1"],
    )
    .await;
    let first_day = v2.get(&token, &date("2026-12-08")).await;
    let gt = sum(&[reached(&app, "on"), reached(&app, "ios-on"), lost(4)]);
    let mut channels = vec![("gt", gt), ("ios", reached(&app, "ios-off"))];
    channels.extend(["hw", "ho", "xm", "op", "vv", "mz"].map(|m| (m, reached(&app, m))));
    assert_eq!(
        first_day["data"],
        json!({"2026-12-08": v2_report(&channels)}),
        "{first_day}"
    );
    let second_day = v2.get(&token, &date("2026-12-09")).await;
    assert_eq!(second_day["data"], json!({"2026-12-09": zeros}), "lagged");
    v2.h.emulator.clock().advance(Duration::minutes(5));
    let second_day = v2.get(&token, &date("2026-12-09")).await;
    let listed = figures(&list, true, &["on-0", "on-1"], 0);
    assert_eq!(
        second_day["data"],
        json!({"2026-12-09": v2_report(&[("gt", listed)])}),
        "{second_day}"
    );
    let before = v2.get(&token, &date("2026-12-07")).await;
    assert_eq!(before["data"], json!({"2026-12-07": zeros}));

    // The legacy day report: a day in the past only.
    let legacy_token = v2.h.connect().await;
    let day =
        |day: &str, app: &str| json!({"action": "queryAppPushData", "appId": app, "date": day});
    let answer = v2.h.call(&legacy_token, day("20261208", "demo")).await;
    let total = sum(&channels.iter().map(|(_, f)| *f).collect::<Vec<_>>());
    assert_eq!(
        answer,
        json!({"result": "ok", "data": {"appId": "demo", "date": "20261208",
               "sendCount": total.0.to_string(), "sendOnlineCount": gt.1.to_string(),
               "receiveCount": total.1.to_string(), "showCount": total.2.to_string(),
               "clickCount": total.3.to_string()}})
    );
    for refused in ["20261209", "20261210", "2026-12-08", "2026128"] {
        let answer = v2.h.call(&legacy_token, day(refused, "demo")).await;
        assert_eq!(answer, json!({"result": "Error"}), "{refused}");
    }
    let answer = v2.h.call(&legacy_token, day("20261208", "other")).await;
    assert_eq!(answer["result"], "AppidNoMatchAppKey", "{answer}");

    for malformed in ["2026-12-8", "20261208", "2026-02-30", "yesterday"] {
        let (status, refused) = v2
            .send(reqwest::Method::GET, &date(malformed), Some(&token), None)
            .await;
        assert_eq!(
            (status, &refused["code"]),
            (400, &json!(20001)),
            "{malformed}: {refused}"
        );
    }
}
