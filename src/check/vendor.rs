//! Vendor channels: the message class and what the makers' notifications need.
//!
//! GC090 (by `validate` only) says, once per workspace, that templates without a class are sent as marketing:
//! once, because a workspace written before classes existed has every template without
//! one, and thirty warnings saying the same thing would bury the others. GC091–GC093 judge
//! a template's `android:` and `harmony:` blocks. GC094 refuses, on legacy targets, what the
//! legacy protocol cannot carry: its third-party notification exists only on transmission
//! templates (`TransmissionTemplate.set3rdNotifyInfo` of the official SDK), it has no
//! channel strategy, no HarmonyOS NEXT part, and no Honor key. GC095 warns that a service
//! message of another kind never reaches the makers there.
//! See: issue 24.

use super::legacy::legacy_phrase;
use super::site::Site;
use super::v2::{TargetScope, template_label};
use super::{Diagnostic, View};
use crate::load::FieldPath;
use crate::load::codes;
use crate::model::{MessageClass, Template, TemplateKind, Vendor, VendorClick};

/// Longest intent Getui takes in a vendor notification (protocol doc D.7).
const MAX_INTENT_CHARS: usize = 1000;

pub(super) fn check(view: &View, scope: TargetScope, out: &mut Vec<Diagnostic>) {
    let default_class = view.settings().and_then(|s| s.defaults.class);
    let templates = view.all_templates();
    // Only `validate` nudges: a plan or apply of an old workspace is not the place to
    // repeat it on every run.
    if scope == TargetScope::Every {
        check_unclassified(&templates, default_class, out);
    }
    for (site, template) in &templates {
        let class = template
            .class
            .or(default_class)
            .unwrap_or(MessageClass::Marketing);
        check_android(site, template, out);
        check_harmony(site, template, class, out);
    }
    check_legacy(view, scope, &templates, out);
}

