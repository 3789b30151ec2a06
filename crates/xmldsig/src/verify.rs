//! Core validation of an enveloped XML-DSig / XAdES signature (XML-DSig 1.1 §3.2): reference
//! validation (§3.2.1), signature validation over the canonical `ds:SignedInfo` (§3.2.2), the
//! XAdES signed properties (ETSI EN 319 132-1, SignedSignatureProperties), the signer's certification path and the
//! revocation data the signature carries (EN 319 132-1, CertificateValues and RevocationValues).
//!
//! Every check runs even after one fails, so that the report lists all findings.

use base64::Engine;
use roxmltree::{Document, Node};

use crate::c14n::{canonicalize_node_set, C14nKind, C14nMethod, NodeSet};
use crate::crypto::{DigestAlgorithm, EcdsaEncoding, SignatureAlgorithm};
use crate::report::{Finding, FindingCode, ReferenceReport, Severity, SignatureReport, Status};
use crate::revocation::{self, Encapsulated};
use crate::time::Timestamp;
use crate::x509::{build_path, check_path, Cert, TrustAnchors};
use crate::xml::{self, IdIndex, IdLookup, NS_DSIG, NS_XADES, NS_XADES141};

/// The enveloped-signature transform (XML-DSig 1.1 §6.6.4).
pub const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// The namespace of the `InclusiveNamespaces` parameter of exclusive c14n (EXC §3.1).
const NS_EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// `Type` of a reference to XAdES `SignedProperties` (EN 319 132-1).
const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";

/// Most references processed: each may canonicalize the whole document.
const MAX_REFERENCES: usize = 32;
/// Most certificates considered from one signature.
const MAX_CERTIFICATES: usize = 32;

/// Parameters of a verification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The instant validity periods and revocation are judged at. `None` takes the XAdES
    /// `SigningTime` (when it is covered by the signature); with neither, validity periods are
    /// not checked and a warning says so. The library never reads the clock.
    pub validation_time: Option<Timestamp>,
}

/// Verifies the enveloped signature of an XML document (a DCC) against `anchors`.
///
/// Never fails and never panics: malformed input yields [`Status::Invalid`] with findings.
/// If the document has several `ds:Signature` elements, the one that is a child of the root
/// element (the enveloped signature) is verified, else the first; the others are reported.
pub fn verify(xml: &str, anchors: &TrustAnchors, options: &VerifyOptions) -> SignatureReport {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let doc = match xml::parse_raw(xml) {
        Ok(doc) => doc,
        Err(e) => {
            let mut report = SignatureReport::empty(Status::Invalid);
            let code = if e.dtd {
                FindingCode::DtdForbidden
            } else {
                FindingCode::XmlMalformed
            };
            report.findings.push(Finding::new(
                code,
                Severity::Error,
                format!("cannot read the XML: {}", e.message),
                Some(e.line),
            ));
            return report;
        }
    };
    let signatures: Vec<Node<'_, '_>> = doc
        .descendants()
        .filter(|n| xml::is(*n, NS_DSIG, "Signature"))
        .collect();
    let root = doc.root_element();
    let Some(signature) = signatures
        .iter()
        .find(|s| s.parent() == Some(root))
        .or(signatures.first())
        .copied()
    else {
        return SignatureReport::empty(Status::None);
    };
    let mut run = Run::new(&doc, signature);
    for other in signatures.iter().filter(|s| **s != signature) {
        run.warn(
            FindingCode::MultipleSignatures,
            "another ds:Signature is present; only the enveloped signature of the root element is verified",
            Some(*other),
        );
    }
    run.run(anchors, options);
    run.finish()
}

/// Like [`verify`], for bytes: the document must be UTF-8 (a byte-order mark is allowed).
pub fn verify_bytes(
    xml: &[u8],
    anchors: &TrustAnchors,
    options: &VerifyOptions,
) -> SignatureReport {
    match std::str::from_utf8(xml) {
        Ok(text) => verify(text, anchors, options),
        Err(e) => {
            let mut report = SignatureReport::empty(Status::Invalid);
            report.findings.push(Finding::new(
                FindingCode::XmlMalformed,
                Severity::Error,
                format!("the document is not UTF-8: {e}"),
                None,
            ));
            report
        }
    }
}

