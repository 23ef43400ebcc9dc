//! `gtcamp calendar` as a user runs it: the agenda and the Mermaid chart of the example
//! workspace at a fixed instant, errors of an invalid workspace, and the HTML page as
//! Chromium draws it.

mod browser;
mod cli;
mod report_page;

use std::path::{Path, PathBuf};
use std::process::Output;

/// A Wednesday, 08:00 in Beijing: the example workspace's December 2040 one-offs (dated
/// years ahead so that the example never rots) and its weekly sends are ahead.
pub const NOW: &str = "2040-11-28T00:00:00Z";

/// The example workspace shipped with gtcamp.
pub fn example_workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns")
}

/// `gtcamp calendar ARGS…` with the clock at [`NOW`].
pub fn calendar(args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("gtcamp")
        .expect("the gtcamp binary is built")
        .arg("calendar")
        .args(args)
        .env("GTCAMP_NOW", NOW)
        .env("NO_COLOR", "1")
        .output()
        .expect("gtcamp runs")
}

/// What a run showed, for assertion messages.
pub fn shown(output: &Output) -> String {
    format!(
        "exit: {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Writes the example workspace's calendar page into `folder` with `--out`, and returns its
/// path and the run's output.
pub fn write_page(folder: &Path) -> (PathBuf, Output) {
    let page = folder.join("calendar.html");
    let workspace = example_workspace();
    let output = calendar(&[
        workspace.to_str().unwrap_or("campaigns"),
        "--format",
        "html",
        "--out",
        page.to_str().unwrap_or("calendar.html"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    (page, output)
}
