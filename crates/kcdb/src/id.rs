//! Identifiers parsed at the edge: comparison identifiers, institute acronyms, ROR and DOI
//! identifiers, and the closed vocabularies they imply (consultative committee, RMO, metrology
//! area, key or supplementary, CIPM or RMO scope).
//!
//! Why newtypes: a [`ComparisonId`] or [`InstituteCode`] that exists has been validated once, so
//! the rest of the crate (the access policy, the importers, the exports) never re-checks strings.
//!
//! The comparison identifier grammar follows the identifiers in use in the KCDB
//! (<https://www.bipm.org/kcdb/comparison>) and the naming rules of CIPM MRA-G-11
//! ("Measurement comparisons in the CIPM MRA", §4: a comparison is identified by the organising
//! body, the metrology area / field, `K` for key or `S` for supplementary, and a number):
//!
//! ```text
//! id       = body [ "." area ] "-" kind number [ "." suffix ]
//! body     = ORG [ "(" ROMAN ")" ]          CCM, CCRI(II), BIPM, EURAMET, APMP, …
//! area     = SEG { "." SEG }                 M, RI(II), EM.RF, M.P, AUV.A
//! SEG      = UPPER { UPPER | DIGIT } [ "(" ROMAN ")" ]
//! kind     = "K" | "S"
//! number   = DIGIT { DIGIT } { LOWER }        8, 001, 46a
//! suffix   = printable ASCII without spaces   2021, Co-60, Cs-137(1982), a.2017
//! ```
//!
//! `ORG` is one of the nine consultative committees of the CIPM (CCAUV, CCEM, CCL, CCM, CCPR,
//! CCQM, CCRI, CCT, CCTF), the BIPM, or a regional metrology organisation (AFRIMETS, APMP,
//! COOMET, EURAMET — and EUROMET, its name until 2007 —, GULFMET, SIM). Comparisons organised by a
//! CC or the BIPM are CIPM comparisons; the others are RMO comparisons (CIPM MRA §6).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Maximum length of a comparison identifier, in bytes.
const MAX_ID_LEN: usize = 80;
/// Maximum length of an institute code, in bytes.
const MAX_CODE_LEN: usize = 40;

/// A consultative committee of the CIPM (the nine that run key comparisons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ConsultativeCommittee {
    /// Acoustics, Ultrasound and Vibration.
    #[serde(rename = "CCAUV")]
    Ccauv,
    /// Electricity and Magnetism.
    #[serde(rename = "CCEM")]
    Ccem,
    /// Length.
    #[serde(rename = "CCL")]
    Ccl,
    /// Mass and Related Quantities.
    #[serde(rename = "CCM")]
    Ccm,
    /// Photometry and Radiometry.
    #[serde(rename = "CCPR")]
    Ccpr,
    /// Amount of Substance: Metrology in Chemistry and Biology.
    #[serde(rename = "CCQM")]
    Ccqm,
    /// Ionizing Radiation.
    #[serde(rename = "CCRI")]
    Ccri,
    /// Thermometry.
    #[serde(rename = "CCT")]
    Cct,
    /// Time and Frequency.
    #[serde(rename = "CCTF")]
    Cctf,
}

impl ConsultativeCommittee {
    /// All nine committees.
    pub const ALL: [ConsultativeCommittee; 9] = [
        ConsultativeCommittee::Ccauv,
        ConsultativeCommittee::Ccem,
        ConsultativeCommittee::Ccl,
        ConsultativeCommittee::Ccm,
        ConsultativeCommittee::Ccpr,
        ConsultativeCommittee::Ccqm,
        ConsultativeCommittee::Ccri,
        ConsultativeCommittee::Cct,
        ConsultativeCommittee::Cctf,
    ];

