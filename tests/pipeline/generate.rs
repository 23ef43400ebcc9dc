//! Hostile workspaces from a byte string: the one generator behind the pipeline proptest
//! (`tests/pipeline/`) and the `cargo fuzz` target (`fuzz/fuzz_targets/pipeline.rs`, which
//! includes this file by path).
//!
//! The workspaces are *structurally* valid YAML of the right kinds, so that inputs reach
//! past the loader into check, compile, lint, plan and the renderers; the values are the
//! hostile part: boundary and absurd numbers, durations and dates, empty and huge strings,
//! every Unicode class, many documents, references that miss, cron rules of every shape and
//! zones with DST. The same bytes always give the same workspace, and any bytes give one:
//! once the bytes run out every choice reads as zero.

use std::fmt::Write as _;

/// Reads choices off a byte string; past its end every read is 0.
pub struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
    /// A calm workspace takes no hostile branch at all, so that a good share of cases get
    /// past check into compile, plan and apply (decided by the first byte).
    calm: bool,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        let mut bytes = Bytes {
            data,
            at: 0,
            calm: false,
        };
        bytes.calm = bytes.byte() < 112;
        bytes
    }

    fn byte(&mut self) -> u8 {
        let byte = self.data.get(self.at).copied().unwrap_or(0);
        self.at = self.at.saturating_add(1);
        byte
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let wide = if n > 200 {
            self.u32() as usize
        } else {
            usize::from(self.byte())
        };
        wide % n
    }

    /// True for `in_256` of every 256 bytes, and for the zero bytes past the end: the
    /// usual, sane branch.
    pub fn often(&mut self, in_256: u8) -> bool {
        self.byte() < in_256
    }

    /// True for `in_256` of every 256 bytes, never past the end nor in a calm workspace:
    /// the hostile branch.
    pub fn rarely(&mut self, in_256: u8) -> bool {
        let byte = self.byte();
        !self.calm && byte >= 255 - in_256.saturating_sub(1)
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// One file of a generated workspace: a path relative to its root, and its text.
pub type File = (String, String);

const DURATIONS: &[&str] = &[
    "0s",
    "1s",
    "59s",
    "60s",
    "1m",
    "9m",
    "10m",
    "11m",
    "59m",
    "1h",
    "2h",
    "12h",
    "71h",
    "72h",
    "73h",
    "1d",
    "3d",
    "4d",
    "7d",
    "8d",
    "14d",
    "30d",
    "31d",
    "366d",
    "367d",
    "3650d",
    "100000d",
    "100000000d",
    "106751991167300d",
    "9223372036854775807s",
    "9223372036854775808s",
    "18446744073709551615s",
    "18446744073709551615d",
    "99999999999999999999d",
    "1.5h",
    "-1h",
    "",
    "h",
];

const INSTANTS: &[&str] = &[
    "2026-12-06T12:00:00+08:00",
    "2026-12-06T10:05:00+08:00",
    "2026-12-06T10:00:30+08:00",
    "2026-12-07T00:00:00Z",
    "2026-12-13T09:59:00+08:00",
    "2026-12-20T20:00:00+08:00",
    "2027-03-28T02:30:00+01:00",
    "2026-11-01T01:30:00-04:00",
    "2029-12-06T10:00:00+08:00",
    "2040-01-05T09:30:00+08:00",
    "2100-02-28T23:59:59+14:00",
    "1970-01-01T00:00:00Z",
    "1969-12-31T23:59:59-23:59",
    "0000-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:00-23:59",
    "9999-12-31T23:59:59+14:00",
    "2026-02-29T10:00:00+08:00",
    "2026-12-06T24:00:00+08:00",
    "2026-12-06T10:00:60+08:00",
    "2026-12-06 10:00",
    "",
];

const DATES: &[&str] = &[
    "2026-12-06",
    "2026-12-07",
    "2026-12-31",
    "2027-03-28",
    "2028-02-29",
    "2026-02-29",
    "1970-01-01",
    "0001-01-01",
    "0000-01-01",
    "9999-12-31",
    "+10000-01-01",
    "262142-12-31",
    "-0001-01-01",
];

/// Cron rules: the first three fire at most daily, the rest are of every shape.
const CRONS: &[&str] = &[
    "0 10 * * 1",
    "30 2 * * *",
    "59 23 * * 1-5",
    "* * * * *",
    "*/1 * * * *",
    "0 0 29 2 *",
    "0 0 30 2 *",
    "0 0 31 4 *",
    "30 2 * * *",
    "30 1 * * 0",
    "0 0 * * 7",
    "0 0 L * *",
    "0 0 * * 5#5",
    "0 0 * * 5L",
    "0 0 1W * *",
    "59 23 31 12 *",
    "0 0 1 1 *",
    "0 0 ? * MON",
    "0 12 * JAN-DEC MON-SUN",
    "60 24 32 13 8",
    "1-59/0 * * * *",
    "0-59/59 0-23/23 1-31/30 1-12/11 0-7/6",
    "* * * * * *",
    "0 0 0 * * * *",
    "@yearly",
    "@hourly",
    "",
    " ",
    "0 10 * * 1,2,3,4,5,6,0",
    "00000000000000000000 * * * *",
    "18446744073709551616 * * * *",
    "\u{0663} * * * *",
];

const ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Havana",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Apia",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "Etc/GMT+12",
    "Etc/GMT-14",
    "UTC",
    "CST",
    "Nope/Zone",
    "",
];

