//! REST API V2: what a workspace asks that V2 cannot do, reported before any call.
//!
//! A `getui-v2` target, or a sandbox with `protocol: v2`, cannot send `popload` templates
//! (GC080) or SMS fallback (GC081), has no cellular-only delivery (GC082), accepts task
//! group names of `[0-9A-Za-z_-]` only (GC083), and binds phones only through a legacy
//! `bindings_endpoint` (GC084; a V2 sandbox binds through its own legacy API). A V2
//! notification that opens a URL carries no payload for the app (GC086), and its text is at
//! most 256 characters, not the legacy 600 (GC087). GC085 refuses a target setting its type
//! does not read, so that `protocol: v2` on a `getui` target is never mistaken for a V2
//! target.
//!
//! Which targets are judged is the caller's [`TargetScope`]: `plan` and `apply` judge the
//! target they run against (`calendar` the default one), so a workspace with SMS fallback
//! still plans on its legacy target; `validate` judges every V2 target gtcamp.yaml defines,
//! so that the pull request adding an SMS template to a workspace that also deploys to V2 is
//! told at once, not when the V2 plan fails later.

use super::site::Site;
use super::{Diagnostic, View};
use crate::load::FieldPath;
use crate::load::codes;
use crate::model::{Network, Protocol, TargetKind, TemplateKind, Workspace};

/// A V2 notification's `body`: at most this many characters (the legacy API takes 600).
const MAX_V2_TEXT_CHARS: usize = 256;

/// Which targets the target-dependent rules judge the workspace for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetScope<'a> {
    /// Every target gtcamp.yaml defines (what `validate` reports).
    Every,
    /// Only the named target (what `plan` and `apply` run against).
    Named(&'a str),
}

/// The V2 targets in scope, by name; a sandbox counts when it speaks V2.
struct V2Targets {
    all: Vec<String>,
    /// Those of type `getui-v2` without a `bindings_endpoint`: where phone bindings cannot go.
    without_bindings: Vec<String>,
}

impl V2Targets {
    fn of(settings: &Workspace, scope: TargetScope) -> Self {
        let mut all = Vec::new();
        let mut without_bindings = Vec::new();
        let named: Vec<(String, crate::model::Target)> = match scope {
            TargetScope::Every => settings
                .targets
                .iter()
                .map(|(name, target)| (name.clone(), target.clone()))
                .collect(),
            TargetScope::Named(name) => settings
                .target(name)
                .map(|target| vec![(name.to_owned(), target)])
                .unwrap_or_default(),
        };
        for (name, target) in named {
            if target.protocol() != Protocol::V2 {
                continue;
            }
            if target.kind == TargetKind::GetuiV2 && target.bindings_endpoint.is_none() {
                without_bindings.push(name.clone());
            }
            all.push(name);
        }
        V2Targets {
            all,
            without_bindings,
        }
    }
}

/// `target `a`` or `targets `a`, `b``.
pub(super) fn targets_phrase(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.as_slice() {
        [one] => format!("target {one}"),
        _ => format!("targets {}", quoted.join(", ")),
    }
}

