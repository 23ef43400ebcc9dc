//! REST API V2 as a newcomer meets it: the sandbox speaking V2 with no credentials, and what
//! V2 cannot do refused before anything is called.

use crate::harness::{bindings, cid, gtcamp_at, one_off, words};

/// A Monday, 08:00 in Beijing: the campaigns below are a few days ahead.
const NOW: &str = "2030-01-07T00:00:00Z";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `gtcamp ARGS` in `ws` at [`NOW`], which must exit with `code`; its stdout.
#[track_caller]
fn run(ws: &std::path::Path, args: &[&str], code: i32) -> String {
    let output = gtcamp_at(ws, NOW, args);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(code), "{stdout}\n{stderr}");
    stdout
}

/// A workspace in a temp folder whose `gtcamp.yaml` says `targets`.
fn workspace(targets: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp folder");
    let settings = format!(
        "kind: Workspace\nname: v2\napp_id: demo\ntargets:\n{targets}defaults:\n  timezone: Asia/Shanghai\n"
    );
    std::fs::write(dir.path().join("gtcamp.yaml"), settings).unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    dir
}

const V2_SANDBOX: &str = "  sandbox:\n    type: sandbox\n    population: 50\n    protocol: v2\n";

#[test]
fn the_v2_sandbox_plans_applies_and_is_in_sync_with_no_credentials() {
    let phones = bindings(&[cid(0), cid(1)], "p");
    let ws = workspace(
        V2_SANDBOX,
        &[
            (
                "promo.yaml",
                &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
            ),
            ("phones.yaml", &phones),
        ],
    );
    let plan = gtcamp_at(ws.path(), NOW, &["plan", "--detailed-exitcode"]);
    let (stdout, stderr) = (text(&plan.stdout), text(&plan.stderr));
    assert_eq!(plan.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(
            "/v2, REST API V2; phone bindings through its legacy API at http://127.0.0.1:"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("Plan: 1 to create,"), "{stdout}");
    assert!(stdout.contains("2 bindings to add"), "{stdout}");

    run(ws.path(), &["apply", "--auto-approve"], 0);
    let again = run(ws.path(), &["plan", "--detailed-exitcode"], 0);
    assert!(again.contains("No changes."), "{again}");
}

#[test]
fn sms_popload_and_cellular_delivery_are_refused_on_the_v2_sandbox_before_any_call() {
    let sms = "kind: Campaign\nname: shipped\ntemplate:\n  type: notification\n  title: Shipped\n  text: On its way\n  sms:\n    template_id: \"100\"\n    params: { order: A1 }\n    delay: 2h\naudience:\n  all_users: true\nschedule:\n  at: 2030-01-09T12:00:00+08:00\n";
    let popload = "kind: Campaign\nname: update\ntemplate:\n  type: popload\n  title: New\n  text: Version 3\n  popload:\n    popup_title: P\n    popup_text: T\n    download_button: D\n    cancel_button: C\n    download_title: A\n    download_url: https://x.example/a.apk\naudience:\n  all_users: true\nschedule:\n  at: 2030-01-09T12:00:00+08:00\ndelivery:\n  network: cellular\n";
    let ws = workspace(V2_SANDBOX, &[("sms.yaml", sms), ("popload.yaml", popload)]);
    let plan = gtcamp_at(ws.path(), NOW, &["plan"]);
    let stderr = words(&text(&plan.stderr));
    assert_eq!(plan.status.code(), Some(1), "{stderr}");
    for expected in [
        "GC080",
        "popload.yaml:4:9",
        "GC081",
        "sms.yaml:7:3",
        "use a legacy `getui` target for SMS fallback",
        "GC082",
        "popload.yaml:19:12",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    assert!(!stderr.contains("Target:"), "reached the target: {stderr}");
    assert!(
        !ws.path().join(".gtcamp/sandbox").exists(),
        "the sandbox was started"
    );
}

#[test]
fn phone_bindings_on_a_v2_target_without_bindings_endpoint_are_refused_before_any_call() {
    let phones = bindings(&[cid(0)], "p");
    let prod = "  prod:\n    type: getui-v2\n";
    let ws = workspace(prod, &[("phones.yaml", &phones)]);
    // No credentials: the refusal comes first, from the workspace alone.
    let plan = gtcamp_at(ws.path(), NOW, &["plan", "--target", "prod"]);
    let stderr = words(&text(&plan.stderr));
    assert_eq!(plan.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("GC084"), "{stderr}");
    assert!(stderr.contains("phones.yaml:1:7"), "{stderr}");
    assert!(
        stderr.contains("add `bindings_endpoint: https://api.getui.com/apiex.htm`"),
        "{stderr}"
    );
    assert!(!stderr.contains("GETUI_APP_KEY"), "{stderr}");
    // The legacy sandbox of the same workspace binds them.
    run(ws.path(), &["plan", "--target", "sandbox"], 0);
}

/// A campaign to the devices of 深圳 at noon, 2030-01-09, Beijing time.
const SHENZHEN_PROMO: &str = "kind: Campaign\nname: shenzhen\ntemplate:\n  type: notification\n  title: Hello\n  text: 深圳专享\naudience:\n  regions:\n    any: [深圳]\nschedule:\n  at: 2030-01-09T12:00:00+08:00\n";

/// Devices in 深圳 (`c-000`, `c-001`), in 广州 (`c-002`), in 广东 with no city (`c-003`)
/// and in 北京 (`c-004`).
fn devices_in_regions() -> Vec<gtcamp::emulator::UserSeed> {
    ["深圳市", "深圳", "广州市", "广东省", "北京市"]
        .into_iter()
        .enumerate()
        .map(|(n, region)| {
            let mut user = gtcamp::emulator::UserSeed::new(cid(n));
            user.region = Some(region.to_owned());
            user
        })
        .collect()
}

#[test]
fn a_city_audience_goes_to_v2_as_its_code_and_reaches_exactly_that_citys_devices() {
    use crate::harness::{Backend, World};
    let world = World::on(Backend::V2, devices_in_regions());
    world.write("shenzhen.yaml", SHENZHEN_PROMO);
    let plan = world.plan().expect(2);
    assert!(
        plan.stdout.contains("≈ 2 users (Getui's count)"),
        "{}",
        plan.stdout
    );
    assert!(plan.stdout.contains("in 深圳市"), "{}", plan.stdout);
    world.apply().expect(0);

    let pushes: Vec<serde_json::Value> = world
        .emulator()
        .recorded_requests()
        .into_iter()
        .filter(|r| r.action.as_deref() == Some(gtcamp::emulator::v2_routes::PUSH_TAG))
        .map(|r| r.body)
        .collect();
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    let region = &pushes[0]["audience"]["tag"][0];
    assert_eq!(region["key"], "region", "{region}");
    assert_eq!(
        region["values"],
        serde_json::json!(["44030000"]),
        "{region}"
    );

    world.advance(chrono::Duration::days(3));
    world.apply().expect(0);
    let task = world
        .snapshot()
        .tasks
        .into_iter()
        .find(|t| t.kind == gtcamp::emulator::TaskKind::App)
        .expect("the push was created");
    let mut reached = task.recipients.clone();
    reached.sort();
    assert_eq!(reached, [cid(0), cid(1)], "{task:?}");
}

#[test]
fn a_province_audience_on_v2_reaches_its_cities_too() {
    use crate::harness::{Backend, World};
    let world = World::on(Backend::V2, devices_in_regions());
    world.write(
        "guangdong.yaml",
        &SHENZHEN_PROMO.replace("any: [深圳]", "any: [广东省]"),
    );
    let plan = world.plan().expect(2);
    assert!(
        plan.stdout.contains("≈ 4 users (Getui's count)"),
        "{}",
        plan.stdout
    );
}

#[test]
fn a_city_audience_is_refused_on_a_legacy_target_before_any_call() {
    use crate::harness::{Backend, World};
    let world = World::on(Backend::Legacy, devices_in_regions());
    world.write("shenzhen.yaml", SHENZHEN_PROMO);
    let since = world.emulator().recorded_requests().len();
    let plan = world.plan().expect(1);
    let stderr = words(&plan.stderr);
    for expected in [
        "GC049",
        "shenzhen.yaml:9:11",
        "target `emu`",
        "`getui-v2`",
        "`广东`",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let pushes = world
        .emulator()
        .recorded_requests()
        .into_iter()
        .skip(since)
        .filter(|r| r.action.as_deref() == Some("pushMessageToAppAction"))
        .count();
    assert_eq!(pushes, 0);
}

/// The user counts a plan's text estimates, in the order of its campaigns.
fn estimates(plan: &str) -> Vec<u64> {
    plan.lines()
        .filter_map(|line| line.split("≈ ").nth(1))
        .filter_map(|rest| rest.split(' ').next())
        .filter_map(|count| count.replace(',', "").parse().ok())
        .collect()
}

#[test]
fn the_v2_sandbox_holds_devices_in_cities_so_a_city_estimate_is_part_of_its_provinces() {
    let sandbox = V2_SANDBOX.replace("population: 50", "population: 20000");
    let province = SHENZHEN_PROMO
        .replace("name: shenzhen", "name: guangdong")
        .replace("any: [深圳]", "any: [广东]");
    let ws = workspace(
        &sandbox,
        &[
            ("a-shenzhen.yaml", SHENZHEN_PROMO),
            ("b-guangdong.yaml", &province),
        ],
    );
    let plan = run(ws.path(), &["plan", "--detailed-exitcode"], 2);
    let counts = estimates(&plan);
    // Campaigns are listed by name: guangdong, then shenzhen.
    let [whole, city] = counts.as_slice() else {
        panic!("two estimates expected: {plan}");
    };
    // 广东 holds about a tenth of the devices, spread over its 21 cities.
    assert!((1_500..2_500).contains(whole), "{plan}");
    assert!(*city > 0 && city * 8 < *whole, "{plan}");
    let again = run(ws.path(), &["plan", "--detailed-exitcode"], 2);
    assert_eq!(
        estimates(&again),
        counts,
        "the population is the same on every run"
    );
}

/// Issue 24: a V2 push carries the makers' channel, class and strategy; changing the class
/// replaces the push, and a plan after the apply is empty again.
#[test]
fn a_v2_push_carries_class_channels_and_strategy_and_a_class_change_replaces_it() {
    use crate::harness::{Backend, World};
    let world = World::on(Backend::V2, devices_in_regions());
    let settings = std::fs::read_to_string(world.dir().join("gtcamp.yaml")).unwrap();
    world.write(
        "gtcamp.yaml",
        &format!(
            "{settings}vendors:\n  hw:\n    strategy: vendor_first\n    service: {{category: EXPRESS}}\n  xm:\n    service: {{channel_id: \"123456\"}}\n"
        ),
    );
    let service = SHENZHEN_PROMO.replace(
        "  type: notification\n",
        "  type: notification\n  class: service\n",
    );
    world.write("shenzhen.yaml", &service);
    let plan = world.plan().expect(2);
    assert!(
        plan.stdout.contains("service · Huawei category EXPRESS"),
        "{}",
        plan.stdout
    );
    world.apply().expect(0);
    let pushes = || -> Vec<serde_json::Value> {
        world
            .emulator()
            .recorded_requests()
            .into_iter()
            .filter(|r| r.action.as_deref() == Some(gtcamp::emulator::v2_routes::PUSH_TAG))
            .map(|r| r.body)
            .collect()
    };
    let sent = pushes();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let ups = &sent[0]["push_channel"]["android"]["ups"];
    assert_eq!(
        ups["notification"],
        serde_json::json!({"title": "Hello", "body": "深圳专享", "click_type": "startapp"})
    );
    assert_eq!(
        ups["options"]["HW"],
        serde_json::json!({
            "/message/android/category": "EXPRESS",
            "/message/android/notification/importance": "NORMAL"
        })
    );
    assert_eq!(
        ups["options"]["XM"],
        serde_json::json!({"/extra.channel_id": "123456"})
    );
    assert_eq!(
        ups["options"]["VV"],
        serde_json::json!({"/classification": 1})
    );
    assert_eq!(
        sent[0]["settings"]["strategy"],
        serde_json::json!({"hw": 4})
    );
    world.plan().expect(0);

    world.write("shenzhen.yaml", SHENZHEN_PROMO);
    let replace = world.plan().expect(2);
    assert!(replace.stdout.contains("channels"), "{}", replace.stdout);
    world.apply().expect(0);
    let sent = pushes();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(
        sent[1]["push_channel"]["android"]["ups"]["options"]["VV"],
        serde_json::json!({"/classification": 0})
    );
    world.plan().expect(0);
}

/// The deliveries of the sandbox's app pushes, in push-time order, read from the admin API
/// of an emulator opened on the sandbox's store (the sandbox itself lives only as long as
/// each gtcamp command).
fn sandbox_deliveries(ws: &std::path::Path) -> Vec<serde_json::Value> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let config = gtcamp::emulator::EmulatorConfig {
            data_dir: Some(ws.join(".gtcamp").join("sandbox")),
            // Before any push time, so that nothing fires here: what it shows, the sandbox did.
            clock: gtcamp::emulator::Clock::manual(
                chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc(),
            ),
            ..gtcamp::emulator::EmulatorConfig::default()
        };
        let emulator = gtcamp::emulator::start(config, "127.0.0.1:0".parse().unwrap())
            .await
            .expect("the sandbox's store opens");
        let url = format!("http://{}/_emulator/state", emulator.local_addr());
        let state: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
        emulator.shutdown().await;
        let mut pushes: Vec<serde_json::Value> = state["tasks"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|task| task["kind"] == "app")
            .collect();
        pushes.sort_by_key(|task| task["push_time"].as_str().map(str::to_owned));
        pushes
            .into_iter()
            .map(|task| task["deliveries"].clone())
            .collect()
    })
}

