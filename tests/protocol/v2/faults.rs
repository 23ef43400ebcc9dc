//! Every failure path of the V2 client: the token (expiry, renewal, `10001`), host switches
//! (`301`), flow limits, timeouts and lost answers. Creates are never sent twice.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeZone, Utc};

use gtcamp::getui::api::{PreparedPush, TaskStatus};
use gtcamp::getui::v2::Code;
use gtcamp::getui::{Error, PushApi, V2Client};

use crate::v2::support::{
    app_push, client, client_config, emulator_with, faults, now_minute, seeded, sent,
};

const AUTH: &str = "v2_auth";
const READ: &str = "v2_task_schedule_get";
const CREATE: &str = "v2_push_tag";

/// The client clock of the one test that moves it.
static PINNED_MS: AtomicI64 = AtomicI64::new(0);

fn pinned() -> DateTime<Utc> {
    Utc.timestamp_millis_opt(PINNED_MS.load(Ordering::SeqCst))
        .single()
        .expect("a representable instant")
}

#[tokio::test]
async fn the_token_is_renewed_an_hour_before_it_expires_without_a_refusal() {
    let start = now_minute();
    PINNED_MS.store(start.timestamp_millis(), Ordering::SeqCst);
    let emulator = emulator_with(|c| c.token_ttl = chrono::Duration::hours(3)).await;
    let mut config = client_config(&emulator);
    config.clock = pinned;
    let client = V2Client::new(config).expect("the client builds");
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-renew"))
        .await
        .expect("created");
    let step = chrono::Duration::minutes(90);
    emulator.clock().advance(step);
    PINNED_MS.store((start + step).timestamp_millis(), Ordering::SeqCst);
    client.scheduled_task(&id).await.expect("read, same token");
    assert_eq!(sent(&emulator, AUTH), 1);
    emulator.clock().advance(step);
    PINNED_MS.store((start + step * 2).timestamp_millis(), Ordering::SeqCst);
    client.scheduled_task(&id).await.expect("read, new token");
    assert_eq!(sent(&emulator, AUTH), 2);
    let refused = emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.result.as_deref() == Some("10001"))
        .count();
    assert_eq!(refused, 0, "the client renewed before the emulator refused");
}

#[tokio::test]
async fn an_expired_token_is_refused_with_10001_then_renewed_once_and_the_read_resent() {
    let emulator = emulator_with(|c| {
        c.token_ttl = chrono::Duration::hours(2);
        c.sign_window = chrono::Duration::days(1);
    })
    .await;
    let client = client(&emulator);
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-expire"))
        .await
        .expect("created");
    // The client's clock does not move: only the emulator's answer says the token expired.
    emulator.clock().advance(chrono::Duration::hours(3));
    let task = client
        .scheduled_task(&id)
        .await
        .expect("read after re-auth");
    assert_eq!(task.status, TaskStatus::DoNotSend);
    assert_eq!(sent(&emulator, AUTH), 2);
    assert_eq!(sent(&emulator, READ), 2);
}

