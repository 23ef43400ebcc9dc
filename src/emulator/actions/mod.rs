//! What the emulated server answers: one handler per legacy action, found by the action's
//! `NAME` (from `getui::wire`) in one dispatch table, [`route`].
//!
//! Requests are decoded with the client's own wire types, so the emulator cannot accept a
//! shape the client would not send, and replies are built from the same types. Each route
//! also says what a request must carry before its handler runs ([`Access`]); `emulator::gate`
//! checks that, so no handler repeats it.
//!
//! The handlers, by area: `session` (bootstrap, connect, close), `pushes` (saving content and
//! pushing it), `tasks` (scheduled tasks), `reports` (push statistics, per task, per group and
//! per day),
//! `phones` (cid–pn bindings for SMS fallback) and `directory` (aliases, tags, user counts).
//! `exchange` holds what they share.
//!
//! The pieces of the protocol that the reference leaves open are decided by the handlers (and
//! documented in `docs/emulator.md`): deleting an already-deleted task
//! answers `ok` again (so a retried delete is harmless); deleting a task that was sent answers
//! `Error`; the group report answers counters only (`msg_total`, `msg_process`, `online_num`,
//! `show_num`, `click_num`, as text), never a task id; a user count answers
//! `{"result":"ok","count":N}`.

pub(crate) mod directory;
pub(crate) mod exchange;
mod phones;
mod pushes;
mod reports;
mod session;
mod tasks;

use serde_json::Value;

use crate::emulator::reply::Reply;
use crate::getui::ResultCode;
use crate::getui::wire::{
    Action, AliasBind, AliasQuery, AliasUnbind, BindCidPn, Bootstrap, CancelContentId, Close,
    Connect, DelScheduleTask, GetContentId, GetPushMsgResultByTaskidList, GetPushResultByGroupName,
    GetScheduleTask, PushToApp, PushToList, PushToSingle, QueryAppPushData, QueryCidPn,
    QueryUserCount, SetTag, StopSms, StopTask, UnbindCidPn,
};
use Access::{AppKey, Open, Token};
use exchange::Exchange;

/// What a request must carry before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Nothing: the bootstrap, which a client sends before it knows anything.
    Open,
    /// The app key: `connect`, which trades the sign for a token.
    AppKey,
    /// The app key and a live auth token: every other action.
    Token,
}

/// A handler: the JSON answer, or the result code of a refusal (answered alone).
pub(crate) type Handler = fn(&mut Exchange<'_>, &Value) -> Result<Reply, ResultCode>;

/// Every action the emulator knows, in the order of `getui::wire`.
const ROUTES: [(&str, Access, Handler); 23] = [
    (Bootstrap::NAME, Open, session::bootstrap),
    (Connect::NAME, AppKey, session::connect),
    (Close::NAME, Token, session::close),
    (GetContentId::NAME, Token, pushes::get_content_id),
    (PushToApp::NAME, Token, pushes::push_to_app),
    (PushToList::NAME, Token, pushes::push_to_list),
    (PushToSingle::NAME, Token, pushes::push_to_single),
    (GetScheduleTask::NAME, Token, tasks::get_schedule_task),
    (DelScheduleTask::NAME, Token, tasks::del_schedule_task),
    (StopTask::NAME, Token, tasks::stop_task),
    (CancelContentId::NAME, Token, tasks::cancel_content_id),
    (BindCidPn::NAME, Token, phones::bind_cid_pn),
    (UnbindCidPn::NAME, Token, phones::unbind_cid_pn),
    (QueryCidPn::NAME, Token, phones::query_cid_pn),
    (StopSms::NAME, Token, phones::stop_sms),
    (GetPushResultByGroupName::NAME, Token, reports::group_result),
    (
        GetPushMsgResultByTaskidList::NAME,
        Token,
        reports::task_results,
    ),
    (QueryAppPushData::NAME, Token, reports::app_push_data),
    (QueryUserCount::NAME, Token, directory::query_user_count),
    (SetTag::NAME, Token, directory::set_tags),
    (AliasBind::NAME, Token, directory::alias_bind),
    (AliasQuery::NAME, Token, directory::alias_query),
    (AliasUnbind::NAME, Token, directory::alias_unbind),
];

/// The access and handler of `action`; `None` for an action the protocol does not have.
pub(crate) fn route(action: &str) -> Option<(Access, Handler)> {
    ROUTES
        .iter()
        .find(|(name, _, _)| *name == action)
        .map(|&(_, access, handle)| (access, handle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_routed_once() {
        let mut names: Vec<&str> = ROUTES.iter().map(|(name, _, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ROUTES.len());
    }

    #[test]
    fn only_the_session_opens_without_a_token() {
        let open: Vec<(&str, Access)> = ROUTES
            .iter()
            .filter(|(_, access, _)| *access != Access::Token)
            .map(|&(name, access, _)| (name, access))
            .collect();
        assert_eq!(
            open,
            [
                (Bootstrap::NAME, Access::Open),
                (Connect::NAME, Access::AppKey)
            ]
        );
    }
}
