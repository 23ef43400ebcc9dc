//! The PostgreSQL backend: one state shared by every runner of a team.
//!
//! CI runners are ephemeral and several run at once; two runners with two copies of a state
//! file would each create the same push. Here the state is a row per workspace, its journal
//! rows beside it, and the exclusive hold is a *session* advisory lock on the connection: it
//! lasts exactly as long as the connection, so a killed runner never leaves a stale lock.
//! Every state write checks the serial it read, so even a writer that skipped the lock cannot
//! be overwritten unseen.
//!
//! The connection is owned by a [`Session`], which the journal writer thread owns while the
//! state is locked; it drives its own current-thread runtime, so `lock` stays a blocking call.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio_postgres::{Client, NoTls};

use super::conninfo::{ConnInfo, PassKey, SslMode, TlsSettings, pgpass_lookup, strip_handled};
use super::journal::{OpenOperations, Persist, Replayed, replay_entry};
use super::lock::{ci_run_url, holder_text, hostname};
use super::tls::{MakeRustls, TlsError, classify};
use super::{Error, FORMAT_VERSION, JournalEntry, Loaded, State, file};

/// How often a waiting run tries the lock again.
const POLL: Duration = Duration::from_millis(100);

/// How long a call journaled by another run may still be in flight: the Getui client's
/// request timeout (30 s) and a margin.
const IN_FLIGHT_GRACE: Duration = Duration::from_secs(35);

/// Overrides `IN_FLIGHT_GRACE`, in seconds; for tests, which kill runners on purpose.
pub const IN_FLIGHT_GRACE_VAR: &str = "GTCAMP_IN_FLIGHT_GRACE_SECS";

/// Tables every gtcamp sharing the database uses; several workspaces share them.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS gtcamp_state (
    workspace text PRIMARY KEY,
    lineage text NOT NULL,
    serial bigint NOT NULL,
    format_version bigint NOT NULL,
    state text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS gtcamp_journal (
    workspace text NOT NULL,
    seq bigserial NOT NULL,
    entry text NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (workspace, seq)
);
CREATE TABLE IF NOT EXISTS gtcamp_lock (
    workspace text PRIMARY KEY,
    holder text NOT NULL,
    pid bigint NOT NULL,
    host text NOT NULL,
    ci_run_url text,
    command text NOT NULL,
    since timestamptz NOT NULL DEFAULT now()
);";

/// A workspace's state in a PostgreSQL database. Its `Debug` shows no password.
#[derive(Clone)]
pub struct PostgresTarget {
    /// The URL without the settings gtcamp reads itself (`tls`, `passfile`).
    url: String,
    tls: TlsSettings,
    /// Where to look for a password when the URL has none.
    passfile: Option<PathBuf>,
    /// The environment variable the URL came from: what messages name when the URL does not
    /// parse, since then nothing of it can be shown safely.
    variable: String,
    /// The row's key: the workspace and the target, `shop/production`.
    workspace: String,
    /// The key an earlier version kept the workspace's one state under, for every target.
    earlier: String,
    /// How long a call journaled by another run may still be in flight.
    in_flight_grace: Duration,
}

impl std::fmt::Debug for PostgresTarget {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("PostgresTarget")
            .field("url", &self.redacted_url())
            .field("workspace", &self.workspace)
            .finish()
    }
}

