//! X.509 certificates: reading (DER, PEM with several certificates), trust anchors, and
//! certification-path building and checking after RFC 5280 §6.1, reduced to what signature
//! validation of a DCC needs: issuer/subject name chaining, signatures along the path, validity
//! periods at the validation time, basic constraints with path length, key usage, and refusal
//! of critical extensions that are not processed.

use base64::Engine;
use const_oid::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
use x509_cert::Certificate;

use crate::crypto::{DigestAlgorithm, EcdsaEncoding, PublicKey, SignatureAlgorithm};
use crate::report::{Finding, FindingCode, Severity};
use crate::time::Timestamp;
use crate::Error;

const OID_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const OID_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_CERT_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
const OID_SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

/// Most certificates a path may have (leaf included).
const MAX_PATH: usize = 10;
/// Most signature verifications spent on building one path, against hostile certificate sets.
const MAX_PATH_VERIFICATIONS: usize = 64;

/// A parsed certificate with the encodings signature checks need.
#[derive(Debug, Clone)]
pub(crate) struct Cert {
    pub(crate) der: Vec<u8>,
    /// The `tbsCertificate` exactly as encoded (signatures are over these bytes; the decoded
    /// structure is not re-encoded, RFC 5280 §4.1.1.3).
    pub(crate) tbs: Vec<u8>,
    pub(crate) cert: Certificate,
    pub(crate) key: Result<PublicKey, String>,
}

impl Cert {
    pub(crate) fn from_der(der: &[u8]) -> Result<Self, String> {
        let cert =
            Certificate::from_der(der).map_err(|e| format!("not a DER X.509 certificate: {e}"))?;
        let tbs = first_element_of_sequence(der).map_err(|e| format!("certificate: {e}"))?;
        let key = PublicKey::from_spki(&cert.tbs_certificate.subject_public_key_info);
        Ok(Self {
            der: der.to_vec(),
            tbs,
            cert,
            key,
        })
    }

    pub(crate) fn subject_der(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate
            .subject
            .to_der()
            .unwrap_or_default()
    }

    pub(crate) fn issuer_der(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate
            .issuer
            .to_der()
            .unwrap_or_default()
    }

    pub(crate) fn serial_bytes(&self) -> &[u8] {
        self.cert.tbs_certificate.serial_number.as_bytes()
    }

    pub(crate) fn not_before(&self) -> Timestamp {
        Timestamp::from(&self.cert.tbs_certificate.validity.not_before)
    }

    pub(crate) fn not_after(&self) -> Timestamp {
        Timestamp::from(&self.cert.tbs_certificate.validity.not_after)
    }

    fn extension<T: for<'a> Decode<'a>>(
        &self,
        oid: ObjectIdentifier,
    ) -> Option<Result<(T, bool), String>> {
        let ext = self
            .cert
            .tbs_certificate
            .extensions
            .as_ref()?
            .iter()
            .find(|e| e.extn_id == oid)?;
        Some(
            T::from_der(ext.extn_value.as_bytes())
                .map(|v| (v, ext.critical))
                .map_err(|e| format!("extension {oid}: {e}")),
        )
    }

    pub(crate) fn basic_constraints(&self) -> Option<Result<BasicConstraints, String>> {
        self.extension::<BasicConstraints>(OID_BASIC_CONSTRAINTS)
            .map(|r| r.map(|(v, _)| v))
    }

    fn key_usage(&self) -> Option<Result<KeyUsage, String>> {
        self.extension::<KeyUsage>(OID_KEY_USAGE)
            .map(|r| r.map(|(v, _)| v))
    }

    pub(crate) fn is_self_issued(&self) -> bool {
        self.subject_der() == self.issuer_der()
    }

    /// Verifies that `issuer`'s key signed this certificate.
    pub(crate) fn verify_signed_by(&self, issuer: &Cert) -> Result<SignatureAlgorithm, String> {
        let key = issuer.key.as_ref().map_err(Clone::clone)?;
        let alg =
            SignatureAlgorithm::from_oid(&self.cert.signature_algorithm.oid).ok_or_else(|| {
                format!(
                    "unsupported certificate signature algorithm {}",
                    self.cert.signature_algorithm.oid
                )
            })?;
        let sig = self
            .cert
            .signature
            .as_bytes()
            .ok_or("certificate signature has unused bits")?;
        key.verify(alg, &self.tbs, sig, EcdsaEncoding::Der)?;
        Ok(alg)
    }

