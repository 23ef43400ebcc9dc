//! The connection settings gtcamp reads itself because the driver does not: libpq's TLS
//! settings and its password file, from the URL and the `PG*` variables, main type
//! [`ConnInfo`].
//!
//! `tokio_postgres::Config` knows only `disable`, `prefer` and `require`, and refuses a URL
//! with `sslrootcert` in it. People paste the URL their provider shows them, which names
//! `sslmode=verify-full&sslrootcert=…`, and CI sets `PGSSLROOTCERT`, so these are read here
//! as libpq reads them (the URL wins over the environment) and taken out of the URL before
//! the driver sees it. Reading is pure: the environment comes in as a lookup function, and
//! the password file as text.

use std::fmt;
use std::path::PathBuf;

/// The settings that choose how much TLS checks, as libpq names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it, plain otherwise; the certificate is not checked
    /// unless a root certificate is given. libpq's default.
    Prefer,
    /// TLS or no connection; the certificate is not checked unless a root certificate is
    /// given (then as `VerifyCa`).
    Require,
    /// TLS, and a CA in `sslrootcert` signed the server's certificate; any host name.
    VerifyCa,
    /// `VerifyCa`, and the certificate names the host connected to.
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Option<SslMode> {
        Some(match text {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        })
    }
}

/// Where the CAs that may sign the server's certificate come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// A PEM file of one or more CA certificates.
    File(PathBuf),
    /// The operating system's trusted roots (`sslrootcert=system`).
    System,
}

impl fmt::Display for RootCert {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RootCert::File(path) => write!(formatter, "sslrootcert `{}`", path.display()),
            RootCert::System => formatter.write_str("the system's roots (sslrootcert=system)"),
        }
    }
}

/// What TLS to use with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    /// As given, or as libpq raises it: `require` with a root certificate is `verify-ca`.
    pub mode: SslMode,
    pub root_cert: Option<RootCert>,
    /// The client certificate and its key, for a server that asks for one.
    pub client_cert: Option<(PathBuf, PathBuf)>,
}

/// A setting with a value gtcamp cannot use; `reason` says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{setting}` {reason}")]
pub struct SettingError {
    pub setting: &'static str,
    pub reason: String,
}

/// The URL as the driver may read it, and what gtcamp took out of it or the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnInfo {
    /// The URL without the parameters below; still holds any password.
    pub url: String,
    pub tls: TlsSettings,
    /// The password file to look in when the URL has no password.
    pub passfile: Option<PathBuf>,
}

/// The URL parameters gtcamp handles, each with the variable libpq reads when it is absent.
const HANDLED: [(&str, &str); 5] = [
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("passfile", "PGPASSFILE"),
];

impl ConnInfo {
    /// Reads `url` and the environment `env` looks up, the URL winning.
    pub fn read(url: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<ConnInfo, SettingError> {
        let (url, params) = strip_handled(url);
        let setting = |key: &str| -> Option<String> {
            let variable = HANDLED.iter().find(|(name, _)| *name == key)?.1;
            params
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.clone())
                .or_else(|| env(variable))
                .filter(|value| !value.is_empty())
        };
        let explicit_mode = match setting("sslmode") {
            None => None,
            // The value is not shown: a variable mixed up with another could hold a password.
            Some(text) => Some(SslMode::parse(&text).ok_or_else(|| SettingError {
                setting: "sslmode",
                reason: "is none of disable, prefer, require, verify-ca, verify-full".to_owned(),
            })?),
        };
        // libpq's defaults, used when they exist: where psql was set up, gtcamp then
        // checks the server as psql does.
        let home_file = |name: &str| {
            env("HOME")
                .map(|home| PathBuf::from(home).join(".postgresql").join(name))
                .filter(|path| path.is_file())
        };
        let root_cert = setting("sslrootcert")
            .map(|value| match value.as_str() {
                "system" => RootCert::System,
                _ => RootCert::File(PathBuf::from(value)),
            })
            .or_else(|| home_file("root.crt").map(RootCert::File));
        let mode = effective_mode(explicit_mode, root_cert.as_ref())?;
        let client_cert = match (setting("sslcert"), setting("sslkey")) {
            (Some(cert), Some(key)) => Some((PathBuf::from(cert), PathBuf::from(key))),
            (None, None) => home_file("postgresql.crt").zip(home_file("postgresql.key")),
            (Some(_), None) => return Err(missing_pair("sslkey", "sslcert")),
            (None, Some(_)) => return Err(missing_pair("sslcert", "sslkey")),
        };
        let passfile = setting("passfile")
            .map(PathBuf::from)
            .or_else(|| env("HOME").map(|home| PathBuf::from(home).join(".pgpass")));
        Ok(ConnInfo {
            url,
            tls: TlsSettings {
                mode,
                root_cert,
                client_cert,
            },
            passfile,
        })
    }
}

