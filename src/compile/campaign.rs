//! One campaign: its info, and its occurrences with their requests and fingerprints.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::DateTime;
use chrono_tz::Tz;

use super::audience::{self, Reach};
use super::fingerprint::{self, Payload};
use super::resolve::Inputs;
use super::schedule::{self, Clock, Rules};
use super::{
    CampaignInfo, CompileError, CompileNote, ContentSummary, DeliveryKind, Occurrence,
    OccurrenceKey, RemoteRequest, SentContent, Timing, summary, template,
};
use crate::getui::api::{self, AppPush, ListPush, PushTime};
use crate::getui::client_data::EncodedTemplate;
use crate::getui::template::PushTemplate;
use crate::load::LoadedDocument;
use crate::model::{Campaign, Duration, Network, Protocol, Template};

/// What one campaign contributes to the desired state.
pub(super) struct Compiled {
    pub info: CampaignInfo,
    pub occurrences: Vec<Occurrence>,
    pub notes: Vec<CompileNote>,
}

/// Compiles one campaign. A disabled campaign gets its info and no occurrences: what it
/// has on Getui is to be cancelled.
pub(super) fn compile_campaign(
    inputs: &Inputs,
    loaded: &LoadedDocument,
    campaign: &Campaign,
    root: &Path,
    clock: &Clock,
    rules: &Rules,
    memo: &mut Memo,
) -> Result<Compiled, CompileError> {
    let fail = |reason: String| CompileError::Campaign {
        campaign: campaign.name.clone(),
        reason,
    };
    let settings = inputs.settings;
    let template = inputs.template(campaign)?;
    let zone = schedule::zone_of(&campaign.schedule, &settings.defaults).map_err(fail)?;
    let reach = audience::reach(inputs.audience(campaign)?).map_err(fail)?;
    let kind = match reach {
        Reach::Conditions(_) => DeliveryKind::Scheduled,
        Reach::List(_) => DeliveryKind::ListPush,
    };
    let mut info = campaign_info(
        campaign,
        loaded,
        root,
        zone,
        kind,
        audience::summary(&reach),
    );
    info.protected = campaign.protect.unwrap_or(settings.defaults.protect);
    if !campaign.enabled {
        return Ok(Compiled {
            info,
            occurrences: Vec::new(),
            notes: Vec::new(),
        });
    }
    let (push_template, encoded) = memo.template(template, settings).map_err(fail)?;
    let offline_keep = campaign
        .delivery
        .offline_keep
        .unwrap_or(settings.defaults.offline_keep);
    let delivery = delivery(campaign, offline_keep);
    let task_group = campaign.delivery.task_group.as_deref();
    let implicit_vendor = template::implicit_vendor_channels(template, memo.protocol);
    let mut content = summary::content(template, &info.audience_summary, &delivery, offline_keep);
    // Every push shows its class, even one nothing vendor-related was written for: the class
    // is what the makers cap, and a reviewer should not have to know the default.
    content.channels = (push_template.vendor.as_ref())
        .map(|vendor| summary::channel_words(vendor, &implicit_vendor, template.kind));
    let shared = Shared {
        payload: Payload::of(
            &encoded,
            &push_template,
            &implicit_vendor,
            &reach,
            &delivery,
            task_group,
        ),
        content,
        sent: SentContent::of(&push_template),
        template: push_template,
        reach,
        delivery,
        task_group: task_group.map(str::to_owned),
    };
    let expansion = schedule::expand(
        &campaign.name,
        &campaign.schedule,
        zone,
        kind,
        clock,
        rules,
        &mut memo.schedules,
    )
    .map_err(fail)?;
    let occurrences = expansion
        .fires
        .into_iter()
        .map(|(fire_at, timing)| occurrence(&campaign.name, fire_at, timing, &shared))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    Ok(Compiled {
        info,
        occurrences,
        notes: expansion.notes,
    })
}

fn campaign_info(
    campaign: &Campaign,
    loaded: &LoadedDocument,
    root: &Path,
    zone: Tz,
    delivery: DeliveryKind,
    audience_summary: String,
) -> CampaignInfo {
    CampaignInfo {
        name: campaign.name.clone(),
        enabled: campaign.enabled,
        timezone: zone,
        template: campaign.template.name().map(str::to_owned),
        audience: campaign.audience.name().map(str::to_owned),
        audience_summary,
        delivery,
        owner: campaign.owner.clone(),
        file: loaded
            .file
            .strip_prefix(root)
            .unwrap_or(&loaded.file)
            .to_path_buf(),
        protected: false,
    }
}

