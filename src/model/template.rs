//! `Template`: what the user sees on the phone.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Duration;
use super::Instant;
use super::vendor::{AndroidVendor, HarmonyVendor, MessageClass};

/// What the user sees: a notification, a link, a download pop-up or a payload for the app.
///
/// Which fields apply depends on `type`; `gtcamp validate` says when one is missing or
/// does not belong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The document's kind; accepted here so a document can be read straight into this type.
    #[serde(rename = "kind", default, skip_serializing)]
    #[schemars(skip)]
    pub document_kind: Option<String>,
    /// Unique among templates: lowercase letters, digits and `-`, at most 40 characters.
    #[serde(default)]
    #[schemars(example = &"double-twelve-sale")]
    pub name: String,
    /// What the template is for, for reviewers; never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"The 12.12 sale banner, in Chinese and English.")]
    pub description: Option<String>,
    /// What the phone makers are told the message is: `marketing` (capped per device per
    /// day) or `service`. Defaults to `defaults.class` in gtcamp.yaml, else `marketing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"marketing")]
    pub class: Option<MessageClass>,
    /// What happens on the phone: `notification` (tap opens the app), `link` (tap opens
    /// `url`), `popload` (tap shows a download pop-up) or `transmission` (payload only, the
    /// app decides what to show).
    #[serde(rename = "type")]
    #[schemars(example = &"link")]
    pub kind: TemplateKind,
    /// Notification title, at most 40 characters. Required for notification, link and popload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 40))]
    #[schemars(example = &"双十二大促，全场 5 折起")]
    pub title: Option<String>,
    /// Notification text, at most 600 characters. Required for notification, link and popload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 600))]
    #[schemars(example = &"12 月 12 日 0 点开抢。Up to 50% off on 12.12.")]
    pub text: Option<String>,
    /// File name of an icon shipped inside the app, such as `push.png` (at most 40 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 40), example = "push.png")]
    pub logo: Option<String>,
    /// URL of an icon to download and show instead of `logo` (http or https, at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    #[schemars(example = &"https://shop.example.com/icons/push.png")]
    pub logo_url: Option<String>,
    /// Play a sound when the notification arrives.
    #[serde(default = "yes")]
    #[schemars(default = "yes")]
    #[schemars(example = false)]
    pub ring: bool,
    /// Vibrate when the notification arrives.
    #[serde(default = "yes")]
    #[schemars(default = "yes")]
    #[schemars(example = false)]
    pub vibrate: bool,
    /// Let the user swipe the notification away.
    #[serde(default = "yes")]
    #[schemars(default = "yes")]
    #[schemars(example = false)]
    pub clearable: bool,
    /// Data handed to the app with the push. Required for `transmission`; optional otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"content": "{\"screen\": \"sale\"}"}))]
    pub transmission: Option<Transmission>,
    /// The page a `link` template opens (http or https, at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200), example = "https://shop.example.com/sale")]
    pub url: Option<String>,
    /// The pop-up and download of a `popload` template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"popup_title": "新版本", "popup_text": "新版本已发布，立即下载？", "download_button": "下载", "cancel_button": "取消", "download_title": "演示商城", "download_url": "https://shop.example.com/app.apk"}))]
    pub popload: Option<Popload>,
    /// What iOS devices show, through APNs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"title": "双十二大促", "body": "全场 5 折起", "badge": "+1"}))]
    pub ios: Option<IosAlert>,
    /// Show the notification only between these two instants (more than 10 minutes apart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"start": "2040-12-11T20:00:00+08:00", "end": "2040-12-12T23:59:00+08:00"}))]
    pub display_window: Option<DisplayWindow>,
    /// An Android notification style other than the default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"type": "big_text", "big_text": "12 月 12 日 0 点开抢，全场 5 折起。"}))]
    pub style: Option<NotifyStyle>,
    /// The notification the phone makers' channels (Huawei, Xiaomi, OPPO, vivo…) show when
    /// the app is not running; each field defaults from the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"title": "双十二大促", "click": {"open_app": true}}))]
    pub android: Option<AndroidVendor>,
    /// The notification of HarmonyOS NEXT phones, which have their own channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"title": "双十二大促", "category": "MARKETING"}))]
    pub harmony: Option<HarmonyVendor>,
    /// Send an SMS to users the push did not reach in time (needs PhoneBindings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"template_id": "100001", "params": {"order": "DS20261201"}, "delay": "2h"}))]
    pub sms: Option<Sms>,
}

fn yes() -> bool {
    true
}

