//! What a delivery report says: per campaign and per send, Getui's figures by channel. Kept
//! apart from the renderers (`render/`), the way plans are, so that every format shows the
//! same facts. Nothing here names a device: an audience is in words ("3 cids").

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::getui::api::ReportChannel;
use crate::model::MessageClass;
use crate::state::SendKind;

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub target: String,
    /// The sends of this window: from `since` to `read_at`.
    pub since: DateTime<Utc>,
    pub read_at: DateTime<Utc>,
    /// In name order.
    pub campaigns: Vec<CampaignReport>,
}

/// One campaign's sends in the window, oldest first, and their sum.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CampaignReport {
    pub campaign: String,
    /// The zone its times are shown in.
    pub zone: String,
    /// The sends whose report is available, summed.
    pub total: Figures,
    /// The same, by channel.
    pub channels: Vec<ChannelFigures>,
    pub sends: Vec<SendReport>,
}

/// One send: what went out, and what Getui counts of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SendReport {
    /// The occurrence (`campaign@time`).
    pub key: String,
    pub task_id: Option<String>,
    pub sent_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<SendKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<MessageClass>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub availability: Availability,
    /// Over every channel; `None` unless available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Figures>,
    /// Each channel Getui gave figures for (Getui's own, APNs, each maker's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<ChannelFigures>,
}

/// Whether a send's report can be shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Availability {
    Available,
    /// Sent too recently: Getui's reports lag behind a send (about 30 minutes).
    NotYet,
    /// Long enough ago, and Getui has no report of the task.
    Missing,
    /// State knows no task id for it (a send recorded before ids were kept).
    NoTask,
    /// The read failed; the reason names Getui's code and its meaning.
    Failed {
        reason: String,
    },
}

/// What a report counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Devices the push went to.
    pub targeted: u64,
    /// Of them, devices it arrived on.
    pub arrived: u64,
    /// Shown as a notification.
    pub displayed: u64,
    pub clicked: u64,
}

impl Figures {
    pub fn plus(self, other: Figures) -> Figures {
        Figures {
            targeted: self.targeted.saturating_add(other.targeted),
            arrived: self.arrived.saturating_add(other.arrived),
            displayed: self.displayed.saturating_add(other.displayed),
            clicked: self.clicked.saturating_add(other.clicked),
        }
    }

    /// Arrived of targeted.
    pub fn arrival_rate(&self) -> Option<f64> {
        rate(self.arrived, self.targeted)
    }

    /// Clicked of displayed: what a notification earned once seen.
    pub fn click_rate(&self) -> Option<f64> {
        rate(self.clicked, self.displayed)
    }
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    // Counts stay far below 2^52: the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One channel's figures and, from a detail report, why pushes were lost on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelFigures {
    /// The channel for people: `Getui`, `APNs`, `Huawei`…
    pub channel: String,
    #[serde(flatten)]
    pub figures: Figures,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub losses: Vec<LossFigure>,
    /// Where it sorts: Getui's, APNs, the makers', then the rest.
    #[serde(skip)]
    pub order: ReportChannel,
}

/// Pushes lost for one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LossFigure {
    /// Getui's code (`d6`).
    pub code: String,
    /// In words, where Getui documents the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub count: u64,
}

impl Report {
    /// Each campaign's latest send that has figures, for `status` and pull requests.
    pub fn last_sends(&self) -> impl Iterator<Item = (&CampaignReport, &SendReport)> {
        self.campaigns.iter().filter_map(|campaign| {
            let last = campaign
                .sends
                .iter()
                .rev()
                .find(|send| send.availability == Availability::Available)
                .or_else(|| campaign.sends.last())?;
            Some((campaign, last))
        })
    }
}
