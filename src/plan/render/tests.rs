//! Golden tests: one hand-built plan with every kind of change and note, rendered in each
//! format; and the Markdown truncation.

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use chrono_tz::Europe::Berlin;

use super::{ColorChoice, github, json, markdown, text};
use crate::compile::{CompileNote, ContentSummary, Fingerprint, OccurrenceKey};
use crate::plan::tests::fixtures::{campaign, content};
use crate::plan::*;
use crate::state::RemoteStatus;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

fn key(text: &str) -> OccurrenceKey {
    OccurrenceKey(text.to_owned())
}

fn before(
    task_id: &str,
    push_time: DateTime<Utc>,
    zone: &str,
    body: ContentSummary,
) -> Option<TaskSnapshot> {
    Some(TaskSnapshot {
        task_id: task_id.to_owned(),
        push_time,
        timezone: zone.to_owned(),
        fingerprint: Fingerprint(format!("old-{task_id}")),
        status: RemoteStatus::Scheduled,
        content: body,
    })
}

fn after(push_time: DateTime<Utc>, zone: &str, body: ContentSummary) -> Option<OccurrenceSnapshot> {
    Some(OccurrenceSnapshot {
        push_time,
        timezone: zone.to_owned(),
        fingerprint: Fingerprint(format!("new-{}", push_time.timestamp())),
        content: body,
        audience_size: Some(1200),
    })
}

fn change(
    k: &str,
    campaign: &str,
    action: Action,
    reason: Reason,
    b: Option<TaskSnapshot>,
    a: Option<OccurrenceSnapshot>,
) -> Change {
    Change {
        key: key(k),
        campaign: campaign.to_owned(),
        action,
        reason,
        before: b,
        after: a,
    }
}

