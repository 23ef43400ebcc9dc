//! A world for end-to-end scenarios: an emulator in this process on a manual clock, a
//! workspace in a temp folder whose target `emu` points at it, and `gtcamp` run as a
//! separate process with `GTCAMP_NOW` set to the emulator's clock.
//!
//! The target speaks one [`Backend`]: the legacy API (`type: getui`) or REST API V2
//! (`type: getui-v2`, its phone bindings through the emulator's legacy API). Scenarios that
//! hold for both are written once with [`on_both_backends!`], which makes one test per
//! backend, named after it (`…::legacy`, `…::v2`); what they look for in the emulator's
//! request log, or aim a fault at, they name by [`Call`], which each backend spells its way.

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, TimeZone, Utc};
use gtcamp::emulator::{
    Clock, EmulatorConfig, FaultSpec, RunningEmulator, StoreSnapshot, TaskKind, TaskStatus,
    UserSeed, start,
};
use gtcamp::getui::{LegacyClient, LegacyConfig, Limits, Secret};
use tokio::runtime::Runtime;

/// Limits so high that no scenario waits for them: the world's emulator enforces none
/// unless configured to, and gtcamp paces an external target by real minutes.
pub const UNPACED: &str = "limits: {app_pushes_per_day: 1000000, app_pushes_per_minute: 1000000}";

/// The state of the workspace's one target, `emu`: each target keeps its own.
pub const STATE_FILE: &str = ".gtcamp/emu/state.json";

/// The words of a miette report, its line wrapping and frame undone.
pub fn words(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| !matches!(*word, "│" | "×"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Monday, 08:00 in Beijing.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 7, 0, 0, 0).unwrap()
}

/// The API the workspace's target speaks to the emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Legacy,
    V2,
}

/// A kind of remote call, as scenarios count it in the request log or aim a fault at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// Create a scheduled push to a filter audience.
    CreateAppPush,
    /// Delete a scheduled task.
    DeleteScheduled,
    /// Read a scheduled task (the refresh).
    ReadScheduled,
    /// Count an audience.
    CountUsers,
}

impl Backend {
    /// The names the emulator's request log gives `call` (the first is the one faults aim at).
    pub fn names(self, call: Call) -> &'static [&'static str] {
        match (self, call) {
            (Backend::Legacy, Call::CreateAppPush) => &["pushMessageToAppAction"],
            (Backend::Legacy, Call::DeleteScheduled) => &["delScheduleTaskAction"],
            (Backend::Legacy, Call::ReadScheduled) => &["getScheduleTaskAction"],
            (Backend::Legacy, Call::CountUsers) => &["queryUserCount"],
            (Backend::V2, Call::CreateAppPush) => &[V2_PUSH_TAG, V2_PUSH_ALL],
            (Backend::V2, Call::DeleteScheduled) => &[V2_TASK_SCHEDULE_DELETE],
            (Backend::V2, Call::ReadScheduled) => &[V2_TASK_SCHEDULE_GET],
            (Backend::V2, Call::CountUsers) => &[V2_USER_COUNT],
        }
    }

    /// The name a fault aimed at `call` targets.
    pub fn route(self, call: Call) -> &'static str {
        self.names(call)[0]
    }

    /// Calls that only read: a converged apply sends nothing else. The legacy reads count on
    /// V2 too, where phone bindings are read through the legacy API.
    pub fn is_read(self, action: &str) -> bool {
        const LEGACY: [&str; 9] = [
            "getOSPushDomailUrlListAction",
            "connect",
            "close",
            "getScheduleTaskAction",
            "getPushResultByGroupName",
            "queryUserCount",
            "query_cid_pn",
            "alias_query",
            "getUserTags",
        ];
        const V2: [&str; 6] = [
            V2_AUTH,
            V2_AUTH_DELETE,
            V2_TASK_SCHEDULE_GET,
            V2_REPORT_TASK_GROUP,
            V2_USER_COUNT,
            V2_USER_CID_ALIAS,
        ];
        LEGACY.contains(&action) || (self == Backend::V2 && V2.contains(&action))
    }
}

