//! Golden outputs of a fixed report in every format: what a reviewer, a terminal and a
//! browser get.

use chrono::{DateTime, TimeZone, Utc};

use super::super::model::{
    Availability, CampaignReport, ChannelFigures, Figures, LossFigure, Report, SendReport,
};
use super::{html, markdown, text};
use crate::getui::api::ReportChannel;
use crate::getui::vendor::Vendor;
use crate::model::MessageClass;
use crate::state::SendKind;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
}

fn figures(targeted: u64, arrived: u64, displayed: u64, clicked: u64) -> Figures {
    Figures {
        targeted,
        arrived,
        displayed,
        clicked,
    }
}

fn channel(order: ReportChannel, figures: Figures, losses: Vec<LossFigure>) -> ChannelFigures {
    ChannelFigures {
        channel: order.name(),
        figures,
        losses,
        order,
    }
}

fn send(key: &str, sent_at: DateTime<Utc>, availability: Availability) -> SendReport {
    SendReport {
        key: key.to_owned(),
        task_id: Some(format!("RASA_{}", sent_at.format("%m%d"))),
        sent_at,
        kind: Some(SendKind::App),
        class: Some(MessageClass::Marketing),
        audience: Some("android, in 上海 or 浙江".to_owned()),
        group: Some("gc-0123".to_owned()),
        availability,
        total: None,
        channels: Vec::new(),
    }
}

/// A campaign with two sends (one with a maker's quota losses), one that is too young and
/// one whose read failed; and a list push.
pub(crate) fn fixed() -> Report {
    let quota = LossFigure {
        code: "d6".to_owned(),
        reason: Some("over the maker's daily quota".to_owned()),
        count: 120,
    };
    let off = LossFigure {
        code: "d10".to_owned(),
        reason: Some("notifications turned off".to_owned()),
        count: 31,
    };
    let mut first = send(
        "double-twelve@2026-12-05T20:00+08:00",
        at(5, 12),
        Availability::Available,
    );
    first.total = Some(figures(1_000, 820, 760, 41));
    first.channels = vec![
        channel(ReportChannel::Getui, figures(400, 380, 360, 20), Vec::new()),
        channel(ReportChannel::Apns, figures(200, 190, 180, 9), Vec::new()),
        channel(
            ReportChannel::Maker(Vendor::Hw),
            figures(400, 250, 220, 12),
            vec![quota, off],
        ),
    ];
    let mut second = send(
        "double-twelve@2026-12-06T20:00+08:00",
        at(6, 12),
        Availability::Available,
    );
    second.total = Some(figures(1_000, 900, 850, 60));
    second.channels = vec![
        channel(ReportChannel::Getui, figures(600, 560, 530, 40), Vec::new()),
        channel(
            ReportChannel::Maker(Vendor::Hw),
            figures(400, 340, 320, 20),
            Vec::new(),
        ),
    ];
    let young = send(
        "double-twelve@2026-12-07T07:00+08:00",
        at(6, 23),
        Availability::NotYet,
    );
    let failed = send(
        "double-twelve@2026-12-06T21:00+08:00",
        at(6, 13),
        Availability::Failed {
            reason: "Getui refused the call: code 10001 (token expired)".to_owned(),
        },
    );
    let double_twelve = CampaignReport {
        campaign: "double-twelve".to_owned(),
        zone: "Asia/Shanghai".to_owned(),
        total: figures(2_000, 1_720, 1_610, 101),
        channels: vec![
            channel(
                ReportChannel::Getui,
                figures(1_000, 940, 890, 60),
                Vec::new(),
            ),
            channel(ReportChannel::Apns, figures(200, 190, 180, 9), Vec::new()),
            channel(
                ReportChannel::Maker(Vendor::Hw),
                figures(800, 590, 540, 32),
                first.channels[2].losses.clone(),
            ),
        ],
        sends: vec![first, second, failed, young],
    };
    let mut list = send(
        "vip-early-access@2026-12-04T10:00+08:00",
        at(4, 2),
        Availability::Available,
    );
    list.kind = Some(SendKind::List);
    list.class = Some(MessageClass::Service);
    list.audience = Some("3 cids".to_owned());
    list.total = Some(figures(3, 2, 2, 1));
    list.channels = vec![channel(
        ReportChannel::Getui,
        figures(3, 2, 2, 1),
        Vec::new(),
    )];
    let vip = CampaignReport {
        campaign: "vip-early-access".to_owned(),
        zone: "Asia/Shanghai".to_owned(),
        total: figures(3, 2, 2, 1),
        channels: list.channels.clone(),
        sends: vec![list],
    };
    Report {
        target: "production".to_owned(),
        since: at(1, 0),
        read_at: at(7, 0),
        campaigns: vec![double_twelve, vip],
    }
}

#[test]
fn text_report() {
    insta::assert_snapshot!(text::render(&fixed()));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(markdown::render(&fixed()));
}

#[test]
fn html_report() {
    insta::assert_snapshot!(html::render(&fixed()));
}

#[test]
fn json_report() {
    insta::assert_json_snapshot!(fixed());
}

#[test]
fn last_sends_for_status_and_pull_requests() {
    let report = fixed();
    insta::assert_snapshot!(text::last_sends(&report));
    insta::assert_snapshot!(markdown::last_sends(&report));
}

#[test]
fn the_last_send_with_figures_stands_for_its_campaign() {
    let report = fixed();
    let last: Vec<&str> = report.last_sends().map(|(_, s)| s.key.as_str()).collect();
    assert_eq!(
        last,
        [
            "double-twelve@2026-12-06T20:00+08:00",
            "vip-early-access@2026-12-04T10:00+08:00"
        ],
        "a send not yet reported, or unread, does not hide the last one that was"
    );
}

#[test]
fn an_empty_window_says_so_in_every_format() {
    let mut report = fixed();
    report.campaigns.clear();
    assert!(text::render(&report).contains("No sends in this window"));
    assert!(markdown::render(&report).contains("No sends in this window"));
    assert!(html::render(&report).contains("No sends in this window"));
    assert_eq!(markdown::last_sends(&report), "");
}

#[test]
fn workspace_text_is_escaped_in_markdown_and_html() {
    let mut report = fixed();
    report.campaigns[0].campaign = "a|b<script>".to_owned();
    report.campaigns[0].sends[0].audience = Some("tagged <b>vip</b> | x".to_owned());
    let page = html::render(&report);
    assert!(!page.contains("<script>"), "{page}");
    assert!(!page.contains("<b>vip"), "{page}");
    let markdown = markdown::render(&report);
    assert!(!markdown.contains("a|b"), "{markdown}");
}
