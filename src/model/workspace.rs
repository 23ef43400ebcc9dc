//! `Workspace`: the settings document kept in `gtcamp.yaml`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Duration;

/// Workspace settings. Exactly one per workspace, in `gtcamp.yaml` at its root.
///
/// Credentials are never written here: they come from the environment
/// (`GETUI_APP_KEY`, `GETUI_MASTER_SECRET`, optionally `GETUI_APP_ID`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    /// The document's kind; accepted here so a document can be read straight into this type.
    #[serde(rename = "kind", default, skip_serializing)]
    #[schemars(skip)]
    pub document_kind: Option<String>,
    /// The workspace's name: lowercase letters, digits and `-`, at most 40 characters.
    #[serde(default)]
    #[schemars(example = &"demo-shop")]
    pub name: String,
    /// What this workspace holds, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"Pushes of the shop app, reviewed in pull requests.")]
    pub description: Option<String>,
    /// The Getui app id the campaigns push to. `GETUI_APP_ID` overrides it for real targets.
    #[schemars(example = &"your-app-id")]
    pub app_id: String,
    /// The target used when a command names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"sandbox")]
    pub default_target: Option<String>,
    /// Where campaigns are sent, by name: `sandbox` (the emulator built into gtcamp) or a
    /// real Getui endpoint.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"sandbox": {"type": "sandbox"}, "production": {"type": "getui", "endpoint": "https://api.getui.com/apiex.htm"}}))]
    pub targets: BTreeMap<String, Target>,
    /// Where gtcamp keeps the record of what it created on Getui.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"backend": "postgres", "workspace": "demo-shop"}))]
    pub state: StateConfig,
    /// Values campaigns use when they do not set their own.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"timezone": "Asia/Shanghai", "horizon": "14d"}))]
    pub defaults: Defaults,
    /// The text of SMS templates registered on Getui, by template id, with `${name}`
    /// placeholders. Given here, gtcamp checks that every SMS fits in 70 characters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = serde_json::json!({"100001": "您的订单${order}已发货。"}))]
    pub sms_templates: BTreeMap<String, String>,
    /// What the phone makers' channels need: channel ids and categories per message class,
    /// news-app status, and how Getui chooses between its channel and theirs.
    #[serde(default, skip_serializing_if = "super::Vendors::is_empty")]
    #[schemars(example = serde_json::json!({"xm": {"marketing": {"channel_id": "105501"}}}))]
    pub vendors: super::Vendors,
    /// Devices `gtcamp send-test` sends to by name, each `cid:` and a client id or `alias:`
    /// and an alias: the team's own phones, never the campaign's audience. A name is what
    /// `--to` accepts besides `cid:…` and `alias:…` written out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = serde_json::json!({"ana-pixel": "cid:0b1e6d3f8a2c4e5f9a7b6c5d4e3f2a1b", "qa-team": "alias:qa_team"}))]
    #[schemars(extend("additionalProperties" = {"type": "string", "pattern": "^(cid|alias):[^\\s]+$"}))]
    pub test_devices: BTreeMap<String, String>,
    /// Campaign lints: warnings about how campaigns treat people (too many pushes, pushes
    /// at night, SMS that reaches nobody, unused documents). Each is `warning` unless set.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"fatigue": {"level": "error", "window": "6h"}}))]
    pub lints: Lints,
}

/// How strict each campaign lint is, and its parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lints {
    /// GC070: two campaigns that can reach the same people send within `window` of each
    /// other.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"level": "error", "window": "6h"}))]
    pub fatigue: FatigueLint,
    /// GC071: a campaign sends inside quiet hours (`defaults.quiet_hours`, or a region's own).
    #[serde(default)]
    #[schemars(example = serde_json::json!({"level": "error"}))]
    pub quiet_hours: QuietHoursLint,
    /// GC018 and GC019: a template or an audience no campaign uses.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"level": "off"}))]
    pub unused: LintLevel,
    /// GC072: a campaign with an SMS fallback whose audience has no bound phone number.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"level": "error"}))]
    pub sms_coverage: LintLevel,
    /// GC073: on one day in China time, more marketing pushes can reach one Android
    /// device than a phone maker shows (`vendors.<code>.marketing_per_day`, else the
    /// maker's published cap); the maker drops the rest.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"level": "error"}))]
    pub vendor_quota: LintLevel,
    /// GC074: a marketing push sent outside a phone maker's marketing hours, in China time
    /// (`vendors.<code>.marketing_hours`, else the maker's published ones): vivo drops it,
    /// Huawei and Honor hold it until their hours open.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"level": "off"}))]
    pub vendor_hours: LintLevel,
}

