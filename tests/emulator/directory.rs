//! cid–pn bindings answer per-cid codes of table E.2 computed from the store; aliases keep
//! the B.11 rules.

use serde_json::{Value, json};

use crate::harness::{APP_ID, Harness};

const PN_1: &str = "4d009f30087e9aa9f5b5806d5f350017"; // bound to cid-zj-android-1 at level 2
const PN_2: &str = "cd96e7ce247ed5c74267805b69cc7cd3"; // bound to cid-sh-ios-1, activity 90
const PN_NEW: &str = "5fb327649a645b685351456c4b962115";

fn codes(answer: &Value) -> Vec<(String, String)> {
    answer["batchRet"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|e| {
                    (
                        e["cid"].as_str().unwrap_or("").to_owned(),
                        e["code"].as_str().unwrap_or("?").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test]
async fn bind_cid_pn_answers_a_code_per_cid() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let answer = h
        .call(
            &token,
            json!({"action": "bind_cid_pn", "appId": APP_ID, "cidpnlist": {
                "cid-gd-android-1": PN_NEW,        // 0: free cid, free pn
                "cid-nobody": PN_NEW,              // 1: unknown cid
                "cid-other-app": PN_NEW,           // 2: cid of another app
                "cid-zj-android-1": PN_NEW,        // 3: level-2 binding cannot be replaced
                "cid-gd-android-3": PN_2,          // 4: pn is held by a more active cid
                "": PN_NEW,                        // 5: empty cid
                "cid-gx-android-1": "",            // 6: empty pn
            }}),
        )
        .await;
    assert_eq!(answer["result"], "0");
    let mut got = codes(&answer);
    got.sort();
    assert_eq!(
        got,
        pairs(&[
            ("", "5"),
            ("cid-gd-android-1", "0"),
            ("cid-gd-android-3", "4"),
            ("cid-gx-android-1", "6"),
            ("cid-nobody", "1"),
            ("cid-other-app", "2"),
            ("cid-zj-android-1", "3"),
        ])
    );
    let snapshot = h.emulator.snapshot();
    assert_eq!(
        snapshot
            .bindings
            .get("cid-gd-android-1")
            .map(String::as_str),
        Some(PN_NEW)
    );
    assert_eq!(
        snapshot
            .bindings
            .get("cid-zj-android-1")
            .map(String::as_str),
        Some(PN_1)
    );
    assert_eq!(
        snapshot.bindings.get("cid-sh-ios-1").map(String::as_str),
        Some(PN_2)
    );
}

#[tokio::test]
async fn a_pn_moves_to_a_more_active_cid() {
    let h = Harness::start().await;
    let token = h.connect().await;
    // cid-bj-ios-1 (activity 80) takes the pn of cid-sh-android-1 (activity 30).
    let pn = "e910662da706109978313531f1c72320";
    let answer = h
        .call(
            &token,
            json!({"action": "bind_cid_pn", "appId": APP_ID,
                             "cidpnlist": {"cid-bj-ios-1": pn}}),
        )
        .await;
    assert_eq!(codes(&answer), pairs(&[("cid-bj-ios-1", "0")]));
    let snapshot = h.emulator.snapshot();
    assert_eq!(
        snapshot.bindings.get("cid-bj-ios-1").map(String::as_str),
        Some(pn)
    );
    assert!(!snapshot.bindings.contains_key("cid-sh-android-1"));
}

#[tokio::test]
async fn a_pn_freed_by_unbind_can_go_back_to_a_less_active_cid() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let pn = "e910662da706109978313531f1c72320";
    let bind =
        |cid: &str| json!({"action": "bind_cid_pn", "appId": APP_ID, "cidpnlist": {cid: pn}});
    h.call(&token, bind("cid-bj-ios-1")).await;
    let unbind = json!({"action": "unbind_cid_pn", "appId": APP_ID, "cids": ["cid-bj-ios-1"]});
    assert_eq!(
        codes(&h.call(&token, unbind).await),
        pairs(&[("cid-bj-ios-1", "0")])
    );
    // Nobody holds the pn any more, so the less active cid gets it back (no code 4).
    let answer = h.call(&token, bind("cid-sh-android-1")).await;
    assert_eq!(codes(&answer), pairs(&[("cid-sh-android-1", "0")]));
    let snapshot = h.emulator.snapshot();
    assert_eq!(
        snapshot
            .bindings
            .get("cid-sh-android-1")
            .map(String::as_str),
        Some(pn)
    );
    assert!(!snapshot.bindings.contains_key("cid-bj-ios-1"));
}

#[tokio::test]
async fn query_and_unbind_report_cids_without_a_pn_as_code_7() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let query = h
        .call(
            &token,
            json!({"action": "query_cid_pn", "appId": APP_ID,
                             "cids": ["cid-sh-ios-1", "cid-sh-ios-2"]}),
        )
        .await;
    assert_eq!(
        codes(&query),
        pairs(&[("cid-sh-ios-1", "0"), ("cid-sh-ios-2", "7")])
    );
    assert_eq!(query["batchRet"][0]["pn"], PN_2);
    let unbind = h
        .call(
            &token,
            json!({"action": "unbind_cid_pn", "appId": APP_ID,
                             "cids": ["cid-sh-ios-1", "cid-sh-ios-2"]}),
        )
        .await;
    assert_eq!(
        codes(&unbind),
        pairs(&[("cid-sh-ios-1", "0"), ("cid-sh-ios-2", "7")])
    );
    assert!(!h.emulator.snapshot().bindings.contains_key("cid-sh-ios-1"));
}

