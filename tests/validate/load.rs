//! What the loader reports: syntax, unknown fields, kinds, types, positions in
//! multi-document files, and which files it reads.

use crate::{CLEAN_CAMPAIGN, WORKSPACE, assert_clean, assert_has, assert_only, check};

#[test]
fn validate_reports_an_unknown_field_and_suggests_the_close_one() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("  title: Hi", "  titel: Hi"),
        ),
    ]);
    let d = assert_only(&found, "GC006", "c.yaml", 5, 3);
    assert_eq!(d.message, "unknown field `titel`");
    assert!(d.help.starts_with("did you mean `title`?"), "{}", d.help);
}

#[test]
fn validate_reports_a_missing_required_field() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("  type: notification\n", ""),
        ),
    ]);
    // Pointed at the mapping that lacks it: the inline template.
    let d = assert_only(&found, "GC007", "c.yaml", 3, 1);
    assert!(d.message.contains("`type`"), "{}", d.message);
}

#[test]
fn validate_reports_a_value_of_the_wrong_type() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("  all_users: true", "  all_users: everyone"),
        ),
    ]);
    assert_only(&found, "GC008", "c.yaml", 8, 14);
}

#[test]
fn validate_reports_an_unknown_enum_value_with_the_accepted_ones() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("type: notification", "type: notifcation"),
        ),
    ]);
    let d = assert_only(&found, "GC008", "c.yaml", 4, 9);
    assert!(
        d.help.starts_with("did you mean `notification`?"),
        "{}",
        d.help
    );
}

#[test]
fn validate_reports_a_duplicate_key() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("  text: Hello\n", "  text: Hello\n  text: Again\n"),
        ),
    ]);
    assert_only(&found, "GC009", "c.yaml", 7, 3);
}

#[test]
fn validate_reports_a_yaml_syntax_error() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", "kind: Campaign\nname: [c\n"),
    ]);
    assert_only(&found, "GC003", "c.yaml", 2, 7);
}

#[test]
fn validate_reports_an_unknown_kind_and_suggests_the_close_one() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("kind: Campaign", "kind: Campain"),
        ),
    ]);
    let d = assert_only(&found, "GC005", "c.yaml", 1, 7);
    assert!(
        d.help.contains("did you mean `Campaign`?") && d.help.contains("`PhoneBindings`"),
        "{}",
        d.help
    );
}

#[test]
fn validate_reports_a_document_without_kind() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", "name: c\ntitle: x\n"),
    ]);
    assert_only(&found, "GC005", "c.yaml", 1, 1);
}

#[test]
fn validate_points_into_the_right_document_of_a_multi_document_file() {
    let text = format!(
        "# templates and campaigns\n{}---\n{}---\n{}",
        CLEAN_CAMPAIGN.replace("name: c", "name: first"),
        CLEAN_CAMPAIGN.replace("name: c", "name: second"),
        CLEAN_CAMPAIGN
            .replace("name: c", "name: third")
            .replace("  text: Hello", "  txt: Hello"),
    );
    let found = check(&[("gtcamp.yaml", WORKSPACE), ("all.yaml", &text)]);
    // 1 comment line + 2 documents of 10 lines + 2 separators, then line 6 of the third.
    assert_only(&found, "GC006", "all.yaml", 1 + 20 + 2 + 6, 3);
}

#[test]
fn validate_points_into_a_template_written_inline() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("  text: Hello\n", "  text: Hello\n  colour: red\n"),
        ),
    ]);
    assert_only(&found, "GC006", "c.yaml", 7, 3);
}

#[test]
fn validate_reads_yml_files_and_subfolders() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "deep/er/c.yml",
            &CLEAN_CAMPAIGN.replace("name: c", "name: Bad"),
        ),
    ]);
    assert_only(&found, "GC012", "deep/er/c.yml", 2, 7);
}

#[test]
fn validate_skips_hidden_folders_and_node_modules() {
    assert_clean(&check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", CLEAN_CAMPAIGN),
        (".gtcamp/cache.yaml", "not: [valid"),
        (".git/x.yaml", "not: [valid"),
        ("node_modules/pkg/x.yaml", "not: [valid"),
    ]));
}

#[test]
fn validate_ignores_empty_documents_and_comment_only_files() {
    assert_clean(&check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &format!("---\n{CLEAN_CAMPAIGN}---\n")),
        ("notes.yaml", "# nothing here yet\n"),
    ]));
}

#[test]
fn validate_reports_every_problem_not_just_the_first() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("a.yaml", &CLEAN_CAMPAIGN.replace("name: c", "name: A")),
        (
            "b.yaml",
            &CLEAN_CAMPAIGN
                .replace("name: c", "name: b")
                .replace("title: Hi", "titl: Hi"),
        ),
        ("d.yaml", "kind: Campaign\nname: [d\n"),
    ]);
    assert_has(&found, "GC012", "a.yaml", 2, 7);
    assert_has(&found, "GC006", "b.yaml", 5, 3);
    assert_has(&found, "GC003", "d.yaml", 2, 7);
}

#[test]
fn validate_says_a_boolean_field_takes_true_or_false() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        (
            "c.yaml",
            &CLEAN_CAMPAIGN.replace("  all_users: true", "  all_users: everyone"),
        ),
    ]);
    let d = assert_only(&found, "GC008", "c.yaml", 8, 14);
    assert!(d.message.contains("`true` or `false`"), "{}", d.message);
}
