//! Revocation checking against the validation data a XAdES signature carries:
//! `xades:RevocationValues` with `CRLValues/EncapsulatedCRLValue` (X.509 CRLs, RFC 5280 §5)
//! and `OCSPValues/EncapsulatedOCSPValue` (OCSP responses, RFC 6960 §4.2), ETSI EN 319 132-1
//! (XAdES). Nothing is fetched: a pure library judges only what the document embeds.
//!
//! A CRL counts only if its signature verifies with the key of the certificate of the path
//! that issued the certificate in question; an OCSP response only if it is signed by that
//! issuer or by a responder certificate the issuer delegated `id-kp-OCSPSigning` to (RFC 6960
//! §4.2.2.2). A certificate is revoked if its serial number is listed with a revocation date
//! at or before the validation time; a later revocation is reported for information (the
//! signature was made while the certificate was good).

use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use x509_cert::crl::CertificateList;
use x509_ocsp::{BasicOcspResponse, CertStatus, OcspResponse, OcspResponseStatus, ResponderId};

use crate::crypto::{DigestAlgorithm, EcdsaEncoding, SignatureAlgorithm};
use crate::report::{Finding, FindingCode, Severity};
use crate::time::Timestamp;
use crate::x509::{first_element_of_sequence, Cert, Path};

const OID_OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
const OID_KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
const OID_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");

/// An encapsulated value and the line it was found on.
#[derive(Debug, Clone)]
pub(crate) struct Encapsulated {
    pub(crate) der: Vec<u8>,
    pub(crate) line: u32,
}

/// What the revocation data said.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Some certificate of the path is revoked at the validation time.
    pub(crate) revoked: bool,
    /// Some revocation data was verified and applied.
    pub(crate) used: bool,
}

/// Checks each certificate of the path that has its issuer in the path.
pub(crate) fn check(
    path: &Path,
    crls: &[Encapsulated],
    ocsps: &[Encapsulated],
    time: Option<Timestamp>,
    findings: &mut Vec<Finding>,
) -> Outcome {
    let mut outcome = Outcome::default();
    for crl in crls {
        check_crl(path, crl, time, findings, &mut outcome);
    }
    for ocsp in ocsps {
        check_ocsp(path, ocsp, time, findings, &mut outcome);
    }
    outcome
}

fn verify_signed(
    signer: &Cert,
    alg_oid: &ObjectIdentifier,
    tbs: &[u8],
    sig: Option<&[u8]>,
) -> Result<(), String> {
    let key = signer.key.as_ref().map_err(Clone::clone)?;
    let alg = SignatureAlgorithm::from_oid(alg_oid)
        .ok_or_else(|| format!("unsupported signature algorithm {alg_oid}"))?;
    let sig = sig.ok_or("signature has unused bits")?;
    key.verify(alg, tbs, sig, EcdsaEncoding::Der)
}

fn revocation_finding(
    cert: &Cert,
    date: Timestamp,
    source: &str,
    time: Option<Timestamp>,
    line: u32,
    findings: &mut Vec<Finding>,
    outcome: &mut Outcome,
) {
    let name = cert.cert.tbs_certificate.subject.to_string();
    match time {
        Some(t) if date > t => findings.push(Finding::new(
            FindingCode::CertificateRevoked,
            Severity::Info,
            format!("certificate \"{name}\" was revoked on {date} ({source}), after the validation time {t}"),
            Some(line),
        )),
        _ => {
            outcome.revoked = true;
            findings.push(Finding::new(
                FindingCode::CertificateRevoked,
                Severity::Error,
                format!("certificate \"{name}\" is revoked since {date} ({source})"),
                Some(line),
            ));
        }
    }
}

