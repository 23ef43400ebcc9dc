//! Audiences: from the YAML `Audience` to Getui conditions or list targets, and to the
//! words a reviewer reads.
//!
//! Regions are sent by their short Chinese name ([`region_name`]: `浙江省` → `浙江`,
//! `广西壮族自治区` → `广西`): Getui's own examples use the short form, the emulator matches
//! on it, and one spelling per province means writing `浙江` or `浙江省` sends the same
//! request (and keeps the same fingerprint). Values are deduplicated, order kept.

use crate::getui::api::{Combine, Condition, Dimension, ListTargets};
use crate::getui::regions;
use crate::model::{Audience, Selector};

/// Who a campaign reaches, as Getui addresses them.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Reach {
    /// An app push filtered by conditions; none means every user.
    Conditions(Vec<Condition>),
    /// A list push to these aliases or cids.
    List(ListTargets),
}

/// How `audience` is addressed. An audience that names nobody is refused rather than
/// turned into "no conditions", which would mean everyone.
pub(super) fn reach(audience: &Audience) -> Result<Reach, String> {
    if let Some(aliases) = audience.aliases.as_ref().filter(|a| !a.is_empty()) {
        return Ok(Reach::List(ListTargets::Aliases(dedup(aliases.clone()))));
    }
    if let Some(cids) = audience.cids.as_ref().filter(|c| !c.is_empty()) {
        return Ok(Reach::List(ListTargets::Cids(dedup(cids.clone()))));
    }
    let mut conditions = Vec::new();
    if let Some(types) = &audience.phone_types {
        let upper = |t: &crate::model::PhoneType| t.0.to_ascii_uppercase();
        push_conditions(&mut conditions, Dimension::PhoneType, types, upper);
    }
    if let Some(selector) = &audience.regions {
        push_conditions(&mut conditions, Dimension::Region, selector, |r| {
            regions::canonical(r)
        });
    }
    if let Some(tags) = &audience.tags {
        push_conditions(&mut conditions, Dimension::Tag, tags, String::clone);
    }
    if conditions.is_empty() && !audience.all_users {
        return Err(
            "its audience selects nobody: give filters, aliases or cids, or `all_users: true`"
                .to_owned(),
        );
    }
    Ok(Reach::Conditions(conditions))
}

/// One condition per non-empty combinator: any → or, all → and, none → not.
fn push_conditions<T>(
    out: &mut Vec<Condition>,
    dimension: Dimension,
    selector: &Selector<T>,
    value: impl Fn(&T) -> String,
) {
    for (values, combine) in [
        (&selector.any, Combine::Any),
        (&selector.all, Combine::All),
        (&selector.none, Combine::None),
    ] {
        if values.is_empty() {
            continue;
        }
        out.push(Condition {
            dimension,
            values: dedup(values.iter().map(&value).collect()),
            combine,
        });
    }
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

/// How many list targets a summary names before it says "and N more".
const NAMED_TARGETS: usize = 3;

/// Who, in words: `android, in 浙江 or 上海, tagged vip, not tagged churned`.
pub(super) fn summary(reach: &Reach) -> String {
    match reach {
        Reach::Conditions(conditions) if conditions.is_empty() => "all users".to_owned(),
        Reach::Conditions(conditions) => conditions
            .iter()
            .map(condition_words)
            .collect::<Vec<_>>()
            .join(", "),
        Reach::List(ListTargets::Aliases(aliases)) => list_words(aliases, "alias", "aliases"),
        Reach::List(ListTargets::Cids(cids)) => list_words(cids, "cid", "cids"),
    }
}

fn condition_words(condition: &Condition) -> String {
    let joined = |word: &str| {
        condition
            .values
            .iter()
            .map(|v| match condition.dimension {
                Dimension::PhoneType => v.to_lowercase(),
                _ => v.clone(),
            })
            .collect::<Vec<_>>()
            .join(word)
    };
    let (prefix, negated) = match condition.dimension {
        Dimension::PhoneType => ("", "not "),
        Dimension::Region => ("in ", "not in "),
        Dimension::Tag => ("tagged ", "not tagged "),
    };
    match condition.combine {
        Combine::Any => format!("{prefix}{}", joined(" or ")),
        Combine::All => format!("{prefix}{}", joined(" and ")),
        Combine::None => format!("{negated}{}", joined(" or ")),
    }
}

/// An audience `summary` without the cids or aliases it names: "3 cids", for outputs that
/// must never show a device (reports, their pages).
pub fn summary_without_targets(summary: &str) -> &str {
    let Some((count, _)) = summary.split_once(": ") else {
        return summary;
    };
    let listed = count.split_once(' ').is_some_and(|(number, noun)| {
        number.bytes().all(|b| b.is_ascii_digit())
            && matches!(noun, "cid" | "cids" | "alias" | "aliases")
    });
    if listed { count } else { summary }
}

fn list_words(targets: &[String], one: &str, many: &str) -> String {
    let noun = if targets.len() == 1 { one } else { many };
    let named = targets
        .iter()
        .take(NAMED_TARGETS)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let rest = targets.len().saturating_sub(NAMED_TARGETS);
    if rest == 0 {
        format!("{} {noun}: {named}", targets.len())
    } else {
        format!("{} {noun}: {named} and {rest} more", targets.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_for_reports_names_no_device() {
        let cids: Vec<String> = (1..=7).map(|n| format!("cid-{n}")).collect();
        let listed = summary(&Reach::List(ListTargets::Cids(cids)));
        assert!(listed.contains("cid-1"), "{listed}");
        assert_eq!(summary_without_targets(&listed), "7 cids");
        let one = summary(&Reach::List(ListTargets::Aliases(vec!["ann".into()])));
        assert_eq!(summary_without_targets(&one), "1 alias");
        assert_eq!(summary_without_targets("all users"), "all users");
        assert_eq!(
            summary_without_targets("tagged vip: gold"),
            "tagged vip: gold",
            "only a count of cids or aliases is cut"
        );
    }
}
