//! Targets: where a plan is made against and an apply sends to.
//!
//! A workspace names its targets in `gtcamp.yaml`. `sandbox` runs the emulator inside this
//! process so that a fresh clone can plan and apply with no credentials; `getui` talks to a
//! real server with credentials read from the environment. Everything past this module sees
//! only a [`PushApi`], so plan and apply cannot tell the two apart.

use std::collections::BTreeSet;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use crate::compile::{Desired, RemoteRequest};
use crate::emulator::{Clock, EmulatorConfig, RunningEmulator, UserSeed};
use crate::getui::api::ListTargets;
use crate::getui::{LegacyClient, LegacyConfig, PushApi, Secret};
use crate::model::{Target, TargetKind, Workspace};

/// The variable holding the app key of a real target.
pub const APP_KEY_VAR: &str = "GETUI_APP_KEY";
/// The variable holding the master secret of a real target.
pub const MASTER_SECRET_VAR: &str = "GETUI_MASTER_SECRET";
/// The variable that overrides the workspace's app id for a real target.
pub const APP_ID_VAR: &str = "GETUI_APP_ID";

/// The name used when a workspace sets neither `--target` nor `default_target`.
pub const SANDBOX: &str = "sandbox";

/// The sandbox emulator's fixed credentials: nothing secret lives there.
const SANDBOX_KEY: &str = "sandbox-key";
const SANDBOX_SECRET: &str = "sandbox-secret";

/// Why a target could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("there is no target `{name}` in gtcamp.yaml (targets: {known})")]
    Unknown { name: String, known: String },
    #[error("target `{target}` is of type getui but has no `endpoint`")]
    NoEndpoint { target: String },
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
}

/// A connected target. Keeps the sandbox emulator alive for as long as it lives.
pub struct Connection {
    pub name: String,
    pub kind: TargetKind,
    pub api: Arc<dyn PushApi>,
    /// How far ahead the target accepts a push time.
    pub max_push_ahead: chrono::Duration,
    /// Where it is, for the `Target:` line (never holds a credential).
    pub location: String,
    /// What the person running gtcamp should know about the target.
    pub notes: Vec<String>,
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
    /// The line every command that touches a target prints to stderr.
    pub fn banner(&self) -> String {
        match self.kind {
            TargetKind::Sandbox => format!("Target: {} (emulator at {})", self.name, self.location),
            TargetKind::Getui => format!("Target: {} ({})", self.name, self.location),
        }
    }

    /// The in-process emulator of a sandbox target.
    pub fn emulator(&self) -> Option<&RunningEmulator> {
        self.emulator.as_ref()
    }

    /// Stops the sandbox emulator, if any, letting in-flight requests end.
    pub async fn close(mut self) {
        if let Some(emulator) = self.emulator.take() {
            emulator.shutdown().await;
        }
    }
}

/// The target a command uses: `--target`, else `default_target`, else `sandbox`.
pub fn chosen_name(settings: &Workspace, requested: Option<&str>) -> String {
    requested
        .map(str::to_owned)
        .or_else(|| settings.default_target.clone())
        .unwrap_or_else(|| SANDBOX.to_owned())
}

/// The settings of the named target; `sandbox` exists even when gtcamp.yaml omits it.
pub fn lookup(settings: &Workspace, name: &str) -> Result<Target, TargetError> {
    if let Some(target) = settings.targets.get(name) {
        return Ok(target.clone());
    }
    if name == SANDBOX {
        return Ok(Target {
            kind: TargetKind::Sandbox,
            endpoint: None,
            use_ssl: false,
            max_push_ahead: crate::model::Duration::from_days(7),
        });
    }
    let mut known: Vec<&str> = settings.targets.keys().map(String::as_str).collect();
    if !known.contains(&SANDBOX) {
        known.push(SANDBOX);
    }
    Err(TargetError::Unknown {
        name: name.to_owned(),
        known: known.join(", "),
    })
}

/// Connects to a target. `env` reads environment variables (a parameter so tests need not
/// touch the process environment). `desired` seeds a new sandbox with the devices the
/// workspace names, so that its bindings and list pushes reach someone. `concurrency` is
/// how many requests the client keeps in flight (`--parallelism`).
pub async fn connect(
    workspace_root: &Path,
    settings: &Workspace,
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
    desired: &Desired,
    concurrency: usize,
) -> Result<Connection, TargetError> {
    let target = lookup(settings, name)?;
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
            let users = sandbox_users(desired);
            reach_sandbox(workspace_root, settings, max_push_ahead, users).await?
        }
        TargetKind::Getui => reach_getui(settings, name, &target, env)?,
    };
    reached.config.concurrency = concurrency.max(1);
    Ok(Connection {
        name: name.to_owned(),
        kind: target.kind,
        api: Arc::new(LegacyClient::new(reached.config)?),
        max_push_ahead,
        location: reached.location,
        notes: reached.notes,
        emulator: reached.emulator,
    })
}

