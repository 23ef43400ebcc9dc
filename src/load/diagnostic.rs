//! `Diagnostic`: one problem found in a workspace, with where it is and how to fix it.
//!
//! Loading finds the first problems (unreadable files, YAML syntax, unknown fields), and
//! `check` adds the semantic ones; both speak this type so that `gtcamp validate` can sort,
//! count and render them the same way, whatever found them.

use std::fmt;
use std::path::PathBuf;

/// How bad a problem is. Errors make `gtcamp validate` fail; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// One problem: a stable code (see the catalogue in `check`), what is wrong, how to fix
/// it and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable across releases, such as `GC016`; scripts and docs may key on it.
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
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            location: None,
            label: None,
            related: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
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

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
