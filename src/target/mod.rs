//! Targets: where a plan is made against and an apply sends to.
//!
//! A workspace names its targets in `gtcamp.yaml`. `sandbox` runs the emulator inside this
//! process so that a fresh clone can plan and apply with no credentials; `getui` talks to a
//! real server with credentials read from the environment. Everything past this module sees
//! only a [`PushApi`], so plan and apply cannot tell them apart.
//!
//! [`connect`] signs in to a real target before it returns ([`PushApi::authenticate`]), so
//! that refused credentials, an app id that is not the app key's or an endpoint that does
//! not answer stop a run before it locks or writes any state ([`TargetError::SignIn`]),
//! rather than show as an empty plan. See: issue 29.
//!
//! Each speaks one of two APIs ([`Protocol`]): the legacy one ([`LegacyClient`]) or REST
//! API V2 ([`V2Client`]: a `getui-v2` target, or a sandbox with `protocol: v2`). V2 has no
//! phone binding, so a V2 target with somewhere to bind (a `bindings_endpoint`, or the
//! sandbox's own legacy API) is one [`BindingsElsewhere`] of the two clients.

mod population;
mod routed;

use std::collections::BTreeSet;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::compile::WorkspaceDevices;
use crate::emulator::{Clock, EmulatorConfig, RunningEmulator, UserSeed, VendorPolicy};
use crate::getui::vendor::Vendor;
use crate::getui::{LegacyClient, LegacyConfig, PushApi, RetryLimits, Secret, V2Client, V2Config};
use crate::model::{Protocol, Target, TargetKind, Vendors, Workspace};
pub use routed::BindingsElsewhere;

/// The variable holding the app key of a real target.
pub const APP_KEY_VAR: &str = "GETUI_APP_KEY";
/// The variable holding the master secret of a real target.
pub const MASTER_SECRET_VAR: &str = "GETUI_MASTER_SECRET";
/// The variable that overrides the workspace's app id for a real target.
pub const APP_ID_VAR: &str = "GETUI_APP_ID";

/// Overrides the first backoff delay between resends, in milliseconds (for tests).
pub const BACKOFF_VAR: &str = "GTCAMP_BACKOFF_MS";

/// The sandbox emulator's fixed credentials: nothing secret lives there.
const SANDBOX_KEY: &str = "sandbox-key";
const SANDBOX_SECRET: &str = "sandbox-secret";

/// Why a target could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error(transparent)]
    Unknown(#[from] crate::model::UnknownTarget),
    #[error("target `{target}` is of type getui but has no `endpoint`")]
    NoEndpoint { target: String },
    #[error(
        "target `{target}` is not a sandbox, so it does not read `protocol`; for REST API V2, write `type: getui-v2`"
    )]
    StrayProtocol { target: String },
    #[error(
        "target `{target}` needs the environment variable {variable}; set it to the app's {what}"
    )]
    MissingVariable {
        target: String,
        variable: &'static str,
        what: &'static str,
    },
    #[error("target `{target}`: `max_push_ahead` {source}")]
    PushAheadTooLong {
        target: String,
        source: crate::model::DurationTooLong,
    },
    #[error("could not start the sandbox emulator: {0}")]
    Emulator(#[from] crate::emulator::Error),
    #[error("could not set up the Getui client: {0}")]
    Client(#[from] crate::getui::Error),
    /// Signing in failed: refused credentials, an app id that is not the app key's, or an
    /// endpoint that did not answer. Nothing else was asked, and no state was read or written.
    #[error(
        "could not sign in to target `{target}`: {error}\n{}; nothing else was asked of Getui, and no state was written.\nTarget: {target}, Getui app `{app_id}` ({place})",
        sign_in_advice(error)
    )]
    SignIn {
        target: String,
        /// Where the target is and which API it speaks, as the `Target:` line says.
        place: String,
        /// The app id the run asked for (never a credential).
        app_id: String,
        error: Box<crate::getui::Error>,
    },
}

