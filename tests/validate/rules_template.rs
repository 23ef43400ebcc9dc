//! Template rules (lengths, URLs, fields per type, APNs size, display window) and SMS.

use crate::{
    CLEAN_CAMPAIGN, WORKSPACE, assert_clean, assert_has, assert_only, campaign_case, check,
    template_case,
};

const NOTIFICATION: &str = "type: notification\ntitle: Hi\ntext: Hello\n";

#[test]
fn validate_accepts_a_notification_template_with_fields_at_their_limits() {
    let body = format!(
        "type: notification\ntitle: {}\ntext: {}\nlogo: {}\nlogo_url: https://e.com/{}\n",
        "标".repeat(40),
        "字".repeat(600),
        "l".repeat(40),
        "p".repeat(200 - "https://e.com/".len())
    );
    assert_clean(&template_case(&body));
}

#[test]
fn validate_reports_a_title_longer_than_40_characters() {
    let found = template_case(&format!(
        "type: notification\ntitle: {}\ntext: x\n",
        "标".repeat(41)
    ));
    let d = assert_only(&found, "GC020", "t.yaml", 4, 8);
    assert!(d.message.contains("41 characters"), "{}", d.message);
}

#[test]
fn validate_reports_a_text_longer_than_600_characters() {
    let found = template_case(&format!(
        "type: notification\ntitle: t\ntext: {}\n",
        "x".repeat(601)
    ));
    assert_only(&found, "GC020", "t.yaml", 5, 7);
}

#[test]
fn validate_reports_transmission_content_longer_than_2048_characters() {
    let ok = format!(
        "type: transmission\ntransmission:\n  content: {}\n",
        "x".repeat(2048)
    );
    assert_clean(&template_case(&ok));
    let long = format!(
        "type: transmission\ntransmission:\n  content: {}\n",
        "x".repeat(2049)
    );
    assert_only(&template_case(&long), "GC020", "t.yaml", 5, 12);
}

#[test]
fn validate_reports_a_popload_button_longer_than_4_characters() {
    let popload = |button: &str| {
        format!(
            "type: popload\ntitle: t\ntext: x\npopload:\n  popup_title: p\n  popup_text: p\n  download_button: {button}\n  cancel_button: 取消\n  download_title: d\n  download_url: https://e.com/app.apk\n"
        )
    };
    assert_clean(&template_case(&popload("立即下载")));
    assert_only(
        &template_case(&popload("现在立即下载")),
        "GC020",
        "t.yaml",
        9,
        20,
    );
}

#[test]
fn validate_reports_a_url_that_is_not_http() {
    let found = template_case("type: link\ntitle: t\ntext: x\nurl: ftp://example.com/a\n");
    let d = assert_only(&found, "GC021", "t.yaml", 6, 6);
    assert!(d.help.contains("https://"), "{}", d.help);
}

#[test]
fn validate_reports_a_url_longer_than_200_characters() {
    let url = format!("https://example.com/{}", "a".repeat(181));
    let found = template_case(&format!("type: link\ntitle: t\ntext: x\nurl: {url}\n"));
    assert_only(&found, "GC020", "t.yaml", 6, 6);
}

#[test]
fn validate_reports_a_missing_title_on_a_notification() {
    let found = template_case("type: notification\ntext: x\n");
    let d = assert_only(&found, "GC023", "t.yaml", 3, 7);
    assert!(d.message.contains("`title`"), "{}", d.message);
}

#[test]
fn validate_reports_a_link_template_without_url() {
    let found = template_case("type: link\ntitle: t\ntext: x\n");
    assert_only(&found, "GC023", "t.yaml", 3, 7);
}

#[test]
fn validate_reports_a_popload_template_without_popload() {
    assert_only(
        &template_case("type: popload\ntitle: t\ntext: x\n"),
        "GC023",
        "t.yaml",
        3,
        7,
    );
}

#[test]
fn validate_reports_a_transmission_template_without_transmission() {
    assert_only(
        &template_case("type: transmission\n"),
        "GC023",
        "t.yaml",
        3,
        7,
    );
}

#[test]
fn validate_reports_a_url_on_a_notification() {
    let found = template_case(&format!("{NOTIFICATION}url: https://example.com\n"));
    let d = assert_only(&found, "GC024", "t.yaml", 6, 1);
    assert!(d.help.contains("type: link"), "{}", d.help);
}

#[test]
fn validate_reports_a_title_on_a_transmission() {
    let found = template_case("type: transmission\ntitle: t\ntransmission:\n  content: '{}'\n");
    assert_only(&found, "GC024", "t.yaml", 4, 1);
}

