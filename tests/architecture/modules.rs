//! Reading a crate's `src/` into the graph of which module's code names which module.
//!
//! It parses every file with `syn`, following `mod` declarations from `lib.rs` (the binary,
//! `main.rs`, only calls `cli::main`), so that comments, doc links and strings never count
//! as imports (a text scan would see `crate::x` in a doc comment or a format string). A
//! module's edges are the crate paths its code writes: `use` declarations, paths in code
//! (`crate::lint::lint_workspace(…)`) and the `crate::`/`super::` paths inside macro calls
//! (`matches!`, `format!` arguments).
//!
//! Test-only code is left out: an item under `#[cfg(test)]` (a `mod tests;`, and so every
//! file of it, or a test helper) makes no edge. Unit tests may borrow fixtures from
//! anywhere in the crate (`plan`'s fixtures serve its estimate tests, the Mermaid checker
//! serves the plan's and the calendar's); what must not loop is the code that ships.
//!
//! An import counts where it is written: `crate::check::Diagnostic` is an edge to `check`,
//! which re-exports it from `load`, since a module's re-exports are part of its interface.
//! Inside a top-level module the root file (`mod.rs`) is that facade, not a node, so a
//! name its children take from it (`use super::Plan`) is followed to the child that
//! defines it (`pub use model::Plan` in `plan/mod.rs` makes `plan/diff.rs → model`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// A module's path from the crate root: `["plan", "render"]`.
pub type ModPath = Vec<String>;

/// Module → imported module → the files (relative to `src/`) whose code makes the edge.
pub type Edges = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// One `use` binding: the name it brings in (`*` for a glob) and the path as written.
struct Use {
    name: String,
    path: Vec<String>,
    public: bool,
}

/// What one module (a file, or an inline `mod` in it) declares and names.
#[derive(Default)]
struct Module {
    file: String,
    children: BTreeSet<String>,
    items: BTreeSet<String>,
    uses: Vec<Use>,
    /// Every path its code writes, as written.
    paths: Vec<Vec<String>>,
}

/// Every module of a crate, read from its `src/`.
pub struct Crate {
    modules: BTreeMap<ModPath, Module>,
}

impl Crate {
    /// Reads the library crate whose `lib.rs` is in `src`.
    pub fn read(src: &Path) -> Result<Crate, String> {
        let mut krate = Crate {
            modules: BTreeMap::new(),
        };
        krate.read_file(src, Vec::new(), &src.join("lib.rs"), src.to_path_buf())?;
        Ok(krate)
    }

