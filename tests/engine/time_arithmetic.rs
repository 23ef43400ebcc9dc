//! No unchecked arithmetic on instants (issue 12): `now + max_push_ahead` with an absurd
//! push-ahead panicked in chrono. Instants are moved with `checked_add_signed` /
//! `checked_sub_signed` (or `compile::schedule`'s saturating `plus`/`minus`), and std
//! `Instant`s with `checked_add`. This scans the library's non-test code for `+`/`-` (and
//! `+=`/`-=`) whose right-hand side is a chrono duration or one of the durations an author
//! sets, the forms that panic on overflow. Range checks (GC067, GC059) keep such values
//! sane; this keeps a later edit from relying on that alone.

use std::path::Path;

use regex::Regex;

/// The code of `text` before its first `#[cfg(test)]`: unit tests may add freely.
fn non_test_code(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() && name != "tests" {
            rust_files(&path, out);
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// `+`/`-` (or `+=`/`-=`) followed by a chrono duration constructor, by one of the
/// durations an author sets (as a field, a constant or a `lead_time()` call), or a std
/// `Instant::now()` moved by a timeout.
fn risky() -> Regex {
    Regex::new(
        r"(?x)
        [-+]=?\s*(chrono::)?(Duration|TimeDelta)::[a-z_]+\(
        | [-+]=?\s*[\w.]*\b(lead_time|horizon|max_push_ahead|list_push_grace|grace
                          |APPLY_PERIOD|LIST_PUSH_GRACE|DST_MARGIN)\b(\(\))?\??
          \s*([;,)\]{]|=>|[-+<>]|$)
        | Instant::now\(\)\s*[-+]
        ",
    )
    .expect("a valid pattern")
}

#[test]
fn library_code_moves_instants_only_with_checked_arithmetic() {
    let risky = risky();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 50, "found only {} files", files.len());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        for (n, line) in non_test_code(&text).lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if risky.is_match(code) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "unchecked arithmetic on an instant (use checked_add_signed / checked_sub_signed):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_refuses_the_arithmetic_of_issue_12_and_accepts_checked_forms() {
    let risky = risky();
    for bad in [
        "let edge = self.ctx.now + self.ctx.max_push_ahead - APPLY_PERIOD;",
        "Action::Create if after.push_time < now + lead_time => {",
        "let at = now + chrono::Duration::days(1);",
        "local += chrono::Duration::minutes(15);",
        "let deadline = Instant::now() + timeout;",
    ] {
        assert!(risky.is_match(bad), "not caught: {bad}");
    }
    for fine in [
        "now.checked_add_signed(self.ctx.max_push_ahead)",
        "lead_time: defaults.lead_time.to_chrono()?,",
        "let gap = later.signed_duration_since(earlier);",
        "let deadline = Instant::now().checked_add(timeout);",
    ] {
        assert!(!risky.is_match(fine), "wrongly caught: {fine}");
    }
}