/// How a lint reports what it finds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not checked.
    Off,
    /// Reported; `validate` and `plan` still succeed.
    #[default]
    Warning,
    /// Reported as an error: `validate` fails, `plan` and `apply` stop.
    Error,
}

/// A lint that has only a level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintLevel {
    /// `off`, `warning` or `error`.
    #[serde(default)]
    #[schemars(example = &"error")]
    pub level: Level,
}

/// The fatigue lint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FatigueLint {
    /// `off`, `warning` or `error`.
    #[serde(default)]
    #[schemars(example = &"error")]
    pub level: Level,
    /// Two sends to people who can be the same closer than this are flagged. From `0s` to
    /// `30d`.
    #[serde(default = "four_hours")]
    #[schemars(default = "four_hours")]
    #[schemars(example = &"6h")]
    pub window: Duration,
}

impl Default for FatigueLint {
    fn default() -> Self {
        FatigueLint {
            level: Level::default(),
            window: four_hours(),
        }
    }
}

fn four_hours() -> Duration {
    Duration::from_hours(4)
}

/// The quiet-hours lint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHoursLint {
    /// `off`, `warning` or `error`.
    #[serde(default)]
    #[schemars(example = &"error")]
    pub level: Level,
    /// Quiet hours of some regions, by province name (`浙江`, `上海市`), read on Beijing
    /// time. An audience that requires regions is judged by those regions' hours (the
    /// defaults for a region without its own; a city by its province's); any other audience
    /// reaches every province and is judged by `defaults.quiet_hours` and every regional
    /// entry its `none` regions do not exclude. A send is quiet when any region it reaches
    /// is. Provinces only: all of China keeps Beijing time.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = serde_json::json!({"新疆": {"start": "00:00", "end": "10:00"}}))]
    pub regions: BTreeMap<String, QuietHours>,
}

/// A place campaigns are sent to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// `sandbox` runs the Getui emulator inside gtcamp (no credentials, nothing leaves the
    /// machine); `getui` talks to a real Getui server at `endpoint` through the legacy API;
    /// `getui-v2` talks to a real Getui server through REST API V2 (no SMS fallback, no
    /// `popload` templates, no cellular-only delivery; phone bindings only through
    /// `bindings_endpoint`).
    #[serde(rename = "type")]
    #[schemars(example = &"getui")]
    pub kind: TargetKind,
    /// The Getui server API address. For `getui` (required), the legacy address, such as
    /// `https://api.getui.com/apiex.htm`. For `getui-v2`, the address before `/{app_id}`;
    /// default `https://restapi.getui.com/v2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://api.getui.com/apiex.htm")]
    pub endpoint: Option<String>,
    /// Use HTTPS even when `endpoint` (or `bindings_endpoint`) is written with `http://`.
    #[serde(default)]
    #[schemars(example = true)]
    pub use_ssl: bool,
    /// How far ahead Getui accepts a scheduled push time. Pushes further out wait for a
    /// later apply. From `1m` to `365d`.
    #[serde(default = "default_max_push_ahead")]
    #[schemars(default = "default_max_push_ahead")]
    #[schemars(example = &"3d")]
    pub max_push_ahead: Duration,
    /// For a `sandbox` target: how many synthetic devices a new sandbox holds besides the
    /// workspace's own cids and aliases, spread over phone types, provinces and the tags the
    /// workspace's audiences use, so that audience estimates mean something. The same size
    /// always gives the same devices. Read only when the sandbox is created: delete
    /// `.gtcamp/sandbox/` to start one of another size. Ignored by `getui` and `getui-v2` targets.
    #[serde(default = "default_population")]
    #[schemars(default = "default_population", range(max = 10_000_000))]
    #[schemars(example = 20_000)]
    pub population: u32,
    /// For a `sandbox` target only: which Getui API gtcamp speaks to the emulator, `legacy`
    /// (default) or `v2` (REST API V2, with the same refusals as a `getui-v2` target; phone
    /// bindings go to the emulator's legacy API). Other target types refuse it: their
    /// `type` says the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(default = "default_protocol")]
    #[schemars(example = &"v2")]
    pub protocol: Option<Protocol>,
    /// For a `getui-v2` target only: the legacy API address that phone bindings (SMS
    /// fallback's cid–phone pairs) go to, with the same credentials, such as
    /// `https://api.getui.com/apiex.htm`. REST API V2 has no phone binding, so a workspace
    /// with `PhoneBindings` needs it on a `getui-v2` target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://api.getui.com/apiex.htm")]
    pub bindings_endpoint: Option<String>,
    /// Getui's limits on this app's pushes, which `plan` counts against and `apply` paces
    /// to. Each one left out is Getui's published default (100 app pushes a day, 5 a
    /// minute; 2,000,000 list pushes a day); VIP accounts write what Getui gave them. A
    /// `sandbox` has no limits unless this is written (then it enforces them, and paces, as
    /// a real account would); its plan says what Getui's defaults would need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"app_pushes_per_day": 500}))]
    pub limits: Option<TargetLimits>,
}

