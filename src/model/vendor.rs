//! Vendor channels: the message class of a push and what each phone maker's channel needs.
//!
//! On Android in China an app that is not running is reached through the phone maker's
//! channel (Huawei, Honor, Xiaomi, OPPO, vivo, Meizu), and HarmonyOS NEXT through its own.
//! Since 2023 the makers classify every message and cap **marketing** messages per device per
//! day, so every template has a [`MessageClass`]; `vendors:` in `gtcamp.yaml` holds what the
//! makers need beyond the class (channel ids, categories, news-app status) and how Getui
//! should choose between its own channel and the maker's ([`Strategy`]).
//!
//! Vendors are named by Getui's own codes (`hw`, `ho`, `xm`, `op`, `vv`, `mz`), the keys of
//! V2's `settings.strategy`, so a reader of Getui's documents finds the same words here.
//! Each vendor has its own type: a key a maker does not read (an OPPO `category`, which no
//! source confirms) is an unknown field, refused by the loader with its place.
//! See: issue 24.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a message is, to the phone makers: `marketing` is capped per device per day and may
/// be held back at night; `service` (a reply, an order update, a reminder the user asked
/// for) is not. A maker that is told nothing assumes marketing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MessageClass {
    /// Promotions, news, anything the user did not ask for. Capped by every maker.
    #[default]
    Marketing,
    /// A message about the user's own business with the app (orders, replies, security).
    Service,
}

impl MessageClass {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageClass::Marketing => "marketing",
            MessageClass::Service => "service",
        }
    }
}

/// How Getui chooses between its own channel and the maker's, per vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Getui's channel when the phone is online, else the maker's (Getui's default, 1).
    GetuiWhenOnline,
    /// Only the maker's channel (2).
    VendorOnly,
    /// Only Getui's channel (3): an offline phone is not reached.
    GetuiOnly,
    /// The maker's channel first, then Getui's (4).
    VendorFirst,
}

/// `vendors:` in `gtcamp.yaml`: what each maker's channel needs. Every field is optional: a
/// vendor left out gets the keys its class implies and Getui's default strategy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vendors {
    /// The strategy of every vendor that sets none (Getui's `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_strategy: Option<Strategy>,
    /// Huawei (HMS Push).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hw: Option<Huawei>,
    /// Honor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ho: Option<Honor>,
    /// Xiaomi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xm: Option<Xiaomi>,
    /// OPPO (also OnePlus and realme).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<Oppo>,
    /// vivo (also iQOO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vv: Option<Vivo>,
    /// Meizu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mz: Option<Meizu>,
}

/// Huawei: the class travels as a category and an importance (LOW marketing, NORMAL service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Huawei {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// The app is classified by Huawei as a news app (a higher marketing cap).
    #[serde(default)]
    pub news_app: bool,
    /// Category and notification channel of marketing templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<HuaweiClass>,
    /// Category and notification channel of service templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<HuaweiClass>,
}

/// What Huawei needs for one class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HuaweiClass {
    /// The self-classification category Huawei approved for the app, such as `MARKETING`,
    /// `IM`, `ACCOUNT` or `EXPRESS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"EXPRESS")]
    pub category: Option<String>,
    /// The Android notification channel the app created for this class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
}

/// Honor: the class travels as an importance; nothing else is needed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Honor {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// The app is classified by Honor as a news app (a higher marketing cap).
    #[serde(default)]
    pub news_app: bool,
}

/// Xiaomi: newer rules need a channel id registered with Xiaomi, per class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Xiaomi {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// The app holds Xiaomi's news licence (a higher marketing cap).
    #[serde(default)]
    pub news_app: bool,
    /// Channel id of marketing templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<ChannelOnly>,
    /// Channel id of service templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ChannelOnly>,
}

/// OPPO: a channel id registered with OPPO, per class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Oppo {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// The app is classified by OPPO as a news app (a higher marketing cap).
    #[serde(default)]
    pub news_app: bool,
    /// Channel id of marketing templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<ChannelOnly>,
    /// Channel id of service templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ChannelOnly>,
}

/// A maker that needs only a channel id for a class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelOnly {
    /// The channel id registered with the maker for this class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
}

/// vivo: the class travels as a classification (0 marketing, 1 system); a category, per
/// class, says which kind of system message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vivo {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// The app is classified by vivo as a news app (a higher marketing cap).
    #[serde(default)]
    pub news_app: bool,
    /// Category of marketing templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<CategoryOnly>,
    /// Category of service templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<CategoryOnly>,
}

/// A maker that needs only a category for a class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryOnly {
    /// The message category the maker approved for this class, such as `ORDER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// Meizu: only the strategy (no class key of Meizu's is confirmed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meizu {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
}

/// A template's `android:` block: the notification the makers' channels show when the app is
/// not running. Each field defaults from the template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AndroidVendor {
    /// Title; defaults to the template's `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 50))]
    pub title: Option<String>,
    /// Text; defaults to the template's `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 256))]
    pub text: Option<String>,
    /// What a tap does; defaults to what the template's tap does (its `url`, its payload,
    /// or opening the app).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub click: Option<VendorClick>,
}

/// What a tap on a vendor notification does. Exactly one field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorClick {
    /// Open the app's launch page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open_app: bool,
    /// Open this http or https page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Start this Android intent, `intent:#Intent;…;end` (at most 1000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    /// Open the app and hand it this payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// A template's `harmony:` block: the notification of HarmonyOS NEXT, whose phones have their
/// own channel. Without it, HarmonyOS NEXT phones are reached only while the app runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HarmonyVendor {
    /// Title; defaults to the template's `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Text; defaults to the template's `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The HarmonyOS notification category; defaults to `MARKETING` for marketing templates
    /// and must be given for service ones (such as `EXPRESS` or `ACCOUNT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Open the app and hand it this payload; without it a tap opens the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// The settings of `class` among a vendor's `marketing` and `service`.
pub fn for_class<'a, T>(
    class: MessageClass,
    marketing: &'a Option<T>,
    service: &'a Option<T>,
) -> Option<&'a T> {
    match class {
        MessageClass::Marketing => marketing.as_ref(),
        MessageClass::Service => service.as_ref(),
    }
}

impl Vendors {
    /// Whether nothing is set (what serializing leaves out).
    pub fn is_empty(&self) -> bool {
        self == &Vendors::default()
    }
}