    pub(crate) fn info(&self) -> CertificateInfo {
        let bc = self.basic_constraints().and_then(Result::ok);
        CertificateInfo {
            subject: self.cert.tbs_certificate.subject.to_string(),
            issuer: self.cert.tbs_certificate.issuer.to_string(),
            serial_number: hex(self.serial_bytes()),
            not_before: self.not_before(),
            not_after: self.not_after(),
            sha256_fingerprint: hex(&DigestAlgorithm::Sha256.digest(&self.der)),
            is_ca: bc.is_some_and(|b| b.ca),
            public_key: match &self.key {
                Ok(k) => k.describe(),
                Err(e) => format!("unusable: {e}"),
            },
        }
    }
}

/// The raw bytes (tag, length, value) of the first element inside a DER SEQUENCE: the signed
/// part of a certificate, CRL or OCSP response.
pub(crate) fn first_element_of_sequence(der: &[u8]) -> Result<Vec<u8>, der::Error> {
    let mut reader = SliceReader::new(der)?;
    let header = der::Header::decode(&mut reader)?;
    header.tag.assert_eq(der::Tag::Sequence)?;
    Ok(reader.tlv_bytes()?.to_vec())
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// What a report tells about a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Subject distinguished name (RFC 4514 string form).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, hexadecimal.
    pub serial_number: String,
    /// Start of the validity period.
    pub not_before: Timestamp,
    /// End of the validity period.
    pub not_after: Timestamp,
    /// SHA-256 of the DER encoding, hexadecimal.
    pub sha256_fingerprint: String,
    /// Whether basic constraints mark it as a CA.
    pub is_ca: bool,
    /// The public key type (`EC P-256`, `RSA-2048`).
    pub public_key: String,
}

/// The certificates a caller trusts. Any certificate of the set ends a path: a root, an
/// intermediate, or even a signer certificate pinned directly.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    pub(crate) certs: Vec<Cert>,
}

impl TrustAnchors {
    /// An empty set: every signature is at best untrusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one DER certificate or one or more PEM `CERTIFICATE` blocks (other PEM blocks
    /// are skipped).
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self, Error> {
        let mut anchors = Self::new();
        anchors.add_pem_or_der(bytes)?;
        Ok(anchors)
    }

    /// Adds the certificates of a PEM or DER file; returns how many were added.
    pub fn add_pem_or_der(&mut self, bytes: &[u8]) -> Result<usize, Error> {
        let ders = read_pem_or_der(bytes)?;
        let mut added = 0;
        for (index, der) in ders.iter().enumerate() {
            let cert =
                Cert::from_der(der).map_err(|message| Error::Certificate { index, message })?;
            if !self.certs.iter().any(|c| c.der == cert.der) {
                self.certs.push(cert);
                added += 1;
            }
        }
        Ok(added)
    }

    /// Adds all anchors of another set.
    pub fn extend(&mut self, other: &TrustAnchors) {
        for c in &other.certs {
            if !self.certs.iter().any(|d| d.der == c.der) {
                self.certs.push(c.clone());
            }
        }
    }

    /// Number of anchors.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Whether there is no anchor.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// Descriptions of the anchors.
    pub fn certificates(&self) -> Vec<CertificateInfo> {
        self.certs.iter().map(Cert::info).collect()
    }

    pub(crate) fn contains(&self, cert: &Cert) -> bool {
        self.certs.iter().any(|c| c.der == cert.der)
    }
}

