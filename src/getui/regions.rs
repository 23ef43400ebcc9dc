//! The regions an audience can name: China's 34 province-level divisions and their 333
//! prefecture-level ones, read by name or by code ([`Region`], from `table`).
//!
//! REST V2 conditions carry a region's 8-digit code (`getui-protocol.md` F.5, F.7:
//! `region_code.data` lists exactly these 367). The legacy protocol takes province names
//! only (section C: "region Chinese province names"); it documents no city, so a city is a
//! V2-only region and the checks say so.
//!
//! # How a name is read
//!
//! A written name (trimmed) is, in this order:
//!
//! | written | region | examples |
//! | --- | --- | --- |
//! | the official name of any region | that region | `广东省`, `广州市`, `吉林市`, `延边朝鲜族自治州`, `大兴安岭地区`, `锡林郭勒盟` |
//! | a province's short name, or `<short>自治区` for an autonomous region | the province | `广东`, `吉林`, `海南`, `广西自治区` |
//! | a prefecture's short name that no province and no other prefecture has | the prefecture | `广州`, `延边`, `海西`, `阿拉善` |
//! | anything else | nothing | `杭洲`, `浙江市`, `广东/广州` |
//!
//! Official names are all distinct, so the first row never hesitates. A short name shared
//! by a province and a prefecture stays the province's, as it was before gtcamp knew
//! cities: `吉林` is 吉林省 and the city is written `吉林市`; `海南` is 海南省 and the
//! autonomous prefecture is written `海南藏族自治州`. No two prefectures share a short
//! name today; if a future edition made two, neither short name would be read.
//!
//! Each region has one [`Region::canonical`] spelling, the one gtcamp sends and compares:
//! a province by its short name, as before (`浙江`, so fingerprints of existing campaigns
//! do not move), a prefecture by its official name (`深圳市`), which no province shares.

mod table;

use std::collections::HashMap;
use std::sync::LazyLock;

use table::TABLE;

/// One province-level or prefecture-level division.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region {
    code: &'static str,
    name: &'static str,
    short: &'static str,
}

/// The suffix that marks a province-level code.
const PROVINCE_SUFFIX: &str = "000000";

/// Autonomous regions may also be written `<short>自治区` (`广西自治区`), as gtcamp took them
/// before the table.
const AUTONOMOUS_SUFFIX: &str = "自治区";

impl Region {
    /// The 8-digit GB/T 2260 code as REST V2 writes it: `44000000`, `44030000`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The official name: `广东省`, `深圳市`, `延边朝鲜族自治州`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The common short form: `广东`, `深圳`, `延边` (which may not be readable alone, see
    /// the module's rules).
    pub fn short(&self) -> &'static str {
        self.short
    }

    /// Whether this is a prefecture-level division rather than a province.
    pub fn is_city(&self) -> bool {
        !self.code.ends_with(PROVINCE_SUFFIX)
    }

    /// The province this region is in (a province is in itself).
    pub fn province(&self) -> Region {
        let prefix = self.code.get(..2).unwrap_or_default();
        by_code(&format!("{prefix}{PROVINCE_SUFFIX}")).unwrap_or(*self)
    }

    /// The prefecture-level divisions of this province (none for a city or a municipality).
    pub fn cities(&self) -> impl Iterator<Item = Region> + use<> {
        let prefix = (!self.is_city()).then(|| self.code.get(..2).unwrap_or_default());
        all().filter(move |region| {
            region.is_city() && prefix.is_some_and(|p| region.code.starts_with(p))
        })
    }

    /// Whether every device in `other` is in this region: the same region, or this is
    /// `other`'s province.
    pub fn contains(&self, other: &Region) -> bool {
        self == other || (!self.is_city() && other.province() == *self)
    }

    /// The one spelling gtcamp sends and compares: a province's short name (`浙江`), a
    /// prefecture's official name (`深圳市`, never confused with a province).
    pub fn canonical(&self) -> &'static str {
        if self.is_city() {
            self.name
        } else {
            self.short
        }
    }
}

/// Every region, each province followed by its prefectures.
pub fn all() -> impl Iterator<Item = Region> {
    TABLE
        .iter()
        .map(|&(code, name, short)| Region { code, name, short })
}

