//! The emulator's store on disk: one SQLite database (`emulator.db`) in the data directory.
//!
//! Why SQLite and not the JSON file this replaced: the file was rewritten whole after every
//! change, so an apply was quadratic in the size of the store, and a SIGTERM between two
//! rewrites lost what had been acknowledged (see issue 13). Here each change writes only its
//! rows, in WAL mode with `synchronous=FULL`, and [`Db::commit`] makes everything written since
//! the last commit durable with one fsync, so concurrent requests share it (the server groups
//! them, see `commit::make_durable`).
//!
//! What is kept where: users (devices) stay in the database and are read by key or by index
//! (cid, pn, alias) when a request needs them, so a store with a million devices opens
//! without reading them; tasks and list pushes are few and are read whole on start (the
//! handlers look at them in memory) and written back row by row when they change.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

use super::UserSeed;
use super::audience::{KEY_SEPARATOR, region_key};
use super::delivery::Device;
use super::records::{App, ListPush, PnRecord, StoreError, Task, User};
use super::seed::{Maker, is_ios};
use crate::getui::conditions::{Combine, Condition, Dimension};

pub(crate) const DB_FILE_NAME: &str = "emulator.db";
/// The store format before the database; imported once, then renamed with [`IMPORTED_SUFFIX`].
pub(crate) const LEGACY_FILE_NAME: &str = "emulator-state.json";
pub(crate) const IMPORTED_SUFFIX: &str = ".imported";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS apps (pos INTEGER PRIMARY KEY, app_id TEXT NOT NULL, app_key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    cid TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    phone_type TEXT NOT NULL,
    region TEXT,
    tags TEXT NOT NULL,
    region_key TEXT,
    alias TEXT,
    pn TEXT,
    pn_level INTEGER NOT NULL,
    activity INTEGER NOT NULL,
    online INTEGER NOT NULL,
    maker TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS user_tags (tag TEXT NOT NULL, cid TEXT NOT NULL, PRIMARY KEY (tag, cid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tasks (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS list_pushes (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS marketing_counts (
    day INTEGER NOT NULL,
    device INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, device)
) WITHOUT ROWID;
";

/// The secondary indexes, apart from the tables: a new store builds them once its rows are
/// in (one sort each), instead of updating them row by row.
const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS users_by_pn ON users (pn) WHERE pn IS NOT NULL;
CREATE INDEX IF NOT EXISTS users_by_alias ON users (alias) WHERE alias IS NOT NULL;
CREATE INDEX IF NOT EXISTS user_tags_by_cid ON user_tags (cid);
";

/// The columns of `users` after `cid`, as [`SCHEMA`] has them, with the defaults a new
/// store gives them for its bare devices (see [`Db::create_users_with_bare`]).
const USERS_AFTER_CID: &str = "
    app_id TEXT NOT NULL DEFAULT {app_id}
    phone_type TEXT NOT NULL DEFAULT {phone_type}
    region TEXT
    tags TEXT NOT NULL DEFAULT '[]'
    region_key TEXT
    alias TEXT
    pn TEXT
    pn_level INTEGER NOT NULL DEFAULT {pn_level}
    activity INTEGER NOT NULL DEFAULT {activity}
    online INTEGER NOT NULL DEFAULT {online}
    maker TEXT
";

/// `text` as an SQL string literal.
fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

const USER_COLUMNS: &str = "cid, app_id, phone_type, region, tags, alias, pn, pn_level, activity, online, region_key, maker";

/// Values in a row of [`USER_COLUMNS`].
const USER_WIDTH: usize = 12;

/// An open database, inside a write transaction from the first change to the next commit.
pub(crate) struct Db {
    conn: Connection,
    path: PathBuf,
    in_transaction: bool,
}

/// What a new database starts with.
pub(crate) struct Content<'a> {
    pub apps: &'a [App],
    pub users: &'a [User],
    /// Cids of devices with nothing else set, sorted; a user of the same cid overrides one.
    /// Owned: SQLite reads the million cids of a sandbox from this very vector.
    pub bare_cids: Vec<String>,
    pub tasks: &'a [Task],
    pub list_pushes: &'a [ListPush],
}

/// What a database held when it was opened (users stay on disk).
pub(crate) struct Loaded {
    pub apps: Vec<App>,
    pub tasks: Vec<Task>,
    pub list_pushes: Vec<ListPush>,
    /// The makers' counts of marketing pushes: China day, device key, count.
    pub marketing_counts: Vec<(i32, u64, u8)>,
}

impl Db {
    /// Opens the database in `dir`, which [`Db::create`] made, and reads what it keeps in
    /// memory.
    pub(crate) fn open(dir: &Path) -> Result<(Db, Loaded), StoreError> {
        let path = dir.join(DB_FILE_NAME);
        let conn = Connection::open(&path).map_err(|e| db_error(&path, e))?;
        let mut db = Db {
            conn,
            path,
            in_transaction: false,
        };
        db.setup()?;
        let loaded = db.load()?;
        Ok((db, loaded))
    }

    fn setup(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        // WAL lets a commit be one append and one fsync; FULL makes that fsync happen before
        // the commit returns, which is what "acknowledged means durable" needs.
        //
        // Binding a million phones changes a page of the phone index at random for each pair.
        // With SQLite's defaults (a 2 MiB cache, a checkpoint every 1,000 WAL pages) each
        // page was read back and copied to the database again and again. A cache that holds
        // the indexes, and a WAL of 64 MiB, write each hot page once per checkpoint instead.
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| self.conn.pragma_update(None, "synchronous", "FULL"))
            .and_then(|()| self.conn.pragma_update(None, "cache_size", -65_536))
            .and_then(|()| self.conn.pragma_update(None, "wal_autocheckpoint", 16_384))
            // A batch of binds is read and written through JSON arrays, which SQLite holds in
            // small temporary tables; kept in a file, each one cost writes as many as the
            // batch's own (twice the writes of a million binds).
            .and_then(|()| self.conn.pragma_update(None, "temp_store", "MEMORY"))
            .and_then(|()| self.conn.execute_batch(SCHEMA))
            .and_then(|()| self.migrate())
            .and_then(|()| self.conn.execute_batch(INDEXES))
            .map_err(|e| db_error(&path, e))
    }

    /// Brings a store made by an older gtcamp up to [`SCHEMA`]: its devices were made
    /// before makers, and read as maker `other` (Android) or none (iOS).
    fn migrate(&self) -> rusqlite::Result<()> {
        let has_maker: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info('users') WHERE name = 'maker')",
            [],
            |row| row.get(0),
        )?;
        if !has_maker {
            self.conn
                .execute_batch("ALTER TABLE users ADD COLUMN maker TEXT")?;
        }
        Ok(())
    }

    fn load(&self) -> Result<Loaded, StoreError> {
        let apps = self.collect("SELECT app_id, app_key FROM apps ORDER BY pos", |row| {
            Ok(App {
                app_id: row.get(0)?,
                app_key: row.get(1)?,
            })
        })?;
        let tasks = self.collect_json("SELECT body FROM tasks ORDER BY seq")?;
        let list_pushes = self.collect_json("SELECT body FROM list_pushes ORDER BY seq")?;
        let marketing_counts =
            self.collect("SELECT day, device, count FROM marketing_counts", |row| {
                let device: i64 = row.get(1)?;
                Ok((
                    row.get(0)?,
                    u64::from_ne_bytes(device.to_ne_bytes()),
                    row.get(2)?,
                ))
            })?;
        Ok(Loaded {
            apps,
            tasks,
            list_pushes,
            marketing_counts,
        })
    }

    fn collect<T>(
        &self,
        sql: &str,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut statement = self.conn.prepare_cached(sql).map_err(|e| self.error(e))?;
        let rows = statement.query_map([], map).map_err(|e| self.error(e))?;
        rows.collect::<Result<Vec<T>, _>>()
            .map_err(|e| self.error(e))
    }

    fn collect_json<T: serde::de::DeserializeOwned>(
        &self,
        sql: &str,
    ) -> Result<Vec<T>, StoreError> {
        let bodies = self.collect(sql, |row| row.get::<_, String>(0))?;
        bodies
            .iter()
            .map(|body| {
                serde_json::from_str(body).map_err(|source| StoreError::Parse {
                    path: self.path.clone(),
                    source,
                })
            })
            .collect()
    }

    /// Creates the database of a new store in `dir` holding `content`, whole or not at all:
    /// it is written under a temporary name and renamed into place, so a store killed while
    /// being created is created again on the next start instead of opening half-seeded.
    pub(crate) fn create(dir: &Path, content: Content<'_>) -> Result<(), StoreError> {
        let path = dir.join(DB_FILE_NAME);
        let temp = dir.join(format!("{DB_FILE_NAME}.new"));
        let write_error = |source| StoreError::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(write_error)?;
        for leftover in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(dir.join(format!("{DB_FILE_NAME}.new{leftover}")));
        }
        {
            let conn = Connection::open(&temp).map_err(|e| db_error(&temp, e))?;
            let mut db = Db {
                conn,
                path: temp.clone(),
                in_transaction: false,
            };
            // No journal and no syncs while the new file is filled: until the rename it is
            // nobody's store, and one fsync of the whole file below replaces them all. A
            // cache of 64 MiB: the population's users go in among a million bare devices,
            // and with the default 2 MiB most of those inserts read their page back first.
            db.conn
                .execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;")
                .map_err(|e| db_error(&temp, e))?;
            db.begin()?;
            if let Some(app) = content.apps.first() {
                let bare = User::from_seed(UserSeed::new(""), &app.app_id);
                db.create_users_with_bare(&BareKind::of(&bare), content.bare_cids)?;
            }
            db.conn
                .execute_batch(SCHEMA)
                .map_err(|e| db_error(&temp, e))?;
            db.fill(
                content.apps,
                content.users,
                content.tasks,
                content.list_pushes,
            )?;
            db.conn
                .execute_batch(INDEXES)
                .map_err(|e| db_error(&temp, e))?;
        }
        std::fs::File::open(&temp)
            .and_then(|file| file.sync_all())
            .map_err(write_error)?;
        std::fs::rename(&temp, &path).map_err(write_error)?;
        // The rename is only durable once the directory entry is.
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(write_error)
    }

    fn fill(
        &mut self,
        apps: &[App],
        users: &[User],
        tasks: &[Task],
        list_pushes: &[ListPush],
    ) -> Result<(), StoreError> {
        self.begin()?;
        self.put_apps(apps)?;
        self.put_new_users(users)?;
        for (seq, task) in tasks.iter().enumerate() {
            self.put_task(seq, task)?;
        }
        for (seq, push) in list_pushes.iter().enumerate() {
            self.put_list_push(seq, push)?;
        }
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('format_version', '2')",
                [],
            )
            .map_err(|e| self.error(e))?;
        self.commit()
    }

    /// Writes the users of a new store in key order (appending to the b-trees instead of
    /// inserting at random places), the last of any repeated cid winning as it would one by
    /// one, [`ROWS_PER_INSERT`] to a statement: one statement per row spent most of a fresh
    /// plan binding, stepping and resetting. (The million bare devices of a sandbox take
    /// [`Db::create_users_with_bare`] instead.)
    fn put_new_users(&mut self, users: &[User]) -> Result<(), StoreError> {
        let mut rich: Vec<&User> = users.iter().collect();
        rich.sort_by(|a, b| a.cid.cmp(&b.cid));
        rich.dedup_by(|next, kept| {
            let repeated = next.cid == kept.cid;
            if repeated {
                std::mem::swap(next, kept);
            }
            repeated
        });
        let derived: Vec<Derived> = rich.iter().map(|user| Derived::of(user)).collect();
        let rows: Vec<(&User, &Derived)> = rich.iter().copied().zip(&derived).collect();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let sql = bulk_insert(
                "INSERT OR REPLACE INTO users",
                USER_COLUMNS,
                USER_WIDTH,
                chunk.len(),
            );
            let mut values: Vec<&dyn rusqlite::ToSql> =
                Vec::with_capacity(chunk.len() * USER_WIDTH);
            for (user, derived) in chunk {
                values.extend(user_values(user, derived));
            }
            self.execute_cached(&sql, &values)?;
        }
        self.put_new_tags(&rich)
    }

    /// Creates the `users` table of a new store holding the devices that differ only in
    /// their cid (a million for a big sandbox), each with the values of `bare`.
    ///
    /// The table starts as the cid column alone; the cids go in (moved into the array
    /// SQLite reads them from), then [`USERS_AFTER_CID`] adds the other columns with the
    /// bare devices' values as their defaults. SQLite reads a column added after a row was
    /// written as its default, so each bare device is stored as its cid alone: written in
    /// half the time a full row took, in a file about half the size. The table is then
    /// the one [`SCHEMA`] describes (a test compares them). The price is paid later, and
    /// only once: the first change to a bare device writes its row whole.
    fn create_users_with_bare(
        &mut self,
        bare: &BareKind<'_>,
        cids: Vec<String>,
    ) -> Result<(), StoreError> {
        rusqlite::vtab::array::load_module(&self.conn).map_err(|e| self.error(e))?;
        self.conn
            .execute_batch("CREATE TABLE users (cid TEXT PRIMARY KEY) WITHOUT ROWID")
            .map_err(|e| self.error(e))?;
        let cids: Vec<Value> = cids.into_iter().map(Value::Text).collect();
        self.execute_cached(
            "INSERT OR REPLACE INTO users (cid) SELECT value FROM rarray(?1)",
            &[&Rc::new(cids)],
        )?;
        let columns = USERS_AFTER_CID
            .replace("{app_id}", &sql_text(bare.app_id))
            .replace("{phone_type}", &sql_text(bare.phone_type))
            .replace("{pn_level}", &bare.pn_level.to_string())
            .replace("{activity}", &bare.activity.to_string())
            .replace("{online}", &u8::from(bare.online).to_string());
        for column in columns.lines().map(str::trim).filter(|c| !c.is_empty()) {
            self.conn
                .execute_batch(&format!("ALTER TABLE users ADD COLUMN {column}"))
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// The `user_tags` rows of new users, in key order.
    fn put_new_tags(&mut self, users: &[&User]) -> Result<(), StoreError> {
        let mut user_tags: Vec<(&str, &str)> = users
            .iter()
            .flat_map(|user| {
                user.tags
                    .iter()
                    .map(|tag| (tag.as_str(), user.cid.as_str()))
            })
            .collect();
        user_tags.sort_unstable();
        user_tags.dedup();
        for chunk in user_tags.chunks(ROWS_PER_INSERT) {
            let sql = bulk_insert(
                "INSERT OR IGNORE INTO user_tags",
                "tag, cid",
                2,
                chunk.len(),
            );
            let values: Vec<&dyn rusqlite::ToSql> = chunk
                .iter()
                .flat_map(|(tag, cid)| [tag as &dyn rusqlite::ToSql, cid as &dyn rusqlite::ToSql])
                .collect();
            self.execute_cached(&sql, &values)?;
        }
        Ok(())
    }

    fn execute_cached(
        &mut self,
        sql: &str,
        values: &[&dyn rusqlite::ToSql],
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut statement| statement.execute(values))
            .map(drop)
            .map_err(|e| db_error(&self.path, e))
    }

    pub(crate) fn put_apps(&mut self, apps: &[App]) -> Result<(), StoreError> {
        self.begin()?;
        self.conn
            .execute("DELETE FROM apps", [])
            .map_err(|e| self.error(e))?;
        for (pos, app) in apps.iter().enumerate() {
            self.conn
                .execute(
                    "INSERT INTO apps (pos, app_id, app_key) VALUES (?1, ?2, ?3)",
                    params![pos as i64, app.app_id, app.app_key],
                )
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// Starts the write transaction the next commit ends, unless one is open.
    fn begin(&mut self) -> Result<(), StoreError> {
        if !self.in_transaction {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(|e| self.error(e))?;
            self.in_transaction = true;
        }
        Ok(())
    }

    /// Makes every write since the last commit durable.
    pub(crate) fn commit(&mut self) -> Result<(), StoreError> {
        if !self.in_transaction {
            return Ok(());
        }
        self.in_transaction = false;
        self.conn.execute_batch("COMMIT").map_err(|e| self.error(e))
    }

    pub(crate) fn put_user(&mut self, user: &User, tags_changed: bool) -> Result<(), StoreError> {
        self.begin()?;
        self.execute_cached(&USER_UPSERT, &user_values(user, &Derived::of(user)))?;
        if tags_changed {
            self.put_tags(user)?;
        }
        Ok(())
    }

    /// Rewrites the `user_tags` rows of `user`, which conditions on tags are answered from.
    fn put_tags(&mut self, user: &User) -> Result<(), StoreError> {
        let path = self.path.clone();
        let error = |e| db_error(&path, e);
        self.conn
            .prepare_cached("DELETE FROM user_tags WHERE cid = ?1")
            .and_then(|mut s| s.execute([&user.cid]))
            .map_err(error)?;
        let mut insert = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO user_tags (tag, cid) VALUES (?1, ?2)")
            .map_err(error)?;
        for tag in &user.tags {
            insert.execute([tag, &user.cid]).map_err(error)?;
        }
        Ok(())
    }

    /// How many users of `app_id` satisfy `conditions` (counted by SQLite, with the
    /// `user_tags` index for tags, instead of reading every device into Rust).
    pub(crate) fn count_matching(
        &self,
        app_id: &str,
        conditions: &[Condition],
    ) -> Result<usize, StoreError> {
        let (clause, values) = where_clause(app_id, conditions);
        let sql = format!("SELECT count(*) FROM users WHERE {clause}");
        let mut statement = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        statement
            .query_row(rusqlite::params_from_iter(values.iter()), |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(|e| self.error(e))
    }

    /// The devices of `app_id` that satisfy `conditions`, in cid order.
    pub(crate) fn devices_matching(
        &self,
        app_id: &str,
        conditions: &[Condition],
    ) -> Result<Vec<Device>, StoreError> {
        let (clause, values) = where_clause(app_id, conditions);
        let sql =
            format!("SELECT cid, phone_type, online, maker FROM users WHERE {clause} ORDER BY cid");
        let mut statement = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = statement
            .query_map(rusqlite::params_from_iter(values.iter()), |row| {
                let phone_type: String = row.get(1)?;
                let maker = row.get::<_, Option<String>>(3)?;
                Ok(Device {
                    cid: row.get(0)?,
                    ios: is_ios(&phone_type),
                    online: row.get(2)?,
                    maker: Maker::of_device(&phone_type, maker.as_deref().and_then(Maker::of_code)),
                })
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.error(e))
    }

    /// Writes the marketing counts that changed (`day`, device key, count), after
    /// forgetting the days before `forgot_before`.
    pub(crate) fn put_marketing_counts(
        &mut self,
        forgot_before: Option<i32>,
        counts: &[(i32, u64, u8)],
    ) -> Result<(), StoreError> {
        if forgot_before.is_none() && counts.is_empty() {
            return Ok(());
        }
        self.begin()?;
        if let Some(day) = forgot_before {
            self.execute_cached("DELETE FROM marketing_counts WHERE day < ?1", &[&day])?;
        }
        for (day, device, count) in counts {
            // SQLite's integers are signed: the key is stored as the i64 of the same bits.
            let device = i64::from_ne_bytes(device.to_ne_bytes());
            self.execute_cached(
                "INSERT OR REPLACE INTO marketing_counts (day, device, count) VALUES (?1, ?2, ?3)",
                &[day, &device, count],
            )?;
        }
        Ok(())
    }

    /// Sets the pn (and the level, if given) of `cid`; returns the pn it had (`None` too when
    /// there is no such user).
    pub(crate) fn set_pn(
        &mut self,
        cid: &str,
        pn: Option<&str>,
        level: Option<u8>,
    ) -> Result<Option<String>, StoreError> {
        self.begin()?;
        let previous: Option<Option<String>> = self
            .conn
            .prepare_cached("SELECT pn FROM users WHERE cid = ?1")
            .and_then(|mut s| s.query_row([cid], |row| row.get(0)).optional())
            .map_err(|e| self.error(e))?;
        let Some(previous) = previous else {
            return Ok(None);
        };
        if previous.as_deref() != pn || level.is_some() {
            self.conn
                .prepare_cached(
                    "UPDATE users SET pn = ?2, pn_level = coalesce(?3, pn_level) WHERE cid = ?1",
                )
                .and_then(|mut s| s.execute(params![cid, pn, level]))
                .map_err(|e| self.error(e))?;
        }
        Ok(previous)
    }

    /// How many devices of `cids` are online, in one statement driven by a JSON array.
    pub(crate) fn count_online(&self, cids: &[String]) -> Result<u64, StoreError> {
        let cids = serde_json::to_string(cids).map_err(|e| self.write_error(e))?;
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM users \
                 WHERE online <> 0 AND cid IN (SELECT value FROM json_each(?1))",
            )
            .map_err(|e| self.error(e))?;
        let count: i64 = statement
            .query_row([cids], |row| row.get(0))
            .map_err(|e| self.error(e))?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// The devices of `cids` and those bound to one of `pns` (a device may come twice), in
    /// two index searches driven by JSON arrays, so one statement serves any batch size.
    pub(crate) fn pn_records(
        &self,
        cids: &[&str],
        pns: &[&str],
    ) -> Result<Vec<PnRecord>, StoreError> {
        let to_json = |values: &[&str]| serde_json::to_string(values);
        let (cids, pns) = to_json(cids)
            .and_then(|cids| Ok((cids, to_json(pns)?)))
            .map_err(|e| self.write_error(e))?;
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT cid, app_id, pn, pn_level, activity FROM users \
                 WHERE cid IN (SELECT value FROM json_each(?1)) \
                 UNION ALL SELECT cid, app_id, pn, pn_level, activity FROM users \
                 WHERE pn IN (SELECT value FROM json_each(?2))",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([cids, pns], |row| {
                Ok(PnRecord {
                    cid: row.get(0)?,
                    app_id: row.get(1)?,
                    pn: row.get(2)?,
                    pn_level: row.get(3)?,
                    activity: row.get(4)?,
                })
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.error(e))
    }

    /// Sets the pn and level of each of `records`, in one statement.
    pub(crate) fn put_pn_records(&mut self, records: &[&PnRecord]) -> Result<(), StoreError> {
        self.begin()?;
        let rows: Vec<(&str, Option<&str>, u8)> = records
            .iter()
            .map(|r| (r.cid.as_str(), r.pn.as_deref(), r.pn_level))
            .collect();
        let rows = serde_json::to_string(&rows).map_err(|e| self.write_error(e))?;
        self.execute_cached(
            "UPDATE users SET pn = j.value ->> 1, pn_level = j.value ->> 2 \
             FROM json_each(?1) AS j WHERE users.cid = j.value ->> 0",
            &[&rows],
        )
    }

    pub(crate) fn user(&self, cid: &str) -> Result<Option<User>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE cid = ?1"))
            .map_err(|e| self.error(e))?;
        statement
            .query_row([cid], user_of_row)
            .optional()
            .map_err(|e| self.error(e))
    }

    /// Every user, in cid order, one at a time (never all in memory at once).
    pub(crate) fn each_user(&self, mut visit: impl FnMut(User)) -> Result<(), StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY cid"))
            .map_err(|e| self.error(e))?;
        let mut rows = statement.query([]).map_err(|e| self.error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.error(e))? {
            visit(user_of_row(row).map_err(|e| self.error(e))?);
        }
        Ok(())
    }

    /// Cids whose `column` (an indexed one) equals `value`, in cid order.
    pub(crate) fn cids_where(
        &self,
        column: IndexedColumn,
        value: &str,
    ) -> Result<Vec<String>, StoreError> {
        let sql = match column {
            IndexedColumn::Alias => "SELECT cid FROM users WHERE alias = ?1 ORDER BY cid",
        };
        let mut statement = self.conn.prepare_cached(sql).map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([value], |row| row.get::<_, String>(0))
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.error(e))
    }

    pub(crate) fn app_has_users(&self, app_id: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE app_id = ?1)",
                [app_id],
                |row| row.get::<_, bool>(0),
            )
            .map_err(|e| self.error(e))
    }

    /// Writes a task (insert or replace); `seq` keeps creation order.
    pub(crate) fn put_task(&mut self, seq: usize, task: &Task) -> Result<(), StoreError> {
        self.begin()?;
        let body = serde_json::to_string(task).map_err(|e| self.write_error(e))?;
        let mut statement = self
            .conn
            .prepare_cached("INSERT OR REPLACE INTO tasks (seq, id, body) VALUES (?1, ?2, ?3)")
            .map_err(|e| db_error(&self.path, e))?;
        statement
            .execute(params![seq as i64, task.id, body])
            .map_err(|e| db_error(&self.path, e))?;
        Ok(())
    }

    pub(crate) fn put_list_push(&mut self, seq: usize, push: &ListPush) -> Result<(), StoreError> {
        self.begin()?;
        let body = serde_json::to_string(push).map_err(|e| self.write_error(e))?;
        let mut statement = self
            .conn
            .prepare_cached("INSERT OR REPLACE INTO list_pushes (seq, body) VALUES (?1, ?2)")
            .map_err(|e| db_error(&self.path, e))?;
        statement
            .execute(params![seq as i64, body])
            .map_err(|e| db_error(&self.path, e))?;
        Ok(())
    }

    fn error(&self, source: rusqlite::Error) -> StoreError {
        db_error(&self.path, source)
    }

    fn write_error(&self, source: serde_json::Error) -> StoreError {
        StoreError::Write {
            path: self.path.clone(),
            source: std::io::Error::other(source),
        }
    }
}

