//! Fatigue (GC070): two campaigns that can reach the same people send close together.
//!
//! A person who gets two pushes within a few hours learns to turn notifications off. Two
//! campaigns are judged able to reach the same people when nothing in their audiences
//! keeps them apart (see [`can_overlap`]); sends closer than `lints.fatigue.window`
//! (strictly: exactly the window apart is fine) are flagged. Each pair of campaigns is
//! reported once, at its earliest close pair of sends, with how many there are.

use crate::load::codes;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{DateTime, Datelike, Offset, Timelike, Utc};
use chrono_tz::Tz;

use super::{Finding, Subject};
use crate::getui::regions;
use crate::load::Diagnostic;
use crate::model::{Audience, FatigueLint, Selector};

/// The first close pair of sends of two campaigns, and how many close pairs there are.
struct Clash {
    /// Indexes into the subjects and send lists: (earlier, later).
    first: (usize, usize),
    at: (usize, usize),
    count: usize,
    why: String,
}

pub(super) fn lint(subjects: &[Subject], config: &FatigueLint, out: &mut Vec<Finding>) {
    let window = i64::try_from(config.window.as_secs()).unwrap_or(i64::MAX);
    // Seconds since the epoch: the inner loop runs millions of times on a busy workspace.
    let mut sends: Vec<(i64, usize, usize)> = subjects
        .iter()
        .enumerate()
        .flat_map(|(s, subject)| {
            subject
                .sends
                .iter()
                .enumerate()
                .map(move |(n, at)| (at.timestamp(), s, n))
        })
        .collect();
    sends.sort();
    let mut overlap = OverlapCache::new(subjects);
    let mut clashes: Vec<Clash> = Vec::new();
    let mut index: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, &(at, s, n)) in sends.iter().enumerate() {
        for &(later_at, t, m) in sends.iter().skip(i + 1) {
            if later_at.saturating_sub(at) >= window {
                break;
            }
            if s == t {
                continue;
            }
            let (a, b) = (&subjects[s], &subjects[t]);
            if !overlap.judge(a, b) {
                continue;
            }
            let pair = (s.min(t), s.max(t));
            match index.entry(pair) {
                Entry::Occupied(e) => {
                    if let Some(clash) = clashes.get_mut(*e.get()) {
                        clash.count += 1;
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(clashes.len());
                    let clash = Clash {
                        first: (s, t),
                        at: (n, m),
                        count: 1,
                        why: can_overlap(a, b).unwrap_or_default(),
                    };
                    clashes.push(clash);
                }
            }
        }
    }
    for clash in clashes {
        out.push(report(subjects, config, &clash));
    }
}

/// Whether two audiences can overlap, judged once per pair of audience documents: a
/// workspace of thousands of campaigns shares a few hundred audiences, and the sends of a
/// busy fortnight make millions of close pairs, so the lookup is a table, not a hash,
/// unless there are too many audiences for one.
pub(super) struct OverlapCache {
    audiences: usize,
    /// 0 not judged yet, 1 apart, 2 overlapping; row-major by audience id.
    table: Vec<u8>,
    /// By (smaller id, larger id), when there is no table.
    sparse: HashMap<(usize, usize), bool>,
}

impl OverlapCache {
    /// Above this many audiences the table (n² bytes) would be too large.
    const MAX_TABLE_AUDIENCES: usize = 2_048;

    pub(super) fn new(subjects: &[Subject]) -> OverlapCache {
        let ids = subjects
            .iter()
            .map(|s| s.audience_id)
            .filter(|id| *id != usize::MAX);
        let audiences = ids.max().map_or(0, |max| max + 1);
        let cells = if audiences <= Self::MAX_TABLE_AUDIENCES {
            audiences * audiences
        } else {
            0
        };
        OverlapCache {
            audiences,
            table: vec![0; cells],
            sparse: HashMap::new(),
        }
    }

    pub(super) fn judge(&mut self, a: &Subject, b: &Subject) -> bool {
        let (x, y) = (a.audience_id, b.audience_id);
        if x >= self.audiences || y >= self.audiences {
            return false; // an audience that is not defined reaches nobody known
        }
        if self.table.is_empty() {
            return *self
                .sparse
                .entry((x.min(y), x.max(y)))
                .or_insert_with(|| can_overlap(a, b).is_some());
        }
        match self.table.get(x * self.audiences + y) {
            Some(1) => return false,
            Some(2) => return true,
            _ => {}
        }
        let overlapping = can_overlap(a, b).is_some();
        for cell in [x * self.audiences + y, y * self.audiences + x] {
            if let Some(cell) = self.table.get_mut(cell) {
                *cell = if overlapping { 2 } else { 1 };
            }
        }
        overlapping
    }
}