/// Every action, reason family, note and binding kind, at fixed instants.
pub(crate) fn every_kind() -> Plan {
    let sh = "Asia/Shanghai";
    let be = "Europe/Berlin";
    let long_old = content("Winter sale", "Line one\nLine two stays\nLine three");
    let long_new = content(
        "Winter sale",
        "Line one\nLine two stays\nLine three, now longer",
    );
    let changes = vec![
        change(
            "berlin-brunch@2026-12-05T10:00+01:00",
            "berlin-brunch",
            Action::Create,
            Reason::CreateBecauseNew,
            None,
            after(at(5, 9), be, content("Brunch", "Sunday brunch ☕")),
        ),
        change(
            "berlin-brunch@2026-12-06T23:00+01:00",
            "berlin-brunch",
            Action::DeleteThenCreate,
            Reason::ReplaceBecauseTimeChanged,
            before("OSA-1", at(6, 21), be, content("Brunch", "Late brunch")),
            after(at(6, 22), be, content("Brunch", "Late brunch")),
        ),
        change(
            "spring-sale@2026-12-01T10:00+08:00",
            "spring-sale",
            Action::DeleteThenCreate,
            Reason::ReplaceBecauseContentChanged,
            before("OSA-2", at(1, 2), sh, content("Spring sale", "50% off")),
            after(at(1, 2), sh, content("Spring sale", "60% off")),
        ),
        change(
            "spring-sale@2026-12-02T10:00+08:00",
            "spring-sale",
            Action::DeleteThenCreate,
            Reason::ReplaceBecauseChangedRemotely,
            before("OSA-3", at(2, 2), sh, long_old.clone()),
            after(at(2, 2), sh, long_new),
        ),
        change(
            "spring-sale@2026-12-03T10:00+08:00",
            "spring-sale",
            Action::Create,
            Reason::CreateBecauseDeletedOutOfBand,
            before("OSA-4", at(3, 2), sh, long_old.clone()),
            after(at(3, 2), sh, long_old.clone()),
        ),
        change(
            "spring-sale@2026-12-07T10:00+08:00",
            "spring-sale",
            Action::Create,
            Reason::CreateBecauseNowInWindow,
            None,
            after(at(7, 2), sh, long_old.clone()),
        ),
        change(
            "spring-sale@2026-11-27T10:00+08:00",
            "spring-sale",
            Action::Forget,
            Reason::ForgetBecauseSent,
            before(
                "OSA-5",
                Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0)
                    .single()
                    .unwrap_or_default(),
                sh,
                long_old.clone(),
            ),
            None,
        ),
        change(
            "old-promo@2026-12-04T10:00+08:00",
            "old-promo",
            Action::Delete,
            Reason::DeleteBecauseRemovedFromConfig,
            before("OSA-6", at(4, 2), sh, content("Old", "promo")),
            None,
        ),
        change(
            "paused@2026-12-04T12:00+08:00",
            "paused",
            Action::Delete,
            Reason::DeleteBecauseCampaignDisabled,
            before("OSA-7", at(4, 4), sh, content("Paused", "promo")),
            None,
        ),
        change(
            "vip-alert@2026-11-28T08:00+08:00",
            "vip-alert",
            Action::Fire,
            Reason::FireBecauseDue,
            None,
            after(
                Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0)
                    .single()
                    .unwrap_or_default(),
                sh,
                content("VIP", "Your gift"),
            ),
        ),
        change(
            "vip-alert@2026-11-27T08:00+08:00",
            "vip-alert",
            Action::RecordMissed,
            Reason::MissedBecauseGraceWindowPassed,
            None,
            after(
                Utc.with_ymd_and_hms(2026, 11, 27, 0, 0, 0)
                    .single()
                    .unwrap_or_default(),
                sh,
                content("VIP", "Your gift"),
            ),
        ),
    ];
    let notes = vec![
        Note::Deferred {
            key: key("berlin-brunch@2026-12-20T10:00+01:00"),
            campaign: "berlin-brunch".into(),
            push_time: at(20, 9),
        },
        Note::InsideLeadTime {
            key: key("berlin-brunch@2026-11-28T01:05+01:00"),
            campaign: "berlin-brunch".into(),
            push_time: Utc
                .with_ymd_and_hms(2026, 11, 28, 0, 5, 0)
                .single()
                .unwrap_or_default(),
        },
        Note::Compile(CompileNote::DstGapSkipped {
            campaign: "berlin-brunch".into(),
            local_time: "2027-03-28 02:30".into(),
            timezone: "Europe/Berlin".into(),
        }),
        Note::CampaignDisabled {
            campaign: "paused".into(),
        },
        Note::PastOccurrenceSkipped {
            key: key("launch@2026-11-01T09:00+08:00"),
            campaign: "launch".into(),
        },
        Note::Drift {
            key: key("spring-sale@2026-12-02T10:00+08:00"),
            campaign: "spring-sale".into(),
            found: RemoteStatus::Scheduled,
            action: "transmission content differs from what gtcamp created; replaced".into(),
        },
        Note::Drift {
            key: key("spring-sale@2026-12-03T10:00+08:00"),
            campaign: "spring-sale".into(),
            found: RemoteStatus::DeletedRemotely,
            action: "created again".into(),
        },
        Note::AlreadySent {
            key: key("spring-sale@2026-11-27T10:00+08:00"),
            campaign: "spring-sale".into(),
        },
        Note::Unreachable {
            key: key("spring-sale@2026-12-05T10:00+08:00"),
            campaign: "spring-sale".into(),
            error: "Getui did not answer `getScheduleTaskAction` within 5s".into(),
        },
        Note::Missed {
            key: key("vip-alert@2026-11-27T08:00+08:00"),
            campaign: "vip-alert".into(),
            due_at: Utc
                .with_ymd_and_hms(2026, 11, 27, 0, 0, 0)
                .single()
                .unwrap_or_default(),
        },
    ];
    let bindings = vec![
        BindingChange {
            cid: "cid-aaa".into(),
            action: BindingAction::Bind,
            before_prefix: None,
            after_prefix: Some("0cc175b9".into()),
        },
        BindingChange {
            cid: "cid-bbb".into(),
            action: BindingAction::Rebind,
            before_prefix: Some("92eb5ffe".into()),
            after_prefix: Some("4a8a08f0".into()),
        },
        BindingChange {
            cid: "cid-ccc".into(),
            action: BindingAction::Unbind,
            before_prefix: Some("8277e091".into()),
            after_prefix: None,
        },
    ];
    let campaigns = [
        "berlin-brunch",
        "launch",
        "paused",
        "spring-sale",
        "vip-alert",
    ]
    .iter()
    .map(|name| {
        campaign(
            name,
            *name != "paused",
            if *name == "berlin-brunch" {
                Berlin
            } else {
                Shanghai
            },
        )
    })
    .collect();
    Plan {
        format_version: FORMAT_VERSION,
        meta: PlanMeta {
            workspace: PathBuf::from("."),
            target: "sandbox".into(),
            lineage: "5f0c6a52-8d4e-4f7e-9a51-3c2b1d0e9f88".into(),
            serial: 7,
            input_fingerprint: Fingerprint("inputs-1".into()),
            earliest_push_time: Some(at(1, 2)),
            created_at: Utc
                .with_ymd_and_hms(2026, 11, 28, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            refreshed: true,
            selection: None,
            allow_cancel: Vec::new(),
        },
        campaigns,
        changes,
        bindings,
        renames: Vec::new(),
        protection: Vec::new(),
        notes,
        warnings: warnings(),
        estimates: estimates(),
        // More app pushes than the per-minute limit: the limits line shows the pacing.
        pushes: Some(crate::plan::PushBudget {
            app_pushes: 6,
            list_pushes: 1,
            limits: Some(crate::getui::Limits::DOCUMENTED),
            app_pushes_made_today: 3,
            list_pushes_made_today: 0,
            pacing_minutes: 1,
        }),
    }
}

