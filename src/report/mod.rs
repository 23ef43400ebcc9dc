//! `gtcamp report`: what each campaign's sends reached, from Getui's push reports.
//!
//! The sends come from state: the history keeps each one's task id, group, class and
//! audience for `state.history_days` (90 by default, Getui's own report window), and a
//! tracked task whose push time has passed has fired. Their reports are read in batches
//! ([`PushApi::report_batch`] ids a call: 200 on REST V2) and, on REST V2, one detail report
//! per task for the reasons pushes were lost; every call of a report runs in one pool of
//! `parallelism` calls at once, retried as other reads are.
//!
//! Reports are statistics that lag behind a send (about 30 minutes, per Getui): a send
//! younger than [`LAG_GRACE`] with no figures yet is "not available yet", never zero.
//! Nothing in a report names a device: audiences are kept in words without the cids or
//! aliases they list.

pub mod model;
pub mod render;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use futures::StreamExt;

pub use model::{
    Availability, CampaignReport, ChannelFigures, Figures, LossFigure, Report, SendReport,
};

use crate::getui::api::{ChannelCounts, PushApi, PushReport, ReportChannel, TaskId};
use crate::getui::error::Error;
use crate::model::MessageClass;
use crate::state::{RemoteStatus, SendKind, State};

/// How long after a send a report with no figures reads as "not available yet" rather than
/// as missing: Getui documents about 30 minutes of lag; twice that leaves room.
pub const LAG_GRACE: chrono::Duration = chrono::Duration::hours(1);

/// One send, as state recorded it.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    pub campaign: String,
    pub key: String,
    pub task_id: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub kind: Option<SendKind>,
    pub class: Option<MessageClass>,
    pub audience: Option<String>,
    pub group: Option<String>,
}

/// Which sends a report covers.
#[derive(Clone, Debug)]
pub struct Selection {
    /// Sends from this instant on.
    pub since: DateTime<Utc>,
    /// Only these campaigns (exact names); empty is every campaign.
    pub campaigns: Vec<String>,
}

impl Selection {
    fn takes(&self, campaign: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        at >= self.since
            && at <= now
            && (self.campaigns.is_empty() || self.campaigns.iter().any(|c| c == campaign))
    }
}

/// The sends of `state` that `selection` takes, oldest first: the history's, and the tracked
/// tasks whose push time has passed (they fired; the next apply moves them to history).
pub fn sends(state: &State, selection: &Selection, now: DateTime<Utc>) -> Vec<Sent> {
    let history = state
        .history
        .iter()
        .filter(|entry| entry.status == RemoteStatus::Sent)
        .map(|entry| Sent {
            campaign: entry.campaign.clone(),
            key: entry.key.0.clone(),
            task_id: entry.task_id.clone(),
            sent_at: entry.push_time,
            kind: entry.kind,
            class: entry.class,
            audience: entry.audience.clone(),
            group: entry.group.clone(),
        });
    let fired = state.tasks.iter().map(|(key, task)| Sent {
        campaign: task.campaign.clone(),
        key: key.0.clone(),
        task_id: Some(task.task_id.clone()),
        sent_at: task.push_time,
        kind: Some(SendKind::App),
        class: task.class,
        audience: Some(crate::compile::summary_without_targets(&task.content.audience).to_owned()),
        group: Some(task.group.clone()).filter(|g| !g.is_empty()),
    });
    let mut sends: Vec<Sent> = history
        .chain(fired)
        .filter(|send| selection.takes(&send.campaign, send.sent_at, now))
        .collect();
    sends.sort_by(|a, b| a.sent_at.cmp(&b.sent_at).then_with(|| a.key.cmp(&b.key)));
    sends.dedup_by(|a, b| a.key == b.key && a.task_id == b.task_id);
    sends
}

/// Of `sends` (oldest first), each campaign's latest.
pub fn latest_per_campaign(sends: Vec<Sent>) -> Vec<Sent> {
    let mut latest: BTreeMap<String, Sent> = BTreeMap::new();
    for send in sends {
        latest.insert(send.campaign.clone(), send);
    }
    latest.into_values().collect()
}

/// How a report is read.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Calls in flight at once.
    pub parallelism: usize,
    /// Whether to read each task's detail report, for the reasons pushes were lost.
    pub details: bool,
    pub now: DateTime<Utc>,
}

