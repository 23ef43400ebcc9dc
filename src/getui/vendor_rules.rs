//! The phone makers' published rules on **marketing** messages: how many a device shows per
//! app per day, and the hours they are shown in.
//!
//! These are data, not logic: the makers change them (Huawei's came into force on
//! 2023-01-05, Honor's on 2023-02-01, vivo's on 2023-04-03), news apps get more, and an app may have agreed
//! other numbers with a maker. So every row carries its source and the date it was published,
//! the lints and the calendar read them through the workspace (`vendors.<code>.marketing_per_day`
//! and `marketing_hours` override a row), and the sandbox enforces the same rows.
//!
//! The rules are the makers', counted on the device's day in China time
//! ([`MAKERS_ZONE`]); service messages are not capped. Meizu publishes no cap that we found,
//! so its row has none.
//! See: issue 24.

use std::fmt;

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;

use super::vendor::Vendor;

/// The zone the makers count days and hours in: China's.
pub const MAKERS_ZONE: Tz = chrono_tz::Asia::Shanghai;

/// What a maker does with a marketing message outside its hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutsideHours {
    /// Accepted, and shown when the hours open (Huawei and Honor hold night messages).
    HeldUntilOpen,
    /// Not shown at all (vivo sends marketing messages only in its hours).
    Dropped,
}

/// A maker's rules on marketing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketingRules {
    /// Per device per app per day; `None`: no cap.
    pub per_day: Option<u32>,
    /// The hours, in China time, marketing messages are shown in; `None`: all day.
    pub hours: Option<DayWindow>,
    /// What happens outside them.
    pub outside_hours: OutsideHours,
}

impl MarketingRules {
    /// Whether a marketing message that reaches a device at `at` falls outside the hours.
    pub fn outside_hours_at(&self, at: DateTime<Utc>) -> bool {
        self.hours
            .is_some_and(|hours| !hours.contains(at.with_timezone(&MAKERS_ZONE)))
    }
}

/// One maker's published rules, with where they come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublishedRules {
    pub vendor: Vendor,
    /// For ordinary apps.
    pub rules: MarketingRules,
    /// The cap for apps the maker classifies as news apps (or with a news licence).
    pub news_app_per_day: Option<u32>,
    /// The cap of a marketing message sent without a channel id registered with the maker,
    /// when the maker has one (Xiaomi's default channel).
    pub unregistered_channel_per_day: Option<u32>,
    /// Where the numbers are published: Getui's summary of the makers' rules, which cites
    /// each maker's own page.
    pub source: &'static str,
    /// When the rule took effect, as that page dates it.
    pub published: &'static str,
}

impl PublishedRules {
    /// The rules for an app that is, or is not, a news app, sending its marketing messages
    /// with or without a channel id registered with the maker.
    pub fn for_app(&self, news_app: bool, registered_channel: bool) -> MarketingRules {
        let mut rules = self.rules;
        if news_app {
            rules.per_day = self.news_app_per_day.or(rules.per_day);
        }
        if !registered_channel && let Some(cap) = self.unregistered_channel_per_day {
            rules.per_day = Some(cap);
        }
        rules
    }
}

const fn window(from_hour: u16, to_hour: u16) -> Option<DayWindow> {
    Some(DayWindow {
        from: from_hour * 60,
        to: to_hour * 60,
    })
}

/// Every maker's published rules, one row each, in [`Vendor`] order.
pub const PUBLISHED: [PublishedRules; 6] = [
    PublishedRules {
        vendor: Vendor::Hw,
        rules: MarketingRules {
            per_day: Some(2),
            hours: window(6, 24),
            outside_hours: OutsideHours::HeldUntilOpen,
        },
        news_app_per_day: Some(5),
        unregistered_channel_per_day: None,
        source: "Getui, docs.getui.com/getui/mobile/vendor/qps/ (Huawei's 资讯营销类 rule)",
        published: "2023-01-05",
    },
    PublishedRules {
        vendor: Vendor::Ho,
        rules: MarketingRules {
            per_day: Some(2),
            hours: window(6, 24),
            outside_hours: OutsideHours::HeldUntilOpen,
        },
        news_app_per_day: Some(5),
        unregistered_channel_per_day: None,
        source: "Getui, docs.getui.com/getui/mobile/vendor/qps/ (Honor's 资讯营销类 rule)",
        published: "2023-02-01",
    },
    PublishedRules {
        vendor: Vendor::Xm,
        rules: MarketingRules {
            per_day: Some(5),
            hours: None,
            outside_hours: OutsideHours::HeldUntilOpen,
        },
        news_app_per_day: Some(8),
        unregistered_channel_per_day: Some(1),
        source: "Getui, docs.getui.com/getui/mobile/vendor/qps/ (Xiaomi's public channel; 1 on its default channel)",
        published: "undated",
    },
    PublishedRules {
        vendor: Vendor::Op,
        rules: MarketingRules {
            per_day: Some(2),
            hours: None,
            outside_hours: OutsideHours::HeldUntilOpen,
        },
        news_app_per_day: Some(5),
        unregistered_channel_per_day: None,
        source: "Getui, docs.getui.com/getui/mobile/vendor/qps/ (OPPO's 公信 messages)",
        published: "undated",
    },
    PublishedRules {
        vendor: Vendor::Vv,
        rules: MarketingRules {
            per_day: Some(2),
            hours: window(7, 23),
            outside_hours: OutsideHours::Dropped,
        },
        news_app_per_day: Some(5),
        unregistered_channel_per_day: None,
        source: "Getui, docs.getui.com/getui/mobile/vendor/qps/ (vivo's 运营消息, 07:00–23:00)",
        published: "2023-04-03",
    },
    PublishedRules {
        vendor: Vendor::Mz,
        rules: MarketingRules {
            per_day: None,
            hours: None,
            outside_hours: OutsideHours::HeldUntilOpen,
        },
        news_app_per_day: None,
        unregistered_channel_per_day: None,
        source: "no per-device marketing cap found in Getui's vendor documents",
        published: "-",
    },
];

