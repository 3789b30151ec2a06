//! The D-SI unit and prefix tables: every `\macro` name the PTB reference implementation
//! (`dsiunits` 3.1, module `unit_mapping`) accepts, with its UTF-8 and LaTeX renderings, the
//! D-SI syntax rule it is subject to, and the atom of this crate it denotes.
//!
//! Why a table of our own: D-SI names more units than the SI Brochure tables of
//! [`crate::reference`] (percent, ppm, bit, byte, the discouraged atomic units, ...). Units of
//! the SI Brochure map onto the SI atoms built by [`crate::si_text`] (so that D-SI, SI text and
//! the SI Reference Point share atoms); the others get atoms of their own, defined here from
//! their exact values (SI Brochure 9th ed. Table 8 where it applies, CODATA 2022 for the
//! measured atomic units, which `dsiunits` quotes partly from CODATA 2018).
//!
//! Source of the names and syntax rules: D. Hutzschenreuter et al., *SmartCom Digital System of
//! Units (D-SI) Guide for the use of the metadata-format used in metrology for the easy-to-use,
//! safe, harmonised and unambiguous digital transfer of metrological data*, PTB 2019/2020,
//! DOI 10.5281/zenodo.3522631; and the `dsiunits` package (PTB, LGPL), whose rule sets R010
//! (no prefix), R011 (no `\kilo\gram`), R012 (no `\deci\bel`) and R014 (no prefix or exponent on
//! `\one`, `\percent`, `\ppm`) are encoded in [`Rule`].

use std::sync::OnceLock;

use num_bigint::BigUint;

use crate::dimension::Dimension;
use crate::expr::{Atom, Prefix};
use crate::factor::Factor;
use crate::notation::Notation;

/// The syntax rule a D-SI unit is subject to (D-SI regular-expression rules as in `dsiunits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Any decimal (SI) prefix, any exponent.
    Any,
    /// R010: no prefix (`\day`, `\decibel`, `\degreecelsius`, `\hectare`, `\hour`, `\kilogram`,
    /// `\minute`, `\mmHg`).
    NoPrefix,
    /// R010 and R014: neither prefix nor exponent (`\one`, `\percent`, `\ppm`).
    Bare,
    /// R011 / R012: any decimal prefix but this one (`\gram` not `\kilo`, `\bel` not `\deci`).
    NotPrefix(&'static str),
    /// Only binary prefixes (`\bit`, `\byte`).
    Binary,
}

/// What kind of "extra" base quantity a D-SI unit carries for commensurability in `dsiunits`,
/// which resolves the radian, the steradian and the bit to themselves rather than to the unit
/// one (SI Brochure Table 4 makes rad = m/m and sr = m²/m² of dimension one; D-SI keeps them
/// apart so that `\one` and `\radian` are not scalable into each other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Nothing beyond the SI dimension.
    Plain,
    /// Plane angle (radian, degree, arcminute, arcsecond).
    Angle,
    /// Solid angle (steradian; lumen = cd·sr and lux = cd·sr/m²).
    SolidAngle,
    /// Information (bit, byte).
    Information,
}

