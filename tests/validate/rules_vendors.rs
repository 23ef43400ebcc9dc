//! Message classes and vendor channels (GC090–GC095, GC062 on marketing hours; issue 24): the once-per-workspace class
//! nudge, vendor notifications, and what the legacy protocol cannot carry.

use crate::{CLEAN_CAMPAIGN, WORKSPACE, assert_clean, assert_only, check, check_all};

/// A workspace whose only target is a REST API V2 sandbox (lines 1–7).
const V2_ONLY: &str = "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
    protocol: v2
";

/// The diagnostics of a template `t.yaml` on `settings`, but for GC018 (no campaign uses it).
fn template_case(settings: &str, template: &str) -> Vec<crate::Found> {
    check(&[
        ("gtcamp.yaml", settings),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("t.yaml", template),
    ])
    .into_iter()
    .filter(|f| f.code != "GC018")
    .collect()
}

#[test]
fn validate_warns_once_per_workspace_when_no_class_is_given() {
    let found = check_all(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", CLEAN_CAMPAIGN),
        (
            "t.yaml",
            "kind: Template\nname: a\ntype: notification\ntitle: Hi\ntext: Hello\n---\nkind: Template\nname: b\ntype: notification\ntitle: Hi\ntext: Hello\n",
        ),
    ]);
    let found: Vec<_> = found.into_iter().filter(|f| f.code != "GC018").collect();
    let d = assert_only(&found, "GC090", "t.yaml", 3, 1);
    assert!(
        d.message.contains("3 templates set no message class"),
        "{d:?}"
    );
    assert!(d.help.contains("defaults: {class: marketing}"), "{d:?}");
}