/// Getui's limits on one app's pushes, as `gtcamp.yaml` raises or lowers them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetLimits {
    /// Pushes to every device or to a filter (`/push/all` and `/push/tag` together; every
    /// scheduled push gtcamp creates is one), per Beijing calendar day. Default 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 500)]
    pub app_pushes_per_day: Option<std::num::NonZeroU32>,
    /// The same, per minute: `apply` waits between creates to stay under it. Default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 20)]
    pub app_pushes_per_minute: Option<std::num::NonZeroU32>,
    /// Pushes to listed cids or aliases (one per call), per Beijing calendar day. Default
    /// 2,000,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 3_000_000)]
    pub list_pushes_per_day: Option<std::num::NonZeroU32>,
    /// The same, per minute. Getui publishes no default: none unless written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 1_000)]
    pub list_pushes_per_minute: Option<std::num::NonZeroU32>,
}

/// A limit as written, else its default.
fn given(written: Option<std::num::NonZeroU32>, default: Option<u32>) -> Option<u32> {
    written.map(std::num::NonZeroU32::get).or(default)
}

impl TargetLimits {
    /// These limits, each one left out taken from `defaults`.
    pub fn over(&self, defaults: crate::getui::Limits) -> crate::getui::Limits {
        crate::getui::Limits {
            app_pushes_per_day: given(self.app_pushes_per_day, defaults.app_pushes_per_day),
            app_pushes_per_minute: given(
                self.app_pushes_per_minute,
                defaults.app_pushes_per_minute,
            ),
            list_pushes_per_day: given(self.list_pushes_per_day, defaults.list_pushes_per_day),
            list_pushes_per_minute: given(
                self.list_pushes_per_minute,
                defaults.list_pushes_per_minute,
            ),
        }
    }
}

/// Where a `getui-v2` target is when gtcamp.yaml names no `endpoint`: Getui's documented
/// REST API V2 address, before `/{app_id}`.
pub const DEFAULT_V2_ENDPOINT: &str = crate::getui::v2::DEFAULT_ENDPOINT;

impl Target {
    /// A target of this kind with every setting at its default.
    pub fn of_kind(kind: TargetKind) -> Self {
        Target {
            kind,
            endpoint: None,
            use_ssl: false,
            max_push_ahead: DEFAULT_MAX_PUSH_AHEAD,
            population: DEFAULT_SANDBOX_POPULATION,
            protocol: None,
            bindings_endpoint: None,
            limits: None,
        }
    }