#[tokio::test]
async fn more_than_50_pairs_are_refused_whole() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let many: serde_json::Map<String, Value> = (0..51)
        .map(|i| (format!("cid-{i}"), json!(PN_NEW)))
        .collect();
    let answer = h
        .call(
            &token,
            json!({"action": "bind_cid_pn", "appId": APP_ID, "cidpnlist": many}),
        )
        .await;
    assert_eq!(answer["result"], "8");
    assert_eq!(answer["batchRet"], json!([]));
}

#[tokio::test]
async fn alias_bind_query_and_unbind_round_trip() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let bind = h
        .call(&token, json!({"action": "alias_bind", "appid": APP_ID, "alias": "会员_frank1", "cid": "cid-gx-android-1"}))
        .await;
    assert_eq!(bind["result"], "ok", "{bind}");
    let by_alias = h
        .call(
            &token,
            json!({"action": "alias_query", "appid": APP_ID, "alias": "alice"}),
        )
        .await;
    assert_eq!(
        by_alias["cidlist"],
        json!(["cid-zj-android-1", "cid-zj-android-2"])
    );
    let by_cid = h
        .call(
            &token,
            json!({"action": "alias_query", "appid": APP_ID, "cid": "cid-gx-android-1"}),
        )
        .await;
    assert_eq!(by_cid["alias"], "会员_frank1");
    let unbind_all = h
        .call(
            &token,
            json!({"action": "alias_unbind", "appid": APP_ID, "alias": "alice"}),
        )
        .await;
    assert_eq!(unbind_all["result"], "ok");
    assert!(!h.emulator.snapshot().aliases.contains_key("alice"));
}

#[tokio::test]
async fn alias_rules_refuse_bad_names_and_an_eleventh_cid() {
    let h = Harness::start().await;
    let token = h.connect().await;
    for bad in [
        "has space",
        "dash-ed",
        "",
        &"a".repeat(41),
        &"长".repeat(14),
    ] {
        let answer = h
            .call(&token, json!({"action": "alias_bind", "appid": APP_ID, "alias": bad, "cid": "cid-gx-android-1"}))
            .await;
        assert_eq!(answer["result"], "Error", "alias `{bad}` was accepted");
        assert_eq!(answer["error_code"], "alias_invalid");
    }
    let cids: Vec<String> = h
        .emulator
        .snapshot()
        .users
        .iter()
        .filter(|u| u.app_id == APP_ID)
        .map(|u| u.cid.clone())
        .collect();
    let mut answers = Vec::new();
    for cid in cids.iter().take(11) {
        let answer = h
            .call(
                &token,
                json!({"action": "alias_bind", "appid": APP_ID, "alias": "team", "cid": cid}),
            )
            .await;
        answers.push(answer["result"].as_str().unwrap_or("").to_owned());
    }
    assert_eq!(answers[..10], vec!["ok".to_owned(); 10][..]);
    assert_eq!(answers[10], "Error");
    assert_eq!(h.emulator.snapshot().aliases["team"].len(), 10);
}

#[tokio::test]
async fn set_tag_replaces_the_tags_conditions_see() {
    let h = Harness::start().await;
    let token = h.connect().await;
    let answer = h
        .call(
            &token,
            json!({"action": "setTagAction", "appId": APP_ID,
                             "clientId": "cid-gx-android-1", "tagList": ["vip", "gamer"]}),
        )
        .await;
    assert_eq!(answer["result"], "ok");
    let count = h
        .call(
            &token,
            json!({"action": "queryUserCount", "appId": APP_ID,
                             "conditions": [{"key": "tag", "values": ["gamer"], "optType": 0}]}),
        )
        .await;
    assert_eq!(count["count"], 1);
}
