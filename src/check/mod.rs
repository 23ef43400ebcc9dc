//! Semantic rules over a loaded workspace, producing diagnostics.
//!
//! [`check_workspace`] runs every rule over a [`LoadedWorkspace`] and returns *all*
//! diagnostics, those met while loading included, sorted by file and position. Rules
//! have no side effects (no network, no state) and never stop at the first problem. Time
//! comes in through [`CheckContext`] so that "in the past" is decided the same way in
//! tests as on a laptop.
//!
//! One file per family of rules: `names` (names, duplicates, the workspace document),
//! `references`, `template` (lengths, URLs, fields per type, APNs size, display window),
//! `sms`, `audience`, `personal_data` (phone numbers and their hashes), `schedule`,
//! `settings` (workspace targets and defaults, campaign delivery), `ranges` (durations and
//! instants gtcamp can compute with), `v2` (what REST API V2 targets cannot do), `legacy`
//! (what only REST API V2 targets can do).
//!
//! # Codes
//!
//! Every diagnostic carries a stable code from the catalogue,
//! [`crate::load::codes`]: what triggers it, how to fix it and an example, which
//! `gtcamp explain CODE` prints and `docs/reference/diagnostics.md` lists. The campaign
//! lints (`crate::lint`) report GC070–GC074 after compile; `lints:` in `gtcamp.yaml` sets
//! each one, and GC018 and GC019 (`lints.unused`), `off`, `warning` or `error`.
//!
//! GC080–GC084, GC086 and GC087 judge the workspace for the REST API V2 targets in a [`TargetScope`]: the
//! target `plan` and `apply` run against (`calendar`: the default target) ([`check_workspace_for`]), every V2
//! target gtcamp.yaml defines for `validate` ([`check_workspace`]). See `v2`. GC049 judges the
//! legacy targets of the same scope the same way (see `legacy`).

mod audience;
pub mod explain;
mod legacy;
mod lifecycle;
mod minutes;
mod names;
mod personal_data;
mod ranges;
mod references;
pub mod render;
mod schedule;
mod settings;
mod site;
mod sms;
mod template;
mod v2;
mod vendor;

use chrono::{DateTime, Utc};
pub use v2::TargetScope;

pub use crate::load::{Diagnostic, Location, Severity, Span};
use crate::load::{FieldPath, LoadedDocument, LoadedWorkspace, sort_by_place};
use crate::model::{Audience, Campaign, Document, PhoneBindings, Ref, Template, Workspace};
use site::Site;

/// What rules need from outside the workspace.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext {
    /// The instant "in the past" is measured against.
    pub now: DateTime<Utc>,
}

/// How many errors and warnings a list of diagnostics holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Summary {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        write!(
            f,
            "{}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        )
    }
}

/// Every diagnostic for the workspace: the loader's and every rule's, sorted by file and
/// position (workspace-wide ones first). Target-dependent rules judge every target
/// gtcamp.yaml defines (what `validate` reports).
pub fn check_workspace(workspace: &LoadedWorkspace, context: &CheckContext) -> Vec<Diagnostic> {
    check_workspace_for(workspace, context, TargetScope::Every)
}

/// [`check_workspace`], with the target-dependent rules judging only the targets of
/// `scope` (for `plan` and `apply`, the one they run against).
pub fn check_workspace_for(
    workspace: &LoadedWorkspace,
    context: &CheckContext,
    scope: TargetScope,
) -> Vec<Diagnostic> {
    let mut out = workspace.diagnostics.clone();
    if !workspace.root_is_folder {
        return out;
    }
    let view = View::of(workspace);
    names::check(&view, &mut out);
    references::check(&view, &mut out);
    lifecycle::check(&view, &mut out);
    settings::check(&view, &mut out);
    ranges::check(&view, &mut out);
    for (site, template) in view.all_templates() {
        template::check(&site, template, &mut out);
        if let Some(sms) = &template.sms {
            sms::check(&view, &site, sms, &mut out);
        }
    }
    for (site, audience) in view.all_audiences() {
        audience::check(&site, audience, &mut out);
    }
    for (document, campaign) in &view.campaigns {
        let root = FieldPath::root();
        let site = Site::of(document, &root);
        schedule::check(&view, &site, campaign, context, &mut out);
        sms::check_campaign(&view, &site, campaign, &mut out);
    }
    personal_data::check(&view, &mut out);
    v2::check(&view, scope, &mut out);
    legacy::check(&view, scope, &mut out);
    vendor::check(&view, scope, &mut out);
    sort(&mut out);
    out
}