/// libpq's rules: a root certificate makes `require` check the chain, and the system's roots
/// are only ever used with the host name checked, since any public CA could have signed a
/// certificate for some other name.
fn effective_mode(
    explicit: Option<SslMode>,
    root_cert: Option<&RootCert>,
) -> Result<SslMode, SettingError> {
    match (explicit, root_cert) {
        (None, Some(RootCert::System)) => Ok(SslMode::VerifyFull),
        (Some(mode), Some(RootCert::System)) if mode != SslMode::VerifyFull => Err(SettingError {
            setting: "sslrootcert",
            reason: format!(
                "is `system`, which libpq allows only with sslmode=verify-full, not sslmode={mode}: any public CA could have signed a certificate for another name"
            ),
        }),
        (Some(SslMode::Require), Some(RootCert::File(_))) => Ok(SslMode::VerifyCa),
        (Some(mode @ (SslMode::VerifyCa | SslMode::VerifyFull)), None) => Err(SettingError {
            setting: "sslrootcert",
            reason: format!(
                "is not set, and sslmode={mode} needs the CA that signed the server's certificate: set sslrootcert (or PGSSLROOTCERT) to its file, or to `system` for the system's roots"
            ),
        }),
        (mode, _) => Ok(mode.unwrap_or(SslMode::Prefer)),
    }
}

fn missing_pair(missing: &'static str, given: &str) -> SettingError {
    SettingError {
        setting: missing,
        reason: format!("is not set, but {given} is: a client certificate needs both files"),
    }
}

/// `url` without the parameters in [`HANDLED`], and those parameters, percent-decoded.
/// The query starts at the first `?` after the first `@`, where the driver's own parser
/// looks for it, so a `?` in a password is never taken for it. A URL not in the
/// `postgres://` form is returned as it is: its settings come from the environment.
pub(super) fn strip_handled(url: &str) -> (String, Vec<(String, String)>) {
    let Some(rest) = ["postgres://", "postgresql://"]
        .iter()
        .find_map(|prefix| url.strip_prefix(prefix))
    else {
        return (url.to_owned(), Vec::new());
    };
    let after_login = rest.find('@').map_or(0, |at| at + 1);
    let Some(query_at) = rest[after_login..].find('?').map(|at| at + after_login) else {
        return (url.to_owned(), Vec::new());
    };
    let head = &url[..url.len() - rest.len() + query_at];
    let mut kept = Vec::new();
    let mut handled = Vec::new();
    for pair in rest[query_at + 1..]
        .split('&')
        .filter(|pair| !pair.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key);
        if HANDLED.iter().any(|(name, _)| *name == key) {
            handled.push((key, decode(value)));
        } else {
            kept.push(pair);
        }
    }
    let url = if kept.is_empty() {
        head.to_owned()
    } else {
        format!("{head}?{}", kept.join("&"))
    };
    (url, handled)
}

/// Percent-decoding as the driver does it; invalid UTF-8 is kept lossily rather than
/// refused, since the driver then refuses the URL with its own message.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Who is connecting where, as a password file line is matched against it.
pub struct PassKey<'a> {
    pub host: &'a str,
    pub port: u16,
    pub database: &'a str,
    pub user: &'a str,
}

/// The password of the first line of a libpq password file (`host:port:db:user:password`,
/// `*` matching anything, `\:` and `\\` escaped) that matches `key`.
pub fn pgpass_lookup(text: &str, key: &PassKey<'_>) -> Option<String> {
    let port = key.port.to_string();
    let wanted = [key.host, port.as_str(), key.database, key.user];
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass_line(line.trim_end_matches('\r'));
            let [host, port, database, user, password] = <[String; 5]>::try_from(fields).ok()?;
            let matches = [host, port, database, user]
                .iter()
                .zip(wanted)
                .all(|(field, wanted)| field == "*" || field == wanted);
            matches.then_some(password)
        })
}