    /// The API gtcamp speaks to this target. `protocol` counts only on a sandbox (check
    /// refuses it elsewhere).
    pub fn protocol(&self) -> Protocol {
        match self.kind {
            TargetKind::Sandbox => self.protocol.unwrap_or_default(),
            TargetKind::Getui => Protocol::Legacy,
            TargetKind::GetuiV2 => Protocol::V2,
        }
    }

    /// The limits gtcamp paces to and plans against: Getui's published ones under what
    /// the target writes; for a sandbox, none (`None`) unless it writes some.
    pub fn push_limits(&self) -> Option<crate::getui::Limits> {
        use crate::getui::Limits;
        match (&self.limits, self.kind) {
            (Some(limits), _) => Some(limits.over(Limits::DOCUMENTED)),
            (None, TargetKind::Sandbox) => None,
            (None, _) => Some(Limits::DOCUMENTED),
        }
    }

    /// The endpoint as written, or the default of the target's type (only `getui-v2` has
    /// one).
    pub fn endpoint_or_default(&self) -> Option<&str> {
        match (self.endpoint.as_deref(), self.kind) {
            (Some(endpoint), _) => Some(endpoint),
            (None, TargetKind::GetuiV2) => Some(DEFAULT_V2_ENDPOINT),
            (None, _) => None,
        }
    }
}

/// The Getui APIs gtcamp speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// The legacy API (`apiex.htm`), deprecated by Getui but the only one with SMS fallback.
    #[default]
    Legacy,
    /// REST API V2 (`restapi.getui.com/v2`).
    V2,
}

impl Protocol {
    /// The name gtcamp.yaml gives it.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Legacy => "legacy",
            Protocol::V2 => "v2",
        }
    }
}

/// Only what the schema shows: an absent `protocol` is `legacy`.
fn default_protocol() -> Option<Protocol> {
    Some(Protocol::Legacy)
}

/// A target's `max_push_ahead` when gtcamp.yaml does not say: Getui's own limit
/// ([`crate::getui::MAX_PUSH_AHEAD`]), written in days as an author would write it.
pub const DEFAULT_MAX_PUSH_AHEAD: Duration =
    Duration::from_days(crate::getui::MAX_PUSH_AHEAD.num_days().unsigned_abs());

fn default_max_push_ahead() -> Duration {
    DEFAULT_MAX_PUSH_AHEAD
}

/// The target used when a workspace sets neither `--target` nor `default_target`; it
/// exists even when gtcamp.yaml omits it.
pub const SANDBOX_TARGET: &str = "sandbox";

/// A target name that gtcamp.yaml does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("there is no target `{name}` in gtcamp.yaml (targets: {known}){}", did_you_mean(.suggestion))]
pub struct UnknownTarget {
    pub name: String,
    /// The names it could have been, comma-separated.
    pub known: String,
    /// The one it most likely was: a typo away, or the only one it begins (`prod` for
    /// `production`).
    pub suggestion: Option<String>,
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

/// The target `name` was most likely meant to be: one a typo away, else the only one
/// that begins with it, as people shorten `production` to `prod`.
fn likely_target(name: &str, known: &[&str]) -> Option<String> {
    if let Some(close) = super::did_you_mean(name, known.iter().copied()) {
        return Some(close.to_owned());
    }
    let lower = name.to_lowercase();
    let mut starting = known
        .iter()
        .filter(|known| !lower.is_empty() && known.to_lowercase().starts_with(&lower));
    match (starting.next(), starting.next()) {
        (Some(only), None) => Some((*only).to_owned()),
        _ => None,
    }
}

impl Workspace {
    /// The target a command uses: `--target`, else `default_target`, else `sandbox`.
    pub fn chosen_target(&self, requested: Option<&str>) -> String {
        requested
            .map(str::to_owned)
            .or_else(|| self.default_target.clone())
            .unwrap_or_else(|| SANDBOX_TARGET.to_owned())
    }

