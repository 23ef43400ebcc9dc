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

/// `text` with `dir` (and its canonical form) written as `[DIR]`, and the port of the
/// emulator written as `PORT`, so that snapshots do not depend on where a test ran.
fn scrubbed(text: &str, dir: &Path) -> String {
    let mut text = text.to_owned();
    if let Ok(canonical) = dir.canonicalize() {
        text = text.replace(canonical.to_string_lossy().as_ref(), "[DIR]");
    }
    text = text.replace(dir.to_string_lossy().as_ref(), "[DIR]");
    let port = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap();
    port.replace_all(&text, "127.0.0.1:PORT").into_owned()
}

/// A workspace `gtcamp init` wrote (targets `sandbox` and `production`), in a temp folder.
fn initialised() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let init = run_of(gtcamp_at(temp.path(), NOW, &["init"]));
    assert_eq!(init.code, Some(0), "{init:?}");
    temp
}

// -----------------------------------------------------------------------------------------
// 4. The wrong folder never floods the screen.

/// Every command that takes a workspace, with the words that run it here.
const WORKSPACE_COMMANDS: &[&[&str]] = &[
    &["validate"],
    &["plan"],
    &["apply", "--auto-approve"],
    &["status"],
    &["calendar"],
    &["state", "list"],
    &["import", "promo@2030-01-09T12:00+08:00", "OSA-1"],
];

