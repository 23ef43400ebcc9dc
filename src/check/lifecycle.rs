//! `Moved` and `Removed`: each says one clear thing about a name the workspace no longer
//! declares, and a rename leads to a name it does declare.

use std::collections::HashMap;

use super::{Diagnostic, View};
use crate::load::{FieldPath, LoadedDocument, Location, codes};
use crate::model::{Moved, Renamed, follow};

pub(super) fn check(view: &View, out: &mut Vec<Diagnostic>) {
    // Old name → the document that says what became of it.
    let mut claimed: HashMap<(Renamed, &str), &LoadedDocument> = HashMap::new();
    let mut renames: HashMap<(Renamed, &str), &str> = HashMap::new();
    for (loaded, moved) in &view.moved {
        let Some((what, rename)) = one_rename(loaded, moved, out) else {
            continue;
        };
        let from = FieldPath::root().key(what.as_str()).key("from");
        if let Some(problem) = super::names::name_problem(&rename.to)
            .or_else(|| super::names::name_problem(&rename.from))
        {
            out.push(
                Diagnostic::error(codes::GC012, format!("a `Moved` {what} name {problem}"))
                    .help("names use lowercase letters, digits and `-`, at most 40 characters")
                    .at(
                        &loaded.file,
                        span(loaded, &FieldPath::root().key(what.as_str())),
                    )
                    .label("invalid name"),
            );
            continue;
        }
        if claim(&mut claimed, (what, &rename.from), loaded, &from, out) {
            renames.insert((what, rename.from.as_str()), rename.to.as_str());
        }
        if view.declares(what, &rename.from) {
            out.push(still_declared(what, &rename.from, loaded, &from, "renamed"));
        }
    }
    for (loaded, removed) in &view.removed {
        check_removed(view, loaded, &removed.campaign, &mut claimed, out);
    }
    for (loaded, moved) in &view.moved {
        for (what, rename) in moved.renames() {
            leads_somewhere(view, &renames, what, &rename.from, loaded, out);
        }
    }
}

/// A `Removed` names a valid campaign name that nothing else claims and that the workspace
/// no longer declares.
fn check_removed<'a>(
    view: &View,
    loaded: &'a LoadedDocument,
    campaign: &'a str,
    claimed: &mut HashMap<(Renamed, &'a str), &'a LoadedDocument>,
    out: &mut Vec<Diagnostic>,
) {
    let at = FieldPath::root().key("campaign");
    let problem = match campaign.is_empty() {
        true => Some("is empty".to_owned()),
        false => super::names::name_problem(campaign),
    };
    if let Some(problem) = problem {
        out.push(
            Diagnostic::error(codes::GC012, format!("a `Removed` campaign name {problem}"))
                .help("write the name of the campaign taken out, as state knows it: lowercase letters, digits and `-`, at most 40 characters")
                .at(&loaded.file, span(loaded, &at))
                .label("invalid name"),
        );
        return;
    }
    claim(claimed, (Renamed::Campaign, campaign), loaded, &at, out);
    if view.declares(Renamed::Campaign, campaign) {
        let removed = still_declared(Renamed::Campaign, campaign, loaded, &at, "removed");
        out.push(removed);
    }
}

/// The one rename a `Moved` declares; reports one that declares none, several, or a name to
/// itself.
fn one_rename<'a>(
    loaded: &LoadedDocument,
    moved: &'a Moved,
    out: &mut Vec<Diagnostic>,
) -> Option<(Renamed, &'a crate::model::Rename)> {
    let renames: Vec<_> = moved.renames().collect();
    let problem = match renames.as_slice() {
        [] => "this Moved says nothing: it needs one of `campaign`, `template` or `audience`",
        [(_, rename)] if rename.from == rename.to => "this Moved renames a name to itself",
        [one] => return Some(*one),
        _ => "this Moved names more than one of `campaign`, `template` and `audience`",
    };
    out.push(
        Diagnostic::error(codes::GC026, problem)
            .help("write one `Moved` per rename, such as `campaign: {from: spring-sale, to: spring-sale-2027}`")
            .at(&loaded.file, loaded.start)
            .label("this Moved"),
    );
    None
}

