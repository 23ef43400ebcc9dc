//! The JSON Schema of every document kind, as editors and CI read it.
//!
//! schemars derives the shape from [`Document`]; this module then fixes what the Rust types
//! cannot say, or say in a way editors handle badly:
//!
//! | derived from the types | in the published schema | why |
//! | --- | --- | --- |
//! | `name` optional (`#[serde(default)]`, so inline bodies may omit it) | `name` required on every document | a document without a name cannot be referred to |
//! | inline `template:` / `audience:` accept `name` | `InlineTemplate` / `InlineAudience` without `name` | an inline body belongs to its campaign and has no name of its own |
//! | `Option<T>` is `T` or `null` | `T`, and the field is simply not required | authors leave a field out, they never write `null`; completion and hover then show one type, not `string \| null` |
//! | non-standard formats (`uint32`, `double`, …) | removed, ranges kept as `minimum`/`maximum` | strict draft-07 validators reject unknown formats |
//! | enums as `oneOf` of `const` | `enum` plus `enumDescriptions` | editors complete an `enum` and show each value's text |
//! | `name`'s rule only in its description | `name` with a `pattern` | editors flag a bad name as it is typed |
//! | each definition's doc comment as its `description` | as its `$comment` | yaml-language-server's hover prefers a `$ref` target's description to the field's own |
//! | doc comments wrapped at 100 columns | one line per paragraph, plus `markdownDescription` | hovers reflow, and render `code` in Markdown |
//!
//! The result is committed as `schemas/gtcamp.schema.json`; a test fails when it drifts.

mod reference;

pub use reference::{
    END_MARKER, REFERENCE_PATH, START_MARKER, reference_markdown, splice_reference, yaml_inline,
};

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use super::{Document, Kind};

/// Where the schema is committed, relative to the repository root; example files point
/// their modeline at it.
pub const SCHEMA_PATH: &str = "schemas/gtcamp.schema.json";

/// What a document's name may be: lowercase letters, digits and `-`, 1 to 40 of them.
pub const NAME_PATTERN: &str = "^[a-z0-9-]{1,40}$";

/// Generates the draft-07 JSON Schema for every document kind.
pub fn document_schema() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<Document>().to_value();
    visit_schemas(&mut schema, &mut |node| {
        drop_nonstandard_format(node);
        drop_null(node);
        enum_from_consts(node);
        unwrap_description(node);
    });
    // `Selector<T>` is named `{T}Selector`, and `String`'s schema name is `string`.
    rename_definition(&mut schema, "stringSelector", "TextSelector");
    add_selector_examples(&mut schema);
    name_documents(&mut schema);
    strip_inline_names(&mut schema);
    visit_schemas(&mut schema, &mut add_markdown_description);
    demote_definition_descriptions(&mut schema);
    if let Some(root) = schema.as_object_mut() {
        root.insert("title".into(), json!("gtcamp document"));
        root.insert("defaultSnippets".into(), default_snippets());
    }
    schema
}

/// The schema as committed: two-space indents, a final newline, non-ASCII kept readable.
pub fn to_pretty_json(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Calls `visit` on `schema` and on every schema nested in it, but never on a map of
/// property names (a property called `type` is not the `type` keyword).
pub fn visit_schemas(schema: &mut Value, visit: &mut dyn FnMut(&mut Map<String, Value>)) {
    let Some(node) = schema.as_object_mut() else {
        return;
    };
    visit(node);
    for keyword in ["properties", "definitions", "patternProperties"] {
        if let Some(Value::Object(children)) = node.get_mut(keyword) {
            children
                .values_mut()
                .for_each(|child| visit_schemas(child, visit));
        }
    }
    for keyword in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(children)) = node.get_mut(keyword) {
            children
                .iter_mut()
                .for_each(|child| visit_schemas(child, visit));
        }
    }
    for keyword in ["items", "additionalProperties", "not", "if", "then", "else"] {
        if let Some(child) = node.get_mut(keyword) {
            visit_schemas(child, visit);
        }
    }
}

