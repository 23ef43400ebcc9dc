//! What `gtcamp explain` shows: catalogue entries with the message each one's example
//! really gets.
//!
//! Every example is written to a temporary folder and run through [`diagnose`], as
//! `gtcamp validate` would run it, with the clock at [`EXAMPLE_NOW`]. The message shown is
//! what that run drew, so the catalogue cannot quote a message gtcamp no longer says.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::diagnose::diagnose;
use crate::check::explain::{Explained, markdown_page, text};
use crate::check::render;
use crate::load::catalogue::{self, Entry, SETTINGS, codes::EXAMPLE_NOW};
use crate::load::{Diagnostic, Limits, SETTINGS_FILE, load_workspace};

/// Why an example could not be run.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the example of {code} to a temporary folder: {source}")]
pub struct ExampleError {
    code: &'static str,
    #[source]
    source: std::io::Error,
}

/// What running an entry's example found.
#[derive(Debug)]
pub struct ExampleRun {
    /// Every diagnostic the example got, its own code's and any other.
    pub diagnostics: Vec<Diagnostic>,
    /// Those of the entry's code, drawn as `gtcamp validate` draws them, without colour
    /// and with paths relative to the example's folder.
    pub drawn: String,
}

/// Runs `entry`'s example through the checks and lints.
pub fn run_example(entry: &'static Entry) -> Result<ExampleRun, ExampleError> {
    let fail = |source| ExampleError {
        code: entry.code,
        source,
    };
    let dir = tempfile::tempdir().map_err(fail)?;
    write_example(entry, dir.path()).map_err(fail)?;
    let workspace = load_workspace(dir.path(), &Limits::default());
    let diagnostics = diagnose(&workspace, example_now());
    let own: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code == entry.code)
        .cloned()
        .collect();
    // Paths relative to the example's root, as `gtcamp validate` run there shows them.
    // Some messages name a file in full (a help pointing at another document): the
    // temporary folder is cut from those too, so that the page does not change per run.
    let root = format!("{}{}", dir.path().display(), std::path::MAIN_SEPARATOR);
    let drawn = render::explained(&own, &workspace, dir.path()).replace(&root, "");
    Ok(ExampleRun { diagnostics, drawn })
}

fn write_example(entry: &Entry, root: &Path) -> std::io::Result<()> {
    if !entry.example.has_own_settings() {
        std::fs::write(root.join(SETTINGS_FILE), SETTINGS)?;
    }
    for file in entry.example.files {
        let path = root.join(file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, file.bytes())?;
    }
    Ok(())
}

/// [`EXAMPLE_NOW`] as an instant.
pub fn example_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(EXAMPLE_NOW)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn explained(entry: &'static Entry) -> Result<Explained, ExampleError> {
    let run = run_example(entry)?;
    Ok(Explained {
        entry,
        message: run.drawn,
    })
}

/// `gtcamp explain CODE`: the entry for the terminal.
pub fn explain_text(entry: &'static Entry) -> Result<String, ExampleError> {
    Ok(text(&explained(entry)?))
}

/// `docs/reference/diagnostics.md`: every entry, in order.
pub fn reference_page() -> Result<String, ExampleError> {
    let all = catalogue::all()
        .iter()
        .map(|entry| explained(entry))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(markdown_page(&all))
}
