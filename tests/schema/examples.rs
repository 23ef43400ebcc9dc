//! The example workspace is what users copy: every document in it must satisfy the
//! committed schema, and its files must point editors at that schema.

use serde_json::{Value, json};

use crate::workspace::{
    committed_schema, committed_schema_path, documents, example_files, repo, schema_errors,
    validator,
};

#[test]
fn every_example_document_validates_against_the_committed_schema() {
    let validator = validator(&committed_schema());
    let files = example_files();
    assert!(
        files.len() >= 7,
        "the example workspace has only {} files",
        files.len()
    );
    let mut kinds = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable example");
        for (at, document) in documents(&text).iter().enumerate() {
            kinds.insert(document["kind"].as_str().unwrap_or_default().to_owned());
            for error in schema_errors(&validator, document) {
                problems.push(format!("{} document {}: {error}", file.display(), at + 1));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "examples the schema rejects:\n{}",
        problems.join("\n")
    );
    let expected = [
        "Audience",
        "Campaign",
        "PhoneBindings",
        "Template",
        "Workspace",
    ];
    assert_eq!(
        kinds.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn every_example_document_names_the_schema_in_its_modeline() {
    // yaml-language-server reads the modeline in each document's own header comments, so
    // in a multi-document file every document needs it, not only the first.
    let schema = committed_schema_path();
    for file in example_files() {
        let text = std::fs::read_to_string(&file).expect("readable example");
        for (at, document) in text.split("\n---\n").enumerate() {
            let first = document.lines().next().unwrap_or_default();
            let Some(target) = first.strip_prefix("# yaml-language-server: $schema=") else {
                panic!(
                    "document {} of {} does not start with the schema modeline",
                    at + 1,
                    file.display()
                );
            };
            let resolved = file
                .parent()
                .map(|dir| dir.join(target))
                .unwrap_or_default();
            assert!(
                resolved.canonicalize().ok() == schema.canonicalize().ok(),
                "{}'s modeline points at {target}, which is not {}",
                file.display(),
                schema.display()
            );
        }
    }
}

/// The schema's verdict on one example document after `edit`.
fn errors_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("campaigns/welcome-back.yaml"))
        .expect("the one-off example");
    let mut campaign = documents(&text)
        .into_iter()
        .find(|d| d["kind"] == "Campaign")
        .expect("a Campaign document");
    edit(&mut campaign);
    schema_errors(&validator(&kind_schema("Campaign")), &campaign)
}

/// The committed schema narrowed to one kind, so errors name the field at fault instead
/// of "not valid under any of the schemas listed in oneOf".
fn kind_schema(kind: &str) -> Value {
    let mut schema = committed_schema();
    let documents = schema["oneOf"].as_array().cloned().unwrap_or_default();
    let Some(only) = documents.into_iter().find(|d| d["title"] == kind) else {
        panic!("the schema has no document kind titled {kind}");
    };
    let (Some(root), Some(only)) = (schema.as_object_mut(), only.as_object()) else {
        panic!("the schema and its kinds are objects");
    };
    root.remove("oneOf");
    root.extend(only.clone());
    schema
}

#[test]
fn whole_schema_rejects_a_broken_campaign_and_accepts_the_original() {
    let text = std::fs::read_to_string(repo().join("campaigns/welcome-back.yaml"))
        .expect("the one-off example");
    let validator = validator(&committed_schema());
    let mut campaign = documents(&text).pop().expect("a last document");
    assert!(
        validator.is_valid(&campaign),
        "the example itself is invalid"
    );
    campaign["delivery"]["network"] = json!("5g");
    assert!(
        !validator.is_valid(&campaign),
        "a campaign with network 5g was accepted"
    );
}

#[test]
fn schema_rejects_a_misspelled_property() {
    let errors = errors_after(|c| {
        if let Some(c) = c.as_object_mut()
            && let Some(schedule) = c.remove("schedule")
        {
            c.insert("shedule".into(), schedule);
        }
    });
    assert!(
        errors
            .iter()
            .any(|e| e.contains("'shedule' was unexpected")),
        "{errors:#?}"
    );
}

#[test]
fn schema_rejects_an_unknown_enum_value() {
    let errors = errors_after(|c| c["delivery"]["network"] = json!("5g"));
    assert!(
        errors.iter().any(|e| e.contains("\"5g\" is not one of")),
        "{errors:#?}"
    );
}

#[test]
fn schema_rejects_a_document_without_a_name() {
    let errors = errors_after(|c| {
        c.as_object_mut().map(|c| c.remove("name"));
    });
    assert!(
        errors
            .iter()
            .any(|e| e.contains("\"name\" is a required property")),
        "{errors:#?}"
    );
}

#[test]
fn schema_rejects_a_name_inside_an_inline_template() {
    let errors = errors_after(|c| {
        c["template"] = json!({ "name": "x", "type": "notification", "title": "T", "text": "X" });
    });
    assert!(
        !errors.is_empty(),
        "an inline template with a name was accepted"
    );
}

#[test]
fn schema_accepts_an_inline_template_without_a_name() {
    let errors = errors_after(|c| {
        c["template"] = json!({ "type": "notification", "title": "T", "text": "X" });
    });
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn schema_rejects_a_title_longer_than_getui_accepts() {
    let errors = errors_after(|c| {
        c["template"] = json!({ "type": "notification", "title": "长".repeat(41), "text": "X" });
    });
    assert!(!errors.is_empty(), "a 41-character title was accepted");
}

#[test]
fn schema_rejects_a_name_with_capitals() {
    let errors = errors_after(|c| c["name"] = json!("Welcome-Back"));
    assert!(
        errors.iter().any(|e| e.contains("does not match")),
        "{errors:#?}"
    );
}

#[test]
fn schema_rejects_an_instant_without_an_offset() {
    let errors = errors_after(|c| c["schedule"]["at"] = json!("2026-12-01T10:00:00"));
    assert!(
        !errors.is_empty(),
        "an instant without an offset was accepted"
    );
}

#[test]
fn readme_sample_validates_against_the_committed_schema() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md exists");
    let sample = readme
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md opens with a YAML sample");
    let validator = validator(&committed_schema());
    let documents = documents(sample);
    assert!(
        documents.len() >= 2,
        "the sample has {} documents",
        documents.len()
    );
    for document in &documents {
        let errors = schema_errors(&validator, document);
        assert!(errors.is_empty(), "README's sample is invalid: {errors:#?}");
    }
}
