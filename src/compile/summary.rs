//! Summaries: what a reviewer reads about a push, in plain words.
//!
//! [`ContentSummary`] is stored in state and diffed field by field in plans, so each field
//! holds one thing a reviewer recognises (the title, the link, the SMS) and stays stable
//! while that thing does.

use crate::getui::api::{Delivery, Network};
use crate::getui::vendor::{ChannelStrategy, MessageClass, VendorChannels, VendorClick};
use crate::model::{Duration, IosAlert, IosBadge, LaunchMode, Sms, Template, TemplateKind};

use super::ContentSummary;

/// The summary of `template` sent to `audience` (already in words) with `delivery`.
/// `offline_keep` is the author's own spelling (`24h`), which the summary echoes.
pub(super) fn content(
    template: &Template,
    audience: &str,
    delivery: &Delivery,
    offline_keep: Duration,
) -> ContentSummary {
    let url = match &template.popload {
        Some(popload) if template.url.is_none() => Some(popload.download_url.clone()),
        _ => template.url.clone(),
    };
    ContentSummary {
        template_type: template.kind.as_str().to_owned(),
        title: template.title.clone(),
        text: template.text.clone(),
        url,
        transmission: template
            .transmission
            .as_ref()
            .map(|t| format!("{} ({})", t.content, launch_words(t.launch))),
        ios: template.ios.as_ref().map(|ios| ios_words(template, ios)),
        sms: template.sms.as_ref().map(sms_words),
        channels: None,
        audience: audience.to_owned(),
        delivery: delivery_words(delivery, offline_keep),
    }
}

fn launch_words(launch: LaunchMode) -> &'static str {
    match launch {
        LaunchMode::Immediate => "starts the app at once",
        LaunchMode::Broadcast => "the app decides whether to start",
    }
}

/// The transmission content inside a summary's `transmission` words, for states written
/// before [`super::SentContent`] existed, which recorded only the summary.
pub fn transmission_of_summary(words: &str) -> Option<&str> {
    [LaunchMode::Immediate, LaunchMode::Broadcast]
        .into_iter()
        .find_map(|launch| {
            words
                .strip_suffix(')')?
                .strip_suffix(launch_words(launch))?
                .strip_suffix(" (")
        })
}

fn ios_words(template: &Template, ios: &IosAlert) -> String {
    let mut parts = Vec::new();
    if let Some(title) = ios.title.as_ref().or(template.title.as_ref()) {
        parts.push(format!("title \"{title}\""));
    }
    if let Some(subtitle) = &ios.subtitle {
        parts.push(format!("subtitle \"{subtitle}\""));
    }
    if let Some(body) = ios.body.as_ref().or(template.text.as_ref()) {
        parts.push(format!("body \"{body}\""));
    }
    match &ios.badge {
        Some(IosBadge::Set(count)) => parts.push(format!("badge set to {count}")),
        Some(IosBadge::Change(change)) => parts.push(format!("badge {change}")),
        None => {}
    }
    if let Some(sound) = &ios.sound {
        parts.push(format!("sound {sound}"));
    }
    if let Some(category) = &ios.category {
        parts.push(format!("category {category}"));
    }
    if ios.content_available {
        parts.push("wakes the app".to_owned());
    }
    if !ios.custom.is_empty() {
        let custom = ios
            .custom
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(", ");
        parts.push(format!("custom {custom}"));
    }
    parts.join(", ")
}

fn sms_words(sms: &Sms) -> String {
    let mut words = format!("template {} after {}", sms.template_id, sms.delay);
    if !sms.params.is_empty() {
        let params = sms
            .params
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(", ");
        words.push_str(&format!(", with {params}"));
    }
    if let Some(link) = &sms.applink {
        words.push_str(&format!(", app link {}", link.url));
    }
    words
}

fn delivery_words(delivery: &Delivery, offline_keep: Duration) -> String {
    let mut words = match delivery.offline_keep {
        Some(_) => format!("kept {offline_keep} for offline phones"),
        None => "dropped for offline phones".to_owned(),
    };
    words.push_str(match delivery.network {
        Network::Any => ", any network",
        Network::WifiOnly => ", Wi-Fi only",
        Network::MobileOnly => ", mobile data only",
    });
    if let Some(speed) = delivery.speed {
        words.push_str(&format!(", at most {speed} a second"));
    }
    words
}

/// The class and the makers' channels in words, such as `service · Huawei category EXPRESS,
/// channel orders · vivo category ORDER · strategy hw vendor first`. The makers' notification
/// is named only when it differs from the one the template implies (`implicit`), whose title
/// and text the plan shows already.
pub(super) fn channel_words(
    vendor: &VendorChannels,
    implicit: &VendorChannels,
    kind: TemplateKind,
) -> String {
    let mut parts = vec![
        match vendor.class {
            MessageClass::Marketing => "marketing",
            MessageClass::Service => "service",
        }
        .to_owned(),
    ];
    let mut huawei = Vec::new();
    if let Some(category) = &vendor.hw_category {
        huawei.push(format!("category {category}"));
    }
    if let Some(channel) = &vendor.hw_channel_id {
        huawei.push(format!("channel {channel}"));
    }
    if !huawei.is_empty() {
        parts.push(format!("Huawei {}", huawei.join(", ")));
    }
    for (maker, channel) in [
        ("Xiaomi", &vendor.xm_channel_id),
        ("OPPO", &vendor.op_channel_id),
    ] {
        if let Some(channel) = channel {
            parts.push(format!("{maker} channel {channel}"));
        }
    }
    if let Some(category) = &vendor.vv_category {
        parts.push(format!("vivo category {category}"));
    }
    let mut strategies: Vec<String> = vendor
        .default_strategy
        .map(|s| format!("default {}", strategy_words(s)))
        .into_iter()
        .collect();
    strategies.extend(
        vendor
            .strategies
            .iter()
            .map(|(maker, s)| format!("{} {}", maker.strategy_key(), strategy_words(*s))),
    );
    if !strategies.is_empty() {
        parts.push(format!("strategy {}", strategies.join(", ")));
    }
    if let Some(notice) = vendor
        .notice
        .as_ref()
        .filter(|n| Some(*n) != implicit.notice.as_ref())
    {
        let tap = match &notice.click {
            VendorClick::OpenApp => "opens the app".to_owned(),
            VendorClick::Url(url) => format!("opens {url}"),
            VendorClick::Intent(intent) => format!("starts {intent}"),
            VendorClick::Payload(payload) => format!("hands the app {payload}"),
        };
        parts.push(format!(
            "makers show \"{}\" / \"{}\", {tap}",
            notice.title, notice.text
        ));
    }
    if let Some(harmony) = &vendor.harmony {
        parts.push(format!(
            "HarmonyOS {} \"{}\"",
            harmony.category, harmony.title
        ));
    }
    if vendor.notice.is_none() && vendor.harmony.is_none() {
        parts.push(
            match kind {
                TemplateKind::Transmission => "payload only: the makers' channels show nothing",
                _ => "Getui's channel only: the legacy protocol gives the makers no notification",
            }
            .to_owned(),
        );
    }
    parts.join(" · ")
}

fn strategy_words(strategy: ChannelStrategy) -> &'static str {
    match strategy {
        ChannelStrategy::GetuiWhenOnline => "Getui when online",
        ChannelStrategy::VendorOnly => "vendor only",
        ChannelStrategy::GetuiOnly => "Getui only",
        ChannelStrategy::VendorFirst => "vendor first",
    }
}
