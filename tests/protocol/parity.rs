//! Byte-level parity of `clientData` with the official Python SDK (gt-push-sdk 4.1.1.2).
//!
//! Each case is a Rust [`PushTemplate`] plus the same inputs in the SDK's terms; the script
//! `tests/sdk/client_data_parity.py` builds the SDK's template, decodes both with the SDK's
//! `gt_req_pb2` and compares the messages. It ignores exactly two documented differences:
//! the SDK's float display window (D.6) and its `True`/`False` style flags (D.5).

use std::io::Write;
use std::process::{Command, Stdio};

use chrono::TimeZone;
use chrono_tz::Asia::Shanghai;
use serde_json::{Value, json};

use gtcamp::getui::client_data::{DurationForm, encode};
use gtcamp::getui::template::{
    ApnsAlert, ApnsBadge, ApnsPayload, BigStyle, DisplayWindow, LaunchMode, Notice, NotifyStyle,
    Popload, PushTemplate, SmsApplink, SmsFallback, TemplateKind,
};

use gtcamp::getui::vendor::{
    MessageClass, OptionValue, Vendor, VendorChannels, VendorClick, VendorNotice,
};

use crate::support::{sdk_python, sdk_script};

const APP_KEY: &str = "APPKEY";
const APP_ID: &str = "APPID";

fn notice(title: &str, style: NotifyStyle) -> Notice {
    Notice {
        logo: "icon.png".into(),
        logo_url: "http://img.example/logo.png".into(),
        ring: true,
        vibrate: false,
        clearable: true,
        style,
        ..Notice::new(title, "春季促销，全场八折")
    }
}

fn apns() -> ApnsPayload {
    ApnsPayload {
        alert: Some(ApnsAlert::Dictionary {
            title: Some("春季促销".into()),
            body: Some("全场八折 \"今天\"".into()),
            subtitle: Some("限时".into()),
        }),
        badge: Some(ApnsBadge::Auto("+1".into())),
        sound: Some("ping.caf".into()),
        category: Some("promo".into()),
        content_available: true,
        custom: vec![
            ("deeplink".into(), json!("app://sale")),
            ("n".into(), json!(3)),
        ],
    }
}

fn sms(applink: bool) -> SmsFallback {
    SmsFallback {
        template_id: "10000".into(),
        params: vec![("name".into(), "张三".into()), ("code".into(), "42".into())],
        send_after_ms: 600_000,
        applink: applink.then(|| SmsApplink {
            url: "https://a.example/l".into(),
            payload: "p1".into(),
        }),
    }
}

fn window() -> DisplayWindow {
    DisplayWindow {
        begin_ms: 1_425_462_022_000,
        end_ms: 1_425_462_444_000,
    }
}

fn with_extras(kind: TemplateKind, launch: LaunchMode, extras: bool) -> PushTemplate {
    PushTemplate {
        transmission_content: "{\"sale\":\"spring\"}".into(),
        launch,
        apns: extras.then(apns),
        display_window: extras.then(window),
        sms: extras.then(|| sms(true)),
        ..PushTemplate::new(kind)
    }
}

fn popload(title: &str, style: NotifyStyle) -> Popload {
    Popload {
        notice: notice(title, style),
        pop_title: "新版本".into(),
        pop_content: "立即下载".into(),
        pop_image: "http://img.example/pop.png".into(),
        pop_button_download: "下载".into(),
        pop_button_cancel: "取消".into(),
        load_icon: "load.png".into(),
        load_title: "Demo".into(),
        load_url: "http://dl.example/demo.apk".into(),
        auto_install: true,
        activate_after_install: false,
        android_mark: "a".into(),
        symbian_mark: "s".into(),
        ios_mark: "i".into(),
    }
}

