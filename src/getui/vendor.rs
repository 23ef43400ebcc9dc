//! What the phone makers' channels carry, in domain terms: the message class, the notification
//! shown through the maker's channel, the class keys each maker reads and how Getui picks
//! between its channel and the maker's. The V2 body (`v2::body`) writes it as
//! `push_channel.android.ups`, `push_channel.harmony` and `settings.strategy`; the legacy
//! client as the transmission template's third-party notify info (`client_data`).
//!
//! Key paths and values (`/message/android/category`, `LOW`…) are wire names and live in
//! [`VendorChannels::options`], so that both protocols write the same keys from one table.
//! See: issue 24 and `getui-protocol.md` H.

use serde::Serialize;

/// What a maker is told a message is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageClass {
    /// Capped per device per day; what a maker assumes when told nothing.
    #[default]
    Marketing,
    /// About the user's own business with the app; not capped.
    Service,
}

/// A vendor channel, by Getui's code.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    /// Huawei.
    Hw,
    /// Honor.
    Ho,
    /// Xiaomi.
    Xm,
    /// OPPO.
    Op,
    /// vivo.
    Vv,
    /// Meizu.
    Mz,
}

impl Vendor {
    /// Every vendor, in order.
    pub const ALL: [Vendor; 6] = [
        Vendor::Hw,
        Vendor::Ho,
        Vendor::Xm,
        Vendor::Op,
        Vendor::Vv,
        Vendor::Mz,
    ];

    /// The maker's name, as users know it.
    pub fn maker(self) -> &'static str {
        match self {
            Vendor::Hw => "Huawei",
            Vendor::Ho => "Honor",
            Vendor::Xm => "Xiaomi",
            Vendor::Op => "OPPO",
            Vendor::Vv => "vivo",
            Vendor::Mz => "Meizu",
        }
    }

    /// The constraint of `ups.options` and of a legacy `ExtKV` (`HW`, `XM`…).
    pub fn constraint(self) -> &'static str {
        match self {
            Vendor::Hw => "HW",
            Vendor::Ho => "HO",
            Vendor::Xm => "XM",
            Vendor::Op => "OP",
            Vendor::Vv => "VV",
            Vendor::Mz => "MZ",
        }
    }

    /// The key of `settings.strategy` (`hw`, `xm`…).
    pub fn strategy_key(self) -> &'static str {
        match self {
            Vendor::Hw => "hw",
            Vendor::Ho => "ho",
            Vendor::Xm => "xm",
            Vendor::Op => "op",
            Vendor::Vv => "vv",
            Vendor::Mz => "mz",
        }
    }
}

/// How Getui picks a channel (`settings.strategy` values 1–4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelStrategy {
    /// 1: Getui's channel when the phone is online, else the maker's.
    GetuiWhenOnline,
    /// 2: the maker's channel only.
    VendorOnly,
    /// 3: Getui's channel only.
    GetuiOnly,
    /// 4: the maker's channel first.
    VendorFirst,
}

impl ChannelStrategy {
    pub fn code(self) -> i64 {
        match self {
            ChannelStrategy::GetuiWhenOnline => 1,
            ChannelStrategy::VendorOnly => 2,
            ChannelStrategy::GetuiOnly => 3,
            ChannelStrategy::VendorFirst => 4,
        }
    }
}

/// What a tap on a vendor notification does.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorClick {
    OpenApp,
    Url(String),
    /// `intent:#Intent;…;end`.
    Intent(String),
    /// Open the app and hand it this payload.
    Payload(String),
}

/// The notification a maker's channel shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct VendorNotice {
    pub title: String,
    pub text: String,
    pub click: VendorClick,
}

/// The notification of HarmonyOS NEXT.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct HarmonyNotice {
    pub title: String,
    pub text: String,
    /// The HarmonyOS category (`MARKETING`, `EXPRESS`…).
    pub category: String,
    /// A payload handed to the app on tap; `None` opens the app.
    pub payload: Option<String>,
}

