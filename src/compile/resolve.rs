//! References: the settings, template and audience each campaign uses.
//!
//! `check` reports a name that resolves to nothing with its file and line; compile still
//! refuses one (as a [`CompileError`]) instead of trusting that check ran, because a
//! campaign compiled against the wrong template would reach real users.

use std::collections::HashMap;

use super::CompileError;
use crate::load::{LoadedDocument, LoadedWorkspace};
use crate::model::{Audience, Campaign, Document, PhoneBindings, Ref, Template, Workspace};

/// The workspace's typed documents, ready to be looked up by name.
pub(super) struct Inputs<'a> {
    pub settings: &'a Workspace,
    templates: HashMap<&'a str, &'a Template>,
    audiences: HashMap<&'a str, &'a Audience>,
    pub campaigns: Vec<(&'a LoadedDocument, &'a Campaign)>,
    pub bindings: Vec<(&'a LoadedDocument, &'a PhoneBindings)>,
}

impl<'a> Inputs<'a> {
    /// Sorts the documents by kind. A workspace with loading errors, an unreadable
    /// document or not exactly one `Workspace` document has not passed `check`.
    pub fn of(workspace: &'a LoadedWorkspace) -> Result<Inputs<'a>, CompileError> {
        if !workspace.root_is_folder || workspace.diagnostics.iter().any(|d| d.is_error()) {
            return Err(CompileError::NotChecked);
        }
        let mut settings = Vec::new();
        let mut templates = HashMap::new();
        let mut audiences = HashMap::new();
        let mut campaigns = Vec::new();
        let mut bindings = Vec::new();
        for loaded in &workspace.documents {
            match &loaded.document {
                None => return Err(CompileError::NotChecked),
                Some(Document::Workspace(w)) => settings.push(&**w),
                Some(Document::Template(t)) => {
                    templates.insert(t.name.as_str(), &**t);
                }
                Some(Document::Audience(a)) => {
                    audiences.insert(a.name.as_str(), &**a);
                }
                Some(Document::Campaign(c)) => campaigns.push((loaded, &**c)),
                Some(Document::PhoneBindings(b)) => bindings.push((loaded, &**b)),
                Some(Document::Moved(_) | Document::Removed(_)) => {}
            }
        }
        let [settings] = settings.as_slice() else {
            return Err(CompileError::NotChecked);
        };
        Ok(Inputs {
            settings,
            templates,
            audiences,
            campaigns,
            bindings,
        })
    }

    /// The template a campaign sends.
    pub fn template(&self, campaign: &'a Campaign) -> Result<&'a Template, CompileError> {
        match &campaign.template {
            Ref::Inline(template) => Ok(template),
            Ref::Name(name) => {
                self.templates
                    .get(name.as_str())
                    .copied()
                    .ok_or_else(|| CompileError::Campaign {
                        campaign: campaign.name.clone(),
                        reason: format!("it uses the template `{name}`, which is not defined"),
                    })
            }
        }
    }

    /// The audience a campaign reaches.
    pub fn audience(&self, campaign: &'a Campaign) -> Result<&'a Audience, CompileError> {
        match &campaign.audience {
            Ref::Inline(audience) => Ok(audience),
            Ref::Name(name) => {
                self.audiences
                    .get(name.as_str())
                    .copied()
                    .ok_or_else(|| CompileError::Campaign {
                        campaign: campaign.name.clone(),
                        reason: format!("it uses the audience `{name}`, which is not defined"),
                    })
            }
        }
    }
}