/// The state of one verification.
struct Run<'a, 'i> {
    doc: &'a Document<'i>,
    signature: Node<'a, 'i>,
    ids: IdIndex,
    report: SignatureReport,
    /// A digest, the signature value or the structure failed.
    invalid: bool,
    /// The path reached an anchor and passed its checks.
    chain_ok: bool,
    revoked: bool,
}

impl<'a, 'i> Run<'a, 'i> {
    fn new(doc: &'a Document<'i>, signature: Node<'a, 'i>) -> Self {
        let mut report = SignatureReport::empty(Status::Invalid);
        report.signature_id = signature.attribute("Id").map(str::to_owned);
        report.signature_line = Some(xml::line_of(signature));
        Self {
            doc,
            signature,
            ids: IdIndex::build(doc),
            report,
            invalid: false,
            chain_ok: false,
            revoked: false,
        }
    }

    fn push(
        &mut self,
        code: FindingCode,
        severity: Severity,
        message: impl Into<String>,
        node: Option<Node<'_, '_>>,
    ) {
        self.report.findings.push(Finding::new(
            code,
            severity,
            message,
            node.map(xml::line_of),
        ));
    }

    /// An error that makes the signature invalid.
    fn fail(&mut self, code: FindingCode, message: impl Into<String>, node: Option<Node<'_, '_>>) {
        self.invalid = true;
        self.push(code, Severity::Error, message, node);
    }

    fn warn(&mut self, code: FindingCode, message: impl Into<String>, node: Option<Node<'_, '_>>) {
        self.push(code, Severity::Warning, message, node);
    }

    fn finish(mut self) -> SignatureReport {
        self.report.status = if self.invalid || self.report.signer.is_none() {
            Status::Invalid
        } else if !self.chain_ok {
            Status::Untrusted
        } else if self.revoked {
            Status::Revoked
        } else {
            Status::Valid
        };
        // Errors first, keeping the order in which they were met.
        self.report.findings.sort_by_key(|f| f.severity);
        self.report
    }

