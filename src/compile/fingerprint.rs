//! Identity: occurrence keys, task group names and fingerprints.
//!
//! A fingerprint is the sha256 of a canonical, stable JSON form of everything Getui
//! receives for a push: the `clientData` protobuf (encoded with a fixed empty app key, so
//! credentials do not change it), transmission content, push type, conditions or list
//! targets, delivery options, and the push time. Field order is fixed by the structs below
//! and every map is ordered, so the same inputs give the same fingerprint on any machine.
//!
//! The part shared by every occurrence of a campaign is encoded and hashed once
//! ([`Payload`]); each occurrence then hashes that digest with its push time.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Offset, Timelike};
use chrono_tz::Tz;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::audience::Reach;
use super::{Fingerprint, OccurrenceKey, PhoneHash};
use crate::getui::api::{
    Combine, Delivery, Dimension, ListTargets, Network, PushTime, TaskGroupName,
};
use crate::getui::client_data::{self, DurationForm, EncodedTemplate};
use crate::getui::template::PushTemplate;
use crate::getui::vendor::VendorChannels;
use crate::load::LoadedWorkspace;

/// Bumped when the canonical form changes, so old and new fingerprints never collide.
const CANONICAL_VERSION: u32 = 1;

/// `spring-sale@2026-12-01T10:00+08:00`: the campaign and its local time, to the minute.
pub fn occurrence_key(campaign: &str, fire_at: &DateTime<Tz>) -> OccurrenceKey {
    // Written by hand rather than through `format("%Y-%m-%dT%H:%M%:z")`: a large plan
    // makes hundreds of thousands of keys, and strftime parses its pattern every time.
    let offset = fire_at.offset().fix().local_minus_utc();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset_minutes = offset.unsigned_abs() / 60;
    OccurrenceKey(format!(
        "{campaign}@{:04}-{:02}-{:02}T{:02}:{:02}{sign}{:02}:{:02}",
        fire_at.year(),
        fire_at.month(),
        fire_at.day(),
        fire_at.hour(),
        fire_at.minute(),
        offset_minutes / 60,
        offset_minutes % 60,
    ))
}

/// The campaign's `task_group` (else `gc`), `-`, and the first 16 hex digits of
/// sha256(key, fingerprint). The prefix keeps the author's name in Getui's reports; the
/// suffix makes the name the same wherever it is computed and unique to this version of the
/// occurrence, so a create whose answer was lost is found by it, and never confused with an
/// older version of the same occurrence still on Getui. `check` keeps `task_group` within
/// [`TaskGroupName::MAX_PREFIX_CHARS`], Getui's limit less the suffix.
pub fn group_name(
    key: &OccurrenceKey,
    fingerprint: &Fingerprint,
    task_group: Option<&str>,
) -> Result<TaskGroupName, crate::getui::Error> {
    let mut hasher = Sha256::new();
    hasher.update(key.0.as_bytes());
    hasher.update(b"\nfingerprint=");
    hasher.update(fingerprint.0.as_bytes());
    let digest = hasher.finalize();
    let id = digest
        .get(..8)
        .and_then(|first| <[u8; 8]>::try_from(first).ok())
        .unwrap_or_default();
    TaskGroupName::suffixed(task_group.unwrap_or("gc"), id)
}

impl super::SentContent {
    /// What Getui can report back of a push made from `template`.
    pub fn of(template: &PushTemplate) -> super::SentContent {
        let content = &template.transmission_content;
        super::SentContent {
            transmission_sha256: (!content.is_empty()).then(|| sha256_hex(content.as_bytes())),
        }
    }
}

/// sha256 of `bytes`, lowercase hex.
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// The canonical request of a campaign, minus the push time.
#[derive(Serialize)]
struct Canonical<'a> {
    version: u32,
    client_data: &'a str,
    transmission_content: &'a str,
    push_type: &'static str,
    conditions: Vec<CanonicalCondition<'a>>,
    targets: Option<CanonicalTargets<'a>>,
    delivery: CanonicalDelivery<'a>,
    /// The class, makers' notification, keys and strategies; left out when they are what
    /// the template gets with nothing vendor-related written, so fingerprints made before
    /// classes existed still match (upgrading gtcamp replaces no push). Any change to them
    /// is a change of fingerprint, hence a replace.
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor: Option<&'a VendorChannels>,
}

#[derive(Serialize)]
struct CanonicalCondition<'a> {
    dimension: &'static str,
    combine: &'static str,
    values: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum CanonicalTargets<'a> {
    Aliases(&'a [String]),
    Cids(&'a [String]),
}

#[derive(Serialize)]
struct CanonicalDelivery<'a> {
    offline_keep_ms: Option<u128>,
    network: &'static str,
    speed: Option<u32>,
    /// Left out when unset, so fingerprints made before it existed still match.
    #[serde(skip_serializing_if = "Option::is_none")]
    task_group: Option<&'a str>,
}

