//! The QUDT factor table: for every QUDT unit (shared part of `VOCAB_QUDT-UNITS-ALL.ttl`,
//! extracted to `qudt_units_ucum.shared.tsv`) with a UCUM code, our exact UCUM factor in
//! coherent SI must equal QUDT's `conversionMultiplier`, and our offset its
//! `conversionOffset` (QUDT: value_SI = (value + offset) × multiplier).
//!
//! Exceptions are listed in [`EXCEPTIONS`] with the reason, one per (QUDT unit, UCUM code).

use sevres_si::{ucum, SpecialFunction};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/units/qudt/qudt_units_ucum.shared.tsv"
);

/// Tolerance: QUDT writes each multiplier as a decimal literal rounded to some number of
/// digits (`0.000290888209` for the arcminute, π/10800 = 0.000290888208665…; `0.1589873` for the
/// US barrel, exactly 0.158987294928 m³). A multiplier passes when our exact value rounds to
/// it, i.e. when they differ by at most half a unit in the last digit QUDT wrote (plus 1e-15
/// relative for the rounding of our exact value to `f64`). Everything else is a different
/// value and is listed in [`EXCEPTIONS`] with the reason.
fn within_written_precision(ours: f64, literal: &str) -> bool {
    let Ok(q) = literal.parse::<f64>() else {
        return false;
    };
    let (mantissa, exp) = match literal.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (literal, 0),
    };
    let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i32);
    let half_unit = 0.5 * 10f64.powi(exp - decimals);
    (ours - q).abs() <= half_unit * (1.0 + 1e-9) + q.abs() * 1e-15
}

const LOG: &str =
    "logarithmic unit (UCUM §21 special unit on a non-ratio scale): it has no conversion multiplier and cannot take part in products; QUDT gives it multiplier 1 as if it were a ratio-scale unit";
const NO_MOL_LB: &str = "not valid UCUM: UCUM has no pound-mole '[mol_lb]'";
const KA: &str =
    "not valid UCUM: the year 'a' is not metric in UCUM and takes no prefix (kiloyear has no UCUM code)";
const ANNOT_EXP: &str =
    "not valid UCUM: an annotation cannot carry an exponent ('{#}-1'); UCUM writes '/{#}'";
const DU: &str = "not valid UCUM: UCUM has no Dobson unit 'DU'";
const EQ: &str =
    "not valid UCUM: codes are case-sensitive and the equivalent is 'eq' ('EQ' is the case-insensitive form)";
const VA: &str = "not valid UCUM: UCUM has no volt-ampere atom 'VA' (write V.A)";
const VAR: &str = "not valid UCUM: UCUM has no var atom";
const NOT_METRIC: &str = "not valid UCUM: the unit is not metric in UCUM and takes no prefix";
const MSTON: &str =
    "not valid UCUM: the short ton is '[ston_av]', which is not metric and takes no prefix";
const OSMOL: &str = "not valid UCUM: the osmole is 'osm'";
const OZF: &str = "not valid UCUM: UCUM has no ounce-force '[ozf_av]'";
const STONF: &str = "not valid UCUM: UCUM has no short-ton-force '[stonf_av]'";
const PPQ: &str = "not valid UCUM: UCUM has [ppth] and [pptr] but no '[ppq]' or '[ppt]'";
const ACRE: &str =
    "UCUM [acr_br] is the British acre, 4840 British square yards (yard 0.9143992 m) = 4046.850 m²; QUDT's multiplier is the international acre, 4046.8564224 m², which has no UCUM code";
const AU: &str =
    "QUDT is wrong: its multiplier 149597870691.6 m is neither UCUM's AU (149597.870691 Mm, the IAU 1976 value, kept here) nor the SI astronomical unit it claims to match (exactly 149597870700 m, IAU 2012 Resolution B2)";