/// Where a target is and how to sign in, before a client is built.
struct Reached {
    location: String,
    notes: Vec<String>,
    config: LegacyConfig,
    emulator: Option<RunningEmulator>,
}

async fn reach_sandbox(
    workspace_root: &Path,
    settings: &Workspace,
    max_push_ahead: chrono::Duration,
    users: Vec<UserSeed>,
) -> Result<Reached, TargetError> {
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
        data_dir: Some(workspace_root.join(".gtcamp").join("sandbox")),
        clock,
        max_push_ahead,
        users,
        sign_window,
        ..EmulatorConfig::default()
    };
    let wanted: Vec<String> = config.users.iter().map(|user| user.cid.clone()).collect();
    let emulator =
        crate::emulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    let notes = missing_devices(&emulator, &wanted, workspace_root);
    let location = emulator.base_url();
    let config = LegacyConfig::new(
        &location,
        &settings.app_id,
        SANDBOX_KEY,
        Secret::new(SANDBOX_SECRET),
    );
    Ok(Reached {
        location,
        notes,
        config,
        emulator: Some(emulator),
    })
}

/// A sandbox keeps the devices it was created with; cids added to the workspace later are
/// unknown to it, and Getui would refuse them just the same.
fn missing_devices(emulator: &RunningEmulator, wanted: &[String], root: &Path) -> Vec<String> {
    let known: BTreeSet<String> = emulator
        .snapshot()
        .users
        .into_iter()
        .map(|u| u.cid)
        .collect();
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|cid| !known.contains(*cid))
        .map(String::as_str)
        .collect();
    let Some(first) = missing.first() else {
        return Vec::new();
    };
    vec![format!(
        "the sandbox has no device for {} cid(s) of the workspace (such as `{first}`): it was created before they were added; delete `{}` to start a fresh sandbox that has them",
        missing.len(),
        root.join(".gtcamp").join("sandbox").display()
    )]
}

/// One device per cid and per alias the workspace names (read only when the sandbox store
/// is first created).
fn sandbox_users(desired: &Desired) -> Vec<UserSeed> {
    let mut cids: BTreeSet<String> = desired.bindings.keys().cloned().collect();
    let mut aliases = BTreeSet::new();
    for occurrence in desired.occurrences.values() {
        if let RemoteRequest::List(push) = &occurrence.request {
            match &push.targets {
                ListTargets::Cids(list) => cids.extend(list.iter().cloned()),
                ListTargets::Aliases(list) => aliases.extend(list.iter().cloned()),
            }
        }
    }
    let mut users: Vec<UserSeed> = cids.into_iter().map(UserSeed::new).collect();
    for alias in aliases {
        let mut user = UserSeed::new(format!("sandbox-{}", crate::getui::phone_hash(&alias)));
        user.alias = Some(alias);
        users.push(user);
    }
    users
}

fn reach_getui(
    settings: &Workspace,
    name: &str,
    target: &Target,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Reached, TargetError> {
    let Some(endpoint) = target.endpoint.as_deref() else {
        return Err(TargetError::NoEndpoint {
            target: name.to_owned(),
        });
    };
    let endpoint = match endpoint.strip_prefix("http://") {
        Some(rest) if target.use_ssl => format!("https://{rest}"),
        _ => endpoint.to_owned(),
    };
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
    let config = LegacyConfig::new(&endpoint, &app_id, &app_key, master_secret);
    Ok(Reached {
        location: endpoint,
        notes: Vec::new(),
        config,
        emulator: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
            lints: Default::default(),
        }
    }

    fn production() -> Target {
        Target {
            kind: TargetKind::Getui,
            endpoint: Some("https://api.getui.com/apiex.htm".into()),
            use_ssl: false,
            max_push_ahead: crate::model::Duration::from_days(7),
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
        assert!(!format!("{:?}", reached.config).contains("top-secret-value"));
    }

    #[test]
    fn unknown_target_lists_the_known_ones() {
        let settings = settings(&[("production", production())]);
        let error = lookup(&settings, "staging").unwrap_err();
        assert_eq!(
            error.to_string(),
            "there is no target `staging` in gtcamp.yaml (targets: production, sandbox)"
        );
    }

    #[test]
    fn default_target_is_used_when_none_is_named() {
        let mut settings = settings(&[]);
        assert_eq!(chosen_name(&settings, None), "sandbox");
        settings.default_target = Some("production".into());
        assert_eq!(chosen_name(&settings, None), "production");
        assert_eq!(chosen_name(&settings, Some("x")), "x");
    }
}
