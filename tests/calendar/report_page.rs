//! `gtcamp report --format html` as a browser draws it: the example workspace applied on the
//! sandbox, its first sends made and reported, and the page opened in Debian's Chromium.

use std::path::Path;
use std::process::Output;

use gtcamp::report::render::html::SERIES;

use crate::browser::{chromium, close, decode_png};
use crate::{example_workspace, shown};

/// A Monday, 08:00 in Beijing, before the example's 2040 one-offs and within the sandbox's
/// signature window of a clock set by `GTCAMP_NOW` (ten years).
const FIRST: &str = "2030-06-03T00:00:00Z";
/// Five days on: the example's daily and weekly campaigns have sent.
const LATER: &str = "2030-06-08T00:00:00Z";
/// The campaigns that send by [`LATER`].
const SENT: [&str; 2] = ["checkin-reminder", "weekly-digest"];

fn gtcamp(dir: &Path, now: &str, args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("gtcamp")
        .expect("the gtcamp binary is built")
        .current_dir(dir)
        .args(args)
        .env("GTCAMP_NOW", now)
        .env("NO_COLOR", "1")
        .output()
        .expect("gtcamp runs")
}

/// The example workspace in `folder`, applied at [`FIRST`] and [`LATER`], and its report page.
fn report_page(folder: &Path) -> std::path::PathBuf {
    let workspace = folder.join("campaigns");
    let copied = std::process::Command::new("cp")
        .args(["-r"])
        .arg(example_workspace())
        .arg(&workspace)
        .status()
        .expect("cp runs");
    assert!(copied.success());
    for now in [FIRST, LATER] {
        let run = gtcamp(&workspace, now, &["apply", "--auto-approve"]);
        assert!(run.status.success(), "{}", shown(&run));
    }
    let page = folder.join("report.html");
    let args = ["report", "--since", "10d", "--format", "html", "-o"];
    let run = gtcamp(
        &workspace,
        LATER,
        &[&args[..], &[page.to_str().unwrap()]].concat(),
    );
    assert!(run.status.success(), "{}", shown(&run));
    page
}

#[test]
fn report_page_draws_each_campaigns_sends_and_channels_in_chromium() {
    let folder = tempfile::tempdir().expect("a temp folder");
    let page = report_page(folder.path());
    let html = std::fs::read_to_string(&page).expect("the page");
    for cid in ["cid-", "alias"] {
        assert!(!html.contains(cid), "the page names a device ({cid})");
    }
    let screenshot = folder.path().join("report.png");
    let run = chromium(
        folder.path(),
        &[&format!("--screenshot={}", screenshot.display())],
        &page,
    );
    assert!(
        run.finished,
        "Chromium did not finish in time:\n{}",
        run.stderr
    );
    let pixels = decode_png(&screenshot);
    for (series, colour) in SERIES {
        let hex = u32::from_str_radix(&colour[1..], 16).expect("a hex colour");
        let rgb = [(hex >> 16) as u8, (hex >> 8) as u8, hex as u8];
        let painted = pixels.iter().filter(|p| close(**p, rgb)).count();
        // Two legends' swatches are under 300 pixels; the bars add the rest (clicks are
        // about 5% of the displayed, so their bars are short).
        assert!(painted > 350, "`{series}` covers {painted} pixel(s)");
    }
    let dump = chromium(folder.path(), &["--dump-dom"], &page);
    assert!(
        dump.finished,
        "Chromium did not finish in time:\n{}",
        dump.stderr
    );
    let dom = dump.stdout;
    for campaign in SENT {
        assert!(
            dom.contains(&format!("data-campaign=\"{campaign}\"")),
            "no section for {campaign}"
        );
    }
    for series in ["targeted", "arrived", "clicked"] {
        let drawn = dom
            .split(&format!("data-series=\"{series}\""))
            .skip(1)
            .any(has_height);
        assert!(drawn, "no {series} bar with a height");
    }
    assert!(dom.contains("data-channel=\"Getui\""), "no channel chart");
}

/// Whether the element whose attributes `rest` starts in has a height other than zero.
fn has_height(rest: &str) -> bool {
    let attributes = rest.split('>').next().unwrap_or("");
    !attributes.contains("height=\"0.0\"")
}