/// Regions: the first six are real, the rest are not.
const REGIONS: &[&str] = &[
    "浙江",
    "上海",
    "广东省",
    "北京市",
    "新疆维吾尔自治区",
    "香港",
    "台湾省",
    "Zhejiang",
    "",
];

/// Phone types: the first two are real.
const PHONE_TYPES: &[&str] = &["android", "ios", "ANDROID", "symbian", ""];

const SPEEDS: &[&str] = &[
    "0",
    "1",
    "2000",
    "65535",
    "4294967295",
    "4294967296",
    "-1",
    "1e9",
    "18446744073709551616",
];

/// How many of [`PIECES`] no rule refuses: every Unicode class, but no control character,
/// phone number or URL.
const SANE_PIECES: usize = 14;

/// Pieces of text from every Unicode class, glued together by [`text`].
const PIECES: &[&str] = &[
    "a",
    "Spring sale",
    "春季促销",
    "全场八折",
    "Ünïcødé",
    "\u{0627}\u{0644}\u{0639}\u{0631}\u{0628}\u{064a}\u{0629}",
    "\u{202e}RTL override",
    "\u{200b}\u{200d}\u{2060}\u{feff}",
    "e\u{0301}\u{0302}\u{0303}\u{0304}",
    "🎉👩\u{200d}👩\u{200d}👧\u{200d}👦🇨🇳",
    "\u{1f600}",
    "\u{10ffff}",
    "\u{fffd}",
    "\u{e000}",
    "\u{0001}\u{0008}\u{001b}[31m",
    "\u{0085}\u{2028}\u{2029}",
    "\t",
    "\n",
    "\r\n",
    "\"quoted\"",
    "'single'",
    "\\backslash",
    "${order}",
    "${",
    "}",
    "<script>alert(1)</script>",
    "| --- |",
    "`code`",
    "*bold*",
    "::error::",
    "%0A",
    "&amp;",
    "{{",
    "13800138000",
    "https://shop.example/sale?x=1&y=2",
    "http://",
    "ftp://x",
    " ",
    "",
];

/// A YAML double-quoted scalar holding `text` exactly (JSON strings are YAML ones).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            // Non-printable to YAML: escaped so the file stays readable YAML.
            '\u{80}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A text: usually a few pieces, sometimes empty or huge.
fn text(b: &mut Bytes) -> String {
    if b.rarely(24) {
        return match b.below(3) {
            0 => String::new(),
            1 => b.pick(PIECES).repeat(1 + b.below(5_000)),
            _ => "x".repeat(b.below(3) * 100 + 30),
        };
    }
    let mut out = String::new();
    for _ in 0..1 + b.below(3) {
        let piece = if b.rarely(64) {
            b.pick(PIECES)
        } else {
            PIECES[b.below(SANE_PIECES)]
        };
        out.push_str(piece);
    }
    out
}

