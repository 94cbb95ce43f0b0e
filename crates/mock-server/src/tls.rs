//! HTTPS for ZEGO's host names: the mock's own certificate authority ([`LocalCa`]), kept in a
//! data directory, and the server certificate it signs for `rtc-api.zego.im`, the regional
//! hosts, `localhost` and `127.0.0.1` ([`ServerTls`]), which the `--https-bind` listener and
//! the proxy's `CONNECT` tunnels present.
//!
//! The CA's private key never leaves its file: it is not printed, logged, put in an error, nor
//! shown by `Debug`.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The host names the mock answers for as a proxy, and puts in its server certificate: ZEGO's
/// global API host and its regional ones.
pub const ZEGO_API_HOSTS: [&str; 7] = [
    "rtc-api.zego.im",
    "rtc-api-sha.zego.im",
    "rtc-api-hkg.zego.im",
    "rtc-api-fra.zego.im",
    "rtc-api-lax.zego.im",
    "rtc-api-bom.zego.im",
    "rtc-api-sgp.zego.im",
];

/// The local names also in the server certificate, for the `--https-bind` listener.
const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The CA certificate's file name in the data directory.
pub const CA_CERT_FILE: &str = "ca.pem";
/// The CA private key's file name in the data directory (mode 0600).
pub const CA_KEY_FILE: &str = "ca-key.pem";

/// How long the CA certificate is valid from its creation, in days (about ten years).
const CA_VALIDITY_DAYS: i64 = 3650;
/// How long a server certificate is valid, in days. One is made at every start; a short life
/// keeps it within what every client accepts (Apple's, for one, refuses over 825 days).
const LEAF_VALIDITY_DAYS: i64 = 30;
/// The largest CA file read, in bytes: a PEM certificate or key is a few hundred.
const MAX_PEM_BYTES: u64 = 64 * 1024;
/// How long to wait for another process that is creating the CA in the same directory.
const CREATION_WAIT: Duration = Duration::from_secs(5);
/// The CA's subject name. Server certificates are signed with it, so it never changes.
const CA_NAME: &str = "zego-mock local CA";

/// A failure to find, read, create or use the CA, naming the file or directory concerned. It
/// never holds key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaError {
    path: Option<PathBuf>,
    message: String,
}

impl CaError {
    fn at(path: &Path, message: impl Into<String>) -> Self {
        Self {
            path: Some(path.to_path_buf()),
            message: message.into(),
        }
    }

    fn plain(message: impl Into<String>) -> Self {
        Self {
            path: None,
            message: message.into(),
        }
    }

    /// The file or directory concerned, when there is one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

impl fmt::Display for CaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {}", path.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CaError {}

/// The default data directory: `$XDG_DATA_HOME/zego-mock`, else
/// `$HOME/.local/share/zego-mock`. `Err` when neither variable is set (to an absolute path).
pub fn default_data_dir() -> Result<PathBuf, CaError> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(xdg) = absolute("XDG_DATA_HOME") {
        return Ok(xdg.join("zego-mock"));
    }
    if let Some(home) = absolute("HOME") {
        return Ok(home.join(".local").join("share").join("zego-mock"));
    }
    Err(CaError::plain(
        "no data directory: neither XDG_DATA_HOME nor HOME is set; pass --data-dir DIR (or set ZEGO_MOCK_DATA_DIR)",
    ))
}

/// The mock's certificate authority: a certificate and its key, kept in a data directory
/// (`ca.pem`, and `ca-key.pem` with mode 0600) or made in memory. Clients that trust its
/// certificate accept the server certificates it signs ([`LocalCa::server_tls`]).
///
/// ```
/// let ca = zego_mock::LocalCa::generate().unwrap();
/// assert!(ca.cert_pem().starts_with("-----BEGIN CERTIFICATE-----"));
/// assert!(!format!("{ca:?}").contains("PRIVATE KEY"));
/// let tls = ca.server_tls().unwrap();
/// assert!(tls.hosts().contains(&"rtc-api.zego.im"));
/// ```
pub struct LocalCa {
    cert_pem: String,
    /// The certificate used as the issuer of server certificates: the same name and key as the
    /// one on disk.
    issuer: rcgen::Certificate,
    key: KeyPair,
    dir: Option<PathBuf>,
    created: bool,
}

impl fmt::Debug for LocalCa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key is left out on purpose.
        f.debug_struct("LocalCa")
            .field("cert_path", &self.cert_path())
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