/// The published row of `vendor`.
pub fn published(vendor: Vendor) -> &'static PublishedRules {
    let row = PUBLISHED.iter().find(|row| row.vendor == vendor);
    // Every vendor has a row: the table test checks it.
    row.unwrap_or(&PUBLISHED[0])
}

/// Hours of a day, `[from, to)` in minutes since midnight; `to` may be 1440 (midnight at the
/// end of the day), a window whose `to` is before `from` runs over midnight (`23:00-07:00`),
/// and one whose `to` equals `from` is the whole day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DayWindow {
    pub from: u16,
    pub to: u16,
}

impl DayWindow {
    /// Minutes in a day.
    pub const DAY: u16 = 24 * 60;

    /// Whether the local time of `at` is in the window.
    pub fn contains<Z: chrono::TimeZone>(&self, at: DateTime<Z>) -> bool {
        let minute = u16::try_from(at.hour() * 60 + at.minute()).unwrap_or(0);
        self.contains_minute(minute)
    }

    /// Whether minute `minute` of a day (0–1439) is in the window.
    pub fn contains_minute(&self, minute: u16) -> bool {
        if self.is_all_day() {
            true
        } else if self.from < self.to {
            (self.from..self.to).contains(&minute)
        } else {
            minute >= self.from || minute < self.to
        }
    }

    /// The whole day: no hours kept out.
    pub fn is_all_day(&self) -> bool {
        self.from % Self::DAY == self.to % Self::DAY
    }
}

impl fmt::Display for DayWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.from), hm(self.to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_vendor_has_one_row_in_vendor_order_with_a_source() {
        let vendors: Vec<Vendor> = PUBLISHED.iter().map(|row| row.vendor).collect();
        let mut sorted = vendors.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(vendors, sorted);
        assert_eq!(vendors.len(), 6);
        for row in &PUBLISHED {
            assert!(!row.source.is_empty());
            assert_eq!(published(row.vendor), row);
        }
    }

    #[test]
    fn the_rows_say_what_the_makers_published() {
        let caps: Vec<(Vendor, Option<u32>, Option<u32>)> = PUBLISHED
            .iter()
            .map(|r| (r.vendor, r.rules.per_day, r.news_app_per_day))
            .collect();
        assert_eq!(
            caps,
            [
                (Vendor::Hw, Some(2), Some(5)),
                (Vendor::Ho, Some(2), Some(5)),
                (Vendor::Xm, Some(5), Some(8)),
                (Vendor::Op, Some(2), Some(5)),
                (Vendor::Vv, Some(2), Some(5)),
                (Vendor::Mz, None, None),
            ]
        );
        assert_eq!(published(Vendor::Vv).for_app(true, false).per_day, Some(5));
        assert_eq!(published(Vendor::Vv).for_app(false, false).per_day, Some(2));
        assert_eq!(published(Vendor::Mz).for_app(true, true).per_day, None);
        // Xiaomi's default channel takes one marketing message a day, news licence or not.
        assert_eq!(published(Vendor::Xm).for_app(true, true).per_day, Some(8));
        assert_eq!(published(Vendor::Xm).for_app(true, false).per_day, Some(1));
    }

    #[test]
    fn hours_are_read_in_china_time() {
        let vivo = published(Vendor::Vv).rules;
        // 22:59 and 23:00 in Shanghai are 14:59 and 15:00 UTC.
        let utc = |h, m| Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap();
        assert!(!vivo.outside_hours_at(utc(14, 59)));
        assert!(vivo.outside_hours_at(utc(15, 0)));
        assert!(vivo.outside_hours_at(utc(22, 59))); // 06:59
        assert!(!vivo.outside_hours_at(utc(23, 0))); // 07:00
        let huawei = published(Vendor::Hw).rules;
        assert!(huawei.outside_hours_at(utc(16, 0))); // 00:00
        assert!(!huawei.outside_hours_at(utc(22, 0))); // 06:00
        assert!(!huawei.outside_hours_at(utc(15, 59))); // 23:59
    }

    #[test]
    fn windows_print_and_run_over_midnight() {
        let day = DayWindow {
            from: 7 * 60,
            to: 23 * 60,
        };
        assert_eq!(day.to_string(), "07:00-23:00");
        assert!(day.contains_minute(7 * 60) && !day.contains_minute(23 * 60));
        let night = DayWindow {
            from: 23 * 60,
            to: 7 * 60,
        };
        assert!(night.contains_minute(23 * 60) && night.contains_minute(0));
        assert!(!night.contains_minute(7 * 60));
        let evening = DayWindow {
            from: 6 * 60,
            to: 0,
        };
        assert!(evening.contains_minute(1439) && !evening.contains_minute(359));
        for all in [
            DayWindow {
                from: 0,
                to: DayWindow::DAY,
            },
            DayWindow { from: 480, to: 480 },
        ] {
            assert!(all.is_all_day() && all.contains_minute(1439) && all.contains_minute(0));
        }
    }
}
