//! What the emulated Getui knows: apps, users, push tasks, list pushes, tokens.
//!
//! [`Store`] is plain data behind one lock in the server; handlers in `actions` read and change
//! it. Scheduled tasks do not need a timer: [`Store::settle`] moves every task whose push time
//! has passed from `do_not_send` to `send_success`, and the server calls it with the clock's
//! "now" before it looks at anything, so a test that advances a manual clock sees the task
//! fire on its next request. With a data directory the store lives in a SQLite database
//! (`db`): users are read from it when needed, tasks and list pushes are kept in memory too,
//! and every change is written and committed before its request is answered.
//!
//! Without a data directory nothing touches SQLite: users live in a map, as before the
//! database existed, so the in-memory emulator the tests and benchmarks start is as fast as
//! it was (an in-memory SQLite would pay for SQL on every lookup and buy nothing).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::db::{Content, DB_FILE_NAME, Db, IMPORTED_SUFFIX, IndexedColumn, LEGACY_FILE_NAME};
use super::delivery::{self, Device, Fired, MarketingCounts, Message, VendorPolicy};
use super::quota::Ledger;
pub(crate) use super::records::PnRecord;
pub use super::records::{
    App, Channel, Deliveries, ListPush, StoreError, Task, TaskKind, TaskStatus, User, V2Task,
    VendorPush,
};
use crate::getui::conditions::Condition;

/// Where the devices one delivery of a push reached are kept: the recipients of the app
/// push at this index of [`Store::tasks`], or those of the list push at this index of
/// [`Store::list_pushes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reached {
    AppPush(usize),
    ListPush(usize),
}

impl Reached {
    fn cids<'s>(self, tasks: &'s [Task], list_pushes: &'s [ListPush]) -> &'s [String] {
        let cids = match self {
            Reached::AppPush(task) => tasks.get(task).map(|t| t.recipients.as_slice()),
            Reached::ListPush(push) => list_pushes.get(push).map(|p| p.delivered_to.as_slice()),
        };
        cids.unwrap_or_default()
    }
}

/// The devices a new store starts with.
#[derive(Default)]
pub(crate) struct Population {
    pub users: Vec<User>,
    /// Cids of devices with nothing else set (`UserSeed::new`), each overridden by a user of
    /// the same cid.
    pub bare_cids: Vec<String>,
}

/// A copy of everything the emulator holds, for tests and the admin API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreSnapshot {
    pub apps: Vec<App>,
    pub users: Vec<User>,
    /// In creation order.
    pub tasks: Vec<Task>,
    pub list_pushes: Vec<ListPush>,
    /// cid → md5 of the bound phone number.
    pub bindings: BTreeMap<String, String>,
    /// alias → its cids.
    pub aliases: BTreeMap<String, Vec<String>>,
}

impl StoreSnapshot {
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|task| task.id == id)
    }

    pub fn user(&self, cid: &str) -> Option<&User> {
        self.users.iter().find(|user| user.cid == cid)
    }
}

/// The JSON file the store was kept in before the database (read once, to import it).
#[derive(Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct LegacyStoreFile {
    apps: Vec<App>,
    users: Vec<User>,
    tasks: Vec<Task>,
    list_pushes: Vec<ListPush>,
}

/// The users of an in-memory store; a store with a data directory keeps them in its database.
#[derive(Default)]
struct MemoryUsers {
    by_cid: BTreeMap<String, User>,
    /// pn md5 → the cids bound to it: a bind asks who holds a pn for each of up to 50 pairs,
    /// and scanning every user for each one, under the store lock, made bindings serial.
    pn_holders: HashMap<String, BTreeSet<String>>,
}

impl MemoryUsers {
    fn put(&mut self, user: User) {
        if let Some(old) = self.by_cid.get(&user.cid).and_then(|u| u.pn.clone())
            && let Some(holders) = self.pn_holders.get_mut(&old)
        {
            holders.remove(&user.cid);
            if holders.is_empty() {
                self.pn_holders.remove(&old);
            }
        }
        if let Some(pn) = &user.pn {
            self.pn_holders
                .entry(pn.clone())
                .or_default()
                .insert(user.cid.clone());
        }
        self.by_cid.insert(user.cid.clone(), user);
    }
}

