//! TLS to PostgreSQL over rustls, checking as much as libpq's `sslmode` asks: main type
//! [`MakeRustls`], the driver's `MakeTlsConnect`, and [`TlsError`], what went wrong in words
//! that name the setting to change.
//!
//! rustls on its own checks both the chain and the host name. libpq's weaker modes need
//! their own verifiers: `require` (without a root certificate) checks nothing, since it
//! only asks for encryption, and `verify-ca` checks the chain but accepts any name, for
//! servers reached by an address their certificate does not list.

use std::future::Future;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_cert_signed_by_trust_anchor};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};

use super::conninfo::{RootCert, SettingError, SslMode, TlsSettings};

/// Why TLS to the database failed, naming the setting that changes it; never a password.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error(
        "the server does not accept TLS, and sslmode={mode} requires it; turn TLS on at the server, or set sslmode=prefer to use TLS only when the server offers it"
    )]
    NotOffered { mode: SslMode },
    #[error(
        "the server's certificate does not verify against {roots} ({reason}); set sslrootcert to the file of the CA that signed it (a managed database publishes its CA), or to `system` if a public CA signed it"
    )]
    Untrusted { roots: RootCert, reason: String },
    #[error(
        "the server's certificate is not valid for host `{host}`, and sslmode=verify-full checks the name; connect with a host name the certificate lists, or set sslmode=verify-ca to check only that a CA in sslrootcert signed it"
    )]
    WrongHost { host: String },
    #[error("the TLS handshake failed under sslmode={mode}: {reason}")]
    Handshake { mode: SslMode, reason: String },
    #[error(transparent)]
    Setting(#[from] SettingError),
}

/// The driver's TLS maker for one set of settings; `Prefer` and `Disable` are left to the
/// driver's own `SslMode`, which it is given beside this.
#[derive(Clone)]
pub struct MakeRustls {
    config: Arc<ClientConfig>,
}

impl MakeRustls {
    /// Reads the root and client certificates the settings name.
    pub fn new(settings: &TlsSettings) -> Result<MakeRustls, TlsError> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier = verifier(settings, &provider)?;
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| handshake(settings.mode, &error))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match &settings.client_cert {
            None => builder.with_no_client_auth(),
            Some((cert, key)) => {
                let chain = read_certs(cert, "sslcert")?;
                let key = PrivateKeyDer::from_pem_file(key).map_err(|error| {
                    setting(
                        "sslkey",
                        format!("`{}` holds no private key: {error}", key.display()),
                    )
                })?;
                builder.with_client_auth_cert(chain, key).map_err(|error| {
                    setting("sslkey", format!("does not go with sslcert: {error}"))
                })?
            }
        };
        Ok(MakeRustls {
            config: Arc::new(config),
        })
    }
}

fn verifier(
    settings: &TlsSettings,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, TlsError> {
    let algorithms = provider.signature_verification_algorithms;
    let Some(roots) = &settings.root_cert else {
        return Ok(Arc::new(NameUnchecked {
            chain: None,
            algorithms,
        }));
    };
    let store = Arc::new(root_store(roots)?);
    if settings.mode == SslMode::VerifyFull {
        return WebPkiServerVerifier::builder_with_provider(store, provider.clone())
            .build()
            .map(|verifier| verifier as Arc<dyn ServerCertVerifier>)
            .map_err(|error| setting("sslrootcert", format!("cannot be used: {error}")));
    }
    Ok(Arc::new(NameUnchecked {
        chain: Some(store),
        algorithms,
    }))
}

fn root_store(roots: &RootCert) -> Result<RootCertStore, TlsError> {
    let certs = match roots {
        RootCert::File(path) => read_certs(path, "sslrootcert")?,
        RootCert::System => rustls_native_certs::load_native_certs().certs,
    };
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(setting(
            "sslrootcert",
            format!("gives no usable CA certificate ({roots})"),
        ));
    }
    Ok(store)
}

fn read_certs(path: &Path, name: &'static str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let unreadable = |reason: String| setting(name, format!("`{}` {reason}", path.display()));
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|error| unreadable(format!("cannot be read: {error}")))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| unreadable(format!("is not PEM: {error}")))?;
    if certs.is_empty() {
        return Err(unreadable("holds no PEM certificate".to_owned()));
    }
    Ok(certs)
}

