//! Convergence: right after an apply, the plan says "No changes." and a second apply changes
//! nothing on Getui, for workspaces generated over every template kind and field, audience
//! shape and delivery option; and an unchanged push planned inside its lead time is left
//! alone, for every template kind. The generated workspaces run on both backends, each
//! fitted to what its API can send.

use chrono::Duration;
use gtcamp::emulator::TaskStatus;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};

use crate::harness::{Backend, Call, World, devices, on_both_backends, t0};

/// Three devices, two of them known by the aliases the generated audiences use.
fn users() -> Vec<gtcamp::emulator::UserSeed> {
    let mut users = devices(3);
    for (user, alias) in users.iter_mut().zip(["vip_1", "会员_2"]) {
        user.alias = Some(alias.to_owned());
    }
    users
}

/// A fixed seed: CI runs the same cases every time, so a failure is reproducible.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

/// Text with CJK, emoji, combining marks, right-to-left script, quotes and backslashes,
/// but no run of digits (which the personal-data check would read as a phone number).
fn text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "促销",
        "好久不见",
        "🎉",
        "e\u{301}",
        "مرحبا",
        "\"quoted\"",
        "back\\slash",
        "a b",
        "Ω",
        "ok",
        "ü",
        "—",
        "{",
        "}",
        ":",
        "#",
        "'",
    ]);
    prop::collection::vec(pieces, 1..6).prop_map(move |parts| {
        let joined: String = parts.concat();
        joined.chars().take(max).collect()
    })
}

/// A transmission payload: JSON as apps usually send, or free text.
fn payload() -> impl Strategy<Value = String> {
    prop_oneof![
        (text(30), any::<bool>())
            .prop_map(|(s, flag)| json!({"a": 1, "s": s, "on": flag}).to_string()),
        text(60),
        Just("{\"a\":1}".to_owned()),
    ]
}

fn transmission() -> impl Strategy<Value = Value> {
    (
        payload(),
        prop::sample::select(vec!["immediate", "broadcast"]),
    )
        .prop_map(|(content, launch)| json!({"content": content, "launch": launch}))
}

fn ios() -> impl Strategy<Value = Value> {
    (
        prop::option::of(text(20)),
        prop::option::of(text(20)),
        prop::sample::select(vec![json!(3), json!("+1"), json!("-1"), Value::Null]),
        any::<bool>(),
        prop::option::of(text(10)),
    )
        .prop_map(|(subtitle, body, badge, wakes, screen)| {
            let mut ios =
                json!({"sound": "default", "category": "promo", "content_available": wakes});
            if let Some(subtitle) = subtitle {
                ios["subtitle"] = json!(subtitle);
            }
            if let Some(body) = body {
                ios["body"] = json!(body);
            }
            if !badge.is_null() {
                ios["badge"] = badge;
            }
            if let Some(screen) = screen {
                ios["custom"] = json!({"screen": screen, "n": 2});
            }
            ios
        })
}

fn style() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!({"type": "system"}),
        json!({"type": "getui"}),
        json!({"type": "banner", "banner_url": "https://x.example/b.png"}),
        json!({"type": "big_image", "big_image_url": "https://x.example/i.png"}),
        json!({"type": "big_text", "big_text": "长文本 long text"}),
        json!({"type": "banner_big_image", "banner_url": "https://x.example/b.png", "big_image_url": "https://x.example/i.png"}),
    ])
}

fn popload() -> Value {
    json!({
        "popup_title": "新版本", "popup_text": "下载 3.0", "download_button": "下载",
        "cancel_button": "取消", "download_title": "App 3.0",
        "download_url": "https://x.example/app.apk", "auto_install": true,
    })
}