    /// Reads `file` as the module `path`, whose `mod x;` children live in `dir`.
    fn read_file(
        &mut self,
        src: &Path,
        path: ModPath,
        file: &Path,
        dir: PathBuf,
    ) -> Result<(), String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let name = file
            .strip_prefix(src)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        self.read_items(src, path, &name, &parsed.items, dir)
    }

    fn read_items(
        &mut self,
        src: &Path,
        path: ModPath,
        file: &str,
        items: &[syn::Item],
        dir: PathBuf,
    ) -> Result<(), String> {
        let mut module = Module {
            file: file.to_owned(),
            ..Module::default()
        };
        let mut nested = Vec::new();
        for item in items.iter().filter(|item| !is_test(item_attrs(item))) {
            match item {
                syn::Item::Mod(m) => {
                    module.children.insert(m.ident.to_string());
                    nested.push(m);
                }
                syn::Item::Use(u) => flatten(&u.tree, Vec::new(), public(&u.vis), &mut module.uses),
                item => {
                    module.items.extend(item_name(item));
                    Paths(&mut module.paths).visit_item(item);
                }
            }
        }
        self.modules.insert(path.clone(), module);
        for m in nested {
            let child = [path.clone(), vec![m.ident.to_string()]].concat();
            let child_dir = dir.join(m.ident.to_string());
            match &m.content {
                Some((_, items)) => self.read_items(src, child, file, items, child_dir)?,
                None => self.read_child(src, child, &dir, child_dir)?,
            }
        }
        Ok(())
    }

    /// A `mod name;` in `dir`: `name.rs`, whose children are in `name/`, or `name/mod.rs`.
    fn read_child(
        &mut self,
        src: &Path,
        path: ModPath,
        dir: &Path,
        child_dir: PathBuf,
    ) -> Result<(), String> {
        let name = path.last().cloned().unwrap_or_default();
        let flat = dir.join(format!("{name}.rs"));
        let file = if flat.is_file() {
            flat
        } else {
            child_dir.join("mod.rs")
        };
        self.read_file(src, path, &file, child_dir)
    }

    /// Edges between the top-level modules (`apply`, `plan`, …).
    pub fn top_level(&self) -> Edges {
        let top: BTreeSet<&String> = self.root_children(&[]);
        let mut edges = Edges::new();
        for (path, to, file) in self.references() {
            let (Some(from), Some(to)) = (path.first(), to.first()) else {
                continue;
            };
            if from != to && top.contains(to) {
                add(&mut edges, from, to, file);
            }
        }
        edges
    }

    /// Edges between the children (files and folders) of the top-level module `top`.
    pub fn inside(&self, top: &str) -> Edges {
        let mut edges = Edges::new();
        for (path, to, file) in self.references() {
            if path.len() < 2 || path[0] != top || to.first().map(String::as_str) != Some(top) {
                continue;
            }
            match self.child_of(top, &to, 0) {
                Some(child) if child != path[1] => add(&mut edges, &path[1], &child, file),
                _ => {}
            }
        }
        edges
    }

    /// The top-level modules that have children.
    pub fn folders(&self) -> Vec<String> {
        self.root_children(&[])
            .into_iter()
            .filter(|top| !self.root_children(&[(*top).clone()]).is_empty())
            .cloned()
            .collect()
    }

    /// Glob imports that hide edges from [`Crate::inside`]: a child's `use super::*` (or
    /// `use crate::top::*`) brings in its top-level module's names without saying which
    /// child each comes from. `file: use path::*`.
    pub fn unfollowed_globs(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (path, module) in self.modules.iter().filter(|(path, _)| path.len() > 1) {
            for glob in module.uses.iter().filter(|u| u.name == "*") {
                if self.absolute(path, &glob.path).as_deref() == Some(&path[..1]) {
                    out.push(format!("{}: use {}::*", module.file, glob.path.join("::")));
                }
            }
        }
        out
    }

    fn root_children(&self, path: &[String]) -> BTreeSet<&String> {
        self.modules
            .get(path)
            .map(|m| m.children.iter().collect())
            .unwrap_or_default()
    }

    /// Every crate path a module's code names, made absolute, with the module and its file.
    fn references(&self) -> Vec<(&ModPath, ModPath, &str)> {
        let mut out = Vec::new();
        for (path, module) in &self.modules {
            let written = module
                .paths
                .iter()
                .chain(module.uses.iter().map(|u| &u.path));
            for raw in written {
                if let Some(absolute) = self.absolute(path, raw) {
                    out.push((path, absolute, module.file.as_str()));
                }
            }
        }
        out
    }

    /// `raw` as written in `module`, from the crate root; `None` for another crate's path
    /// or an item of the module itself.
    fn absolute(&self, module: &[String], raw: &[String]) -> Option<ModPath> {
        let (first, rest) = raw.split_first()?;
        match first.as_str() {
            "crate" => Some(rest.to_vec()),
            "self" => Some([module, rest].concat()),
            "super" => {
                let ups = raw.iter().take_while(|s| *s == "super").count();
                let base = module.get(..module.len().checked_sub(ups)?)?;
                Some([base, &raw[ups..]].concat())
            }
            name if self.modules.get(module)?.children.contains(name) => {
                Some([module, raw].concat())
            }
            _ => None,
        }
    }

    /// The child of `top` that the absolute path `to` (inside `top`) leads to, following
    /// the root file's `use` of a name to where it comes from.
    fn child_of(&self, top: &str, to: &[String], depth: usize) -> Option<String> {
        let name = to.get(1)?;
        let root_path = vec![top.to_owned()];
        let root = self.modules.get(&root_path)?;
        if root.children.contains(name) {
            return Some(name.clone());
        }
        if depth > 8 {
            return None;
        }
        let named = root.uses.iter().filter(|u| &u.name == name);
        for found in named.filter_map(|u| self.absolute(&root_path, &u.path)) {
            if found.first().map(String::as_str) == Some(top) && found != to {
                return self.child_of(top, &found, depth + 1);
            }
        }
        let globs = root.uses.iter().filter(|u| u.name == "*");
        globs
            .filter_map(|u| self.absolute(&root_path, &u.path))
            .find(|child| child.len() == 2 && child[0] == top && self.offers(child, name))
            .map(|child| child[1].clone())
    }

    /// Whether a glob import of `module` brings in `name`.
    fn offers(&self, module: &[String], name: &str) -> bool {
        self.modules.get(module).is_some_and(|m| {
            m.items.contains(name) || m.uses.iter().any(|u| u.public && u.name == name)
        })
    }
}

