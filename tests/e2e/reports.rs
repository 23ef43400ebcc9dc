//! `gtcamp report`, `status` and the pull-request plan after real sends: the emulator
//! delivers each push deterministically (online share, makers' channels, notifications
//! off, clicks), so the figures are exact; on both backends.

use chrono::Duration;
use gtcamp::emulator::{Maker, UserSeed, clicks, notifications_off};
use serde_json::Value;

use crate::harness::{Backend, World, cid, list_push, on_both_backends, one_off};

/// t0 + 2 h.
const SALE_AT: &str = "2030-01-07T10:00:00+08:00";
/// t0 + 1 h.
const VIP_AT: &str = "2030-01-07T09:00:00+08:00";

/// Twelve devices tagged vip: four iOS (two online), and eight Android of four makers,
/// half of them online; then a thirteenth, an online Huawei phone whose user turned
/// notifications off ([`quiet`]).
fn population() -> Vec<UserSeed> {
    let makers = [Maker::Hw, Maker::Xm, Maker::Vv, Maker::Other];
    let mut users: Vec<UserSeed> = (0..12)
        .map(|n| {
            let mut user = UserSeed::new(cid(n));
            user.tags = vec!["vip".to_owned()];
            user.online = n % 2 == 0;
            if n < 4 {
                user.phone_type = "IOS".to_owned();
            } else {
                user.maker = Some(makers[(n - 4) / 2]);
            }
            user
        })
        .collect();
    let mut quiet = UserSeed::new(quiet());
    quiet.tags = vec!["vip".to_owned()];
    quiet.online = true;
    quiet.maker = Some(Maker::Hw);
    users.push(quiet);
    users
}

/// The first cid after the twelve whose device has notifications off: the emulator decides
/// it by a fixed hash of the cid, the same on every run.
fn quiet() -> String {
    (12..)
        .map(cid)
        .find(|c| notifications_off(c))
        .expect("some device has notifications off")
}

/// How many of `shown` (cids whose device displayed the push) click the task `task`: each
/// user clicks by a fixed hash of the cid and the task id, and task ids are Getui's own.
fn clicked(shown: &[String], task: &str) -> u64 {
    shown.iter().filter(|c| clicks(c, task)).count() as u64
}

/// Applies a one-off app push and a list push, lets both go and their reports come in.
fn sent(backend: Backend) -> World {
    let world = World::on(backend, population());
    world.write("sale.yaml", &one_off("sale", SALE_AT, "Sale today"));
    world.write(
        "vip.yaml",
        &list_push("vip", VIP_AT, &[cid(0), cid(5), cid(6)]),
    );
    world.apply().expect(0);
    world.advance(Duration::minutes(65));
    world.apply().expect(0);
    world.advance(Duration::hours(2));
    world.apply().expect(0);
    world
}

