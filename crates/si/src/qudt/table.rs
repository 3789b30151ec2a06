//! The QUDT atom table: QUDT local names of units that QUDT identifiers combine (`M`, `SEC`,
//! `FT`, `LB_F`, `BTU_IT`, `MilliM_HG` = `Milli` + `M_HG`, ...), each mapped onto an atom of
//! this crate: an SI atom of [`crate::si_text`] for the units of the SI Brochure, else a UCUM
//! atom looked up by its UCUM code through [`crate::ucum::parse`] (with its annotation, for
//! `{#}`-style counts). A QUDT unit that UCUM writes only as a composite (`[lb_av].[ft_i].s-2`
//! for the poundal) or not at all (the torr, 101 325/760 Pa) gets an atom of its own with the
//! exact value of that composite.
//!
//! Source of the names: the QUDT units vocabulary (`VOCAB_QUDT-UNITS-ALL.ttl`, qudt.org,
//! CC BY 4.0) and its naming rules (prefix names `Kilo`, `Milli`, ... glued to the unit name;
//! `PER` before the denominator; a trailing integer as exponent). Values: UCUM 2.2 and the SI
//! Brochure; `tests/qudt_ids.rs` checks every QUDT unit of the shared test data against
//! QUDT's own conversion multipliers.
//!
//! Order matters for printing: when several names denote the same atom, the first is used
//! (`TONNE` before `TON_Metric`, `ARCMIN` before `MIN_Angle`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::expr::{Atom, Prefix, TermUnit};
use crate::notation::Notation;