    /// The acronym (`CCM`).
    pub fn acronym(self) -> &'static str {
        match self {
            ConsultativeCommittee::Ccauv => "CCAUV",
            ConsultativeCommittee::Ccem => "CCEM",
            ConsultativeCommittee::Ccl => "CCL",
            ConsultativeCommittee::Ccm => "CCM",
            ConsultativeCommittee::Ccpr => "CCPR",
            ConsultativeCommittee::Ccqm => "CCQM",
            ConsultativeCommittee::Ccri => "CCRI",
            ConsultativeCommittee::Cct => "CCT",
            ConsultativeCommittee::Cctf => "CCTF",
        }
    }

    /// The KCDB metrology area the committee covers.
    pub fn area(self) -> MetrologyArea {
        match self {
            ConsultativeCommittee::Ccauv => MetrologyArea::Auv,
            ConsultativeCommittee::Ccem => MetrologyArea::Em,
            ConsultativeCommittee::Ccl => MetrologyArea::L,
            ConsultativeCommittee::Ccm => MetrologyArea::M,
            ConsultativeCommittee::Ccpr => MetrologyArea::Pr,
            ConsultativeCommittee::Ccqm => MetrologyArea::Qm,
            ConsultativeCommittee::Ccri => MetrologyArea::Ri,
            ConsultativeCommittee::Cct => MetrologyArea::T,
            ConsultativeCommittee::Cctf => MetrologyArea::Tf,
        }
    }

    /// The committee with this acronym (exact, upper case).
    pub fn from_acronym(text: &str) -> Option<ConsultativeCommittee> {
        Self::ALL.into_iter().find(|c| c.acronym() == text)
    }
}

impl fmt::Display for ConsultativeCommittee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.acronym())
    }
}

/// A KCDB metrology area (the codes used in KCDB identifiers and CMC codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MetrologyArea {
    /// Acoustics, ultrasound, vibration (`AUV`).
    #[serde(rename = "AUV")]
    Auv,
    /// Electricity and magnetism (`EM`).
    #[serde(rename = "EM")]
    Em,
    /// Length (`L`).
    #[serde(rename = "L")]
    L,
    /// Mass and related quantities (`M`).
    #[serde(rename = "M")]
    M,
    /// Photometry and radiometry (`PR`).
    #[serde(rename = "PR")]
    Pr,
    /// Chemistry and biology (`QM`).
    #[serde(rename = "QM")]
    Qm,
    /// Ionizing radiation (`RI`).
    #[serde(rename = "RI")]
    Ri,
    /// Thermometry (`T`).
    #[serde(rename = "T")]
    T,
    /// Time and frequency (`TF`).
    #[serde(rename = "TF")]
    Tf,
}

impl MetrologyArea {
    /// All areas.
    pub const ALL: [MetrologyArea; 9] = [
        MetrologyArea::Auv,
        MetrologyArea::Em,
        MetrologyArea::L,
        MetrologyArea::M,
        MetrologyArea::Pr,
        MetrologyArea::Qm,
        MetrologyArea::Ri,
        MetrologyArea::T,
        MetrologyArea::Tf,
    ];

    /// The KCDB code (`RI`).
    pub fn code(self) -> &'static str {
        match self {
            MetrologyArea::Auv => "AUV",
            MetrologyArea::Em => "EM",
            MetrologyArea::L => "L",
            MetrologyArea::M => "M",
            MetrologyArea::Pr => "PR",
            MetrologyArea::Qm => "QM",
            MetrologyArea::Ri => "RI",
            MetrologyArea::T => "T",
            MetrologyArea::Tf => "TF",
        }
    }

    /// The consultative committee responsible for the area.
    pub fn committee(self) -> ConsultativeCommittee {
        ConsultativeCommittee::ALL
            .into_iter()
            .find(|c| c.area() == self)
            .unwrap_or(ConsultativeCommittee::Ccm)
    }

    /// The area with this code (exact, upper case).
    pub fn from_code(text: &str) -> Option<MetrologyArea> {
        Self::ALL.into_iter().find(|a| a.code() == text)
    }
}

