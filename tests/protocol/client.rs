//! The legacy client against the emulator: every operation, and every failure path the
//! client must survive or report (auth, expired token, host switch, flow control, timeouts,
//! dropped answers, limits).

use std::time::Duration;

use serde_json::json;

use gtcamp::emulator::{Clock, EmulatorConfig, FaultSpec, RunningEmulator};
use gtcamp::getui::api::{
    Combine, Condition, Delivery, Dimension, ListPush, ListTargets, PhoneBinding, PreparedPush,
    TaskGroupName, TaskId, TaskStatus,
};
use gtcamp::getui::{
    CidPnCode, Error, LegacyClient, LegacyConfig, PushApi, ResultCode, Secret, phone_hash,
};

use crate::support::{
    actions_sent, app_push, client, client_config, emulator, faults, now_minute, seeded, stub,
    template, users,
};

#[tokio::test]
async fn scheduled_push_is_created_read_and_fired_as_the_task_of_its_saved_content() {
    // The clock jumps a day, so the token expires and the reconnect's timestamp (real time)
    // must still fall inside the emulator's sign window.
    let emulator = emulator(EmulatorConfig {
        users: users(),
        clock: Clock::manual(now_minute()),
        sign_window: chrono::Duration::days(3),
        ..EmulatorConfig::default()
    })
    .await;
    let client = client(&emulator);
    let push = app_push(&emulator, "spring-0301");
    let prepared = client.prepare_scheduled_push(&push).await.expect("saved");
    let PreparedPush::Task(content_id) = &prepared else {
        panic!("legacy prepares a content id: {prepared:?}")
    };
    // Saved content is not a scheduled task until it is pushed.
    let unsent = client.scheduled_task(content_id).await.unwrap_err();
    assert!(unsent.means_no_such_task(), "{unsent:?}");
    let id = client
        .send_scheduled_push(&push, &prepared)
        .await
        .expect("created");
    assert!(id.as_str().starts_with("OSA-"), "{id}");
    assert_eq!(&id, content_id, "the task id is the content id");

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
        .find(|r| r.action.as_deref() == Some("getContentIdAction"))
        .expect("getContentId was sent")
        .body;
    assert_eq!(body["contentType"], json!(2));
    assert_eq!(body["pushTime"], json!(push.push_time.wire()));
    assert_eq!(
        body["conditions"],
        json!([{"key": "phoneType", "values": ["ANDROID"], "optType": 0}])
    );
}

#[tokio::test]
async fn deleted_scheduled_task_reads_as_has_delete() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-delete"))
        .await
        .expect("created");
    client.delete_scheduled_task(&id).await.expect("deleted");
    let task = client.scheduled_task(&id).await.expect("read");
    assert_eq!(task.status, TaskStatus::HasDelete);
}

#[tokio::test]
async fn unknown_task_is_an_api_error_with_its_meaning() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let error = client
        .scheduled_task(&TaskId("OSA-0101_nope".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api { code: ResultCode::NullMsgCommon, action } if *action == "getScheduleTaskAction"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "Getui answered `getScheduleTaskAction` with result `NullMsgCommon`: there is no task with this id"
    );
}

#[tokio::test]
async fn list_push_to_cids_is_gzipped_and_reports_each_cid() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let outcome = client
        .push_to_list(&ListPush {
            attempt: None,
            template: template(),
            targets: ListTargets::Cids(vec!["cid00".into(), "cid01".into()]),
            delivery: Delivery::default(),
            group: None,
        })
        .await
        .expect("pushed");
    assert!(outcome.task_id.as_str().starts_with("OSL-"), "{outcome:?}");
    assert_eq!(
        outcome.details.get("cid00").map(String::as_str),
        Some("successed_online")
    );
    assert_eq!(
        outcome.details.get("cid01").map(String::as_str),
        Some("successed_offline")
    );
    let list = emulator
        .recorded_requests()
        .into_iter()
        .find(|r| r.action.as_deref() == Some("pushMessageToListAction"))
        .expect("the list push was sent");
    assert!(list.gzip, "list pushes are gzipped");
    let snapshot = emulator.snapshot();
    assert_eq!(snapshot.list_pushes.len(), 1);
    assert_eq!(snapshot.list_pushes[0].delivered_to, vec!["cid00", "cid01"]);
}

