//! Golden tests of the V2 request bodies, one per template type and audience form, with
//! fixed instants; the refusals of what V2 cannot express; `request_id` determinism.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::json;

use super::*;
use crate::getui::api::{
    Attempt, Combine, Delivery, Device, DevicePush, Dimension, Network, TaskGroupName,
};
use crate::getui::template::{
    ApnsAlert, ApnsBadge, ApnsPayload, BigStyle, DisplayWindow, Notice, NotifyStyle, Popload,
    PushTemplate, SmsFallback, TemplateKind,
};

fn at() -> PushTime {
    // 2030-03-01 10:00 Beijing time.
    PushTime::at(&Utc.with_ymd_and_hms(2030, 3, 1, 2, 0, 0).unwrap()).unwrap()
}

fn group(name: &str) -> Option<TaskGroupName> {
    Some(TaskGroupName::new(name).unwrap())
}

fn notice() -> Notice {
    Notice::new("春季促销", "全场八折")
}

fn with_content(kind: TemplateKind, content: &str) -> PushTemplate {
    PushTemplate {
        transmission_content: content.to_owned(),
        ..PushTemplate::new(kind)
    }
}

fn app_push(template: PushTemplate, conditions: Vec<Condition>) -> AppPush {
    AppPush {
        attempt: None,
        template,
        conditions,
        push_time: at(),
        delivery: Delivery::default(),
        group: group("spring-0123456789abcdef"),
    }
}

fn condition(dimension: Dimension, values: &[&str], combine: Combine) -> Condition {
    Condition {
        dimension,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        combine,
    }
}

/// What the client sends for `push`: the path and the body.
fn sent(push: &AppPush) -> serde_json::Value {
    let (endpoint, body) = app_push_request(push).unwrap();
    json!({"path": endpoint.name(), "body": body})
}

#[test]
fn notification_with_payload_to_everyone() {
    let push = app_push(
        with_content(
            TemplateKind::Notification(notice()),
            "{\"sale\":\"spring\"}",
        ),
        Vec::new(),
    );
    insta::assert_json_snapshot!(sent(&push));
}

#[test]
fn notification_without_payload_starts_the_app_with_big_text() {
    let mut shown = notice();
    shown.style = NotifyStyle::Style6(BigStyle::Text {
        text: "长文本".into(),
    });
    shown.ring = false;
    shown.vibrate = false;
    shown.logo = "push.png".into();
    let push = app_push(
        PushTemplate::new(TemplateKind::Notification(shown)),
        Vec::new(),
    );
    insta::assert_json_snapshot!(sent(&push));
}

#[test]
fn link_opens_its_url() {
    let push = app_push(
        PushTemplate::new(TemplateKind::Link {
            notice: notice(),
            url: "https://example.com/spring".into(),
        }),
        Vec::new(),
    );
    insta::assert_json_snapshot!(sent(&push));
}

#[test]
fn transmission_only_wifi_no_offline_throttled() {
    let mut push = app_push(
        with_content(TemplateKind::Transmission, "{\"silent\":true}"),
        Vec::new(),
    );
    push.delivery = Delivery {
        offline_keep: None,
        network: Network::WifiOnly,
        speed: Some(100),
    };
    insta::assert_json_snapshot!(sent(&push));
}

#[test]
fn apns_fields_go_to_the_ios_channel() {
    let mut template = with_content(TemplateKind::Transmission, "x");
    template.apns = Some(ApnsPayload {
        alert: Some(ApnsAlert::Dictionary {
            title: Some("T".into()),
            body: Some("B".into()),
            subtitle: Some("S".into()),
        }),
        badge: Some(ApnsBadge::Auto("+1".into())),
        sound: Some("ping.caf".into()),
        category: Some("promo".into()),
        content_available: true,
        custom: vec![("deeplink".into(), json!("app://x"))],
    });
    insta::assert_json_snapshot!(sent(&app_push(template, Vec::new())));
}

