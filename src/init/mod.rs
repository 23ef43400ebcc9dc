//! `gtcamp init`: a new workspace that validates, plans on the sandbox, and is ready for CI.
//!
//! The files are the text under `scaffold/`, the JSON Schema of this very gtcamp (so the
//! editor modeline works at once), and the example workflow `examples/github/gtcamp.yml`,
//! included here rather than copied so the two cannot drift apart. [`scaffold`] never
//! overwrites a file unless told to: it checks every file first and writes nothing when
//! any exists, so a refused init leaves the folder as it was.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The example workflow, as `examples/github/gtcamp.yml` holds it.
pub const WORKFLOW: &str = include_str!("../../examples/github/gtcamp.yml");

/// One file of a new workspace, its path relative to the workspace folder.
#[derive(Debug, Clone)]
pub struct ScaffoldFile {
    pub path: &'static str,
    pub text: Cow<'static, str>,
}

/// Why `init` wrote nothing, or stopped.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InitError {
    #[error("{} file(s) already exist in {}: {}", files.len(), dir.display(), list(files))]
    #[diagnostic(help("nothing was written; run `gtcamp init --force` to overwrite them"))]
    Exists { dir: PathBuf, files: Vec<PathBuf> },
    #[error("cannot write {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn list(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every file a new workspace gets.
pub fn files() -> Vec<ScaffoldFile> {
    let schema = crate::model::schema::to_pretty_json(&crate::model::schema::document_schema());
    vec![
        file("gtcamp.yaml", include_str!("scaffold/gtcamp.yaml")),
        file("welcome.yaml", include_str!("scaffold/welcome.yaml")),
        file(".gitignore", include_str!("scaffold/gitignore")),
        file(".github/workflows/gtcamp.yml", WORKFLOW),
        ScaffoldFile {
            path: "gtcamp.schema.json",
            text: Cow::Owned(schema),
        },
    ]
}

fn file(path: &'static str, text: &'static str) -> ScaffoldFile {
    ScaffoldFile {
        path,
        text: Cow::Borrowed(text),
    }
}

/// Writes the new workspace into `dir` (created if missing) and returns the files written.
/// Refuses, writing nothing, when any of them exists, unless `force`.
pub fn scaffold(dir: &Path, force: bool) -> Result<Vec<PathBuf>, InitError> {
    let files = files();
    if !force {
        let existing: Vec<PathBuf> = files
            .iter()
            .map(|f| PathBuf::from(f.path))
            .filter(|path| dir.join(path).exists())
            .collect();
        if !existing.is_empty() {
            return Err(InitError::Exists {
                dir: dir.to_path_buf(),
                files: existing,
            });
        }
    }
    let mut written = Vec::new();
    for file in &files {
        let path = dir.join(file.path);
        let io = |source| InitError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, file.text.as_bytes()).map_err(io)?;
        written.push(PathBuf::from(file.path));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaffold_refuses_to_overwrite_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gtcamp.yaml"), "mine").unwrap();
        let error = scaffold(dir.path(), false).unwrap_err();
        assert!(error.to_string().contains("gtcamp.yaml"), "{error}");
        assert!(!dir.path().join("welcome.yaml").exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("gtcamp.yaml")).unwrap(),
            "mine"
        );
    }
}