#[tokio::test]
async fn list_push_to_an_alias_reaches_its_cids() {
    let emulator = seeded().await;
    let client = client(&emulator);
    client
        .push_to_list(&ListPush {
            attempt: None,
            template: template(),
            targets: ListTargets::Aliases(vec!["alice".into()]),
            delivery: Delivery::default(),
            group: None,
        })
        .await
        .expect("pushed");
    let snapshot = emulator.snapshot();
    assert_eq!(snapshot.list_pushes[0].aliases, vec!["alice"]);
    assert_eq!(
        snapshot.list_pushes[0].delivered_to,
        vec!["cid00", "cid01", "cid02"]
    );
}

#[tokio::test]
async fn fifty_one_phone_bindings_go_out_as_fifty_and_one() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let pairs: Vec<PhoneBinding> = (0..51)
        .map(|i| PhoneBinding {
            cid: format!("cid{i:02}"),
            phone_hash: phone_hash(&format!("1380000{i:04}")),
        })
        .collect();
    let results = client.bind_phones(&pairs).await.expect("bound");
    assert_eq!(results.len(), 51);
    assert!(
        results.iter().all(|r| r.code == CidPnCode::Success),
        "{results:?}"
    );
    let sizes: Vec<usize> = emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some("bind_cid_pn"))
        .map(|r| r.body["cidpnlist"].as_object().map_or(0, |m| m.len()))
        .collect();
    assert_eq!(sizes, vec![50, 1]);
    assert_eq!(
        emulator.snapshot().bindings.get("cid50"),
        Some(&phone_hash("13800000050"))
    );

    let cids: Vec<String> = vec!["cid00".into(), "cid59".into()];
    let queried = client.query_phones(&cids).await.expect("queried");
    assert_eq!(queried[0].code, CidPnCode::Success);
    assert_eq!(
        queried[0].phone_hash.as_deref(),
        Some(phone_hash("13800000000").as_str())
    );
    assert_eq!(queried[1].phone_hash, None);
    assert_eq!(queried[1].code, CidPnCode::NoPnBound);

    let unbound = client.unbind_phones(&cids[..1]).await.expect("unbound");
    assert_eq!(unbound[0].code, CidPnCode::Success);
    assert!(!emulator.snapshot().bindings.contains_key("cid00"));
}

#[tokio::test]
async fn clear_phone_numbers_are_refused_before_sending() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let error = client
        .bind_phones(&[PhoneBinding {
            cid: "cid00".into(),
            phone_hash: "13800000000".into(),
        }])
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(!error.to_string().contains("13800000000"), "{error}");
    assert_eq!(actions_sent(&emulator, "bind_cid_pn"), 0);
}

#[tokio::test]
async fn user_count_and_alias_lookups_answer_from_the_audience() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let count = client
        .count_users(&[Condition {
            dimension: Dimension::Tag,
            values: vec!["vip".into()],
            combine: Combine::Any,
        }])
        .await
        .expect("counted");
    assert_eq!(count, 10);

    client.bind_alias("bob", "cid40").await.expect("bound");
    assert_eq!(
        client.cids_of_alias("bob").await.expect("queried"),
        vec!["cid40"]
    );
    assert_eq!(
        client.cids_of_alias("alice").await.expect("queried"),
        vec!["cid00", "cid01", "cid02"]
    );
}

#[tokio::test]
async fn wrong_master_secret_is_an_auth_error() {
    let emulator = seeded().await;
    let mut config = client_config(&emulator);
    config.master_secret = Secret::new("not-the-secret");
    let client = LegacyClient::new(config).expect("builds");
    let error = client
        .scheduled_task(&TaskId("OSA-x".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                code: ResultCode::SignError
            }
        ),
        "{error:?}"
    );
    assert!(!error.to_string().contains("not-the-secret"), "{error}");
}

#[tokio::test]
async fn expired_token_reconnects_once_and_resends() {
    let emulator = emulator(EmulatorConfig {
        users: users(),
        clock: Clock::manual(now_minute()),
        token_ttl: chrono::Duration::minutes(1),
        ..EmulatorConfig::default()
    })
    .await;
    let client = client(&emulator);
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-token"))
        .await
        .expect("created");
    emulator.clock().advance(chrono::Duration::minutes(2));
    client
        .scheduled_task(&id)
        .await
        .expect("read after reconnect");
    let reads: Vec<Option<String>> = emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some("getScheduleTaskAction"))
        .map(|r| r.result.clone())
        .collect();
    assert_eq!(reads, vec![Some("sign_error".into()), Some("ok".into())]);
    assert_eq!(actions_sent(&emulator, "connect"), 2);
}

