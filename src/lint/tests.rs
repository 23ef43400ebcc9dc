//! Unit tests for the lints: small workspaces written to a temporary folder, compiled as of
//! a fixed instant and linted, asserting what a reviewer reads.

use super::*;
use crate::check::{CheckContext, check_workspace};
use crate::load::{Limits, load_workspace};

/// A Monday, 08:00 in Beijing.
const NOW: &str = "2030-01-07T00:00:00Z";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

/// Lints a workspace of `settings` (appended to the minimal gtcamp.yaml) and `campaigns`,
/// after asserting that checks find no error and that it compiles: `lint_checked` finds
/// nothing in a workspace that does not compile, which would let every "finds nothing"
/// test pass whatever the lint does.
fn lint(settings: &str, campaigns: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let gtcamp = format!("kind: Workspace\nname: t\napp_id: a\n{settings}");
    std::fs::write(dir.path().join("gtcamp.yaml"), gtcamp).unwrap();
    std::fs::write(dir.path().join("c.yaml"), campaigns).unwrap();
    let workspace = load_workspace(dir.path(), &Limits::default());
    let checked = check_workspace(&workspace, &CheckContext { now: now() });
    assert!(!checked.iter().any(|d| d.is_error()), "{checked:#?}");
    // The default target's protocol decides what reaches the makers (on legacy, only a
    // transmission's vendor notification); a workspace that names no target is linted as
    // REST V2, where every notification does.
    let protocol = only_settings(&workspace)
        .filter(|s| !s.targets.is_empty())
        .and_then(|s| s.target(&s.chosen_target(None)).ok().map(|t| t.protocol()))
        .unwrap_or(crate::model::Protocol::V2);
    let context = CompileContext {
        now: now(),
        max_push_ahead: crate::getui::MAX_PUSH_AHEAD,
        list_push_grace: crate::compile::LIST_PUSH_GRACE,
        protocol,
    };
    let desired = compile(&workspace, &context)
        .unwrap_or_else(|error| panic!("the workspace does not compile: {error}"));
    lint_workspace(&workspace, &desired)
}

/// A campaign `name` sending a notification to `audience` (YAML lines under `audience:`)
/// on `schedule` (YAML lines under `schedule:`).
fn campaign(name: &str, audience: &str, schedule: &str) -> String {
    format!(
        "kind: Campaign\nname: {name}\ntemplate:\n  type: notification\n  title: T\n  text: X\n\
         audience:\n{audience}schedule:\n{schedule}---\n"
    )
}

fn at(time: &str) -> String {
    format!("  at: {time}\n")
}

const VIP: &str = "  tags:\n    any: [vip]\n";

fn codes(findings: &[Finding]) -> Vec<(&str, &str)> {
    findings
        .iter()
        .map(|f| (f.diagnostic.code, f.campaign.as_str()))
        .collect()
}

fn only<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.diagnostic.code == code)
        .collect()
}

// --- fatigue ---------------------------------------------------------------------------

fn pair(a: &str, b: &str, first: &str, second: &str) -> Vec<Finding> {
    let yaml = campaign("first", a, &at(first)) + &campaign("second", b, &at(second));
    lint("", &yaml)
}

#[test]
fn fatigue_reports_two_campaigns_sharing_a_tag_three_hours_apart() {
    let all_vip = "  tags:\n    all: [vip, new]\n";
    let found = pair(
        VIP,
        all_vip,
        "2030-01-08T10:00:00+08:00",
        "2030-01-08T13:00:00+08:00",
    );
    let fatigue = only(&found, "GC070");
    assert_eq!(fatigue.len(), 1, "{:#?}", codes(&found));
    let d = &fatigue[0].diagnostic;
    assert_eq!(
        d.message,
        "campaigns `first` and `second` can reach the same people (both target tag `vip`) and \
         send 3h apart: `first` at 2030-01-08 10:00 +08:00, `second` at 2030-01-08 13:00 +08:00"
    );
    assert!(!d.is_error());
    assert_eq!(fatigue[0].campaign, "second");
    let location = d.location.as_ref().unwrap();
    assert!(location.file.ends_with("c.yaml"));
    // `schedule:` of the second campaign: the first takes 12 lines, `---` included.
    assert_eq!((location.span.line, location.span.column), (22, 1));
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("lints.fatigue.level: off")
    );
}

#[test]
fn fatigue_ignores_a_tag_one_campaign_excludes() {
    let not_vip = "  tags:\n    none: [vip]\n";
    let found = pair(
        VIP,
        not_vip,
        "2030-01-08T10:00:00+08:00",
        "2030-01-08T11:00:00+08:00",
    );
    assert!(only(&found, "GC070").is_empty(), "{:#?}", codes(&found));
}

#[test]
fn fatigue_counts_a_none_filter_alone_as_broad() {
    let not_churned = "  tags:\n    none: [churned]\n";
    let found = pair(
        VIP,
        not_churned,
        "2030-01-08T10:00:00+08:00",
        "2030-01-08T11:00:00+08:00",
    );
    let fatigue = only(&found, "GC070");
    assert_eq!(fatigue.len(), 1);
    assert!(
        fatigue[0]
            .diagnostic
            .message
            .contains("`second` is restricted by neither region nor tag")
    );
}

