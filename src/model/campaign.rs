//! `Campaign`: a template sent to an audience on a schedule.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Audience, Duration, Instant, Ref, Template};

/// A template sent to an audience, once or on a recurring schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// The document's kind; accepted here so a document can be read straight into this type.
    #[serde(rename = "kind", default, skip_serializing)]
    #[schemars(skip)]
    pub document_kind: Option<String>,
    /// Unique among campaigns: lowercase letters, digits and `-`, at most 40 characters.
    /// It names the pushes in plans and state, so renaming a campaign replaces its pushes
    /// unless a `Moved` document says where it went.
    #[serde(default)]
    #[schemars(example = &"weekly-digest")]
    pub name: String,
    /// What the campaign is for, for reviewers; never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"The Friday digest of new arrivals.")]
    pub description: Option<String>,
    /// Who to ask about this campaign (a person or a team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"growth-team")]
    pub owner: Option<String>,
    /// Free-form key/value labels, for filtering and reports.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = serde_json::json!({"team": "growth"}))]
    pub labels: BTreeMap<String, String>,
    /// `false` cancels the campaign's future pushes and creates no new ones.
    #[serde(default = "yes")]
    #[schemars(default = "yes")]
    #[schemars(example = false)]
    pub enabled: bool,
    /// `true`: a plan that would cancel or replace one of its scheduled pushes stops, unless
    /// run with `--allow-cancel` naming the campaign. Defaults to `defaults.protect`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = true)]
    pub protect: Option<bool>,
    /// The template to send: the name of a Template, or a template written in place.
    #[schemars(example = &"weekly-digest")]
    pub template: Ref<Template>,
    /// Who receives it: the name of an Audience, or an audience written in place.
    #[schemars(example = &"zhejiang-shoppers")]
    pub audience: Ref<Audience>,
    /// When to send: `at` one instant, or `cron` with a `timezone`.
    #[schemars(example = serde_json::json!({"cron": "0 20 * * 5", "timezone": "Asia/Shanghai"}))]
    pub schedule: Schedule,
    /// How Getui delivers the push.
    #[serde(default, skip_serializing_if = "Delivery::is_default")]
    #[schemars(example = serde_json::json!({"offline_keep": "2h", "network": "wifi"}))]
    pub delivery: Delivery,
}

fn yes() -> bool {
    true
}

/// When a campaign sends: `at` one instant, or every time a `cron` rule matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// One send, at this instant: RFC 3339 with an offset, such as `2026-12-01T10:00:00+08:00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"2040-12-11T20:00:00+08:00")]
    pub at: Option<Instant>,
    /// A standard five-field cron rule (minute hour day-of-month month day-of-week, where
    /// 0 and 7 are Sunday and 1 is Monday), read in `timezone`. `0 10 * * 1` is every
    /// Monday at 10:00.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"0 10 * * 1")]
    pub cron: Option<String>,
    /// IANA time zone the cron rule is read in, such as `Asia/Shanghai` or `Europe/Berlin`.
    /// Defaults to the workspace's `defaults.timezone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"Asia/Shanghai")]
    pub timezone: Option<String>,
    /// First day (`2026-12-01`, midnight in `timezone`) or instant the cron rule may fire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"2026-12-01")]
    pub from: Option<DateOrDateTime>,
    /// Last day (`2027-01-31`, through its end in `timezone`) or instant the cron rule may fire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"2027-01-31")]
    pub until: Option<DateOrDateTime>,
}

/// How Getui delivers a campaign's pushes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// How long Getui keeps the push for phones that are offline, from 1h to 72h.
    /// Defaults to the workspace's `defaults.offline_keep`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"2h")]
    pub offline_keep: Option<Duration>,
    /// Deliver over `any` network, `wifi` only or `cellular` only.
    #[serde(default)]
    #[schemars(example = &"wifi")]
    pub network: Network,
    /// At most this many messages a second; unset sends as fast as Getui can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    #[schemars(example = 1_000)]
    pub speed: Option<u32>,
    /// A name that groups the campaign's pushes in Getui's reports, at most 23 characters.
    /// gtcamp appends `-` and 16 hex digits that identify each send (so a send whose answer
    /// was lost can be found again), which keeps the whole within Getui's 40.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 23))]
    #[schemars(example = &"weekly-digest")]
    pub task_group: Option<String>,
}

impl Delivery {
    fn is_default(&self) -> bool {
        *self == Delivery::default()
    }
}

/// Which networks a push may be delivered over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    /// Any network.
    #[default]
    Any,
    /// Wi-Fi only.
    Wifi,
    /// Mobile data only.
    Cellular,
}

/// A day (read in the campaign's time zone) or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrDateTime {
    Date(NaiveDate),
    Instant(Instant),
}

impl Serialize for DateOrDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DateOrDateTime::Date(d) => serializer.collect_str(&d.format("%Y-%m-%d")),
            DateOrDateTime::Instant(i) => i.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for DateOrDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        if let Ok(date) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            return Ok(DateOrDateTime::Date(date));
        }
        Instant::parse(&text).map(DateOrDateTime::Instant).map_err(|_| {
            serde::de::Error::custom(format!(
                "`{text}` is neither a day nor an instant: write `2026-12-01`, or RFC 3339 with an offset such as `2026-12-01T10:00:00+08:00`"
            ))
        })
    }
}

impl JsonSchema for DateOrDateTime {
    fn schema_name() -> Cow<'static, str> {
        "DateOrDateTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A day such as 2026-12-01, or an instant in RFC 3339 with an offset.",
            "anyOf": [
                { "format": "date" },
                { "format": "date-time" }
            ],
            "examples": ["2026-12-01", "2026-12-01T10:00:00+08:00"]
        })
    }
}
