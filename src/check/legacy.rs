//! The legacy protocol: what a workspace asks that only REST API V2 can do, reported before
//! any call.
//!
//! The legacy API filters regions by province name only (`getui-protocol.md` C documents
//! no city), so an audience naming a prefecture-level city cannot go to a `getui` target or
//! to a sandbox speaking the legacy protocol (GC049). Sending the city's name anyway would
//! reach an unknown set of users, and sending its province would reach too many.
//!
//! The targets judged are [`TargetScope`]'s, as for the V2 rules (`v2`): `validate` judges
//! every target gtcamp.yaml defines, plus the implicit `sandbox` (a legacy one) when
//! commands use it by default; `plan` and `apply` judge the target they run against.

use super::audience::cities;
use super::v2::{TargetScope, targets_phrase};
use super::{Diagnostic, View};
use crate::load::codes;
use crate::model::{Protocol, SANDBOX_TARGET, Workspace};

pub(super) fn check(view: &View, scope: TargetScope, out: &mut Vec<Diagnostic>) {
    let Some(settings) = view.settings() else {
        return;
    };
    let Some((which, speak)) = legacy_phrase(settings, scope) else {
        return;
    };
    for (site, audience) in view.all_audiences() {
        for (group, index, written, city) in cities(audience) {
            let span = site.value_span(&site.path(&["regions", group]).index(index));
            let province = city.province().short();
            out.push(
                Diagnostic::error(
                    codes::GC049,
                    format!("`{written}` is a prefecture-level city, which the legacy protocol cannot target ({which} {speak} it; cities need REST API V2)"),
                )
                .help(format!("send this audience through a `getui-v2` target (or a sandbox with `protocol: v2`), or name its province `{province}` instead"))
                .at(site.file, span)
                .label("city needs REST API V2"),
            );
        }
    }
}

/// How a message names the legacy targets in `scope`: `("target `sandbox`", "speaks")`,
/// or `None` when no target in scope speaks the legacy protocol.
pub(super) fn legacy_phrase(
    settings: &Workspace,
    scope: TargetScope,
) -> Option<(String, &'static str)> {
    let legacy = legacy_targets(settings, scope);
    let speak = if legacy.len() == 1 { "speaks" } else { "speak" };
    (!legacy.is_empty()).then(|| (targets_phrase(&legacy), speak))
}

/// The names of the targets in `scope` that speak the legacy protocol.
pub(super) fn legacy_targets(settings: &Workspace, scope: TargetScope) -> Vec<String> {
    let mut names: Vec<String> = match scope {
        TargetScope::Every => {
            let mut names: Vec<String> = settings.targets.keys().cloned().collect();
            // The implicit sandbox is judged only when commands use it without being asked.
            let default = settings.chosen_target(None);
            if default == SANDBOX_TARGET && !settings.targets.contains_key(SANDBOX_TARGET) {
                names.push(default);
            }
            names
        }
        TargetScope::Named(name) => vec![name.to_owned()],
    };
    names.retain(|name| {
        settings
            .target(name)
            .is_ok_and(|target| target.protocol() == Protocol::Legacy)
    });
    names
}