/// Splits PEM text into the DER bodies of its `CERTIFICATE` blocks, or takes the input as one
/// DER certificate if it has no PEM armour.
fn read_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    const BEGIN: &str = "-----BEGIN ";
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if t.contains(BEGIN) => t,
        _ => {
            if bytes.is_empty() {
                return Err(Error::NoCertificate);
            }
            return Ok(vec![bytes.to_vec()]);
        }
    };
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let after = rest.get(start + BEGIN.len()..).unwrap_or("");
        let Some(label_end) = after.find("-----") else {
            return Err(Error::Pem("unterminated BEGIN line".into()));
        };
        let label = after.get(..label_end).unwrap_or("");
        let body_start = after.get(label_end + 5..).unwrap_or("");
        let end_marker = format!("-----END {label}-----");
        let Some(end) = body_start.find(&end_marker) else {
            return Err(Error::Pem(format!("no END line for {label}")));
        };
        let body = body_start.get(..end).unwrap_or("");
        if label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE" {
            let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let der = base64::engine::general_purpose::STANDARD
                .decode(b64.as_bytes())
                .map_err(|e| Error::Pem(format!("base64 of {label}: {e}")))?;
            out.push(der);
        }
        rest = body_start.get(end + end_marker.len()..).unwrap_or("");
    }
    if out.is_empty() {
        return Err(Error::NoCertificate);
    }
    Ok(out)
}

/// A certification path from the signer upwards.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    /// Signer first.
    pub(crate) certs: Vec<Cert>,
    /// Index of the first certificate of the path that is a trust anchor.
    pub(crate) anchor: Option<usize>,
}

/// Builds a path from `leaf` through `pool` (certificates carried by the signature) and
/// `anchors`, each step requiring issuer name = subject name and a verifying signature. Anchors
/// are preferred at each step; the walk goes on above the first anchor while issuers are found,
/// so that the reported chain is complete, but only the part up to the anchor is judged.
pub(crate) fn build_path(leaf: &Cert, pool: &[Cert], anchors: &TrustAnchors) -> Path {
    let mut certs = vec![leaf.clone()];
    let mut anchor = anchors.contains(leaf).then_some(0);
    let mut budget = MAX_PATH_VERIFICATIONS;
    while certs.len() < MAX_PATH {
        let Some(current) = certs.last() else { break };
        if current.is_self_issued() {
            break;
        }
        let issuer_name = current.issuer_der();
        let candidates = anchors
            .certs
            .iter()
            .chain(pool.iter())
            .filter(|c| c.subject_der() == issuer_name);
        let mut next = None;
        for cand in candidates {
            if certs.iter().any(|c| c.der == cand.der) {
                continue;
            }
            if budget == 0 {
                break;
            }
            budget -= 1;
            if current.verify_signed_by(cand).is_ok() {
                next = Some(cand.clone());
                break;
            }
        }
        match next {
            Some(c) => {
                if anchor.is_none() && anchors.contains(&c) {
                    anchor = Some(certs.len());
                }
                certs.push(c);
            }
            None => break,
        }
    }
    Path { certs, anchor }
}

