//! [`BindingsElsewhere`]: one [`PushApi`] made of two, for REST API V2 targets.
//!
//! REST API V2 has no cid–phone binding (SMS fallback's pairs), so a `getui-v2` target that
//! names a `bindings_endpoint`, and a sandbox speaking V2, send bindings to a legacy client
//! and everything else to the V2 one. Plan and apply see one `PushApi` and journal bindings
//! as they always do; which API answers is decided here, once, by operation.

use std::sync::Arc;

use crate::getui::api::{
    AppPush, CidResult, Condition, GroupTasks, ListPush, ListPushOutcome, PhoneBinding,
    ScheduledTask, TaskGroupName, TaskId,
};
use crate::getui::{Error, PushApi};

/// Pushes, tasks, counts and aliases go to `pushes`; phone bindings go to `bindings`.
pub struct BindingsElsewhere {
    pub pushes: Arc<dyn PushApi>,
    pub bindings: Arc<dyn PushApi>,
}

#[async_trait::async_trait]
impl PushApi for BindingsElsewhere {
    async fn create_scheduled_push(&self, push: &AppPush) -> Result<TaskId, Error> {
        self.pushes.create_scheduled_push(push).await
    }

    async fn scheduled_task(&self, id: &TaskId) -> Result<ScheduledTask, Error> {
        self.pushes.scheduled_task(id).await
    }

    async fn delete_scheduled_task(&self, id: &TaskId) -> Result<(), Error> {
        self.pushes.delete_scheduled_task(id).await
    }

    async fn stop_task(&self, id: &TaskId) -> Result<(), Error> {
        self.pushes.stop_task(id).await
    }

    async fn push_to_list(&self, push: &ListPush) -> Result<ListPushOutcome, Error> {
        self.pushes.push_to_list(push).await
    }

    async fn bind_phones(&self, pairs: &[PhoneBinding]) -> Result<Vec<CidResult>, Error> {
        self.bindings.bind_phones(pairs).await
    }

    async fn unbind_phones(&self, cids: &[String]) -> Result<Vec<CidResult>, Error> {
        self.bindings.unbind_phones(cids).await
    }

    async fn query_phones(&self, cids: &[String]) -> Result<Vec<CidResult>, Error> {
        self.bindings.query_phones(cids).await
    }

    async fn tasks_in_group(&self, group: &TaskGroupName) -> Result<GroupTasks, Error> {
        self.pushes.tasks_in_group(group).await
    }

    async fn count_users(&self, conditions: &[Condition]) -> Result<u64, Error> {
        self.pushes.count_users(conditions).await
    }

    async fn bind_alias(&self, alias: &str, cid: &str) -> Result<(), Error> {
        self.pushes.bind_alias(alias, cid).await
    }

    async fn cids_of_alias(&self, alias: &str) -> Result<Vec<String>, Error> {
        self.pushes.cids_of_alias(alias).await
    }
}