/// What every occurrence of one campaign has in common.
struct Shared {
    reach: Reach,
    template: PushTemplate,
    delivery: api::Delivery,
    payload: Payload,
    content: ContentSummary,
    sent: SentContent,
    /// The author's prefix of the task group name.
    task_group: Option<String>,
}

/// One send of a campaign: its key, group, request and fingerprint.
fn occurrence(
    campaign: &str,
    fire_at: DateTime<Tz>,
    timing: Timing,
    shared: &Shared,
) -> Result<Occurrence, String> {
    let key = fingerprint::occurrence_key(campaign, &fire_at);
    let push_time = PushTime::at(&fire_at).map_err(|e| e.to_string())?;
    let fingerprint = shared.payload.at(&push_time);
    let group = fingerprint::group_name(&key, &fingerprint, shared.task_group.as_deref())
        .map_err(|e| e.to_string())?;
    let request = match &shared.reach {
        Reach::Conditions(conditions) => RemoteRequest::Scheduled(AppPush {
            attempt: None,
            template: shared.template.clone(),
            conditions: conditions.clone(),
            push_time,
            delivery: shared.delivery.clone(),
            group: Some(group.clone()),
        }),
        Reach::List(targets) => RemoteRequest::List(ListPush {
            attempt: None,
            template: shared.template.clone(),
            targets: targets.clone(),
            delivery: shared.delivery.clone(),
            group: Some(group.clone()),
        }),
    };
    Ok(Occurrence {
        fingerprint,
        key,
        campaign: campaign.to_owned(),
        fire_at,
        push_time,
        timing,
        request,
        group,
        content: shared.content.clone(),
        sent: shared.sent.clone(),
    })
}

/// What one thread has already computed for earlier campaigns.
pub(super) struct Memo {
    protocol: Protocol,
    schedules: schedule::Memo,
    /// Encoded templates, by the address of the model template: a named template is one
    /// value shared by every campaign that uses it, and it outlives the compile.
    templates: HashMap<usize, Result<(PushTemplate, EncodedTemplate), String>>,
}

impl Memo {
    pub(super) fn for_protocol(protocol: Protocol) -> Memo {
        Memo {
            protocol,
            schedules: schedule::Memo::default(),
            templates: HashMap::new(),
        }
    }

    fn template(
        &mut self,
        template: &Template,
        settings: &crate::model::Workspace,
    ) -> Result<(PushTemplate, EncodedTemplate), String> {
        // One compile has one workspace, so the address of the template is key enough.
        self.templates
            .entry(std::ptr::from_ref(template).addr())
            .or_insert_with(|| {
                let push = template::push_template(template, settings, self.protocol);
                fingerprint::encode(&push, &settings.app_id)
                    .map(|encoded| (push, encoded))
                    .map_err(|e| e.to_string())
            })
            .clone()
    }
}

/// Delivery options: the campaign's, else the workspace defaults. The campaign's
/// `task_group` goes into the group name instead (see [`fingerprint::group_name`]).
fn delivery(campaign: &Campaign, offline_keep: Duration) -> api::Delivery {
    api::Delivery {
        offline_keep: Some(std::time::Duration::from_secs(offline_keep.as_secs())),
        network: match campaign.delivery.network {
            Network::Any => api::Network::Any,
            Network::Wifi => api::Network::WifiOnly,
            Network::Cellular => api::Network::MobileOnly,
        },
        speed: campaign.delivery.speed,
    }
}

/// Adds a compiled campaign to the maps being built.
pub(super) fn merge(
    compiled: Compiled,
    campaigns: &mut BTreeMap<String, CampaignInfo>,
    occurrences: &mut BTreeMap<OccurrenceKey, Occurrence>,
    notes: &mut Vec<CompileNote>,
) {
    campaigns.insert(compiled.info.name.clone(), compiled.info);
    occurrences.extend(compiled.occurrences.into_iter().map(|o| (o.key.clone(), o)));
    notes.extend(compiled.notes);
}
