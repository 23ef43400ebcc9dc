//! REST API V2 targets: what they cannot do is reported before any call (GC080–GC085), for
//! every V2 target by `validate`, for the run's target by `plan` and `apply` (GC086, GC087 too).

use gtcamp::check::{CheckContext, TargetScope, check_workspace_for};
use gtcamp::load::{Limits, load_workspace};

use crate::{CLEAN_CAMPAIGN, Found, assert_clean, assert_only, check, now, workspace};

/// A workspace whose default target is a legacy sandbox and which also defines `prod`, a
/// `getui-v2` target (lines 4–9).
const WITH_V2: &str = "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
  prod:
    type: getui-v2
";

/// The clean campaign with `body` appended (from line 11).
fn v2_campaign_case(body: &str) -> Vec<Found> {
    check(&[
        ("gtcamp.yaml", WITH_V2),
        ("c.yaml", &format!("{CLEAN_CAMPAIGN}{body}")),
    ])
}

/// The diagnostics of a template document `t.yaml` beside the clean campaign, on [`WITH_V2`],
/// but for GC018 (no campaign uses it).
fn v2_template_case(template: &str) -> Vec<Found> {
    check(&[
        ("gtcamp.yaml", WITH_V2),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("t.yaml", template),
    ])
    .into_iter()
    .filter(|f| f.code != "GC018")
    .collect()
}

#[test]
fn validate_accepts_a_clean_workspace_with_a_v2_target() {
    assert_clean(&v2_campaign_case(""));
}

#[test]
fn validate_reports_a_popload_template_on_a_v2_target() {
    let popload = "kind: Template\nname: dl\ntype: popload\ntitle: Hi\ntext: Hello\npopload:\n  popup_title: p\n  popup_text: p\n  download_button: 立即下载\n  cancel_button: 取消\n  download_title: d\n  download_url: https://e.com/app.apk\n";
    let found = v2_template_case(popload);
    let d = assert_only(&found, "GC080", "t.yaml", 3, 7);
    assert!(
        d.message.contains("target `prod` speaks REST API V2"),
        "{d:?}"
    );
    assert!(d.help.contains("legacy `getui` target"), "{d:?}");
}

#[test]
fn validate_reports_sms_fallback_on_a_v2_target() {
    let template = "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: Hello\nsms:\n  template_id: \"100\"\n  params: { order: \"1\" }\n  delay: 2h\n";
    let found = v2_template_case(template);
    let d = assert_only(&found, "GC081", "t.yaml", 6, 1);
    assert!(
        d.help
            .contains("use a legacy `getui` target for SMS fallback"),
        "{d:?}"
    );
}

#[test]
fn validate_reports_cellular_only_delivery_on_a_v2_target() {
    let found = v2_campaign_case("delivery:\n  network: cellular\n");
    let d = assert_only(&found, "GC082", "c.yaml", 12, 12);
    assert!(d.help.contains("`network: wifi`"), "{d:?}");
    assert_clean(&v2_campaign_case("delivery:\n  network: wifi\n"));
}

#[test]
fn validate_reports_a_task_group_outside_v2s_charset() {
    let found = v2_campaign_case("delivery:\n  task_group: 双十二\n");
    let d = assert_only(&found, "GC083", "c.yaml", 12, 15);
    assert!(d.message.contains("`双`"), "{d:?}");
    assert_clean(&v2_campaign_case("delivery:\n  task_group: Sale_2026-12\n"));
}

#[test]
fn validate_reports_phone_bindings_on_a_v2_target_without_bindings_endpoint() {
    let bindings = "kind: PhoneBindings\nname: b\npairs:\n  - { cid: c1, pn_md5: 0cc175b9c0f1b6a831c399e269772661 }\n";
    let found = check(&[
        ("gtcamp.yaml", WITH_V2),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("b.yaml", bindings),
    ]);
    let d = assert_only(&found, "GC084", "b.yaml", 1, 7);
    assert!(
        d.help
            .contains("bindings_endpoint: https://api.getui.com/apiex.htm"),
        "{d:?}"
    );
    let with_endpoint =
        format!("{WITH_V2}    bindings_endpoint: https://api.getui.com/apiex.htm\n");
    assert_clean(&check(&[
        ("gtcamp.yaml", &with_endpoint),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("b.yaml", bindings),
    ]));
}

#[test]
fn a_v2_sandbox_binds_phones_itself_but_refuses_what_v2_cannot_send() {
    let settings = "kind: Workspace\nname: demo\napp_id: demo\ntargets:\n  sandbox:\n    type: sandbox\n    protocol: v2\n";
    let bindings = "kind: PhoneBindings\nname: b\npairs:\n  - { cid: c1, pn_md5: 0cc175b9c0f1b6a831c399e269772661 }\n";
    assert_clean(&check(&[
        ("gtcamp.yaml", settings),
        ("c.yaml", CLEAN_CAMPAIGN),
        ("b.yaml", bindings),
    ]));
    let cellular = format!("{CLEAN_CAMPAIGN}delivery:\n  network: cellular\n");
    let found = check(&[("gtcamp.yaml", settings), ("c.yaml", &cellular)]);
    let d = assert_only(&found, "GC082", "c.yaml", 12, 12);
    assert!(d.message.contains("target `sandbox` speaks"), "{d:?}");
}