/// What to do when signing in failed, as a sentence of its own.
fn sign_in_advice(error: &crate::getui::Error) -> String {
    let advice = error.advice();
    let mut chars = advice.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A connected target. Keeps the sandbox emulator alive for as long as it lives.
pub struct Connection {
    pub name: String,
    /// The Getui app id it reaches: what its state is made for.
    pub app_id: String,
    pub kind: TargetKind,
    /// The API it speaks.
    pub protocol: Protocol,
    pub api: Arc<dyn PushApi>,
    /// How far ahead the target accepts a push time.
    pub max_push_ahead: chrono::Duration,
    /// Where it is, for the `Target:` line (never holds a credential).
    pub location: String,
    /// Where a V2 target's phone bindings go, when elsewhere than `location`.
    pub bindings_location: Option<String>,
    /// What the person running gtcamp should know about the target.
    pub notes: Vec<String>,
    /// For a sandbox, how many synthetic devices it holds (`None` when it was created
    /// before sandboxes had them).
    pub population: Option<usize>,
    /// Getui's limits on the app's pushes, as the target sets them; `None` for a sandbox
    /// without `limits:`.
    pub limits: Option<crate::getui::Limits>,
    emulator: Option<RunningEmulator>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("name", &self.name)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// The lines every command that touches a target prints to stderr.
    pub fn banner(&self) -> String {
        let place = self.place();
        match self.kind {
            TargetKind::Sandbox => {
                let population = match self.population {
                    Some(size) => format!(
                        "sandbox population: {} synthetic devices, besides the workspace's own",
                        population::with_thousands(size)
                    ),
                    None => "sandbox population: none (the sandbox predates synthetic devices; delete .gtcamp/sandbox/ for a new one)".to_owned(),
                };
                format!("Target: {} (emulator at {place})\n{population}", self.name)
            }
            TargetKind::Getui | TargetKind::GetuiV2 => {
                format!("Target: {} ({place})", self.name)
            }
        }
    }

    /// Where the target is and which API it speaks, in words. The legacy sandbox says only
    /// where: it is what a newcomer sees first.
    fn place(&self) -> String {
        let bindings = match &self.bindings_location {
            Some(url) if self.kind == TargetKind::Sandbox => {
                format!("; phone bindings through its legacy API at {url}")
            }
            Some(url) => format!("; phone bindings through the legacy API at {url}"),
            None => String::new(),
        };
        match (self.kind, self.protocol) {
            (TargetKind::Sandbox, Protocol::Legacy) => self.location.clone(),
            (TargetKind::Sandbox, Protocol::V2) => {
                format!("{}, REST API V2{bindings}", self.location)
            }
            (_, Protocol::Legacy) => format!("legacy API at {}", self.location),
            (_, Protocol::V2) => format!("REST API V2 at {}{bindings}", self.location),
        }
    }

    /// The in-process emulator of a sandbox target.
    pub fn emulator(&self) -> Option<&RunningEmulator> {
        self.emulator.as_ref()
    }

    /// The clock an apply paces by: a sandbox's own (whose minutes its limits count, and
    /// which tests hold still and move); `None`, gtcamp's, for a real target.
    pub fn pace_clock(&self) -> Option<Arc<dyn crate::clock::OtherClock>> {
        let clock = self.emulator.as_ref()?.clock().clone();
        Some(Arc::new(SandboxClock(clock)))
    }

    /// Stops the sandbox emulator, if any, letting in-flight requests end.
    pub async fn close(mut self) {
        if let Some(emulator) = self.emulator.take() {
            emulator.shutdown().await;
        }
    }
}

/// A sandbox's emulator clock, as an apply keeps time by it.
struct SandboxClock(Clock);

impl crate::clock::OtherClock for SandboxClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.now()
    }

    fn skip(&self, by: chrono::Duration) -> bool {
        let manual = self.0.is_manual();
        if manual {
            self.0.advance(by);
        }
        manual
    }
}