/// The columns a lookup may use, each backed by an index.
#[derive(Clone, Copy)]
pub(crate) enum IndexedColumn {
    Alias,
}

/// Rows written by one statement when a new store is filled (11 values a row stays far
/// below SQLite's limit of 32,766 parameters).
const ROWS_PER_INSERT: usize = 256;

/// The statement that writes one user.
static USER_UPSERT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    bulk_insert("INSERT OR REPLACE INTO users", USER_COLUMNS, USER_WIDTH, 1)
});

/// `{head} ({columns}) VALUES (?, …), …` for `rows` rows of `width` values.
fn bulk_insert(head: &str, columns: &str, width: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; width].join(", "));
    format!("{head} ({columns}) VALUES {}", vec![row; rows].join(", "))
}

/// A user's values in the order of [`USER_COLUMNS`]: `derived` holds its tags as JSON and
/// its region's key.
fn user_values<'a>(user: &'a User, derived: &'a Derived) -> [&'a dyn rusqlite::ToSql; USER_WIDTH] {
    [
        &user.cid,
        &user.app_id,
        &user.phone_type,
        &user.region,
        &derived.0,
        &user.alias,
        &user.pn,
        &user.pn_level,
        &user.activity,
        &user.online,
        &derived.1,
        &derived.2,
    ]
}

