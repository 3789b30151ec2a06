//! The SI reference data: defining constants, prefixes, units and quantity kinds as published in
//! the SI Brochure (9th edition, 2019, v2.01 of 2022 with ronna, quetta, ronto and quecto), with
//! the persistent identifiers, labels and symbols of the BIPM SI Reference Point v1.0.0
//! (`https://si-digital-framework.org/...`, CC BY 3.0 IGO).
//!
//! Why compiled in: the data is small, changes only with a CGPM decision, and every notation
//! parser of this crate needs it without I/O. Why strings for numbers: every value here is exact
//! (or, for the dalton, a recommended value quoted with its uncertainty), and a float would lose
//! that; the strings follow the exact-number grammar described on [`UnitDef::factor`], a subset
//! of what the crate's `factor` module parses.
//!
//! Besides the four tables ([`UNITS`], [`PREFIXES`], [`CONSTANTS`], [`QUANTITIES`]) the module
//! gives an integrity-checkable canonical serialization ([`canonical_json`], [`digest`],
//! [`verify`], [`RELEASE`]) and two linked-data views onto the SI Reference Point vocabulary
//! ([`jsonld_context`], [`turtle`]).

mod canonical;
mod rdf;
mod tables;

pub use canonical::{
    canonical_json, digest, sha256_hex, verify, Verification, VerifyError, RELEASE, SIRP_VERSION,
};
pub use rdf::{jsonld_context, turtle};
pub use tables::*;

/// Order of the seven base dimensions in every `[i8; 7]` dimension vector of this module:
/// T, L, M, I, Θ, N, J, as in SI Brochure §2.3.3 (dim Q = T^α L^β M^γ I^δ Θ^ε N^ζ J^η).
pub const DIMENSION_ORDER: [&str; 7] = ["T", "L", "M", "I", "Θ", "N", "J"];

/// Namespace of the SI Reference Point ontology (`si:` in its Turtle files, `si.ttl`).
pub const SI_NAMESPACE: &str = "https://si-digital-framework.org/SI#";

/// What kind of unit an entry is, following the SI Reference Point classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitClass {
    /// One of the seven SI base units (`si:SIBaseUnit`, SI Brochure Table 2).
    Base,
    /// One of the 22 coherent derived units with special names (`si:SISpecialNamedUnit`,
    /// SI Brochure Table 4).
    SpecialNamed,
    /// A non-SI unit accepted for use with the SI (`si:nonSIUnit`, SI Brochure Table 8).
    NonSiAccepted,
    /// Any other measurement unit the reference point lists (`si:MeasurementUnit`: gram, one).
    Other,
}

impl UnitClass {
    /// Local name of the SI Reference Point class, e.g. `SIBaseUnit`; the class IRI is this
    /// appended to [`SI_NAMESPACE`].
    pub fn sirp_class(self) -> &'static str {
        match self {
            UnitClass::Base => "SIBaseUnit",
            UnitClass::SpecialNamed => "SISpecialNamedUnit",
            UnitClass::NonSiAccepted => "nonSIUnit",
            UnitClass::Other => "MeasurementUnit",
        }
    }

    /// Short stable name used in our JSON: `base`, `special-named`, `non-si-accepted`, `other`.
    pub fn name(self) -> &'static str {
        match self {
            UnitClass::Base => "base",
            UnitClass::SpecialNamed => "special-named",
            UnitClass::NonSiAccepted => "non-si-accepted",
            UnitClass::Other => "other",
        }
    }
}

