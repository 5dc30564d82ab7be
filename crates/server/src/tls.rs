//! TLS: `tls-port` and the `tls-*` directives, with rustls (ring provider).
//!
//! [`build`] turns the configuration into a rustls `ServerConfig` the way
//! Redis's tlsConfigure turns it into an OpenSSL context, with its checks
//! and log texts: certificate and key, the CA file or directory that client
//! certificates are checked against (`tls-auth-clients yes|optional|no`),
//! protocol versions, cipher lists, server cipher preference and the
//! session cache. The accept loop (`conn.rs`) reads the current acceptor
//! per connection, so CONFIG SET of a `tls-*` directive takes effect for
//! new connections and leaves connected ones alone, as in Redis.
//!
//! What rustls cannot do: TLS 1.0/1.1 and finite-field DH
//! (`tls-dh-params-file` stays inert; rustls offers only ECDHE). Keys
//! encrypted with `tls-key-file-pass` are read when they are PKCS#8 (what
//! OpenSSL 3 writes); the legacy PEM encryption is refused with a log line
//! that says how to convert the key.
//! Outgoing TLS (`tls-replication`, `tls-cluster`, `tls-client-*`) has no
//! use here: there is no replication or cluster.

use crate::config::Config;
use parking_lot::{Mutex, RwLock};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{StoresServerSessions, WebPkiClientVerifier};
use rustls::{
    CipherSuite, DigitallySignedStruct, DistinguishedName, RootCertStore, ServerConfig, SignatureScheme,
    SupportedCipherSuite,
};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_rustls::TlsAcceptor;

/// Directives whose CONFIG SET rebuilds the TLS context when their value
/// changes (Redis's applyTlsCfg). `tls-auth-clients` is not one: it is
/// read per connection.
pub const RELOAD_ON_SET: &[&str] = &[
    "tls-key-file-pass",
    "tls-client-key-file-pass",
    "tls-protocols",
    "tls-ciphers",
    "tls-ciphersuites",
    "tls-prefer-server-ciphers",
    "tls-session-caching",
    "tls-session-cache-size",
    "tls-session-cache-timeout",
    "tls-replication",
    "tls-cluster",
];

/// Directives naming files: CONFIG SET reloads even when the name is
/// unchanged, which is how certificates are rotated (Redis 7.0.1 on).
pub const RELOAD_FILES: &[&str] = &[
    "tls-cert-file",
    "tls-key-file",
    "tls-client-cert-file",
    "tls-client-key-file",
    "tls-dh-params-file",
    "tls-ca-cert-file",
    "tls-ca-cert-dir",
];

/// `tls-auth-clients` as [`AuthClients`] reads it.
const AUTH_NO: u8 = 0;
const AUTH_YES: u8 = 1;
const AUTH_OPTIONAL: u8 = 2;

/// The acceptor new TLS connections use (None until TLS is configured),
/// and the live `tls-auth-clients` mode its verifier consults.
#[derive(Default)]
pub struct TlsState {
    acceptor: RwLock<Option<TlsAcceptor>>,
    auth_mode: Arc<AtomicU8>,
    /// Connections in their handshake (not clients yet), bounded by
    /// `maxclients` so that stalled handshakes cannot pile up.
    pub handshaking: std::sync::atomic::AtomicUsize,
}

impl TlsState {
    /// The acceptor for a connection accepted now.
    pub fn acceptor(&self) -> Option<TlsAcceptor> {
        self.acceptor.read().clone()
    }

    /// Whether a context was ever built (a new `tls-port` reuses it, as in Redis).
    pub fn is_configured(&self) -> bool {
        self.acceptor.read().is_some()
    }