/// A document name: usually valid, sometimes not.
fn name(b: &mut Bytes, prefix: &str, n: usize) -> String {
    if !b.rarely(16) {
        return format!("{prefix}-{n}");
    }
    match b.below(4) {
        0 => text(b),
        1 => "a".repeat(41),
        2 => String::new(),
        _ => format!("{prefix}-{}", b.below(3)),
    }
}

/// A duration: `sane` usually, else a boundary or absurd one, or any number of any unit.
fn duration(b: &mut Bytes, sane: &str) -> String {
    if !b.rarely(32) {
        return sane.to_owned();
    }
    if b.often(200) {
        b.pick(DURATIONS).to_owned()
    } else {
        format!("{}{}", b.u32(), b.pick(&["s", "m", "h", "d"]))
    }
}

fn instant(b: &mut Bytes) -> String {
    if b.rarely(40) {
        b.pick(INSTANTS).to_owned()
    } else {
        INSTANTS[b.below(10)].to_owned()
    }
}

fn date_or_instant(b: &mut Bytes) -> String {
    if b.often(128) {
        if b.rarely(40) {
            b.pick(DATES).to_owned()
        } else {
            DATES[b.below(5)].to_owned()
        }
    } else {
        instant(b)
    }
}

fn list(b: &mut Bytes, item: impl Fn(&mut Bytes) -> String) -> String {
    let count = if b.rarely(6) {
        match b.below(2) {
            0 => 0,
            _ => 1000 + b.below(200),
        }
    } else {
        1 + b.below(4)
    };
    let items: Vec<String> = (0..count).map(|_| quoted(&item(b))).collect();
    format!("[{}]", items.join(", "))
}

/// `{ any: […], all: […], none: […] }` over `values`, the first `sane` of which are valid.
fn selector(b: &mut Bytes, values: &[&str], sane: usize) -> String {
    let mut parts = Vec::new();
    for key in ["any", "all", "none"] {
        if key == "any" || b.rarely(60) {
            let items = list(b, |b| match b.rarely(8) {
                true if b.often(128) => text(b),
                true => b.pick(values).to_owned(),
                false => values[b.below(sane)].to_owned(),
            });
            parts.push(format!("{key}: {items}"));
        }
    }
    format!("{{ {} }}", parts.join(", "))
}

fn cid(b: &mut Bytes) -> String {
    if b.rarely(24) {
        text(b)
    } else {
        format!("{:032x}", b.u32())
    }
}

fn audience_body(b: &mut Bytes, indent: &str) -> String {
    let mut out = String::new();
    match b.below(8) {
        0 | 1 => {
            let all = if b.rarely(16) { "false" } else { "true" };
            let _ = writeln!(out, "{indent}all_users: {all}");
        }
        2 => {
            let alias = |b: &mut Bytes| {
                if b.rarely(40) {
                    text(b)
                } else {
                    format!("vip_{}", b.below(100))
                }
            };
            let _ = writeln!(out, "{indent}aliases: {}", list(b, alias));
        }
        3 => {
            let _ = writeln!(out, "{indent}cids: {}", list(b, cid));
        }
        _ => {
            if b.often(160) {
                let types = selector(b, PHONE_TYPES, 2);
                let _ = writeln!(out, "{indent}phone_types: {types}");
            }
            if b.often(100) {
                let _ = writeln!(out, "{indent}regions: {}", selector(b, REGIONS, 6));
            }
            if b.often(160) {
                let tags = ["vip", "shopper", "churned", "标签"];
                let _ = writeln!(out, "{indent}tags: {}", selector(b, &tags, 4));
            }
        }
    }
    if b.rarely(4) {
        let _ = writeln!(out, "{indent}all_users: true");
    }
    out
}

