//! Audience rules and personal data (phone numbers, their hashes, the CSV).

use crate::{
    CLEAN_CAMPAIGN, WORKSPACE, assert_clean, assert_has, assert_only, audience_case, check, now,
    workspace, write,
};

/// Workspace settings whose every target speaks REST API V2, where cities can go.
const V2_ONLY: &str = "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
    protocol: v2
  prod:
    type: getui-v2
";

/// Workspace settings with a V2 sandbox and a legacy production target.
const LEGACY_PROD: &str = "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
    protocol: v2
  prod:
    type: getui
    endpoint: https://api.getui.com/apiex.htm
";

/// The audience `a` (with `body`) and the clean campaign that uses it, on `settings`.
fn audience_on(settings: &str, body: &str) -> Vec<crate::Found> {
    let audience = format!("kind: Audience\nname: a\n{body}");
    check(&[
        ("gtcamp.yaml", settings),
        ("a.yaml", &audience),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("audience:\n  all_users: true\n", "audience: a\n"),
        ),
    ])
}

#[test]
fn validate_accepts_filters_with_known_values() {
    assert_clean(&audience_case(
        "phone_types:\n  any: [android, ios]\nregions:\n  any: [浙江, 上海市, 广西壮族自治区, 香港特别行政区]\n  none: [内蒙古自治区]\ntags:\n  all: [vip]\n",
    ));
}

#[test]
fn validate_reports_an_unknown_phone_type_and_suggests_the_spelling() {
    let found = audience_case("phone_types:\n  any: [android, Android]\n");
    let d = assert_only(&found, "GC043", "a.yaml", 4, 18);
    assert!(d.help.contains("did you mean `android`"), "{}", d.help);
}

#[test]
fn validate_accepts_prefecture_level_cities_where_every_target_speaks_v2() {
    assert_clean(&audience_on(
        V2_ONLY,
        "regions:\n  any: [深圳, 广州市, 延边朝鲜族自治州, 吉林市, 阿拉善盟]\n  none: [大兴安岭地区]\n",
    ));
}

#[test]
fn validate_reports_a_misspelled_region_and_offers_the_names_it_may_mean() {
    let found = audience_on(V2_ONLY, "regions:\n  any:\n    - 广东\n    - 广洲\n");
    let d = assert_only(&found, "GC044", "a.yaml", 6, 7);
    assert!(d.message.contains("`广洲`"), "{}", d.message);
    assert!(d.help.contains("did you mean `广东`, `广州`"), "{}", d.help);
}

#[test]
fn validate_refuses_a_city_on_a_legacy_target_and_names_the_target() {
    let found = audience_on(LEGACY_PROD, "regions:\n  any:\n    - 广东\n    - 深圳\n");
    let d = assert_only(&found, "GC049", "a.yaml", 6, 7);
    assert!(d.message.contains("`深圳`"), "{}", d.message);
    assert!(d.message.contains("target `prod`"), "{}", d.message);
    assert!(d.message.contains("REST API V2"), "{}", d.message);
    assert!(d.help.contains("`getui-v2`"), "{}", d.help);
    assert!(d.help.contains("`广东`"), "{}", d.help);
}

#[test]
fn validate_refuses_a_city_on_the_legacy_sandbox_commands_use_by_default() {
    // `WORKSPACE`'s sandbox speaks the legacy protocol; so does the implicit one.
    let found = audience_case("regions:\n  none: [杭州]\n");
    let d = assert_only(&found, "GC049", "a.yaml", 4, 10);
    assert!(d.message.contains("target `sandbox`"), "{}", d.message);
    let implicit = "kind: Workspace\nname: demo\napp_id: demo\n";
    let found = audience_on(implicit, "regions:\n  any: [杭州市]\n");
    assert_only(&found, "GC049", "a.yaml", 4, 9);
}

#[test]
fn plan_on_a_v2_target_accepts_the_city_a_legacy_target_refuses() {
    use gtcamp::check::{CheckContext, TargetScope, check_workspace_for};
    use gtcamp::load::{Limits, load_workspace};
    let dir = workspace(&[
        ("gtcamp.yaml", LEGACY_PROD),
        (
            "a.yaml",
            "kind: Audience\nname: a\nregions:\n  any: [深圳]\n",
        ),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("audience:\n  all_users: true\n", "audience: a\n"),
        ),
    ]);
    let loaded = load_workspace(dir.path(), &Limits::default());
    let codes = |target| {
        let context = CheckContext { now: now() };
        check_workspace_for(&loaded, &context, TargetScope::Named(target))
            .iter()
            .map(|d| d.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(codes("sandbox"), Vec::<&str>::new());
    assert_eq!(codes("prod"), ["GC049"]);
}

#[test]
fn validate_draws_the_legacy_refusal_of_a_city() {
    let dir = workspace(&[
        (
            "gtcamp.yaml",
            &format!("{LEGACY_PROD}defaults:\n  class: marketing\n"),
        ),
        (
            "a.yaml",
            "kind: Audience\nname: a\nregions:\n  any: [深圳]\n",
        ),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("audience:\n  all_users: true\n", "audience: a\n"),
        ),
    ]);
    let output = assert_cmd::Command::cargo_bin("gtcamp")
        .expect("gtcamp binary")
        .current_dir(dir.path())
        .arg("validate")
        .env("NO_COLOR", "1")
        .env("GTCAMP_NOW", now().to_rfc3339())
        .output()
        .expect("gtcamp runs");
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
}