impl fmt::Display for MetrologyArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A regional metrology organisation (CIPM MRA, Appendix A; JCRB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rmo {
    /// Intra-Africa Metrology System.
    #[serde(rename = "AFRIMETS")]
    Afrimets,
    /// Asia Pacific Metrology Programme.
    #[serde(rename = "APMP")]
    Apmp,
    /// Euro-Asian Cooperation of National Metrological Institutions.
    #[serde(rename = "COOMET")]
    Coomet,
    /// European Association of National Metrology Institutes.
    #[serde(rename = "EURAMET")]
    Euramet,
    /// EUROMET, the name of EURAMET until 2007 (old comparison identifiers keep it).
    #[serde(rename = "EUROMET")]
    Euromet,
    /// Gulf Association for Metrology.
    #[serde(rename = "GULFMET")]
    Gulfmet,
    /// Inter-American Metrology System.
    #[serde(rename = "SIM")]
    Sim,
}

impl Rmo {
    /// All RMOs (with the historical EUROMET).
    pub const ALL: [Rmo; 7] = [
        Rmo::Afrimets,
        Rmo::Apmp,
        Rmo::Coomet,
        Rmo::Euramet,
        Rmo::Euromet,
        Rmo::Gulfmet,
        Rmo::Sim,
    ];

    /// The acronym (`EURAMET`).
    pub fn acronym(self) -> &'static str {
        match self {
            Rmo::Afrimets => "AFRIMETS",
            Rmo::Apmp => "APMP",
            Rmo::Coomet => "COOMET",
            Rmo::Euramet => "EURAMET",
            Rmo::Euromet => "EUROMET",
            Rmo::Gulfmet => "GULFMET",
            Rmo::Sim => "SIM",
        }
    }

    /// The RMO with this acronym (ASCII case-insensitive, surrounding spaces ignored).
    pub fn from_acronym(text: &str) -> Option<Rmo> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.acronym().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Rmo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.acronym())
    }
}

/// Key or supplementary comparison (CIPM MRA §6; MRA-G-11 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComparisonKind {
    /// Key comparison (`K`): gives degrees of equivalence to a KCRV.
    Key,
    /// Supplementary comparison (`S`).
    Supplementary,
}

/// Who organises the comparison: the CIPM (through a CC or the BIPM) or an RMO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// A CIPM comparison (organised by a consultative committee or by the BIPM).
    Cipm,
    /// An RMO comparison.
    Rmo(Rmo),
}

/// The organisation that runs a comparison, as named by the identifier's first element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    /// A consultative committee (`CCRI(II)` is [`ConsultativeCommittee::Ccri`]).
    Committee(ConsultativeCommittee),
    /// The BIPM.
    Bipm,
    /// A regional metrology organisation.
    Rmo(Rmo),
}

/// Why a comparison identifier was refused. Positions are byte offsets into the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Empty input.
    #[error("empty comparison identifier")]
    Empty,
    /// Longer than the limit.
    #[error("comparison identifier longer than {MAX_ID_LEN} bytes")]
    TooLong,
    /// A character outside printable ASCII, or a space.
    #[error("at {position}: character {found:?} is not allowed in a comparison identifier")]
    BadCharacter {
        /// Byte offset.
        position: usize,
        /// The character.
        found: char,
    },
    /// No `-K…` / `-S…` part.
    #[error("missing '-K<number>' or '-S<number>' (e.g. CCM.M-K8)")]
    MissingKind,
    /// The organising body is not a CC, the BIPM or an RMO.
    #[error(
        "unknown organising body '{0}' (expected a CIPM consultative committee, BIPM or an RMO)"
    )]
    UnknownBody(String),
    /// A malformed element.
    #[error("at {position}: {message}")]
    Malformed {
        /// Byte offset.
        position: usize,
        /// The reason.
        message: String,
    },
}

/// A KCDB comparison identifier such as `CCM.M-K8.2021`, `BIPM.RI(II)-K1.Co-60`, `CCQM-K30`,
/// `EURAMET.EM-S42` (grammar in the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ComparisonId {
    text: String,
    /// Byte length of the body (`CCRI(II)`).
    body_end: usize,
    /// Byte offset of the `-` before the kind letter.
    dash: usize,
    /// Byte offset of the end of the number.
    number_end: usize,
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'))
}

/// Checks `NAME[(ROMAN)]` with NAME = UPPER {UPPER|DIGIT}; returns the name part.
fn segment(s: &str, at: usize) -> Result<&str, IdError> {
    let (name, section) = match s.find('(') {
        Some(open) => {
            let Some(inner) = s[open + 1..].strip_suffix(')') else {
                return Err(IdError::Malformed {
                    position: at + open,
                    message: format!("unbalanced parenthesis in '{s}'"),
                });
            };
            (&s[..open], Some((open + 1, inner)))
        }
        None => (s, None),
    };
    let mut bytes = name.bytes();
    if !bytes.next().is_some_and(|b| b.is_ascii_uppercase())
        || !bytes.all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(IdError::Malformed {
            position: at,
            message: format!("'{s}' is not an upper-case code (like M, RI(II), EM or CCM)"),
        });
    }
    if let Some((offset, inner)) = section {
        if !is_roman(inner) {
            return Err(IdError::Malformed {
                position: at + offset,
                message: format!("'{inner}' is not a section in Roman numerals (I, II, III)"),
            });
        }
    }
    Ok(name)
}

