//! The four tables of the SI reference data: units, prefixes, defining constants and kinds of
//! quantity.
//!
//! Sources, cited next to each block: the SI Brochure, 9th edition (2019), v2.01 (2022), for the
//! values, classes and French names; the BIPM SI Reference Point v1.0.0 (knowledge graphs
//! `units.ttl`, `prefixes.ttl`, `constants.ttl`, `quantities.ttl`; CC BY 3.0 IGO) for the
//! persistent identifiers, local names, English labels, LaTeX symbols, defining resolutions,
//! prefix restrictions and quantity codes; the PTB D-SI unit macros; UCUM 2.2 for the codes.
//! `tests/reference_sirp.rs` checks every entry against the SI Reference Point files at run time.
//!
//! Entries are written through small macros so that each PID is built from its local name
//! (`concat!`) and cannot drift from it.

use super::{ConstantDef, PrefixDef, QuantityDef, UnitClass, UnitDef};

/// Builds a [`UnitDef`]; the PID is the SI Reference Point's units namespace plus the local name,
/// or empty with `no_pid`.
macro_rules! unit {
    (no_pid $id:literal, $($rest:tt)*) => { unit!(@make "", $id, $($rest)*) };
    ($id:literal, $($rest:tt)*) => {
        unit!(@make concat!("https://si-digital-framework.org/SI/units/", $id), $id, $($rest)*)
    };
    (@make $pid:expr, $id:literal, $symbol:literal, alt [$($alt:literal),*], en $en:literal,
        fr $fr:literal, $class:ident, dim $dim:expr, factor $factor:literal in $funit:literal,
        unc $unc:literal, offset $offset:literal, prefixable $prefixable:literal,
        res $res:literal, dsi $dsi:literal, ucum $ucum:literal) => {
        UnitDef {
            id: $id,
            pid: $pid,
            symbol: $symbol,
            alt_symbols: &[$($alt),*],
            label_en: $en,
            label_fr: $fr,
            class: UnitClass::$class,
            dimension: $dim,
            factor: $factor,
            factor_unit: $funit,
            factor_uncertainty: $unc,
            offset: $offset,
            prefixable: $prefixable,
            resolution: $res,
            dsi: $dsi,
            ucum: $ucum,
        }
    };
}

/// Builds a [`PrefixDef`]; the PID is the SI Reference Point's prefixes namespace plus the local
/// name, which is also the D-SI macro name.
macro_rules! prefix {
    ($id:literal, $symbol:literal, $exponent:literal, fr $fr:literal, ucum $ucum:literal,
        res $res:literal) => {
        PrefixDef {
            id: $id,
            pid: concat!("https://si-digital-framework.org/SI/prefixes/", $id),
            symbol: $symbol,
            exponent: $exponent,
            label_en: $id,
            label_fr: $fr,
            ucum: $ucum,
            dsi: $id,
            resolution: $res,
        }
    };
}

/// Builds a [`ConstantDef`]; the PID is the SI Reference Point's constants namespace plus the
/// local name.
macro_rules! constant {
    ($id:literal, $symbol:literal, latex $latex:literal, en $en:literal, fr $fr:literal,
        $value:literal, unit $unit:literal, res $res:literal) => {
        ConstantDef {
            id: $id,
            pid: concat!("https://si-digital-framework.org/constants/", $id),
            symbol: $symbol,
            symbol_latex: $latex,
            label_en: $en,
            label_fr: $fr,
            value: $value,
            unit: $unit,
            resolution: $res,
        }
    };
}

/// Builds a [`QuantityDef`]; the PID is the SI Reference Point's quantities namespace plus the
/// code.
macro_rules! quantity {
    ($id:literal, en $en:literal, fr $fr:literal, dim $dim:expr, unit $unit:literal,
        sirp $sirp:literal) => {
        QuantityDef {
            id: $id,
            pid: concat!("https://si-digital-framework.org/quantities/", $id),
            label_en: $en,
            label_fr: $fr,
            dimension: $dim,
            unit: $unit,
            unit_from_sirp: $sirp,
        }
    };
}

