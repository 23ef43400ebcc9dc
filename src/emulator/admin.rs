//! The admin API under `/_emulator/`: what tests and `gtcamp emulator` users read and steer
//! from outside the protocol (the request log, the store, the tasks of a group, a task's
//! deliveries by channel, the clock, the faults).
//!
//! Views Getui itself lacks live here and nowhere in the protocol: the tasks of a task group,
//! for one, which Getui's group report never lists. gtcamp itself never calls this API, so
//! nothing it decides can rest on them.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::clock::{Clock, ClockOutOfRange};
use super::commit::{read_store, snapshot};
use super::faults::{FaultDice, FaultSpec, Latency};
use super::shared::{Shared, lock};
use super::store::{Deliveries, Task, TaskKind, TaskStatus};

/// The admin routes; the protocol endpoint is the fallback the server adds.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/requests", get(requests))
        .route("/_emulator/state", get(state))
        .route("/_emulator/groups/{name}", get(group))
        .route("/_emulator/deliveries/{task_id}", get(deliveries))
        .route("/_emulator/clock", get(clock).post(set_clock))
        .route("/_emulator/faults", get(faults).post(set_faults))
}

async fn requests(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(shared.recorder.requests()).into_response()
}

async fn state(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(snapshot(&shared)).into_response()
}

/// The tasks of a task group, for people debugging a sandbox.
#[derive(Serialize)]
struct GroupView {
    group: String,
    /// In creation order, saved and deleted ones included.
    tasks: Vec<GroupTaskView>,
}

#[derive(Serialize)]
struct GroupTaskView {
    task_id: String,
    kind: TaskKind,
    status: TaskStatus,
    push_time: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl GroupTaskView {
    fn of(task: &Task) -> GroupTaskView {
        GroupTaskView {
            task_id: task.id.clone(),
            kind: task.kind,
            status: task.status,
            push_time: task.push_time,
            created_at: task.created_at,
        }
    }
}

async fn group(State(shared): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    let tasks = read_store(&shared, |store| {
        store
            .tasks
            .iter()
            .filter(|task| task.group.as_deref() == Some(name.as_str()))
            .map(GroupTaskView::of)
            .collect()
    });
    axum::Json(GroupView { group: name, tasks }).into_response()
}

#[derive(Serialize)]
struct DeliveriesView {
    task_id: String,
    status: TaskStatus,
    deliveries: Deliveries,
}

/// How a task's pushes went, device by device, summed by channel and reason (see
/// `delivery`): what the makers' caps and hours did to it, which Getui's own answers never
/// say per task. 404 for a task the store does not have.
async fn deliveries(State(shared): State<Arc<Shared>>, Path(task_id): Path<String>) -> Response {
    let found = read_store(&shared, |store| {
        store
            .task(&task_id)
            .map(|task| (task.status, task.deliveries.clone()))
    });
    match found {
        Some((status, deliveries)) => axum::Json(DeliveriesView {
            task_id,
            status,
            deliveries,
        })
        .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": format!("no task `{task_id}`")})),
        )
            .into_response(),
    }
}

async fn clock(State(shared): State<Arc<Shared>>) -> Response {
    clock_view(&shared.clock)
}

fn clock_view(clock: &Clock) -> Response {
    axum::Json(json!({"now": clock.now().to_rfc3339(), "manual": clock.is_manual()}))
        .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    set: Option<DateTime<Utc>>,
    advance_secs: Option<i64>,
}

async fn set_clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let change: ClockChange = match serde_json::from_slice(&body) {
        Ok(change) => change,
        Err(e) => {
            return admin_error(format!(
                "expected {{\"set\": \"<rfc3339>\"}} or {{\"advance_secs\": N}}: {e}"
            ));
        }
    };
    if let Some(at) = change.set {
        shared.clock.set(at);
    }
    if let Some(secs) = change.advance_secs {
        let moved = chrono::Duration::try_seconds(secs).ok_or(ClockOutOfRange);
        if let Err(e) = moved.and_then(|by| shared.clock.try_advance(by)) {
            return admin_error(e.to_string());
        }
    }
    clock_view(&shared.clock)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultChange {
    faults: Option<String>,
    latency: Option<String>,
}

async fn faults(State(shared): State<Arc<Shared>>) -> Response {
    faults_view(&shared)
}

fn faults_view(shared: &Shared) -> Response {
    let faults = lock(&shared.faults);
    axum::Json(json!({
        "faults": faults.dice.spec().to_string(),
        "latency": faults.latency.to_string(),
    }))
    .into_response()
}

async fn set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let change: FaultChange = match serde_json::from_slice(&body) {
        Ok(change) => change,
        Err(e) => {
            return admin_error(format!(
                "expected {{\"faults\": \"SPEC\", \"latency\": \"50ms\"}}: {e}"
            ));
        }
    };
    let spec = match change
        .faults
        .as_deref()
        .map(str::parse::<FaultSpec>)
        .transpose()
    {
        Ok(spec) => spec,
        Err(e) => return admin_error(e.to_string()),
    };
    let latency = match change
        .latency
        .as_deref()
        .map(str::parse::<Latency>)
        .transpose()
    {
        Ok(latency) => latency,
        Err(e) => return admin_error(e.to_string()),
    };
    {
        let mut faults = lock(&shared.faults);
        if let Some(spec) = spec {
            faults.dice = FaultDice::new(spec);
        }
        if let Some(latency) = latency {
            faults.latency = latency;
        }
    }
    faults_view(&shared)
}

fn admin_error(message: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": message})),
    )
        .into_response()
}