/// Connects to a target. `env` reads environment variables (a parameter so tests need not
/// touch the process environment). `devices` seeds a new sandbox with the devices the
/// workspace names, so that its bindings and list pushes reach someone, and its synthetic
/// population with the tags its audiences use (other targets ignore them). `concurrency`
/// is how many requests the client keeps in flight (`--parallelism`).
pub async fn connect(
    workspace_root: &Path,
    settings: &Workspace,
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
    devices: WorkspaceDevices<'_>,
    concurrency: usize,
) -> Result<Connection, TargetError> {
    let target = settings.target(name)?;
    let max_push_ahead =
        target
            .max_push_ahead
            .to_chrono()
            .map_err(|source| TargetError::PushAheadTooLong {
                target: name.to_owned(),
                source,
            })?;
    let mut reached = match target.kind {
        TargetKind::Sandbox => {
            reach_sandbox(workspace_root, settings, &target, max_push_ahead, devices).await?
        }
        TargetKind::Getui | TargetKind::GetuiV2 => reach_getui(settings, name, &target, env)?,
    };
    let tuning = Tuning {
        concurrency: concurrency.max(1),
        // Tests that make every read fail would otherwise wait out real backoffs.
        backoff_base: env(BACKOFF_VAR)
            .and_then(|ms| ms.trim().parse::<u64>().ok())
            .map(std::time::Duration::from_millis),
    };
    reached.clients.tune(&tuning);
    let (app_id, api) = reached.clients.build()?;
    let connection = Connection {
        name: name.to_owned(),
        app_id,
        kind: target.kind,
        protocol: target.protocol(),
        api,
        max_push_ahead,
        location: reached.location,
        bindings_location: reached.bindings_location,
        notes: reached.notes,
        population: reached.population,
        limits: target.push_limits(),
        emulator: reached.emulator,
    };
    // A real target signs in before anything depends on it: a refused secret must fail the
    // run, not show as an empty plan. The sandbox's credentials are its own.
    if connection.kind != TargetKind::Sandbox
        && let Err(error) = connection.api.authenticate().await
    {
        return Err(TargetError::SignIn {
            target: connection.name.clone(),
            place: connection.place(),
            app_id: connection.app_id.clone(),
            error: Box::new(error),
        });
    }
    Ok(connection)
}

/// What `--parallelism` and the tests' backoff set on every client of a target.
struct Tuning {
    concurrency: usize,
    backoff_base: Option<std::time::Duration>,
}

/// The settings of a target's clients, before they are built.
enum Clients {
    Legacy(LegacyConfig),
    /// REST API V2, with a legacy client for phone bindings when there is somewhere to bind.
    V2 {
        pushes: V2Config,
        bindings: Option<LegacyConfig>,
    },
}

impl Tuning {
    /// Sets this tuning on one client's settings.
    fn apply(&self, concurrency: &mut usize, retry: &mut RetryLimits) {
        *concurrency = self.concurrency;
        if let Some(base) = self.backoff_base {
            retry.backoff_base = base;
            retry.backoff_max = base.saturating_mul(50);
        }
    }
}

impl Clients {
    fn tune(&mut self, tuning: &Tuning) {
        match self {
            Clients::Legacy(config) => tuning.apply(&mut config.concurrency, &mut config.retry),
            Clients::V2 { pushes, bindings } => {
                tuning.apply(&mut pushes.concurrency, &mut pushes.retry);
                if let Some(bindings) = bindings {
                    tuning.apply(&mut bindings.concurrency, &mut bindings.retry);
                }
            }
        }
    }

    /// The app id reached and the one `PushApi` plan and apply see.
    fn build(self) -> Result<(String, Arc<dyn PushApi>), TargetError> {
        Ok(match self {
            Clients::Legacy(config) => {
                (config.app_id.clone(), Arc::new(LegacyClient::new(config)?))
            }
            Clients::V2 { pushes, bindings } => {
                let app_id = pushes.app_id.clone();
                let v2: Arc<dyn PushApi> = Arc::new(V2Client::new(pushes)?);
                let api: Arc<dyn PushApi> = match bindings {
                    Some(config) => Arc::new(BindingsElsewhere {
                        pushes: v2,
                        bindings: Arc::new(LegacyClient::new(config)?),
                    }),
                    // V2Client refuses bindings itself; check refused the workspace first.
                    None => v2,
                };
                (app_id, api)
            }
        })
    }
}