#[test]
fn a_folder_without_gtcamp_yaml_stops_at_once_and_reads_none_of_its_yaml() {
    let temp = tempfile::tempdir().unwrap();
    // Other projects' YAML, which gtcamp used to judge as campaigns.
    std::fs::write(temp.path().join("docker-compose.yaml"), "services: {}\n").unwrap();
    std::fs::create_dir_all(temp.path().join("k8s")).unwrap();
    std::fs::write(temp.path().join("k8s/deploy.yml"), "kind: Deployment\n").unwrap();
    for args in WORKSPACE_COMMANDS {
        let run = run_of(gtcamp_at(temp.path(), NOW, args));
        assert_eq!(run.code, Some(1), "{args:?}: {run:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        let stderr = scrubbed(&run.stderr, temp.path());
        assert!(
            !stderr.contains("GC0"),
            "{args:?} judged the files: {stderr}"
        );
        insta::assert_snapshot!("no_workspace_here_or_above", stderr);
    }
}

#[test]
fn a_folder_named_on_the_command_line_that_is_no_workspace_is_an_error_naming_it() {
    let temp = initialised();
    std::fs::create_dir_all(temp.path().join("drafts")).unwrap();
    let run = run_of(gtcamp_at(temp.path(), NOW, &["plan", "drafts"])).expect(1);
    insta::assert_snapshot!("named_folder_inside_a_workspace", run.stderr);
    // From inside it, the folder itself is named, and leaving DIR out is the way out.
    let inside = temp.path().join("drafts");
    let run = run_of(gtcamp_at(&inside, NOW, &["validate", "."])).expect(1);
    insta::assert_snapshot!("dot_inside_a_workspace", run.stderr);
    let elsewhere = tempfile::tempdir().unwrap();
    let run = run_of(gtcamp_at(elsewhere.path(), NOW, &["calendar", "."])).expect(1);
    insta::assert_snapshot!("named_folder_in_no_workspace", run.stderr);
}

#[test]
fn from_a_subfolder_every_command_finds_the_workspace_above_as_git_does() {
    let world = World::new(devices(3));
    world.write(
        "campaigns/promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    let deep = world.dir().join("campaigns/drafts");
    std::fs::create_dir_all(&deep).unwrap();
    let run_in = |dir: &Path, args: &[&str]| {
        run_of(
            world
                .command(args)
                .current_dir(dir)
                .output()
                .expect("gtcamp runs"),
        )
    };
    let validate = run_in(&deep, &["validate"]).expect(0);
    assert_eq!(validate.stdout, "0 errors, 0 warnings\n");
    let plan = run_in(&deep, &["plan", "--detailed-exitcode"]).expect(2);
    assert!(
        plan.stdout
            .contains("campaign promo (campaigns/promo.yaml, Asia/Shanghai)"),
        "{}",
        plan.stdout
    );
    run_in(&deep, &["apply", "--auto-approve"]).expect(0);
    assert_eq!(
        world.waiting().len(),
        1,
        "created once, on the workspace above"
    );
    assert!(world.dir().join(crate::harness::STATE_FILE).is_file());
    let status = run_in(&deep, &["status"]).expect(0);
    assert!(
        status.stdout.contains("promo@2030-01-09T12:00+08:00"),
        "{status:?}"
    );
    let listed = run_in(&deep, &["state", "list"]).expect(0);
    assert!(
        listed.stdout.contains("promo@2030-01-09T12:00+08:00"),
        "{listed:?}"
    );
    let calendar = run_in(&deep, &["calendar"]).expect(0);
    assert!(calendar.stdout.contains("promo"), "{calendar:?}");
    run_in(&deep, &["plan", "--detailed-exitcode"]).expect(0);
    // A file's problems are shown with the path from where the user stands.
    world.write("campaigns/broken.yaml", "kind: Campaign\nname: Broken\n");
    let broken = run_in(&deep, &["validate"]).expect(1);
    assert!(
        broken.stderr.contains("[../broken.yaml:"),
        "{}",
        broken.stderr
    );
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
fn missing_credentials_are_named_all_at_once() {
    let temp = initialised();
    let run = run_of(gtcamp_at(
        temp.path(),
        NOW,
        &["plan", "--target", "production"],
    ))
    .expect(1);
    insta::assert_snapshot!("both_credentials_missing", run.stderr);
    let with_key = plain(temp.path())
        .args(["plan", "--target", "production"])
        .env("GETUI_APP_KEY", "key")
        .output()
        .unwrap();
    let run = run_of(with_key).expect(1);
    insta::assert_snapshot!("master_secret_missing", run.stderr);
}

#[test]
fn a_target_s_short_name_gets_did_you_mean() {
    let temp = initialised();
    let run = run_of(gtcamp_at(temp.path(), NOW, &["plan", "--target", "prod"])).expect(1);
    insta::assert_snapshot!("target_prod", run.stderr);
}

/// gtcamp as [`gtcamp_at`] runs it, to add variables to.
fn plain(dir: &Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(assert_cmd::cargo_bin!("gtcamp"));
    command
        .current_dir(dir)
        .env_remove("GETUI_APP_KEY")
        .env_remove("GETUI_MASTER_SECRET")
        .env_remove("GETUI_APP_ID")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .env("GTCAMP_NOW", NOW)
        .timeout(std::time::Duration::from_secs(120));
    command
}

/// What bash's completion offers for `words`, the last one being completed, in `dir`, with
/// the script `gtcamp completions bash` prints and the gtcamp under test on `PATH`.
fn bash_completes(dir: &Path, words: &[&str]) -> Vec<String> {
    let scripts = tempfile::tempdir().unwrap();
    let script = scripts.path().join("gtcamp.bash");
    let printed = plain(dir).args(["completions", "bash"]).output().unwrap();
    std::fs::write(&script, &printed.stdout).unwrap();
    let binary = assert_cmd::cargo_bin!("gtcamp");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let current = words.last().copied().unwrap_or("");
    let previous = words.len().checked_sub(2).map_or("", |at| words[at]);
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_clap_complete_gtcamp gtcamp '{current}' '{previous}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
    );
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(program)
        .current_dir(dir)
        .env("PATH", path)
        .env("GTCAMP_NOW", NOW)
        .env_remove("GTCAMP_COMPLETE")
        .output()
        .unwrap_or_else(|e| panic!("bash is needed to check the completions ({e})"));
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn tab_completes_target_names_of_the_workspace_not_file_names() {
    let temp = initialised();
    std::fs::write(temp.path().join("production-notes.txt"), "").unwrap();
    assert_eq!(
        bash_completes(temp.path(), &["gtcamp", "plan", "--target", ""]),
        ["production", "sandbox"]
    );
    assert_eq!(
        bash_completes(temp.path(), &["gtcamp", "apply", "--target", "pr"]),
        ["production"]
    );
    // From a subfolder, and for a workspace named on the line.
    let sub = temp.path().join("drafts");
    std::fs::create_dir_all(&sub).unwrap();
    assert_eq!(
        bash_completes(&sub, &["gtcamp", "state", "list", "--target", "s"]),
        ["sandbox"]
    );
    let above = temp.path().parent().unwrap();
    let name = temp.path().file_name().unwrap().to_str().unwrap();
    assert_eq!(
        bash_completes(above, &["gtcamp", "plan", name, "--target", "p"]),
        ["production"]
    );
    // Commands and flags still complete.
    assert_eq!(
        bash_completes(temp.path(), &["gtcamp", "val"]),
        ["validate"]
    );
    assert!(
        bash_completes(temp.path(), &["gtcamp", "plan", "--det"])
            .contains(&"--detailed-exitcode".to_owned())
    );
}

#[test]
fn tab_completes_explain_and_the_codes_it_explains() {
    let temp = initialised();
    assert_eq!(
        bash_completes(temp.path(), &["gtcamp", "expl"]),
        ["explain"]
    );
    assert_eq!(
        bash_completes(temp.path(), &["gtcamp", "explain", "GC05"]),
        [
            "GC050", "GC051", "GC052", "GC053", "GC054", "GC055", "GC056", "GC057", "GC058",
            "GC059"
        ]
    );
}

#[test]
fn errors_keep_names_and_ids_whole_in_a_narrow_terminal_and_say_a_sentence_once() {
    let world = World::new(devices(2));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    let narrow = |args: &[&str]| {
        run_of(
            world
                .command(args)
                .env("COLUMNS", "24")
                .output()
                .expect("gtcamp runs"),
        )
    };
    let unknown = narrow(&["plan", "--target", "your-getui-app-id-target"]).expect(1);
    assert!(
        unknown.stderr.contains("`your-getui-app-id-target`"),
        "{}",
        unknown.stderr
    );
    world.run(&["plan", "-o", "plan.json"]).expect(0);
    world.write(
        "other.yaml",
        &one_off("other", "2030-01-10T12:00:00+08:00", "B"),
    );
    world.apply().expect(0);
    let stale = narrow(&["apply", "plan.json"]).expect(1);
    let lineage = world.state()["lineage"].as_str().unwrap().to_owned();
    assert!(stale.stderr.contains(&lineage), "{}", stale.stderr);
    let sentence = "the state changed since the plan was made";
    assert_eq!(
        words(&stale.stderr).matches(sentence).count(),
        1,
        "{}",
        stale.stderr
    );
    let wide = world.run(&["apply", "plan.json"]).expect(1);
    insta::assert_snapshot!(
        "stale_plan",
        scrubbed(&wide.stderr, world.dir()).replace(&lineage, "[LINEAGE]")
    );
}

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

#[test]
fn colour_can_be_forced_for_ci_logs_and_no_color_still_wins() {
    let world = World::new(devices(2));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    let coloured = |run: &Run| run.stdout.contains("\u{1b}[");
    let with = |args: &[&str], vars: &[(&str, &str)]| {
        let mut command = world.command(args);
        command
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (name, value) in vars {
            command.env(name, value);
        }
        run_of(command.output().expect("gtcamp runs"))
    };
    assert!(
        !coloured(&with(&["plan"], &[]).expect(0)),
        "a pipe is not a terminal"
    );
    assert!(coloured(
        &with(&["plan"], &[("FORCE_COLOR", "1")]).expect(0)
    ));
    assert!(coloured(
        &with(&["plan"], &[("CLICOLOR_FORCE", "1")]).expect(0)
    ));
    assert!(!coloured(
        &with(&["plan"], &[("CLICOLOR_FORCE", "0")]).expect(0)
    ));
    assert!(!coloured(
        &with(&["plan"], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]).expect(0)
    ));
    assert!(coloured(
        &with(&["plan", "--color", "always"], &[("NO_COLOR", "1")]).expect(0)
    ));
    assert!(!coloured(
        &with(&["plan", "--color=never"], &[("FORCE_COLOR", "1")]).expect(0)
    ));
    assert!(!coloured(
        &with(&["plan", "--format", "json", "--color", "always"], &[]).expect(0)
    ));
    // Diagnostics and errors on stderr too.
    world.write("bad.yaml", "kind: Campaign\nname: Bad\n");
    let validate = with(&["validate", "--color", "always"], &[]).expect(1);
    assert!(validate.stderr.contains("\u{1b}["), "{}", validate.stderr);
    world.remove("bad.yaml");
    let error = with(&["plan", "--target", "nope"], &[("FORCE_COLOR", "1")]).expect(1);
    assert!(error.stderr.contains("\u{1b}["), "{}", error.stderr);
}

#[test]
fn a_one_off_campaign_in_the_past_fails_plan_and_apply_unless_state_recorded_it() {
    let world = World::new(devices(2));
    // A mistyped year: 2029 for 2030.
    world.write(
        "typo.yaml",
        &one_off("typo", "2029-01-09T12:00:00+08:00", "Sale"),
    );
    let plan = world.plan().expect(1);
    assert_eq!(plan.stdout, "");
    insta::assert_snapshot!("past_campaign_refused", scrubbed(&plan.stderr, world.dir()));
    let apply = world.apply().expect(1);
    assert!(apply.stderr.contains("[typo.yaml:"), "{}", apply.stderr);
    assert!(world.waiting().is_empty());
    let validate = world.run(&["validate"]).expect(0);
    assert!(
        validate.stdout.contains("0 errors, 1 warning"),
        "{validate:?}"
    );
    insta::assert_snapshot!("past_campaign_validate", validate.stderr);

    // What state records as created stays in git as a note once its time passed.
    world.remove("typo.yaml");
    world.write(
        "sent.yaml",
        &one_off("sent", "2030-01-07T12:00:00+08:00", "Sale"),
    );
    world.apply().expect(0);
    world.advance(chrono::Duration::days(2));
    let past = world.plan().expect(0);
    assert!(past.stdout.contains("No changes."), "{}", past.stdout);
    world.apply().expect(0);
    world.plan().expect(0);
}