/// Records that `loaded` says what became of `name`; reports a second document that does.
fn claim<'a>(
    claimed: &mut HashMap<(Renamed, &'a str), &'a LoadedDocument>,
    name: (Renamed, &'a str),
    loaded: &'a LoadedDocument,
    at: &FieldPath,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Some(first) = claimed.get(&name) else {
        claimed.insert(name, loaded);
        return true;
    };
    let (what, old) = name;
    out.push(
        Diagnostic::error(
            codes::GC029,
            format!("two documents say what became of {what} `{old}`"),
        )
        .help("keep one of them: a name is either moved to one new name or removed")
        .at(&loaded.file, span(loaded, at))
        .label("second one")
        .related(
            Location {
                file: first.file.clone(),
                span: first.start,
            },
            "first one",
        ),
    );
    false
}

fn still_declared(
    what: Renamed,
    name: &str,
    loaded: &LoadedDocument,
    at: &FieldPath,
    done: &str,
) -> Diagnostic {
    Diagnostic::error(
        codes::GC027,
        format!("{what} `{name}` is {done} here, but the workspace still declares it"),
    )
    .help(format!(
        "a {done} {what} is no longer declared: delete or rename its document, or remove this one"
    ))
    .at(&loaded.file, span(loaded, at))
    .label(format!("{done} here"))
}

/// Reports a rename whose new name, followed through the other renames, is not declared.
fn leads_somewhere(
    view: &View,
    renames: &HashMap<(Renamed, &str), &str>,
    what: Renamed,
    from: &str,
    loaded: &LoadedDocument,
    out: &mut Vec<Diagnostic>,
) {
    if renames.get(&(what, from)).is_none() {
        return; // not recorded: reported as a duplicate or a bad name already
    }
    let to = FieldPath::root().key(what.as_str()).key("to");
    let problem = match follow(renames, what, from) {
        None => format!("the renames of {what} `{from}` go round in a circle"),
        Some(now) if view.declares(what, now) || view.removes(what, now) => return,
        Some(now) => {
            format!("{what} `{from}` is moved to `{now}`, which the workspace does not declare")
        }
    };
    let declared = view.declared(what);
    let help = match crate::load::did_you_mean(
        renames.get(&(what, from)).copied().unwrap_or(from),
        declared.iter().copied(),
    ) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("set `to` to the {what}'s new name, as its document declares it"),
    };
    out.push(
        Diagnostic::error(codes::GC028, problem)
            .help(help)
            .at(&loaded.file, span(loaded, &to))
            .label("not declared"),
    );
}

fn span(loaded: &LoadedDocument, at: &FieldPath) -> crate::load::Span {
    loaded.spans.value_or_nearest(at).unwrap_or(loaded.start)
}

impl View<'_> {
    /// Whether a document of `what` is declared under `name`.
    pub(super) fn declares(&self, what: Renamed, name: &str) -> bool {
        self.declared(what).contains(&name)
    }

    /// Whether a `Removed` takes `name` out (a rename may lead to a campaign removed since).
    pub(super) fn removes(&self, what: Renamed, name: &str) -> bool {
        what == Renamed::Campaign && self.removed.iter().any(|(_, r)| r.campaign == name)
    }

    /// The names declared for `what`.
    pub(super) fn declared(&self, what: Renamed) -> Vec<&str> {
        match what {
            Renamed::Campaign => self
                .campaigns
                .iter()
                .map(|(_, c)| c.name.as_str())
                .collect(),
            Renamed::Template => self
                .templates
                .iter()
                .map(|(_, t)| t.name.as_str())
                .collect(),
            Renamed::Audience => self
                .audiences
                .iter()
                .map(|(_, a)| a.name.as_str())
                .collect(),
        }
    }

    /// The new name of a template or audience renamed from `old`, for a reference that still
    /// uses the old one.
    pub(super) fn renamed_to(&self, what: Renamed, old: &str) -> Option<(&str, &LoadedDocument)> {
        self.moved.iter().find_map(|(loaded, moved)| {
            moved
                .renames()
                .find(|(kind, rename)| *kind == what && rename.from == old)
                .map(|(_, rename)| (rename.to.as_str(), *loaded))
        })
    }
}