/// Unix seconds now, by the system clock (certificates are checked against clients' real
/// clocks, never the mock's own).
fn now_secs() -> i64 {
    crate::clock::system_now_millis().div_euclid(1000)
}

/// Makes `params` valid from `from_days` to `to_days` days after the Unix time `secs`.
fn set_validity(params: &mut CertificateParams, secs: i64, from_days: i64, to_days: i64) {
    let date = |days: i64| {
        let (y, m, d) = crate::utc::civil_date(secs.saturating_add(days * 86_400));
        let year = i32::try_from(y).unwrap_or(9999).clamp(1970, 9999);
        // A month and a day always fit in a u8.
        rcgen::date_time_ymd(year, m as u8, d as u8)
    };
    params.not_before = date(from_days);
    params.not_after = date(to_days);
}

/// The CA certificate's parameters: its name and extensions never change, so a server
/// certificate signed through them chains to the certificate on disk.
fn ca_params(from_secs: i64) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, CA_NAME);
    name.push(DnType::OrganizationName, "zego-mock");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    set_validity(&mut params, from_secs, -1, CA_VALIDITY_DAYS);
    params
}

fn tls_error(what: &str, e: impl fmt::Display) -> CaError {
    CaError::plain(format!("{what}: {e}"))
}

impl LocalCa {
    /// Loads the CA kept in `dir`, or creates it there (and `dir` with mode 0700) when there is
    /// none. Two processes starting at once in the same directory end up with the same CA.
    /// A missing, unreadable or corrupt file is an error naming it.
    pub fn load_or_create(dir: &Path) -> Result<Self, CaError> {
        let cert_path = dir.join(CA_CERT_FILE);
        if !cert_path.exists() {
            create_dir(dir)?;
            match Self::create(dir)? {
                Some(ca) => return Ok(ca),
                // Another process holds the key file: wait for it to publish the certificate.
                None => wait_for(&cert_path, &dir.join(CA_KEY_FILE))?,
            }
        }
        Self::load(dir)
    }

    /// A CA made in memory only, never written anywhere (for tests).
    pub fn generate() -> Result<Self, CaError> {
        let key = KeyPair::generate().map_err(|e| tls_error("cannot make a CA key", e))?;
        let cert = ca_params(now_secs())
            .self_signed(&key)
            .map_err(|e| tls_error("cannot make the CA certificate", e))?;
        Ok(Self {
            cert_pem: cert.pem(),
            issuer: cert,
            key,
            dir: None,
            created: true,
        })
    }

    /// Loads the CA kept in `dir`.
    fn load(dir: &Path) -> Result<Self, CaError> {
        let cert_path = dir.join(CA_CERT_FILE);
        let key_path = dir.join(CA_KEY_FILE);
        let cert_pem = read_pem(&cert_path)?;
        let der = CertificateDer::from_pem_slice(cert_pem.as_bytes()).map_err(|_| {
            CaError::at(
                &cert_path,
                format!("not a PEM certificate; remove it (and {CA_KEY_FILE}) to make a new CA"),
            )
        })?;
        if !key_path.exists() {
            return Err(CaError::at(
                &key_path,
                format!("the CA key is missing while its certificate {} is there; restore the key, or remove the certificate to make a new CA", cert_path.display()),
            ));
        }
        let key_pem = read_pem(&key_path)?;
        // rcgen's error is not shown: it is about the key's content.
        let key = KeyPair::from_pem(&key_pem).map_err(|_| {
            CaError::at(
                &key_path,
                format!("not a PEM private key zego-mock can use; remove it (and {CA_CERT_FILE}) to make a new CA"),
            )
        })?;
        if !contains(der.as_ref(), key.public_key_raw()) {
            return Err(CaError::at(
                &cert_path,
                format!(
                    "this certificate does not belong to the key {}; remove both to make a new CA",
                    key_path.display()
                ),
            ));
        }
        let issuer = ca_params(now_secs())
            .self_signed(&key)
            .map_err(|e| CaError::at(&key_path, format!("cannot sign with this key: {e}")))?;
        Ok(Self {
            cert_pem,
            issuer,
            key,
            dir: Some(dir.to_path_buf()),
            created: false,
        })
    }