/// One unit of the reference data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitDef {
    /// Local name in the SI Reference Point, e.g. `metre`, `degreeCelsius`.
    pub id: &'static str,
    /// Persistent identifier, e.g. `https://si-digital-framework.org/SI/units/metre`; empty for
    /// the one unit of SI Brochure Table 8 that the SI Reference Point does not list (decibel).
    pub pid: &'static str,
    /// Symbol as written in the SI Brochure, e.g. `m`, `°C` (U+00B0 then `C`), `Ω` (U+03A9),
    /// `′` (U+2032), `″` (U+2033).
    pub symbol: &'static str,
    /// Other symbols of the same unit sanctioned by the SI Brochure (`si:hasAltSymbol`): `l` for
    /// the litre.
    pub alt_symbols: &'static [&'static str],
    /// English label (`skos:prefLabel` in English of the SI Reference Point).
    pub label_en: &'static str,
    /// French label, as in the French text of the SI Brochure.
    pub label_fr: &'static str,
    /// Class of unit.
    pub class: UnitClass,
    /// Dimension exponents in [`DIMENSION_ORDER`]; the radian, steradian, neper, bel and
    /// decibel are of dimension one (SI Brochure §2.3.3, §5.4.7).
    pub dimension: [i8; 7],
    /// Value of one of this unit in the coherent SI unit [`UnitDef::factor_unit`], as an exact
    /// number: a decimal numeral `[-]digits[.digits][e[-]digits]` (e.g. `"1"`, `"60"`,
    /// `"1.602176634e-19"`) or `pi/N` for an exact submultiple of π (e.g. `"pi/180"`).
    /// Empty for the logarithmic units neper, bel and decibel, whose relation to the unit one
    /// depends on the kind of level (field or power quantity; SI Brochure Table 8, note on
    /// logarithmic ratio quantities); 1 dB = 0.1 B.
    pub factor: &'static str,
    /// The coherent SI unit, in SI text notation, in which [`UnitDef::factor`] is expressed
    /// (the `si:hasUnitTerm` of the SI Reference Point): the unit's own symbol for base and
    /// special-named units, `K` for °C, `kg` for the gram, `rad` for the degree, `m^3` for the
    /// litre; empty for the logarithmic units.
    pub factor_unit: &'static str,
    /// Standard uncertainty of [`UnitDef::factor`], in the same unit, when the factor is a
    /// measured value rather than an exact one (only the dalton: CODATA 2022 value
    /// 1.660 539 068 92(52) × 10⁻²⁷ kg as in the SI Reference Point); empty when exact.
    pub factor_uncertainty: &'static str,
    /// Exact offset added after scaling, for affine units (`"273.15"` for °C: T/K = t/°C +
    /// 273.15, SI Brochure §2.3.1), else `"0"`.
    pub offset: &'static str,
    /// Whether SI prefixes may be attached: the negation of the SI Reference Point's
    /// `si:prefixRestriction` (false for kilogram, one, minute, hour, day, degree, arcminute,
    /// arcsecond, hectare, astronomical unit, tonne, neper; SI Brochure §3 and Table 8), and
    /// false for the decibel, which already carries one.
    pub prefixable: bool,
    /// CGPM decision that adopted the unit's special name or, for a base unit, its current
    /// definition (26th CGPM, 2018, Resolution 1; the SI Reference Point attaches that one to
    /// the definition node `si:metre2018`... rather than to the unit), as the local name of its
    /// SI Reference Point identifier (`https://si-digital-framework.org/bodies/CGPM#` + this),
    /// e.g. `CGPM26-Res1`; empty for the non-SI units, gram and one.
    pub resolution: &'static str,
    /// The D-SI macro name without backslash (PTB D-SI), e.g. `metre`, `degreecelsius`.
    pub dsi: &'static str,
    /// The UCUM case-sensitive code, e.g. `m`, `Cel`, `har`; empty when UCUM has none. The code
    /// names the same unit, but UCUM's own value can differ from the SI Brochure's (UCUM `AU` is
    /// 149 597.870 691 Mm, UCUM `u` is 1.660 539 066 60 × 10⁻²⁴ g).
    pub ucum: &'static str,
}

impl UnitDef {
    /// Whether [`UnitDef::factor`] is exact (every unit but the dalton).
    pub fn is_exact(&self) -> bool {
        self.factor_uncertainty.is_empty()
    }

    /// Whether this is one of the logarithmic units (neper, bel, decibel), which have no
    /// conversion factor to the unit one.
    pub fn is_logarithmic(&self) -> bool {
        self.factor.is_empty()
    }
}