fn report(subjects: &[Subject], config: &FatigueLint, clash: &Clash) -> Finding {
    let (earlier, later) = (&subjects[clash.first.0], &subjects[clash.first.1]);
    let (first_at, second_at) = (earlier.sends[clash.at.0], later.sends[clash.at.1]);
    let gap = second_at
        .with_timezone(&Utc)
        .signed_duration_since(first_at.with_timezone(&Utc));
    let more = match clash.count {
        1 => String::new(),
        n => format!(" ({n} close pairs of sends in the plan's window; this is the first)"),
    };
    let message = format!(
        "campaigns `{}` and `{}` can reach the same people ({}) and send {} apart: `{}` at {}, `{}` at {}{more}",
        earlier.name,
        later.name,
        clash.why,
        words(gap),
        earlier.name,
        local(&first_at),
        later.name,
        local(&second_at),
    );
    let help = format!(
        "move one of them at least {} away from the other, or narrow an audience so they cannot overlap; \
         `lints.fatigue.window` in gtcamp.yaml sets the gap, `lints.fatigue.level: off` silences this",
        config.window
    );
    let mut finding = later.finding(
        Diagnostic::of_level(config.level, codes::GC070, message)
            .help(help)
            .label(format!("{} after `{}`", words(gap), earlier.name)),
    );
    finding.diagnostic = finding.diagnostic.related(
        earlier.schedule.clone(),
        format!("`{}` sends here", earlier.name),
    );
    finding
}

/// `2026-12-01 10:00 +08:00`: a send as a reviewer reads it, in its campaign's zone.
/// Written by hand: chrono's format strings are parsed on every call, and a busy workspace
/// has tens of thousands of findings.
pub(super) fn local(at: &DateTime<Tz>) -> String {
    let offset = at.offset().fix().local_minus_utc();
    let (sign, minutes) = if offset < 0 {
        ('-', -offset / 60)
    } else {
        ('+', offset / 60)
    };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} {sign}{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        minutes / 60,
        minutes % 60
    )
}