/// How a D-SI unit maps onto an atom of this crate.
#[derive(Debug, Clone, Copy)]
enum Def {
    /// The SI atom with this symbol ([`crate::si_text::atom`]).
    Si(&'static str),
    /// The decibel: deci + the SI bel (SI Brochure Table 8: 1 dB = 0.1 B).
    Decibel,
    /// An atom of its own, with the same value as the SI atom of this symbol.
    SameAs(&'static str),
    /// An atom of its own: exact value in coherent SI (grammar of [`Factor::parse`]), dimension
    /// (T, L, M, I, Θ, N, J), UCUM code of the same unit where UCUM has one.
    Own(&'static str, [i8; 7], &'static str),
}

/// One D-SI unit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitDef {
    /// The macro name without backslash, e.g. `metre`.
    pub(crate) name: &'static str,
    /// UTF-8 symbol as `dsiunits` writes it (`℃` for the degree Celsius, `l` for the litre).
    pub(crate) utf: &'static str,
    /// LaTeX as `dsiunits` writes it.
    pub(crate) latex: &'static str,
    /// Prefix and exponent rule.
    pub(crate) rule: Rule,
    /// Extra base quantity for `dsiunits` commensurability.
    pub(crate) kind: Kind,
    def: Def,
}

const fn u(
    name: &'static str,
    utf: &'static str,
    latex: &'static str,
    rule: Rule,
    kind: Kind,
    def: Def,
) -> UnitDef {
    UnitDef {
        name,
        utf,
        latex,
        rule,
        kind,
        def,
    }
}

use Def::{Decibel, Own, SameAs, Si};
use Kind::{Angle, Information, Plain, SolidAngle};
use Rule::{Any, Bare, Binary, NoPrefix, NotPrefix};

/// Dimension vectors (T, L, M, I, Θ, N, J) of the units defined here.
const ONE: [i8; 7] = [0, 0, 0, 0, 0, 0, 0];
const LENGTH: [i8; 7] = [0, 1, 0, 0, 0, 0, 0];
const MASS: [i8; 7] = [0, 0, 1, 0, 0, 0, 0];
const TIME: [i8; 7] = [1, 0, 0, 0, 0, 0, 0];
const ENERGY: [i8; 7] = [-2, 2, 1, 0, 0, 0, 0];

/// The D-SI units, in the order of `dsiunits` (base, derived, non-SI, discouraged). Values of
/// the units defined here: percent, ppm (dimension one); ångström 10⁻¹⁰ m and barn 10⁻²⁸ m²
/// (SI Brochure 8th ed. Table 8); knot 1852/3600 m/s and nautical mile 1852 m (ibid.); byte =
/// 8 bit (IEC 80000-13); bar 10⁵ Pa; mmHg 133.322 387 415 Pa (the conventional millimetre of
/// mercury, UCUM `mm[Hg]`); speed of light and elementary charge exact (SI Brochure Table 1);
/// ħ = h/(2π) exact; hartree energy, Bohr radius, electron mass, atomic unit of time and natural
/// unit of time: CODATA 2022 recommended values.
pub(crate) static UNITS: &[UnitDef] = &[
    // base units and one
    u("ampere", "A", r"\mathrm{A}", Any, Plain, Si("A")),
    u("candela", "cd", r"\mathrm{cd}", Any, Plain, Si("cd")),
    u("kelvin", "K", r"\mathrm{K}", Any, Plain, Si("K")),
    u("kilogram", "kg", r"\mathrm{kg}", NoPrefix, Plain, Si("kg")),
    u("metre", "m", r"\mathrm{m}", Any, Plain, Si("m")),
    u("mole", "mol", r"\mathrm{mol}", Any, Plain, Si("mol")),
    u("one", "1", "1", Bare, Plain, Si("1")),
    u("second", "s", r"\mathrm{s}", Any, Plain, Si("s")),
    // derived units
    u("becquerel", "Bq", r"\mathrm{Bq}", Any, Plain, Si("Bq")),
    u("coulomb", "C", r"\mathrm{C}", Any, Plain, Si("C")),
    u(
        "degreecelsius",
        "℃",
        r"^\circ\mathrm{C}",
        NoPrefix,
        Plain,
        Si("°C"),
    ),
    u("farad", "F", r"\mathrm{F}", Any, Plain, Si("F")),
    u(
        "gram",
        "g",
        r"\mathrm{g}",
        NotPrefix("kilo"),
        Plain,
        Si("g"),
    ),
    u("gray", "Gy", r"\mathrm{Gy}", Any, Plain, Si("Gy")),
    u("henry", "H", r"\mathrm{H}", Any, Plain, Si("H")),
    u("hertz", "Hz", r"\mathrm{Hz}", Any, Plain, Si("Hz")),
    u("joule", "J", r"\mathrm{J}", Any, Plain, Si("J")),
    u("katal", "kat", r"\mathrm{kat}", Any, Plain, Si("kat")),
    u("lumen", "lm", r"\mathrm{lm}", Any, SolidAngle, Si("lm")),
    u("lux", "lx", r"\mathrm{lx}", Any, SolidAngle, Si("lx")),
    u("newton", "N", r"\mathrm{N}", Any, Plain, Si("N")),
    u("ohm", "Ω", r"\Omega", Any, Plain, Si("Ω")),
    u("percent", "%", r"\%", Bare, Plain, Own("1/100", ONE, "%")),
    u(
        "ppm",
        "ppm",
        r"\mathrm{ppm}",
        Bare,
        Plain,
        Own("1e-6", ONE, "[ppm]"),
    ),
    u("pascal", "Pa", r"\mathrm{Pa}", Any, Plain, Si("Pa")),
    u("radian", "rad", r"\mathrm{rad}", Any, Angle, Si("rad")),
    u("siemens", "S", r"\mathrm{S}", Any, Plain, Si("S")),
    u("sievert", "Sv", r"\mathrm{Sv}", Any, Plain, Si("Sv")),
    u("steradian", "sr", r"\mathrm{sr}", Any, SolidAngle, Si("sr")),
    u("tesla", "T", r"\mathrm{T}", Any, Plain, Si("T")),
    u("volt", "V", r"\mathrm{V}", Any, Plain, Si("V")),
    u("watt", "W", r"\mathrm{W}", Any, Plain, Si("W")),
    u("weber", "Wb", r"\mathrm{Wb}", Any, Plain, Si("Wb")),
    // non-SI units
    u(
        "angstrom",
        "Å",
        r"\mbox{Å}",
        Any,
        Plain,
        Own("1e-10", LENGTH, "Ao"),
    ),
    u(
        "astronomicalunit",
        "au",
        r"\mathrm{au}",
        Any,
        Plain,
        Si("au"),
    ),
    u(
        "atomicmassunit",
        "u",
        r"\mathrm{u}",
        Any,
        Plain,
        SameAs("Da"),
    ),
    u("arcminute", "′", "'", Any, Angle, Si("′")),
    u("arcsecond", "″", "''", Any, Angle, Si("″")),
    u(
        "barn",
        "b",
        r"\mathrm{b}",
        Any,
        Plain,
        Own("1e-28", [0, 2, 0, 0, 0, 0, 0], "b"),
    ),
    u("bel", "B", r"\mathrm{B}", NotPrefix("deci"), Plain, Si("B")),
    u(
        "bit",
        "bit",
        r"\mathrm{bit}",
        Binary,
        Information,
        Own("1", ONE, "bit"),
    ),
    u(
        "byte",
        "B",
        r"\mathrm{Byte}",
        Binary,
        Information,
        Own("8", ONE, "By"),
    ),
    u("dalton", "Da", r"\mathrm{Da}", Any, Plain, Si("Da")),
    u("day", "d", r"\mathrm{d}", NoPrefix, Plain, Si("d")),
    u("decibel", "dB", r"\mathrm{dB}", NoPrefix, Plain, Decibel),
    u("degree", "°", r"^\circ", Any, Angle, Si("°")),
    u("electronvolt", "eV", r"\mathrm{eV}", Any, Plain, Si("eV")),
    u("hectare", "ha", r"\mathrm{ha}", NoPrefix, Plain, Si("ha")),
    u("hour", "h", r"\mathrm{h}", NoPrefix, Plain, Si("h")),
    u(
        "knot",
        "kn",
        r"\mathrm{kn}",
        Any,
        Plain,
        Own("1852/3600", [-1, 1, 0, 0, 0, 0, 0], "[kn_i]"),
    ),
    u("litre", "l", r"\mathrm{l}", Any, Plain, Si("l")),
    u("minute", "min", r"\mathrm{min}", NoPrefix, Plain, Si("min")),
    u(
        "nauticalmile",
        "NM",
        r"\mathrm{NM}",
        Any,
        Plain,
        Own("1852", LENGTH, "[nmi_i]"),
    ),
    u("neper", "Np", r"\mathrm{Np}", Any, Plain, Si("Np")),
    u("tonne", "t", r"\mathrm{t}", Any, Plain, Si("t")),
    // discouraged units
    u(
        "atomicunittime",
        "a.u. time",
        r"\hbar/E_\mathrm{h}",
        Any,
        Plain,
        Own("2.4188843265864e-17", TIME, ""),
    ),
    u(
        "bar",
        "bar",
        r"\mathrm{bar}",
        Any,
        Plain,
        Own("100000", [-2, -1, 1, 0, 0, 0, 0], "bar"),
    ),
    u(
        "bohr",
        "a₀",
        "a_0",
        Any,
        Plain,
        Own("5.29177210544e-11", LENGTH, ""),
    ),
    u(
        "clight",
        "c",
        r"\mathrm{c}",
        Any,
        Plain,
        Own("299792458", [-1, 1, 0, 0, 0, 0, 0], "[c]"),
    ),
    u(
        "electronmass",
        "mₑ",
        "m_e",
        Any,
        Plain,
        Own("9.1093837139e-31", MASS, ""),
    ),
    u(
        "elementarycharge",
        "e",
        "e",
        Any,
        Plain,
        Own("1.602176634e-19", [1, 0, 0, 1, 0, 0, 0], "[e]"),
    ),
    u(
        "hartree",
        "Eₕ",
        r"E_\mathrm{h}",
        Any,
        Plain,
        Own("4.3597447222060e-18", ENERGY, ""),
    ),
    u(
        "mmHg",
        "mmHg",
        r"\mathrm{mmHg}",
        NoPrefix,
        Plain,
        Own("133.322387415", [-2, -1, 1, 0, 0, 0, 0], ""),
    ),
    u(
        "naturalunittime",
        "n.u. time",
        r"\hbar/(m_\mathrm{e}c^2)",
        Any,
        Plain,
        Own("1.28808866644e-21", TIME, ""),
    ),
    u(
        "planckbar",
        "ħ",
        r"{\hbar}",
        Any,
        Plain,
        Own("6.62607015e-34/(2*pi)", [-1, 2, 1, 0, 0, 0, 0], ""),
    ),
];

/// One D-SI prefix.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrefixDef {
    /// The macro name without backslash, e.g. `kilo`, `kibi`.
    pub(crate) name: &'static str,
    /// LaTeX as `dsiunits` writes it.
    pub(crate) latex: &'static str,
    /// Whether this is a binary prefix (IEC 80000-13: `\kibi` ... `\yobi`).
    pub(crate) binary: bool,
}

