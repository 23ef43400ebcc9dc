//! `Moved` and `Removed`: what each may say, with file, line and column.

use crate::{CLEAN_CAMPAIGN, WORKSPACE, assert_clean, assert_has, assert_only, check};

/// A campaign named `summer-sale`, clean otherwise.
fn campaign() -> String {
    CLEAN_CAMPAIGN.replace("name: c\n", "name: summer-sale\n")
}

fn moved(from: &str, to: &str) -> String {
    format!("kind: Moved\ncampaign:\n  from: {from}\n  to: {to}\n")
}

#[test]
fn a_chain_of_renames_that_ends_in_a_declared_campaign_is_clean() {
    let moves = format!(
        "{}---\n{}",
        moved("spring-sale", "mid-sale"),
        moved("mid-sale", "summer-sale")
    );
    assert_clean(&check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("moves.yaml", &moves),
    ]));
}

#[test]
fn renames_that_go_round_in_a_circle_are_refused() {
    let moves = format!("{}---\n{}", moved("a", "b"), moved("b", "a"));
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("moves.yaml", &moves),
    ]);
    let d = assert_has(&found, "GC028", "moves.yaml", 4, 7);
    assert!(d.message.contains("go round in a circle"), "{}", d.message);
}

#[test]
fn a_rename_to_a_misspelt_name_suggests_the_declared_one() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("moves.yaml", &moved("spring-sale", "sumer-sale")),
    ]);
    let d = assert_only(&found, "GC028", "moves.yaml", 4, 7);
    assert!(d.help.contains("did you mean `summer-sale`?"), "{}", d.help);
}

#[test]
fn a_rename_from_a_name_still_declared_is_refused() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("moves.yaml", &moved("summer-sale", "autumn-sale")),
    ]);
    assert_has(&found, "GC027", "moves.yaml", 3, 9);
}

#[test]
fn a_removed_campaign_with_a_bad_name_or_claimed_twice_is_refused() {
    let removed = "kind: Removed\ncampaign: Winter_Sale\ncancel: false\n";
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("r.yaml", removed),
    ]);
    assert_only(&found, "GC012", "r.yaml", 2, 11);
    let twice = format!(
        "{}---\nkind: Removed\ncampaign: spring-sale\ncancel: true\n",
        moved("spring-sale", "summer-sale")
    );
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("r.yaml", &twice),
    ]);
    assert_only(&found, "GC029", "r.yaml", 7, 11);
}

#[test]
fn a_moved_naming_nothing_or_two_things_is_refused() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("moves.yaml", "kind: Moved\n"),
    ]);
    assert_only(&found, "GC026", "moves.yaml", 1, 1);
    let two = "kind: Moved\ncampaign: {from: a, to: summer-sale}\ntemplate: {from: b, to: c}\n";
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("moves.yaml", two),
    ]);
    assert_only(&found, "GC026", "moves.yaml", 1, 1);
}

#[test]
fn a_removed_without_cancel_says_which_field_is_missing() {
    let found = check(&[
        ("gtcamp.yaml", WORKSPACE),
        ("c.yaml", &campaign()),
        ("r.yaml", "kind: Removed\ncampaign: winter-sale\n"),
    ]);
    let d = found.first().expect("a diagnostic");
    assert!(d.message.contains("cancel"), "{}", d.message);
}
