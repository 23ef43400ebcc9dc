//! Finding a workspace's YAML files and reading them safely.
//!
//! Reading is where hostile input is cheapest to stop: the size limit is checked on the
//! file's metadata before a single byte is read, and reading itself is capped in case the
//! file grows in between. Text that is not UTF-8 is refused with the line it breaks on.

use super::codes;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use super::diagnostic::{Diagnostic, Span};
use super::limits::{Limits, human_bytes};

/// A file's path (as found under the workspace) and its text.
#[derive(Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// The text may hold what must not reach a log (a phone number written by mistake), so
/// Debug shows only where the file is and how long.
impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile")
            .field("path", &self.path)
            .field("bytes", &self.text.len())
            .finish()
    }
}

/// The `*.yaml` and `*.yml` files under `root`, sorted so output is stable. Hidden
/// folders (`.git/`, `.gtcamp/`) and `node_modules` are skipped: they hold tools' files,
/// not campaigns.
pub fn discover(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_skipped_folder(entry));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_yaml(entry.path()) => {
                // `./a.yaml` reads better as `a.yaml` in every message.
                let path = entry.into_path();
                files.push(
                    path.strip_prefix(".")
                        .map_or(path.clone(), Path::to_path_buf),
                );
            }
            Ok(_) => {}
            Err(error) => {
                let path = error.path().unwrap_or(root).to_path_buf();
                problems.push(
                    Diagnostic::error(
                        codes::GC001,
                        format!("cannot read `{}`: {error}", path.display()),
                    )
                    .help("check that the folder exists and that you may read it"),
                );
            }
        }
    }
    (files, problems)
}

fn is_skipped_folder(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.file_type().is_dir() && (name.starts_with('.') || name == "node_modules")
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Reads a UTF-8 text file within the size limit; problems come back as diagnostics.
pub fn read_text(path: &Path, limits: &Limits) -> Result<SourceFile, Box<Diagnostic>> {
    let unreadable = |error: std::io::Error| {
        Box::new(
            Diagnostic::error(
                codes::GC001,
                format!("cannot read `{}`: {error}", path.display()),
            )
            .help("check that the file exists and that you may read it"),
        )
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > limits.max_file_bytes {
        return Err(Box::new(too_large(path, size, limits)));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Box::new(too_large(path, bytes.len() as u64, limits)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile {
            path: path.to_path_buf(),
            text: Arc::from(text),
        }),
        Err(error) => Err(Box::new(not_utf8(
            path,
            error.as_bytes(),
            error.utf8_error(),
        ))),
    }
}

fn too_large(path: &Path, size: u64, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        codes::GC002,
        format!(
            "this file is {}, more than the {} gtcamp reads",
            human_bytes(size),
            limits.file_size_text()
        ),
    )
    .help(format!(
        "a workspace file may be at most {}; split it into several files (inline phone bindings can go to a CSV `source` instead, which may be far larger)",
        limits.file_size_text()
    ))
    .at(path, Span::file_start())
}

fn not_utf8(path: &Path, bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
    let valid = std::str::from_utf8(valid).unwrap_or_default();
    let line = valid.matches('\n').count() + 1;
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let column = valid.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::error(
        codes::GC001,
        format!(
            "this file is not UTF-8 text: byte {} (line {line}, column {column}) is not valid UTF-8",
            error.valid_up_to() + 1,
        ),
    )
    .help(
        "save the file as UTF-8 (YAML files must be UTF-8); a GBK or Latin-1 file needs converting",
    )
    .at(
        path,
        Span {
            line,
            column,
            offset: error.valid_up_to(),
            len: 1,
        },
    )
}