/// A check warning, two lint warnings (one about a campaign) and a workspace-wide one.
fn warnings() -> Vec<Warning> {
    let warning =
        |code: &str, message: &str, campaign: Option<&str>, at: Option<(&str, usize)>| Warning {
            code: code.into(),
            message: message.into(),
            help: Some("a help".into()),
            campaign: campaign.map(str::to_owned),
            file: at.map(|(file, _)| PathBuf::from(file)),
            line: at.map(|(_, line)| line),
            column: at.map(|_| 1),
        };
    vec![
        warning("GC055", "an `at` in the past", None, None),
        warning(
            "GC019",
            "Audience `spare` is not used by any campaign",
            None,
            Some(("shop/audiences.yaml", 3)),
        ),
        warning(
            "GC070",
            "campaigns `launch` and `spring-sale` can reach the same people (both target tag `vip`) and send 2h apart",
            Some("spring-sale"),
            Some(("shop/spring-sale.yaml", 12)),
        ),
        warning(
            "GC071",
            "campaign `vip-alert` sends inside quiet hours (22:00–08:00 in Asia/Shanghai): its only send at 2026-12-01 23:00 +08:00",
            Some("vip-alert"),
            Some(("shop/vip-alert.yaml", 9)),
        ),
    ]
}

/// Each kind of audience size, and both kinds of SMS reach.
fn estimates() -> std::collections::BTreeMap<String, Estimate> {
    let one = |audience: AudienceSize, sms: Option<SmsNumbers>| Estimate { audience, sms };
    [
        (
            "launch",
            one(
                AudienceSize::Counted { users: 1_234_567 },
                Some(SmsNumbers::WorkspaceTotal { numbers: 1_204 }),
            ),
        ),
        ("spring-sale", one(AudienceSize::Listed { users: 3 }, None)),
        (
            "vip-alert",
            one(
                AudienceSize::Unknown {
                    error: "Getui answered `other_error`".into(),
                },
                Some(SmsNumbers::OfAudience { numbers: 2 }),
            ),
        ),
        ("berlin-brunch", one(AudienceSize::NotAsked, None)),
    ]
    .into_iter()
    .map(|(name, estimate)| (name.to_owned(), estimate))
    .collect()
}

