//! gtcamp in GitHub Actions: the action, the example workflow, and the `github` formats.

use std::path::Path;

use clap::CommandFactory;
use gtcamp::cli::Cli;

use crate::harness::{World, devices, one_off};

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(path: &str) -> serde_json::Value {
    serde_saphyr::from_str::<serde_json::Value>(&repo_file(path))
        .unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

fn steps(job: &serde_json::Value) -> Vec<&serde_json::Value> {
    job["steps"]
        .as_array()
        .map(|steps| steps.iter().collect())
        .unwrap_or_default()
}

/// The gtcamp command lines a workflow or action runs: `with.command` of gtcamp action
/// steps, and `gtcamp …` in `run:` scripts. Lines whose arguments are shell variables
/// cannot be checked and are left out.
fn invocations(document: &serde_json::Value) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut all_steps = steps(&document["runs"]);
    if let Some(jobs) = document["jobs"].as_object() {
        for job in jobs.values() {
            all_steps.extend(steps(job));
        }
    }
    for step in all_steps {
        let uses = step["uses"].as_str().unwrap_or("");
        if let (true, Some(command)) = (uses.contains("gtcamp"), step["with"]["command"].as_str()) {
            let mut words = vec!["gtcamp".to_owned()];
            words.extend(command.split_whitespace().map(str::to_owned));
            found.push(words);
        }
        for line in step["run"].as_str().unwrap_or("").lines() {
            found.extend(command_line(line));
        }
    }
    found
}

/// `gtcamp` and its arguments when a shell line runs it (its first word is gtcamp or a
/// path to it), up to a comment, pipe or redirection.
fn command_line(line: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let program = words.first()?.trim_matches('"');
    if program != "gtcamp" && !program.ends_with("/gtcamp") {
        return None;
    }
    let mut args = vec!["gtcamp".to_owned()];
    for word in words.iter().skip(1) {
        if ["#", ">", "|", "&&", "||", ";", "2>&1", ">>"].contains(word) {
            break;
        }
        if word.contains('$') {
            return None;
        }
        args.push(word.trim_matches(|c| c == '"' || c == '\'').to_owned());
    }
    Some(args)
}

/// Whether gtcamp's clap definition accepts `args` (help and version requests count).
#[track_caller]
fn assert_accepted(args: &[String]) {
    match Cli::command().try_get_matches_from(args) {
        Ok(_) => {}
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) => {}
        Err(e) => panic!("`{}` is not a gtcamp command line:\n{e}", args.join(" ")),
    }
}

#[test]
fn the_example_workflow_validates_and_plans_prs_and_applies_main_and_on_a_schedule() {
    let workflow = yaml("examples/github/gtcamp.yml");
    let on = &workflow["on"];
    assert!(on.get("pull_request").is_some(), "{on}");
    assert_eq!(on["push"]["branches"], serde_json::json!(["main"]));
    assert_eq!(on["schedule"][0]["cron"], "*/10 * * * *");
    assert_eq!(
        workflow["permissions"],
        serde_json::json!({"contents": "read"})
    );
    for secret in ["GETUI_APP_KEY", "GETUI_MASTER_SECRET", "GTCAMP_PG_URL"] {
        assert_eq!(
            workflow["env"][secret],
            format!("${{{{ secrets.{secret} }}}}"),
            "{secret}"
        );
    }
    let plan = &workflow["jobs"]["plan"];
    let apply = &workflow["jobs"]["apply"];
    // Both jobs check the database as verify-full, the CA passed through `env` rather than
    // pasted into the script.
    for job in [plan, apply] {
        let ca = steps(job)
            .into_iter()
            .find(|s| s["env"]["PG_CA"] == "${{ secrets.PG_CA }}")
            .expect("a step that writes the database's CA");
        let script = ca["run"].as_str().unwrap_or_default();
        assert!(script.contains("PGSSLROOTCERT="), "{script}");
        assert!(!script.contains("secrets."), "{script}");
    }
    assert_eq!(plan["concurrency"]["cancel-in-progress"], true);
    assert_eq!(apply["concurrency"]["cancel-in-progress"], false);
    assert_eq!(plan["permissions"]["pull-requests"], "write");
    let comment = steps(plan)
        .into_iter()
        .find_map(|s| s["with"]["script"].as_str())
        .expect("a step that comments the plan");
    assert!(comment.contains("<!-- gtcamp-plan -->"), "{comment}");
    assert!(comment.contains("updateComment"), "{comment}");

    let commands: Vec<String> = invocations(&workflow).iter().map(|a| a.join(" ")).collect();
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("gtcamp validate --format github")),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("gtcamp plan") && c.contains("--format github")),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("gtcamp apply") && c.contains("--auto-approve")),
        "{commands:?}"
    );
}

