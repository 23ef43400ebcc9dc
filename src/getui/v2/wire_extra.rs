//! REST V2 wire pieces the emulator needs beyond [`super::wire`]: the call gtcamp's client
//! does not make (DELETE `/auth/{token}`), the translation of V2
//! conditions (F.5) to and from gtcamp's [`Condition`].
//!
//! Kept apart from `wire.rs` only so that the emulator's and the client's work on issue 14
//! merge without conflicts; like `wire.rs`, it is a place where V2 names are spelled, and
//! nothing outside `src/getui/` may spell them.

use super::regions;
use super::wire::{self, Method};
use crate::getui::conditions::{Combine, Condition, Dimension};

/// V2 calls outside [`wire::Endpoint`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtraEndpoint {
    /// DELETE `/auth/{token}`: gives a token up.
    CloseAuth(String),
}

impl ExtraEndpoint {
    pub fn method(&self) -> Method {
        match self {
            ExtraEndpoint::CloseAuth(_) => Method::Delete,
        }
    }

    /// The path segments after `{app_id}`, unencoded.
    pub fn segments(&self) -> Vec<&str> {
        match self {
            ExtraEndpoint::CloseAuth(token) => vec!["auth", token],
        }
    }

    /// The call a request names, by its method and decoded path segments after `{app_id}`.
    pub fn parse(method: Method, segments: &[&str]) -> Option<ExtraEndpoint> {
        match (method, segments) {
            (Method::Delete, ["auth", token]) => {
                Some(ExtraEndpoint::CloseAuth((*token).to_owned()))
            }
            _ => None,
        }
    }

    /// The index of the path segment that is a secret (the token), if any.
    pub fn secret_segment(&self) -> Option<usize> {
        match self {
            ExtraEndpoint::CloseAuth(_) => Some(1),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Conditions

/// A V2 condition gtcamp cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownV2Condition {
    #[error("unknown condition key `{0}` (gtcamp reads phone_type, region and custom_tag)")]
    Key(String),
    #[error("unknown condition opt_type `{0}` (or, and, not)")]
    OptType(String),
    #[error("unknown region code `{0}`")]
    Region(String),
}

/// The V2 key of a dimension.
fn key_of(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::PhoneType => "phone_type",
        Dimension::Region => "region",
        Dimension::Tag => "custom_tag",
    }
}

/// The V2 `opt_type` of a combination.
fn opt_type_of(combine: Combine) -> &'static str {
    match combine {
        Combine::Any => "or",
        Combine::All => "and",
        Combine::None => "not",
    }
}

/// gtcamp's conditions as V2 writes them: phone types in lower case, provinces and cities
/// as codes ([`regions`]). A region the table does not know is an error.
pub fn conditions_to_wire(
    conditions: &[Condition],
) -> Result<Vec<wire::Condition>, UnknownV2Condition> {
    conditions
        .iter()
        .map(|condition| {
            let values = condition
                .values
                .iter()
                .map(|value| match condition.dimension {
                    Dimension::PhoneType => Ok(value.trim().to_lowercase()),
                    Dimension::Region => regions::code_of(value)
                        .map(str::to_owned)
                        .ok_or_else(|| UnknownV2Condition::Region(value.clone())),
                    Dimension::Tag => Ok(value.clone()),
                })
                .collect::<Result<Vec<String>, _>>()?;
            Ok(wire::Condition {
                key: key_of(condition.dimension).to_owned(),
                values,
                opt_type: opt_type_of(condition.combine).to_owned(),
            })
        })
        .collect()
}

/// The conditions a V2 request carries, regions by their canonical name (`广东`, `深圳市`); a key, `opt_type` or region code
/// gtcamp does not know is an error (a server answers it as an invalid parameter).
pub fn conditions_from_wire(
    conditions: &[wire::Condition],
) -> Result<Vec<Condition>, UnknownV2Condition> {
    const DIMENSIONS: [Dimension; 3] = [Dimension::PhoneType, Dimension::Region, Dimension::Tag];
    const COMBINES: [Combine; 3] = [Combine::Any, Combine::All, Combine::None];
    conditions
        .iter()
        .map(|c| {
            let dimension = DIMENSIONS
                .into_iter()
                .find(|d| key_of(*d) == c.key)
                .ok_or_else(|| UnknownV2Condition::Key(c.key.clone()))?;
            let combine = COMBINES
                .into_iter()
                .find(|k| opt_type_of(*k) == c.opt_type)
                .ok_or_else(|| UnknownV2Condition::OptType(c.opt_type.clone()))?;
            let values = c
                .values
                .iter()
                .map(|value| match dimension {
                    Dimension::Region => regions::name_of(value)
                        .map(str::to_owned)
                        .ok_or_else(|| UnknownV2Condition::Region(value.clone())),
                    _ => Ok(value.clone()),
                })
                .collect::<Result<Vec<String>, _>>()?;
            Ok(Condition {
                dimension,
                values,
                combine,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition(dimension: Dimension, values: &[&str], combine: Combine) -> Condition {
        Condition {
            dimension,
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            combine,
        }
    }

    #[test]
    fn conditions_read_back_what_was_written() {
        let written = vec![
            condition(Dimension::PhoneType, &["android"], Combine::Any),
            condition(Dimension::Region, &["浙江", "广东"], Combine::None),
            condition(Dimension::Tag, &["vip", "new"], Combine::All),
        ];
        let wire = conditions_to_wire(&written).unwrap_or_default();
        assert_eq!(
            wire.get(1)
                .map(|c| (c.key.as_str(), c.values.clone(), c.opt_type.as_str())),
            Some(("region", vec!["33000000".into(), "44000000".into()], "not"))
        );
        assert_eq!(conditions_from_wire(&wire), Ok(written));
    }

    #[test]
    fn cities_travel_as_their_codes_and_read_back_by_their_official_name() {
        let written = vec![condition(
            Dimension::Region,
            &["深圳", "广东"],
            Combine::Any,
        )];
        let wire = conditions_to_wire(&written).unwrap_or_default();
        assert_eq!(
            wire.first().map(|c| c.values.clone()),
            Some(vec!["44030000".into(), "44000000".into()])
        );
        let read = conditions_from_wire(&wire).unwrap_or_default();
        assert_eq!(
            read.first().map(|c| c.values.clone()),
            Some(vec!["深圳市".into(), "广东".into()])
        );
    }

    #[test]
    fn unknown_keys_opt_types_and_regions_are_refused() {
        let wire = |key: &str, value: &str, opt: &str| wire::Condition {
            key: key.into(),
            values: vec![value.into()],
            opt_type: opt.into(),
        };
        assert_eq!(
            conditions_from_wire(&[wire("portrait", "1", "or")]),
            Err(UnknownV2Condition::Key("portrait".into()))
        );
        assert_eq!(
            conditions_from_wire(&[wire("region", "33000000", "xor")]),
            Err(UnknownV2Condition::OptType("xor".into()))
        );
        assert_eq!(
            conditions_from_wire(&[wire("region", "33990000", "or")]),
            Err(UnknownV2Condition::Region("33990000".into()))
        );
        assert!(
            conditions_to_wire(&[condition(Dimension::Region, &["杭洲"], Combine::Any)]).is_err()
        );
    }

    #[test]
    fn extra_endpoints_parse_back_from_their_own_paths() {
        let endpoint = ExtraEndpoint::CloseAuth("t0k".into());
        assert_eq!(
            ExtraEndpoint::parse(endpoint.method(), &endpoint.segments()),
            Some(endpoint.clone())
        );
        assert_eq!(ExtraEndpoint::parse(Method::Post, &["auth", "t"]), None);
    }
}