#[test]
fn a_plain_alert_and_a_set_badge() {
    let mut template = PushTemplate::new(TemplateKind::Notification(notice()));
    template.apns = Some(ApnsPayload {
        alert: Some(ApnsAlert::Simple("hi".into())),
        badge: Some(ApnsBadge::Set(3)),
        ..ApnsPayload::default()
    });
    let (_, body) = app_push_request(&app_push(template, Vec::new())).unwrap();
    assert_eq!(
        serde_json::to_value(body.push_channel).unwrap(),
        json!({"ios": {"type": "notify", "aps": {"alert": {"body": "hi"}}, "auto_badge": "3"}})
    );
}

#[test]
fn display_window_is_the_duration() {
    let mut template = with_content(TemplateKind::Notification(notice()), "p");
    template.display_window = Some(DisplayWindow {
        begin_ms: 1_898_000_000_000,
        end_ms: 1_898_003_600_000,
    });
    insta::assert_json_snapshot!(sent(&app_push(template, Vec::new())));
}

#[test]
fn tag_conditions_with_each_dimension_and_combine_mode() {
    let conditions = vec![
        condition(Dimension::PhoneType, &["ANDROID", "IOS"], Combine::Any),
        condition(Dimension::Region, &["浙江省", "广东"], Combine::All),
        condition(Dimension::Tag, &["vip"], Combine::None),
    ];
    let template = with_content(TemplateKind::Notification(notice()), "p");
    let push = app_push(template, conditions.clone());
    insta::assert_json_snapshot!(sent(&push));
    let (_, body) = app_push_request(&push).unwrap();
    let Some(Audience::Select(select)) = body.audience else {
        panic!("a tag push has an audience object");
    };
    let read = wire_extra::conditions_from_wire(&select.tag.unwrap()).unwrap();
    assert_eq!(read[0].values, ["android", "ios"]);
    assert_eq!(read[1].values, ["浙江", "广东"]);
    assert_eq!(read[2], conditions[2]);
}

fn list_push(targets: ListTargets) -> ListPush {
    ListPush {
        attempt: None,
        template: with_content(TemplateKind::Notification(notice()), "p"),
        targets,
        delivery: Delivery::default(),
        group: group("list-0123456789abcdef"),
    }
}

#[test]
fn list_message_then_cids() {
    let (message, endpoint, send) = list_push_requests(&list_push(ListTargets::Cids(vec![
        "cid1".into(),
        "cid2".into(),
    ])))
    .unwrap();
    insta::assert_json_snapshot!(json!({
        "message": message,
        "path": endpoint.name(),
        "send": send,
    }));
}

fn device_push(device: Device) -> DevicePush {
    DevicePush {
        template: list_push(ListTargets::Cids(Vec::new())).template,
        delivery: Delivery::default(),
        device,
        attempt: Attempt([7; 16]),
    }
}

#[test]
fn single_push_to_an_alias_without_a_group() {
    let (endpoint, body) =
        device_push_request(&device_push(Device::Alias("qa_team".into()))).unwrap();
    insta::assert_json_snapshot!(json!({"path": endpoint.name(), "body": body}));
}

#[test]
fn single_push_to_a_cid_carries_the_list_message_of_the_campaign() {
    let (endpoint, single) = device_push_request(&device_push(Device::Cid("cid1".into()))).unwrap();
    assert_eq!(endpoint, Endpoint::SingleCid);
    let (message, _, _) =
        list_push_requests(&list_push(ListTargets::Cids(vec!["cid1".into()]))).unwrap();
    assert_eq!(single.push_message, message.push_message);
    assert_eq!(single.push_channel, message.push_channel);
    assert_eq!(single.settings, message.settings);
    assert_eq!(single.group_name, None);
    assert_eq!(single.request_id, "07".repeat(16));
    assert_eq!(
        serde_json::to_value(&single.audience).unwrap(),
        json!({"cid": ["cid1"]})
    );
}

