//! Which users a toApp push or a `queryUserCount` reaches (protocol section C).
//!
//! Different keys are ANDed; within one key the values combine by the condition's operator:
//! OR (any value), AND (all values), NOT (no value). Empty values are ignored, as the SDK
//! examples send `""` in lists. The conditions themselves, and how a request spells them,
//! are `getui::conditions`'; this module only decides who matches.
//!
//! # Regions
//!
//! A device has one region, a province or a prefecture-level city (`浙江省`, `深圳市`). A
//! condition's region reaches the devices of that region and, for a province, those of its
//! cities: `广东` reaches a device in `深圳市`, `深圳市` does not reach one in `广州市` nor
//! one whose region is only `广东省`. Both sides are compared by [`region_key`]: the
//! province's short name, followed by `/` and the city's official name for a city
//! (`广东/深圳市`), so a province's key is the prefix of its cities' keys, and the store can
//! match them in SQL the same way. A name the region table does not hold keys as itself
//! without its suffix ([`region_name`]), as before there was a table.

use super::records::User;
use crate::getui::conditions::{Combine, Condition, Dimension, region_name};
use crate::getui::regions;

/// What separates a province's key from its city's in a [`region_key`].
pub(crate) const KEY_SEPARATOR: char = '/';

/// The key a region is matched by (see the module's rules): `广东`, `广东/深圳市`.
pub(crate) fn region_key(region: &str) -> String {
    match regions::lookup(region) {
        Some(city) if city.is_city() => {
            format!("{}{KEY_SEPARATOR}{}", city.province().short(), city.name())
        }
        Some(province) => province.short().to_owned(),
        None => region_name(region).to_owned(),
    }
}

/// Whether a device whose region has key `device` is in the region of key `wanted`.
fn reaches(wanted: &str, device: &str) -> bool {
    device
        .strip_prefix(wanted)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(KEY_SEPARATOR))
}

/// Whether `user` satisfies every condition.
pub fn matches(user: &User, conditions: &[Condition]) -> bool {
    conditions.iter().all(|condition| admits(condition, user))
}

/// Whether `user` satisfies one condition.
fn admits(condition: &Condition, user: &User) -> bool {
    let wanted: Vec<&str> = condition
        .values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if wanted.is_empty() {
        return true;
    }
    let has = |value: &str| match condition.dimension {
        Dimension::PhoneType => user.phone_type.eq_ignore_ascii_case(value),
        Dimension::Region => user
            .region
            .as_deref()
            .is_some_and(|region| reaches(&region_key(value), &region_key(region))),
        Dimension::Tag => user.tags.iter().any(|tag| tag == value),
    };
    match condition.combine {
        Combine::Any => wanted.iter().any(|v| has(v)),
        Combine::All => wanted.iter().all(|v| has(v)),
        Combine::None => !wanted.iter().any(|v| has(v)),
    }
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
            maker: None,
        }
    }

    fn condition(dimension: Dimension, values: &[&str], combine: Combine) -> Condition {
        Condition {
            dimension,
            values: values.iter().map(|v| v.to_string()).collect(),
            combine,
        }
    }

    #[test]
    fn region_names_match_with_or_without_suffix() {
        let u = user("ANDROID", "浙江省", &[]);
        assert!(matches(
            &u,
            &[condition(Dimension::Region, &["浙江"], Combine::Any)]
        ));
    }

    #[test]
    fn a_province_reaches_its_cities_and_a_city_only_itself() {
        let shenzhen = user("ANDROID", "深圳市", &[]);
        let guangdong_only = user("ANDROID", "广东省", &[]);
        let region = |values: &[&str], combine| condition(Dimension::Region, values, combine);
        assert!(matches(&shenzhen, &[region(&["广东"], Combine::Any)]));
        assert!(matches(&shenzhen, &[region(&["深圳市"], Combine::Any)]));
        assert!(matches(
            &shenzhen,
            &[region(&["广东", "深圳市"], Combine::All)]
        ));
        assert!(!matches(&shenzhen, &[region(&["广州市"], Combine::Any)]));
        assert!(!matches(&shenzhen, &[region(&["广东"], Combine::None)]));
        assert!(matches(&shenzhen, &[region(&["广州市"], Combine::None)]));
        assert!(!matches(
            &guangdong_only,
            &[region(&["深圳市"], Combine::Any)]
        ));
        assert!(!matches(
            &user("IOS", "吉林市", &[]),
            &[region(&["广东"], Combine::Any)]
        ));
        assert!(matches(
            &user("IOS", "吉林市", &[]),
            &[region(&["吉林"], Combine::Any)]
        ));
    }

    #[test]
    fn region_keys_put_a_city_under_its_province() {
        assert_eq!(region_key("深圳"), "广东/深圳市");
        assert_eq!(region_key("广东省"), "广东");
        assert_eq!(region_key("吉林市"), "吉林/吉林市");
        assert_eq!(region_key("火星省"), "火星");
        assert!(!reaches("广东", "广东省外"));
    }

    #[test]
    fn tags_combine_with_or_and_not() {
        let u = user("IOS", "上海", &["vip", "new"]);
        let tag = |values: &[&str], combine| condition(Dimension::Tag, values, combine);
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
            condition(Dimension::PhoneType, &["android"], Combine::Any),
            condition(Dimension::Tag, &["", "vip"], Combine::All),
        ];
        assert!(matches(&u, &conditions));
        let wrong_phone = [
            condition(Dimension::PhoneType, &["IOS"], Combine::Any),
            condition(Dimension::Tag, &["vip"], Combine::Any),
        ];
        assert!(!matches(&u, &wrong_phone));
        assert!(matches(
            &u,
            &[condition(Dimension::Region, &[""], Combine::Any)]
        ));
    }
}
