//! Names, duplicates, references and the Workspace document.

use crate::{CLEAN_CAMPAIGN, WORKSPACE, assert_clean, assert_has, assert_only, check};

const TEMPLATE: &str =
    "kind: Template\nname: spring-banner\ntype: notification\ntitle: Hi\ntext: Hello\n";
const AUDIENCE: &str = "kind: Audience\nname: everyone\nall_users: true\n";
const CAMPAIGN: &str = "kind: Campaign
name: spring-sale
template: spring-banner
audience: everyone
schedule:
  at: 2026-12-01T10:00:00+08:00
";

#[test]
fn validate_accepts_a_campaign_whose_references_resolve() {
    assert_clean(&check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("templates.yaml", TEMPLATE),
        ("audiences.yaml", AUDIENCE),
        ("campaigns/spring.yaml", CAMPAIGN),
    ]));
}

#[test]
fn validate_reports_unknown_template_and_suggests_the_close_one() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("templates.yaml", TEMPLATE),
        ("audiences.yaml", AUDIENCE),
        (
            "spring.yaml",
            &CAMPAIGN.replace("template: spring-banner", "template: sprng-banner"),
        ),
    ]);
    let d = assert_has(&found, "GC016", "spring.yaml", 3, 11);
    assert!(
        d.help.contains("did you mean `spring-banner`"),
        "{}",
        d.help
    );
    // The real template is then unused.
    assert_has(&found, "GC018", "templates.yaml", 2, 7);
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn validate_reports_unknown_audience() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("templates.yaml", TEMPLATE),
        (
            "spring.yaml",
            &CAMPAIGN.replace("audience: everyone", "audience: vips"),
        ),
    ]);
    assert_only(&found, "GC017", "spring.yaml", 4, 11);
}

#[test]
fn validate_warns_about_an_unused_audience() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("a.yaml", AUDIENCE),
        ("c.yaml", CLEAN_CAMPAIGN),
    ]);
    assert_only(&found, "GC019", "a.yaml", 2, 7);
}

#[test]
fn validate_reports_a_document_without_name() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &CLEAN_CAMPAIGN.replace("name: c\n", "")),
    ]);
    assert_only(&found, "GC011", "c.yaml", 1, 1);
}

#[test]
fn validate_reports_a_name_with_uppercase_or_underscore() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("name: c\n", "name: Spring_Sale\n"),
        ),
    ]);
    let d = assert_only(&found, "GC012", "c.yaml", 2, 7);
    assert!(d.message.contains("`S`"), "{}", d.message);
}

#[test]
fn validate_reports_a_name_longer_than_40_characters() {
    let name = "a".repeat(41);
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("name: c\n", &format!("name: {name}\n")),
        ),
    ]);
    assert_only(&found, "GC012", "c.yaml", 2, 7);
    let name = "a".repeat(40);
    assert_clean(&check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("name: c\n", &format!("name: {name}\n")),
        ),
    ]));
}

#[test]
fn validate_reports_duplicate_names_pointing_at_both() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("a.yaml", CLEAN_CAMPAIGN),
        ("b.yaml", CLEAN_CAMPAIGN),
    ]);
    let d = assert_only(&found, "GC013", "b.yaml", 2, 7);
    assert!(d.message.contains("`c`"), "{}", d.message);
    let dir = crate::workspace(&[
        ("gtcamp.yaml", WORKSPACE),
        ("a.yaml", CLEAN_CAMPAIGN),
        ("b.yaml", CLEAN_CAMPAIGN),
    ]);
    let loaded = gtcamp::load::load_workspace(dir.path(), &gtcamp::load::Limits::default());
    let all =
        gtcamp::check::check_workspace(&loaded, &gtcamp::check::CheckContext { now: crate::now() });
    let all: Vec<_> = all.into_iter().filter(|d| d.code != "GC090").collect();
    let (first, _) = all[0].related.clone().expect("points at the first one");
    assert!(
        first.file.ends_with("a.yaml") && first.span.line == 2,
        "{first:?}"
    );
}

#[test]
fn validate_allows_the_same_name_in_different_kinds() {
    let template = TEMPLATE.replace("spring-banner", "spring-sale");
    let campaign = CAMPAIGN.replace("template: spring-banner", "template: spring-sale");
    assert_clean(&check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("t.yaml", &template),
        ("a.yaml", AUDIENCE),
        ("c.yaml", &campaign),
    ]));
}

#[test]
fn validate_reports_a_missing_workspace_document_naming_gtcamp_yaml() {
    let found = check(&[("c.yaml", CLEAN_CAMPAIGN)]);
    let d = assert_only(&found, "GC014", "", 0, 0);
    assert!(d.help.contains("gtcamp.yaml"), "{}", d.help);
}

#[test]
fn validate_reports_a_second_workspace_document() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("more/gtcamp.yaml", WORKSPACE),
        ("c.yaml", CLEAN_CAMPAIGN),
    ]);
    assert_only(&found, "GC015", "more/gtcamp.yaml", 1, 1);
}

#[test]
fn validate_reports_a_broken_template_once_not_again_on_its_campaign() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "templates.yaml",
            &TEMPLATE.replace("title: Hi", "titel: Hi"),
        ),
        ("audiences.yaml", AUDIENCE),
        ("spring.yaml", CAMPAIGN),
    ]);
    assert_only(&found, "GC006", "templates.yaml", 4, 1);
}

#[test]
fn validate_does_not_call_a_template_unused_when_its_campaign_is_broken() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("templates.yaml", TEMPLATE),
        ("audiences.yaml", AUDIENCE),
        ("spring.yaml", &format!("{CAMPAIGN}colour: red\n")),
    ]);
    assert_only(&found, "GC006", "spring.yaml", 7, 1);
}