/// The conditions an `if:` requires together: its parts joined by a top-level `&&`.
fn conjuncts(condition: &serde_json::Value) -> Vec<String> {
    let text = condition.as_str().unwrap_or("");
    let mut parts = Vec::new();
    let (mut depth, mut part) = (0, String::new());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '&' if depth == 0 && chars.peek() == Some(&'&') => {
                chars.next();
                parts.push(part.split_whitespace().collect::<Vec<_>>().join(" "));
                part.clear();
                continue;
            }
            _ => {}
        }
        part.push(c);
    }
    parts.push(part.split_whitespace().collect::<Vec<_>>().join(" "));
    parts
}

#[test]
fn the_example_workflow_applies_main_only_once_enabled_and_plans_no_forks() {
    let workflow = yaml("examples/github/gtcamp.yml");
    let apply = conjuncts(&workflow["jobs"]["apply"]["if"]);
    for required in [
        "vars.GTCAMP_APPLY == 'true'",
        "github.ref == 'refs/heads/main'",
    ] {
        assert!(apply.iter().any(|c| c == required), "{required}: {apply:?}");
    }
    let plan = conjuncts(&workflow["jobs"]["plan"]["if"]);
    assert!(
        plan.iter()
            .any(|c| c == "github.event.pull_request.head.repo.full_name == github.repository"),
        "{plan:?}"
    );
    let header = repo_file("examples/github/gtcamp.yml");
    assert!(header.contains("GTCAMP_APPLY = true"), "{header}");
}

#[test]
fn the_plan_comment_reports_a_failed_plan_and_edits_only_the_bots_comment() {
    let workflow = yaml("examples/github/gtcamp.yml");
    let step = steps(&workflow["jobs"]["plan"])
        .into_iter()
        .find(|s| s["with"]["script"].is_string())
        .expect("a step that comments the plan");
    // Run on failure too, or the comment keeps a plan that no longer matches.
    assert_eq!(step["if"], "${{ !cancelled() }}");
    assert!(step["env"].get("HAS_CHANGES").is_none(), "{step}");
    let script = step["with"]["script"].as_str().unwrap();
    assert!(script.contains("PLAN_OUTCOME !== 'success'"), "{script}");
    assert!(script.contains("gtcamp plan failed at"), "{script}");
    assert!(script.contains("c.user.type === 'Bot'"), "{script}");
    assert!(
        script.contains("c.user.login === 'github-actions[bot]'"),
        "{script}"
    );
}

/// Runs the apply job's guard against a `gtcamp.yaml` holding `settings`; true when it lets
/// the apply go on.
fn state_guard_passes(settings: &str) -> bool {
    let workflow = yaml("examples/github/gtcamp.yml");
    let script = steps(&workflow["jobs"]["apply"])
        .into_iter()
        .find_map(|s| s["run"].as_str().filter(|r| r.contains("backend")))
        .expect("a step refusing local state")
        .to_owned();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gtcamp.yaml"), settings).unwrap();
    let output = std::process::Command::new("bash")
        .args(["-e", "-c", &script])
        .env("GTCAMP_WORKSPACE", dir.path())
        .output()
        .unwrap_or_else(|e| panic!("bash is needed ({e}); run scripts/setup-test-tools"));
    output.status.success()
}

#[test]
fn the_apply_guard_accepts_postgres_state_quoted_or_not_and_refuses_a_local_file() {
    for settings in [
        "state: { backend: postgres, url_env: PG, workspace: w }\n",
        "state: { backend: \"postgres\", url_env: PG, workspace: w }\n",
        "state:\n  backend: 'postgres'\n  url_env: PG\n",
    ] {
        assert!(state_guard_passes(settings), "{settings}");
    }
    for settings in [
        "state: { backend: file }\n",
        "# state: { backend: postgres }\nstate: { backend: file }\n",
        "state: { backend: postgresql-ish }\n",
    ] {
        assert!(!state_guard_passes(settings), "{settings}");
    }
}

#[test]
fn the_action_is_composite_in_bash_and_builds_from_its_own_source() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    for input in ["command", "working-directory", "version"] {
        assert!(action["inputs"].get(input).is_some(), "input {input}");
    }
    assert_eq!(action["inputs"]["working-directory"]["default"], ".");
    for output in ["exit-code", "has-changes", "summary-file"] {
        assert!(action["outputs"].get(output).is_some(), "output {output}");
    }
    let steps = steps(&action["runs"]);
    for step in &steps {
        if step.get("run").is_some() {
            assert_eq!(step["shell"], "bash", "{step}");
        }
    }
    assert!(
        steps.iter().any(|s| s["run"]
            .as_str()
            .is_some_and(|r| r.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""))),
        "no step builds gtcamp from the action's source"
    );
}

