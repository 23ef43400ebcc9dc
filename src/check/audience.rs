//! Audiences: one way of choosing users (filters, aliases, cids or everyone), never
//! none, and values Getui understands (phone types, regions, alias spelling).
//!
//! Regions are provinces and prefecture-level cities, read by the rules of
//! [`crate::getui::regions`]; whether a target can send a city is `legacy`'s rule.

use super::Diagnostic;
use super::site::Site;
use crate::getui::regions::{self, Region};
use crate::load::catalogue::Entry;
use crate::load::codes;
use crate::load::did_you_mean;
use crate::model::{Audience, PhoneType, Selector, all_closest};

const MAX_ALIAS_BYTES: usize = 40;

pub(super) fn check(site: &Site, audience: &Audience, out: &mut Vec<Diagnostic>) {
    check_choice(site, audience, out);
    if let Some(types) = &audience.phone_types {
        check_values(
            site,
            "phone_types",
            types,
            |t: &PhoneType| phone_type_problem(&t.0),
            out,
        );
    }
    if let Some(regions) = &audience.regions {
        check_values(
            site,
            "regions",
            regions,
            |r: &String| region_problem(r),
            out,
        );
    }
    for (index, alias) in audience.aliases.iter().flatten().enumerate() {
        if let Some(problem) = alias_problem(alias) {
            let span = site.value_span(&site.path(&["aliases"]).index(index));
            out.push(
                Diagnostic::error(codes::GC040, format!("alias `{alias}` {problem}"))
                    .help("aliases use letters, digits, `_` or CJK characters, at most 40 bytes in UTF-8 (13 Chinese characters)")
                    .at(site.file, span)
                    .label("invalid alias"),
            );
        }
    }
}

/// The ways of choosing users this audience uses.
fn choices(audience: &Audience) -> Vec<&'static str> {
    let filters = [
        audience.phone_types.as_ref().is_some_and(|s| !s.is_empty()),
        audience.regions.as_ref().is_some_and(|s| !s.is_empty()),
        audience.tags.as_ref().is_some_and(|s| !s.is_empty()),
    ];
    let mut used = Vec::new();
    if filters.contains(&true) {
        used.push("filters (phone_types, regions, tags)");
    }
    if audience.aliases.as_ref().is_some_and(|a| !a.is_empty()) {
        used.push("aliases");
    }
    if audience.cids.as_ref().is_some_and(|c| !c.is_empty()) {
        used.push("cids");
    }
    if audience.all_users {
        used.push("all_users");
    }
    used
}

fn check_choice(site: &Site, audience: &Audience, out: &mut Vec<Diagnostic>) {
    let used = choices(audience);
    match used.as_slice() {
        [] => out.push(site.at_key(
            Diagnostic::error(codes::GC042, "this audience selects nobody")
                .help("give filters (`phone_types`, `regions`, `tags`), `aliases` or `cids`; write `all_users: true` to mean everyone")
                .label("empty audience"),
            &[],
        )),
        [_] => {}
        several => out.push(site.at_key(
            Diagnostic::error(
                codes::GC041,
                format!("this audience mixes {}", several.join(" and ")),
            )
            .help("use one way of choosing users per audience: filters, or `aliases`, or `cids`, or `all_users: true`; make another audience for the other group")
            .label("mixed audience"),
            &[],
        )),
    }
}