const BBL: &str =
    "QUDT derives this from a US barrel rounded to 0.1589873 m³; exactly 42 gal × 231 in³ = 0.158987294928 m³";
const BTU_TH: &str =
    "UCUM defines [Btu_th] as 1.054350 kJ; QUDT uses 1054.3502645 J; we keep UCUM's definition";
const CCY: &str =
    "QUDT's currency unit (troy ounce of gold/silver as money) has multiplier 1; the UCUM code it gives denotes a troy ounce, 0.0311034768 kg";
const US_VOLUME: &str =
    "QUDT rounds the US customary volume (e.g. 0.00023658825 m³ for the cup, exactly 0.0002365882365 m³ from 231 in³ per gallon) or derives from a rounded one";
const HG: &str =
    "UCUM defines m[Hg] as 133.3220 kPa; QUDT uses the conventional 133.322387415 kPa (13.5951 g/cm³ × gn); we keep UCUM's definition";
const DALTON: &str =
    "UCUM's u is 1.66053906660e-27 kg (CODATA 2018); QUDT's 1.66053878283e-27 is the CODATA 2006 value 1.660538782(83) with its uncertainty digits appended";
const GAL_BR: &str =
    "QUDT derives this from a rounded British gallon or peck; exactly 4.54609 L per gallon";
const GT: &str =
    "QUDT gives gross tonnage (a volume index) multiplier 0; the UCUM code t{gross} it gives denotes the tonne";
const IU: &str =
    "QUDT gives the arbitrary international unit multiplier 0; UCUM [IU] is arbitrary (UCUM §24), factor 1 in its own arbitrary unit";
const MESH: &str = "QUDT gives multiplier 0 (none); UCUM [mesh_i] is 1/[in_i] = 39.37 m⁻¹";
const MONTH: &str =
    "UCUM mo is the mean Julian month (30.4375 d); QUDT's multiplier is the synodic month (29.530590 d, UCUM mo_s)";
const ARCMIN: &str =
    "QUDT derives this from its arcminute rounded to 0.000290888209 rad; exactly π/10800 rad";
const CML: &str =
    "QUDT derives this from a circular mil rounded to 5.067075e-10 m²; exactly π/4 × (25.4 µm)²";
const PHOT: &str =
    "UCUM 2.2 defines ph (phot) as 1e-4 lx, an error of the UCUM table (the phot is 1 lm/cm² = 10⁴ lx, as QUDT says); we keep UCUM's table, which defines the UCUM code";
const POINT: &str =
    "UCUM [pnt] is the typographic point 1/72 in = 0.3527 mm; QUDT's multiplier 0.00035146 m is the printer's point (UCUM [pnt_pr])";
const REV: &str =
    "QUDT's revolution is 2π rad, but the UCUM code it gives, {#}, is an annotated unity (UCUM's full turn is 'circ')";
const THERM: &str = "UCUM [Btu_59] is 1.05480 kJ; QUDT's therm uses 1054.804 J per Btu";
const FIT: &str =
    "QUDT gives failures-in-time multiplier 0; the UCUM code it gives, s-1{failures}, denotes 1/s (1 FIT = 1 failure per 10⁹ h)";

