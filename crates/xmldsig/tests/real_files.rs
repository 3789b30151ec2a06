//! The published signed DCC examples (../shared/testdata/dcc/examples, see SOURCES.md) and
//! their public test chain.

mod common;

use common::*;
use sevres_xmldsig::{
    verify, verify_bytes, FindingCode, Severity, Status, TrustAnchors, VerifyOptions,
};

const SIGNER: &str = "CN=Calibration Lab A1,O=Calibration A GmbH,C=DE";

fn chain_anchors(files: &[&str]) -> TrustAnchors {
    let mut anchors = TrustAnchors::new();
    for f in files {
        let bytes = std::fs::read(testdata(&format!("examples/signed/trusted_certs/{f}")))
            .expect("certificate file");
        anchors.add_pem_or_der(&bytes).expect("certificate");
    }
    anchors
}

/// A real certificate unrelated to the test chain: the first one embedded in the 2.4.0
/// signed example (a Deutsche Telekom test CA).
fn unrelated_anchor() -> TrustAnchors {
    let xml = read("examples/v2.4.0/signed_siliziumkugel.xml");
    let start = xml.find("<ds:X509Certificate>").expect("cert") + "<ds:X509Certificate>".len();
    let end = start + xml[start..].find("</ds:X509Certificate>").expect("end");
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        &xml[start..end]
    );
    TrustAnchors::from_pem_or_der(pem.as_bytes()).expect("unrelated certificate")
}

#[test]
fn valid_signature_with_the_real_chain() {
    let report = verify(
        &read(SIGNED),
        &chain_anchors(&["root.crt", "sub.crt"]),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert_eq!(
        report.signer.as_ref().map(|s| s.subject.as_str()),
        Some(SIGNER)
    );
    assert_eq!(report.signing_time, Some(at("2023-03-27T15:14:30Z")));
    assert_eq!(report.validation_time, report.signing_time);
    assert!(report.signature_value_verified && report.document_covered);
    assert_eq!(report.references.len(), 2);
    let doc = &report.references[0];
    assert_eq!(doc.uri.as_deref(), Some(""));
    assert!(doc.digest_matches && doc.covers_document);
    assert_eq!(
        doc.transforms,
        [
            "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            "http://www.w3.org/2006/12/xml-c14n11"
        ]
    );
    assert!(report.references[1].digest_matches && report.references[1].covers_signed_properties);
    let subjects: Vec<&str> = report.chain.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            SIGNER,
            "CN=Calibration Community Sub CA 01,O=Calibration Community,C=DE",
            "CN=Calibration Community Root CA 01,O=Calibration Community,C=DE"
        ]
    );
    assert_eq!(
        report.anchor_index,
        Some(1),
        "the sub CA is the first anchor reached"
    );
    assert_eq!(report.errors().count(), 0);
    // No revocation data in the file: said, not hidden.
    assert!(report.has(FindingCode::NoRevocationData));
    assert!(!report.revocation_checked);
}

#[test]
fn all_three_certificates_as_anchors_and_one_pem_bundle() {
    let report = verify(
        &read(SIGNED),
        &chain_anchors(&["root.crt", "sub.crt", "signer.crt"]),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Valid);
    assert_eq!(report.anchor_index, Some(0));

    let mut bundle = Vec::new();
    for f in ["root.crt", "sub.crt"] {
        bundle.extend(
            std::fs::read(testdata(&format!("examples/signed/trusted_certs/{f}"))).expect("file"),
        );
        bundle.push(b'\n');
    }
    let anchors = TrustAnchors::from_pem_or_der(&bundle).expect("bundle");
    assert_eq!(anchors.len(), 2);
    assert_eq!(
        verify(&read(SIGNED), &anchors, &VerifyOptions::default()).status,
        Status::Valid
    );
}

#[test]
fn the_root_alone_does_not_reach_the_signer() {
    // The document embeds only the signer certificate; without the sub CA there is no path.
    let report = verify(
        &read(SIGNED),
        &chain_anchors(&["root.crt"]),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Untrusted);
}