/// GC090, at the first template that has no class.
fn check_unclassified(
    templates: &[(Site<'_>, &Template)],
    default_class: Option<MessageClass>,
    out: &mut Vec<Diagnostic>,
) {
    if default_class.is_some() {
        return;
    }
    let unclassified: Vec<&(Site<'_>, &Template)> = templates
        .iter()
        .filter(|(_, t)| t.class.is_none())
        .collect();
    let Some((site, first)) = unclassified.first() else {
        return;
    };
    let count = unclassified.len();
    let which = if count == 1 {
        format!("{} sets no message class", template_label(first))
    } else {
        format!(
            "{count} templates set no message class ({} and {} more)",
            template_label(first),
            count - 1
        )
    };
    out.push(site.at_key(
        Diagnostic::warning(
            codes::GC090,
            format!("{which}; the phone makers are told `marketing`, which they cap per device per day"),
        )
        .help("say it once for the workspace with `defaults: {class: marketing}` (or `service`) in gtcamp.yaml, or write `class:` on each template")
        .label("no class"),
        &["type"],
    ));
}

/// GC091 (a tap that is not exactly one thing, or a malformed one) and GC092 (a transmission
/// template's vendor notification needs its own title and text: the template shows none).
fn check_android(site: &Site, template: &Template, out: &mut Vec<Diagnostic>) {
    let Some(android) = &template.android else {
        return;
    };
    if template.kind == TemplateKind::Transmission {
        for (field, value) in [("title", &android.title), ("text", &android.text)] {
            if value.as_deref().is_none_or(str::is_empty) {
                out.push(site.at_key(
                    Diagnostic::error(codes::GC092, format!("the vendor notification of {} has no {field}", template_label(template)))
                        .help(format!("a transmission template shows nothing itself, so `android.{field}` must be written"))
                        .label(format!("`{field}` missing")),
                    &["android", field],
                ));
            }
        }
    }
    if let Some(click) = &android.click {
        check_click(site, template, click, out);
    }
}

fn check_click(site: &Site, template: &Template, click: &VendorClick, out: &mut Vec<Diagnostic>) {
    let given: Vec<&str> = [
        ("open_app", click.open_app),
        ("url", click.url.is_some()),
        ("intent", click.intent.is_some()),
        ("payload", click.payload.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    if given.len() != 1 {
        out.push(site.at_key(
            Diagnostic::error(
                codes::GC091,
                format!(
                    "the vendor notification tap of {} must be exactly one of `open_app`, `url`, `intent`, `payload`; it is {}",
                    template_label(template),
                    if given.is_empty() { "none".to_owned() } else { given.join(" and ") }
                ),
            )
            .help("keep one of them, or remove `click` to tap as the template does")
            .label("one tap action"),
            &["android", "click"],
        ));
    }
    if let Some(url) = &click.url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        out.push(site.at_value(
            Diagnostic::error(codes::GC091, format!("the vendor notification of {} opens `{url}`, which is not an http or https URL", template_label(template)))
                .help("write the full address, such as `https://shop.example.com/sale`")
                .label("not http(s)"),
            &["android", "click", "url"],
        ));
    }
    if let Some(intent) = &click.intent {
        let well_formed = intent.starts_with("intent:#Intent;") && intent.ends_with(";end");
        let chars = intent.chars().count();
        if !well_formed || chars > MAX_INTENT_CHARS {
            out.push(site.at_value(
                Diagnostic::error(codes::GC091, format!("the vendor notification intent of {} is not `intent:#Intent;…;end` of at most {MAX_INTENT_CHARS} characters", template_label(template)))
                    .help("write the intent as Android's `Intent.toUri(Intent.URI_INTENT_SCHEME)` gives it, such as `intent:#Intent;component=com.example/.Main;end`")
                    .label("malformed intent"),
                &["android", "click", "intent"],
            ));
        }
    }
}

/// GC093: HarmonyOS NEXT classifies by category; a service message must name its own.
fn check_harmony(site: &Site, template: &Template, class: MessageClass, out: &mut Vec<Diagnostic>) {
    let Some(harmony) = &template.harmony else {
        return;
    };
    if class == MessageClass::Service && harmony.category.is_none() {
        out.push(site.at_key(
            Diagnostic::error(codes::GC093, format!("{} is a service message, but its HarmonyOS notification names no category", template_label(template)))
                .help("write `harmony.category` with the category the app was approved for, such as `EXPRESS` or `ACCOUNT` (marketing templates default to `MARKETING`)")
                .label("category missing"),
            &["harmony"],
        ));
    }
    if template.kind == TemplateKind::Transmission {
        for (field, value) in [("title", &harmony.title), ("text", &harmony.text)] {
            if value.as_deref().is_none_or(str::is_empty) {
                out.push(site.at_key(
                    Diagnostic::error(codes::GC092, format!("the HarmonyOS notification of {} has no {field}", template_label(template)))
                        .help(format!("a transmission template shows nothing itself, so `harmony.{field}` must be written"))
                        .label(format!("`{field}` missing")),
                    &["harmony", field],
                ));
            }
        }
    }
}

/// GC094: what the legacy protocol cannot carry, on the legacy targets in scope.
fn check_legacy(
    view: &View,
    scope: TargetScope,
    templates: &[(Site<'_>, &Template)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(settings) = view.settings() else {
        return;
    };
    let Some((which, speak)) = legacy_phrase(settings, scope) else {
        return;
    };
    for (site, template) in templates {
        if template.harmony.is_some() {
            out.push(site.at_key(
                Diagnostic::error(codes::GC094, format!("{} has a HarmonyOS notification, which the legacy protocol cannot carry ({which} {speak} it)", template_label(template)))
                    .help("send it through a `getui-v2` target (or a sandbox with `protocol: v2`), or remove `harmony`")
                    .label("needs REST API V2"),
                &["harmony"],
            ));
        }
        if template.android.is_some() && template.kind != TemplateKind::Transmission {
            out.push(site.at_key(
                Diagnostic::error(codes::GC094, format!("{} is a `{}` template with a vendor notification; the legacy protocol carries one only on transmission templates ({which} {speak} it)", template_label(template), template.kind.as_str()))
                    .help("send it through a `getui-v2` target, make it a `transmission` template, or remove `android`")
                    .label("needs REST API V2"),
                &["android"],
            ));
        }
    }
    check_legacy_classes(view, templates, &which, speak, out);
    let Some((loaded, _)) = view.workspaces.first() else {
        return;
    };
    let root = FieldPath::root();
    let site = Site::of(loaded, &root);
    let vendors = &settings.vendors;
    let default_strategy = vendors
        .default_strategy
        .is_some()
        .then_some(vec!["vendors", "default_strategy"]);
    let per_vendor = Vendor::ALL.into_iter().filter_map(|vendor| {
        let set = vendors.basics(vendor).strategy.is_some();
        set.then(|| vec!["vendors", vendor.strategy_key(), "strategy"])
    });
    for keys in default_strategy.into_iter().chain(per_vendor) {
        out.push(site.at_key(
            Diagnostic::error(codes::GC094, format!("`vendors.{}` sets a channel strategy, which the legacy protocol cannot carry ({which} {speak} it)", keys[1..].join(".")))
                .help("strategies need REST API V2: use a `getui-v2` target, or remove the strategy")
                .label("needs REST API V2"),
            &keys,
        ));
    }
}

/// GC095: on legacy, only a transmission template's vendor notification goes through the
/// makers' channels (`set3rdNotifyInfo`); every other template goes through Getui's own
/// channel alone. A template that says it is a service message expects the makers to hear
/// it: said at each template that writes `class: service`, and once at `defaults.class` for
/// those that take it from there.
fn check_legacy_classes(
    view: &View,
    templates: &[(Site<'_>, &Template)],
    which: &str,
    speak: &str,
    out: &mut Vec<Diagnostic>,
) {
    let shows_without_class = |template: &Template| template.kind != TemplateKind::Transmission;
    let message = |whose: String, it: &str| {
        format!(
            "{whose}, but the legacy protocol ({which} {speak} it) sends {it} through Getui's own channel only: no phone maker hears the class, and phones where the app is not running do not get {it}"
        )
    };
    let help = "send it through a `getui-v2` target, or make it a `transmission` template with an `android:` notification, which legacy hands to the makers with its class";
    let mut by_default = 0;
    for (site, template) in templates {
        if !shows_without_class(template) {
            continue;
        }
        match template.class {
            Some(MessageClass::Service) => out.push(
                site.at_value(
                    Diagnostic::warning(
                        codes::GC095,
                        message(
                            format!("{} is a service message", template_label(template)),
                            "it",
                        ),
                    )
                    .help(help)
                    .label("Getui's channel only on legacy"),
                    &["class"],
                ),
            ),
            Some(MessageClass::Marketing) => {}
            None => by_default += 1,
        }
    }
    let default_is_service =
        view.settings().and_then(|s| s.defaults.class) == Some(MessageClass::Service);
    let Some((loaded, _)) = view.workspaces.first() else {
        return;
    };
    if by_default > 0 && default_is_service {
        let root = FieldPath::root();
        let (templates, it) = if by_default == 1 {
            (
                "1 template that takes it is a service message".to_owned(),
                "it",
            )
        } else {
            (
                format!("{by_default} templates that take it are service messages"),
                "them",
            )
        };
        out.push(
            Site::of(loaded, &root).at_value(
                Diagnostic::warning(
                    codes::GC095,
                    message(format!("`defaults.class` is `service`: {templates}"), it),
                )
                .help(help)
                .label("Getui's channel only on legacy"),
                &["defaults", "class"],
            ),
        );
    }
}
