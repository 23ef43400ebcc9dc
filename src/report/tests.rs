//! Unit tests of reading reports: batching, availability, channels and losses.

use std::sync::Mutex;

use chrono::{TimeZone, Utc};

use super::*;
use crate::getui::api::{Loss, REPORT_BATCH};
use crate::getui::error::Error;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap()
}

fn send(campaign: &str, id: Option<&str>, hour: u32) -> Sent {
    Sent {
        campaign: campaign.to_owned(),
        key: format!("{campaign}@{hour}"),
        task_id: id.map(str::to_owned),
        sent_at: at(hour),
        kind: Some(SendKind::App),
        class: Some(MessageClass::Marketing),
        audience: Some("android".to_owned()),
        group: None,
    }
}

fn counts(channel: &str, figures: [u64; 4], losses: &[(&str, u64)]) -> ChannelCounts {
    ChannelCounts {
        channel: channel.to_owned(),
        targeted: Some(figures[0]),
        sent: Some(figures[0]),
        arrived: Some(figures[1]),
        displayed: Some(figures[2]),
        clicked: Some(figures[3]),
        losses: losses
            .iter()
            .map(|(code, count)| Loss {
                code: (*code).to_owned(),
                count: *count,
            })
            .collect(),
    }
}

/// Answers reports of the ids it knows; records each call's ids.
#[derive(Default)]
struct Reports {
    known: Vec<PushReport>,
    details: bool,
    refuse: bool,
    calls: Mutex<Vec<usize>>,
}

#[async_trait::async_trait]
impl ReportSource for Reports {
    async fn push_reports(&self, ids: &[TaskId]) -> Result<Vec<PushReport>, Error> {
        self.calls.lock().unwrap().push(ids.len());
        if self.refuse {
            return Err(Error::InvalidRequest {
                reason: "refused".to_owned(),
            });
        }
        Ok(self
            .known
            .iter()
            .filter(|r| ids.contains(&r.task))
            .cloned()
            .collect())
    }
    fn report_batch(&self) -> usize {
        REPORT_BATCH
    }
    async fn push_report_detail(&self, id: &TaskId) -> Result<Option<PushReport>, Error> {
        if !self.details {
            return Ok(None);
        }
        let known = self.known.iter().find(|r| r.task == *id).cloned();
        Ok(known.map(|mut report| {
            for channel in &mut report.channels {
                if channel.channel == "hw" {
                    channel.losses = vec![Loss {
                        code: "d6".to_owned(),
                        count: 3,
                    }];
                }
            }
            report
        }))
    }
}

fn options(hour: u32, details: bool) -> ReadOptions {
    ReadOptions {
        parallelism: 4,
        details,
        now: at(hour),
    }
}

fn v2_report(id: &str) -> PushReport {
    PushReport {
        task: TaskId(id.to_owned()),
        channels: vec![
            counts("total", [100, 90, 80, 8], &[]),
            counts("gt", [40, 40, 36, 4], &[]),
            counts("hw", [60, 50, 44, 4], &[]),
            counts("ios", [0, 0, 0, 0], &[]),
        ],
    }
}

fn zone(_: &str) -> String {
    "Asia/Shanghai".to_owned()
}

#[tokio::test]
async fn a_report_reads_two_hundred_ids_a_call_and_names_each_send_once() {
    let ids: Vec<String> = (0..450).map(|n| format!("T{n:03}")).collect();
    let source = Reports {
        known: ids.iter().map(|id| v2_report(id)).collect(),
        ..Reports::default()
    };
    let sends: Vec<Sent> = ids.iter().map(|id| send("sale", Some(id), 2)).collect();
    let report = read(&source, "sandbox", sends, at(0), zone, options(12, false)).await;
    let mut calls = source.calls.lock().unwrap().clone();
    calls.sort_unstable();
    assert_eq!(calls, [50, 200, 200]);
    let sale = &report.campaigns[0];
    assert_eq!(sale.sends.len(), 450);
    assert_eq!(sale.total.targeted, 45_000);
    assert_eq!(sale.total.clicked, 3_600);
}

#[tokio::test]
async fn figures_come_per_channel_with_the_detail_reports_losses() {
    let source = Reports {
        known: vec![v2_report("T1")],
        details: true,
        ..Reports::default()
    };
    let report = read(
        &source,
        "v2",
        vec![send("sale", Some("T1"), 2)],
        at(0),
        zone,
        options(12, true),
    )
    .await;
    let send = &report.campaigns[0].sends[0];
    assert_eq!(send.availability, Availability::Available);
    let total = send.total.unwrap();
    assert_eq!(
        (
            total.targeted,
            total.arrived,
            total.displayed,
            total.clicked
        ),
        (100, 90, 80, 8)
    );
    let names: Vec<&str> = send.channels.iter().map(|c| c.channel.as_str()).collect();
    assert_eq!(
        names,
        ["Getui", "Huawei"],
        "a channel with nothing is left out"
    );
    let huawei = &send.channels[1];
    assert_eq!(huawei.losses.len(), 1);
    assert_eq!(huawei.losses[0].count, 3);
    assert_eq!(
        huawei.losses[0].reason.as_deref(),
        Some("over the maker's daily quota")
    );
    assert!(
        super::render::text::render(&report).contains("lost: 3 over the maker's daily quota (d6)")
    );
}

#[tokio::test]
async fn a_legacy_report_adds_its_channels_up_to_the_total() {
    let legacy = PushReport {
        task: TaskId("OSA-1".to_owned()),
        channels: vec![
            counts("GT", [70, 60, 50, 5], &[]),
            counts("APN", [30, 25, 20, 2], &[]),
        ],
    };
    let source = Reports {
        known: vec![legacy],
        ..Reports::default()
    };
    let sends = vec![send("sale", Some("OSA-1"), 2)];
    let report = read(&source, "getui", sends, at(0), zone, options(12, false)).await;
    let total = report.campaigns[0].sends[0].total.unwrap();
    assert_eq!(
        (
            total.targeted,
            total.arrived,
            total.displayed,
            total.clicked
        ),
        (100, 85, 70, 7)
    );
}

#[tokio::test]
async fn a_young_send_without_figures_is_not_yet_available_and_an_old_one_is_missing() {
    let source = Reports::default();
    let sends = vec![
        send("sale", Some("T2"), 12),
        send("sale", Some("T1"), 2),
        send("sale", None, 3),
    ];
    let report = read(&source, "v2", sends, at(0), zone, options(12, false)).await;
    let states: Vec<_> = report.campaigns[0]
        .sends
        .iter()
        .map(|s| s.availability.clone())
        .collect();
    assert_eq!(
        states,
        [
            Availability::Missing,
            Availability::NoTask,
            Availability::NotYet
        ]
    );
    let text = super::render::text::render(&report);
    assert!(text.contains("report not available yet"), "{text}");
}

#[tokio::test]
async fn a_refused_read_names_the_reason_on_each_of_its_sends() {
    let source = Reports {
        refuse: true,
        ..Reports::default()
    };
    let report = read(
        &source,
        "v2",
        vec![send("sale", Some("T1"), 2)],
        at(0),
        zone,
        options(12, false),
    )
    .await;
    let Availability::Failed { reason } = &report.campaigns[0].sends[0].availability else {
        panic!("not failed: {report:?}");
    };
    assert!(reason.contains("refused"), "{reason}");
}