/// Every spelling [`lookup`] reads, with the region it reads as.
static SPELLINGS: LazyLock<HashMap<&'static str, Region>> = LazyLock::new(spellings_of_table);

fn spellings_of_table() -> HashMap<&'static str, Region> {
    let mut spellings = HashMap::new();
    for region in all() {
        spellings.insert(region.name, region);
    }
    for province in all().filter(|region| !region.is_city()) {
        spellings.entry(province.short).or_insert(province);
        if let Some(form) = autonomous_form(province) {
            spellings.entry(form).or_insert(province);
        }
    }
    for city in all().filter(Region::is_city) {
        let shared = all().filter(|other| other.short == city.short).count() > 1;
        if !shared {
            spellings.entry(city.short).or_insert(city);
        }
    }
    spellings
}

/// `<short>自治区` for an autonomous region whose official name is longer (`广西自治区`),
/// spelled out rather than built so that every spelling stays a `&'static str`.
fn autonomous_form(province: Region) -> Option<&'static str> {
    let form = match province.short {
        "广西" => "广西自治区",
        "宁夏" => "宁夏自治区",
        "新疆" => "新疆自治区",
        _ => return None,
    };
    Some(form).filter(|form| *form != province.name && province.name.ends_with(AUTONOMOUS_SUFFIX))
}

/// The region `written` names, by the module's rules.
pub fn lookup(written: &str) -> Option<Region> {
    let written = written.trim();
    if written.is_empty() {
        return None;
    }
    SPELLINGS.get(written).copied()
}

/// Every region by its code.
static CODES: LazyLock<HashMap<&'static str, Region>> =
    LazyLock::new(|| all().map(|region| (region.code, region)).collect());

/// The region of an 8-digit code.
pub fn by_code(code: &str) -> Option<Region> {
    CODES.get(code.trim()).copied()
}

/// Every spelling [`lookup`] reads, sorted: what a "did you mean" picks from.
pub fn spellings() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = SPELLINGS.keys().copied().collect();
    names.sort_unstable();
    names
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
/// The legacy side reads province names this way
/// ([`crate::getui::conditions::legacy_region`]); for a name the table does not hold, it
/// is also the spelling gtcamp compares ([`canonical`]).
pub fn region_name(region: &str) -> &str {
    let region = region.trim();
    REGION_SUFFIXES
        .iter()
        .find_map(|suffix| region.strip_suffix(suffix).filter(|rest| !rest.is_empty()))
        .unwrap_or(region)
}

