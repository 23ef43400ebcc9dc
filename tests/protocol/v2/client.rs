//! Every V2 operation against the emulator, over the store legacy uses too.

use serde_json::json;

use gtcamp::getui::api::{
    Combine, Condition, Dimension, ListPush, ListTargets, PhoneBinding, TaskGroupName, TaskId,
    TaskStatus,
};
use gtcamp::getui::v2::Code;
use gtcamp::getui::{Error, PushApi, TaskRead};

use crate::v2::support::{app_push, client, emulator_with, seeded, sent, template};

fn group(name: &str) -> TaskGroupName {
    TaskGroupName::new(name).expect("a short group name")
}

#[tokio::test]
async fn scheduled_push_is_created_read_and_fired() {
    // The clock jumps a day, so the token expires at the emulator: the client re-auths with
    // its own (real) clock, which must stay inside the emulator's sign window.
    let emulator = emulator_with(|c| c.sign_window = chrono::Duration::days(3)).await;
    let client = client(&emulator);
    let push = app_push(&emulator, "spring-0301");
    let id = client.create_scheduled_push(&push).await.expect("created");
    assert!(id.as_str().starts_with("RASA_"), "{id}");

    let task = client.scheduled_task(&id).await.expect("read");
    assert_eq!(task.status, TaskStatus::DoNotSend);
    assert_eq!(task.push_time, Some(push.push_time));
    assert_eq!(task.content.as_deref(), Some("{\"sale\":\"spring\"}"));

    emulator
        .clock()
        .advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
    let fired = client
        .scheduled_task(&id)
        .await
        .expect("read after push time");
    assert_eq!(fired.status, TaskStatus::SendSuccess);
    let body = &emulator
        .recorded_requests()
        .into_iter()
        .find(|r| r.action.as_deref() == Some("v2_push_tag"))
        .expect("the push went to /push/tag")
        .body;
    assert_eq!(
        body["audience"],
        json!({"tag": [{"key": "phone_type", "values": ["android"], "opt_type": "or"}]})
    );
    let at = push.push_time.beijing().expect("a Beijing time");
    assert_eq!(
        body["settings"]["schedule_time"],
        json!(at.timestamp_millis())
    );
}

#[tokio::test]
async fn a_v2_task_is_a_task_of_the_one_store_legacy_reads() {
    let emulator = seeded().await;
    let id = client(&emulator)
        .create_scheduled_push(&app_push(&emulator, "g-shared"))
        .await
        .expect("created");
    let legacy = crate::support::client(&emulator);
    let task = legacy
        .scheduled_task(&id)
        .await
        .expect("read through legacy");
    assert_eq!(task.status, TaskStatus::DoNotSend);
    assert_eq!(task.content.as_deref(), Some("{\"sale\":\"spring\"}"));
}

/// Getui answers a deleted or unknown task with 20001 "taskid is invalid or taskid is
/// deleted" (HTTP 400), on GET and DELETE alike: gtcamp reads that, and only that, as gone.
#[tokio::test]
async fn a_deleted_or_unknown_task_reads_as_gone_by_getuis_own_sentence() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-delete"))
        .await
        .expect("created");
    client.delete_scheduled_task(&id).await.expect("deleted");
    let again = client.delete_scheduled_task(&id).await.unwrap_err();
    assert!(again.means_no_such_task(), "{again:?}");
    let deleted = client.scheduled_task(&id).await.unwrap_err();
    assert_eq!(TaskRead::of(Err(deleted)), TaskRead::Gone);

    let unknown = client
        .scheduled_task(&TaskId("RASA_0101_nope".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(&unknown, Error::V2 { code: Code::InvalidParameter, action, .. } if *action == "GET /task/schedule/{taskid}"),
        "{unknown:?}"
    );
    assert!(
        unknown
            .to_string()
            .ends_with("taskid is invalid or taskid is deleted"),
        "{unknown}"
    );
    assert_eq!(TaskRead::of(Err(unknown)), TaskRead::Gone);
    let status = emulator.recorded_requests().pop().and_then(|r| r.status);
    assert_eq!(status, Some(400));
}

/// 22002 is "task invalid or schedule time invalid": on a read it is no proof the task is
/// gone, and reading it so would create a live push again.
#[tokio::test]
async fn a_22002_on_a_read_proves_nothing() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-22002"))
        .await
        .expect("created");
    emulator.set_faults(
        "answer:22002@v2_task_schedule_get=1"
            .parse()
            .expect("a spec"),
    );
    let read = TaskRead::of(client.scheduled_task(&id).await);
    assert!(matches!(read, TaskRead::Unknown { .. }), "{read:?}");
}