/// (QUDT unit, UCUM code, reason) for rows where we keep our value.
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    ("AC", "[acr_br]", ACRE),
    ("AC-FT", "[acr_br].[ft_i]", ACRE),
    ("AU", "AU", AU),
    ("B", "B", LOG),
    ("B-PER-M", "B.m-1", LOG),
    ("BBL_US-PER-DAY", "[bbl_us].d-1", BBL),
    ("BBL_US-PER-MIN", "[bbl_us].min-1", BBL),
    ("BBL_US_PET-PER-HR", "[bbl_us].h-1", BBL),
    ("BTU_IT-PER-MOL_LB", "[Btu_IT].[mol_lb]-1", NO_MOL_LB),
    (
        "BTU_IT-PER-MOL_LB-DEG_F",
        "[Btu_IT].[mol_lb]-1.[degF]-1",
        NO_MOL_LB,
    ),
    ("BTU_TH", "[Btu_th]", BTU_TH),
    (
        "BTU_TH-FT-PER-FT2-HR-DEG_F",
        "[Btu_th].[ft_i].[ft_i]-2.h-1.[degF]-1",
        BTU_TH,
    ),
    (
        "BTU_TH-FT-PER-HR-FT2-DEG_F",
        "[Btu_th].[ft_i].h-1.[ft_i]-2.[degF]-1",
        BTU_TH,
    ),
    (
        "BTU_TH-IN-PER-FT2-HR-DEG_F",
        "[Btu_th].[in_i].[ft_i]-2.h-1.[degF]-1",
        BTU_TH,
    ),
    ("BTU_TH-PER-DEG_F", "[Btu_th].[degF]-1", BTU_TH),
    ("BTU_TH-PER-DEG_R", "[Btu_th].[degR]-1", BTU_TH),
    ("BTU_TH-PER-FT2", "[Btu_th].[ft_i]-2", BTU_TH),
    ("BTU_TH-PER-FT2-HR", "[Btu_th].[ft_i]-2.h-1", BTU_TH),
    ("BTU_TH-PER-FT2-MIN", "[Btu_th].[ft_i]-2.min-1", BTU_TH),
    ("BTU_TH-PER-FT3", "[Btu_th].[ft_i]-3", BTU_TH),
    ("BTU_TH-PER-HR", "[Btu_th].h-1", BTU_TH),
    (
        "BTU_TH-PER-HR-FT2-DEG_F",
        "[Btu_th].h-1.[ft_i]-2.[degF]-1",
        BTU_TH,
    ),
    ("BTU_TH-PER-LB", "[Btu_th].[lb_av]-1", BTU_TH),
    ("BTU_TH-PER-MIN", "[Btu_th].min-1", BTU_TH),
    ("BTU_TH-PER-SEC", "[Btu_th].s-1", BTU_TH),
    (
        "BTU_TH-PER-SEC-FT2-DEG_F",
        "[Btu_th].s-1.[ft_i]-2.[degF]-1",
        BTU_TH,
    ),
    ("CCY_XAG", "[oz_tr]{Ag}", CCY),
    ("CCY_XAU", "[oz_tr]{Au}", CCY),
    ("CUP", "[cup_us]", US_VOLUME),
    ("CUP_US", "[cup_us]", US_VOLUME),
    ("CentiM-PER-KiloYR", "cm.ka-1", KA),
    ("CentiM_HG", "cm[Hg]", HG),
    ("DA", "u", DALTON),
    ("DAY-PER-NUM", "d.{#}-1", ANNOT_EXP),
    ("DEG_F-HR-PER-BTU_TH", "[degF].h.[Btu_th]-1", BTU_TH),
    ("DEG_F-SEC-PER-BTU_TH", "[degF].s.[Btu_th]-1", BTU_TH),
    ("DU", "DU", DU),
    ("Da", "u", DALTON),
    ("DeciB", "dB", LOG),
    ("DeciB-MilliW", "dB.mW", LOG),
    ("DeciB-PER-KiloM", "dB.km-1", LOG),
    ("DeciB-PER-M", "dB.m-1", LOG),
    ("DeciB-W", "dB.W", LOG),
    ("EQ", "EQ", EQ),
    ("EQ-PER-L", "EQ.L-1", EQ),
    ("GI_UK-PER-HR", "[gil_br].h-1", GAL_BR),
    ("GI_US", "[gil_us]", US_VOLUME),
    ("GI_US-PER-SEC", "[gil_us].s-1", US_VOLUME),
    ("GT", "t{gross}", GT),
    ("GigaVA", "GVA", VA),
    ("GigaVAR", "Gvar", VAR),
    ("HR-PER-NUM", "h.{#}-1", ANNOT_EXP),
    ("IN_HG", "[in_i'Hg]", HG),
    ("IU", "[IU]", IU),
    ("IU-PER-MilliL", "[IU].mL-1", IU),
    ("KIP_F", "k[lbf_av]", NOT_METRIC),
    ("KIP_F-PER-IN2", "k[lbf_av].[in_i]-2", NOT_METRIC),
    ("KiloBTU_IT", "k[Btu_IT]", NOT_METRIC),
    ("KiloBTU_IT-PER-FT2", "k[Btu_IT].[ft_i]-2", NOT_METRIC),
    ("KiloBTU_IT-PER-HR", "k[Btu_IT].h-1", NOT_METRIC),
    ("KiloBTU_TH", "k[Btu_th]", NOT_METRIC),
    ("KiloBTU_TH-PER-HR", "k[Btu_th].h-1", NOT_METRIC),
    ("KiloGM-PER-MegaBTU_IT", "kg.M[Btu_IT]-1", NOT_METRIC),
    ("KiloLB", "k[lb_av]", NOT_METRIC),
    ("KiloLB-PER-HR", "k[lb_av].h-1", NOT_METRIC),
    ("KiloLB_F", "k[lbf_av]", NOT_METRIC),
    ("KiloLB_F-FT-PER-A", "k[lbf_av].[ft_i].A-1", NOT_METRIC),
    ("KiloLB_F-PER-FT", "k[lbf_av].[ft_i]-1", NOT_METRIC),
    ("KiloLB_F-PER-IN2", "k[lbf_av].[in_i]-2", NOT_METRIC),
    ("KiloVA-PER-K", "kVA.K-1", VA),
    ("KiloVAR-HR", "kvar.h", VAR),
    ("KiloYR", "ka", KA),
    ("LB-PER-AC", "[lb_av].[acr_br]-1", ACRE),
    ("MESH", "[mesh_i]", MESH),
    ("MIN-PER-NUM", "min.{#}-1", ANNOT_EXP),
    ("MO", "mo", MONTH),
    ("MOL_LB", "[mol_lb]", NO_MOL_LB),
    ("MOL_LB-DEG_F", "[mol_lb].[degF]", NO_MOL_LB),
    ("MOL_LB-PER-SEC", "[mol_lb].s-1", NO_MOL_LB),
    ("MegaBTU_IT-PER-HR", "M[Btu_IT].h-1", NOT_METRIC),
    ("MegaLB_F", "M[lbf_av]", NOT_METRIC),
    ("MegaPSI", "M[psi]", NOT_METRIC),
    ("MegaTON", "Mston_av", MSTON),
    ("MegaVA-HR", "MVA.h", VA),
    ("MegaVAR", "Mvar", VAR),
    ("MegaVAR-HR", "Mvar.h", VAR),
    ("MegaYR", "Ma", KA),
    ("MicroEQ", "uEQ", EQ),
    ("MicroEQ-PER-L", "uEQ.L-1", EQ),
    ("MicroVA-PER-K", "uVA.K-1", VA),
    ("MicroVAR", "uvar", VAR),
    ("MilliEQ", "mEQ", EQ),
    ("MilliEQ-PER-HectoGM", "mEQ.hg-1", EQ),
    ("MilliEQ-PER-MilliL", "mEQ.mL-1", EQ),
    ("MilliGAL-PER-MO", "mGal.mo-1", MONTH),
    ("MilliGALILEO-PER-MO", "mGal.mo-1", MONTH),
    ("MilliM_HGA", "mm[Hg]{absolute}", HG),
    ("MilliOSM", "mOsmol", OSMOL),
    ("MilliOSM-PER-KiloGM", "mOsmol.kg-1", OSMOL),
    ("MilliVA", "mVA", VA),
    ("MilliVA-PER-K", "mVA.K-1", VA),
    ("MilliVAR", "mvar", VAR),
    ("N-M-PER-ARCMIN", "N.m.'-1", ARCMIN),
    ("N-M-PER-MIN_Angle", "N.m.'-1", ARCMIN),
    ("NP", "Np", LOG),
    ("NP-PER-SEC", "Np.s-1", LOG),
    ("NUM-PER-CentiM-KiloYR", "{#}.cm-1.ka-1", KA),
    ("NanoEQ", "nEQ", EQ),
    ("NanoEQ-PER-L", "nEQ.L-1", EQ),
    ("NanoVA", "nVA", VA),
    ("NanoVAR", "nvar", VAR),
    ("OHM-MIL_Circ-PER-FT", "Ohm.[cml_i].[ft_i]-1", CML),
    ("OSM", "Osmol", OSMOL),
    ("OZ_F", "[ozf_av]", OZF),
    ("OZ_F-IN", "[ozf_av].[in_i]", OZF),
    ("OZ_VOL_US-PER-DAY", "[foz_us].d-1", US_VOLUME),
    ("OZ_VOL_US-PER-MIN", "[foz_us].min-1", US_VOLUME),
    ("PER-KiloVA-HR", "kVA-1.h-1", VA),
    ("PER-MO", "mo-1", MONTH),
    ("PER-VA-SEC", "VA-1.s-1", VA),
    ("PERCENT-PER-MO", "%.mo-1", MONTH),
    ("PHOT", "ph", PHOT),
    ("PK_UK-PER-DAY", "[pk_br].d-1", GAL_BR),
    ("PK_UK-PER-HR", "[pk_br].h-1", GAL_BR),
    ("PK_UK-PER-SEC", "[pk_br].s-1", GAL_BR),
    ("PK_US_DRY-PER-DAY", "[pk_us].d-1", US_VOLUME),
    ("PPQ", "[ppq]", PPQ),
    ("PPT", "[ppt]", PPQ),
    ("PT", "[pnt]", POINT),
    ("PetaVA", "PVA", VA),
    ("PicoVA", "pVA", VA),
    ("PicoVAR", "pvar", VAR),
    ("REV-PER-MIN-SEC", "{#}.min-1.s-1", REV),
    ("REV-PER-SEC2", "{#}.s-2", REV),
    ("SEC-PER-NUM", "s.{#}-1", ANNOT_EXP),
    ("THM_US", "100000.[Btu_59]", THERM),
    ("TONNE-PER-MO", "t.mo-1", MONTH),
    ("TON_F_US", "[stonf_av]", STONF),
    ("TSP", "[tsp_us]", US_VOLUME),
    ("TeraVA", "TVA", VA),
    ("TeraVAR", "Tvar", VAR),
    ("VA", "VA", VA),
    ("VA-HR", "VA.h", VA),
    ("VA-PER-K", "VA.K-1", VA),
    ("VAR", "var", VAR),
    ("WK-PER-NUM", "wk.{#}-1", ANNOT_EXP),
    ("failures-in-time", "s-1{failures}", FIT),
];