/// `template` as Getui receives it, with a fixed empty app key so that credentials do not
/// change a fingerprint.
pub(super) fn encode(
    template: &PushTemplate,
    app_id: &str,
) -> Result<EncodedTemplate, crate::getui::Error> {
    client_data::encode(template, "", app_id, DurationForm::Milliseconds)
}

/// The hashed canonical form of what every occurrence of one campaign sends.
#[derive(Debug, Clone)]
pub(super) struct Payload {
    digest: [u8; 32],
}

impl Payload {
    /// Hashes the canonical request of a template already encoded as Getui will receive it
    /// (see [`encode`]).
    pub fn of(
        encoded: &EncodedTemplate,
        template: &PushTemplate,
        implicit_vendor: &VendorChannels,
        reach: &Reach,
        delivery: &Delivery,
        task_group: Option<&str>,
    ) -> Payload {
        let (conditions, targets) = match reach {
            Reach::Conditions(conditions) => {
                (conditions.iter().map(canonical_condition).collect(), None)
            }
            Reach::List(ListTargets::Aliases(a)) => {
                (Vec::new(), Some(CanonicalTargets::Aliases(a)))
            }
            Reach::List(ListTargets::Cids(c)) => (Vec::new(), Some(CanonicalTargets::Cids(c))),
        };
        let canonical = Canonical {
            version: CANONICAL_VERSION,
            client_data: &encoded.client_data,
            transmission_content: &template.transmission_content,
            push_type: encoded.push_type,
            conditions,
            targets,
            delivery: CanonicalDelivery {
                offline_keep_ms: delivery.offline_keep.map(|d| d.as_millis()),
                network: match delivery.network {
                    Network::Any => "any",
                    Network::WifiOnly => "wifi",
                    Network::MobileOnly => "cellular",
                },
                speed: delivery.speed,
                task_group,
            },
            vendor: template
                .vendor
                .as_ref()
                .filter(|vendor| *vendor != implicit_vendor),
        };
        let json = serde_json::to_vec(&canonical).unwrap_or_default();
        Payload {
            digest: Sha256::digest(&json).into(),
        }
    }

    /// The fingerprint of this payload sent at `push_time`.
    pub fn at(&self, push_time: &PushTime) -> Fingerprint {
        let mut hasher = Sha256::new();
        hasher.update(self.digest);
        hasher.update(b"\npush_time=");
        hasher.update(push_time.wire().as_bytes());
        Fingerprint(lower_hex(&hasher.finalize()))
    }
}

fn canonical_condition(condition: &crate::getui::api::Condition) -> CanonicalCondition<'_> {
    CanonicalCondition {
        dimension: match condition.dimension {
            Dimension::PhoneType => "phone_type",
            Dimension::Region => "region",
            Dimension::Tag => "tag",
        },
        combine: match condition.combine {
            Combine::Any => "any",
            Combine::All => "all",
            Combine::None => "none",
        },
        values: &condition.values,
    }
}

/// A hash of every input that shapes a compile: each document's canonical JSON (in an
/// order that does not depend on file names), the bindings (so a CSV edit counts, its
/// clear numbers already reduced to md5), and the target's push-ahead window. Not `now`:
/// a plan saved a minute ago from the same files is not stale for that alone.
pub(super) fn input_fingerprint(
    workspace: &LoadedWorkspace,
    bindings: &BTreeMap<String, PhoneHash>,
    max_push_ahead: chrono::Duration,
) -> Fingerprint {
    let mut documents: Vec<[u8; 32]> = workspace
        .documents
        .iter()
        .filter_map(|loaded| loaded.document.as_ref())
        .map(|document| Sha256::digest(serde_json::to_vec(document).unwrap_or_default()).into())
        .collect();
    documents.sort_unstable();
    let mut hasher = Sha256::new();
    hasher.update(format!("gtcamp-inputs-v{CANONICAL_VERSION}\n").as_bytes());
    for digest in &documents {
        hasher.update(digest);
    }
    hasher.update(b"\nbindings\n");
    for (cid, hash) in bindings {
        hasher.update(cid.as_bytes());
        hasher.update(b"=");
        hasher.update(hash.0.as_bytes());
        hasher.update(b"\n");
    }
    hasher.update(b"max_push_ahead=");
    hasher.update(max_push_ahead.num_seconds().to_le_bytes());
    Fingerprint(lower_hex(&hasher.finalize()))
}

/// Lowercase hex of up to 32 bytes, through a fixed buffer: `hex::encode` goes a character
/// at a time, and a large plan writes hundreds of thousands of these.
fn lower_hex(bytes: &[u8]) -> String {
    let mut out = [0u8; 64];
    let len = bytes.len().min(32) * 2;
    let (Some(bytes), Some(slot)) = (bytes.get(..len / 2), out.get_mut(..len)) else {
        return String::new();
    };
    match hex::encode_to_slice(bytes, slot) {
        Ok(()) => String::from_utf8_lossy(slot).into_owned(),
        Err(_) => hex::encode(bytes),
    }
}
