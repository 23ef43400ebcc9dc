//! `SpanIndex`: where every field of a document is, so checks can point at `file:line:col`.
//!
//! Built from the parser's event stream rather than from the deserialized value, because
//! the typed structs hold no positions. The walk is iterative (an explicit stack, never
//! recursion) and bounded by [`Limits`], and it never expands aliases: an alias is
//! recorded where it is written, once, which keeps an alias bomb as cheap to walk as it
//! is to read.

use super::codes;
use std::collections::HashMap;
use std::path::Path;

use serde_saphyr::granit_parser::{self, Event, Marker, Parser};

use super::diagnostic::{Diagnostic, Span};
use super::limits::Limits;

/// One step of a path into a document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// A path from a document's root, such as `template.title` or `pairs[3].pn_md5`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<PathSegment>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut path = self.clone();
        path.0.push(PathSegment::Key(key.to_owned()));
        path
    }

    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.0.push(PathSegment::Index(index));
        path
    }

    pub fn parent(&self) -> Option<FieldPath> {
        let (_, init) = self.0.split_last()?;
        Some(FieldPath(init.to_vec()))
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if i == 0 => write!(f, "{key}")?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Where a field's key and value are written. Root values and sequence items have no key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpan {
    pub key: Option<Span>,
    pub value: Span,
}

impl FieldSpan {
    /// The key when there is one (what a reader looks for), else the value.
    pub fn key_or_value(&self) -> Span {
        self.key.unwrap_or(self.value)
    }
}

/// A scalar value as written, with its path; keys are not included.
#[derive(Clone, PartialEq, Eq)]
pub struct ScalarValue {
    pub path: FieldPath,
    pub text: String,
    pub span: Span,
}

/// Scalars may hold personal data (a phone number written by mistake), so Debug shows
/// where they are, never what they say.
impl std::fmt::Debug for ScalarValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScalarValue")
            .field("path", &self.path.to_string())
            .field("span", &self.span)
            .finish_non_exhaustive()
    }
}

/// Every field of one document and every scalar value in it.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    fields: HashMap<FieldPath, FieldSpan>,
    scalars: Vec<ScalarValue>,
}

impl SpanIndex {
    pub fn get(&self, path: &FieldPath) -> Option<&FieldSpan> {
        self.fields.get(path)
    }

    /// The span of the field at `path`, else of the closest ancestor that is written,
    /// so a diagnostic about a missing field can point at the mapping that lacks it.
    pub fn nearest(&self, path: &FieldPath) -> Option<Span> {
        let mut current = Some(path.clone());
        while let Some(path) = current {
            if let Some(field) = self.fields.get(&path) {
                return Some(field.key_or_value());
            }
            current = path.parent();
        }
        None
    }

    /// The value's span at `path`, else what [`SpanIndex::nearest`] finds.
    pub fn value_or_nearest(&self, path: &FieldPath) -> Option<Span> {
        match self.fields.get(path) {
            Some(field) => Some(field.value),
            None => self.nearest(path),
        }
    }

    /// The path of the field whose key starts at byte `offset`.
    pub fn path_of_key_at(&self, offset: usize) -> Option<&FieldPath> {
        self.fields
            .iter()
            .find(|(_, field)| field.key.is_some_and(|k| k.offset == offset))
            .map(|(path, _)| path)
    }

    pub fn scalars(&self) -> &[ScalarValue] {
        &self.scalars
    }

    /// A top-level scalar such as `kind` or `name`, as written.
    pub fn top_level_scalar(&self, key: &str) -> Option<&ScalarValue> {
        self.scalars
            .iter()
            .find(|s| matches!(s.path.0.as_slice(), [PathSegment::Key(k)] if k == key))
    }
}

/// One document of a file as the walker saw it.
#[derive(Debug, Clone)]
pub struct DocumentOutline {
    /// Byte offset of the start of the line the document starts on.
    pub start_offset: usize,
    /// The 1-based line `start_offset` is on.
    pub start_line: usize,
    /// Byte offset just past the document.
    pub end_offset: usize,
    /// Where the document's content starts, for diagnostics about the whole document.
    pub start: Span,
    pub spans: SpanIndex,
}

