//! The push reports (F.4): GET `/report/push/task/{ids}`, each task's figures by channel,
//! GET `/report/push/task/{id}/detail`, the same for one task with the loss reasons, GET
//! `/report/push/task_group/{group}`, a task group's figures summed under its name, and GET
//! `/report/push/date/{yyyy-MM-dd}`, the figures of the pushes that left on a Beijing day.
//! What they count, and when, is `emulator::reports`'; here they take the V2 shapes. None
//! names a task of a group.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::{Call, Refusal, Request};
use crate::emulator::actions::exchange::Exchange;
use crate::emulator::reply::Reply;
use crate::emulator::reports::{date_reach, group_reach, task_reaches};
use crate::getui::v2::wire::{
    DateReportData, Endpoint, GroupReportData, MAX_REPORT_TASKS, TaskReportData,
};

/// Each named task the store knows, under its id; an unknown id is left out. More than
/// [`MAX_REPORT_TASKS`] ids are refused with 20001 (a bad parameter).
pub(super) fn tasks(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let Call::Known(Endpoint::TaskReport(ids)) = &request.call else {
        return Ok(Value::Null.into());
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
        .map(|(id, reach)| (id, reach.channel_reports(false)))
        .collect();
    Ok(Reply::text(&report))
}

/// The group's figures under its name (zeros for a group with no push).
pub(super) fn group(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let Call::Known(Endpoint::GroupReport(group)) = &request.call else {
        return Ok(Value::Null.into());
    };
    let until = ex.reports_count_until();
    let reach = group_reach(ex.store, group, until);
    let report: GroupReportData = BTreeMap::from([(group.clone(), reach.channel_reports(false))]);
    Ok(Reply::text(&report))
}

/// One task's figures under its id, as the task report gives them, with each channel's
/// documented loss reasons (`d6` over the maker's quota, `d10` notifications off) beside
/// them. Nothing else is named: a device lost otherwise (outside a maker's hours, offline
/// and unreached) shows only as the gap between target and receive.
pub(super) fn detail(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let Call::Known(Endpoint::TaskReportDetail(id)) = &request.call else {
        return Ok(Value::Null.into());
    };
    let until = ex.reports_count_until();
    let report: TaskReportData = task_reaches(ex.store, std::slice::from_ref(id), until)
        .into_iter()
        .map(|(id, reach)| (id, reach.channel_reports(true)))
        .collect();
    Ok(Reply::text(&report))
}

/// The figures of the pushes that left on the Beijing day `yyyy-MM-dd`, under the date;
/// a date of another form is refused with 20001.
pub(super) fn date(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let Call::Known(Endpoint::DateReport(date)) = &request.call else {
        return Ok(Value::Null.into());
    };
    let day = parse_date(date)
        .ok_or_else(|| Refusal::invalid(format!("the date is yyyy-MM-dd, not {date:?}")))?;
    let until = ex.reports_count_until();
    let reach = date_reach(ex.store, day, until);
    let report: DateReportData = BTreeMap::from([(date.clone(), reach.channel_reports(false))]);
    Ok(Reply::text(&report))
}

/// A `yyyy-MM-dd` date: four, two and two digits, a real day.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let shape = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    shape
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_four_two_and_two_digits_of_a_real_day() {
        assert_eq!(
            parse_date("2026-03-02"),
            NaiveDate::from_ymd_opt(2026, 3, 2)
        );
        for bad in [
            "2026-3-02",
            "2026-02-30",
            "20260302",
            "2026/03/02",
            "",
            "２０２６-03-02",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
