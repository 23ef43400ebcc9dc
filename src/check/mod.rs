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
//! # Catalogue of codes
//!
//! Codes are stable: scripts and documentation may rely on them. A retired code is never
//! reused.
//!
//! | code  | severity | meaning |
//! |-------|----------|---------|
//! | GC001 | error    | a file or folder cannot be read, or a file is not UTF-8 |
//! | GC002 | error    | a file is larger than the size limit (16 MiB) |
//! | GC003 | error    | YAML syntax error |
//! | GC004 | error    | input too deep, too large or expanding too many aliases to read safely |
//! | GC005 | error    | a document has no `kind`, or an unknown one |
//! | GC006 | error    | unknown field (often a typo; the help suggests the closest field) |
//! | GC007 | error    | a required field is missing |
//! | GC008 | error    | a value has the wrong type or is not an accepted value |
//! | GC009 | error    | the same key twice in one mapping (or one region's quiet hours under two names) |
//! | GC010 | error    | the phone CSV of a `PhoneBindings` cannot be read, or a row is malformed |
//! | GC011 | error    | a document has no `name` |
//! | GC012 | error    | a name has characters other than `a-z`, `0-9`, `-`, or is longer than 40 |
//! | GC013 | error    | two documents of the same kind have the same name |
//! | GC014 | error    | the workspace has no `Workspace` document (`gtcamp.yaml`) |
//! | GC015 | error    | the workspace has more than one `Workspace` document |
//! | GC016 | error    | a campaign uses a template that is not defined |
//! | GC017 | error    | a campaign uses an audience that is not defined |
//! | GC018 | warning (configurable) | a template no campaign uses |
//! | GC019 | warning (configurable) | an audience no campaign uses |
//! | GC020 | error    | a text is longer than Getui accepts (title, text, logo, URL, button, task group, vendor notification…) |
//! | GC021 | error    | a URL is not an `http` or `https` URL |
//! | GC022 | error    | the APNs JSON built for iOS is larger than 3072 bytes |
//! | GC023 | error    | a field the template's type requires is missing |
//! | GC024 | error    | a field does not belong to the template's type |
//! | GC025 | error    | a display window is 10 minutes or shorter |
//! | GC030 | error    | an SMS fallback has an empty template id |
//! | GC031 | error    | an SMS delay is longer than the offline keep time or than 3 days |
//! | GC032 | error    | an SMS with an app link also sets a `url` parameter |
//! | GC033 | error    | the rendered SMS text is longer than 70 characters |
//! | GC034 | error    | an SMS template placeholder has no parameter |
//! | GC040 | error    | an alias has characters other than letters, digits, `_`, CJK, or is over 40 bytes |
//! | GC041 | error    | an audience mixes filters, aliases, cids and `all_users` |
//! | GC042 | error    | an audience selects nobody |
//! | GC043 | error    | a phone type other than `android` / `ios` |
//! | GC044 | error    | a region that is neither one of China's 34 province-level divisions nor one of its 333 prefecture-level cities (in `lints.quiet_hours.regions`: not a province) |
//! | GC045 | error    | a `pn_md5` that is not 32 lowercase hex characters |
//! | GC046 | error    | a phone CSV row whose number is not a valid CN mobile number |
//! | GC047 | error    | a clear phone number written in YAML |
//! | GC048 | error    | an audience lists more than 1000 aliases or cids (one list push takes at most 1000) |
//! | GC049 | error    | a prefecture-level city in an audience, on a legacy target (`getui`, or a sandbox speaking legacy): cities need REST API V2 |
//! | GC050 | error    | an offline keep time outside 1h to 72h |
//! | GC051 | error    | a schedule with neither or both of `at` and `cron` |
//! | GC052 | error    | a time zone that is not an IANA name |
//! | GC053 | error    | a cron rule that does not parse |
//! | GC054 | error    | a cron rule with no occurrence between `from` and `until` |
//! | GC055 | warning  | an `at` in the past (`plan` and `apply` refuse it unless state records it as created or sent) |
//! | GC056 | error    | `from` is after `until` |
//! | GC057 | error    | `timezone`, `from` or `until` given with `at` |
//! | GC058 | warning  | an `at`, `from`, `until` or display window instant has seconds; the minute used is named |
//! | GC059 | error    | an `at`, `from`, `until` or display window instant (or day) outside the years 1970 to 9999, Beijing time |
//! | GC060 | error    | a `getui` target without an http(s) `endpoint`, or a `getui-v2` target whose `endpoint` or `bindings_endpoint` is not http(s) |
//! | GC061 | error    | `default_target` names no target |
//! | GC062 | error    | quiet hours or a vendor's marketing hours not written `HH:MM` |
//! | GC063 | error    | a delivery speed of 0 |
//! | GC064 | error    | `state.url_env` is not an environment variable name |
//! | GC065 | error    | `state.workspace` breaks the name rules |
//! | GC066 | warning  | a state setting the chosen backend ignores (`url_env`/`workspace` with `local`, `path` with `postgres`) |
//! | GC067 | error    | `max_push_ahead` (1m–365d), `lead_time` (0s–30d), `horizon` (1m–366d) or `lints.fatigue.window` (0s–30d) out of range |
//! | GC070 | warning (configurable) | two campaigns that can reach the same people send within `lints.fatigue.window` |
//! | GC071 | warning (configurable) | a campaign sends inside quiet hours |
//! | GC072 | warning (configurable) | a campaign falls back to SMS but no phone number is bound for its audience |
//! | GC073 | warning (configurable) | on one day in China time, more marketing pushes can reach one Android device than a phone maker shows (`vendors.<code>.marketing_per_day`, else its published cap) |
//! | GC074 | warning (configurable) | a marketing push sent outside a phone maker's marketing hours in China time (vivo drops it, Huawei and Honor hold it) |
//! | GC080 | error    | a `popload` template, on a REST API V2 target |
//! | GC081 | error    | a template with SMS fallback (`sms`), on a REST API V2 target |
//! | GC082 | error    | a campaign delivered over cellular data only (`network: cellular`), on a REST API V2 target |
//! | GC083 | error    | a task group with characters other than `0-9`, `A-Z`, `a-z`, `_`, `-`, on a REST API V2 target |
//! | GC084 | error    | `PhoneBindings` on a `getui-v2` target without `bindings_endpoint` |
//! | GC085 | error    | a target setting its type does not read (`protocol` on a non-sandbox, `bindings_endpoint` on a non-`getui-v2` target) |
//! | GC086 | error    | a `link` template with `transmission`, on a REST API V2 target |
//! | GC087 | error    | a template text longer than 256 characters, on a REST API V2 target |
//! | GC090 | warning  | templates without a message class and no `defaults.class`: sent as marketing (said once per workspace) |
//! | GC091 | error    | a vendor notification tap (`android.click`) that is not exactly one action, or a malformed URL or intent |
//! | GC092 | error    | a transmission template's `android:` or `harmony:` notification without its own title or text |
//! | GC093 | error    | a service template whose `harmony:` notification names no category |
//! | GC094 | error    | on a legacy target: a `harmony:` notification, an `android:` notification on a non-transmission template, or a channel strategy |
//! | GC095 | warning  | on a legacy target: a service template that is not a transmission, which legacy sends through Getui's own channel only (the makers' channels carry only a transmission's vendor notification) |
//!
//! GC018 and GC019 are configurable too (`lints.unused.level`). GC070–GC079 are campaign
//! lints (`crate::lint`): they run after compile, and `lints:` in `gtcamp.yaml` sets each
//! one `off`, `warning` or `error`.
//!
//! GC080–GC084, GC086 and GC087 judge the workspace for the REST API V2 targets in a [`TargetScope`]: the
//! target `plan` and `apply` run against (`calendar`: the default target) ([`check_workspace_for`]), every V2
//! target gtcamp.yaml defines for `validate` ([`check_workspace`]). See `v2`. GC049 judges the
//! legacy targets of the same scope the same way (see `legacy`).

mod audience;
mod legacy;
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