/// The units: the 7 SI base units (SI Brochure §2.3.1, Table 2), the 22 coherent derived units
/// with special names (§2.3.4, Table 4), gram and one (the other measurement units of the SI
/// Reference Point), and the 15 non-SI units accepted for use with the SI (§4, Table 8).
///
/// Symbols are unique across the table (alternative symbols included), so a symbol names one
/// unit; prefixed forms are not listed (kilogram excepted, being a base unit).
#[rustfmt::skip]
pub static UNITS: &[UnitDef] = &[
    // SI base units, SI Brochure Table 2. Current definitions: 26th CGPM (2018), Resolution 1,
    // in force since 2019-05-20 (SI Brochure §2.3.1). The kilogram takes no prefix: prefixes
    // attach to the gram (§3).
    unit!("second", "s", alt [], en "second", fr "seconde", Base, dim [1, 0, 0, 0, 0, 0, 0],
        factor "1" in "s", unc "", offset "0", prefixable true, res "CGPM26-Res1",
        dsi "second", ucum "s"),
    unit!("metre", "m", alt [], en "metre", fr "mètre", Base, dim [0, 1, 0, 0, 0, 0, 0],
        factor "1" in "m", unc "", offset "0", prefixable true, res "CGPM26-Res1",
        dsi "metre", ucum "m"),
    unit!("kilogram", "kg", alt [], en "kilogram", fr "kilogramme", Base,
        dim [0, 0, 1, 0, 0, 0, 0], factor "1" in "kg", unc "", offset "0", prefixable false,
        res "CGPM26-Res1", dsi "kilogram", ucum "kg"),
    unit!("ampere", "A", alt [], en "ampere", fr "ampère", Base, dim [0, 0, 0, 1, 0, 0, 0],
        factor "1" in "A", unc "", offset "0", prefixable true, res "CGPM26-Res1",
        dsi "ampere", ucum "A"),
    unit!("kelvin", "K", alt [], en "kelvin", fr "kelvin", Base, dim [0, 0, 0, 0, 1, 0, 0],
        factor "1" in "K", unc "", offset "0", prefixable true, res "CGPM26-Res1",
        dsi "kelvin", ucum "K"),
    unit!("mole", "mol", alt [], en "mole", fr "mole", Base, dim [0, 0, 0, 0, 0, 1, 0],
        factor "1" in "mol", unc "", offset "0", prefixable true, res "CGPM26-Res1",
        dsi "mole", ucum "mol"),
    unit!("candela", "cd", alt [], en "candela", fr "candela", Base, dim [0, 0, 0, 0, 0, 0, 1],
        factor "1" in "cd", unc "", offset "0", prefixable true, res "CGPM26-Res1",
        dsi "candela", ucum "cd"),

    // The 22 coherent derived units with special names and symbols, SI Brochure Table 4, in its
    // order; resolutions as in the SI Reference Point (radian and steradian: 11th CGPM 1960
    // Res. 12, made derived units by the 20th CGPM 1995 Res. 8). rad = m/m and sr = m²/m² are
    // of dimension one (notes to Table 4).
    unit!("radian", "rad", alt [], en "radian", fr "radian", SpecialNamed,
        dim [0, 0, 0, 0, 0, 0, 0], factor "1" in "rad", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "radian", ucum "rad"),
    unit!("steradian", "sr", alt [], en "steradian", fr "stéradian", SpecialNamed,
        dim [0, 0, 0, 0, 0, 0, 0], factor "1" in "sr", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "steradian", ucum "sr"),
    unit!("hertz", "Hz", alt [], en "hertz", fr "hertz", SpecialNamed,
        dim [-1, 0, 0, 0, 0, 0, 0], factor "1" in "Hz", unc "", offset "0", prefixable true,
        res "CGPM9-Res7", dsi "hertz", ucum "Hz"),
    unit!("newton", "N", alt [], en "newton", fr "newton", SpecialNamed,
        dim [-2, 1, 1, 0, 0, 0, 0], factor "1" in "N", unc "", offset "0", prefixable true,
        res "CGPM9-Res7", dsi "newton", ucum "N"),
    unit!("pascal", "Pa", alt [], en "pascal", fr "pascal", SpecialNamed,
        dim [-2, -1, 1, 0, 0, 0, 0], factor "1" in "Pa", unc "", offset "0", prefixable true,
        res "CGPM14-Decl", dsi "pascal", ucum "Pa"),
    unit!("joule", "J", alt [], en "joule", fr "joule", SpecialNamed,
        dim [-2, 2, 1, 0, 0, 0, 0], factor "1" in "J", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "joule", ucum "J"),
    unit!("watt", "W", alt [], en "watt", fr "watt", SpecialNamed,
        dim [-3, 2, 1, 0, 0, 0, 0], factor "1" in "W", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "watt", ucum "W"),
    unit!("coulomb", "C", alt [], en "coulomb", fr "coulomb", SpecialNamed,
        dim [1, 0, 0, 1, 0, 0, 0], factor "1" in "C", unc "", offset "0", prefixable true,
        res "CGPM9-Res7", dsi "coulomb", ucum "C"),
    unit!("volt", "V", alt [], en "volt", fr "volt", SpecialNamed,
        dim [-3, 2, 1, -1, 0, 0, 0], factor "1" in "V", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "volt", ucum "V"),
    unit!("farad", "F", alt [], en "farad", fr "farad", SpecialNamed,
        dim [4, -2, -1, 2, 0, 0, 0], factor "1" in "F", unc "", offset "0", prefixable true,
        res "CGPM9-Res7", dsi "farad", ucum "F"),
    unit!("ohm", "\u{3a9}", alt [], en "ohm", fr "ohm", SpecialNamed,
        dim [-3, 2, 1, -2, 0, 0, 0], factor "1" in "\u{3a9}", unc "", offset "0",
        prefixable true, res "CGPM9-Res7", dsi "ohm", ucum "Ohm"),
    unit!("siemens", "S", alt [], en "siemens", fr "siemens", SpecialNamed,
        dim [3, -2, -1, 2, 0, 0, 0], factor "1" in "S", unc "", offset "0", prefixable true,
        res "CGPM14-Decl", dsi "siemens", ucum "S"),
    unit!("weber", "Wb", alt [], en "weber", fr "weber", SpecialNamed,
        dim [-2, 2, 1, -1, 0, 0, 0], factor "1" in "Wb", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "weber", ucum "Wb"),
    unit!("tesla", "T", alt [], en "tesla", fr "tesla", SpecialNamed,
        dim [-2, 0, 1, -1, 0, 0, 0], factor "1" in "T", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "tesla", ucum "T"),
    unit!("henry", "H", alt [], en "henry", fr "henry", SpecialNamed,
        dim [-2, 2, 1, -2, 0, 0, 0], factor "1" in "H", unc "", offset "0", prefixable true,
        res "CGPM9-Res7", dsi "henry", ucum "H"),
    // t/°C = T/K − 273.15 (SI Brochure §2.3.1, notes to Table 4): factor 1 K, offset 273.15 K.
    unit!("degreeCelsius", "\u{b0}C", alt [], en "degree Celsius", fr "degré Celsius",
        SpecialNamed, dim [0, 0, 0, 0, 1, 0, 0], factor "1" in "K", unc "", offset "273.15",
        prefixable true, res "CGPM9-Res7", dsi "degreecelsius", ucum "Cel"),
    unit!("lumen", "lm", alt [], en "lumen", fr "lumen", SpecialNamed,
        dim [0, 0, 0, 0, 0, 0, 1], factor "1" in "lm", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "lumen", ucum "lm"),
    unit!("lux", "lx", alt [], en "lux", fr "lux", SpecialNamed,
        dim [0, -2, 0, 0, 0, 0, 1], factor "1" in "lx", unc "", offset "0", prefixable true,
        res "CGPM11-Res12", dsi "lux", ucum "lx"),
    unit!("becquerel", "Bq", alt [], en "becquerel", fr "becquerel", SpecialNamed,
        dim [-1, 0, 0, 0, 0, 0, 0], factor "1" in "Bq", unc "", offset "0", prefixable true,
        res "CGPM15-Res8", dsi "becquerel", ucum "Bq"),
    unit!("gray", "Gy", alt [], en "gray", fr "gray", SpecialNamed,
        dim [-2, 2, 0, 0, 0, 0, 0], factor "1" in "Gy", unc "", offset "0", prefixable true,
        res "CGPM15-Res9", dsi "gray", ucum "Gy"),
    unit!("sievert", "Sv", alt [], en "sievert", fr "sievert", SpecialNamed,
        dim [-2, 2, 0, 0, 0, 0, 0], factor "1" in "Sv", unc "", offset "0", prefixable true,
        res "CGPM16-Res5", dsi "sievert", ucum "Sv"),
    unit!("katal", "kat", alt [], en "katal", fr "katal", SpecialNamed,
        dim [-1, 0, 0, 0, 0, 1, 0], factor "1" in "kat", unc "", offset "0", prefixable true,
        res "CGPM21-Res12", dsi "katal", ucum "kat"),

    // Other measurement units of the SI Reference Point: the gram, to which prefixes attach
    // instead of the kilogram (SI Brochure §3), and the unit one (§5.4.7), which takes none.
    unit!("gram", "g", alt [], en "gram", fr "gramme", Other, dim [0, 0, 1, 0, 0, 0, 0],
        factor "0.001" in "kg", unc "", offset "0", prefixable true, res "", dsi "gram",
        ucum "g"),
    unit!("one", "1", alt [], en "one", fr "un", Other, dim [0, 0, 0, 0, 0, 0, 0],
        factor "1" in "1", unc "", offset "0", prefixable false, res "", dsi "one", ucum "1"),

    // Non-SI units accepted for use with the SI, SI Brochure Table 8, in its order. Prefixes
    // as the SI Reference Point's si:prefixRestriction: none on the units of time and angle,
    // the astronomical unit, the hectare, the tonne and the neper.
    unit!("minute", "min", alt [], en "minute", fr "minute", NonSiAccepted,
        dim [1, 0, 0, 0, 0, 0, 0], factor "60" in "s", unc "", offset "0", prefixable false,
        res "", dsi "minute", ucum "min"),
    unit!("hour", "h", alt [], en "hour", fr "heure", NonSiAccepted,
        dim [1, 0, 0, 0, 0, 0, 0], factor "3600" in "s", unc "", offset "0", prefixable false,
        res "", dsi "hour", ucum "h"),
    unit!("day", "d", alt [], en "day", fr "jour", NonSiAccepted, dim [1, 0, 0, 0, 0, 0, 0],
        factor "86400" in "s", unc "", offset "0", prefixable false, res "", dsi "day",
        ucum "d"),
    // Exact by IAU 2012 Resolution B2 (notes to Table 8).
    unit!("astronomicalunit", "au", alt [], en "astronomical unit", fr "unité astronomique",
        NonSiAccepted, dim [0, 1, 0, 0, 0, 0, 0], factor "149597870700" in "m", unc "",
        offset "0", prefixable false, res "", dsi "astronomicalunit", ucum "AU"),
    unit!("degree", "\u{b0}", alt [], en "degree", fr "degré", NonSiAccepted,
        dim [0, 0, 0, 0, 0, 0, 0], factor "pi/180" in "rad", unc "", offset "0",
        prefixable false, res "", dsi "degree", ucum "deg"),
    // SI Brochure, French text, Table 8: « minute » and « seconde » (of angle).
    unit!("arcminute", "\u{2032}", alt [], en "arcminute", fr "minute", NonSiAccepted,
        dim [0, 0, 0, 0, 0, 0, 0], factor "pi/10800" in "rad", unc "", offset "0",
        prefixable false, res "", dsi "arcminute", ucum "'"),
    unit!("arcsecond", "\u{2033}", alt [], en "arcsecond", fr "seconde", NonSiAccepted,
        dim [0, 0, 0, 0, 0, 0, 0], factor "pi/648000" in "rad", unc "", offset "0",
        prefixable false, res "", dsi "arcsecond", ucum "''"),
    // UCUM has no hectare code of its own: `har` is hecto-are (`ha` would be hecto-annum).
    unit!("hectare", "ha", alt [], en "hectare", fr "hectare", NonSiAccepted,
        dim [0, 2, 0, 0, 0, 0, 0], factor "10000" in "m^2", unc "", offset "0",
        prefixable false, res "", dsi "hectare", ucum "har"),
    // The 16th CGPM (1979, Resolution 6) allowed both symbols l and L.
    unit!("litre", "L", alt ["l"], en "litre", fr "litre", NonSiAccepted,
        dim [0, 3, 0, 0, 0, 0, 0], factor "0.001" in "m^3", unc "", offset "0",
        prefixable true, res "", dsi "litre", ucum "L"),
    unit!("tonne", "t", alt [], en "tonne", fr "tonne", NonSiAccepted,
        dim [0, 0, 1, 0, 0, 0, 0], factor "1000" in "kg", unc "", offset "0",
        prefixable false, res "", dsi "tonne", ucum "t"),
    // Measured, not exact: 1 Da = m(¹²C)/12. Value and standard uncertainty are CODATA 2022 as
    // in the SI Reference Point (the SI Brochure's Table 8 quotes an earlier CODATA
    // adjustment). UCUM's `u` is the same unit (unified atomic mass unit).
    unit!("dalton", "Da", alt [], en "dalton", fr "dalton", NonSiAccepted,
        dim [0, 0, 1, 0, 0, 0, 0], factor "1.66053906892e-27" in "kg", unc "5.2e-37",
        offset "0", prefixable true, res "", dsi "dalton", ucum "u"),
    // Exact since 2019: the energy gained by an electron through 1 V, e × 1 V (notes to
    // Table 8).
    unit!("electronvolt", "eV", alt [], en "electronvolt", fr "électronvolt", NonSiAccepted,
        dim [-2, 2, 1, 0, 0, 0, 0], factor "1.602176634e-19" in "J", unc "", offset "0",
        prefixable true, res "", dsi "electronvolt", ucum "eV"),
    // Logarithmic ratio quantities (Table 8 and its notes; ISO 80000-3): no conversion factor.
    unit!("neper", "Np", alt [], en "neper", fr "néper", NonSiAccepted,
        dim [0, 0, 0, 0, 0, 0, 0], factor "" in "", unc "", offset "0", prefixable false,
        res "", dsi "neper", ucum "Np"),
    unit!("bel", "B", alt [], en "bel", fr "bel", NonSiAccepted, dim [0, 0, 0, 0, 0, 0, 0],
        factor "" in "", unc "", offset "0", prefixable true, res "", dsi "bel", ucum "B"),
    // Listed in Table 8 but not in the SI Reference Point, which has only the bel (the
    // decibel being deci + bel there): no PID.
    unit!(no_pid "decibel", "dB", alt [], en "decibel", fr "décibel", NonSiAccepted,
        dim [0, 0, 0, 0, 0, 0, 0], factor "" in "", unc "", offset "0", prefixable false,
        res "", dsi "decibel", ucum "dB"),
];