#[test]
fn list_message_then_aliases() {
    let (_, endpoint, send) =
        list_push_requests(&list_push(ListTargets::Aliases(vec!["alice".into()]))).unwrap();
    assert_eq!(endpoint, Endpoint::ListAlias);
    assert_eq!(
        serde_json::to_value(send).unwrap(),
        json!({"audience": {"alias": ["alice"]}, "taskid": "", "is_async": false})
    );
}

#[test]
fn list_pushes_over_1000_or_empty_are_refused() {
    for count in [0, 1001] {
        let cids = (0..count).map(|i| format!("cid{i}")).collect();
        let error = list_push_requests(&list_push(ListTargets::Cids(cids))).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("invalid request: a list push needs 1 to 1000 targets, not {count}")
        );
    }
}

fn refusal(push: &AppPush) -> String {
    app_push_request(push).unwrap_err().to_string()
}

#[test]
fn what_v2_cannot_express_is_refused_never_dropped() {
    let popload = TemplateKind::Popload(Box::new(Popload {
        notice: notice(),
        pop_title: String::new(),
        pop_content: String::new(),
        pop_image: String::new(),
        pop_button_download: String::new(),
        pop_button_cancel: String::new(),
        load_icon: String::new(),
        load_title: String::new(),
        load_url: String::new(),
        auto_install: false,
        activate_after_install: false,
        android_mark: String::new(),
        symbian_mark: String::new(),
        ios_mark: String::new(),
    }));
    assert!(refusal(&app_push(PushTemplate::new(popload), vec![])).contains("no popload"));

    let mut sms = PushTemplate::new(TemplateKind::Notification(notice()));
    sms.sms = Some(SmsFallback {
        template_id: "t".into(),
        params: Vec::new(),
        send_after_ms: 60_000,
        applink: None,
    });
    assert!(refusal(&app_push(sms, vec![])).contains("no SMS fallback"));

    let mut mobile = app_push(PushTemplate::new(TemplateKind::Transmission), vec![]);
    mobile.delivery.network = Network::MobileOnly;
    assert!(refusal(&mobile).contains("mobile networks"));

    let mut long = app_push(PushTemplate::new(TemplateKind::Transmission), vec![]);
    long.delivery.offline_keep = Some(Duration::from_secs(4 * 24 * 3600));
    assert_eq!(
        refusal(&long),
        "invalid request: REST V2 keeps messages for offline users at most 3 days; this push asks for 4 days"
    );

    let unknown = condition(Dimension::Region, &["杭洲"], Combine::Any);
    let template = PushTemplate::new(TemplateKind::Transmission);
    assert!(
        refusal(&app_push(template, vec![unknown])).contains("`杭洲` has no REST V2 region code")
    );

    let link = with_content(
        TemplateKind::Link {
            notice: notice(),
            url: "https://example.com".into(),
        },
        "p",
    );
    assert!(refusal(&app_push(link, vec![])).contains("opens a URL carries no payload"));
}

#[test]
fn three_days_offline_is_the_limit_and_allowed() {
    let mut push = app_push(PushTemplate::new(TemplateKind::Transmission), vec![]);
    push.delivery.offline_keep = Some(Duration::from_secs(3 * 24 * 3600));
    let (_, body) = app_push_request(&push).unwrap();
    assert_eq!(body.settings.unwrap().ttl, Some(259_200_000));
}

#[test]
fn request_id_is_32_hex_of_the_group_and_repeats() {
    let push = app_push(with_content(TemplateKind::Transmission, "a"), vec![]);
    let (_, first) = app_push_request(&push).unwrap();
    let (_, again) = app_push_request(&push).unwrap();
    assert_eq!(first.request_id, again.request_id);
    assert_eq!(
        first.request_id,
        hex::encode(&Sha256::digest(b"spring-0123456789abcdef")[..16])
    );
    assert!(wire::REQUEST_ID_CHARS.contains(&first.request_id.len()));
    let mut other = push.clone();
    other.group = group("spring-fedcba9876543210");
    assert_ne!(
        app_push_request(&other).unwrap().1.request_id,
        first.request_id
    );
}