fn check_crl(
    path: &Path,
    value: &Encapsulated,
    time: Option<Timestamp>,
    findings: &mut Vec<Finding>,
    outcome: &mut Outcome,
) {
    let line = Some(value.line);
    let crl = match CertificateList::from_der(&value.der) {
        Ok(c) => c,
        Err(e) => {
            findings.push(Finding::new(
                FindingCode::RevocationData,
                Severity::Warning,
                format!("embedded CRL cannot be read: {e}"),
                line,
            ));
            return;
        }
    };
    let Ok(tbs) = first_element_of_sequence(&value.der) else {
        findings.push(Finding::new(
            FindingCode::RevocationData,
            Severity::Warning,
            "embedded CRL cannot be read",
            line,
        ));
        return;
    };
    let issuer_name = crl.tbs_cert_list.issuer.to_der().unwrap_or_default();
    let crl_issuer = crl.tbs_cert_list.issuer.to_string();
    // The certificate of the path that signed the CRL.
    let signer = path.certs.iter().position(|c| {
        c.subject_der() == issuer_name
            && verify_signed(
                c,
                &crl.signature_algorithm.oid,
                &tbs,
                crl.signature.as_bytes(),
            )
            .is_ok()
    });
    let Some(j) = signer else {
        findings.push(Finding::new(
            FindingCode::RevocationData,
            Severity::Warning,
            format!("embedded CRL of \"{crl_issuer}\" is not signed by a certificate of the path; ignored"),
            line,
        ));
        return;
    };
    outcome.used = true;
    let this_update = Timestamp::from(&crl.tbs_cert_list.this_update);
    // Certificates of the path issued by the CRL's signer.
    for (i, cert) in path.certs.iter().enumerate() {
        if i + 1 != j || cert.issuer_der() != issuer_name {
            continue;
        }
        let entry = crl
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|r| r.serial_number.as_bytes() == cert.serial_bytes());
        if let Some(r) = entry {
            let date = Timestamp::from(&r.revocation_date);
            revocation_finding(
                cert,
                date,
                &format!("CRL of \"{crl_issuer}\" issued {this_update}"),
                time,
                value.line,
                findings,
                outcome,
            );
        } else {
            findings.push(Finding::new(
                FindingCode::RevocationData,
                Severity::Info,
                format!(
                    "certificate \"{}\" is not on the CRL of \"{crl_issuer}\" issued {this_update}",
                    cert.cert.tbs_certificate.subject
                ),
                line,
            ));
        }
    }
}

/// The `BasicOCSPResponse` of an encapsulated value: XAdES embeds the `OCSPResponse`
/// (EN 319 132-1); a bare `BasicOCSPResponse` is accepted too.
fn basic_response(der: &[u8]) -> Result<(BasicOcspResponse, Vec<u8>), String> {
    if let Ok(resp) = OcspResponse::from_der(der) {
        if resp.response_status != OcspResponseStatus::Successful {
            return Err(format!(
                "OCSP response status is {:?}",
                resp.response_status
            ));
        }
        let bytes = resp
            .response_bytes
            .ok_or("OCSP response without response bytes")?;
        if bytes.response_type != OID_OCSP_BASIC {
            return Err(format!(
                "OCSP response type {} is not id-pkix-ocsp-basic",
                bytes.response_type
            ));
        }
        let inner = bytes.response.as_bytes().to_vec();
        let basic =
            BasicOcspResponse::from_der(&inner).map_err(|e| format!("BasicOCSPResponse: {e}"))?;
        return Ok((basic, inner));
    }
    let basic =
        BasicOcspResponse::from_der(der).map_err(|e| format!("not an OCSP response: {e}"))?;
    Ok((basic, der.to_vec()))
}

fn key_hash(cert: &Cert, alg: DigestAlgorithm) -> Vec<u8> {
    alg.digest(
        cert.cert
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes(),
    )
}

