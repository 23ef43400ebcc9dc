//! The synthetic devices a new sandbox holds besides the workspace's own cids and aliases.
//!
//! Without them every audience estimate on the sandbox read "≈ 0 users", which teaches
//! nothing (issue 13). The population is deterministic: device `i` depends only on `i` and
//! the tag names, so two clones of a workspace get the same sandbox and the same estimates.
//! The generator is a splitmix64 hash of the index rather than a seeded `rand` generator,
//! whose output may change between versions of the crate.
//!
//! Each device is in a province and, where the province has prefecture-level cities, in
//! one of them: its region is the city's official name (`深圳市`), which implies the
//! province, or the province's for the municipalities, which have none (`北京市`). So a
//! city audience reaches that city's devices and a province audience all of its cities'.
//! The city is the device's last draw: adding it changed no other draw, so phone types,
//! provinces, tags, activity and online of every device are what they were before cities.
//!
//! An Android device then draws its maker, last for the same reason (cities, and everything
//! before them, are what they were before makers; an iOS device draws nothing more, so it is
//! untouched). The shares ([`MAKERS`]) approximate the installed base of Android phones in
//! China by brand, as 2024–2025 public market-share reports put it (Counterpoint and CINNO
//! quarterly China smartphone reports, rounded; shipments shift every quarter, and the base
//! lags them): Huawei ≈ 22%, vivo ≈ 20%, OPPO ≈ 18%, Xiaomi ≈ 17%, Honor ≈ 15%, Meizu ≈ 1%,
//! others ≈ 7%. They are an approximation, not a measurement; what matters to a sandbox user
//! is that every maker's caps show up in proportions like a real app's, and that a few
//! percent of devices (`other`) are reached only over Getui's own channel.

use std::sync::LazyLock;

use crate::emulator::{Maker, UserSeed};
use crate::getui::regions;

/// Provinces with a rough weight (population in millions), so that big provinces hold more
/// devices, as they would in a real app.
const PROVINCES: [(&str, u64); 31] = [
    ("广东省", 127),
    ("山东省", 102),
    ("河南省", 99),
    ("江苏省", 85),
    ("四川省", 84),
    ("河北省", 74),
    ("湖南省", 66),
    ("浙江省", 66),
    ("安徽省", 61),
    ("湖北省", 58),
    ("广西壮族自治区", 50),
    ("云南省", 47),
    ("江西省", 45),
    ("辽宁省", 42),
    ("福建省", 42),
    ("陕西省", 40),
    ("贵州省", 39),
    ("山西省", 35),
    ("重庆市", 32),
    ("黑龙江省", 31),
    ("新疆维吾尔自治区", 26),
    ("甘肃省", 25),
    ("上海市", 25),
    ("内蒙古自治区", 24),
    ("吉林省", 23),
    ("北京市", 22),
    ("天津市", 14),
    ("海南省", 10),
    ("宁夏回族自治区", 7),
    ("青海省", 6),
    ("西藏自治区", 4),
];

/// At most this many tags keep their full share (see `device`).
const TAGS_PER_DEVICE: u64 = 3;

/// The makers of Android devices, in percent (see the module doc for where they come from).
const MAKERS: [(Maker, u64); 7] = [
    (Maker::Hw, 22),
    (Maker::Vv, 20),
    (Maker::Op, 18),
    (Maker::Xm, 17),
    (Maker::Ho, 15),
    (Maker::Mz, 1),
    (Maker::Other, 7),
];

/// Share of iOS devices, in percent (the rest is Android, as in the Chinese market).
const IOS_PERCENT: u64 = 25;

/// `size` devices spread over phone types, provinces and `tags`, none with a cid `taken`
/// says is the workspace's.
pub fn synthetic_devices(
    size: usize,
    tags: &[String],
    taken: impl Fn(&str) -> bool,
) -> Vec<UserSeed> {
    // A device carries few tags however many the workspace uses (real segments overlap
    // little): with more than three tags, each tag's share is scaled down so that a device
    // has about one tag on average. Worked out once, not once per device and tag.
    let scale = TAGS_PER_DEVICE.min(tags.len().max(1) as u64);
    let spread = tags.len().max(1) as u64;
    let shares: Vec<(&String, u64)> = tags
        .iter()
        .map(|tag| (tag, tag_percent(tag) * scale))
        .collect();
    let mut devices = Vec::with_capacity(size);
    let mut index: u64 = 0;
    while devices.len() < size {
        let device = device(index, &shares, spread);
        index += 1;
        if !taken(&device.cid) {
            devices.push(device);
        }
    }
    devices
}

