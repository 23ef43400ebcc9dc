//! Audience conditions: the domain [`Condition`], its one translation to and from the wire,
//! and how the legacy side reads region names.
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

pub use crate::getui::regions::region_name;
use crate::getui::{regions, wire};

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
    /// A prefecture-level city: the legacy protocol documents province names only.
    #[error("`{0}` is a city; the legacy protocol filters by province only")]
    City(String),
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

/// The conditions a request carries, refusing a key or `optType` the protocol does not have
/// and a region it does not document ([`legacy_region`]).
pub fn from_wire(conditions: &[wire::Condition]) -> Result<Vec<Condition>, UnknownCondition> {
    conditions
        .iter()
        .map(|c| {
            let dimension = Dimension::from_wire_key(&c.key)
                .ok_or_else(|| UnknownCondition::Key(c.key.clone()))?;
            Ok(Condition {
                dimension,
                values: legacy_values(dimension, &c.values)?,
                combine: Combine::from_opt_type(c.opt_type)
                    .ok_or(UnknownCondition::OptType(c.opt_type))?,
            })
        })
        .collect()
}

/// The values of a legacy condition, regions read by [`legacy_region`].
fn legacy_values(dimension: Dimension, values: &[String]) -> Result<Vec<String>, UnknownCondition> {
    match dimension {
        Dimension::Region => values.iter().map(|v| legacy_region(v)).collect(),
        _ => Ok(values.to_vec()),
    }
}

/// A region as the legacy protocol reads it: a province name, with or without its suffix
/// (`吉林市` is 吉林 here, as Getui's examples strip 省/市, G.12), in its canonical short
/// form. A prefecture-level city is refused: section C documents province names only, so
/// the emulator does not promise cities on legacy. Any other name is kept as written and
/// matches only devices whose region reads the same.
pub fn legacy_region(value: &str) -> Result<String, UnknownCondition> {
    let province = regions::lookup(region_name(value)).filter(|r| !r.is_city());
    if let Some(province) = province {
        return Ok(province.canonical().to_owned());
    }
    if regions::lookup(value).is_some_and(|r| r.is_city()) {
        return Err(UnknownCondition::City(value.trim().to_owned()));
    }
    Ok(value.to_owned())
}

/// The older flat filters of an app message (`phoneTypeList`, `provinceList`, `tagList`):
/// any value within a list, provinces read by [`legacy_region`]. An empty list filters
/// nothing: the SDK sends all three empty for every user.
pub fn from_flat_lists(content: &wire::GetContentId) -> Result<Vec<Condition>, UnknownCondition> {
    [
        (Dimension::PhoneType, &content.phone_type_list),
        (Dimension::Region, &content.province_list),
        (Dimension::Tag, &content.tag_list),
    ]
    .into_iter()
    .filter_map(|(dimension, values)| {
        let values = values.as_ref().filter(|values| !values.is_empty())?;
        Some(legacy_values(dimension, values).map(|values| Condition {
            dimension,
            values,
            combine: Combine::Any,
        }))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn legacy_regions_are_provinces_and_a_city_is_refused() {
        assert_eq!(legacy_region("浙江省"), Ok("浙江".to_owned()));
        assert_eq!(legacy_region("吉林市"), Ok("吉林".to_owned()));
        assert_eq!(legacy_region("火星"), Ok("火星".to_owned()));
        assert_eq!(
            legacy_region("深圳"),
            Err(UnknownCondition::City("深圳".to_owned()))
        );
        let wire = [wire::Condition {
            key: "region".to_owned(),
            values: vec!["广东省".to_owned(), "深圳市".to_owned()],
            opt_type: 0,
        }];
        assert_eq!(
            from_wire(&wire),
            Err(UnknownCondition::City("深圳市".to_owned()))
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