/// A template of any kind, with any of the optional fields its kind allows.
fn template() -> impl Strategy<Value = Value> {
    let kind = prop::sample::select(vec!["notification", "link", "popload", "transmission"]);
    let options = (
        prop::option::of(transmission()),
        prop::option::of(ios()),
        prop::option::of(style()),
        any::<(bool, bool, bool, bool, bool)>(),
    );
    (kind, text(40), text(200), options).prop_map(
        |(kind, title, body, (trans, ios, style, (window, sms, ring, logo, clearable)))| {
            let mut template = json!({"type": kind});
            if let Some(ios) = ios {
                template["ios"] = ios;
            }
            if window {
                template["display_window"] = json!({
                    "start": "2030-01-07T08:00:00+08:00", "end": "2030-01-20T23:00:00+08:00"
                });
            }
            if sms {
                template["sms"] = json!({
                    "template_id": "100", "params": {"order": "A1"}, "delay": "30m",
                    "applink": {"url": "https://x.example/app", "payload": "p"}
                });
            }
            if kind == "transmission" {
                let fallback = json!({"content": "{}", "launch": "broadcast"});
                template["transmission"] = trans.unwrap_or(fallback);
                return template;
            }
            template["title"] = json!(title);
            template["text"] = json!(body);
            template["ring"] = json!(ring);
            template["clearable"] = json!(clearable);
            if logo {
                template["logo"] = json!("push.png");
                template["logo_url"] = json!("https://x.example/logo.png");
            }
            if let Some(trans) = trans {
                template["transmission"] = trans;
            }
            if let Some(style) = style {
                template["style"] = style;
            }
            match kind {
                "link" => template["url"] = json!("https://x.example/sale?a=1&b=好"),
                "popload" => template["popload"] = popload(),
                _ => {}
            }
            template
        },
    )
}

fn selector(values: Vec<&'static str>) -> impl Strategy<Value = Value> {
    let pick = move || prop::sample::subsequence(values.clone(), 0..=2);
    (pick(), pick(), pick()).prop_map(|(any, all, none)| {
        let mut selector = json!({});
        for (key, list) in [("any", any), ("all", all), ("none", none)] {
            if !list.is_empty() {
                selector[key] = json!(list);
            }
        }
        selector
    })
}

/// Every audience shape: everyone, filters, aliases, cids.
fn audience() -> impl Strategy<Value = Value> {
    let filters = (
        selector(vec!["android", "ios"]),
        selector(vec!["浙江", "上海市", "广东省", "新疆维吾尔自治区"]),
        selector(vec!["vip", "shopper", "新客"]),
    )
        .prop_map(|(phones, regions, tags)| {
            let mut audience = json!({});
            for (key, selector) in [
                ("phone_types", phones),
                ("regions", regions),
                ("tags", tags),
            ] {
                if selector.as_object().is_some_and(|s| !s.is_empty()) {
                    audience[key] = selector;
                }
            }
            if audience.as_object().is_some_and(|a| a.is_empty()) {
                audience["tags"] = json!({"any": ["vip"]});
            }
            audience
        });
    prop_oneof![
        Just(json!({"all_users": true})),
        filters,
        Just(json!({"aliases": ["vip_1", "会员_2"]})),
        Just(json!({"cids": ["c-000", "c-001"]})),
    ]
}

/// A one-off inside Getui's window (or, for list pushes, due now), or a recurring rule.
fn schedule() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u32..7 * 24 * 60).prop_map(|minutes| {
            let at = t0() + Duration::minutes(i64::from(minutes));
            json!({"at": at.to_rfc3339()})
        }),
        (0u32..60, 0u32..24).prop_map(|(m, h)| json!({"cron": format!("{m} {h} * * *")})),
        (0u32..60, 0u32..24, 0u32..7).prop_map(
            |(m, h, d)| json!({"cron": format!("{m} {h} * * {d}"), "timezone": "Europe/Berlin"})
        ),
    ]
}

fn delivery() -> impl Strategy<Value = Value> {
    (
        prop::option::of(prop::sample::select(vec!["1h", "12h", "72h"])),
        prop::sample::select(vec!["any", "wifi", "cellular"]),
        prop::option::of(1u32..100_000),
        any::<bool>(),
    )
        .prop_map(|(keep, network, speed, group)| {
            let mut delivery = json!({"network": network});
            if let Some(keep) = keep {
                delivery["offline_keep"] = json!(keep);
            }
            if let Some(speed) = speed {
                delivery["speed"] = json!(speed);
            }
            if group {
                delivery["task_group"] = json!("组-promo");
            }
            delivery
        })
}