impl ComparisonId {
    /// Parses and validates an identifier (surrounding whitespace is not accepted).
    pub fn parse(text: &str) -> Result<ComparisonId, IdError> {
        if text.is_empty() {
            return Err(IdError::Empty);
        }
        if text.len() > MAX_ID_LEN {
            return Err(IdError::TooLong);
        }
        if let Some((position, found)) = text.char_indices().find(|(_, c)| !c.is_ascii_graphic()) {
            return Err(IdError::BadCharacter { position, found });
        }
        // The prefix (body and area) has no '-': the first '-' starts the kind.
        let dash = text.find('-').ok_or(IdError::MissingKind)?;
        let prefix = &text[..dash];
        let rest = &text[dash + 1..];
        let mut segments = Vec::new();
        let mut at = 0;
        for seg in prefix.split('.') {
            if seg.is_empty() {
                return Err(IdError::Malformed {
                    position: at,
                    message: "empty element before '-'".into(),
                });
            }
            segments.push((at, seg));
            at += seg.len() + 1;
        }
        let (_, body_text) = segments[0];
        let body_name = segment(body_text, 0)?;
        Self::body_of(body_name).ok_or_else(|| IdError::UnknownBody(body_text.to_string()))?;
        if body_text.contains('(') && !body_name.starts_with("CC") {
            return Err(IdError::Malformed {
                position: 0,
                message: format!("only a consultative committee has sections ('{body_text}')"),
            });
        }
        for &(at, seg) in &segments[1..] {
            segment(seg, at)?;
        }
        let kind = rest.as_bytes().first().copied();
        if !matches!(kind, Some(b'K' | b'S')) {
            return Err(IdError::MissingKind);
        }
        let digits = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(IdError::Malformed {
                position: dash + 2,
                message: "expected the comparison number after K or S".into(),
            });
        }
        let letters = rest[1 + digits..]
            .bytes()
            .take_while(u8::is_ascii_lowercase)
            .count();
        let number_end = dash + 2 + digits + letters;
        let tail = &text[number_end..];
        if !tail.is_empty() {
            let Some(suffix) = tail.strip_prefix('.') else {
                return Err(IdError::Malformed {
                    position: number_end,
                    message: format!("expected '.' after the number, found '{tail}'"),
                });
            };
            if suffix.is_empty() || suffix.split('.').any(str::is_empty) {
                return Err(IdError::Malformed {
                    position: number_end + 1,
                    message: "empty element in the suffix".into(),
                });
            }
            let mut depth = 0i32;
            for (i, c) in suffix.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    c if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '+') => {}
                    found => {
                        return Err(IdError::BadCharacter {
                            position: number_end + 1 + i,
                            found,
                        })
                    }
                }
                if depth < 0 {
                    break;
                }
            }
            if depth != 0 {
                return Err(IdError::Malformed {
                    position: number_end + 1,
                    message: "unbalanced parenthesis in the suffix".into(),
                });
            }
        }
        Ok(ComparisonId {
            text: text.to_string(),
            body_end: body_text.len(),
            dash,
            number_end,
        })
    }

    fn body_of(name: &str) -> Option<Body> {
        if name == "BIPM" {
            return Some(Body::Bipm);
        }
        if let Some(cc) = ConsultativeCommittee::from_acronym(name) {
            return Some(Body::Committee(cc));
        }
        Rmo::ALL
            .into_iter()
            .find(|r| r.acronym() == name)
            .map(Body::Rmo)
    }

    /// The identifier as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The organising body element as written (`CCRI(II)`, `BIPM`, `EURAMET`).
    pub fn body_text(&self) -> &str {
        &self.text[..self.body_end]
    }

    /// The organising body.
    pub fn body(&self) -> Body {
        let name = self.body_text().split('(').next().unwrap_or_default();
        Self::body_of(name).unwrap_or(Body::Bipm)
    }

    /// The area / field elements between the body and the kind (`RI(II)`, `M.P`), if any.
    pub fn area_text(&self) -> Option<&str> {
        (self.body_end < self.dash).then(|| &self.text[self.body_end + 1..self.dash])
    }

    /// Key (`K`) or supplementary (`S`).
    pub fn kind(&self) -> ComparisonKind {
        if self.text.as_bytes().get(self.dash + 1) == Some(&b'S') {
            ComparisonKind::Supplementary
        } else {
            ComparisonKind::Key
        }
    }

    /// The number with its letter, without the kind (`8`, `46a`).
    pub fn number(&self) -> &str {
        &self.text[self.dash + 2..self.number_end]
    }

    /// The text after the number and its `.` (`2021`, `Co-60`), if any.
    pub fn suffix(&self) -> Option<&str> {
        self.text
            .get(self.number_end + 1..)
            .filter(|s| !s.is_empty())
    }

    /// CIPM (CC or BIPM) or RMO.
    pub fn scope(&self) -> Scope {
        match self.body() {
            Body::Rmo(r) => Scope::Rmo(r),
            Body::Committee(_) | Body::Bipm => Scope::Cipm,
        }
    }

    /// The metrology area: that of the committee for a CC comparison, otherwise the first area
    /// element when it is a KCDB area code (`RI(II)` → RI).
    pub fn metrology_area(&self) -> Option<MetrologyArea> {
        match self.body() {
            Body::Committee(cc) => Some(cc.area()),
            Body::Bipm | Body::Rmo(_) => {
                let first = self.area_text()?.split('.').next()?;
                MetrologyArea::from_code(first.split('(').next()?)
            }
        }
    }

    /// The consultative committee under which the comparison falls (its body, or the committee of
    /// its metrology area).
    pub fn committee(&self) -> Option<ConsultativeCommittee> {
        match self.body() {
            Body::Committee(cc) => Some(cc),
            Body::Bipm | Body::Rmo(_) => self.metrology_area().map(MetrologyArea::committee),
        }
    }
}

