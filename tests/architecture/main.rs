//! The module graph of `src/` has no cycle (issue 10), and each top-level module imports
//! only what the module table of docs/contributing.md ("Module layout") says it may.
//!
//! [`modules`] reads `src/` with `syn` into the edges "module A's code names module B";
//! [`cycles`] finds the knots in them. Two levels are checked: between the top-level
//! modules (`apply`, `plan`, `check`, …), and among the files and folders inside each
//! top-level module (`plan/diff.rs`, `plan/render/`, …). Each check fails listing every
//! cycle with the files that make each of its edges, and the tests at the end prove that
//! a planted cycle is found.

mod cycles;
mod modules;

use std::collections::BTreeSet;
use std::path::Path;

use cycles::{Graph, Knot, arrows, knots};
use modules::{Crate, Edges};

/// What each top-level module may import, as docs/contributing.md's module table lists it
/// (a test below holds the two the same). Together they form layers with no way back up, so a new import
/// that is not listed is either a missed step down (list it in both places) or a module
/// reaching up (move the code instead).
const MAY_IMPORT: &[(&str, &[&str])] = &[
    ("clock", &[]),
    ("getui", &[]),
    ("render", &[]),
    ("model", &["getui"]),
    ("emulator", &["getui"]),
    ("load", &["model"]),
    ("init", &["model"]),
    ("check", &["getui", "load", "model", "render"]),
    ("compile", &["getui", "load", "model"]),
    ("lint", &["compile", "getui", "load", "model"]),
    ("state", &["clock", "compile", "getui", "model"]),
    ("calendar", &["compile", "render"]),
    ("report", &["compile", "getui", "model", "render", "state"]),
    (
        "plan",
        &["check", "compile", "getui", "model", "render", "state"],
    ),
    (
        "apply",
        &["clock", "compile", "getui", "plan", "render", "state"],
    ),
    (
        "target",
        &["clock", "compile", "emulator", "getui", "model", "render"],
    ),
    (
        "pipeline",
        &[
            "apply", "calendar", "check", "clock", "compile", "getui", "lint", "load", "model",
            "plan", "report", "state", "target",
        ],
    ),
    (
        "cli",
        &[
            "apply", "calendar", "check", "clock", "compile", "emulator", "getui", "init", "load",
            "model", "pipeline", "plan", "render", "report", "state",
        ],
    ),
];

/// Cycles inside a top-level module that are tolerated while someone removes them: none
/// today. The check fails both on a cycle not listed here and on one listed here that is
/// gone, so that this list only ever shrinks.
const KNOWN_INNER_KNOTS: &[(&str, &[&str])] = &[];

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read_src() -> Crate {
    Crate::read(&src()).unwrap_or_else(|error| panic!("src/ does not read: {error}"))
}

fn graph(edges: &Edges) -> Graph {
    edges
        .iter()
        .map(|(from, to)| (from.clone(), to.keys().cloned().collect()))
        .collect()
}

/// A knot as a failure lists it: the cycle, then the files behind each of its edges.
fn describe(knot: &Knot, edges: &Edges, prefix: &str) -> String {
    let mut out = format!("  {prefix}{}\n", arrows(&knot.cycle));
    for pair in knot.cycle.windows(2) {
        let files = edges.get(&pair[0]).and_then(|to| to.get(&pair[1]));
        let files: Vec<&str> = files.into_iter().flatten().map(String::as_str).collect();
        out += &format!("    {} → {}: {}\n", pair[0], pair[1], files.join(", "));
    }
    out
}

#[test]
fn top_level_modules_import_one_another_without_a_cycle() {
    let edges = read_src().top_level();
    assert!(edges.len() > 10, "read only {} modules", edges.len());
    let found: String = knots(&graph(&edges))
        .iter()
        .map(|knot| describe(knot, &edges, ""))
        .collect();
    assert!(
        found.is_empty(),
        "cycles between the top-level modules of src/:\n{found}"
    );
}

