//! Each `sslmode` against a real server with TLS on (and one with it off): the modes that
//! should connect do, encrypted unless `disable`; the ones that should fail say which check
//! failed and which setting changes it, and never show the password.
//! See: issue 27.

use std::path::Path;
use std::time::Duration;

use gtcamp::model::{StateBackend, StateConfig};
use gtcamp::state::{Error, LockedState, StateStore, TlsError};

use crate::certs::CERT_USER;
use crate::cluster::{
    PASSWORD, PASSWORD_USER, PASSWORD_USER_PASSWORD, certs, cluster, fresh_database_name,
    plain_cluster, query,
};

/// Locks the state of the database at `url`, with these variables set, and answers whether
/// the connection holding the lock is encrypted.
fn connect(url: &str, vars: &[(&str, &Path)]) -> Result<bool, Error> {
    let locked = lock(url, vars)?;
    // As `postgres`: the roles under test may not connect without TLS, as `query` does.
    let admin = url.split_once('@').map_or(url.to_owned(), |(_, place)| {
        format!("postgres://postgres@{place}")
    });
    let rows = query(
        &admin,
        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
         WHERE a.datname = current_database() AND a.application_name = 'gtcamp'",
    );
    drop(locked);
    Ok(rows.first().and_then(|row| row.first().cloned().flatten()) == Some("t".to_owned()))
}

/// Locks the state of the database at `url`, with these variables set.
fn lock(url: &str, vars: &[(&str, &Path)]) -> Result<LockedState, Error> {
    let config = StateConfig {
        backend: StateBackend::Postgres,
        workspace: Some("tls".to_owned()),
        ..StateConfig::default()
    };
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(name, path)| ((*name).to_owned(), path.display().to_string()))
        .chain([("GTCAMP_PG_URL".to_owned(), url.to_owned())])
        .collect();
    let env = move |name: &str| {
        vars.iter()
            .find(|(variable, _)| variable == name)
            .map(|(_, value)| value.clone())
    };
    let store = StateStore::open(Path::new("."), &config, "tls", "sandbox", &env)?;
    store.lock(Duration::ZERO, "tls test")
}

/// A URL of `database` on the TLS cluster, reached at 127.0.0.1 under the name `host`.
fn url(login: &str, host: &str, database: &str, params: &str) -> String {
    format!(
        "postgres://{login}@{host}:{}/{database}?hostaddr=127.0.0.1{params}",
        cluster().port
    )
}

fn ca_param() -> String {
    format!("&sslrootcert={}", certs().ca.display())
}

/// The TLS problem of a failed connection; fails the test on any other outcome, or when
/// the message shows a password.
#[track_caller]
fn tls_problem(outcome: Result<bool, Error>) -> (TlsError, String) {
    let error = match outcome {
        Ok(_) => panic!("connected where it should have failed"),
        Err(error) => error,
    };
    let message = error.to_string();
    assert!(!message.contains(PASSWORD), "{message}");
    match error {
        Error::PostgresTls { problem, .. } => (problem, message),
        other => panic!("not a TLS error: {other:?}"),
    }
}

#[test]
fn every_mode_libpq_lets_connect_connects_encrypted_unless_disabled() {
    let login = format!("postgres:{PASSWORD}");
    let ca = ca_param();
    // The certificate names `localhost` only: by address, only the modes that do not
    // check the name may connect.
    for (host, params, encrypted) in [
        ("localhost", String::new(), true),
        ("127.0.0.1", "&sslmode=require".to_owned(), true),
        ("127.0.0.1", format!("&sslmode=require{ca}"), true),
        ("127.0.0.1", format!("&sslmode=verify-ca{ca}"), true),
        ("localhost", format!("&sslmode=verify-full{ca}"), true),
        ("127.0.0.1", "&sslmode=disable".to_owned(), false),
    ] {
        let url = url(&login, host, &fresh_database_name(), &params);
        let connected = connect(&url, &[]);
        assert_eq!(
            connected.as_ref().ok(),
            Some(&encrypted),
            "{host} {params}: {connected:?}"
        );
    }
}

