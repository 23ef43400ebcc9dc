//! Getui's limits on pushes (100 app pushes a day, 5 a minute): the plan counts against
//! them, the apply paces to them and stops creating when Getui says a day is spent, and the
//! emulator enforces them as Getui does.

use crate::harness::{
    Backend, Call, UNPACED, World, bindings, cid, devices, gtcamp_at, on_both_backends, one_off,
    words,
};

/// A Monday, 08:00 in Beijing.
const NOW: &str = "2030-01-07T00:00:00Z";

fn campaigns(count: usize, day: &str) -> Vec<(String, String)> {
    (0..count)
        .map(|n| {
            let name = format!("promo-{n:03}");
            let at = format!("{day}T{:02}:{:02}:00+08:00", 9 + n / 60, n % 60);
            let body = one_off(&name, &at, &format!("Sale {n}"));
            (format!("{name}.yaml"), body)
        })
        .collect()
}

fn sandbox_workspace(limits: &str, count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp folder");
    let settings = format!(
        "kind: Workspace\nname: limits\napp_id: demo\ntargets:\n  sandbox:\n    type: sandbox\n    population: 20\n    protocol: v2\n{limits}defaults:\n  timezone: Asia/Shanghai\n"
    );
    std::fs::write(dir.path().join("gtcamp.yaml"), settings).unwrap();
    for (file, body) in campaigns(count, "2030-01-09") {
        std::fs::write(dir.path().join(file), body).unwrap();
    }
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn twenty_v2_app_pushes_are_paced_five_a_minute_on_the_emulators_clock() {
    // The sandbox enforces the limits its target writes, as Getui would: an apply that did
    // not pace would be refused 30014 from the sixth create on.
    let ws = sandbox_workspace("    limits: {}\n", 20);
    let plan = gtcamp_at(ws.path(), NOW, &["plan", "--detailed-exitcode"]);
    let stdout = text(&plan.stdout);
    assert_eq!(
        plan.status.code(),
        Some(2),
        "{stdout}{}",
        text(&plan.stderr)
    );
    assert!(
        stdout.contains(
            "Getui's limits: 20 app pushes, 20 of 100 a day; paced at 5 a minute, about 3 minutes."
        ),
        "{stdout}"
    );
    let apply = gtcamp_at(ws.path(), NOW, &["apply", "--auto-approve"]);
    let (stdout, stderr) = (text(&apply.stdout), text(&apply.stderr));
    assert_eq!(apply.status.code(), Some(0), "{stdout}\n{stderr}");
    let waits: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("pacing: waiting"))
        .collect();
    assert_eq!(waits.len(), 3, "{stderr}");
    assert!(
        waits[0].contains("for Getui's limit of 5 app pushes a minute"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("  created promo-").count(), 20, "{stderr}");
    let again = gtcamp_at(ws.path(), NOW, &["plan", "--detailed-exitcode"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
    assert!(text(&again.stdout).contains("No changes."));
}

#[test]
fn a_sandbox_without_limits_does_not_pace_but_says_what_production_needs() {
    let ws = sandbox_workspace("", 7);
    let plan = gtcamp_at(ws.path(), NOW, &["plan"]);
    let stdout = text(&plan.stdout);
    assert!(
        stdout.contains("Getui's limits: none on this sandbox; on Getui's published limits, production would need 7 app pushes, 7 of 100 a day; paced at 5 a minute, about 1 minute."),
        "{stdout}"
    );
    let apply = gtcamp_at(ws.path(), NOW, &["apply", "--auto-approve"]);
    let stderr = text(&apply.stderr);
    assert_eq!(apply.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("pacing"), "{stderr}");
}

/// The workspace's target with Getui's published limits (no `limits:`), on `world`.
fn default_limits(world: &World) {
    let settings = std::fs::read_to_string(world.dir().join("gtcamp.yaml")).unwrap();
    let unlimited = format!("\n    {UNPACED}");
    assert!(settings.contains(&unlimited));
    world.write("gtcamp.yaml", &settings.replace(&unlimited, ""));
}

on_both_backends! {
    /// 101 app pushes in one day can never be applied on a default account: the plan says
    /// so before anything is sent, with the ways out.
    fn a_plan_over_the_daily_limit_fails_before_anything_is_sent(backend) {
        let world = World::on(backend, devices(3));
        default_limits(&world);
        for (file, body) in campaigns(101, "2030-01-09") {
            world.write(&file, &body);
        }
        let requests = world.emulator().recorded_requests().len();
        let plan = world.plan().expect(1);
        let said = words(&plan.stderr);
        assert!(
            said.contains("target `emu`: this plan needs 101 app pushes on 2030-01-07 (Beijing), but the target allows 100 a day"),
            "{said}"
        );
        assert!(said.contains("shorten the target's `max_push_ahead`"), "{said}");
        assert!(said.contains("raise `limits.app_pushes_per_day`"), "{said}");
        assert!(plan.stdout.is_empty(), "{}", plan.stdout);
        world.apply().expect(1);
        assert_eq!(world.calls_since(Call::CreateAppPush, requests), 0);
        assert!(world.waiting().is_empty());
    }
}

on_both_backends! {
    /// The pushes gtcamp made earlier the same Beijing day count against the limit.
    fn pushes_made_earlier_that_day_count_against_the_next_plan(backend) {
        let world = World::on(backend, devices(3));
        world.write(
            "gtcamp.yaml",
            &std::fs::read_to_string(world.dir().join("gtcamp.yaml"))
                .unwrap()
                .replace(UNPACED, "limits: {app_pushes_per_day: 3, app_pushes_per_minute: 100}"),
        );
        for (file, body) in campaigns(2, "2030-01-09") {
            world.write(&file, &body);
        }
        world.apply().expect(0);
        for (file, body) in campaigns(4, "2030-01-09") {
            world.write(&file, &body);
        }
        let plan = world.plan().expect(1);
        let said = words(&plan.stderr);
        assert!(
            said.contains("this plan needs 2 app pushes on 2030-01-07 (Beijing), but the target allows 3 a day, and gtcamp made 2 earlier that day"),
            "{said}"
        );
        // The next Beijing day the quota is back.
        world.advance(chrono::Duration::days(1));
        world.apply().expect(0);
        assert_eq!(world.waiting().len(), 4);
    }
}

on_both_backends! {
    /// Getui's daily refusal mid-apply: the creates after it are not tried, while cancels
    /// and bindings go on; the next day's apply creates the rest.
    fn a_daily_refusal_mid_apply_stops_creates_but_not_cancels_or_binds(backend) {
        let world = World::configured(backend, devices(4), |config| {
            config.limits.app_pushes_per_day = Some(3);
        });
        world.write("old.yaml", &one_off("old", "2030-01-12T12:00:00+08:00", "Old"));
        world.apply().expect(0);
        world.remove("old.yaml");
        for (file, body) in campaigns(5, "2030-01-12") {
            world.write(&file, &body);
        }
        world.write("phones.yaml", &bindings(&[cid(0), cid(1)], "p"));
        let requests = world.emulator().recorded_requests().len();
        let apply = world.run(&["apply", "--auto-approve", "--parallelism", "1"]).expect(1);
        let said = words(&apply.stderr);
        let (code, meaning) = match backend {
            Backend::Legacy => ("PushMsgToListOrAppTimesOverLimit", "too many list or app pushes"),
            Backend::V2 => ("30010", "the daily number of push/tag pushes (shared with push/all) is spent"),
        };
        assert!(said.contains(&format!("Getui code {code} ({meaning})")), "{said}");
        assert!(
            said.contains("not sent: Getui's daily limit of app pushes is spent; it resets at 2030-01-08 00:00 CST (00:00 in Beijing), and the next apply after that sends it"),
            "{said}"
        );
        assert!(said.contains("cancelled old@"), "{said}");
        assert_eq!(world.waiting().len(), 2, "{said}");
        assert_eq!(world.snapshot().bindings.len(), 2);
        // One refused create reached Getui; the two after it were not tried.
        let creates = world.calls_since(Call::CreateAppPush, requests);
        assert_eq!(creates, 3, "{said}");
        world.advance(chrono::Duration::days(1));
        world.apply().expect(0);
        assert_eq!(world.waiting().len(), 5);
        world.plan().expect(0);
    }
}

#[test]
fn a_limit_of_zero_is_refused_where_it_is_written() {
    let ws = sandbox_workspace("    limits: {app_pushes_per_minute: 0}\n", 1);
    let validate = gtcamp_at(ws.path(), NOW, &["validate"]);
    let stderr = text(&validate.stderr);
    assert_eq!(validate.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("invalid value: integer `0`, expected a nonzero u32"),
        "{stderr}"
    );
    assert!(stderr.contains("gtcamp.yaml:9:14"), "{stderr}");
}