fn template_body(b: &mut Bytes, indent: &str) -> String {
    let mut out = String::new();
    let kind = if b.rarely(4) {
        "banner"
    } else {
        b.pick(&["notification", "link", "popload", "transmission"])
    };
    let _ = writeln!(out, "{indent}type: {kind}");
    if b.rarely(3) {
        let _ = writeln!(out, "{indent}class: {}", b.pick(&["marketing", "service"]));
    }
    if kind != "transmission" || b.rarely(8) {
        for field in ["title", "text"] {
            if !b.rarely(6) {
                let _ = writeln!(out, "{indent}{field}: {}", quoted(&text(b)));
            }
        }
    }
    if kind == "link" || b.rarely(6) {
        let _ = writeln!(out, "{indent}url: {}", quoted(&url(b)));
    }
    if kind == "transmission" || b.rarely(8) {
        let launch = if b.rarely(16) {
            b.pick(&["broadcast", "immediate", "never"])
        } else {
            "broadcast"
        };
        let _ = writeln!(
            out,
            "{indent}transmission: {{ content: {}, launch: {launch} }}",
            quoted(&text(b))
        );
    }
    if kind == "popload" {
        popload(b, indent, &mut out);
    }
    if b.rarely(24) {
        let badge = if b.rarely(64) {
            b.pick(&["1", "\"+1\"", "\"-2\"", "4294967296", "-1", "\"+\""])
        } else {
            "\"+1\""
        };
        let _ = writeln!(
            out,
            "{indent}ios: {{ title: {}, body: {}, badge: {badge}, custom: {{ k: {} }} }}",
            quoted(&text(b)),
            quoted(&text(b)),
            quoted(&text(b))
        );
    }
    if b.rarely(24) {
        let (start, end) = if b.rarely(64) {
            (instant(b), instant(b))
        } else {
            (INSTANTS[0].to_owned(), INSTANTS[5].to_owned())
        };
        let _ = writeln!(
            out,
            "{indent}display_window: {{ start: {}, end: {} }}",
            quoted(&start),
            quoted(&end)
        );
    }
    if kind != "transmission" && b.rarely(24) {
        let style = match b.below(5) {
            0 => "type: system".to_owned(),
            1 => "type: getui".to_owned(),
            2 => format!("type: banner, banner_url: {}", quoted(&url(b))),
            3 => format!("type: big_image, big_image_url: {}", quoted(&url(b))),
            _ => format!("type: big_text, big_text: {}", quoted(&text(b))),
        };
        let _ = writeln!(out, "{indent}style: {{ {style} }}");
    }
    if b.rarely(24) {
        let id = if b.rarely(32) {
            b.pick(&["100001", "", "999"])
        } else {
            "100001"
        };
        let _ = writeln!(
            out,
            "{indent}sms: {{ template_id: {}, delay: {}, params: {{ order: {} }} }}",
            quoted(id),
            quoted(&duration(b, "2h")),
            quoted(&text(b))
        );
    }
    out
}

fn url(b: &mut Bytes) -> String {
    if b.rarely(24) {
        text(b)
    } else {
        format!("https://shop.example/{}", b.below(1000))
    }
}

fn popload(b: &mut Bytes, indent: &str, out: &mut String) {
    let _ = writeln!(out, "{indent}popload:");
    for (field, sane) in [
        ("popup_title", "新版本"),
        ("popup_text", "立即下载"),
        ("download_button", "下载"),
        ("cancel_button", "取消"),
        ("download_title", "Demo"),
    ] {
        let value = if b.rarely(16) {
            text(b)
        } else {
            sane.to_owned()
        };
        let _ = writeln!(out, "{indent}  {field}: {}", quoted(&value));
    }
    let _ = writeln!(out, "{indent}  download_url: {}", quoted(&url(b)));
}

