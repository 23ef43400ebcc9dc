//! Throwaway PostgreSQL clusters for this test binary: `initdb` into a temp folder, started
//! on 127.0.0.1 on a free port, one fresh database per test. The cluster every test uses
//! has TLS on, with certificates from [`Certs`], and tests reach it with
//! `sslmode=verify-full`; a second cluster without TLS is started only by the test that
//! needs a server refusing TLS.
//!
//! Statics are never dropped, so the cluster is stopped twice over: by an `atexit` handler
//! when the test binary exits normally, and by a watchdog process that waits for this
//! process to disappear (a crash, a kill) and then stops the server and removes the folder.
//! `initdb` refuses to run as root: as root, the cluster runs as the `postgres` user.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::certs::{CERT_USER, Certs};

/// The password every test URL carries. Trust auth ignores it; no output may show it.
pub const PASSWORD: &str = "hunter2-secret-pw";

/// The role the TLS cluster admits only with its password (over TLS), and that password:
/// what a password file must supply.
pub const PASSWORD_USER: &str = "pwuser";
pub const PASSWORD_USER_PASSWORD: &str = "pgpass-secret-pw";

pub struct Cluster {
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    /// Kept until exit; removed by the watchdog or the exit handler.
    root: PathBuf,
    /// The certificates of a cluster with TLS on.
    pub certs: Option<Certs>,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static PLAIN_CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

/// The TLS cluster of this test binary, started on first use. Fails the test (never
/// skips) when PostgreSQL is not installed.
pub fn cluster() -> &'static Cluster {
    match CLUSTER.get_or_init(|| start(true)) {
        Ok(cluster) => cluster,
        Err(why) => panic!("{why}"),
    }
}

/// A cluster with TLS off, as a server that was never given a certificate.
pub fn plain_cluster() -> &'static Cluster {
    match PLAIN_CLUSTER.get_or_init(|| start(false)) {
        Ok(cluster) => cluster,
        Err(why) => panic!("{why}"),
    }
}

/// The TLS cluster's certificates.
pub fn certs() -> &'static Certs {
    match &cluster().certs {
        Some(certs) => certs,
        None => panic!("the TLS cluster has no certificates"),
    }
}

/// The name of a new, empty database of its own for one test, on the TLS cluster.
pub fn fresh_database_name() -> String {
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
    );
    cluster().sql("postgres", &format!("CREATE DATABASE {name}"));
    name
}

/// A URL (with [`PASSWORD`]) of a new, empty database of its own for one test, checked
/// as a managed database would be: `verify-full` against the test CA, by host name.
pub fn fresh_database() -> String {
    verify_full_url(&fresh_database_name())
}

/// The URL of `database` on the TLS cluster under `sslmode=verify-full`.
pub fn verify_full_url(database: &str) -> String {
    format!(
        "postgres://postgres:{PASSWORD}@localhost:{}/{database}?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={}",
        cluster().port,
        certs().ca.display()
    )
}

/// `url` as the helpers below connect: its parameters dropped, by address, without TLS
/// (the clusters trust plain connections from 127.0.0.1, but for the roles that test TLS).
fn plain(url: &str) -> String {
    let url = url.split('?').next().unwrap_or(url);
    url.replace("@localhost:", "@127.0.0.1:")
}

/// Runs SQL statements against the database of `url`, returning every row's columns as text.
#[track_caller]
pub fn query(url: &str, sql: &str) -> Vec<Vec<Option<String>>> {
    try_query(url, sql).unwrap_or_else(|error| panic!("`{sql}` failed: {error}"))
}

/// [`query`], or the error the server answered.
pub fn try_query(url: &str, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(&plain(url), tokio_postgres::NoTls)
            .await
            .expect("the test database accepts connections");
        let driver = tokio::spawn(connection);
        let messages = client.simple_query(sql).await;
        drop(client);
        let _ = driver.await;
        let messages = messages.map_err(|error| format!("{error:?}"))?;
        Ok(messages
            .into_iter()
            .filter_map(|message| match message {
                tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|i| row.get(i).map(str::to_owned))
                        .collect(),
                ),
                _ => None,
            })
            .collect())
    })
}

impl Cluster {
    /// The folder of the server's Unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    fn sql(&self, database: &str, sql: &str) {
        let url = format!("postgres://postgres@127.0.0.1:{}/{database}", self.port);
        query(&url, sql);
    }

    fn pg_ctl(&self) -> Command {
        as_cluster_owner(&self.bin.join("pg_ctl"))
    }
}

