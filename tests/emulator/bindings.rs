//! The cid–pn binding rules of table E.2, on both stores: in memory and on disk (SQLite).
//!
//! A request's pairs are taken in cid order, each seeing what the pairs before it changed:
//! two cids asking for one pn, a pn freed or taken earlier in the same request, a cid that
//! already holds its pn. Each case runs on both stores and must give the same codes and
//! the same bindings; on disk, the bindings must also be there after a restart.

use std::collections::BTreeMap;

use gtcamp::emulator::{EmulatorConfig, UserSeed};
use serde_json::{Value, json};

use crate::harness::{APP_ID, Harness, config};

/// A made-up pn: 32 lower-case hex digits.
fn pn(n: u8) -> String {
    format!("{n:032x}")
}

fn user(cid: &str, activity: u32, bound: Option<(u8, u8)>) -> UserSeed {
    let mut seed = UserSeed::new(cid);
    seed.activity = activity;
    if let Some((n, level)) = bound {
        seed.pn = Some(pn(n));
        seed.pn_level = level;
    }
    seed
}

/// What a case looks at after its requests: each cid's code per request, the bindings
/// (cid → pn) and the level of every user.
#[derive(Debug, PartialEq)]
struct Outcome {
    codes: Vec<Vec<(String, String)>>,
    bindings: BTreeMap<String, String>,
    levels: BTreeMap<String, u8>,
}

/// Sends `requests` (cid → pn each) to an emulator holding `users`, in memory and on disk,
/// checks that both stores agree and that the disk keeps its bindings across a restart,
/// and returns the outcome.
async fn on_both_stores(users: Vec<UserSeed>, requests: &[&[(&str, &str)]]) -> Outcome {
    let memory = run(None, &users, requests).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let disk = run(Some(dir.path()), &users, requests).await;
    assert_eq!(disk, memory, "the disk store and the memory store disagree");
    let reopened = run(Some(dir.path()), &users, &[]).await;
    assert_eq!(reopened.bindings, disk.bindings, "lost across a restart");
    assert_eq!(reopened.levels, disk.levels, "levels lost across a restart");
    memory
}

async fn run(
    data_dir: Option<&std::path::Path>,
    users: &[UserSeed],
    requests: &[&[(&str, &str)]],
) -> Outcome {
    let h = Harness::with(EmulatorConfig {
        users: users.to_vec(),
        data_dir: data_dir.map(std::path::Path::to_owned),
        ..config()
    })
    .await;
    let token = h.connect().await;
    let mut codes = Vec::new();
    for pairs in requests {
        let list: serde_json::Map<String, Value> = pairs
            .iter()
            .map(|(cid, pn)| ((*cid).to_owned(), json!(pn)))
            .collect();
        let answer = h
            .call(
                &token,
                json!({"action": "bind_cid_pn", "appId": APP_ID, "cidpnlist": list}),
            )
            .await;
        assert_eq!(answer["result"], "0", "{answer}");
        codes.push(codes_of(&answer));
    }
    let snapshot = h.emulator.snapshot();
    h.emulator.shutdown().await;
    Outcome {
        codes,
        bindings: snapshot.bindings,
        levels: snapshot
            .users
            .iter()
            .map(|u| (u.cid.clone(), u.pn_level))
            .collect(),
    }
}

fn codes_of(answer: &Value) -> Vec<(String, String)> {
    let entries = answer["batchRet"].as_array().cloned().unwrap_or_default();
    entries
        .iter()
        .map(|e| {
            let field = |key: &str| e[key].as_str().unwrap_or("?").to_owned();
            (field("cid"), field("code"))
        })
        .collect()
}

fn codes(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(cid, code)| ((*cid).to_owned(), (*code).to_owned()))
        .collect()
}

fn bound(list: &[(&str, u8)]) -> BTreeMap<String, String> {
    list.iter()
        .map(|(cid, n)| ((*cid).to_owned(), pn(*n)))
        .collect()
}

#[tokio::test]
async fn two_cids_of_one_request_asking_for_one_pn_keep_the_more_active_in_cid_order() {
    let users = vec![
        user("a-busy", 80, None),
        user("b-idle", 3, None),
        user("c-mid", 40, None),
        user("d-mid", 40, None),
    ];
    let p = pn(1);
    // a-busy binds first; b-idle is less active (4); c-mid is less active too (4).
    let first: &[(&str, &str)] = &[("a-busy", &p), ("b-idle", &p), ("c-mid", &p)];
    // b-idle binds pn 2 first, then c-mid (more active) takes it, then d-mid (as active
    // as c-mid) takes it from c-mid: a tie moves the pn.
    let p2 = pn(2);
    let second: &[(&str, &str)] = &[("b-idle", &p2), ("c-mid", &p2), ("d-mid", &p2)];
    let outcome = on_both_stores(users, &[first, second]).await;
    assert_eq!(
        outcome.codes,
        vec![
            codes(&[("a-busy", "0"), ("b-idle", "4"), ("c-mid", "4")]),
            codes(&[("b-idle", "0"), ("c-mid", "0"), ("d-mid", "0")]),
        ]
    );
    assert_eq!(outcome.bindings, bound(&[("a-busy", 1), ("d-mid", 2)]));
}