/// The 24 SI prefixes, SI Brochure §3 Table 7, from quetta (10³⁰) to quecto (10⁻³⁰).
/// Resolutions: 11th CGPM (1960) Res. 12; 12th (1964) Res. 8 (femto, atto); 15th (1975)
/// Res. 10 (peta, exa); 19th (1991) Res. 4 (zetta, zepto, yotta, yocto); 27th (2022) Res. 3
/// (ronna, quetta, ronto, quecto, which UCUM 2.2 does not have).
#[rustfmt::skip]
pub static PREFIXES: &[PrefixDef] = &[
    prefix!("quetta", "Q", 30, fr "quetta", ucum "", res "CGPM27-Res3"),
    prefix!("ronna", "R", 27, fr "ronna", ucum "", res "CGPM27-Res3"),
    prefix!("yotta", "Y", 24, fr "yotta", ucum "Y", res "CGPM19-Res4"),
    prefix!("zetta", "Z", 21, fr "zetta", ucum "Z", res "CGPM19-Res4"),
    prefix!("exa", "E", 18, fr "exa", ucum "E", res "CGPM15-Res10"),
    prefix!("peta", "P", 15, fr "péta", ucum "P", res "CGPM15-Res10"),
    prefix!("tera", "T", 12, fr "téra", ucum "T", res "CGPM11-Res12"),
    prefix!("giga", "G", 9, fr "giga", ucum "G", res "CGPM11-Res12"),
    prefix!("mega", "M", 6, fr "méga", ucum "M", res "CGPM11-Res12"),
    prefix!("kilo", "k", 3, fr "kilo", ucum "k", res "CGPM11-Res12"),
    prefix!("hecto", "h", 2, fr "hecto", ucum "h", res "CGPM11-Res12"),
    prefix!("deca", "da", 1, fr "déca", ucum "da", res "CGPM11-Res12"),
    prefix!("deci", "d", -1, fr "déci", ucum "d", res "CGPM11-Res12"),
    prefix!("centi", "c", -2, fr "centi", ucum "c", res "CGPM11-Res12"),
    prefix!("milli", "m", -3, fr "milli", ucum "m", res "CGPM11-Res12"),
    prefix!("micro", "\u{3bc}", -6, fr "micro", ucum "u", res "CGPM11-Res12"),
    prefix!("nano", "n", -9, fr "nano", ucum "n", res "CGPM11-Res12"),
    prefix!("pico", "p", -12, fr "pico", ucum "p", res "CGPM11-Res12"),
    prefix!("femto", "f", -15, fr "femto", ucum "f", res "CGPM12-Res8"),
    prefix!("atto", "a", -18, fr "atto", ucum "a", res "CGPM12-Res8"),
    prefix!("zepto", "z", -21, fr "zepto", ucum "z", res "CGPM19-Res4"),
    prefix!("yocto", "y", -24, fr "yocto", ucum "y", res "CGPM19-Res4"),
    prefix!("ronto", "r", -27, fr "ronto", ucum "", res "CGPM27-Res3"),
    prefix!("quecto", "q", -30, fr "quecto", ucum "", res "CGPM27-Res3"),
];