impl fmt::Display for ComparisonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for ComparisonId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        ComparisonId::parse(s)
    }
}

impl TryFrom<String> for ComparisonId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        ComparisonId::parse(&s)
    }
}

impl From<ComparisonId> for String {
    fn from(id: ComparisonId) -> String {
        id.text
    }
}

/// Why an institute code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InstituteCodeError {
    /// Empty (after no trimming: surrounding spaces are refused too).
    #[error("empty institute code")]
    Empty,
    /// Longer than the limit.
    #[error("institute code longer than {MAX_CODE_LEN} bytes")]
    TooLong,
    /// A character that is not allowed at this place.
    #[error("at {position}: character {found:?} is not allowed in an institute code")]
    BadCharacter {
        /// Byte offset.
        position: usize,
        /// The character.
        found: char,
    },
}

/// An institute acronym as used by the KCDB (`PTB`, `NIST`, `LNE-LNHB`, `ENEA-INMRI`, `BelGIM`,
/// `NMIJ/AIST`, `Lab 1` in anonymised data sets).
///
/// Grammar: ASCII letters and digits, with single separators `-`, `/`, `.`, `_`, `&`, `+` or a
/// space between them; it starts with a letter or digit and ends with one (or with `.`). Case is
/// kept and significant (`BelGIM`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InstituteCode(String);