#[test]
fn validate_names_every_v2_target_once_per_problem() {
    let settings = format!(
        "{WITH_V2}  next:\n    type: getui-v2\n    endpoint: https://cncrestapi.getui.com/v2\n"
    );
    let cellular = format!("{CLEAN_CAMPAIGN}delivery:\n  network: cellular\n");
    let found = check(&[("gtcamp.yaml", &settings), ("c.yaml", &cellular)]);
    let d = assert_only(&found, "GC082", "c.yaml", 12, 12);
    assert!(
        d.message
            .contains("targets `next`, `prod` speak REST API V2"),
        "{d:?}"
    );
}

#[test]
fn plan_judges_only_the_target_it_runs_against() {
    let cellular = format!("{CLEAN_CAMPAIGN}delivery:\n  network: cellular\n");
    let dir = workspace(&[("gtcamp.yaml", WITH_V2), ("c.yaml", &cellular)]);
    let loaded = load_workspace(dir.path(), &Limits::default());
    let context = CheckContext { now: now() };
    let codes = |scope| -> Vec<&'static str> {
        check_workspace_for(&loaded, &context, scope)
            .iter()
            .map(|d| d.code)
            .filter(|code| *code != "GC090")
            .collect()
    };
    assert_eq!(codes(TargetScope::Named("sandbox")), Vec::<&str>::new());
    assert_eq!(codes(TargetScope::Named("prod")), vec!["GC082"]);
    assert_eq!(codes(TargetScope::Every), vec!["GC082"]);
}

#[test]
fn validate_refuses_protocol_on_a_getui_target() {
    let settings = "kind: Workspace\nname: demo\napp_id: demo\ntargets:\n  prod:\n    type: getui\n    endpoint: https://api.getui.com/apiex.htm\n    protocol: v2\n";
    let found = check(&[("gtcamp.yaml", settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    let d = assert_only(&found, "GC085", "gtcamp.yaml", 8, 5);
    assert!(d.help.contains("`type: getui-v2`"), "{d:?}");
}

#[test]
fn validate_refuses_bindings_endpoint_on_a_legacy_target() {
    let settings = "kind: Workspace\nname: demo\napp_id: demo\ntargets:\n  sandbox:\n    type: sandbox\n    bindings_endpoint: https://api.getui.com/apiex.htm\n";
    let found = check(&[("gtcamp.yaml", settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    assert_only(&found, "GC085", "gtcamp.yaml", 7, 5);
}

#[test]
fn validate_reports_v2_endpoints_that_are_not_http() {
    let settings = "kind: Workspace\nname: demo\napp_id: demo\ntargets:\n  prod:\n    type: getui-v2\n    endpoint: restapi.getui.com/v2\n";
    let found = check(&[("gtcamp.yaml", settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    assert_only(&found, "GC060", "gtcamp.yaml", 7, 15);
    let settings = "kind: Workspace\nname: demo\napp_id: demo\ntargets:\n  prod:\n    type: getui-v2\n    bindings_endpoint: api.getui.com\n";
    let found = check(&[("gtcamp.yaml", settings), ("c.yaml", CLEAN_CAMPAIGN)]);
    assert_only(&found, "GC060", "gtcamp.yaml", 7, 24);
}

#[test]
fn validate_reports_a_link_template_with_a_payload_on_a_v2_target() {
    let template = "kind: Template\nname: t\ntype: link\ntitle: Hi\ntext: Hello\nurl: https://x.example/\ntransmission:\n  content: '{}'\n";
    let found = v2_template_case(template);
    let d = assert_only(&found, "GC086", "t.yaml", 7, 1);
    assert!(d.help.contains("remove `transmission`"), "{d:?}");
}

#[test]
fn validate_reports_a_text_over_256_characters_on_a_v2_target() {
    let text = |n: usize| {
        format!(
            "kind: Template\nname: t\ntype: notification\ntitle: Hi\ntext: {}\n",
            "字".repeat(n)
        )
    };
    let found = |n: usize| v2_template_case(&text(n));
    assert_clean(&found(256));
    let d = assert_only(&found(257), "GC087", "t.yaml", 5, 7);
    assert!(d.message.contains("257 characters"), "{d:?}");
}

#[test]
fn validate_draws_a_v2_refusal_with_its_place_and_what_to_do() {
    let template = "kind: Template\nname: shipped\ntype: notification\ntitle: Shipped\ntext: On its way\nsms:\n  template_id: \"100\"\n  params: { order: \"1\" }\n  delay: 2h\n";
    let campaign = CLEAN_CAMPAIGN.replace(
        "template:\n  type: notification\n  title: Hi\n  text: Hello\n",
        "template: shipped\n",
    );
    let dir = workspace(&[
        (
            "gtcamp.yaml",
            &format!("{WITH_V2}defaults:\n  class: marketing\n"),
        ),
        ("c.yaml", &campaign),
        ("t.yaml", template),
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
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "1 error, 0 warnings\n"
    );
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
}