/// The `run:` script of the action step named `name`.
fn action_script(name: &str) -> String {
    let action = yaml("action.yml");
    steps(&action["runs"])
        .into_iter()
        .find(|s| s["name"].as_str().is_some_and(|n| n.starts_with(name)))
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no action step named {name}"))
        .to_owned()
}

#[test]
fn the_action_passes_every_line_of_a_multi_line_command_to_gtcamp() {
    let dir = tempfile::tempdir().unwrap();
    // A stand-in gtcamp that prints one argument a line.
    let fake = dir.path().join("gtcamp");
    std::fs::write(&fake, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n").unwrap();
    let mut permissions = std::fs::metadata(&fake).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&fake, permissions).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = std::process::Command::new("bash")
        .args(["-e", "-c", &action_script("gtcamp ${{")])
        .env("PATH", path)
        .env("COMMAND", "plan --target production\n  --format github\n")
        .env("GITHUB_OUTPUT", dir.path().join("output"))
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap_or_else(|e| panic!("bash is needed ({e}); run scripts/setup-test-tools"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert_eq!(stdout, "plan\n--target\nproduction\n--format\ngithub\n");
}

#[test]
fn the_action_cache_key_covers_the_examples_init_includes() {
    let script = action_script("Choose how to get gtcamp");
    let hashed = script
        .lines()
        .find(|l| l.contains("find "))
        .expect("a find listing the hashed source");
    for path in ["Cargo.toml", "Cargo.lock", "build.rs", "src", "examples"] {
        assert!(
            hashed.split_whitespace().any(|w| w == path),
            "{path}: {hashed}"
        );
    }
}

#[test]
fn every_gtcamp_command_in_the_action_and_workflow_is_one_gtcamp_accepts() {
    let mut checked = 0;
    for path in [
        "action.yml",
        "examples/github/gtcamp.yml",
        "examples/github/gtcamp-report.yml",
    ] {
        for args in invocations(&yaml(path)) {
            assert_accepted(&args);
            checked += 1;
        }
    }
    // validate, plan and apply in the workflow, two reports, `--version` in the action.
    assert!(checked >= 6, "only {checked} gtcamp command lines found");
}

#[test]
fn the_report_workflow_reports_daily_from_the_shared_state_into_the_job_summary() {
    let workflow = yaml("examples/github/gtcamp-report.yml");
    let crons: Vec<&str> = workflow["on"]["schedule"]
        .as_array()
        .expect("a schedule")
        .iter()
        .filter_map(|s| s["cron"].as_str())
        .collect();
    assert_eq!(crons, ["0 1 * * *"], "once a day");
    let job = &workflow["jobs"]["report"];
    let condition = job["if"].as_str().unwrap_or("");
    assert!(
        condition.contains("vars.GTCAMP_APPLY == 'true'"),
        "{condition}"
    );
    let commands: Vec<Vec<String>> = invocations(&workflow);
    assert!(
        commands.iter().any(|c| c
            .join(" ")
            .contains("report --target production --since 1d --format github")),
        "{commands:?}"
    );
    assert!(
        commands.iter().any(|c| c.contains(&"html".to_owned())),
        "{commands:?}"
    );
    let permissions = &workflow["permissions"];
    assert_eq!(permissions["contents"], "read", "a report only reads");
}

/// A workspace with a campaign and `count` templates nobody uses (a GC018 warning each).
fn world_with_unused_templates(count: usize) -> World {
    let world = World::new(devices(1));
    world.write(
        "promo.yaml",
        &one_off("promo", "2030-01-09T12:00:00+08:00", "Sale"),
    );
    let templates: Vec<String> = (0..count)
        .map(|n| {
            format!("kind: Template\nname: unused-{n}\ntype: notification\ntitle: T\ntext: X\n")
        })
        .collect();
    world.write("unused.yaml", &templates.join("---\n"));
    world
}

fn lines_starting<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(prefix)).collect()
}