    /// Builds the context from `cfg` and, when it is valid, makes it the
    /// one new connections use.
    ///
    /// # Errors
    /// The reason, as Redis logs it; the previous context stays in force.
    pub fn configure(&self, cfg: &Config) -> Result<(), String> {
        self.sync_auth_mode(cfg);
        let server_config = build(cfg, self.auth_mode.clone())?;
        *self.acceptor.write() = Some(TlsAcceptor::from(Arc::new(server_config)));
        Ok(())
    }

    /// Takes `tls-auth-clients` from `cfg`: the next handshake uses it,
    /// without a reload (Redis reads it per accepted connection).
    pub fn sync_auth_mode(&self, cfg: &Config) {
        let mode = match cfg.value("tls-auth-clients") {
            Some("no") => AUTH_NO,
            Some("optional") => AUTH_OPTIONAL,
            _ => AUTH_YES,
        };
        self.auth_mode.store(mode, Ordering::Relaxed);
    }
}

/// True when the configuration asks for TLS at all (Redis configures the
/// context at start-up exactly then).
pub fn wanted(cfg: &Config) -> bool {
    let on = |k: &str| cfg.value(k).is_some_and(|v| v != "0" && v != "no");
    on("tls-port") || on("tls-replication") || on("tls-cluster")
}

/// The rustls configuration `cfg` describes.
///
/// # Errors
/// What is missing or wrong, in Redis's words where Redis has them.
pub fn build(cfg: &Config, auth_mode: Arc<AtomicU8>) -> Result<ServerConfig, String> {
    let get = |k: &str| cfg.value(k).unwrap_or("").to_string();
    let cert_file = get("tls-cert-file");
    let key_file = get("tls-key-file");
    let ca_file = get("tls-ca-cert-file");
    let ca_dir = get("tls-ca-cert-dir");
    let auth = get("tls-auth-clients");
    if cert_file.is_empty() {
        return Err("No tls-cert-file configured!".into());
    }
    if key_file.is_empty() {
        return Err("No tls-key-file configured!".into());
    }
    let outgoing = get("tls-replication") == "yes" || get("tls-cluster") == "yes";
    if (auth != "no" || outgoing) && ca_file.is_empty() && ca_dir.is_empty() {
        return Err("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, \
                    tls-replication or tls-auth-clients are enabled!"
            .into());
    }
    let versions = protocols(&get("tls-protocols"))?;
    let provider = Arc::new(provider(&get("tls-ciphers"), &get("tls-ciphersuites"))?);

    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert_file)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("Failed to load certificate: {cert_file}: {e}"))?;
    if certs.is_empty() {
        return Err(format!("Failed to load certificate: {cert_file}: no certificate found"));
    }
    let key = load_key(&key_file, &get("tls-key-file-pass"))?;

    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&versions)
        .map_err(|e| format!("Failed to configure TLS protocols: {e}"))?;
    // The CA is loaded whenever one is named, so that a later
    // `tls-auth-clients yes` needs no reload.
    let inner = if ca_file.is_empty() && ca_dir.is_empty() {
        None
    } else {
        let roots = Arc::new(ca_roots(&ca_file, &ca_dir)?);
        let v = WebPkiClientVerifier::builder_with_provider(roots, provider.clone())
            .allow_unauthenticated()
            .build()
            .map_err(|e| format!("Failed to configure CA certificate(s) file/directory: {e}"))?;
        Some(v)
    };
    let verifier = AuthClients { mode: auth_mode, inner, provider };
    let mut sc = builder
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(certs, key)
        .map_err(|e| format!("Failed to load private key: {key_file}: {e}"))?;
    sc.ignore_client_order = get("tls-prefer-server-ciphers") == "yes";
    // Session tickets are on, as with OpenSSL's defaults in Redis; the
    // cache below is the stateful kind `tls-session-caching` controls.
    sc.ticketer = rustls::crypto::ring::Ticketer::new().map_err(|e| format!("Failed to configure TLS: {e}"))?;
    sc.session_storage = if get("tls-session-caching") == "yes" {
        let size = get("tls-session-cache-size").parse().unwrap_or(20480);
        let secs = get("tls-session-cache-timeout").parse().unwrap_or(300);
        Arc::new(SessionCache::new(size, Duration::from_secs(secs)))
    } else {
        Arc::new(rustls::server::NoServerSessionStorage {})
    };
    Ok(sc)
}