impl PostgresTarget {
    /// Reads the URL from the variable `url_env` names; the workspace defaults to its name.
    /// The row is the workspace's and the target's (`shop/production`): a name check keeps
    /// `/` out of workspace names, so two pairs never share a key.
    pub fn from_config(
        config: &crate::model::StateConfig,
        workspace_name: &str,
        target: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<PostgresTarget, Error> {
        let variable = config
            .url_env
            .as_deref()
            .unwrap_or(crate::model::DEFAULT_PG_URL_ENV);
        let url = env(variable)
            .filter(|url| !url.trim().is_empty())
            .ok_or_else(|| Error::MissingUrl {
                variable: variable.to_owned(),
            })?;
        let ConnInfo { url, tls, passfile } =
            ConnInfo::read(&url, env).map_err(|error| Error::PostgresTls {
                url: redact_url(&url, variable),
                problem: TlsError::Setting(error),
            })?;
        let workspace = config
            .workspace
            .clone()
            .unwrap_or_else(|| workspace_name.to_owned());
        if workspace.is_empty() {
            return Err(Error::Postgres {
                url: redact_url(&url, variable),
                action: "choose the row of this workspace",
                reason:
                    "the workspace has no `name`; set `name` or `state.workspace` in gtcamp.yaml"
                        .to_owned(),
            });
        }
        let in_flight_grace = env(IN_FLIGHT_GRACE_VAR)
            .and_then(|secs| secs.trim().parse::<u64>().ok())
            .map_or(IN_FLIGHT_GRACE, Duration::from_secs);
        Ok(PostgresTarget {
            url,
            tls,
            passfile,
            variable: variable.to_owned(),
            workspace: format!("{workspace}/{target}"),
            earlier: workspace,
            in_flight_grace,
        })
    }

    /// The key of this row: the workspace and the target, `shop/production`.
    pub fn workspace(&self) -> &str {
        &self.workspace
    }

    /// The key an earlier version kept the workspace's one state under.
    pub fn earlier_key(&self) -> &str {
        &self.earlier
    }

    /// The target part of the key.
    pub(crate) fn target_name(&self) -> &str {
        self.workspace
            .rsplit_once('/')
            .map_or(self.workspace.as_str(), |(_, target)| target)
    }

    /// The database as a message may name it: never the password.
    pub fn redacted_url(&self) -> String {
        redact_url(&self.url, &self.variable)
    }

    fn error(&self, action: &'static str, error: &tokio_postgres::Error) -> Error {
        Error::Postgres {
            url: self.redacted_url(),
            action,
            reason: describe(error),
        }
    }
}

/// The advisory lock key of a workspace: the first 8 bytes of SHA-256 of
/// `gtcamp:state:<workspace>`, read big-endian as a signed 64-bit integer. Stable across
/// builds and machines, so every runner of a workspace asks for the same lock.
pub fn advisory_key(workspace: &str) -> i64 {
    hash_key(&format!("gtcamp:state:{workspace}"))
}

fn hash_key(text: &str) -> i64 {
    let digest = Sha256::digest(text.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
    i64::from_be_bytes(bytes)
}

/// The database `url` points at, as `postgres://user:***@host:port/dbname`, rebuilt from
/// what the driver parsed: echoing the text itself with the password cut out would depend on
/// cutting exactly where the driver does (an `@` or `/` inside a password, `password = x`
/// with spaces, quoted values), and one miss prints a password into a CI log. The TLS
/// settings the driver would refuse are taken out first (see `conninfo`). A URL that
/// does not parse is named only by its `variable`.
pub fn redact_url(url: &str, variable: &str) -> String {
    let Ok(config) = strip_handled(url).0.parse::<tokio_postgres::Config>() else {
        return format!("the URL in `{variable}`");
    };
    let user = config.get_user().unwrap_or_default();
    let password = if config.get_password().is_some() {
        ":***"
    } else {
        ""
    };
    let login = if user.is_empty() && password.is_empty() {
        String::new()
    } else {
        format!("{user}{password}@")
    };
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(n, host)| {
            let name = match host {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            // One port for all hosts, or one per host, as libpq reads them.
            match ports.get(n).or(ports.first().filter(|_| ports.len() == 1)) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    let dbname = config.get_dbname().unwrap_or_default();
    format!("postgres://{login}{}/{dbname}", hosts.join(","))
}

/// Waits until the youngest open intent, `age_secs` old by the server's clock, is older
/// than the grace; says so when it waited.
///
/// A run whose connection ended (a terminated backend, a failover) loses its lock while it
/// goes on, with calls to Getui in flight. Were the next run to look those up at once, it
/// would find nothing yet, plan them again and send them twice. A crashed run is
/// indistinguishable from here, so both are given the time a call can take.
fn wait_for_calls_in_flight(age_secs: f64, grace: Duration) -> Option<String> {
    let age = Duration::try_from_secs_f64(age_secs.max(0.0)).unwrap_or(Duration::MAX);
    let wait = grace.checked_sub(age).filter(|wait| !wait.is_zero())?;
    std::thread::sleep(wait);
    Some(format!(
        "waited {:.0}s before recovering: another run journaled a call {:.0}s ago, and if it lost its lock while the call was in flight, looking the call up sooner could send a push twice",
        wait.as_secs_f64(),
        age.as_secs_f64()
    ))
}

/// A database error in words: the server's own message when it sent one.
fn describe(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return db.message().to_owned();
    }
    match std::error::Error::source(error) {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    }
}

/// The driver's settings for `target`: its URL, the password file's password when the URL
/// has none, and the timeouts the lock needs.
fn driver_config(target: &PostgresTarget) -> Result<tokio_postgres::Config, Error> {
    let mut config: tokio_postgres::Config = target.url.parse().map_err(|_| Error::Postgres {
        url: target.redacted_url(),
        action: "read the URL",
        reason: "it is not a PostgreSQL URL (write `postgres://user:password@host:5432/db`)"
            .to_owned(),
    })?;
    // The connection holds the state lock: a peer that vanished without closing it must
    // be noticed in seconds, not after the kernel's two-hour keepalive default, and a
    // write the server acknowledged must be on its disk whatever the server's default.
    config
        .application_name("gtcamp")
        .connect_timeout(Duration::from_secs(10))
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(15))
        .keepalives_interval(Duration::from_secs(5))
        .keepalives_retries(3)
        .tcp_user_timeout(Duration::from_secs(30))
        .options("-c synchronous_commit=on");
    // The driver knows only these three; how much `require` checks is `MakeRustls`'s.
    config.ssl_mode(match target.tls.mode {
        SslMode::Disable => tokio_postgres::config::SslMode::Disable,
        SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            tokio_postgres::config::SslMode::Require
        }
    });
    if config.get_password().is_none()
        && let Some(password) = target
            .passfile
            .as_deref()
            .and_then(|file| passfile_password(file, &config))
    {
        config.password(password);
    }
    Ok(config)
}

/// The password file's password for the first host of `config`. A file that is missing,
/// unreadable, or readable by others is passed over as libpq passes it over (a password
/// others can read is not one to send); the server then asks for a password, which names
/// the problem.
fn passfile_password(file: &Path, config: &tokio_postgres::Config) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first()? {
        tokio_postgres::config::Host::Tcp(name) => name.clone(),
        // libpq matches a socket connection as `localhost`.
        #[cfg(unix)]
        tokio_postgres::config::Host::Unix(_) => "localhost".to_owned(),
    };
    let user = config.get_user()?;
    let key = PassKey {
        host: &host,
        port: config.get_ports().first().copied().unwrap_or(5432),
        database: config.get_dbname().unwrap_or(user),
        user,
    };
    pgpass_lookup(&text, &key)
}