#[test]
fn the_v2_sandbox_drops_marketing_pushes_over_a_makers_daily_cap() {
    let sandbox = "  sandbox:\n    type: sandbox\n    population: 1000\n    protocol: v2\nvendors:\n  vv:\n    strategy: vendor_only\n    marketing_per_day: 1\n";
    let ws = workspace(
        sandbox,
        &[
            (
                "morning.yaml",
                &one_off("morning", "2030-01-09T10:00:00+08:00", "Sale"),
            ),
            (
                "noon.yaml",
                &one_off("noon", "2030-01-09T12:00:00+08:00", "Sale again"),
            ),
        ],
    );
    run(ws.path(), &["apply", "--auto-approve"], 0);
    // Both have fired by 13:00: the sandbox fires them on the first request after.
    let after = gtcamp_at(ws.path(), "2030-01-09T05:00:00Z", &["plan"]);
    assert!(after.status.success(), "{}", text(&after.stderr));
    let deliveries = sandbox_deliveries(ws.path());
    assert_eq!(deliveries.len(), 2, "{deliveries:?}");
    let vivo = deliveries[0]["delivered"]["vv"]
        .as_u64()
        .unwrap_or_default();
    assert!(
        vivo > 0,
        "the first reaches vivo devices: {}",
        deliveries[0]
    );
    // vivo shows this app one marketing push a day (`marketing_per_day: 1`).
    assert_eq!(deliveries[1]["over_quota"]["vv"], vivo, "{}", deliveries[1]);
    assert!(
        deliveries[1]["delivered"].get("vv").is_none(),
        "{}",
        deliveries[1]
    );
    // Other makers' caps (2 a day) still let the second through.
    assert!(
        deliveries[1]["delivered"]["hw"]
            .as_u64()
            .unwrap_or_default()
            > 0,
        "{}",
        deliveries[1]
    );
}
