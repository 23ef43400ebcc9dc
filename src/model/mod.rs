//! The resource model: what a workspace's YAML documents may say.
//!
//! Every document has a `kind` and a `name`. [`Document`] is the union of all kinds; it is
//! what the JSON Schema is generated from, so the doc comments here are the hover texts
//! authors see in their editor and the YAML reference in `docs/reference/yaml.md`.
//!
//! The types only say what is *well-formed*: a value of the right type in a known field.
//! Whether it makes sense (a name's characters, a title's length, a reference that
//! resolves) is judged by `check`, which can then report every problem at once instead of
//! stopping at the first one.

mod audience;
mod bindings;
mod campaign;
mod duration;
mod instant;
mod lifecycle;
mod reference;
pub mod schema;
mod suggest;
mod template;
mod vendor;
mod workspace;

pub use audience::{Audience, PhoneType, Selector};
pub use bindings::{PhoneBindings, PhonePair};
pub use campaign::{Campaign, DateOrDateTime, Delivery, Network, Schedule};
pub use duration::{Duration, DurationTooLong};
pub use instant::Instant;
pub use lifecycle::{Moved, Removed, Rename, Renamed, follow};
pub use reference::Ref;
pub use suggest::{all_closest, did_you_mean};
pub use template::{
    Applink, DisplayWindow, IosAlert, IosBadge, LaunchMode, NotifyStyle, NotifyStyleKind, Popload,
    Sms, StartupMarks, Template, TemplateKind, Transmission,
};
pub use vendor::{
    AndroidVendor, CategoryOnly, ChannelOnly, HarmonyVendor, Honor, Huawei, MarketingHours, Meizu,
    MessageClass, Oppo, Strategy, Vendor, VendorBasics, VendorClick, VendorRules, Vendors, Vivo,
    Xiaomi, for_class, minute_of_day,
};
pub use workspace::{
    DEFAULT_MAX_PUSH_AHEAD, DEFAULT_PG_URL_ENV, DEFAULT_SANDBOX_POPULATION, DEFAULT_V2_ENDPOINT,
    Defaults, DeviceSpecError, FatigueLint, Level, LintLevel, Lints, MAX_TEST_DEVICES, Protocol,
    QuietHours, QuietHoursLint, SANDBOX_TARGET, StateBackend, StateConfig, Target, TargetKind,
    UnknownTarget, Workspace, parse_device,
};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One YAML document of a workspace, discriminated on `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind")]
pub enum Document {
    /// Workspace settings, kept in `gtcamp.yaml`: app id, targets, state, defaults.
    Workspace(Box<Workspace>),
    /// What the user sees: the notification, link, download pop-up or payload.
    Template(Box<Template>),
    /// Who receives a push: filters on phone type, region and tags, or a list of aliases or cids.
    Audience(Box<Audience>),
    /// A template sent to an audience on a schedule.
    Campaign(Box<Campaign>),
    /// Client id to phone-number (md5) pairs, used for SMS fallback.
    PhoneBindings(Box<PhoneBindings>),
    /// A campaign, template or audience renamed, so that its pushes follow the new name.
    Moved(Box<Moved>),
    /// A campaign taken out on purpose; `cancel: false` leaves its pushes on Getui.
    Removed(Box<Removed>),
}

/// The kinds a document may have, in the order they are usually written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Workspace,
    Template,
    Audience,
    Campaign,
    PhoneBindings,
    Moved,
    Removed,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Workspace,
        Kind::Template,
        Kind::Audience,
        Kind::Campaign,
        Kind::PhoneBindings,
        Kind::Moved,
        Kind::Removed,
    ];

    /// The spelling used in YAML's `kind:` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Workspace => "Workspace",
            Kind::Template => "Template",
            Kind::Audience => "Audience",
            Kind::Campaign => "Campaign",
            Kind::PhoneBindings => "PhoneBindings",
            Kind::Moved => "Moved",
            Kind::Removed => "Removed",
        }
    }

    /// Whether documents of this kind have a `name` of their own (`Moved` and `Removed`
    /// are about other documents' names).
    pub fn is_named(self) -> bool {
        !matches!(self, Kind::Moved | Kind::Removed)
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Document {
    pub fn kind(&self) -> Kind {
        match self {
            Document::Workspace(_) => Kind::Workspace,
            Document::Template(_) => Kind::Template,
            Document::Audience(_) => Kind::Audience,
            Document::Campaign(_) => Kind::Campaign,
            Document::PhoneBindings(_) => Kind::PhoneBindings,
            Document::Moved(_) => Kind::Moved,
            Document::Removed(_) => Kind::Removed,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Document::Workspace(d) => &d.name,
            Document::Template(d) => &d.name,
            Document::Audience(d) => &d.name,
            Document::Campaign(d) => &d.name,
            Document::PhoneBindings(d) => &d.name,
            Document::Moved(_) | Document::Removed(_) => "",
        }
    }
}
