//! Golden tests of the three calendar formats from one hand-built calendar, and the Mermaid
//! writer held to the gantt grammar's line forms.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;
use proptest::prelude::*;

use super::render::markdown::{GanttTask, mermaid_gantt, mermaid_text};
use super::render::{html, markdown, text};
use super::{Calendar, CampaignEntry, DeliveryKind, Send, SendStatus};

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
    }
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
fn mermaid_gantt_keeps_the_earliest_tasks_and_says_how_many_it_left_out() {
    let tasks: Vec<GanttTask> = (0..30)
        .map(|n| GanttTask {
            section: format!("c{}", n % 3),
            label: String::new(),
            at: beijing(1, 0, 0) + chrono::Duration::hours(n),
            critical: false,
        })
        .collect();
    let chart = mermaid_gantt("Sends", Shanghai, &tasks, 10);
    assert_valid_mermaid(&chart);
    assert_eq!(chart.matches(": milestone").count(), 10);
    assert!(chart.contains("2026-12-01 09:00"));
    assert!(!chart.contains("2026-12-01 10:00"));
    assert!(chart.contains("_The chart shows the first 10 sends; 20 later ones are left out._"));
}

#[test]
fn mermaid_gantt_of_nothing_is_empty() {
    assert_eq!(mermaid_gantt("Sends", Shanghai, &[], 10), "");
}

#[test]
fn mermaid_text_replaces_what_ends_a_gantt_line() {
    assert_eq!(mermaid_text("a:b#c;d%e\nf", true), "a∶b＃c；d％e f");
    assert_eq!(mermaid_text("10:00 sale", false), "10:00 sale");
    assert_eq!(mermaid_text(" ;\n", true), "；");
    assert_eq!(mermaid_text("\n", true), "-");
}

#[test]
fn the_mermaid_check_rejects_lines_mermaid_would_misread() {
    let good = "    section sale\n    Fri 20∶00 : milestone, 2026-12-04 20:00, 0m\n";
    let chart = |body: &str| format!("```mermaid\ngantt\n    title T\n{body}```\n");
    assert_valid_mermaid(&chart(good));
    for broken in [
        "    section a:b\n    Fri 20∶00 : milestone, 2026-12-04 20:00, 0m\n",
        "    section sale\n    Fri 20:00 : milestone, 2026-12-04 20:00, 0m\n",
        "    section sale\n    50% off : milestone, 2026-12-04 20:00, 0m\n",
        "    section sale\n    title x : milestone, 2026-12-04 20:00, 0m\n",
        "    section sale\n    2026-12-04 : milestone, 2026-12-04 20:00, 0m\n",
        "    section sale\n    Fri : milestone, 2026-13-04 20:00, 0m\n",
        "    Fri 20∶00 : milestone, 2026-12-04 20:00, 0m\n",
        "    section empty\n",
    ] {
        let shown = chart(broken);
        let outcome = std::panic::catch_unwind(|| assert_valid_mermaid(&shown));
        assert!(outcome.is_err(), "accepted:\n{shown}");
    }
}

proptest! {
    #[test]
    fn mermaid_gantt_stays_valid_for_any_names(
        names in proptest::collection::vec(any::<String>(), 1..6),
        title in any::<String>(),
        hours in proptest::collection::vec(0i64..500, 1..6),
        label in prop::sample::select(vec!["", "cancel", "create", "moved from"]),
    ) {
        let tasks: Vec<GanttTask> = names
            .iter()
            .zip(hours.iter().cycle())
            .map(|(name, hour)| GanttTask {
                section: name.clone(),
                label: label.to_owned(),
                at: beijing(1, 0, 0) + chrono::Duration::hours(*hour),
                critical: *hour % 2 == 0,
            })
            .collect();
        assert_valid_mermaid(&mermaid_gantt(&title, Berlin, &tasks, 4));
    }
}

/// Panics unless every Mermaid block in `markdown` is a gantt made only of the line forms
/// the gantt grammar reads as intended (what ends a title, section or task name never
/// appears inside one), with a section before the first task and tasks in each section.
#[track_caller]
pub(crate) fn assert_valid_mermaid(markdown: &str) {
    let forms = [
        r"^gantt$",
        r"^    title [^#;%\n]+$",
        r"^    dateFormat YYYY-MM-DD HH:mm$",
        r"^    axisFormat [^#;\n]+$",
        r"^    todayMarker off$",
        r"^    section [^:#;%\n]+$",
        r"^    [^:#;%\n]+ : (crit, )?milestone, \d{4}-\d{2}-\d{2} \d{2}:\d{2}, 0m$",
        r"^\d{4}-\d{2}-\d{2}",
    ];
    let forms: Vec<regex::Regex> = forms
        .iter()
        .filter_map(|form| regex::Regex::new(form).ok())
        .collect();
    assert_eq!(forms.len(), 8);
    let mut blocks = markdown.split("```mermaid\n").skip(1).peekable();
    assert!(blocks.peek().is_some(), "no Mermaid block in:\n{markdown}");
    for block in blocks {
        let Some((chart, _)) = block.split_once("\n```") else {
            panic!("an unclosed Mermaid block:\n{block}");
        };
        let mut in_section = false;
        let mut tasks_in_section = 0;
        for (number, line) in chart.lines().enumerate() {
            let form = forms.iter().take(7).position(|form| form.is_match(line));
            assert!(form.is_some(), "line {number} is no gantt form: {line:?}");
            assert_eq!(number == 0, form == Some(0), "`gantt` must come first");
            if form == Some(5) {
                assert!(!in_section || tasks_in_section > 0, "an empty section");
                in_section = true;
                tasks_in_section = 0;
            }
            if form == Some(6) {
                assert!(in_section, "a task before any section: {line:?}");
                // The lexer tries keywords (as prefixes, any case) and dates before task
                // text: a task named so would not be read as a task.
                let name = line.trim_start().to_lowercase();
                let keywords = [
                    "gantt",
                    "dateformat",
                    "inclusiveenddates",
                    "topaxis",
                    "axisformat",
                    "tickinterval",
                    "includes",
                    "excludes",
                    "todaymarker",
                    "weekday",
                    "title",
                    "accdescr",
                    "acctitle",
                    "section",
                    "click",
                    "call",
                    "href",
                ];
                assert!(
                    !keywords.iter().any(|k| name.starts_with(k)),
                    "a task named like a keyword: {line:?}"
                );
                assert!(
                    !forms[7].is_match(&name),
                    "a task named like a date: {line:?}"
                );
                let date = line.rsplit(", ").nth(1).unwrap_or_default();
                assert!(
                    chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M").is_ok(),
                    "{date:?} is no date"
                );
                tasks_in_section += 1;
            }
        }
        assert!(in_section && tasks_in_section > 0, "a gantt with no task");
    }
}