/// What drives a connection, its stream type hidden: a plain and a TLS connection are then
/// one type to the session.
type Driver = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Connects with TLS as `target.tls` asks; returns the client and the future that drives
/// its connection. A TLS failure is told apart from the others: it is fixed by a setting.
async fn open(
    config: &tokio_postgres::Config,
    target: &PostgresTarget,
) -> Result<(Client, Driver), Error> {
    let connected = if target.tls.mode == SslMode::Disable {
        // No certificate is read for a connection that never uses one.
        config
            .connect(NoTls)
            .await
            .map(|(client, connection)| (client, drive(connection)))
    } else {
        let tls = MakeRustls::new(&target.tls).map_err(|problem| Error::PostgresTls {
            url: target.redacted_url(),
            problem,
        })?;
        config
            .connect(tls)
            .await
            .map(|(client, connection)| (client, drive(connection)))
    };
    connected.map_err(|error| {
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(name)) => name.as_str(),
            _ => "",
        };
        match classify(&error, &target.tls, host) {
            Some(problem) => Error::PostgresTls {
                url: target.redacted_url(),
                problem,
            },
            None => target.error("connect", &error),
        }
    })
}

fn drive<F>(connection: F) -> Driver
where
    F: std::future::Future<Output = Result<(), tokio_postgres::Error>> + Send + 'static,
{
    Box::pin(async move {
        let _ = connection.await;
    })
}

/// An open connection holding a workspace's advisory lock.
pub(crate) struct Session {
    target: PostgresTarget,
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    connection: Option<tokio::task::JoinHandle<()>>,
    /// The lineage and serial of the row as this session last read or wrote it.
    lineage: String,
    serial: u64,
}

impl Session {
    /// Connects, creates the tables if needed, takes the workspace's lock (waiting up to
    /// `timeout`), says who holds it, and reads the state with its journal replayed.
    pub(crate) fn lock(
        target: &PostgresTarget,
        timeout: Duration,
        purpose: &str,
    ) -> Result<(Session, Loaded), Error> {
        let mut session = Session::connect(target)?;
        session.create_tables()?;
        session.acquire(timeout, purpose)?;
        let loaded = session.load()?;
        Ok((session, loaded))
    }