#[test]
fn validate_reports_an_apns_payload_over_3072_bytes() {
    // 1010 Chinese characters are 3030 bytes; with the JSON around them, over 3072.
    let big = format!(
        "{NOTIFICATION}ios:\n  body: {}\n  badge: \"+1\"\n",
        "字".repeat(1010)
    );
    let d = assert_only(&template_case(&big), "GC022", "t.yaml", 6, 1);
    assert!(d.message.contains("bytes"), "{}", d.message);
    let fits = format!(
        "{NOTIFICATION}ios:\n  body: {}\n  badge: \"+1\"\n",
        "字".repeat(1000 - 30)
    );
    assert_clean(&template_case(&fits));
}

#[test]
fn validate_reports_a_display_window_of_10_minutes() {
    let window = |end: &str| {
        format!("{NOTIFICATION}display_window:\n  start: 2026-12-01T10:00:00+08:00\n  end: {end}\n")
    };
    assert_only(
        &template_case(&window("2026-12-01T10:10:00+08:00")),
        "GC025",
        "t.yaml",
        8,
        8,
    );
    assert_clean(&template_case(&window("2026-12-01T10:11:00+08:00")));
}

#[test]
fn validate_names_the_minute_a_display_window_with_seconds_uses() {
    let template = format!(
        "{NOTIFICATION}display_window:\n  start: 2026-12-01T10:00:00+08:00\n  end: 2026-12-01T12:30:15+08:00\n"
    );
    let d = assert_only(&template_case(&template), "GC058", "t.yaml", 8, 8);
    assert!(
        d.message.contains("`display_window.end` has seconds")
            && d.message.contains("2026-12-01T12:30+08:00 is used"),
        "{}",
        d.message
    );
}

#[test]
fn validate_checks_templates_written_inline_in_campaigns() {
    let found = campaign_case("schedule:\n  at: 2026-12-01T10:00:00+08:00\n");
    assert_clean(&found);
    let campaign =
        CLEAN_CAMPAIGN.replace("  title: Hi\n", &format!("  title: {}\n", "t".repeat(41)));
    let found = check(&[("gtcamp.yaml", WORKSPACE), ("c.yaml", &campaign)]);
    assert_only(&found, "GC020", "c.yaml", 5, 10);
}

fn sms(lines: &str) -> String {
    format!("{NOTIFICATION}sms:\n{lines}")
}

#[test]
fn validate_accepts_an_sms_fallback_that_fits() {
    let body = sms("  template_id: \"100\"\n  params:\n    order: DS1\n  delay: 2h\n");
    assert_clean(&template_case(&body));
}

#[test]
fn validate_reports_an_sms_without_template_id() {
    let found = template_case(&sms("  template_id: \"\"\n  delay: 2h\n"));
    assert_only(&found, "GC030", "t.yaml", 7, 16);
}

#[test]
fn validate_reports_an_sms_delay_over_3_days() {
    let found = template_case(&sms("  template_id: \"9\"\n  delay: 4d\n"));
    // Over 3 days, and over the default offline keep time (12h) of the campaign too.
    assert_has(&found, "GC031", "t.yaml", 8, 10);
    assert_has(&found, "GC031", "c.yaml", 3, 11);
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn validate_reports_an_sms_delay_longer_than_the_campaigns_offline_keep() {
    let template = format!(
        "kind: Template\nname: t\n{}",
        sms("  template_id: \"9\"\n  delay: 3h\n")
    );
    let campaign = "kind: Campaign\nname: c\ntemplate: t\naudience:\n  all_users: true\nschedule:\n  at: 2026-12-01T10:00:00+08:00\ndelivery:\n  offline_keep: 2h\n";
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("t.yaml", &template),
        ("c.yaml", campaign),
    ]);
    let d = assert_only(&found, "GC031", "c.yaml", 9, 17);
    assert!(
        d.message.contains("2h") && d.message.contains("3h"),
        "{}",
        d.message
    );
}

#[test]
fn validate_reports_a_url_parameter_beside_an_applink() {
    let found = template_case(&sms(
        "  template_id: \"9\"\n  delay: 1h\n  params:\n    url: https://e.com\n  applink:\n    url: https://e.com/app\n",
    ));
    assert_only(&found, "GC032", "t.yaml", 10, 5);
}

#[test]
fn validate_reports_an_sms_text_over_70_characters() {
    // The template `您的订单${order}已发货` has 7 characters besides the placeholder.
    let order = "9".repeat(64);
    let found = template_case(&sms(&format!(
        "  template_id: \"100\"\n  params:\n    order: \"{order}\"\n  delay: 2h\n"
    )));
    let d = assert_only(&found, "GC033", "t.yaml", 8, 3);
    assert!(d.message.contains("71 characters"), "{}", d.message);
}

#[test]
fn validate_reports_an_sms_placeholder_without_parameter() {
    let found = template_case(&sms(
        "  template_id: \"100\"\n  params:\n    orders: x\n  delay: 2h\n",
    ));
    let d = assert_only(&found, "GC034", "t.yaml", 8, 3);
    assert!(d.message.contains("`order`"), "{}", d.message);
}