/// Without Getui's VIP feature, a scheduled push is refused with 30002, and the error says
/// which feature.
#[tokio::test]
async fn a_scheduled_push_without_the_vip_feature_names_it() {
    let emulator = emulator_with(|c| c.schedule_feature = false).await;
    let client = client(&emulator);
    let error = client
        .create_scheduled_push(&app_push(&emulator, "g-vip"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::V2 {
                code: Code::FeatureNotEnabled,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.explained().contains(
            "scheduled pushes (`schedule_time`) need Getui's VIP feature, not enabled for this app id"
        ),
        "{}",
        error.explained()
    );
}

/// One case for both backends: a stopped scheduled task never fires.
#[tokio::test]
async fn stopping_a_scheduled_task_keeps_it_from_firing_on_either_protocol() {
    for protocol in ["legacy", "v2"] {
        let emulator = seeded().await;
        let api: Box<dyn PushApi> = match protocol {
            "legacy" => Box::new(crate::support::client(&emulator)),
            _ => Box::new(client(&emulator)),
        };
        let id = api
            .create_scheduled_push(&app_push(&emulator, "g-stop"))
            .await
            .expect("created");
        api.stop_task(&id).await.expect("stopped");
        emulator.clock().advance(chrono::Duration::days(2));
        let task = emulator.snapshot().task(id.as_str()).cloned();
        let task = task.unwrap_or_else(|| panic!("{protocol}: task kept"));
        assert!(task.recipients.is_empty(), "{protocol}: {task:?}");
    }
}

#[tokio::test]
async fn list_pushes_save_a_message_then_reach_cids_or_an_alias() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let targets = [
        (
            ListTargets::Cids(vec!["cid00".into(), "cid01".into()]),
            "v2_push_list_cid",
        ),
        (
            ListTargets::Aliases(vec!["alice".into()]),
            "v2_push_list_alias",
        ),
    ];
    for (index, (targets, route)) in targets.into_iter().enumerate() {
        let outcome = client
            .push_to_list(&ListPush {
                attempt: None,
                template: template(),
                targets: targets.clone(),
                delivery: Default::default(),
                group: Some(group(&format!("g-list-{index}"))),
            })
            .await
            .expect("pushed");
        assert!(outcome.task_id.as_str().starts_with("RASL_"), "{outcome:?}");
        assert_eq!(sent(&emulator, route), 1, "{targets:?}");
        if let ListTargets::Cids(cids) = &targets {
            assert_eq!(
                outcome.details.keys().collect::<Vec<_>>(),
                cids.iter().collect::<Vec<_>>()
            );
        }
    }
    assert_eq!(sent(&emulator, "v2_push_list_message"), 2);
}

#[tokio::test]
async fn user_count_and_alias_calls_answer_from_the_audience() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let vip_android = [
        Condition {
            dimension: Dimension::Tag,
            values: vec!["vip".into()],
            combine: Combine::Any,
        },
        Condition {
            dimension: Dimension::PhoneType,
            values: vec!["ANDROID".into()],
            combine: Combine::Any,
        },
    ];
    assert_eq!(client.count_users(&vip_android).await.expect("counted"), 5);
    client.bind_alias("bob", "cid10").await.expect("bound");
    assert_eq!(
        client.cids_of_alias("bob").await.expect("looked up"),
        ["cid10"]
    );
    let mut alice = client.cids_of_alias("alice").await.expect("looked up");
    alice.sort();
    assert_eq!(alice, ["cid00", "cid01", "cid02"]);
}

#[tokio::test]
async fn the_same_push_twice_is_one_task_by_its_request_id() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let push = app_push(&emulator, "g-twice");
    let first = client.create_scheduled_push(&push).await.expect("created");
    let second = client.create_scheduled_push(&push).await.expect("answered");
    assert_eq!(first, second);
    assert_eq!(sent(&emulator, "v2_push_tag"), 2);
    let in_group = emulator
        .snapshot()
        .tasks
        .iter()
        .filter(|t| t.group.as_deref() == Some("g-twice"))
        .count();
    assert_eq!(in_group, 1);
}

#[tokio::test]
async fn phone_bindings_are_refused_without_a_request() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let pair = PhoneBinding {
        cid: "cid00".into(),
        phone_hash: "0".repeat(32),
    };
    let error = client.bind_phones(&[pair]).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: REST V2 has no cid–pn (phone) binding; give the target a legacy `bindings_endpoint` to bind phones"
    );
    assert!(emulator.recorded_requests().is_empty());
}
