//! The vendor parts of a V2 push (`getui-protocol.md` H): `push_channel.android.ups`,
//! `push_channel.harmony` and `settings.strategy`, checked and kept with the task as sent.
//!
//! What is refused (20001, the message naming the field), each from the official V2 Java
//! SDK (\[J\], `shared/reference/getui-pushapi-java-client-v2`) or H:
//!
//! | field | refused when | source |
//! | --- | --- | --- |
//! | `android`, `ups`, `harmony`, their notifications | not of the SDK's shape (an option that is no object, a title that is no text, a notification without title, body or click type) | \[J\] `AndroidDTO`, `Ups`, `ThirdNotification`, `HarmonyDTO`, `HarmonyNotification` |
//! | `ups` | both a notification and a transmission, or neither (nor a revoke) | \[J\] `Ups`: "二选一，两个都填写时报错" |
//! | `ups.transmission` | over 3072 characters | \[J\] `Ups` |
//! | `ups.notification` | title 1–50, body 1–256 characters; click type not one of \[J\]'s six; its intent (≤ 4096), url (≤ 1024) or payload (≤ 3072) missing or too long | \[J\] `ThirdNotification`, `CommonEnum.ClickTypeEnum` |
//! | `ups.options` | a constraint not in H's list | H, \[J\] `Ups.addOption` |
//! | `harmony` | more than one of notification, transmission, custom, revoke | \[J\] `HarmonyDTO`: "四选一，都填写时报错" |
//! | `harmony.notification` | title and body as above, category over 50, click type not `want`, `startapp` or `payload` | \[J\] `HarmonyNotification`, `HarmonyClickTypeEnum` |
//! | `settings.strategy` | not an object; a key not in \[J\] `Strategy` (with `xmg`, `opg`, and smart quota's settings); a value not 1–4 (6 for `xm`, `vv`, `op`) | \[J\] `Strategy`, H |
//!
//! Accepted without a rule, because Getui documents none: the key paths inside an option
//! (`/message/android/category`…) and their values, and fields the SDK classes do not name
//! (kept as sent, not read).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Refusal;
use crate::emulator::records::VendorPush;
use crate::getui::v2::wire::{
    AndroidChannel, CLICK_INTENT, CLICK_NONE, CLICK_PAYLOAD, CLICK_PAYLOAD_CUSTOM, CLICK_STARTAPP,
    CLICK_URL, HarmonyChannel, PushRequest, STRATEGY_KEYS, STRATEGY_SMART_QUOTA_KEYS,
    STRATEGY_SMART_QUOTA_SETTINGS, ThirdNotification, UPS_CONSTRAINTS, Ups,
};

/// Harmony's click type that opens a page of the app (\[J\] `HarmonyClickTypeEnum`).
const HARMONY_CLICK_WANT: &str = "want";

/// Checks the vendor parts of `push` and returns them as the task keeps them.
pub(super) fn check(push: &PushRequest) -> Result<VendorPush, Refusal> {
    let channel = push.push_channel.as_ref();
    let mut ups = None;
    if let Some(android) = channel.and_then(|c| c.android.as_ref()) {
        let typed: AndroidChannel = typed(android, "push_channel.android")?;
        if let Some(checked) = typed.ups {
            check_ups(&checked)?;
            ups = Some(checked);
        }
    }
    let harmony = match channel.and_then(|c| c.harmony.as_ref()) {
        Some(value) => {
            let typed: HarmonyChannel = typed(value, "push_channel.harmony")?;
            check_harmony(&typed)?;
            Some(typed)
        }
        None => None,
    };
    let strategy = match push.settings.as_ref().and_then(|s| s.strategy.as_ref()) {
        Some(value) => check_strategy(value)?,
        None => BTreeMap::new(),
    };
    Ok(VendorPush {
        ups,
        harmony,
        strategy,
    })
}

/// `value` as the SDK's type, or 20001 naming `field` and what serde found wrong.
fn typed<T: DeserializeOwned>(value: &Value, field: &str) -> Result<T, Refusal> {
    serde_json::from_value(value.clone())
        .map_err(|e| Refusal::invalid(format!("{field} is not as Getui documents it: {e}")))
}

/// Refuses `text` unless it has `min` to `max` characters.
fn length(text: &str, field: &str, min: usize, max: usize) -> Result<(), Refusal> {
    if (min..=max).contains(&text.chars().count()) {
        Ok(())
    } else {
        Err(Refusal::invalid(format!(
            "{field} is text of {min} to {max} characters"
        )))
    }
}

