//! What [`crate::verify`] returns: a status, every finding, and what was checked.

use crate::time::Timestamp;
use crate::x509::CertificateInfo;

/// The verdict on a document's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The document has no `ds:Signature` element.
    None,
    /// Every reference digest and the signature value verify, the references cover the whole
    /// document, and the signer certificate chains to a trust anchor with no revocation found.
    Valid,
    /// A reference digest or the signature value does not verify, or the signature's structure
    /// is unusable (unsupported algorithm or transform, unresolvable or ambiguous reference,
    /// references that do not cover the document, XAdES signing-certificate mismatch).
    Invalid,
    /// Cryptographically intact, but the signer certificate does not chain to a trust anchor
    /// (or the path fails its checks: validity period, CA constraints).
    Untrusted,
    /// The path to the anchor is sound, but revocation data embedded in the signature (XAdES
    /// `RevocationValues`) says the signer or an intermediate CA is revoked.
    Revoked,
}

impl Status {
    /// Lower-case name (`none`, `valid`, `invalid`, `untrusted`, `revoked`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::Untrusted => "untrusted",
            Self::Revoked => "revoked",
        }
    }
}

/// How much a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Decides the status.
    Error,
    /// Worth knowing; does not change the status.
    Warning,
    /// For the record.
    Info,
}

/// The kind of a finding; [`FindingCode::as_str`] gives a stable kebab-case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FindingCode {
    /// The input is not well-formed XML (or not UTF-8).
    XmlMalformed,
    /// The document declares a DTD; refused (entity expansion, external entities).
    DtdForbidden,
    /// More than one `ds:Signature`; only one is verified.
    MultipleSignatures,
    /// The `ds:Signature` element is not structured as XML-DSig requires.
    SignatureStructure,
    /// An algorithm URI is not supported.
    UnsupportedAlgorithm,
    /// A transform is not supported.
    UnsupportedTransform,
    /// A reference cannot be dereferenced.
    ReferenceUnresolved,
    /// An identifier occurs on several elements.
    DuplicateId,
    /// A reference's digest does not match: the referenced content was altered.
    ReferenceDigestMismatch,
    /// The signature value does not verify over `ds:SignedInfo`.
    SignatureValueInvalid,
    /// No verified reference covers the whole document.
    DocumentNotCovered,
    /// A weak algorithm (SHA-1, RSA < 2048 bits) is used.
    WeakAlgorithm,
    /// No certificate to verify the signature with.
    NoSignerCertificate,
    /// A certificate or other DER structure cannot be read.
    CertificateMalformed,
    /// The XAdES signing-certificate digest does not match the signer certificate.
    SigningCertificateMismatch,
    /// XAdES signed properties are missing or not covered by a verified reference.
    SignedProperties,
    /// The XAdES signing time is missing or malformed.
    SigningTime,
    /// No time to judge validity periods against.
    NoValidationTime,
    /// The signer certificate does not chain to a trust anchor.
    UntrustedChain,
    /// A certificate of the path is not valid at the validation time.
    CertificateNotValidAtTime,
    /// A certificate of the path breaks a constraint (CA, path length, key usage, critical
    /// extension).
    CertificateConstraints,
    /// A certificate's signature does not verify with its issuer's key.
    CertificateSignatureInvalid,
    /// A certificate of the path is revoked.
    CertificateRevoked,
    /// Embedded revocation data is malformed, unsigned by the right issuer, or unusable.
    RevocationData,
    /// No embedded revocation data: revocation was not checked.
    NoRevocationData,
}

impl FindingCode {
    /// A stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::XmlMalformed => "xml-malformed",
            Self::DtdForbidden => "dtd-forbidden",
            Self::MultipleSignatures => "multiple-signatures",
            Self::SignatureStructure => "signature-structure",
            Self::UnsupportedAlgorithm => "unsupported-algorithm",
            Self::UnsupportedTransform => "unsupported-transform",
            Self::ReferenceUnresolved => "reference-unresolved",
            Self::DuplicateId => "duplicate-id",
            Self::ReferenceDigestMismatch => "reference-digest-mismatch",
            Self::SignatureValueInvalid => "signature-value-invalid",
            Self::DocumentNotCovered => "document-not-covered",
            Self::WeakAlgorithm => "weak-algorithm",
            Self::NoSignerCertificate => "no-signer-certificate",
            Self::CertificateMalformed => "certificate-malformed",
            Self::SigningCertificateMismatch => "signing-certificate-mismatch",
            Self::SignedProperties => "signed-properties",
            Self::SigningTime => "signing-time",
            Self::NoValidationTime => "no-validation-time",
            Self::UntrustedChain => "untrusted-chain",
            Self::CertificateNotValidAtTime => "certificate-not-valid-at-time",
            Self::CertificateConstraints => "certificate-constraints",
            Self::CertificateSignatureInvalid => "certificate-signature-invalid",
            Self::CertificateRevoked => "certificate-revoked",
            Self::RevocationData => "revocation-data",
            Self::NoRevocationData => "no-revocation-data",
        }
    }
}

