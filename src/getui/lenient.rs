//! Deserializers that accept the forms real clients send (`getui-protocol.md` A.8): `"true"`
//! for `true`, `"42"` for `42`, numbers for strings.
//!
//! A leaf of `getui/`: the wire bodies ([`super::wire`]), the result codes ([`super::codes`])
//! and [`super::sign::Secret`] all decode through these, and none of them is needed here, so
//! the three stay free of each other.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

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

/// A value read as [`string`] reads it, for a `next_value` of a hand-written visitor.
#[derive(Debug, Default, Deserialize)]
pub struct Text(#[serde(deserialize_with = "string")] pub String);

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

/// Like [`entries`], but each element is decoded from its own text rather than from a
/// `Value` tree: for the long lists of report answers. Only for fields that serde_json
/// reads straight from the answer (no `flatten` above them), where raw text is at hand.
pub fn entries_from_text<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let list = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
    let Ok(items) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(list.get()) else {
        return Ok(Vec::new());
    };
    Ok(items
        .into_iter()
        .filter_map(|item| serde_json::from_str(item.get()).ok())
        .collect())
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
    count_of(&value).map_err(|NotACount| D::Error::custom("expected a count"))
}

/// A value that [`count_of`] cannot read as a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotACount;

/// [`opt_count`]'s reading of a value already read.
pub fn count_of(value: &Value) -> Result<Option<u64>, NotACount> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) if text.trim().is_empty() => Ok(None),
        _ => i64_of(value)
            .and_then(|n| u64::try_from(n).ok())
            .map(Some)
            .ok_or(NotACount),
    }
}

/// A flat object of counts, as report answers give each channel: the values of the keys
/// `names` asks for, in that order, and every other key as it came.
#[derive(Debug)]
pub struct CountsObject<const N: usize> {
    /// The value under each of `names`, if present.
    pub named: [Option<Value>; N],
    pub others: Map<String, Value>,
    /// Whether the value was an object at all.
    pub was_object: bool,
}

/// Reads a [`CountsObject`] straight from the answer's text: a report of 200 tasks has
/// thousands of these, and a `Value` tree of each (or serde's `flatten`, which buffers)
/// would cost more than the rest of the call. A value that is not an object reads as an
/// empty one with `was_object` false, for the caller to judge.
pub fn counts_object<'de, D: Deserializer<'de>, const N: usize>(
    deserializer: D,
    names: [&'static str; N],
) -> Result<CountsObject<N>, D::Error> {
    deserializer.deserialize_any(CountsVisitor { names })
}

struct CountsVisitor<const N: usize> {
    names: [&'static str; N],
}

impl<const N: usize> CountsVisitor<N> {
    fn not_an_object<E>(self) -> Result<CountsObject<N>, E> {
        Ok(CountsObject {
            named: std::array::from_fn(|_| None),
            others: Map::new(),
            was_object: false,
        })
    }
}

impl<'de, const N: usize> Visitor<'de> for CountsVisitor<N> {
    type Value = CountsObject<N>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of counts")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut read = CountsObject {
            named: std::array::from_fn(|_| None),
            others: Map::new(),
            was_object: true,
        };
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<Value>()?;
            match self.names.iter().position(|name| *name == key) {
                Some(slot) => read.named[slot] = Some(value),
                None => {
                    read.others.insert(key, value);
                }
            }
        }
        Ok(read)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.not_an_object()
    }

    fn visit_bool<E: Error>(self, _: bool) -> Result<Self::Value, E> {
        self.not_an_object()
    }

    fn visit_i64<E: Error>(self, _: i64) -> Result<Self::Value, E> {
        self.not_an_object()
    }

    fn visit_u64<E: Error>(self, _: u64) -> Result<Self::Value, E> {
        self.not_an_object()
    }

    fn visit_f64<E: Error>(self, _: f64) -> Result<Self::Value, E> {
        self.not_an_object()
    }

    fn visit_str<E: Error>(self, _: &str) -> Result<Self::Value, E> {
        self.not_an_object()
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        self.not_an_object()
    }

    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        self.not_an_object()
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
