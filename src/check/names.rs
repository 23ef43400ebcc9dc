//! Names: every document has one, written `[a-z0-9-]{1,40}`, unique within its kind; and
//! a workspace has exactly one `Workspace` document.

use crate::load::codes;
use std::collections::HashMap;

use super::{Diagnostic, View};
use crate::load::{FieldPath, LoadedDocument, Location};
use crate::model::Kind;

const MAX_NAME_CHARS: usize = 40;

pub(super) fn check(view: &View, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(Kind, &str), &LoadedDocument> = HashMap::new();
    for loaded in &view.workspace.documents {
        let Some(document) = &loaded.document else {
            continue;
        };
        let kind = document.kind();
        if !kind.is_named() {
            continue;
        }
        let name = document.name();
        let name_path = FieldPath::root().key("name");
        let Some(field) = loaded.spans.get(&name_path).filter(|_| !name.is_empty()) else {
            out.push(
                Diagnostic::error(codes::GC011, format!("this {kind} has no name"))
                    .help(format!(
                        "add `name:` with lowercase letters, digits and `-`; other documents refer to a {kind} by its name"
                    ))
                    .at(&loaded.file, loaded.spans.nearest(&name_path).unwrap_or(loaded.start))
                    .label("document starts here"),
            );
            continue;
        };
        if let Some(problem) = name_problem(name) {
            out.push(
                Diagnostic::error(codes::GC012, format!("{kind} name `{name}` {problem}"))
                    .help(format!(
                        "names use lowercase letters, digits and `-`, at most {MAX_NAME_CHARS} characters, such as `spring-sale-2026`"
                    ))
                    .at(&loaded.file, field.value)
                    .label("invalid name"),
            );
        }
        if kind == Kind::Workspace {
            // A second Workspace is an error of its own (GC015), whatever its name.
            continue;
        }
        match seen.get(&(kind, name)) {
            Some(first) => {
                let first_at = first.spans.get(&name_path).map_or(first.start, |f| f.value);
                out.push(
                    Diagnostic::error(
                        codes::GC013,
                        format!("two {kind} documents are named `{name}`"),
                    )
                    .help(format!(
                        "rename one of them; names must be unique among {kind} documents"
                    ))
                    .at(&loaded.file, field.value)
                    .label("second one")
                    .related(
                        Location {
                            file: first.file.clone(),
                            span: first_at,
                        },
                        "first one",
                    ),
                );
            }
            None => {
                seen.insert((kind, name), loaded);
            }
        }
    }
    check_workspace_document(view, out);
}

/// Why `name` is not a valid name, if it is not.
pub(super) fn name_problem(name: &str) -> Option<String> {
    let bad: Vec<char> = name
        .chars()
        .filter(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        .collect();
    if let Some(first) = bad.first() {
        return Some(format!(
            "has a character other than `a-z`, `0-9` or `-`: `{first}`"
        ));
    }
    let chars = name.chars().count();
    (chars > MAX_NAME_CHARS)
        .then(|| format!("is {chars} characters long, more than {MAX_NAME_CHARS}"))
}

fn check_workspace_document(view: &View, out: &mut Vec<Diagnostic>) {
    match view.workspaces.as_slice() {
        [] => {
            // Only say so when loading did not already fail on the document that would
            // have been the workspace: one clear error beats two.
            let gtcamp_yaml = view.workspace.root.join("gtcamp.yaml");
            let broken = view.workspace.diagnostics.iter().any(|d| {
                d.is_error() && d.location.as_ref().is_some_and(|l| l.file == gtcamp_yaml)
            });
            if !broken {
                out.push(
                    Diagnostic::error(codes::GC014, "this workspace has no `Workspace` document")
                        .help(format!(
                            "create `{}` with `kind: Workspace`, a `name` and the Getui `app_id`",
                            gtcamp_yaml
                                .strip_prefix(".")
                                .unwrap_or(&gtcamp_yaml)
                                .display()
                        )),
                );
            }
        }
        [_] => {}
        [(first, _), rest @ ..] => {
            let first_at = Location {
                file: first.file.clone(),
                span: first.start,
            };
            for (other, _) in rest {
                out.push(
                    Diagnostic::error(codes::GC015, "a workspace has exactly one `Workspace` document; this is another one")
                        .help("keep the settings in `gtcamp.yaml` at the workspace root and remove this document")
                        .at(&other.file, other.start)
                        .related(first_at.clone(), "first Workspace document"),
                );
            }
        }
    }
}