/// What bare users of one statement share.
struct BareKind<'a> {
    app_id: &'a str,
    phone_type: &'a str,
    pn_level: u8,
    activity: u32,
    online: bool,
}

impl<'a> BareKind<'a> {
    fn of(user: &'a User) -> BareKind<'a> {
        BareKind {
            app_id: &user.app_id,
            phone_type: &user.phone_type,
            pn_level: user.pn_level,
            activity: user.activity,
            online: user.online,
        }
    }
}

/// The columns of a user computed from its fields: tags as JSON and the region's key
/// (`audience::region_key`: `广东`, `广东/深圳市`).
///
/// A store made before cities keyed a region by its name without suffix, which is the same
/// key for every province; only a device seeded with a city's name keeps an older key
/// (`深圳`) until it is written again.
struct Derived(String, Option<String>, Option<&'static str>);

impl Derived {
    fn of(user: &User) -> Derived {
        let tags = serde_json::to_string(&user.tags).unwrap_or_else(|_| "[]".to_owned());
        Derived(
            tags,
            user.region.as_deref().map(region_key),
            user.maker.map(Maker::code),
        )
    }
}

/// The SQL form of `audience::matches` for the users of `app_id`, with its parameters.
/// It must agree with `audience::matches` on every user (values trimmed, empty values
/// ignored, phone types without case, a province reaching its cities); the store tests check
/// both against the same users.
fn where_clause(app_id: &str, conditions: &[Condition]) -> (String, Vec<String>) {
    let mut values = vec![app_id.to_owned()];
    let mut clause = String::from("app_id = ?1");
    for condition in conditions {
        let wanted: Vec<&str> = condition
            .values
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let tests: Vec<String> = wanted
            .iter()
            .map(|value| {
                let (test, value) = match condition.dimension {
                    Dimension::PhoneType => ("phone_type = ?{} COLLATE NOCASE", *value),
                    // The region itself, or a city of it (keys `广东`, `广东/深圳市`).
                    Dimension::Region => {
                        values.push(region_key(value));
                        let test = format!(
                            "(region_key = ?{{}} OR substr(region_key, 1, length(?{{}}) + 1) = ?{{}} || '{KEY_SEPARATOR}')"
                        );
                        return test.replace("{}", &values.len().to_string());
                    }
                    // An uncorrelated IN on the primary key: SQLite walks the tag's index
                    // entries and looks each user up, instead of probing per user (which
                    // made a count of a million devices take a second).
                    Dimension::Tag => {
                        ("cid IN (SELECT cid FROM user_tags WHERE tag = ?{})", *value)
                    }
                };
                values.push(value.to_owned());
                test.replace("{}", &values.len().to_string())
            })
            .collect();
        let combined = match condition.combine {
            Combine::Any => format!("({})", tests.join(" OR ")),
            Combine::All => format!("({})", tests.join(" AND ")),
            // `IS NOT 1` rather than NOT: a comparison with a NULL region is NULL, and a
            // user without a region has none of the regions named.
            Combine::None => format!("(({}) IS NOT 1)", tests.join(" OR ")),
        };
        clause.push_str(" AND ");
        clause.push_str(&combined);
    }
    (clause, values)
}

fn user_of_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let tags: String = row.get(4)?;
    let phone_type: String = row.get(2)?;
    // NULL in a store made before makers: an Android device there has maker `other`.
    let maker = row
        .get::<_, Option<String>>(11)?
        .as_deref()
        .and_then(Maker::of_code);
    Ok(User {
        maker: Maker::of_device(&phone_type, maker),
        cid: row.get(0)?,
        app_id: row.get(1)?,
        phone_type,
        region: row.get(3)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        alias: row.get(5)?,
        pn: row.get(6)?,
        pn_level: row.get(7)?,
        activity: row.get(8)?,
        online: row.get(9)?,
    })
}

fn db_error(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Database {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each column of `users`: name, type, NOT NULL, part of the key.
    fn user_columns(conn: &Connection) -> Vec<(String, String, bool, bool)> {
        let mut statement = conn
            .prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info('users')")
            .unwrap();
        let rows = statement
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn a_store_created_with_bare_devices_has_the_users_table_of_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let app = App {
            app_id: "it's".to_owned(),
            app_key: "app-key-1".to_owned(),
        };
        let content = Content {
            apps: std::slice::from_ref(&app),
            users: &[],
            bare_cids: vec!["b1".to_owned(), "b2".to_owned()],
            tasks: &[],
            list_pushes: &[],
        };
        Db::create(dir.path(), content).unwrap();
        let created = Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
        let described = Connection::open_in_memory().unwrap();
        described.execute_batch(SCHEMA).unwrap();
        assert_eq!(user_columns(&created), user_columns(&described));
        let (db, _) = Db::open(dir.path()).unwrap();
        let bare = User::from_seed(UserSeed::new("b2"), "it's");
        assert_eq!(db.user("b2").unwrap(), Some(bare));
    }

    #[test]
    fn a_store_made_before_makers_reads_its_android_devices_as_other() {
        let dir = tempfile::tempdir().unwrap();
        let old = Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
        old.execute_batch(&SCHEMA.replace(",\n    maker TEXT\n", "\n"))
            .unwrap();
        old.execute_batch(
            "INSERT INTO users (cid, app_id, phone_type, tags, pn_level, activity, online) \
             VALUES ('a', 'demo', 'ANDROID', '[]', 1, 0, 1), ('i', 'demo', 'IOS', '[]', 1, 0, 1)",
        )
        .unwrap();
        drop(old);
        let (db, _) = Db::open(dir.path()).unwrap();
        assert_eq!(
            db.user("a").unwrap().and_then(|u| u.maker),
            Some(Maker::Other)
        );
        assert_eq!(db.user("i").unwrap().and_then(|u| u.maker), None);
        let vivo = User {
            maker: Some(Maker::Vv),
            ..User::from_seed(UserSeed::new("v"), "demo")
        };
        let mut db = db;
        db.put_user(&vivo, false).unwrap();
        assert_eq!(db.user("v").unwrap(), Some(vivo));
    }
}
