//! The committed schema and YAML reference page stay what the code generates, and the schema
//! keeps the promises editors rely on.

use std::collections::BTreeSet;

use assert_cmd::Command;
use gtcamp::model::schema;
use serde_json::{Map, Value};

use crate::workspace::{committed_schema, committed_schema_path, repo, validator};

/// Set to rewrite the committed schema and YAML reference page instead of failing.
const BLESS: &str = "GTCAMP_BLESS";

#[test]
fn committed_schema_matches_the_generated_one() {
    let generated = schema::to_pretty_json(&schema::document_schema());
    let path = committed_schema_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated && std::env::var_os(BLESS).is_some() {
        std::fs::write(&path, &generated).expect("cannot write the schema");
        return;
    }
    assert!(
        committed == generated,
        "schemas/gtcamp.schema.json is out of date with src/model.\n\
         Regenerate it with: cargo run -- schema > schemas/gtcamp.schema.json\n\
         (or {BLESS}=1 cargo test --test schema)"
    );
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let output = Command::cargo_bin("gtcamp")
        .expect("the gtcamp binary")
        .arg("schema")
        .output()
        .expect("gtcamp runs");
    assert!(output.status.success(), "{output:?}");
    let printed: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(printed, committed_schema());
}

#[test]
fn yaml_reference_page_matches_the_schema() {
    let path = repo().join(schema::REFERENCE_PATH);
    let page = std::fs::read_to_string(&path).expect("the YAML reference page exists");
    let reference = schema::reference_markdown(&schema::document_schema());
    let Some(updated) = schema::splice_reference(&page, &reference) else {
        panic!(
            "{} lacks the markers {} and {}",
            schema::REFERENCE_PATH,
            schema::START_MARKER,
            schema::END_MARKER
        );
    };
    if updated != page && std::env::var_os(BLESS).is_some() {
        std::fs::write(&path, &updated).expect("cannot write the YAML reference page");
        return;
    }
    assert!(
        updated == page,
        "{}'s YAML reference is out of date with the schema.\n\
         Regenerate it with: {BLESS}=1 cargo test --test schema\n\
         (it replaces the text between the reference markers with \
         `cargo run -- schema --format markdown`)",
        schema::REFERENCE_PATH
    );
}

#[test]
fn schema_command_prints_the_yaml_reference_as_markdown() {
    let output = Command::cargo_bin("gtcamp")
        .expect("the gtcamp binary")
        .args(["schema", "--format", "markdown"])
        .output()
        .expect("gtcamp runs");
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).expect("UTF-8 Markdown");
    let page =
        std::fs::read_to_string(repo().join(schema::REFERENCE_PATH)).expect("the page exists");
    assert!(printed.contains("## `kind: Campaign`"), "{printed}");
    assert!(
        page.contains(&printed),
        "{} does not hold what `gtcamp schema --format markdown` prints",
        schema::REFERENCE_PATH
    );
}

#[test]
fn schema_is_valid_draft_07() {
    let schema = committed_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    if let Err(error) = jsonschema::draft7::meta::validate(&schema) {
        panic!("not a valid draft-07 schema: {error}");
    }
    // Building a strict validator refuses formats draft-07 does not define (`uint32`, …).
    validator(&schema);
}

/// Calls `visit` with the path and body of every schema in `schema`, including definitions.
fn walk<'a>(path: String, schema: &'a Value, visit: &mut dyn FnMut(&str, &'a Map<String, Value>)) {
    let Some(node) = schema.as_object() else {
        return;
    };
    visit(&path, node);
    for keyword in ["properties", "definitions"] {
        if let Some(Value::Object(children)) = node.get(keyword) {
            for (name, child) in children {
                walk(format!("{path}/{keyword}/{name}"), child, visit);
            }
        }
    }
    for keyword in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(children)) = node.get(keyword) {
            for (at, child) in children.iter().enumerate() {
                walk(format!("{path}/{keyword}/{at}"), child, visit);
            }
        }
    }
    for keyword in ["items", "additionalProperties"] {
        if let Some(child) = node.get(keyword) {
            walk(format!("{path}/{keyword}"), child, visit);
        }
    }
}

#[test]
fn every_property_has_a_description() {
    let schema = committed_schema();
    let mut missing = Vec::new();
    let mut count = 0;
    walk(String::new(), &schema, &mut |path, node| {
        let Some(Value::Object(properties)) = node.get("properties") else {
            return;
        };
        for (name, property) in properties {
            count += 1;
            let described = property
                .get("description")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.trim().is_empty());
            if !described {
                missing.push(format!("{path}/properties/{name}"));
            }
        }
    });
    assert!(
        count > 100,
        "only {count} properties found: the walk is broken"
    );
    assert!(
        missing.is_empty(),
        "properties without a description: {missing:#?}"
    );
}

#[test]
fn objects_refuse_unknown_fields_except_maps() {
    let maps: BTreeSet<&str> = [
        "labels",
        "custom",
        "params",
        "targets",
        "sms_templates",
        "regions",
        "test_devices",
    ]
    .into();
    let schema = committed_schema();
    let mut open = Vec::new();
    walk(String::new(), &schema, &mut |path, node| {
        let name = path.rsplit('/').next().unwrap_or_default();
        match node.get("additionalProperties") {
            Some(Value::Bool(false)) => {}
            Some(_) if maps.contains(name) => {}
            None if !node.contains_key("properties") && !is_object_type(node) => {}
            _ => open.push(path.to_owned()),
        }
    });
    assert!(
        open.is_empty(),
        "objects that accept unknown fields: {open:#?}"
    );
}

fn is_object_type(node: &Map<String, Value>) -> bool {
    node.get("type").and_then(Value::as_str) == Some("object")
}

#[test]
fn documents_require_a_name_but_inline_bodies_do_not_offer_one() {
    let schema = committed_schema();
    let documents = schema["oneOf"].as_array().expect("one schema per kind");
    let kinds: Vec<&str> = documents
        .iter()
        .filter_map(|d| d["title"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "Workspace",
            "Template",
            "Audience",
            "Campaign",
            "PhoneBindings",
            "Moved",
            "Removed"
        ]
    );
    // `Moved` and `Removed` are about other documents' names and have none of their own.
    for document in &documents[..5] {
        let required = document["required"].as_array().expect("required fields");
        assert!(
            required.contains(&"name".into()),
            "{} lacks a required name",
            document["title"]
        );
    }
    for inline in ["InlineTemplate", "InlineAudience"] {
        let properties = &schema["definitions"][inline]["properties"];
        assert!(properties.is_object(), "{inline} is missing");
        assert!(properties.get("name").is_none(), "{inline} offers `name`");
    }
}
