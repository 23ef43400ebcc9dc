//! Which users a toApp push or a `queryUserCount` reaches (protocol section C).
//!
//! Different keys are ANDed; within one key the values combine by the condition's operator:
//! OR (any value), AND (all values), NOT (no value). Empty values are ignored, as the SDK
//! examples send `""` in lists. Region names are compared without their administrative suffix,
//! so `浙江`, `浙江省` match each other and `上海` matches `上海市`.

use serde::{Deserialize, Serialize};

use super::store::User;

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionKey {
    PhoneType,
    Region,
    Tag,
}

/// How the values of one condition combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    Any,
    All,
    None,
}

/// One audience condition, in the emulator's own terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub key: ConditionKey,
    pub values: Vec<String>,
    pub combine: Combine,
}

impl ConditionKey {
    /// The key as the legacy protocol spells it (`AppConditions` in the SDK).
    pub fn from_wire(key: &str) -> Option<Self> {
        match key {
            "phoneType" => Some(ConditionKey::PhoneType),
            "region" => Some(ConditionKey::Region),
            "tag" => Some(ConditionKey::Tag),
            _ => None,
        }
    }
}

impl Combine {
    /// The SDK's `OptType`: 0 = OR, 1 = AND, 2 = NOT.
    pub fn from_wire(opt_type: i64) -> Option<Self> {
        match opt_type {
            0 => Some(Combine::Any),
            1 => Some(Combine::All),
            2 => Some(Combine::None),
            _ => None,
        }
    }
}

/// Whether `user` satisfies every condition.
pub fn matches(user: &User, conditions: &[Condition]) -> bool {
    conditions.iter().all(|condition| condition.admits(user))
}

impl Condition {
    fn admits(&self, user: &User) -> bool {
        let wanted: Vec<&str> = self
            .values
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if wanted.is_empty() {
            return true;
        }
        let has = |value: &str| match self.key {
            ConditionKey::PhoneType => user.phone_type.eq_ignore_ascii_case(value),
            ConditionKey::Region => user
                .region
                .as_deref()
                .is_some_and(|region| region_name(region) == region_name(value)),
            ConditionKey::Tag => user.tags.iter().any(|tag| tag == value),
        };
        match self.combine {
            Combine::Any => wanted.iter().any(|v| has(v)),
            Combine::All => wanted.iter().all(|v| has(v)),
            Combine::None => !wanted.iter().any(|v| has(v)),
        }
    }
}

/// A region name without its administrative suffix: `浙江省` → `浙江`, `广西壮族自治区` → `广西`.
pub fn region_name(region: &str) -> &str {
    const SUFFIXES: [&str; 7] = [
        "特别行政区",
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "省",
        "市",
    ];
    let region = region.trim();
    SUFFIXES
        .iter()
        .find_map(|suffix| region.strip_suffix(suffix).filter(|rest| !rest.is_empty()))
        .unwrap_or(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(phone: &str, region: &str, tags: &[&str]) -> User {
        User {
            cid: "c".into(),
            app_id: "demo".into(),
            phone_type: phone.into(),
            region: Some(region.into()),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            alias: None,
            pn: None,
            pn_level: 1,
            activity: 0,
            online: false,
        }
    }

    fn condition(key: ConditionKey, values: &[&str], combine: Combine) -> Condition {
        Condition {
            key,
            values: values.iter().map(|v| v.to_string()).collect(),
            combine,
        }
    }

    #[test]
    fn region_names_match_with_or_without_suffix() {
        assert_eq!(region_name("浙江省"), "浙江");
        assert_eq!(region_name("上海市"), "上海");
        assert_eq!(region_name("广西壮族自治区"), "广西");
        assert_eq!(region_name("香港特别行政区"), "香港");
        assert_eq!(region_name("市"), "市");
        let u = user("ANDROID", "浙江省", &[]);
        assert!(matches(
            &u,
            &[condition(ConditionKey::Region, &["浙江"], Combine::Any)]
        ));
    }

    #[test]
    fn tags_combine_with_or_and_not() {
        let u = user("IOS", "上海", &["vip", "new"]);
        let tag = |values: &[&str], combine| condition(ConditionKey::Tag, values, combine);
        assert!(matches(&u, &[tag(&["vip", "old"], Combine::Any)]));
        assert!(!matches(&u, &[tag(&["vip", "old"], Combine::All)]));
        assert!(matches(&u, &[tag(&["vip", "new"], Combine::All)]));
        assert!(!matches(&u, &[tag(&["vip"], Combine::None)]));
        assert!(matches(&u, &[tag(&["churned", ""], Combine::None)]));
    }

    #[test]
    fn keys_are_anded_and_empty_values_ignored() {
        let u = user("ANDROID", "广东", &["vip"]);
        let conditions = [
            condition(ConditionKey::PhoneType, &["android"], Combine::Any),
            condition(ConditionKey::Tag, &["", "vip"], Combine::All),
        ];
        assert!(matches(&u, &conditions));
        let wrong_phone = [
            condition(ConditionKey::PhoneType, &["IOS"], Combine::Any),
            condition(ConditionKey::Tag, &["vip"], Combine::Any),
        ];
        assert!(!matches(&u, &wrong_phone));
        assert!(matches(
            &u,
            &[condition(ConditionKey::Region, &[""], Combine::Any)]
        ));
    }
}
