//! Changing a workspace safely at team scale (issue 26): renames that keep their pushes,
//! partial runs, protected campaigns, and campaigns taken out with their pushes left on
//! Getui, each on both protocols.

use gtcamp::emulator::{FaultKind, FaultRule, FaultSpec};

use crate::harness::{Call, World, devices, on_both_backends, one_off, words};

/// A one-off campaign three hours ahead of the world's clock.
fn soon(world: &World, name: &str, text: &str) -> String {
    let at = world.now() + chrono::Duration::hours(3);
    one_off(name, &at.to_rfc3339(), text)
}

/// The keys of the tasks state tracks.
fn tracked_keys(world: &World) -> Vec<String> {
    world.state()["tasks"]
        .as_object()
        .map(|tasks| tasks.keys().cloned().collect())
        .unwrap_or_default()
}

const MOVED: &str = "---\nkind: Moved\ncampaign:\n  from: promo\n  to: promo-2027\n";

on_both_backends! {
    fn a_moved_campaign_keeps_its_pushes(backend) {
        let world = World::on(backend, devices(3));
        world.write("c.yaml", &soon(&world, "promo", "Hello"));
        world.apply().expect(0);
        let waiting = world.waiting();
        assert_eq!(waiting.len(), 1);
        world.write("c.yaml", &(soon(&world, "promo-2027", "Hello") + MOVED));
        let plan = world.plan().expect(2);
        assert!(plan.stdout.contains("renamed\n  ~ campaign promo → promo-2027: 1 scheduled push follows the new name; nothing is sent or cancelled"), "{}", plan.stdout);
        assert!(plan.stdout.contains("Plan: 0 to create, 0 to replace, 0 to cancel, 0 to fire, 0 bindings to add, 0 to remove, 1 to rename."), "{}", plan.stdout);
        let before = world.requests();
        world.apply().expect(0);
        assert_eq!(world.writes_since(before), Vec::<String>::new(), "a rename sends nothing");
        assert_eq!(world.waiting().iter().map(|t| &t.id).collect::<Vec<_>>(), waiting.iter().map(|t| &t.id).collect::<Vec<_>>());
        let keys = tracked_keys(&world);
        assert!(keys.len() == 1 && keys[0].starts_with("promo-2027@"), "{keys:?}");
        let after = world.plan().expect(0);
        assert!(after.stdout.ends_with("No changes.\n"), "{}", after.stdout);
        world.assert_every_waiting_task_is_tracked();
    }
}

on_both_backends! {
    fn a_rename_without_moved_cancels_and_creates_and_says_how_to_keep_them(backend) {
        let world = World::on(backend, devices(3));
        world.write("c.yaml", &soon(&world, "promo", "Hello"));
        world.apply().expect(0);
        world.write("c.yaml", &soon(&world, "promo-2027", "Hello"));
        let plan = world.plan().expect(2);
        assert!(plan.stdout.contains("1 to create, 0 to replace, 1 to cancel"), "{}", plan.stdout);
        assert!(
            plan.stdout.contains("campaign `promo` looks renamed to `promo-2027`") && plan.stdout.contains("`kind: Moved`"),
            "{}",
            plan.stdout
        );
    }
}

on_both_backends! {
    fn an_interrupted_create_is_recovered_across_a_rename(backend) {
        let world = World::on(backend, devices(3));
        world.write("c.yaml", &soon(&world, "promo", "Hello"));
        // The create lands, its answer is lost, and Getui cannot be asked about it.
        let lost = FaultRule::new(FaultKind::CommitDrop, 1.0, Some(backend.route(Call::CreateAppPush)));
        let unreadable = FaultRule::new(FaultKind::Http5xx, 1.0, Some(backend.route(Call::ReadScheduled)));
        world.set_faults(FaultSpec { rules: vec![lost, unreadable], seed: Some(3) });
        let interrupted = world.apply();
        assert_ne!(interrupted.code, Some(0), "{interrupted:?}");
        world.set_faults(FaultSpec::default());
        world.write("c.yaml", &(soon(&world, "promo-2027", "Hello") + MOVED));
        let rerun = world.settle_held(world.apply());
        assert_eq!(rerun.code, Some(0), "{rerun:?}");
        world.assert_no_duplicates();
        assert_eq!(world.waiting().len(), 1, "sent once: {:?}", world.waiting());
        let keys = tracked_keys(&world);
        assert!(keys.len() == 1 && keys[0].starts_with("promo-2027@"), "{keys:?}");
        world.assert_every_waiting_task_is_tracked();
        world.plan().expect(0);
    }
}

/// Two campaigns, both edited after a first apply.
fn two_edited(world: &World) {
    let docs = |text: &str| {
        format!(
            "{}---\n{}",
            soon(world, "alpha", text),
            soon(world, "beta", text)
        )
    };
    world.write("c.yaml", &docs("Hello"));
    world.apply().expect(0);
    world.write("c.yaml", &docs("Hello again"));
}