#[test]
fn fatigue_allows_exactly_the_window_and_flags_a_minute_less() {
    let edge = pair(
        VIP,
        VIP,
        "2030-01-08T10:00:00+08:00",
        "2030-01-08T14:00:00+08:00",
    );
    assert!(only(&edge, "GC070").is_empty());
    let inside = pair(
        VIP,
        VIP,
        "2030-01-08T10:00:00+08:00",
        "2030-01-08T13:59:00+08:00",
    );
    assert_eq!(only(&inside, "GC070").len(), 1);
    assert!(inside[0].diagnostic.message.contains("send 3h59m apart"));
}

#[test]
fn fatigue_window_is_configurable() {
    let yaml = campaign("first", VIP, &at("2030-01-08T10:00:00+08:00"))
        + &campaign("second", VIP, &at("2030-01-08T15:00:00+08:00"));
    let found = lint("lints:\n  fatigue:\n    window: 6h\n", &yaml);
    assert_eq!(only(&found, "GC070").len(), 1);
}

#[test]
fn fatigue_keeps_different_regions_and_phone_types_apart() {
    let zhejiang = "  regions:\n    any: [浙江省]\n";
    let shanghai = "  regions:\n    any: [上海]\n";
    let times = ("2030-01-08T10:00:00+08:00", "2030-01-08T10:30:00+08:00");
    assert!(only(&pair(zhejiang, shanghai, times.0, times.1), "GC070").is_empty());
    let android = "  phone_types:\n    any: [android]\n";
    let ios = "  phone_types:\n    any: [ios]\n";
    assert!(only(&pair(android, ios, times.0, times.1), "GC070").is_empty());
    let zhejiang_short = "  regions:\n    any: [浙江]\n  tags:\n    any: [new]\n";
    let found = pair(zhejiang, zhejiang_short, times.0, times.1);
    assert!(
        found[0]
            .diagnostic
            .message
            .contains("both target region `浙江`")
    );
}

/// Settings whose sandbox speaks REST API V2, where audiences may name cities.
const V2_SANDBOX: &str = "targets:\n  sandbox:\n    type: sandbox\n    protocol: v2\n";

/// [`pair`] on [`V2_SANDBOX`].
fn pair_on_v2(a: &str, b: &str, first: &str, second: &str) -> Vec<Finding> {
    let yaml = campaign("first", a, &at(first)) + &campaign("second", b, &at(second));
    lint(V2_SANDBOX, &yaml)
}

#[test]
fn fatigue_knows_a_province_overlaps_its_cities_and_two_cities_are_apart() {
    let pair = pair_on_v2;
    let times = ("2030-01-08T10:00:00+08:00", "2030-01-08T10:30:00+08:00");
    let guangdong = "  regions:\n    any: [广东]\n  tags:\n    any: [new]\n";
    let shenzhen = "  regions:\n    any: [深圳]\n  tags:\n    any: [new]\n";
    let guangzhou = "  regions:\n    any: [广州市]\n";
    let found = pair(guangdong, shenzhen, times.0, times.1);
    let clash = only(&found, "GC070");
    assert_eq!(clash.len(), 1);
    assert!(
        clash[0]
            .diagnostic
            .message
            .contains("both target region `深圳市`"),
        "{}",
        clash[0].diagnostic.message
    );
    assert!(only(&pair(shenzhen, guangzhou, times.0, times.1), "GC070").is_empty());
    let not_guangdong = "  regions:\n    none: [广东省]\n";
    assert!(only(&pair(shenzhen, not_guangdong, times.0, times.1), "GC070").is_empty());
}

#[test]
fn fatigue_matches_tags_as_written_not_as_region_names() {
    // `上海市` and `上海` are one region, but two tags.
    let city_tag = "  tags:\n    any: [上海市]\n";
    let short_tag = "  tags:\n    any: [上海]\n";
    let times = ("2030-01-08T10:00:00+08:00", "2030-01-08T10:30:00+08:00");
    let found = pair(city_tag, short_tag, times.0, times.1);
    assert!(only(&found, "GC070").is_empty(), "{:#?}", codes(&found));
    let not_short = "  tags:\n    none: [上海]\n";
    let found = pair(city_tag, not_short, times.0, times.1);
    assert_eq!(only(&found, "GC070").len(), 1, "{:#?}", codes(&found));
}

#[test]
fn fatigue_keeps_campaigns_with_different_tags_apart() {
    let other = "  tags:\n    any: [new]\n";
    let found = pair(
        VIP,
        other,
        "2030-01-08T10:00:00+08:00",
        "2030-01-08T10:30:00+08:00",
    );
    assert!(only(&found, "GC070").is_empty());
}

#[test]
fn fatigue_counts_all_users_and_a_tag_with_a_region_as_overlapping() {
    let everyone = "  all_users: true\n";
    let times = ("2030-01-08T10:00:00+08:00", "2030-01-08T10:30:00+08:00");
    let found = pair(everyone, VIP, times.0, times.1);
    assert!(
        found[0]
            .diagnostic
            .message
            .contains("`first` sends to all users")
    );
    let zhejiang = "  regions:\n    any: [浙江]\n";
    let found = pair(VIP, zhejiang, times.0, times.1);
    assert!(
        found[0]
            .diagnostic
            .message
            .contains("nothing in their filters keeps them apart")
    );
}