fn empty() -> Plan {
    Plan {
        changes: Vec::new(),
        bindings: Vec::new(),
        notes: Vec::new(),
        campaigns: Vec::new(),
        warnings: Vec::new(),
        estimates: Default::default(),
        pushes: None,
        ..every_kind()
    }
}

#[test]
fn text_plan_shows_every_kind_of_change() {
    insta::assert_snapshot!(text::render(&every_kind(), ColorChoice::Never));
}

#[test]
fn text_plan_in_colour_paints_actions() {
    let coloured = text::render(&every_kind(), ColorChoice::Always);
    assert!(coloured.contains("\x1b[32m+ create\x1b[0m"), "{coloured}");
    assert!(coloured.contains("\x1b[31m- cancel\x1b[0m"), "{coloured}");
    let plain = text::render(&every_kind(), ColorChoice::Never);
    assert!(!plain.contains('\x1b'));
}

#[test]
fn text_and_markdown_list_the_first_warnings_and_count_the_rest() {
    let mut plan = every_kind();
    let first = plan.warnings[2].clone();
    plan.warnings = vec![first; 1_234];
    let text = text::render(&plan, ColorChoice::Never);
    let markdown = markdown::render(&plan);
    // The text names the code twice more per warning, in the hint to `gtcamp explain` it;
    // the Markdown once per warning, and once in the hint under the list.
    for (shown, per_warning, once) in [(&text, 3, 0), (&markdown, 1, 1)] {
        assert_eq!(
            shown.matches("GC070").count(),
            per_warning * super::SHOWN_WARNINGS + once,
            "{shown}"
        );
        assert!(shown.contains(
            "… and 1,184 more warnings: `gtcamp validate --format json` or `gtcamp plan --format json` lists them all"
        ));
    }
    assert_eq!(json::render(&plan).matches("\"GC070\"").count(), 1_234);
}

/// A million binds would be a million lines: the text and Markdown views list the first
/// binding changes, rebinds and unbinds before binds, and count the rest by kind.
#[test]
fn text_and_markdown_list_the_first_binding_changes_and_count_the_rest() {
    let mut plan = every_kind();
    let (bind, rebind, unbind) = (
        plan.bindings[0].clone(),
        plan.bindings[1].clone(),
        plan.bindings[2].clone(),
    );
    let numbered = |change: &BindingChange, n: usize| BindingChange {
        cid: format!("{}-{n:04}", change.cid),
        ..change.clone()
    };
    plan.bindings = (0..1_200).map(|n| numbered(&bind, n)).collect();
    plan.bindings.push(numbered(&rebind, 1));
    plan.bindings.push(numbered(&unbind, 2));
    let text = text::render(&plan, ColorChoice::Never);
    let markdown = markdown::render(&plan);
    for shown in [&text, &markdown] {
        assert_eq!(
            shown.matches("cid-aaa-").count(),
            super::SHOWN_BINDINGS - 2,
            "{shown}"
        );
        assert!(
            shown.contains("cid-bbb-0001") && shown.contains("cid-ccc-0002"),
            "{shown}"
        );
        assert!(shown.contains(
            "… and 1,102 more binding changes (1,102 binds): `gtcamp plan --format json` lists them all"
        ), "{shown}");
    }
    assert_eq!(json::render(&plan).matches("\"cid-aaa-").count(), 1_200);
}

#[test]
fn text_plan_without_changes_says_so() {
    assert_eq!(text::render(&empty(), ColorChoice::Never), "No changes.\n");
}

#[test]
fn json_plan_shows_every_kind_of_change() {
    insta::assert_snapshot!(json::render(&every_kind()));
}

#[test]
fn markdown_plan_shows_every_kind_of_change() {
    insta::assert_snapshot!(markdown::render(&every_kind()));
}