/// Every case the parity test checks: each template kind with APNs, SMS and a display
/// window, and each notify style.
fn cases() -> Vec<(String, PushTemplate)> {
    let big = [
        BigStyle::Image {
            image_url: "http://img.example/big.png".into(),
        },
        BigStyle::Text {
            text: "长文本".into(),
        },
        BigStyle::Banner {
            banner_url: "http://img.example/banner.png".into(),
            image_url: "http://img.example/big.png".into(),
        },
    ];
    let mut styles = vec![
        ("basic", NotifyStyle::Basic),
        ("style0", NotifyStyle::Style0),
        ("style1", NotifyStyle::Style1),
        (
            "style4",
            NotifyStyle::Style4 {
                banner_url: "http://img.example/banner.png".into(),
            },
        ),
    ];
    styles.extend(big.into_iter().enumerate().map(|(i, b)| {
        (
            ["style6-image", "style6-text", "style6-banner"][i],
            NotifyStyle::Style6(b),
        )
    }));
    let mut cases = Vec::new();
    for (style_name, style) in styles {
        let kinds = [
            (
                "notification",
                TemplateKind::Notification(notice("通知", style.clone())),
            ),
            (
                "link",
                TemplateKind::Link {
                    notice: notice("链接", style.clone()),
                    url: "https://shop.example/sale?x=1".into(),
                },
            ),
            (
                "popload",
                TemplateKind::Popload(Box::new(popload("下载", style.clone()))),
            ),
        ];
        for (kind_name, kind) in kinds {
            let extras = style_name == "basic";
            let launch = if extras {
                LaunchMode::Immediately
            } else {
                LaunchMode::AppDecides
            };
            cases.push((
                format!("{kind_name}-{style_name}"),
                with_extras(kind, launch, extras),
            ));
        }
    }
    cases.push((
        "transmission-plain".into(),
        with_extras(TemplateKind::Transmission, LaunchMode::AppDecides, false),
    ));
    cases.push((
        "transmission-apns-sms-window".into(),
        with_extras(TemplateKind::Transmission, LaunchMode::Immediately, true),
    ));
    let mut no_applink = with_extras(TemplateKind::Transmission, LaunchMode::AppDecides, true);
    no_applink.sms = Some(sms(false));
    no_applink.apns = Some(ApnsPayload {
        alert: Some(ApnsAlert::Simple("简单提醒".into())),
        badge: Some(ApnsBadge::Set(5)),
        ..ApnsPayload::default()
    });
    cases.push((
        "transmission-simple-alert-sms-without-applink".into(),
        no_applink,
    ));
    cases
}

fn text_of(value: bool) -> Value {
    json!(value)
}

fn notice_attrs(notice: &Notice, popload_names: bool) -> serde_json::Map<String, Value> {
    let names = if popload_names {
        ["notyTitle", "notyContent", "notyIcon", "logoUrl"]
    } else {
        ["title", "text", "logo", "logoURL"]
    };
    let mut attrs = serde_json::Map::new();
    attrs.insert(names[0].into(), json!(notice.title));
    attrs.insert(names[1].into(), json!(notice.text));
    attrs.insert(names[2].into(), json!(notice.logo));
    attrs.insert(names[3].into(), json!(notice.logo_url));
    attrs.insert("isRing".into(), text_of(notice.ring));
    attrs.insert("isVibrate".into(), text_of(notice.vibrate));
    attrs.insert("isClearable".into(), text_of(notice.clearable));
    attrs
}

fn style_spec(notice: &Notice) -> Value {
    let flags = json!({"isRing": notice.ring, "isVibrate": notice.vibrate, "isClearable": notice.clearable});
    let mut attrs = json!({"title": notice.title, "text": notice.text, "logo": notice.logo,
                           "logoUrl": notice.logo_url});
    let class = match &notice.style {
        NotifyStyle::Basic => return Value::Null,
        NotifyStyle::Style0 => "Style0",
        NotifyStyle::Style1 => "Style1",
        NotifyStyle::Style4 { banner_url } => {
            attrs = json!({"logo": notice.logo, "banner_url": banner_url});
            "Style4"
        }
        NotifyStyle::Style6(big) => {
            let extra = match big {
                BigStyle::Image { image_url } => json!({"bigStyle": "1", "bigImageUrl": image_url}),
                BigStyle::Text { text } => json!({"bigStyle": "2", "bigText": text}),
                BigStyle::Banner {
                    banner_url,
                    image_url,
                } => {
                    json!({"bigStyle": "3", "bannerUrl": banner_url, "bigImageUrl": image_url})
                }
            };
            merge(&mut attrs, &extra);
            "Style6"
        }
    };
    merge(&mut attrs, &flags);
    json!({"class": class, "attrs": attrs})
}

fn merge(into: &mut Value, from: &Value) {
    if let (Some(into), Some(from)) = (into.as_object_mut(), from.as_object()) {
        into.extend(from.clone());
    }
}

fn apns_spec(apns: &ApnsPayload) -> Value {
    let mut spec = serde_json::Map::new();
    match &apns.alert {
        Some(ApnsAlert::Simple(text)) => {
            spec.insert("alert".into(), json!(text));
        }
        Some(ApnsAlert::Dictionary {
            title,
            body,
            subtitle,
        }) => {
            spec.insert(
                "alert".into(),
                json!({"title": title, "body": body, "subtitle": subtitle}),
            );
        }
        None => {}
    }
    match &apns.badge {
        Some(ApnsBadge::Set(n)) => {
            spec.insert("badge".into(), json!(n));
        }
        Some(ApnsBadge::Auto(change)) => {
            spec.insert("autoBadge".into(), json!(change));
        }
        None => {}
    }
    if let Some(sound) = &apns.sound {
        spec.insert("sound".into(), json!(sound));
    }
    if let Some(category) = &apns.category {
        spec.insert("category".into(), json!(category));
    }
    if apns.content_available {
        spec.insert("contentAvailable".into(), json!(1));
    }
    spec.insert("custom".into(), json!(apns.custom));
    Value::Object(spec)
}

