//! Digest and signature algorithms: XML-DSig algorithm URIs (XML-DSig 1.1 §6.2, §6.4; RFC 6931
//! for the `xmldsig-more` identifiers) and X.509 algorithm OIDs (RFC 5758, RFC 4055), mapped to
//! the RustCrypto implementations.

use const_oid::ObjectIdentifier;
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use sha2::Digest;
use spki::SubjectPublicKeyInfoOwned;

/// A message digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SHA-1: accepted for reading old signatures, reported as weak.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The digest named by a `ds:DigestMethod` URI (XML-DSig 1.1 §6.2; RFC 6931 §2.1).
    pub fn from_uri(uri: &str) -> Option<Self> {
        Some(match uri {
            "http://www.w3.org/2000/09/xmldsig#sha1" => Self::Sha1,
            "http://www.w3.org/2001/04/xmldsig-more#sha224" => Self::Sha224,
            "http://www.w3.org/2001/04/xmlenc#sha256" => Self::Sha256,
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => Self::Sha384,
            "http://www.w3.org/2001/04/xmlenc#sha512" => Self::Sha512,
            _ => return None,
        })
    }

    /// The XML-DSig URI of the digest.
    pub fn uri(self) -> &'static str {
        match self {
            Self::Sha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
            Self::Sha224 => "http://www.w3.org/2001/04/xmldsig-more#sha224",
            Self::Sha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            Self::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#sha384",
            Self::Sha512 => "http://www.w3.org/2001/04/xmlenc#sha512",
        }
    }

    /// The digest named by an X.509 / OCSP algorithm OID (RFC 5758 §2, RFC 3279 §2.2.1).
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            OID_SHA1 => Self::Sha1,
            OID_SHA224 => Self::Sha224,
            OID_SHA256 => Self::Sha256,
            OID_SHA384 => Self::Sha384,
            OID_SHA512 => Self::Sha512,
            _ => return None,
        })
    }

    /// Whether the algorithm is no longer collision resistant (SHA-1; XML-DSig 1.1 §6.2.1).
    pub fn is_weak(self) -> bool {
        self == Self::Sha1
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

/// A signature algorithm: the key type and the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// ECDSA over P-256 or P-384 (XML-DSig 1.1 §6.4.3: the value is the octet strings of r and
    /// s concatenated; in X.509 it is the DER `Ecdsa-Sig-Value`).
    Ecdsa(DigestAlgorithm),
    /// RSASSA-PKCS1-v1_5 (XML-DSig 1.1 §6.4.2, RFC 8017 §8.2).
    RsaPkcs1v15(DigestAlgorithm),
}

impl SignatureAlgorithm {
    /// The algorithm named by a `ds:SignatureMethod` URI (XML-DSig 1.1 §6.4; RFC 6931 §2.3).
    pub fn from_uri(uri: &str) -> Option<Self> {
        use DigestAlgorithm as D;
        Some(match uri {
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => Self::RsaPkcs1v15(D::Sha1),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224" => Self::RsaPkcs1v15(D::Sha224),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => Self::RsaPkcs1v15(D::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => Self::RsaPkcs1v15(D::Sha384),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => Self::RsaPkcs1v15(D::Sha512),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1" => Self::Ecdsa(D::Sha1),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224" => Self::Ecdsa(D::Sha224),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => Self::Ecdsa(D::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => Self::Ecdsa(D::Sha384),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => Self::Ecdsa(D::Sha512),
            _ => return None,
        })
    }

    /// The algorithm named by an X.509 `AlgorithmIdentifier` OID (RFC 5758 §3.2, RFC 4055 §5).
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        use DigestAlgorithm as D;
        Some(match *oid {
            OID_ECDSA_SHA1 => Self::Ecdsa(D::Sha1),
            OID_ECDSA_SHA224 => Self::Ecdsa(D::Sha224),
            OID_ECDSA_SHA256 => Self::Ecdsa(D::Sha256),
            OID_ECDSA_SHA384 => Self::Ecdsa(D::Sha384),
            OID_ECDSA_SHA512 => Self::Ecdsa(D::Sha512),
            OID_RSA_SHA1 => Self::RsaPkcs1v15(D::Sha1),
            OID_RSA_SHA224 => Self::RsaPkcs1v15(D::Sha224),
            OID_RSA_SHA256 => Self::RsaPkcs1v15(D::Sha256),
            OID_RSA_SHA384 => Self::RsaPkcs1v15(D::Sha384),
            OID_RSA_SHA512 => Self::RsaPkcs1v15(D::Sha512),
            _ => return None,
        })
    }

    /// The digest part.
    pub fn digest(self) -> DigestAlgorithm {
        match self {
            Self::Ecdsa(d) | Self::RsaPkcs1v15(d) => d,
        }
    }
}

