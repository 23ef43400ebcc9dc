//! List pushes fire once, when due, never late; bindings move in batches of 50; on both
//! backends (V2 binds through its legacy endpoint).

use chrono::Duration;

use crate::harness::{World, bindings, cid, devices, list_push, on_both_backends};

const DUE: &str = "2030-01-07T09:00:00+08:00"; // t0 + 1 h

on_both_backends! {
    fn list_push_fires_exactly_once_when_due(backend) {
        let world = World::on(backend, devices(3));
        world.write("vip.yaml", &list_push("vip", DUE, &[cid(0), cid(1)]));
        world.apply().expect(0);
        assert!(world.snapshot().list_pushes.is_empty(), "fired before due");
        world.advance(Duration::minutes(70));
        let plan = world.plan().expect(2);
        assert!(plan.stdout.contains("1 to fire"), "{}", plan.stdout);
        world.apply().expect(0);
        world.apply().expect(0);
        world.advance(Duration::minutes(20));
        world.apply().expect(0);
        let pushes = world.snapshot().list_pushes;
        assert_eq!(pushes.len(), 1, "{pushes:?}");
        assert_eq!(pushes[0].cids, vec![cid(0), cid(1)]);
        world.plan().expect(0);
    }
}

on_both_backends! {
    fn list_push_past_its_grace_window_is_never_sent_late(backend) {
        let world = World::on(backend, devices(3));
        world.write("vip.yaml", &list_push("vip", DUE, &[cid(0)]));
        world.advance(Duration::hours(3));
        let plan = world.run(&["plan"]).expect(0);
        assert!(plan.stdout.contains("never sent late"), "{}", plan.stdout);
        assert!(!plan.stdout.contains("to fire"), "{}", plan.stdout);
        world.apply().expect(0);
        assert!(world.snapshot().list_pushes.is_empty());
        let state = world.state();
        assert_eq!(
            state["fired"]["vip@2030-01-07T09:00+08:00"]["outcome"], "missed",
            "{state}"
        );
    }
}

on_both_backends! {
    fn bindings_are_added_changed_and_removed_in_batches_of_fifty(backend) {
        let world = World::on(backend, devices(120));
        let all: Vec<String> = (0..120).map(cid).collect();
        world.write("phones.yaml", &bindings(&all, "a"));
        let plan = world.plan().expect(2);
        assert!(
            plan.stdout.contains("120 bindings to add"),
            "{}",
            plan.stdout
        );
        world.apply().expect(0);
        let bound = world.snapshot().bindings;
        assert_eq!(bound.len(), 120);
        assert_eq!(
            bound.get(&cid(7)),
            Some(&gtcamp::getui::phone_hash(&format!("a{}", cid(7))))
        );
        let sizes: Vec<usize> = world
            .emulator()
            .recorded_requests()
            .into_iter()
            .filter(|r| r.action.as_deref() == Some("bind_cid_pn"))
            .map(|r| r.body["cidpnlist"].as_object().map_or(0, |m| m.len()))
            .collect();
        assert_eq!(sizes.iter().sum::<usize>(), 120, "{sizes:?}");
        assert!(sizes.iter().all(|&n| n <= 50), "{sizes:?}");
        world.plan().expect(0);

        // Change ten numbers and drop the last twenty cids.
        let mut changed = bindings(&all[..10], "b");
        changed.push_str(
            &bindings(&all[10..100], "a").replace("kind: PhoneBindings\nname: phones\npairs:\n", ""),
        );
        world.write("phones.yaml", &changed);
        let plan = world.plan().expect(2);
        assert!(
            plan.stdout.contains("10 bindings to add, 30 to remove"),
            "{}",
            plan.stdout
        );
        world.apply().expect(0);
        let bound = world.snapshot().bindings;
        assert_eq!(bound.len(), 100);
        assert_eq!(
            bound.get(&cid(3)),
            Some(&gtcamp::getui::phone_hash(&format!("b{}", cid(3))))
        );
        assert!(!bound.contains_key(&cid(110)));
        world.plan().expect(0);
    }
}

#[test]
fn a_binding_getui_refuses_is_reported_with_its_cid_and_code() {
    let world = World::new(devices(2));
    let cids = vec![cid(0), "ghost-device".to_owned(), cid(1)];
    world.write("phones.yaml", &bindings(&cids, "a"));
    let run = world.apply().expect(1);
    assert!(
        run.stderr
            .contains("cid `ghost-device`: Getui code 1 (the cid does not exist)"),
        "{}",
        run.stderr
    );
    let bound = world.snapshot().bindings;
    assert!(bound.contains_key(&cid(0)) && bound.contains_key(&cid(1)));
}

on_both_backends! {
    fn list_push_to_aliases_fires_once_to_their_devices(backend) {
        let mut users = devices(2);
        users[0].alias = Some("vip_1".to_owned());
        let world = World::on(backend, users);
        world.write(
            "alias.yaml",
            &format!(
                "kind: Campaign\nname: by-alias\ntemplate:\n  type: notification\n  title: Hi\n  text: Yours\naudience:\n  aliases: [vip_1]\nschedule:\n  at: {DUE}\n"
            ),
        );
        world.advance(Duration::minutes(61));
        world.apply().expect(0);
        world.apply().expect(0);
        let pushes = world.snapshot().list_pushes;
        assert_eq!(pushes.len(), 1, "{pushes:?}");
        assert_eq!(pushes[0].aliases, vec!["vip_1".to_owned()]);
        world.plan().expect(0);
    }
}
