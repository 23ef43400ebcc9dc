//! Every field offers an example, in the YAML reference and in editors' completion, and
//! every example is a value the field accepts: a wrong example teaches the wrong thing.

use serde_json::{Map, Value};

use crate::workspace::{committed_schema, validator};

/// Every property of every document kind and definition: (where, its schema).
fn properties(schema: &Value) -> Vec<(String, Map<String, Value>)> {
    let mut found = Vec::new();
    let documents = schema["oneOf"].as_array().cloned().unwrap_or_default();
    let kinds = documents
        .iter()
        .map(|d| (format!("kind {}", d["title"].as_str().unwrap_or("?")), d));
    let definitions = schema["definitions"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let types: Vec<(String, Value)> = definitions.into_iter().collect();
    let types = types.iter().map(|(name, d)| (name.clone(), d));
    for (owner, body) in kinds.chain(types) {
        let Some(Value::Object(fields)) = body.get("properties") else {
            continue;
        };
        for (field, property) in fields {
            // `kind` is the document's tag, not a field an author chooses a value for.
            if field == "kind" && owner.starts_with("kind ") {
                continue;
            }
            if let Some(property) = property.as_object() {
                found.push((format!("{owner}.{field}"), property.clone()));
            }
        }
    }
    found
}

#[test]
fn every_field_has_an_example() {
    let schema = committed_schema();
    let fields = properties(&schema);
    assert!(
        fields.len() > 200,
        "only {} fields found: the walk is broken",
        fields.len()
    );
    let missing: Vec<&str> = fields
        .iter()
        .filter(|(_, property)| {
            property
                .get("examples")
                .and_then(Value::as_array)
                .is_none_or(|e| e.is_empty())
        })
        .map(|(at, _)| at.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "fields without an example (add `#[schemars(example = …)]` in src/model/): {missing:#?}"
    );
}

#[test]
fn every_field_example_validates_against_its_own_schema() {
    let schema = committed_schema();
    let mut wrong = Vec::new();
    for (at, property) in properties(&schema) {
        let mut own = property.clone();
        own.remove("examples");
        // `$ref`s inside the field point at the root's definitions.
        own.insert("definitions".into(), schema["definitions"].clone());
        own.insert("$schema".into(), schema["$schema"].clone());
        let validator = validator(&Value::Object(own));
        let examples = property.get("examples").and_then(Value::as_array);
        for example in examples.into_iter().flatten() {
            for error in validator.iter_errors(example) {
                wrong.push(format!("{at}: {example} is refused: {error}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "examples their own field refuses:\n{}",
        wrong.join("\n")
    );
}