#[test]
fn markdown_plan_is_truncated_between_sections_with_a_note() {
    let shown = markdown::render_within(&every_kind(), 3_000);
    assert!(shown.chars().count() <= 3_000);
    insta::assert_snapshot!(shown);
}

#[test]
fn markdown_plan_of_a_huge_campaign_set_stays_under_the_comment_limit() {
    let mut plan = every_kind();
    let template = plan.changes[2].clone();
    for i in 0..2_000 {
        let mut extra = template.clone();
        extra.campaign = format!("bulk-{:04}", i / 10);
        extra.key = key(&format!("bulk-{:04}@{i}", i / 10));
        plan.changes.push(extra);
    }
    let shown = markdown::render(&plan);
    assert!(
        shown.chars().count() <= markdown::LIMIT,
        "{} characters",
        shown.chars().count()
    );
    assert!(
        shown.contains("more sections did not fit in a comment"),
        "no truncation note"
    );
    assert!(shown.trim_end().ends_with("to see the whole plan."));
    assert_eq!(
        shown.matches("<details>").count(),
        shown.matches("</details>").count()
    );
}

#[test]
fn no_format_shows_a_whole_phone_hash() {
    let mut plan = every_kind();
    plan.bindings[0].after_prefix = Some("0cc175b9".into());
    for shown in [
        text::render(&plan, ColorChoice::Never),
        json::render(&plan),
        markdown::render(&plan),
    ] {
        assert!(shown.contains("0cc175b9"));
        assert!(!shown.contains("0cc175b9c0f1b6a831c399e269772661"));
    }
}

fn with_warnings(count: usize) -> Plan {
    let warnings = (1..=count)
        .map(|n| Warning {
            code: "GC070".into(),
            message: format!("sends at 23:00, inside quiet hours, 50% of the time ({n})"),
            help: None,
            campaign: Some("weekly-digest".into()),
            file: Some(PathBuf::from("campaigns/weekly-digest.yaml")),
            line: Some(n),
            column: Some(3),
        })
        .collect();
    Plan {
        warnings,
        ..every_kind()
    }
}

#[test]
fn github_annotations_show_warnings_and_the_notes_that_need_attention() {
    let root = std::path::Path::new("/repo");
    let shown = github::annotations(&with_warnings(2), root, root, github::Annotate::All);
    insta::assert_snapshot!(shown);
}

#[test]
fn github_annotations_of_notes_leave_the_warnings_to_validate() {
    let root = std::path::Path::new("/repo");
    let all = github::annotations(&with_warnings(2), root, root, github::Annotate::All);
    let notes = github::annotations(&with_warnings(2), root, root, github::Annotate::Notes);
    assert!(all.contains("title=GC070"), "{all}");
    assert!(!notes.contains("GC070"), "{notes}");
    assert!(notes.contains("title=gtcamp%3A drift"), "{notes}");
    let without_warnings: Vec<&str> = all.lines().filter(|l| !l.contains("GC070")).collect();
    assert_eq!(notes.lines().collect::<Vec<_>>(), without_warnings);
}

#[test]
fn github_annotations_stop_at_ten_notes_and_count_the_rest() {
    let root = std::path::Path::new("/repo");
    let mut plan = every_kind();
    let drift = plan
        .notes
        .iter()
        .find(|note| matches!(note, Note::Drift { .. }))
        .cloned()
        .unwrap();
    plan.notes = vec![drift; 12];
    let shown = github::annotations(&plan, root, root, github::Annotate::Notes);
    let warnings = shown
        .lines()
        .filter(|l| l.starts_with("::warning "))
        .count();
    assert_eq!(warnings, github::ANNOTATIONS_PER_LEVEL, "{shown}");
    assert!(
        shown.ends_with("2 more warnings: see the job summary\n"),
        "{shown}"
    );
}