#[test]
fn a_new_attempt_of_the_same_group_has_a_new_request_id_and_a_repeat_the_same() {
    let mut push = app_push(with_content(TemplateKind::Transmission, "a"), vec![]);
    let without = app_push_request(&push).unwrap().1.request_id;
    push.attempt = Some(Attempt([7; 16]));
    let first = app_push_request(&push).unwrap().1.request_id;
    assert_eq!(app_push_request(&push).unwrap().1.request_id, first);
    let mut hasher = Sha256::new();
    hasher.update(b"spring-0123456789abcdef\nattempt=");
    hasher.update([7; 16]);
    assert_eq!(first, hex::encode(&hasher.finalize()[..16]));
    assert_ne!(first, without);
    // A task re-created after a deletion keeps its group; only the attempt differs.
    push.attempt = Some(Attempt([8; 16]));
    assert_ne!(app_push_request(&push).unwrap().1.request_id, first);
    let list = list_push(ListTargets::Cids(vec!["cid-1".into()]));
    let mut again = list.clone();
    again.attempt = Some(Attempt([9; 16]));
    assert_ne!(
        list_push_requests(&list).unwrap().0.request_id,
        list_push_requests(&again).unwrap().0.request_id
    );
}

#[test]
fn without_a_group_the_request_id_hashes_the_whole_body() {
    let mut push = app_push(with_content(TemplateKind::Transmission, "a"), vec![]);
    push.group = None;
    let (_, first) = app_push_request(&push).unwrap();
    assert_eq!(first.request_id.len(), 32);
    assert_eq!(
        app_push_request(&push).unwrap().1.request_id,
        first.request_id
    );
    push.template.transmission_content = "b".into();
    assert_ne!(
        app_push_request(&push).unwrap().1.request_id,
        first.request_id
    );
    push.template.transmission_content = "a".into();
    push.push_time = PushTime::parse("203003011001").unwrap();
    assert_ne!(
        app_push_request(&push).unwrap().1.request_id,
        first.request_id
    );
}

#[test]
fn push_times_read_in_every_form() {
    let expected = Some(at());
    let ms = at().beijing().unwrap().timestamp_millis().to_string();
    assert_eq!(push_time_of(&ms), expected);
    assert_eq!(push_time_of("203003011000"), expected);
    assert_eq!(push_time_of("2030-03-01 10:00:00"), expected);
    assert_eq!(push_time_of("soon"), None);
}

#[test]
fn scheduled_task_reads_the_java_and_dotnet_shapes() {
    let id = TaskId("RASA_0301_x".into());
    let data: ScheduleTaskData = serde_json::from_value(json!({
        "RASA_0301_x": {"create_time": "1", "status": "send_success", "transmission_content": "p"}
    }))
    .unwrap();
    let task = scheduled_task(&id, data).unwrap();
    assert_eq!(task.status, TaskStatus::SendSuccess);
    assert_eq!(task.created_ms, Some(1));
    assert_eq!(task.content.as_deref(), Some("p"));
}

/// The Java SDK's `ScheduleTaskDTO` under its task id, times as millisecond strings; and the
/// same with the older `status` and the times as numbers.
#[test]
fn scheduled_task_reads_send_result_or_status_with_times_as_text_or_numbers() {
    let id = TaskId("RASA_0301_x".into());
    let ms = at().beijing().unwrap().timestamp_millis();
    let shapes = [
        json!({"RASA_0301_x": {"create_time": "1700000000000", "send_result": "do_not_send",
                               "transmission_content": "p", "push_time": ms.to_string()}}),
        json!({"RASA_0301_x": {"create_time": 1_700_000_000_000_i64, "status": "do_not_send",
                               "transmission_content": "p", "push_time": ms}}),
    ];
    for shape in shapes {
        let data: ScheduleTaskData = serde_json::from_value(shape.clone()).unwrap();
        let task = scheduled_task(&id, data).unwrap();
        assert_eq!(task.status, TaskStatus::DoNotSend, "{shape}");
        assert_eq!(task.created_ms, Some(1_700_000_000_000), "{shape}");
        assert_eq!(task.push_time, Some(at()), "{shape}");
        assert_eq!(task.content.as_deref(), Some("p"), "{shape}");
    }
    let both: ScheduleTaskData = serde_json::from_value(json!({
        "RASA_0301_x": {"send_result": "has_delete", "status": "do_not_send"}
    }))
    .unwrap();
    assert_eq!(
        scheduled_task(&id, both).unwrap().status,
        TaskStatus::HasDelete,
        "send_result is the Java SDK's field and wins"
    );
    let other: ScheduleTaskData =
        serde_json::from_value(json!({"RASA_a": {}, "RASA_b": {}})).unwrap();
    assert!(scheduled_task(&id, other).is_err(), "no entry for the id");
}