/// How a QUDT name is defined.
#[derive(Debug, Clone, Copy)]
enum Def {
    /// The SI atom of this symbol.
    Si(&'static str),
    /// A UCUM code: one atom, possibly prefixed or annotated (`[ft_i]`, `k[lbf_av]`, `{#}`,
    /// `Pa{absolute}`), or a composite that becomes an atom of its own (`[lb_av].[ft_i].s-2`).
    Ucum(&'static str),
}

use Def::{Si, Ucum};

/// The QUDT names and their definitions.
#[rustfmt::skip]
static DEFS: &[(&str, Def)] = &[
    // SI base units, coherent derived units, the kilogram, gram, one
    ("M", Si("m")), ("SEC", Si("s")), ("KiloGM", Si("kg")), ("GM", Si("g")), ("A", Si("A")),
    ("K", Si("K")), ("MOL", Si("mol")), ("CD", Si("cd")), ("RAD", Si("rad")), ("SR", Si("sr")),
    ("HZ", Si("Hz")), ("N", Si("N")), ("PA", Si("Pa")), ("J", Si("J")), ("W", Si("W")),
    ("C", Si("C")), ("V", Si("V")), ("FARAD", Si("F")), ("OHM", Si("Ω")), ("S", Si("S")),
    ("WB", Si("Wb")), ("T", Si("T")), ("H", Si("H")), ("DEG_C", Si("°C")), ("LM", Si("lm")),
    ("LUX", Si("lx")), ("BQ", Si("Bq")), ("GRAY", Si("Gy")), ("SV", Si("Sv")),
    ("KAT", Si("kat")), ("UNITLESS", Si("1")), ("ONE", Si("1")),
    // non-SI units accepted for use with the SI (SI Brochure Table 8)
    ("MIN", Si("min")), ("HR", Si("h")), ("DAY", Si("d")), ("AU", Si("au")), ("DEG", Si("°")),
    ("ARCMIN", Si("′")), ("MIN_Angle", Si("′")), ("ARCSEC", Si("″")), ("HA", Si("ha")),
    ("L", Si("L")), ("TONNE", Si("t")), ("TON_Metric", Si("t")), ("DA", Si("Da")),
    ("EV", Si("eV")), ("NP", Si("Np")), ("B", Si("B")),
    // time
    ("WK", Ucum("wk")), ("MO", Ucum("mo_s")), ("MO_MeanGREGORIAN", Ucum("mo_g")),
    ("MO_MeanJulian", Ucum("mo_j")), ("YR", Ucum("a")), ("YR_TROPICAL", Ucum("a_t")),
    ("YR_Metrology", Ucum("a_j")), ("YR_Common", Ucum("365.d")),
    // length
    ("IN", Ucum("[in_i]")), ("FT", Ucum("[ft_i]")), ("YD", Ucum("[yd_i]")),
    ("MI", Ucum("[mi_i]")), ("MI_UK", Ucum("[mi_i]")), ("MI_US", Ucum("[mi_us]")),
    ("FT_US", Ucum("[ft_us]")), ("MI_N", Ucum("[nmi_i]")), ("FATH", Ucum("[fth_i]")),
    ("FUR", Ucum("[fur_us]")), ("ROD", Ucum("[rd_br]")), ("ANGSTROM", Ucum("Ao")),
    ("MIL_Length", Ucum("[mil_i]")), ("PT", Ucum("[pnt_pr]")), ("PCA", Ucum("[pca]")),
    ("LY", Ucum("[ly]")), ("GAUGE_FR", Ucum("[Ch]")),
    ("GA_Charriere", Ucum("[Ch]")),
    // area, volume
    ("AC", Ucum("4840.[yd_i]2")), ("ARE", Ucum("ar")), ("BARN", Ucum("b")),
    ("MIL_Circ", Ucum("[cml_i]")), ("STR", Ucum("st")),
    ("GAL_US", Ucum("[gal_us]")), ("GAL_UK", Ucum("[gal_br]")), ("GAL_IMP", Ucum("[gal_br]")),
    ("GAL_US_DRY", Ucum("[gal_wi]")), ("QT_US", Ucum("[qt_us]")), ("QT_UK", Ucum("[qt_br]")),
    ("QT_US_DRY", Ucum("[dqt_us]")), ("PINT_US", Ucum("[pt_us]")), ("PINT_UK", Ucum("[pt_br]")),
    ("PINT_US_DRY", Ucum("[dpt_us]")), ("GI_US", Ucum("[gil_us]")), ("GI_UK", Ucum("[gil_br]")),
    ("OZ_VOL_US", Ucum("[foz_us]")), ("OZ_VOL_UK", Ucum("[foz_br]")), ("CUP", Ucum("[cup_us]")),
    ("CUP_US", Ucum("[cup_us]")), ("TBSP", Ucum("[tbs_us]")), ("TSP", Ucum("[tsp_us]")),
    ("BBL_US", Ucum("[bbl_us]")), ("BBL", Ucum("[bbl_us]")), ("BBL_US_PET", Ucum("[bbl_us]")),
    ("BU_US", Ucum("[bu_us]")), ("BU_US_DRY", Ucum("[bu_us]")), ("BU_UK", Ucum("[bu_br]")),
    ("PK_US_DRY", Ucum("[pk_us]")), ("PK_UK", Ucum("[pk_br]")), ("CORD", Ucum("[crd_us]")),
    ("FBM", Ucum("[bf_i]")), ("STANDARD", Ucum("1980.[bf_i]")),
    ("BBL_UK_PET", Ucum("35.[gal_br]")), ("TON_Register", Ucum("100.[ft_i]3")),
    // mass
    ("LB", Ucum("[lb_av]")), ("LB_M", Ucum("[lb_av]")), ("OZ", Ucum("[oz_av]")),
    ("OZ_M", Ucum("[oz_av]")), ("OZ_TROY", Ucum("[oz_tr]")), ("LB_T", Ucum("[lb_tr]")),
    ("GRAIN", Ucum("[gr]")), ("DWT", Ucum("[pwt_tr]")), ("PENNYWEIGHT", Ucum("[pwt_tr]")),
    ("Stone_UK", Ucum("[stone_av]")), ("TON_SHORT", Ucum("[ston_av]")),
    ("TON_US", Ucum("[ston_av]")), ("TON", Ucum("[ston_av]")), ("TON_LONG", Ucum("[lton_av]")),
    ("TON_UK", Ucum("[lton_av]")), ("CWT_SHORT", Ucum("[scwt_av]")),
    ("Hundredweight_US", Ucum("[scwt_av]")), ("CWT_LONG", Ucum("[lcwt_av]")),
    ("Hundredweight_UK", Ucum("[lcwt_av]")), ("Quarter_UK", Ucum("28.[lb_av]")),
    ("SLUG", Ucum("[lbf_av].s2/[ft_i]")), ("GM_Carbon", Ucum("g{C}")),
    ("GM_Nitrogen", Ucum("g{N}")), ("GM_DRY", Ucum("g{dry}")), ("TEX", Ucum("tex")),
    ("DENIER", Ucum("[den]")),
    // force, pressure
    ("LB_F", Ucum("[lbf_av]")), ("LB_F_Torque", Ucum("[lbf_av]")), ("KIP_F", Ucum("1000.[lbf_av]")),
    ("OZ_F", Ucum("[lbf_av]/16")), ("TON_F_US", Ucum("2000.[lbf_av]")),
    ("PDL", Ucum("[lb_av].[ft_i].s-2")), ("GM_F", Ucum("gf")), ("POND", Ucum("gf")),
    ("DYN", Ucum("dyn")), ("BAR", Ucum("bar")), ("ATM", Ucum("atm")), ("ATM_T", Ucum("att")),
    ("PSI", Ucum("[psi]")), ("TORR", Ucum("101325.Pa/760")),
    ("M_HG", Ucum("135951.kg.[g]/(10.m2)")), ("M_HGA", Ucum("135951.kg.[g]/(10.m2)")),
    ("IN_HG", Ucum("135951.kg.[g].[in_i]/(10.m3)")), ("M_H2O", Ucum("m[H2O]")),
    ("CM_H2O", Ucum("cm[H2O]")), ("IN_H2O", Ucum("[in_i'H2O]")),
    ("FT_H2O", Ucum("12.[in_i'H2O]")), ("PA_A", Ucum("Pa{absolute}")),
    ("BAR_A", Ucum("bar{absolute}")), ("BARYE", Ucum("dyn.cm-2")),
    ("BARAD", Ucum("dyn.cm-2")), ("G", Ucum("[g]")),
    ("GALILEO", Ucum("Gal")),
    // energy, power, temperature
    ("ERG", Ucum("erg")), ("CAL", Ucum("cal")), ("CAL_IT", Ucum("cal_IT")),
    ("CAL_TH", Ucum("cal_th")), ("CAL_MEAN", Ucum("cal_m")), ("CAL_15DEG_C", Ucum("cal_[15]")),
    ("CAL_20DEG_C", Ucum("cal_[20]")), ("BTU_IT", Ucum("[Btu_IT]")),
    ("BTU_TH", Ucum("cal_th.[lb_av].5/(g.9)")),
    ("BTU_39DEG_F", Ucum("[Btu_39]")), ("BTU_59DEG_F", Ucum("[Btu_59]")),
    ("BTU_60DEG_F", Ucum("[Btu_60]")), ("THM_US", Ucum("105480400.J")),
    ("THERM_US", Ucum("105480400.J")), ("THM_EEC", Ucum("100000.[Btu_IT]")),
    ("THERM_EC", Ucum("100000.[Btu_IT]")), ("QUAD", Ucum("10*15.[Btu_IT]")),
    ("HP", Ucum("[HP]")), ("HP_Brake", Ucum("[HP]")), ("HP_Electric", Ucum("746.W")),
    ("HP_Metric", Ucum("75.kgf.m.s-1")), ("PFERDESTAERKE", Ucum("75.kgf.m.s-1")),
    ("VA", Ucum("V.A")), ("VAR", Ucum("V.A")), ("TON_FG", Ucum("12000.[Btu_IT]/h")),
    ("TOE", Ucum("10*10.cal_IT")), ("DEG_F", Ucum("[degF]")),
    ("DEG_R", Ucum("[degR]")),
    // electromagnetism (CGS)
    ("A_Ab", Ucum("Bi")), ("C_Ab", Ucum("10.C")), ("V_Ab", Ucum("10.nV")),
    ("OHM_Ab", Ucum("nOhm")), ("FARAD_Ab", Ucum("GF")), ("H_Ab", Ucum("nH")),
    ("S_Ab", Ucum("GS")), ("MHO", Ucum("mho")), ("GAUSS", Ucum("G")), ("MX", Ucum("Mx")),
    ("OERSTED", Ucum("Oe")), ("GI", Ucum("Gb")), ("T_Ab", Ucum("G")), ("AT", Si("A")),
    // Gaussian (statvolt = c × 10⁻⁶ V, statcoulomb = C/(10 c), ...), c = 299 792 458 m/s exactly
    ("V_Stat", Ucum("299792458.V/1000000")), ("C_Stat", Ucum("C/2997924580")),
    ("A_Stat", Ucum("A/2997924580")), ("OHM_Stat", Ucum("89875517873681764.Ohm/100000")),
    ("H_Stat", Ucum("89875517873681764.H/100000")), ("S_Stat", Ucum("100000.S/89875517873681764")),
    ("FARAD_Stat", Ucum("100000.F/89875517873681764")), ("E", Ucum("[e]")),
    ("ElementaryCharge", Ucum("[e]")),
    // light, radiation, viscosity, chemistry
    ("PHOT", Ucum("lm/cm2")), ("STILB", Ucum("sb")), ("LA", Ucum("Lmb")),
    ("FC", Ucum("lm/[ft_i]2")), ("KY", Ucum("Ky")), ("CI", Ucum("Ci")), ("Ci", Ucum("Ci")),
    ("R", Ucum("R")), ("RAD_R", Ucum("RAD")), ("R_man", Ucum("REM")), ("REM", Ucum("REM")),
    ("POISE", Ucum("P")), ("RHE", Ucum("/P")), ("ST", Ucum("St")), ("RAYL", Ucum("dyn.s.cm-3")),
    ("RAYL_MKS", Ucum("Pa.s/m")), ("EQ", Ucum("eq")), ("OSM", Ucum("osm")), ("ENZ", Ucum("U")),
    ("MOL_LB", Ucum("[lb_av]/g.mol")), ("SpeedOfLight", Ucum("[c]")),
    ("IU", Ucum("[IU]")),
    // ratios, counts, information
    ("PERCENT", Ucum("%")), ("PPTH", Ucum("[ppth]")), ("PERMILLE", Ucum("[ppth]")),
    ("PPM", Ucum("[ppm]")), ("PPB", Ucum("[ppb]")), ("PPT", Ucum("[pptr]")),
    ("PPTM", Ucum("10*-7")), ("PPQ", Ucum("10*-15")), ("NUM", Ucum("{#}")), ("FRACTION", Ucum("{fraction}")),
    ("BEAT", Ucum("{H.B.}")), ("SAMPLE", Ucum("{sample}")), ("REV", Ucum("2.[pi].rad")),
    ("GON", Ucum("gon")), ("GRAD", Ucum("gon")), ("BIT", Ucum("bit")), ("BYTE", Ucum("By")), ("OCTET", Ucum("By")),
    ("MESH", Ucum("[mesh_i]")), ("DPI", Ucum("{dot}/[in_i]")), ("KN", Ucum("[kn_i]")),
];

/// A QUDT atom resolved to this crate's model.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The QUDT local name.
    pub(crate) name: &'static str,
    /// What a term of it multiplies in: an atom with an optional prefix (`k[lbf_av]` for
    /// `KIP_F`), or unity for annotated counts (`{#}`).
    pub(crate) unit: TermUnit,
    /// The UCUM annotation it carries, if any (`#` for `NUM`, `absolute` for `PA_A`).
    pub(crate) annotation: Option<String>,
}

impl Entry {
    /// The atom and prefix, for atom entries.
    pub(crate) fn atom(&self) -> Option<(Option<&'static Prefix>, &'static Atom)> {
        match &self.unit {
            TermUnit::Atom { prefix, atom } => Some((*prefix, atom)),
            _ => None,
        }
    }
}

static OWN: OnceLock<Vec<Atom>> = OnceLock::new();
static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();

/// Atoms for the names UCUM writes only as composites, with the exact value of the composite.
fn own_atoms() -> &'static [Atom] {
    OWN.get_or_init(|| {
        let mut out = Vec::new();
        for (name, def) in DEFS {
            let Ucum(code) = def else { continue };
            let Ok(expr) = crate::ucum::parse(code) else {
                continue;
            };
            if single(&expr).is_some() {
                continue;
            }
            let Ok(c) = expr.canonical() else { continue };
            if c.special.is_some() || !c.arbitrary.is_empty() {
                continue;
            }
            out.push(Atom {
                code: (*name).to_string(),
                name: (*name).to_string(),
                notation: Notation::Qudt,
                value: c.factor,
                dimension: c.dimension,
                metric: true,
                arbitrary: None,
                special: None,
                ucum_hint: Some((*code).to_string()),
            });
        }
        out
    })
}