#[test]
fn validate_is_quiet_about_classes_once_the_workspace_has_a_default() {
    let settings = format!("{WORKSPACE}defaults:\n  class: marketing\n");
    let found = check_all(&[("gtcamp.yaml", &settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    assert_clean(&found);
}

#[test]
fn validate_is_quiet_about_classes_when_every_template_has_one() {
    let campaign = CLEAN_CAMPAIGN.replace(
        "  type: notification\n",
        "  type: notification\n  class: marketing\n",
    );
    assert_clean(&check_all(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign),
    ]));
}

#[test]
fn validate_refuses_an_unknown_vendor_with_its_place() {
    let settings = format!("{V2_ONLY}vendors:\n  samsung:\n    strategy: vendor_only\n");
    let found = check(&[("gtcamp.yaml", &settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    assert_only(&found, "GC006", "gtcamp.yaml", 10, 3);
}

#[test]
fn validate_refuses_a_key_a_vendor_does_not_read() {
    let settings = format!("{V2_ONLY}vendors:\n  op:\n    marketing:\n      category: MARKETING\n");
    let found = check(&[("gtcamp.yaml", &settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    assert_only(&found, "GC006", "gtcamp.yaml", 12, 7);
}

#[test]
fn validate_accepts_full_vendor_settings_on_a_v2_target() {
    let settings = format!(
        "{V2_ONLY}vendors:\n  default_strategy: getui_when_online\n  hw:\n    strategy: vendor_first\n    news_app: true\n    marketing: {{category: MARKETING}}\n    service: {{category: EXPRESS, channel_id: orders}}\n  ho: {{news_app: true}}\n  xm:\n    service: {{channel_id: \"12345\"}}\n  op:\n    service: {{channel_id: orders}}\n  vv:\n    service: {{category: ORDER}}\n  mz: {{strategy: getui_only}}\n"
    );
    assert_clean(&check(&[
        ("gtcamp.yaml", &settings),
        ("c.yaml", CLEAN_CAMPAIGN),
    ]));
}

#[test]
fn validate_refuses_a_vendor_tap_that_is_two_things() {
    let template = "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\nandroid:\n  click:\n    open_app: true\n    url: https://e.com\n";
    let d = assert_only(&template_case(V2_ONLY, template), "GC091", "t.yaml", 7, 3);
    assert!(d.message.contains("open_app and url"), "{d:?}");
}

#[test]
fn validate_refuses_a_malformed_vendor_intent() {
    let template = "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\nandroid:\n  click:\n    intent: com.example/.Main\n";
    assert_only(&template_case(V2_ONLY, template), "GC091", "t.yaml", 8, 13);
}

#[test]
fn validate_refuses_a_vendor_url_that_is_not_http() {
    let template = "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\nandroid:\n  click:\n    url: ftp://e.com\n";
    assert_only(&template_case(V2_ONLY, template), "GC091", "t.yaml", 8, 10);
}

#[test]
fn validate_refuses_a_transmission_vendor_notification_without_text() {
    let template = "kind: Template\nname: t\ntype: transmission\ntransmission:\n  content: x\nandroid:\n  title: Hi\n";
    let d = assert_only(&template_case(V2_ONLY, template), "GC092", "t.yaml", 6, 1);
    assert!(d.message.contains("has no text"), "{d:?}");
}

#[test]
fn validate_refuses_a_service_harmony_notification_without_category() {
    let template = "kind: Template\nname: t\nclass: service\ntype: notification\ntitle: Hi\ntext: Hello\nharmony:\n  title: Hi\n";
    assert_only(&template_case(V2_ONLY, template), "GC093", "t.yaml", 7, 1);
}

#[test]
fn validate_refuses_on_legacy_a_harmony_notification_naming_the_target() {
    let template = "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\nharmony:\n  title: Hi\n";
    let d = assert_only(&template_case(WORKSPACE, template), "GC094", "t.yaml", 6, 1);
    assert!(d.message.contains("target `sandbox` speaks it"), "{d:?}");
}

#[test]
fn validate_refuses_on_legacy_a_vendor_notification_of_a_notification_template() {
    let template = "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\nandroid:\n  title: Sale\n";
    let d = assert_only(&template_case(WORKSPACE, template), "GC094", "t.yaml", 6, 1);
    assert!(
        d.message.contains("only on transmission templates"),
        "{d:?}"
    );
}

#[test]
fn validate_accepts_on_legacy_a_vendor_notification_of_a_transmission_template() {
    let template = "kind: Template\nname: t\ntype: transmission\ntransmission:\n  content: x\nandroid:\n  title: Hi\n  text: Hello\n";
    assert_clean(&template_case(WORKSPACE, template));
}

#[test]
fn validate_refuses_on_legacy_a_channel_strategy() {
    let settings = format!("{WORKSPACE}vendors:\n  xm:\n    strategy: vendor_only\n");
    let found = check(&[("gtcamp.yaml", &settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    let d = assert_only(&found, "GC094", "gtcamp.yaml", 12, 5);
    assert!(d.message.contains("`vendors.xm.strategy`"), "{d:?}");
}

#[test]
fn validate_refuses_a_vendor_notification_text_over_256_characters() {
    let text = "长".repeat(257);
    let template = format!(
        "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\nandroid:\n  text: {text}\n"
    );
    assert_only(&template_case(V2_ONLY, &template), "GC020", "t.yaml", 7, 9);
}

#[test]
fn validate_warns_on_legacy_that_a_service_notification_reaches_the_makers_as_marketing() {
    let template =
        "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\nclass: service\n";
    let d = assert_only(&template_case(WORKSPACE, template), "GC095", "t.yaml", 6, 8);
    assert!(
        d.message.contains("through Getui's own channel only"),
        "{d:?}"
    );
    assert!(d.message.contains("target `sandbox` speaks it"), "{d:?}");
    // On REST V2 the class travels; a transmission with a vendor notification carries it on
    // legacy too; a marketing notification has nothing to lose.
    assert_clean(&template_case(V2_ONLY, template));
    let transmission = "kind: Template\nname: t\ntype: transmission\ntransmission:\n  content: x\nclass: service\nandroid:\n  title: Hi\n  text: Hello\n";
    assert_clean(&template_case(WORKSPACE, transmission));
    let marketing = template.replace("service", "marketing");
    assert_clean(&template_case(WORKSPACE, &marketing));
}

#[test]
fn validate_warns_on_legacy_for_a_service_class_given_by_the_workspace_default() {
    let settings = format!("{WORKSPACE}defaults:\n  class: service\n");
    let template =
        "kind: Template\nname: t\ntype: link\ntitle: Hi\ntext: Hello\nurl: https://a.example/\n";
    // The inline template of the campaign and `t` take the default: one warning, there.
    let d = assert_only(
        &template_case(&settings, template),
        "GC095",
        "gtcamp.yaml",
        11,
        10,
    );
    assert!(
        d.message.starts_with(
            "`defaults.class` is `service`: 2 templates that take it are service messages, but"
        ),
        "{d:?}"
    );
    assert!(d.message.ends_with("do not get them"), "{d:?}");
}

#[test]
fn validate_refuses_marketing_hours_that_are_not_times_of_day() {
    let settings = format!(
        "{WORKSPACE}vendors:\n  vv:\n    marketing_hours: {{start: \"7:00\", end: \"23:00\"}}\n"
    );
    let found = check(&[("gtcamp.yaml", &settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    let d = assert_only(&found, "GC062", "gtcamp.yaml", 12, 30);
    assert!(
        d.message.contains("marketing hours `start` is `7:00`"),
        "{d:?}"
    );
}