#[test]
fn manipulated_file_is_invalid_and_names_the_reference() {
    let report = verify(
        &read(MANIPULATED),
        &chain_anchors(&["root.crt", "sub.crt"]),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Invalid);
    let mismatch: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::ReferenceDigestMismatch)
        .collect();
    assert_eq!(mismatch.len(), 1, "{:#?}", report.findings);
    assert!(
        mismatch[0].message.contains("reference 0 (URI=\"\")"),
        "{}",
        mismatch[0].message
    );
    assert_eq!(mismatch[0].line, Some(478));
    assert_eq!(mismatch[0].severity, Severity::Error);
    assert!(!report.references[0].digest_matches);
    assert!(
        report.references[1].digest_matches,
        "the signed properties are intact"
    );
    assert!(
        report.signature_value_verified,
        "SignedInfo itself is intact"
    );
    assert!(!report.document_covered);
}

#[test]
fn no_anchor_or_an_unrelated_anchor_is_untrusted() {
    for anchors in [TrustAnchors::new(), unrelated_anchor()] {
        let report = verify(&read(SIGNED), &anchors, &VerifyOptions::default());
        assert_eq!(report.status, Status::Untrusted, "{:#?}", report.findings);
        assert!(report.has(FindingCode::UntrustedChain));
        assert_eq!(
            report.signer.as_ref().map(|s| s.subject.as_str()),
            Some(SIGNER)
        );
        assert!(report.signature_value_verified && report.document_covered);
    }
}

#[test]
fn judged_today_the_expired_chain_is_untrusted() {
    // SOURCES.md: the test certificates expired in December 2024.
    let options = VerifyOptions {
        validation_time: Some(at("2026-01-01T00:00:00Z")),
    };
    let report = verify(
        &read(SIGNED),
        &chain_anchors(&["root.crt", "sub.crt"]),
        &options,
    );
    assert_eq!(report.status, Status::Untrusted);
    assert!(report.has(FindingCode::CertificateNotValidAtTime));
}

#[test]
fn signed_3_1_1_example_verifies_as_a_signature() {
    // Schema-invalid (ds:Signature before DCC 3.2) but the signature itself is sound.
    let report = verify(
        &read("examples/invalid/dcc_gp_temperature_typical_v12_signed.xml"),
        &chain_anchors(&["root.crt", "sub.crt"]),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Valid, "{:#?}", report.findings);
    assert_eq!(report.signing_time, Some(at("2022-10-21T07:47:21Z")));
}