/// A template's message class and vendor notifications (issue 24): its own class or none
/// (the workspace's), an `android:` block with any tap, a `harmony:` block. `fit` drops what
/// a backend cannot carry.
fn vendor_fields() -> impl Strategy<Value = Value> {
    let click = prop::sample::select(vec![
        Value::Null,
        json!({"open_app": true}),
        json!({"url": "https://x.example/o?a=好"}),
        json!({"intent": "intent:#Intent;component=com.example/.Main;end"}),
        json!({"payload": "{\"order\":1}"}),
    ]);
    (
        prop::sample::select(vec![Value::Null, json!("marketing"), json!("service")]),
        prop::option::of((text(20), text(60), click)),
        prop::option::of(text(20)),
    )
        .prop_map(|(class, android, harmony)| {
            let mut fields = json!({});
            if !class.is_null() {
                fields["class"] = class;
            }
            if let Some((title, body, click)) = android {
                fields["android"] = json!({"title": title, "text": body});
                if !click.is_null() {
                    fields["android"]["click"] = click;
                }
            }
            if let Some(title) = harmony {
                fields["harmony"] = json!({"title": title, "text": "好", "category": "EXPRESS"});
            }
            fields
        })
}

/// `vendors:` of gtcamp.yaml: channel ids and categories per class, news-app status and,
/// where the backend carries them, strategies.
fn vendors() -> impl Strategy<Value = Value> {
    let strategy = prop::sample::select(vec![
        Value::Null,
        json!("getui_when_online"),
        json!("vendor_only"),
        json!("getui_only"),
        json!("vendor_first"),
    ]);
    (strategy.clone(), strategy, any::<(bool, bool, bool)>()).prop_map(
        |(default, huawei, (channels, categories, news))| {
            let mut vendors = json!({"ho": {"news_app": news}});
            if !default.is_null() {
                vendors["default_strategy"] = default;
            }
            vendors["hw"] = json!({"news_app": news});
            if !huawei.is_null() {
                vendors["hw"]["strategy"] = huawei;
            }
            if categories {
                vendors["hw"]["service"] = json!({"category": "EXPRESS"});
                vendors["vv"] = json!({"service": {"category": "ORDER"}, "marketing": {}});
            }
            if channels {
                vendors["xm"] =
                    json!({"marketing": {"channel_id": "mk-1"}, "service": {"channel_id": "sv-1"}});
                vendors["op"] = json!({"service": {"channel_id": "orders"}});
                vendors["hw"]["marketing"] = json!({"channel_id": "promo"});
            }
            vendors
        },
    )
}

fn campaign() -> impl Strategy<Value = Value> {
    (
        template(),
        vendor_fields(),
        audience(),
        schedule(),
        delivery(),
        any::<u8>(),
    )
        .prop_map(
            |(mut template, vendor, audience, schedule, delivery, enabled)| {
                if let (Some(fields), Some(extra)) = (template.as_object_mut(), vendor.as_object())
                {
                    fields.extend(extra.clone());
                }
                json!({
                    "kind": "Campaign", "template": template, "audience": audience,
                    "schedule": schedule, "delivery": delivery, "enabled": enabled % 8 != 0,
                })
            },
        )
}

/// The workspace's documents, JSON being YAML: every string escaped as it must be.
fn documents(campaigns: &[Value]) -> String {
    let mut text = String::new();
    for (n, campaign) in campaigns.iter().enumerate() {
        let mut campaign = campaign.clone();
        campaign["name"] = json!(format!("c{n}"));
        text.push_str(&format!("---\n{campaign}\n"));
    }
    text.push_str(&bindings_document());
    text
}

/// The phone bindings every generated workspace holds.
fn bindings_document() -> String {
    let bindings = json!({"kind": "PhoneBindings", "name": "phones", "pairs": [
        {"cid": "c-000", "pn_md5": gtcamp::getui::phone_hash("13800000000")},
        {"cid": "c-001", "pn_md5": gtcamp::getui::phone_hash("13800000001")},
    ]});
    format!("---\n{bindings}\n")
}