pub(crate) struct Store {
    pub(crate) apps: Vec<App>,
    /// Users when there is no database; read and change users only through the methods below,
    /// which go to whichever of the two holds them.
    memory: MemoryUsers,
    db: Option<Db>,
    pub(crate) tasks: Vec<Task>,
    task_index: HashMap<String, usize>,
    /// REST V2 request id → index of the task it created.
    request_index: HashMap<String, usize>,
    pub(crate) list_pushes: Vec<ListPush>,
    /// token → expiry.
    tokens: HashMap<String, DateTime<Utc>>,
    rng: StdRng,
    /// Set by every change; the server stages the change and clears it.
    pub(crate) dirty: bool,
    /// Tasks changed since they were last written to the database (indices into `tasks`).
    changed_tasks: BTreeSet<usize>,
    /// How many list pushes the database holds.
    stored_list_pushes: usize,
    /// The first database error since the last stage: reads then see nothing, and the request
    /// that met it is answered with a server error instead of a wrong answer.
    failure: Option<StoreError>,
    /// Changes staged so far, and how many of them are durable (see [`Store::stage`]).
    staged: u64,
    durable: u64,
    /// No task waits to fire before this instant (`None`: not known). `settle` runs before
    /// every request; without the floor, a refresh of 10,000 tasks scanned all 10,000 tasks
    /// for each of its 10,000 requests.
    due_floor: Option<DateTime<Utc>>,
    /// Tasks handed out for a change since the last `settle`, which folds their push times
    /// into `due_floor` then (once the change is made).
    touched_tasks: Vec<usize>,
    /// The pushes Getui's limits count, built from the tasks and list pushes when first
    /// needed.
    ledger: Option<Ledger>,
    /// The makers' rules a push meets when it fires, and their counts so far.
    policy: VendorPolicy,
    marketing: MarketingCounts,
}

impl Store {
    pub(crate) fn new(app: App, users: Vec<User>) -> Store {
        let mut memory = MemoryUsers::default();
        for user in users {
            memory.put(user);
        }
        Store {
            apps: vec![app],
            memory,
            db: None,
            tasks: Vec::new(),
            task_index: HashMap::new(),
            request_index: HashMap::new(),
            list_pushes: Vec::new(),
            tokens: HashMap::new(),
            rng: StdRng::from_os_rng(),
            dirty: false,
            changed_tasks: BTreeSet::new(),
            stored_list_pushes: 0,
            ledger: None,
            failure: None,
            staged: 0,
            durable: 0,
            due_floor: None,
            touched_tasks: Vec::new(),
            policy: VendorPolicy::default(),
            marketing: MarketingCounts::default(),
        }
    }

    /// Sets the makers' rules pushes meet from now on.
    pub(crate) fn set_vendor_policy(&mut self, policy: VendorPolicy) {
        self.policy = policy;
    }

    /// Delivers `message` to `devices` at `at`, through the channels and within the makers'
    /// rules of `delivery`, counting what the makers count.
    pub(crate) fn deliver(
        &mut self,
        message: Message<'_>,
        devices: Vec<Device>,
        at: DateTime<Utc>,
    ) -> Fired {
        self.dirty = true;
        delivery::deliver(&self.policy, &mut self.marketing, message, devices, at)
    }

    /// The devices of `cids` the store has, in the order given.
    pub(crate) fn devices_of_cids(&mut self, cids: &[String]) -> Vec<Device> {
        cids.iter()
            .filter_map(|cid| self.user(cid))
            .map(|user| Device::of(&user))
            .collect()
    }

    /// Opens the store kept in `dir`: its database, or a new one holding `app` and the
    /// users `seed` gives (called only then, so a big seed costs nothing on later starts), or
    /// the old JSON file imported into a new database (then renamed `*.imported`).
    pub(crate) fn open(
        dir: &Path,
        app: App,
        seed: impl FnOnce() -> Population,
    ) -> Result<Store, StoreError> {
        if !dir.join(DB_FILE_NAME).exists() {
            match read_legacy(dir)? {
                Some(file) => {
                    Db::create(
                        dir,
                        Content {
                            apps: &file.apps,
                            users: &file.users,
                            bare_cids: Vec::new(),
                            tasks: &file.tasks,
                            list_pushes: &file.list_pushes,
                        },
                    )?;
                    mark_imported(dir)?;
                }
                None => {
                    let population = seed();
                    Db::create(
                        dir,
                        Content {
                            apps: std::slice::from_ref(&app),
                            users: &population.users,
                            bare_cids: population.bare_cids,
                            tasks: &[],
                            list_pushes: &[],
                        },
                    )?
                }
            }
        }
        let (db, loaded) = Db::open(dir)?;
        let mut store = Store::new(app.clone(), Vec::new());
        store.marketing = MarketingCounts::of_rows(loaded.marketing_counts);
        store.apps = loaded.apps;
        for task in loaded.tasks {
            store.insert_task(task);
        }
        store.list_pushes = loaded.list_pushes;
        store.changed_tasks.clear();
        store.stored_list_pushes = store.list_pushes.len();
        store.dirty = false;
        store.db = Some(db);
        store.with_app(app)
    }