fn json_report(world: &World) -> Value {
    let run = world.run(&["report", "--format", "json"]).expect(0);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn totals(send: &Value) -> [u64; 4] {
    let total = &send["total"];
    ["targeted", "arrived", "displayed", "clicked"].map(|k| total[k].as_u64().unwrap_or(0))
}

on_both_backends! {
    fn a_report_shows_each_sends_reach_and_clicks(backend) {
        let world = sent(backend);
        let report = json_report(&world);
        let campaigns = report["campaigns"].as_array().unwrap();
        let names: Vec<&str> = campaigns.iter().map(|c| c["campaign"].as_str().unwrap()).collect();
        assert_eq!(names, ["sale", "vip"], "{report}");
        let sale = &campaigns[0]["sends"][0];
        assert_eq!(sale["availability"]["state"], "available", "{report}");
        assert_eq!(sale["class"], "marketing", "{report}");
        assert_eq!(sale["audience"], "tagged vip", "{report}");
        let task = sale["task_id"].as_str().unwrap();
        // Every device but the quiet one's displays what arrived.
        let (channels, arrived) = match backend {
            // Legacy gives the makers no notification: an offline Android phone waits on
            // Getui's channel. Getui: iOS online 0, 2; Android 4–11; the quiet one. APNs: 1, 3.
            Backend::Legacy => (
                vec![("Getui", 11, 7), ("APNs", 2, 2)],
                [0, 1, 2, 3, 4, 6, 8, 10].map(cid).to_vec(),
            ),
            // V2 with strategy 1: online by Getui, offline by the maker's channel (one each
            // for Huawei, Xiaomi and vivo); the offline `other` phone waits on Getui's.
            Backend::V2 => (
                vec![("Getui", 8, 7), ("APNs", 2, 2), ("Huawei", 1, 1), ("Xiaomi", 1, 1), ("vivo", 1, 1)],
                (0..11).map(cid).collect(),
            ),
        };
        let expected = [13, arrived.len() as u64 + 1, arrived.len() as u64, clicked(&arrived, task)];
        assert_eq!(totals(sale), expected, "{report}");
        let shown: Vec<(&str, u64, u64)> = sale["channels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["channel"].as_str().unwrap(), c["targeted"].as_u64().unwrap(), c["arrived"].as_u64().unwrap()))
            .collect();
        assert_eq!(shown, channels, "{report}");
        let vip = &campaigns[1]["sends"][0];
        assert_eq!(vip["kind"], "list", "{report}");
        assert_eq!(vip["audience"], "3 cids", "{report}");
        let task = vip["task_id"].as_str().unwrap();
        // c-000 (iOS, online) and c-006 (Xiaomi, online) by Getui; c-005 (Huawei, offline)
        // waits on Getui's channel on legacy, and arrives by Huawei's on V2.
        let arrived = match backend {
            Backend::Legacy => vec![cid(0), cid(6)],
            Backend::V2 => vec![cid(0), cid(5), cid(6)],
        };
        let expected = [3, arrived.len() as u64, arrived.len() as u64, clicked(&arrived, task)];
        assert_eq!(totals(vip), expected, "{report}");
        if backend == Backend::V2 {
            let losses = &sale["channels"][0]["losses"];
            assert_eq!(losses[0]["code"], "d10", "the quiet phone, on Getui's channel: {report}");
            assert_eq!(losses[0]["count"], 1, "{report}");
        }
    }
}

on_both_backends! {
    fn a_send_younger_than_the_reports_lag_is_not_available_yet(backend) {
        let world = World::on(backend, population());
        world.write("vip.yaml", &list_push("vip", VIP_AT, &[cid(0), cid(5)]));
        world.apply().expect(0);
        world.advance(Duration::minutes(61));
        world.apply().expect(0);
        let run = world.run(&["report"]).expect(0);
        assert!(run.stdout.contains("report not available yet"), "{}", run.stdout);
        world.advance(Duration::minutes(10));
        let run = world.run(&["report"]).expect(0);
        assert!(!run.stdout.contains("not available yet"), "{}", run.stdout);
    }
}

on_both_backends! {
    fn every_format_names_no_device(backend) {
        let world = sent(backend);
        let summary = world.dir().join("summary.md");
        for format in ["text", "json", "markdown", "github", "html"] {
            let run = world
                .command(&["report", "--format", format])
                .env("GITHUB_STEP_SUMMARY", &summary)
                .output()
                .expect("gtcamp runs");
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert!(run.status.success(), "{format}: {stdout}");
            assert!(stdout.contains("vip"), "{format}: {stdout}");
            for device in (0..12).map(cid).chain([quiet()]) {
                assert!(!stdout.contains(&device), "{format} names {device}: {stdout}");
            }
        }
        let summary = std::fs::read_to_string(&summary).expect("a job summary");
        assert!(summary.contains("## Delivery report"), "{summary}");
        assert!(!summary.contains(&cid(0)), "{summary}");
    }
}

on_both_backends! {
    fn status_and_the_pull_request_plan_show_the_last_sends(backend) {
        let world = sent(backend);
        let status = world.run(&["status"]).expect(0);
        assert!(status.stdout.contains("Last send per campaign:"), "{}", status.stdout);
        let line = status
            .stdout
            .lines()
            .find(|l| l.contains("  sale  "))
            .unwrap_or_else(|| panic!("no line for sale: {}", status.stdout));
        assert!(line.contains("reached"), "{line}");
        // A change to `sale` shows, in the pull request, how its last send did.
        world.write("sale.yaml", &one_off("sale", "2030-01-08T10:00:00+08:00", "Sale again"));
        let plan = world.run(&["plan", "--format", "markdown"]).expect(0);
        let (_, section) = plan
            .stdout
            .split_once("How the changed campaigns' last sends did")
            .unwrap_or_else(|| panic!("no last sends: {}", plan.stdout));
        assert!(section.contains("| `sale` |"), "{section}");
        assert!(!section.contains("| `vip` |"), "vip is not changed: {section}");
    }
}

#[test]
fn a_campaign_the_workspace_and_state_do_not_know_is_refused() {
    let world = World::new(population());
    world.write("sale.yaml", &one_off("sale", SALE_AT, "Sale today"));
    let run = world.run(&["report", "--campaign", "nope"]).expect(1);
    assert!(run.stderr.contains("no campaign `nope`"), "{}", run.stderr);
}