fn schedule(b: &mut Bytes) -> String {
    let mut out = String::from("schedule:\n");
    let at = b.often(100);
    if at || b.rarely(8) {
        let _ = writeln!(out, "  at: {}", quoted(&instant(b)));
    }
    if !at || b.rarely(8) {
        let cron = if b.rarely(24) {
            text(b)
        } else if b.rarely(80) {
            b.pick(CRONS).to_owned()
        } else {
            CRONS[b.below(3)].to_owned()
        };
        let _ = writeln!(out, "  cron: {}", quoted(&cron));
        if b.often(160) {
            let zone = if b.rarely(60) {
                b.pick(ZONES)
            } else {
                ZONES[b.below(13)]
            };
            let _ = writeln!(out, "  timezone: {}", quoted(zone));
        }
        let hostile = b.rarely(24);
        if b.rarely(60) {
            let from = if hostile {
                date_or_instant(b)
            } else {
                DATES[b.below(2)].to_owned()
            };
            let _ = writeln!(out, "  from: {}", quoted(&from));
        }
        if b.rarely(60) {
            let until = if hostile {
                date_or_instant(b)
            } else {
                DATES[2 + b.below(3)].to_owned()
            };
            let _ = writeln!(out, "  until: {}", quoted(&until));
        }
    }
    out
}

/// A reference to one of `count` documents named `prefix-N`; now and then one that misses.
fn reference(b: &mut Bytes, prefix: &str, count: usize) -> String {
    let n = if b.rarely(16) {
        b.below(count.saturating_add(2))
    } else {
        b.below(count)
    };
    format!("{prefix}-{n}")
}

fn campaign(b: &mut Bytes, n: usize, templates: usize, audiences: usize) -> String {
    let mut out = format!("kind: Campaign\nname: {}\n", quoted(&name(b, "c", n)));
    if b.rarely(24) {
        let _ = writeln!(out, "enabled: false");
    }
    if b.rarely(24) {
        let _ = writeln!(out, "owner: {}", quoted(&text(b)));
    }
    if templates > 0 && b.often(160) {
        let _ = writeln!(out, "template: {}", quoted(&reference(b, "t", templates)));
    } else {
        let _ = writeln!(out, "template:\n{}", template_body(b, "  "));
    }
    if audiences > 0 && b.often(128) {
        let _ = writeln!(out, "audience: {}", quoted(&reference(b, "a", audiences)));
    } else {
        let body = audience_body(b, "  ");
        let _ = writeln!(out, "audience:\n{body}");
    }
    out.push_str(&schedule(b));
    if b.rarely(60) {
        let _ = writeln!(out, "delivery:");
        let _ = writeln!(out, "  offline_keep: {}", quoted(&duration(b, "12h")));
        let speed = if b.rarely(40) { b.pick(SPEEDS) } else { "2000" };
        let _ = writeln!(out, "  speed: {speed}");
        let network = if b.rarely(16) {
            b.pick(&["wifi", "5g"])
        } else {
            "any"
        };
        let _ = writeln!(out, "  network: {network}");
        if b.rarely(128) {
            let group = if b.rarely(40) {
                text(b)
            } else {
                format!("g{}", b.below(100))
            };
            let _ = writeln!(out, "  task_group: {}", quoted(&group));
        }
    }
    out
}

fn bindings(b: &mut Bytes, n: usize) -> String {
    let mut out = format!(
        "kind: PhoneBindings\nname: {}\npairs:\n",
        quoted(&name(b, "p", n))
    );
    for _ in 0..1 + b.below(6) {
        let hash = if b.rarely(24) {
            text(b)
        } else {
            format!("{:032x}", b.u32())
        };
        let _ = writeln!(
            out,
            "  - {{ cid: {}, pn_md5: {} }}",
            quoted(&cid(b)),
            quoted(&hash)
        );
    }
    if b.rarely(40) {
        let _ = writeln!(out, "source: phones.csv");
    }
    out
}

