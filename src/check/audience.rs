//! Audiences: one way of choosing users (filters, aliases, cids or everyone), never
//! none, and values Getui understands (phone types, province names, alias spelling).

use super::Diagnostic;
use super::site::Site;
use crate::load::did_you_mean;
use crate::model::{Audience, PhoneType, Selector};

const MAX_ALIAS_BYTES: usize = 40;

/// Province-level divisions: (short name, the suffixed forms also accepted).
const REGIONS: [(&str, &[&str]); 34] = [
    ("北京", &["北京市"]),
    ("天津", &["天津市"]),
    ("上海", &["上海市"]),
    ("重庆", &["重庆市"]),
    ("河北", &["河北省"]),
    ("山西", &["山西省"]),
    ("辽宁", &["辽宁省"]),
    ("吉林", &["吉林省"]),
    ("黑龙江", &["黑龙江省"]),
    ("江苏", &["江苏省"]),
    ("浙江", &["浙江省"]),
    ("安徽", &["安徽省"]),
    ("福建", &["福建省"]),
    ("江西", &["江西省"]),
    ("山东", &["山东省"]),
    ("河南", &["河南省"]),
    ("湖北", &["湖北省"]),
    ("湖南", &["湖南省"]),
    ("广东", &["广东省"]),
    ("海南", &["海南省"]),
    ("四川", &["四川省"]),
    ("贵州", &["贵州省"]),
    ("云南", &["云南省"]),
    ("陕西", &["陕西省"]),
    ("甘肃", &["甘肃省"]),
    ("青海", &["青海省"]),
    ("台湾", &["台湾省"]),
    ("内蒙古", &["内蒙古自治区"]),
    ("广西", &["广西自治区", "广西壮族自治区"]),
    ("西藏", &["西藏自治区"]),
    ("宁夏", &["宁夏自治区", "宁夏回族自治区"]),
    ("新疆", &["新疆自治区", "新疆维吾尔自治区"]),
    ("香港", &["香港特别行政区"]),
    ("澳门", &["澳门特别行政区"]),
];

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
                Diagnostic::error("GC040", format!("alias `{alias}` {problem}"))
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
            Diagnostic::error("GC042", "this audience selects nobody")
                .help("give filters (`phone_types`, `regions`, `tags`), `aliases` or `cids`; write `all_users: true` to mean everyone")
                .label("empty audience"),
            &[],
        )),
        [_] => {}
        several => out.push(site.at_key(
            Diagnostic::error(
                "GC041",
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
    problem: impl Fn(&T) -> Option<(&'static str, String, String)>,
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

fn phone_type_problem(value: &str) -> Option<(&'static str, String, String)> {
    if PhoneType::KNOWN.contains(&value) {
        return None;
    }
    let help = match did_you_mean(value, PhoneType::KNOWN) {
        Some(near) => format!("did you mean `{near}`? phone types are `android` and `ios`"),
        None => "phone types are `android` and `ios`".to_owned(),
    };
    Some(("GC043", format!("`{value}` is not a phone type"), help))
}

/// Whether `name` names a province-level division, with or without its suffix.
pub(super) fn is_region(name: &str) -> bool {
    REGIONS
        .iter()
        .any(|(short, long)| *short == name || long.contains(&name))
}

fn region_problem(value: &String) -> Option<(&'static str, String, String)> {
    if is_region(value) {
        return None;
    }
    Some((
        "GC044",
        format!("`{value}` is not a province-level region of China"),
        "write a province, municipality, autonomous region or SAR by its Chinese name, with or without 省/市/自治区, such as `浙江`, `上海市` or `广西壮族自治区`".to_owned(),
    ))
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
        assert!(!is_region("杭州"));
    }

    #[test]
    fn alias_limit_is_in_bytes() {
        assert!(alias_problem(&"用".repeat(13)).is_none());
        assert!(alias_problem(&"用".repeat(14)).is_some());
        assert!(alias_problem("user-1").is_some());
    }
}