/// Formats draft-07 defines; any other is dropped, and the range it implied is kept.
const STANDARD_FORMATS: [&str; 17] = [
    "date-time",
    "date",
    "time",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

fn drop_nonstandard_format(node: &mut Map<String, Value>) {
    let Some(format) = node.get("format").and_then(Value::as_str) else {
        return;
    };
    if STANDARD_FORMATS.contains(&format) {
        return;
    }
    let range: Option<(i64, i64)> = match format {
        "uint8" => Some((0, u8::MAX.into())),
        "uint16" => Some((0, u16::MAX.into())),
        "uint32" | "uint" => Some((0, u32::MAX.into())),
        "int8" => Some((i8::MIN.into(), i8::MAX.into())),
        "int16" => Some((i16::MIN.into(), i16::MAX.into())),
        "int32" | "int" => Some((i32::MIN.into(), i32::MAX.into())),
        _ => None,
    };
    node.shift_remove("format");
    if let Some((min, max)) = range {
        node.entry("minimum").or_insert(json!(min));
        node.entry("maximum").or_insert(json!(max));
    }
}

/// `Option<T>` fields: keep `T`, drop the `null` alternative.
fn drop_null(node: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = node.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            node.insert("type".into(), only);
        }
    }
    let Some(Value::Array(variants)) = node.get("anyOf") else {
        return;
    };
    let null = json!({ "type": "null" });
    if variants.len() != 2 || !variants.contains(&null) {
        return;
    }
    let Some(other) = variants.iter().find(|v| **v != null).cloned() else {
        return;
    };
    node.shift_remove("anyOf");
    // A `$ref` beside other keywords is ignored in draft-07, so it goes under `allOf`,
    // the same way schemars writes a non-optional field.
    node.insert("allOf".into(), json!([other]));
}

/// A unit-only Rust enum arrives as `oneOf` of `const`s, one per variant.
fn enum_from_consts(node: &mut Map<String, Value>) {
    let Some(Value::Array(variants)) = node.get("oneOf") else {
        return;
    };
    let mut values = Vec::new();
    let mut descriptions = Vec::new();
    for variant in variants {
        let (Some(value), Some("string")) = (
            variant.get("const"),
            variant.get("type").and_then(Value::as_str),
        ) else {
            return;
        };
        values.push(value.clone());
        let text = variant.get("description").and_then(Value::as_str);
        descriptions.push(json!(reflow(text.unwrap_or_default())));
    }
    node.shift_remove("oneOf");
    node.insert("type".into(), json!("string"));
    node.insert("enum".into(), Value::Array(values));
    node.insert(
        "enumDescriptions".into(),
        Value::Array(descriptions.clone()),
    );
    node.insert(
        "markdownEnumDescriptions".into(),
        Value::Array(descriptions),
    );
}

fn unwrap_description(node: &mut Map<String, Value>) {
    if let Some(Value::String(text)) = node.get_mut("description") {
        *text = reflow(text);
    }
}

fn add_markdown_description(node: &mut Map<String, Value>) {
    if let Some(text) = node.get("description").cloned() {
        node.insert("markdownDescription".into(), text);
    }
}

/// Moves each definition's own description to `$comment`, where the YAML reference
/// still finds it.
///
/// yaml-language-server's hover shows the first description it meets, and it meets a
/// `$ref`'s target before the property that points at it: hovering `network:` showed "Which
/// networks a push may be delivered over" instead of the field's own text. Fields always
/// carry their own description, so nothing an author hovers loses its text.
fn demote_definition_descriptions(schema: &mut Value) {
    let Some(Value::Object(definitions)) = schema.get_mut("definitions") else {
        return;
    };
    for definition in definitions.values_mut().filter_map(Value::as_object_mut) {
        definition.shift_remove("markdownDescription");
        if let Some(description) = definition.shift_remove("description") {
            definition.insert("$comment".into(), description);
        }
    }
}