/// One SI prefix (SI Brochure §3, Table 7; CGPM 2022, Resolution 3 for ronna, quetta, ronto,
/// quecto).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefixDef {
    /// Local name, e.g. `kilo`.
    pub id: &'static str,
    /// Persistent identifier, e.g. `https://si-digital-framework.org/SI/prefixes/kilo`.
    pub pid: &'static str,
    /// Symbol, e.g. `k`; micro is `μ` U+03BC GREEK SMALL LETTER MU, as in the SI Brochure and
    /// the SI Reference Point (see [`COMPATIBILITY_SYMBOLS`] for U+00B5 MICRO SIGN).
    pub symbol: &'static str,
    /// Power of ten.
    pub exponent: i32,
    /// English label.
    pub label_en: &'static str,
    /// French label.
    pub label_fr: &'static str,
    /// UCUM code of the prefix, e.g. `u` for micro; empty where UCUM has none (ronna, quetta,
    /// ronto, quecto are not in UCUM 2.2).
    pub ucum: &'static str,
    /// The D-SI macro name without backslash (PTB D-SI), e.g. `kilo`, `deca`.
    pub dsi: &'static str,
    /// CGPM decision that adopted the prefix, local name of its SI Reference Point identifier
    /// (see [`UnitDef::resolution`]), e.g. `CGPM27-Res3`.
    pub resolution: &'static str,
}

/// One of the seven defining constants of the SI (SI Brochure §2.2, Table 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConstantDef {
    /// Local name, e.g. `SpeedOfLight` as in the SI Reference Point.
    pub id: &'static str,
    /// Persistent identifier, e.g. `https://si-digital-framework.org/constants/SpeedOfLight`.
    pub pid: &'static str,
    /// Symbol in plain Unicode, e.g. `c`, `ΔνCs`, `NA` (the subscripts written inline).
    pub symbol: &'static str,
    /// Symbol as LaTeX, exactly as the SI Reference Point gives it, e.g. `${N_{\rm{A}}}$`.
    pub symbol_latex: &'static str,
    /// English label (the SI Reference Point's, e.g. `speed of light`).
    pub label_en: &'static str,
    /// French label (SI Brochure, French text, Table 1).
    pub label_fr: &'static str,
    /// Exact value as an exact decimal string, e.g. `"299792458"`, `"6.62607015e-34"`.
    pub value: &'static str,
    /// Unit in SI text notation, e.g. `m s^-1`, `J s`.
    pub unit: &'static str,
    /// CGPM decision that fixed the value, local name of its SI Reference Point identifier
    /// (see [`UnitDef::resolution`]), e.g. `CGPM26-Res1`.
    pub resolution: &'static str,
}

/// A kind of quantity with its dimension (SI Reference Point quantities graph, which follows
/// SI Brochure Tables 2, 4, 5 and 6 and the quantities of the CIPM key comparisons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuantityDef {
    /// Identifier, e.g. `LENG` as in the SI Reference Point quantities graph.
    pub id: &'static str,
    /// Persistent identifier in the SI Reference Point, e.g.
    /// `https://si-digital-framework.org/quantities/LENG`.
    pub pid: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// French label.
    pub label_fr: &'static str,
    /// Dimension exponents in [`DIMENSION_ORDER`].
    pub dimension: [i8; 7],
    /// The coherent SI unit in SI text notation, e.g. `m`, `J K^-1 mol^-1`, `1`.
    pub unit: &'static str,
    /// Whether [`QuantityDef::unit`] is the SI Reference Point's own `si:hasUnit`. When false the
    /// reference point gives no unit and ours is the coherent unit of ISO 80000: `1` for the
    /// ratios and indices, `T` for the magnetic polarization (ISO 80000-6).
    pub unit_from_sirp: bool,
}

/// Unicode compatibility characters that stand for a symbol of these tables, as
/// (compatibility character, symbol): U+00B5 MICRO SIGN for the prefix micro, U+2126 OHM SIGN
/// for the ohm, U+2103 DEGREE CELSIUS for °C. Unicode normalization (NFKC) maps each onto the
/// symbol; the SI Brochure uses the symbols only.
pub static COMPATIBILITY_SYMBOLS: &[(&str, &str)] = &[
    ("\u{b5}", "\u{3bc}"),
    ("\u{2126}", "\u{3a9}"),
    ("\u{2103}", "\u{b0}C"),
];
