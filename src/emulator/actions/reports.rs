//! The push reports (B.14, B.15): `getPushMsgResultByTaskidList`, each task's figures by
//! channel, `getPushResultByGroupName`, a task group's figures summed, and
//! `queryAppPushData`, the figures of the pushes that left on a past Beijing day. What they
//! count, and when, is `emulator::reports`'; here they take the legacy shapes. None names a
//! task of a group.

use serde_json::{Map, Value};

use super::exchange::{Exchange, check_app_id, decode};
use chrono::NaiveDate;

use crate::emulator::reply::Reply;
use crate::emulator::reports::{date_reach, group_reach, task_reaches};
use crate::emulator::store::Channel;
use crate::getui::ResultCode;
use crate::getui::vendor_rules::MAKERS_ZONE;
use crate::getui::wire::{
    self, AppPushData, AppPushDataResponse, GroupResultResponse, TaskResultEntry,
    TaskResultsResponse,
};

/// One entry per requested task the store knows; an unknown id is left out. Custom event
/// ids (`actionIdList`) are accepted and counted as nothing happened.
pub(super) fn task_results(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::GetPushMsgResultByTaskidList>(body)?;
    let until = ex.reports_count_until();
    let result_list = task_reaches(ex.store, &request.body.task_id_list, until)
        .into_iter()
        .map(|(task_id, reach)| TaskResultEntry {
            task_id,
            gt: reach.getui_channel(),
            apn: reach.apns_channel(),
            extra: Map::new(),
        })
        .collect();
    Ok(Reply::text(&TaskResultsResponse {
        result: ResultCode::Ok,
        result_list,
    }))
}

/// The group's figures, summed over its pushes (zeros for a group with none).
pub(super) fn group_result(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::GetPushResultByGroupName>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let until = ex.reports_count_until();
    let reach = group_reach(ex.store, &request.body.group_name, until);
    let total = reach.total();
    Ok(Reply::text(&GroupResultResponse {
        result: ResultCode::Ok,
        group_name: Some(request.body.group_name),
        msg_total: Some(total.target),
        msg_process: Some(total.receive),
        online_num: Some(reach.channel(Channel::Getui).receive),
        show_num: Some(total.display),
        click_num: Some(total.click),
        extra: Map::new(),
    }))
}

/// The figures of the pushes that left on a past Beijing day (`yyyyMMdd`), lagged like every
/// report: `sendCount` what they were meant for, `sendOnlineCount` what Getui's own
/// connection (online devices only) reached, `receiveCount`, `showCount`, `clickCount`. A
/// date of another form, today or later is refused with `Error`: Getui documents the date
/// as one in the past and names no code for it.
pub(super) fn app_push_data(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::QueryAppPushData>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let today = ex.now.with_timezone(&MAKERS_ZONE).date_naive();
    let day = parse_day(&request.body.date)
        .filter(|day| *day < today)
        .ok_or(ResultCode::Error)?;
    let until = ex.reports_count_until();
    let reach = date_reach(ex.store, day, until);
    let total = reach.total();
    Ok(Reply::text(&AppPushDataResponse {
        result: ResultCode::Ok,
        data: Some(AppPushData {
            app_id: Some(request.body.app_id),
            date: Some(request.body.date),
            send_count: Some(total.target),
            send_online_count: Some(reach.channel(Channel::Getui).receive),
            receive_count: Some(total.receive),
            show_count: Some(total.display),
            click_count: Some(total.click),
            extra: Map::new(),
        }),
        extra: Map::new(),
    }))
}

/// A `yyyyMMdd` day: eight digits, a real day.
fn parse_day(text: &str) -> Option<NaiveDate> {
    let digits = text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit());
    digits
        .then(|| NaiveDate::parse_from_str(text, "%Y%m%d").ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_eight_digits_of_a_real_day() {
        assert_eq!(parse_day("20261208"), NaiveDate::from_ymd_opt(2026, 12, 8));
        for bad in ["2026128", "2026-12-08", "20260230", "", "2026120８"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
