//! The documentation a newcomer reads: the README and the pages under `docs/`.
//!
//! Links must lead somewhere, every page must be reachable from the README, the YAML in
//! the pages must be what `gtcamp validate` accepts, and the command reference must be
//! what `gtcamp help` prints. Each of these rots silently otherwise: a renamed heading, a
//! page nobody links, a field that changed its name, a flag that was added.

mod commands;
mod links;
mod markdown;
mod snippets;

use std::path::{Path, PathBuf};

/// Set to rewrite the generated command reference instead of failing.
pub const BLESS: &str = "GTCAMP_BLESS";

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every Markdown page under docs/, relative to the repository, sorted.
pub fn pages() -> Vec<PathBuf> {
    let mut pages = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = walkdir::WalkDir::new(repo().join("docs"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .filter_map(|path| path.strip_prefix(repo()).ok().map(Path::to_path_buf))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

pub fn read(page: &Path) -> String {
    std::fs::read_to_string(repo().join(page))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", page.display()))
}