impl InstituteCode {
    /// Parses and validates a code.
    pub fn parse(text: &str) -> Result<InstituteCode, InstituteCodeError> {
        if text.is_empty() {
            return Err(InstituteCodeError::Empty);
        }
        if text.len() > MAX_CODE_LEN {
            return Err(InstituteCodeError::TooLong);
        }
        let is_sep = |c: char| matches!(c, '-' | '/' | '.' | '_' | '&' | '+' | ' ');
        let mut previous_sep = true; // refuses a leading separator
        for (position, c) in text.char_indices() {
            if c.is_ascii_alphanumeric() {
                previous_sep = false;
            } else if is_sep(c) && !previous_sep {
                previous_sep = true;
            } else {
                return Err(InstituteCodeError::BadCharacter { position, found: c });
            }
        }
        if previous_sep && !text.ends_with('.') {
            let (position, found) = text.char_indices().last().unwrap_or((0, ' '));
            return Err(InstituteCodeError::BadCharacter { position, found });
        }
        Ok(InstituteCode(text.to_string()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InstituteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for InstituteCode {
    type Err = InstituteCodeError;
    fn from_str(s: &str) -> Result<Self, InstituteCodeError> {
        InstituteCode::parse(s)
    }
}

impl TryFrom<String> for InstituteCode {
    type Error = InstituteCodeError;
    fn try_from(s: String) -> Result<Self, InstituteCodeError> {
        InstituteCode::parse(&s)
    }
}

impl From<InstituteCode> for String {
    fn from(c: InstituteCode) -> String {
        c.0
    }
}

/// A malformed ROR or DOI identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a valid {what}: {reason}")]
pub struct PidError {
    /// `ROR identifier` or `DOI`.
    pub what: &'static str,
    /// The input (truncated to 100 characters).
    pub text: String,
    /// The reason.
    pub reason: &'static str,
}

fn pid_error(what: &'static str, text: &str, reason: &'static str) -> PidError {
    PidError {
        what,
        text: text.chars().take(100).collect(),
        reason,
    }
}

/// A Research Organization Registry identifier (`https://ror.org/055vkyj43` for the BIPM).
///
/// Accepts the bare 9-character identifier or the `https://ror.org/` URL (also `http://`,
/// `ror.org/`). Checks the format published by ROR (<https://ror.readme.io/docs/identifier>):
/// `0`, six Crockford base-32 characters, and a two-digit ISO/IEC 7064 MOD 97-10 checksum of the
/// base-32 number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ror(String);

const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

impl Ror {
    /// Parses a ROR identifier or URL (ASCII case-insensitive; stored in lower case).
    pub fn parse(text: &str) -> Result<Ror, PidError> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let id = ["https://ror.org/", "http://ror.org/", "ror.org/"]
            .iter()
            .find_map(|p| lower.strip_prefix(p))
            .unwrap_or(&lower);
        let bytes = id.as_bytes();
        if bytes.len() != 9 || bytes[0] != b'0' {
            return Err(pid_error(
                "ROR identifier",
                text,
                "expected 0 followed by 8 characters",
            ));
        }
        let mut number: u64 = 0;
        for &b in &bytes[..7] {
            let Some(v) = CROCKFORD.iter().position(|&c| c == b) else {
                return Err(pid_error(
                    "ROR identifier",
                    text,
                    "not a Crockford base-32 character",
                ));
            };
            number = number * 32 + v as u64;
        }
        let check = std::str::from_utf8(&bytes[7..])
            .ok()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<u64>().ok());
        if check != Some(98 - (number * 100) % 97) {
            return Err(pid_error("ROR identifier", text, "checksum mismatch"));
        }
        Ok(Ror(id.to_string()))
    }

    /// The 9-character identifier (`055vkyj43`).
    pub fn id(&self) -> &str {
        &self.0
    }

    /// The URL form (`https://ror.org/055vkyj43`).
    pub fn url(&self) -> String {
        format!("https://ror.org/{}", self.0)
    }
}

impl fmt::Display for Ror {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "https://ror.org/{}", self.0)
    }
}

impl TryFrom<String> for Ror {
    type Error = PidError;
    fn try_from(s: String) -> Result<Self, PidError> {
        Ror::parse(&s)
    }
}

impl From<Ror> for String {
    fn from(r: Ror) -> String {
        r.url()
    }
}

/// A Digital Object Identifier (`10.1088/0026-1394/60/1A/06010`), e.g. of a comparison's final
/// report in the Metrologia Technical Supplement.
///
/// Accepts the bare DOI or a `https://doi.org/` (also `http://`, `dx.doi.org`, `doi:`) form;
/// checks the `10.<registrant>/<suffix>` syntax of ISO 26324 / the DOI Handbook §2.2.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Doi(String);