    /// The settings of the named target; `sandbox` exists even when gtcamp.yaml omits it.
    pub fn target(&self, name: &str) -> Result<Target, UnknownTarget> {
        if let Some(target) = self.targets.get(name) {
            return Ok(target.clone());
        }
        if name == SANDBOX_TARGET {
            return Ok(Target::of_kind(TargetKind::Sandbox));
        }
        let mut known: Vec<&str> = self.targets.keys().map(String::as_str).collect();
        if !known.contains(&SANDBOX_TARGET) {
            known.push(SANDBOX_TARGET);
        }
        Err(UnknownTarget {
            name: name.to_owned(),
            suggestion: likely_target(name, &known),
            known: known.join(", "),
        })
    }
}

/// The most devices one `gtcamp send-test` sends to: a handful of the team's own phones.
pub const MAX_TEST_DEVICES: usize = 5;

/// Why a device is not written `cid:<client id>` or `alias:<alias>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceSpecError {
    #[error("`{0}` is neither `cid:<client id>` nor `alias:<alias>`")]
    NoKind(String),
    #[error("`{0}` names no {1} after the colon")]
    Empty(String, &'static str),
    #[error("`{0}` has a space or a control character in its {1}")]
    Blank(String, &'static str),
}

/// A device as `test_devices` and `gtcamp send-test --to` write it: `cid:` and a client id,
/// or `alias:` and an alias, each without spaces.
pub fn parse_device(text: &str) -> Result<crate::getui::api::Device, DeviceSpecError> {
    use crate::getui::api::Device;
    let (kind, value, make): (&'static str, &str, fn(String) -> Device) =
        if let Some(cid) = text.strip_prefix("cid:") {
            ("client id", cid, Device::Cid)
        } else if let Some(alias) = text.strip_prefix("alias:") {
            ("alias", alias, Device::Alias)
        } else {
            return Err(DeviceSpecError::NoKind(text.to_owned()));
        };
    if value.is_empty() {
        return Err(DeviceSpecError::Empty(text.to_owned(), kind));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(DeviceSpecError::Blank(text.to_owned(), kind));
    }
    Ok(make(value.to_owned()))
}

/// The synthetic devices of a new sandbox when gtcamp.yaml does not say.
pub const DEFAULT_SANDBOX_POPULATION: u32 = 100_000;

fn default_population() -> u32 {
    DEFAULT_SANDBOX_POPULATION
}

/// The kinds of target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    /// The Getui emulator built into gtcamp, with its data under `.gtcamp/sandbox/`.
    Sandbox,
    /// A real Getui server, through the legacy API.
    Getui,
    /// A real Getui server, through REST API V2.
    #[serde(rename = "getui-v2")]
    GetuiV2,
}

impl TargetKind {
    /// The name gtcamp.yaml gives it.
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Sandbox => "sandbox",
            TargetKind::Getui => "getui",
            TargetKind::GetuiV2 => "getui-v2",
        }
    }
}

/// Where state is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateConfig {
    /// `local`: a JSON file in the workspace, locked while gtcamp runs. `postgres`: a row in
    /// a PostgreSQL database, shared by every runner of a team.
    #[serde(default)]
    #[schemars(example = &"postgres")]
    pub backend: StateBackend,
    /// The state file, relative to the workspace; `{target}` stands for the target's name, so
    /// that each target keeps its own state. With `postgres`, the local file that
    /// `gtcamp state migrate` moves into the database.
    #[serde(default = "default_state_path")]
    #[schemars(default = "default_state_path")]
    #[schemars(example = &".gtcamp/{target}/state.json")]
    pub path: String,
    /// With `postgres`: the environment variable holding the database URL
    /// (`postgres://user:password@host:5432/db`). The URL itself is never written in a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(default = "default_url_env")]
    #[schemars(example = &"GTCAMP_PG_URL")]
    pub url_env: Option<String>,
    /// With `postgres`: the name the state is kept under in the database, so several
    /// workspaces can share one. Defaults to the workspace's `name`; same rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"demo-shop")]
    pub workspace: Option<String>,
    /// How many days state keeps each send (task id, group, class, audience, time) for
    /// `gtcamp report` and `gtcamp status`. Getui keeps its push reports for 90 days, so a
    /// longer window keeps sends with nothing left to report.
    #[serde(default = "default_history_days")]
    #[schemars(default = "default_history_days", range(min = 1, max = 3650))]
    #[schemars(example = 30)]
    pub history_days: u32,
}

