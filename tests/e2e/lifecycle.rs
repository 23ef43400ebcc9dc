//! A campaign's life: created, left alone, edited, disabled, removed, drifted, sent; on
//! both backends.

use chrono::Duration;
use gtcamp::emulator::TaskStatus;
use gtcamp::getui::PushApi;
use gtcamp::getui::api::TaskId;

use crate::harness::{Call, World, daily, devices, on_both_backends, one_off};

const PROMO_AT: &str = "2030-01-09T12:00:00+08:00";

on_both_backends! {
    fn fresh_apply_creates_the_task_and_a_second_plan_reports_no_changes(backend) {
        let world = World::on(backend, devices(3));
        world.write("promo.yaml", &one_off("promo", PROMO_AT, "Sale today"));
        let plan = world.plan().expect(2);
        assert!(
            plan.stdout
                .contains("Plan: 1 to create, 0 to replace, 0 to cancel"),
            "{}",
            plan.stdout
        );
        assert!(plan.stderr.contains("Target: emu ("), "{}", plan.stderr);
        world.apply().expect(0);
        let waiting = world.waiting();
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].push_time_text.as_deref(), Some("203001091200"));
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn editing_the_text_replaces_the_task_cancelling_the_old_one_first(backend) {
        let world = World::on(backend, devices(3));
        world.write("promo.yaml", &one_off("promo", PROMO_AT, "Sale today"));
        world.apply().expect(0);
        let old = world.waiting().remove(0);
        world.write(
            "promo.yaml",
            &one_off("promo", PROMO_AT, "Bigger sale today"),
        );
        let plan = world.plan().expect(2);
        assert!(plan.stdout.contains("1 to replace"), "{}", plan.stdout);
        assert!(plan.stdout.contains("Bigger sale today"), "{}", plan.stdout);
        world.apply().expect(0);
        let snapshot = world.snapshot();
        assert_eq!(
            snapshot.task(&old.id).map(|t| t.status),
            Some(TaskStatus::HasDelete)
        );
        let waiting = world.waiting();
        assert_eq!(waiting.len(), 1);
        assert_ne!(waiting[0].id, old.id);
        let actions: Vec<String> = world
            .emulator()
            .recorded_requests()
            .into_iter()
            .filter_map(|r| r.action)
            .collect();
        let is = |call: Call, action: &String| backend.names(call).contains(&action.as_str());
        let delete = actions.iter().position(|a| is(Call::DeleteScheduled, a));
        let last_create = actions.iter().rposition(|a| is(Call::CreateAppPush, a));
        assert!(delete.is_some() && delete < last_create, "{actions:?}");
        world.assert_no_duplicates();
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn removing_a_campaign_cancels_its_task(backend) {
        let world = World::on(backend, devices(3));
        world.write("promo.yaml", &one_off("promo", PROMO_AT, "Sale today"));
        world.apply().expect(0);
        world.remove("promo.yaml");
        let plan = world.plan().expect(2);
        assert!(plan.stdout.contains("1 to cancel"), "{}", plan.stdout);
        world.apply().expect(0);
        assert!(world.waiting().is_empty());
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn disabling_a_recurring_campaign_cancels_its_future_tasks(backend) {
        let world = World::on(backend, devices(3));
        world.write("daily.yaml", &daily("daily", "News", true));
        world.apply().expect(0);
        let created = world.waiting().len();
        assert!(created >= 6, "a week of daily pushes, found {created}");
        world.write("daily.yaml", &daily("daily", "News", false));
        let plan = world.plan().expect(2);
        assert!(
            plan.stdout.contains(&format!("{created} to cancel")),
            "{}",
            plan.stdout
        );
        world.apply().expect(0);
        assert!(world.waiting().is_empty());
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn task_deleted_out_of_band_is_shown_as_drift_and_recreated(backend) {
        let world = World::on(backend, devices(3));
        world.write("promo.yaml", &one_off("promo", PROMO_AT, "Sale today"));
        world.apply().expect(0);
        let old = world.waiting().remove(0);
        let client = world.client();
        world
            .runtime
            .block_on(client.delete_scheduled_task(&TaskId(old.id.clone())))
            .expect("deleted out of band");
        let plan = world.plan().expect(2);
        assert!(plan.stdout.contains("1 to create"), "{}", plan.stdout);
        assert!(
            plan.stdout.to_lowercase().contains("deleted"),
            "{}",
            plan.stdout
        );
        world.apply().expect(0);
        let waiting = world.waiting();
        assert_eq!(waiting.len(), 1);
        assert_ne!(waiting[0].id, old.id);
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn a_sent_occurrence_moves_to_history_and_status_shows_it(backend) {
        let world = World::on(backend, devices(3));
        world.write("promo.yaml", &one_off("promo", PROMO_AT, "Sale today"));
        world.apply().expect(0);
        world.advance(Duration::days(3));
        world.apply().expect(0);
        let state = world.state();
        assert_eq!(state["tasks"].as_object().map(|t| t.len()), Some(0));
        let history = state["history"].as_array().cloned().unwrap_or_default();
        assert_eq!(history.len(), 1, "{state}");
        assert_eq!(history[0]["key"], "promo@2030-01-09T12:00+08:00");
        let status = world.run(&["status"]).expect(0);
        assert!(
            status
                .stdout
                .contains("promo@2030-01-09T12:00+08:00  sent (task ")
                && status.stdout.contains("Getui says sent"),
            "{}",
            status.stdout
        );
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn recurring_horizon_rolls_forward_as_the_clock_advances(backend) {
        let world = World::on(backend, devices(3));
        world.write("daily.yaml", &daily("daily", "News", true));
        world.apply().expect(0);
        let first: Vec<String> = world
            .waiting()
            .iter()
            .filter_map(|t| t.push_time_text.clone())
            .collect();
        let last = first.iter().max().cloned().unwrap_or_default();
        world.advance(Duration::days(2));
        let plan = world.plan().expect(2);
        assert!(plan.stdout.contains("2 to create"), "{}", plan.stdout);
        world.apply().expect(0);
        let now: Vec<String> = world
            .waiting()
            .iter()
            .filter_map(|t| t.push_time_text.clone())
            .collect();
        assert_eq!(now.len(), first.len());
        assert!(now.iter().max().cloned().unwrap_or_default() > last);
        world.assert_no_duplicates();
        world.plan().expect(0);
    }
}