/// Everything vendor-related a push carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct VendorChannels {
    pub class: MessageClass,
    /// The Android makers' notification; `None` for a push that shows nothing offline.
    pub notice: Option<VendorNotice>,
    /// Huawei's self-classification category for this class.
    pub hw_category: Option<String>,
    /// Huawei's notification channel for this class.
    pub hw_channel_id: Option<String>,
    /// Xiaomi's channel id for this class.
    pub xm_channel_id: Option<String>,
    /// OPPO's channel id for this class.
    pub op_channel_id: Option<String>,
    /// vivo's category for this class.
    pub vv_category: Option<String>,
    /// Getui's `default` strategy.
    pub default_strategy: Option<ChannelStrategy>,
    /// Per-vendor strategies, in [`Vendor`] order.
    pub strategies: Vec<(Vendor, ChannelStrategy)>,
    pub harmony: Option<HarmonyNotice>,
}

/// A value of a vendor option: most are text, vivo's classification is a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionValue {
    Text(String),
    Number(i64),
}

impl VendorChannels {
    /// The vendor options, `(vendor, key path, value)`, in a fixed order: the class keys each
    /// maker reads (always), then what `vendors:` configured for the class.
    pub fn options(&self) -> Vec<(Vendor, &'static str, OptionValue)> {
        let text = |value: &str| OptionValue::Text(value.to_owned());
        let importance = match self.class {
            MessageClass::Marketing => "LOW",
            MessageClass::Service => "NORMAL",
        };
        let mut options = Vec::new();
        if let Some(category) = &self.hw_category {
            options.push((Vendor::Hw, "/message/android/category", text(category)));
        }
        options.push((Vendor::Hw, HW_IMPORTANCE, text(importance)));
        if let Some(channel) = &self.hw_channel_id {
            options.push((
                Vendor::Hw,
                "/message/android/notification/channel_id",
                text(channel),
            ));
        }
        options.push((Vendor::Ho, HO_IMPORTANCE, text(importance)));
        if let Some(channel) = &self.xm_channel_id {
            options.push((Vendor::Xm, XM_CHANNEL, text(channel)));
        }
        if let Some(channel) = &self.op_channel_id {
            options.push((Vendor::Op, OP_CHANNEL, text(channel)));
        }
        // vivo: 0 = operational (marketing, vivo's default), 1 = system.
        let classification = match self.class {
            MessageClass::Marketing => 0,
            MessageClass::Service => 1,
        };
        options.push((
            Vendor::Vv,
            VV_CLASSIFICATION,
            OptionValue::Number(classification),
        ));
        if let Some(category) = &self.vv_category {
            options.push((Vendor::Vv, "/category", text(category)));
        }
        options
    }
}

/// The option each maker reads a message's class from (\[U\], `getui-protocol.md` H).
const HW_IMPORTANCE: &str = "/message/android/notification/importance";
const HO_IMPORTANCE: &str = "/android/notification/importance";
const XM_CHANNEL: &str = "/extra.channel_id";
const OP_CHANNEL: &str = "/channel_id";
const VV_CLASSIFICATION: &str = "/classification";
/// The constraint whose options every vendor reads (\[J\] `Ups.addOptionAll`).
pub const ALL_VENDORS: &str = "ALL";