#[test]
fn modules_inside_each_top_level_module_import_one_another_without_a_cycle() {
    let krate = read_src();
    let (mut unexpected, mut found) = (String::new(), BTreeSet::new());
    for top in krate.folders() {
        let edges = krate.inside(&top);
        for knot in knots(&graph(&edges)) {
            let known = KNOWN_INNER_KNOTS.iter().any(|(module, members)| {
                *module == top && knot.modules.iter().eq(members.iter().copied())
            });
            if !known {
                unexpected += &describe(&knot, &edges, &format!("{top}: "));
            }
            found.insert((top.clone(), knot.modules.clone()));
        }
    }
    let gone: Vec<String> = KNOWN_INNER_KNOTS
        .iter()
        .filter(|(top, members)| {
            let members = members.iter().map(|m| (*m).to_owned()).collect();
            !found.contains(&((*top).to_owned(), members))
        })
        .map(|(top, members)| format!("{top}: {}", members.join(", ")))
        .collect();
    assert!(
        unexpected.is_empty(),
        "cycles inside top-level modules of src/:\n{unexpected}"
    );
    assert!(
        gone.is_empty(),
        "these known cycles are gone: delete them from KNOWN_INNER_KNOTS:\n  {}",
        gone.join("\n  ")
    );
}

/// The rows of docs/contributing.md's module table: each folder and what it may import,
/// in the table's order.
fn module_table() -> Vec<(String, Vec<String>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/contributing.md");
    let page = std::fs::read_to_string(&path).expect("docs/contributing.md reads");
    let rows = page
        .lines()
        .skip_while(|line| !line.starts_with("| folder | its one job | may import |"))
        .skip(2)
        .take_while(|line| line.starts_with('|'));
    let mut table: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        let (Some(folder), Some(imports)) = (cells.first(), cells.last()) else {
            continue;
        };
        let module = folder
            .trim_matches('`')
            .trim_end_matches('/')
            .trim_end_matches(".rs");
        let allowed = if *imports == "nothing" {
            Vec::new()
        } else if let Some(rest) = imports.strip_prefix("all of the above but ") {
            // `cli/` may import every module above it except the ones named after "but".
            let except: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
            let mut above: Vec<String> = table
                .iter()
                .map(|(module, _)| module.clone())
                .filter(|module| !except.contains(&module.as_str()))
                .collect();
            above.sort();
            above
        } else {
            imports.split(", ").map(str::to_owned).collect()
        };
        table.push((module.to_owned(), allowed));
    }
    table
}

#[test]
fn may_import_is_the_module_table_of_the_contributing_page() {
    let table = module_table();
    let code: Vec<(String, Vec<String>)> = MAY_IMPORT
        .iter()
        .map(|(module, allowed)| {
            let mut allowed: Vec<String> = allowed.iter().map(|m| (*m).to_owned()).collect();
            allowed.sort();
            (module.to_string(), allowed)
        })
        .collect();
    assert_eq!(
        table, code,
        "docs/contributing.md's module table (left) and MAY_IMPORT (right) differ: \
         change both together"
    );
}

#[test]
fn top_level_modules_import_only_what_the_module_table_allows() {
    let edges = read_src().top_level();
    let mut refused = String::new();
    for (from, to) in &edges {
        let allowed = MAY_IMPORT.iter().find(|(module, _)| module == from);
        let Some((_, allowed)) = allowed else {
            refused += &format!(
                "  `{from}` is not in MAY_IMPORT (nor in docs/contributing.md's module table)\n"
            );
            continue;
        };
        for (module, files) in to {
            if !allowed.contains(&module.as_str()) {
                let files: Vec<&str> = files.iter().map(String::as_str).collect();
                refused += &format!("  {from} → {module}: {}\n", files.join(", "));
            }
        }
    }
    assert!(
        refused.is_empty(),
        "imports docs/contributing.md's module table does not allow:\n{refused}"
    );
    let unused: Vec<String> = MAY_IMPORT
        .iter()
        .flat_map(|(from, allowed)| allowed.iter().map(move |to| (*from, *to)))
        .filter(|(from, to)| !edges.get(*from).is_some_and(|e| e.contains_key(*to)))
        .map(|(from, to)| format!("{from} → {to}"))
        .collect();
    assert!(
        unused.is_empty(),
        "allowed but never imported; drop them from MAY_IMPORT and docs/contributing.md's module table:\n  {}",
        unused.join("\n  ")
    );
}