impl Default for StateConfig {
    fn default() -> Self {
        StateConfig {
            backend: StateBackend::default(),
            path: default_state_path(),
            url_env: None,
            workspace: None,
            history_days: default_history_days(),
        }
    }
}

fn default_history_days() -> u32 {
    90
}

/// The variable the PostgreSQL URL is read from when `url_env` is not given.
pub const DEFAULT_PG_URL_ENV: &str = "GTCAMP_PG_URL";

/// Only what the schema shows: an absent `url_env` means this variable.
fn default_url_env() -> Option<String> {
    Some(DEFAULT_PG_URL_ENV.to_owned())
}

fn default_state_path() -> String {
    ".gtcamp/{target}/state.json".to_owned()
}

/// The state backends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StateBackend {
    /// A JSON file in the workspace.
    #[default]
    Local,
    /// A PostgreSQL database, shared by every runner (see `url_env`, `workspace`).
    Postgres,
}

impl StateBackend {
    /// The name `gtcamp.yaml` gives it.
    pub fn name(self) -> &'static str {
        match self {
            StateBackend::Local => "local",
            StateBackend::Postgres => "postgres",
        }
    }
}

/// Values campaigns use unless they set their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// IANA time zone for cron schedules that name none.
    #[serde(default = "default_timezone")]
    #[schemars(default = "default_timezone")]
    #[schemars(example = &"Asia/Shanghai")]
    pub timezone: String,
    /// How long Getui keeps pushes for offline phones, from 1h to 72h.
    #[serde(default = "default_offline_keep")]
    #[schemars(default = "default_offline_keep")]
    #[schemars(example = &"2h")]
    pub offline_keep: Duration,
    /// Pushes due sooner than this are not created: there would be no time to review or
    /// cancel them. From `0s` to `30d`.
    #[serde(default = "default_lead_time")]
    #[schemars(default = "default_lead_time")]
    #[schemars(example = &"15m")]
    pub lead_time: Duration,
    /// How far ahead recurring campaigns keep their pushes scheduled. From `1m` to `366d`.
    #[serde(default = "default_horizon")]
    #[schemars(default = "default_horizon")]
    #[schemars(example = &"7d")]
    pub horizon: Duration,
    /// The message class of templates that set none: `marketing` or `service`. Without
    /// it, such templates are marketing and `validate` says so (GC090).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"service")]
    pub class: Option<super::MessageClass>,
    /// Hours in which sends are flagged (lint GC071, see `lints.quiet_hours`), in each
    /// campaign's time zone.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"start": "21:00", "end": "09:00"}))]
    pub quiet_hours: QuietHours,
    /// Whether campaigns that do not set `protect` are protected: a plan that would cancel
    /// or replace one of their pushes stops unless `--allow-cancel` names the campaign.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[schemars(example = true)]
    pub protect: bool,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            timezone: default_timezone(),
            offline_keep: default_offline_keep(),
            lead_time: default_lead_time(),
            horizon: default_horizon(),
            class: None,
            quiet_hours: QuietHours::default(),
            protect: false,
        }
    }
}

fn default_timezone() -> String {
    "Asia/Shanghai".to_owned()
}

fn default_offline_keep() -> Duration {
    Duration::from_hours(12)
}

fn default_lead_time() -> Duration {
    Duration::from_minutes(10)
}

fn default_horizon() -> Duration {
    Duration::from_days(14)
}