    /// Puts the served app first among the apps, so that a store opened for another app id
    /// serves it too.
    fn with_app(mut self, app: App) -> Result<Store, StoreError> {
        if !self.apps.contains(&app) {
            self.apps.insert(0, app);
            if let Some(db) = &mut self.db {
                db.put_apps(&self.apps)?;
                db.commit()?;
            }
        }
        Ok(self)
    }

    /// Writes what changed since the last stage into the open transaction and returns the
    /// change number that [`Store::commit`] must reach before the request may be answered
    /// (`None` when nothing waits for durability). In memory it only clears `dirty`.
    pub(crate) fn stage(&mut self) -> Option<u64> {
        let changed = std::mem::take(&mut self.dirty);
        let Some(db) = &mut self.db else {
            return None;
        };
        if changed {
            let mut result = Ok(());
            for index in std::mem::take(&mut self.changed_tasks) {
                if let Some(task) = self.tasks.get(index) {
                    result = result.and_then(|()| db.put_task(index, task));
                }
            }
            let (forgot_before, counts) = self.marketing.take_changes();
            result = result.and_then(|()| db.put_marketing_counts(forgot_before, &counts));
            while self.stored_list_pushes < self.list_pushes.len() {
                if let Some(push) = self.list_pushes.get(self.stored_list_pushes) {
                    result = result.and_then(|()| db.put_list_push(self.stored_list_pushes, push));
                }
                self.stored_list_pushes += 1;
            }
            if let Err(e) = result {
                self.failure.get_or_insert(e);
            }
            self.staged += 1;
        }
        // A request that only read may have read a change not yet durable: it waits too, so
        // nothing is told to a client that a crash could take back.
        (self.staged > self.durable).then_some(self.staged)
    }

    /// The database error a request met, if any (cleared).
    pub(crate) fn take_failure(&mut self) -> Option<StoreError> {
        self.failure.take()
    }

    /// Whether every change up to `change` is durable.
    pub(crate) fn is_durable(&self, change: u64) -> bool {
        self.durable >= change
    }

    /// Commits every staged change with one fsync.
    pub(crate) fn commit(&mut self) -> Result<(), StoreError> {
        if let Some(db) = &mut self.db {
            db.commit()?;
        }
        self.durable = self.staged;
        Ok(())
    }

    /// A copy of everything, users included: for tests and the admin API, never for a
    /// request (it reads every device).
    pub(crate) fn snapshot(&mut self) -> StoreSnapshot {
        let mut users: Vec<User> = Vec::new();
        self.each_user(|user| users.push(user));
        let bindings = users
            .iter()
            .filter_map(|u| u.pn.clone().map(|pn| (u.cid.clone(), pn)))
            .collect();
        let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for user in &users {
            if let Some(alias) = &user.alias {
                aliases
                    .entry(alias.clone())
                    .or_default()
                    .push(user.cid.clone());
            }
        }
        StoreSnapshot {
            apps: self.apps.clone(),
            users,
            tasks: self.tasks.clone(),
            list_pushes: self.list_pushes.clone(),
            bindings,
            aliases,
        }
    }

