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

pub use crate::getui::vendor::Vendor;
use crate::getui::vendor_rules::{self, DayWindow, MarketingRules, PublishedRules};

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
    #[schemars(example = &"vendor_first")]
    pub default_strategy: Option<Strategy>,
    /// Huawei (HMS Push).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"service": {"category": "EXPRESS"}}))]
    pub hw: Option<Huawei>,
    /// Honor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"news_app": true}))]
    pub ho: Option<Honor>,
    /// Xiaomi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"marketing": {"channel_id": "105501"}}))]
    pub xm: Option<Xiaomi>,
    /// OPPO (also OnePlus and realme).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"service": {"channel_id": "reminders"}}))]
    pub op: Option<Oppo>,
    /// vivo (also iQOO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"service": {"category": "SUBSCRIPTION"}}))]
    pub vv: Option<Vivo>,
    /// Meizu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"marketing_per_day": 5}))]
    pub mz: Option<Meizu>,
}

/// Huawei: the class travels as a category and an importance (LOW marketing, NORMAL service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Huawei {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"vendor_first")]
    pub strategy: Option<Strategy>,
    /// Marketing pushes one device shows per day, in place of the maker's published cap
    /// (what `news_app` picks): for an app that agreed another number with the maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 3)]
    pub marketing_per_day: Option<u32>,
    /// The hours, in China time, the maker shows marketing pushes in, in place of the
    /// published ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"start": "09:00", "end": "21:00"}))]
    pub marketing_hours: Option<MarketingHours>,
    /// The app is classified by Huawei as a news app (a higher marketing cap).
    #[serde(default)]
    #[schemars(example = true)]
    pub news_app: bool,
    /// Category and notification channel of marketing templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"channel_id": "promotions"}))]
    pub marketing: Option<HuaweiClass>,
    /// Category and notification channel of service templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"category": "EXPRESS", "channel_id": "reminders"}))]
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
    #[schemars(example = &"reminders")]
    pub channel_id: Option<String>,
}

/// Honor: the class travels as an importance; nothing else is needed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Honor {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"vendor_first")]
    pub strategy: Option<Strategy>,
    /// Marketing pushes one device shows per day, in place of the maker's published cap
    /// (what `news_app` picks): for an app that agreed another number with the maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 3)]
    pub marketing_per_day: Option<u32>,
    /// The hours, in China time, the maker shows marketing pushes in, in place of the
    /// published ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"start": "09:00", "end": "21:00"}))]
    pub marketing_hours: Option<MarketingHours>,
    /// The app is classified by Honor as a news app (a higher marketing cap).
    #[serde(default)]
    #[schemars(example = true)]
    pub news_app: bool,
}

/// Xiaomi: newer rules need a channel id registered with Xiaomi, per class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Xiaomi {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"vendor_first")]
    pub strategy: Option<Strategy>,
    /// Marketing pushes one device shows per day, in place of the maker's published cap
    /// (what `news_app` picks): for an app that agreed another number with the maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 3)]
    pub marketing_per_day: Option<u32>,
    /// The hours, in China time, the maker shows marketing pushes in, in place of the
    /// published ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"start": "09:00", "end": "21:00"}))]
    pub marketing_hours: Option<MarketingHours>,
    /// The app holds Xiaomi's news licence (a higher marketing cap).
    #[serde(default)]
    #[schemars(example = true)]
    pub news_app: bool,
    /// Channel id of marketing templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"channel_id": "105501"}))]
    pub marketing: Option<ChannelOnly>,
    /// Channel id of service templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"channel_id": "105502"}))]
    pub service: Option<ChannelOnly>,
}

/// OPPO: a channel id registered with OPPO, per class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Oppo {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"vendor_first")]
    pub strategy: Option<Strategy>,
    /// Marketing pushes one device shows per day, in place of the maker's published cap
    /// (what `news_app` picks): for an app that agreed another number with the maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 3)]
    pub marketing_per_day: Option<u32>,
    /// The hours, in China time, the maker shows marketing pushes in, in place of the
    /// published ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"start": "09:00", "end": "21:00"}))]
    pub marketing_hours: Option<MarketingHours>,
    /// The app is classified by OPPO as a news app (a higher marketing cap).
    #[serde(default)]
    #[schemars(example = true)]
    pub news_app: bool,
    /// Channel id of marketing templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"channel_id": "promotions"}))]
    pub marketing: Option<ChannelOnly>,
    /// Channel id of service templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"channel_id": "reminders"}))]
    pub service: Option<ChannelOnly>,
}

/// A maker that needs only a channel id for a class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelOnly {
    /// The channel id registered with the maker for this class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"reminders")]
    pub channel_id: Option<String>,
}

