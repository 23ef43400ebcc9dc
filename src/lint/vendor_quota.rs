//! Vendor quota (GC073): more marketing pushes can reach one Android device in a day than
//! the phone makers show.
//!
//! The makers of Android phones sold in China show an app's marketing messages only up to a
//! number per device per day, counted on the day in China time ([`MAKERS_ZONE`]), and drop
//! the rest. The caps are the published ones ([`crate::getui::vendor_rules::PUBLISHED`]), or
//! what `vendors:` in gtcamp.yaml makes of them (`news_app`, `marketing_per_day`). A vendor
//! with no cap, or whose strategy is `getui_only` (its channel is never used), is not judged.
//! Service pushes are not capped, and an audience whose `phone_types` allow iOS only reaches
//! no maker's channel. See: issue 24.
//!
//! # How many pushes can reach one device
//!
//! Two pushes can reach the same device when their campaigns' audiences can overlap (what
//! fatigue judges, [`super::fatigue::can_overlap`]), and a set of pushes can all reach one
//! device when every two of them can. The largest such set is a maximum-weight clique, hard
//! in general, so each China day gets a greedy one:
//!
//! - campaigns whose audiences are written alike form one group (they reach the same
//!   people), weighed by its marketing sends that day;
//! - from each of the [`SEEDS`] heaviest groups, every other group is added, heaviest first,
//!   when it can overlap all the groups already in; the heaviest set found is the count.
//!
//! So the count is a lower bound: every two pushes counted can reach the same device, but a
//! larger set may exist that the greedy pass missed. A day with more than [`MAX_GROUPS`]
//! groups is judged on its heaviest ones. Pair judgements are cached for the whole run
//! ([`OverlapCache`]): ten thousand campaigns share a few hundred audiences, and every day
//! asks about the same pairs again.
//!
//! A finding names the day, the count, each cap exceeded and the pushes each maker drops
//! (those past its cap, in time order), and points at the campaign whose push first goes
//! over the strictest cap. Days filled by the same campaigns are reported once, at the first,
//! with how many more there are: a daily rule would otherwise repeat itself for the horizon.

use crate::load::codes;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{NaiveDate, Utc};

use super::fatigue::{OverlapCache, local};
use super::{Finding, Subject};
use crate::getui::vendor_rules::MAKERS_ZONE;
use crate::load::Diagnostic;
use crate::model::{Audience, Vendor, Vendors, Workspace};

/// Heaviest groups a day's greedy set starts from.
const SEEDS: usize = 8;
/// Groups judged per day: beyond it, pair judgements grow with its square.
const MAX_GROUPS: usize = 256;
/// Dropped pushes named per maker; the rest are counted.
const MAX_NAMED: usize = 10;

/// One send: (subject index, send index).
type Push = (usize, usize);

/// One China day's marketing pushes, as the calendar shows them against the caps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketingDay {
    /// The day, in China time.
    pub day: NaiveDate,
    /// How many of its marketing pushes can reach one Android device (a lower bound, see
    /// the module doc).
    pub pushes: usize,
}

/// The smallest daily marketing cap among the makers whose channel is used, and who set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictestCap {
    pub per_day: u32,
    /// In [`Vendor`] order.
    pub vendors: Vec<Vendor>,
}

/// The strictest cap of a workspace's `vendors:` settings; `None` when no maker whose
/// channel is used caps marketing.
pub fn strictest_cap(vendors: &Vendors) -> Option<StrictestCap> {
    let caps = capped(vendors);
    let per_day = caps.iter().map(|(_, cap)| *cap).min()?;
    let vendors = caps
        .iter()
        .filter(|(_, cap)| *cap == per_day)
        .map(|(vendor, _)| *vendor)
        .collect();
    Some(StrictestCap { per_day, vendors })
}

/// The makers judged: a cap, and a channel Getui may use. In [`Vendor`] order.
fn capped(vendors: &Vendors) -> Vec<(Vendor, u32)> {
    vendors
        .all_marketing_rules()
        .into_iter()
        .filter(|rules| rules.uses_vendor_channel())
        .filter_map(|rules| Some((rules.vendor, rules.rules.per_day?)))
        .collect()
}

