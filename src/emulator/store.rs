//! What the emulated Getui knows: apps, users, push tasks, list pushes, tokens.
//!
//! [`Store`] is plain data behind one lock in the server; handlers in `actions` read and change
//! it. Scheduled tasks do not need a timer: [`Store::settle`] moves every task whose push time
//! has passed from `do_not_send` to `send_success`, and the server calls it with the clock's
//! "now" before it looks at anything, so a test that advances a manual clock sees the task
//! fire on its next request. With a data directory the store is saved after every change
//! (temp file, fsync, rename, fsync of the directory) and read back on start.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::audience::Condition;
use super::seed::UserSeed;

/// A device (cid) of an app, with what conditions, aliases and SMS bindings look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub cid: String,
    pub app_id: String,
    /// `ANDROID` or `IOS`.
    pub phone_type: String,
    pub region: Option<String>,
    pub tags: Vec<String>,
    pub alias: Option<String>,
    /// md5 of the bound phone number (32 lower-case hex), never a clear number.
    pub pn: Option<String>,
    /// Level of the pn binding; an API bind (level 1) cannot overwrite a higher one (code 3).
    pub pn_level: u8,
    /// How active the device is; a pn stays with its most active cid (code 4).
    pub activity: u32,
    /// Whether a push reaches the device online (`successed_online`) or is kept offline.
    pub online: bool,
}

impl User {
    pub(crate) fn from_seed(seed: UserSeed, default_app: &str) -> User {
        User {
            cid: seed.cid,
            app_id: seed.app_id.unwrap_or_else(|| default_app.to_owned()),
            phone_type: seed.phone_type,
            region: seed.region,
            tags: seed.tags,
            alias: seed.alias,
            pn: seed.pn,
            pn_level: seed.pn_level,
            activity: seed.activity,
            online: seed.online,
        }
    }
}

/// Whether a task was saved for a list push or an app push (the `contentType` of getContentId).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    List,
    App,
}

/// Where a task is in its life; the names after `Saved` are the `sendResult` wire values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Content saved by getContentId, not pushed yet.
    Saved,
    /// A scheduled app push waiting for its push time.
    DoNotSend,
    /// Pushed (immediately, or because its push time passed).
    SendSuccess,
    /// Stopped before it finished.
    SendFailed,
    /// Deleted before its push time.
    HasDelete,
}

impl TaskStatus {
    pub fn wire_name(self) -> &'static str {
        match self {
            TaskStatus::Saved => "saved",
            TaskStatus::DoNotSend => "do_not_send",
            TaskStatus::SendSuccess => "send_success",
            TaskStatus::SendFailed => "send_failed",
            TaskStatus::HasDelete => "has_delete",
        }
    }
}

/// A saved content id and, once pushed, the push it became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub kind: TaskKind,
    pub status: TaskStatus,
    /// When a scheduled app push fires.
    pub push_time: Option<DateTime<Utc>>,
    /// The `pushTime` exactly as submitted (`yyyyMMddHHmm`, Beijing time), echoed by getScheduleTask.
    pub push_time_text: Option<String>,
    pub created_at: DateTime<Utc>,
    pub group: Option<String>,
    pub conditions: Vec<Condition>,
    /// The template's `transmissionContent`.
    pub content: String,
    pub push_type: Option<String>,
    /// Whether the SMS info of the template was accepted.
    pub sms: bool,
    /// Set by cancleContentIdAction; the id can no longer be pushed.
    pub cancelled: bool,
    /// Cids an app push reached when it fired.
    pub recipients: Vec<String>,
}

/// One pushMessageToListAction that reached the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPush {
    pub task_id: String,
    pub at: DateTime<Utc>,
    /// The `clientIdList` as sent.
    pub cids: Vec<String>,
    /// The `aliasList` as sent.
    pub aliases: Vec<String>,
    /// Known cids of this app the push was delivered to (cids plus the aliases' cids).
    pub delivered_to: Vec<String>,
    pub content: String,
}

