//! Catalogue entries drawn for people: for the terminal (`gtcamp explain CODE`, in the
//! manner of `rustc --explain`) and as the Markdown page `docs/reference/diagnostics.md`.
//!
//! These only format: the message of each example is run and drawn by the caller (see
//! `pipeline::explain`) and handed in with its [`Explained`] entry.

use std::fmt::Write as _;

use crate::load::catalogue::{Entry, ExampleFile, SETTINGS, Shown, codes::EXAMPLE_NOW};

/// An entry with the message its example got.
#[derive(Debug)]
pub struct Explained {
    pub entry: &'static Entry,
    /// The example's diagnostics of the entry's code, as `gtcamp validate` draws them.
    pub message: String,
}

/// The entry for the terminal.
pub fn text(explained: &Explained) -> String {
    let entry = explained.entry;
    let mut out = format!(
        "{} ({}): {}\n\n{}\n\n",
        entry.code,
        entry.severity_text(),
        entry.title,
        entry.trigger
    );
    let _ = writeln!(out, "Example, checked at {EXAMPLE_NOW}:\n");
    if !entry.example.has_own_settings() {
        out += "gtcamp.yaml (the settings every example without its own uses):\n";
        out += &indented(SETTINGS);
        out.push('\n');
    }
    for file in entry.example.files {
        let _ = writeln!(out, "{}{}:", file.path, note(file));
        match file.shown() {
            Shown::Text(text) => out += &indented(&text),
            Shown::Described(what) => {
                let _ = writeln!(out, "    ({what})");
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "`gtcamp validate` says:\n");
    out += &indented(explained.message.trim_end());
    let _ = write!(out, "\nHow to fix it: {}\n", entry.fix);
    out
}

fn indented(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}").trim_end().to_owned() + "\n")
        .collect()
}

fn note(file: &ExampleFile) -> String {
    file.note().map(|n| format!(" ({n})")).unwrap_or_default()
}

/// The generated page: how to read it, an index, then every entry in code order.
pub fn markdown_page(all: &[Explained]) -> String {
    let mut out = PAGE_INTRO.replace("{now}", EXAMPLE_NOW);
    let _ = write!(out, "```yaml\n{SETTINGS}```\n\n");
    out += "| code | severity | what |\n| --- | --- | --- |\n";
    for explained in all {
        let entry = explained.entry;
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} |",
            entry.code,
            entry.code.to_lowercase(),
            entry.severity_text(),
            entry.title.replace('|', "\\|")
        );
    }
    for explained in all {
        out.push('\n');
        out += &markdown_entry(explained);
    }
    out
}

const PAGE_INTRO: &str = "# Diagnostics reference

<!-- Generated from src/load/catalogue/codes.rs by `gtcamp explain --all --format markdown`;
do not edit by hand. `GTCAMP_BLESS=1 cargo test --test validate catalogue` rewrites it. -->

Every problem `gtcamp validate` reports (and `plan` and `apply`, which run the same checks)
has a stable code. Codes are never reused: a retired code is simply absent. Run
`gtcamp explain GC055` to read an entry in the terminal.

Each entry has an example workspace and the message `gtcamp validate` prints for it, run with
the clock at {now}. An example that shows no `gtcamp.yaml` of its own sits
beside this one:

";

fn markdown_entry(explained: &Explained) -> String {
    let entry = explained.entry;
    let mut out = format!(
        "## {}\n\n**{}**: {}\n\n{}\n\n**Example**",
        entry.code,
        entry.severity_text(),
        entry.title,
        entry.trigger
    );
    out += if entry.example.has_own_settings() {
        ":\n\n"
    } else {
        " (beside the standard `gtcamp.yaml`):\n\n"
    };
    for file in entry.example.files {
        let _ = writeln!(out, "`{}`{}:\n", file.path, note(file));
        match file.shown() {
            Shown::Text(text) => {
                let fence = if file.path.ends_with(".csv") {
                    "csv"
                } else {
                    "yaml"
                };
                let _ = write!(out, "```{fence}\n{}\n```\n\n", text.trim_end());
            }
            Shown::Described(what) => {
                let _ = write!(out, "({what})\n\n");
            }
        }
    }
    let message: String = explained
        .message
        .trim_end()
        .lines()
        .map(|line| line.trim_end().to_owned() + "\n")
        .collect();
    let _ = write!(
        out,
        "`gtcamp validate` says:\n\n```text\n{message}```\n\n**Fix**: {}\n",
        entry.fix
    );
    out
}