/// `campaign` as `backend` can send it: REST API V2 has no pop-up download, SMS fallback,
/// cellular-only delivery or payload beside a URL, and takes only `[0-9A-Za-z_-]` in a task
/// group (GC080–GC083, GC086; the generated texts are within its 256 characters).
fn fit(backend: Backend, campaign: &Value) -> Value {
    let mut campaign = campaign.clone();
    if backend == Backend::Legacy {
        // The legacy protocol carries a vendor notification on transmission templates only,
        // and nothing of HarmonyOS NEXT (GC094).
        let template = &mut campaign["template"];
        let transmission = template["type"] == "transmission";
        if let Some(fields) = template.as_object_mut() {
            fields.remove("harmony");
            if !transmission {
                fields.remove("android");
            }
        }
        return campaign;
    }
    let template = &mut campaign["template"];
    if template["type"] == "popload" {
        template["type"] = json!("link");
        template["url"] = json!("https://x.example/app.apk");
        if let Some(fields) = template.as_object_mut() {
            fields.remove("popload");
        }
    }
    let is_link = template["type"] == "link";
    if let Some(fields) = template.as_object_mut() {
        fields.remove("sms");
        if is_link {
            fields.remove("transmission");
        }
    }
    let delivery = &mut campaign["delivery"];
    if delivery["network"] == "cellular" {
        delivery["network"] = json!("wifi");
    }
    if delivery.get("task_group").is_some() {
        delivery["task_group"] = json!("promo_v2");
    }
    campaign
}

/// `vendors` as `backend` can carry them: the legacy protocol has no strategy (GC094).
fn fit_vendors(backend: Backend, vendors: &Value) -> Value {
    let mut vendors = vendors.clone();
    if backend == Backend::Legacy {
        if let Some(fields) = vendors.as_object_mut() {
            fields.remove("default_strategy");
        }
        if let Some(huawei) = vendors["hw"].as_object_mut() {
            huawei.remove("strategy");
        }
    }
    vendors
}

/// Applies `campaigns` with `vendors:` in gtcamp.yaml, then asserts the plan is empty and a
/// second apply only reads.
fn assert_converges(
    backend: Backend,
    campaigns: &[Value],
    vendors: &Value,
) -> Result<(), TestCaseError> {
    let campaigns: Vec<Value> = campaigns.iter().map(|c| fit(backend, c)).collect();
    let campaigns = campaigns.as_slice();
    let world = World::on(backend, users());
    let settings = std::fs::read_to_string(world.dir().join("gtcamp.yaml"))
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    // JSON is YAML: one flow mapping appended to the settings.
    let vendors = fit_vendors(backend, vendors);
    world.write("gtcamp.yaml", &format!("{settings}vendors: {vendors}\n"));
    world.write("c.yaml", &documents(campaigns));
    let first = world.apply();
    prop_assert_eq!(
        first.code,
        Some(0),
        "apply failed:\n{}\n{}",
        first.stdout,
        first.stderr
    );
    let plan = world.plan();
    prop_assert_eq!(
        plan.code,
        Some(0),
        "the plan after an apply is not empty:\n{}\n{}",
        plan.stdout,
        plan.stderr
    );
    let before = world.requests();
    let second = world.apply();
    prop_assert_eq!(second.code, Some(0), "{}\n{}", second.stdout, second.stderr);
    let writes = world.writes_since(before);
    prop_assert!(
        writes.is_empty(),
        "a converged apply sent {writes:?}:\n{}",
        second.stdout
    );
    world.assert_no_duplicates();
    world.assert_every_waiting_task_is_tracked();
    Ok(())
}

on_both_backends! {
    fn apply_then_plan_is_empty_for_generated_workspaces(backend) {
        // A CI-sized budget, per backend: each case starts an emulator and runs gtcamp
        // three times.
        let mut runner = runner(16);
        let workspaces = (prop::collection::vec(campaign(), 1..6), vendors());
        let result = runner.run(&workspaces, |(campaigns, vendors)| {
            assert_converges(backend, &campaigns, &vendors)
        });
        if let Err(failure) = result {
            panic!("{backend:?}: {failure}");
        }
    }
}