    /// Creates the CA in `dir`: the key file first, exclusively (whoever creates it makes the
    /// CA), then the certificate, renamed into place once written, so a reader that finds the
    /// certificate finds a complete key. `None` when another process got there first.
    fn create(dir: &Path) -> Result<Option<Self>, CaError> {
        let cert_path = dir.join(CA_CERT_FILE);
        let key_path = dir.join(CA_KEY_FILE);
        let mut ca = Self::generate()?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut key_file = match options.open(&key_path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(None),
            Err(e) => return Err(CaError::at(&key_path, format!("cannot create it: {e}"))),
        };
        let written = key_file
            .write_all(ca.key.serialize_pem().as_bytes())
            .and_then(|()| key_file.sync_all());
        drop(key_file);
        if let Err(e) = written {
            let _ = std::fs::remove_file(&key_path);
            return Err(CaError::at(&key_path, format!("cannot write it: {e}")));
        }
        let temp = dir.join(format!(
            ".{CA_CERT_FILE}.{}.{}.tmp",
            std::process::id(),
            crate::nonce()
        ));
        let published = std::fs::write(&temp, ca.cert_pem.as_bytes())
            .and_then(|()| std::fs::rename(&temp, &cert_path));
        if let Err(e) = published {
            let _ = std::fs::remove_file(&temp);
            let _ = std::fs::remove_file(&key_path);
            return Err(CaError::at(&cert_path, format!("cannot write it: {e}")));
        }
        ca.dir = Some(dir.to_path_buf());
        Ok(Some(ca))
    }

    /// The CA certificate, PEM.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// Where the CA certificate is kept (`None` for a CA made in memory).
    pub fn cert_path(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(CA_CERT_FILE))
    }

    /// Where the CA key is kept (`None` for a CA made in memory).
    pub fn key_path(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(CA_KEY_FILE))
    }

    /// Whether this CA was made by this call (rather than loaded).
    pub fn created(&self) -> bool {
        self.created
    }

    /// A new server certificate for ZEGO's API hosts ([`ZEGO_API_HOSTS`]), `localhost`,
    /// `127.0.0.1` and `::1`, valid for 30 days from yesterday and signed by this CA, with a
    /// fresh key held in memory only; and the TLS configuration that presents it (TLS 1.2 and
    /// 1.3, HTTP/1.1).
    pub fn server_tls(&self) -> Result<ServerTls, CaError> {
        let key = KeyPair::generate().map_err(|e| tls_error("cannot make a server key", e))?;
        let names: Vec<String> = ZEGO_API_HOSTS
            .iter()
            .chain(LOCAL_NAMES.iter())
            .map(|h| h.to_string())
            .collect();
        let mut params = CertificateParams::new(names)
            .map_err(|e| tls_error("cannot name the server certificate", e))?;
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, "rtc-api.zego.im (zego-mock)");
        params.distinguished_name = name;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        set_validity(&mut params, now_secs(), -1, LEAF_VALIDITY_DAYS);
        let cert = params
            .signed_by(&key, &self.issuer, &self.key)
            .map_err(|e| tls_error("cannot sign the server certificate", e))?;
        let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_error("cannot configure TLS", e))?
            .with_no_client_auth()
            .with_single_cert(vec![cert.der().clone()], private)
            .map_err(|e| tls_error("cannot configure TLS", e))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(ServerTls {
            config: Arc::new(config),
        })
    }
}

/// The TLS side of the mock: a server certificate signed by a [`LocalCa`] and its key, in a
/// rustls configuration. Cheap to clone. Give it to [`MockServerBuilder::tls`] or
/// [`serve_with_tls`].
///
/// [`MockServerBuilder::tls`]: crate::MockServerBuilder::tls
/// [`serve_with_tls`]: crate::serve_with_tls
#[derive(Clone)]
pub struct ServerTls {
    config: Arc<rustls::ServerConfig>,
}

impl fmt::Debug for ServerTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerTls")
            .field("hosts", &self.hosts())
            .finish_non_exhaustive()
    }
}

impl ServerTls {
    /// The names the certificate is valid for.
    pub fn hosts(&self) -> Vec<&'static str> {
        ZEGO_API_HOSTS
            .iter()
            .chain(LOCAL_NAMES.iter())
            .copied()
            .collect()
    }

    pub(crate) fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(self.config.clone())
    }
}

/// Whether `host` (any case, no port) is one of ZEGO's API hosts the mock answers for.
pub fn is_zego_api_host(host: &str) -> bool {
    ZEGO_API_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn create_dir(dir: &Path) -> Result<(), CaError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| CaError::at(dir, format!("cannot create the data directory: {e}")))
}