#[test]
fn plan_format_github_writes_the_job_summary_and_caps_warning_annotations_at_ten() {
    let world = world_with_unused_templates(13);
    let summary = world.dir().join("summary.md");
    std::fs::write(&summary, "earlier step output\n").unwrap();
    let root = world.dir().parent().unwrap();
    let run = world
        .command(&["plan", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_WORKSPACE", root)
        .output()
        .expect("gtcamp runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr),
    );
    assert_eq!(run.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("Plan: 1 to create,"), "{stdout}");
    let annotated = lines_starting(&stdout, "::warning ");
    assert_eq!(annotated.len(), 10, "{stdout}");
    assert!(
        annotated.iter().all(|a| a.contains("title=GC018::")),
        "{stdout}"
    );
    assert!(
        stdout.contains("… and 3 more warnings: see the job summary"),
        "{stdout}"
    );
    // After `validate --format github`, which annotated the warnings, only the notes.
    let notes_only = world
        .command(&["plan", "--format", "github", "--annotate", "notes"])
        .output()
        .expect("gtcamp runs");
    let notes_stdout = String::from_utf8_lossy(&notes_only.stdout);
    assert_eq!(
        lines_starting(&notes_stdout, "::warning ").len(),
        0,
        "{notes_stdout}"
    );
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step output\n### gtcamp plan for `emu`"),
        "{written}"
    );
    assert_eq!(written.matches("Warnings (13)").count(), 1, "{written}");
    assert_eq!(written.matches("unused-12").count(), 1, "{written}");
}

#[test]
fn plan_format_github_keeps_the_job_summary_under_one_mebibyte() {
    let world = world_with_unused_templates(1);
    let summary = world.dir().join("summary.md");
    let nearly_full = 1024 * 1024 - 3000;
    std::fs::write(&summary, "x".repeat(nearly_full)).unwrap();
    world
        .command(&["plan", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .success();
    let size = std::fs::metadata(&summary).unwrap().len();
    assert!(size <= 1024 * 1024, "{size} bytes");
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written[nearly_full..].contains("did not fit in this step's summary"),
        "{}",
        &written[nearly_full..]
    );
}

#[test]
fn plan_format_github_without_a_step_summary_says_so_on_stderr() {
    let world = world_with_unused_templates(1);
    let run = world
        .command(&["plan", "--format", "github"])
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("gtcamp runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("GITHUB_STEP_SUMMARY is not set") && stderr.contains("not written"),
        "{stderr}"
    );
}

#[test]
fn validate_format_github_caps_annotations_at_ten_and_counts_the_rest() {
    let world = world_with_unused_templates(12);
    let run = world.run(&["validate", "--format", "github"]).expect(0);
    assert_eq!(
        lines_starting(&run.stdout, "::warning ").len(),
        10,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "… and 2 more warnings: `gtcamp validate --format json` lists every diagnostic"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn the_example_workflow_applies_the_reviewed_plan_after_an_approval_and_rolls_forward_only_after() {
    let workflow = yaml("examples/github/gtcamp.yml");
    let plan = &workflow["jobs"]["plan"];
    let apply = &workflow["jobs"]["apply"];
    let roll = &workflow["jobs"]["roll-forward"];
    // The approval gate: required reviewers of the `production` environment.
    assert_eq!(apply["environment"], "production");
    assert!(
        conjuncts(&apply["if"]).contains(&"github.event_name == 'push'".to_owned()),
        "{}",
        apply["if"]
    );
    // The pull request's plan is saved, kept, found and applied unchanged.
    let commands = |job: &serde_json::Value| -> Vec<String> {
        steps(job)
            .into_iter()
            .filter_map(|s| s["with"]["command"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(
        commands(plan)
            .iter()
            .any(|c| c.contains("-o gtcamp-plan.json")),
        "{:?}",
        commands(plan)
    );
    let upload = steps(plan)
        .into_iter()
        .find(|s| s["uses"] == "actions/upload-artifact@v4")
        .expect("a step keeping the plan");
    assert_eq!(upload["with"]["name"], "gtcamp-plan");
    let download = steps(apply)
        .into_iter()
        .find(|s| s["uses"] == "actions/download-artifact@v4")
        .expect("a step fetching the reviewed plan");
    assert_eq!(download["with"]["name"], "gtcamp-plan");
    assert_eq!(
        download["with"]["run-id"],
        "${{ steps.reviewed.outputs.run-id }}"
    );
    assert_eq!(
        commands(apply),
        ["apply gtcamp-plan.json --lock-timeout 5m"],
        "the approved apply applies the saved plan and nothing else"
    );
    // Rolling forward never goes before main's approved apply, nor alongside it.
    assert_eq!(roll["concurrency"]["group"], apply["concurrency"]["group"]);
    for step in steps(roll).into_iter().skip(2) {
        assert_eq!(
            step["if"], "${{ steps.approved.outputs.applied == 'true' }}",
            "{step}"
        );
    }
    assert!(
        commands(roll)
            .iter()
            .any(|c| c.starts_with("apply") && c.contains("--auto-approve")),
        "{:?}",
        commands(roll)
    );
}
