//! References: every template and audience a campaign names exists; every named
//! template and audience is used by some campaign (a warning: it may be on its way in).

use std::collections::HashSet;

use super::{Diagnostic, View};
use crate::load::{FieldPath, LoadedDocument, did_you_mean};
use crate::model::Ref;

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
    let mut used_templates = HashSet::new();
    let mut used_audiences = HashSet::new();
    for (loaded, campaign) in &view.campaigns {
        if let Ref::Name(name) = &campaign.template {
            used_templates.insert(name.as_str());
            resolve(
                loaded,
                &campaign.name,
                "template",
                "Template",
                "GC016",
                name,
                &templates,
                out,
            );
        }
        if let Ref::Name(name) = &campaign.audience {
            used_audiences.insert(name.as_str());
            resolve(
                loaded,
                &campaign.name,
                "audience",
                "Audience",
                "GC017",
                name,
                &audiences,
                out,
            );
        }
    }
    unused("Template", "GC018", &templates, &used_templates, out);
    unused("Audience", "GC019", &audiences, &used_audiences, out);
}

#[allow(clippy::too_many_arguments)]
fn resolve(
    campaign: &LoadedDocument,
    campaign_name: &str,
    field: &str,
    kind: &str,
    code: &'static str,
    name: &str,
    defined: &[(&str, &LoadedDocument)],
    out: &mut Vec<Diagnostic>,
) {
    if defined.iter().any(|(n, _)| *n == name) {
        return;
    }
    let names = defined.iter().map(|(n, _)| *n);
    let help = match did_you_mean(name, names) {
        Some(near) => {
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
        None if defined.is_empty() => {
            format!(
                "no {kind} is defined; declare one with `kind: {kind}` and `name: {name}`, or write the {field} inline"
            )
        }
        None => format!(
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
            code,
            format!("campaign `{campaign_name}` uses {field} `{name}`, which is not defined"),
        )
        .help(help)
        .at(&campaign.file, span)
        .label(format!("no {kind} with this name")),
    );
}

fn unused(
    kind: &str,
    code: &'static str,
    defined: &[(&str, &LoadedDocument)],
    used: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    for (name, loaded) in defined {
        if name.is_empty() || used.contains(name) {
            continue;
        }
        let span = loaded
            .spans
            .value_or_nearest(&FieldPath::root().key("name"))
            .unwrap_or(loaded.start);
        out.push(
            Diagnostic::warning(code, format!("{kind} `{name}` is not used by any campaign"))
                .help("use it in a campaign, or remove it if it is no longer needed")
                .at(&loaded.file, span)
                .label("unused"),
        );
    }
}
