//! Golden tests of the three calendar formats from one hand-built calendar.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;

use super::render::{html, markdown, text};
use super::{Calendar, CampaignEntry, DeliveryKind, Quota, Send, SendStatus};
use crate::render::tests::assert_valid_mermaid;

/// 2026-12-`day` `hour`:`minute` in Beijing.
fn beijing(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Shanghai
        .with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .single()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_default()
}

fn entry(name: &str, zone: Tz, delivery: DeliveryKind, enabled: bool) -> CampaignEntry {
    CampaignEntry {
        name: name.to_owned(),
        enabled,
        zone,
        delivery,
        template: (name != "vip-drop").then(|| format!("{name}-template")),
        audience: "android, tagged <vip> & \"gold\"".to_owned(),
        sends: 0,
    }
}

fn send(campaign: &str, at: DateTime<Utc>, zone: Tz, status: SendStatus) -> Send {
    Send {
        campaign: campaign.to_owned(),
        at,
        zone,
        status,
    }
}

/// Four days from Monday 2026-11-30 09:30 Beijing: a Beijing digest, a Berlin brunch whose
/// Beijing day differs, a list push, a deferred send, a busy hour and a disabled campaign.
pub(crate) fn fixed() -> Calendar {
    let start = beijing(1, 9, 30) - chrono::Duration::days(1);
    let mut sends = vec![
        send(
            "daily-digest",
            beijing(1, 9, 0),
            Shanghai,
            SendStatus::Scheduled,
        ),
        send(
            "daily-digest",
            beijing(2, 9, 0),
            Shanghai,
            SendStatus::Scheduled,
        ),
        send(
            "daily-digest",
            beijing(3, 9, 0),
            Shanghai,
            SendStatus::Deferred,
        ),
        send(
            "berlin-brunch",
            beijing(2, 3, 0),
            Berlin,
            SendStatus::Scheduled,
        ),
        send(
            "vip-drop",
            beijing(1, 20, 15),
            Shanghai,
            SendStatus::ListPush,
        ),
        send(
            "flash-sale",
            start + chrono::Duration::minutes(5),
            Shanghai,
            SendStatus::InsideLeadTime,
        ),
    ];
    // A pile-up: eleven flash-sale sends in one hour on Wednesday.
    for minute in 0..11 {
        sends.push(send(
            "flash-sale",
            beijing(2, 9, minute * 5),
            Shanghai,
            SendStatus::Scheduled,
        ));
    }
    sends.sort_by(|a, b| (a.at, &a.campaign).cmp(&(b.at, &b.campaign)));
    let mut campaigns = vec![
        entry("berlin-brunch", Berlin, DeliveryKind::Scheduled, true),
        entry("daily-digest", Shanghai, DeliveryKind::Scheduled, true),
        entry("flash-sale", Shanghai, DeliveryKind::Scheduled, true),
        entry("paused-promo", Shanghai, DeliveryKind::Scheduled, false),
        entry("vip-drop", Shanghai, DeliveryKind::ListPush, true),
    ];
    for campaign in &mut campaigns {
        campaign.sends = sends.iter().filter(|s| s.campaign == campaign.name).count();
    }
    Calendar {
        workspace: "demo <shop>".to_owned(),
        zone: Shanghai,
        start,
        end: start + chrono::Duration::days(4),
        campaigns,
        sends,
        notes: vec![
            "2027-03-28 02:30 Europe/Berlin does not exist (clocks jump forward); skipped"
                .to_owned(),
        ],
        quota: None,
    }
}

/// [`fixed`] with the makers' cap of 2: Tuesday's marketing is within it, Wednesday's
/// flash sale is far over it, Thursday has none.
fn with_quota() -> Calendar {
    let makers = ["Huawei", "Honor", "OPPO", "vivo"];
    let day = |d: u32| beijing(d, 12, 0).with_timezone(&Shanghai).date_naive();
    fixed().with_quota(Quota {
        cap: 2,
        makers: makers.iter().map(|m| (*m).to_owned()).collect(),
        days: [(day(1), 2), (day(2), 13)].into_iter().collect(),
    })
}

#[test]
fn text_calendar_lists_each_day_with_its_hour_line() {
    insta::assert_snapshot!(text::render(&fixed()));
}

