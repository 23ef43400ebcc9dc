//! The push reports (B.14): `getPushMsgResultByTaskidList`, each task's figures by channel,
//! and `getPushResultByGroupName`, a task group's figures summed. What they count, and when,
//! is `emulator::reports`'; here they take the legacy shapes. Neither names a task of a group.

use serde_json::{Map, Value};

use super::exchange::{Exchange, check_app_id, decode, to_json};
use crate::emulator::reports::{group_reach, task_reaches};
use crate::emulator::store::Channel;
use crate::getui::ResultCode;
use crate::getui::wire::{self, GroupResultResponse, TaskResultEntry, TaskResultsResponse};

/// One entry per requested task the store knows; an unknown id is left out. Custom event
/// ids (`actionIdList`) are accepted and counted as nothing happened.
pub(super) fn task_results(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
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
    Ok(to_json(TaskResultsResponse {
        result: ResultCode::Ok,
        result_list,
        extra: Map::new(),
    }))
}

/// The group's figures, summed over its pushes (zeros for a group with none).
pub(super) fn group_result(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::GetPushResultByGroupName>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let until = ex.reports_count_until();
    let reach = group_reach(ex.store, &request.body.group_name, until);
    let total = reach.total();
    Ok(to_json(GroupResultResponse {
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