#[test]
fn fatigue_matches_cid_lists_by_a_shared_cid_only() {
    let one = "  cids: [c-1, c-2]\n";
    let two = "  cids: [c-2, c-3]\n";
    let three = "  cids: [c-4]\n";
    let times = ("2030-01-08T10:00:00+08:00", "2030-01-08T10:30:00+08:00");
    let found = pair(one, two, times.0, times.1);
    assert!(
        found[0]
            .diagnostic
            .message
            .contains("both send to cid `c-2`")
    );
    assert!(only(&pair(one, three, times.0, times.1), "GC070").is_empty());
    assert!(only(&pair(one, VIP, times.0, times.1), "GC070").is_empty());
}

#[test]
fn fatigue_reports_each_pair_once_with_its_count() {
    let daily = |time: &str| format!("  cron: \"{time} * * *\"\n  until: 2030-01-10\n");
    let yaml = campaign("morning", VIP, &daily("0 10")) + &campaign("noon", VIP, &daily("0 12"));
    let found = lint("", &yaml);
    let fatigue = only(&found, "GC070");
    assert_eq!(fatigue.len(), 1, "{:#?}", codes(&found));
    let message = &fatigue[0].diagnostic.message;
    assert!(
        message.contains("`morning` at 2030-01-07 10:00 +08:00, `noon` at 2030-01-07 12:00 +08:00"),
        "{message}"
    );
    assert!(message.contains("(4 close pairs of sends"), "{message}");
}

#[test]
fn fatigue_skips_sends_in_the_past() {
    let found = pair(
        VIP,
        VIP,
        "2030-01-06T10:00:00+08:00",
        "2030-01-06T11:00:00+08:00",
    );
    assert!(only(&found, "GC070").is_empty());
}

// --- quiet hours -----------------------------------------------------------------------

#[test]
fn quiet_hours_wrap_past_midnight() {
    for (time, quiet) in [
        ("2030-01-08T23:30:00+08:00", true),
        ("2030-01-09T07:59:00+08:00", true),
        ("2030-01-09T08:00:00+08:00", false),
        ("2030-01-08T21:59:00+08:00", false),
        ("2030-01-08T22:00:00+08:00", true),
    ] {
        let found = lint("", &campaign("night", VIP, &at(time)));
        assert_eq!(!only(&found, "GC071").is_empty(), quiet, "{time}");
    }
}

#[test]
fn quiet_hours_report_the_first_quiet_send_and_how_many() {
    let schedule = "  cron: \"30 23 * * *\"\n  until: 2030-01-09\n";
    let found = lint("", &campaign("late", VIP, schedule));
    let quiet = only(&found, "GC071");
    assert_eq!(quiet.len(), 1);
    assert_eq!(
        quiet[0].diagnostic.message,
        "campaign `late` sends inside quiet hours (22:00–08:00 in Asia/Shanghai): 3 of its 3 \
         sends, the first at 2030-01-07 23:30 +08:00"
    );
    let location = quiet[0].diagnostic.location.as_ref().unwrap();
    assert_eq!(location.span.line, 10);
}

#[test]
fn quiet_hours_follow_defaults_quiet_hours() {
    let settings = "defaults:\n  quiet_hours:\n    start: \"12:00\"\n    end: \"13:00\"\n";
    let yaml = campaign("lunch", VIP, &at("2030-01-08T12:30:00+08:00"));
    assert_eq!(only(&lint(settings, &yaml), "GC071").len(), 1);
    let yaml = campaign("late", VIP, &at("2030-01-08T23:30:00+08:00"));
    assert!(only(&lint(settings, &yaml), "GC071").is_empty());
}

#[test]
fn quiet_hours_use_a_regions_own_hours() {
    let settings = "lints:\n  quiet_hours:\n    regions:\n      浙江省:\n        start: \"21:00\"\n        end: \"09:00\"\n";
    let zhejiang = "  regions:\n    any: [浙江]\n";
    let shanghai = "  regions:\n    any: [上海]\n";
    let both = "  regions:\n    any: [上海, 浙江]\n";
    let time = at("2030-01-08T21:30:00+08:00");
    let found = lint(settings, &campaign("zj", zhejiang, &time));
    let quiet = only(&found, "GC071");
    assert!(
        quiet[0]
            .diagnostic
            .message
            .contains("(浙江: 21:00–09:00 Beijing time)"),
        "{}",
        quiet[0].diagnostic.message
    );
    assert!(only(&lint(settings, &campaign("sh", shanghai, &time)), "GC071").is_empty());
    assert_eq!(
        only(&lint(settings, &campaign("both", both, &time)), "GC071").len(),
        1
    );
}