#[test]
fn markdown_calendar_draws_a_mermaid_gantt_and_a_table() {
    let shown = markdown::render(&fixed());
    assert_valid_mermaid(&shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn html_calendar_is_one_standalone_page() {
    insta::assert_snapshot!(html::render(&fixed()));
}

#[test]
fn html_calendar_loads_nothing_from_elsewhere() {
    let page = html::render(&fixed());
    for banned in [
        "<script", "<link", "<img", "@import", "src=", "href=", "url(http",
    ] {
        assert!(!page.contains(banned), "the page holds `{banned}`");
    }
    let urls: Vec<&str> = page
        .match_indices("http")
        .map(|(i, _)| &page[i..i + 30])
        .collect();
    assert!(
        urls.iter()
            .all(|u| u.starts_with("http://www.w3.org/2000/svg")),
        "{urls:?}"
    );
}

#[test]
fn markdown_calendar_keeps_user_text_out_of_html_and_code_spans() {
    let mut calendar = fixed();
    calendar.campaigns[0].audience = "tag `x`<!-- | y".to_owned();
    calendar.campaigns[0].name = "odd`name".to_owned();
    let shown = markdown::render(&calendar);
    assert!(!shown.contains("<!--"), "{shown}");
    assert!(shown.contains("| tag \\`x\\`&lt;!-- \\| y |"), "{shown}");
    assert!(shown.contains("| ``odd`name`` |"), "{shown}");
}

#[test]
fn html_calendar_escapes_workspace_text() {
    let page = html::render(&fixed());
    assert!(page.contains("<h1>Sends of demo &lt;shop&gt;</h1>"));
    assert!(page.contains("tagged &lt;vip&gt; &amp; &quot;gold&quot;"));
    assert!(!page.contains("<shop>"));
    assert!(!page.contains("<vip>"));
}

#[test]
fn html_calendar_marks_every_send_with_its_campaign() {
    let calendar = fixed();
    let page = html::render(&calendar);
    for campaign in calendar.sending_campaigns() {
        let marks = page
            .matches(&format!(
                "class=\"send\" data-campaign=\"{}\"",
                campaign.name
            ))
            .count();
        assert_eq!(marks, campaign.sends, "{}", campaign.name);
    }
    assert!(page.contains("<li class=\"disabled\" data-campaign=\"paused-promo\">"));
}

#[test]
fn text_calendar_shows_a_pile_up_as_plus_and_beijing_time_when_it_differs() {
    let shown = text::render(&fixed());
    assert!(shown.contains("Wed 2026-12-02  ...1.....+"), "{shown}");
    // The calendar's clock first (Beijing here, so no Beijing note), then the campaign's.
    assert!(
        shown.contains("\n  03:00 Asia/Shanghai  12-01 20:00 Europe/Berlin  berlin-brunch\n"),
        "{shown}"
    );
    assert!(shown.contains("paused-promo") && shown.contains("DISABLED"));
    let mut in_berlin = fixed();
    in_berlin.zone = Berlin;
    let shown = text::render(&in_berlin);
    assert!(
        shown
            .lines()
            .any(|line| line.starts_with("  20:00 Europe/Berlin  ")
                && line.ends_with("  berlin-brunch  (12-02 03:00 Beijing)")),
        "{shown}"
    );
    assert!(
        shown.contains("\n  02:00 Europe/Berlin  09:00 Asia/Shanghai  daily-digest\n"),
        "{shown}"
    );
}

#[test]
fn text_calendar_lines_read_in_the_order_of_the_heat_line_across_zones() {
    let shown = text::render(&fixed());
    let day = shown
        .split("Wed 2026-12-02")
        .nth(1)
        .and_then(|rest| rest.split("\nThu").next())
        .unwrap_or_default();
    let times: Vec<&str> = day
        .lines()
        .skip(1)
        .filter_map(|line| line.trim_start().get(..5))
        .collect();
    assert!(times.len() > 2, "{day}");
    assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{times:?}");
    assert_eq!(times.first(), Some(&"03:00"), "{day}");
}

#[test]
fn text_calendar_caps_the_lines_of_a_busy_day() {
    let mut calendar = fixed();
    let busy = beijing(2, 0, 0);
    calendar.sends = (0..100)
        .map(|minute| {
            let at = busy + chrono::Duration::minutes(minute);
            send("flash-sale", at, Shanghai, SendStatus::Scheduled)
        })
        .collect();
    let shown = text::render(&calendar);
    assert!(shown.contains("… 60 more this day"), "{shown}");
    assert!(shown.contains("Wed 2026-12-02  +"), "{shown}");
}

#[test]
fn text_calendar_counts_marketing_against_the_makers_cap_and_marks_a_day_over_it() {
    let shown = text::render(&with_quota());
    assert!(
        shown.contains("  2 sends  marketing 2 / cap 2 (Huawei, Honor, OPPO, vivo)\n"),
        "{shown}"
    );
    assert!(
        shown.contains(
            "marketing 13 / cap 2 (Huawei, Honor, OPPO, vivo)  !! over the cap: the makers drop the pushes past it\n"
        ),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn markdown_calendar_lists_marketing_per_day_against_the_makers_cap() {
    let shown = markdown::render(&with_quota());
    assert_valid_mermaid(&shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn html_calendar_has_a_card_of_marketing_per_day_against_the_makers_cap() {
    let shown = html::render(&with_quota());
    assert_eq!(shown.matches("<tr class=\"quota\"").count(), 2, "{shown}");
    assert!(
        shown.contains("data-day=\"2026-12-02\" style=\"color:#b0413e;font-weight:600\">"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn calendars_in_another_zone_say_the_quota_is_of_the_china_day() {
    let mut calendar = with_quota();
    calendar.zone = chrono_tz::Europe::Berlin;
    assert!(text::render(&calendar).contains("(Huawei, Honor, OPPO, vivo) on that day in China"));
    assert!(
        markdown::render(&calendar).contains("_Days are China's, where the makers count them._")
    );
    assert!(html::render(&calendar).contains("per day in China, where the makers count"));
}
