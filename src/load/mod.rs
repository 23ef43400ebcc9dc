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

pub mod catalogue;
mod diagnostic;
mod limits;
mod phones;
mod source;
mod span_index;
mod typed;

use std::path::{Path, PathBuf};

pub use crate::model::did_you_mean;
pub use catalogue::codes;
pub use diagnostic::{Diagnostic, Location, Severity, Span, sort_by_place};
pub use limits::{Limits, human_bytes};
pub use phones::{PhoneCsv, PhoneRow, mask_phone};
pub use source::SourceFile;
pub use span_index::{FieldPath, FieldSpan, PathSegment, ScalarValue, SpanIndex};

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

/// The file that makes a folder a workspace, and holds its settings.
pub const SETTINGS_FILE: &str = "gtcamp.yaml";

/// Whether `dir` is a workspace: it holds a [`SETTINGS_FILE`].
pub fn is_workspace(dir: &Path) -> bool {
    dir.join(SETTINGS_FILE).is_file()
}

/// The nearest of `dir` and its parents that is a workspace, as git finds the repository
/// of a folder inside it.
pub fn find_workspace(dir: &Path) -> Option<&Path> {
    dir.ancestors().find(|folder| is_workspace(folder))
}

/// Loads every YAML document under `root`.
pub fn load_workspace(root: &Path, limits: &Limits) -> LoadedWorkspace {
    let mut workspace = LoadedWorkspace {
        root: root.to_path_buf(),
        ..LoadedWorkspace::default()
    };
    if !root.is_dir() {
        workspace.diagnostics.push(
            Diagnostic::error(
                codes::GC001,
                format!("`{}` is not a folder", root.display()),
            )
            .help("give the workspace folder, the one that holds `gtcamp.yaml`"),
        );
        return workspace;
    }
    workspace.root_is_folder = true;
    let (files, problems) = source::discover(root);
    workspace.diagnostics.extend(problems);
    for loaded in load_files(&files, limits) {
        workspace.sources.extend(loaded.source);
        workspace.documents.extend(loaded.documents);
        workspace.diagnostics.extend(loaded.diagnostics);
    }
    workspace
}

/// What one file gave: its text, its documents, and what was wrong with it.
#[derive(Default)]
struct LoadedFile {
    source: Option<SourceFile>,
    documents: Vec<LoadedDocument>,
    diagnostics: Vec<Diagnostic>,
    /// The phone CSVs its documents name, read once every file is parsed.
    csvs: Vec<CsvToRead>,
}

/// A phone CSV a `PhoneBindings` document names (`source`), to read for it.
struct CsvToRead {
    /// The document's index in [`LoadedFile::documents`].
    document: usize,
    /// Where the CSV's problems go in [`LoadedFile::diagnostics`], so that they come out
    /// where reading it on the spot put them.
    diagnostics_at: usize,
    yaml_file: PathBuf,
    source: String,
    at: Span,
}

/// Loads `files` on every core and returns them in the order given, so that documents and
/// diagnostics come out as a one-by-one load would. The YAML files are parsed first, each
/// whole on one thread, then the phone CSVs they name are read, each on one thread too:
/// a workspace of phone lists is mostly CSV parsing, and four CSVs named by one file were
/// otherwise read one after the other by the thread that parsed it.
fn load_files(files: &[PathBuf], limits: &Limits) -> Vec<LoadedFile> {
    let mut loaded = on_every_core(files, |path| load_file(path, limits));
    let to_read: Vec<(usize, &CsvToRead)> = loaded
        .iter()
        .enumerate()
        .flat_map(|(file, loaded)| loaded.csvs.iter().map(move |csv| (file, csv)))
        .collect();
    let read = on_every_core(&to_read, |(_, csv)| {
        phones::read_phone_csv(&csv.yaml_file, &csv.source, csv.at, limits)
    });
    let places: Vec<(usize, usize, usize)> = to_read
        .iter()
        .map(|(file, csv)| (*file, csv.document, csv.diagnostics_at))
        .collect();
    // From the last, so that inserting problems keeps the earlier places where they were.
    for ((file, document, at), (csv, problems)) in places.into_iter().zip(read).rev() {
        let Some(loaded) = loaded.get_mut(file) else {
            continue;
        };
        if let Some(document) = loaded.documents.get_mut(document) {
            document.phone_csv = csv;
        }
        let at = at.min(loaded.diagnostics.len());
        loaded.diagnostics.splice(at..at, problems);
    }
    loaded
}

