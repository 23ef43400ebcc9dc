//! The names of the emulator's REST V2 routes: what a fault spec targets
//! (`reset@v2_push_tag=1`) and what the request log records as a V2 request's action.
//! Stable: tests and users' fault specs spell them.

/// POST `/auth`.
pub const AUTH: &str = "v2_auth";
/// DELETE `/auth/{token}`.
pub const AUTH_DELETE: &str = "v2_auth_delete";
/// POST `/push/single/cid`.
pub const PUSH_SINGLE_CID: &str = "v2_push_single_cid";
/// POST `/push/single/alias`.
pub const PUSH_SINGLE_ALIAS: &str = "v2_push_single_alias";
/// POST `/push/all`.
pub const PUSH_ALL: &str = "v2_push_all";
/// POST `/push/tag`.
pub const PUSH_TAG: &str = "v2_push_tag";
/// POST `/push/list/message`.
pub const PUSH_LIST_MESSAGE: &str = "v2_push_list_message";
/// POST `/push/list/cid`.
pub const PUSH_LIST_CID: &str = "v2_push_list_cid";
/// POST `/push/list/alias`.
pub const PUSH_LIST_ALIAS: &str = "v2_push_list_alias";
/// GET `/task/schedule/{taskid}`.
pub const TASK_SCHEDULE_GET: &str = "v2_task_schedule_get";
/// DELETE `/task/schedule/{taskid}`.
pub const TASK_SCHEDULE_DELETE: &str = "v2_task_schedule_delete";
/// DELETE `/task/{taskid}`.
pub const TASK_DELETE: &str = "v2_task_delete";
/// POST `/user/count`.
pub const USER_COUNT: &str = "v2_user_count";
/// POST `/user/alias`.
pub const USER_ALIAS: &str = "v2_user_alias";
/// GET `/user/cid/alias/{alias}`.
pub const USER_CID_ALIAS: &str = "v2_user_cid_alias";
/// GET `/report/push/task_group/{group_name}`.
pub const REPORT_TASK_GROUP: &str = "v2_report_task_group";
/// GET `/report/push/task/{taskid,…}`.
pub const REPORT_TASK: &str = "v2_report_task";
/// GET `/report/push/task/{taskid}/detail`.
pub const REPORT_TASK_DETAIL: &str = "v2_report_task_detail";
/// GET `/report/push/date/{date}`.
pub const REPORT_DATE: &str = "v2_report_date";

/// Every route name, in the order above.
pub const ALL: [&str; 19] = [
    AUTH,
    AUTH_DELETE,
    PUSH_SINGLE_CID,
    PUSH_SINGLE_ALIAS,
    PUSH_ALL,
    PUSH_TAG,
    PUSH_LIST_MESSAGE,
    PUSH_LIST_CID,
    PUSH_LIST_ALIAS,
    TASK_SCHEDULE_GET,
    TASK_SCHEDULE_DELETE,
    TASK_DELETE,
    USER_COUNT,
    USER_ALIAS,
    USER_CID_ALIAS,
    REPORT_TASK_GROUP,
    REPORT_TASK,
    REPORT_TASK_DETAIL,
    REPORT_DATE,
];

/// Whether `action` names a V2 route (the request log's way to tell the protocols apart).
pub fn is_v2(action: &str) -> bool {
    ALL.contains(&action)
}
