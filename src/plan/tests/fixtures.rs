//! Hand-built desired states, states and refreshes at fixed instants, shared by the diff
//! unit tests, the property tests and the render goldens.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;

use crate::compile::{
    CampaignInfo, ContentSummary, DeliveryKind, Desired, Fingerprint, Occurrence, OccurrenceKey,
    PhoneHash, RemoteRequest, SentContent, Timing,
};
use crate::getui::api::{AppPush, Delivery, PushTime, TaskGroupName};
use crate::getui::template::{PushTemplate, TemplateKind};
use crate::plan::{DiffContext, PlanMeta};
use crate::state::{RemoteStatus, State, TrackedBinding, TrackedTask};

/// The instant every fixture is measured against: 2026-11-28 00:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn key(text: &str) -> OccurrenceKey {
    OccurrenceKey(text.to_owned())
}

pub fn campaign(name: &str, enabled: bool, zone: Tz) -> CampaignInfo {
    CampaignInfo {
        name: name.to_owned(),
        enabled,
        timezone: zone,
        template: Some("sale".to_owned()),
        audience: Some("vip".to_owned()),
        audience_summary: "android, tags any of vip".to_owned(),
        delivery: DeliveryKind::Scheduled,
        owner: None,
        file: PathBuf::from(format!("campaigns/{name}.yaml")),
        protected: false,
    }
}

pub fn content(title: &str, text: &str) -> ContentSummary {
    ContentSummary {
        template_type: "notification".to_owned(),
        title: Some(title.to_owned()),
        text: Some(text.to_owned()),
        url: None,
        transmission: None,
        ios: None,
        sms: None,
        channels: None,
        audience: "android, tags any of vip".to_owned(),
        delivery: "offline 12h".to_owned(),
    }
}

/// A fingerprint that changes with the content and the instant, as compile's does.
pub fn fingerprint(content: &ContentSummary, at: DateTime<Utc>) -> Fingerprint {
    Fingerprint(format!("{:?}@{at}", content.text))
}

pub fn occurrence(
    campaign: &str,
    key_text: &str,
    at: DateTime<Utc>,
    zone: Tz,
    timing: Timing,
    content: ContentSummary,
) -> Occurrence {
    let push_time = PushTime::at(&at).unwrap_or_else(|_| PushTime::parse("202612011000").unwrap());
    Occurrence {
        key: key(key_text),
        campaign: campaign.to_owned(),
        fire_at: at.with_timezone(&zone),
        push_time,
        timing,
        request: RemoteRequest::Scheduled(AppPush {
            attempt: None,
            template: PushTemplate::new(TemplateKind::Transmission),
            conditions: Vec::new(),
            push_time,
            delivery: Delivery::default(),
            group: None,
        }),
        fingerprint: fingerprint(&content, at),
        group: TaskGroupName::new("gc-fixture").unwrap(),
        content,
        sent: SentContent::default(),
    }
}

pub fn tracked(occurrence: &Occurrence, task_id: &str) -> TrackedTask {
    TrackedTask {
        campaign: occurrence.campaign.clone(),
        task_id: task_id.to_owned(),
        fingerprint: occurrence.fingerprint.clone(),
        push_time: occurrence.fire_at.with_timezone(&Utc),
        timezone: occurrence.fire_at.timezone().name().to_owned(),
        group: occurrence.group.as_str().to_owned(),
        created_at: now() - Duration::days(1),
        last_status: RemoteStatus::Created,
        content: occurrence.content.clone(),
        sent: Some(occurrence.sent.clone()),
        class: Some(occurrence.class()),
    }
}

pub fn desired(campaigns: Vec<CampaignInfo>, occurrences: Vec<Occurrence>) -> Desired {
    Desired {
        campaigns: campaigns.into_iter().map(|c| (c.name.clone(), c)).collect(),
        occurrences: occurrences
            .into_iter()
            .map(|o| (o.key.clone(), o))
            .collect(),
        bindings: BTreeMap::new(),
        notes: Vec::new(),
        input_fingerprint: Fingerprint("inputs-1".to_owned()),
        lifecycle: Default::default(),
    }
}

pub fn empty_state() -> State {
    State {
        format_version: crate::state::FORMAT_VERSION,
        lineage: "5f0c6a52-8d4e-4f7e-9a51-3c2b1d0e9f88".to_owned(),
        serial: 7,
        target: None,
        app_id: None,
        tasks: BTreeMap::new(),
        bindings: BTreeMap::new(),
        fired: BTreeMap::new(),
        history: Vec::new(),
        pushes_made: None,
        renamed: Default::default(),
        protected: Default::default(),
    }
}

pub fn binding(hash: &str) -> TrackedBinding {
    TrackedBinding::new(PhoneHash(hash.to_owned()))
}

pub fn context() -> DiffContext {
    DiffContext {
        now: now(),
        meta: PlanMeta {
            workspace: PathBuf::from("."),
            target: "sandbox".to_owned(),
            lineage: empty_state().lineage,
            serial: 7,
            input_fingerprint: Fingerprint("inputs-1".to_owned()),
            earliest_push_time: None,
            created_at: now(),
            refreshed: true,
            selection: None,
            allow_cancel: Vec::new(),
        },
        max_push_ahead: Duration::days(7),
    }
}