/// vivo: the class travels as a classification (0 marketing, 1 system); a category, per
/// class, says which kind of system message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vivo {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"vendor_first")]
    pub strategy: Option<Strategy>,
    /// Marketing pushes one device shows per day, in place of the maker's published cap
    /// (what `news_app` picks): for an app that agreed another number with the maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 3)]
    pub marketing_per_day: Option<u32>,
    /// The hours, in China time, the maker shows marketing pushes in, in place of the
    /// published ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"start": "09:00", "end": "21:00"}))]
    pub marketing_hours: Option<MarketingHours>,
    /// The app is classified by vivo as a news app (a higher marketing cap).
    #[serde(default)]
    #[schemars(example = true)]
    pub news_app: bool,
    /// Category of marketing templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"category": "MARKETING"}))]
    pub marketing: Option<CategoryOnly>,
    /// Category of service templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"category": "SUBSCRIPTION"}))]
    pub service: Option<CategoryOnly>,
}

/// A maker that needs only a category for a class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryOnly {
    /// The message category the maker approved for this class, such as `ORDER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"SUBSCRIPTION")]
    pub category: Option<String>,
}

/// Meizu: only the strategy (no class key of Meizu's is confirmed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meizu {
    /// How Getui uses this channel; Getui's default when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"vendor_first")]
    pub strategy: Option<Strategy>,
    /// Marketing pushes one device shows per day, in place of the maker's published cap
    /// (what `news_app` picks): for an app that agreed another number with the maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 3)]
    pub marketing_per_day: Option<u32>,
    /// The hours, in China time, the maker shows marketing pushes in, in place of the
    /// published ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"start": "09:00", "end": "21:00"}))]
    pub marketing_hours: Option<MarketingHours>,
}

/// A template's `android:` block: the notification the makers' channels show when the app is
/// not running. Each field defaults from the template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AndroidVendor {
    /// Title; defaults to the template's `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 50))]
    #[schemars(example = &"订单已发货")]
    pub title: Option<String>,
    /// Text; defaults to the template's `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 256))]
    #[schemars(example = &"您的订单正在路上，点击查看物流。")]
    pub text: Option<String>,
    /// What a tap does; defaults to what the template's tap does (its `url`, its payload,
    /// or opening the app).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"url": "https://shop.example.com/orders"}))]
    pub click: Option<VendorClick>,
}

/// What a tap on a vendor notification does. Exactly one field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorClick {
    /// Open the app's launch page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[schemars(example = true)]
    pub open_app: bool,
    /// Open this http or https page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://shop.example.com/orders")]
    pub url: Option<String>,
    /// Start this Android intent, `intent:#Intent;…;end` (at most 1000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"intent:#Intent;component=com.example.shop/.OrderActivity;end")]
    pub intent: Option<String>,
    /// Open the app and hand it this payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"order=DS20261201")]
    pub payload: Option<String>,
}

/// A template's `harmony:` block: the notification of HarmonyOS NEXT, whose phones have their
/// own channel. Without it, HarmonyOS NEXT phones are reached only while the app runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HarmonyVendor {
    /// Title; defaults to the template's `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"订单已发货")]
    pub title: Option<String>,
    /// Text; defaults to the template's `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"您的订单正在路上，点击查看物流。")]
    pub text: Option<String>,
    /// The HarmonyOS notification category; defaults to `MARKETING` for marketing templates
    /// and must be given for service ones (such as `EXPRESS` or `ACCOUNT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"EXPRESS")]
    pub category: Option<String>,
    /// Open the app and hand it this payload; without it a tap opens the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"order=DS20261201")]
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

/// Daily hours, `HH:MM` to `HH:MM` in China time; they may wrap past midnight (`23:00` to
/// `07:00`), and an `end` of `00:00` is midnight at the end of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketingHours {
    /// When the maker starts showing marketing pushes, `HH:MM`.
    #[schemars(regex(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    #[schemars(example = &"09:00")]
    pub start: String,
    /// When it stops, `HH:MM`.
    #[schemars(regex(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    #[schemars(example = &"21:00")]
    pub end: String,
}

impl MarketingHours {
    /// The window, or `None` when a time is not `HH:MM` (check reports it, GC062).
    pub fn window(&self) -> Option<DayWindow> {
        Some(DayWindow {
            from: minute_of_day(&self.start)?,
            to: minute_of_day(&self.end)?,
        })
    }
}

/// `HH:MM` on a 24-hour clock, as minutes since midnight.
pub fn minute_of_day(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// What every vendor's settings may say, whatever else the vendor needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct VendorBasics<'a> {
    pub strategy: Option<Strategy>,
    pub news_app: bool,
    pub marketing_per_day: Option<u32>,
    pub marketing_hours: Option<&'a MarketingHours>,
    /// Whether marketing messages name a channel id registered with the maker.
    pub marketing_channel: bool,
}

/// A vendor's rules on marketing pushes as this workspace sees them: the published row,
/// news-app status and the workspace's overrides applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VendorRules {
    pub vendor: Vendor,
    pub rules: MarketingRules,
    /// The strategy Getui uses for this vendor (`None`: Getui's default, which uses the
    /// maker's channel for phones that are offline).
    pub strategy: Option<Strategy>,
    /// Whether `vendors:` replaced the published cap or hours.
    pub overridden: bool,
    /// The published row, for its source.
    pub published: &'static PublishedRules,
}