use gtcamp::emulator::v2_routes::{
    AUTH as V2_AUTH, AUTH_DELETE as V2_AUTH_DELETE, PUSH_ALL as V2_PUSH_ALL,
    PUSH_TAG as V2_PUSH_TAG, REPORT_TASK_GROUP as V2_REPORT_TASK_GROUP,
    TASK_SCHEDULE_DELETE as V2_TASK_SCHEDULE_DELETE, TASK_SCHEDULE_GET as V2_TASK_SCHEDULE_GET,
    USER_CID_ALIAS as V2_USER_CID_ALIAS, USER_COUNT as V2_USER_COUNT,
};

/// Writes a scenario once and runs it on both backends, as two tests named after them:
/// `on_both_backends! { fn name(backend) { … } }` gives `name::legacy` and `name::v2`.
#[allow(unused_macros)] // tests/postgres shares this file and runs one backend
macro_rules! on_both_backends {
    ($(#[doc = $doc:expr])* fn $name:ident($backend:ident) $body:block) => {
        $(#[doc = $doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn scenario($backend: $crate::harness::Backend) $body

            #[test]
            fn legacy() {
                scenario($crate::harness::Backend::Legacy)
            }

            #[test]
            fn v2() {
                scenario($crate::harness::Backend::V2)
            }

        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_both_backends;

pub struct World {
    pub runtime: Runtime,
    pub backend: Backend,
    emulator: Option<RunningEmulator>,
    dir: tempfile::TempDir,
}

/// What a gtcamp run showed.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn of(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the exit code is `code`.
    #[track_caller]
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// `count` devices `c-000`, `c-001`, … tagged `vip`.
pub fn devices(count: usize) -> Vec<UserSeed> {
    (0..count)
        .map(|n| {
            let mut user = UserSeed::new(cid(n));
            user.tags = vec!["vip".to_owned()];
            user
        })
        .collect()
}

pub fn cid(n: usize) -> String {
    format!("c-{n:03}")
}

impl World {
    /// A world whose target speaks the legacy API.
    pub fn new(users: Vec<UserSeed>) -> World {
        World::on(Backend::Legacy, users)
    }

    /// A world whose target speaks `backend`.
    pub fn on(backend: Backend, users: Vec<UserSeed>) -> World {
        World::configured(backend, users, |_| {})
    }

    /// A world whose `timeout` faults hold a request for `hold` before dropping it.
    pub fn holding_timeouts_for(
        backend: Backend,
        users: Vec<UserSeed>,
        hold: std::time::Duration,
    ) -> World {
        World::configured(backend, users, |config| config.timeout_hold = hold)
    }

    /// A world whose emulator is configured as usual, then by `configure`.
    pub fn configured(
        backend: Backend,
        users: Vec<UserSeed>,
        configure: impl FnOnce(&mut EmulatorConfig),
    ) -> World {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let mut config = EmulatorConfig {
            users,
            clock: Clock::manual(t0()),
            // gtcamp signs with the system clock while the emulator lives at t0.
            sign_window: chrono::Duration::days(36_500),
            timeout_hold: std::time::Duration::from_millis(200),
            // Pacing to Getui's five a minute would take real minutes here: the scenarios
            // about limits set them (`World::limited`), the rest go without.
            limits: Limits::NONE,
            ..EmulatorConfig::default()
        };
        configure(&mut config);
        let emulator = runtime
            .block_on(start(config, "127.0.0.1:0".parse().unwrap()))
            .expect("the emulator starts");
        let dir = tempfile::tempdir().expect("a temp folder");
        let world = World {
            runtime,
            backend,
            emulator: Some(emulator),
            dir,
        };
        world.write("gtcamp.yaml", &world.settings());
        world
    }

    fn settings(&self) -> String {
        let emulator = self.emulator();
        let target = match self.backend {
            Backend::Legacy => format!("type: getui\n    endpoint: {}", emulator.base_url()),
            Backend::V2 => format!(
                "type: getui-v2\n    endpoint: {}\n    bindings_endpoint: {}",
                emulator.v2_endpoint(),
                emulator.base_url()
            ),
        };
        format!(
            "kind: Workspace\nname: e2e\napp_id: demo\ndefault_target: emu\ntargets:\n  emu:\n    {target}\n    {UNPACED}\ndefaults:\n  timezone: Asia/Shanghai\n  lead_time: 10m\n  horizon: 14d\n  class: marketing\n"
        )
    }

    /// How many requests the emulator recorded for `call`, from request number `since`.
    pub fn calls_since(&self, call: Call, since: usize) -> usize {
        let names = self.backend.names(call);
        self.emulator()
            .recorded_requests()
            .iter()
            .skip(since)
            .filter(|r| r.action.as_deref().is_some_and(|a| names.contains(&a)))
            .count()
    }

    pub fn emulator(&self) -> &RunningEmulator {
        self.emulator.as_ref().expect("the emulator runs")
    }

    /// A second emulator on this world's clock, with the same app key and master secret but
    /// serving app `app_id`: where a target goes when its app really changed. Drop it before
    /// the world.
    pub fn another_app(&self, app_id: &str) -> RunningEmulator {
        let config = EmulatorConfig {
            app_id: app_id.to_owned(),
            clock: self.emulator().clock().clone(),
            sign_window: chrono::Duration::days(36_500),
            limits: Limits::NONE,
            ..EmulatorConfig::default()
        };
        self.runtime
            .block_on(start(config, "127.0.0.1:0".parse().unwrap()))
            .expect("the second emulator starts")
    }

    /// Points gtcamp.yaml in `dir` at `emulator` instead of this world's.
    pub fn point_at(&self, dir: &Path, emulator: &RunningEmulator) {
        let path = dir.join("gtcamp.yaml");
        let settings = std::fs::read_to_string(&path).unwrap();
        let ours = self.emulator().base_url();
        let base = ours.trim_end_matches("/apiex.htm");
        let theirs = emulator.base_url();
        let moved = settings.replace(base, theirs.trim_end_matches("/apiex.htm"));
        assert_ne!(moved, settings, "gtcamp.yaml names no emulator");
        std::fs::write(path, moved).unwrap();
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, file: &str, text: &str) {
        let path = self.dir().join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }

    pub fn remove(&self, file: &str) {
        std::fs::remove_file(self.dir().join(file)).unwrap();
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.emulator().clock().now()
    }

    pub fn advance(&self, by: chrono::Duration) {
        self.emulator().clock().advance(by);
    }

    pub fn set_faults(&self, faults: FaultSpec) {
        self.emulator().set_faults(faults);
    }

    /// A gtcamp command in the workspace, with credentials and the emulator's "now".
    pub fn command(&self, args: &[&str]) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::cargo_bin("gtcamp").expect("the gtcamp binary");
        command
            .args(args)
            .current_dir(self.dir())
            .env("GETUI_APP_KEY", "demo-key")
            .env("GETUI_MASTER_SECRET", "demo-secret")
            .env_remove("GETUI_APP_ID")
            .env_remove(gtcamp::apply::CRASH_VAR)
            .env("NO_COLOR", "1")
            .env(gtcamp::target::BACKOFF_VAR, "5")
            .env(gtcamp::clock::NOW_VAR, self.now().to_rfc3339())
            .timeout(std::time::Duration::from_secs(120));
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.command(args).output().expect("gtcamp runs"))
    }

    pub fn apply(&self) -> Run {
        self.run(&["apply", "--auto-approve"])
    }

    /// `plan --detailed-exitcode`.
    pub fn plan(&self) -> Run {
        self.run(&["plan", "--detailed-exitcode"])
    }

    /// Settles what `run` left held, as time and a person do (see [`settle_held`]).
    pub fn settle_held(&self, run: Run) -> Run {
        settle_held(self, run, |run| &run.stderr, |args| self.run(args))
    }

    /// How many requests the emulator has recorded: a mark for [`World::writes_since`].
    pub fn requests(&self) -> usize {
        self.emulator().recorded_requests().len()
    }

    /// The requests since mark `since` that changed something on Getui, by name.
    pub fn writes_since(&self, since: usize) -> Vec<String> {
        self.emulator().recorded_requests()[since..]
            .iter()
            .filter_map(|r| r.action.clone())
            .filter(|action| !self.backend.is_read(action))
            .collect()
    }

    pub fn snapshot(&self) -> StoreSnapshot {
        self.emulator().snapshot()
    }

    /// Scheduled app pushes waiting on Getui.
    pub fn waiting(&self) -> Vec<gtcamp::emulator::Task> {
        self.snapshot()
            .tasks
            .into_iter()
            .filter(|t| t.kind == TaskKind::App && t.status == TaskStatus::DoNotSend)
            .collect()
    }

    /// Group names of the tasks that were scheduled or sent (not deleted, not just saved):
    /// a duplicate here is the same version of a push sent twice. Two versions of one
    /// occurrence have two groups: [`World::assert_every_waiting_task_is_tracked`] finds those.
    pub fn live_groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = self
            .snapshot()
            .tasks
            .into_iter()
            .filter(|t| matches!(t.status, TaskStatus::DoNotSend | TaskStatus::SendSuccess))
            .filter_map(|t| t.group)
            .collect();
        groups.sort();
        groups
    }

    #[track_caller]
    pub fn assert_no_duplicates(&self) {
        let groups = self.live_groups();
        let mut unique = groups.clone();
        unique.dedup();
        assert_eq!(groups, unique, "a task group was created twice");
    }

    /// Every scheduled push waiting on Getui is one the local state tracks, each once: an
    /// older version left live beside its replacement would be sent too.
    #[track_caller]
    pub fn assert_every_waiting_task_is_tracked(&self) {
        let mut waiting: Vec<String> = self.waiting().into_iter().map(|t| t.id).collect();
        waiting.sort();
        let state = self.state();
        let mut tracked: Vec<String> = state["tasks"]
            .as_object()
            .map(|tasks| {
                tasks
                    .values()
                    .filter_map(|t| t["task_id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        tracked.sort();
        assert_eq!(
            waiting, tracked,
            "Getui's waiting tasks are not the tracked ones"
        );
    }

    pub fn state(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.dir().join(STATE_FILE)).expect("a state file");
        serde_json::from_str(&text).expect("state is JSON")
    }

    /// A client of the emulator, for changes made out of band.
    pub fn client(&self) -> LegacyClient {
        LegacyClient::new(LegacyConfig::new(
            &self.emulator().base_url(),
            "demo",
            "demo-key",
            Secret::new("demo-secret"),
        ))
        .expect("a client")
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

/// Settles what a run left held, as time and a person do: a held push that reached Getui
/// settles once its report catches up (ten minutes on); one still held after that never
/// reached Getui, no report can ever show it, and a person sends it anew. `apply` runs an
/// apply with the arguments given; returns the last run.
pub fn settle_held<R>(
    world: &World,
    run: R,
    stderr: impl Fn(&R) -> &str,
    apply: impl Fn(&[&str]) -> R,
) -> R {
    if held_lines(stderr(&run)).is_empty() {
        return run;
    }
    world.advance(chrono::Duration::minutes(10));
    let later = apply(&["apply", "--auto-approve"]);
    if held_lines(stderr(&later)).is_empty() {
        return later;
    }
    let mut args = vec!["apply", "--auto-approve"];
    for key in held_keys(stderr(&later)) {
        args.extend(["--resend-unconfirmed", key]);
    }
    apply(&args)
}

/// The `Held:` lines a run printed on `stderr`, one per held occurrence.
pub fn held_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("Held: "))
        .collect()
}

/// The occurrence keys of a run's `Held:` lines (`Held: KEY: why`, or `Held: KEY (its time
/// in words): why`).
pub fn held_keys(stderr: &str) -> Vec<&str> {
    held_lines(stderr)
        .into_iter()
        .filter_map(|line| {
            let rest = line.strip_prefix("Held: ")?;
            let end = [": ", " ("].iter().filter_map(|sep| rest.find(sep)).min()?;
            rest.get(..end)
        })
        .collect()
}

/// A one-off campaign at `at` to users tagged vip.
pub fn one_off(name: &str, at: &str, text: &str) -> String {
    format!(
        "kind: Campaign\nname: {name}\ntemplate:\n  type: notification\n  title: Hello\n  text: {text}\naudience:\n  tags:\n    any: [vip]\nschedule:\n  at: {at}\n"
    )
}

/// A daily campaign at 20:00 Beijing time.
pub fn daily(name: &str, text: &str, enabled: bool) -> String {
    format!(
        "kind: Campaign\nname: {name}\nenabled: {enabled}\ntemplate:\n  type: notification\n  title: Daily\n  text: {text}\naudience:\n  tags:\n    any: [vip]\nschedule:\n  cron: \"0 20 * * *\"\n  timezone: Asia/Shanghai\n"
    )
}

/// A list push to cids at `at`.
pub fn list_push(name: &str, at: &str, cids: &[String]) -> String {
    let list: String = cids.iter().map(|c| format!("    - {c}\n")).collect();
    format!(
        "kind: Campaign\nname: {name}\ntemplate:\n  type: notification\n  title: Hi\n  text: For you\naudience:\n  cids:\n{list}schedule:\n  at: {at}\n"
    )
}

/// Phone bindings for `cids`, each to the md5 of `phone(n)` with `salt`.
pub fn bindings(cids: &[String], salt: &str) -> String {
    let pairs: String = cids
        .iter()
        .map(|c| {
            format!(
                "  - cid: {c}\n    pn_md5: {}\n",
                gtcamp::getui::phone_hash(&format!("{salt}{c}"))
            )
        })
        .collect();
    format!("kind: PhoneBindings\nname: phones\npairs:\n{pairs}")
}

/// `gtcamp` run in `dir` as a newcomer runs it: no credentials, no fixed clock, no CI
/// variables, no colour.
pub fn gtcamp_in(dir: &Path, args: &[&str]) -> Output {
    plain_gtcamp(dir, args).output().expect("gtcamp runs")
}

/// [`gtcamp_in`] with gtcamp's clock, and so the sandbox's, at `now` (RFC 3339).
pub fn gtcamp_at(dir: &Path, now: &str, args: &[&str]) -> Output {
    plain_gtcamp(dir, args)
        .env(gtcamp::clock::NOW_VAR, now)
        .output()
        .expect("gtcamp runs")
}

/// `gtcamp` in `dir` with none of the variables that change what it does.
fn plain_gtcamp(dir: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(assert_cmd::cargo_bin!("gtcamp"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("GETUI_APP_KEY")
        .env_remove("GETUI_MASTER_SECRET")
        .env_remove("GETUI_APP_ID")
        .env_remove(gtcamp::clock::NOW_VAR)
        .env_remove(gtcamp::apply::CRASH_VAR)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(120));
    command
}

/// Two scheduled pushes, one list push due now and 60 bindings: every kind of journaled call,
/// written into `world`'s workspace with its clock moved past the list push's time.
pub fn write_busy_workspace(world: &World) {
    world.write("a.yaml", &one_off("a", "2030-01-09T12:00:00+08:00", "A"));
    world.write("b.yaml", &one_off("b", "2030-01-10T12:00:00+08:00", "B"));
    world.write(
        "vip.yaml",
        &list_push("vip", "2030-01-07T09:00:00+08:00", &[cid(0), cid(1)]),
    );
    let cids: Vec<String> = (0..60).map(cid).collect();
    world.write("phones.yaml", &bindings(&cids, "p"));
    world.advance(chrono::Duration::minutes(70));
}