/// The single term of a UCUM expression with exponent 1: (unit, annotation).
fn single(expr: &crate::expr::UnitExpr) -> Option<(TermUnit, Option<String>)> {
    match expr.terms.as_slice() {
        [t] if t.exponent == num_rational::Ratio::from_integer(1)
            && !matches!(t.unit, TermUnit::Number(_)) =>
        {
            Some((t.unit.clone(), t.annotation.clone()))
        }
        _ => None,
    }
}

/// Every QUDT atom, in table order.
pub(crate) fn entries() -> &'static [Entry] {
    ENTRIES.get_or_init(|| {
        let own = own_atoms();
        let mut out = Vec::new();
        for (name, def) in DEFS {
            let resolved = match def {
                Si(symbol) => crate::si_text::atom(symbol)
                    .map(|atom| (TermUnit::Atom { prefix: None, atom }, None)),
                Ucum(code) => match crate::ucum::parse(code) {
                    Ok(expr) => single(&expr).or_else(|| {
                        own.iter()
                            .find(|a| a.code == *name)
                            .map(|atom| (TermUnit::Atom { prefix: None, atom }, None))
                    }),
                    Err(_) => None,
                },
            };
            if let Some((unit, annotation)) = resolved {
                out.push(Entry {
                    name,
                    unit,
                    annotation,
                });
            }
        }
        out
    })
}