/// `tls-protocols`: words separated by single spaces, any case (an empty
/// word, from a double or edge space, is invalid as in Redis); empty means
/// TLS 1.2 and 1.3.
fn protocols(list: &str) -> Result<Vec<&'static rustls::SupportedProtocolVersion>, String> {
    if list.is_empty() {
        return Ok(vec![&rustls::version::TLS13, &rustls::version::TLS12]);
    }
    let mut v = Vec::new();
    for word in list.split(' ') {
        match word.to_ascii_lowercase().as_str() {
            "tlsv1.3" => v.push(&rustls::version::TLS13),
            "tlsv1.2" => v.push(&rustls::version::TLS12),
            "tlsv1" | "tlsv1.1" => {
                // Valid for Redis; rustls implements neither (both are
                // deprecated, RFC 8996). Skipped, with a log line.
                crate::warning!("tls-protocols: {word} is not supported by this server and is ignored");
            }
            _ => {
                return Err("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', \
                            'TLSv1.2' and 'TLSv1.3'."
                    .into())
            }
        }
    }
    if v.is_empty() {
        return Err("Failed to configure TLS: none of the tls-protocols is supported (TLSv1.2, TLSv1.3)".into());
    }
    Ok(v)
}

/// OpenSSL's name for each TLS 1.2 suite rustls offers.
const TLS12_NAMES: &[(&str, CipherSuite)] = &[
    ("ECDHE-ECDSA-AES128-GCM-SHA256", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
    ("ECDHE-ECDSA-AES256-GCM-SHA384", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384),
    ("ECDHE-ECDSA-CHACHA20-POLY1305", CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256),
    ("ECDHE-RSA-AES128-GCM-SHA256", CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
    ("ECDHE-RSA-AES256-GCM-SHA384", CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384),
    ("ECDHE-RSA-CHACHA20-POLY1305", CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256),
];

/// The TLS 1.3 suites; OpenSSL and the RFC name them alike.
const TLS13_NAMES: &[(&str, CipherSuite)] = &[
    ("TLS_AES_128_GCM_SHA256", CipherSuite::TLS13_AES_128_GCM_SHA256),
    ("TLS_AES_256_GCM_SHA384", CipherSuite::TLS13_AES_256_GCM_SHA384),
    ("TLS_CHACHA20_POLY1305_SHA256", CipherSuite::TLS13_CHACHA20_POLY1305_SHA256),
];

/// The ring provider with its suites narrowed by `tls-ciphers` (TLS 1.2,
/// OpenSSL cipher-list syntax) and `tls-ciphersuites` (TLS 1.3, a plain
/// colon-separated list). Empty keeps every suite.
fn provider(ciphers: &str, suites: &str) -> Result<CryptoProvider, String> {
    let mut p = rustls::crypto::ring::default_provider();
    let all = p.cipher_suites.clone();
    let (v13, v12): (Vec<SupportedCipherSuite>, Vec<SupportedCipherSuite>) =
        all.into_iter().partition(|s| matches!(s, SupportedCipherSuite::Tls13(_)));
    let v12 = if ciphers.trim().is_empty() {
        v12
    } else {
        narrow_tls12(&v12, ciphers).ok_or_else(|| format!("Failed to configure ciphers: {ciphers}"))?
    };
    let v13 = if suites.trim().is_empty() {
        v13
    } else {
        // OpenSSL refuses a list with an unknown name.
        let mut keep = Vec::new();
        for name in suites.split(':').filter(|n| !n.is_empty()) {
            let id = TLS13_NAMES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, id)| *id)
                .ok_or_else(|| format!("Failed to configure ciphersuites: {suites}"))?;
            keep.extend(v13.iter().filter(|s| s.suite() == id).copied());
        }
        keep
    };
    p.cipher_suites = v13.into_iter().chain(v12).collect();
    Ok(p)
}