/// Joins the lines of each paragraph: doc comments wrap at 100 columns, hovers should not.
fn reflow(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| {
            paragraph
                .split('\n')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Renames a definition, in place, and every `$ref` to it.
fn rename_definition(schema: &mut Value, from: &str, to: &str) {
    let Some(Value::Object(definitions)) = schema.get_mut("definitions") else {
        return;
    };
    *definitions = std::mem::take(definitions)
        .into_iter()
        .map(|(name, body)| {
            if name == from {
                (to.to_owned(), body)
            } else {
                (name, body)
            }
        })
        .collect();
    let (old, new) = (
        format!("#/definitions/{from}"),
        format!("#/definitions/{to}"),
    );
    visit_schemas(schema, &mut |node| {
        if node.get("$ref").and_then(Value::as_str) == Some(old.as_str()) {
            node.insert("$ref".into(), json!(new));
        }
    });
}

/// Gives the two selectors' fields an example each.
///
/// `Selector<T>` is one generic type, so an `example` attribute on its fields would have to
/// suit both region and tag names and phone types; the examples are set per definition
/// instead, once schemars has named them.
fn add_selector_examples(schema: &mut Value) {
    let examples = [
        (
            "TextSelector",
            [
                json!(["浙江", "上海"]),
                json!(["shopper", "vip"]),
                json!(["promo-opt-out"]),
            ],
        ),
        (
            "PhoneTypeSelector",
            [json!(["android"]), json!(["ios"]), json!(["ios"])],
        ),
    ];
    for (definition, values) in examples {
        let properties = &mut schema["definitions"][definition]["properties"];
        for (field, value) in ["any", "all", "none"].into_iter().zip(values) {
            if let Some(Value::Object(property)) = properties.get_mut(field) {
                property.insert("examples".into(), json!([value]));
            }
        }
    }
}

/// Gives each document kind a title, a described `kind`, and a required `name`.
fn name_documents(schema: &mut Value) {
    let Some(Value::Array(documents)) = schema.get_mut("oneOf") else {
        return;
    };
    for document in documents.iter_mut() {
        let Some(kind) = document
            .pointer("/properties/kind/const")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        if let Some(Value::Object(kind_schema)) = document.pointer_mut("/properties/kind") {
            kind_schema.insert(
                "description".into(),
                json!(format!("The document's kind: `{kind}`.")),
            );
        }
        if let Some(Value::Object(name)) = document.pointer_mut("/properties/name") {
            name.shift_remove("default");
            // The same rule `check` applies, so editors flag a bad name while it is typed.
            name.insert("pattern".into(), json!(NAME_PATTERN));
        }
        let named = Kind::parse(&kind).is_some_and(Kind::is_named);
        if let Some(Value::Array(required)) = document.get_mut("required")
            && named
            && !required.contains(&json!("name"))
        {
            let at = usize::from(!required.is_empty());
            required.insert(at, json!("name"));
        }
        if let Some(document) = document.as_object_mut() {
            document.insert("title".into(), json!(kind));
            if kind == Kind::Moved.as_str() {
                // Exactly one rename per document, as `check` says (GC026).
                let one = ["campaign", "template", "audience"].map(|f| json!({"required": [f]}));
                document.insert("oneOf".into(), json!(one));
            }
        }
    }
}

/// Writes each `template:` / `audience:` field as "a name, or an inline body without
/// `name`", in place of schemars' shared `RefTo…` definition.
fn strip_inline_names(schema: &mut Value) {
    let Some(Value::Object(definitions)) = schema.get_mut("definitions") else {
        return;
    };
    let ref_names: Vec<String> = definitions
        .keys()
        .filter(|name| name.starts_with("RefTo"))
        .cloned()
        .collect();
    let mut replacements = Vec::new();
    for ref_name in ref_names {
        let target = ref_name.trim_start_matches("RefTo").to_owned();
        let Some(Value::Object(mut body)) = definitions.shift_remove(&target) else {
            continue;
        };
        if let Some(Value::Object(properties)) = body.get_mut("properties") {
            properties.shift_remove("name");
        }
        if let Some(Value::Array(required)) = body.get_mut("required") {
            required.retain(|field| field != "name");
        }
        let inline = format!("Inline{target}");
        body.insert("title".into(), json!(inline));
        definitions.insert(inline.clone(), Value::Object(body));
        let Some(mut union) = definitions.shift_remove(&ref_name) else {
            continue;
        };
        if let Some(Value::Object(variant)) = union.pointer_mut("/anyOf/1") {
            variant.insert("$ref".into(), json!(format!("#/definitions/{inline}")));
        }
        replacements.push((format!("#/definitions/{ref_name}"), union));
    }
    visit_schemas(schema, &mut |node| {
        let target = node
            .get("allOf")
            .and_then(|all| all.get(0))
            .and_then(|first| first.get("$ref"))
            .and_then(Value::as_str);
        let Some(target) = target else {
            return;
        };
        let Some((_, union)) = replacements.iter().find(|(r, _)| r == target) else {
            return;
        };
        if let Some(variants) = union.get("anyOf") {
            node.shift_remove("allOf");
            node.insert("anyOf".into(), variants.clone());
        }
    });
}

/// A minimal valid document per kind, offered by yaml-language-server in an empty file.
fn default_snippets() -> Value {
    let snippets = Kind::ALL.into_iter().map(|kind| {
        let body = match kind {
            Kind::Workspace => json!({
                "kind": "Workspace", "name": "${1:my-app}", "app_id": "${2:app-id}",
                "default_target": "sandbox", "targets": { "sandbox": { "type": "sandbox" } }
            }),
            Kind::Template => json!({
                "kind": "Template", "name": "${1:welcome}", "type": "notification",
                "title": "${2:Title}", "text": "${3:Text}"
            }),
            Kind::Audience => json!({
                "kind": "Audience", "name": "${1:android-users}",
                "phone_types": { "any": ["android"] }
            }),
            Kind::Campaign => json!({
                "kind": "Campaign", "name": "${1:launch}", "template": "${2:welcome}",
                "audience": "${3:android-users}",
                "schedule": { "at": "${4:2026-12-01T10:00:00+08:00}" }
            }),
            Kind::PhoneBindings => json!({
                "kind": "PhoneBindings", "name": "${1:phones}", "source": "${2:phones.csv}"
            }),
            Kind::Moved => json!({
                "kind": "Moved", "campaign": { "from": "${1:old-name}", "to": "${2:new-name}" }
            }),
            Kind::Removed => json!({
                "kind": "Removed", "campaign": "${1:old-campaign}", "cancel": false
            }),
        };
        json!({
            "label": kind.as_str(),
            "description": format!("A minimal {kind} document"),
            "body": body
        })
    });
    Value::Array(snippets.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflow_keeps_paragraphs_and_joins_lines() {
        assert_eq!(reflow("one\ntwo\n\nthree"), "one two\n\nthree");
    }

    #[test]
    fn nonstandard_formats_leave_their_range_behind() {
        let mut node = json!({ "type": "integer", "format": "uint32", "minimum": 1 });
        if let Some(node) = node.as_object_mut() {
            drop_nonstandard_format(node);
        }
        assert_eq!(
            node,
            json!({ "type": "integer", "minimum": 1, "maximum": 4_294_967_295_u32 })
        );
    }

    #[test]
    fn standard_formats_stay() {
        let mut node = json!({ "type": "string", "format": "date-time" });
        if let Some(node) = node.as_object_mut() {
            drop_nonstandard_format(node);
        }
        assert_eq!(node["format"], "date-time");
    }

    #[test]
    fn unit_enums_become_enum_with_descriptions() {
        let mut node = json!({ "oneOf": [
            { "description": "Any\nnetwork.", "type": "string", "const": "any" },
            { "description": "Wi-Fi.", "type": "string", "const": "wifi" }
        ]});
        if let Some(node) = node.as_object_mut() {
            enum_from_consts(node);
        }
        assert_eq!(node["enum"], json!(["any", "wifi"]));
        assert_eq!(node["enumDescriptions"], json!(["Any network.", "Wi-Fi."]));
        assert!(node.get("oneOf").is_none());
    }

    #[test]
    fn optional_fields_do_not_offer_null() {
        let schema = document_schema().to_string();
        assert!(!schema.contains("\"null\""), "null is still advertised");
    }
}