/// `Huawei`, `Huawei and vivo`, `Huawei, Honor and vivo`.
pub(super) fn makers(vendors: &[Vendor]) -> String {
    let names: Vec<&str> = vendors.iter().map(|v| v.maker()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Each China day with marketing pushes, with how many can reach one device.
pub(super) fn days(subjects: &[Subject]) -> Vec<MarketingDay> {
    let mut overlap = OverlapCache::new(subjects);
    day_loads(subjects, &mut overlap)
        .into_iter()
        .map(|(day, pushes)| MarketingDay {
            day,
            pushes: pushes.len(),
        })
        .collect()
}

pub(super) fn lint(subjects: &[Subject], settings: &Workspace, out: &mut Vec<Finding>) {
    let caps = capped(&settings.vendors);
    let Some(strictest) = caps.iter().map(|(_, cap)| *cap).min() else {
        return;
    };
    let strictest = usize::try_from(strictest).unwrap_or(usize::MAX);
    let mut overlap = OverlapCache::new(subjects);
    let loads = day_loads(subjects, &mut overlap);
    // Days over the strictest cap, by the campaigns filling them, in day order.
    let mut reports: Vec<(usize, usize, NaiveDate)> = Vec::new();
    let mut index: HashMap<BTreeSet<usize>, usize> = HashMap::new();
    for (n, (day, pushes)) in loads.iter().enumerate() {
        if pushes.len() <= strictest {
            continue;
        }
        let campaigns: BTreeSet<usize> = pushes.iter().map(|(s, _)| *s).collect();
        match index.get(&campaigns).and_then(|&i| reports.get_mut(i)) {
            Some(report) => {
                report.1 += 1;
                report.2 = *day;
            }
            None => {
                index.insert(campaigns, reports.len());
                reports.push((n, 0, *day));
            }
        }
    }
    for (n, more, last) in reports {
        if let Some((day, pushes)) = loads.get(n) {
            let over = Over {
                day: *day,
                pushes,
                more,
                last,
            };
            out.push(report(subjects, &caps, &over, settings));
        }
    }
}

/// A day over a cap, and the later days filled by the same campaigns.
struct Over<'a> {
    day: NaiveDate,
    pushes: &'a [Push],
    more: usize,
    last: NaiveDate,
}

fn report(
    subjects: &[Subject],
    caps: &[(Vendor, u32)],
    over: &Over,
    settings: &Workspace,
) -> Finding {
    let count = over.pushes.len();
    let mut by_cap: BTreeMap<u32, Vec<Vendor>> = BTreeMap::new();
    for (vendor, cap) in caps {
        if usize::try_from(*cap).is_ok_and(|cap| cap < count) {
            by_cap.entry(*cap).or_default().push(*vendor);
        }
    }
    let strictest = by_cap.keys().next().copied().unwrap_or(0);
    let first_over = usize::try_from(strictest)
        .ok()
        .and_then(|cap| over.pushes.get(cap));
    let pointed = first_over.map_or(0, |(s, _)| *s);
    let xiaomi_default_channel = by_cap.values().flatten().any(|v| *v == Vendor::Xm)
        && !settings.vendors.basics(Vendor::Xm).marketing_channel;
    let register = if xiaomi_default_channel {
        "register a marketing channel with Xiaomi and set `vendors.xm.marketing.channel_id` \
         (without one, Xiaomi's default channel shows one marketing push a day); "
    } else {
        ""
    };
    let help = format!(
        "{register}mark messages about the user's own business (orders, replies, reminders they \
         asked for) `class: service`, spread the marketing campaigns over more days, or \
         narrow an audience so they cannot overlap; if the app agreed another number \
         with a maker, set `vendors.<code>.marketing_per_day` in gtcamp.yaml. \
         `lints.vendor_quota.level: off` silences this"
    );
    let label = format!(
        "marketing push {} of {count} on {}, over the cap of {strictest}",
        strictest.saturating_add(1),
        over.day
    );
    let message = message(subjects, over, &by_cap);
    let diagnostic = Diagnostic::of_level(settings.lints.vendor_quota.level, codes::GC073, message)
        .help(help)
        .label(label);
    let Some(subject) = subjects.get(pointed) else {
        return Finding {
            diagnostic,
            campaign: String::new(),
        };
    };
    let mut finding = subject.finding(diagnostic);
    // Only one related place fits a diagnostic: the earliest other campaign of the day.
    let other = over
        .pushes
        .iter()
        .find(|(s, _)| *s != pointed)
        .and_then(|(s, _)| subjects.get(*s));
    if let Some(other) = other {
        finding.diagnostic = finding.diagnostic.related(
            other.schedule.clone(),
            format!("`{}` also sends marketing on {}", other.name, over.day),
        );
    }
    finding
}

/// The day, the count, and per cap exceeded (`by_cap`, smallest first) the makers with it
/// and the pushes they drop.
fn message(subjects: &[Subject], over: &Over, by_cap: &BTreeMap<u32, Vec<Vendor>>) -> String {
    let clauses: Vec<String> = by_cap
        .iter()
        .map(|(cap, vendors)| {
            let verb = if vendors.len() == 1 { "drops" } else { "drop" };
            let cap_index = usize::try_from(*cap).unwrap_or(usize::MAX);
            let dropped = over.pushes.get(cap_index..).unwrap_or_default();
            format!(
                "{} ({cap} a day) {verb} {}",
                makers(vendors),
                pushes_words(subjects, dropped)
            )
        })
        .collect();
    let also = match over.more {
        0 => String::new(),
        1 => format!(" (the same campaigns again on 1 more day, {})", over.last),
        n => format!(
            " (the same campaigns again on {n} more days, the last {})",
            over.last
        ),
    };
    format!(
        "on {} (China time) {} marketing pushes can reach one Android device, more than the \
         makers show: {}{also}",
        over.day,
        over.pushes.len(),
        clauses.join("; "),
    )
}

/// "`late` at 2030-01-08 22:00 +08:00, `later` at …", at most [`MAX_NAMED`] of them.
fn pushes_words(subjects: &[Subject], pushes: &[Push]) -> String {
    let mut words: Vec<String> = pushes
        .iter()
        .take(MAX_NAMED)
        .filter_map(|(s, n)| {
            let subject = subjects.get(*s)?;
            Some(format!(
                "`{}` at {}",
                subject.name,
                local(subject.sends.get(*n)?)
            ))
        })
        .collect();
    if pushes.len() > MAX_NAMED {
        words.push(format!("{} more", pushes.len() - MAX_NAMED));
    }
    words.join(", ")
}

/// Per China day with marketing pushes, the largest set found of them that can all reach one
/// device, earliest first (then campaign name).
fn day_loads(subjects: &[Subject], overlap: &mut OverlapCache) -> Vec<(NaiveDate, Vec<Push>)> {
    let group = groups(subjects);
    let mut days: BTreeMap<NaiveDate, Vec<Push>> = BTreeMap::new();
    for (s, subject) in subjects.iter().enumerate() {
        if group.get(s).copied().flatten().is_none() {
            continue;
        }
        for (n, at) in subject.sends.iter().enumerate() {
            let day = at.with_timezone(&MAKERS_ZONE).date_naive();
            days.entry(day).or_default().push((s, n));
        }
    }
    days.into_iter()
        .map(|(day, pushes)| {
            let members = heaviest_set(subjects, &group, &pushes, overlap);
            let mut reaching: Vec<Push> = pushes
                .into_iter()
                .filter(|(s, _)| {
                    group
                        .get(*s)
                        .copied()
                        .flatten()
                        .is_some_and(|g| members.contains(&g))
                })
                .collect();
            reaching.sort_by_key(|(s, n)| {
                let subject = &subjects[*s];
                (
                    subject.sends.get(*n).map(|at| at.with_timezone(&Utc)),
                    subject.name,
                    *n,
                )
            });
            (day, reaching)
        })
        .collect()
}

/// Per subject, the subject standing for its group (the first whose audience is written
/// alike), or `None` when the makers do not judge it or its audience is not defined.
fn groups(subjects: &[Subject]) -> Vec<Option<usize>> {
    let mut first: HashMap<String, usize> = HashMap::new();
    subjects
        .iter()
        .enumerate()
        .map(|(s, subject)| {
            let audience = subject.audience.filter(|_| subject.judged_by_makers())?;
            Some(*first.entry(written_alike(audience)).or_insert(s))
        })
        .collect()
}

/// An audience's filters and lists, without its name: what makes two audiences alike.
fn written_alike(audience: &Audience) -> String {
    let bare = Audience {
        document_kind: None,
        name: String::new(),
        description: None,
        ..audience.clone()
    };
    format!("{bare:?}")
}

/// The groups of the greedy set of the module doc.
fn heaviest_set(
    subjects: &[Subject],
    group: &[Option<usize>],
    pushes: &[Push],
    overlap: &mut OverlapCache,
) -> Vec<usize> {
    let mut weights: HashMap<usize, usize> = HashMap::new();
    for (s, _) in pushes {
        if let Some(g) = group.get(*s).copied().flatten() {
            *weights.entry(g).or_default() += 1;
        }
    }
    let mut heaviest: Vec<(usize, usize)> = weights.into_iter().collect();
    heaviest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    heaviest.truncate(MAX_GROUPS);
    let total: usize = heaviest.iter().map(|(_, w)| w).sum();
    let mut best: (usize, Vec<usize>) = (0, Vec::new());
    for &(seed, seed_weight) in heaviest.iter().take(SEEDS) {
        let mut members = vec![seed];
        let mut weight = seed_weight;
        for &(g, w) in heaviest.iter().filter(|(g, _)| *g != seed) {
            if members
                .iter()
                .all(|&m| overlap.judge(&subjects[m], &subjects[g]))
            {
                members.push(g);
                weight += w;
            }
        }
        if weight > best.0 {
            best = (weight, members);
        }
        if best.0 == total {
            break;
        }
    }
    best.1
}
