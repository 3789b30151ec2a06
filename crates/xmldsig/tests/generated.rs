//! Signatures made in the test with a generated PKI: revocation through embedded CRLs,
//! intermediates carried in XAdES CertificateValues, and signature-wrapping patterns.

mod common;

use common::*;
use sevres_xmldsig::{verify, FindingCode, Status, VerifyOptions};

fn spec<'a>(pki: &'a Pki, crls: Vec<Vec<u8>>) -> SignSpec<'a> {
    SignSpec {
        key: &pki.signer.key,
        signing_certificate: &pki.signer.der,
        key_info: vec![&pki.signer.der],
        certificate_values: pki.sub.iter().map(|s| s.der.as_slice()).collect(),
        crls,
        ocsps: vec![],
        signing_time: "2024-06-01T12:00:00Z",
        reference: DocumentReference::Whole,
    }
}

#[test]
fn generated_signature_is_valid() {
    let pki = Pki::new(false);
    let xml = sign(&unsigned_dcc(), &spec(&pki, vec![]));
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert_eq!(report.chain.len(), 2);
    assert!(report.document_covered);
    assert_eq!(report.signing_time, Some(at("2024-06-01T12:00:00Z")));
}

#[test]
fn revoked_signer_is_flagged() {
    let pki = Pki::new(false);
    let crl = crl(
        &pki.root,
        &pki.root.key,
        "2024-06-02T00:00:00Z",
        &[(pki.signer.serial, "2024-05-01T00:00:00Z")],
    );
    let xml = sign(&unsigned_dcc(), &spec(&pki, vec![crl]));
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Revoked, "{:#?}", report.findings);
    assert!(report.revocation_checked);
    let f = report
        .findings
        .iter()
        .find(|f| f.code == FindingCode::CertificateRevoked)
        .expect("revocation finding");
    assert!(
        f.message.contains("Test Calibration Lab") && f.message.contains("2024-05-01"),
        "{}",
        f.message
    );
    assert!(f.line.is_some());
}

#[test]
fn revoked_intermediate_is_flagged() {
    let pki = Pki::new(true);
    let crl = crl(
        &pki.root,
        &pki.root.key,
        "2024-06-02T00:00:00Z",
        &[(2, "2023-01-01T00:00:00Z")],
    );
    let xml = sign(&unsigned_dcc(), &spec(&pki, vec![crl]));
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Revoked, "{:#?}", report.findings);
    assert!(report
        .findings
        .iter()
        .any(|f| f.code == FindingCode::CertificateRevoked && f.message.contains("Sub CA")));
}

#[test]
fn revocation_after_the_signing_time_keeps_the_signature_valid() {
    let pki = Pki::new(false);
    let crl = crl(
        &pki.root,
        &pki.root.key,
        "2025-01-02T00:00:00Z",
        &[(pki.signer.serial, "2025-01-01T00:00:00Z")],
    );
    let xml = sign(&unsigned_dcc(), &spec(&pki, vec![crl]));
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert!(
        report.has(FindingCode::CertificateRevoked),
        "informational finding expected"
    );
    // Judged at a later time, the same data revokes.
    let later = VerifyOptions {
        validation_time: Some(at("2026-01-01T00:00:00Z")),
    };
    assert_eq!(verify(&xml, &pki.anchors(), &later).status, Status::Revoked);
}

#[test]
fn a_crl_not_listing_the_signer_is_used_and_a_forged_crl_is_ignored() {
    let pki = Pki::new(false);
    let good = crl(
        &pki.root,
        &pki.root.key,
        "2024-06-02T00:00:00Z",
        &[(999, "2024-05-01T00:00:00Z")],
    );
    let xml = sign(&unsigned_dcc(), &spec(&pki, vec![good]));
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert!(report.revocation_checked);

    // Same issuer name, signed by the signer's key instead of the CA's: must not count.
    let forged = crl(
        &pki.root,
        &pki.signer.key,
        "2024-06-02T00:00:00Z",
        &[(pki.signer.serial, "2024-05-01T00:00:00Z")],
    );
    let xml = sign(&unsigned_dcc(), &spec(&pki, vec![forged]));
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert!(!report.revocation_checked);
    assert!(report.has(FindingCode::RevocationData));
}