/// Sorts diagnostics by file and position, workspace-wide ones first.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.code);
    sort_by_place(diagnostics, |d| {
        d.location
            .as_ref()
            .map(|l| (l.file.as_path(), l.span.line, l.span.column))
    });
}

/// The workspace's typed documents, by kind, each beside the loaded document it came from.
pub(crate) struct View<'a> {
    pub workspace: &'a LoadedWorkspace,
    pub workspaces: Vec<(&'a LoadedDocument, &'a Workspace)>,
    pub templates: Vec<(&'a LoadedDocument, &'a Template)>,
    pub audiences: Vec<(&'a LoadedDocument, &'a Audience)>,
    pub campaigns: Vec<(&'a LoadedDocument, &'a Campaign)>,
    pub bindings: Vec<(&'a LoadedDocument, &'a PhoneBindings)>,
    pub moved: Vec<(&'a LoadedDocument, &'a crate::model::Moved)>,
    pub removed: Vec<(&'a LoadedDocument, &'a crate::model::Removed)>,
    template_path: FieldPath,
    audience_path: FieldPath,
    root: FieldPath,
}

impl<'a> View<'a> {
    fn of(workspace: &'a LoadedWorkspace) -> Self {
        let mut view = View {
            workspace,
            workspaces: Vec::new(),
            templates: Vec::new(),
            audiences: Vec::new(),
            campaigns: Vec::new(),
            bindings: Vec::new(),
            moved: Vec::new(),
            removed: Vec::new(),
            template_path: FieldPath::root().key("template"),
            audience_path: FieldPath::root().key("audience"),
            root: FieldPath::root(),
        };
        for loaded in &workspace.documents {
            match &loaded.document {
                Some(Document::Workspace(d)) => view.workspaces.push((loaded, d)),
                Some(Document::Template(d)) => view.templates.push((loaded, d)),
                Some(Document::Audience(d)) => view.audiences.push((loaded, d)),
                Some(Document::Campaign(d)) => view.campaigns.push((loaded, d)),
                Some(Document::PhoneBindings(d)) => view.bindings.push((loaded, d)),
                Some(Document::Moved(d)) => view.moved.push((loaded, d)),
                Some(Document::Removed(d)) => view.removed.push((loaded, d)),
                None => {}
            }
        }
        view
    }

    /// The workspace settings, when there is exactly one `Workspace` document.
    pub fn settings(&self) -> Option<&'a Workspace> {
        match self.workspaces.as_slice() {
            [(_, workspace)] => Some(workspace),
            _ => None,
        }
    }

    /// Named templates and those written inline in campaigns.
    fn all_templates(&self) -> Vec<(Site<'_>, &'a Template)> {
        let named = self
            .templates
            .iter()
            .map(|(doc, t)| (Site::of(doc, &self.root), *t));
        let inline = self
            .campaigns
            .iter()
            .filter_map(|(doc, c)| match &c.template {
                Ref::Inline(t) => Some((Site::of(doc, &self.template_path), &**t)),
                Ref::Name(_) => None,
            });
        named.chain(inline).collect()
    }

    /// Named audiences and those written inline in campaigns.
    fn all_audiences(&self) -> Vec<(Site<'_>, &'a Audience)> {
        let named = self
            .audiences
            .iter()
            .map(|(doc, a)| (Site::of(doc, &self.root), *a));
        let inline = self
            .campaigns
            .iter()
            .filter_map(|(doc, c)| match &c.audience {
                Ref::Inline(a) => Some((Site::of(doc, &self.audience_path), &**a)),
                Ref::Name(_) => None,
            });
        named.chain(inline).collect()
    }

    /// The template a campaign sends, if it resolves.
    pub fn template_of(&self, campaign: &'a Campaign) -> Option<&'a Template> {
        match &campaign.template {
            Ref::Inline(t) => Some(t),
            Ref::Name(name) => self
                .templates
                .iter()
                .find(|(_, t)| &t.name == name)
                .map(|(_, t)| *t),
        }
    }
}
