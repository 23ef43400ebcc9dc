//! `gtcamp send-test`: a campaign's exact message, sent now to a handful of listed devices
//! through the single-push calls ([`crate::getui::PushApi::push_to_device`]), never to its audience.
//!
//! [`prepare`] needs no network: it loads, checks and compiles the workspace for the target,
//! takes the campaign's message, and reads the devices (`cid:…`, `alias:…` or a name of
//! `test_devices`). [`send`] connects to the target and sends the message once per device.
//! Neither opens, locks, reads or writes state, nor journals: a test send is not a send of
//! the campaign, and the next plan knows nothing of it.
//!
//! # Which message
//!
//! Every send of a campaign carries the same template, vendor channels, message class and
//! delivery options; only its time and task group differ. The message sent is the one of
//! the campaign's **next** send (the first at or after now), else of its **last** (a one-off
//! whose time has passed). To find one, the campaign is compiled as if enabled (a draft is
//! what one tests before enabling it) and its schedule expanded a year ahead (a monthly
//! campaign has no send within the usual horizon). A campaign whose schedule has no send
//! left is refused: there is nothing it would send.
//!
//! What a test send leaves out: the audience (the devices replace it), the push time (it
//! goes now), the speed (one device), and the task group, so that Getui's group reports of
//! the campaign's sends never count a test. The text is not marked: it is the exact message.
//! Campaign lints do not run: they judge the schedule, not the message.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::compile::{Occurrence, WorkspaceDevices};
use crate::getui::api::{Attempt, Delivery, Device, DevicePush, DevicePushOutcome};
use crate::getui::template::PushTemplate;
use crate::load::LoadedWorkspace;
use crate::model::{
    Document, MAX_TEST_DEVICES, Protocol, TargetKind, Workspace, did_you_mean, parse_device,
};

use super::{RunError, compile_checked};

/// How far ahead a campaign's schedule is expanded to find its next send.
const LOOK_AHEAD_DAYS: u64 = 366;

/// What `gtcamp send-test` was asked.
#[derive(Debug, Clone)]
pub struct TestSendRequest {
    pub dir: PathBuf,
    pub target: Option<String>,
    pub campaign: String,
    /// The devices as written: `cid:…`, `alias:…` or a name of `test_devices`.
    pub to: Vec<String>,
}

/// Why a test send was refused before anything was sent.
#[derive(Debug, thiserror::Error)]
pub enum SendTestError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("no campaign `{name}` in the workspace{}", suggest(.suggestion))]
    UnknownCampaign {
        name: String,
        suggestion: Option<String>,
    },
    #[error(
        "campaign `{campaign}` has no send left in its schedule (none in the next {LOOK_AHEAD_DAYS} days), so there is no message to test"
    )]
    NoSend { campaign: String },
    #[error("no device to send to: give one or more with `--to`")]
    NoDevices,
    #[error(
        "{count} devices is more than a test send goes to: at most {MAX_TEST_DEVICES}, a handful of the team's own phones"
    )]
    TooManyDevices { count: usize },
    #[error("device `{written}`: {problem}")]
    BadDevice {
        written: String,
        problem: crate::model::DeviceSpecError,
    },
    #[error("`{name}` is not one of the workspace's `test_devices`{}", suggest(.suggestion))]
    UnknownDevice {
        name: String,
        suggestion: Option<String>,
        /// The names `test_devices` has, comma-separated (empty when none).
        known: String,
    },
}

fn suggest(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

/// One device of a test send: as written, the name it had in `test_devices` if any, and
/// what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestDevice {
    /// The name from `test_devices`, when `--to` gave one.
    pub name: Option<String>,
    pub device: Device,
}

impl std::fmt::Display for TestDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} ({})", self.device),
            None => write!(f, "{}", self.device),
        }
    }
}

/// A test send ready to go: the message, where it comes from, the devices and the target.
pub struct Prepared {
    pub campaign: String,
    /// The target's name, kind and API.
    pub target: String,
    pub kind: TargetKind,
    pub protocol: Protocol,
    /// The send whose message this is, in the campaign's zone, and whether it is still to
    /// come (`false`: the last send, which has passed).
    pub from_send: DateTime<Tz>,
    pub upcoming: bool,
    pub devices: Vec<TestDevice>,
    pub template: PushTemplate,
    pub delivery: Delivery,
    dir: PathBuf,
    settings: Workspace,
    workspace: LoadedWorkspace,
}