/// A file's documents, and the problem that stopped the walk if one did. Documents
/// finished before that problem are kept.
#[derive(Debug, Default)]
pub struct FileOutline {
    pub documents: Vec<DocumentOutline>,
    pub problem: Option<Diagnostic>,
}

enum Frame {
    Mapping {
        path: FieldPath,
        pending_key: Option<(String, Span)>,
    },
    Sequence {
        path: FieldPath,
        next_index: usize,
    },
}

struct OpenDocument {
    outline: DocumentOutline,
    stack: Vec<Frame>,
}

/// Walks every document of `text`, within `limits`.
pub fn outline(file: &Path, text: &str, limits: &Limits) -> FileOutline {
    let mut options = granit_parser::Options::default();
    // One above our own limit, so we report depth in our words before the parser does.
    options.block_nesting_limit = limits.max_depth + 1;
    options.flow_nesting_limit = limits.max_depth + 1;
    let parser = Parser::new_from_str_with_options(text, options);
    let mut result = FileOutline::default();
    let mut open: Option<OpenDocument> = None;
    let mut nodes = 0usize;
    for item in parser {
        let (event, span) = match item {
            Ok(pair) => pair,
            Err(error) => {
                result.problem = Some(
                    if matches!(
                        error.kind(),
                        granit_parser::ErrorKind::RecursionLimitExceeded
                    ) {
                        too_deep(file, point(text, error.marker()), limits)
                    } else {
                        syntax_problem(file, text, error.marker(), error.info())
                    },
                );
                return result;
            }
        };
        let span = to_span(text, &span.start, &span.end);
        match event {
            Event::DocumentStart(..) => {
                open = Some(OpenDocument {
                    outline: new_outline(text, span),
                    stack: Vec::new(),
                })
            }
            Event::DocumentEnd => {
                if let Some(mut doc) = open.take() {
                    doc.outline.end_offset = (span.offset + span.len).max(doc.outline.start_offset);
                    result.documents.push(doc.outline);
                }
            }
            Event::Scalar(value, ..) => {
                if let Some(doc) = open.as_mut() {
                    doc.node(Some(value.into_owned()), span);
                }
            }
            Event::Alias(_) => {
                if let Some(doc) = open.as_mut() {
                    doc.node(None, span);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if let Some(doc) = open.as_mut() {
                    let is_mapping = matches!(event, Event::MappingStart(..));
                    let path = doc.node(None, span);
                    doc.push(path, is_mapping);
                    if doc.stack.len() > limits.max_depth {
                        result.problem = Some(too_deep(file, span, limits));
                        return result;
                    }
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(doc) = open.as_mut() {
                    doc.stack.pop();
                }
            }
            _ => continue,
        }
        nodes += 1;
        if nodes > limits.max_nodes {
            result.problem = Some(too_many_nodes(file, span, limits));
            return result;
        }
    }
    result
}

impl OpenDocument {
    /// Records a node (scalar, alias or the start of a container) at the current place,
    /// and returns the path a container opened here gets.
    fn node(&mut self, scalar: Option<String>, span: Span) -> FieldPath {
        let (path, key) = match self.stack.last_mut() {
            None => (FieldPath::root(), None),
            Some(Frame::Sequence { path, next_index }) => {
                *next_index += 1;
                (path.index(*next_index - 1), None)
            }
            Some(Frame::Mapping { path, pending_key }) => match pending_key.take() {
                Some((key, key_span)) => (path.key(&key), Some(key_span)),
                None => {
                    // This node is a key. A container used as a key has no text; it gets a
                    // placeholder so its value still lands somewhere sensible.
                    let text = scalar.unwrap_or_else(|| "?".to_owned());
                    let key_path = path.key(&text);
                    *pending_key = Some((text, span));
                    return key_path;
                }
            },
        };
        self.outline
            .spans
            .fields
            .entry(path.clone())
            .or_insert(FieldSpan { key, value: span });
        if let Some(text) = scalar {
            self.outline.spans.scalars.push(ScalarValue {
                path: path.clone(),
                text,
                span,
            });
        }
        path
    }

    fn push(&mut self, path: FieldPath, is_mapping: bool) {
        self.stack.push(if is_mapping {
            Frame::Mapping {
                path,
                pending_key: None,
            }
        } else {
            Frame::Sequence {
                path,
                next_index: 0,
            }
        });
    }
}

fn to_span(text: &str, start: &Marker, end: &Marker) -> Span {
    let offset = start.byte_offset().unwrap_or(0).min(text.len());
    let end = end.byte_offset().unwrap_or(offset).max(offset);
    Span {
        line: start.line().max(1),
        column: start.col() + 1,
        offset,
        len: end - offset,
    }
}

fn new_outline(text: &str, start: Span) -> DocumentOutline {
    let before = text.get(..start.offset).unwrap_or("");
    let start_offset = before.rfind('\n').map_or(0, |i| i + 1);
    DocumentOutline {
        start_offset,
        start_line: start.line,
        end_offset: text.len(),
        start,
        spans: SpanIndex::default(),
    }
}

/// The span of the character at a parser marker, for errors that have no extent.
fn point(text: &str, marker: &Marker) -> Span {
    let mut span = to_span(text, marker, marker);
    span.len = text
        .get(span.offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    span
}

fn syntax_problem(file: &Path, text: &str, marker: &Marker, info: String) -> Diagnostic {
    let span = point(text, marker);
    Diagnostic::error(codes::GC003, format!("this is not valid YAML: {info}"))
        .help(
            "fix the YAML syntax at this place; a YAML-aware editor shows such errors as you type",
        )
        .at(file, span)
}

fn too_deep(file: &Path, span: Span, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        codes::GC004,
        format!("the YAML is nested deeper than {} levels", limits.max_depth),
    )
    .help(format!(
        "gtcamp reads at most {} levels of nesting, far more than any campaign needs; flatten the structure",
        limits.max_depth
    ))
    .at(file, span)
}

fn too_many_nodes(file: &Path, span: Span, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        codes::GC004,
        format!("the file holds more than {} YAML values", limits.max_nodes),
    )
    .help(format!(
        "gtcamp reads at most {} values per file; split the file into several smaller ones",
        limits.max_nodes
    ))
    .at(file, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline_of(text: &str) -> FileOutline {
        outline(Path::new("t.yaml"), text, &Limits::default())
    }

    #[test]
    fn indexes_keys_and_values_by_path() {
        let text =
            "kind: PhoneBindings\npairs:\n  - cid: a\n    pn_md5: b\n  - cid: c\n    pn_md5: d\n";
        let file = outline_of(text);
        let spans = &file.documents[0].spans;
        let field = spans
            .get(&FieldPath::root().key("pairs").index(1).key("pn_md5"))
            .expect("indexed");
        assert_eq!((field.value.line, field.value.column), (6, 13));
        let key = field.key.expect("has a key");
        assert_eq!((key.line, key.column, key.len), (6, 5, 6));
    }

    #[test]
    fn records_an_alias_where_it_is_written_without_expanding_it() {
        let text = "a: &x [1, 2, 3]\nb: *x\nc: [*x, *x]\n";
        let file = outline_of(text);
        let spans = &file.documents[0].spans;
        // The anchored sequence's three scalars, once; the aliases add no scalars.
        assert_eq!(spans.scalars().len(), 3);
        let alias = spans
            .get(&FieldPath::root().key("b"))
            .expect("alias indexed");
        assert_eq!((alias.value.line, alias.value.column), (2, 4));
        assert!(spans.get(&FieldPath::root().key("b").index(0)).is_none());
    }

    #[test]
    fn splits_documents_at_the_start_of_their_line() {
        let text = "# header\nkind: A\n---\nkind: B\n...\n---\nkind: C\n";
        let file = outline_of(text);
        let starts: Vec<usize> = file.documents.iter().map(|d| d.start_line).collect();
        assert_eq!(starts, [2, 3, 6]);
        let third = &file.documents[2];
        assert_eq!(
            text.get(third.start_offset..third.end_offset),
            Some("---\nkind: C\n")
        );
    }

    #[test]
    fn stops_at_the_depth_limit_with_a_diagnostic() {
        let text = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        let file = outline_of(&text);
        let problem = file.problem.expect("too deep");
        assert_eq!(problem.code, "GC004");
    }
}
