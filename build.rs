//! Stamps the binary with the commit it was built from, for `gtcamp --version`:
//! `gtcamp 0.1.0 (abc1234 2026-11-22)`.
//!
//! No `-dirty` mark: telling it exactly would mean running the script on every edit of
//! every file, and a mark that is sometimes stale is worse than none.
//!
//! Outside a git checkout (a crate tarball, git missing) it says `unknown`. The script
//! reruns only when HEAD, the branch it points to, packed-refs or HEAD's reflog changes,
//! not on every build. Worktrees
//! keep HEAD in their own git dir and the branch refs in the common one, so both are asked
//! of git rather than assumed.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let described = describe().unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=GTCAMP_BUILD_COMMIT={described}");
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_owned())
}

/// `abc1234 2026-11-22`: the commit and its date.
fn describe() -> Option<String> {
    // A packaged crate may lie inside some other repository: only our own checkout counts.
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest_dir.canonicalize().ok()? {
        return None;
    }
    watch_git_files();
    let hash = git(&["rev-parse", "--short=7", "HEAD"])?;
    let date = git(&["log", "-1", "--format=%cs", "HEAD"])?;
    Some(format!("{hash} {date}"))
}

fn watch_git_files() {
    let absolute = |path: String| {
        let path = PathBuf::from(path);
        if path.is_absolute() {
            Some(path)
        } else {
            std::env::current_dir().ok().map(|cwd| cwd.join(path))
        }
    };
    let mut watched = Vec::new();
    if let Some(dir) = git(&["rev-parse", "--git-dir"]).and_then(absolute) {
        watched.push(dir.join("HEAD"));
    }
    // The branch HEAD points to, as git resolves it: a loose ref, or packed-refs.
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.extend(git(&["rev-parse", "--git-path", &branch]).and_then(absolute));
    }
    watched.extend(git(&["rev-parse", "--git-path", "packed-refs"]).and_then(absolute));
    // HEAD's reflog grows on every commit, checkout and reset, even when the branch lives
    // in packed-refs and its loose file never changes.
    watched.extend(git(&["rev-parse", "--git-path", "logs/HEAD"]).and_then(absolute));
    // Cargo treats a missing file as changed, which would run the script on every build.
    for path in watched.iter().filter(|path| path.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
