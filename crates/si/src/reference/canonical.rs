//! The canonical serialization of the reference data and its SHA-256 digest, so that a copy of
//! the data (a download, an archived release, a database row) can be checked byte for byte
//! against the digest published with the release.
//!
//! The serialization is JSON in the form of RFC 8785 (JSON Canonicalization Scheme): object keys
//! sorted, no insignificant whitespace, strings escaped minimally (`"`, `\` and control
//! characters only; everything else as UTF-8), integers in plain decimal, no trailing newline.
//! Entries of each table are sorted by `id`, so the digest depends on the data only, not on the
//! order of the source. Written by hand (the format is small and fixed) rather than through
//! serde, so that the bytes cannot change with a dependency's features or version.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::{ConstantDef, PrefixDef, QuantityDef, UnitDef, CONSTANTS, PREFIXES, QUANTITIES, UNITS};

/// Version of the reference data, `<year>-<edition>.<update>.<revision>`: the SI Brochure of
/// 2019 (9th edition) as updated in 2022 (v2.01, with the prefixes of the 27th CGPM, 2022), and
/// the revision of these tables for that edition, incremented on any change of the data (so on
/// any change of [`digest`]). A new edition or update of the Brochure resets the revision to 1.
pub const RELEASE: &str = "2019-9.2022.1";

/// Version of the BIPM SI Reference Point whose identifiers and labels the tables carry
/// (`owl:versionInfo` of its ontologies).
pub const SIRP_VERSION: &str = "1.0.0";

