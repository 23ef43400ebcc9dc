//! The rule that Getui's JSON field names are spelled only in `src/getui/wire.rs`: the
//! emulator must build and read every body through those types, or client and emulator can
//! drift apart unnoticed.
//!
//! The names are read from `wire.rs` itself (each `rename`/`alias` and each field serialized
//! under its own name), then every string literal of `src/emulator/` outside comments is
//! checked: a literal that is such a name, or holds one as a quoted JSON key, is a violation.
//! REST V2 is held to the same rule: its field names, its path segments and the values of
//! its string constants are read from `src/getui/v2/wire.rs` and `wire_extra.rs`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::harness::manifest_dir;

/// Every JSON key the wire types serialize or accept.
fn wire_names(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    // The attributes above the next item; a field without `rename` is named as written.
    let mut attributes = String::new();
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if line.starts_with("//") {
            continue;
        }
        if line.starts_with("#[") || !attributes.is_empty() && !line.starts_with("pub ") {
            attributes.push_str(line);
            continue;
        }
        names.extend(quoted_after(&attributes, "rename = \""));
        names.extend(quoted_after(&attributes, "alias = \""));
        if let Some(field) = field_name(line)
            && !attributes.contains("rename =")
            && !attributes.contains("flatten")
        {
            names.insert(field.to_owned());
        }
        attributes.clear();
    }
    names
}

/// The wire names of a REST V2 wire file: its fields as [`wire_names`] reads them, the path
/// segments its endpoints spell (`vec!["push", "tag"]`, `["task", "schedule", id]`) and the
/// values of its string constants (`pub const CLICK_URL: &str = "url";`, header names).
fn v2_wire_names(source: &str) -> BTreeSet<String> {
    let mut names = wire_names(source);
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        let segments = line.contains("vec![\"") || line.starts_with("(Method::");
        let constant = line.starts_with("pub const ") && line.contains(": &str");
        let mapped = line.contains("=> \"");
        if segments || constant || mapped {
            names.extend(
                string_literals(line)
                    .into_iter()
                    .filter(|text| !text.is_empty() && !text.contains(' ')),
            );
        }
    }
    names
}

/// Each text between `opening` and the next `"`.
fn quoted_after(text: &str, opening: &str) -> Vec<String> {
    text.split(opening)
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name.to_owned()))
        .collect()
}

/// `pub name: Type,` → `name`.
fn field_name(line: &str) -> Option<&str> {
    let (name, _) = line.strip_prefix("pub ")?.split_once(':')?;
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(name)
}

/// The contents of the string literals of Rust `source`, skipping comments and char literals.
fn string_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut literals = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while chars.get(i).is_some_and(|&c| c != '\n') {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i += 2;
            }
            '\'' if next == Some('\\') => {
                i += 2;
                while chars.get(i).is_some_and(|&c| c != '\'') {
                    i += 1;
                }
                i += 1;
            }
            '\'' if chars.get(i + 2) == Some(&'\'') => i += 3,
            '"' => {
                let mut text = String::new();
                i += 1;
                while let Some(&c) = chars.get(i) {
                    match c {
                        '\\' => {
                            text.extend(chars.get(i + 1));
                            i += 2;
                        }
                        '"' => break,
                        other => {
                            text.push(other);
                            i += 1;
                        }
                    }
                }
                literals.push(text);
                i += 1;
            }
            _ => i += 1,
        }
    }
    literals
}

/// The wire names `source` spells in a string literal.
fn violations(source: &str, names: &BTreeSet<String>) -> Vec<String> {
    string_literals(source)
        .into_iter()
        .filter(|text| {
            names
                .iter()
                .any(|name| text == name || text.contains(&format!("\"{name}\"")))
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
        .into_iter()
        .flat_map(|path| {
            if path.is_dir() {
                rust_files(&path)
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                vec![path]
            } else {
                Vec::new()
            }
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Each literal of `src/emulator/` that spells one of `names`, with its file.
fn emulator_violations(names: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(&manifest_dir().join("src/emulator")) {
        for literal in violations(&read(&file), names) {
            found.push(format!("{}: {literal:?}", file.display()));
        }
    }
    found
}

#[test]
fn emulator_spells_no_getui_wire_field_name() {
    let names = wire_names(&read(&manifest_dir().join("src/getui/wire.rs")));
    let found = emulator_violations(&names);
    assert!(
        found.is_empty(),
        "Getui wire names belong in src/getui/wire.rs; use its types instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn emulator_spells_no_rest_v2_wire_name_or_path() {
    let v2 = manifest_dir().join("src/getui/v2");
    let mut names = v2_wire_names(&read(&v2.join("wire.rs")));
    names.extend(v2_wire_names(&read(&v2.join("wire_extra.rs"))));
    // Also the legacy protocol's phone types, which the emulator's tests write as data.
    for legacy_value in ["android", "ios"] {
        names.remove(legacy_value);
    }
    let found = emulator_violations(&names);
    assert!(
        found.is_empty(),
        "REST V2 wire names belong in src/getui/v2/; use its types instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn v2_wire_names_are_read_from_fields_paths_and_constants() {
    let v2 = manifest_dir().join("src/getui/v2");
    let mut names = v2_wire_names(&read(&v2.join("wire.rs")));
    names.extend(v2_wire_names(&read(&v2.join("wire_extra.rs"))));
    for expected in [
        "request_id",
        "schedule_time",
        "taskid",
        "send_result",
        "host_list",
        "content-available",
        "task_group",
        "schedule",
        "token",
        "startapp",
        "custom_tag",
        "target_num",
    ] {
        assert!(
            names.contains(expected),
            "`{expected}` missing from {names:?}"
        );
    }
    for not_a_key in ["kind", "segments", "id", "POST /auth"] {
        assert!(
            !names.contains(not_a_key),
            "`{not_a_key}` is not a V2 wire name"
        );
    }
}

#[test]
fn wire_names_are_read_from_renames_aliases_and_plain_fields() {
    let names = wire_names(&read(&manifest_dir().join("src/getui/wire.rs")));
    for expected in [
        "authToken",
        "groupName",
        "creatTime",
        "osList",
        "userCount",
        "result",
        "count",
        "pn",
        "desc",
        "cid",
        "tagList",
    ] {
        assert!(
            names.contains(expected),
            "`{expected}` missing from {names:?}"
        );
    }
    for not_a_key in ["body", "extra", "kind", "task_group_name", "NAME"] {
        assert!(
            !names.contains(not_a_key),
            "`{not_a_key}` is not a wire key"
        );
    }
}

#[test]
fn wire_name_check_catches_literals_and_embedded_json_but_not_comments() {
    let names: BTreeSet<String> = ["groupName", "result"].map(String::from).into();
    let source = r#"
        // a comment about "groupName" is fine
        /* so is a block comment with "result" */
        let quote = '"';
        let reply = json!({"groupName": group});
        let fallback = b"{\"result\":\"OtherError\"}";
        let fine = "group_name";
    "#;
    assert_eq!(
        violations(source, &names),
        vec![
            "groupName".to_owned(),
            "{\"result\":\"OtherError\"}".to_owned()
        ]
    );
}