/// Where a target is and how to sign in, before a client is built.
struct Reached {
    location: String,
    bindings_location: Option<String>,
    notes: Vec<String>,
    population: Option<usize>,
    clients: Clients,
    emulator: Option<RunningEmulator>,
}

/// The files beside the sandbox's store: how many synthetic devices it was created with,
/// and a digest of the workspace devices it was created with (so that a start need not look
/// up a million cids to learn that none is missing).
const POPULATION_FILE: &str = "population";
const DEVICES_DIGEST_FILE: &str = "workspace-devices.sha256";

/// What the sandbox's makers do with marketing pushes: the workspace's rules (its news-app
/// status and overrides), and its Xiaomi and OPPO service channels, so that a push gtcamp
/// marks as service on those channels is read as service, as the real makers would.
fn vendor_policy(vendors: &Vendors) -> VendorPolicy {
    let rules = vendors
        .all_marketing_rules()
        .into_iter()
        .map(|row| (row.vendor, row.rules))
        .collect();
    let service = |id: Option<&String>| id.cloned().into_iter().collect::<Vec<String>>();
    let xm = vendors.xm.as_ref().and_then(|xm| xm.service.as_ref());
    let op = vendors.op.as_ref().and_then(|op| op.service.as_ref());
    VendorPolicy {
        rules,
        service_channels: vec![
            (Vendor::Xm, service(xm.and_then(|c| c.channel_id.as_ref()))),
            (Vendor::Op, service(op.and_then(|c| c.channel_id.as_ref()))),
        ],
    }
}

