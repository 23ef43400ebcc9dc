//! Finding workspace files and parsing YAML documents with their source spans.
//!
//! [`load_workspace`] walks a folder for `*.yaml` / `*.yml`, reads each file within
//! [`Limits`], splits it into documents, indexes every field's position ([`SpanIndex`])
//! and reads each document into its kind's struct. It never stops at the first problem:
//! whatever could be read is returned in [`LoadedWorkspace`] together with a
//! [`Diagnostic`] for everything that could not, so `check` can report all at once.
//!
//! Loading judges only whether input is *readable* (syntax, types, known fields, sizes);
//! whether it makes sense is `check`'s job.

mod diagnostic;
mod limits;
mod phones;
mod source;
mod span_index;
mod suggest;
mod typed;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Location, Severity, Span, sort_by_place};
pub use limits::{Limits, human_bytes};
pub use phones::{PhoneCsv, PhoneRow, mask_phone};
pub use source::SourceFile;
pub use span_index::{FieldPath, FieldSpan, PathSegment, ScalarValue, SpanIndex};
pub use suggest::did_you_mean;

use crate::model::Document;

/// One document of the workspace: its file, its positions and, when it could be read,
/// its typed value.
#[derive(Debug, Clone)]
pub struct LoadedDocument {
    pub file: PathBuf,
    /// Where the document's content starts.
    pub start: Span,
    pub spans: SpanIndex,
    /// `None` when reading failed; the failure is among the workspace's diagnostics.
    pub document: Option<Document>,
    /// For `PhoneBindings` with a `source`: the CSV rows, when the file could be read.
    pub phone_csv: Option<PhoneCsv>,
}

/// Everything read from a workspace folder, and every problem met while reading it.
#[derive(Debug, Clone, Default)]
pub struct LoadedWorkspace {
    pub root: PathBuf,
    /// The YAML files read, with their text (for rendering snippets).
    pub sources: Vec<SourceFile>,
    pub documents: Vec<LoadedDocument>,
    pub diagnostics: Vec<Diagnostic>,
    /// `false` when `root` is not a folder: nothing was read, and rules about what a
    /// workspace lacks would only repeat that.
    pub root_is_folder: bool,
}

impl LoadedWorkspace {
    pub fn source(&self, path: &Path) -> Option<&SourceFile> {
        self.sources.iter().find(|s| s.path == path)
    }
}

/// Loads every YAML document under `root`.
pub fn load_workspace(root: &Path, limits: &Limits) -> LoadedWorkspace {
    let mut workspace = LoadedWorkspace {
        root: root.to_path_buf(),
        ..LoadedWorkspace::default()
    };
    if !root.is_dir() {
        workspace.diagnostics.push(
            Diagnostic::error("GC001", format!("`{}` is not a folder", root.display()))
                .help("give the workspace folder, the one that holds `gtcamp.yaml`"),
        );
        return workspace;
    }
    workspace.root_is_folder = true;
    let (files, problems) = source::discover(root);
    workspace.diagnostics.extend(problems);
    for path in files {
        match source::read_text(&path, limits) {
            Ok(file) => load_file(&mut workspace, file, limits),
            Err(problem) => workspace.diagnostics.push(*problem),
        }
    }
    workspace
}

fn load_file(workspace: &mut LoadedWorkspace, file: SourceFile, limits: &Limits) {
    let outline = span_index::outline(&file.path, &file.text, limits);
    workspace.diagnostics.extend(outline.problem);
    for document in outline.documents {
        let read = typed::read_document(&file.path, &file.text, &document, limits);
        let typed = match read {
            Ok(Some(typed)) => Some(typed),
            Ok(None) => continue,
            Err(problem) => {
                workspace.diagnostics.push(*problem);
                None
            }
        };
        let phone_csv = match &typed {
            Some(Document::PhoneBindings(bindings)) => match &bindings.source {
                Some(source) => {
                    let at = document
                        .spans
                        .value_or_nearest(&FieldPath::root().key("source"))
                        .unwrap_or(document.start);
                    let (csv, problems) = phones::read_phone_csv(&file.path, source, at, limits);
                    workspace.diagnostics.extend(problems);
                    csv
                }
                None => None,
            },
            _ => None,
        };
        workspace.documents.push(LoadedDocument {
            file: file.path.clone(),
            start: document.start,
            spans: document.spans,
            document: typed,
            phone_csv,
        });
    }
    workspace.sources.push(file);
}