static INDEX: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();

/// The entry of a QUDT atom name (hashed: identifiers are resolved token by token, and each
/// token may be tried with every prefix).
pub(crate) fn entry(name: &str) -> Option<&'static Entry> {
    let index = INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for (i, e) in entries().iter().enumerate() {
            map.entry(e.name).or_insert(i);
        }
        map
    });
    index.get(name).and_then(|&i| entries().get(i))
}

/// The QUDT prefix names (VOCAB_QUDT-PREFIXES: `Kilo`, `Milli`, ..., both `Deca` and `Deka`,
/// the binary `Kibi` ... `Yobi`) with the name of the SI or binary prefix they denote.
#[rustfmt::skip]
static PREFIXES: &[(&str, &str)] = &[
    ("Quetta", "quetta"), ("Ronna", "ronna"), ("Yotta", "yotta"), ("Zetta", "zetta"),
    ("Exa", "exa"), ("Peta", "peta"), ("Tera", "tera"), ("Giga", "giga"), ("Mega", "mega"),
    ("Kilo", "kilo"), ("Hecto", "hecto"), ("Deca", "deca"), ("Deka", "deca"), ("Deci", "deci"),
    ("Centi", "centi"), ("Milli", "milli"), ("Micro", "micro"), ("Nano", "nano"),
    ("Pico", "pico"), ("Femto", "femto"), ("Atto", "atto"), ("Zepto", "zepto"),
    ("Yocto", "yocto"), ("Ronto", "ronto"), ("Quecto", "quecto"), ("Kibi", "kibi"),
    ("Mebi", "mebi"), ("Gibi", "gibi"), ("Tebi", "tebi"), ("Pebi", "pebi"), ("Exbi", "exbi"),
    ("Zebi", "zebi"), ("Yobi", "yobi"),
];

