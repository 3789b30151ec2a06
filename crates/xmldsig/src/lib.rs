//! Verification of XML-DSig enveloped signatures of Digital Calibration Certificates.
//!
//! A DCC (PTB's XML format for calibration certificates) from schema 3.2 on may carry an
//! enveloped `ds:Signature` as the last child of its root element, usually a XAdES signature
//! (ETSI EN 319 132-1) made with ECDSA over P-256 and SHA-256. [`verify`] answers whether the
//! document is the one its signer signed, and whether the signer is one the caller trusts:
//!
//! - [`Status::None`]: no signature;
//! - [`Status::Valid`]: every reference digest and the signature value verify, the references
//!   cover the whole document, and the signer certificate chains to one of the
//!   [`TrustAnchors`] with sound CA constraints and validity periods at the validation time;
//! - [`Status::Invalid`]: a digest or the signature value does not verify, or the signature
//!   cannot be used as it stands (unsupported algorithm, unresolvable or ambiguous reference,
//!   references that leave part of the document unsigned);
//! - [`Status::Untrusted`]: intact, but not chained to an anchor;
//! - [`Status::Revoked`]: chained, but revocation data embedded in the signature (XAdES
//!   `RevocationValues`: CRLs, OCSP responses) revokes the signer or an intermediate CA.
//!
//! The report lists every finding (with line numbers), the signer, the chain, the XAdES signing
//! time and each reference checked, including whether a reference covers the whole document —
//! the defence against signature wrapping (XML-DSig 1.1 §8.1.3).
//!
//! The crate is pure: it takes strings and bytes and returns values; it does no I/O and never
//! reads the clock — the validation time is [`VerifyOptions::validation_time`], or else the
//! signed `xades:SigningTime`. DTDs are refused. Nothing in the input can make it panic; the
//! entry point for fuzzing is [`fuzz_one_input`].
//!
//! Specifications: XML Signature Syntax and Processing Version 1.1 (W3C Recommendation,
//! 11 April 2013); Canonical XML 1.0 (2001) and 1.1 (2008); Exclusive XML Canonicalization 1.0
//! (2002); ETSI EN 319 132-1 (XAdES); RFC 5280 (certificates and CRLs); RFC 6960 (OCSP);
//! RFC 6931 (`xmldsig-more` algorithm identifiers). Section numbers next to the code are
//! those of these documents; XAdES elements are cited by name, which identifies them across the
//! editions of EN 319 132-1 and its predecessor ETSI TS 101 903.
//!
//! Not supported (reported as `Invalid` with a finding, never silently accepted): references
//! outside the document, XPath / XPath-Filter 2.0 / XSLT / base64 transforms, HMAC and DSA,
//! RSA-PSS. Canonical XML 1.1 `xml:base` fix-up for document subsets is not implemented
//! (`xml:lang` and `xml:space` are inherited as specified); it matters only for inclusive c14n
//! of an element whose ancestors carry `xml:base`.

pub mod c14n;
mod crypto;
mod error;
mod report;
mod revocation;
pub mod time;
mod verify;
mod x509;
mod xml;

pub use crypto::{DigestAlgorithm, SignatureAlgorithm};
pub use error::Error;
pub use report::{Finding, FindingCode, ReferenceReport, Severity, SignatureReport, Status};
pub use time::Timestamp;
pub use verify::{verify, verify_bytes, VerifyOptions, ENVELOPED_SIGNATURE};
pub use x509::{CertificateInfo, TrustAnchors};

/// Runs every entry point that reads untrusted input on `data`: [`verify_bytes`] with no
/// anchors and with `data` itself offered as anchors, [`TrustAnchors::from_pem_or_der`], and
/// each canonicalization method. For a cargo-fuzz target; it must never panic.
pub fn fuzz_one_input(data: &[u8]) {
    let anchors = TrustAnchors::from_pem_or_der(data).unwrap_or_default();
    let options = VerifyOptions {
        validation_time: Some(Timestamp::from_unix(1_700_000_000)),
    };
    let _ = verify_bytes(data, &anchors, &options);
    let _ = verify_bytes(data, &TrustAnchors::new(), &VerifyOptions::default());
    if let Ok(text) = std::str::from_utf8(data) {
        for kind in [
            c14n::C14nKind::Inclusive10,
            c14n::C14nKind::Inclusive11,
            c14n::C14nKind::Exclusive10,
        ] {
            for comments in [false, true] {
                let method = c14n::C14nMethod::new(kind, comments).with_prefix_list("#default a b");
                let _ = c14n::canonicalize(text, &method, None);
            }
        }
    }
}