/// `work` applied to each of `items` on every core, the results in the order of `items`.
fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, work(item)));
        }
    };
    let mut results: Vec<(usize, R)> = if threads < 2 {
        worker()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
            workers
                .into_iter()
                .flat_map(|worker| {
                    worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

fn load_file(path: &Path, limits: &Limits) -> LoadedFile {
    let mut loaded = LoadedFile::default();
    let file = match source::read_text(path, limits) {
        Ok(file) => file,
        Err(problem) => {
            loaded.diagnostics.push(*problem);
            return loaded;
        }
    };
    let outline = span_index::outline(&file.path, &file.text, limits);
    loaded.diagnostics.extend(outline.problem);
    for document in outline.documents {
        let read = typed::read_document(&file.path, &file.text, &document, limits);
        let typed = match read {
            Ok(Some(typed)) => Some(typed),
            Ok(None) => continue,
            Err(problem) => {
                loaded.diagnostics.push(*problem);
                None
            }
        };
        if let Some(Document::PhoneBindings(bindings)) = &typed
            && let Some(source) = &bindings.source
        {
            let at = document
                .spans
                .value_or_nearest(&FieldPath::root().key("source"))
                .unwrap_or(document.start);
            loaded.csvs.push(CsvToRead {
                document: loaded.documents.len(),
                diagnostics_at: loaded.diagnostics.len(),
                yaml_file: file.path.clone(),
                source: source.clone(),
                at,
            });
        }
        loaded.documents.push(LoadedDocument {
            file: file.path.clone(),
            start: document.start,
            spans: document.spans,
            document: typed,
            phone_csv: None,
        });
    }
    loaded.source = Some(file);
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_csv_problems_keep_their_place_among_the_files_problems() {
        let dir = tempfile::tempdir().unwrap();
        let yaml = "kind: PhoneBindings\nname: a\nsource: missing.csv\n\
---\nkind: Audience\nname: x\nunknown_field: 1\n\
---\nkind: PhoneBindings\nname: b\nsource: b.csv\n";
        std::fs::write(
            dir.path().join("gtcamp.yaml"),
            "kind: Workspace\nname: w\napp_id: a\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("p.yaml"), yaml).unwrap();
        std::fs::write(
            dir.path().join("b.csv"),
            "c1,13800138000\nc2\nc3,13800138001\n",
        )
        .unwrap();
        let workspace = load_workspace(dir.path(), &Limits::default());
        let places: Vec<(&str, String, usize)> = workspace
            .diagnostics
            .iter()
            .map(|d| {
                let location = d.location.as_ref().unwrap();
                let file = location
                    .file
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (d.code, file, location.span.line)
            })
            .collect();
        assert_eq!(places.len(), 3, "{:#?}", workspace.diagnostics);
        assert_eq!(
            (places[0].1.as_str(), places[0].2),
            ("p.yaml", 3),
            "the missing CSV, first"
        );
        assert_eq!(places[1].1, "p.yaml", "the unknown field, second");
        assert!(places[1].2 > 3 && places[1].2 < 9, "{places:?}");
        assert_eq!(
            (places[2].1.as_str(), places[2].2),
            ("b.csv", 2),
            "the short row, last"
        );
        let rows: Vec<usize> = workspace
            .documents
            .iter()
            .filter_map(|d| d.phone_csv.as_ref())
            .map(|csv| csv.rows.len())
            .collect();
        assert_eq!(rows, [2], "b.csv's two good rows, on its document");
    }
}
