//! The first hour never misleads (issue 29): a folder that is no workspace, a mistyped flag,
//! missing credentials, a target's short name, colour in CI logs, a campaign dated in the
//! past, the plurals and reasons a plan prints, and errors drawn in a narrow terminal, each
//! as a newcomer meets it. Texts a user reads are golden (`snapshots/`).

use std::path::Path;
use std::process::Output;

use crate::harness::{Run, World, bindings, cid, daily, devices, gtcamp_at, one_off, words};

/// The instant the tests without an emulator run at: a Monday, 08:00 in Beijing.
const NOW: &str = "2030-01-07T00:00:00Z";

fn run_of(output: Output) -> Run {
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A workspace `gtcamp init` wrote (targets `sandbox` and `production`), in a temp folder.
fn initialised() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let init = run_of(gtcamp_at(temp.path(), NOW, &["init"]));
    assert_eq!(init.code, Some(0), "{init:?}");
    temp
}

// -----------------------------------------------------------------------------------------
// 5. Command-line errors exit 1, never 2.

#[test]
fn a_mistyped_flag_exits_1_never_the_2_of_changes_found() {
    let temp = initialised();
    let mistyped = run_of(gtcamp_at(
        temp.path(),
        NOW,
        &["plan", "--detailed-exitcode", "--targte", "production"],
    ))
    .expect(1);
    assert!(
        mistyped.stderr.contains("unexpected argument '--targte'")
            && mistyped.stderr.contains("'--target'"),
        "{}",
        mistyped.stderr
    );
    for args in [
        &["frobnicate"][..],
        &[],
        &["plan", "--format", "yaml"],
        &["completions"],
        &["calendar", "--days", "0"],
    ] {
        run_of(gtcamp_at(temp.path(), NOW, args)).expect(1);
    }
    for args in [
        &["--help"][..],
        &["--version"],
        &["plan", "--help"],
        &["help", "apply"],
    ] {
        let run = run_of(gtcamp_at(temp.path(), NOW, args)).expect(0);
        assert!(!run.stdout.is_empty(), "{args:?}");
    }
}

// -----------------------------------------------------------------------------------------
// 6. The small points.

#[test]
fn counts_of_one_are_singular_in_plans_applies_and_state() {
    let world = World::new(devices(2));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    world.write("phones.yaml", &bindings(&[cid(0)], "p"));
    let plan = world.plan().expect(2);
    assert!(
        plan.stdout.contains(
            "Plan: 1 to create, 0 to replace, 0 to cancel, 0 to fire, 1 binding to add, 0 to remove."
        ),
        "{}",
        plan.stdout
    );
    world.remove("phones.yaml");
    let apply = world.apply().expect(0);
    assert!(
        apply
            .stdout
            .ends_with("Apply complete! 1 change applied.\n"),
        "{}",
        apply.stdout
    );
    let listed = world.run(&["state", "list"]).expect(0);
    assert!(
        listed
            .stdout
            .contains("\n1 scheduled task, 0 list pushes, 0 phone bindings (state serial "),
        "{}",
        listed.stdout
    );
}

#[test]
fn now_inside_the_push_ahead_window_is_said_only_of_what_an_earlier_plan_deferred() {
    let world = World::new(devices(2));
    world.write("nightly.yaml", &daily("nightly", "Tonight", true));
    // Monday 08:00: Getui takes pushes until next Monday 08:00; Sunday 20:00 is the last.
    let first = world.plan().expect(2);
    assert!(
        !first.stdout.contains("now inside"),
        "nothing was ever deferred:\n{}",
        first.stdout
    );
    let sunday = "+ create nightly@2030-01-13T20:00+08:00\n      at 2030-01-13 20:00 Asia/Shanghai\n      why: new occurrence";
    assert!(first.stdout.contains(sunday), "{}", first.stdout);
    world.apply().expect(0);
    world.advance(chrono::Duration::days(1));
    let next = world.plan().expect(2);
    let monday = "+ create nightly@2030-01-14T20:00+08:00\n      at 2030-01-14 20:00 Asia/Shanghai\n      why: now inside Getui's push-ahead window";
    assert!(next.stdout.contains(monday), "{}", next.stdout);
}