/// Device `index`; `shares` holds each tag with its scaled share, out of `100 * spread`.
fn device(index: u64, shares: &[(&String, u64)], spread: u64) -> UserSeed {
    let mut draw = Draws::new(index);
    // 32 hex digits, the shape of a Getui cid.
    let cid = format!("{:016x}{:016x}", draw.next(), draw.next());
    let mut seed = UserSeed::new(cid);
    if draw.next() % 100 < IOS_PERCENT {
        seed.phone_type = "IOS".to_owned();
    }
    let province = province(draw.next());
    let province_name = PROVINCES
        .get(province)
        .map_or(PROVINCES[0].0, |(name, _)| *name);
    seed.tags = shares
        .iter()
        .filter(|(_, share)| draw.next() % (100 * spread) < *share)
        .map(|(tag, _)| (*tag).clone())
        .collect();
    seed.activity = u32::try_from(draw.next() % 100).unwrap_or(0);
    seed.online = draw.next() % 100 < 60;
    seed.region = Some(
        city_in(province, draw.next())
            .unwrap_or(province_name)
            .to_owned(),
    );
    if seed.phone_type != "IOS" {
        seed.maker = Some(maker(draw.next()));
    }
    seed
}

/// The maker a draw lands on, by [`MAKERS`]' shares.
fn maker(draw: u64) -> Maker {
    let total: u64 = MAKERS.iter().map(|(_, share)| share).sum();
    let mut point = draw % total;
    for (maker, share) in MAKERS {
        if point < share {
            return maker;
        }
        point -= share;
    }
    Maker::Other
}

/// The cities of each of [`PROVINCES`], by official name, worked out once.
static CITIES: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    PROVINCES
        .iter()
        .map(|(name, _)| {
            regions::lookup(name)
                .map(|province| province.cities().map(|city| city.name()).collect())
                .unwrap_or_default()
        })
        .collect()
});

/// A city of the province at `province` in [`PROVINCES`], all equally likely (the
/// standard gives no populations); none for a municipality.
fn city_in(province: usize, draw: u64) -> Option<&'static str> {
    let cities = CITIES.get(province)?;
    let count = u64::try_from(cities.len()).ok().filter(|n| *n > 0)?;
    let index = usize::try_from(draw % count).ok()?;
    cities.get(index).copied()
}

/// How common a tag is, 5 to 40 percent, fixed by its name: tags differ the way real
/// segments do, and a tag keeps its share whatever other tags the workspace uses.
fn tag_percent(tag: &str) -> u64 {
    let name = tag.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    5 + splitmix(name) % 36
}

/// The index in [`PROVINCES`] of the province a draw lands in, by weight.
fn province(draw: u64) -> usize {
    let total: u64 = PROVINCES.iter().map(|(_, weight)| weight).sum();
    let mut point = draw % total;
    for (index, (_, weight)) in PROVINCES.iter().enumerate() {
        if point < *weight {
            return index;
        }
        point -= weight;
    }
    0
}

/// A stream of pseudo-random numbers for one device.
struct Draws {
    state: u64,
}