/// The prefix of a QUDT prefix name.
fn prefix_of(name: &str) -> Option<&'static Prefix> {
    let (_, si) = PREFIXES.iter().find(|(q, _)| *q == name)?;
    crate::si_text::prefix_by_name(si)
        .or_else(|| crate::dsi::binary_prefixes().iter().find(|p| p.name == *si))
}

static RESOLVED_PREFIXES: OnceLock<Vec<(&'static str, &'static Prefix)>> = OnceLock::new();

/// The QUDT prefix names a token may start with, with their prefixes.
pub(crate) fn prefixes() -> impl Iterator<Item = (&'static str, &'static Prefix)> {
    RESOLVED_PREFIXES
        .get_or_init(|| {
            PREFIXES
                .iter()
                .filter_map(|(q, _)| prefix_of(q).map(|p| (*q, p)))
                .collect()
        })
        .iter()
        .copied()
}

/// The QUDT prefix name of a prefix of any notation, by its exact factor (`Deca` for 10).
pub(crate) fn prefix_name(p: &Prefix) -> Option<&'static str> {
    prefixes()
        .find(|(_, q)| q.factor == p.factor)
        .map(|(n, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_resolves() {
        let names: Vec<&str> = entries().iter().map(|e| e.name).collect();
        let missing: Vec<&str> = DEFS
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !names.contains(n))
            .collect();
        assert!(missing.is_empty(), "unresolved: {missing:?}");
    }
}