#[test]
fn quiet_hours_judge_a_city_by_its_provinces_hours_and_a_city_excluded_leaves_its_province() {
    let time = at("2030-01-08T21:30:00+08:00");
    let settings = format!("{V2_SANDBOX}{ZHEJIANG_NIGHT}");
    let hangzhou = "  regions:\n    any: [杭州]\n";
    let found = lint(&settings, &campaign("hz", hangzhou, &time));
    let quiet = only(&found, "GC071");
    assert_eq!(quiet.len(), 1, "{:#?}", codes(&found));
    assert!(quiet[0].diagnostic.message.contains("(浙江: 21:00–09:00"));
    // Excluding 杭州 still reaches the rest of 浙江; excluding 浙江 does not.
    let not_hangzhou = "  regions:\n    none: [杭州市]\n";
    let found = lint(&settings, &campaign("nh", not_hangzhou, &time));
    assert_eq!(only(&found, "GC071").len(), 1, "{:#?}", codes(&found));
    let not_zhejiang = "  regions:\n    none: [浙江]\n";
    let found = lint(&settings, &campaign("nz", not_zhejiang, &time));
    assert!(only(&found, "GC071").is_empty(), "{:#?}", codes(&found));
}

const ZHEJIANG_NIGHT: &str = "lints:\n  quiet_hours:\n    regions:\n      浙江省:\n        start: \"21:00\"\n        end: \"09:00\"\n";

#[test]
fn quiet_hours_of_a_region_are_read_on_beijing_time() {
    // 10:00 in New York (-05:00) is 23:00 in Beijing, where 浙江's people are.
    let settings = format!("defaults:\n  timezone: America/New_York\n{ZHEJIANG_NIGHT}");
    let zhejiang = "  regions:\n    any: [浙江]\n";
    let time = at("2030-01-08T10:00:00-05:00");
    let found = lint(&settings, &campaign("ny", zhejiang, &time));
    let quiet = only(&found, "GC071");
    assert_eq!(quiet.len(), 1, "{:#?}", codes(&found));
    assert_eq!(
        quiet[0].diagnostic.message,
        "campaign `ny` sends inside quiet hours (浙江: 21:00–09:00 Beijing time): its only send \
         at 2030-01-08 10:00 -05:00 (2030-01-08 23:00 +08:00 Beijing time)"
    );
    // The defaults stay on the campaign's clock: 10:00 in New York is day for 上海.
    let shanghai = "  regions:\n    any: [上海]\n";
    let found = lint(&settings, &campaign("ny", shanghai, &time));
    assert!(only(&found, "GC071").is_empty(), "{:#?}", codes(&found));
}

#[test]
fn quiet_hours_judge_an_audience_without_required_regions_by_every_region_it_reaches() {
    let time = at("2030-01-08T21:30:00+08:00");
    for audience in [
        VIP,
        "  all_users: true\n",
        "  cids: [c-1]\n",
        "  regions:\n    none: [上海]\n",
    ] {
        let found = lint(ZHEJIANG_NIGHT, &campaign("wide", audience, &time));
        let quiet = only(&found, "GC071");
        assert_eq!(quiet.len(), 1, "{audience}: {:#?}", codes(&found));
        assert!(
            quiet[0]
                .diagnostic
                .message
                .contains("(浙江: 21:00–09:00 Beijing time)"),
            "{}",
            quiet[0].diagnostic.message
        );
    }
    // Both clocks at once: 23:00 is quiet by the defaults and in 浙江.
    let found = lint(
        ZHEJIANG_NIGHT,
        &campaign("wide", VIP, &at("2030-01-08T23:00:00+08:00")),
    );
    assert!(
        found[0]
            .diagnostic
            .message
            .contains("(22:00–08:00 in Asia/Shanghai, 浙江: 21:00–09:00 Beijing time)"),
        "{}",
        found[0].diagnostic.message
    );
    let not_zhejiang = "  regions:\n    none: [浙江省]\n";
    let found = lint(ZHEJIANG_NIGHT, &campaign("wide", not_zhejiang, &time));
    assert!(only(&found, "GC071").is_empty(), "{:#?}", codes(&found));
}

#[test]
fn quiet_hours_read_the_local_clock_across_a_dst_change() {
    // New York moves to daylight saving time on 2030-03-10 (-05:00 to -04:00); the sends
    // after it are still at 23:00 local, so all five are quiet.
    let schedule = "  cron: \"0 23 * * *\"\n  timezone: America/New_York\n  from: 2030-03-08\n  until: 2030-03-12\n";
    let settings = "defaults:\n  horizon: 70d\n";
    let found = lint(settings, &campaign("ny", VIP, schedule));
    let quiet = only(&found, "GC071");
    assert_eq!(
        quiet[0].diagnostic.message,
        "campaign `ny` sends inside quiet hours (22:00–08:00 in America/New_York): 5 of its 5 \
         sends, the first at 2030-03-08 23:00 -05:00"
    );
}

// --- SMS coverage ----------------------------------------------------------------------

fn sms_campaign(audience: &str) -> String {
    format!(
        "kind: Campaign\nname: sms\ntemplate:\n  type: notification\n  title: T\n  text: X\n  \
         sms:\n    template_id: \"1\"\n    delay: 1h\naudience:\n{audience}schedule:\n  at: \
         2030-01-08T10:00:00+08:00\n---\n"
    )
}

const BINDING: &str = "kind: PhoneBindings\nname: p\npairs:\n  - cid: c-1\n    pn_md5: ffd07e1a0527aaeadd164d4a149a6506\n---\n";