    fn run(&mut self, anchors: &TrustAnchors, options: &VerifyOptions) {
        let sig = self.signature;
        let duplicates: Vec<String> = self
            .ids
            .duplicates()
            .into_iter()
            .map(str::to_owned)
            .collect();
        for dup in duplicates {
            let message = format!("the identifier \"{dup}\" is carried by several elements");
            self.warn(FindingCode::DuplicateId, message, None);
        }

        // XML-DSig 1.1 §4.1: SignedInfo, SignatureValue, KeyInfo?, Object*.
        let children: Vec<Node<'a, 'i>> = xml::child_elements(sig).collect();
        let signed_info = children
            .first()
            .copied()
            .filter(|n| xml::is(*n, NS_DSIG, "SignedInfo"));
        let signature_value = children
            .get(1)
            .copied()
            .filter(|n| xml::is(*n, NS_DSIG, "SignatureValue"));
        let (Some(signed_info), Some(signature_value)) = (signed_info, signature_value) else {
            self.fail(
                FindingCode::SignatureStructure,
                "ds:Signature must begin with ds:SignedInfo and ds:SignatureValue",
                Some(sig),
            );
            return;
        };
        let mut key_info = None;
        for (i, child) in children.iter().enumerate().skip(2) {
            if i == 2 && xml::is(*child, NS_DSIG, "KeyInfo") {
                key_info = Some(*child);
            } else if !xml::is(*child, NS_DSIG, "Object") {
                let message = format!(
                    "unexpected element {} in ds:Signature",
                    child.tag_name().name()
                );
                self.fail(FindingCode::SignatureStructure, message, Some(*child));
            }
        }

        // XML-DSig 1.1 §4.3: CanonicalizationMethod, SignatureMethod, Reference+.
        let si_children: Vec<Node<'a, 'i>> = xml::child_elements(signed_info).collect();
        let c14n_node = si_children
            .first()
            .copied()
            .filter(|n| xml::is(*n, NS_DSIG, "CanonicalizationMethod"));
        let method_node = si_children
            .get(1)
            .copied()
            .filter(|n| xml::is(*n, NS_DSIG, "SignatureMethod"));
        let (Some(c14n_node), Some(method_node)) = (c14n_node, method_node) else {
            self.fail(
                FindingCode::SignatureStructure,
                "ds:SignedInfo must begin with ds:CanonicalizationMethod and ds:SignatureMethod",
                Some(signed_info),
            );
            return;
        };
        let c14n = self.c14n_method(c14n_node);
        self.report.canonicalization_method = c14n_node.attribute("Algorithm").map(str::to_owned);
        let method_uri = method_node.attribute("Algorithm").unwrap_or("");
        self.report.signature_method = Some(method_uri.to_owned());
        // XML-DSig 1.1 §6.4; HMAC is refused (it needs a shared secret, and HMACOutputLength
        // truncation is a known attack, §6.3.1).
        let algorithm = SignatureAlgorithm::from_uri(method_uri);
        match algorithm {
            None => {
                let message = format!("signature method \"{method_uri}\" is not supported");
                self.fail(
                    FindingCode::UnsupportedAlgorithm,
                    message,
                    Some(method_node),
                );
            }
            Some(alg) if alg.digest().is_weak() => {
                self.warn(
                    FindingCode::WeakAlgorithm,
                    format!("signature method \"{method_uri}\" uses SHA-1"),
                    Some(method_node),
                );
            }
            Some(_) => {}
        }
        if xml::child_elements(method_node).next().is_some() {
            self.fail(
                FindingCode::SignatureStructure,
                "ds:SignatureMethod parameters are not supported",
                Some(method_node),
            );
        }
        let references: Vec<Node<'a, 'i>> = si_children.iter().skip(2).copied().collect();
        if references.is_empty() {
            self.fail(
                FindingCode::SignatureStructure,
                "ds:SignedInfo has no ds:Reference",
                Some(signed_info),
            );
        }
        if references.len() > MAX_REFERENCES {
            let message = format!(
                "{} references; at most {MAX_REFERENCES} are processed",
                references.len()
            );
            self.fail(FindingCode::SignatureStructure, message, Some(signed_info));
        }

        let qualifying = self.qualifying_properties();
        let signed_properties =
            qualifying.and_then(|q| xml::child(q, NS_XADES, "SignedProperties"));

        for (index, reference) in references.iter().take(MAX_REFERENCES).enumerate() {
            if !xml::is(*reference, NS_DSIG, "Reference") {
                let message = format!(
                    "unexpected element {} in ds:SignedInfo",
                    reference.tag_name().name()
                );
                self.fail(FindingCode::SignatureStructure, message, Some(*reference));
                continue;
            }
            let r = self.reference(index, *reference, signed_properties);
            self.report.references.push(r);
        }

        // Signature wrapping defence (XML-DSig 1.1 §8.1.3 "See" What is Signed): the content a
        // consumer reads is the document, so a verified reference must cover all of it.
        self.report.document_covered = self
            .report
            .references
            .iter()
            .any(|r| r.covers_document && r.digest_matches);
        if !self.report.references.iter().any(|r| r.covers_document) {
            self.fail(
                FindingCode::DocumentNotCovered,
                "no reference covers the whole document (URI=\"\" with the enveloped-signature transform, or the root \
                 element by Id): content outside the signed references could be altered or substituted",
                Some(signed_info),
            );
        }

        // XML-DSig 1.1 §4.2: base64 of the signature value.
        let value = match decode_base64(&xml::text_of(signature_value)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(
                    FindingCode::SignatureStructure,
                    format!("ds:SignatureValue is not base64: {e}"),
                    Some(signature_value),
                );
                None
            }
        };

        // XML-DSig 1.1 §3.2.2: canonicalize SignedInfo with its CanonicalizationMethod.
        let mut canonical_signed_info = Vec::new();
        if let Some(method) = &c14n {
            canonicalize_node_set(
                &NodeSet::subtree(signed_info, true),
                method,
                &mut canonical_signed_info,
            );
        }