/// A daily span of local time, `HH:MM` to `HH:MM`; it may wrap past midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    /// Start of the quiet hours, `HH:MM`.
    #[schemars(regex(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    #[schemars(example = &"22:00")]
    pub start: String,
    /// End of the quiet hours, `HH:MM`.
    #[schemars(regex(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    #[schemars(example = &"08:00")]
    pub end: String,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours {
            start: "22:00".to_owned(),
            end: "08:00".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(targets: &[(&str, Target)]) -> Workspace {
        Workspace {
            document_kind: None,
            name: "t".into(),
            description: None,
            app_id: "app".into(),
            default_target: None,
            targets: targets
                .iter()
                .map(|(name, target)| ((*name).to_owned(), target.clone()))
                .collect(),
            state: Default::default(),
            defaults: Default::default(),
            sms_templates: Default::default(),
            vendors: Default::default(),
            test_devices: Default::default(),
            lints: Default::default(),
        }
    }

    fn production() -> Target {
        Target {
            endpoint: Some("https://api.getui.com/apiex.htm".into()),
            ..Target::of_kind(TargetKind::Getui)
        }
    }

    #[test]
    fn default_push_ahead_is_getuis_written_in_days() {
        assert_eq!(
            DEFAULT_MAX_PUSH_AHEAD.to_chrono(),
            Ok(crate::getui::MAX_PUSH_AHEAD)
        );
        assert_eq!(DEFAULT_MAX_PUSH_AHEAD.to_string(), "7d");
    }

    #[test]
    fn unknown_target_lists_the_known_ones() {
        let settings = settings(&[("production", production())]);
        let error = settings.target("staging").unwrap_err();
        assert_eq!(
            error.to_string(),
            "there is no target `staging` in gtcamp.yaml (targets: production, sandbox)"
        );
    }

    #[test]
    fn unknown_target_suggests_the_one_it_abbreviates_or_misspells() {
        let settings = settings(&[("production", production()), ("staging", production())]);
        let suggestion = |name: &str| settings.target(name).unwrap_err().suggestion;
        assert_eq!(suggestion("prod").as_deref(), Some("production"));
        assert_eq!(suggestion("stagign").as_deref(), Some("staging"));
        assert_eq!(suggestion("s"), None, "`s` begins both sandbox and staging");
        assert_eq!(suggestion("preview"), None);
        assert!(
            settings
                .target("prod")
                .unwrap_err()
                .to_string()
                .ends_with("(targets: production, staging, sandbox); did you mean `production`?")
        );
    }

    #[test]
    fn sandbox_exists_when_gtcamp_yaml_omits_it() {
        let target = settings(&[]).target("sandbox").unwrap();
        assert_eq!(target.kind, TargetKind::Sandbox);
        assert_eq!(target.max_push_ahead, DEFAULT_MAX_PUSH_AHEAD);
    }

    #[test]
    fn default_target_is_used_when_none_is_named() {
        let mut settings = settings(&[]);
        assert_eq!(settings.chosen_target(None), "sandbox");
        settings.default_target = Some("production".into());
        assert_eq!(settings.chosen_target(None), "production");
        assert_eq!(settings.chosen_target(Some("x")), "x");
    }

    #[test]
    fn getui_v2_is_spelled_with_a_dash_and_has_a_default_endpoint() {
        let target: Target = serde_saphyr::from_str("type: getui-v2").unwrap();
        assert_eq!(target.kind, TargetKind::GetuiV2);
        assert_eq!(target.protocol(), Protocol::V2);
        assert_eq!(
            target.endpoint_or_default(),
            Some("https://restapi.getui.com/v2")
        );
        assert_eq!(
            production().endpoint_or_default(),
            production().endpoint.as_deref()
        );
        assert_eq!(
            Target::of_kind(TargetKind::Sandbox).endpoint_or_default(),
            None
        );
    }

    #[test]
    fn a_sandbox_speaks_legacy_unless_told_v2() {
        let legacy: Target = serde_saphyr::from_str("type: sandbox").unwrap();
        assert_eq!(legacy.protocol(), Protocol::Legacy);
        let v2: Target = serde_saphyr::from_str("type: sandbox\nprotocol: v2").unwrap();
        assert_eq!(v2.protocol(), Protocol::V2);
        // A getui target's `type` decides; check reports the stray `protocol`.
        let stray: Target = serde_saphyr::from_str("type: getui\nprotocol: v2").unwrap();
        assert_eq!(stray.protocol(), Protocol::Legacy);
    }
}