    /// Fires every scheduled task whose push time is not after `now`.
    pub(crate) fn settle(&mut self, now: DateTime<Utc>) {
        for index in std::mem::take(&mut self.touched_tasks) {
            let waits_until = self.tasks.get(index).and_then(Task::waits_until);
            if let (Some(floor), Some(at)) = (self.due_floor, waits_until) {
                self.due_floor = Some(floor.min(at));
            }
        }
        if self.due_floor.is_some_and(|floor| floor > now) {
            return;
        }
        let due: Vec<usize> = self
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.waits_until().is_some_and(|at| at <= now))
            .map(|(i, _)| i)
            .collect();
        let later = self.tasks.iter().filter_map(Task::waits_until);
        self.due_floor = Some(
            later
                .filter(|at| *at > now)
                .min()
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        );
        if due.is_empty() {
            return;
        }
        // One pass over the devices for all the due tasks: on disk a pass reads them all.
        let conditions: Vec<Vec<Condition>> = due
            .iter()
            .map(|&i| {
                self.tasks
                    .get(i)
                    .map(|t| t.conditions.clone())
                    .unwrap_or_default()
            })
            .collect();
        let audiences = self.audiences_of(&conditions);
        let mut due: Vec<(usize, Vec<Device>)> = due.into_iter().zip(audiences).collect();
        // In time order, so that the makers count each device's day as it went.
        due.sort_by_key(|(index, _)| self.tasks.get(*index).and_then(|t| t.push_time));
        for (index, devices) in due {
            let Some(task) = self.tasks.get(index) else {
                continue;
            };
            // It left at its push time, however late a request came to notice.
            let at = task.push_time.unwrap_or(now);
            let (push, id) = (task.vendor.clone(), task.id.clone());
            let message = Message {
                task_id: &id,
                vendor: &push,
                shows_notification: task.shows_notification(),
            };
            let fired = self.deliver(message, devices, at);
            if let Some(task) = self.tasks.get_mut(index) {
                task.status = TaskStatus::SendSuccess;
                task.recipients = fired.reached;
                task.deliveries = fired.deliveries;
                task.sent_at = Some(at);
                self.changed_tasks.insert(index);
            }
        }
    }

    /// The devices of the served app that satisfy `conditions`, in cid order.
    pub(crate) fn audience_of(&mut self, conditions: &[Condition]) -> Vec<Device> {
        self.audiences_of(&[conditions.to_vec()])
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    /// The audience of each condition set: on disk one query each (indexed where it can
    /// be), in memory one pass over the devices for all of them.
    fn audiences_of(&mut self, sets: &[Vec<Condition>]) -> Vec<Vec<Device>> {
        let app_id = self.app_id().to_owned();
        if let Some(db) = &self.db {
            let mut out = Vec::with_capacity(sets.len());
            for set in sets {
                match db.devices_matching(&app_id, set) {
                    Ok(cids) => out.push(cids),
                    Err(e) => {
                        self.failure.get_or_insert(e);
                        out.push(Vec::new());
                    }
                }
            }
            return out;
        }
        let mut out: Vec<Vec<Device>> = vec![Vec::new(); sets.len()];
        for user in self.memory.by_cid.values() {
            if user.app_id != app_id {
                continue;
            }
            for (set, audience) in sets.iter().zip(out.iter_mut()) {
                if super::audience::matches(user, set) {
                    audience.push(Device::of(user));
                }
            }
        }
        out
    }

    /// How many devices of the served app satisfy `conditions`.
    pub(crate) fn count_audience(&mut self, conditions: &[Condition]) -> usize {
        let app_id = self.app_id().to_owned();
        match &self.db {
            Some(db) => match db.count_matching(&app_id, conditions) {
                Ok(count) => count,
                Err(e) => {
                    self.failure.get_or_insert(e);
                    0
                }
            },
            None => self
                .memory
                .by_cid
                .values()
                .filter(|u| u.app_id == app_id && super::audience::matches(u, conditions))
                .count(),
        }
    }

    /// Calls `visit` with every user, in cid order.
    fn each_user(&mut self, visit: impl FnMut(User)) {
        match &self.db {
            Some(db) => {
                if let Err(e) = db.each_user(visit) {
                    self.failure.get_or_insert(e);
                }
            }
            None => self.memory.by_cid.values().cloned().for_each(visit),
        }
    }

    /// Which of `cids` no user has (in the order given).
    pub(crate) fn unknown_cids(&mut self, cids: &[&str]) -> Vec<String> {
        cids.iter()
            .filter(|cid| self.user(cid).is_none())
            .map(|cid| (*cid).to_owned())
            .collect()
    }

    /// The user with this cid.
    pub(crate) fn user(&mut self, cid: &str) -> Option<User> {
        match &self.db {
            Some(db) => match db.user(cid) {
                Ok(user) => user,
                Err(e) => {
                    self.failure.get_or_insert(e);
                    None
                }
            },
            None => self.memory.by_cid.get(cid).cloned(),
        }
    }

    /// Changes the user with this cid; `None` when there is none.
    pub(crate) fn update_user(&mut self, cid: &str, change: impl FnOnce(&mut User)) -> Option<()> {
        let mut user = self.user(cid)?;
        let tags_before = user.tags.clone();
        change(&mut user);
        let tags_changed = user.tags != tags_before;
        self.dirty = true;
        match &mut self.db {
            Some(db) => {
                if let Err(e) = db.put_user(&user, tags_changed) {
                    self.failure.get_or_insert(e);
                }
            }
            None => self.memory.put(user),
        }
        Some(())
    }

    /// The devices a batch of cid–pn binds looks at, keyed by cid: those of `cids`, and
    /// every device bound to one of `pns` (on disk, two set queries for the whole batch).
    pub(crate) fn pn_records(&mut self, cids: &[&str], pns: &[&str]) -> BTreeMap<String, PnRecord> {
        let records = match &self.db {
            Some(db) => match db.pn_records(cids, pns) {
                Ok(records) => records,
                Err(e) => {
                    self.failure.get_or_insert(e);
                    Vec::new()
                }
            },
            None => {
                let holders = pns
                    .iter()
                    .filter_map(|pn| self.memory.pn_holders.get(*pn))
                    .flatten()
                    .map(String::as_str);
                cids.iter()
                    .copied()
                    .chain(holders)
                    .filter_map(|cid| self.memory.by_cid.get(cid))
                    .map(PnRecord::of)
                    .collect()
            }
        };
        records.into_iter().map(|r| (r.cid.clone(), r)).collect()
    }

    /// Writes the pn and level of each of `records` (on disk, in one statement).
    pub(crate) fn put_pn_records(&mut self, records: &[&PnRecord]) {
        if records.is_empty() {
            return;
        }
        self.dirty = true;
        if let Some(db) = &mut self.db {
            if let Err(e) = db.put_pn_records(records) {
                self.failure.get_or_insert(e);
            }
            return;
        }
        for record in records {
            self.update_user(&record.cid, |user| {
                user.pn.clone_from(&record.pn);
                user.pn_level = record.pn_level;
            });
        }
    }

    /// Binds `cid` to `pn` at `level` (or unbinds it with `None`); returns the pn it had.
    pub(crate) fn set_pn(
        &mut self,
        cid: &str,
        pn: Option<String>,
        level: Option<u8>,
    ) -> Option<String> {
        if let Some(db) = &mut self.db {
            // One UPDATE instead of reading and rewriting the whole row: a million bindings
            // are a million of these.
            self.dirty = true;
            return match db.set_pn(cid, pn.as_deref(), level) {
                Ok(previous) => previous,
                Err(e) => {
                    self.failure.get_or_insert(e);
                    None
                }
            };
        }
        let mut previous = None;
        self.update_user(cid, |user| {
            previous = std::mem::replace(&mut user.pn, pn);
            if let Some(level) = level {
                user.pn_level = level;
            }
        })?;
        previous
    }

    /// Whether any user belongs to the served app, without collecting them.
    pub(crate) fn app_has_users(&mut self) -> bool {
        let app_id = self.app_id().to_owned();
        match &self.db {
            Some(db) => match db.app_has_users(&app_id) {
                Ok(has) => has,
                Err(e) => {
                    self.failure.get_or_insert(e);
                    false
                }
            },
            None => self.memory.by_cid.values().any(|u| u.app_id == app_id),
        }
    }

    pub(crate) fn app_id(&self) -> &str {
        self.apps.first().map(|a| a.app_id.as_str()).unwrap_or("")
    }

    /// Where the task `id` is in [`Store::tasks`].
    pub(crate) fn task_position(&self, id: &str) -> Option<usize> {
        self.task_index.get(id).copied()
    }

    /// The cids a delivery reached.
    pub(crate) fn reached(&self, delivery: Reached) -> &[String] {
        delivery.cids(&self.tasks, &self.list_pushes)
    }

    /// How many of the devices a delivery reached are online (on disk, one query).
    pub(crate) fn online_reached(&mut self, delivery: Reached) -> u64 {
        // The fields, not `self.reached`: the failure is recorded while the cids are read.
        let cids = delivery.cids(&self.tasks, &self.list_pushes);
        match &self.db {
            Some(db) => match db.count_online(cids) {
                Ok(count) => count,
                Err(e) => {
                    self.failure.get_or_insert(e);
                    0
                }
            },
            None => {
                let online = cids
                    .iter()
                    .filter(|cid| self.memory.by_cid.get(*cid).is_some_and(|u| u.online))
                    .count();
                u64::try_from(online).unwrap_or(u64::MAX)
            }
        }
    }

    /// The ledger of pushes the limits count.
    pub(crate) fn ledger(&mut self) -> &mut Ledger {
        let (tasks, list_pushes) = (&self.tasks, &self.list_pushes);
        self.ledger
            .get_or_insert_with(|| Ledger::of(tasks, list_pushes))
    }

    pub(crate) fn task(&self, id: &str) -> Option<&Task> {
        self.task_index.get(id).and_then(|&i| self.tasks.get(i))
    }

    /// A task to change; it is written back when the request is staged.
    pub(crate) fn task_mut(&mut self, id: &str) -> Option<&mut Task> {
        let index = *self.task_index.get(id)?;
        self.changed_tasks.insert(index);
        self.touched_tasks.push(index);
        self.tasks.get_mut(index)
    }

    pub(crate) fn insert_task(&mut self, task: Task) {
        if let Some(v2) = &task.v2 {
            self.request_index
                .insert(v2.request_id.clone(), self.tasks.len());
        }
        self.task_index.insert(task.id.clone(), self.tasks.len());
        self.changed_tasks.insert(self.tasks.len());
        self.touched_tasks.push(self.tasks.len());
        self.tasks.push(task);
        self.dirty = true;
    }

    /// A fresh task id in Getui's shape: `OS{S|L|A}-<MMdd>_<22 base62>`, dated in Beijing time.
    pub(crate) fn new_task_id(&mut self, prefix: char, now: DateTime<Utc>) -> String {
        const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let date = now.with_timezone(&chrono_tz::Asia::Shanghai).format("%m%d");
        loop {
            let suffix: String = (0..22)
                .map(|_| {
                    let i = self.rng.random_range(0..BASE62.len());
                    BASE62.get(i).map_or('0', |&b| char::from(b))
                })
                .collect();
            let id = format!("OS{prefix}-{date}_{suffix}");
            if !self.task_index.contains_key(&id) {
                return id;
            }
        }
    }

    /// The task a REST V2 push with this request id created.
    pub(crate) fn task_of_request(&self, request_id: &str) -> Option<&Task> {
        self.request_index
            .get(request_id)
            .and_then(|&i| self.tasks.get(i))
    }

    /// A fresh REST V2 task id: `{prefix}_<MMdd>_<32 lower-case hex>`, dated in Beijing time
    /// (`RASA` for app pushes, `RASL` for list messages: a guess from the shape of V1's ids).
    pub(crate) fn new_v2_task_id(&mut self, prefix: &str, now: DateTime<Utc>) -> String {
        let date = now.with_timezone(&chrono_tz::Asia::Shanghai).format("%m%d");
        loop {
            let suffix: String = (0..32)
                .map(|_| format!("{:x}", self.rng.random_range(0..16u8)))
                .collect();
            let id = format!("{prefix}_{date}_{suffix}");
            if !self.task_index.contains_key(&id) {
                return id;
            }
        }
    }

    /// Issues an opaque token valid until `expires`.
    pub(crate) fn issue_token(&mut self, expires: DateTime<Utc>) -> String {
        let token: String = (0..32)
            .map(|_| format!("{:x}", self.rng.random_range(0..16u8)))
            .collect();
        self.tokens.insert(token.clone(), expires);
        token
    }

    pub(crate) fn token_valid(&self, token: &str, now: DateTime<Utc>) -> bool {
        !token.is_empty() && self.tokens.get(token).is_some_and(|&expires| now < expires)
    }

    pub(crate) fn revoke_token(&mut self, token: &str) {
        self.tokens.remove(token);
    }

    /// Cids bound to `alias`, in cid order.
    pub(crate) fn cids_of_alias(&mut self, alias: &str) -> Vec<String> {
        match &self.db {
            Some(db) => match db.cids_where(IndexedColumn::Alias, alias) {
                Ok(cids) => cids,
                Err(e) => {
                    self.failure.get_or_insert(e);
                    Vec::new()
                }
            },
            None => self
                .memory
                .by_cid
                .values()
                .filter(|u| u.alias.as_deref() == Some(alias))
                .map(|u| u.cid.clone())
                .collect(),
        }
    }
}

