//! The outcome of a check: every finding with a stable code, the signature status filled in by
//! the caller, the traceability entries, and the JSON object of the machine interface.

use serde_json::{json, Value};

use crate::traceability::Trace;
use crate::InputError;

/// One finding: a stable code (`XSD1871`, `SCH-REFID`, `DSI-UNIT`; see `docs/dcc.md`), a
/// message, and the line it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable code.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
}

impl Finding {
    /// A finding.
    pub fn new(code: &str, message: impl Into<String>, line: Option<u32>) -> Finding {
        Finding {
            code: code.to_string(),
            message: message.into(),
            line,
        }
    }

    fn to_json(&self) -> Value {
        json!({"code": self.code, "message": self.message, "line": self.line})
    }
}

/// The state of a DCC's XML signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureStatus {
    /// Not signed.
    None,
    /// Signed, and the signature verifies with a trusted chain.
    Valid,
    /// Signed, and the signature does not verify (content altered, bad digest).
    Invalid,
    /// Signed, but not (yet) verified against a trust anchor: this is the status of a signed
    /// DCC until the caller records the verifier's outcome.
    Untrusted,
    /// Signed by a revoked certificate.
    Revoked,
}

impl SignatureStatus {
    /// The JSON word: `none`, `valid`, `invalid`, `untrusted`, `revoked`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureStatus::None => "none",
            SignatureStatus::Valid => "valid",
            SignatureStatus::Invalid => "invalid",
            SignatureStatus::Untrusted => "untrusted",
            SignatureStatus::Revoked => "revoked",
        }
    }
}

/// Code of the warning carried by a signed DCC whose signature was not verified.
pub const SIG_NOT_VERIFIED: &str = "SIG-NOT-VERIFIED";

/// The outcome of checking one DCC.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// `schemaVersion` of the root, when read.
    pub schema_version: Option<String>,
    /// Errors: any makes the DCC invalid.
    pub errors: Vec<Finding>,
    /// Warnings: reported, not fatal.
    pub warnings: Vec<Finding>,
    /// One entry per calibrated value checked against CMCs (empty without a CMC registry).
    pub traceability: Vec<Trace>,
    signature: SignatureStatus,
    signed: bool,
}

impl Report {
    pub(crate) fn new(schema_version: Option<String>) -> Report {
        Report {
            schema_version,
            errors: Vec::new(),
            warnings: Vec::new(),
            traceability: Vec::new(),
            signature: SignatureStatus::None,
            signed: false,
        }
    }

    /// The report of an input refused before validation: invalid, one error.
    pub fn from_input_error(e: &InputError) -> Report {
        let version = match e {
            InputError::UnsupportedVersion(v) => Some(v.clone()),
            _ => None,
        };
        let mut r = Report::new(version);
        r.errors
            .push(Finding::new(e.code(), e.to_string(), e.line()));
        r
    }

    pub(crate) fn mark_signed(&mut self, signed: bool) {
        self.signed = signed;
        if signed && self.signature == SignatureStatus::None {
            self.signature = SignatureStatus::Untrusted;
            self.warnings.push(Finding::new(
                SIG_NOT_VERIFIED,
                "the DCC carries a ds:Signature that has not been verified; it is not reported valid until a verifier records its outcome",
                None,
            ));
        }
    }

    /// Whether the DCC carries a `ds:Signature`.
    pub fn is_signed(&self) -> bool {
        self.signed
    }

    /// The signature status.
    pub fn signature(&self) -> SignatureStatus {
        self.signature
    }

    /// Records the outcome of signature verification (by `sevres-xmldsig` or another verifier).
    pub fn set_signature(&mut self, status: SignatureStatus) {
        self.signature = status;
        self.warnings.retain(|w| w.code != SIG_NOT_VERIFIED);
    }

    /// Schema and semantic checks pass and, where signed (or a status was recorded), the
    /// signature is valid.
    pub fn valid(&self) -> bool {
        self.errors.is_empty()
            && matches!(
                self.signature,
                SignatureStatus::None | SignatureStatus::Valid
            )
    }

    /// Whether the XSD validation passed (no `XSD…`/`INPUT-…` error): the verdict `xmllint
    /// --schema` gives, without the semantic checks and the signature.
    pub fn xsd_valid(&self) -> bool {
        !self
            .errors
            .iter()
            .any(|e| e.code.starts_with("XSD") || e.code.starts_with("INPUT-"))
    }

    /// The JSON object of the machine interface: `{"file", "schema_version", "valid", "errors":
    /// [{"code", "message", "line"}], "warnings", "signature", "traceability"}`.
    pub fn to_json(&self, file: &str) -> Value {
        json!({
            "file": file,
            "schema_version": self.schema_version,
            "valid": self.valid(),
            "xsd_valid": self.xsd_valid(),
            "errors": self.errors.iter().map(Finding::to_json).collect::<Vec<_>>(),
            "warnings": self.warnings.iter().map(Finding::to_json).collect::<Vec<_>>(),
            "signature": self.signature.as_str(),
            "traceability": self.traceability.iter().map(Trace::to_json).collect::<Vec<_>>(),
        })
    }
}