/// What a report reads of Getui: the [`PushApi`] calls of reports, apart so that tests can
/// answer them alone.
#[async_trait::async_trait]
pub trait ReportSource: Send + Sync {
    async fn push_reports(&self, ids: &[TaskId]) -> Result<Vec<PushReport>, Error>;
    fn report_batch(&self) -> usize;
    async fn push_report_detail(&self, id: &TaskId) -> Result<Option<PushReport>, Error>;
}

#[async_trait::async_trait]
impl<T: PushApi + ?Sized> ReportSource for T {
    async fn push_reports(&self, ids: &[TaskId]) -> Result<Vec<PushReport>, Error> {
        PushApi::push_reports(self, ids).await
    }
    fn report_batch(&self) -> usize {
        PushApi::report_batch(self)
    }
    async fn push_report_detail(&self, id: &TaskId) -> Result<Option<PushReport>, Error> {
        PushApi::push_report_detail(self, id).await
    }
}

/// One call of a report.
enum Call {
    Batch(Vec<TaskId>),
    Detail(TaskId),
}

/// What the calls answered, by task id.
#[derive(Default)]
struct Answers {
    reports: HashMap<String, PushReport>,
    details: HashMap<String, PushReport>,
    failures: HashMap<String, String>,
}

/// Reads the reports of `sends` and puts them together, per campaign.
pub async fn read<S: ReportSource + ?Sized>(
    api: &S,
    target: &str,
    sends: Vec<Sent>,
    since: DateTime<Utc>,
    zone_of: impl Fn(&str) -> String,
    options: ReadOptions,
) -> Report {
    let answers = ask(api, &sends, options).await;
    let mut sends = sends;
    sends.sort_by(|a, b| a.sent_at.cmp(&b.sent_at).then_with(|| a.key.cmp(&b.key)));
    let mut campaigns: BTreeMap<String, Vec<SendReport>> = BTreeMap::new();
    for mut send in sends {
        let campaign = std::mem::take(&mut send.campaign);
        let report = send_report(send, &answers, options.now);
        campaigns.entry(campaign).or_default().push(report);
    }
    Report {
        target: target.to_owned(),
        since,
        read_at: options.now,
        campaigns: campaigns
            .into_iter()
            .map(|(campaign, sends)| campaign_report(zone_of(&campaign), campaign, sends))
            .collect(),
    }
}

/// Every call a report needs, in one pool: the batches first, then the details.
async fn ask<S: ReportSource + ?Sized>(api: &S, sends: &[Sent], options: ReadOptions) -> Answers {
    let mut ids: Vec<TaskId> = sends
        .iter()
        .filter_map(|send| send.task_id.clone().map(TaskId))
        .collect();
    ids.sort();
    ids.dedup();
    let batch = api.report_batch().max(1);
    let mut calls: Vec<Call> = ids.chunks(batch).map(|c| Call::Batch(c.to_vec())).collect();
    if options.details {
        calls.extend(ids.iter().cloned().map(Call::Detail));
    }
    // Each answer is filed as it comes, while the others are still on the wire.
    futures::stream::iter(calls)
        .map(|call| async move {
            let answer = match &call {
                Call::Batch(ids) => api.push_reports(ids).await,
                Call::Detail(id) => api.push_report_detail(id).await.map(Vec::from_iter),
            };
            (call, answer.map_err(|error| error.to_string()))
        })
        .buffer_unordered(options.parallelism.max(1))
        .fold(Answers::default(), |mut answers, (call, answer)| {
            answers.file(call, answer);
            std::future::ready(answers)
        })
        .await
}

impl Answers {
    fn file(&mut self, call: Call, answer: Result<Vec<PushReport>, String>) {
        match (call, answer) {
            (Call::Batch(_), Ok(reports)) => {
                for report in reports {
                    self.reports.insert(report.task.0.clone(), report);
                }
            }
            (Call::Batch(ids), Err(reason)) => {
                for id in ids {
                    self.failures.insert(id.0, reason.clone());
                }
            }
            (Call::Detail(_), Ok(reports)) => {
                for report in reports {
                    self.details.insert(report.task.0.clone(), report);
                }
            }
            // The reasons are a bonus: without them the figures still stand.
            (Call::Detail(_), Err(_)) => {}
        }
    }
}

