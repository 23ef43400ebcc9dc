//! [`BindingsElsewhere`]: one [`PushApi`] made of two, for REST API V2 targets.
//!
//! REST API V2 has no cid–phone binding (SMS fallback's pairs), so a `getui-v2` target that
//! names a `bindings_endpoint`, and a sandbox speaking V2, send bindings to a legacy client
//! and everything else to the V2 one. Plan and apply see one `PushApi` and journal bindings
//! as they always do; which API answers is decided here, once, by operation.

use std::sync::Arc;

use crate::getui::api::{
    AppPush, CidResult, Condition, DevicePush, DevicePushOutcome, ListPush, ListPushOutcome,
    PhoneBinding, PreparedPush, PushReport, ScheduledTask, TaskId,
};
use crate::getui::{Error, PushApi};

/// Pushes, tasks, counts and aliases go to `pushes`; phone bindings go to `bindings`.
pub struct BindingsElsewhere {
    pub pushes: Arc<dyn PushApi>,
    pub bindings: Arc<dyn PushApi>,
}

#[async_trait::async_trait]
impl PushApi for BindingsElsewhere {
    /// Both APIs sign in: bindings go to the legacy one, and a refusal there would otherwise
    /// show only at the first binding.
    async fn authenticate(&self) -> Result<(), Error> {
        self.pushes.authenticate().await?;
        self.bindings.authenticate().await
    }

    async fn prepare_scheduled_push(&self, push: &AppPush) -> Result<PreparedPush, Error> {
        self.pushes.prepare_scheduled_push(push).await
    }

    async fn send_scheduled_push(
        &self,
        push: &AppPush,
        prepared: &PreparedPush,
    ) -> Result<TaskId, Error> {
        self.pushes.send_scheduled_push(push, prepared).await
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

    async fn prepare_list_push(&self, push: &ListPush) -> Result<TaskId, Error> {
        self.pushes.prepare_list_push(push).await
    }

    async fn send_list_push(
        &self,
        push: &ListPush,
        message: &TaskId,
    ) -> Result<ListPushOutcome, Error> {
        self.pushes.send_list_push(push, message).await
    }

    async fn push_to_device(&self, push: &DevicePush) -> Result<DevicePushOutcome, Error> {
        self.pushes.push_to_device(push).await
    }

    async fn push_reports(&self, ids: &[TaskId]) -> Result<Vec<PushReport>, Error> {
        self.pushes.push_reports(ids).await
    }

    fn report_batch(&self) -> usize {
        self.pushes.report_batch()
    }

    async fn push_report_detail(&self, id: &TaskId) -> Result<Option<PushReport>, Error> {
        self.pushes.push_report_detail(id).await
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A `PushApi` that answers every call with an error naming itself.
    struct Named(&'static str);

    impl Named {
        fn says<T>(&self) -> Result<T, Error> {
            Err(Error::Transport {
                action: "test",
                reason: self.0.to_owned(),
            })
        }
    }

    #[async_trait::async_trait]
    impl PushApi for Named {
        async fn authenticate(&self) -> Result<(), Error> {
            self.says()
        }
        async fn prepare_scheduled_push(&self, _: &AppPush) -> Result<PreparedPush, Error> {
            self.says()
        }
        async fn send_scheduled_push(
            &self,
            _: &AppPush,
            _: &PreparedPush,
        ) -> Result<TaskId, Error> {
            self.says()
        }
        async fn scheduled_task(&self, _: &TaskId) -> Result<ScheduledTask, Error> {
            self.says()
        }
        async fn delete_scheduled_task(&self, _: &TaskId) -> Result<(), Error> {
            self.says()
        }
        async fn stop_task(&self, _: &TaskId) -> Result<(), Error> {
            self.says()
        }
        async fn prepare_list_push(&self, _: &ListPush) -> Result<TaskId, Error> {
            self.says()
        }
        async fn send_list_push(&self, _: &ListPush, _: &TaskId) -> Result<ListPushOutcome, Error> {
            self.says()
        }
        async fn push_reports(&self, _: &[TaskId]) -> Result<Vec<PushReport>, Error> {
            self.says()
        }
        async fn push_to_device(&self, _: &DevicePush) -> Result<DevicePushOutcome, Error> {
            self.says()
        }
        fn report_batch(&self) -> usize {
            crate::getui::api::REPORT_BATCH
        }
        async fn push_report_detail(&self, _: &TaskId) -> Result<Option<PushReport>, Error> {
            self.says()
        }
        async fn bind_phones(&self, _: &[PhoneBinding]) -> Result<Vec<CidResult>, Error> {
            self.says()
        }
        async fn unbind_phones(&self, _: &[String]) -> Result<Vec<CidResult>, Error> {
            self.says()
        }
        async fn query_phones(&self, _: &[String]) -> Result<Vec<CidResult>, Error> {
            self.says()
        }
        async fn count_users(&self, _: &[Condition]) -> Result<u64, Error> {
            self.says()
        }
        async fn bind_alias(&self, _: &str, _: &str) -> Result<(), Error> {
            self.says()
        }
        async fn cids_of_alias(&self, _: &str) -> Result<Vec<String>, Error> {
            self.says()
        }
    }

    fn list_push() -> ListPush {
        ListPush {
            template: crate::getui::template::PushTemplate::new(
                crate::getui::template::TemplateKind::Transmission,
            ),
            targets: crate::getui::api::ListTargets::Cids(vec!["c".into()]),
            delivery: Default::default(),
            group: None,
            attempt: None,
        }
    }

    fn who<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
        match result {
            Err(Error::Transport { reason, .. }) => reason,
            other => panic!("not a Named answer: {other:?}"),
        }
    }

    #[tokio::test]
    async fn bindings_go_to_the_legacy_client_and_everything_else_to_v2() {
        let api = BindingsElsewhere {
            pushes: Arc::new(Named("v2")),
            bindings: Arc::new(Named("legacy")),
        };
        let id = TaskId("t".into());
        let cids = ["c".to_owned()];
        assert_eq!(who(api.bind_phones(&[]).await), "legacy");
        assert_eq!(who(api.unbind_phones(&cids).await), "legacy");
        assert_eq!(who(api.query_phones(&cids).await), "legacy");
        assert_eq!(who(api.scheduled_task(&id).await), "v2");
        assert_eq!(who(api.delete_scheduled_task(&id).await), "v2");
        assert_eq!(who(api.stop_task(&id).await), "v2");
        assert_eq!(who(api.push_reports(std::slice::from_ref(&id)).await), "v2");
        assert_eq!(who(api.prepare_list_push(&list_push()).await), "v2");
        let single = DevicePush {
            template: list_push().template,
            delivery: Default::default(),
            device: crate::getui::api::Device::Alias("a".into()),
            attempt: crate::getui::api::Attempt([0; 16]),
        };
        assert_eq!(who(api.push_to_device(&single).await), "v2");
        assert_eq!(who(api.count_users(&[]).await), "v2");
        assert_eq!(who(api.bind_alias("a", "c").await), "v2");
        assert_eq!(who(api.cids_of_alias("a").await), "v2");
    }
}
