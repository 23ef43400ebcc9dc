//! Encodes a [`PushTemplate`] into what Getui stores for a push: the base64 `clientData`
//! protobuf, `transmissionContent` and `pushType` (`getui-protocol.md` D.1–D.8).
//!
//! The chains, field keys and field order copy the official Python SDK 4.1.1.2 step by step,
//! quirks included where devices may depend on them (the style-4 flag keys, the link
//! template's `notifyStyle`), so that the bytes match the SDK's (D.10). Two deliberate
//! differences: style flags are written `true`/`false` as the Java SDK does (Python writes
//! `True`/`False`), and the display window is sent in integer milliseconds like the Java SDK
//! and REST V2, not as the Python SDK's floats ([`DurationForm`]).

use base64::Engine;
use prost::Message;

use crate::getui::apns::apns_json;
use crate::getui::error::Error;
use crate::getui::proto::{
    ActionChain, AppStartUp, Button, ExtKv, InnerFiled, NotifyInfo, PushInfo, SmsContentEntry,
    SmsInfo, Transparent, action_chain::Type as Step, inner_filed::Type as FieldType, notify_info,
};
use crate::getui::template::{
    BigStyle, DisplayWindow, LaunchMode, Notice, NotifyStyle, Popload, PushTemplate, SmsFallback,
    TemplateKind,
};
use crate::getui::vendor::{OptionValue, Vendor, VendorChannels, VendorClick, VendorNotice};

/// How the display window is written into the `duration=` condition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DurationForm {
    /// `duration=1425462022000-1425462444000`: what gtcamp sends (Java SDK, REST V2).
    #[default]
    Milliseconds,
    /// `duration=1425462022000.0-1425462444000.0`: the Python SDK's float form, kept only to
    /// reproduce its bytes in tests.
    PythonSdkFloat,
}

/// A template ready for a `getContentIdAction` body.
#[derive(Clone, Debug, PartialEq)]
pub struct EncodedTemplate {
    /// base64 of the serialized [`Transparent`].
    pub client_data: String,
    pub transmission_content: String,
    /// `NotifyMsg`, `NotyPopLoadMsg` or `TransmissionMsg`.
    pub push_type: &'static str,
}

/// Encodes `template` for the app `app_id` of `app_key`.
pub fn encode(
    template: &PushTemplate,
    app_key: &str,
    app_id: &str,
    form: DurationForm,
) -> Result<EncodedTemplate, Error> {
    let transparent = transparent(template, app_key, app_id, form)?;
    Ok(EncodedTemplate {
        client_data: base64::engine::general_purpose::STANDARD.encode(transparent.encode_to_vec()),
        transmission_content: template.transmission_content.clone(),
        push_type: push_type(&template.kind),
    })
}

/// The `pushType` JSON value of a template kind (D.1).
pub fn push_type(kind: &TemplateKind) -> &'static str {
    match kind {
        TemplateKind::Notification(_) | TemplateKind::Link { .. } => "NotifyMsg",
        TemplateKind::Popload(_) => "NotyPopLoadMsg",
        TemplateKind::Transmission => "TransmissionMsg",
    }
}

/// The `Transparent` message of a template (D.3).
pub fn transparent(
    template: &PushTemplate,
    app_key: &str,
    app_id: &str,
    form: DurationForm,
) -> Result<Transparent, Error> {
    let (template_id, action_chain) = match &template.kind {
        TemplateKind::Notification(notice) => (0, notification_chains(notice, template.launch)),
        TemplateKind::Link { notice, url } => (1, link_chains(notice, url)),
        TemplateKind::Popload(popload) => (2, popload_chains(popload)),
        TemplateKind::Transmission => (4, transmission_chains(template.launch)),
    };
    let mut push_info = PushInfo {
        invalid_apn: Some(true),
        invalid_mpn: Some(true),
        ..PushInfo::default()
    };
    if let Some(apns) = &template.apns {
        push_info.apn_json = Some(apns_json(apns)?);
        push_info.invalid_apn = Some(false);
    }
    if let (TemplateKind::Transmission, Some(notice)) = (
        &template.kind,
        template.vendor.as_ref().and_then(|v| v.notice.as_ref()),
    ) && let Some(vendor) = &template.vendor
    {
        push_info.notify_info = Some(notify_info(notice, vendor));
        push_info.valid_notify = Some(true);
    }
    Ok(Transparent {
        id: String::new(),
        action: "pushmessage".into(),
        task_id: String::new(),
        app_key: app_key.into(),
        app_id: app_id.into(),
        message_id: String::new(),
        push_info: Some(push_info),
        action_chain,
        condition: vec![duration_condition(template.display_window, form)],
        template_id: Some(template_id),
        task_group_id: None,
        sms_info: template.sms.as_ref().map(sms_info).transpose()?,
    })
}