#[test]
fn sms_coverage_reports_cids_without_a_bound_number() {
    let found = lint("", &sms_campaign("  cids: [c-7, c-8]\n"));
    let sms = only(&found, "GC072");
    assert_eq!(
        sms[0].diagnostic.message,
        "campaign `sms` falls back to SMS, but none of the 2 cids of its audience has a phone \
         number in the workspace's PhoneBindings: the SMS would reach nobody"
    );
    let found = lint("", &(sms_campaign("  cids: [c-7, c-8]\n") + BINDING));
    assert_eq!(only(&found, "GC072").len(), 1);
    let found = lint("", &(sms_campaign("  cids: [c-1, c-8]\n") + BINDING));
    assert!(only(&found, "GC072").is_empty());
}

#[test]
fn sms_coverage_judges_a_filter_audience_by_the_workspace_bindings() {
    let found = lint("", &sms_campaign(VIP));
    assert!(
        only(&found, "GC072")[0]
            .diagnostic
            .message
            .contains("its audience is not a cid list, and the workspace's PhoneBindings bind no phone number at all")
    );
    assert!(only(&lint("", &(sms_campaign(VIP) + BINDING)), "GC072").is_empty());
}

#[test]
fn campaigns_without_sms_are_not_judged_for_coverage() {
    let found = lint(
        "",
        &campaign("plain", "  cids: [c-7]\n", &at("2030-01-08T10:00:00+08:00")),
    );
    assert!(only(&found, "GC072").is_empty());
}

// --- levels ----------------------------------------------------------------------------

#[test]
fn level_off_silences_and_level_error_fails() {
    let yaml = sms_campaign("  cids: [c-7]\n")
        + &campaign("late", VIP, &at("2030-01-08T23:00:00+08:00"))
        + &campaign("close", VIP, &at("2030-01-08T22:00:00+08:00"))
        + &campaign("morning", VIP, &at("2030-01-08T09:00:00+08:00"));
    let all = lint("", &yaml);
    let mut seen: Vec<&str> = all.iter().map(|f| f.diagnostic.code).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, ["GC070", "GC071", "GC072", "GC073", "GC074"]);
    assert!(all.iter().all(|f| !f.diagnostic.is_error()));
    let lints = [
        "fatigue",
        "quiet_hours",
        "sms_coverage",
        "vendor_quota",
        "vendor_hours",
    ];
    let every = |level: &str| {
        let each: Vec<String> = lints
            .iter()
            .map(|lint| format!("  {lint}:\n    level: {level}\n"))
            .collect();
        format!("lints:\n{}", each.concat())
    };
    assert!(lint(&every("off"), &yaml).is_empty());
    let error = every("error");
    let failing = lint(&error, &yaml);
    assert_eq!(failing.len(), all.len());
    assert!(failing.iter().all(|f| f.diagnostic.is_error()));
}

#[test]
fn unused_level_governs_unused_templates_and_audiences() {
    let unused = "kind: Audience\nname: spare\nall_users: true\n---\nkind: Template\nname: t\ntype: notification\ntitle: T\ntext: X\n";
    let check = |settings: &str| {
        let dir = tempfile::tempdir().unwrap();
        let gtcamp = format!("kind: Workspace\nname: t\napp_id: a\n{settings}");
        std::fs::write(dir.path().join("gtcamp.yaml"), gtcamp).unwrap();
        std::fs::write(dir.path().join("c.yaml"), unused).unwrap();
        let workspace = load_workspace(dir.path(), &Limits::default());
        check_workspace(&workspace, &CheckContext { now: now() })
            .into_iter()
            .filter(|d| matches!(d.code, "GC018" | "GC019"))
            .map(|d| (d.code, d.is_error()))
            .collect::<Vec<_>>()
    };
    assert_eq!(check(""), [("GC019", false), ("GC018", false)]);
    assert!(check("lints:\n  unused:\n    level: off\n").is_empty());
    assert_eq!(
        check("lints:\n  unused:\n    level: error\n"),
        [("GC019", true), ("GC018", true)]
    );
}

// --- vendor quota ----------------------------------------------------------------------

/// Xiaomi's entry of `vendors:` with a marketing channel id registered: without one, its
/// default channel shows one marketing push a day, which would be the strictest cap of
/// every test that is not about it.
const XM_REGISTERED: &str = "  xm:\n    marketing: {channel_id: \"105501\"}\n";

/// The settings of a workspace whose only vendor setting is [`XM_REGISTERED`].
fn xm_registered() -> String {
    format!("vendors:\n{XM_REGISTERED}")
}

/// A campaign like [`campaign`] whose template is `class: service`.
fn service_campaign(name: &str, audience: &str, schedule: &str) -> String {
    campaign(name, audience, schedule).replacen("  text: X\n", "  text: X\n  class: service\n", 1)
}

/// Three marketing campaigns to vip users on 2030-01-08 (China time), at 09:00, 12:00 and
/// 18:00, named by the hour.
fn three_to_vip() -> String {
    ["09", "12", "18"]
        .iter()
        .map(|hour| {
            campaign(
                &format!("at-{hour}"),
                VIP,
                &at(&format!("2030-01-08T{hour}:00:00+08:00")),
            )
        })
        .collect()
}