#[test]
fn github_step_summary_is_the_markdown_plan_listing_each_warning_once() {
    let plan = with_warnings(12);
    let summary = github::step_summary(&plan, 0);
    assert_eq!(summary, markdown::render(&plan));
    assert_eq!(summary.matches("Warnings (12)").count(), 1, "{summary}");
    assert_eq!(
        summary
            .matches("`campaigns/weekly-digest.yaml:12:3`")
            .count(),
        1,
        "{summary}"
    );
}

#[test]
fn github_step_summary_appends_only_the_warnings_the_markdown_plan_left_out() {
    let plan = with_warnings(53);
    let summary = github::step_summary(&plan, 0);
    assert!(summary.starts_with(&markdown::render(&plan)), "{summary}");
    assert!(
        summary.contains("The other 3 warnings (after the first 50)"),
        "{summary}"
    );
    for n in [1, 50, 51, 53] {
        let location = format!("`campaigns/weekly-digest.yaml:{n}:3`");
        assert_eq!(summary.matches(&location).count(), 1, "{location}");
    }
}

#[test]
fn markdown_keeps_user_text_out_of_html_and_inside_its_code_spans() {
    let mut plan = with_warnings(1);
    plan.warnings[0].code = "x`<!--".into();
    plan.warnings[0].message = "tag `a` <!-- <img src=x> | & done".into();
    let shown = markdown::render(&plan);
    // Inside a code span `<!--` is text; anywhere else it would hide the rest of the page.
    assert!(shown.contains("- ⚠️ ``x`<!--``"), "{shown}");
    let outside_code = shown
        .replace("``x`<!--``", "")
        .replace("``gtcamp explain x`<!--``", "");
    assert!(!outside_code.contains("<!--"), "{shown}");
    assert!(!shown.contains("<img"), "{shown}");
    assert!(
        shown.contains("tag \\`a\\` &lt;!-- &lt;img src=x&gt; \\| &amp; done"),
        "{shown}"
    );
    let summary = github::step_summary(&with_warnings_like(&plan, 51), 0);
    assert!(!summary.contains("<img"), "{summary}");
}

fn with_warnings_like(plan: &Plan, count: usize) -> Plan {
    Plan {
        warnings: vec![plan.warnings[0].clone(); count],
        ..plan.clone()
    }
}

#[test]
fn github_step_summary_fits_in_what_the_step_left() {
    let plan = with_warnings(5_000);
    for already in [
        0,
        500_000,
        github::STEP_SUMMARY_LIMIT - 10_000,
        1024 * 1024 - 500,
    ] {
        let summary = github::step_summary(&plan, already);
        assert!(
            already + summary.len() <= github::GITHUB_STEP_SUMMARY_LIMIT,
            "{already} + {}",
            summary.len()
        );
    }
    let cut = github::step_summary(&plan, github::STEP_SUMMARY_LIMIT - 10_000);
    assert!(cut.contains("more: run `gtcamp validate`"), "{cut}");
}

#[test]
fn markdown_plan_draws_valid_mermaid_of_the_changed_campaigns() {
    let shown = markdown::render(&every_kind());
    crate::render::tests::assert_valid_mermaid(&shown);
    assert!(shown.contains(
        "section old-promo\n    cancel Fri 10∶00 : crit, milestone, 2026-12-04 10:00, 0m"
    ));
    assert!(
        !shown.contains("section launch"),
        "a campaign with no change has no section"
    );
}

#[test]
fn markdown_plan_folds_a_long_schedule_chart_to_the_end() {
    let mut plan = every_kind();
    let template = plan.changes[0].clone();
    for hour in 0..30 {
        let mut extra = template.clone();
        if let Some(after) = extra.after.as_mut() {
            after.push_time += chrono::Duration::hours(hour);
        }
        plan.changes.push(extra);
    }
    let shown = markdown::render(&plan);
    crate::render::tests::assert_valid_mermaid(&shown);
    let chart = shown.find("<details><summary>📅 When the changed campaigns send: 40 push times");
    let last_campaign = shown.find("<code>vip-alert</code>");
    // Both must be there: `Some(_) > None` alone would pass with the campaign missing.
    let (Some(chart), Some(last_campaign)) = (chart, last_campaign) else {
        panic!("chart {chart:?}, last campaign {last_campaign:?}:\n{shown}");
    };
    assert!(chart > last_campaign, "{shown}");
}