#[test]
fn validate_accepts_aliases_of_letters_digits_underscore_and_cjk() {
    let long_ok = "用".repeat(13);
    assert_clean(&audience_case(&format!(
        "aliases: [user_1, 张三, {long_ok}]\n"
    )));
}

#[test]
fn validate_reports_an_alias_with_a_dash() {
    let found = audience_case("aliases:\n  - user_1\n  - user-2\n");
    assert_only(&found, "GC040", "a.yaml", 5, 5);
}

#[test]
fn validate_reports_an_alias_over_40_bytes() {
    let found = audience_case(&format!("aliases:\n  - {}\n", "用".repeat(14)));
    let d = assert_only(&found, "GC040", "a.yaml", 4, 5);
    assert!(d.message.contains("42 bytes"), "{}", d.message);
}

#[test]
fn validate_reports_an_audience_that_mixes_filters_and_aliases() {
    let found = audience_case("tags:\n  any: [vip]\naliases: [user_1]\n");
    let d = assert_only(&found, "GC041", "a.yaml", 1, 1);
    assert!(d.message.contains("aliases"), "{}", d.message);
}

#[test]
fn validate_reports_an_empty_audience_and_says_how_to_mean_everyone() {
    let found = audience_case("description: nobody yet\n");
    let d = assert_only(&found, "GC042", "a.yaml", 1, 1);
    assert!(d.help.contains("all_users: true"), "{}", d.help);
}

#[test]
fn validate_reports_an_empty_inline_audience_at_its_key() {
    let campaign = CLEAN_CAMPAIGN.replace(
        "audience:\n  all_users: true\n",
        "audience:\n  tags:\n    any: []\n",
    );
    let found = check(&[("gtcamp.yaml", WORKSPACE), ("c.yaml", &campaign)]);
    assert_only(&found, "GC042", "c.yaml", 7, 1);
}

const BINDINGS: &str = "kind: PhoneBindings\nname: p\n";

#[test]
fn validate_accepts_md5_pairs() {
    let body =
        format!("{BINDINGS}pairs:\n  - cid: c1\n    pn_md5: ffd07e1a0527aaeadd164d4a149a6506\n");
    assert_clean(&check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("p.yaml", &body),
    ]));
}

#[test]
fn validate_reports_a_pn_md5_that_is_not_lowercase_hex() {
    let body = format!(
        "{BINDINGS}pairs:\n  - cid: c1\n    pn_md5: ffd07e1a0527aaeadd164d4a149a6506\n  - cid: c2\n    pn_md5: FFD07E1A0527AAEADD164D4A149A6506\n"
    );
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("p.yaml", &body),
    ]);
    let d = assert_only(&found, "GC045", "p.yaml", 7, 13);
    assert!(d.message.contains("pairs[1]"), "{}", d.message);
}

#[test]
fn validate_reports_a_clear_phone_number_anywhere_in_yaml() {
    let campaign =
        CLEAN_CAMPAIGN.replace("name: c\n", "name: c\ndescription: ask 13812345678 first\n");
    let found = check(&[("gtcamp.yaml", WORKSPACE), ("c.yaml", &campaign)]);
    let d = assert_only(&found, "GC047", "c.yaml", 3, 14);
    assert!(!d.message.contains("13812345678") && !d.help.contains("13812345678"));
}

#[test]
fn validate_reports_a_clear_phone_number_given_as_pn_md5() {
    let body = format!("{BINDINGS}pairs:\n  - cid: c1\n    pn_md5: \"+8613812345678\"\n");
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("p.yaml", &body),
    ]);
    assert_has(&found, "GC045", "p.yaml", 5, 13);
    assert_has(&found, "GC047", "p.yaml", 5, 13);
}

fn csv_case(csv: &str) -> Vec<crate::Found> {
    let dir = crate::workspace(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", CLEAN_CAMPAIGN),
        (
            "bindings/p.yaml",
            &format!("{BINDINGS}source: ../private/phones.csv\n"),
        ),
    ]);
    write(dir.path(), "private/phones.csv", csv.as_bytes());
    crate::check_dir(dir.path())
}

#[test]
fn validate_accepts_a_phone_csv_with_or_without_header() {
    assert_clean(&csv_case("cid,phone\nc1,13800138000\nc2,+8613900139000\n"));
    assert_clean(&csv_case("c1,13800138000\nc2,8619900139000\n"));
}

#[test]
fn validate_reports_an_invalid_phone_in_the_csv_by_row_and_masked() {
    let found = csv_case("cid,phone\nc1,13800138000\nc2,12800138001\n");
    let d = assert_only(&found, "GC046", "private/phones.csv", 3, 1);
    assert!(
        d.message.contains("row 3") && d.message.contains("128****8001"),
        "{}",
        d.message
    );
    assert!(!d.message.contains("12800138001"));
}

#[test]
fn validate_reports_a_csv_row_without_two_fields() {
    let found = csv_case("c1,13800138000\nc2\n");
    assert_only(&found, "GC010", "private/phones.csv", 2, 1);
}

#[test]
fn validate_reports_a_missing_phone_csv_at_the_source_field() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("p.yaml", &format!("{BINDINGS}source: nowhere.csv\n")),
    ]);
    assert_only(&found, "GC010", "p.yaml", 3, 9);
}
