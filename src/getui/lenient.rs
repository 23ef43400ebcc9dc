//! Deserializers that accept the forms real clients send (`getui-protocol.md` A.8): `"true"`
//! for `true`, `"42"` for `42`, numbers for strings.
//!
//! A leaf of `getui/`: the wire bodies ([`super::wire`]), the result codes ([`super::codes`])
//! and [`super::sign::Secret`] all decode through these, and none of them is needed here, so
//! the three stay free of each other.

use serde::Deserialize;
use serde::de::{Deserializer, Error};
use serde_json::Value;

fn text_of(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A string, or a number or bool written as text.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let value = Value::deserialize(deserializer)?;
    match value {
        Value::Null => Ok(String::new()),
        other => text_of(other).ok_or_else(|| D::Error::custom("expected a string")),
    }
}

/// Like [`string`], `null` or missing as `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    match value {
        Value::Null => Ok(None),
        other => text_of(other)
            .map(Some)
            .ok_or_else(|| D::Error::custom("expected a string")),
    }
}

fn bool_of(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" | "" => Some(false),
            _ => None,
        },
        Value::Number(number) => number.as_i64().map(|n| n != 0),
        Value::Null => Some(false),
        _ => None,
    }
}

/// A bool, or `"true"`/`"false"` in any case, or 1/0.
pub fn bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    let value = Value::deserialize(deserializer)?;
    bool_of(&value).ok_or_else(|| D::Error::custom("expected a boolean"))
}

/// Like [`bool()`], `null` or missing as `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        return Ok(None);
    }
    bool_of(&value)
        .map(Some)
        .ok_or_else(|| D::Error::custom("expected a boolean"))
}

fn i64_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64().or_else(|| {
            number
                .as_f64()
                .filter(|f| f.fract() == 0.0)
                .map(|f| f as i64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A list whose elements decode as `T`; elements that do not, and a value that is not a
/// list, are dropped rather than failing the whole answer.
pub fn entries<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    let Value::Array(items) = value else {
        return Ok(Vec::new());
    };
    Ok(items
        .into_iter()
        .filter_map(|item| serde_json::from_value(item).ok())
        .collect())
}

/// A count (a non-negative integer), or a count written as text as Getui's report examples
/// write them (`"sent":"12"`); `null`, missing or `""` as `None`. Anything else, a negative
/// number included, is an error, so that [`entries`] drops the entry rather than read a
/// wrong figure.
pub fn opt_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    match &value {
        Value::Null => Ok(None),
        Value::String(text) if text.trim().is_empty() => Ok(None),
        _ => i64_of(&value)
            .and_then(|n| u64::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| D::Error::custom("expected a count")),
    }
}

/// An integer, or an integer written as text.
pub fn i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        return Ok(0);
    }
    i64_of(&value).ok_or_else(|| D::Error::custom("expected an integer"))
}

/// Like [`i64()`], `null` or missing as `None`.
pub fn opt_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        return Ok(None);
    }
    i64_of(&value)
        .map(Some)
        .ok_or_else(|| D::Error::custom("expected an integer"))
}