#[tokio::test]
async fn domain_error_moves_the_client_to_the_host_it_names() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-domain"))
        .await
        .expect("created");
    emulator.set_faults(faults("domain_error@getScheduleTaskAction=0.5,seed=6"));
    let task = client
        .scheduled_task(&id)
        .await
        .expect("read on the host the domain_error named");
    assert_eq!(task.id, id);
    client
        .count_users(&[])
        .await
        .expect("counted on the new host");
    let sent: Vec<(String, String, Option<String>)> = emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.action.as_deref() != Some("connect"))
        .skip_while(|r| r.action.as_deref() != Some("getScheduleTaskAction"))
        .map(|r| {
            let action = r.action.clone().unwrap_or_default();
            (r.path.clone(), action, r.result.clone())
        })
        .collect();
    let expected = [
        ("/apiex.htm", "getScheduleTaskAction", "domain_error"),
        ("/serviceex", "getScheduleTaskAction", "ok"),
        ("/serviceex", "queryUserCount", "ok"),
    ]
    .map(|(path, action, result)| (path.to_owned(), action.to_owned(), Some(result.to_owned())));
    assert_eq!(
        sent, expected,
        "the dice with seed 6 should hit the first read only; pick another seed if not"
    );
}

#[tokio::test]
async fn domain_error_on_every_host_surfaces_as_an_api_error() {
    let emulator = seeded().await;
    let client = client(&emulator);
    emulator.set_faults(faults("domain_error@getScheduleTaskAction=1"));
    let error = client
        .scheduled_task(&TaskId("OSA-x".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Api {
                code: ResultCode::DomainError,
                ..
            }
        ),
        "{error:?}"
    );
    let paths: Vec<String> = emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some("getScheduleTaskAction"))
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        paths,
        ["/apiex.htm", "/serviceex", "/apiex.htm", "/serviceex"],
        "1 try + 3 host switches, each to the URL the answer named"
    );
}

#[tokio::test]
async fn flow_exceeded_backs_off_and_then_succeeds() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-flow"))
        .await
        .expect("created");
    emulator.set_faults(faults("flow_exceeded@getScheduleTaskAction=0.5,seed=7"));
    let mut config = client_config(&emulator);
    config.retry.max_retries = 20;
    let patient = LegacyClient::new(config).expect("builds");
    for _ in 0..8 {
        patient
            .scheduled_task(&id)
            .await
            .expect("read despite flow control");
    }
    let refused = emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.result.as_deref() == Some("flow_exceeded"))
        .count();
    assert!(
        refused > 0,
        "the dice never refused a read; pick another seed"
    );
    drop(client);
}