const fn p(name: &'static str, latex: &'static str, binary: bool) -> PrefixDef {
    PrefixDef {
        name,
        latex,
        binary,
    }
}

/// The D-SI prefixes: the 24 SI prefixes (SI Brochure Table 7, with ronna, quetta, ronto and
/// quecto of CGPM 2022 Resolution 3) and the 8 binary prefixes of IEC 80000-13.
pub(crate) static PREFIXES: &[PrefixDef] = &[
    p("quecto", r"\mathrm{q}", false),
    p("ronto", r"\mathrm{r}", false),
    p("yocto", r"\mathrm{y}", false),
    p("zepto", r"\mathrm{z}", false),
    p("atto", r"\mathrm{a}", false),
    p("femto", r"\mathrm{f}", false),
    p("pico", r"\mathrm{p}", false),
    p("nano", r"\mathrm{n}", false),
    p("micro", r"\mbox{µ}", false),
    p("milli", r"\mathrm{m}", false),
    p("centi", r"\mathrm{c}", false),
    p("deci", r"\mathrm{d}", false),
    p("deca", r"\mathrm{da}", false),
    p("hecto", r"\mathrm{h}", false),
    p("kilo", r"\mathrm{k}", false),
    p("mega", r"\mathrm{M}", false),
    p("giga", r"\mathrm{G}", false),
    p("tera", r"\mathrm{T}", false),
    p("peta", r"\mathrm{P}", false),
    p("exa", r"\mathrm{E}", false),
    p("zetta", r"\mathrm{Z}", false),
    p("yotta", r"\mathrm{Y}", false),
    p("ronna", r"\mathrm{R}", false),
    p("quetta", r"\mathrm{Q}", false),
    p("kibi", r"\mathrm{Ki}", true),
    p("mebi", r"\mathrm{Mi}", true),
    p("gibi", r"\mathrm{Gi}", true),
    p("tebi", r"\mathrm{Ti}", true),
    p("pebi", r"\mathrm{Pi}", true),
    p("exbi", r"\mathrm{Ei}", true),
    p("zebi", r"\mathrm{Zi}", true),
    p("yobi", r"\mathrm{Yi}", true),
];