fn check_ups(ups: &Ups) -> Result<(), Refusal> {
    const FIELD: &str = "push_channel.android.ups";
    let (shown, passed) = (ups.notification.is_some(), ups.transmission.is_some());
    if (shown && passed) || !(shown || passed || ups.revoke.is_some()) {
        return Err(Refusal::invalid(format!(
            "{FIELD} has exactly one of a notification and a transmission"
        )));
    }
    if let Some(notification) = &ups.notification {
        check_notification(notification)?;
    }
    if let Some(transmission) = &ups.transmission {
        length(transmission, &format!("{FIELD}.transmission"), 0, 3072)?;
    }
    if let Some(unknown) = ups
        .options
        .keys()
        .find(|constraint| !UPS_CONSTRAINTS.contains(&constraint.as_str()))
    {
        return Err(Refusal::invalid(format!(
            "{FIELD}.options has an unknown constraint `{unknown}` (one of {})",
            UPS_CONSTRAINTS.join(", ")
        )));
    }
    Ok(())
}

fn check_notification(notification: &ThirdNotification) -> Result<(), Refusal> {
    const FIELD: &str = "push_channel.android.ups.notification";
    length(&notification.title, &format!("{FIELD}.title"), 1, 50)?;
    length(&notification.body, &format!("{FIELD}.body"), 1, 256)?;
    let needed = match notification.click_type.as_str() {
        CLICK_INTENT => Some((&notification.intent, CLICK_INTENT, 4096)),
        CLICK_URL => Some((&notification.url, CLICK_URL, 1024)),
        CLICK_PAYLOAD | CLICK_PAYLOAD_CUSTOM => Some((&notification.payload, CLICK_PAYLOAD, 3072)),
        CLICK_STARTAPP | CLICK_NONE => None,
        _ => {
            return Err(Refusal::invalid(format!(
                "{FIELD}.click_type is intent, url, payload, payload_custom, startapp or none"
            )));
        }
    };
    if let Some((value, name, max)) = needed {
        let value = value.as_deref().unwrap_or_default();
        length(value, &format!("{FIELD}.{name}"), 1, max)?;
    }
    Ok(())
}

fn check_harmony(harmony: &HarmonyChannel) -> Result<(), Refusal> {
    const FIELD: &str = "push_channel.harmony";
    let given = [
        harmony.notification.is_some(),
        harmony.transmission.is_some(),
        harmony.custom.is_some(),
        harmony.revoke.is_some(),
    ];
    if given.iter().filter(|&&g| g).count() > 1 {
        return Err(Refusal::invalid(format!(
            "{FIELD} has one of a notification, a transmission, a custom message or a revoke"
        )));
    }
    if let Some(transmission) = &harmony.transmission {
        length(transmission, &format!("{FIELD}.transmission"), 0, 3072)?;
    }
    let Some(notification) = &harmony.notification else {
        return Ok(());
    };
    let field = format!("{FIELD}.notification");
    length(&notification.title, &format!("{field}.title"), 1, 50)?;
    length(&notification.body, &format!("{field}.body"), 1, 256)?;
    length(&notification.category, &format!("{field}.category"), 0, 50)?;
    match notification.click_type.as_str() {
        HARMONY_CLICK_WANT | CLICK_STARTAPP | CLICK_PAYLOAD => Ok(()),
        _ => Err(Refusal::invalid(format!(
            "{field}.click_type is want, startapp or payload"
        ))),
    }
}

fn check_strategy(strategy: &Value) -> Result<BTreeMap<String, i64>, Refusal> {
    const FIELD: &str = "settings.strategy";
    let entries: BTreeMap<String, Value> = typed(strategy, FIELD)?;
    let mut checked = BTreeMap::new();
    for (key, value) in entries {
        let number = value.as_i64();
        let fits = if STRATEGY_SMART_QUOTA_SETTINGS.contains(&key.as_str()) {
            number.is_some()
        } else if STRATEGY_KEYS.contains(&key.as_str()) {
            let smart = STRATEGY_SMART_QUOTA_KEYS.contains(&key.as_str());
            number.is_some_and(|n| (1..=4).contains(&n) || (smart && n == 6))
        } else {
            return Err(Refusal::invalid(format!(
                "{FIELD} has an unknown key `{key}` (one of {})",
                STRATEGY_KEYS.join(", ")
            )));
        };
        match number {
            Some(n) if fits => {
                checked.insert(key, n);
            }
            _ => {
                return Err(Refusal::invalid(format!(
                    "{FIELD}.{key} is 1, 2, 3 or 4 (6 for xm, vv and op)"
                )));
            }
        }
    }
    Ok(checked)
}