/// The fields of a password file line, unescaped. The password ends at its first
/// unescaped `:`, the rest of the line ignored, as libpq reads it.
fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            ':' if fields.len() == 4 => break,
            ':' => fields.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    fields.push(current);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(url: &str, vars: &[(&str, &str)]) -> Result<ConnInfo, SettingError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ConnInfo::read(url, &move |name: &str| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn tls_settings_come_out_of_the_url_and_other_parameters_stay() {
        let info = read(
            "postgres://u:p%3Fw@db.example:5432/app?sslmode=verify-full&application_name=x&sslrootcert=%2Fetc%2Fca.pem",
            &[],
        )
        .unwrap();
        assert_eq!(
            info.url,
            "postgres://u:p%3Fw@db.example:5432/app?application_name=x"
        );
        assert_eq!(info.tls.mode, SslMode::VerifyFull);
        assert_eq!(
            info.tls.root_cert,
            Some(RootCert::File(PathBuf::from("/etc/ca.pem")))
        );
        assert!(info.url.parse::<tokio_postgres::Config>().is_ok());
    }

    #[test]
    fn a_question_mark_in_the_password_is_not_the_query() {
        let info = read("postgres://u:p?sslmode=disable@db/app", &[]).unwrap();
        assert_eq!(info.url, "postgres://u:p?sslmode=disable@db/app");
        assert_eq!(info.tls.mode, SslMode::Prefer);
    }

    #[test]
    fn the_environment_fills_what_the_url_leaves_out_and_the_url_wins() {
        let env = [
            ("PGSSLMODE", "verify-full"),
            ("PGSSLROOTCERT", "/env/ca.pem"),
            ("PGSSLCERT", "/env/client.crt"),
            ("PGSSLKEY", "/env/client.key"),
            ("PGPASSFILE", "/env/pgpass"),
        ];
        let info = read("postgres://u@db/app?sslmode=verify-ca", &env).unwrap();
        assert_eq!(info.tls.mode, SslMode::VerifyCa);
        assert_eq!(
            info.tls.root_cert,
            Some(RootCert::File(PathBuf::from("/env/ca.pem")))
        );
        assert_eq!(
            info.tls.client_cert,
            Some((
                PathBuf::from("/env/client.crt"),
                PathBuf::from("/env/client.key")
            ))
        );
        assert_eq!(info.passfile, Some(PathBuf::from("/env/pgpass")));
        assert_eq!(
            read("postgres://u@db/app", &env).unwrap().tls.mode,
            SslMode::VerifyFull
        );
    }

    #[test]
    fn the_mode_defaults_to_prefer_and_the_passfile_to_home() {
        let info = read("postgres://u@db/app", &[("HOME", "/home/ci")]).unwrap();
        assert_eq!(info.tls.mode, SslMode::Prefer);
        assert_eq!(info.passfile, Some(PathBuf::from("/home/ci/.pgpass")));
    }

    #[test]
    fn the_files_in_home_postgresql_are_the_defaults_as_in_libpq() {
        let home = tempfile::tempdir().unwrap();
        let folder = home.path().join(".postgresql");
        std::fs::create_dir(&folder).unwrap();
        for name in ["root.crt", "postgresql.crt", "postgresql.key"] {
            std::fs::write(folder.join(name), "").unwrap();
        }
        let home = home.path().display().to_string();
        let info = read("postgres://db/a?sslmode=require", &[("HOME", &home)]).unwrap();
        assert_eq!(info.tls.mode, SslMode::VerifyCa);
        assert_eq!(
            info.tls.root_cert,
            Some(RootCert::File(folder.join("root.crt")))
        );
        assert_eq!(
            info.tls.client_cert,
            Some((folder.join("postgresql.crt"), folder.join("postgresql.key")))
        );
    }

    #[test]
    fn libpq_raises_and_refuses_modes_as_the_root_certificate_requires() {
        let mode = |url: &str| read(url, &[]).map(|info| info.tls.mode);
        assert_eq!(
            mode("postgres://db/a?sslmode=require&sslrootcert=/ca.pem"),
            Ok(SslMode::VerifyCa)
        );
        assert_eq!(
            mode("postgres://db/a?sslrootcert=system"),
            Ok(SslMode::VerifyFull)
        );
        let weak = mode("postgres://db/a?sslrootcert=system&sslmode=verify-ca").unwrap_err();
        assert_eq!(weak.setting, "sslrootcert");
        let unrooted = mode("postgres://db/a?sslmode=verify-full").unwrap_err();
        assert_eq!(unrooted.setting, "sslrootcert");
        let unknown = mode("postgres://db/a?sslmode=verify").unwrap_err();
        assert_eq!(unknown.setting, "sslmode");
        let half = read("postgres://db/a?sslcert=/c.crt", &[]).unwrap_err();
        assert_eq!(half.setting, "sslkey");
    }

    #[test]
    fn a_wrong_sslmode_is_not_echoed_since_it_may_be_a_misplaced_secret() {
        let error = read("postgres://db/a", &[("PGSSLMODE", "hunter2")]).unwrap_err();
        assert_eq!(error.setting, "sslmode");
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }

    #[test]
    fn the_first_matching_pgpass_line_gives_the_password() {
        let text = "# comment\n\
                    other:5432:*:u:wrong\n\
                    db.example:5432:app:u:first\\:pass\\\\word\n\
                    *:*:*:u:fallback\n";
        let key = |host, database| PassKey {
            host,
            port: 5432,
            database,
            user: "u",
        };
        assert_eq!(
            pgpass_lookup(text, &key("db.example", "app")),
            Some("first:pass\\word".to_owned())
        );
        assert_eq!(
            pgpass_lookup(text, &key("db.example", "other")),
            Some("fallback".to_owned())
        );
        let stranger = PassKey {
            user: "v",
            ..key("db.example", "app")
        };
        assert_eq!(pgpass_lookup(text, &stranger), None);
    }

    #[test]
    fn an_escaped_colon_in_the_host_matches_and_a_short_line_is_skipped() {
        let text = "short:line\nfe80\\:\\:1:5432:*:*:pw:ignored\n";
        let key = PassKey {
            host: "fe80::1",
            port: 5432,
            database: "d",
            user: "u",
        };
        assert_eq!(pgpass_lookup(text, &key), Some("pw".to_owned()));
    }
}
