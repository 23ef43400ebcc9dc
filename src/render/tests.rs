//! Unit tests of the shared text: words, paths, and the Mermaid writer held to the gantt
//! grammar's line forms (which the plan's and the calendar's tests check their charts
//! with, through [`assert_valid_mermaid`]).

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use chrono_tz::Europe::Berlin;
use proptest::prelude::*;

use super::display_path;
use super::mermaid::{GanttTask, mermaid_gantt, mermaid_text};

/// 2026-12-`day` `hour`:`minute` in Beijing.
fn beijing(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Shanghai
        .with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .single()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_default()
}

#[test]
fn counts_have_thousands_separators() {
    assert_eq!(super::thousands(0), "0");
    assert_eq!(super::thousands(999), "999");
    assert_eq!(super::thousands(1_000), "1,000");
    assert_eq!(super::thousands(1_234_567), "1,234,567");
}

#[test]
fn instants_show_their_zone_and_beijing_time_only_when_it_reads_differently() {
    let noon = Utc
        .with_ymd_and_hms(2026, 12, 1, 4, 0, 0)
        .single()
        .unwrap_or_default();
    assert_eq!(
        super::instant(noon, "Asia/Shanghai"),
        "2026-12-01 12:00 Asia/Shanghai"
    );
    assert_eq!(
        super::instant(noon, "Europe/Berlin"),
        "2026-12-01 05:00 Europe/Berlin (12:00 Beijing)"
    );
    assert_eq!(
        super::instant(noon, "America/New_York"),
        "2026-11-30 23:00 America/New_York (2026-12-01 12:00 Beijing)"
    );
    assert_eq!(super::instant(noon, "Mars/Olympus"), "2026-12-01 04:00 UTC");
}

#[test]
fn display_path_takes_the_shortest_way_to_a_workspace_above() {
    let cwd = Path::new("/work/repo/campaigns/drafts");
    assert_eq!(
        display_path(Path::new("../../campaigns/a.yaml"), cwd),
        "../a.yaml"
    );
    assert_eq!(
        display_path(Path::new("../gtcamp.yaml"), cwd),
        "../gtcamp.yaml"
    );
    assert_eq!(
        display_path(Path::new("../../../x/a.yaml"), cwd),
        "../../../x/a.yaml"
    );
}

#[test]
fn display_path_is_relative_to_the_current_folder() {
    let cwd = Path::new("/work/repo");
    assert_eq!(
        display_path(Path::new("/work/repo/campaigns/a.yaml"), cwd),
        "campaigns/a.yaml"
    );
    assert_eq!(
        display_path(Path::new("./campaigns/a.yaml"), cwd),
        "campaigns/a.yaml"
    );
    assert_eq!(
        display_path(Path::new("/elsewhere/a.yaml"), cwd),
        "/elsewhere/a.yaml"
    );
}

#[test]
fn markdown_code_spans_outlast_the_backticks_inside() {
    assert_eq!(super::markdown::code("plain"), "`plain`");
    assert_eq!(super::markdown::code("a`b"), "``a`b``");
    assert_eq!(super::markdown::code("`x``"), "``` `x`` ```");
    assert_eq!(super::markdown::code("two\nlines"), "`two lines`");
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