/// The old JSON store of `dir`, if one is there and was not imported yet.
fn read_legacy(dir: &Path) -> Result<Option<LegacyStoreFile>, StoreError> {
    let path = dir.join(LEGACY_FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(StoreError::Read { path, source }),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|source| StoreError::Parse { path, source })
}

/// Renames the imported JSON file so that it is never imported again, and so that whoever
/// looks in the folder sees it was.
fn mark_imported(dir: &Path) -> Result<(), StoreError> {
    let from = dir.join(LEGACY_FILE_NAME);
    let to = dir.join(format!("{LEGACY_FILE_NAME}{IMPORTED_SUFFIX}"));
    std::fs::rename(&from, &to).map_err(|source| StoreError::Write { path: to, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::seed::UserSeed;

    fn app() -> App {
        App {
            app_id: "demo".into(),
            app_key: "demo-key".into(),
        }
    }

    #[test]
    fn task_ids_have_getui_shape() {
        let mut store = Store::new(app(), vec![]);
        let now = DateTime::parse_from_rfc3339("2026-03-01T20:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let id = store.new_task_id('A', now);
        // 20:00 UTC is already 04:00 on 2 March in Beijing.
        assert!(id.starts_with("OSA-0302_"), "{id}");
        assert_eq!(id.len(), "OSA-0302_".len() + 22);
        assert!(id.chars().skip(9).all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn saved_store_reads_back_after_restart() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("no temp dir")
        };
        let Ok(mut store) = Store::open(dir.path(), app(), Population::default) else {
            panic!("no store");
        };
        let id = store.new_task_id('L', Utc::now());
        store.insert_task(Task {
            id: id.clone(),
            kind: TaskKind::List,
            status: TaskStatus::Saved,
            push_time: None,
            push_time_text: None,
            created_at: Utc::now(),
            group: Some("g".into()),
            conditions: vec![],
            content: "hi".into(),
            push_type: None,
            sms: false,
            cancelled: false,
            recipients: vec![],
            sent_at: None,
            deliveries: Default::default(),
            vendor: Default::default(),
            v2: None,
        });
        assert!(store.stage().is_some());
        assert!(store.commit().is_ok());
        drop(store);
        let loaded = Store::open(dir.path(), app(), Population::default).ok();
        assert_eq!(
            loaded
                .as_ref()
                .and_then(|s| s.task(&id))
                .map(|t| t.content.as_str()),
            Some("hi")
        );
        assert_eq!(loaded.map(|s| s.apps), Some(vec![app()]));
    }

    fn scheduled(id: &str, status: TaskStatus, push_time: DateTime<Utc>) -> Task {
        Task {
            id: id.into(),
            kind: TaskKind::App,
            status,
            push_time: Some(push_time),
            push_time_text: None,
            created_at: push_time,
            group: None,
            conditions: vec![],
            content: "hi".into(),
            push_type: None,
            sms: false,
            cancelled: false,
            recipients: vec![],
            sent_at: None,
            deliveries: Default::default(),
            vendor: Default::default(),
            v2: None,
        }
    }

    fn status(store: &Store, id: &str) -> Option<TaskStatus> {
        store.task(id).map(|t| t.status)
    }

    /// `settle` skips its scan while no task can be due; a task added, or made to wait,
    /// after the floor was computed must still fire on time.
    #[test]
    fn tasks_fire_on_time_whatever_the_floor_settle_remembers() {
        let at = |minute: i64| {
            DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
                + chrono::Duration::minutes(minute)
        };
        let mut store = Store::new(app(), vec![]);
        store.insert_task(scheduled("late", TaskStatus::DoNotSend, at(60)));
        store.settle(at(0));
        assert_eq!(status(&store, "late"), Some(TaskStatus::DoNotSend));

        store.insert_task(scheduled("early", TaskStatus::DoNotSend, at(10)));
        store.insert_task(scheduled("saved", TaskStatus::Saved, at(20)));
        store.settle(at(5));
        assert_eq!(status(&store, "early"), Some(TaskStatus::DoNotSend));
        store.settle(at(10));
        assert_eq!(status(&store, "early"), Some(TaskStatus::SendSuccess));
        assert_eq!(status(&store, "late"), Some(TaskStatus::DoNotSend));

        // A saved task scheduled later (as a create does in two steps).
        if let Some(task) = store.task_mut("saved") {
            task.status = TaskStatus::DoNotSend;
        }
        store.settle(at(20));
        assert_eq!(status(&store, "saved"), Some(TaskStatus::SendSuccess));
        assert_eq!(status(&store, "late"), Some(TaskStatus::DoNotSend));
        store.settle(at(60));
        assert_eq!(status(&store, "late"), Some(TaskStatus::SendSuccess));
    }

    /// A new store written in bulk holds exactly what it was given, one user at a time
    /// would: bare cids as `UserSeed::new` makes them, the last of a repeated cid winning, a
    /// user overriding a bare cid, and tags answering conditions.
    #[test]
    fn a_new_store_holds_its_population_as_given() {
        use crate::getui::conditions::{Combine, Dimension};
        let Ok(dir) = tempfile::tempdir() else {
            panic!("no temp dir")
        };
        let user = |cid: &str, tags: &[&str]| User {
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..User::from_seed(UserSeed::new(cid), "demo")
        };
        let ios = User {
            phone_type: "IOS".into(),
            online: true,
            maker: None,
            ..user("ios", &[])
        };
        let population = Population {
            users: vec![
                user("twice", &["old"]),
                user("rich", &["vip"]),
                ios.clone(),
                user("twice", &["vip", "new"]),
                user("b2", &["vip"]),
            ],
            bare_cids: vec!["b1".into(), "b2".into(), "b3".into()],
        };
        let Ok(mut store) = Store::open(dir.path(), app(), || population) else {
            panic!("no store");
        };
        assert_eq!(store.user("b1"), Some(user("b1", &[])));
        assert_eq!(store.user("b3"), Some(user("b3", &[])));
        assert_eq!(store.user("b2"), Some(user("b2", &["vip"])));
        assert_eq!(store.user("twice"), Some(user("twice", &["vip", "new"])));
        assert_eq!(store.user("ios"), Some(ios));
        let tagged = |tag: &str| Condition {
            dimension: Dimension::Tag,
            values: vec![tag.to_owned()],
            combine: Combine::Any,
        };
        assert_eq!(store.count_audience(&[tagged("vip")]), 3);
        assert_eq!(store.count_audience(&[tagged("old")]), 0);
        assert_eq!(store.count_audience(&[]), 6);
    }

    #[test]
    fn an_old_json_store_is_imported_once() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("no temp dir")
        };
        let legacy = LegacyStoreFile {
            apps: vec![app()],
            users: vec![User {
                tags: vec!["vip".into()],
                alias: Some("al".into()),
                ..User::from_seed(UserSeed::new("c1"), "demo")
            }],
            tasks: vec![],
            list_pushes: vec![],
        };
        let Ok(legacy) = serde_json::to_string(&legacy) else {
            panic!("cannot write the old store");
        };
        let written = std::fs::write(dir.path().join(LEGACY_FILE_NAME), legacy);
        assert!(written.is_ok());
        let Ok(mut store) = Store::open(dir.path(), app(), Population::default) else {
            panic!("import failed");
        };
        assert_eq!(
            store.user("c1").map(|u| u.tags),
            Some(vec!["vip".to_owned()])
        );
        assert_eq!(store.cids_of_alias("al"), vec!["c1".to_owned()]);
        assert!(!dir.path().join(LEGACY_FILE_NAME).exists());
        assert!(
            dir.path()
                .join(format!("{LEGACY_FILE_NAME}{IMPORTED_SUFFIX}"))
                .exists()
        );
    }

    #[test]
    fn on_disk_audiences_are_the_users_the_in_memory_rules_pick() {
        use crate::getui::conditions::{Combine, Dimension};
        let user = |cid: &str, phone: &str, region: Option<&str>, tags: &[&str]| User {
            phone_type: phone.into(),
            region: region.map(str::to_owned),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..User::from_seed(UserSeed::new(cid), "demo")
        };
        let users = vec![
            user("a", "ANDROID", Some("浙江省"), &["vip", "new"]),
            user("b", "IOS", Some("上海市"), &["vip"]),
            user("c", "ios", None, &[]),
            user("d", "ANDROID", Some("广西壮族自治区"), &["new"]),
            User {
                app_id: "other".into(),
                ..user("e", "ANDROID", Some("浙江"), &["vip"])
            },
        ];
        let condition = |dimension, values: &[&str], combine| Condition {
            dimension,
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            combine,
        };
        let cases = vec![
            vec![],
            vec![condition(Dimension::Tag, &["vip"], Combine::Any)],
            vec![condition(Dimension::Tag, &["vip", "new"], Combine::All)],
            vec![condition(Dimension::Tag, &["vip", ""], Combine::None)],
            vec![condition(Dimension::Tag, &["", " "], Combine::All)],
            vec![condition(Dimension::PhoneType, &["ios"], Combine::Any)],
            vec![condition(
                Dimension::Region,
                &["浙江", "广西"],
                Combine::Any,
            )],
            vec![condition(Dimension::Region, &[" 上海 "], Combine::None)],
            vec![
                condition(Dimension::PhoneType, &["ANDROID"], Combine::Any),
                condition(Dimension::Tag, &["new"], Combine::All),
            ],
        ];
        let Ok(dir) = tempfile::tempdir() else {
            panic!("no temp dir")
        };
        let mut memory = Store::new(app(), users.clone());
        let Ok(mut disk) = Store::open(dir.path(), app(), || Population {
            users: users.clone(),
            bare_cids: Vec::new(),
        }) else {
            panic!("no store");
        };
        for conditions in &cases {
            assert_eq!(
                disk.audience_of(conditions),
                memory.audience_of(conditions),
                "{conditions:?}"
            );
            assert_eq!(
                disk.count_audience(conditions),
                memory.count_audience(conditions),
                "{conditions:?}"
            );
        }
        // A tag set through the store is seen by the next count.
        let tagged = disk.update_user("c", |u| u.tags = vec!["vip".into()]);
        assert!(tagged.is_some());
        let vip = [condition(Dimension::Tag, &["vip"], Combine::Any)];
        assert_eq!(disk.count_audience(&vip), 3);
    }
}
