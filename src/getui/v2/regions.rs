//! Region names ↔ REST V2 region codes, read both ways through [`crate::getui::regions`].
//!
//! V2 conditions name regions by number (`region_code.data` in Getui's docs, F.7): a
//! province as its GB/T 2260 code followed by `000000` (北京 `11000000`), a
//! prefecture-level city as its 4-digit code followed by `0000` (深圳 `44030000`). Names
//! read back in gtcamp's one spelling per region ([`Region::canonical`]: `广东`,
//! `深圳市`), so what the emulator reads is what the compiler wrote.
//!
//! [`Region::canonical`]: crate::getui::regions::Region::canonical

use crate::getui::regions;

/// The V2 code of a province or city, by any spelling [`regions::lookup`] reads.
pub fn code_of(name: &str) -> Option<&'static str> {
    regions::lookup(name).map(|region| region.code())
}

/// The canonical name of a V2 code (`广东`, `深圳市`).
pub fn name_of(code: &str) -> Option<&'static str> {
    regions::by_code(code).map(|region| region.canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_reads_back_both_ways() {
        for region in regions::all() {
            assert_eq!(code_of(region.canonical()), Some(region.code()));
            assert_eq!(name_of(region.code()), Some(region.canonical()));
        }
    }

    #[test]
    fn long_names_and_examples_from_the_docs() {
        assert_eq!(code_of("北京市"), Some("11000000"));
        assert_eq!(code_of("广东省"), Some("44000000"));
        assert_eq!(code_of("广西壮族自治区"), Some("45000000"));
        assert_eq!(code_of("香港特别行政区"), Some("81000000"));
        assert_eq!(code_of("广州"), Some("44010000"));
        assert_eq!(code_of("深圳市"), Some("44030000"));
        assert_eq!(name_of("44000000"), Some("广东"));
        assert_eq!(name_of("44030000"), Some("深圳市"));
    }

    #[test]
    fn unknown_names_and_codes_map_to_nothing() {
        assert_eq!(code_of("杭洲"), None);
        assert_eq!(code_of(""), None);
        assert_eq!(name_of("33990000"), None);
        assert_eq!(
            name_of("11010000"),
            None,
            "北京's 市辖区 is not a prefecture"
        );
        assert_eq!(
            name_of("41900000"),
            None,
            "济源's group is not a prefecture"
        );
    }
}
