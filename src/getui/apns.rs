//! The APNs JSON carried in `PushInfo.apnJson`, written exactly as the official SDK writes it.
//!
//! The server only needs valid JSON, but the SDK's text is the reference: Python's
//! `json.dumps` with its default separators (`", "`, `": "`) and `ensure_ascii` escapes. Writing
//! the same bytes lets the parity test compare whole messages instead of parsing this string.

use serde_json::{Map, Value, json};

use crate::getui::error::Error;
use crate::getui::template::{ApnsAlert, ApnsBadge, ApnsPayload};

/// The SDK's limit on the APNs JSON, in characters.
pub const APNS_JSON_LIMIT: usize = 3072;

/// The APNs JSON text of `payload`, keys in the SDK's order.
pub fn apns_json(payload: &ApnsPayload) -> Result<String, Error> {
    let mut aps = Map::new();
    match &payload.alert {
        Some(ApnsAlert::Simple(text)) if !text.is_empty() => {
            aps.insert("alert".into(), json!(text));
        }
        Some(ApnsAlert::Dictionary {
            title,
            body,
            subtitle,
        }) => {
            let mut alert = Map::new();
            for (key, value) in [("title", title), ("body", body), ("subtitle", subtitle)] {
                if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                    alert.insert(key.into(), json!(value));
                }
            }
            if !alert.is_empty() {
                aps.insert("alert".into(), Value::Object(alert));
            }
        }
        _ => {}
    }
    match &payload.badge {
        Some(ApnsBadge::Auto(change)) => {
            aps.insert("autoBadge".into(), json!(change));
        }
        Some(ApnsBadge::Set(count)) => {
            aps.insert("badge".into(), json!(count));
        }
        None => {}
    }
    if let Some(sound) = payload.sound.as_ref().filter(|s| !s.is_empty()) {
        aps.insert("sound".into(), json!(sound));
    }
    if aps.is_empty() {
        return Err(Error::InvalidRequest {
            reason: "an APNs payload needs an alert, a badge or a sound".into(),
        });
    }
    if payload.content_available {
        aps.insert("content-available".into(), json!(1));
    }
    if let Some(category) = payload.category.as_ref().filter(|c| !c.is_empty()) {
        aps.insert("category".into(), json!(category));
    }
    let mut top = Map::new();
    for (key, value) in &payload.custom {
        if !key.is_empty() && !value.is_null() {
            top.insert(key.clone(), value.clone());
        }
    }
    top.insert("aps".into(), Value::Object(aps));
    let text = python_json(&Value::Object(top));
    let length = text.chars().count();
    if length > APNS_JSON_LIMIT {
        return Err(Error::InvalidRequest {
            reason: format!(
                "the APNs payload is {length} characters, over the limit of {APNS_JSON_LIMIT}"
            ),
        });
    }
    Ok(text)
}

/// JSON text as Python's `json.dumps(value)` writes it.
pub fn python_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_string(key, out);
                out.push_str(": ");
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            ' '..='~' => out.push(ch),
            _ => {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_json_escapes_like_json_dumps() {
        let value = json!({"a": "中😀\"\n", "b": [1, true, null]});
        assert_eq!(
            python_json(&value),
            r#"{"a": "\u4e2d\ud83d\ude00\"\n", "b": [1, true, null]}"#
        );
    }

    #[test]
    fn apns_json_puts_custom_keys_before_aps() {
        let payload = ApnsPayload {
            alert: Some(ApnsAlert::Dictionary {
                title: Some("T".into()),
                body: Some("B".into()),
                subtitle: None,
            }),
            badge: Some(ApnsBadge::Auto("+1".into())),
            sound: Some("ping.caf".into()),
            category: Some("promo".into()),
            content_available: true,
            custom: vec![("deeplink".into(), json!("app://x"))],
        };
        assert_eq!(
            apns_json(&payload).unwrap(),
            r#"{"deeplink": "app://x", "aps": {"alert": {"title": "T", "body": "B"}, "autoBadge": "+1", "sound": "ping.caf", "content-available": 1, "category": "promo"}}"#
        );
    }

    #[test]
    fn apns_json_refuses_an_empty_aps() {
        let error = apns_json(&ApnsPayload::default()).unwrap_err();
        assert!(error.to_string().contains("needs an alert"), "{error}");
    }
}
