//! `docs/reference/commands.md` is what `gtcamp help` prints, so it cannot drift from the
//! clap definitions: a new flag fails this test until the page is regenerated.

use std::process::Command;

use crate::{BLESS, repo};

const PAGE: &str = "docs/reference/commands.md";

/// What `gtcamp help PATH…` prints, without trailing spaces.
fn help(path: &[String]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_gtcamp"))
        .arg("help")
        .args(path)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        // Nothing from this machine may reach the page: clap shows no env values, but be sure.
        .env_remove("GETUI_APP_KEY")
        .env_remove("GETUI_MASTER_SECRET")
        .env_remove("GETUI_APP_ID")
        .output()
        .expect("gtcamp runs");
    assert!(output.status.success(), "gtcamp help {path:?}: {output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8 help");
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_owned()
}

/// The commands a help text lists under `Commands:`, with their one-line summaries.
fn subcommands(help: &str) -> Vec<(String, String)> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| {
            let line = line.strip_prefix("  ")?;
            let (name, summary) = line.split_once(' ')?;
            Some((name.to_owned(), summary.trim().to_owned()))
        })
        .filter(|(name, _)| name != "help")
        .collect()
}

/// Every command, depth first: (its path after `gtcamp`, its summary, its help).
fn commands() -> Vec<(Vec<String>, String, String)> {
    let mut found = Vec::new();
    let mut stack = vec![(Vec::new(), String::new())];
    while let Some((path, summary)) = stack.pop() {
        let text = help(&path);
        let children = subcommands(&text);
        for (name, summary) in children.into_iter().rev() {
            let mut child = path.clone();
            child.push(name);
            stack.push((child, summary));
        }
        found.push((path, summary, text));
    }
    found
}

fn generate() -> String {
    let mut page = String::from(
        "# Command reference\n\n\
         <!-- Generated from `gtcamp help` by `GTCAMP_BLESS=1 cargo test --test docs`: \
         change the clap definitions in src/cli/, not this page. -->\n\n\
         Every command and flag, as `gtcamp help COMMAND` prints it. \
         [Using the command line](cli.md) explains what the commands share: finding the \
         workspace, exit codes, colour and completion. `gtcamp explain CODE` prints what \
         one diagnostic code means and how to fix it; the [diagnostics](diagnostics.md) \
         page lists them all.\n\n",
    );
    let commands = commands();
    for (path, summary, _) in commands.iter().skip(1) {
        let name = format!("gtcamp {}", path.join(" "));
        let anchor = name.replace(' ', "-");
        let indent = "  ".repeat(path.len() - 1);
        page += &format!("{indent}- [`{name}`](#{anchor}): {summary}\n");
    }
    for (path, _, text) in &commands {
        let name = if path.is_empty() {
            "gtcamp".to_owned()
        } else {
            format!("gtcamp {}", path.join(" "))
        };
        page += &format!("\n## `{name}`\n\n```text\n{text}\n```\n");
    }
    page
}

#[test]
fn command_reference_is_what_gtcamp_help_prints() {
    let path = repo().join(PAGE);
    let generated = generate();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated && std::env::var_os(BLESS).is_some() {
        std::fs::write(&path, &generated).expect("cannot write the command reference");
        return;
    }
    assert!(
        committed == generated,
        "{PAGE} is out of date with the clap definitions.\n\
         Regenerate it with: {BLESS}=1 cargo test --test docs"
    );
}
