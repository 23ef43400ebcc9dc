//! How a folder given on the command line is kept: paths in messages, plans and
//! annotations are built from it, and relative ones read best.

use std::path::{Path, PathBuf};

/// The workspace a path names, relative to the current folder when it is inside it
/// (`.` for the current folder itself); as given otherwise.
pub fn workspace_dir(dir: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return dir.to_path_buf();
    };
    match dir.strip_prefix(&cwd) {
        Ok(inside) if dir.is_absolute() && !inside.as_os_str().is_empty() => inside.to_path_buf(),
        Ok(_) if dir.is_absolute() => PathBuf::from("."),
        _ => dir.to_path_buf(),
    }
}
