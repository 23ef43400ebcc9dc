//! `gtcamp` processes as CI runners: each has its own working copy of the workspace, all
//! share the state in one database.

use std::path::Path;
use std::process::{Child, Output, Stdio};

use crate::cluster::{
    PASSWORD, PASSWORD_USER, PASSWORD_USER_PASSWORD, certs, cluster, fresh_database,
    fresh_database_name, query, try_query,
};
use crate::harness::{
    World, bindings, cid, devices, one_off, settle_held, words, write_busy_workspace,
};

/// What a run showed; the database password appears in neither stream.
#[derive(Debug)]
struct Shown {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Shown {
    #[track_caller]
    fn of(output: Output) -> Shown {
        let shown = Shown {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !shown.stdout.contains(PASSWORD) && !shown.stderr.contains(PASSWORD),
            "the database password was shown: {shown:?}"
        );
        shown
    }

    #[track_caller]
    fn expect(self, code: i32) -> Shown {
        assert_eq!(self.code, Some(code), "{self:?}");
        self
    }
}

/// A workspace whose state is in a fresh database, and a second working copy of it.
struct Team {
    world: World,
    url: String,
    other: tempfile::TempDir,
}

impl Team {
    fn new(world: World) -> Team {
        let url = fresh_database();
        let settings = std::fs::read_to_string(world.dir().join("gtcamp.yaml")).unwrap();
        world.write(
            "gtcamp.yaml",
            &format!("{settings}state:\n  backend: postgres\n"),
        );
        let other = tempfile::tempdir().unwrap();
        Team { world, url, other }
    }

    /// Copies the workspace files into the second working copy, as a second checkout would.
    fn sync_other(&self) {
        for entry in std::fs::read_dir(self.world.dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && path.extension().is_some_and(|ext| ext == "yaml") {
                std::fs::copy(&path, self.other.path().join(path.file_name().unwrap())).unwrap();
            }
        }
    }

    fn command(&self, dir: &Path, args: &[&str]) -> assert_cmd::Command {
        let mut command = self.world.command(args);
        // Runners here are killed on purpose and recovered at once; the wait that guards
        // against a lost lock has a test of its own.
        command
            .current_dir(dir)
            .env("GTCAMP_PG_URL", &self.url)
            .env(gtcamp::state::IN_FLIGHT_GRACE_VAR, "0");
        for variable in [
            "GITHUB_SERVER_URL",
            "GITHUB_REPOSITORY",
            "GITHUB_RUN_ID",
            "CI_JOB_URL",
        ] {
            command.env_remove(variable);
        }
        command
    }

    fn run(&self, dir: &Path, args: &[&str]) -> Shown {
        Shown::of(self.command(dir, args).output().unwrap())
    }

    /// What the second runner does about a fire the crash left held (see [`settle_held`]).
    fn settle_held(&self, run: Shown) -> Shown {
        settle_held(
            &self.world,
            run,
            |run| &run.stderr,
            |args| self.run(self.second(), args),
        )
    }

    fn first(&self) -> &Path {
        self.world.dir()
    }

    fn second(&self) -> &Path {
        self.other.path()
    }

