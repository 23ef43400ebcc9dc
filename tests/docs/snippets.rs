//! The YAML in the README and the docs is what `gtcamp validate` accepts.
//!
//! The convention (docs/contributing.md, "Documentation"): a ```yaml block that holds whole
//! documents (a line starting `kind:`) is validated together with the other such blocks of
//! its page, as one workspace. Any other block says what it is on the line before it:
//! `<!-- snippet: workspace -->` for settings of gtcamp.yaml, validated on their own as the
//! body of a `Workspace` document (`workspace v2` adds a sandbox target speaking REST API V2,
//! for settings only V2 accepts), or `<!-- snippet: fragment -->` for YAML that is not a
//! whole gtcamp document (a GitHub workflow step, one field), which is not validated.

use std::path::Path;
use std::process::Command;

use crate::markdown::{Block, blocks};
use crate::{pages, read};

/// The day the snippets are judged on. Pinned, so that the check gives the same answer
/// with the clock years ahead (`scripts/test-years-ahead`); one-off campaigns in the docs
/// are dated years after it, as the example workspace's are.
const NOW: &str = "2026-12-01T09:00:00+08:00";

/// What a page's documents are validated with when none of them is the `Workspace`.
const WORKSPACE: &str = "kind: Workspace
name: docs
app_id: docs
default_target: sandbox
targets:
  sandbox:
    type: sandbox
";

fn is_documents(block: &Block) -> bool {
    block.text.lines().any(|line| line.starts_with("kind:"))
}

/// Runs `gtcamp validate` on a workspace holding `files`; the output when it fails.
fn validate(files: &[(String, String)]) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("the snippet is written");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_gtcamp"))
        .arg("validate")
        .arg(dir.path())
        .env("GTCAMP_NOW", NOW)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .output()
        .expect("gtcamp runs");
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

fn check_page(page: &Path, problems: &mut Vec<String>) -> usize {
    let mut documents: Vec<(String, String)> = Vec::new();
    let mut validated = 0;
    for block in blocks(&read(page)) {
        if block.info != "yaml" {
            continue;
        }
        let at = format!("{}:{}", page.display(), block.line);
        match block.marker.as_deref() {
            Some("fragment") => {}
            Some(marker @ ("workspace" | "workspace v2")) => {
                validated += 1;
                let mut text = format!("kind: Workspace\nname: docs\napp_id: docs\n{}", block.text);
                if marker == "workspace v2" {
                    text += "targets:\n  sandbox:\n    type: sandbox\n    protocol: v2\n";
                }
                if let Err(output) = validate(&[("gtcamp.yaml".into(), text)]) {
                    problems.push(format!("{at}: gtcamp validate refuses it:\n{output}"));
                }
            }
            Some(other) => problems.push(format!(
                "{at}: unknown marker `snippet: {other}` (use `workspace`, `workspace v2` or `fragment`)"
            )),
            None if is_documents(&block) => {
                validated += 1;
                let name = if block.text.contains("\nkind: Workspace")
                    || block.text.starts_with("kind: Workspace")
                {
                    "gtcamp.yaml".to_owned()
                } else {
                    format!("line-{}.yaml", block.line)
                };
                documents.push((name, block.text));
            }
            None => problems.push(format!(
                "{at}: a ```yaml block without `kind:` needs `<!-- snippet: workspace -->` or \
                 `<!-- snippet: fragment -->` on the line before it"
            )),
        }
    }
    if documents.is_empty() {
        return validated;
    }
    if !documents.iter().any(|(name, _)| name == "gtcamp.yaml") {
        documents.push(("gtcamp.yaml".into(), WORKSPACE.into()));
    }
    if let Err(output) = validate(&documents) {
        problems.push(format!(
            "{}: gtcamp validate refuses the page's documents:\n{output}",
            page.display()
        ));
    }
    validated
}

/// The diagnostics catalogue, whose examples are wrong on purpose: `tests/validate/catalogue.rs`
/// runs each one and checks that it draws its own code.
const WRONG_ON_PURPOSE: &str = "docs/reference/diagnostics.md";

#[test]
fn yaml_in_the_docs_passes_gtcamp_validate() {
    let mut problems = Vec::new();
    let mut validated = 0;
    for page in pages() {
        if page.ends_with(WRONG_ON_PURPOSE) {
            continue;
        }
        validated += check_page(&page, &mut problems);
    }
    assert!(
        validated >= 5,
        "only {validated} YAML blocks validated: the search is broken"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