pub(crate) const OID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
pub(crate) const OID_SHA224: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
pub(crate) const OID_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const OID_SHA384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const OID_SHA512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const OID_ECDSA_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const OID_ECDSA_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.1");
const OID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const OID_ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const OID_ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const OID_RSA_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const OID_RSA_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.14");
const OID_RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const OID_RSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const OID_RSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// A public key that can verify signatures.
#[derive(Debug, Clone)]
pub(crate) enum PublicKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

/// Which encoding an ECDSA signature value uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EcdsaEncoding {
    /// r and s as fixed-length big-endian octet strings, concatenated (XML-DSig 1.1 §6.4.3).
    Raw,
    /// DER `Ecdsa-Sig-Value` (RFC 5480 / RFC 5758 §3.2, in certificates and CRLs).
    Der,
}

impl PublicKey {
    /// The key of a `SubjectPublicKeyInfo`.
    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, String> {
        let oid = spki.algorithm.oid;
        let key = spki
            .subject_public_key
            .as_bytes()
            .ok_or("public key has unused bits")?;
        if oid == OID_EC_PUBLIC_KEY {
            let curve: ObjectIdentifier = spki
                .algorithm
                .parameters
                .as_ref()
                .ok_or("EC key without named curve")?
                .decode_as()
                .map_err(|e| format!("EC key parameters: {e}"))?;
            match curve {
                OID_P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
                    .map(Self::P256)
                    .map_err(|_| "invalid P-256 point".to_owned()),
                OID_P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
                    .map(Self::P384)
                    .map_err(|_| "invalid P-384 point".to_owned()),
                other => Err(format!("unsupported elliptic curve {other}")),
            }
        } else if oid == OID_RSA_ENCRYPTION {
            use rsa::pkcs1::DecodeRsaPublicKey;
            rsa::RsaPublicKey::from_pkcs1_der(key)
                .map(Self::Rsa)
                .map_err(|e| format!("RSA key: {e}"))
        } else {
            Err(format!("unsupported public key algorithm {oid}"))
        }
    }

    /// A short description (`P-256`, `RSA-2048`).
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::P256(_) => "EC P-256".to_owned(),
            Self::P384(_) => "EC P-384".to_owned(),
            Self::Rsa(k) => {
                use rsa::traits::PublicKeyParts;
                format!("RSA-{}", k.n().bits())
            }
        }
    }

    /// RSA keys shorter than 2048 bits are weak (NIST SP 800-131A).
    pub(crate) fn is_weak(&self) -> bool {
        match self {
            Self::Rsa(k) => {
                use rsa::traits::PublicKeyParts;
                k.n().bits() < 2048
            }
            _ => false,
        }
    }

    /// Verifies `signature` over `message` with `algorithm`.
    pub(crate) fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
        encoding: EcdsaEncoding,
    ) -> Result<(), String> {
        let hash = algorithm.digest().digest(message);
        match (self, algorithm) {
            (Self::P256(key), SignatureAlgorithm::Ecdsa(_)) => {
                let sig = match encoding {
                    EcdsaEncoding::Raw => p256::ecdsa::Signature::from_slice(signature),
                    EcdsaEncoding::Der => p256::ecdsa::Signature::from_der(signature),
                }
                .map_err(|_| "malformed ECDSA P-256 signature value".to_owned())?;
                key.verify_prehash(&hash, &sig)
                    .map_err(|_| "ECDSA signature does not verify".to_owned())
            }
            (Self::P384(key), SignatureAlgorithm::Ecdsa(_)) => {
                let sig = match encoding {
                    EcdsaEncoding::Raw => p384::ecdsa::Signature::from_slice(signature),
                    EcdsaEncoding::Der => p384::ecdsa::Signature::from_der(signature),
                }
                .map_err(|_| "malformed ECDSA P-384 signature value".to_owned())?;
                key.verify_prehash(&hash, &sig)
                    .map_err(|_| "ECDSA signature does not verify".to_owned())
            }
            (Self::Rsa(key), SignatureAlgorithm::RsaPkcs1v15(d)) => {
                let scheme = match d {
                    DigestAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                    DigestAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
                    DigestAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                    DigestAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                    DigestAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                };
                key.verify(scheme, &hash, signature)
                    .map_err(|_| "RSA signature does not verify".to_owned())
            }
            (key, alg) => Err(format!(
                "signature algorithm {alg:?} does not fit a {} key",
                key.describe()
            )),
        }
    }
}