#[test]
fn auth_sign_is_sha256_of_key_time_and_secret() {
    assert_eq!(
        auth_sign("k", 1, &Secret::new("s")),
        hex::encode(Sha256::digest(b"k1s"))
    );
}

#[tokio::test]
async fn phone_bindings_are_refused_without_a_request() {
    // An address nothing listens on: a request would fail differently.
    let client = V2Client::new(V2Config::new(
        "http://127.0.0.1:9/v2",
        "app",
        "key",
        Secret::new("s"),
    ))
    .unwrap();
    let error = client.query_phones(&["cid".into()]).await.unwrap_err();
    assert!(
        error.to_string().contains("REST V2 has no cid–pn"),
        "{error}"
    );
    let error = client.unbind_phones(&["cid".into()]).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error}");
}

// ---------------------------------------------------------------------------------------
// Vendor channels (issue 24). The expected bodies are what the official V2 Java SDK
// (`shared/reference/getui-pushapi-java-client-v2`) serializes for the same message: Gson
// with snake_case names and no nulls, `Ups.addOption(constraint, key, value)` into a map per
// constraint, `Strategy` a map of key to Integer, `HarmonyNotification` of title, body,
// category, click_type and payload. The Java calls are written above each expectation.

use crate::getui::vendor::{
    ChannelStrategy, HarmonyNotice, MessageClass, Vendor, VendorChannels, VendorClick, VendorNotice,
};

fn vendor_push(kind: TemplateKind, content: &str, vendor: VendorChannels) -> serde_json::Value {
    let template = PushTemplate {
        vendor: Some(vendor),
        ..with_content(kind, content)
    };
    sent(&app_push(template, Vec::new()))["body"].clone()
}

#[test]
fn a_marketing_notification_carries_the_class_keys_each_maker_reads() {
    let vendor = VendorChannels {
        notice: Some(VendorNotice {
            title: "春季促销".into(),
            text: "全场八折".into(),
            click: VendorClick::OpenApp,
        }),
        ..VendorChannels::default()
    };
    let body = vendor_push(TemplateKind::Notification(notice()), "", vendor);
    // ThirdNotification n = new ThirdNotification();
    // n.setTitle("春季促销"); n.setBody("全场八折"); n.setClickType("startapp");
    // Ups ups = new Ups(); ups.setNotification(n);
    // ups.addOption("HW", "/message/android/notification/importance", "LOW");
    // ups.addOption("HO", "/android/notification/importance", "LOW");
    // ups.addOption("VV", "/classification", 0);
    // pushChannel.setAndroid(new AndroidDTO().setUps(ups));
    assert_eq!(
        body["push_channel"],
        json!({"android": {"ups": {
            "notification": {"title": "春季促销", "body": "全场八折", "click_type": "startapp"},
            "options": {
                "HW": {"/message/android/notification/importance": "LOW"},
                "HO": {"/android/notification/importance": "LOW"},
                "VV": {"/classification": 0}
            }
        }}})
    );
    assert!(
        body["settings"].get("strategy").is_none(),
        "no strategy set, Getui's own: {body}"
    );
}