    fn connect(target: &PostgresTarget) -> Result<Session, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| Error::Postgres {
                url: target.redacted_url(),
                action: "start the async runtime",
                reason: error.to_string(),
            })?;
        let config = driver_config(target)?;
        let (client, connection) = runtime.block_on(open(&config, target))?;
        let connection = runtime.spawn(connection);
        Ok(Session {
            target: target.clone(),
            runtime,
            client: Some(client),
            connection: Some(connection),
            lineage: String::new(),
            serial: 0,
        })
    }

    /// The client, and the runtime to drive it.
    fn parts(&mut self) -> Result<(&tokio::runtime::Runtime, &mut Client), Error> {
        match &mut self.client {
            Some(client) => Ok((&self.runtime, client)),
            None => Err(Error::Postgres {
                url: self.target.redacted_url(),
                action: "use the connection",
                reason: "it is closed".to_owned(),
            }),
        }
    }

    fn create_tables(&mut self) -> Result<(), Error> {
        let target = self.target.clone();
        let (runtime, client) = self.parts()?;
        // Only when one is missing: `CREATE TABLE IF NOT EXISTS` needs the right to create
        // in the schema even when the tables exist, and a least-privilege CI role lacks it.
        let present: bool = runtime
            .block_on(client.query_one(
                "SELECT to_regclass('gtcamp_state') IS NOT NULL
                    AND to_regclass('gtcamp_journal') IS NOT NULL
                    AND to_regclass('gtcamp_lock') IS NOT NULL",
                &[],
            ))
            .and_then(|row| row.try_get(0))
            .map_err(|error| target.error("look for the gtcamp tables", &error))?;
        if present {
            return Ok(());
        }
        // Two runners creating the tables at once could both miss them and collide: a
        // transaction-scoped advisory lock makes the second wait for the first.
        let script = format!(
            "BEGIN; SELECT pg_advisory_xact_lock({}); {SCHEMA} COMMIT;",
            hash_key("gtcamp:schema")
        );
        runtime
            .block_on(client.batch_execute(&script))
            .map_err(|error| target.error("create the gtcamp tables", &error))
    }

    fn acquire(&mut self, timeout: Duration, purpose: &str) -> Result<(), Error> {
        let target = self.target.clone();
        let key = advisory_key(&target.workspace);
        // `None`: a timeout past what an `Instant` holds waits on.
        let deadline = Instant::now().checked_add(timeout);
        let (runtime, client) = self.parts()?;
        loop {
            let taken: bool = runtime
                .block_on(client.query_one("SELECT pg_try_advisory_lock($1)", &[&key]))
                .and_then(|row| row.try_get(0))
                .map_err(|error| target.error("take the state lock", &error))?;
            if taken {
                break;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                let holder = runtime
                    .block_on(client.query_opt(
                        "SELECT holder FROM gtcamp_lock WHERE workspace = $1",
                        &[&target.workspace],
                    ))
                    .ok()
                    .flatten()
                    .and_then(|row| row.try_get::<_, String>(0).ok())
                    .unwrap_or_else(|| "another process that has not said who it is".to_owned());
                return Err(Error::Locked { holder });
            }
            std::thread::sleep(POLL);
        }
        self.record_holder(purpose)
    }

    /// Says who holds the lock, for whoever waits on it.
    fn record_holder(&mut self, purpose: &str) -> Result<(), Error> {
        let target = self.target.clone();
        let (runtime, client) = self.parts()?;
        let env = |variable: &str| std::env::var(variable).ok();
        let holder = holder_text(purpose, chrono::Utc::now(), &env);
        let pid = i64::from(std::process::id());
        let statement =
            "INSERT INTO gtcamp_lock (workspace, holder, pid, host, ci_run_url, command, since)
             VALUES ($1, $2, $3, $4, $5, $6, now())
             ON CONFLICT (workspace) DO UPDATE SET holder = $2, pid = $3, host = $4,
                 ci_run_url = $5, command = $6, since = now()";
        runtime
            .block_on(client.execute(
                statement,
                &[
                    &target.workspace,
                    &holder,
                    &pid,
                    &hostname(),
                    &ci_run_url(&env),
                    &purpose,
                ],
            ))
            .map_err(|error| target.error("record the lock holder", &error))?;
        Ok(())
    }

    /// Reads the state row (creating a fresh one) and replays the journal rows into it.
    fn load(&mut self) -> Result<Loaded, Error> {
        let target = self.target.clone();
        let label = PathBuf::from(format!(
            "gtcamp_state of workspace {} in {}",
            target.workspace,
            target.redacted_url()
        ));
        let (runtime, client) = self.parts()?;
        let row = runtime
            .block_on(client.query_opt(
                "SELECT state, lineage, serial FROM gtcamp_state WHERE workspace = $1",
                &[&target.workspace],
            ))
            .map_err(|error| target.error("read the state", &error))?;
        let mut state = match row {
            Some(row) => {
                let read = |error| target.error("read the state", &error);
                let text: String = row.try_get(0).map_err(read)?;
                let mut state = file::parse(&label, text.as_bytes())?;
                // The columns are what every save checks: they win over the document.
                state.lineage = row.try_get(1).map_err(read)?;
                let serial: i64 = row.try_get(2).map_err(read)?;
                state.serial = u64::try_from(serial).unwrap_or_default();
                state
            }
            None => {
                refuse_an_earlier_row(runtime, client, &target)?;
                let fresh = file::fresh();
                insert_fresh(runtime, client, &target, &fresh)?;
                fresh
            }
        };
        let rows = runtime
            .block_on(client.query(
                "SELECT seq, entry,
                        EXTRACT(EPOCH FROM clock_timestamp() - written_at)::float8
                 FROM gtcamp_journal WHERE workspace = $1 ORDER BY seq",
                &[&target.workspace],
            ))
            .map_err(|error| target.error("read the journal", &error))?;
        let mut replayed = Replayed::new();
        let mut intent_ages: HashMap<u64, f64> = HashMap::new();
        for row in &rows {
            let seq: i64 = row.try_get(0).unwrap_or_default();
            let text: String = row
                .try_get(1)
                .map_err(|error| target.error("read the journal", &error))?;
            let entry =
                serde_json::from_str::<JournalEntry>(&text).map_err(|error| Error::Corrupt {
                    path: label.clone(),
                    reason: format!("journal row {seq}: {error}"),
                })?;
            if let JournalEntry::Intent { id, .. } = &entry {
                intent_ages.insert(*id, row.try_get::<_, f64>(2).unwrap_or(0.0));
            }
            replay_entry(entry, &mut state, &mut replayed);
        }
        let youngest = replayed
            .open
            .keys()
            .filter_map(|id| intent_ages.get(id))
            .copied()
            .reduce(f64::min);
        let grace = target.in_flight_grace;
        if let Some(note) = youngest.and_then(|age| wait_for_calls_in_flight(age, grace)) {
            replayed.notes.push(note);
        }
        self.lineage = state.lineage.clone();
        self.serial = state.serial;
        Ok(Loaded {
            state,
            replayed,
            journal_compact: rows.is_empty(),
        })
    }

    /// Writes `state` (lineage and serial included) over the row this session read, unless
    /// someone else wrote it since, and leaves exactly the `open` intents in the journal.
    fn write_checked(&mut self, state: &State, open: &OpenOperations) -> Result<(), Error> {
        let target = self.target.clone();
        let (expected_lineage, expected_serial) = (self.lineage.clone(), self.serial);
        let text = serde_json::to_string(state).map_err(|error| Error::JournalWrite {
            reason: error.to_string(),
        })?;
        let intents = intent_texts(open)?;
        let (runtime, client) = self.parts()?;
        let row = Row {
            workspace: &target.workspace,
            state,
            text: &text,
            intents: &intents,
        };
        let outcome = runtime.block_on(write_row(client, row, &expected_lineage, expected_serial));
        match outcome {
            Ok(None) => {
                self.lineage = state.lineage.clone();
                self.serial = state.serial;
                Ok(())
            }
            Ok(Some(found)) => Err(Error::SerialConflict {
                workspace: target.workspace,
                lineage: expected_lineage,
                expected: expected_serial,
                found,
            }),
            Err(error) => Err(target.error("save the state", &error)),
        }
    }
}