fn send_report(send: Sent, answers: &Answers, now: DateTime<Utc>) -> SendReport {
    let mut report = SendReport {
        key: send.key,
        task_id: send.task_id.clone(),
        sent_at: send.sent_at,
        kind: send.kind,
        class: send.class,
        audience: send.audience,
        group: send.group,
        availability: Availability::NoTask,
        total: None,
        channels: Vec::new(),
    };
    let Some(id) = send.task_id else {
        return report;
    };
    if let Some(reason) = answers.failures.get(&id) {
        report.availability = Availability::Failed {
            reason: reason.clone(),
        };
        return report;
    }
    let young = now.signed_duration_since(send.sent_at) < LAG_GRACE;
    let counted = answers.reports.get(&id).filter(|r| r.shows_a_send());
    report.availability = match (answers.reports.get(&id), counted) {
        (_, None) if young => Availability::NotYet,
        (None, None) => Availability::Missing,
        _ => Availability::Available,
    };
    if report.availability == Availability::Available
        && let Some(counts) = answers.reports.get(&id)
    {
        let (total, channels) = figures(counts, answers.details.get(&id));
        report.total = Some(total);
        report.channels = channels;
    }
    report
}

/// A report's total and its channels, with the detail report's loss reasons.
fn figures(report: &PushReport, detail: Option<&PushReport>) -> (Figures, Vec<ChannelFigures>) {
    let of = |counts: &ChannelCounts| Figures {
        targeted: counts.targeted.or(counts.sent).unwrap_or(0),
        arrived: counts.arrived.unwrap_or(0),
        displayed: counts.displayed.unwrap_or(0),
        clicked: counts.clicked.unwrap_or(0),
    };
    let mut by_channel: BTreeMap<ReportChannel, ChannelFigures> = BTreeMap::new();
    let mut total = None;
    for counts in &report.channels {
        match counts.kind() {
            ReportChannel::Total => total = Some(of(counts)),
            channel => {
                let losses = detail
                    .and_then(|d| d.channels.iter().find(|c| c.kind() == channel))
                    .map(losses_of)
                    .unwrap_or_default();
                let figures = ChannelFigures {
                    channel: channel.name(),
                    figures: of(counts),
                    losses,
                    order: channel.clone(),
                };
                by_channel.insert(channel, figures);
            }
        }
    }
    // Legacy reports give no total: their channels (Getui's, APNs) add up to it.
    let summed = by_channel
        .values()
        .fold(Figures::default(), |sum, c| sum.plus(c.figures));
    let channels = by_channel
        .into_values()
        .filter(|c| c.figures != Figures::default() || !c.losses.is_empty())
        .collect();
    (total.unwrap_or(summed), channels)
}

fn losses_of(counts: &ChannelCounts) -> Vec<LossFigure> {
    counts
        .losses
        .iter()
        .filter(|loss| loss.count > 0)
        .map(|loss| LossFigure {
            code: loss.code.clone(),
            reason: loss.meaning().map(str::to_owned),
            count: loss.count,
        })
        .collect()
}

fn campaign_report(zone: String, campaign: String, sends: Vec<SendReport>) -> CampaignReport {
    let available = sends
        .iter()
        .filter(|s| s.availability == Availability::Available);
    let mut total = Figures::default();
    let mut channels: Vec<ChannelFigures> = Vec::new();
    for send in available {
        total = total.plus(send.total.unwrap_or_default());
        for channel in &send.channels {
            match channels.iter_mut().find(|c| c.channel == channel.channel) {
                Some(sum) => {
                    sum.figures = sum.figures.plus(channel.figures);
                    for loss in &channel.losses {
                        match sum.losses.iter_mut().find(|l| l.code == loss.code) {
                            Some(l) => l.count = l.count.saturating_add(loss.count),
                            None => sum.losses.push(loss.clone()),
                        }
                    }
                }
                None => channels.push(channel.clone()),
            }
        }
    }
    channels.sort_by(|a, b| a.order.cmp(&b.order));
    CampaignReport {
        campaign,
        zone,
        total,
        channels,
        sends,
    }
}

#[cfg(test)]
mod tests;