fn setting(setting: &'static str, reason: String) -> TlsError {
    TlsError::Setting(SettingError { setting, reason })
}

fn handshake(mode: SslMode, error: &dyn std::error::Error) -> TlsError {
    TlsError::Handshake {
        mode,
        reason: error.to_string(),
    }
}

/// What a connection error says about TLS: `None` when it is not about TLS. `host` is the
/// name the certificate was checked against.
pub fn classify(
    error: &tokio_postgres::Error,
    settings: &TlsSettings,
    host: &str,
) -> Option<TlsError> {
    // The driver says a server refused TLS only in words; they are pinned by the
    // PostgreSQL tests, which would fail the day they change.
    let refused = "server does not support TLS";
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if current.to_string() == refused {
            return Some(TlsError::NotOffered {
                mode: settings.mode,
            });
        }
        let rustls = current.downcast_ref::<rustls::Error>().or_else(|| {
            current
                .downcast_ref::<io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        if let Some(rustls) = rustls {
            return Some(describe(rustls, settings, host));
        }
        source = current.source();
    }
    None
}

fn describe(error: &rustls::Error, settings: &TlsSettings, host: &str) -> TlsError {
    match (error, &settings.root_cert) {
        (
            rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            ),
            _,
        ) => TlsError::WrongHost {
            host: host.to_owned(),
        },
        (rustls::Error::InvalidCertificate(reason), Some(roots)) => TlsError::Untrusted {
            roots: roots.clone(),
            reason: in_words(reason),
        },
        (other, _) => handshake(settings.mode, other),
    }
}

/// Why a certificate was refused, for the reasons a person can act on; rustls's own name
/// for the rest.
fn in_words(reason: &CertificateError) -> String {
    match reason {
        CertificateError::UnknownIssuer => "no CA in it signed the certificate".to_owned(),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "the certificate has expired".to_owned()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "the certificate is not valid yet; check this machine's clock".to_owned()
        }
        CertificateError::Revoked => "the certificate was revoked".to_owned(),
        other => other.to_string(),
    }
}

/// What libpq checks of a server short of `verify-full`: never the name. With `chain`
/// (`verify-ca`, or `require` with a root certificate) a CA in the store signed the
/// certificate; without (`require` and `prefer` without one) nothing is checked of who
/// answers. The handshake's signatures are checked either way, so the session is the
/// certificate's.
#[derive(Debug)]
struct NameUnchecked {
    chain: Option<Arc<RootCertStore>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for NameUnchecked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(store) = &self.chain {
            let cert = ParsedCertificate::try_from(end_entity)?;
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                store,
                intermediates,
                now,
                self.algorithms.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

impl<S> MakeTlsConnect<S> for MakeRustls
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnect;
    type Error = std::convert::Infallible;

    /// A host that is no name (a Unix socket's, which the driver gives as "") fails only
    /// if TLS is started: over a socket the server declines it, and `prefer` goes on plain.
    fn make_tls_connect(&mut self, host: &str) -> Result<RustlsConnect, Self::Error> {
        Ok(RustlsConnect {
            config: self.config.clone(),
            name: ServerName::try_from(host.to_owned()),
        })
    }
}

/// One connection's handshake, to one host name.
pub struct RustlsConnect {
    config: Arc<ClientConfig>,
    name: Result<ServerName<'static>, rustls::pki_types::InvalidDnsNameError>,
}

type Handshake<S> = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

impl<S> TlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Handshake<S>;

    fn connect(self, stream: S) -> Handshake<S> {
        let connector = tokio_rustls::TlsConnector::from(self.config);
        Box::pin(async move {
            let name = self
                .name
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error))?;
            connector.connect(name, stream).await.map(RustlsStream)
        })
    }
}

/// The encrypted stream.
pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
    /// SCRAM's `tls-server-end-point` binding, so that a URL with `channel_binding=require`
    /// (some managed databases hand those out) connects; none for a certificate whose
    /// signature names no hash the binding defines, as PostgreSQL has none for it either.
    fn channel_binding(&self) -> ChannelBinding {
        let end_point = self
            .0
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|chain| chain.first())
            .and_then(|cert| server_end_point(cert));
        match end_point {
            Some(digest) => ChannelBinding::tls_server_end_point(digest),
            None => ChannelBinding::none(),
        }
    }
}