#[test]
fn qudt_multipliers() {
    let tsv = std::fs::read_to_string(FILE).expect("test file");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (c_unit, c_ucum, c_mult, c_off) = (
        col("qudt_unit"),
        col("ucum_codes"),
        col("conversion_multiplier"),
        col("conversion_offset"),
    );
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        if get(c_ucum).is_empty() {
            continue;
        }
        let unit = get(c_unit);
        let multiplier = get(c_mult);
        let offset = if get(c_off).is_empty() {
            "0"
        } else {
            get(c_off)
        };
        for code in get(c_ucum).split('|') {
            let listed = EXCEPTIONS.iter().any(|(u, c, _)| *u == unit && *c == code);
            let outcome = check(code, multiplier, offset);
            checked += 1;
            match (outcome, listed) {
                (Ok(()), true) => failures.push(format!("{unit} {code}: passes but is listed")),
                (Err(e), false) => failures.push(format!("{unit}\t{code}\t{e}")),
                _ => {}
            }
        }
    }
    eprintln!("checked {checked} (unit, UCUM code) pairs");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check(code: &str, multiplier: &str, offset: &str) -> Result<(), String> {
    let expr = ucum::parse(code).map_err(|e| format!("parse: {e}"))?;
    let c = expr.canonical().map_err(|e| format!("canonical: {e}"))?;
    let (ours, our_offset) = match &c.special {
        None => (c.factor.to_f64(), 0.0),
        Some(s) => match &s.function {
            SpecialFunction::Affine { offset } => {
                let o = offset
                    .numer()
                    .to_string()
                    .parse::<f64>()
                    .unwrap_or(f64::NAN)
                    / offset
                        .denom()
                        .to_string()
                        .parse::<f64>()
                        .unwrap_or(f64::NAN);
                (c.factor.to_f64(), o / s.prefix.to_f64())
            }
            _ => return Err("special unit on a non-ratio scale: no multiplier".into()),
        },
    };
    if !within_written_precision(ours, multiplier) {
        return Err(format!(
            "factor {} ({ours:e}) vs QUDT {multiplier}",
            c.factor
        ));
    }
    if !within_written_precision(our_offset, offset) {
        return Err(format!("offset {our_offset} vs QUDT {offset}"));
    }
    Ok(())
}