/// The third-party notification of a transmission template, as the official SDK's
/// `TransmissionTemplate.set3rdNotifyInfo` fills it: title, content, the tap as `type` with
/// its payload, intent or url, and the vendor keys as `extKV` with text values. The legacy
/// SDK names no Honor constraint (its `PLATFORM_CONSTRAINS` are HW, XM, MZ, OP, VV, FCM and
/// ALL), so Honor's importance is not sent: legacy cannot tell Honor the class. Only
/// transmission templates carry one; `check` (GC094) refuses an `android:` block elsewhere.
fn notify_info(notice: &VendorNotice, vendor: &VendorChannels) -> NotifyInfo {
    let (kind, payload, intent, url) = match &notice.click {
        VendorClick::OpenApp => (notify_info::Type::StartApp, None, None, None),
        VendorClick::Payload(payload) => (
            notify_info::Type::Payload,
            Some(payload.clone()),
            None,
            None,
        ),
        VendorClick::Intent(intent) => {
            (notify_info::Type::Intent, None, Some(intent.clone()), None)
        }
        VendorClick::Url(url) => (notify_info::Type::Url, None, None, Some(url.clone())),
    };
    let ext_kv = vendor
        .options()
        .into_iter()
        .filter(|(vendor, _, _)| *vendor != Vendor::Ho)
        .map(|(vendor, key, value)| ExtKv {
            key: key.to_owned(),
            value: match value {
                OptionValue::Text(text) => text,
                OptionValue::Number(number) => number.to_string(),
            },
            constains: Some(vendor.constraint().to_owned()),
        })
        .collect();
    NotifyInfo {
        title: notice.title.clone(),
        content: notice.text.clone(),
        payload,
        intent,
        url,
        r#type: Some(kind as i32),
        notify_id: None,
        ext_kv,
    }
}

fn duration_condition(window: Option<DisplayWindow>, form: DurationForm) -> String {
    match (window, form) {
        (None, _) => String::new(),
        (Some(w), DurationForm::Milliseconds) => format!("duration={}-{}", w.begin_ms, w.end_ms),
        (Some(w), DurationForm::PythonSdkFloat) => {
            format!("duration={}.0-{}.0", w.begin_ms, w.end_ms)
        }
    }
}

fn sms_info(sms: &SmsFallback) -> Result<SmsInfo, Error> {
    let invalid = |reason: &str| Error::InvalidRequest {
        reason: reason.into(),
    };
    if sms.template_id.is_empty() {
        return Err(invalid("the SMS template id is empty"));
    }
    let mut entries = Vec::new();
    if let Some(applink) = &sms.applink {
        if sms.params.iter().any(|(key, _)| key == "url") {
            return Err(invalid(
                "an SMS with an app link cannot also have a `url` parameter",
            ));
        }
        let url = if applink.payload.is_empty() {
            format!("{}?p=", applink.url)
        } else {
            format!("{}?n={}&p=", applink.url, applink.payload)
        };
        entries.push(sms_entry("applinkIdentification", "1"));
        entries.push(sms_entry("url", &url));
    }
    for (key, value) in &sms.params {
        if key.is_empty() {
            return Err(invalid("an SMS parameter has an empty name"));
        }
        entries.push(sms_entry(key, value));
    }
    Ok(SmsInfo {
        sms_template_id: sms.template_id.clone(),
        sms_content: entries,
        offline_sendtime: sms.send_after_ms,
        sms_send_duration: Some(0),
        sms_checked: Some(false),
        sms_checked_error_msg: None,
    })
}