#[test]
fn vendor_quota_names_the_day_the_caps_and_the_dropped_pushes() {
    let found = lint(&xm_registered(), &three_to_vip());
    let quota = only(&found, "GC073");
    assert_eq!(quota.len(), 1, "{:#?}", codes(&found));
    let d = &quota[0].diagnostic;
    assert_eq!(
        d.message,
        "on 2030-01-08 (China time) 3 marketing pushes can reach one Android device, more than \
         the makers show: Huawei, Honor, OPPO and vivo (2 a day) drop `at-18` at 2030-01-08 \
         18:00 +08:00"
    );
    // Pointed at the push that goes over, with the earliest other campaign related.
    assert_eq!(quota[0].campaign, "at-18");
    assert_eq!(d.location.as_ref().unwrap().span.line, 34);
    let (related, label) = d.related.as_ref().unwrap();
    assert_eq!(
        (related.span.line, label.as_str()),
        (10, "`at-09` also sends marketing on 2030-01-08")
    );
    let help = d.help.as_deref().unwrap();
    assert!(help.contains("`class: service`") && help.contains("vendors.<code>.marketing_per_day"));
    assert!(help.contains("lints.vendor_quota.level: off"));
}

#[test]
fn vendor_quota_reports_a_week_over_vivos_cap_once() {
    // Only vivo's channel is used: the others are Getui's only.
    let settings = format!(
        "{V2_SANDBOX}vendors:\n  default_strategy: getui_only\n  vv:\n    strategy: vendor_first\n"
    );
    let daily =
        |time: &str| format!("  cron: \"{time} * * *\"\n  from: 2030-01-08\n  until: 2030-01-14\n");
    let yaml = campaign("morning", VIP, &daily("0 9"))
        + &campaign("noon", VIP, &daily("0 12"))
        + &campaign("evening", "  all_users: true\n", &daily("0 20"));
    let found = lint(&settings, &yaml);
    let quota = only(&found, "GC073");
    assert_eq!(quota.len(), 1, "{:#?}", codes(&found));
    assert_eq!(
        quota[0].diagnostic.message,
        "on 2030-01-08 (China time) 3 marketing pushes can reach one Android device, more than \
         the makers show: vivo (2 a day) drops `evening` at 2030-01-08 20:00 +08:00 (the same \
         campaigns again on 6 more days, the last 2030-01-14)"
    );
}

#[test]
fn vendor_quota_counts_xiaomis_default_channel_until_a_channel_id_is_registered() {
    let found = lint("", &three_to_vip());
    let quota = only(&found, "GC073");
    assert_eq!(quota.len(), 1, "{:#?}", codes(&found));
    assert!(
        quota[0].diagnostic.message.contains(
            "Xiaomi (1 a day) drops `at-12` at 2030-01-08 12:00 +08:00, `at-18` at 2030-01-08 18:00 +08:00; \
             Huawei, Honor, OPPO and vivo (2 a day) drop `at-18`"
        ),
        "{}",
        quota[0].diagnostic.message
    );
    let help = quota[0].diagnostic.help.as_deref().unwrap_or_default();
    assert!(
        help.starts_with("register a marketing channel with Xiaomi"),
        "{help}"
    );
    let found = lint(&xm_registered(), &three_to_vip());
    let help = only(&found, "GC073")[0]
        .diagnostic
        .help
        .clone()
        .unwrap_or_default();
    assert!(help.starts_with("mark messages"), "{help}");
}

#[test]
fn vendor_quota_ignores_service_pushes() {
    let yaml = campaign("a", VIP, &at("2030-01-08T09:00:00+08:00"))
        + &campaign("b", VIP, &at("2030-01-08T12:00:00+08:00"))
        + &service_campaign("order", VIP, &at("2030-01-08T18:00:00+08:00"));
    let found = lint(&xm_registered(), &yaml);
    assert!(only(&found, "GC073").is_empty(), "{:#?}", codes(&found));
    // The workspace's default class counts too.
    let found = lint("defaults:\n  class: service\n", &three_to_vip());
    assert!(only(&found, "GC073").is_empty(), "{:#?}", codes(&found));
}

#[test]
fn vendor_quota_leaves_out_a_vendor_whose_strategy_is_getui_only() {
    let getui_only = |codes: &[&str]| {
        let each: Vec<String> = codes
            .iter()
            .map(|code| format!("  {code}:\n    strategy: getui_only\n"))
            .collect();
        format!("{V2_SANDBOX}vendors:\n{XM_REGISTERED}{}", each.concat())
    };
    let found = lint(&getui_only(&["hw", "ho", "op"]), &three_to_vip());
    let quota = only(&found, "GC073");
    assert_eq!(quota.len(), 1);
    assert!(
        quota[0]
            .diagnostic
            .message
            .contains("show: vivo (2 a day) drops `at-18`")
    );
    // Xiaomi's cap of 5 is all that is left.
    let found = lint(&getui_only(&["hw", "ho", "op", "vv"]), &three_to_vip());
    assert!(only(&found, "GC073").is_empty(), "{:#?}", codes(&found));
}