/// Checks the path up to its anchor (RFC 5280 §6.1.3 and §6.1.4, reduced): validity periods
/// at `time`, CA basic constraints and path length for issuers, key usage, critical
/// extensions. Returns whether the path is acceptable; every problem becomes a finding.
pub(crate) fn check_path(
    path: &Path,
    time: Option<Timestamp>,
    findings: &mut Vec<Finding>,
) -> bool {
    let Some(anchor) = path.anchor else {
        return false;
    };
    let mut ok = true;
    for (i, cert) in path.certs.iter().enumerate().take(anchor + 1) {
        let info = cert.info();
        let name = &info.subject;
        if let Some(t) = time {
            if t < info.not_before || t > info.not_after {
                ok = false;
                findings.push(Finding::new(
                    FindingCode::CertificateNotValidAtTime,
                    Severity::Error,
                    format!(
                        "certificate \"{name}\" is valid from {} to {}, not at the validation time {t}",
                        info.not_before, info.not_after
                    ),
                    None,
                ));
            }
        }
        if cert.key.as_ref().is_ok_and(PublicKey::is_weak) {
            findings.push(Finding::new(
                FindingCode::WeakAlgorithm,
                Severity::Warning,
                format!(
                    "certificate \"{name}\" has a weak key ({})",
                    info.public_key
                ),
                None,
            ));
        }
        // Signature on this certificate by the next one (the anchor's own signature is not
        // judged: it is trusted by configuration, RFC 5280 §6.1.1 (d)).
        if i < anchor {
            if let Some(issuer) = path.certs.get(i + 1) {
                match cert.verify_signed_by(issuer) {
                    Ok(alg) if alg.digest().is_weak() => findings.push(Finding::new(
                        FindingCode::WeakAlgorithm,
                        Severity::Warning,
                        format!("certificate \"{name}\" is signed with SHA-1"),
                        None,
                    )),
                    Ok(_) => {}
                    Err(e) => {
                        ok = false;
                        findings.push(Finding::new(
                            FindingCode::CertificateSignatureInvalid,
                            Severity::Error,
                            format!("certificate \"{name}\": {e}"),
                            None,
                        ));
                    }
                }
            }
        }
        // Issuers must be CAs (RFC 5280 §6.1.4 (k)) allowed to sign certificates (§6.1.4 (n)),
        // within their path length (§6.1.4 (m)). For an anchor without the extension (an
        // old v1 root) the configuration is trusted.
        if i > 0 {
            match cert.basic_constraints() {
                Some(Ok(bc)) if bc.ca => {
                    if let Some(max) = bc.path_len_constraint {
                        // Non-self-issued intermediates below this certificate.
                        let below = path
                            .certs
                            .iter()
                            .take(i)
                            .skip(1)
                            .filter(|c| !c.is_self_issued())
                            .count();
                        if below > usize::from(max) {
                            ok = false;
                            findings.push(Finding::new(
                                FindingCode::CertificateConstraints,
                                Severity::Error,
                                format!("CA \"{name}\" allows {max} intermediate CA(s) below it, the path has {below}"),
                                None,
                            ));
                        }
                    }
                }
                Some(Ok(_)) => {
                    ok = false;
                    findings.push(Finding::new(
                        FindingCode::CertificateConstraints,
                        Severity::Error,
                        format!("certificate \"{name}\" issues certificates but is not a CA (basic constraints)"),
                        None,
                    ));
                }
                Some(Err(e)) => {
                    ok = false;
                    findings.push(Finding::new(
                        FindingCode::CertificateMalformed,
                        Severity::Error,
                        e,
                        None,
                    ));
                }
                None if i == anchor => findings.push(Finding::new(
                    FindingCode::CertificateConstraints,
                    Severity::Warning,
                    format!(
                        "trust anchor \"{name}\" has no basic constraints; trusted as configured"
                    ),
                    None,
                )),
                None => {
                    ok = false;
                    findings.push(Finding::new(
                        FindingCode::CertificateConstraints,
                        Severity::Error,
                        format!("certificate \"{name}\" issues certificates but has no basic constraints"),
                        None,
                    ));
                }
            }
            if let Some(Ok(ku)) = cert.key_usage() {
                if !ku.key_cert_sign() {
                    ok = false;
                    findings.push(Finding::new(
                        FindingCode::CertificateConstraints,
                        Severity::Error,
                        format!("CA \"{name}\" may not sign certificates (key usage)"),
                        None,
                    ));
                }
            }
        } else if let Some(Ok(ku)) = cert.key_usage() {
            if !ku.digital_signature() && !ku.non_repudiation() {
                ok = false;
                findings.push(Finding::new(
                    FindingCode::CertificateConstraints,
                    Severity::Error,
                    format!("signer certificate \"{name}\" may not make signatures (key usage)"),
                    None,
                ));
            }
        }
        // RFC 5280 §4.2: a critical extension that is not processed makes the certificate
        // unusable.
        for ext in cert.cert.tbs_certificate.extensions.iter().flatten() {
            let known = [
                OID_BASIC_CONSTRAINTS,
                OID_KEY_USAGE,
                OID_EXT_KEY_USAGE,
                OID_SUBJECT_ALT_NAME,
                OID_CERT_POLICIES,
                OID_SUBJECT_KEY_ID,
                OID_AUTHORITY_KEY_ID,
            ];
            if ext.critical && !known.contains(&ext.extn_id) {
                ok = false;
                findings.push(Finding::new(
                    FindingCode::CertificateConstraints,
                    Severity::Error,
                    format!("certificate \"{name}\" has the critical extension {} which is not processed", ext.extn_id),
                    None,
                ));
            }
        }
    }
    ok
}
