//! Saved plans: written whole, read back equal, refused when stale, and never from a newer
//! gtcamp.

use chrono::Duration;
use chrono_tz::Asia::Shanghai;

use super::fixtures::*;
use crate::compile::{Fingerprint, Timing};
use crate::plan::saved::{self, PlanFileError};
use crate::plan::{Stale, check_fresh, diff};

fn planned() -> (crate::compile::Desired, crate::plan::Plan) {
    let o = occurrence(
        "sale",
        "sale@1",
        now() + Duration::hours(2),
        Shanghai,
        Timing::Schedulable,
        content("a", "b"),
    );
    let desired = desired(vec![campaign("sale", true, Shanghai)], vec![o]);
    let plan = diff(&desired, &empty_state(), None, context());
    (desired, plan)
}

#[test]
fn saved_plan_reads_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let plan = crate::plan::render::tests::every_kind();
    saved::write(&plan, &path).unwrap();
    assert_eq!(saved::read(&path).unwrap(), plan);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "the temporary file was renamed away");
}

#[test]
fn saved_plan_from_a_newer_gtcamp_is_refused_by_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, r#"{"format_version": 2, "something": "new"}"#).unwrap();
    let error = saved::read(&path).unwrap_err();
    assert!(
        matches!(error, PlanFileError::TooNew { found: 2, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("newer gtcamp"), "{error}");
}

#[test]
fn saved_plan_that_is_not_a_plan_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "campaigns: []").unwrap();
    let error = saved::read(&path).unwrap_err();
    assert!(
        error.to_string().contains("is not a gtcamp plan file"),
        "{error}"
    );
}

#[test]
fn fresh_plan_is_accepted() {
    let (desired, plan) = planned();
    assert_eq!(
        check_fresh(
            &plan,
            &empty_state(),
            &desired,
            now(),
            Duration::minutes(10)
        ),
        Ok(())
    );
}

#[test]
fn plan_is_stale_when_state_moved_on() {
    let (desired, plan) = planned();
    let mut state = empty_state();
    state.serial += 1;
    let stale = check_fresh(&plan, &state, &desired, now(), Duration::minutes(10)).unwrap_err();
    assert!(matches!(
        stale,
        Stale::StateChanged {
            planned_serial: 7,
            serial: 8,
            ..
        }
    ));
    assert!(
        stale
            .to_string()
            .contains("the state changed since the plan was made"),
        "{stale}"
    );
}

#[test]
fn plan_is_stale_when_inputs_changed() {
    let (mut desired, plan) = planned();
    desired.input_fingerprint = Fingerprint("inputs-2".into());
    let stale = check_fresh(
        &plan,
        &empty_state(),
        &desired,
        now(),
        Duration::minutes(10),
    )
    .unwrap_err();
    assert_eq!(stale, Stale::InputsChanged);
}

#[test]
fn plan_is_stale_when_a_create_came_inside_the_lead_time() {
    let (desired, plan) = planned();
    let later = now() + Duration::minutes(115);
    let stale = check_fresh(
        &plan,
        &empty_state(),
        &desired,
        later,
        Duration::minutes(10),
    )
    .unwrap_err();
    assert!(
        matches!(&stale, Stale::InsideLeadTime { key, .. } if key.0 == "sale@1"),
        "{stale}"
    );
}

#[test]
fn plan_is_stale_when_a_fire_is_no_longer_due() {
    let due = occurrence(
        "vip",
        "vip@1",
        now() - Duration::minutes(5),
        Shanghai,
        Timing::Due,
        content("a", "b"),
    );
    let mut desired = desired(vec![campaign("vip", true, Shanghai)], vec![due]);
    let plan = diff(&desired, &empty_state(), None, context());
    if let Some(o) = desired.occurrences.values_mut().next() {
        o.timing = Timing::Missed;
    }
    let stale = check_fresh(
        &plan,
        &empty_state(),
        &desired,
        now(),
        Duration::minutes(10),
    )
    .unwrap_err();
    assert!(matches!(stale, Stale::NoLongerDue { .. }), "{stale}");
}