/// RFC 5929's `tls-server-end-point`: the certificate hashed with its signature's hash,
/// SHA-256 standing in for MD5 and SHA-1.
fn server_end_point(cert: &[u8]) -> Option<Vec<u8>> {
    use sha2::Digest;
    const RSA: [u8; 8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01];
    const ECDSA_SHA1: [u8; 7] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01];
    const ECDSA: [u8; 7] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03];
    let oid = signature_algorithm(cert)?;
    let bits = match oid.split_last()? {
        (0x04 | 0x05 | 0x0B, prefix) if prefix == RSA => 256,
        (0x0C, prefix) if prefix == RSA => 384,
        (0x0D, prefix) if prefix == RSA => 512,
        (0x02, prefix) if prefix == ECDSA => 256,
        (0x03, prefix) if prefix == ECDSA => 384,
        (0x04, prefix) if prefix == ECDSA => 512,
        _ if oid == ECDSA_SHA1 => 256,
        _ => return None,
    };
    Some(match bits {
        256 => sha2::Sha256::digest(cert).to_vec(),
        384 => sha2::Sha384::digest(cert).to_vec(),
        _ => sha2::Sha512::digest(cert).to_vec(),
    })
}

/// The OID of a DER certificate's `signatureAlgorithm`, the element after
/// `tbsCertificate`.
fn signature_algorithm(cert: &[u8]) -> Option<&[u8]> {
    let (_, certificate, _) = der_element(cert)?;
    let (_, _, after_tbs) = der_element(certificate)?;
    let (_, algorithm, _) = der_element(after_tbs)?;
    match der_element(algorithm)? {
        (0x06, oid, _) => Some(oid),
        _ => None,
    }
}

/// The tag, the content and what follows of the DER element `der` starts with.
fn der_element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let (bytes, rest) = rest.split_at_checked(usize::from(first & 0x7F))?;
        if bytes.is_empty() || bytes.len() > 4 {
            return None;
        }
        let length = bytes
            .iter()
            .fold(0usize, |length, byte| (length << 8) | usize::from(*byte));
        (length, rest)
    };
    let (content, rest) = rest.split_at_checked(length)?;
    Some((tag, content, rest))
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(context, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(context, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(context)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made(mode: SslMode, root_cert: Option<RootCert>) -> Result<MakeRustls, TlsError> {
        MakeRustls::new(&TlsSettings {
            mode,
            root_cert,
            client_cert: None,
        })
    }

    #[test]
    fn a_root_certificate_file_missing_or_not_pem_names_sslrootcert_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("ca.pem");
        std::fs::write(&garbage, "not a certificate").unwrap();
        for path in [dir.path().join("missing.pem"), garbage] {
            let root = Some(RootCert::File(path.clone()));
            let Err(error) = made(SslMode::VerifyFull, root) else {
                panic!("{} was taken for a CA", path.display());
            };
            assert!(
                matches!(&error, TlsError::Setting(wrong) if wrong.setting == "sslrootcert"),
                "{error}"
            );
            assert!(
                error.to_string().contains(&path.display().to_string()),
                "{error}"
            );
        }
    }

    #[test]
    fn the_end_point_hash_follows_the_signature_and_garbage_gives_none() {
        // SEQUENCE { SEQUENCE {} (tbs), SEQUENCE { OID ecdsa-with-SHA384 }, BIT STRING }
        let cert = [
            0x30, 0x11, 0x30, 0x00, 0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04,
            0x03, 0x03, 0x03, 0x01, 0x00,
        ];
        assert_eq!(server_end_point(&cert).map(|digest| digest.len()), Some(48));
        assert_eq!(server_end_point(&cert[..10]), None);
        assert_eq!(
            server_end_point(&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]),
            None
        );
        assert_eq!(server_end_point(&[]), None);
    }

    #[test]
    fn require_without_a_root_certificate_reads_no_file() {
        assert!(made(SslMode::Require, None).is_ok());
    }
}
