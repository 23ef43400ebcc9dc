//! Where a command's workspace is, and how a folder given on the command line is kept:
//! paths in messages, plans and annotations are built from it, and relative ones read best.
//!
//! Every command that takes a workspace `DIR` finds it the same way ([`workspace`]): left
//! out, it is the current folder or the nearest parent holding `gtcamp.yaml`, as git finds
//! a repository; given, it is that folder and no other. A folder that is no workspace
//! stops the command before a single file is read: reading every YAML file under `/tmp`
//! and judging each as a campaign drew hundreds of errors about other projects (issue 29).

use std::path::{Path, PathBuf};

use crate::load::{SETTINGS_FILE, find_workspace, is_workspace};

/// The workspace a command works on: `dir` as given, else the current folder or the
/// nearest parent that holds `gtcamp.yaml`. An error when that folder holds none; a `dir`
/// that is not a folder at all is left for loading to report (GC001).
pub fn workspace(dir: Option<&Path>) -> miette::Result<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match dir {
        Some(dir) if !dir.is_dir() || is_workspace(dir) => Ok(workspace_dir(dir)),
        Some(dir) => Err(not_a_workspace(dir, &cwd)),
        None => match find_workspace(&cwd) {
            Some(found) => Ok(relative_to(found, &cwd)),
            None => Err(miette::miette!(
                help = "to work on a workspace that exists, run gtcamp inside it or give its folder (`gtcamp validate campaigns`)",
                "no {SETTINGS_FILE} in {} or its parents: run `gtcamp init`",
                cwd.display()
            )),
        },
    }
}

/// Why `dir`, a folder given on the command line, is no workspace, and where one is.
fn not_a_workspace(dir: &Path, cwd: &Path) -> miette::Report {
    let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| cwd.join(dir));
    let above = absolute.parent().and_then(find_workspace);
    let help = match above {
        // Leaving DIR out finds it only when the current folder is in that workspace too.
        Some(found) if find_workspace(cwd) == Some(found) => format!(
            "it is inside the workspace `{}`: give that folder, or leave DIR out and gtcamp finds it",
            relative_to(found, cwd).display()
        ),
        Some(found) => format!(
            "it is inside the workspace `{}`: give that folder",
            relative_to(found, cwd).display()
        ),
        None => format!(
            "give the folder that holds {SETTINGS_FILE}, or run `gtcamp init {}` to start a workspace there",
            dir.display()
        ),
    };
    miette::miette!(
        help = help,
        "no {SETTINGS_FILE} in `{}`: it is not a gtcamp workspace",
        dir.display()
    )
}

/// `found`, an absolute folder, as a path from `cwd`: `.`, `..` or `../..` for the
/// current folder and its parents (so that files read as `../welcome.yaml`, as git shows
/// them), `campaigns` for one below it, and as it is otherwise.
fn relative_to(found: &Path, cwd: &Path) -> PathBuf {
    if let Some(up) = cwd.ancestors().position(|ancestor| ancestor == found) {
        return match up {
            0 => PathBuf::from("."),
            up => std::iter::repeat_n("..", up).collect(),
        };
    }
    found
        .strip_prefix(cwd)
        .map_or_else(|_| found.to_path_buf(), Path::to_path_buf)
}

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

#[cfg(test)]
mod tests {
    use super::relative_to;
    use std::path::{Path, PathBuf};

    #[test]
    fn a_workspace_above_reads_as_dots() {
        let cwd = Path::new("/w/a/b");
        assert_eq!(relative_to(Path::new("/w/a/b"), cwd), PathBuf::from("."));
        assert_eq!(relative_to(Path::new("/w/a"), cwd), PathBuf::from(".."));
        assert_eq!(relative_to(Path::new("/w"), cwd), PathBuf::from("../.."));
        assert_eq!(relative_to(Path::new("/w/a/b/c"), cwd), PathBuf::from("c"));
        assert_eq!(relative_to(Path::new("/x"), cwd), PathBuf::from("/x"));
    }
}