        // Certificates carried by the signature.
        let key_info_certs = self.key_info_certificates(key_info);
        let unsigned = qualifying.and_then(|q| xml::child(q, NS_XADES, "UnsignedProperties"));
        let certificate_values = self.encapsulated(unsigned, "EncapsulatedX509Certificate");
        let mut pool: Vec<Cert> = Vec::new();
        for value in certificate_values.iter().take(MAX_CERTIFICATES) {
            match Cert::from_der(&value.der) {
                Ok(c) => pool.push(c),
                Err(e) => self.push(
                    FindingCode::CertificateMalformed,
                    Severity::Warning,
                    format!("xades:EncapsulatedX509Certificate: {e}"),
                    None::<Node<'_, '_>>,
                ),
            }
        }

        // The signer: the certificate whose key verifies the signature value. KeyInfo first,
        // then XAdES CertificateValues, then the anchors (a signer may be identified only by
        // reference and pinned as an anchor).
        let mut signer: Option<Cert> = None;
        if let (Some(alg), Some(value), Some(_)) = (algorithm, value.as_ref(), c14n.as_ref()) {
            let candidates: Vec<&Cert> = key_info_certs
                .iter()
                .chain(pool.iter())
                .chain(anchors.certs.iter())
                .collect();
            let mut last_error = None;
            for cand in &candidates {
                match cand.key.as_ref() {
                    Ok(key) => {
                        match key.verify(alg, &canonical_signed_info, value, EcdsaEncoding::Raw) {
                            Ok(()) => {
                                signer = Some((*cand).clone());
                                break;
                            }
                            Err(e) => last_error = Some(e),
                        }
                    }
                    Err(e) => last_error = Some(e.clone()),
                }
            }
            match (&signer, candidates.is_empty()) {
                (Some(_), _) => self.report.signature_value_verified = true,
                (None, true) => self.fail(
                    FindingCode::NoSignerCertificate,
                    "no certificate in ds:KeyInfo, xades:CertificateValues or the trust anchors to verify the signature with",
                    key_info.or(Some(sig)),
                ),
                (None, false) => {
                    let subject = key_info_certs
                        .first()
                        .map(|c| format!(" of \"{}\"", c.cert.tbs_certificate.subject))
                        .unwrap_or_default();
                    let detail = last_error.unwrap_or_default();
                    self.fail(
                        FindingCode::SignatureValueInvalid,
                        format!("the signature value does not verify over ds:SignedInfo with the key{subject} ({detail}): SignedInfo or the value was altered, or the key is not the signer's"),
                        Some(signature_value),
                    );
                }
            }
        }
        if let Some(s) = &signer {
            self.report.signer = Some(s.info());
            if s.key.as_ref().is_ok_and(|k| k.is_weak()) {
                self.warn(
                    FindingCode::WeakAlgorithm,
                    "the signer's key is weak",
                    Some(signature_value),
                );
            }
        }

        // XAdES signed properties (EN 319 132-1).
        self.signed_properties(qualifying, signed_properties, signer.as_ref());

        // Validation time and certification path (RFC 5280 §6).
        let time = options.validation_time.or(self.report.signing_time);
        self.report.validation_time = time;
        let Some(signer) = signer else { return };
        if time.is_none() {
            self.warn(
                FindingCode::NoValidationTime,
                "no validation time given and no signed xades:SigningTime: certificate validity periods were not checked",
                Some(sig),
            );
        }
        let pool: Vec<Cert> = key_info_certs
            .into_iter()
            .chain(pool)
            .filter(|c| c.der != signer.der)
            .collect();
        let path = build_path(&signer, &pool, anchors);
        self.report.chain = path.certs.iter().map(Cert::info).collect();
        self.report.anchor_index = path.anchor;
        if path.anchor.is_none() {
            let top = path
                .certs
                .last()
                .map(|c| c.cert.tbs_certificate.subject.to_string())
                .unwrap_or_default();
            let message = if anchors.is_empty() {
                "no trust anchors were given: the signer cannot be trusted".to_owned()
            } else {
                format!(
                    "the signer certificate \"{}\" does not chain to a trust anchor (the path ends at \"{top}\")",
                    signer.cert.tbs_certificate.subject
                )
            };
            self.push(
                FindingCode::UntrustedChain,
                Severity::Error,
                message,
                key_info,
            );
        }
        let mut findings = Vec::new();
        self.chain_ok = check_path(&path, time, &mut findings);
        self.report.findings.extend(findings);