/// The four kinds of template Getui knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TemplateKind {
    /// A notification; tapping it opens the app.
    Notification,
    /// A notification; tapping it opens `url` in the browser.
    Link,
    /// A notification; tapping it shows a pop-up that offers a download.
    Popload,
    /// No notification: the payload goes to the app, which decides what to do.
    Transmission,
}

impl TemplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Notification => "notification",
            TemplateKind::Link => "link",
            TemplateKind::Popload => "popload",
            TemplateKind::Transmission => "transmission",
        }
    }
}

/// A payload for the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transmission {
    /// The payload itself, often JSON, at most 2048 characters.
    #[schemars(length(max = 2048))]
    #[schemars(example = &"{\"screen\": \"orders\", \"id\": \"DS20261201\"}")]
    pub content: String,
    /// `immediate` starts the app as soon as the push arrives; `broadcast` hands the payload
    /// to the app and lets it decide whether to start.
    #[serde(default)]
    #[schemars(example = &"immediate")]
    pub launch: LaunchMode,
}

/// How the app is started when a payload arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LaunchMode {
    /// Start the app right away (Getui transmission type 1).
    Immediate,
    /// Let the app start itself when it receives the broadcast (Getui transmission type 2).
    #[default]
    Broadcast,
}

/// The download pop-up of a `popload` template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Popload {
    /// Title of the pop-up, at most 40 characters.
    #[schemars(length(max = 40))]
    #[schemars(example = &"新版本")]
    pub popup_title: String,
    /// Text of the pop-up, at most 600 characters.
    #[schemars(length(max = 600))]
    #[schemars(example = &"新版本已发布，立即下载？")]
    pub popup_text: String,
    /// Image shown in the pop-up (http or https URL, at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    #[schemars(example = &"https://shop.example.com/popup.png")]
    pub popup_image: Option<String>,
    /// Label of the button that starts the download, at most 4 characters.
    #[schemars(length(max = 4))]
    #[schemars(example = &"下载")]
    pub download_button: String,
    /// Label of the button that closes the pop-up, at most 4 characters.
    #[schemars(length(max = 4))]
    #[schemars(example = &"取消")]
    pub cancel_button: String,
    /// Name shown while downloading, at most 40 characters.
    #[schemars(length(max = 40))]
    #[schemars(example = &"演示商城")]
    pub download_title: String,
    /// What to download (http or https URL, at most 200 characters).
    #[schemars(length(max = 200))]
    #[schemars(example = &"https://shop.example.com/app.apk")]
    pub download_url: String,
    /// Icon shown while downloading: a file name inside the app, at most 40 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 40))]
    #[schemars(example = &"push.png")]
    pub download_icon: Option<String>,
    /// Install as soon as the download finishes.
    #[serde(default)]
    #[schemars(example = true)]
    pub auto_install: bool,
    /// Start the downloaded app once it is installed.
    #[serde(default)]
    #[schemars(example = true)]
    pub start_after_install: bool,
    /// Package marks that tell whether the app is already installed, per platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"android": "com.example.shop"}))]
    pub startup: Option<StartupMarks>,
}

/// Per-platform marks of the app to download (at most 40 characters each).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartupMarks {
    /// The Android package name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 40))]
    #[schemars(example = &"com.example.shop")]
    pub android: Option<String>,
    /// The iOS bundle mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 40))]
    #[schemars(example = &"shop://")]
    pub ios: Option<String>,
    /// The Symbian mark (kept because Getui still carries it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 40))]
    #[schemars(example = &"shop")]
    pub symbian: Option<String>,
}

/// The APNs alert for iOS devices. The whole APNs JSON must stay within 3072 bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IosAlert {
    /// Alert title. Defaults to the template's `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"双十二大促")]
    pub title: Option<String>,
    /// Alert body. Defaults to the template's `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"全场 5 折起")]
    pub body: Option<String>,
    /// Alert subtitle (iOS 10 and later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"12 月 12 日 0 点开抢")]
    pub subtitle: Option<String>,
    /// The app icon's badge: a number sets it, `+1` (or `+N`, `-N`) changes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"+1")]
    pub badge: Option<IosBadge>,
    /// Sound file in the app bundle, or `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"default")]
    pub sound: Option<String>,
    /// Notification category, for actionable notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"SALE")]
    pub category: Option<String>,
    /// Wake the app in the background (APNs `content-available: 1`).
    #[serde(default)]
    #[schemars(example = true)]
    pub content_available: bool,
    /// Extra top-level keys of the APNs payload, read by the app.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = serde_json::json!({"screen": "sale"}))]
    pub custom: BTreeMap<String, serde_json::Value>,
}