impl Draws {
    fn new(index: u64) -> Draws {
        Draws {
            state: index.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x6774_6361_6d70_0001,
        }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        splitmix(self.state)
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `100000` → `100,000`, as plans write counts.
pub fn with_thousands(n: usize) -> String {
    crate::render::thousands(u64::try_from(n).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_population_is_the_same_on_every_run() {
        let tags = vec!["vip".to_owned()];
        let first = synthetic_devices(50, &tags, |_| false);
        let again = synthetic_devices(50, &tags, |_| false);
        assert_eq!(first, again);
        let cids: BTreeSet<&str> = first.iter().map(|d| d.cid.as_str()).collect();
        assert_eq!(cids.len(), 50);
    }

    #[test]
    fn the_population_spreads_over_phone_types_provinces_and_tags() {
        let tags = vec!["vip".to_owned(), "new".to_owned()];
        let devices = synthetic_devices(10_000, &tags, |_| false);
        let ios = devices.iter().filter(|d| d.phone_type == "IOS").count();
        assert!((2_000..3_000).contains(&ios), "{ios} iOS devices");
        let province_of = |region: &str| regions::lookup(region).map(|r| r.province());
        let provinces: BTreeSet<_> = devices
            .iter()
            .filter_map(|d| d.region.as_deref().and_then(province_of))
            .collect();
        assert_eq!(provinces.len(), PROVINCES.len());
        for tag in &tags {
            let tagged = devices.iter().filter(|d| d.tags.contains(tag)).count();
            assert!(
                (300..4_500).contains(&tagged),
                "{tagged} devices tagged {tag}"
            );
        }
    }

    #[test]
    fn android_devices_have_makers_in_their_market_shares_and_ios_devices_none() {
        let devices = synthetic_devices(200_000, &[], |_| false);
        let android: Vec<&UserSeed> = devices.iter().filter(|d| d.phone_type != "IOS").collect();
        assert!(
            devices
                .iter()
                .filter(|d| d.phone_type == "IOS")
                .all(|d| d.maker.is_none())
        );
        for (maker, percent) in MAKERS {
            let count = android.iter().filter(|d| d.maker == Some(maker)).count();
            let share = count as f64 * 100.0 / android.len() as f64;
            assert!(
                (share - percent as f64).abs() < 0.5,
                "{maker:?}: {share:.2}% of Android devices, expected about {percent}%"
            );
        }
        // The same devices on every run, makers included.
        let again = synthetic_devices(200, &[], |_| false);
        let first: Vec<&UserSeed> = devices.iter().take(200).collect();
        assert_eq!(first, again.iter().collect::<Vec<_>>());
    }

    #[test]
    fn many_tags_stay_rare_on_each_device_yet_every_tag_has_devices() {
        let tags: Vec<String> = (0..200).map(|n| format!("segment-{n}")).collect();
        let devices = synthetic_devices(100_000, &tags, |_| false);
        let carried: usize = devices.iter().map(|d| d.tags.len()).sum();
        assert!(carried < 150_000, "{carried} tags on 100,000 devices");
        for tag in &tags {
            let tagged = devices.iter().filter(|d| d.tags.contains(tag)).count();
            assert!(tagged >= 50, "only {tagged} devices tagged {tag}");
        }
    }

    #[test]
    fn devices_live_in_cities_and_the_municipalities_in_themselves() {
        let devices = synthetic_devices(20_000, &[], |_| false);
        let region_of = |d: &UserSeed| d.region.as_deref().and_then(regions::lookup);
        let cities: BTreeSet<&str> = devices
            .iter()
            .filter_map(region_of)
            .filter(|r| r.is_city())
            .map(|r| r.name())
            .collect();
        assert!(cities.contains("深圳市") && cities.contains("广州市"));
        assert!(cities.len() > 250, "{} cities", cities.len());
        let beijing = devices
            .iter()
            .filter(|d| d.region.as_deref() == Some("北京市"));
        assert!(beijing.count() > 0);
        let unreadable = devices.iter().filter(|d| region_of(d).is_none()).count();
        assert_eq!(unreadable, 0);
    }

    #[test]
    fn a_workspace_cid_is_never_given_to_a_synthetic_device() {
        let first = synthetic_devices(1, &[], |_| false);
        let taken: BTreeSet<&str> = first.iter().map(|d| d.cid.as_str()).collect();
        let devices = synthetic_devices(3, &[], |cid| taken.contains(cid));
        assert!(devices.iter().all(|d| !taken.contains(d.cid.as_str())));
        assert_eq!(devices.len(), 3);
    }

    #[test]
    fn counts_are_written_with_thousands_separators() {
        assert_eq!(with_thousands(100_000), "100,000");
        assert_eq!(with_thousands(999), "999");
        assert_eq!(with_thousands(1_234_567), "1,234,567");
    }
}