#[test]
fn vendor_quota_reads_news_apps_and_overrides() {
    let news = "vendors:\n  hw:\n    news_app: true\n  ho:\n    news_app: true\n  op:\n    news_app: true\n";
    let found = lint(&format!("{news}{XM_REGISTERED}"), &three_to_vip());
    let quota = only(&found, "GC073");
    assert!(
        quota[0]
            .diagnostic
            .message
            .contains("show: vivo (2 a day) drops")
    );
    let all_news = format!("{news}  vv:\n    news_app: true\n");
    let registered = format!("{all_news}{XM_REGISTERED}");
    assert!(only(&lint(&registered, &three_to_vip()), "GC073").is_empty());
    // An agreed number replaces the published one, news app or not.
    let agreed = format!("{registered}    marketing_per_day: 1\n");
    let found = lint(&agreed, &three_to_vip());
    let quota = only(&found, "GC073");
    assert_eq!(quota.len(), 1);
    assert!(
        quota[0].diagnostic.message.contains(
            "Xiaomi (1 a day) drops `at-12` at 2030-01-08 12:00 +08:00, `at-18` at 2030-01-08 18:00 +08:00"
        ),
        "{}",
        quota[0].diagnostic.message
    );
}

#[test]
fn vendor_quota_does_not_add_up_audiences_that_cannot_overlap() {
    let not_vip = "  tags:\n    none: [vip]\n";
    let ios = "  phone_types:\n    any: [ios]\n";
    let yaml = campaign("a", VIP, &at("2030-01-08T09:00:00+08:00"))
        + &campaign("b", VIP, &at("2030-01-08T12:00:00+08:00"))
        + &campaign("c", not_vip, &at("2030-01-08T13:00:00+08:00"))
        + &campaign("d", not_vip, &at("2030-01-08T15:00:00+08:00"))
        + &campaign("e", ios, &at("2030-01-08T18:00:00+08:00"));
    let found = lint(&xm_registered(), &yaml);
    assert!(only(&found, "GC073").is_empty(), "{:#?}", codes(&found));
}

#[test]
fn vendor_quota_counts_days_in_china_time() {
    // 10:00 and 11:00 in New York on 2030-01-07 are 23:00 on the 7th and 00:00 on the 8th in
    // China: two days, one push each, with a third on the 8th.
    let ny = |time: &str| format!("  cron: \"{time} 7 1 *\"\n  timezone: America/New_York\n");
    let yaml = campaign("ny-10", VIP, &ny("0 10"))
        + &campaign("ny-11", VIP, &ny("0 11"))
        + &campaign("cn", VIP, &at("2030-01-08T09:00:00+08:00"));
    assert!(only(&lint(&xm_registered(), &yaml), "GC073").is_empty());
    let yaml = yaml + &campaign("cn-2", VIP, &at("2030-01-08T12:00:00+08:00"));
    let found = lint(&xm_registered(), &yaml);
    let quota = only(&found, "GC073");
    assert_eq!(quota.len(), 1, "{:#?}", codes(&found));
    assert!(
        quota[0]
            .diagnostic
            .message
            .starts_with("on 2030-01-08 (China time) 3 marketing"),
        "{}",
        quota[0].diagnostic.message
    );
}

/// Ten thousand marketing campaigns sending daily for a fortnight from 2030-01-08, spread
/// over ten hours; campaign `n` sends to `audiences[audience_of(n)]`.
fn ten_thousand_daily(audiences: &[Audience], audience_of: fn(usize) -> usize) -> Vec<Subject<'_>> {
    let start = DateTime::parse_from_rfc3339("2030-01-08T01:00:00Z").unwrap();
    (0..10_000)
        .map(|n| Subject {
            name: "c",
            audience: audiences.get(audience_of(n)),
            audience_id: audience_of(n),
            has_sms: false,
            marketing: true,
            sends: (0..14)
                .map(|day| {
                    let minutes = i64::try_from(n % 600).unwrap();
                    let at = start
                        .checked_add_signed(
                            chrono::Duration::days(day) + chrono::Duration::minutes(minutes),
                        )
                        .unwrap();
                    at.with_timezone(&chrono_tz::Asia::Shanghai)
                })
                .collect(),
            schedule: Location {
                file: "c.yaml".into(),
                span: Default::default(),
            },
        })
        .collect()
}

fn tags(any: Vec<String>, none: Vec<String>) -> Audience {
    Audience {
        tags: Some(crate::model::Selector {
            any,
            all: vec![],
            none,
        }),
        ..Audience::default()
    }
}

