//! The devices and tags a workspace names, which a new sandbox is created with.
//!
//! Read from the loaded workspace, not from the compiled one: creating the sandbox of a
//! million bound cids takes as long as compiling them, and this way the two run at once.
//! So it reads every audience, used by a campaign in the horizon or not, which also keeps
//! the sandbox the same as campaigns come into the horizon and leave it.

use std::collections::BTreeSet;

use crate::load::LoadedWorkspace;
use crate::model::{Audience, Document, Ref};

/// What a new sandbox holds one device for, and the tags its population carries.
/// Borrowed from the workspace: a plan of a sandbox that exists only digests the cids, and
/// copying a million of them for that would cost it a tenth of a second.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceDevices<'a> {
    /// Every cid bound to a phone (inline or in a CSV) or listed by an audience: sorted,
    /// each once.
    pub cids: Vec<&'a str>,
    /// Every alias an audience lists: sorted, each once.
    pub aliases: Vec<String>,
    /// Every tag an audience selects on, trimmed: sorted, each once.
    pub tags: Vec<String>,
}

impl WorkspaceDevices<'_> {
    pub fn of(workspace: &LoadedWorkspace) -> WorkspaceDevices<'_> {
        let mut cids: Vec<&str> = Vec::new();
        let mut aliases = BTreeSet::new();
        let mut tags = BTreeSet::new();
        for loaded in &workspace.documents {
            let audience = match &loaded.document {
                Some(Document::PhoneBindings(bindings)) => {
                    cids.extend(bindings.pairs.iter().map(|pair| pair.cid.as_str()));
                    if let Some(csv) = &loaded.phone_csv {
                        cids.extend(csv.rows.iter().map(|row| row.cid.as_str()));
                    }
                    continue;
                }
                Some(Document::Audience(audience)) => audience.as_ref(),
                Some(Document::Campaign(campaign)) => match &campaign.audience {
                    Ref::Inline(audience) => audience.as_ref(),
                    Ref::Name(_) => continue,
                },
                _ => continue,
            };
            add_audience(audience, &mut cids, &mut aliases, &mut tags);
        }
        cids.sort_unstable();
        cids.dedup();
        tags.remove("");
        WorkspaceDevices {
            cids,
            aliases: aliases.into_iter().collect(),
            tags: tags.into_iter().collect(),
        }
    }
}

/// What `audience` names, read as [`super::audience::reach`] reads it: aliases before cids,
/// and conditions only when it lists neither.
fn add_audience<'a>(
    audience: &'a Audience,
    cids: &mut Vec<&'a str>,
    aliases: &mut BTreeSet<String>,
    tags: &mut BTreeSet<String>,
) {
    if let Some(listed) = audience.aliases.as_ref().filter(|a| !a.is_empty()) {
        aliases.extend(listed.iter().cloned());
    } else if let Some(listed) = audience.cids.as_ref().filter(|c| !c.is_empty()) {
        cids.extend(listed.iter().map(String::as_str));
    } else if let Some(selector) = &audience.tags {
        let all = selector
            .any
            .iter()
            .chain(&selector.all)
            .chain(&selector.none);
        tags.extend(all.map(|tag| tag.trim().to_owned()));
    }
}