/// The seven defining constants, SI Brochure §2.2 Table 1, in its order; values exact since
/// 2019-05-20 (26th CGPM, 2018, Resolution 1). Resolutions are those the SI Reference Point
/// gives, i.e. the first that fixed the value (13th CGPM 1967 Res. 1 for ΔνCs, 15th CGPM 1975
/// Res. 2 for c, 16th CGPM 1979 Res. 3 for Kcd). French labels: SI Brochure, French text,
/// Table 1.
#[rustfmt::skip]
pub static CONSTANTS: &[ConstantDef] = &[
    constant!("HyperfineTransitionFrequencyOfCs-133", "\u{394}\u{3bd}Cs",
        latex "$\\Delta\\nu_{\\rm{Cs}}$", en "hyperfine transition frequency of Cs-133",
        fr "fréquence de la transition hyperfine du césium", "9192631770", unit "Hz",
        res "CGPM13-Res1"),
    constant!("SpeedOfLight", "c", latex "$c$", en "speed of light",
        fr "vitesse de la lumière dans le vide", "299792458", unit "m s^-1", res "CGPM15-Res2"),
    constant!("PlanckConstant", "h", latex "${h}$", en "Planck constant",
        fr "constante de Planck", "6.62607015e-34", unit "J s", res "CGPM26-Res1"),
    constant!("ElementaryCharge", "e", latex "${e}$", en "elementary charge",
        fr "charge élémentaire", "1.602176634e-19", unit "C", res "CGPM26-Res1"),
    constant!("BoltzmannConstant", "k", latex "${k}$", en "Boltzmann constant",
        fr "constante de Boltzmann", "1.380649e-23", unit "J K^-1", res "CGPM26-Res1"),
    constant!("AvogadroConstant", "NA", latex "${N_{\\rm{A}}}$", en "Avogadro constant",
        fr "constante d'Avogadro", "6.02214076e23", unit "mol^-1", res "CGPM26-Res1"),
    constant!("LuminousEfficacy", "Kcd", latex "${K_{\\rm{cd}}}$", en "luminous efficacy",
        fr "efficacité lumineuse", "683", unit "lm W^-1", res "CGPM16-Res3"),
];