on_both_backends! {
    fn a_partial_apply_changes_only_the_selected_campaigns(backend) {
        let world = World::on(backend, devices(3));
        two_edited(&world);
        let plan = world.run(&["plan", "--campaign", "al*", "--detailed-exitcode"]).expect(2);
        assert!(plan.stdout.contains("Partial plan: campaigns al*; phone bindings left out. 1 change elsewhere in the workspace is left for another plan."), "{}", plan.stdout);
        assert!(!plan.stdout.contains("campaign beta"), "{}", plan.stdout);
        world.run(&["apply", "--campaign", "al*", "--auto-approve"]).expect(0);
        let rest = world.plan().expect(2);
        assert!(rest.stdout.contains("campaign beta") && !rest.stdout.contains("campaign alpha"), "{}", rest.stdout);
        assert!(rest.stdout.contains("0 to create, 1 to replace"), "{}", rest.stdout);
        // The rest, with beta left out: nothing to do.
        world.run(&["plan", "--exclude", "beta", "--detailed-exitcode"]).expect(0);
        world.apply().expect(0);
        world.plan().expect(0);
    }
}

#[test]
fn a_saved_partial_plan_refuses_another_selection() {
    let world = World::new(devices(3));
    two_edited(&world);
    world
        .run(&["plan", "--campaign", "alpha", "-o", "plan.json"])
        .expect(0);
    let other = world
        .run(&["apply", "plan.json", "--campaign", "beta"])
        .expect(1);
    assert!(
        words(&other.stderr).contains(
            "the saved plan was made for another selection of campaigns; nothing was changed"
        ),
        "{}",
        other.stderr
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(world.dir().join("plan.json")).unwrap())
            .unwrap();
    assert_eq!(
        saved["meta"]["selection"]["campaigns"],
        serde_json::json!(["alpha"])
    );
    world
        .run(&["apply", "plan.json", "--campaign", "alpha"])
        .expect(0);
    let rest = world.plan().expect(2);
    assert!(rest.stdout.contains("campaign beta"), "{}", rest.stdout);
}

#[test]
fn a_selection_that_matches_nothing_says_so() {
    let world = World::new(devices(3));
    two_edited(&world);
    let run = world.run(&["plan", "--campaign", "alhpa"]).expect(1);
    assert!(
        words(&run.stderr).contains("`--campaign alhpa` matches no campaign"),
        "{}",
        run.stderr
    );
    assert!(
        words(&run.stderr).contains("did you mean `alpha`?"),
        "{}",
        run.stderr
    );
}

fn protected(world: &World) -> String {
    soon(world, "national-day", "Happy holiday").replace(
        "name: national-day\n",
        "name: national-day\nprotect: true\n",
    )
}