#[test]
fn vendor_quota_counts_ten_thousand_campaigns_of_a_few_hundred_audiences_quickly() {
    let audiences: Vec<Audience> = (0..300)
        .map(|n| tags(vec![format!("t{}", n % 40)], vec![]))
        .collect();
    let subjects = ten_thousand_daily(&audiences, |n| n % 300);
    let started = std::time::Instant::now();
    let days = vendor_quota::days(&subjects);
    assert_eq!(days.len(), 14);
    // The campaigns of one tag overlap each other and no other tag's: the busiest tag's.
    let of_tag = |tag: usize| (0..10_000).filter(|n| n % 300 % 40 == tag).count();
    let busiest = (0..40).map(of_tag).max();
    assert!(days.iter().all(|d| Some(d.pushes) == busiest), "{days:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn vendor_quota_judges_ten_thousand_distinct_audiences_on_the_heaviest_quickly() {
    // All broad, so all overlap: each day is judged on its heaviest groups only (the
    // module's bound).
    let audiences: Vec<Audience> = (0..10_000)
        .map(|n| tags(vec![], vec![format!("x{n}")]))
        .collect();
    let subjects = ten_thousand_daily(&audiences, |n| n);
    let started = std::time::Instant::now();
    let days = vendor_quota::days(&subjects);
    assert!(days.iter().all(|d| d.pushes == 256), "{days:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

// --- vendor hours ----------------------------------------------------------------------

#[test]
fn vendor_hours_says_vivo_drops_a_push_at_2330() {
    let found = lint("", &campaign("late", VIP, &at("2030-01-08T23:30:00+08:00")));
    let hours = only(&found, "GC074");
    assert_eq!(hours.len(), 1, "{:#?}", codes(&found));
    let d = &hours[0].diagnostic;
    assert_eq!(
        d.message,
        "campaign `late` sends marketing outside phone makers' marketing hours (China time): its \
         only send at 2030-01-08 23:30 +08:00; vivo drops it (marketing only 07:00-23:00)"
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("lints.vendor_hours.level: off")
    );
    assert_eq!(d.location.as_ref().unwrap().span.line, 10);
}

#[test]
fn vendor_hours_says_huawei_holds_a_push_at_0100_and_not_at_0600() {
    let found = lint(
        "",
        &campaign("night", VIP, &at("2030-01-09T01:00:00+08:00")),
    );
    assert!(
        only(&found, "GC074")[0].diagnostic.message.ends_with(
            "; Huawei and Honor hold it until 06:00; vivo drops it (marketing only 07:00-23:00)"
        ),
        "{:#?}",
        found
    );
    let found = lint("", &campaign("dawn", VIP, &at("2030-01-09T06:00:00+08:00")));
    assert!(
        only(&found, "GC074")[0]
            .diagnostic
            .message
            .ends_with("06:00 +08:00; vivo drops it (marketing only 07:00-23:00)")
    );
    let found = lint("", &campaign("day", VIP, &at("2030-01-09T07:00:00+08:00")));
    assert!(only(&found, "GC074").is_empty());
}

#[test]
fn vendor_hours_reads_a_campaign_in_another_zone_on_china_time() {
    // 10:30 in New York in January is 23:30 in China.
    let schedule = "  cron: \"30 10 8 1 *\"\n  timezone: America/New_York\n";
    let found = lint("", &campaign("ny", VIP, schedule));
    let hours = only(&found, "GC074");
    assert_eq!(hours.len(), 1, "{:#?}", codes(&found));
    assert!(
        hours[0].diagnostic.message.contains(
            "its only send at 2030-01-08 10:30 -05:00 (2030-01-08 23:30 +08:00 China time); vivo drops it"
        ),
        "{}",
        hours[0].diagnostic.message
    );
}

#[test]
fn vendor_hours_skip_service_ios_getui_only_and_follow_overrides() {
    let late = at("2030-01-08T23:30:00+08:00");
    let ios = "  phone_types:\n    any: [ios]\n";
    let yaml = service_campaign("order", VIP, &late) + &campaign("apple", ios, &late);
    assert!(only(&lint("", &yaml), "GC074").is_empty());
    let no_vivo = format!("{V2_SANDBOX}vendors:\n  vv:\n    strategy: getui_only\n");
    let yaml = campaign("late", VIP, &late);
    assert!(only(&lint(&no_vivo, &yaml), "GC074").is_empty());
    let later =
        "vendors:\n  vv:\n    marketing_hours:\n      start: \"07:00\"\n      end: \"00:00\"\n";
    assert!(only(&lint(later, &yaml), "GC074").is_empty());
}

#[test]
fn the_strictest_cap_is_the_smallest_among_the_makers_whose_channel_is_used() {
    use crate::model::{ChannelOnly, Huawei, Strategy, Vendor, Vendors, Xiaomi};
    // Xiaomi's default channel, with no channel id registered: one a day.
    let unregistered = strictest_cap(&Vendors::default()).unwrap();
    assert_eq!(
        (unregistered.per_day, unregistered.vendors),
        (1, vec![Vendor::Xm])
    );
    let registered = Vendors {
        xm: Some(Xiaomi {
            marketing: Some(ChannelOnly {
                channel_id: Some("105501".to_owned()),
            }),
            ..Xiaomi::default()
        }),
        ..Vendors::default()
    };
    let published = strictest_cap(&registered).unwrap();
    assert_eq!(published.per_day, 2);
    assert_eq!(
        published.vendors,
        [Vendor::Hw, Vendor::Ho, Vendor::Op, Vendor::Vv]
    );
    let huawei_agreed = Vendors {
        hw: Some(Huawei {
            marketing_per_day: Some(1),
            ..Huawei::default()
        }),
        ..registered
    };
    let cap = strictest_cap(&huawei_agreed).unwrap();
    assert_eq!((cap.per_day, cap.vendors), (1, vec![Vendor::Hw]));
    let getui_only = Vendors {
        default_strategy: Some(Strategy::GetuiOnly),
        ..Vendors::default()
    };
    assert_eq!(strictest_cap(&getui_only), None);
}
