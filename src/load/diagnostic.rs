//! `Diagnostic`: one problem found in a workspace, with where it is and how to fix it.
//!
//! Loading finds the first problems (unreadable files, YAML syntax, unknown fields),
//! `check` adds the semantic ones and `lint` the campaign lints; all speak this type so
//! that `gtcamp validate` can sort, count and render them the same way, whatever found
//! them. The helpers they share ([`Diagnostic::of_level`], [`sort_by_place`]) live here
//! too, at the bottom of the stages, so that neither `check` nor `lint` reaches into the
//! other for them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::catalogue::Entry;
pub use super::catalogue::Severity;
use crate::model::Level;

/// A place in a source file.
///
/// `line` and `column` are 1-based and count characters, as editors show them; `offset`
/// and `len` are in bytes, for cutting the snippet out of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub len: usize,
}

impl Span {
    /// The very start of a file, for problems of the file as a whole.
    pub fn file_start() -> Self {
        Span {
            line: 1,
            column: 1,
            offset: 0,
            len: 0,
        }
    }
}

/// A span in a named file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub span: Span,
}

/// One problem: a stable code (see [`codes`](super::codes)), what is wrong, how to fix it
/// and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable across releases, such as `GC016`; scripts and docs may key on it. Always
    /// the code of a catalogue entry: the constructors take the entry, and
    /// [`Diagnostic::entry`] finds it again.
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where; `None` only for problems of the workspace as a whole.
    pub location: Option<Location>,
    /// Short text shown under the span.
    pub label: Option<String>,
    /// A second place that explains the first (the other duplicate, say).
    pub related: Option<(Location, String)>,
}

impl Diagnostic {
    pub fn error(entry: &'static Entry, message: impl Into<String>) -> Self {
        Diagnostic {
            code: entry.code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            location: None,
            label: None,
            related: None,
        }
    }

    pub fn warning(entry: &'static Entry, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(entry, message)
        }
    }

    /// A finding of a rule whose level `gtcamp.yaml` sets (`lints:`): an error at
    /// [`Level::Error`], else a warning (callers skip a rule that is [`Level::Off`]).
    pub fn of_level(level: Level, entry: &'static Entry, message: impl Into<String>) -> Self {
        match level {
            Level::Error => Diagnostic::error(entry, message),
            Level::Off | Level::Warning => Diagnostic::warning(entry, message),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn at(mut self, file: impl Into<PathBuf>, span: Span) -> Self {
        self.location = Some(Location {
            file: file.into(),
            span,
        });
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn related(mut self, location: Location, label: impl Into<String>) -> Self {
        self.related = Some((location, label.into()));
        self
    }

    /// The catalogue entry of its code.
    pub fn entry(&self) -> Option<&'static Entry> {
        super::catalogue::lookup(self.code)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts by file (in path order), line and column, things without a place first, keeping
/// the order of ties. Paths are ranked once: comparing them is slow, and a workspace of
/// thousands of campaigns can have tens of thousands of lint findings.
pub fn sort_by_place<T>(items: &mut [T], place: impl Fn(&T) -> Option<(&Path, usize, usize)>) {
    let mut files: Vec<PathBuf> = {
        let distinct: HashSet<&Path> = items.iter().filter_map(|i| place(i).map(|p| p.0)).collect();
        distinct.into_iter().map(Path::to_path_buf).collect()
    };
    files.sort();
    let rank: HashMap<PathBuf, usize> =
        files.into_iter().enumerate().map(|(n, f)| (f, n)).collect();
    items.sort_by_cached_key(|item| {
        place(item).map(|(file, line, column)| (rank.get(file).copied(), line, column))
    });
}