/// Symbols and names of the binary prefixes (IEC 80000-13), 1024¹ to 1024⁸.
const BINARY: [(&str, &str); 8] = [
    ("Ki", "kibi"),
    ("Mi", "mebi"),
    ("Gi", "gibi"),
    ("Ti", "tebi"),
    ("Pi", "pebi"),
    ("Ei", "exbi"),
    ("Zi", "zebi"),
    ("Yi", "yobi"),
];

static BINARY_PREFIXES: OnceLock<Vec<Prefix>> = OnceLock::new();

/// The eight binary prefixes as [`Prefix`] values (UCUM has only `Ki` to `Ti`), shared with the
/// QUDT notation.
pub(crate) fn binary_prefixes() -> &'static [Prefix] {
    BINARY_PREFIXES.get_or_init(|| {
        let mut out = Vec::new();
        let mut value = BigUint::from(1u32);
        for (code, name) in BINARY {
            value *= 1024u32;
            if let Ok(factor) = Factor::from_biguint(&value) {
                out.push(Prefix {
                    code: code.to_string(),
                    name: name.to_string(),
                    factor,
                });
            }
        }
        out
    })
}

/// The [`Prefix`] of a D-SI prefix name (SI prefixes from [`crate::si_text`]).
pub(crate) fn prefix(name: &str) -> Option<&'static Prefix> {
    crate::si_text::prefix_by_name(name)
        .or_else(|| binary_prefixes().iter().find(|p| p.name == name))
}

