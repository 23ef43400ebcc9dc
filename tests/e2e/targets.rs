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
