//! Settings: the workspace's targets and defaults, and each campaign's delivery options.

use super::audience::is_region;
use super::schedule::{bad_zone, parse_zone};
use super::site::Site;
use super::template::{is_http_url, too_long};
use super::{Diagnostic, View};
use crate::compile::region_name;
use crate::load::FieldPath;
use crate::model::{Duration, QuietHours, TargetKind, Workspace};

const MIN_OFFLINE_KEEP_SECS: u64 = 3_600;
const MAX_OFFLINE_KEEP_SECS: u64 = 72 * 3_600;
/// Getui's 40, less the `-` and 16 hex digits compile appends to identify each send.
const MAX_TASK_GROUP_CHARS: usize = 40 - crate::compile::GROUP_SUFFIX_CHARS;

pub(super) fn check(view: &View, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    for (loaded, workspace) in &view.workspaces {
        let site = Site::of(loaded, &root);
        for (name, target) in &workspace.targets {
            let endpoint = target.endpoint.as_deref();
            if target.kind == TargetKind::Getui && !endpoint.is_some_and(is_http_url) {
                let what = if endpoint.is_some() {
                    "an http(s) URL as `endpoint`"
                } else {
                    "an `endpoint`"
                };
                out.push(site.at_value(
                    Diagnostic::error("GC060", format!("target `{name}` talks to Getui but has no {what}"))
                        .help("write the Getui API address, such as `endpoint: https://api.getui.com/apiex.htm`")
                        .label("getui target"),
                    &["targets", name, "endpoint"],
                ));
            }
        }
        if let Some(default) = &workspace.default_target
            && !workspace.targets.contains_key(default)
        {
            let known: Vec<String> = workspace.targets.keys().map(|k| format!("`{k}`")).collect();
            let help = if known.is_empty() {
                format!("add a target named `{default}` under `targets`")
            } else {
                format!("name one of the targets: {}", known.join(", "))
            };
            out.push(
                site.at_value(
                    Diagnostic::error(
                        "GC061",
                        format!("`default_target` is `{default}`, but no target has that name"),
                    )
                    .help(help)
                    .label("unknown target"),
                    &["default_target"],
                ),
            );
        }
        check_quiet_hours(
            &site,
            &workspace.defaults.quiet_hours,
            &["defaults", "quiet_hours"],
            out,
        );
        check_regional_quiet_hours(&site, workspace, out);
        if parse_zone(&workspace.defaults.timezone).is_none() {
            out.push(bad_zone(
                &site,
                &workspace.defaults.timezone,
                &["defaults", "timezone"],
            ));
        }
        check_offline_keep(
            &site,
            workspace.defaults.offline_keep,
            &["defaults", "offline_keep"],
            out,
        );
    }
    for (loaded, campaign) in &view.campaigns {
        let site = Site::of(loaded, &root);
        let delivery = &campaign.delivery;
        if let Some(keep) = delivery.offline_keep {
            check_offline_keep(&site, keep, &["delivery", "offline_keep"], out);
        }
        if delivery.speed == Some(0) {
            out.push(site.at_value(
                Diagnostic::error("GC063", "a delivery speed of 0 would never send anything")
                    .help("give messages per second above 0, or remove `speed` to send as fast as Getui can")
                    .label("speed 0"),
                &["delivery", "speed"],
            ));
        }
        if let Some(group) = &delivery.task_group {
            let chars = group.chars().count();
            if chars > MAX_TASK_GROUP_CHARS {
                out.push(too_long(
                    &site,
                    &["delivery", "task_group"],
                    chars,
                    MAX_TASK_GROUP_CHARS,
                ));
            }
        }
    }
}

fn check_quiet_hours(site: &Site, quiet: &QuietHours, at: &[&str], out: &mut Vec<Diagnostic>) {
    for (field, value) in [("start", &quiet.start), ("end", &quiet.end)] {
        if !is_hh_mm(value) {
            let path: Vec<&str> = at.iter().copied().chain([field]).collect();
            out.push(
                site.at_value(
                    Diagnostic::error(
                        "GC062",
                        format!("quiet hours `{field}` is `{value}`, not a time of day"),
                    )
                    .help("write `HH:MM` on a 24-hour clock, such as `22:00` or `08:30`")
                    .label("not HH:MM"),
                    &path,
                ),
            );
        }
    }
}

/// `lints.quiet_hours.regions`: each a real region, with `HH:MM` hours.
fn check_regional_quiet_hours(site: &Site, workspace: &Workspace, out: &mut Vec<Diagnostic>) {
    for (region, hours) in &workspace.lints.quiet_hours.regions {
        let at = ["lints", "quiet_hours", "regions", region.as_str()];
        if !is_region(&region_name(region)) && !is_region(region) {
            out.push(site.at_key(
                Diagnostic::error(
                    "GC044",
                    format!("`{region}` is not a province-level region of China"),
                )
                .help("write a province, municipality, autonomous region or SAR by its Chinese name, with or without 省/市/自治区, such as `浙江` or `上海市`")
                .label("unknown region"),
                &at,
            ));
        }
        check_quiet_hours(site, hours, &at, out);
    }
}

fn is_hh_mm(value: &str) -> bool {
    let bytes = value.as_bytes();
    let digit = |i: usize| {
        bytes
            .get(i)
            .filter(|b| b.is_ascii_digit())
            .map(|b| b - b'0')
    };
    match (
        bytes.len(),
        digit(0),
        digit(1),
        bytes.get(2),
        digit(3),
        digit(4),
    ) {
        (5, Some(h1), Some(h2), Some(b':'), Some(m1), Some(_)) => h1 * 10 + h2 < 24 && m1 < 6,
        _ => false,
    }
}

fn check_offline_keep(site: &Site, keep: Duration, path: &[&str], out: &mut Vec<Diagnostic>) {
    let secs = keep.as_secs();
    if (MIN_OFFLINE_KEEP_SECS..=MAX_OFFLINE_KEEP_SECS).contains(&secs) {
        return;
    }
    out.push(
        site.at_value(
            Diagnostic::error(
                "GC050",
                format!(
                    "an offline keep time of `{keep}` is outside what Getui accepts (1h to 72h)"
                ),
            )
            .help("write a time from `1h` to `72h`, such as `12h`")
            .label("out of range"),
            path,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_are_24_hour_times() {
        assert!(is_hh_mm("22:00") && is_hh_mm("08:30") && is_hh_mm("23:59"));
        for bad in ["24:00", "8:30", "08:60", "0830", "08:30:00", "ab:cd"] {
            assert!(!is_hh_mm(bad), "{bad}");
        }
    }
}