/// QUDT units declared `qudt:exactMatch` to an SI Reference Point unit whose multiplier does
/// not equal the SI value, as (QUDT unit, reason).
const SI_MATCH_EXCEPTIONS: &[(&str, &str)] = &[
    ("AU", "QUDT is wrong: the SI astronomical unit is exactly 149597870700 m (IAU 2012 Resolution B2, SI Brochure Table 8); QUDT gives 149597870691.6 m"),
    ("DA", DALTON_SI),
    ("Da", DALTON_SI),
];

const DALTON_SI: &str = "QUDT's 1.66053878283e-27 kg is the CODATA 2006 value 1.660538782(83) with its uncertainty digits appended; the SI Reference Point gives 1.66053906892(52)e-27 kg (CODATA 2022)";

/// For the rows QUDT declares an exact match of an SI Reference Point unit, QUDT's multiplier
/// must be the SI Brochure's exact value (from [`sevres_si::reference::UNITS`]), within the
/// precision QUDT wrote.
#[test]
fn qudt_si_exact_matches() {
    use sevres_si::reference::UNITS;
    let tsv = std::fs::read_to_string(FILE).expect("test file");
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (c_unit, c_mult, c_off, c_pid) = (
        col("qudt_unit"),
        col("conversion_multiplier"),
        col("conversion_offset"),
        col("si_exact_match"),
    );
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let pid = get(c_pid);
        if pid.is_empty() {
            continue;
        }
        let unit = get(c_unit);
        let Some(def) = UNITS.iter().find(|u| u.pid == pid) else {
            failures.push(format!("{unit}: no SI unit {pid}"));
            continue;
        };
        if def.is_logarithmic() {
            continue; // no multiplier on a logarithmic scale
        }
        checked += 1;
        let ours = sevres_si::Factor::parse(def.factor)
            .expect("factor")
            .to_f64();
        let offset = if get(c_off).is_empty() {
            "0"
        } else {
            get(c_off)
        };
        let our_offset: f64 = def.offset.parse().expect("offset");
        let ok = within_written_precision(ours, get(c_mult))
            && within_written_precision(our_offset, offset);
        let listed = SI_MATCH_EXCEPTIONS.iter().any(|(u, _)| *u == unit);
        if ok == listed {
            failures.push(format!(
                "{unit}\t{}\tSI {ours:e} + {our_offset} vs QUDT {} + {offset}",
                def.symbol,
                get(c_mult)
            ));
        }
    }
    eprintln!("checked {checked} exact matches");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