#[tokio::test]
async fn flow_exceeded_on_every_try_surfaces_as_an_api_error() {
    let emulator = seeded().await;
    let client = client(&emulator);
    emulator.set_faults(faults("flow_exceeded@getScheduleTaskAction=1"));
    let error = client
        .scheduled_task(&TaskId("OSA-x".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Api {
                code: ResultCode::FlowExceeded,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        actions_sent(&emulator, "getScheduleTaskAction"),
        9,
        "1 try + 8 read retries"
    );
}

/// A client of `emulator` that waits 300 ms for an answer and retries a safe request once.
fn impatient(emulator: &RunningEmulator) -> LegacyClient {
    let mut config = client_config(emulator);
    config.retry.timeout = Duration::from_millis(300);
    config.retry.max_retries = 1;
    config.retry.read_retries = 1;
    LegacyClient::new(config).expect("builds")
}

#[tokio::test]
async fn read_that_times_out_is_retried_then_reported_as_timeout() {
    let emulator = seeded().await;
    let client = impatient(&emulator);
    emulator.set_faults(faults("timeout@getScheduleTaskAction=1"));
    let error = client
        .scheduled_task(&TaskId("OSA-x".into()))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(
        actions_sent(&emulator, "getScheduleTaskAction"),
        2,
        "1 try + 1 retry"
    );
}

#[tokio::test]
async fn create_that_times_out_is_outcome_unknown_and_sent_once() {
    let emulator = seeded().await;
    let client = impatient(&emulator);
    emulator.set_faults(faults("timeout@pushMessageToAppAction=1"));
    let error = client
        .create_scheduled_push(&app_push(&emulator, "g-timeout"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::OutcomeUnknown { action, .. } if *action == "pushMessageToAppAction"),
        "{error:?}"
    );
    assert_eq!(actions_sent(&emulator, "pushMessageToAppAction"), 1);
}

#[tokio::test]
async fn saving_content_that_times_out_is_sent_again_and_nothing_is_pushed() {
    // Saved content reaches no one until a push names it: saving it twice is safe.
    let emulator = seeded().await;
    let client = impatient(&emulator);
    emulator.set_faults(faults("timeout@getContentIdAction=1"));
    let error = client
        .create_scheduled_push(&app_push(&emulator, "g-timeout"))
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(
        actions_sent(&emulator, "getContentIdAction"),
        2,
        "1 try + 1 retry"
    );
    assert_eq!(actions_sent(&emulator, "pushMessageToAppAction"), 0);
}

#[tokio::test]
async fn create_under_the_emulators_timeout_fault_is_outcome_unknown() {
    let emulator = seeded().await;
    let mut config = client_config(&emulator);
    config.retry.timeout = Duration::from_millis(300);
    let client = LegacyClient::new(config).expect("builds");
    emulator.set_faults(faults("timeout@pushMessageToAppAction=1"));
    let error = client
        .create_scheduled_push(&app_push(&emulator, "g-timeout"))
        .await
        .unwrap_err();
    assert!(error.outcome_unknown(), "{error:?}");
}

#[tokio::test]
async fn commit_then_drop_is_outcome_unknown_never_resent_and_read_by_its_content_id() {
    let emulator = seeded().await;
    let client = client(&emulator);
    emulator.set_faults(faults("commit_drop@pushMessageToAppAction=1"));
    let push = app_push(&emulator, "g-drop");
    let prepared = client.prepare_scheduled_push(&push).await.expect("saved");
    let error = client
        .send_scheduled_push(&push, &prepared)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::OutcomeUnknown { action, .. } if *action == "pushMessageToAppAction"),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("it was not sent again"),
        "{error}"
    );
    assert_eq!(actions_sent(&emulator, "pushMessageToAppAction"), 1);
    assert_eq!(actions_sent(&emulator, "getContentIdAction"), 1);

    emulator.set_faults(FaultSpec::default());
    let PreparedPush::Task(content_id) = &prepared else {
        panic!("legacy prepares a content id: {prepared:?}")
    };
    let task = client.scheduled_task(content_id).await.expect("read");
    assert_eq!(task.status, TaskStatus::DoNotSend);
    // Pushing the same content id again cannot make a second task.
    let again = client.send_scheduled_push(&push, &prepared).await;
    assert!(again.is_err(), "{again:?}");
    let scheduled = emulator
        .snapshot()
        .tasks
        .iter()
        .filter(|t| t.status.wire_name() == "do_not_send")
        .count();
    assert_eq!(scheduled, 1);
}

#[tokio::test]
async fn reads_survive_resets_and_server_errors() {
    let emulator = seeded().await;
    let mut config = client_config(&emulator);
    config.retry.max_retries = 20;
    let client = LegacyClient::new(config).expect("builds");
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-reset"))
        .await
        .expect("created");
    emulator.set_faults(faults(
        "reset@getScheduleTaskAction=0.3,http5xx@getScheduleTaskAction=0.3,seed=3",
    ));
    for _ in 0..6 {
        client
            .scheduled_task(&id)
            .await
            .expect("read despite faults");
    }
    let faulted = emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    assert!(faulted > 0, "no fault was injected; pick another seed");
}

#[tokio::test]
async fn create_refused_before_sending_is_a_transport_error_not_unknown() {
    let emulator = seeded().await;
    let client = client(&emulator);
    client.count_users(&[]).await.expect("session set up");
    let push = app_push(&emulator, "g-refused");
    emulator.shutdown().await;
    let error = client.create_scheduled_push(&push).await.unwrap_err();
    assert!(
        matches!(&error, Error::Transport { action, .. } if *action == "getContentIdAction"),
        "{error:?}"
    );
}

#[tokio::test]
async fn body_over_25_kb_is_refused_before_sending() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let mut push = app_push(&emulator, "g-big");
    push.template.transmission_content = "x".repeat(26 * 1024);
    let error = client.create_scheduled_push(&push).await.unwrap_err();
    assert!(
        matches!(error, Error::BodyTooLarge { limit: 25600, .. }),
        "{error:?}"
    );
    assert_eq!(actions_sent(&emulator, "getContentIdAction"), 0);
}

#[tokio::test]
async fn group_name_over_40_characters_is_refused() {
    let error = TaskGroupName::new("g".repeat(41)).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "invalid request: a task group name must have 1 to 40 characters; `{}` has 41",
            "g".repeat(41)
        )
    );
}

