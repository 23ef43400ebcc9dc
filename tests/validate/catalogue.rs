//! The catalogue of codes: every entry's example gets its code from the real checks, every
//! code `src/` names is in it, `gtcamp explain` shows it, and the reference page in
//! `docs/` is what the catalogue generates.

use std::path::Path;

use assert_cmd::Command;
use gtcamp::load::catalogue;
use gtcamp::pipeline::explain::{reference_page, run_example};

/// Set to rewrite `docs/reference/diagnostics.md` instead of failing.
const BLESS: &str = "GTCAMP_BLESS";

fn page_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference/diagnostics.md")
}

#[test]
fn every_example_gets_its_own_code_at_its_default_severity() {
    let mut wrong = String::new();
    for entry in catalogue::all() {
        let run = run_example(entry).expect("the example is written");
        let own: Vec<_> = run
            .diagnostics
            .iter()
            .filter(|d| d.code == entry.code)
            .collect();
        let got: Vec<String> = run
            .diagnostics
            .iter()
            .map(|d| format!("{} {}: {}", d.code, d.severity, d.message))
            .collect();
        if own.is_empty() {
            wrong += &format!("{} got none of its own; it got {got:#?}\n", entry.code);
        } else if own.iter().any(|d| d.severity != entry.severity) {
            wrong += &format!("{} came with another severity: {got:#?}\n", entry.code);
        } else if run.drawn.trim().is_empty() {
            wrong += &format!("{} drew nothing\n", entry.code);
        }
    }
    assert!(
        wrong.is_empty(),
        "examples that do not show their code:\n{wrong}"
    );
}

#[test]
fn every_code_named_in_src_is_in_the_catalogue() {
    let code = regex::Regex::new(r"\bGC\d{3}\b").expect("a regex");
    let mut missing = Vec::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // The catalogue's own tests name codes it lacks on purpose.
    let catalogue = src.join("load/catalogue");
    for path in rust_files(&src)
        .into_iter()
        .filter(|p| !p.starts_with(&catalogue))
    {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for found in code.find_iter(&text) {
            if catalogue::lookup(found.as_str()).is_none() {
                missing.push(format!("{} in {}", found.as_str(), path.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "codes named in src/ but not in src/load/catalogue/codes.rs:\n  {}",
        missing.join("\n  ")
    );
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn committed_reference_page_matches_the_catalogue() {
    let generated = reference_page().expect("every example runs");
    let path = page_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated && std::env::var_os(BLESS).is_some() {
        std::fs::create_dir_all(path.parent().expect("docs/reference")).expect("docs/reference");
        std::fs::write(&path, &generated).expect("cannot write the reference page");
        return;
    }
    assert!(
        committed == generated,
        "docs/reference/diagnostics.md is out of date with src/load/catalogue.\n\
         Regenerate it with: cargo run -- explain --all --format markdown > docs/reference/diagnostics.md\n\
         (or {BLESS}=1 cargo test --test validate catalogue)"
    );
}

#[test]
fn the_reference_page_links_only_to_its_own_headings() {
    let page = reference_page().expect("every example runs");
    let link = regex::Regex::new(r"\]\(([^)]*)\)").expect("a regex");
    for target in link.captures_iter(&page).map(|c| c[1].to_owned()) {
        let anchor = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("`{target}` leaves the page"));
        let heading = format!("\n## {}\n", anchor.to_uppercase());
        assert!(page.contains(&heading), "no heading for `{target}`");
    }
}

fn gtcamp() -> Command {
    let mut cmd = Command::cargo_bin("gtcamp").expect("the gtcamp binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn explain_shows_the_entry_with_its_example_and_real_message() {
    let output = gtcamp()
        .args(["explain", "GC055"])
        .output()
        .expect("gtcamp runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown.starts_with("GC055 (warning): an `at` in the past"),
        "{shown}"
    );
    assert!(shown.contains("at: 2029-03-01T10:00:00+08:00"), "{shown}");
    assert!(shown.contains("campaigns/sale.yaml:"), "{shown}");
    assert!(shown.contains("which is in the past"), "{shown}");
    assert!(
        shown.contains("How to fix it: Set a future `at`"),
        "{shown}"
    );
    assert!(
        !shown.contains("gtcamp explain GC055"),
        "no hint to itself: {shown}"
    );
}

#[test]
fn explain_reads_a_code_in_lowercase_or_as_a_number() {
    let upper = gtcamp()
        .args(["explain", "GC016"])
        .output()
        .expect("gtcamp runs");
    for written in ["gc016", "16"] {
        let output = gtcamp()
            .args(["explain", written])
            .output()
            .expect("gtcamp runs");
        assert_eq!(output.status.code(), Some(0), "{written}: {output:?}");
        assert_eq!(output.stdout, upper.stdout, "{written}");
    }
}

#[test]
fn explain_refuses_an_unknown_code_and_offers_the_nearest() {
    let output = gtcamp()
        .args(["explain", "GC035"])
        .output()
        .expect("gtcamp runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("`GC035` is not a gtcamp diagnostic code"),
        "{said}"
    );
    assert!(
        said.contains("the nearest codes are `GC032`, `GC033`, `GC034`"),
        "{said}"
    );
    let typo = gtcamp()
        .args(["explain", "GC0S5"])
        .output()
        .expect("gtcamp runs");
    assert_eq!(typo.status.code(), Some(1), "{typo:?}");
    assert!(
        String::from_utf8_lossy(&typo.stderr).contains("`GC055`"),
        "{typo:?}"
    );
    let one_near = gtcamp()
        .args(["explain", "GC056x"])
        .output()
        .expect("gtcamp runs");
    assert!(
        String::from_utf8_lossy(&one_near.stderr).contains("the nearest code is `GC056`"),
        "{one_near:?}"
    );
}

#[test]
fn explain_without_a_code_is_a_usage_error() {
    let output = gtcamp().arg("explain").output().expect("gtcamp runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
}

#[test]
fn explain_all_writes_the_reference_page() {
    let output = gtcamp()
        .args(["explain", "--all", "--format", "markdown"])
        .output()
        .expect("gtcamp runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        reference_page().expect("every example runs")
    );
}

#[test]
fn validate_ends_each_drawn_diagnostic_with_the_hint_to_explain_it() {
    let dir = crate::workspace(&[
        ("gtcamp.yaml", &crate::classified()),
        (
            "c.yaml",
            &crate::CLEAN_CAMPAIGN.replace("name: c", "name: C"),
        ),
        (
            "a.yaml",
            "kind: Audience\nname: vips\ntags:\n  any: [vip]\n",
        ),
    ]);
    let output = gtcamp()
        .current_dir(dir.path())
        .arg("validate")
        .output()
        .expect("gtcamp runs");
    let drawn = String::from_utf8_lossy(&output.stderr);
    for code in ["GC012", "GC019"] {
        let hint = format!("\n  For more about {code}, run `gtcamp explain {code}`.\n\n");
        assert!(drawn.contains(&hint), "no hint for {code}:\n{drawn}");
    }
}