/// A subset of OpenSSL's cipher-list language: names (OpenSSL's), the
/// keywords that select everything rustls offers (`DEFAULT`, `ALL`, `HIGH`,
/// `ECDHE`, `EECDH`, `AESGCM`, `CHACHA20`...), and `!name`/`-name` to drop a
/// suite. Tokens that select nothing here (weak classes, `@STRENGTH`) are
/// skipped; a list that keeps no suite is an error, as in OpenSSL.
fn narrow_tls12(v12: &[SupportedCipherSuite], list: &str) -> Option<Vec<SupportedCipherSuite>> {
    let mut chosen: Vec<CipherSuite> = Vec::new();
    for tok in list.split([':', ',', ' ']).filter(|t| !t.is_empty()) {
        let (drop, name) = match tok.as_bytes()[0] {
            b'!' | b'-' => (true, &tok[1..]),
            b'+' => (false, &tok[1..]),
            _ => (false, tok),
        };
        let hits: Vec<CipherSuite> = match TLS12_NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some((_, id)) => vec![*id],
            None => match name.to_ascii_uppercase().as_str() {
                "DEFAULT" | "ALL" | "HIGH" | "ECDHE" | "EECDH" | "KECDHE" | "AEAD" | "TLSV1.2" => {
                    TLS12_NAMES.iter().map(|(_, id)| *id).collect()
                }
                "AESGCM" | "AES" => TLS12_NAMES.iter().filter(|(n, _)| n.contains("AES")).map(|(_, id)| *id).collect(),
                "CHACHA20" => TLS12_NAMES.iter().filter(|(n, _)| n.contains("CHACHA")).map(|(_, id)| *id).collect(),
                "ECDSA" | "AECDSA" => {
                    TLS12_NAMES.iter().filter(|(n, _)| n.contains("ECDSA")).map(|(_, id)| *id).collect()
                }
                "RSA" | "ARSA" => TLS12_NAMES.iter().filter(|(n, _)| n.contains("-RSA-")).map(|(_, id)| *id).collect(),
                _ => Vec::new(),
            },
        };
        if drop {
            chosen.retain(|c| !hits.contains(c));
        } else {
            for h in hits {
                if !chosen.contains(&h) {
                    chosen.push(h);
                }
            }
        }
    }
    let out: Vec<SupportedCipherSuite> =
        chosen.iter().filter_map(|id| v12.iter().find(|s| s.suite() == *id).copied()).collect();
    (!out.is_empty()).then_some(out)
}

/// The private key in `file` (PKCS#1, PKCS#8 or SEC1 PEM), decrypted
/// with `tls-key-file-pass` when it is an encrypted PKCS#8 key (what
/// OpenSSL 3 writes, e.g. `openssl genrsa -aes256`).
fn load_key(file: &str, pass: &str) -> Result<PrivateKeyDer<'static>, String> {
    let fail = |why: &dyn std::fmt::Display| format!("Failed to load private key: {file}: {why}");
    let text = std::fs::read_to_string(file).map_err(|e| fail(&e))?;
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        let (_, doc) = pkcs8::Document::from_pem(&text).map_err(|e| fail(&e))?;
        let info = pkcs8::EncryptedPrivateKeyInfo::try_from(doc.as_bytes()).map_err(|e| fail(&e))?;
        // A wrong or missing password fails here, as OpenSSL's "bad decrypt".
        let plain = info.decrypt(pass.as_bytes()).map_err(|_| fail(&"bad decrypt"))?;
        return Ok(PrivateKeyDer::Pkcs8(plain.as_bytes().to_vec().into()));
    }
    if text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(fail(
            &"keys encrypted in the legacy PEM form are not supported; convert it with \
              `openssl pkcs8 -topk8 -v2 aes-256-cbc` (or decrypt it with `openssl pkey`)",
        ));
    }
    PrivateKeyDer::from_pem_slice(text.as_bytes()).map_err(|e| fail(&e))
}

