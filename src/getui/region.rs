//! Regions as Getui's `region` condition takes them: a province-level division by its short
//! Chinese name (`浙江`, not `浙江省`).
//!
//! Getui's own examples use the short form, and one spelling per province means that
//! writing `浙江` or `浙江省` sends the same request. Compile sends regions through
//! [`region_name`]; check and the lints compare regions through it.

/// Administrative suffixes, longest first so `壮族自治区` wins over `自治区`.
const SUFFIXES: [&str; 7] = [
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "省",
    "市",
];

/// The short name of a province-level region: `浙江省` → `浙江`, `上海市` → `上海`,
/// `广西壮族自治区` → `广西`. A suffix alone (`市`) is left as it is.
pub fn region_name(region: &str) -> &str {
    let region = region.trim();
    SUFFIXES
        .iter()
        .find_map(|suffix| region.strip_suffix(suffix).filter(|rest| !rest.is_empty()))
        .unwrap_or(region)
}

#[cfg(test)]
mod tests {
    use super::region_name;

    #[test]
    fn region_names_lose_their_administrative_suffix() {
        assert_eq!(region_name("浙江省"), "浙江");
        assert_eq!(region_name(" 上海市 "), "上海");
        assert_eq!(region_name("广西壮族自治区"), "广西");
        assert_eq!(region_name("新疆维吾尔自治区"), "新疆");
        assert_eq!(region_name("香港特别行政区"), "香港");
        assert_eq!(region_name("浙江"), "浙江");
        assert_eq!(region_name("市"), "市");
    }
}