fn check_ocsp(
    path: &Path,
    value: &Encapsulated,
    time: Option<Timestamp>,
    findings: &mut Vec<Finding>,
    outcome: &mut Outcome,
) {
    let line = Some(value.line);
    let (basic, basic_der) = match basic_response(&value.der) {
        Ok(b) => b,
        Err(e) => {
            findings.push(Finding::new(
                FindingCode::RevocationData,
                Severity::Warning,
                format!("embedded OCSP value: {e}"),
                line,
            ));
            return;
        }
    };
    let Ok(tbs) = first_element_of_sequence(&basic_der) else {
        findings.push(Finding::new(
            FindingCode::RevocationData,
            Severity::Warning,
            "embedded OCSP value cannot be read",
            line,
        ));
        return;
    };
    let included: Vec<Cert> = basic
        .certs
        .iter()
        .flatten()
        .filter_map(|c| c.to_der().ok().and_then(|d| Cert::from_der(&d).ok()))
        .collect();
    // The responder: matched by name or key hash, and whose key verifies the response.
    let responder = path.certs.iter().chain(included.iter()).find(|c| {
        let matches = match &basic.tbs_response_data.responder_id {
            ResponderId::ByName(name) => name.to_der().ok() == Some(c.subject_der()),
            ResponderId::ByKey(hash) => key_hash(c, DigestAlgorithm::Sha1) == hash.as_bytes(),
        };
        matches
            && verify_signed(
                c,
                &basic.signature_algorithm.oid,
                &tbs,
                basic.signature.as_bytes(),
            )
            .is_ok()
    });
    let Some(responder) = responder else {
        findings.push(Finding::new(
            FindingCode::RevocationData,
            Severity::Warning,
            "embedded OCSP response is not signed by a known responder; ignored",
            line,
        ));
        return;
    };
    for single in &basic.tbs_response_data.responses {
        let id = &single.cert_id;
        let Some(alg) = DigestAlgorithm::from_oid(&id.hash_algorithm.oid) else {
            continue;
        };
        for (i, cert) in path.certs.iter().enumerate() {
            let Some(issuer) = path.certs.get(i + 1) else {
                continue;
            };
            if id.serial_number.as_bytes() != cert.serial_bytes()
                || id.issuer_name_hash.as_bytes() != alg.digest(&cert.issuer_der()).as_slice()
                || id.issuer_key_hash.as_bytes() != key_hash(issuer, alg).as_slice()
            {
                continue;
            }
            // RFC 6960 §4.2.2.2: the issuer itself, or a responder it certified for OCSP.
            let authorized = responder.der == issuer.der
                || (responder.issuer_der() == issuer.subject_der()
                    && responder.verify_signed_by(issuer).is_ok()
                    && has_ocsp_signing(responder));
            if !authorized {
                findings.push(Finding::new(
                    FindingCode::RevocationData,
                    Severity::Warning,
                    format!(
                        "OCSP responder \"{}\" is not authorised by \"{}\"; response ignored",
                        responder.cert.tbs_certificate.subject, issuer.cert.tbs_certificate.subject
                    ),
                    line,
                ));
                continue;
            }
            outcome.used = true;
            let produced = Timestamp::from_unix(
                i64::try_from(
                    basic
                        .tbs_response_data
                        .produced_at
                        .0
                        .to_unix_duration()
                        .as_secs(),
                )
                .unwrap_or(i64::MAX),
            );
            match &single.cert_status {
                CertStatus::Revoked(info) => {
                    let date = Timestamp::from_unix(
                        i64::try_from(info.revocation_time.0.to_unix_duration().as_secs())
                            .unwrap_or(i64::MAX),
                    );
                    revocation_finding(
                        cert,
                        date,
                        &format!("OCSP response produced {produced}"),
                        time,
                        value.line,
                        findings,
                        outcome,
                    );
                }
                CertStatus::Good(_) => findings.push(Finding::new(
                    FindingCode::RevocationData,
                    Severity::Info,
                    format!(
                        "certificate \"{}\" is good per OCSP response produced {produced}",
                        cert.cert.tbs_certificate.subject
                    ),
                    line,
                )),
                CertStatus::Unknown(_) => findings.push(Finding::new(
                    FindingCode::RevocationData,
                    Severity::Warning,
                    format!(
                        "OCSP responder does not know certificate \"{}\"",
                        cert.cert.tbs_certificate.subject
                    ),
                    line,
                )),
            }
        }
    }
}

fn has_ocsp_signing(cert: &Cert) -> bool {
    cert.cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.extn_id == OID_EXT_KEY_USAGE)
        .filter_map(|e| {
            x509_cert::ext::pkix::ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok()
        })
        .any(|eku| eku.0.contains(&OID_KP_OCSP_SIGNING))
}
