//! `gtcamp send-test [DIR] CAMPAIGN --to DEVICE…`: a campaign's exact message, now, to a
//! handful of listed devices (see `pipeline::send_test`). Never touches state; asks before
//! sending through a real target unless `--auto-approve`, and off a terminal needs it.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use miette::{IntoDiagnostic, WrapErr};

use super::ExitStatus;
use super::terminal::stopped;
use crate::model::{MAX_TEST_DEVICES, TargetKind};
use crate::pipeline::send_test::{self, DeviceResult, Prepared, SendTestError, TestSendRequest};
use crate::render::{count, instant};

const EXAMPLES: &str = "\
Examples:
  gtcamp send-test spring-sale --to cid:0b1e6d3f8a2c4e5f9a7b6c5d4e3f2a1b
  gtcamp send-test campaigns spring-sale --to alias:qa_team --to ana-pixel
  gtcamp send-test spring-sale --to ana-pixel --target production --auto-approve";

const QUESTION: &str = "Do you want to send it? Only 'yes' will be accepted: ";

#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    override_usage = "gtcamp send-test [DIR] CAMPAIGN --to DEVICE... [OPTIONS]"
)]
pub struct Args {
    /// The workspace folder (the one holding `gtcamp.yaml`; left out, the current folder or
    /// the nearest parent holding one), then the campaign whose message is sent.
    #[arg(value_name = "[DIR] CAMPAIGN", num_args = 1..=2, required = true)]
    words: Vec<String>,
    /// A device to send to (repeatable, at most 5): `cid:` and a client id, `alias:` and an
    /// alias, or a name of the workspace's `test_devices`.
    #[arg(long = "to", value_name = "DEVICE")]
    to: Vec<String>,
    /// The target to send through (else the workspace's `default_target`, else `sandbox`).
    #[arg(long, add = super::completions::target_names())]
    target: Option<String>,
    /// Send through a real target without asking (what CI does).
    #[arg(long)]
    auto_approve: bool,
}

pub fn run(args: Args) -> miette::Result<ExitStatus> {
    let runtime = tokio::runtime::Runtime::new()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(send_test_command(args))
}

async fn send_test_command(args: Args) -> miette::Result<ExitStatus> {
    let (dir, campaign) = match args.words.as_slice() {
        [dir, campaign] => (Some(PathBuf::from(dir)), campaign.clone()),
        [campaign] => (None, campaign.clone()),
        _ => {
            return Err(miette::miette!(
                "give the campaign to send, after the workspace folder if any"
            ));
        }
    };
    let request = TestSendRequest {
        dir: super::paths::workspace(dir.as_deref())?,
        target: args.target.clone(),
        campaign,
        to: args.to.clone(),
    };
    let mut stderr = std::io::stderr();
    let prepared = match send_test::prepare(&request, crate::clock::now()) {
        Ok(prepared) => prepared,
        Err(error) => return refused(error, &mut stderr),
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}", summary(&prepared));
    // Declined: nothing was sent, which is not what was asked for (as `apply` answers).
    if prepared.kind != TargetKind::Sandbox && !approved(&prepared, args.auto_approve)? {
        return Ok(ExitStatus::Failure);
    }
    let results = match send_test::send(&prepared, &mut stderr).await {
        Ok(results) => results,
        Err(error) => return refused(error, &mut stderr),
    };
    let mut failed = 0;
    for result in &results {
        match &result.outcome {
            Ok(outcome) => {
                let _ = writeln!(stdout, "{}", sent_line(result, outcome));
                if !outcome.delivered() {
                    failed += 1;
                    let _ = writeln!(stderr, "error: {}", undelivered(&prepared, result));
                }
            }
            Err(error) => {
                failed += 1;
                let _ = writeln!(stdout, "  {}: not sent", result.device);
                let _ = writeln!(stderr, "error: {}", refusal(&prepared, result, error));
            }
        }
    }
    if failed == 0 {
        let _ = writeln!(
            stdout,
            "Test send finished: {} reached. State is unchanged; the campaign's audience got nothing.",
            count(results.len(), "device", "devices")
        );
        Ok(ExitStatus::Success)
    } else {
        let _ = writeln!(
            stdout,
            "Test send finished: {} of {} not reached. State is unchanged; the campaign's audience got nothing.",
            failed,
            count(results.len(), "device", "devices")
        );
        Ok(ExitStatus::Failure)
    }
}

