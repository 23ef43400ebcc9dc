//! Each target owns its state: what was done on the sandbox says nothing about another
//! target, an earlier version's single state is never guessed into one, and a state is
//! refused for another Getui app before anything is called.

use crate::harness::{STATE_FILE, World, bindings, cid, devices, one_off, words};

const PROMO_AT: &str = "2030-01-09T12:00:00+08:00";

/// A campaign and four phone bindings, on a world whose default target is `emu`.
fn promoted() -> World {
    let world = World::new(devices(4));
    world.write("promo.yaml", &one_off("promo", PROMO_AT, "Sale"));
    let cids: Vec<String> = (0..4).map(cid).collect();
    world.write("phones.yaml", &bindings(&cids, "p"));
    world
}

#[test]
fn a_second_target_gets_every_create_and_binding_after_the_sandbox() {
    let world = promoted();
    world
        .run(&["apply", "--auto-approve", "--target", "sandbox"])
        .expect(0);
    assert!(world.dir().join(".gtcamp/sandbox/state.json").exists());

    let plan = world.plan().expect(2);
    assert!(
        plan.stdout
            .contains("Plan: 1 to create, 0 to replace, 0 to cancel, 0 to fire, 4 bindings to add"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("drift"), "{}", plan.stdout);
    world.apply().expect(0);
    assert_eq!(world.waiting().len(), 1);
    assert_eq!(
        world.state()["bindings"].as_object().map(|b| b.len()),
        Some(4)
    );
    assert_eq!(world.state()["target"], "emu");
    assert_eq!(world.state()["app_id"], "demo");
    world.plan().expect(0);

    let sandbox = world.run(&["plan", "--target", "sandbox", "--detailed-exitcode"]);
    sandbox.expect(0);
    let listed = world
        .run(&["state", "list", "--target", "sandbox"])
        .expect(0);
    assert!(
        listed.stdout.contains("promo@2030-01-09T12:00+08:00"),
        "{}",
        listed.stdout
    );
}

/// Turns the target's state into what an earlier version wrote: `.gtcamp/state.json`,
/// recording neither target nor app.
fn as_an_earlier_version_left_it(world: &World) {
    let mut state = world.state();
    let fields = state.as_object_mut().expect("a state object");
    fields.remove("target");
    fields.remove("app_id");
    let earlier = world.dir().join(".gtcamp/state.json");
    std::fs::write(&earlier, serde_json::to_string(&state).unwrap()).unwrap();
    std::fs::remove_dir_all(world.dir().join(".gtcamp/emu")).unwrap();
}

#[test]
fn an_earlier_single_state_is_refused_until_assigned_then_nothing_is_lost() {
    let world = promoted();
    world.apply().expect(0);
    let lineage = world.state()["lineage"].clone();
    as_an_earlier_version_left_it(&world);

    for target in ["emu", "sandbox"] {
        let refused = world.run(&["plan", "--target", target]).expect(1);
        let said = words(&refused.stderr);
        assert!(said.contains("gtcamp state assign --target NAME"), "{said}");
    }
    let assigned = world.run(&["state", "assign", "--target", "emu"]).expect(0);
    assert!(
        assigned.stderr.contains("to target `emu`"),
        "{}",
        assigned.stderr
    );
    assert!(world.dir().join(".gtcamp/state.json.assigned").exists());
    assert_eq!(world.state()["lineage"], lineage);
    assert_eq!(world.state()["target"], "emu");
    world.plan().expect(0);
    // Assigned once: the other targets start afresh beside it.
    world
        .run(&["plan", "--target", "sandbox", "--detailed-exitcode"])
        .expect(2);
    let again = world
        .run(&["state", "assign", "--target", "sandbox"])
        .expect(1);
    assert!(again.stderr.contains("no `"), "{}", again.stderr);
}

/// What signing in asks of a legacy target, and nothing else.
const SIGN_IN: [&str; 3] = [
    "getOSPushDomailUrlListAction",
    "connect",
    "getPushResultByGroupName",
];

#[test]
fn a_state_made_for_another_app_is_refused_before_anything_but_the_sign_in() {
    let world = promoted();
    world.apply().expect(0);
    let state = std::fs::read_to_string(world.dir().join(STATE_FILE)).unwrap();
    // The app really changed: the target now reaches another app, with its own credentials.
    let other = world.another_app("another-app");
    world.point_at(world.dir(), &other);
    let output = world
        .command(&["plan"])
        .env("GETUI_APP_ID", "another-app")
        .output()
        .expect("gtcamp runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said = words(&stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        said.contains("was made for Getui app `demo`, but this run reaches app `another-app`"),
        "{said}"
    );
    assert!(said.contains("add a target for the new app"), "{said}");
    assert!(
        said.contains("`gtcamp state list --target emu` shows what this one holds"),
        "{said}"
    );
    let asked: Vec<String> = other
        .recorded_requests()
        .into_iter()
        .filter_map(|r| r.action)
        .collect();
    assert!(
        asked
            .iter()
            .all(|action| SIGN_IN.contains(&action.as_str())),
        "{asked:?}"
    );
    let unchanged = std::fs::read_to_string(world.dir().join(STATE_FILE)).unwrap();
    assert_eq!(unchanged, state);
}

#[test]
fn a_saved_plan_is_refused_for_another_target() {
    let world = promoted();
    let saved = world.dir().join("plan.json");
    let saved = saved.to_str().unwrap();
    world.run(&["plan", "-o", saved]).expect(0);
    let refused = world
        .run(&["apply", saved, "--target", "sandbox"])
        .expect(1);
    assert!(
        refused
            .stderr
            .contains("the saved plan was made for target `emu`, not `sandbox`"),
        "{}",
        refused.stderr
    );
    assert!(world.waiting().is_empty());
}

/// The issue's second trap, as a newcomer met it: a mistyped `app_id` once tied an empty
/// state to the wrong app, and fixing it was refused. Now the run that could not sign in
/// writes nothing, and a state that holds nothing follows the app the run reaches.
#[test]
fn a_state_that_holds_nothing_follows_the_fixed_app_id() {
    let world = promoted();
    let settings = std::fs::read_to_string(world.dir().join("gtcamp.yaml")).unwrap();
    world.write(
        "gtcamp.yaml",
        &settings.replace("app_id: demo", "app_id: your-getui-app-id"),
    );
    let refused = world.plan().expect(1);
    assert!(
        words(&refused.stderr).contains("result `AppidNoMatchAppKey`"),
        "{}",
        refused.stderr
    );
    assert!(!world.dir().join(".gtcamp").exists());

    // What an earlier gtcamp left behind: an empty state tied to the mistyped app.
    world.write(
        STATE_FILE,
        r#"{"format_version":1,"lineage":"0c5b4a8e-1111-4222-8333-444455556666","serial":1,"target":"emu","app_id":"your-getui-app-id","tasks":{},"bindings":{},"fired":{},"history":[]}"#,
    );
    world.write("gtcamp.yaml", &settings);
    let plan = world.plan().expect(2);
    assert!(
        plan.stderr.contains(
            "note: the state of target `emu` was made for Getui app `your-getui-app-id` but holds nothing: it now belongs to app `demo`"
        ),
        "{}",
        plan.stderr
    );
    assert_eq!(world.state()["app_id"], "demo");
    assert_eq!(
        world.state()["lineage"],
        "0c5b4a8e-1111-4222-8333-444455556666"
    );
    world.apply().expect(0);
    world.plan().expect(0);
}

#[test]
fn state_reset_removes_a_state_that_holds_nothing_and_names_what_another_holds() {
    let world = promoted();
    let nothing = world.run(&["state", "reset", "--target", "emu"]).expect(0);
    assert_eq!(
        nothing.stderr,
        "Target `emu` has no state at `.gtcamp/emu/state.json`: nothing to reset.\n"
    );

    // A plan writes a state that holds nothing yet.
    world.plan().expect(2);
    let lineage = world.state()["lineage"].as_str().unwrap().to_owned();
    let reset = world.run(&["state", "reset", "--target", "emu"]).expect(0);
    insta::assert_snapshot!(
        "state_reset_of_an_empty_state",
        reset.stderr.replace(&lineage, "LINEAGE")
    );
    assert!(!world.dir().join(STATE_FILE).exists());
    assert!(!world.dir().join(".gtcamp/emu/state.journal").exists());

    // One that holds a task and bindings is kept, and what it holds is named.
    world.apply().expect(0);
    let task = world.waiting().remove(0).id;
    let before = std::fs::read_to_string(world.dir().join(STATE_FILE)).unwrap();
    let kept = world.run(&["state", "reset", "--target", "emu"]).expect(1);
    insta::assert_snapshot!(
        "state_reset_refuses_a_state_with_a_task",
        kept.stderr.replace(&task, "TASK_ID")
    );
    let after = std::fs::read_to_string(world.dir().join(STATE_FILE)).unwrap();
    assert_eq!(after, before);
}
