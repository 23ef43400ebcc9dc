//! The YAML reference in `docs/reference/yaml.md`, rendered from the published schema.
//!
//! Rendered from the schema rather than from the Rust types so that people and editors read
//! the very same words and examples, and a test can tell when the page has fallen behind.

use serde_json::{Map, Value};

/// Where the reference is committed, relative to the repository root.
pub const REFERENCE_PATH: &str = "docs/reference/yaml.md";

/// Marks the generated text inside the reference page.
pub const START_MARKER: &str = "<!-- reference:start -->";
pub const END_MARKER: &str = "<!-- reference:end -->";

/// Renders every document kind, then every type they use, as Markdown tables.
pub fn reference_markdown(schema: &Value) -> String {
    let mut out = String::from(
        "<!-- Generated from the schema by `cargo run -- schema --format markdown`. -->\n",
    );
    let empty = Vec::new();
    let documents = schema
        .get("oneOf")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    for document in documents.iter().filter_map(Value::as_object) {
        let title = text(document, "title");
        out.push_str(&format!("\n## `kind: {title}`\n\n"));
        push_body(&mut out, document);
    }
    out.push_str("\n## Types used by the documents\n");
    if let Some(Value::Object(definitions)) = schema.get("definitions") {
        for (name, definition) in definitions {
            let Some(definition) = definition.as_object() else {
                continue;
            };
            out.push_str(&format!("\n### {name}\n\n"));
            push_body(&mut out, definition);
        }
    }
    out
}

fn push_body(out: &mut String, schema: &Map<String, Value>) {
    // Definitions keep their text in `$comment`; see `demote_definition_descriptions`.
    let mut description = text(schema, "description");
    if description.is_empty() {
        description = text(schema, "$comment");
    }
    if !description.is_empty() {
        out.push_str(&description);
        out.push_str("\n\n");
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        push_fields(out, schema, properties);
    } else if let Some(Value::Array(values)) = schema.get("enum") {
        push_values(out, schema, values);
    } else {
        out.push_str(&format!("Written as: {}.\n", type_of(schema)));
    }
}

fn push_fields(out: &mut String, schema: &Map<String, Value>, properties: &Map<String, Value>) {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.push_str("| Field | Type | Required | Default | Description | Example |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for (field, property) in properties {
        let Some(property) = property.as_object() else {
            continue;
        };
        let default = match property.get("default") {
            Some(value @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                format!("`{value}`")
            }
            _ => String::new(),
        };
        let example = match property.get("examples").and_then(Value::as_array) {
            Some(examples) if !examples.is_empty() => {
                format!("`{field}: {}`", yaml_inline(&examples[0])).replace('|', "\\|")
            }
            _ => String::new(),
        };
        out.push_str(&format!(
            "| `{field}` | {} | {} | {} | {} | {example} |\n",
            type_of(property),
            if required.contains(&field.as_str()) {
                "yes"
            } else {
                ""
            },
            default.replace('|', "\\|"),
            cell(&text(property, "description")),
        ));
    }
}

fn push_values(out: &mut String, schema: &Map<String, Value>, values: &[Value]) {
    let descriptions = schema.get("enumDescriptions").and_then(Value::as_array);
    out.push_str("| Value | Meaning |\n| --- | --- |\n");
    for (at, value) in values.iter().enumerate() {
        let meaning = descriptions
            .and_then(|d| d.get(at))
            .and_then(Value::as_str)
            .unwrap_or_default();
        out.push_str(&format!("| `{}` | {} |\n", plain(value), cell(meaning)));
    }
}

/// How a value is written, in words, with links to the types' own sections.
fn type_of(schema: &Map<String, Value>) -> String {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap_or(target);
        return format!("[{name}](#{})", name.to_lowercase());
    }
    if let Some(value) = schema.get("const") {
        return format!("`{}`", plain(value));
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        let values: Vec<String> = values.iter().map(|v| format!("`{}`", plain(v))).collect();
        return values.join(" \\| ");
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(variants)) = schema.get(keyword) {
            let words: Vec<String> = variants
                .iter()
                .filter_map(Value::as_object)
                .map(|variant| type_of(&inherit_type(schema, variant)))
                .collect();
            return words.join(" or ");
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => match schema.get("items").and_then(Value::as_object) {
            Some(items) => format!("list of {}", type_of(items)),
            None => "list".into(),
        },
        Some("object") => match schema.get("additionalProperties") {
            Some(Value::Object(values)) => format!("map of {}", type_of(values)),
            Some(Value::Bool(true)) => "map of any value".into(),
            _ => "mapping".into(),
        },
        Some(scalar) => scalar_words(schema, scalar),
        None => "any value".into(),
    }
}

/// `{"type": "string", "anyOf": [{"format": "date"}, …]}`: each variant is a string.
fn inherit_type(parent: &Map<String, Value>, variant: &Map<String, Value>) -> Map<String, Value> {
    let mut variant = variant.clone();
    if let Some(kind) = parent.get("type")
        && !variant.contains_key("$ref")
    {
        variant.entry("type").or_insert_with(|| kind.clone());
    }
    variant
}

fn scalar_words(schema: &Map<String, Value>, scalar: &str) -> String {
    let mut words = scalar.to_owned();
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        words = format!("{words} ({format})");
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        words = format!("{words}, at most {max} characters");
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_i64)
        && min != 0
    {
        words = format!("{words}, at least {min}");
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        words = format!("{words} matching `{}`", pattern.replace('|', "\\|"));
    }
    words
}

fn text(schema: &Map<String, Value>, key: &str) -> String {
    schema
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A value as YAML shows it: strings without their JSON quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value as one line of YAML: flow style for lists and mappings, and quotes only where
/// a plain scalar would read as something else (a number, a boolean, a time, a comment).
pub fn yaml_inline(value: &Value) -> String {
    match value {
        Value::String(s) if needs_quotes(s) => Value::String(s.clone()).to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(yaml_inline).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(key, value)| format!("{key}: {}", yaml_inline(value)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
        other => other.to_string(),
    }
}

fn needs_quotes(s: &str) -> bool {
    let reserved = ["true", "false", "null", "yes", "no", "on", "off", "~"];
    // `100001` would be a number, and `22:00` a number in base 60 to YAML 1.1 readers.
    let numeric =
        s.parse::<f64>().is_ok() || s.chars().all(|c| c.is_ascii_digit() || ":._".contains(c));
    s.is_empty()
        || numeric
        || s.starts_with(|c: char| "+-.&*!|>%@`?'\" ".contains(c))
        || s.ends_with(' ')
        || reserved.contains(&s.to_lowercase().as_str())
        || s.contains(": ")
        || s.contains(" #")
        || s.contains(['{', '}', '[', ']', ',', '"', '\''])
}

/// Text that fits in one table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("\n\n", "<br><br>")
        .replace('\n', " ")
}

/// The page with the text between the markers replaced by `reference`, or `None` when
/// the markers are missing or out of order.
pub fn splice_reference(page: &str, reference: &str) -> Option<String> {
    let start = page.find(START_MARKER)? + START_MARKER.len();
    let end = page.find(END_MARKER)?;
    let before = page.get(..start)?;
    let after = page.get(end..)?;
    Some(format!("{before}\n{reference}{after}"))
}