/// The trust anchors for client certificates: every certificate in
/// `tls-ca-cert-file`, and in the files of `tls-ca-cert-dir` that OpenSSL
/// would find there: those named by subject hash (`1a2b3c4d.0`, as
/// `openssl rehash` makes them). Other files in the directory are not
/// trusted, as in Redis.
fn ca_roots(file: &str, dir: &str) -> Result<RootCertStore, String> {
    let fail = |e: &dyn std::fmt::Display| format!("Failed to configure CA certificate(s) file/directory: {e}");
    let mut roots = RootCertStore::empty();
    let mut add = |path: &std::path::Path, strict: bool| -> Result<(), String> {
        let certs = match CertificateDer::pem_file_iter(path).and_then(|it| it.collect::<Result<Vec<_>, _>>()) {
            Ok(c) => c,
            Err(e) if strict => return Err(fail(&format!("{}: {e}", path.display()))),
            Err(_) => return Ok(()),
        };
        for c in certs {
            roots.add(c).map_err(|e| fail(&format!("{}: {e}", path.display())))?;
        }
        Ok(())
    };
    if !file.is_empty() {
        add(std::path::Path::new(file), true)?;
    }
    if !dir.is_empty() {
        let entries = std::fs::read_dir(dir).map_err(|e| fail(&format!("{dir}: {e}")))?;
        for e in entries.flatten() {
            if is_hash_name(&e.file_name().to_string_lossy()) {
                add(&e.path(), false)?;
            }
        }
    }
    if roots.is_empty() {
        return Err(fail(&"no CA certificate found"));
    }
    Ok(roots)
}