/// An iOS badge: set to a number, or changed by a signed amount such as `+1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IosBadge {
    Set(u32),
    /// Kept as written, `+1` or `-2`, which is what Getui's `autoBadge` takes.
    Change(String),
}

impl Serialize for IosBadge {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            IosBadge::Set(n) => serializer.serialize_u32(*n),
            IosBadge::Change(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for IosBadge {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BadgeVisitor;

        impl Visitor<'_> for BadgeVisitor {
            type Value = IosBadge;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a badge number such as 3, or a change such as \"+1\" or \"-1\"")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IosBadge, E> {
                u32::try_from(v)
                    .map(IosBadge::Set)
                    .map_err(|_| E::custom("the badge number is too large"))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IosBadge, E> {
                if v < 0 {
                    return Err(E::custom(format!(
                        "a badge cannot be negative; to lower it write \"{v}\" in quotes"
                    )));
                }
                self.visit_u64(v.unsigned_abs())
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<IosBadge, E> {
                let signed = v.strip_prefix('+').or_else(|| v.strip_prefix('-'));
                match signed {
                    Some(digits)
                        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        Ok(IosBadge::Change(v.to_owned()))
                    }
                    _ => Err(E::custom(format!(
                        "`{v}` is not a badge: write a number such as 3, or \"+1\" to add one"
                    ))),
                }
            }
        }

        deserializer.deserialize_any(BadgeVisitor)
    }
}

impl JsonSchema for IosBadge {
    fn schema_name() -> Cow<'static, str> {
        "IosBadge".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number sets the badge; \"+N\" or \"-N\" changes it.",
            "anyOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string", "pattern": "^[+-][0-9]+$" }
            ],
            "examples": [1, "+1"]
        })
    }
}

/// When the notification may be shown. Getui holds it back outside the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisplayWindow {
    /// First instant to show the notification, RFC 3339 with an offset.
    #[schemars(example = &"2040-12-11T20:00:00+08:00")]
    pub start: Instant,
    /// Last instant to show it; more than 10 minutes after `start`.
    #[schemars(example = &"2040-12-12T23:59:00+08:00")]
    pub end: Instant,
}

/// An Android notification style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyStyle {
    /// `system` (the phone's own look), `getui` (Getui's look), `banner` (one picture, no
    /// text), `big_image`, `big_text` or `banner_big_image` (expandable).
    #[serde(rename = "type")]
    #[schemars(example = &"big_image")]
    pub kind: NotifyStyleKind,
    /// Picture of a `banner` or `banner_big_image` style (http or https URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://shop.example.com/banner.png")]
    pub banner_url: Option<String>,
    /// Picture shown when a `big_image` or `banner_big_image` notification is expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://shop.example.com/sale.png")]
    pub big_image_url: Option<String>,
    /// Text shown when a `big_text` notification is expanded, at most 512 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 512))]
    #[schemars(example = &"12 月 12 日 0 点开抢，全场 5 折起。")]
    pub big_text: Option<String>,
}

/// The Android notification styles Getui supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotifyStyleKind {
    /// The phone's own notification look (Getui style 0).
    System,
    /// Getui's notification look (style 1).
    Getui,
    /// A single picture instead of title and text (style 4).
    Banner,
    /// Expandable, with a big picture (style 6, big style 1).
    BigImage,
    /// Expandable, with long text (style 6, big style 2).
    BigText,
    /// Expandable, a banner that opens to a big picture (style 6, big style 3).
    BannerBigImage,
}

/// SMS fallback: a text message to users whose push was not delivered in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sms {
    /// The id of an SMS template registered and approved on Getui.
    #[schemars(example = &"100001")]
    pub template_id: String,
    /// Values for the template's `${placeholders}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = serde_json::json!({"order": "DS20261201"}))]
    pub params: BTreeMap<String, String>,
    /// How long after the push to send the SMS; at most 3 days and at most the offline keep time.
    #[schemars(example = &"2h")]
    pub delay: Duration,
    /// A link in the SMS that opens the app (Getui adds it as the `url` parameter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"url": "https://shop.example.com/orders"}))]
    pub applink: Option<Applink>,
}

/// The app link carried by an SMS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Applink {
    /// The app link registered with Getui (http or https).
    #[schemars(example = &"https://shop.example.com/orders")]
    pub url: String,
    /// Data the app receives when opened through the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"order=DS20261201")]
    pub payload: Option<String>,
}