#[tokio::test]
async fn a_pn_freed_earlier_in_a_request_is_free_for_the_pairs_after() {
    let users = vec![
        user("a-holder", 70, Some((1, 1))),
        user("b-less", 10, None),
        user("c-holder", 70, Some((3, 1))),
        user("0-less", 10, None),
    ];
    let (p1, p2, p3, p4) = (pn(1), pn(2), pn(3), pn(4));
    // a-holder moves to pn 2 before b-less asks for pn 1: nobody holds it any more.
    // 0-less asks for pn 3 before c-holder moves away from it: c-holder still holds it.
    let request: &[(&str, &str)] = &[
        ("a-holder", &p2),
        ("b-less", &p1),
        ("0-less", &p3),
        ("c-holder", &p4),
    ];
    let outcome = on_both_stores(users, &[request]).await;
    assert_eq!(
        outcome.codes,
        vec![codes(&[
            ("0-less", "4"),
            ("a-holder", "0"),
            ("b-less", "0"),
            ("c-holder", "0"),
        ])]
    );
    assert_eq!(
        outcome.bindings,
        bound(&[("a-holder", 2), ("b-less", 1), ("c-holder", 4)])
    );
}

#[tokio::test]
async fn a_cid_that_lost_its_pn_earlier_in_a_request_binds_another() {
    let users = vec![user("a-busy", 90, None), user("b-holder", 20, Some((1, 2)))];
    let (p1, p2) = (pn(1), pn(2));
    // a-busy takes pn 1 from b-holder, although b-holder's binding has level 2: the level
    // protects a cid's own binding, not its pn. b-holder then has no pn and binds pn 2.
    let request: &[(&str, &str)] = &[("a-busy", &p1), ("b-holder", &p2)];
    let outcome = on_both_stores(users, &[request]).await;
    assert_eq!(
        outcome.codes,
        vec![codes(&[("a-busy", "0"), ("b-holder", "0")])]
    );
    assert_eq!(outcome.bindings, bound(&[("a-busy", 1), ("b-holder", 2)]));
    assert_eq!(outcome.levels.get("b-holder"), Some(&1));
}

#[tokio::test]
async fn a_higher_level_binding_stays_and_its_own_pn_binds_again_as_success() {
    let users = vec![
        user("verified", 50, Some((1, 2))),
        user("plain", 50, Some((2, 1))),
    ];
    let upper = pn(1).to_ascii_uppercase();
    let (p2, p3, p4) = (pn(2), pn(3), pn(4));
    let padded = format!("  {p4} ");
    let again: &[(&str, &str)] = &[("verified", &upper), ("plain", &p2)];
    let other: &[(&str, &str)] = &[("verified", &p3), ("plain", &padded)];
    let outcome = on_both_stores(users, &[again, other]).await;
    assert_eq!(
        outcome.codes,
        vec![
            codes(&[("plain", "0"), ("verified", "0")]),
            codes(&[("plain", "0"), ("verified", "3")]),
        ]
    );
    // Upper case and blanks around a pn are the same pn; binding it again changes nothing,
    // not even the level.
    assert_eq!(outcome.bindings, bound(&[("plain", 4), ("verified", 1)]));
    assert_eq!(outcome.levels.get("verified"), Some(&2));
    assert_eq!(outcome.levels.get("plain"), Some(&1));
}

#[tokio::test]
async fn bad_pairs_get_their_codes_and_do_not_disturb_the_others() {
    let mut stranger = user("other-app", 99, Some((1, 1)));
    stranger.app_id = Some("other-app".into());
    let users = vec![user("a", 10, None), user("b", 10, None), stranger];
    let p1 = pn(1);
    let short = "0123";
    let not_hex = "z".repeat(32);
    let request: &[(&str, &str)] = &[
        ("", &p1),
        ("a", &p1),
        ("b", short),
        ("c-unknown", &p1),
        ("other-app", &p1),
    ];
    let blanks: &[(&str, &str)] = &[("b", "  "), ("a", &not_hex)];
    let outcome = on_both_stores(users, &[request, blanks]).await;
    // A pn held by a device of another app does not count: both keep it.
    assert_eq!(
        outcome.codes,
        vec![
            codes(&[
                ("", "5"),
                ("a", "0"),
                ("b", "8"),
                ("c-unknown", "1"),
                ("other-app", "2"),
            ]),
            codes(&[("a", "8"), ("b", "6")]),
        ]
    );
    assert_eq!(outcome.bindings, bound(&[("a", 1), ("other-app", 1)]));
}

#[tokio::test]
async fn a_pn_seeded_on_two_cids_moves_from_the_first_holder_only() {
    let users = vec![
        user("a-first", 10, Some((1, 1))),
        user("b-second", 10, Some((1, 1))),
        user("c-new", 50, None),
    ];
    let p1 = pn(1);
    let request: &[(&str, &str)] = &[("c-new", &p1)];
    let outcome = on_both_stores(users, &[request, request]).await;
    assert_eq!(
        outcome.codes,
        vec![codes(&[("c-new", "0")]), codes(&[("c-new", "0")])]
    );
    assert_eq!(outcome.bindings, bound(&[("b-second", 1), ("c-new", 1)]));
}