/// `<8 hex digits>.<n>`: a certificate's name in an OpenSSL hashed
/// directory (CRLs are `.r<n>` and are not read here).
fn is_hash_name(name: &str) -> bool {
    match name.split_once('.') {
        Some((hash, n)) => {
            hash.len() == 8
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Client certificates per `tls-auth-clients`, read at each handshake:
/// `no` asks for none, `optional` checks one if offered, `yes` requires
/// one. Without a CA (possible once `tls-auth-clients` was switched at run
/// time) every offered certificate fails, as with OpenSSL.
#[derive(Debug)]
struct AuthClients {
    mode: Arc<AtomicU8>,
    inner: Option<Arc<dyn ClientCertVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ClientCertVerifier for AuthClients {
    fn offer_client_auth(&self) -> bool {
        self.mode.load(Ordering::Relaxed) != AUTH_NO
    }

    fn client_auth_mandatory(&self) -> bool {
        self.mode.load(Ordering::Relaxed) == AUTH_YES
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.inner.as_ref().map_or(&[], |v| v.root_hint_subjects())
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        match &self.inner {
            Some(v) => v.verify_client_cert(end_entity, intermediates, now),
            None => Err(rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// The server-side session cache (`tls-session-caching`): at most `size`
/// sessions (0: no limit, as OpenSSL's), each resumable for `ttl`.
#[derive(Debug)]
struct SessionCache {
    size: usize,
    ttl: Duration,
    inner: Mutex<Sessions>,
}

#[derive(Debug, Default)]
struct Sessions {
    map: HashMap<Vec<u8>, (Vec<u8>, Instant)>,
    /// Keys oldest first, for eviction when full.
    order: VecDeque<Vec<u8>>,
}

impl SessionCache {
    fn new(size: usize, ttl: Duration) -> Self {
        SessionCache { size, ttl, inner: Mutex::new(Sessions::default()) }
    }
}

impl StoresServerSessions for SessionCache {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        let mut s = self.inner.lock();
        let now = Instant::now();
        // Drop what expired or was taken from the front of the queue.
        while let Some(k) = s.order.front() {
            match s.map.get(k) {
                Some((_, at)) if now.duration_since(*at) < self.ttl => break,
                _ => {
                    let k = s.order.pop_front().expect("front exists");
                    s.map.remove(&k);
                }
            }
        }
        if self.size > 0 {
            while s.map.len() >= self.size {
                let Some(k) = s.order.pop_front() else { break };
                s.map.remove(&k);
            }
        }
        if s.map.insert(key.clone(), (value, now)).is_none() {
            s.order.push_back(key);
        }
        true
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let s = self.inner.lock();
        s.map.get(key).filter(|(_, at)| at.elapsed() < self.ttl).map(|(v, _)| v.clone())
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        let mut s = self.inner.lock();
        let (v, at) = s.map.remove(key)?;
        (at.elapsed() < self.ttl).then_some(v)
    }

    fn can_cache(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v12() -> Vec<SupportedCipherSuite> {
        rustls::crypto::ring::default_provider()
            .cipher_suites
            .into_iter()
            .filter(|s| matches!(s, SupportedCipherSuite::Tls12(_)))
            .collect()
    }

    #[test]
    fn cipher_lists() {
        let all = v12();
        assert_eq!(narrow_tls12(&all, "DEFAULT").unwrap().len(), all.len());
        let one = narrow_tls12(&all, "ECDHE-RSA-AES256-GCM-SHA384").unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].suite(), CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
        let no_chacha = narrow_tls12(&all, "HIGH:!CHACHA20:!aNULL").unwrap();
        assert!(no_chacha.iter().all(|s| !format!("{:?}", s.suite()).contains("CHACHA")));
        assert_eq!(no_chacha.len(), all.len() - 2);
        assert!(narrow_tls12(&all, "RC4-MD5:3DES").is_none());
        assert!(provider("", "TLS_AES_256_GCM_SHA384").is_ok());
        assert!(provider("", "TLS_AES_999").is_err());
    }

    #[test]
    fn hashed_directory_names() {
        assert!(is_hash_name("1a2b3c4d.0"));
        assert!(is_hash_name("ABCDEF01.12"));
        assert!(!is_hash_name("ca.crt"));
        assert!(!is_hash_name("1a2b3c4d.r0"));
        assert!(!is_hash_name("1a2b3c4d."));
        assert!(!is_hash_name("1a2b3c4.0"));
    }

    #[test]
    fn protocol_lists() {
        assert_eq!(protocols("").unwrap().len(), 2);
        assert_eq!(protocols("TLSv1.2").unwrap().len(), 1);
        assert_eq!(protocols("tlsv1.2 TLSv1.3").unwrap().len(), 2);
        assert!(protocols("TLSv1.1").is_err());
        assert!(protocols("TLSv1.2  TLSv1.3").is_err(), "an empty word between two spaces");
        assert!(protocols(" TLSv1.2").is_err());
        assert!(protocols("SSLv3").unwrap_err().starts_with("Invalid tls-protocols specified"));
    }

    #[test]
    fn session_cache_bounds_and_expiry() {
        let c = SessionCache::new(2, Duration::from_secs(60));
        assert!(c.put(b"a".to_vec(), b"1".to_vec()));
        c.put(b"b".to_vec(), b"2".to_vec());
        c.put(b"c".to_vec(), b"3".to_vec());
        assert_eq!(c.get(b"a"), None, "oldest evicted at the size limit");
        assert_eq!(c.get(b"c"), Some(b"3".to_vec()));
        assert_eq!(c.take(b"b"), Some(b"2".to_vec()));
        assert_eq!(c.take(b"b"), None);
        let c = SessionCache::new(0, Duration::from_millis(0));
        c.put(b"a".to_vec(), b"1".to_vec());
        assert_eq!(c.get(b"a"), None, "expired at once");
    }
}
