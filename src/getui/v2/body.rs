//! Domain requests → V2 request bodies: templates, delivery, audience and `request_id`.
//!
//! What V2 cannot express is refused here with [`Error::InvalidRequest`] before anything is
//! sent, never dropped: `popload` templates, SMS fallback, mobile-only delivery, an offline
//! keep over three days, a region with no V2 code, and a link whose click would have to carry
//! a payload. The check layer refuses most of these earlier, on V2 targets.
//!
//! The makers' channels (issue 24) travel as `push_channel.android.ups` (the notification
//! and, per vendor, the keys of the message class and of `vendors:`), `push_channel.harmony`
//! and `settings.strategy`, shaped as the official Java SDK shapes them.
//!
//! Legacy options with no V2 field are not sent: `transmissionType` (start the app at once
//! or let it decide), a notification's `clearable` flag, and the notify styles beyond what
//! `big_text` / `big_image` show. Ring and vibration map to `channel_level` 3 (on) or 2
//! (silent).

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::getui::api::{Attempt, Delivery, Network, TaskGroupName};
use crate::getui::apns::apns_json;
use crate::getui::conditions::Condition;
use crate::getui::error::Error;
use crate::getui::template::{
    ApnsAlert, ApnsBadge, ApnsPayload, BigStyle, Notice, NotifyStyle, PushTemplate, TemplateKind,
};
use crate::getui::v2::wire::{
    self, Alert, AndroidChannel, Aps, CLICK_INTENT, CLICK_PAYLOAD, CLICK_STARTAPP, CLICK_URL,
    HarmonyChannel, HarmonyNotification, Ios, MAX_TTL_MS, Notification, PushChannel, PushMessage,
    PushRequest, Settings, ThirdNotification, Ups,
};
use crate::getui::v2::wire_extra::{UnknownV2Condition, conditions_to_wire};
use crate::getui::vendor::{OptionValue, VendorChannels, VendorClick};

/// A push body without audience, schedule and `request_id`: template, delivery and group.
/// [`with_request_id`] finishes it.
pub fn push_request(
    template: &PushTemplate,
    delivery: &Delivery,
    group: Option<&TaskGroupName>,
) -> Result<PushRequest, Error> {
    let (push_message, push_channel) = message(template, delivery)?;
    let mut settings = settings(delivery)?;
    settings.strategy = template.vendor.as_ref().and_then(strategy);
    Ok(PushRequest {
        group_name: group.map(|g| g.as_str().to_owned()),
        settings: Some(settings),
        push_message: Some(push_message),
        push_channel,
        ..PushRequest::default()
    })
}

/// `body` with its [`request_id`], once everything else is in it.
pub fn with_request_id(
    mut body: PushRequest,
    group: Option<&TaskGroupName>,
    attempt: Option<Attempt>,
) -> PushRequest {
    body.request_id = String::new();
    body.request_id = request_id(group, attempt, &body);
    body
}

/// The `request_id`: 32 lower-case hex characters, the first 16 bytes of a sha256. Of the
/// task group name (which names the occurrence and its fingerprint) and the [`Attempt`] when
/// there are both; of the body when there is no group. The same attempt always carries the
/// same id, so should it ever reach Getui twice, Getui drops the second; a new attempt of the
/// same occurrence (a task re-created after it was deleted out of band) carries a new one,
/// which Getui does not take for a copy.
pub fn request_id(
    group: Option<&TaskGroupName>,
    attempt: Option<Attempt>,
    body: &PushRequest,
) -> String {
    let digest = match group {
        Some(group) => {
            let mut hasher = Sha256::new();
            hasher.update(group.as_str().as_bytes());
            if let Some(Attempt(attempt)) = attempt {
                hasher.update(b"\nattempt=");
                hasher.update(attempt);
            }
            hasher.finalize()
        }
        None => Sha256::digest(serde_json::to_vec(body).unwrap_or_default()),
    };
    hex::encode(&digest[..16])
}

fn settings(delivery: &Delivery) -> Result<Settings, Error> {
    let ttl = match delivery.offline_keep {
        None => -1,
        Some(keep) => {
            let ms = i64::try_from(keep.as_millis()).unwrap_or(i64::MAX);
            if ms > MAX_TTL_MS {
                return Err(Error::InvalidRequest {
                    reason: format!(
                        "REST V2 keeps messages for offline users at most 3 days; this push asks for {}",
                        humanize(keep)
                    ),
                });
            }
            ms
        }
    };
    Ok(Settings {
        ttl: Some(ttl),
        speed: delivery.speed.map(i64::from),
        ..Settings::default()
    })
}