/// A JSON value of the canonical form: only what the tables need.
enum Json {
    /// A string; an empty one marks an absent value and its member is left out of its object.
    Str(&'static str),
    Int(i64),
    Bool(bool),
    Arr(Vec<Json>),
    Obj(Vec<(&'static str, Json)>),
}

impl Json {
    fn strs(items: &'static [&'static str]) -> Json {
        Json::Arr(items.iter().map(|s| Json::Str(s)).collect())
    }

    fn dimension(d: [i8; 7]) -> Json {
        Json::Arr(d.iter().map(|&e| Json::Int(i64::from(e))).collect())
    }

    fn labels(en: &'static str, fr: &'static str) -> Json {
        Json::Obj(vec![("en", Json::Str(en)), ("fr", Json::Str(fr))])
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Str(s) => write_string(s, out),
            Json::Int(i) => out.push_str(&i.to_string()),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                let mut sorted: Vec<&(&str, Json)> = members
                    .iter()
                    .filter(|(_, v)| !matches!(v, Json::Str("")))
                    .collect();
                // Keys are ASCII, for which RFC 8785's UTF-16 order is byte order.
                sorted.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (i, (key, value)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Writes a JSON string as RFC 8785 does (ECMAScript `JSON.stringify`).
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn unit_json(u: &UnitDef) -> Json {
    Json::Obj(vec![
        ("id", Json::Str(u.id)),
        ("pid", Json::Str(u.pid)),
        ("symbol", Json::Str(u.symbol)),
        ("alt_symbols", Json::strs(u.alt_symbols)),
        ("label", Json::labels(u.label_en, u.label_fr)),
        ("class", Json::Str(u.class.name())),
        ("dimension", Json::dimension(u.dimension)),
        ("factor", Json::Str(u.factor)),
        ("factor_unit", Json::Str(u.factor_unit)),
        ("factor_uncertainty", Json::Str(u.factor_uncertainty)),
        ("offset", Json::Str(u.offset)),
        ("prefixable", Json::Bool(u.prefixable)),
        ("resolution", Json::Str(u.resolution)),
        ("dsi", Json::Str(u.dsi)),
        ("ucum", Json::Str(u.ucum)),
    ])
}

fn prefix_json(p: &PrefixDef) -> Json {
    Json::Obj(vec![
        ("id", Json::Str(p.id)),
        ("pid", Json::Str(p.pid)),
        ("symbol", Json::Str(p.symbol)),
        ("exponent", Json::Int(i64::from(p.exponent))),
        ("label", Json::labels(p.label_en, p.label_fr)),
        ("ucum", Json::Str(p.ucum)),
        ("dsi", Json::Str(p.dsi)),
        ("resolution", Json::Str(p.resolution)),
    ])
}

fn constant_json(c: &ConstantDef) -> Json {
    Json::Obj(vec![
        ("id", Json::Str(c.id)),
        ("pid", Json::Str(c.pid)),
        ("symbol", Json::Str(c.symbol)),
        ("symbol_latex", Json::Str(c.symbol_latex)),
        ("label", Json::labels(c.label_en, c.label_fr)),
        ("value", Json::Str(c.value)),
        ("unit", Json::Str(c.unit)),
        ("resolution", Json::Str(c.resolution)),
    ])
}

fn quantity_json(q: &QuantityDef) -> Json {
    Json::Obj(vec![
        ("id", Json::Str(q.id)),
        ("pid", Json::Str(q.pid)),
        ("label", Json::labels(q.label_en, q.label_fr)),
        ("dimension", Json::dimension(q.dimension)),
        ("unit", Json::Str(q.unit)),
        ("unit_from_sirp", Json::Bool(q.unit_from_sirp)),
    ])
}

/// One table as a JSON array sorted by `id`.
fn table<T>(rows: &'static [T], id: fn(&T) -> &'static str, to_json: fn(&T) -> Json) -> Json {
    let mut sorted: Vec<&T> = rows.iter().collect();
    sorted.sort_by_key(|r| id(r));
    Json::Arr(sorted.into_iter().map(to_json).collect())
}

/// The canonical serialization of the four tables and the release, computed once.
fn canonical() -> &'static str {
    static CANONICAL: OnceLock<String> = OnceLock::new();
    CANONICAL.get_or_init(|| {
        let doc = Json::Obj(vec![
            ("release", Json::Str(RELEASE)),
            ("sirp_version", Json::Str(SIRP_VERSION)),
            ("units", table(UNITS, |u| u.id, unit_json)),
            ("prefixes", table(PREFIXES, |p| p.id, prefix_json)),
            ("constants", table(CONSTANTS, |c| c.id, constant_json)),
            ("quantities", table(QUANTITIES, |q| q.id, quantity_json)),
        ]);
        let mut out = String::new();
        doc.write(&mut out);
        out
    })
}

/// The canonical JSON serialization of the whole reference data: an object with the keys
/// `constants`, `prefixes`, `quantities`, `release` ([`RELEASE`]), `sirp_version`
/// ([`SIRP_VERSION`]) and `units`, each table an array of objects sorted by `id`, with the field
/// names of the Rust types except that the two labels form one object `label: {en, fr}`, that
/// `class` is [`super::UnitClass::name`], and that a field whose string is empty (no PID, no
/// UCUM code, no factor...) is left out. RFC 8785 form (see the module documentation); the same
/// data gives the same bytes on every platform and build.
pub fn canonical_json() -> String {
    canonical().to_owned()
}

/// SHA-256 of `bytes` as 64 lowercase hexadecimal digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of [`canonical_json`], lowercase hexadecimal: the integrity digest of this release.
pub fn digest() -> String {
    static DIGEST: OnceLock<String> = OnceLock::new();
    DIGEST
        .get_or_init(|| sha256_hex(canonical().as_bytes()))
        .clone()
}

/// What [`verify`] found about an intact dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The dump matches its digest and is byte for byte the data compiled into this build.
    Current,
    /// The dump matches its digest but is not this build's data (another release).
    OtherRelease,
}

/// Why [`verify`] rejected a dump.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The expected digest is not 64 hexadecimal digits.
    #[error("malformed SHA-256 digest {0:?}: expected 64 hexadecimal digits")]
    MalformedDigest(String),
    /// The dump's SHA-256 differs from the expected one: it was altered or truncated.
    #[error("digest mismatch: expected {expected}, the dump hashes to {actual}")]
    DigestMismatch {
        /// The expected digest, lowercase.
        expected: String,
        /// The dump's own digest.
        actual: String,
    },
}

/// Checks a dump (e.g. a downloaded canonical serialization) against the digest published with
/// it: its SHA-256 must equal `expected_digest` (hexadecimal, either case, surrounding
/// whitespace ignored). On success, tells whether the dump is this build's own data.
pub fn verify(dump: &str, expected_digest: &str) -> Result<Verification, VerifyError> {
    let expected = expected_digest.trim().to_ascii_lowercase();
    if expected.len() != 64 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VerifyError::MalformedDigest(expected_digest.to_owned()));
    }
    let actual = sha256_hex(dump.as_bytes());
    if actual != expected {
        return Err(VerifyError::DigestMismatch { expected, actual });
    }
    Ok(if dump == canonical() {
        Verification::Current
    } else {
        Verification::OtherRelease
    })
}
