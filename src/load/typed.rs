//! Reading one document into its kind's struct, and turning serde-saphyr's errors into
//! diagnostics.
//!
//! serde-saphyr knows line and column only when a document is read straight into a
//! struct; through the internally tagged `model::Document` enum the input is buffered and
//! positions are lost. So `kind` is read first (from the span index) and the document's
//! own text, cut from the start of its first line, is read into the matching struct.
//! Lines it reports are then shifted by the document's first line; columns need no
//! change because the cut starts a line.

use super::codes;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{DefaultMessageFormatter, Error as YamlError, MessageFormatter};

use super::diagnostic::{Diagnostic, Span};
use super::limits::Limits;
use super::span_index::{DocumentOutline, FieldPath};
use crate::model::did_you_mean;
use crate::model::{Document, Kind};

/// Where a document's text sits in its file, to map positions back.
struct Cut<'a> {
    file: &'a Path,
    text: &'a str,
    offset: usize,
    first_line: usize,
}

/// Reads the document `outline` describes out of `text`. `Ok(None)` for an empty document
/// (a file holding only comments, or a stray `---`).
pub fn read_document(
    file: &Path,
    text: &str,
    outline: &DocumentOutline,
    limits: &Limits,
) -> Result<Option<Document>, Box<Diagnostic>> {
    let root = outline.spans.get(&FieldPath::root());
    let is_empty =
        match root {
            None => true,
            Some(_) => outline.spans.scalars().iter().any(|s| {
                s.path == FieldPath::root() && matches!(s.text.as_str(), "" | "~" | "null")
            }),
        };
    if is_empty {
        return Ok(None);
    }
    let kind = read_kind(file, outline)?;
    let cut = Cut {
        file,
        text: text
            .get(outline.start_offset..outline.end_offset)
            .unwrap_or_default(),
        offset: outline.start_offset,
        first_line: outline.start_line,
    };
    let options = limits.saphyr_options();
    let read = match kind {
        Kind::Workspace => typed::<crate::model::Workspace>(&cut, options).map(Document::Workspace),
        Kind::Template => typed(&cut, options).map(Document::Template),
        Kind::Audience => typed(&cut, options).map(Document::Audience),
        Kind::Campaign => typed(&cut, options).map(Document::Campaign),
        Kind::PhoneBindings => typed(&cut, options).map(Document::PhoneBindings),
        Kind::Moved => typed(&cut, options).map(Document::Moved),
        Kind::Removed => typed(&cut, options).map(Document::Removed),
    };
    read.map(Some).map_err(|error| {
        let mut diagnostic = diagnostic_for(&cut, &error);
        if diagnostic.code == "GC007" {
            point_at_the_mapping(&mut diagnostic, outline);
        }
        if diagnostic.location.is_none() {
            diagnostic = diagnostic.at(file, outline.start);
        }
        Box::new(diagnostic)
    })
}

fn typed<T: DeserializeOwned>(
    cut: &Cut,
    options: serde_saphyr::Options,
) -> Result<Box<T>, YamlError> {
    serde_saphyr::from_str_with_options::<T>(cut.text, options).map(Box::new)
}