impl VendorRules {
    /// Whether Getui may carry a push through this maker's channel at all: not when the
    /// strategy says Getui's channel only.
    pub fn uses_vendor_channel(&self) -> bool {
        self.strategy != Some(Strategy::GetuiOnly)
    }
}

impl Vendors {
    /// Whether nothing is set (what serializing leaves out).
    pub fn is_empty(&self) -> bool {
        self == &Vendors::default()
    }

    /// What `vendor`'s settings say of strategy, news app, cap and hours.
    pub fn basics(&self, vendor: Vendor) -> VendorBasics<'_> {
        macro_rules! basics {
            ($field:ident, $news:expr, $channel:expr) => {
                self.$field
                    .as_ref()
                    .map(|v| VendorBasics {
                        strategy: v.strategy,
                        news_app: $news(v),
                        marketing_per_day: v.marketing_per_day,
                        marketing_hours: v.marketing_hours.as_ref(),
                        marketing_channel: $channel(v),
                    })
                    .unwrap_or_default()
            };
        }
        let channel =
            |class: &Option<ChannelOnly>| class.as_ref().is_some_and(|c| c.channel_id.is_some());
        match vendor {
            Vendor::Hw => basics!(hw, |v: &Huawei| v.news_app, |v: &Huawei| v
                .marketing
                .as_ref()
                .is_some_and(|c| c.channel_id.is_some())),
            Vendor::Ho => basics!(ho, |v: &Honor| v.news_app, |_| false),
            Vendor::Xm => basics!(xm, |v: &Xiaomi| v.news_app, |v: &Xiaomi| channel(
                &v.marketing
            )),
            Vendor::Op => basics!(op, |v: &Oppo| v.news_app, |v: &Oppo| channel(&v.marketing)),
            Vendor::Vv => basics!(vv, |v: &Vivo| v.news_app, |_| false),
            Vendor::Mz => basics!(mz, |_: &Meizu| false, |_| false),
        }
    }

    /// `vendor`'s rules on marketing pushes: the published row for this app, with what
    /// `vendors:` overrides.
    pub fn marketing_rules(&self, vendor: Vendor) -> VendorRules {
        let published = vendor_rules::published(vendor);
        let basics = self.basics(vendor);
        let mut rules = published.for_app(basics.news_app, basics.marketing_channel);
        let hours = basics.marketing_hours.and_then(MarketingHours::window);
        if let Some(cap) = basics.marketing_per_day {
            rules.per_day = Some(cap);
        }
        if let Some(hours) = hours {
            rules.hours = (!hours.is_all_day()).then_some(hours);
        }
        VendorRules {
            vendor,
            rules,
            strategy: basics.strategy.or(self.default_strategy),
            overridden: basics.marketing_per_day.is_some() || hours.is_some(),
            published,
        }
    }

    /// Every vendor's rules, in [`Vendor`] order.
    pub fn all_marketing_rules(&self) -> Vec<VendorRules> {
        Vendor::ALL
            .iter()
            .map(|&vendor| self.marketing_rules(vendor))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(start: &str, end: &str) -> MarketingHours {
        MarketingHours {
            start: start.to_owned(),
            end: end.to_owned(),
        }
    }

    #[test]
    fn a_vendor_left_out_gets_the_published_rules_for_an_ordinary_app() {
        let rules = Vendors::default().marketing_rules(Vendor::Vv);
        assert_eq!(rules.rules, vendor_rules::published(Vendor::Vv).rules);
        assert!(!rules.overridden && rules.uses_vendor_channel());
        assert_eq!(rules.strategy, None);
    }

    #[test]
    fn news_apps_overrides_and_strategies_change_the_rules() {
        let vendors = Vendors {
            default_strategy: Some(Strategy::GetuiOnly),
            hw: Some(Huawei {
                news_app: true,
                ..Huawei::default()
            }),
            vv: Some(Vivo {
                news_app: true,
                marketing_per_day: Some(3),
                marketing_hours: Some(hours("08:00", "00:00")),
                strategy: Some(Strategy::VendorFirst),
                ..Vivo::default()
            }),
            mz: Some(Meizu {
                marketing_hours: Some(hours("00:00", "00:00")),
                ..Meizu::default()
            }),
            ..Vendors::default()
        };
        assert_eq!(vendors.marketing_rules(Vendor::Xm).rules.per_day, Some(1));
        let huawei = vendors.marketing_rules(Vendor::Hw);
        assert_eq!(huawei.rules.per_day, Some(5));
        assert!(!huawei.overridden && !huawei.uses_vendor_channel());
        let vivo = vendors.marketing_rules(Vendor::Vv);
        assert_eq!(vivo.rules.per_day, Some(3));
        assert_eq!(vivo.rules.hours, Some(DayWindow { from: 480, to: 0 }));
        assert!(vivo.overridden && vivo.uses_vendor_channel());
        let meizu = vendors.marketing_rules(Vendor::Mz);
        assert_eq!((meizu.rules.hours, meizu.overridden), (None, true));
        assert_eq!(vendors.all_marketing_rules().len(), Vendor::ALL.len());
    }
}
