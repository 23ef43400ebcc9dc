//! A newcomer's first commands: `init`, `--help` examples, completions and `--version`.

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;

use crate::harness::gtcamp_in as gtcamp;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn succeeds(output: &std::process::Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

#[test]
fn init_scaffolds_a_workspace_that_validates_and_plans_on_the_sandbox() {
    let temp = tempfile::tempdir().unwrap();
    let stdout = succeeds(&gtcamp(temp.path(), &["init", "new-workspace"]));
    assert!(stdout.contains("Next steps:"), "{stdout}");
    for must in [
        "uses: gtcamp/gtcamp@main",
        "GTCAMP_APPLY=true",
        "backend: postgres",
    ] {
        assert!(stdout.contains(must), "{must}: {stdout}");
    }
    let ws = temp.path().join("new-workspace");
    for file in [
        "gtcamp.yaml",
        "welcome.yaml",
        ".gitignore",
        ".github/workflows/gtcamp.yml",
    ] {
        assert!(ws.join(file).is_file(), "{file} missing; {stdout}");
    }
    let workflow = std::fs::read_to_string(ws.join(".github/workflows/gtcamp.yml")).unwrap();
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github/gtcamp.yml"),
    )
    .unwrap();
    assert_eq!(workflow, example);
    let ignore = std::fs::read_to_string(ws.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == ".gtcamp/"), "{ignore}");

    let validate = succeeds(&gtcamp(&ws, &["validate"]));
    assert_eq!(validate.trim(), "0 errors, 0 warnings");
    let plan = succeeds(&gtcamp(&ws, &["plan"]));
    assert!(plan.contains("Plan: 1 to create,"), "{plan}");
}

#[test]
fn init_refuses_to_overwrite_and_lists_the_files_unless_forced() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("gtcamp.yaml"), "mine\n").unwrap();
    std::fs::write(temp.path().join(".gitignore"), "target/\n").unwrap();
    let refused = gtcamp(temp.path(), &["init"]);
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("gtcamp.yaml") && stderr.contains(".gitignore"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(!temp.path().join("welcome.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(temp.path().join("gtcamp.yaml")).unwrap(),
        "mine\n"
    );

    succeeds(&gtcamp(temp.path(), &["init", "--force"]));
    let settings = std::fs::read_to_string(temp.path().join("gtcamp.yaml")).unwrap();
    assert!(settings.contains("kind: Workspace"), "{settings}");
    succeeds(&gtcamp(temp.path(), &["validate"]));
}

#[test]
fn completions_are_written_for_bash_zsh_and_fish_and_bash_parses_them() {
    let temp = tempfile::tempdir().unwrap();
    // Each script asks gtcamp itself for completions (see first_hour.rs for what it offers).
    for shell in ["bash", "zsh", "fish"] {
        let script = succeeds(&gtcamp(temp.path(), &["completions", shell]));
        let asks = [
            format!("GTCAMP_COMPLETE=\"{shell}\""),
            format!("GTCAMP_COMPLETE={shell} gtcamp"),
        ];
        assert!(
            asks.iter().any(|ask| script.contains(ask.as_str())),
            "{shell}: {script}"
        );
    }
    let script = temp.path().join("gtcamp.bash");
    std::fs::write(
        &script,
        succeeds(&gtcamp(temp.path(), &["completions", "bash"])),
    )
    .unwrap();
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| {
            panic!("bash is needed to check the completions ({e}); run scripts/setup-test-tools")
        });
    assert!(check.status.success(), "{}", text(&check.stderr));
}

/// Strict on purpose: `unknown` is right only for a build outside a git checkout, and the
/// tests always run in one, so `unknown` here means build.rs lost the commit.
#[test]
fn version_names_the_commit_the_binary_was_built_from() {
    let temp = tempfile::tempdir().unwrap();
    let version = succeeds(&gtcamp(temp.path(), &["--version"]));
    let pattern =
        regex::Regex::new(r"^gtcamp \d+\.\d+\.\d+ \([0-9a-f]{7,} \d{4}-\d{2}-\d{2}\)\n$").unwrap();
    assert!(pattern.is_match(&version), "{version:?}");
}

/// Every command below `command`, with the words that call it.
fn commands(
    command: &clap::Command,
    path: Vec<String>,
    out: &mut Vec<(Vec<String>, clap::Command)>,
) {
    for sub in command.get_subcommands() {
        // clap's own `help` subcommand needs no examples.
        if sub.get_name() == "help" {
            continue;
        }
        let mut words = path.clone();
        words.push(sub.get_name().to_owned());
        commands(sub, words.clone(), out);
        out.push((words, sub.clone()));
    }
}

#[test]
fn every_command_has_help_with_examples_that_gtcamp_accepts() {
    let mut root = gtcamp::cli::Cli::command();
    root.build();
    let mut all = vec![(vec![], root.clone())];
    commands(&root, vec![], &mut all);
    assert!(all.len() > 10, "{} commands", all.len());
    for (words, mut command) in all {
        let help = command.render_long_help().to_string();
        let name = format!("gtcamp {}", words.join(" "));
        let examples = help
            .split_once("Examples:\n")
            .unwrap_or_else(|| panic!("`{name} --help` has no Examples section:\n{help}"))
            .1;
        let lines: Vec<&str> = examples
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("gtcamp"))
            .collect();
        assert!(
            !lines.is_empty(),
            "`{name} --help` shows no example:\n{help}"
        );
        for line in lines {
            let args = example_words(line);
            if let Err(e) = gtcamp::cli::Cli::command().try_get_matches_from(&args) {
                panic!("`{name} --help` example `{line}` is refused:\n{e}");
            }
        }
    }
}

/// An example line as the shell would split it, up to a comment or a redirection.
fn example_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    for word in line.split_whitespace() {
        if word == "#" || word == ">" {
            break;
        }
        words.push(word.trim_matches('\'').to_owned());
    }
    words
}

/// `gtcamp.yaml` written by `init`, with the `#` of the lines that start with `marker`
/// removed, and of the lines indented under it.
fn uncommented(ws: &Path, marker: &str) -> String {
    let text = std::fs::read_to_string(ws.join("gtcamp.yaml")).unwrap();
    let mut inside = false;
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with(&format!("# {marker}")) {
            inside = true;
        } else if !trimmed.starts_with("#   ") {
            inside = false;
        }
        match trimmed.strip_prefix("# ") {
            Some(rest) if inside => out.push_str(&format!("{indent}{rest}\n")),
            _ => out.push_str(&format!("{line}\n")),
        }
    }
    out
}

#[test]
fn init_s_rest_api_v2_target_validates_once_uncommented() {
    let temp = tempfile::tempdir().unwrap();
    succeeds(&gtcamp(temp.path(), &["init", "ws"]));
    let ws = temp.path().join("ws");
    let settings = uncommented(&ws, "production-v2:");
    assert!(
        settings.contains("  production-v2:\n    type: getui-v2\n"),
        "{settings}"
    );
    std::fs::write(ws.join("gtcamp.yaml"), settings).unwrap();
    let validate = succeeds(&gtcamp(&ws, &["validate"]));
    assert_eq!(validate.trim(), "0 errors, 0 warnings");
}
