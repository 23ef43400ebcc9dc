//! Audience conditions: the domain [`Condition`], its one translation to and from the wire,
//! and the region names Getui matches on.
//!
//! An app push and a user count pick users by conditions (protocol section C): a key
//! (`phoneType`, `region` or `tag`), values, and how the values combine (`optType` 0 = or,
//! 1 = and, 2 = not). The client writes them with [`to_wire`] and the emulator reads them with
//! [`from_wire`]; both directions come from the same two mappings ([`Dimension::wire_key`],
//! [`Combine::opt_type`]), so the two sides cannot spell a key differently.
//!
//! The types also derive serde for one reader: the emulator keeps the conditions of each task
//! in its store as `{"key": "phone_type", "values": […], "combine": "any"}`. That form is
//! saved on disk, so renaming a field or variant here would make existing stores unreadable.

use serde::{Deserialize, Serialize};

use crate::getui::wire;

/// One audience condition: users whose `dimension` matches `values` as `combine` says.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Condition {
    #[serde(rename = "key")]
    pub dimension: Dimension,
    pub values: Vec<String>,
    pub combine: Combine,
}

/// What a condition looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// `ANDROID`, `IOS`.
    PhoneType,
    /// Province names.
    Region,
    /// Custom tags.
    Tag,
}

/// How a condition's values combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// Any value matches (or).
    Any,
    /// Every value matches (and).
    All,
    /// No value matches (not).
    None,
}

/// A wire condition that names no [`Dimension`] or [`Combine`]; a server answers it `Error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownCondition {
    #[error("unknown condition key `{0}`")]
    Key(String),
    #[error("unknown condition optType {0}")]
    OptType(i64),
}

impl Dimension {
    const ALL: [Dimension; 3] = [Dimension::PhoneType, Dimension::Region, Dimension::Tag];

    /// The key as the legacy protocol spells it (`AppConditions` in the SDK).
    pub fn wire_key(self) -> &'static str {
        match self {
            Dimension::PhoneType => "phoneType",
            Dimension::Region => "region",
            Dimension::Tag => "tag",
        }
    }

    /// The dimension a wire key names.
    pub fn from_wire_key(key: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.wire_key() == key)
    }
}

impl Combine {
    const ALL: [Combine; 3] = [Combine::Any, Combine::All, Combine::None];

    /// The SDK's `OptType`: 0 = OR, 1 = AND, 2 = NOT.
    pub fn opt_type(self) -> i64 {
        match self {
            Combine::Any => 0,
            Combine::All => 1,
            Combine::None => 2,
        }
    }

    /// The combination an `optType` names.
    pub fn from_opt_type(opt_type: i64) -> Option<Combine> {
        Combine::ALL.into_iter().find(|c| c.opt_type() == opt_type)
    }
}

/// The `conditions` of a request.
pub fn to_wire(conditions: &[Condition]) -> Vec<wire::Condition> {
    conditions
        .iter()
        .map(|condition| wire::Condition {
            key: condition.dimension.wire_key().to_owned(),
            values: condition.values.clone(),
            opt_type: condition.combine.opt_type(),
        })
        .collect()
}

/// The conditions a request carries, refusing a key or `optType` the protocol does not have.
pub fn from_wire(conditions: &[wire::Condition]) -> Result<Vec<Condition>, UnknownCondition> {
    conditions
        .iter()
        .map(|c| {
            Ok(Condition {
                dimension: Dimension::from_wire_key(&c.key)
                    .ok_or_else(|| UnknownCondition::Key(c.key.clone()))?,
                values: c.values.clone(),
                combine: Combine::from_opt_type(c.opt_type)
                    .ok_or(UnknownCondition::OptType(c.opt_type))?,
            })
        })
        .collect()
}

/// The older flat filters of an app message (`phoneTypeList`, `provinceList`, `tagList`):
/// any value within a list. An empty list filters nothing: the SDK sends all three empty for
/// every user.
pub fn from_flat_lists(content: &wire::GetContentId) -> Vec<Condition> {
    [
        (Dimension::PhoneType, &content.phone_type_list),
        (Dimension::Region, &content.province_list),
        (Dimension::Tag, &content.tag_list),
    ]
    .into_iter()
    .filter_map(|(dimension, values)| {
        let values = values.as_ref().filter(|values| !values.is_empty());
        values.cloned().map(|values| Condition {
            dimension,
            values,
            combine: Combine::Any,
        })
    })
    .collect()
}

/// Administrative suffixes, longest first so `壮族自治区` wins over `自治区`.
const REGION_SUFFIXES: [&str; 7] = [
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "省",
    "市",
];

/// The short name of a province-level region, the form Getui's own examples use:
/// `浙江省` → `浙江`, `上海市` → `上海`, `广西壮族自治区` → `广西`.
///
/// The compiler sends regions in this form (so `浙江` and `浙江省` make the same request),
/// the checks and lints compare regions by it, and the emulator matches users by it.
pub fn region_name(region: &str) -> &str {
    let region = region.trim();
    REGION_SUFFIXES
        .iter()
        .find_map(|suffix| region.strip_suffix(suffix).filter(|rest| !rest.is_empty()))
        .unwrap_or(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_drop_their_administrative_suffix() {
        assert_eq!(region_name("浙江省"), "浙江");
        assert_eq!(region_name("上海市"), "上海");
        assert_eq!(region_name("广西壮族自治区"), "广西");
        assert_eq!(region_name("新疆维吾尔自治区"), "新疆");
        assert_eq!(region_name("香港特别行政区"), "香港");
        assert_eq!(region_name(" 浙江 "), "浙江");
        assert_eq!(region_name("市"), "市");
    }

    #[test]
    fn conditions_read_back_what_was_written() {
        let conditions: Vec<Condition> = Dimension::ALL
            .into_iter()
            .zip(Combine::ALL)
            .map(|(dimension, combine)| Condition {
                dimension,
                values: vec!["v".to_owned()],
                combine,
            })
            .collect();
        let wire = to_wire(&conditions);
        let keys: Vec<(&str, i64)> = wire.iter().map(|c| (c.key.as_str(), c.opt_type)).collect();
        assert_eq!(keys, [("phoneType", 0), ("region", 1), ("tag", 2)]);
        assert_eq!(from_wire(&wire), Ok(conditions));
    }

    #[test]
    fn unknown_keys_and_opt_types_are_refused() {
        let condition = |key: &str, opt_type| wire::Condition {
            key: key.to_owned(),
            values: Vec::new(),
            opt_type,
        };
        assert_eq!(
            from_wire(&[condition("favourite_colour", 0)]),
            Err(UnknownCondition::Key("favourite_colour".to_owned()))
        );
        assert_eq!(
            from_wire(&[condition("tag", 3)]),
            Err(UnknownCondition::OptType(3))
        );
    }

    #[test]
    fn the_stored_form_keeps_its_names() {
        let condition = Condition {
            dimension: Dimension::PhoneType,
            values: vec!["IOS".to_owned()],
            combine: Combine::None,
        };
        assert_eq!(
            serde_json::to_value(&condition).ok(),
            Some(serde_json::json!({"key": "phone_type", "values": ["IOS"], "combine": "none"}))
        );
    }
}