        // Revocation data embedded in the signature (EN 319 132-1, xades:RevocationValues).
        let crls = self.encapsulated(unsigned, "EncapsulatedCRLValue");
        let ocsps = self.encapsulated(unsigned, "EncapsulatedOCSPValue");
        if crls.is_empty() && ocsps.is_empty() {
            self.push(
                FindingCode::NoRevocationData,
                Severity::Info,
                "the signature embeds no revocation data (xades:RevocationValues): revocation was not checked",
                Some(sig),
            );
        } else {
            let mut findings = Vec::new();
            let outcome = revocation::check(&path, &crls, &ocsps, time, &mut findings);
            self.report.findings.extend(findings);
            self.revoked = outcome.revoked;
            self.report.revocation_checked = outcome.used;
        }
    }

    /// The canonicalization method of a `ds:CanonicalizationMethod` or `ds:Transform`, with the
    /// `ec:InclusiveNamespaces PrefixList` parameter (EXC §3.1).
    fn c14n_method(&mut self, node: Node<'_, '_>) -> Option<C14nMethod> {
        let uri = node.attribute("Algorithm").unwrap_or("");
        let Some(mut method) = C14nMethod::from_uri(uri) else {
            self.fail(
                FindingCode::UnsupportedAlgorithm,
                format!("canonicalization method \"{uri}\" is not supported"),
                Some(node),
            );
            return None;
        };
        if method.kind == C14nKind::Exclusive10 {
            if let Some(list) = node
                .children()
                .find(|c| xml::is(*c, NS_EXC_C14N, "InclusiveNamespaces"))
                .and_then(|c| c.attribute("PrefixList"))
            {
                method = method.with_prefix_list(list);
            }
        }
        Some(method)
    }

    /// `ds:Object/xades:QualifyingProperties` of this signature.
    fn qualifying_properties(&mut self) -> Option<Node<'a, 'i>> {
        let sig = self.signature;
        let qp = xml::children_named(sig, NS_DSIG, "Object")
            .find_map(|o| xml::child(o, NS_XADES, "QualifyingProperties"))?;
        // EN 319 132-1: QualifyingProperties/@Target points at the signature.
        let target = qp.attribute("Target").unwrap_or("");
        let expected = self
            .report
            .signature_id
            .as_deref()
            .map(|id| format!("#{id}"));
        if expected.as_deref() != Some(target) {
            self.warn(
                FindingCode::SignedProperties,
                format!("xades:QualifyingProperties Target=\"{target}\" does not point at this ds:Signature"),
                Some(qp),
            );
        }
        Some(qp)
    }

    /// Reference validation (XML-DSig 1.1 §3.2.1 and the reference processing model §4.3.3.2).
    fn reference(
        &mut self,
        index: usize,
        r: Node<'a, 'i>,
        signed_properties: Option<Node<'a, 'i>>,
    ) -> ReferenceReport {
        let uri = r.attribute("URI").map(str::to_owned);
        let mut report = ReferenceReport {
            index,
            uri: uri.clone(),
            id: r.attribute("Id").map(str::to_owned),
            reference_type: r.attribute("Type").map(str::to_owned),
            transforms: Vec::new(),
            digest_algorithm: String::new(),
            digest_matches: false,
            covers_document: false,
            covers_signed_properties: false,
            line: xml::line_of(r),
        };
        let label = match &uri {
            Some(u) => format!("reference {index} (URI=\"{u}\")"),
            None => format!("reference {index} (no URI)"),
        };

        // ds:Transforms?, ds:DigestMethod, ds:DigestValue (XML-DSig 1.1 §4.3.3).
        let children: Vec<Node<'a, 'i>> = xml::child_elements(r).collect();
        let (transforms_node, rest) = match children.split_first() {
            Some((first, rest)) if xml::is(*first, NS_DSIG, "Transforms") => (Some(*first), rest),
            _ => (None, children.as_slice()),
        };
        let digest_method = rest
            .first()
            .copied()
            .filter(|n| xml::is(*n, NS_DSIG, "DigestMethod"));
        let digest_value = rest
            .get(1)
            .copied()
            .filter(|n| xml::is(*n, NS_DSIG, "DigestValue"));
        let (Some(digest_method), Some(digest_value), 2) =
            (digest_method, digest_value, rest.len())
        else {
            self.fail(
                FindingCode::SignatureStructure,
                format!("{label}: expected ds:Transforms?, ds:DigestMethod, ds:DigestValue"),
                Some(r),
            );
            return report;
        };
        let transforms: Vec<Node<'a, 'i>> = transforms_node
            .map(|t| xml::child_elements(t).collect())
            .unwrap_or_default();
        report.transforms = transforms
            .iter()
            .map(|t| t.attribute("Algorithm").unwrap_or("").to_owned())
            .collect();
        let digest_uri = digest_method.attribute("Algorithm").unwrap_or("");
        report.digest_algorithm = digest_uri.to_owned();
        let digest = DigestAlgorithm::from_uri(digest_uri);
        match digest {
            None => self.fail(
                FindingCode::UnsupportedAlgorithm,
                format!("{label}: digest method \"{digest_uri}\" is not supported"),
                Some(digest_method),
            ),
            Some(d) if d.is_weak() => {
                self.warn(
                    FindingCode::WeakAlgorithm,
                    format!("{label}: digest method SHA-1 is weak"),
                    Some(digest_method),
                );
            }
            Some(_) => {}
        }
        let expected = match decode_base64(&xml::text_of(digest_value)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(
                    FindingCode::SignatureStructure,
                    format!("{label}: ds:DigestValue is not base64: {e}"),
                    Some(digest_value),
                );
                None
            }
        };

        // Dereference (XML-DSig 1.1 §4.3.3.3): only same-document references.
        let Some(uri) = uri else {
            self.fail(
                FindingCode::ReferenceUnresolved,
                format!("{label}: a reference without URI cannot be resolved"),
                Some(r),
            );
            return report;
        };
        let target: Option<(Node<'a, 'i>, bool)> = if uri.is_empty() {
            // The whole document, without comments.
            Some((self.doc.root(), false))
        } else if uri == "#xpointer(/)" {
            Some((self.doc.root(), true))
        } else if let Some(fragment) = uri.strip_prefix('#') {
            let (id, comments) = match parse_xpointer_id(fragment) {
                Some(id) => (id, true),
                None => (fragment, false),
            };
            match self.ids.get(self.doc, id) {
                IdLookup::Unique(node) => Some((node, comments)),
                IdLookup::Missing => {
                    self.fail(
                        FindingCode::ReferenceUnresolved,
                        format!("{label}: no element has the Id \"{id}\""),
                        Some(r),
                    );
                    None
                }
                IdLookup::Duplicate => {
                    self.fail(
                        FindingCode::DuplicateId,
                        format!("{label}: several elements have the Id \"{id}\"; the reference is ambiguous (signature wrapping)"),
                        Some(r),
                    );
                    None
                }
            }
        } else {
            self.fail(
                FindingCode::ReferenceUnresolved,
                format!("{label}: references outside the document are not supported"),
                Some(r),
            );
            None
        };
        let Some((apex, comments)) = target else {
            return report;
        };

        let mut set = NodeSet {
            apex,
            excluded: Vec::new(),
            comments,
        };
        let mut octets: Option<Vec<u8>> = None;
        let mut usable = true;
        for t in &transforms {
            let alg = t.attribute("Algorithm").unwrap_or("");
            if !xml::is(*t, NS_DSIG, "Transform") {
                self.fail(
                    FindingCode::SignatureStructure,
                    format!("{label}: unexpected element in ds:Transforms"),
                    Some(*t),
                );
                usable = false;
                break;
            }
            if octets.is_some() {
                self.fail(
                    FindingCode::UnsupportedTransform,
                    format!("{label}: transform \"{alg}\" after canonicalization is not supported"),
                    Some(*t),
                );
                usable = false;
                break;
            }
            if alg == ENVELOPED_SIGNATURE {
                // XML-DSig 1.1 §6.6.4: remove the ds:Signature that contains the transform.
                set.excluded.push(self.signature.id());
            } else if C14nMethod::from_uri(alg).is_some() {
                let Some(method) = self.c14n_method(*t) else {
                    usable = false;
                    break;
                };
                let mut out = Vec::new();
                canonicalize_node_set(&set, &method, &mut out);
                octets = Some(out);
            } else {
                self.fail(
                    FindingCode::UnsupportedTransform,
                    format!("{label}: transform \"{alg}\" is not supported (only enveloped-signature and canonicalization)"),
                    Some(*t),
                );
                usable = false;
                break;
            }
        }
        if !usable {
            return report;
        }
        let data = octets.unwrap_or_else(|| {
            // §4.3.3.2: a node-set left at the end is converted with Canonical XML 1.0.
            let mut out = Vec::new();
            canonicalize_node_set(
                &set,
                &C14nMethod::new(C14nKind::Inclusive10, false),
                &mut out,
            );
            out
        });
        let is_document = apex == self.doc.root() || apex == self.doc.root_element();
        let signature_inside = self.signature.ancestors().any(|a| a == apex);
        // The whole document, and the enveloped signature removed if it lies inside.
        report.covers_document =
            is_document && (!signature_inside || set.excluded.contains(&self.signature.id()));
        report.covers_signed_properties = signed_properties == Some(apex);
        if report.covers_signed_properties
            && report.reference_type.as_deref() != Some(SIGNED_PROPERTIES_TYPE)
        {
            self.warn(
                FindingCode::SignedProperties,
                format!("{label} selects xades:SignedProperties but its Type is not \"{SIGNED_PROPERTIES_TYPE}\""),
                Some(r),
            );
        }
        if let (Some(d), Some(expected)) = (digest, expected) {
            report.digest_matches = d.digest(&data) == expected;
            if !report.digest_matches {
                let what = if report.covers_document {
                    "the document content was altered after signing"
                } else if report.covers_signed_properties {
                    "the XAdES signed properties were altered after signing"
                } else {
                    "the referenced content was altered after signing"
                };
                self.fail(
                    FindingCode::ReferenceDigestMismatch,
                    format!("{label}: digest does not match: {what}"),
                    Some(r),
                );
            }
        }
        report
    }

    /// The certificates of `ds:KeyInfo/ds:X509Data/ds:X509Certificate` (XML-DSig 1.1 §4.4.4).
    fn key_info_certificates(&mut self, key_info: Option<Node<'a, 'i>>) -> Vec<Cert> {
        let mut certs = Vec::new();
        let Some(key_info) = key_info else {
            return certs;
        };
        let nodes: Vec<Node<'a, 'i>> = xml::children_named(key_info, NS_DSIG, "X509Data")
            .flat_map(|d| xml::children_named(d, NS_DSIG, "X509Certificate"))
            .take(MAX_CERTIFICATES)
            .collect();
        for node in nodes {
            match decode_base64(&xml::text_of(node))
                .map_err(|e| format!("not base64: {e}"))
                .and_then(|d| Cert::from_der(&d))
            {
                Ok(c) => certs.push(c),
                Err(e) => self.warn(
                    FindingCode::CertificateMalformed,
                    format!("ds:X509Certificate: {e}"),
                    Some(node),
                ),
            }
        }
        certs
    }

    /// Base64 values of the XAdES elements named `local` under the unsigned properties
    /// (`CertificateValues`, `RevocationValues`, also inside XAdES 1.4.1 validation data).
    fn encapsulated(&mut self, unsigned: Option<Node<'a, 'i>>, local: &str) -> Vec<Encapsulated> {
        let mut values = Vec::new();
        let Some(unsigned) = unsigned else {
            return values;
        };
        let nodes: Vec<Node<'a, 'i>> = unsigned
            .descendants()
            .filter(|n| {
                n.is_element()
                    && n.tag_name().name() == local
                    && matches!(n.tag_name().namespace(), Some(NS_XADES) | Some(NS_XADES141))
            })
            .take(MAX_CERTIFICATES)
            .collect();
        for node in nodes {
            match decode_base64(&xml::text_of(node)) {
                Ok(der) => values.push(Encapsulated {
                    der,
                    line: xml::line_of(node),
                }),
                Err(e) => self.warn(
                    FindingCode::RevocationData,
                    format!("xades:{local} is not base64: {e}"),
                    Some(node),
                ),
            }
        }
        values
    }

    /// XAdES signed properties: they must be covered by a verified reference; then
    /// `SigningTime` (EN 319 132-1) is read and `SigningCertificateV2` (EN 319 132-1, or the
    /// older `SigningCertificate`) must name the signer certificate by digest.
    fn signed_properties(
        &mut self,
        qualifying: Option<Node<'a, 'i>>,
        signed: Option<Node<'a, 'i>>,
        signer: Option<&Cert>,
    ) {
        let Some(qualifying) = qualifying else {
            return;
        };
        let Some(signed) = signed else {
            self.warn(
                FindingCode::SignedProperties,
                "xades:QualifyingProperties without xades:SignedProperties",
                Some(qualifying),
            );
            return;
        };
        let covered = self
            .report
            .references
            .iter()
            .any(|r| r.covers_signed_properties);
        if !covered {
            self.warn(
                FindingCode::SignedProperties,
                "xades:SignedProperties is not referenced by ds:SignedInfo: its signing time and signing certificate are ignored",
                Some(signed),
            );
            return;
        }
        let Some(ssp) = xml::child(signed, NS_XADES, "SignedSignatureProperties") else {
            return;
        };
        if let Some(st) = xml::child(ssp, NS_XADES, "SigningTime") {
            let text = xml::text_of(st);
            match Timestamp::parse_xsd_datetime(&text) {
                Some(t) => self.report.signing_time = Some(t),
                None => self.warn(
                    FindingCode::SigningTime,
                    format!("xades:SigningTime \"{}\" is not a dateTime", text.trim()),
                    Some(st),
                ),
            }
        }
        let sc = xml::child(ssp, NS_XADES, "SigningCertificateV2")
            .or_else(|| xml::child(ssp, NS_XADES, "SigningCertificate"));
        let Some(sc) = sc else {
            self.warn(
                FindingCode::SigningCertificateMismatch,
                "no xades:SigningCertificateV2 in the signed properties",
                Some(ssp),
            );
            return;
        };
        let Some(signer) = signer else { return };
        let mut matched = false;
        let mut checked = 0;
        for cert in xml::children_named(sc, NS_XADES, "Cert") {
            let Some(cd) = xml::child(cert, NS_XADES, "CertDigest") else {
                continue;
            };
            let alg = xml::child(cd, NS_DSIG, "DigestMethod")
                .and_then(|m| m.attribute("Algorithm"))
                .unwrap_or("");
            let Some(d) = DigestAlgorithm::from_uri(alg) else {
                self.warn(
                    FindingCode::UnsupportedAlgorithm,
                    format!("xades:CertDigest method \"{alg}\" is not supported"),
                    Some(cd),
                );
                continue;
            };
            let Some(expected) = xml::child(cd, NS_DSIG, "DigestValue")
                .and_then(|v| decode_base64(&xml::text_of(v)).ok())
            else {
                continue;
            };
            checked += 1;
            if d.digest(&signer.der) == expected {
                matched = true;
            }
        }
        if !matched {
            let message = if checked == 0 {
                "xades:SigningCertificateV2 names no certificate digest".to_owned()
            } else {
                format!(
                    "xades:SigningCertificateV2 does not name the certificate that verifies the signature (\"{}\")",
                    signer.cert.tbs_certificate.subject
                )
            };
            self.fail(FindingCode::SigningCertificateMismatch, message, Some(sc));
        }
    }
}

/// The id of `xpointer(id('x'))` or `xpointer(id("x"))`.
fn parse_xpointer_id(fragment: &str) -> Option<&str> {
    let inner = fragment.strip_prefix("xpointer(id(")?.strip_suffix("))")?;
    inner
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
}

/// Base64 with XML whitespace (and line breaks of MIME-style wrapping) ignored.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact.as_bytes())
}
