//! The plan as tools and reviewers read it: JSON for scripts, Markdown for a PR comment.

use crate::harness::{World, bindings, cid, devices, one_off};

fn world_with_a_replace_and_bindings() -> World {
    let world = World::new(devices(3));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    world.apply().expect(0);
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "New sale"),
    );
    world.write("phones.yaml", &bindings(&[cid(0)], "555"));
    world
}

#[test]
fn json_plan_lists_each_action_with_before_and_after() {
    let world = world_with_a_replace_and_bindings();
    let run = world.run(&["plan", "--format", "json"]).expect(0);
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(plan["format_version"], 1);
    let change = &plan["changes"][0];
    assert_eq!(change["action"], serde_json::json!(["delete", "create"]));
    assert_eq!(change["before"]["content"]["text"], "Sale");
    assert_eq!(change["after"]["content"]["text"], "New sale");
    assert_eq!(plan["bindings"][0]["cid"], cid(0));
    let hash = gtcamp::getui::phone_hash(&format!("555{}", cid(0)));
    assert!(!run.stdout.contains(&hash), "a full phone hash leaked");
}

#[test]
fn markdown_plan_puts_replacements_above_the_fold() {
    let world = world_with_a_replace_and_bindings();
    let run = world.run(&["plan", "--format", "markdown"]).expect(0);
    let fold = run.stdout.find("<details>").expect("a folded detail");
    let summary = &run.stdout[..fold];
    assert!(summary.to_lowercase().contains("replace"), "{}", run.stdout);
    assert!(run.stdout.len() <= 60_000);
}

#[test]
fn text_plan_shows_the_field_that_changes_and_every_time_with_its_zone() {
    let world = world_with_a_replace_and_bindings();
    let run = world.run(&["plan"]).expect(0);
    assert!(run.stdout.contains("\"Sale\""), "{}", run.stdout);
    assert!(run.stdout.contains("\"New sale\""), "{}", run.stdout);
    assert!(
        run.stdout.contains("2030-01-09 12:00 Asia/Shanghai"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "Plan: 0 to create, 1 to replace, 0 to cancel, 0 to fire, 1 binding to add, 0 to remove."
        ),
        "{}",
        run.stdout
    );
}