impl Persist for Session {
    fn append(&mut self, entries: &[JournalEntry]) -> Result<(), Error> {
        let target = self.target.clone();
        let texts = entries
            .iter()
            .map(entry_text)
            .collect::<Result<Vec<String>, Error>>()?;
        let (runtime, client) = self.parts()?;
        // One statement for the whole batch: all the entries or none, one round trip.
        runtime
            .block_on(insert_entries(&*client, &target.workspace, &texts))
            .map_err(|error| target.error("append to the journal", &error))
    }

    fn save(&mut self, state: &State, open: &OpenOperations) -> Result<(), Error> {
        self.write_checked(state, open)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Unlocked explicitly first, and the answer awaited: a closing session releases its
        // locks only once the server process behind it has exited, a moment after the
        // socket closes, and a runner waiting for the lock should not wait for that.
        if let Some(client) = self.client.take() {
            let key = advisory_key(&self.target.workspace);
            let _ = self.runtime.block_on(async {
                let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&key];
                let unlock = client.execute("SELECT pg_advisory_unlock($1)", &params);
                tokio::time::timeout(Duration::from_secs(5), unlock)
                    .await
                    .map(|answer| answer.is_ok())
            });
        }
        // Dropping the client ends the session on the server; wait briefly for that to be
        // sent.
        if let Some(connection) = self.connection.take() {
            let _ = self
                .runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(5), connection).await });
        }
    }
}

/// What a save writes.
struct Row<'a> {
    workspace: &'a str,
    state: &'a State,
    text: &'a str,
    intents: &'a [String],
}

