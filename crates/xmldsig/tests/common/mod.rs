//! Test-only PKI and signer: a CA, optional intermediate, a signer certificate and CRLs made
//! with the RustCrypto builders, and a XAdES enveloped signer that reuses the crate's public
//! canonicalization. Deterministic: fixed keys, fixed dates, RFC 6979 ECDSA nonces.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::str::FromStr;
use std::time::Duration;

use base64::Engine;
use der::asn1::{BitString, UtcTime};
use der::{Decode, Encode};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{DerSignature, Signature, SigningKey};
use sevres_xmldsig::c14n::{canonicalize, C14nKind, C14nMethod};
use sevres_xmldsig::{Timestamp, TrustAnchors};
use sha2::Digest;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

pub fn testdata(rel: &str) -> String {
    format!(
        "{}/../../../shared/testdata/dcc/{rel}",
        env!("CARGO_MANIFEST_DIR")
    )
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(testdata(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub const SIGNED: &str = "examples/signed/dcc_gp_temperature_typical_v12_v3.2.0_signed.xml";
pub const MANIPULATED: &str =
    "examples/signed/dcc_gp_temperature_typical_v12_v3.2.0_signed_manipulated.xml";

/// The real signed 3.2.0 DCC with its ds:Signature cut out: an unsigned 3.2.0 DCC.
pub fn unsigned_dcc() -> String {
    let xml = read(SIGNED);
    let start = xml.find("<ds:Signature ").expect("signature start");
    let end = xml.find("</ds:Signature>").expect("signature end") + "</ds:Signature>".len();
    format!("{}{}", &xml[..start], &xml[end..])
}

pub fn at(iso: &str) -> Timestamp {
    Timestamp::parse_xsd_datetime(iso).expect("time")
}

fn time(iso: &str) -> Time {
    let secs = u64::try_from(at(iso).unix()).expect("after 1970");
    Time::UtcTime(UtcTime::from_unix_duration(Duration::from_secs(secs)).expect("utc time"))
}

fn key(seed: u8) -> SigningKey {
    let mut bytes = [0x11u8; 32];
    bytes[31] = seed;
    SigningKey::from_slice(&bytes).expect("key")
}

pub struct Issued {
    pub key: SigningKey,
    pub name: Name,
    pub der: Vec<u8>,
    pub serial: u32,
}

fn issue(
    profile: Profile,
    serial: u32,
    subject: &str,
    key: SigningKey,
    signer: &SigningKey,
    from: &str,
    to: &str,
) -> Issued {
    let name = Name::from_str(subject).expect("name");
    let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).expect("spki");
    let validity = Validity {
        not_before: time(from),
        not_after: time(to),
    };
    let builder = CertificateBuilder::new(
        profile,
        SerialNumber::from(serial),
        validity,
        name.clone(),
        spki,
        signer,
    )
    .expect("builder");
    let cert = builder.build::<DerSignature>().expect("certificate");
    Issued {
        key,
        name,
        der: cert.to_der().expect("der"),
        serial,
    }
}

/// Root CA → (optional sub CA) → signer, valid 2020–2030.
pub struct Pki {
    pub root: Issued,
    pub sub: Option<Issued>,
    pub signer: Issued,
}

impl Pki {
    pub fn new(with_sub: bool) -> Self {
        let root_key = key(1);
        let root = issue(
            Profile::Root,
            1,
            "CN=Sevres Test Root,O=Sevres Test,C=XX",
            root_key.clone(),
            &root_key,
            "2020-01-01T00:00:00Z",
            "2030-01-01T00:00:00Z",
        );
        let sub = with_sub.then(|| {
            issue(
                Profile::SubCA {
                    issuer: root.name.clone(),
                    path_len_constraint: Some(0),
                },
                2,
                "CN=Sevres Test Sub CA,O=Sevres Test,C=XX",
                key(2),
                &root.key,
                "2020-01-01T00:00:00Z",
                "2030-01-01T00:00:00Z",
            )
        });
        let issuer = sub.as_ref().unwrap_or(&root);
        let signer = issue(
            Profile::Leaf {
                issuer: issuer.name.clone(),
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            0x5151,
            "CN=Test Calibration Lab,O=Sevres Test,C=XX",
            key(3),
            &issuer.key,
            "2021-01-01T00:00:00Z",
            "2029-01-01T00:00:00Z",
        );
        Self { root, sub, signer }
    }

    pub fn issuer_of_signer(&self) -> &Issued {
        self.sub.as_ref().unwrap_or(&self.root)
    }

    pub fn anchors(&self) -> TrustAnchors {
        TrustAnchors::from_pem_or_der(&self.root.der).expect("anchor")
    }
}

/// A CRL by `issuer`, issued at `this_update`, revoking `revoked` (serial, date).
pub fn crl(
    issuer: &Issued,
    signing_key: &SigningKey,
    this_update: &str,
    revoked: &[(u32, &str)],
) -> Vec<u8> {
    let alg = AlgorithmIdentifierOwned {
        oid: const_oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
        parameters: None,
    };
    let revoked_certificates: Vec<RevokedCert> = revoked
        .iter()
        .map(|(serial, date)| RevokedCert {
            serial_number: SerialNumber::from(*serial),
            revocation_date: time(date),
            crl_entry_extensions: None,
        })
        .collect();
    let tbs = TbsCertList {
        version: x509_cert::Version::V2,
        signature: alg.clone(),
        issuer: issuer.name.clone(),
        this_update: time(this_update),
        next_update: Some(time("2029-12-31T00:00:00Z")),
        revoked_certificates: (!revoked_certificates.is_empty()).then_some(revoked_certificates),
        crl_extensions: None,
    };
    let tbs_der = tbs.to_der().expect("tbs");
    let sig: Signature = signing_key.sign(&tbs_der);
    let list = CertificateList {
        tbs_cert_list: TbsCertList::from_der(&tbs_der).expect("round trip"),
        signature_algorithm: alg,
        signature: BitString::from_bytes(sig.to_der().as_bytes()).expect("bits"),
    };
    list.to_der().expect("crl")
}

/// An OCSP response (RFC 6960) by `responder` for `cert` issued by `issuer`: revoked at
/// `revoked_at`, or good.
pub fn ocsp(
    responder: &Issued,
    issuer: &Issued,
    cert: &Issued,
    produced_at: &str,
    revoked_at: Option<&str>,
) -> Vec<u8> {
    use der::asn1::{GeneralizedTime, Null, OctetString};
    use x509_ocsp::{
        BasicOcspResponse, CertId, CertStatus, OcspGeneralizedTime, OcspResponse,
        OcspResponseStatus, ResponderId, ResponseBytes, ResponseData, RevokedInfo, SingleResponse,
    };
    let gt = |iso: &str| {
        let secs = u64::try_from(at(iso).unix()).expect("after 1970");
        OcspGeneralizedTime(
            GeneralizedTime::from_unix_duration(Duration::from_secs(secs)).expect("time"),
        )
    };
    let issuer_cert = x509_cert::Certificate::from_der(&issuer.der).expect("issuer");
    let issuer_key = issuer_cert
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    let sha1 = AlgorithmIdentifierOwned {
        oid: const_oid::ObjectIdentifier::new_unwrap("1.3.14.3.2.26"),
        parameters: None,
    };
    let cert_id = CertId {
        hash_algorithm: sha1,
        issuer_name_hash: OctetString::new(
            sha1::Sha1::digest(issuer.name.to_der().expect("name")).to_vec(),
        )
        .expect("hash"),
        issuer_key_hash: OctetString::new(sha1::Sha1::digest(issuer_key).to_vec()).expect("hash"),
        serial_number: SerialNumber::from(cert.serial),
    };
    let cert_status = match revoked_at {
        Some(t) => CertStatus::Revoked(RevokedInfo {
            revocation_time: gt(t),
            revocation_reason: None,
        }),
        None => CertStatus::Good(Null),
    };
    let data = ResponseData {
        version: Default::default(),
        responder_id: ResponderId::ByName(responder.name.clone()),
        produced_at: gt(produced_at),
        responses: vec![SingleResponse {
            cert_id,
            cert_status,
            this_update: gt(produced_at),
            next_update: None,
            single_extensions: None,
        }],
        response_extensions: None,
    };
    let tbs = data.to_der().expect("tbs");
    let sig: Signature = responder.key.sign(&tbs);
    let basic = BasicOcspResponse {
        tbs_response_data: data,
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: const_oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
            parameters: None,
        },
        signature: BitString::from_bytes(sig.to_der().as_bytes()).expect("bits"),
        certs: None,
    };
    let response = OcspResponse {
        response_status: OcspResponseStatus::Successful,
        response_bytes: Some(ResponseBytes {
            response_type: const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1"),
            response: OctetString::new(basic.to_der().expect("basic")).expect("octets"),
        }),
    };
    response.to_der().expect("ocsp")
}

/// What the document reference of a generated signature selects.
#[derive(Clone, Copy)]
pub enum DocumentReference<'a> {
    /// `URI=""` with enveloped-signature and Canonical XML 1.1 (as PTB's examples).
    Whole,
    /// `URI="#id"` with enveloped-signature and exclusive c14n.
    ById(&'a str),
}

pub struct SignSpec<'a> {
    pub key: &'a SigningKey,
    pub signing_certificate: &'a [u8],
    pub key_info: Vec<&'a [u8]>,
    pub certificate_values: Vec<&'a [u8]>,
    pub crls: Vec<Vec<u8>>,
    pub ocsps: Vec<Vec<u8>>,
    pub signing_time: &'a str,
    pub reference: DocumentReference<'a>,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn sha256_b64(bytes: &[u8]) -> String {
    b64(&sha2::Sha256::digest(bytes))
}

/// Signs `unsigned` with an enveloped XAdES signature, inserted as the last child of the root
/// element, computing digests and the signature value with the crate's canonicalization.
pub fn sign(unsigned: &str, spec: &SignSpec<'_>) -> String {
    let exc = C14nMethod::new(C14nKind::Exclusive10, false);
    let (uri, transforms, doc_digest) = match spec.reference {
        DocumentReference::Whole => {
            let canonical = canonicalize(
                unsigned,
                &C14nMethod::new(C14nKind::Inclusive11, false),
                None,
            )
            .expect("c14n");
            (
                String::new(),
                "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
                 <ds:Transform Algorithm=\"http://www.w3.org/2006/12/xml-c14n11\"/>",
                sha256_b64(&canonical),
            )
        }
        DocumentReference::ById(id) => {
            let canonical = canonicalize(unsigned, &exc, Some(id)).expect("c14n");
            (
                format!("#{id}"),
                "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
                 <ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
                sha256_b64(&canonical),
            )
        }
    };
    let key_info: String = spec
        .key_info
        .iter()
        .map(|c| format!("<ds:X509Certificate>{}</ds:X509Certificate>", b64(c)))
        .collect();
    let mut unsigned_props = String::new();
    if !spec.certificate_values.is_empty() || !spec.crls.is_empty() || !spec.ocsps.is_empty() {
        unsigned_props.push_str("<xades:UnsignedProperties><xades:UnsignedSignatureProperties>");
        if !spec.certificate_values.is_empty() {
            unsigned_props.push_str("<xades:CertificateValues>");
            for c in &spec.certificate_values {
                unsigned_props.push_str(&format!(
                    "<xades:EncapsulatedX509Certificate>{}</xades:EncapsulatedX509Certificate>",
                    b64(c)
                ));
            }
            unsigned_props.push_str("</xades:CertificateValues>");
        }
        if !spec.crls.is_empty() || !spec.ocsps.is_empty() {
            unsigned_props.push_str("<xades:RevocationValues>");
            if !spec.crls.is_empty() {
                unsigned_props.push_str("<xades:CRLValues>");
                for c in &spec.crls {
                    unsigned_props.push_str(&format!(
                        "<xades:EncapsulatedCRLValue>{}</xades:EncapsulatedCRLValue>",
                        b64(c)
                    ));
                }
                unsigned_props.push_str("</xades:CRLValues>");
            }
            if !spec.ocsps.is_empty() {
                unsigned_props.push_str("<xades:OCSPValues>");
                for o in &spec.ocsps {
                    unsigned_props.push_str(&format!(
                        "<xades:EncapsulatedOCSPValue>{}</xades:EncapsulatedOCSPValue>",
                        b64(o)
                    ));
                }
                unsigned_props.push_str("</xades:OCSPValues>");
            }
            unsigned_props.push_str("</xades:RevocationValues>");
        }
        unsigned_props.push_str("</xades:UnsignedSignatureProperties></xades:UnsignedProperties>");
    }
    let cert_digest = sha256_b64(spec.signing_certificate);
    let signature = format!(
        "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"sig-1\">\
<ds:SignedInfo Id=\"signedinfo-1\">\
<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>\
<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>\
<ds:Reference Id=\"r-doc\" URI=\"{uri}\"><ds:Transforms>{transforms}</ds:Transforms>\
<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>{doc_digest}</ds:DigestValue></ds:Reference>\
<ds:Reference Type=\"http://uri.etsi.org/01903#SignedProperties\" URI=\"#xades-sig-1\"><ds:Transforms>\
<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>\
<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>@@SP@@</ds:DigestValue></ds:Reference>\
</ds:SignedInfo>\
<ds:SignatureValue>@@SIG@@</ds:SignatureValue>\
<ds:KeyInfo><ds:X509Data>{key_info}</ds:X509Data></ds:KeyInfo>\
<ds:Object><xades:QualifyingProperties xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\" Target=\"#sig-1\">\
<xades:SignedProperties Id=\"xades-sig-1\"><xades:SignedSignatureProperties>\
<xades:SigningTime>{time}</xades:SigningTime>\
<xades:SigningCertificateV2><xades:Cert><xades:CertDigest>\
<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>{cert_digest}</ds:DigestValue>\
</xades:CertDigest></xades:Cert></xades:SigningCertificateV2>\
</xades:SignedSignatureProperties></xades:SignedProperties>{unsigned_props}\
</xades:QualifyingProperties></ds:Object></ds:Signature>",
        time = spec.signing_time,
    );
    let insert_at = unsigned.rfind("</").expect("root end tag");
    let doc = format!(
        "{}{}{}",
        &unsigned[..insert_at],
        signature,
        &unsigned[insert_at..]
    );
    let sp = sha256_b64(
        &canonicalize(&doc, &exc, Some("xades-sig-1")).expect("c14n of SignedProperties"),
    );
    let doc = doc.replacen("@@SP@@", &sp, 1);
    let signed_info = canonicalize(&doc, &exc, Some("signedinfo-1")).expect("c14n of SignedInfo");
    let value: Signature = spec.key.sign(&signed_info);
    doc.replacen("@@SIG@@", &b64(&value.to_bytes()), 1)
}