#[test]
fn a_certificate_no_ca_in_sslrootcert_signed_fails_naming_sslrootcert() {
    let login = format!("postgres:{PASSWORD}");
    let other = certs().other_ca.display().to_string();
    // `require` with a root certificate checks the chain, as libpq's does.
    for mode in ["verify-ca", "verify-full", "require"] {
        let params = format!("&sslmode={mode}&sslrootcert={other}");
        let url = url(&login, "localhost", &fresh_database_name(), &params);
        let (problem, message) = tls_problem(connect(&url, &[]));
        assert!(
            matches!(problem, TlsError::Untrusted { .. }),
            "{mode}: {message}"
        );
        assert!(
            message.contains(&format!("sslrootcert `{other}`")),
            "{message}"
        );
    }
}

#[test]
fn a_host_the_certificate_does_not_name_fails_verify_full_naming_verify_ca() {
    let params = format!("&sslmode=verify-full{}", ca_param());
    let url = url(
        &format!("postgres:{PASSWORD}"),
        "127.0.0.1",
        &fresh_database_name(),
        &params,
    );
    let (problem, message) = tls_problem(connect(&url, &[]));
    assert!(
        matches!(&problem, TlsError::WrongHost { host } if host == "127.0.0.1"),
        "{message}"
    );
    assert!(message.contains("sslmode=verify-ca"), "{message}");
}

#[test]
fn require_fails_on_a_server_without_tls_and_prefer_connects_plain() {
    let plain = plain_cluster();
    let url = |mode: &str| {
        format!(
            "postgres://postgres:{PASSWORD}@127.0.0.1:{}/postgres?sslmode={mode}",
            plain.port
        )
    };
    let (problem, message) = tls_problem(connect(&url("require"), &[]));
    assert!(matches!(problem, TlsError::NotOffered { .. }), "{message}");
    assert!(
        message.contains("sslmode=require") && message.contains("sslmode=prefer"),
        "{message}"
    );
    assert_eq!(connect(&url("prefer"), &[]).ok(), Some(false));
}

#[test]
fn a_role_admitted_only_by_certificate_logs_in_with_pgsslcert_and_pgsslkey() {
    let certs = certs();
    let params = format!("&sslmode=verify-full{}", ca_param());
    let url = url(CERT_USER, "localhost", &fresh_database_name(), &params);
    let client = [
        ("PGSSLCERT", certs.client_cert.as_path()),
        ("PGSSLKEY", certs.client_key.as_path()),
    ];
    assert_eq!(connect(&url, &client).ok(), Some(true));
    // Without one, the server's own refusal comes through: TLS itself was fine.
    match connect(&url, &[]) {
        Err(Error::Postgres { reason, .. }) => {
            assert!(reason.contains("certificate"), "{reason}");
        }
        other => panic!("connected without a certificate: {other:?}"),
    }
}

#[test]
fn pgsslmode_pgsslrootcert_and_a_password_file_supply_what_the_url_leaves_out_under_channel_binding()
 {
    let database = fresh_database_name();
    // SCRAM bound to the TLS session, as some managed databases' URLs ask.
    let url = url(
        PASSWORD_USER,
        "localhost",
        &database,
        "&channel_binding=require",
    );
    let folder = tempfile::tempdir().unwrap();
    let passfile = folder.path().join("pgpass");
    let line = format!(
        "localhost:{}:*:{PASSWORD_USER}:{PASSWORD_USER_PASSWORD}\n",
        cluster().port
    );
    std::fs::write(&passfile, line).unwrap();
    let with_mode = |mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&passfile, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    let env = [
        ("PGSSLMODE", Path::new("verify-full")),
        ("PGSSLROOTCERT", certs().ca.as_path()),
        ("PGPASSFILE", passfile.as_path()),
    ];
    with_mode(0o600);
    assert_eq!(connect(&url, &env).ok(), Some(true));
    // A password others may read is passed over, as libpq passes it over.
    with_mode(0o644);
    let refused = connect(&url, &env).unwrap_err().to_string();
    assert!(refused.contains("password"), "{refused}");
    assert!(!refused.contains(PASSWORD_USER_PASSWORD), "{refused}");
}

#[test]
fn a_unix_socket_connects_under_the_default_prefer_though_it_has_no_host_name() {
    let database = fresh_database_name();
    let url = format!(
        "postgres://postgres@/{database}?host={}&port={}",
        cluster().socket_dir().display(),
        cluster().port
    );
    if let Err(error) = lock(&url, &[]) {
        panic!("{error}");
    }
}