fn humanize(keep: std::time::Duration) -> String {
    let hours = keep.as_secs() / 3600;
    if hours >= 24 && hours.is_multiple_of(24) {
        format!("{} days", hours / 24)
    } else {
        format!("{hours} hours")
    }
}

/// `push_message` and `push_channel` of a template.
fn message(
    template: &PushTemplate,
    delivery: &Delivery,
) -> Result<(PushMessage, Option<PushChannel>), Error> {
    if template.sms.is_some() {
        return Err(refused(
            "REST V2 has no SMS fallback; a template with `sms` needs a legacy target",
        ));
    }
    let content = &template.transmission_content;
    let mut message = PushMessage {
        network_type: match delivery.network {
            Network::Any => None,
            Network::WifiOnly => Some(1),
            Network::MobileOnly => {
                return Err(refused(
                    "REST V2 cannot limit a push to mobile networks (only Wi-Fi or any)",
                ));
            }
        },
        duration: template
            .display_window
            .map(|w| format!("{}-{}", w.begin_ms, w.end_ms)),
        ..PushMessage::default()
    };
    match &template.kind {
        TemplateKind::Transmission => message.transmission = Some(content.clone()),
        TemplateKind::Notification(notice) => {
            let mut shown = notification(notice);
            if content.is_empty() {
                shown.click_type = CLICK_STARTAPP.to_owned();
            } else {
                shown.click_type = CLICK_PAYLOAD.to_owned();
                shown.payload = Some(content.clone());
            }
            message.notification = Some(shown);
        }
        TemplateKind::Link { notice, url } => {
            if !content.is_empty() {
                return Err(refused(
                    "a REST V2 notification that opens a URL carries no payload for the app; drop the transmission content or use a notification",
                ));
            }
            let mut shown = notification(notice);
            shown.click_type = CLICK_URL.to_owned();
            shown.url = Some(url.clone());
            message.notification = Some(shown);
        }
        TemplateKind::Popload(_) => {
            return Err(refused(
                "REST V2 has no popload (download pop-up) notification; it needs a legacy target",
            ));
        }
    }
    let channel = PushChannel {
        ios: template.apns.as_ref().map(ios).transpose()?,
        android: template.vendor.as_ref().and_then(android).map(json),
        harmony: template.vendor.as_ref().and_then(harmony).map(json),
    };
    let said = channel.ios.is_some() || channel.android.is_some() || channel.harmony.is_some();
    Ok((message, said.then_some(channel)))
}

/// The typed wire forms of `push_channel.android` and `.harmony` as the JSON they are kept as.
fn json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// `push_channel.android`: the makers' notification and, per vendor, the keys of the class
/// and of `vendors:`. A push that shows nothing offline (a transmission template without
/// `android:`) carries none: the keys say how to show a notification there is not.
fn android(vendor: &VendorChannels) -> Option<AndroidChannel> {
    let notice = vendor.notice.as_ref()?;
    let mut shown = ThirdNotification {
        title: notice.title.clone(),
        body: notice.text.clone(),
        ..ThirdNotification::default()
    };
    match &notice.click {
        VendorClick::OpenApp => shown.click_type = CLICK_STARTAPP.to_owned(),
        VendorClick::Url(url) => {
            shown.click_type = CLICK_URL.to_owned();
            shown.url = Some(url.clone());
        }
        VendorClick::Intent(intent) => {
            shown.click_type = CLICK_INTENT.to_owned();
            shown.intent = Some(intent.clone());
        }
        VendorClick::Payload(payload) => {
            shown.click_type = CLICK_PAYLOAD.to_owned();
            shown.payload = Some(payload.clone());
        }
    }
    let mut options: BTreeMap<String, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
    for (vendor, key, value) in vendor.options() {
        let value = match value {
            OptionValue::Text(text) => serde_json::Value::from(text),
            OptionValue::Number(number) => serde_json::Value::from(number),
        };
        options
            .entry(vendor.constraint().to_owned())
            .or_default()
            .insert(key.to_owned(), value);
    }
    Some(AndroidChannel {
        ups: Some(Ups {
            notification: Some(shown),
            transmission: None,
            options,
            revoke: None,
        }),
    })
}