/// What is about to be sent, where from and to whom.
fn summary(prepared: &Prepared) -> String {
    let zone = prepared.from_send.timezone();
    let at = instant(prepared.from_send.with_timezone(&chrono::Utc), zone.name());
    let which = if prepared.upcoming { "next" } else { "last" };
    let mut text = format!(
        "Test send of campaign `{}`: the message of its {which} send ({at}), now, to {} through target `{}`:",
        prepared.campaign,
        count(prepared.devices.len(), "device", "devices"),
        prepared.target,
    );
    if prepared.kind != TargetKind::Sandbox {
        for device in &prepared.devices {
            text.push_str(&format!("\n  {device}"));
        }
    }
    text
}

/// A device that Getui took the push for.
fn sent_line(result: &DeviceResult, outcome: &crate::getui::api::DevicePushOutcome) -> String {
    let statuses: Vec<String> = if outcome.statuses.is_empty() {
        vec!["no device reported".to_owned()]
    } else {
        outcome
            .statuses
            .iter()
            .map(|(target, status)| {
                let meaning = crate::getui::ResultCode::from_wire(status).meaning();
                format!("{target}: {status} ({meaning})")
            })
            .collect()
    };
    format!(
        "  {}: task {}, {}",
        result.device,
        outcome.task_id,
        statuses.join("; ")
    )
}

/// Why a device that Getui answered did not get the message.
fn undelivered(prepared: &Prepared, result: &DeviceResult) -> String {
    format!(
        "the test send of campaign `{}` did not reach {}: Getui reports no device that got it or keeps it (an unknown or inactive client id, or an alias bound to no device)",
        prepared.campaign, result.device
    )
}

/// Getui's refusal, with its code and meaning and what to do.
fn refusal(prepared: &Prepared, result: &DeviceResult, error: &crate::getui::Error) -> String {
    format!(
        "Getui refused the test send of campaign `{}` to {}: {}",
        prepared.campaign,
        result.device,
        error.explained()
    )
}

/// Asks on a terminal; refuses off one unless `--auto-approve`.
fn approved(prepared: &Prepared, auto_approve: bool) -> miette::Result<bool> {
    if auto_approve {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(miette::miette!(
            help = format!(
                "run it again with `--auto-approve` to send through target `{}`",
                prepared.target
            ),
            "target `{}` is a real Getui app and no one is at a terminal to confirm the test send; nothing was sent",
            prepared.target
        ));
    }
    let mut stdout = std::io::stdout();
    let _ = write!(
        stdout,
        "\nTarget `{}` is a real Getui app: these devices get the message now.\n{QUESTION}",
        prepared.target
    );
    let _ = stdout.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if answer.trim() == "yes" {
        return Ok(true);
    }
    let _ = writeln!(stdout, "Test send cancelled; nothing was sent.");
    Ok(false)
}

/// A refusal before anything was sent, as people read it.
fn refused(error: SendTestError, err: &mut dyn Write) -> miette::Result<ExitStatus> {
    let help = match &error {
        SendTestError::Run(_) => None,
        SendTestError::UnknownCampaign { .. } => {
            Some("`gtcamp validate` lists the workspace's campaigns".to_owned())
        }
        SendTestError::NoSend { .. } => Some(
            "a test send carries what a send of the campaign would; give its schedule a time to come".to_owned(),
        ),
        SendTestError::NoDevices | SendTestError::BadDevice { .. } => Some(
            "write `--to cid:<client id>`, `--to alias:<alias>` or `--to NAME` for a name of `test_devices` in gtcamp.yaml".to_owned(),
        ),
        SendTestError::TooManyDevices { .. } => Some(format!(
            "name at most {MAX_TEST_DEVICES}: a test send is for the team's own phones; the audience is the campaign's to reach"
        )),
        SendTestError::UnknownDevice { known, .. } if known.is_empty() => Some(
            "the workspace has no `test_devices`: add them to gtcamp.yaml, or write `cid:…` or `alias:…`".to_owned(),
        ),
        SendTestError::UnknownDevice { known, .. } => Some(format!(
            "the workspace's test devices are {known}; or write `cid:…` or `alias:…`"
        )),
    };
    match error {
        SendTestError::Run(run) => stopped(run, err),
        other => {
            let help = match help {
                Some(help) => format!("{help}. Nothing was sent."),
                None => "Nothing was sent.".to_owned(),
            };
            Err(miette::miette!(help = help, "{other}"))
        }
    }
}