/// The spelling gtcamp sends and compares for `written`: its region's
/// [`Region::canonical`], or, for a name the table does not hold, the name without its
/// administrative suffix ([`region_name`]), as before there was a table.
pub fn canonical(written: &str) -> String {
    match lookup(written) {
        Some(region) => region.canonical().to_owned(),
        None => region_name(written).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn code_of(name: &str) -> Option<&'static str> {
        lookup(name).map(|region| region.code())
    }

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
    fn the_table_holds_34_provinces_and_333_prefectures_with_distinct_codes() {
        let provinces = all().filter(|r| !r.is_city()).count();
        let cities = all().filter(Region::is_city).count();
        assert_eq!((provinces, cities), (34, 333));
        let codes: BTreeSet<&str> = all().map(|r| r.code()).collect();
        assert_eq!(codes.len(), 367);
        let names: BTreeSet<&str> = all().map(|r| r.name()).collect();
        assert_eq!(names.len(), 367, "official names are distinct");
    }

    #[test]
    fn every_code_has_the_shape_of_its_level_and_its_province_prefix() {
        for region in all() {
            let code = region.code();
            assert!(
                code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()),
                "{code}"
            );
            if region.is_city() {
                assert!(code.ends_with("0000") && &code[2..4] != "00", "{code}");
                let province = region.province();
                assert!(!province.is_city(), "{code}");
                assert_eq!(&province.code()[..2], &code[..2], "{code}");
            } else {
                assert_eq!(region.province(), region);
            }
        }
    }

    #[test]
    fn the_kinds_of_prefecture_are_counted_as_the_standard_counts_them() {
        let ending = |suffix: &str| {
            all()
                .filter(|r| r.is_city() && r.name().ends_with(suffix))
                .count()
        };
        assert_eq!(ending("自治州"), 30);
        assert_eq!(ending("地区"), 7);
        assert_eq!(ending("盟"), 3);
        assert_eq!(ending("市"), 293);
    }

    #[test]
    fn spot_checks_by_official_and_short_name() {
        for (name, code) in [
            ("北京", "11000000"),
            ("台湾", "71000000"),
            ("香港", "81000000"),
            ("澳门", "82000000"),
            ("广州", "44010000"),
            ("深圳", "44030000"),
            ("苏州", "32050000"),
            ("延边朝鲜族自治州", "22240000"),
            ("阿拉善盟", "15290000"),
            ("大兴安岭地区", "23270000"),
            ("三沙", "46030000"),
            ("儋州", "46040000"),
            ("毕节", "52050000"),
            ("铜仁", "52060000"),
            ("海东", "63020000"),
            ("日喀则", "54020000"),
            ("吐鲁番", "65040000"),
            ("哈密", "65050000"),
            ("广州市", "44010000"),
            ("延边", "22240000"),
            ("锡林郭勒盟", "15250000"),
            ("锡林郭勒", "15250000"),
        ] {
            assert_eq!(code_of(name), Some(code), "{name}");
        }
    }

    #[test]
    fn a_name_shared_by_a_province_and_a_prefecture_is_the_province() {
        assert_eq!(code_of("吉林"), Some("22000000"));
        assert_eq!(code_of("吉林省"), Some("22000000"));
        assert_eq!(code_of("吉林市"), Some("22020000"));
        assert_eq!(code_of("海南"), Some("46000000"));
        assert_eq!(code_of("海南藏族自治州"), Some("63250000"));
        assert_eq!(code_of("海西"), Some("63280000"));
        assert_eq!(code_of("朝阳"), Some("21130000"));
        assert_eq!(code_of("海北"), Some("63220000"));
    }

    #[test]
    fn every_prefecture_is_readable_by_its_official_name_and_most_by_their_short_one() {
        let unreadable: Vec<&str> = all()
            .filter(|r| r.is_city() && lookup(r.short()) != Some(*r))
            .map(|r| r.name())
            .collect();
        assert_eq!(unreadable, ["吉林市", "海南藏族自治州"]);
        for region in all() {
            assert_eq!(lookup(region.name()), Some(region), "{}", region.name());
            assert_eq!(lookup(region.canonical()), Some(region));
        }
    }

    #[test]
    fn provinces_keep_the_spellings_gtcamp_took_before_cities() {
        for (name, code) in [
            ("浙江省", "33000000"),
            ("上海市", "31000000"),
            ("广西壮族自治区", "45000000"),
            ("广西自治区", "45000000"),
            ("新疆自治区", "65000000"),
            ("香港特别行政区", "81000000"),
            (" 浙江 ", "33000000"),
        ] {
            assert_eq!(code_of(name), Some(code), "{name}");
        }
        for unknown in ["浙江市", "杭洲", "", "广东/广州", "市"] {
            assert_eq!(lookup(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn containment_follows_the_province() {
        let guangdong = lookup("广东").unwrap_or_else(|| unreachable!());
        let shenzhen = lookup("深圳").unwrap_or_else(|| unreachable!());
        let guangzhou = lookup("广州").unwrap_or_else(|| unreachable!());
        assert!(guangdong.contains(&shenzhen));
        assert!(shenzhen.contains(&shenzhen));
        assert!(!shenzhen.contains(&guangdong));
        assert!(!shenzhen.contains(&guangzhou));
        assert_eq!(shenzhen.province(), guangdong);
        assert_eq!(guangdong.cities().count(), 21);
        assert_eq!(shenzhen.cities().count(), 0);
        let beijing = lookup("北京").unwrap_or_else(|| unreachable!());
        assert_eq!(beijing.cities().count(), 0);
    }

    #[test]
    fn canonical_spellings_keep_provinces_short_and_cities_official() {
        assert_eq!(canonical("浙江省"), "浙江");
        assert_eq!(canonical("深圳"), "深圳市");
        assert_eq!(canonical("吉林市"), "吉林市");
        assert_eq!(canonical("火星省"), "火星");
        assert_eq!(by_code("44030000").map(|r| r.canonical()), Some("深圳市"));
        assert_eq!(by_code("44990000"), None);
    }
}