#[test]
fn a_class_change_shows_as_a_channels_field_diff() {
    let old = content("Sale", "50% off");
    let new = ContentSummary {
        channels: Some("service · vivo category ORDER".to_owned()),
        ..content("Sale", "50% off")
    };
    let diffs = super::content_diff(&old, &new);
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    match &diffs[0] {
        super::FieldDiff::Inline { field, old, new } => {
            assert_eq!(*field, "channels");
            assert_eq!(old, &None);
            assert_eq!(new.as_deref(), Some("service · vivo category ORDER"));
        }
        other => panic!("expected an inline diff, got {other:?}"),
    }
}

/// The lifecycle cases, each alone: a rename, a partial plan, protection, and a campaign
/// `Removed` with its pushes left on Getui.
mod lifecycle {
    use super::*;
    use crate::compile::Move;
    use crate::model::Renamed;

    fn renamed() -> Plan {
        let mut plan = empty();
        plan.renames = vec![
            RenameChange {
                rename: Move {
                    what: Renamed::Campaign,
                    from: "spring-sale".into(),
                    to: "spring-sale-2027".into(),
                },
                tasks: 3,
                sends: 12,
            },
            RenameChange {
                rename: Move {
                    what: Renamed::Template,
                    from: "promo".into(),
                    to: "promo-banner".into(),
                },
                tasks: 0,
                sends: 0,
            },
        ];
        plan
    }

    fn partial() -> Plan {
        let mut plan = every_kind();
        plan.changes.retain(|c| c.campaign == "spring-sale");
        plan.notes.clear();
        plan.bindings.clear();
        plan.warnings.clear();
        plan.meta.selection = Some(Selection {
            campaigns: vec!["spring-*".into()],
            exclude: vec!["spring-test".into()],
            bindings: false,
            left_out: 4,
        });
        plan
    }

    fn protected() -> Plan {
        let mut plan = empty();
        plan.protection = vec![
            ProtectionChange {
                campaign: "national-day".into(),
                protected: true,
            },
            ProtectionChange {
                campaign: "old-promo".into(),
                protected: false,
            },
        ];
        plan
    }

    fn forgotten() -> Plan {
        let mut plan = empty();
        plan.changes = vec![change(
            "winter-sale@2026-12-04T10:00+08:00",
            "winter-sale",
            Action::Release,
            Reason::ReleaseBecauseRemoved,
            before(
                "OSA-9",
                at(4, 2),
                "Asia/Shanghai",
                content("Winter", "Last days"),
            ),
            None,
        )];
        plan.notes = vec![Note::LooksRenamed {
            campaign: "autumn".into(),
            to: "autumn-2027".into(),
        }];
        plan
    }

    #[test]
    fn renamed_plan() {
        insta::assert_snapshot!(text::render(&renamed(), ColorChoice::Never));
        insta::assert_snapshot!(markdown::render(&renamed()));
    }

    #[test]
    fn partial_plan() {
        insta::assert_snapshot!(text::render(&partial(), ColorChoice::Never));
        insta::assert_snapshot!(markdown::render(&partial()));
        insta::assert_snapshot!(json::render(&partial()));
    }

    #[test]
    fn protected_plan() {
        insta::assert_snapshot!(text::render(&protected(), ColorChoice::Never));
        insta::assert_snapshot!(markdown::render(&protected()));
    }

    #[test]
    fn forgotten_plan() {
        insta::assert_snapshot!(text::render(&forgotten(), ColorChoice::Never));
        insta::assert_snapshot!(markdown::render(&forgotten()));
        insta::assert_snapshot!(json::render(&forgotten()));
    }
}
