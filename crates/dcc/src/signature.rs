//! The XML signature of a signed DCC (DCC 3.2+ allows an enveloped `ds:Signature`), verified
//! by `sevres-xmldsig` and folded into the [`Report`]: its status, and each of its findings as
//! an error or a warning with the code `SIG-…` (the verifier's stable codes, upper-cased).

use sevres_xmldsig::{Severity, Status, TrustAnchors, VerifyOptions};

use crate::report::{Finding, Report, SignatureStatus};
use crate::{Dcc, Options};

/// Verifies `dcc`'s signature against `opts.trust` and records the outcome in `report`.
pub(crate) fn verify(dcc: &Dcc<'_>, opts: &Options<'_>, report: &mut Report) {
    let none = TrustAnchors::new();
    let anchors = opts.trust.unwrap_or(&none);
    let options = VerifyOptions {
        validation_time: opts.validation_time,
    };
    let outcome = sevres_xmldsig::verify(dcc.document().input_text(), anchors, &options);
    report.set_signature(match outcome.status {
        Status::None => SignatureStatus::None,
        Status::Valid => SignatureStatus::Valid,
        Status::Invalid => SignatureStatus::Invalid,
        Status::Untrusted => SignatureStatus::Untrusted,
        Status::Revoked => SignatureStatus::Revoked,
    });
    for f in outcome.findings {
        let finding = Finding::new(
            &format!("SIG-{}", f.code.as_str().to_ascii_uppercase()),
            f.message,
            f.line,
        );
        match f.severity {
            Severity::Error => report.errors.push(finding),
            Severity::Warning => report.warnings.push(finding),
            _ => {}
        }
    }
}