/// An app the emulator serves (the secret stays in the config, never in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct App {
    pub app_id: String,
    pub app_key: String,
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

/// The on-disk form; tokens are left out on purpose (clients reconnect after a restart).
#[derive(Serialize, Deserialize)]
struct StoreFile {
    format_version: u32,
    apps: Vec<App>,
    users: Vec<User>,
    tasks: Vec<Task>,
    list_pushes: Vec<ListPush>,
}

const STORE_FORMAT_VERSION: u32 = 1;
const STORE_FILE_NAME: &str = "emulator-state.json";

/// Why the store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read emulator data {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("emulator data {path} is not valid (delete it to start afresh): {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot write emulator data {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub(crate) struct Store {
    pub(crate) apps: Vec<App>,
    /// Change a user's `pn` only through [`Store::set_pn`], which keeps `pn_holders` right.
    pub(crate) users: BTreeMap<String, User>,
    /// pn md5 → the cids bound to it: a bind asks who holds a pn for each of up to 50 pairs,
    /// and scanning every user for each one, under the store lock, made bindings serial.
    pn_holders: HashMap<String, BTreeSet<String>>,
    pub(crate) tasks: Vec<Task>,
    task_index: HashMap<String, usize>,
    pub(crate) list_pushes: Vec<ListPush>,
    /// token → expiry.
    tokens: HashMap<String, DateTime<Utc>>,
    rng: StdRng,
    /// Set by every change; the server saves and clears it.
    pub(crate) dirty: bool,
}

impl Store {
    pub(crate) fn new(app: App, users: Vec<User>) -> Store {
        let users: BTreeMap<String, User> = users.into_iter().map(|u| (u.cid.clone(), u)).collect();
        let mut pn_holders: HashMap<String, BTreeSet<String>> = HashMap::new();
        for user in users.values() {
            if let Some(pn) = &user.pn {
                pn_holders
                    .entry(pn.clone())
                    .or_default()
                    .insert(user.cid.clone());
            }
        }
        Store {
            apps: vec![app],
            users,
            pn_holders,
            tasks: Vec::new(),
            task_index: HashMap::new(),
            list_pushes: Vec::new(),
            tokens: HashMap::new(),
            rng: StdRng::from_os_rng(),
            dirty: false,
        }
    }

