//! Hostile input: each gets a clear diagnostic and exit code 1, never a panic (101) and
//! never unbounded memory. Files are generated here, never committed.

use assert_cmd::Command;
use predicates::str::contains;

use crate::{WORKSPACE, workspace, write};

fn validate(dir: &std::path::Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("gtcamp")
        .expect("gtcamp binary")
        .current_dir(dir)
        .args(["validate", "--format", "json"])
        .assert()
}

#[test]
fn validate_refuses_a_50_mb_file_before_reading_it() {
    let dir = workspace(&[("gtcamp.yaml", WORKSPACE)]);
    let file = std::fs::File::create(dir.path().join("huge.yaml")).expect("create");
    file.set_len(50 * 1024 * 1024).expect("sparse 50 MiB file");
    validate(dir.path())
        .code(1)
        .stdout(contains("\"code\": \"GC002\""))
        .stdout(contains(
            "this file is 50 MiB, more than the 16 MiB gtcamp reads",
        ))
        .stdout(contains("\"file\": \"huge.yaml\""));
}

#[test]
fn validate_reports_a_file_that_is_not_utf8_with_its_line() {
    let dir = workspace(&[("gtcamp.yaml", WORKSPACE)]);
    write(
        dir.path(),
        "latin1.yaml",
        b"kind: Template\nname: caf\xe9\n",
    );
    validate(dir.path())
        .code(1)
        .stdout(contains("\"code\": \"GC001\""))
        .stdout(contains("is not UTF-8 text"))
        .stdout(contains("\"line\": 2"))
        .stdout(contains("\"column\": 10"));
}

#[test]
fn validate_reports_ten_thousand_levels_of_nesting() {
    let dir = workspace(&[("gtcamp.yaml", WORKSPACE)]);
    let flow = format!(
        "kind: Template\nname: a\ndescription: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    write(dir.path(), "flow.yaml", flow.as_bytes());
    let block = format!(
        "kind: Template\nname: b\ndescription:\n  {}x\n",
        "- ".repeat(10_000)
    );
    write(dir.path(), "block.yaml", block.as_bytes());
    let assert = validate(dir.path()).code(1);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert_eq!(
        out.matches("the YAML is nested deeper than 64 levels")
            .count(),
        2,
        "{out}"
    );
    assert_eq!(out.matches("\"code\": \"GC004\"").count(), 2, "{out}");
}

#[test]
fn validate_stops_an_alias_expansion_bomb() {
    // Nine levels of nine aliases each: 9^9 (387 million) strings if expanded, placed in
    // `ios.custom`, the one field that accepts any value.
    let mut lines = vec![
        "kind: Template".to_owned(),
        "name: lol".to_owned(),
        "type: notification".to_owned(),
        "title: t".to_owned(),
        "text: x".to_owned(),
        "ios:".to_owned(),
        "  custom:".to_owned(),
        "    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]".to_owned(),
    ];
    for level in 1..10 {
        let aliases = vec![format!("*l{}", level - 1); 9].join(", ");
        lines.push(format!("    l{level}: &l{level} [{aliases}]"));
    }
    let dir = workspace(&[
        ("gtcamp.yaml", &crate::classified()),
        ("bomb.yaml", &(lines.join("\n") + "\n")),
    ]);
    validate(dir.path())
        .code(1)
        .stdout(contains("\"code\": \"GC004\""))
        .stdout(contains("expands too many aliases"))
        .stdout(contains("\"file\": \"bomb.yaml\""));
}

mod arbitrary {
    use proptest::prelude::*;

    use crate::{CLEAN_CAMPAIGN, WORKSPACE, check};

    /// Pieces of YAML, valid and not, that tend to reach unusual parser and loader paths.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("kind: Campaign\n".to_owned()),
            Just("kind: Template\n".to_owned()),
            Just("---\n".to_owned()),
            Just("...\n".to_owned()),
            Just("- ".to_owned()),
            Just("&a ".to_owned()),
            Just("*a\n".to_owned()),
            Just("[".to_owned()),
            Just("]\n".to_owned()),
            Just("{x: ".to_owned()),
            Just("\t".to_owned()),
            Just("\r\n".to_owned()),
            Just("\u{feff}".to_owned()),
            Just("name: 名字\n".to_owned()),
            Just("  title: \"13812345678\"\n".to_owned()),
            Just("schedule:\n  cron: \"".to_owned()),
            "[ -~]{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn validate_never_panics_on_arbitrary_yaml(pieces in proptest::collection::vec(fragment(), 0..24)) {
            let text: String = pieces.concat();
            let _ = check(&[("gtcamp.yaml", WORKSPACE), ("c.yaml", CLEAN_CAMPAIGN), ("x.yaml", &text)]);
        }
    }
}

/// A phone CSV of a real app's size. Generated here (about 26 MB), never committed.
#[test]
fn validate_accepts_a_phone_csv_of_a_million_rows() {
    use std::io::Write;
    let dir = workspace(&[
        ("gtcamp.yaml", &crate::classified()),
        ("c.yaml", crate::CLEAN_CAMPAIGN),
        (
            "bindings/p.yaml",
            "kind: PhoneBindings\nname: p\nsource: ../private/phones.csv\n",
        ),
    ]);
    std::fs::create_dir_all(dir.path().join("private")).expect("create folder");
    let file = std::fs::File::create(dir.path().join("private/phones.csv")).expect("create");
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "cid,phone").expect("write");
    for i in 0..1_000_000u64 {
        writeln!(out, "cid{i:08},138{i:08}").expect("write");
    }
    out.flush().expect("flush");
    drop(out);
    Command::cargo_bin("gtcamp")
        .expect("gtcamp binary")
        .current_dir(dir.path())
        .env("GTCAMP_NOW", crate::now().to_rfc3339())
        .args(["validate"])
        .assert()
        .code(0)
        .stdout("0 errors, 0 warnings\n");
}

/// Past the CSV cap the error names the file and the cap, before a byte is read (the file
/// is sparse: it takes no disk).
#[test]
fn validate_refuses_a_phone_csv_past_two_gib_naming_it() {
    let dir = workspace(&[
        ("gtcamp.yaml", &crate::classified()),
        ("c.yaml", crate::CLEAN_CAMPAIGN),
        ("p.yaml", "kind: PhoneBindings\nname: p\nsource: huge.csv\n"),
    ]);
    let file = std::fs::File::create(dir.path().join("huge.csv")).expect("create");
    file.set_len(3 * 1024 * 1024 * 1024)
        .expect("sparse 3 GiB file");
    validate(dir.path())
        .code(1)
        .stdout(contains("\"code\": \"GC010\""))
        .stdout(contains(
            "huge.csv` is 3 GiB, more than the 2 GiB gtcamp reads",
        ))
        .stdout(contains("split the list into several CSVs"));
}