/// Reads a small PEM file as text.
fn read_pem(path: &Path) -> Result<String, CaError> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_PEM_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => CaError::at(path, "not a PEM file (not text)"),
            _ => CaError::at(path, format!("cannot read it: {e}")),
        })?;
    if text.len() as u64 > MAX_PEM_BYTES {
        return Err(CaError::at(
            path,
            format!("larger than {MAX_PEM_BYTES} bytes: not a PEM file zego-mock wrote"),
        ));
    }
    Ok(text)
}

/// Waits (up to [`CREATION_WAIT`]) for another process to publish the CA certificate.
fn wait_for(cert_path: &Path, key_path: &Path) -> Result<(), CaError> {
    let deadline = std::time::Instant::now() + CREATION_WAIT;
    while std::time::Instant::now() < deadline {
        if cert_path.exists() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(CaError::at(
        key_path,
        format!(
            "the CA key is there but not its certificate {}: another zego-mock may still be creating them, or one was stopped midway; remove the key to make a new CA",
            cert_path.display()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "zego-mock-tls-{}-{name}-{}",
            std::process::id(),
            crate::nonce()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_ca_is_created_once_and_loaded_after() {
        let dir = temp_dir("once");
        let first = LocalCa::load_or_create(&dir).expect("created");
        assert!(first.created());
        let second = LocalCa::load_or_create(&dir).expect("loaded");
        assert!(!second.created());
        assert_eq!(first.cert_pem(), second.cert_pem());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(CA_KEY_FILE))
                .expect("key file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // The debug output shows no key.
        let debug = format!("{second:?}");
        assert!(
            !debug.contains("PRIVATE") && !debug.contains("serialized"),
            "{debug}"
        );
        second.server_tls().expect("server certificate");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn corrupt_or_mismatched_files_are_errors_naming_them() {
        let dir = temp_dir("corrupt");
        LocalCa::load_or_create(&dir).expect("created");
        let key_path = dir.join(CA_KEY_FILE);
        let cert_path = dir.join(CA_CERT_FILE);
        let key = std::fs::read(&key_path).expect("key");
        let cert = std::fs::read(&cert_path).expect("cert");

        std::fs::write(&key_path, b"not a key").expect("write");
        let e = LocalCa::load_or_create(&dir).expect_err("corrupt key");
        assert_eq!(e.path(), Some(key_path.as_path()));
        assert!(e.to_string().contains("not a PEM private key"), "{e}");

        // Another CA's key: the certificate does not belong to it.
        let other = temp_dir("other");
        LocalCa::load_or_create(&other).expect("created");
        std::fs::copy(other.join(CA_KEY_FILE), &key_path).expect("copy");
        let e = LocalCa::load_or_create(&dir).expect_err("mismatch");
        assert!(e.to_string().contains("does not belong"), "{e}");
        assert!(!e.to_string().contains("PRIVATE"), "{e}");

        std::fs::write(&key_path, &key).expect("restore");
        std::fs::write(&cert_path, [0xff, 0xfe, 0]).expect("write");
        let e = LocalCa::load_or_create(&dir).expect_err("corrupt cert");
        assert_eq!(e.path(), Some(cert_path.as_path()));

        std::fs::remove_file(&key_path).expect("remove");
        std::fs::write(&cert_path, &cert).expect("restore");
        let e = LocalCa::load_or_create(&dir).expect_err("missing key");
        assert!(e.to_string().contains("missing"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&other);
    }

    #[test]
    fn processes_racing_to_create_end_with_one_ca() {
        let dir = temp_dir("race");
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let dir = dir.clone();
                std::thread::spawn(move || LocalCa::load_or_create(&dir).map(|ca| ca.cert_pem))
            })
            .collect();
        let pems: Vec<String> = handles
            .into_iter()
            .map(|h| h.join().expect("thread").expect("ca"))
            .collect();
        assert!(pems.windows(2).all(|w| w[0] == w[1]));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_zego_api_hosts_are_served_as_a_proxy() {
        assert!(is_zego_api_host("rtc-api.zego.im"));
        assert!(is_zego_api_host("RTC-API-SGP.zego.im"));
        assert!(!is_zego_api_host("example.com"));
        assert!(!is_zego_api_host("rtc-api.zego.im.example.com"));
        assert!(!is_zego_api_host("localhost"));
    }
}