#[test]
fn intermediate_from_certificate_values_completes_the_chain() {
    let pki = Pki::new(true);
    let xml = sign(&unsigned_dcc(), &spec(&pki, vec![]));
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert_eq!(report.chain.len(), 3);
    assert_eq!(report.anchor_index, Some(2));
    assert!(report.chain[1].subject.contains("Sub CA"));
    // Without the intermediate the path stops at the signer.
    let mut s = spec(&pki, vec![]);
    s.certificate_values.clear();
    let report = verify(
        &sign(&unsigned_dcc(), &s),
        &pki.anchors(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Untrusted, "{:#?}", report.findings);
}

#[test]
fn expired_at_the_validation_time_is_untrusted() {
    let pki = Pki::new(false);
    let xml = sign(&unsigned_dcc(), &spec(&pki, vec![]));
    let options = VerifyOptions {
        validation_time: Some(at("2031-01-01T00:00:00Z")),
    };
    let report = verify(&xml, &pki.anchors(), &options);
    assert_eq!(report.status, Status::Untrusted);
    assert!(report.has(FindingCode::CertificateNotValidAtTime));
}

#[test]
fn wrapping_reference_to_a_part_of_the_document_is_not_valid_for_the_document() {
    // The signature covers only the administrative data (by Id): cryptographically sound, but
    // the measurement results outside it could be anything.
    let pki = Pki::new(false);
    let unsigned = unsigned_dcc().replacen(
        "<dcc:administrativeData>",
        "<dcc:administrativeData Id=\"admin\">",
        1,
    );
    let mut s = spec(&pki, vec![]);
    s.reference = DocumentReference::ById("admin");
    let xml = sign(&unsigned, &s);
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert!(report.signature_value_verified);
    assert!(report.references.iter().all(|r| r.digest_matches));
    assert!(!report.document_covered);
    assert_eq!(report.status, Status::Invalid);
    assert!(report.has(FindingCode::DocumentNotCovered));
    // Altering the unsigned part does not change the verdict's reason: the document is not covered.
    let altered = xml.replacen("<si:value>", "<si:value>9", 1);
    assert!(verify(&altered, &pki.anchors(), &VerifyOptions::default())
        .has(FindingCode::DocumentNotCovered));
}

#[test]
fn wrapping_by_duplicate_id_is_rejected() {
    // Classic XSW: the signed element is kept (moved into a ds:Object of the signature would be
    // equivalent) and a second element with the same Id carries forged content.
    let pki = Pki::new(false);
    let unsigned = unsigned_dcc().replacen(
        "<dcc:digitalCalibrationCertificate ",
        "<dcc:digitalCalibrationCertificate Id=\"dcc\" ",
        1,
    );
    let mut s = spec(&pki, vec![]);
    s.reference = DocumentReference::ById("dcc");
    let xml = sign(&unsigned, &s);
    let report = verify(&xml, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(
        report.status,
        Status::Valid,
        "root by Id covers the document: {:#?}",
        report.findings
    );
    assert!(report.document_covered);

    let forged = xml.replacen(
        "<dcc:administrativeData>",
        "<dcc:administrativeData Id=\"dcc\">",
        1,
    );
    let report = verify(&forged, &pki.anchors(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Invalid);
    assert!(report.has(FindingCode::DuplicateId));
}

#[test]
fn signing_certificate_digest_must_name_the_signer() {
    let pki = Pki::new(false);
    let mut s = spec(&pki, vec![]);
    s.signing_certificate = &pki.root.der;
    let report = verify(
        &sign(&unsigned_dcc(), &s),
        &pki.anchors(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Invalid);
    assert!(report.has(FindingCode::SigningCertificateMismatch));
}

#[test]
fn ocsp_response_embedded_by_the_issuer() {
    let pki = Pki::new(false);
    let revoked = ocsp(
        &pki.root,
        &pki.root,
        &pki.signer,
        "2024-06-02T00:00:00Z",
        Some("2024-05-01T00:00:00Z"),
    );
    let mut s = spec(&pki, vec![]);
    s.ocsps = vec![revoked];
    let report = verify(
        &sign(&unsigned_dcc(), &s),
        &pki.anchors(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Revoked, "{:#?}", report.findings);
    assert!(report.revocation_checked);

    let good = ocsp(
        &pki.root,
        &pki.root,
        &pki.signer,
        "2024-06-02T00:00:00Z",
        None,
    );
    s.ocsps = vec![good];
    let report = verify(
        &sign(&unsigned_dcc(), &s),
        &pki.anchors(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert!(report.revocation_checked);

    // Signed by the signer itself (not authorised to speak for the CA): ignored.
    let forged = ocsp(
        &pki.signer,
        &pki.root,
        &pki.signer,
        "2024-06-02T00:00:00Z",
        Some("2024-05-01T00:00:00Z"),
    );
    s.ocsps = vec![forged];
    let report = verify(
        &sign(&unsigned_dcc(), &s),
        &pki.anchors(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert!(!report.revocation_checked);
    assert!(report.has(FindingCode::RevocationData));
}