fn start(tls: bool) -> Result<Cluster, String> {
    let bin = find_bin_dir().ok_or_else(|| {
        "PostgreSQL (`initdb`, `pg_ctl`) is not installed: run `scripts/setup-test-tools`"
            .to_owned()
    })?;
    let root = tempfile::Builder::new()
        .prefix("gtcamp-pg-")
        .tempdir()
        .map_err(|error| format!("no temp folder: {error}"))?
        .keep();
    if is_root() {
        let owner = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&root)
            .status();
        if !owner.is_ok_and(|status| status.success()) {
            return Err(format!(
                "could not give `{}` to the `postgres` user",
                root.display()
            ));
        }
    }
    let data = root.join("data");
    let initdb = as_cluster_owner(&bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ])
        .stdout(Stdio::null())
        .output()
        .map_err(|error| format!("initdb did not start: {error}"))?;
    if !initdb.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr)
        ));
    }
    let port = free_port()?;
    let certs = tls.then(|| turn_tls_on(&root, &data)).transpose()?;
    let cluster = Cluster {
        port,
        bin,
        data,
        root,
        certs,
    };
    watch_over(&cluster);
    let tls_options = if tls {
        " -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c ssl_ca_file=ca.crt"
    } else {
        ""
    };
    let options = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=200{tls_options}",
        cluster.root.display()
    );
    let started = cluster
        .pg_ctl()
        .arg("-D")
        .arg(&cluster.data)
        .arg("-l")
        .arg(cluster.root.join("server.log"))
        .args(["-o", &options, "-w", "start"])
        .stdout(Stdio::null())
        .output()
        .map_err(|error| format!("pg_ctl did not start: {error}"))?;
    if !started.status.success() {
        let log = std::fs::read_to_string(cluster.root.join("server.log")).unwrap_or_default();
        return Err(format!(
            "PostgreSQL did not start: {}{log}",
            String::from_utf8_lossy(&started.stderr)
        ));
    }
    stop_at_exit_too(&cluster);
    if tls {
        cluster.sql(
            "postgres",
            &format!(
                "CREATE ROLE {CERT_USER} LOGIN SUPERUSER;
                 CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD '{PASSWORD_USER_PASSWORD}'"
            ),
        );
    }
    Ok(cluster)
}

/// Has the exit handler stop `cluster` too; registers the handler with the first cluster.
fn stop_at_exit_too(cluster: &Cluster) {
    let Ok(mut stop) = STOP.lock() else { return };
    if stop.is_empty() {
        // SAFETY: `stop_at_exit` is an `extern "C" fn()` that touches only statics.
        unsafe {
            libc::atexit(stop_at_exit);
        }
    }
    stop.push((
        cluster.bin.clone(),
        cluster.data.clone(),
        cluster.root.clone(),
    ));
}

/// Writes the certificates, the server's into the data folder, and has pg_hba.conf admit
/// [`CERT_USER`] only by a client certificate and [`PASSWORD_USER`] only by password, both
/// only over TLS; everyone else is trusted as before.
fn turn_tls_on(root: &Path, data: &Path) -> Result<Certs, String> {
    let dir = root.join("certs");
    std::fs::create_dir(&dir).map_err(|error| format!("no certs folder: {error}"))?;
    let certs = Certs::write(&dir)?;
    let copy = |from: &Path, name: &str| {
        std::fs::copy(from, data.join(name))
            .map(drop)
            .map_err(|error| format!("could not copy {name}: {error}"))
    };
    copy(&certs.server_cert, "server.crt")?;
    copy(&certs.server_key, "server.key")?;
    copy(&certs.ca, "ca.crt")?;
    let hba = data.join("pg_hba.conf");
    let trusted = std::fs::read_to_string(&hba).map_err(|error| format!("no pg_hba: {error}"))?;
    let rules = format!(
        "hostssl all {CERT_USER} 127.0.0.1/32 cert\n\
         host all {CERT_USER} 127.0.0.1/32 reject\n\
         hostssl all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n\
         host all {PASSWORD_USER} 127.0.0.1/32 reject\n{trusted}"
    );
    std::fs::write(&hba, rules).map_err(|error| format!("could not write pg_hba: {error}"))?;
    if is_root() {
        let owner = Command::new("chown")
            .args(["postgres:postgres"])
            .args(["server.crt", "server.key", "ca.crt", "pg_hba.conf"].map(|name| data.join(name)))
            .status();
        if !owner.is_ok_and(|status| status.success()) {
            return Err("could not give the certificates to the `postgres` user".to_owned());
        }
    }
    Ok(certs)
}

/// What the exit handler needs of each cluster: the bin folder, the data folder and the
/// temp root.
static STOP: Mutex<Vec<(PathBuf, PathBuf, PathBuf)>> = Mutex::new(Vec::new());

extern "C" fn stop_at_exit() {
    let Ok(stop) = STOP.lock() else { return };
    for (bin, data, root) in stop.iter() {
        let _ = as_cluster_owner(&bin.join("pg_ctl"))
            .arg("-D")
            .arg(data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(root);
    }
}

/// A process that outlives a killed test binary just long enough to stop its server.
fn watch_over(cluster: &Cluster) {
    let stop = format!(
        "{} '{}' -D '{}' -m immediate stop",
        if is_root() {
            "runuser -u postgres --"
        } else {
            ""
        },
        cluster.bin.join("pg_ctl").display(),
        cluster.data.display()
    );
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
         if [ -f '{data}/postmaster.pid' ]; then {stop}; fi; rm -rf '{root}'",
        pid = std::process::id(),
        data = cluster.data.display(),
        root = cluster.root.display(),
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

/// `program`, run as the `postgres` user when this process is root (initdb refuses root).
fn as_cluster_owner(program: &Path) -> Command {
    let mut command = if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    };
    // The `postgres` user may not be allowed into the test's working folder.
    command.current_dir(std::env::temp_dir());
    command
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The folder with `initdb` and `pg_ctl`: on PATH, or Debian's `/usr/lib/postgresql/*/bin`.
fn find_bin_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    debian.sort();
    debian.reverse();
    on_path
        .into_iter()
        .chain(debian)
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|error| format!("no free port: {error}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|error| format!("no free port: {error}"))
}
