//! References: every template and audience a campaign names exists; every named
//! template and audience is used by some campaign (a warning: it may be on its way in;
//! `lints.unused.level` makes it an error or silences it).
//!
//! Documents that could not be read still count by the `kind`, `name`, `template` and
//! `audience` written in them: a typo in a template's field should give one error, not a
//! second one on every campaign that uses it.

use crate::load::catalogue::Entry;
use crate::load::codes;
use std::collections::HashSet;

use super::{Diagnostic, View};
use crate::load::{FieldPath, LoadedDocument, did_you_mean};
use crate::model::Level;

/// One kind of reference a campaign makes.
struct Reference {
    /// The campaign's field: `template` or `audience`.
    field: &'static str,
    /// The kind it names: `Template` or `Audience`.
    kind: &'static str,
    unresolved: &'static Entry,
    unused: &'static Entry,
}

const TEMPLATE: Reference = Reference {
    field: "template",
    kind: "Template",
    unresolved: codes::GC016,
    unused: codes::GC018,
};

const AUDIENCE: Reference = Reference {
    field: "audience",
    kind: "Audience",
    unresolved: codes::GC017,
    unused: codes::GC019,
};

pub(super) fn check(view: &View, out: &mut Vec<Diagnostic>) {
    let templates: Vec<(&str, &LoadedDocument)> = view
        .templates
        .iter()
        .map(|(d, t)| (t.name.as_str(), *d))
        .collect();
    let audiences: Vec<(&str, &LoadedDocument)> = view
        .audiences
        .iter()
        .map(|(d, a)| (a.name.as_str(), *d))
        .collect();
    for (reference, defined) in [(&TEMPLATE, &templates), (&AUDIENCE, &audiences)] {
        let unreadable = unreadable_values(view, reference.kind, "name");
        let mut used = unreadable_values(view, "Campaign", reference.field);
        for (loaded, campaign) in &view.campaigns {
            let named = match reference.field {
                "template" => campaign.template.name(),
                _ => campaign.audience.name(),
            };
            let Some(name) = named else { continue };
            used.insert(name);
            if !unreadable.contains(name) {
                let unresolved = Unresolved {
                    campaign: loaded,
                    campaign_name: &campaign.name,
                    name,
                };
                resolve(view, reference, unresolved, defined, out);
            }
        }
        let level = view
            .settings()
            .map_or(Level::Warning, |s| s.lints.unused.level);
        if level != Level::Off {
            unused(reference, defined, &used, level, out);
        }
    }
}

/// The top-level `key` of every document of `kind` that could not be read.
fn unreadable_values<'a>(view: &View<'a>, kind: &str, key: &str) -> HashSet<&'a str> {
    view.workspace
        .documents
        .iter()
        .filter(|d| d.document.is_none())
        .filter(|d| {
            d.spans
                .top_level_scalar("kind")
                .is_some_and(|k| k.text == kind)
        })
        .filter_map(|d| d.spans.top_level_scalar(key).map(|s| s.text.as_str()))
        .collect()
}

/// A name a campaign refers to.
struct Unresolved<'a> {
    campaign: &'a LoadedDocument,
    campaign_name: &'a str,
    name: &'a str,
}

fn resolve(
    view: &View,
    reference: &Reference,
    unresolved: Unresolved,
    defined: &[(&str, &LoadedDocument)],
    out: &mut Vec<Diagnostic>,
) {
    let Unresolved {
        campaign,
        campaign_name,
        name,
    } = unresolved;
    if defined.iter().any(|(n, _)| *n == name) {
        return;
    }
    let Reference { field, kind, .. } = reference;
    let names = defined.iter().map(|(n, _)| *n);
    let what = match reference.field {
        "template" => crate::model::Renamed::Template,
        _ => crate::model::Renamed::Audience,
    };
    let renamed = view.renamed_to(what, name);
    let help = match (renamed, did_you_mean(name, names)) {
        // A reference left behind by a rename: say where the name went.
        (Some((to, moved)), _) => format!(
            "{field} `{name}` was renamed to `{to}` ({}:{}); refer to `{to}`",
            moved.file.display(),
            moved.start.line
        ),
        (None, Some(near)) => {
            let at = defined
                .iter()
                .find(|(n, _)| *n == near)
                .map(|(_, d)| {
                    let line = d
                        .spans
                        .value_or_nearest(&FieldPath::root().key("name"))
                        .map_or(d.start.line, |s| s.line);
                    format!(" ({}:{line})", d.file.display())
                })
                .unwrap_or_default();
            format!("did you mean `{near}`{at}?")
        }
        (None, None) if defined.is_empty() => format!(
            "no {kind} is defined; declare one with `kind: {kind}` and `name: {name}`, or write the {field} inline"
        ),
        (None, None) => format!(
            "declare a {kind} named `{name}`, or use one of: {}",
            defined
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let span = campaign
        .spans
        .value_or_nearest(&FieldPath::root().key(field))
        .unwrap_or(campaign.start);
    out.push(
        Diagnostic::error(
            reference.unresolved,
            format!("campaign `{campaign_name}` uses {field} `{name}`, which is not defined"),
        )
        .help(help)
        .at(&campaign.file, span)
        .label(format!("no {kind} with this name")),
    );
}

fn unused(
    reference: &Reference,
    defined: &[(&str, &LoadedDocument)],
    used: &HashSet<&str>,
    level: Level,
    out: &mut Vec<Diagnostic>,
) {
    let kind = reference.kind;
    for (name, loaded) in defined {
        if name.is_empty() || used.contains(name) {
            continue;
        }
        let span = loaded
            .spans
            .value_or_nearest(&FieldPath::root().key("name"))
            .unwrap_or(loaded.start);
        out.push(
            Diagnostic::of_level(
                level,
                reference.unused,
                format!("{kind} `{name}` is not used by any campaign"),
            )
            .help("use it in a campaign, or remove it if it is no longer needed; `lints.unused.level: off` in gtcamp.yaml silences this")
            .at(&loaded.file, span)
            .label("unused"),
        );
    }
}