fn valid_kinds() -> String {
    Kind::ALL
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_kind(file: &Path, outline: &DocumentOutline) -> Result<Kind, Box<Diagnostic>> {
    let Some(written) = outline.spans.top_level_scalar("kind") else {
        let at = outline
            .spans
            .get(&FieldPath::root().key("kind"))
            .map_or(outline.start, |f| f.key_or_value());
        return Err(Box::new(
            Diagnostic::error(
                codes::GC005,
                "this document has no `kind`, so gtcamp cannot tell what it declares",
            )
            .help(format!(
                "add a `kind:` line; valid kinds are {}",
                valid_kinds()
            ))
            .at(file, at)
            .label("document starts here"),
        ));
    };
    if let Some(kind) = Kind::parse(&written.text) {
        return Ok(kind);
    }
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let mut help = format!("valid kinds are {}", valid_kinds());
    if let Some(near) = did_you_mean(&written.text, names.iter().copied()) {
        help = format!("did you mean `{near}`? {help}");
    }
    Err(Box::new(
        Diagnostic::error(
            codes::GC005,
            format!("`{}` is not a kind of document", written.text),
        )
        .help(help)
        .at(file, written.span)
        .label("unknown kind"),
    ))
}

/// One diagnostic for a failed typed read, with a code per family of failure.
fn diagnostic_for(cut: &Cut, error: &YamlError) -> Diagnostic {
    let inner = original(error);
    let message = clean(&DefaultMessageFormatter.format_message(inner));
    let diagnostic = match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(field, expected),
        YamlError::SerdeMissingField { field, .. } => Diagnostic::error(
            codes::GC007,
            format!("the required field `{field}` is missing"),
        )
        .help(format!("add `{field}:` to this mapping"))
        .label(format!("`{field}` missing here")),
        YamlError::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("this key");
            Diagnostic::error(codes::GC009, format!("`{key}` is written twice in the same mapping"))
                .help("keep one of the two; YAML does not allow a key twice")
                .label("second occurrence")
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let list = expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ");
            let mut help = format!("write one of {list}");
            if let Some(near) = did_you_mean(variant, expected.iter().copied()) {
                help = format!("did you mean `{near}`? {help}");
            }
            Diagnostic::error(codes::GC008, format!("`{variant}` is not an accepted value here"))
                .help(help)
                .label("unknown value")
        }
        YamlError::Budget { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => Diagnostic::error(
            codes::GC004,
            format!("the document is too large or expands too many aliases to read safely: {message}"),
        )
        .help("gtcamp bounds nesting depth, node count and alias expansion; write the values out plainly instead of through nested anchors and aliases"),
        YamlError::Unexpected { expected, .. } => {
            Diagnostic::error(codes::GC008, format!("expected {expected} here"))
                .help("see the field's description in the schema (`gtcamp schema`) for what it accepts")
                .label(format!("expected {expected}"))
        }
        YamlError::InvalidScalar { ty, .. } if ty.contains("bool") => {
            Diagnostic::error(codes::GC008, "invalid value: expected `true` or `false`")
                .help("write `true` or `false`")
                .label("not a boolean")
        }
        YamlError::SerdeInvalidType { .. }
        | YamlError::SerdeInvalidValue { .. }
        | YamlError::Message { .. }
        | YamlError::InvalidScalar { .. }
        | YamlError::NullIntoString { .. } => Diagnostic::error(
            codes::GC008,
            // serde's own words may start the same way ("invalid value: integer `0`, …").
            format!("invalid value: {}", message.trim_start_matches("invalid value: ")),
        )
            .help("see the field's description in the schema (`gtcamp schema`) for what it accepts")
            .label("invalid value"),
        _ => Diagnostic::error(codes::GC003, format!("this document cannot be read: {message}"))
            .help("fix the YAML at this place; a YAML-aware editor shows such errors as you type"),
    };
    match inner.location().or_else(|| error.location()) {
        Some(location) if location.line() > 0 => diagnostic.at(cut.file, span_of(cut, location)),
        _ => diagnostic,
    }
}

/// serde reports a missing field at the mapping's last key, which reads as if that key
/// were wrong; point at the key that opens the mapping instead (or the document start).
fn point_at_the_mapping(diagnostic: &mut Diagnostic, outline: &DocumentOutline) {
    let Some(location) = diagnostic.location.as_mut() else {
        return;
    };
    let parent = outline
        .spans
        .path_of_key_at(location.span.offset)
        .and_then(FieldPath::parent);
    location.span = match parent {
        Some(parent) if parent != FieldPath::root() => {
            outline.spans.nearest(&parent).unwrap_or(outline.start)
        }
        _ => outline.start,
    };
}

/// The error an alias or snippet wrapper stands for.
fn original(error: &YamlError) -> &YamlError {
    let mut current = error.without_snippet();
    while let YamlError::AliasError { error, .. } = current {
        current = error.without_snippet();
    }
    current
}

/// Error text may echo input; keep it on one line and free of control characters.
fn clean(message: &str) -> String {
    message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn unknown_field(field: &str, expected: &[&'static str]) -> Diagnostic {
    let expected: Vec<&str> = expected.iter().copied().filter(|e| *e != "kind").collect();
    let list = expected
        .iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let help = match did_you_mean(field, expected.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? fields allowed here: {list}"),
        None => format!("fields allowed here: {list}"),
    };
    Diagnostic::error(codes::GC006, format!("unknown field `{field}`"))
        .help(help)
        .label("not a field of this mapping")
}

fn span_of(cut: &Cut, location: serde_saphyr::Location) -> Span {
    let local_line = usize::try_from(location.line()).unwrap_or(1).max(1);
    let column = usize::try_from(location.column()).unwrap_or(1).max(1);
    let line = cut.first_line + local_line - 1;
    let span = location.span();
    let (offset, len) = match (span.byte_offset(), span.byte_len()) {
        (Some(offset), Some(len)) => (
            usize::try_from(offset).unwrap_or(0),
            usize::try_from(len).unwrap_or(0),
        ),
        _ => (offset_of(cut.text, local_line, column), 0),
    };
    let offset = (cut.offset + offset).min(cut.offset + cut.text.len());
    Span {
        line,
        column,
        offset,
        len: len.min(cut.text.len().saturating_sub(offset - cut.offset)),
    }
}

/// Byte offset of a 1-based line and character column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or_default();
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}