#[test]
fn a_service_push_carries_channels_categories_strategy_and_harmony() {
    let vendor = VendorChannels {
        class: MessageClass::Service,
        notice: Some(VendorNotice {
            title: "已发货".into(),
            text: "您的订单已发货".into(),
            click: VendorClick::Intent("intent:#Intent;component=com.e/.Main;end".into()),
        }),
        hw_category: Some("EXPRESS".into()),
        hw_channel_id: Some("orders".into()),
        xm_channel_id: Some("123456".into()),
        op_channel_id: Some("orders".into()),
        vv_category: Some("ORDER".into()),
        default_strategy: Some(ChannelStrategy::GetuiWhenOnline),
        strategies: vec![
            (Vendor::Hw, ChannelStrategy::VendorFirst),
            (Vendor::Xm, ChannelStrategy::VendorOnly),
        ],
        harmony: Some(HarmonyNotice {
            title: "已发货".into(),
            text: "您的订单已发货".into(),
            category: "EXPRESS".into(),
            payload: Some("order=1".into()),
        }),
    };
    let body = vendor_push(TemplateKind::Notification(notice()), "order=1", vendor);
    // n.setClickType("intent"); n.setIntent("intent:#Intent;component=com.e/.Main;end");
    // ups.addOption("HW", "/message/android/category", "EXPRESS");
    // ups.addOption("HW", "/message/android/notification/importance", "NORMAL");
    // ups.addOption("HW", "/message/android/notification/channel_id", "orders");
    // ups.addOption("HO", "/android/notification/importance", "NORMAL");
    // ups.addOption("XM", "/extra.channel_id", "123456");
    // ups.addOption("OP", "/channel_id", "orders");
    // ups.addOption("VV", "/classification", 1); ups.addOption("VV", "/category", "ORDER");
    // HarmonyNotification h: title, body, category "EXPRESS", click_type "payload", payload.
    assert_eq!(
        body["push_channel"],
        json!({
            "android": {"ups": {
                "notification": {
                    "title": "已发货", "body": "您的订单已发货", "click_type": "intent",
                    "intent": "intent:#Intent;component=com.e/.Main;end"
                },
                "options": {
                    "HW": {
                        "/message/android/category": "EXPRESS",
                        "/message/android/notification/importance": "NORMAL",
                        "/message/android/notification/channel_id": "orders"
                    },
                    "HO": {"/android/notification/importance": "NORMAL"},
                    "XM": {"/extra.channel_id": "123456"},
                    "OP": {"/channel_id": "orders"},
                    "VV": {"/classification": 1, "/category": "ORDER"}
                }
            }},
            "harmony": {"notification": {
                "title": "已发货", "body": "您的订单已发货", "category": "EXPRESS",
                "click_type": "payload", "payload": "order=1"
            }}
        })
    );
    // Strategy s = new Strategy(); s.put("default", 1); s.put("hw", 4); s.put("xm", 2);
    assert_eq!(
        body["settings"]["strategy"],
        json!({"default": 1, "hw": 4, "xm": 2})
    );
}

#[test]
fn a_transmission_without_a_vendor_notification_carries_no_android_channel() {
    let body = vendor_push(TemplateKind::Transmission, "x", VendorChannels::default());
    assert!(body.get("push_channel").is_none(), "{body}");
}

#[test]
fn a_link_opens_its_url_through_the_makers_too() {
    let vendor = VendorChannels {
        notice: Some(VendorNotice {
            title: "t".into(),
            text: "x".into(),
            click: VendorClick::Url("https://e.com/sale".into()),
        }),
        ..VendorChannels::default()
    };
    let body = vendor_push(
        TemplateKind::Link {
            notice: notice(),
            url: "https://e.com/sale".into(),
        },
        "",
        vendor,
    );
    assert_eq!(
        body["push_channel"]["android"]["ups"]["notification"],
        json!({"title": "t", "body": "x", "click_type": "url", "url": "https://e.com/sale"})
    );
}