/// In one transaction: the row, only if it still has the serial and lineage this run read
/// (else what it has instead, in words), then the journal compacted to the open intents.
async fn write_row(
    client: &mut Client,
    row: Row<'_>,
    expected_lineage: &str,
    expected_serial: u64,
) -> Result<Option<String>, tokio_postgres::Error> {
    let transaction = client.transaction().await?;
    let updated = transaction
        .execute(
            "UPDATE gtcamp_state SET lineage = $2, serial = $3, format_version = $4,
                 state = $5, updated_at = now()
             WHERE workspace = $1 AND serial = $6 AND lineage = $7",
            &[
                &row.workspace,
                &row.state.lineage,
                &to_i64(row.state.serial),
                &i64::from(FORMAT_VERSION),
                &row.text,
                &to_i64(expected_serial),
                &expected_lineage,
            ],
        )
        .await?;
    if updated == 0 {
        let found = transaction
            .query_opt(
                "SELECT lineage, serial FROM gtcamp_state WHERE workspace = $1",
                &[&row.workspace],
            )
            .await?;
        return Ok(Some(found_text(found.as_ref(), expected_lineage)));
    }
    transaction
        .execute(
            "DELETE FROM gtcamp_journal WHERE workspace = $1",
            &[&row.workspace],
        )
        .await?;
    insert_entries(&transaction, row.workspace, row.intents).await?;
    transaction.commit().await?;
    Ok(None)
}

/// A target with no row of its own yet, beside the row an earlier version kept for every
/// target that holds something: never guessed to be this target's (see `state::owner`).
fn refuse_an_earlier_row(
    runtime: &tokio::runtime::Runtime,
    client: &mut Client,
    target: &PostgresTarget,
) -> Result<(), Error> {
    let row = runtime
        .block_on(client.query_opt(
            "SELECT state FROM gtcamp_state WHERE workspace = $1",
            &[&target.earlier],
        ))
        .map_err(|error| target.error("look for an earlier state", &error))?;
    let Some(row) = row else { return Ok(()) };
    let text: String = row
        .try_get(0)
        .map_err(|error| target.error("look for an earlier state", &error))?;
    let label = PathBuf::from(format!("gtcamp_state of workspace {}", target.earlier));
    let earlier = file::parse(&label, text.as_bytes())?;
    if earlier.target.is_none() && !super::owner::is_empty(&earlier) {
        return Err(Error::Unassigned {
            target: target.target_name().to_owned(),
        });
    }
    Ok(())
}

/// Removes `target`'s row and its journal rows, under the row's lock, unless `keep` finds
/// something in the state they hold (see `state::reset`); returns the state removed, `None`
/// when there was none.
pub(crate) fn reset(
    target: &PostgresTarget,
    timeout: Duration,
    keep: impl Fn(&State, &OpenOperations) -> Result<(), Error>,
) -> Result<Option<State>, Error> {
    let mut session = Session::connect(target)?;
    session.create_tables()?;
    session.acquire(timeout, "gtcamp state reset")?;
    let (runtime, client) = session.parts()?;
    let fail = |error: tokio_postgres::Error| target.error("reset the state", &error);
    // Read here rather than through `load`, which creates a row when there is none and
    // waits out the calls an interrupted run may have in flight.
    let row = runtime
        .block_on(client.query_opt(
            "SELECT state, lineage FROM gtcamp_state WHERE workspace = $1",
            &[&target.workspace],
        ))
        .map_err(fail)?;
    let entries = runtime
        .block_on(client.query(
            "SELECT entry FROM gtcamp_journal WHERE workspace = $1 ORDER BY seq",
            &[&target.workspace],
        ))
        .map_err(fail)?;
    if row.is_none() && entries.is_empty() {
        return Ok(None);
    }
    let label = PathBuf::from(format!("gtcamp_state of workspace {}", target.workspace));
    let mut state = match &row {
        Some(row) => {
            let text: String = row.try_get(0).map_err(fail)?;
            let mut state = file::parse(&label, text.as_bytes())?;
            state.lineage = row.try_get(1).map_err(fail)?;
            state
        }
        None => file::fresh(),
    };
    let mut replayed = Replayed::new();
    for row in &entries {
        let text: String = row.try_get(0).map_err(fail)?;
        let entry =
            serde_json::from_str::<JournalEntry>(&text).map_err(|error| Error::Corrupt {
                path: label.clone(),
                reason: format!("journal row: {error}"),
            })?;
        replay_entry(entry, &mut state, &mut replayed);
    }
    keep(&state, &replayed.open)?;
    runtime
        .block_on(async {
            let transaction = client.transaction().await?;
            for table in ["gtcamp_journal", "gtcamp_state"] {
                let statement = format!("DELETE FROM {table} WHERE workspace = $1");
                transaction
                    .execute(&statement, &[&target.workspace])
                    .await?;
            }
            transaction.commit().await
        })
        .map_err(fail)?;
    Ok(Some(state))
}