/// `1h30m`, `45m`, `2h`.
fn words(gap: chrono::Duration) -> String {
    let minutes = gap.num_minutes().max(0);
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// Why two campaigns can reach the same people, or `None` when their audiences keep them
/// apart. Judged on what is written, without asking Getui:
///
/// - apart when one requires a phone type or region the other does not allow (different
///   phone types or regions, or one's `all`/`any` values all in the other's `none`), or
///   when the one requires a tag the other excludes;
/// - else overlapping when either is broad (`all_users`, or no region or tag given it must
///   have), when they share a region or tag they must have (a `none` value is not shared),
///   or when no dimension is restricted by both;
/// - two alias or cid lists overlap when they share an entry; a list and a filter audience
///   only when the filter is broad (who is behind an alias is Getui's to know).
pub(super) fn can_overlap(a: &Subject, b: &Subject) -> Option<String> {
    let (x, y) = (a.audience?, b.audience?);
    let list = |audience: &Audience| audience.aliases.is_some() || audience.cids.is_some();
    match (list(x), list(y)) {
        (true, true) => shared_entry(x, y),
        (true, false) => broad(y).then(|| format!("`{}` is broad", b.name)),
        (false, true) => broad(x).then(|| format!("`{}` is broad", a.name)),
        (false, false) => filters_overlap(a.name, x, b.name, y),
    }
}

fn shared_entry(x: &Audience, y: &Audience) -> Option<String> {
    for (kind, left, right) in [("alias", &x.aliases, &y.aliases), ("cid", &x.cids, &y.cids)] {
        let (Some(left), Some(right)) = (left, right) else {
            continue;
        };
        if let Some(shared) = left.iter().find(|v| right.contains(v)) {
            return Some(format!("both send to {kind} `{shared}`"));
        }
    }
    None
}

fn filters_overlap(a: &str, x: &Audience, b: &str, y: &Audience) -> Option<String> {
    let regions = |audience: &Audience| short_regions(audience.regions.as_ref());
    let tags = |audience: &Audience| audience.tags.clone().unwrap_or_default();
    let types = |audience: &Audience| {
        let selector = audience.phone_types.as_ref().map(|s| Selector {
            any: s.any.iter().map(|t| t.0.to_ascii_lowercase()).collect(),
            all: s.all.iter().map(|t| t.0.to_ascii_lowercase()).collect(),
            none: s.none.iter().map(|t| t.0.to_ascii_lowercase()).collect(),
        });
        selector.unwrap_or_default()
    };
    let (rx, ry, tx, ty) = (regions(x), regions(y), tags(x), tags(y));
    let one_valued_apart = |p: &Selector<String>, q: &Selector<String>, covers: Covers| {
        excludes(p, q, covers) || both_restrict_apart(p, q, covers)
    };
    if one_valued_apart(&types(x), &types(y), same) || one_valued_apart(&rx, &ry, region_covers) {
        return None;
    }
    if excludes(&tx, &ty, same) {
        return None;
    }
    if broad(x) {
        return Some(broad_words(a, x));
    }
    if broad(y) {
        return Some(broad_words(b, y));
    }
    for (what, p, q, covers) in [
        ("region", &rx, &ry, region_covers as Covers),
        ("tag", &tx, &ty, same),
    ] {
        if let Some(shared) = shared_value(p, q, covers) {
            return Some(format!("both target {what} `{shared}`"));
        }
    }
    let both = |p: &Selector<String>, q: &Selector<String>| has_positive(p) && has_positive(q);
    if !both(&rx, &ry) && !both(&tx, &ty) {
        return Some("nothing in their filters keeps them apart".to_owned());
    }
    None
}

/// An audience with nothing it requires of region or tag: it reaches most users.
fn broad(audience: &Audience) -> bool {
    audience.all_users
        || (audience.aliases.is_none()
            && audience.cids.is_none()
            && !audience.regions.as_ref().is_some_and(has_positive)
            && !audience.tags.as_ref().is_some_and(has_positive))
}

fn broad_words(name: &str, audience: &Audience) -> String {
    if audience.all_users {
        format!("`{name}` sends to all users")
    } else {
        format!("`{name}` is restricted by neither region nor tag")
    }
}

/// Regions in one spelling each ([`regions::canonical`]), so `浙江省` and `浙江` are one.
/// Only regions: a tag is matched as written (`上海市` and `上海` are two tags).
fn short_regions(selector: Option<&Selector<String>>) -> Selector<String> {
    let Some(selector) = selector else {
        return Selector::default();
    };
    let short = |values: &Vec<String>| values.iter().map(|v| regions::canonical(v)).collect();
    Selector {
        any: short(&selector.any),
        all: short(&selector.all),
        none: short(&selector.none),
    }
}

fn positive(selector: &Selector<String>) -> impl Iterator<Item = &String> {
    selector.any.iter().chain(&selector.all)
}

fn has_positive(selector: &Selector<String>) -> bool {
    positive(selector).next().is_some()
}

/// `covers(w, v)`: every user who has value `v` has value `w` too.
type Covers = fn(&str, &str) -> bool;

/// Phone types and tags: a value covers only itself.
fn same(w: &str, v: &str) -> bool {
    w == v
}

/// Regions: a province covers its cities (`广东` covers `深圳市`); names the table does
/// not hold cover only themselves.
fn region_covers(w: &str, v: &str) -> bool {
    match (regions::lookup(w), regions::lookup(v)) {
        (Some(w), Some(v)) => w.contains(&v),
        _ => w == v,
    }
}

/// Whether some user can have both values: one covers the other.
fn meet(v: &str, w: &str, covers: Covers) -> bool {
    covers(v, w) || covers(w, v)
}

/// A value both sides require (or, for regions, the narrower of two nested ones).
fn shared_value<'a>(
    p: &'a Selector<String>,
    q: &'a Selector<String>,
    covers: Covers,
) -> Option<&'a String> {
    positive(p).find_map(|v| {
        positive(q)
            .find(|w| meet(v, w, covers))
            .map(|w| if covers(v, w) { w } else { v })
    })
}

/// Whether one side requires what the other excludes: an `all` value covered by the
/// other's `none`, or every `any` value covered by it.
fn excludes(p: &Selector<String>, q: &Selector<String>, covers: Covers) -> bool {
    let excluded = |q: &Selector<String>, v: &String| q.none.iter().any(|w| covers(w, v));
    let one_way = |p: &Selector<String>, q: &Selector<String>| {
        p.all.iter().any(|v| excluded(q, v))
            || (!p.any.is_empty() && p.any.iter().all(|v| excluded(q, v)))
    };
    one_way(p, q) || one_way(q, p)
}

/// For a dimension a user has one value of (phone type, region; a region's city and its
/// province being one place): both require values and no two of them meet.
fn both_restrict_apart(p: &Selector<String>, q: &Selector<String>, covers: Covers) -> bool {
    has_positive(p)
        && has_positive(q)
        && !positive(p).any(|v| positive(q).any(|w| meet(v, w, covers)))
}