/// `push_channel.harmony`, when the template has a `harmony:` notification.
fn harmony(vendor: &VendorChannels) -> Option<HarmonyChannel> {
    let notice = vendor.harmony.as_ref()?;
    Some(HarmonyChannel {
        notification: Some(HarmonyNotification {
            title: notice.title.clone(),
            body: notice.text.clone(),
            category: notice.category.clone(),
            click_type: if notice.payload.is_some() {
                CLICK_PAYLOAD
            } else {
                CLICK_STARTAPP
            }
            .to_owned(),
            payload: notice.payload.clone(),
        }),
        ..HarmonyChannel::default()
    })
}

/// `settings.strategy`: `default` and each vendor that sets one; `None` leaves Getui's own.
fn strategy(vendor: &VendorChannels) -> Option<serde_json::Value> {
    let mut map = serde_json::Map::new();
    if let Some(default) = vendor.default_strategy {
        map.insert("default".to_owned(), default.code().into());
    }
    for (vendor, strategy) in &vendor.strategies {
        map.insert(vendor.strategy_key().to_owned(), strategy.code().into());
    }
    (!map.is_empty()).then_some(serde_json::Value::Object(map))
}

fn refused(reason: &str) -> Error {
    Error::InvalidRequest {
        reason: reason.to_owned(),
    }
}

fn notification(notice: &Notice) -> Notification {
    let filled = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    let (big_text, big_image) = match &notice.style {
        NotifyStyle::Style6(BigStyle::Text { text }) => (filled(text), None),
        NotifyStyle::Style6(BigStyle::Image { image_url })
        | NotifyStyle::Style6(BigStyle::Banner { image_url, .. }) => (None, filled(image_url)),
        NotifyStyle::Style4 { banner_url } => (None, filled(banner_url)),
        NotifyStyle::Basic | NotifyStyle::Style0 | NotifyStyle::Style1 => (None, None),
    };
    Notification {
        title: notice.title.clone(),
        body: notice.text.clone(),
        big_text,
        big_image,
        logo: filled(&notice.logo),
        logo_url: filled(&notice.logo_url),
        channel_level: Some(if notice.ring || notice.vibrate { 3 } else { 2 }),
        ..Notification::default()
    }
}

/// `push_channel.ios`. The APNs payload is first checked by the legacy rules (an alert, a
/// badge or a sound; the size limit), so both backends refuse the same payloads. Custom keys
/// travel as `payload`, a JSON object in text.
fn ios(apns: &ApnsPayload) -> Result<Ios, Error> {
    apns_json(apns)?;
    let alert = match &apns.alert {
        Some(ApnsAlert::Simple(text)) if !text.is_empty() => Some(Alert {
            body: Some(text.clone()),
            ..Alert::default()
        }),
        Some(ApnsAlert::Dictionary {
            title,
            body,
            subtitle,
        }) => Some(Alert {
            title: title.clone().filter(|t| !t.is_empty()),
            body: body.clone().filter(|t| !t.is_empty()),
            subtitle: subtitle.clone().filter(|t| !t.is_empty()),
        }),
        _ => None,
    };
    let custom: serde_json::Map<String, serde_json::Value> = apns
        .custom
        .iter()
        .filter(|(key, value)| !key.is_empty() && !value.is_null())
        .cloned()
        .collect();
    Ok(Ios {
        kind: Some("notify".to_owned()),
        aps: Some(Aps {
            alert,
            content_available: apns.content_available.then_some(1),
            sound: apns.sound.clone().filter(|s| !s.is_empty()),
            category: apns.category.clone().filter(|c| !c.is_empty()),
        }),
        auto_badge: apns.badge.as_ref().map(|badge| match badge {
            ApnsBadge::Set(count) => count.to_string(),
            ApnsBadge::Auto(change) => change.clone(),
        }),
        payload: (!custom.is_empty()).then(|| serde_json::Value::Object(custom).to_string()),
    })
}

/// The V2 conditions (`audience.tag`, `/user/count`) of domain conditions, as
/// [`conditions_to_wire`] writes them; a region with no code is refused before sending.
pub fn conditions(conditions: &[Condition]) -> Result<Vec<wire::Condition>, Error> {
    conditions_to_wire(conditions).map_err(|error| Error::InvalidRequest {
        reason: match error {
            UnknownV2Condition::Region(name) => {
                format!(
                    "the region `{name}` has no REST V2 region code (provinces and prefecture-level cities only)"
                )
            }
            other => other.to_string(),
        },
    })
}
