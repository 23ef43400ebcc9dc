//! Settings: the workspace's targets and defaults, and each campaign's delivery options.

use super::audience::region_help;
use super::names::name_problem;
use super::schedule::{bad_zone, parse_zone};
use super::site::Site;
use super::template::{is_http_url, too_long};
use super::{Diagnostic, View};
use crate::getui::regions;
use crate::load::FieldPath;
use crate::load::codes;
use crate::model::{
    Duration, QuietHours, StateBackend, StateConfig, Target, TargetKind, Vendor, Workspace,
    minute_of_day,
};

const MIN_OFFLINE_KEEP_SECS: u64 = 3_600;
const MAX_OFFLINE_KEEP_SECS: u64 = 72 * 3_600;
/// Getui's 40, less the `-` and 16 hex digits compile appends to identify each send.
const MAX_TASK_GROUP_CHARS: usize = crate::getui::api::TaskGroupName::MAX_PREFIX_CHARS;

pub(super) fn check(view: &View, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    for (loaded, workspace) in &view.workspaces {
        let site = Site::of(loaded, &root);
        for (name, target) in &workspace.targets {
            check_endpoints(&site, name, target, out);
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
                        codes::GC061,
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
        for vendor in Vendor::ALL {
            if let Some(hours) = workspace.vendors.basics(vendor).marketing_hours {
                let key = vendor.strategy_key();
                let at = ["vendors", key, "marketing_hours"];
                check_hours(
                    &site,
                    "marketing hours",
                    hours.start.as_str(),
                    hours.end.as_str(),
                    &at,
                    out,
                );
            }
        }
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
        check_state(&site, &workspace.state, out);
        check_test_devices(&site, workspace, out);
    }
    for (loaded, campaign) in &view.campaigns {
        let site = Site::of(loaded, &root);
        let delivery = &campaign.delivery;
        if let Some(keep) = delivery.offline_keep {
            check_offline_keep(&site, keep, &["delivery", "offline_keep"], out);
        }
        if delivery.speed == Some(0) {
            out.push(site.at_value(
                Diagnostic::error(codes::GC063, "a delivery speed of 0 would never send anything")
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

/// GC096: each of `test_devices` is `cid:` and a client id or `alias:` and an alias, so that
/// `gtcamp send-test` never has to guess which one a name stands for.
fn check_test_devices(site: &Site, workspace: &Workspace, out: &mut Vec<Diagnostic>) {
    for (name, device) in &workspace.test_devices {
        let Err(problem) = crate::model::parse_device(device) else {
            continue;
        };
        out.push(
            site.at_value(
                Diagnostic::error(
                    codes::GC096,
                    format!("test device `{name}`: {problem}"),
                )
                .help("write `cid:` and the device's client id (`cid:0b1e6d3f8a2c4e5f`), or `alias:` and an alias bound to it (`alias:qa_team`)")
                .label("not cid:… or alias:…"),
                &["test_devices", name],
            ),
        );
    }
}

/// GC060: a real target needs an http(s) address to talk to; a `getui-v2` target has a
/// default one, so only a written one is judged, and so is its `bindings_endpoint`.
fn check_endpoints(site: &Site, name: &str, target: &Target, out: &mut Vec<Diagnostic>) {
    let endpoint = target.endpoint.as_deref();
    let bad_endpoint = match target.kind {
        TargetKind::Getui => !endpoint.is_some_and(is_http_url),
        TargetKind::GetuiV2 => endpoint.is_some_and(|url| !is_http_url(url)),
        TargetKind::Sandbox => false,
    };
    if bad_endpoint {
        let what = if endpoint.is_some() {
            "http(s) URL as `endpoint`"
        } else {
            "`endpoint`"
        };
        let example = match target.kind {
            TargetKind::GetuiV2 => {
                "`endpoint: https://restapi.getui.com/v2` (or no `endpoint`, which means that one)"
            }
            _ => "`endpoint: https://api.getui.com/apiex.htm`",
        };
        out.push(
            site.at_value(
                Diagnostic::error(
                    codes::GC060,
                    format!("target `{name}` talks to Getui but has no {what}"),
                )
                .help(format!("write the Getui API address, such as {example}"))
                .label(format!("{} target", target.kind.name())),
                &["targets", name, "endpoint"],
            ),
        );
    }
    if target.kind == TargetKind::GetuiV2
        && let Some(url) = target.bindings_endpoint.as_deref()
        && !is_http_url(url)
    {
        out.push(site.at_value(
            Diagnostic::error(codes::GC060, format!("target `{name}` has a `bindings_endpoint` that is not an http(s) URL"))
                .help("write the legacy Getui API address, such as `bindings_endpoint: https://api.getui.com/apiex.htm`")
                .label("not an http(s) URL"),
            &["targets", name, "bindings_endpoint"],
        ));
    }
}

/// The state settings: a usable variable name and workspace name for PostgreSQL, and no
/// setting that the chosen backend ignores.
fn check_state(site: &Site, state: &StateConfig, out: &mut Vec<Diagnostic>) {
    if let Some(variable) = &state.url_env
        && !is_env_var_name(variable)
    {
        out.push(site.at_value(
            Diagnostic::error(codes::GC064, format!("`url_env` is `{variable}`, not the name of an environment variable"))
                .help("name the variable that holds the URL, such as `url_env: GTCAMP_PG_URL`; the URL itself is never written in a file")
                .label("not a variable name"),
            &["state", "url_env"],
        ));
    }
    if let Some(name) = &state.workspace
        && let Some(problem) = name_problem(name)
    {
        out.push(site.at_value(
            Diagnostic::error(codes::GC065, format!("state workspace `{name}` {problem}"))
                .help("use lowercase letters, digits and `-`, at most 40 characters, such as `shop-eu`")
                .label("invalid workspace name"),
            &["state", "workspace"],
        ));
    }
    let ignored: Vec<&str> = match state.backend {
        StateBackend::Local => [
            ("url_env", state.url_env.is_some()),
            ("workspace", state.workspace.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, given)| given.then_some(field))
        .collect(),
        StateBackend::Postgres if state.path != StateConfig::default().path => vec!["path"],
        StateBackend::Postgres => Vec::new(),
    };
    for field in ignored {
        let help = if field == "path" {
            "with `backend: postgres` the state is in the database; `path` only names the local file `gtcamp state migrate` moves there: remove it once migrated"
        } else {
            "these settings are for `backend: postgres`; remove them, or set `backend: postgres`"
        };
        out.push(
            site.at_key(
                Diagnostic::warning(
                    codes::GC066,
                    format!(
                        "`state.{field}` has no effect on the `{}` backend",
                        state.backend.name()
                    ),
                )
                .help(help)
                .label("ignored"),
                &["state", field],
            ),
        );
    }
}

/// A POSIX environment variable name: letters, digits and `_`, not starting with a digit.
fn is_env_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_quiet_hours(site: &Site, quiet: &QuietHours, at: &[&str], out: &mut Vec<Diagnostic>) {
    check_hours(site, "quiet hours", &quiet.start, &quiet.end, at, out);
}

/// GC062: both ends of daily hours written `HH:MM`.
fn check_hours(
    site: &Site,
    what: &str,
    start: &str,
    end: &str,
    at: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    for (field, value) in [("start", start), ("end", end)] {
        if !is_hh_mm(value) {
            let path: Vec<&str> = at.iter().copied().chain([field]).collect();
            out.push(
                site.at_value(
                    Diagnostic::error(
                        codes::GC062,
                        format!("{what} `{field}` is `{value}`, not a time of day"),
                    )
                    .help("write `HH:MM` on a 24-hour clock, such as `22:00` or `08:30`")
                    .label("not HH:MM"),
                    &path,
                ),
            );
        }
    }
}

/// `lints.quiet_hours.regions`: each a real province, written once, with `HH:MM` hours.
/// `浙江` and `浙江省` are one region written twice: GC009, the code of a key written twice,
/// since which of the two hours would apply is as unclear as with a repeated key.
///
/// Provinces only: all of China keeps Beijing time, so a city's nights are its province's,
/// and the lint judges a city audience by its province's entry. A city here is GC044 with
/// its province named.
fn check_regional_quiet_hours(site: &Site, workspace: &Workspace, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for (region, hours) in &workspace.lints.quiet_hours.regions {
        let at = ["lints", "quiet_hours", "regions", region.as_str()];
        let short = regions::canonical(region);
        if let Some((_, first)) = seen.iter().find(|(name, _)| *name == short) {
            out.push(site.at_key(
                Diagnostic::error(
                    codes::GC009,
                    format!("`{region}` and `{first}` are the same region: its quiet hours are written twice"),
                )
                .help(format!("keep one entry for `{short}`; a region is named with or without 省/市/自治区, not both"))
                .label("same region again"),
                &at,
            ));
        } else {
            seen.push((short.clone(), region.as_str()));
        }
        if let Some(problem) = quiet_region_problem(region) {
            out.push(site.at_key(problem, &at));
        }
        check_quiet_hours(site, hours, &at, out);
    }
}

/// Why `region` cannot key quiet hours: it names no region, or a city.
fn quiet_region_problem(region: &str) -> Option<Diagnostic> {
    match regions::lookup(region) {
        Some(found) if found.is_city() => {
            let province = found.province().short();
            Some(
                Diagnostic::error(
                    codes::GC044,
                    format!("`{region}` is a prefecture-level city; quiet hours are set per province"),
                )
                .help(format!("write its province, `{province}`: all of China keeps Beijing time, and a city audience is judged by its province's quiet hours"))
                .label("a city, not a province"),
            )
        }
        Some(_) => None,
        None => Some(
            Diagnostic::error(
                codes::GC044,
                format!("`{region}` is not a province-level region of China"),
            )
            .help(region_help(region, false))
            .label("unknown region"),
        ),
    }
}

fn is_hh_mm(value: &str) -> bool {
    minute_of_day(value).is_some()
}

fn check_offline_keep(site: &Site, keep: Duration, path: &[&str], out: &mut Vec<Diagnostic>) {
    let secs = keep.as_secs();
    if (MIN_OFFLINE_KEEP_SECS..=MAX_OFFLINE_KEEP_SECS).contains(&secs) {
        return;
    }
    out.push(
        site.at_value(
            Diagnostic::error(
                codes::GC050,
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
    fn url_env_is_an_environment_variable_name() {
        assert!(is_env_var_name("GTCAMP_PG_URL") && is_env_var_name("_pg1"));
        for bad in ["", "1PG", "PG-URL", "postgres://u:p@h/db", "PG URL"] {
            assert!(!is_env_var_name(bad), "{bad}");
        }
    }

    #[test]
    fn quiet_hours_are_24_hour_times() {
        assert!(is_hh_mm("22:00") && is_hh_mm("08:30") && is_hh_mm("23:59"));
        for bad in ["24:00", "8:30", "08:60", "0830", "08:30:00", "ab:cd"] {
            assert!(!is_hh_mm(bad), "{bad}");
        }
    }
}
