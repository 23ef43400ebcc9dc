//! `PhoneBindings`: client id to phone-number pairs for SMS fallback.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Client id to phone-number pairs, so Getui can send SMS fallback to users a push missed.
///
/// Phone numbers never enter git in clear: write pairs with the md5 of the number, or point
/// `source` at a CSV of `cid,phone` kept outside git, which gtcamp hashes locally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneBindings {
    /// The document's kind; accepted here so a document can be read straight into this type.
    #[serde(rename = "kind", default, skip_serializing)]
    #[schemars(skip)]
    pub document_kind: Option<String>,
    /// Unique among phone bindings: lowercase letters, digits and `-`, at most 40 characters.
    #[serde(default)]
    #[schemars(example = &"demo-phones")]
    pub name: String,
    /// What these bindings are, for reviewers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"Test devices of the ops team (fake numbers).")]
    pub description: Option<String>,
    /// Pairs written in place, the phone number already hashed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!([{"cid": "de30c1d0000000000000000000000003", "pn_md5": "ffd07e1a0527aaeadd164d4a149a6506"}]))]
    pub pairs: Vec<PhonePair>,
    /// A CSV file of `cid,phone` rows, relative to this YAML file. Numbers are hashed with
    /// md5 on this machine and never sent or stored in clear. Keep the file out of git. It is
    /// read as a stream, so it may be large: up to 2 GiB and 20 million rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"demo-phones.csv")]
    pub source: Option<String>,
}

/// One client id and the md5 of its phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhonePair {
    /// The Getui client id of the device.
    #[schemars(example = &"de30c1d0000000000000000000000003")]
    pub cid: String,
    /// md5 of the phone number, 32 lowercase hex characters.
    #[schemars(regex(pattern = "^[0-9a-f]{32}$"))]
    #[schemars(example = &"ffd07e1a0527aaeadd164d4a149a6506")]
    pub pn_md5: String,
}
