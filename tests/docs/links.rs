//! Relative links lead to a file, anchors to a heading, and no page is an orphan.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Component, Path, PathBuf};

use crate::markdown::{anchors, links};
use crate::{pages, read, repo};

/// `path` with `.` and `..` resolved, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A relative link of `page` split into the file it names (relative to the repository)
/// and its anchor; `None` for links that leave the repository (`https:`, `mailto:`).
fn resolve(page: &Path, target: &str) -> Option<(PathBuf, Option<String>)> {
    if target.contains("://") || target.starts_with("mailto:") {
        return None;
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_owned())),
        None => (target, None),
    };
    let file = if path.is_empty() {
        page.to_path_buf()
    } else {
        normalize(&page.parent().unwrap_or(Path::new("")).join(path))
    };
    Some((file, anchor))
}

#[test]
fn every_relative_link_leads_to_a_file_and_heading() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages() {
        for (line, target) in links(&read(&page)) {
            let Some((file, anchor)) = resolve(&page, &target) else {
                continue;
            };
            checked += 1;
            let at = format!("{}:{line}: `{target}`", page.display());
            if !repo().join(&file).exists() {
                broken.push(format!("{at}: {} does not exist", file.display()));
                continue;
            }
            let Some(anchor) = anchor else { continue };
            if file.extension().is_none_or(|ext| ext != "md") {
                continue;
            }
            if !anchors(&read(&file)).contains(&anchor) {
                broken.push(format!(
                    "{at}: {} has no heading `#{anchor}`",
                    file.display()
                ));
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} links found: the search is broken"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_page_under_docs_is_reachable_from_the_readme() {
    let mut reached = BTreeSet::new();
    let mut queue = VecDeque::from([PathBuf::from("README.md")]);
    while let Some(page) = queue.pop_front() {
        if !reached.insert(page.clone()) {
            continue;
        }
        for (_, target) in links(&read(&page)) {
            let Some((file, _)) = resolve(&page, &target) else {
                continue;
            };
            if file.extension().is_some_and(|ext| ext == "md") && repo().join(&file).is_file() {
                queue.push_back(file);
            }
        }
    }
    let orphans: Vec<String> = pages()
        .into_iter()
        .filter(|page| !reached.contains(page))
        .map(|page| page.display().to_string())
        .collect();
    assert!(
        orphans.is_empty(),
        "pages no link from README.md leads to (link them from docs/README.md): {orphans:#?}"
    );
}
