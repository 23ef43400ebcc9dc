//! Instants as authors write them: RFC 3339 with an offset. Campaigns' schedules and
//! templates' display windows both use them.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant written in RFC 3339 with its offset, such as `2026-12-01T10:00:00+08:00`.
///
/// The offset is required: a send time that silently meant UTC, or the machine's zone,
/// would reach users hours off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Instant(pub DateTime<FixedOffset>);

impl Instant {
    pub fn parse(text: &str) -> Result<Self, String> {
        DateTime::parse_from_rfc3339(text).map(Instant).map_err(|_| {
            format!(
                "`{text}` is not an instant: write RFC 3339 with an offset, such as `2026-12-01T10:00:00+08:00`"
            )
        })
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        Instant::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Instant {
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 with an offset, such as 2026-12-01T10:00:00+08:00.",
            "examples": ["2026-12-01T10:00:00+08:00"]
        })
    }
}