#[tokio::test]
async fn a_token_refused_again_after_renewal_is_reported_not_renewed_forever() {
    let emulator = seeded().await;
    let client = client(&emulator);
    emulator.set_faults(faults("answer:10001@v2_task_schedule_get=1"));
    let error = client
        .scheduled_task(&gtcamp::getui::api::TaskId("RASA_x".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::V2 {
                code: Code::TokenInvalid,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.advice().contains("GETUI_MASTER_SECRET"),
        "{}",
        error.advice()
    );
    assert_eq!(sent(&emulator, AUTH), 2);
    assert_eq!(sent(&emulator, READ), 2);
}

/// 10002: the app id or the caller's IP is blacklisted. No re-auth helps, and the advice
/// sends the team to Getui, not to its secrets.
#[tokio::test]
async fn a_blacklisted_app_or_ip_is_reported_as_such_not_as_wrong_credentials() {
    let emulator = seeded().await;
    let client = client(&emulator);
    emulator.set_faults(faults("answer:10002@v2_user_count=1"));
    let error = client.count_users(&[]).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::V2 {
                code: Code::Blacklisted,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.refuses_credentials());
    let advice = error.advice();
    assert!(
        advice.contains("blacklisted") && advice.contains("contact Getui"),
        "{advice}"
    );
    assert!(!advice.contains("GETUI_MASTER_SECRET"), "{advice}");
    assert_eq!(sent(&emulator, AUTH), 1, "no re-auth");
    assert_eq!(
        emulator.recorded_requests().pop().and_then(|r| r.status),
        Some(401),
        "1xxxx goes out as HTTP 401"
    );
}

#[tokio::test]
async fn a_wrong_master_secret_is_refused_at_auth() {
    let emulator = seeded().await;
    let mut config = client_config(&emulator);
    config.master_secret = gtcamp::getui::Secret::new("hunter2-secret");
    let client = V2Client::new(config).expect("the client builds");
    let error = client.count_users(&[]).await.unwrap_err();
    assert!(
        matches!(&error, Error::V2Auth { code: Code::InvalidParameter, msg } if msg == "sign is invalid"),
        "{error:?}"
    );
    assert!(error.refuses_credentials());
    assert!(!format!("{error} {error:?}").contains("hunter2"), "{error}");
    assert!(
        error.advice().contains("GETUI_MASTER_SECRET"),
        "{}",
        error.advice()
    );
    assert_eq!(sent(&emulator, "v2_user_count"), 0);
}

#[tokio::test]
async fn a_301_moves_the_client_to_the_host_it_names() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let id = client
        .create_scheduled_push(&app_push(&emulator, "g-301"))
        .await
        .expect("created");
    emulator.set_faults(faults("domain_error@v2_task_schedule_get=0.5,seed=6"));
    for _ in 0..10 {
        client
            .scheduled_task(&id)
            .await
            .expect("read after switching");
    }
    let switched = emulator
        .recorded_requests()
        .iter()
        .any(|r| r.path.starts_with("/v2-alt/"));
    assert!(switched, "some request went to the host the 301 named");
}

/// Reads under faults that refuse or lose some answers all succeed in the end. (A `301`
/// has its own test: a read follows at most three in a row.)
#[tokio::test]
async fn reads_survive_every_fault_that_strikes_half_the_time() {
    for kind in ["reset", "http5xx", "flow_exceeded", "timeout"] {
        let emulator = seeded().await;
        let client = client(&emulator);
        let id = client
            .create_scheduled_push(&app_push(&emulator, "g-reads"))
            .await
            .expect("created");
        emulator.set_faults(faults(&format!("{kind}@v2_task_schedule_get=0.5,seed=3")));
        for _ in 0..4 {
            let task = client.scheduled_task(&id).await;
            assert!(task.is_ok(), "{kind}: {task:?}");
        }
        assert!(sent(&emulator, READ) > 4, "{kind}: some reads were resent");
    }
}

/// What a test expects of an error.
type Expected = fn(&Error) -> bool;

/// Faults on every try: what each read reports once its resends are spent.
#[tokio::test]
async fn reads_failing_every_time_report_their_cause() {
    let cases: [(&str, Expected); 4] = [
        ("timeout", |e| matches!(e, Error::Timeout { .. })),
        ("http5xx", |e| {
            matches!(e, Error::HttpStatus { status: 503, .. })
        }),
        ("flow_exceeded", |e| {
            matches!(
                e,
                Error::V2 {
                    code: Code::FlowLimit,
                    ..
                }
            )
        }),
        ("domain_error", |e| {
            matches!(
                e,
                Error::V2 {
                    code: Code::WrongHost,
                    ..
                }
            )
        }),
    ];
    for (kind, expected) in cases {
        let emulator = seeded().await;
        let client = client(&emulator);
        emulator.set_faults(faults(&format!("{kind}@v2_task_schedule_get=1")));
        let error = client
            .scheduled_task(&gtcamp::getui::api::TaskId("RASA_x".into()))
            .await
            .unwrap_err();
        assert!(expected(&error), "{kind}: {error:?}");
    }
}

/// A create whose answer may be lost is reported as such and never sent again.
#[tokio::test]
async fn creates_that_may_have_left_are_outcome_unknown_and_sent_once() {
    for kind in ["timeout", "commit_drop", "http5xx", "reset"] {
        let emulator = seeded().await;
        let client = client(&emulator);
        emulator.set_faults(faults(&format!("{kind}@{CREATE}=1")));
        let error = client
            .create_scheduled_push(&app_push(&emulator, "g-lost"))
            .await
            .unwrap_err();
        assert!(error.outcome_unknown(), "{kind}: {error:?}");
        assert_eq!(sent(&emulator, CREATE), 1, "{kind}");
    }
}

#[tokio::test]
async fn a_create_whose_answer_was_dropped_is_sent_again_under_its_request_id_and_made_once() {
    let emulator = seeded().await;
    let client = client(&emulator);
    let push = app_push(&emulator, "g-commit-drop");
    let prepared = client.prepare_scheduled_push(&push).await.expect("named");
    assert!(
        matches!(&prepared, PreparedPush::Request(id) if id.len() == 32),
        "{prepared:?}"
    );
    emulator.set_faults(faults(&format!("commit_drop@{CREATE}=1")));
    let error = client
        .send_scheduled_push(&push, &prepared)
        .await
        .unwrap_err();
    assert!(error.outcome_unknown(), "{error:?}");
    emulator.set_faults(faults(""));
    let task = client
        .send_scheduled_push(&push, &prepared)
        .await
        .expect("the repeat is answered");
    let read = client.scheduled_task(&task).await.expect("read back");
    assert_eq!(read.status, TaskStatus::DoNotSend);
    assert_eq!(read.push_time, Some(push.push_time));
    assert_eq!(sent(&emulator, CREATE), 2);
    let made = emulator
        .snapshot()
        .tasks
        .iter()
        .filter(|t| t.group.as_deref() == Some("g-commit-drop"))
        .count();
    assert_eq!(made, 1, "Getui drops the repeat");
}

#[tokio::test]
async fn creates_refused_by_a_flow_limit_are_resent_and_land_once() {
    let emulator = seeded().await;
    let client = client(&emulator);
    emulator.set_faults(faults(&format!("flow_exceeded@{CREATE}=0.5,seed=7")));
    for index in 0..4 {
        client
            .create_scheduled_push(&app_push(&emulator, &format!("g-flow-{index}")))
            .await
            .expect("created after backing off");
    }
    let landed = emulator
        .recorded_requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some(CREATE) && r.result.as_deref() == Some("0"))
        .count();
    assert_eq!(landed, 4);
}

#[tokio::test]
async fn a_create_refused_before_sending_is_a_transport_error() {
    // Nothing listens on port 9 of the loopback: the connection is refused.
    let emulator = seeded().await;
    let mut config = client_config(&emulator);
    config.endpoint = "http://127.0.0.1:9/v2".into();
    let client = V2Client::new(config).expect("the client builds");
    let error = client
        .create_scheduled_push(&app_push(&emulator, "g-refused"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}