fn check_values<T>(
    site: &Site,
    field: &str,
    selector: &Selector<T>,
    problem: impl Fn(&T) -> Option<(&'static Entry, String, String)>,
    out: &mut Vec<Diagnostic>,
) {
    let groups = [
        ("any", &selector.any),
        ("all", &selector.all),
        ("none", &selector.none),
    ];
    for (group, values) in groups {
        for (index, value) in values.iter().enumerate() {
            if let Some((code, message, help)) = problem(value) {
                let span = site.value_span(&site.path(&[field, group]).index(index));
                out.push(
                    Diagnostic::error(code, message)
                        .help(help)
                        .at(site.file, span)
                        .label("unknown value"),
                );
            }
        }
    }
}

fn phone_type_problem(value: &str) -> Option<(&'static Entry, String, String)> {
    if PhoneType::KNOWN.contains(&value) {
        return None;
    }
    let help = match did_you_mean(value, PhoneType::KNOWN) {
        Some(near) => format!("did you mean `{near}`? phone types are `android` and `ios`"),
        None => "phone types are `android` and `ios`".to_owned(),
    };
    Some((codes::GC043, format!("`{value}` is not a phone type"), help))
}

/// Whether `name` names a province or a prefecture-level city (see [`regions::lookup`]).
pub(super) fn is_region(name: &str) -> bool {
    regions::lookup(name).is_some()
}

/// How many equally close names a "did you mean" offers at most.
const REGION_SUGGESTIONS: usize = 4;

fn region_problem(value: &String) -> Option<(&'static Entry, String, String)> {
    if is_region(value) {
        return None;
    }
    Some((
        codes::GC044,
        format!("`{value}` is not a province-level region or prefecture-level city of China"),
        region_help(value, true),
    ))
}

/// The help of GC044: the names `written` may have meant, then how regions are written;
/// cities among them only where `cities` are accepted.
pub(super) fn region_help(written: &str, cities: bool) -> String {
    let how = if cities {
        "write a province (`浙江`, `上海市`, `广西壮族自治区`) or a prefecture-level city (`广州`, `深圳市`, `延边朝鲜族自治州`) by its Chinese name; where a province and a city share a name, the short name is the province and the city is written in full (`吉林` is the province, `吉林市` the city)"
    } else {
        "write a province, municipality, autonomous region or SAR by its Chinese name, with or without 省/市/自治区, such as `浙江` or `上海市`"
    };
    let candidates = region_candidates()
        .into_iter()
        .filter(|name| cities || regions::lookup(name).is_some_and(|r| !r.is_city()));
    let near = all_closest(written, candidates);
    match near.as_slice() {
        [] => how.to_owned(),
        names => format!("did you mean {}? {how}", quoted_choice(names)),
    }
}

/// What a misspelled region is compared with, in table order: each region's short name
/// when it reads alone, then its official name.
fn region_candidates() -> Vec<&'static str> {
    regions::all()
        .flat_map(|region| {
            let short = (regions::lookup(region.short()) == Some(region)).then(|| region.short());
            short.into_iter().chain([region.name()])
        })
        .collect()
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``, at most [`REGION_SUGGESTIONS`].
fn quoted_choice(names: &[&str]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .take(REGION_SUGGESTIONS)
        .map(|name| format!("`{name}`"))
        .collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The prefecture-level cities an audience's `regions` name, each with the group (`any`,
/// `all`, `none`) and index it is written at.
pub(super) fn cities(audience: &Audience) -> Vec<(&'static str, usize, &String, Region)> {
    let Some(selector) = &audience.regions else {
        return Vec::new();
    };
    let groups = [
        ("any", &selector.any),
        ("all", &selector.all),
        ("none", &selector.none),
    ];
    groups
        .into_iter()
        .flat_map(|(group, values)| {
            values.iter().enumerate().filter_map(move |(index, value)| {
                regions::lookup(value)
                    .filter(Region::is_city)
                    .map(|region| (group, index, value, region))
            })
        })
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF | 0x30000..=0x3134F)
}

fn alias_problem(alias: &str) -> Option<String> {
    if alias.is_empty() {
        return Some("is empty".to_owned());
    }
    if let Some(bad) = alias
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || is_cjk(*c)))
    {
        return Some(format!(
            "has a character Getui does not accept in aliases: `{}`",
            bad.escape_debug()
        ));
    }
    (alias.len() > MAX_ALIAS_BYTES).then(|| {
        format!(
            "is {} bytes long in UTF-8, more than {MAX_ALIAS_BYTES}",
            alias.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_prefecture_level_cities_by_full_and_short_name() {
        for name in [
            "广州",
            "深圳市",
            "延边朝鲜族自治州",
            "延边",
            "阿拉善盟",
            "吉林市",
        ] {
            assert!(is_region(name), "{name} refused");
        }
        assert!(region_problem(&"广州".to_owned()).is_none());
    }

    #[test]
    fn a_misspelled_region_is_offered_the_names_it_is_one_edit_from() {
        let help = region_help("广洲", true);
        assert!(
            help.starts_with("did you mean `广东`, `广州`, `广西` or `广元`?"),
            "{help}"
        );
        let help = region_help("深川市", true);
        assert!(help.starts_with("did you mean `深圳市`, "), "{help}");
        assert!(region_help("Atlantis", true).starts_with("write a province"));
        let help = region_help("广洲", false);
        assert!(help.starts_with("did you mean `广东` or `广西`?"), "{help}");
    }

    #[test]
    fn accepts_every_province_with_and_without_suffix() {
        for name in [
            "浙江",
            "浙江省",
            "上海",
            "上海市",
            "广西",
            "广西壮族自治区",
            "香港特别行政区",
            "内蒙古自治区",
        ] {
            assert!(is_region(name), "{name} refused");
        }
        assert!(!is_region("浙江市"));
        assert!(!is_region("杭洲"));
    }

    #[test]
    fn alias_limit_is_in_bytes() {
        assert!(alias_problem(&"用".repeat(13)).is_none());
        assert!(alias_problem(&"用".repeat(14)).is_some());
        assert!(alias_problem("user-1").is_some());
    }
}