/// The class a maker reads from a push's `ups.options` (constraint → key path → value; the
/// vendor's own constraint first, then [`ALL_VENDORS`]): Huawei and Honor from the
/// importance (`LOW` marketing, `NORMAL` service), vivo from the classification (the number
/// 0 marketing, 1 service), Xiaomi and OPPO from the channel id, service only when it is one
/// of `service_channels` (the app registered it as such with the maker). `None` when the
/// options say nothing the maker reads, which the makers take as marketing.
pub fn class_in_options(
    vendor: Vendor,
    options: &std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<String, serde_json::Value>,
    >,
    service_channels: &[String],
) -> Option<MessageClass> {
    let key = match vendor {
        Vendor::Hw => HW_IMPORTANCE,
        Vendor::Ho => HO_IMPORTANCE,
        Vendor::Xm => XM_CHANNEL,
        Vendor::Op => OP_CHANNEL,
        Vendor::Vv => VV_CLASSIFICATION,
        Vendor::Mz => return None,
    };
    let value = [vendor.constraint(), ALL_VENDORS]
        .iter()
        .find_map(|constraint| options.get(*constraint)?.get(key))?;
    let class = |service: bool| {
        if service {
            MessageClass::Service
        } else {
            MessageClass::Marketing
        }
    };
    match vendor {
        Vendor::Hw | Vendor::Ho => match value.as_str()? {
            "LOW" => Some(MessageClass::Marketing),
            "NORMAL" => Some(MessageClass::Service),
            _ => None,
        },
        // A number in V2; the legacy protocol's `extKV` carries it as text.
        Vendor::Vv => match value
            .as_i64()
            .or_else(|| value.as_str()?.trim().parse().ok())?
        {
            0 => Some(MessageClass::Marketing),
            1 => Some(MessageClass::Service),
            _ => None,
        },
        Vendor::Xm | Vendor::Op => {
            let channel = value.as_str()?;
            Some(class(service_channels.iter().any(|c| c == channel)))
        }
        Vendor::Mz => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(channels: &VendorChannels) -> Vec<(Vendor, &'static str, OptionValue)> {
        channels.options()
    }

    #[test]
    fn a_marketing_push_says_low_importance_and_vivo_classification_0() {
        let options = keys(&VendorChannels::default());
        assert_eq!(
            options,
            vec![
                (
                    Vendor::Hw,
                    "/message/android/notification/importance",
                    OptionValue::Text("LOW".into())
                ),
                (
                    Vendor::Ho,
                    "/android/notification/importance",
                    OptionValue::Text("LOW".into())
                ),
                (Vendor::Vv, "/classification", OptionValue::Number(0)),
            ]
        );
    }

    #[test]
    fn a_service_push_carries_normal_importance_and_the_configured_channels() {
        let channels = VendorChannels {
            class: MessageClass::Service,
            hw_category: Some("EXPRESS".into()),
            hw_channel_id: Some("orders".into()),
            xm_channel_id: Some("123".into()),
            op_channel_id: Some("orders".into()),
            vv_category: Some("ORDER".into()),
            ..VendorChannels::default()
        };
        let options = keys(&channels);
        let find = |vendor: Vendor, key: &str| {
            options
                .iter()
                .find(|(v, k, _)| *v == vendor && *k == key)
                .map(|(_, _, value)| value.clone())
        };
        let text = |s: &str| Some(OptionValue::Text(s.into()));
        assert_eq!(
            find(Vendor::Hw, "/message/android/category"),
            text("EXPRESS")
        );
        assert_eq!(
            find(Vendor::Hw, "/message/android/notification/importance"),
            text("NORMAL")
        );
        assert_eq!(
            find(Vendor::Hw, "/message/android/notification/channel_id"),
            text("orders")
        );
        assert_eq!(
            find(Vendor::Ho, "/android/notification/importance"),
            text("NORMAL")
        );
        assert_eq!(find(Vendor::Xm, "/extra.channel_id"), text("123"));
        assert_eq!(find(Vendor::Op, "/channel_id"), text("orders"));
        assert_eq!(
            find(Vendor::Vv, "/classification"),
            Some(OptionValue::Number(1))
        );
        assert_eq!(find(Vendor::Vv, "/category"), text("ORDER"));
    }

    /// What gtcamp writes for a class, each maker reads back as that class.
    #[test]
    fn each_maker_reads_back_the_class_the_options_write() {
        for class in [MessageClass::Marketing, MessageClass::Service] {
            let channels = VendorChannels {
                class,
                xm_channel_id: Some("orders".into()),
                op_channel_id: Some("orders".into()),
                ..VendorChannels::default()
            };
            let mut options: std::collections::BTreeMap<_, std::collections::BTreeMap<_, _>> =
                std::collections::BTreeMap::new();
            for (vendor, key, value) in channels.options() {
                let value = match value {
                    OptionValue::Text(text) => serde_json::json!(text),
                    OptionValue::Number(n) => serde_json::json!(n),
                };
                options
                    .entry(vendor.constraint().to_owned())
                    .or_default()
                    .insert(key.to_owned(), value);
            }
            let service = match class {
                MessageClass::Service => vec!["orders".to_owned()],
                MessageClass::Marketing => Vec::new(),
            };
            for vendor in [Vendor::Hw, Vendor::Ho, Vendor::Xm, Vendor::Op, Vendor::Vv] {
                assert_eq!(
                    class_in_options(vendor, &options, &service),
                    Some(class),
                    "{vendor:?}"
                );
            }
            assert_eq!(class_in_options(Vendor::Mz, &options, &service), None);
        }
        let empty = std::collections::BTreeMap::new();
        assert_eq!(class_in_options(Vendor::Hw, &empty, &[]), None);
    }
}