fn sms_entry(key: &str, value: &str) -> SmsContentEntry {
    SmsContentEntry {
        key: key.into(),
        value: value.into(),
    }
}

// ---- chain building ------------------------------------------------------------------

fn step(action_id: i32, kind: Step, next: Option<i32>) -> ActionChain {
    ActionChain {
        action_id,
        r#type: kind as i32,
        next,
        ..ActionChain::default()
    }
}

fn field(key: &str, val: &str, kind: FieldType) -> InnerFiled {
    InnerFiled {
        key: key.into(),
        val: val.into(),
        r#type: kind as i32,
    }
}

fn channel_fields() -> [InnerFiled; 3] {
    [
        field("channel", "Default", FieldType::Str),
        field("channelName", "Default", FieldType::Str),
        field("channelLevel", "3", FieldType::Int32),
    ]
}

fn start_app(action_id: i32, autostart: bool) -> ActionChain {
    ActionChain {
        appid: Some(String::new()),
        appstartupid: Some(AppStartUp {
            android: Some(String::new()),
            symbia: Some(String::new()),
            ios: Some(String::new()),
        }),
        autostart: Some(autostart),
        failed_action: Some(100),
        ..step(action_id, Step::Startapp, Some(100))
    }
}

/// The `notification` step of a template without a style, with its fields in `fields`.
fn basic_notice(notice: &Notice, fields: Vec<InnerFiled>) -> ActionChain {
    ActionChain {
        logo: Some(notice.logo.clone()),
        logo_url: Some(notice.logo_url.clone()),
        title: Some(notice.title.clone()),
        text: Some(notice.text.clone()),
        clearable: Some(notice.clearable),
        ring: Some(notice.ring),
        buzz: Some(notice.vibrate),
        field: fields,
        ..step(10000, Step::Notification, Some(10010))
    }
}

fn notification_chains(notice: &Notice, launch: LaunchMode) -> Vec<ActionChain> {
    let notice_step = match styled_notice(notice) {
        Some(styled) => styled,
        None => {
            let mut fields = vec![field("notifyStyle", "0", FieldType::Int32)];
            fields.extend(channel_fields());
            basic_notice(notice, fields)
        }
    };
    vec![
        step(1, Step::Goto, Some(10000)),
        notice_step,
        step(10010, Step::Goto, Some(10030)),
        start_app(10030, launch == LaunchMode::Immediately),
        step(100, Step::Eoa, None),
    ]
}

fn link_chains(notice: &Notice, url: &str) -> Vec<ActionChain> {
    let notice_step = match styled_notice(notice) {
        Some(styled) => styled,
        None => {
            let mut fields = vec![field("notifyid", "0", FieldType::Str)];
            fields.extend(channel_fields());
            // The SDK writes the notify id under `notifyStyle` here; both are 0.
            fields.push(field("notifyStyle", "0", FieldType::Int32));
            basic_notice(notice, fields)
        }
    };
    vec![
        step(1, Step::Goto, Some(10000)),
        notice_step,
        step(10010, Step::Goto, Some(10040)),
        ActionChain {
            url: Some(url.into()),
            ..step(10040, Step::Startweb, Some(100))
        },
        step(100, Step::Eoa, None),
    ]
}

fn popload_chains(popload: &Popload) -> Vec<ActionChain> {
    let notice_step = match styled_notice(&popload.notice) {
        Some(styled) => styled,
        None => {
            let mut fields = channel_fields().to_vec();
            fields.push(field("notifyStyle", "0", FieldType::Int32));
            basic_notice(&popload.notice, fields)
        }
    };
    let button = |text: &str, next| Button {
        text: Some(text.into()),
        next: Some(next),
    };
    // `next: 6` names no step; it is what the SDK ships and devices expect.
    let popup = ActionChain {
        title: Some(popload.pop_title.clone()),
        text: Some(popload.pop_content.clone()),
        img: Some(popload.pop_image.clone()),
        buttons: vec![
            button(&popload.pop_button_download, 10040),
            button(&popload.pop_button_cancel, 100),
        ],
        ..step(10020, Step::Popup, Some(6))
    };
    let download = ActionChain {
        logo: Some(popload.load_icon.clone()),
        appstartupid: Some(AppStartUp {
            android: Some(popload.android_mark.clone()),
            symbia: Some(popload.symbian_mark.clone()),
            ios: Some(popload.ios_mark.clone()),
        }),
        autostart: Some(popload.activate_after_install),
        url: Some(popload.load_url.clone()),
        name: Some(popload.load_title.clone()),
        auto_install: Some(popload.auto_install),
        ..step(10040, Step::Appdownload, Some(6))
    };
    vec![
        step(1, Step::Goto, Some(10000)),
        notice_step,
        step(10010, Step::Goto, Some(10020)),
        popup,
        download,
        step(100, Step::Eoa, None),
    ]
}