/// One device's answer.
#[derive(Debug)]
pub struct DeviceResult {
    pub device: TestDevice,
    pub outcome: Result<DevicePushOutcome, crate::getui::Error>,
}

/// Loads, checks and compiles the workspace for the target, takes the campaign's message and
/// reads the devices. No network, no state.
pub fn prepare(request: &TestSendRequest, now: DateTime<Utc>) -> Result<Prepared, SendTestError> {
    let devices_written = &request.to;
    if devices_written.is_empty() {
        return Err(SendTestError::NoDevices);
    }
    if devices_written.len() > MAX_TEST_DEVICES {
        return Err(SendTestError::TooManyDevices {
            count: devices_written.len(),
        });
    }
    let campaign = request.campaign.as_str();
    let compiled = compile_checked(&request.dir, request.target.as_deref(), now, |workspace| {
        as_if_enabled(workspace, campaign);
    })?;
    if !compiled.desired.campaigns.contains_key(campaign) {
        let names = compiled.desired.campaigns.keys().map(String::as_str);
        return Err(SendTestError::UnknownCampaign {
            name: campaign.to_owned(),
            suggestion: did_you_mean(campaign, names).map(str::to_owned),
        });
    }
    let occurrence = message_source(compiled.desired.occurrences.values(), campaign, now)
        .ok_or_else(|| SendTestError::NoSend {
            campaign: campaign.to_owned(),
        })?;
    let mut devices: Vec<TestDevice> = Vec::new();
    for written in devices_written {
        let device = read_device(written, &compiled.settings)?;
        // A device named twice (by its name and written out) gets the message once.
        if !devices.iter().any(|seen| seen.device == device.device) {
            devices.push(device);
        }
    }
    let target = compiled
        .settings
        .target(&compiled.target)
        .map_err(|e| SendTestError::Run(RunError::Target(e.into())))?;
    let (template, delivery) = match &occurrence.request {
        crate::compile::RemoteRequest::Scheduled(push) => {
            (push.template.clone(), push.delivery.clone())
        }
        crate::compile::RemoteRequest::List(push) => (push.template.clone(), push.delivery.clone()),
    };
    Ok(Prepared {
        campaign: campaign.to_owned(),
        kind: target.kind,
        protocol: target.protocol(),
        target: compiled.target,
        from_send: occurrence.fire_at,
        upcoming: occurrence.fire_at.with_timezone(&Utc) >= now,
        devices,
        template,
        delivery: Delivery {
            // One device: nothing to pace.
            speed: None,
            ..delivery
        },
        dir: request.dir.clone(),
        settings: compiled.settings,
        workspace: compiled.workspace,
    })
}

/// The campaign compiled as if enabled, and every schedule expanded [`LOOK_AHEAD_DAYS`]
/// ahead: only to find the campaign's message, never to plan.
fn as_if_enabled(workspace: &mut LoadedWorkspace, campaign: &str) {
    for loaded in &mut workspace.documents {
        match &mut loaded.document {
            Some(Document::Campaign(c)) if c.name == campaign => c.enabled = true,
            Some(Document::Workspace(settings)) => {
                let ahead = crate::model::Duration::from_days(LOOK_AHEAD_DAYS);
                if settings.defaults.horizon.as_millis() < ahead.as_millis() {
                    settings.defaults.horizon = ahead;
                }
            }
            _ => {}
        }
    }
}

/// The send whose message a test send carries: the campaign's first at or after `now`,
/// else its last.
fn message_source<'a>(
    occurrences: impl Iterator<Item = &'a Occurrence>,
    campaign: &str,
    now: DateTime<Utc>,
) -> Option<&'a Occurrence> {
    let mut sends: Vec<&Occurrence> = occurrences.filter(|o| o.campaign == campaign).collect();
    sends.sort_by_key(|o| o.fire_at.with_timezone(&Utc));
    sends
        .iter()
        .find(|o| o.fire_at.with_timezone(&Utc) >= now)
        .or(sends.last())
        .copied()
}

