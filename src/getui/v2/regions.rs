//! Province names ↔ REST V2 region codes: one table, read both ways.
//!
//! V2 conditions name regions by number (`region_code.data` in Getui's docs), where the
//! legacy protocol took province names. gtcamp uses 8-digit codes built from the GB/T 2260
//! province code followed by `000000` (北京 `11000000`, 广东 `44000000`). That is a reading
//! of the docs' examples, not a confirmed fact: Getui does not publish the code list in any
//! source gtcamp was built from. Only province-level regions are listed, as gtcamp's
//! conditions only name provinces.
//!
//! Names are gtcamp's short form ([`region_name`]): `浙江省` and `浙江` are the same row.

use crate::getui::conditions::region_name;

/// (short province name, V2 region code), in GB/T 2260 order.
const REGIONS: [(&str, &str); 34] = [
    ("北京", "11000000"),
    ("天津", "12000000"),
    ("河北", "13000000"),
    ("山西", "14000000"),
    ("内蒙古", "15000000"),
    ("辽宁", "21000000"),
    ("吉林", "22000000"),
    ("黑龙江", "23000000"),
    ("上海", "31000000"),
    ("江苏", "32000000"),
    ("浙江", "33000000"),
    ("安徽", "34000000"),
    ("福建", "35000000"),
    ("江西", "36000000"),
    ("山东", "37000000"),
    ("河南", "41000000"),
    ("湖北", "42000000"),
    ("湖南", "43000000"),
    ("广东", "44000000"),
    ("广西", "45000000"),
    ("海南", "46000000"),
    ("重庆", "50000000"),
    ("四川", "51000000"),
    ("贵州", "52000000"),
    ("云南", "53000000"),
    ("西藏", "54000000"),
    ("陕西", "61000000"),
    ("甘肃", "62000000"),
    ("青海", "63000000"),
    ("宁夏", "64000000"),
    ("新疆", "65000000"),
    ("台湾", "71000000"),
    ("香港", "81000000"),
    ("澳门", "82000000"),
];

/// The V2 code of a province, by any spelling [`region_name`] shortens (`浙江省`, `浙江`).
pub fn code_of(name: &str) -> Option<&'static str> {
    let short = region_name(name);
    REGIONS
        .iter()
        .find(|(province, _)| *province == short)
        .map(|(_, code)| *code)
}

/// The short province name of a V2 code.
pub fn name_of(code: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(_, known)| *known == code.trim())
        .map(|(province, _)| *province)
}

/// Every province name gtcamp can map, short form.
pub fn names() -> impl Iterator<Item = &'static str> {
    REGIONS.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_reads_back_both_ways() {
        for (name, code) in REGIONS {
            assert_eq!(code_of(name), Some(code), "{name}");
            assert_eq!(name_of(code), Some(name), "{code}");
            assert!(code.len() == 8 && code.ends_with("000000"), "{code}");
        }
        let mut codes: Vec<&str> = REGIONS.iter().map(|(_, code)| *code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), REGIONS.len());
    }

    #[test]
    fn long_names_and_examples_from_the_docs() {
        assert_eq!(code_of("北京市"), Some("11000000"));
        assert_eq!(code_of("广东省"), Some("44000000"));
        assert_eq!(code_of("广西壮族自治区"), Some("45000000"));
        assert_eq!(code_of("香港特别行政区"), Some("81000000"));
        assert_eq!(name_of("44000000"), Some("广东"));
    }

    #[test]
    fn unknown_names_and_codes_map_to_nothing() {
        assert_eq!(code_of("杭州"), None);
        assert_eq!(code_of(""), None);
        assert_eq!(name_of("33010000"), None);
        assert_eq!(names().count(), 34);
    }
}