/// The fault schedule that once sent a push twice: a cancel that fails, then reads that are
/// rate-limited. Run on every generated workspace after an edit of each campaign, it must
/// still end with Getui holding exactly the tracked tasks, once each.
fn assert_converges_through_the_fault_schedule(
    backend: Backend,
    campaigns: &[Value],
) -> Result<(), TestCaseError> {
    let campaigns: Vec<Value> = campaigns.iter().map(|c| fit(backend, c)).collect();
    let campaigns = campaigns.as_slice();
    let world = World::on(backend, users());
    world.write("c.yaml", &documents(campaigns));
    let first = world.apply();
    prop_assert_eq!(first.code, Some(0), "{}\n{}", first.stdout, first.stderr);
    let edited: Vec<Value> = campaigns
        .iter()
        .map(|campaign| {
            let mut campaign = campaign.clone();
            campaign["delivery"]["speed"] = json!(7);
            campaign
        })
        .collect();
    world.write("c.yaml", &documents(&edited));
    let delete = backend.route(Call::DeleteScheduled);
    let read = backend.route(Call::ReadScheduled);
    let schedule = [
        format!("http5xx@{delete}=1"),
        format!("flow_exceeded@{read}=1"),
        format!("http5xx@{delete}=1,flow_exceeded@{read}=1"),
    ];
    for faults in schedule {
        world.set_faults(faults.parse().expect("a fault spec"));
        world.apply();
        world.run(&["apply", "--auto-approve", "--refresh=false"]);
        world.assert_no_duplicates();
    }
    world.set_faults(gtcamp::emulator::FaultSpec::default());
    let last = world.apply();
    prop_assert_eq!(last.code, Some(0), "{}\n{}", last.stdout, last.stderr);
    let plan = world.plan();
    prop_assert_eq!(plan.code, Some(0), "{}\n{}", plan.stdout, plan.stderr);
    world.assert_no_duplicates();
    world.assert_every_waiting_task_is_tracked();
    Ok(())
}

on_both_backends! {
    fn generated_workspaces_converge_through_the_fault_schedule(backend) {
        let mut runner = runner(6);
        let workspaces = prop::collection::vec(campaign(), 1..5);
        let result = runner.run(&workspaces, |campaigns| {
            assert_converges_through_the_fault_schedule(backend, &campaigns)
        });
        if let Err(failure) = result {
            panic!("{backend:?}: {failure}");
        }
    }
}

/// One template of each kind and launch mode, written as an author would.
const TEMPLATES: [(&str, &str); 6] = [
    (
        "notification",
        "type: notification\n  title: Hi\n  text: Hello\n",
    ),
    (
        "link",
        "type: link\n  title: Hi\n  text: Hello\n  url: https://x.example/\n",
    ),
    (
        "popload",
        "type: popload\n  title: Hi\n  text: Hello\n  popload:\n    popup_title: P\n    popup_text: T\n    download_button: D\n    cancel_button: C\n    download_title: A\n    download_url: https://x.example/a.apk\n",
    ),
    (
        "transmission, broadcast",
        "type: transmission\n  transmission:\n    content: '{\"a\":1}'\n",
    ),
    (
        "transmission, immediate",
        "type: transmission\n  transmission:\n    content: 同步\n    launch: immediate\n",
    ),
    (
        "notification with a payload",
        "type: notification\n  title: Hi\n  text: Hello\n  transmission:\n    content: '{\"screen\":\"sale\"}'\n  ios:\n    badge: \"+1\"\n",
    ),
];

fn one_off_with(template: &str) -> String {
    format!(
        "kind: Campaign\nname: promo\ntemplate:\n  {template}audience:\n  all_users: true\nschedule:\n  at: 2030-01-07T10:00:00+08:00\n"
    )
}

#[test]
fn an_unchanged_push_inside_its_lead_time_is_left_alone_for_every_template_kind() {
    for (kind, template) in TEMPLATES {
        let world = World::new(devices(3));
        world.write("promo.yaml", &one_off_with(template));
        world.apply().expect(0);
        let created = world.waiting();
        assert_eq!(created.len(), 1, "{kind}");
        // The push is at 10:00 Beijing, the lead time 10 minutes: 09:55 is inside it.
        world.advance(Duration::minutes(115));
        let plan = world.plan();
        assert_eq!(plan.code, Some(0), "{kind}:\n{}", plan.stdout);
        let apply = world.apply().expect(0);
        assert!(
            apply.stdout.contains("Nothing to change"),
            "{kind}:\n{}",
            apply.stdout
        );
        world.advance(Duration::minutes(10));
        let sent = world.snapshot().task(&created[0].id).map(|t| t.status);
        assert_eq!(sent, Some(TaskStatus::SendSuccess), "{kind}");
    }
}

