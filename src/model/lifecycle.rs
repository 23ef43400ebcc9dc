//! `Moved` and `Removed`: what happened to a name, said in the workspace so a plan can act on
//! it and a reviewer can read it (Terraform's `moved` and `removed` blocks).
//!
//! Neither has a `name` of its own: it is about other documents' names.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A campaign, template or audience renamed: its pushes and history follow the new name.
///
/// Without it, renaming a campaign cancels its scheduled pushes and creates them again under
/// the new name. With it, the plan shows the rename and changes nothing on Getui when
/// nothing else changed. Keep it until every target has applied it; it then does nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Moved {
    /// The document's kind; accepted here so a document can be read straight into this type.
    #[serde(rename = "kind", default, skip_serializing)]
    #[schemars(skip)]
    pub document_kind: Option<String>,
    /// A campaign's old and new names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"from": "spring-sale", "to": "spring-sale-2027"}))]
    pub campaign: Option<Rename>,
    /// A template's old and new names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"from": "promo", "to": "promo-banner"}))]
    pub template: Option<Rename>,
    /// An audience's old and new names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"from": "vip", "to": "vip-android"}))]
    pub audience: Option<Rename>,
}

/// An old name and the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    /// The name state and reports know it by.
    #[schemars(example = &"spring-sale")]
    pub from: String,
    /// The name the workspace declares now.
    #[schemars(example = &"spring-sale-2027")]
    pub to: String,
}

/// What a `Moved` document renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Renamed {
    Campaign,
    Template,
    Audience,
}

impl Renamed {
    pub fn as_str(self) -> &'static str {
        match self {
            Renamed::Campaign => "campaign",
            Renamed::Template => "template",
            Renamed::Audience => "audience",
        }
    }
}

impl std::fmt::Display for Renamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Moved {
    /// Each rename it declares (a valid one declares exactly one).
    pub fn renames(&self) -> impl Iterator<Item = (Renamed, &Rename)> {
        [
            (Renamed::Campaign, self.campaign.as_ref()),
            (Renamed::Template, self.template.as_ref()),
            (Renamed::Audience, self.audience.as_ref()),
        ]
        .into_iter()
        .filter_map(|(what, rename)| Some((what, rename?)))
    }
}

/// A campaign taken out of the workspace on purpose, with what becomes of its pushes.
///
/// Deleting a campaign's document cancels its scheduled pushes. `cancel: false` instead
/// leaves them on Getui to fire as created, and gtcamp forgets them: state stops tracking
/// them, so no later plan touches them. Its sends stay in the history for reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    /// The document's kind; accepted here so a document can be read straight into this type.
    #[serde(rename = "kind", default, skip_serializing)]
    #[schemars(skip)]
    pub document_kind: Option<String>,
    /// The campaign's name, as state knows it.
    #[schemars(example = &"winter-sale")]
    pub campaign: String,
    /// `false`: leave its scheduled pushes on Getui and forget them. `true`: cancel them,
    /// as deleting the campaign would.
    #[schemars(example = false)]
    pub cancel: bool,
}

/// Follows `name` of `what` through `renames` (old name → new name) to the name it has
/// now. `None` when the renames go round in a circle.
pub fn follow<'a>(
    renames: &std::collections::HashMap<(Renamed, &'a str), &'a str>,
    what: Renamed,
    name: &'a str,
) -> Option<&'a str> {
    let mut now = name;
    // Each step moves to another old name; more steps than renames is a circle.
    for _ in 0..=renames.len() {
        match renames.get(&(what, now)) {
            Some(next) => now = next,
            None => return Some(now),
        }
    }
    None
}