fn settings(b: &mut Bytes) -> String {
    let mut out = String::from("kind: Workspace\nname: fuzz\napp_id: demo\n");
    if b.rarely(60) {
        let _ = writeln!(
            out,
            "default_target: {}",
            b.pick(&["sandbox", "prod", "nope"])
        );
    }
    let _ = writeln!(out, "targets:\n  sandbox:\n    type: sandbox");
    // Small populations: a sandbox of the default 100,000 devices per case would spend the
    // budget building devices instead of trying inputs.
    let _ = writeln!(out, "    population: {}", b.pick(&["0", "1", "64"]));
    if b.often(128) {
        let _ = writeln!(out, "    max_push_ahead: {}", quoted(&duration(b, "7d")));
    }
    if b.rarely(60) {
        let _ = writeln!(
            out,
            "  prod:\n    type: getui\n    endpoint: {}",
            quoted(b.pick(&["https://api.getui.com/apiex.htm", "", "ftp://x"]))
        );
    }
    let _ = writeln!(out, "defaults:");
    let zone = if b.rarely(40) {
        b.pick(ZONES)
    } else {
        ZONES[b.below(13)]
    };
    let _ = writeln!(out, "  timezone: {}", quoted(zone));
    for (field, sane) in [
        ("offline_keep", "12h"),
        ("lead_time", "10m"),
        ("horizon", "14d"),
    ] {
        if b.often(128) {
            let _ = writeln!(out, "  {field}: {}", quoted(&duration(b, sane)));
        }
    }
    if b.often(100) {
        let hours = [
            "22:00", "08:00", "00:00", "23:59", "24:00", "8:00", "", "12:60",
        ];
        let hour = |b: &mut Bytes, sane: &'static str| {
            if b.rarely(32) { b.pick(&hours) } else { sane }
        };
        let (start, end) = (hour(b, "22:00"), hour(b, "08:00"));
        let _ = writeln!(
            out,
            "  quiet_hours: {{ start: {}, end: {} }}",
            quoted(start),
            quoted(end)
        );
    }
    if b.rarely(100) {
        let _ = writeln!(
            out,
            "sms_templates: {{ \"100001\": {} }}",
            quoted(&format!("{}${{order}}{}", text(b), text(b)))
        );
    }
    if b.rarely(120) {
        let level = |b: &mut Bytes| b.pick(&["off", "warning", "error"]);
        let _ = writeln!(out, "lints:");
        let _ = writeln!(
            out,
            "  fatigue: {{ level: {}, window: {} }}",
            level(b),
            quoted(&duration(b, "4h"))
        );
        let _ = writeln!(
            out,
            "  quiet_hours: {{ level: {}, regions: {{ {}: {{ start: \"21:00\", end: \"07:00\" }} }} }}",
            level(b),
            quoted(b.pick(REGIONS))
        );
        let _ = writeln!(out, "  sms_coverage: {{ level: {} }}", level(b));
        let _ = writeln!(out, "  vendor_quota: {{ level: {} }}", level(b));
        let _ = writeln!(out, "  vendor_hours: {{ level: {} }}", level(b));
    }
    out
}

/// A workspace: `gtcamp.yaml` and a few more files of one or more documents each.
pub fn workspace(b: &mut Bytes) -> Vec<File> {
    let mut files = vec![("gtcamp.yaml".to_owned(), settings(b))];
    let templates = b.below(4);
    let audiences = b.below(4);
    let campaigns = if b.rarely(12) {
        60 + b.below(60)
    } else {
        1 + b.below(5)
    };
    let mut docs = Vec::new();
    for n in 0..templates {
        docs.push(format!(
            "kind: Template\nname: {}\n{}",
            quoted(&name(b, "t", n)),
            template_body(b, "")
        ));
    }
    for n in 0..audiences {
        docs.push(format!(
            "kind: Audience\nname: {}\n{}",
            quoted(&name(b, "a", n)),
            audience_body(b, "")
        ));
    }
    for n in 0..campaigns {
        docs.push(campaign(b, n, templates, audiences));
    }
    if b.rarely(60) {
        docs.push(bindings(b, 0));
        files.push((
            "phones.csv".to_owned(),
            format!("cid,phone\n{},13800138000\n", cid(b)),
        ));
    }
    let per_file = 1 + b.below(4);
    for (n, chunk) in docs.chunks(per_file).enumerate() {
        let folder = if b.rarely(60) { "sub/" } else { "" };
        files.push((format!("{folder}f{n}.yaml"), chunk.join("---\n")));
    }
    files
}