async fn reach_sandbox(
    workspace_root: &Path,
    settings: &Workspace,
    target: &Target,
    max_push_ahead: chrono::Duration,
    devices: WorkspaceDevices<'_>,
) -> Result<Reached, TargetError> {
    let data_dir = sandbox_dir(workspace_root);
    let WorkspaceDevices {
        cids,
        aliases,
        tags,
    } = devices;
    let alias_devices: Vec<String> = aliases.iter().map(|alias| alias_device(alias)).collect();
    let digest = devices_digest(
        cids.iter()
            .copied()
            .chain(alias_devices.iter().map(String::as_str)),
    );
    let created = !crate::emulator::has_store(&data_dir);
    // Devices are only built when the store is created; a million seeds for a store that
    // ignores them would cost a plan a second and hundreds of MiB for nothing.
    let (users, bare_devices, population) = if created {
        let size = usize::try_from(target.population).unwrap_or(usize::MAX);
        let synthetic = {
            // The cids are sorted: a million of them are searched, not copied into a set.
            let by_alias: BTreeSet<&str> = alias_devices.iter().map(String::as_str).collect();
            let taken = |cid: &str| cids.binary_search(&cid).is_ok() || by_alias.contains(cid);
            population::synthetic_devices(size, &tags, taken)
        };
        let mut users: Vec<UserSeed> = Vec::with_capacity(aliases.len() + synthetic.len());
        for (alias, device) in aliases.iter().zip(&alias_devices) {
            let mut user = UserSeed::new(device.clone());
            user.alias = Some(alias.clone());
            users.push(user);
        }
        users.extend(synthetic);
        let bare = cids.iter().map(|cid| (*cid).to_owned()).collect();
        (users, bare, Some(size))
    } else {
        let recorded = std::fs::read_to_string(data_dir.join(POPULATION_FILE))
            .ok()
            .and_then(|text| text.trim().parse::<usize>().ok());
        (Vec::new(), Vec::new(), recorded)
    };
    // With GTCAMP_NOW set, the sandbox lives at that instant too, so tests and demos
    // see the same "now" on both sides.
    // The client signs with the system clock, so the signature window is widened then.
    let (clock, sign_window) = if std::env::var_os(crate::clock::NOW_VAR).is_some() {
        (
            Clock::manual(crate::clock::now()),
            chrono::Duration::days(3650),
        )
    } else {
        (Clock::system(), EmulatorConfig::default().sign_window)
    };
    let config = EmulatorConfig {
        app_id: settings.app_id.clone(),
        app_key: SANDBOX_KEY.to_owned(),
        master_secret: SANDBOX_SECRET.to_owned(),
        data_dir: Some(data_dir.clone()),
        clock,
        max_push_ahead,
        users,
        bare_devices,
        sign_window,
        limits: target.push_limits().unwrap_or(crate::getui::Limits::NONE),
        vendor_policy: vendor_policy(&settings.vendors),
        ..EmulatorConfig::default()
    };
    if created {
        // Written before the store, which a kill may leave uncreated: then the next run
        // creates both again. Best effort: without them the sandbox works, only less is
        // known of it.
        let _ = std::fs::create_dir_all(&data_dir);
        if let Some(size) = population {
            let _ = std::fs::write(data_dir.join(POPULATION_FILE), format!("{size}\n"));
        }
        let _ = std::fs::write(data_dir.join(DEVICES_DIGEST_FILE), &digest);
    }
    let emulator =
        crate::emulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    // A new store holds every device, so none is looked up.
    let mut notes = if created {
        Vec::new()
    } else {
        let wanted = cids
            .iter()
            .copied()
            .chain(alias_devices.iter().map(String::as_str));
        missing_devices(&emulator, wanted, &digest, &data_dir)
    };
    if let Some(size) = population
        && size != usize::try_from(target.population).unwrap_or(usize::MAX)
    {
        notes.push(format!(
            "the sandbox was created with {} synthetic devices and gtcamp.yaml now asks for {}: delete `{}` to start a sandbox of the new size",
            population::with_thousands(size),
            population::with_thousands(usize::try_from(target.population).unwrap_or(usize::MAX)),
            data_dir.display()
        ));
    }
    let legacy = emulator.base_url();
    let legacy_config = LegacyConfig::new(
        &legacy,
        &settings.app_id,
        SANDBOX_KEY,
        Secret::new(SANDBOX_SECRET),
    );
    let (location, bindings_location, clients) = match target.protocol() {
        Protocol::Legacy => (legacy, None, Clients::Legacy(legacy_config)),
        Protocol::V2 => {
            let prefix = emulator.v2_endpoint();
            let pushes = V2Config::new(
                &prefix,
                &settings.app_id,
                SANDBOX_KEY,
                Secret::new(SANDBOX_SECRET),
            );
            let clients = Clients::V2 {
                pushes,
                bindings: Some(legacy_config),
            };
            (prefix, Some(legacy), clients)
        }
    };
    Ok(Reached {
        location,
        bindings_location,
        notes,
        population,
        clients,
        emulator: Some(emulator),
    })
}

fn sandbox_dir(workspace_root: &Path) -> PathBuf {
    workspace_root.join(".gtcamp").join("sandbox")
}