fn beijing(ms: i64) -> String {
    Shanghai
        .timestamp_millis_opt(ms)
        .single()
        .expect("a valid instant")
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The SDK-side description of `template`, in the SDK's attribute names.
fn sdk_case(name: &str, template: &PushTemplate, client_data: &str, push_type: &str) -> Value {
    let (kind, mut attrs, style) = match &template.kind {
        TemplateKind::Notification(notice) => (
            "notification",
            notice_attrs(notice, false),
            style_spec(notice),
        ),
        TemplateKind::Link { notice, url } => {
            let mut attrs = notice_attrs(notice, false);
            attrs.insert("url".into(), json!(url));
            ("link", attrs, style_spec(notice))
        }
        TemplateKind::Popload(popload) => {
            let mut attrs = notice_attrs(&popload.notice, true);
            let more = json!({
                "popTitle": popload.pop_title, "popContent": popload.pop_content,
                "popImage": popload.pop_image, "popButton1": popload.pop_button_download,
                "popButton2": popload.pop_button_cancel, "loadIcon": popload.load_icon,
                "loadTitle": popload.load_title, "loadUrl": popload.load_url,
                "isAutoInstall": popload.auto_install, "isActive": popload.activate_after_install,
                "androidMark": popload.android_mark, "symbianMark": popload.symbian_mark,
                "iosMark": popload.ios_mark,
            });
            attrs.extend(more.as_object().cloned().unwrap_or_default());
            ("popload", attrs, style_spec(&popload.notice))
        }
        TemplateKind::Transmission => ("transmission", serde_json::Map::new(), Value::Null),
    };
    let launch = match template.launch {
        LaunchMode::Immediately => 1,
        LaunchMode::AppDecides => 2,
    };
    attrs.insert("transmissionType".into(), json!(launch));
    attrs.insert(
        "transmissionContent".into(),
        json!(template.transmission_content),
    );
    let sms = template.sms.as_ref().map(|sms| {
        json!({
            "smsTemplateId": sms.template_id,
            "smsContent": sms.params.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "offlineSendtime": sms.send_after_ms,
            "isApplink": sms.applink.is_some(),
            "url": sms.applink.as_ref().map(|a| a.url.clone()),
            "payload": sms.applink.as_ref().map(|a| a.payload.clone()).filter(|p| !p.is_empty()),
        })
    });
    json!({
        "name": name, "template": kind, "appKey": APP_KEY, "appId": APP_ID,
        "attrs": attrs, "style": style,
        "apns": template.apns.as_ref().map(apns_spec),
        "duration": template.display_window.map(|w| [beijing(w.begin_ms), beijing(w.end_ms)]),
        "sms": sms,
        "clientData": client_data, "pushType": push_type,
        "transmissionContent": template.transmission_content,
        "notify": notify_spec(template),
    })
}

/// The SDK-side `Notify` of a transmission template's vendor notification: what
/// `set3rdNotifyInfo` receives. Honor has no legacy constraint, so its keys are not there.
fn notify_spec(template: &PushTemplate) -> Value {
    let Some(vendor) = &template.vendor else {
        return Value::Null;
    };
    let Some(notice) = &vendor.notice else {
        return Value::Null;
    };
    if template.kind != TemplateKind::Transmission {
        return Value::Null;
    }
    let (kind, payload, intent, url) = match &notice.click {
        VendorClick::OpenApp => ("startapp", None, None, None),
        VendorClick::Payload(p) => ("payload", Some(p.clone()), None, None),
        VendorClick::Intent(i) => ("intent", None, Some(i.clone()), None),
        VendorClick::Url(u) => ("url", None, None, Some(u.clone())),
    };
    let ext_kv: Vec<Value> = vendor
        .options()
        .into_iter()
        .filter(|(vendor, _, _)| *vendor != Vendor::Ho)
        .map(|(vendor, key, value)| {
            let text = match value {
                OptionValue::Text(text) => text,
                OptionValue::Number(number) => number.to_string(),
            };
            json!([vendor.constraint(), key, text])
        })
        .collect();
    json!({
        "title": notice.title, "content": notice.text, "type": kind,
        "payload": payload, "intent": intent, "url": url, "extKV": ext_kv,
    })
}

/// Transmission templates with a vendor notification, one per tap and class.
fn vendor_cases() -> Vec<(String, PushTemplate)> {
    let clicks = [
        ("open-app", VendorClick::OpenApp),
        ("payload", VendorClick::Payload("order=1".into())),
        (
            "intent",
            VendorClick::Intent("intent:#Intent;component=com.e/.Main;end".into()),
        ),
        ("url", VendorClick::Url("https://e.com/o".into())),
    ];
    let mut cases = Vec::new();
    for (name, click) in clicks {
        for class in [MessageClass::Marketing, MessageClass::Service] {
            let service = class == MessageClass::Service;
            let vendor = VendorChannels {
                class,
                notice: Some(VendorNotice {
                    title: "已发货".into(),
                    text: "您的订单已发货".into(),
                    click: click.clone(),
                }),
                hw_category: service.then(|| "EXPRESS".to_owned()),
                hw_channel_id: service.then(|| "orders".to_owned()),
                xm_channel_id: service.then(|| "123456".to_owned()),
                op_channel_id: service.then(|| "orders".to_owned()),
                vv_category: service.then(|| "ORDER".to_owned()),
                ..VendorChannels::default()
            };
            let template = PushTemplate {
                transmission_content: "order=1".into(),
                launch: LaunchMode::AppDecides,
                vendor: Some(vendor),
                ..PushTemplate::new(TemplateKind::Transmission)
            };
            cases.push((format!("transmission-notify-{name}-{class:?}"), template));
        }
    }
    cases
}

#[test]
fn third_party_notify_info_matches_the_official_sdk_for_every_tap_and_class() {
    let cases: Vec<Value> = vendor_cases()
        .iter()
        .map(|(name, template)| encoded_case(name, template, template))
        .collect();
    let (ok, output) = run_parity(&cases);
    assert!(ok, "{output}");
    assert!(
        output.contains(&format!("{n} of {n} cases match", n = cases.len())),
        "{output}"
    );
}

fn encoded_case(name: &str, described: &PushTemplate, sent: &PushTemplate) -> Value {
    let encoded =
        encode(sent, APP_KEY, APP_ID, DurationForm::Milliseconds).expect("the template encodes");
    sdk_case(name, described, &encoded.client_data, encoded.push_type)
}

/// Runs the parity script on `cases`; returns its success and its output.
fn run_parity(cases: &[Value]) -> (bool, String) {
    let mut child = Command::new(sdk_python())
        .arg(sdk_script("client_data_parity.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the SDK's Python starts");
    let input = serde_json::to_vec(cases).expect("cases serialize");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(&input)
        .expect("the script reads its cases");
    let output = child.wait_with_output().expect("the script finishes");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn client_data_matches_the_official_sdk_for_every_template_and_style() {
    let cases: Vec<Value> = cases()
        .iter()
        .map(|(name, template)| encoded_case(name, template, template))
        .collect();
    assert!(
        cases.len() >= 20,
        "expected every kind × style, got {}",
        cases.len()
    );
    let (ok, output) = run_parity(&cases);
    assert!(ok, "{output}");
    assert!(
        output.contains(&format!("{n} of {n} cases match", n = cases.len())),
        "{output}"
    );
}

#[test]
fn parity_check_fails_with_a_diff_when_the_title_differs() {
    let (name, template) = cases().into_iter().next().expect("at least one case");
    let mut wrong = template.clone();
    if let TemplateKind::Notification(notice) = &mut wrong.kind {
        notice.title = "WRONG TITLE".into();
    }
    assert_ne!(wrong, template, "the first case is a notification");
    let (ok, output) = run_parity(&[encoded_case(&name, &template, &wrong)]);
    assert!(!ok, "the script accepted a wrong title:\n{output}");
    assert!(output.contains("+  title: \"WRONG TITLE\""), "{output}");
    assert!(output.contains("0 of 1 cases match"), "{output}");
}

#[test]
fn parity_check_fails_when_the_sms_differs() {
    let (name, template) = cases()
        .into_iter()
        .find(|(name, _)| name == "transmission-apns-sms-window")
        .expect("the SMS case exists");
    let mut wrong = template.clone();
    if let Some(sms) = wrong.sms.as_mut() {
        sms.send_after_ms += 1;
    }
    let (ok, output) = run_parity(&[encoded_case(&name, &template, &wrong)]);
    assert!(!ok, "the script accepted a wrong SMS delay:\n{output}");
    assert!(output.contains("offlineSendtime"), "{output}");
}