/// Gives the row an earlier version kept for every target to `target`'s key, recording the
/// target in it; its journal rows follow. Both keys' locks are held meanwhile.
pub(crate) fn assign(target: &PostgresTarget, timeout: Duration) -> Result<(), Error> {
    let mut session = Session::connect(target)?;
    session.create_tables()?;
    session.acquire(timeout, "gtcamp state assign")?;
    let mut earlier_target = target.clone();
    earlier_target.workspace = target.earlier.clone();
    let mut earlier_session = Session::connect(&earlier_target)?;
    earlier_session.acquire(timeout, "gtcamp state assign")?;
    let (runtime, client) = session.parts()?;
    runtime.block_on(move_row(client, target))
}

async fn move_row(client: &mut Client, target: &PostgresTarget) -> Result<(), Error> {
    let fail = |error: tokio_postgres::Error| target.error("assign the earlier state", &error);
    let transaction = client.transaction().await.map_err(fail)?;
    let select = "SELECT state FROM gtcamp_state WHERE workspace = $1";
    let Some(row) = transaction
        .query_opt(select, &[&target.earlier])
        .await
        .map_err(fail)?
    else {
        return Err(Error::AssignRefused {
            reason: format!(
                "the database holds no state of an earlier gtcamp under workspace `{}`; nothing to assign",
                target.earlier
            ),
        });
    };
    let own = transaction
        .query_opt(select, &[&target.workspace])
        .await
        .map_err(fail)?;
    let label = PathBuf::from(format!("gtcamp_state of workspace {}", target.earlier));
    if let Some(own) = own {
        let text: String = own.try_get(0).map_err(fail)?;
        if !super::owner::is_empty(&file::parse(&label, text.as_bytes())?) {
            return Err(Error::AssignRefused {
                reason: format!(
                    "target `{}` already has a state that holds tasks or bindings; nothing was changed",
                    target.target_name()
                ),
            });
        }
    }
    let text: String = row.try_get(0).map_err(fail)?;
    let mut state = file::parse(&label, text.as_bytes())?;
    state.target = Some(target.target_name().to_owned());
    let stamped = serde_json::to_string(&state).map_err(|error| Error::JournalWrite {
        reason: error.to_string(),
    })?;
    // The target's own row, if any, holds nothing (checked above): it gives way.
    for table in ["DELETE FROM gtcamp_state", "DELETE FROM gtcamp_journal"] {
        let statement = format!("{table} WHERE workspace = $1");
        transaction
            .execute(&statement, &[&target.workspace])
            .await
            .map_err(fail)?;
    }
    transaction
        .execute(
            "UPDATE gtcamp_state SET workspace = $2, state = $3 WHERE workspace = $1",
            &[&target.earlier, &target.workspace, &stamped],
        )
        .await
        .map_err(fail)?;
    transaction
        .execute(
            "UPDATE gtcamp_journal SET workspace = $2 WHERE workspace = $1",
            &[&target.earlier, &target.workspace],
        )
        .await
        .map_err(fail)?;
    transaction.commit().await.map_err(fail)
}

/// A state row nobody wrote yet. Another runner cannot race here: the lock is held.
fn insert_fresh(
    runtime: &tokio::runtime::Runtime,
    client: &mut Client,
    target: &PostgresTarget,
    fresh: &State,
) -> Result<(), Error> {
    let text = serde_json::to_string(fresh).map_err(|error| Error::JournalWrite {
        reason: error.to_string(),
    })?;
    runtime
        .block_on(client.execute(
            "INSERT INTO gtcamp_state (workspace, lineage, serial, format_version, state)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace) DO NOTHING",
            &[
                &target.workspace,
                &fresh.lineage,
                &to_i64(fresh.serial),
                &i64::from(FORMAT_VERSION),
                &text,
            ],
        ))
        .map_err(|error| target.error("create the state", &error))?;
    Ok(())
}

async fn insert_entries(
    client: &impl tokio_postgres::GenericClient,
    workspace: &str,
    texts: &[String],
) -> Result<(), tokio_postgres::Error> {
    if texts.is_empty() {
        return Ok(());
    }
    client
        .execute(
            "INSERT INTO gtcamp_journal (workspace, entry)
             SELECT $1, entry FROM unnest($2::text[]) WITH ORDINALITY AS t(entry, n) ORDER BY n",
            &[&workspace, &texts],
        )
        .await
        .map(|_| ())
}