fn devices_digest<'a>(cids: impl Iterator<Item = &'a str>) -> String {
    let mut hasher = Sha256::new();
    for cid in cids {
        hasher.update(cid.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

/// A sandbox keeps the devices it was created with; cids added to the workspace later are
/// unknown to it, and Getui would refuse them just the same. When the workspace names the
/// devices the sandbox was created with (the digest matches), nothing is looked up.
fn missing_devices<'a>(
    emulator: &RunningEmulator,
    wanted: impl Iterator<Item = &'a str>,
    digest: &str,
    data_dir: &Path,
) -> Vec<String> {
    let digest_file = data_dir.join(DEVICES_DIGEST_FILE);
    if std::fs::read_to_string(&digest_file).is_ok_and(|recorded| recorded.trim() == digest) {
        return Vec::new();
    }
    let wanted: Vec<&str> = wanted.collect();
    let missing = emulator.unknown_cids(&wanted);
    let Some(first) = missing.first() else {
        let _ = std::fs::write(&digest_file, digest);
        return Vec::new();
    };
    vec![format!(
        "the sandbox has no device for {} cid(s) of the workspace (such as `{first}`): it was created before they were added; delete `{}` to start a fresh sandbox that has them",
        missing.len(),
        data_dir.display()
    )]
}

/// The cid of the device a new sandbox binds to `alias`.
fn alias_device(alias: &str) -> String {
    format!("sandbox-{}", crate::getui::phone_hash(alias))
}

fn reach_getui(
    settings: &Workspace,
    name: &str,
    target: &Target,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Reached, TargetError> {
    // Check refuses it too; a library caller that skipped check must not believe a legacy
    // target speaks V2.
    if target.protocol.is_some() {
        return Err(TargetError::StrayProtocol {
            target: name.to_owned(),
        });
    }
    let Some(endpoint) = target.endpoint_or_default() else {
        return Err(TargetError::NoEndpoint {
            target: name.to_owned(),
        });
    };
    let secure = |url: &str| match url.strip_prefix("http://") {
        Some(rest) if target.use_ssl => format!("https://{rest}"),
        _ => url.to_owned(),
    };
    let endpoint = secure(endpoint);
    let required = |variable: &'static str, what: &'static str| {
        env(variable)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| TargetError::MissingVariable {
                target: name.to_owned(),
                variable,
                what,
            })
    };
    let app_key = required(APP_KEY_VAR, "app key")?;
    let master_secret = Secret::new(required(MASTER_SECRET_VAR, "master secret")?);
    let app_id = env(APP_ID_VAR)
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| settings.app_id.clone());
    let bindings_location = match target.kind {
        TargetKind::GetuiV2 => target.bindings_endpoint.as_deref().map(secure),
        _ => None,
    };
    let clients = match target.kind {
        TargetKind::GetuiV2 => Clients::V2 {
            pushes: V2Config::new(&endpoint, &app_id, &app_key, master_secret.clone()),
            bindings: bindings_location
                .as_deref()
                .map(|url| LegacyConfig::new(url, &app_id, &app_key, master_secret.clone())),
        },
        _ => Clients::Legacy(LegacyConfig::new(
            &endpoint,
            &app_id,
            &app_key,
            master_secret,
        )),
    };
    Ok(Reached {
        location: endpoint,
        bindings_location,
        notes: Vec::new(),
        population: None,
        clients,
        emulator: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_meets_the_workspaces_makers_rules_and_service_channels() {
        let vendors: Vendors = serde_saphyr::from_str(
            "vv: {news_app: true}\nhw: {marketing_per_day: 1}\nxm: {service: {channel_id: \"77\"}}\n",
        )
        .unwrap_or_default();
        let policy = vendor_policy(&vendors);
        let rules = |vendor: Vendor| {
            policy
                .rules
                .iter()
                .find(|(v, _)| *v == vendor)
                .map(|(_, rules)| rules.per_day)
        };
        assert_eq!(rules(Vendor::Vv), Some(Some(5)));
        assert_eq!(rules(Vendor::Hw), Some(Some(1)));
        assert_eq!(rules(Vendor::Op), Some(Some(2)));
        assert!(
            policy
                .service_channels
                .contains(&(Vendor::Xm, vec!["77".to_owned()]))
        );
        assert!(policy.service_channels.contains(&(Vendor::Op, Vec::new())));
    }

    fn settings(yaml_targets: &[(&str, Target)]) -> Workspace {
        Workspace {
            document_kind: None,
            name: "t".into(),
            description: None,
            app_id: "app".into(),
            default_target: None,
            targets: yaml_targets
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
    fn getui_target_names_the_missing_master_secret() {
        let settings = settings(&[("production", production())]);
        let env = |name: &str| (name == APP_KEY_VAR).then(|| "key".to_owned());
        let Err(error) = reach_getui(&settings, "production", &production(), &env) else {
            panic!("connected without a master secret");
        };
        assert!(error.to_string().contains(MASTER_SECRET_VAR), "{error}");
    }

    #[test]
    fn getui_target_never_shows_the_secret() {
        let settings = settings(&[("production", production())]);
        let env = |name: &str| match name {
            APP_KEY_VAR => Some("key".to_owned()),
            MASTER_SECRET_VAR => Some("top-secret-value".to_owned()),
            _ => None,
        };
        let Ok(reached) = reach_getui(&settings, "production", &production(), &env) else {
            panic!("no connection");
        };
        assert_eq!(reached.location, "https://api.getui.com/apiex.htm");
        let Clients::Legacy(config) = &reached.clients else {
            panic!("a getui target speaks the legacy API");
        };
        assert!(!format!("{config:?}").contains("top-secret-value"));
    }

    fn credentials(name: &str) -> Option<String> {
        match name {
            APP_KEY_VAR => Some("key".to_owned()),
            MASTER_SECRET_VAR => Some("secret".to_owned()),
            _ => None,
        }
    }

    #[test]
    fn a_v2_target_reaches_the_default_endpoint_and_binds_through_its_legacy_one() {
        let target = Target {
            bindings_endpoint: Some("http://api.getui.com/apiex.htm".into()),
            use_ssl: true,
            ..Target::of_kind(TargetKind::GetuiV2)
        };
        let settings = settings(&[("v2", target.clone())]);
        let Ok(reached) = reach_getui(&settings, "v2", &target, &credentials) else {
            panic!("no connection");
        };
        assert_eq!(reached.location, "https://restapi.getui.com/v2");
        assert_eq!(
            reached.bindings_location.as_deref(),
            Some("https://api.getui.com/apiex.htm")
        );
        let Clients::V2 { pushes, bindings } = &reached.clients else {
            panic!("a getui-v2 target speaks V2");
        };
        assert_eq!(pushes.endpoint, "https://restapi.getui.com/v2");
        assert_eq!(pushes.app_id, "app");
        assert!(bindings.is_some());
    }

    #[test]
    fn a_getui_target_with_protocol_is_refused_rather_than_read_as_legacy() {
        let target = Target {
            protocol: Some(Protocol::V2),
            ..production()
        };
        let settings = settings(&[("production", target.clone())]);
        let Err(error) = reach_getui(&settings, "production", &target, &credentials) else {
            panic!("connected a getui target that says protocol: v2");
        };
        assert!(error.to_string().contains("type: getui-v2"), "{error}");
    }

    fn connection(kind: TargetKind, protocol: Protocol, bindings: Option<&str>) -> Connection {
        Connection {
            name: "t".into(),
            app_id: "app".into(),
            kind,
            protocol,
            api: Arc::new(
                LegacyClient::new(LegacyConfig::new("http://x", "app", "k", Secret::new("s")))
                    .expect("a client"),
            ),
            max_push_ahead: chrono::Duration::days(7),
            location: "http://x/v2".into(),
            bindings_location: bindings.map(str::to_owned),
            notes: Vec::new(),
            population: Some(3),
            limits: Some(crate::getui::Limits::DOCUMENTED),
            emulator: None,
        }
    }

    #[test]
    fn the_target_line_says_which_api_the_run_speaks() {
        let first_line = |c: Connection| c.banner().lines().next().unwrap_or_default().to_owned();
        assert_eq!(
            first_line(connection(
                TargetKind::GetuiV2,
                Protocol::V2,
                Some("https://l")
            )),
            "Target: t (REST API V2 at http://x/v2; phone bindings through the legacy API at https://l)"
        );
        assert_eq!(
            first_line(connection(TargetKind::Getui, Protocol::Legacy, None)),
            "Target: t (legacy API at http://x/v2)"
        );
        assert_eq!(
            first_line(connection(
                TargetKind::Sandbox,
                Protocol::V2,
                Some("http://l")
            )),
            "Target: t (emulator at http://x/v2, REST API V2; phone bindings through its legacy API at http://l)"
        );
        assert_eq!(
            first_line(connection(TargetKind::Sandbox, Protocol::Legacy, None)),
            "Target: t (emulator at http://x/v2)"
        );
    }
}
