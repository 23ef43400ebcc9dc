//! The certificates of the TLS cluster, made afresh by each test binary: a CA, a server
//! certificate it signed for `localhost` only, a client certificate for [`CERT_USER`], and
//! a second CA that signed nothing the server shows.
//!
//! The server certificate names `localhost` and not `127.0.0.1` on purpose: connecting to
//! the same server by its address is then the host name mismatch `verify-full` refuses and
//! `verify-ca` accepts.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};

/// The role the server admits only with a client certificate (`cert` in pg_hba.conf).
pub const CERT_USER: &str = "certuser";

/// Where each file was written.
pub struct Certs {
    /// The CA that signed the server's and the client's certificates.
    pub ca: PathBuf,
    /// A CA that signed neither.
    pub other_ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

impl Certs {
    /// Makes the certificates and writes them into `dir`, keys readable by the owner only
    /// (PostgreSQL refuses a server key others can read).
    pub fn write(dir: &Path) -> Result<Certs, String> {
        let failed = |error: rcgen::Error| format!("could not make a certificate: {error}");
        let ca = ca("gtcamp test CA").map_err(failed)?;
        let other_ca = ca_certificate("gtcamp other CA").map_err(failed)?;
        let (server, server_key) =
            leaf(vec!["localhost".to_owned()], "localhost", &ca).map_err(failed)?;
        let (client, client_key) = leaf(Vec::new(), CERT_USER, &ca).map_err(failed)?;
        let certs = Certs {
            ca: dir.join("ca.crt"),
            other_ca: dir.join("other-ca.crt"),
            server_cert: dir.join("server.crt"),
            server_key: dir.join("server.key"),
            client_cert: dir.join("client.crt"),
            client_key: dir.join("client.key"),
        };
        for (path, text) in [
            (&certs.ca, ca.pem()),
            (&certs.other_ca, other_ca),
            (&certs.server_cert, server),
            (&certs.server_key, server_key),
            (&certs.client_cert, client),
            (&certs.client_key, client_key),
        ] {
            write_private(path, &text)?;
        }
        Ok(certs)
    }
}

fn ca(name: &str) -> Result<CertifiedIssuer<'static, KeyPair>, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::new())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate()?)
}

fn ca_certificate(name: &str) -> Result<String, rcgen::Error> {
    ca(name).map(|issuer| issuer.pem())
}

/// A certificate `ca` signed, with these names and common name, and its key.
fn leaf(
    names: Vec<String>,
    common_name: &str,
    ca: &CertifiedIssuer<'static, KeyPair>,
) -> Result<(String, String), rcgen::Error> {
    let mut params = CertificateParams::new(names)?;
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, ca)?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text)
        .and_then(|()| std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)))
        .map_err(|error| format!("could not write `{}`: {error}", path.display()))
}