    /// Reads `dir`'s saved store, or `None` when there is none yet.
    pub(crate) fn load(dir: &Path) -> Result<Option<Store>, StoreError> {
        let path = dir.join(STORE_FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        let file: StoreFile =
            serde_json::from_str(&text).map_err(|source| StoreError::Parse { path, source })?;
        let mut store = Store::new(
            App {
                app_id: String::new(),
                app_key: String::new(),
            },
            file.users,
        );
        store.apps = file.apps;
        for task in file.tasks {
            store.insert_task(task);
        }
        store.list_pushes = file.list_pushes;
        Ok(Some(store))
    }

    /// Writes the store to `dir` atomically: a crash leaves either the old or the new file.
    pub(crate) fn save(&self, dir: &Path) -> Result<(), StoreError> {
        let file = StoreFile {
            format_version: STORE_FORMAT_VERSION,
            apps: self.apps.clone(),
            users: self.users.values().cloned().collect(),
            tasks: self.tasks.clone(),
            list_pushes: self.list_pushes.clone(),
        };
        let path = dir.join(STORE_FILE_NAME);
        let write_err = |source| StoreError::Write {
            path: path.clone(),
            source,
        };
        let text =
            serde_json::to_vec_pretty(&file).map_err(|e| write_err(std::io::Error::other(e)))?;
        std::fs::create_dir_all(dir).map_err(write_err)?;
        let temp = dir.join(format!("{STORE_FILE_NAME}.tmp"));
        let mut out = std::fs::File::create(&temp).map_err(write_err)?;
        out.write_all(&text).map_err(write_err)?;
        out.sync_all().map_err(write_err)?;
        drop(out);
        std::fs::rename(&temp, &path).map_err(write_err)?;
        // The rename is only durable once the directory entry is.
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(write_err)?;
        Ok(())
    }

    pub(crate) fn snapshot(&self) -> StoreSnapshot {
        let users: Vec<User> = self.users.values().cloned().collect();
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
        let due: Vec<usize> = self
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.status == TaskStatus::DoNotSend && t.push_time.is_some_and(|at| at <= now)
            })
            .map(|(i, _)| i)
            .collect();
        for index in due {
            let recipients = match self.tasks.get(index) {
                Some(task) => self.audience_of(&task.conditions),
                None => continue,
            };
            if let Some(task) = self.tasks.get_mut(index) {
                task.status = TaskStatus::SendSuccess;
                task.recipients = recipients;
                self.dirty = true;
            }
        }
    }

    /// Cids of the served app that satisfy `conditions`.
    pub(crate) fn audience_of(&self, conditions: &[Condition]) -> Vec<String> {
        let app_id = self.app_id();
        self.users
            .values()
            .filter(|u| u.app_id == app_id && super::audience::matches(u, conditions))
            .map(|u| u.cid.clone())
            .collect()
    }

    /// The first user (in cid order) of `app_id` other than `except` bound to `pn`, with its
    /// activity.
    pub(crate) fn pn_holder(&self, app_id: &str, pn: &str, except: &str) -> Option<(String, u32)> {
        self.pn_holders
            .get(pn)?
            .iter()
            .filter(|cid| cid.as_str() != except)
            .filter_map(|cid| self.users.get(cid))
            .find(|u| u.app_id == app_id)
            .map(|u| (u.cid.clone(), u.activity))
    }

    /// Binds `cid` to `pn` (or unbinds it with `None`); returns the pn it had.
    pub(crate) fn set_pn(&mut self, cid: &str, pn: Option<String>) -> Option<String> {
        let user = self.users.get_mut(cid)?;
        let previous = std::mem::replace(&mut user.pn, pn.clone());
        if let Some(old) = &previous
            && let Some(holders) = self.pn_holders.get_mut(old)
        {
            holders.remove(cid);
            if holders.is_empty() {
                self.pn_holders.remove(old);
            }
        }
        if let Some(new) = pn {
            self.pn_holders
                .entry(new)
                .or_default()
                .insert(cid.to_owned());
        }
        previous
    }

    /// Whether any user belongs to the served app, without collecting them.
    pub(crate) fn app_has_users(&self) -> bool {
        let app_id = self.app_id();
        self.users.values().any(|u| u.app_id == app_id)
    }

    pub(crate) fn app_id(&self) -> &str {
        self.apps.first().map(|a| a.app_id.as_str()).unwrap_or("")
    }

    #[cfg(test)]
    pub(crate) fn task(&self, id: &str) -> Option<&Task> {
        self.task_index.get(id).and_then(|&i| self.tasks.get(i))
    }

    pub(crate) fn task_mut(&mut self, id: &str) -> Option<&mut Task> {
        let index = *self.task_index.get(id)?;
        self.tasks.get_mut(index)
    }

    pub(crate) fn insert_task(&mut self, task: Task) {
        self.task_index.insert(task.id.clone(), self.tasks.len());
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
    pub(crate) fn cids_of_alias(&self, alias: &str) -> Vec<String> {
        self.users
            .values()
            .filter(|u| u.alias.as_deref() == Some(alias))
            .map(|u| u.cid.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else {
            panic!("no temp dir")
        };
        let mut store = Store::new(app(), vec![]);
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
        });
        assert!(store.save(dir.path()).is_ok());
        let loaded = Store::load(dir.path()).ok().flatten();
        assert_eq!(
            loaded
                .as_ref()
                .and_then(|s| s.task(&id))
                .map(|t| t.content.as_str()),
            Some("hi")
        );
        assert_eq!(loaded.map(|s| s.apps), Some(vec![app()]));
    }
}