on_both_backends! {
    fn a_protected_campaign_is_cancelled_only_when_named(backend) {
        let world = World::on(backend, devices(3));
        world.write("c.yaml", &protected(&world));
        world.apply().expect(0);
        world.plan().expect(0);
        // Its document deleted by accident: state remembers the protection.
        world.remove("c.yaml");
        let refused = world.plan().expect(1);
        insta::assert_snapshot!(format!("protected_refusal_{backend:?}"), refused.stderr.lines().filter(|l| !l.starts_with("Target:") && !l.starts_with("sandbox")).collect::<Vec<_>>().join("\n"));
        let before = world.requests();
        world.apply().expect(1);
        assert_eq!(world.writes_since(before), Vec::<String>::new(), "nothing was cancelled");
        assert_eq!(world.waiting().len(), 1);
        world.run(&["apply", "--auto-approve", "--allow-cancel", "national-day"]).expect(0);
        assert!(world.waiting().is_empty());
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn a_removed_campaign_can_leave_its_pushes_on_getui(backend) {
        let world = World::on(backend, devices(3));
        world.write("c.yaml", &protected(&world));
        world.apply().expect(0);
        let waiting = world.waiting();
        world.write("c.yaml", "kind: Removed\ncampaign: national-day\ncancel: false\n");
        let plan = world.plan().expect(2);
        assert!(plan.stdout.contains("~ leave on Getui national-day@"), "{}", plan.stdout);
        assert!(plan.stdout.contains("1 to leave on Getui, 1 protection change."), "{}", plan.stdout);
        let before = world.requests();
        world.apply().expect(0);
        assert_eq!(world.writes_since(before), Vec::<String>::new(), "nothing was cancelled");
        assert_eq!(world.waiting().iter().map(|t| &t.id).collect::<Vec<_>>(), waiting.iter().map(|t| &t.id).collect::<Vec<_>>(), "the push stays on Getui");
        assert!(tracked_keys(&world).is_empty(), "gtcamp forgot it");
        assert_eq!(world.state().get("protected"), None);
        world.plan().expect(0);
        // The `Removed` can go once applied: nothing tracks the campaign any more.
        world.remove("c.yaml");
        world.plan().expect(0);
    }
}

#[test]
fn a_reference_to_a_renamed_template_says_where_it_went() {
    let world = World::new(devices(3));
    let docs = "kind: Template\nname: promo-banner\ntype: notification\ntitle: Hi\ntext: Hello\n---\nkind: Moved\ntemplate:\n  from: promo\n  to: promo-banner\n---\nkind: Campaign\nname: sale\ntemplate: promo\naudience:\n  all_users: true\nschedule:\n  at: 2030-03-01T10:00:00+08:00\n";
    world.write("c.yaml", docs);
    let run = world.run(&["validate"]).expect(1);
    assert!(
        run.stdout.contains(
            "template `promo` was renamed to `promo-banner` (c.yaml:7); refer to `promo-banner`"
        ) || run
            .stderr
            .contains("template `promo` was renamed to `promo-banner`"),
        "{run:?}"
    );
}

#[test]
fn phone_bindings_are_left_out_of_a_selection_unless_asked_for() {
    let world = World::new(devices(3));
    let cids: Vec<String> = (0..3).map(crate::harness::cid).collect();
    world.write(
        "c.yaml",
        &format!(
            "{}---\n{}",
            soon(&world, "alpha", "Hello"),
            crate::harness::bindings(&cids, "86")
        ),
    );
    world
        .run(&["apply", "--campaign", "alpha", "--auto-approve"])
        .expect(0);
    assert!(
        world.snapshot().bindings.is_empty(),
        "bindings were left out"
    );
    let plan = world.plan().expect(2);
    assert!(plan.stdout.contains("3 bindings to add"), "{}", plan.stdout);
    world
        .run(&[
            "apply",
            "--campaign",
            "alpha",
            "--bindings",
            "--auto-approve",
        ])
        .expect(0);
    assert_eq!(world.snapshot().bindings.len(), 3);
    world.plan().expect(0);
}

/// The whole journey on the built-in sandbox, as a newcomer runs it: the workspace `init`
/// writes, applied; its campaign renamed and protected; then taken out with its pushes left.
#[test]
fn renames_protection_and_removal_work_on_the_sandbox() {
    use crate::harness::gtcamp_at;
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let now = "2030-01-07T00:00:00Z";
    let run = |args: &[&str]| {
        let output = gtcamp_at(&ws, now, args);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let init = gtcamp_at(dir.path(), now, &["init", "ws"]);
    assert!(init.status.success(), "{init:?}");
    assert_eq!(run(&["apply", "--auto-approve"]).0, Some(0));
    let welcome = ws.join("welcome.yaml");
    let text = std::fs::read_to_string(&welcome).unwrap();
    let renamed = text.replace(
        "kind: Campaign\nname: weekly-tips\n",
        "kind: Campaign\nname: monday-tips\nprotect: true\n",
    );
    assert_ne!(
        renamed, text,
        "the example campaign is where this test expects it"
    );
    std::fs::write(
        &welcome,
        format!("{renamed}---\nkind: Moved\ncampaign:\n  from: weekly-tips\n  to: monday-tips\n"),
    )
    .unwrap();
    let (code, plan, _) = run(&["plan", "--detailed-exitcode"]);
    assert_eq!(code, Some(2), "{plan}");
    assert!(
        plan.contains("~ campaign weekly-tips → monday-tips"),
        "{plan}"
    );
    assert!(
        plan.contains("campaign monday-tips is protected from now on"),
        "{plan}"
    );
    assert!(
        plan.contains("0 to create, 0 to replace, 0 to cancel"),
        "{plan}"
    );
    assert_eq!(run(&["apply", "--auto-approve"]).0, Some(0));
    assert_eq!(run(&["plan", "--detailed-exitcode"]).0, Some(0));
    // Disabled by mistake: protection stops it.
    std::fs::write(
        &welcome,
        renamed.replace("protect: true\n", "protect: true\nenabled: false\n"),
    )
    .unwrap();
    let (code, _, stderr) = run(&["apply", "--auto-approve"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        crate::harness::words(&stderr).contains("--allow-cancel monday-tips"),
        "{stderr}"
    );
    // Taken out, its pushes left on the sandbox.
    let start = renamed.find("kind: Campaign\nname: monday-tips").unwrap();
    let taken_out = format!(
        "{}kind: Removed\ncampaign: monday-tips\ncancel: false\n",
        &renamed[..start]
    );
    std::fs::write(&welcome, taken_out).unwrap();
    let (code, plan, _) = run(&["plan", "--detailed-exitcode"]);
    assert_eq!(code, Some(2), "{plan}");
    assert!(plan.contains("~ leave on Getui monday-tips@"), "{plan}");
    assert_eq!(run(&["apply", "--auto-approve"]).0, Some(0));
    let (code, plan, _) = run(&["plan", "--detailed-exitcode"]);
    assert_eq!(code, Some(0), "{plan}");
}
