//! Which users a toApp push or a `queryUserCount` reaches (protocol section C).
//!
//! Different keys are ANDed; within one key the values combine by the condition's operator:
//! OR (any value), AND (all values), NOT (no value). Empty values are ignored, as the SDK
//! examples send `""` in lists. Region names are compared by [`region_name`], so `浙江`,
//! `浙江省` match each other and `上海` matches `上海市`. The conditions themselves, and how a
//! request spells them, are `getui::conditions`'; this module only decides who matches.

use super::records::User;
use crate::getui::conditions::{Combine, Condition, Dimension, region_name};

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
            .is_some_and(|region| region_name(region) == region_name(value)),
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