/// The D-SI prefix definition of a prefix name.
pub(crate) fn prefix_def(name: &str) -> Option<&'static PrefixDef> {
    PREFIXES.iter().find(|p| p.name == name)
}

/// The D-SI prefix name of a prefix of any notation, found by its exact factor.
pub(crate) fn prefix_name_of(p: &Prefix) -> Option<&'static str> {
    PREFIXES
        .iter()
        .find(|d| prefix(d.name).is_some_and(|q| q.factor == p.factor))
        .map(|d| d.name)
}

/// A D-SI unit resolved to this crate's atoms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// The definition.
    pub(crate) def: &'static UnitDef,
    /// The prefix the unit carries in our model (deci for the decibel).
    pub(crate) prefix: Option<&'static Prefix>,
    /// The atom.
    pub(crate) atom: &'static Atom,
}

static OWN_ATOMS: OnceLock<Vec<Atom>> = OnceLock::new();
static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();

/// The atoms defined by this module (those D-SI units that are not SI Brochure atoms), in the
/// order of [`UNITS`].
fn own_atoms() -> &'static [Atom] {
    OWN_ATOMS.get_or_init(|| {
        let mut out = Vec::new();
        for d in UNITS {
            let (value, dimension, ucum) = match d.def {
                Own(value, dim, ucum) => match Factor::parse(value) {
                    Ok(f) => (f, Dimension::from_integers(dim), ucum),
                    Err(_) => continue,
                },
                SameAs(symbol) => match crate::si_text::atom(symbol) {
                    Some(a) => (
                        a.value.clone(),
                        a.dimension,
                        a.ucum_hint.as_deref().unwrap_or(""),
                    ),
                    None => continue,
                },
                Si(_) | Decibel => continue,
            };
            out.push(Atom {
                code: d.utf.to_string(),
                name: d.name.to_string(),
                notation: Notation::Dsi,
                value,
                dimension,
                metric: !matches!(d.rule, NoPrefix | Bare),
                arbitrary: None,
                special: None,
                ucum_hint: (!ucum.is_empty()).then(|| ucum.to_string()),
            });
        }
        out
    })
}