/// A device as written on the command line: `cid:…`, `alias:…`, or a `test_devices` name.
fn read_device(written: &str, settings: &Workspace) -> Result<TestDevice, SendTestError> {
    if written.starts_with("cid:") || written.starts_with("alias:") {
        let device = parse_device(written).map_err(|problem| SendTestError::BadDevice {
            written: written.to_owned(),
            problem,
        })?;
        return Ok(TestDevice { name: None, device });
    }
    let Some(spec) = settings.test_devices.get(written) else {
        let names = settings.test_devices.keys().map(String::as_str);
        return Err(SendTestError::UnknownDevice {
            name: written.to_owned(),
            suggestion: did_you_mean(written, names).map(str::to_owned),
            known: settings
                .test_devices
                .keys()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    // Check (GC096) has refused a malformed entry before this runs.
    let device = parse_device(spec).map_err(|problem| SendTestError::BadDevice {
        written: written.to_owned(),
        problem,
    })?;
    Ok(TestDevice {
        name: Some(written.to_owned()),
        device,
    })
}

/// Connects to the target (a sandbox is seeded with the workspace's devices, as for a
/// plan) and sends the message once to each device, one after the other, each under a
/// request id of its own. Writes the `Target:` line to `err`. Every device is tried: a
/// refusal for one says nothing about the next.
pub async fn send(
    prepared: &Prepared,
    err: &mut dyn Write,
) -> Result<Vec<DeviceResult>, SendTestError> {
    let env = |variable: &str| std::env::var(variable).ok();
    let devices = if prepared.kind == TargetKind::Sandbox {
        WorkspaceDevices::of(&prepared.workspace)
    } else {
        WorkspaceDevices::default()
    };
    let connection = crate::target::connect(
        &prepared.dir,
        &prepared.settings,
        &prepared.target,
        &env,
        devices,
        1,
    )
    .await
    .map_err(|e| SendTestError::Run(RunError::from(e).told_in_full(&env)))?;
    let _ = writeln!(err, "{}", connection.banner());
    let mut results = Vec::with_capacity(prepared.devices.len());
    for device in &prepared.devices {
        let push = DevicePush {
            template: prepared.template.clone(),
            delivery: prepared.delivery.clone(),
            device: device.device.clone(),
            attempt: Attempt::fresh(),
        };
        let outcome = connection.api.push_to_device(&push).await;
        results.push(DeviceResult {
            device: device.clone(),
            outcome,
        });
    }
    connection.close().await;
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings_with(devices: &[(&str, &str)]) -> Workspace {
        let mut settings: Workspace =
            serde_json::from_value(serde_json::json!({"app_id": "demo"})).expect("settings");
        settings.test_devices = devices
            .iter()
            .map(|(name, spec)| ((*name).to_owned(), (*spec).to_owned()))
            .collect();
        settings
    }

    #[test]
    fn devices_are_written_out_or_named() {
        let settings = settings_with(&[("ana", "alias:ana_phone")]);
        assert_eq!(
            read_device("cid:c-001", &settings).unwrap().device,
            Device::Cid("c-001".into())
        );
        let named = read_device("ana", &settings).unwrap();
        assert_eq!(named.device, Device::Alias("ana_phone".into()));
        assert_eq!(named.to_string(), "ana (alias:ana_phone)");
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let settings = settings_with(&[("ana-pixel", "cid:c-001")]);
        let error = read_device("ana-pixle", &settings).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`ana-pixle` is not one of the workspace's `test_devices`; did you mean `ana-pixel`?"
        );
    }

    #[test]
    fn a_device_without_its_kind_or_value_is_refused() {
        let settings = settings_with(&[]);
        assert!(matches!(
            read_device("cid:", &settings),
            Err(SendTestError::BadDevice { .. })
        ));
        assert!(matches!(
            read_device("alias:two words", &settings),
            Err(SendTestError::BadDevice { .. })
        ));
    }
}
