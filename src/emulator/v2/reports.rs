//! The push reports (F.4): GET `/report/push/task/{ids}`, each task's figures by channel,
//! and GET `/report/push/task_group/{group}`, a task group's figures summed under its name.
//! What they count, and when, is `emulator::reports`'; here they take the V2 shapes. Neither
//! names a task of a group.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Call, Refusal, Request};
use crate::emulator::actions::exchange::{Exchange, to_json};
use crate::emulator::reports::{group_reach, task_reaches};
use crate::getui::v2::wire::{
    DateReportData, Endpoint, GroupReportData, MAX_REPORT_TASKS, TaskReportData,
};

/// Each named task the store knows, under its id; an unknown id is left out. More than
/// [`MAX_REPORT_TASKS`] ids are refused with 20001 (a bad parameter).
pub(super) fn tasks(ex: &mut Exchange<'_>, request: &Request) -> Result<Value, Refusal> {
    let Call::Known(Endpoint::TaskReport(ids)) = &request.call else {
        return Ok(Value::Null);
    };
    if ids.len() > MAX_REPORT_TASKS {
        return Err(Refusal::invalid(format!(
            "a report names at most {MAX_REPORT_TASKS} task ids, not {}",
            ids.len()
        )));
    }
    let until = ex.reports_count_until();
    let report: TaskReportData = task_reaches(ex.store, ids, until)
        .into_iter()
        .map(|(id, reach)| (id, reach.channel_reports()))
        .collect();
    Ok(to_json(report))
}

/// The group's figures under its name (zeros for a group with no push).
pub(super) fn group(ex: &mut Exchange<'_>, request: &Request) -> Result<Value, Refusal> {
    let Call::Known(Endpoint::GroupReport(group)) = &request.call else {
        return Ok(Value::Null);
    };
    let until = ex.reports_count_until();
    let reach = group_reach(ex.store, group, until);
    let report: GroupReportData = BTreeMap::from([(group.clone(), reach.channel_reports())]);
    Ok(to_json(report))
}

/// One task's figures under its id, as the task report gives them (loss reasons to come).
pub(super) fn detail(ex: &mut Exchange<'_>, request: &Request) -> Result<Value, Refusal> {
    let Call::Known(Endpoint::TaskReportDetail(id)) = &request.call else {
        return Ok(Value::Null);
    };
    let until = ex.reports_count_until();
    let report: TaskReportData = task_reaches(ex.store, std::slice::from_ref(id), until)
        .into_iter()
        .map(|(id, reach)| (id, reach.channel_reports()))
        .collect();
    Ok(to_json(report))
}

/// The day's figures under the date: none yet.
pub(super) fn date(_ex: &mut Exchange<'_>, request: &Request) -> Result<Value, Refusal> {
    let Call::Known(Endpoint::DateReport(date)) = &request.call else {
        return Ok(Value::Null);
    };
    let report: DateReportData = BTreeMap::from([(date.clone(), Default::default())]);
    Ok(to_json(report))
}