fn add(edges: &mut Edges, from: &str, to: &str, file: &str) {
    edges
        .entry(from.to_owned())
        .or_default()
        .entry(to.to_owned())
        .or_default()
        .insert(file.to_owned());
}

/// Under `#[cfg(test)]`: compiled for unit tests only.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .meta
                .require_list()
                .is_ok_and(|list| list.tokens.to_string() == "test")
    })
}

fn public(vis: &syn::Visibility) -> bool {
    !matches!(vis, syn::Visibility::Inherited)
}

/// A `use` tree as one binding per name it brings in.
fn flatten(tree: &syn::UseTree, prefix: Vec<String>, public: bool, out: &mut Vec<Use>) {
    let with = |ident: &syn::Ident| [prefix.clone(), vec![ident.to_string()]].concat();
    let binding = |name: String, path: Vec<String>| Use { name, path, public };
    match tree {
        syn::UseTree::Path(p) => flatten(&p.tree, with(&p.ident), public, out),
        syn::UseTree::Name(n) if n.ident == "self" => out.push(binding(
            prefix.last().cloned().unwrap_or_default(),
            prefix.clone(),
        )),
        syn::UseTree::Name(n) => out.push(binding(n.ident.to_string(), with(&n.ident))),
        syn::UseTree::Rename(r) if r.ident == "self" => {
            out.push(binding(r.rename.to_string(), prefix.clone()))
        }
        syn::UseTree::Rename(r) => out.push(binding(r.rename.to_string(), with(&r.ident))),
        syn::UseTree::Glob(_) => out.push(binding("*".to_owned(), prefix.clone())),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                flatten(tree, prefix.clone(), public, out);
            }
        }
    }
}

/// Collects every path written in an item, leaving out test-only items inside it.
struct Paths<'a>(&'a mut Vec<Vec<String>>);

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if let syn::Item::Use(u) = item {
            let mut uses = Vec::new();
            flatten(&u.tree, Vec::new(), false, &mut uses);
            self.0.extend(uses.into_iter().map(|u| u.path));
        } else if !is_test(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        if !is_test(&item.attrs) {
            syn::visit::visit_impl_item_fn(self, item);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.0
            .push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        macro_paths(mac.tokens.clone(), self.0);
    }
}

/// `crate::a::b`, `super::x` and `self::y` written inside a macro call's tokens, which
/// syn leaves unparsed; string literals are single tokens, so text in them never counts.
fn macro_paths(tokens: TokenStream, out: &mut Vec<Vec<String>>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut at = 0;
    while at < tokens.len() {
        match &tokens[at] {
            TokenTree::Group(group) => macro_paths(group.stream(), out),
            TokenTree::Ident(ident)
                if ["crate", "super", "self"].contains(&ident.to_string().as_str()) =>
            {
                let mut path = vec![ident.to_string()];
                while let (
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                    Some(TokenTree::Ident(next)),
                ) = (tokens.get(at + 1), tokens.get(at + 2), tokens.get(at + 3))
                {
                    if a.as_char() != ':' || b.as_char() != ':' {
                        break;
                    }
                    path.push(next.to_string());
                    at += 3;
                }
                if path.len() > 1 {
                    out.push(path);
                }
            }
            _ => {}
        }
        at += 1;
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::ForeignMod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::TraitAlias(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The name an item defines, for glob imports.
fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Union(i) => &i.ident,
        syn::Item::Macro(i) => i.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}