/// The 149 kinds of quantity of the SI Reference Point quantities graph, by code, with their
/// coherent SI unit (the graph's `si:hasUnit`, exponents of a repeated unit collected:
/// `s m^-1 m^-1` is written `s m^-2`) and dimension. Labels are the graph's, trimmed, with its
/// spelling slips corrected (checked one by one in `tests/reference_sirp.rs`). Where the graph
/// gives no unit, `unit_from_sirp` is false and the unit is ISO 80000's.
#[rustfmt::skip]
pub static QUANTITIES: &[QuantityDef] = &[
    quantity!("ABDO", en "absorbed dose", fr "dose absorbée", dim [-2, 2, 0, 0, 0, 0, 0], unit "Gy", sirp true),
    quantity!("ABDR", en "absorbed dose rate", fr "débit de dose absorbée", dim [-3, 2, 0, 0, 0, 0, 0], unit "Gy s^-1", sirp true),
    quantity!("ACCA", en "angular acceleration", fr "accélération angulaire", dim [-2, 0, 0, 0, 0, 0, 0], unit "rad s^-2", sirp true),
    quantity!("ACCE", en "acceleration", fr "accélération", dim [-2, 1, 0, 0, 0, 0, 0], unit "m s^-2", sirp true),
    quantity!("ACIM", en "acoustic impedance", fr "impédance acoustique", dim [-1, -4, 1, 0, 0, 0, 0], unit "Pa s m^-3", sirp true),
    quantity!("ACTI", en "action", fr "action", dim [-1, 2, 1, 0, 0, 0, 0], unit "J s", sirp true),
    quantity!("AMSC", en "amount of substance concentration", fr "concentration de quantité de matière", dim [0, -3, 0, 0, 0, 1, 0], unit "mol m^-3", sirp true),
    quantity!("AMSU", en "amount of substance", fr "quantité de matière", dim [0, 0, 0, 0, 0, 1, 0], unit "mol", sirp true),
    quantity!("ANGF", en "angular frequency", fr "fréquence angulaire", dim [-1, 0, 0, 0, 0, 0, 0], unit "rad s^-1", sirp true),
    quantity!("ANGP", en "plane angle", fr "angle plan", dim [0, 0, 0, 0, 0, 0, 0], unit "rad", sirp true),
    quantity!("ANGS", en "solid angle", fr "angle solide", dim [0, 0, 0, 0, 0, 0, 0], unit "sr", sirp true),
    quantity!("ANIS", en "anisotropy", fr "anisotropie", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("AREA", en "area", fr "superficie", dim [0, 2, 0, 0, 0, 0, 0], unit "m^2", sirp true),
    quantity!("ARRN", en "activity referred to a radionuclide", fr "activité d'un radionucléide", dim [-1, 0, 0, 0, 0, 0, 0], unit "Bq", sirp true),
    quantity!("BRDF", en "bidirectional reflectance distribution function", fr "fonction de répartition bidirectionnelle du facteur de réflexion", dim [0, 0, 0, 0, 0, 0, 0], unit "sr^-1", sirp true),
    quantity!("CALV", en "calorific value", fr "valeur calorifique", dim [-2, 2, 0, 0, 0, 0, 0], unit "J kg^-1", sirp true),
    quantity!("CATA", en "catalytic activity", fr "activité catalytique", dim [-1, 0, 0, 0, 0, 1, 0], unit "kat", sirp true),
    quantity!("CCTE", en "correlated colour temperature", fr "température de couleur proximale", dim [0, 0, 0, 0, 1, 0, 0], unit "K", sirp true),
    quantity!("CTAC", en "catalytic activity concentration", fr "concentration de l’activité catalytique", dim [-1, -3, 0, 0, 0, 1, 0], unit "kat m^-3", sirp true),
    quantity!("CUDE", en "current density", fr "densité de courant", dim [0, -2, 0, 1, 0, 0, 0], unit "A m^-2", sirp true),
    quantity!("DENS", en "density", fr "masse volumique", dim [0, -3, 1, 0, 0, 0, 0], unit "kg m^-3", sirp true),
    quantity!("DEWP", en "dew/frost point", fr "point de rosée/givre", dim [0, 0, 0, 0, 1, 0, 0], unit "°C", sirp true),
    quantity!("DGDE", en "differential group delay", fr "retard différentiel de groupe", dim [1, 0, 0, 0, 0, 0, 0], unit "s", sirp true),
    quantity!("DIRE", en "directivity", fr "directivité", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("DISL", en "chromatic dispersion slope", fr "pente de dispersion chromatique", dim [1, -3, 0, 0, 0, 0, 0], unit "s m^-3", sirp true),
    quantity!("DISP", en "chromatic dispersion", fr "dispersion chromatique", dim [1, -2, 0, 0, 0, 0, 0], unit "s m^-2", sirp true),
    quantity!("DOEQ", en "dose equivalent", fr "équivalent de dose", dim [-2, 2, 0, 0, 0, 0, 0], unit "Sv", sirp true),
    quantity!("DSDE", en "distance scale deviation", fr "écart de l'échelle de distance", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("DYVI", en "dynamic viscosity", fr "viscosité dynamique", dim [-1, -1, 1, 0, 0, 0, 0], unit "Pa s", sirp true),
    quantity!("ELCA", en "capacitance", fr "capacité électrique", dim [4, -2, -1, 2, 0, 0, 0], unit "F", sirp true),
    quantity!("ELCD", en "electric charge density", fr "charge électrique volumique", dim [1, -3, 0, 1, 0, 0, 0], unit "C m^-3", sirp true),
    quantity!("ELCH", en "electric charge", fr "charge électrique", dim [1, 0, 0, 1, 0, 0, 0], unit "C", sirp true),
    quantity!("ELCO", en "electric conductance", fr "conductance électrique", dim [3, -2, -1, 2, 0, 0, 0], unit "S", sirp true),
    quantity!("ELCU", en "electric current", fr "courant électrique", dim [0, 0, 0, 1, 0, 0, 0], unit "A", sirp true),
    quantity!("ELDS", en "electric displacement", fr "déplacement électrique", dim [1, -2, 0, 1, 0, 0, 0], unit "C m^-2", sirp true),
    quantity!("ELFD", en "electric flux density", fr "induction électrique", dim [1, -2, 0, 1, 0, 0, 0], unit "C m^-2", sirp true),
    quantity!("ELFS", en "electric field strength", fr "champ électrique", dim [-3, 1, 1, -1, 0, 0, 0], unit "V m^-1", sirp true),
    quantity!("ELIN", en "inductance", fr "inductance", dim [-2, 2, 1, -2, 0, 0, 0], unit "H", sirp true),
    quantity!("ELPD", en "electric potential difference", fr "différence de potentiel électrique", dim [-3, 2, 1, -1, 0, 0, 0], unit "V", sirp true),
    quantity!("ELRE", en "electric resistance", fr "résistance électrique", dim [-3, 2, 1, -2, 0, 0, 0], unit "Ω", sirp true),
    quantity!("EMIR", en "emission rate", fr "taux d'émission", dim [-1, 0, 0, 0, 0, 0, 0], unit "s^-1", sirp true),
    quantity!("EMIS", en "emissivity", fr "émissivité", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("ENCL", en "encircled flux", fr "flux encerclé", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("ENGD", en "energy density", fr "énergie volumique", dim [-2, -1, 1, 0, 0, 0, 0], unit "J m^-3", sirp true),
    quantity!("ENGY", en "energy", fr "énergie", dim [-2, 2, 1, 0, 0, 0, 0], unit "J", sirp true),
    quantity!("ENTR", en "entropy", fr "entropie", dim [-2, 2, 1, 0, -1, 0, 0], unit "J K^-1", sirp true),
    quantity!("EXIT", en "radiant exitance", fr "exitance énergétique", dim [-3, 0, 1, 0, 0, 0, 0], unit "W m^-2", sirp true),
    quantity!("FLUE", en "fluence", fr "fluence", dim [0, -2, 0, 0, 0, 0, 0], unit "m^-2", sirp true),
    quantity!("FLUR", en "fluence rate", fr "débit de fluence", dim [-1, -2, 0, 0, 0, 0, 0], unit "m^-2 s^-1", sirp true),
    quantity!("FORC", en "force", fr "force", dim [-2, 1, 1, 0, 0, 0, 0], unit "N", sirp true),
    quantity!("FORL", en "force response level (referenced to 1 V/N)", fr "niveau de réponse à la force (référence : 1 V/N)", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("FREQ", en "frequency", fr "fréquence", dim [-1, 0, 0, 0, 0, 0, 0], unit "Hz", sirp true),
    quantity!("FSLT", en "flicker severity index (long term)", fr "indicateur de flicker à long terme", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("FSST", en "flicker severity index (short term)", fr "indicateur de flicker à court terme", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("GLOS", en "gloss", fr "brillance", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("HDIS", en "harmonic distortion", fr "distorsion harmonique", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("HECA", en "heat capacity", fr "capacité thermique", dim [-2, 2, 1, 0, -1, 0, 0], unit "J K^-1", sirp true),
    quantity!("HEFD", en "heat flux density", fr "flux thermique surfacique", dim [-3, 0, 1, 0, 0, 0, 0], unit "W m^-2", sirp true),
    quantity!("HEFU", en "heat of fusion", fr "énergie de fusion", dim [-2, 2, 0, 0, 0, 0, 0], unit "J kg^-1", sirp true),
    quantity!("HEQT", en "amount of heat", fr "quantité de chaleur", dim [-2, 2, 1, 0, 0, 0, 0], unit "J", sirp true),
    quantity!("ILLU", en "illuminance", fr "éclairement lumineux", dim [0, -2, 0, 0, 0, 0, 1], unit "lx", sirp true),
    quantity!("IRRA", en "irradiance", fr "éclairement énergétique", dim [-3, 0, 1, 0, 0, 0, 0], unit "W m^-2", sirp true),
    quantity!("ITSC", en "ITS-90 temperature (°C)", fr "température ITS-90 (°C)", dim [0, 0, 0, 0, 1, 0, 0], unit "°C", sirp true),
    quantity!("ITSK", en "ITS-90 temperature (K)", fr "température ITS-90 (K)", dim [0, 0, 0, 0, 1, 0, 0], unit "K", sirp true),
    quantity!("KIVI", en "kinematic viscosity", fr "viscosité cinématique", dim [-1, 2, 0, 0, 0, 0, 0], unit "m^2 s^-1", sirp true),
    quantity!("KRMA", en "kerma", fr "kerma", dim [-2, 2, 0, 0, 0, 0, 0], unit "Gy", sirp true),
    quantity!("KRMR", en "kerma rate", fr "débit de kerma", dim [-3, 2, 0, 0, 0, 0, 0], unit "Gy s^-1", sirp true),
    quantity!("LENG", en "length", fr "longueur", dim [0, 1, 0, 0, 0, 0, 0], unit "m", sirp true),
    quantity!("LOSS", en "loss (attenuation)", fr "atténuation", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("LUCO", en "luminance coefficient", fr "coefficient de luminance", dim [0, 0, 0, 0, 0, 0, 0], unit "sr^-1", sirp true),
    quantity!("LUFA", en "luminance factor", fr "facteur de luminance", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("LUFL", en "luminous flux", fr "flux lumineux", dim [0, 0, 0, 0, 0, 0, 1], unit "lm", sirp true),
    quantity!("LUIN", en "luminous intensity", fr "intensité lumineuse", dim [0, 0, 0, 0, 0, 0, 1], unit "cd", sirp true),
    quantity!("LUMA", en "luminance", fr "luminance lumineuse", dim [0, -2, 0, 0, 0, 0, 1], unit "cd m^-2", sirp true),
    quantity!("LUXP", en "luminous exposure", fr "exposition lumineuse", dim [1, -2, 0, 0, 0, 0, 1], unit "lx s", sirp true),
    quantity!("LXRS", en "luminous exposure responsivity", fr "sensibilité à l'exposition lumineuse", dim [-1, 2, 0, 0, 0, 0, -1], unit "lx^-1 s^-1", sirp true),
    quantity!("MACO", en "mass concentration", fr "concentration massique", dim [0, -3, 1, 0, 0, 0, 0], unit "kg m^-3", sirp true),
    quantity!("MAFD", en "magnetic field strength", fr "champ magnétique", dim [0, -1, 0, 1, 0, 0, 0], unit "A m^-1", sirp true),
    quantity!("MASS", en "mass", fr "masse", dim [0, 0, 1, 0, 0, 0, 0], unit "kg", sirp true),
    quantity!("MEIL", en "mechanical impedance (referenced to 1 N s m-2)", fr "impédance mécanique (référence : 1 N s m-2)", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("MGFD", en "magnetic flux density", fr "induction magnétique", dim [-2, 0, 1, -1, 0, 0, 0], unit "T", sirp true),
    quantity!("MGFL", en "magnetic flux", fr "flux d'induction magnétique", dim [-2, 2, 1, -1, 0, 0, 0], unit "Wb", sirp true),
    quantity!("MGPO", en "magnetic polarization", fr "polarisation magnétique", dim [-2, 0, 1, -1, 0, 0, 0], unit "T", sirp false),
    quantity!("MGSU", en "magnetic susceptibility", fr "susceptibilité magnétique", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("MOEG", en "molar energy", fr "énergie molaire", dim [-2, 2, 1, 0, 0, -1, 0], unit "J mol^-1", sirp true),
    quantity!("MOEN", en "molar entropy", fr "entropie molaire", dim [-2, 2, 1, 0, -1, -1, 0], unit "J K^-1 mol^-1", sirp true),
    quantity!("MOHC", en "molar heat capacity", fr "capacité thermique molaire", dim [-2, 2, 1, 0, -1, -1, 0], unit "J K^-1 mol^-1", sirp true),
    quantity!("MTTE", en "distribution temperature", fr "température de distribution", dim [0, 0, 0, 0, 1, 0, 0], unit "K", sirp true),
    quantity!("NORM", en "normalized signal", fr "signal normalisé", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("NUMA", en "numerical aperture", fr "ouverture numérique", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("OPAB", en "absorbance", fr "absorbance", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("OPEM", en "emittance", fr "émittance", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("OPRE", en "reflectance", fr "réflectance", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("OPRF", en "reflectance factor", fr "facteur de réflectance", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("OPTR", en "transmittance", fr "transmittance", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("PHAS", en "phase angle", fr "angle de phase", dim [0, 0, 0, 0, 0, 0, 0], unit "rad", sirp true),
    quantity!("PHSS", en "phase shift", fr "déphasage", dim [0, 0, 0, 0, 0, 0, 0], unit "rad", sirp true),
    quantity!("PLTS", en "PLTS-2000 temperature", fr "température PLTS-2000", dim [0, 0, 0, 0, 1, 0, 0], unit "K", sirp true),
    quantity!("POWM", en "power level relative to 1 mW", fr "niveau de puissance relatif à 1 mW", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("POWR", en "power", fr "puissance, flux énergétique", dim [-3, 2, 1, 0, 0, 0, 0], unit "W", sirp true),
    quantity!("PRES", en "pressure", fr "pression", dim [-2, -1, 1, 0, 0, 0, 0], unit "Pa", sirp true),
    quantity!("PRME", en "permeability", fr "perméabilité", dim [-2, 1, 1, -2, 0, 0, 0], unit "H m^-1", sirp true),
    quantity!("PRMI", en "permittivity", fr "permittivité", dim [4, -3, -1, 2, 0, 0, 0], unit "F m^-1", sirp true),
    quantity!("PSNL", en "pressure sensitivity level (referenced to 1 V/Pa)", fr "niveau de sensibilité à la pression (référence : 1 V/Pa)", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("PSNW", en "pressure sensitivity level (referenced to 1 V/μPa)", fr "niveau de sensibilité à la pression (référence : 1 V/μPa)", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("QFAC", en "quality factor", fr "facteur de qualité", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("RADF", en "radiance factor", fr "facteur de luminance énergétique", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("RADI", en "radiance", fr "luminance énergétique", dim [-3, 0, 1, 0, 0, 0, 0], unit "W sr^-1 m^-2", sirp true),
    quantity!("RAFL", en "radiant flux", fr "flux énergétique", dim [-3, 2, 1, 0, 0, 0, 0], unit "W", sirp true),
    quantity!("RAIN", en "radiant intensity", fr "intensité énergétique", dim [-3, 2, 1, 0, 0, 0, 0], unit "W sr^-1", sirp true),
    quantity!("REFI", en "refractive index", fr "indice de réfraction", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("RELP", en "relative permittivity", fr "permittivité relative", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("REPE", en "relative permeability", fr "perméabilité relative", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("REXI", en "relative radiant exitance", fr "exitance énergétique relative", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("REXP", en "radiant exposure", fr "exposition énergétique", dim [-2, 0, 1, 0, 0, 0, 0], unit "J m^-2", sirp true),
    quantity!("RHUM", en "relative humidity", fr "humidité relative", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("RLGB", en "ratio logarithm (B)", fr "logarithme d'un rapport (B)", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("RLGN", en "ratio logarithm (Np)", fr "logarithme d'un rapport (Np)", dim [0, 0, 0, 0, 0, 0, 0], unit "Np", sirp true),
    quantity!("SENG", en "specific energy", fr "énergie massique", dim [-2, 2, 0, 0, 0, 0, 0], unit "J kg^-1", sirp true),
    quantity!("SENT", en "specific entropy", fr "entropie massique", dim [-2, 2, 0, 0, -1, 0, 0], unit "J K^-1 kg^-1", sirp true),
    quantity!("SHEC", en "specific heat capacity", fr "capacité thermique massique", dim [-2, 2, 0, 0, -1, 0, 0], unit "J K^-1 kg^-1", sirp true),
    quantity!("SHLD", en "shielding factor", fr "taux de blindage", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("SOIL", en "sound intensity level (referenced to 1 pW m-2)", fr "niveau d'intensité acoustique (référence : 1 pW m-2)", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("SOIN", en "sound intensity", fr "intensité acoustique", dim [-3, 0, 1, 0, 0, 0, 0], unit "W m^-2", sirp true),
    quantity!("SOPL", en "sound pressure level (referenced to 20 μPa)", fr "niveau de pression acoustique (référence : 20 μPa)", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("SPVO", en "specific volume", fr "volume massique", dim [0, 3, -1, 0, 0, 0, 0], unit "m^3 kg^-1", sirp true),
    quantity!("STRE", en "stress", fr "contrainte", dim [-2, -1, 1, 0, 0, 0, 0], unit "Pa", sirp true),
    quantity!("SUCD", en "surface charge density", fr "charge électrique surfacique", dim [1, -2, 0, 1, 0, 0, 0], unit "C m^-2", sirp true),
    quantity!("SUDE", en "surface density", fr "masse surfacique", dim [0, -2, 1, 0, 0, 0, 0], unit "kg m^-2", sirp true),
    quantity!("SUTE", en "surface tension", fr "tension superficielle", dim [-2, 0, 1, 0, 0, 0, 0], unit "N m^-1", sirp true),
    quantity!("SYRL", en "system response level (referenced to true level)", fr "niveau de réponse du système (référence : niveau réel)", dim [0, 0, 0, 0, 0, 0, 0], unit "B", sirp true),
    quantity!("TAND", en "dielectric loss tangent", fr "facteur de dissipation", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("TCON", en "thermal conductivity", fr "conductivité thermique", dim [-3, 1, 1, 0, -1, 0, 0], unit "W m^-1 K^-1", sirp true),
    quantity!("TDDS", en "total chromatic dispersion slope", fr "pente de dispersion chromatique totale", dim [1, -2, 0, 0, 0, 0, 0], unit "s m^-2", sirp true),
    quantity!("TDIF", en "thermal diffusivity", fr "diffusivité thermique", dim [-1, 2, 0, 0, 0, 0, 0], unit "m^2 s^-1", sirp true),
    quantity!("TDIS", en "total chromatic dispersion", fr "dispersion chromatique totale", dim [1, -1, 0, 0, 0, 0, 0], unit "s m^-1", sirp true),
    quantity!("TEMC", en "Celsius temperature", fr "température Celsius", dim [0, 0, 0, 0, 1, 0, 0], unit "°C", sirp true),
    quantity!("TEMT", en "thermodynamic temperature", fr "température thermodynamique", dim [0, 0, 0, 0, 1, 0, 0], unit "K", sirp true),
    quantity!("TEXL", en "thermal expansion coefficient (linear)", fr "coefficient d'expansion thermique (linéaire)", dim [0, 0, 0, 0, -1, 0, 0], unit "K^-1", sirp true),
    quantity!("TIME", en "time", fr "temps", dim [1, 0, 0, 0, 0, 0, 0], unit "s", sirp true),
    quantity!("TORQ", en "moment of force", fr "moment d’une force", dim [-2, 2, 1, 0, 0, 0, 0], unit "N m", sirp true),
    quantity!("VELA", en "angular velocity", fr "vitesse angulaire", dim [-1, 0, 0, 0, 0, 0, 0], unit "rad s^-1", sirp true),
    quantity!("VELO", en "velocity", fr "vitesse", dim [-1, 1, 0, 0, 0, 0, 0], unit "m s^-1", sirp true),
    quantity!("VICO", en "viscometer constant", fr "constante du viscosimètre", dim [-2, 2, 0, 0, 0, 0, 0], unit "m^2 s^-2", sirp true),
    quantity!("VOLU", en "volume", fr "volume", dim [0, 3, 0, 0, 0, 0, 0], unit "m^3", sirp true),
    quantity!("WANU", en "wavenumber", fr "nombre d'ondes", dim [0, -1, 0, 0, 0, 0, 0], unit "m^-1", sirp true),
    quantity!("WHIT", en "whiteness", fr "blancheur", dim [0, 0, 0, 0, 0, 0, 0], unit "1", sirp false),
    quantity!("WORK", en "work", fr "travail", dim [-2, 2, 1, 0, 0, 0, 0], unit "J", sirp true),
    quantity!("XPOS", en "exposure (x and γ rays)", fr "exposition (rayons x et γ)", dim [1, 0, -1, 1, 0, 0, 0], unit "C kg^-1", sirp true),
];
