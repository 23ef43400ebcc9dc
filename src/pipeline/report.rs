//! Delivery reports of a session's sends: state's sends × the target's push reports, for
//! `gtcamp report`, `gtcamp status` and the pull-request plan.

use crate::plan::Plan;
use crate::report::{self, ReadOptions, Report, Selection};

use super::Session;

/// The start of the retention window: state keeps no send before it.
fn kept_since(session: &Session) -> chrono::DateTime<chrono::Utc> {
    let history = chrono::Duration::days(i64::from(session.settings.state.history_days));
    session
        .now
        .checked_sub_signed(history)
        .unwrap_or(session.now)
}

/// The report of the sends `selection` takes, read from the session's target.
pub async fn read(session: &Session, selection: &Selection, options: ReadOptions) -> Report {
    let sends = report::sends(&session.locked.state(), selection, session.now);
    read_sends(session, sends, selection, options).await
}

/// The report of each campaign's last send in the retention window: for `status`.
pub async fn read_last(session: &Session, options: ReadOptions) -> Report {
    let selection = Selection {
        since: kept_since(session),
        campaigns: Vec::new(),
    };
    let sends = report::sends(&session.locked.state(), &selection, session.now);
    let last = report::latest_per_campaign(sends);
    read_sends(session, last, &selection, options).await
}

async fn read_sends(
    session: &Session,
    sends: Vec<report::Sent>,
    selection: &Selection,
    options: ReadOptions,
) -> Report {
    let zone_of = |campaign: &str| {
        session.desired.campaigns.get(campaign).map_or_else(
            || "Asia/Shanghai".to_owned(),
            |c| c.timezone.name().to_owned(),
        )
    };
    let api = session.connection.api.as_ref();
    report::read(
        api,
        &session.connection.name,
        sends,
        selection.since,
        zone_of,
        options,
    )
    .await
}

/// For a pull request: how the last sends of the campaigns the plan changes did. Empty when
/// none of them has sent (or none changes).
pub async fn last_sends(session: &Session, plan: &Plan, parallelism: usize) -> String {
    let mut campaigns: Vec<String> = plan.changes.iter().map(|c| c.campaign.clone()).collect();
    campaigns.sort();
    campaigns.dedup();
    if campaigns.is_empty() {
        return String::new();
    }
    let selection = Selection {
        since: kept_since(session),
        campaigns,
    };
    let options = ReadOptions {
        parallelism,
        details: false,
        now: session.now,
    };
    let report = read(session, &selection, options).await;
    report::render::markdown::last_sends(&report)
}