/// Every D-SI unit resolved to (prefix, atom), in the order of [`UNITS`].
pub(crate) fn entries() -> &'static [Entry] {
    ENTRIES.get_or_init(|| {
        let own = own_atoms();
        let mut out = Vec::new();
        for def in UNITS {
            let (prefix, atom) = match def.def {
                Si(symbol) => (None, crate::si_text::atom(symbol)),
                Decibel => (
                    crate::si_text::prefix_by_name("deci"),
                    crate::si_text::atom("B"),
                ),
                Own(..) | SameAs(_) => (None, own.iter().find(|a| a.name == def.name)),
            };
            if let Some(atom) = atom {
                out.push(Entry { def, prefix, atom });
            }
        }
        out
    })
}

/// The entry of a D-SI unit name.
pub(crate) fn entry(name: &str) -> Option<&'static Entry> {
    entries().iter().find(|e| e.def.name == name)
}

/// The D-SI entry and prefix name for a term of any notation: the same (prefix, atom) first
/// (`\decibel`), then the same atom with a D-SI prefix of the same factor (`\kilo\gram` is
/// written `\kilogram`, `\deci\bel` `\decibel`), then a D-SI unit with the same SI identity
/// (exact value, dimension, special function), preferring the one whose UCUM code is the
/// atom's code.
pub(crate) fn lookup(
    prefix: Option<&Prefix>,
    atom: &Atom,
) -> Option<(Option<&'static str>, &'static Entry)> {
    let same_prefix = |a: Option<&Prefix>, b: Option<&Prefix>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.factor == b.factor,
        _ => false,
    };
    let all = entries();
    if let Some(e) = all
        .iter()
        .find(|e| std::ptr::eq(e.atom, atom) && same_prefix(e.prefix, prefix))
    {
        return Some((None, e));
    }
    let by_identity = || {
        all.iter()
            .filter(|e| e.prefix.is_none() && e.atom.same_unit(atom))
            .min_by_key(|e| {
                let hinted = e.atom.ucum_hint.as_deref() == Some(atom.code.as_str())
                    || e.atom.code == atom.code;
                !hinted
            })
    };
    let e = all
        .iter()
        .find(|e| e.prefix.is_none() && std::ptr::eq(e.atom, atom))
        .or_else(by_identity)?;
    let Some(p) = prefix else {
        return Some((None, e));
    };
    let name = prefix_name_of(p)?;
    // \kilo\gram is \kilogram, \deci\bel is \decibel (D-SI rules R011, R012).
    if let Some(alias) = all
        .iter()
        .find(|a| a.prefix.is_some_and(|q| q.factor == p.factor) && std::ptr::eq(a.atom, e.atom))
    {
        return Some((None, alias));
    }
    if e.def.name == "gram" && name == "kilo" {
        return entry("kilogram").map(|k| (None, k));
    }
    Some((Some(name), e))
}