#[test]
fn shipping_code_has_no_glob_import_the_check_cannot_follow() {
    let hidden = read_src().unfollowed_globs();
    assert!(
        hidden.is_empty(),
        "a glob import of a crate module hides which names, and so which modules, it uses; \
         name them:\n  {}",
        hidden.join("\n  ")
    );
}

/// `a b, b c` → a → b, b → c.
fn planted(edges: &str) -> Graph {
    let mut graph = Graph::new();
    for edge in edges.split(", ") {
        let (from, to) = edge.split_once(' ').unwrap_or((edge, edge));
        graph
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
        graph.entry(to.to_owned()).or_default();
    }
    graph
}

#[test]
fn the_cycle_finder_names_each_planted_cycle_once() {
    let graph = planted("apply lint, lint check, check lint, lint apply, plan state, cli apply");
    let found = knots(&graph);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(arrows(&found[0].cycle), "apply → lint → apply");
    let members: Vec<&str> = found[0].modules.iter().map(String::as_str).collect();
    assert_eq!(members, ["apply", "check", "lint"]);
    let two = knots(&planted("a b, b c, c a, x y, y x, c x"));
    let cycles: Vec<String> = two.iter().map(|k| arrows(&k.cycle)).collect();
    assert_eq!(cycles, ["a → b → c → a", "x → y → x"]);
}

#[test]
fn the_cycle_finder_finds_nothing_in_layers() {
    let graph =
        planted("cli pipeline, pipeline apply, apply plan, plan state, cli plan, pipeline state");
    assert_eq!(knots(&graph), []);
}

/// A crate written to a temporary folder: `files` as `(path under src/, text)`.
fn planted_crate(files: &[(&str, &str)]) -> Crate {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, text).expect("a written file");
    }
    Crate::read(dir.path()).expect("the planted crate reads")
}

#[test]
fn a_planted_cycle_between_top_level_modules_is_found_and_test_code_makes_none() {
    let lib = "pub mod apply;\npub mod lint;\npub mod plan;\n";
    let apply = "use crate::lint::Finding;\npub fn run() -> Finding { Finding }\n";
    let lint = "pub struct Finding;\n\
        /// Like [`crate::apply::run`], in words: \"crate::apply\".\n\
        pub fn words() -> String { format!(\"crate::apply::run\") }\n\
        pub fn plan() { let _ = crate::plan::X; }\n\
        #[cfg(test)]\nmod tests { use crate::apply::run; }\n";
    let plan = "pub const X: u8 = 1;\npub fn grace() -> bool { matches!(1, crate::lint::LIMIT) }\n";
    let files = [
        ("lib.rs", lib),
        ("apply/mod.rs", apply),
        ("lint.rs", lint),
        ("plan.rs", plan),
    ];
    let found = knots(&graph(&planted_crate(&files).top_level()));
    let cycles: Vec<String> = found.iter().map(|k| arrows(&k.cycle)).collect();
    assert_eq!(cycles, ["lint → plan → lint"]);
}

#[test]
fn a_planted_cycle_through_a_re_export_is_found_inside_a_module() {
    let files = [
        ("lib.rs", "pub mod emulator;\n"),
        (
            "emulator/mod.rs",
            "mod actions;\nmod directory;\nmod store;\npub use directory::Directory;\n",
        ),
        (
            "emulator/actions.rs",
            "use super::Directory;\npub fn act(_: &Directory) {}\n",
        ),
        (
            "emulator/directory.rs",
            "pub struct Directory;\nimpl Directory { pub fn run(&self) { super::actions::act(self) } }\n",
        ),
        ("emulator/store.rs", "use super::actions::act;\n"),
    ];
    let edges = planted_crate(&files).inside("emulator");
    let found = knots(&graph(&edges));
    let cycles: Vec<String> = found.iter().map(|k| arrows(&k.cycle)).collect();
    assert_eq!(cycles, ["actions → directory → actions"]);
    let listed = describe(&found[0], &edges, "emulator: ");
    assert!(
        listed.contains("actions → directory: emulator/actions.rs"),
        "{listed}"
    );
}