pub(super) fn check(view: &View, scope: TargetScope, out: &mut Vec<Diagnostic>) {
    if let Some((loaded, settings)) = view.workspaces.first() {
        let root = FieldPath::root();
        check_settings(&Site::of(loaded, &root), settings, out);
    }
    let Some(settings) = view.settings() else {
        return;
    };
    let targets = V2Targets::of(settings, scope);
    if targets.all.is_empty() {
        return;
    }
    let speak = format!(
        "{} speak{} REST API V2",
        targets_phrase(&targets.all),
        if targets.all.len() == 1 { "s" } else { "" }
    );
    for (site, template) in view.all_templates() {
        if template.kind == TemplateKind::Popload {
            out.push(site.at_value(
                Diagnostic::error(codes::GC080, format!("{} is a `popload` template, which REST API V2 cannot send ({speak})", template_label(template)))
                    .help("use a `link` template to the download page, or a legacy `getui` target for pop-up downloads")
                    .label("no V2 equivalent"),
                &["type"],
            ));
        }
        if template.kind == TemplateKind::Link && template.transmission.is_some() {
            out.push(site.at_key(
                Diagnostic::error(codes::GC086, format!("{} opens a URL and hands the app a `transmission`, which a REST API V2 notification cannot do both of ({speak})", template_label(template)))
                    .help("remove `transmission`, or make it a `notification` template whose app opens the page from the payload")
                    .label("no payload with a URL on V2"),
                &["transmission"],
            ));
        }
        if let Some(text) = &template.text
            && text.chars().count() > MAX_V2_TEXT_CHARS
        {
            out.push(site.at_value(
                Diagnostic::error(codes::GC087, format!("the text of {} is {} characters; REST API V2 takes at most {MAX_V2_TEXT_CHARS} ({speak})", template_label(template), text.chars().count()))
                    .help(format!("shorten the text to {MAX_V2_TEXT_CHARS} characters, or use a legacy `getui` target (600)"))
                    .label("too long for V2"),
                &["text"],
            ));
        }
        if template.sms.is_some() {
            out.push(
                site.at_key(
                    Diagnostic::error(
                        codes::GC081,
                        format!(
                            "{} falls back to SMS, which REST API V2 cannot do ({speak})",
                            template_label(template)
                        ),
                    )
                    .help("use a legacy `getui` target for SMS fallback, or remove `sms`")
                    .label("no SMS fallback on V2"),
                    &["sms"],
                ),
            );
        }
    }
    let root = FieldPath::root();
    for (loaded, campaign) in &view.campaigns {
        let site = Site::of(loaded, &root);
        check_delivery(&site, campaign, &speak, out);
    }
    if !targets.without_bindings.is_empty() {
        let which = targets_phrase(&targets.without_bindings);
        for (loaded, bindings) in &view.bindings {
            out.push(Site::of(loaded, &root).at_value(
                Diagnostic::error(codes::GC084, format!("phone bindings `{}` cannot be made on {which}: REST API V2 has no cid–phone binding", bindings.name))
                    .help(format!("add `bindings_endpoint: https://api.getui.com/apiex.htm` (the legacy API, same credentials) to {which} in gtcamp.yaml, or use a legacy `getui` target"))
                    .label("needs a legacy endpoint"),
                &["kind"],
            ));
        }
    }
}

fn check_delivery(
    site: &Site,
    campaign: &crate::model::Campaign,
    speak: &str,
    out: &mut Vec<Diagnostic>,
) {
    let delivery = &campaign.delivery;
    if delivery.network == Network::Cellular {
        out.push(site.at_value(
            Diagnostic::error(codes::GC082, format!("campaign `{}` is delivered over cellular data only, which REST API V2 cannot ask for ({speak})", campaign.name))
                .help("write `network: any` or `network: wifi`, or use a legacy `getui` target for cellular-only delivery")
                .label("any or wifi on V2"),
            &["delivery", "network"],
        ));
    }
    if let Some(group) = &delivery.task_group
        && let Some(bad) = group.chars().find(|c| !is_group_char(*c))
    {
        out.push(site.at_value(
            Diagnostic::error(codes::GC083, format!("task group `{group}` of campaign `{}` has `{bad}`, which REST API V2 refuses in a group name ({speak})", campaign.name))
                .help("keep to letters, digits, `_` and `-`")
                .label("letters, digits, `_`, `-` only"),
            &["delivery", "task_group"],
        ));
    }
}

/// A named template by its name; one written in a campaign has none.
pub(super) fn template_label(template: &crate::model::Template) -> String {
    if template.name.is_empty() {
        "the campaign's template".to_owned()
    } else {
        format!("template `{}`", template.name)
    }
}

/// REST API V2's `group_name` charset.
fn is_group_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Settings a target's type does not read: refused, so that nobody believes a `getui`
/// target with `protocol: v2` speaks V2.
fn check_settings(site: &Site, settings: &Workspace, out: &mut Vec<Diagnostic>) {
    for (name, target) in &settings.targets {
        let kind = target.kind.name();
        if target.protocol.is_some() && target.kind != TargetKind::Sandbox {
            let help = match target.kind {
                TargetKind::Getui => "remove `protocol`; for REST API V2, write `type: getui-v2`",
                _ => "remove `protocol`: a `getui-v2` target always speaks REST API V2",
            };
            out.push(site.at_key(
                Diagnostic::error(codes::GC085, format!("target `{name}` is of type `{kind}`, which does not read `protocol` (only a sandbox does)"))
                    .help(help)
                    .label("sandbox only"),
                &["targets", name, "protocol"],
            ));
        }
        if target.bindings_endpoint.is_some() && target.kind != TargetKind::GetuiV2 {
            out.push(site.at_key(
                Diagnostic::error(codes::GC085, format!("target `{name}` is of type `{kind}`, which does not read `bindings_endpoint` (only a `getui-v2` target does)"))
                    .help("remove `bindings_endpoint`: this target binds phones itself")
                    .label("getui-v2 only"),
                &["targets", name, "bindings_endpoint"],
            ));
        }
    }
}