fn intent_texts(open: &OpenOperations) -> Result<Vec<String>, Error> {
    open.iter()
        .map(|(id, (at, operation))| {
            entry_text(&JournalEntry::Intent {
                id: *id,
                at: *at,
                operation: operation.clone(),
            })
        })
        .collect()
}

/// A journal entry as its row holds it. Failing loudly: an entry dropped here would be an
/// operation the next run cannot recover.
fn entry_text(entry: &JournalEntry) -> Result<String, Error> {
    serde_json::to_string(entry).map_err(|error| Error::JournalWrite {
        reason: error.to_string(),
    })
}

/// What the row holds instead of what this session expected, in words.
fn found_text(row: Option<&tokio_postgres::Row>, expected_lineage: &str) -> String {
    let Some(row) = row else {
        return "no state row at all".to_owned();
    };
    let lineage: String = row.try_get(0).unwrap_or_default();
    let serial: i64 = row.try_get(1).unwrap_or_default();
    if lineage == expected_lineage {
        format!("serial {serial}")
    } else {
        format!("serial {serial} of another lineage, {lineage}")
    }
}

fn to_i64(serial: u64) -> i64 {
    i64::try_from(serial).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_shows_the_database_but_never_the_password() {
        let shown = |url: &str| redact_url(url, "GTCAMP_PG_URL");
        assert_eq!(
            shown("postgres://gtcamp:s3cr%40t@db.example:5432/pushes"),
            "postgres://gtcamp:***@db.example:5432/pushes"
        );
        assert_eq!(
            shown("postgres://gtcamp@db:5432/pushes"),
            "postgres://gtcamp@db:5432/pushes"
        );
        // Where a cut by hand would miss: `@`, `/` or `?` inside the password, spaces
        // around `=`, quoted values, a password in the query string.
        for (url, secret) in [
            ("postgres://gtcamp:ab/cd@db/x", "ab/cd"),
            ("postgres://gtcamp:p?x@db/x", "p?x"),
            (
                "postgresql://u:p1@h/db?sslmode=disable&password=other",
                "other",
            ),
            ("host=db user=u password = hunter2 dbname=x", "hunter2"),
            ("host=db user=u password='a b' dbname=x", "a b"),
        ] {
            let text = shown(url);
            assert!(!text.contains(secret), "{url} shown as {text}");
            assert!(text.contains(":***@"), "{url} shown as {text}");
        }
    }

    #[test]
    fn a_url_with_tls_settings_the_driver_refuses_is_still_shown_redacted() {
        assert_eq!(
            redact_url(
                "postgres://u:hunter2@db:5432/x?sslmode=verify-full&sslrootcert=/ca.pem",
                "GTCAMP_PG_URL"
            ),
            "postgres://u:***@db:5432/x"
        );
    }

    #[test]
    fn a_url_that_does_not_parse_is_named_by_its_variable_only() {
        assert_eq!(
            redact_url("postgres://u:hunter2@h:notaport/db", "TEAM_PG"),
            "the URL in `TEAM_PG`"
        );
    }

    /// `advisory_key("shop")` as released: the first 8 bytes of SHA-256 of
    /// `gtcamp:state:shop`, big-endian.
    const PINNED_SHOP_KEY: i64 = 3_054_401_327_671_965_386;

    #[test]
    fn the_advisory_key_is_stable_and_differs_by_workspace() {
        // Pinned: every runner and every gtcamp version must ask for the same lock, so a
        // change here would let an old and a new gtcamp apply at once.
        assert_eq!(advisory_key("shop"), PINNED_SHOP_KEY);
        assert_ne!(advisory_key("shop"), advisory_key("shop-eu"));
    }

    #[test]
    fn a_target_without_its_variable_names_the_variable() {
        let config = crate::model::StateConfig {
            backend: crate::model::StateBackend::Postgres,
            url_env: Some("TEAM_PG".to_owned()),
            ..crate::model::StateConfig::default()
        };
        let error =
            PostgresTarget::from_config(&config, "shop", "production", &|_| None).unwrap_err();
        assert!(error.to_string().contains("`TEAM_PG`"), "{error}");
    }

    #[test]
    fn a_target_debug_shows_no_password() {
        let config = crate::model::StateConfig {
            backend: crate::model::StateBackend::Postgres,
            ..crate::model::StateConfig::default()
        };
        let env = |variable: &str| {
            (variable == "GTCAMP_PG_URL").then(|| "postgres://u:hunter2@h/db".to_owned())
        };
        let target = PostgresTarget::from_config(&config, "shop", "production", &env).unwrap();
        assert_eq!(target.workspace(), "shop/production");
        assert_eq!(target.earlier_key(), "shop");
        assert!(!format!("{target:?}").contains("hunter2"));
    }
}
