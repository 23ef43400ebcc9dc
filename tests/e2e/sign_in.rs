//! `plan` and `apply` sign in to a real target before anything else (issue 29): refused
//! credentials, an app id that is not the app key's, or an endpoint that does not answer
//! fail the run with the cause, even with an empty state, nothing to ask Getui about and
//! `--refresh=false`, and leave no state behind. `validate` stays offline.

use crate::harness::{Backend, Run, World, devices, on_both_backends, one_off};

/// Weeks ahead, beyond the push-ahead window: a plan with nothing to create, so before
/// signing in came first, a refused secret showed as "No changes." and exit 0.
const LATER_AT: &str = "2030-02-20T12:00:00+08:00";

/// A master secret that is not the app's; never to be shown.
const WRONG_SECRET: &str = "not-the-secret-c0ffee";

/// A world whose one campaign is weeks ahead, and whose state is still empty.
fn weeks_ahead(backend: Backend) -> World {
    let world = World::on(backend, devices(3));
    world.write("promo.yaml", &one_off("promo", LATER_AT, "Sale"));
    world
}

/// `args` with one variable set for the run.
fn run_with(world: &World, variable: &str, value: &str, args: &[&str]) -> Run {
    let output = world
        .command(args)
        .env(variable, value)
        .output()
        .expect("gtcamp runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// stderr with the emulator's port, which changes with each run, made fixed. The ports the
/// system hands out have five digits, as `$PORT` has: lines wrap where they wrapped.
fn fixed(world: &World, stderr: &str) -> String {
    let port = world.emulator().base_url();
    let port = port
        .trim_end_matches("/apiex.htm")
        .rsplit(':')
        .next()
        .unwrap_or_default();
    assert_eq!(port.len(), 5, "a port of another width wraps elsewhere");
    stderr.replace(&format!("127.0.0.1:{port}"), "127.0.0.1:$PORT")
}

fn label(backend: Backend) -> &'static str {
    match backend {
        Backend::Legacy => "legacy",
        Backend::V2 => "v2",
    }
}

#[track_caller]
fn assert_no_state(world: &World) {
    assert!(
        !world.dir().join(".gtcamp").exists(),
        "a run that could not sign in wrote {:?}",
        std::fs::read_dir(world.dir().join(".gtcamp")).map(|entries| entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect::<Vec<_>>())
    );
}

on_both_backends! {
    /// The first trap: `GETUI_MASTER_SECRET=wrong gtcamp plan --detailed-exitcode`.
    fn a_wrong_master_secret_fails_every_run_and_writes_no_state(backend) {
        let world = weeks_ahead(backend);
        let mut shown = Vec::new();
        for args in [
            &["plan", "--detailed-exitcode"][..],
            &["plan", "--detailed-exitcode", "--refresh=false"],
            &["apply", "--auto-approve"],
            &["apply", "--auto-approve", "--refresh=false"],
        ] {
            let run = run_with(&world, "GETUI_MASTER_SECRET", WRONG_SECRET, args).expect(1);
            assert_eq!(run.stdout, "", "{args:?}");
            assert!(!run.stderr.contains(WRONG_SECRET), "the secret was shown: {}", run.stderr);
            shown.push(fixed(&world, &run.stderr));
            assert_no_state(&world);
        }
        shown.dedup();
        assert_eq!(shown.len(), 1, "plan and apply say it alike: {shown:#?}");
        insta::assert_snapshot!(format!("wrong_master_secret_{}", label(backend)), shown[0]);
        assert!(world.waiting().is_empty());

        // With the right secret, the same plan goes through.
        world.plan().expect(0);
        assert!(world.dir().join(crate::harness::STATE_FILE).exists());
    }
}

/// Getui answers a wrong sign on `/auth` with 20001 "sign is invalid": a V2 run says the
/// master secret or app key is wrong and where to set them, exits 1, and shows no secret.
#[test]
fn a_wrong_master_secret_on_v2_is_named_as_such_with_getuis_own_words() {
    let world = weeks_ahead(Backend::V2);
    let run = run_with(&world, "GETUI_MASTER_SECRET", WRONG_SECRET, &["plan"]).expect(1);
    let said = crate::harness::words(&run.stderr);
    for expected in [
        "could not sign in to target `emu`: Getui refused the app key and master secret: `POST /auth` answered code 20001: sign is invalid",
        "The master secret or app key is wrong: check GETUI_APP_KEY and GETUI_MASTER_SECRET (and GETUI_APP_ID) for this target",
    ] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    for secret in [WRONG_SECRET, "demo-secret"] {
        assert!(
            !run.stderr.contains(secret) && !run.stdout.contains(secret),
            "{secret}"
        );
    }
    assert_no_state(&world);
}

on_both_backends! {
    fn an_app_id_that_is_not_the_app_keys_fails_the_run_and_writes_no_state(backend) {
        let world = weeks_ahead(backend);
        let run = run_with(
            &world,
            "GETUI_APP_ID",
            "not-our-app",
            &["plan", "--detailed-exitcode", "--refresh=false"],
        )
        .expect(1);
        insta::assert_snapshot!(
            format!("unknown_app_id_{}", label(backend)),
            fixed(&world, &run.stderr)
        );
        assert_no_state(&world);
    }
}

#[test]
fn an_endpoint_that_does_not_answer_fails_the_run_and_writes_no_state() {
    let world = weeks_ahead(Backend::Legacy);
    let settings = std::fs::read_to_string(world.dir().join("gtcamp.yaml")).unwrap();
    // Nothing listens on the discard port of the loopback address.
    world.write(
        "gtcamp.yaml",
        &settings.replace(&world.emulator().base_url(), "http://127.0.0.1:9/apiex.htm"),
    );
    for args in [
        &["plan", "--detailed-exitcode", "--refresh=false"][..],
        &["apply", "--auto-approve"],
    ] {
        let run = world.run(args).expect(1);
        let said = crate::harness::words(&run.stderr);
        for expected in [
            "could not sign in to target `emu`: could not reach Getui",
            "check the network and the target's endpoint",
            "no state was written",
            "Target: emu, Getui app `demo` (legacy API at http://127.0.0.1:9/apiex.htm)",
        ] {
            assert!(said.contains(expected), "{expected}: {said}");
        }
        assert_no_state(&world);
    }
    // `validate` reads only the files: it passes, whatever the endpoint.
    world.run(&["validate"]).expect(0);
}

#[test]
fn validate_asks_nothing_of_getui_even_with_a_wrong_secret() {
    let world = weeks_ahead(Backend::Legacy);
    run_with(&world, "GETUI_MASTER_SECRET", WRONG_SECRET, &["validate"]).expect(0);
    assert!(world.emulator().recorded_requests().is_empty());
    assert_no_state(&world);
}