impl Doi {
    /// Parses a DOI or DOI URL.
    pub fn parse(text: &str) -> Result<Doi, PidError> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let skip = [
            "https://doi.org/",
            "http://doi.org/",
            "https://dx.doi.org/",
            "http://dx.doi.org/",
            "doi:",
        ]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(0, |p| p.len());
        let doi = &t[skip..];
        let Some((prefix, suffix)) = doi.split_once('/') else {
            return Err(pid_error("DOI", text, "expected 10.<registrant>/<suffix>"));
        };
        let registrant = prefix.strip_prefix("10.").unwrap_or_default();
        if registrant.is_empty()
            || !registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            || suffix.is_empty()
            || doi.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(pid_error("DOI", text, "expected 10.<registrant>/<suffix>"));
        }
        Ok(Doi(doi.to_string()))
    }

    /// The DOI (`10.1088/…`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The resolver URL (`https://doi.org/10.1088/…`).
    pub fn url(&self) -> String {
        format!("https://doi.org/{}", self.0)
    }
}

impl fmt::Display for Doi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Doi {
    type Error = PidError;
    fn try_from(s: String) -> Result<Self, PidError> {
        Doi::parse(&s)
    }
}

impl From<Doi> for String {
    fn from(d: Doi) -> String {
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_ids() {
        let id = ComparisonId::parse("BIPM.RI(II)-K1.Co-60").unwrap();
        assert_eq!(id.body(), Body::Bipm);
        assert_eq!(id.area_text(), Some("RI(II)"));
        assert_eq!(id.kind(), ComparisonKind::Key);
        assert_eq!(id.number(), "1");
        assert_eq!(id.suffix(), Some("Co-60"));
        assert_eq!(id.scope(), Scope::Cipm);
        assert_eq!(id.metrology_area(), Some(MetrologyArea::Ri));
        assert_eq!(id.committee(), Some(ConsultativeCommittee::Ccri));

        let id = ComparisonId::parse("EURAMET.EM-S42").unwrap();
        assert_eq!(id.kind(), ComparisonKind::Supplementary);
        assert_eq!(id.scope(), Scope::Rmo(Rmo::Euramet));
        assert_eq!(id.committee(), Some(ConsultativeCommittee::Ccem));
        assert_eq!(id.suffix(), None);

        let id = ComparisonId::parse("CCM.M-K8.2021").unwrap();
        assert_eq!(id.committee(), Some(ConsultativeCommittee::Ccm));
        assert_eq!(id.area_text(), Some("M"));
        assert_eq!(id.suffix(), Some("2021"));

        let id = ComparisonId::parse("CCRI(II)-K2.Cs-137(1982)").unwrap();
        assert_eq!(id.body_text(), "CCRI(II)");
        assert_eq!(id.committee(), Some(ConsultativeCommittee::Ccri));
        for ok in [
            "CCQM-K30",
            "COOMET.RI(II)-K2.Cs-137(2007)",
            "APMP.M.P-K7",
            "CCQM-K46a",
            "EURAMET.EM.RF-K8.CL",
            "CCTF-K001.UTC",
            "SIM.AUV.A-K1",
        ] {
            assert!(ComparisonId::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "CCQM",
            "CCQM-X1",
            "CCQM-K",
            "FOO-K1",
            "CCQM-K25 (PCB 105)",
            "CCM..M-K1",
            "CCM.M-K1.",
            "BIPM(II)-K1",
            "CCM.M-K1.a(",
            "ccm.M-K1",
            "CCRI(IIa)-K1",
            "CCM.m-K1",
        ] {
            assert!(ComparisonId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn institute_codes() {
        for ok in [
            "PTB",
            "LNE-LNHB",
            "ENEA-INMRI",
            "NMIJ/AIST",
            "BelGIM",
            "Lab 1",
        ] {
            assert!(InstituteCode::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", " PTB", "PTB ", "A--B", "-A", "NIST\n", "Ü"] {
            assert!(InstituteCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ror_and_doi() {
        let r = Ror::parse("https://ror.org/055vkyj43").unwrap();
        assert_eq!(r.id(), "055vkyj43");
        assert!(Ror::parse("https://ror.org/055vkyj44").is_err());
        assert!(Ror::parse("055vkyj4").is_err());
        let d = Doi::parse("https://doi.org/10.1088/0026-1394/60/1A/06010").unwrap();
        assert_eq!(d.as_str(), "10.1088/0026-1394/60/1A/06010");
        assert!(Doi::parse("http://www.bipm.org/a.pdf").is_err());
        assert!(Doi::parse("").is_err());
    }
}