#[tokio::test]
async fn secrets_and_tokens_never_show_in_debug_or_errors() {
    const SECRET: &str = "master-secret-7f3a";
    const TOKEN: &str = "auth-token-91bc";
    let server = stub(|own, body| match body["action"].as_str() {
        Some("getOSPushDomailUrlListAction") => json!({"result": "ok", "osList": [own]}),
        Some("connect") => json!({"result": "success", "authtoken": TOKEN}),
        _ => json!({"result": "AppidNoMatchAppKey"}),
    })
    .await;
    let config = LegacyConfig::new(&server.url, "app", "key", Secret::new(SECRET));
    let client = LegacyClient::new(config.clone()).expect("builds");
    let api_error = client
        .scheduled_task(&TaskId("OSA-x".into()))
        .await
        .unwrap_err();
    let mut printed = vec![
        format!("{client:?}"),
        format!("{config:?}"),
        format!("{api_error:?} {api_error}"),
    ];
    let variants = [
        Error::Api {
            action: "a",
            code: ResultCode::SignError,
        },
        Error::Auth {
            code: ResultCode::SignError,
        },
        Error::Transport {
            action: "a",
            reason: "r".into(),
        },
        Error::Timeout {
            action: "a",
            timeout: Duration::from_secs(1),
        },
        Error::OutcomeUnknown {
            action: "a",
            reason: "r".into(),
        },
        Error::BodyTooLarge {
            action: "a",
            bytes: 1,
            limit: 0,
        },
        Error::HttpStatus {
            action: "a",
            status: 503,
        },
        Error::BadResponse {
            action: "a",
            reason: "r".into(),
        },
        Error::NoHosts {
            host: "h".into(),
            code: ResultCode::Error,
        },
        Error::InvalidRequest { reason: "r".into() },
    ];
    printed.extend(variants.iter().map(|e| format!("{e:?} {e}")));
    for text in &printed {
        assert!(!text.contains(SECRET), "secret printed: {text}");
        assert!(!text.contains(TOKEN), "token printed: {text}");
    }
    assert!(printed[1].contains("***"), "{}", printed[1]);
}

#[tokio::test]
async fn create_answered_with_http_503_is_outcome_unknown_and_not_resent() {
    let emulator = seeded().await;
    let client = client(&emulator);
    emulator.set_faults(faults("http5xx@pushMessageToAppAction=1"));
    let error = client
        .create_scheduled_push(&app_push(&emulator, "g-503"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::OutcomeUnknown { action, .. } if *action == "pushMessageToAppAction"),
        "{error:?}"
    );
    assert_eq!(actions_sent(&emulator, "pushMessageToAppAction"), 1);
}

#[tokio::test]
async fn alias_calls_accept_the_true_convention_and_refuse_false() {
    let server = stub(|own, body| match body["action"].as_str() {
        Some("getOSPushDomailUrlListAction") => json!({"result": "ok", "osList": [own]}),
        Some("connect") => json!({"result": "success", "authtoken": "t"}),
        Some("alias_bind") if body["cid"] == "good" => json!({"result": "true"}),
        Some("alias_bind") => {
            json!({"result": "false", "error_code": "20001", "error_msg": "cid unknown"})
        }
        Some("alias_query") => json!({"result": "true", "cidlist": ["c1", "c2"]}),
        _ => json!({"result": "Error"}),
    })
    .await;
    let client = LegacyClient::new(LegacyConfig::new(
        &server.url,
        "app",
        "key",
        Secret::new("s"),
    ))
    .expect("builds");
    client
        .bind_alias("a", "good")
        .await
        .expect("`true` is success");
    let error = client.bind_alias("a", "bad").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Api {
                code: ResultCode::False,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        client.cids_of_alias("a").await.expect("queried"),
        vec!["c1", "c2"]
    );
    let bind = server.actions.lock().map(|a| a.len()).unwrap_or(0);
    assert!(
        bind >= 4,
        "bootstrap, connect and the alias calls were sent"
    );
}

#[tokio::test]
async fn reads_stop_retrying_when_the_runs_budget_is_spent_and_say_so() {
    let emulator = seeded().await;
    let mut config = client_config(&emulator);
    config.retry.read_budget = 2;
    let client = LegacyClient::new(config).expect("builds");
    emulator.set_faults(faults("http5xx@getScheduleTaskAction=1"));
    let error = client
        .scheduled_task(&TaskId("OSA-x".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::RetriesSpent { budget: 2, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("this run's 2 read retries are spent"),
        "{error}"
    );
    assert_eq!(
        actions_sent(&emulator, "getScheduleTaskAction"),
        3,
        "1 try + the budget"
    );
    // The budget is the run's: a second read gets no retry at all.
    let again = client
        .scheduled_task(&TaskId("OSA-y".into()))
        .await
        .unwrap_err();
    assert!(matches!(again, Error::RetriesSpent { .. }), "{again:?}");
    assert_eq!(actions_sent(&emulator, "getScheduleTaskAction"), 4);
}