/// One thing found while verifying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of finding.
    pub code: FindingCode,
    /// How much it weighs.
    pub severity: Severity,
    /// A sentence for a person.
    pub message: String,
    /// 1-based line in the document, where the finding is tied to an element.
    pub line: Option<u32>,
}

impl Finding {
    pub(crate) fn new(
        code: FindingCode,
        severity: Severity,
        message: impl Into<String>,
        line: Option<u32>,
    ) -> Self {
        Self {
            code,
            severity,
            message: message.into(),
            line,
        }
    }
}

/// What was checked for one `ds:Reference` (XML-DSig 1.1 §3.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceReport {
    /// 0-based position in `ds:SignedInfo`.
    pub index: usize,
    /// The `URI` attribute (`""` = the whole document; `None` if absent).
    pub uri: Option<String>,
    /// The `Id` attribute.
    pub id: Option<String>,
    /// The `Type` attribute.
    pub reference_type: Option<String>,
    /// Transform algorithm URIs, in order.
    pub transforms: Vec<String>,
    /// Digest algorithm URI.
    pub digest_algorithm: String,
    /// Whether the recomputed digest equals `ds:DigestValue`.
    pub digest_matches: bool,
    /// Whether the reference selects the whole document (less the enveloped signature).
    pub covers_document: bool,
    /// Whether the reference selects this signature's `xades:SignedProperties`.
    pub covers_signed_properties: bool,
    /// 1-based line of the `ds:Reference` element.
    pub line: u32,
}

/// The result of [`crate::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureReport {
    /// The verdict.
    pub status: Status,
    /// Everything found, errors first in the order met.
    pub findings: Vec<Finding>,
    /// `Id` of the verified `ds:Signature`.
    pub signature_id: Option<String>,
    /// 1-based line of the verified `ds:Signature`.
    pub signature_line: Option<u32>,
    /// `ds:CanonicalizationMethod` algorithm URI.
    pub canonicalization_method: Option<String>,
    /// `ds:SignatureMethod` algorithm URI.
    pub signature_method: Option<String>,
    /// Whether the signature value verified over the canonical `ds:SignedInfo`.
    pub signature_value_verified: bool,
    /// Every reference, checked or not.
    pub references: Vec<ReferenceReport>,
    /// Whether a reference whose digest matched covers the whole document (`URI=""` with the
    /// enveloped-signature transform, or the root element by `Id`): the defence against
    /// signature wrapping. `Valid` requires it.
    pub document_covered: bool,
    /// The signer certificate, if one verified the signature value.
    pub signer: Option<CertificateInfo>,
    /// The certification path, signer first; the anchor, if reached, is at `anchor_index`.
    pub chain: Vec<CertificateInfo>,
    /// Index in `chain` of the trust anchor that ends the trusted path.
    pub anchor_index: Option<usize>,
    /// `xades:SigningTime`, if present and covered by the signature.
    pub signing_time: Option<Timestamp>,
    /// The instant validity periods and revocation were judged at.
    pub validation_time: Option<Timestamp>,
    /// Whether embedded revocation data was found and used.
    pub revocation_checked: bool,
}

impl SignatureReport {
    pub(crate) fn empty(status: Status) -> Self {
        Self {
            status,
            findings: Vec::new(),
            signature_id: None,
            signature_line: None,
            canonicalization_method: None,
            signature_method: None,
            signature_value_verified: false,
            references: Vec::new(),
            document_covered: false,
            signer: None,
            chain: Vec::new(),
            anchor_index: None,
            signing_time: None,
            validation_time: None,
            revocation_checked: false,
        }
    }

    /// The findings of severity [`Severity::Error`].
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    /// Whether a finding with `code` was reported.
    pub fn has(&self, code: FindingCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}
