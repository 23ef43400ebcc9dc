//! `Site`: a document (or a part of one, such as a campaign's inline template) that rules
//! point into.
//!
//! Rules speak in field paths relative to the thing they check; the site turns a path
//! into a file location, falling back to the closest written ancestor when the field is
//! absent (a missing `url` is reported on the template that lacks it).

use std::path::Path;

use crate::load::{Diagnostic, FieldPath, LoadedDocument, Span, SpanIndex};

#[derive(Clone, Copy)]
pub struct Site<'a> {
    pub file: &'a Path,
    pub spans: &'a SpanIndex,
    pub prefix: &'a FieldPath,
    pub start: Span,
}

impl<'a> Site<'a> {
    pub fn of(document: &'a LoadedDocument, prefix: &'a FieldPath) -> Self {
        Site {
            file: &document.file,
            spans: &document.spans,
            prefix,
            start: document.start,
        }
    }

    /// The absolute path of `keys` below this site.
    pub fn path(&self, keys: &[&str]) -> FieldPath {
        keys.iter()
            .fold(self.prefix.clone(), |path, key| path.key(key))
    }

    /// Where the value at `path` is written, or the nearest written ancestor.
    pub fn value_span(&self, path: &FieldPath) -> Span {
        self.spans.value_or_nearest(path).unwrap_or(self.start)
    }

    /// Where the key at `path` is written, or the nearest written ancestor.
    pub fn key_span(&self, path: &FieldPath) -> Span {
        self.spans.nearest(path).unwrap_or(self.start)
    }

    /// Points `diagnostic` at the value of `keys`.
    pub fn at_value(&self, diagnostic: Diagnostic, keys: &[&str]) -> Diagnostic {
        diagnostic.at(self.file, self.value_span(&self.path(keys)))
    }

    /// Points `diagnostic` at the key of `keys`.
    pub fn at_key(&self, diagnostic: Diagnostic, keys: &[&str]) -> Diagnostic {
        diagnostic.at(self.file, self.key_span(&self.path(keys)))
    }
}