#[test]
fn a_state_written_before_the_sent_digest_plans_no_changes_after_the_upgrade() {
    let world = World::new(devices(3));
    world.write("promo.yaml", &one_off_with(TEMPLATES[4].1));
    world.apply().expect(0);
    // What the previous version wrote: the same state without `sent`.
    let path = world.dir().join(".gtcamp/state.json");
    let mut state = world.state();
    for task in state["tasks"].as_object_mut().expect("tasks").values_mut() {
        let removed = task.as_object_mut().and_then(|t| t.remove("sent"));
        assert!(removed.is_some(), "apply records what it sent: {task}");
    }
    std::fs::write(&path, serde_json::to_string_pretty(&state).unwrap()).unwrap();
    world.plan().expect(0);
}

/// What becomes of one generated campaign in the second workspace.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Kept,
    /// Renamed with a `Moved`; nothing else changed.
    Renamed,
    /// Renamed with a `Moved`, and its delivery edited too.
    RenamedAndEdited,
    /// Renamed twice: `c0` → `r0` → `s0`, with both `Moved` documents.
    RenamedTwice,
}

fn fate() -> impl Strategy<Value = Fate> {
    prop::sample::select(vec![
        Fate::Kept,
        Fate::Renamed,
        Fate::RenamedAndEdited,
        Fate::RenamedTwice,
    ])
}

/// Applies `campaigns`, renames them as `fates` say, applies again, and asserts that the
/// plan after is empty, no push was sent twice, and renaming alone changed nothing on Getui.
fn assert_renames_converge(
    backend: Backend,
    campaigns: &[Value],
    fates: &[Fate],
) -> Result<(), TestCaseError> {
    let campaigns: Vec<Value> = campaigns.iter().map(|c| fit(backend, c)).collect();
    let world = World::on(backend, users());
    world.write("c.yaml", &documents(&campaigns));
    let first = world.apply();
    prop_assert_eq!(first.code, Some(0), "{}\n{}", first.stdout, first.stderr);
    let mut text = String::new();
    let mut edited = false;
    for (n, (campaign, fate)) in campaigns.iter().zip(fates.iter().cycle()).enumerate() {
        let mut campaign = campaign.clone();
        let moved = |from: &str, to: &str| {
            format!(
                "---\n{}\n",
                json!({"kind": "Moved", "campaign": {"from": from, "to": to}})
            )
        };
        let name = match fate {
            Fate::Kept => format!("c{n}"),
            Fate::Renamed => {
                text.push_str(&moved(&format!("c{n}"), &format!("r{n}")));
                format!("r{n}")
            }
            Fate::RenamedAndEdited => {
                text.push_str(&moved(&format!("c{n}"), &format!("r{n}")));
                campaign["delivery"]["speed"] = json!(7);
                edited = true;
                format!("r{n}")
            }
            Fate::RenamedTwice => {
                text.push_str(&moved(&format!("c{n}"), &format!("r{n}")));
                text.push_str(&moved(&format!("r{n}"), &format!("s{n}")));
                format!("s{n}")
            }
        };
        campaign["name"] = json!(name);
        text.push_str(&format!("---\n{campaign}\n"));
    }
    text.push_str(&bindings_document());
    world.write("c.yaml", &text);
    let before = world.requests();
    let second = world.apply();
    prop_assert_eq!(second.code, Some(0), "{}\n{}", second.stdout, second.stderr);
    let writes = world.writes_since(before);
    prop_assert!(
        edited || writes.is_empty(),
        "renaming alone sent {writes:?}:\n{}",
        second.stdout
    );
    let plan = world.plan();
    prop_assert_eq!(
        plan.code,
        Some(0),
        "the plan after renaming is not empty:\n{}\n{}",
        plan.stdout,
        plan.stderr
    );
    world.assert_no_duplicates();
    world.assert_every_waiting_task_is_tracked();
    Ok(())
}

on_both_backends! {
    fn renamed_generated_workspaces_converge(backend) {
        let mut runner = runner(8);
        let workspaces = (
            prop::collection::vec(campaign(), 1..5),
            prop::collection::vec(fate(), 1..5),
        );
        let result = runner.run(&workspaces, |(campaigns, fates)| {
            assert_renames_converge(backend, &campaigns, &fates)
        });
        if let Err(failure) = result {
            panic!("{backend:?}: {failure}");
        }
    }
}