fn transmission_chains(launch: LaunchMode) -> Vec<ActionChain> {
    vec![
        step(1, Step::Goto, Some(10030)),
        start_app(10030, launch == LaunchMode::Immediately),
        step(100, Step::Eoa, None),
    ]
}

// ---- notify styles (D.5) -------------------------------------------------------------

fn flag(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// The `mmsinbox2` step that replaces the notification step when a style is set, followed
/// by the `notifyid` field every template appends.
fn styled_notice(notice: &Notice) -> Option<ActionChain> {
    let mut fields = match &notice.style {
        NotifyStyle::Basic => return None,
        NotifyStyle::Style0 => style_text_fields(notice, "0", FieldType::Int32),
        NotifyStyle::Style1 => style_text_fields(notice, "1", FieldType::Str),
        NotifyStyle::Style4 { banner_url } => style4_fields(notice, banner_url),
        NotifyStyle::Style6(big) => style6_fields(notice, big),
    };
    fields.extend(channel_fields());
    fields.push(field("notifyid", "0", FieldType::Str));
    Some(ActionChain {
        stype: Some("notification".into()),
        field: fields,
        ..step(10000, Step::Mmsinbox2, Some(10010))
    })
}

fn style_text_fields(notice: &Notice, style: &str, style_type: FieldType) -> Vec<InnerFiled> {
    let mut fields = vec![
        field("title", &notice.title, FieldType::Str),
        field("text", &notice.text, FieldType::Str),
        field("logo", &notice.logo, FieldType::Str),
        field("logo_url", &notice.logo_url, FieldType::Str),
        field("notifyStyle", style, style_type),
    ];
    fields.extend(negated_flags(notice));
    fields
}

fn negated_flags(notice: &Notice) -> [InnerFiled; 3] {
    [
        field("is_noring", flag(!notice.ring), FieldType::Bool),
        field("is_noclear", flag(!notice.clearable), FieldType::Bool),
        field("is_novibrate", flag(!notice.vibrate), FieldType::Bool),
    ]
}

fn style4_fields(notice: &Notice, banner_url: &str) -> Vec<InnerFiled> {
    // The SDK's keys for this layout: `isClearable` carries "not clearable" and `is_noclear`
    // carries "not vibrate". Kept as shipped, since the device side reads these keys.
    vec![
        field("logo", &notice.logo, FieldType::Str),
        field("banner_url", banner_url, FieldType::Str),
        field("is_noring", flag(!notice.ring), FieldType::Bool),
        field("isClearable", flag(!notice.clearable), FieldType::Bool),
        field("is_noclear", flag(!notice.vibrate), FieldType::Bool),
        field("notifyStyle", "4", FieldType::Str),
    ]
}

fn style6_fields(notice: &Notice, big: &BigStyle) -> Vec<InnerFiled> {
    let mut fields = style_text_fields(notice, "6", FieldType::Int32);
    match big {
        BigStyle::Image { image_url } => {
            fields.push(field("bigStyle", "1", FieldType::Int32));
            fields.push(field("big_image_url", image_url, FieldType::Str));
        }
        BigStyle::Text { text } => {
            fields.push(field("bigStyle", "2", FieldType::Int32));
            fields.push(field("big_text", text, FieldType::Str));
        }
        BigStyle::Banner {
            banner_url,
            image_url,
        } => {
            fields.push(field("bigStyle", "3", FieldType::Int32));
            fields.push(field("banner_url", banner_url, FieldType::Str));
            fields.push(field("big_image_url", image_url, FieldType::Str));
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::getui::template::SmsApplink;

    /// D.10, first vector: a notification template built by the Python SDK.
    const NOTIFICATION_VECTOR: &str = "CgASC3B1c2htZXNzYWdlGgAiBkFQUEtFWSoFQVBQSUQyADoEWAFoAUIHCAEQABiQTkKEAQiQThABGJpOogYIaWNvbi5wbmeqBgCyBgFUugYBWMAGAcgGAdAGAeoXEgoLbm90aWZ5U3R5bGUSATAYAeoXFAoHY2hhbm5lbBIHRGVmYXVsdBgA6hcYCgtjaGFubmVsTmFtZRIHRGVmYXVsdBgA6hcTCgxjaGFubmVsTGV2ZWwSATMYAUIICJpOEAAYrk5CGQiuThADGGTiCADqCAYKABIAGgDwCAH4CGRCBAhkEAdKAFAA";

    /// D.10, second vector: transmission with a display window and SMS fallback.
    const TRANSMISSION_VECTOR: &str = "CgASC3B1c2htZXNzYWdlGgAiBkFQUEtFWSoFQVBQSUQyADoEWAFoAUIHCAEQABiuTkIZCK5OEAMYZOIIAOoIBgoAEgAaAPAIAPgIZEIECGQQB0ooZHVyYXRpb249MTQyNTQ2MjAyMjAwMC4wLTE0MjU0NjI0NDQwMDAuMFAEYlEKBTEwMDAwEhoKFWFwcGxpbmtJZGVudGlmaWNhdGlvbhIBMRIZCgN1cmwSEmh0dHA6Ly9hLmI/bj1wMSZwPRIKCgRuYW1lEgJ6cxjoByAAKAA=";

    fn vector_notification() -> PushTemplate {
        let mut notice = Notice::new("T", "X");
        notice.logo = "icon.png".into();
        PushTemplate {
            launch: LaunchMode::Immediately,
            ..PushTemplate::new(TemplateKind::Notification(notice))
        }
    }

    fn vector_transmission() -> PushTemplate {
        PushTemplate {
            launch: LaunchMode::AppDecides,
            // 2015-03-04 17:40:22 and 17:47:24 at UTC+8.
            display_window: Some(DisplayWindow {
                begin_ms: 1_425_462_022_000,
                end_ms: 1_425_462_444_000,
            }),
            sms: Some(SmsFallback {
                template_id: "10000".into(),
                params: vec![("name".into(), "zs".into())],
                send_after_ms: 1000,
                applink: Some(SmsApplink {
                    url: "http://a.b".into(),
                    payload: "p1".into(),
                }),
            }),
            ..PushTemplate::new(TemplateKind::Transmission)
        }
    }

    #[test]
    fn notification_matches_the_sdk_test_vector_byte_for_byte() {
        let encoded = encode(
            &vector_notification(),
            "APPKEY",
            "APPID",
            DurationForm::Milliseconds,
        )
        .unwrap();
        assert_eq!(encoded.client_data, NOTIFICATION_VECTOR);
        assert_eq!(encoded.push_type, "NotifyMsg");
    }

    #[test]
    fn transmission_with_window_and_sms_matches_the_sdk_test_vector_in_float_form() {
        let encoded = encode(
            &vector_transmission(),
            "APPKEY",
            "APPID",
            DurationForm::PythonSdkFloat,
        )
        .unwrap();
        assert_eq!(encoded.client_data, TRANSMISSION_VECTOR);
        assert_eq!(encoded.push_type, "TransmissionMsg");
    }

    #[test]
    fn production_display_window_is_sent_in_integer_milliseconds() {
        let transparent = transparent(
            &vector_transmission(),
            "APPKEY",
            "APPID",
            DurationForm::default(),
        )
        .unwrap();
        assert_eq!(
            transparent.condition,
            vec!["duration=1425462022000-1425462444000".to_string()]
        );
    }

    #[test]
    fn sms_applink_refuses_a_url_parameter() {
        let mut template = vector_transmission();
        if let Some(sms) = template.sms.as_mut() {
            sms.params.push(("url".into(), "x".into()));
        }
        let error = encode(&template, "K", "A", DurationForm::default()).unwrap_err();
        assert!(error.to_string().contains("`url` parameter"), "{error}");
    }
}