    /// A background `gtcamp apply` in `dir`.
    fn spawn_apply(&self, dir: &Path, github: bool) -> Child {
        let mut command = std::process::Command::new(assert_cmd::cargo_bin!("gtcamp"));
        command
            .args(["apply", "--auto-approve"])
            .current_dir(dir)
            .env("GETUI_APP_KEY", "demo-key")
            .env("GETUI_MASTER_SECRET", "demo-secret")
            .env("NO_COLOR", "1")
            .env("GTCAMP_PG_URL", &self.url)
            .env(gtcamp::state::IN_FLIGHT_GRACE_VAR, "0")
            .env(gtcamp::clock::NOW_VAR, self.world.now().to_rfc3339())
            .env_remove(gtcamp::apply::CRASH_VAR)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if github {
            command
                .env("GITHUB_SERVER_URL", "https://github.com")
                .env("GITHUB_REPOSITORY", "acme/pushes")
                .env("GITHUB_RUN_ID", "4242");
        }
        command.spawn().expect("gtcamp starts")
    }
}

/// `text` without whitespace or frame: what survives any line wrapping.
fn squashed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

/// Five one-off pushes on five days.
fn five_pushes(world: &World) {
    for n in 0..5 {
        let at = format!("2030-01-{:02}T12:00:00+08:00", n + 8);
        world.write(&format!("c{n}.yaml"), &one_off(&format!("c{n}"), &at, "Hi"));
    }
}

/// Waits until the holder row names process `pid`: it then holds the lock.
fn wait_for_holder(team: &Team, pid: u32) {
    let sql = format!("SELECT holder FROM gtcamp_lock WHERE workspace = 'e2e/emu' AND pid = {pid}");
    for _ in 0..6_000 {
        // The table does not exist until the first runner created it.
        if try_query(&team.url, &sql).is_ok_and(|rows| !rows.is_empty()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("process {pid} never took the lock");
}

/// A team whose first runner is frozen (SIGSTOP) while it holds the lock, so that another
/// runner surely finds it held; `None` when the runner was done before it could be frozen.
fn frozen_holder() -> Option<(Team, Child)> {
    let team = Team::new(World::new(devices(3)));
    five_pushes(&team.world);
    team.sync_other();
    let mut holder = team.spawn_apply(team.first(), true);
    let pid = holder.id();
    wait_for_holder(&team, pid);
    // SAFETY: kill on a child of ours with a valid signal.
    unsafe { libc::kill(pid as i32, libc::SIGSTOP) };
    let held = query(
        &team.url,
        // This test's database only: the other tests run at once on the same server.
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    if held[0][0].as_deref() == Some("1") {
        return Some((team, holder));
    }
    unsafe { libc::kill(pid as i32, libc::SIGCONT) };
    let _ = holder.wait();
    None
}

#[test]
fn a_runner_finding_the_state_locked_names_the_holder_and_its_ci_run_and_nothing_is_sent_twice() {
    let (team, holder) = (0..5)
        .find_map(|_| frozen_holder())
        .expect("a runner was caught holding the lock");
    let pid = holder.id();
    let waiter = team.run(
        team.second(),
        &["apply", "--auto-approve", "--lock-timeout", "1s"],
    );
    // SAFETY: kill on a child of ours with a valid signal.
    unsafe { libc::kill(pid as i32, libc::SIGCONT) };
    let waiter = waiter.expect(1);
    for shown in [
        format!("pid {pid} on host `"),
        "running `gtcamp apply`".to_owned(),
        "since ".to_owned(),
        "CI run https://github.com/acme/pushes/actions/runs/4242".to_owned(),
        "--lock-timeout".to_owned(),
    ] {
        assert!(
            squashed(&waiter.stderr).contains(&squashed(&shown)),
            "{shown}: {}",
            waiter.stderr
        );
    }
    let holder = Shown::of(holder.wait_with_output().unwrap()).expect(0);
    assert!(holder.stdout.contains("Apply complete!"), "{holder:?}");
    // The other runner, once the lock is free, finds nothing left to do.
    team.run(team.second(), &["plan", "--detailed-exitcode"])
        .expect(0);
    assert_eq!(team.world.waiting().len(), 5);
    team.world.assert_no_duplicates();
}

#[test]
fn two_runners_applying_at_once_create_each_push_once() {
    let team = Team::new(World::new(devices(3)));
    five_pushes(&team.world);
    team.sync_other();
    let first = team.spawn_apply(team.first(), false);
    let second = team.spawn_apply(team.second(), false);
    Shown::of(first.wait_with_output().unwrap()).expect(0);
    Shown::of(second.wait_with_output().unwrap()).expect(0);
    assert_eq!(team.world.waiting().len(), 5);
    team.world.assert_no_duplicates();
    team.run(team.first(), &["plan", "--detailed-exitcode"])
        .expect(0);
    let listed = team.run(team.second(), &["state", "list"]).expect(0);
    assert!(listed.stdout.contains("5 scheduled tasks"), "{listed:?}");
}

#[test]
fn plan_and_apply_work_for_a_role_the_server_admits_only_over_tls_under_verify_full() {
    let mut team = Team::new(World::new(devices(3)));
    // pg_hba.conf rejects this role on a plain connection, as a TLS-only managed database
    // rejects everyone.
    team.url = format!(
        "postgres://{PASSWORD_USER}:{PASSWORD_USER_PASSWORD}@localhost:{}/{}?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={}",
        cluster().port,
        fresh_database_name(),
        certs().ca.display()
    );
    five_pushes(&team.world);
    let shown = |run: &Shown| {
        assert!(
            !run.stdout.contains(PASSWORD_USER_PASSWORD)
                && !run.stderr.contains(PASSWORD_USER_PASSWORD),
            "the password was shown: {run:?}"
        );
    };
    let planned = team.run(team.first(), &["plan"]).expect(0);
    shown(&planned);
    assert!(planned.stdout.contains("5 to create"), "{planned:?}");
    let applied = team
        .run(team.first(), &["apply", "--auto-approve"])
        .expect(0);
    shown(&applied);
    assert_eq!(team.world.waiting().len(), 5);
    let again = team
        .run(team.first(), &["plan", "--detailed-exitcode"])
        .expect(0);
    shown(&again);
    // Without TLS the same role is turned away, and the error says which setting to change.
    team.url = team.url.replace("sslmode=verify-full", "sslmode=disable");
    let refused = team.run(team.first(), &["plan"]);
    shown(&refused);
    assert_ne!(refused.code, Some(0), "{refused:?}");
}

/// Two scheduled pushes, one due list push and 60 bindings: every kind of journaled call.
fn busy_team() -> Team {
    let team = Team::new(World::new(devices(60)));
    let world = &team.world;
    write_busy_workspace(world);
    team.sync_other();
    team
}

#[test]
fn a_runner_killed_at_any_journal_step_is_recovered_by_another_runner() {
    // 5 operations (2 creates, 1 fire, 2 binding batches), each journaled twice.
    for step in 1..=10 {
        let team = busy_team();
        let crashed = team
            .command(team.first(), &["apply", "--auto-approve"])
            .env(gtcamp::apply::CRASH_VAR, step.to_string())
            .output()
            .unwrap();
        assert_ne!(crashed.status.code(), Some(0), "step {step}: no crash");
        let rerun = team.settle_held(team.run(team.second(), &["apply", "--auto-approve"]));
        assert_eq!(rerun.code, Some(0), "step {step}: {rerun:?}");
        team.world.assert_no_duplicates();
        assert_eq!(team.world.waiting().len(), 2, "step {step}");
        let snapshot = team.world.snapshot();
        assert_eq!(snapshot.list_pushes.len(), 1, "step {step}: fired once");
        assert_eq!(snapshot.bindings.len(), 60, "step {step}: no binding lost");
        let listed = team.run(team.first(), &["state", "list"]).expect(0);
        assert!(
            listed
                .stdout
                .contains("2 scheduled tasks, 1 list push, 60 phone bindings"),
            "step {step}: {listed:?}"
        );
        team.run(team.first(), &["plan", "--detailed-exitcode"])
            .expect(0);
    }
}

#[test]
fn a_runner_waits_for_the_calls_a_killed_runner_may_still_have_in_flight() {
    let team = busy_team();
    // Killed right after journaling its first create: the call may still be on its way.
    let crashed = team
        .command(team.first(), &["apply", "--auto-approve"])
        .env(gtcamp::apply::CRASH_VAR, "1")
        .output()
        .unwrap();
    assert_ne!(crashed.status.code(), Some(0), "no crash");
    let rerun = team
        .command(team.second(), &["apply", "--auto-approve"])
        .env(gtcamp::state::IN_FLIGHT_GRACE_VAR, "3")
        .output()
        .unwrap();
    let rerun = Shown::of(rerun);
    assert!(
        rerun
            .stderr
            .contains("before recovering: another run journaled a call"),
        "{rerun:?}"
    );
    // The first journal write may be the fire's: then it is held until its report shows it
    // (or, never pushed, a person sends it anew).
    let rerun = team.settle_held(rerun);
    assert_eq!(rerun.code, Some(0), "{rerun:?}");
    team.world.assert_no_duplicates();
    assert_eq!(team.world.waiting().len(), 2);
}

#[test]
fn migrate_moves_the_local_state_keeping_lineage_and_serial_and_the_plan_stays_empty() {
    let world = World::new(devices(60));
    world.write("a.yaml", &one_off("a", "2030-01-09T12:00:00+08:00", "A"));
    let cids: Vec<String> = (0..60).map(cid).collect();
    world.write("phones.yaml", &bindings(&cids, "p"));
    world.apply().expect(0);
    let local = world.state();
    let team = Team::new(world);
    team.sync_other();
    let migrated = team
        .run(team.first(), &["state", "migrate", "--to", "postgres"])
        .expect(0);
    let lineage = local["lineage"].as_str().unwrap();
    let serial = local["serial"].as_u64().unwrap();
    assert!(
        migrated
            .stderr
            .contains(&format!("lineage {lineage}, serial {serial}"))
            && migrated.stderr.contains("60 phone bindings")
            && migrated.stderr.contains("state.json.migrated"),
        "{migrated:?}"
    );
    let row = query(
        &team.url,
        "SELECT lineage, serial FROM gtcamp_state WHERE workspace = 'e2e/emu'",
    );
    assert_eq!(row[0][0].as_deref(), Some(lineage));
    assert_eq!(row[0][1], Some(serial.to_string()));
    let gtcamp_dir = team.first().join(".gtcamp/emu");
    assert!(!gtcamp_dir.join("state.json").exists());
    assert!(gtcamp_dir.join("state.json.migrated").exists());
    // A migration stopped after the database's commit and before the renames: run again,
    // it finds its own copy in the row and only finishes the renames.
    std::fs::rename(
        gtcamp_dir.join("state.json.migrated"),
        gtcamp_dir.join("state.json"),
    )
    .unwrap();
    team.run(team.first(), &["state", "migrate", "--to", "postgres"])
        .expect(0);
    assert!(!gtcamp_dir.join("state.json").exists());
    let row_again = query(
        &team.url,
        "SELECT lineage, serial FROM gtcamp_state WHERE workspace = 'e2e/emu'",
    );
    assert_eq!(row_again, row);
    team.run(team.second(), &["plan", "--detailed-exitcode"])
        .expect(0);
    // Nothing local is left to move; the row is not touched.
    let again = team
        .run(team.first(), &["state", "migrate", "--to", "postgres"])
        .expect(1);
    assert!(again.stderr.contains("no local state"), "{again:?}");
}

/// `stderr` with what changes from run to run made fixed: the database's URL and `lineage`.
fn fixed(team: &Team, stderr: &str, lineage: &str) -> String {
    stderr
        .replace(
            &gtcamp::state::redact_url(&team.url, "GTCAMP_PG_URL"),
            "postgres://postgres:***@HOST:PORT/DATABASE",
        )
        .replace(lineage, "LINEAGE")
}

/// The lines of a miette report that hold `text`, frame and indent taken off.
fn lines_with<'a>(stderr: &'a str, text: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .map(|line| line.trim_start_matches([' ', '│', '×']).trim())
        .filter(|line| line.contains(text))
        .collect()
}

/// The row of the workspace's one target: its lineage and serial.
fn row(team: &Team) -> Vec<Vec<Option<String>>> {
    query(
        &team.url,
        "SELECT lineage, serial FROM gtcamp_state WHERE workspace = 'e2e/emu'",
    )
}

#[test]
fn migrate_refuses_to_overwrite_a_state_the_database_already_holds_and_shows_the_sql() {
    let world = World::new(devices(3));
    world.write("a.yaml", &one_off("a", "2030-01-09T12:00:00+08:00", "A"));
    world.apply().expect(0);
    let team = Team::new(world);
    team.sync_other();
    // The other runner applied into the database before the migration.
    std::fs::write(
        team.second().join("b.yaml"),
        one_off("b", "2030-01-10T12:00:00+08:00", "B"),
    )
    .unwrap();
    team.run(team.second(), &["apply", "--auto-approve"])
        .expect(0);
    let theirs = row(&team)[0][0].clone().unwrap();
    let refused = team
        .run(team.first(), &["state", "migrate", "--to", "postgres"])
        .expect(1);
    insta::assert_snapshot!(
        "migrate_refuses_a_row_that_holds_a_task",
        fixed(&team, &refused.stderr, &theirs)
    );
    // The lineage is whole on a line of its own, whatever the width it is drawn at.
    assert_eq!(
        lines_with(&refused.stderr, &theirs),
        vec![format!("lineage:  {theirs}")]
    );
    assert!(team.first().join(crate::harness::STATE_FILE).exists());

    // The statements shown are the exact ones: run them, and the migration goes through.
    let statements = lines_with(&refused.stderr, "DELETE FROM");
    assert_eq!(statements.len(), 2, "{refused:?}");
    for statement in statements {
        query(&team.url, statement);
    }
    team.run(team.first(), &["state", "migrate", "--to", "postgres"])
        .expect(0);
    let local = row(&team)[0][0].clone().unwrap();
    assert_ne!(local, theirs);
}

/// The issue's third trap: after switching to PostgreSQL, `plan` did not notice the local
/// state, planned its push again (a duplicate of one already created) and wrote an empty
/// row, which `state migrate` then refused.
#[test]
fn a_local_state_beside_postgres_stops_the_plan_with_the_migrate_command_to_run() {
    let world = World::new(devices(3));
    world.write("a.yaml", &one_off("a", "2030-01-09T12:00:00+08:00", "A"));
    world.apply().expect(0);
    let lineage = world.state()["lineage"].as_str().unwrap().to_owned();
    let team = Team::new(world);
    team.sync_other();
    for args in [
        &["plan"][..],
        &["apply", "--auto-approve"],
        &["state", "list"],
    ] {
        let stopped = team.run(team.first(), args).expect(1);
        insta::assert_snapshot!("a_local_state_beside_postgres", stopped.stderr);
    }
    let stopped = team.run(team.first(), &["plan"]).expect(1);
    // Nothing was written to the database, not even an empty row.
    let rows = try_query(&team.url, "SELECT workspace FROM gtcamp_state");
    assert!(rows.is_err() || rows == Ok(Vec::new()), "{rows:?}");

    // Before this fix, another runner's plan had already written an empty row. The
    // migration takes its place, and says so in lines no id is broken across.
    team.run(team.second(), &["plan", "--detailed-exitcode"])
        .expect(2);
    let empty = row(&team);
    assert_eq!(empty[0][1].as_deref(), Some("1"), "a plan stamps its row");
    let command = lines_with(&stopped.stderr, "gtcamp state migrate");
    assert_eq!(
        command,
        vec!["gtcamp state migrate --to postgres --target emu"],
        "{stopped:?}"
    );
    let args: Vec<&str> = command[0].split(' ').skip(1).collect();
    let migrated = team.run(team.first(), &args).expect(0);
    assert!(
        migrated
            .stderr
            .contains(&format!("lineage {lineage}, serial ")),
        "{migrated:?}"
    );
    assert_eq!(row(&team)[0][0].as_deref(), Some(lineage.as_str()));
    for dir in [team.first(), team.second()] {
        team.run(dir, &["plan", "--detailed-exitcode"]).expect(0);
    }
    assert_eq!(team.world.waiting().len(), 1);
    team.world.assert_no_duplicates();
}

#[test]
fn a_local_state_that_holds_nothing_leaves_the_databases_state_as_it_is() {
    let team = Team::new(World::new(devices(3)));
    team.world
        .write("a.yaml", &one_off("a", "2030-01-09T12:00:00+08:00", "A"));
    team.sync_other();
    team.run(team.second(), &["apply", "--auto-approve"])
        .expect(0);
    let theirs = row(&team);
    // A local state that a plan wrote before the switch, which holds nothing.
    let local = r#"{"format_version":1,"lineage":"0c5b4a8e-1111-4222-8333-444455556666","serial":1,"target":"emu","app_id":"demo","tasks":{},"bindings":{},"fired":{},"history":[]}"#;
    team.world.write(crate::harness::STATE_FILE, local);
    team.run(team.first(), &["plan"]).expect(1);
    let migrated = team
        .run(team.first(), &["state", "migrate", "--to", "postgres"])
        .expect(0);
    assert!(
        migrated.stderr.contains("The local state held nothing"),
        "{migrated:?}"
    );
    assert_eq!(row(&team), theirs);
    team.run(team.first(), &["plan", "--detailed-exitcode"])
        .expect(0);
}

#[test]
fn state_reset_removes_a_row_that_holds_nothing_and_keeps_one_with_a_task() {
    let team = Team::new(World::new(devices(3)));
    team.world
        .write("a.yaml", &one_off("a", "2030-01-09T12:00:00+08:00", "A"));
    team.run(team.first(), &["plan"]).expect(0);
    assert_eq!(row(&team).len(), 1);
    let reset = team
        .run(team.first(), &["state", "reset", "--target", "emu"])
        .expect(0);
    assert!(
        squashed(&reset.stderr)
            .contains(&squashed("the row of workspace `e2e/emu` in postgres://")),
        "{reset:?}"
    );
    assert_eq!(row(&team), Vec::<Vec<Option<String>>>::new());
    team.run(team.first(), &["apply", "--auto-approve"])
        .expect(0);
    let kept = team
        .run(team.first(), &["state", "reset", "--target", "emu"])
        .expect(1);
    assert_eq!(
        lines_with(&kept.stderr, "a@2030-01-09T12:00+08:00").len(),
        1,
        "{kept:?}"
    );
    assert_eq!(row(&team).len(), 1);
    team.run(team.first(), &["plan", "--detailed-exitcode"])
        .expect(0);
}

#[test]
fn a_missing_url_variable_is_named_and_a_bad_server_is_shown_without_password() {
    let team = Team::new(World::new(devices(3)));
    let missing = Shown::of(
        team.command(team.first(), &["plan"])
            .env_remove("GTCAMP_PG_URL")
            .output()
            .unwrap(),
    )
    .expect(1);
    let words = words(&missing.stderr);
    assert!(
        words.contains("the environment variable `GTCAMP_PG_URL` that holds its URL is not set"),
        "{missing:?}"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = format!("postgres://gtcamp:{PASSWORD}@127.0.0.1:{port}/nowhere");
    let refused = Shown::of(
        team.command(team.first(), &["plan"])
            .env("GTCAMP_PG_URL", &closed)
            .output()
            .unwrap(),
    )
    .expect(1);
    assert!(
        refused
            .stderr
            .contains(&format!("postgres://gtcamp:***@127.0.0.1:{port}/nowhere")),
        "{refused:?}"
    );
}

#[test]
fn a_tls_failure_names_the_check_and_the_setting_to_change_and_never_the_password() {
    let team = Team::new(World::new(devices(3)));
    // The test certificate names `localhost` only.
    let by_address = team.url.replace("@localhost:", "@127.0.0.1:");
    let refused = Shown::of(
        team.command(team.first(), &["plan"])
            .env("GTCAMP_PG_URL", &by_address)
            .output()
            .unwrap(),
    )
    .expect(1);
    let words = words(&refused.stderr);
    assert!(
        words.contains("is not valid for host `127.0.0.1`")
            && words.contains("set sslmode=verify-ca"),
        "{refused:?}"
    );
}

#[test]
fn url_env_names_the_variable_and_a_bad_name_is_refused_by_validate() {
    let team = Team::new(World::new(devices(3)));
    let settings = std::fs::read_to_string(team.first().join("gtcamp.yaml")).unwrap();
    team.world.write(
        "gtcamp.yaml",
        &format!("{settings}  url_env: TEAM_DB\n  workspace: shop-eu\n"),
    );
    let plan = Shown::of(
        team.command(team.first(), &["plan", "--detailed-exitcode"])
            .env_remove("GTCAMP_PG_URL")
            .env("TEAM_DB", &team.url)
            .output()
            .unwrap(),
    )
    .expect(0);
    assert!(plan.stdout.contains("No changes"), "{plan:?}");
    assert_eq!(
        query(&team.url, "SELECT workspace FROM gtcamp_state"),
        vec![vec![Some("shop-eu/emu".to_owned())]]
    );
    for (state, code) in [
        ("  url_env: postgres://u:p@h/db\n", "GC064"),
        ("  workspace: Shop_EU\n", "GC065"),
        ("  path: old/state.json\n", "GC066"),
    ] {
        team.world
            .write("gtcamp.yaml", &format!("{settings}{state}"));
        let shown = team.run(team.first(), &["validate"]);
        assert!(
            shown.stdout.contains(code) || shown.stderr.contains(code),
            "{code}: {shown:?}"
        );
    }
}

#[test]
fn an_earlier_row_for_every_target_is_refused_until_assigned_then_nothing_is_lost() {
    let team = Team::new(World::new(devices(60)));
    write_busy_workspace(&team.world);
    team.run(team.first(), &["apply", "--auto-approve"])
        .expect(0);
    let before = query(
        &team.url,
        "SELECT lineage, serial FROM gtcamp_state WHERE workspace = 'e2e/emu'",
    );
    // What an earlier version kept: one row under the workspace's name, naming no target.
    query(
        &team.url,
        "UPDATE gtcamp_state SET workspace = 'e2e',
             state = ((state::jsonb - 'target') - 'app_id')::text
         WHERE workspace = 'e2e/emu'",
    );
    for target in ["emu", "sandbox"] {
        let refused = team
            .run(team.first(), &["plan", "--target", target])
            .expect(1);
        let said = words(&refused.stderr);
        assert!(said.contains("gtcamp state assign --target NAME"), "{said}");
    }
    team.run(team.first(), &["state", "assign", "--target", "emu"])
        .expect(0);
    let after = query(
        &team.url,
        "SELECT lineage, serial FROM gtcamp_state WHERE workspace = 'e2e/emu'",
    );
    assert_eq!(after, before);
    let plan = team.run(team.first(), &["plan", "--detailed-exitcode"]);
    plan.expect(0);
    team.world.assert_no_duplicates();
}

#[test]
fn two_workspaces_of_one_name_for_two_apps_never_share_a_row() {
    let team = Team::new(World::new(devices(60)));
    write_busy_workspace(&team.world);
    team.run(team.first(), &["apply", "--auto-approve"])
        .expect(0);
    let row = query(&team.url, "SELECT lineage, serial FROM gtcamp_state");

    // A second repository with the same workspace name, for another Getui app.
    team.sync_other();
    let settings = std::fs::read_to_string(team.second().join("gtcamp.yaml")).unwrap();
    let other_app = settings.replace("app_id: demo", "app_id: demo-two");
    assert_ne!(other_app, settings);
    std::fs::write(team.second().join("gtcamp.yaml"), &other_app).unwrap();
    // Its target reaches that app, which signs the run in.
    let demo_two = team.world.another_app("demo-two");
    team.world.point_at(team.second(), &demo_two);
    let other_app = std::fs::read_to_string(team.second().join("gtcamp.yaml")).unwrap();
    let before = team.world.emulator().recorded_requests().len();
    let refused = team.run(team.second(), &["plan"]).expect(1);
    let said = words(&refused.stderr);
    assert!(
        said.contains("was made for Getui app `demo`, but this run reaches app `demo-two`"),
        "{said}"
    );
    assert_eq!(team.world.emulator().recorded_requests().len(), before);
    let asked: Vec<String> = demo_two
        .recorded_requests()
        .into_iter()
        .filter_map(|r| r.action)
        .collect();
    let sign_in = [
        "getOSPushDomailUrlListAction",
        "connect",
        "getPushResultByGroupName",
    ];
    assert!(
        asked
            .iter()
            .all(|action| sign_in.contains(&action.as_str())),
        "{asked:?}"
    );
    assert_eq!(
        query(&team.url, "SELECT lineage, serial FROM gtcamp_state"),
        row
    );

    // Named apart, it keeps a row of its own.
    std::fs::write(
        team.second().join("gtcamp.yaml"),
        format!("{other_app}  workspace: shop-two\n"),
    )
    .unwrap();
    team.run(team.second(), &["plan", "--refresh=false"])
        .expect(0);
    let keys = query(
        &team.url,
        "SELECT workspace FROM gtcamp_state ORDER BY workspace",
    );
    assert_eq!(
        keys,
        vec![
            vec![Some("e2e/emu".to_owned())],
            vec![Some("shop-two/emu".to_owned())]
        ]
    );
}