#[test]
fn v2_4_0_example_uses_an_unsupported_transform() {
    let report = verify(
        &read("examples/v2.4.0/signed_siliziumkugel.xml"),
        &TrustAnchors::new(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Invalid);
    assert!(report.has(FindingCode::UnsupportedTransform));
    assert!(report.has(FindingCode::DocumentNotCovered));
}

#[test]
fn unsigned_dcc_has_no_signature() {
    let report = verify(
        &read("examples/valid/dcc_gp_temperature_typical_v12.xml"),
        &TrustAnchors::new(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::None);
    assert!(report.findings.is_empty());
}

#[test]
fn tampered_signed_info_breaks_the_signature_value_only() {
    let anchors = chain_anchors(&["root.crt", "sub.crt"]);
    // An attribute of a ds:Reference changed: digests still match, the signature does not.
    let xml = read(SIGNED).replacen(
        "Id=\"r-dcc_gp_temperature_typical_v12_v3.2.0.xml\"",
        "Id=\"r-forged\"",
        1,
    );
    let report = verify(&xml, &anchors, &VerifyOptions::default());
    assert_eq!(report.status, Status::Invalid);
    assert!(report.has(FindingCode::SignatureValueInvalid));
    assert!(!report.has(FindingCode::ReferenceDigestMismatch));
    assert!(report.references.iter().all(|r| r.digest_matches));
    assert!(report.signer.is_none());

    // A digest value replaced by the digest of altered content: both are reported.
    let xml = read(SIGNED).replacen(
        "dDIRn2Uf/RHTWl+lsyfJZ84GZxaWaHQLNPu2MYH3cwk=",
        "AAAAn2Uf/RHTWl+lsyfJZ84GZxaWaHQLNPu2MYH3cwk=",
        1,
    );
    let report = verify(&xml, &anchors, &VerifyOptions::default());
    assert_eq!(report.status, Status::Invalid);
    assert!(
        report.has(FindingCode::SignatureValueInvalid)
            && report.has(FindingCode::ReferenceDigestMismatch)
    );

    // Exclusive c14n of SignedInfo swapped for inclusive: different bytes signed.
    let xml = read(SIGNED).replacen(
        "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
        "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2006/12/xml-c14n11\"/>",
        1,
    );
    assert_eq!(
        verify(&xml, &anchors, &VerifyOptions::default()).status,
        Status::Invalid
    );
}

#[test]
fn whitespace_and_line_ends_inside_the_document() {
    let anchors = chain_anchors(&["root.crt", "sub.crt"]);
    // CRLF → LF is undone by XML line-end normalization: still valid.
    let lf = read(SIGNED).replace("\r\n", "\n");
    assert_eq!(
        verify(&lf, &anchors, &VerifyOptions::default()).status,
        Status::Valid
    );
    // Added indentation inside the content is a change.
    let indented =
        read(SIGNED).replacen("<dcc:administrativeData>", "<dcc:administrativeData> ", 1);
    assert_eq!(
        verify(&indented, &anchors, &VerifyOptions::default()).status,
        Status::Invalid
    );
    // Comments are outside URI="" (XML-DSig 1.1 §4.3.3.3): adding one changes nothing.
    let commented = read(SIGNED).replacen(
        "<dcc:administrativeData>",
        "<dcc:administrativeData><!-- note -->",
        1,
    );
    assert_eq!(
        verify(&commented, &anchors, &VerifyOptions::default()).status,
        Status::Valid
    );
}

#[test]
fn doctype_and_garbage_are_invalid_not_panics() {
    let with_dtd = read(SIGNED).replacen("?>", "?><!DOCTYPE x [<!ENTITY a \"b\">]>", 1);
    let report = verify(&with_dtd, &TrustAnchors::new(), &VerifyOptions::default());
    assert_eq!(report.status, Status::Invalid);
    assert!(report.has(FindingCode::DtdForbidden));

    let report = verify_bytes(
        b"\xff\xfe<a/>",
        &TrustAnchors::new(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Invalid);
    assert_eq!(
        verify("<a/>", &TrustAnchors::new(), &VerifyOptions::default()).status,
        Status::None
    );
    let report = verify(
        "<a><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/></a>",
        &TrustAnchors::new(),
        &VerifyOptions::default(),
    );
    assert_eq!(report.status, Status::Invalid);
    assert!(report.has(FindingCode::SignatureStructure));
}

#[test]
fn trust_anchor_input_errors() {
    assert!(TrustAnchors::from_pem_or_der(b"").is_err());
    assert!(TrustAnchors::from_pem_or_der(b"not a certificate").is_err());
    assert!(TrustAnchors::from_pem_or_der(
        b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"
    )
    .is_err());
    assert!(TrustAnchors::from_pem_or_der(
        b"-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"
    )
    .is_err());
}

#[test]
fn fuzz_entry_survives_mutations_of_the_real_file() {
    let xml = read(SIGNED).into_bytes();
    // Truncations and byte substitutions at spread-out positions (deterministic).
    for i in (0..xml.len()).step_by(379) {
        sevres_xmldsig::fuzz_one_input(&xml[..i]);
        for b in [b'<', b'>', b'"', b'&', b'A', 0xC3, b'/', b' '] {
            let mut m = xml.clone();
            m[i] = b;
            sevres_xmldsig::fuzz_one_input(&m);
        }
    }
    for cert in ["root.crt", "sub.crt", "signer.crt"] {
        let bytes = std::fs::read(testdata(&format!("examples/signed/trusted_certs/{cert}")))
            .expect("file");
        for i in 0..bytes.len() {
            sevres_xmldsig::fuzz_one_input(&bytes[..i]);
        }
    }
}
